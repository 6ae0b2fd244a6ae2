/* synth.h — synthetic text corpora with known structure, for tests, demos and benchmarks.
 *
 * A generated corpus is lowercase ASCII words separated by single spaces, one
 * sentence per line ("\n" after every sentence, the last one included). It has
 *
 *   - a vocabulary of `vocab_size` distinct, pronounceable, made-up words;
 *   - "filler" words drawn from a Zipf law: the word of rank r (1-based) has
 *     probability ∝ r^-zipf_exponent, so rank 1 is 2^zipf_exponent times as
 *     frequent as rank 2; filler rank r is the word w2v_synth_word(r - 1);
 *   - sentence lengths from a log-normal law whose mean is `sentence_mean` words;
 *   - planted structure (unless groups == 0): `groups` groups of `group_size`
 *     "member" words, each group with `contexts_per_group` context words of its
 *     own. A fraction `topic_fraction` of the sentences is about one group: its
 *     words are that group's members and context words mixed with Zipf filler.
 *     Members of one group therefore share contexts, and trained vectors put
 *     them near each other (check with nearest-neighbour group purity);
 *   - planted analogies (if `analogies`): groups 2r and 2r+1 form relation r.
 *     Member i of group 2r (x_i) and member i of group 2r+1 (y_i) are a pair
 *     that shares `identity_words` context words of its own, while each keeps
 *     its group's context words. So y_i - x_i is about the same vector for every
 *     i (the difference of the two groups' contexts), and "x_i y_i x_j y_j"
 *     questions are answerable by 3CosAdd (w2v_synth_write_questions).
 *
 * The output depends only on the configuration, never on `threads`: the text is
 * made of fixed-size blocks, each generated from its own seed (xoshiro256**
 * seeded by splitmix64 from `seed` and the block number), and concatenated in
 * order. The corpus ends after the word that reaches the requested size: with
 * `size_words` it has exactly that many words; with `size_bytes` it is the
 * longest prefix of whole words not longer than that many bytes (so within one
 * word of it).
 *
 * Typical use (a default planted corpus and the truth to test it against):
 *
 *     struct w2v_synth_config config;
 *     w2v_synth_default_config(&config);      // 50,000 words, 20 groups of 10, ...
 *     config.size_words = 2000000;             // or config.size_bytes = ...
 *     config.analogies = true;                 // optional
 *     struct w2v_synth_truth truth;
 *     if (w2v_synth_write(fp, &config, &truth) != 0) -> w2v_last_error()
 *     ... w2v_synth_group_of(&truth, "word") / truth.members[g * truth.group_size + i] ...
 *     w2v_synth_truth_free(&truth);
 */
#ifndef W2V_SYNTH_H
#define W2V_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The longest word w2v_synth_word can make, without its NUL. */
#define W2V_SYNTH_MAX_WORD 15

/* The largest vocabulary (its word table takes 16 bytes a word). */
#define W2V_SYNTH_MAX_VOCAB 50000000u

/* The longest sentence the generator emits, in words (word2vec.c reads at most 1,000). */
#define W2V_SYNTH_MAX_SENTENCE 1000

struct w2v_synth_config {
    uint64_t seed;       /* same seed and settings → same bytes */
    uint64_t size_bytes; /* stop at this many bytes ... */
    uint64_t size_words; /* ... or at this many words: exactly one of the two is non-zero */

    uint32_t vocab_size;  /* distinct words in all, planted ones included, at most
                             W2V_SYNTH_MAX_VOCAB (default 50,000) */
    double zipf_exponent; /* filler frequency ∝ rank^-zipf_exponent, > 0 (default 1.0) */
    double sentence_mean; /* mean sentence length in words, 2..500 (default 20) */

    uint32_t groups;             /* planted groups, 0 for none (default 20) */
    uint32_t group_size;         /* member words per group, >= 2 (default 10) */
    uint32_t contexts_per_group; /* context words per group, >= 1 (default 10) */
    double topic_fraction;       /* share of sentences about a group, 0..1 (default 0.5) */

    bool analogies;          /* pair up groups into relations (default false) */
    uint32_t identity_words; /* context words of each analogy pair, >= 1 (default 2) */

    uint32_t threads; /* generator threads, 0 = one per online core; never changes the output */
};

/* What was planted and what was written. Words are NUL-terminated strings owned
 * by the truth; free them all with w2v_synth_truth_free. */
struct w2v_synth_truth {
    uint32_t group_count;        /* = config.groups */
    uint32_t group_size;         /* = config.group_size */
    char **members;              /* member i of group g: members[g * group_size + i] */
    uint32_t contexts_per_group; /* = config.contexts_per_group */
    char **contexts;             /* context j of group g: contexts[g * contexts_per_group + j] */
    uint32_t relation_count;     /* analogy relations: groups 2r and 2r+1 for r < relation_count
                                    (0 without analogies) */

    uint64_t filler_count; /* Zipf filler words: ranks 1..filler_count = w2v_synth_word(0..) */
    uint64_t words;        /* written: words, */
    uint64_t bytes;        /* bytes, */
    uint64_t sentences;    /* and lines */
};

/* The defaults documented in struct w2v_synth_config, with size_words = 1,000,000. */
void w2v_synth_default_config(struct w2v_synth_config *config);

/* Checks a configuration; -1 with a one-line w2v_error message if it cannot be
 * generated (no size or both sizes, vocabulary too small for the planted words
 * plus 100 filler words, out-of-range numbers). */
int w2v_synth_validate(const struct w2v_synth_config *config);

/* Writes the corpus to `out` (which stays open; the caller closes or commits
 * it). If `truth_out` is not NULL it receives the planted words and the counts
 * written (free it with w2v_synth_truth_free, also after a failure). Returns 0,
 * or -1 with w2v_error set (bad configuration or write error). */
int w2v_synth_write(FILE *out, const struct w2v_synth_config *config,
                    struct w2v_synth_truth *truth_out);

/* The planted words of a configuration without generating any text (the
 * counts written are zero). Returns -1 on a bad configuration. */
int w2v_synth_plant(const struct w2v_synth_config *config, struct w2v_synth_truth *truth_out);

void w2v_synth_truth_free(struct w2v_synth_truth *truth);

/* The group `word` is a member of, or -1 if it is not a planted member. */
int w2v_synth_group_of(const struct w2v_synth_truth *truth, const char *word);

/* The group `word` belongs to as a member or as one of its context words, or
 * -1 for filler. Members and context words of a group share their sentences,
 * so trained vectors put all of them together: this is the group a nearest-
 * neighbour check should compare. */
int w2v_synth_topic_of(const struct w2v_synth_truth *truth, const char *word);

/* Writes one line per group: its members separated by spaces. */
int w2v_synth_write_groups(FILE *out, const struct w2v_synth_truth *truth);

/* Writes analogy questions in questions-words.txt format: per relation r a
 * header ": synthetic-relation-NN" and the lines "x_i y_i x_j y_j" for every
 * i != j. Writes nothing if relation_count is 0. */
int w2v_synth_write_questions(FILE *out, const struct w2v_synth_truth *truth);

/* The word number `index` (0-based): a unique pronounceable lowercase string of
 * 2 to W2V_SYNTH_MAX_WORD letters; lower indices give shorter words. Writes
 * the NUL-terminated word into `buffer` (at least W2V_SYNTH_MAX_WORD + 1 bytes)
 * and returns its length. */
size_t w2v_synth_word(uint32_t index, char *buffer);

#endif
