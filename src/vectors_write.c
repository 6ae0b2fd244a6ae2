/* vectors_write.c — word2vec text and binary vector files, written atomically. */
#include "w2v/vectors.h"

#include "w2v/atomic_file.h"
#include "w2v/error.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void write_text_row(FILE *fp, const char *word, const float *row, uint32_t dim) {
    fputs(word, fp);
    for (uint32_t k = 0; k < dim; k++) fprintf(fp, " %.6f", row[k]);
    fputc('\n', fp);
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
