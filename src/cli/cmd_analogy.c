/* cmd_analogy.c — `w2v analogy`: "a is to b as c is to ?", like word2vec.c's
 * word-analogy tool but also non-interactive. */
#include "commands.h"
#include "query_common.h"

#include "w2v/alloc.h"
#include "w2v/error.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct w2v_command_spec spec = {
    .name = "analogy",
    .usage = "usage: w2v analogy VECTORS [A B C] [options]\n\n"
             "Prints the k words d that best complete 'A is to B as C is to d': by 3CosAdd,\n"
             "cos(d, B - A + C) over unit vectors (word2vec.c's word-analogy), or by 3CosMul.\n"
             "A, B and C themselves are never answers. With no words, reads 'A B C' lines from\n"
             "stdin (prompting if stdin is a terminal) until the end or a line EXIT. An unknown\n"
             "word is an error (exit status 1); in the interactive mode it is reported and the\n"
             "next line is read.\n\n",
    .options = query_options,
    .column = 21,
    .variant = QUERY_ANALOGY,
    .min_positional = 1,
    .max_positional = 4,
    .missing_positional = "analogy: no VECTORS file given (see 'w2v analogy --help')",
};

/* 3CosMul scores of every candidate: cos'(d,b) cos'(d,c) / (cos'(d,a) + eps). */
static void cosmul_scores(const struct w2v_search *search, const uint64_t *abc, float *scores) {
    uint64_t n = search->count;
    float *cos = w2v_xmalloc(3 * n * sizeof(float));
    for (int i = 0; i < 3; i++)
        cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)search->dim, 1.0f, search->unit,
                    (int)search->stride, search->unit + abc[i] * search->stride, 1, 0.0f,
                    cos + i * n, 1);
    for (uint64_t j = 0; j < n; j++)
        scores[j] =
            ((1 + cos[n + j]) / 2) * ((1 + cos[2 * n + j]) / 2) / ((1 + cos[j]) / 2 + 1e-6f);
    w2v_free(cos);
}

static int answer(const struct w2v_search *search, const struct query_args *a, char **words,
                  int count) {
    uint64_t abc[3];
    if (query_find_rows(search, a, words, count, abc) != 0) return -1;
    struct query_ranking ranking;
    query_ranking_init(&ranking, a->k);
    uint64_t *rows = ranking.rows;
    float *scores = ranking.scores;
    size_t n = 0;
    if (a->mul) {
        float *all = w2v_xmalloc(search->count * sizeof(float));
        cosmul_scores(search, abc, all);
        w2v_search_mask(search, all, abc, 3);
        for (uint64_t j = 0; j < search->count; j++) { /* top k by insertion */
            float s = all[j];
            if (s == -INFINITY || (n == a->k && s <= scores[n - 1])) continue;
            size_t at = n < a->k ? n++ : n - 1;
            while (at > 0 && scores[at - 1] < s)
                scores[at] = scores[at - 1], rows[at] = rows[at - 1], at--;
            scores[at] = s, rows[at] = j;
        }
        w2v_free(all);
    } else {
        float *query = w2v_xmalloc(search->dim * sizeof(float));
        const float *ua = search->unit + abc[0] * search->stride;
        const float *ub = search->unit + abc[1] * search->stride;
        const float *uc = search->unit + abc[2] * search->stride;
        for (uint32_t k = 0; k < search->dim; k++) query[k] = ub[k] - ua[k] + uc[k];
        n = w2v_search_nearest(search, query, abc, 3, a->k, rows, scores);
        w2v_free(query);
    }
    ranking.count = n;
    w2v_print_escaped(stdout, words[0]);
    fputs(" : ", stdout);
    w2v_print_escaped(stdout, words[1]);
    fputs(" :: ", stdout);
    w2v_print_escaped(stdout, words[2]);
    fputs(" : ?\n", stdout);
    query_ranking_print(search, &ranking);
    return 0;
}

int w2v_cmd_analogy(int argc, char **argv) {
    static const struct query_command command = {
        &spec, "a b c> ", answer, .words_per_query = 3, .min_words = 3, .max_words = 3};
    return query_main(&command, argc, argv);
}
