/*
 * tty.c -- the only file that includes GNU readline. Reads lines (the
 * readline callback interface on a terminal, so Ctrl-C clears the line
 * cleanly; getline otherwise), completes words with Tab, keeps history in
 * memory only (never written), tracks the width across resizes, and wraps
 * text. It knows nothing about interviews and decides nothing.
 */
#define _POSIX_C_SOURCE 200809L
#include "tty.h"

#include "intake/utf8.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "intake/interview.h" /* IK_ANSWER_MAX_LINE */
#include "cli.h"

static struct {
    bool interactive, colour, opened;
    FILE *out;
    int width;
    const char *const *words;
    size_t nwords;
    const char *keys;     /* keys that are a whole line at the next read */
    bool key_taken;       /* the last line was such a key: the next read
                             has the Enter grace */
    const char *key_rest; /* the rest of its word ("es" after y), or "" */
    bool grace;           /* this read has the Enter grace, */
    struct timespec grace_from; /* from when its prompt was on screen
                                   (CLOCK_MONOTONIC) */
} T;

static volatile sig_atomic_t got_int, got_winch, got_term;

static void on_signal(int sig)
{
    if (sig == SIGINT)
        got_int = 1;
    else if (sig == SIGWINCH)
        got_winch = 1;
    else
        got_term = sig;
}

static void catch_signal(int sig)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: select must see EINTR */
    sigaction(sig, &sa, NULL);
}

static int read_width(void)
{
    struct winsize ws;
    const char *cols = getenv("COLUMNS");
    long n;

    if (ioctl(fileno(T.out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    if (T.interactive && ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    if (cols && *cols) {
        char *end;
        n = strtol(cols, &end, 10);
        if (*end == '\0' && n > 0 && n < 10000)
            return (int)n;
    }
    return 80;
}

/* ---- Completion ---- */

static char *complete_word(const char *text, int state)
{
    static size_t i, len;

    if (state == 0) {
        i = 0;
        len = strlen(text);
    }
    while (i < T.nwords) {
        const char *w = T.words[i++];
        if (strncasecmp(w, text, len) == 0)
            return strdup(w);
    }
    return NULL;
}

static char **complete(const char *text, int start, int end)
{
    (void)start;
    (void)end;
    rl_attempted_completion_over = 1; /* never file names */
    rl_completion_append_character = '\0';
    return rl_completion_matches(text, complete_word);
}

void tty_set_completions(const char *const *words, size_t n, const char *breaks)
{
    T.words = words;
    T.nwords = n;
    if (T.interactive)
        rl_completer_word_break_characters = breaks;
}

/* ---- Single keys ---- */

/* The keys tty_set_keys may name (readline binds them once). */
const char tty_single_keys[] = "yYnN?0123456789";

/* Input already waiting: a paste or a script, typed into the line as is. */
static bool input_waiting(void)
{
    struct pollfd p = {.fd = 0, .events = POLLIN};

    return rl_pending_input != 0 || poll(&p, 1, 0) > 0;
}

/* Seconds since the prompt of this read was shown. */
static double since_prompt(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - T.grace_from.tv_sec) +
           (double)(now.tv_nsec - T.grace_from.tv_nsec) / 1e9;
}

/* A key of tty_single_keys: the whole line when it is the first key of an
 * empty line, a key the caller named, and nothing else is waiting; else
 * typed as usual. */
static int on_key(int count, int key)
{
    char s[2] = {(char)key, '\0'};

    if (count != 1 || rl_end != 0 || !T.keys || key <= 0 || key > 127 ||
        !strchr(T.keys, key) || input_waiting())
        return rl_insert(count, key);
    T.key_taken = true;
    T.key_rest = key == 'y' || key == 'Y'   ? "es"
                 : key == 'n' || key == 'N' ? "o"
                                            : "";
    rl_insert_text(s);
    rl_redisplay(); /* echo the key before the line ends */
    return rl_newline(1, '\n');
}

/* The first Enter at the prompt after a single-key line, typed before
 * that prompt was on screen or within a second after it appeared, at an
 * empty line or after the rest of the key's word, ends that answer (the
 * habits "y Enter" and "yes Enter"), not this prompt's: it and the rest
 * are dropped. Timed from the prompt, not the key, so a slow save or
 * redraw between the two does not let the habit through. */
static int on_enter(int count, int key)
{
    size_t n = strlen(T.key_rest ? T.key_rest : "");
    bool grace = T.grace && since_prompt() < 1.0;

    T.grace = false;
    if (grace &&
        (rl_end == 0 || ((size_t)rl_end == n &&
                         strncasecmp(rl_line_buffer, T.key_rest, n) == 0))) {
        rl_delete_text(0, rl_end);
        rl_point = 0;
        rl_redisplay();
        return 0;
    }
    return rl_newline(count, key);
}

static void bind_keys(void)
{
    const char *k;

    for (k = tty_single_keys; *k; k++) {
        rl_bind_key_in_map(*k, on_key, emacs_standard_keymap);
        rl_bind_key_in_map(*k, on_key, vi_insertion_keymap);
    }
    rl_bind_key_in_map('\r', on_enter, emacs_standard_keymap);
    rl_bind_key_in_map('\n', on_enter, emacs_standard_keymap);
    rl_bind_key_in_map('\r', on_enter, vi_insertion_keymap);
    rl_bind_key_in_map('\n', on_enter, vi_insertion_keymap);
    rl_bind_key_in_map('\r', on_enter, vi_movement_keymap);
    rl_bind_key_in_map('\n', on_enter, vi_movement_keymap);
}

void tty_set_keys(const char *keys)
{
    T.keys = keys;
}

void tty_drop_typeahead(void)
{
    if (T.interactive)
        tcflush(0, TCIFLUSH);
    T.key_taken = T.grace = false;
}

/* ---- Opening and closing ---- */

void tty_open(void)
{
    const char *term = getenv("TERM"), *nc = getenv("NO_COLOR");

    if (T.opened)
        return;
    T.opened = true;
    T.interactive = isatty(0);
    T.out = stdout;
    if (T.interactive && !isatty(1) && isatty(2))
        T.out = stderr;
    T.colour = isatty(fileno(T.out)) && term && *term &&
               strcmp(term, "dumb") != 0 && !(nc && *nc);
    T.width = read_width();
    catch_signal(SIGWINCH);
    if (!T.interactive)
        return;
    catch_signal(SIGINT);
    catch_signal(SIGTERM);
    catch_signal(SIGHUP);
    rl_readline_name = "intake";
    rl_instream = stdin;
    rl_outstream = T.out;
    rl_catch_signals = 0; /* ours are above; callback mode needs them */
    rl_catch_sigwinch = 0;
    rl_attempted_completion_function = complete;
    rl_completer_word_break_characters = "";
    rl_variable_bind("enable-bracketed-paste", "off");
    bind_keys();
    stifle_history(200);
}

void tty_close(void)
{
    if (!T.opened)
        return;
    if (T.interactive)
        clear_history();
    fflush(T.out);
    T.opened = false;
}

bool tty_interactive(void)
{
    return T.interactive;
}

FILE *tty_out(void)
{
    return T.out ? T.out : stdout;
}

bool tty_out_is_stdout(void)
{
    return tty_out() == stdout;
}

int tty_width(void)
{
    if (got_winch) {
        got_winch = 0;
        T.width = read_width();
    }
    return T.width < 20 ? 20 : T.width;
}

const char *tty_on(tty_style s)
{
    static const char *const codes[TTY_STYLE__COUNT] = {
        [TTY_PLAIN] = "",
        [TTY_BOLD] = "\033[1m",
        [TTY_DIM] = "\033[2m",
        [TTY_ALERT] = "\033[1;37;41m",
    };
    if (!T.colour || (unsigned)s >= TTY_STYLE__COUNT)
        return "";
    return codes[s];
}

const char *tty_off(void)
{
    return T.colour ? "\033[0m" : "";
}

void tty_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(tty_out(), fmt, ap);
    va_end(ap);
}

/* ---- Reading ---- */

static char *cb_line;
static bool cb_done;

static void on_line(char *line)
{
    cb_line = line;
    cb_done = true;
    rl_callback_handler_remove();
}

/* A SIGTERM or SIGHUP while waiting: restore the terminal, then die of
 * the signal as if we had not caught it. */
static void die_of_signal(void)
{
    int sig = got_term;
    sigset_t set;

    rl_callback_handler_remove();
    fflush(T.out);
    signal(sig, SIG_DFL);
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
}

/* Ctrl-C came: drop the line, restore the terminal, report it. */
static tty_status interrupted(bool *was_empty)
{
    got_int = 0;
    *was_empty = rl_end == 0;
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_cleanup_after_signal();
    rl_callback_handler_remove();
    fputc('\n', T.out);
    fflush(T.out);
    return TTY_INTERRUPT;
}

/*
 * The signals we catch stay blocked except inside pselect, so one that
 * arrives while readline works on a key is seen at the next wait instead
 * of being lost before a blocking select.
 */
static tty_status read_interactive(const char *prompt, char **line, size_t *len,
                                   bool *was_empty)
{
    sigset_t block, orig;
    fd_set fds;
    tty_status st = TTY_LINE;
    int r;

    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGWINCH);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &orig);
    got_int = 0;
    cb_done = false;
    cb_line = NULL;
    fflush(T.out);
    T.grace = T.key_taken; /* the Enter grace after a single-key line */
    T.key_taken = false;
    rl_callback_handler_install(prompt, on_line); /* shows the prompt */
    clock_gettime(CLOCK_MONOTONIC, &T.grace_from);
    while (!cb_done) {
        if (got_term)
            die_of_signal();
        if (got_int) {
            st = interrupted(was_empty);
            break;
        }
        if (got_winch) {
            got_winch = 0;
            T.width = read_width();
            rl_resize_terminal();
        }
        FD_ZERO(&fds);
        FD_SET(0, &fds);
        r = pselect(1, &fds, NULL, NULL, NULL, &orig);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rl_callback_handler_remove();
            st = TTY_ERROR;
            break;
        }
        rl_callback_read_char();
    }
    sigprocmask(SIG_SETMASK, &orig, NULL);
    if (st != TTY_LINE)
        return st;
    if (!cb_line) {
        fputc('\n', T.out);
        return TTY_EOF;
    }
    *line = cb_line;
    *len = strlen(cb_line);
    return TTY_LINE;
}

static tty_status read_plain(const char *prompt, char **line, size_t *len)
{
    size_t got;
    ssize_t n;
    char *buf = NULL;
    int rc;

    fputs(prompt, T.out);
    fflush(T.out);
    /* One byte past the answer bound is enough for the core to refuse a
     * longer line; the rest of it is read and dropped. */
    rc = cli_read_line(stdin, IK_ANSWER_MAX_LINE + 1, &buf, &got);
    if (rc <= 0) {
        fputc('\n', T.out);
        return rc < 0 ? TTY_ERROR : TTY_EOF;
    }
    n = (ssize_t)got;
    /* echo what was read, but never raw control bytes */
    if ((size_t)n == strlen(buf) && n <= 200) {
        ssize_t i;
        for (i = 0; i < n && (unsigned char)buf[i] >= 0x20 && buf[i] != 0x7F;
             i++)
            ;
        if (i == n)
            fputs(buf, T.out);
    }
    fputc('\n', T.out);
    *line = buf;
    *len = (size_t)n;
    return TTY_LINE;
}

tty_status tty_read(const char *prompt, char **line, size_t *len,
                    bool *was_empty)
{
    tty_status st;

    *line = NULL;
    *len = 0;
    *was_empty = false;
    if (T.interactive)
        st = read_interactive(prompt, line, len, was_empty);
    else
        st = read_plain(prompt, line, len);
    T.keys = NULL; /* for one read only */
    T.grace = false;
    return st;
}

void tty_history_add(const char *line)
{
    if (T.interactive && line && *line)
        add_history(line);
}

/* ---- Wrapping ---- */

/* Display columns of s[0..n): UTF-8 characters, not bytes. */
/*
 * Display columns of the character at s (n > 0 bytes left), as the
 * terminal shows it: 2 for a wide (East Asian) character, 0 for a
 * combining mark, else 1 (wcwidth in the user's locale; an invalid byte
 * or a character the locale cannot measure counts 1). *len: its bytes.
 */
static int char_cols(const char *s, size_t n, size_t *len)
{
    uint32_t cp;
    size_t k = ik_utf8_decode((const unsigned char *)s, n, &cp);
    int w;

    if (k == 0) {
        *len = 1;
        return 1;
    }
    *len = k;
    if (cp < 0x80)
        return 1;
    w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

/* Display columns of s[0..n). */
static int columns(const char *s, size_t n)
{
    size_t i = 0, k;
    int c = 0;

    while (i < n) {
        c += char_cols(s + i, n - i, &k);
        i += k;
    }
    return c;
}

/* Bytes of s that fit in `cols` columns, at a character boundary, with
 * the combining marks that follow the last character that fits; at least
 * one character, so a long word always moves on. */
static size_t fit_bytes(const char *s, size_t n, int cols)
{
    size_t i = 0, k;
    int c = 0, w;

    while (i < n) {
        w = char_cols(s + i, n - i, &k);
        if (w > 0 && c + w > cols && i > 0)
            break;
        c += w;
        i += k;
    }
    return i;
}

static void wrap_paragraph(FILE *f, const char *s, size_t n, int indent,
                           int hang, int width)
{
    int avail = width - indent < 10 ? 10 : width - indent, col = 0;
    size_t i = 0;

    while (i < n) {
        size_t start, wlen, gap = i;
        int wcols;

        while (i < n && s[i] == ' ')
            i++;
        if (i >= n)
            break;
        gap = i - gap; /* spaces before the word are kept within a line */
        start = i;
        while (i < n && s[i] != ' ')
            i++;
        wlen = i - start;
        wcols = columns(s + start, wlen);
        if (col > 0 && col + (int)gap + wcols > avail) {
            fputc('\n', f);
            col = 0;
            gap = 0;
            indent = hang; /* later lines hang */
            avail = width - indent < 10 ? 10 : width - indent;
        }
        while (col == 0 && (int)gap + wcols > avail) { /* a long word */
            size_t k = fit_bytes(s + start, wlen, avail);
            fprintf(f, "%*s%.*s\n", indent, "", (int)k, s + start);
            indent = hang;
            avail = width - indent < 10 ? 10 : width - indent;
            start += k;
            wlen -= k;
            wcols = columns(s + start, wlen);
            gap = 0;
        }
        if (wlen == 0)
            continue;
        if (col == 0)
            fprintf(f, "%*s", indent, "");
        fprintf(f, "%*s", (int)gap, "");
        fwrite(s + start, 1, wlen, f);
        col += (int)gap + wcols;
    }
    fputc('\n', f);
}

void tty_wrap_hang_to(FILE *f, const char *text, int indent, int hang)
{
    int width = tty_width() - 1; /* the last column makes some terminals
                                    wrap early */
    const char *p = text, *nl;

    if (width > 100)
        width = 100; /* long lines are hard to read */
    for (;;) {
        nl = strchr(p, '\n');
        wrap_paragraph(f, p, nl ? (size_t)(nl - p) : strlen(p), indent, hang,
                       width);
        if (!nl)
            break;
        p = nl + 1;
    }
}

void tty_wrap_to(FILE *f, const char *text, int indent)
{
    tty_wrap_hang_to(f, text, indent, indent);
}

void tty_wrap(const char *text, int indent)
{
    tty_wrap_to(tty_out(), text, indent);
}

void tty_wrap_hang(const char *text, int indent, int hang)
{
    tty_wrap_hang_to(tty_out(), text, indent, hang);
}

char *tty_wrap_text(const char *text, int indent)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);

    if (!f)
        return NULL;
    tty_wrap_to(f, text, indent);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

int tty_height(void)
{
    struct winsize ws;
    const char *lines = getenv("LINES");
    long n;

    if (ioctl(fileno(tty_out()), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
        return ws.ws_row < 6 ? 6 : ws.ws_row;
    if (lines && *lines) {
        char *end;
        n = strtol(lines, &end, 10);
        if (*end == '\0' && n >= 6 && n < 10000)
            return (int)n;
    }
    return 24;
}
