/* test_files.h — temporary directories and files for tests that read files.
 *
 * The paths these return are malloc'd and the caller frees them, but each is
 * also remembered in a static list: a failed assertion longjmps past the
 * test's frees, and LeakSanitizer must then report the failure, not a leak of
 * its paths. Each test program's directory (test_dir) is removed when the
 * program exits. */
#ifndef W2V_TEST_FILES_H
#define W2V_TEST_FILES_H

#include <ftw.h>
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

/* Keeps `ptr` reachable (see the top of the file); returns it. */
static inline char *test_remember(char *ptr) {
    static char *recent[4096];
    static size_t next;
    recent[next++ % (sizeof recent / sizeof *recent)] = ptr;
    return ptr;
}

/* dir/name, malloc'd. */
static inline char *test_path(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    return test_remember(path);
}

static inline int test_remove_entry(const char *path, const struct stat *st, int type,
                                    struct FTW *ftw) {
    (void)st, (void)type, (void)ftw;
    remove(path);
    return 0;
}

/* The program's directory and the process that made it. */
struct test_dir_state {
    const char *path;
    pid_t owner;
};

static inline struct test_dir_state *test_dir_state(void) {
    static struct test_dir_state state;
    return &state;
}

static inline void test_dir_remove(void) {
    const struct test_dir_state *state = test_dir_state();
    if (state->path && getpid() == state->owner) /* not in a forked child's exit */
        nftw(state->path, test_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* This test program's temporary directory: one test_tempdir, made on first
 * use and removed with everything in it when the program exits. */
static inline const char *test_dir(void) {
    struct test_dir_state *state = test_dir_state();
    if (!state->path) {
        state->path = test_tempdir();
        state->owner = getpid();
        atexit(test_dir_remove);
    }
    return state->path;
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
