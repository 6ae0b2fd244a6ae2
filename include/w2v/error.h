/* error.h — one-line error messages, and the error policy of w2v.
 *
 * The policy:
 *   - Library code (everything but the command line, src/cli/) never prints an
 *     error and never calls exit() or abort(). A function that can fail
 *     returns a negative value (or NULL), records one human-readable line with
 *     w2v_error(), and leaves its outputs freed or safe to free; its caller
 *     returns the failure on up. Where a safe fallback exists the library takes
 *     it instead (a thread that cannot start runs its job on the caller's
 *     thread; an unusable W2V_ISA selects the default kernels, and
 *     w2v_kernels_check_env() lets the command line refuse it).
 *   - Only the command line prints, as "w2v: <message>", and chooses the exit
 *     status (2 for usage errors, 1 for the rest).
 *   - The one exception is running out of memory: w2v_xmalloc and the other
 *     allocators in alloc.c print "w2v: out of memory ..." and exit(1), so no
 *     caller checks an allocation.
 *
 * The message is thread-local, so worker threads never clobber each other's
 * errors; a worker whose failure the calling thread must report copies
 * w2v_last_error() into its job (W2V_ERROR_MAX bytes) for the caller to
 * record again. */
#ifndef W2V_ERROR_H
#define W2V_ERROR_H

#if defined(__GNUC__)
#define W2V_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define W2V_PRINTF(fmt_index, first_arg)
#endif

/* The longest message kept, its NUL included (a longer one is cut). */
#define W2V_ERROR_MAX 512

/* Records an error message (printf-style, no trailing newline). Always returns -1,
 * so callers can write `return w2v_error("...")`. */
int w2v_error(const char *fmt, ...) W2V_PRINTF(1, 2);

/* The last message recorded on this thread, or "" if none. */
const char *w2v_last_error(void);

#endif
