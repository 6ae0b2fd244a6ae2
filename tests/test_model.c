/* test_model.c — model.h's initial matrices: the same bytes from 1, 2, 3 and
 * 8 threads (the values depend on the seed alone), input values within
 * [-0.5/dim, 0.5/dim), and every row's padding and every output row zero even
 * where the allocator hands back memory that held other bytes. */
#include "testing.h"

#include "w2v/alloc.h"
#include "w2v/model.h"

#include <string.h>

enum { V = 2500, OUT = 2499, DIM = 37 }; /* rows over three chunks of 1024; a padded stride */

/* Dirties and frees a block of each matrix's size, so that the next allocations of those
 * sizes are likely to reuse memory full of 0xff bytes. */
static void dirty_heap(size_t input_bytes, size_t output_bytes) {
    void *a = w2v_alloc_aligned(input_bytes), *b = w2v_alloc_aligned(output_bytes);
    memset(a, 0xff, input_bytes), memset(b, 0xff, output_bytes);
    w2v_free(a), w2v_free(b);
}

static void test_init_depends_on_the_seed_alone(void **state) {
    (void)state;
    struct w2v_model one;
    w2v_model_init(&one, V, OUT, DIM, 42, 1);
    const size_t input_bytes = (size_t)V * one.stride * sizeof(float);
    const size_t output_bytes = (size_t)OUT * one.stride * sizeof(float);
    assert_true(one.stride > DIM);
    for (uint32_t id = 0; id < V; id++) {
        const float *row = w2v_model_input_row(&one, id);
        for (uint32_t k = 0; k < DIM; k++) {
            assert_true(row[k] >= -0.5f / DIM);
            assert_true(row[k] < 0.5f / DIM);
        }
    }
    const uint32_t threads[] = {2, 3, 8};
    for (size_t i = 0; i < sizeof threads / sizeof *threads; i++) {
        dirty_heap(input_bytes, output_bytes);
        struct w2v_model many;
        w2v_model_init(&many, V, OUT, DIM, 42, threads[i]);
        assert_memory_equal(many.input, one.input, input_bytes); /* padding included */
        assert_memory_equal(many.output, one.output, output_bytes);
        w2v_model_free(&many);
    }
    float zero[64] = {0};
    for (uint32_t id = 0; id < V; id++)
        assert_memory_equal(w2v_model_input_row(&one, id) + DIM, zero,
                            (one.stride - DIM) * sizeof(float));
    for (uint32_t r = 0; r < OUT; r++)
        assert_memory_equal(w2v_model_output_row(&one, r), zero, one.stride * sizeof(float));
    /* another seed, other values; more threads than chunks of rows still works */
    struct w2v_model other;
    w2v_model_init(&other, V, OUT, DIM, 43, 64);
    assert_memory_not_equal(other.input, one.input, input_bytes);
    w2v_model_free(&other);
    w2v_model_free(&one);
}

/* Tiny shapes: one row, no output rows (one is still allocated, zero). */
static void test_init_tiny_shapes(void **state) {
    (void)state;
    struct w2v_model a, b;
    w2v_model_init(&a, 1, 0, 3, 7, 4);
    w2v_model_init(&b, 1, 0, 3, 7, 1);
    assert_memory_equal(a.input, b.input, a.stride * sizeof(float));
    assert_non_null(a.output);
    for (size_t k = 0; k < a.stride; k++) assert_true(a.output[k] == 0.0f);
    w2v_model_free(&a), w2v_model_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_depends_on_the_seed_alone),
        cmocka_unit_test(test_init_tiny_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
