/* model.c — allocation and initialization of the embedding matrices.
 *
 * Initialization runs on the training's threads: each fills (and so first
 * touches) a contiguous share of the rows of both matrices, so on a NUMA node
 * the pages are spread over the nodes whose CPUs run them instead of all
 * landing beside the calling thread, and a million-row model is not filled by
 * one core (1M × 300: 1.4 s on one thread of the development VM). Rows are
 * drawn in chunks of INIT_CHUNK_ROWS, chunk c from stream INIT_STREAM + c of
 * the seed, so the values depend on (seed, row) alone, not on the thread count. */
#include "w2v/model.h"

#include "w2v/alloc.h"
#include "w2v/parallel.h"
#include "w2v/rng.h"

#include <string.h>

enum { INIT_CHUNK_ROWS = 1024 };
#define INIT_STREAM 0x5eed000000000000ull /* far from the workers' streams (small indices) */

static void set_shape(struct w2v_model *model, uint32_t vocab_size, uint32_t output_rows,
                      uint32_t dim) {
    model->vocab_size = vocab_size;
    model->output_rows = output_rows;
    model->dim = dim;
    model->stride = w2v_row_stride(dim);
}

/* Output rows allocated: at least one, so that `output` is never NULL. */
static size_t output_rows_allocated(const struct w2v_model *model) {
    return model->output_rows ? model->output_rows : 1;
}

void w2v_model_alloc(struct w2v_model *model, uint32_t vocab_size, uint32_t output_rows,
                     uint32_t dim) {
    set_shape(model, vocab_size, output_rows, dim);
    model->input = w2v_alloc_aligned((size_t)vocab_size * model->stride * sizeof(float));
    model->output = w2v_alloc_aligned(output_rows_allocated(model) * model->stride * sizeof(float));
}

struct init_job {
    struct w2v_model *model;
    uint64_t seed;
    uint32_t first_chunk, end_chunk; /* input rows, in chunks */
    size_t first_output, end_output; /* output rows */
};

static void *init_share(void *arg) {
    const struct init_job *job = arg;
    struct w2v_model *model = job->model;
    const uint32_t dim = model->dim;
    for (uint32_t c = job->first_chunk; c < job->end_chunk; c++) {
        struct w2v_rng rng;
        w2v_rng_seed(&rng, job->seed, INIT_STREAM + c);
        const uint32_t first = c * INIT_CHUNK_ROWS;
        const uint32_t end = model->vocab_size - first < INIT_CHUNK_ROWS ? model->vocab_size
                                                                         : first + INIT_CHUNK_ROWS;
        float *rows = w2v_model_input_row(model, first);
        memset(rows, 0, (size_t)(end - first) * model->stride * sizeof(float)); /* the padding */
        for (uint32_t id = first; id < end; id++) {
            float *row = w2v_model_input_row(model, id);
            for (uint32_t k = 0; k < dim; k++) row[k] = (w2v_rng_unit(&rng) - 0.5f) / (float)dim;
        }
    }
    memset(model->output + job->first_output * model->stride, 0,
           (job->end_output - job->first_output) * model->stride * sizeof(float));
    return NULL;
}

void w2v_model_init(struct w2v_model *model, uint32_t vocab_size, uint32_t output_rows,
                    uint32_t dim, uint64_t seed, uint32_t threads) {
    set_shape(model, vocab_size, output_rows, dim);
    const size_t outputs = output_rows_allocated(model);
    model->input = w2v_alloc_aligned_untouched((size_t)vocab_size * model->stride * sizeof(float));
    model->output = w2v_alloc_aligned_untouched(outputs * model->stride * sizeof(float));
    const uint32_t chunks =
        (uint32_t)(((uint64_t)vocab_size + INIT_CHUNK_ROWS - 1) / INIT_CHUNK_ROWS);
    if (threads == 0) threads = 1;
    if (threads > chunks) threads = chunks ? chunks : 1;
    struct init_job *jobs = w2v_xmalloc(threads * sizeof *jobs);
    for (uint32_t t = 0; t < threads; t++)
        jobs[t] = (struct init_job){
            .model = model,
            .seed = seed,
            .first_chunk = (uint32_t)((uint64_t)chunks * t / threads),
            .end_chunk = (uint32_t)((uint64_t)chunks * (t + 1) / threads),
            .first_output = outputs * t / threads,
            .end_output = outputs * (t + 1) / threads,
        };
    w2v_run_parallel(init_share, jobs, sizeof *jobs, threads);
    w2v_free(jobs);
}

void w2v_model_free(struct w2v_model *model) {
    w2v_free(model->input);
    w2v_free(model->output);
    memset(model, 0, sizeof *model);
}
