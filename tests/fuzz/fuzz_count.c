/* fuzz_count.c — the tokenizer and vocabulary counting on any bytes: the
 * input is split in two chunks counted by two counters on one set of
 * partitioned tables (as two threads would, one after the other), with a
 * 64 KiB budget (one partition: pruning) or 1 MiB (16 partitions), then the
 * vocabulary is built with the min-count and max-vocab the first byte
 * chooses. The vocabulary must come out sorted, its total the sum of its
 * counts, every provisional id (read through its counter's generation
 * events, as the remap pass does) mapped to a real id or W2V_ID_DROPPED, and,
 * with no pruning, min-count 1 and no max-vocab, its total equal to the
 * tokens counted and every id mapped to the id of its own word. */
#include "w2v/count.h"
#include "w2v/tokenizer.h"
#include "w2v/vocab.h"

#include <stdlib.h>
#include <string.h>

struct chunk {
    struct w2v_counter counter;
    uint32_t *out;
    const char **words; /* per token, for the identity check */
    uint32_t *lengths;
    uint64_t tokens;
};

static void count(struct chunk *c, struct w2v_count_tables *tables, const char *begin,
                  const char *end) {
    size_t most = (size_t)(end - begin) / 2 + 1; /* a token and a separator at least */
    c->out = malloc(most * sizeof *c->out);
    c->words = malloc(most * sizeof *c->words);
    c->lengths = malloc(most * sizeof *c->lengths);
    c->tokens = 0;
    w2v_counter_init(&c->counter, tables, c->out);
    struct w2v_tokenizer tokenizer;
    w2v_tokenizer_init(&tokenizer, begin, end, 100);
    const char *word;
    uint32_t len;
    enum w2v_token_kind kind;
    while ((kind = w2v_tokenizer_next(&tokenizer, &word, &len)) != W2V_TOKEN_END) {
        if (kind != W2V_TOKEN_WORD) continue;
        if (len == 0 || len > 100 || c->tokens >= most) abort();
        c->words[c->tokens] = word, c->lengths[c->tokens] = len;
        w2v_counter_add(&c->counter, word, len, (uint32_t)c->tokens++);
    }
    w2v_counter_flush(&c->counter);
    w2v_counter_sort_events(&c->counter);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    uint8_t knobs = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1, half = len / 2;
    struct w2v_count_tables tables;
    w2v_count_tables_init(&tables, (knobs & 1) ? 64 << 10 : 1 << 20);
    struct chunk chunks[2];
    count(&chunks[0], &tables, text, text + half);
    count(&chunks[1], &tables, text + half, text + len);
    uint64_t tokens = chunks[0].tokens + chunks[1].tokens;
    bool pruned = false;
    for (uint32_t p = 0; p < tables.partitions; p++) pruned |= tables.parts[p].generation > 0;
    struct w2v_vocab_options options = {.min_count = 1 + ((knobs >> 1) & 3),
                                        .max_size = (knobs >> 3) & 7,
                                        .threads = 1,
                                        .max_token_bytes = 100};
    struct w2v_vocab vocab;
    struct w2v_vocab_report report = {.corpus_tokens = tokens};
    if (w2v_vocab_from_counts(&vocab, &tables, &options, 1, "fuzz", &report) == 0) {
        uint64_t total = 0;
        for (uint32_t id = 0; id < vocab.size; id++) {
            uint64_t n = w2v_vocab_count(&vocab, id);
            if (n < options.min_count) abort();
            if (id > 0 && n > w2v_vocab_count(&vocab, id - 1)) abort();
            total += n;
        }
        if (total != vocab.total_count || total > tokens) abort();
        if (options.max_size && vocab.size > options.max_size) abort();
        bool everything = !pruned && options.min_count == 1 && !options.max_size;
        if (everything && total != tokens) abort();
        uint32_t *generation = calloc(tables.partitions, sizeof *generation);
        for (int c = 0; c < 2; c++) {
            const struct w2v_counter *counter = &chunks[c].counter;
            memset(generation, 0, tables.partitions * sizeof *generation);
            uint64_t next = 0;
            for (uint64_t i = 0; i < chunks[c].tokens; i++) {
                for (; next < counter->event_count && counter->events[next].position == i; next++)
                    generation[counter->events[next].partition] = counter->events[next].generation;
                uint32_t provisional = chunks[c].out[i];
                uint32_t p = w2v_count_partition_of(
                    &tables, w2v_hash_word(chunks[c].words[i], chunks[c].lengths[i]));
                if ((uint64_t)provisional >> tables.index_bits != p) abort();
                uint32_t id = w2v_count_final_id(&tables, generation[p], provisional);
                if (id != W2V_ID_DROPPED && id >= vocab.size) abort();
                if (everything && id != (uint32_t)w2v_vocab_find(&vocab, chunks[c].words[i],
                                                                 chunks[c].lengths[i]))
                    abort();
            }
        }
        free(generation);
        w2v_vocab_free(&vocab);
    }
    for (int c = 0; c < 2; c++) {
        w2v_counter_free(&chunks[c].counter);
        free(chunks[c].out), free(chunks[c].words), free(chunks[c].lengths);
    }
    w2v_count_tables_free(&tables);
    return 0;
}
