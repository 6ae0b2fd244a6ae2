/* w2v.h — the w2v core library in one include: everything needed to train
 * word vectors from a corpus and write them (link with `pkg-config --libs w2v`).
 *
 * The usual path (examples/train.c does exactly this):
 *
 *   struct w2v_pipeline_options po;   w2v_pipeline_options_default(&po);
 *   po.train_path = "corpus.txt";
 *   struct w2v_pipeline p = {0};      w2v_pipeline_open(&p, &po);      corpus → vocabulary → ids
 *   struct w2v_train_config tc;       w2v_train_config_default(&tc);
 *   struct w2v_model m = {0};         w2v_train(&m, &p.encoded, &p.vocab, &tc, &report);
 *   struct w2v_vectors v;             w2v_train_vectors_view(&m, &p.vocab, &v);
 *   w2v_vectors_write("vectors.txt", &v, false);                      written atomically
 *
 * Every function that can fail returns −1 (or NULL) and leaves one line in
 * w2v_last_error(). The tools built on the core — analogy and similarity
 * evaluation, nearest-neighbour search, PCA, plots, synthetic corpora,
 * gradient checks — are in <w2v/tools.h> (`pkg-config --libs w2v-tools`).
 *
 * Not included here: <w2v/timer.h> (a clock_gettime helper that needs POSIX
 * declarations, which a strict -std=c11 build does not have). */
#ifndef W2V_W2V_H
#define W2V_W2V_H

/* Errors and output files. */
#include "w2v/error.h"
#include "w2v/atomic_file.h"

/* Corpus → vocabulary → id stream. */
#include "w2v/corpus.h"
#include "w2v/tokenizer.h"
#include "w2v/word_table.h"
#include "w2v/vocab.h"
#include "w2v/encode.h"
#include "w2v/pipeline.h"

/* The model and its training. */
#include "w2v/model.h"
#include "w2v/kernels.h"
#include "w2v/sampler.h"
#include "w2v/subsample.h"
#include "w2v/huffman.h"
#include "w2v/loss.h"
#include "w2v/step.h"
#include "w2v/combine.h"
#include "w2v/train.h"
#include "w2v/checkpoint.h"
#include "w2v/progress.h"

/* Word vectors in word2vec's text and binary files. */
#include "w2v/vectors.h"
#include "w2v/word_index.h"

/* Utilities the above are built on. */
#include "w2v/alloc.h"
#include "w2v/parallel.h"
#include "w2v/rng.h"

#endif
