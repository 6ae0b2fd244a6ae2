/* bench_report.c — the table, CSV and JSON forms of a benchmark (see bench_report.h). */
#include "bench_report.h"

#include "w2v/error.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

/* A number with `decimals` decimals, or "-" if unknown. */
static const char *number_text(char *buffer, size_t size, double value, int decimals) {
    if (isnan(value))
        snprintf(buffer, size, "-");
    else
        snprintf(buffer, size, "%.*f", decimals, value);
    return buffer;
}

void w2v_bench_write_table(FILE *out, const struct w2v_bench_context *context,
                           const struct w2v_bench_run *runs, size_t count) {
    const struct w2v_bench_machine *m = &context->machine;
    fprintf(out, "machine: %s, %u online cores, flags:%s%s%s; %s\n", m->cpu_model, m->online_cores,
            m->avx2 ? " avx2" : "", m->avx512f ? " avx512f" : "", m->fma ? " fma" : "", m->kernel);
    fprintf(out, "peak (%s FMA): %.1f GFLOP/s on 1 core, %.1f GFLOP/s on %u cores\n",
            context->peak.isa, context->peak.single_core, context->peak.all_cores,
            context->peak.cores);
    fprintf(out, "w2v: %s; corpus: %s; median of %u run%s\n\n", context->w2v_version,
            context->corpus, context->repeat, context->repeat == 1 ? "" : "s");
    fprintf(out, "%-5s %-7s %4s %4s %6s %11s %11s %7s %6s %7s %8s %8s %8s %6s %8s %7s\n", "model",
            "loss", "dim", "thr", "isa", "words/s", "kept/s", "speedup", "eff%", "vocab_s",
            "train_s", "rss_MiB", "GFLOP/s", "peak%", "analogy", "simil");
    char b[12][32];
    for (size_t i = 0; i < count; i++) {
        const struct w2v_bench_run *r = &runs[i];
        fprintf(out, "%-5s %-7s %4u %4u %6s %11s %11s %7s %6s %7s %8s %8s %8s %6s %8s %7s\n",
                r->model, r->loss, r->dim, r->threads, r->train.isa[0] ? r->train.isa : "-",
                number_text(b[0], 32, r->train.words_per_sec, 0),
                number_text(b[1], 32, r->train.kept_words_per_sec, 0),
                number_text(b[2], 32, r->speedup, 2), number_text(b[3], 32, r->efficiency * 100, 1),
                number_text(b[4], 32, r->train.vocab_seconds, 2),
                number_text(b[5], 32, r->train.train_seconds, 2),
                number_text(b[6], 32, r->max_rss_mib, 1), number_text(b[7], 32, r->train.gflops, 2),
                number_text(b[8], 32, r->peak_fraction * 100, 1),
                number_text(b[9], 32, r->analogy_accuracy * 100, 2),
                number_text(b[10], 32, r->similarity_rho, 3));
    }
}

void w2v_bench_csv_field(FILE *out, const char *text) {
    if (!text) text = "";
    if (!strpbrk(text, ",\"\r\n")) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    for (const char *p = text; *p; p++) {
        if (*p == '"') fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

static void csv_number(FILE *out, double value) {
    fputc(',', out);
    if (!isnan(value)) fprintf(out, "%.10g", value);
}

static void csv_text(FILE *out, const char *text) {
    fputc(',', out);
    w2v_bench_csv_field(out, text);
}

int w2v_bench_write_csv(FILE *out, const struct w2v_bench_context *context,
                        const struct w2v_bench_run *runs, size_t count) {
    fputs("model,loss,dim,threads,isa,words_per_sec,kept_words_per_sec,speedup,efficiency,"
          "vocab_seconds,train_seconds,wall_seconds,max_rss_mib,gflops,peak_gflops,peak_fraction,"
          "repeat_spread,analogy_accuracy,similarity_rho,vocab_size,corpus_words,kept_words,epochs,"
          "final_loss,cpu_model,online_cores,avx2,avx512f,fma,w2v_version,command\n",
          out);
    const struct w2v_bench_machine *m = &context->machine;
    for (size_t i = 0; i < count; i++) {
        const struct w2v_bench_run *r = &runs[i];
        w2v_bench_csv_field(out, r->model);
        csv_text(out, r->loss);
        csv_number(out, r->dim);
        csv_number(out, r->threads);
        csv_text(out, r->train.isa);
        const double numbers[] = {r->train.words_per_sec,
                                  r->train.kept_words_per_sec,
                                  r->speedup,
                                  r->efficiency,
                                  r->train.vocab_seconds,
                                  r->train.train_seconds,
                                  r->wall_seconds,
                                  r->max_rss_mib,
                                  r->train.gflops,
                                  r->peak_gflops,
                                  r->peak_fraction,
                                  r->repeat_spread,
                                  r->analogy_accuracy,
                                  r->similarity_rho,
                                  r->train.vocab_size,
                                  r->train.corpus_words,
                                  r->train.kept_words,
                                  r->train.epochs,
                                  r->train.final_loss};
        for (size_t k = 0; k < sizeof numbers / sizeof *numbers; k++) csv_number(out, numbers[k]);
        csv_text(out, m->cpu_model);
        csv_number(out, m->online_cores);
        csv_number(out, m->avx2), csv_number(out, m->avx512f), csv_number(out, m->fma);
        csv_text(out, context->w2v_version);
        csv_text(out, r->command);
        fputc('\n', out);
    }
    return ferror(out) ? w2v_error("cannot write the CSV report") : 0;
}

static json_t *json_number_or_null(double value) {
    return isnan(value) ? json_null() : json_real(value);
}

int w2v_bench_write_json(FILE *out, const struct w2v_bench_context *context,
                         const struct w2v_bench_run *runs, size_t count) {
    const struct w2v_bench_machine *m = &context->machine;
    json_t *root = json_object();
    json_object_set_new(root, "machine",
                        json_pack("{s:s, s:i, s:b, s:b, s:b, s:s, s:s}", "cpu_model", m->cpu_model,
                                  "online_cores", (json_int_t)m->online_cores, "avx2", m->avx2,
                                  "avx512f", m->avx512f, "fma", m->fma, "hostname", m->hostname,
                                  "kernel", m->kernel));
    json_object_set_new(root, "peak",
                        json_pack("{s:s, s:f, s:f, s:i}", "isa", context->peak.isa,
                                  "single_core_gflops", context->peak.single_core,
                                  "all_cores_gflops", context->peak.all_cores, "cores",
                                  (json_int_t)context->peak.cores));
    json_object_set_new(root, "w2v_version", json_string(context->w2v_version));
    json_object_set_new(root, "bench_command", json_string(context->bench_command));
    json_object_set_new(root, "corpus", json_string(context->corpus));
    json_object_set_new(root, "repeat", json_integer(context->repeat));
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct w2v_bench_run *r = &runs[i];
        json_t *run =
            json_pack("{s:s, s:s, s:i, s:i, s:s, s:s}", "model", r->model, "loss", r->loss, "dim",
                      (json_int_t)r->dim, "threads", (json_int_t)r->threads, "isa", r->train.isa,
                      "command", r->command ? r->command : "");
        const struct {
            const char *key;
            double value;
        } numbers[] = {
            {"words_per_sec", r->train.words_per_sec},
            {"kept_words_per_sec", r->train.kept_words_per_sec},
            {"speedup", r->speedup},
            {"efficiency", r->efficiency},
            {"vocab_seconds", r->train.vocab_seconds},
            {"train_seconds", r->train.train_seconds},
            {"wall_seconds", r->wall_seconds},
            {"max_rss_mib", r->max_rss_mib},
            {"gflops", r->train.gflops},
            {"peak_gflops", r->peak_gflops},
            {"peak_fraction", r->peak_fraction},
            {"repeat_spread", r->repeat_spread},
            {"analogy_accuracy", r->analogy_accuracy},
            {"similarity_rho", r->similarity_rho},
            {"vocab_size", r->train.vocab_size},
            {"corpus_words", r->train.corpus_words},
            {"kept_words", r->train.kept_words},
            {"epochs", r->train.epochs},
            {"final_loss", r->train.final_loss},
        };
        for (size_t k = 0; k < sizeof numbers / sizeof *numbers; k++)
            json_object_set_new(run, numbers[k].key, json_number_or_null(numbers[k].value));
        json_array_append_new(list, run);
    }
    json_object_set_new(root, "runs", list);
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    fputc('\n', out);
    json_decref(root);
    return rc != 0 || ferror(out) ? w2v_error("cannot write the JSON report") : 0;
}
