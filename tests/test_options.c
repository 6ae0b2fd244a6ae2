/* test_options.c — the command-line option parser (src/cli/options.c): every
 * value kind, spellings (word2vec.c's one dash, aliases, --name=value), the
 * usage errors it must refuse, positionals, the generated help, and the size
 * parser behind `gen-corpus --size 1G` and `w2v-bench --generate 2000000w`. */
#include "testing.h"

#include "../src/cli/options.h"
#include "w2v/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct values {
    const char *path;
    uint32_t dim;
    uint64_t seed;
    double rate;
    bool binary, quiet;
    int mode;
    struct w2v_size_arg size;
};

#define AT(field) offsetof(struct values, field)

static const struct w2v_option_choice modes[] = {{"sg", 0}, {"cbow", 1}, {NULL, 0}};

static const struct w2v_option table[] = {
    {W2V_OPT_TEXT, .help = "group:"},
    {W2V_OPT_STRING, "-o, --output", .arg = "FILE", .offset = AT(path), .missing = "no output",
     .help = "where"},
    {W2V_OPT_U32, "--size", "--dim", "N", AT(dim), .min = 1, .max = 100, .help = "dimension"},
    {W2V_OPT_U64, "--seed", .arg = "N", .offset = AT(seed), .help = "seed\nsecond line"},
    {W2V_OPT_DOUBLE, "--rate", .arg = "X", .offset = AT(rate), .dmin = 0, .dmax = 1,
     .help = "rate"},
    {W2V_OPT_BOOL, "--binary", .arg = "0|1", .offset = AT(binary), .help = "binary"},
    {W2V_OPT_FLAG, "--quiet", .offset = AT(quiet), .help = "quiet"},
    {W2V_OPT_CHOICE, "--model", .arg = "sg|cbow", .offset = AT(mode), .choices = modes,
     .variants = 1, .help = "model"},
    {W2V_OPT_SIZE, "--bytes", .arg = "SIZE", .offset = AT(size), .help = "size"},
    {W2V_OPT_HELP, "-h, --help", .help = "this text"},
    {W2V_OPT_END},
};

static const struct w2v_command_spec spec = {
    .name = "test",
    .usage = "usage: test\n",
    .options = table,
    .column = 16,
    .one_dash_long = true,
    .variant = 1,
    .max_positional = 2,
};

/* Parses a NULL-terminated argument list (argv[0] included); returns the parser's result. */
static int parse(struct values *v, struct w2v_parsed *parsed, const struct w2v_command_spec *s,
                 char **args) {
    int argc = 0;
    while (args[argc]) argc++;
    *v = (struct values){.dim = 7};
    return w2v_options_parse(s, argc, args, v, parsed);
}

#define ARGS(...) ((char *[]){"test", __VA_ARGS__, NULL})

static void test_every_kind_and_spelling(void **state) {
    (void)state;
    struct values v;
    struct w2v_parsed p;
    assert_int_equal(
        parse(&v, &p, &spec,
              ARGS("-o", "out.txt", "-size", "12", "--seed=99", "--rate", "0.5", "-binary", "1",
                   "--quiet", "--model", "cbow", "--bytes", "2M", "first", "--", "-second")),
        0);
    assert_string_equal(v.path, "out.txt");
    assert_int_equal(v.dim, 12);
    assert_int_equal(v.seed, 99);
    assert_true(v.rate == 0.5);
    assert_true(v.binary && v.quiet);
    assert_int_equal(v.mode, 1);
    assert_true(v.size.bytes == 2u << 20 && v.size.words == 0);
    assert_int_equal(p.positional_count, 2);
    assert_string_equal(p.positional[0], "first");
    assert_string_equal(p.positional[1], "-second");
    assert_true(w2v_option_given(&spec, &p, "--size"));
    assert_false(w2v_option_given(&spec, &p, "--nothing"));
    w2v_parsed_free(&p);

    assert_int_equal(parse(&v, &p, &spec, ARGS("--output", "x", "--dim", "3")), 0);
    assert_int_equal(v.dim, 3);
    assert_true(w2v_option_given(&spec, &p, "--size"));
    assert_false(w2v_option_given(&spec, &p, "--seed"));
    w2v_parsed_free(&p);
}

/* Parsing `args` must fail with a message containing `expected`. */
static void expect_usage_error(const struct w2v_command_spec *s, char **args,
                               const char *expected) {
    struct values v;
    struct w2v_parsed p;
    int status = parse(&v, &p, s, args);
    w2v_parsed_free(&p);
    if (status != -1) fail_msg("accepted, expected an error with '%s'", expected);
    if (!strstr(w2v_last_error(), expected))
        fail_msg("message '%s' lacks '%s'", w2v_last_error(), expected);
}

static void test_usage_errors(void **state) {
    (void)state;
    expect_usage_error(&spec, ARGS("-o", "x", "--frob"), "unknown option '--frob'");
    expect_usage_error(&spec, ARGS("-o", "x", "--size"), "option --size needs a value");
    expect_usage_error(&spec, ARGS("-o", "x", "--size", "0"), "invalid value for --size: '0'");
    expect_usage_error(&spec, ARGS("-o", "x", "-dim", "101"), "from 1 to 100");
    expect_usage_error(&spec, ARGS("-o", "x", "--size", "12x"), "'12x'");
    expect_usage_error(&spec, ARGS("-o", "x", "--seed", "-1"), "--seed");
    expect_usage_error(&spec, ARGS("-o", "x", "--rate", "2"), "from 0 to 1");
    expect_usage_error(&spec, ARGS("-o", "x", "--rate", "nan"), "--rate");
    expect_usage_error(&spec, ARGS("-o", "x", "--binary", "2"), "expected 0 or 1");
    expect_usage_error(&spec, ARGS("-o", "x", "--model", "glove"), "expected sg|cbow");
    expect_usage_error(&spec, ARGS("-o", "x", "--bytes", "1.5G"), "--bytes");
    expect_usage_error(&spec, ARGS("-o", "x", "--quiet=1"), "takes no value");
    expect_usage_error(&spec, ARGS("--size", "3"), "no output");
    expect_usage_error(&spec, ARGS("-o", "x", "a", "b", "c"), "unexpected argument 'c'");
    /* Another variant of the same table has no --model; without one_dash_long -size is unknown. */
    struct w2v_command_spec other = spec;
    other.variant = 2, other.one_dash_long = false;
    expect_usage_error(&other, ARGS("-o", "x", "--model", "sg"), "unknown option '--model'");
    expect_usage_error(&other, ARGS("-o", "x", "-size", "3"), "unknown option '-size'");
}

static void test_passthrough_after_double_dash(void **state) {
    (void)state;
    struct w2v_command_spec bench = spec;
    bench.passthrough = true, bench.max_positional = 0;
    struct values v;
    struct w2v_parsed p;
    assert_int_equal(parse(&v, &p, &bench, ARGS("-o", "x", "--", "--cbow-update", "mean")), 0);
    assert_int_equal(p.positional_count, 0);
    assert_int_equal(p.rest_count, 2);
    assert_string_equal(p.rest[0], "--cbow-update");
    assert_string_equal(p.rest[1], "mean");
    w2v_parsed_free(&p);
}

static void test_help_is_generated_from_the_table(void **state) {
    (void)state;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    w2v_options_help(&spec, out);
    fclose(out);
    assert_string_equal(text, "usage: test\n"
                              "group:\n"
                              "  -o, --output FILE  where\n"
                              "  --size N      dimension\n"
                              "  --seed N      seed\n"
                              "                second line\n"
                              "  --rate X      rate\n"
                              "  --binary 0|1  binary\n"
                              "  --quiet       quiet\n"
                              "  --model sg|cbow  model\n"
                              "  --bytes SIZE  size\n"
                              "  -h, --help    this text\n");
    free(text);
}

static void test_size_parsing(void **state) {
    (void)state;
    uint64_t bytes, words;
    assert_int_equal(w2v_parse_size("--size", "1G", &bytes, &words), 0);
    assert_true(bytes == (uint64_t)1 << 30 && words == 0);
    assert_int_equal(w2v_parse_size("--size", "500M", &bytes, &words), 0);
    assert_true(bytes == (uint64_t)500 << 20);
    assert_int_equal(w2v_parse_size("--size", "64k", &bytes, &words), 0);
    assert_true(bytes == 65536);
    assert_int_equal(w2v_parse_size("--size", "123456", &bytes, &words), 0);
    assert_true(bytes == 123456);
    assert_int_equal(w2v_parse_size("--size", "2000000w", &bytes, &words), 0);
    assert_true(words == 2000000 && bytes == 0);
    const char *bad[] = {"0", "0w", "", "G", "12X", "1.5G", "-1", "1GB", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (w2v_parse_size("--size", bad[i], &bytes, &words) != -1)
            fail_msg("'%s' was accepted", bad[i]);
        assert_non_null(strstr(w2v_last_error(), "--size"));
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kind_and_spelling),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_passthrough_after_double_dash),
        cmocka_unit_test(test_help_is_generated_from_the_table),
        cmocka_unit_test(test_size_parsing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
