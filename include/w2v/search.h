/* search.h — nearest words by cosine over the first N rows of a vector set.
 *
 * A search holds unit-length copies of the candidate rows (the first
 * `restrict_vocab` words: in frequency-sorted files, the most frequent) and a
 * lookup from word to row. With fold_case the lookup ignores ASCII case and a
 * word maps to the first row spelled that way, as gensim's
 * case_insensitive=True does; candidates spelled like an excluded word in
 * another case are excluded with it. Rows of length zero stay zero (cosine 0).
 *
 * This is shared by analogy and similarity evaluation and the query commands
 * (`w2v neighbours`, `analogy`, `similarity`, `odd-one-out`); it works on any struct w2v_vectors, read from a file or
 * straight from the trainer. */
#ifndef W2V_SEARCH_H
#define W2V_SEARCH_H

#include "w2v/vectors.h"
#include "w2v/word_index.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct w2v_search {
    const struct w2v_vectors *vectors; /* borrowed: words are looked up here */
    uint64_t count;                    /* candidate rows: the first `count` words */
    uint32_t dim;
    size_t stride;                /* floats between rows of `unit` (cache-line multiple) */
    float *unit;                  /* count unit-length rows */
    struct w2v_word_index lookup; /* word (folded if fold_case) -> first such row */
    uint64_t *canonical;          /* row -> first row spelled the same (folded) */
    bool any_case_variants;       /* some canonical[i] != i */
};

/* Prepares a search over the first min(restrict_vocab, count) rows of
 * `vectors` (restrict_vocab 0 means all). `vectors` must outlive it. */
void w2v_search_init(struct w2v_search *search, const struct w2v_vectors *vectors,
                     uint64_t restrict_vocab, bool fold_case);
void w2v_search_free(struct w2v_search *search);

/* The row of `word` among the candidates, or -1. */
int64_t w2v_search_find(const struct w2v_search *search, const char *word);

/* The k candidates most similar by cosine to `query` (dim floats, any
 * length), best first, skipping the rows in exclude[0..exclude_count) and
 * their case variants. Writes rows and cosines; returns how many (<= k). */
size_t w2v_search_nearest(const struct w2v_search *search, const float *query,
                          const uint64_t *exclude, size_t exclude_count, size_t k, uint64_t *rows,
                          float *cosines);

/* Sets scores[j] = -INFINITY for every excluded row j (and its case variants). */
void w2v_search_mask(const struct w2v_search *search, float *scores, const uint64_t *exclude,
                     size_t exclude_count);

/* gensim's most_similar(positive, negative) query: the mean of weights[i]
 * times the unit vector of candidate row rows[i] (+1 for a positive word, -1
 * for a negative one), scaled to unit length (left zero if the mean is zero).
 * Writes dim floats to `out`. */
void w2v_search_mean(const struct w2v_search *search, const uint64_t *rows, const float *weights,
                     size_t count, float *out);

/* gensim's similarity(a, b): the cosine of candidate rows a and b (0 if
 * either has length zero). */
float w2v_search_cosine(const struct w2v_search *search, uint64_t a, uint64_t b);

/* gensim's doesnt_match: the index i into rows[0..count) whose unit vector is
 * least similar to the mean of all their unit vectors (the first such on
 * ties); 0 if count is 0. */
size_t w2v_search_odd_one_out(const struct w2v_search *search, const uint64_t *rows, size_t count);

/* Scales v[0..dim) to unit length (left alone if zero). */
void w2v_normalize(float *v, uint32_t dim);

#endif
