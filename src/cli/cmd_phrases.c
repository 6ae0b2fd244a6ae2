/* cmd_phrases.c — `w2v phrases`: word2phrase's job (see w2v/phrases.h), with
 * word2phrase's command line accepted unchanged, several passes in one run and
 * the phrases listed with their scores. */
#include "commands.h"
#include "options.h"

#include "w2v/atomic_file.h"
#include "w2v/error.h"
#include "w2v/phrases.h"

#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct phrases_values {
    const char *train, *output, *save_phrases;
    double thresholds[W2V_PHRASES_MAX_PASSES];
    uint32_t threshold_count, passes, threads, debug;
    uint64_t min_count;
    bool quiet;
};

#define AT(field) offsetof(struct phrases_values, field)

/* "100" or "200,100": one threshold per pass, each a finite number >= 0. */
static int parse_thresholds(const char *flag, const char *text, void *values) {
    struct phrases_values *v = values;
    uint32_t count = 0;
    const char *p = text;
    for (;;) {
        char *end;
        double value = strtod(p, &end);
        if (end == p || (*end && *end != ',') || !isfinite(value) || value < 0 ||
            count == W2V_PHRASES_MAX_PASSES)
            return w2v_error("invalid value for %s: '%s' (expected numbers >= 0, one per pass, "
                             "separated by commas: 100 or 200,100)",
                             flag, text);
        v->thresholds[count++] = value;
        if (!*end) break;
        p = end + 1;
    }
    v->threshold_count = count;
    return 0;
}

static const struct w2v_option options_table[] = {
    {W2V_OPT_STRING, "--train", .arg = "FILE", .offset = AT(train),
     .missing = "phrases needs an input corpus (--train FILE)",
     .help = "the text: whitespace-separated words, one sentence per line"},
    {W2V_OPT_STRING, "-o, --output", .arg = "FILE", .offset = AT(output),
     .missing = "phrases needs an output file (--output FILE)",
     .help = "the text with phrases joined by '_' (written atomically)"},
    {W2V_OPT_CUSTOM, "--threshold", .arg = "X[,X...]", .parse = parse_thresholds,
     .help = "join a b when score(a, b) > X (default 100); one value\n"
             "per pass, a missing one is half the one before"},
    {W2V_OPT_U64, "--min-count", .arg = "N", .offset = AT(min_count), .min = 1,
     .help = "ignore words and bigrams seen fewer than N times\n(default 5)"},
    {W2V_OPT_U32, "--passes", .arg = "N", .offset = AT(passes), .min = 1,
     .max = W2V_PHRASES_MAX_PASSES,
     .help = "passes, each over the last one's text: 2 makes trigrams\nand 4-grams (default: one "
             "per --threshold value)"},
    {W2V_OPT_U32, "--threads", .arg = "N", .offset = AT(threads), .min = 1, .max = 1024,
     .help = "counting and rewriting threads (default: online cores);\nthe output does not depend "
             "on it"},
    {W2V_OPT_STRING, "--save-phrases", .arg = "FILE", .offset = AT(save_phrases),
     .help = "write 'phrase score count pass' per line, best first"},
    {W2V_OPT_U32, "--debug", .arg = "N", .offset = AT(debug), .max = 2,
     .help = "word2phrase's: 0 is --quiet"},
    {W2V_OPT_FLAG, "-q, --quiet", .offset = AT(quiet), .help = "no summary on stderr"},
    {W2V_OPT_HELP, "-h, --help", .help = "this text"},
    {W2V_OPT_END},
};

static const struct w2v_command_spec spec = {
    .name = "phrases",
    .usage = "usage: w2v phrases --train FILE --output FILE [options]\n"
             "       w2v phrases -train FILE -output FILE -threshold 100 -min-count 5   "
             "(word2phrase's)\n"
             "\n"
             "Joins bigrams that occur together more often than chance into one word a_b:\n"
             "  score(a, b) = (count(ab) - min_count) / (count(a) * count(b)) * total_words\n"
             "A word joined to its left neighbour is not joined to its right one in the same\n"
             "pass; no bigram spans a line end. As word2phrase, but parallel, without pruning\n"
             "and with several passes in one run (--passes 2 = word2phrase run twice).\n"
             "\n",
    .options = options_table,
    .epilogue = "\nExit status: 0 done, 2 usage error, 1 runtime error (no output is written).\n",
    .column = 26,
    .one_dash_long = true,
};

int w2v_cmd_phrases(int argc, char **argv) {
    struct phrases_values values = {.thresholds = {100}, .min_count = 5, .debug = 2};
    struct w2v_parsed parsed;
    int stop = w2v_options_parse(&spec, argc, argv, &values, &parsed);
    w2v_parsed_free(&parsed);
    if (stop != 0) return w2v_options_stop(stop);
    uint32_t given = values.threshold_count ? values.threshold_count : 1;
    uint32_t passes = values.passes ? values.passes : given;
    if (given > passes) {
        w2v_error("--threshold lists %" PRIu32 " values for %" PRIu32 " passes (--passes)", given,
                  passes);
        return w2v_usage_error();
    }
    struct w2v_phrases_config config = {
        .passes = passes, .min_count = values.min_count, .threads = values.threads};
    memcpy(config.thresholds, values.thresholds, sizeof config.thresholds);
    w2v_phrases_fill_thresholds(config.thresholds, given, passes);

    struct w2v_phrases_report report;
    w2v_atomic_note_input(values.train); /* --output may not replace the corpus */
    if (w2v_phrases_run(values.train, values.output, values.save_phrases, &config, &report) != 0)
        return w2v_report_error();
    if (values.quiet || values.debug == 0) return 0;
    for (uint32_t p = 0; p < report.passes; p++) {
        const struct w2v_phrases_pass_report *r = &report.pass[p];
        fprintf(stderr,
                "w2v: pass %" PRIu32 "/%" PRIu32 ": threshold %g, %" PRIu64 " words, %" PRIu64
                " distinct, %" PRIu64 " bigrams seen >= %" PRIu64 " times, %" PRIu32
                " phrases, %" PRIu64 " joined in the text, %.2f s\n",
                p + 1, report.passes, r->threshold, r->total_words, r->distinct_words,
                r->bigram_types, config.min_count, r->phrase_count, r->joined, r->seconds);
    }
    fprintf(stderr, "w2v: wrote %s: %" PRIu64 " bytes (from %" PRIu64 ") in %.2f s\n",
            values.output, report.output_bytes, report.input_bytes, report.seconds);
    return 0;
}
