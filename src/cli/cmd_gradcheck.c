/* cmd_gradcheck.c — `w2v gradcheck`: the trainer's own step for every model ×
 * loss × CBOW update mode against finite differences (gradcheck.h). */
#include "commands.h"

#include "options.h"
#include "w2v/gradcheck.h"

#include <stddef.h>
#include <stdio.h>

static const char usage[] =
    "usage: w2v gradcheck [--dim N] [--vocab V] [--seed N] [--tolerance X] [--step E]\n"
    "\n"
    "Checks the gradients of the trainer's own step for every model and loss (sg and\n"
    "CBOW with --cbow-update sum and mean; ns, hs, softmax and hs+ns) against central\n"
    "finite differences on a small random problem: a window of four context words with\n"
    "one word twice and, for ns, four negatives drawn from three words. The analytic\n"
    "gradient is what one real training step with learning rate 1 does to a copy of the\n"
    "parameters (CBOW's sum update moves each context row by 4x the gradient: divided\n"
    "out); the numeric one differentiates the same step run in evaluate-only mode, with\n"
    "the same negatives. Prints the largest relative error per parameter block and exits\n"
    "1 if any is above the tolerance. Float differences resolve gradients down to about\n"
    "1e-5 of J's size: with --dim 1 a block is a single number that can fall below that.\n"
    "\n";

struct gradcheck_values {
    struct w2v_gradcheck_options options;
    double tolerance, step;
};

#define AT(field) offsetof(struct gradcheck_values, field)

static const struct w2v_option options_table[] = {
    {W2V_OPT_U32, "--dim", .arg = "N", .offset = AT(options.dim), .min = 1, .max = 1000,
     .help = "vector dimension (default 10)"},
    {W2V_OPT_U32, "--vocab", .arg = "V", .offset = AT(options.vocab_size),
     .min = W2V_GRADCHECK_MIN_VOCAB, .max = W2V_GRADCHECK_MAX_VOCAB,
     .help = "vocabulary size, 4 to 1000 (default 12)"},
    {W2V_OPT_U64, "--seed", .arg = "N", .offset = AT(options.seed),
     .help = "random seed of the problem (default 1)"},
    {W2V_OPT_DOUBLE, "--tolerance", .arg = "X", .offset = AT(tolerance), .dmax = 1e3,
     .help = "largest relative error accepted (default 1e-3)"},
    {W2V_OPT_DOUBLE, "--step", .arg = "E", .offset = AT(step), .dmin = 1e-6, .dmax = 1,
     .help = "finite-difference step (default 1e-2)"},
    {W2V_OPT_HELP, "--help", .help = "this text"},
    {W2V_OPT_END},
};

static const struct w2v_command_spec spec = {
    .name = "gradcheck",
    .usage = usage,
    .options = options_table,
    .column = 18,
    .one_dash_long = true,
};

static void print_report(const char *name, const struct w2v_gradcheck_report *report,
                         double tolerance) {
    printf("%s: J = %.6f; %s\n", name, report->loss, report->problem);
    if (report->input_scale != 1)
        printf("  (this step moves each context row by %g x dJ/dv: divided out below)\n",
               report->input_scale);
    printf("  %-40s %13s %13s %11s\n", "block", "max|analytic|", "max|numeric|", "rel. error");
    for (uint32_t b = 0; b < report->block_count; b++) {
        const struct w2v_gradcheck_block *block = &report->blocks[b];
        printf("  %-40s %13.6g %13.6g %11.3g%s\n", block->name, block->max_analytic,
               block->max_numeric, block->relative_error,
               block->relative_error > tolerance ? "  FAIL" : "");
    }
    printf("  worst %.3g: %s\n\n", report->worst, report->worst > tolerance ? "FAIL" : "ok");
}

int w2v_cmd_gradcheck(int argc, char **argv) {
    struct w2v_gradcheck_options options;
    w2v_gradcheck_default_options(&options);
    struct gradcheck_values values = {options, 1e-3, options.step};
    struct w2v_parsed parsed;
    int stop = w2v_options_parse(&spec, argc, argv, &values, &parsed);
    w2v_parsed_free(&parsed);
    if (stop != 0) return w2v_options_stop(stop);
    double tolerance = values.tolerance, step = values.step;
    options = values.options;
    options.step = (float)step;

    printf("w2v gradcheck: vocabulary %u, dim %u, seed %llu, step %g, tolerance %g, %s kernels\n\n",
           options.vocab_size, options.dim, (unsigned long long)options.seed, step, tolerance,
           w2v_kernels_get()->isa_name);
    struct w2v_gradcheck_case cases[W2V_GRADCHECK_MAX_CASES];
    const uint32_t count = w2v_gradcheck_cases(cases);
    uint32_t failures = 0;
    double worst = 0;
    for (uint32_t c = 0; c < count; c++) {
        struct w2v_gradcheck_report report;
        char name[32];
        if (w2v_gradcheck_run_case(&cases[c], &options, &report) != 0) return w2v_report_error();
        print_report(w2v_gradcheck_case_name(&cases[c], name, sizeof name), &report, tolerance);
        failures += report.worst > tolerance;
        if (report.worst > worst) worst = report.worst;
    }
    if (failures) {
        printf("gradcheck FAILED: %u of %u checks above tolerance %g (worst %.3g)\n", failures,
               count, tolerance, worst);
        return 1;
    }
    printf("gradcheck passed: all %u checks within tolerance %g (worst %.3g)\n", count, tolerance,
           worst);
    return 0;
}
