/* test_vectors_read.c — the vector file reader: round trips through the writer
 * (text to 1e-6, binary bit for bit), the writer's values as printf's "%.6f",
 * tolerated variations (CRLF, trailing blanks), and every malformed file
 * rejected with a message naming the row. */
#include "testing.h"

#include "test_files.h"
#include "w2v/alloc.h"
#include "w2v/atomic_file.h"
#include "w2v/error.h"
#include "w2v/vectors.h"

#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A small matrix with awkward values: negatives, tiny, large, exact zero. */
static void fill_sample(struct w2v_vectors *v, char **words, float *rows, uint64_t count,
                        uint32_t dim) {
    unsigned seed = 12345;
    v->count = count, v->dim = dim, v->stride = dim, v->words = words, v->rows = rows;
    v->owned = false;
    for (uint64_t i = 0; i < count; i++) {
        words[i] = malloc(16);
        snprintf(words[i], 16, "w%llu", (unsigned long long)i);
        for (uint32_t k = 0; k < dim; k++) {
            seed = seed * 1664525u + 1013904223u;
            rows[i * dim + k] = ((float)(seed >> 8) / 16777216.0f - 0.5f) * (k % 3 == 0 ? 40 : 1);
        }
    }
    rows[0] = 0.0f, rows[1] = -1e-7f, rows[2] = 123456.789f;
}

static void test_round_trip_text_and_binary(void **state) {
    (void)state;
    enum { COUNT = 50, DIM = 37 };
    char *words[COUNT];
    static float rows[COUNT * DIM];
    struct w2v_vectors in;
    fill_sample(&in, words, rows, COUNT, DIM);
    for (int binary = 0; binary <= 1; binary++) {
        char *path = test_path(test_dir(), binary ? "rt.bin" : "rt.txt");
        assert_int_equal(w2v_vectors_write(path, &in, binary), 0);
        struct w2v_vectors out;
        if (w2v_vectors_read(path, &out) != 0) fail_msg("%s", w2v_last_error());
        assert_int_equal(out.count, COUNT);
        assert_int_equal(out.dim, DIM);
        assert_true(out.owned);
        assert_true(out.stride >= DIM && out.stride % 16 == 0);
        assert_int_equal((uintptr_t)out.rows % W2V_CACHE_LINE, 0);
        for (uint64_t i = 0; i < COUNT; i++) {
            assert_string_equal(out.words[i], words[i]);
            const float *got = w2v_vectors_row(&out, i);
            for (uint32_t k = 0; k < DIM; k++) {
                float want = rows[i * DIM + k];
                if (binary)
                    assert_memory_equal(&got[k], &want, sizeof(float));
                else if (fabsf(got[k] - want) > 1e-6f * fmaxf(1.0f, fabsf(want)))
                    fail_msg("row %llu value %u: %.9g vs %.9g", (unsigned long long)i, k, got[k],
                             want);
            }
        }
        w2v_vectors_free(&out);
        assert_null(out.rows);
        free(path);
    }
    for (int i = 0; i < COUNT; i++) free(words[i]);
}

static void read_ok(const char *name, const char *text, struct w2v_vectors *out) {
    char *path = test_write_text(test_dir(), name, text);
    if (w2v_vectors_read(path, out) != 0) fail_msg("%s: %s", name, w2v_last_error());
    free(path);
}

static void test_crlf_trailing_blank_and_exponents(void **state) {
    (void)state;
    struct w2v_vectors v;
    read_ok("crlf.txt", "2 3\r\ncat 1 -2.5 3e-2 \r\ndog 0.125\t4E1 -0 \r\n\r\n", &v);
    assert_int_equal(v.count, 2);
    assert_string_equal(v.words[0], "cat");
    assert_string_equal(v.words[1], "dog");
    assert_true(v.rows[0] == 1.0f && v.rows[1] == -2.5f && v.rows[2] == 0.03f);
    const float *dog = w2v_vectors_row(&v, 1);
    assert_true(dog[0] == 0.125f && dog[1] == 40.0f && dog[2] == 0.0f);
    w2v_vectors_free(&v);

    /* No final newline, and a long mantissa that takes the strtod path. */
    read_ok("nonl.txt", "1 2\nx 0.1000000000000000000001 7", &v);
    assert_true(v.rows[0] == 0.1f && v.rows[1] == 7.0f);
    w2v_vectors_free(&v);
}

static void test_binary_without_newlines(void **state) {
    (void)state;
    /* Some writers omit the '\n' after each binary row. */
    char data[64];
    float a[2] = {1.5f, -0.0f}, b[2] = {0.0f, 3.25f};
    size_t n = 0;
    memcpy(data + n, "2 2\n", 4), n += 4;
    memcpy(data + n, "ab ", 3), n += 3;
    memcpy(data + n, a, 8), n += 8;
    memcpy(data + n, "cd ", 3), n += 3;
    memcpy(data + n, b, 8), n += 8;
    char *path = test_write_file(test_dir(), "nonl.bin", data, n);
    struct w2v_vectors v;
    if (w2v_vectors_read(path, &v) != 0) fail_msg("%s", w2v_last_error());
    assert_string_equal(v.words[1], "cd");
    assert_true(v.rows[0] == 1.5f && w2v_vectors_row(&v, 1)[1] == 3.25f);
    w2v_vectors_free(&v);
    free(path);
}

/* Each malformed file fails, and the message contains `expect`. */
static void rejected(const char *name, const void *data, size_t len, const char *expect) {
    char *path = test_write_file(test_dir(), name, data, len);
    struct w2v_vectors v;
    memset(&v, 0xab, sizeof v);
    if (w2v_vectors_read(path, &v) == 0) fail_msg("%s was accepted", name);
    const char *msg = w2v_last_error();
    if (!strstr(msg, expect)) fail_msg("%s: message '%s' lacks '%s'", name, msg, expect);
    if (!strstr(msg, name)) fail_msg("%s: message '%s' does not name the file", name, msg);
    if (strchr(msg, '\n')) fail_msg("%s: message is not one line", name);
    assert_null(v.rows); /* nothing left allocated */
    free(path);
}

static void rejected_text(const char *name, const char *text, const char *expect) {
    rejected(name, text, strlen(text), expect);
}

static void test_binary_row_holding_a_newline_byte(void **state) {
    (void)state;
    /* The first float's bytes are 'A' 'D' 0x0A 0x3F: printable bytes, then a
     * newline inside the row. The format must still be recognised as binary. */
    const unsigned char first[4] = {0x41, 0x44, 0x0A, 0x3F};
    float row0[3], row1[3] = {0.25f, -1.0f, 2.0f};
    memcpy(&row0[0], first, 4);
    row0[1] = 0.5f, row0[2] = -0.125f;
    char data[64];
    size_t n = 0;
    memcpy(data + n, "2 3\n", 4), n += 4;
    memcpy(data + n, "ro ", 3), n += 3;
    memcpy(data + n, row0, 12), n += 12;
    data[n++] = '\n';
    memcpy(data + n, "xy ", 3), n += 3;
    memcpy(data + n, row1, 12), n += 12;
    data[n++] = '\n';
    char *path = test_write_file(test_dir(), "newline-byte.bin", data, n);
    struct w2v_vectors v;
    if (w2v_vectors_read(path, &v) != 0) fail_msg("%s", w2v_last_error());
    assert_int_equal(v.count, 2);
    assert_memory_equal(w2v_vectors_row(&v, 0), row0, sizeof row0);
    assert_memory_equal(w2v_vectors_row(&v, 1), row1, sizeof row1);
    w2v_vectors_free(&v);
    free(path);
}

static void test_malformed_files_rejected(void **state) {
    (void)state;
    /* file name, its text, what the message must contain */
    static const char *const text_cases[][3] = {
        {"empty.txt", "", "empty"},
        {"header1.txt", "3\ncat 1 2 3\n", "malformed header"},
        {"header2.txt", "three 3\n", "malformed header"},
        {"header3.txt", "2 3 4\n", "malformed header"},
        {"header4.txt", "0 3\n", "0 words"},
        {"header5.txt", "1 0\nx\n", "dimension 0"},
        {"short.txt", "2 3\ncat 1 2 3\ndog 1 2\n", "row 2 ('dog') has 2 values, expected 3"},
        {"long.txt", "2 3\ncat 1 2 3 4\ndog 1 2 3\n", "row 1 ('cat') has 4 values, expected 3"},
        {"trunc.txt", "3 2\na 1 2\nb 3 4\n", "row 3 is missing"},
        {"nan.txt", "2 2\na 1 2\nb nan 4\n", "row 2 ('b') value 1 'nan' is not finite"},
        {"inf.txt", "1 2\na 1 -inf\n", "value 2 '-inf' is not finite"},
        {"overflow.txt", "1 2\na 1 1e39\n", "is not finite"},
        {"garbage.txt", "1 2\na 1 2x\n", "value 2 '2x' is not a number"},
        {"dup.txt", "3 1\na 1\nb 2\na 3\n", "row 3: duplicate word 'a' (first at row 1)"},
        {"extra.txt", "1 1\na 1\nb 2\n", "more rows than the header's 1"},
        {"blankline.txt", "2 1\na 1\n\nb 2\n", "row 2 is an empty line"},
    };
    for (size_t i = 0; i < sizeof text_cases / sizeof *text_cases; i++)
        rejected_text(text_cases[i][0], text_cases[i][1], text_cases[i][2]);

    char data[64];
    float a[3] = {1, 2, 3};
    size_t n = 0;
    memcpy(data + n, "2 3\nab ", 7), n += 7;
    memcpy(data + n, a, 12), n += 12;
    memcpy(data + n, "\ncd ", 4), n += 4;
    memcpy(data + n, a, 5), n += 5; /* 5 of 12 bytes */
    rejected("trunc.bin", data, n, "row 2 ('cd') is truncated");
    float bad[3] = {1, NAN, 3};
    memcpy(data + 7, bad, 12);
    rejected("nan.bin", data, 7 + 12, "row 1 ('ab') value 2 is not finite");
    /* A word holding a NUL byte would read as "" or as another word. */
    memcpy(data, "1 1\na\0b ", 8);
    memcpy(data + 8, a, 4);
    rejected("nul.bin", data, 12, "row 1: the word holds a NUL byte");
}

static void test_missing_file(void **state) {
    (void)state;
    struct w2v_vectors v;
    assert_int_equal(w2v_vectors_read("/nonexistent/dir/vectors.txt", &v), -1);
    assert_non_null(strstr(w2v_last_error(), "cannot open '/nonexistent/dir/vectors.txt'"));
}

/* Reads `len` bytes of `data` (then, if endless, zeros until the reader
 * closes) through a pipe, as /dev/stdin or <(...) would give them. */
static int read_through_pipe(const char *data, size_t len, bool endless, struct w2v_vectors *v) {
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t writer = fork();
    assert_true(writer >= 0);
    if (writer == 0) {
        close(fds[0]);
        signal(SIGPIPE, SIG_IGN);
        static char zeros[1 << 16];
        bool ok = write(fds[1], data, len) == (ssize_t)len;
        while (ok && endless) ok = write(fds[1], zeros, sizeof zeros) > 0;
        _exit(0);
    }
    close(fds[1]);
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    int status = w2v_vectors_read(path, v);
    close(fds[0]); /* an endless writer now gets EPIPE and ends */
    waitpid(writer, NULL, 0);
    return status;
}

/* Non-regular inputs are read only as far as a vector file could go:
 * /dev/zero and an endless pipe end with a parse error, not with the memory
 * filled (and never "file is empty"). */
static void test_streams_are_bounded(void **state) {
    (void)state;
    struct w2v_vectors v;
    assert_int_equal(w2v_vectors_read("/dev/zero", &v), -1);
    assert_non_null(strstr(w2v_last_error(), "malformed header"));
    static const char header[] = "1 2\n";
    assert_int_equal(read_through_pipe(header, sizeof header - 1, true, &v), -1);
    assert_non_null(strstr(w2v_last_error(), "row 1"));
    static const char good[] = "2 2\na 1 2\nb 3 4\n";
    assert_int_equal(read_through_pipe(good, sizeof good - 1, false, &v), 0);
    assert_int_equal(v.count, 2);
    assert_float_equal(w2v_vectors_row(&v, 1)[1], 4.0f, 0);
    w2v_vectors_free(&v);
}

/* A vector file read is noted as an input: no output may replace it. */
static void test_read_file_is_noted_as_input(void **state) {
    (void)state;
    char *path = test_write_text(test_dir(), "noted.txt", "1 1\na 1\n");
    struct w2v_vectors v;
    assert_int_equal(w2v_vectors_read(path, &v), 0);
    w2v_vectors_free(&v);
    struct w2v_atomic_file out;
    assert_int_equal(w2v_atomic_open(&out, path), -1);
    assert_non_null(strstr(w2v_last_error(), "same file as the input"));
    w2v_atomic_forget_inputs();
    free(path);
}

/* Each value's text is printf's "%.6f" of it, byte for byte: special values,
 * halfway cases (m/128 for odd m is k + 0.5 millionths: ties to even), the
 * edge of the fast path, values near every power of ten, 10⁶ random bit
 * patterns and 10⁶ values of embedding size. */
static void expect_printf(float value) {
    char mine[W2V_VECTORS_VALUE_MAX], theirs[W2V_VECTORS_VALUE_MAX];
    size_t length = w2v_vectors_format_value(mine, value);
    snprintf(theirs, sizeof theirs, "%.6f", (double)value);
    if (strcmp(mine, theirs) != 0 || length != strlen(theirs))
        fail_msg("value %a: wrote '%s' (%zu bytes), printf '%s'", (double)value, mine, length,
                 theirs);
}

static void test_value_text_is_printf(void **state) {
    (void)state;
    const float special[] = {0.0f,          -0.0f,       1.0f,      -1.0f,     0.5e-6f,  -0.5e-6f,
                             0.4999999e-6f, 1e-7f,       -1e-7f,    1e-30f,    -1e-45f,  0.0078125f,
                             0.0234375f,    -0.0234375f, 999999.9f, 1e9f,      -9.99e8f, 1e15f,
                             3.4e38f,       -3.4e38f,    INFINITY,  -INFINITY, NAN,      -NAN};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) expect_printf(special[i]);
    for (int32_t m = -100001; m <= 100001; m += 2) expect_printf((float)m / 128.0f);
    for (float power = 1e-7f; power < 1e12f; power *= 10.0f) {
        float below = power, above = power;
        for (int i = 0; i < 50; i++) {
            below = nextafterf(below, 0.0f), above = nextafterf(above, INFINITY);
            expect_printf(below), expect_printf(above), expect_printf(-below);
        }
    }
    uint64_t seed = 99;
    for (int i = 0; i < 1000000; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t bits = (uint32_t)(seed >> 32);
        float value;
        memcpy(&value, &bits, sizeof value);
        expect_printf(value);
        expect_printf(((float)(bits >> 8) / 16777216.0f - 0.5f) * 4.0f);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_text_and_binary),
        cmocka_unit_test(test_value_text_is_printf),
        cmocka_unit_test(test_crlf_trailing_blank_and_exponents),
        cmocka_unit_test(test_binary_without_newlines),
        cmocka_unit_test(test_binary_row_holding_a_newline_byte),
        cmocka_unit_test(test_malformed_files_rejected),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_streams_are_bounded),
        cmocka_unit_test(test_read_file_is_noted_as_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
