/*
 * cmd_graph.c -- placeholder until the 'graph' command is built.
 */
#include "cli.h"

int cmd_graph(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("intake: the 'graph' command is not available yet\n", stderr);
    return EXIT_UNAVAILABLE;
}
