/* sampler.h — negative sampling: draws word ids with probability ∝ count^power
 * (power 0.75: the unigram^0.75 distribution of word2vec), or ∝ any weights.
 *
 * Walker's alias method (built with Vose's algorithm): one table entry per
 * word, 8 bytes each, so the memory is proportional to the vocabulary (59k
 * words: 470 KB, cache-resident) instead of word2vec.c's fixed 100M-entry,
 * 400 MB table, and a draw is exact (no table quantization) and costs one
 * random number and one table read. Read-only and shared by all threads. */
#ifndef W2V_SAMPLER_H
#define W2V_SAMPLER_H

#include <stdint.h>

struct w2v_alias_entry {
    uint32_t threshold; /* keep this column if the low 32 random bits are below it */
    uint32_t alias;     /* else take this word */
};

struct w2v_sampler {
    uint32_t size;
    struct w2v_alias_entry *table;
};

/* Draws i with probability ∝ counts[i]^power; counts[0..size-1] must not all
 * be zero. Returns 0, or -1 with w2v_error set (size 0 or all counts zero). */
int w2v_sampler_init(struct w2v_sampler *sampler, const uint64_t *counts, uint32_t size,
                     double power);

/* Draws i with probability weights[i] / Σ weights: any finite weights >= 0, not
 * all zero (the one alias-table builder; w2v_sampler_init calls it). The array
 * is the builder's scratch: its contents are overwritten. Returns as
 * w2v_sampler_init. */
int w2v_sampler_init_weights(struct w2v_sampler *sampler, double *weights, uint32_t size);

void w2v_sampler_free(struct w2v_sampler *sampler);

/* One draw from 64 random bits: the high half picks a column, the low half the coin. */
static inline uint32_t w2v_sampler_draw(const struct w2v_sampler *sampler, uint64_t random_bits) {
    uint32_t column = (uint32_t)(((random_bits >> 32) * sampler->size) >> 32);
    struct w2v_alias_entry entry = sampler->table[column];
    return (uint32_t)random_bits < entry.threshold ? column : entry.alias;
}

/* The exact probability of drawing `id` under this table (for tests and reports). */
double w2v_sampler_probability(const struct w2v_sampler *sampler, uint32_t id);

#endif
