/* fuzz_word_pairs.c — w2v_word_pairs_load (WordSim-353 / SimLex-999 files) on
 * any bytes: loaded pairs have two non-empty words and a finite score. */
#include "fuzz_input.h"
#include "w2v/atomic_file.h"
#include "w2v/eval.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct w2v_word_pairs pairs;
    if (w2v_word_pairs_load(fuzz_input_file(data, size), &pairs) == 0) {
        for (uint64_t i = 0; i < pairs.count; i++)
            if (!pairs.items[i].words[0][0] || !pairs.items[i].words[1][0] ||
                !isfinite(pairs.items[i].score))
                abort();
        w2v_word_pairs_free(&pairs);
    }
    w2v_atomic_forget_inputs();
    return 0;
}
