/* synth.c — the synthetic corpus generator (see synth.h): the default
 * configuration, the Zipf filler, sentence generation in independent blocks on
 * worker threads, and the in-order write that cuts the text at the requested
 * size. What is planted, and the checks of a configuration, are synth_truth.c's.
 *
 * Speed: every word of the vocabulary is pre-rendered into a 16-byte slot
 * ("word" + ' ', its length in the last byte), so emitting a word is one
 * 16-byte copy; a filler word costs one xoshiro256** draw and one alias-table
 * lookup (O(1), unlike a CDF binary search that misses cache log2(V) times). */
#include "synth_layout.h"

#include "w2v/alloc.h"
#include "w2v/error.h"
#include "w2v/parallel.h"
#include "w2v/rng.h"
#include "w2v/sampler.h"
#include "w2v/synth.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Each block is generated from its own seed until it holds at least this many bytes. */
#define BLOCK_BYTES ((size_t)2 << 20)
#define SLOT_BYTES  16

/* Log-normal spread of sentence lengths (σ of the log); natural text is close to this. */
static const double sentence_log_sigma = 0.5;

/* Word mix of a sentence about a group: members, the group's context words, filler. */
static const double topic_member_share = 0.25;
static const double topic_context_share = 0.25;
/* Word mix of a sentence about one analogy pair: the pair word, its identity
 * words, its group's context words, filler. Half of the sentences about a
 * group in a relation are about one of its pairs. */
static const double pair_sentence_share = 0.5;
static const double pair_word_share = 0.2;
static const double pair_identity_share = 0.25;
static const double pair_context_share = 0.2;

void w2v_synth_default_config(struct w2v_synth_config *config) {
    memset(config, 0, sizeof *config);
    config->seed = 1;
    config->size_words = 1000000;
    config->vocab_size = 50000;
    config->zipf_exponent = 1.0;
    config->sentence_mean = 20.0;
    config->groups = 20;
    config->group_size = 10;
    config->contexts_per_group = 10;
    config->topic_fraction = 0.5;
    config->analogies = false;
    config->identity_words = 2;
    config->threads = 0;
}

/* ---- random numbers: the project's xoshiro256** (rng.h) ---- */

/* Uniform in [0, 1). */
static inline double rng_unit(struct w2v_rng *rng) {
    return (double)(w2v_rng_next(rng) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n) from the high 32 bits of a draw (n < 2^32). */
static inline uint32_t below(uint64_t draw, uint32_t n) {
    return (uint32_t)(((draw >> 32) * (uint64_t)n) >> 32);
}

/* A probability as a threshold on a 64-bit draw. */
static uint64_t share_threshold(double share) {
    if (share >= 1) return UINT64_MAX;
    return (uint64_t)(share * 18446744073709551616.0);
}

/* The Zipf filler: rank r = word r - 1 with probability ∝ r^-exponent, drawn
 * through the negative sampler's alias table (sampler.h). */
static int zipf_init(struct w2v_sampler *zipf, uint32_t count, double exponent) {
    double *weights = w2v_xmalloc(count * sizeof *weights);
    for (uint32_t r = 0; r < count; r++) weights[r] = pow((double)r + 1, -exponent);
    int status = w2v_sampler_init_weights(zipf, weights, count);
    w2v_free(weights);
    return status;
}

/* ---- the generator shared read-only by the block workers ---- */

struct generator {
    const struct w2v_synth_config *config;
    struct w2v_synth_layout layout;
    struct w2v_sampler zipf;
    uint8_t *slots; /* SLOT_BYTES per word: "word " then padding; length+1 in the last byte */
    double log_mu;  /* log-normal parameters of sentence lengths */
    uint64_t topic_threshold, pair_sentence_threshold;
    uint64_t topic_member_threshold, topic_context_threshold;
    uint64_t pair_word_threshold, pair_identity_threshold, pair_context_threshold;
};

static int generator_init(struct generator *gen, const struct w2v_synth_config *config) {
    gen->config = config;
    w2v_synth_layout_of(config, &gen->layout);
    if (zipf_init(&gen->zipf, gen->layout.filler, config->zipf_exponent) != 0) return -1;
    gen->slots = w2v_alloc_aligned((size_t)config->vocab_size * SLOT_BYTES);
    for (uint32_t w = 0; w < config->vocab_size; w++) {
        uint8_t *slot = gen->slots + (size_t)w * SLOT_BYTES;
        size_t len = w2v_synth_word(w, (char *)slot);
        slot[len] = ' ';
        slot[SLOT_BYTES - 1] = (uint8_t)(len + 1);
    }
    /* E[exp(N(μ, σ²))] = exp(μ + σ²/2) = mean. */
    gen->log_mu = log(config->sentence_mean) - sentence_log_sigma * sentence_log_sigma / 2;
    gen->topic_threshold = config->groups > 0 ? share_threshold(config->topic_fraction) : 0;
    gen->pair_sentence_threshold = share_threshold(pair_sentence_share);
    gen->topic_member_threshold = share_threshold(topic_member_share);
    gen->topic_context_threshold = share_threshold(topic_member_share + topic_context_share);
    gen->pair_word_threshold = share_threshold(pair_word_share);
    gen->pair_identity_threshold = share_threshold(pair_word_share + pair_identity_share);
    gen->pair_context_threshold =
        share_threshold(pair_word_share + pair_identity_share + pair_context_share);
    return 0;
}

static void generator_free(struct generator *gen) {
    w2v_sampler_free(&gen->zipf);
    w2v_free(gen->slots);
}

static uint32_t sentence_length(const struct generator *gen, struct w2v_rng *rng) {
    /* Box–Muller: one standard normal from two uniforms. */
    double u1 = 1.0 - rng_unit(rng), u2 = rng_unit(rng);
    double normal = sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
    double length = exp(gen->log_mu + sentence_log_sigma * normal);
    if (length < 1) return 1;
    if (length > W2V_SYNTH_MAX_SENTENCE) return W2V_SYNTH_MAX_SENTENCE;
    return (uint32_t)lround(length);
}

/* Appends word w to *cursor. */
static inline void emit(const struct generator *gen, uint32_t w, char **cursor) {
    const uint8_t *slot = gen->slots + (size_t)w * SLOT_BYTES;
    memcpy(*cursor, slot, SLOT_BYTES);
    *cursor += slot[SLOT_BYTES - 1];
}

/* One sentence into `cursor` (room for W2V_SYNTH_MAX_SENTENCE slots); returns its word count. */
static uint32_t generate_sentence(const struct generator *gen, struct w2v_rng *rng, char **cursor) {
    const struct w2v_synth_config *config = gen->config;
    const struct w2v_synth_layout *layout = &gen->layout;
    uint32_t length = sentence_length(gen, rng);
    enum { FILLER, TOPIC, PAIR } kind = FILLER;
    uint32_t group = 0, pair = 0;
    if (w2v_rng_next(rng) < gen->topic_threshold) {
        kind = TOPIC;
        group = below(w2v_rng_next(rng), config->groups);
        if (group < 2 * layout->relations && w2v_rng_next(rng) < gen->pair_sentence_threshold) {
            kind = PAIR;
            pair = below(w2v_rng_next(rng), config->group_size);
        }
    }
    const uint32_t members = layout->members_base + group * config->group_size;
    const uint32_t contexts = layout->contexts_base + group * config->contexts_per_group;
    const uint32_t relation = group / 2;
    const uint32_t identity =
        layout->identity_base + (relation * config->group_size + pair) * config->identity_words;
    for (uint32_t k = 0; k < length; k++) {
        uint64_t mix = kind == FILLER ? UINT64_MAX : w2v_rng_next(rng);
        uint64_t draw = w2v_rng_next(rng);
        uint32_t w;
        if (kind == TOPIC && mix < gen->topic_member_threshold)
            w = members + below(draw, config->group_size);
        else if (kind == TOPIC && mix < gen->topic_context_threshold)
            w = contexts + below(draw, config->contexts_per_group);
        else if (kind == PAIR && mix < gen->pair_word_threshold)
            w = members + pair;
        else if (kind == PAIR && mix < gen->pair_identity_threshold)
            w = identity + below(draw, config->identity_words);
        else if (kind == PAIR && mix < gen->pair_context_threshold)
            w = contexts + below(draw, config->contexts_per_group);
        else
            w = w2v_sampler_draw(&gen->zipf, draw);
        emit(gen, w, cursor);
    }
    (*cursor)[-1] = '\n';
    return length;
}

/* ---- blocks ---- */

struct block {
    uint64_t index; /* block number: the seed stream */
    char *text;     /* BLOCK_BYTES + room for one more sentence */
    size_t bytes;
    uint64_t words, sentences;
};

static size_t block_capacity(void) {
    return BLOCK_BYTES + (size_t)W2V_SYNTH_MAX_SENTENCE * SLOT_BYTES;
}

static void generate_block(const struct generator *gen, struct block *block) {
    struct w2v_rng rng;
    w2v_rng_seed(&rng, gen->config->seed, block->index);
    char *cursor = block->text;
    block->words = block->sentences = 0;
    while ((size_t)(cursor - block->text) < BLOCK_BYTES) {
        block->words += generate_sentence(gen, &rng, &cursor);
        block->sentences++;
    }
    block->bytes = (size_t)(cursor - block->text);
}

struct worker {
    const struct generator *gen;
    struct block *block;
};

static void *worker_main(void *arg) {
    struct worker *worker = arg;
    generate_block(worker->gen, worker->block);
    return NULL;
}

static uint32_t thread_count(const struct w2v_synth_config *config) {
    if (config->threads > 0) return config->threads;
    uint32_t online = w2v_online_cpus();
    return online > W2V_SYNTH_MAX_THREADS ? W2V_SYNTH_MAX_THREADS : online;
}

/* How much of `block` to keep so the corpus stops at the requested size:
 * returns the bytes to write and sets *done when the corpus is complete. The
 * cut falls after a word; the word's separator is made a newline. */
static size_t cut_block(const struct w2v_synth_config *config, struct block *block,
                        const struct w2v_synth_truth *written, bool *done) {
    bool in_words = config->size_words > 0;
    uint64_t already = in_words ? written->words : written->bytes;
    uint64_t target = in_words ? config->size_words : config->size_bytes;
    uint64_t whole = in_words ? block->words : block->bytes;
    *done = already + whole >= target;
    if (already + whole <= target) return block->bytes;
    uint64_t words = 0, sentences = 0;
    size_t end = 0; /* bytes up to and including the last kept word's separator */
    for (size_t i = 0; i < block->bytes; i++) {
        if (block->text[i] != ' ' && block->text[i] != '\n') continue;
        uint64_t size_after = in_words ? words + 1 : i + 1;
        if (already + size_after > target) break;
        words++, end = i + 1;
        if (block->text[i] == '\n') sentences++;
    }
    if (end > 0 && block->text[end - 1] != '\n') block->text[end - 1] = '\n', sentences++;
    block->words = words, block->sentences = sentences;
    return end;
}

/* Generates and writes the text of a planted configuration, counting it into *truth. */
static int generate(FILE *out, const struct w2v_synth_config *config,
                    struct w2v_synth_truth *truth) {
    struct generator gen;
    if (generator_init(&gen, config) != 0) return -1;
    uint32_t threads = thread_count(config);
    struct block *blocks = w2v_xcalloc(threads, sizeof *blocks);
    struct worker *workers = w2v_xcalloc(threads, sizeof *workers);
    for (uint32_t t = 0; t < threads; t++) blocks[t].text = w2v_xmalloc(block_capacity());

    int status = 0;
    bool done = false;
    for (uint64_t next_block = 0; !done && status == 0; next_block += threads) {
        /* Generate blocks next_block .. next_block + threads - 1 side by side ... */
        for (uint32_t t = 0; t < threads; t++) {
            blocks[t].index = next_block + t;
            workers[t] = (struct worker){&gen, &blocks[t]};
        }
        w2v_run_parallel(worker_main, workers, sizeof *workers, threads);
        /* ... and write them in order. */
        for (uint32_t t = 0; t < threads && !done; t++) {
            size_t keep = cut_block(config, &blocks[t], truth, &done);
            if (fwrite(blocks[t].text, 1, keep, out) != keep) {
                status = w2v_error("cannot write the corpus: %s", strerror(errno));
                break;
            }
            truth->bytes += keep;
            truth->words += blocks[t].words;
            truth->sentences += blocks[t].sentences;
        }
    }
    for (uint32_t t = 0; t < threads; t++) w2v_free(blocks[t].text);
    w2v_free(blocks);
    w2v_free(workers);
    generator_free(&gen);
    return status;
}

int w2v_synth_write(FILE *out, const struct w2v_synth_config *config,
                    struct w2v_synth_truth *truth_out) {
    struct w2v_synth_truth truth;
    int status = w2v_synth_plant(config, &truth);
    if (status == 0) status = generate(out, config, &truth);
    if (truth_out)
        *truth_out = truth;
    else
        w2v_synth_truth_free(&truth);
    return status;
}
