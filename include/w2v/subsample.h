/* subsample.h — Mikolov's subsampling of frequent words.
 *
 * A word with count c in a corpus of T in-vocabulary tokens is kept with
 * probability  p(c) = (sqrt(c / (t·T)) + 1) · t·T / c  (capped at 1), the
 * formula word2vec.c uses, with t = --sample. Thresholds are precomputed per
 * word as 32-bit fixed point so the hot loop does one compare. t = 0 keeps all. */
#ifndef W2V_SUBSAMPLE_H
#define W2V_SUBSAMPLE_H

#include <stdint.h>

struct w2v_subsample {
    uint32_t size;
    uint64_t *keep_threshold; /* keep if 32 random bits < threshold; 2^32 = always */
};

void w2v_subsample_init(struct w2v_subsample *subsample, const uint64_t *counts, uint32_t size,
                        uint64_t total_count, double sample);
void w2v_subsample_free(struct w2v_subsample *subsample);

/* The formula itself (for reports and tests). */
double w2v_subsample_keep_probability(uint64_t count, uint64_t total_count, double sample);

static inline int w2v_subsample_keep(const struct w2v_subsample *subsample, uint32_t id,
                                     uint32_t random_bits) {
    return random_bits < subsample->keep_threshold[id];
}

#endif
