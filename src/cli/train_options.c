/* train_options.c — `w2v train`'s option table (GNU long options + word2vec.c
 * spellings) and the rules that tie flags together (-hs, --negative 0). */
#include "train_options.h"

#include "options.h"
#include "w2v/error.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: w2v train --train CORPUS --output VECTORS [options]\n"
    "\n"
    "Trains word vectors on a text corpus (words separated by whitespace, one sentence per\n"
    "line). word2vec.c spellings work too: -train, -output, -size, -window, -sample,\n"
    "-negative, -hs, -threads, -iter, -min-count, -alpha, -binary, -cbow, -save-vocab,\n"
    "-read-vocab, -debug.\n"
    "\n"
    "Defaults: `w2v train` trains skip-gram with negative sampling. A command line in\n"
    "word2vec.c's spelling with no subcommand (`w2v -train FILE ...`) gets word2vec.c's\n"
    "defaults instead: CBOW unless -cbow 0 (alpha 0.05 for CBOW, 0.025 for skip-gram).\n"
    "In both, -hs 1 with a -negative K > 0 trains both losses added (word2vec.c's rule;\n"
    "under word2vec.c's defaults -negative is 5, so -hs 1 alone means both); -hs 1\n"
    "-negative 0 trains hierarchical softmax alone. --loss hs+ns says the same.\n"
    "\n";

/* --cbow 0|1: word2vec.c's spelling of --model. */
static int parse_cbow(const char *flag, const char *text, void *values) {
    struct w2v_train_options *options = values;
    bool cbow;
    if (w2v_parse_bool(flag, text, &cbow) != 0) return -1;
    options->config.model = cbow ? W2V_MODEL_CBOW : W2V_MODEL_SKIPGRAM;
    return 0;
}

/* -debug N: word2vec.c's verbosity; 0 is --quiet. */
static int parse_debug(const char *flag, const char *text, void *values) {
    struct w2v_train_options *options = values;
    uint64_t level;
    if (w2v_parse_u64(flag, text, 0, 100, &level) != 0) return -1;
    if (level == 0) options->config.quiet = true;
    return 0;
}

int w2v_parse_vocab_memory(const char *flag, const char *text, uint64_t *bytes) {
    uint64_t words;
    if (w2v_parse_size(flag, text, bytes, &words) != 0) return -1;
    if (words || *bytes < (1u << 20))
        return w2v_error("invalid value for %s: '%s' (expected a size of at least 1M, e.g. 2G)",
                         flag, text);
    return 0;
}

static int parse_vocab_memory(const char *flag, const char *text, void *values) {
    struct w2v_train_options *options = values;
    return w2v_parse_vocab_memory(flag, text, &options->input.vocab_memory);
}

/* --checkpoint-every, --stop-after: a duration or a word count. */
static int parse_checkpoint_every(const char *flag, const char *text, void *values) {
    return w2v_parse_duration(flag, text, &((struct w2v_train_options *)values)->checkpoint_every);
}
static int parse_stop_after(const char *flag, const char *text, void *values) {
    return w2v_parse_duration(flag, text, &((struct w2v_train_options *)values)->stop_after);
}

#define AT(field) offsetof(struct w2v_train_options, field)

static const struct w2v_option_choice models[] = {
    {"sg", W2V_MODEL_SKIPGRAM}, {"cbow", W2V_MODEL_CBOW}, {NULL, 0}};
static const struct w2v_option_choice losses[] = {{"ns", W2V_LOSS_NS},
                                                  {"hs", W2V_LOSS_HS},
                                                  {"softmax", W2V_LOSS_SOFTMAX},
                                                  {"hs+ns", W2V_LOSS_HS_NS},
                                                  {NULL, 0}};
static const struct w2v_option_choice batches[] = {
    {"window", W2V_BATCH_WINDOW}, {"pair", W2V_BATCH_PAIR}, {NULL, 0}};
static const struct w2v_option_choice cbow_updates[] = {
    {"sum", W2V_CBOW_SUM}, {"mean", W2V_CBOW_MEAN}, {NULL, 0}};

static const struct w2v_option_choice sync_modes[] = {{"sum", 0}, {"average", 1}, {NULL, 0}};

static const struct w2v_option options_table[] = {
    {W2V_OPT_TEXT, .help = "input and output:"},
    {W2V_OPT_STRING, "--train", .arg = "FILE", .offset = AT(input.train_path),
     .help = "corpus to train on: plain text (memory-mapped), gzip or zstd (by\n"
             "their first bytes, streamed), - for standard input, or a corpus\n"
             "written by w2v prepare"},
    {W2V_OPT_STRING, "--tmp-dir", .arg = "DIR", .offset = AT(input.tmp_dir),
     .help = "where the encoded corpus goes while training (default: beside\n"
             "--output); unlinked at once, so nothing is left behind"},
    {W2V_OPT_FLAG, "--allow-binary", .offset = AT(input.allow_binary),
     .help = "train on a corpus that looks binary (refused by default)"},
    {W2V_OPT_STRING, "--output", .arg = "FILE", .offset = AT(output_path),
     .help = "where to write the vectors (atomically; checked before training)"},
    {W2V_OPT_BOOL, "--binary", .arg = "0|1", .offset = AT(binary),
     .help = "word2vec binary format instead of text (default 0)"},
    {W2V_OPT_STRING, "--save-vocab", .arg = "FILE", .offset = AT(save_vocab_path),
     .help = "write the vocabulary ('word count' per line)"},
    {W2V_OPT_STRING, "--read-vocab", .arg = "FILE", .offset = AT(input.read_vocab_path),
     .help = "use this vocabulary instead of counting the corpus"},
    {W2V_OPT_TEXT, .help = "vocabulary:"},
    W2V_VOCAB_OPTION_ROWS(AT, parse_vocab_memory),
    {W2V_OPT_TEXT, .help = "model:"},
    {W2V_OPT_CHOICE, "--model", .arg = "sg|cbow", .offset = AT(config.model), .choices = models,
     .help = "skip-gram (default) or continuous bag of words"},
    {W2V_OPT_CUSTOM, "--cbow", .arg = "0|1", .parse = parse_cbow,
     .help = "word2vec.c's spelling of --model"},
    {W2V_OPT_CHOICE, "--loss", .arg = "ns|hs|softmax|hs+ns", .offset = AT(config.loss),
     .choices = losses,
     .help = "negative sampling (default), hierarchical softmax, exact softmax,\n"
             "or hs and ns added (word2vec.c's -hs 1 -negative K)"},
    {W2V_OPT_BOOL, "--hs", .arg = "0|1", .offset = AT(hs),
     .help = "word2vec.c's spelling: hierarchical softmax, added to negative\n"
             "sampling when a --negative K > 0 is given (-negative 0: hs alone)"},
    {W2V_OPT_U32, "--size", "--dim", "N", AT(config.dim), .min = 1, .max = 10000,
     .help = "vector dimension (default 100; also --dim)"},
    {W2V_OPT_U32, "--window", .arg = "N", .offset = AT(config.window), .min = 1, .max = 1000,
     .help = "maximum context radius; each centre uses a random radius 1..N\n(default 5)"},
    {W2V_OPT_U32, "--negative", .arg = "K", .offset = AT(config.negative), .max = 1000,
     .help = "negative samples per prediction (default 5)"},
    {W2V_OPT_DOUBLE, "--sample", .arg = "T", .offset = AT(config.sample), .dmax = 1,
     .help = "subsample words more frequent than T (default 1e-3; 0 = off)"},
    {W2V_OPT_DOUBLE, "--ns-exponent", .arg = "X", .offset = AT(config.ns_exponent), .dmin = -10,
     .dmax = 10,
     .help = "negatives drawn from unigram^X (default 0.75; gensim's ns_exponent;\n"
             "0 = uniform, negative values favour rare words)"},
    {W2V_OPT_BOOL, "--shrink-windows", .arg = "0|1", .offset = AT(config.shrink_windows),
     .help = "draw each centre's radius from 1..window (default 1, word2vec.c);\n"
             "0 always uses the whole window (gensim's shrink_windows=False)"},
    {W2V_OPT_CHOICE, "--batch", .arg = "window|pair", .offset = AT(config.batch),
     .choices = batches,
     .help = "skip-gram update: a whole window sharing K negatives as one block\n"
             "(default), or each pair with its own negatives as word2vec.c"},
    {W2V_OPT_U32, "--hs-pair-nodes", .arg = "D", .offset = AT(config.hs_pair_nodes), .max = 64,
     .help = "skip-gram --loss hs window batch: the top D nodes of the centre's\n"
             "Huffman path updated context by context as word2vec.c, the rest\n"
             "as one block (default 0; 0..64; more analogy, less WordSim/SimLex)"},
    {W2V_OPT_U32, "--combine", .arg = "C", .offset = AT(config.combine), .min = 1,
     .max = W2V_MAX_COMBINE,
     .help = "skip-gram --loss ns window batch: up to C windows of a block of\n"
             "text whose centres are one window's outputs share one step and\n"
             "its negatives (pSGNScc's context combining; 1..64; default 8\n"
             "where it applies; 1: none)"},
    {W2V_OPT_CHOICE, "--cbow-update", .arg = "sum|mean", .offset = AT(config.cbow_update),
     .choices = cbow_updates,
     .help = "CBOW: each context row gets the whole update of the average\n"
             "(default, as word2vec.c and fastText) or 1/M of it (the exact\n"
             "gradient of the loss for that row)"},
    {W2V_OPT_TEXT, .help = "training:"},
    {W2V_OPT_U32, "--iter", "--epochs", "N", AT(config.epochs), .min = 1, .max = W2V_MAX_EPOCHS,
     .help = "epochs (default 5; also --epochs)"},
    {W2V_OPT_DOUBLE, "--alpha", .arg = "X", .offset = AT(config.alpha), .dmin = 1e-9, .dmax = 10,
     .help = "starting learning rate (default 0.025 for sg, 0.05 for cbow);\n"
             "falls linearly to alpha*1e-4 over all epochs"},
    {W2V_OPT_DOUBLE, "--min-alpha", .arg = "X", .offset = AT(config.min_alpha), .dmin = 0,
     .dmax = 10,
     .help = "the learning rate falls linearly to X instead (gensim's\n"
             "min_alpha: alpha - (alpha - X) * progress)"},
    {W2V_OPT_U32, "--threads", .arg = "N", .offset = AT(config.threads), .min = 1, .max = 4096,
     .help = "worker threads (default: all online CPUs)"},
    {W2V_OPT_FLAG, "--pin", .offset = AT(config.pin_threads),
     .help = "pin worker i to the i-th CPU this process may run on"},
    {W2V_OPT_U64, "--seed", .arg = "N", .offset = AT(config.seed),
     .help = "random seed (default 1); one thread + same seed = same vectors"},
    {W2V_OPT_TEXT, .help = "reporting:"},
    {W2V_OPT_FLAG, "--quiet", .offset = AT(config.quiet),
     .help = "no progress on stderr (also -debug 0)"},
    {W2V_OPT_FLAG, "--json", .offset = AT(json),
     .help = "print a one-line JSON summary on stdout at the end"},
    {W2V_OPT_STRING, "--eval-analogy", .arg = "FILE", .offset = AT(eval_analogy_path),
     .help = "after each epoch, print analogy accuracy on FILE"},
    {W2V_OPT_STRING, "--eval-similarity", .arg = "FILE", .offset = AT(eval_similarity_path),
     .help = "after each epoch, print Spearman rho on a word-pair file"},
    {W2V_OPT_CUSTOM, "--debug", .arg = "N", .parse = parse_debug},
    {W2V_OPT_U32, "--classes", .arg = "K", .offset = AT(classes), .max = 100000000,
     .help = "write K word classes (k-means, as word2vec.c's -classes) as\n"
             "'word class' text lines instead of vectors; 0 = vectors (default)"},
    {W2V_OPT_TEXT, .help = "long runs (checkpoints, resuming, warm starts):"},
    {W2V_OPT_STRING, "--checkpoint", .arg = "FILE", .offset = AT(checkpoint_path),
     .help = "save the whole training state to FILE now and then, on SIGUSR1,\n"
             "and on SIGTERM/SIGINT before stopping (exit 3)"},
    {W2V_OPT_CUSTOM, "--checkpoint-every", .arg = "TIME", .parse = parse_checkpoint_every,
     .help = "how often: 90s, 10m, 1h30m ... or 500000w words (default 10m)"},
    {W2V_OPT_STRING, "--resume", .arg = "FILE", .offset = AT(resume_path),
     .help = "go on with the run saved in FILE (corpus and settings from it)"},
    {W2V_OPT_CUSTOM, "--stop-after", .arg = "TIME", .parse = parse_stop_after,
     .help = "checkpoint and stop (exit 3) after TIME, or once the run's word\n"
             "counter reaches Nw words (needs --checkpoint)"},
    {W2V_OPT_STRING, "--init-vectors", .arg = "FILE", .offset = AT(init_vectors_path),
     .help = "start the input vectors of the words FILE has from it (word2vec file)"},
    {W2V_OPT_STRING, "--init-output", .arg = "FILE", .offset = AT(init_output_path),
     .help = "start the output vectors from FILE too (as --save-output writes)"},
    {W2V_OPT_STRING, "--save-output", .arg = "FILE", .offset = AT(save_output_path),
     .help = "also write the output (context) vectors (fastText's -saveOutput)"},
    {W2V_OPT_FLAG, "--save-every-epoch", .offset = AT(save_every_epoch),
     .help = "write the vectors after each epoch to OUTPUT.epoch-N"},
    {W2V_OPT_FLAG, "--update-vocab", .offset = AT(update_vocab),
     .help = "with --resume or --init-vectors and a new --train corpus: add its\n"
             "words to the vocabulary and train on it (gensim's\n"
             "build_vocab(update=True))"},
    {W2V_OPT_TEXT,
     .help = "several processes (mpirun -np N w2v train ...; --threads is per rank):"},
    {W2V_OPT_U64, "--sync-every", .arg = "WORDS", .offset = AT(sync_every), .min = 1000,
     .help = "each rank's words between model averagings (default 100000)"},
    {W2V_OPT_U32, "--sync-min-words", .arg = "N", .offset = AT(sync_min_words), .min = 1,
     .help = "the most frequent words averaged at every sync; 2N every second\n"
             "sync, 4N every fourth... (default 1024; epoch ends: all)"},
    {W2V_OPT_CHOICE, "--sync-mode", .arg = "sum|average", .offset = AT(sync_average),
     .choices = sync_modes,
     .help = "what a sync does with each rank's changes since the last one:\n"
             "add them all (default) or average them"},
    {W2V_OPT_HELP, "--help", .help = "this text"},
    {W2V_OPT_END},
};

static const struct w2v_command_spec spec = {
    .name = "train",
    .usage = usage,
    .options = options_table,
    .column = 24,
    .one_dash_long = true,
};

int w2v_train_options_parse(struct w2v_train_options *options, int argc, char **argv,
                            enum w2v_train_dialect dialect) {
    memset(options, 0, sizeof *options);
    w2v_pipeline_options_default(&options->input);
    w2v_train_config_default(&options->config);
    if (dialect == W2V_DIALECT_WORD2VEC_C) options->config.model = W2V_MODEL_CBOW; /* -cbow 1 */
    struct w2v_parsed parsed;
    int status = w2v_options_parse(&spec, argc, argv, options, &parsed);
    bool loss_given = w2v_option_given(&spec, &parsed, "--loss");
    bool negative_given = w2v_option_given(&spec, &parsed, "--negative");
    options->alpha_given = w2v_option_given(&spec, &parsed, "--alpha");
    options->threads_given = w2v_option_given(&spec, &parsed, "--threads");
    for (uint32_t i = 0; i < w2v_checkpoint_setting_count(); i++) {
        char flag[64];
        snprintf(flag, sizeof flag, "--%s", w2v_checkpoint_setting_name(i));
        const char *alias = strcmp(flag, "--model") == 0  ? "--cbow"
                            : strcmp(flag, "--loss") == 0 ? "--hs"
                                                          : flag;
        if (w2v_option_given(&spec, &parsed, flag) || w2v_option_given(&spec, &parsed, alias))
            options->given_settings |= 1ull << i;
    }
    options->input.settings_given = w2v_option_given(&spec, &parsed, "--min-count") ||
                                    w2v_option_given(&spec, &parsed, "--max-vocab") ||
                                    w2v_option_given(&spec, &parsed, "--max-sentence");
    w2v_parsed_free(&parsed);
    if (status != 0) return status;
    if (!options->input.train_path && !options->resume_path)
        return w2v_error("no training corpus given (use --train FILE)");

    struct w2v_train_config *config = &options->config;
    options->input.threads = config->threads;
    options->input.near_path = options->output_path;
    if (options->hs) {
        if (loss_given) return w2v_error("give either -hs or --loss, not both");
        /* word2vec.c: -hs 1 adds hierarchical softmax; negative sampling stays while
         * -negative > 0. w2v train's own default K is not a request for it: only a
         * given --negative is. */
        bool keep_ns =
            config->negative > 0 && (negative_given || dialect == W2V_DIALECT_WORD2VEC_C);
        config->loss = keep_ns ? W2V_LOSS_HS_NS : W2V_LOSS_HS;
    }
    if ((config->loss == W2V_LOSS_NS || config->loss == W2V_LOSS_HS_NS) && config->negative == 0)
        return w2v_error("negative sampling needs --negative of at least 1 (or choose --loss hs "
                         "or --loss softmax)");
    return 0;
}
