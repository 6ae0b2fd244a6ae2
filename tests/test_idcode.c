/* test_idcode.c — the prefix varint of word ids (idcode.h): every length
 * boundary round-trips with the size of the table (the wide store writes the
 * same code, then zeros), the bytes are the documented layout, 100k random
 * ids of mixed sizes decode back from one stream, and skipping lands where
 * decoding does; a prepared file of more than three index blocks, written in
 * pieces that straddle the blocks, passes the loader's check, and
 * w2v_encoded_seek finds every token. */
#include "testing.h"

#include "w2v/error.h"
#include "w2v/idcode.h"
#include "w2v/prepared.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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
        /* the wide store: the same code, then zeros to its eighth byte */
        uint8_t wide[8], zeros[8] = {0};
        memset(wide, 0xAA, sizeof wide);
        assert_int_equal(w2v_idcode_put_wide(wide, id), boundaries[i].size);
        assert_memory_equal(wide, code, boundaries[i].size);
        assert_memory_equal(wide + boundaries[i].size, zeros, 8 - boundaries[i].size);
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

/* A vocabulary of `size` words "w0", "w1", ... */
static void make_vocab(struct w2v_vocab *vocab, uint32_t size) {
    uint64_t *counts = malloc(size * sizeof *counts);
    uint32_t *lengths = malloc(size * sizeof *lengths);
    char *bytes = malloc((size_t)size * 12), *at = bytes;
    for (uint32_t i = 0; i < size; i++) {
        counts[i] = size - i;
        lengths[i] = (uint32_t)sprintf(at, "w%u", (unsigned)i);
        at += lengths[i];
    }
    assert_int_equal(
        w2v_vocab_from_arrays(vocab, size, counts, lengths, bytes, (uint64_t)(at - bytes), "test"),
        0);
    free(counts), free(lengths), free(bytes);
}

/* Writes `count` ids (in pieces of odd sizes, every other piece as codes the
 * caller made, as the parallel remap does) and one sentence into a prepared
 * file, loads it with verify, and seeks to every token. */
static void check_seek(const uint32_t *ids, uint64_t count, const struct w2v_vocab *vocab) {
    int fd = w2v_encode_temp_file(NULL, "test"), starts_fd = w2v_encode_temp_file(NULL, "test");
    assert_true(fd >= 0 && starts_fd >= 0);
    const uint64_t starts[2] = {0, count};
    assert_int_equal(write(starts_fd, starts, sizeof starts), (ssize_t)sizeof starts);
    struct w2v_prepared_writer writer;
    assert_int_equal(w2v_prepared_writer_open(&writer, NULL, fd, "test", NULL), 0);
    assert_int_equal(w2v_prepared_write_vocab(&writer, vocab), 0);
    static const size_t pieces[] = {1, 4095, 4097, 3, 5000, 777};
    for (uint64_t done = 0, k = 0; done < count; k++) {
        size_t take = pieces[k % 6] < count - done ? pieces[k % 6] : (size_t)(count - done);
        if (k % 2 == 0) {
            assert_int_equal(w2v_prepared_write_ids(&writer, ids + done, take), 0);
        } else {
            uint8_t *codes = malloc(take * W2V_IDCODE_MAX_BYTES + 8);
            uint64_t marks[8];
            size_t bytes = 0, mark_count = 0;
            for (size_t i = 0; i < take; i++) {
                if ((done + i) % W2V_IDCODE_INDEX_STRIDE == 0) marks[mark_count++] = bytes;
                bytes += w2v_idcode_put_wide(codes + bytes, ids[done + i]);
            }
            /* marks that do not fit the positions are refused, and nothing is written */
            const uint64_t before = writer.offset;
            assert_int_equal(
                w2v_prepared_write_codes(&writer, codes, bytes, take + 4096, marks, mark_count),
                -1);
            assert_non_null(strstr(w2v_last_error(), "index marks"));
            assert_int_equal(writer.offset, before);
            if (mark_count > 0) { /* a mark past the codes: refused before any byte goes */
                const uint64_t kept = marks[mark_count - 1];
                marks[mark_count - 1] = bytes + 1;
                assert_int_equal(
                    w2v_prepared_write_codes(&writer, codes, bytes, take, marks, mark_count), -1);
                assert_non_null(strstr(w2v_last_error(), "outside the codes"));
                assert_int_equal(writer.offset, before);
                marks[mark_count - 1] = kept;
            }
            assert_int_equal(
                w2v_prepared_write_codes(&writer, codes, bytes, take, marks, mark_count), 0);
            free(codes);
        }
        done += take;
    }
    assert_int_equal(w2v_prepared_writer_finish(&writer, starts_fd, 1), 0);
    const uint64_t size = writer.header.file_size;
    w2v_prepared_writer_free(&writer);
    void *map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    assert_true(map != MAP_FAILED);
    struct w2v_prepared_header header;
    struct w2v_encoded_corpus encoded;
    if (w2v_prepared_load(map, size, "test", true, &header, NULL, &encoded) != 0)
        fail_msg("%s", w2v_last_error());
    assert_int_equal(encoded.token_count, count);
    const uint8_t *expected = encoded.codes; /* where decoding from the start is */
    for (uint64_t t = 0; t < count; t++) {
        const uint64_t in_block = t % W2V_IDCODE_INDEX_STRIDE;
        if (count < 20000 || in_block < 2 || in_block == W2V_IDCODE_INDEX_STRIDE - 1)
            assert_ptr_equal(w2v_encoded_seek(&encoded, t), expected); /* long: a few a block */
        assert_int_equal(w2v_idcode_get(&expected), ids[t]);
    }
    assert_ptr_equal(w2v_encoded_seek(&encoded, count), encoded.codes + encoded.code_bytes);
    assert_ptr_equal(expected, encoded.codes + encoded.code_bytes);
    munmap(map, size);
    close(fd), close(starts_fd);
}

static void test_seek_in_a_prepared_stream(void **state) {
    (void)state;
    /* 70 blocks: more index entries than the writer holds before its temporary file */
    enum { VOCAB = 20000, TOKENS = 70 * W2V_IDCODE_INDEX_STRIDE + 1234 };
    struct w2v_vocab vocab;
    make_vocab(&vocab, VOCAB);
    uint32_t *ids = malloc(TOKENS * sizeof *ids);
    uint64_t seed = 5;
    for (size_t i = 0; i < TOKENS; i++) { /* 1-, 2- and 3-byte codes */
        uint64_t r = next_random(&seed);
        ids[i] = (uint32_t)((r >> 32) % VOCAB) >> (r % 12);
    }
    check_seek(ids, 3 * W2V_IDCODE_INDEX_STRIDE + 1234, &vocab); /* every token */
    check_seek(ids, 3 * W2V_IDCODE_INDEX_STRIDE, &vocab);        /* the last entry is the end */
    check_seek(ids, 1, &vocab);
    check_seek(ids, TOKENS, &vocab);
    check_seek(ids, 64 * W2V_IDCODE_INDEX_STRIDE, &vocab); /* the end entry is the 65th */
    free(ids);
    w2v_vocab_free(&vocab);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundaries_round_trip),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_random_stream),
        cmocka_unit_test(test_seek_in_a_prepared_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
