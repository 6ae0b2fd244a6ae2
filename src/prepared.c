/* prepared.c — the prepared corpus file: sequential writer (XXH3-64 checksums; it
 * encodes the ids as idcode.h codes and keeps their index in an unlinked
 * temporary file until finish copies it in), and the checked loader that
 * points an encoded corpus into the mapping (see prepared.h). */
#include "w2v/prepared.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/idcode.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#define XXH_INLINE_ALL /* header-only, as checkpoint.c */
#include <xxhash.h>

#define BYTE_ORDER_MARK 0x0102030405060708ull

uint64_t w2v_prepared_checksum(const void *data, size_t size) {
    return XXH3_64bits(data, size);
}

/* ---- writing ---- */

/* The write buffer; index entries held before they go to their temporary file
 * (64: one write per 256 Ki tokens). */
enum { WRITE_BUFFER_BYTES = 4 << 20, INDEX_HELD = 64 };

static int flush_buffer(struct w2v_prepared_writer *writer) {
    const unsigned char *p = writer->buffer;
    size_t size = writer->buffered;
    writer->buffered = 0;
    if (writer->fp ? size && fwrite(p, 1, size, writer->fp) != size
                   : w2v_encode_write_all(writer->fd, p, size) != 0)
        return w2v_error("cannot write '%s': %s", writer->path, strerror(errno));
    return 0;
}

/* Appends bytes, checksummed unless `raw`. */
static int put_bytes(struct w2v_prepared_writer *writer, const void *data, size_t size, bool raw) {
    const unsigned char *p = data;
    if (!raw) XXH3_64bits_update(writer->sum, p, size);
    writer->offset += size;
    while (size > 0) {
        size_t take = WRITE_BUFFER_BYTES - writer->buffered;
        if (take > size) take = size;
        memcpy(writer->buffer + writer->buffered, p, take);
        writer->buffered += take;
        p += take, size -= take;
        if (writer->buffered == WRITE_BUFFER_BYTES && flush_buffer(writer) != 0) return -1;
    }
    return 0;
}

static int put(struct w2v_prepared_writer *writer, const void *data, size_t size) {
    return put_bytes(writer, data, size, false);
}

static int align_to(struct w2v_prepared_writer *writer, uint64_t alignment) {
    static const unsigned char zeros[64];
    uint64_t pad = (alignment - writer->offset % alignment) % alignment;
    return pad ? put(writer, zeros, pad) : 0;
}

int w2v_prepared_writer_open(struct w2v_prepared_writer *writer, FILE *fp, int fd, const char *path,
                             const char *tmp_dir) {
    memset(writer, 0, sizeof *writer);
    writer->fp = fp;
    writer->fd = fd;
    writer->path = path;
    writer->tmp_dir = tmp_dir;
    writer->index_fd = -1;
    writer->buffer = w2v_xmalloc(WRITE_BUFFER_BYTES);
    writer->index = w2v_xmalloc(INDEX_HELD * sizeof *writer->index);
    memcpy(writer->header.magic, W2V_PREPARED_MAGIC, 8);
    writer->header.version = W2V_PREPARED_VERSION;
    writer->header.trailer_bytes = W2V_PREPARED_TRAILER_BYTES;
    writer->header.byte_order = BYTE_ORDER_MARK;
    writer->sum = XXH3_createState();
    XXH3_64bits_reset(writer->sum);
    unsigned char lead[W2V_PREPARED_LEAD_BYTES] = {0};
    memcpy(lead, W2V_PREPARED_MAGIC, 8);
    memcpy(lead + 8, &writer->header.version, sizeof writer->header.version);
    return put(writer, lead, sizeof lead);
}

int w2v_prepared_write_vocab(struct w2v_prepared_writer *writer, const struct w2v_vocab *vocab) {
    struct w2v_prepared_header *h = &writer->header;
    h->vocab_size = vocab->size;
    h->vocab_offset = writer->offset;
    int status = put(writer, vocab->table.counts, vocab->size * sizeof(uint64_t));
    if (status == 0) status = put(writer, vocab->table.lengths, vocab->size * sizeof(uint32_t));
    for (uint32_t id = 0; id < vocab->size && status == 0; id++)
        status = put(writer, w2v_vocab_word(vocab, id), vocab->table.lengths[id]);
    h->vocab_bytes = writer->offset - h->vocab_offset;
    if (status == 0) status = align_to(writer, 64);
    h->ids_offset = writer->offset;
    return status;
}

/* Notes that the token about to be written (its position a multiple of the
 * stride) starts at the current offset in the ids section. */
static int index_push(struct w2v_prepared_writer *writer) {
    if (writer->indexed == INDEX_HELD) {
        if (writer->index_fd < 0) writer->index_fd = w2v_encode_temp_file(writer->tmp_dir, "index");
        if (writer->index_fd < 0) return -1;
        if (w2v_encode_write_all(writer->index_fd, writer->index,
                                 writer->indexed * sizeof *writer->index) != 0)
            return w2v_error("cannot write the temporary id index: %s", strerror(errno));
        writer->indexed = 0;
    }
    writer->index[writer->indexed++] = writer->offset - writer->header.ids_offset;
    return 0;
}

int w2v_prepared_write_ids(struct w2v_prepared_writer *writer, const uint32_t *ids, size_t count) {
    /* up to the next index entry at a time, so at most a stride of codes wait here */
    uint8_t codes[W2V_IDCODE_INDEX_STRIDE * W2V_IDCODE_MAX_BYTES + 8]; /* + the last wide store */
    const uint64_t at_start = 0; /* the mark of a chunk that begins at an index entry */
    for (size_t i = 0; i < count;) {
        const uint64_t into = writer->header.token_count % W2V_IDCODE_INDEX_STRIDE;
        size_t take = W2V_IDCODE_INDEX_STRIDE - into;
        if (take > count - i) take = count - i;
        size_t bytes = 0;
        for (size_t k = 0; k < take; k++) bytes += w2v_idcode_put_wide(codes + bytes, ids[i + k]);
        if (w2v_prepared_write_codes(writer, codes, bytes, take, &at_start, into == 0) != 0)
            return -1;
        i += take;
    }
    return 0;
}

int w2v_prepared_write_codes(struct w2v_prepared_writer *writer, const uint8_t *codes, size_t bytes,
                             uint64_t ids, const uint64_t *marks, size_t mark_count) {
    struct w2v_prepared_header *h = &writer->header;
    /* the positions in [token_count, token_count + ids) that are multiples of the stride */
    const uint64_t stride = W2V_IDCODE_INDEX_STRIDE;
    const uint64_t due =
        (h->token_count + ids + stride - 1) / stride - (h->token_count + stride - 1) / stride;
    if (mark_count != due)
        return w2v_error("internal error: %zu index marks for %" PRIu64 " ids from token %" PRIu64,
                         mark_count, ids, h->token_count);
    for (size_t m = 0; m < mark_count; m++) /* in order, inside the codes: before writing */
        if ((m > 0 && marks[m] < marks[m - 1]) || marks[m] > bytes)
            return w2v_error("internal error: index mark %" PRIu64 " outside the codes", marks[m]);
    size_t done = 0;
    for (size_t m = 0; m < mark_count; m++) { /* the codes before each mark, then its entry */
        if (put(writer, codes + done, marks[m] - done) != 0 || index_push(writer) != 0) return -1;
        done = marks[m];
    }
    if (put(writer, codes + done, bytes - done) != 0) return -1;
    h->token_count += ids;
    h->ids_bytes = writer->offset - h->ids_offset;
    return 0;
}

static uint64_t header_checksum(const struct w2v_prepared_header *header) {
    struct w2v_prepared_header copy = *header;
    copy.header_checksum = 0;
    return w2v_prepared_checksum(&copy, sizeof copy);
}

/* Appends `bytes` bytes of the file `fd`, read from its offset 0. */
static int copy_file(struct w2v_prepared_writer *writer, int fd, uint64_t bytes, const char *what) {
    int status = 0;
    uint64_t left = bytes, from = 0;
    unsigned char *chunk = w2v_xmalloc(1 << 20);
    while (status == 0 && left > 0) {
        size_t want = left < (1u << 20) ? (size_t)left : (1u << 20);
        ssize_t got = pread(fd, chunk, want, (off_t)from);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
            status = w2v_error("cannot read back the %s: %s", what,
                               got < 0 ? strerror(errno) : "file too short");
            break;
        }
        status = put(writer, chunk, (size_t)got);
        from += (uint64_t)got, left -= (uint64_t)got;
    }
    w2v_free(chunk);
    return status;
}

int w2v_prepared_writer_finish(struct w2v_prepared_writer *writer, int starts_fd,
                               uint64_t sentence_count) {
    static const unsigned char zeros[W2V_IDCODE_PADDING];
    struct w2v_prepared_header *h = &writer->header;
    int status = 0;
    /* the index's last entry: the end of the codes when token_count is a multiple of the stride */
    if (h->token_count % W2V_IDCODE_INDEX_STRIDE == 0) status = index_push(writer);
    h->ids_bytes = writer->offset - h->ids_offset;
    /* the decoder's padding, then the index */
    if (status == 0) status = put(writer, zeros, sizeof zeros);
    if (status == 0) status = align_to(writer, 64);
    h->index_offset = writer->offset;
    const uint64_t entries = h->token_count / W2V_IDCODE_INDEX_STRIDE + 1;
    const uint64_t held = writer->indexed, spilled = entries - held;
    if (status == 0 && spilled)
        status = copy_file(writer, writer->index_fd, spilled * sizeof(uint64_t), "id index");
    if (status == 0) status = put(writer, writer->index, held * sizeof(uint64_t));
    if (status == 0) status = align_to(writer, 64);
    h->starts_offset = writer->offset;
    h->sentence_count = sentence_count;
    if (status == 0)
        status = copy_file(writer, starts_fd, (sentence_count + 1) * sizeof(uint64_t),
                           "sentence starts");
    if (status == 0) status = align_to(writer, 64);
    h->file_size = writer->offset + W2V_PREPARED_TRAILER_BYTES;
    h->data_checksum = XXH3_64bits_digest(writer->sum);
    h->header_checksum = header_checksum(h);
    unsigned char trailer[W2V_PREPARED_TRAILER_BYTES] = {0};
    _Static_assert(sizeof *h <= W2V_PREPARED_TRAILER_BYTES, "the header fits its trailer");
    memcpy(trailer, h, sizeof *h);
    if (status == 0) status = put_bytes(writer, trailer, sizeof trailer, true);
    if (status == 0) status = flush_buffer(writer);
    if (status == 0 && writer->fp && fflush(writer->fp) != 0)
        status = w2v_error("cannot write '%s': %s", writer->path, strerror(errno));
    return status;
}

void w2v_prepared_writer_free(struct w2v_prepared_writer *writer) {
    w2v_free(writer->buffer);
    writer->buffer = NULL;
    w2v_free(writer->index);
    writer->index = NULL;
    if (writer->index_fd >= 0) close(writer->index_fd);
    writer->index_fd = -1;
    if (writer->sum) XXH3_freeState(writer->sum);
    writer->sum = NULL;
}

/* ---- reading ---- */

/* The verify pass over the codes: each the shortest code of an id inside the
 * vocabulary, starting inside the section, every stride-th at its index
 * entry, the last ending exactly at ids_bytes, zeros after it up to the
 * index. NULL, or what is wrong. */
static const char *check_codes(const unsigned char *bytes, const struct w2v_prepared_header *h) {
    const uint8_t *codes = bytes + h->ids_offset;
    const uint64_t *index = (const uint64_t *)(bytes + h->index_offset);
    uint64_t at = 0; /* the offset of the next code */
    for (uint64_t t = 0; t < h->token_count; t++) {
        if (t % W2V_IDCODE_INDEX_STRIDE == 0 && index[t / W2V_IDCODE_INDEX_STRIDE] != at)
            return "an id index entry does not match the codes";
        if (at >= h->ids_bytes || w2v_idcode_length(codes[at]) > h->ids_bytes - at)
            return "an id code runs past the id section";
        const uint8_t *cursor = codes + at; /* reads at most at + 4 < ids_bytes + padding */
        const uint32_t id = w2v_idcode_get(&cursor);
        const size_t length = (size_t)(cursor - (codes + at));
        uint8_t shortest[W2V_IDCODE_MAX_BYTES];
        if (w2v_idcode_put(shortest, id) != length || shortest[0] != codes[at])
            return "an id code is not the shortest for its id";
        if (id >= h->vocab_size) return "an id outside the vocabulary";
        at += length;
    }
    if (at != h->ids_bytes) return "the id codes end before the id section does";
    if (h->token_count % W2V_IDCODE_INDEX_STRIDE == 0 &&
        index[h->token_count / W2V_IDCODE_INDEX_STRIDE] != at)
        return "an id index entry does not match the codes";
    for (uint64_t i = h->ids_offset + h->ids_bytes; i < h->index_offset; i++)
        if (bytes[i] != 0) return "bytes after the id codes are not zero";
    return NULL;
}

int w2v_prepared_load(const void *data, uint64_t size, const char *name, bool verify,
                      struct w2v_prepared_header *header, struct w2v_vocab *vocab,
                      struct w2v_encoded_corpus *encoded) {
    if (vocab) memset(vocab, 0, sizeof *vocab);
    const unsigned char *bytes = data;
    const uint64_t lead = W2V_PREPARED_LEAD_BYTES, trailer = W2V_PREPARED_TRAILER_BYTES;
    if (size < lead || memcmp(bytes, W2V_PREPARED_MAGIC, 8) != 0)
        return w2v_error("'%s' is not a prepared corpus", name);
    uint32_t version;
    memcpy(&version, bytes + 8, sizeof version);
    if (version < W2V_PREPARED_VERSION)
        return w2v_error("prepared corpus '%s' was written by an older w2v (format version %" PRIu32
                         ", this w2v reads version %u): run w2v prepare again",
                         name, version, W2V_PREPARED_VERSION);
    if (version != W2V_PREPARED_VERSION && version != __builtin_bswap32(W2V_PREPARED_VERSION))
        return w2v_error("prepared corpus '%s' has format version %" PRIu32
                         ", this w2v reads version %u: run w2v prepare again",
                         name, version, W2V_PREPARED_VERSION);
    if (size < lead + trailer)
        return w2v_error("prepared corpus '%s' is damaged: cut short (%" PRIu64 " bytes)", name,
                         size);
    memcpy(header, bytes + size - trailer, sizeof *header);
    const struct w2v_prepared_header *h = header;
    if (h->byte_order != BYTE_ORDER_MARK)
        return w2v_error("prepared corpus '%s' is damaged or from a machine of the other byte "
                         "order: run w2v prepare again",
                         name);
    bool padding_zero = true; /* the trailer past the struct is zeros */
    for (uint64_t i = size - trailer + sizeof *header; i < size; i++) padding_zero &= bytes[i] == 0;
    if (h->header_checksum != header_checksum(h) || !padding_zero)
        return w2v_error("prepared corpus '%s' is damaged: its header checksum does not match",
                         name);
    if (h->file_size != size)
        return w2v_error("prepared corpus '%s' is damaged: %" PRIu64
                         " bytes, its header says %" PRIu64,
                         name, size, h->file_size);
    /* Every bound as `a <= limit - b` (b <= limit checked first), never `a + b
     * <= limit`, which a forged header can wrap around (the fuzzer's finding). */
    const uint64_t data_end = size - trailer;
    const uint64_t counts_bytes = (uint64_t)h->vocab_size * 8,
                   lengths_bytes = (uint64_t)h->vocab_size * 4;
    const uint64_t index_entries = h->token_count / W2V_IDCODE_INDEX_STRIDE + 1;
    const uint64_t padding = W2V_IDCODE_PADDING;
    bool sane = h->trailer_bytes == trailer && h->vocab_offset == lead && h->vocab_size > 0 &&
                h->token_count > 0 && h->vocab_bytes >= counts_bytes + lengths_bytes &&
                /* vocabulary, then the codes and their padding */
                h->ids_offset % 64 == 0 && h->ids_offset >= lead && h->ids_offset <= data_end &&
                h->vocab_bytes <= h->ids_offset - lead && h->token_count <= h->ids_bytes &&
                padding <= data_end - h->ids_offset &&
                h->ids_bytes <= data_end - h->ids_offset - padding &&
                /* the index after the padding */
                h->index_offset % 64 == 0 && h->index_offset <= data_end &&
                h->index_offset >= h->ids_offset && padding <= h->index_offset - h->ids_offset &&
                h->ids_bytes <= h->index_offset - h->ids_offset - padding &&
                /* the sentence starts after the index */
                h->starts_offset % 64 == 0 && h->starts_offset <= data_end &&
                h->starts_offset >= h->index_offset &&
                index_entries <= (h->starts_offset - h->index_offset) / 8 &&
                h->sentence_count < (data_end - h->starts_offset) / 8;
    if (!sane) return w2v_error("prepared corpus '%s' is damaged: inconsistent sections", name);
    if (verify) {
        if (w2v_prepared_checksum(bytes, data_end) != h->data_checksum)
            return w2v_error("prepared corpus '%s' is damaged: its data checksum does not match",
                             name);
    }
    const uint64_t *starts = (const uint64_t *)(bytes + h->starts_offset);
    if (verify) {
        const char *wrong = check_codes(bytes, h);
        if (wrong) return w2v_error("prepared corpus '%s' is damaged: %s", name, wrong);
        uint64_t s = 0;
        while (s < h->sentence_count && starts[s] < starts[s + 1]) s++;
        if (s < h->sentence_count)
            return w2v_error("prepared corpus '%s' is damaged: sentence starts out of order", name);
    }
    const uint64_t *counts = (const uint64_t *)(bytes + h->vocab_offset);
    const uint32_t *lengths = (const uint32_t *)(bytes + h->vocab_offset + counts_bytes);
    const char *words = (const char *)(bytes + h->vocab_offset + counts_bytes + lengths_bytes);
    if (vocab && w2v_vocab_from_arrays(vocab, h->vocab_size, counts, lengths, words,
                                       h->vocab_bytes - counts_bytes - lengths_bytes, name) != 0)
        return -1;
    memset(encoded, 0, sizeof *encoded);
    encoded->tracked_mapping = -1;
    encoded->codes = bytes + h->ids_offset;
    encoded->code_bytes = h->ids_bytes;
    encoded->code_index = (const uint64_t *)(bytes + h->index_offset);
    encoded->token_count = h->token_count;
    encoded->sentence_starts = (uint64_t *)(bytes + h->starts_offset);
    encoded->sentence_count = h->sentence_count;
    encoded->cut_lines = h->cut_lines;
    if (encoded->sentence_starts[h->sentence_count] != h->token_count ||
        encoded->sentence_starts[0] != 0) {
        if (vocab) w2v_vocab_free(vocab);
        memset(encoded, 0, sizeof *encoded);
        return w2v_error("prepared corpus '%s' is damaged: bad sentence starts", name);
    }
    return 0;
}
