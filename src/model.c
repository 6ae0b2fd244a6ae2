/* model.c — allocation and initialization of the embedding matrices. */
#include "w2v/model.h"

#include "w2v/alloc.h"
#include "w2v/rng.h"

#include <string.h>

void w2v_model_alloc(struct w2v_model *model, uint32_t vocab_size, uint32_t output_rows,
                     uint32_t dim) {
    model->vocab_size = vocab_size;
    model->output_rows = output_rows;
    model->dim = dim;
    model->stride = w2v_row_stride(dim);
    model->input = w2v_alloc_aligned((size_t)vocab_size * model->stride * sizeof(float));
    model->output =
        w2v_alloc_aligned((size_t)(output_rows ? output_rows : 1) * model->stride * sizeof(float));
}

void w2v_model_init(struct w2v_model *model, uint32_t vocab_size, uint32_t output_rows,
                    uint32_t dim, uint64_t seed) {
    w2v_model_alloc(model, vocab_size, output_rows, dim);
    struct w2v_rng rng;
    w2v_rng_seed(&rng, seed, 0x5eed);
    for (uint32_t id = 0; id < vocab_size; id++) {
        float *row = w2v_model_input_row(model, id);
        for (uint32_t k = 0; k < dim; k++) row[k] = (w2v_rng_unit(&rng) - 0.5f) / (float)dim;
    }
}

void w2v_model_free(struct w2v_model *model) {
    w2v_free(model->input);
    w2v_free(model->output);
    memset(model, 0, sizeof *model);
}
