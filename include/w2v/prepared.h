/* prepared.h — the prepared corpus: a vocabulary and its id stream in one
 * file, read through mmap.
 *
 * The same file serves two purposes: `w2v prepare` writes it once for many
 * training runs, and `w2v train` on a text corpus writes one as its id stream
 * (in --tmp-dir or next to the output, unlinked as soon as it is mapped) so
 * the encoded corpus never lives on the heap. Layout, native byte order
 * (a byte-order mark refuses a file from the other endianness):
 *
 *   [0, 64)          the lead: magic "W2VPREP1", uint32 format version, zeros
 *   vocab_offset     counts: uint64[vocab_size]; lengths: uint32[vocab_size];
 *                    words: their bytes back to back (vocab_bytes in all)
 *   ids_offset       the ids as codes (idcode.h: 1 to 5 bytes an id, about 1.6 on
 *                    English), ids_bytes in all, 64-byte aligned; then at least
 *                    8 zero bytes (the decoder reads 4 past a code) to a multiple of 64
 *   index_offset     uint64[token_count / 4096 + 1]: the byte offset (from
 *                    ids_offset) of the codes of tokens 0, 4096, 8192, ...
 *                    (W2V_IDCODE_INDEX_STRIDE), so a reader can start anywhere
 *   starts_offset    uint64[sentence_count + 1] token positions, 64-byte aligned
 *   the last 512     struct w2v_prepared_header (zero-padded): written last, so
 *                    the file is written in one sequential stream
 *
 * The header records the format version, the vocabulary settings that made
 * the file (min-count, max-vocab, max-sentence, max-token-bytes, the budget
 * and what pruning dropped), the source corpus (kind, size, modification
 * time) and two XXH3-64 checksums: one of the header, one of every byte
 * before it.
 * A file with another version, a wrong size or a wrong checksum is refused
 * as damaged or stale with one line saying which. Version 1 held the ids as
 * uint32[token_count]; such a file is refused as written by an older w2v. */
#ifndef W2V_PREPARED_H
#define W2V_PREPARED_H

#include "w2v/encode.h"
#include "w2v/vocab.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define W2V_PREPARED_MAGIC         "W2VPREP1"
#define W2V_PREPARED_VERSION       2u
#define W2V_PREPARED_LEAD_BYTES    64u
#define W2V_PREPARED_TRAILER_BYTES 512u

struct w2v_prepared_header {
    char magic[8];
    uint32_t version;
    uint32_t trailer_bytes;
    uint64_t byte_order; /* 0x0102030405060708 */
    /* the vocabulary settings that made it */
    uint64_t min_count;
    uint32_t max_vocab, max_sentence, max_token_bytes, vocab_size;
    uint64_t vocab_memory;    /* the counting budget in bytes */
    uint64_t pruned_words;    /* distinct words dropped by budget pruning */
    uint64_t prune_threshold; /* the count below which pruning dropped words (0: none) */
    /* what counting saw */
    uint64_t corpus_tokens, distinct_words, truncated_tokens, cut_lines;
    /* the source */
    uint32_t source_kind; /* enum w2v_input_kind */
    uint32_t reserved;
    uint64_t source_size;    /* regular files only */
    int64_t source_mtime_ns; /* regular files only */
    /* the sections */
    uint64_t vocab_offset, vocab_bytes;
    uint64_t ids_offset, token_count;
    uint64_t ids_bytes;    /* the codes alone, without their zero padding */
    uint64_t index_offset; /* uint64[token_count / W2V_IDCODE_INDEX_STRIDE + 1] */
    uint64_t starts_offset, sentence_count;
    uint64_t file_size;
    uint64_t data_checksum;   /* of bytes [0, file_size - trailer_bytes) */
    uint64_t header_checksum; /* of this struct with this field 0 */
};

/* The checksum of the data and header fields: XXH3-64 (xxhash.h) of `size` bytes. */
uint64_t w2v_prepared_checksum(const void *data, size_t size);

/* Writing: sequential, buffered, checksummed. open() writes the lead; the
 * caller then writes the vocabulary (write_vocab), every id (write_ids, any
 * number of calls: it encodes them and notes the index entries in an unlinked
 * temporary file in tmp_dir; or write_codes, codes made by the caller), and hands over the sentence starts as a file
 * (finish copies the index and the starts in and appends the header). */
struct w2v_prepared_writer {
    FILE *fp;            /* the output: a stream (an atomic file) ... */
    int fd;              /* ... or, with fp NULL, a descriptor */
    const char *path;    /* for messages */
    const char *tmp_dir; /* where the index entries wait (NULL: $TMPDIR or /tmp) */
    struct w2v_prepared_header header;
    void *sum;       /* XXH3-64 state of the bytes before the trailer */
    uint64_t offset; /* bytes written so far (header included) */
    unsigned char *buffer;
    size_t buffered;
    int index_fd;    /* the index entries so far (opened by the first write_ids), or -1 */
    uint64_t *index; /* entries not yet written to index_fd */
    size_t indexed;
};

/* Writes to `fp`, or if it is NULL to the descriptor `fd` (a fresh, empty
 * file); the index entries wait in a temporary file in `tmp_dir`. */
int w2v_prepared_writer_open(struct w2v_prepared_writer *writer, FILE *fp, int fd, const char *path,
                             const char *tmp_dir);
int w2v_prepared_write_vocab(struct w2v_prepared_writer *writer, const struct w2v_vocab *vocab);
int w2v_prepared_write_ids(struct w2v_prepared_writer *writer, const uint32_t *ids, size_t count);
/* Appends `ids` ids already encoded (`bytes` bytes of idcode.h codes, made in
 * parallel by the caller): marks[m] is the offset in `codes` of the m-th of
 * them whose position in the whole id stream is a multiple of
 * W2V_IDCODE_INDEX_STRIDE, so each index entry lands at its token's code
 * (write_ids encodes ids and calls this). Marks that do not fit the positions,
 * or lie out of order or outside the codes, are refused before anything is
 * written. */
int w2v_prepared_write_codes(struct w2v_prepared_writer *writer, const uint8_t *codes, size_t bytes,
                             uint64_t ids, const uint64_t *marks, size_t mark_count);
/* Aligns, copies `sentence_count + 1` uint64 starts from starts_fd (read from
 * offset 0), and writes the header. Header fields other than the sections
 * and checksums are the caller's to fill before. */
int w2v_prepared_writer_finish(struct w2v_prepared_writer *writer, int starts_fd,
                               uint64_t sentence_count);
void w2v_prepared_writer_free(struct w2v_prepared_writer *writer);

/* Reading a mapped prepared file: checks the header, the size and the
 * section bounds; with verify also the data checksum, every code (the
 * shortest for its id, the id inside the vocabulary, the last one ending
 * exactly at ids_bytes, no code past it), every index entry, the zero padding
 * and the order of the sentence starts (one pass over the file). Without
 * verify the codes and index are trusted (this process's own temporary).
 * Rebuilds the vocabulary unless vocab is NULL (a heap table: words and
 * counts) and points encoded->codes, ->code_index and ->sentence_starts into
 * the mapping. `name` is for messages. */
int w2v_prepared_load(const void *data, uint64_t size, const char *name, bool verify,
                      struct w2v_prepared_header *header, struct w2v_vocab *vocab,
                      struct w2v_encoded_corpus *encoded);

#endif
