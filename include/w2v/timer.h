/* timer.h — wall-clock time in seconds (CLOCK_MONOTONIC), for every figure w2v reports. */
#ifndef W2V_TIMER_H
#define W2V_TIMER_H

#include <time.h>

static inline double w2v_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
