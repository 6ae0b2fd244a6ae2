/* cmd_eval.c — `w2v eval analogy` and `w2v eval similarity`: quality of a
 * vector file on the analogy task and on word-pair similarity judgements. */
#include "commands.h"
#include "json.h"
#include "options.h"

#include "w2v/error.h"
#include "w2v/eval.h"
#include "w2v/timer.h"
#include "w2v/vectors.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum { ANALOGY = 1, SIMILARITY = 2 };

/* Options of both evaluations. */
struct eval_args {
    char **positional; /* VECTORS, then QUESTIONS or PAIRS... */
    uint64_t restrict_vocab;
    int method; /* enum w2v_analogy_method */
    double epsilon;
    bool case_sensitive;
    bool json;
};

#define AT(field) offsetof(struct eval_args, field)

static const struct w2v_option_choice methods[] = {{"add", W2V_ANALOGY_ADD},
                                                   {"3cosadd", W2V_ANALOGY_ADD},
                                                   {"mul", W2V_ANALOGY_MUL},
                                                   {"3cosmul", W2V_ANALOGY_MUL},
                                                   {NULL, 0}};

static const struct w2v_option options_table[] = {
    {W2V_OPT_TEXT, .variants = ANALOGY,
     .help = "analogy: accuracy on the analogy task (questions-words.txt: ': section' lines, then\n"
             "  'a b c d' lines: a is to b as c is to d), as gensim's evaluate_word_analogies.\n"
             "  Only the first N words of VECTORS (the most frequent) are answers and vocabulary;\n"
             "  questions with a word outside them are skipped and counted. The answer is the\n"
             "  best word other than a, b and c. Prints accuracy per section, semantic /\n"
             "  syntactic ('gram*' sections) / total, and the time taken."},
    {W2V_OPT_U64, "--restrict", .arg = "N", .offset = AT(restrict_vocab), .max = UINT64_MAX / 2,
     .variants = ANALOGY, .help = "vocabulary: the first N words (default 30000; 0 = all)"},
    {W2V_OPT_CHOICE, "--method", .arg = "add|mul", .offset = AT(method), .choices = methods,
     .variants = ANALOGY,
     .help = "3CosAdd: cos(d, b-a+c) (default), or 3CosMul (Levy & Goldberg):\n"
             "cos'(d,b) cos'(d,c) / (cos'(d,a) + eps), cos' = (1+cos)/2"},
    {W2V_OPT_DOUBLE, "--epsilon", .arg = "E", .offset = AT(epsilon), .dmax = 1, .variants = ANALOGY,
     .help = "3CosMul's eps (default 1e-6, as gensim's most_similar_cosmul)\n"},
    {W2V_OPT_TEXT, .variants = SIMILARITY,
     .help = "similarity: Spearman's rho (ties: average ranks) and Pearson's r between human\n"
             "  scores and cosine similarity, as gensim's evaluate_word_pairs. PAIRS files are\n"
             "  tab-separated 'word1 word2 score' with '#' comments (wordsim353.tsv), or have a\n"
             "  header line naming the columns (the original SimLex-999.txt: score = "
             "'SimLex999').\n"
             "  Pairs with a word outside the vocabulary are skipped and counted."},
    {W2V_OPT_U64, "--restrict", .arg = "N", .offset = AT(restrict_vocab), .max = UINT64_MAX / 2,
     .variants = SIMILARITY, .help = "vocabulary: the first N words (default 300000; 0 = all)\n"},
    {W2V_OPT_TEXT, .help = "both:"},
    {W2V_OPT_FLAG, "--case-sensitive", .offset = AT(case_sensitive),
     .help = "match words exactly (default: ignore ASCII case; a word means\n"
             "its first, most frequent, spelling)"},
    {W2V_OPT_FLAG, "--json", .offset = AT(json), .help = "print the results as one JSON object"},
    {W2V_OPT_HELP, "-h, --help", .help = "print this help"},
    {W2V_OPT_END},
};

/* One spec per evaluation, and `w2v eval --help` showing both. */
#define EVAL_SPEC(name_, variant_, max_positional_, missing_)                                      \
    {                                                                                              \
        .name = name_,                                                                             \
        .usage = "usage: w2v eval analogy VECTORS QUESTIONS [options]\n"                           \
                 "       w2v eval similarity VECTORS PAIRS... [options]\n\n",                      \
        .options = options_table, .column = 21, .variant = variant_, .min_positional = 2,          \
        .max_positional = max_positional_, .missing_positional = missing_                          \
    }

static const struct w2v_command_spec eval_spec = EVAL_SPEC("eval", ANALOGY | SIMILARITY, 0, NULL);
static const struct w2v_command_spec analogy_spec =
    EVAL_SPEC("eval analogy", ANALOGY, 2, "eval analogy needs VECTORS and QUESTIONS");
static const struct w2v_command_spec similarity_spec =
    EVAL_SPEC("eval similarity", SIMILARITY, 64, "eval similarity needs VECTORS and PAIRS files");

/* Parses into `a`; returns 0 with the positionals in `parsed`, or -1 with the
 * exit status in *exit_status (0 after --help). */
static int parse_eval_args(const struct w2v_command_spec *spec, int argc, char **argv,
                           struct eval_args *a, struct w2v_parsed *parsed, int *exit_status) {
    int stop = w2v_options_parse(spec, argc, argv, a, parsed);
    a->positional = parsed->positional;
    if (stop == 0) return 0;
    w2v_parsed_free(parsed);
    *exit_status = w2v_options_stop(stop);
    return -1;
}

/* "first N words", or "all words" for --restrict 0; `buf` holds 48 bytes. */
static const char *vocabulary_scope(uint64_t restrict_vocab, char *buf) {
    if (restrict_vocab == 0) return "all words";
    snprintf(buf, 48, "first %" PRIu64 " words", restrict_vocab);
    return buf;
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
    char scope[48];
    printf("analogy: %s on %s (%s, vocabulary: %s%s)\n", a->positional[0], a->positional[1],
           method, vocabulary_scope(options->restrict_vocab, scope),
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
    struct w2v_parsed parsed;
    int exit_status = 0;
    if (parse_eval_args(&analogy_spec, argc, argv, &a, &parsed, &exit_status) != 0)
        return exit_status;
    struct w2v_analogy_options options;
    w2v_analogy_options_default(&options);
    options.restrict_vocab = a.restrict_vocab;
    options.method = (enum w2v_analogy_method)a.method;
    options.cosmul_epsilon = (float)a.epsilon;
    options.fold_case = !a.case_sensitive;

    double start = w2v_now();
    struct w2v_analogy_questions questions;
    struct w2v_vectors vectors;
    if (w2v_analogy_questions_load(a.positional[1], &questions) != 0) {
        w2v_parsed_free(&parsed);
        return w2v_report_error();
    }
    if (w2v_vectors_read(a.positional[0], &vectors) != 0) {
        w2v_analogy_questions_free(&questions);
        w2v_parsed_free(&parsed);
        return w2v_report_error();
    }
    double load_seconds = w2v_now() - start;
    struct w2v_analogy_result result;
    int status = w2v_eval_analogy(&vectors, &questions, &options, &result);
    if (status == 0)
        print_analogy(&a, &options, &questions, &result, load_seconds);
    else
        w2v_report_error();
    w2v_analogy_result_free(&result);
    w2v_vectors_free(&vectors);
    w2v_analogy_questions_free(&questions);
    w2v_parsed_free(&parsed);
    return status == 0 ? 0 : 1;
}

static int run_similarity(int argc, char **argv) {
    struct eval_args a = {.restrict_vocab = 300000};
    struct w2v_parsed parsed;
    int exit_status = 0;
    if (parse_eval_args(&similarity_spec, argc, argv, &a, &parsed, &exit_status) != 0)
        return exit_status;
    struct w2v_similarity_options options;
    w2v_similarity_options_default(&options);
    options.restrict_vocab = a.restrict_vocab;
    options.fold_case = !a.case_sensitive;

    int pair_files = parsed.positional_count - 1;
    struct w2v_word_pairs pairs[63];
    struct w2v_vectors vectors;
    int loaded = 0;
    while (loaded < pair_files &&
           w2v_word_pairs_load(a.positional[1 + loaded], &pairs[loaded]) == 0)
        loaded++;
    double start = w2v_now();
    if (loaded < pair_files || w2v_vectors_read(a.positional[0], &vectors) != 0) {
        while (loaded-- > 0) w2v_word_pairs_free(&pairs[loaded]);
        w2v_parsed_free(&parsed);
        return w2v_report_error();
    }
    double load_seconds = w2v_now() - start;
    int status = 0;
    char scope[48];
    if (a.json)
        printf("{\"vectors\": "), w2v_json_string(stdout, a.positional[0]),
            printf(", \"restrict\": %" PRIu64 ", \"results\": [", options.restrict_vocab);
    else
        printf("similarity: %s (vocabulary: %s%s)\n", a.positional[0],
               vocabulary_scope(options.restrict_vocab, scope),
               options.fold_case ? ", case-insensitive" : "");
    for (int f = 0; f < pair_files && status == 0; f++) {
        double eval_start = w2v_now();
        struct w2v_similarity_result r;
        status = w2v_eval_similarity(&vectors, &pairs[f], &options, &r);
        double seconds = w2v_now() - eval_start;
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
    w2v_parsed_free(&parsed);
    return status == 0 ? 0 : w2v_report_error();
}

int w2v_cmd_eval(int argc, char **argv) {
    const char *what = argc >= 2 ? argv[1] : "";
    if (strcmp(what, "-h") == 0 || strcmp(what, "--help") == 0) {
        w2v_options_help(&eval_spec, stdout);
        return 0;
    }
    if (strcmp(what, "analogy") == 0) return run_analogy(argc - 1, argv + 1);
    if (strcmp(what, "similarity") == 0) return run_similarity(argc - 1, argv + 1);
    if (argc < 2)
        w2v_error("eval: which evaluation? analogy or similarity (see 'w2v eval --help')");
    else
        w2v_error("eval: unknown evaluation '%s' (expected analogy or similarity)", what);
    return w2v_usage_error();
}
