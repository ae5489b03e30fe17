/*
 * gil_legacy.c -- Python 2's GIL: a binary semaphore made of a mutex and a
 * condition variable, released and immediately re-acquired every
 * --check-interval ticks, with no hand-off.  On several cores the thread
 * that releases is still running and takes the lock back a few
 * instructions later, so the woken thread finds it taken: the "GIL battle"
 * of failed wake-ups (GIL-FACTS.md §2a, thread_pthread.h's pthread_lock).
 */
#include "gil.h"

static void legacy_acquire(Gil *g, Thread *t)
{
    pthread_mutex_lock(&g->mutex);
    if (atomic_load_explicit(&g->locked, memory_order_relaxed)) {
        gil_trace(g, t, EV_GIL_REQUEST, 0);
        uint32_t retries = 0;
        while (atomic_load_explicit(&g->locked, memory_order_relaxed)) {
            pthread_cond_wait(&g->cond, &g->mutex);
            if (atomic_load_explicit(&g->locked, memory_order_relaxed))
                gil_trace(g, t, EV_FAILED_WAKEUP, retries++ ? 1 : 0);   /* Beazley's BUSY, then RETRY */
        }
    }
    atomic_store_explicit(&g->locked, 1, memory_order_relaxed);
    gil_took(g, t);
    pthread_mutex_unlock(&g->mutex);
    gil_trace(g, t, EV_GIL_ACQUIRE, 0);
}

static void legacy_release(Gil *g, Thread *t, int reason)
{
    gil_trace(g, t, EV_GIL_RELEASE, (uint32_t)reason);
    pthread_mutex_lock(&g->mutex);
    gil_letting_go(g, t);
    g->holder = NULL;
    atomic_store_explicit(&g->locked, 0, memory_order_relaxed);
    pthread_mutex_unlock(&g->mutex);
    /* signalled after unlocking, as Python 2 did: the releaser usually wins */
    pthread_cond_signal(&g->cond);
}

static void legacy_check(Gil *g, Thread *t)
{
    if (t->ticks >= t->ticks_at_acquire + (uint64_t)g->cfg.check_interval || t->ticks < t->ticks_at_acquire) {
        legacy_release(g, t, REL_CHECK_INTERVAL);
        /* Other threads may run now */
        legacy_acquire(g, t);
    }
}

const GilPolicy gil_policy_legacy = {"legacy", legacy_acquire, legacy_release, legacy_check};
