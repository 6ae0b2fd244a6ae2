/* args.h — strict parsing of command-line option values.
 *
 * Every numeric flag goes through these: the whole string must be a number in
 * range, or the command stops with one line such as
 *   w2v: invalid value for --size: '0' (expected an integer from 1 to 4096) */
#ifndef W2V_CLI_ARGS_H
#define W2V_CLI_ARGS_H

#include <stdbool.h>
#include <stdint.h>

int w2v_parse_u64(const char *flag, const char *text, uint64_t min, uint64_t max, uint64_t *out);
int w2v_parse_u32(const char *flag, const char *text, uint32_t min, uint32_t max, uint32_t *out);
int w2v_parse_double(const char *flag, const char *text, double min, double max, double *out);
/* "0"/"1" (word2vec.c style) as well as "false"/"true", "no"/"yes". */
int w2v_parse_bool(const char *flag, const char *text, bool *out);

/* Prints "w2v: <last error>" to stderr and returns the exit status 1. */
int w2v_report_error(void);

#endif
