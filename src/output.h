/*
 * Until segment.c includes msg.h and names.h itself: what it used of
 * output.h.
 */
#ifndef SHM_OUTPUT_H
#define SHM_OUTPUT_H

#include "msg.h"
#include "names.h"

#endif
