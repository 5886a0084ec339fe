/*
 * cmd_check.c -- placeholder until the 'check' command is built.
 */
#include "cli.h"

int cmd_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("intake: the 'check' command is not available yet\n", stderr);
    return EXIT_UNAVAILABLE;
}
