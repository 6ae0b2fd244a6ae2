/* word_table.h — an open-addressing hash table from words (byte strings) to
 * dense indices 0..count-1, with a 64-bit count per word.
 *
 * Used twice: the counting partitions (count.h) count words while the
 * vocabulary is built, and the final vocabulary's table maps corpus words to
 * ids while encoding. Words are copied into one arena, so a table holds no
 * pointers into the corpus.
 *
 * Compact entries: a word costs 16 bytes of entry (count 8, arena offset 4,
 * length 4), its bytes and a NUL in the arena, and 8-byte slots at a load of
 * at most one half (16–32 bytes a word). Offsets are 32-bit: one table's
 * words take at most 4 GiB (a counting partition holds a small share of the
 * words; a final vocabulary of 4 GiB of words is refused). */
#ifndef W2V_WORD_TABLE_H
#define W2V_WORD_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct w2v_word_table {
    uint64_t *slots;   /* capacity slots: (hash high 32 bits << 32) | (index + 1); 0 = empty */
    uint64_t capacity; /* a power of two */
    uint32_t count;    /* words stored */
    uint32_t entry_capacity;
    uint64_t *counts;  /* per word */
    uint32_t *offsets; /* per word: start in arena */
    uint32_t *lengths; /* per word: bytes */
    char *arena;       /* words, each followed by a NUL */
    uint64_t arena_used, arena_capacity;
};

/* Eight bytes with ASCII 'A'..'Z' made lowercase, all at once: a byte gets
 * 0x20 added exactly when it is below 0x80, at least 'A' and at most 'Z'. */
static inline uint64_t w2v_ascii_lower8(uint64_t bytes) {
    const uint64_t ones = 0x0101010101010101ull, high_bits = 0x80 * ones;
    uint64_t low7 = bytes & ~high_bits;
    uint64_t at_least_a = low7 + (0x80 - 'A') * ones; /* high bit set iff byte >= 'A' */
    uint64_t above_z = low7 + (0x7f - 'Z') * ones;    /* high bit set iff byte > 'Z' */
    uint64_t upper = (at_least_a ^ above_z) & ~bytes & high_bits;
    return bytes | upper >> 2;
}

/* The hash of a word of `len` bytes, and with fold_case of its ASCII
 * lowercase spelling (so "Paris" and "paris" hash alike): the one string
 * hash of w2v. The word is read eight bytes at a time, each eight mixed in
 * with a multiply and a shift. Called with a constant fold_case, the folding
 * costs nothing where it is off. */
static inline uint64_t w2v_hash_word_folding(const char *word, size_t len, bool fold_case) {
    uint64_t hash = 0x9e3779b97f4a7c15ull ^ (len * 0xff51afd7ed558ccdull);
    while (len >= 8) {
        uint64_t chunk;
        memcpy(&chunk, word, 8);
        if (fold_case) chunk = w2v_ascii_lower8(chunk);
        hash = (hash ^ chunk) * 0xbf58476d1ce4e5b9ull;
        hash ^= hash >> 31;
        word += 8, len -= 8;
    }
    /* The last len < 8 bytes as a little-endian number, read as two
     * overlapping loads (or three single bytes) rather than copied byte by
     * byte into a word read back at once, which stalls the load. */
    uint64_t tail = 0;
    if (len >= 4) {
        uint32_t low, high;
        memcpy(&low, word, 4);
        memcpy(&high, word + len - 4, 4);
        tail = low | (uint64_t)high << (8 * (len - 4));
    } else if (len > 0) {
        tail = (uint64_t)(unsigned char)word[0] |
               (uint64_t)(unsigned char)word[len / 2] << (8 * (len / 2)) |
               (uint64_t)(unsigned char)word[len - 1] << (8 * (len - 1));
    }
    if (fold_case) tail = w2v_ascii_lower8(tail);
    hash = (hash ^ tail) * 0x94d049bb133111ebull;
    hash ^= hash >> 29;
    hash *= 0xbf58476d1ce4e5b9ull;
    return hash ^ (hash >> 32);
}

/* The hash of a word's exact bytes (the word tables' and the vocabulary's). */
static inline uint64_t w2v_hash_word(const char *word, size_t len) {
    return w2v_hash_word_folding(word, len, false);
}

/* A table sized for `expected_words` (it grows past that as needed). */
void w2v_word_table_init(struct w2v_word_table *table, uint64_t expected_words);
void w2v_word_table_free(struct w2v_word_table *table);

/* Makes room for `words` more words of `bytes` bytes (NULs included) at once. */
void w2v_word_table_reserve(struct w2v_word_table *table, uint32_t words, uint64_t bytes);

/* Frees the hash slots of a table that is only read by index from now on
 * (its words, counts and lengths stay; find and add must not be called until
 * w2v_word_table_index). */
void w2v_word_table_free_slots(struct w2v_word_table *table);

/* Appends a word known not to be in the table to a table without slots (as
 * w2v_word_table_add, but nothing is hashed): a table is built from words in
 * final order while their source is still held, and indexed once the source
 * is freed. Index, or -1 with w2v_error set. */
int64_t w2v_word_table_append(struct w2v_word_table *table, const char *word, uint32_t len,
                              uint64_t count);

/* (Re)builds the slots for every word (at a load of at most one half). */
void w2v_word_table_index(struct w2v_word_table *table);

/* The most words a table holds (indices are 32-bit). */
#define W2V_WORD_TABLE_MAX_WORDS (UINT32_MAX - 1)

/* Adds `count` to the word's count, inserting it if new; returns its index, or
 * -1 with w2v_error set when a new word finds the table full (its word count
 * or its 4 GiB arena). */
int64_t w2v_word_table_add(struct w2v_word_table *table, const char *word, uint32_t len,
                           uint64_t hash, uint64_t count);

/* The word's index, or -1 if absent. */
int64_t w2v_word_table_find(const struct w2v_word_table *table, const char *word, uint32_t len,
                            uint64_t hash);

/* Bytes the table holds on the heap: slots, entries and the word arena. */
static inline uint64_t w2v_word_table_bytes(const struct w2v_word_table *table) {
    return table->capacity * sizeof *table->slots +
           (uint64_t)table->entry_capacity *
               (sizeof *table->counts + sizeof *table->offsets + sizeof *table->lengths) +
           table->arena_capacity;
}

static inline const char *w2v_word_table_word(const struct w2v_word_table *table, uint32_t index) {
    return table->arena + table->offsets[index];
}

#endif
