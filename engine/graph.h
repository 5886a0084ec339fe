/*
 * graph.h -- draw a rule pack's flow; the whole interface is public
 * (intake/graph.h).
 */
#ifndef IK_GRAPH_H
#define IK_GRAPH_H

#include "intake/graph.h"

#include "buf.h"
#include "rulebook.h"

#endif
