/*
 * cmd_export.c -- `intake export SESSION [--format ...] [--rules PACK]` and
 * `intake export --questionnaire PACK [--codes]`: load, restore and print.
 * Thin: the writers are engine/export.c; this file parses options, reports
 * errors and writes the result to stdout.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "intake/buf.h"
#include "intake/export.h"
#include "intake/interview.h"
#include "intake/rulebook.h"
#include "intake/session.h"

#include "run_session.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int fail(const ik_error *err, ik_status st)
{
    cli_print_diag(err, "error");
    return cli_exit_code(st);
}

static int print_buf(ik_buf *out)
{
    /* main says why a write failed */
    return cli_write_stdout(ik_buf_cstr(out), out->len) ? EXIT_OK : EXIT_IOERR;
}

static int export_questionnaire(const char *pack, bool codes)
{
    ik_rulebook *rb = NULL;
    ik_error err;
    ik_status st;
    ik_buf out;
    int rc;

    ik_error_clear(&err);
    if ((st = cli_load_pack(pack, &rb, &err)) != IK_OK)
        return fail(&err, st);
    ik_buf_init(&out);
    st = ik_export_questionnaire(rb, codes, &out, &err);
    rc = st == IK_OK ? print_buf(&out) : fail(&err, st);
    ik_buf_fini(&out);
    ik_rulebook_free(rb);
    return rc;
}

/* The pack to read the session with: --rules, else the file the session
 * names, else the bundled pack. */
static const char *pick_pack(const char *given, const ik_session *s, char *def,
                             size_t cap)
{
    const char *saved = ik_session_pack_file(s);

    if (given)
        return given;
    if (saved && saved[0] && access(saved, R_OK) == 0)
        return saved;
    return cli_default_pack(def, cap);
}

static int export_session(const char *path, const char *pack,
                          ik_export_format fmt)
{
    ik_session *s = NULL;
    ik_rulebook *rb = NULL;
    ik_interview *iv = NULL;
    ik_session_resume info;
    char def[4096];
    ik_error err;
    ik_status st;
    ik_buf out;
    int rc;

    ik_error_clear(&err);
    if ((st = ik_session_load_file(path, &s, &err)) != IK_OK)
        return fail(&err, st);
    if (!(pack = pick_pack(pack, s, def, sizeof def))) {
        fprintf(stderr,
                "intake export: the pack '%s' was not found; use "
                "--rules PACK\n",
                ik_session_pack_id(s));
        ik_session_free(s);
        return EXIT_NOINPUT;
    }
    if ((st = ik_rulebook_load_file(pack, &rb, &err)) != IK_OK) {
        ik_session_free(s);
        return fail(&err, st);
    }
    if (strcmp(ik_rulebook_id(rb), ik_session_pack_id(s)) != 0) {
        fprintf(stderr, "%s: error: the session is for pack '%s', not '%s'\n",
                path, ik_session_pack_id(s), ik_rulebook_id(rb));
        ik_rulebook_free(rb);
        ik_session_free(s);
        return EXIT_DATA;
    }
    st = ik_session_restore(s, rb, &iv, &info, &err);
    if (st == IK_OK && info.pack_changed)
        cli_report_dropped(s, path);
    ik_buf_init(&out);
    if (st == IK_OK)
        st = ik_export_session(s, iv, fmt, &out, &err);
    rc = st == IK_OK ? print_buf(&out) : fail(&err, st);
    ik_buf_fini(&out);
    ik_interview_free(iv);
    ik_rulebook_free(rb);
    ik_session_free(s);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    ik_export_format fmt = IK_EXPORT_JSON;
    const char *pack = NULL, *questionnaire = NULL;
    bool codes = false;
    cli_args a;
    char **ops;
    int c, n;

    cli_args_init(&a, "export", argc, argv);
    while ((c = cli_next_option(&a)) > 0) {
        const char *val = a.value;

        switch (c) {
        case 'f':
            if (!ik_export_format_find(val, &fmt))
                return cli_usage_error(
                    "export",
                    "unknown format '%s' (json, fhir, markdown, text or html)",
                    val);
            break;
        case 'r':
            pack = val;
            break;
        case 'c':
            codes = true;
            break;
        default: /* --questionnaire */
            questionnaire = val;
            break;
        }
    }
    if (c < 0)
        return a.rc;
    n = cli_operands(&a, &ops);
    if (questionnaire) {
        if (n > 0)
            return cli_usage_error("export", "unexpected argument '%s'",
                                   ops[0]);
        return export_questionnaire(questionnaire, codes);
    }
    if (codes)
        return cli_usage_error("export", "--codes goes with --questionnaire");
    if (n != 1)
        return cli_usage_error("export", n > 1 ? "one SESSION file, please"
                                               : "which SESSION file?");
    return export_session(ops[0], pack, fmt);
}
