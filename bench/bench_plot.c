/* bench_plot.c — draws the thread-scaling PNG (see bench_plot.h). */
#include "bench_plot.h"

#include "w2v/atomic_file.h"
#include "w2v/error.h"

#include <cairo.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

enum { WIDTH = 1200, HEIGHT = 1000, MAX_SERIES = 32 };

static const double margin_left = 110, margin_right = 260, title_height = 90, panel_gap = 90,
                    margin_bottom = 80;

static const double palette[][3] = {
    {0.12, 0.47, 0.71}, {0.84, 0.15, 0.16}, {0.17, 0.63, 0.17}, {1.00, 0.50, 0.05},
    {0.58, 0.40, 0.74}, {0.55, 0.34, 0.29}, {0.89, 0.47, 0.76}, {0.50, 0.50, 0.50},
};

struct panel {
    double x, y, width, height; /* the plotting area in pixels */
    double x_max, y_max; /* data range: threads 1..x_max (x from 0 when 1 thread), 0..y_max */
    double x_min;
};

static double panel_x(const struct panel *p, double threads) {
    return p->x + (threads - p->x_min) / (p->x_max - p->x_min) * p->width;
}

static double panel_y(const struct panel *p, double value) {
    return p->y + p->height - value / p->y_max * p->height;
}

/* A round tick step giving about `ticks` intervals over [0, max]. */
static double nice_step(double max, int ticks) {
    double raw = max / ticks, magnitude = pow(10, floor(log10(raw)));
    double fraction = raw / magnitude;
    double nice = fraction <= 1     ? 1
                  : fraction <= 2   ? 2
                  : fraction <= 2.5 ? 2.5
                  : fraction <= 5   ? 5
                                    : 10;
    return nice * magnitude;
}

static void text_at(cairo_t *cr, double x, double y, const char *text, double align_x,
                    double align_y) {
    cairo_text_extents_t extents;
    cairo_text_extents(cr, text, &extents);
    cairo_move_to(cr, x - extents.width * align_x - extents.x_bearing,
                  y - extents.height * align_y - extents.y_bearing);
    cairo_show_text(cr, text);
}

static void draw_axes(cairo_t *cr, const struct panel *p, const uint32_t *thread_ticks,
                      size_t tick_count, const char *y_label, const char *y_format) {
    cairo_set_font_size(cr, 15);
    double step = nice_step(p->y_max, 6);
    char label[64];
    for (double v = 0; v <= p->y_max + 1e-9; v += step) {
        double y = panel_y(p, v);
        cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
        cairo_set_line_width(cr, 1);
        cairo_move_to(cr, p->x, y), cairo_line_to(cr, p->x + p->width, y), cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        snprintf(label, sizeof label, y_format, v);
        text_at(cr, p->x - 10, y, label, 1, 0.5);
    }
    for (size_t i = 0; i < tick_count; i++) {
        double x = panel_x(p, thread_ticks[i]);
        cairo_set_source_rgb(cr, 0.93, 0.93, 0.93);
        cairo_move_to(cr, x, p->y), cairo_line_to(cr, x, p->y + p->height), cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        snprintf(label, sizeof label, "%u", thread_ticks[i]);
        text_at(cr, x, p->y + p->height + 18, label, 0.5, 0.5);
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1.5);
    cairo_rectangle(cr, p->x, p->y, p->width, p->height);
    cairo_stroke(cr);
    cairo_set_font_size(cr, 17);
    text_at(cr, p->x + p->width / 2, p->y + p->height + 45, "threads", 0.5, 0.5);
    cairo_save(cr);
    cairo_translate(cr, p->x - 78, p->y + p->height / 2);
    cairo_rotate(cr, -M_PI / 2);
    text_at(cr, 0, 0, y_label, 0.5, 0.5);
    cairo_restore(cr);
}

/* Runs grouped by configuration: series[s] lists indices into runs, by thread count. */
struct series {
    size_t first; /* a run of this configuration, for its name */
    size_t members[256];
    size_t count;
};

static size_t group_series(const struct w2v_bench_run *runs, size_t count, struct series *series) {
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        size_t s = 0;
        for (; s < n; s++) {
            const struct w2v_bench_run *f = &runs[series[s].first];
            if (f->dim == runs[i].dim && !strcmp(f->model, runs[i].model) &&
                !strcmp(f->loss, runs[i].loss))
                break;
        }
        if (s == n) {
            if (n == MAX_SERIES) continue;
            series[n].first = i, series[n].count = 0, n++;
        }
        if (series[s].count < 256) series[s].members[series[s].count++] = i;
    }
    return n;
}

static void draw_series(cairo_t *cr, const struct panel *p, const struct w2v_bench_run *runs,
                        const struct series *s, const double *color, bool efficiency) {
    cairo_set_source_rgb(cr, color[0], color[1], color[2]);
    cairo_set_line_width(cr, 2.5);
    bool started = false;
    for (size_t k = 0; k < s->count; k++) {
        const struct w2v_bench_run *r = &runs[s->members[k]];
        double v = efficiency ? r->efficiency * 100 : r->train.words_per_sec / 1e6;
        if (isnan(v)) continue;
        double x = panel_x(p, r->threads), y = panel_y(p, v);
        if (started)
            cairo_line_to(cr, x, y);
        else
            cairo_move_to(cr, x, y), started = true;
    }
    cairo_stroke(cr);
    for (size_t k = 0; k < s->count; k++) {
        const struct w2v_bench_run *r = &runs[s->members[k]];
        double v = efficiency ? r->efficiency * 100 : r->train.words_per_sec / 1e6;
        if (isnan(v)) continue;
        cairo_arc(cr, panel_x(p, r->threads), panel_y(p, v), 5, 0, 2 * M_PI);
        cairo_fill(cr);
    }
}

static cairo_status_t write_to_file(void *closure, const unsigned char *data, unsigned length) {
    return fwrite(data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS
                                                      : CAIRO_STATUS_WRITE_ERROR;
}

int w2v_bench_plot(const char *path, const struct w2v_bench_context *context,
                   const struct w2v_bench_run *runs, size_t count) {
    static struct series series[MAX_SERIES];
    size_t series_count = group_series(runs, count, series);
    uint32_t ticks[256], tick_count = 0, max_threads = 1;
    double max_rate = 0, max_efficiency = 100;
    for (size_t i = 0; i < count; i++) {
        bool seen = false;
        for (uint32_t t = 0; t < tick_count; t++) seen |= ticks[t] == runs[i].threads;
        if (!seen && tick_count < 256) ticks[tick_count++] = runs[i].threads;
        if (runs[i].threads > max_threads) max_threads = runs[i].threads;
        if (runs[i].train.words_per_sec / 1e6 > max_rate)
            max_rate = runs[i].train.words_per_sec / 1e6;
        if (runs[i].efficiency * 100 > max_efficiency) max_efficiency = runs[i].efficiency * 100;
    }
    if (max_rate <= 0) max_rate = 1;

    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, WIDTH, HEIGHT);
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_font_size(cr, 22);
    text_at(cr, WIDTH / 2.0, 32, "w2v training throughput and parallel efficiency", 0.5, 0.5);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 15);
    char subtitle[512];
    int version_len = (int)strcspn(context->w2v_version, "("); /* "w2v 0.1.0 " */
    snprintf(subtitle, sizeof subtitle, "%s, %u cores, peak %.0f GFLOP/s (%s FMA, all cores); %.*s",
             context->machine.cpu_model, context->machine.online_cores, context->peak.all_cores,
             context->peak.isa, version_len, context->w2v_version);
    text_at(cr, WIDTH / 2.0, 62, subtitle, 0.5, 0.5);

    double panel_height = (HEIGHT - title_height - panel_gap - margin_bottom) / 2;
    double x_min = max_threads > 1 ? 1 : 0, x_max = max_threads > 1 ? max_threads : 2;
    double pad = (x_max - x_min) * 0.03;
    struct panel rate = {margin_left,  title_height, WIDTH - margin_left - margin_right,
                         panel_height, x_max + pad,  max_rate * 1.15,
                         x_min - pad};
    struct panel efficiency = rate;
    efficiency.y = title_height + panel_height + panel_gap;
    efficiency.y_max = max_efficiency * 1.1;
    draw_axes(cr, &rate, ticks, tick_count, "words/s (millions)", "%.1f");
    draw_axes(cr, &efficiency, ticks, tick_count, "parallel efficiency (%)", "%.0f");

    /* Ideal efficiency. */
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
    cairo_set_line_width(cr, 1.2);
    double dashes[] = {6, 4};
    cairo_set_dash(cr, dashes, 2, 0);
    cairo_move_to(cr, efficiency.x, panel_y(&efficiency, 100));
    cairo_line_to(cr, efficiency.x + efficiency.width, panel_y(&efficiency, 100));
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);

    for (size_t s = 0; s < series_count; s++) {
        const double *color = palette[s % (sizeof palette / sizeof *palette)];
        draw_series(cr, &rate, runs, &series[s], color, false);
        draw_series(cr, &efficiency, runs, &series[s], color, true);
    }

    /* Legend, right of the throughput panel (never over the data). */
    cairo_set_font_size(cr, 15);
    double legend_x = rate.x + rate.width + 30, legend_y = rate.y, row = 24, legend_width = 215;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_rectangle(cr, legend_x - 8, legend_y - 8, legend_width, row * (double)series_count + 12);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    for (size_t s = 0; s < series_count; s++) {
        const double *color = palette[s % (sizeof palette / sizeof *palette)];
        const struct w2v_bench_run *f = &runs[series[s].first];
        double y = legend_y + row * (double)s + row / 2 - 4;
        cairo_set_source_rgb(cr, color[0], color[1], color[2]);
        cairo_set_line_width(cr, 2.5);
        cairo_move_to(cr, legend_x, y), cairo_line_to(cr, legend_x + 34, y), cairo_stroke(cr);
        cairo_arc(cr, legend_x + 17, y, 5, 0, 2 * M_PI), cairo_fill(cr);
        char name[96];
        snprintf(name, sizeof name, "%s / %s, dim %u", f->model, f->loss, f->dim);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        text_at(cr, legend_x + 44, y, name, 0, 0.5);
    }
    cairo_destroy(cr);

    struct w2v_atomic_file file;
    if (w2v_atomic_open(&file, path) != 0) {
        cairo_surface_destroy(surface);
        return -1;
    }
    cairo_status_t status = cairo_surface_write_to_png_stream(surface, write_to_file, file.fp);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        w2v_atomic_abort(&file);
        return w2v_error("cannot draw '%s': %s", path, cairo_status_to_string(status));
    }
    return w2v_atomic_commit(&file);
}
