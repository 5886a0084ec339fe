/*
 * commands.c -- the one table of intake's commands and their options.
 * Everything that describes the command line comes from it: the top-level
 * --help, each command's --help and `intake help COMMAND`, the synopsis
 * the man page must match (`intake help --synopsis`, tests/docs), the
 * bash completion (`intake help --completion bash`), and the option
 * parsing every command does (cli_next_option): options before and after
 * operands, `--` ends them, `-h` is --help.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "intake/buf.h"
#include "intake/suggest.h"

#include <stdio.h>
#include <string.h>

/* Completion kinds for an option's value or the operands. */
#define PACKS    "@pack"    /* a rule pack: *.json */
#define FILES    "@file"    /* any file */
#define SESSIONS "@json"    /* a session or answers file: *.json */
#define COMMANDS "@command" /* a command name */

#define RULES_OPT                                                              \
    {                                                                          \
        "rules", 'r', "PACK", PACKS,                                           \
            "the rule pack, the same as the PACK operand"                      \
    }
#define END_OPTS                                                               \
    {                                                                          \
        NULL, 0, NULL, NULL, NULL                                              \
    }

static const cli_opt run_opts[] = {
    {"rules", 'r', "PACK", PACKS,
     "the rule pack, the same as the PACK operand (default: the bundled "
     "Failed Back Syndrome pack)"},
    {"mode", 'm', "MODE", "patient nurse",
     "patient (default) or nurse: third-person wording, a patient label, "
     "terse prompts, single-key answers on a terminal (y, n, ? for not "
     "sure, an option's number: no Enter), several answers on one line "
     "('y n n 2 n'), a hand-off summary"},
    {"session", 's', "FILE", SESSIONS,
     "save the answers to FILE after every answer"},
    {"resume", 'R', "FILE", SESSIONS,
     "carry on with the interview saved in FILE"},
    {"answers", 'a', "FILE", SESSIONS,
     "answer from a JSON object of answers (- for stdin) and print the "
     "outcome as JSON, without asking anything"},
    END_OPTS};

static const cli_opt check_opts[] = {
    {"strict", 's', NULL, NULL,
     "treat warnings as errors, and warn also about a question with nurse "
     "text whose options have none"},
    {"format", 'f', "FORMAT", "text json",
     "text (default) or json: the problems as one JSON array on stdout, "
     "[{\"file\", \"line\", \"col\", \"severity\", \"message\", \"path\"}] "
     "(path is a JSON Pointer), nothing else"},
    {"rules", 'r', "PACK", PACKS, "one more PACK to check"},
    END_OPTS};

static const cli_opt test_opts[] = {
    {"coverage", 'c', NULL, NULL,
     "also list the sections, rules, red flags, ladder rungs, dispositions "
     "and questions that no case reaches, and fail when anything is "
     "unreached"},
    {"format", 'f', "FORMAT", "text json",
     "text (default) or json: one object on stdout, "
     "docs/schemas/test-report.schema.json"},
    RULES_OPT,
    END_OPTS};

static const cli_opt eval_opts[] = {
    {"lines", 'l', NULL, NULL,
     "read one [logic, data] JSON array per line from stdin and print one "
     "result per line; a bad line prints {\"error\": \"...\"} and the rest "
     "still run"},
    END_OPTS};

static const cli_opt batch_opts[] = {
    RULES_OPT,
    {"strict", 's', NULL, NULL, "stop at the first bad line (exit 65)"},
    {"diff", 'd', "OLD_PACK", PACKS,
     "write, for each line, the outcome fields that differ from OLD_PACK's, "
     "then a summary line"},
    {"jobs", 'j', "N", NULL,
     "compute on N threads (default: the online CPUs, at most 8; 1: one "
     "thread); the output is the same, in the same order"},
    END_OPTS};

static const cli_opt graph_opts[] = {RULES_OPT,
                                     {"format", 'f', "FORMAT", "dot mermaid",
                                      "dot (default, Graphviz) or mermaid"},
                                     END_OPTS};

static const cli_opt export_opts[] = {
    {"format", 'f', "FORMAT", "json fhir markdown text html",
     "json (the outcome with the session's metadata and history, the "
     "default), fhir (an HL7 FHIR R4 Bundle: the QuestionnaireResponse and "
     "an Observation of the triage result), markdown or "
     "text (for a patient, a one-page 'what to do next'; for a nurse, an "
     "SBAR hand-off), html (a printable page for the patient to take to an "
     "appointment)"},
    {"rules", 'r', "PACK", PACKS,
     "read the session with PACK (default: the pack the session names)"},
    {"questionnaire", 'q', "PACK", PACKS,
     "write the FHIR Questionnaire of PACK instead of a session"},
    {"codes", 'c', NULL, NULL,
     "with --questionnaire: a Bundle of the Questionnaire, the pack's "
     "CodeSystem and its ValueSets"},
    END_OPTS};

static const cli_opt sessions_opts[] = {
    {"format", 'f', "FORMAT", "text json",
     "text (default, a table) or json: one array on stdout, "
     "docs/schemas/sessions.schema.json"},
    END_OPTS};

static const cli_opt explore_opts[] = {
    RULES_OPT,
    {"sample", 'n', "N", NULL,
     "draw N paths at random (default 20000) even when all could be walked"},
    {"seed", 'S', "S", NULL, "the seed of the random draw (default 1)"},
    {"max-paths", 'm', "N", NULL,
     "walk every path when there are at most N (default 100000); else "
     "sample"},
    {"format", 'f', "FORMAT", "text json",
     "text (default) or json: one object on stdout, "
     "docs/schemas/explore-report.schema.json"},
    END_OPTS};

static const cli_opt help_opts[] = {END_OPTS};

static const cli_command commands[] = {
    {"run", cmd_run, "[PACK]", PACKS, run_opts,
     "start an interview (the default command)",
     "Start an interview: one question at a time, then advice on what to "
     "do, the treatment to discuss, and sections worth reading. At any "
     "question type: back, why, skip, summary, help or quit. An urgent sign "
     "is shown as soon as it is answered: an emergency ends the interview; "
     "an alert says what to do now, then 1 goes on with the questions and 2 "
     "stops there. Leaving early after an urgent sign shows its advice "
     "first. The outcome fits on one screen: what to do and by when, then a "
     "menu; type a number to read a part, or all for everything. intake "
     "gives education, not a diagnosis. In an emergency call your local "
     "emergency number.",
     "0 done (or left; the answers are saved), 64 usage, 65 a bad pack, "
     "session or answers file, 66 a file not found, 74 a session could not "
     "be saved, 130 interrupted"},
    {"check", cmd_check, "PACK...", PACKS, check_opts,
     "validate and lint rule packs and their test cases",
     "Validate and lint rule packs. Problems are printed on stderr as "
     "FILE:LINE:COL: error: MESSAGE (or warning:), one a line; a clean pack "
     "gets a one-line summary on stdout. A test-case file NAME.tests.json "
     "is checked against its pack NAME.json (run the cases with 'intake "
     "test'). - reads a pack from stdin. The language is described in "
     "docs/RULES.md.",
     "0 clean (warnings allowed unless --strict), 65 any error, 66 a file "
     "is missing, 74 a file cannot be read, 64 usage"},
    {"test", cmd_test, "[PACK [CASES]]", PACKS, test_opts,
     "run a rule pack's test cases",
     "Run a rule pack's test cases (format: docs/TESTING-PACKS.md). CASES "
     "defaults to PACK with .json replaced by .tests.json; PACK defaults to "
     "the bundled pack; either may be - for stdin. Each case runs through "
     "the same outcome computation as an interview. Prints every failing "
     "case with the difference, per field, between what it expects and "
     "what it got, then the line 'N passed, M failed'.",
     "0 all passed, 1 a case failed (or, with --coverage, something is "
     "unreached), 65 a bad pack or case file, 66 not found, 64 usage"},
    {"eval", cmd_eval, "[LOGIC [DATA]]", NULL, eval_opts,
     "evaluate JsonLogic and print the result as JSON",
     "Evaluate a JsonLogic expression (json-logic-js 2.0.5 semantics) and "
     "print the result as JSON on one line. DATA defaults to null. An "
     "undefined result (for example {\"and\": []}) prints as null. Unknown "
     "operators are errors even in branches that never run.",
     "0 success, 64 usage, 65 malformed JSON or logic"},
    {"batch", cmd_batch, "[PACK]", PACKS, batch_opts,
     "one answers object a line in, one outcome a line out",
     "Read one answers object a line ({\"question_id\": value, ...}) on "
     "stdin and write one outcome object a line on stdout, in order. A bad "
     "line gives {\"line\": N, \"error\": \"...\"} and the run goes on. "
     "Without PACK, the bundled pack.",
     "0 done, 65 a bad pack (or a bad line with --strict), 66 not found, "
     "74 I/O error, 64 usage"},
    {"graph", cmd_graph, "[PACK]", PACKS, graph_opts, "draw a pack's flow",
     "Print the flow of a rule pack (questions, enable_when dependencies, "
     "red flags, the ladder, rules and sections) as Graphviz dot or "
     "Mermaid. Without PACK, the bundled pack. For example: intake graph "
     "--format dot | dot -Tsvg > flow.svg",
     "0 done, 65 a bad pack, 66 not found, 64 usage"},
    {"export", cmd_export, "SESSION", SESSIONS, export_opts,
     "write a session as JSON, FHIR, Markdown or text",
     "Write a saved session to stdout. The pack is the one the session "
     "names, or --rules PACK. With --questionnaire PACK, no SESSION.",
     "0 done, 65 a bad session or pack, 66 not found, 64 usage"},
    {"sessions", cmd_sessions, "", NULL, sessions_opts,
     "list saved sessions, newest first",
     "List saved sessions in $XDG_STATE_HOME/intake (default "
     "~/.local/state/intake), newest first: when each started, whether it "
     "is complete, its pack, its label and its file. Continue one with "
     "'intake run --resume FILE'; export one with 'intake export FILE'.",
     "0 done, 74 the folder cannot be read"},
    {"explore", cmd_explore, "[PACK]", PACKS, explore_opts,
     "walk answer paths and check invariants",
     "Walk the answer paths the pack's enable_when allows and check its "
     "invariants on each complete path. Prints paths per disposition and "
     "rung, sections never shown, and each broken invariant with "
     "counter-examples: answers objects that `intake run --answers FILE` "
     "replays. Without PACK, the bundled pack.",
     "0 every invariant holds, 1 one fails, 65 a bad pack, 66 not found, "
     "64 usage"},
    {"help", cmd_help, "[COMMAND]", COMMANDS, help_opts,
     "describe intake or one command",
     "Print the help of COMMAND (the same as 'intake COMMAND --help'), or "
     "of intake.",
     "0 done, 64 no such command"},
};

enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

const cli_command *cli_find_command(const char *name)
{
    int i;

    for (i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

const char *cli_suggest_command(const char *name)
{
    const char *names[NCOMMANDS + 1];
    int i;

    for (i = 0; i < NCOMMANDS; i++)
        names[i] = commands[i].name;
    names[NCOMMANDS] = NULL;
    return ik_suggest_among(name, names);
}

/* ---- Help, generated ---- */

/* An option's value as the synopsis shows it: text|json, or PACK. */
static void put_value(ik_buf *b, const cli_opt *o)
{
    const char *v = o->values, *sp;

    if (!v || v[0] == '@') {
        ik_buf_puts(b, o->arg);
        return;
    }
    for (; (sp = strchr(v, ' ')); v = sp + 1) {
        ik_buf_printf(b, "%.*s|", (int)(sp - v), v);
    }
    ik_buf_puts(b, v);
}

/* "intake NAME [--opt VALUE]... OPERANDS" on one line. */
static void synopsis(ik_buf *b, const cli_command *c)
{
    const cli_opt *o;

    ik_buf_printf(b, "intake %s",
                  strcmp(c->name, "run") == 0 ? "[run]" : c->name);
    for (o = c->opts; o->name; o++) {
        ik_buf_printf(b, " [--%s", o->name);
        if (o->arg) {
            ik_buf_putc(b, ' ');
            put_value(b, o);
        }
        ik_buf_putc(b, ']');
    }
    if (c->operands[0])
        ik_buf_printf(b, " %s", c->operands);
}

/* Print text wrapped at 78 columns, every line after `lead` indented by
 * indent spaces (lead is printed first, and may be longer). The tables'
 * text is ASCII. */
static void print_wrapped(const char *lead, size_t indent, const char *text)
{
    size_t col = strlen(lead), len;
    const char *w = text;

    fputs(lead, stdout);
    for (; col < indent; col++)
        putchar(' ');
    while (*w) {
        while (*w == ' ')
            w++;
        len = strcspn(w, " ");
        if (!len)
            break;
        if (col > indent && col + 1 + len > 78) {
            printf("\n%*s", (int)indent, "");
            col = indent;
        } else if (col > indent) {
            putchar(' ');
            col++;
        }
        printf("%.*s", (int)len, w);
        col += len;
        w += len;
    }
    putchar('\n');
}

/* The synopsis, wrapped before a '[' when it would pass 78 columns. */
static void print_synopsis(const char *lead, const cli_command *c)
{
    ik_buf b;
    const char *p, *q;
    size_t col, indent = strlen(lead) + strlen("intake ") + strlen(c->name) + 1;

    ik_buf_init(&b);
    synopsis(&b, c);
    p = ik_buf_cstr(&b);
    fputs(lead, stdout);
    col = strlen(lead);
    while (*p) {
        q = strstr(p + 1, " [");
        if (!q)
            q = p + strlen(p);
        if (col > indent && col + (size_t)(q - p) > 78) {
            printf("\n%*s", (int)indent - 1, "");
            col = indent - 1;
        }
        printf("%.*s", (int)(q - p), p);
        col += (size_t)(q - p);
        p = q;
    }
    putchar('\n');
    ik_buf_fini(&b);
}

void cli_command_help(const cli_command *c)
{
    const cli_opt *o;
    char lead[64];

    print_synopsis("Usage: ", c);
    putchar('\n');
    print_wrapped("", 0, c->about);
    printf("\nOptions:\n");
    for (o = c->opts; o->name; o++) {
        snprintf(lead, sizeof lead, "  --%s%s%s", o->name, o->arg ? " " : "",
                 o->arg ? o->arg : "");
        print_wrapped(lead, 22, o->help);
    }
    print_wrapped("  -h, --help", 22, "show this help");
    putchar('\n');
    print_wrapped("Exit status:", 0, c->exits);
}

void cli_print_help(void)
{
    int i;

    printf("Usage: intake [COMMAND] [OPTIONS] [OPERANDS]\n\n"
           "A triage and education interview driven by rule packs.\n"
           "With no command, starts the Failed Back Syndrome interview.\n\n"
           "Commands:\n");
    for (i = 0; i < NCOMMANDS; i++)
        printf("  %-9s %s\n", commands[i].name, commands[i].summary);
    printf("\nUsage of each:\n");
    for (i = 0; i < NCOMMANDS; i++)
        print_synopsis("  ", &commands[i]);
    printf("  intake --help | --version\n\n");
    print_wrapped(
        "", 0,
        "Options go before or after operands; -- ends them; - reads a file "
        "from stdin where a pack, cases or answers file is read. 'intake "
        "help COMMAND' or 'intake COMMAND --help' describes one command.");
    putchar('\n');
    print_wrapped(
        "Exit codes:", 0,
        "0 success, 1 test cases or invariants failed, 64 usage, 65 bad "
        "data, 66 input not found, 70 internal error, 74 I/O error, 130 "
        "interrupted.");
    printf("\nintake gives education, not a diagnosis. In an emergency call "
           "your local\nemergency number.\n");
}

/* `intake help --synopsis`: one synopsis a line, unwrapped (the man page's
 * SYNOPSIS must say the same; tests/docs/man_synopsis.py). */
static void print_synopses(void)
{
    ik_buf b;
    int i;

    ik_buf_init(&b);
    for (i = 0; i < NCOMMANDS; i++) {
        ik_buf_clear(&b);
        synopsis(&b, &commands[i]);
        printf("%s\n", ik_buf_cstr(&b));
    }
    printf("intake --help | --version\n");
    ik_buf_fini(&b);
}

/* `intake help --completion bash`: a bash completion script, from the
 * table (installed by cmake --install as share/bash-completion/...). */
static void print_completion(void)
{
    const cli_opt *o;
    int i;

    printf("# bash completion for intake -- generated by 'intake help "
           "--completion bash'\n"
           "# from the program's command table; do not edit.\n"
           "_intake_files() {\n"
           "  case $1 in\n"
           "  @pack|@json) compopt -o filenames 2>/dev/null\n"
           "    COMPREPLY=($(compgen -f -X '!*.json' -- \"$cur\") "
           "$(compgen -d -- \"$cur\")) ;;\n"
           "  @command) COMPREPLY=($(compgen -W \"$_intake_commands\" -- "
           "\"$cur\")) ;;\n"
           "  @*) compopt -o filenames 2>/dev/null\n"
           "    COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
           "  *) COMPREPLY=($(compgen -W \"$1\" -- \"$cur\")) ;;\n"
           "  esac\n"
           "}\n"
           "_intake_commands='");
    for (i = 0; i < NCOMMANDS; i++)
        printf("%s%s", i ? " " : "", commands[i].name);
    printf("'\n"
           "_intake() {\n"
           "  local cur prev cmd i opts values operands\n"
           "  cur=${COMP_WORDS[COMP_CWORD]}\n"
           "  prev=${COMP_WORDS[COMP_CWORD-1]}\n"
           "  cmd=run\n"
           "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
           "    case ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; "
           "break ;; esac\n"
           "  done\n"
           "  case $cmd in\n");
    for (i = 0; i < NCOMMANDS; i++) {
        const cli_command *c = &commands[i];
        printf("  %s)\n    opts='", c->name);
        for (o = c->opts; o->name; o++)
            printf("--%s ", o->name);
        printf("--help'\n    case $prev in\n");
        for (o = c->opts; o->name; o++)
            if (o->arg)
                printf("    --%s) _intake_files '%s'; return ;;\n", o->name,
                       o->values ? o->values : "");
        printf("    esac\n    operands='%s' ;;\n",
               c->operand_values ? c->operand_values : "");
    }
    printf("  *) return ;;\n"
           "  esac\n"
           "  if [[ $cur == -* ]]; then\n"
           "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
           "  elif ((i >= COMP_CWORD)); then\n"
           "    COMPREPLY=($(compgen -W \"$_intake_commands --help "
           "--version\" -- \"$cur\"))\n"
           "    [[ -n $cur ]] || COMPREPLY+=($(compgen -W \"$opts\" -- "
           "\"$cur\"))\n"
           "  elif [[ -n $operands ]]; then\n"
           "    _intake_files \"$operands\"\n"
           "  fi\n"
           "}\n"
           "complete -F _intake intake\n");
}

int cmd_help(int argc, char **argv)
{
    const cli_command *c;
    const char *near;

    if (argc == 2 && strcmp(argv[1], "--synopsis") == 0) {
        print_synopses();
        return EXIT_OK;
    }
    if (argc == 3 && strcmp(argv[1], "--completion") == 0 &&
        strcmp(argv[2], "bash") == 0) {
        print_completion();
        return EXIT_OK;
    }
    if (argc == 1) {
        cli_print_help();
        return EXIT_OK;
    }
    if (argc > 2)
        return cli_usage_error("help", "one COMMAND, please");
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
        c = cli_find_command("help");
    else
        c = cli_find_command(argv[1]);
    if (c) {
        cli_command_help(c);
        return EXIT_OK;
    }
    near = cli_suggest_command(argv[1]);
    if (near)
        return cli_usage_error("help", "no command '%s' (did you mean '%s'?)",
                               argv[1], near);
    return cli_usage_error("help", "no command '%s'", argv[1]);
}

/* ---- Option parsing, the same for every command ---- */

void cli_args_init(cli_args *a, const char *name, int argc, char **argv)
{
    const cli_opt *o;
    int n = 0;

    memset(a, 0, sizeof *a);
    a->cmd = cli_find_command(name);
    a->argc = argc;
    a->argv = argv;
    for (o = a->cmd->opts; o->name && n < CLI_MAX_OPTS; o++, n++) {
        a->longs[n].name = o->name;
        a->longs[n].has_arg = o->arg ? required_argument : no_argument;
        a->longs[n].flag = NULL;
        a->longs[n].val = o->key;
    }
    a->longs[n].name = "help";
    a->longs[n].has_arg = no_argument;
    a->longs[n].val = 'h';
    optind = 0; /* GNU: start again, and permute (operands go last) */
    opterr = 0;
}

/* "unknown option '--covrage' (did you mean '--coverage'?)" */
static int unknown_option(cli_args *a, const char *arg)
{
    const char *names[CLI_MAX_OPTS + 2];
    const cli_opt *o;
    char word[64];
    const char *near;
    int n = 0;

    if (arg[0] == '-' && arg[1] == '-') {
        snprintf(word, sizeof word, "%.*s", (int)strcspn(arg + 2, "="),
                 arg + 2);
        for (o = a->cmd->opts; o->name && n < CLI_MAX_OPTS; o++)
            names[n++] = o->name;
        names[n++] = "help";
        names[n] = NULL;
        near = ik_suggest_among(word, names);
        if (near)
            return cli_usage_error(a->cmd->name,
                                   "unknown option '%s' (did you mean "
                                   "'--%s'?)",
                                   arg, near);
    }
    return cli_usage_error(a->cmd->name, "unknown option '%s'", arg);
}

int cli_next_option(cli_args *a)
{
    int c, at = optind ? optind : 1;

    c = getopt_long(a->argc, a->argv, ":h", a->longs, NULL);
    a->value = optarg;
    if (c == -1)
        return 0;
    if (c == 'h') {
        cli_command_help(a->cmd);
        a->rc = EXIT_OK;
        return -1;
    }
    if (c == ':') {
        a->rc = cli_usage_error(a->cmd->name, "option '%s' needs a value",
                                a->argv[optind - 1]);
        return -1;
    }
    if (c == '?') {
        const char *bad = optind > at ? a->argv[optind - 1] : a->argv[at];

        if (optopt && optopt != '?') {
            a->rc =
                cli_usage_error(a->cmd->name, "unknown option '-%c'", optopt);
            return -1;
        }
        a->rc = unknown_option(a, bad);
        return -1;
    }
    return c;
}

int cli_operands(const cli_args *a, char ***ops)
{
    *ops = a->argv + optind;
    return a->argc - optind;
}
