/* test_pca_plot.c — PCA on points with known geometry, and the scatter plot
 * (library and `w2v plot` command) producing a PNG of the requested size. */
#include "testing.h"

#include "test_files.h"
#include "w2v/error.h"
#include "w2v/pca.h"
#include "w2v/plot.h"

#include <cairo.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

static const char *dir;

static int make_dir(void **state) {
    (void)state;
    dir = test_tempdir();
    return 0;
}

static void test_pca_points_on_a_line(void **state) {
    (void)state;
    /* p_i = c + t_i u in 5 dimensions, |u| = 2: all variance on PC1. */
    const double t[4] = {-1, 0, 1, 3};
    const float c[5] = {1, 2, 3, 4, 5}, u[5] = {0, 2, 0, 0, 0};
    float rows[4 * 8];
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 5; k++) rows[i * 8 + k] = c[k] + (float)t[i] * u[k];
    double scores[8], explained[2];
    assert_int_equal(w2v_pca(rows, 4, 8, 5, 2, scores, explained), 0);
    assert_true(fabs(explained[0] - 1) < 1e-9);
    assert_true(fabs(explained[1]) < 1e-9);
    for (int i = 0; i < 4; i++) /* centered t (mean 0.75) times |u|, largest positive */
        assert_true(fabs(scores[2 * i] - (t[i] - 0.75) * 2) < 1e-6);
}

static void test_pca_points_on_a_plane(void **state) {
    (void)state;
    /* (+-3, 0) and (0, +-1) in the plane spanned by two unit vectors of R^4:
     * variances 9*2/4 and 1*2/4, so PC1 explains 0.9 and PC2 0.1. */
    const float e1[4] = {0.6f, 0.8f, 0, 0}, e2[4] = {0, 0, 1, 0};
    const double xy[4][2] = {{3, 0}, {-3, 0}, {0, 1}, {0, -1}};
    float rows[4 * 4];
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 4; k++) rows[i * 4 + k] = (float)(xy[i][0] * e1[k] + xy[i][1] * e2[k]);
    double scores[8], explained[2];
    assert_int_equal(w2v_pca(rows, 4, 4, 4, 2, scores, explained), 0);
    assert_true(fabs(explained[0] - 0.9) < 1e-6);
    assert_true(fabs(explained[1] - 0.1) < 1e-6);
    assert_true(fabs(fabs(scores[0]) - 3) < 1e-5 && fabs(scores[1]) < 1e-5);
    assert_true(fabs(fabs(scores[5]) - 1) < 1e-5);
    assert_int_equal(w2v_pca(rows, 1, 4, 4, 1, scores, explained), -1);
}

static void check_png(const char *path, int width, int height) {
    cairo_surface_t *png = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(png), width);
    assert_int_equal(cairo_image_surface_get_height(png), height);
    cairo_surface_flush(png);
    const unsigned char *data = cairo_image_surface_get_data(png);
    int stride = cairo_image_surface_get_stride(png);
    uint32_t corner;
    memcpy(&corner, data, 4);
    assert_int_equal(corner & 0xffffff, 0xffffff); /* white background */
    size_t coloured = 0;                           /* some blue point pixels */
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++) {
            uint32_t p;
            memcpy(&p, data + y * stride + x * 4, 4);
            unsigned r = (p >> 16) & 0xff, b = p & 0xff;
            coloured += b > r + 60;
        }
    assert_true(coloured > 20);
    cairo_surface_destroy(png);
}

static void test_plot_writes_png_of_requested_size(void **state) {
    (void)state;
    const double x[3] = {0, 1, 2}, y[3] = {1, -1, 0.5};
    const char *labels[3] = {"one", "two", "three"};
    struct w2v_plot_options o = {
        .title = "T", .x_label = "PC1 (50.0%)", .y_label = "PC2", .width = 640, .height = 480};
    char *path = test_path(dir, "plot.png");
    assert_int_equal(w2v_plot_scatter(path, x, y, labels, 3, &o), 0);
    check_png(path, 640, 480);
    free(path);

    struct stat st;
    assert_int_equal(w2v_plot_scatter("/nonexistent-dir/p.png", x, y, labels, 3, &o), -1);
    assert_non_null(strstr(w2v_last_error(), "cannot write '/nonexistent-dir/p.png'"));
    assert_int_equal(stat("/nonexistent-dir/p.png", &st), -1);
}

static void test_plot_command(void **state) {
    (void)state;
    const char *exe = getenv("W2V_EXE");
    if (!exe) skip();
    char *vectors = test_write_text(dir, "v.txt",
                                    "4 3\ncat 1 0 0\ndog 0.9 0.2 0\ncar 0 1 0.1\nbus 0 0.8 0.5\n");
    char *png = test_path(dir, "words.png");
    char command[2048];
    snprintf(command, sizeof command,
             "'%s' plot '%s' cat dog car bus -o '%s' --width 500 --height 400", exe, vectors, png);
    assert_int_equal(system(command), 0);
    check_png(png, 500, 400);
    /* An unknown word fails and leaves no file. */
    char *missing = test_path(dir, "missing.png");
    snprintf(command, sizeof command, "'%s' plot '%s' cat zebra -o '%s' 2>/dev/null", exe, vectors,
             missing);
    assert_int_not_equal(system(command), 0);
    struct stat st;
    assert_int_equal(stat(missing, &st), -1);
    free(vectors), free(png), free(missing);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pca_points_on_a_line),
        cmocka_unit_test(test_pca_points_on_a_plane),
        cmocka_unit_test(test_plot_writes_png_of_requested_size),
        cmocka_unit_test(test_plot_command),
    };
    return cmocka_run_group_tests(tests, make_dir, NULL);
}
