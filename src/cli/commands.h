/* commands.h — the subcommands of the w2v program, one src/cli/cmd_*.c each.
 *
 * Each takes the arguments after its own name (argv[0] is the subcommand) and
 * returns the process exit status. */
#ifndef W2V_CLI_COMMANDS_H
#define W2V_CLI_COMMANDS_H

int w2v_cmd_train(int argc, char **argv);
/* A word2vec.c command line with no subcommand: `w2v train` with word2vec.c's defaults. */
int w2v_cmd_word2vec(int argc, char **argv);
int w2v_cmd_gradcheck(int argc, char **argv);
int w2v_cmd_demo(int argc, char **argv);
int w2v_cmd_eval(int argc, char **argv);
int w2v_cmd_analogy(int argc, char **argv);
int w2v_cmd_gen_corpus(int argc, char **argv);
int w2v_cmd_neighbours(int argc, char **argv);
int w2v_cmd_similarity(int argc, char **argv);
int w2v_cmd_odd_one_out(int argc, char **argv);
int w2v_cmd_convert(int argc, char **argv);
int w2v_cmd_plot(int argc, char **argv);
int w2v_cmd_phrases(int argc, char **argv);
int w2v_cmd_classes(int argc, char **argv);
int w2v_cmd_prepare(int argc, char **argv);
int w2v_cmd_tune(int argc, char **argv);

#endif
