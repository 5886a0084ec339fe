/*
 * cmd_batch.c -- placeholder until the 'batch' command is built.
 */
#include "cli.h"

int cmd_batch(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("intake: the 'batch' command is not available yet\n", stderr);
    return EXIT_UNAVAILABLE;
}
