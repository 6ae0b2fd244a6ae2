/* synth_words.c — the spelling of synthetic words: unique, pronounceable, and
 * shorter for lower numbers (so frequent Zipf ranks get short words, as in
 * natural language).
 *
 * A word is a sequence of consonant-vowel syllables, 90 possible ones: numbers
 * 0..89 get one syllable, the next 90^2 get two, and so on; within each length
 * the number picks one of the 90^n syllable strings through a bijection. Every
 * syllable is exactly two letters, so a word splits into syllables one way only
 * and two numbers never share a spelling. 2^32 needs 5 syllables (10 letters). */
#include "w2v/synth.h"

#include <string.h>

enum {
    SYLLABLE_COUNT = 90,
    CONSONANT_COUNT = 18,
    VOWEL_COUNT = 5,
    SYLLABLE_STRIDE = 37,
    SCATTER_FACTOR = 7919
};

static const char consonants[CONSONANT_COUNT + 1] = "bdfgklmnprstvzchjw";
static const char vowels[VOWEL_COUNT + 1] = "aeiou";

/* Digit d (0..89) → a syllable; stepping by 37 (coprime with 90) mixes the
 * order so consecutive numbers do not look alike. */
static void write_syllable(uint32_t digit, char *out) {
    uint32_t mixed = (digit * SYLLABLE_STRIDE + 11) % SYLLABLE_COUNT;
    out[0] = consonants[mixed / VOWEL_COUNT];
    out[1] = vowels[mixed % VOWEL_COUNT];
}

size_t w2v_synth_word(uint32_t index, char *buffer) {
    /* Find the syllable count: numbers [first, first + 90^syllables) have that many. */
    uint64_t offset = index, class_size = SYLLABLE_COUNT;
    size_t syllables = 1;
    while (offset >= class_size) offset -= class_size, class_size *= SYLLABLE_COUNT, syllables++;
    /* Scatter the offset within its class (multiplying by a number coprime with 90
     * is a bijection mod 90^n), so consecutive numbers do not share a prefix. */
    uint64_t scattered = (offset * SCATTER_FACTOR + 1) % class_size;
    for (size_t s = syllables; s-- > 0;) {
        write_syllable((uint32_t)(scattered % SYLLABLE_COUNT), buffer + 2 * s);
        scattered /= SYLLABLE_COUNT;
    }
    buffer[2 * syllables] = '\0';
    return 2 * syllables;
}
