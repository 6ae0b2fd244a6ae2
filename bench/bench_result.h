/* bench_result.h — one benchmark run: what the trainer reported in its JSON
 * line, what the harness measured around it, and the derived scaling figures.
 * Numbers that are unknown (a key the trainer did not print, an evaluation
 * that did not run, no 1-thread run to compare with) are NAN. */
#ifndef W2V_BENCH_RESULT_H
#define W2V_BENCH_RESULT_H

#include <stddef.h>
#include <stdint.h>

/* The keys of `w2v train --json`'s line that the harness reads. */
struct w2v_bench_train_report {
    char model[16];     /* "sg" | "cbow" ("" if absent) */
    char loss_name[16]; /* "ns" | "hs" | "softmax" ("" if absent or numeric) */
    char isa[16];       /* kernels the trainer chose ("" if absent) */
    double dim, window, negative, sample, epochs, threads;
    double vocab_size, corpus_words, kept_words;
    double vocab_seconds, train_seconds;
    double words_per_sec, kept_words_per_sec;
    double flops, gflops;
    double final_loss;
};

/* Parses the trainer's JSON object. Required: train_seconds > 0 and
 * corpus_words; words_per_sec and kept_words_per_sec are derived from them
 * (× epochs) when absent. "loss" may be the loss's name (a string) or the
 * final loss value (a number); "final_loss" is read as the value too.
 * Returns -1 with a w2v_error message otherwise. */
int w2v_bench_parse_train_json(const char *line, struct w2v_bench_train_report *out);

/* The last non-empty line of a program's output (for picking the JSON line out
 * of stdout). Returns a pointer into `text` and its length in *len; NULL if none. */
const char *w2v_bench_last_line(const char *text, size_t *len);

struct w2v_bench_run {
    /* The configuration. */
    char model[16], loss[16];
    uint32_t dim, threads;
    char *command; /* the exact train command line, shell-quoted (owned) */

    /* Measured (for --repeat N: the run with the median words/s). */
    struct w2v_bench_train_report train;
    double wall_seconds;  /* the whole train process, start to exit */
    double max_rss_mib;   /* peak resident memory of the train process */
    double repeat_spread; /* (max - min) / median of words/s over the repeats, 0 for one */

    /* Derived. */
    double speedup;       /* words/s ÷ words/s of the 1-thread run of this configuration */
    double efficiency;    /* speedup ÷ threads */
    double peak_gflops;   /* measured FMA peak of the cores this run used */
    double peak_fraction; /* train.gflops ÷ peak_gflops */

    /* Quality, if evaluated. */
    double analogy_accuracy; /* fraction of questions answered, 0..1 */
    double similarity_rho;   /* Spearman ρ */
};

/* A run with every number NAN and the configuration set. */
void w2v_bench_run_init(struct w2v_bench_run *run, const char *model, const char *loss,
                        uint32_t dim, uint32_t threads);

/* The index of the median element of values[0..n) (the lower one of the two
 * middle ones for even n; NANs sort last), or 0 for n == 0. */
size_t w2v_bench_median_index(const double *values, size_t n);

/* Fills speedup and efficiency of every run from the 1-thread run with the
 * same model, loss and dim (NAN where there is none). */
void w2v_bench_compute_scaling(struct w2v_bench_run *runs, size_t count);

/* Peak GFLOP/s of `threads` cores: single_core × threads, at most all_cores
 * (the machine's all-core figure) once threads >= cores. */
double w2v_bench_peak_for_threads(double single_core, double all_cores, uint32_t cores,
                                  uint32_t threads);

#endif
