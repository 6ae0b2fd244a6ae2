/* cmd_demo.c — `w2v demo`: the whole product on a built-in corpus, no download.
 *
 * Generates a corpus with planted structure (synth.h: word groups that share
 * contexts, and group pairs that form analogies), trains skip-gram on it with
 * the real `w2v train` pipeline, then shows what the vectors learned: the
 * nearest neighbours of planted words, how many of every planted word's
 * neighbours are from its own group (and what chance would give), and the
 * accuracy on the planted analogy questions. */
#include "commands.h"

#include "args.h"
#include "w2v/atomic_file.h"
#include "w2v/error.h"
#include "w2v/eval.h"
#include "w2v/search.h"
#include "w2v/synth.h"
#include "w2v/vectors.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: w2v demo [--words N] [--threads N] [--iter N] [--seed N] [-o VECTORS]\n"
    "\n"
    "Generates a corpus with planted word groups and analogies, trains skip-gram on it,\n"
    "and prints what the vectors learned. Needs no input files.\n"
    "\n"
    "  --words N     corpus size in words (default 3000000)\n"
    "  --threads N   training threads (default: all online CPUs)\n"
    "  --iter N      epochs (default 3)\n"
    "  --seed N      corpus and training seed (default 1)\n"
    "  -o FILE       also keep the trained vectors (word2vec text format)\n"
    "  --help        this text\n";

struct demo_files {
    char dir[64];
    char corpus[96], vectors[96], questions[96];
};

static int make_files(struct demo_files *files) {
    const char *base = getenv("TMPDIR");
    snprintf(files->dir, sizeof files->dir, "%s/w2v-demo-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(files->dir))
        return w2v_error("cannot create a temporary directory in %s",
                         base && *base ? base : "/tmp");
    snprintf(files->corpus, sizeof files->corpus, "%s/corpus.txt", files->dir);
    snprintf(files->vectors, sizeof files->vectors, "%s/vectors.txt", files->dir);
    snprintf(files->questions, sizeof files->questions, "%s/questions.txt", files->dir);
    return 0;
}

static void remove_files(const struct demo_files *files) {
    unlink(files->corpus);
    unlink(files->vectors);
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

/* Runs `w2v train` on the corpus, exactly as a user would. */
static int train(const struct demo_files *files, const char *threads, const char *iter,
                 const char *seed) {
    char *argv[] = {"train",
                    "--train",
                    (char *)files->corpus,
                    "--output",
                    (char *)files->vectors,
                    "--size",
                    "100",
                    "--window",
                    "5",
                    "--negative",
                    "5",
                    "--sample",
                    "1e-4",
                    "--min-count",
                    "5",
                    "--iter",
                    (char *)iter,
                    "--seed",
                    (char *)seed,
                    "--threads",
                    (char *)threads,
                    NULL};
    int argc = (int)(sizeof argv / sizeof *argv) - 1;
    if (!threads) argc -= 2; /* default thread count */
    return w2v_cmd_train(argc, argv) == 0 ? 0 : w2v_error("training failed");
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
    static const struct option options[] = {{"words", required_argument, NULL, 'w'},
                                            {"threads", required_argument, NULL, 't'},
                                            {"iter", required_argument, NULL, 'i'},
                                            {"seed", required_argument, NULL, 's'},
                                            {"output", required_argument, NULL, 'o'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    uint64_t words = 3000000, seed = 1;
    uint32_t threads = 0, iter = 3;
    const char *threads_text = NULL, *iter_text = "3", *seed_text = "1", *keep_path = NULL;
    int id, status = 0;
    optind = 1;
    opterr = 0;
    while (status == 0 && (id = getopt_long(argc, argv, ":o:", options, NULL)) != -1) {
        switch (id) {
        case 'w':
            status = w2v_parse_u64("--words", optarg, 10000, 1000000000, &words);
            break;
        case 't':
            status = w2v_parse_u32("--threads", optarg, 1, 4096, &threads);
            threads_text = optarg;
            break;
        case 'i':
            status = w2v_parse_u32("--iter", optarg, 1, 1000, &iter);
            iter_text = optarg;
            break;
        case 's':
            status = w2v_parse_u64("--seed", optarg, 0, UINT64_MAX, &seed);
            seed_text = optarg;
            break;
        case 'o':
            keep_path = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        case ':':
            status = w2v_error("option %s needs a value", argv[optind - 1]);
            break;
        default:
            status = w2v_error("unknown option '%s' (see 'w2v demo --help')", argv[optind - 1]);
        }
    }
    if (status != 0) return w2v_report_error();

    struct demo_files files;
    struct w2v_synth_truth truth = {0};
    struct w2v_vectors vectors = {0};
    struct w2v_search search = {0};
    bool have_vectors = false;
    if (make_files(&files) != 0) return w2v_report_error();
    status = write_corpus(&files, words, seed, &truth);
    if (status == 0) status = train(&files, threads_text, iter_text, seed_text);
    if (status == 0) status = w2v_vectors_read(files.vectors, &vectors);
    if (status == 0) {
        have_vectors = true;
        w2v_search_init(&search, &vectors, 0, false);
        show_neighbours(&search, &truth);
        show_group_purity(&search, &truth);
        status = show_analogies(&files, &vectors);
    }
    if (status == 0 && keep_path) {
        status = w2v_vectors_write(keep_path, &vectors, false);
        if (status == 0) printf("vectors saved to %s\n", keep_path);
    }
    if (have_vectors) {
        w2v_search_free(&search);
        w2v_vectors_free(&vectors);
    }
    w2v_synth_truth_free(&truth);
    remove_files(&files);
    return status == 0 ? 0 : w2v_report_error();
}
