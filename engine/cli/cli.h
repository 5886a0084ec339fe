/*
 * cli.h -- what the subcommands of the intake program share: the command
 * table entries, exit codes, and the diagnostic printer. Only engine/cli/
 * includes this; the core never prints.
 */
#ifndef IK_CLI_H
#define IK_CLI_H

#include "intake/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* sysexits, as DESIGN.md fixes them */
enum {
    EXIT_OK = 0,
    EXIT_TESTS_FAILED = 1,
    EXIT_USAGE = 64,
    EXIT_DATA = 65,
    EXIT_NOINPUT = 66,
    EXIT_UNAVAILABLE = 69,
    EXIT_SOFTWARE = 70,
    EXIT_IOERR = 74,
    EXIT_INTERRUPTED = 130
};

/* Each subcommand: argv[0] is the subcommand's name. Returns an exit code. */
int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_sessions(int argc, char **argv);
int cmd_explore(int argc, char **argv);

/*
 * Write n bytes to stdout. False when the write failed: the command may
 * stop writing, and main reports it once for every command at exit
 * ("intake CMD: stdout: REASON", exit 74), so no command prints it.
 */
bool cli_write_stdout(const void *p, size_t n);

/* The program as it was invoked (argv[0]: "build/intake", "intake", an
 * absolute path), for commands printed for the user to run next. */
const char *cli_program(void);

/* The exit code for a status (one table for every command). */
int cli_exit_code(ik_status st);

/* Print `FILE:LINE:COL: error: MESSAGE` (parts that are unknown are left
 * out) on stderr. kind is "error" or "warning". */
void cli_print_diag(const ik_error *err, const char *kind);

/* A usage error: "intake CMD: MESSAGE" and a hint on stderr; returns 64. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Path of the bundled Failed Back Syndrome pack: next to the build tree's
 * source (development), else the installed data directory. Writes into
 * buf; returns buf, or NULL when neither exists.
 */
const char *cli_default_pack(char *buf, size_t cap);

/*
 * Test-case files (packfiles.c): a pack rules/NAME.json keeps its cases
 * in rules/NAME.tests.json. cli_is_cases_file: does path name one?
 * cli_cases_of_pack / cli_pack_of_cases write the other name into buf;
 * false when it does not fit (or path is not a case file).
 */
bool cli_is_cases_file(const char *path);
bool cli_cases_of_pack(const char *pack, char *buf, size_t cap);
bool cli_pack_of_cases(const char *cases, char *buf, size_t cap);

/*
 * Read one line from f, keeping at most `keep` bytes of it (the rest of a
 * longer line is read and dropped, so memory stays bounded) without the
 * line ending. 1: *line (free with free) holds *len bytes, NUL-terminated;
 * 0: end of input; -1: a read error or out of memory.
 */
int cli_read_line(FILE *f, size_t keep, char **line, size_t *len);

#endif
