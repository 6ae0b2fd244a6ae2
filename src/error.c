/* error.c — the thread-local last-error line behind w2v_error(). */
#include "w2v/error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_error[W2V_ERROR_MAX];

int w2v_error(const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, args);
    va_end(args);
    return -1;
}

const char *w2v_last_error(void) {
    return last_error;
}
