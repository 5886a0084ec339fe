/*
 * cmd_check.c -- `intake check [--strict] [--format text|json] FILE...`:
 * validate and lint rule packs, print the diagnostics the core reports
 * (compiler style on stderr, or a JSON array on stdout) and a one-line
 * summary for each clean pack. All checking is in the core (rulebook.c,
 * lint.c); this file only prints and picks the exit code.
 */
#include "cli.h"

#include "buf.h"
#include "casefile.h"
#include "rulebook.h"

#include <stdbool.h>
#include <string.h>

typedef struct check_run {
    bool json;
    bool first; /* no JSON element written yet */
    unsigned nerrors, nwarnings;
    ik_buf out; /* --format json: the array being built */
} check_run;

static const char usage[] =
    "Usage: intake check [--strict] [--format text|json] FILE...\n\n"
    "Validate and lint rule packs. Problems are printed on stderr as\n"
    "FILE:LINE:COL: error: MESSAGE (or warning:), one a line; a clean pack\n"
    "gets a one-line summary on stdout. A test-case file NAME.tests.json is\n"
    "checked against its pack NAME.json (run the cases with 'intake test').\n\n"
    "  --strict         treat warnings as errors\n"
    "  --format json    print the problems as one JSON array on stdout:\n"
    "                   [{\"file\", \"line\", \"col\", \"severity\", "
    "\"message\",\n"
    "                   \"path\"}] (path is a JSON Pointer), nothing else\n"
    "  --help           show this help\n\n"
    "Exit status: 0 clean (warnings allowed unless --strict), 65 any error,\n"
    "66 a file is missing, 74 a file cannot be read, 64 usage error. The\n"
    "language is described in docs/RULES.md.\n";

static void on_diag(const ik_diag *d, void *ctx)
{
    check_run *run = ctx;
    const char *sev = d->severity == IK_SEV_ERROR ? "error" : "warning";

    if (d->severity == IK_SEV_ERROR)
        run->nerrors++;
    else
        run->nwarnings++;
    if (!run->json) {
        cli_print_diag(&d->where, sev);
        return;
    }
    ik_buf_puts(&run->out, run->first ? "[\n  " : ",\n  ");
    run->first = false;
    ik_buf_puts(&run->out, "{\"file\": ");
    ik_buf_put_json_string(&run->out, d->where.file, strlen(d->where.file));
    ik_buf_printf(&run->out,
                  ", \"line\": %d, \"col\": %d, \"severity\": ", d->where.line,
                  d->where.col);
    ik_buf_put_json_string(&run->out, sev, strlen(sev));
    ik_buf_puts(&run->out, ", \"message\": ");
    ik_buf_put_json_string(&run->out, d->where.msg, strlen(d->where.msg));
    ik_buf_puts(&run->out, ", \"path\": ");
    ik_buf_put_json_string(&run->out, d->where.path, strlen(d->where.path));
    ik_buf_putc(&run->out, '}');
}

/* One problem the loaders report as an ik_error, as a diagnostic. */
static void report(check_run *run, const ik_error *err)
{
    ik_diag d;

    d.severity = IK_SEV_ERROR;
    d.where = *err;
    on_diag(&d, run);
}

/*
 * A test-case file NAME.tests.json is checked against its pack NAME.json:
 * every case must load (ids, types and the pack's id as `intake test`
 * reads them). Running the cases is `intake test`'s job.
 */
static ik_status check_cases(check_run *run, const char *path)
{
    char pack[4096];
    ik_rulebook *rb = NULL;
    ik_casefile *cf = NULL;
    ik_error err;
    ik_status st;

    ik_error_clear(&err);
    if (!cli_pack_of_cases(path, pack, sizeof pack)) {
        st = ik_fail(&err, IK_ELIMIT, "the file name is too long");
    } else if ((st = ik_rulebook_load_file(pack, &rb, &err)) != IK_OK) {
        ik_error why = err;

        ik_error_clear(&err);
        if (why.line > 0)
            ik_fail(&err, st, "its pack %s does not load (%s:%d:%d: %s)", pack,
                    why.file, why.line, why.col, why.msg);
        else
            ik_fail(&err, st, "its pack %s does not load (%s)", pack, why.msg);
    } else if ((st = ik_casefile_load(rb, path, &cf, &err)) == IK_OK &&
               !run->json) {
        printf("%s: ok (%u test cases for %s)\n", path, ik_casefile_count(cf),
               pack);
    }
    if (st != IK_OK) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", path);
        report(run, &err);
    }
    ik_casefile_free(cf);
    ik_rulebook_free(rb);
    return st;
}

static void summarise(const char *file, const ik_rulebook *rb,
                      unsigned warnings)
{
    printf("%s: ok", file);
    if (warnings)
        printf(", %u warning%s", warnings, warnings == 1 ? "" : "s");
    printf(" (%u questions, %u sections, %u rules, %u red flags)\n",
           rb->nquestions, rb->nsections, rb->nrules, rb->nred_flags);
}

int cmd_check(int argc, char **argv)
{
    check_run run;
    bool strict = false, missing = false, failed = false, operands = false;
    int i, nfiles = 0, other = 0; /* other: 74 or 70 when seen */

    memset(&run, 0, sizeof run);
    run.first = true;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--strict") == 0) {
            strict = true;
        } else if (strcmp(a, "--format") == 0 ||
                   strncmp(a, "--format=", 9) == 0) {
            const char *f = a[8] == '=' ? a + 9 : NULL;
            if (!f && i + 1 < argc)
                f = argv[++i];
            if (!f)
                return cli_usage_error("check", "--format needs a value");
            if (strcmp(f, "json") == 0)
                run.json = true;
            else if (strcmp(f, "text") == 0)
                run.json = false;
            else
                return cli_usage_error("check",
                                       "unknown format '%s' (text or json)", f);
        } else if (strcmp(a, "--") == 0) {
            nfiles += argc - i - 1;
            break;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("check", "unknown option '%s'", a);
        } else {
            nfiles++;
        }
    }
    if (nfiles == 0)
        return cli_usage_error("check", "no rule pack given");
    for (i = 1; i < argc; i++) {
        ik_rulebook *rb = NULL;
        unsigned errors = run.nerrors, warnings = run.nwarnings;
        ik_status st;
        if (!operands && strcmp(argv[i], "--format") == 0) {
            i++;
            continue;
        }
        if (!operands && strcmp(argv[i], "--") == 0) {
            operands = true;
            continue;
        }
        if (!operands && argv[i][0] == '-' && argv[i][1])
            continue;
        if (cli_is_cases_file(argv[i]))
            st = check_cases(&run, argv[i]);
        else
            st = ik_rulebook_check_load(argv[i], on_diag, &run, &rb);
        warnings = run.nwarnings - warnings;
        if (st == IK_ENOENT)
            missing = true;
        else if (st == IK_EIO || st == IK_ENOMEM)
            other = cli_exit_code(st);
        if (st != IK_OK || run.nerrors > errors || (strict && warnings))
            failed = true;
        else if (!run.json && rb)
            summarise(argv[i], rb, warnings);
        ik_rulebook_free(rb);
    }
    if (run.json) {
        ik_buf_puts(&run.out, run.first ? "[]\n" : "\n]\n");
        if (ik_buf_status(&run.out) != IK_OK) {
            fputs("intake check: out of memory\n", stderr);
            ik_buf_fini(&run.out);
            return EXIT_SOFTWARE;
        }
        cli_write_stdout(run.out.data, run.out.len);
        ik_buf_fini(&run.out);
    }
    if (missing)
        return EXIT_NOINPUT;
    if (other)
        return other;
    return failed ? EXIT_DATA : EXIT_OK;
}
