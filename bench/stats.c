/*
 * stats.c -- GIL statistics from a read trace (definitions in
 * data/FORMAT.md, "Statistics").  Pure: no I/O.
 *
 * Two passes per process: each lane alone (time per state, counters, wait
 * and hold durations), then all of the process's GIL events merged in time
 * order (switches, hand-offs, two holders at once).
 */
#include "bench/stats.h"

#include <stdlib.h>
#include <string.h>

#include "interp/object.h"     /* mem_alloc */

/* ---- samples ---------------------------------------------------------------- */

typedef struct Samples {
    uint64_t *v;
    size_t n, cap;
} Samples;

static void samples_add(Samples *s, uint64_t x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->v = mem_realloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = x;
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

uint64_t stats_percentile(const uint64_t *v, size_t n, double p)
{
    if (!n)
        return 0;
    double rank = p / 100.0 * (double)n;
    size_t k = (size_t)rank;
    if ((double)k < rank)
        k++;                    /* ceil */
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return v[k - 1];
}

/* Sorts s and summarises it; s is emptied. */
static StatsDist samples_dist(Samples *s)
{
    StatsDist d = {0};
    if (s->n) {
        qsort(s->v, s->n, sizeof *s->v, u64_cmp);
        d.n = s->n;
        for (size_t i = 0; i < s->n; i++)
            d.sum += s->v[i];
        d.p50 = stats_percentile(s->v, s->n, 50);
        d.p90 = stats_percentile(s->v, s->n, 90);
        d.p99 = stats_percentile(s->v, s->n, 99);
        d.max = s->v[s->n - 1];
    }
    return d;
}

static void samples_append(Samples *dst, const Samples *src)
{
    for (size_t i = 0; i < src->n; i++)
        samples_add(dst, src->v[i]);
}

/* ---- one lane ------------------------------------------------------------------ */

static void lane_pass(const TraceLane *l, StatsThread *st, Samples *wait, Samples *hold, uint64_t *nonmono)
{
    st->pid = l->pid;
    st->tid = l->tid;
    st->name = l->name;
    st->events = l->nev;
    st->cpu_ns = l->cpu_ns;
    st->has_cpu = l->has_cpu;
    if (!l->nev)
        return;
    bool holding = false, waiting = false, switching = false, blocked = false, wanting = false;
    unsigned block_kind = BLOCK_OTHER;
    uint64_t req_ns = 0, acq_ns = 0;
    uint64_t t = l->ev[0].ns;
    st->start_ns = t;
    st->end_ns = t;
    for (size_t i = 0; i < l->nev; i++) {
        const TraceEvent *e = &l->ev[i];
        uint64_t now = e->ns;
        if (now < t) {
            (*nonmono)++;
            now = t;            /* no negative durations */
        }
        uint64_t dt = now - t;
        if (holding)
            st->run_ns += dt;
        else if (waiting || switching || wanting) {
            st->wait_ns += dt;
            if (switching && !waiting)
                st->switch_wait_ns += dt;
        } else if (blocked) {
            st->blocked_ns += dt;
            st->blocked_by_kind[block_kind] += dt;
        } else
            st->idle_ns += dt;
        t = now;
        st->end_ns = now;
        switch (e->kind) {
        case EV_GIL_REQUEST:
            waiting = true;
            req_ns = now;
            break;
        case EV_GIL_ACQUIRE:
            st->acquisitions++;
            if (waiting) {
                st->contended++;
                samples_add(wait, now - req_ns);
            }
            waiting = switching = wanting = false;
            holding = true;
            acq_ns = now;
            break;
        case EV_GIL_RELEASE:
            if (holding)
                samples_add(hold, now - acq_ns);
            holding = false;
            st->releases[e->arg < 4 ? e->arg : REL_FORCED]++;
            /* Released at a check or on request, it wants the GIL straight
             * back: that gap is GIL overhead, not idleness. */
            if (e->arg == REL_FORCED || e->arg == REL_CHECK_INTERVAL)
                wanting = true;
            break;
        case EV_DROP_REQUEST: st->drop_requests++; break;
        case EV_FAILED_WAKEUP:
            st->failed_wakeups++;
            if (e->arg)
                st->failed_retries++;
            break;
        case EV_SWITCH_WAIT_BEGIN: switching = true; break;
        case EV_SWITCH_WAIT_END: switching = false; break;
        case EV_BLOCK_BEGIN:
            blocked = true;
            wanting = false;
            block_kind = e->arg < BLOCK__COUNT ? e->arg : BLOCK_OTHER;
            break;
        case EV_BLOCK_END: blocked = false; break;
        case EV_MARK: st->marks++; break;
        case EV_LOSS:
            /* What happened meanwhile is unknown: forget the state rather than
             * invent a hold (which would show as two holders). */
            st->lost += e->arg;
            holding = waiting = switching = blocked = wanting = false;
            break;
        case EV_THREAD_END:
            st->ended = true;
            holding = waiting = switching = blocked = wanting = false;
            break;
        default: break;
        }
        if (st->ended)
            break;
    }
    st->life_ns = st->end_ns - st->start_ns;
    st->badness = st->contended ? (double)st->failed_wakeups / (double)st->contended : 0.0;
}

/* ---- one process: GIL events of all its lanes in time order ------------------------- */

typedef struct GilEv {
    uint64_t ns;
    uint32_t lane;
    uint32_t idx;               /* position in its lane, to keep per-lane order on ties */
    uint8_t kind;
    uint8_t order;              /* on equal times: releases before requests before acquires */
} GilEv;

static int gilev_cmp(const void *a, const void *b)
{
    const GilEv *x = a, *y = b;
    if (x->ns != y->ns)
        return x->ns < y->ns ? -1 : 1;
    if (x->lane == y->lane)
        return x->idx < y->idx ? -1 : x->idx > y->idx;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->lane < y->lane ? -1 : 1;
}

static uint8_t gil_order(uint8_t kind)
{
    switch (kind) {
    case EV_GIL_RELEASE: case EV_THREAD_END: case EV_LOSS: return 0;
    case EV_GIL_REQUEST: return 1;
    case EV_GIL_ACQUIRE: return 2;
    default: return 3;
    }
}

static void process_pass(const TraceProc *p, StatsThread *ths, StatsRun *rs, Samples *handoff)
{
    size_t n = 0;
    for (size_t i = 0; i < p->nlanes; i++)
        for (size_t j = 0; j < p->lanes[i].nev; j++)
            n += gil_order(p->lanes[i].ev[j].kind) < 3;
    if (!n)
        return;
    GilEv *g = mem_alloc(n * sizeof *g);
    n = 0;
    for (size_t i = 0; i < p->nlanes; i++) {
        const TraceLane *l = &p->lanes[i];
        uint64_t prev = 0;
        for (size_t j = 0; j < l->nev; j++) {
            /* Clamp as lane_pass does, so the merge keeps each lane's order. */
            uint64_t ns = l->ev[j].ns < prev ? prev : l->ev[j].ns;
            /* A LOSS is recorded with the first event after the lost ones,
             * which began just after the previous event: whatever the lane
             * held is unknown from there (1 ns later, to sort after it). */
            if (l->ev[j].kind == EV_LOSS && j > 0)
                ns = prev + 1 < ns ? prev + 1 : ns;
            prev = ns;
            uint8_t o = gil_order(l->ev[j].kind);
            if (o < 3)
                g[n++] = (GilEv){ ns, (uint32_t)i, (uint32_t)j, l->ev[j].kind, o };
        }
    }
    qsort(g, n, sizeof *g, gilev_cmp);
    bool *holding = mem_calloc(p->nlanes, sizeof *holding);
    bool *waiting = mem_calloc(p->nlanes, sizeof *waiting);
    size_t holders = 0, waiters = 0;
    long last_holder = -1;
    bool pending = false;       /* a release while others waited: the next other acquire is a hand-off */
    uint64_t pending_ns = 0;
    uint32_t pending_from = 0;
    for (size_t k = 0; k < n; k++) {
        const GilEv *e = &g[k];
        uint32_t L = e->lane;
        switch (e->kind) {
        case EV_GIL_REQUEST:
            if (!waiting[L]) {
                waiting[L] = true;
                waiters++;
            }
            break;
        case EV_GIL_ACQUIRE:
            if (waiting[L]) {
                waiting[L] = false;
                waiters--;
            }
            if (!holding[L]) {
                if (holders > 0)
                    rs->overlap_violations++;
                holding[L] = true;
                holders++;
            }
            if (last_holder >= 0 && (uint32_t)last_holder != L) {
                ths[L].switches++;
                rs->switches++;
            }
            if (pending && pending_from != L)
                samples_add(handoff, e->ns - pending_ns);
            pending = false;
            last_holder = L;
            break;
        default:                /* RELEASE, THREAD_END, LOSS */
            if (holding[L]) {
                holding[L] = false;
                holders--;
                if (e->kind == EV_GIL_RELEASE) {
                    pending = waiters > (waiting[L] ? 1u : 0u);
                    pending_ns = e->ns;
                    pending_from = L;
                }
            }
            if (e->kind != EV_GIL_RELEASE && waiting[L]) {
                waiting[L] = false;
                waiters--;
            }
            break;
        }
    }
    free(holding);
    free(waiting);
    free(g);
}

/* ---- everything ---------------------------------------------------------------------- */

Stats *stats_compute(const TraceFile *tf)
{
    Stats *s = mem_calloc(1, sizeof *s);
    size_t nlanes = 0;
    for (size_t r = 0; r < tf->nruns; r++)
        for (size_t p = 0; p < tf->runs[r].nprocs; p++)
            nlanes += tf->runs[r].procs[p].nlanes;
    s->runs = mem_calloc(tf->nruns ? tf->nruns : 1, sizeof *s->runs);
    s->threads = mem_calloc(nlanes ? nlanes : 1, sizeof *s->threads);
    s->nruns = tf->nruns;
    Samples wait = {0}, hold = {0}, lwait = {0}, lhold = {0}, handoff = {0};
    for (size_t r = 0; r < tf->nruns; r++) {
        const TraceRun *run = &tf->runs[r];
        StatsRun *rs = &s->runs[r];
        rs->tr = run;
        rs->thread0 = s->nthreads;
        rs->processes = (uint32_t)run->nprocs;
        rs->first_ns = run->first_ns;
        rs->last_ns = run->last_ns;
        rs->wall_ns = run->last_ns - run->first_ns;
        rs->events = run->events;
        rs->lost = run->lost;
        wait.n = hold.n = handoff.n = 0;
        for (size_t p = 0; p < run->nprocs; p++) {
            const TraceProc *proc = &run->procs[p];
            StatsThread *ths = &s->threads[s->nthreads];
            if (proc->closed) {
                rs->cpu_ns += proc->cpu_user_ns + proc->cpu_sys_ns;
                rs->has_cpu = true;
            }
            for (size_t i = 0; i < proc->nlanes; i++) {
                StatsThread *st = &ths[i];
                st->run = (uint32_t)r;
                lwait.n = lhold.n = 0;
                lane_pass(&proc->lanes[i], st, &lwait, &lhold, &rs->nonmonotonic);
                samples_append(&wait, &lwait);
                samples_append(&hold, &lhold);
                st->wait = samples_dist(&lwait);
                st->hold = samples_dist(&lhold);
                rs->run_ns += st->run_ns;
                rs->wait_ns += st->wait_ns;
                rs->blocked_ns += st->blocked_ns;
                rs->idle_ns += st->idle_ns;
                rs->acquisitions += st->acquisitions;
                rs->drop_requests += st->drop_requests;
                rs->failed_wakeups += st->failed_wakeups;
                rs->checks += st->releases[REL_FORCED] + st->releases[REL_CHECK_INTERVAL];
            }
            process_pass(proc, ths, rs, &handoff);
            s->nthreads += proc->nlanes;
            rs->threads += (uint32_t)proc->nlanes;
        }
        rs->wait = samples_dist(&wait);
        rs->hold = samples_dist(&hold);
        rs->handoff = samples_dist(&handoff);
        rs->badness = rs->checks ? (double)rs->failed_wakeups / (double)rs->checks : 0.0;
        s->wall_ns += rs->wall_ns;
        s->events += rs->events;
        s->lost += rs->lost;
        s->overlap_violations += rs->overlap_violations;
    }
    free(wait.v);
    free(hold.v);
    free(lwait.v);
    free(lhold.v);
    free(handoff.v);
    return s;
}

void stats_free(Stats *s)
{
    if (!s)
        return;
    free(s->runs);
    free(s->threads);
    free(s);
}
