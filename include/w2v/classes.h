/* classes.h — word classes by spherical k-means (word2vec.c's `-classes K`).
 *
 * w2v_classes_kmeans() groups the words of a vector set into K classes by
 * cosine similarity: every vector is scaled to unit length, K centres are
 * seeded by k-means++ from a seed, and Lloyd iterations (assign every word to
 * its most similar centre, recompute each centre as the normalised mean of its
 * words) run until no word changes class or the iteration limit is reached.
 * w2v_classes_write() writes the result as word2vec.c does: one "word class"
 * line per word, in the vector file's order. */
#ifndef W2V_CLASSES_H
#define W2V_CLASSES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "w2v/vectors.h"

struct w2v_classes_options {
    uint32_t k;          /* number of classes, 1 .. the number of words */
    uint32_t iterations; /* most assignment steps (the first uses the seeds); default 10 */
    uint64_t seed;       /* k-means++ seeding; the same seed gives the same classes */
    uint32_t threads;    /* BLAS threads for the distance products; 0: all online CPUs */
};

/* What one run did (for messages and tests). */
struct w2v_classes_stats {
    uint32_t iterations; /* assignment steps run */
    bool converged;      /* the last step changed no word's class */
    uint32_t reseeded;   /* empty classes given a new centre, over all steps */
    double mean_cosine;  /* mean cosine between a word and its class's centre */
    double seconds;      /* wall time, seeding included */
};

/* k = 0 (must be set), iterations 10, seed 1, threads 0. */
void w2v_classes_options_default(struct w2v_classes_options *options);

/* Assigns every word of `vectors` a class in [0, options->k): class_of[i] for
 * row i (vectors->count entries, caller-allocated). Deterministic for a given
 * seed and thread count. `stats` may be NULL. Returns 0, or -1 with w2v_error
 * set (k = 0, k larger than the vocabulary, iterations = 0); class_of is then
 * unspecified. Sets OpenBLAS's thread count for its products and restores it. */
int w2v_classes_kmeans(const struct w2v_vectors *vectors, const struct w2v_classes_options *options,
                       uint32_t *class_of, struct w2v_classes_stats *stats);

/* How well classes fit the vectors' cosine geometry, to compare clusterings
 * of the same vectors (w2v's, word2vec.c's). */
struct w2v_classes_score {
    double mean_cosine;  /* mean cosine of a word to its class's centre (the
                           * normalised sum of its class's unit vectors) */
    double nearest_same; /* share of words whose nearest other word (cosine)
                           * is in their class */
};

/* Scores class_of (ids < k) on `vectors`; the nearest-neighbour share costs
 * one n x n product (blocked sgemm). Returns 0, or -1 with w2v_error set
 * (k = 0, an id >= k, fewer than 2 words). */
int w2v_classes_score(const struct w2v_vectors *vectors, const uint32_t *class_of, uint32_t k,
                      uint32_t threads, struct w2v_classes_score *score);

/* Writes "word class\n" for every word, in row order (word2vec.c's -classes
 * output), to `path` atomically: on error nothing is left at `path` and -1 is
 * returned with w2v_error set. */
int w2v_classes_write(const char *path, const struct w2v_vectors *vectors,
                      const uint32_t *class_of);

/* The same lines into an open stream (an already-opened atomic file). */
void w2v_classes_write_stream(FILE *fp, const struct w2v_vectors *vectors,
                              const uint32_t *class_of);

#endif
