/* analogy_questions.c — loads questions-words.txt style analogy files. */
#include "read_line.h"
#include "w2v/alloc.h"
#include "w2v/atomic_file.h"
#include "w2v/error.h"
#include "w2v/eval.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Splits `line` in place into at most `max` blank-separated words; returns the
 * number of words found (which may exceed max: the rest are counted only). */
static size_t split_words(char *line, char **words, size_t max) {
    size_t n = 0;
    char *s = line;
    for (;;) {
        while (*s && is_space(*s)) s++;
        if (!*s) return n;
        char *start = s;
        while (*s && !is_space(*s)) s++;
        if (n < max) words[n] = start;
        n++;
        if (*s) *s++ = '\0';
    }
}

bool w2v_analogy_section_is_syntactic(const char *name) {
    return strncmp(name, "gram", 4) == 0;
}

static char *section_name(const char *line) {
    const char *s = line + 1; /* after ':' */
    while (*s && is_space(*s)) s++;
    size_t len = strlen(s);
    while (len > 0 && is_space(s[len - 1])) len--;
    return w2v_xstrndup(s, len);
}

int w2v_analogy_questions_load(const char *path, struct w2v_analogy_questions *out) {
    memset(out, 0, sizeof *out);
    FILE *fp = fopen(path, "rb");
    if (!fp) return w2v_error("cannot open '%s': %s", path, strerror(errno));
    w2v_atomic_note_input_fd(fileno(fp), path); /* no output may replace it */
    char *line = w2v_xmalloc(W2V_READ_LINE_MAX + 2);
    size_t question_capacity = 0;
    uint64_t line_no = 0;
    int status = 0;
    int got;
    while ((got = w2v_read_line(fp, line)) != 0) {
        line_no++;
        if (got < 0) {
            status = w2v_error("%s: line %" PRIu64 " is longer than %d bytes", path, line_no,
                               W2V_READ_LINE_MAX);
            break;
        }
        if (line[0] == ':') {
            out->sections = w2v_xrealloc(out->sections, (out->section_count + 1) * sizeof(char *));
            out->sections[out->section_count++] = section_name(line);
            continue;
        }
        char *words[4];
        size_t n = split_words(line, words, 4);
        if (n == 0) continue;
        if (n != 4) {
            status = w2v_error("%s: line %" PRIu64 ": expected 4 words (a b c d), found %zu", path,
                               line_no, n);
            break;
        }
        if (out->section_count == 0) {
            status = w2v_error("%s: line %" PRIu64 ": a question before the first ': section' line",
                               path, line_no);
            break;
        }
        if (out->count == question_capacity) {
            question_capacity = question_capacity ? question_capacity * 2 : 1024;
            out->items = w2v_xrealloc(out->items, question_capacity * sizeof *out->items);
        }
        struct w2v_analogy_question *q = &out->items[out->count++];
        for (int k = 0; k < 4; k++) q->words[k] = w2v_xstrndup(words[k], strlen(words[k]));
        q->section = out->section_count - 1;
        q->line = line_no;
    }
    if (status == 0 && ferror(fp)) status = w2v_error("%s: read error", path);
    if (status == 0 && out->count == 0)
        status = w2v_error("%s: no questions found (expected ': section' lines and lines of 4 "
                           "words)",
                           path);
    w2v_free(line);
    fclose(fp);
    if (status != 0) w2v_analogy_questions_free(out);
    return status;
}

void w2v_analogy_questions_free(struct w2v_analogy_questions *questions) {
    for (uint64_t i = 0; i < questions->count; i++)
        for (int k = 0; k < 4; k++) w2v_free(questions->items[i].words[k]);
    for (uint32_t s = 0; s < questions->section_count; s++) w2v_free(questions->sections[s]);
    w2v_free(questions->items);
    w2v_free(questions->sections);
    memset(questions, 0, sizeof *questions);
}
