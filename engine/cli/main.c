/*
 * main.c -- the intake program: dispatch to a command (the table is
 * commands.c), --version, exit codes and diagnostics. Each command lives
 * in its own cmd_*.c file.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "config.h"
#include "intake/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_exit_code(ik_status st)
{
    switch (st) {
    case IK_OK:
        return EXIT_OK;
    case IK_ENOENT:
        return EXIT_NOINPUT;
    case IK_EIO:
        return EXIT_IOERR;
    case IK_ENOMEM:
    case IK_EMISUSE:
        return EXIT_SOFTWARE;
    case IK_ESYNTAX:
    case IK_ERULES:
    case IK_ELOGIC:
    case IK_EANSWER:
    case IK_ESESSION:
    case IK_ELIMIT:
    case IK_STATUS__COUNT:
        break;
    }
    return EXIT_DATA;
}

const char *cli_safe(const char *s, char *buf, size_t cap)
{
    ik_utf8_escape(buf, cap, s);
    return buf;
}

void cli_print_diag(const ik_error *err, const char *kind)
{
    char file[4 * sizeof err->file];

    cli_safe(err->file, file, sizeof file);
    if (err->file[0] && err->line > 0)
        fprintf(stderr, "%s:%d:%d: ", file, err->line, err->col);
    else if (err->file[0])
        fprintf(stderr, "%s: ", file);
    else if (err->line > 0)
        fprintf(stderr, "%d:%d: ", err->line, err->col);
    else
        fputs("intake: ", stderr);
    fprintf(stderr, "%s: %s\n", kind, err->msg);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "intake%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'intake %s%s--help' for more information.\n",
            cmd ? cmd : "", cmd ? " " : "");
    return EXIT_USAGE;
}

static const char *program = "intake";

const char *cli_program(void)
{
    return program;
}

static int readable(const char *path)
{
    return access(path, R_OK) == 0;
}

/*
 * The bundled pack: $INTAKE_RULES_DIR (an override) if set; else beside
 * the program as installed (BINDIR/../share/intake/rules, found from
 * /proc/self/exe, so a moved install still finds its own packs); else,
 * only for a program run from its build folder (CMakeCache.txt beside
 * it), the source tree's rules/. An installed program never reads the
 * source tree it was built from.
 */
const char *cli_default_pack(char *buf, size_t cap)
{
    const char *env = getenv("INTAKE_RULES_DIR");
    char exe[4096], probe[4200];
    ssize_t n;
    char *slash;

    if (env && env[0]) {
        snprintf(buf, cap, "%s/%s", env, IK_DEFAULT_PACK);
        return readable(buf) ? buf : NULL;
    }
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    if (!(slash = strrchr(exe, '/')))
        return NULL;
    *slash = '\0';
    snprintf(buf, cap, "%s/%s/%s", exe, IK_REL_RULESDIR, IK_DEFAULT_PACK);
    if (readable(buf))
        return buf;
    snprintf(probe, sizeof probe, "%s/CMakeCache.txt", exe);
    if (readable(probe)) {
        snprintf(buf, cap, "%s/%s", IK_SOURCE_RULESDIR, IK_DEFAULT_PACK);
        if (readable(buf))
            return buf;
    }
    return NULL;
}

static void print_version(void)
{
    printf("intake %s\n"
           "Copyright (C) 2026 the intake authors.\n"
           "License GPLv3+: GNU GPL version 3 or later "
           "<https://gnu.org/licenses/gpl.html>.\n"
           "This is free software: you are free to change and redistribute "
           "it.\nThere is NO WARRANTY, to the extent permitted by law.\n",
           IK_VERSION);
}

/* ---- Standard output: one check for every command ---- */

static int stdout_errno; /* why the first failed write failed; 0: none */

bool cli_write_stdout(const void *p, size_t n)
{
    if (n == 0 || fwrite(p, 1, n, stdout) == n)
        return true;
    if (!stdout_errno)
        stdout_errno = errno ? errno : EIO;
    return false;
}

/*
 * A closed standard descriptor would be the next open()'s: a session file
 * opened for writing could then receive the screens or the diagnostics.
 * Hold each closed one on /dev/null, opened the other way (so a write to
 * a closed stdout still fails, with EBADF, as it would have).
 */
static void hold_closed_std_fds(void)
{
    int fd;

    /* In order, so the lowest free descriptor open() takes is fd itself. */
    for (fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
            open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY) < 0)
            return;
}

/*
 * Every command ends here: whatever it wrote to stdout is flushed, and a
 * write that failed at any point (full disk, closed stdout, /dev/full) is
 * "intake CMD: stdout: REASON" and exit 74, whatever the command returned.
 */
static int finish(const char *name, int rc)
{
    bool failed = ferror(stdout) != 0;
    int e = stdout_errno;

    if (fflush(stdout) != 0) {
        failed = true;
        if (!e)
            e = errno;
    }
    if (!failed)
        return rc;
    if (!e && write(STDOUT_FILENO, "", 0) < 0)
        e = errno; /* a device or a closed descriptor says why again */
    fprintf(stderr, "intake%s%s: stdout: %s\n", name ? " " : "",
            name ? name : "", e ? strerror(e) : "write error");
    return EXIT_IOERR;
}

int main(int argc, char **argv)
{
    const cli_command *cmd;
    const char *near;
    static char run_name[] = "run";

    hold_closed_std_fds();
    if (argc > 0 && argv[0] && argv[0][0])
        program = argv[0]; /* as typed: build/intake, intake, ... */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C"); /* our strtod must read "37.5" everywhere */
    if (argc >= 2 &&
        (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        cli_print_help();
        return finish(NULL, EXIT_OK);
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        print_version();
        return finish(NULL, EXIT_OK);
    }
    if (argc < 2 || argv[1][0] == '-' ||
        (!cli_find_command(argv[1]) && strchr(argv[1], '/'))) {
        /* No command: the interview, with any options given (or a PACK
         * path first: `intake rules/x.json`, as `intake [run] [PACK]`). */
        argv[0] = run_name;
        return finish(run_name, cmd_run(argc, argv));
    }
    cmd = cli_find_command(argv[1]);
    if (!cmd && (near = cli_suggest_command(argv[1])))
        return cli_usage_error(NULL,
                               "unknown command '%s' (did you mean "
                               "'%s'?)",
                               argv[1], near);
    if (!cmd)
        return cli_usage_error(NULL, "unknown command '%s'", argv[1]);
    return finish(cmd->name, cmd->run(argc - 1, argv + 1));
}
