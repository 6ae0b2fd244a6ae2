/* word_index.c — open-addressing (linear probing) word -> row hash table,
 * hashed with w2v_hash_word_folding (word_table.h). */
#include "w2v/word_index.h"

#include "w2v/alloc.h"
#include "w2v/word_table.h"

#include <string.h>

static inline unsigned char fold(unsigned char c, bool fold_case) {
    return fold_case && c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Does the stored NUL-terminated key equal word[0..len)? */
static bool key_equals(const char *key, const char *word, size_t len, bool fold_case) {
    for (size_t i = 0; i < len; i++) {
        if (key[i] == '\0') return false;
        if (fold((unsigned char)key[i], fold_case) != fold((unsigned char)word[i], fold_case))
            return false;
    }
    return key[len] == '\0';
}

void w2v_word_index_init(struct w2v_word_index *index, uint64_t expected, bool fold_case) {
    uint64_t slots = 16;
    while (slots < expected * 2) slots *= 2; /* load factor <= 1/2 */
    index->keys = w2v_xcalloc(slots, sizeof *index->keys);
    index->rows = w2v_xcalloc(slots, sizeof *index->rows);
    index->mask = slots - 1;
    index->size = 0;
    index->fold_case = fold_case;
}

void w2v_word_index_free(struct w2v_word_index *index) {
    w2v_free(index->keys);
    w2v_free(index->rows);
    index->keys = NULL;
    index->rows = NULL;
    index->mask = index->size = 0;
}

static void grow(struct w2v_word_index *index) {
    struct w2v_word_index bigger;
    w2v_word_index_init(&bigger, (index->mask + 1), index->fold_case);
    for (uint64_t s = 0; s <= index->mask; s++)
        if (index->keys[s]) w2v_word_index_add(&bigger, index->keys[s], index->rows[s], NULL);
    w2v_word_index_free(index);
    *index = bigger;
}

bool w2v_word_index_add(struct w2v_word_index *index, const char *word, uint64_t row,
                        uint64_t *existing_row) {
    if ((index->size + 1) * 2 > index->mask + 1) grow(index);
    size_t len = strlen(word);
    uint64_t slot = w2v_hash_word_folding(word, len, index->fold_case) & index->mask;
    while (index->keys[slot]) {
        if (key_equals(index->keys[slot], word, len, index->fold_case)) {
            if (existing_row) *existing_row = index->rows[slot];
            return false;
        }
        slot = (slot + 1) & index->mask;
    }
    index->keys[slot] = word;
    index->rows[slot] = row;
    index->size++;
    return true;
}

int64_t w2v_word_index_find_n(const struct w2v_word_index *index, const char *word, size_t len) {
    if (!index->keys) return -1;
    uint64_t slot = w2v_hash_word_folding(word, len, index->fold_case) & index->mask;
    while (index->keys[slot]) {
        if (key_equals(index->keys[slot], word, len, index->fold_case))
            return (int64_t)index->rows[slot];
        slot = (slot + 1) & index->mask;
    }
    return -1;
}

int64_t w2v_word_index_find(const struct w2v_word_index *index, const char *word) {
    return w2v_word_index_find_n(index, word, strlen(word));
}
