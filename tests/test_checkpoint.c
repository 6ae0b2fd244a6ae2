/* test_checkpoint.c — the trainer's pauses and the checkpoint format, through
 * the library: pausing changes no byte of a one-thread run; a run stopped in
 * a pause, saved with w2v_checkpoint_write, read back and resumed ends
 * byte-identical to the uninterrupted run (sg and cbow, ns and hs); a
 * checkpoint reads back field for field; every damaged byte and every
 * truncation is refused; a state resumes on another thread count with every
 * word trained once; several ranks' states (format version 2) read back;
 * hs_pair_nodes (version 3's SET3, only when not 0) and combine (version 4's
 * SET4, only when above 1) read back; the
 * corpus checksum is of the ids as uint32, as before they were stored as codes. */
#include "testing.h"

#include "planted_corpus.h"
#include "w2v/alloc.h"
#include "w2v/checkpoint.h"
#include "w2v/error.h"

#include <sys/stat.h>
#define XXH_INLINE_ALL /* header-only, as checkpoint.c */
#include <xxhash.h>

static const char *dir;

static int generate_corpus(void **state) {
    (void)state;
    struct w2v_synth_config config = planted_config(7, 60000, 500, 4, 5);
    if (planted_corpus_make(&planted, &config, 2) != 0) return -1;
    dir = test_tempdir();
    return 0;
}

static struct w2v_train_config small_config(enum w2v_model_kind model, enum w2v_loss_kind loss,
                                            uint32_t threads) {
    struct w2v_train_config config = planted_train_config(model, loss, 16, threads, 3);
    config.epochs = 2;
    config.window = 3;
    config.combine = 1; /* pauses at sentences; a combining worker's come at block ends */
    return config;
}

static void assert_same_model(const struct w2v_model *a, const struct w2v_model *b) {
    assert_int_equal(a->vocab_size, b->vocab_size);
    assert_int_equal(a->output_rows, b->output_rows);
    for (uint32_t r = 0; r < a->vocab_size; r++)
        assert_memory_equal(w2v_model_input_row(a, r), w2v_model_input_row(b, r),
                            a->dim * sizeof(float));
    for (uint32_t r = 0; r < a->output_rows; r++)
        assert_memory_equal(w2v_model_output_row(a, r), w2v_model_output_row(b, r),
                            a->dim * sizeof(float));
}

/* An on_pause that writes a checkpoint at its `stop_at`-th call and stops there. */
struct saver {
    const char *path;
    uint32_t calls, stop_at;
    struct w2v_checkpoint_settings settings;
    struct w2v_checkpoint_corpus corpus;
    uint64_t words_at_stop;
};

static int save_and_stop(void *context, const struct w2v_train_pause *pause) {
    struct saver *s = context;
    if (++s->calls != s->stop_at) return 0;
    s->words_at_stop = pause->state->words_done;
    if (w2v_checkpoint_write(s->path, &s->settings, &s->corpus, &planted.pipeline.vocab,
                             pause->state, 1, NULL, pause->model, NULL) != 0)
        return -1;
    return W2V_TRAIN_STOPPED;
}

static struct saver make_saver(const struct w2v_train_config *config, const char *name,
                               uint32_t stop_at) {
    struct saver s = {.path = test_path(dir, name), .stop_at = stop_at};
    struct w2v_pipeline_options input;
    w2v_pipeline_options_default(&input);
    w2v_checkpoint_settings_from(&s.settings, config, &input);
    assert_int_equal(
        w2v_checkpoint_corpus_identify(&s.corpus, planted.path, &planted.pipeline.encoded), 0);
    return s;
}

static void test_pauses_change_nothing(void **state) {
    (void)state;
    struct w2v_train_config config = small_config(W2V_MODEL_SKIPGRAM, W2V_LOSS_NS, 1);
    struct w2v_model plain, paused;
    struct w2v_train_report report;
    assert_int_equal(planted_train(&plain, &config, &report), 0);
    struct saver counter = make_saver(&config, "unused", UINT32_MAX);
    config.pause_every_words = 7000;
    config.pause_after_epoch = true;
    config.on_pause = save_and_stop;
    config.pause_context = &counter;
    assert_int_equal(planted_train(&paused, &config, &report), 0);
    /* 120000 words: every 7000 words, after epoch 1, and at the end */
    assert_true(counter.calls >= 17);
    assert_int_equal(report.pauses, counter.calls);
    assert_same_model(&plain, &paused);
    w2v_model_free(&plain);
    w2v_model_free(&paused);

    /* Combining (the default): the same model, and pauses only at the ends of
     * blocks. An epoch of this corpus is one block (60,000 words, fewer than
     * a block's 65,536), so the pauses due every 7000 words wait for it: one
     * after epoch 1 and one at the end. */
    struct w2v_train_config combining = small_config(W2V_MODEL_SKIPGRAM, W2V_LOSS_NS, 1);
    combining.combine = 0;
    assert_int_equal(planted_train(&plain, &combining, &report), 0);
    counter.calls = 0;
    combining.pause_every_words = 7000;
    combining.pause_after_epoch = true;
    combining.on_pause = save_and_stop;
    combining.pause_context = &counter;
    assert_int_equal(planted_train(&paused, &combining, &report), 0);
    assert_int_equal(counter.calls, 2);
    assert_int_equal(report.pauses, counter.calls);
    assert_same_model(&plain, &paused);
    w2v_checkpoint_corpus_free(&counter.corpus);
    w2v_model_free(&plain);
    w2v_model_free(&paused);
}

/* Stops at the stop_at-th pause (every 5000 words), resumes from the file. */
static void check_resume(enum w2v_model_kind model_kind, enum w2v_loss_kind loss,
                         uint32_t stop_at) {
    struct w2v_train_config config = small_config(model_kind, loss, 1);
    struct w2v_model full, first = {0}, resumed;
    struct w2v_train_report report;
    assert_int_equal(planted_train(&full, &config, &report), 0);

    struct saver saver = make_saver(&config, "resume.ckpt", stop_at);
    struct w2v_train_config stopping = config;
    stopping.pause_every_words = 5000;
    stopping.on_pause = save_and_stop;
    stopping.pause_context = &saver;
    assert_int_equal(planted_train(&first, &stopping, &report), W2V_TRAIN_STOPPED);

    struct w2v_checkpoint checkpoint;
    assert_int_equal(w2v_checkpoint_read(saver.path, &checkpoint), 0);
    assert_int_equal(checkpoint.state.words_done, saver.words_at_stop);
    struct w2v_train_config resuming = config;
    resuming.resume = &checkpoint.state;
    resuming.keep_model = true;
    resumed = checkpoint.model;
    assert_int_equal(planted_train(&resumed, &resuming, &report), 0);
    assert_int_equal(report.words_done + checkpoint.state.words_done,
                     planted.pipeline.encoded.token_count * config.epochs);
    assert_same_model(&full, &resumed);
    checkpoint.model = (struct w2v_model){0}; /* freed below as `resumed` */
    w2v_checkpoint_free(&checkpoint);
    w2v_checkpoint_corpus_free(&saver.corpus);
    w2v_model_free(&full);
    w2v_model_free(&first);
    w2v_model_free(&resumed);
}

static void test_resume_sg_ns_mid_epoch(void **state) {
    (void)state;
    check_resume(W2V_MODEL_SKIPGRAM, W2V_LOSS_NS, 3);
}
static void test_resume_sg_hs_epoch_two(void **state) {
    (void)state;
    check_resume(W2V_MODEL_SKIPGRAM, W2V_LOSS_HS, 15);
}
static void test_resume_cbow_ns_at_start(void **state) {
    (void)state;
    check_resume(W2V_MODEL_CBOW, W2V_LOSS_NS, 1);
}
static void test_resume_cbow_hs_mid_epoch(void **state) {
    (void)state;
    check_resume(W2V_MODEL_CBOW, W2V_LOSS_HS, 8);
}

/* Writes a checkpoint after 9000 words of a two-thread run; returns its path. */
static const char *two_thread_checkpoint(struct w2v_model *model) {
    struct w2v_train_config config = small_config(W2V_MODEL_SKIPGRAM, W2V_LOSS_NS, 2);
    static struct saver saver;
    saver = make_saver(&config, "two.ckpt", 1);
    config.pause_at_words = 9000;
    config.on_pause = save_and_stop;
    config.pause_context = &saver;
    struct w2v_train_report report;
    assert_int_equal(planted_train(model, &config, &report), W2V_TRAIN_STOPPED);
    w2v_checkpoint_corpus_free(&saver.corpus);
    return saver.path;
}

static void test_checkpoint_reads_back(void **state) {
    (void)state;
    struct w2v_model model;
    const char *path = two_thread_checkpoint(&model);
    struct w2v_checkpoint c;
    assert_int_equal(w2v_checkpoint_read(path, &c), 0);
    struct w2v_train_config config = small_config(W2V_MODEL_SKIPGRAM, W2V_LOSS_NS, 2);
    struct w2v_pipeline_options input;
    w2v_pipeline_options_default(&input);
    struct w2v_checkpoint_settings settings;
    w2v_checkpoint_settings_from(&settings, &config, &input);
    assert_int_equal(w2v_checkpoint_settings_differ(&settings, &c.settings), -1);
    assert_int_equal(c.vocab_size, planted.pipeline.vocab.size);
    for (uint32_t id = 0; id < c.vocab_size; id++) {
        assert_string_equal(c.words[id], w2v_vocab_word(&planted.pipeline.vocab, id));
        assert_int_equal(c.counts[id], w2v_vocab_count(&planted.pipeline.vocab, id));
    }
    assert_int_equal(c.state.threads, 2);
    assert_int_equal(c.state.epoch, 0);
    uint64_t done = c.state.words_done; /* published, and not yet published */
    for (uint32_t t = 0; t < 2; t++) done += c.state.workers[t].unpublished_words;
    assert_true(done >= 9000 && done < 60000);
    uint64_t left = 0;
    for (uint32_t t = 0; t < 2; t++)
        for (uint32_t r = 0; r < c.state.workers[t].range_count; r++)
            left += c.state.workers[t].ranges[r].end - c.state.workers[t].ranges[r].first;
    assert_true(left > 0 && left < planted.pipeline.encoded.sentence_count);
    assert_same_model(&model, &c.model);
    struct w2v_checkpoint_corpus now;
    assert_int_equal(w2v_checkpoint_corpus_identify(&now, planted.path, &planted.pipeline.encoded),
                     0);
    assert_int_equal(w2v_checkpoint_corpus_check(&c.corpus, &now), 0);
    now.hash ^= 1; /* the same size, other words */
    assert_int_equal(w2v_checkpoint_corpus_check(&c.corpus, &now), -1);
    assert_non_null(strstr(w2v_last_error(), "has changed"));
    w2v_checkpoint_corpus_free(&now);

    /* Resumed on three threads: every word of the run is trained once. */
    struct w2v_train_config three = config;
    three.threads = 3;
    three.resume = &c.state;
    three.keep_model = true;
    struct w2v_train_report report;
    assert_int_equal(planted_train(&c.model, &three, &report), 0);
    assert_int_equal(report.words_done + c.state.words_done,
                     planted.pipeline.encoded.token_count * config.epochs);
    w2v_checkpoint_free(&c);
    w2v_model_free(&model);
}

static void copy_file(const char *from, const char *to, long length) {
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    int ch;
    for (long i = 0; (length < 0 || i < length) && (ch = fgetc(in)) != EOF; i++) fputc(ch, out);
    fclose(in);
    fclose(out);
}

static void test_damage_and_truncation_refused(void **state) {
    (void)state;
    struct w2v_model model;
    const char *path = two_thread_checkpoint(&model);
    w2v_model_free(&model);
    struct stat info;
    assert_int_equal(stat(path, &info), 0);
    const long size = (long)info.st_size;
    const char *bad = test_path(dir, "bad.ckpt");
    struct w2v_checkpoint c;
    for (int i = 0; i < 64; i++) { /* one flipped bit anywhere */
        long at = (long)((size - 1) * (uint64_t)i / 63);
        copy_file(path, bad, -1);
        FILE *fp = fopen(bad, "r+b");
        fseek(fp, at, SEEK_SET);
        int ch = fgetc(fp);
        fseek(fp, at, SEEK_SET);
        fputc(ch ^ 0x10, fp);
        fclose(fp);
        assert_int_equal(w2v_checkpoint_read(bad, &c), -1);
        assert_non_null(strstr(w2v_last_error(), "bad.ckpt"));
    }
    const long lengths[] = {0, 7, 20, 100, size / 2, size - 17, size - 1};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        copy_file(path, bad, lengths[i]);
        assert_int_equal(w2v_checkpoint_read(bad, &c), -1);
    }
    copy_file(path, bad, size - 1);
    assert_int_equal(w2v_checkpoint_read(bad, &c), -1);
    assert_non_null(strstr(w2v_last_error(), "truncated"));
}

/* Format version 2: several ranks' states and the sync settings read back
 * field for field; a one-process file stays version 1; a state packed for
 * sending unpacks to the same state. */
static void test_ranks_read_back(void **state) {
    (void)state;
    struct w2v_model model;
    const char *path = two_thread_checkpoint(&model);
    struct w2v_checkpoint one;
    assert_int_equal(w2v_checkpoint_read(path, &one), 0);
    assert_int_equal(one.ranks, 1);
    FILE *fp = fopen(path, "rb");
    unsigned char head[12];
    assert_int_equal(fread(head, 1, sizeof head, fp), sizeof head);
    fclose(fp);
    assert_int_equal(head[8], 1); /* one process: the layout of version 1 */

    size_t size;
    unsigned char *packed = w2v_checkpoint_state_pack(&one.state, &size);
    struct w2v_train_state copy;
    assert_int_equal(w2v_checkpoint_state_unpack(packed, size, &copy), 0);
    w2v_checkpoint_state_free(&copy);
    assert_int_equal(w2v_checkpoint_state_unpack(packed, size - 1, &copy), -1);
    assert_int_equal(w2v_checkpoint_state_unpack(packed, size, &copy), 0);
    w2v_free(packed);
    copy.workers[0].rng.state[0] ^= 1; /* rank 1 differs from rank 0 */
    copy.words_done += 77;
    struct w2v_train_state ranks[3] = {one.state, copy, one.state};
    ranks[2].epoch = 2;
    const struct w2v_checkpoint_sync sync = {
        .rounds = 12345, .every = 5000, .min_words = 64, .average = 1};
    const char *three = test_path(dir, "three.ckpt");
    assert_int_equal(w2v_checkpoint_write(three, &one.settings, &one.corpus,
                                          &planted.pipeline.vocab, ranks, 3, &sync, &model, NULL),
                     0);
    struct w2v_checkpoint c;
    assert_int_equal(w2v_checkpoint_read(three, &c), 0);
    fp = fopen(three, "rb");
    assert_int_equal(fread(head, 1, sizeof head, fp), sizeof head);
    fclose(fp);
    assert_int_equal(head[8], 2);
    assert_int_equal(c.ranks, 3);
    assert_memory_equal(&c.sync, &sync, sizeof sync);
    assert_int_equal(w2v_checkpoint_state(&c, 1)->words_done, one.state.words_done + 77);
    assert_int_equal(w2v_checkpoint_state(&c, 1)->workers[0].rng.state[0],
                     one.state.workers[0].rng.state[0] ^ 1);
    assert_int_equal(w2v_checkpoint_state(&c, 2)->epoch, 2);
    for (uint32_t r = 0; r < 3; r++) {
        const struct w2v_train_state *got = w2v_checkpoint_state(&c, r);
        assert_int_equal(got->threads, one.state.threads);
        for (uint32_t t = 0; t < got->threads; t++) {
            assert_int_equal(got->workers[t].range_count, one.state.workers[t].range_count);
            if (got->workers[t].range_count)
                assert_memory_equal(got->workers[t].ranges, one.state.workers[t].ranges,
                                    got->workers[t].range_count * sizeof *got->workers[t].ranges);
        }
    }
    assert_same_model(&model, &c.model);
    w2v_checkpoint_free(&c);
    w2v_checkpoint_state_free(&copy);
    w2v_checkpoint_free(&one);
    w2v_model_free(&model);
}

/* Writes `settings` with the given rank states to `file`, checks the format
 * version in its header, reads it back into *c and checks that its settings
 * are the same and that they apply to a configuration as *applied. */
static void write_and_read(const char *file, const struct w2v_checkpoint_settings *settings,
                           const struct w2v_checkpoint *from, const struct w2v_train_state *ranks,
                           uint32_t count, const struct w2v_model *model, uint32_t version,
                           struct w2v_train_config *applied, struct w2v_checkpoint *c) {
    const struct w2v_checkpoint_sync sync = {.rounds = 3, .every = 5000, .min_words = 64};
    assert_int_equal(w2v_checkpoint_write(file, settings, &from->corpus, &planted.pipeline.vocab,
                                          ranks, count, count > 1 ? &sync : NULL, model, NULL),
                     0);
    FILE *fp = fopen(file, "rb");
    unsigned char head[12];
    assert_int_equal(fread(head, 1, sizeof head, fp), sizeof head);
    fclose(fp);
    assert_int_equal(head[8], version);
    assert_int_equal(w2v_checkpoint_read(file, c), 0);
    assert_int_equal(w2v_checkpoint_settings_differ(&c->settings, settings), -1);
    assert_int_equal(c->ranks, count);
    struct w2v_pipeline_options input;
    w2v_train_config_default(applied);
    w2v_pipeline_options_default(&input);
    w2v_checkpoint_settings_apply(&c->settings, applied, &input);
    assert_same_model(model, &c->model);
}

/* The first setting in which a and b differ is `name`, b's value shown as `text`. */
static void differs_by_name(const struct w2v_checkpoint_settings *a,
                            const struct w2v_checkpoint_settings *b, const char *name,
                            const char *text) {
    int index = w2v_checkpoint_settings_differ(a, b);
    assert_true(index >= 0);
    assert_string_equal(w2v_checkpoint_setting_name((uint32_t)index), name);
    char shown[64];
    w2v_checkpoint_setting_text(b, (uint32_t)index, shown, sizeof shown);
    assert_string_equal(shown, text);
}

/* Format version 3: hs_pair_nodes (w2v train --hs-pair-nodes) in a SET3
 * section, written only when it is not 0 (a file with 0 is the version 1 or
 * 2 it was before, and older files read as 0); it reads back, with several
 * ranks too, and a differing value is found by name. */
static void test_hs_pair_nodes_read_back(void **state) {
    (void)state;
    struct w2v_model model;
    const char *path = two_thread_checkpoint(&model);
    struct w2v_checkpoint one;
    assert_int_equal(w2v_checkpoint_read(path, &one), 0);
    assert_int_equal(one.settings.hs_pair_nodes, 0);
    struct w2v_checkpoint_settings split = one.settings;
    split.hs_pair_nodes = 5;
    differs_by_name(&one.settings, &split, "hs-pair-nodes", "5");

    const struct w2v_train_state ranks[2] = {one.state, one.state};
    const char *file = test_path(dir, "split.ckpt");
    for (uint32_t count = 1; count <= 2; count++) {
        struct w2v_checkpoint c;
        struct w2v_train_config config;
        write_and_read(file, &split, &one, ranks, count, &model, 3, &config, &c);
        assert_int_equal(c.settings.hs_pair_nodes, 5);
        assert_int_equal(config.hs_pair_nodes, 5);
        w2v_checkpoint_free(&c);
    }
    w2v_checkpoint_free(&one);
    w2v_model_free(&model);
}

/* Format version 4: combine (w2v train --combine) in a SET4 section after any
 * SET3, written only when it is above 1 (older files read as 1); with and
 * without hs_pair_nodes beside it, it reads back and applies, and a differing
 * value is found by name. */
static void test_combine_read_back(void **state) {
    (void)state;
    struct w2v_model model;
    const char *path = two_thread_checkpoint(&model);
    struct w2v_checkpoint one;
    assert_int_equal(w2v_checkpoint_read(path, &one), 0);
    assert_int_equal(one.settings.combine, 1);
    struct w2v_checkpoint_settings combined = one.settings;
    combined.combine = 8;
    differs_by_name(&one.settings, &combined, "combine", "8");
    const char *file = test_path(dir, "combined.ckpt");
    for (uint32_t nodes = 0; nodes <= 3; nodes += 3) {
        combined.hs_pair_nodes = nodes;
        struct w2v_checkpoint c;
        struct w2v_train_config config;
        write_and_read(file, &combined, &one, &one.state, 1, &model, 4, &config, &c);
        assert_int_equal(c.settings.combine, 8);
        assert_int_equal(c.settings.hs_pair_nodes, nodes);
        assert_int_equal(config.combine, 8);
        w2v_checkpoint_free(&c);
    }
    w2v_checkpoint_free(&one);
    w2v_model_free(&model);
}

/* The corpus checksum is XXH3-64 of the ids as uint32 then the sentence starts,
 * as with format-1 files (a uint32 array): checkpoints written before the
 * compact id codes still resume. 100,000 ids of every code size, in more than
 * one of the decoding chunks. */
static void test_corpus_hash_is_of_the_ids_as_uint32(void **state) {
    (void)state;
    enum { TOKENS = 100000 };
    uint32_t *ids = w2v_xmalloc(TOKENS * sizeof *ids);
    uint8_t *codes = w2v_xcalloc(TOKENS * W2V_IDCODE_MAX_BYTES + W2V_IDCODE_PADDING, 1);
    uint64_t bytes = 0, index[TOKENS / W2V_IDCODE_INDEX_STRIDE + 1];
    for (uint32_t t = 0; t < TOKENS; t++) {
        if (t % W2V_IDCODE_INDEX_STRIDE == 0) index[t / W2V_IDCODE_INDEX_STRIDE] = bytes;
        ids[t] = (t * 2654435761u) >> (t % 32);
        bytes += w2v_idcode_put(codes + bytes, ids[t]);
    }
    uint64_t starts[] = {0, 5, 70000, TOKENS};
    const struct w2v_encoded_corpus encoded = {.codes = codes,
                                               .code_bytes = bytes,
                                               .code_index = index,
                                               .token_count = TOKENS,
                                               .sentence_starts = starts,
                                               .sentence_count = 3};
    /* what format 1 hashed: the uint32 array, then the starts */
    uint8_t *flat = w2v_xmalloc(TOKENS * sizeof *ids + sizeof starts);
    memcpy(flat, ids, TOKENS * sizeof *ids);
    memcpy(flat + TOKENS * sizeof *ids, starts, sizeof starts);
    struct w2v_checkpoint_corpus corpus;
    assert_int_equal(w2v_checkpoint_corpus_identify(&corpus, planted.path, &encoded), 0);
    assert_int_equal(corpus.hash, XXH3_64bits(flat, TOKENS * sizeof *ids + sizeof starts));
    assert_int_equal(corpus.tokens, TOKENS);
    w2v_checkpoint_corpus_free(&corpus);
    w2v_free(ids), w2v_free(codes), w2v_free(flat);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pauses_change_nothing),
        cmocka_unit_test(test_resume_sg_ns_mid_epoch),
        cmocka_unit_test(test_resume_sg_hs_epoch_two),
        cmocka_unit_test(test_resume_cbow_ns_at_start),
        cmocka_unit_test(test_resume_cbow_hs_mid_epoch),
        cmocka_unit_test(test_checkpoint_reads_back),
        cmocka_unit_test(test_damage_and_truncation_refused),
        cmocka_unit_test(test_ranks_read_back),
        cmocka_unit_test(test_hs_pair_nodes_read_back),
        cmocka_unit_test(test_combine_read_back),
        cmocka_unit_test(test_corpus_hash_is_of_the_ids_as_uint32),
    };
    return cmocka_run_group_tests(tests, generate_corpus, planted_release);
}
