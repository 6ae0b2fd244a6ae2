/* cmd_gen_corpus.c — `w2v gen-corpus`: writes a synthetic corpus with planted
 * structure (see w2v/synth.h), and optionally the truth files that let
 * `w2v eval` measure how much of it training recovered. */
#include "commands.h"
#include "options.h"

#include "w2v/atomic_file.h"
#include "w2v/error.h"
#include "w2v/synth.h"
#include "w2v/timer.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

struct gen_corpus_values {
    struct w2v_synth_config config;
    struct w2v_size_arg size;
    const char *output, *groups_out, *questions_out;
    bool quiet;
};

#define AT(field) offsetof(struct gen_corpus_values, field)

static const struct w2v_option options_table[] = {
    {W2V_OPT_STRING, "-o, --output", .arg = "FILE", .offset = AT(output),
     .missing = "gen-corpus needs an output file (-o FILE)",
     .help = "the corpus file (written atomically)"},
    {W2V_OPT_SIZE, "--size", .arg = "SIZE", .offset = AT(size),
     .missing = "gen-corpus needs a size (--size 1G, 500M or 2000000w)",
     .help = "1G, 500M, 64K or 123456 (bytes; K/M/G = 1024^n),\nor 2000000w (words)"},
    {W2V_OPT_U32, "--vocab", .arg = "N", .offset = AT(config.vocab_size), .min = 2,
     .max = W2V_SYNTH_MAX_VOCAB, .help = "distinct words, planted ones included (default 50000)"},
    {W2V_OPT_DOUBLE, "--zipf", .arg = "S", .offset = AT(config.zipf_exponent), .dmin = 0.01,
     .dmax = 10, .help = "filler frequency ~ rank^-S (default 1.0)"},
    {W2V_OPT_DOUBLE, "--sentence-mean", .arg = "N", .offset = AT(config.sentence_mean), .dmin = 2,
     .dmax = 500, .help = "mean words per sentence, log-normal (default 20)"},
    {W2V_OPT_U32, "--groups", .arg = "G", .offset = AT(config.groups), .max = 1000000,
     .help = "planted groups, 0 for none (default 20)"},
    {W2V_OPT_U32, "--group-size", .arg = "S", .offset = AT(config.group_size), .min = 2,
     .max = 100000, .help = "member words per group (default 10)"},
    {W2V_OPT_U32, "--group-contexts", .arg = "C", .offset = AT(config.contexts_per_group), .min = 1,
     .max = 100000, .help = "context words per group (default 10)"},
    {W2V_OPT_DOUBLE, "--topic-fraction", .arg = "F", .offset = AT(config.topic_fraction), .dmax = 1,
     .help = "share of sentences about a group (default 0.5)"},
    {W2V_OPT_FLAG, "--analogies", .offset = AT(config.analogies),
     .help = "pair groups 2r,2r+1 into analogy relations"},
    {W2V_OPT_U32, "--identity-words", .arg = "K", .offset = AT(config.identity_words), .min = 1,
     .max = 1000, .help = "context words of each analogy pair (default 2)"},
    {W2V_OPT_STRING, "--groups-out", .arg = "FILE", .offset = AT(groups_out),
     .help = "write the groups, one line of members each"},
    {W2V_OPT_STRING, "--questions-out", .arg = "FILE", .offset = AT(questions_out),
     .help = "write analogy questions (questions-words.txt format;\nneeds --analogies)"},
    {W2V_OPT_U64, "--seed", .arg = "N", .offset = AT(config.seed),
     .help = "random seed (default 1); same flags -> same bytes"},
    {W2V_OPT_U32, "--threads", .arg = "N", .offset = AT(config.threads), .min = 1, .max = 256,
     .help = "generator threads (default: online cores); the\noutput does not depend on it"},
    {W2V_OPT_FLAG, "-q, --quiet", .offset = AT(quiet), .help = "no summary line on stderr"},
    {W2V_OPT_END},
};

static const struct w2v_command_spec spec = {
    .name = "gen-corpus",
    .usage = "usage: w2v gen-corpus -o FILE --size SIZE [options]\n"
             "\n"
             "Writes a synthetic corpus: lowercase made-up words, one sentence per line,\n"
             "Zipf-distributed filler plus planted groups of words that share contexts.\n"
             "\n",
    .options = options_table,
    .column = 26,
};

/* Writes one truth file atomically with `write`. */
static int write_truth_file(const char *path, const struct w2v_synth_truth *truth,
                            int (*write)(FILE *, const struct w2v_synth_truth *)) {
    struct w2v_atomic_file file;
    if (w2v_atomic_open(&file, path) != 0) return -1;
    if (write(file.fp, truth) != 0) {
        w2v_atomic_abort(&file);
        return -1;
    }
    return w2v_atomic_commit(&file);
}

int w2v_cmd_gen_corpus(int argc, char **argv) {
    struct gen_corpus_values values = {0};
    w2v_synth_default_config(&values.config);
    struct w2v_parsed parsed;
    int stop = w2v_options_parse(&spec, argc, argv, &values, &parsed);
    w2v_parsed_free(&parsed);
    if (stop != 0) return w2v_options_stop(stop);
    struct w2v_synth_config config = values.config;
    const char *output = values.output;
    config.size_bytes = values.size.bytes;
    config.size_words = values.size.words;
    if (values.questions_out && !config.analogies) {
        w2v_error("--questions-out needs --analogies (no analogies are planted without it)");
        return w2v_usage_error();
    }
    if (w2v_synth_validate(&config) != 0) return w2v_usage_error();

    double start = w2v_now();
    struct w2v_atomic_file file;
    if (w2v_atomic_open(&file, output) != 0) return w2v_report_error();
    struct w2v_synth_truth truth;
    if (w2v_synth_write(file.fp, &config, &truth) != 0) {
        w2v_atomic_abort(&file);
        w2v_synth_truth_free(&truth);
        return w2v_report_error();
    }
    int status = w2v_atomic_commit(&file);
    if (status == 0 && values.groups_out)
        status = write_truth_file(values.groups_out, &truth, w2v_synth_write_groups);
    if (status == 0 && values.questions_out)
        status = write_truth_file(values.questions_out, &truth, w2v_synth_write_questions);
    double seconds = w2v_now() - start;
    if (status == 0 && !values.quiet)
        fprintf(stderr,
                "w2v: wrote %s: %" PRIu64 " bytes, %" PRIu64 " words, %" PRIu64
                " sentences, %" PRIu32 " planted groups, %" PRIu32 " analogy relations "
                "in %.2f s (%.0f MB/s)\n",
                output, truth.bytes, truth.words, truth.sentences, truth.group_count,
                truth.relation_count, seconds, truth.bytes / 1e6 / (seconds > 0 ? seconds : 1e-9));
    w2v_synth_truth_free(&truth);
    return status == 0 ? 0 : w2v_report_error();
}
