/* cmd_gradcheck.c — `w2v gradcheck`: every model × loss gradient against finite differences. */
#include "commands.h"

#include "args.h"
#include "w2v/gradcheck.h"

#include <getopt.h>
#include <stdio.h>

static const char usage[] =
    "usage: w2v gradcheck [--dim N] [--vocab V] [--seed N] [--tolerance X] [--step E]\n"
    "\n"
    "Checks the analytic gradients of every model (sg, cbow) and loss (ns, hs, softmax)\n"
    "against central finite differences on a small random problem: a window of four\n"
    "context words with one word twice and, for ns, a negative drawn twice. The analytic\n"
    "gradient is what one real training step with learning rate 1 does to a copy of the\n"
    "parameters; the numeric one differentiates the same step run with learning rate 0.\n"
    "Prints the largest relative error per parameter block and exits 1 if any is above\n"
    "the tolerance. Float differences resolve gradients down to about 1e-5 of J's size:\n"
    "with --dim 1 a block is a single number that can fall below that.\n"
    "\n"
    "  --dim N         vector dimension (default 10)\n"
    "  --vocab V       vocabulary size, 4 to 1000 (default 12)\n"
    "  --seed N        random seed of the problem (default 1)\n"
    "  --tolerance X   largest relative error accepted (default 1e-3)\n"
    "  --step E        finite-difference step (default 1e-2)\n"
    "  --help          this text\n";

enum { OPT_DIM = 1000, OPT_VOCAB, OPT_SEED, OPT_TOLERANCE, OPT_STEP, OPT_HELP };

static const struct option long_options[] = {
    {"dim", required_argument, NULL, OPT_DIM},
    {"vocab", required_argument, NULL, OPT_VOCAB},
    {"seed", required_argument, NULL, OPT_SEED},
    {"tolerance", required_argument, NULL, OPT_TOLERANCE},
    {"step", required_argument, NULL, OPT_STEP},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

static void print_report(const char *model, const char *loss,
                         const struct w2v_gradcheck_report *report, double tolerance) {
    printf("%s/%s: J = %.6f; %s\n", model, loss, report->loss, report->problem);
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
    double tolerance = 1e-3, step = options.step;
    optind = 1;
    opterr = 0;
    int id, status = 0;
    while (status == 0 && (id = getopt_long_only(argc, argv, ":", long_options, NULL)) != -1) {
        switch (id) {
        case OPT_DIM:
            status = w2v_parse_u32("--dim", optarg, 1, 1000, &options.dim);
            break;
        case OPT_VOCAB:
            status = w2v_parse_u32("--vocab", optarg, W2V_GRADCHECK_MIN_VOCAB,
                                   W2V_GRADCHECK_MAX_VOCAB, &options.vocab_size);
            break;
        case OPT_SEED:
            status = w2v_parse_u64("--seed", optarg, 0, UINT64_MAX, &options.seed);
            break;
        case OPT_TOLERANCE:
            status = w2v_parse_double("--tolerance", optarg, 0, 1e3, &tolerance);
            break;
        case OPT_STEP:
            status = w2v_parse_double("--step", optarg, 1e-6, 1, &step);
            break;
        case OPT_HELP:
            fputs(usage, stdout);
            return 0;
        default:
            fprintf(stderr, "w2v: unknown or incomplete option '%s' (see 'w2v gradcheck --help')\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    if (status != 0) return w2v_report_error();
    if (optind < argc) {
        fprintf(stderr, "w2v: unexpected argument '%s' (see 'w2v gradcheck --help')\n",
                argv[optind]);
        return 2;
    }
    options.step = (float)step;

    printf("w2v gradcheck: vocabulary %u, dim %u, seed %llu, step %g, tolerance %g, %s kernels\n\n",
           options.vocab_size, options.dim, (unsigned long long)options.seed, step, tolerance,
           w2v_kernels_get()->isa_name);
    const enum w2v_model_kind models[] = {W2V_MODEL_SKIPGRAM, W2V_MODEL_CBOW};
    const enum w2v_loss_kind losses[] = {W2V_LOSS_NS, W2V_LOSS_HS, W2V_LOSS_SOFTMAX};
    int failures = 0;
    double worst = 0;
    for (int m = 0; m < 2; m++)
        for (int l = 0; l < 3; l++) {
            struct w2v_gradcheck_report report;
            if (w2v_gradcheck_run(models[m], losses[l], &options, &report) != 0)
                return w2v_report_error();
            print_report(w2v_model_kind_name(models[m]), w2v_loss_name(losses[l]), &report,
                         tolerance);
            failures += report.worst > tolerance;
            if (report.worst > worst) worst = report.worst;
        }
    if (failures) {
        printf("gradcheck FAILED: %d of 6 checks above tolerance %g (worst %.3g)\n", failures,
               tolerance, worst);
        return 1;
    }
    printf("gradcheck passed: all 6 checks within tolerance %g (worst %.3g)\n", tolerance, worst);
    return 0;
}
