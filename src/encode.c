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
#include "w2v/remap.h"
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

int w2v_encode_write_all(int fd, const void *data, size_t size) {
    const char *p = data;
    while (size > 0) {
        ssize_t done = write(fd, p, size);
        if (done < 0 && errno == EINTR) continue;
        if (done < 0) return -1;
        p += done, size -= (size_t)done;
    }
    return 0;
}

/* ---- a thread's provisional stream ---- */

struct spill {
    int fd;
    uint32_t *buffer;
    size_t buffered;
    uint64_t written; /* values, flushed or not */
    int failed_errno;
};

static void spill_flush(struct spill *s) {
    if (s->buffered && !s->failed_errno &&
        w2v_encode_write_all(s->fd, s->buffer, s->buffered * sizeof *s->buffer) != 0)
        s->failed_errno = errno;
    s->buffered = 0;
}

/* ---- counting threads ---- */

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
    struct w2v_remap_segment *segments;
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
        e->segments[b] = (struct w2v_remap_segment){w->index, values};
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
        w->encoder->segments[b] = (struct w2v_remap_segment){w->index, values};
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
                (struct w2v_remap_segment){0, encode_block(w, slot->data, slot->data + slot->size)};
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

/* ---- the remap (remap.c) over the threads' mapped streams ---- */

static int remap(struct encoder *e, struct w2v_prepared_writer *writer, uint64_t *cut_lines) {
    int status = 0;
    const struct w2v_count_tables *tables = e->given ? NULL : &e->tables;
    const uint32_t **streams = w2v_xcalloc(e->threads, sizeof *streams);
    const struct w2v_counter **counters = w2v_xcalloc(e->threads, sizeof *counters);
    for (uint32_t t = 0; t < e->threads; t++) {
        struct worker *w = &e->workers[t];
        if (tables) w2v_counter_sort_events(&w->counter);
        counters[t] = &w->counter;
        struct spill *s = &w->spill;
        if (status == 0 && s->failed_errno)
            status =
                w2v_error("cannot write the temporary id stream: %s", strerror(s->failed_errno));
        if (status != 0 || s->written == 0) continue;
        void *map = mmap(NULL, s->written * sizeof(uint32_t), PROT_READ, MAP_PRIVATE, s->fd, 0);
        if (map == MAP_FAILED) {
            status = w2v_error("cannot map the temporary id stream: %s", strerror(errno));
            continue;
        }
        madvise(map, s->written * sizeof(uint32_t), MADV_SEQUENTIAL);
        streams[t] = map;
    }
    const struct w2v_remap_input input = {
        .stream_count = e->threads,
        .streams = streams,
        .counters = tables ? counters : NULL,
        .tables = tables,
        .segments = e->segments,
        .segment_count = e->segment_count,
        .max_sentence = e->options->max_sentence_tokens,
        .threads = e->threads,
        .piece_values = e->options->remap_piece_values,
        .tmp_dir = e->options->tmp_dir,
    };
    if (status == 0) status = w2v_remap(&input, writer, cut_lines);
    for (uint32_t t = 0; t < e->threads; t++)
        if (streams[t]) munmap((void *)streams[t], e->workers[t].spill.written * sizeof(uint32_t));
    w2v_free(streams);
    w2v_free(counters);
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
