/*
 * cli.h -- what the subcommands of the intake program share: the command
 * table entries, exit codes, and the diagnostic printer. Only engine/cli/
 * includes this; the core never prints.
 */
#ifndef IK_CLI_H
#define IK_CLI_H

#include "intake/buf.h"
#include "intake/error.h"
#include "intake/rulebook.h"

#include <getopt.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* sysexits, as docs/DESIGN.md fixes them */
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
int cmd_help(int argc, char **argv);

/* ---- The command table (commands.c) ---- */

typedef struct cli_opt {
    const char *name;   /* the long option, without "--" */
    int key;            /* what cli_next_option returns for it */
    const char *arg;    /* its value's name (PACK, N), NULL for a flag */
    const char *values; /* the values, space-separated ("text json"), or a
                           completion kind ("@pack"), or NULL */
    const char *help;   /* one sentence for --help */
} cli_opt;

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the command's name */
    const char *operands;              /* as the synopsis shows them */
    const char *operand_values;        /* completion kind of operands */
    const cli_opt *opts;               /* ends with a NULL name */
    const char *summary;               /* one line for intake --help */
    const char *about;                 /* the paragraph of its --help */
    const char *exits;                 /* its exit statuses */
} cli_command;

/* The command named name, or NULL. */
const cli_command *cli_find_command(const char *name);
/* The command name closest to a misspelt one, or NULL. */
const char *cli_suggest_command(const char *name);
/* `intake --help`, and `intake COMMAND --help`, on stdout. */
void cli_print_help(void);
void cli_command_help(const cli_command *c);

enum { CLI_MAX_OPTS = 15, CLI_MAX_PACKS = 64 /* check --rules */ };

/*
 * Every command parses its arguments with these, so all behave alike:
 * options before or after operands, `--` ends options, `-` is an
 * operand, -h and --help print the command's help, an unknown option is a
 * usage error with the nearest one suggested.
 *
 *     cli_args a;
 *     cli_args_init(&a, "check", argc, argv);
 *     while ((c = cli_next_option(&a)) > 0)
 *         switch (c) { case 's': ...; a.value is the option's value }
 *     if (c < 0) return a.rc;
 *     n = cli_operands(&a, &ops);
 */
typedef struct cli_args {
    const cli_command *cmd;
    int argc;
    char **argv;
    const char *value; /* the value of the option just returned */
    int rc;            /* when cli_next_option returned -1 */
    struct option longs[CLI_MAX_OPTS + 2];
} cli_args;

void cli_args_init(cli_args *a, const char *name, int argc, char **argv);
/* The next option's key; 0 when there are no more; -1 when the command
 * must return a->rc (help printed: 0; a usage error printed: 64). */
int cli_next_option(cli_args *a);
/* The operands, in order (after cli_next_option returned 0). */
int cli_operands(const cli_args *a, char ***ops);

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

/* s with every character a terminal must not be sent escaped (as \u001b;
 * ik_utf8_escape), in buf; returns buf. For file names and other text
 * quoted back that did not come through an ik_error message. */
const char *cli_safe(const char *s, char *buf, size_t cap);

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

/*
 * `-` names standard input wherever a pack, a test-case file or an
 * answers file is read (packfiles.c); diagnostics call it "<stdin>".
 * cli_read_input reads path (or stdin) whole, as ik_json_read_file does;
 * cli_load_pack loads a pack from path (or stdin).
 */
#define CLI_STDIN_NAME "<stdin>"
bool cli_is_stdin(const char *path);
ik_status cli_read_input(const char *path, size_t max, char **text, size_t *len,
                         ik_error *err);
ik_status cli_load_pack(const char *path, ik_rulebook **rb, ik_error *err);
bool cli_cases_of_pack(const char *pack, char *buf, size_t cap);
bool cli_pack_of_cases(const char *cases, char *buf, size_t cap);

/*
 * Read one line from f, keeping at most `keep` bytes of it (the rest of a
 * longer line is read and dropped, so memory stays bounded) without the
 * line ending. 1: *line (free with free) holds *len bytes, NUL-terminated;
 * 0: end of input; -1: a read error or out of memory.
 */
int cli_read_line(FILE *f, size_t keep, char **line, size_t *len);

/* Write a report built in b to stdout (lines.c); false, with "intake CMD:
 * out of memory" on stderr, when building it ran out of memory (exit 70). */
bool cli_write_buf(const char *cmd, const ik_buf *b);

#endif
