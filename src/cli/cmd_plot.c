/* cmd_plot.c — `w2v plot`: a PCA scatter plot of chosen words, as a PNG. */
#include "args.h"
#include "commands.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/pca.h"
#include "w2v/plot.h"
#include "w2v/search.h"
#include "w2v/vectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void) {
    printf("usage: w2v plot VECTORS WORD... -o FILE.png [options]\n\n"
           "Projects the WORDs' vectors onto their first two principal components (centered;\n"
           "LAPACK) and draws them as a labelled scatter plot, the share of variance each\n"
           "component explains in its axis title. The PNG is written atomically. Needs at\n"
           "least 2 distinct words; an unknown word is an error.\n\n"
           "  -o, --output FILE  the PNG to write (required)\n"
           "  --title TEXT       the plot title (default: 'PCA of N words')\n"
           "  --width W          image width in pixels (default 900, 200 to 8000)\n"
           "  --height H         image height in pixels (default 700, 150 to 8000)\n"
           "  --case-sensitive   match words exactly (default: ignore ASCII case)\n"
           "  -h, --help         print this help\n");
}

static int need_value(int i, int argc, const char *flag) {
    if (i + 1 < argc) return 0;
    fprintf(stderr, "w2v: plot: %s needs a value\n", flag);
    return 2;
}

int w2v_cmd_plot(int argc, char **argv) {
    const char *vectors_path = NULL, *output = NULL, *title = NULL;
    const char **words = calloc((size_t)argc, sizeof(char *));
    size_t word_count = 0;
    uint32_t width = 900, height = 700;
    bool case_sensitive = false;
    int status = 0;
    for (int i = 1; i < argc && status == 0; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            usage();
            free(words);
            return 0;
        } else if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
            if (!(status = need_value(i, argc, arg))) output = argv[++i];
        } else if (strcmp(arg, "--title") == 0) {
            if (!(status = need_value(i, argc, arg))) title = argv[++i];
        } else if (strcmp(arg, "--width") == 0) {
            if (!(status = need_value(i, argc, arg)) &&
                w2v_parse_u32(arg, argv[++i], 200, 8000, &width) != 0)
                status = w2v_report_error();
        } else if (strcmp(arg, "--height") == 0) {
            if (!(status = need_value(i, argc, arg)) &&
                w2v_parse_u32(arg, argv[++i], 150, 8000, &height) != 0)
                status = w2v_report_error();
        } else if (strcmp(arg, "--case-sensitive") == 0) {
            case_sensitive = true;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            fprintf(stderr, "w2v: plot: unknown option '%s' (try 'w2v plot --help')\n", arg);
            status = 2;
        } else if (!vectors_path) {
            vectors_path = arg;
        } else {
            words[word_count++] = arg;
        }
    }
    if (status == 0 && (!vectors_path || word_count < 2)) {
        fprintf(stderr, "w2v: plot: needs VECTORS and at least 2 words (try 'w2v plot --help')\n");
        status = 2;
    } else if (status == 0 && !output) {
        fprintf(stderr, "w2v: plot: no output file: give -o FILE.png\n");
        status = 2;
    }
    if (status != 0) {
        free(words);
        return status;
    }

    struct w2v_vectors vectors;
    if (w2v_vectors_read(vectors_path, &vectors) != 0) {
        free(words);
        return w2v_report_error();
    }
    struct w2v_search search;
    w2v_search_init(&search, &vectors, 0, !case_sensitive);
    size_t stride = vectors.stride;
    float *points = w2v_xmalloc(word_count * stride * sizeof(float));
    for (size_t w = 0; w < word_count && status == 0; w++) {
        int64_t row = w2v_search_find(&search, words[w]);
        if (row < 0)
            status = w2v_error("'%s' is not in the vocabulary of %s", words[w], vectors_path);
        else
            memcpy(points + w * stride, w2v_vectors_row(&vectors, (uint64_t)row),
                   vectors.dim * sizeof(float));
    }
    double *scores = w2v_xmalloc(word_count * 2 * sizeof(double)), explained[2] = {0, 0};
    if (status == 0)
        status = w2v_pca(points, word_count, stride, vectors.dim, 2, scores, explained);
    if (status == 0) {
        double *x = w2v_xmalloc(word_count * sizeof(double));
        double *y = w2v_xmalloc(word_count * sizeof(double));
        for (size_t w = 0; w < word_count; w++) x[w] = scores[2 * w], y[w] = scores[2 * w + 1];
        char x_label[64], y_label[64], default_title[64];
        snprintf(x_label, sizeof x_label, "PC1 (%.1f%%)", 100 * explained[0]);
        snprintf(y_label, sizeof y_label, "PC2 (%.1f%%)", 100 * explained[1]);
        snprintf(default_title, sizeof default_title, "PCA of %zu words", word_count);
        struct w2v_plot_options options = {.title = title ? title : default_title,
                                           .x_label = x_label,
                                           .y_label = y_label,
                                           .width = (int)width,
                                           .height = (int)height};
        status = w2v_plot_scatter(output, x, y, words, word_count, &options);
        w2v_free(x);
        w2v_free(y);
    }
    w2v_free(scores);
    w2v_free(points);
    w2v_search_free(&search);
    w2v_vectors_free(&vectors);
    free(words);
    return status == 0 ? 0 : w2v_report_error();
}
