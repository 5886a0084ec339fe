/*
 * error.h -- status codes and the error value every fallible call fills.
 * Reporting never allocates, so out-of-memory is reported like any error.
 */
#ifndef INTAKE_ERROR_H
#define INTAKE_ERROR_H

#if defined(__GNUC__)
#define IK_API __attribute__((visibility("default")))
#else
#define IK_API
#endif

#if defined(__GNUC__)
#define IK_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define IK_PRINTF(a, b)
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ik_status {
    IK_OK = 0,
    IK_ENOMEM,   /* out of memory; nothing was changed */
    IK_EIO,      /* read, write, sync or rename failed */
    IK_ENOENT,   /* input file not found */
    IK_ESYNTAX,  /* not JSON (or JSON we refuse: NUL, bad UTF-8, depth) */
    IK_ERULES,   /* JSON, but not a valid rule pack */
    IK_ELOGIC,   /* a JsonLogic expression that cannot compile or run */
    IK_EANSWER,  /* an answer that does not fit; ask again */
    IK_ESESSION, /* a damaged or foreign session file */
    IK_ELIMIT,   /* a documented resource bound was exceeded */
    IK_EMISUSE,  /* a call out of sequence */
    IK_STATUS__COUNT
} ik_status;

typedef struct ik_error {
    ik_status code;
    int line, col;  /* 1-based; 0 when unknown */
    char file[256]; /* "" for in-memory text */
    char path[128]; /* JSON Pointer of the culprit, e.g. "/questions/3" */
    char msg[256];  /* one sentence, no file prefix, no final period */
} ik_error;

/* A short lower-case name for a status ("out of memory"); never NULL. */
IK_API const char *ik_status_name(ik_status code);

/* Reset *err to IK_OK with empty strings. NULL is fine. */
IK_API void ik_error_clear(ik_error *err);

/*
 * Fill err->code and err->msg (from fmt, with every character a terminal
 * must not be sent escaped) and return code, so failing is one line:
 * `return ik_fail(err, IK_EIO, "cannot read: %s", why);`. File, line, col
 * and path are left as they are. err may be NULL. Never allocates.
 */
IK_API ik_status ik_fail(ik_error *err, ik_status code, const char *fmt, ...)
    IK_PRINTF(3, 4);

/* As ik_fail, and also set the position (file may be NULL: left as is). */
IK_API ik_status ik_fail_at(ik_error *err, ik_status code, const char *file,
                            int line, int col, const char *fmt, ...)
    IK_PRINTF(6, 7);

#ifdef __cplusplus
}
#endif

#endif
