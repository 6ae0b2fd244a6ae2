/* bench_report.h — the harness's outputs: an aligned table for people, CSV and
 * JSON for programs. Each records the machine, the measured peak, the w2v
 * version and, per run, the exact train command line. */
#ifndef W2V_BENCH_REPORT_H
#define W2V_BENCH_REPORT_H

#include "bench_machine.h"
#include "bench_peak.h"
#include "bench_result.h"

#include <stdio.h>

struct w2v_bench_context {
    struct w2v_bench_machine machine;
    struct w2v_bench_peak peak;
    const char *w2v_version;   /* first line of `w2v --version` */
    const char *bench_command; /* the harness's own command line */
    const char *corpus;        /* the corpus path or "generated SIZE" */
    unsigned repeat;
};

void w2v_bench_write_table(FILE *out, const struct w2v_bench_context *context,
                           const struct w2v_bench_run *runs, size_t count);

/* Writes one CSV field, quoted (RFC 4180) if it holds a comma, quote, CR or LF. */
void w2v_bench_csv_field(FILE *out, const char *text);

/* A header line and one line per run; machine columns repeat on every line so
 * rows from different machines can be concatenated. NAN numbers are empty fields. */
int w2v_bench_write_csv(FILE *out, const struct w2v_bench_context *context,
                        const struct w2v_bench_run *runs, size_t count);

/* One JSON document: {"machine":{...},"peak":{...},"w2v_version":...,"runs":[...]}.
 * NAN numbers are null. */
int w2v_bench_write_json(FILE *out, const struct w2v_bench_context *context,
                         const struct w2v_bench_run *runs, size_t count);

#endif
