/* vocab.c — building (parallel count + merge), sorting, saving and reading the vocabulary. */
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

/* ---- sorting and cutting a table of counts into a vocabulary ---- */

struct sort_key {
    uint64_t count;
    const char *word;
    uint32_t len, index;
};

static int by_count_then_bytes(const void *a, const void *b) {
    const struct sort_key *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    uint32_t shorter = x->len < y->len ? x->len : y->len;
    int order = memcmp(x->word, y->word, shorter);
    if (order) return order;
    return (x->len > y->len) - (x->len < y->len);
}

/* Builds vocab from the counts in `counted` (which it leaves intact). */
static int finalize(struct w2v_vocab *vocab, const struct w2v_word_table *counted,
                    const struct w2v_vocab_options *options, const char *source) {
    struct sort_key *keys = w2v_xmalloc((counted->count + 1ull) * sizeof *keys);
    uint32_t kept = 0;
    for (uint32_t i = 0; i < counted->count; i++) {
        if (counted->counts[i] < options->min_count) continue;
        keys[kept++] = (struct sort_key){counted->counts[i], w2v_word_table_word(counted, i),
                                         counted->lengths[i], i};
    }
    if (kept == 0) {
        w2v_free(keys);
        return w2v_error("the vocabulary is empty: no word in %s occurs at least %" PRIu64
                         " times (--min-count)",
                         source, options->min_count);
    }
    qsort(keys, kept, sizeof *keys, by_count_then_bytes);
    if (options->max_size && kept > options->max_size) kept = options->max_size;

    w2v_word_table_init(&vocab->table, kept);
    vocab->total_count = 0;
    for (uint32_t i = 0; i < kept; i++) {
        const struct sort_key *key = &keys[i];
        w2v_word_table_add(&vocab->table, key->word, key->len, w2v_hash_word(key->word, key->len),
                           key->count);
        vocab->total_count += key->count;
    }
    vocab->size = kept;
    w2v_free(keys);
    return 0;
}

/* ---- the parallel count ---- */

struct count_job {
    const char *begin, *end;
    uint32_t max_token_bytes;
    struct w2v_word_table table;
    uint64_t tokens, truncated;
    char error[W2V_ERROR_MAX]; /* "" unless counting failed (errors are per thread) */
};

static void *count_chunk(void *arg) {
    struct count_job *job = arg;
    struct w2v_tokenizer tokenizer;
    w2v_tokenizer_init(&tokenizer, job->begin, job->end, job->max_token_bytes);
    const char *word;
    uint32_t len;
    enum w2v_token_kind kind;
    while ((kind = w2v_tokenizer_next(&tokenizer, &word, &len)) != W2V_TOKEN_END) {
        if (kind != W2V_TOKEN_WORD) continue;
        if (w2v_word_table_add(&job->table, word, len, w2v_hash_word(word, len), 1) < 0) {
            snprintf(job->error, sizeof job->error, "%s", w2v_last_error());
            break;
        }
        job->tokens++;
    }
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
    for (uint32_t t = 0; t < threads; t++) {
        jobs[t].begin = corpus->data + bounds[t];
        jobs[t].end = corpus->data + bounds[t + 1];
        jobs[t].max_token_bytes = options->max_token_bytes;
        w2v_word_table_init(&jobs[t].table, 1 << 16);
    }
    w2v_run_parallel(count_chunk, jobs, sizeof *jobs, threads);

    int status = 0;
    for (uint32_t t = 0; t < threads && status == 0; t++)
        if (jobs[t].error[0]) status = w2v_error("%s", jobs[t].error);
    struct w2v_word_table *merged = &jobs[0].table;
    uint64_t tokens = jobs[0].tokens, truncated = jobs[0].truncated;
    for (uint32_t t = 1; t < threads; t++) {
        const struct w2v_word_table *part = &jobs[t].table;
        for (uint32_t i = 0; i < part->count && status == 0; i++) {
            const char *word = w2v_word_table_word(part, i);
            if (w2v_word_table_add(merged, word, part->lengths[i],
                                   w2v_hash_word(word, part->lengths[i]), part->counts[i]) < 0)
                status = -1;
        }
        tokens += jobs[t].tokens;
        truncated += jobs[t].truncated;
        w2v_word_table_free(&jobs[t].table);
    }
    if (status == 0 && tokens == 0)
        status = w2v_error("corpus '%s' contains no words", corpus->path);
    else if (status == 0)
        status = finalize(vocab, merged, options, corpus->path);
    if (report) {
        report->corpus_tokens = tokens;
        report->distinct_words = merged->count;
        report->truncated_tokens = truncated;
        report->seconds = w2v_now() - start;
    }
    w2v_word_table_free(merged);
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

int w2v_vocab_read(struct w2v_vocab *vocab, const char *path,
                   const struct w2v_vocab_options *options) {
    memset(vocab, 0, sizeof *vocab);
    FILE *fp = fopen(path, "rb");
    if (!fp) return w2v_error("cannot open vocabulary '%s': %s", path, strerror(errno));
    struct w2v_word_table counted;
    w2v_word_table_init(&counted, 1 << 16);
    char *line = NULL;
    size_t line_capacity = 0;
    ssize_t line_len;
    uint64_t line_number = 0;
    int status = 0;
    while (status == 0 && (line_len = getline(&line, &line_capacity, fp)) >= 0) {
        line_number++;
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
    if (status == 0) status = finalize(vocab, &counted, options, path);
    free(line);
    fclose(fp);
    w2v_word_table_free(&counted);
    return status;
}

void w2v_vocab_free(struct w2v_vocab *vocab) {
    w2v_word_table_free(&vocab->table);
    memset(vocab, 0, sizeof *vocab);
}
