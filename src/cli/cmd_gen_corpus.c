/* cmd_gen_corpus.c — `w2v gen-corpus`: writes a synthetic corpus with planted
 * structure (see w2v/synth.h), and optionally the truth files that let
 * `w2v eval` measure how much of it training recovered. */
#include "args.h"
#include "commands.h"

#include "w2v/atomic_file.h"
#include "w2v/error.h"
#include "w2v/synth.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void print_help(FILE *out) {
    fprintf(out, "usage: w2v gen-corpus -o FILE --size SIZE [options]\n"
                 "\n"
                 "Writes a synthetic corpus: lowercase made-up words, one sentence per line,\n"
                 "Zipf-distributed filler plus planted groups of words that share contexts.\n"
                 "\n"
                 "  -o, --output FILE       the corpus file (written atomically)\n"
                 "  --size SIZE             1G, 500M, 64K or 123456 (bytes; K/M/G = 1024^n),\n"
                 "                          or 2000000w (words)\n"
                 "  --vocab N               distinct words, planted ones included (default 50000)\n"
                 "  --zipf S                filler frequency ~ rank^-S (default 1.0)\n"
                 "  --sentence-mean N       mean words per sentence, log-normal (default 20)\n"
                 "  --groups G              planted groups, 0 for none (default 20)\n"
                 "  --group-size S          member words per group (default 10)\n"
                 "  --group-contexts C      context words per group (default 10)\n"
                 "  --topic-fraction F      share of sentences about a group (default 0.5)\n"
                 "  --analogies             pair groups 2r,2r+1 into analogy relations\n"
                 "  --identity-words K      context words of each analogy pair (default 2)\n"
                 "  --groups-out FILE       write the groups, one line of members each\n"
                 "  --questions-out FILE    write analogy questions (questions-words.txt format;\n"
                 "                          needs --analogies)\n"
                 "  --seed N                random seed (default 1); same flags -> same bytes\n"
                 "  --threads N             generator threads (default: online cores); the\n"
                 "                          output does not depend on it\n"
                 "  -q, --quiet             no summary line on stderr\n");
}

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

static double seconds_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + now.tv_nsec * 1e-9;
}

int w2v_cmd_gen_corpus(int argc, char **argv) {
    struct w2v_synth_config config;
    w2v_synth_default_config(&config);
    config.size_words = 0;
    const char *output = NULL, *groups_out = NULL, *questions_out = NULL;
    bool quiet = false;
    for (int i = 1; i < argc; i++) {
        const char *flag = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        int rc = 0, takes_value = 1;
        if (strcmp(flag, "--help") == 0 || strcmp(flag, "-h") == 0) {
            print_help(stdout);
            return 0;
        } else if (strcmp(flag, "--analogies") == 0) {
            config.analogies = true, takes_value = 0;
        } else if (strcmp(flag, "--quiet") == 0 || strcmp(flag, "-q") == 0) {
            quiet = true, takes_value = 0;
        } else if (!value) {
            fprintf(stderr, "w2v: %s needs a value (try 'w2v gen-corpus --help')\n", flag);
            return 2;
        } else if (strcmp(flag, "-o") == 0 || strcmp(flag, "--output") == 0) {
            output = value;
        } else if (strcmp(flag, "--size") == 0) {
            rc = w2v_synth_parse_size(flag, value, &config.size_bytes, &config.size_words);
        } else if (strcmp(flag, "--vocab") == 0) {
            rc = w2v_parse_u32(flag, value, 2, W2V_SYNTH_MAX_VOCAB, &config.vocab_size);
        } else if (strcmp(flag, "--zipf") == 0) {
            rc = w2v_parse_double(flag, value, 0.01, 10, &config.zipf_exponent);
        } else if (strcmp(flag, "--sentence-mean") == 0) {
            rc = w2v_parse_double(flag, value, 2, 500, &config.sentence_mean);
        } else if (strcmp(flag, "--groups") == 0) {
            rc = w2v_parse_u32(flag, value, 0, 1000000, &config.groups);
        } else if (strcmp(flag, "--group-size") == 0) {
            rc = w2v_parse_u32(flag, value, 2, 100000, &config.group_size);
        } else if (strcmp(flag, "--group-contexts") == 0) {
            rc = w2v_parse_u32(flag, value, 1, 100000, &config.contexts_per_group);
        } else if (strcmp(flag, "--topic-fraction") == 0) {
            rc = w2v_parse_double(flag, value, 0, 1, &config.topic_fraction);
        } else if (strcmp(flag, "--identity-words") == 0) {
            rc = w2v_parse_u32(flag, value, 1, 1000, &config.identity_words);
        } else if (strcmp(flag, "--groups-out") == 0) {
            groups_out = value;
        } else if (strcmp(flag, "--questions-out") == 0) {
            questions_out = value;
        } else if (strcmp(flag, "--seed") == 0) {
            rc = w2v_parse_u64(flag, value, 0, UINT64_MAX, &config.seed);
        } else if (strcmp(flag, "--threads") == 0) {
            rc = w2v_parse_u32(flag, value, 1, 256, &config.threads);
        } else {
            fprintf(stderr,
                    "w2v: unknown option '%s' for gen-corpus (try 'w2v gen-corpus --help')\n",
                    flag);
            return 2;
        }
        if (rc != 0) return w2v_report_error();
        i += takes_value;
    }
    if (!output) {
        w2v_error("gen-corpus needs an output file (-o FILE)");
        return w2v_report_error();
    }
    if (config.size_bytes == 0 && config.size_words == 0) {
        w2v_error("gen-corpus needs a size (--size 1G, 500M or 2000000w)");
        return w2v_report_error();
    }
    if (questions_out && !config.analogies) {
        w2v_error("--questions-out needs --analogies (no analogies are planted without it)");
        return w2v_report_error();
    }
    if (w2v_synth_validate(&config) != 0) return w2v_report_error();

    double start = seconds_now();
    struct w2v_atomic_file file;
    if (w2v_atomic_open(&file, output) != 0) return w2v_report_error();
    struct w2v_synth_truth truth;
    if (w2v_synth_write(file.fp, &config, &truth) != 0) {
        w2v_atomic_abort(&file);
        w2v_synth_truth_free(&truth);
        return w2v_report_error();
    }
    int status = w2v_atomic_commit(&file);
    if (status == 0 && groups_out)
        status = write_truth_file(groups_out, &truth, w2v_synth_write_groups);
    if (status == 0 && questions_out)
        status = write_truth_file(questions_out, &truth, w2v_synth_write_questions);
    double seconds = seconds_now() - start;
    if (status == 0 && !quiet)
        fprintf(stderr,
                "w2v: wrote %s: %" PRIu64 " bytes, %" PRIu64 " words, %" PRIu64
                " sentences, %" PRIu32 " planted groups, %" PRIu32 " analogy relations "
                "in %.2f s (%.0f MB/s)\n",
                output, truth.bytes, truth.words, truth.sentences, truth.group_count,
                truth.relation_count, seconds, truth.bytes / 1e6 / (seconds > 0 ? seconds : 1e-9));
    w2v_synth_truth_free(&truth);
    return status == 0 ? 0 : w2v_report_error();
}
