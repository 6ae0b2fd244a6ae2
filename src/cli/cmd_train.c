/* cmd_train.c — placeholder until the trainer lands (this commit is the skeleton). */
#include "commands.h"

#include <stdio.h>

int w2v_cmd_train(int argc, char **argv) {
    (void)argc, (void)argv;
    fprintf(stderr, "w2v: train is not built yet\n");
    return 1;
}
