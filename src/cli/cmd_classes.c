/* cmd_classes.c — `w2v classes`: word classes by k-means over trained vectors,
 * written as word2vec.c's -classes writes them ("word class" per line). */
#include "commands.h"
#include "options.h"

#include "w2v/alloc.h"
#include "w2v/atomic_file.h"
#include "w2v/classes.h"
#include "w2v/error.h"
#include "w2v/search.h"
#include "w2v/vectors.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct classes_args {
    const char *output, *score;
    struct w2v_classes_options kmeans;
    bool quiet;
};

#define AT(field) offsetof(struct classes_args, field)

static const struct w2v_option options_table[] = {
    {W2V_OPT_U32, "-k, --classes", .arg = "K", .offset = AT(kmeans.k), .min = 1, .max = UINT32_MAX,
     .help = "the number of classes (required; at most the number of words)"},
    {W2V_OPT_STRING, "-o, --output", .arg = "FILE", .offset = AT(output),
     .help = "where to write the 'word class' lines (required)"},
    {W2V_OPT_U32, "--iterations", .arg = "N", .offset = AT(kmeans.iterations), .min = 1,
     .max = 1000000, .help = "at most N k-means steps (default 10, as word2vec.c)"},
    {W2V_OPT_U64, "--seed", .arg = "N", .offset = AT(kmeans.seed),
     .help = "the k-means++ seed (default 1)"},
    {W2V_OPT_U32, "--threads", .arg = "N", .offset = AT(kmeans.threads), .min = 1, .max = 4096,
     .help = "BLAS threads (default: all online CPUs)"},
    {W2V_OPT_STRING, "--score", .arg = "CLASSES", .offset = AT(score),
     .help = "instead of clustering, score a 'word class' file on\nVECTORS (mean cosine to the "
             "class centre, share of\nwords whose nearest word is in their class)"},
    {W2V_OPT_FLAG, "-q, --quiet", .offset = AT(quiet), .help = "print no summary line"},
    {W2V_OPT_HELP, "-h, --help", .help = "print this help"},
    {W2V_OPT_END},
};

static const struct w2v_command_spec spec = {
    .name = "classes",
    .usage = "usage: w2v classes VECTORS -k K -o FILE [options]\n"
             "       w2v classes VECTORS --score CLASSES\n\n"
             "Groups the words of VECTORS (word2vec text or binary) into K classes by k-means\n"
             "on the unit sphere (cosine similarity; k-means++ seeding, BLAS distance\n"
             "products) and writes one line 'word class' per word, in the file's order, with\n"
             "classes 0 to K-1: the file word2vec.c's -classes K writes. Stops when no word\n"
             "changes class or after --iterations steps. The same seed and threads give the\n"
             "same classes. FILE is written atomically.\n\n",
    .options = options_table,
    .column = 21,
    .min_positional = 1,
    .max_positional = 1,
    .missing_positional = "classes: no VECTORS file given (see 'w2v classes --help')",
};

/* Reads a "word class" file for the words of `vectors`: class_of[row], and *k
 * one more than the largest class. Every word must appear exactly once. */
static int read_classes(const char *path, const struct w2v_vectors *vectors, uint32_t *class_of,
                        uint32_t *k) {
    FILE *fp = fopen(path, "r");
    if (!fp) return w2v_error("cannot open %s: %s", path, strerror(errno));
    struct w2v_search search;
    w2v_search_init(&search, vectors, 0, false);
    for (uint64_t i = 0; i < vectors->count; i++) class_of[i] = UINT32_MAX;
    char word[1024];
    unsigned long id;
    uint64_t lines = 0;
    int status = 0;
    *k = 0;
    while (status == 0 && fscanf(fp, "%1023s %lu", word, &id) == 2) {
        int64_t row = w2v_search_find(&search, word);
        lines++;
        if (row < 0 || class_of[row] != UINT32_MAX || id >= UINT32_MAX)
            status = w2v_error("%s: line %" PRIu64 ": '%s' is %s", path, lines, word,
                               row < 0            ? "not in the vectors"
                               : id >= UINT32_MAX ? "out of range"
                                                  : "there twice");
        else if ((class_of[row] = (uint32_t)id) >= *k)
            *k = (uint32_t)id + 1;
    }
    if (status == 0 && (fscanf(fp, " %1023s", word) != EOF || lines != vectors->count))
        status = w2v_error("%s: expected %" PRIu64 " lines 'word class', read %" PRIu64, path,
                           vectors->count, lines);
    fclose(fp);
    w2v_search_free(&search);
    return status;
}

static int score_file(const struct classes_args *args, const struct w2v_vectors *vectors) {
    uint32_t *class_of = w2v_xmalloc(vectors->count * sizeof(uint32_t)), k = 0;
    struct w2v_classes_score score;
    int status = read_classes(args->score, vectors, class_of, &k);
    if (status == 0) status = w2v_classes_score(vectors, class_of, k, args->kmeans.threads, &score);
    if (status == 0)
        printf("%s: %" PRIu32 " classes, mean cosine to the class centre %.4f, nearest word in "
               "the same class %.2f%%\n",
               args->score, k, score.mean_cosine, 100 * score.nearest_same);
    w2v_free(class_of);
    return status == 0 ? 0 : w2v_report_error();
}

int w2v_cmd_classes(int argc, char **argv) {
    struct classes_args args = {0};
    w2v_classes_options_default(&args.kmeans);
    struct w2v_parsed parsed;
    int status = w2v_options_parse(&spec, argc, argv, &args, &parsed);
    if (status != 0) {
        w2v_parsed_free(&parsed);
        return w2v_options_stop(status);
    }
    if (!args.score && (args.kmeans.k == 0 || !args.output)) {
        w2v_parsed_free(&parsed);
        w2v_error("classes: %s", args.kmeans.k == 0 ? "no number of classes: give -k K"
                                                    : "no output file: give -o FILE");
        return w2v_usage_error();
    }
    struct w2v_vectors vectors;
    status = w2v_vectors_read(parsed.positional[0], &vectors);
    w2v_parsed_free(&parsed);
    if (status != 0) return w2v_report_error();
    if (args.score) {
        status = score_file(&args, &vectors);
        w2v_vectors_free(&vectors);
        return status;
    }
    /* Open the output first: an unwritable path fails before the k-means. */
    struct w2v_atomic_file file;
    if (w2v_atomic_open(&file, args.output) != 0) {
        w2v_vectors_free(&vectors);
        return w2v_report_error();
    }
    uint32_t *class_of = w2v_xmalloc(vectors.count * sizeof(uint32_t));
    struct w2v_classes_stats stats;
    status = w2v_classes_kmeans(&vectors, &args.kmeans, class_of, &stats);
    if (status == 0) {
        w2v_classes_write_stream(file.fp, &vectors, class_of);
        status = w2v_atomic_commit(&file);
    } else {
        w2v_atomic_abort(&file);
    }
    if (status == 0 && !args.quiet)
        printf("classes: %" PRIu64 " words in %" PRIu32 " classes, %" PRIu32
               " iterations (%s), %" PRIu32 " empty classes re-seeded, mean cosine to the "
               "class centre %.4f, %.2f s\n",
               vectors.count, args.kmeans.k, stats.iterations,
               stats.converged ? "converged" : "stopped at the limit", stats.reseeded,
               stats.mean_cosine, stats.seconds);
    w2v_free(class_of);
    w2v_vectors_free(&vectors);
    return status == 0 ? 0 : w2v_report_error();
}
