/* w2v_bench.c — the benchmark harness: runs `w2v train --json --quiet` once per
 * configuration of a sweep (threads × models × losses × dims, repeated), and
 * reports throughput, scaling, memory, GFLOP/s against the machine's measured
 * FMA peak and, optionally, vector quality through `w2v eval`. See
 * bench/README.md for the flags and the meaning of every column. */
#include "bench_child.h"
#include "bench_kernels.h"
#include "bench_machine.h"
#include "bench_peak.h"
#include "bench_plot.h"
#include "bench_report.h"
#include "bench_result.h"
#include "bench_threads.h"

#include "../src/cli/options.h"
#include "w2v/atomic_file.h"
#include "w2v/error.h"
#include "w2v/synth.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_LIST = 16, MAX_EXTRA = 64 };

struct options {
    const char *w2v;
    uint32_t *threads;
    size_t thread_count;
    const char *models[MAX_LIST], *losses[MAX_LIST], *dims[MAX_LIST];
    size_t model_count, loss_count, dim_count;
    uint32_t repeat;
    const char *corpus;
    struct w2v_size_arg generate; /* --generate SIZE */
    const char *generate_text;
    const char *window, *negative, *sample, *iter, *min_count;
    bool pin;
    bool kernels; /* --kernels: the kernels alone, no training */
    const char *eval_analogy, *eval_similarity;
    const char *json_out, *csv_out, *plot_out;
    char **extra; /* after "--" */
    size_t extra_count;
};

static int split_list(const char *flag, char *text, const char **items, size_t *count) {
    *count = 0;
    for (char *save = NULL, *item = strtok_r(text, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        if (*count == MAX_LIST) return w2v_error("%s: at most %d items", flag, MAX_LIST);
        items[(*count)++] = item;
    }
    if (*count == 0) return w2v_error("%s: empty list", flag);
    return 0;
}

static int check_choices(const char *flag, const char **items, size_t count,
                         const char *const *allowed) {
    for (size_t i = 0; i < count; i++) {
        bool ok = false;
        for (size_t a = 0; allowed[a]; a++) ok |= strcmp(items[i], allowed[a]) == 0;
        if (!ok) return w2v_error("invalid value for %s: '%s'", flag, items[i]);
    }
    return 0;
}

static int parse_threads(const char *flag, const char *text, void *values) {
    (void)flag;
    struct options *o = values;
    free(o->threads);
    return w2v_bench_parse_threads(text, &o->threads, &o->thread_count);
}

/* A comma-separated list of names, each one of `allowed`. */
static int parse_names(const char *flag, const char *text, const char **items, size_t *count,
                       const char *const *allowed) {
    if (split_list(flag, (char *)text, items, count) != 0) return -1;
    return check_choices(flag, items, *count, allowed);
}

static int parse_models(const char *flag, const char *text, void *values) {
    struct options *o = values;
    return parse_names(flag, text, o->models, &o->model_count,
                       (const char *const[]){"sg", "cbow", NULL});
}

static int parse_losses(const char *flag, const char *text, void *values) {
    struct options *o = values;
    return parse_names(flag, text, o->losses, &o->loss_count,
                       (const char *const[]){"ns", "hs", "softmax", NULL});
}

static int parse_dims(const char *flag, const char *text, void *values) {
    struct options *o = values;
    if (split_list(flag, (char *)text, o->dims, &o->dim_count) != 0) return -1;
    for (size_t i = 0; i < o->dim_count; i++) {
        uint64_t dim;
        if (w2v_parse_u64(flag, o->dims[i], 1, 10000, &dim) != 0) return -1;
    }
    return 0;
}

static int parse_generate(const char *flag, const char *text, void *values) {
    struct options *o = values;
    o->generate_text = text;
    return w2v_parse_size(flag, text, &o->generate.bytes, &o->generate.words);
}

#define AT(field) offsetof(struct options, field)

static const struct w2v_option options_table[] = {
    {W2V_OPT_STRING, "--corpus", .arg = "FILE", .offset = AT(corpus),
     .help = "train on this text file"},
    {W2V_OPT_CUSTOM, "--generate", .arg = "SIZE", .parse = parse_generate,
     .help = "generate a synthetic corpus (1G, 500M, 2000000w) in a\n"
             "temporary directory (removed afterwards); its planted\n"
             "analogies are evaluated unless --eval-analogy is given"},
    {W2V_OPT_CUSTOM, "--threads", .arg = "LIST", .parse = parse_threads,
     .help = "thread counts: 1,2,4 or 1-16 or 1-4,8 (default 1..cores)"},
    {W2V_OPT_CUSTOM, "--models", .arg = "LIST", .parse = parse_models,
     .help = "sg,cbow (default sg)"},
    {W2V_OPT_CUSTOM, "--losses", .arg = "LIST", .parse = parse_losses,
     .help = "ns,hs,softmax (default ns)"},
    {W2V_OPT_CUSTOM, "--dims", .arg = "LIST", .parse = parse_dims,
     .help = "vector sizes, e.g. 100,300 (default 100)"},
    {W2V_OPT_TEXT, .help = "  --window N --negative N --sample X --iter N --min-count N\n"
                           "                         passed to train (defaults 5, 5, 1e-4, 3, 5)"},
    {W2V_OPT_STRING, "--window", .offset = AT(window)},
    {W2V_OPT_STRING, "--negative", .offset = AT(negative)},
    {W2V_OPT_STRING, "--sample", .offset = AT(sample)},
    {W2V_OPT_STRING, "--iter", .offset = AT(iter)},
    {W2V_OPT_STRING, "--min-count", .offset = AT(min_count)},
    {W2V_OPT_U32, "--repeat", .arg = "N", .offset = AT(repeat), .min = 1, .max = 100,
     .help = "runs per configuration; the median words/s is reported"},
    {W2V_OPT_FLAG, "--pin", .offset = AT(pin), .help = "pass --pin to train (one thread per core)"},
    {W2V_OPT_FLAG, "--kernels", .offset = AT(kernels),
     .help = "instead of training: each ISA's kernels alone, in\n"
             "cache, at a window step's shapes (--dims, --window,\n"
             "--negative): GFLOP/s and % of the FMA peak"},
    {W2V_OPT_STRING, "--eval-analogy", .arg = "FILE", .offset = AT(eval_analogy),
     .help = "questions-words.txt file for 'w2v eval analogy'"},
    {W2V_OPT_STRING, "--eval-similarity", .arg = "FILE", .offset = AT(eval_similarity),
     .help = "word-pair file for 'w2v eval similarity'"},
    {W2V_OPT_TEXT,
     .help = "  --json FILE  --csv FILE  --plot FILE.png   also write these (atomically)"},
    {W2V_OPT_STRING, "--json", .offset = AT(json_out)},
    {W2V_OPT_STRING, "--csv", .offset = AT(csv_out)},
    {W2V_OPT_STRING, "--plot", .offset = AT(plot_out)},
    {W2V_OPT_STRING, "--w2v", .arg = "PATH", .offset = AT(w2v),
     .help = "the w2v program (default: beside w2v-bench, or the\nbuild tree's src/w2v)"},
    {W2V_OPT_END},
};

static const struct w2v_command_spec spec = {
    .program = "w2v-bench",
    .usage = "usage: w2v-bench (--corpus FILE | --generate SIZE) [options] [-- extra train flags]\n"
             "       w2v-bench --kernels [--dims LIST] [--window N] [--negative N]\n"
             "\n"
             "Runs 'w2v train --json --quiet' for every combination of the lists below and\n"
             "reports words/s, scaling against 1 thread, memory and GFLOP/s vs. the FMA peak.\n"
             "\n",
    .options = options_table,
    .column = 25,
    .passthrough = true,
};

/* 0; 1 after --help; -1 on a usage error (w2v_error set). */
static int parse_options(int argc, char **argv, struct options *o) {
    static char default_model[] = "sg", default_loss[] = "ns", default_dim[] = "100";
    memset(o, 0, sizeof *o);
    o->repeat = 1;
    o->window = "5", o->negative = "5", o->sample = "1e-4", o->iter = "3", o->min_count = "5";
    o->models[0] = default_model, o->losses[0] = default_loss, o->dims[0] = default_dim;
    o->model_count = o->loss_count = o->dim_count = 1;
    struct w2v_parsed parsed;
    int status = w2v_options_parse(&spec, argc, argv, o, &parsed);
    o->extra = parsed.rest;
    o->extra_count = (size_t)parsed.rest_count;
    w2v_parsed_free(&parsed);
    if (status != 0) return status;
    if (o->extra_count > MAX_EXTRA) return w2v_error("too many extra train flags");
    if (o->kernels) {
        if (o->corpus || o->generate_text)
            return w2v_error("--kernels trains nothing: give it without --corpus or --generate");
        return 0;
    }
    if ((o->corpus == NULL) == (o->generate_text == NULL))
        return w2v_error("give exactly one of --corpus FILE and --generate SIZE");
    return 0;
}

/* The w2v program: --w2v, else beside this program, else ../src/w2v (the build tree). */
static char *find_w2v(const char *given) {
    if (given) return strdup(given);
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0) return NULL;
    self[len] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash) return NULL;
    *slash = '\0';
    const char *candidates[] = {"/w2v", "/../src/w2v"};
    for (size_t i = 0; i < 2; i++) {
        char path[PATH_MAX + 16];
        snprintf(path, sizeof path, "%s%s", self, candidates[i]);
        if (access(path, X_OK) == 0) return realpath(path, NULL);
    }
    return NULL;
}

/* First line of `w2v --version`. */
static char *w2v_version(const char *w2v) {
    char *argv[] = {(char *)w2v, "--version", NULL};
    struct w2v_bench_child child;
    if (w2v_bench_run_child(argv, 1, &child) != 0 || child.exit_status != 0) {
        free(child.output);
        return strdup("unknown");
    }
    child.output[strcspn(child.output, "\n")] = '\0';
    return child.output;
}

struct temp_dir {
    char path[PATH_MAX];
    char corpus[PATH_MAX + 32], questions[PATH_MAX + 32], vectors[PATH_MAX + 32];
};

static int make_temp_dir(struct temp_dir *dir) {
    const char *base = getenv("TMPDIR");
    snprintf(dir->path, sizeof dir->path, "%s/w2v-bench.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir->path))
        return w2v_error("cannot create a temporary directory: %s", strerror(errno));
    snprintf(dir->corpus, sizeof dir->corpus, "%s/corpus.txt", dir->path);
    snprintf(dir->questions, sizeof dir->questions, "%s/questions.txt", dir->path);
    snprintf(dir->vectors, sizeof dir->vectors, "%s/vectors.bin", dir->path);
    return 0;
}

static void remove_temp_dir(struct temp_dir *dir) {
    unlink(dir->corpus), unlink(dir->questions), unlink(dir->vectors);
    if (rmdir(dir->path) != 0)
        fprintf(stderr, "w2v-bench: could not remove %s: %s\n", dir->path, strerror(errno));
}

static int generate_corpus(const struct w2v_size_arg *size, struct temp_dir *dir) {
    struct w2v_synth_config config;
    w2v_synth_default_config(&config);
    config.analogies = true;
    config.size_bytes = size->bytes;
    config.size_words = size->words;
    struct w2v_atomic_file file;
    struct w2v_synth_truth truth;
    if (w2v_atomic_open(&file, dir->corpus) != 0) return -1;
    if (w2v_synth_write(file.fp, &config, &truth) != 0) {
        w2v_atomic_abort(&file);
        w2v_synth_truth_free(&truth);
        return -1;
    }
    int rc = w2v_atomic_commit(&file);
    if (rc == 0 && (rc = w2v_atomic_open(&file, dir->questions)) == 0) {
        if (w2v_synth_write_questions(file.fp, &truth) != 0)
            w2v_atomic_abort(&file), rc = -1;
        else
            rc = w2v_atomic_commit(&file);
    }
    fprintf(stderr,
            "w2v-bench: generated %llu words (%llu bytes) with %u planted analogy "
            "relations in %s\n",
            (unsigned long long)truth.words, (unsigned long long)truth.bytes, truth.relation_count,
            dir->path);
    w2v_synth_truth_free(&truth);
    return rc;
}

/* The number at a dotted path such as "total.accuracy" or "results.0.spearman"
 * (numeric parts index arrays), or NAN. */
static double json_path_number(json_t *root, const char *path) {
    char copy[128];
    snprintf(copy, sizeof copy, "%s", path);
    json_t *node = root;
    for (char *save = NULL, *part = strtok_r(copy, ".", &save); node && part;
         part = strtok_r(NULL, ".", &save)) {
        if (json_is_array(node))
            node = json_array_get(node, (size_t)strtoul(part, NULL, 10));
        else
            node = json_object_get(node, part);
    }
    return json_is_number(node) ? json_number_value(node) : NAN;
}

/* Runs `w2v eval KIND VECTORS FILE --json` and reads the first of `keys` (dotted
 * paths) that holds a number. Returns NAN and prints why, once per kind, if that fails. */
static double run_eval(const char *w2v, const char *kind, const char *vectors, const char *file,
                       const char *const *keys, bool *gave_up) {
    if (*gave_up) return NAN;
    char *argv[] = {(char *)w2v,  "eval",   (char *)kind, (char *)vectors,
                    (char *)file, "--json", NULL};
    struct w2v_bench_child child;
    if (w2v_bench_run_child(argv, 1, &child) != 0) {
        fprintf(stderr, "w2v-bench: %s\n", w2v_last_error());
        *gave_up = true;
        return NAN;
    }
    double value = NAN;
    size_t len = 0;
    const char *line = w2v_bench_last_line(child.output, &len);
    json_t *root = line && child.exit_status == 0 ? json_loadb(line, len, 0, NULL) : NULL;
    for (size_t k = 0; root && keys[k] && isnan(value); k++)
        value = json_path_number(root, keys[k]);
    json_decref(root);
    if (isnan(value)) {
        fprintf(stderr,
                "w2v-bench: 'w2v eval %s ... --json' %s (exit status %d); is it built into this "
                "w2v? The %s column stays empty.\n",
                kind, child.exit_status ? "failed" : "printed no number we know", child.exit_status,
                kind);
        *gave_up = true;
    }
    free(child.output);
    return value;
}

static int compare_runs_by_rate(const struct w2v_bench_run *a, const struct w2v_bench_run *b) {
    return (a->train.words_per_sec > b->train.words_per_sec) -
           (a->train.words_per_sec < b->train.words_per_sec);
}

/* Runs one configuration `repeat` times; keeps the run with the median words/s. */
static int run_configuration(const struct options *o, const char *w2v, const char *corpus,
                             const char *vectors, struct w2v_bench_run *run) {
    char threads_text[16];
    snprintf(threads_text, sizeof threads_text, "%u", run->threads);
    char dim_text[16];
    snprintf(dim_text, sizeof dim_text, "%u", run->dim);
    char *argv[40 + MAX_EXTRA];
    size_t n = 0;
    char *fixed[] = {(char *)w2v,       "train",           "--train",
                     (char *)corpus,    "--output",        (char *)vectors,
                     "--size",          dim_text,          "--window",
                     (char *)o->window, "--negative",      (char *)o->negative,
                     "--sample",        (char *)o->sample, "--iter",
                     (char *)o->iter,   "--min-count",     (char *)o->min_count,
                     "--threads",       threads_text,      "--model",
                     run->model,        "--loss",          run->loss};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) argv[n++] = fixed[i];
    if (o->pin) argv[n++] = "--pin";
    argv[n++] = "--json", argv[n++] = "--quiet";
    for (size_t i = 0; i < o->extra_count; i++) argv[n++] = o->extra[i];
    argv[n] = NULL;
    run->command = w2v_bench_command_line(argv);

    struct w2v_bench_run tries[100];
    double rates[100];
    for (unsigned r = 0; r < o->repeat; r++) {
        tries[r] = *run;
        struct w2v_bench_child child;
        if (w2v_bench_run_child(argv, 0, &child) != 0) return -1;
        if (child.exit_status != 0) {
            free(child.output);
            return w2v_error("train failed (exit status %d): %s", child.exit_status, run->command);
        }
        size_t len = 0;
        const char *line = w2v_bench_last_line(child.output, &len);
        char *json = line ? strndup(line, len) : strdup("");
        int rc = w2v_bench_parse_train_json(json, &tries[r].train);
        free(json), free(child.output);
        if (rc != 0) return -1;
        tries[r].wall_seconds = child.wall_seconds;
        tries[r].max_rss_mib = child.max_rss_mib;
        rates[r] = tries[r].train.words_per_sec;
    }
    size_t median = w2v_bench_median_index(rates, o->repeat);
    const struct w2v_bench_run *lowest = &tries[0], *highest = &tries[0];
    for (unsigned r = 1; r < o->repeat; r++) {
        if (compare_runs_by_rate(&tries[r], lowest) < 0) lowest = &tries[r];
        if (compare_runs_by_rate(&tries[r], highest) > 0) highest = &tries[r];
    }
    char *command = run->command;
    *run = tries[median];
    run->command = command;
    run->repeat_spread = (highest->train.words_per_sec - lowest->train.words_per_sec) /
                         tries[median].train.words_per_sec;
    return 0;
}

static int write_report(const char *path, const struct w2v_bench_context *context,
                        const struct w2v_bench_run *runs, size_t count,
                        int (*write)(FILE *, const struct w2v_bench_context *,
                                     const struct w2v_bench_run *, size_t)) {
    struct w2v_atomic_file file;
    if (w2v_atomic_open(&file, path) != 0) return -1;
    if (write(file.fp, context, runs, count) != 0) {
        w2v_atomic_abort(&file);
        return -1;
    }
    return w2v_atomic_commit(&file);
}

static int fail(void) {
    fprintf(stderr, "w2v-bench: %s\n", w2v_last_error());
    return 1;
}

/* --kernels: the peak, then every ISA's kernels at the --dims. */
static int run_kernels(const struct options *o) {
    uint32_t dims[MAX_LIST];
    uint64_t window, negative;
    for (size_t d = 0; d < o->dim_count; d++) dims[d] = (uint32_t)atoi(o->dims[d]);
    if (w2v_parse_u64("--window", o->window, 1, 64, &window) != 0 ||
        w2v_parse_u64("--negative", o->negative, 0, 63, &negative) != 0) {
        fprintf(stderr, "w2v-bench: %s\n", w2v_last_error());
        return 2;
    }
    struct w2v_bench_machine machine;
    w2v_bench_describe_machine(&machine);
    printf("machine: %s, %u online cores\n", machine.cpu_model, machine.online_cores);
    struct w2v_bench_peak peak;
    fprintf(stderr, "w2v-bench: measuring the FMA peak ...\n");
    w2v_bench_measure_peak(0.2, 1, &peak);
    if (w2v_bench_kernels(stdout, &peak, dims, o->dim_count, (uint32_t)window, (uint32_t)negative,
                          0.05) != 0)
        return fail();
    return 0;
}

int main(int argc, char **argv) {
    struct options o;
    int parsed = parse_options(argc, argv, &o);
    if (parsed != 0) {
        if (parsed < 0) fprintf(stderr, "w2v-bench: %s\n", w2v_last_error());
        free(o.threads);
        return parsed > 0 ? 0 : 2; /* usage errors exit 2, as w2v's */
    }
    if (o.kernels) {
        free(o.threads);
        return run_kernels(&o);
    }
    if (o.corpus && access(o.corpus, R_OK) != 0) {
        w2v_error("cannot read the corpus '%s': %s", o.corpus, strerror(errno));
        free(o.threads);
        return fail();
    }
    char *w2v = find_w2v(o.w2v);
    if (!w2v || access(w2v, X_OK) != 0) {
        w2v_error("cannot find the w2v program (give --w2v PATH)");
        return fail();
    }
    struct w2v_bench_context context;
    memset(&context, 0, sizeof context);
    w2v_bench_describe_machine(&context.machine);
    if (!o.threads &&
        w2v_bench_threads_up_to(context.machine.online_cores, &o.threads, &o.thread_count) != 0)
        return fail();
    char *version = w2v_version(w2v);
    char *bench_command = w2v_bench_command_line(argv);
    context.w2v_version = version;
    context.bench_command = bench_command;
    context.repeat = o.repeat;
    char corpus_label[256];
    snprintf(corpus_label, sizeof corpus_label, "%s%s", o.corpus ? o.corpus : "generated ",
             o.corpus ? "" : o.generate_text);
    context.corpus = corpus_label;

    fprintf(stderr, "w2v-bench: measuring the FMA peak ...\n");
    w2v_bench_measure_peak(0.2, context.machine.online_cores, &context.peak);

    struct temp_dir dir;
    if (make_temp_dir(&dir) != 0) return fail();
    int status = 0;
    const char *corpus = o.corpus;
    const char *analogy_file = o.eval_analogy;
    if (o.generate_text) {
        status = generate_corpus(&o.generate, &dir);
        corpus = dir.corpus;
        if (!analogy_file) analogy_file = dir.questions;
    }

    size_t total = o.model_count * o.loss_count * o.dim_count * o.thread_count, done = 0;
    struct w2v_bench_run *runs = calloc(total, sizeof *runs);
    bool analogy_gave_up = false, similarity_gave_up = false;
    static const char *const analogy_keys[] = {"total.accuracy", "accuracy", NULL};
    static const char *const similarity_keys[] = {"results.0.spearman", "spearman", NULL};
    for (size_t m = 0; status == 0 && m < o.model_count; m++)
        for (size_t l = 0; status == 0 && l < o.loss_count; l++)
            for (size_t d = 0; status == 0 && d < o.dim_count; d++)
                for (size_t t = 0; status == 0 && t < o.thread_count; t++) {
                    struct w2v_bench_run *run = &runs[done++];
                    w2v_bench_run_init(run, o.models[m], o.losses[l], (uint32_t)atoi(o.dims[d]),
                                       o.threads[t]);
                    fprintf(stderr, "w2v-bench: [%zu/%zu] %s %s dim %u, %u thread%s ...", done,
                            total, run->model, run->loss, run->dim, run->threads,
                            run->threads == 1 ? "" : "s");
                    if (run_configuration(&o, w2v, corpus, dir.vectors, run) != 0) {
                        fprintf(stderr, "\n");
                        status = -1;
                        done--;
                        break;
                    }
                    fprintf(stderr, " %.0f words/s\n", run->train.words_per_sec);
                    if (analogy_file)
                        run->analogy_accuracy = run_eval(w2v, "analogy", dir.vectors, analogy_file,
                                                         analogy_keys, &analogy_gave_up);
                    if (o.eval_similarity)
                        run->similarity_rho =
                            run_eval(w2v, "similarity", dir.vectors, o.eval_similarity,
                                     similarity_keys, &similarity_gave_up);
                }
    if (status != 0) fprintf(stderr, "w2v-bench: %s\n", w2v_last_error());

    w2v_bench_compute_scaling(runs, done);
    for (size_t i = 0; i < done; i++) {
        runs[i].peak_gflops = w2v_bench_peak_for_threads(
            context.peak.single_core, context.peak.all_cores, context.peak.cores, runs[i].threads);
        runs[i].peak_fraction = runs[i].train.gflops / runs[i].peak_gflops;
    }
    if (done > 0) {
        w2v_bench_write_table(stdout, &context, runs, done);
        fflush(stdout);
        if (o.json_out && write_report(o.json_out, &context, runs, done, w2v_bench_write_json))
            status = fail();
        if (o.csv_out && write_report(o.csv_out, &context, runs, done, w2v_bench_write_csv))
            status = fail();
        if (o.plot_out && w2v_bench_plot(o.plot_out, &context, runs, done) != 0) status = fail();
    }
    remove_temp_dir(&dir);
    for (size_t i = 0; i < total; i++) free(runs[i].command);
    free(runs), free(o.threads), free(w2v), free(version), free(bench_command);
    return status == 0 ? 0 : 1;
}
