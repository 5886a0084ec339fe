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

#ifdef __cplusplus
}
#endif

#endif
