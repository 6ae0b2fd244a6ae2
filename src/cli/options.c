/* options.c — the table-driven command-line parser (see options.h): spellings,
 * strict value parsing for each kind, the generated help, and the one place
 * that turns a usage or runtime error into a line on stderr and an exit code. */
#include "options.h"

#include "w2v/error.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- values ---------------------------------------------------------------------------- */

int w2v_parse_u64(const char *flag, const char *text, uint64_t min, uint64_t max, uint64_t *out) {
    char *end = NULL;
    unsigned long long value = 0;
    errno = 0;
    if (*text && *text != '-') value = strtoull(text, &end, 10);
    if (!*text || *text == '-' || errno || !end || *end || value < min || value > max)
        return w2v_error("invalid value for %s: '%s' (expected an integer from %" PRIu64
                         " to %" PRIu64 ")",
                         flag, text, min, max);
    *out = value;
    return 0;
}

static int parse_double(const char *flag, const char *text, double min, double max, double *out) {
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    bool any = min == 0 && max == 0;
    if (!*text || errno || !end || *end || !isfinite(value) ||
        (!any && (value < min || value > max))) {
        if (any) return w2v_error("invalid value for %s: '%s' (expected a number)", flag, text);
        return w2v_error("invalid value for %s: '%s' (expected a number from %g to %g)", flag, text,
                         min, max);
    }
    *out = value;
    return 0;
}

int w2v_parse_bool(const char *flag, const char *text, bool *out) {
    static const char *truths[] = {"1", "true", "yes", "on"};
    static const char *falsities[] = {"0", "false", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(text, truths[i]) == 0) return *out = true, 0;
        if (strcasecmp(text, falsities[i]) == 0) return *out = false, 0;
    }
    return w2v_error("invalid value for %s: '%s' (expected 0 or 1)", flag, text);
}

static int parse_choice(const char *flag, const char *text, const struct w2v_option_choice *choices,
                        int *out) {
    for (const struct w2v_option_choice *c = choices; c->name; c++)
        if (strcmp(text, c->name) == 0) return *out = c->value, 0;
    char expected[160] = "";
    for (const struct w2v_option_choice *c = choices; c->name; c++) {
        size_t used = strlen(expected);
        snprintf(expected + used, sizeof expected - used, "%s%s", c == choices ? "" : "|", c->name);
    }
    return w2v_error("invalid value for %s: '%s' (expected %s)", flag, text, expected);
}

int w2v_parse_size(const char *flag, const char *text, uint64_t *bytes, uint64_t *words) {
    *bytes = *words = 0;
    const char *p = text ? text : "";
    char *end = NULL;
    uint64_t value = 0;
    errno = 0;
    if (isdigit((unsigned char)*p)) value = strtoull(p, &end, 10);
    bool any_digit = end != NULL && errno == 0;
    if (end) p = end;
    uint64_t scale = 1;
    bool in_words = false;
    switch (*p) {
    case 'k':
    case 'K':
        scale = (uint64_t)1 << 10, p++;
        break;
    case 'm':
    case 'M':
        scale = (uint64_t)1 << 20, p++;
        break;
    case 'g':
    case 'G':
        scale = (uint64_t)1 << 30, p++;
        break;
    case 'w':
    case 'W':
        in_words = true, p++;
        break;
    default:
        break;
    }
    if (!any_digit || *p != '\0' || value == 0 || value > UINT64_MAX / scale)
        return w2v_error("invalid value for %s: '%s' (expected a non-zero size: 1G, 500M, 64K or "
                         "123456 bytes, or 2000000w words)",
                         flag, text ? text : "");
    if (in_words)
        *words = value;
    else
        *bytes = value * scale;
    return 0;
}

/* ---- spellings ------------------------------------------------------------------------- */

/* Whether `word` (length len) is one of the spellings in `list`, separated by
 * ", " or " ". With one_dash, "-name" also matches "--name". */
static bool spelt(const char *list, const char *word, size_t len, bool one_dash) {
    for (const char *p = list; p && *p;) {
        while (*p == ' ' || *p == ',') p++;
        size_t n = strcspn(p, ", ");
        if (n == len && strncmp(p, word, len) == 0) return true;
        if (one_dash && n == len + 1 && p[0] == '-' && p[1] == '-' && word[0] == '-' &&
            word[1] != '-' && strncmp(p + 1, word, len) == 0)
            return true;
        p += n;
    }
    return false;
}

static bool applies(const struct w2v_command_spec *spec, const struct w2v_option *o) {
    return o->kind > W2V_OPT_HELP && (o->variants == 0 || (o->variants & spec->variant));
}

static const struct w2v_option *find_option(const struct w2v_command_spec *spec, const char *word,
                                            size_t len) {
    for (const struct w2v_option *o = spec->options; o->kind != W2V_OPT_END; o++)
        if (applies(spec, o) && (spelt(o->names, word, len, spec->one_dash_long) ||
                                 spelt(o->also, word, len, spec->one_dash_long)))
            return o;
    return NULL;
}

/* The name messages use: the first long spelling ("--output" of "-o, --output"). */
static void canonical_name(const struct w2v_option *o, char *out, size_t size) {
    const char *p = strstr(o->names, "--");
    if (!p) p = o->names;
    size_t n = strcspn(p, ", ");
    snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

static const char *program(const struct w2v_command_spec *spec) {
    return spec->program ? spec->program : "w2v";
}

static int usage_failure(const struct w2v_command_spec *spec, const char *what, const char *arg) {
    if (spec->name)
        return w2v_error("%s '%s' (see '%s %s --help')", what, arg, program(spec), spec->name);
    return w2v_error("%s '%s' (see '%s --help')", what, arg, program(spec));
}

/* ---- "did you mean" -------------------------------------------------------------------- */

/* The optimal-string-alignment distance between a[0..n) and b[0..m): insertions,
 * deletions, substitutions and swaps of neighbours ("trian" -> "train") cost 1. */
static size_t edit_distance(const char *a, size_t n, const char *b, size_t m) {
    enum { LONGEST = 63 };
    if (n > LONGEST || m > LONGEST) return SIZE_MAX;
    size_t d[LONGEST + 1][LONGEST + 1];
    for (size_t i = 0; i <= n; i++) d[i][0] = i;
    for (size_t j = 0; j <= m; j++) d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

/* The spelling of this command's options nearest to the unknown `word` (len
 * bytes), dashes aside, written into `out` ("--train"; "-train" where the user
 * wrote one dash and the command takes word2vec.c's spelling). Only close
 * spellings count: 1 edit for words up to 4 letters, 2 up to 8, 3 beyond, and
 * always fewer edits than the word has letters. Returns whether there is one. */
static bool nearest_spelling(const struct w2v_command_spec *spec, const char *word, size_t len,
                             char *out, size_t size) {
    size_t dashes = strspn(word, "-");
    const char *body = word + dashes;
    size_t n = len - dashes;
    size_t best = n <= 4 ? 2 : n <= 8 ? 3 : 4; /* one more than allowed */
    if (best > n) best = n;
    bool found = false;
    for (const struct w2v_option *o = spec->options; o->kind != W2V_OPT_END; o++) {
        if (!applies(spec, o)) continue;
        for (const char *list = o->names;; list = o->also) {
            for (const char *p = list; p && *p;) {
                while (*p == ' ' || *p == ',') p++;
                size_t m = strcspn(p, ", ");
                size_t skip = strspn(p, "-");
                size_t d = skip < m ? edit_distance(body, n, p + skip, m - skip) : SIZE_MAX;
                if (d < best) {
                    best = d, found = true;
                    bool one_dash = spec->one_dash_long && dashes == 1 && skip == 2;
                    snprintf(out, size, "%.*s", (int)(m - one_dash), p + one_dash);
                }
                p += m;
            }
            if (list == o->also) break;
        }
    }
    return found;
}

static int unknown_option(const struct w2v_command_spec *spec, const char *arg, size_t len) {
    char suggestion[80];
    if (nearest_spelling(spec, arg, len, suggestion, sizeof suggestion))
        return w2v_error("unknown option '%s' (did you mean %s?)", arg, suggestion);
    return usage_failure(spec, "unknown option", arg);
}

/* ---- parsing --------------------------------------------------------------------------- */

static int store(const struct w2v_option *o, const char *flag, const char *text, void *values) {
    void *target = (char *)values + o->offset;
    switch (o->kind) {
    case W2V_OPT_STRING:
        *(const char **)target = text;
        return 0;
    case W2V_OPT_U32: {
        uint64_t value;
        if (w2v_parse_u64(flag, text, o->min, o->max ? o->max : UINT32_MAX, &value) != 0) return -1;
        *(uint32_t *)target = (uint32_t)value;
        return 0;
    }
    case W2V_OPT_U64:
        return w2v_parse_u64(flag, text, o->min, o->max ? o->max : UINT64_MAX, target);
    case W2V_OPT_DOUBLE:
        return parse_double(flag, text, o->dmin, o->dmax, target);
    case W2V_OPT_BOOL:
        return w2v_parse_bool(flag, text, target);
    case W2V_OPT_CHOICE:
        return parse_choice(flag, text, o->choices, target);
    case W2V_OPT_SIZE: {
        struct w2v_size_arg *size = target;
        return w2v_parse_size(flag, text, &size->bytes, &size->words);
    }
    case W2V_OPT_CUSTOM:
        return o->parse(flag, text, values);
    default:
        return 0;
    }
}

static bool is_help(const char *arg) {
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int w2v_options_parse(const struct w2v_command_spec *spec, int argc, char **argv, void *values,
                      struct w2v_parsed *parsed) {
    memset(parsed, 0, sizeof *parsed);
    parsed->positional = calloc((size_t)argc + 1, sizeof *parsed->positional);
    if (!parsed->positional) return w2v_error("out of memory");
    bool only_positional = false;
    for (int i = 1; i < argc; i++) {
        char *arg = argv[i];
        if (!only_positional && strcmp(arg, "--") == 0) {
            if (spec->passthrough) {
                parsed->rest = argv + i + 1;
                parsed->rest_count = argc - i - 1;
                break;
            }
            only_positional = true;
            continue;
        }
        if (only_positional || arg[0] != '-' || arg[1] == '\0') {
            parsed->positional[parsed->positional_count++] = arg;
            continue;
        }
        size_t len = strcspn(arg, "=");
        const struct w2v_option *o = find_option(spec, arg, len);
        if (!o && is_help(arg)) {
            w2v_options_help(spec, stdout);
            return 1;
        }
        if (!o) return unknown_option(spec, arg, len);
        parsed->given[o - spec->options] = true;
        char flag[64];
        canonical_name(o, flag, sizeof flag);
        const char *value = arg[len] == '=' ? arg + len + 1 : NULL;
        if (o->kind == W2V_OPT_FLAG) {
            if (value) return w2v_error("option %.*s takes no value", (int)len, arg);
            *(bool *)((char *)values + o->offset) = true;
            continue;
        }
        if (!value && i + 1 >= argc) return w2v_error("option %s needs a value", arg);
        if (!value) value = argv[++i];
        if (store(o, flag, value, values) != 0) return -1;
    }
    for (const struct w2v_option *o = spec->options; o->kind != W2V_OPT_END; o++)
        if (o->missing && applies(spec, o) && !parsed->given[o - spec->options])
            return w2v_error("%s", o->missing);
    if (parsed->positional_count < spec->min_positional)
        return w2v_error("%s",
                         spec->missing_positional ? spec->missing_positional : "missing arguments");
    if (spec->max_positional >= 0 && parsed->positional_count > spec->max_positional)
        return usage_failure(spec, "unexpected argument", parsed->positional[spec->max_positional]);
    return 0;
}

void w2v_parsed_free(struct w2v_parsed *parsed) {
    free(parsed->positional);
    parsed->positional = NULL;
}

bool w2v_option_given(const struct w2v_command_spec *spec, const struct w2v_parsed *parsed,
                      const char *name) {
    const struct w2v_option *o = find_option(spec, name, strlen(name));
    return o && parsed->given[o - spec->options];
}

/* ---- help ------------------------------------------------------------------------------ */

void w2v_options_help(const struct w2v_command_spec *spec, FILE *out) {
    int column = spec->column ? spec->column : 24;
    if (spec->usage) fputs(spec->usage, out);
    for (const struct w2v_option *o = spec->options; o->kind != W2V_OPT_END; o++) {
        if (!o->help || (o->variants && !(o->variants & spec->variant))) continue;
        if (o->kind == W2V_OPT_TEXT) {
            fprintf(out, "%s\n", o->help);
            continue;
        }
        const char *names = o->kind == W2V_OPT_HELP && !o->names ? "--help" : o->names;
        int width = fprintf(out, "  %s%s%s", names, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(out, "%*s", width < column ? column - width : 2, "");
        for (const char *line = o->help;; line++) { /* later lines start at `column` too */
            size_t n = strcspn(line, "\n");
            if (line != o->help && n > 0) fprintf(out, "%*s", column, "");
            fprintf(out, "%.*s\n", (int)n, line);
            line += n;
            if (*line == '\0') break;
        }
    }
    if (spec->epilogue) fputs(spec->epilogue, out);
}

/* ---- errors ---------------------------------------------------------------------------- */

int w2v_options_stop(int parsed) {
    return parsed > 0 ? 0 : w2v_usage_error();
}

size_t w2v_print_escaped(FILE *out, const char *text) {
    size_t columns = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        /* C0 controls and DEL, and C1 controls as UTF-8 encodes them (0xC2
         * 0x80-0x9F: a terminal may take 0xC2 0x9B as CSI). */
        bool c1 = s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F;
        if (*s < 0x20 || *s == 0x7F || c1) {
            fprintf(out, "\\x%02X", *s);
            columns += 4;
            if (c1) fprintf(out, "\\x%02X", *++s), columns += 4;
        } else {
            fputc(*s, out);
            columns += (*s & 0xC0) != 0x80; /* UTF-8 continuation bytes take no column */
        }
    }
    return columns;
}

/* "w2v: <last error>" on stderr, control bytes (from a file's words) escaped. */
static void print_error_line(void) {
    fputs("w2v: ", stderr);
    w2v_print_escaped(stderr, w2v_last_error());
    fputc('\n', stderr);
}

int w2v_usage_error(void) {
    print_error_line();
    return 2;
}

int w2v_report_error(void) {
    print_error_line();
    return 1;
}
