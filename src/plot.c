/* plot.c — the labelled scatter plot behind `w2v plot` (Cairo, PNG). */
#include "w2v/plot.h"

#include "w2v/alloc.h"
#include "w2v/atomic_file.h"
#include "w2v/error.h"

#include <cairo.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum { POINT_RADIUS = 4 };

struct rect {
    double x0, y0, x1, y1;
};

static double overlap(struct rect a, struct rect b) {
    double w = fmin(a.x1, b.x1) - fmax(a.x0, b.x0), h = fmin(a.y1, b.y1) - fmax(a.y0, b.y0);
    return w > 0 && h > 0 ? w * h : 0;
}

/* A "nice" tick step (1, 2 or 5 times a power of ten) for about `ticks` ticks. */
static double nice_step(double span, int ticks) {
    double raw = span / ticks, power = pow(10, floor(log10(raw))), f = raw / power;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * power;
}

/* Data range [lo, hi] padded by 8% (and made non-empty). */
static void padded_range(const double *v, size_t n, double *lo, double *hi) {
    *lo = *hi = v[0];
    for (size_t i = 1; i < n; i++) *lo = fmin(*lo, v[i]), *hi = fmax(*hi, v[i]);
    double pad = (*hi - *lo) * 0.08;
    if (pad <= 0) pad = fabs(*lo) > 0 ? fabs(*lo) * 0.1 : 1;
    *lo -= pad, *hi += pad;
}

struct frame {
    double left, top, right, bottom; /* plot area in pixels */
    double x_lo, x_hi, y_lo, y_hi;   /* data range */
};

static double px(const struct frame *f, double x) {
    return f->left + (x - f->x_lo) / (f->x_hi - f->x_lo) * (f->right - f->left);
}
static double py(const struct frame *f, double y) {
    return f->bottom - (y - f->y_lo) / (f->y_hi - f->y_lo) * (f->bottom - f->top);
}

static void draw_axes(cairo_t *cr, const struct frame *f) {
    char text[32];
    cairo_text_extents_t ext;
    cairo_set_font_size(cr, 12);
    double xs = nice_step(f->x_hi - f->x_lo, 6), ys = nice_step(f->y_hi - f->y_lo, 6);
    for (double t = ceil(f->x_lo / xs) * xs; t <= f->x_hi; t += xs) {
        double x = round(px(f, t)) + 0.5;
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
        cairo_move_to(cr, x, f->top), cairo_line_to(cr, x, f->bottom), cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        cairo_move_to(cr, x, f->bottom), cairo_line_to(cr, x, f->bottom + 5), cairo_stroke(cr);
        snprintf(text, sizeof text, "%g", fabs(t) < xs * 1e-9 ? 0.0 : t);
        cairo_text_extents(cr, text, &ext);
        cairo_move_to(cr, x - ext.width / 2 - ext.x_bearing, f->bottom + 20);
        cairo_show_text(cr, text);
    }
    for (double t = ceil(f->y_lo / ys) * ys; t <= f->y_hi; t += ys) {
        double y = round(py(f, t)) + 0.5;
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
        cairo_move_to(cr, f->left, y), cairo_line_to(cr, f->right, y), cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        cairo_move_to(cr, f->left - 5, y), cairo_line_to(cr, f->left, y), cairo_stroke(cr);
        snprintf(text, sizeof text, "%g", fabs(t) < ys * 1e-9 ? 0.0 : t);
        cairo_text_extents(cr, text, &ext);
        cairo_move_to(cr, f->left - 9 - ext.width - ext.x_bearing, y + ext.height / 2);
        cairo_show_text(cr, text);
    }
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_rectangle(cr, f->left + 0.5, f->top + 0.5, f->right - f->left, f->bottom - f->top);
    cairo_stroke(cr);
}

static void draw_titles(cairo_t *cr, const struct frame *f, const struct w2v_plot_options *o) {
    cairo_text_extents_t ext;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (o->title) {
        cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
        cairo_set_font_size(cr, 17);
        cairo_text_extents(cr, o->title, &ext);
        cairo_move_to(cr, (f->left + f->right) / 2 - ext.width / 2 - ext.x_bearing, f->top - 18);
        cairo_show_text(cr, o->title);
    }
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 14);
    if (o->x_label) {
        cairo_text_extents(cr, o->x_label, &ext);
        cairo_move_to(cr, (f->left + f->right) / 2 - ext.width / 2 - ext.x_bearing, f->bottom + 46);
        cairo_show_text(cr, o->x_label);
    }
    if (o->y_label) {
        cairo_text_extents(cr, o->y_label, &ext);
        cairo_save(cr);
        cairo_move_to(cr, f->left - 56, (f->top + f->bottom) / 2 + ext.width / 2);
        cairo_rotate(cr, -M_PI / 2);
        cairo_show_text(cr, o->y_label);
        cairo_restore(cr);
    }
}

/* Places each label at the first of eight spots around its point that hits
 * no placed label, no point and stays inside the plot; else the least bad. */
static void draw_points_and_labels(cairo_t *cr, const struct frame *f, const double *x,
                                   const double *y, const char *const *labels, size_t n) {
    struct rect *placed = w2v_xmalloc((n ? n : 1) * sizeof *placed);
    struct rect *dots = w2v_xmalloc((n ? n : 1) * sizeof *dots);
    for (size_t i = 0; i < n; i++) {
        double cx = px(f, x[i]), cy = py(f, y[i]), r = POINT_RADIUS + 1;
        dots[i] = (struct rect){cx - r, cy - r, cx + r, cy + r};
    }
    cairo_set_font_size(cr, 13);
    for (size_t i = 0; i < n; i++) {
        cairo_text_extents_t ext;
        cairo_text_extents(cr, labels[i], &ext);
        double w = ext.x_advance, h = 13, cx = px(f, x[i]), cy = py(f, y[i]), gap = 6;
        const double spots[8][2] = {
            {gap, -h / 2},       {-gap - w, -h / 2}, {-w / 2, -gap - h},       {-w / 2, gap},
            {gap, -gap - h + 2}, {gap, gap - 2},     {-gap - w, -gap - h + 2}, {-gap - w, gap - 2}};
        struct rect best = {0};
        double best_cost = INFINITY;
        for (int s = 0; s < 8 && best_cost > 0; s++) {
            struct rect r = {cx + spots[s][0], cy + spots[s][1], cx + spots[s][0] + w,
                             cy + spots[s][1] + h};
            double cost = 0;
            for (size_t j = 0; j < i; j++) cost += overlap(r, placed[j]);
            for (size_t j = 0; j < n; j++) cost += overlap(r, dots[j]);
            if (r.x0 < f->left || r.x1 > f->right || r.y0 < f->top || r.y1 > f->bottom)
                cost += w * h;
            if (cost < best_cost) best_cost = cost, best = r;
        }
        placed[i] = best;
        cairo_set_source_rgb(cr, 0.12, 0.12, 0.12);
        cairo_move_to(cr, best.x0, best.y1 - 3);
        cairo_show_text(cr, labels[i]);
    }
    for (size_t i = 0; i < n; i++) {
        cairo_new_path(cr); /* show_text leaves a current point: no line to the dot */
        cairo_arc(cr, px(f, x[i]), py(f, y[i]), POINT_RADIUS, 0, 2 * M_PI);
        cairo_set_source_rgb(cr, 0.16, 0.44, 0.70);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.08, 0.25, 0.45);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
    }
    w2v_free(dots);
    w2v_free(placed);
}

static cairo_status_t write_to_file(void *closure, const unsigned char *data, unsigned int len) {
    FILE *fp = closure;
    return fwrite(data, 1, len, fp) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int w2v_plot_scatter(const char *path, const double *x, const double *y, const char *const *labels,
                     size_t n, const struct w2v_plot_options *options) {
    if (n == 0) return w2v_error("nothing to plot");
    if (options->width < 200 || options->height < 150)
        return w2v_error("plot size %dx%d is too small (at least 200x150)", options->width,
                         options->height);
    cairo_surface_t *surface =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, options->width, options->height);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        return w2v_error("cannot make a %dx%d image", options->width, options->height);
    }
    cairo_t *cr = cairo_create(surface);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_BEST);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_line_width(cr, 1);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

    struct frame f = {.left = 84,
                      .top = options->title ? 56 : 24,
                      .right = options->width - 28,
                      .bottom = options->height - 64};
    padded_range(x, n, &f.x_lo, &f.x_hi);
    padded_range(y, n, &f.y_lo, &f.y_hi);
    draw_axes(cr, &f);
    draw_titles(cr, &f, options);
    draw_points_and_labels(cr, &f, x, y, labels, n);
    cairo_status_t drawn = cairo_status(cr);
    cairo_destroy(cr);

    int status = 0;
    struct w2v_atomic_file file;
    if (drawn != CAIRO_STATUS_SUCCESS) {
        status = w2v_error("cannot draw the plot: %s", cairo_status_to_string(drawn));
    } else if (w2v_atomic_open(&file, path) != 0) {
        status = -1;
    } else if (cairo_surface_write_to_png_stream(surface, write_to_file, file.fp) !=
               CAIRO_STATUS_SUCCESS) {
        w2v_atomic_abort(&file);
        status = w2v_error("cannot write '%s': PNG encoding failed", path);
    } else {
        status = w2v_atomic_commit(&file);
    }
    cairo_surface_destroy(surface);
    return status;
}
