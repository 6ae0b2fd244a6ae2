/* encode.h — the corpus as a stream of word ids, built in one pass over the
 * text and kept in a file, not on the heap.
 *
 * w2v_encode_text reads the text once (a mapped file in parallel blocks, or a
 * stream block by block). Each counting thread looks every word up in its own
 * counter (vocab.h), which gives a provisional id, and appends the ids and the
 * line ends to its own unlinked temporary file. Once the vocabulary is known
 * (merged, or given with --read-vocab) the remap reads the temporaries back
 * in text order through mmap, maps provisional ids to final ids, drops words
 * outside the vocabulary (as word2vec.c does), cuts lines of more than
 * max_sentence_tokens in-vocabulary words into pieces (training windows never
 * cross a cut or a newline; a line is counted once however many blocks it
 * spans) and writes vocabulary, ids and sentence starts into a prepared file
 * (prepared.h). The remap runs on the same threads, piece by piece, from a
 * plan made in text order (encode.c), so the file is the one a sequential
 * pass would write, identical for any thread count given the vocabulary.
 *
 * The trainer reads struct w2v_encoded_corpus: the ids as codes (idcode.h,
 * 1 to 5 bytes an id), an index of every 4096th token's code and the sentence
 * starts (token positions) point into the read-only mapping of that file
 * (mapped file pages are reclaimable, not anonymous memory), or into arrays a
 * caller (a test) builds by hand. A reader starts at a token with
 * w2v_encoded_seek and decodes forward with w2v_idcode_get. */
#ifndef W2V_ENCODE_H
#define W2V_ENCODE_H

#include "w2v/idcode.h"
#include "w2v/input.h"
#include "w2v/vocab.h"

#include <stdbool.h>
#include <stdint.h>

struct w2v_prepared_writer; /* prepared.h */

struct w2v_encoded_corpus {
    const uint8_t *codes; /* token_count ids as codes (idcode.h), then W2V_IDCODE_PADDING zeros */
    uint64_t code_bytes;  /* the codes' bytes, padding not counted */
    const uint64_t *code_index; /* [k]: offset in codes of token k·W2V_IDCODE_INDEX_STRIDE,
                                   token_count / W2V_IDCODE_INDEX_STRIDE + 1 entries */
    uint64_t token_count;
    uint64_t *sentence_starts; /* sentence_count + 1 token positions; the last is token_count */
    uint64_t sentence_count;
    uint64_t cut_lines; /* lines longer than max_sentence_tokens */
    double seconds;     /* the remap pass that wrote the ids (prepared files: loading) */
    /* ownership: a mapping to unmap */
    void *mapping;
    size_t mapping_size;
    int tracked_mapping; /* signals.h slot of the mapping, or -1 */
};

struct w2v_encode_options {
    uint32_t threads;
    uint32_t max_sentence_tokens;
    uint32_t max_token_bytes;
    bool allow_binary;   /* train on text that looks binary (input.h) */
    const char *tmp_dir; /* where the provisional id streams go (unlinked at once) */
    /* Tuning: values per piece of the remap (remap.h; 0: W2V_REMAP_PIECE_VALUES).
     * Any size gives the same file: tests make it small so that a small corpus
     * spans many pieces and windows. */
    uint32_t remap_piece_values;
};

struct w2v_encode_report {
    double read_seconds;  /* reading, counting and writing provisional ids */
    double remap_seconds; /* remapping to final ids, writing the file */
    uint64_t text_bytes;  /* bytes of text read (decompressed) */
};

#define W2V_DEFAULT_MAX_SENTENCE_TOKENS 10000

/* Reads `input` (mapped or streamed text) once and writes a complete prepared
 * file into `writer` (the caller fills the header's settings first). With
 * vocab_given, *vocab is the vocabulary to encode with; otherwise it is
 * counted (vocab_options) and returned in *vocab, with vocab_report filled.
 * 0, or −1 with w2v_error set and *vocab freed unless given. */
int w2v_encode_text(struct w2v_input *input, struct w2v_vocab *vocab, bool vocab_given,
                    const struct w2v_vocab_options *vocab_options,
                    const struct w2v_encode_options *options, struct w2v_prepared_writer *writer,
                    struct w2v_vocab_report *vocab_report, struct w2v_encode_report *report);

/* Creates an unlinked temporary file in `dir` (O_TMPFILE, or mkstemp and
 * unlink at once): nothing is left behind even by SIGKILL. fd, or −1. */
int w2v_encode_temp_file(const char *dir, const char *purpose);

/* Writes all of data to fd, again after EINTR and short writes: 0, or −1 with errno set. */
int w2v_encode_write_all(int fd, const void *data, size_t size);

/* The code of token `token` (0 <= token <= token_count: token_count gives
 * the end of the codes): the index entry of its block, then at most
 * W2V_IDCODE_INDEX_STRIDE − 1 codes skipped. */
const uint8_t *w2v_encoded_seek(const struct w2v_encoded_corpus *encoded, uint64_t token);

void w2v_encoded_free(struct w2v_encoded_corpus *encoded);

#endif
