/* vocab.h — the vocabulary: every kept word with its corpus count, sorted by
 * frequency (most frequent first), so a word's id is its frequency rank; and
 * how it is built from the counting tables.
 *
 * Counting happens in tables owned by hash partition (count.h): every word is
 * counted in exactly one table, under a --vocab-memory budget enforced by
 * word2vec.c-style pruning. The vocabulary is built from the partitions
 * directly (they are disjoint: nothing to merge): words below --min-count are
 * dropped, the --max-vocab most frequent selected (a selection, not a sort of
 * every word), and those sorted (count descending, then bytes ascending, so
 * the order never depends on the thread count). With `remap`, each
 * partition's maps then give final ids for every generation of provisional
 * ids (W2V_ID_DROPPED for words left out).
 *
 * Counts are 64-bit everywhere; a vocabulary whose counts add up to more than
 * 2^63 - 1 is refused. The file format of save/read is word2vec.c's: "word
 * count" per line, most frequent first. */
#ifndef W2V_VOCAB_H
#define W2V_VOCAB_H

#include "w2v/corpus.h"
#include "w2v/count.h"
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
    uint64_t memory;          /* counting budget in bytes, all threads together; 0 = default */
};

struct w2v_vocab_report {
    uint64_t corpus_tokens;    /* all tokens in the corpus */
    uint64_t distinct_words;   /* before min-count / max-vocab (after pruning) */
    uint64_t truncated_tokens; /* words cut to max_token_bytes */
    uint64_t pruned_words;     /* words dropped by budget pruning (each time counted) */
    uint64_t prune_threshold;  /* pruning dropped words seen fewer times than this (0: none) */
    double seconds;            /* wall time of the build */
};

/* The default counting budget: a quarter of physical memory, at most 4 GiB,
 * at least 64 MiB. */
uint64_t w2v_vocab_default_memory(void);

/* ---- from the counting tables ---- */

/* Builds `vocab` from the partitions (report's distinct, pruned and
 * threshold fields filled; corpus_tokens is the caller's, and 0 of them is an
 * error). Counting is over: the partitions' word tables are freed (their
 * hash slots before the sort, the rest once the words are copied). With
 * remap, gives every partition its final maps for the remap pass
 * (w2v_count_compose_maps). `source` names the corpus in messages. */
int w2v_vocab_from_counts(struct w2v_vocab *vocab, struct w2v_count_tables *tables,
                          const struct w2v_vocab_options *options, int remap, const char *source,
                          struct w2v_vocab_report *report);

/* ---- whole builds ---- */

/* Counts a mapped corpus in parallel (no id stream): what `w2v phrases` uses. */
int w2v_vocab_build(struct w2v_vocab *vocab, const struct w2v_corpus *corpus,
                    const struct w2v_vocab_options *options, struct w2v_vocab_report *report);

/* Reads a "word count" file (as written by save or word2vec.c's -save-vocab),
 * applying min_count and max_size the same way as a build. Lines are at most
 * 64 KiB of text: anything else (a device, a binary file) is refused. */
int w2v_vocab_read(struct w2v_vocab *vocab, const char *path,
                   const struct w2v_vocab_options *options);

int w2v_vocab_save(const struct w2v_vocab *vocab, const char *path);

/* The same into an open stream (for callers that opened their atomic file early). */
void w2v_vocab_write_stream(FILE *fp, const struct w2v_vocab *vocab);

/* Builds a vocabulary from words already in final order (a prepared file):
 * counts[i] and the i-th word, lengths[i] bytes from `bytes`. */
int w2v_vocab_from_arrays(struct w2v_vocab *vocab, uint32_t size, const uint64_t *counts,
                          const uint32_t *lengths, const char *bytes, uint64_t bytes_size,
                          const char *source);

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
