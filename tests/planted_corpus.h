/* planted_corpus.h — the end-to-end tests' fixture: a generated corpus with
 * planted word groups (synth.h), its vocabulary and id stream through the same
 * pipeline as `w2v train` (pipeline.h), the training configuration the tests
 * start from, and the measure of whether trained vectors recovered the groups.
 * A test program includes it once: `planted` is its one corpus. */
#ifndef W2V_TEST_PLANTED_CORPUS_H
#define W2V_TEST_PLANTED_CORPUS_H

#include "test_files.h"
#include "w2v/model.h"
#include "w2v/pipeline.h"
#include "w2v/synth.h"
#include "w2v/train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct planted_corpus {
    char *path;
    struct w2v_synth_truth truth;
    struct w2v_pipeline pipeline; /* corpus, vocabulary (min-count 5), id stream */
};

/* Writes the corpus of `config` into a fresh temporary directory and opens its
 * pipeline (vocabulary with min-count 5, id stream) with `threads` threads. 0 or -1. */
static inline int planted_corpus_make(struct planted_corpus *planted,
                                      const struct w2v_synth_config *config, uint32_t threads) {
    memset(planted, 0, sizeof *planted);
    planted->path = test_path(test_tempdir(), "planted.txt");
    FILE *fp = fopen(planted->path, "wb");
    if (!fp || w2v_synth_write(fp, config, &planted->truth) != 0 || fclose(fp) != 0) return -1;
    struct w2v_pipeline_options options;
    w2v_pipeline_options_default(&options);
    options.train_path = planted->path;
    options.threads = threads;
    return w2v_pipeline_open(&planted->pipeline, &options);
}

static inline void planted_corpus_free(struct planted_corpus *planted) {
    w2v_pipeline_close(&planted->pipeline);
    w2v_synth_truth_free(&planted->truth);
    free(planted->path);
}

/* The test program's corpus, made by its group setup and freed by planted_release. */
static struct planted_corpus planted;

/* The synthetic corpus's defaults with this seed, size and planted structure. */
static inline struct w2v_synth_config planted_config(uint64_t seed, uint64_t words,
                                                     uint32_t vocab_size, uint32_t groups,
                                                     uint32_t group_size) {
    struct w2v_synth_config config;
    w2v_synth_default_config(&config);
    config.seed = seed;
    config.size_words = words;
    config.vocab_size = vocab_size;
    config.groups = groups;
    config.group_size = group_size;
    return config;
}

/* cmocka group teardown. */
static inline int planted_release(void **state) {
    (void)state;
    planted_corpus_free(&planted);
    return 0;
}

/* Trains on `planted`. */
static inline int planted_train(struct w2v_model *model, const struct w2v_train_config *config,
                                struct w2v_train_report *report) {
    return w2v_train(model, &planted.pipeline.encoded, &planted.pipeline.vocab, config, report);
}

/* What the end-to-end tests train with: the library's defaults (its alpha per
 * model, window 5, negative 5, sample 1e-3), 3 epochs, quiet. */
static inline struct w2v_train_config planted_train_config(enum w2v_model_kind model,
                                                           enum w2v_loss_kind loss, uint32_t dim,
                                                           uint32_t threads, uint64_t seed) {
    struct w2v_train_config config;
    w2v_train_config_default(&config);
    config.model = model;
    config.loss = loss;
    config.dim = dim;
    config.epochs = 3;
    config.threads = threads;
    config.seed = seed;
    config.quiet = true;
    return config;
}

static inline double planted_cosine(const float *a, const float *b, uint32_t dim) {
    double dot = 0, na = 0, nb = 0;
    for (uint32_t k = 0; k < dim; k++) dot += a[k] * b[k], na += a[k] * a[k], nb += b[k] * b[k];
    return dot / (sqrt(na * nb) + 1e-30);
}

/* Chance level of planted_group_purity: the share of the vocabulary in a group. */
static inline double planted_chance(const struct planted_corpus *planted) {
    const struct w2v_synth_truth *t = &planted->truth;
    return (t->group_size + t->contexts_per_group - 1.0) / planted->pipeline.vocab.size;
}

/* Mean share of each planted member's (group_size − 1) nearest words, over the
 * whole vocabulary, that belong to its own group (members or context words,
 * w2v_synth_topic_of). Every member must be in the vocabulary. */
static inline double planted_group_purity(const struct planted_corpus *planted,
                                          const struct w2v_model *model) {
    const struct w2v_synth_truth *truth = &planted->truth;
    const struct w2v_vocab *vocab = &planted->pipeline.vocab;
    const uint32_t k = truth->group_size - 1;
    double purity_sum = 0, *similarity = malloc(vocab->size * sizeof *similarity);
    uint32_t members = truth->group_count * truth->group_size;
    for (uint32_t m = 0; m < members; m++) {
        const char *word = truth->members[m];
        int64_t id = w2v_vocab_find(vocab, word, (uint32_t)strlen(word));
        if (id < 0) abort();
        for (uint32_t other = 0; other < vocab->size; other++)
            similarity[other] = other == id
                                    ? -INFINITY
                                    : planted_cosine(w2v_model_input_row(model, (uint32_t)id),
                                                     w2v_model_input_row(model, other), model->dim);
        uint32_t same = 0;
        for (uint32_t i = 0; i < k; i++) { /* k times: take the best one left */
            uint32_t best = 0;
            for (uint32_t other = 1; other < vocab->size; other++)
                if (similarity[other] > similarity[best]) best = other;
            same += w2v_synth_topic_of(truth, w2v_vocab_word(vocab, best)) ==
                    w2v_synth_topic_of(truth, word);
            similarity[best] = -INFINITY;
        }
        purity_sum += (double)same / k;
    }
    free(similarity);
    return purity_sum / members;
}

#endif
