/* encode.c — parallel text-to-id encoding with sentence boundaries.
 *
 * Two passes over the same chunks: the first only counts each chunk's tokens,
 * so the id array can be allocated once at its final size (an upper bound:
 * words outside the vocabulary are dropped); the second writes each chunk's ids
 * straight into its own slice of that array, and the slices are then slid
 * together. Peak memory is one id array, never a copy of it. */
#include "w2v/encode.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/parallel.h"
#include "w2v/timer.h"
#include "w2v/tokenizer.h"

#include <string.h>

struct growable_u64 {
    uint64_t *data;
    uint64_t size, capacity;
};

static void push_u64(struct growable_u64 *a, uint64_t value) {
    if (a->size == a->capacity) {
        a->capacity = a->capacity ? a->capacity * 2 : 1 << 12;
        a->data = w2v_xrealloc(a->data, a->capacity * sizeof *a->data);
    }
    a->data[a->size++] = value;
}

struct encode_job {
    const char *begin, *end;
    const struct w2v_vocab *vocab;
    const struct w2v_encode_options *options;
    uint64_t tokens;            /* pass 1: every token of the chunk */
    uint32_t *ids;              /* pass 2: this chunk's slice of the id array */
    uint64_t id_count;          /* ids written */
    struct growable_u64 starts; /* sentence starts, relative to the slice */
    uint64_t cut_lines;
};

static void *count_chunk_tokens(void *arg) {
    struct encode_job *job = arg;
    struct w2v_tokenizer tokenizer;
    w2v_tokenizer_init(&tokenizer, job->begin, job->end, job->options->max_token_bytes);
    const char *word;
    uint32_t len;
    enum w2v_token_kind kind;
    while ((kind = w2v_tokenizer_next(&tokenizer, &word, &len)) != W2V_TOKEN_END)
        job->tokens += kind == W2V_TOKEN_WORD;
    return NULL;
}

static void *encode_chunk(void *arg) {
    struct encode_job *job = arg;
    struct w2v_tokenizer tokenizer;
    w2v_tokenizer_init(&tokenizer, job->begin, job->end, job->options->max_token_bytes);
    uint64_t count = 0, sentence_start = 0;
    int line_was_cut = 0;
    const char *word;
    uint32_t len;
    enum w2v_token_kind kind;
    while ((kind = w2v_tokenizer_next(&tokenizer, &word, &len)) != W2V_TOKEN_END) {
        if (kind == W2V_TOKEN_NEWLINE) {
            if (count > sentence_start) push_u64(&job->starts, sentence_start);
            sentence_start = count;
            line_was_cut = 0;
            continue;
        }
        int64_t id = w2v_vocab_find(job->vocab, word, len);
        if (id < 0) continue;
        if (count - sentence_start == job->options->max_sentence_tokens) {
            push_u64(&job->starts, sentence_start);
            sentence_start = count;
            if (!line_was_cut) job->cut_lines++;
            line_was_cut = 1;
        }
        job->ids[count++] = (uint32_t)id;
    }
    if (count > sentence_start) push_u64(&job->starts, sentence_start);
    job->id_count = count;
    return NULL;
}

int w2v_encode(struct w2v_encoded_corpus *encoded, const struct w2v_corpus *corpus,
               const struct w2v_vocab *vocab, const struct w2v_encode_options *options) {
    double start = w2v_now();
    memset(encoded, 0, sizeof *encoded);
    uint32_t threads = options->threads ? options->threads : 1;
    size_t *bounds = w2v_corpus_chunks(corpus, threads);
    struct encode_job *jobs = w2v_xcalloc(threads, sizeof *jobs);
    for (uint32_t t = 0; t < threads; t++)
        jobs[t] = (struct encode_job){.begin = corpus->data + bounds[t],
                                      .end = corpus->data + bounds[t + 1],
                                      .vocab = vocab,
                                      .options = options};
    w2v_run_parallel(count_chunk_tokens, jobs, sizeof *jobs, threads);

    uint64_t all_tokens = 0;
    for (uint32_t t = 0; t < threads; t++) all_tokens += jobs[t].tokens;
    uint32_t *ids = w2v_xmalloc((all_tokens + 1) * sizeof *ids);
    uint64_t slice = 0;
    for (uint32_t t = 0; t < threads; t++) jobs[t].ids = ids + slice, slice += jobs[t].tokens;
    w2v_run_parallel(encode_chunk, jobs, sizeof *jobs, threads);

    for (uint32_t t = 0; t < threads; t++) {
        encoded->sentence_count += jobs[t].starts.size;
        encoded->cut_lines += jobs[t].cut_lines;
    }
    encoded->sentence_starts =
        w2v_xmalloc((encoded->sentence_count + 1) * sizeof *encoded->sentence_starts);
    uint64_t token_offset = 0, sentence_offset = 0;
    for (uint32_t t = 0; t < threads; t++) { /* slide the slices together, in order */
        memmove(ids + token_offset, jobs[t].ids, jobs[t].id_count * sizeof *ids);
        for (uint64_t s = 0; s < jobs[t].starts.size; s++)
            encoded->sentence_starts[sentence_offset + s] = token_offset + jobs[t].starts.data[s];
        token_offset += jobs[t].id_count;
        sentence_offset += jobs[t].starts.size;
        w2v_free(jobs[t].starts.data);
    }
    encoded->token_count = token_offset;
    encoded->sentence_starts[encoded->sentence_count] = encoded->token_count;
    encoded->ids = w2v_xrealloc(ids, (encoded->token_count + 1) * sizeof *ids);
    w2v_free(jobs);
    w2v_free(bounds);
    encoded->seconds = w2v_now() - start;
    if (encoded->token_count == 0)
        return w2v_error("corpus '%s' has no words from the vocabulary", corpus->path);
    return 0;
}

void w2v_encoded_free(struct w2v_encoded_corpus *encoded) {
    w2v_free(encoded->ids);
    w2v_free(encoded->sentence_starts);
    memset(encoded, 0, sizeof *encoded);
}
