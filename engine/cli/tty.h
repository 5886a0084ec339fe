/*
 * tty.h -- the terminal for the interview front end: reading a line (GNU
 * readline on a terminal, getline otherwise), Ctrl-C and resize handling,
 * completion words, output width and styles, and word wrapping. Only
 * engine/cli/ uses it; tty.c is the only file that includes readline.
 */
#ifndef IK_TTY_H
#define IK_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum tty_status {
    TTY_LINE,      /* *line holds what was typed (free with free) */
    TTY_EOF,       /* Ctrl-D at an empty prompt, or end of input */
    TTY_INTERRUPT, /* Ctrl-C: the line was cleared */
    TTY_ERROR      /* reading failed */
} tty_status;

typedef enum tty_style {
    TTY_PLAIN,
    TTY_BOLD,
    TTY_DIM,
    TTY_ALERT, /* bold on red: emergencies */
    TTY_STYLE__COUNT
} tty_style;

/*
 * Decide how to talk to the person: interactive when stdin is a terminal
 * (readline, Ctrl-C handling); screens go to stdout, or to stderr when
 * stdout is redirected but stderr is a terminal, so `intake > file` still
 * shows the questions. Colour only on a terminal, TERM set and not
 * "dumb", NO_COLOR unset or empty.
 */
void tty_open(void);
void tty_close(void);

bool tty_interactive(void); /* stdin is a terminal */
FILE *tty_out(void);        /* where screens and prompts go */
bool tty_out_is_stdout(void);

/* Columns to wrap at: the terminal's width (re-read after a resize),
 * else $COLUMNS, else 80; never below 20. */
int tty_width(void);

/* Escape sequence starting a style ("" without colour) and the reset. */
const char *tty_on(tty_style s);
const char *tty_off(void);

/* Words Tab completes at the next prompt (borrowed until the next call;
 * n may be 0). `breaks`: characters that separate words, "" for none. */
void tty_set_completions(const char *const *words, size_t n,
                         const char *breaks);

/*
 * Show prompt and read one line (without its newline) into *line
 * (malloc'd; free it). TTY_INTERRUPT: *was_empty says whether the line
 * was empty when Ctrl-C came. Without a terminal, the line read is
 * echoed after the prompt so the transcript reads well.
 */
tty_status tty_read(const char *prompt, char **line, size_t *len,
                    bool *was_empty);

/*
 * Single-key answers for the next tty_read only (nurse mode): on a
 * terminal, a key in `keys` (some of y Y n N ? and the digits; borrowed
 * until that read) pressed as the first key of an empty line is the whole
 * line at
 * once, without Enter, unless more input is already waiting (a paste or a
 * script is read as the line it is). Any other key starts a line as usual.
 * The first Enter at the next read's prompt, typed before that prompt was
 * shown or within a second after, at an empty line or after the rest of
 * the key's word ("es" after y), is taken as ending that key's answer,
 * not as a line for the next prompt.
 */
/* Every key tty_set_keys may name (readline binds these once). */
extern const char tty_single_keys[];

void tty_set_keys(const char *keys);

/* Throw away keys typed ahead of what is on screen now (an alert must be
 * answered by someone who saw it); cancels the Enter grace above. */
void tty_drop_typeahead(void);

/* Remember a line for Up-arrow recall (in memory only). */
void tty_history_add(const char *line);

/*
 * Write text wrapped to the width, each line starting with `indent`
 * spaces; '\n' in text starts a new paragraph line. Display width counts
 * UTF-8 characters; a word longer than a line is broken.
 */
void tty_wrap(const char *text, int indent);

/* As tty_wrap, into f. */
void tty_wrap_to(FILE *f, const char *text, int indent);

/* As tty_wrap, lines after the first of each paragraph starting with
 * `hang` spaces (bullets, numbered lists). */
void tty_wrap_hang(const char *text, int indent, int hang);
void tty_wrap_hang_to(FILE *f, const char *text, int indent, int hang);

/* The wrapped text as a new string (free it); NULL when out of memory. */
char *tty_wrap_text(const char *text, int indent);

/* Rows of the terminal, else $LINES, else 24; never below 6. */
int tty_height(void);

/* printf to tty_out(). */
void tty_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
