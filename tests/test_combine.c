/* test_combine.c — the block context combining trains from (combine.h):
 * sentences appended end to end keep their bounds and corpus-word counts (a
 * window's context never crosses into the next sentence: every position and
 * radius against a gather over the sentence itself); the word index finds, for any word, its first occurrence after a position that
 * is not trained yet, in position order (checked against a plain scan over
 * every word and position of a generated block); and a cleared block forgets
 * the previous one's words. */
#include "testing.h"

#include "w2v/combine.h"
#include "w2v/rng.h"

#include <stdbool.h>
#include <stdint.h>

/* The first position after `after` with `word`, untrained; a plain scan. */
static uint32_t scan_next(const struct w2v_combine_block *block, uint32_t word, uint32_t after) {
    for (uint32_t p = after + 1; p < block->positions; p++)
        if (block->words[p] == word && !w2v_combine_trained(block, p)) return p;
    return W2V_COMBINE_NONE;
}

static void test_sentences_keep_their_bounds(void **state) {
    (void)state;
    struct w2v_combine_block block;
    assert_int_equal(w2v_combine_init(&block, 16, 10), 0);
    const uint32_t a[] = {1, 2, 3}, b[] = {4, 5};
    w2v_combine_append(&block, a, 3, 7);
    w2v_combine_append(&block, NULL, 0, 4); /* a sentence subsampling emptied */
    w2v_combine_append(&block, b, 2, 2);
    assert_int_equal(block.length, 5);
    assert_int_equal(block.sentences, 2);
    assert_int_equal(block.raw_words, 13);
    assert_int_equal(block.positions, 8); /* END 1 2 3 END 4 5 END */
    w2v_combine_index(&block);
    uint32_t contexts[16];
    assert_int_equal(w2v_combine_context(&block, 2, 5, contexts), 2); /* the 2 */
    assert_int_equal(contexts[0], 1);
    assert_int_equal(contexts[1], 3);
    assert_int_equal(w2v_combine_context(&block, 5, 5, contexts), 1); /* the 4 */
    assert_int_equal(contexts[0], 5);
    assert_int_equal(w2v_combine_context(&block, 3, 1, contexts), 1); /* the 3, radius 1 */
    assert_int_equal(contexts[0], 2);
    for (uint32_t p = 0; p < block.positions; p++) /* only the ENDs start trained */
        assert_int_equal(w2v_combine_trained(&block, p), block.words[p] == W2V_COMBINE_END);
    w2v_combine_free(&block);
    assert_int_equal(w2v_combine_init(&block, 0, 10), -1);
    assert_int_equal(w2v_combine_init(&block, 10, 0), -1);
    assert_int_equal(w2v_combine_init(&block, 1u << 30, 10), -1); /* too large to index */
}

/* Sentences of 1 to 12 words: the context of every position at every radius
 * from 1 to 7 is the words of its own sentence within the radius, in order. */
static void test_context_is_the_window_in_its_sentence(void **state) {
    (void)state;
    enum { SENTENCES = 60, LONGEST = 12 };
    struct w2v_combine_block block;
    assert_int_equal(w2v_combine_init(&block, SENTENCES * LONGEST, 50), 0);
    struct w2v_rng rng;
    w2v_rng_seed(&rng, 9, 1);
    uint32_t text[SENTENCES][LONGEST], lengths[SENTENCES];
    for (uint32_t k = 0; k < SENTENCES; k++) {
        lengths[k] = 1 + w2v_rng_below(&rng, LONGEST);
        for (uint32_t i = 0; i < lengths[k]; i++) text[k][i] = w2v_rng_below(&rng, 50);
        w2v_combine_append(&block, text[k], lengths[k], lengths[k]);
    }
    w2v_combine_index(&block);
    uint32_t p = 1, checked = 0;
    for (uint32_t k = 0; k < SENTENCES; k++, p++) /* p++: over the sentence's END */
        for (uint32_t i = 0; i < lengths[k]; i++, p++) {
            assert_int_equal(block.words[p], text[k][i]);
            for (uint32_t radius = 1; radius <= 7; radius++) {
                uint32_t got[2 * 7], want[2 * 7], n_want = 0;
                for (uint32_t j = i > radius ? i - radius : 0; j < lengths[k] && j <= i + radius;
                     j++)
                    if (j != i) want[n_want++] = text[k][j];
                const uint32_t n_got = w2v_combine_context(&block, p, radius, got);
                assert_int_equal(n_got, n_want);
                for (uint32_t c = 0; c < n_got; c++) assert_int_equal(got[c], want[c]);
                checked++;
            }
        }
    assert_int_equal(p, block.positions);
    assert_true(checked > 1000);
    w2v_combine_free(&block);
}

/* A block of 400 words over 12 (frequent and rare ones, several sentences):
 * positions are trained as a worker does, in order with some later ones taken
 * early; at each step every word's next occurrence matches the scan. */
static void test_next_matches_a_scan(void **state) {
    (void)state;
    enum { WORDS = 12, LENGTH = 400 };
    struct w2v_combine_block block;
    assert_int_equal(w2v_combine_init(&block, LENGTH, WORDS), 0);
    struct w2v_rng rng;
    w2v_rng_seed(&rng, 3, 1);
    uint32_t sentence[LENGTH];
    for (uint32_t done = 0; done < LENGTH;) {
        uint32_t n = 1 + w2v_rng_below(&rng, 40);
        if (n > LENGTH - done) n = LENGTH - done;
        for (uint32_t i = 0; i < n; i++) /* word w about twice as frequent as w + 1 */
            sentence[i] = (uint32_t)__builtin_ctzll(w2v_rng_next(&rng) | 1ull << (WORDS - 1));
        w2v_combine_append(&block, sentence, n, n + 1);
        done += n;
    }
    w2v_combine_index(&block);
    uint32_t found = 0;
    for (uint32_t p = 0; p < block.positions; p++) {
        if (w2v_combine_trained(&block, p)) continue;
        w2v_combine_mark(&block, p);
        for (uint32_t word = 0; word < WORDS; word++) {
            const uint32_t expected = scan_next(&block, word, p);
            assert_int_equal(w2v_combine_next(&block, word, p), expected);
            /* take some of them early, as combined windows are */
            if (expected != W2V_COMBINE_NONE && w2v_rng_below(&rng, 3) == 0) {
                w2v_combine_mark(&block, expected);
                found++;
            }
        }
    }
    assert_true(found > 50); /* many windows were taken out of order */
    w2v_combine_free(&block);
}

/* After clear, the next block's index knows only its own words. */
static void test_clear_forgets_the_last_block(void **state) {
    (void)state;
    struct w2v_combine_block block;
    assert_int_equal(w2v_combine_init(&block, 8, 6), 0);
    const uint32_t first[] = {1, 2, 1, 3}, second[] = {4, 4, 5};
    w2v_combine_append(&block, first, 4, 4); /* positions 1 to 4, END at 5 */
    w2v_combine_index(&block);
    assert_int_equal(w2v_combine_next(&block, 1, 1), 3);
    w2v_combine_clear(&block);
    assert_int_equal(block.length, 0);
    assert_int_equal(block.positions, 1);
    assert_int_equal(block.raw_words, 0);
    w2v_combine_append(&block, second, 3, 3);
    w2v_combine_index(&block);
    assert_int_equal(w2v_combine_next(&block, 1, 0), W2V_COMBINE_NONE);
    assert_int_equal(w2v_combine_next(&block, 3, 0), W2V_COMBINE_NONE);
    assert_int_equal(w2v_combine_next(&block, 4, 1), 2);
    assert_int_equal(w2v_combine_next(&block, 5, 0), 3);
    w2v_combine_free(&block);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentences_keep_their_bounds),
        cmocka_unit_test(test_context_is_the_window_in_its_sentence),
        cmocka_unit_test(test_next_matches_a_scan),
        cmocka_unit_test(test_clear_forgets_the_last_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
