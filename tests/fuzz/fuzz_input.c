/* fuzz_input.c — the corpus opener and its decoders on any bytes: plain text
 * (mapped), gzip and zstd streams (by their magic bytes; concatenated members,
 * truncated or damaged data) and the binary-text check. Reading stops after
 * 16 MB of text, so a small compressed bomb costs a bounded time. */
#include "fuzz_input.h"
#include "w2v/atomic_file.h"
#include "w2v/input.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct w2v_input input;
    if (w2v_input_open(&input, fuzz_input_file(data, size)) == 0) {
        if (input.kind == W2V_INPUT_MAPPED) {
            size_t sniff = input.mapped.size < W2V_INPUT_SNIFF_BYTES ? input.mapped.size
                                                                     : W2V_INPUT_SNIFF_BYTES;
            w2v_input_check_text(input.mapped.data, sniff, "fuzz");
        } else if (input.kind != W2V_INPUT_PREPARED) {
            static char buffer[1 << 16];
            uint64_t total = 0;
            ssize_t got;
            while (total < (16u << 20) &&
                   (got = w2v_input_read(&input, buffer, sizeof buffer)) > 0) {
                if ((size_t)got > sizeof buffer) abort();
                if (total == 0) w2v_input_check_text(buffer, (size_t)got, "fuzz");
                total += (uint64_t)got;
            }
        }
        w2v_input_close(&input);
    }
    w2v_atomic_forget_inputs();
    return 0;
}
