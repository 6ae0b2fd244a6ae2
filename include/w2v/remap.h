/* remap.h — the second half of encoding a text (encode.h): the counting
 * threads' provisional streams, read back in text order, become a prepared
 * file's ids, index and sentence starts.
 *
 * A stream is one counting thread's values: provisional ids (count.h), or
 * final ids where the vocabulary was given, and W2V_COUNT_LINE_END at each
 * newline. The segments say, block of text by block of text in text order,
 * whose stream holds the block's values and how many there are.
 *
 * The remap maps each value to its final id (through the partition maps of
 * the generation its thread's counter events give at that position), drops
 * words outside the vocabulary, cuts lines of more than max_sentence ids, and
 * appends the codes and the sentence starts to the writer, which it finishes.
 * It runs on `threads` threads, piece by piece, from a plan made in text
 * order (remap.c), and writes the bytes one sequential pass would write,
 * whatever the thread count and the piece size. */
#ifndef W2V_REMAP_H
#define W2V_REMAP_H

#include "w2v/count.h"

#include <stdint.h>

struct w2v_prepared_writer; /* prepared.h */

/* Tuning: values per piece (at most 2^32 − 1; 0 in w2v_remap_input: this). */
#define W2V_REMAP_PIECE_VALUES (1u << 18)

struct w2v_remap_segment {
    uint32_t stream; /* whose values */
    uint64_t values; /* how many, following that stream's earlier segments */
};

struct w2v_remap_input {
    uint32_t stream_count;
    const uint32_t *const *streams; /* [stream_count]: the values (NULL: none) */
    const struct w2v_counter *const
        *counters; /* [stream_count]: events sorted; NULL with tables NULL */
    const struct w2v_count_tables *tables;    /* NULL: the streams hold final ids */
    const struct w2v_remap_segment *segments; /* in text order */
    size_t segment_count;
    uint32_t max_sentence; /* ids a sentence may hold (at least 1) */
    uint32_t threads;      /* at least 1 */
    uint32_t piece_values; /* 0: W2V_REMAP_PIECE_VALUES; tests make it small */
    const char *tmp_dir;   /* where the sentence starts wait (NULL: $TMPDIR or /tmp) */
};

/* Appends every id and finishes the writer (the vocabulary is written
 * already); *cut_lines gets the lines cut into several sentences. 0, or −1
 * with w2v_error set (a write failed, or no value is an id). */
int w2v_remap(const struct w2v_remap_input *input, struct w2v_prepared_writer *writer,
              uint64_t *cut_lines);

#endif
