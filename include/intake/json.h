/*
 * json.h -- reading the files JSON comes from, as the library reads packs,
 * test cases and answers, for a front end that reads them itself (from
 * standard input, say) and hands the text to an ik_*_text call. Parsing
 * stays inside the library.
 */
#ifndef INTAKE_JSON_H
#define INTAKE_JSON_H

#include "intake/error.h"

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IK_JSON_MAX_FILE (64u * 1024 * 1024) /* bytes in a rule pack */

/*
 * Read a whole file into a new NUL-terminated buffer (free with ik_free;
 * a regular file is read into one buffer of its size, 2 MiB-aligned with
 * huge pages advised when it is that big).
 * IK_ENOENT when missing, IK_ELIMIT past max bytes, IK_EIO otherwise.
 */
IK_API ik_status ik_json_read_file(const char *path, size_t max, char **text,
                                   size_t *len, ik_error *err);
/* As ik_json_read_file from an open stream (a pipe, standard input
 * dup'ed), named path in errors. Closes f in every case. */
IK_API ik_status ik_json_read_stream(FILE *f, const char *path, size_t max,
                                     char **text, size_t *len, ik_error *err);

#ifdef __cplusplus
}
#endif

#endif
