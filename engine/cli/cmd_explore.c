/*
 * cmd_explore.c -- `intake explore [PACK] [--sample N] [--seed S]
 * [--max-paths N]`: walk the pack's answer paths, check its invariants and
 * print statistics and counter-examples. Thin: the walk is
 * engine/explore.c. Exit 1 when an invariant fails.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "buf.h"
#include "explore.h"
#include "rulebook.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: intake explore [PACK] [--sample N] [--seed S] [--max-paths N]\n"
    "Walk the answer paths the pack's enable_when allows and check its\n"
    "invariants on each complete path. Every path is walked when there are\n"
    "at most --max-paths of them (default 100000); otherwise, or with\n"
    "--sample N, N paths (default 20000) are drawn at random from seed S\n"
    "(default 1). Prints paths per disposition and rung, sections never\n"
    "shown, and each broken invariant with counter-examples: answers\n"
    "objects that `intake run --answers FILE` replays. Exit 1 when an\n"
    "invariant fails. Without PACK, the bundled pack.\n";

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
    static const struct option opts[] = {
        {"sample", required_argument, 0, 'n'},
        {"seed", required_argument, 0, 's'},
        {"max-paths", required_argument, 0, 'm'},
        {"rules", required_argument, 0, 'r'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    ik_explore_opts eo = {0, 0, false, 1, 0};
    const char *pack = NULL;
    char def[4096];
    ik_rulebook *rb = NULL;
    ik_explore_report rep;
    ik_error err;
    ik_buf out;
    ik_status st;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "n:s:m:r:h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (!number(optarg, &eo.sample) || eo.sample == 0)
                return cli_usage_error("explore", "--sample needs a count");
            eo.force_sample = true;
            break;
        case 's':
            if (!number(optarg, &eo.seed))
                return cli_usage_error("explore", "--seed needs a number");
            break;
        case 'm':
            if (!number(optarg, &eo.max_paths) || eo.max_paths == 0)
                return cli_usage_error("explore", "--max-paths needs a count");
            break;
        case 'r':
            pack = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        default:
            return cli_usage_error("explore", "unknown option");
        }
    }
    if (optind < argc)
        pack = argv[optind++];
    if (optind < argc)
        return cli_usage_error("explore", "unexpected argument '%s'",
                               argv[optind]);
    if (!pack && !(pack = cli_default_pack(def, sizeof def))) {
        fputs("intake explore: the bundled rule pack was not found\n", stderr);
        return EXIT_NOINPUT;
    }
    ik_error_clear(&err);
    st = ik_rulebook_load_file(pack, &rb, &err);
    if (st != IK_OK) {
        cli_print_diag(&err, "error");
        return cli_exit_code(st);
    }
    st = ik_explore_run(rb, &eo, &rep, &err);
    if (st != IK_OK) {
        cli_print_diag(&err, "error");
        rc = cli_exit_code(st);
    } else {
        ik_buf_init(&out);
        ik_explore_write_text(rb, &rep, &out);
        cli_write_stdout(ik_buf_cstr(&out), out.len); /* main checks */
        ik_buf_fini(&out);
        rc = ik_explore_nfailed(rb, &rep) ? EXIT_TESTS_FAILED : EXIT_OK;
    }
    ik_explore_report_fini(&rep);
    ik_rulebook_free(rb);
    return rc;
}
