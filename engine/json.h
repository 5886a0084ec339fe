/*
 * json.h -- the ONLY caller of cJSON_Parse*. Parses strictly (rejects what
 * cJSON lets through: NUL bytes, \u0000, invalid UTF-8, non-finite numbers,
 * duplicate keys, trailing text, nesting past IK_JSON_MAX_DEPTH) and keeps
 * each node's byte offset so any later error can name FILE:LINE:COL. The
 * tree is built by our own one-pass parser (cJSON's node layout, so cJSON's
 * read functions work on it) in an arena owned by the doc (one malloc per
 * chunk, not per node): never cJSON_Delete doc->root, detach
 * nodes from it or add to it; ik_json_doc_fini frees it. Parse from one
 * thread at a time per doc. No I/O except ik_json_read_file.
 */
#ifndef IK_JSON_H
#define IK_JSON_H

#include "arena.h"
#include "error.h"
#include "intake/json.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define IK_JSON_MAX_DEPTH 128 /* arrays/objects nested */
/* IK_JSON_MAX_FILE: intake/json.h */

enum {
    IK_JSON_POSITIONS = 1, /* positions (now always kept: free) */
    IK_JSON_FAST = 2       /* cJSON's own parse: NUL check + cJSON only,
                              no positions, duplicates not checked */
};

struct ik_json_block;

typedef struct ik_json_doc {
    cJSON *root;      /* owned; freed by ik_json_doc_fini */
    const char *text; /* borrowed: must outlive the doc */
    size_t len;
    char file[256];
    /* Runs of the doc's nodes, sorted by address: each node carries its
     * offsets, and these tell the doc's nodes from any other. */
    struct ik_json_block *blocks;
    size_t nblocks, cap_blocks;
    ik_arena tree; /* holds root's nodes and strings when in_arena */
    bool in_arena; /* root dies with tree, never with cJSON_Delete */
} ik_json_doc;

/* ik_json_read_file and ik_json_read_stream, public: intake/json.h */

/*
 * Parse text[0..len) (text[len] must be '\0') into doc. file names the
 * source in errors ("" or NULL for in-memory text). On failure doc is
 * empty and err has file, line, col and a message.
 */
ik_status ik_json_parse(const char *text, size_t len, const char *file,
                        unsigned flags, ik_json_doc *doc, ik_error *err);
void ik_json_doc_fini(ik_json_doc *doc); /* zeroed doc is fine */

/* Offset of node's value (or of its key when want_key); SIZE_MAX if none. */
size_t ik_json_offset(const ik_json_doc *doc, const cJSON *node, bool want_key);

/* 1-based line and column of byte off (columns count characters; tabs
 * advance to the next multiple of 8, as GNU tools do). */
void ik_json_linecol(const char *text, size_t len, size_t off, int *line,
                     int *col);

/*
 * The two JSON readers (this one and answers_json.c) say the same about
 * text that ends too soon. A string that meets a line end: unterminated
 * (at its opening quote), not a control character. An object or array the
 * text ends inside: at the end of the text, naming where it opened (a
 * truncated file is found at its end, not at its first brace).
 */
#define IK_JSON_MSG_STRING_LINE                                                \
    "unterminated string (no closing quote before the end of its line)"
ik_status ik_json_fail_unclosed(const char *text, size_t len, const char *file,
                                size_t open, ik_error *err);

/* Fill err with doc's file and the position of node (its key when
 * want_key), then the message; returns code. node may be NULL. */
ik_status ik_json_fail(const ik_json_doc *doc, const cJSON *node, bool want_key,
                       ik_error *err, ik_status code, const char *fmt, ...)
    IK_PRINTF(6, 7);

/* Exact, case-sensitive member lookup (NULL when absent). */
const cJSON *ik_json_get(const cJSON *obj, const char *key);

#endif
