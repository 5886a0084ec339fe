/*
 * cmd_run.c -- placeholder until the 'run' command is built.
 */
#include "cli.h"

int cmd_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("intake: the 'run' command is not available yet\n", stderr);
    return EXIT_UNAVAILABLE;
}
