/* dist.h — the w2v program's view of several processes (MPI ranks).
 *
 * Built from dist_mpi.c when Meson finds MPI (option -Dmpi), else from
 * dist_single.c, where every call is the one-process answer. MPI is only
 * initialised when the process was started by a launcher (mpirun, srun: the
 * environment says so); a plain `w2v train` never touches MPI, so it behaves
 * exactly as a build without it.
 *
 * Collectives are called by one thread at a time (MPI_THREAD_SERIALIZED): the
 * main thread before and after each epoch, the synchronising thread during
 * one. Sizes are bytes or element counts; large buffers are sent in pieces of
 * at most W2V_DIST_MAX_MESSAGE bytes (MPI counts are ints). */
#ifndef W2V_DIST_H
#define W2V_DIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define W2V_DIST_MAX_MESSAGE (64u << 20)

/* Communication counters, for --json and the final report. */
struct w2v_dist_stats {
    uint64_t bytes; /* payload bytes this rank sent into collectives */
    double seconds; /* wall time this rank spent inside them */
    uint64_t syncs; /* model synchronisations */
    uint64_t rows;  /* matrix rows averaged, summed over syncs */
};

/* True when this binary was built with MPI. */
bool w2v_dist_built(void);

/* Initialises MPI when a launcher started this process; 0, or −1 with an error. */
int w2v_dist_init(int *argc, char ***argv);

/* Finalises MPI if it was initialised (at the end of main). */
void w2v_dist_finalize(void);

int w2v_dist_rank(void); /* 0 when not distributed */
int w2v_dist_size(void); /* 1 when not distributed */
static inline bool w2v_dist_active(void) {
    return w2v_dist_size() > 1;
}

/* Agreement before training, in one collective: every rank calls this with
 * its status (0 or −1) and a fingerprint of its data. Returns the lowest
 * failing rank (or −1 when none failed) and whether every fingerprint is
 * equal. A failing rank prints its own error; the others stay silent. */
int w2v_dist_agree(int status, uint64_t fingerprint, bool *same_fingerprint);

/* Σ over ranks, in place. */
int w2v_dist_sum_u64(uint64_t *values, size_t count);

/* Σ over ranks of `count` floats, in place (allreduce SUM). */
int w2v_dist_sum_floats(float *values, size_t count);

/* Rank 0 receives every rank's `size` bytes at `bytes`: *all (free with
 * w2v_free) holds them in rank order, sizes[r] how many came from rank r
 * (sizes has w2v_dist_size() entries). Other ranks get *all = NULL. Each
 * rank's part must be under 2 GiB (MPI counts are ints). */
int w2v_dist_gather(const void *bytes, uint64_t size, unsigned char **all, uint64_t *sizes);

/* Ends every rank of the job at once (MPI_Abort, exit status 1). */
_Noreturn void w2v_dist_abort(void);

/* This rank's counters so far. */
void w2v_dist_get_stats(struct w2v_dist_stats *stats);
void w2v_dist_count_sync(uint64_t rows);

#endif
