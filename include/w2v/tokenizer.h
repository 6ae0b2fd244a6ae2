/* tokenizer.h — splits corpus bytes into words and sentence ends.
 *
 * A word is a maximal run of bytes other than space, tab, CR, LF, VT, FF and
 * NUL; a LF ends a sentence (so CRLF files work: the CR is just a separator).
 * Bytes are not interpreted otherwise, so any UTF-8 text works. A word longer
 * than max_bytes is cut to at most max_bytes at a UTF-8 character boundary
 * (never inside a multi-byte character) and counted in `truncated`.
 * Header-only: this is the inner loop of the vocabulary and encoding passes. */
#ifndef W2V_TOKENIZER_H
#define W2V_TOKENIZER_H

#include <stdint.h>

enum w2v_token_kind { W2V_TOKEN_END, W2V_TOKEN_WORD, W2V_TOKEN_NEWLINE };

/* 0: part of a word; 1: separator; 2: newline. */
extern const uint8_t w2v_byte_class[256];

#define W2V_DEFAULT_MAX_TOKEN_BYTES 100

struct w2v_tokenizer {
    const char *cursor;
    const char *end;
    uint32_t max_bytes;
    uint64_t truncated; /* words cut to max_bytes so far */
};

static inline void w2v_tokenizer_init(struct w2v_tokenizer *t, const char *begin, const char *end,
                                      uint32_t max_bytes) {
    t->cursor = begin;
    t->end = end;
    t->max_bytes = max_bytes;
    t->truncated = 0;
}

/* Length to keep of an over-long word: at most max_bytes, ending on a character boundary. */
static inline uint32_t w2v_utf8_cut(const char *word, uint32_t max_bytes) {
    uint32_t keep = max_bytes;
    while (keep > 0 && ((unsigned char)word[keep] & 0xC0) == 0x80) keep--;
    return keep;
}

static inline enum w2v_token_kind w2v_tokenizer_next(struct w2v_tokenizer *t, const char **word,
                                                     uint32_t *len) {
    const char *p = t->cursor, *end = t->end;
    for (; p < end; p++) {
        uint8_t cls = w2v_byte_class[(unsigned char)*p];
        if (cls == 2) {
            t->cursor = p + 1;
            return W2V_TOKEN_NEWLINE;
        }
        if (cls == 0) break;
    }
    if (p == end) {
        t->cursor = end;
        return W2V_TOKEN_END;
    }
    const char *start = p;
    while (p < end && w2v_byte_class[(unsigned char)*p] == 0) p++;
    t->cursor = p;
    uint64_t length = (uint64_t)(p - start);
    if (length > t->max_bytes) {
        length = w2v_utf8_cut(start, t->max_bytes);
        t->truncated++;
        if (length == 0) return w2v_tokenizer_next(t, word, len); /* nothing whole to keep */
    }
    *word = start;
    *len = (uint32_t)length;
    return W2V_TOKEN_WORD;
}

#endif
