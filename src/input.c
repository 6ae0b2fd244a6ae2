/* input.c — opening any input by its first bytes, and streaming gzip, zstd
 * and plain text from a descriptor (see input.h). */
#include "w2v/input.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/prepared.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

/* Compressed bytes read from the descriptor at a time. */
enum { RAW_CAPACITY = 1 << 20 };

static const unsigned char gzip_magic[2] = {0x1f, 0x8b};
static const unsigned char zstd_magic[4] = {0x28, 0xb5, 0x2f, 0xfd};

const char *w2v_input_kind_name(enum w2v_input_kind kind) {
    switch (kind) {
    case W2V_INPUT_MAPPED:
        return "plain text";
    case W2V_INPUT_STREAM:
        return "plain text stream";
    case W2V_INPUT_GZIP:
        return "gzip";
    case W2V_INPUT_ZSTD:
        return "zstd";
    case W2V_INPUT_PREPARED:
        return "prepared corpus";
    }
    return "input";
}

static bool starts_with(const unsigned char *data, size_t size, const unsigned char *magic,
                        size_t magic_size) {
    return size >= magic_size && memcmp(data, magic, magic_size) == 0;
}

/* Reads more raw bytes after raw_end (moving what is unread to the front first). */
static int fill_raw(struct w2v_input *input) {
    if (input->raw_begin > 0) {
        memmove(input->raw, input->raw + input->raw_begin, input->raw_end - input->raw_begin);
        input->raw_end -= input->raw_begin;
        input->raw_begin = 0;
    }
    while (!input->raw_eof && input->raw_end < input->raw_capacity) {
        ssize_t got =
            read(input->fd, input->raw + input->raw_end, input->raw_capacity - input->raw_end);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return w2v_error("cannot read '%s': %s", input->name, strerror(errno));
        if (got == 0) input->raw_eof = true;
        input->raw_end += (size_t)got;
        if (got > 0) break; /* a pipe gives what it has; decode it */
    }
    return 0;
}

static int start_decoder(struct w2v_input *input) {
    if (input->kind == W2V_INPUT_GZIP) {
        z_stream *z = w2v_xcalloc(1, sizeof *z);
        if (inflateInit2(z, 15 + 16) != Z_OK) { /* 15-bit window, gzip wrapper only */
            w2v_free(z);
            return w2v_error("cannot start the gzip decoder");
        }
        input->decoder = z;
    } else if (input->kind == W2V_INPUT_ZSTD) {
        ZSTD_DCtx *z = ZSTD_createDCtx();
        if (!z) return w2v_error("cannot start the zstd decoder");
        input->decoder = z;
    }
    return 0;
}

int w2v_input_open(struct w2v_input *input, const char *path) {
    memset(input, 0, sizeof *input);
    input->fd = -1;
    if (!path || !*path) return w2v_error("no training corpus given (use --train FILE)");
    input->path = path;
    bool is_stdin = strcmp(path, "-") == 0;
    input->name = is_stdin ? "standard input" : path;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) return w2v_error("cannot open corpus '%s': %s", path, strerror(errno));
    struct stat info;
    if (fstat(fd, &info) != 0) {
        int saved = errno;
        if (!is_stdin) close(fd);
        return w2v_error("cannot read corpus '%s': %s", input->name, strerror(saved));
    }
    if (S_ISDIR(info.st_mode)) {
        close(fd);
        return w2v_error("corpus '%s' is a directory, not a regular file", path);
    }
    input->fd = fd;
    input->raw_capacity = RAW_CAPACITY;
    input->raw = w2v_xmalloc(input->raw_capacity);
    int status = 0;
    if (S_ISREG(info.st_mode)) {
        input->file_size = (uint64_t)info.st_size;
        input->file_mtime_ns = (int64_t)info.st_mtim.tv_sec * 1000000000 + info.st_mtim.tv_nsec;
        if (info.st_size == 0) status = w2v_error("corpus '%s' is empty", input->name);
        unsigned char head[8] = {0};
        ssize_t got = status ? 0 : pread(fd, head, sizeof head, 0);
        if (got < 0) status = w2v_error("cannot read '%s': %s", input->name, strerror(errno));
        if (status == 0 && starts_with(head, (size_t)got, gzip_magic, sizeof gzip_magic))
            input->kind = W2V_INPUT_GZIP;
        else if (status == 0 && starts_with(head, (size_t)got, zstd_magic, sizeof zstd_magic))
            input->kind = W2V_INPUT_ZSTD;
        else if (status == 0 &&
                 starts_with(head, (size_t)got, (const unsigned char *)W2V_PREPARED_MAGIC, 8))
            input->kind = W2V_INPUT_PREPARED;
        else
            input->kind = W2V_INPUT_MAPPED;
        if (status == 0 && (input->kind == W2V_INPUT_MAPPED || input->kind == W2V_INPUT_PREPARED))
            status = w2v_corpus_map(&input->mapped, fd, (size_t)info.st_size, input->path);
    } else {
        /* A stream: look at its first bytes through the raw buffer. */
        while (status == 0 && !input->raw_eof && input->raw_end < 8) status = fill_raw(input);
        if (status == 0 && input->raw_end == 0)
            status = w2v_error("corpus '%s' is empty", input->name);
        const unsigned char *head = input->raw;
        if (starts_with(head, input->raw_end, gzip_magic, sizeof gzip_magic))
            input->kind = W2V_INPUT_GZIP;
        else if (starts_with(head, input->raw_end, zstd_magic, sizeof zstd_magic))
            input->kind = W2V_INPUT_ZSTD;
        else if (starts_with(head, input->raw_end, (const unsigned char *)W2V_PREPARED_MAGIC, 8))
            status = status ? status
                            : w2v_error("'%s' is a prepared corpus: it must be a regular file "
                                        "(it is mapped, not streamed)",
                                        input->name);
        else
            input->kind = W2V_INPUT_STREAM;
    }
    if (status == 0) status = start_decoder(input);
    if (input->kind == W2V_INPUT_MAPPED || input->kind == W2V_INPUT_PREPARED) {
        if (!is_stdin) close(fd); /* the mapping stays valid */
        input->fd = -1;
        w2v_free(input->raw);
        input->raw = NULL;
    }
    if (status != 0) w2v_input_close(input);
    return status;
}

static ssize_t truncated(struct w2v_input *input, const char *format, const char *part) {
    return w2v_error("'%s' is truncated: the %s stream ends inside a %s after %llu compressed "
                     "bytes",
                     input->name, format, part, (unsigned long long)input->bytes_in);
}

/* Decodes gzip into buffer; a finished member followed by more bytes starts
 * the next. At the end of the input the decoder is still called while a
 * member is open (it may hold output); no progress then means truncation. */
static ssize_t read_gzip(struct w2v_input *input, char *buffer, size_t capacity) {
    z_stream *z = input->decoder;
    z->next_out = (unsigned char *)buffer;
    z->avail_out = (uInt)(capacity > UINT32_MAX ? UINT32_MAX : capacity);
    while (z->avail_out > 0) {
        bool have_input = input->raw_begin < input->raw_end;
        if (!have_input && !input->raw_eof) {
            if (fill_raw(input) != 0) return -1;
            continue;
        }
        if (!have_input && !input->member_open) break; /* the end, between members */
        if (have_input && !input->member_open) {       /* a (next) member starts */
            if (inflateReset(z) != Z_OK) return w2v_error("cannot restart the gzip decoder");
            input->member_open = true;
        }
        z->next_in = input->raw + input->raw_begin;
        z->avail_in = (uInt)(input->raw_end - input->raw_begin);
        uInt room = z->avail_out;
        int rc = inflate(z, Z_NO_FLUSH);
        size_t used = (input->raw_end - input->raw_begin) - z->avail_in;
        input->raw_begin += used;
        input->bytes_in += used;
        if (rc == Z_STREAM_END) {
            input->member_open = false;
        } else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) {
            return w2v_error("'%s' is damaged: gzip data error (%s) after %llu compressed bytes",
                             input->name, z->msg ? z->msg : "invalid data",
                             (unsigned long long)input->bytes_in);
        } else if (rc == Z_MEM_ERROR) {
            return w2v_error("out of memory decoding gzip '%s'", input->name);
        } else if (used == 0 && z->avail_out == room) { /* no progress */
            if (input->raw_eof && input->raw_begin == input->raw_end) {
                if (z->avail_out == (uInt)(capacity > UINT32_MAX ? UINT32_MAX : capacity))
                    return truncated(input, "gzip", "member");
                break; /* return what we have; the next call reports it */
            }
            if (fill_raw(input) != 0) return -1;
        }
    }
    size_t produced = (size_t)((char *)z->next_out - buffer);
    input->bytes_out += produced;
    return (ssize_t)produced;
}

static ssize_t read_zstd(struct w2v_input *input, char *buffer, size_t capacity) {
    ZSTD_DCtx *z = input->decoder;
    ZSTD_outBuffer out = {buffer, capacity, 0};
    while (out.pos < out.size) {
        bool have_input = input->raw_begin < input->raw_end;
        if (!have_input && !input->raw_eof) {
            if (fill_raw(input) != 0) return -1;
            continue;
        }
        if (!have_input && !input->member_open) break; /* the end, between frames */
        ZSTD_inBuffer in = {input->raw + input->raw_begin, input->raw_end - input->raw_begin, 0};
        size_t before = out.pos;
        size_t rc = ZSTD_decompressStream(z, &out, &in);
        input->raw_begin += in.pos;
        input->bytes_in += in.pos;
        if (ZSTD_isError(rc))
            return w2v_error("'%s' is damaged: zstd error (%s) after %llu compressed bytes",
                             input->name, ZSTD_getErrorName(rc),
                             (unsigned long long)input->bytes_in);
        input->member_open = rc != 0;           /* 0: a frame just ended, all flushed */
        if (in.pos == 0 && out.pos == before) { /* no progress */
            if (input->raw_eof && input->raw_begin == input->raw_end) {
                if (out.pos == 0) return truncated(input, "zstd", "frame");
                break;
            }
            if (fill_raw(input) != 0) return -1;
        }
    }
    input->bytes_out += out.pos;
    return (ssize_t)out.pos;
}

static ssize_t read_plain(struct w2v_input *input, char *buffer, size_t capacity) {
    size_t produced = 0;
    while (produced < capacity) {
        if (input->raw_begin == input->raw_end) {
            if (input->raw_eof) break;
            input->raw_begin = input->raw_end = 0;
            ssize_t got = read(input->fd, buffer + produced, capacity - produced);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) return w2v_error("cannot read '%s': %s", input->name, strerror(errno));
            if (got == 0) input->raw_eof = true;
            produced += (size_t)got;
            continue;
        }
        size_t take = input->raw_end - input->raw_begin;
        if (take > capacity - produced) take = capacity - produced;
        memcpy(buffer + produced, input->raw + input->raw_begin, take);
        input->raw_begin += take;
        produced += take;
    }
    input->bytes_in += produced;
    input->bytes_out += produced;
    return (ssize_t)produced;
}

ssize_t w2v_input_read(struct w2v_input *input, char *buffer, size_t capacity) {
    switch (input->kind) {
    case W2V_INPUT_GZIP:
        return read_gzip(input, buffer, capacity);
    case W2V_INPUT_ZSTD:
        return read_zstd(input, buffer, capacity);
    case W2V_INPUT_STREAM:
        return read_plain(input, buffer, capacity);
    default:
        return w2v_error("'%s' is mapped, not streamed", input->name);
    }
}

void w2v_input_close(struct w2v_input *input) {
    if (input->decoder && input->kind == W2V_INPUT_GZIP) {
        inflateEnd(input->decoder);
        w2v_free(input->decoder);
    } else if (input->decoder && input->kind == W2V_INPUT_ZSTD) {
        ZSTD_freeDCtx(input->decoder);
    }
    w2v_corpus_close(&input->mapped);
    if (input->fd >= 0 && input->fd != STDIN_FILENO) close(input->fd);
    w2v_free(input->raw);
    memset(input, 0, sizeof *input);
    input->fd = -1;
}

int w2v_input_check_text(const char *data, size_t size, const char *name) {
    if (size > W2V_INPUT_SNIFF_BYTES) size = W2V_INPUT_SNIFF_BYTES;
    size_t control = 0, space = 0;
    for (size_t i = 0; i < size; i++) {
        unsigned char c = (unsigned char)data[i];
        bool is_space = c == ' ' || (c >= '\t' && c <= '\r');
        space += is_space;
        control += !is_space && (c < 0x20 || c == 0x7f); /* NUL and other control bytes */
    }
    if (control * 100 > size)
        return w2v_error("'%s' looks binary (%zu NUL or control bytes in its first %zu bytes): "
                         "not training on it (--allow-binary to insist)",
                         name, control, size);
    if (space == 0 && size >= (1u << 16))
        return w2v_error("'%s' looks binary (no whitespace in its first %zu bytes): not training "
                         "on it (--allow-binary to insist)",
                         name, size);
    return 0;
}
