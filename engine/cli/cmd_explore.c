/*
 * cmd_explore.c -- placeholder until the 'explore' command is built.
 */
#include "cli.h"

int cmd_explore(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("intake: the 'explore' command is not available yet\n", stderr);
    return EXIT_UNAVAILABLE;
}
