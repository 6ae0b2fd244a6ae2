/* count.c — counting tables owned by hash partition: bins, one lock per bin,
 * word2vec.c-style pruning per partition with maps between generations (see
 * count.h).
 *
 * Why bins: a token's partition is known from its hash, but taking a lock per
 * token would cost more than the table lookup. A bin of W2V_COUNT_BIN tokens
 * for one partition is inserted under one lock, and its words land in one
 * small table (a 1/P share of the words), so the lookups stay in cache. Why
 * not per-thread tables merged afterwards: a word seen by k threads was
 * stored k times (the 10M-distinct-word corpus peaked at 2.35 GB with two
 * threads), and the merge needed tables of its own. */
#include "w2v/count.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/vocab.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void w2v_count_tables_init(struct w2v_count_tables *tables, uint64_t memory) {
    memset(tables, 0, sizeof *tables);
    if (memory == 0) memory = w2v_vocab_default_memory();
    uint32_t bits = 0;
    while ((1u << bits) < W2V_COUNT_MAX_PARTITIONS &&
           memory >> (bits + 1) >= W2V_COUNT_MIN_PARTITION_BUDGET)
        bits++;
    tables->partitions = 1u << bits;
    tables->partition_bits = bits;
    tables->index_bits = 32 - bits;
    tables->index_mask = (uint32_t)((1ull << tables->index_bits) - 1);
    tables->budget = memory >> bits;
    tables->map_fd = -1;
    tables->keep_maps = true;
    pthread_mutex_init(&tables->map_lock, NULL);
    tables->parts = w2v_xcalloc(tables->partitions, sizeof *tables->parts);
    for (uint32_t p = 0; p < tables->partitions; p++) {
        struct w2v_count_partition *part = &tables->parts[p];
        pthread_mutex_init(&part->lock, NULL);
        w2v_word_table_init(&part->table, 0);
        part->reduce = 1;
    }
}

void w2v_count_tables_free(struct w2v_count_tables *tables) {
    for (uint32_t p = 0; tables->parts && p < tables->partitions; p++) {
        struct w2v_count_partition *part = &tables->parts[p];
        pthread_mutex_destroy(&part->lock);
        w2v_word_table_free(&part->table);
        for (uint32_t g = 0; part->maps && g <= part->generation; g++)
            if (g == part->generation || part->map_offsets[g] == UINT64_MAX)
                w2v_free(part->maps[g]); /* not in the mapped file */
        w2v_free(part->maps);
        w2v_free(part->map_sizes);
        w2v_free(part->map_offsets);
    }
    if (tables->map_mapping) munmap(tables->map_mapping, tables->map_file_bytes);
    if (tables->map_fd >= 0) close(tables->map_fd);
    if (tables->parts) pthread_mutex_destroy(&tables->map_lock);
    w2v_free(tables->parts);
    memset(tables, 0, sizeof *tables);
}

/* ---- pruning ---- */

/* Does the partition's table take more than `budget` bytes, hold `words`, or
 * half the 4 GiB its 32-bit arena offsets reach (a budget of terabytes)? */
static int over_budget(const struct w2v_count_partition *part, uint64_t budget, uint32_t words) {
    return w2v_word_table_bytes(&part->table) > budget || part->table.count >= words ||
           part->table.arena_used > UINT32_MAX / 2;
}

/* Appends a prune map to the map file; its offset, or UINT64_MAX if it could
 * not be written (it then stays on the heap). */
static uint64_t spill_map(struct w2v_count_tables *tables, const uint32_t *map, uint32_t size) {
    uint64_t bytes = (uint64_t)size * sizeof *map;
    pthread_mutex_lock(&tables->map_lock);
    uint64_t offset = tables->map_file_bytes;
    tables->map_file_bytes += bytes; /* a failed write leaves an unused hole */
    pthread_mutex_unlock(&tables->map_lock);
    const char *data = (const char *)map;
    for (uint64_t done = 0; done < bytes;) {
        ssize_t wrote = pwrite(tables->map_fd, data + done, bytes - done, (off_t)(offset + done));
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) return UINT64_MAX;
        done += (uint64_t)wrote;
    }
    return offset;
}

/* word2vec.c's ReduceVocab on one partition (its lock held): drop the words
 * seen at most `reduce` times, then raise `reduce`; again until the table is
 * under three quarters of its budget (and of its index space). Each round
 * records the map old index -> new index. */
static void prune(struct w2v_count_tables *tables, struct w2v_count_partition *part) {
    uint64_t budget = tables->budget / 4 * 3;
    uint32_t words = tables->index_mask / 4 * 3;
    do {
        struct w2v_word_table *old = &part->table, fresh;
        uint32_t kept = 0;
        for (uint32_t i = 0; i < old->count; i++) kept += old->counts[i] > part->reduce;
        w2v_word_table_init(&fresh, kept);
        uint32_t *map = w2v_xmalloc((old->count + 1ull) * sizeof *map);
        for (uint32_t i = 0; i < old->count; i++) {
            if (old->counts[i] <= part->reduce) {
                map[i] = W2V_ID_DROPPED;
                part->pruned_words++;
                continue;
            }
            const char *word = w2v_word_table_word(old, i);
            map[i] =
                (uint32_t)w2v_word_table_add(&fresh, word, old->lengths[i],
                                             w2v_hash_word(word, old->lengths[i]), old->counts[i]);
        }
        uint32_t g = part->generation++;
        part->maps = w2v_xrealloc(part->maps, (g + 2ull) * sizeof *part->maps);
        part->map_sizes = w2v_xrealloc(part->map_sizes, (g + 2ull) * sizeof *part->map_sizes);
        part->map_offsets = w2v_xrealloc(part->map_offsets, (g + 2ull) * sizeof *part->map_offsets);
        part->map_offsets[g] = UINT64_MAX;
        if (!tables->keep_maps) {
            w2v_free(map);
            map = NULL;
        } else if (tables->map_fd >= 0 &&
                   (part->map_offsets[g] = spill_map(tables, map, old->count)) != UINT64_MAX) {
            w2v_free(map); /* in the file until w2v_count_map_maps */
            map = NULL;
        }
        part->maps[g] = map;
        part->map_sizes[g] = old->count;
        part->maps[g + 1] = NULL;
        w2v_word_table_free(old);
        part->table = fresh;
        part->reduce++;
    } while (part->table.count > 0 && over_budget(part, budget, words));
}

/* Adds one word to a partition whose lock is held; its index. Adding cannot
 * fail: a partition prunes before its table fills or its arena passes 2 GiB
 * (a word is at most max_token_bytes). */
static uint32_t add_locked(struct w2v_count_partition *part, const char *word, uint32_t len,
                           uint64_t hash, uint64_t count) {
    return (uint32_t)w2v_word_table_add(&part->table, word, len, hash, count);
}

uint32_t w2v_count_add(struct w2v_count_tables *tables, const char *word, uint32_t len,
                       uint64_t count) {
    uint64_t hash = w2v_hash_word(word, len);
    uint32_t p = w2v_count_partition_of(tables, hash);
    struct w2v_count_partition *part = &tables->parts[p];
    pthread_mutex_lock(&part->lock);
    uint32_t index = add_locked(part, word, len, hash, count);
    if (over_budget(part, tables->budget, tables->index_mask)) prune(tables, part);
    pthread_mutex_unlock(&part->lock);
    return (uint32_t)((uint64_t)p << tables->index_bits) | index;
}

/* ---- the vocabulary known: final maps ---- */

int w2v_count_map_maps(struct w2v_count_tables *tables) {
    if (tables->map_file_bytes == 0 || tables->map_mapping) return 0;
    void *mapping =
        mmap(NULL, tables->map_file_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, tables->map_fd, 0);
    if (mapping == MAP_FAILED)
        return w2v_error("cannot map the temporary prune maps: %s", strerror(errno));
    tables->map_mapping = mapping;
    for (uint32_t p = 0; p < tables->partitions; p++) {
        struct w2v_count_partition *part = &tables->parts[p];
        for (uint32_t g = 0; g < part->generation; g++)
            if (part->map_offsets[g] != UINT64_MAX)
                part->maps[g] = (uint32_t *)((char *)mapping + part->map_offsets[g]);
    }
    return 0;
}

void w2v_count_compose_maps(struct w2v_count_tables *tables) {
    for (uint32_t p = 0; p < tables->partitions; p++) {
        struct w2v_count_partition *part = &tables->parts[p];
        for (uint32_t g = part->generation; g-- > 0;) {
            uint32_t *map = part->maps[g];
            const uint32_t *next = part->maps[g + 1];
            for (uint32_t i = 0; i < part->map_sizes[g]; i++)
                map[i] = map[i] == W2V_ID_DROPPED ? W2V_ID_DROPPED : next[map[i]];
        }
    }
}

/* ---- a counting thread ---- */

void w2v_counter_init(struct w2v_counter *counter, struct w2v_count_tables *tables, uint32_t *out) {
    memset(counter, 0, sizeof *counter);
    counter->tables = tables;
    counter->out = out;
    counter->bins = w2v_xmalloc((size_t)tables->partitions * W2V_COUNT_BIN * sizeof *counter->bins);
    counter->filled = w2v_xcalloc(tables->partitions, sizeof *counter->filled);
    counter->generation = w2v_xcalloc(tables->partitions, sizeof *counter->generation);
}

void w2v_counter_free(struct w2v_counter *counter) {
    w2v_free(counter->bins);
    w2v_free(counter->filled);
    w2v_free(counter->generation);
    w2v_free(counter->events);
    memset(counter, 0, sizeof *counter);
}

/* The ids this counter writes from stream position `position` on are of the
 * partition's current generation: records that if it is news. */
static void note_generation(struct w2v_counter *counter, uint32_t p, uint32_t generation,
                            uint64_t position) {
    if (generation == counter->generation[p]) return;
    if (counter->event_count == counter->event_capacity) {
        counter->event_capacity = counter->event_capacity ? counter->event_capacity * 2 : 64;
        counter->events =
            w2v_xrealloc(counter->events, counter->event_capacity * sizeof *counter->events);
    }
    counter->events[counter->event_count++] = (struct w2v_count_event){position, p, generation};
    counter->generation[p] = generation;
}

void w2v_counter_flush_bin(struct w2v_counter *counter, uint32_t p) {
    uint32_t filled = counter->filled[p];
    if (filled == 0) return;
    struct w2v_count_tables *tables = counter->tables;
    struct w2v_count_partition *part = &tables->parts[p];
    const struct w2v_count_entry *bin = counter->bins + (size_t)p * W2V_COUNT_BIN;
    const uint32_t high = (uint32_t)((uint64_t)p << tables->index_bits);
    pthread_mutex_lock(&part->lock);
    /* another thread may have pruned since this counter's last ids */
    note_generation(counter, p, part->generation, counter->out_base + bin[0].slot);
    for (uint32_t i = 0; i < filled; i++) {
        const struct w2v_count_entry *e = &bin[i];
        if (part->table.count == tables->index_mask) { /* indices stay below index_mask */
            prune(tables, part);
            note_generation(counter, p, part->generation, counter->out_base + e->slot);
        }
        uint32_t index = add_locked(part, e->word, e->len, e->hash, 1);
        if (counter->out) counter->out[e->slot] = high | index;
    }
    if (over_budget(part, tables->budget, tables->index_mask)) prune(tables, part);
    pthread_mutex_unlock(&part->lock);
    counter->filled[p] = 0;
}

void w2v_counter_flush(struct w2v_counter *counter) {
    for (uint32_t p = 0; p < counter->tables->partitions; p++) w2v_counter_flush_bin(counter, p);
}

static int by_position(const void *a, const void *b) {
    const struct w2v_count_event *x = a, *y = b;
    return (x->position > y->position) - (x->position < y->position);
}

void w2v_counter_sort_events(struct w2v_counter *counter) {
    if (counter->event_count > 1)
        qsort(counter->events, counter->event_count, sizeof *counter->events, by_position);
}
