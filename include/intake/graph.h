/*
 * graph.h -- draw a rule pack's flow as Graphviz dot or Mermaid text:
 * questions and their enable_when dependencies, derived values, red flags
 * (drawn apart) with the dispositions they lead to, the ladder, the rules
 * and the sections that all of these lead to, one cluster per part of the
 * pack. Writes into an ik_buf only; no I/O.
 */
#ifndef INTAKE_GRAPH_H
#define INTAKE_GRAPH_H

#include "intake/buf.h"
#include "intake/rulebook.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ik_graph_format {
    IK_GRAPH_DOT,
    IK_GRAPH_MERMAID,
    IK_GRAPH__COUNT
} ik_graph_format;

/* "dot" or "mermaid" -> *fmt; false for any other name. */
IK_API bool ik_graph_format_parse(const char *name, ik_graph_format *fmt);

/*
 * Append the graph of rb to out. Node ids are the pack's ids with a
 * prefix per part (q_, d_, rf_, disp_, rung_, rule_, s_), so a reader can
 * find a question by name. Cost is linear in the pack's size.
 * IK_ENOMEM when out could not grow (out then holds a truncated graph).
 */
IK_API ik_status ik_graph_write(const ik_rulebook *rb, ik_graph_format fmt,
                                ik_buf *out, ik_error *err);

#ifdef __cplusplus
}
#endif

#endif
