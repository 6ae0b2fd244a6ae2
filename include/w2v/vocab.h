/* vocab.h — the vocabulary: every kept word with its corpus count, sorted by
 * frequency (most frequent first), so a word's id is its frequency rank; and
 * the counters that build it.
 *
 * Counting: each counting thread owns a w2v_vocab_counter (a word table
 * under a memory budget). w2v_vocab_counter_add returns a provisional id (the
 * word's index in that counter) so the caller can write the text's ids in the
 * same pass. When a counter's table outgrows its budget it is pruned as
 * word2vec.c's ReduceVocab does: words seen at most `reduce` times are
 * dropped and `reduce` grows by one; the caller marks the point in its id
 * stream (a new generation of provisional ids begins). Merging: the counters'
 * words are spread over hash partitions, one per thread, so no word is
 * counted in two merged tables and no thread merges alone; then words below
 * --min-count are dropped, the --max-vocab most frequent selected (a
 * selection, not a sort of every word), and those sorted (count descending,
 * then bytes ascending, so the order never depends on the thread count).
 * Finally each counter gets, per generation, the map from its provisional ids
 * to final ids (W2V_ID_DROPPED for words left out).
 *
 * Counts are 64-bit everywhere; a vocabulary whose counts add up to more than
 * 2^63 - 1 is refused. The file format of save/read is word2vec.c's: "word
 * count" per line, most frequent first. */
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

/* ---- counters ---- */

#define W2V_ID_DROPPED UINT32_MAX /* in a remap: the word is not in the vocabulary */

struct w2v_vocab_counter {
    struct w2v_word_table table;
    uint64_t budget; /* bytes this counter's table may use */
    uint64_t reduce; /* the next pruning drops words seen at most this many times */
    uint64_t pruned_words;
    uint64_t tokens, truncated;
    uint32_t generations; /* prunes so far; generation g's provisional ids are maps[g]'s keys */
    uint32_t **maps; /* pruning: old index -> new index; after finish: provisional -> final id */
    uint32_t *map_sizes;
    char error[256]; /* "" unless adding failed */
};

void w2v_vocab_counter_init(struct w2v_vocab_counter *counter, uint64_t budget_bytes);
void w2v_vocab_counter_free(struct w2v_vocab_counter *counter);

/* The word's provisional id in the current generation; W2V_ID_DROPPED with
 * counter->error set if the table holds all the words it can. */
uint32_t w2v_vocab_counter_add(struct w2v_vocab_counter *counter, const char *word, uint32_t len);

/* True when the table is over budget: the caller prunes now (and marks a new
 * generation in its id stream). */
static inline int w2v_vocab_counter_over_budget(const struct w2v_vocab_counter *counter) {
    return counter->budget && w2v_word_table_bytes(&counter->table) > counter->budget;
}
void w2v_vocab_counter_prune(struct w2v_vocab_counter *counter);

/* Merges the counters into `vocab` (in parallel over hash partitions), then,
 * unless remap is 0, gives every counter its maps to final ids and frees its
 * table. `source` names the corpus in messages. */
int w2v_vocab_merge(struct w2v_vocab *vocab, struct w2v_vocab_counter *counters, uint32_t count,
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
