/* idcode.h — the compact code of a word id in the id stream: a prefix varint.
 *
 * Ids are ranked by frequency (id 0 is the most frequent word), so small ids
 * dominate the stream: on English text at min-count 5 about half the tokens
 * have an id below 2^7 and 94% one below 2^14. A code is 1 to 5 bytes; like
 * UTF-8, the number of leading one bits of its first byte is the number of
 * bytes that follow (n, at most 4), so the first byte alone gives the length:
 *
 *   first byte   bytes  ids                  id =
 *   0xxxxxxx     1      [0, 2^7)             x
 *   10xxxxxx     2      [2^7, 2^14)          x·2^8  + b1
 *   110xxxxx     3      [2^14, 2^21)         x·2^16 + b1 + b2·2^8
 *   1110xxxx     4      [2^21, 2^28)         x·2^24 + b1 + b2·2^8 + b3·2^16
 *   11110000     5      [2^28, 2^32)                  b1 + b2·2^8 + b3·2^16 + b4·2^24
 *
 * i.e. id = x·2^(8n) + (the n following bytes read as a little-endian
 * number), where x is the first byte's bits after its n ones and a zero
 * (x = 0 in a 5-byte code). Every id has exactly one code, the shortest
 * (w2v_idcode_put writes it; the prepared-file check refuses any other).
 *
 * w2v_idcode_get decodes without a branch on the length (the 1- and 2-byte
 * codes are about equally common, so a branch would often be mispredicted):
 * it always loads the 4 bytes after the first byte, so it may read up to 4
 * bytes past the last code. A stream of codes is therefore followed by at
 * least W2V_IDCODE_PADDING readable bytes (zeros in a prepared file). */
#ifndef W2V_IDCODE_H
#define W2V_IDCODE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define W2V_IDCODE_MAX_BYTES 5u
#define W2V_IDCODE_PADDING   8u /* readable bytes after the last code (4 are read) */
/* A stream's index holds the byte offset of every W2V_IDCODE_INDEX_STRIDE-th
 * code (encode.h: w2v_encoded_seek decodes at most STRIDE − 1 codes past one). */
#define W2V_IDCODE_INDEX_STRIDE 4096u

/* Bytes in the code of `id`: 1 + one for each of 2^7, 2^14, 2^21, 2^28 it reaches. */
static inline size_t w2v_idcode_size(uint32_t id) {
    return 1u + (id >= 1u << 7) + (id >= 1u << 14) + (id >= 1u << 21) + (id >= 1u << 28);
}

/* Bytes in the code whose first byte is `first`: 1 + its leading ones, at most 5. */
static inline size_t w2v_idcode_length(uint8_t first) {
    /* ~first in the top byte, ones below; bit 27 caps the count at 4 */
    return 1u + (size_t)__builtin_clz(~((uint32_t)first << 24) | 1u << 27);
}

/* Writes the code of `id` to out[0, 8) in one store and returns its length
 * (w2v_idcode_size(id), at most 5): the code, then zeros that the next code
 * overwrites. No branch on the length (see w2v_idcode_get), so a writer with 8
 * bytes of room encodes about 3x faster than byte by byte (3 against 10 ns an
 * id on Zipf-distributed ids). */
static inline size_t w2v_idcode_put_wide(uint8_t *out, uint32_t id) {
    static const uint8_t prefix[5] = {0x00, 0x80, 0xC0, 0xE0, 0xF0}; /* n ones, then a zero */
    const size_t n = w2v_idcode_size(id) - 1;                        /* bytes that follow */
    const uint64_t x = (uint64_t)id >> (8 * n);                      /* x = id / 2^(8n) */
    const uint64_t low = (uint64_t)id & ((1ull << (8 * n)) - 1);     /* id mod 2^(8n) */
    uint64_t code = (prefix[n] | x) | low << 8; /* the first byte, then low little-endian */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    code = __builtin_bswap64(code);
#endif
    memcpy(out, &code, sizeof code);
    return n + 1;
}

/* Writes the code of `id` (w2v_idcode_size(id) bytes, at most 5) to `out`;
 * returns the bytes written. */
static inline size_t w2v_idcode_put(uint8_t *out, uint32_t id) {
    uint8_t wide[8];
    const size_t size = w2v_idcode_put_wide(wide, id);
    memcpy(out, wide, size);
    return size;
}

/* Decodes the code at *cursor and moves *cursor past it. Reads the 4 bytes
 * after the first whatever the length (see the padding above). */
static inline uint32_t w2v_idcode_get(const uint8_t **cursor) {
    const uint8_t *p = *cursor;
    const uint32_t first = p[0];
    const size_t n = w2v_idcode_length((uint8_t)first) - 1; /* bytes that follow */
    uint32_t next;
    memcpy(&next, p + 1, sizeof next);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    next = __builtin_bswap32(next); /* the following bytes are little-endian */
#endif
    const uint64_t low = next & ((1ull << (8 * n)) - 1); /* the n following bytes */
    const uint64_t x = first & (0x7Fu >> n);             /* the first byte after its prefix */
    *cursor = p + n + 1;
    return (uint32_t)(x << (8 * n) | low); /* n = 4: x·2^32 falls off; x is 0 anyway */
}

/* Decodes `count` codes from `cursor` into ids[0, count); returns the cursor
 * after the last. */
static inline const uint8_t *w2v_idcode_decode(const uint8_t *cursor, uint32_t *ids, size_t count) {
    for (size_t i = 0; i < count; i++) ids[i] = w2v_idcode_get(&cursor);
    return cursor;
}

/* Skips `count` codes from `cursor` (their lengths only); returns the cursor after them. */
static inline const uint8_t *w2v_idcode_skip(const uint8_t *cursor, uint64_t count) {
    for (uint64_t i = 0; i < count; i++) cursor += w2v_idcode_length(*cursor);
    return cursor;
}

#endif
