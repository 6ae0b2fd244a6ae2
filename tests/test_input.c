/* test_input.c — every input kind gives the same vocabulary and id stream;
 * bad inputs are refused; prepared files round-trip and refuse damage;
 * sentence cuts do not depend on the thread count; the counting budget
 * prunes rare words and ids written before a prune stay resolvable; every
 * word is counted in one partition; counts are 64-bit; a corpus that shrinks while mapped
 * ends the process with one line. */
#include "testing.h"

#include "test_files.h"

#include "w2v/error.h"
#include "w2v/input.h"
#include "w2v/pipeline.h"
#include "w2v/signals.h"
#include "w2v/vocab.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <zlib.h>
#include <zstd.h>

/* ---- fixtures ---- */

struct text {
    char *data;
    size_t size, capacity;
};

static void append(struct text *t, const char *fmt, unsigned value) {
    if (t->size + 64 > t->capacity) {
        t->capacity = t->capacity ? t->capacity * 2 : 1 << 16;
        t->data = realloc(t->data, t->capacity);
    }
    t->size += (size_t)sprintf(t->data + t->size, fmt, value);
}

/* Lines of 1..40 words from 3000 distinct ones (skewed), blank lines and a CRLF now and then. */
static struct text sample_text(unsigned lines, unsigned seed) {
    struct text t = {0};
    for (unsigned line = 0; line < lines; line++) {
        seed = seed * 1103515245u + 12345u;
        unsigned words = 1 + (seed >> 16) % 40;
        for (unsigned w = 0; w < words; w++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) % 3000;
            append(&t, w ? " w%u" : "w%u", r * r / 3000);
        }
        append(&t, line % 17 == 0 ? "\r\n\n" : "\n", 0);
    }
    return t;
}

static struct w2v_pipeline_options options_for(const char *path, uint32_t threads) {
    struct w2v_pipeline_options options;
    w2v_pipeline_options_default(&options);
    options.train_path = path;
    options.threads = threads;
    options.min_count = 2;
    options.tmp_dir = test_dir();
    return options;
}

static void open_ok(struct w2v_pipeline *pipeline, const struct w2v_pipeline_options *options) {
    int status = w2v_pipeline_open(pipeline, options);
    if (status != 0) fail_msg("%s: %s", options->train_path, w2v_last_error());
}

static void assert_same_corpus(const struct w2v_pipeline *a, const struct w2v_pipeline *b) {
    assert_int_equal(a->vocab.size, b->vocab.size);
    assert_int_equal(a->vocab.total_count, b->vocab.total_count);
    for (uint32_t id = 0; id < a->vocab.size; id++) {
        assert_string_equal(w2v_vocab_word(&a->vocab, id), w2v_vocab_word(&b->vocab, id));
        assert_int_equal(w2v_vocab_count(&a->vocab, id), w2v_vocab_count(&b->vocab, id));
    }
    assert_int_equal(a->encoded.token_count, b->encoded.token_count);
    assert_int_equal(a->encoded.sentence_count, b->encoded.sentence_count);
    assert_int_equal(a->encoded.cut_lines, b->encoded.cut_lines);
    assert_int_equal(a->encoded.code_bytes, b->encoded.code_bytes);
    assert_memory_equal(a->encoded.codes, b->encoded.codes, a->encoded.code_bytes);
    assert_memory_equal(a->encoded.code_index, b->encoded.code_index,
                        (a->encoded.token_count / W2V_IDCODE_INDEX_STRIDE + 1) * 8);
    assert_memory_equal(a->encoded.sentence_starts, b->encoded.sentence_starts,
                        (a->encoded.sentence_count + 1) * 8);
}

/* gzip of data in two members, split at `cut` (inside a line on purpose). */
static char *gzip_two_members(const struct text *t, size_t cut, size_t *size) {
    char *out = malloc(t->size + 1024);
    *size = 0;
    size_t parts[2][2] = {{0, cut}, {cut, t->size}};
    for (int m = 0; m < 2; m++) {
        z_stream z = {0};
        assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
        z.next_in = (unsigned char *)t->data + parts[m][0];
        z.avail_in = (uInt)(parts[m][1] - parts[m][0]);
        z.next_out = (unsigned char *)out + *size;
        z.avail_out = (uInt)(t->size + 1024 - *size);
        assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
        *size = (size_t)((char *)z.next_out - out);
        deflateEnd(&z);
    }
    return out;
}

/* zstd of data in two frames. */
static char *zstd_two_frames(const struct text *t, size_t cut, size_t *size) {
    size_t capacity = ZSTD_compressBound(t->size) + 1024;
    char *out = malloc(capacity);
    size_t first = ZSTD_compress(out, capacity, t->data, cut, 3);
    assert_false(ZSTD_isError(first));
    size_t second = ZSTD_compress(out + first, capacity - first, t->data + cut, t->size - cut, 3);
    assert_false(ZSTD_isError(second));
    *size = first + second;
    return out;
}

/* Opens a pipeline on standard input fed with `t` by a child process. */
static int open_from_stdin(struct w2v_pipeline *pipeline, const struct text *t) {
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        close(fds[0]);
        size_t done = 0;
        while (done < t->size) {
            ssize_t n = write(fds[1], t->data + done, t->size - done);
            if (n <= 0) _exit(1);
            done += (size_t)n;
        }
        _exit(0);
    }
    close(fds[1]);
    int saved = dup(STDIN_FILENO);
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);
    struct w2v_pipeline_options options = options_for("-", 2);
    int status = w2v_pipeline_open(pipeline, &options);
    dup2(saved, STDIN_FILENO);
    close(saved);
    int child_status;
    waitpid(child, &child_status, 0);
    return status;
}

/* ---- input kinds ---- */

static void test_gzip_zstd_and_stdin_give_the_plain_files_corpus(void **state) {
    (void)state;
    struct text t = sample_text(6000, 5);
    char *plain = test_write_file(test_dir(), "plain.txt", t.data, t.size);
    size_t gz_size, zst_size, cut = t.size / 3 + 1;
    char *gz = gzip_two_members(&t, cut, &gz_size), *zst = zstd_two_frames(&t, cut, &zst_size);
    char *gz_path = test_write_file(test_dir(), "text.bin", gz, gz_size); /* no .gz: by magic */
    char *zst_path = test_write_file(test_dir(), "text.zst", zst, zst_size);

    struct w2v_pipeline reference, other;
    struct w2v_pipeline_options options = options_for(plain, 1);
    open_ok(&reference, &options);
    assert_int_equal(reference.input_kind, W2V_INPUT_MAPPED);
    const char *paths[] = {plain, gz_path, zst_path};
    const enum w2v_input_kind kinds[] = {W2V_INPUT_MAPPED, W2V_INPUT_GZIP, W2V_INPUT_ZSTD};
    for (int i = 0; i < 3; i++)
        for (uint32_t threads = 1; threads <= 3; threads += 2) {
            options = options_for(paths[i], threads);
            open_ok(&other, &options);
            assert_int_equal(other.input_kind, kinds[i]);
            assert_same_corpus(&reference, &other);
            w2v_pipeline_close(&other);
        }
    assert_int_equal(open_from_stdin(&other, &t), 0);
    assert_int_equal(other.input_kind, W2V_INPUT_STREAM);
    assert_same_corpus(&reference, &other);
    w2v_pipeline_close(&other);

    /* a gzip corpus on standard input */
    struct text compressed = {gz, gz_size, gz_size};
    assert_int_equal(open_from_stdin(&other, &compressed), 0);
    assert_int_equal(other.input_kind, W2V_INPUT_GZIP);
    assert_same_corpus(&reference, &other);
    w2v_pipeline_close(&other);
    w2v_pipeline_close(&reference);
    free(gz), free(zst), free(t.data);
}

/* Reads a whole stream through w2v_input_read in pieces of `piece` bytes. */
static char *read_all(const char *path, size_t piece, size_t *size) {
    struct w2v_input input;
    assert_int_equal(w2v_input_open(&input, path), 0);
    size_t capacity = 1 << 20, used = 0;
    char *data = malloc(capacity);
    ssize_t got;
    while ((got = w2v_input_read(&input, data + used, piece)) > 0) {
        used += (size_t)got;
        if (used + piece > capacity) data = realloc(data, capacity *= 2);
    }
    if (got < 0) fail_msg("%s", w2v_last_error());
    w2v_input_close(&input);
    *size = used;
    return data;
}

static void test_decoders_give_every_byte_whatever_the_piece_size(void **state) {
    (void)state;
    struct text t = sample_text(2000, 17);
    size_t gz_size, zst_size;
    char *gz = gzip_two_members(&t, t.size / 3, &gz_size);
    char *zst = zstd_two_frames(&t, t.size / 3, &zst_size);
    char *paths[] = {test_write_file(test_dir(), "piece.gz", gz, gz_size),
                     test_write_file(test_dir(), "piece.zst", zst, zst_size)};
    const size_t pieces[] = {1, 7, 4096, 1 << 20};
    for (int p = 0; p < 2; p++)
        for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++) {
            size_t size;
            char *data = read_all(paths[p], pieces[i], &size); /* output held at the end too */
            assert_int_equal(size, t.size);
            assert_memory_equal(data, t.data, t.size);
            free(data);
        }
    free(gz), free(zst), free(t.data);
}

static void expect_refused(const char *path, const char *message) {
    struct w2v_pipeline pipeline;
    struct w2v_pipeline_options options = options_for(path, 2);
    assert_int_equal(w2v_pipeline_open(&pipeline, &options), -1);
    if (!strstr(w2v_last_error(), message))
        fail_msg("expected '%s' in '%s'", message, w2v_last_error());
}

static void test_truncated_damaged_and_binary_input_is_refused(void **state) {
    (void)state;
    struct text t = sample_text(3000, 7);
    size_t gz_size, zst_size;
    char *gz = gzip_two_members(&t, t.size / 2, &gz_size);
    char *zst = zstd_two_frames(&t, t.size / 2, &zst_size);
    expect_refused(test_write_file(test_dir(), "cut.gz", gz, gz_size - 9), "is truncated");
    expect_refused(test_write_file(test_dir(), "cut.zst", zst, zst_size / 3), "is truncated");
    gz[gz_size / 4] ^= 0x55, gz[gz_size / 4 + 1] ^= 0x55; /* inside the first member's data */
    expect_refused(test_write_file(test_dir(), "bad.gz", gz, gz_size), "damaged");
    zst[zst_size / 4] ^= 0x55, zst[zst_size / 4 + 1] ^= 0x55;
    expect_refused(test_write_file(test_dir(), "bad.zst", zst, zst_size), "");

    /* NUL-heavy text: refused, unless allowed (NUL separates words) */
    for (size_t i = 0; i < t.size; i += 20) t.data[i] = '\0';
    char *binary = test_write_file(test_dir(), "binary.txt", t.data, t.size);
    expect_refused(binary, "--allow-binary");
    struct w2v_pipeline pipeline;
    struct w2v_pipeline_options options = options_for(binary, 2);
    options.allow_binary = true;
    open_ok(&pipeline, &options);
    w2v_pipeline_close(&pipeline);
    expect_refused("/dev/zero", "looks binary");
    /* nothing was left in the temporary directory's id streams: they are unlinked at once */
    free(gz), free(zst), free(t.data);
}

/* ---- prepared files ---- */

static void test_prepared_file_round_trips_and_refuses_damage(void **state) {
    (void)state;
    struct text t = sample_text(4000, 11);
    char *plain = test_write_file(test_dir(), "prep.txt", t.data, t.size);
    char *prepared = test_path(test_dir(), "prep.w2v");
    struct w2v_pipeline made, reference, loaded;
    struct w2v_pipeline_options options = options_for(plain, 2);
    options.max_sentence = 7; /* cut lines survive the round trip too */
    assert_int_equal(w2v_pipeline_prepare(&made, &options, prepared), 0);
    w2v_pipeline_close(&made);
    open_ok(&reference, &options);
    assert_true(reference.encoded.cut_lines > 0);
    options.train_path = prepared;
    open_ok(&loaded, &options);
    assert_int_equal(loaded.input_kind, W2V_INPUT_PREPARED);
    assert_same_corpus(&reference, &loaded);
    assert_int_equal(loaded.vocab_report.corpus_tokens, reference.vocab_report.corpus_tokens);
    w2v_pipeline_close(&loaded);
    w2v_pipeline_close(&reference);

    /* other settings asked for: stale; not asked for: the file's own are used */
    options.settings_given = true;
    options.min_count = 3;
    assert_int_equal(w2v_pipeline_open(&loaded, &options), -1);
    assert_non_null(strstr(w2v_last_error(), "stale"));
    options.settings_given = false;
    open_ok(&loaded, &options);
    assert_int_equal(loaded.header.min_count, 2);
    w2v_pipeline_close(&loaded);

    FILE *fp = fopen(prepared, "rb");
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    char *bytes = malloc((size_t)size);
    fseek(fp, 0, SEEK_SET);
    assert_int_equal(fread(bytes, 1, (size_t)size, fp), (size_t)size);
    fclose(fp);
    struct {
        long offset; /* byte to flip; -1: cut the file short instead */
        const char *message;
    } damage[] = {{size / 2, "data checksum"},
                  {size - 100, "header checksum"},
                  {8, "format version"},
                  {-1, "damaged"}};
    for (size_t i = 0; i < sizeof damage / sizeof *damage; i++) {
        char *copy = malloc((size_t)size);
        memcpy(copy, bytes, (size_t)size);
        size_t length = (size_t)size;
        if (damage[i].offset >= 0)
            copy[damage[i].offset] ^= 0x10;
        else
            length -= 64;
        expect_refused(test_write_file(test_dir(), "damaged.w2v", copy, length), damage[i].message);
        free(copy);
    }
    /* sections that only wrap around to look consistent (checksums recomputed,
     * as a deliberate forger would): a vocabulary section ending past 2^64 */
    char *forged = malloc((size_t)size);
    memcpy(forged, bytes, (size_t)size);
    struct w2v_prepared_header h;
    char *at = forged + size - W2V_PREPARED_TRAILER_BYTES;
    memcpy(&h, at, sizeof h);
    h.vocab_bytes = UINT64_MAX - W2V_PREPARED_LEAD_BYTES + 1;
    h.data_checksum = w2v_prepared_checksum(forged, (uint64_t)size - W2V_PREPARED_TRAILER_BYTES);
    h.header_checksum = 0;
    h.header_checksum = w2v_prepared_checksum(&h, sizeof h);
    memcpy(at, &h, sizeof h);
    expect_refused(test_write_file(test_dir(), "forged.w2v", forged, (size_t)size),
                   "inconsistent sections");
    free(forged);
    /* forged codes and index (checksums recomputed): the verify pass finds each */
    const struct {
        enum { BIG_ID, PAST_END, NOT_SHORTEST, WRONG_INDEX, PADDING } what;
        const char *message;
    } forgeries[] = {{BIG_ID, "an id outside the vocabulary"},
                     {PAST_END, "runs past the id section"},
                     {NOT_SHORTEST, "not the shortest"},
                     {WRONG_INDEX, "index entry does not match"},
                     {PADDING, "not zero"}};
    for (size_t i = 0; i < sizeof forgeries / sizeof *forgeries; i++) {
        forged = malloc((size_t)size);
        memcpy(forged, bytes, (size_t)size);
        at = forged + size - W2V_PREPARED_TRAILER_BYTES;
        memcpy(&h, at, sizeof h);
        assert_true(h.vocab_size < 16383 && h.token_count > W2V_IDCODE_INDEX_STRIDE);
        uint8_t *codes = (uint8_t *)forged + h.ids_offset;
        uint64_t *index = (uint64_t *)(forged + h.index_offset);
        uint64_t k = 0; /* the first 2-byte code / two 1-byte codes in a row */
        switch (forgeries[i].what) {
        case BIG_ID:
            while (w2v_idcode_length(codes[k]) != 2) k += w2v_idcode_length(codes[k]);
            w2v_idcode_put(codes + k, 16383); /* 2 bytes too, past the vocabulary */
            break;
        case PAST_END: /* the last code says it has 5 bytes */
            codes[w2v_idcode_skip(codes, h.token_count - 1) - codes] = 0xF0;
            break;
        case NOT_SHORTEST: /* an id below 128 in 2 bytes (the next code's place) */
            while (codes[k] >= 0x80 || codes[k + 1] >= 0x80) k += w2v_idcode_length(codes[k]);
            codes[k + 1] = codes[k], codes[k] = 0x80;
            break;
        case WRONG_INDEX:
            index[1]++;
            break;
        case PADDING:
            codes[h.ids_bytes + 3] = 1;
            break;
        }
        h.data_checksum =
            w2v_prepared_checksum(forged, (uint64_t)size - W2V_PREPARED_TRAILER_BYTES);
        h.header_checksum = 0;
        h.header_checksum = w2v_prepared_checksum(&h, sizeof h);
        memcpy(at, &h, sizeof h);
        expect_refused(test_write_file(test_dir(), "forged.w2v", forged, (size_t)size),
                       forgeries[i].message);
        free(forged);
    }
    /* a file of format version 1 (uint32 ids): written by an older w2v */
    forged = malloc((size_t)size);
    memcpy(forged, bytes, (size_t)size);
    uint32_t version1 = 1;
    memcpy(forged + 8, &version1, sizeof version1);
    expect_refused(test_write_file(test_dir(), "version1.w2v", forged, (size_t)size),
                   "written by an older w2v (format version 1, this w2v reads version 2): run w2v "
                   "prepare again");
    free(forged);
    /* a vocabulary file does not apply to a prepared corpus */
    options = options_for(prepared, 1);
    options.read_vocab_path = plain;
    assert_int_equal(w2v_pipeline_open(&loaded, &options), -1);
    assert_non_null(strstr(w2v_last_error(), "--read-vocab"));
    free(bytes), free(t.data);
}

/* ---- determinism of sentence cuts ---- */

static void test_long_lines_are_cut_alike_for_1_2_and_7_threads(void **state) {
    (void)state;
    struct text t = sample_text(300, 3);
    for (unsigned w = 0; w < 500000; w++) append(&t, w % 7 ? "w%u " : "w%u\t", w % 900);
    append(&t, "\n", 0); /* a 2.4 MB line: longer than the newline search window */
    struct text tail = sample_text(300, 4);
    for (size_t i = 0; i < tail.size; i++) append(&t, "%c", (unsigned char)tail.data[i]);
    char *path = test_write_file(test_dir(), "long.txt", t.data, t.size);
    struct w2v_pipeline one, many;
    struct w2v_pipeline_options options = options_for(path, 1);
    options.max_sentence = 1000;
    open_ok(&one, &options);
    uint64_t long_lines = 1 + 0; /* sample_text lines have at most 40 words */
    assert_int_equal(one.encoded.cut_lines, long_lines);
    for (uint32_t threads = 2; threads <= 7; threads += 5) {
        options.threads = threads;
        open_ok(&many, &options);
        assert_same_corpus(&one, &many); /* cut_lines included: a split line counts once */
        w2v_pipeline_close(&many);
    }
    /* The remap in pieces of 61 values: the long line spans thousands of
     * pieces and windows, and its cuts fall inside pieces and at their edges */
    for (uint32_t threads = 1; threads <= 7; threads += threads == 1 ? 1 : 5) {
        options.threads = threads;
        options.remap_piece_values = 61;
        open_ok(&many, &options);
        assert_same_corpus(&one, &many);
        w2v_pipeline_close(&many);
    }
    w2v_pipeline_close(&one);
    free(t.data), free(tail.data);
}

static void test_streams_of_many_blocks_match_the_mapped_file(void **state) {
    (void)state;
    /* ~5.6 MB: two 4 MB stream blocks, the first ending inside a 3.6 MB line */
    struct text t = sample_text(20000, 13);
    for (unsigned w = 0; w < 600000; w++) append(&t, "w%u ", w % 5000);
    append(&t, "\n", 0);
    struct text tail = sample_text(20000, 14);
    for (size_t i = 0; i < tail.size; i++) append(&t, "%c", (unsigned char)tail.data[i]);
    char *plain = test_write_file(test_dir(), "blocks.txt", t.data, t.size);
    size_t gz_size;
    char *gz = gzip_two_members(&t, t.size / 2 + 3, &gz_size);
    char *gz_path = test_write_file(test_dir(), "blocks.gz", gz, gz_size);
    struct w2v_pipeline reference, other;
    struct w2v_pipeline_options options = options_for(plain, 1);
    options.max_sentence = 777;
    open_ok(&reference, &options);
    assert_int_equal(reference.encoded.cut_lines, 1);
    for (uint32_t threads = 1; threads <= 7; threads += threads == 1 ? 1 : 5) {
        options = options_for(gz_path, threads);
        options.max_sentence = 777;
        open_ok(&other, &options);
        assert_same_corpus(&reference, &other);
        w2v_pipeline_close(&other);
    }
    w2v_pipeline_close(&reference);
    free(gz), free(t.data), free(tail.data);
}

/* ---- counting: budget, selection, 64-bit counts ---- */

static void test_a_tiny_budget_prunes_rare_words_and_keeps_frequent_ones(void **state) {
    (void)state;
    struct text t = {0};
    for (unsigned i = 0; i < 200000; i++) { /* 20 words x 2000, 180000 seen once */
        if (i % 10 == 0)
            append(&t, "frequent%u ", (i / 10) % 20);
        else
            append(&t, "rare%u ", i);
        if (i % 25 == 24) append(&t, "\n", 0);
    }
    char *path = test_write_file(test_dir(), "budget.txt", t.data, t.size);
    /* 7 threads: partitions pruned by one thread while others hold ids of the
     * old generation (count.h's events) */
    for (uint32_t run = 0; run < 6; run++) {
        const uint32_t threads = (uint32_t[]){1, 2, 7}[run % 3];
        struct w2v_pipeline pipeline;
        struct w2v_pipeline_options options = options_for(path, threads);
        options.vocab_memory = 1 << 20;
        /* then remap pieces of 5 values: most start after events of their thread */
        options.remap_piece_values = run < 3 ? 0 : 5;
        open_ok(&pipeline, &options);
        const struct w2v_vocab_report *report = &pipeline.vocab_report;
        assert_true(report->pruned_words > 100000); /* most rare words, reported */
        assert_true(report->prune_threshold >= 2);
        assert_int_equal(report->corpus_tokens, 200000);
        assert_int_equal(pipeline.vocab.size, 20);
        for (uint32_t id = 0; id < 20; id++) {
            assert_non_null(strstr(w2v_vocab_word(&pipeline.vocab, id), "frequent"));
            assert_int_equal(w2v_vocab_count(&pipeline.vocab, id), 1000); /* exact */
        }
        /* the id stream survived the prunes: frequent<k> is id of "frequent<k>" everywhere */
        assert_int_equal(pipeline.encoded.token_count, 20000);
        const uint8_t *codes = pipeline.encoded.codes;
        for (uint64_t i = 0; i < 20000; i++) {
            char word[32];
            snprintf(word, sizeof word, "frequent%u", (unsigned)(i % 20));
            assert_int_equal(w2v_idcode_get(&codes),
                             w2v_vocab_find(&pipeline.vocab, word, (uint32_t)strlen(word)));
        }
        w2v_pipeline_close(&pipeline);
    }
    free(t.data);
}

/* A thread's ids written before another thread pruned their partition map
 * through the old generation; the ids after it are flagged by an event. */
static void test_ids_written_before_a_prune_stay_resolvable(void **state) {
    (void)state;
    struct w2v_count_tables tables;
    w2v_count_tables_init(&tables, 64 << 10); /* one partition of 64 KiB */
    assert_int_equal(tables.partitions, 1);
    enum { RARE = 8192 };
    char *text = malloc(RARE * 16);
    uint32_t out_a[3], *out_b = calloc(RARE, sizeof *out_b);
    struct w2v_counter a, b;
    w2v_counter_init(&a, &tables, out_a);
    w2v_counter_init(&b, &tables, out_b);
    w2v_counter_add(&a, "kept", 4, 0);
    w2v_counter_add(&a, "kept", 4, 1);
    w2v_counter_flush(&a); /* two ids of generation 0 */
    uint32_t rare = 0;
    while (tables.parts[0].generation == 0) { /* b fills the partition until it prunes once */
        assert_true(rare < RARE);
        char *word = text + rare * 16;
        int len = snprintf(word, 16, "rare%u", rare);
        w2v_counter_add(&b, word, (uint32_t)len, rare++);
    }
    w2v_counter_flush(&b);
    assert_int_equal(tables.parts[0].generation, 1); /* dropped what was seen once */
    w2v_counter_add(&a, "kept", 4, 2);
    w2v_counter_flush(&a);
    assert_int_equal(a.event_count, 1); /* a's third id is of generation 1, from position 2 */
    assert_int_equal(a.events[0].position, 2);
    assert_int_equal(a.events[0].generation, 1);

    struct w2v_vocab vocab;
    struct w2v_vocab_options options = {.min_count = 1, .max_token_bytes = 100};
    struct w2v_vocab_report report = {.corpus_tokens = 3 + rare};
    assert_int_equal(w2v_vocab_from_counts(&vocab, &tables, &options, 1, "two counters", &report),
                     0);
    assert_true(report.pruned_words >= RARE / 8);
    assert_int_equal(report.prune_threshold, 2);
    int64_t kept = w2v_vocab_find(&vocab, "kept", 4);
    assert_true(kept >= 0);
    assert_int_equal(w2v_vocab_count(&vocab, (uint32_t)kept), 3);
    assert_int_equal(w2v_count_final_id(&tables, 0, out_a[0]), kept);
    assert_int_equal(w2v_count_final_id(&tables, 0, out_a[1]), kept);
    assert_int_equal(w2v_count_final_id(&tables, 1, out_a[2]), kept);
    assert_int_equal(w2v_count_final_id(&tables, 0, out_b[0]), W2V_ID_DROPPED); /* pruned */
    w2v_vocab_free(&vocab);
    w2v_counter_free(&a);
    w2v_counter_free(&b);
    w2v_count_tables_free(&tables);
    free(text), free(out_b);
}

static void test_max_vocab_selection_is_the_sorted_prefix(void **state) {
    (void)state;
    struct text t = sample_text(3000, 21); /* many equal counts: ties by bytes */
    char *path = test_write_file(test_dir(), "select.txt", t.data, t.size);
    struct w2v_corpus corpus;
    assert_int_equal(w2v_corpus_open(&corpus, path), 0);
    struct w2v_vocab_options options = {.min_count = 1, .threads = 2, .max_token_bytes = 100};
    struct w2v_vocab all, some;
    struct w2v_vocab_report report;
    assert_int_equal(w2v_vocab_build(&all, &corpus, &options, &report), 0);
    /* every word in exactly one partition: min-count 1 keeps all the distinct words */
    assert_int_equal(report.distinct_words, all.size);
    const uint32_t sizes[] = {1, 2, 7, 50, 299, all.size - 1};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        options.max_size = sizes[i];
        assert_int_equal(w2v_vocab_build(&some, &corpus, &options, NULL), 0);
        assert_int_equal(some.size, sizes[i]);
        for (uint32_t id = 0; id < some.size; id++)
            assert_string_equal(w2v_vocab_word(&some, id), w2v_vocab_word(&all, id));
        w2v_vocab_free(&some);
    }
    w2v_vocab_free(&all);
    w2v_corpus_close(&corpus);
    free(t.data);
}

static void test_counts_are_64_bit_past_2_to_the_32(void **state) {
    (void)state;
    /* counts added in two rounds (as two threads would) sum past 2^32 exactly */
    struct w2v_count_tables tables;
    w2v_count_tables_init(&tables, 0);
    const char *words[] = {"alpha", "beta", "gamma"};
    const uint64_t big = 3000000000ull;
    uint32_t gamma_id = 0;
    for (int round = 0; round < 2; round++)
        for (int w = 0; w < 3; w++) {
            uint32_t id = w2v_count_add(&tables, words[w], (uint32_t)strlen(words[w]),
                                        big * (uint64_t)(w + 1));
            if (w == 2) gamma_id = id;
        }
    struct w2v_vocab vocab;
    struct w2v_vocab_options options = {.min_count = 1, .threads = 2, .max_token_bytes = 100};
    struct w2v_vocab_report report = {.corpus_tokens = 2 * 6 * big};
    assert_int_equal(w2v_vocab_from_counts(&vocab, &tables, &options, 1, "synthetic", &report), 0);
    assert_int_equal(report.distinct_words, 3);
    assert_string_equal(w2v_vocab_word(&vocab, 0), "gamma");
    assert_int_equal(w2v_vocab_count(&vocab, 0), 6 * big);
    assert_int_equal(w2v_vocab_count(&vocab, 2), 2 * big);
    assert_int_equal(vocab.total_count, 12 * big);
    assert_int_equal(w2v_count_final_id(&tables, 0, gamma_id), 0); /* provisional -> final */
    w2v_vocab_free(&vocab);
    w2v_count_tables_free(&tables);

    /* a vocabulary file with such counts: read, trained on, kept by a prepared file */
    char *vocab_path = test_write_text(test_dir(), "big.vocab",
                                       "alpha 6000000000\nbeta 4294967297\ngamma 5000000000\n");
    char *text = test_write_text(test_dir(), "big.txt", "alpha beta gamma delta\nbeta gamma\n");
    char *prepared = test_path(test_dir(), "big.w2v");
    struct w2v_pipeline pipeline;
    struct w2v_pipeline_options pipeline_options = options_for(text, 1);
    pipeline_options.read_vocab_path = vocab_path;
    assert_int_equal(w2v_pipeline_prepare(&pipeline, &pipeline_options, prepared), 0);
    w2v_pipeline_close(&pipeline);
    open_ok(&pipeline, &(struct w2v_pipeline_options){.train_path = prepared,
                                                      .min_count = 1,
                                                      .max_sentence = 100,
                                                      .max_token_bytes = 100,
                                                      .threads = 1});
    assert_int_equal(pipeline.vocab.total_count, 15294967297ull);
    assert_string_equal(w2v_vocab_word(&pipeline.vocab, 1), "gamma");
    assert_int_equal(w2v_vocab_count(&pipeline.vocab, 2), 4294967297ull);
    assert_int_equal(pipeline.encoded.token_count, 5); /* delta is not in the vocabulary */
    w2v_pipeline_close(&pipeline);

    /* counts adding up past 2^63 are refused, not wrapped */
    char *huge =
        test_write_text(test_dir(), "huge.vocab", "a 9000000000000000000\nb 9000000000000000000\n");
    struct w2v_vocab_options read_options = {.min_count = 1};
    assert_int_equal(w2v_vocab_read(&vocab, huge, &read_options), -1);
    assert_non_null(strstr(w2v_last_error(), "2^63"));
    /* a device is not a vocabulary file: refused after one bounded line */
    assert_int_equal(w2v_vocab_read(&vocab, "/dev/zero", &read_options), -1);
    assert_non_null(strstr(w2v_last_error(), "longer than 65536 bytes"));
}

/* ---- a corpus that shrinks while mapped ---- */

static void test_a_corpus_shrinking_while_mapped_is_one_error(void **state) {
    (void)state;
    struct text t = sample_text(20000, 9);
    char *path = test_write_file(test_dir(), "shrinks.txt", t.data, t.size);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        w2v_signals_install();
        struct w2v_input input;
        if (w2v_input_open(&input, path) != 0 || input.kind != W2V_INPUT_MAPPED) _exit(10);
        if (truncate(path, 0) != 0) _exit(11);
        volatile char last = input.mapped.data[input.mapped.size - 1]; /* SIGBUS */
        (void)last;
        _exit(12);
    }
    close(fds[1]);
    char message[1024] = {0};
    size_t got = 0;
    ssize_t n;
    while (got < sizeof message - 1 &&
           (n = read(fds[0], message + got, sizeof message - 1 - got)) > 0)
        got += (size_t)n;
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    char expected[600];
    snprintf(expected, sizeof expected, "corpus '%s' changed while being read", path);
    if (!strstr(message, expected)) fail_msg("stderr was '%s'", message);
    assert_null(strchr(strchr(message, '\n') + 1, '\n')); /* one line */
    free(t.data);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gzip_zstd_and_stdin_give_the_plain_files_corpus),
        cmocka_unit_test(test_decoders_give_every_byte_whatever_the_piece_size),
        cmocka_unit_test(test_truncated_damaged_and_binary_input_is_refused),
        cmocka_unit_test(test_prepared_file_round_trips_and_refuses_damage),
        cmocka_unit_test(test_long_lines_are_cut_alike_for_1_2_and_7_threads),
        cmocka_unit_test(test_streams_of_many_blocks_match_the_mapped_file),
        cmocka_unit_test(test_a_tiny_budget_prunes_rare_words_and_keeps_frequent_ones),
        cmocka_unit_test(test_ids_written_before_a_prune_stay_resolvable),
        cmocka_unit_test(test_max_vocab_selection_is_the_sorted_prefix),
        cmocka_unit_test(test_counts_are_64_bit_past_2_to_the_32),
        cmocka_unit_test(test_a_corpus_shrinking_while_mapped_is_one_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
