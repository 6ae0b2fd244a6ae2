/* train_options.c — `w2v train` flag parsing (GNU long options + word2vec.c spellings). */
#include "train_options.h"

#include "args.h"
#include "w2v/encode.h"
#include "w2v/error.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: w2v train --train CORPUS --output VECTORS [options]\n"
    "\n"
    "Trains word vectors on a text corpus (words separated by whitespace, one sentence per\n"
    "line). word2vec.c spellings work too: -train, -output, -size, -window, -sample,\n"
    "-negative, -hs, -threads, -iter, -min-count, -alpha, -binary, -cbow, -save-vocab,\n"
    "-read-vocab, -debug.\n"
    "\n"
    "input and output:\n"
    "  --train FILE          corpus to train on (memory-mapped, never read into the heap)\n"
    "  --output FILE         where to write the vectors (atomically; checked before training)\n"
    "  --binary 0|1          word2vec binary format instead of text (default 0)\n"
    "  --save-vocab FILE     write the vocabulary ('word count' per line)\n"
    "  --read-vocab FILE     use this vocabulary instead of counting the corpus\n"
    "vocabulary:\n"
    "  --min-count N         drop words seen fewer than N times (default 5)\n"
    "  --max-vocab N         keep only the N most frequent words (default: no limit)\n"
    "  --max-sentence N      cut longer lines into pieces of N words (default 10000)\n"
    "model:\n"
    "  --model sg|cbow       skip-gram (default) or continuous bag of words\n"
    "  --cbow 0|1            word2vec.c's spelling of --model\n"
    "  --loss ns|hs|softmax  negative sampling (default), hierarchical softmax, exact softmax\n"
    "  --hs 0|1              word2vec.c's spelling of --loss hs (use with --negative 0)\n"
    "  --size N              vector dimension (default 100; also --dim)\n"
    "  --window N            maximum context radius; each centre uses a random radius 1..N\n"
    "                        (default 5)\n"
    "  --negative K          negative samples per prediction (default 5)\n"
    "  --sample T            subsample words more frequent than T (default 1e-3; 0 = off)\n"
    "  --batch window|pair   skip-gram update: a whole window sharing K negatives as one block\n"
    "                        (default), or each pair with its own negatives as word2vec.c\n"
    "  --cbow-update sum|mean  CBOW: each context row gets the whole update of the average\n"
    "                        (default, as word2vec.c and fastText) or 1/M of it (the exact\n"
    "                        gradient, gensim's cbow_mean)\n"
    "training:\n"
    "  --iter N              epochs (default 5; also --epochs)\n"
    "  --alpha X             starting learning rate (default 0.025 for sg, 0.05 for cbow);\n"
    "                        falls linearly to alpha*1e-4 over all epochs\n"
    "  --threads N           worker threads (default: all online CPUs)\n"
    "  --pin                 pin worker i to the i-th CPU this process may run on\n"
    "  --seed N              random seed (default 1); one thread + same seed = same vectors\n"
    "reporting:\n"
    "  --quiet               no progress on stderr (also -debug 0)\n"
    "  --json                print a one-line JSON summary on stdout at the end\n"
    "  --eval-analogy FILE   after each epoch, print analogy accuracy on FILE\n"
    "  --eval-similarity FILE  after each epoch, print Spearman rho on a word-pair file\n"
    "  --help                this text\n";

enum option_id {
    OPT_TRAIN = 1000,
    OPT_OUTPUT,
    OPT_BINARY,
    OPT_SAVE_VOCAB,
    OPT_READ_VOCAB,
    OPT_MIN_COUNT,
    OPT_MAX_VOCAB,
    OPT_MAX_SENTENCE,
    OPT_MODEL,
    OPT_CBOW,
    OPT_LOSS,
    OPT_HS,
    OPT_SIZE,
    OPT_WINDOW,
    OPT_NEGATIVE,
    OPT_SAMPLE,
    OPT_BATCH,
    OPT_ITER,
    OPT_ALPHA,
    OPT_THREADS,
    OPT_PIN,
    OPT_SEED,
    OPT_QUIET,
    OPT_JSON,
    OPT_DEBUG,
    OPT_EVAL_ANALOGY,
    OPT_EVAL_SIMILARITY,
    OPT_HELP,
    OPT_CLASSES,
    OPT_CBOW_UPDATE,
};

static const struct option long_options[] = {
    {"train", required_argument, NULL, OPT_TRAIN},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"binary", required_argument, NULL, OPT_BINARY},
    {"save-vocab", required_argument, NULL, OPT_SAVE_VOCAB},
    {"read-vocab", required_argument, NULL, OPT_READ_VOCAB},
    {"min-count", required_argument, NULL, OPT_MIN_COUNT},
    {"max-vocab", required_argument, NULL, OPT_MAX_VOCAB},
    {"max-sentence", required_argument, NULL, OPT_MAX_SENTENCE},
    {"model", required_argument, NULL, OPT_MODEL},
    {"cbow", required_argument, NULL, OPT_CBOW},
    {"loss", required_argument, NULL, OPT_LOSS},
    {"hs", required_argument, NULL, OPT_HS},
    {"size", required_argument, NULL, OPT_SIZE},
    {"dim", required_argument, NULL, OPT_SIZE},
    {"window", required_argument, NULL, OPT_WINDOW},
    {"negative", required_argument, NULL, OPT_NEGATIVE},
    {"sample", required_argument, NULL, OPT_SAMPLE},
    {"batch", required_argument, NULL, OPT_BATCH},
    {"cbow-update", required_argument, NULL, OPT_CBOW_UPDATE},
    {"iter", required_argument, NULL, OPT_ITER},
    {"epochs", required_argument, NULL, OPT_ITER},
    {"alpha", required_argument, NULL, OPT_ALPHA},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"pin", no_argument, NULL, OPT_PIN},
    {"seed", required_argument, NULL, OPT_SEED},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"json", no_argument, NULL, OPT_JSON},
    {"debug", required_argument, NULL, OPT_DEBUG},
    {"eval-analogy", required_argument, NULL, OPT_EVAL_ANALOGY},
    {"eval-similarity", required_argument, NULL, OPT_EVAL_SIMILARITY},
    {"classes", required_argument, NULL, OPT_CLASSES},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

static int parse_choice(const char *flag, const char *text, const char *const *names, int count,
                        int *out) {
    for (int i = 0; i < count; i++)
        if (strcmp(text, names[i]) == 0) return *out = i, 0;
    char expected[128] = "";
    for (int i = 0; i < count; i++) {
        strcat(expected, names[i]);
        if (i + 1 < count) strcat(expected, "|");
    }
    return w2v_error("invalid value for %s: '%s' (expected %s)", flag, text, expected);
}

static uint32_t online_cpus(void) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus > 0 ? (uint32_t)cpus : 1;
}

int w2v_train_options_parse(struct w2v_train_options *options, int argc, char **argv) {
    memset(options, 0, sizeof *options);
    struct w2v_train_config *config = &options->config;
    config->model = W2V_MODEL_SKIPGRAM;
    config->loss = W2V_LOSS_NS;
    config->batch = W2V_BATCH_WINDOW;
    config->dim = 100;
    config->window = 5;
    config->negative = 5;
    config->epochs = 5;
    config->threads = online_cpus();
    config->sample = 1e-3;
    config->seed = 1;
    options->min_count = 5;
    options->max_sentence = W2V_DEFAULT_MAX_SENTENCE_TOKENS;
    bool alpha_given = false, loss_given = false, negative_given = false, hs = false;

    optind = 1;
    opterr = 0;
    int id, status = 0;
    while (status == 0 && (id = getopt_long_only(argc, argv, ":", long_options, NULL)) != -1) {
        const char *flag = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
        bool flag_value = false;
        int choice = 0;
        switch (id) {
        case OPT_TRAIN:
            options->train_path = optarg;
            break;
        case OPT_OUTPUT:
            options->output_path = optarg;
            break;
        case OPT_SAVE_VOCAB:
            options->save_vocab_path = optarg;
            break;
        case OPT_READ_VOCAB:
            options->read_vocab_path = optarg;
            break;
        case OPT_EVAL_ANALOGY:
            options->eval_analogy_path = optarg;
            break;
        case OPT_EVAL_SIMILARITY:
            options->eval_similarity_path = optarg;
            break;
        case OPT_BINARY:
            status = w2v_parse_bool("--binary", optarg, &options->binary);
            break;
        case OPT_MIN_COUNT:
            status = w2v_parse_u64("--min-count", optarg, 1, UINT64_MAX, &options->min_count);
            break;
        case OPT_MAX_VOCAB:
            status = w2v_parse_u32("--max-vocab", optarg, 1, UINT32_MAX - 2, &options->max_vocab);
            break;
        case OPT_MAX_SENTENCE:
            status = w2v_parse_u32("--max-sentence", optarg, 1, 1u << 24, &options->max_sentence);
            break;
        case OPT_MODEL:
            status = parse_choice("--model", optarg, (const char *[]){"sg", "cbow"}, 2, &choice);
            config->model = (enum w2v_model_kind)choice;
            break;
        case OPT_CBOW:
            status = w2v_parse_bool("--cbow", optarg, &flag_value);
            config->model = flag_value ? W2V_MODEL_CBOW : W2V_MODEL_SKIPGRAM;
            break;
        case OPT_LOSS:
            status =
                parse_choice("--loss", optarg, (const char *[]){"ns", "hs", "softmax"}, 3, &choice);
            config->loss = (enum w2v_loss_kind)choice;
            loss_given = true;
            break;
        case OPT_HS:
            status = w2v_parse_bool("--hs", optarg, &hs);
            break;
        case OPT_SIZE:
            status = w2v_parse_u32("--size", optarg, 1, 10000, &config->dim);
            break;
        case OPT_WINDOW:
            status = w2v_parse_u32("--window", optarg, 1, 1000, &config->window);
            break;
        case OPT_NEGATIVE:
            status = w2v_parse_u32("--negative", optarg, 0, 1000, &config->negative);
            negative_given = true;
            break;
        case OPT_SAMPLE:
            status = w2v_parse_double("--sample", optarg, 0, 1, &config->sample);
            break;
        case OPT_BATCH:
            status =
                parse_choice("--batch", optarg, (const char *[]){"window", "pair"}, 2, &choice);
            config->batch = (enum w2v_batch_mode)choice;
            break;
        case OPT_CBOW_UPDATE:
            status =
                parse_choice("--cbow-update", optarg, (const char *[]){"sum", "mean"}, 2, &choice);
            config->cbow_update = (enum w2v_cbow_update)choice;
            break;
        case OPT_ITER:
            status = w2v_parse_u32("--iter", optarg, 1, W2V_MAX_EPOCHS, &config->epochs);
            break;
        case OPT_ALPHA:
            status = w2v_parse_double("--alpha", optarg, 1e-9, 10, &config->alpha);
            alpha_given = true;
            break;
        case OPT_THREADS:
            status = w2v_parse_u32("--threads", optarg, 1, 4096, &config->threads);
            break;
        case OPT_PIN:
            config->pin_threads = true;
            break;
        case OPT_SEED:
            status = w2v_parse_u64("--seed", optarg, 0, UINT64_MAX, &config->seed);
            break;
        case OPT_QUIET:
            config->quiet = true;
            break;
        case OPT_JSON:
            options->json = true;
            break;
        case OPT_DEBUG: {
            uint32_t level;
            status = w2v_parse_u32("--debug", optarg, 0, 100, &level);
            if (level == 0) config->quiet = true;
            break;
        }
        case OPT_CLASSES:
            status = w2v_error("-classes (k-means word classes) is not supported by w2v");
            break;
        case OPT_HELP:
            fputs(usage, stdout);
            return 1;
        case ':':
            status = w2v_error("option %s needs a value", flag);
            break;
        default:
            status = w2v_error("unknown option '%s' (see 'w2v train --help')", flag);
            break;
        }
    }
    if (status != 0) return -1;
    if (optind < argc)
        return w2v_error("unexpected argument '%s' (see 'w2v train --help')", argv[optind]);

    if (hs && !loss_given) {
        if (negative_given && config->negative > 0)
            return w2v_error("-hs 1 with -negative %u would train two losses at once as word2vec.c "
                             "does; w2v trains one: use -negative 0, or --loss",
                             config->negative);
        config->loss = W2V_LOSS_HS;
    }
    if (config->loss == W2V_LOSS_NS && config->negative == 0)
        return w2v_error("negative sampling needs --negative of at least 1 (or choose --loss hs "
                         "or --loss softmax)");
    if (!alpha_given) config->alpha = config->model == W2V_MODEL_CBOW ? 0.05 : 0.025;
    if (!options->train_path) return w2v_error("no training corpus given (use --train FILE)");
    return 0;
}
