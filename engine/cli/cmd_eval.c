/*
 * cmd_eval.c -- placeholder until the 'eval' command is built.
 */
#include "cli.h"

int cmd_eval(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("intake: the 'eval' command is not available yet\n", stderr);
    return EXIT_UNAVAILABLE;
}
