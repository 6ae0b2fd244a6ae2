/* atomic_file.h — write-to-temporary-then-rename output files.
 *
 * Every file w2v writes (vectors, vocabularies, benchmark reports, plots) goes
 * through this: the data lands in "<path>.tmp.XXXXXX" beside the target and is
 * renamed over it only after every byte was written and flushed. A failed or
 * interrupted run therefore never leaves a half-written output, and an existing
 * file is replaced all at once or not at all. */
#ifndef W2V_ATOMIC_FILE_H
#define W2V_ATOMIC_FILE_H

#include <stdio.h>

struct w2v_atomic_file {
    FILE *fp;         /* write here */
    char *final_path; /* renamed to on commit */
    char *temp_path;  /* the temporary beside it */
    int tracked;      /* its slot in the signal handlers' clean-up list (signals.h), or -1 */
};

/* Creates the temporary next to `path`. Fails (with w2v_error set) if the
 * directory is not writable, so callers can check outputs before long work. */
int w2v_atomic_open(struct w2v_atomic_file *file, const char *path);

/* Flushes, syncs, closes and renames over the final path. On any write error
 * the temporary is removed and -1 is returned with the error recorded. */
int w2v_atomic_commit(struct w2v_atomic_file *file);

/* Closes and removes the temporary; the final path is left untouched. */
void w2v_atomic_abort(struct w2v_atomic_file *file);

#endif
