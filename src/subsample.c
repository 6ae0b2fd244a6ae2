/* subsample.c — keep-probability thresholds for frequent-word subsampling. */
#include "w2v/subsample.h"

#include "w2v/alloc.h"

#include <math.h>
#include <string.h>

double w2v_subsample_keep_probability(uint64_t count, uint64_t total_count, double sample) {
    if (sample <= 0 || count == 0) return 1.0;
    double scaled = sample * (double)total_count;
    double keep = (sqrt((double)count / scaled) + 1.0) * scaled / (double)count;
    return keep < 1.0 ? keep : 1.0;
}

void w2v_subsample_init(struct w2v_subsample *subsample, const uint64_t *counts, uint32_t size,
                        uint64_t total_count, double sample) {
    subsample->size = size;
    subsample->keep_threshold = w2v_xmalloc((size ? size : 1) * sizeof *subsample->keep_threshold);
    for (uint32_t i = 0; i < size; i++) {
        double keep = w2v_subsample_keep_probability(counts[i], total_count, sample);
        subsample->keep_threshold[i] = (uint64_t)(keep * 4294967296.0);
    }
}

void w2v_subsample_free(struct w2v_subsample *subsample) {
    w2v_free(subsample->keep_threshold);
    memset(subsample, 0, sizeof *subsample);
}
