/* vectors.h — word vectors in memory and in word2vec's text and binary files.
 *
 * Both formats start with a header line "<count> <dim>\n". Text rows are
 * "word v1 v2 ... vdim\n"; binary rows are "word " followed by dim
 * little-endian float32 values and "\n" — the files word2vec.c writes and
 * gensim's KeyedVectors.load_word2vec_format(binary=...) reads. */
#ifndef W2V_VECTORS_H
#define W2V_VECTORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct w2v_vectors {
    uint64_t count; /* number of words (rows) */
    uint32_t dim;   /* floats per word */
    size_t stride;  /* floats between the starts of consecutive rows (>= dim) */
    char **words;   /* count NUL-terminated words */
    float *rows;    /* row i starts at rows + i * stride */
    bool owned;     /* true if words/rows belong to this struct (set by the reader) */
};

static inline const float *w2v_vectors_row(const struct w2v_vectors *v, uint64_t i) {
    return v->rows + i * v->stride;
}

/* Writes `vectors` to `path` atomically, as text (binary=false) or binary. */
int w2v_vectors_write(const char *path, const struct w2v_vectors *vectors, bool binary);

/* The same into an open stream (for callers that opened their atomic file early). */
void w2v_vectors_write_stream(FILE *fp, const struct w2v_vectors *vectors, bool binary);

/* The longest text w2v_vectors_format_value writes, its NUL included. */
#define W2V_VECTORS_VALUE_MAX 64

/* Writes printf("%.6f", (double)value)'s text, byte for byte, and a NUL into
 * out (W2V_VECTORS_VALUE_MAX bytes); returns its length. The text rows'
 * values (word2vec.c writes "%lf"), without printf's cost per value. */
size_t w2v_vectors_format_value(char *out, float value);

/* Reads a word2vec text or binary file (detected from its content), validating
 * the header counts, every row's length, that values are finite, and that no
 * word repeats. On error returns -1 with a one-line message naming the file and
 * the line or row at fault. */
int w2v_vectors_read(const char *path, struct w2v_vectors *out);

/* Frees what the reader allocated; a no-op for views (owned == false). */
void w2v_vectors_free(struct w2v_vectors *vectors);

#endif
