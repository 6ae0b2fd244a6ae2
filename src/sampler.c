/* sampler.c — building the alias table of a discrete distribution (Vose), for
 * unigram^power negative sampling and for any other weights (the synthetic
 * corpus's Zipf filler). */
#include "w2v/sampler.h"

#include "w2v/alloc.h"
#include "w2v/error.h"

#include <math.h>
#include <string.h>

int w2v_sampler_init_weights(struct w2v_sampler *sampler, double *weights, uint32_t size) {
    memset(sampler, 0, sizeof *sampler);
    if (size == 0) return w2v_error("cannot sample from an empty vocabulary");
    double total = 0;
    for (uint32_t i = 0; i < size; i++) total += weights[i];
    if (!(total > 0)) return w2v_error("cannot sample: every word has count zero");
    double *scaled = weights; /* probability × size: a column's share is 1 */
    for (uint32_t i = 0; i < size; i++) scaled[i] *= size / total;

    /* Vose: pair each under-full column with an over-full word that tops it up. */
    uint32_t *small = w2v_xmalloc(size * sizeof *small), *large = w2v_xmalloc(size * sizeof *large);
    uint32_t small_count = 0, large_count = 0;
    for (uint32_t i = 0; i < size; i++) {
        if (scaled[i] < 1.0)
            small[small_count++] = i;
        else
            large[large_count++] = i;
    }
    sampler->size = size;
    sampler->table = w2v_alloc_aligned(size * sizeof *sampler->table);
    while (small_count && large_count) {
        uint32_t under = small[--small_count], over = large[--large_count];
        sampler->table[under].threshold = (uint32_t)(scaled[under] * 4294967296.0);
        sampler->table[under].alias = over;
        scaled[over] -= 1.0 - scaled[under];
        if (scaled[over] < 1.0)
            small[small_count++] = over;
        else
            large[large_count++] = over;
    }
    /* What is left is full up to rounding error: always keep the column. */
    while (large_count) {
        uint32_t full = large[--large_count];
        sampler->table[full] = (struct w2v_alias_entry){UINT32_MAX, full};
    }
    while (small_count) {
        uint32_t full = small[--small_count];
        sampler->table[full] = (struct w2v_alias_entry){UINT32_MAX, full};
    }
    w2v_free(small);
    w2v_free(large);
    return 0;
}

int w2v_sampler_init(struct w2v_sampler *sampler, const uint64_t *counts, uint32_t size,
                     double power) {
    double *weights = w2v_xmalloc((size ? size : 1) * sizeof *weights);
    for (uint32_t i = 0; i < size; i++) weights[i] = pow((double)counts[i], power);
    int status = w2v_sampler_init_weights(sampler, weights, size);
    w2v_free(weights);
    return status;
}

void w2v_sampler_free(struct w2v_sampler *sampler) {
    w2v_free(sampler->table);
    memset(sampler, 0, sizeof *sampler);
}

double w2v_sampler_probability(const struct w2v_sampler *sampler, uint32_t id) {
    double mass = 0; /* in units of one column's share, 1/size */
    for (uint32_t column = 0; column < sampler->size; column++) {
        const struct w2v_alias_entry *entry = &sampler->table[column];
        double keep = entry->threshold / 4294967296.0;
        if (column == id) mass += keep;
        if (entry->alias == id) mass += 1.0 - keep;
    }
    return mass / sampler->size;
}
