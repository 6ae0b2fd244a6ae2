/* phrases.c — `w2v phrases`: counting unigrams and bigrams in parallel,
 * scoring the bigrams, and rewriting the text with the phrases joined.
 *
 * It owns the bigram counts (per-thread open-addressing tables of word-id
 * pairs, merged into one), the phrase list and set of a pass, and the
 * line-aligned parallel rewrite (which reuses the word ids the counting pass
 * found, kept in the model, when it cuts the same corpus the same way). The
 * unigrams are the core's vocabulary (w2v_vocab_build with min_count 1, so ids
 * are frequency ranks and every word is found); the tokenizer and the chunking
 * are the core's too.
 *
 * Where this differs from word2phrase.c (whose rules it otherwise follows:
 * min_count applies to words and to bigrams, total_words counts every token,
 * a word joined to its left neighbour is not joined to its right one):
 *   - no pruning: word2phrase drops its rarest entries when its table of
 *     unigrams + bigrams reaches 350M entries; here every count is exact;
 *   - bigrams never span a line end (word2phrase's counting pass pairs the
 *     last word of a line with the first of the next, though its rewrite never
 *     joins them);
 *   - a bigram is a pair of word ids, not the string "a_b", so a token "a_b"
 *     already in the text is not counted as the bigram "a b";
 *   - words are kept whole (word2phrase cuts them at 59 bytes and its bigram
 *     strings at 59 bytes);
 *   - scores are computed in double precision (word2phrase: float);
 *   - the output has no leading space on each line, and runs of separators
 *     become one space. */
#include "w2v/phrases.h"

#include "w2v/alloc.h"
#include "w2v/atomic_file.h"
#include "w2v/error.h"
#include "w2v/parallel.h"
#include "w2v/timer.h"
#include "w2v/tokenizer.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NO_WORD   UINT32_MAX
#define EMPTY_KEY UINT64_MAX

static inline uint64_t pair_key(uint32_t a, uint32_t b) {
    return (uint64_t)a << 32 | b;
}

static inline uint64_t pair_slot(uint64_t key, uint64_t capacity) {
    uint64_t h = (key ^ key >> 33) * 0xff51afd7ed558ccdull; /* murmur3's finaliser */
    h = (h ^ h >> 33) * 0xc4ceb9fe1a85ec53ull;
    return (h ^ h >> 33) & (capacity - 1);
}

/* ---- the bigram counts: word-id pairs -> counts, open addressing ---- */

struct pair_entry {
    uint64_t key; /* EMPTY_KEY or pair_key(a, b) */
    uint64_t count;
};

/* Key and count side by side: one cache miss per bigram. */
struct pair_table {
    struct pair_entry *entries;
    uint64_t capacity, count;
};

static void pair_table_init(struct pair_table *table, uint64_t capacity) {
    table->capacity = capacity;
    table->count = 0;
    table->entries = w2v_xmalloc(capacity * sizeof *table->entries);
    for (uint64_t i = 0; i < capacity; i++) table->entries[i].key = EMPTY_KEY;
}

static void pair_table_free(struct pair_table *table) {
    w2v_free(table->entries);
    memset(table, 0, sizeof *table);
}

static void pair_table_add(struct pair_table *table, uint64_t key, uint64_t count);

static void pair_table_grow(struct pair_table *table) {
    struct pair_table old = *table;
    pair_table_init(table, old.capacity * 2);
    for (uint64_t i = 0; i < old.capacity; i++)
        if (old.entries[i].key != EMPTY_KEY)
            pair_table_add(table, old.entries[i].key, old.entries[i].count);
    pair_table_free(&old);
}

static void pair_table_add(struct pair_table *table, uint64_t key, uint64_t count) {
    uint64_t mask = table->capacity - 1;
    for (uint64_t i = pair_slot(key, table->capacity);; i = (i + 1) & mask) {
        struct pair_entry *entry = &table->entries[i];
        if (entry->key == key) {
            entry->count += count;
            return;
        }
        if (entry->key == EMPTY_KEY) {
            *entry = (struct pair_entry){key, count};
            if (++table->count * 2 > table->capacity) pair_table_grow(table);
            return;
        }
    }
}

/* A capacity that holds `expected` keys below half load. */
static uint64_t table_capacity(uint64_t expected) {
    uint64_t capacity = 1024;
    while (capacity < 2 * expected + 2) capacity <<= 1;
    return capacity;
}

/* Adds every count of `part` to `into`, then frees `part`. */
static void merge_into(struct pair_table *into, struct pair_table *part) {
    for (uint64_t i = 0; i < part->capacity; i++)
        if (part->entries[i].key != EMPTY_KEY)
            pair_table_add(into, part->entries[i].key, part->entries[i].count);
    pair_table_free(part);
}

/* ---- line-aligned chunks ---- */

/* The core's chunks, each inner bound moved on to just after a newline, so a
 * chunk holds whole lines (a chunk may be empty; one long line is one chunk). */
static void split_at_lines(const struct w2v_corpus *corpus, uint32_t chunks, size_t *bounds) {
    w2v_corpus_split(corpus, chunks, bounds);
    for (uint32_t t = 1; t < chunks; t++) {
        size_t at = bounds[t] > bounds[t - 1] ? bounds[t] : bounds[t - 1];
        if (at > 0 && at < corpus->size && corpus->data[at - 1] != '\n') {
            const char *newline = memchr(corpus->data + at, '\n', corpus->size - at);
            at = newline ? (size_t)(newline - corpus->data) + 1 : corpus->size;
        }
        bounds[t] = at;
    }
}

static uint32_t thread_count(uint32_t threads) {
    return threads ? threads : w2v_online_cpus();
}

/* The id of a word seen at least min_count times, else NO_WORD. */
static inline uint32_t frequent_id(const struct w2v_vocab *vocab, uint64_t min_count,
                                   const char *word, uint32_t len) {
    int64_t id = w2v_vocab_find(vocab, word, len);
    return id >= 0 && w2v_vocab_count(vocab, (uint32_t)id) >= min_count ? (uint32_t)id : NO_WORD;
}

/* ---- counting ---- */

struct count_job {
    const char *begin, *end;
    const struct w2v_vocab *vocab;
    uint64_t min_count;
    struct pair_table pairs;
    uint32_t *ids; /* out: frequent_id of each word of the chunk, in order */
};

/* Counts the chunk's bigrams of two frequent words (no other bigram can score)
 * and records each word's frequent_id for the rewrite. */
static void *count_pairs(void *arg) {
    struct count_job *job = arg;
    struct w2v_tokenizer tokenizer;
    w2v_tokenizer_init(&tokenizer, job->begin, job->end, UINT32_MAX);
    const char *word;
    uint32_t len, prev = NO_WORD, *ids = job->ids;
    enum w2v_token_kind kind;
    while ((kind = w2v_tokenizer_next(&tokenizer, &word, &len)) != W2V_TOKEN_END) {
        if (kind == W2V_TOKEN_NEWLINE) {
            prev = NO_WORD;
            continue;
        }
        uint32_t id = frequent_id(job->vocab, job->min_count, word, len);
        *ids++ = id;
        if (prev != NO_WORD && id != NO_WORD) pair_table_add(&job->pairs, pair_key(prev, id), 1);
        prev = id;
    }
    return NULL;
}

static int by_score(const void *x, const void *y) {
    const struct w2v_phrase *a = x, *b = y;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    uint64_t ka = pair_key(a->a, a->b), kb = pair_key(b->a, b->b);
    return (ka > kb) - (ka < kb);
}

static inline bool phrase_set_has(const struct w2v_phrases_model *model, uint64_t key) {
    uint64_t mask = model->set_capacity - 1;
    for (uint64_t i = pair_slot(key, model->set_capacity);; i = (i + 1) & mask) {
        if (model->set_keys[i] == key) return true;
        if (model->set_keys[i] == EMPTY_KEY) return false;
    }
}

/* Scores every counted bigram; keeps those above the threshold as phrases. */
static void score_pairs(struct w2v_phrases_model *model, const struct pair_table *pairs) {
    const struct w2v_vocab *vocab = &model->vocab;
    uint64_t kept = 0, arena_bytes = 0, m = model->min_count;
    model->phrases = w2v_xmalloc((pairs->count + 1) * sizeof *model->phrases);
    for (uint64_t i = 0; i < pairs->capacity; i++) {
        uint64_t key = pairs->entries[i].key, count = pairs->entries[i].count;
        if (key == EMPTY_KEY || count < m) continue;
        model->bigram_types++;
        uint32_t a = (uint32_t)(key >> 32), b = (uint32_t)key;
        /* score(a, b) = (count(ab) - min_count) / (count(a) * count(b)) * total_words */
        double score = (double)(count - m) /
                       ((double)w2v_vocab_count(vocab, a) * (double)w2v_vocab_count(vocab, b)) *
                       (double)model->total_words;
        if (!(score > model->threshold)) continue;
        model->phrases[kept++] = (struct w2v_phrase){NULL, a, b, count, score};
        arena_bytes += vocab->table.lengths[a] + vocab->table.lengths[b] + 2;
    }
    qsort(model->phrases, kept, sizeof *model->phrases, by_score);
    model->phrase_count = (uint32_t)kept;

    model->arena = w2v_xmalloc(arena_bytes + 1);
    char *text = model->arena;
    model->set_capacity = 16;
    while (model->set_capacity < 2 * kept + 2) model->set_capacity <<= 1;
    model->set_keys = w2v_xmalloc(model->set_capacity * sizeof *model->set_keys);
    memset(model->set_keys, 0xff, model->set_capacity * sizeof *model->set_keys);
    for (uint64_t p = 0; p < kept; p++) {
        struct w2v_phrase *phrase = &model->phrases[p];
        uint32_t la = vocab->table.lengths[phrase->a], lb = vocab->table.lengths[phrase->b];
        phrase->text = text;
        memcpy(text, w2v_vocab_word(vocab, phrase->a), la);
        text[la] = '_';
        memcpy(text + la + 1, w2v_vocab_word(vocab, phrase->b), lb);
        text[la + 1 + lb] = '\0';
        text += la + lb + 2;
        uint64_t key = pair_key(phrase->a, phrase->b), mask = model->set_capacity - 1;
        uint64_t slot = pair_slot(key, model->set_capacity);
        while (model->set_keys[slot] != EMPTY_KEY) slot = (slot + 1) & mask;
        model->set_keys[slot] = key;
    }
}

int w2v_phrases_learn(struct w2v_phrases_model *model, const struct w2v_corpus *corpus,
                      double threshold, uint64_t min_count, uint32_t threads) {
    memset(model, 0, sizeof *model);
    if (min_count < 1) return w2v_error("min_count must be at least 1");
    threads = thread_count(threads);
    model->min_count = min_count;
    model->threshold = threshold;
    struct w2v_vocab_options options = {
        .min_count = 1, .threads = threads, .max_token_bytes = UINT32_MAX};
    struct w2v_vocab_report report;
    if (w2v_vocab_build(&model->vocab, corpus, &options, &report) != 0) return -1;
    model->total_words = report.corpus_tokens;

    size_t *bounds = w2v_xmalloc((threads + 1) * sizeof *bounds);
    split_at_lines(corpus, threads, bounds);
    struct count_job *jobs = w2v_xcalloc(threads, sizeof *jobs);
    for (uint32_t t = 0; t < threads; t++) {
        /* a word and its separator take at least 2 bytes (the last word: 1) */
        size_t most_words = (bounds[t + 1] - bounds[t]) / 2 + 1;
        jobs[t] = (struct count_job){corpus->data + bounds[t],
                                     corpus->data + bounds[t + 1],
                                     &model->vocab,
                                     min_count,
                                     {0},
                                     w2v_xmalloc(most_words * sizeof(uint32_t))};
        /* about one new bigram per 8 bytes of text at first: few regrowths */
        pair_table_init(&jobs[t].pairs, table_capacity((bounds[t + 1] - bounds[t]) / 8));
    }
    w2v_run_parallel(count_pairs, jobs, sizeof *jobs, threads);
    struct pair_table *merged = &jobs[0].pairs;
    uint64_t all = 0;
    for (uint32_t t = 0; t < threads; t++) all += jobs[t].pairs.count;
    if (threads > 1 && table_capacity(all) > merged->capacity) {
        struct pair_table first = *merged;
        pair_table_init(merged, table_capacity(all));
        merge_into(merged, &first);
    }
    for (uint32_t t = 1; t < threads; t++) merge_into(merged, &jobs[t].pairs);
    score_pairs(model, merged);
    pair_table_free(merged);
    model->ids = w2v_xmalloc(threads * sizeof *model->ids);
    for (uint32_t t = 0; t < threads; t++) model->ids[t] = jobs[t].ids;
    model->ids_threads = threads;
    model->ids_data = corpus->data;
    model->ids_size = corpus->size;
    w2v_free(jobs);
    w2v_free(bounds);
    return 0;
}

void w2v_phrases_model_free(struct w2v_phrases_model *model) {
    w2v_vocab_free(&model->vocab);
    w2v_free(model->phrases);
    w2v_free(model->arena);
    w2v_free(model->set_keys);
    for (uint32_t t = 0; t < model->ids_threads; t++) w2v_free(model->ids[t]);
    w2v_free(model->ids);
    memset(model, 0, sizeof *model);
}

/* ---- rewriting ---- */

struct rewrite_job {
    const char *begin, *end;
    const struct w2v_phrases_model *model;
    const uint32_t *ids; /* the counting pass's ids of this chunk's words, or NULL */
    char *out;           /* room for end - begin bytes: the output is never longer */
    size_t written;
    uint64_t joined;
};

static void *rewrite_chunk(void *arg) {
    struct rewrite_job *job = arg;
    const struct w2v_phrases_model *model = job->model;
    struct w2v_tokenizer tokenizer;
    w2v_tokenizer_init(&tokenizer, job->begin, job->end, UINT32_MAX);
    const char *word;
    uint32_t len, prev = NO_WORD;
    bool line_started = false;
    char *out = job->out;
    const uint32_t *ids = job->ids;
    enum w2v_token_kind kind;
    while ((kind = w2v_tokenizer_next(&tokenizer, &word, &len)) != W2V_TOKEN_END) {
        if (kind == W2V_TOKEN_NEWLINE) {
            *out++ = '\n';
            prev = NO_WORD;
            line_started = false;
            continue;
        }
        uint32_t id = ids ? *ids++ : frequent_id(&model->vocab, model->min_count, word, len);
        if (line_started) {
            bool join =
                prev != NO_WORD && id != NO_WORD && phrase_set_has(model, pair_key(prev, id));
            *out++ = join ? '_' : ' ';
            job->joined += join;
            /* word2phrase: a word just joined to its left neighbour stays out of the next bigram */
            prev = join ? NO_WORD : id;
        } else {
            prev = id;
        }
        memcpy(out, word, len);
        out += len;
        line_started = true;
    }
    job->written = (size_t)(out - job->out);
    return NULL;
}

int w2v_phrases_rewrite(const struct w2v_phrases_model *model, const struct w2v_corpus *corpus,
                        uint32_t threads, char **text, size_t *size, uint64_t *joined) {
    threads = thread_count(threads);
    char *buffer = w2v_xmalloc(corpus->size + 1);
    size_t *bounds = w2v_xmalloc((threads + 1) * sizeof *bounds);
    split_at_lines(corpus, threads, bounds);
    struct rewrite_job *jobs = w2v_xcalloc(threads, sizeof *jobs);
    /* the same corpus cut the same way: the counting pass's chunks, ids at hand */
    bool same = model->ids && model->ids_threads == threads && model->ids_data == corpus->data &&
                model->ids_size == corpus->size;
    for (uint32_t t = 0; t < threads; t++)
        jobs[t] = (struct rewrite_job){corpus->data + bounds[t],
                                       corpus->data + bounds[t + 1],
                                       model,
                                       same ? model->ids[t] : NULL,
                                       buffer + bounds[t],
                                       0,
                                       0};
    w2v_run_parallel(rewrite_chunk, jobs, sizeof *jobs, threads);
    size_t used = 0;
    *joined = 0;
    for (uint32_t t = 0; t < threads; t++) {
        memmove(buffer + used, jobs[t].out, jobs[t].written);
        used += jobs[t].written;
        *joined += jobs[t].joined;
    }
    w2v_free(jobs);
    w2v_free(bounds);
    *text = buffer;
    *size = used;
    return 0;
}

void w2v_phrases_write_list(FILE *fp, const struct w2v_phrases_model *model, uint32_t pass) {
    for (uint32_t p = 0; p < model->phrase_count; p++) {
        const struct w2v_phrase *phrase = &model->phrases[p];
        fprintf(fp, "%s %.6f %" PRIu64 " %" PRIu32 "\n", phrase->text, phrase->score, phrase->count,
                pass);
    }
}

void w2v_phrases_fill_thresholds(double *thresholds, uint32_t given, uint32_t passes) {
    for (uint32_t i = given ? given : 1; i < passes; i++) thresholds[i] = thresholds[i - 1] / 2;
}

/* ---- the whole job ---- */

int w2v_phrases_run(const char *input, const char *output, const char *phrases_path,
                    const struct w2v_phrases_config *config, struct w2v_phrases_report *report) {
    double start = w2v_now();
    memset(report, 0, sizeof *report);
    if (config->passes < 1 || config->passes > W2V_PHRASES_MAX_PASSES)
        return w2v_error("passes must be 1..%d", W2V_PHRASES_MAX_PASSES);
    struct w2v_corpus corpus;
    if (w2v_corpus_open(&corpus, input) != 0) return -1;
    struct w2v_atomic_file out, list = {0};
    if (w2v_atomic_open(&out, output) != 0) {
        w2v_corpus_close(&corpus);
        return -1;
    }
    if (phrases_path && w2v_atomic_open(&list, phrases_path) != 0) {
        w2v_atomic_abort(&out);
        w2v_corpus_close(&corpus);
        return -1;
    }
    report->input_bytes = corpus.size;
    struct w2v_corpus text = corpus; /* this pass's input: the file, then the last pass's text */
    char *buffer = NULL;
    int status = 0;
    for (uint32_t pass = 0; pass < config->passes && status == 0; pass++) {
        double pass_start = w2v_now();
        struct w2v_phrases_model model;
        struct w2v_phrases_pass_report *r = &report->pass[pass];
        r->threshold = config->thresholds[pass];
        status = w2v_phrases_learn(&model, &text, r->threshold, config->min_count, config->threads);
        if (status == 0) {
            char *next;
            size_t size;
            w2v_phrases_rewrite(&model, &text, config->threads, &next, &size, &r->joined);
            if (list.fp) w2v_phrases_write_list(list.fp, &model, pass + 1);
            w2v_free(buffer);
            buffer = next;
            text.data = buffer;
            text.size = size;
            r->total_words = model.total_words;
            r->distinct_words = model.vocab.size;
            r->bigram_types = model.bigram_types;
            r->phrase_count = model.phrase_count;
            report->passes = pass + 1;
        }
        w2v_phrases_model_free(&model);
        r->seconds = w2v_now() - pass_start;
    }
    if (status == 0) {
        fwrite(text.data, 1, text.size, out.fp);
        report->output_bytes = text.size;
        status = w2v_atomic_commit(&out);
        if (status == 0 && list.fp) status = w2v_atomic_commit(&list);
    } else {
        w2v_atomic_abort(&out);
    }
    if (status != 0 && list.fp) w2v_atomic_abort(&list);
    w2v_free(buffer);
    w2v_corpus_close(&corpus);
    report->seconds = w2v_now() - start;
    return status;
}
