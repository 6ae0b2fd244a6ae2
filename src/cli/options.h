/* options.h — one table-driven parser for every subcommand's command line.
 *
 * A command describes its options in one static table of struct w2v_option:
 * the spellings, the kind of value, where the value is stored (an offset into
 * the command's own values struct) and the help line. The same table drives
 * parsing, range checks and the options part of `--help`, so the help can never
 * list a flag the parser does not know.
 *
 * Spellings: every name in `names` and `also` is accepted as written ("--size",
 * "-o"), with its value in the next argument or after '=' ("--size=100"). A
 * spec with `one_dash_long` also takes every long name with one dash, as
 * word2vec.c writes them ("-train", "-size 100"). "-h" and "--help" print the
 * help on stdout for every command.
 *
 * Exit codes, the same for every command: a usage error (unknown option,
 * missing value, a value that does not parse or is out of range, a bad choice,
 * a missing required option or positional argument, an extra argument) exits 2;
 * a runtime error (a file that cannot be read or written, bad file contents, a
 * training failure) exits 1. Each prints one line "w2v: ..." on stderr. */
#ifndef W2V_CLI_OPTIONS_H
#define W2V_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum w2v_option_kind {
    W2V_OPT_END = 0, /* ends the table */
    W2V_OPT_TEXT,    /* not an option: `help` is printed as is (a heading, a note) */
    W2V_OPT_HELP,    /* -h/--help's own help line (both are accepted without it too) */
    W2V_OPT_FLAG,    /* no value: sets a bool to true */
    W2V_OPT_STRING,  /* const char *: the argument itself */
    W2V_OPT_U32,     /* uint32_t in [min, max] */
    W2V_OPT_U64,     /* uint64_t in [min, max] */
    W2V_OPT_DOUBLE,  /* double in [dmin, dmax] */
    W2V_OPT_BOOL,    /* bool: 0|1 (also false|true, no|yes, off|on) */
    W2V_OPT_CHOICE,  /* int or enum: the value of the matching name in `choices` */
    W2V_OPT_SIZE,    /* struct w2v_size_arg: 1G, 500M, 64K, 123456 (bytes) or 2000000w (words) */
    W2V_OPT_CUSTOM,  /* parse(flag, text, values): anything else */
};

struct w2v_option_choice {
    const char *name;
    int value;
};

/* A size as the SIZE kind stores it: exactly one of the two is non-zero. */
struct w2v_size_arg {
    uint64_t bytes;
    uint64_t words;
};

struct w2v_option {
    enum w2v_option_kind kind;
    const char *names; /* shown in the help, ", "-separated: "--size", "-o, --output" */
    const char *also;  /* also accepted, not shown, space-separated: "--dim" */
    const char *arg;   /* the value's name in the help: "N", "FILE", "sg|cbow" */
    size_t offset;     /* where the value goes: offsetof(the command's values struct, field) */
    uint64_t min, max; /* U32, U64: the range; max 0 means the type's maximum */
    double dmin, dmax; /* DOUBLE: the range; both 0 means any finite number */
    const struct w2v_option_choice *choices; /* CHOICE: ends with {NULL, 0} */
    /* CUSTOM: parses `text` into the values struct; -1 with w2v_error if it is bad. */
    int (*parse)(const char *flag, const char *text, void *values);
    const char *missing; /* non-NULL: the option is required; the message when it is absent */
    unsigned variants;   /* 0: every variant of the command; else those whose bit is set
                          * (in the help too: a spec shows what its `variant` bits select) */
    const char *help;    /* may span lines ('\n'); NULL: accepted but not listed */
};

struct w2v_command_spec {
    const char *program; /* "w2v" (default) or "w2v-bench", for messages */
    const char *name;    /* "train", "eval analogy": "see 'w2v train --help'" */
    const char *usage;   /* printed before the options: usage line(s) and prose */
    const struct w2v_option *options;
    const char *epilogue; /* printed after the options, or NULL */
    int column;           /* where help text starts (default 24) */
    bool one_dash_long;   /* every --name is also -name (word2vec.c's spelling) */
    unsigned variant;     /* the bit this command's options must have (when they have any) */
    int min_positional;
    int max_positional;             /* -1: any number */
    const char *missing_positional; /* the message when there are fewer than min_positional */
    bool passthrough;               /* "--" ends the options; what follows goes to `rest` */
};

enum { W2V_OPTIONS_MAX = 96 };

struct w2v_parsed {
    char **positional; /* in order; free with w2v_parsed_free */
    int positional_count;
    char **rest; /* after "--" (passthrough specs) */
    int rest_count;
    bool given[W2V_OPTIONS_MAX]; /* given[i]: options[i] was on the command line */
};

/* Parses argv (argv[0] is the command's name) into `values`, whose fields keep
 * their defaults unless an option sets them. Returns 0; 1 after printing the
 * help on stdout; or -1 on a usage error (w2v_error set). */
int w2v_options_parse(const struct w2v_command_spec *spec, int argc, char **argv, void *values,
                      struct w2v_parsed *parsed);
void w2v_parsed_free(struct w2v_parsed *parsed);

/* Whether the option spelt `name` (any of its spellings) was given. */
bool w2v_option_given(const struct w2v_command_spec *spec, const struct w2v_parsed *parsed,
                      const char *name);

/* Prints the help: usage, the options from the table, the epilogue. */
void w2v_options_help(const struct w2v_command_spec *spec, FILE *out);

/* The exit status for a parse result that stops the command: 0 after help,
 * 2 after printing the usage error. */
int w2v_options_stop(int parsed);

/* Prints "w2v: <last error>" on stderr (escaped as below); returns 2 (a usage error). */
int w2v_usage_error(void);

/* Prints "w2v: <last error>" on stderr (escaped as below); returns 1 (a runtime error). */
int w2v_report_error(void);

/* Writes `text` with its control bytes as \xNN (C0, DEL, and the C1 controls
 * as UTF-8 encodes them), so a word read from a file can never drive the
 * terminal. Returns the columns written (UTF-8 sequences count one). */
size_t w2v_print_escaped(FILE *out, const char *text);

/* The value parsers behind the kinds, for CUSTOM parsers: -1 with a message
 * "invalid value for FLAG: 'TEXT' (expected ...)" unless the whole text is an
 * integer in [min, max] / a boolean (0|1, false|true, no|yes, off|on). */
int w2v_parse_u64(const char *flag, const char *text, uint64_t min, uint64_t max, uint64_t *out);
int w2v_parse_bool(const char *flag, const char *text, bool *out);

/* A size as written on a command line: "1G", "500M", "64K", "123456" (bytes;
 * K/M/G are powers of 1024, either case) or "2000000w" (words). Sets exactly
 * one of *bytes and *words to the (non-zero) size and the other to 0. Returns
 * -1 with a w2v_error message naming `flag` otherwise. */
int w2v_parse_size(const char *flag, const char *text, uint64_t *bytes, uint64_t *words);

#endif
