/*
 * sessions_e2e.c -- end-to-end tests of sessions through the real program:
 * SIGKILL at random moments of scripted pseudo-terminal interviews (every
 * answer the screen acknowledged must be in the session file, and resuming
 * must reach the uninterrupted outcome), 0600 under umask 000, a symbolic
 * link at the session path, a file-size limit, a damaged file on resume,
 * --answers errors, round trips through export, and `intake sessions`.
 *
 *   sessions_e2e INTAKE PACK kill SEED COUNT
 *   sessions_e2e INTAKE PACK files | damaged | answers | roundtrip | list
 *   sessions_e2e INTAKE PACK race PAIRS | lock | trust | full | replay
 *   sessions_e2e INTAKE PACK fifo
 *
 * Works in temporary folders (HOME and XDG_STATE_HOME point there); kills
 * its children on any failure so a test never hangs. Exit 0 pass, 1 fail.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* forkpty, mkdtemp */
#define _GNU_SOURCE     /* unshare: a small tmpfs of our own */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "session.h"

static char *intake, *pack;
static char home[256];
static rlim_t child_fsize; /* RLIMIT_FSIZE for children; 0: none */
static pid_t live = -1; /* a child to kill when failing */

static void fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void fail(const char *fmt, ...)
{
    va_list ap;

    if (live > 0) {
        kill(live, SIGKILL);
        waitpid(live, NULL, 0);
    }
    fputs("FAIL: ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    exit(1);
}

/* ---- The scripted interview (tests/data/sessions/pack.json) ---- */

typedef struct step {
    const char *screen; /* text that shows the question */
    const char *answer; /* what the person types */
    const char *id;
} step;

static const step script[] = {
    {"Welcome.", "", "welcome"},
    {"Have you had back surgery?", "yes", "had_surgery"},
    {"What kind?", "2", "surgery_kind"},
    {"Numb between the legs?", "no", "numb_saddle"},
    {"Pain from 0 to 10?", "8", "pain"},
    {"What have you tried?", "1 2", "tried"},
    {"Anything else?", "stiff and sore", "notes"},
};
enum { NSTEPS = sizeof script / sizeof script[0] };
#define OUTCOME_SCREEN "Type save to keep a summary"

/* ---- Children ---- */

typedef struct child {
    pid_t pid;
    int fd;    /* pty master, or the child's stdout+stderr pipe */
    char *out; /* everything read, NUL-terminated, '\r' dropped */
    size_t n, cap;
} child;

static void setup_env(void)
{
    char xdg[300];

    snprintf(xdg, sizeof xdg, "%s/state", home);
    setenv("HOME", home, 1);
    setenv("XDG_STATE_HOME", xdg, 1);
    setenv("TERM", "dumb", 1);
    setenv("INPUTRC", "/dev/null", 1);
    setenv("NO_COLOR", "1", 1);
    if (child_fsize) {
        struct rlimit rl = {child_fsize, child_fsize};
        signal(SIGXFSZ, SIG_IGN);
        setrlimit(RLIMIT_FSIZE, &rl);
    }
    umask(0);             /* files must come out 0600 anyway */
    if (chdir(home) != 0) /* summaries land in the current folder */
        _exit(126);
}

static void spawn_pty(child *c, char *const argv[])
{
    struct winsize ws = {24, 80, 0, 0};

    memset(c, 0, sizeof c[0]);
    c->pid = forkpty(&c->fd, NULL, NULL, &ws);
    if (c->pid < 0)
        fail("forkpty: %s", strerror(errno));
    if (c->pid == 0) {
        setup_env();
        execv(argv[0], argv);
        _exit(127);
    }
    live = c->pid;
}

/* Read what is there within ms; false at EOF. */
static bool pump(child *c, int ms)
{
    struct pollfd p = {c->fd, POLLIN, 0};
    char buf[4096];
    ssize_t got;
    int i;

    if (poll(&p, 1, ms) <= 0)
        return true;
    got = read(c->fd, buf, sizeof buf);
    if (got <= 0)
        return false;
    if (c->n + (size_t)got + 1 > c->cap) {
        c->cap = (c->n + (size_t)got + 1) * 2;
        c->out = realloc(c->out, c->cap);
        if (!c->out)
            fail("out of memory");
    }
    for (i = 0; i < got; i++)
        if (buf[i] != '\r')
            c->out[c->n++] = buf[i];
    c->out[c->n] = '\0';
    return true;
}

/* Wait until one of the texts appears at or after `from`; returns its
 * index and sets *at to the position just after it. */
static int wait_any(child *c, size_t from, const char *const *texts, size_t *at)
{
    struct timespec t0, t1;
    int i;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        for (i = 0; texts[i]; i++) {
            const char *p =
                c->n > from ? strstr(c->out + from, texts[i]) : NULL;
            if (p) {
                *at = (size_t)(p - c->out) + strlen(texts[i]);
                return i;
            }
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (t1.tv_sec - t0.tv_sec > 20)
            fail("timed out waiting for '%s'; screen:\n%s", texts[0],
                 c->out ? c->out : "");
        if (!pump(c, 100))
            fail("the program ended while waiting for '%s'; screen:\n%s",
                 texts[0], c->out ? c->out : "");
    }
}

static void type(child *c, const char *s)
{
    size_t n = strlen(s);

    if (write(c->fd, s, n) != (ssize_t)n || write(c->fd, "\r", 1) != 1)
        fail("write to the program: %s", strerror(errno));
}

static void drain(child *c)
{
    while (pump(c, 50) && c->n < (1u << 24))
        ;
}

static int reap(child *c)
{
    int status;

    drain(c);
    if (waitpid(c->pid, &status, 0) != c->pid)
        fail("waitpid: %s", strerror(errno));
    live = -1;
    close(c->fd);
    return status;
}

static void child_free(child *c)
{
    free(c->out);
    c->out = NULL;
}

/* Run the program with stdin from `input` (may be NULL) and stdout and
 * stderr into one buffer; returns the exit status (or 128 + signal). */
static int run_pipe(char *const argv[], const char *input, child *c,
                    rlim_t fsize)
{
    int in[2], out[2], status;
    size_t n = input ? strlen(input) : 0;

    memset(c, 0, sizeof c[0]);
    if (pipe(in) != 0 || pipe(out) != 0)
        fail("pipe: %s", strerror(errno));
    c->pid = fork();
    if (c->pid < 0)
        fail("fork: %s", strerror(errno));
    if (c->pid == 0) {
        setup_env();
        if (fsize) {
            struct rlimit rl = {fsize, fsize};
            signal(SIGXFSZ, SIG_IGN); /* as `trap '' XFSZ` would */
            setrlimit(RLIMIT_FSIZE, &rl);
        }
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(out[1], 2);
        close(in[1]);
        close(out[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    live = c->pid;
    close(in[0]);
    close(out[1]);
    /* a child that refuses at once (exit 74) may be gone before it reads:
     * EPIPE is no failure; its output and exit code are checked */
    if (n && write(in[1], input, n) != (ssize_t)n && errno != EPIPE)
        fail("write input: %s", strerror(errno));
    close(in[1]);
    c->fd = out[0];
    while (pump(c, 20000))
        ;
    waitpid(c->pid, &status, 0);
    live = -1;
    close(c->fd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- Files ---- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
        fail("read %s", path);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        fail("write %s", path);
}

static void make_home(const char *tag)
{
    snprintf(home, sizeof home, "/tmp/ik-sess-%s-XXXXXX", tag);
    if (!mkdtemp(home))
        fail("mkdtemp: %s", strerror(errno));
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char path[1024];

    if (!d)
        return;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (unlink(path) != 0)
            remove_tree(path);
    }
    closedir(d);
    rmdir(dir);
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;

    if (!d)
        return 0;
    while ((de = readdir(d)) != NULL)
        n += de->d_name[0] != '.' ||
             (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."));
    closedir(d);
    return n;
}

static ik_session *load(const char *path)
{
    ik_session *s = NULL;
    ik_error err;

    ik_error_clear(&err);
    if (ik_session_load_file(path, &s, &err) != IK_OK)
        fail("%s:%d:%d: %s", err.file, err.line, err.col, err.msg);
    return s;
}

static void expect_mode(const char *path, unsigned mode)
{
    struct stat st;

    if (stat(path, &st) != 0)
        fail("stat %s: %s", path, strerror(errno));
    if ((st.st_mode & 07777) != mode)
        fail("%s has mode %o, not %o", path, st.st_mode & 07777, mode);
}

/* ---- Driving an interview ---- */

static int step_on_screen(const char *from)
{
    int i;
    const char *best = NULL;
    int which = -1;

    for (i = 0; i < NSTEPS; i++) {
        const char *p = strstr(from, script[i].screen);
        if (p && (!best || p > best)) {
            best = p;
            which = i;
        }
    }
    return which;
}

/* Answers acknowledged so far: the furthest screen shown (a question
 * shows only after the answers before it were saved). */
static int acknowledged(const char *out)
{
    int i;

    if (strstr(out, OUTCOME_SCREEN))
        return NSTEPS;
    for (i = NSTEPS - 1; i >= 0; i--)
        if (strstr(out, script[i].screen))
            return i;
    return 0;
}

/*
 * Run (or resume) the interview in a pty, answering as the script says.
 * kill_after >= 0: after that many answers typed in this run, wait a
 * random 0-2 ms and SIGKILL. Returns true when it ran to the end.
 */
static bool interview(char *session, bool resume, int kill_after, int *acked)
{
    static const char *const prompts[] = {
        "Your answer: ", "Press Enter to go on: ",
        "(yes/no): ",    "Your choice: ",
        "Read ",         NULL};
    char *argv[] = {intake,
                    (char[]){"run"},
                    (char[]){"--rules"},
                    pack,
                    resume ? (char[]){"--resume"} : (char[]){"--session"},
                    session,
                    NULL};
    child c;
    size_t from = 0, at;
    int typed = 0, status, p;

    spawn_pty(&c, argv);
    for (;;) {
        p = wait_any(&c, from, prompts, &at);
        if (p == 2) { /* the disclaimer */
            type(&c, "yes");
        } else if (p == 4) { /* sections, one at a time */
            size_t end;
            static const char *const colon[] = {": ", NULL};
            wait_any(&c, at, colon, &end);
            type(&c, "skip");
            at = end;
        } else if (p == 3) { /* the outcome: finish */
            type(&c, "");
            status = reap(&c);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                fail("the finished run exited %d:\n%s", status, c.out);
            *acked = acknowledged(c.out);
            child_free(&c);
            return true;
        } else {
            int s = step_on_screen(c.out + from);
            if (s < 0)
                fail("no known question before a prompt:\n%s", c.out + from);
            type(&c, script[s].answer);
            typed++;
        }
        from = at;
        if (kill_after >= 0 && typed >= kill_after) {
            struct timespec d = {0, (rand() % 2000) * 1000L};
            nanosleep(&d, NULL);
            kill(c.pid, SIGKILL);
            status = reap(&c);
            if (!WIFSIGNALED(status) && WIFEXITED(status) &&
                WEXITSTATUS(status) != 0)
                fail("the run exited %d before the kill", status);
            *acked = acknowledged(c.out);
            child_free(&c);
            return false;
        }
    }
}

/* After a kill: the file parses, is 0600, and holds every answer the
 * screen had acknowledged, in order. */
static void check_after_kill(const char *session, int acked)
{
    ik_session *s;
    size_t i;
    int want;

    if (access(session, F_OK) != 0) {
        if (acked > 0)
            fail("no session file after %d acknowledged answers", acked);
        return;
    }
    expect_mode(session, 0600);
    s = load(session);
    for (want = 0; want < acked; want++) {
        bool found = false;
        for (i = 0; i < ik_session_nevents(s) && !found; i++)
            found = strcmp(ik_session_event_at(s, i)->question,
                           script[want].id) == 0;
        if (!found)
            fail("answer to '%s' was acknowledged but is not saved",
                 script[want].id);
    }
    ik_session_free(s);
}

static char *uninterrupted_outcome(void)
{
    char path[300];
    ik_session *s;
    char *out;
    int acked;

    snprintf(path, sizeof path, "%s/reference.json", home);
    if (!interview(path, false, -1, &acked) || acked != NSTEPS)
        fail("the uninterrupted run did not finish");
    s = load(path);
    if (!ik_session_is_complete(s))
        fail("the uninterrupted session is not complete");
    out = strdup(ik_session_outcome(s));
    ik_session_free(s);
    return out;
}

static int test_kill(unsigned seed, int count)
{
    char *reference;
    int kills = 0, round = 0;

    srand(seed);
    make_home("kill");
    reference = uninterrupted_outcome();
    while (kills < count) {
        char path[300];
        bool resume = false, done = false;
        int runs;
        ik_session *s;

        snprintf(path, sizeof path, "%s/round%d.json", home, round++);
        for (runs = 0; !done && runs < 12; runs++) {
            int acked = 0;
            /* kill most runs, at a random answer (0: during start-up) */
            int kill_after =
                kills < count && rand() % 5 != 0 ? rand() % (NSTEPS + 2) : -1;
            done = interview(path, resume, kill_after, &acked);
            if (!done) {
                kills++;
                check_after_kill(path, acked);
            }
            resume = access(path, F_OK) == 0;
        }
        if (!done)
            fail("round %d never finished", round);
        s = load(path);
        if (!ik_session_is_complete(s) ||
            strcmp(ik_session_outcome(s), reference) != 0)
            fail("resumed outcome differs:\n%s\nvs uninterrupted\n%s",
                 ik_session_outcome(s) ? ik_session_outcome(s) : "(none)",
                 reference);
        ik_session_free(s);
    }
    printf("%d kills in %d interviews: every acknowledged answer was saved "
           "and every resumed interview reached the uninterrupted outcome\n",
           kills, round);
    free(reference);
    remove_tree(home);
    return 0;
}

/* ---- Files: 0600, 0700, symlink, file-size limit ---- */

static void expect_in(const child *c, const char *text)
{
    if (!c->out || !strstr(c->out, text))
        fail("expected '%s' in:\n%s", text, c->out ? c->out : "");
}

static int test_files(void)
{
    char path[300], victim[300], dir[300], answers[300], *before, *after;
    char *run_session[] = {intake, (char[]){"run"},       (char[]){"--rules"},
                           pack,   (char[]){"--session"}, path,
                           NULL};
    char *run_answers[] = {intake,
                           (char[]){"run"},
                           (char[]){"--rules"},
                           pack,
                           (char[]){"--answers"},
                           answers,
                           (char[]){"--session"},
                           path,
                           NULL};
    char *run_default[] = {intake, (char[]){"run"}, (char[]){"--rules"}, pack,
                           NULL};
    char *resume[] = {intake, (char[]){"run"},      (char[]){"--rules"},
                      pack,   (char[]){"--resume"}, path,
                      NULL};
    char input[2048];
    child c;
    int rc;

    make_home("files");
    snprintf(answers, sizeof answers, "%s/a.json", home);
    write_text(answers, "{\"had_surgery\": false, \"numb_saddle\": false, "
                        "\"pain\": 3}");

    /* the default folder is made 0700, the file 0600, under umask 000 */
    rc = run_pipe(run_default, "yes\n\nno\n", &c, 0);
    snprintf(dir, sizeof dir, "%s/state/intake", home);
    expect_in(&c, "intake --resume ");
    expect_mode(dir, 0700);
    if (count_files(dir) != 1)
        fail("expected one session in %s", dir);
    child_free(&c);
    (void)rc;

    /* a symbolic link at the session path is refused, its target kept */
    snprintf(path, sizeof path, "%s/link.json", home);
    snprintf(victim, sizeof victim, "%s/victim.txt", home);
    write_text(victim, "do not touch\n");
    if (symlink(victim, path) != 0)
        fail("symlink: %s", strerror(errno));
    rc = run_pipe(run_answers, NULL, &c, 0);
    if (rc == 0)
        fail("saving through a symbolic link succeeded:\n%s", c.out);
    expect_in(&c, "symbolic link");
    after = slurp(victim);
    if (strcmp(after, "do not touch\n") != 0)
        fail("the link's target changed");
    free(after);
    child_free(&c);
    unlink(path);

    /* a file-size limit: the save is reported, the last file stays */
    snprintf(path, sizeof path, "%s/limited.json", home);
    rc = run_pipe(run_session, "yes\n\nno\n", &c, 0); /* two answers */
    child_free(&c);
    before = slurp(path);
    if (!before)
        fail("no session after the first run");
    expect_mode(path, 0600);
    memset(input, 0, sizeof input);
    snprintf(input, sizeof input, "no\n3\nnone\n%0180d\n\n", 7);
    rc = run_pipe(resume, input, &c, (rlim_t)strlen(before) + 10);
    expect_in(&c, "Could not save your answers:");
    expect_in(&c, "File too large");
    after = slurp(path);
    if (strcmp(before, after) != 0)
        fail("the session file changed although its save failed");
    { /* temp files start with '.' */
        DIR *d = opendir(home);
        struct dirent *de;
        while (d && (de = readdir(d)) != NULL)
            if (strncmp(de->d_name, ".limited.json.", 14) == 0)
                fail("a temporary file was left behind: %s", de->d_name);
        if (d)
            closedir(d);
    }
    free(before);
    free(after);
    child_free(&c);
    (void)rc;
    printf("files: 0700 folder and 0600 file under umask 000; symbolic "
           "link refused; file-size limit reported, old file intact\n");
    remove_tree(home);
    return 0;
}

/* ---- A damaged file on resume ---- */

static int test_damaged(void)
{
    static const char damaged[] = "{\"format\": \"intake-session/1\",\n"
                                  "  \"pack\": {\"id\": \"session-te";
    char path[300], *after;
    char *resume[] = {intake, (char[]){"run"},      (char[]){"--rules"},
                      pack,   (char[]){"--resume"}, path,
                      NULL};
    static const char *const offer[] = {"Start a new session? (yes/no): ",
                                        NULL};
    static const char *const saved[] = {"intake --resume ", NULL};
    static const char *const question[] = {"Press Enter to go on: ", NULL};
    child c;
    size_t at;
    int rc;

    make_home("damaged");
    snprintf(path, sizeof path, "%s/d.json", home);
    write_text(path, damaged);
    /* without a terminal: the position is reported, exit 65 */
    rc = run_pipe(resume, "", &c, 0);
    if (rc != 65)
        fail("damaged resume exited %d, not 65:\n%s", rc, c.out);
    expect_in(&c, "d.json:2:");
    expect_in(&c, "error: damaged session file");
    child_free(&c);
    /* on a terminal: offered a new session, which is saved elsewhere */
    spawn_pty(&c, resume);
    wait_any(&c, 0, offer, &at);
    expect_in(&c, "d.json:2:");
    type(&c, "yes");
    wait_any(&c, at, saved, &at);
    wait_any(&c, at, question, &at);
    type(&c, "quit");
    reap(&c);
    child_free(&c);
    after = slurp(path);
    if (strcmp(after, damaged) != 0)
        fail("the damaged file was changed");
    free(after);
    {
        char dir[300];
        snprintf(dir, sizeof dir, "%s/state/intake", home);
        if (count_files(dir) != 1)
            fail("the new session was not saved in %s", dir);
    }
    printf("damaged: reported at its position, never overwritten, a new "
           "session offered and saved elsewhere\n");
    remove_tree(home);
    return 0;
}

/* ---- --answers ---- */

static int test_answers(void)
{
    static const struct {
        const char *json;
        int rc;
        const char *says;
    } cases[] = {
        {"{\"had_surgery\": false, \"numb_saddle\": false, \"pain\": 9}", 0,
         "\"disposition\":\"soon\""},
        {"{\"had_surgery\": false, \"numb_saddle\": false, \"pain\": 9, "
         "\"colour\": 1}",
         65, "colour"},
        {"{\"had_surgery\": \"maybe\", \"numb_saddle\": false, \"pain\": 9}",
         65, "had_surgery"},
        {"{\"had_surgery\": false, \"numb_saddle\": false, \"pain\": 11}", 65,
         "pain"},
        {"{\"had_surgery\": false, \"numb_saddle\": false}", 65, "pain"},
        {"{\"had_surgery\": false, \"numb_saddle\": false, \"pain\": 9, "
         "\"tried\": [\"surgery\"]}",
         65, "tried"},
        {"[1, 2]", 65, ""},
    };
    char answers[300];
    char *argv[] = {intake, (char[]){"run"},       (char[]){"--rules"},
                    pack,   (char[]){"--answers"}, answers,
                    NULL};
    size_t i;

    make_home("answers");
    snprintf(answers, sizeof answers, "%s/a.json", home);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        child c;
        int rc;
        write_text(answers, cases[i].json);
        rc = run_pipe(argv, NULL, &c, 0);
        if (rc != cases[i].rc)
            fail("%s: exit %d, not %d:\n%s", cases[i].json, rc, cases[i].rc,
                 c.out);
        expect_in(&c, cases[i].says);
        if (rc == 0 && c.out[0] != '{')
            fail("--answers printed more than the outcome JSON:\n%s", c.out);
        child_free(&c);
    }
    printf("answers: outcome JSON on success; unknown id, wrong type, out "
           "of range, missing required answer: exit 65 naming the id\n");
    remove_tree(home);
    return 0;
}

/* ---- Round trips ---- */

/* The "answers" member of an exported JSON, as compact JSON text. */
static char *exported_answers(char *session)
{
    char *argv[] = {intake,           (char[]){"export"},
                    session,          (char[]){"--format"},
                    (char[]){"json"}, NULL};
    ik_json_doc doc;
    ik_error err;
    child c;
    char *out;
    int rc = run_pipe(argv, NULL, &c, 0);

    if (rc != 0)
        fail("export json exited %d:\n%s", rc, c.out);
    ik_error_clear(&err);
    if (ik_json_parse(c.out, c.n, "export", 0, &doc, &err) != IK_OK)
        fail("export json is not JSON: %s\n%s", err.msg, c.out);
    out = cJSON_PrintUnformatted(ik_json_get(doc.root, "answers"));
    ik_json_doc_fini(&doc);
    child_free(&c);
    return out;
}

static char *replay(const char *answers_json)
{
    char path[300];
    char *argv[] = {intake, (char[]){"run"},       (char[]){"--rules"},
                    pack,   (char[]){"--answers"}, path,
                    NULL};
    child c;
    char *out;
    size_t n;

    snprintf(path, sizeof path, "%s/replay.json", home);
    write_text(path, answers_json);
    if (run_pipe(argv, NULL, &c, 0) != 0)
        fail("replay failed:\n%s", c.out);
    n = strlen(c.out);
    while (n && c.out[n - 1] == '\n')
        c.out[--n] = '\0';
    out = strdup(c.out);
    child_free(&c);
    return out;
}

static int test_roundtrip(void)
{
    char path[300], answers[300], *a, *o1, *o2;
    char *from_answers[] = {intake,
                            (char[]){"run"},
                            (char[]){"--rules"},
                            pack,
                            (char[]){"--answers"},
                            answers,
                            (char[]){"--session"},
                            path,
                            NULL};
    ik_session *s;
    child c;
    int acked;

    make_home("roundtrip");
    /* answers -> session -> export json -> --answers replay */
    snprintf(answers, sizeof answers, "%s/a.json", home);
    snprintf(path, sizeof path, "%s/s1.json", home);
    write_text(answers, "{\"had_surgery\": true, \"surgery_kind\": "
                        "\"fusion\", \"numb_saddle\": false, \"pain\": 6, "
                        "\"tried\": [\"medicines\", \"injection\"], "
                        "\"notes\": \"one \\\"quoted\\\" caf\xc3\xa9\"}");
    if (run_pipe(from_answers, NULL, &c, 0) != 0)
        fail("--answers run failed:\n%s", c.out);
    o1 = strdup(c.out);
    o1[strcspn(o1, "\n")] = '\0';
    child_free(&c);
    a = exported_answers(path);
    o2 = replay(a);
    if (strcmp(o1, o2) != 0)
        fail("replayed outcome differs:\n%s\n%s", o1, o2);
    free(a);
    free(o1);
    free(o2);
    /* a person's session -> export json -> --answers replay */
    snprintf(path, sizeof path, "%s/s2.json", home);
    if (!interview(path, false, -1, &acked))
        fail("interview did not finish");
    s = load(path);
    a = exported_answers(path);
    o2 = replay(a);
    if (strcmp(ik_session_outcome(s), o2) != 0)
        fail("replayed outcome differs from the session's:\n%s\n%s",
             ik_session_outcome(s), o2);
    ik_session_free(s);
    free(a);
    free(o2);
    printf("roundtrip: answers -> session -> export json -> --answers "
           "gives the same outcome, from a file and from a person\n");
    remove_tree(home);
    return 0;
}

/* ---- intake sessions and the export formats ---- */

static int test_list(void)
{
    char path[300];
    char *list[] = {intake, (char[]){"sessions"}, NULL};
    char *nurse[] = {intake, (char[]){"run"},    (char[]){"--rules"},
                     pack,   (char[]){"--mode"}, (char[]){"nurse"},
                     NULL};
    char *patient[] = {intake, (char[]){"run"}, (char[]){"--rules"}, pack,
                       NULL};
    char *formats[] = {(char[]){"json"}, (char[]){"fhir"}, (char[]){"markdown"},
                       (char[]){"text"}, NULL};
    child c;
    const char *p, *q;
    int i;

    make_home("list");
    if (run_pipe(list, NULL, &c, 0) != 0)
        fail("intake sessions failed:\n%s", c.out);
    expect_in(&c, "No saved sessions");
    child_free(&c);
    run_pipe(patient, "yes\n\nno\n", &c, 0);
    child_free(&c);
    sleep(1); /* started times differ by a second at least */
    run_pipe(nurse, "yes\nBed 7\n\nno\nno\n3\nnone\nok\n\n", &c, 0);
    child_free(&c);
    if (run_pipe(list, NULL, &c, 0) != 0)
        fail("intake sessions failed:\n%s", c.out);
    p = strstr(c.out, "Bed 7");
    q = strstr(c.out, "in progress");
    if (!p || !q || !strstr(c.out, "complete") ||
        !strstr(c.out, "session-test@1.0.0") || p > q)
        fail("unexpected listing (newest, complete, first):\n%s", c.out);
    /* export every format of the listed files */
    p = strstr(c.out, home);
    if (!p)
        fail("no file in the listing:\n%s", c.out);
    snprintf(path, sizeof path, "%.*s", (int)strcspn(p, "\n"), p);
    child_free(&c);
    for (i = 0; formats[i]; i++) {
        char *exp[] = {intake,     (char[]){"export"},
                       path,       (char[]){"--format"},
                       formats[i], NULL};
        if (run_pipe(exp, NULL, &c, 0) != 0)
            fail("export %s failed:\n%s", formats[i], c.out);
        child_free(&c);
    }
    { /* a session read with another pack is refused */
        char other[600];
        char *exp[] = {
            intake, (char[]){"export"}, path, (char[]){"--rules"}, other, NULL};
        int rc;
        snprintf(other, sizeof other,
                 "%.*s/../../../rules/failed-back-syndrome.json",
                 (int)(strrchr(pack, '/') - pack), pack);
        rc = run_pipe(exp, NULL, &c, 0);
        if (rc != 65)
            fail("export with another pack exited %d:\n%s", rc, c.out);
        expect_in(&c, "not 'failed-back-syndrome'");
        child_free(&c);
    }
    printf("list: newest first with label, pack and state; every export "
           "format runs; another pack is refused\n");
    remove_tree(home);
    return 0;
}

/* ---- The summary offered on the end screen ---- */

static int test_summary(void)
{
    static const char *const prompts[] = {
        "Your answer: ", "Press Enter to go on: ",
        "(yes/no): ",    "Your choice: ",
        "Read ",         NULL};
    static const char *const saved[] = {"Summary saved in ", NULL};
    static const char *const again[] = {"Your choice: ", NULL};
    char path[300], file[600], file2[600], *text;
    char *argv[] = {intake, (char[]){"run"},       (char[]){"--rules"},
                    pack,   (char[]){"--session"}, path,
                    NULL};
    child c;
    size_t from = 0, at;
    int p, status;

    make_home("summary");
    snprintf(path, sizeof path, "%s/s.json", home);
    spawn_pty(&c, argv);
    while ((p = wait_any(&c, from, prompts, &at)) != 3) {
        if (p == 2)
            type(&c, "yes");
        else if (p == 4)
            type(&c, "skip");
        else
            type(&c, script[step_on_screen(c.out + from)].answer);
        from = at;
    }
    type(&c, "save");
    wait_any(&c, at, saved, &at);
    wait_any(&c, at, again, &from);
    snprintf(file, sizeof file, "%.*s", (int)strcspn(c.out + at, "\n"),
             c.out + at);
    /* a second save in the same minute: a second file */
    type(&c, "save");
    wait_any(&c, from, saved, &at);
    wait_any(&c, at, again, &from);
    snprintf(file2, sizeof file2, "%.*s", (int)strcspn(c.out + at, "\n"),
             c.out + at);
    if (strcmp(file, file2) == 0 || access(file2, F_OK) != 0)
        fail("the second summary was not saved apart: '%s', '%s'", file,
             file2);
    type(&c, "");
    status = reap(&c);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail("the run exited %d", status);
    if (strncmp(file, home, strlen(home)) != 0)
        fail("the summary is not in the current folder: %s", file);
    expect_mode(file, 0600);
    text = slurp(file);
    if (!text || !strstr(text, "What to do next") ||
        !strstr(text, "Pain from 0 to 10? 8 points"))
        fail("unexpected summary:\n%s", text ? text : "(none)");
    free(text);
    child_free(&c);
    printf("summary: 'save' on the end screen writes a 0600 text page; "
           "saved again, a second one\n");
    remove_tree(home);
    return 0;
}

/* ---- Two intakes, one session (issue 18) ---- */

/* Start the program with stdout and stderr to /dev/null; returns its pid. */
static pid_t spawn_quiet(char *const argv[])
{
    pid_t pid = fork();

    if (pid < 0)
        fail("fork: %s", strerror(errno));
    if (pid == 0) {
        int fd = open("/dev/null", O_RDWR);
        setup_env();
        if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static int wait_status(pid_t pid)
{
    int status;

    if (waitpid(pid, &status, 0) != pid)
        fail("waitpid: %s", strerror(errno));
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Pairs of processes create the same session file at once: exactly one
 * succeeds, the other exits 74, and the file is the winner's. */
static int test_race(int pairs)
{
    char path[300], a1[300], a2[300];
    char *one[] = {intake, (char[]){"run"},       (char[]){"--rules"},
                   pack,   (char[]){"--answers"}, a1,
                   (char[]){"--session"},         path,
                   NULL};
    char *two[] = {intake, (char[]){"run"},       (char[]){"--rules"},
                   pack,   (char[]){"--answers"}, a2,
                   (char[]){"--session"},         path,
                   NULL};
    int i, wins[2] = {0, 0};

    make_home("race");
    snprintf(a1, sizeof a1, "%s/a1.json", home);
    snprintf(a2, sizeof a2, "%s/a2.json", home);
    write_text(a1, "{\"had_surgery\": false, \"numb_saddle\": false, "
                   "\"pain\": 9}");
    write_text(a2, "{\"had_surgery\": false, \"numb_saddle\": false, "
                   "\"pain\": 2}");
    for (i = 0; i < pairs; i++) {
        pid_t p1, p2;
        int r1, r2;
        ik_session *s;
        bool soon;
        snprintf(path, sizeof path, "%s/race%d.json", home, i);
        p1 = spawn_quiet(one);
        p2 = spawn_quiet(two);
        r1 = wait_status(p1);
        r2 = wait_status(p2);
        if (!((r1 == 0 && r2 == 74) || (r1 == 74 && r2 == 0)))
            fail("pair %d: both creating %s exited %d and %d; exactly one "
                 "must win (the other 74)",
                 i, path, r1, r2);
        s = load(path);
        soon = strstr(ik_session_outcome(s), "\"disposition\":\"soon\"") != 0;
        if (soon != (r1 == 0))
            fail("pair %d: the file holds the session of the process that "
                 "failed",
                 i);
        wins[r1 != 0]++;
        ik_session_free(s);
        unlink(path);
    }
    printf("race: %d pairs created one session file at once: one won each "
           "time (%d and %d), the other exited 74, no session lost\n",
           pairs, wins[0], wins[1]);
    remove_tree(home);
    return 0;
}

/* Drive a pty interview up to (not including) script step `upto`. */
static void answer_until(child *c, size_t *from, int upto)
{
    static const char *const prompts[] = {"Your answer: ",
                                          "Press Enter to go on: ",
                                          "(yes/no): ", NULL};
    size_t at;
    int p, st;

    for (;;) {
        p = wait_any(c, *from, prompts, &at);
        st = step_on_screen(c->out + *from);
        if (p == 2) {
            type(c, "yes");
        } else {
            if (st >= upto) {
                *from = at;
                return;
            }
            type(c, script[st].answer);
        }
        *from = at;
    }
}

/* A session open in one intake cannot be resumed in another. */
static int test_lock(void)
{
    char path[300], *before, *after;
    char *first[] = {intake, (char[]){"run"},       (char[]){"--rules"},
                     pack,   (char[]){"--session"}, path,
                     NULL};
    char *second[] = {intake, (char[]){"run"},      (char[]){"--rules"},
                      pack,   (char[]){"--resume"}, path,
                      NULL};
    child a, b;
    size_t from = 0;
    int rc, status;
    ik_session *s;

    make_home("lock");
    snprintf(path, sizeof path, "%s/s.json", home);
    spawn_pty(&a, first);
    answer_until(&a, &from, 3); /* welcome, surgery, kind answered */
    before = slurp(path);
    live = -1; /* run_pipe's child is the one to kill on failure now */
    rc = run_pipe(second, "no\nno\n5\n", &b, 0);
    live = a.pid;
    if (rc != 74)
        fail("resuming a session open in another intake exited %d, not "
             "74:\n%s",
             rc, b.out);
    expect_in(&b, "open in another intake");
    after = slurp(path);
    if (strcmp(before, after) != 0)
        fail("the refused resume changed the file");
    child_free(&b);
    free(before);
    free(after);
    type(&a, "quit");
    status = reap(&a);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail("the first intake exited %d after quit:\n%s", status, a.out);
    child_free(&a);
    s = load(path);
    if (ik_session_nevents(s) != 3)
        fail("the session holds %zu steps, not the first intake's 3",
             ik_session_nevents(s));
    ik_session_free(s);
    /* once it is closed, it can be resumed */
    rc = run_pipe(second, "quit\n", &b, 0);
    if (rc != 0)
        fail("resuming a closed session exited %d:\n%s", rc, b.out);
    child_free(&b);
    printf("lock: a session open in one intake is refused (74) by a second "
           "--resume and stays as the first saved it\n");
    remove_tree(home);
    return 0;
}

/* ---- Files left behind, and folders and files that are not ours ---- */

static int count_temps(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    size_t k = strlen(base);

    while (d && (de = readdir(d)) != NULL)
        n += de->d_name[0] == '.' && strncmp(de->d_name + 1, base, k) == 0 &&
             de->d_name[k + 1] == '.';
    if (d)
        closedir(d);
    return n;
}

static int test_trust(void)
{
    char path[300], tmp[400], dir[300], link[300], other[300];
    char *resume[] = {intake, (char[]){"run"},      (char[]){"--rules"},
                      pack,   (char[]){"--resume"}, path,
                      NULL};
    char *create[] = {intake, (char[]){"run"},       (char[]){"--rules"},
                      pack,   (char[]){"--session"}, path,
                      NULL};
    char *run_default[] = {intake, (char[]){"run"}, (char[]){"--rules"}, pack,
                           NULL};
    char *list[] = {intake, (char[]){"sessions"}, NULL};
    child c;
    int rc;

    make_home("trust");
    /* temporary files of killed saves (answers in them) go on resume */
    snprintf(path, sizeof path, "%s/s.json", home);
    rc = run_pipe(create, "yes\n\nno\n", &c, 0);
    child_free(&c);
    snprintf(tmp, sizeof tmp, "%s/.s.json.Ab3xYz", home);
    write_text(tmp, "{\"had_surgery\": false}");
    snprintf(tmp, sizeof tmp, "%s/.s.json.Qq9w0E", home);
    write_text(tmp, "{\"had_surgery\": false}");
    snprintf(tmp, sizeof tmp, "%s/.s.json.keepme.txt", home);
    write_text(tmp, "not a temporary file of a save");
    rc = run_pipe(resume, "quit\n", &c, 0);
    if (rc != 0)
        fail("resume exited %d:\n%s", rc, c.out);
    child_free(&c);
    if (count_temps(home, "s.json") != 1 || access(tmp, F_OK) != 0)
        fail("resume left %d temporary files of s.json (or removed another "
             "file)",
             count_temps(home, "s.json") - 1);
    /* ... and on the first save of a new session of that name */
    snprintf(path, sizeof path, "%s/n.json", home);
    snprintf(tmp, sizeof tmp, "%s/.n.json.Zz81aB", home);
    write_text(tmp, "{\"had_surgery\": true}");
    rc = run_pipe(create, "yes\n\nno\n", &c, 0);
    child_free(&c);
    if (count_temps(home, "n.json") != 0)
        fail("a new session left the old temporary file of its name");

    /* a session file others can write to, or another user's, is refused */
    snprintf(path, sizeof path, "%s/s.json", home);
    chmod(path, 0666);
    rc = run_pipe(resume, "quit\n", &c, 0);
    if (rc != 74)
        fail("resuming a file others can write exited %d:\n%s", rc, c.out);
    expect_in(&c, "others can write to the file");
    child_free(&c);
    chmod(path, 0600);
    if (geteuid() == 0) { /* only root can plant a file as another user */
        if (chown(path, 12345, 12345) != 0)
            fail("chown: %s", strerror(errno));
        rc = run_pipe(resume, "quit\n", &c, 0);
        if (rc != 74)
            fail("resuming another user's file exited %d:\n%s", rc, c.out);
        expect_in(&c, "belongs to another user");
        child_free(&c);
        if (chown(path, 0, 0) != 0)
            fail("chown: %s", strerror(errno));
    }
    /* a folder others can write to (not sticky) is refused */
    snprintf(other, sizeof other, "%s/open", home);
    mkdir(other, 0700);
    chmod(other, 0777);
    snprintf(path, sizeof path, "%s/open/s.json", home);
    rc = run_pipe(create, "yes\n", &c, 0);
    if (rc != 74)
        fail("a session in a folder others can write exited %d:\n%s", rc,
             c.out);
    expect_in(&c, "others can write to the folder");
    child_free(&c);
    /* the default folder: world-writable, or a symbolic link: refused */
    snprintf(dir, sizeof dir, "%s/state/intake", home);
    rc = run_pipe(run_default, "yes\n\nno\n", &c, 0); /* makes it */
    child_free(&c);
    chmod(dir, 0777);
    rc = run_pipe(run_default, "yes\n\nno\n", &c, 0);
    expect_in(&c, "others can write to the session folder");
    if (rc != 74)
        fail("a world-writable session folder: exit %d, not 74:\n%s", rc,
             c.out);
    child_free(&c);
    rc = run_pipe(list, NULL, &c, 0);
    expect_in(&c, "others can write to the session folder");
    if (rc != 74)
        fail("sessions in a world-writable folder: exit %d:\n%s", rc, c.out);
    child_free(&c);
    chmod(dir, 0700);
    snprintf(link, sizeof link, "%s/state/real", home);
    if (rename(dir, link) != 0 || symlink(link, dir) != 0)
        fail("symlink: %s", strerror(errno));
    rc = run_pipe(run_default, "yes\n\nno\n", &c, 0);
    expect_in(&c, "session folder is a symbolic link");
    if (rc != 74)
        fail("a symbolic-link session folder: exit %d:\n%s", rc, c.out);
    child_free(&c);
    printf("trust: temporary files of killed saves removed on resume and "
           "create; a file others can write or another user owns, a folder "
           "others can write, a symbolic-link session folder: refused\n");
    remove_tree(home);
    return 0;
}

/* ---- Saves that fail: a full disk, a read-only folder, a file taken ---- */

static void write_proc(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY);

    if (fd >= 0) {
        if (write(fd, text, strlen(text)) < 0)
            (void)0; /* the mount below then fails and says so */
        close(fd);
    }
}

/* A 64 KiB tmpfs at dir in a mount namespace of our own (and a user
 * namespace when not root), inherited by the children. */
static bool own_tmpfs(const char *dir)
{
    char map[64];
    uid_t uid = geteuid();
    gid_t gid = getegid();

    if (unshare(CLONE_NEWNS) != 0) {
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
            return false;
        write_proc("/proc/self/setgroups", "deny");
        snprintf(map, sizeof map, "0 %ld 1", (long)uid);
        write_proc("/proc/self/uid_map", map);
        snprintf(map, sizeof map, "0 %ld 1", (long)gid);
        write_proc("/proc/self/gid_map", map);
    }
    return mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
           mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV,
                 "size=64k,mode=0700") == 0;
}

/* What the warning must say the file keeps: its answers, the welcome
 * screen left out. */
static void expect_kept(const child *c, const char *path)
{
    ik_session *s = load(path);
    char kept[64];

    snprintf(kept, sizeof kept, "Kept: %zu answer%s, saved ",
             ik_session_nanswers(s) - 1, ik_session_nanswers(s) == 2 ? "" : "s");
    expect_in(c, kept);
    ik_session_free(s);
}

/* Resume path in a pty, give the answers up to script step `upto`, quit;
 * the run must say the save failed, warn what the file keeps, exit 74. */
static void resume_unsaved(char *path, int upto, const char *why)
{
    char *resume[] = {intake, (char[]){"run"},      (char[]){"--rules"},
                      pack,   (char[]){"--resume"}, path,
                      NULL};
    child c;
    size_t from = 0;
    int status;

    spawn_pty(&c, resume);
    answer_until(&c, &from, upto);
    type(&c, "quit");
    status = reap(&c);
    expect_in(&c, "Could not save your answers:");
    expect_in(&c, why);
    expect_in(&c, "WARNING: your answers could not be saved:");
    expect_kept(&c, path);
    expect_in(&c, "intake --resume ");
    if (strstr(c.out, "Your answers are saved"))
        fail("a failed save was reported as saved:\n%s", c.out);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 74)
        fail("a run that could not save exited %d, not 74:\n%s", status,
             c.out);
    child_free(&c);
}

static int test_full(void)
{
    char disk[280], path[300], fill[300], *before, *after;
    char *create[] = {intake, (char[]){"run"},       (char[]){"--rules"},
                      pack,   (char[]){"--session"}, path,
                      NULL};
    bool tmpfs;
    child c;
    int rc, fd;

    make_home("full");
    snprintf(disk, sizeof disk, "%s/disk", home);
    mkdir(disk, 0700);
    /* SESSIONS_E2E_NO_TMPFS=1: the fallback, as where no tmpfs can be had */
    tmpfs = !getenv("SESSIONS_E2E_NO_TMPFS") && own_tmpfs(disk);
    snprintf(path, sizeof path, "%s/s.json", disk);
    /* welcome, surgery, kind: saved */
    rc = run_pipe(create, "yes\n\nyes\n2\n", &c, 0);
    if (rc != 0)
        fail("the first run exited %d:\n%s", rc, c.out);
    child_free(&c);
    before = slurp(path);

    /* the disk fills up: a tmpfs filled to the last byte (ENOSPC), or
     * where no tmpfs can be mounted, a file-size limit (EFBIG) */
    snprintf(fill, sizeof fill, "%s/fill", disk);
    if (tmpfs) {
        static char block[4096];
        fd = open(fill, O_WRONLY | O_CREAT, 0600);
        while (fd >= 0 && write(fd, block, sizeof block) > 0)
            ;
        while (fd >= 0 && write(fd, block, 1) > 0)
            ;
        if (fd < 0 || errno != ENOSPC)
            fail("could not fill the tmpfs: %s", strerror(errno));
        close(fd);
    } else {
        child_fsize = (rlim_t)strlen(before);
    }
    /* numb and pain: not saved (tmpfs counts its blocks per CPU, so the
     * first may still fit; the warning must say what the file holds) */
    resume_unsaved(path, 5,
                   tmpfs ? "No space left on device" : "File too large");
    {
        ik_session *s = load(path);
        if (ik_session_nevents(s) > 4)
            fail("%zu steps saved on a full disk", ik_session_nevents(s));
        ik_session_free(s);
    }
    if (count_temps(disk, "s.json") != 0)
        fail("a failed save left a temporary file");
    unlink(fill);
    child_fsize = 0;

    /* a read-only folder */
    if (tmpfs)
        rc = mount(NULL, disk, NULL, MS_REMOUNT | MS_RDONLY, NULL);
    else
        rc = geteuid() == 0 ? -1 : chmod(disk, 0500);
    if (rc == 0) {
        resume_unsaved(path, 5,
                       tmpfs ? "Read-only file system" : "Permission denied");
        if (tmpfs)
            mount(NULL, disk, NULL, MS_REMOUNT, NULL);
        else
            chmod(disk, 0700);
    } else {
        printf("full: (no read-only case: root without a mount namespace)\n");
    }

    /* another program replaces the file while the interview runs */
    {
        char *resume[] = {intake, (char[]){"run"},      (char[]){"--rules"},
                          pack,   (char[]){"--resume"}, path,
                          NULL};
        char other[300];
        size_t from = 0;
        int status;
        snprintf(other, sizeof other, "%s/other.json", disk);
        static const char *const prompt[] = {"Your answer: ", NULL};
        free(before);
        before = slurp(path);
        write_text(other, before);
        spawn_pty(&c, resume);
        answer_until(&c, &from, 4); /* numb_saddle saved */
        if (rename(other, path) != 0)
            fail("rename: %s", strerror(errno));
        type(&c, script[4].answer); /* pain: refused */
        wait_any(&c, from, prompt, &from);
        type(&c, "quit");
        status = reap(&c);
        expect_in(&c, "not this session's file");
        expect_in(&c, "WARNING: your answers could not be saved:");
        expect_in(&c, "is no longer this session's file");
        if (strstr(c.out, "Your answers are saved") || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 74)
            fail("a file taken by another program: exit %d:\n%s", status,
                 c.out);
        child_free(&c);
        after = slurp(path);
        if (strcmp(before, after) != 0)
            fail("the other program's file was overwritten");
        free(after);
    }
    free(before);
    printf("full: a %s, a read-only folder and a file replaced by another "
           "program: the failure is said, nothing claims a save, exit 74, "
           "the file as last saved\n",
           tmpfs ? "full 64 KiB tmpfs" : "file-size limit (no tmpfs here)");
    if (tmpfs)
        umount(disk);
    remove_tree(home);
    return 0;
}

/* ---- A session its pack rejects; a changed pack (issue 18) ---- */

/* Replace the first `from` in the file at path with `to`. */
static void edit_file(const char *path, const char *from, const char *to)
{
    char *text = slurp(path), *p, *out;

    if (!text || !(p = strstr(text, from)))
        fail("'%s' not in %s", from, path);
    out = malloc(strlen(text) + strlen(to) + 1);
    if (!out)
        fail("out of memory");
    sprintf(out, "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
    write_text(path, out);
    free(out);
    free(text);
}

/* The line number of the first line of the file holding text. */
static int line_of(const char *path, const char *text)
{
    char *all = slurp(path), *p;
    int line = 1;

    if (!all || !(p = strstr(all, text)))
        fail("'%s' not in %s", text, path);
    for (; p > all; p--)
        line += p[-1] == '\n';
    free(all);
    return line;
}

static int test_replay(void)
{
    char path[300], answers[300], changed[600], where[400];
    char *make[] = {intake, (char[]){"run"},       (char[]){"--rules"},
                    pack,   (char[]){"--answers"}, answers,
                    (char[]){"--session"},         path,
                    NULL};
    char *export_[] = {intake, (char[]){"export"}, path, NULL};
    char *resume[] = {intake, (char[]){"run"},      (char[]){"--rules"},
                      pack,   (char[]){"--resume"}, path,
                      NULL};
    char *list[] = {intake, (char[]){"sessions"}, NULL};
    char *export_changed[] = {intake, (char[]){"export"}, path,
                              (char[]){"--rules"},        changed,
                              NULL};
    child c;
    int rc;

    make_home("replay");
    snprintf(answers, sizeof answers, "%s/a.json", home);
    snprintf(changed, sizeof changed, "%.*s/pack-changed.json",
             (int)(strrchr(pack, '/') - pack), pack);
    write_text(answers, "{\"had_surgery\": true, \"surgery_kind\": \"fusion\", "
                        "\"numb_saddle\": false, \"pain\": 8, \"tried\": "
                        "[\"medicines\"], \"notes\": \"stiff\"}");
    snprintf(path, sizeof path, "%s/state/intake/s.json", home);
    {
        char dir[300];
        snprintf(dir, sizeof dir, "%s/state", home);
        mkdir(dir, 0700);
        snprintf(dir, sizeof dir, "%s/state/intake", home);
        mkdir(dir, 0700);
    }
    if ((rc = run_pipe(make, NULL, &c, 0)) != 0)
        fail("--answers --session exited %d:\n%s", rc, c.out);
    expect_in(&c, "\"disposition\":\"soon\"");
    child_free(&c);

    /* a changed pack (pain now up to 5): every answer left out is named
     * with why, and the count is exact (pain, and tried and notes after
     * it: 3) */
    rc = run_pipe(export_changed, NULL, &c, 0);
    if (rc != 0)
        fail("export on a changed pack exited %d:\n%s", rc, c.out);
    expect_in(&c, "3 saved answers are left out:");
    snprintf(where, sizeof where, "s.json:%d:", line_of(path, "\"pain\": 8"));
    expect_in(&c, where);
    expect_in(&c, "the answer to 'pain' is left out: it no longer fits");
    expect_in(&c, "the answer to 'tried' is left out: it comes after");
    expect_in(&c, "the answer to 'notes' is left out");
    child_free(&c);

    /* one answer edited out of range for the pack it was saved with */
    edit_file(path, "\"pain\": 8,", "\"pain\": 11,");
    edit_file(path, "\"answer\": 8}", "\"answer\": 11}");
    snprintf(where, sizeof where, "s.json:%d:",
             line_of(path, "\"answer\": 11}"));
    rc = run_pipe(export_, NULL, &c, 0);
    if (rc != 65)
        fail("export of a session its pack rejects exited %d, not 65:\n%s",
             rc, c.out);
    expect_in(&c, where);
    expect_in(&c, "damaged session file: the entry for 'pain' does not fit");
    child_free(&c);
    rc = run_pipe(resume, "", &c, 0);
    if (rc != 65)
        fail("resume of a session its pack rejects exited %d:\n%s", rc, c.out);
    expect_in(&c, where);
    child_free(&c);
    rc = run_pipe(list, NULL, &c, 0);
    expect_in(&c, "DAMAGED");
    expect_in(&c, where);
    if (strstr(c.out, "complete"))
        fail("intake sessions lists a damaged session as complete:\n%s",
             c.out);
    child_free(&c);

    /* an unknown question id, in the history and the answers */
    edit_file(path, "\"pain\": 11,", "\"pain\": 8,");
    edit_file(path, "\"answer\": 11}", "\"answer\": 8}");
    edit_file(path, "\"notes\": \"stiff\"", "\"colour\": \"stiff\"");
    edit_file(path, "\"question\": \"notes\"", "\"question\": \"colour\"");
    rc = run_pipe(export_, NULL, &c, 0);
    if (rc != 65)
        fail("export with an unknown question exited %d:\n%s", rc, c.out);
    expect_in(&c, "has no question 'colour'");
    child_free(&c);
    printf("replay: a value the session's own pack rejects and an unknown "
           "question are a damaged file at FILE:LINE:COL (export, resume "
           "65; sessions DAMAGED); on a changed pack each answer left out "
           "is named with why, the count exact\n");
    remove_tree(home);
    return 0;
}

/* A FIFO as session, answers file, or the pack a session names: a clear
 * refusal, never a wait (each run is killed after 10 s: a failure). */
static int run_bounded(char *const argv[], child *c)
{
    int i, status;
    pid_t pid;

    memset(c, 0, sizeof c[0]);
    pid = spawn_quiet(argv);
    for (i = 0; i < 1000; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    fail("%s %s %s waited on a FIFO for 10 s", argv[1], argv[2],
         argv[3] ? argv[3] : "");
    return -1;
}

static int test_fifo(void)
{
    char fifo[300], path[300], answers[300];
    char *cases[][8] = {
        {intake, (char[]){"run"}, (char[]){"--rules"}, pack,
         (char[]){"--answers"}, fifo, NULL},
        {intake, (char[]){"run"}, (char[]){"--rules"}, pack,
         (char[]){"--resume"}, fifo, NULL},
        {intake, (char[]){"export"}, fifo, NULL},
        {intake, (char[]){"run"}, (char[]){"--resume"}, path, NULL},
        {intake, (char[]){"export"}, path, NULL},
    };
    char *make[] = {intake, (char[]){"run"},       (char[]){"--rules"},
                    pack,   (char[]){"--answers"}, answers,
                    (char[]){"--session"},         path,
                    NULL};
    size_t i;
    child c;
    int rc;

    make_home("fifo");
    snprintf(fifo, sizeof fifo, "%s/fifo", home);
    snprintf(path, sizeof path, "%s/s.json", home);
    snprintf(answers, sizeof answers, "%s/a.json", home);
    if (mkfifo(fifo, 0600) != 0)
        fail("mkfifo: %s", strerror(errno));
    write_text(answers, "{\"had_surgery\": false, \"numb_saddle\": false, "
                        "\"pain\": 3}");
    if ((rc = run_pipe(make, NULL, &c, 0)) != 0)
        fail("--answers --session exited %d", rc);
    child_free(&c);
    edit_file(path, pack, fifo); /* the session now names the FIFO */
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rc = run_bounded(cases[i], &c);
        if (rc == 0)
            fail("case %zu: a FIFO was taken as a file", i);
    }
    printf("fifo: a FIFO as answers, session or the pack a session names "
           "is refused at once\n");
    remove_tree(home);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fputs("usage: sessions_e2e INTAKE PACK kill SEED COUNT | files | "
              "damaged | answers | roundtrip | list\n",
              stderr);
        return 2;
    }
    /* absolute: children run in their own folder */
    intake = realpath(argv[1], NULL);
    pack = realpath(argv[2], NULL);
    if (!intake || !pack) {
        fprintf(stderr, "sessions_e2e: %s or %s not found\n", argv[1], argv[2]);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    if (!strcmp(argv[3], "kill") && argc == 6)
        return test_kill((unsigned)atoi(argv[4]), atoi(argv[5]));
    if (!strcmp(argv[3], "files"))
        return test_files();
    if (!strcmp(argv[3], "damaged"))
        return test_damaged();
    if (!strcmp(argv[3], "answers"))
        return test_answers();
    if (!strcmp(argv[3], "roundtrip"))
        return test_roundtrip();
    if (!strcmp(argv[3], "list"))
        return test_list();
    if (!strcmp(argv[3], "summary"))
        return test_summary();
    if (!strcmp(argv[3], "race") && argc == 5)
        return test_race(atoi(argv[4]));
    if (!strcmp(argv[3], "lock"))
        return test_lock();
    if (!strcmp(argv[3], "trust"))
        return test_trust();
    if (!strcmp(argv[3], "full"))
        return test_full();
    if (!strcmp(argv[3], "replay"))
        return test_replay();
    if (!strcmp(argv[3], "fifo"))
        return test_fifo();
    fprintf(stderr, "sessions_e2e: unknown test '%s'\n", argv[3]);
    return 2;
}
