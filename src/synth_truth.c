/* synth_truth.c — the planted words of a synthetic corpus (groups, their
 * contexts, analogy relations): where they sit in the word numbering, the
 * checks a configuration must pass for them to fit, and the files that
 * describe them (group membership and analogy questions). The generator
 * (synth.c) calls in here; nothing here calls the generator. */
#include "synth_layout.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/synth.h"

#include <inttypes.h>
#include <string.h>

void w2v_synth_layout_of(const struct w2v_synth_config *config, struct w2v_synth_layout *layout) {
    uint64_t members = (uint64_t)config->groups * config->group_size;
    uint64_t contexts = (uint64_t)config->groups * config->contexts_per_group;
    uint32_t relations = config->analogies ? config->groups / 2 : 0;
    uint64_t identity = (uint64_t)relations * config->group_size * config->identity_words;
    layout->relations = relations;
    layout->planted = members + contexts + identity;
    if (layout->planted + W2V_SYNTH_MIN_FILLER > config->vocab_size) {
        layout->filler = 0;
        layout->members_base = layout->contexts_base = layout->identity_base = 0;
        return;
    }
    layout->filler = (uint32_t)(config->vocab_size - layout->planted);
    layout->members_base = layout->filler;
    layout->contexts_base = (uint32_t)(layout->members_base + members);
    layout->identity_base = (uint32_t)(layout->contexts_base + contexts);
}

int w2v_synth_validate(const struct w2v_synth_config *config) {
    if ((config->size_bytes == 0) == (config->size_words == 0))
        return w2v_error("corpus size: give exactly one of a byte size and a word count, not 0");
    if (config->vocab_size < 2 || config->vocab_size > W2V_SYNTH_MAX_VOCAB)
        return w2v_error("vocabulary size %" PRIu32 " is out of range (2 to %u)",
                         config->vocab_size, W2V_SYNTH_MAX_VOCAB);
    if (!(config->zipf_exponent > 0 && config->zipf_exponent <= 10))
        return w2v_error("Zipf exponent %g is out of range (above 0, at most 10)",
                         config->zipf_exponent);
    if (!(config->sentence_mean >= 2 && config->sentence_mean <= 500))
        return w2v_error("mean sentence length %g is out of range (2 to 500 words)",
                         config->sentence_mean);
    if (!(config->topic_fraction >= 0 && config->topic_fraction <= 1))
        return w2v_error("topic fraction %g is out of range (0 to 1)", config->topic_fraction);
    if (config->groups > 0 && (config->group_size < 2 || config->contexts_per_group < 1))
        return w2v_error("planted groups need at least 2 members and 1 context word each");
    if (config->analogies && config->groups < 2)
        return w2v_error("planted analogies need at least 2 groups (got %" PRIu32 ")",
                         config->groups);
    if (config->analogies && config->identity_words < 1)
        return w2v_error("planted analogies need at least 1 identity word per pair");
    if (config->threads > W2V_SYNTH_MAX_THREADS)
        return w2v_error("%" PRIu32 " generator threads is too many (at most %d)", config->threads,
                         W2V_SYNTH_MAX_THREADS);
    struct w2v_synth_layout layout;
    w2v_synth_layout_of(config, &layout);
    if (layout.planted + W2V_SYNTH_MIN_FILLER > config->vocab_size)
        return w2v_error("vocabulary of %" PRIu32 " words is too small: the planted structure "
                         "needs %" PRIu64 " words plus at least %u filler words",
                         config->vocab_size, layout.planted, W2V_SYNTH_MIN_FILLER);
    return 0;
}

static char *word_copy(uint32_t index) {
    char word[W2V_SYNTH_MAX_WORD + 1];
    size_t len = w2v_synth_word(index, word);
    return w2v_xstrndup(word, len);
}

int w2v_synth_plant(const struct w2v_synth_config *config, struct w2v_synth_truth *truth) {
    memset(truth, 0, sizeof *truth);
    if (w2v_synth_validate(config) != 0) return -1;
    struct w2v_synth_layout layout;
    w2v_synth_layout_of(config, &layout);
    truth->group_count = config->groups;
    truth->group_size = config->group_size;
    truth->contexts_per_group = config->contexts_per_group;
    truth->relation_count = layout.relations;
    truth->filler_count = layout.filler;
    size_t member_count = (size_t)config->groups * config->group_size;
    size_t context_count = (size_t)config->groups * config->contexts_per_group;
    truth->members = w2v_xcalloc(member_count, sizeof(char *));
    truth->contexts = w2v_xcalloc(context_count, sizeof(char *));
    for (size_t m = 0; m < member_count; m++)
        truth->members[m] = word_copy(layout.members_base + (uint32_t)m);
    for (size_t c = 0; c < context_count; c++)
        truth->contexts[c] = word_copy(layout.contexts_base + (uint32_t)c);
    return 0;
}

void w2v_synth_truth_free(struct w2v_synth_truth *truth) {
    if (!truth) return;
    size_t member_count = (size_t)truth->group_count * truth->group_size;
    size_t context_count = (size_t)truth->group_count * truth->contexts_per_group;
    for (size_t m = 0; truth->members && m < member_count; m++) w2v_free(truth->members[m]);
    for (size_t c = 0; truth->contexts && c < context_count; c++) w2v_free(truth->contexts[c]);
    w2v_free(truth->members);
    w2v_free(truth->contexts);
    memset(truth, 0, sizeof *truth);
}

int w2v_synth_group_of(const struct w2v_synth_truth *truth, const char *word) {
    for (uint32_t g = 0; g < truth->group_count; g++)
        for (uint32_t i = 0; i < truth->group_size; i++)
            if (strcmp(truth->members[(size_t)g * truth->group_size + i], word) == 0) return (int)g;
    return -1;
}

int w2v_synth_topic_of(const struct w2v_synth_truth *truth, const char *word) {
    int group = w2v_synth_group_of(truth, word);
    for (uint32_t c = 0; group < 0 && c < truth->group_count * truth->contexts_per_group; c++)
        if (strcmp(truth->contexts[c], word) == 0) group = (int)(c / truth->contexts_per_group);
    return group;
}

int w2v_synth_write_groups(FILE *out, const struct w2v_synth_truth *truth) {
    for (uint32_t g = 0; g < truth->group_count; g++) {
        for (uint32_t i = 0; i < truth->group_size; i++)
            fprintf(out, "%s%s", i ? " " : "", truth->members[(size_t)g * truth->group_size + i]);
        fputc('\n', out);
    }
    if (ferror(out)) return w2v_error("cannot write the group file");
    return 0;
}

int w2v_synth_write_questions(FILE *out, const struct w2v_synth_truth *truth) {
    const size_t n = truth->group_size;
    for (uint32_t r = 0; r < truth->relation_count; r++) {
        char **x = truth->members + (size_t)(2 * r) * n;
        char **y = truth->members + (size_t)(2 * r + 1) * n;
        fprintf(out, ": synthetic-relation-%02u\n", r + 1);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                if (i != j) fprintf(out, "%s %s %s %s\n", x[i], y[i], x[j], y[j]);
    }
    if (ferror(out)) return w2v_error("cannot write the questions file");
    return 0;
}
