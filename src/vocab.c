/* vocab.c — the vocabulary from the counting partitions (selection and
 * sorting, final maps), parallel counting of a mapped corpus, and
 * word2vec.c's vocabulary file (see vocab.h). */
#include "w2v/vocab.h"

#include "w2v/alloc.h"
#include "w2v/atomic_file.h"
#include "w2v/error.h"
#include "w2v/parallel.h"
#include "w2v/timer.h"
#include "w2v/tokenizer.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

uint64_t w2v_vocab_default_memory(void) {
    long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
    uint64_t quarter = pages > 0 && page_size > 0 ? (uint64_t)pages * (uint64_t)page_size / 4 : 0;
    const uint64_t low = 64ull << 20, high = 4ull << 30;
    return quarter < low ? low : quarter > high ? high : quarter;
}

/* ---- sorting and cutting counts into a vocabulary ---- */

struct sort_key {
    uint64_t count;
    const char *word;
    uint32_t len;
    uint32_t id; /* provisional id (counting tables) or index (a read file's table) */
};

static int by_count_then_bytes(const void *a, const void *b) {
    const struct sort_key *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    uint32_t shorter = x->len < y->len ? x->len : y->len;
    int order = memcmp(x->word, y->word, shorter);
    if (order) return order;
    return (x->len > y->len) - (x->len < y->len);
}

static void swap_keys(struct sort_key *a, struct sort_key *b) {
    struct sort_key t = *a;
    *a = *b, *b = t;
}

/* Quickselect: afterwards keys[0..k) are the k first in by_count_then_bytes
 * order (in no particular order among themselves). Expected linear time. */
static void select_first(struct sort_key *keys, size_t n, size_t k) {
    size_t low = 0, high = n; /* the k-th lies in [low, high) */
    while (high - low > 1) {
        size_t mid = low + (high - low) / 2, last = high - 1;
        /* median of three to the end as the pivot */
        if (by_count_then_bytes(&keys[mid], &keys[low]) < 0) swap_keys(&keys[mid], &keys[low]);
        if (by_count_then_bytes(&keys[last], &keys[low]) < 0) swap_keys(&keys[last], &keys[low]);
        if (by_count_then_bytes(&keys[mid], &keys[last]) < 0) swap_keys(&keys[mid], &keys[last]);
        size_t store = low;
        for (size_t i = low; i < last; i++)
            if (by_count_then_bytes(&keys[i], &keys[last]) < 0) swap_keys(&keys[i], &keys[store++]);
        swap_keys(&keys[store], &keys[last]); /* the pivot's final place */
        if (store == k || store + 1 == k) return;
        if (store < k)
            low = store + 1;
        else
            high = store;
    }
}

/* Builds vocab from the sort keys (which point into tables the caller keeps)
 * without its hash slots: the caller frees the keys' tables, then indexes it
 * (w2v_word_table_index), so the two are never held with the slots at once.
 * Afterwards keys[0..vocab->size) are the kept words in id order. */
static int finalize(struct w2v_vocab *vocab, struct sort_key *keys, size_t kept,
                    const struct w2v_vocab_options *options, const char *source) {
    if (kept == 0)
        return w2v_error("the vocabulary is empty: no word in %s occurs at least %" PRIu64
                         " times (--min-count)",
                         source, options->min_count);
    if (options->max_size && kept > options->max_size) {
        select_first(keys, kept, options->max_size);
        kept = options->max_size;
    }
    qsort(keys, kept, sizeof *keys, by_count_then_bytes);
    uint64_t total = 0;
    for (size_t i = 0; i < kept; i++)
        if (__builtin_add_overflow(total, keys[i].count, &total) || total > INT64_MAX)
            return w2v_error("the word counts of %s add up to more than 2^63 - 1: refused (a "
                             "count that large is not a real corpus)",
                             source);
    uint64_t bytes = 0;
    for (size_t i = 0; i < kept; i++) bytes += keys[i].len + 1;
    w2v_word_table_init(&vocab->table, 0);
    w2v_word_table_free_slots(&vocab->table);
    w2v_word_table_reserve(&vocab->table, (uint32_t)kept, bytes);
    for (size_t i = 0; i < kept; i++)
        if (w2v_word_table_append(&vocab->table, keys[i].word, keys[i].len, keys[i].count) < 0) {
            w2v_word_table_free(&vocab->table);
            return -1;
        }
    vocab->size = (uint32_t)kept;
    vocab->total_count = total;
    return 0;
}

/* Appends the words of `table` seen at least min_count times to keys, their
 * ids `high` | index. */
static size_t collect_keys(const struct w2v_word_table *table, uint64_t min_count, uint32_t high,
                           struct sort_key *keys) {
    size_t kept = 0;
    for (uint32_t i = 0; i < table->count; i++)
        if (table->counts[i] >= min_count)
            keys[kept++] = (struct sort_key){table->counts[i], w2v_word_table_word(table, i),
                                             table->lengths[i], high | i};
    return kept;
}

/* ---- from the counting tables ---- */

int w2v_vocab_from_counts(struct w2v_vocab *vocab, struct w2v_count_tables *tables,
                          const struct w2v_vocab_options *options, int remap, const char *source,
                          struct w2v_vocab_report *report) {
    memset(vocab, 0, sizeof *vocab);
    uint64_t distinct = 0, pruned = 0, threshold = 0;
    for (uint32_t p = 0; p < tables->partitions; p++) {
        const struct w2v_count_partition *part = &tables->parts[p];
        distinct += part->table.count;
        pruned += part->pruned_words;
        if (part->generation && part->reduce > threshold)
            threshold = part->reduce; /* dropped: seen fewer than `reduce` times */
    }
    report->distinct_words = distinct;
    report->pruned_words = pruned;
    report->prune_threshold = threshold;
    if (report->corpus_tokens == 0) return w2v_error("corpus '%s' contains no words", source);
    /* counting is over: the partitions are read by index only (a third of
     * their memory goes before the sort keys and the vocabulary are made) */
    for (uint32_t p = 0; p < tables->partitions; p++)
        w2v_word_table_free_slots(&tables->parts[p].table);
    struct sort_key *keys = w2v_xmalloc((distinct + 1) * sizeof *keys);
    size_t kept = 0;
    for (uint32_t p = 0; p < tables->partitions; p++)
        kept += collect_keys(&tables->parts[p].table, options->min_count,
                             (uint32_t)((uint64_t)p << tables->index_bits), keys + kept);
    int status = finalize(vocab, keys, kept, options, source);
    if (status == 0 && remap) {
        /* each partition's last generation: word index -> final id */
        for (uint32_t p = 0; p < tables->partitions; p++) {
            struct w2v_count_partition *part = &tables->parts[p];
            uint32_t g = part->generation, count = part->table.count;
            part->maps = w2v_xrealloc(part->maps, (g + 1ull) * sizeof *part->maps);
            part->map_sizes = w2v_xrealloc(part->map_sizes, (g + 1ull) * sizeof *part->map_sizes);
            part->maps[g] = w2v_xmalloc((count + 1ull) * sizeof **part->maps);
            part->map_sizes[g] = count;
            for (uint32_t i = 0; i < count; i++) part->maps[g][i] = W2V_ID_DROPPED;
        }
        for (uint32_t id = 0; id < vocab->size; id++) {
            uint32_t provisional = keys[id].id;
            uint32_t p = (uint32_t)((uint64_t)provisional >> tables->index_bits);
            struct w2v_count_partition *part = &tables->parts[p];
            part->maps[part->generation][provisional & tables->index_mask] = id;
        }
        status = w2v_count_map_maps(tables);
        if (status == 0) w2v_count_compose_maps(tables);
    }
    w2v_free(keys);
    for (uint32_t p = 0; p < tables->partitions; p++) /* the words are copied */
        w2v_word_table_free(&tables->parts[p].table);
    if (status == 0) w2v_word_table_index(&vocab->table);
    if (status != 0) w2v_vocab_free(vocab);
    return status;
}

/* ---- counting a mapped corpus without an id stream ---- */

struct count_job {
    const char *begin, *end;
    uint32_t max_token_bytes;
    struct w2v_count_tables *tables;
    uint64_t tokens, truncated;
};

static void *count_chunk(void *arg) {
    struct count_job *job = arg;
    struct w2v_counter counter;
    w2v_counter_init(&counter, job->tables, NULL);
    struct w2v_tokenizer tokenizer;
    w2v_tokenizer_init(&tokenizer, job->begin, job->end, job->max_token_bytes);
    const char *word;
    uint32_t len;
    enum w2v_token_kind kind;
    while ((kind = w2v_tokenizer_next(&tokenizer, &word, &len)) != W2V_TOKEN_END) {
        if (kind != W2V_TOKEN_WORD) continue;
        w2v_counter_add(&counter, word, len, 0);
        job->tokens++;
    }
    w2v_counter_flush(&counter);
    w2v_counter_free(&counter);
    job->truncated = tokenizer.truncated;
    return NULL;
}

int w2v_vocab_build(struct w2v_vocab *vocab, const struct w2v_corpus *corpus,
                    const struct w2v_vocab_options *options, struct w2v_vocab_report *report) {
    double start = w2v_now();
    memset(vocab, 0, sizeof *vocab);
    uint32_t threads = options->threads ? options->threads : 1;
    size_t *bounds = w2v_corpus_chunks(corpus, threads);
    struct count_job *jobs = w2v_xcalloc(threads, sizeof *jobs);
    struct w2v_count_tables tables;
    w2v_count_tables_init(&tables, options->memory);
    tables.keep_maps = false; /* no id stream to remap */
    for (uint32_t t = 0; t < threads; t++)
        jobs[t] = (struct count_job){corpus->data + bounds[t],
                                     corpus->data + bounds[t + 1],
                                     options->max_token_bytes,
                                     &tables,
                                     0,
                                     0};
    w2v_run_parallel(count_chunk, jobs, sizeof *jobs, threads);
    struct w2v_vocab_report counted = {0};
    for (uint32_t t = 0; t < threads; t++) {
        counted.corpus_tokens += jobs[t].tokens;
        counted.truncated_tokens += jobs[t].truncated;
    }
    int status = w2v_vocab_from_counts(vocab, &tables, options, 0, corpus->path, &counted);
    w2v_count_tables_free(&tables);
    counted.seconds = w2v_now() - start;
    if (report) *report = counted;
    w2v_free(jobs);
    w2v_free(bounds);
    return status;
}

/* ---- word2vec.c's vocabulary file ---- */

void w2v_vocab_write_stream(FILE *fp, const struct w2v_vocab *vocab) {
    for (uint32_t id = 0; id < vocab->size; id++)
        fprintf(fp, "%s %" PRIu64 "\n", w2v_vocab_word(vocab, id), w2v_vocab_count(vocab, id));
}

int w2v_vocab_save(const struct w2v_vocab *vocab, const char *path) {
    struct w2v_atomic_file file;
    if (w2v_atomic_open(&file, path) != 0) return -1;
    w2v_vocab_write_stream(file.fp, vocab);
    return w2v_atomic_commit(&file);
}

enum { MAX_VOCAB_LINE = 65536 };

int w2v_vocab_read(struct w2v_vocab *vocab, const char *path,
                   const struct w2v_vocab_options *options) {
    memset(vocab, 0, sizeof *vocab);
    FILE *fp = fopen(path, "rb");
    if (!fp) return w2v_error("cannot open vocabulary '%s': %s", path, strerror(errno));
    struct w2v_word_table counted;
    w2v_word_table_init(&counted, 1 << 16);
    char *line = w2v_xmalloc(MAX_VOCAB_LINE + 2); /* the bytes, a newline and the NUL */
    uint64_t line_number = 0;
    int status = 0;
    while (status == 0 && fgets(line, MAX_VOCAB_LINE + 2, fp)) {
        line_number++;
        size_t line_len = strlen(line);
        if ((line_len == 0 || line[line_len - 1] != '\n') && !feof(fp)) {
            status = w2v_error("vocabulary '%s': line %" PRIu64 " is longer than %d bytes or holds "
                               "a NUL byte: not a vocabulary file",
                               path, line_number, MAX_VOCAB_LINE);
            break;
        }
        while (line_len > 0 && (line[line_len - 1] == '\n' || line[line_len - 1] == '\r'))
            line[--line_len] = '\0';
        if (line_len == 0) continue;
        char *space = strrchr(line, ' ');
        char *end = NULL;
        errno = 0;
        unsigned long long count = space ? strtoull(space + 1, &end, 10) : 0;
        if (!space || space == line || errno || !end || *end || space[1] == '-' || count == 0) {
            status = w2v_error("%s:%" PRIu64 ": expected 'word count', got '%.60s'", path,
                               line_number, line);
            break;
        }
        uint32_t len = (uint32_t)(space - line);
        uint64_t hash = w2v_hash_word(line, len);
        if (w2v_word_table_find(&counted, line, len, hash) >= 0) {
            status = w2v_error("%s:%" PRIu64 ": word '%.*s' appears twice", path, line_number,
                               (int)len, line);
            break;
        }
        if (w2v_word_table_add(&counted, line, len, hash, count) < 0) status = -1;
    }
    if (status == 0 && ferror(fp)) status = w2v_error("cannot read vocabulary '%s'", path);
    if (status == 0 && counted.count == 0) status = w2v_error("vocabulary '%s' is empty", path);
    if (status == 0) {
        struct sort_key *keys = w2v_xmalloc((counted.count + 1ull) * sizeof *keys);
        size_t kept = collect_keys(&counted, options->min_count, 0, keys);
        status = finalize(vocab, keys, kept, options, path);
        w2v_free(keys);
    }
    w2v_free(line);
    fclose(fp);
    w2v_word_table_free(&counted);
    if (status == 0) w2v_word_table_index(&vocab->table);
    return status;
}

int w2v_vocab_from_arrays(struct w2v_vocab *vocab, uint32_t size, const uint64_t *counts,
                          const uint32_t *lengths, const char *bytes, uint64_t bytes_size,
                          const char *source) {
    memset(vocab, 0, sizeof *vocab);
    w2v_word_table_init(&vocab->table, size);
    uint64_t offset = 0, total = 0;
    for (uint32_t i = 0; i < size; i++) {
        if (lengths[i] == 0 || lengths[i] > bytes_size - offset || counts[i] == 0 ||
            (i > 0 && counts[i] > counts[i - 1]) ||
            __builtin_add_overflow(total, counts[i], &total) || total > INT64_MAX) {
            w2v_vocab_free(vocab);
            return w2v_error("'%s' is damaged: bad vocabulary entry %u", source, i);
        }
        const char *word = bytes + offset;
        uint64_t hash = w2v_hash_word(word, lengths[i]);
        if (w2v_word_table_find(&vocab->table, word, lengths[i], hash) >= 0) {
            w2v_vocab_free(vocab);
            return w2v_error("'%s' is damaged: word %u appears twice", source, i);
        }
        if (w2v_word_table_add(&vocab->table, word, lengths[i], hash, counts[i]) < 0) {
            w2v_vocab_free(vocab);
            return -1;
        }
        offset += lengths[i];
    }
    vocab->size = size;
    vocab->total_count = total;
    return 0;
}

void w2v_vocab_free(struct w2v_vocab *vocab) {
    w2v_word_table_free(&vocab->table);
    memset(vocab, 0, sizeof *vocab);
}
