/*
 * cpytrace.h -- `gilscope trace`: a real, unmodified CPython's GIL, recorded
 * by libgilscope-preload.so (trace/preload.c) and converted into a .gilt.
 */
#ifndef BENCH_CPYTRACE_H
#define BENCH_CPYTRACE_H

/* `gilscope trace [-o T.gilt] [-q] -- PROGRAM ARGS...`; argv[0] is "trace".
 * Returns PROGRAM's exit status (128 + N when killed by signal N), or 64
 * usage, 70 when the library cannot be found or the program not started,
 * 74 when no run directory can be made.  Messages go to stderr. */
int cpytrace_main(int argc, char **argv);

#endif
