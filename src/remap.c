/* remap.c — the provisional streams into a prepared file, in parallel (see remap.h).
 *
 * The streams are cut into pieces of at most piece_values values (a piece
 * never spans two segments), and a window of pieces at a time goes through
 * three steps:
 *   1. survey (parallel): each piece's ids (its values that are kept words)
 *      and those after its last line end;
 *   2. plan (in text order, over the surveys): the position of each piece's
 *      first id, and the sentence in progress where it begins (its ids so far,
 *      whether its line was cut already);
 *   3. encode (parallel): each piece's codes, index marks and sentence starts
 *      into a ring slot; whichever thread finishes the piece that is next in
 *      text order appends it, and every finished one after it, to the file.
 * Cutting a window walks it in text order and notes, per piece, the
 * generation of every partition its stream's ids are in at its first value
 * (the counting events before it) and that stream's next event. So each piece
 * is translated on its own, and the file holds the bytes one sequential pass
 * would write, whatever the thread count and piece size. A window
 * (WINDOW_PIECES pieces, 256 MiB of stream at the default piece size) is read
 * twice while it is still in the page cache.
 *
 * On one thread a piece simply begins where the one before ended, with no
 * survey: the sequential pass. On more, the survey reads every value once
 * more, and the appends stay sequential (memcpy, XXH3 and write of the codes,
 * 1.6 bytes an id on English). */

#include "w2v/remap.h"

#include "w2v/alloc.h"
#include "w2v/encode.h"
#include "w2v/error.h"
#include "w2v/idcode.h"
#include "w2v/parallel.h"
#include "w2v/prepared.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Tuning: pieces a window; sentence starts held before a write to their file. */
enum { WINDOW_PIECES = 256, STARTS_HELD = 1 << 16 };

struct starts_out {
    int fd;
    uint64_t *buffer;
    size_t buffered;
    uint64_t count;
    int failed_errno;
};

static void starts_push(struct starts_out *s, uint64_t start) {
    s->buffer[s->buffered++] = start;
    s->count++;
    if (s->buffered == STARTS_HELD) {
        if (!s->failed_errno &&
            w2v_encode_write_all(s->fd, s->buffer, s->buffered * sizeof *s->buffer) != 0)
            s->failed_errno = errno;
        s->buffered = 0;
    }
}

struct piece {
    const uint32_t *values;
    uint64_t first;      /* values[0]'s position in its stream */
    uint32_t count;      /* values */
    uint32_t stream;     /* whose values */
    uint64_t next_event; /* that stream's first event at or after `first` */
    /* survey */
    uint64_t ids, tail; /* kept ids; those after its last line end */
    bool has_end;
    /* plan */
    uint64_t token; /* the position of its first id in the whole id stream */
    uint64_t open;  /* ids of the sentence in progress where it begins */
    bool line_cut;  /* that sentence's line was cut already */
};

/* What a piece becomes: its codes, the offsets in them of the ids whose
 * position is a multiple of W2V_IDCODE_INDEX_STRIDE, and the sentence starts
 * it ends (the last sentence is the caller's). */
struct piece_out {
    uint8_t *codes; /* piece_values codes + the last wide store */
    size_t bytes;
    uint64_t *marks; /* piece_values / W2V_IDCODE_INDEX_STRIDE + 1 */
    size_t mark_count;
    uint64_t *starts;
    size_t start_count, start_capacity;
    uint64_t ids, cut_lines;
    uint64_t open; /* where it ends: the ids of the sentence in progress, */
    bool line_cut; /* and whether its line was cut already */
    bool done;     /* encoded, not yet appended */
};

struct remap {
    const struct w2v_remap_input *in;
    const struct w2v_count_tables *tables; /* NULL: a given vocabulary, the values are ids */
    uint32_t partitions, max_sentence, piece_values;
    /* cutting: where the next window starts, and each stream's state there */
    size_t segment;
    uint64_t segment_offset;
    uint64_t *cursor;     /* per stream: the position of its next segment */
    uint64_t *next_event; /* per stream */
    uint32_t *generation; /* streams × partitions */
    /* the window */
    struct piece *pieces;
    uint32_t *generations; /* WINDOW_PIECES × partitions: the pieces' generations */
    size_t piece_count;
    /* the plan's state after the last planned piece */
    uint64_t token, open;
    bool line_cut;
    /* survey: the next piece; encode: the ring */
    atomic_size_t next_survey;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    struct piece_out *ring;
    size_t ring_size, next_encode, appended;
    bool appending, failed;
    char error[W2V_ERROR_MAX];
    struct w2v_prepared_writer *writer;
    struct starts_out *starts;
    uint64_t cut_lines;
};

/* Cuts the next window (at most WINDOW_PIECES pieces) from the segments. */
static void cut_window(struct remap *r) {
    const struct w2v_remap_input *in = r->in;
    const uint32_t P = r->partitions;
    r->piece_count = 0;
    while (r->piece_count < WINDOW_PIECES && r->segment < in->segment_count) {
        const struct w2v_remap_segment *g = &in->segments[r->segment];
        const uint32_t t = g->stream;
        if (r->segment_offset == g->values) {
            r->cursor[t] += g->values;
            r->segment++, r->segment_offset = 0;
            continue;
        }
        const uint64_t first = r->cursor[t] + r->segment_offset;
        const uint64_t left = g->values - r->segment_offset;
        const uint32_t count = left < r->piece_values ? (uint32_t)left : r->piece_values;
        const struct w2v_counter *counter = r->tables ? in->counters[t] : NULL;
        uint32_t *generation = r->generation + (size_t)t * P;
        while (r->tables && r->next_event[t] < counter->event_count &&
               counter->events[r->next_event[t]].position < first) {
            const struct w2v_count_event *event = &counter->events[r->next_event[t]++];
            generation[event->partition] = event->generation;
        }
        memcpy(r->generations + r->piece_count * P, generation, P * sizeof *generation);
        r->pieces[r->piece_count++] = (struct piece){
            .values = in->streams[t] + first,
            .first = first,
            .count = count,
            .stream = t,
            .next_event = r->next_event[t],
        };
        r->segment_offset += count;
    }
}

/* Reading a piece's values as final ids: its stream's maps, moved on by the
 * counting events inside the piece as they come. */
struct piece_reader {
    const uint32_t *map[W2V_COUNT_MAX_PARTITIONS];
    const struct w2v_count_tables *tables;
    const struct w2v_counter *counter;
    uint64_t event, event_at; /* the next event, and its position in the piece */
    uint64_t first;
};

static void reader_init(struct piece_reader *reader, const struct remap *r, size_t i) {
    const struct piece *piece = &r->pieces[i];
    reader->tables = r->tables;
    reader->counter = r->tables ? r->in->counters[piece->stream] : NULL;
    reader->first = piece->first;
    reader->event = piece->next_event;
    reader->event_at = UINT64_MAX;
    if (!r->tables) return;
    for (uint32_t p = 0; p < r->partitions; p++)
        reader->map[p] = r->tables->parts[p].maps[r->generations[i * r->partitions + p]];
    if (reader->event < reader->counter->event_count)
        reader->event_at = reader->counter->events[reader->event].position - reader->first;
}

/* Value k of the piece (k counting up from 0): a line end, W2V_ID_DROPPED or an id. */
static inline uint32_t reader_get(struct piece_reader *reader, const uint32_t *values, uint64_t k,
                                  bool *line_end) {
    while (k == reader->event_at) { /* the stream's ids of one partition: a later generation */
        const struct w2v_count_event *event = &reader->counter->events[reader->event++];
        reader->map[event->partition] =
            reader->tables->parts[event->partition].maps[event->generation];
        reader->event_at = reader->event < reader->counter->event_count
                               ? reader->counter->events[reader->event].position - reader->first
                               : UINT64_MAX;
    }
    const uint32_t value = values[k];
    *line_end = value == W2V_COUNT_LINE_END;
    if (*line_end || !reader->tables) return value;
    /* 64-bit shift: index_bits is 32 with one partition */
    return reader
        ->map[(uint64_t)value >> reader->tables->index_bits][value & reader->tables->index_mask];
}

/* Step 1, one piece: how many ids, and how many after its last line end. */
static void survey_piece(struct remap *r, size_t i) {
    struct piece *piece = &r->pieces[i];
    struct piece_reader reader;
    reader_init(&reader, r, i);
    uint64_t ids = 0, since_end = 0;
    bool line_end;
    piece->has_end = false;
    for (uint64_t k = 0; k < piece->count; k++) {
        const uint32_t id = reader_get(&reader, piece->values, k, &line_end);
        if (line_end) {
            piece->has_end = true;
            since_end = 0;
        } else if (id != W2V_ID_DROPPED) {
            ids++, since_end++;
        }
    }
    piece->ids = ids;
    piece->tail = since_end;
}

static void *survey_job(void *arg) {
    struct remap *r = *(struct remap **)arg;
    for (size_t i; (i = atomic_fetch_add(&r->next_survey, 1)) < r->piece_count;) survey_piece(r, i);
    return NULL;
}

/* `n` more ids on a line whose sentence in progress holds *open ids: a
 * sentence that reaches max ids is closed before the next id (the cut). */
static void add_to_line(uint64_t max, uint64_t *open, bool *line_cut, uint64_t n) {
    const uint64_t total = *open + n;
    if (total <= max) {
        *open = total;
    } else { /* cut at every max ids: what is left is 1 to max */
        *open = (total - 1) % max + 1;
        *line_cut = true;
    }
}

/* Step 2: each piece's first position and sentence state, in text order. */
static void plan_window(struct remap *r) {
    for (size_t i = 0; i < r->piece_count; i++) {
        struct piece *piece = &r->pieces[i];
        piece->token = r->token;
        piece->open = r->open;
        piece->line_cut = r->line_cut;
        r->token += piece->ids;
        if (piece->has_end) {
            r->open = 0, r->line_cut = false;
            add_to_line(r->max_sentence, &r->open, &r->line_cut, piece->tail);
        } else {
            add_to_line(r->max_sentence, &r->open, &r->line_cut, piece->ids);
        }
    }
}

static void out_start(struct piece_out *out, uint64_t start) {
    if (out->start_count == out->start_capacity) {
        out->start_capacity = out->start_capacity ? 2 * out->start_capacity : 64;
        out->starts = w2v_xrealloc(out->starts, out->start_capacity * sizeof *out->starts);
    }
    out->starts[out->start_count++] = start;
}

/* Step 3, one piece: the sequential pass's work on its values, from the
 * position and sentence state the plan gave it. */
static void encode_piece(const struct remap *r, size_t i, struct piece_out *out) {
    const struct piece *piece = &r->pieces[i];
    struct piece_reader reader;
    reader_init(&reader, r, i);
    uint64_t count = piece->token, sentence_start = piece->token - piece->open;
    bool line_was_cut = piece->line_cut, line_end;
    out->bytes = out->mark_count = out->start_count = 0;
    out->cut_lines = 0;
    for (uint64_t k = 0; k < piece->count; k++) {
        const uint32_t id = reader_get(&reader, piece->values, k, &line_end);
        if (line_end) {
            if (count > sentence_start) out_start(out, sentence_start);
            sentence_start = count;
            line_was_cut = false;
            continue;
        }
        if (id == W2V_ID_DROPPED) continue;
        if (count - sentence_start == r->max_sentence) {
            out_start(out, sentence_start);
            sentence_start = count;
            out->cut_lines += !line_was_cut;
            line_was_cut = true;
        }
        if (count % W2V_IDCODE_INDEX_STRIDE == 0) out->marks[out->mark_count++] = out->bytes;
        out->bytes += w2v_idcode_put_wide(out->codes + out->bytes, id);
        count++;
    }
    out->ids = count - piece->token;
    out->open = count - sentence_start;
    out->line_cut = line_was_cut;
}

/* Appends one encoded piece to the file and the starts. */
static int append_piece(struct remap *r, const struct piece_out *out) {
    if (w2v_prepared_write_codes(r->writer, out->codes, out->bytes, out->ids, out->marks,
                                 out->mark_count) != 0)
        return -1;
    for (size_t s = 0; s < out->start_count; s++) starts_push(r->starts, out->starts[s]);
    r->cut_lines += out->cut_lines;
    return 0;
}

/* Takes pieces in text order and encodes each into its ring slot, once the
 * piece that held the slot before is appended. Whoever finishes the piece
 * that is next in text order appends it and the finished ones after it, so no
 * thread waits for a thread that is not working, and job 0 alone (no thread
 * could start) does everything in order. */
static void *encode_job(void *arg) {
    struct remap *r = *(struct remap **)arg;
    pthread_mutex_lock(&r->lock);
    while (!r->failed && r->next_encode < r->piece_count) {
        const size_t i = r->next_encode++;
        while (!r->failed && i >= r->appended + r->ring_size)
            pthread_cond_wait(&r->changed, &r->lock);
        if (r->failed) break;
        struct piece_out *out = &r->ring[i % r->ring_size];
        pthread_mutex_unlock(&r->lock);
        encode_piece(r, i, out);
        pthread_mutex_lock(&r->lock);
        out->done = true;
        if (r->appending) continue;
        r->appending = true;
        while (!r->failed && r->appended < r->piece_count &&
               r->ring[r->appended % r->ring_size].done) {
            struct piece_out *next = &r->ring[r->appended % r->ring_size];
            pthread_mutex_unlock(&r->lock);
            const int status = append_piece(r, next);
            pthread_mutex_lock(&r->lock);
            if (status != 0 && !r->failed) {
                r->failed = true;
                snprintf(r->error, sizeof r->error, "%s", w2v_last_error());
            }
            next->done = false;
            r->appended++;
            pthread_cond_broadcast(&r->changed);
        }
        r->appending = false;
    }
    pthread_cond_broadcast(&r->changed);
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

/* One thread: each piece begins where the one before ended, so there is
 * nothing to survey or plan, and every value is read once. */
static int remap_window_alone(struct remap *r) {
    struct piece_out *out = &r->ring[0];
    for (size_t i = 0; i < r->piece_count; i++) {
        struct piece *piece = &r->pieces[i];
        piece->token = r->token;
        piece->open = r->open;
        piece->line_cut = r->line_cut;
        encode_piece(r, i, out);
        if (append_piece(r, out) != 0) return -1;
        r->token += out->ids;
        r->open = out->open;
        r->line_cut = out->line_cut;
    }
    return 0;
}

int w2v_remap(const struct w2v_remap_input *in, struct w2v_prepared_writer *writer,
              uint64_t *cut_lines) {
    if (in->max_sentence == 0 || in->threads == 0)
        return w2v_error("the remap needs max_sentence and threads of at least 1");
    const struct w2v_count_tables *tables = in->tables;
    struct remap r = {
        .in = in,
        .tables = tables,
        .partitions = tables ? tables->partitions : 0,
        .max_sentence = in->max_sentence,
        .piece_values = in->piece_values ? in->piece_values : W2V_REMAP_PIECE_VALUES,
        .writer = writer,
    };
    const uint32_t streams = in->stream_count;
    r.cursor = w2v_xcalloc(streams + 1, sizeof *r.cursor);
    r.next_event = w2v_xcalloc(streams + 1, sizeof *r.next_event);
    r.generation = w2v_xcalloc((size_t)streams * r.partitions + 1, sizeof *r.generation);
    r.pieces = w2v_xcalloc(WINDOW_PIECES, sizeof *r.pieces);
    r.generations = w2v_xcalloc((size_t)WINDOW_PIECES * r.partitions + 1, sizeof *r.generations);
    struct starts_out starts = {.fd = w2v_encode_temp_file(in->tmp_dir, "starts")};
    int status = starts.fd < 0 ? -1 : 0;
    starts.buffer = w2v_xmalloc(STARTS_HELD * sizeof *starts.buffer);
    r.starts = &starts;
    /* the ring: two slots a thread, so a thread need not wait for the append */
    r.ring_size = 2 * (size_t)in->threads;
    r.ring = w2v_xcalloc(r.ring_size, sizeof *r.ring);
    for (size_t s = 0; s < r.ring_size; s++) {
        r.ring[s].codes = w2v_xmalloc((size_t)r.piece_values * W2V_IDCODE_MAX_BYTES + 8);
        r.ring[s].marks =
            w2v_xmalloc((r.piece_values / W2V_IDCODE_INDEX_STRIDE + 1) * sizeof *r.ring[s].marks);
    }
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.changed, NULL);
    struct remap **jobs = w2v_xcalloc(in->threads, sizeof *jobs);
    for (uint32_t t = 0; t < in->threads; t++) jobs[t] = &r;
    while (status == 0) {
        cut_window(&r);
        if (r.piece_count == 0) break;
        if (in->threads == 1) {
            status = remap_window_alone(&r);
            continue;
        }
        const uint32_t threads =
            r.piece_count < in->threads ? (uint32_t)r.piece_count : in->threads;
        atomic_init(&r.next_survey, 0);
        w2v_run_parallel(survey_job, jobs, sizeof *jobs, threads);
        plan_window(&r);
        r.next_encode = r.appended = 0;
        w2v_run_parallel(encode_job, jobs, sizeof *jobs, threads);
        if (r.failed) status = w2v_error("%s", r.error);
    }
    *cut_lines = r.cut_lines;
    const uint64_t count = r.token;
    if (status == 0) {
        if (r.open > 0) starts_push(&starts, count - r.open); /* the last sentence */
        uint64_t sentences = starts.count;
        starts_push(&starts, count); /* the end of the last sentence */
        if (!starts.failed_errno &&
            w2v_encode_write_all(starts.fd, starts.buffer,
                                 starts.buffered * sizeof *starts.buffer) != 0)
            starts.failed_errno = errno;
        if (starts.failed_errno)
            status = w2v_error("cannot write the temporary sentence starts: %s",
                               strerror(starts.failed_errno));
        writer->header.cut_lines = *cut_lines;
        if (status == 0 && count == 0)
            status = w2v_error("the corpus has no words from the vocabulary");
        if (status == 0) status = w2v_prepared_writer_finish(writer, starts.fd, sentences);
    }
    if (starts.fd >= 0) close(starts.fd);
    for (size_t s = 0; s < r.ring_size; s++) {
        w2v_free(r.ring[s].codes);
        w2v_free(r.ring[s].marks);
        w2v_free(r.ring[s].starts);
    }
    pthread_cond_destroy(&r.changed);
    pthread_mutex_destroy(&r.lock);
    w2v_free(jobs);
    w2v_free(r.ring);
    w2v_free(starts.buffer);
    w2v_free(r.cursor);
    w2v_free(r.next_event);
    w2v_free(r.generation);
    w2v_free(r.pieces);
    w2v_free(r.generations);
    return status;
}
