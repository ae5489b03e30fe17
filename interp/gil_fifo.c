/*
 * gil_fifo.c -- round-robin hand-off (bpo-8299's "fair" GIL): a release
 * gives the GIL directly to the longest waiter, so no thread can barge in
 * and no wake-up ever fails.  CPU-bound holders are still forced off by a
 * waiter's drop request after one switch interval; the forced thread joins
 * the tail of the queue.  Fair, no battle -- and it still convoys, since
 * an I/O thread queues behind every CPU thread.
 */
#include "gil.h"

#include <errno.h>

static void fifo_acquire(Gil *g, Thread *t)
{
    pthread_mutex_lock(&g->mutex);
    if (!atomic_load_explicit(&g->locked, memory_order_relaxed) && !g->fifo_head) {
        atomic_store_explicit(&g->locked, 1, memory_order_relaxed);
        gil_took(g, t);
        pthread_mutex_unlock(&g->mutex);
        gil_trace(g, t, EV_GIL_ACQUIRE, 0);
        return;
    }
    gil_trace(g, t, EV_GIL_REQUEST, 0);
    t->fifo_granted = false;
    t->fifo_next = NULL;
    if (g->fifo_tail)
        g->fifo_tail->fifo_next = t;
    else
        g->fifo_head = t;
    g->fifo_tail = t;
    while (!t->fifo_granted) {
        uint64_t saved = atomic_load_explicit(&g->switch_number, memory_order_relaxed);
        struct timespec deadline;
        gil_deadline(&deadline, atomic_load_explicit(&g->interval_ns, memory_order_relaxed));
        int rc = pthread_cond_timedwait(&t->fifo_cond, &g->mutex, &deadline);
        if (rc == ETIMEDOUT && !t->fifo_granted && g->holder &&
            atomic_load_explicit(&g->switch_number, memory_order_relaxed) == saved &&
            !atomic_load_explicit(&g->drop_request, memory_order_relaxed))
            gil_request_drop(g, t);
    }
    /* the releaser made t the holder */
    t->holds_gil = true;
    t->ticks_at_acquire = t->ticks;
    atomic_fetch_and_explicit(&t->eval_breaker, ~(uint32_t)VM_BRK_DROP, memory_order_relaxed);
    pthread_mutex_unlock(&g->mutex);
    gil_trace(g, t, EV_GIL_ACQUIRE, 0);
}

static void fifo_release(Gil *g, Thread *t, int reason)
{
    gil_trace(g, t, EV_GIL_RELEASE, (uint32_t)reason);
    pthread_mutex_lock(&g->mutex);
    gil_letting_go(g, t);
    atomic_store_explicit(&g->drop_request, 0, memory_order_relaxed);
    Thread *next = g->fifo_head;
    if (next) {
        g->fifo_head = next->fifo_next;
        if (!g->fifo_head)
            g->fifo_tail = NULL;
        next->fifo_next = NULL;
        next->fifo_granted = true;
        g->holder = next;
        atomic_fetch_add_explicit(&g->switch_number, 1, memory_order_relaxed);
        pthread_cond_signal(&next->fifo_cond);
    } else {
        g->holder = NULL;
        atomic_store_explicit(&g->locked, 0, memory_order_relaxed);
    }
    pthread_mutex_unlock(&g->mutex);
}

static void fifo_check(Gil *g, Thread *t)
{
    if (atomic_load_explicit(&g->drop_request, memory_order_relaxed)) {
        fifo_release(g, t, REL_FORCED);
        fifo_acquire(g, t);
    }
}

const GilPolicy gil_policy_fifo = {"fifo", fifo_acquire, fifo_release, fifo_check};
