/* signals.h — what a signal does to a w2v process, and what it must clean up.
 *
 * Two registries that signal handlers read without locks:
 *   - tracked files: temporaries (atomic outputs, id streams, checkpoints in
 *     progress) to unlink if the process is ended by a signal;
 *   - tracked mappings: memory-mapped inputs. A SIGBUS inside one means the
 *     file shrank under w2v; the handler says "<what> '<path>' changed while
 *     being read", removes the tracked files and exits 1.
 * And two request flags for long runs: a graceful stop (SIGINT/SIGTERM when
 * graceful mode is on; a second SIGINT still ends the process at once) and a
 * checkpoint request (SIGUSR1).
 *
 * Library code only tracks and untracks; w2v_signals_install() is for
 * programs (the w2v command line calls it once in main). Tracking is
 * thread-safe; a full registry is not an error (the file is simply not
 * removed by a signal handler, only by the normal error paths). */
#ifndef W2V_SIGNALS_H
#define W2V_SIGNALS_H

#include <stdbool.h>
#include <stddef.h>

/* Remembers `path` (copied) for removal on a fatal signal; returns a slot for
 * untrack, or −1 when the registry is full or the path too long. */
int w2v_signals_track_file(const char *path);
void w2v_signals_untrack_file(int slot); /* −1 is ignored */

/* Remembers a mapped input [addr, addr + size); `what` is "corpus", "vectors
 * file", ... (a string constant). Returns a slot, or −1. While it is tracked
 * no output may replace the file (atomic_file.h asks w2v_signals_mapped_file). */
int w2v_signals_track_mapping(const void *addr, size_t size, const char *what, const char *path);
void w2v_signals_untrack_mapping(int slot); /* −1 is ignored */

/* The path of a tracked mapping of the file `st` describes (same device and
 * inode, by a stat of each tracked path now), or NULL. Not for handlers. */
struct stat;
const char *w2v_signals_mapped_file(const struct stat *st);

/* Installs the handlers: SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM,
 * SIGXCPU, SIGVTALRM, SIGPROF and SIGUSR2 remove the tracked files and end the
 * process with that signal; so do SIGSEGV, SIGFPE, SIGILL, SIGABRT, SIGTRAP
 * and SIGSYS where no handler (a sanitizer's) is installed yet; SIGBUS as
 * above; SIGXFSZ is ignored (the write then fails with EFBIG and is reported);
 * SIGUSR1 sets the checkpoint request (it never kills). A signal the process
 * inherited as ignored (nohup's SIGHUP) stays ignored. An exit() with tracked
 * files (an out-of-memory exit on an error path) removes them too. */
void w2v_signals_install(void);

/* Graceful mode: SIGINT and SIGTERM only record a stop request (the trainer
 * checkpoints and returns); a second SIGINT, or any signal once graceful mode
 * is off again, ends the process as above. */
void w2v_signals_set_graceful(bool on);

/* The signal number of a pending stop request, or 0. */
int w2v_signals_stop_requested(void);

/* True once per SIGUSR1 received (the flag is cleared by reading it). */
bool w2v_signals_take_checkpoint_request(void);

#endif
