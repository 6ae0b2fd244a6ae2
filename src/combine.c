/* combine.c — the block of sentences that context combining trains from
 * (combine.h): its words, sentences, trained flags and word index. */
#include "w2v/combine.h"

#include "w2v/alloc.h"
#include "w2v/error.h"

#include <string.h>

int w2v_combine_init(struct w2v_combine_block *block, uint32_t capacity, uint32_t vocab_size) {
    memset(block, 0, sizeof *block);
    if (capacity == 0 || vocab_size == 0)
        return w2v_error("a combining block needs room for at least one word");
    block->capacity = capacity;
    block->vocab_size = vocab_size;
    block->words = w2v_xmalloc(capacity * sizeof *block->words);
    block->sentence_of = w2v_xmalloc(capacity * sizeof *block->sentence_of);
    block->starts = w2v_xmalloc((capacity + 1ull) * sizeof *block->starts);
    block->next = w2v_xmalloc(capacity * sizeof *block->next);
    block->trained = w2v_xmalloc(capacity * sizeof *block->trained);
    block->head = w2v_xmalloc(vocab_size * sizeof *block->head);
    for (uint32_t v = 0; v < vocab_size; v++) block->head[v] = W2V_COMBINE_NONE;
    block->starts[0] = 0;
    return 0;
}

void w2v_combine_free(struct w2v_combine_block *block) {
    w2v_free(block->words);
    w2v_free(block->sentence_of);
    w2v_free(block->starts);
    w2v_free(block->next);
    w2v_free(block->trained);
    w2v_free(block->head);
    memset(block, 0, sizeof *block);
}

void w2v_combine_append(struct w2v_combine_block *block, const uint32_t *words, uint32_t n,
                        uint64_t raw_words) {
    block->raw_words += raw_words;
    if (n == 0) return;
    memcpy(block->words + block->length, words, n * sizeof *words);
    for (uint32_t i = 0; i < n; i++) block->sentence_of[block->length + i] = block->sentences;
    block->length += n;
    block->starts[++block->sentences] = block->length;
}

void w2v_combine_index(struct w2v_combine_block *block) {
    /* Backwards, so that each word's list runs in position order. */
    for (uint32_t p = block->length; p-- > 0;) {
        const uint32_t word = block->words[p];
        block->next[p] = block->head[word];
        block->head[word] = p;
        block->trained[p] = false;
    }
}

uint32_t w2v_combine_next(struct w2v_combine_block *block, uint32_t word, uint32_t after) {
    uint32_t p = block->head[word];
    /* Every position this skips is at or before `after`, or trained: never wanted again. */
    while (p != W2V_COMBINE_NONE && (p <= after || block->trained[p])) p = block->next[p];
    block->head[word] = p;
    return p;
}

void w2v_combine_clear(struct w2v_combine_block *block) {
    for (uint32_t p = 0; p < block->length; p++) block->head[block->words[p]] = W2V_COMBINE_NONE;
    block->length = 0;
    block->sentences = 0;
    block->raw_words = 0;
}
