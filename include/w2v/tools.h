/* tools.h — the w2v tools library in one include: what is built on the core
 * to judge and look at vectors (link with `pkg-config --libs w2v-tools`):
 * analogy and word-similarity evaluation, nearest-neighbour and analogy
 * search, PCA, word plots (PNG), synthetic corpora with planted structure,
 * and finite-difference gradient checks of the training step. Includes
 * <w2v/w2v.h>. */
#ifndef W2V_TOOLS_H
#define W2V_TOOLS_H

#include "w2v/w2v.h"

#include "w2v/eval.h"
#include "w2v/gradcheck.h"
#include "w2v/pca.h"
#include "w2v/plot.h"
#include "w2v/search.h"
#include "w2v/stats.h"
#include "w2v/synth.h"

#endif
