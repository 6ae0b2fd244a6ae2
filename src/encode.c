/* encode.c — one pass over the text: tokenize, count, write provisional ids;
 * then the remap, in parallel pieces, into a prepared file (see encode.h).
 *
 * The provisional stream of a counting thread is a file of uint32 values:
 * provisional ids (count.h: partition and index) and LINE_END at each
 * newline. A word's id is known only when its bin is flushed into its
 * partition, so a thread reserves the word's slot in its write buffer and
 * flushes its bins before it writes that buffer and at the end of each block
 * (the bins point into the block's text). Where a partition was pruned, the
 * thread's counter records an event (stream position, partition, generation)
 * instead of a marker in the stream. Blocks of text are handed out in order;
 * `segments` remembers, for every block in text order, which thread encoded
 * it and how many values it wrote, so the remap pass can read the threads'
 * files back in text order. */
#include "w2v/encode.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/parallel.h"
#include "w2v/prepared.h"
#include "w2v/signals.h"
#include "w2v/timer.h"
#include "w2v/tokenizer.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define LINE_END W2V_COUNT_LINE_END

/* Tuning: text per block of a mapped file / of a stream, values per spill buffer. */
enum { MAPPED_BLOCK_BYTES = 64 << 20, STREAM_BLOCK_BYTES = 4 << 20, SPILL_VALUES = 1 << 18 };

int w2v_encode_temp_file(const char *dir, const char *purpose) {
    if (!dir || !*dir) dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
    size_t size = strlen(dir) + 32;
    char *path = w2v_xmalloc(size);
    snprintf(path, size, "%s/.w2v-%s.XXXXXX", dir, purpose);
    int tracked = -1;
    fd = mkstemp(path);
    if (fd >= 0) {
        tracked = w2v_signals_track_file(path);
        unlink(path);
        w2v_signals_untrack_file(tracked);
    }
    int saved = errno;
    if (fd < 0)
        w2v_error("cannot create a temporary %s file in '%s': %s", purpose, dir, strerror(saved));
    w2v_free(path);
    return fd;
}

/* ---- a thread's provisional stream ---- */

struct spill {
    int fd;
    uint32_t *buffer;
    size_t buffered;
    uint64_t written; /* values, flushed or not */
    int failed_errno;
};

static int write_all(int fd, const void *data, size_t size) {
    const char *p = data;
    while (size > 0) {
        ssize_t done = write(fd, p, size);
        if (done < 0 && errno == EINTR) continue;
        if (done < 0) return -1;
        p += done, size -= (size_t)done;
    }
    return 0;
}

static void spill_flush(struct spill *s) {
    if (s->buffered && !s->failed_errno &&
        write_all(s->fd, s->buffer, s->buffered * sizeof *s->buffer) != 0)
        s->failed_errno = errno;
    s->buffered = 0;
}

/* ---- counting threads ---- */

struct segment {
    uint32_t worker;
    uint64_t values;
};

struct encoder; /* shared by the workers */

struct worker {
    struct encoder *encoder;
    uint32_t index;
    bool counting;              /* false with a given vocabulary */
    struct w2v_counter counter; /* writes ids into spill.buffer */
    struct spill spill;
    uint64_t tokens, truncated;
};

struct encoder {
    const struct w2v_vocab *given; /* NULL: count */
    const struct w2v_encode_options *options;
    struct worker *workers;
    struct w2v_count_tables tables; /* unless given */
    uint32_t threads;
    /* mapped input: blocks handed out by an atomic counter */
    const char *text;
    size_t *bounds;
    size_t block_count;
    atomic_size_t next_block;
    struct segment *segments;
    size_t segment_count;
};

/* Writes the worker's buffer out, its bins flushed first (they fill it). */
static void worker_flush(struct worker *w) {
    if (w->counting) w2v_counter_flush(&w->counter);
    spill_flush(&w->spill);
    w->counter.out_base = w->spill.written;
}

/* Tokenizes one block into the worker's stream. */
static uint64_t encode_block(struct worker *w, const char *begin, const char *end) {
    const struct encoder *e = w->encoder;
    struct spill *s = &w->spill;
    uint64_t before = s->written;
    struct w2v_tokenizer tokenizer;
    w2v_tokenizer_init(&tokenizer, begin, end, e->options->max_token_bytes);
    const char *word;
    uint32_t len;
    enum w2v_token_kind kind;
    while ((kind = w2v_tokenizer_next(&tokenizer, &word, &len)) != W2V_TOKEN_END) {
        uint32_t slot = (uint32_t)s->buffered;
        if (kind != W2V_TOKEN_WORD) {
            s->buffer[slot] = LINE_END;
        } else if (w->tokens++, w->counting) {
            /* the slot's id arrives when the bin is flushed (maybe at once) */
            w2v_counter_add(&w->counter, word, len, slot);
        } else {
            int64_t id = w2v_vocab_find(e->given, word, len);
            if (id < 0) continue; /* not in the vocabulary: dropped */
            s->buffer[slot] = (uint32_t)id;
        }
        s->buffered++;
        s->written++;
        if (s->buffered == SPILL_VALUES) worker_flush(w);
    }
    if (w->counting) w2v_counter_flush(&w->counter); /* before the text goes */
    w->truncated += tokenizer.truncated;
    return s->written - before;
}

static void *encode_mapped_blocks(void *arg) {
    struct worker *w = arg;
    struct encoder *e = w->encoder;
    for (;;) {
        size_t b = atomic_fetch_add(&e->next_block, 1);
        if (b >= e->block_count) break;
        uint64_t values = encode_block(w, e->text + e->bounds[b], e->text + e->bounds[b + 1]);
        e->segments[b] = (struct segment){w->index, values};
    }
    worker_flush(w);
    return NULL;
}

/* Where a stream block may end: after its last newline; failing that after
 * its last separator (an over-long line); failing that anywhere. */
static size_t block_end(const char *data, size_t size) {
    for (size_t i = size; i-- > 0;)
        if (data[i] == '\n') return i + 1;
    for (size_t i = size; i-- > 0;)
        if (w2v_byte_class[(unsigned char)data[i]] != 0) return i + 1;
    return size;
}

/* ---- streams: the calling thread decodes, `threads` workers encode ----
 * A ring of slots: the reader fills slot (block % slots) with whole lines
 * and publishes block numbers in order; workers take blocks in order, so
 * each worker's stream holds its blocks in text order. */

struct stream_slot {
    char *data;
    size_t size;
    bool filled;
};

struct stream_queue {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    struct stream_slot *slots;
    size_t slot_count, segment_capacity;
    uint64_t published, taken;
    bool finished, stop;
};

struct stream_job {
    struct worker *worker;
    struct stream_queue *queue;
};

static void *encode_stream_blocks(void *arg) {
    struct stream_job *job = arg;
    struct worker *w = job->worker;
    struct stream_queue *q = job->queue;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (q->taken == q->published && !q->finished && !q->stop)
            pthread_cond_wait(&q->changed, &q->lock);
        if (q->taken == q->published || q->stop) break;
        uint64_t b = q->taken++;
        struct stream_slot *slot = &q->slots[b % q->slot_count];
        pthread_mutex_unlock(&q->lock);
        uint64_t values = encode_block(w, slot->data, slot->data + slot->size);
        pthread_mutex_lock(&q->lock);
        w->encoder->segments[b] = (struct segment){w->index, values};
        slot->filled = false;
        pthread_cond_broadcast(&q->changed);
    }
    pthread_mutex_unlock(&q->lock);
    worker_flush(w);
    return NULL;
}

/* Fills `slot` with the carried-over text and then whole lines read from
 * input; what follows the last line end is carried into the next block. */
static int fill_slot(struct w2v_input *input, struct stream_slot *slot, char *carry,
                     size_t *carried, bool *at_end, uint64_t *text_bytes) {
    memcpy(slot->data, carry, *carried);
    size_t filled = *carried;
    while (filled < STREAM_BLOCK_BYTES && !*at_end) {
        ssize_t got = w2v_input_read(input, slot->data + filled, STREAM_BLOCK_BYTES - filled);
        if (got < 0) return -1;
        *at_end = got == 0;
        filled += (size_t)got;
        *text_bytes += (uint64_t)got;
    }
    slot->size = *at_end ? filled : block_end(slot->data, filled);
    *carried = filled - slot->size;
    memcpy(carry, slot->data + slot->size, *carried);
    return 0;
}

static int encode_stream(struct encoder *e, struct w2v_input *input, uint64_t *text_bytes) {
    struct stream_queue q = {.slot_count = e->threads + 2};
    pthread_mutex_init(&q.lock, NULL);
    pthread_cond_init(&q.changed, NULL);
    q.slots = w2v_xcalloc(q.slot_count, sizeof *q.slots);
    for (size_t i = 0; i < q.slot_count; i++) q.slots[i].data = w2v_xmalloc(STREAM_BLOCK_BYTES);
    char *carry = w2v_xmalloc(STREAM_BLOCK_BYTES);
    struct stream_job *jobs = w2v_xcalloc(e->threads, sizeof *jobs);
    pthread_t *ids = w2v_xcalloc(e->threads, sizeof *ids);
    uint32_t started = 0;
    for (uint32_t t = 0; t < e->threads; t++) {
        jobs[t] = (struct stream_job){&e->workers[t], &q};
        if (pthread_create(&ids[started], NULL, encode_stream_blocks, &jobs[t]) == 0) started++;
    }
    size_t carried = 0;
    bool at_end = false, checked = e->options->allow_binary;
    int status = 0;
    while (status == 0 && !at_end) {
        pthread_mutex_lock(&q.lock);
        struct stream_slot *slot = &q.slots[q.published % q.slot_count];
        while (slot->filled && !q.stop) pthread_cond_wait(&q.changed, &q.lock);
        bool stop = q.stop;
        pthread_mutex_unlock(&q.lock);
        if (stop) break;
        status = fill_slot(input, slot, carry, &carried, &at_end, text_bytes);
        if (status == 0 && !checked) {
            status = w2v_input_check_text(slot->data, slot->size + carried, input->name);
            checked = true;
        }
        if (status != 0) break;
        pthread_mutex_lock(&q.lock);
        if (q.published == q.segment_capacity) {
            q.segment_capacity = q.segment_capacity ? q.segment_capacity * 2 : 256;
            e->segments = w2v_xrealloc(e->segments, q.segment_capacity * sizeof *e->segments);
        }
        slot->filled = true;
        q.published++;
        pthread_cond_broadcast(&q.changed);
        pthread_mutex_unlock(&q.lock);
        if (started == 0) { /* no thread could start: encode here */
            struct worker *w = &e->workers[0];
            uint64_t b = q.taken++;
            e->segments[b] =
                (struct segment){0, encode_block(w, slot->data, slot->data + slot->size)};
            slot->filled = false;
        }
    }
    pthread_mutex_lock(&q.lock);
    q.finished = true;
    if (status != 0) q.stop = true;
    pthread_cond_broadcast(&q.changed);
    pthread_mutex_unlock(&q.lock);
    for (uint32_t t = 0; t < started; t++) pthread_join(ids[t], NULL);
    if (started == 0) worker_flush(&e->workers[0]);
    e->segment_count = q.published;
    for (size_t i = 0; i < q.slot_count; i++) w2v_free(q.slots[i].data);
    w2v_free(q.slots);
    w2v_free(carry);
    w2v_free(jobs);
    w2v_free(ids);
    pthread_cond_destroy(&q.changed);
    pthread_mutex_destroy(&q.lock);
    return status;
}

static int encode_mapped(struct encoder *e, const struct w2v_corpus *corpus) {
    if (!e->options->allow_binary &&
        w2v_input_check_text(corpus->data, corpus->size, corpus->path) != 0)
        return -1;
    size_t blocks = corpus->size / MAPPED_BLOCK_BYTES + 1;
    if (blocks < e->threads) blocks = e->threads;
    e->text = corpus->data;
    e->block_count = blocks;
    e->bounds = w2v_corpus_chunks(corpus, blocks);
    e->segments = w2v_xcalloc(blocks, sizeof *e->segments);
    e->segment_count = blocks;
    atomic_init(&e->next_block, 0);
    w2v_run_parallel(encode_mapped_blocks, e->workers, sizeof *e->workers, e->threads);
    return 0;
}

/* ---- the remap pass ----
 * The threads' provisional streams, read back in text order, become the
 * prepared file's codes, index and sentence starts. The streams are cut into
 * pieces of at most W2V_REMAP_PIECE_VALUES values (encode.h; a piece never
 * spans two segments),
 * and a window of pieces at a time goes through three steps:
 *   1. survey (parallel): each piece's ids (its values that are kept words)
 *      and those after its last line end;
 *   2. plan (in text order, over the surveys): the position of each piece's
 *      first id, and the sentence in progress where it begins (its ids so far,
 *      whether its line was cut already);
 *   3. encode (parallel): each piece's codes, index marks and sentence starts
 *      into a ring slot; whichever thread finishes the piece that is next in
 *      text order appends it, and every finished one after it, to the file.
 * Cutting a window walks it in text order first and notes, per piece, the
 * generation of every partition its thread's ids are in at its first value
 * (the counting events before it) and that thread's next event. So each piece
 * is translated on its own, and the file holds the bytes one sequential pass
 * would write, whatever the thread count and piece size. A window
 * (WINDOW_PIECES pieces, 256 MiB of stream at the default piece size) is read
 * twice while it is still in the page cache. */

enum { WINDOW_PIECES = 256 };

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
    if (s->buffered == SPILL_VALUES) {
        if (!s->failed_errno && write_all(s->fd, s->buffer, s->buffered * sizeof *s->buffer) != 0)
            s->failed_errno = errno;
        s->buffered = 0;
    }
}

struct piece {
    const uint32_t *values;
    uint64_t first;      /* values[0]'s position in its thread's stream */
    uint32_t count;      /* values */
    uint32_t worker;     /* whose stream */
    uint64_t next_event; /* that thread's first event at or after `first` */
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
    bool done; /* encoded, not yet appended */
};

struct remap {
    const struct encoder *e;
    const struct w2v_count_tables *tables; /* NULL: a given vocabulary, the values are ids */
    uint32_t partitions, max_sentence, piece_values;
    const uint32_t **streams;
    /* cutting: where the next window starts, and each thread's state there */
    size_t segment;
    uint64_t segment_offset;
    uint64_t *cursor;     /* per thread: the stream position of its next segment */
    uint64_t *next_event; /* per thread */
    uint32_t *generation; /* threads × partitions */
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
    const struct encoder *e = r->e;
    const uint32_t P = r->partitions;
    r->piece_count = 0;
    while (r->piece_count < WINDOW_PIECES && r->segment < e->segment_count) {
        const struct segment *g = &e->segments[r->segment];
        const uint32_t t = g->worker;
        if (r->segment_offset == g->values) {
            r->cursor[t] += g->values;
            r->segment++, r->segment_offset = 0;
            continue;
        }
        const uint64_t first = r->cursor[t] + r->segment_offset;
        const uint64_t left = g->values - r->segment_offset;
        const uint32_t count = left < r->piece_values ? (uint32_t)left : r->piece_values;
        const struct w2v_counter *counter = &e->workers[t].counter;
        uint32_t *generation = r->generation + (size_t)t * P;
        while (r->tables && r->next_event[t] < counter->event_count &&
               counter->events[r->next_event[t]].position < first) {
            const struct w2v_count_event *event = &counter->events[r->next_event[t]++];
            generation[event->partition] = event->generation;
        }
        memcpy(r->generations + r->piece_count * P, generation, P * sizeof *generation);
        r->pieces[r->piece_count++] = (struct piece){
            .values = r->streams[t] + first,
            .first = first,
            .count = count,
            .worker = t,
            .next_event = r->next_event[t],
        };
        r->segment_offset += count;
    }
}

/* Reading a piece's values as final ids: its thread's maps, moved on by the
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
    reader->counter = &r->e->workers[piece->worker].counter;
    reader->first = piece->first;
    reader->event = piece->next_event;
    reader->event_at = UINT64_MAX;
    if (!r->tables) return;
    for (uint32_t p = 0; p < r->partitions; p++)
        reader->map[p] = r->tables->parts[p].maps[r->generations[i * r->partitions + p]];
    if (reader->event < reader->counter->event_count)
        reader->event_at = reader->counter->events[reader->event].position - reader->first;
}

/* Value k of the piece (k counting up from 0): LINE_END, W2V_ID_DROPPED or an id. */
static inline uint32_t reader_get(struct piece_reader *reader, const uint32_t *values, uint64_t k,
                                  bool *line_end) {
    while (k == reader->event_at) { /* the thread's ids of one partition: a later generation */
        const struct w2v_count_event *event = &reader->counter->events[reader->event++];
        reader->map[event->partition] =
            reader->tables->parts[event->partition].maps[event->generation];
        reader->event_at = reader->event < reader->counter->event_count
                               ? reader->counter->events[reader->event].position - reader->first
                               : UINT64_MAX;
    }
    const uint32_t value = values[k];
    *line_end = value == LINE_END;
    if (*line_end || !reader->tables) return value;
    return reader->map[value >> reader->tables->index_bits][value & reader->tables->index_mask];
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

static int remap(struct encoder *e, struct w2v_prepared_writer *writer, uint64_t *cut_lines) {
    int status = 0;
    const struct w2v_count_tables *tables = e->given ? NULL : &e->tables;
    struct remap r = {
        .e = e,
        .tables = tables,
        .partitions = tables ? tables->partitions : 0,
        .max_sentence = e->options->max_sentence_tokens,
        .piece_values = e->options->remap_piece_values ? e->options->remap_piece_values
                                                       : W2V_REMAP_PIECE_VALUES,
        .writer = writer,
    };
    if (r.max_sentence == 0) return w2v_error("max_sentence_tokens must be at least 1");
    r.streams = w2v_xcalloc(e->threads, sizeof *r.streams);
    r.cursor = w2v_xcalloc(e->threads, sizeof *r.cursor);
    r.next_event = w2v_xcalloc(e->threads, sizeof *r.next_event);
    r.generation = w2v_xcalloc((size_t)e->threads * r.partitions + 1, sizeof *r.generation);
    r.pieces = w2v_xcalloc(WINDOW_PIECES, sizeof *r.pieces);
    r.generations = w2v_xcalloc((size_t)WINDOW_PIECES * r.partitions + 1, sizeof *r.generations);
    for (uint32_t t = 0; t < e->threads && tables; t++)
        w2v_counter_sort_events(&e->workers[t].counter);
    for (uint32_t t = 0; t < e->threads && status == 0; t++) {
        struct spill *s = &e->workers[t].spill;
        if (s->failed_errno)
            status =
                w2v_error("cannot write the temporary id stream: %s", strerror(s->failed_errno));
        if (status != 0 || s->written == 0) continue;
        void *map = mmap(NULL, s->written * sizeof(uint32_t), PROT_READ, MAP_PRIVATE, s->fd, 0);
        if (map == MAP_FAILED) {
            status = w2v_error("cannot map the temporary id stream: %s", strerror(errno));
            continue;
        }
        madvise(map, s->written * sizeof(uint32_t), MADV_SEQUENTIAL);
        r.streams[t] = map;
    }
    struct starts_out starts = {.fd = -1};
    if (status == 0) starts.fd = w2v_encode_temp_file(e->options->tmp_dir, "starts");
    if (starts.fd < 0) status = -1;
    starts.buffer = w2v_xmalloc(SPILL_VALUES * sizeof *starts.buffer);
    r.starts = &starts;
    /* the ring: two slots a thread, so a thread need not wait for the append */
    r.ring_size = 2 * (size_t)e->threads;
    r.ring = w2v_xcalloc(r.ring_size, sizeof *r.ring);
    for (size_t s = 0; s < r.ring_size; s++) {
        r.ring[s].codes = w2v_xmalloc((size_t)r.piece_values * W2V_IDCODE_MAX_BYTES + 8);
        r.ring[s].marks =
            w2v_xmalloc((r.piece_values / W2V_IDCODE_INDEX_STRIDE + 1) * sizeof *r.ring[s].marks);
    }
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.changed, NULL);
    struct remap **jobs = w2v_xcalloc(e->threads, sizeof *jobs);
    for (uint32_t t = 0; t < e->threads; t++) jobs[t] = &r;
    while (status == 0) {
        cut_window(&r);
        if (r.piece_count == 0) break;
        const uint32_t threads = r.piece_count < e->threads ? (uint32_t)r.piece_count : e->threads;
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
            write_all(starts.fd, starts.buffer, starts.buffered * sizeof *starts.buffer) != 0)
            starts.failed_errno = errno;
        if (starts.failed_errno)
            status = w2v_error("cannot write the temporary sentence starts: %s",
                               strerror(starts.failed_errno));
        writer->header.cut_lines = *cut_lines;
        if (status == 0 && count == 0)
            status = w2v_error("the corpus has no words from the vocabulary");
        if (status == 0) status = w2v_prepared_writer_finish(writer, starts.fd, sentences);
    }
    for (uint32_t t = 0; t < e->threads; t++)
        if (r.streams[t])
            munmap((void *)r.streams[t], e->workers[t].spill.written * sizeof(uint32_t));
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
    w2v_free(r.streams);
    w2v_free(r.cursor);
    w2v_free(r.next_event);
    w2v_free(r.generation);
    w2v_free(r.pieces);
    w2v_free(r.generations);
    return status;
}

/* ---- the whole pass ---- */

int w2v_encode_text(struct w2v_input *input, struct w2v_vocab *vocab, bool vocab_given,
                    const struct w2v_vocab_options *vocab_options,
                    const struct w2v_encode_options *options, struct w2v_prepared_writer *writer,
                    struct w2v_vocab_report *vocab_report, struct w2v_encode_report *report) {
    double start = w2v_now();
    memset(report, 0, sizeof *report);
    if (!vocab_given) memset(vocab, 0, sizeof *vocab);
    bool mapped = input->kind == W2V_INPUT_MAPPED;
    struct encoder e = {
        .given = vocab_given ? vocab : NULL,
        .options = options,
        .threads = options->threads ? options->threads : 1,
    };
    uint64_t memory = vocab_options->memory ? vocab_options->memory : w2v_vocab_default_memory();
    e.workers = w2v_xcalloc(e.threads, sizeof *e.workers);
    if (!vocab_given) {
        w2v_count_tables_init(&e.tables, memory);
        e.tables.map_fd = w2v_encode_temp_file(options->tmp_dir, "maps"); /* -1: the heap */
    }
    int status = 0;
    for (uint32_t t = 0; t < e.threads; t++) {
        struct worker *w = &e.workers[t];
        w->encoder = &e;
        w->index = t;
        w->spill.buffer = w2v_xmalloc(SPILL_VALUES * sizeof *w->spill.buffer);
        w->counting = !vocab_given;
        if (w->counting) w2v_counter_init(&w->counter, &e.tables, w->spill.buffer);
        w->spill.fd = status ? -1 : w2v_encode_temp_file(options->tmp_dir, "ids");
        if (w->spill.fd < 0) status = -1;
    }
    if (status == 0 && mapped) {
        status = encode_mapped(&e, &input->mapped);
        report->text_bytes = input->mapped.size;
    } else if (status == 0) {
        status = encode_stream(&e, input, &report->text_bytes);
    }
    uint64_t tokens = 0, truncated = 0;
    for (uint32_t t = 0; t < e.threads; t++) {
        struct worker *w = &e.workers[t];
        tokens += w->tokens;
        truncated += w->truncated;
        w2v_free(w->spill.buffer); /* flushed */
        w->spill.buffer = w->counter.out = NULL;
        w2v_free(w->counter.bins); /* the events stay for the remap */
        w->counter.bins = NULL;
    }
    report->read_seconds = w2v_now() - start;
    struct w2v_vocab_report counted = {.corpus_tokens = tokens, .truncated_tokens = truncated};
    if (status == 0 && !vocab_given)
        status = w2v_vocab_from_counts(vocab, &e.tables, vocab_options, 1, input->name, &counted);
    if (status == 0 && tokens == 0)
        status = w2v_error("corpus '%s' contains no words", input->name);
    counted.seconds = w2v_now() - start; /* reading, counting, merging */
    double remap_start = w2v_now();
    if (status == 0) {
        struct w2v_prepared_header *h = &writer->header;
        h->corpus_tokens = counted.corpus_tokens;
        h->distinct_words = counted.distinct_words;
        h->truncated_tokens = counted.truncated_tokens;
        h->pruned_words = counted.pruned_words;
        h->prune_threshold = counted.prune_threshold;
        h->vocab_memory = vocab_given ? 0 : memory;
        status = w2v_prepared_write_vocab(writer, vocab);
    }
    uint64_t cut_lines = 0;
    if (status == 0) status = remap(&e, writer, &cut_lines);
    if (status != 0 && !vocab_given) w2v_vocab_free(vocab);
    for (uint32_t t = 0; t < e.threads; t++) {
        if (e.workers[t].spill.fd >= 0) close(e.workers[t].spill.fd);
        if (e.workers[t].counting) w2v_counter_free(&e.workers[t].counter);
    }
    if (!vocab_given) w2v_count_tables_free(&e.tables);
    if (vocab_report) *vocab_report = counted;
    report->remap_seconds = w2v_now() - remap_start;
    w2v_free(e.workers);
    w2v_free(e.bounds);
    w2v_free(e.segments);
    return status;
}

const uint8_t *w2v_encoded_seek(const struct w2v_encoded_corpus *encoded, uint64_t token) {
    const uint64_t block = token / W2V_IDCODE_INDEX_STRIDE;
    return w2v_idcode_skip(encoded->codes + encoded->code_index[block],
                           token - block * W2V_IDCODE_INDEX_STRIDE);
}

void w2v_encoded_free(struct w2v_encoded_corpus *encoded) {
    if (encoded->mapping) munmap(encoded->mapping, encoded->mapping_size);
    w2v_signals_untrack_mapping(encoded->tracked_mapping);
    memset(encoded, 0, sizeof *encoded);
    encoded->tracked_mapping = -1;
}
