/*
 * pylib.h -- modules written in the workload language, embedded at build time.
 */
#ifndef INTERP_PYLIB_H
#define INTERP_PYLIB_H

#include <stddef.h>

/* The source of the embedded module `name` (NUL-terminated), or NULL. */
const char *pylib_source(const char *name, size_t *len);

#endif
