/* count.h — the counting tables, owned by hash partition.
 *
 * Every distinct word lives in exactly one of P partitions (P a power of two,
 * chosen by the top bits of w2v_hash_word), each a word table under its own
 * lock and its own share of the --vocab-memory budget. No word is counted in
 * two tables, so there is nothing to merge: the vocabulary is built from the
 * partitions directly (vocab.h, w2v_vocab_from_counts).
 *
 * A counting thread owns a w2v_counter: it appends each token (hash, bytes,
 * output slot) to a small bin of the token's partition; when a bin fills, or
 * when the caller flushes (before it writes its output buffer or releases the
 * text the bins point into), the thread takes that partition's lock once and
 * inserts the whole bin, writing each token's provisional id into its output
 * slot. Locks are taken once per W2V_COUNT_BIN tokens, not once per token.
 *
 * A provisional id is the partition's number in the top bits and the word's
 * index in that partition's table in the others; it is never W2V_COUNT_LINE_END
 * (which the encoder's streams use for line ends).
 *
 * Pruning, word2vec.c's ReduceVocab, per partition: when a partition's table
 * outgrows its share of the budget (hashes spread words evenly), the words
 * seen at most `reduce` times are dropped and `reduce` grows by one, again
 * until the table is under three quarters of its share. Each round is a new
 * generation of that partition's indices, and records the map old index ->
 * new index (W2V_ID_DROPPED for dropped words), so ids already written stay
 * resolvable (the maps go to an unlinked temporary file when the caller
 * gives one, so a long run of prunes does not grow the heap). A counter
 * remembers, per partition, the generation its latest ids belong to, and
 * records an event (stream position, partition, generation) whenever a flush
 * finds that partition in a later generation; ids of one partition in one
 * thread's stream never go back a generation.
 * Once the vocabulary is known, each partition's last map gives final ids and
 * the earlier maps are composed with it (w2v_count_compose_maps).
 *
 * Without pruning the provisional ids depend on the thread timing, but the
 * vocabulary (sorted by count, then bytes) and the final id stream do not. */
#ifndef W2V_COUNT_H
#define W2V_COUNT_H

#include "w2v/word_table.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define W2V_ID_DROPPED     UINT32_MAX /* in a map: the word is gone (pruned, or not kept) */
#define W2V_COUNT_LINE_END UINT32_MAX /* in an encoder's stream: never a provisional id */

/* Tuning: tokens per bin; the most partitions; the least budget a partition
 * gets (fewer partitions under a tiny budget, so each can hold some words). */
enum {
    W2V_COUNT_BIN = 256,
    W2V_COUNT_MAX_PARTITIONS = 256,
    W2V_COUNT_MIN_PARTITION_BUDGET = 64 << 10
};

struct w2v_count_partition {
    pthread_mutex_t lock;
    struct w2v_word_table table;
    uint64_t reduce;       /* the next prune drops words seen at most this many times */
    uint64_t pruned_words; /* each time dropped */
    uint32_t generation;   /* prunes so far */
    uint32_t **maps;       /* maps[g], g < generation: gen-g index -> gen-(g+1) index;
                              after the vocabulary: maps[g] for g <= generation -> final id */
    uint32_t *map_sizes;
    uint64_t *map_offsets; /* g < generation: where maps[g] lies in the map file (UINT64_MAX:
                              on the heap); until w2v_count_map_maps, such maps[g] are NULL */
    char padding[64];      /* the next partition's lock on another cache line */
};

struct w2v_count_tables {
    struct w2v_count_partition *parts;
    uint32_t partitions;     /* a power of two */
    uint32_t partition_bits; /* log2(partitions) */
    uint32_t index_bits;     /* 32 - partition_bits */
    uint32_t index_mask; /* 2^index_bits - 1: a partition holds fewer words (a full one prunes) */
    uint64_t budget;     /* bytes of table per partition */
    /* Prune maps (4 B per word of a pruned table, each prune) go to map_fd,
     * not the heap, so many prunes do not outgrow the budget; -1: the heap.
     * Without keep_maps (no id stream to remap) they are not kept at all. */
    int map_fd;
    bool keep_maps;
    pthread_mutex_t map_lock;
    uint64_t map_file_bytes;
    void *map_mapping; /* the map file, mapped shared (its pages are the file's) */
};

/* Partitions for `memory` bytes (0: w2v_vocab_default_memory()); prune maps
 * on the heap and kept. The caller may then hand over a map file (map_fd, an
 * unlinked temporary that free closes) or clear keep_maps. */
void w2v_count_tables_init(struct w2v_count_tables *tables, uint64_t memory);
void w2v_count_tables_free(struct w2v_count_tables *tables);

static inline uint32_t w2v_count_partition_of(const struct w2v_count_tables *tables,
                                              uint64_t hash) {
    /* the top bits: slots use the low ones, the slot tag the high 32 */
    return tables->partition_bits ? (uint32_t)(hash >> (64 - tables->partition_bits)) : 0;
}

/* Adds `count` to the word under the partition's lock, pruning if it is then
 * over budget; returns the word's provisional id (in the generation before
 * that prune). For tests and synthetic counts; counting threads use bins. */
uint32_t w2v_count_add(struct w2v_count_tables *tables, const char *word, uint32_t len,
                       uint64_t count);

/* Maps the map file, so every kept maps[g] can be read and composed; 0, or
 * -1 with w2v_error set. */
int w2v_count_map_maps(struct w2v_count_tables *tables);

/* After the vocabulary filled each partition's maps[generation] (word index
 * -> final id) and w2v_count_map_maps: composes every earlier map with the
 * later ones. */
void w2v_count_compose_maps(struct w2v_count_tables *tables);

/* The final id of `provisional` in generation `generation` of its partition. */
static inline uint32_t w2v_count_final_id(const struct w2v_count_tables *tables,
                                          uint32_t generation, uint32_t provisional) {
    uint32_t p = (uint32_t)((uint64_t)provisional >> tables->index_bits);
    return tables->parts[p].maps[generation][provisional & tables->index_mask];
}

/* ---- a counting thread ---- */

struct w2v_count_entry {
    uint64_t hash;
    const char *word;
    uint32_t len;
    uint32_t slot; /* index into the counter's output buffer */
};

struct w2v_count_event {
    uint64_t position; /* in the thread's stream: from here on... */
    uint32_t partition;
    uint32_t generation; /* ...this partition's ids are of this generation */
};

struct w2v_counter {
    struct w2v_count_tables *tables;
    struct w2v_count_entry *bins; /* partitions × W2V_COUNT_BIN */
    uint32_t *filled;             /* per partition */
    uint32_t *generation;         /* per partition: the generation of this thread's latest ids */
    struct w2v_count_event *events;
    uint64_t event_count, event_capacity;
    uint32_t *out;     /* flushed bins write ids here (NULL: count only) */
    uint64_t out_base; /* the stream position of out[0] */
};

void w2v_counter_init(struct w2v_counter *counter, struct w2v_count_tables *tables, uint32_t *out);
void w2v_counter_free(struct w2v_counter *counter);

/* Inserts bin p into its partition (one lock), writing ids into out. */
void w2v_counter_flush_bin(struct w2v_counter *counter, uint32_t p);

/* Every bin: the caller then may read its output buffer or drop the text. */
void w2v_counter_flush(struct w2v_counter *counter);

/* Counts one token; its provisional id lands in out[slot] by the next flush. */
static inline void w2v_counter_add(struct w2v_counter *counter, const char *word, uint32_t len,
                                   uint32_t slot) {
    uint64_t hash = w2v_hash_word(word, len);
    uint32_t p = w2v_count_partition_of(counter->tables, hash);
    uint32_t filled = counter->filled[p]++;
    counter->bins[(size_t)p * W2V_COUNT_BIN + filled] =
        (struct w2v_count_entry){hash, word, len, slot};
    if (filled + 1 == W2V_COUNT_BIN) w2v_counter_flush_bin(counter, p);
}

/* Sorts the events by stream position (the remap pass reads them in order). */
void w2v_counter_sort_events(struct w2v_counter *counter);

#endif
