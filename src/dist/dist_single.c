/* dist_single.c — dist.h for a build without MPI: one process, rank 0 of 1. */
#include "dist.h"

#include "w2v/alloc.h"

#include <stdlib.h>
#include <string.h>

bool w2v_dist_built(void) {
    return false;
}
int w2v_dist_init(int *argc, char ***argv) {
    (void)argc, (void)argv;
    return 0;
}
void w2v_dist_finalize(void) {}
int w2v_dist_rank(void) {
    return 0;
}
int w2v_dist_size(void) {
    return 1;
}
int w2v_dist_agree(int status, uint64_t fingerprint, bool *same_fingerprint) {
    (void)fingerprint;
    *same_fingerprint = true;
    return status != 0 ? 0 : -1;
}
int w2v_dist_sum_u64(uint64_t *values, size_t count) {
    (void)values, (void)count;
    return 0;
}
int w2v_dist_sum_floats(float *values, size_t count) {
    (void)values, (void)count;
    return 0;
}
void w2v_dist_get_stats(struct w2v_dist_stats *stats) {
    memset(stats, 0, sizeof *stats);
}
void w2v_dist_count_sync(uint64_t rows) {
    (void)rows;
}
int w2v_dist_gather(const void *bytes, uint64_t size, unsigned char **all, uint64_t *sizes) {
    *all = w2v_xmalloc(size + 1);
    if (size) memcpy(*all, bytes, size);
    sizes[0] = size;
    return 0;
}
_Noreturn void w2v_dist_abort(void) {
    exit(1);
}
