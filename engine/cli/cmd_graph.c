/*
 * cmd_graph.c -- `intake graph --rules PACK [--format dot|mermaid]`: load a
 * pack and print its flow graph on stdout. Thin: the drawing is
 * engine/graph.c; this file only parses options and prints.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "intake/buf.h"
#include "intake/graph.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cmd_graph(int argc, char **argv)
{
    const char *pack = NULL;
    char def[4096];
    ik_graph_format fmt = IK_GRAPH_DOT;
    ik_rulebook *rb = NULL;
    ik_error err;
    ik_buf out;
    ik_status st;
    cli_args a;
    char **ops;
    int c, n, rc = EXIT_OK;

    cli_args_init(&a, "graph", argc, argv);
    while ((c = cli_next_option(&a)) > 0) {
        if (c == 'r')
            pack = a.value;
        else if (!ik_graph_format_parse(a.value, &fmt))
            return cli_usage_error(
                "graph", "unknown format '%s' (dot or mermaid)", a.value);
    }
    if (c < 0)
        return a.rc;
    n = cli_operands(&a, &ops);
    if (n > (pack ? 0 : 1))
        return cli_usage_error("graph", "unexpected argument '%s'", ops[n - 1]);
    if (n == 1)
        pack = ops[0];
    if (!pack && !(pack = cli_default_pack(def, sizeof def))) {
        fputs("intake graph: the bundled rule pack was not found; "
              "name a PACK\n",
              stderr);
        return EXIT_NOINPUT;
    }
    ik_error_clear(&err);
    st = cli_load_pack(pack, &rb, &err);
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
