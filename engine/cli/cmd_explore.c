/*
 * cmd_explore.c -- `intake explore [PACK] [--sample N] [--seed S]
 * [--max-paths N]`: walk the pack's answer paths, check its invariants and
 * print statistics and counter-examples. Thin: the walk is
 * engine/explore.c. Exit 1 when an invariant fails.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "intake/buf.h"
#include "intake/explore.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool number(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (!s[0] || s[0] == '-')
        return false;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

int cmd_explore(int argc, char **argv)
{
    ik_explore_opts eo = {0, 0, false, 1, 0};
    const char *pack = NULL;
    bool json = false;
    char def[4096];
    ik_rulebook *rb = NULL;
    ik_explore_report *rep = NULL;
    ik_error err;
    ik_buf out;
    ik_status st;
    cli_args a;
    char **ops;
    int c, n, rc;

    cli_args_init(&a, "explore", argc, argv);
    while ((c = cli_next_option(&a)) > 0) {
        const char *val = a.value;

        switch (c) {
        case 'n':
            if (!number(val, &eo.sample) || eo.sample == 0)
                return cli_usage_error("explore", "--sample needs a count");
            eo.force_sample = true;
            break;
        case 'S':
            if (!number(val, &eo.seed))
                return cli_usage_error("explore", "--seed needs a number");
            break;
        case 'm':
            if (!number(val, &eo.max_paths) || eo.max_paths == 0)
                return cli_usage_error("explore", "--max-paths needs a count");
            break;
        case 'f':
            if (strcmp(val, "json") != 0 && strcmp(val, "text") != 0)
                return cli_usage_error(
                    "explore", "unknown format '%s' (text or json)", val);
            json = strcmp(val, "json") == 0;
            break;
        default: /* --rules */
            pack = val;
            break;
        }
    }
    if (c < 0)
        return a.rc;
    n = cli_operands(&a, &ops);
    if (n > (pack ? 0 : 1))
        return cli_usage_error("explore", "unexpected argument '%s'",
                               ops[n - 1]);
    if (n == 1)
        pack = ops[0];
    if (!pack && !(pack = cli_default_pack(def, sizeof def))) {
        fputs("intake explore: the bundled rule pack was not found\n", stderr);
        return EXIT_NOINPUT;
    }
    ik_error_clear(&err);
    st = cli_load_pack(pack, &rb, &err);
    if (st != IK_OK) {
        cli_print_diag(&err, "error");
        return cli_exit_code(st);
    }
    st = ik_explore_new(rb, &eo, &rep, &err);
    if (st != IK_OK) {
        cli_print_diag(&err, "error");
        rc = cli_exit_code(st);
    } else {
        ik_buf_init(&out);
        if (json)
            ik_explore_write_json(rb, rep, &out);
        else
            ik_explore_write_text(rb, rep, &out);
        cli_write_stdout(ik_buf_cstr(&out), out.len); /* main checks */
        ik_buf_fini(&out);
        rc = ik_explore_nfailed(rb, rep) ? EXIT_TESTS_FAILED : EXIT_OK;
    }
    ik_explore_free(rep);
    ik_rulebook_free(rb);
    return rc;
}
