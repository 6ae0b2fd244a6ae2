/* loss.c — the loss table lookup and the per-worker scratch every loss shares. */
#include "w2v/loss.h"

#include "w2v/alloc.h"

#include <stddef.h>

const struct w2v_loss_ops *w2v_loss_ops_for(enum w2v_loss_kind kind) {
    switch (kind) {
    case W2V_LOSS_NS:
        return &w2v_loss_negative_sampling;
    case W2V_LOSS_HS:
        return &w2v_loss_hierarchical_softmax;
    case W2V_LOSS_SOFTMAX:
        return &w2v_loss_softmax;
    default:
        return NULL;
    }
}

const char *w2v_loss_name(enum w2v_loss_kind kind) {
    const struct w2v_loss_ops *ops = w2v_loss_ops_for(kind);
    return ops ? ops->name : "?";
}

void w2v_loss_worker_init(struct w2v_loss_worker *worker, uint32_t max_inputs) {
    worker->max_inputs = max_inputs ? max_inputs : 1;
    worker->max_outputs = worker->ops->max_outputs(worker);
    worker->scores =
        w2v_alloc_aligned((size_t)worker->max_inputs * worker->max_outputs * sizeof(float));
    worker->output_ids = w2v_xmalloc(worker->max_outputs * sizeof *worker->output_ids);
    worker->output_rows = w2v_xmalloc(worker->max_outputs * sizeof *worker->output_rows);
    worker->flops = 0;
}

void w2v_loss_worker_free(struct w2v_loss_worker *worker) {
    w2v_free(worker->scores);
    w2v_free(worker->output_ids);
    w2v_free(worker->output_rows);
    worker->scores = NULL;
    worker->output_ids = NULL;
    worker->output_rows = NULL;
}
