/*
 * error.c -- status names and error filling. Never allocates.
 */
#include "error.h"

#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *ik_status_name(ik_status code)
{
    static const char *const names[IK_STATUS__COUNT] = {
        [IK_OK] = "ok",
        [IK_ENOMEM] = "out of memory",
        [IK_EIO] = "input/output error",
        [IK_ENOENT] = "not found",
        [IK_ESYNTAX] = "syntax error",
        [IK_ERULES] = "invalid rule pack",
        [IK_ELOGIC] = "logic error",
        [IK_EANSWER] = "answer not accepted",
        [IK_ESESSION] = "damaged session",
        [IK_ELIMIT] = "limit exceeded",
        [IK_EMISUSE] = "misuse",
    };
    if ((unsigned)code >= IK_STATUS__COUNT)
        return "unknown error";
    return names[code];
}

void ik_error_clear(ik_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
}

void ik_strlcpy(char *dst, const char *src, size_t cap)
{
    size_t n;

    if (cap == 0)
        return;
    n = src ? strlen(src) : 0;
    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

void ik_error_vformat(char *msg, size_t cap, const char *fmt, va_list ap)
{
    char raw[sizeof ((ik_error *)0)->msg];

    vsnprintf(raw, sizeof raw, fmt, ap);
    ik_utf8_escape(msg, cap, raw);
}

static void vfill(ik_error *err, ik_status code, const char *fmt,
                  va_list ap) IK_PRINTF(3, 0);

static void vfill(ik_error *err, ik_status code, const char *fmt, va_list ap)
{
    err->code = code;
    ik_error_vformat(err->msg, sizeof err->msg, fmt, ap);
}

ik_status ik_fail(ik_error *err, ik_status code, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    va_start(ap, fmt);
    vfill(err, code, fmt, ap);
    va_end(ap);
    return code;
}

ik_status ik_fail_at(ik_error *err, ik_status code, const char *file,
                     int line, int col, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    if (file)
        ik_strlcpy(err->file, file, sizeof err->file);
    err->line = line;
    err->col = col;
    va_start(ap, fmt);
    vfill(err, code, fmt, ap);
    va_end(ap);
    return code;
}
