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
 * This module owns the block: its positions, which are trained, the context
 * words of a position's window, and an index from word to its untrained
 * occurrences in position order (a head per vocabulary word, a link per
 * position), so finding the next occurrence is O(1) amortised.
 *
 * Layout. The windows a step combines lie anywhere in the block (a quarter of
 * a megabyte of words), so each one costs cache misses; the layout keeps them
 * few. Positions hold the kept words with a W2V_COMBINE_END after each
 * sentence (and one before the first), so a window's context is read from
 * the words around it alone, stopping at an END (no table of sentence bounds
 * to look up first). A position's trained flag is the top bit of its link, so
 * walking a word's occurrences reads one array, and marking a position the
 * walk just found trained touches a line already in cache. ENDs are trained
 * from the start, so a scan for untrained positions passes over them. */
#ifndef W2V_COMBINE_H
#define W2V_COMBINE_H

#include <stdbool.h>
#include <stdint.h>

#define W2V_COMBINE_NONE UINT32_MAX /* no such position */
#define W2V_COMBINE_END  UINT32_MAX /* the word of the position between two sentences */

struct w2v_combine_block {
    uint32_t *words;    /* per position: a kept word, or W2V_COMBINE_END */
    uint32_t *links;    /* per position: the next position with the same word, | trained bit */
    uint32_t *head;     /* per vocabulary word: its first occurrence not yet passed */
    uint32_t positions; /* positions in use (words and ENDs) */
    uint32_t length;    /* kept words in the block */
    uint32_t sentences; /* sentences with at least one kept word */
    uint32_t capacity;  /* kept words the block holds */
    uint32_t vocab_size;
    uint64_t raw_words; /* corpus words of its sentences, before subsampling */
};

/* Buffers for `capacity` kept words (in any number of sentences) over a
 * vocabulary of vocab_size words. 0, or −1 with w2v_error set when capacity or
 * vocab_size is 0 or capacity is too large to index. */
int w2v_combine_init(struct w2v_combine_block *block, uint32_t capacity, uint32_t vocab_size);
void w2v_combine_free(struct w2v_combine_block *block);

/* Appends a sentence of n kept words (ids below vocab_size) that stood for
 * raw_words corpus words; n may be 0 (nothing is appended but raw_words
 * count). The caller keeps length + n within capacity. */
void w2v_combine_append(struct w2v_combine_block *block, const uint32_t *words, uint32_t n,
                        uint64_t raw_words);

/* Builds the word index over the block's positions, every word untrained. */
void w2v_combine_index(struct w2v_combine_block *block);

/* The first position after `after` holding `word` that is not trained yet, or
 * W2V_COMBINE_NONE. Positions up to `after` are dropped from the word's index
 * for good: the caller asks with a non-decreasing `after` per block (the
 * position of the window that starts each step). */
uint32_t w2v_combine_next(struct w2v_combine_block *block, uint32_t word, uint32_t after);

/* Copies into `contexts` the words of p's sentence within `radius` of position
 * p, in order, p's own word left out; returns how many. */
uint32_t w2v_combine_context(const struct w2v_combine_block *block, uint32_t p, uint32_t radius,
                             uint32_t *contexts);

/* Empties the block for the next one (and resets the index's heads). */
void w2v_combine_clear(struct w2v_combine_block *block);

#define W2V_COMBINE_TRAINED 0x80000000u

/* Whether position p is trained (ENDs always are) / marks it trained. */
static inline bool w2v_combine_trained(const struct w2v_combine_block *block, uint32_t p) {
    return (block->links[p] & W2V_COMBINE_TRAINED) != 0;
}
static inline void w2v_combine_mark(struct w2v_combine_block *block, uint32_t p) {
    block->links[p] |= W2V_COMBINE_TRAINED;
}

#endif
