/*
 * gil.c -- what every GIL policy shares: construction, the dispatch to the
 * policy, ticks, tracing, and the drop request.
 */
#include "gil.h"

#include <errno.h>
#include <string.h>
#include <time.h>

static const char *const kind_names[GIL__COUNT] = {"newgil", "legacy", "priority", "fifo"};

int gil_kind_parse(const char *name)
{
    for (int i = 0; i < GIL__COUNT; i++)
        if (strcmp(name, kind_names[i]) == 0)
            return i;
    return -1;
}

const char *gil_kind_name(int kind)
{
    return kind >= 0 && kind < GIL__COUNT ? kind_names[kind] : "?";
}

void gil_cond_init(pthread_cond_t *c)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(c, &attr);
    pthread_condattr_destroy(&attr);
}

void gil_deadline(struct timespec *ts, int64_t ns)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    int64_t total = (int64_t)ts->tv_nsec + ns;
    ts->tv_sec += (time_t)(total / 1000000000);
    ts->tv_nsec = (long)(total % 1000000000);
}

Gil *gil_new(const GilConfig *cfg)
{
    static const GilPolicy *const policies[GIL__COUNT] = {
        [GIL_NEWGIL] = &gil_policy_newgil, [GIL_LEGACY] = &gil_policy_legacy,
        [GIL_PRIORITY] = &gil_policy_priority, [GIL_FIFO] = &gil_policy_fifo,
    };
    Gil *g = mem_calloc(1, sizeof(Gil));
    g->cfg = *cfg;
    if (g->cfg.kind < 0 || g->cfg.kind >= GIL__COUNT)
        g->cfg.kind = GIL_NEWGIL;
    if (g->cfg.switch_interval <= 0)
        g->cfg.switch_interval = 0.005;
    if (g->cfg.check_interval <= 0)
        g->cfg.check_interval = 100;
    g->policy = policies[g->cfg.kind];
    pthread_mutex_init(&g->mutex, NULL);
    gil_cond_init(&g->cond);
    pthread_mutex_init(&g->switch_mutex, NULL);
    gil_cond_init(&g->switch_cond);
    atomic_init(&g->locked, 0);
    atomic_init(&g->last_holder, NULL);
    atomic_init(&g->switch_number, 0);
    atomic_init(&g->drop_request, 0);
    atomic_init(&g->interval_ns, (int64_t)(g->cfg.switch_interval * 1e9));
    atomic_init(&g->ticks_total, 0);
    return g;
}

void gil_free(Gil *g)
{
    if (!g)
        return;
    pthread_mutex_destroy(&g->mutex);
    pthread_cond_destroy(&g->cond);
    pthread_mutex_destroy(&g->switch_mutex);
    pthread_cond_destroy(&g->switch_cond);
    mem_free(g);
}

uint64_t gil_ticks(Gil *g, Thread *t)
{
    uint64_t total = atomic_load_explicit(&g->ticks_total, memory_order_relaxed);
    if (t && t->holds_gil)
        total += t->ticks - t->ticks_at_acquire;
    return total;
}

void gil_trace(Gil *g, Thread *t, int kind, uint32_t arg)
{
    if (t->tb)
        trace_record(t->tb, (TraceEventKind)kind, arg, gil_ticks(g, t));
}

void gil_took(Gil *g, Thread *t)
{
    (void)g;
    g->holder = t;
    t->holds_gil = true;
    t->ticks_at_acquire = t->ticks;
}

void gil_letting_go(Gil *g, Thread *t)
{
    atomic_fetch_add_explicit(&g->ticks_total, t->ticks - t->ticks_at_acquire, memory_order_relaxed);
    t->ticks_at_acquire = t->ticks;
    t->holds_gil = false;
}

void gil_request_drop(Gil *g, Thread *requester)
{
    Thread *h = g->holder;
    atomic_store_explicit(&g->drop_request, 1, memory_order_relaxed);
    if (h) {
        atomic_fetch_or_explicit(&h->eval_breaker, VM_BRK_DROP, memory_order_relaxed);
        atomic_store_explicit(&h->tick_limit, 0, memory_order_relaxed);
    }
    gil_trace(g, requester, EV_DROP_REQUEST, h ? h->id : UINT32_MAX);
}

void gil_acquire(Gil *g, Thread *t)
{
    g->policy->acquire(g, t);
    atomic_store_explicit(&t->tick_limit, gil_next_check(g, t), memory_order_relaxed);
    /* a drop request may have been left for the previous holder */
    if (atomic_load_explicit(&g->drop_request, memory_order_relaxed))
        atomic_store_explicit(&t->tick_limit, 0, memory_order_relaxed);
}

void gil_release(Gil *g, Thread *t, int reason)
{
    g->policy->release(g, t, reason);
}

void gil_check(Gil *g, Thread *t)
{
    g->policy->check(g, t);
}

uint64_t gil_next_check(Gil *g, Thread *t)
{
    if (g->cfg.kind == GIL_LEGACY)
        return t->ticks + (uint64_t)g->cfg.check_interval;
    return UINT64_MAX;
}

void gil_set_switch_interval(Gil *g, double seconds)
{
    g->cfg.switch_interval = seconds;
    int64_t ns = (int64_t)(seconds * 1e9);
    atomic_store_explicit(&g->interval_ns, ns < 1000 ? 1000 : ns, memory_order_relaxed);
}

double gil_switch_interval(Gil *g)
{
    return (double)atomic_load_explicit(&g->interval_ns, memory_order_relaxed) / 1e9;
}
