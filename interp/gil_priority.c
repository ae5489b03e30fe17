/*
 * gil_priority.c -- Beazley's proposed fix (2010): newgil plus a priority
 * per thread.  A thread forced off by a drop request is CPU-bound; one that
 * released voluntarily (around blocking I/O) is I/O-bound.  An I/O-bound
 * waiter asks a CPU-bound holder to drop at once instead of sleeping a
 * whole interval first, which takes the convoy away; a CPU-bound waiter
 * still waits its interval.  The flags live in Thread (cpu_bound) and are
 * set by newgil_drop.
 */
#include "gil.h"

static void priority_acquire(Gil *g, Thread *t) { newgil_take(g, t, true); }

static void priority_check(Gil *g, Thread *t)
{
    if (atomic_load_explicit(&g->drop_request, memory_order_relaxed)) {
        newgil_drop(g, t, REL_FORCED);
        newgil_take(g, t, true);
    }
}

const GilPolicy gil_policy_priority = {"priority", priority_acquire, newgil_drop, priority_check};
