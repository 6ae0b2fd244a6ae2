/* test_huffman.c — the Huffman tree's one error: a code longer than
 * W2V_HUFFMAN_MAX_LENGTH is refused with its message, and nothing the build
 * allocated is left behind: counted by jemalloc, the allocator every test
 * links, in the normal build; under AddressSanitizer its own allocator takes
 * jemalloc's place and LeakSanitizer checks at exit instead.
 *
 * Real counts cannot make such a code: a path of length L needs counts that
 * grow like Fibonacci numbers, and 64-bit counts stop near L = 92. Counts
 * whose sum wraps around 2^64 can (a hand-written --read-vocab file may hold
 * them): with every count UINT64_MAX each merged weight wraps to just below
 * the next leaf's, so every merge takes the last inner node and the tree is a
 * chain: word w's code is w + 1 bits long (the last word's is V - 1). */
#include "testing.h"

#include "w2v/error.h"
#include "w2v/huffman.h"

#include <jemalloc/jemalloc.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define JEMALLOC_COUNTS 0
#elif defined(__has_feature)
#define JEMALLOC_COUNTS !__has_feature(address_sanitizer)
#else
#define JEMALLOC_COUNTS 1
#endif

/* What this thread has allocated and freed so far, in bytes. */
struct bytes {
    uint64_t allocated, freed;
};

static struct bytes thread_bytes(void) {
    struct bytes bytes = {0, 0};
    size_t size = sizeof bytes.allocated;
    if (!JEMALLOC_COUNTS) return bytes;
    assert_int_equal(mallctl("thread.allocated", &bytes.allocated, &size, NULL, 0), 0);
    assert_int_equal(mallctl("thread.deallocated", &bytes.freed, &size, NULL, 0), 0);
    return bytes;
}

/* Since `before`, something was allocated and all of it was freed again. */
static void assert_all_freed_since(struct bytes before) {
    struct bytes after = thread_bytes();
    if (!JEMALLOC_COUNTS) return;
    assert_true(after.allocated > before.allocated);
    assert_int_equal(after.allocated - before.allocated, after.freed - before.freed);
}

/* Builds the chain of `words` leaves (see the top comment); returns the status. */
static int build_chain(struct w2v_huffman *tree, uint32_t words) {
    uint64_t *counts = malloc(words * sizeof *counts);
    assert_non_null(counts);
    for (uint32_t w = 0; w < words; w++) counts[w] = UINT64_MAX;
    int status = w2v_huffman_build(tree, counts, words);
    free(counts);
    return status;
}

static void test_too_long_a_code_is_refused_without_leaks(void **state) {
    (void)state;
    enum { WORDS = W2V_HUFFMAN_MAX_LENGTH + 45 };
    struct bytes before = thread_bytes();
    struct w2v_huffman tree;
    assert_int_equal(build_chain(&tree, WORDS), -1);
    assert_all_freed_since(before);
    assert_string_equal(w2v_last_error(),
                        "Huffman code of word 255 is 256 bits long (more than 255)");
    assert_int_equal(tree.word_count, 0);
    assert_null(tree.lengths);
    assert_null(tree.offsets);
    assert_null(tree.codes);
    assert_null(tree.points);
    w2v_huffman_free(&tree); /* harmless on a refused tree */
}

static void test_the_longest_allowed_code_builds(void **state) {
    (void)state;
    enum { WORDS = W2V_HUFFMAN_MAX_LENGTH + 1 };
    struct bytes before = thread_bytes();
    struct w2v_huffman tree;
    assert_int_equal(build_chain(&tree, WORDS), 0);
    assert_int_equal(tree.max_length, W2V_HUFFMAN_MAX_LENGTH);
    for (uint32_t w = 0; w + 1 < WORDS; w++) assert_int_equal(tree.lengths[w], w + 1);
    assert_int_equal(tree.lengths[WORDS - 1], WORDS - 1);
    w2v_huffman_free(&tree);
    assert_all_freed_since(before);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_too_long_a_code_is_refused_without_leaks),
        cmocka_unit_test(test_the_longest_allowed_code_builds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
