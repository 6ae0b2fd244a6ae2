/* vectors_write.c — word2vec text and binary vector files, written atomically. */
#include "w2v/vectors.h"

#include "w2v/atomic_file.h"
#include "w2v/error.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

size_t w2v_vectors_format_value(char *out, float value) {
    /* x = value·10⁶ is exact in a double: value's 24-bit significand times
     * 10⁶ = 2⁶·15625 (14 bits) needs 38 of the 53 bits. printf's %.6f is x
     * rounded to an integer n (to nearest, ties to even, as nearbyint in the
     * default rounding mode), printed as n / 10⁶ "." n % 10⁶ (six digits),
     * with the sign of value (so −0.0000001 prints "-0.000000"). */
    const double x = (double)value * 1e6;
    if (!(fabs(x) < 1e15)) /* huge, infinite or NaN: printf itself */
        return (size_t)snprintf(out, W2V_VECTORS_VALUE_MAX, "%.6f", (double)value);
    uint64_t n = (uint64_t)fabs(nearbyint(x));
    char *p = out;
    if (signbit(value)) *p++ = '-';
    char digits[20];
    int count = 0;
    uint64_t whole = n / 1000000;
    do digits[count++] = (char)('0' + whole % 10);
    while ((whole /= 10) > 0);
    while (count > 0) *p++ = digits[--count];
    *p++ = '.';
    uint32_t fraction = (uint32_t)(n % 1000000);
    for (int i = 5; i >= 0; i--, fraction /= 10) p[i] = (char)('0' + fraction % 10);
    p += 6;
    *p = '\0';
    return (size_t)(p - out);
}

/* "word v1 ... vdim\n", each value as "%.6f", built in a buffer and written in pieces. */
static void write_text_row(FILE *fp, const char *word, const float *row, uint32_t dim) {
    char line[4096];
    size_t used = 0;
    fputs(word, fp);
    for (uint32_t k = 0; k < dim; k++) {
        if (used + 1 + W2V_VECTORS_VALUE_MAX > sizeof line) {
            fwrite(line, 1, used, fp);
            used = 0;
        }
        line[used++] = ' ';
        used += w2v_vectors_format_value(line + used, row[k]);
    }
    line[used++] = '\n';
    fwrite(line, 1, used, fp);
}

static void write_binary_row(FILE *fp, const char *word, const float *row, uint32_t dim) {
    fputs(word, fp);
    fputc(' ', fp);
    fwrite(row, sizeof(float), dim, fp); /* x86-64 and aarch64 Linux are little-endian */
    fputc('\n', fp);
}

void w2v_vectors_write_stream(FILE *fp, const struct w2v_vectors *vectors, bool binary) {
    fprintf(fp, "%" PRIu64 " %" PRIu32 "\n", vectors->count, vectors->dim);
    for (uint64_t i = 0; i < vectors->count; i++) {
        const float *row = w2v_vectors_row(vectors, i);
        if (binary)
            write_binary_row(fp, vectors->words[i], row, vectors->dim);
        else
            write_text_row(fp, vectors->words[i], row, vectors->dim);
    }
}

int w2v_vectors_write(const char *path, const struct w2v_vectors *vectors, bool binary) {
    struct w2v_atomic_file file;
    if (w2v_atomic_open(&file, path) != 0) return -1;
    w2v_vectors_write_stream(file.fp, vectors, binary);
    return w2v_atomic_commit(&file);
}
