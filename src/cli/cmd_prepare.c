/* cmd_prepare.c — `w2v prepare`: reads a corpus once (plain, gzip, zstd or
 * standard input), counts and encodes it, and writes a prepared corpus
 * (prepared.h) that `w2v train --train PREPARED` maps directly: for sweeps
 * and benchmarks that train many times on one corpus. */
#include "commands.h"
#include "options.h"
#include "train_options.h"

#include "w2v/blas_pool.h"
#include "w2v/error.h"
#include "w2v/parallel.h"
#include "w2v/pipeline.h"
#include "w2v/timer.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

struct prepare_values {
    struct w2v_pipeline_options input;
    const char *output;
    const char *save_vocab;
    bool quiet;
};

static int parse_vocab_memory(const char *flag, const char *text, void *values) {
    return w2v_parse_vocab_memory(flag, text,
                                  &((struct prepare_values *)values)->input.vocab_memory);
}

#define AT(field) offsetof(struct prepare_values, field)

static const struct w2v_option options_table[] = {
    {W2V_OPT_STRING, "--train", .arg = "CORPUS", .offset = AT(input.train_path),
     .missing = "prepare needs a corpus (--train CORPUS)",
     .help = "plain text, gzip or zstd (by their first bytes), or - for\nstandard input"},
    {W2V_OPT_STRING, "-o, --output", .arg = "FILE", .offset = AT(output),
     .missing = "prepare needs an output file (-o FILE)",
     .help = "the prepared corpus (written atomically)"},
    {W2V_OPT_STRING, "--read-vocab", .arg = "FILE", .offset = AT(input.read_vocab_path),
     .help = "use this vocabulary ('word count' lines) instead of counting"},
    {W2V_OPT_STRING, "--save-vocab", .arg = "FILE", .offset = AT(save_vocab),
     .help = "also write the vocabulary ('word count' per line)"},
    W2V_VOCAB_OPTION_ROWS(AT, parse_vocab_memory),
    {W2V_OPT_STRING, "--tmp-dir", .arg = "DIR", .offset = AT(input.tmp_dir),
     .help = "where the temporary id streams go (default: beside --output)"},
    {W2V_OPT_FLAG, "--allow-binary", .offset = AT(input.allow_binary),
     .help = "accept a corpus that looks binary (refused by default)"},
    {W2V_OPT_U32, "--threads", .arg = "N", .offset = AT(input.threads), .min = 1, .max = 4096,
     .help = "counting threads for a plain file (default: all online CPUs)"},
    {W2V_OPT_FLAG, "-q, --quiet", .offset = AT(quiet), .help = "no summary on stderr"},
    {W2V_OPT_END},
};

static const struct w2v_command_spec spec = {
    .name = "prepare",
    .usage = "usage: w2v prepare --train CORPUS -o PREPARED [options]\n"
             "\n"
             "Reads the corpus once, counts its vocabulary and encodes it as word ids into\n"
             "one file (vocabulary, ids, sentence starts, the settings and a checksum).\n"
             "`w2v train --train PREPARED` recognises it and trains from it directly.\n"
             "\n",
    .options = options_table,
    .column = 26,
};

int w2v_cmd_prepare(int argc, char **argv) {
    struct prepare_values values = {0};
    w2v_pipeline_options_default(&values.input);
    struct w2v_parsed parsed;
    int stop = w2v_options_parse(&spec, argc, argv, &values, &parsed);
    w2v_parsed_free(&parsed);
    if (stop != 0) return w2v_options_stop(stop);

    w2v_blas_pool_stop(); /* its spinning workers would share the counting cores */
    double start = w2v_now();
    struct w2v_pipeline pipeline;
    int status = w2v_pipeline_prepare(&pipeline, &values.input, values.output);
    if (status == 0 && values.save_vocab)
        status = w2v_vocab_save(&pipeline.vocab, values.save_vocab);
    double seconds = w2v_now() - start;
    if (status == 0 && !values.quiet) {
        const struct w2v_prepared_header *h = &pipeline.header;
        const struct w2v_encode_report *e = &pipeline.encode_report;
        if (h->truncated_tokens)
            fprintf(stderr, "w2v: warning: %" PRIu64 " words longer than %u bytes were cut\n",
                    h->truncated_tokens, h->max_token_bytes);
        if (h->pruned_words)
            fprintf(stderr,
                    "w2v: note: counting memory (--vocab-memory) was full: %" PRIu64
                    " words seen fewer than %" PRIu64 " times were pruned\n",
                    h->pruned_words, h->prune_threshold);
        fprintf(stderr,
                "w2v: wrote %s: %s input, %" PRIu64 " MB of text, %" PRIu64 " tokens, %" PRIu64
                " distinct words, vocabulary %u (min-count %" PRIu64 "), %" PRIu64 " ids (%" PRIu64
                " bytes, %.2f an id) in %" PRIu64 " sentences, %" PRIu64
                " lines cut; %.2f s (read %.2f s, vocabulary and ids %.2f s): %.1f MB/s\n",
                values.output, w2v_input_kind_name(pipeline.input_kind), e->text_bytes / 1000000,
                h->corpus_tokens, h->distinct_words, h->vocab_size, h->min_count, h->token_count,
                h->ids_bytes, (double)h->ids_bytes / (double)h->token_count, h->sentence_count,
                h->cut_lines, seconds, e->read_seconds, e->remap_seconds,
                (double)e->text_bytes / 1e6 / (seconds > 0 ? seconds : 1e-9));
    }
    w2v_pipeline_close(&pipeline);
    return status == 0 ? 0 : w2v_report_error();
}
