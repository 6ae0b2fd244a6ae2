/* vocab.c — counters under a memory budget (with word2vec.c-style pruning),
 * the partitioned parallel merge, selection and sorting into a vocabulary,
 * and word2vec.c's vocabulary file (see vocab.h). */
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

/* Builds vocab from the sort keys (which point into tables the caller keeps). */
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
    w2v_word_table_init(&vocab->table, kept);
    for (size_t i = 0; i < kept; i++) {
        const struct sort_key *key = &keys[i];
        w2v_word_table_add(&vocab->table, key->word, key->len, w2v_hash_word(key->word, key->len),
                           key->count);
    }
    vocab->size = (uint32_t)kept;
    vocab->total_count = total;
    return 0;
}

/* Appends the words of `table` seen at least min_count times to keys. */
static size_t collect_keys(const struct w2v_word_table *table, uint64_t min_count,
                           struct sort_key *keys) {
    size_t kept = 0;
    for (uint32_t i = 0; i < table->count; i++)
        if (table->counts[i] >= min_count)
            keys[kept++] = (struct sort_key){table->counts[i], w2v_word_table_word(table, i),
                                             table->lengths[i]};
    return kept;
}

/* ---- counters ---- */

void w2v_vocab_counter_init(struct w2v_vocab_counter *counter, uint64_t budget_bytes) {
    memset(counter, 0, sizeof *counter);
    counter->budget = budget_bytes;
    counter->reduce = 1;
    w2v_word_table_init(&counter->table, 1 << 14);
}

void w2v_vocab_counter_free(struct w2v_vocab_counter *counter) {
    w2v_word_table_free(&counter->table);
    for (uint32_t g = 0; counter->maps && g <= counter->generations; g++)
        w2v_free(counter->maps[g]);
    w2v_free(counter->maps);
    w2v_free(counter->map_sizes);
    memset(counter, 0, sizeof *counter);
}

uint32_t w2v_vocab_counter_add(struct w2v_vocab_counter *counter, const char *word, uint32_t len) {
    int64_t id = w2v_word_table_add(&counter->table, word, len, w2v_hash_word(word, len), 1);
    if (id < 0) {
        snprintf(counter->error, sizeof counter->error, "%s", w2v_last_error());
        return W2V_ID_DROPPED;
    }
    return (uint32_t)id;
}

/* word2vec.c's ReduceVocab: drop the words seen at most `reduce` times, then
 * raise `reduce`; again until the table is back under three quarters of its
 * budget. Each round records the map old index -> new index. */
void w2v_vocab_counter_prune(struct w2v_vocab_counter *counter) {
    do {
        struct w2v_word_table *old = &counter->table, fresh;
        uint32_t kept = 0;
        for (uint32_t i = 0; i < old->count; i++) kept += old->counts[i] > counter->reduce;
        w2v_word_table_init(&fresh, kept);
        uint32_t *map = w2v_xmalloc((old->count + 1ull) * sizeof *map);
        for (uint32_t i = 0; i < old->count; i++) {
            if (old->counts[i] <= counter->reduce) {
                map[i] = W2V_ID_DROPPED;
                counter->pruned_words++;
                continue;
            }
            const char *word = w2v_word_table_word(old, i);
            map[i] =
                (uint32_t)w2v_word_table_add(&fresh, word, old->lengths[i],
                                             w2v_hash_word(word, old->lengths[i]), old->counts[i]);
        }
        counter->maps =
            w2v_xrealloc(counter->maps, (counter->generations + 2ull) * sizeof(uint32_t *));
        counter->map_sizes =
            w2v_xrealloc(counter->map_sizes, (counter->generations + 2ull) * sizeof(uint32_t));
        counter->maps[counter->generations] = map;
        counter->map_sizes[counter->generations] = old->count;
        counter->maps[counter->generations + 1] = NULL;
        counter->generations++;
        w2v_word_table_free(old);
        counter->table = fresh;
        counter->reduce++;
    } while (counter->table.count > 0 &&
             w2v_word_table_bytes(&counter->table) > counter->budget / 4 * 3);
}

/* After the vocabulary is known: maps[last] = provisional -> final id, and
 * each earlier generation's map composed with the ones after it. */
static void counter_finish(struct w2v_vocab_counter *counter, const struct w2v_vocab *vocab) {
    const struct w2v_word_table *table = &counter->table;
    uint32_t last = counter->generations;
    counter->maps = w2v_xrealloc(counter->maps, (last + 1ull) * sizeof(uint32_t *));
    counter->map_sizes = w2v_xrealloc(counter->map_sizes, (last + 1ull) * sizeof(uint32_t));
    uint32_t *final = w2v_xmalloc((table->count + 1ull) * sizeof *final);
    for (uint32_t i = 0; i < table->count; i++) {
        int64_t id = w2v_vocab_find(vocab, w2v_word_table_word(table, i), table->lengths[i]);
        final[i] = id < 0 ? W2V_ID_DROPPED : (uint32_t)id;
    }
    counter->maps[last] = final;
    counter->map_sizes[last] = table->count;
    for (uint32_t g = last; g-- > 0;) {
        uint32_t *map = counter->maps[g];
        const uint32_t *next = counter->maps[g + 1];
        for (uint32_t i = 0; i < counter->map_sizes[g]; i++)
            map[i] = map[i] == W2V_ID_DROPPED ? W2V_ID_DROPPED : next[map[i]];
    }
    w2v_word_table_free(&counter->table);
}

/* ---- the partitioned merge ---- */

struct merge_job {
    struct w2v_vocab_counter *counters;
    uint32_t count, partition, partitions;
    struct w2v_word_table table; /* the words of this partition, all counters together */
    const struct w2v_vocab *vocab;
    int remap;
    char error[W2V_ERROR_MAX];
};

static uint32_t partition_of(uint64_t hash, uint32_t partitions) {
    return (uint32_t)((hash >> 40) % partitions); /* slots use the low bits */
}

static void *merge_partition(void *arg) {
    struct merge_job *job = arg;
    w2v_word_table_init(&job->table, 1 << 14);
    for (uint32_t c = 0; c < job->count; c++) {
        const struct w2v_word_table *part = &job->counters[c].table;
        for (uint32_t i = 0; i < part->count; i++) {
            const char *word = w2v_word_table_word(part, i);
            uint64_t hash = w2v_hash_word(word, part->lengths[i]);
            if (partition_of(hash, job->partitions) != job->partition) continue;
            if (w2v_word_table_add(&job->table, word, part->lengths[i], hash, part->counts[i]) <
                0) {
                snprintf(job->error, sizeof job->error, "%s", w2v_last_error());
                return NULL;
            }
        }
    }
    return NULL;
}

static void *finish_counter(void *arg) {
    struct merge_job *job = arg;
    counter_finish(&job->counters[job->partition], job->vocab);
    return NULL;
}

int w2v_vocab_merge(struct w2v_vocab *vocab, struct w2v_vocab_counter *counters, uint32_t count,
                    const struct w2v_vocab_options *options, int remap, const char *source,
                    struct w2v_vocab_report *report) {
    memset(vocab, 0, sizeof *vocab);
    int status = 0;
    uint64_t tokens = 0, truncated = 0, pruned = 0, threshold = 0;
    for (uint32_t c = 0; c < count; c++) {
        if (counters[c].error[0] && status == 0) status = w2v_error("%s", counters[c].error);
        tokens += counters[c].tokens;
        truncated += counters[c].truncated;
        pruned += counters[c].pruned_words;
        if (counters[c].generations && counters[c].reduce > threshold)
            threshold = counters[c].reduce; /* dropped: seen fewer than `reduce` times */
    }
    /* One counter is its own only partition; more are spread over `count` partitions. */
    struct merge_job *jobs = w2v_xcalloc(count, sizeof *jobs);
    const struct w2v_word_table **tables = w2v_xmalloc(count * sizeof *tables);
    uint32_t partitions = count;
    if (status == 0 && count == 1) {
        tables[0] = &counters[0].table;
    } else if (status == 0) {
        for (uint32_t p = 0; p < count; p++)
            jobs[p] = (struct merge_job){
                .counters = counters, .count = count, .partition = p, .partitions = partitions};
        w2v_run_parallel(merge_partition, jobs, sizeof *jobs, count);
        for (uint32_t p = 0; p < count; p++) {
            if (jobs[p].error[0] && status == 0) status = w2v_error("%s", jobs[p].error);
            tables[p] = &jobs[p].table;
        }
    }
    uint64_t distinct = 0;
    for (uint32_t p = 0; status == 0 && p < partitions; p++) distinct += tables[p]->count;
    if (status == 0 && tokens == 0) status = w2v_error("corpus '%s' contains no words", source);
    if (status == 0) {
        struct sort_key *keys = w2v_xmalloc((distinct + 1) * sizeof *keys);
        size_t kept = 0;
        for (uint32_t p = 0; p < partitions; p++)
            kept += collect_keys(tables[p], options->min_count, keys + kept);
        status = finalize(vocab, keys, kept, options, source);
        w2v_free(keys);
    }
    if (count > 1)
        for (uint32_t p = 0; p < count; p++) w2v_word_table_free(&jobs[p].table);
    if (status == 0 && remap) {
        for (uint32_t c = 0; c < count; c++)
            jobs[c] = (struct merge_job){.counters = counters, .partition = c, .vocab = vocab};
        w2v_run_parallel(finish_counter, jobs, sizeof *jobs, count);
    }
    if (status != 0) w2v_vocab_free(vocab);
    if (report) {
        report->corpus_tokens = tokens;
        report->distinct_words = distinct;
        report->truncated_tokens = truncated;
        report->pruned_words = pruned;
        report->prune_threshold = threshold;
    }
    w2v_free(tables);
    w2v_free(jobs);
    return status;
}

/* ---- counting a mapped corpus without an id stream ---- */

struct count_job {
    const char *begin, *end;
    uint32_t max_token_bytes;
    struct w2v_vocab_counter *counter;
};

static void *count_chunk(void *arg) {
    struct count_job *job = arg;
    struct w2v_vocab_counter *counter = job->counter;
    struct w2v_tokenizer tokenizer;
    w2v_tokenizer_init(&tokenizer, job->begin, job->end, job->max_token_bytes);
    const char *word;
    uint32_t len;
    enum w2v_token_kind kind;
    while ((kind = w2v_tokenizer_next(&tokenizer, &word, &len)) != W2V_TOKEN_END) {
        if (kind != W2V_TOKEN_WORD) continue;
        if (w2v_vocab_counter_add(counter, word, len) == W2V_ID_DROPPED) break;
        counter->tokens++;
        if (w2v_vocab_counter_over_budget(counter)) w2v_vocab_counter_prune(counter);
    }
    counter->truncated = tokenizer.truncated;
    return NULL;
}

int w2v_vocab_build(struct w2v_vocab *vocab, const struct w2v_corpus *corpus,
                    const struct w2v_vocab_options *options, struct w2v_vocab_report *report) {
    double start = w2v_now();
    memset(vocab, 0, sizeof *vocab);
    uint32_t threads = options->threads ? options->threads : 1;
    uint64_t memory = options->memory ? options->memory : w2v_vocab_default_memory();
    size_t *bounds = w2v_corpus_chunks(corpus, threads);
    struct count_job *jobs = w2v_xcalloc(threads, sizeof *jobs);
    struct w2v_vocab_counter *counters = w2v_xcalloc(threads, sizeof *counters);
    for (uint32_t t = 0; t < threads; t++) {
        w2v_vocab_counter_init(&counters[t], memory / threads);
        jobs[t] = (struct count_job){corpus->data + bounds[t], corpus->data + bounds[t + 1],
                                     options->max_token_bytes, &counters[t]};
    }
    w2v_run_parallel(count_chunk, jobs, sizeof *jobs, threads);
    int status = w2v_vocab_merge(vocab, counters, threads, options, 0, corpus->path, report);
    for (uint32_t t = 0; t < threads; t++) w2v_vocab_counter_free(&counters[t]);
    if (report) report->seconds = w2v_now() - start;
    w2v_free(counters);
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
        size_t kept = collect_keys(&counted, options->min_count, keys);
        status = finalize(vocab, keys, kept, options, path);
        w2v_free(keys);
    }
    w2v_free(line);
    fclose(fp);
    w2v_word_table_free(&counted);
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
        w2v_word_table_add(&vocab->table, word, lengths[i], hash, counts[i]);
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
