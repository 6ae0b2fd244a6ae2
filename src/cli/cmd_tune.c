/* cmd_tune.c — `w2v tune`: timed trials on a sample of the corpus (tune.h),
 * a table of them on stderr and the `w2v train` command line to use on stdout. */
#include "commands.h"

#include "options.h"
#include "train_options.h"
#include "w2v/alloc.h"
#include "w2v/blas_pool.h"
#include "w2v/error.h"
#include "w2v/parallel.h"
#include "w2v/pipeline.h"
#include "w2v/tune.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: w2v tune --train CORPUS [tune options] [w2v train options]\n"
    "\n"
    "Picks the fastest --threads, --pin and --batch for this machine that keep\n"
    "quality, from short timed trials on a sample of CORPUS, and prints the\n"
    "`w2v train` command line to use (on stdout; the trials' table goes to stderr).\n"
    "Each trial trains one epoch over the first --sample-words words of the corpus\n"
    "with your other training flags (--size, --window, --negative, --model, ...)\n"
    "and one candidate: 1, 2, 4, ... up to --max-threads threads, unpinned and\n"
    "pinned, and for skip-gram --batch pair at the most threads. Quality guard: a\n"
    "candidate's training loss on the sample may exceed the 1-thread, unpinned,\n"
    "window-batch trial's by at most --tolerance (a fraction). On an HPC node run it\n"
    "inside the job's allocation (same cores, same numactl policy) as the real run.\n"
    "\n"
    "  --sample-words N   words in the sample (default 2000000; K/M/G suffixes)\n"
    "  --max-threads N    most threads tried (default: the online CPUs)\n"
    "  --tolerance X      largest relative loss increase accepted (default 0.01)\n"
    "  -h, --help         this text\n";

struct tune_flags {
    uint64_t sample_words;
    uint32_t max_threads;
    double tolerance;
};

/* Takes tune's own flags out of argv (in place); returns the new argc, or -1 with
 * w2v_error set on a bad value. */
static int take_tune_flags(int argc, char **argv, struct tune_flags *flags) {
    int kept = 1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *names[] = {"--sample-words", "--max-threads", "--tolerance"};
        int which = -1;
        const char *value = NULL;
        for (int n = 0; n < 3; n++) {
            size_t len = strlen(names[n]);
            if (strncmp(arg, names[n], len) == 0 && (arg[len] == '\0' || arg[len] == '=')) {
                which = n;
                value = arg[len] == '=' ? arg + len + 1 : NULL;
            }
        }
        if (which < 0) {
            argv[kept++] = argv[i];
            continue;
        }
        if (!value) {
            if (i + 1 >= argc) return w2v_error("%s needs a value", names[which]);
            value = argv[++i];
        }
        uint64_t number;
        char *end;
        switch (which) {
        case 0: {
            uint64_t bytes = 0, words = 0;
            if (w2v_parse_size(names[0], value, &bytes, &words) != 0) return -1;
            flags->sample_words = words ? words : bytes;
            if (flags->sample_words < 1000)
                return w2v_error("--sample-words must be at least 1000, got '%s'", value);
            break;
        }
        case 1:
            if (w2v_parse_u64(names[1], value, 1, 4096, &number) != 0) return -1;
            flags->max_threads = (uint32_t)number;
            break;
        default:
            flags->tolerance = strtod(value, &end);
            if (end == value || *end || !(flags->tolerance >= 0 && flags->tolerance <= 1))
                return w2v_error("--tolerance wants a number from 0 to 1, got '%s'", value);
        }
    }
    return kept;
}

static void print_trial(const struct w2v_tune_trial *t, const struct w2v_tune_trial *reference,
                        double tolerance, bool chosen) {
    fprintf(stderr, "  %7u %4s %6s %12.0f %10.6f %+8.2f%% %s%s\n", t->threads,
            t->pin ? "yes" : "no", t->batch == W2V_BATCH_PAIR ? "pair" : "window", t->words_per_sec,
            t->loss, reference->loss > 0 ? 100.0 * (t->loss / reference->loss - 1.0) : 0.0,
            t->failed                                  ? "failed"
            : w2v_tune_passes(t, reference, tolerance) ? "ok"
                                                       : "worse",
            chosen ? "  <- chosen" : "");
}

int w2v_cmd_tune(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        }
    struct tune_flags flags = {2000000, w2v_online_cpus(), 0.01};
    char **args = w2v_xmalloc(((size_t)argc + 1) * sizeof *args);
    memcpy(args, argv, (size_t)argc * sizeof *args);
    args[argc] = NULL;
    int count = take_tune_flags(argc, args, &flags);
    struct w2v_train_options options;
    if (count < 0 || w2v_train_options_parse(&options, count, args, W2V_DIALECT_W2V) != 0) {
        w2v_free(args);
        return w2v_usage_error();
    }
    w2v_blas_pool_stop(); /* its spinning workers would slow the first trials */
    struct w2v_pipeline pipeline = {0};
    int status = w2v_pipeline_open(&pipeline, &options.input);
    if (status != 0) {
        w2v_free(args);
        return w2v_report_error();
    }
    struct w2v_encoded_corpus sample;
    w2v_tune_sample(&pipeline.encoded, flags.sample_words, &sample);
    struct w2v_tune_trial trials[W2V_TUNE_MAX_TRIALS];
    size_t n = w2v_tune_candidates(flags.max_threads, options.config.model, trials);
    fprintf(stderr,
            "w2v tune: %" PRIu64 " sample words (%" PRIu64 " sentences) of %" PRIu64
            "; %zu trials of one epoch\n",
            sample.token_count, sample.sentence_count, pipeline.encoded.token_count, n);
    fprintf(stderr, "  %7s %4s %6s %12s %10s %9s %s\n", "threads", "pin", "batch", "words/s",
            "loss", "vs 1 thr", "guard");
    for (size_t i = 0; i < n; i++) {
        w2v_tune_run_trial(&trials[i], &options.config, &pipeline.encoded, &sample,
                           &pipeline.vocab);
        print_trial(&trials[i], &trials[0], flags.tolerance, false);
    }
    int best = w2v_tune_choose(trials, n, flags.tolerance);
    int exit_status = 0;
    if (best < 0) {
        w2v_error("every trial failed on the sample (the 1-thread trial too): %s",
                  "check the training flags");
        exit_status = w2v_report_error();
    } else {
        fprintf(stderr, "chosen:\n");
        print_trial(&trials[best], &trials[0], flags.tolerance, true);
        size_t length = w2v_tune_command(NULL, 0, args + 1, (size_t)count - 1, &trials[best]);
        char *line = w2v_xmalloc(length + 1);
        w2v_tune_command(line, length + 1, args + 1, (size_t)count - 1, &trials[best]);
        printf("%s\n", line);
        w2v_free(line);
    }
    w2v_pipeline_close(&pipeline);
    w2v_free(args);
    return exit_status;
}
