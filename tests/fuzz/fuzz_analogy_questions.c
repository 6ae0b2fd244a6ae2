/* fuzz_analogy_questions.c — w2v_analogy_questions_load (questions-words.txt
 * files) on any bytes: loaded questions have four non-empty words and a
 * section that exists. */
#include "fuzz_input.h"
#include "w2v/atomic_file.h"
#include "w2v/eval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct w2v_analogy_questions q;
    if (w2v_analogy_questions_load(fuzz_input_file(data, size), &q) == 0) {
        for (uint64_t i = 0; i < q.count; i++) {
            if (q.items[i].section >= q.section_count) abort();
            for (int k = 0; k < 4; k++)
                if (!q.items[i].words[k][0]) abort();
        }
        w2v_analogy_questions_free(&q);
    }
    w2v_atomic_forget_inputs();
    return 0;
}
