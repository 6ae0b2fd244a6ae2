/* model.h — the parameters being trained: two embedding matrices.
 *
 * `input` holds one row per word (word2vec's syn0: these are the word vectors
 * written out). `output` holds the rows the loss scores against: one per word
 * for negative sampling and the full softmax, one per inner node of the
 * Huffman tree for hierarchical softmax. Rows are padded to whole cache lines
 * (alloc.h). Workers update both matrices concurrently without locks
 * (Hogwild): races lose an occasional small update, which SGD tolerates. */
#ifndef W2V_MODEL_H
#define W2V_MODEL_H

#include <stddef.h>
#include <stdint.h>

struct w2v_model {
    uint32_t vocab_size;
    uint32_t output_rows;
    uint32_t dim;
    size_t stride; /* floats between rows */
    float *input;
    float *output;
};

/* Both matrices, zero-filled (a checkpoint or a warm start fills them). */
void w2v_model_alloc(struct w2v_model *model, uint32_t vocab_size, uint32_t output_rows,
                     uint32_t dim);
/* Input rows uniform in [-0.5/dim, 0.5/dim) from `seed` (as word2vec.c), output rows zero,
 * written by `threads` threads (0 or 1: the caller's), each first touching its share of
 * both matrices (model.c). The values depend on the seed alone, not on `threads`. */
void w2v_model_init(struct w2v_model *model, uint32_t vocab_size, uint32_t output_rows,
                    uint32_t dim, uint64_t seed, uint32_t threads);
void w2v_model_free(struct w2v_model *model);

static inline float *w2v_model_input_row(const struct w2v_model *model, uint32_t id) {
    return model->input + (size_t)id * model->stride;
}

static inline float *w2v_model_output_row(const struct w2v_model *model, uint32_t row) {
    return model->output + (size_t)row * model->stride;
}

/* Asks the cache for a row about to be read and written (every 64-byte line
 * of it): a hint, it changes no value. */
static inline void w2v_model_prefetch_row(const struct w2v_model *model, const float *row) {
    const char *bytes = (const char *)row;
    for (size_t at = 0; at < (size_t)model->dim * sizeof(float); at += 64)
        __builtin_prefetch(bytes + at, 1, 3);
}

#endif
