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

void w2v_json_number(FILE *out, double value) {
    if (isfinite(value))
        fprintf(out, "%.10g", value);
    else
        fputs("null", out);
}
