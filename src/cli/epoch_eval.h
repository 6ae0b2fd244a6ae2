/* epoch_eval.h — `w2v train --eval-analogy/--eval-similarity`: quality measured
 * on the in-memory vectors after every epoch, so it can be watched as it trains.
 * The question and pair files are loaded once, before training starts. */
#ifndef W2V_CLI_EPOCH_EVAL_H
#define W2V_CLI_EPOCH_EVAL_H

#include "w2v/eval.h"
#include "w2v/vectors.h"

#include <stdbool.h>

struct w2v_epoch_eval {
    bool has_questions, has_pairs;
    struct w2v_analogy_questions questions;
    struct w2v_word_pairs pairs;
    double last_accuracy; /* after the last epoch evaluated; NAN if none */
    double last_spearman;
};

/* Loads the files (either path may be NULL). */
int w2v_epoch_eval_init(struct w2v_epoch_eval *eval, const char *analogy_path,
                        const char *similarity_path);
/* The w2v_train_config.on_epoch_end callback: prints one line on stderr. */
int w2v_epoch_eval_run(void *eval, uint32_t epoch, const struct w2v_vectors *vectors);
void w2v_epoch_eval_free(struct w2v_epoch_eval *eval);

#endif
