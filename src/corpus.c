/* corpus.c — read-only memory mapping of the corpus and its split into chunks. */
#include "w2v/corpus.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int w2v_corpus_open(struct w2v_corpus *corpus, const char *path) {
    memset(corpus, 0, sizeof *corpus);
    if (!path || !*path) return w2v_error("no training corpus given (use --train FILE)");
    int fd = open(path, O_RDONLY);
    if (fd < 0) return w2v_error("cannot open corpus '%s': %s", path, strerror(errno));
    struct stat info;
    if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        close(fd);
        return w2v_error("corpus '%s' is not a regular file", path);
    }
    if (info.st_size == 0) {
        close(fd);
        return w2v_error("corpus '%s' is empty", path);
    }
    int status = w2v_corpus_map(corpus, fd, (size_t)info.st_size, path);
    close(fd);
    return status;
}

/* The signals.h slot of each mapping made here, by address, so close can
 * untrack it (struct w2v_corpus stays three fields: callers build ones over
 * text in memory). */
enum { MAX_TRACKED = 16 };
static struct {
    const void *data;
    int slot;
} tracked[MAX_TRACKED];
static pthread_mutex_t tracked_lock = PTHREAD_MUTEX_INITIALIZER;

static void remember_slot(const void *data, int slot) {
    pthread_mutex_lock(&tracked_lock);
    for (int i = 0; i < MAX_TRACKED && slot >= 0; i++)
        if (!tracked[i].data) {
            tracked[i].data = data, tracked[i].slot = slot, slot = -1;
        }
    pthread_mutex_unlock(&tracked_lock);
    w2v_signals_untrack_mapping(slot); /* no room here: do not leave it registered */
}

static int forget_slot(const void *data) {
    int slot = -1;
    pthread_mutex_lock(&tracked_lock);
    for (int i = 0; i < MAX_TRACKED && slot < 0; i++)
        if (tracked[i].data == data) {
            slot = tracked[i].slot;
            tracked[i].data = NULL;
        }
    pthread_mutex_unlock(&tracked_lock);
    return slot;
}

int w2v_corpus_map(struct w2v_corpus *corpus, int fd, size_t size, const char *path) {
    memset(corpus, 0, sizeof *corpus);
    void *data = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (data == MAP_FAILED) return w2v_error("cannot map corpus '%s': %s", path, strerror(errno));
    madvise(data, size, MADV_SEQUENTIAL);
    corpus->data = data;
    corpus->size = size;
    corpus->path = path;
    remember_slot(data, w2v_signals_track_mapping(data, size, "corpus", path));
    return 0;
}

int w2v_corpus_take_tracking(const struct w2v_corpus *corpus) {
    return corpus->data ? forget_slot(corpus->data) : -1;
}

void w2v_corpus_close(struct w2v_corpus *corpus) {
    if (corpus->data) w2v_signals_untrack_mapping(forget_slot(corpus->data));
    if (corpus->data) munmap((void *)corpus->data, corpus->size);
    memset(corpus, 0, sizeof *corpus);
}

/* How far past a nominal bound to look for a newline before settling for a space. */
enum { NEWLINE_SEARCH_BYTES = 1 << 20 };

static size_t next_bound(const char *data, size_t size, size_t from) {
    size_t limit = from + NEWLINE_SEARCH_BYTES < size ? from + NEWLINE_SEARCH_BYTES : size;
    const char *newline = memchr(data + from, '\n', limit - from);
    if (newline) return (size_t)(newline - data) + 1;
    for (size_t i = from; i < size; i++)
        if (data[i] == ' ' || data[i] == '\t' || data[i] == '\n') return i + 1;
    return size;
}

void w2v_corpus_split(const struct w2v_corpus *corpus, size_t chunk_count, size_t *bounds) {
    bounds[0] = 0;
    for (size_t i = 1; i < chunk_count; i++) {
        size_t nominal = corpus->size / chunk_count * i;
        if (nominal < bounds[i - 1]) nominal = bounds[i - 1];
        bounds[i] = nominal >= corpus->size ? corpus->size
                                            : next_bound(corpus->data, corpus->size, nominal);
    }
    bounds[chunk_count] = corpus->size;
}

size_t *w2v_corpus_chunks(const struct w2v_corpus *corpus, size_t chunk_count) {
    size_t *bounds = w2v_xmalloc((chunk_count + 1) * sizeof *bounds);
    w2v_corpus_split(corpus, chunk_count, bounds);
    return bounds;
}
