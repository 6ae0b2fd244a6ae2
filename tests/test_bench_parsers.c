/* test_bench_parsers.c — the benchmark harness's pure parts: thread lists, the
 * trainer's JSON line, medians, speed-up and efficiency, and the CSV writer. */
#include "testing.h"

#include "bench_report.h"
#include "bench_result.h"
#include "bench_threads.h"

#include "w2v/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void expect_threads(const char *text, const uint32_t *expected, size_t n) {
    uint32_t *counts = NULL;
    size_t count = 0;
    if (w2v_bench_parse_threads(text, &counts, &count) != 0)
        fail_msg("'%s' rejected: %s", text, w2v_last_error());
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++) assert_int_equal(counts[i], expected[i]);
    free(counts);
}

static void test_thread_lists(void **state) {
    (void)state;
    expect_threads("1-4,8", (const uint32_t[]){1, 2, 3, 4, 8}, 5);
    expect_threads("1,2,4", (const uint32_t[]){1, 2, 4}, 3);
    expect_threads("16", (const uint32_t[]){16}, 1);
    expect_threads("8,1-3,2", (const uint32_t[]){1, 2, 3, 8}, 4); /* sorted, no repeats */
    expect_threads("3-3", (const uint32_t[]){3}, 1);
    const char *bad[] = {"",   "0",  "4-1", "a",     "1,,2", "1,",
                         ",1", "1-", "-3",  "1-2-3", "2 ",   "5000"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        uint32_t *counts = NULL;
        size_t count = 0;
        if (w2v_bench_parse_threads(bad[i], &counts, &count) != -1)
            fail_msg("'%s' was accepted", bad[i]);
        assert_null(counts);
        assert_non_null(strstr(w2v_last_error(), "--threads"));
    }
    uint32_t *counts = NULL;
    size_t count = 0;
    assert_int_equal(w2v_bench_threads_up_to(3, &counts, &count), 0);
    assert_int_equal(count, 3);
    assert_int_equal(counts[2], 3);
    free(counts);
}

static void test_train_json_line(void **state) {
    (void)state;
    const char *line =
        "{\"model\":\"sg\",\"loss\":\"ns\",\"final_loss\":2.81,\"dim\":100,\"window\":5,"
        "\"negative\":5,\"sample\":0.0001,\"epochs\":3,\"threads\":2,\"isa\":\"avx512\","
        "\"vocab_size\":59000,\"corpus_words\":9800000,\"vocab_seconds\":1.23,"
        "\"train_seconds\":40.1,\"words_per_sec\":733000.0,\"kept_words\":20000000,"
        "\"kept_words_per_sec\":498000.0,\"flops\":1.2e12,\"gflops\":30.0,\"epoch_losses\":[3,2]}";
    struct w2v_bench_train_report r;
    assert_int_equal(w2v_bench_parse_train_json(line, &r), 0);
    assert_string_equal(r.model, "sg");
    assert_string_equal(r.loss_name, "ns");
    assert_string_equal(r.isa, "avx512");
    assert_true(r.dim == 100 && r.epochs == 3 && r.threads == 2 && r.sample == 0.0001);
    assert_true(r.corpus_words == 9800000 && r.kept_words == 20000000 && r.vocab_size == 59000);
    assert_true(r.words_per_sec == 733000.0 && r.gflops == 30.0 && r.final_loss == 2.81);

    /* Missing rates are derived; a numeric "loss" is the loss value. */
    const char *minimal = "{\"corpus_words\":1000,\"epochs\":2,\"train_seconds\":4,"
                          "\"kept_words\":600,\"flops\":8e9,\"loss\":1.5}";
    assert_int_equal(w2v_bench_parse_train_json(minimal, &r), 0);
    assert_true(r.words_per_sec == 500 && r.kept_words_per_sec == 150 && r.gflops == 2);
    assert_true(r.final_loss == 1.5 && r.loss_name[0] == '\0' && isnan(r.dim));

    const char *bad[] = {"",
                         "not json",
                         "[1,2]",
                         "{\"corpus_words\":5}",
                         "{\"corpus_words\":5,\"train_seconds\":0}",
                         "{\"train_seconds\":3}",
                         "{\"corpus_words\":5,\"train_seconds\":\"3\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (w2v_bench_parse_train_json(bad[i], &r) != -1) fail_msg("'%s' was accepted", bad[i]);

    size_t len = 0;
    const char *last = w2v_bench_last_line("progress\n{\"a\":1}\n\n  \n", &len);
    assert_non_null(last);
    assert_int_equal(len, 7);
    assert_memory_equal(last, "{\"a\":1}", 7);
    assert_null(w2v_bench_last_line(" \n\n", &len));
}

static void test_median_speedup_and_efficiency(void **state) {
    (void)state;
    assert_int_equal(w2v_bench_median_index((const double[]){5, 1, 3}, 3), 2);
    assert_int_equal(w2v_bench_median_index((const double[]){4, 1, 3, 2}, 4), 3); /* lower middle */
    assert_int_equal(w2v_bench_median_index((const double[]){7}, 1), 0);
    assert_int_equal(w2v_bench_median_index((const double[]){NAN, 2, 1}, 3), 1);

    struct w2v_bench_run runs[5];
    w2v_bench_run_init(&runs[0], "sg", "ns", 100, 1);
    w2v_bench_run_init(&runs[1], "sg", "ns", 100, 4);
    w2v_bench_run_init(&runs[2], "cbow", "ns", 100, 4); /* no 1-thread run of its own */
    w2v_bench_run_init(&runs[3], "sg", "ns", 300, 1);
    w2v_bench_run_init(&runs[4], "sg", "ns", 300, 2);
    double rates[] = {1e6, 3e6, 5e6, 4e5, 8e5};
    for (size_t i = 0; i < 5; i++) runs[i].train.words_per_sec = rates[i];
    w2v_bench_compute_scaling(runs, 5);
    assert_true(runs[0].speedup == 1 && runs[0].efficiency == 1);
    assert_true(runs[1].speedup == 3 && runs[1].efficiency == 0.75);
    assert_true(isnan(runs[2].speedup) && isnan(runs[2].efficiency));
    assert_true(runs[4].speedup == 2 && runs[4].efficiency == 1);

    assert_true(w2v_bench_peak_for_threads(100, 350, 4, 1) == 100);
    assert_true(w2v_bench_peak_for_threads(100, 350, 4, 3) == 300);
    assert_true(w2v_bench_peak_for_threads(100, 350, 4, 4) == 350);
    assert_true(w2v_bench_peak_for_threads(100, 350, 4, 8) == 350);
}

/* The CSV report of `runs`, in *text (free with free()). */
static void csv_of(const struct w2v_bench_context *context, const struct w2v_bench_run *runs,
                   size_t count, char **text) {
    size_t bytes = 0;
    FILE *fp = open_memstream(text, &bytes);
    assert_int_equal(w2v_bench_write_csv(fp, context, runs, count), 0);
    fclose(fp);
}

static void test_csv_writer(void **state) {
    (void)state;
    char *text = NULL;
    size_t bytes = 0;
    FILE *fp = open_memstream(&text, &bytes);
    w2v_bench_csv_field(fp, "plain");
    fputc('|', fp);
    w2v_bench_csv_field(fp, "a,b");
    fputc('|', fp);
    w2v_bench_csv_field(fp, "say \"hi\"");
    fputc('|', fp);
    w2v_bench_csv_field(fp, "two\nlines");
    fclose(fp);
    assert_string_equal(text, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"");
    free(text);

    struct w2v_bench_context context;
    memset(&context, 0, sizeof context);
    snprintf(context.machine.cpu_model, sizeof context.machine.cpu_model, "Xeon, 2 sockets");
    context.machine.online_cores = 8;
    context.machine.avx2 = true;
    context.w2v_version = "w2v 0.1.0";
    struct w2v_bench_run run;
    w2v_bench_run_init(&run, "cbow", "hs", 300, 4);
    run.train.words_per_sec = 1234567.5;
    run.command = "w2v train --train 'my corpus.txt' --threads 4";
    char *report = NULL;
    csv_of(&context, &run, 1, &report);
    char *header_end = strchr(report, '\n');
    assert_non_null(header_end);
    size_t header_columns = 1, row_columns = 1;
    for (char *p = report; p < header_end; p++) header_columns += *p == ',';
    assert_memory_equal(report, "model,loss,dim,threads,isa,words_per_sec,", 41);
    const char *row = header_end + 1;
    assert_memory_equal(row, "cbow,hs,300,4,,1234567.5,,", 26); /* NAN → empty field */
    bool quoted = false;
    for (const char *p = row; *p && (*p != '\n' || quoted); p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == ',' && !quoted)
            row_columns++;
    }
    assert_int_equal(row_columns, header_columns);
    assert_non_null(strstr(row, ",\"Xeon, 2 sockets\",8,1,0,0,w2v 0.1.0,"));
    assert_non_null(strstr(row, ",w2v train --train 'my corpus.txt' --threads 4\n"));
    free(report);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread_lists),
        cmocka_unit_test(test_train_json_line),
        cmocka_unit_test(test_median_speedup_and_efficiency),
        cmocka_unit_test(test_csv_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
