/* eval.h — word-vector quality: the analogy task and word-pair similarity.
 *
 * Loaders and evaluation are separate so a trainer can load the question and
 * pair files once and evaluate its in-memory vectors after every epoch:
 *
 *     struct w2v_analogy_questions questions;
 *     if (w2v_analogy_questions_load("questions-words.txt", &questions) != 0) fail;
 *     struct w2v_analogy_options options;
 *     w2v_analogy_options_default(&options);          // 3CosAdd, top 30000 words
 *     ... each epoch, with `vectors` a struct w2v_vectors view of the input matrix:
 *     struct w2v_analogy_result result;
 *     w2v_eval_analogy(&vectors, &questions, &options, &result);
 *     printf("analogy %.2f%%\n", 100.0 * w2v_accuracy(result.total));
 *     w2v_analogy_result_free(&result);
 *     ...
 *     w2v_analogy_questions_free(&questions);
 *
 * and likewise w2v_word_pairs_load / w2v_eval_similarity.
 *
 * Semantics are gensim's KeyedVectors.evaluate_word_analogies(restrict_vocab=
 * 30000, case_insensitive=True) and evaluate_word_pairs(restrict_vocab=300000,
 * case_insensitive=True, dummy4unknown=False): only the first restrict_vocab
 * rows (the most frequent, in file order) are in the vocabulary; a question or
 * pair with a word outside them is skipped and counted; case folding is ASCII
 * and a folded word means its first (most frequent) spelling. Vectors are
 * unit-normalized once; neither function modifies `vectors`. */
#ifndef W2V_EVAL_H
#define W2V_EVAL_H

#include "w2v/vectors.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- analogy questions ("a b c d": a is to b as c is to d) ---- */

struct w2v_analogy_question {
    char *words[4];   /* a, b, c and the expected answer d, as written */
    uint32_t section; /* index into sections */
    uint64_t line;    /* 1-based line in the file */
};

struct w2v_analogy_questions {
    uint64_t count;
    struct w2v_analogy_question *items;
    uint32_t section_count;
    char **sections; /* names from ": name" lines, in file order */
};

/* Reads a questions-words.txt file: ": section" lines, then lines of four
 * blank-separated words; blank lines are ignored. A question before the first
 * section or a line without exactly four words is an error naming the line. */
int w2v_analogy_questions_load(const char *path, struct w2v_analogy_questions *out);
void w2v_analogy_questions_free(struct w2v_analogy_questions *questions);

/* True for the syntactic sections: names starting with "gram". */
bool w2v_analogy_section_is_syntactic(const char *name);

enum w2v_analogy_method {
    W2V_ANALOGY_ADD, /* 3CosAdd: argmax cos(d, b - a + c) over unit vectors */
    W2V_ANALOGY_MUL, /* 3CosMul: argmax cos'(d,b) cos'(d,c) / (cos'(d,a) + eps), cos' = (1+cos)/2 */
};

struct w2v_analogy_options {
    uint64_t restrict_vocab;        /* candidates and vocabulary: the first N rows (0: all) */
    enum w2v_analogy_method method; /* default W2V_ANALOGY_ADD */
    bool fold_case;                 /* match words ignoring ASCII case (default true) */
    float cosmul_epsilon;           /* 3CosMul's eps (default 1e-6, gensim's) */
    uint32_t batch_words;           /* distinct question words per matrix product (0: auto) */
};

/* restrict_vocab 30000, 3CosAdd, fold_case, epsilon 1e-6, batch auto. */
void w2v_analogy_options_default(struct w2v_analogy_options *options);

struct w2v_eval_count {
    uint64_t correct;   /* answered right */
    uint64_t attempted; /* evaluated: every word in the vocabulary */
    uint64_t skipped;   /* not evaluated: some word outside the vocabulary */
};

/* correct / attempted, 0 if nothing was attempted. */
double w2v_accuracy(struct w2v_eval_count count);

struct w2v_analogy_result {
    uint32_t section_count;
    struct w2v_eval_count *sections; /* per section of the questions */
    struct w2v_eval_count semantic;  /* sections not starting with "gram" */
    struct w2v_eval_count syntactic; /* sections starting with "gram" */
    struct w2v_eval_count total;
    int64_t *predictions; /* per question: the row answered, or -1 if skipped */
    double seconds;       /* wall time of the evaluation */
};

/* Answers every question: the best candidate other than a, b and c (the
 * three inputs are never answers). Queries run in batches: the distinct
 * words of a batch of questions times the candidate matrix in one
 * cblas_sgemm, then each question's scores combined from three rows of
 * that product. Returns 0 (or -1 with w2v_error set if the inputs are
 * unusable, e.g. an empty vocabulary). Free the result with
 * w2v_analogy_result_free. */
int w2v_eval_analogy(const struct w2v_vectors *vectors,
                     const struct w2v_analogy_questions *questions,
                     const struct w2v_analogy_options *options, struct w2v_analogy_result *out);
void w2v_analogy_result_free(struct w2v_analogy_result *result);

/* ---- word-pair similarity (WordSim-353, SimLex-999) ---- */

struct w2v_word_pair {
    char *words[2];
    double score; /* the human judgement */
    uint64_t line;
};

struct w2v_word_pairs {
    uint64_t count;
    struct w2v_word_pair *items;
};

/* Reads tab-separated "word1 word2 score" lines ('#' lines are comments),
 * as gensim's wordsim353.tsv and simlex999.txt are. A first line whose third
 * field is not a number is a header naming the columns: the score is then
 * the column named "SimLex999" (the original SimLex-999.txt, whose 4th
 * column it is) if there is one, else the third. Any other line that does
 * not parse is an error naming the line. */
int w2v_word_pairs_load(const char *path, struct w2v_word_pairs *out);
void w2v_word_pairs_free(struct w2v_word_pairs *pairs);

struct w2v_similarity_options {
    uint64_t restrict_vocab; /* vocabulary: the first N rows (default 300000; 0: all) */
    bool fold_case;          /* default true */
};

void w2v_similarity_options_default(struct w2v_similarity_options *options);

struct w2v_similarity_result {
    uint64_t pairs;  /* in the file */
    uint64_t used;   /* both words in the vocabulary */
    uint64_t oov;    /* skipped: a word outside the vocabulary */
    double spearman; /* rank correlation of human scores and cosines (ties: average ranks) */
    double pearson;  /* linear correlation of the same; both NAN if used < 2 */
    double *cosines; /* per pair: the model's cosine, NAN if skipped */
};

int w2v_eval_similarity(const struct w2v_vectors *vectors, const struct w2v_word_pairs *pairs,
                        const struct w2v_similarity_options *options,
                        struct w2v_similarity_result *out);
void w2v_similarity_result_free(struct w2v_similarity_result *result);

#endif
