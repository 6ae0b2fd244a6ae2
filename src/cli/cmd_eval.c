/* cmd_eval.c — `w2v eval analogy` and `w2v eval similarity`: quality of a
 * vector file on the analogy task and on word-pair similarity judgements. */
#include "args.h"
#include "commands.h"
#include "json.h"

#include "w2v/error.h"
#include "w2v/eval.h"
#include "w2v/vectors.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void print_eval_usage(FILE *out) {
    fprintf(out,
            "usage: w2v eval analogy VECTORS QUESTIONS [options]\n"
            "       w2v eval similarity VECTORS PAIRS... [options]\n\n"
            "analogy: accuracy on the analogy task (questions-words.txt: ': section' lines, then\n"
            "  'a b c d' lines: a is to b as c is to d), as gensim's evaluate_word_analogies.\n"
            "  Only the first N words of VECTORS (the most frequent) are answers and vocabulary;\n"
            "  questions with a word outside them are skipped and counted. The answer is the\n"
            "  best word other than a, b and c. Prints accuracy per section, semantic /\n"
            "  syntactic ('gram*' sections) / total, and the time taken.\n"
            "  --restrict N       vocabulary: the first N words (default 30000; 0 = all)\n"
            "  --method add|mul   3CosAdd: cos(d, b-a+c) (default), or 3CosMul (Levy & Goldberg):\n"
            "                     cos'(d,b) cos'(d,c) / (cos'(d,a) + eps), cos' = (1+cos)/2\n"
            "  --epsilon E        3CosMul's eps (default 1e-6, as gensim's most_similar_cosmul)\n\n"
            "similarity: Spearman's rho (ties: average ranks) and Pearson's r between human\n"
            "  scores and cosine similarity, as gensim's evaluate_word_pairs. PAIRS files are\n"
            "  tab-separated 'word1 word2 score' with '#' comments (wordsim353.tsv), or have a\n"
            "  header line naming the columns (the original SimLex-999.txt: score = 'SimLex999').\n"
            "  Pairs with a word outside the vocabulary are skipped and counted.\n"
            "  --restrict N       vocabulary: the first N words (default 300000; 0 = all)\n\n"
            "both:\n"
            "  --case-sensitive   match words exactly (default: ignore ASCII case; a word means\n"
            "                     its first, most frequent, spelling)\n"
            "  --json             print the results as one JSON object\n"
            "  -h, --help         print this help\n");
}

static int usage_error(const char *what) {
    fprintf(stderr, "w2v: eval: %s (try 'w2v eval --help')\n", what);
    return 2;
}

/* Options shared by both evaluations. */
struct eval_args {
    const char *positional[64];
    int positional_count;
    uint64_t restrict_vocab;
    bool restrict_given;
    enum w2v_analogy_method method;
    double epsilon;
    bool case_sensitive;
    bool json;
};

/* Returns 0, or the exit status to stop with (after printing the reason). */
static int parse_eval_args(int argc, char **argv, bool analogy, struct eval_args *a) {
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            print_eval_usage(stdout);
            return -1;
        } else if (strcmp(arg, "--restrict") == 0) {
            if (!has_value) return usage_error("--restrict needs a value");
            if (w2v_parse_u64("--restrict", argv[++i], 0, UINT64_MAX / 2, &a->restrict_vocab))
                return w2v_report_error();
            a->restrict_given = true;
        } else if (analogy && strcmp(arg, "--method") == 0) {
            if (!has_value) return usage_error("--method needs a value");
            const char *m = argv[++i];
            if (strcmp(m, "add") == 0 || strcmp(m, "3cosadd") == 0)
                a->method = W2V_ANALOGY_ADD;
            else if (strcmp(m, "mul") == 0 || strcmp(m, "3cosmul") == 0)
                a->method = W2V_ANALOGY_MUL;
            else {
                fprintf(stderr, "w2v: invalid value for --method: '%s' (expected add or mul)\n", m);
                return 1;
            }
        } else if (analogy && strcmp(arg, "--epsilon") == 0) {
            if (!has_value) return usage_error("--epsilon needs a value");
            if (w2v_parse_double("--epsilon", argv[++i], 0, 1, &a->epsilon))
                return w2v_report_error();
        } else if (strcmp(arg, "--case-sensitive") == 0) {
            a->case_sensitive = true;
        } else if (strcmp(arg, "--json") == 0) {
            a->json = true;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            fprintf(stderr, "w2v: eval %s: unknown option '%s' (try 'w2v eval --help')\n",
                    analogy ? "analogy" : "similarity", arg);
            return 2;
        } else {
            if (a->positional_count == 64) return usage_error("too many files");
            a->positional[a->positional_count++] = arg;
        }
    }
    return 0;
}

static void print_count_row(const char *name, struct w2v_eval_count c) {
    printf("  %-28s %6" PRIu64 " / %-6" PRIu64 " %6.2f%%  %8" PRIu64 "\n", name, c.correct,
           c.attempted, 100.0 * w2v_accuracy(c), c.skipped);
}

static void json_count(const char *key, struct w2v_eval_count c) {
    printf("\"%s\": {\"correct\": %" PRIu64 ", \"attempted\": %" PRIu64 ", \"skipped\": %" PRIu64
           ", \"accuracy\": ",
           key, c.correct, c.attempted, c.skipped);
    w2v_json_number(stdout, w2v_accuracy(c));
    printf("}");
}

static void print_analogy(const struct eval_args *a, const struct w2v_analogy_options *options,
                          const struct w2v_analogy_questions *q, const struct w2v_analogy_result *r,
                          double load_seconds) {
    const char *method = options->method == W2V_ANALOGY_MUL ? "3CosMul" : "3CosAdd";
    if (a->json) {
        printf("{\"vectors\": ");
        w2v_json_string(stdout, a->positional[0]);
        printf(", \"questions\": ");
        w2v_json_string(stdout, a->positional[1]);
        printf(", \"method\": \"%s\", \"restrict\": %" PRIu64 ", \"sections\": [", method,
               options->restrict_vocab);
        for (uint32_t s = 0; s < r->section_count; s++) {
            printf("%s{\"name\": ", s ? ", " : "");
            w2v_json_string(stdout, q->sections[s]);
            printf(", ");
            json_count("result", r->sections[s]);
            printf("}");
        }
        printf("], ");
        json_count("semantic", r->semantic);
        printf(", ");
        json_count("syntactic", r->syntactic);
        printf(", ");
        json_count("total", r->total);
        printf(", \"question_count\": %" PRIu64
               ", \"load_seconds\": %.3f, \"eval_seconds\": %.3f}\n",
               q->count, load_seconds, r->seconds);
        return;
    }
    printf("analogy: %s on %s (%s, vocabulary: first %" PRIu64 " words%s)\n", a->positional[0],
           a->positional[1], method, options->restrict_vocab,
           options->fold_case ? ", case-insensitive" : "");
    printf("  %-28s %6s / %-6s %7s  %8s\n", "section", "right", "seen", "acc", "skipped");
    for (uint32_t s = 0; s < r->section_count; s++) print_count_row(q->sections[s], r->sections[s]);
    printf("\n");
    print_count_row("semantic", r->semantic);
    print_count_row("syntactic", r->syntactic);
    print_count_row("total", r->total);
    printf("questions: %" PRIu64 " in file, %" PRIu64 " evaluated, %" PRIu64
           " skipped (a word outside the vocabulary)\n",
           q->count, r->total.attempted, r->total.skipped);
    printf("time: %.3f s to load, %.3f s to evaluate\n", load_seconds, r->seconds);
}

static int run_analogy(int argc, char **argv) {
    struct eval_args a = {.restrict_vocab = 30000, .epsilon = 1e-6};
    int stop = parse_eval_args(argc, argv, true, &a);
    if (stop) return stop < 0 ? 0 : stop;
    if (a.positional_count != 2) return usage_error("analogy needs VECTORS and QUESTIONS");
    struct w2v_analogy_options options;
    w2v_analogy_options_default(&options);
    options.restrict_vocab = a.restrict_vocab;
    options.method = a.method;
    options.cosmul_epsilon = (float)a.epsilon;
    options.fold_case = !a.case_sensitive;

    double start = now_seconds();
    struct w2v_analogy_questions questions;
    if (w2v_analogy_questions_load(a.positional[1], &questions) != 0) return w2v_report_error();
    struct w2v_vectors vectors;
    if (w2v_vectors_read(a.positional[0], &vectors) != 0) {
        w2v_analogy_questions_free(&questions);
        return w2v_report_error();
    }
    double load_seconds = now_seconds() - start;
    struct w2v_analogy_result result;
    int status = w2v_eval_analogy(&vectors, &questions, &options, &result);
    if (status == 0)
        print_analogy(&a, &options, &questions, &result, load_seconds);
    else
        w2v_report_error();
    w2v_analogy_result_free(&result);
    w2v_vectors_free(&vectors);
    w2v_analogy_questions_free(&questions);
    return status == 0 ? 0 : 1;
}

static int run_similarity(int argc, char **argv) {
    struct eval_args a = {.restrict_vocab = 300000};
    int stop = parse_eval_args(argc, argv, false, &a);
    if (stop) return stop < 0 ? 0 : stop;
    if (a.positional_count < 2) return usage_error("similarity needs VECTORS and PAIRS files");
    struct w2v_similarity_options options;
    w2v_similarity_options_default(&options);
    options.restrict_vocab = a.restrict_vocab;
    options.fold_case = !a.case_sensitive;

    int pair_files = a.positional_count - 1;
    struct w2v_word_pairs pairs[63];
    for (int f = 0; f < pair_files; f++) {
        if (w2v_word_pairs_load(a.positional[1 + f], &pairs[f]) != 0) {
            while (f-- > 0) w2v_word_pairs_free(&pairs[f]);
            return w2v_report_error();
        }
    }
    double start = now_seconds();
    struct w2v_vectors vectors;
    if (w2v_vectors_read(a.positional[0], &vectors) != 0) {
        for (int f = 0; f < pair_files; f++) w2v_word_pairs_free(&pairs[f]);
        return w2v_report_error();
    }
    double load_seconds = now_seconds() - start;
    int status = 0;
    if (a.json)
        printf("{\"vectors\": "), w2v_json_string(stdout, a.positional[0]),
            printf(", \"restrict\": %" PRIu64 ", \"results\": [", options.restrict_vocab);
    else
        printf("similarity: %s (vocabulary: first %" PRIu64 " words%s)\n", a.positional[0],
               options.restrict_vocab, options.fold_case ? ", case-insensitive" : "");
    for (int f = 0; f < pair_files && status == 0; f++) {
        double eval_start = now_seconds();
        struct w2v_similarity_result r;
        status = w2v_eval_similarity(&vectors, &pairs[f], &options, &r);
        double seconds = now_seconds() - eval_start;
        if (status != 0) break;
        if (a.json) {
            printf("%s{\"pairs_file\": ", f ? ", " : "");
            w2v_json_string(stdout, a.positional[1 + f]);
            printf(", \"pairs\": %" PRIu64 ", \"used\": %" PRIu64 ", \"oov\": %" PRIu64
                   ", \"spearman\": ",
                   r.pairs, r.used, r.oov);
            w2v_json_number(stdout, r.spearman);
            printf(", \"pearson\": ");
            w2v_json_number(stdout, r.pearson);
            printf(", \"seconds\": %.4f}", seconds);
        } else {
            printf("  %-40s spearman %.4f  pearson %.4f  pairs %" PRIu64 "/%" PRIu64 " (%" PRIu64
                   " out of vocabulary)  %.3f s\n",
                   a.positional[1 + f], r.spearman, r.pearson, r.used, r.pairs, r.oov, seconds);
        }
        w2v_similarity_result_free(&r);
    }
    if (status == 0) {
        if (a.json)
            printf("], \"load_seconds\": %.3f}\n", load_seconds);
        else
            printf("time: %.3f s to load\n", load_seconds);
    }
    w2v_vectors_free(&vectors);
    for (int f = 0; f < pair_files; f++) w2v_word_pairs_free(&pairs[f]);
    return status == 0 ? 0 : w2v_report_error();
}

int w2v_cmd_eval(int argc, char **argv) {
    if (argc < 2) return usage_error("which evaluation? analogy or similarity");
    const char *what = argv[1];
    if (strcmp(what, "-h") == 0 || strcmp(what, "--help") == 0) {
        print_eval_usage(stdout);
        return 0;
    }
    if (strcmp(what, "analogy") == 0) return run_analogy(argc - 1, argv + 1);
    if (strcmp(what, "similarity") == 0) return run_similarity(argc - 1, argv + 1);
    fprintf(stderr, "w2v: eval: unknown evaluation '%s' (expected analogy or similarity)\n", what);
    return 2;
}
