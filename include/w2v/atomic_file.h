/* atomic_file.h — output files that never destroy anything.
 *
 * Every file w2v writes (vectors, vocabularies, benchmark reports, plots) goes
 * through this. What happens depends on what the output path names:
 *   - a regular file, or nothing yet: the data lands in a temporary
 *     "<target>.tmp.<pid>.XXXXXX" beside it and is renamed over it only after
 *     every byte was written, flushed and synced. A failed or interrupted run
 *     never leaves a half-written output, and an existing file is replaced
 *     all at once or not at all;
 *   - a symbolic link (a chain of them, or a dangling one): the same, beside
 *     the file the link points to; the link itself stays a link;
 *   - a character device or a FIFO (/dev/null, /dev/stdout through a pipe,
 *     /dev/full): written directly, never replaced by a file;
 *   - a directory, a block device or a socket: refused.
 * An output is also refused if it is the same file as an input the process
 * noted (w2v_atomic_note_input: the vector, vocabulary and corpus readers note
 * theirs), checked when it is opened and again just before the rename.
 *
 * The temporary is tracked for the signal handlers (signals.h) from its
 * creation until after its rename. Opening an output also removes stale
 * temporaries of the same target whose process (the pid in the name) no
 * longer runs: what an earlier run killed by SIGKILL or a power cut left. */
#ifndef W2V_ATOMIC_FILE_H
#define W2V_ATOMIC_FILE_H

#include <stdbool.h>
#include <stdio.h>

struct w2v_atomic_sink; /* the stream's file descriptor and its first write error */

struct w2v_atomic_file {
    FILE *fp;         /* write here */
    char *final_path; /* renamed to on commit (the symlinks resolved), or written directly */
    char *temp_path;  /* the temporary beside it; NULL when written directly */
    int tracked;      /* its slot in the signal handlers' clean-up list (signals.h), or -1 */
    struct w2v_atomic_sink *sink;
};

/* Creates the temporary next to `path` (or opens a device or FIFO). Fails
 * (with w2v_error set) if the directory is not writable, the target is the
 * same file as a noted input, or the target is a kind of file that must not
 * be replaced, so callers can check outputs before long work. */
int w2v_atomic_open(struct w2v_atomic_file *file, const char *path);

/* Flushes, syncs, closes and renames over the final path. On any error the
 * temporary is removed and -1 is returned with the error recorded, naming the
 * system's reason for the first failed write ("No space left on device"). */
int w2v_atomic_commit(struct w2v_atomic_file *file);

/* Closes and removes the temporary; the final path is left untouched. */
void w2v_atomic_abort(struct w2v_atomic_file *file);

/* Notes `path` as an input of this process: no output may then be the same
 * file (same device and inode). Call it when an input is opened, or earlier
 * from the command line before its outputs are opened. A path that does not
 * exist (or cannot be inspected) is ignored: its reader reports that. Inputs
 * stay noted until w2v_atomic_forget_inputs(). Thread-safe. */
void w2v_atomic_note_input(const char *path);

/* The same for an open file descriptor (no race with a rename of the path). */
void w2v_atomic_note_input_fd(int fd, const char *path);

/* Forgets every noted input (tests; a program that reads and writes in turns). */
void w2v_atomic_forget_inputs(void);

/* Removes the stale temporaries of `path` (see above); returns how many. */
int w2v_atomic_remove_stale(const char *path);

#endif
