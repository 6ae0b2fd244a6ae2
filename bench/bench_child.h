/* bench_child.h — runs a program as a child process, capturing its stdout and
 * measuring its wall time and peak resident memory (wait4's ru_maxrss). */
#ifndef W2V_BENCH_CHILD_H
#define W2V_BENCH_CHILD_H

#include <stddef.h>

struct w2v_bench_child {
    char *output; /* all of stdout, NUL-terminated (free with free()) */
    size_t output_len;
    int exit_status; /* exit code, or 128 + signal number */
    double wall_seconds;
    double max_rss_mib;
};

/* Runs argv[0] (a path, or a name looked up in PATH) with stdin from
 * /dev/null, stdout captured and stderr inherited (or sent to /dev/null when
 * quiet_stderr). Returns -1 with a w2v_error message if it could not be
 * started; a program that ran and failed returns 0 with exit_status != 0. */
int w2v_bench_run_child(char *const argv[], int quiet_stderr, struct w2v_bench_child *out);

/* argv joined with spaces, each argument shell-quoted where it needs it (malloc'd). */
char *w2v_bench_command_line(char *const argv[]);

#endif
