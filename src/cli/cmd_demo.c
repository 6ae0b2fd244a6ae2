/* cmd_demo.c — `w2v demo`: the whole product on a built-in corpus, no download.
 *
 * Generates a corpus with planted structure (synth.h: word groups that share
 * contexts, and group pairs that form analogies), trains skip-gram on it in
 * process through the same pipeline and trainer as `w2v train` (pipeline.h,
 * train.h) with the same progress lines, then shows what the vectors learned: the
 * nearest neighbours of planted words, how many of every planted word's
 * neighbours are from its own group (and what chance would give), and the
 * accuracy on the planted analogy questions. */
#include "commands.h"

#include "options.h"
#include "train_options.h"
#include "w2v/blas_pool.h"
#include "w2v/error.h"
#include "w2v/eval.h"
#include "w2v/pipeline.h"
#include "w2v/search.h"
#include "w2v/synth.h"
#include "w2v/train.h"
#include "w2v/vectors.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct demo_args {
    uint64_t words, seed;
    uint32_t threads, iter;
    const char *keep_path;
};

#define AT(field) offsetof(struct demo_args, field)

static const struct w2v_option options_table[] = {
    {W2V_OPT_U64, "--words", .arg = "N", .offset = AT(words), .min = 10000, .max = 1000000000,
     .help = "corpus size in words (default 3000000)"},
    {W2V_OPT_U32, "--threads", .arg = "N", .offset = AT(threads), .min = 1, .max = 4096,
     .help = "training threads (default: all online CPUs)"},
    {W2V_OPT_U32, "--iter", .arg = "N", .offset = AT(iter), .min = 1, .max = 1000,
     .help = "epochs (default 3)"},
    {W2V_OPT_U64, "--seed", .arg = "N", .offset = AT(seed),
     .help = "corpus and training seed (default 1)"},
    {W2V_OPT_STRING, "-o", "--output", "FILE", AT(keep_path),
     .help = "also keep the trained vectors (word2vec text format)"},
    {W2V_OPT_HELP, "--help", .help = "this text"},
    {W2V_OPT_END},
};

static const struct w2v_command_spec spec = {
    .name = "demo",
    .usage = "usage: w2v demo [--words N] [--threads N] [--iter N] [--seed N] [-o VECTORS]\n"
             "\n"
             "Generates a corpus with planted word groups and analogies, trains skip-gram on it,\n"
             "and prints what the vectors learned. Needs no input files.\n"
             "\n",
    .options = options_table,
    .column = 16,
};

struct demo_files {
    char dir[64];
    char corpus[96], questions[96];
};

static int make_files(struct demo_files *files) {
    const char *base = getenv("TMPDIR");
    snprintf(files->dir, sizeof files->dir, "%s/w2v-demo-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(files->dir))
        return w2v_error("cannot create a temporary directory in %s",
                         base && *base ? base : "/tmp");
    snprintf(files->corpus, sizeof files->corpus, "%s/corpus.txt", files->dir);
    snprintf(files->questions, sizeof files->questions, "%s/questions.txt", files->dir);
    return 0;
}

static void remove_files(const struct demo_files *files) {
    unlink(files->corpus);
    unlink(files->questions);
    rmdir(files->dir);
}

static int write_corpus(const struct demo_files *files, uint64_t words, uint64_t seed,
                        struct w2v_synth_truth *truth) {
    struct w2v_synth_config config;
    w2v_synth_default_config(&config);
    config.size_words = words;
    config.seed = seed;
    config.vocab_size = 20000;
    config.analogies = true;
    FILE *corpus = fopen(files->corpus, "wb");
    if (!corpus) return w2v_error("cannot write '%s'", files->corpus);
    int status = w2v_synth_write(corpus, &config, truth);
    if (fclose(corpus) != 0 && status == 0) status = w2v_error("cannot write '%s'", files->corpus);
    if (status != 0) return -1;
    FILE *questions = fopen(files->questions, "wb");
    if (!questions) return w2v_error("cannot write '%s'", files->questions);
    status = w2v_synth_write_questions(questions, truth);
    if (fclose(questions) != 0 && status == 0) status = -1;
    fprintf(stderr,
            "demo: generated %" PRIu64 " words, %" PRIu32 " planted groups of %" PRIu32
            " words, %" PRIu32 " analogy relations\n",
            truth->words, truth->group_count, truth->group_size, truth->relation_count);
    return status;
}

/* Trains skip-gram on the corpus as `w2v train` would (same pipeline, trainer
 * and progress lines) with dim 100, window 5, negative 5, sample 1e-4. */
static int train(const struct demo_files *files, const struct demo_args *args,
                 struct w2v_pipeline *pipeline, struct w2v_model *model) {
    struct w2v_train_options options = {0};
    w2v_pipeline_options_default(&options.input);
    w2v_train_config_default(&options.config);
    options.config.sample = 1e-4;
    options.config.epochs = args->iter;
    options.config.seed = args->seed;
    if (args->threads) options.config.threads = args->threads;
    options.input.train_path = files->corpus;
    options.input.threads = options.config.threads;
    if (w2v_pipeline_open(pipeline, &options.input) != 0) return -1;
    w2v_train_report_start(&options, pipeline);
    struct w2v_train_report report;
    if (w2v_train(model, &pipeline->encoded, &pipeline->vocab, &options.config, &report) != 0)
        return -1;
    w2v_train_report_done(&report);
    return 0;
}

static void show_neighbours(const struct w2v_search *search, const struct w2v_synth_truth *truth) {
    printf("\nnearest neighbours of planted words ([g]: a member of group g, (g): one of its "
           "context words):\n");
    for (uint32_t g = 0; g < 4 && g < truth->group_count; g++) {
        const char *word = truth->members[g * truth->group_size];
        int64_t row = w2v_search_find(search, word);
        if (row < 0) continue;
        uint64_t exclude = (uint64_t)row, rows[6];
        float cosines[6];
        size_t found = w2v_search_nearest(search, search->unit + (size_t)row * search->stride,
                                          &exclude, 1, 6, rows, cosines);
        printf("  %-12s [%u]:", word, g);
        for (size_t i = 0; i < found; i++) {
            const char *neighbour = search->vectors->words[rows[i]];
            int member_of = w2v_synth_group_of(truth, neighbour);
            int context_of = w2v_synth_topic_of(truth, neighbour);
            if (member_of >= 0)
                printf(" %s [%d] %.2f", neighbour, member_of, (double)cosines[i]);
            else if (context_of >= 0)
                printf(" %s (%d) %.2f", neighbour, context_of, (double)cosines[i]);
            else
                printf(" %s %.2f", neighbour, (double)cosines[i]);
        }
        printf("\n");
    }
}

/* Share of each member's (group_size − 1) nearest words that belong to its own
 * group: its members and context words (w2v_synth_topic_of). */
static void show_group_purity(const struct w2v_search *search,
                              const struct w2v_synth_truth *truth) {
    const size_t k = truth->group_size - 1;
    uint64_t *rows = malloc(k * sizeof *rows);
    float *cosines = malloc(k * sizeof *cosines);
    uint64_t same = 0, total = 0;
    for (uint32_t m = 0; m < truth->group_count * truth->group_size; m++) {
        int64_t row = w2v_search_find(search, truth->members[m]);
        if (row < 0) continue;
        uint64_t exclude = (uint64_t)row;
        size_t found = w2v_search_nearest(search, search->unit + (size_t)row * search->stride,
                                          &exclude, 1, k, rows, cosines);
        for (size_t i = 0; i < found; i++)
            same += w2v_synth_topic_of(truth, search->vectors->words[rows[i]]) ==
                    (int)(m / truth->group_size);
        total += k;
    }
    const double group_words = truth->group_size + truth->contexts_per_group - 1.0;
    printf("\nplanted groups: %.1f%% of each member's %zu nearest words belong to its group "
           "(chance: %.2f%%)\n",
           total ? 100.0 * (double)same / (double)total : 0.0, k,
           100.0 * group_words / (double)search->count);
    free(rows);
    free(cosines);
}

static int show_analogies(const struct demo_files *files, const struct w2v_vectors *vectors) {
    struct w2v_analogy_questions questions;
    if (w2v_analogy_questions_load(files->questions, &questions) != 0) return -1;
    struct w2v_analogy_options options;
    w2v_analogy_options_default(&options);
    options.restrict_vocab = 0;
    struct w2v_analogy_result result;
    int status = w2v_eval_analogy(vectors, &questions, &options, &result);
    if (status == 0) {
        printf("planted analogies (3CosAdd over all %" PRIu64 " words): %.1f%% of %" PRIu64
               " questions\n",
               vectors->count, 100.0 * w2v_accuracy(result.total), result.total.attempted);
        w2v_analogy_result_free(&result);
    }
    w2v_analogy_questions_free(&questions);
    return status;
}

int w2v_cmd_demo(int argc, char **argv) {
    struct demo_args args = {.words = 3000000, .seed = 1, .iter = 3};
    struct w2v_parsed parsed;
    int status = w2v_options_parse(&spec, argc, argv, &args, &parsed);
    w2v_parsed_free(&parsed);
    if (status != 0) return w2v_options_stop(status);

    struct demo_files files;
    struct w2v_synth_truth truth = {0};
    struct w2v_pipeline pipeline = {0};
    struct w2v_model model = {0};
    struct w2v_vectors vectors = {0};
    struct w2v_search search = {0};
    w2v_blas_pool_stop(); /* its spinning workers would share the training cores */
    if (make_files(&files) != 0) return w2v_report_error();
    status = write_corpus(&files, args.words, args.seed, &truth);
    if (status == 0) status = train(&files, &args, &pipeline, &model);
    if (status == 0) {
        w2v_train_vectors_view(&model, &pipeline.vocab, &vectors);
        w2v_search_init(&search, &vectors, 0, false);
        show_neighbours(&search, &truth);
        show_group_purity(&search, &truth);
        status = show_analogies(&files, &vectors);
        w2v_search_free(&search);
    }
    if (status == 0 && args.keep_path) {
        status = w2v_vectors_write(args.keep_path, &vectors, false);
        if (status == 0) printf("vectors saved to %s\n", args.keep_path);
    }
    w2v_train_vectors_free(&vectors);
    w2v_model_free(&model);
    w2v_pipeline_close(&pipeline);
    w2v_synth_truth_free(&truth);
    remove_files(&files);
    return status == 0 ? 0 : w2v_report_error();
}
