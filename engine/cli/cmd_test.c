/*
 * cmd_test.c -- placeholder until the 'test' command is built.
 */
#include "cli.h"

int cmd_test(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("intake: the 'test' command is not available yet\n", stderr);
    return EXIT_UNAVAILABLE;
}
