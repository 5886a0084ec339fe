/*
 * casefile.h -- a rule pack's test cases; the whole interface is public
 * (intake/casefile.h).
 */
#ifndef IK_CASEFILE_H
#define IK_CASEFILE_H

#include "intake/casefile.h"

#include "buf.h"
#include "rulebook.h"

#endif
