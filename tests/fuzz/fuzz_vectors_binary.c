/* fuzz_vectors_binary.c — the binary rows of w2v_vectors_read: the first two
 * input bytes choose a header "<count> <dim>" (1..8 rows, 1..16 floats), the
 * rest is the file after it, so the fuzzer spends its time in the rows (words,
 * raw floats, the optional newlines between rows) rather than the header. */
#include "fuzz_input.h"
#include "w2v/atomic_file.h"
#include "w2v/vectors.h"

#include <math.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    enum { MAX_BYTES = 1 << 16 };
    static uint8_t file[MAX_BYTES + 32];
    if (size > MAX_BYTES) size = MAX_BYTES;
    int n = snprintf((char *)file, 32, "%u %u\n", 1u + data[0] % 8, 1u + data[1] % 16);
    memcpy(file + n, data + 2, size - 2);
    struct w2v_vectors v;
    if (w2v_vectors_read(fuzz_input_file(file, (size_t)n + size - 2), &v) == 0) {
        if (v.count != 1u + data[0] % 8 || v.dim != 1u + data[1] % 16) abort();
        for (uint64_t i = 0; i < v.count; i++)
            for (uint32_t k = 0; k < v.dim; k++)
                if (!isfinite(w2v_vectors_row(&v, i)[k])) abort();
        w2v_vectors_free(&v);
    }
    w2v_atomic_forget_inputs();
    return 0;
}
