/* phrases.h — word2phrase's job: join frequent bigrams into one token "a_b".
 *
 * A pass counts every word and every bigram (two words next to each other on
 * one line) of a corpus, scores each bigram seen at least min_count times as
 *
 *     score(a, b) = (count(ab) - min_count) / (count(a) * count(b)) * total_words
 *
 * (total_words: every token of the corpus; a and b must each be seen at least
 * min_count times) and rewrites the text with "a b" as "a_b" wherever the
 * score is above the threshold. As in word2phrase, a word just joined to its
 * left neighbour is not joined to its right one in the same pass, so one pass
 * makes bigrams only; a second pass over the rewritten text (usually with a
 * lower threshold) makes trigrams and 4-grams.
 *
 * Lines are sentences: no bigram spans a line end, and the rewritten text has
 * the same lines, each a run of words separated by one space or by '_'. Words
 * are kept whole (no length cut). Counting and rewriting run in parallel over
 * chunks of the (mapped) corpus that end at line ends. */
#ifndef W2V_PHRASES_H
#define W2V_PHRASES_H

#include "w2v/corpus.h"
#include "w2v/vocab.h"

#include <stdint.h>
#include <stdio.h>

/* The most passes one run makes. */
#define W2V_PHRASES_MAX_PASSES 16

/* One bigram scored above the threshold. */
struct w2v_phrase {
    const char *text; /* "a_b", NUL-terminated, in the model's arena */
    uint32_t a, b;    /* the two words' ids in the model's vocabulary */
    uint64_t count;   /* count(ab) */
    double score;
};

/* What one pass learnt from its corpus. */
struct w2v_phrases_model {
    struct w2v_vocab vocab; /* every word of the corpus, min_count 1 (ids by frequency) */
    uint64_t total_words;   /* every token of the corpus */
    uint64_t min_count;     /* for words and bigrams */
    double threshold;       /* joined when score > threshold */
    uint64_t bigram_types;  /* distinct bigrams of two frequent words seen >= min_count times */
    uint32_t phrase_count;  /* bigrams above the threshold, by score descending */
    struct w2v_phrase *phrases;
    char *arena;           /* the phrases' text */
    uint64_t *set_keys;    /* (a << 32 | b) of each phrase, open addressing; ~0 = empty */
    uint64_t set_capacity; /* a power of two */
    /* The counting pass's id of each word (NO_WORD: seen < min_count times),
     * one array per thread's chunk, so that rewriting the same corpus (same
     * data and size, same thread count) needs no second look-up per word. */
    uint32_t **ids;
    uint32_t ids_threads;
    const char *ids_data;
    size_t ids_size;
};

struct w2v_phrases_config {
    double thresholds[W2V_PHRASES_MAX_PASSES]; /* pass i's threshold */
    uint32_t passes;                           /* 1..W2V_PHRASES_MAX_PASSES */
    uint64_t min_count;                        /* >= 1 */
    uint32_t threads;                          /* 0: the online CPUs */
};

/* One pass's figures, for the command line's summary. */
struct w2v_phrases_pass_report {
    double threshold;
    uint64_t total_words, distinct_words, bigram_types;
    uint32_t phrase_count;
    uint64_t joined; /* bigram occurrences joined in the rewritten text */
    double seconds;
};

struct w2v_phrases_report {
    uint32_t passes;
    struct w2v_phrases_pass_report pass[W2V_PHRASES_MAX_PASSES];
    uint64_t input_bytes, output_bytes;
    double seconds;
};

/* The thresholds of `passes` passes from the `given` first ones: each missing
 * one is half the one before (word2phrase's usual 200 then 100). */
void w2v_phrases_fill_thresholds(double *thresholds, uint32_t given, uint32_t passes);

/* Counts `corpus` and scores its bigrams against `threshold`. */
int w2v_phrases_learn(struct w2v_phrases_model *model, const struct w2v_corpus *corpus,
                      double threshold, uint64_t min_count, uint32_t threads);
void w2v_phrases_model_free(struct w2v_phrases_model *model);

/* Rewrites `corpus` with the model's phrases joined: with the ids the model
 * kept if `corpus` and `threads` are those it was learnt from (the corpus
 * unchanged since), else by looking each word up. *text gets a w2v_xmalloc'd
 * buffer of *size bytes (at most corpus->size); *joined the joins made. */
int w2v_phrases_rewrite(const struct w2v_phrases_model *model, const struct w2v_corpus *corpus,
                        uint32_t threads, char **text, size_t *size, uint64_t *joined);

/* Writes "phrase score count pass" per line, best score first. */
void w2v_phrases_write_list(FILE *fp, const struct w2v_phrases_model *model, uint32_t pass);

/* The whole job: config->passes passes over `input`, the last pass's text to
 * `output` and (if phrases_path is not NULL) every pass's phrases to
 * phrases_path, both written atomically and only if every pass succeeded. */
int w2v_phrases_run(const char *input, const char *output, const char *phrases_path,
                    const struct w2v_phrases_config *config, struct w2v_phrases_report *report);

#endif
