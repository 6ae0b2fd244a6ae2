/* test_files.h — temporary directories and files for tests that read files. */
#ifndef W2V_TEST_FILES_H
#define W2V_TEST_FILES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fresh directory under $TMPDIR (or /tmp); the path is static storage. */
static inline const char *test_tempdir(void) {
    static char path[512];
    const char *base = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/w2v-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(path)) {
        perror("mkdtemp");
        abort();
    }
    return path;
}

/* dir/name, malloc'd. */
static inline char *test_path(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    return path;
}

/* This test program's temporary directory: one test_tempdir, made on first use. */
static inline const char *test_dir(void) {
    static const char *dir;
    if (!dir) dir = test_tempdir();
    return dir;
}

/* Writes `len` bytes to dir/name and returns the path (malloc'd). */
static inline char *test_write_file(const char *dir, const char *name, const void *data,
                                    size_t len) {
    char *path = test_path(dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
        perror(path);
        abort();
    }
    return path;
}

static inline char *test_write_text(const char *dir, const char *name, const char *text) {
    return test_write_file(dir, name, text, strlen(text));
}

#endif
