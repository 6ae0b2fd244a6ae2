/* combine.c — the block of sentences that context combining trains from
 * (combine.h): its positions, trained flags, windows and word index. */
#include "w2v/combine.h"

#include "w2v/alloc.h"
#include "w2v/error.h"

#include <string.h>

/* A link's position part; LINK_NONE ends a word's list. */
#define LINK_MASK 0x7fffffffu
#define LINK_NONE LINK_MASK

/* Positions for `capacity` kept words: each in a sentence of its own at worst
 * (a word and its END), and the END before the first. */
static uint64_t positions_for(uint32_t capacity) {
    return 2ull * capacity + 1;
}

int w2v_combine_init(struct w2v_combine_block *block, uint32_t capacity, uint32_t vocab_size) {
    memset(block, 0, sizeof *block);
    if (capacity == 0 || vocab_size == 0)
        return w2v_error("a combining block needs room for at least one word");
    if (positions_for(capacity) >= LINK_NONE)
        return w2v_error("a combining block of %u words is too large to index", capacity);
    const size_t positions = (size_t)positions_for(capacity);
    block->capacity = capacity;
    block->vocab_size = vocab_size;
    block->words = w2v_xmalloc(positions * sizeof *block->words);
    block->links = w2v_xmalloc(positions * sizeof *block->links);
    block->head = w2v_xmalloc(vocab_size * sizeof *block->head);
    for (uint32_t v = 0; v < vocab_size; v++) block->head[v] = LINK_NONE;
    block->words[0] = W2V_COMBINE_END;
    block->positions = 1;
    return 0;
}

void w2v_combine_free(struct w2v_combine_block *block) {
    w2v_free(block->words);
    w2v_free(block->links);
    w2v_free(block->head);
    memset(block, 0, sizeof *block);
}

void w2v_combine_append(struct w2v_combine_block *block, const uint32_t *words, uint32_t n,
                        uint64_t raw_words) {
    block->raw_words += raw_words;
    if (n == 0) return;
    memcpy(block->words + block->positions, words, n * sizeof *words);
    block->positions += n;
    block->words[block->positions++] = W2V_COMBINE_END;
    block->length += n;
    block->sentences++;
}

void w2v_combine_index(struct w2v_combine_block *block) {
    /* Backwards, so that each word's list runs in position order. */
    for (uint32_t p = block->positions; p-- > 0;) {
        const uint32_t word = block->words[p];
        if (word == W2V_COMBINE_END) {
            block->links[p] = W2V_COMBINE_TRAINED | LINK_NONE;
            continue;
        }
        block->links[p] = block->head[word];
        block->head[word] = p;
    }
}

uint32_t w2v_combine_next(struct w2v_combine_block *block, uint32_t word, uint32_t after) {
    uint32_t p = block->head[word];
    /* Every position this skips is at or before `after`, or trained: never wanted again. */
    while (p != LINK_NONE) {
        const uint32_t link = block->links[p];
        if (p > after && !(link & W2V_COMBINE_TRAINED)) break;
        p = link & LINK_MASK;
    }
    block->head[word] = p;
    return p == LINK_NONE ? W2V_COMBINE_NONE : p;
}

uint32_t w2v_combine_context(const struct w2v_combine_block *block, uint32_t p, uint32_t radius,
                             uint32_t *contexts) {
    const uint32_t *words = block->words;
    uint32_t first = p, last = p; /* the sentence's words within radius: [first, last] */
    while (p - first < radius && words[first - 1] != W2V_COMBINE_END) first--;
    while (last - p < radius && words[last + 1] != W2V_COMBINE_END) last++;
    uint32_t count = 0;
    for (uint32_t j = first; j <= last; j++)
        if (j != p) contexts[count++] = words[j];
    return count;
}

void w2v_combine_clear(struct w2v_combine_block *block) {
    for (uint32_t p = 0; p < block->positions; p++)
        if (block->words[p] != W2V_COMBINE_END) block->head[block->words[p]] = LINK_NONE;
    block->positions = 1;
    block->length = 0;
    block->sentences = 0;
    block->raw_words = 0;
}
