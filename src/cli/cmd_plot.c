/* cmd_plot.c — `w2v plot`: a PCA scatter plot of chosen words, as a PNG. */
#include "commands.h"
#include "options.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/pca.h"
#include "w2v/plot.h"
#include "w2v/search.h"
#include "w2v/vectors.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct plot_args {
    const char *output, *title;
    uint32_t width, height;
    bool case_sensitive;
};

#define AT(field) offsetof(struct plot_args, field)

static const struct w2v_option options_table[] = {
    {W2V_OPT_STRING, "-o, --output", .arg = "FILE", .offset = AT(output),
     .missing = "plot: no output file: give -o FILE.png", .help = "the PNG to write (required)"},
    {W2V_OPT_STRING, "--title", .arg = "TEXT", .offset = AT(title),
     .help = "the plot title (default: 'PCA of N words')"},
    {W2V_OPT_U32, "--width", .arg = "W", .offset = AT(width), .min = 200, .max = 8000,
     .help = "image width in pixels (default 900, 200 to 8000)"},
    {W2V_OPT_U32, "--height", .arg = "H", .offset = AT(height), .min = 150, .max = 8000,
     .help = "image height in pixels (default 700, 150 to 8000)"},
    {W2V_OPT_FLAG, "--case-sensitive", .offset = AT(case_sensitive),
     .help = "match words exactly (default: ignore ASCII case)"},
    {W2V_OPT_HELP, "-h, --help", .help = "print this help"},
    {W2V_OPT_END},
};

static const struct w2v_command_spec spec = {
    .name = "plot",
    .usage = "usage: w2v plot VECTORS WORD... -o FILE.png [options]\n\n"
             "Projects the WORDs' vectors onto their first two principal components (centered;\n"
             "LAPACK) and draws them as a labelled scatter plot, the share of variance each\n"
             "component explains in its axis title. The PNG is written atomically. Needs at\n"
             "least 2 distinct words; an unknown word is an error.\n\n",
    .options = options_table,
    .column = 21,
    .min_positional = 3,
    .max_positional = -1,
    .missing_positional = "plot: needs VECTORS and at least 2 words (see 'w2v plot --help')",
};

int w2v_cmd_plot(int argc, char **argv) {
    struct plot_args args = {.width = 900, .height = 700};
    struct w2v_parsed parsed;
    int status = w2v_options_parse(&spec, argc, argv, &args, &parsed);
    if (status != 0) {
        w2v_parsed_free(&parsed);
        return w2v_options_stop(status);
    }
    const char *vectors_path = parsed.positional[0], *output = args.output, *title = args.title;
    const char **words = (const char **)parsed.positional + 1;
    size_t word_count = (size_t)parsed.positional_count - 1;
    uint32_t width = args.width, height = args.height;

    struct w2v_vectors vectors;
    if (w2v_vectors_read(vectors_path, &vectors) != 0) {
        w2v_parsed_free(&parsed);
        return w2v_report_error();
    }
    struct w2v_search search;
    w2v_search_init(&search, &vectors, 0, !args.case_sensitive);
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
    w2v_parsed_free(&parsed);
    return status == 0 ? 0 : w2v_report_error();
}
