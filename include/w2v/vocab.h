/* vocab.h — the vocabulary: every kept word with its corpus count, sorted by
 * frequency (most frequent first), so a word's id is its frequency rank.
 *
 * Built in parallel: each thread counts one chunk of the mapped corpus in its
 * own table, then the tables are merged, words below --min-count dropped, the
 * rest sorted (count descending, then bytes ascending, so the order never
 * depends on the thread count) and cut to --max-vocab. Counts are 64-bit
 * everywhere. The file format of save/read is word2vec.c's: "word count" per
 * line, most frequent first. */
#ifndef W2V_VOCAB_H
#define W2V_VOCAB_H

#include "w2v/corpus.h"
#include "w2v/word_table.h"

#include <stdint.h>
#include <stdio.h>

struct w2v_vocab {
    uint32_t size;               /* words kept; ids are 0..size-1 */
    uint64_t total_count;        /* Σ counts of kept words: in-vocabulary tokens in the corpus */
    struct w2v_word_table table; /* entry i is word id i */
};

struct w2v_vocab_options {
    uint64_t min_count;       /* drop words seen fewer times (>= 1) */
    uint32_t max_size;        /* keep at most this many most frequent words; 0 = no limit */
    uint32_t threads;         /* counting threads */
    uint32_t max_token_bytes; /* longer words are cut (tokenizer.h) */
};

struct w2v_vocab_report {
    uint64_t corpus_tokens;    /* all tokens in the corpus */
    uint64_t distinct_words;   /* before min-count / max-vocab */
    uint64_t truncated_tokens; /* words cut to max_token_bytes */
    double seconds;            /* wall time of the build */
};

int w2v_vocab_build(struct w2v_vocab *vocab, const struct w2v_corpus *corpus,
                    const struct w2v_vocab_options *options, struct w2v_vocab_report *report);

/* Reads a "word count" file (as written by save or word2vec.c's -save-vocab),
 * applying min_count and max_size the same way as a build. */
int w2v_vocab_read(struct w2v_vocab *vocab, const char *path,
                   const struct w2v_vocab_options *options);

int w2v_vocab_save(const struct w2v_vocab *vocab, const char *path);

/* The same into an open stream (for callers that opened their atomic file early). */
void w2v_vocab_write_stream(FILE *fp, const struct w2v_vocab *vocab);

void w2v_vocab_free(struct w2v_vocab *vocab);

static inline int64_t w2v_vocab_find(const struct w2v_vocab *vocab, const char *word,
                                     uint32_t len) {
    return w2v_word_table_find(&vocab->table, word, len, w2v_hash_word(word, len));
}

static inline const char *w2v_vocab_word(const struct w2v_vocab *vocab, uint32_t id) {
    return w2v_word_table_word(&vocab->table, id);
}

static inline uint64_t w2v_vocab_count(const struct w2v_vocab *vocab, uint32_t id) {
    return vocab->table.counts[id];
}

#endif
