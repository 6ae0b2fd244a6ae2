/* checkpoint.c — writing, reading and checking checkpoints (the format is in
 * checkpoint.h). Writes go through a buffer that feeds the checksum as it
 * flushes; reads map the file, check magic, version, size and checksum
 * before parsing a byte, then parse with bounds checks all the same. */
#include "w2v/checkpoint.h"

#include "w2v/alloc.h"
#include "w2v/atomic_file.h"
#include "w2v/error.h"
#include "w2v/signals.h"
#include "w2v/vocab.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

static const char MAGIC[8] = {'W', '2', 'V', 'C', 'K', 'P', 'T', '\n'};
enum { TRAILER_BYTES = 4 + 8 + 8 };

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "checkpoint.c writes the host's bytes as little-endian: port it to this host first"
#endif

/* ---- settings ---- */

void w2v_checkpoint_settings_from(struct w2v_checkpoint_settings *s,
                                  const struct w2v_train_config *config,
                                  const struct w2v_pipeline_options *input) {
    *s = (struct w2v_checkpoint_settings){
        .model = config->model,
        .loss = config->loss,
        .batch = config->batch,
        .cbow_update = config->cbow_update,
        .hs_pair_nodes = config->hs_pair_nodes,
        .combine = w2v_train_combine(config),
        .dim = config->dim,
        .window = config->window,
        .negative = w2v_loss_uses_negatives(config->loss) ? config->negative : 0,
        .epochs = config->epochs,
        .shrink_windows = config->shrink_windows,
        .alpha = w2v_train_alpha(config),
        .sample = config->sample,
        .ns_exponent = config->ns_exponent,
        .min_alpha = config->min_alpha,
        .seed = config->seed,
        .min_count = input->min_count,
        .max_vocab = input->max_vocab,
        .max_sentence = input->max_sentence,
        .max_token_bytes = input->max_token_bytes,
    };
}

void w2v_checkpoint_settings_apply(const struct w2v_checkpoint_settings *s,
                                   struct w2v_train_config *config,
                                   struct w2v_pipeline_options *input) {
    config->model = (enum w2v_model_kind)s->model;
    config->loss = (enum w2v_loss_kind)s->loss;
    config->batch = (enum w2v_batch_mode)s->batch;
    config->cbow_update = (enum w2v_cbow_update)s->cbow_update;
    config->hs_pair_nodes = s->hs_pair_nodes;
    config->combine = s->combine;
    config->dim = s->dim;
    config->window = s->window;
    if (w2v_loss_uses_negatives(config->loss)) config->negative = s->negative;
    config->epochs = s->epochs;
    config->shrink_windows = s->shrink_windows != 0;
    config->alpha = s->alpha;
    config->sample = s->sample;
    config->ns_exponent = s->ns_exponent;
    config->min_alpha = s->min_alpha;
    config->seed = s->seed;
    input->min_count = s->min_count;
    input->max_vocab = s->max_vocab;
    input->max_sentence = s->max_sentence;
    input->max_token_bytes = s->max_token_bytes;
}

enum setting_kind { ENUM_MODEL, ENUM_LOSS, ENUM_BATCH, ENUM_CBOW, U32, U64, F64, BOOL };

static const struct setting {
    const char *name;
    enum setting_kind kind;
    size_t offset;
} settings_table[] = {
#define AT(field) offsetof(struct w2v_checkpoint_settings, field)
    {"model", ENUM_MODEL, AT(model)},
    {"loss", ENUM_LOSS, AT(loss)},
    {"batch", ENUM_BATCH, AT(batch)},
    {"cbow-update", ENUM_CBOW, AT(cbow_update)},
    {"hs-pair-nodes", U32, AT(hs_pair_nodes)},
    {"combine", U32, AT(combine)},
    {"size", U32, AT(dim)},
    {"window", U32, AT(window)},
    {"negative", U32, AT(negative)},
    {"iter", U32, AT(epochs)},
    {"alpha", F64, AT(alpha)},
    {"min-alpha", F64, AT(min_alpha)},
    {"sample", F64, AT(sample)},
    {"ns-exponent", F64, AT(ns_exponent)},
    {"shrink-windows", BOOL, AT(shrink_windows)},
    {"seed", U64, AT(seed)},
    {"min-count", U64, AT(min_count)},
    {"max-vocab", U32, AT(max_vocab)},
    {"max-sentence", U32, AT(max_sentence)},
    {"max-token-bytes", U32, AT(max_token_bytes)},
#undef AT
};

uint32_t w2v_checkpoint_setting_count(void) {
    return sizeof settings_table / sizeof settings_table[0];
}

const char *w2v_checkpoint_setting_name(uint32_t index) {
    return index < w2v_checkpoint_setting_count() ? settings_table[index].name : NULL;
}

void w2v_checkpoint_setting_text(const struct w2v_checkpoint_settings *s, uint32_t index, char *out,
                                 size_t size) {
    static const char *const models[] = {"sg", "cbow"};
    static const char *const batches[] = {"window", "pair"};
    static const char *const updates[] = {"sum", "mean"};
    const struct setting *setting = &settings_table[index];
    const char *field = (const char *)s + setting->offset;
    uint32_t u32;
    uint64_t u64;
    double f64;
    memcpy(&u32, field, sizeof u32);
    switch (setting->kind) {
    case ENUM_MODEL:
        snprintf(out, size, "%s", u32 < 2 ? models[u32] : "?");
        break;
    case ENUM_LOSS:
        snprintf(out, size, "%s", u32 < 4 ? w2v_loss_name((enum w2v_loss_kind)u32) : "?");
        break;
    case ENUM_BATCH:
        snprintf(out, size, "%s", u32 < 2 ? batches[u32] : "?");
        break;
    case ENUM_CBOW:
        snprintf(out, size, "%s", u32 < 2 ? updates[u32] : "?");
        break;
    case U32:
        snprintf(out, size, "%" PRIu32, u32);
        break;
    case BOOL:
        snprintf(out, size, "%d", u32 != 0);
        break;
    case U64:
        memcpy(&u64, field, sizeof u64);
        snprintf(out, size, "%" PRIu64, u64);
        break;
    case F64:
        memcpy(&f64, field, sizeof f64);
        if (setting->offset == offsetof(struct w2v_checkpoint_settings, min_alpha) && f64 < 0)
            snprintf(out, size, "alpha*1e-4");
        else
            snprintf(out, size, "%.17g", f64);
        break;
    }
}

void w2v_checkpoint_setting_copy(struct w2v_checkpoint_settings *to,
                                 const struct w2v_checkpoint_settings *from, uint32_t index) {
    const struct setting *setting = &settings_table[index];
    size_t size = setting->kind == U64 || setting->kind == F64 ? 8 : 4;
    memcpy((char *)to + setting->offset, (const char *)from + setting->offset, size);
}

int w2v_checkpoint_settings_differ(const struct w2v_checkpoint_settings *a,
                                   const struct w2v_checkpoint_settings *b) {
    char text_a[64], text_b[64];
    for (uint32_t i = 0; i < w2v_checkpoint_setting_count(); i++) {
        w2v_checkpoint_setting_text(a, i, text_a, sizeof text_a);
        w2v_checkpoint_setting_text(b, i, text_b, sizeof text_b);
        if (strcmp(text_a, text_b) != 0) return (int)i;
    }
    return -1;
}

/* ---- the corpus ---- */

int w2v_checkpoint_corpus_identify(struct w2v_checkpoint_corpus *corpus, const char *path,
                                   const struct w2v_encoded_corpus *encoded) {
    memset(corpus, 0, sizeof *corpus);
    struct stat info;
    if (strcmp(path, "-") != 0) { /* standard input: the checksum alone */
        if (stat(path, &info) != 0) return w2v_error("cannot stat '%s': %s", path, strerror(errno));
        corpus->file_bytes = (uint64_t)info.st_size;
        corpus->mtime_seconds = (int64_t)info.st_mtim.tv_sec;
        corpus->mtime_nanoseconds = (int64_t)info.st_mtim.tv_nsec;
    }
    corpus->path = w2v_xstrndup(path, strlen(path));
    corpus->tokens = encoded->token_count;
    corpus->sentences = encoded->sentence_count;
    XXH3_state_t *hash = XXH3_createState();
    if (!hash) return w2v_error("out of memory for a checksum");
    XXH3_64bits_reset(hash);
    /* the ids as uint32, as format 1 held them: streaming over decoded chunks
     * gives the one-shot hash of the array, so older checkpoints still match */
    enum { CHUNK = 1 << 16 };
    uint32_t *ids = w2v_xmalloc(CHUNK * sizeof *ids);
    const uint8_t *codes = encoded->codes;
    for (uint64_t done = 0; done < encoded->token_count;) {
        size_t take =
            encoded->token_count - done < CHUNK ? (size_t)(encoded->token_count - done) : CHUNK;
        codes = w2v_idcode_decode(codes, ids, take);
        XXH3_64bits_update(hash, ids, take * sizeof *ids);
        done += take;
    }
    w2v_free(ids);
    XXH3_64bits_update(hash, encoded->sentence_starts,
                       (encoded->sentence_count + 1) * sizeof *encoded->sentence_starts);
    corpus->hash = XXH3_64bits_digest(hash);
    XXH3_freeState(hash);
    return 0;
}

int w2v_checkpoint_corpus_check(const struct w2v_checkpoint_corpus *saved,
                                const struct w2v_checkpoint_corpus *now) {
    if (saved->file_bytes && now->file_bytes && saved->file_bytes != now->file_bytes)
        return w2v_error("the corpus '%s' has changed since the checkpoint: %" PRIu64
                         " bytes, the checkpoint's had %" PRIu64,
                         now->path, now->file_bytes, saved->file_bytes);
    if (saved->tokens != now->tokens || saved->sentences != now->sentences ||
        saved->hash != now->hash)
        return w2v_error("the corpus '%s' has changed since the checkpoint: its words differ "
                         "from those the checkpoint was trained on",
                         now->path);
    return 0;
}

void w2v_checkpoint_corpus_free(struct w2v_checkpoint_corpus *corpus) {
    w2v_free(corpus->path);
    memset(corpus, 0, sizeof *corpus);
}

/* ---- writing ---- */

/* A writer feeds a file and the checksum, or (fp NULL) a growing block of memory. */
struct writer {
    FILE *fp;
    XXH3_state_t *hash;
    uint64_t bytes;
    unsigned char *memory;
    size_t memory_size;
    size_t used;
    unsigned char buffer[1 << 16];
};

static void writer_flush(struct writer *w) {
    if (w->used == 0) return;
    if (w->fp) {
        XXH3_64bits_update(w->hash, w->buffer, w->used);
        fwrite(w->buffer, 1, w->used, w->fp);
    } else {
        w->memory = w2v_xrealloc(w->memory, w->memory_size + w->used);
        memcpy(w->memory + w->memory_size, w->buffer, w->used);
        w->memory_size += w->used;
    }
    w->used = 0;
}

static void put(struct writer *w, const void *data, size_t size) {
    w->bytes += size;
    const unsigned char *bytes = data;
    while (size > 0) {
        if (w->used == sizeof w->buffer) writer_flush(w);
        size_t room = sizeof w->buffer - w->used;
        size_t n = size < room ? size : room;
        memcpy(w->buffer + w->used, bytes, n);
        w->used += n, bytes += n, size -= n;
    }
}

static void put_u32(struct writer *w, uint32_t v) {
    put(w, &v, sizeof v);
}
static void put_u64(struct writer *w, uint64_t v) {
    put(w, &v, sizeof v);
}
static void put_f64(struct writer *w, double v) {
    put(w, &v, sizeof v);
}
static void put_tag(struct writer *w, const char tag[4]) {
    put(w, tag, 4);
}
static void put_string(struct writer *w, const char *text) {
    size_t len = strlen(text);
    put_u32(w, (uint32_t)len);
    put(w, text, len);
}

static void put_rows(struct writer *w, const float *rows, uint32_t count, uint32_t dim,
                     size_t stride) {
    for (uint32_t r = 0; r < count; r++) put(w, rows + (size_t)r * stride, dim * sizeof(float));
}

static void put_settings(struct writer *w, const struct w2v_checkpoint_settings *s) {
    put_tag(w, "SETT");
    const uint32_t u32s[] = {s->model,  s->loss,     s->batch,  s->cbow_update,   s->dim,
                             s->window, s->negative, s->epochs, s->shrink_windows};
    for (size_t i = 0; i < sizeof u32s / sizeof u32s[0]; i++) put_u32(w, u32s[i]);
    put_f64(w, s->alpha);
    put_f64(w, s->sample);
    put_f64(w, s->ns_exponent);
    put_f64(w, s->min_alpha);
    put_u64(w, s->seed);
    put_u64(w, s->min_count);
    put_u32(w, s->max_vocab);
    put_u32(w, s->max_sentence);
    put_u32(w, s->max_token_bytes);
    if (s->hs_pair_nodes) { /* version 3 */
        put_tag(w, "SET3");
        put_u32(w, s->hs_pair_nodes);
    }
    if (s->combine > 1) { /* version 4 */
        put_tag(w, "SET4");
        put_u32(w, s->combine);
    }
}

static void put_state(struct writer *w, const struct w2v_train_state *state) {
    put_tag(w, "STAT");
    put_u32(w, state->epoch);
    put_u32(w, state->threads);
    put_u64(w, state->words_done);
    put_f64(w, state->seconds);
    put_u64(w, state->kept_words);
    put_u64(w, state->predictions);
    for (uint32_t e = 0; e < state->epoch; e++) put_f64(w, state->epoch_loss[e]);
    for (uint32_t t = 0; t < state->threads; t++) {
        const struct w2v_train_worker_state *ws = &state->workers[t];
        for (int i = 0; i < 4; i++) put_u64(w, ws->rng.state[i]);
        put(w, &ws->learning_rate, sizeof ws->learning_rate);
        put_u64(w, ws->unpublished_words);
        put_f64(w, ws->loss_sum);
        put_u64(w, ws->predictions);
        put_u64(w, ws->kept_words);
        put_u64(w, ws->flops);
        put_u32(w, ws->range_count);
        for (uint32_t r = 0; r < ws->range_count; r++) {
            put_u64(w, ws->ranges[r].first);
            put_u64(w, ws->ranges[r].end);
        }
    }
}

unsigned char *w2v_checkpoint_state_pack(const struct w2v_train_state *state, size_t *size) {
    struct writer *w = w2v_xcalloc(1, sizeof *w);
    put_state(w, state);
    writer_flush(w);
    unsigned char *bytes = w->memory;
    *size = w->memory_size;
    w2v_free(w);
    return bytes;
}

int w2v_checkpoint_write(const char *path, const struct w2v_checkpoint_settings *settings,
                         const struct w2v_checkpoint_corpus *corpus, const struct w2v_vocab *vocab,
                         const struct w2v_train_state *states, uint32_t ranks,
                         const struct w2v_checkpoint_sync *sync, const struct w2v_model *model,
                         uint64_t *bytes) {
    if (ranks == 0 || (ranks > 1 && !sync))
        return w2v_error("a checkpoint needs every process's state (and several processes' sync)");
    struct w2v_atomic_file file;
    if (w2v_atomic_open(&file, path) != 0) return -1;
    struct writer *w = w2v_xcalloc(1, sizeof *w);
    w->fp = file.fp;
    w->hash = XXH3_createState();
    if (!w->hash) {
        w2v_free(w);
        w2v_atomic_abort(&file);
        return w2v_error("out of memory for a checksum");
    }
    XXH3_64bits_reset(w->hash);

    put(w, MAGIC, sizeof MAGIC);
    put_u32(w, settings->combine > 1     ? 4 /* the lowest version that holds it */
               : settings->hs_pair_nodes ? 3
               : ranks > 1               ? 2
                                         : 1);
    put_u32(w, 0);
    put_settings(w, settings);

    put_tag(w, "CORP");
    put_string(w, corpus->path ? corpus->path : "");
    put_u64(w, corpus->file_bytes);
    put_u64(w, (uint64_t)corpus->mtime_seconds);
    put_u64(w, (uint64_t)corpus->mtime_nanoseconds);
    put_u64(w, corpus->tokens);
    put_u64(w, corpus->sentences);
    put_u64(w, corpus->hash);

    put_tag(w, "VOCB");
    put_u32(w, vocab->size);
    for (uint32_t id = 0; id < vocab->size; id++) {
        put_string(w, w2v_vocab_word(vocab, id));
        put_u64(w, w2v_vocab_count(vocab, id));
    }

    put_state(w, &states[0]);
    if (ranks > 1) { /* version 2: the other ranks of a distributed run */
        put_tag(w, "RANK");
        put_u32(w, ranks);
        put_u64(w, sync->rounds);
        put_u64(w, sync->every);
        put_u32(w, sync->min_words);
        put_u32(w, sync->average);
        for (uint32_t rank = 1; rank < ranks; rank++) put_state(w, &states[rank]);
    }

    put_tag(w, "MODL");
    put_u32(w, model->vocab_size);
    put_u32(w, model->output_rows);
    put_u32(w, model->dim);
    put_rows(w, model->input, model->vocab_size, model->dim, model->stride);
    put_rows(w, model->output, model->output_rows, model->dim, model->stride);

    put_tag(w, "END ");
    put_u64(w, w->bytes + 16); /* this size and the checksum after it */
    writer_flush(w);
    uint64_t checksum = XXH3_64bits_digest(w->hash);
    fwrite(&checksum, 1, sizeof checksum, w->fp);
    uint64_t total = w->bytes + sizeof checksum;
    XXH3_freeState(w->hash);
    w2v_free(w);
    if (w2v_atomic_commit(&file) != 0) return -1;
    if (bytes) *bytes = total;
    return 0;
}

/* ---- reading ---- */

struct reader {
    const unsigned char *data;
    uint64_t size, at;
    bool short_read;
};

static bool get(struct reader *r, void *out, size_t size) {
    if (r->short_read || size > r->size - r->at) {
        r->short_read = true;
        memset(out, 0, size);
        return false;
    }
    memcpy(out, r->data + r->at, size);
    r->at += size;
    return true;
}

static uint32_t get_u32(struct reader *r) {
    uint32_t v;
    get(r, &v, sizeof v);
    return v;
}
static uint64_t get_u64(struct reader *r) {
    uint64_t v;
    get(r, &v, sizeof v);
    return v;
}
static double get_f64(struct reader *r) {
    double v;
    get(r, &v, sizeof v);
    return v;
}
static bool get_tag(struct reader *r, const char tag[4]) {
    char seen[4];
    return get(r, seen, 4) && memcmp(seen, tag, 4) == 0;
}
static char *get_string(struct reader *r) {
    uint32_t len = get_u32(r);
    if (r->short_read || len > r->size - r->at) {
        r->short_read = true;
        return w2v_xstrndup("", 0);
    }
    char *text = w2v_xstrndup((const char *)r->data + r->at, len);
    r->at += len;
    return text;
}

static bool get_rows(struct reader *r, float *rows, uint32_t count, uint32_t dim, size_t stride) {
    for (uint32_t i = 0; i < count; i++)
        if (!get(r, rows + (size_t)i * stride, dim * sizeof(float))) return false;
    return true;
}

static void get_settings(struct reader *r, struct w2v_checkpoint_settings *s) {
    uint32_t *u32s[] = {&s->model,  &s->loss,     &s->batch,  &s->cbow_update,   &s->dim,
                        &s->window, &s->negative, &s->epochs, &s->shrink_windows};
    for (size_t i = 0; i < sizeof u32s / sizeof u32s[0]; i++) *u32s[i] = get_u32(r);
    s->alpha = get_f64(r);
    s->sample = get_f64(r);
    s->ns_exponent = get_f64(r);
    s->min_alpha = get_f64(r);
    s->seed = get_u64(r);
    s->min_count = get_u64(r);
    s->max_vocab = get_u32(r);
    s->max_sentence = get_u32(r);
    s->max_token_bytes = get_u32(r);
}

/* Version 3's "SET3" section, if there is one (after SETT); without it the
 * settings it adds are 0, as older files mean. */
static void get_settings3(struct reader *r, struct w2v_checkpoint_settings *s, uint32_t version) {
    s->hs_pair_nodes = 0;
    if (version < 3 || r->size - r->at < 4 || memcmp(r->data + r->at, "SET3", 4) != 0) return;
    r->at += 4;
    s->hs_pair_nodes = get_u32(r);
}

/* Version 4's "SET4" section, if there is one (after SETT and any SET3);
 * without it combine is 1, as older files mean. */
static void get_settings4(struct reader *r, struct w2v_checkpoint_settings *s, uint32_t version) {
    s->combine = 1;
    if (version < 4 || r->size - r->at < 4 || memcmp(r->data + r->at, "SET4", 4) != 0) return;
    r->at += 4;
    s->combine = get_u32(r);
}

/* The state section; false on a bound that cannot be right. */
static bool get_state(struct reader *r, struct w2v_train_state *state) {
    state->epoch = get_u32(r);
    state->threads = get_u32(r);
    if (state->epoch > W2V_MAX_EPOCHS || state->threads == 0 || state->threads > 1u << 20)
        return false;
    state->words_done = get_u64(r);
    state->seconds = get_f64(r);
    state->kept_words = get_u64(r);
    state->predictions = get_u64(r);
    for (uint32_t e = 0; e < state->epoch; e++) state->epoch_loss[e] = get_f64(r);
    state->workers = w2v_xcalloc(state->threads, sizeof *state->workers);
    for (uint32_t t = 0; t < state->threads && !r->short_read; t++) {
        struct w2v_train_worker_state *ws = &state->workers[t];
        for (int i = 0; i < 4; i++) ws->rng.state[i] = get_u64(r);
        get(r, &ws->learning_rate, sizeof ws->learning_rate);
        ws->unpublished_words = get_u64(r);
        ws->loss_sum = get_f64(r);
        ws->predictions = get_u64(r);
        ws->kept_words = get_u64(r);
        ws->flops = get_u64(r);
        ws->range_count = get_u32(r);
        if (ws->range_count > (r->size - r->at) / 16) return false;
        ws->ranges = w2v_xcalloc(ws->range_count + 1ull, sizeof *ws->ranges);
        for (uint32_t i = 0; i < ws->range_count; i++) {
            ws->ranges[i].first = get_u64(r);
            ws->ranges[i].end = get_u64(r);
        }
    }
    return !r->short_read;
}

int w2v_checkpoint_state_unpack(const void *bytes, size_t size, struct w2v_train_state *state) {
    memset(state, 0, sizeof *state);
    struct reader r = {.data = bytes, .size = size};
    if (!get_tag(&r, "STAT") || !get_state(&r, state) || r.at != r.size) {
        w2v_checkpoint_state_free(state);
        return w2v_error("a rank sent a training state that does not parse (a bug)");
    }
    return 0;
}

void w2v_checkpoint_state_free(struct w2v_train_state *state) {
    if (state->workers)
        for (uint32_t t = 0; t < state->threads; t++) w2v_free(state->workers[t].ranges);
    w2v_free(state->workers);
    memset(state, 0, sizeof *state);
}

const struct w2v_train_state *w2v_checkpoint_state(const struct w2v_checkpoint *c, uint32_t rank) {
    return rank == 0 ? &c->state : &c->rank_states[rank - 1];
}

/* Version 2's "RANK" section, if there is one (after rank 0's STAT). */
static bool get_ranks(struct reader *r, struct w2v_checkpoint *c, uint32_t version) {
    c->ranks = 1;
    if (version < 2 || r->size - r->at < 4 || memcmp(r->data + r->at, "RANK", 4) != 0) return true;
    r->at += 4;
    c->ranks = get_u32(r);
    c->sync.rounds = get_u64(r);
    c->sync.every = get_u64(r);
    c->sync.min_words = get_u32(r);
    c->sync.average = get_u32(r);
    /* each STAT is at least 40 bytes: a count no file could hold is refused before allocating */
    if (r->short_read || c->ranks < 2 || c->ranks - 1 > (r->size - r->at) / 40) {
        c->ranks = 1;
        return false;
    }
    c->rank_states = w2v_xcalloc(c->ranks - 1, sizeof *c->rank_states);
    for (uint32_t rank = 1; rank < c->ranks; rank++)
        if (!get_tag(r, "STAT") || !get_state(r, &c->rank_states[rank - 1])) {
            c->ranks = rank + 1; /* what was allocated, for w2v_checkpoint_free */
            return false;
        }
    return true;
}

static int parse(struct reader *r, struct w2v_checkpoint *c, const char *path, uint32_t version) {
    r->at = sizeof MAGIC + 8;
    bool ok = get_tag(r, "SETT");
    if (ok) get_settings(r, &c->settings);
    if (ok) get_settings3(r, &c->settings, version);
    if (ok) get_settings4(r, &c->settings, version);
    ok = ok && get_tag(r, "CORP");
    if (ok) {
        c->corpus.path = get_string(r);
        c->corpus.file_bytes = get_u64(r);
        c->corpus.mtime_seconds = (int64_t)get_u64(r);
        c->corpus.mtime_nanoseconds = (int64_t)get_u64(r);
        c->corpus.tokens = get_u64(r);
        c->corpus.sentences = get_u64(r);
        c->corpus.hash = get_u64(r);
    }
    ok = ok && get_tag(r, "VOCB");
    if (ok) {
        c->vocab_size = get_u32(r);
        ok = c->vocab_size > 0 && c->vocab_size <= (r->size - r->at) / 12;
    }
    if (ok) {
        c->words = w2v_xcalloc(c->vocab_size + 1ull, sizeof *c->words);
        c->counts = w2v_xcalloc(c->vocab_size + 1ull, sizeof *c->counts);
        bool words_ok = true; /* a word is non-empty, without whitespace (tokenizer.h) */
        for (uint32_t id = 0; id < c->vocab_size && !r->short_read; id++) {
            c->words[id] = get_string(r);
            c->counts[id] = get_u64(r);
            words_ok = words_ok && c->words[id] && c->words[id][0] != '\0' &&
                       !strpbrk(c->words[id], " \t\n\v\f\r");
        }
        ok = !r->short_read && words_ok; /* found by tests/fuzz/fuzz_checkpoint.c */
    }
    ok = ok && get_tag(r, "STAT") && get_state(r, &c->state);
    ok = ok && get_ranks(r, c, version);
    ok = ok && get_tag(r, "MODL");
    if (ok) {
        uint32_t vocab_size = get_u32(r), output_rows = get_u32(r), dim = get_u32(r);
        uint64_t floats = ((uint64_t)vocab_size + output_rows) * dim;
        ok = vocab_size == c->vocab_size && dim == c->settings.dim && dim > 0 &&
             floats <= (r->size - r->at) / sizeof(float);
        if (ok) {
            w2v_model_alloc(&c->model, vocab_size, output_rows, dim);
            ok = get_rows(r, c->model.input, vocab_size, dim, c->model.stride) &&
                 get_rows(r, c->model.output, output_rows, dim, c->model.stride);
        }
    }
    ok = ok && get_tag(r, "END ") && r->at + 16 == r->size;
    if (!ok)
        return w2v_error("checkpoint '%s' is inconsistent (its checksum is right, so it was "
                         "written wrong: a bug)",
                         path);
    return 0;
}

int w2v_checkpoint_read(const char *path, struct w2v_checkpoint *c) {
    memset(c, 0, sizeof *c);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return w2v_error("cannot open checkpoint '%s': %s", path, strerror(errno));
    struct stat info;
    if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        close(fd);
        return w2v_error("checkpoint '%s' is not a regular file", path);
    }
    const uint64_t size = (uint64_t)info.st_size;
    if (size < sizeof MAGIC + 8) {
        close(fd);
        return w2v_error("'%s' is not a w2v checkpoint (%" PRIu64 " bytes)", path, size);
    }
    void *data = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (data == MAP_FAILED)
        return w2v_error("cannot map checkpoint '%s': %s", path, strerror(errno));
    int tracked = w2v_signals_track_mapping(data, size, "checkpoint", path);
    struct reader r = {.data = data, .size = size};
    int status = 0;
    char magic[sizeof MAGIC];
    get(&r, magic, sizeof magic);
    uint32_t version = get_u32(&r);
    uint64_t recorded = 0, checksum = 0;
    if (size >= TRAILER_BYTES) {
        memcpy(&recorded, r.data + size - 16, sizeof recorded);
        memcpy(&checksum, r.data + size - 8, sizeof checksum);
    }
    if (memcmp(magic, MAGIC, sizeof MAGIC) != 0)
        status = w2v_error("'%s' is not a w2v checkpoint", path);
    else if (version < 1 || version > W2V_CHECKPOINT_VERSION)
        status = w2v_error("checkpoint '%s' has format version %" PRIu32
                           "; this w2v reads versions 1 to %d",
                           path, version, W2V_CHECKPOINT_VERSION);
    else if (size < sizeof MAGIC + 8 + TRAILER_BYTES || recorded != size ||
             memcmp(r.data + size - TRAILER_BYTES, "END ", 4) != 0)
        status = w2v_error("checkpoint '%s' is truncated or damaged: %" PRIu64
                           " bytes, not the size its end records",
                           path, size);
    else if (XXH3_64bits(r.data, size - 8) != checksum)
        status = w2v_error("checkpoint '%s' is damaged: its checksum does not match", path);
    if (status == 0) status = parse(&r, c, path, version);
    w2v_signals_untrack_mapping(tracked);
    munmap(data, size);
    if (status != 0) {
        w2v_checkpoint_free(c);
        return -1;
    }
    c->file_bytes = size;
    c->checksum = checksum;
    return 0;
}

void w2v_checkpoint_free(struct w2v_checkpoint *c) {
    if (c->words)
        for (uint32_t id = 0; id < c->vocab_size; id++) w2v_free(c->words[id]);
    w2v_free(c->words);
    w2v_free(c->counts);
    w2v_checkpoint_state_free(&c->state);
    if (c->rank_states)
        for (uint32_t rank = 1; rank < c->ranks; rank++)
            w2v_checkpoint_state_free(&c->rank_states[rank - 1]);
    w2v_free(c->rank_states);
    w2v_checkpoint_corpus_free(&c->corpus);
    w2v_model_free(&c->model);
    memset(c, 0, sizeof *c);
}
