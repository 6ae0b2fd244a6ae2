/* error.h — one-line error messages for the library.
 *
 * Library functions that can fail return a negative value (or NULL) and record
 * a single human-readable line here; the command-line front end prints it as
 * "w2v: <message>" and exits non-zero. The message is thread-local, so worker
 * threads never clobber each other's errors. */
#ifndef W2V_ERROR_H
#define W2V_ERROR_H

#if defined(__GNUC__)
#define W2V_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define W2V_PRINTF(fmt_index, first_arg)
#endif

/* Records an error message (printf-style, no trailing newline). Always returns -1,
 * so callers can write `return w2v_error("...")`. */
int w2v_error(const char *fmt, ...) W2V_PRINTF(1, 2);

/* The last message recorded on this thread, or "" if none. */
const char *w2v_last_error(void);

#endif
