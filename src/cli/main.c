/* main.c — the w2v program: dispatches to one subcommand per src/cli/cmd_*.c.
 *
 * A word2vec.c command line ("w2v -train corpus.txt -output vec.bin ...") is
 * trained as word2vec.c would (its defaults: see train_options.h), so existing
 * scripts run unchanged. */
#include "commands.h"

#include "options.h"

#include "dist.h"

#include "w2v/alloc.h"
#include "w2v/kernels.h"
#include "w2v/signals.h"

#include <stdio.h>
#include <string.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"train", w2v_cmd_train, "train word vectors on a corpus (skip-gram/CBOW; ns/hs/softmax)"},
    {"demo", w2v_cmd_demo, "train on a built-in generated corpus and show what was learned"},
    {"gen-corpus", w2v_cmd_gen_corpus, "write a synthetic corpus with planted word groups"},
    {"prepare", w2v_cmd_prepare, "count and encode a corpus once into a file train reads directly"},
    {"eval", w2v_cmd_eval, "evaluate vectors: analogy accuracy, word-pair similarity"},
    {"neighbours", w2v_cmd_neighbours, "nearest words by cosine (word2vec.c's distance)"},
    {"analogy", w2v_cmd_analogy, "a is to b as c is to ? (word2vec.c's word-analogy)"},
    {"similarity", w2v_cmd_similarity, "cosine similarity of two words (gensim's similarity)"},
    {"odd-one-out", w2v_cmd_odd_one_out, "the word that fits least (gensim's doesnt_match)"},
    {"convert", w2v_cmd_convert, "word2vec text <-> binary vectors, --restrict, --normalize"},
    {"phrases", w2v_cmd_phrases, "join frequent bigrams into phrases a_b (word2phrase)"},
    {"plot", w2v_cmd_plot, "PCA scatter plot of chosen words, as a PNG"},
    {"classes", w2v_cmd_classes, "word classes by k-means (word2vec.c's -classes)"},
    {"gradcheck", w2v_cmd_gradcheck,
     "check every model x loss gradient against finite differences"},
    {"tune", w2v_cmd_tune, "time short trials on a corpus sample; print the fastest train command"},
};
static const size_t command_count = sizeof commands / sizeof commands[0];

static void print_usage(FILE *out) {
    fprintf(out, "usage: w2v <command> [options]     (w2v <command> --help for details)\n\n"
                 "commands:\n");
    for (size_t i = 0; i < command_count; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nword2vec.c command lines work as they are: w2v -train text.txt -output vec.bin "
                 "-size 100 ...\n"
                 "w2v --version prints the version, the SIMD kernels chosen for this CPU and the "
                 "allocator.\n");
}

/* Runs one command; under mpirun (or srun) the process first joins the job (dist.h). */
static int run_command(int (*run)(int argc, char **argv), int argc, char **argv) {
    if (w2v_dist_init(&argc, &argv) != 0) {
        w2v_report_error();
        return 1;
    }
    int status = run(argc, argv);
    w2v_dist_finalize();
    return status;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        print_usage(stdout);
        return 0;
    }
    if (w2v_kernels_check_env() != 0) return w2v_usage_error(); /* a bad W2V_ISA */
    w2v_signals_install(); /* interrupted runs leave no temporaries (signals.h) */
    if (strcmp(name, "--version") == 0) {
        printf("w2v %s (kernels: %s, allocator: jemalloc %s, mpi: %s)\n", W2V_VERSION,
               w2v_kernels_get()->isa_name, w2v_allocator_version(),
               w2v_dist_built() ? "yes" : "no");
        return 0;
    }
    if (name[0] == '-') return run_command(w2v_cmd_word2vec, argc, argv); /* word2vec.c style */
    for (size_t i = 0; i < command_count; i++)
        if (strcmp(name, commands[i].name) == 0)
            return run_command(commands[i].run, argc - 1, argv + 1);
    fprintf(stderr, "w2v: unknown command '%s' (try 'w2v --help')\n", name);
    return 2;
}
