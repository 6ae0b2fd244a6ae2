/* planted_corpus.h — the end-to-end tests' fixture: a generated corpus with
 * planted word groups (synth.h), its vocabulary and id stream, and the measure
 * of whether trained vectors recovered the groups. */
#ifndef W2V_TEST_PLANTED_CORPUS_H
#define W2V_TEST_PLANTED_CORPUS_H

#include "test_files.h"
#include "w2v/corpus.h"
#include "w2v/encode.h"
#include "w2v/model.h"
#include "w2v/synth.h"
#include "w2v/vocab.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct planted_corpus {
    char *path;
    struct w2v_synth_truth truth;
    struct w2v_corpus corpus;
    struct w2v_vocab vocab;
    struct w2v_encoded_corpus encoded;
};

/* Writes the corpus of `config` into a fresh temporary directory and builds its
 * vocabulary (min-count 5) and id stream with `threads` threads. 0 or -1. */
static inline int planted_corpus_make(struct planted_corpus *planted,
                                      const struct w2v_synth_config *config, uint32_t threads) {
    memset(planted, 0, sizeof *planted);
    planted->path = test_path(test_tempdir(), "planted.txt");
    FILE *fp = fopen(planted->path, "wb");
    if (!fp || w2v_synth_write(fp, config, &planted->truth) != 0 || fclose(fp) != 0) return -1;
    if (w2v_corpus_open(&planted->corpus, planted->path) != 0) return -1;
    struct w2v_vocab_options vocab_options = {5, 0, threads, 100};
    if (w2v_vocab_build(&planted->vocab, &planted->corpus, &vocab_options, NULL) != 0) return -1;
    struct w2v_encode_options encode_options = {threads, 10000, 100};
    return w2v_encode(&planted->encoded, &planted->corpus, &planted->vocab, &encode_options);
}

static inline void planted_corpus_free(struct planted_corpus *planted) {
    w2v_encoded_free(&planted->encoded);
    w2v_vocab_free(&planted->vocab);
    w2v_corpus_close(&planted->corpus);
    w2v_synth_truth_free(&planted->truth);
    free(planted->path);
}

static inline double planted_cosine(const float *a, const float *b, uint32_t dim) {
    double dot = 0, na = 0, nb = 0;
    for (uint32_t k = 0; k < dim; k++) dot += a[k] * b[k], na += a[k] * a[k], nb += b[k] * b[k];
    return dot / (sqrt(na * nb) + 1e-30);
}

/* Chance level of planted_group_purity: the share of the vocabulary in a group. */
static inline double planted_chance(const struct planted_corpus *planted) {
    const struct w2v_synth_truth *t = &planted->truth;
    return (t->group_size + t->contexts_per_group - 1.0) / planted->vocab.size;
}

/* Mean share of each planted member's (group_size − 1) nearest words, over the
 * whole vocabulary, that belong to its own group (members or context words,
 * w2v_synth_topic_of). Every member must be in the vocabulary. */
static inline double planted_group_purity(const struct planted_corpus *planted,
                                          const struct w2v_model *model) {
    const struct w2v_synth_truth *truth = &planted->truth;
    const struct w2v_vocab *vocab = &planted->vocab;
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
