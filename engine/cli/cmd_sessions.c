/*
 * cmd_sessions.c -- `intake sessions`: list saved sessions newest first
 * (started, complete or not, pack, label, file), so a nurse can pick up
 * work with `intake run --resume FILE`. Thin: finding and reading the
 * files is engine/session_dir.c; this file only prints the table.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "intake/buf.h"
#include "intake/session.h"

#include <stdio.h>
#include <string.h>

static void print_row(const ik_session_info *in)
{
    char when[21];
    const char *status = in->damaged    ? "DAMAGED"
                         : in->complete ? "complete"
                                        : "in progress";

    ik_time_format(in->started, when);
    when[16] = '\0'; /* minutes are enough */
    when[10] = ' ';
    printf("%-16s  %-11s  %-28s  %-16s  %s\n", when, status,
           in->damaged ? "-" : in->pack,
           in->label[0] ? in->label : (in->damaged ? "-" : in->audience),
           in->path);
}

static void json_str(ik_buf *b, const char *key, const char *s)
{
    ik_buf_printf(b, ", \"%s\": ", key);
    ik_buf_put_json_string(b, s, strlen(s));
}

/* --format json: one array, newest first (docs/schemas/sessions.schema
 * .json); a damaged file has only its file and the error. */
static int print_json(const ik_session_info *infos, size_t n)
{
    ik_buf b;
    char when[21];
    size_t i;
    int rc;

    ik_buf_init(&b);
    ik_buf_putc(&b, '[');
    for (i = 0; i < n; i++) {
        const ik_session_info *in = &infos[i];

        ik_buf_puts(&b, i ? ",\n {\"file\": " : "\n {\"file\": ");
        ik_buf_put_json_string(&b, in->path, strlen(in->path));
        if (in->damaged) {
            ik_buf_puts(&b, ", \"status\": \"damaged\"");
            json_str(&b, "error", in->err.msg);
            ik_buf_printf(&b, ", \"line\": %d, \"col\": %d}", in->err.line,
                          in->err.col);
            continue;
        }
        ik_buf_printf(&b, ", \"status\": \"%s\"",
                      in->complete ? "complete" : "in progress");
        json_str(&b, "pack", in->pack);
        json_str(&b, "audience", in->audience);
        if (in->label[0])
            json_str(&b, "label", in->label);
        else
            ik_buf_puts(&b, ", \"label\": null");
        ik_time_format(in->started, when);
        json_str(&b, "started", when);
        ik_time_format(in->updated, when);
        json_str(&b, "updated", when);
        ik_buf_putc(&b, '}');
    }
    ik_buf_puts(&b, n ? "\n]\n" : "]\n");
    rc = cli_write_buf("sessions", &b) ? EXIT_OK : EXIT_SOFTWARE;
    ik_buf_fini(&b);
    return rc;
}

int cmd_sessions(int argc, char **argv)
{
    ik_session_info *infos = NULL;
    char dir[4096];
    size_t n = 0, i;
    ik_error err;
    ik_status st;
    int c, rc;
    bool json = false;
    cli_args a;
    char **ops;

    cli_args_init(&a, "sessions", argc, argv);
    while ((c = cli_next_option(&a)) > 0) { /* --format */
        if (strcmp(a.value, "json") != 0 && strcmp(a.value, "text") != 0)
            return cli_usage_error(
                "sessions", "unknown format '%s' (text or json)", a.value);
        json = strcmp(a.value, "json") == 0;
    }
    if (c < 0)
        return a.rc;
    if (cli_operands(&a, &ops) > 0)
        return cli_usage_error("sessions", "unexpected argument '%s'", ops[0]);
    ik_error_clear(&err);
    if ((st = ik_session_dir(dir, sizeof dir, false, &err)) != IK_OK ||
        (st = ik_session_list(dir, &infos, &n, &err)) != IK_OK) {
        cli_print_diag(&err, "error");
        return cli_exit_code(st);
    }
    if (json) {
        rc = print_json(infos, n);
        ik_session_free_infos(infos);
        return rc;
    }
    if (n == 0) {
        printf("No saved sessions in %s\n", dir);
        return EXIT_OK;
    }
    printf("%-16s  %-11s  %-28s  %-16s  %s\n", "STARTED (UTC)", "STATUS",
           "PACK", "LABEL", "FILE");
    for (i = 0; i < n; i++)
        print_row(&infos[i]);
    for (i = 0; i < n; i++)
        if (infos[i].damaged)
            cli_print_diag(&infos[i].err, "warning");
    ik_session_free_infos(infos);
    return EXIT_OK; /* main checks that stdout took it */
}
