/*
 * cmd_sessions.c -- placeholder until the 'sessions' command is built.
 */
#include "cli.h"

int cmd_sessions(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("intake: the 'sessions' command is not available yet\n", stderr);
    return EXIT_UNAVAILABLE;
}
