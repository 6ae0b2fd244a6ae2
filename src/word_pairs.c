/* word_pairs.c — loads word-pair similarity files (WordSim-353, SimLex-999). */
#include "read_line.h"
#include "w2v/alloc.h"
#include "w2v/atomic_file.h"
#include "w2v/error.h"
#include "w2v/eval.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_FIELDS = 32 };

/* Splits a line in place at tabs, dropping the line end; returns the field count. */
static size_t split_tabs(char *line, char **fields) {
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
    size_t n = 0;
    char *s = line;
    for (;;) {
        if (n < MAX_FIELDS) fields[n] = s;
        n++;
        char *tab = strchr(s, '\t');
        if (!tab) return n;
        *tab = '\0';
        s = tab + 1;
    }
}

static char *trimmed(char *s) {
    while (*s == ' ') s++;
    size_t len = strlen(s);
    while (len > 0 && s[len - 1] == ' ') s[--len] = '\0';
    return s;
}

static bool parse_score(const char *text, double *out) {
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (end == text || errno) return false;
    while (*end == ' ') end++;
    if (*end || !isfinite(value)) return false;
    *out = value;
    return true;
}

int w2v_word_pairs_load(const char *path, struct w2v_word_pairs *out) {
    memset(out, 0, sizeof *out);
    FILE *fp = fopen(path, "rb");
    if (!fp) return w2v_error("cannot open '%s': %s", path, strerror(errno));
    w2v_atomic_note_input_fd(fileno(fp), path); /* no output may replace it */
    char *line = w2v_xmalloc(W2V_READ_LINE_MAX + 2);
    size_t capacity = 0;
    uint64_t line_no = 0;
    size_t score_column = 2;
    bool first_data_line = true;
    int status = 0;
    int got;
    while ((got = w2v_read_line(fp, line)) != 0) {
        line_no++;
        if (got < 0) {
            status = w2v_error("%s: line %" PRIu64 " is longer than %d bytes", path, line_no,
                               W2V_READ_LINE_MAX);
            break;
        }
        if (line[0] == '#') continue;
        char *fields[MAX_FIELDS];
        size_t n = split_tabs(line, fields);
        if (n == 1 && trimmed(fields[0])[0] == '\0') continue; /* blank line */
        if (n > MAX_FIELDS) n = MAX_FIELDS;
        double score = 0;
        if (first_data_line) {
            first_data_line = false;
            if (n >= 3 && !parse_score(fields[2], &score)) { /* a header naming the columns */
                for (size_t f = 0; f < n; f++)
                    if (strcmp(trimmed(fields[f]), "SimLex999") == 0) score_column = f;
                continue;
            }
        }
        if (n < 3 || n <= score_column) {
            status = w2v_error("%s: line %" PRIu64 ": expected tab-separated 'word1 word2 score', "
                               "found %zu field%s",
                               path, line_no, n, n == 1 ? "" : "s");
            break;
        }
        if (!parse_score(fields[score_column], &score)) {
            status = w2v_error("%s: line %" PRIu64 ": score '%.40s' is not a number", path, line_no,
                               fields[score_column]);
            break;
        }
        char *a = trimmed(fields[0]), *b = trimmed(fields[1]);
        if (!*a || !*b) {
            status = w2v_error("%s: line %" PRIu64 ": empty word", path, line_no);
            break;
        }
        if (out->count == capacity) {
            capacity = capacity ? capacity * 2 : 512;
            out->items = w2v_xrealloc(out->items, capacity * sizeof *out->items);
        }
        struct w2v_word_pair *pair = &out->items[out->count++];
        pair->words[0] = w2v_xstrndup(a, strlen(a));
        pair->words[1] = w2v_xstrndup(b, strlen(b));
        pair->score = score;
        pair->line = line_no;
    }
    if (status == 0 && ferror(fp)) status = w2v_error("%s: read error", path);
    if (status == 0 && out->count == 0)
        status = w2v_error("%s: no word pairs found (expected tab-separated 'word1 word2 score' "
                           "lines)",
                           path);
    w2v_free(line);
    fclose(fp);
    if (status != 0) w2v_word_pairs_free(out);
    return status;
}

void w2v_word_pairs_free(struct w2v_word_pairs *pairs) {
    for (uint64_t i = 0; i < pairs->count; i++) {
        w2v_free(pairs->items[i].words[0]);
        w2v_free(pairs->items[i].words[1]);
    }
    w2v_free(pairs->items);
    memset(pairs, 0, sizeof *pairs);
}
