/*
 * cmd_graph.c -- `intake graph --rules PACK [--format dot|mermaid]`: load a
 * pack and print its flow graph on stdout. Thin: the drawing is
 * engine/graph.c; this file only parses options and prints.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "buf.h"
#include "graph.h"
#include "rulebook.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "Usage: intake graph [--rules PACK] [--format dot|mermaid]\n"
    "Print the flow of a rule pack (questions, enable_when dependencies,\n"
    "red flags, the ladder, rules and sections) as Graphviz dot (default)\n"
    "or Mermaid. Without --rules, the bundled pack.\n"
    "  dot:     intake graph --format dot | dot -Tsvg > flow.svg\n";

int cmd_graph(int argc, char **argv)
{
    static const struct option opts[] = {{"rules", required_argument, 0, 'r'},
                                         {"format", required_argument, 0, 'f'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *pack = NULL;
    char def[4096];
    ik_graph_format fmt = IK_GRAPH_DOT;
    ik_rulebook *rb = NULL;
    ik_error err;
    ik_buf out;
    ik_status st;
    int c, rc = EXIT_OK;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+r:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            pack = optarg;
            break;
        case 'f':
            if (!ik_graph_format_parse(optarg, &fmt))
                return cli_usage_error(
                    "graph", "unknown format '%s' (dot or mermaid)", optarg);
            break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        default:
            return cli_usage_error("graph", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("graph", "unexpected argument '%s'",
                               argv[optind]);
    if (!pack && !(pack = cli_default_pack(def, sizeof def))) {
        fputs("intake graph: the bundled rule pack was not found; "
              "use --rules PACK\n",
              stderr);
        return EXIT_NOINPUT;
    }
    ik_error_clear(&err);
    st = ik_rulebook_load_file(pack, &rb, &err);
    if (st != IK_OK) {
        cli_print_diag(&err, "error");
        return cli_exit_code(st);
    }
    ik_buf_init(&out);
    st = ik_graph_write(rb, fmt, &out, &err);
    if (st != IK_OK) {
        cli_print_diag(&err, "error");
        rc = cli_exit_code(st);
    } else if (!cli_write_stdout(ik_buf_cstr(&out), out.len)) {
        rc = EXIT_IOERR; /* main says why */
    }
    ik_buf_fini(&out);
    ik_rulebook_free(rb);
    return rc;
}
