/*
 * cmd_check.c -- `intake check [--strict] [--format text|json] FILE...`:
 * validate and lint rule packs, print the diagnostics the core reports
 * (compiler style on stderr, or a JSON array on stdout) and a one-line
 * summary for each clean pack. All checking is in the core (rulebook.c,
 * lint.c); this file only prints and picks the exit code.
 */
#include "cli.h"

#include "intake/intake.h"
#include "intake/casefile.h"
#include "intake/export.h"

#include <stdbool.h>
#include <string.h>

typedef struct check_run {
    bool json;
    bool strict; /* --strict: IK_SEV_STRICT diagnostics count as warnings */
    bool first;  /* no JSON element written yet */
    unsigned nerrors, nwarnings;
    ik_buf out; /* --format json: the array being built */
} check_run;

static void on_diag(const ik_diag *d, void *ctx)
{
    check_run *run = ctx;
    const char *sev = d->severity == IK_SEV_ERROR ? "error" : "warning";

    if (d->severity == IK_SEV_STRICT && !run->strict)
        return;
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

/* A condition that FHIR form renderers could not run (the Questionnaire
 * export refuses it): a warning, an error under --strict. */
static void check_fhir(check_run *run, const ik_rulebook *rb)
{
    ik_buf q;
    ik_error err;
    ik_diag d;

    ik_buf_init(&q);
    ik_error_clear(&err);
    if (ik_export_questionnaire(rb, false, &q, &err) == IK_ELOGIC) {
        d.severity = IK_SEV_WARNING;
        d.where = err;
        on_diag(&d, run);
    }
    ik_buf_fini(&q);
}

static void summarise(const char *file, const ik_rulebook *rb,
                      unsigned warnings)
{
    char safe[1024];

    printf("%s: ok", cli_safe(file, safe, sizeof safe));
    if (warnings)
        printf(", %u warning%s", warnings, warnings == 1 ? "" : "s");
    printf(" (%u questions, %u sections, %u rules, %u red flags)\n",
           ik_rulebook_nquestions(rb), ik_rulebook_nsections(rb),
           ik_rulebook_nrules(rb), ik_rulebook_nred_flags(rb));
}

/* `intake check -`: the pack on standard input. */
static ik_status check_stdin(check_run *run, ik_rulebook **rb)
{
    char *text;
    size_t len;
    ik_error err;
    ik_status st;

    ik_error_clear(&err);
    st = cli_read_input("-", IK_JSON_MAX_FILE, &text, &len, &err);
    if (st == IK_OK)
        st =
            ik_rulebook_check_text(text, len, CLI_STDIN_NAME, on_diag, run, rb);
    else
        report(run, &err);
    ik_free(text);
    return st;
}

/* Check one pack or test-case file; updates the run's outcome flags. */
static void check_one(check_run *run, const char *file, bool strict,
                      bool *missing, bool *failed, int *other)
{
    ik_rulebook *rb = NULL;
    unsigned errors = run->nerrors, warnings = run->nwarnings;
    ik_status st;

    if (cli_is_cases_file(file))
        st = check_cases(run, file);
    else if (cli_is_stdin(file))
        st = check_stdin(run, &rb);
    else
        st = ik_rulebook_check_load(file, on_diag, run, &rb);
    if (st == IK_OK && rb)
        check_fhir(run, rb);
    warnings = run->nwarnings - warnings;
    if (st == IK_ENOENT)
        *missing = true;
    else if (st == IK_EIO || st == IK_ENOMEM)
        *other = cli_exit_code(st);
    if (st != IK_OK || run->nerrors > errors || (strict && warnings))
        *failed = true;
    else if (!run->json && rb)
        summarise(cli_is_stdin(file) ? CLI_STDIN_NAME : file, rb, warnings);
    ik_rulebook_free(rb);
}

int cmd_check(int argc, char **argv)
{
    check_run run;
    bool strict = false, missing = false, failed = false;
    int i, c, n, nrules = 0, other = 0; /* other: 74 or 70 when seen */
    const char *rules[CLI_MAX_PACKS];
    cli_args a;
    char **ops;

    memset(&run, 0, sizeof run);
    run.first = true;
    cli_args_init(&a, "check", argc, argv);
    while ((c = cli_next_option(&a)) > 0) {
        if (c == 's') {
            strict = run.strict = true;
        } else if (c == 'r') {
            if (nrules == CLI_MAX_PACKS)
                return cli_usage_error("check", "at most %d --rules",
                                       CLI_MAX_PACKS);
            rules[nrules++] = a.value;
        } else if (strcmp(a.value, "json") == 0) {
            run.json = true;
        } else if (strcmp(a.value, "text") == 0) {
            run.json = false;
        } else {
            return cli_usage_error(
                "check", "unknown format '%s' (text or json)", a.value);
        }
    }
    if (c < 0)
        return a.rc;
    n = cli_operands(&a, &ops);
    if (n + nrules == 0)
        return cli_usage_error("check", "no rule pack given");
    for (i = 0; i < nrules; i++)
        check_one(&run, rules[i], strict, &missing, &failed, &other);
    for (i = 0; i < n; i++)
        check_one(&run, ops[i], strict, &missing, &failed, &other);
    if (run.json) {
        ik_buf_puts(&run.out, run.first ? "[]\n" : "\n]\n");
        bool ok = cli_write_buf("check", &run.out);

        ik_buf_fini(&run.out);
        if (!ok)
            return EXIT_SOFTWARE;
    }
    if (missing)
        return EXIT_NOINPUT;
    if (other)
        return other;
    return failed ? EXIT_DATA : EXIT_OK;
}
