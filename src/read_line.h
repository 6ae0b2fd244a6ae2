/* read_line.h — one bounded line at a time from a stream, for the small text
 * readers (word pairs, analogy questions): a line longer than the buffer is
 * an error, never a reason to read on, so /dev/zero or a binary file cannot
 * fill the memory as getline would let it. */
#ifndef W2V_READ_LINE_H
#define W2V_READ_LINE_H

#include <stdio.h>

enum { W2V_READ_LINE_MAX = 1 << 16 }; /* bytes of text per line, the newline excluded */

/* Reads the next line into buf (W2V_READ_LINE_MAX + 2 bytes), newline kept,
 * NUL-terminated. Returns 1 for a line, 0 at the end, -1 if the line is
 * longer than W2V_READ_LINE_MAX bytes. */
static inline int w2v_read_line(FILE *fp, char *buf) {
    size_t len = 0;
    int c = EOF;
    while (len <= W2V_READ_LINE_MAX && (c = getc_unlocked(fp)) != EOF) {
        buf[len++] = (char)c;
        if (c == '\n') break;
    }
    buf[len] = '\0';
    if (len > W2V_READ_LINE_MAX && buf[len - 1] != '\n') return -1;
    return len > 0 ? 1 : 0;
}

#endif
