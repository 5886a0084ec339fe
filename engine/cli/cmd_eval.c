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

#include "intake/buf.h"
#include "intake/logic.h"

enum { EVAL_MAX_LINE = 1024 * 1024 }; /* bytes in one --lines record */

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
    bool lines = false;
    cli_args a;
    char **ops, *res;
    ik_error err;
    ik_status st;
    int c, n;

    cli_args_init(&a, "eval", argc, argv);
    while ((c = cli_next_option(&a)) > 0)
        lines = true; /* --lines */
    if (c < 0)
        return a.rc;
    n = cli_operands(&a, &ops);
    if (lines && n == 0)
        return run_lines();
    if (lines || n < 1 || n > 2)
        return cli_usage_error("eval", "expected LOGIC [DATA] or --lines");
    if (n == 2)
        data = ops[1];
    ik_error_clear(&err);
    st = ik_logic_eval_json(ops[0], strlen(ops[0]), data,
                            data ? strlen(data) : 0, &res, &err);
    if (st != IK_OK) {
        cli_print_diag(&err, "error");
        return cli_exit_code(st);
    }
    puts(res);
    ik_logic_free_string(res);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_IOERR;
}
