/* word_index.h — a hash table from words to row numbers.
 *
 * The vector reader uses it to reject repeated words; evaluation uses it with
 * ASCII case folding to find question words the way gensim's
 * case_insensitive=True does (the first, most frequent, spelling wins). Keys
 * are borrowed: the index stores pointers to the caller's strings, which must
 * outlive it. */
#ifndef W2V_WORD_INDEX_H
#define W2V_WORD_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct w2v_word_index {
    const char **keys; /* slot -> borrowed word, NULL if empty */
    uint64_t *rows;    /* slot -> row number */
    uint64_t mask;     /* slot count - 1 (a power of two) */
    uint64_t size;     /* words stored */
    bool fold_case;    /* compare ASCII letters case-insensitively */
};

/* An empty index sized for `expected` words. */
void w2v_word_index_init(struct w2v_word_index *index, uint64_t expected, bool fold_case);
void w2v_word_index_free(struct w2v_word_index *index);

/* Adds `word` -> `row` unless an equal word is present. Returns true if added;
 * false if present, with its row in *existing_row (if not NULL). */
bool w2v_word_index_add(struct w2v_word_index *index, const char *word, uint64_t row,
                        uint64_t *existing_row);

/* The row of `word` (len bytes, need not be NUL-terminated), or -1 if absent. */
int64_t w2v_word_index_find_n(const struct w2v_word_index *index, const char *word, size_t len);
int64_t w2v_word_index_find(const struct w2v_word_index *index, const char *word);

#endif
