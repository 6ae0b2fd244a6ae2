/* atomic_file.c — outputs written beside their target and renamed into place,
 * symlinks written through, devices and FIFOs written directly, inputs never
 * overwritten, stale temporaries of dead runs removed (see atomic_file.h).
 *
 * The stream is a stdio stream over our own write function (fopencookie), so
 * the first write error's errno is kept: a full disk is reported as "No space
 * left on device", not as the EIO that ferror() alone would leave. */
#include "w2v/atomic_file.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/signals.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

enum { MAX_SYMLINK_HOPS = 40, STREAM_BUFFER_BYTES = 1 << 20 };

struct w2v_atomic_sink {
    int fd;
    int error; /* errno of the first failed write or close, else 0 */
};

/* ---- noted inputs: (device, inode) pairs no output may be ---- */

struct noted_input {
    dev_t dev;
    ino_t ino;
    char *path;
};

static struct noted_input *inputs;
static size_t input_count;
static pthread_mutex_t inputs_lock = PTHREAD_MUTEX_INITIALIZER;

static void note(const struct stat *st, const char *path) {
    pthread_mutex_lock(&inputs_lock);
    bool known = false;
    for (size_t i = 0; i < input_count && !known; i++)
        known = inputs[i].dev == st->st_dev && inputs[i].ino == st->st_ino;
    if (!known) {
        inputs = w2v_xrealloc(inputs, (input_count + 1) * sizeof *inputs);
        inputs[input_count++] = (struct noted_input){
            .dev = st->st_dev, .ino = st->st_ino, .path = w2v_xstrndup(path, strlen(path))};
    }
    pthread_mutex_unlock(&inputs_lock);
}

void w2v_atomic_note_input(const char *path) {
    struct stat st;
    if (path && stat(path, &st) == 0) note(&st, path);
}

void w2v_atomic_note_input_fd(int fd, const char *path) {
    struct stat st;
    if (fstat(fd, &st) == 0) note(&st, path ? path : "(input)");
}

void w2v_atomic_forget_inputs(void) {
    pthread_mutex_lock(&inputs_lock);
    for (size_t i = 0; i < input_count; i++) w2v_free(inputs[i].path);
    w2v_free(inputs);
    inputs = NULL;
    input_count = 0;
    pthread_mutex_unlock(&inputs_lock);
}

/* -1 with "cannot write 'OUT': it is the same file as the input 'IN'" if `st`
 * is a noted input or a tracked mapped input (signals.h). */
static int refuse_if_input(const char *output, const struct stat *st) {
    const char *mapped = w2v_signals_mapped_file(st);
    if (mapped)
        return w2v_error("cannot write '%s': it is the same file as the input '%s'", output,
                         mapped);
    int status = 0;
    pthread_mutex_lock(&inputs_lock);
    for (size_t i = 0; i < input_count && status == 0; i++)
        if (inputs[i].dev == st->st_dev && inputs[i].ino == st->st_ino)
            status = w2v_error("cannot write '%s': it is the same file as the input '%s'", output,
                               inputs[i].path);
    pthread_mutex_unlock(&inputs_lock);
    return status;
}

/* ---- the target: symlinks followed to the file they name ---- */

/* `link`'s directory joined with a relative `target` (malloc'd). */
static char *beside(const char *link, const char *target) {
    const char *slash = strrchr(link, '/');
    if (target[0] == '/' || !slash) return w2v_xstrndup(target, strlen(target));
    size_t dir_len = (size_t)(slash - link) + 1, len = strlen(target);
    char *joined = w2v_xmalloc(dir_len + len + 1);
    memcpy(joined, link, dir_len);
    memcpy(joined + dir_len, target, len + 1);
    return joined;
}

/* Follows `path` through any chain of symlinks (dangling ones included) to
 * the path a file is, or will be, at. Sets *exists and *st when something is
 * there. Returns the path (malloc'd) or NULL with w2v_error set. */
static char *resolve_target(const char *path, bool *exists, struct stat *st) {
    char *current = w2v_xstrndup(path, strlen(path));
    for (int hop = 0; hop <= MAX_SYMLINK_HOPS; hop++) {
        if (lstat(current, st) != 0) {
            int saved = errno;
            if (saved == ENOENT) {
                *exists = false;
                return current;
            }
            w2v_free(current);
            w2v_error("cannot write '%s': %s", path, strerror(saved));
            return NULL;
        }
        if (!S_ISLNK(st->st_mode)) {
            *exists = true;
            return current;
        }
        char target[PATH_MAX];
        ssize_t len = readlink(current, target, sizeof target - 1);
        if (len < 0) {
            int saved = errno;
            w2v_free(current);
            w2v_error("cannot write '%s': %s", path, strerror(saved));
            return NULL;
        }
        target[len] = '\0';
        char *next = beside(current, target);
        w2v_free(current);
        current = next;
    }
    w2v_free(current);
    w2v_error("cannot write '%s': %s", path, strerror(ELOOP));
    return NULL;
}

/* ---- the stream ---- */

static ssize_t sink_write(void *cookie, const char *buf, size_t size) {
    struct w2v_atomic_sink *sink = cookie;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(sink->fd, buf + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (!sink->error) sink->error = n < 0 ? errno : EIO;
            return 0; /* fopencookie's convention for an error */
        }
        done += (size_t)n;
    }
    return (ssize_t)done;
}

static int sink_close(void *cookie) {
    struct w2v_atomic_sink *sink = cookie;
    if (close(sink->fd) != 0 && !sink->error) sink->error = errno;
    sink->fd = -1;
    return sink->error ? -1 : 0;
}

/* Wraps fd in a buffered stream; closes fd and returns -1 if it cannot. */
static int open_stream(struct w2v_atomic_file *file, int fd) {
    file->sink = w2v_xmalloc(sizeof *file->sink);
    *file->sink = (struct w2v_atomic_sink){.fd = fd};
    cookie_io_functions_t io = {.write = sink_write, .close = sink_close};
    file->fp = fopencookie(file->sink, "wb", io);
    if (!file->fp) {
        close(fd);
        return -1;
    }
    setvbuf(file->fp, NULL, _IOFBF, STREAM_BUFFER_BYTES);
    return 0;
}

static void release(struct w2v_atomic_file *file) {
    if (file->temp_path) w2v_signals_untrack_file(file->tracked); /* a zeroed file tracks nothing */
    file->tracked = -1;
    w2v_free(file->final_path);
    w2v_free(file->temp_path);
    w2v_free(file->sink);
    file->fp = NULL;
    file->sink = NULL;
    file->final_path = file->temp_path = NULL;
}

/* ---- stale temporaries: "<name>.tmp.<pid>.XXXXXX" of processes gone ---- */

/* The pid in `entry` if it is a temporary of `name` ("<name>.tmp.<pid>.XXXXXX"), else 0. */
static pid_t temporary_owner(const char *entry, const char *name) {
    size_t len = strlen(name);
    if (strncmp(entry, name, len) != 0 || strncmp(entry + len, ".tmp.", 5) != 0) return 0;
    const char *s = entry + len + 5;
    long pid = 0;
    while (*s >= '0' && *s <= '9' && pid < INT32_MAX / 10) pid = pid * 10 + (*s++ - '0');
    if (pid <= 0 || *s != '.' || strlen(s + 1) != 6) return 0;
    return (pid_t)pid;
}

int w2v_atomic_remove_stale(const char *path) {
    const char *slash = strrchr(path, '/');
    char *dir = slash ? w2v_xstrndup(path, slash == path ? 1 : (size_t)(slash - path))
                      : w2v_xstrndup(".", 1);
    const char *name = slash ? slash + 1 : path;
    int removed = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        pid_t owner = temporary_owner(e->d_name, name);
        if (owner == 0 || owner == getpid() || kill(owner, 0) == 0 || errno != ESRCH) continue;
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
            unlinkat(dirfd(d), e->d_name, 0) == 0)
            removed++;
    }
    if (d) closedir(d);
    w2v_free(dir);
    return removed;
}

/* ---- open, commit, abort ---- */

/* A device or a FIFO: written in place, never replaced. */
static int open_direct(struct w2v_atomic_file *file, const char *path) {
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 || open_stream(file, fd) != 0) {
        int saved = errno;
        release(file);
        return w2v_error("cannot write '%s': %s", path, strerror(saved));
    }
    file->final_path = w2v_xstrndup(path, strlen(path));
    return 0;
}

int w2v_atomic_open(struct w2v_atomic_file *file, const char *path) {
    *file = (struct w2v_atomic_file){.tracked = -1};
    if (!path || !*path) return w2v_error("no output path given");
    /* What the path finally names: a device or FIFO (through any links,
     * /proc/self/fd/N included) is written directly. */
    struct stat st;
    if (stat(path, &st) == 0) {
        if (refuse_if_input(path, &st) != 0) return -1;
        if (S_ISDIR(st.st_mode)) return w2v_error("cannot write '%s': %s", path, strerror(EISDIR));
        if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return open_direct(file, path);
        if (!S_ISREG(st.st_mode))
            return w2v_error("cannot write '%s': not a regular file, character device or FIFO",
                             path);
    }
    bool exists = false;
    char *target = resolve_target(path, &exists, &st);
    if (!target) return -1;
    if (exists && !S_ISREG(st.st_mode)) { /* changed since the stat above */
        w2v_free(target);
        return w2v_error("cannot write '%s': not a regular file", path);
    }
    w2v_atomic_remove_stale(target);

    size_t len = strlen(target);
    char suffix[48];
    int suffix_len = snprintf(suffix, sizeof suffix, ".tmp.%ld.XXXXXX", (long)getpid());
    file->final_path = target;
    file->temp_path = w2v_xmalloc(len + (size_t)suffix_len + 1);
    memcpy(file->temp_path, target, len);
    memcpy(file->temp_path + len, suffix, (size_t)suffix_len + 1);
    int fd = mkostemp(file->temp_path, O_CLOEXEC);
    if (fd < 0) {
        int saved = errno;
        w2v_free(file->temp_path); /* nothing to untrack or remove yet */
        file->temp_path = NULL;
        release(file);
        return w2v_error("cannot write '%s': %s", path, strerror(saved));
    }
    file->tracked = w2v_signals_track_file(file->temp_path);
    /* mkstemp makes the file 0600: give it the mode of the file it replaces,
     * or the one a plain fopen would (0666 & ~umask). */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, exists ? st.st_mode & 07777 : 0666 & ~mask);
    if (open_stream(file, fd) != 0) {
        int saved = errno;
        unlink(file->temp_path);
        release(file);
        return w2v_error("cannot write '%s': %s", path, strerror(saved));
    }
    return 0;
}

int w2v_atomic_commit(struct w2v_atomic_file *file) {
    struct w2v_atomic_sink *sink = file->sink;
    int failed = fflush(file->fp) != 0 || ferror(file->fp);
    if (!failed && file->temp_path && fsync(sink->fd) != 0 && errno != EINVAL)
        failed = 1, sink->error = sink->error ? sink->error : errno;
    if (fclose(file->fp) != 0) failed = 1;
    file->fp = NULL;
    int saved = failed ? (sink->error ? sink->error : EIO) : 0;
    int status = 0;
    if (failed) {
        status = w2v_error("cannot write '%s': %s", file->final_path, strerror(saved));
    } else if (file->temp_path) {
        /* The target may have become an input since the open (read later). */
        struct stat st;
        if (stat(file->final_path, &st) == 0 && refuse_if_input(file->final_path, &st) != 0)
            status = -1;
        else if (rename(file->temp_path, file->final_path) != 0)
            status = w2v_error("cannot write '%s': %s", file->final_path, strerror(errno));
    }
    if (status != 0 && file->temp_path) unlink(file->temp_path);
    release(file);
    return status;
}

void w2v_atomic_abort(struct w2v_atomic_file *file) {
    if (file->fp) fclose(file->fp);
    if (file->temp_path) unlink(file->temp_path);
    release(file);
}
