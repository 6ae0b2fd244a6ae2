/* huffman.h — the Huffman tree of hierarchical softmax, built from word counts.
 *
 * A vocabulary of V words gets a binary tree with V leaves (the words) and
 * V−1 inner nodes numbered 0..V−2 (the root is V−2); each inner node owns one
 * row of the output matrix. A word's path is the sequence of inner nodes from
 * the root down to its leaf ("points") and, for each, the branch taken there
 * ("code" bit 0 or 1). Frequent words get short paths, so the expected path
 * length is within one of the entropy of the unigram distribution.
 *
 * Stored flat and compactly: word w's code bits and points are
 * codes[offsets[w] .. offsets[w] + lengths[w]) and the same range of points,
 * root first. A one-word vocabulary has no inner node and an empty path. */
#ifndef W2V_HUFFMAN_H
#define W2V_HUFFMAN_H

#include <stdint.h>

/* Longest path a tree may have; real counts (≥ 1) cannot exceed about 92 with 64-bit counts. */
#define W2V_HUFFMAN_MAX_LENGTH 255

struct w2v_huffman {
    uint32_t word_count; /* V */
    uint32_t max_length; /* longest path */
    uint8_t *lengths;    /* per word: its code length = number of inner nodes on its path */
    uint64_t *offsets;   /* per word: start of its code and points in the flat arrays */
    uint8_t *codes;      /* flat: branch bits, root first */
    uint32_t *points;    /* flat: inner-node indices 0..V−2, root first */
};

/* Builds the tree of `word_count` words (≥ 1) with these counts. Counts sorted
 * descending (a vocabulary's, ids being frequency ranks) take the linear
 * two-queue merge directly; any other order is sorted first, O(V log V).
 * Returns 0, or −1 with an error message. */
int w2v_huffman_build(struct w2v_huffman *tree, const uint64_t *counts, uint32_t word_count);
void w2v_huffman_free(struct w2v_huffman *tree);

static inline const uint8_t *w2v_huffman_codes(const struct w2v_huffman *tree, uint32_t word) {
    return tree->codes + tree->offsets[word];
}

static inline const uint32_t *w2v_huffman_points(const struct w2v_huffman *tree, uint32_t word) {
    return tree->points + tree->offsets[word];
}

#endif
