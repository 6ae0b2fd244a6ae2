/* args.c — strict option-value parsing shared by every subcommand. */
#include "args.h"

#include "w2v/error.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int w2v_parse_u64(const char *flag, const char *text, uint64_t min, uint64_t max, uint64_t *out) {
    char *end = NULL;
    unsigned long long value = 0;
    errno = 0;
    if (text && *text && *text != '-') value = strtoull(text, &end, 10);
    if (!text || !*text || *text == '-' || errno || !end || *end || value < min || value > max)
        return w2v_error("invalid value for %s: '%s' (expected an integer from %" PRIu64
                         " to %" PRIu64 ")",
                         flag, text ? text : "", min, max);
    *out = value;
    return 0;
}

int w2v_parse_u32(const char *flag, const char *text, uint32_t min, uint32_t max, uint32_t *out) {
    uint64_t value = 0;
    if (w2v_parse_u64(flag, text, min, max, &value) != 0) return -1;
    *out = (uint32_t)value;
    return 0;
}

int w2v_parse_double(const char *flag, const char *text, double min, double max, double *out) {
    char *end = NULL;
    errno = 0;
    double value = text ? strtod(text, &end) : NAN;
    if (!text || !*text || errno || !end || *end || !isfinite(value) || value < min || value > max)
        return w2v_error("invalid value for %s: '%s' (expected a number from %g to %g)", flag,
                         text ? text : "", min, max);
    *out = value;
    return 0;
}

int w2v_parse_bool(const char *flag, const char *text, bool *out) {
    static const char *truths[] = {"1", "true", "yes", "on"};
    static const char *falsities[] = {"0", "false", "no", "off"};
    for (size_t i = 0; text && i < 4; i++) {
        if (strcasecmp(text, truths[i]) == 0) return *out = true, 0;
        if (strcasecmp(text, falsities[i]) == 0) return *out = false, 0;
    }
    return w2v_error("invalid value for %s: '%s' (expected 0 or 1)", flag, text ? text : "");
}

int w2v_report_error(void) {
    fprintf(stderr, "w2v: %s\n", w2v_last_error());
    return 1;
}
