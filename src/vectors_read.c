/* vectors_read.c — reads word2vec text and binary vector files, strictly.
 *
 * The file is mapped (or read, if it cannot be mapped) and parsed in one pass.
 * Which format it is comes from the first row:
 *   - if the bytes after its word up to the first newline are printable and
 *     hold exactly dim numbers: text;
 *   - else, if any of the 4*dim bytes after the word's space is not printable
 *     ASCII, tab, CR or LF: binary (raw float32 bytes almost always hold one;
 *     they may also hold a 0x0A, which is why the first newline decides
 *     nothing);
 *   - else, if the line is exactly 4*dim bytes after one space: binary (floats
 *     whose bytes happen to all be printable);
 *   - else text, so that the text parser names the bad value.
 *
 * Promises: every row has exactly dim finite values, no word repeats, the file
 * holds exactly the header's count of rows (CRLF line ends, a trailing blank
 * on text rows and blank lines at the end are tolerated), and every error is
 * one line naming the file and the row (or line) at fault. Text values are
 * parsed to double and rounded to float, as gensim (and numpy) do. */
#include "w2v/vectors.h"

#include "w2v/alloc.h"
#include "w2v/atomic_file.h"
#include "w2v/error.h"
#include "w2v/signals.h"
#include "w2v/word_index.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_DIM = 1000000, MAX_TOKEN = 64, QUOTE_MAX = 40 };

/* The whole file, mapped or in a buffer. */
struct file_bytes {
    const char *data;
    size_t size;
    void *mapping; /* munmap this if not NULL */
    char *buffer;  /* or free this */
    int tracked;   /* the mapping's slot in the SIGBUS registry (signals.h), or -1 */
};

/* A stream (a pipe, a device) is read only as far as a vector file could go:
 * its header line must come within HEADER_MAX bytes, and then at most
 * STREAM_ROW_BYTES(dim) per declared row plus STREAM_SLACK (trailing blank
 * lines) are read, so /dev/zero or an endless pipe never fills the memory. */
enum { HEADER_MAX = 4096, STREAM_SLACK = 1 << 20, STREAM_WORD_BYTES = 4096 };

static uint64_t parse_header_bound(const char *data, size_t size);

static int read_whole_file(const char *path, int fd, struct file_bytes *out) {
    size_t size = 0, capacity = 1 << 16;
    uint64_t limit = HEADER_MAX; /* until the header line is there */
    bool header_seen = false;
    char *buffer = w2v_xmalloc(capacity);
    while (size < limit) {
        if (size == capacity) buffer = w2v_xrealloc(buffer, capacity *= 2);
        size_t want = capacity - size;
        if (want > limit - size) want = (size_t)(limit - size);
        ssize_t got = read(fd, buffer + size, want);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            int saved = errno;
            w2v_free(buffer);
            return w2v_error("%s: cannot read: %s", path, strerror(saved));
        }
        if (got == 0) break;
        size += (size_t)got;
        if (!header_seen && memchr(buffer, '\n', size < HEADER_MAX ? size : HEADER_MAX)) {
            header_seen = true;
            limit = parse_header_bound(buffer, size); /* a bad header: what is here will do */
        }
    }
    out->data = buffer, out->size = size, out->buffer = buffer;
    return 0;
}

static int open_file_bytes(const char *path, struct file_bytes *out) {
    memset(out, 0, sizeof *out);
    out->tracked = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return w2v_error("cannot open '%s': %s", path, strerror(errno));
    w2v_atomic_note_input_fd(fd, path); /* no output may replace it (atomic_file.h) */
    struct stat st;
    int status = 0;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        status = w2v_error("cannot read '%s': %s", path, strerror(EISDIR));
    } else if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        void *mapping = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (mapping != MAP_FAILED) {
            madvise(mapping, (size_t)st.st_size, MADV_SEQUENTIAL);
            out->data = mapping, out->size = (size_t)st.st_size, out->mapping = mapping;
            /* A file truncated while mapped raises SIGBUS: one line, exit 1. */
            out->tracked =
                w2v_signals_track_mapping(mapping, (size_t)st.st_size, "vectors file", path);
        } else {
            status = read_whole_file(path, fd, out);
        }
    } else {
        status = read_whole_file(path, fd, out);
    }
    close(fd);
    if (status == 0 && out->size == 0) {
        w2v_free(out->buffer);
        return w2v_error("%s: file is empty (expected a '<count> <dim>' header)", path);
    }
    return status;
}

static void close_file_bytes(struct file_bytes *file) {
    w2v_signals_untrack_mapping(file->tracked);
    if (file->mapping) munmap(file->mapping, file->size);
    w2v_free(file->buffer);
    memset(file, 0, sizeof *file);
}

/* The parse position and what the messages need. */
struct parser {
    const char *path;
    const char *p, *end;
    uint64_t count;
    uint32_t dim;
};

static bool is_blank(char c) {
    return c == ' ' || c == '\t';
}
static bool is_line_end(char c) {
    return c == '\n' || c == '\r';
}

static bool is_text_byte(char c) {
    return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\r';
}

static int parse_number(const char *s, const char *end, double *out);

static int header_error(struct parser *ps, const char *line, size_t len) {
    if (len > QUOTE_MAX) len = QUOTE_MAX;
    return w2v_error("%s: line 1: malformed header '%.*s' (expected '<count> <dim>')", ps->path,
                     (int)len, line);
}

static int parse_unsigned(const char **p, const char *end, uint64_t *out) {
    const char *s = *p;
    uint64_t value = 0;
    while (s < end && *s >= '0' && *s <= '9') {
        if (value > (UINT64_MAX - 9) / 10) return -1;
        value = value * 10 + (uint64_t)(*s++ - '0');
    }
    if (s == *p) return -1;
    *p = s, *out = value;
    return 0;
}

static int parse_header(struct parser *ps) {
    const char *line = ps->p, *s = ps->p;
    const char *newline = memchr(s, '\n', (size_t)(ps->end - s));
    const char *line_end = newline ? newline : ps->end;
    uint64_t count = 0, dim = 0;
    while (s < line_end && is_blank(*s)) s++;
    if (parse_unsigned(&s, line_end, &count) != 0) return header_error(ps, line, line_end - line);
    if (s == line_end || !is_blank(*s)) return header_error(ps, line, line_end - line);
    while (s < line_end && is_blank(*s)) s++;
    if (parse_unsigned(&s, line_end, &dim) != 0) return header_error(ps, line, line_end - line);
    while (s < line_end && (is_blank(*s) || *s == '\r')) s++;
    if (s != line_end) return header_error(ps, line, line_end - line);
    if (count == 0) return w2v_error("%s: line 1: the header declares 0 words", ps->path);
    if (dim == 0 || dim > MAX_DIM)
        return w2v_error("%s: line 1: dimension %" PRIu64 " out of range (1 to %d)", ps->path, dim,
                         MAX_DIM);
    if (!newline)
        return w2v_error("%s: no rows after the header (expected %" PRIu64 ")", ps->path, count);
    ps->count = count, ps->dim = (uint32_t)dim;
    ps->p = newline + 1;
    return 0;
}

/* How many bytes of a stream to read: the header line, then at most a
 * STREAM_WORD_BYTES word and dim values of MAX_TOKEN bytes (text) per declared
 * row, plus STREAM_SLACK. A malformed header: just what was read (the parser
 * names the fault). */
static uint64_t parse_header_bound(const char *data, size_t size) {
    struct parser ps = {.path = "", .p = data, .end = data + size};
    if (parse_header(&ps) != 0) return size;
    uint64_t row = STREAM_WORD_BYTES + (uint64_t)ps.dim * (MAX_TOKEN + 1) + 2;
    uint64_t rows_bytes = ps.count > (UINT64_MAX / 2) / row ? UINT64_MAX / 2 : ps.count * row;
    return (uint64_t)(ps.p - data) + rows_bytes + STREAM_SLACK;
}

/* Decides text or binary from the first row (see the comment at the top). */
static bool looks_binary(const struct parser *ps) {
    const char *s = ps->p;
    while (s < ps->end && *s != ' ' && !is_line_end(*s)) s++; /* the word */
    const char *values = s;
    const char *line_end =
        values < ps->end ? memchr(values, '\n', (size_t)(ps->end - values)) : NULL;
    if (!line_end) line_end = ps->end;
    /* A text row: only text bytes, and exactly dim numbers. */
    bool text_bytes = true;
    for (s = values; s < line_end && text_bytes; s++) text_bytes = is_text_byte(*s);
    uint64_t numbers = 0;
    bool all_numbers = text_bytes;
    for (s = values; s < line_end && all_numbers;) {
        while (s < line_end && (is_blank(*s) || *s == '\r')) s++;
        const char *tok = s;
        while (s < line_end && !is_blank(*s) && *s != '\r') s++;
        double ignored;
        if (s > tok) all_numbers = parse_number(tok, s, &ignored) == 0, numbers++;
    }
    if (all_numbers && numbers == ps->dim) return false;
    /* Raw floats: some byte of the 4*dim after the space is neither text nor a
     * newline (a text file holds nothing else; a float's bytes may hold 0x0A,
     * so the first line end proves nothing). */
    const char *floats = values + 1;
    size_t window = (size_t)ps->dim * 4;
    if (floats > ps->end || (size_t)(ps->end - floats) < window)
        window = (size_t)(ps->end - values);
    for (s = floats; s < floats + window && s < ps->end; s++)
        if (!is_text_byte(*s) && *s != '\n') return true;
    /* Floats whose bytes are all printable, or a malformed text row: the text
     * parser names the bad value unless the row is exactly 4*dim bytes long. */
    return !all_numbers && line_end - values == (ptrdiff_t)ps->dim * 4 + 1;
}

/* Parses one number token [s, end) to double. The fast path (at most 19
 * significant digits whose value fits 2^53 and a power of ten up to 22) is
 * exact; anything else goes to strtod. Returns -1 if it is not a number. */
static int parse_number(const char *s, const char *end, double *out) {
    static const double powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *q = s;
    bool negative = false;
    if (q < end && (*q == '-' || *q == '+')) negative = *q++ == '-';
    uint64_t mantissa = 0;
    int digits = 0, exponent = 0;
    bool any_digit = false;
    while (q < end && *q >= '0' && *q <= '9') {
        if (digits < 19)
            mantissa = mantissa * 10 + (uint64_t)(*q - '0'), digits += mantissa > 0;
        else
            exponent++;
        q++, any_digit = true;
    }
    if (q < end && *q == '.') {
        q++;
        while (q < end && *q >= '0' && *q <= '9') {
            if (digits < 19)
                mantissa = mantissa * 10 + (uint64_t)(*q - '0'), digits += mantissa > 0, exponent--;
            q++, any_digit = true;
        }
    }
    if (any_digit && q < end && (*q == 'e' || *q == 'E')) {
        const char *e = q + 1;
        bool exp_negative = false;
        if (e < end && (*e == '-' || *e == '+')) exp_negative = *e++ == '-';
        int value = 0;
        bool exp_digit = false;
        while (e < end && *e >= '0' && *e <= '9') {
            if (value < 100000) value = value * 10 + (*e - '0');
            e++, exp_digit = true;
        }
        if (exp_digit) q = e, exponent += exp_negative ? -value : value;
    }
    if (any_digit && q == end && mantissa < (1ull << 53) && exponent >= -22 && exponent <= 22) {
        double value = (double)mantissa;
        value = exponent < 0 ? value / powers[-exponent] : value * powers[exponent];
        *out = negative ? -value : value;
        return 0;
    }
    char token[MAX_TOKEN + 1];
    size_t len = (size_t)(end - s);
    if (len > MAX_TOKEN) return -1;
    memcpy(token, s, len);
    token[len] = '\0';
    char *stop = NULL;
    *out = strtod(token, &stop);
    return stop == token + len ? 0 : -1;
}

static int row_error_value(struct parser *ps, uint64_t row, const char *word, uint32_t k,
                           const char *tok, size_t tok_len, const char *what) {
    if (tok_len > QUOTE_MAX) tok_len = QUOTE_MAX;
    return w2v_error("%s: row %" PRIu64 " ('%.*s') value %" PRIu32 " '%.*s' %s", ps->path, row + 1,
                     QUOTE_MAX, word, k + 1, (int)tok_len, tok, what);
}

static int truncated_error(struct parser *ps, uint64_t row) {
    return w2v_error("%s: row %" PRIu64 " is missing: the file ends after %" PRIu64
                     " of the header's %" PRIu64 " rows (truncated?)",
                     ps->path, row + 1, row, ps->count);
}

/* Reads the word at ps->p up to a blank or line end (text) or a space (binary). */
static int parse_word(struct parser *ps, uint64_t row, bool binary, char **word) {
    const char *s = ps->p;
    if (binary)
        while (s < ps->end && *s == '\n') s++; /* word2vec.c ends binary rows with '\n' */
    if (s == ps->end) return truncated_error(ps, row);
    const char *start = s;
    if (binary) {
        while (s < ps->end && *s != ' ') s++;
        if (s == ps->end) return truncated_error(ps, row);
    } else {
        while (s < ps->end && !is_blank(*s) && !is_line_end(*s)) s++;
    }
    if (s == start) {
        if (!binary && s < ps->end && is_line_end(*s))
            return w2v_error("%s: row %" PRIu64 " is an empty line", ps->path, row + 1);
        return w2v_error("%s: row %" PRIu64 " starts with a blank (empty word)", ps->path, row + 1);
    }
    if (memchr(start, '\0', (size_t)(s - start)))
        return w2v_error("%s: row %" PRIu64 ": the word holds a NUL byte", ps->path, row + 1);
    *word = w2v_xstrndup(start, (size_t)(s - start));
    ps->p = binary ? s + 1 : s;
    return 0;
}

static int parse_text_values(struct parser *ps, uint64_t row, const char *word, float *out) {
    const char *s = ps->p;
    uint32_t k = 0;
    for (;;) {
        while (s < ps->end && is_blank(*s)) s++;
        if (s == ps->end || is_line_end(*s)) break;
        const char *tok = s;
        while (s < ps->end && !is_blank(*s) && !is_line_end(*s)) s++;
        if (k < ps->dim) {
            double value = 0;
            if (parse_number(tok, s, &value) != 0)
                return row_error_value(ps, row, word, k, tok, (size_t)(s - tok), "is not a number");
            float f = (float)value;
            if (!isfinite(f))
                return row_error_value(ps, row, word, k, tok, (size_t)(s - tok), "is not finite");
            out[k] = f;
        }
        k++;
    }
    if (k != ps->dim)
        return w2v_error("%s: row %" PRIu64 " ('%.*s') has %" PRIu32 " values, expected %" PRIu32,
                         ps->path, row + 1, QUOTE_MAX, word, k, ps->dim);
    if (s < ps->end && *s == '\r') s++;
    if (s < ps->end && *s == '\n')
        s++;
    else if (s < ps->end)
        return w2v_error("%s: row %" PRIu64 " ('%.*s'): stray carriage return", ps->path, row + 1,
                         QUOTE_MAX, word);
    ps->p = s;
    return 0;
}

static int parse_binary_values(struct parser *ps, uint64_t row, const char *word, float *out) {
    size_t bytes = (size_t)ps->dim * sizeof(float);
    size_t left = (size_t)(ps->end - ps->p);
    if (left < bytes)
        return w2v_error("%s: row %" PRIu64 " ('%.*s') is truncated: %zu of its %zu bytes of "
                         "values are there",
                         ps->path, row + 1, QUOTE_MAX, word, left, bytes);
    memcpy(out, ps->p, bytes); /* little-endian float32, as on every platform we build for */
    for (uint32_t k = 0; k < ps->dim; k++)
        if (!isfinite(out[k]))
            return w2v_error("%s: row %" PRIu64 " ('%.*s') value %" PRIu32 " is not finite",
                             ps->path, row + 1, QUOTE_MAX, word, k + 1);
    ps->p += bytes;
    return 0;
}

/* Only blanks and newlines may follow the last row. */
static int check_trailer(struct parser *ps) {
    const char *s = ps->p;
    while (s < ps->end && (is_blank(*s) || is_line_end(*s))) s++;
    if (s != ps->end)
        return w2v_error("%s: more rows than the header's %" PRIu64
                         " (extra data after row %" PRIu64 ")",
                         ps->path, ps->count, ps->count);
    return 0;
}

static int parse_rows(struct parser *ps, struct w2v_vectors *out) {
    bool binary = looks_binary(ps);
    /* Never trust the header for the allocation: a row takes at least
     * 2*dim+1 bytes as text and 4*dim+2 as binary, so at most this many fit. */
    size_t min_row_bytes = binary ? (size_t)ps->dim * 4 + 2 : (size_t)ps->dim * 2 + 1;
    uint64_t fit = (uint64_t)((size_t)(ps->end - ps->p) / min_row_bytes) + 1;
    uint64_t capacity = ps->count < fit ? ps->count : fit;
    out->dim = ps->dim;
    out->stride = w2v_row_stride(ps->dim);
    out->rows = w2v_alloc_aligned(capacity * out->stride * sizeof(float));
    out->words = w2v_xcalloc(capacity, sizeof(char *));
    out->owned = true;
    out->count = 0;

    struct w2v_word_index seen;
    w2v_word_index_init(&seen, capacity, false);
    int status = 0;
    for (uint64_t row = 0; row < ps->count && status == 0; row++) {
        if (row == capacity) {
            status = truncated_error(ps, row);
            break;
        }
        char *word = NULL;
        if (parse_word(ps, row, binary, &word) != 0) {
            status = -1;
            break;
        }
        out->words[row] = word;
        out->count = row + 1;
        float *values = out->rows + row * out->stride;
        status = binary ? parse_binary_values(ps, row, word, values)
                        : parse_text_values(ps, row, word, values);
        uint64_t first = 0;
        if (status == 0 && !w2v_word_index_add(&seen, word, row, &first))
            status =
                w2v_error("%s: row %" PRIu64 ": duplicate word '%.*s' (first at row %" PRIu64 ")",
                          ps->path, row + 1, QUOTE_MAX, word, first + 1);
    }
    w2v_word_index_free(&seen);
    if (status == 0) status = check_trailer(ps);
    return status;
}

int w2v_vectors_read(const char *path, struct w2v_vectors *out) {
    memset(out, 0, sizeof *out);
    struct file_bytes file;
    if (open_file_bytes(path, &file) != 0) return -1;
    struct parser ps = {.path = path, .p = file.data, .end = file.data + file.size};
    int status = parse_header(&ps);
    if (status == 0) status = parse_rows(&ps, out);
    close_file_bytes(&file);
    if (status != 0) w2v_vectors_free(out);
    return status;
}

void w2v_vectors_free(struct w2v_vectors *vectors) {
    if (!vectors || !vectors->owned) return;
    for (uint64_t i = 0; i < vectors->count; i++) w2v_free(vectors->words[i]);
    w2v_free(vectors->words);
    w2v_free(vectors->rows);
    memset(vectors, 0, sizeof *vectors);
}
