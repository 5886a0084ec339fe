/*
 * pty_driver.c -- run `intake` as a person would and check what it shows.
 * Reads a script of directives, starts the program under a pseudo-terminal
 * (forkpty, TERM=dumb, INPUTRC=/dev/null, a temporary HOME and
 * XDG_STATE_HOME, the current folder that HOME) or with piped stdin, waits for
 * text with poll and a timeout, types keys, and checks the exit status. On any
 * failure it kills the child, prints what was seen, and exits 1, so a test
 * never hangs.
 *
 * Script directives, one a line ('#' starts a comment line):
 *   args ARG...          program arguments; @SRC@ is the source tree
 *   argv0 "TEXT"         the name the program is given as argv[0] (as a
 *                        shell passes the command typed); the built
 *                        program still runs
 *   cols N / rows N      terminal size (default 80 x 24)
 *   env NAME=VALUE       extra environment (NAME= sets it empty)
 *   mode pty|pipe        pipe: stdin is a pipe, stdout and stderr a pipe
 *   input "TEXT"         pipe mode: text fed to stdin (appended; closed at
 *                        the first expect)
 *   inputrep N "TEXT"    pipe mode: TEXT appended N times
 *   timeout SECONDS      for each later expect (default 10)
 *   expect "TEXT"        wait until TEXT appears after the last match
 *   absent "TEXT"        TEXT does not appear anywhere in the output so far
 *   send "TEXT"          type TEXT (escapes: \r \n \t \e \\ \" \xHH)
 *   sendrep N "TEXT"     type TEXT N times
 *   pause MS             wait MS milliseconds, reading the output (a
 *                        person who stops between two keys)
 *   state_files N        the session folder ($XDG_STATE_HOME/intake) holds
 *                        N files (after the program ended)
 *   resize COLS ROWS     change the terminal size (the program gets
 *                        SIGWINCH)
 *   fsize BYTES          the program may write files of at most BYTES
 *                        (RLIMIT_FSIZE, SIGXFSZ ignored): a disk that
 *                        fills up, for the session saves
 *   stdout_to_file       pty mode: the program's stdout is a file (as in
 *                        `intake > file`); stdin and stderr stay the pty
 *   file_has "TEXT"      that file contains TEXT (after the program ended)
 *   state_has "TEXT"     some file in the session folder contains TEXT
 *                        (after the program ended)
 *   mark                 remember where the last match ended
 *   lines_at_most N      the output from the mark to the end of the last
 *                        match spans at most N lines (it fits on a
 *                        screen of N rows: nothing in it scrolled away)
 *   exit N               wait for the program to end with status N
 *                        (130 also matches death by SIGINT)
 * PTY_DRIVER_SHOW=1 in the environment prints the transcript at the end.
 * Output is compared after turning "\r\n" into "\n" and dropping other
 * '\r' bytes (readline echoes input and redraws lines).
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* forkpty, mkdtemp */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef IK_INTAKE_EXE
#define IK_INTAKE_EXE "intake"
#endif
#ifndef IK_SOURCE_DIR
#define IK_SOURCE_DIR "."
#endif

static pid_t child = -1;
static int fd_in = -1, fd_out = -1; /* pty: the same master fd */
static char *seen;                  /* normalized output */
static size_t nseen, capseen, matched;
static const char *script_name;
static int lineno;
static char tmpdir[256];

static size_t mark_at; /* see the mark directive */

static void cleanup_tmp(void)
{
    char cmd[512];

    if (tmpdir[0]) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmpdir);
    }
}

static void fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void fail(const char *fmt, ...)
{
    va_list ap;
    size_t from = nseen > 3000 ? nseen - 3000 : 0;

    fprintf(stderr, "%s:%d: FAILED: ", script_name, lineno);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr,
            "\n---- output (last 3000 bytes, matched up to %zu) "
            "----\n%.*s\n---- end ----\n",
            matched, (int)(nseen - from), seen ? seen + from : "");
    if (child > 0) {
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
    }
    cleanup_tmp();
    exit(1);
}

static void keep(const char *buf, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (buf[i] == '\r')
            continue; /* \r\n -> \n; bare \r (redraws) dropped too */
        if (nseen + 2 > capseen) {
            capseen = capseen ? capseen * 2 : 65536;
            seen = realloc(seen, capseen);
            if (!seen)
                fail("out of memory");
        }
        seen[nseen++] = buf[i];
    }
    if (seen)
        seen[nseen] = '\0';
}

/* Read what is available within ms milliseconds; false at end of output. */
static bool pump(int ms)
{
    struct pollfd p = {fd_out, POLLIN, 0};
    char buf[8192];
    ssize_t n;

    if (fd_out < 0)
        return false;
    if (poll(&p, 1, ms) <= 0)
        return true;
    n = read(fd_out, buf, sizeof buf);
    if (n <= 0) {
        /* EIO on a pty master: the child closed its side */
        close(fd_out);
        if (fd_in == fd_out)
            fd_in = -1;
        fd_out = -1;
        return false;
    }
    keep(buf, (size_t)n);
    return true;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse a quoted string with escapes starting at s; returns its length. */
static size_t unquote(const char *s, char *out, size_t cap)
{
    size_t n = 0;

    while (*s == ' ')
        s++;
    if (*s++ != '"')
        fail("expected a quoted string");
    while (*s && *s != '"') {
        char c = *s++;
        if (c == '\\') {
            c = *s++;
            switch (c) {
            case 'r':
                c = '\r';
                break;
            case 'n':
                c = '\n';
                break;
            case 't':
                c = '\t';
                break;
            case 'e':
                c = '\033';
                break;
            case 'x': {
                char hex[3] = {s[0], s[1], 0};
                c = (char)strtol(hex, NULL, 16);
                s += 2;
                break;
            }
            case '\\':
            case '"':
                break;
            default:
                fail("unknown escape \\%c", c);
            }
        }
        if (n + 1 >= cap)
            fail("string too long");
        out[n++] = c;
    }
    if (*s != '"')
        fail("unterminated string");
    out[n] = '\0';
    return n;
}

static void write_all(const char *s, size_t n)
{
    while (n > 0) {
        struct pollfd p[2] = {{fd_in, POLLOUT, 0}, {fd_out, POLLIN, 0}};
        ssize_t w;

        if (fd_in < 0)
            fail("the program has ended; cannot type");
        if (poll(p, 2, 10000) <= 0)
            fail("the program does not take input");
        if (p[1].revents)
            pump(0); /* keep its output flowing so it never blocks */
        if (!(p[0].revents & POLLOUT))
            continue;
        w = write(fd_in, s, n > 512 ? 512 : n);
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            fail("write: %s", strerror(errno));
        if (w > 0) {
            s += w;
            n -= (size_t)w;
        }
    }
}

static char *input_text;
static size_t ninput;

static void feed_input(void)
{
    if (input_text && fd_in >= 0 && fd_in != fd_out) {
        write_all(input_text, ninput);
        close(fd_in);
        fd_in = -1;
        free(input_text);
        input_text = NULL;
    }
}

static void expect(const char *want, double timeout)
{
    double end = now_s() + timeout;

    feed_input();
    for (;;) {
        char *hit = seen ? strstr(seen + matched, want) : NULL;
        if (hit) {
            matched = (size_t)(hit - seen) + strlen(want);
            return;
        }
        if (now_s() > end)
            fail("timed out waiting for \"%s\"", want);
        if (!pump(100) && fd_out < 0) {
            hit = seen ? strstr(seen + matched, want) : NULL;
            if (!hit)
                fail("the program ended without showing \"%s\"", want);
        }
    }
}

static void wait_exit(int want, double timeout)
{
    double end = now_s() + timeout;
    int status;

    feed_input();
    for (;;) {
        pid_t r = waitpid(child, &status, WNOHANG);
        if (r == child)
            break;
        if (now_s() > end)
            fail("timed out waiting for the program to end");
        pump(50);
    }
    child = -1;
    while (pump(50)) /* drain */
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == want)
        return;
    if (WIFSIGNALED(status) && want == 130 && WTERMSIG(status) == SIGINT)
        return;
    if (WIFSIGNALED(status))
        fail("the program died of signal %d", WTERMSIG(status));
    fail("exit status %d, expected %d", WEXITSTATUS(status), want);
}

/* The whole file at path, NUL-terminated (free it), or NULL. */
static char *read_whole(const char *path)
{
    FILE *f = fopen(path, "r");
    char *text;
    long size;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    text = size >= 0 ? calloc(1, (size_t)size + 1) : NULL;
    if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        free(text);
        return NULL;
    }
    fclose(f);
    return text;
}

/* ---- Starting the program ---- */

static char *argv_store[64];
static char *argv0_store; /* NULL: the program's path */
static int argc_store;
static char *env_store[32];
static int nenv;
static int cols = 80, rows = 24;
static long fsize_limit; /* 0: none */
static bool pipe_mode, stdout_to_file;

static char *subst(const char *arg)
{
    const char *at = strstr(arg, "@SRC@");
    char *s;

    if (!at)
        return strdup(arg);
    s = malloc(strlen(arg) + strlen(IK_SOURCE_DIR) + 1);
    if (!s)
        fail("out of memory");
    sprintf(s, "%.*s%s%s", (int)(at - arg), arg, IK_SOURCE_DIR, at + 5);
    return s;
}

static void child_env(void)
{
    char home[300], state[300];
    int i;

    snprintf(home, sizeof home, "%s/home", tmpdir);
    snprintf(state, sizeof state, "%s/state", tmpdir);
    mkdir(home, 0700);
    if (chdir(home) != 0) /* relative paths (--session s.json) land there */
        _exit(126);
    setenv("HOME", home, 1);
    setenv("XDG_STATE_HOME", state, 1);
    setenv("TERM", "dumb", 1);
    setenv("INPUTRC", "/dev/null", 1);
    setenv("LC_ALL", "C.UTF-8", 1);
    unsetenv("NO_COLOR");
    unsetenv("COLUMNS");
    unsetenv("LINES");
    for (i = 0; i < nenv; i++)
        putenv(env_store[i]);
    if (fsize_limit > 0) {
        struct rlimit rl = {(rlim_t)fsize_limit, (rlim_t)fsize_limit};
        signal(SIGXFSZ, SIG_IGN); /* write fails with EFBIG instead */
        setrlimit(RLIMIT_FSIZE, &rl);
    }
}

static void start(void)
{
    static char exe[] = IK_INTAKE_EXE;
    char *argv[66];
    int i;

    argv[0] = argv0_store ? argv0_store : exe;
    for (i = 0; i < argc_store; i++)
        argv[i + 1] = argv_store[i];
    argv[argc_store + 1] = NULL;
    if (!pipe_mode) {
        struct winsize ws = {(unsigned short)rows, (unsigned short)cols, 0, 0};
        int master;
        child = forkpty(&master, NULL, NULL, &ws);
        if (child < 0)
            fail("forkpty: %s", strerror(errno));
        if (child == 0) {
            child_env();
            if (stdout_to_file) {
                char path[300];
                int fd;
                snprintf(path, sizeof path, "%s/stdout.txt", tmpdir);
                fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
                if (fd < 0 || dup2(fd, 1) < 0)
                    _exit(126);
                close(fd);
            }
            execv(exe, argv);
            _exit(127);
        }
        fd_in = fd_out = master;
        fcntl(master, F_SETFL, O_NONBLOCK);
        return;
    }
    {
        int in[2], out[2];
        if (pipe(in) != 0 || pipe(out) != 0)
            fail("pipe: %s", strerror(errno));
        child = fork();
        if (child < 0)
            fail("fork: %s", strerror(errno));
        if (child == 0) {
            dup2(in[0], 0);
            dup2(out[1], 1);
            dup2(out[1], 2);
            close(in[0]);
            close(in[1]);
            close(out[0]);
            close(out[1]);
            child_env();
            execv(exe, argv);
            _exit(127);
        }
        close(in[0]);
        close(out[1]);
        fd_in = in[1];
        fd_out = out[0];
        fcntl(fd_in, F_SETFL, O_NONBLOCK);
    }
}

static void split_args(char *s)
{
    char *tok;

    for (tok = strtok(s, " \t"); tok; tok = strtok(NULL, " \t")) {
        if (argc_store >= 63)
            fail("too many arguments");
        argv_store[argc_store++] = subst(tok);
    }
}

int main(int argc, char **argv)
{
    FILE *f;
    char line[4096], *buf;
    double timeout = 10;
    bool started = false;
    enum { BIG = 1 << 20 };

    if (argc != 2) {
        fprintf(stderr, "usage: pty_driver SCRIPT\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    script_name = argv[1];
    f = fopen(argv[1], "r");
    if (!f) {
        fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    snprintf(tmpdir, sizeof tmpdir, "%s/intake-e2e-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) {
        tmpdir[0] = '\0';
        fail("mkdtemp: %s", strerror(errno));
    }
    buf = malloc(BIG);
    if (!buf)
        fail("out of memory");
    while (fgets(line, sizeof line, f)) {
        char *p = line, *arg;
        size_t n = strlen(line);

        lineno++;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        while (*p == ' ')
            p++;
        if (*p == '#' || *p == '\0')
            continue;
        arg = strchr(p, ' ');
        if (arg)
            *arg++ = '\0';
        else
            arg = p + strlen(p);
        if (strcmp(p, "args") == 0) {
            split_args(arg);
        } else if (strcmp(p, "argv0") == 0) {
            unquote(arg, buf, BIG);
            argv0_store = strdup(buf);
        } else if (strcmp(p, "cols") == 0)
            cols = atoi(arg);
        else if (strcmp(p, "rows") == 0)
            rows = atoi(arg);
        else if (strcmp(p, "env") == 0 && nenv < 31)
            env_store[nenv++] = strdup(arg);
        else if (strcmp(p, "fsize") == 0)
            fsize_limit = atol(arg);
        else if (strcmp(p, "stdout_to_file") == 0)
            stdout_to_file = true;
        else if (strcmp(p, "mode") == 0)
            pipe_mode = strcmp(arg, "pipe") == 0;
        else if (strcmp(p, "timeout") == 0)
            timeout = atof(arg);
        else if (strcmp(p, "input") == 0 || strcmp(p, "inputrep") == 0) {
            long times = 1, i;
            size_t k;
            if (strcmp(p, "inputrep") == 0)
                times = strtol(arg, &arg, 10);
            k = unquote(arg, buf, BIG);
            if (times < 0 || (k && (size_t)times > (SIZE_MAX - ninput) / k))
                fail("input too large");
            input_text = realloc(input_text, ninput + k * (size_t)times + 1);
            if (!input_text)
                fail("out of memory");
            for (i = 0; i < times; i++) {
                memcpy(input_text + ninput, buf, k);
                ninput += k;
            }
        } else {
            if (!started) {
                start();
                started = true;
            }
            if (strcmp(p, "expect") == 0) {
                unquote(arg, buf, BIG);
                expect(buf, timeout);
            } else if (strcmp(p, "absent") == 0) {
                unquote(arg, buf, BIG);
                pump(50);
                if (seen && strstr(seen, buf))
                    fail("\"%s\" was shown", buf);
            } else if (strcmp(p, "send") == 0) {
                size_t k = unquote(arg, buf, BIG);
                write_all(buf, k);
            } else if (strcmp(p, "sendrep") == 0) {
                long times = strtol(arg, &arg, 10), i;
                size_t k = unquote(arg, buf, BIG);
                for (i = 0; i < times; i++)
                    write_all(buf, k);
            } else if (strcmp(p, "pause") == 0) {
                struct timespec t0, t1;
                long ms = atol(arg);
                clock_gettime(CLOCK_MONOTONIC, &t0);
                do {
                    pump(10);
                    clock_gettime(CLOCK_MONOTONIC, &t1);
                } while ((t1.tv_sec - t0.tv_sec) * 1000 +
                             (t1.tv_nsec - t0.tv_nsec) / 1000000 <
                         ms);
            } else if (strcmp(p, "state_files") == 0) {
                char path[300];
                DIR *d;
                struct dirent *e;
                int files = 0;
                snprintf(path, sizeof path, "%s/state/intake", tmpdir);
                d = opendir(path);
                while (d && (e = readdir(d)))
                    files += e->d_name[0] != '.';
                if (d)
                    closedir(d);
                if (files != atoi(arg))
                    fail("%d files in %s, expected %d", files, path, atoi(arg));
            } else if (strcmp(p, "file_has") == 0) {
                char path[300], *text;
                unquote(arg, buf, BIG);
                snprintf(path, sizeof path, "%s/stdout.txt", tmpdir);
                text = read_whole(path);
                if (!text)
                    fail("no stdout file");
                if (!strstr(text, buf))
                    fail("stdout file lacks \"%s\"; it holds:\n%s", buf, text);
                free(text);
            } else if (strcmp(p, "state_has") == 0) {
                char path[600], *text;
                DIR *d;
                struct dirent *e;
                bool found = false;
                unquote(arg, buf, BIG);
                snprintf(path, sizeof path, "%s/state/intake", tmpdir);
                d = opendir(path);
                while (d && !found && (e = readdir(d))) {
                    if (e->d_name[0] == '.')
                        continue;
                    snprintf(path, sizeof path, "%s/state/intake/%s", tmpdir,
                             e->d_name);
                    text = read_whole(path);
                    found = text && strstr(text, buf);
                    free(text);
                }
                if (d)
                    closedir(d);
                if (!found)
                    fail("no session file contains \"%s\"", buf);
            } else if (strcmp(p, "mark") == 0) {
                mark_at = matched;
            } else if (strcmp(p, "lines_at_most") == 0) {
                size_t i, lines = 1;
                for (i = mark_at; i < matched; i++)
                    lines += seen[i] == '\n';
                if (lines > (size_t)atoi(arg))
                    fail("%zu lines from the mark to the last match, expected "
                         "at most %d:\n%.*s",
                         lines, atoi(arg), (int)(matched - mark_at),
                         seen + mark_at);
            } else if (strcmp(p, "resize") == 0) {
                struct winsize ws = {0, 0, 0, 0};
                int c = 0, r = 0;
                if (sscanf(arg, "%d %d", &c, &r) != 2 || pipe_mode)
                    fail("resize needs COLS ROWS and a terminal");
                ws.ws_col = (unsigned short)c;
                ws.ws_row = (unsigned short)r;
                if (ioctl(fd_out, TIOCSWINSZ, &ws) != 0)
                    fail("TIOCSWINSZ: %s", strerror(errno));
            } else if (strcmp(p, "exit") == 0) {
                wait_exit(atoi(arg), timeout);
            } else {
                fail("unknown directive '%s'", p);
            }
        }
    }
    fclose(f);
    if (child > 0)
        fail("script ended before the program did (add 'exit N')");
    if (getenv("PTY_DRIVER_SHOW")) /* for writing scripts: the transcript */
        fwrite(seen ? seen : "", 1, nseen, stdout);
    free(buf);
    cleanup_tmp();
    return 0;
}
