/*
 * gil_newgil.c -- CPython 3.2+'s GIL, after ceval_gil.c: a waiter sleeps
 * for one switch interval; if the GIL is still held by the same holder
 * (switch_number unchanged) it sets the drop request, which the holder sees
 * at its next eval-breaker check.  A holder forced off waits on switch_cond
 * until another thread has really taken the GIL (FORCE_SWITCHING), so it
 * cannot win it straight back.  A voluntary release (around blocking I/O)
 * does not wait, unless a drop request happens to be pending.
 */
#include "gil.h"

#include <errno.h>

/* take_gil(); with priority, an I/O-bound waiter preempts a CPU-bound holder at once. */
void newgil_take(Gil *g, Thread *t, bool priority)
{
    pthread_mutex_lock(&g->mutex);
    if (atomic_load_explicit(&g->locked, memory_order_relaxed)) {
        gil_trace(g, t, EV_GIL_REQUEST, 0);
        uint32_t retries = 0;
        while (atomic_load_explicit(&g->locked, memory_order_relaxed)) {
            uint64_t saved_switchnum = atomic_load_explicit(&g->switch_number, memory_order_relaxed);
            if (priority && !t->cpu_bound && g->holder && g->holder->cpu_bound &&
                !atomic_load_explicit(&g->drop_request, memory_order_relaxed)) {
                gil_request_drop(g, t);
            }
            struct timespec deadline;
            gil_deadline(&deadline, atomic_load_explicit(&g->interval_ns, memory_order_relaxed));
            int rc = pthread_cond_timedwait(&g->cond, &g->mutex, &deadline);
            bool locked = atomic_load_explicit(&g->locked, memory_order_relaxed);
            if (rc == ETIMEDOUT && locked &&
                atomic_load_explicit(&g->switch_number, memory_order_relaxed) == saved_switchnum) {
                gil_request_drop(g, t);
            } else if (rc == 0 && locked) {
                gil_trace(g, t, EV_FAILED_WAKEUP, retries++ ? 1 : 0);
            }
        }
    }
    if (!g->cfg.no_force_switching)
        pthread_mutex_lock(&g->switch_mutex);
    atomic_store_explicit(&g->locked, 1, memory_order_relaxed);
    gil_took(g, t);
    if (atomic_load_explicit(&g->last_holder, memory_order_relaxed) != t) {
        atomic_store_explicit(&g->last_holder, t, memory_order_relaxed);
        atomic_fetch_add_explicit(&g->switch_number, 1, memory_order_relaxed);
    }
    if (!g->cfg.no_force_switching) {
        pthread_cond_signal(&g->switch_cond);
        pthread_mutex_unlock(&g->switch_mutex);
    }
    atomic_store_explicit(&g->drop_request, 0, memory_order_relaxed);
    atomic_fetch_and_explicit(&t->eval_breaker, ~(uint32_t)VM_BRK_DROP, memory_order_relaxed);
    pthread_mutex_unlock(&g->mutex);
    gil_trace(g, t, EV_GIL_ACQUIRE, 0);
}

/* drop_gil() */
void newgil_drop(Gil *g, Thread *t, int reason)
{
    gil_trace(g, t, EV_GIL_RELEASE, (uint32_t)reason);
    atomic_store_explicit(&g->last_holder, t, memory_order_relaxed);
    pthread_mutex_lock(&g->mutex);
    /* priority's flags, read by waiters under the mutex */
    if (reason == REL_FORCED)
        t->cpu_bound = true;
    else if (reason == REL_BLOCKING)
        t->cpu_bound = false;
    gil_letting_go(g, t);
    g->holder = NULL;
    atomic_store_explicit(&g->locked, 0, memory_order_relaxed);
    pthread_cond_signal(&g->cond);
    pthread_mutex_unlock(&g->mutex);
    if (g->cfg.no_force_switching || reason == REL_EXIT)
        return;
    if (atomic_load_explicit(&g->drop_request, memory_order_relaxed)) {
        pthread_mutex_lock(&g->switch_mutex);
        /* not yet switched: wait for another thread to take the GIL */
        if (atomic_load_explicit(&g->last_holder, memory_order_relaxed) == t) {
            atomic_store_explicit(&g->drop_request, 0, memory_order_relaxed);
            gil_trace(g, t, EV_SWITCH_WAIT_BEGIN, 0);
            pthread_cond_wait(&g->switch_cond, &g->switch_mutex);
            gil_trace(g, t, EV_SWITCH_WAIT_END, 0);
        }
        pthread_mutex_unlock(&g->switch_mutex);
    }
}

static void newgil_acquire(Gil *g, Thread *t) { newgil_take(g, t, false); }

static void newgil_check(Gil *g, Thread *t)
{
    if (atomic_load_explicit(&g->drop_request, memory_order_relaxed)) {
        newgil_drop(g, t, REL_FORCED);
        /* Other threads may run now */
        newgil_take(g, t, false);
    }
}

const GilPolicy gil_policy_newgil = {"newgil", newgil_acquire, newgil_drop, newgil_check};
