/* rng.h — the per-thread random number generator (xoshiro256**).
 *
 * Each worker owns one, seeded from (--seed, thread index) through splitmix64,
 * so runs with a fixed seed and thread count are reproducible and threads never
 * share generator state. Header-only: it sits in the innermost loops. */
#ifndef W2V_RNG_H
#define W2V_RNG_H

#include <stdint.h>

struct w2v_rng {
    uint64_t state[4];
};

static inline uint64_t w2v_splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Seeds stream `stream` (e.g. a thread index) of seed `seed`. */
static inline void w2v_rng_seed(struct w2v_rng *rng, uint64_t seed, uint64_t stream) {
    uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ull);
    for (int i = 0; i < 4; i++) rng->state[i] = w2v_splitmix64(&x);
}

static inline uint64_t w2v_rotl64(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t w2v_rng_next(struct w2v_rng *rng) {
    uint64_t *s = rng->state;
    uint64_t result = w2v_rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = w2v_rotl64(s[3], 45);
    return result;
}

/* Uniform in [0, n) by multiply-shift (bias below 2^-32 for n < 2^32). */
static inline uint32_t w2v_rng_below(struct w2v_rng *rng, uint32_t n) {
    return (uint32_t)(((w2v_rng_next(rng) >> 32) * n) >> 32);
}

/* Uniform in [0, 1) with 24 random bits. */
static inline float w2v_rng_unit(struct w2v_rng *rng) {
    return (float)(w2v_rng_next(rng) >> 40) * (1.0f / 16777216.0f);
}

#endif
