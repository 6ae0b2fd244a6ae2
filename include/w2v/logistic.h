/* logistic.h — one binary logistic unit in scalar C: σ(s), its loss and the
 * running sum of losses, for the scalar logistic-block kernel
 * (kernels_scalar.c). The SIMD kernels compute the same quantities a register at a time. */
#ifndef W2V_LOGISTIC_H
#define W2V_LOGISTIC_H

#include <math.h>
#include <stdbool.h>

/* One binary logistic unit, the step every loss here is built from: for a
 * score s and a label y (true: the unit should say yes), returns σ(s) and
 * adds J = −log σ(s) (y true) or −log σ(−s) = −log(1 − σ(s)) (y false) to
 * `loss`. With e = e^−|s| and l = log(1 + e):
 *     σ(s) = 1/(1+e) for s ≥ 0, e/(1+e) below;
 *     −log σ(s) = l + max(−s, 0),   −log σ(−s) = l + max(s, 0).
 * One expf per unit, no overflow for any s. The logarithms are not taken one
 * by one: Σ l = log Π (1 + e), so `loss` keeps the product (each factor in
 * (1, 2], in double) and takes one log when it grows large and once at the end
 * (w2v_logistic_loss_total). A logf per unit was a fifth of the time of a
 * skip-gram window batch; the product's rounding (≤ 1e-16 per factor) is far
 * below a float logf's. */
struct w2v_logistic_loss {
    double product; /* Π (1 + e) not yet folded into sum */
    double sum;     /* Σ max(∓s, 0) + the folded logarithms */
};

static inline struct w2v_logistic_loss w2v_logistic_loss_start(void) {
    return (struct w2v_logistic_loss){.product = 1.0, .sum = 0.0};
}

static inline float w2v_logistic(float s, bool label, struct w2v_logistic_loss *loss) {
    const float e = expf(-fabsf(s));
    const float one_plus_e = 1.0f + e;
    loss->product *= one_plus_e;
    if (loss->product > 0x1p900) loss->sum += log(loss->product), loss->product = 1.0;
    loss->sum += label ? fmaxf(-s, 0.0f) : fmaxf(s, 0.0f);
    return (s >= 0 ? 1.0f : e) / one_plus_e;
}

/* The summed J of every unit added to `loss`. */
static inline double w2v_logistic_loss_total(const struct w2v_logistic_loss *loss) {
    return loss->sum + log(loss->product);
}

#endif
