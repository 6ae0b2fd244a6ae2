/* checkpoint.h — a training run saved whole, to be resumed after a stop or a kill.
 *
 * A checkpoint holds everything `w2v train --resume` needs to go on exactly
 * where the run paused (train.h's pauses): every setting that shapes the
 * training, what identifies the corpus, the vocabulary itself (words and
 * counts, so a resumed run never recounts), the training state (epoch, word
 * counter, each worker's generator, position, unpublished words, learning
 * rate and loss sums) and both matrices. It is written through
 * atomic_file.h (temporary, fsync, rename), so the previous checkpoint stays
 * valid until the new one is complete.
 *
 * The file, version 1 (one process), 2 (several: mpirun), 3 or 4 (a setting
 * that version added is not its default: the SET3 or SET4 section). Integers are unsigned little-endian (u32, u64; i64
 * two's complement), reals IEEE-754 little-endian (f32, f64); a string is a
 * u32 byte count and the bytes (no NUL). Each section starts with its
 * four-byte tag:
 *
 *   "W2VCKPT\n"  magic (8 bytes)
 *   u32 version (1), u32 flags (0)
 *   "SETT"  u32 model (0 sg, 1 cbow), loss (0 ns, 1 hs, 2 softmax, 3 hs+ns),
 *           batch (0 window, 1 pair), cbow_update (0 sum, 1 mean), dim, window,
 *           negative, epochs, shrink_windows (0|1);
 *           f64 alpha (the effective one), sample, ns_exponent, min_alpha;
 *           u64 seed, min_count; u32 max_vocab, max_sentence, max_token_bytes
 *   "SET3"  version 3, when one of its settings is not 0: u32 hs_pair_nodes.
 *           A file without SET3 (every version-1 and version-2 file) means 0.
 *   "SET4"  version 4, when combine > 1: u32 combine (w2v train --combine).
 *           A file without SET4 means 1 (every window alone).
 *   "CORP"  string path; u64 file bytes; i64 mtime seconds, mtime nanoseconds;
 *           u64 tokens, sentences, XXH3-64 of the id stream then the
 *           sentence starts (as u32 ids and u64 offsets, little-endian)
 *   "VOCB"  u32 words; per word: string word, u64 count (id order)
 *   "STAT"  u32 epoch, threads; u64 words_done; f64 seconds; u64 kept_words,
 *           predictions; f64 × epoch (finished epochs' losses); per worker:
 *           u64 × 4 rng state, f32 learning_rate, u64 unpublished_words,
 *           f64 loss_sum, u64 predictions, kept_words, flops, u32 ranges,
 *           ranges × (u64 first, u64 end) sentences
 *   "RANK"  version 2: u32 ranks (2 or more); u64 sync rounds made so far
 *           (sync.h), sync_every words; u32 sync_min_words, sync_mode (0
 *           sum, 1 average); then ranks − 1 "STAT" sections as above: the states
 *           of ranks 1, 2, ... in order (the STAT before is rank 0's). A
 *           one-process run writes no RANK; a file is written as the lowest
 *           version that holds it (1, 2 with RANK, 3 with SET3, 4 with SET4);
 *           a version 2 to 4 file without RANK reads as one process.
 *   "MODL"  u32 vocab_size, output_rows, dim; f32 input rows (vocab_size × dim),
 *           f32 output rows (output_rows × dim), unpadded
 *   "END "  u64 file bytes (this whole file), u64 XXH3-64 of every byte
 *           before this checksum
 *
 * A reader checks, in this order, with one line each: the magic (not a
 * checkpoint), the version (one it does not read), the recorded size against
 * the file's (truncated), the checksum (damaged). */
#ifndef W2V_CHECKPOINT_H
#define W2V_CHECKPOINT_H

#include "w2v/encode.h"
#include "w2v/model.h"
#include "w2v/pipeline.h"
#include "w2v/train.h"

#include <stddef.h>
#include <stdint.h>

/* The newest version this w2v reads (it reads every version from 1). */
#define W2V_CHECKPOINT_VERSION 4

/* Every setting that shapes the training (threads and outputs do not). */
struct w2v_checkpoint_settings {
    uint32_t model, loss, batch, cbow_update; /* the enums of step.h and loss.h */
    uint32_t dim, window, negative, epochs;
    uint32_t shrink_windows;
    double alpha, sample, ns_exponent, min_alpha;
    uint64_t seed, min_count;
    uint32_t max_vocab, max_sentence, max_token_bytes;
    uint32_t hs_pair_nodes; /* version 3's SET3 (0 in older files) */
    uint32_t combine;       /* version 4's SET4 (1 in older files) */
};

/* What identifies the corpus. */
struct w2v_checkpoint_corpus {
    char *path;
    uint64_t file_bytes;
    int64_t mtime_seconds, mtime_nanoseconds;
    uint64_t tokens, sentences;
    uint64_t hash; /* XXH3-64 of the id stream and the sentence starts */
};

/* A distributed run's synchronisation, job-wide (the RANK section). */
struct w2v_checkpoint_sync {
    uint64_t rounds;    /* synchronisations made so far */
    uint64_t every;     /* --sync-every */
    uint32_t min_words; /* --sync-min-words */
    uint32_t average;   /* --sync-mode: 0 sum, 1 average */
};

/* A checkpoint read back (w2v_checkpoint_read). */
struct w2v_checkpoint {
    struct w2v_checkpoint_settings settings;
    struct w2v_checkpoint_corpus corpus;
    uint32_t vocab_size;
    char **words;                        /* vocab_size words, in id order */
    uint64_t *counts;                    /* their counts */
    struct w2v_train_state state;        /* the process's, or a distributed run's rank 0's */
    uint32_t ranks;                      /* processes of the run (1, or mpirun's -np) */
    struct w2v_checkpoint_sync sync;     /* a distributed run's (zero for one process) */
    struct w2v_train_state *rank_states; /* ranks − 1: ranks 1, 2, ... (w2v_checkpoint_state) */
    struct w2v_model model;
    uint64_t file_bytes;
    uint64_t checksum; /* the END trailer's XXH3-64 of the file */
};

/* The settings of a run, and back (threads, quiet and callbacks untouched;
 * alpha becomes the effective one). */
void w2v_checkpoint_settings_from(struct w2v_checkpoint_settings *settings,
                                  const struct w2v_train_config *config,
                                  const struct w2v_pipeline_options *input);
void w2v_checkpoint_settings_apply(const struct w2v_checkpoint_settings *settings,
                                   struct w2v_train_config *config,
                                   struct w2v_pipeline_options *input);

/* The settings one at a time, for "--window 8 differs from the checkpoint's 5":
 * its `w2v train` flag without the dashes ("window", "size", "model" ...) and
 * its value as text. */
uint32_t w2v_checkpoint_setting_count(void);
const char *w2v_checkpoint_setting_name(uint32_t index);
void w2v_checkpoint_setting_text(const struct w2v_checkpoint_settings *settings, uint32_t index,
                                 char *out, size_t size);
/* Copies setting `index` of `from` into `to`. */
void w2v_checkpoint_setting_copy(struct w2v_checkpoint_settings *to,
                                 const struct w2v_checkpoint_settings *from, uint32_t index);
/* The index of the first setting that differs between a and b, or −1. */
int w2v_checkpoint_settings_differ(const struct w2v_checkpoint_settings *a,
                                   const struct w2v_checkpoint_settings *b);

/* Identifies the corpus at `path` as encoded: size and mtime from stat (none
 * for "-", standard input), and
 * the checksum of the encoded ids and sentence starts (about 10 GB/s on one
 * core, so seconds for a 100 GB corpus). Frees with w2v_checkpoint_corpus_free. */
int w2v_checkpoint_corpus_identify(struct w2v_checkpoint_corpus *corpus, const char *path,
                                   const struct w2v_encoded_corpus *encoded);
/* 0 when `now` is the corpus `saved` recorded; else −1 with one line saying
 * what changed. The path may differ (a moved file); the contents may not. */
int w2v_checkpoint_corpus_check(const struct w2v_checkpoint_corpus *saved,
                                const struct w2v_checkpoint_corpus *now);
void w2v_checkpoint_corpus_free(struct w2v_checkpoint_corpus *corpus);

/* Writes a checkpoint to `path` atomically; *bytes gets its size. `states`
 * holds one state per process, in rank order (one process: ranks 1, and
 * sync is not recorded: NULL); the model is the job's (synchronised). */
int w2v_checkpoint_write(const char *path, const struct w2v_checkpoint_settings *settings,
                         const struct w2v_checkpoint_corpus *corpus, const struct w2v_vocab *vocab,
                         const struct w2v_train_state *states, uint32_t ranks,
                         const struct w2v_checkpoint_sync *sync, const struct w2v_model *model,
                         uint64_t *bytes);

/* Rank `rank`'s state of a checkpoint read back (rank < checkpoint->ranks). */
const struct w2v_train_state *w2v_checkpoint_state(const struct w2v_checkpoint *checkpoint,
                                                   uint32_t rank);

/* One process's state as the bytes of its STAT section (what a rank sends
 * rank 0 at a checkpoint; free with w2v_free), and back: unpack fills a state
 * to free with w2v_checkpoint_state_free, or returns −1 with an error. */
unsigned char *w2v_checkpoint_state_pack(const struct w2v_train_state *state, size_t *size);
int w2v_checkpoint_state_unpack(const void *bytes, size_t size, struct w2v_train_state *state);
void w2v_checkpoint_state_free(struct w2v_train_state *state);

/* Reads and checks a checkpoint. −1 with one line (naming the file) if it is
 * not one, another version, truncated, damaged or inconsistent; nothing is
 * left allocated then. */
int w2v_checkpoint_read(const char *path, struct w2v_checkpoint *checkpoint);
void w2v_checkpoint_free(struct w2v_checkpoint *checkpoint);

#endif
