/*
 * cmd_run.c -- `intake run` (the default command): the interview as a
 * person meets it. Renders what the core's interview says (opening
 * screen, questions, outcome), reads lines through tty.c, hands them to
 * the core, and keeps a session file when asked to. Decides nothing about
 * answers or outcomes: that is engine/interview.c and engine/outcome.c;
 * what an outcome shows, in which words, is the view (engine/view.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "tty.h"

#include "intake/intake.h"
#include "intake/view.h"

#include "run_session.h" /* sessions hooks (issue 6) */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct run_opts {
    const char *rules, *mode, *session, *resume, *answers;
} run_opts;

typedef enum leave_why { LEAVE_QUIT, LEAVE_EOF, LEAVE_INTERRUPT } leave_why;

typedef struct run {
    const ik_rulebook *rb;
    ik_interview *iv;
    ik_audience aud;
    bool nurse;
    ik_session *sess; /* NULL: answers are not being saved */
    char sess_path[4096];
    /* The last save's result, which every message about saving reflects:
     * save_failed when the last attempt failed (err in save_err); kept is
     * how many answers the file on disk holds, kept_events how many steps
     * of the history, saved_at when it was written. */
    bool save_failed;
    ik_error save_err;
    size_t kept, kept_events;
    int64_t saved_at;
    int interrupts; /* Ctrl-C in a row at an empty prompt */
    const char *words[64];
    char keys[16]; /* nurse mode: keys that answer the question at once */
    ik_buf b;
} run;

enum { RC_CONTINUE = -1 };

static void blank(void)
{
    tty_printf("\n");
}

/* A heading line in bold, wrapped. */
static void heading(const char *s)
{
    char *w = tty_wrap_text(s, 0);

    tty_printf("%s%s%s", tty_on(TTY_BOLD), w ? w : s, tty_off());
    if (!w)
        tty_printf("\n");
    free(w);
}

static void say(const char *s)
{
    tty_wrap(s, 0);
}

/* ---- Reading a line ---- */

typedef enum got { GOT_LINE, GOT_EOF, GOT_LEAVE, GOT_AGAIN } got;

/*
 * Read a line for prompt. Ctrl-C on a typed line clears it (GOT_AGAIN:
 * ask again); at an empty prompt the first one explains how to leave and
 * the second leaves (GOT_LEAVE).
 */
static got read_line(run *r, const char *prompt, char **line, size_t *len)
{
    bool was_empty;
    tty_status st = tty_read(prompt, line, len, &was_empty);

    if (st == TTY_LINE) {
        r->interrupts = 0;
        return GOT_LINE;
    }
    if (st == TTY_INTERRUPT) {
        if (!was_empty) {
            r->interrupts = 0;
            return GOT_AGAIN;
        }
        if (++r->interrupts >= 2)
            return GOT_LEAVE;
        say("(Press Ctrl-C again, or Ctrl-D, to leave.)");
        return GOT_AGAIN;
    }
    return GOT_EOF;
}

static bool is_word(const char *line, size_t len, const char *w)
{
    size_t n = strlen(w), i;

    while (len && (*line == ' ' || *line == '\t')) {
        line++;
        len--;
    }
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    if (len != n)
        return false;
    for (i = 0; i < n; i++) {
        char c = line[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[i])
            return false;
    }
    return true;
}

/* Ask a yes/no question outside the interview: 1 yes, 0 no, -1 leave. */
static int ask_yes_no(run *r, const char *prompt)
{
    static const char *const yn[] = {"yes", "no"};

    for (;;) {
        char *line;
        size_t len;
        got g;

        tty_set_completions(yn, 2, "");
        g = read_line(r, prompt, &line, &len);
        if (g == GOT_EOF || g == GOT_LEAVE)
            return -1;
        if (g == GOT_AGAIN)
            continue;
        if (is_word(line, len, "y") || is_word(line, len, "yes")) {
            free(line);
            return 1;
        }
        if (is_word(line, len, "n") || is_word(line, len, "no")) {
            free(line);
            return 0;
        }
        free(line);
        say("Please type yes or no.");
    }
}

/* ---- Alarms ---- */

/* A line of stars as wide as the screen allows (at most 60). */
static void stars(void)
{
    int w = tty_width() - 1;
    char line[256];

    if (w > 60)
        w = 60;
    if (w > (int)sizeof line - 1)
        w = (int)sizeof line - 1;
    memset(line, '*', (size_t)w);
    line[w] = '\0';
    tty_printf("%s%s%s\n", tty_on(TTY_ALERT), line, tty_off());
}

/* The disposition's label as a banner between lines of stars. */
static void banner(run *r, const char *label)
{
    blank();
    stars();
    tty_printf("%s", tty_on(TTY_ALERT));
    tty_wrap(label, 2);
    tty_printf("%s", tty_off());
    stars();
    (void)r;
}

/* What to do and by when: a banner when the pack declares the
 * disposition an alarm, else a heading "<lead>: label". */
static void alert_heading(run *r, const char *label, bool alarm,
                          const char *lead)
{
    if (alarm) {
        banner(r, label);
        return;
    }
    blank();
    ik_buf_clear(&r->b);
    ik_buf_printf(&r->b, "%s: %s", lead, label);
    heading(ik_buf_cstr(&r->b));
}

/* ---- Sessions (hooks for engine/session*.c) ---- */

/* s as one shell word: as it is when it needs no quoting, else in single
 * quotes (a quote inside as '\''). */
static void put_shell_word(ik_buf *b, const char *s)
{
    static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
                                "TUVWXYZ0123456789_./:@%+=,-";

    if (s[0] && strspn(s, plain) == strlen(s)) {
        ik_buf_puts(b, s);
        return;
    }
    ik_buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            ik_buf_puts(b, "'\\''");
        else
            ik_buf_putc(b, *s);
    }
    ik_buf_putc(b, '\'');
}

/* "  PROGRAM --resume FILE", the command that carries on as the program
 * was invoked (build/intake from the repository root, intake on PATH). */
static void resume_hint(run *r, const char *path)
{
    ik_buf_clear(&r->b);
    ik_buf_puts(&r->b, "  ");
    put_shell_word(&r->b, cli_program());
    ik_buf_puts(&r->b, " --resume ");
    put_shell_word(&r->b, path);
    tty_printf("%s\n", ik_buf_cstr(&r->b));
}

static int64_t now(void)
{
    return (int64_t)time(NULL);
}

/* Answers the session holds now, info screens left out. */
static size_t session_answers(const run *r)
{
    size_t i, n = 0;
    ik_value v;
    const char *id;

    for (i = 0; (id = ik_session_answer_at(r->sess, i, &v)) != NULL; i++) {
        uint32_t q = ik_interview_find_question(r->iv, id);
        n += q == IK_NONE || ik_question_type(r->rb, q) != IK_Q_INFO;
    }
    return n;
}

/* Bring the session file up to date; a failure is reported, not fatal:
 * the interview goes on and the next answer tries again. */
static void autosave(run *r)
{
    ik_error err;

    if (!r->sess)
        return;
    ik_error_clear(&err);
    if (ik_session_fill(r->sess, r->iv, NULL, &err) != IK_OK || /* resume */
        ik_session_sync(r->sess, r->iv, now(), &err) != IK_OK ||
        ik_session_save(r->sess, r->sess_path, &err) != IK_OK) {
        r->save_failed = true;
        r->save_err = err;
        tty_printf("%sCould not save your answers:%s %s\n", tty_on(TTY_BOLD),
                   tty_off(), err.msg);
        say("The file keeps what was saved before; intake tries again after "
            "your next answer.");
        return;
    }
    if (r->save_failed)
        say("Your answers are saved again.");
    r->save_failed = false;
    r->kept = session_answers(r);
    r->kept_events = ik_session_nevents(r->sess);
    r->saved_at = now();
}

/* The warning a run ends with when its answers are not all saved: what
 * was kept, where, and what to do. Returns EXIT_IOERR. */
static int unsaved_warning(run *r)
{
    char when[21];
    size_t lost = 0;

    blank();
    tty_printf("%sWARNING: your answers could not be saved:%s %s\n",
               tty_on(TTY_ALERT), tty_off(), r->save_err.msg);
    if (!r->sess) {
        say("Nothing was kept: no session file was written.");
        say("Free some space or fix the session folder, then start again.");
        return EXIT_IOERR;
    }
    if (!ik_session_owns_file(r->sess, r->sess_path)) {
        tty_printf("Kept: nothing. %s is no longer this session's file "
                   "(another program replaced or removed it).\n",
                   r->sess_path);
        say("Start again with a new session file.");
        return EXIT_IOERR;
    }
    if (ik_session_sync(r->sess, r->iv, now(), NULL) == IK_OK &&
        ik_session_nevents(r->sess) > r->kept_events)
        lost = ik_session_nevents(r->sess) - r->kept_events;
    ik_time_format(r->saved_at, when);
    when[16] = '\0'; /* minutes are enough */
    when[10] = ' ';
    tty_printf("Kept: %zu answer%s, saved %s UTC, in\n  %s\n", r->kept,
               r->kept == 1 ? "" : "s", when, r->sess_path);
    if (lost == 1)
        say("Not kept: your last answer or change.");
    else
        tty_printf("Not kept: your last %zu answers or changes.\n", lost);
    say("Free some space or fix the folder, then carry on with the saved "
        "answers and give the rest again:");
    resume_hint(r, r->sess_path);
    return EXIT_IOERR;
}

static ik_status start_session(run *r, const char *path, ik_error *err)
{
    ik_status st;

    st = ik_session_new(r->rb, r->aud, ik_interview_label(r->iv), now(),
                        &r->sess, err);
    if (st == IK_OK) {
        snprintf(r->sess_path, sizeof r->sess_path, "%s", path);
        st = ik_session_sync(r->sess, r->iv, now(), err);
        if (st == IK_OK)
            st = ik_session_save(r->sess, r->sess_path, err);
    }
    if (st != IK_OK) {
        ik_session_free(r->sess);
        r->sess = NULL;
        r->save_failed = true;
        if (err)
            r->save_err = *err;
        return st;
    }
    r->save_failed = false;
    r->kept = session_answers(r);
    r->kept_events = ik_session_nevents(r->sess);
    r->saved_at = now();
    return IK_OK;
}

/* Save into a new file in the state folder (the offer when leaving). */
static void save_now(run *r)
{
    char dir[4096], path[4096];
    ik_error err;

    ik_error_clear(&err);
    if (ik_session_dir(dir, sizeof dir, true, &err) != IK_OK ||
        ik_session_new_path(dir, ik_interview_label(r->iv),
                            ik_interview_audience(r->iv), now(), path,
                            sizeof path, &err) != IK_OK ||
        start_session(r, path, &err) != IK_OK) {
        r->save_failed = true;
        r->save_err = err;
        tty_printf("Could not save: %s\n", err.msg);
        return;
    }
    tty_printf("Your answers are kept as you go. To carry on later:\n");
    resume_hint(r, path);
}

/* Answers given in this run so far (info screens do not count). */
static uint32_t answers_given(const run *r)
{
    uint32_t n = 0, i, given = 0;
    const uint32_t *trail = ik_interview_trail(r->iv, &n);

    for (i = 0; trail && i < n; i++)
        given += ik_question_type(r->rb, trail[i]) != IK_Q_INFO;
    return given;
}

/* Leaving before the end after red flags fired: their messages, what to
 * do (the most urgent disposition) and the safety net, then the session
 * records that they were shown. */
static void leave_with_flags(run *r)
{
    ik_view *v = NULL;
    uint32_t n = 0, i;
    ik_error err;

    ik_error_clear(&err);
    if (ik_interview_leave(r->iv, &n, &err) != IK_OK ||
        (n > 0 && ik_view_new(r->iv, r->aud, &v, &err) != IK_OK)) {
        cli_print_diag(&err, "error");
        return;
    }
    if (n == 0 || v->nred_flags == 0) {
        ik_view_free(v);
        return;
    }
    blank();
    heading(r->nurse ? "Before you finish: the answers so far call for this"
                     : "Before you go: your answers so far call for this");
    alert_heading(r, v->headline, v->alarm,
                  r->nurse ? "Disposition" : "What to do");
    for (i = 0; i < v->nred_flags; i++)
        say(v->red_flags[i].text);
    say(v->advice);
    blank();
    heading(r->nurse ? "Safety net" : "If things change");
    say(v->safety_net);
    ik_view_free(v);
    autosave(r);
}

static int leave(run *r, leave_why why)
{
    int rc = why == LEAVE_INTERRUPT ? EXIT_INTERRUPTED : EXIT_OK;

    leave_with_flags(r);
    blank();
    if (r->sess && !r->save_failed) {
        tty_printf("Your answers are saved. To carry on later:\n");
        resume_hint(r, r->sess_path);
    } else if (!r->sess && answers_given(r) > 0 && why != LEAVE_EOF &&
               tty_interactive()) {
        say("Save your answers so you can carry on later?");
        if (ask_yes_no(r, "(yes/no): ") == 1) {
            save_now(r);
        } else {
            r->save_failed = false; /* the person chose not to */
            say("Nothing was saved.");
        }
    } else if (!r->save_failed || answers_given(r) == 0) {
        r->save_failed = false; /* nothing answered: nothing lost */
        say("Nothing was saved.");
    }
    if (r->save_failed)
        rc = unsaved_warning(r);
    say("Goodbye. If you are worried about your health, contact your care "
        "team; in an emergency call your local emergency number.");
    return rc;
}

/* ---- Questions ---- */

static const char *const command_words[] = {"back", "why",     "skip",
                                            "help", "summary", "quit"};

static void set_completions(run *r, uint32_t q)
{
    size_t n = 0, i;
    const char *breaks = "";

    if (ik_question_type(r->rb, q) == IK_Q_YES_NO) {
        r->words[n++] = "yes";
        r->words[n++] = "no";
        if (ik_question_allows_unknown(r->rb, q))
            r->words[n++] = "don't know";
    }
    if (ik_question_type(r->rb, q) == IK_Q_CHOICE ||
        ik_question_type(r->rb, q) == IK_Q_MULTI)
        for (i = 0; i < ik_question_noptions(r->rb, q) && n < 50; i++)
            r->words[n++] = ik_question_option_label(r->rb, q, i, r->aud);
    if (ik_question_type(r->rb, q) == IK_Q_MULTI) {
        breaks = ",";
        if (ik_question_allows_none(r->rb, q))
            r->words[n++] = "none";
    }
    for (i = 0; i < sizeof command_words / sizeof command_words[0]; i++)
        r->words[n++] = command_words[i];
    tty_set_completions(r->words, n, breaks);
}

/* Nurse mode: the keys that answer the current question without Enter
 * (the core says which; tty.c takes them only on a terminal). */
static void set_keys(run *r)
{
    size_t n = 0, i;

    if (!r->nurse)
        return;
    for (i = 0; tty_single_keys[i]; i++)
        if (ik_interview_takes_key(r->iv, tty_single_keys[i]))
            r->keys[n++] = tty_single_keys[i];
    r->keys[n] = '\0';
    tty_set_keys(r->keys);
}

/*
 * "Question N, at most M more": M is ik_interview_at_most, the longest
 * interview the answers so far still allow (a bound that holds whatever
 * the later answers are and never rises on a forward answer:
 * tests/unit/test_progress.c). No likely count: on the FBS pack's test
 * cases the count "if later answers bring in nothing new" was right at
 * only 30% of the steps.
 */
static void progress(run *r, const ik_step *s)
{
    char line[128];
    uint32_t m = ik_interview_at_most(r->iv);

    if (m == 0)
        snprintf(line, sizeof line,
                 r->nurse ? "[%u, the last]" : "Question %u, the last one",
                 (unsigned)s->number);
    else
        snprintf(line, sizeof line,
                 r->nurse ? "[%u, at most %u more]"
                          : "Question %u, at most %u more",
                 (unsigned)s->number, (unsigned)m);
    tty_printf("%s%s%s\n", tty_on(TTY_DIM), line, tty_off());
}

/* The short hint under a question: what to type. */
static void hint(run *r, uint32_t q, const ik_step *s)
{
    ik_buf_clear(&r->b);
    if (r->nurse) {
        switch (ik_question_type(r->rb, q)) {
        case IK_Q_YES_NO:
            ik_buf_puts(&r->b, ik_question_allows_unknown(r->rb, q) ? "[y/n/?]"
                                                                    : "[y/n]");
            break;
        case IK_Q_CHOICE:
            ik_buf_printf(&r->b, "[1-%u]",
                          (unsigned)ik_question_noptions(r->rb, q));
            break;
        case IK_Q_MULTI:
            ik_buf_printf(&r->b, "[1-%u, commas%s]",
                          (unsigned)ik_question_noptions(r->rb, q),
                          ik_question_allows_none(r->rb, q) ? ", none" : "");
            break;
        default:
            ik_question_hint(r->rb, q, r->aud, &r->b);
            break;
        }
    } else {
        ik_question_hint(r->rb, q, r->aud, &r->b);
        ik_buf_puts(&r->b, ".");
    }
    if (s->can_skip)
        ik_buf_puts(&r->b, r->nurse ? " (skip)" : " You can also type skip.");
    tty_printf("%s", tty_on(TTY_DIM));
    tty_wrap(ik_buf_cstr(&r->b), 0);
    tty_printf("%s", tty_off());
}

static void show_earlier(run *r, uint32_t q, const ik_step *s)
{
    ik_value v = ik_interview_earlier(r->iv, s->question);

    if (!s->has_earlier)
        return;
    ik_buf_clear(&r->b);
    ik_buf_puts(&r->b, "Earlier answer: ");
    ik_question_format_answer(r->rb, q, r->aud, v, &r->b);
    ik_buf_puts(&r->b, ". Press Enter to keep it, or type a new answer.");
    say(ik_buf_cstr(&r->b));
}

static void show_question(run *r, const ik_step *s)
{
    uint32_t q = s->question;
    uint32_t i;
    char num[16];

    blank();
    if (ik_question_type(r->rb, q) != IK_Q_INFO)
        progress(r, s);
    heading(ik_question_text(r->rb, q, r->aud));
    if (ik_question_type(r->rb, q) == IK_Q_CHOICE ||
        ik_question_type(r->rb, q) == IK_Q_MULTI) {
        for (i = 0; i < ik_question_noptions(r->rb, q); i++) {
            char *w;
            snprintf(num, sizeof num, "%3u  ", (unsigned)i + 1);
            w = tty_wrap_text(ik_question_option_label(r->rb, q, i, r->aud), 5);
            tty_printf("%s%s", num, w ? w + 5 : "\n");
            free(w);
        }
    }
    if (ik_question_type(r->rb, q) != IK_Q_INFO)
        hint(r, q, s);
    show_earlier(r, q, s);
}

static const char *prompt_for(const run *r, uint32_t q)
{
    if (ik_question_type(r->rb, q) == IK_Q_INFO)
        return r->nurse ? "[Enter] " : "Press Enter to go on: ";
    return r->nurse ? "> " : "Your answer: ";
}

static void command_line(const char *word, const char *what)
{
    char line[256];

    snprintf(line, sizeof line, "%-8s %s", word, what);
    tty_wrap_hang(line, 2, 11);
}

static void show_help(run *r, uint32_t q, const ik_step *s)
{
    blank();
    heading("How to answer");
    ik_buf_clear(&r->b);
    ik_question_hint(r->rb, q, r->aud, &r->b);
    ik_buf_puts(&r->b, ". Press Tab to complete an option or a command.");
    say(ik_buf_cstr(&r->b));
    blank();
    heading("Commands you can type at any question");
    command_line("back", "go back to the previous question (your answer is "
                         "kept and shown)");
    command_line("why", "why this question is asked");
    command_line("skip", s->can_skip ? "leave this question unanswered"
                                     : "leave a question unanswered (not "
                                       "this one: it is needed)");
    command_line("summary", "the answers so far");
    command_line("help", "this help");
    command_line("quit", "stop the interview (answers so far stay saved)");
    say("To answer a text question with one of these words, put a backslash "
        "before it: \\back");
    if (r->nurse)
        say("On a terminal, y, n, ? (not sure) and an option's number answer "
            "at once, without Enter; a number that could go on (1 on a 0 to "
            "10 scale) waits for Enter. Several answers on one line, such as "
            "y n n 2 n, answer the next questions in turn.");
}

static void show_summary(run *r)
{
    uint32_t n, i;
    const uint32_t *trail = ik_interview_trail(r->iv, &n);
    const ik_value *answers = ik_interview_answers(r->iv);
    unsigned shown = 0;

    blank();
    heading(r->nurse ? "Answers so far" : "Your answers so far");
    for (i = 0; i < n; i++) {
        uint32_t q = trail[i];
        if (ik_question_type(r->rb, q) == IK_Q_INFO)
            continue;
        ik_buf_clear(&r->b);
        ik_buf_printf(&r->b, "%u. %s", ++shown,
                      ik_question_text(r->rb, q, r->aud));
        tty_wrap_hang(ik_buf_cstr(&r->b), 0, 3);
        ik_buf_clear(&r->b);
        ik_buf_puts(&r->b, "-> ");
        ik_question_format_answer(r->rb, q, r->aud, answers[trail[i]], &r->b);
        if (!ik_interview_applies(r->iv, trail[i]))
            ik_buf_puts(&r->b, " (no longer applies)");
        tty_wrap(ik_buf_cstr(&r->b), 4);
    }
    if (shown == 0)
        say("Nothing answered yet.");
}

static void show_why(run *r)
{
    ik_buf_clear(&r->b);
    ik_interview_why(r->iv, &r->b);
    blank();
    if (ik_buf_cstr(&r->b)[0] == '\0')
        say("This question has no reason written down; it helps the advice "
            "at the end fit you.");
    else
        say(ik_buf_cstr(&r->b));
}

/* Say a message from the core (no final period) as a sentence. */
static void sentence(run *r, const char *msg)
{
    size_t n = strlen(msg);

    ik_buf_clear(&r->b);
    ik_buf_puts(&r->b, msg);
    if (n && !strchr(".!?", msg[n - 1]))
        ik_buf_putc(&r->b, '.');
    say(ik_buf_cstr(&r->b));
}

/* An error from the core while answering: anything but "ask again" is a
 * fault in the pack or the program. */
static int fault(const ik_error *err)
{
    cli_print_diag(err, "error");
    return cli_exit_code(err->code);
}

/*
 * Nurse mode: a line of several answers ("y n n 2 n") answers the
 * questions in turn (the core checks each and stops at the first refused,
 * at an alert, at the outcome or before a text question); each answer
 * taken is listed, and what was not used is said.
 */
static int answer_ahead(run *r, const char *line, size_t len)
{
    uint32_t n = 0, ntrail, i;
    size_t used = 0;
    const uint32_t *trail;
    const ik_value *answers;
    ik_error err;
    ik_status st;

    ik_error_clear(&err);
    st = ik_interview_answer_ahead(r->iv, line, len, &n, &used, &err);
    if (st != IK_OK && st != IK_EANSWER)
        return fault(&err);
    trail = ik_interview_trail(r->iv, &ntrail);
    answers = ik_interview_answers(r->iv);
    for (i = ntrail >= n ? ntrail - n : 0; n > 1 && i < ntrail; i++) {
        uint32_t q = trail[i];
        ik_buf_clear(&r->b);
        ik_buf_printf(&r->b, "- %s ", ik_question_text(r->rb, q, r->aud));
        ik_question_format_answer(r->rb, q, r->aud, answers[trail[i]], &r->b);
        tty_wrap_hang(ik_buf_cstr(&r->b), 0, 2);
    }
    if (n > 0)
        autosave(r);
    if (st == IK_EANSWER) {
        sentence(r, err.msg[0] ? err.msg : "That answer was not understood");
        ik_buf_clear(&r->b);
        ik_buf_printf(&r->b, "Not used: %.*s", (int)(len - used), line + used);
        say(ik_buf_cstr(&r->b));
    } else if (used < len) {
        ik_buf_clear(&r->b);
        ik_buf_printf(&r->b, "Stopped here; not used: %.*s", (int)(len - used),
                      line + used);
        say(ik_buf_cstr(&r->b));
    }
    return RC_CONTINUE;
}

/* Handle one line typed at a question; RC_CONTINUE or an exit code.
 * *reshow: the question screen should be shown again. */
static int handle_line(run *r, const ik_step *s, const char *line, size_t len,
                       bool *reshow)
{
    uint32_t q = s->question;
    ik_error err;
    ik_status st = IK_OK;

    ik_command cmd = ik_interview_command(r->iv, line, len);

    ik_error_clear(&err);
    *reshow = false;
    switch (cmd) {
    case IK_CMD_BACK:
        st = ik_interview_back(r->iv, &err);
        break;
    case IK_CMD_WHY:
        show_why(r);
        return RC_CONTINUE;
    case IK_CMD_SKIP:
        st = ik_interview_skip(r->iv, &err);
        break;
    case IK_CMD_HELP:
        show_help(r, q, s);
        *reshow = true;
        return RC_CONTINUE;
    case IK_CMD_SUMMARY:
        show_summary(r);
        *reshow = true;
        return RC_CONTINUE;
    case IK_CMD_QUIT:
        return leave(r, LEAVE_QUIT);
    case IK_CMD_NONE:
    case IK_CMD__COUNT:
        if (r->nurse && memchr(line, ' ', len))
            return answer_ahead(r, line, len);
        st = ik_interview_answer(r->iv, line, len, &err);
        break;
    }
    if (st == IK_EANSWER) {
        sentence(r, err.msg[0] ? err.msg : "That answer was not understood");
        return RC_CONTINUE;
    }
    if (st != IK_OK)
        return fault(&err);
    autosave(r);
    return RC_CONTINUE;
}

/* ---- The outcome ---- */

/* "Because you said:" and one line per answer behind a part. */
static void explain(run *r, const ik_view *v, ik_view_part part)
{
    const ik_view_list *l = &v->because[part];
    uint32_t i;

    say(r->nurse ? "Because the patient said:" : "Because you said:");
    for (i = 0; i < l->n; i++) {
        const ik_view_answer *a = &v->answers[l->items[i]];
        ik_buf_clear(&r->b);
        ik_buf_printf(&r->b, "- %s -> %s", a->question, a->answer);
        tty_wrap_hang(ik_buf_cstr(&r->b), 2, 4);
    }
}

static void show_because(run *r, const ik_view *v)
{
    blank();
    ik_buf_clear(&r->b);
    ik_buf_printf(&r->b, "Why \"%s\"", v->headline);
    heading(ik_buf_cstr(&r->b));
    if (v->because[IK_VIEW_DISPOSITION].n == 0)
        say(r->nurse ? "No red flag or rule fired, so this is the least "
                       "urgent disposition."
                     : "Nothing you said pointed to a need for urgent care, "
                       "so this is the least urgent advice.");
    else
        explain(r, v, IK_VIEW_DISPOSITION);
    if (v->rung != IK_NONE) {
        blank();
        ik_buf_clear(&r->b);
        ik_buf_printf(&r->b, "Why \"%s\"", v->ladder[v->rung].title);
        heading(ik_buf_cstr(&r->b));
        explain(r, v, IK_VIEW_LADDER);
    }
    if (v->nsections && v->stop_flag == IK_NONE) {
        blank();
        heading("Why these sections");
        explain(r, v, IK_VIEW_SECTIONS);
    }
}

/* Show wrapped text a screenful at a time ("more" between pages).
 * Returns false when the person stopped reading (or input ended). */
static bool page(run *r, const char *body)
{
    char *w = tty_wrap_text(body, 2), *p, *line;
    int rows = tty_height() - 2, shown = 0;
    size_t len;
    bool go_on = true;

    if (!w) {
        say(body);
        return true;
    }
    for (p = w; *p && go_on;) {
        char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
        if (shown >= rows && tty_interactive()) {
            got g = read_line(r, "-- more: Enter to go on, q to stop -- ",
                              &line, &len);
            if (g == GOT_LINE) {
                go_on = !is_word(line, len, "q");
                free(line);
            } else if (g != GOT_AGAIN) {
                go_on = false;
            }
            shown = 0;
            continue;
        }
        fwrite(p, 1, n, tty_out());
        p += n;
        shown++;
    }
    free(w);
    return go_on;
}

/* One "Name: text" line of the hand-off, wrapped at word boundaries with
 * the lines after the first indented. */
static void handoff_line(run *r, const char *name, const char *value)
{
    ik_buf_clear(&r->b);
    ik_buf_printf(&r->b, "%s: %s", name, value);
    tty_wrap_hang(ik_buf_cstr(&r->b), 0, 2);
}

/* The answers of one hand-off group, by the questions' text (the
 * skipped and "not sure" ones by name only). */
static void handoff_answers(run *r, const ik_view *v, ik_view_group group)
{
    static const char *const heads[IK_VIEW_GROUP__COUNT] = {
        [IK_VIEW_ASSESSMENT] = "Assessment:",
        [IK_VIEW_BACKGROUND] = "Background:",
        [IK_VIEW_SKIPPED] = "Skipped:",
        [IK_VIEW_UNSURE] = "Not sure:",
    };
    uint32_t i;
    bool any = false;

    for (i = 0; i < v->nanswers; i++) {
        const ik_view_answer *a = &v->answers[i];
        if (a->group != group)
            continue;
        if (!any)
            tty_printf("%s\n", heads[group]);
        any = true;
        ik_buf_clear(&r->b);
        ik_buf_printf(&r->b, "- %s", a->question);
        if (group == IK_VIEW_ASSESSMENT || group == IK_VIEW_BACKGROUND)
            ik_buf_printf(&r->b, " %s", a->answer);
        tty_wrap_hang(ik_buf_cstr(&r->b), 0, 2);
    }
}

/* The nurse's hand-off on screen: display names, never ids; complete
 * exactly as the outcome JSON says. */
static void show_handoff(run *r, const ik_view *v)
{
    char when[32];
    time_t t = time(NULL);
    struct tm tm;
    uint32_t i;

    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
    blank();
    heading("Hand-off summary");
    say(v->notice);
    handoff_line(r, "Patient",
                 ik_interview_label(r->iv)[0] ? ik_interview_label(r->iv)
                                              : "(no label)");
    ik_buf_clear(&r->b);
    ik_buf_printf(&r->b, "Pack: %s, version %s", v->pack_title,
                  v->pack_version);
    tty_wrap_hang(ik_buf_cstr(&r->b), 0, 2);
    handoff_line(r, "Date", when);
    handoff_line(r, "Status",
                 v->complete ? "complete"
                 : v->stop_flag != IK_NONE
                     ? "incomplete: stopped by a red flag"
                     : "incomplete: not every question was answered");
    handoff_line(r, "Disposition", v->headline);
    if (v->nred_flags == 0)
        handoff_line(r, "Red flags", "none");
    else
        tty_printf("Red flags:\n");
    for (i = 0; i < v->nred_flags; i++) {
        const ik_view_text *f = &v->red_flags[i];
        ik_buf_clear(&r->b);
        ik_buf_printf(&r->b, "- %s", f->title[0] ? f->title : f->text);
        tty_wrap_hang(ik_buf_cstr(&r->b), 0, 2);
    }
    handoff_line(r, "Ladder",
                 v->rung == IK_NONE ? "none" : v->ladder[v->rung].title);
    handoff_answers(r, v, IK_VIEW_BACKGROUND);
    handoff_answers(r, v, IK_VIEW_ASSESSMENT);
    handoff_answers(r, v, IK_VIEW_SKIPPED);
    handoff_answers(r, v, IK_VIEW_UNSURE);
}

/* ---- The outcome screen ---- */

/*
 * The first screen fits the terminal: what to do and by when (the
 * disposition's label and advice: one time frame), the reason, the red
 * flags in plain words, the ladder step, the notice, and a numbered menu
 * of the parts to read, each opened on its own and paged; "all" prints
 * every part in order (and without a terminal, everything is printed in
 * that order at once). All of it read from the outcome's view.
 */
typedef enum part_kind {
    PART_WHY,
    PART_NOTES,
    PART_RUNG,
    PART_SECTION,
    PART_SAFETY,
    PART_HELP,
    PART_HANDOFF
} part_kind;

typedef struct part {
    part_kind kind;
    uint32_t index; /* PART_SECTION: into the view's sections */
} part;

typedef struct menu {
    part *parts;
    uint32_t n;
} menu;

static bool menu_build(run *r, const ik_view *v, menu *m)
{
    bool stopped = v->stop_flag != IK_NONE;
    uint32_t i;

    m->n = 0;
    m->parts = calloc(v->nsections + 8, sizeof *m->parts);
    if (!m->parts)
        return false;
    m->parts[m->n++].kind = PART_WHY;
    /* a stop flag: what to do now, the safety net and help only */
    if (!stopped && v->nnotes > (v->reason_note != IK_NONE))
        m->parts[m->n++].kind = PART_NOTES;
    if (!stopped && v->rung != IK_NONE)
        m->parts[m->n++].kind = PART_RUNG;
    for (i = 0; !stopped && i < v->nsections; i++) {
        m->parts[m->n].kind = PART_SECTION;
        m->parts[m->n++].index = i;
    }
    m->parts[m->n++].kind = PART_SAFETY;
    m->parts[m->n++].kind = PART_HELP;
    if (r->nurse)
        m->parts[m->n++].kind = PART_HANDOFF;
    return true;
}

static const char *part_title(run *r, const ik_view *v, const part *p)
{
    switch (p->kind) {
    case PART_WHY:
        return r->nurse ? "Why this disposition" : "Why this advice";
    case PART_NOTES:
        return r->nurse ? "Notes on the answers" : "Notes on your answers";
    case PART_RUNG:
        ik_buf_clear(&r->b);
        ik_buf_printf(&r->b, "About %s", v->ladder[v->rung].title);
        return ik_buf_cstr(&r->b);
    case PART_SECTION:
        return v->sections[p->index].title;
    case PART_SAFETY:
        return r->nurse ? "Safety net" : "If things change";
    case PART_HELP:
        return r->nurse ? "Getting help" : "How to get help";
    case PART_HANDOFF:
        return "Hand-off summary";
    }
    return "";
}

/* Lines text takes when wrapped at indent. */
static int lines_of(const char *s, int indent)
{
    char *w = tty_wrap_text(s, indent);
    int n = 0;
    const char *p;

    if (!w)
        return 1;
    for (p = w; *p; p++)
        n += *p == '\n';
    free(w);
    return n ? n : 1;
}

/* The menu, in one column when `rows` allow, else in two. */
static void show_menu(run *r, const ik_view *v, const menu *m, int rows)
{
    int w = tty_width(), col = (w - 1) / 2, i, half;
    char item[512];

    if ((int)m->n <= rows || w < 50) {
        for (i = 0; i < (int)m->n; i++) {
            snprintf(item, sizeof item, "%2d  %s", i + 1,
                     part_title(r, v, &m->parts[i]));
            tty_wrap_hang(item, 2, 6);
        }
        return;
    }
    half = ((int)m->n + 1) / 2;
    for (i = 0; i < half; i++) {
        char left[256], right[256];
        int k;
        snprintf(left, sizeof left, "  %2d  %s", i + 1,
                 part_title(r, v, &m->parts[i]));
        right[0] = '\0';
        if (i + half < (int)m->n)
            snprintf(right, sizeof right, "%2d  %s", i + half + 1,
                     part_title(r, v, &m->parts[i + half]));
        /* cut to the column (bytes; titles are short) */
        k = (int)strlen(left);
        if (k > col - 1) {
            memcpy(left + col - 4, "...", 4);
            k = col - 1;
        }
        if ((int)strlen(right) > w - col - 1)
            memcpy(right + (w - col - 4), "...", 4);
        tty_printf("%s%*s%s\n", left, col - k, "", right);
    }
}

static const char *menu_prompt_help(const run *r)
{
    return r->nurse ? "Number to open; handoff; all; why, back, summary; "
                      "Enter to finish."
                    : "Type a number to read it, all for everything, back "
                      "to change, Enter to finish.";
}

/* The first screen. */
static void first_screen(run *r, const ik_view *v, const menu *m)
{
    int used = 0, rows = tty_height();
    uint32_t i;
    ik_step st;

    alert_heading(r, v->headline, v->alarm,
                  r->nurse ? "Disposition" : "What to do");
    used += v->alarm ? 4 : 2;
    if (v->stop_flag != IK_NONE) {
        say(v->red_flags[v->stop_flag].text);
        used += lines_of(v->red_flags[v->stop_flag].text, 0);
    }
    for (i = 0; i < v->nred_flags; i++) {
        if (i == v->stop_flag)
            continue;
        say(v->red_flags[i].text);
        used += lines_of(v->red_flags[i].text, 0);
    }
    say(v->advice);
    used += lines_of(v->advice, 0);
    if (v->nred_flags == 0) {
        ik_buf_clear(&r->b);
        if (ik_view_reason(v)[0])
            ik_buf_printf(&r->b, "Why: %s", ik_view_reason(v));
        else
            ik_buf_puts(&r->b, r->nurse
                                   ? "Why: no red flag or rule fired."
                                   : "Why: nothing you said points to a need "
                                     "for urgent care.");
        say(ik_buf_cstr(&r->b));
        used += lines_of(ik_buf_cstr(&r->b), 0);
    }
    ik_interview_next(r->iv, &st);
    if (st.ended_early) {
        const char *s =
            r->nurse ? "Stopped at an alert before the last questions; type "
                       "back to go on with them."
                     : "You stopped before the last questions. This advice "
                       "is from your answers so far; type back to go on "
                       "with the questions.";
        say(s);
        used += lines_of(s, 0);
    }
    if (v->rung != IK_NONE && v->stop_flag == IK_NONE) {
        ik_buf_clear(&r->b);
        ik_buf_printf(&r->b,
                      r->nurse ? "Ladder rung to discuss: %s"
                               : "Treatment to discuss with your care team: %s",
                      v->ladder[v->rung].title);
        heading(ik_buf_cstr(&r->b));
        used += lines_of(ik_buf_cstr(&r->b), 0);
    }
    tty_printf("%s", tty_on(TTY_DIM));
    say(v->notice);
    tty_printf("%s", tty_off());
    used += lines_of(v->notice, 0);
    blank();
    heading(r->nurse ? "Open:" : "Read more:");
    used += 2;
    /* below the menu: a blank, the help lines and the prompt */
    used += 1 + lines_of(menu_prompt_help(r), 0) + 1 + (r->sess ? 1 : 0);
    show_menu(r, v, m, rows - used);
}

/* Show one part, paged. false: the person stopped reading. */
static bool show_part(run *r, const ik_view *v, const part *p)
{
    const char *title = part_title(r, v, p);
    char *copy = strdup(title);
    uint32_t i;
    bool go_on = true;

    if (p->kind != PART_WHY && p->kind != PART_HANDOFF) { /* own headings */
        blank();
        heading(copy ? copy : "");
    }
    free(copy);
    switch (p->kind) {
    case PART_WHY:
        show_because(r, v);
        break;
    case PART_NOTES:
        for (i = 0; i < v->nnotes && go_on; i++)
            if (i != v->reason_note)
                go_on = page(r, v->notes[i]);
        break;
    case PART_RUNG:
        if (v->ladder[v->rung].text[0])
            go_on = page(r, v->ladder[v->rung].text);
        if (go_on)
            explain(r, v, IK_VIEW_LADDER);
        break;
    case PART_SECTION:
        go_on = page(r, v->sections[p->index].text);
        break;
    case PART_SAFETY:
        go_on = page(r, v->safety_net);
        break;
    case PART_HELP:
        go_on = page(r, v->get_help);
        break;
    case PART_HANDOFF:
        show_handoff(r, v);
        break;
    }
    return go_on;
}

/* Every part in order: for a printer, a pipe, or "all". */
static void show_all(run *r, const ik_view *v, const menu *m)
{
    uint32_t i;

    for (i = 0; i < m->n; i++)
        if (!show_part(r, v, &m->parts[i]))
            return;
}

/* When screens go to stderr (stdout redirected), stdout gets the outcome
 * object, one JSON line. */
static void outcome_to_stdout(run *r)
{
    char *json;
    ik_error err;

    if (tty_out_is_stdout())
        return;
    if (ik_interview_outcome_json(r->iv, &json, &err) == IK_OK) {
        printf("%s\n", json);
        ik_interview_free_string(json);
    }
}

/* After the outcome: why, back, summary, or finish. RC_CONTINUE after
 * back (the interview goes on), else an exit code. */
/* sessions: the end screen's offer, taken by typing "save" */
static void save_summary(run *r)
{
    char path[4096];
    ik_error err;

    ik_error_clear(&err);
    if (cli_save_summary(r->sess, r->iv, path, sizeof path, &err) == IK_OK)
        tty_printf("Summary saved in %s\n", path);
    else
        tty_printf("Could not save the summary: %s\n", err.msg);
}

/* A number from 1 to n typed alone, else 0. */
static uint32_t menu_number(const char *line, size_t len, uint32_t n)
{
    uint32_t v = 0;
    size_t i;

    while (len && (*line == ' ' || *line == '\t')) {
        line++;
        len--;
    }
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    if (len == 0 || len > 4)
        return 0;
    for (i = 0; i < len; i++) {
        if (line[i] < '0' || line[i] > '9')
            return 0;
        v = v * 10 + (uint32_t)(line[i] - '0');
    }
    return v >= 1 && v <= n ? v : 0;
}

static int outcome_loop(run *r)
{
    static const char *const words[] = {"all",  "why",  "back",    "summary",
                                        "help", "quit", "handoff", "save"};
    bool saw_safety = false, offered = false;
    ik_view *v = NULL;
    ik_error verr;
    menu m;
    int rc;

    if (ik_view_new(r->iv, r->aud, &v, &verr) != IK_OK)
        return fault(&verr);
    if (!menu_build(r, v, &m)) {
        ik_view_free(v);
        say("Out of memory.");
        return EXIT_SOFTWARE;
    }
    first_screen(r, v, &m);
    autosave(r);
    if (!tty_interactive()) { /* a pipe or a file: everything, in order */
        show_all(r, v, &m);
        saw_safety = true;
    }
    for (;;) {
        char *line;
        size_t len;
        uint32_t k;
        ik_error err;
        got g;

        tty_set_completions(words, 6 + (r->nurse ? 1 : 0) + (r->sess ? 1 : 0),
                            "");
        blank();
        say(menu_prompt_help(r));
        if (r->sess && !offered) /* sessions: offer the summary */
            say("Type save to keep a summary you can print or paste.");
        offered = true;
        g = read_line(r, r->nurse ? "> " : "Your choice: ", &line, &len);
        if (g == GOT_AGAIN)
            continue;
        if (g != GOT_LINE)
            break;
        tty_history_add(line);
        if ((k = menu_number(line, len, m.n)) != 0) {
            saw_safety |= m.parts[k - 1].kind == PART_SAFETY;
            show_part(r, v, &m.parts[k - 1]);
            free(line);
            continue;
        }
        if (r->nurse &&
            (is_word(line, len, "handoff") || is_word(line, len, "hand-off"))) {
            show_handoff(r, v);
            free(line);
            continue;
        }
        if (is_word(line, len, "all")) {
            show_all(r, v, &m);
            saw_safety = true;
            free(line);
            continue;
        }
        switch (ik_command_parse(line, len)) {
        case IK_CMD_WHY:
            show_because(r, v);
            break;
        case IK_CMD_SUMMARY:
            show_summary(r);
            break;
        case IK_CMD_HELP:
            blank();
            heading(r->nurse ? "Open:" : "Read more:");
            show_menu(r, v, &m, tty_height() - 4);
            say("why: the reasons for this advice; back: change your last "
                "answer; summary: your answers; Enter or quit: finish.");
            break;
        case IK_CMD_BACK:
            free(line);
            free(m.parts);
            ik_view_free(v);
            if (ik_interview_back(r->iv, &err) != IK_OK)
                return fault(&err);
            autosave(r);
            return RC_CONTINUE;
        default:
            if (len == 0 || ik_command_parse(line, len) == IK_CMD_QUIT) {
                free(line);
                goto done;
            }
            if (r->sess && len == 4 && memcmp(line, "save", 4) == 0) {
                save_summary(r); /* sessions */
                break;
            }
            ik_buf_clear(&r->b);
            ik_buf_printf(&r->b,
                          "Please type a number from 1 to %u, all, why, back "
                          "or summary, or press Enter to finish.",
                          (unsigned)m.n);
            say(ik_buf_cstr(&r->b));
            break;
        }
        free(line);
    }
done:
    if (!saw_safety) { /* nobody leaves without it */
        blank();
        heading(r->nurse ? "Safety net" : "If things change");
        say(v->safety_net);
    }
    free(m.parts);
    ik_view_free(v);
    outcome_to_stdout(r);
    if (r->sess && !r->save_failed)
        tty_printf("\nSaved in %s\n", r->sess_path);
    rc = r->save_failed ? unsaved_warning(r) : EXIT_OK;
    say("Take care.");
    return rc;
}

/* ---- Alerts ---- */

/*
 * A red flag with "alert" has just fired: its message and what to do now
 * (the disposition's label, with its time frame, and advice), then go on
 * or stop here. RC_CONTINUE, or an exit code when the person leaves.
 */
static int show_alert(run *r, const ik_step *s)
{
    static const char *const words[] = {"go on", "stop", "quit"};
    uint32_t f = s->alert;
    uint32_t d = ik_red_flag_disposition(r->rb, f);
    ik_error err;

    tty_drop_typeahead(); /* keys typed before the alert showed */
    alert_heading(r, ik_disposition_label(r->rb, d, r->aud),
                  ik_disposition_is_alarm(r->rb, d),
                  r->nurse ? "Alert" : "Please read this now");
    say(ik_red_flag_message(r->rb, f, r->aud));
    say(ik_disposition_advice(r->rb, d, r->aud));
    blank();
    say(r->nurse
            ? "1  go on with the questions\n2  stop here: the outcome"
            : "1  Go on with the questions (you will see this advice again "
              "at the end)\n2  Stop here and see the advice now");
    for (;;) {
        char *line;
        size_t len;
        int go_on = -1;
        got g;

        tty_set_completions(words, 3, "");
        g = read_line(r, r->nurse ? "[1/2] > " : "Type 1 or 2: ", &line, &len);
        if (g == GOT_AGAIN)
            continue;
        if (g == GOT_EOF)
            return leave(r, LEAVE_EOF);
        if (g == GOT_LEAVE)
            return leave(r, LEAVE_INTERRUPT);
        if (is_word(line, len, "1") || is_word(line, len, "go on") ||
            is_word(line, len, "go") || is_word(line, len, "on"))
            go_on = 1;
        else if (is_word(line, len, "2") || is_word(line, len, "stop"))
            go_on = 0;
        else if (ik_command_parse(line, len) == IK_CMD_QUIT) {
            free(line);
            return leave(r, LEAVE_QUIT);
        }
        free(line);
        if (go_on < 0) {
            say("Please type 1 to go on or 2 to stop here.");
            continue;
        }
        ik_error_clear(&err);
        if (ik_interview_alert(r->iv, go_on == 1, &err) != IK_OK)
            return fault(&err);
        autosave(r);
        return RC_CONTINUE;
    }
}

/* ---- The whole run ---- */

static int interview_loop(run *r)
{
    ik_step s, last;
    bool show = true;

    memset(&last, 0, sizeof last);
    last.question = IK_NONE;
    for (;;) {
        uint32_t q;
        char *line;
        size_t len;
        int rc;
        got g;

        ik_interview_next(r->iv, &s);
        if (s.kind == IK_STEP_OUTCOME) {
            rc = outcome_loop(r);
            if (rc != RC_CONTINUE)
                return rc;
            show = true;
            continue;
        }
        if (s.alert != IK_NONE) {
            rc = show_alert(r, &s);
            if (rc != RC_CONTINUE)
                return rc;
            show = true;
            continue;
        }
        if (s.question != last.question || s.number != last.number)
            show = true;
        last = s;
        q = s.question;
        if (show)
            show_question(r, &s);
        show = false;
        set_completions(r, q);
        set_keys(r);
        g = read_line(r, prompt_for(r, q), &line, &len);
        if (g == GOT_EOF)
            return leave(r, LEAVE_EOF);
        if (g == GOT_LEAVE)
            return leave(r, LEAVE_INTERRUPT);
        if (g == GOT_AGAIN)
            continue;
        if (ik_question_type(r->rb, q) == IK_Q_TEXT || len < 200)
            tty_history_add(line);
        rc = handle_line(r, &s, line, len, &show);
        free(line);
        if (rc != RC_CONTINUE)
            return rc;
    }
}

/* Opening screen: title, disclaimer, commands, agreement. 1: agreed. */
static int opening(run *r)
{
    blank();
    heading(ik_rulebook_text(r->rb, IK_PACK_TITLE, r->aud));
    blank();
    say(ik_rulebook_text(r->rb, IK_PACK_DISCLAIMER, r->aud));
    blank();
    say("One question at a time. At any question you can type back, why, "
        "skip, summary, help or quit.");
    blank();
    say(r->nurse ? "Continue?"
                 : "Do you understand this, and do you want to go on?");
    return ask_yes_no(r, "(yes/no): ");
}

/* The label is what a session accepts (engine/session.c decides: valid
 * UTF-8, no control characters, at most IK_SESSION_MAX_LABEL bytes), so
 * that saving never fails on it later. */
static bool label_ok(const run *r, const char *s, size_t n)
{
    ik_session *probe = NULL;
    ik_error err;
    size_t i;

    if (n > IK_SESSION_MAX_LABEL)
        return false;
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return false;
    ik_error_clear(&err);
    if (ik_session_new(r->rb, r->aud, s, 0, &probe, &err) != IK_OK)
        return err.code == IK_ENOMEM; /* out of memory: let saving say so */
    ik_session_free(probe);
    return true;
}

/* Nurse mode: a patient label, optional. false: leave. */
static bool ask_label(run *r)
{
    blank();
    say("Patient label, for the hand-off (optional; press Enter for none).");
    for (;;) {
        char *line;
        size_t len;
        ik_error err;
        got g;

        tty_set_completions(NULL, 0, "");
        g = read_line(r, "Patient label: ", &line, &len);
        if (g == GOT_AGAIN)
            continue;
        if (g != GOT_LINE)
            return false;
        if (!label_ok(r, line, len)) {
            free(line);
            say("Please use plain text of at most 120 characters.");
            continue;
        }
        if (ik_interview_set_label(r->iv, line, &err) != IK_OK) {
            free(line);
            return false;
        }
        free(line);
        return true;
    }
}

static int parse_opts(int argc, char **argv, run_opts *o)
{
    cli_args a;
    char **ops;
    int c, n;

    memset(o, 0, sizeof *o);
    o->mode = "patient";
    cli_args_init(&a, "run", argc, argv);
    while ((c = cli_next_option(&a)) > 0) {
        switch (c) {
        case 'r':
            o->rules = a.value;
            break;
        case 'm':
            o->mode = a.value;
            break;
        case 's':
            o->session = a.value;
            break;
        case 'R':
            o->resume = a.value;
            break;
        case 'a':
            o->answers = a.value;
            break;
        default:
            break;
        }
    }
    if (c < 0)
        return a.rc;
    n = cli_operands(&a, &ops);
    if (n > 1 || (n == 1 && o->rules))
        return cli_usage_error("run", "unexpected argument '%s'", ops[n - 1]);
    if (n == 1)
        o->rules = ops[0];
    if (o->rules && cli_is_stdin(o->rules))
        return cli_usage_error("run", "the pack cannot be - (stdin carries "
                                      "the answers)");
    if (strcmp(o->mode, "patient") != 0 && strcmp(o->mode, "nurse") != 0)
        return cli_usage_error("run", "--mode must be patient or nurse");
    if (o->resume && o->answers)
        return cli_usage_error("run", "--resume and --answers do not mix");
    return RC_CONTINUE;
}

static int load_pack(const run_opts *o, ik_rulebook **rb)
{
    char def[4096];
    const char *path = o->rules;
    ik_error err;

    if (!path && o->resume) /* sessions: the pack the session names */
        path = cli_session_pack(o->resume, def, sizeof def);
    if (!path)
        path = cli_default_pack(def, sizeof def);
    if (!path) {
        fputs("intake: the bundled rule pack was not found; use --rules "
              "FILE\n",
              stderr);
        return EXIT_NOINPUT;
    }
    ik_error_clear(&err);
    if (ik_rulebook_load_file(path, rb, &err) != IK_OK) {
        cli_print_diag(&err, "error");
        return cli_exit_code(err.code);
    }
    return RC_CONTINUE;
}

/* --answers: complete the interview from a file, show the outcome. The
 * --session file (if any) is written only once the answers are accepted. */
static int run_answers(run *r, const char *file, const char *session)
{
    const char *name = cli_is_stdin(file) ? CLI_STDIN_NAME : file;
    char *textbuf = NULL;
    size_t len;
    ik_error err;
    ik_status st;

    ik_error_clear(&err);
    st = cli_read_input(file, IK_SESSION_MAX_FILE, &textbuf, &len, &err);
    if (st == IK_OK)
        st = ik_interview_answer_all(r->iv, textbuf, len, name, &err);
    ik_free(textbuf);
    if (st != IK_OK) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", name);
        cli_print_diag(&err, "error");
        return cli_exit_code(st);
    }
    /* start_session saves the finished interview: nothing else to save */
    if (session && (st = start_session(r, session, &err)) != IK_OK) {
        cli_print_diag(&err, "error");
        return cli_exit_code(st);
    }
    return cli_print_outcome_json(r->iv); /* sessions: JSON for scripts */
}

static int resume(run *r, const char *file)
{
    ik_session_resume info;
    ik_error err;

    ik_error_clear(&err);
    if (ik_session_open_file(file, &r->sess, &err) != IK_OK ||
        ik_session_restore(r->sess, r->rb, &r->iv, &info, &err) != IK_OK) {
        cli_print_diag(&err, "error");
        /* sessions: a damaged file stays as it is; offer a new one */
        ik_session_free(r->sess);
        r->sess = NULL;
        if (err.code == IK_ESESSION && tty_interactive() &&
            ask_yes_no(r, "That file cannot be used and will not be "
                          "changed. Start a new session? (yes/no): ") == 1 &&
            ik_interview_new(r->rb, r->nurse ? "nurse" : "patient", &r->iv,
                             &err) == IK_OK) {
            save_now(r);
            return RC_CONTINUE;
        }
        return cli_exit_code(err.code);
    }
    snprintf(r->sess_path, sizeof r->sess_path, "%s", file);
    r->kept = session_answers(r);
    r->kept_events = ik_session_nevents(r->sess);
    r->saved_at = ik_session_updated(r->sess);
    r->aud = ik_interview_aud(r->iv);
    r->nurse = r->aud == IK_AUD_NURSE;
    blank();
    heading(ik_rulebook_text(r->rb, IK_PACK_TITLE, r->aud));
    say(ik_rulebook_text(r->rb, IK_PACK_DISCLAIMER, r->aud));
    blank();
    tty_printf("Welcome back. %u earlier answer%s kept.\n", (unsigned)info.kept,
               info.kept == 1 ? "" : "s");
    if (info.pack_changed) {
        say("The questions have changed since you started; please check "
            "the ones you are asked again.");
        cli_report_dropped(r->sess, file);
    }
    return RC_CONTINUE;
}

int cmd_run(int argc, char **argv)
{
    run_opts o;
    run r;
    ik_rulebook *rb = NULL;
    ik_error err;
    int rc;

    if ((rc = parse_opts(argc, argv, &o)) != RC_CONTINUE)
        return rc;
    if ((rc = load_pack(&o, &rb)) != RC_CONTINUE)
        return rc;
    memset(&r, 0, sizeof r);
    r.rb = rb;
    ik_buf_init(&r.b);
    r.nurse = strcmp(o.mode, "nurse") == 0;
    r.aud = r.nurse ? IK_AUD_NURSE : IK_AUD_PATIENT;
    tty_open();
    ik_error_clear(&err);
    if (o.resume) {
        rc = resume(&r, o.resume);
    } else if (ik_interview_new(rb, o.mode, &r.iv, &err) != IK_OK) {
        cli_print_diag(&err, "error");
        rc = cli_exit_code(err.code);
    } else if (o.answers) {
        rc = run_answers(&r, o.answers, o.session);
    } else {
        rc = opening(&r);
        if (rc != 1) {
            blank();
            say("That is fine; nothing was asked and nothing was saved. "
                "If you need help:");
            say(ik_rulebook_text(rb, IK_PACK_GET_HELP, r.aud));
            rc = EXIT_OK;
        } else if (r.nurse && !ask_label(&r)) {
            rc = leave(&r, LEAVE_EOF);
        } else if (o.session && start_session(&r, o.session, &err) != IK_OK) {
            cli_print_diag(&err, "error");
            rc = cli_exit_code(err.code);
        } else {
            rc = RC_CONTINUE;
        }
    }
    if (rc == RC_CONTINUE && !r.sess)
        save_now(&r); /* sessions: saved after every answer by default */
    if (rc == RC_CONTINUE)
        rc = interview_loop(&r);
    tty_close();
    fflush(stdout);
    ik_buf_fini(&r.b);
    ik_session_free(r.sess);
    ik_interview_free(r.iv);
    ik_rulebook_free(rb);
    return rc;
}
