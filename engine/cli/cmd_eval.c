/*
 * cmd_eval.c -- `intake eval`: evaluate JsonLogic given on the command
 * line, or one [logic, data] array per stdin line, and print results as
 * JSON. Thin: parsing, compiling and evaluating are the core's.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "intake/logic.h"

enum { EVAL_MAX_LINE = 1024 * 1024 }; /* bytes in one --lines record */

static const char usage[] =
    "Usage: intake eval LOGIC [DATA]\n"
    "       intake eval --lines\n\n"
    "Evaluate a JsonLogic expression (json-logic-js 2.0.5 semantics) and\n"
    "print the result as JSON on one line. DATA defaults to null.\n"
    "An undefined result (for example {\"and\": []}) prints as null.\n\n"
    "  --lines   read one [logic, data] JSON array per line from stdin and\n"
    "            print one result per line; a bad line prints\n"
    "            {\"error\": \"...\"} and the rest still run\n"
    "  --help    show this help\n\n"
    "Unknown operators are errors even in branches that never run.\n"
    "Exit status: 0 success, 64 usage, 65 malformed JSON or logic.\n";

static void print_error_line(const ik_error *err)
{
    ik_buf b;
    char msg[400];

    if (err->line > 0)
        snprintf(msg, sizeof msg, "%d:%d: %s", err->line, err->col, err->msg);
    else
        snprintf(msg, sizeof msg, "%s", err->msg);
    ik_buf_init(&b);
    ik_buf_puts(&b, "{\"error\":");
    ik_buf_put_json_string(&b, msg, strlen(msg));
    ik_buf_puts(&b, "}\n");
    fputs(ik_buf_cstr(&b) ? ik_buf_cstr(&b) : "{\"error\":\"out of memory\"}\n",
          stdout);
    ik_buf_fini(&b);
}

static int run_lines(void)
{
    char *line = NULL;
    size_t n;
    int rc = EXIT_OK, got;

    while ((got = cli_read_line(stdin, EVAL_MAX_LINE + 1, &line, &n)) > 0) {
        char *res;
        ik_error err;

        ik_error_clear(&err);
        if (n > EVAL_MAX_LINE) {
            ik_fail(&err, IK_ELIMIT, "line is longer than %d bytes",
                    EVAL_MAX_LINE);
            print_error_line(&err);
        } else if (ik_logic_eval_pair(line, n, &res, &err) == IK_OK) {
            fputs(res, stdout);
            fputc('\n', stdout);
            ik_logic_free_string(res);
        } else {
            print_error_line(&err);
        }
        free(line);
        if (fflush(stdout) != 0) {
            rc = EXIT_IOERR; /* main says why */
            break;
        }
    }
    if (got < 0 || ferror(stdin)) {
        perror("intake eval: stdin");
        return EXIT_IOERR;
    }
    return rc;
}

int cmd_eval(int argc, char **argv)
{
    const char *data = NULL;
    char *res;
    ik_error err;
    ik_status st;

    if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (argc == 2 && strcmp(argv[1], "--lines") == 0)
        return run_lines();
    if (argc < 2 || argc > 3)
        return cli_usage_error("eval", "expected LOGIC [DATA] or --lines");
    if (argv[1][0] == '-' && argv[1][1] == '-')
        return cli_usage_error("eval", "unknown option '%s'", argv[1]);
    if (argc == 3)
        data = argv[2];
    ik_error_clear(&err);
    st = ik_logic_eval_json(argv[1], strlen(argv[1]), data,
                            data ? strlen(data) : 0, &res, &err);
    if (st != IK_OK) {
        cli_print_diag(&err, "error");
        return cli_exit_code(st);
    }
    puts(res);
    ik_logic_free_string(res);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_IOERR;
}
