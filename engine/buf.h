/*
 * buf.h -- a growable byte buffer for building text (JSON, reports).
 * All of it is public: intake/buf.h.
 */
#ifndef IK_BUF_H
#define IK_BUF_H

#include "intake/buf.h"

#include "error.h"

#endif
