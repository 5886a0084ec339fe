/*
 * cmd_export.c -- placeholder until the 'export' command is built.
 */
#include "cli.h"

int cmd_export(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("intake: the 'export' command is not available yet\n", stderr);
    return EXIT_UNAVAILABLE;
}
