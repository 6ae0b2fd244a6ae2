/* input.h — where the training text comes from: one opener for every kind.
 *
 * w2v_input_open looks at the first bytes, never at the name:
 *   - a regular plain-text file is memory-mapped (struct w2v_corpus), so the
 *     counting pass can read it in parallel chunks;
 *   - gzip (1f 8b) and zstd (28 b5 2f fd) are decompressed in one streaming
 *     pass (zlib, libzstd), concatenated members/frames included;
 *   - "-" is standard input, and any other non-regular file (a pipe, a
 *     device) is read as a stream too, compressed or not;
 *   - a prepared corpus (prepared.h, magic "W2VPREP1") is mapped whole and
 *     handed to the prepared-file reader.
 * A stream that ends inside a gzip member or zstd frame, or holds damaged
 * data, is an error ("... is truncated" / "... is damaged"), never a short
 * corpus. Text that looks binary (w2v_input_check_text) is refused unless
 * the caller allows it. Mapped inputs are tracked for the SIGBUS handler
 * (signals.h): a file that shrinks while mapped is "corpus 'X' changed
 * while being read", exit 1. */
#ifndef W2V_INPUT_H
#define W2V_INPUT_H

#include "w2v/corpus.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum w2v_input_kind {
    W2V_INPUT_MAPPED,   /* a regular plain-text file, mapped */
    W2V_INPUT_STREAM,   /* plain text from a pipe, stdin or a device */
    W2V_INPUT_GZIP,     /* gzip, streamed */
    W2V_INPUT_ZSTD,     /* zstd, streamed */
    W2V_INPUT_PREPARED, /* a prepared corpus (prepared.h), mapped */
};

struct w2v_input {
    enum w2v_input_kind kind;
    const char *path;         /* as given; "-" is standard input */
    const char *name;         /* for messages: the path, or "standard input" */
    struct w2v_corpus mapped; /* MAPPED and PREPARED: the whole file */
    int fd;                   /* streams: the descriptor (closed by close unless stdin) */
    uint64_t file_size;       /* regular files: st_size; else 0 */
    int64_t file_mtime_ns;    /* regular files: st_mtim; else 0 */
    /* streams */
    unsigned char *raw; /* bytes read from fd, not yet decoded */
    size_t raw_begin, raw_end, raw_capacity;
    bool raw_eof;
    void *decoder;      /* z_stream or ZSTD_DCtx */
    bool member_open;   /* inside a gzip member / zstd frame */
    uint64_t bytes_in;  /* compressed bytes consumed */
    uint64_t bytes_out; /* text bytes produced */
};

/* The kind's name for messages: "plain text", "gzip", ... */
const char *w2v_input_kind_name(enum w2v_input_kind kind);

/* Opens `path` ("-" = standard input) and recognises its kind. A missing,
 * unreadable or empty input is an error. */
int w2v_input_open(struct w2v_input *input, const char *path);

/* Streams only: reads up to `capacity` bytes of text into `buffer`. Returns
 * the number of bytes (0 at the end), or −1 with w2v_error set (a read error,
 * a truncated or damaged compressed stream). */
ssize_t w2v_input_read(struct w2v_input *input, char *buffer, size_t capacity);

/* Unmaps or closes everything; safe on a zeroed or failed input. */
void w2v_input_close(struct w2v_input *input);

/* How much of the input's start w2v_input_check_text looks at. */
#define W2V_INPUT_SNIFF_BYTES (1u << 20)

/* Refuses text that looks binary: more than 1% NUL or other control bytes
 * (whitespace aside; random bytes have 12%, text none), or not one
 * whitespace byte in `size` >= 64 KiB bytes. `data` is the start of the
 * decoded text (up to W2V_INPUT_SNIFF_BYTES). 0, or −1 with an error naming
 * `name` and the flag that allows it (--allow-binary). */
int w2v_input_check_text(const char *data, size_t size, const char *name);

#endif
