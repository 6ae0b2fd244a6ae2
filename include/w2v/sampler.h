/* sampler.h — negative sampling: draws word ids with probability ∝ count^power
 * (power 0.75: the unigram^0.75 distribution of word2vec).
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

/* counts[0..size-1] must not all be zero. */
int w2v_sampler_init(struct w2v_sampler *sampler, const uint64_t *counts, uint32_t size,
                     double power);
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
