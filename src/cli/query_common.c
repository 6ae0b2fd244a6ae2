/* query_common.c — option parsing, output and the stdin loop shared by
 * `w2v neighbours` and `w2v analogy`. */
#include "query_common.h"

#include "args.h"

#include "w2v/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int query_parse_args(int argc, char **argv, struct query_args *a, void (*usage)(void),
                     bool analogy) {
    a->k = 10;
    a->words = calloc((size_t)argc, sizeof(char *));
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            usage();
            return -1;
        } else if (strcmp(arg, "-k") == 0 || strcmp(arg, "--top") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "w2v: %s: %s needs a value\n", a->command, arg);
                return 2;
            }
            if (w2v_parse_u32(arg, argv[++i], 1, 100000, &a->k) != 0) return w2v_report_error();
        } else if (strcmp(arg, "--restrict") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "w2v: %s: --restrict needs a value\n", a->command);
                return 2;
            }
            if (w2v_parse_u64(arg, argv[++i], 0, UINT64_MAX / 2, &a->restrict_vocab) != 0)
                return w2v_report_error();
        } else if (strcmp(arg, "--case-sensitive") == 0) {
            a->case_sensitive = true;
        } else if (analogy && strcmp(arg, "--method") == 0) {
            const char *m = i + 1 < argc ? argv[++i] : "";
            if (strcmp(m, "add") == 0 || strcmp(m, "mul") == 0) {
                a->mul = strcmp(m, "mul") == 0;
            } else {
                fprintf(stderr, "w2v: invalid value for --method: '%s' (expected add or mul)\n", m);
                return 2;
            }
        } else if (arg[0] == '-' && arg[1] != '\0') {
            fprintf(stderr, "w2v: %s: unknown option '%s' (try 'w2v %s --help')\n", a->command, arg,
                    a->command);
            return 2;
        } else if (!a->vectors_path) {
            a->vectors_path = arg;
        } else {
            a->words[a->word_count++] = argv[i];
        }
    }
    if (!a->vectors_path) {
        fprintf(stderr, "w2v: %s: no VECTORS file given (try 'w2v %s --help')\n", a->command,
                a->command);
        return 2;
    }
    return 0;
}

void query_print_results(const struct w2v_search *search, const uint64_t *rows, const float *scores,
                         size_t n) {
    for (size_t i = 0; i < n; i++)
        printf("  %-30s %8.4f\n", search->vectors->words[rows[i]], scores[i]);
}

int query_interactive(const char *prompt,
                      int (*answer)(const struct w2v_search *, const struct query_args *,
                                    char **words, int count),
                      const struct w2v_search *search, const struct query_args *a) {
    bool tty = isatty(STDIN_FILENO);
    char *line = NULL;
    size_t capacity = 0;
    for (;;) {
        if (tty) {
            printf("%s", prompt);
            fflush(stdout);
        }
        if (getline(&line, &capacity, stdin) < 0) break;
        char *words[64];
        int count = 0;
        for (char *tok = strtok(line, " \t\r\n"); tok && count < 64; tok = strtok(NULL, " \t\r\n"))
            words[count++] = tok;
        if (count == 0) continue;
        if (answer(search, a, words, count) != 0) fprintf(stderr, "w2v: %s\n", w2v_last_error());
        fflush(stdout);
    }
    if (tty) printf("\n");
    free(line);
    return 0;
}
