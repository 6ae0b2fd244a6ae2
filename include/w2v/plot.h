/* plot.h — labelled scatter plots as PNG files (Cairo), written atomically. */
#ifndef W2V_PLOT_H
#define W2V_PLOT_H

#include <stddef.h>

struct w2v_plot_options {
    const char *title;   /* above the plot (NULL: none) */
    const char *x_label; /* axis titles (NULL: none) */
    const char *y_label;
    int width, height; /* pixels */
};

/* Draws points (x[i], y[i]) labelled labels[i]: white background, light grid,
 * axes with ticks, antialiased text, labels placed beside their points so as
 * not to overlap each other or other points where there is room. Renders in
 * memory, then writes the PNG to `path` through w2v_atomic_file: on failure
 * returns -1 (w2v_error set) and `path` is untouched. */
int w2v_plot_scatter(const char *path, const double *x, const double *y, const char *const *labels,
                     size_t n, const struct w2v_plot_options *options);

#endif
