/* eval_analogy.c — the analogy task (3CosAdd / 3CosMul), batched through BLAS.
 *
 * For a batch of questions, the distinct words among their a, b, c form a
 * small matrix Q (m unit rows); one cblas_sgemm gives S = Q U^T, every
 * cosine between those words and all N candidates. A question's scores are
 * then a combination of three rows of S:
 *   3CosAdd: S[b] + S[c] - S[a]   (= |b+c-a| cos(d, b+c-a): same argmax)
 *   3CosMul: S'[b] S'[c] / (S'[a] + eps),  S' = (1 + S) / 2
 * Questions share words heavily (a section of hundreds of questions uses a
 * few dozen words), so this is far less arithmetic than one query vector per
 * question, and the same answers. */
#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/eval.h"
#include "w2v/search.h"
#include "w2v/timer.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

enum { BATCH_BYTES = 64 << 20, MAX_BATCH_WORDS = 4096 };

void w2v_analogy_options_default(struct w2v_analogy_options *options) {
    options->restrict_vocab = 30000;
    options->method = W2V_ANALOGY_ADD;
    options->fold_case = true;
    options->cosmul_epsilon = 1e-6f;
    options->batch_words = 0;
}

double w2v_accuracy(struct w2v_eval_count count) {
    return count.attempted ? (double)count.correct / (double)count.attempted : 0.0;
}

/* A question whose four words are candidates: their rows. */
struct resolved {
    uint64_t question;
    uint64_t rows[4];
};

/* One batch's distinct words and their cosines to every candidate. */
struct batch {
    uint32_t capacity;    /* most distinct words */
    uint32_t size;        /* distinct words so far */
    uint64_t *rows;       /* slot -> candidate row */
    int32_t *slot_of_row; /* candidate row -> slot, -1 if not in the batch */
    float *query;         /* capacity x stride: the words' unit vectors */
    float *cosines;       /* capacity x N: S = Q U^T */
};

static uint32_t new_words(const struct batch *b, const struct resolved *r) {
    uint32_t n = 0;
    for (int k = 0; k < 3; k++) {
        bool seen = b->slot_of_row[r->rows[k]] >= 0;
        for (int j = 0; j < k; j++) seen = seen || r->rows[j] == r->rows[k];
        n += !seen;
    }
    return n;
}

static void add_words(struct batch *b, const struct resolved *r) {
    for (int k = 0; k < 3; k++) {
        if (b->slot_of_row[r->rows[k]] >= 0) continue;
        b->slot_of_row[r->rows[k]] = (int32_t)b->size;
        b->rows[b->size++] = r->rows[k];
    }
}

/* S = Q U^T for the batch's words. */
static void compute_cosines(struct batch *b, const struct w2v_search *search) {
    size_t stride = search->stride;
    for (uint32_t s = 0; s < b->size; s++)
        memcpy(b->query + s * stride, search->unit + b->rows[s] * stride,
               search->dim * sizeof(float));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)b->size, (int)search->count,
                (int)search->dim, 1.0f, b->query, (int)stride, search->unit, (int)stride, 0.0f,
                b->cosines, (int)search->count);
}

/* The answer to one question: argmax of its combined scores, inputs excluded. */
static uint64_t answer(const struct batch *b, const struct w2v_search *search,
                       const struct w2v_analogy_options *options, const struct resolved *r,
                       float *scores) {
    uint64_t n = search->count;
    const float *sa = b->cosines + (size_t)b->slot_of_row[r->rows[0]] * n;
    const float *sb = b->cosines + (size_t)b->slot_of_row[r->rows[1]] * n;
    const float *sc = b->cosines + (size_t)b->slot_of_row[r->rows[2]] * n;
    if (options->method == W2V_ANALOGY_MUL) {
        const float eps = options->cosmul_epsilon;
        for (uint64_t j = 0; j < n; j++)
            scores[j] = ((1 + sb[j]) * 0.5f) * ((1 + sc[j]) * 0.5f) / ((1 + sa[j]) * 0.5f + eps);
    } else {
        for (uint64_t j = 0; j < n; j++) scores[j] = sb[j] + sc[j] - sa[j];
    }
    w2v_search_mask(search, scores, r->rows, 3);
    uint64_t best = 0;
    float best_score = -INFINITY;
    for (uint64_t j = 0; j < n; j++)
        if (scores[j] > best_score) best_score = scores[j], best = j;
    return best;
}

static void count_answer(struct w2v_analogy_result *out, const char *section, uint32_t s,
                         bool correct) {
    struct w2v_eval_count *kind =
        w2v_analogy_section_is_syntactic(section) ? &out->syntactic : &out->semantic;
    out->sections[s].attempted++, kind->attempted++, out->total.attempted++;
    if (correct) out->sections[s].correct++, kind->correct++, out->total.correct++;
}

static void answer_batch(struct batch *b, const struct w2v_search *search,
                         const struct w2v_analogy_questions *questions,
                         const struct w2v_analogy_options *options, const struct resolved *batch,
                         size_t batch_count, float *scores, struct w2v_analogy_result *out) {
    compute_cosines(b, search);
    for (size_t i = 0; i < batch_count; i++) {
        const struct resolved *r = &batch[i];
        uint64_t best = answer(b, search, options, r, scores);
        const struct w2v_analogy_question *q = &questions->items[r->question];
        out->predictions[r->question] = (int64_t)best;
        bool correct = search->canonical[best] == search->canonical[r->rows[3]];
        count_answer(out, questions->sections[q->section], q->section, correct);
    }
    for (uint32_t s = 0; s < b->size; s++) b->slot_of_row[b->rows[s]] = -1;
    b->size = 0;
}

int w2v_eval_analogy(const struct w2v_vectors *vectors,
                     const struct w2v_analogy_questions *questions,
                     const struct w2v_analogy_options *options, struct w2v_analogy_result *out) {
    memset(out, 0, sizeof *out);
    if (vectors->count == 0 || vectors->dim == 0) return w2v_error("no vectors to evaluate");
    double start = w2v_now();
    struct w2v_search search;
    w2v_search_init(&search, vectors, options->restrict_vocab, options->fold_case);
    uint64_t n = search.count;

    out->section_count = questions->section_count;
    out->sections =
        w2v_xcalloc(questions->section_count ? questions->section_count : 1, sizeof *out->sections);
    out->predictions = w2v_xmalloc((questions->count ? questions->count : 1) * sizeof(int64_t));

    /* Look every question up; skip (and count) those with a word outside. */
    struct resolved *resolved =
        w2v_xmalloc((questions->count ? questions->count : 1) * sizeof *resolved);
    size_t resolved_count = 0;
    for (uint64_t i = 0; i < questions->count; i++) {
        const struct w2v_analogy_question *q = &questions->items[i];
        struct resolved r = {.question = i};
        bool known = true;
        for (int k = 0; k < 4 && known; k++) {
            int64_t row = w2v_search_find(&search, q->words[k]);
            known = row >= 0;
            r.rows[k] = (uint64_t)row;
        }
        out->predictions[i] = -1;
        if (!known) {
            struct w2v_eval_count *kind =
                w2v_analogy_section_is_syntactic(questions->sections[q->section]) ? &out->syntactic
                                                                                  : &out->semantic;
            out->sections[q->section].skipped++, kind->skipped++, out->total.skipped++;
            continue;
        }
        resolved[resolved_count++] = r;
    }

    /* Batches of questions whose distinct words fit the cosine buffer
     * (BATCH_BYTES), but no bigger than all the distinct words there are. */
    struct batch b = {0};
    b.slot_of_row = w2v_xmalloc(n * sizeof *b.slot_of_row);
    for (uint64_t j = 0; j < n; j++) b.slot_of_row[j] = -1;
    uint64_t distinct = 0;
    for (size_t i = 0; i < resolved_count; i++)
        for (int k = 0; k < 3; k++)
            if (b.slot_of_row[resolved[i].rows[k]] < 0)
                b.slot_of_row[resolved[i].rows[k]] = 0, distinct++;
    for (uint64_t j = 0; j < n; j++) b.slot_of_row[j] = -1;
    uint64_t capacity =
        options->batch_words ? options->batch_words : BATCH_BYTES / (n * sizeof(float));
    if (capacity > MAX_BATCH_WORDS) capacity = MAX_BATCH_WORDS;
    if (capacity > distinct) capacity = distinct;
    b.capacity = capacity < 3 ? 3 : (uint32_t)capacity;
    b.rows = w2v_xmalloc(b.capacity * sizeof *b.rows);
    b.query = w2v_alloc_aligned((size_t)b.capacity * search.stride * sizeof(float));
    b.cosines = w2v_alloc_aligned((size_t)b.capacity * n * sizeof(float));
    float *scores = w2v_alloc_aligned(n * sizeof(float));

    size_t first = 0;
    for (size_t i = 0; i < resolved_count; i++) {
        if (b.size + new_words(&b, &resolved[i]) > b.capacity) {
            answer_batch(&b, &search, questions, options, resolved + first, i - first, scores, out);
            first = i;
        }
        add_words(&b, &resolved[i]);
    }
    if (resolved_count > first)
        answer_batch(&b, &search, questions, options, resolved + first, resolved_count - first,
                     scores, out);

    w2v_free(scores);
    w2v_free(b.cosines);
    w2v_free(b.query);
    w2v_free(b.slot_of_row);
    w2v_free(b.rows);
    w2v_free(resolved);
    w2v_search_free(&search);
    out->seconds = w2v_now() - start;
    return 0;
}

void w2v_analogy_result_free(struct w2v_analogy_result *result) {
    w2v_free(result->sections);
    w2v_free(result->predictions);
    memset(result, 0, sizeof *result);
}
