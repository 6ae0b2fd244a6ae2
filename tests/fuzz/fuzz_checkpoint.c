/* fuzz_checkpoint.c — the checkpoint reader (w2v_checkpoint_read) on any
 * bytes. The checksum would stop nearly every mutation at the door, so for
 * inputs long enough the target writes the magic and the version, then the
 * "END " trailer with the input's size and its XXH3-64 (checkpoint.h's
 * layout): the fuzzer's bytes reach the section parsers. An accepted
 * checkpoint must be self-consistent: its vocabulary has vocab_size non-empty
 * words, its model the vocabulary's rows, its state at most W2V_MAX_EPOCHS. */
#include "fuzz_input.h"
#include "w2v/atomic_file.h"
#include "w2v/checkpoint.h"

#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

enum { LEAD = 8 + 4 + 4, TRAILER = 4 + 8 + 8 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t *file = malloc(size + 1);
    memcpy(file, data, size);
    if (size >= LEAD + TRAILER) {
        memcpy(file, "W2VCKPT\n", 8);
        const uint32_t version = W2V_CHECKPOINT_VERSION;
        memcpy(file + 8, &version, sizeof version);
        const uint64_t bytes = size;
        memcpy(file + size - TRAILER, "END ", 4);
        memcpy(file + size - 16, &bytes, sizeof bytes);
        const uint64_t checksum = XXH3_64bits(file, size - 8);
        memcpy(file + size - 8, &checksum, sizeof checksum);
    }
    struct w2v_checkpoint c;
    if (w2v_checkpoint_read(fuzz_input_file(file, size), &c) == 0) {
        for (uint32_t i = 0; i < c.vocab_size; i++)
            if (!c.words[i] || c.words[i][0] == '\0') abort();
        if (c.model.vocab_size != c.vocab_size || c.state.epoch > W2V_MAX_EPOCHS) abort();
        w2v_checkpoint_free(&c);
    }
    free(file);
    w2v_atomic_forget_inputs();
    return 0;
}
