/* json.h — the little JSON writing the subcommands' --json output needs. */
#ifndef W2V_CLI_JSON_H
#define W2V_CLI_JSON_H

#include <stdio.h>

/* Writes `text` as a JSON string literal (quotes and escapes included). */
void w2v_json_string(FILE *out, const char *text);

/* Writes a number with printf's `format` (such as "%.6f"), or null if it is
 * NaN or infinite (JSON has neither). */
void w2v_json_number_as(FILE *out, const char *format, double value);

/* The same with "%.10g". */
void w2v_json_number(FILE *out, double value);

#endif
