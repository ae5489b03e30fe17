/*
 * pylib.c -- the modules written in the workload language itself
 * (interp/lib/NAME.py), embedded in the executable so that gilscope needs
 * no files beside it.  CPython's threading and queue are Python on top of
 * _thread too.
 */
#include <string.h>

#include "pylib.h"

/* .incbin takes the path relative to the compiler's working directory:
 * the Makefile compiles from the repository's top. */
#define PYLIB_EMBED(sym, path)                                                   \
    __asm__(".section .rodata\n"                                                 \
            ".global " #sym "\n"                                                 \
            ".type " #sym ", @object\n"                                          \
            ".balign 16\n" #sym ":\n"                                           \
            ".incbin \"" path "\"\n"                                             \
            ".byte 0\n"                                                          \
            ".previous\n");                                                      \
    extern const char sym[]

PYLIB_EMBED(pylib_threading, "interp/lib/threading.py");
PYLIB_EMBED(pylib_queue, "interp/lib/queue.py");
PYLIB_EMBED(pylib_multiprocessing, "interp/lib/multiprocessing.py");

static const struct {
    const char *name;
    const char *src;
} pylib_table[] = {
    {"threading", pylib_threading},
    {"queue", pylib_queue},
    {"multiprocessing", pylib_multiprocessing},
};

const char *pylib_source(const char *name, size_t *len)
{
    for (size_t i = 0; i < sizeof pylib_table / sizeof *pylib_table; i++) {
        if (strcmp(pylib_table[i].name, name) == 0) {
            *len = strlen(pylib_table[i].src);
            return pylib_table[i].src;
        }
    }
    return NULL;
}
