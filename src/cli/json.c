/* json.c — JSON string escaping and numbers for --json output. */
#include "json.h"

#include <math.h>

void w2v_json_string(FILE *out, const char *text) {
    fputc('"', out);
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(out, "\\%c", *s);
        else if (*s == '\n')
            fputs("\\n", out);
        else if (*s == '\t')
            fputs("\\t", out);
        else if (*s < 0x20)
            fprintf(out, "\\u%04x", *s);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

void w2v_json_number_as(FILE *out, const char *format, double value) {
    if (isfinite(value))
        fprintf(out, format, value);
    else
        fputs("null", out);
}

void w2v_json_number(FILE *out, double value) {
    w2v_json_number_as(out, "%.10g", value);
}
