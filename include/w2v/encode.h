/* encode.h — the corpus as a stream of 32-bit word ids, built once.
 *
 * Encoding drops words outside the vocabulary (as word2vec.c does) and records
 * where each sentence starts, so the epochs never tokenize text again. A line
 * with more than max_sentence_tokens in-vocabulary words is cut into pieces of
 * that length (training windows never cross a cut or a newline); how many
 * lines were cut is reported. Built in parallel over the same chunks as the
 * vocabulary, and identical for any thread count. */
#ifndef W2V_ENCODE_H
#define W2V_ENCODE_H

#include "w2v/corpus.h"
#include "w2v/vocab.h"

#include <stdint.h>

struct w2v_encoded_corpus {
    uint32_t *ids; /* token_count word ids */
    uint64_t token_count;
    uint64_t *sentence_starts; /* sentence_count + 1 offsets into ids; the last is token_count */
    uint64_t sentence_count;
    uint64_t cut_lines; /* lines longer than max_sentence_tokens */
    double seconds;
};

struct w2v_encode_options {
    uint32_t threads;
    uint32_t max_sentence_tokens;
    uint32_t max_token_bytes;
};

#define W2V_DEFAULT_MAX_SENTENCE_TOKENS 10000

int w2v_encode(struct w2v_encoded_corpus *encoded, const struct w2v_corpus *corpus,
               const struct w2v_vocab *vocab, const struct w2v_encode_options *options);

void w2v_encoded_free(struct w2v_encoded_corpus *encoded);

#endif
