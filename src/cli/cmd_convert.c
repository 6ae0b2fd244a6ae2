/* cmd_convert.c — `w2v convert`: word2vec text <-> binary vectors (fastText's
 * .vec is the text format), optionally the first N rows only and/or scaled to
 * unit length; read and written by the library's vector reader and writer. */
#include "commands.h"
#include "options.h"

#include "w2v/error.h"
#include "w2v/search.h"
#include "w2v/vectors.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

struct convert_args {
    bool binary;
    uint64_t restrict_vocab;
    bool normalize;
};

#define AT(field) offsetof(struct convert_args, field)

static const struct w2v_option options[] = {
    {W2V_OPT_BOOL, "--binary", .arg = "0|1", .offset = AT(binary),
     .help = "write word2vec's binary format (1) or text (0, default)"},
    {W2V_OPT_U64, "--restrict", .arg = "N", .offset = AT(restrict_vocab), .max = UINT64_MAX / 2,
     .help = "keep only the first N words (default 0 = all)"},
    {W2V_OPT_FLAG, "--normalize", .offset = AT(normalize),
     .help = "scale every row to unit length (zero rows stay zero)"},
    {W2V_OPT_HELP, "-h, --help", .help = "print this help"},
    {W2V_OPT_END},
};

static const struct w2v_command_spec spec = {
    .name = "convert",
    .usage = "usage: w2v convert IN OUT [options]\n\n"
             "Reads word vectors in word2vec's text or binary format (detected from the\n"
             "content; fastText's .vec files are the text format) and writes them to OUT,\n"
             "atomically, in the format --binary asks for. OUT may not be IN.\n\n",
    .options = options,
    .column = 21,
    .min_positional = 2,
    .max_positional = 2,
    .missing_positional = "convert: needs IN and OUT (see 'w2v convert --help')",
};

/* Whether `in` and `out` name the same file (the same text, or the same inode). */
static bool same_file(const char *in, const char *out) {
    struct stat a, b;
    if (strcmp(in, out) == 0) return true;
    return stat(in, &a) == 0 && stat(out, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int w2v_cmd_convert(int argc, char **argv) {
    struct convert_args a = {0};
    struct w2v_parsed parsed;
    int stop = w2v_options_parse(&spec, argc, argv, &a, &parsed);
    if (stop != 0) {
        w2v_parsed_free(&parsed);
        return w2v_options_stop(stop);
    }
    const char *in = parsed.positional[0], *out = parsed.positional[1];
    int status = 0;
    struct w2v_vectors vectors;
    if (same_file(in, out)) {
        w2v_error("convert: OUT is the same file as IN ('%s')", out);
        status = w2v_usage_error();
    } else if (w2v_vectors_read(in, &vectors) != 0) {
        status = w2v_report_error();
    } else {
        struct w2v_vectors kept = vectors; /* a view of the first N rows */
        kept.owned = false;
        if (a.restrict_vocab && a.restrict_vocab < kept.count) kept.count = a.restrict_vocab;
        if (a.normalize)
            for (uint64_t i = 0; i < kept.count; i++)
                w2v_normalize(kept.rows + i * kept.stride, kept.dim);
        if (w2v_vectors_write(out, &kept, a.binary) != 0)
            status = w2v_report_error();
        else
            printf("%s: %llu of %llu words, dim %u, %s%s\n", out, (unsigned long long)kept.count,
                   (unsigned long long)vectors.count, kept.dim, a.binary ? "binary" : "text",
                   a.normalize ? ", unit length" : "");
        w2v_vectors_free(&vectors);
    }
    w2v_parsed_free(&parsed);
    return status;
}
