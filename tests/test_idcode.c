/* test_idcode.c — the prefix varint of word ids (idcode.h): every length
 * boundary round-trips with the size of the table, the bytes are the
 * documented layout, 100k random ids of mixed sizes decode back from one
 * stream, and skipping lands where decoding does. */
#include "testing.h"

#include "w2v/idcode.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    uint32_t id;
    size_t size;
} boundaries[] = {
    {0, 1},        {127, 1},
    {128, 2},      {16383, 2},
    {16384, 3},    {(1u << 21) - 1, 3},
    {1u << 21, 4}, {(1u << 28) - 1, 4},
    {1u << 28, 5}, {UINT32_MAX, 5},
};

static void test_boundaries_round_trip(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof boundaries / sizeof *boundaries; i++) {
        uint8_t code[W2V_IDCODE_MAX_BYTES + W2V_IDCODE_PADDING] = {0};
        const uint32_t id = boundaries[i].id;
        assert_int_equal(w2v_idcode_size(id), boundaries[i].size);
        assert_int_equal(w2v_idcode_put(code, id), boundaries[i].size);
        assert_int_equal(w2v_idcode_length(code[0]), boundaries[i].size);
        const uint8_t *cursor = code;
        assert_int_equal(w2v_idcode_get(&cursor), id);
        assert_ptr_equal(cursor, code + boundaries[i].size);
    }
}

/* The bytes themselves, as the table in idcode.h writes them. */
static void test_layout(void **state) {
    (void)state;
    uint8_t code[W2V_IDCODE_MAX_BYTES];
    w2v_idcode_put(code, 0x7F);
    assert_int_equal(code[0], 0x7F);
    w2v_idcode_put(code, 0x3FFF); /* 10 111111, 0xFF */
    assert_int_equal(code[0], 0xBF);
    assert_int_equal(code[1], 0xFF);
    w2v_idcode_put(code, 0x5ABCDEF); /* 4 bytes: 1110 0101, 0xEF 0xCD 0xAB */
    assert_memory_equal(code, ((uint8_t[]){0xE5, 0xEF, 0xCD, 0xAB}), 4);
    w2v_idcode_put(code, 0x1ABCDE); /* 3 bytes: 110 11010, 0xDE 0xBC */
    assert_memory_equal(code, ((uint8_t[]){0xDA, 0xDE, 0xBC}), 3);
    w2v_idcode_put(code, 0xDEADBEEF); /* 11110000, little-endian */
    assert_memory_equal(code, ((uint8_t[]){0xF0, 0xEF, 0xBE, 0xAD, 0xDE}), 5);
    /* a first byte with more than four leading ones still means 5 bytes */
    assert_int_equal(w2v_idcode_length(0xFF), 5);
    assert_int_equal(w2v_idcode_length(0xF8), 5);
}

static uint64_t next_random(uint64_t *s) { /* splitmix64 */
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void test_random_stream(void **state) {
    (void)state;
    enum { N = 100000 };
    uint32_t *ids = malloc(N * sizeof *ids), *back = malloc(N * sizeof *back);
    uint8_t *stream = calloc(N * W2V_IDCODE_MAX_BYTES + W2V_IDCODE_PADDING, 1);
    uint64_t seed = 9, bytes = 0, sizes[6] = {0};
    for (size_t i = 0; i < N; i++) {
        uint64_t r = next_random(&seed);
        ids[i] = (uint32_t)(r >> 32) >> (r % 32); /* every magnitude */
        size_t size = w2v_idcode_put(stream + bytes, ids[i]);
        assert_int_equal(size, w2v_idcode_size(ids[i]));
        sizes[size]++;
        bytes += size;
    }
    for (size_t size = 1; size <= 5; size++) assert_true(sizes[size] > 1000);
    const uint8_t *end = w2v_idcode_decode(stream, back, N);
    assert_ptr_equal(end, stream + bytes);
    assert_memory_equal(back, ids, N * sizeof *ids);
    const uint8_t *cursor = stream;
    for (size_t i = 0; i < N; i++) assert_int_equal(w2v_idcode_get(&cursor), ids[i]);
    assert_ptr_equal(cursor, end);
    /* skipping k codes lands where decoding k codes does */
    const uint8_t *skipped = w2v_idcode_skip(stream, 12345);
    assert_ptr_equal(skipped, w2v_idcode_decode(stream, back, 12345));
    assert_ptr_equal(w2v_idcode_skip(stream, N), end);
    free(ids);
    free(back);
    free(stream);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundaries_round_trip),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_random_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
