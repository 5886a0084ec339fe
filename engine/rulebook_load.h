/*
 * rulebook_load.h (private to rulebook.c and lint.c) -- the loader's
 * working state while one pack is read: the parsed JSON, the JSON Pointer
 * being read, the conditions and references waiting for the symbols they
 * need, and the diagnostics found so far. Nothing here outlives a load,
 * and no other module includes it.
 */
#ifndef IK_RULEBOOK_LOAD_H
#define IK_RULEBOOK_LOAD_H

#include "rulebook.h"

#include "json.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The lists of a pack; also who owns a condition or a reference. */
typedef enum ld_kind {
    LK_QUESTION,
    LK_DERIVED,
    LK_RED_FLAG,
    LK_DISPOSITION,
    LK_RUNG,
    LK_SECTION,
    LK_RULE,
    LK_INVARIANT,
    LK__COUNT
} ld_kind;

/* A condition seen during the walk, compiled once every id is defined. */
typedef struct ld_cond {
    const cJSON *node;
    ik_expr *out;
    const char *field; /* "enable_when", "value", "when", "show_when" */
    uint32_t index;    /* owner's index in its list */
    uint8_t kind;      /* owner's ld_kind */
} ld_cond;

/* A reference to a disposition, section or rung, resolved after the walk
 * (lists may come in any order). */
typedef struct ld_ref {
    const cJSON *node; /* the id string */
    uint32_t *out;     /* may be NULL: only checked */
    const char *field;
    const char *path; /* JSON Pointer of node (in the rulebook's arena) */
    uint32_t index;
    uint8_t kind;   /* owner */
    uint8_t target; /* LK_DISPOSITION, LK_SECTION or LK_RUNG */
} ld_ref;

typedef struct ik_loader {
    ik_rulebook *rb;
    ik_json_doc doc;
    bool check;      /* report everything (check) or stop at the first */
    bool stop;       /* first error (load), cap reached, or out of memory */
    ik_status first; /* first error's code; IK_OK while none */
    ik_error *err;   /* load: receives the first error; may be NULL */
    ik_diag *diags;  /* check: room for IK_MAX_DIAGNOSTICS + 1 */
    size_t ndiags;
    char path[256]; /* JSON Pointer of what is being read */
    size_t plen;
    ld_cond *conds;
    size_t nconds, capconds;
    ld_ref *refs;
    size_t nrefs, caprefs;
    const cJSON **ids[LK__COUNT]; /* each item's "id" value (or NULL) */
} ik_loader;

/* Record a problem at line:col (0: unknown) with JSON Pointer path. */
void ld_report_lc(ik_loader *l, ik_severity sev, ik_status code, int line,
                  int col, const char *path, const char *fmt, ...)
    IK_PRINTF(7, 8);
/* As above at byte offset off of the pack text (SIZE_MAX: unknown). */
void ld_report_off(ik_loader *l, ik_severity sev, ik_status code, size_t off,
                   const char *path, const char *fmt, ...) IK_PRINTF(6, 7);

/* `question "pain_now"` (or `question 4` when it has no usable id). */
void ld_who(const ik_loader *l, ld_kind kind, uint32_t index, char *buf,
            size_t cap);
/* "/questions/3/enable_when" (field may be NULL). */
void ld_path(ld_kind kind, uint32_t index, const char *field, char *buf,
             size_t cap);
/* The id of item index of list kind, or NULL. */
const char *ld_id(const ik_loader *l, ld_kind kind, uint32_t index);

/* Once the derived values are compiled (lint.c): fill order[] with them
 * in evaluation order, report cycles, and return true when the order
 * differs from pack order. */
bool ld_order_derived(ik_loader *l, uint32_t *order);

/* The checks that need every condition compiled and the pack's
 * dependency model (l->rb->deps) built (lint.c). */
void ld_lint(ik_loader *l);

#endif
