/*
 * cmd_sessions.c -- `intake sessions`: list saved sessions newest first
 * (started, complete or not, pack, label, file), so a nurse can pick up
 * work with `intake run --resume FILE`. Thin: finding and reading the
 * files is engine/session.c; this file only prints the table.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "session.h"

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

int cmd_sessions(int argc, char **argv)
{
    ik_session_info *infos = NULL;
    char dir[4096];
    size_t n = 0, i;
    ik_error err;
    ik_status st;
    int c;

    cli_args a;
    char **ops;

    cli_args_init(&a, "sessions", argc, argv);
    while ((c = cli_next_option(&a)) > 0)
        ;
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
