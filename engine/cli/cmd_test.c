/*
 * cmd_test.c -- `intake test [--coverage] [PACK [CASES]]`: run a rule
 * pack's test cases and print each failure with its differences, then the
 * plain line `N passed, M failed`. Thin: loading, running, comparing and
 * coverage are engine/casefile.c. It decides nothing about outcomes.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "intake/intake.h"
#include "intake/casefile.h"

#include <stdio.h>
#include <string.h>

/* The cases in path, or on stdin for -. */
static ik_status load_cases(const ik_rulebook *rb, const char *path,
                            ik_casefile **cf, ik_error *err)
{
    char *text;
    size_t len;
    ik_status st;

    if (!cli_is_stdin(path))
        return ik_casefile_load(rb, path, cf, err);
    *cf = NULL;
    st = cli_read_input(path, IK_JSON_MAX_FILE, &text, &len, err);
    if (st == IK_OK)
        st = ik_casefile_load_text(rb, text, len, CLI_STDIN_NAME, cf, err);
    ik_free(text);
    return st;
}

/* Print each failing case; returns the number that failed, or -1 on an
 * error (printed). */
/* JSON string s (n bytes) into b. */
static void put_str(ik_buf *b, const char *s, size_t n)
{
    ik_buf_put_json_string(b, s, n);
}

/* Run every case; print each failing one (text), or add it to the JSON
 * report in js (json). Returns the number that failed, or -1 on an error
 * (printed). */
static long run_all(ik_casefile *cf, const char *file, uint32_t *npassed,
                    int *rc, ik_buf *js)
{
    uint32_t i, n = ik_casefile_count(cf);
    long failed = 0;
    ik_case_result res;
    ik_error err;
    ik_status st;

    *npassed = 0;
    for (i = 0; i < n; i++) {
        const char *p, *nl;

        ik_error_clear(&err);
        st = ik_casefile_run(cf, i, &res, &err);
        if (st != IK_OK) {
            cli_print_diag(&err, "error");
            *rc = cli_exit_code(st);
            return -1;
        }
        if (res.passed) {
            (*npassed)++;
            continue;
        }
        if (js) {
            ik_buf_puts(js, failed ? ",\n  {\"id\": " : "\n  {\"id\": ");
            put_str(js, res.id, strlen(res.id));
            ik_buf_printf(js, ", \"line\": %d, \"description\": ", res.line);
            put_str(js, res.description, strlen(res.description));
            ik_buf_puts(js, ", \"differences\": [");
        } else {
            printf("FAIL %s (%s:%d)\n  %s\n", res.id, file, res.line,
                   res.description);
        }
        for (p = res.diff; *p; p = nl + 1) {
            nl = strchr(p, '\n');
            if (!js) {
                printf("  - %.*s\n", (int)(nl - p), p);
                continue;
            }
            if (p != res.diff)
                ik_buf_puts(js, ", ");
            put_str(js, p, (size_t)(nl - p));
        }
        if (js)
            ik_buf_puts(js, "]}");
        failed++;
    }
    return failed;
}

/* Print (text) or add to js (json) what no case reached; returns how many
 * items that is. */
static uint32_t report_coverage(const ik_casefile *cf, ik_buf *js)
{
    uint32_t total = 0, n, all;
    ik_buf b;
    int k;

    ik_buf_init(&b);
    if (js)
        ik_buf_puts(js, ",\n \"coverage\": {");
    else
        printf("coverage:\n");
    for (k = 0; k < IK_COV__COUNT; k++) {
        const char *kind = ik_cov_kind_name(k), *p, *q;

        ik_buf_clear(&b);
        n = ik_casefile_unreached(cf, (ik_cov_kind)k, &b);
        all = ik_casefile_cov_total(cf, (ik_cov_kind)k);
        total += n;
        if (!js) {
            printf("  %-13s %u of %u reached%s%s\n", kind, all - n, all,
                   n ? "; unreached: " : "", n ? ik_buf_cstr(&b) : "");
            continue;
        }
        ik_buf_puts(js, k ? ",\n  \"" : "\n  \"");
        for (p = kind; *p; p++) /* "red flags" -> red_flags */
            ik_buf_putc(js, *p == ' ' ? '_' : *p);
        ik_buf_printf(js,
                      "\": {\"reached\": %u, \"total\": %u, "
                      "\"unreached\": [",
                      all - n, all);
        for (p = ik_buf_cstr(&b); n && *p; p = *q ? q + 2 : q) {
            q = strstr(p, ", "); /* ids are separated by ", " */
            if (!q)
                q = p + strlen(p);
            if (p != ik_buf_cstr(&b))
                ik_buf_puts(js, ", ");
            put_str(js, p, (size_t)(q - p));
        }
        ik_buf_puts(js, "]}");
    }
    ik_buf_fini(&b);
    if (js)
        ik_buf_puts(js, "}");
    else if (total)
        printf("coverage: %u item%s no case reaches\n", total,
               total == 1 ? "" : "s");
    return total;
}

int cmd_test(int argc, char **argv)
{
    const char *pack = NULL, *cases = NULL;
    char def[4096], casebuf[4096];
    bool coverage = false, json = false;
    ik_buf js;
    ik_rulebook *rb = NULL;
    ik_casefile *cf = NULL;
    ik_error err;
    ik_status st;
    uint32_t npassed = 0;
    long nfailed;
    cli_args a;
    char **ops;
    int c, i, n, rc = EXIT_OK;

    cli_args_init(&a, "test", argc, argv);
    while ((c = cli_next_option(&a)) > 0) {
        if (c == 'c')
            coverage = true;
        else if (c == 'r')
            pack = a.value;
        else if (strcmp(a.value, "json") == 0 || strcmp(a.value, "text") == 0)
            json = strcmp(a.value, "json") == 0;
        else
            return cli_usage_error("test", "unknown format '%s' (text or json)",
                                   a.value);
    }
    if (c < 0)
        return a.rc;
    n = cli_operands(&a, &ops);
    if (n > (pack ? 1 : 2)) /* --rules PACK is the first operand */
        return cli_usage_error("test", "unexpected argument '%s'", ops[n - 1]);
    for (i = 0; i < n; i++) {
        if (!pack)
            pack = ops[i];
        else
            cases = ops[i];
    }
    if (!pack && !(pack = cli_default_pack(def, sizeof def))) {
        fputs("intake test: the bundled rule pack was not found\n", stderr);
        return EXIT_NOINPUT;
    }
    if (cases && cli_is_stdin(pack) && cli_is_stdin(cases))
        return cli_usage_error("test", "PACK and CASES cannot both be -");
    if (!cases && cli_is_stdin(pack))
        return cli_usage_error("test", "name the CASES file when PACK is -");
    if (!cases) {
        if (!cli_cases_of_pack(pack, casebuf, sizeof casebuf))
            return cli_usage_error("test", "pack path too long");
        cases = casebuf;
    }
    ik_error_clear(&err);
    st = cli_load_pack(pack, &rb, &err);
    if (st == IK_OK)
        st = load_cases(rb, cases, &cf, &err);
    if (st != IK_OK) {
        cli_print_diag(&err, "error");
        ik_rulebook_free(rb);
        return cli_exit_code(st);
    }
    ik_buf_init(&js);
    if (json) {
        ik_buf tag; /* "ID@VERSION", escaped as any string */

        ik_buf_puts(&js, "{\"pack\": ");
        ik_buf_init(&tag);
        ik_buf_printf(&tag, "%s@%s", ik_rulebook_id(rb),
                      ik_rulebook_version(rb));
        put_str(&js, ik_buf_cstr(&tag) ? ik_buf_cstr(&tag) : "", tag.len);
        ik_buf_fini(&tag);
        ik_buf_puts(&js, ", \"cases\": ");
        put_str(&js, cases, strlen(cases));
        ik_buf_puts(&js, ",\n \"failures\": [");
    }
    nfailed = run_all(cf, cases, &npassed, &rc, json ? &js : NULL);
    if (json && nfailed >= 0)
        ik_buf_puts(&js, nfailed ? "\n ]" : "]");
    if (nfailed >= 0) {
        if (coverage && report_coverage(cf, json ? &js : NULL) > 0)
            rc = EXIT_TESTS_FAILED;
        if (json)
            ik_buf_printf(&js, ",\n \"passed\": %u, \"failed\": %ld}\n",
                          npassed, nfailed);
        else
            printf("%u passed, %ld failed\n", npassed, nfailed);
        if (nfailed > 0)
            rc = EXIT_TESTS_FAILED;
    }
    if (json && nfailed >= 0 && !cli_write_buf("test", &js))
        rc = EXIT_SOFTWARE;
    ik_buf_fini(&js);
    ik_casefile_free(cf); /* main checks that stdout took the report */
    ik_rulebook_free(rb);
    return rc;
}
