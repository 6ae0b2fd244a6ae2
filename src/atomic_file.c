/* atomic_file.c — temporary-file-and-rename writes (see atomic_file.h). */
#include "w2v/atomic_file.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/signals.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void release(struct w2v_atomic_file *file) {
    if (file->temp_path) w2v_signals_untrack_file(file->tracked); /* a zeroed file tracks nothing */
    file->tracked = -1;
    w2v_free(file->final_path);
    w2v_free(file->temp_path);
    file->fp = NULL;
    file->final_path = file->temp_path = NULL;
}

int w2v_atomic_open(struct w2v_atomic_file *file, const char *path) {
    file->fp = NULL;
    file->final_path = file->temp_path = NULL;
    file->tracked = -1;
    if (!path || !*path) return w2v_error("no output path given");
    size_t len = strlen(path);
    file->final_path = w2v_xstrndup(path, len);
    file->temp_path = w2v_xmalloc(len + sizeof ".tmp.XXXXXX");
    memcpy(file->temp_path, path, len);
    memcpy(file->temp_path + len, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    int fd = mkstemp(file->temp_path);
    if (fd < 0) {
        int saved = errno;
        release(file);
        return w2v_error("cannot write '%s': %s", path, strerror(saved));
    }
    file->tracked = w2v_signals_track_file(file->temp_path);
    /* mkstemp makes the file 0600; give it the mode a plain fopen would (0666 & ~umask). */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    file->fp = fdopen(fd, "wb");
    if (!file->fp) {
        int saved = errno;
        close(fd);
        unlink(file->temp_path);
        release(file);
        return w2v_error("cannot write '%s': %s", path, strerror(saved));
    }
    static const size_t buffer_bytes = 1 << 20;
    setvbuf(file->fp, NULL, _IOFBF, buffer_bytes);
    return 0;
}

int w2v_atomic_commit(struct w2v_atomic_file *file) {
    int failed = ferror(file->fp) != 0;
    int saved = failed ? EIO : 0;
    if (fflush(file->fp) != 0 && !failed) failed = 1, saved = errno;
    if (!failed && fsync(fileno(file->fp)) != 0 && errno != EINVAL) failed = 1, saved = errno;
    if (fclose(file->fp) != 0 && !failed) failed = 1, saved = errno;
    file->fp = NULL;
    if (!failed && rename(file->temp_path, file->final_path) != 0) failed = 1, saved = errno;
    if (failed) {
        unlink(file->temp_path);
        w2v_error("cannot write '%s': %s", file->final_path, strerror(saved));
    }
    release(file);
    return failed ? -1 : 0;
}

void w2v_atomic_abort(struct w2v_atomic_file *file) {
    if (file->fp) fclose(file->fp);
    if (file->temp_path) unlink(file->temp_path);
    release(file);
}
