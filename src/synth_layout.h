/* synth_layout.h — where the planted words sit in a synthetic corpus's word
 * numbering (private to synth*.c).
 *
 * Word numbers 0 .. filler-1 are the Zipf filler (number r-1 has rank r); the
 * planted words follow: all group members, then all group context words, then
 * the identity words of the analogy pairs. */
#ifndef W2V_SYNTH_LAYOUT_H
#define W2V_SYNTH_LAYOUT_H

#include "w2v/synth.h"

#include <stdint.h>

/* Filler words the vocabulary must keep besides the planted ones. */
#define W2V_SYNTH_MIN_FILLER 100u

/* The most generator threads a configuration may ask for. */
#define W2V_SYNTH_MAX_THREADS 256

struct w2v_synth_layout {
    uint32_t filler;        /* Zipf words: numbers [0, filler) */
    uint32_t members_base;  /* member i of group g: members_base + g * group_size + i */
    uint32_t contexts_base; /* context j of group g: contexts_base + g * contexts_per_group + j */
    uint32_t identity_base; /* identity word k of pair i of relation r:
                               identity_base + (r * group_size + i) * identity_words + k */
    uint32_t relations;     /* analogy relations (groups 2r, 2r+1) */
    uint64_t planted;       /* planted words in all */
};

/* The layout of a configuration whose numbers were validated, except that the
 * vocabulary may be too small: then layout->planted + W2V_SYNTH_MIN_FILLER >
 * vocab_size and the filler count is 0. */
void w2v_synth_layout_of(const struct w2v_synth_config *config, struct w2v_synth_layout *layout);

#endif
