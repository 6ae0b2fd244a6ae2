/* pipeline.c — input → vocabulary → id stream (see pipeline.h): text is
 * counted and encoded in one pass into a prepared file (an unlinked
 * temporary for training, the output for `w2v prepare`), which is then
 * mapped; a prepared corpus is mapped and checked directly. */
#include "w2v/pipeline.h"

#include "w2v/alloc.h"
#include "w2v/atomic_file.h"
#include "w2v/error.h"
#include "w2v/parallel.h"
#include "w2v/timer.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void w2v_pipeline_options_default(struct w2v_pipeline_options *options) {
    *options = (struct w2v_pipeline_options){
        .min_count = 5,
        .max_sentence = W2V_DEFAULT_MAX_SENTENCE_TOKENS,
        .max_token_bytes = W2V_DEFAULT_MAX_TOKEN_BYTES,
        .threads = w2v_online_cpus(),
    };
}

static int check_options(const struct w2v_pipeline_options *options) {
    if (!options->train_path) return w2v_error("no training corpus given");
    if (options->min_count == 0 || options->max_sentence == 0 || options->max_token_bytes == 0 ||
        options->threads == 0)
        return w2v_error("pipeline options need min_count, max_sentence, max_token_bytes and "
                         "threads of at least 1 (see w2v_pipeline_options_default)");
    return 0;
}

/* tmp_dir, else the directory of near_path, else NULL (w2v_encode_temp_file
 * then uses $TMPDIR or /tmp). Free with w2v_free. */
static char *temp_dir(const struct w2v_pipeline_options *options) {
    if (options->tmp_dir) return w2v_xstrndup(options->tmp_dir, strlen(options->tmp_dir));
    if (!options->near_path || strncmp(options->near_path, "/dev/", 5) == 0 ||
        strncmp(options->near_path, "/proc/", 6) == 0)
        return NULL; /* not beside a device: /dev is memory */
    const char *slash = strrchr(options->near_path, '/');
    if (!slash) return w2v_xstrndup(".", 1);
    return w2v_xstrndup(options->near_path,
                        slash == options->near_path ? 1 : (size_t)(slash - options->near_path));
}

/* Reads (or counts) the vocabulary and writes the whole prepared file. */
static int encode_into(struct w2v_pipeline *pipeline, const struct w2v_pipeline_options *options,
                       struct w2v_input *input, struct w2v_prepared_writer *writer,
                       const char *tmp_dir) {
    const struct w2v_vocab_options vocab_options = {.min_count = options->min_count,
                                                    .max_size = options->max_vocab,
                                                    .threads = options->threads,
                                                    .max_token_bytes = options->max_token_bytes,
                                                    .memory = options->vocab_memory};
    const struct w2v_encode_options encode_options = {.threads = options->threads,
                                                      .max_sentence_tokens = options->max_sentence,
                                                      .max_token_bytes = options->max_token_bytes,
                                                      .allow_binary = options->allow_binary,
                                                      .tmp_dir = tmp_dir,
                                                      .remap_piece_values =
                                                          options->remap_piece_values};
    bool given = options->read_vocab_path != NULL;
    if (given) {
        double start = w2v_now();
        if (w2v_vocab_read(&pipeline->vocab, options->read_vocab_path, &vocab_options) != 0)
            return -1;
        pipeline->vocab_report.seconds = w2v_now() - start;
    }
    struct w2v_prepared_header *h = &writer->header;
    h->min_count = options->min_count;
    h->max_vocab = options->max_vocab;
    h->max_sentence = options->max_sentence;
    h->max_token_bytes = options->max_token_bytes;
    h->source_kind = input->kind;
    h->source_size = input->file_size;
    h->source_mtime_ns = input->file_mtime_ns;
    double read_seconds = pipeline->vocab_report.seconds;
    int status =
        w2v_encode_text(input, &pipeline->vocab, given, &vocab_options, &encode_options, writer,
                        given ? NULL : &pipeline->vocab_report, &pipeline->encode_report);
    if (given) pipeline->vocab_report.seconds = read_seconds;
    pipeline->header = writer->header;
    return status;
}

/* A prepared corpus made with other vocabulary settings than the ones asked for. */
static int check_settings(const struct w2v_prepared_header *h,
                          const struct w2v_pipeline_options *options, const char *name) {
    if (options->read_vocab_path)
        return w2v_error("'%s' is a prepared corpus with its own vocabulary: --read-vocab does "
                         "not apply (prepare it again with --read-vocab)",
                         name);
    if (!options->settings_given) return 0;
    if (h->min_count != options->min_count || h->max_vocab != options->max_vocab ||
        h->max_sentence != options->max_sentence || h->max_token_bytes != options->max_token_bytes)
        return w2v_error("prepared corpus '%s' is stale: made with --min-count %" PRIu64
                         " --max-vocab %u --max-sentence %u, asked for --min-count %" PRIu64
                         " --max-vocab %u --max-sentence %u (run w2v prepare again)",
                         name, h->min_count, h->max_vocab, h->max_sentence, options->min_count,
                         options->max_vocab, options->max_sentence);
    return 0;
}

static int open_prepared(struct w2v_pipeline *pipeline, const struct w2v_pipeline_options *options,
                         struct w2v_input *input) {
    double start = w2v_now();
    if (w2v_prepared_load(input->mapped.data, input->mapped.size, input->name, true,
                          &pipeline->header, &pipeline->vocab, &pipeline->encoded) != 0)
        return -1;
    if (check_settings(&pipeline->header, options, input->name) != 0) return -1;
    /* the encoded corpus owns the mapping (and its SIGBUS tracking) from here */
    pipeline->encoded.mapping = (void *)input->mapped.data;
    pipeline->encoded.mapping_size = input->mapped.size;
    pipeline->encoded.tracked_mapping = w2v_corpus_take_tracking(&input->mapped);
    input->mapped = (struct w2v_corpus){0};
    const struct w2v_prepared_header *h = &pipeline->header;
    pipeline->vocab_report = (struct w2v_vocab_report){
        .corpus_tokens = h->corpus_tokens,
        .distinct_words = h->distinct_words,
        .truncated_tokens = h->truncated_tokens,
        .pruned_words = h->pruned_words,
        .prune_threshold = h->prune_threshold,
    };
    pipeline->encoded.seconds = w2v_now() - start;
    return 0;
}

static int encode_to_temporary(struct w2v_pipeline *pipeline,
                               const struct w2v_pipeline_options *options,
                               struct w2v_input *input) {
    char *dir = temp_dir(options);
    int fd = w2v_encode_temp_file(dir, "corpus");
    if (fd < 0 && !options->tmp_dir && dir) { /* beside the output failed: $TMPDIR or /tmp */
        w2v_free(dir);
        dir = NULL;
        fd = w2v_encode_temp_file(NULL, "corpus");
    }
    if (fd < 0) {
        w2v_free(dir);
        return -1;
    }
    struct w2v_prepared_writer writer;
    w2v_prepared_writer_open(&writer, NULL, fd, "the temporary id stream", dir);
    int status = encode_into(pipeline, options, input, &writer, dir);
    w2v_prepared_writer_free(&writer);
    w2v_free(dir);
    void *map = MAP_FAILED;
    uint64_t size = pipeline->header.file_size;
    if (status == 0) {
        map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
        if (map == MAP_FAILED)
            status = w2v_error("cannot map the temporary id stream: %s", strerror(errno));
    }
    close(fd); /* the mapping keeps the unlinked file alive */
    if (status == 0) {
        struct w2v_prepared_header check;
        status = w2v_prepared_load(map, size, "the temporary id stream", false, &check, NULL,
                                   &pipeline->encoded);
        pipeline->encoded.mapping = map;
        pipeline->encoded.mapping_size = size;
        pipeline->encoded.tracked_mapping = -1;
        pipeline->encoded.seconds = pipeline->encode_report.remap_seconds;
    }
    return status;
}

/* What open and prepare start with: an empty pipeline, checked options, the input opened. */
static int begin(struct w2v_pipeline *pipeline, const struct w2v_pipeline_options *options,
                 struct w2v_input *input) {
    memset(pipeline, 0, sizeof *pipeline);
    pipeline->encoded.tracked_mapping = -1;
    if (check_options(options) != 0) return -1;
    if (w2v_input_open(input, options->train_path) != 0) return -1;
    pipeline->input_kind = input->kind;
    return 0;
}

int w2v_pipeline_open(struct w2v_pipeline *pipeline, const struct w2v_pipeline_options *options) {
    struct w2v_input input;
    if (begin(pipeline, options, &input) != 0) return -1;
    int status;
    if (input.kind == W2V_INPUT_PREPARED)
        status = open_prepared(pipeline, options, &input);
    else
        status = encode_to_temporary(pipeline, options, &input);
    w2v_input_close(&input); /* the text is never read again */
    if (status != 0) w2v_pipeline_close(pipeline);
    return status;
}

int w2v_pipeline_prepare(struct w2v_pipeline *pipeline, const struct w2v_pipeline_options *options,
                         const char *output_path) {
    struct w2v_input input;
    if (begin(pipeline, options, &input) != 0) return -1;
    if (input.kind == W2V_INPUT_PREPARED) {
        w2v_input_close(&input);
        return w2v_error("'%s' is already a prepared corpus", options->train_path);
    }
    struct w2v_atomic_file file;
    if (w2v_atomic_open(&file, output_path) != 0) {
        w2v_input_close(&input);
        return -1;
    }
    char *dir = temp_dir(options);
    if (!dir) { /* the temporaries go beside the output */
        struct w2v_pipeline_options near = *options;
        near.near_path = output_path;
        dir = temp_dir(&near);
    }
    struct w2v_prepared_writer writer;
    w2v_prepared_writer_open(&writer, file.fp, -1, output_path, dir);
    int status = encode_into(pipeline, options, &input, &writer, dir);
    w2v_prepared_writer_free(&writer);
    w2v_free(dir);
    w2v_input_close(&input);
    if (status == 0)
        status = w2v_atomic_commit(&file);
    else
        w2v_atomic_abort(&file);
    return status;
}

void w2v_pipeline_close(struct w2v_pipeline *pipeline) {
    w2v_encoded_free(&pipeline->encoded);
    w2v_vocab_free(&pipeline->vocab);
    memset(pipeline, 0, sizeof *pipeline);
    pipeline->encoded.tracked_mapping = -1;
}
