/* fuzz_vectors_text.c — w2v_vectors_read on any bytes (text, binary or
 * neither: the reader decides from the content). Every accepted file must
 * satisfy the reader's promises: count rows of dim finite values, no empty or
 * repeated word. */
#include "fuzz_input.h"
#include "w2v/atomic_file.h"
#include "w2v/vectors.h"

#include <math.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct w2v_vectors v;
    if (w2v_vectors_read(fuzz_input_file(data, size), &v) == 0) {
        if (v.count == 0 || v.dim == 0) abort();
        for (uint64_t i = 0; i < v.count; i++) {
            if (v.words[i][0] == '\0') abort();
            const float *row = w2v_vectors_row(&v, i);
            for (uint32_t k = 0; k < v.dim; k++)
                if (!isfinite(row[k])) abort();
        }
        w2v_vectors_free(&v);
    }
    w2v_atomic_forget_inputs();
    return 0;
}
