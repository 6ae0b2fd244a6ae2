/* bench_child.c — fork/exec with captured stdout and wait4 rusage (see bench_child.h). */
#include "bench_child.h"

#include "w2v/error.h"
#include "w2v/timer.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int w2v_bench_run_child(char *const argv[], int quiet_stderr, struct w2v_bench_child *out) {
    memset(out, 0, sizeof *out);
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return w2v_error("cannot create a pipe: %s", strerror(errno));
    double start = w2v_now();
    pid_t pid = fork();
    if (pid < 0) {
        close(pipe_fds[0]), close(pipe_fds[1]);
        return w2v_error("cannot fork: %s", strerror(errno));
    }
    if (pid == 0) {
        int null_fd = open("/dev/null", O_RDWR);
        if (null_fd >= 0) {
            dup2(null_fd, STDIN_FILENO);
            if (quiet_stderr) dup2(null_fd, STDERR_FILENO);
        }
        dup2(pipe_fds[1], STDOUT_FILENO);
        close(pipe_fds[0]), close(pipe_fds[1]);
        execvp(argv[0], argv);
        dprintf(STDERR_FILENO, "w2v-bench: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(pipe_fds[1]);
    size_t capacity = 4096, len = 0;
    char *buffer = malloc(capacity);
    for (;;) {
        if (buffer && len + 1 >= capacity) {
            char *grown = realloc(buffer, capacity * 2);
            if (!grown) free(buffer);
            buffer = grown, capacity *= 2;
        }
        if (!buffer) break;
        ssize_t got = read(pipe_fds[0], buffer + len, capacity - len - 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        len += (size_t)got;
    }
    close(pipe_fds[0]);
    int status = 0;
    struct rusage usage;
    memset(&usage, 0, sizeof usage);
    while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    out->wall_seconds = w2v_now() - start;
    out->max_rss_mib = (double)usage.ru_maxrss / 1024.0; /* Linux reports KiB */
    if (WIFEXITED(status))
        out->exit_status = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        out->exit_status = 128 + WTERMSIG(status);
    if (!buffer) return w2v_error("out of memory reading the output of %s", argv[0]);
    buffer[len] = '\0';
    out->output = buffer, out->output_len = len;
    return 0;
}

/* Characters that never need quoting in a POSIX shell word. */
static int is_plain(const char *arg) {
    if (!*arg) return 0;
    for (const char *p = arg; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=.,/:@%", *p))
            return 0;
    return 1;
}

char *w2v_bench_command_line(char *const argv[]) {
    size_t size = 1;
    for (size_t i = 0; argv[i]; i++) size += 4 * strlen(argv[i]) + 3;
    char *line = malloc(size), *p = line;
    if (!line) return NULL;
    for (size_t i = 0; argv[i]; i++) {
        if (i > 0) *p++ = ' ';
        if (is_plain(argv[i])) {
            p = stpcpy(p, argv[i]);
            continue;
        }
        *p++ = '\'';
        for (const char *c = argv[i]; *c; c++) {
            if (*c == '\'')
                p = stpcpy(p, "'\\''");
            else
                *p++ = *c;
        }
        *p++ = '\'';
    }
    *p = '\0';
    return line;
}
