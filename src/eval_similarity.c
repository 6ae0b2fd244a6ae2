/* eval_similarity.c — Spearman/Pearson correlation of cosines with human
 * word-pair judgements (gensim's evaluate_word_pairs, dummy4unknown=False). */
#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/eval.h"
#include "w2v/search.h"
#include "w2v/stats.h"

#include <math.h>
#include <string.h>

void w2v_similarity_options_default(struct w2v_similarity_options *options) {
    options->restrict_vocab = 300000;
    options->fold_case = true;
}

int w2v_eval_similarity(const struct w2v_vectors *vectors, const struct w2v_word_pairs *pairs,
                        const struct w2v_similarity_options *options,
                        struct w2v_similarity_result *out) {
    memset(out, 0, sizeof *out);
    if (vectors->count == 0 || vectors->dim == 0) return w2v_error("no vectors to evaluate");
    struct w2v_search search;
    w2v_search_init(&search, vectors, options->restrict_vocab, options->fold_case);
    size_t n = pairs->count ? pairs->count : 1;
    out->cosines = w2v_xmalloc(n * sizeof(double));
    double *human = w2v_xmalloc(n * sizeof(double)), *model = w2v_xmalloc(n * sizeof(double));
    out->pairs = pairs->count;
    for (uint64_t i = 0; i < pairs->count; i++) {
        const struct w2v_word_pair *pair = &pairs->items[i];
        int64_t a = w2v_search_find(&search, pair->words[0]);
        int64_t b = w2v_search_find(&search, pair->words[1]);
        out->cosines[i] = NAN;
        if (a < 0 || b < 0) {
            out->oov++;
            continue;
        }
        const float *ua = search.unit + (size_t)a * search.stride;
        const float *ub = search.unit + (size_t)b * search.stride;
        float dot = 0; /* float, as gensim's dot of two float32 unit vectors */
        for (uint32_t k = 0; k < search.dim; k++) dot += ua[k] * ub[k];
        out->cosines[i] = dot;
        human[out->used] = pair->score;
        model[out->used] = dot;
        out->used++;
    }
    out->spearman = w2v_spearman(human, model, out->used);
    out->pearson = w2v_pearson(human, model, out->used);
    w2v_free(human);
    w2v_free(model);
    w2v_search_free(&search);
    return 0;
}

void w2v_similarity_result_free(struct w2v_similarity_result *result) {
    w2v_free(result->cosines);
    memset(result, 0, sizeof *result);
}
