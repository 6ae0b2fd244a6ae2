/* fuzz_input.h — what every fuzz target shares: the fuzz input as a file the
 * readers can open by name. One memfd per process is rewritten for each input
 * (no disk, no new inode per run, so the registry of noted inputs in
 * atomic_file.c stays one entry long). */
#ifndef W2V_FUZZ_INPUT_H
#define W2V_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* Writes data[0..size) to the process's memfd and returns a path naming it. */
static inline const char *fuzz_input_file(const uint8_t *data, size_t size) {
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("w2v-fuzz", MFD_CLOEXEC);
        if (fd < 0) abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0) abort();
    for (size_t done = 0; done < size;) {
        ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);
        if (n <= 0) abort();
        done += (size_t)n;
    }
    return path;
}

#endif
