/* fuzz_vocab_read.c — w2v_vocab_read ("word count" lines, word2vec.c's
 * -save-vocab format) on any bytes: a vocabulary it accepts has non-empty
 * words sorted by count, most frequent first, whose counts add up to its
 * total. */
#include "fuzz_input.h"
#include "w2v/atomic_file.h"
#include "w2v/vocab.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct w2v_vocab vocab;
    struct w2v_vocab_options options = {.min_count = 1, .threads = 1, .max_token_bytes = 100};
    if (w2v_vocab_read(&vocab, fuzz_input_file(data, size), &options) == 0) {
        uint64_t total = 0;
        for (uint32_t id = 0; id < vocab.size; id++) {
            if (w2v_vocab_word(&vocab, id)[0] == '\0') abort();
            if (id > 0 && w2v_vocab_count(&vocab, id) > w2v_vocab_count(&vocab, id - 1)) abort();
            total += w2v_vocab_count(&vocab, id);
        }
        if (total != vocab.total_count) abort();
        w2v_vocab_free(&vocab);
    }
    w2v_atomic_forget_inputs();
    return 0;
}
