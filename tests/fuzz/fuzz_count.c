/* fuzz_count.c — the tokenizer and vocabulary counting on any bytes: the
 * input is split in two chunks counted by two counters (as two threads
 * would), with or without a memory budget (pruning), then merged with the
 * min-count and max-vocab the first byte chooses. The vocabulary must come
 * out sorted, its total the sum of its counts, every provisional id mapped to
 * a real id or W2V_ID_DROPPED, and, with no pruning, min-count 1 and no
 * max-vocab, its total equal to the tokens counted.
 *
 * Fast: each counter's table starts at 16 words instead of the 16,384
 * w2v_vocab_counter_init gives a corpus counter (256 KB of slots, zeroed);
 * the counter is set up here as that function does (its fields, reduce 1).
 * Only inputs whose
 * first byte has its top bit set use two counters: merging two counters
 * makes one table per hash partition, each still sized for 16,384 words in
 * src/vocab.c (merge_partition), which dominates the cost of such an input. */
#include "w2v/tokenizer.h"
#include "w2v/vocab.h"
#include "w2v/word_table.h"

#include <stdlib.h>
#include <string.h>

static void count(struct w2v_vocab_counter *counter, const char *begin, const char *end) {
    struct w2v_tokenizer tokenizer;
    w2v_tokenizer_init(&tokenizer, begin, end, 100);
    const char *word;
    uint32_t len;
    enum w2v_token_kind kind;
    while ((kind = w2v_tokenizer_next(&tokenizer, &word, &len)) != W2V_TOKEN_END) {
        if (kind != W2V_TOKEN_WORD) continue;
        if (len == 0 || len > 100) abort();
        if (w2v_vocab_counter_add(counter, word, len) == W2V_ID_DROPPED) break;
        counter->tokens++;
        if (w2v_vocab_counter_over_budget(counter)) w2v_vocab_counter_prune(counter);
    }
    counter->truncated = tokenizer.truncated;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    uint8_t knobs = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    uint32_t count_with = knobs & 0x80 ? 2 : 1;
    size_t half = count_with == 2 ? len / 2 : len;
    uint64_t budget = (knobs & 1) ? 64 * 1024 : 0;
    struct w2v_vocab_counter counters[2];
    for (uint32_t c = 0; c < count_with; c++) {
        /* w2v_vocab_counter_init with a 16-word table (see the top). */
        memset(&counters[c], 0, sizeof counters[c]);
        counters[c].budget = budget;
        counters[c].reduce = 1;
        w2v_word_table_init(&counters[c].table, 16);
    }
    count(&counters[0], text, text + half);
    if (count_with == 2) count(&counters[1], text + half, text + len);
    uint64_t tokens = 0;
    bool pruned = false;
    for (uint32_t c = 0; c < count_with; c++)
        tokens += counters[c].tokens, pruned |= counters[c].generations > 0;
    struct w2v_vocab_options options = {.min_count = 1 + ((knobs >> 1) & 3),
                                        .max_size = (knobs >> 3) & 7,
                                        .threads = 1,
                                        .max_token_bytes = 100};
    struct w2v_vocab vocab;
    struct w2v_vocab_report report;
    if (w2v_vocab_merge(&vocab, counters, count_with, &options, 1, "fuzz", &report) == 0) {
        uint64_t total = 0;
        for (uint32_t id = 0; id < vocab.size; id++) {
            uint64_t n = w2v_vocab_count(&vocab, id);
            if (n < options.min_count) abort();
            if (id > 0 && n > w2v_vocab_count(&vocab, id - 1)) abort();
            total += n;
        }
        if (total != vocab.total_count || total > tokens) abort();
        if (options.max_size && vocab.size > options.max_size) abort();
        if (!pruned && options.min_count == 1 && !options.max_size && total != tokens) abort();
        for (uint32_t c = 0; c < count_with; c++)
            for (uint32_t g = 0; counters[c].maps && g <= counters[c].generations; g++)
                for (uint32_t i = 0; i < counters[c].map_sizes[g]; i++)
                    if (counters[c].maps[g][i] != W2V_ID_DROPPED &&
                        counters[c].maps[g][i] >= vocab.size)
                        abort();
        w2v_vocab_free(&vocab);
    }
    for (uint32_t c = 0; c < count_with; c++) w2v_vocab_counter_free(&counters[c]);
    return 0;
}
