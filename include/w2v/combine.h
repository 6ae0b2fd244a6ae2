/* combine.h — a block of sentences for context combining (pSGNScc's idea).
 *
 * A worker training with --combine C gathers consecutive sentences of its
 * share (after subsampling) into one block, then trains the block window by
 * window in order. For the next window not yet trained, at position p, it
 * draws K negatives and looks for up to C − 1 more windows to train in the
 * same step: for each output word in turn (the centre, then each distinct
 * negative), the first occurrence of that word after p that is not trained
 * yet, round after round until C windows are found or no output word has one
 * left. Those windows share the step's outputs (step.h,
 * w2v_step_skipgram_combined): every window trains once per epoch, as without
 * combining, and output rows are read once for several windows.
 *
 * This module owns the block: its words, the sentence each position belongs
 * to, which positions are trained, and an index from word to its untrained
 * occurrences in position order (a head per vocabulary word, a next link per
 * position), so finding the next occurrence is O(1) amortised. */
#ifndef W2V_COMBINE_H
#define W2V_COMBINE_H

#include <stdbool.h>
#include <stdint.h>

#define W2V_COMBINE_NONE UINT32_MAX

struct w2v_combine_block {
    uint32_t *words;       /* the block's kept words, sentences end to end */
    uint32_t *sentence_of; /* each position's sentence (index into starts) */
    uint32_t *starts;      /* sentence k is words[starts[k] .. starts[k + 1]) */
    uint32_t *next;        /* the next position holding the same word (NONE: last) */
    bool *trained;
    uint32_t *head; /* per vocabulary word: its first occurrence not yet passed */
    uint32_t length, sentences;
    uint32_t capacity; /* positions the buffers hold */
    uint32_t vocab_size;
    uint64_t raw_words; /* corpus words of its sentences, before subsampling */
};

/* Buffers for `capacity` positions over a vocabulary of vocab_size words.
 * 0, or −1 with w2v_error set when capacity is 0. */
int w2v_combine_init(struct w2v_combine_block *block, uint32_t capacity, uint32_t vocab_size);
void w2v_combine_free(struct w2v_combine_block *block);

/* Appends a sentence of n kept words (ids below vocab_size) that stood for
 * raw_words corpus words; n may be 0 (nothing is appended but raw_words
 * count). The caller keeps length + n within capacity. */
void w2v_combine_append(struct w2v_combine_block *block, const uint32_t *words, uint32_t n,
                        uint64_t raw_words);

/* Builds the word index over the block's positions, all untrained. */
void w2v_combine_index(struct w2v_combine_block *block);

/* The first position after `after` holding `word` that is not trained yet, or
 * W2V_COMBINE_NONE. Positions up to `after` are dropped from the word's index
 * for good: the caller asks with a non-decreasing `after` per block (the
 * position of the window that starts each step). */
uint32_t w2v_combine_next(struct w2v_combine_block *block, uint32_t word, uint32_t after);

/* Empties the block for the next one (and resets the index's heads). */
void w2v_combine_clear(struct w2v_combine_block *block);

/* The sentence holding position p: its first position and its length. */
static inline void w2v_combine_sentence(const struct w2v_combine_block *block, uint32_t p,
                                        uint32_t *first, uint32_t *length) {
    const uint32_t k = block->sentence_of[p];
    *first = block->starts[k];
    *length = block->starts[k + 1] - block->starts[k];
}

#endif
