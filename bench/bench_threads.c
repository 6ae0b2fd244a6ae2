/* bench_threads.c — parses the harness's thread-count lists (see bench_threads.h). */
#include "bench_threads.h"

#include "w2v/error.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Reads a number 1..W2V_BENCH_MAX_THREADS at *p, advancing *p past it. */
static bool read_count(const char **p, uint32_t *out) {
    if (!isdigit((unsigned char)**p)) return false;
    uint64_t value = 0;
    while (isdigit((unsigned char)**p)) {
        value = value * 10 + (uint64_t)(**p - '0');
        if (value > W2V_BENCH_MAX_THREADS) return false;
        (*p)++;
    }
    if (value == 0) return false;
    *out = (uint32_t)value;
    return true;
}

int w2v_bench_parse_threads(const char *text, uint32_t **counts, size_t *count) {
    *counts = NULL, *count = 0;
    if (!text || !*text) return w2v_error("invalid value for --threads: empty list");
    bool wanted[W2V_BENCH_MAX_THREADS + 1] = {false};
    const char *p = text;
    for (;;) {
        const char *item = p;
        uint32_t low = 0, high = 0;
        bool ok = read_count(&p, &low);
        high = low;
        if (ok && *p == '-') {
            p++;
            ok = read_count(&p, &high) && high >= low;
        }
        if (!ok || (*p != ',' && *p != '\0')) {
            size_t item_len = strcspn(item, ",");
            return w2v_error("invalid value for --threads: '%.*s' in '%s' (expected counts such "
                             "as 1,2,4 or ranges such as 1-16, from 1 to %u)",
                             (int)item_len, item, text, W2V_BENCH_MAX_THREADS);
        }
        for (uint32_t t = low; t <= high; t++) wanted[t] = true;
        if (*p == '\0') break;
        p++; /* the comma */
    }
    uint32_t *list = malloc(W2V_BENCH_MAX_THREADS * sizeof *list);
    if (!list) return w2v_error("out of memory");
    size_t n = 0;
    for (uint32_t t = 1; t <= W2V_BENCH_MAX_THREADS; t++)
        if (wanted[t]) list[n++] = t;
    *counts = list, *count = n;
    return 0;
}

int w2v_bench_threads_up_to(uint32_t max, uint32_t **counts, size_t *count) {
    if (max < 1) max = 1;
    if (max > W2V_BENCH_MAX_THREADS) max = W2V_BENCH_MAX_THREADS;
    uint32_t *list = malloc(max * sizeof *list);
    if (!list) return w2v_error("out of memory");
    for (uint32_t t = 0; t < max; t++) list[t] = t + 1;
    *counts = list, *count = max;
    return 0;
}
