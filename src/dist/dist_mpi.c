/* dist_mpi.c — dist.h over MPI (OpenMPI from Debian, or any MPI-3 library).
 *
 * Every collective goes through `timed` bookkeeping so --json can say how many
 * bytes this rank communicated and for how long. Errors of the MPI library
 * itself abort the job (MPI's default handler): a rank that cannot talk to the
 * others cannot recover in a data-parallel run. */
#include "dist.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/timer.h"

#include <mpi.h>
#include <stdlib.h>
#include <string.h>

static int initialised, rank, size = 1;
static struct w2v_dist_stats stats;

bool w2v_dist_built(void) {
    return true;
}

/* Started by a launcher? OpenMPI's mpirun, MPICH/Hydra and Slurm's PMI, PMIx (srun --mpi=pmix). */
static bool launched_by_mpi(void) {
    static const char *const markers[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK",
                                          "MPI_LOCALNRANKS"};
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
        if (getenv(markers[i])) return true;
    return false;
}

int w2v_dist_init(int *argc, char ***argv) {
    if (!launched_by_mpi()) return 0;
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS)
        return w2v_error("MPI_Init_thread failed");
    initialised = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (provided < MPI_THREAD_SERIALIZED)
        return w2v_error("the MPI library gives thread level %d; w2v needs MPI_THREAD_SERIALIZED",
                         provided);
    return 0;
}

void w2v_dist_finalize(void) {
    if (initialised) MPI_Finalize();
    initialised = 0;
}

int w2v_dist_rank(void) {
    return rank;
}
int w2v_dist_size(void) {
    return size;
}

static void account(double start, uint64_t bytes) {
    stats.seconds += w2v_now() - start;
    stats.bytes += bytes;
}

int w2v_dist_agree(int status, uint64_t fingerprint, bool *same_fingerprint) {
    *same_fingerprint = true;
    if (!initialised) return status != 0 ? 0 : -1;
    /* MIN of (failing rank or size), fingerprint and its complement: min == max iff all equal. */
    uint64_t values[3] = {status != 0 ? (uint64_t)rank : (uint64_t)size, fingerprint, ~fingerprint};
    double start = w2v_now();
    MPI_Allreduce(MPI_IN_PLACE, values, 3, MPI_UINT64_T, MPI_MIN, MPI_COMM_WORLD);
    account(start, sizeof values);
    *same_fingerprint = values[1] == ~values[2];
    return values[0] < (uint64_t)size ? (int)values[0] : -1;
}

int w2v_dist_sum_u64(uint64_t *values, size_t count) {
    if (!initialised) return 0;
    double start = w2v_now();
    MPI_Allreduce(MPI_IN_PLACE, values, (int)count, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
    account(start, count * sizeof *values);
    return 0;
}

int w2v_dist_sum_floats(float *values, size_t count) {
    if (!initialised) return 0;
    double start = w2v_now();
    const size_t piece_floats = W2V_DIST_MAX_MESSAGE / sizeof(float);
    for (size_t done = 0; done < count;) {
        size_t piece = count - done < piece_floats ? count - done : piece_floats;
        MPI_Allreduce(MPI_IN_PLACE, values + done, (int)piece, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        done += piece;
    }
    account(start, count * sizeof *values);
    return 0;
}

int w2v_dist_gather(const void *bytes, uint64_t count, unsigned char **all, uint64_t *sizes) {
    *all = NULL;
    if (!initialised) {
        *all = w2v_xmalloc(count + 1);
        if (count) memcpy(*all, bytes, count);
        sizes[0] = count;
        return 0;
    }
    double start = w2v_now();
    MPI_Gather(&count, 1, MPI_UINT64_T, sizes, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    int *counts = NULL, *offsets = NULL, failed = count >= (1u << 31);
    if (rank == 0) {
        counts = w2v_xcalloc((size_t)size, sizeof *counts);
        offsets = w2v_xcalloc((size_t)size, sizeof *offsets);
        uint64_t total = 0;
        for (int r = 0; r < size; r++) {
            failed |= sizes[r] >= (1u << 31) || total + sizes[r] >= (1u << 31);
            counts[r] = (int)sizes[r];
            offsets[r] = (int)total;
            total += sizes[r];
        }
        if (!failed) *all = w2v_xmalloc(total + 1);
    }
    /* Every rank learns whether the gather can be made (one message count too large). */
    MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (!failed)
        MPI_Gatherv(bytes, (int)count, MPI_BYTE, *all, counts, offsets, MPI_BYTE, 0,
                    MPI_COMM_WORLD);
    w2v_free(counts);
    w2v_free(offsets);
    account(start, count + sizeof count);
    if (failed) {
        w2v_free(*all);
        *all = NULL;
        return w2v_error("the ranks' states are too large to gather in one message (2 GiB)");
    }
    return 0;
}

void w2v_dist_get_stats(struct w2v_dist_stats *out) {
    *out = stats;
}

void w2v_dist_count_sync(uint64_t rows) {
    stats.syncs++;
    stats.rows += rows;
}

_Noreturn void w2v_dist_abort(void) {
    if (initialised) MPI_Abort(MPI_COMM_WORLD, 1);
    exit(1);
}
