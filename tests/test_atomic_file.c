/* test_atomic_file.c — outputs that never destroy (atomic_file.h) and the
 * signal handlers' clean-up (signals.h): a commit replaces all at once and an
 * abort leaves nothing; symlinks are written through; FIFOs and devices are
 * written in place, never replaced; directories are refused; an output that is
 * a noted input is refused (at open and at commit); the first write error's
 * reason is reported (ENOSPC from /dev/full, EFBIG past RLIMIT_FSIZE, never a
 * generic EIO); stale temporaries of dead processes are removed and live ones
 * kept; every catchable terminating signal, exit() and a SIGBUS in a tracked
 * mapping leave no temporary behind. The process-killing cases run in a
 * forked child. */
#include "testing.h"

#include "test_files.h"
#include "w2v/atomic_file.h"
#include "w2v/error.h"
#include "w2v/signals.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A fresh directory per case, so counting its entries is exact. */
static char *fresh_dir(void) {
    static int n;
    char name[32];
    snprintf(name, sizeof name, "case%d", n++);
    char *dir = test_path(test_dir(), name);
    assert_int_equal(mkdir(dir, 0700), 0);
    return dir;
}

/* Entries of `dir` whose name contains ".tmp." */
static int temporaries_in(const char *dir) {
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

static char *slurp(const char *path) {
    static char buf[4096];
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    return buf;
}

static int write_text(const char *path, const char *text) {
    struct w2v_atomic_file f;
    if (w2v_atomic_open(&f, path) != 0) return -1;
    fputs(text, f.fp);
    return w2v_atomic_commit(&f);
}

static void test_commit_and_abort(void **state) {
    (void)state;
    char *dir = fresh_dir(), *out = test_path(dir, "out.txt");
    assert_int_equal(write_text(out, "first\n"), 0);
    assert_string_equal(slurp(out), "first\n");
    struct w2v_atomic_file f;
    assert_int_equal(w2v_atomic_open(&f, out), 0);
    fputs("second\n", f.fp);
    assert_int_equal(temporaries_in(dir), 1);
    assert_non_null(strstr(f.temp_path, ".tmp."));
    w2v_atomic_abort(&f);
    assert_string_equal(slurp(out), "first\n"); /* untouched */
    assert_int_equal(temporaries_in(dir), 0);
    free(out), free(dir);
}

static void test_symlinks_written_through(void **state) {
    (void)state;
    char *dir = fresh_dir(), *target = test_path(dir, "target.txt");
    char *link = test_path(dir, "link.txt"), *link2 = test_path(dir, "link2.txt");
    free(test_write_text(dir, "target.txt", "old\n"));
    assert_int_equal(symlink("target.txt", link), 0);
    assert_int_equal(symlink("link.txt", link2), 0); /* a chain */
    assert_int_equal(write_text(link2, "new\n"), 0);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(lstat(link2, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(slurp(target), "new\n");
    /* A dangling link: the file it names is created. */
    char *dangling = test_path(dir, "dangling.txt"), *named = test_path(dir, "named.txt");
    assert_int_equal(symlink("named.txt", dangling), 0);
    assert_int_equal(write_text(dangling, "made\n"), 0);
    assert_int_equal(lstat(dangling, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(slurp(named), "made\n");
    assert_int_equal(temporaries_in(dir), 0);
    free(target), free(link), free(link2), free(dangling), free(named), free(dir);
}

static void test_noted_input_refused(void **state) {
    (void)state;
    char *dir = fresh_dir();
    char *input = test_write_text(dir, "corpus.txt", "the corpus\n");
    char *link = test_path(dir, "alias.txt");
    assert_int_equal(symlink("corpus.txt", link), 0);
    w2v_atomic_note_input(input);
    struct w2v_atomic_file f;
    assert_int_equal(w2v_atomic_open(&f, input), -1);
    assert_non_null(strstr(w2v_last_error(), "same file as the input"));
    assert_int_equal(w2v_atomic_open(&f, link), -1); /* through a symlink too */
    w2v_atomic_forget_inputs();
    /* Noted after the open (an input read after outputs were checked): the
     * commit refuses and removes the temporary. */
    assert_int_equal(w2v_atomic_open(&f, input), 0);
    fputs("vectors\n", f.fp);
    int fd = open(input, O_RDONLY);
    w2v_atomic_note_input_fd(fd, input);
    close(fd);
    assert_int_equal(w2v_atomic_commit(&f), -1);
    assert_non_null(strstr(w2v_last_error(), "same file as the input"));
    assert_string_equal(slurp(input), "the corpus\n");
    assert_int_equal(temporaries_in(dir), 0);
    w2v_atomic_forget_inputs();
    free(input), free(link), free(dir);
}

/* A file mapped and tracked for SIGBUS (a corpus being read) may not be
 * replaced while it is tracked; once untracked it may. */
static void test_tracked_mapping_refused(void **state) {
    (void)state;
    char *dir = fresh_dir();
    char *input = test_write_text(dir, "corpus.txt", "the corpus\n");
    int fd = open(input, O_RDONLY);
    char *data = mmap(NULL, 11, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    int slot = w2v_signals_track_mapping(data, 11, "corpus", input);
    struct w2v_atomic_file f;
    assert_int_equal(w2v_atomic_open(&f, input), -1);
    assert_non_null(strstr(w2v_last_error(), "same file as the input"));
    w2v_signals_untrack_mapping(slot);
    munmap(data, 11);
    assert_int_equal(write_text(input, "replaced\n"), 0);
    assert_string_equal(slurp(input), "replaced\n");
    free(input), free(dir);
}

static void test_fifo_written_in_place(void **state) {
    (void)state;
    char *dir = fresh_dir(), *fifo = test_path(dir, "pipe");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    pid_t reader = fork();
    assert_true(reader >= 0);
    if (reader == 0) { /* the reader: exit 0 if it read what was written */
        char *got = slurp(fifo);
        _exit(got && strcmp(got, "through the pipe\n") == 0 ? 0 : 3);
    }
    assert_int_equal(write_text(fifo, "through the pipe\n"), 0);
    int status = 0;
    assert_int_equal(waitpid(reader, &status, 0), reader);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    struct stat st;
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode)); /* still a FIFO, not a file */
    assert_int_equal(temporaries_in(dir), 0);
    free(fifo), free(dir);
}

static void test_device_not_replaced_and_enospc(void **state) {
    (void)state;
    struct stat st;
    if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode)) skip();
    struct w2v_atomic_file f;
    assert_int_equal(w2v_atomic_open(&f, "/dev/full"), 0);
    assert_null(f.temp_path); /* written in place */
    for (int i = 0; i < 100000; i++) fputs("a line of vectors\n", f.fp);
    assert_int_equal(w2v_atomic_commit(&f), -1);
    assert_non_null(strstr(w2v_last_error(), "No space left on device"));
    assert_int_equal(stat("/dev/full", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(write_text("/dev/null", "discarded\n"), 0);
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
}

static void test_directory_refused(void **state) {
    (void)state;
    char *dir = fresh_dir();
    struct w2v_atomic_file f;
    assert_int_equal(w2v_atomic_open(&f, dir), -1);
    assert_non_null(strstr(w2v_last_error(), "Is a directory"));
    free(dir);
}

/* Past RLIMIT_FSIZE the write fails with EFBIG: the message says so (the
 * reason of the first failed write is kept, not replaced by EIO). */
static void test_write_error_reason_kept(void **state) {
    (void)state;
    char *dir = fresh_dir(), *out = test_path(dir, "big.txt");
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit limit = {.rlim_cur = 4096, .rlim_max = RLIM_INFINITY};
        setrlimit(RLIMIT_FSIZE, &limit);
        struct w2v_atomic_file f;
        if (w2v_atomic_open(&f, out) != 0) _exit(3);
        for (int i = 0; i < 100000; i++) fputs("a line of vectors\n", f.fp);
        if (w2v_atomic_commit(&f) != -1) _exit(4);
        _exit(strstr(w2v_last_error(), strerror(EFBIG)) ? 0 : 5);
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(temporaries_in(dir), 0);
    assert_int_equal(access(out, F_OK), -1);
    free(out), free(dir);
}

static void test_stale_temporaries_removed(void **state) {
    (void)state;
    char *dir = fresh_dir(), *out = test_path(dir, "vectors.bin");
    pid_t dead = fork();
    assert_true(dead >= 0);
    if (dead == 0) _exit(0);
    waitpid(dead, NULL, 0); /* its pid now names no process */
    char name[64];
    snprintf(name, sizeof name, "vectors.bin.tmp.%ld.AbC123", (long)dead);
    free(test_write_text(dir, name, "stale"));
    snprintf(name, sizeof name, "vectors.bin.tmp.%ld.XyZ789", (long)getppid()); /* alive */
    char *alive = test_write_text(dir, name, "in progress");
    char *other = test_write_text(dir, "other.bin.tmp.1.AbC123", "not ours"); /* another target */
    assert_int_equal(write_text(out, "done\n"), 0);
    assert_int_equal(temporaries_in(dir), 2);
    assert_int_equal(access(alive, F_OK), 0);
    assert_int_equal(access(other, F_OK), 0);
    free(alive), free(other), free(out), free(dir);
}

/* A child opens an output, writes, and is ended by `how`; the directory must
 * be left without temporaries. Returns the child's wait status. */
enum end_how { BY_SIGNAL, BY_EXIT, BY_SIGBUS };

static int child_ends(const char *dir, enum end_how how, int signal_number) {
    char *out = test_path(dir, "out.txt"), *mapped = test_path(dir, "input.txt");
    free(test_write_text(dir, "input.txt", "a mapped input, two pages long or less\n"));
    fflush(NULL);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        struct rlimit no_core = {0, 0}; /* SIGQUIT and SIGXCPU would dump one */
        setrlimit(RLIMIT_CORE, &no_core);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, STDERR_FILENO); /* the SIGBUS handler's one line */
        if (how == BY_SIGNAL) /* as a user's shell would: not ignored (nohup, a CI runner) */
            signal(signal_number, SIG_DFL);
        w2v_signals_install();
        struct w2v_atomic_file f;
        if (w2v_atomic_open(&f, out) != 0) _exit(3);
        fputs("partial output\n", f.fp);
        fflush(f.fp);
        if (how == BY_EXIT) exit(1); /* an error path's exit (out of memory) */
        if (how == BY_SIGBUS) {
            int fd = open(mapped, O_RDWR);
            char *data = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
            w2v_signals_track_mapping(data, 8192, "corpus", mapped);
            if (ftruncate(fd, 0) != 0) _exit(4); /* the input shrinks under us */
            volatile char c = data[100];
            (void)c;
            _exit(5); /* not reached */
        }
        raise(signal_number);
        _exit(6); /* not reached */
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    free(out), free(mapped);
    return status;
}

static void test_signals_remove_temporaries(void **state) {
    (void)state;
    const int signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR2, SIGXCPU};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        char *dir = fresh_dir();
        int status = child_ends(dir, BY_SIGNAL, signals[i]);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), signals[i]);
        assert_int_equal(temporaries_in(dir), 0);
        free(dir);
    }
    char *dir = fresh_dir();
    int status = child_ends(dir, BY_EXIT, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    assert_int_equal(temporaries_in(dir), 0);
    free(dir);
    dir = fresh_dir();
    status = child_ends(dir, BY_SIGBUS, 0);
    assert_true(WIFEXITED(status)); /* one line and exit 1, not a SIGBUS death */
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_int_equal(temporaries_in(dir), 0);
    free(dir);
}

/* nohup's SIGHUP (ignored when w2v starts) stays ignored. */
static void test_ignored_signal_stays_ignored(void **state) {
    (void)state;
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        signal(SIGHUP, SIG_IGN);
        w2v_signals_install();
        raise(SIGHUP);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_and_abort),
        cmocka_unit_test(test_symlinks_written_through),
        cmocka_unit_test(test_noted_input_refused),
        cmocka_unit_test(test_tracked_mapping_refused),
        cmocka_unit_test(test_fifo_written_in_place),
        cmocka_unit_test(test_device_not_replaced_and_enospc),
        cmocka_unit_test(test_directory_refused),
        cmocka_unit_test(test_write_error_reason_kept),
        cmocka_unit_test(test_stale_temporaries_removed),
        cmocka_unit_test(test_signals_remove_temporaries),
        cmocka_unit_test(test_ignored_signal_stays_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
