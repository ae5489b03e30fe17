/*
 * model.c -- trace -> panes -> lanes -> compact intervals, marks and the
 * level-of-detail prefix sums (see model.h for the contracts).
 *
 * Storage of a lane's n intervals (structure of arrays):
 *   trel[i], krel[i]   start time and the thread's ticks, relative to the
 *                      bases tbase/kbase of their block of 256 intervals;
 *                      UINT32_MAX means "escaped": the absolute value is in
 *                      the sorted escape list (a thread asleep for more than
 *                      4.29 s within one block, rare);
 *   sb[i]              the state byte: bits 0-2 ModelState, 3-5 detail
 *                      (7 = none), 6 contended, 7 switched.
 * Interval i spans [t(i), t(i+1)), the last one ends at the lane's end.
 * Times inside the store are absolute trace-clock ns; the API speaks ns
 * since the pane's start (store->base).
 *
 * LOD: lod[b] holds the time in each state, the acquisitions and the
 * switches of intervals [0, 64 b).  The same figures for [0, t) are lod[b]
 * plus at most 63 intervals, found by one binary search: any range, any
 * pixel column, costs O(log n + 64).
 */
#include "viz/model.h"

#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>

#include "interp/object.h"     /* mem_alloc: the one allocation choke point */

#define BLK_SHIFT 8
#define BLK_MASK ((1u << BLK_SHIFT) - 1)
#define LOD_SHIFT 6
#define ESCAPED UINT32_MAX
#define DETAIL_NONE 7
#define SB_CONTENDED 0x40
#define SB_SWITCHED 0x80
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define TICKS_MAP 65536
#else
#define TICKS_MAP 1024      /* the fuzz build: the same code, a cheaper fixed cost per pane */
#endif
#define TIX_PER 8          /* intervals per time-index entry, on average */

#define SB(state, detail) ((uint8_t)((state) | ((detail) << 3)))
#define SB_STATE(b) ((ModelState)((b) & 7))
#define SB_DETAIL(b) (((b) >> 3) & 7)

typedef struct Esc {
    size_t i;
    uint64_t v;
} Esc;

typedef struct EscList {
    Esc *v;
    size_t n, cap;
} EscList;

typedef struct Lod {
    uint64_t ns[MS__COUNT];
    uint64_t acq, sw;
} Lod;

/* Counts dt ns of an interval of state byte sb into acc. */
static inline void lod_add(Lod *acc, uint8_t sb, uint64_t dt)
{
    acc->ns[SB_STATE(sb)] += dt;
    if (SB_STATE(sb) == MS_RUNNING) {
        acc->acq++;
        acc->sw += (sb & SB_SWITCHED) != 0;
    }
}

/* How a lane is being built: the flags of data/FORMAT.md §9.1. */
typedef struct LaneBuild {
    bool any, ended, holding, waiting, switching, blocked, wanting, gap_pending;
    uint8_t block_kind, reason;
    uint64_t last_ns, last_ticks, first_ns, first_ticks;
    uint64_t cur_t;             /* start of the last interval */
} LaneBuild;

struct ModelLaneStore {
    uint64_t base;              /* the pane's start, absolute ns */
    uint64_t start, end;        /* the lane's life, absolute */
    uint64_t end_ticks, start_ticks;
    uint32_t *trel, *krel;
    uint8_t *sb;
    uint64_t *tbase, *kbase;
    EscList tesc, kesc;
    size_t n, cap;
    ModelMark *marks;           /* absolute ns while building, relative after */
    size_t nmarks, capmarks;
    Lod *lod;                   /* (n >> LOD_SHIFT) + 1 */
    uint32_t *tix;              /* time index: tix[j] = intervals starting before start + j * tix_step */
    size_t ntix;
    uint64_t tix_step;
    uint32_t *mix;              /* the marks' time index: mix[j] = marks before start + j * tix_step */
    uint8_t *mkind;             /* marks[i].kind, packed: a column's kinds in one cache line */
    LaneBuild b;
};

/* ---- the compact store --------------------------------------------------------------- */

static void esc_push(EscList *e, size_t i, uint64_t v)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 16;
        e->v = mem_realloc(e->v, e->cap * sizeof *e->v);
    }
    e->v[e->n++] = (Esc){ i, v };
}

static uint64_t esc_find(const EscList *e, size_t i)
{
    size_t lo = 0, hi = e->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (e->v[mid].i < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < e->n ? e->v[lo].v : 0;
}

static inline uint64_t st_t(const ModelLaneStore *s, size_t i)
{
    if (i >= s->n)
        return s->end;
    uint32_t r = s->trel[i];
    return r != ESCAPED ? s->tbase[i >> BLK_SHIFT] + r : esc_find(&s->tesc, i);
}

static inline uint64_t st_k(const ModelLaneStore *s, size_t i)
{
    if (i >= s->n)
        return s->end_ticks;
    uint32_t r = s->krel[i];
    return r != ESCAPED ? s->kbase[i >> BLK_SHIFT] + r : esc_find(&s->kesc, i);
}

/* Asks for huge pages under a big array built at the end of loading (the
 * LOD, the time indexes, the mark kinds): a zoomed-out frame reads a few
 * bytes here and there across all of them, and with 4 KiB pages nearly
 * every read missed the TLB.  Not for the intervals, which are written
 * while decoding: faulting huge pages in there cost more load time (about
 * 1 CPU-s per 100M events, zeroing and compaction) than it saved frames. */
static void huge_advise(void *p, size_t bytes)
{
    const uintptr_t H = (uintptr_t)2 << 20;
    if (bytes < 2 * H)
        return;
    uintptr_t a = ((uintptr_t)p + H - 1) & ~(H - 1), z = ((uintptr_t)p + bytes) & ~(H - 1);
    if (z > a)
        madvise((void *)a, z - a, MADV_HUGEPAGE);
}

static void *big_alloc(size_t bytes)
{
    void *p = mem_alloc(bytes);
    huge_advise(p, bytes);
    return p;
}

static void st_grow_to(ModelLaneStore *s, size_t cap)
{
    cap = (cap + BLK_MASK) & ~(size_t)BLK_MASK;
    s->trel = mem_realloc(s->trel, cap * sizeof *s->trel);
    s->krel = mem_realloc(s->krel, cap * sizeof *s->krel);
    s->sb = mem_realloc(s->sb, cap);
    s->tbase = mem_realloc(s->tbase, (cap >> BLK_SHIFT) * sizeof *s->tbase);
    s->kbase = mem_realloc(s->kbase, (cap >> BLK_SHIFT) * sizeof *s->kbase);
    s->cap = cap;
}

/* Room for about `events` events' intervals at once (loading knows how
 * many events each lane has before decoding them): one allocation instead
 * of a series of growths. */
static void st_reserve(ModelLaneStore *s, uint64_t events)
{
    /* At most one interval per event, two for a LOSS; usually far fewer. */
    uint64_t want = events + events / 16 + 64;
    if (!s->trel && want > 4096 && want < ((uint64_t)1 << 40))
        st_grow_to(s, (size_t)want);
}

static void st_grow(ModelLaneStore *s)
{
    /* Growth by 1.5: the slack counts in the bytes per event. */
    st_grow_to(s, s->cap ? s->cap + s->cap / 2 : 4096);
}

static void st_pop(ModelLaneStore *s)
{
    s->n--;
    if (s->tesc.n && s->tesc.v[s->tesc.n - 1].i == s->n)
        s->tesc.n--;
    if (s->kesc.n && s->kesc.v[s->kesc.n - 1].i == s->n)
        s->kesc.n--;
}

/* Starts a new interval in state byte sb at absolute time t.  An interval
 * of zero length is replaced; equal neighbours merge (not RUNNING ones: each
 * is an acquisition). */
static void st_push_slow(ModelLaneStore *s, uint64_t t, uint64_t k, uint8_t sb);

/* The common case inline (a later interval, room in the block, offsets
 * that fit 32 bits); everything else in st_push_slow. */
static inline void st_push(ModelLaneStore *s, uint64_t t, uint64_t k, uint8_t sb)
{
    size_t i = s->n;
    if (i && i < s->cap && (i & BLK_MASK) && t > s->b.cur_t &&
        (s->sb[i - 1] != sb || SB_STATE(sb) == MS_RUNNING)) {
        uint64_t tb = s->tbase[i >> BLK_SHIFT], kb = s->kbase[i >> BLK_SHIFT];
        if (t - tb < ESCAPED && k >= kb && k - kb < ESCAPED) {
            s->trel[i] = (uint32_t)(t - tb);
            s->krel[i] = (uint32_t)(k - kb);
            s->sb[i] = sb;
            s->n = i + 1;
            s->b.cur_t = t;
            return;
        }
    }
    st_push_slow(s, t, k, sb);
}

static void st_push_slow(ModelLaneStore *s, uint64_t t, uint64_t k, uint8_t sb)
{
    if (s->n) {
        if (t <= s->b.cur_t) {
            s->sb[s->n - 1] = sb;
            if (s->n >= 2 && s->sb[s->n - 2] == sb && SB_STATE(sb) != MS_RUNNING) {
                st_pop(s);
                s->b.cur_t = st_t(s, s->n - 1);
            }
            return;
        }
        if (s->sb[s->n - 1] == sb && SB_STATE(sb) != MS_RUNNING)
            return;
    }
    if (s->n == s->cap)
        st_grow(s);
    size_t i = s->n++;
    if ((i & BLK_MASK) == 0) {
        s->tbase[i >> BLK_SHIFT] = t;
        s->kbase[i >> BLK_SHIFT] = k;
    }
    uint64_t tb = s->tbase[i >> BLK_SHIFT], kb = s->kbase[i >> BLK_SHIFT];
    if (t - tb < ESCAPED) {
        s->trel[i] = (uint32_t)(t - tb);
    } else {
        s->trel[i] = ESCAPED;
        esc_push(&s->tesc, i, t);
    }
    if (k >= kb && k - kb < ESCAPED) {
        s->krel[i] = (uint32_t)(k - kb);
    } else {
        s->krel[i] = ESCAPED;
        esc_push(&s->kesc, i, k);
    }
    s->sb[i] = sb;
    s->b.cur_t = t;
}

static void st_mark(ModelLaneStore *s, uint64_t ns, ModelMarkKind kind, uint32_t arg)
{
    if (s->nmarks == s->capmarks) {
        s->capmarks = s->capmarks ? s->capmarks + s->capmarks / 2 : 256;
        s->marks = mem_realloc(s->marks, s->capmarks * sizeof *s->marks);
    }
    s->marks[s->nmarks++] = (ModelMark){ .ns = ns, .arg = arg, .kind = (uint8_t)kind };
}

static void st_free(ModelLaneStore *s)
{
    if (!s)
        return;
    free(s->trel);
    free(s->krel);
    free(s->sb);
    free(s->tbase);
    free(s->kbase);
    free(s->tesc.v);
    free(s->kesc.v);
    free(s->marks);
    free(s->lod);
    free(s->tix);
    free(s->mix);
    free(s->mkind);
    free(s);
}

/* ---- events -> intervals ------------------------------------------------------------------ */

static uint8_t state_byte(const LaneBuild *b)
{
    if (b->holding)
        return SB(MS_RUNNING, 0);
    if (b->waiting || b->switching || b->wanting)
        return b->switching && !b->waiting ? SB(MS_SWITCH_WAIT, 0) : SB(MS_WAITING, b->reason);
    if (b->blocked)
        return SB(MS_BLOCKED, b->block_kind);
    return SB(MS_IDLE, b->reason);
}

static void lane_feed(ModelLaneStore *s, const TraceEvent *ev, size_t n)
{
    /* The flags live in a local copy (registers) during the loop: stored
     * one byte at a time and tested together, in memory they stalled every
     * event on store forwarding.  st_push keeps s->b.cur_t itself. */
    LaneBuild lb = s->b, *b = &lb;
    for (size_t i = 0; i < n && !b->ended; i++) {
        const TraceEvent *e = &ev[i];
        uint64_t now = e->ns;
        if (!b->any) {
            b->any = true;
            b->first_ns = b->last_ns = now;
            b->first_ticks = b->last_ticks = e->ticks;
            b->reason = DETAIL_NONE;
            s->b.cur_t = now;
            st_push(s, now, e->ticks, SB(MS_IDLE, DETAIL_NONE));
        }
        if (now < b->last_ns)
            now = b->last_ns;   /* out of order: no negative durations */
        if (b->gap_pending) {
            /* Chunks are missing between the last event and this one. */
            b->gap_pending = false;
            b->holding = b->waiting = b->switching = b->blocked = b->wanting = false;
            st_push(s, b->last_ns, b->last_ticks, SB(MS_GAP, 0));
        }
        bool force = false;
        uint8_t contended = 0;
        switch (e->kind) {
        case EV_GIL_REQUEST:
            b->waiting = true;
            break;
        case EV_GIL_ACQUIRE:
            contended = b->waiting ? SB_CONTENDED : 0;
            b->waiting = b->switching = b->wanting = false;
            b->holding = true;
            force = true;
            break;
        case EV_GIL_RELEASE:
            b->holding = false;
            b->reason = (uint8_t)(e->arg < 4 ? e->arg : DETAIL_NONE);
            if (e->arg == REL_FORCED || e->arg == REL_CHECK_INTERVAL)
                b->wanting = true;
            break;
        case EV_DROP_REQUEST: st_mark(s, now, MK_DROP_REQUEST, e->arg); break;
        case EV_FAILED_WAKEUP: st_mark(s, now, e->arg ? MK_FAILED_RETRY : MK_FAILED_FIRST, e->arg); break;
        case EV_SWITCH_WAIT_BEGIN: b->switching = true; break;
        case EV_SWITCH_WAIT_END: b->switching = false; break;
        case EV_BLOCK_BEGIN:
            b->blocked = true;
            b->wanting = false;
            b->block_kind = (uint8_t)(e->arg < BLOCK__COUNT ? e->arg : BLOCK_OTHER);
            break;
        case EV_BLOCK_END: b->blocked = false; break;
        case EV_MARK: st_mark(s, now, MK_USER, e->arg); break;
        case EV_LOSS:
            /* What happened since the last event is unknown: a gap, then idle. */
            st_mark(s, now, MK_LOSS, e->arg);
            st_push(s, b->last_ns, b->last_ticks, SB(MS_GAP, 0));
            b->holding = b->waiting = b->switching = b->blocked = b->wanting = false;
            b->reason = DETAIL_NONE;
            force = true;
            break;
        case EV_THREAD_END:
            b->ended = true;
            b->holding = b->waiting = b->switching = b->blocked = b->wanting = false;
            break;
        default: break;
        }
        uint8_t sb = state_byte(b) | contended;
        if (force || sb != s->sb[s->n - 1])
            st_push(s, now, e->ticks, sb);
        b->last_ns = now;
        b->last_ticks = e->ticks;
    }
    lb.cur_t = s->b.cur_t;
    s->b = lb;
}

/* ---- the builder ------------------------------------------------------------------------ */

typedef struct BLane {
    size_t pane;
    uint32_t pid, tid;
    char *name;
    uint64_t events;
    uint32_t missing;
    bool cut;                   /* its last events are missing (model_builder_lane_cut) */
    ModelLaneStore *s;
} BLane;

typedef struct BPane {
    char *file;
    bool has_hdr;
    TraceHeader hdr;            /* strings borrowed until finish: copied below */
    char *workload, *mode, *policy, *host, *args;
    uint32_t hdr_pid;
    bool complete;
    uint64_t lost;
} BPane;

struct ModelBuilder {
    BPane *panes;
    size_t npanes, cap_panes;
    BLane *lanes;
    size_t nlanes, cap_lanes;
    size_t *hash;               /* lane index + 1, 0 = empty */
    size_t hash_cap;
    char **notes;
    size_t nnotes;
};

static char *dup_str(const char *s)
{
    size_t n = strlen(s ? s : "");
    char *d = mem_alloc(n + 1);
    memcpy(d, s ? s : "", n + 1);
    return d;
}

ModelBuilder *model_builder_new(void)
{
    return mem_calloc(1, sizeof(ModelBuilder));
}

size_t model_builder_pane(ModelBuilder *b, const char *file, const TraceHeader *hdr)
{
    if (b->npanes == b->cap_panes) {
        b->cap_panes = b->cap_panes ? 2 * b->cap_panes : 4;
        b->panes = mem_realloc(b->panes, b->cap_panes * sizeof *b->panes);
    }
    BPane *p = &b->panes[b->npanes];
    memset(p, 0, sizeof *p);
    p->file = dup_str(file);
    if (hdr) {
        p->has_hdr = true;
        p->hdr = *hdr;
        p->workload = dup_str(hdr->workload);
        p->mode = dup_str(hdr->mode);
        p->policy = dup_str(hdr->policy);
        p->host = dup_str(hdr->host);
        /* The workload's own arguments: after the workload path on the command line. */
        char args[256] = "";
        size_t used = 0;
        bool after = false;
        for (int i = 0; i < hdr->argc && used < sizeof args - 2; i++) {
            if (after)
                used += (size_t)snprintf(args + used, sizeof args - used, " %s", hdr->argv[i]);
            else if (hdr->workload && strcmp(hdr->argv[i], hdr->workload) == 0)
                after = true;
            if (used >= sizeof args)
                used = sizeof args - 1;
        }
        p->args = dup_str(args);
        p->hdr.workload = p->hdr.mode = p->hdr.policy = p->hdr.host = NULL;
        p->hdr.argv = NULL;
        p->hdr_pid = hdr->pid;
    } else {
        p->workload = dup_str("");
        p->mode = dup_str("");
        p->policy = dup_str("");
        p->host = dup_str("");
        p->args = dup_str("");
    }
    return b->npanes++;
}

static size_t lane_hash(size_t pane, uint32_t pid, uint32_t tid)
{
    uint64_t h = ((uint64_t)pane * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)pid << 32 | tid);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return (size_t)h;
}

size_t model_builder_lane(ModelBuilder *b, size_t pane, uint32_t pid, uint32_t tid)
{
    if (b->hash_cap) {
        for (size_t h = lane_hash(pane, pid, tid) & (b->hash_cap - 1);; h = (h + 1) & (b->hash_cap - 1)) {
            size_t v = b->hash[h];
            if (!v)
                break;
            BLane *l = &b->lanes[v - 1];
            if (l->pane == pane && l->pid == pid && l->tid == tid)
                return v - 1;
        }
    }
    if (b->nlanes == b->cap_lanes) {
        b->cap_lanes = b->cap_lanes ? 2 * b->cap_lanes : 16;
        b->lanes = mem_realloc(b->lanes, b->cap_lanes * sizeof *b->lanes);
    }
    size_t idx = b->nlanes++;
    BLane *l = &b->lanes[idx];
    memset(l, 0, sizeof *l);
    l->pane = pane;
    l->pid = pid;
    l->tid = tid;
    l->s = mem_calloc(1, sizeof *l->s);
    if (2 * b->nlanes > b->hash_cap) {
        size_t cap = b->hash_cap ? 2 * b->hash_cap : 64;
        free(b->hash);
        b->hash = mem_calloc(cap, sizeof *b->hash);
        b->hash_cap = cap;
        for (size_t i = 0; i < b->nlanes; i++) {
            size_t h = lane_hash(b->lanes[i].pane, b->lanes[i].pid, b->lanes[i].tid) & (cap - 1);
            while (b->hash[h])
                h = (h + 1) & (cap - 1);
            b->hash[h] = i + 1;
        }
    } else {
        size_t h = lane_hash(pane, pid, tid) & (b->hash_cap - 1);
        while (b->hash[h])
            h = (h + 1) & (b->hash_cap - 1);
        b->hash[h] = idx + 1;
    }
    return idx;
}

void model_builder_lane_name(ModelBuilder *b, size_t lane, const char *name)
{
    free(b->lanes[lane].name);
    b->lanes[lane].name = dup_str(name);
}

void model_builder_events(ModelBuilder *b, size_t lane, const TraceEvent *ev, size_t n)
{
    BLane *l = &b->lanes[lane];
    l->events += n;
    lane_feed(l->s, ev, n);
}

void model_builder_lane_missing(ModelBuilder *b, size_t lane, uint32_t chunks)
{
    BLane *l = &b->lanes[lane];
    l->missing += chunks;
    if (l->s->b.any)
        l->s->b.gap_pending = true;
}

void model_builder_lane_cut(ModelBuilder *b, size_t lane)
{
    b->lanes[lane].cut = true;
}

/* ---- finishing: order, switches, LOD, figures ----------------------------------------- */

static void range_add(ModelRange *dst, const ModelRange *src)
{
    for (int s = 0; s < MS__COUNT; s++)
        dst->ns[s] += src->ns[s];
    dst->acquisitions += src->acquisitions;
    dst->switches += src->switches;
    for (int k = 0; k < MK__COUNT; k++)
        dst->marks[k] += src->marks[k];
}

static void lod_build(ModelLaneStore *s)
{
    size_t nb = (s->n >> LOD_SHIFT) + 1;
    s->lod = big_alloc(nb * sizeof *s->lod);
    memset(s->lod, 0, nb * sizeof *s->lod);
    /* The time index: about one entry per TIX_PER intervals at evenly
     * spaced times, so that finding the interval at a time (a pixel
     * column's edge) is a division and a search among a few neighbours,
     * not a binary search over the whole lane.  tix[j] = the intervals
     * starting before start + j * step; filled in the LOD's pass. */
    free(s->tix);
    s->tix = NULL;
    s->ntix = 0;
    size_t nt = 0, j = 0;
    uint64_t step = 1, tj = UINT64_MAX;
    if (s->n >= 2 && s->n < UINT32_MAX && s->end > s->start) {
        uint64_t span = s->end - s->start, k = s->n / TIX_PER + 1;
        step = span / k + 1;
        nt = (size_t)(span / step) + 2;
        s->tix = big_alloc(nt * sizeof *s->tix);
        tj = s->start;
    }
    Lod acc;
    memset(&acc, 0, sizeof acc);
    uint64_t t = s->n ? st_t(s, 0) : s->end;
    for (size_t i = 0; i < s->n; i++) {
        if ((i & ((1u << LOD_SHIFT) - 1)) == 0)
            s->lod[i >> LOD_SHIFT] = acc;
        /* Interval i starts at t (starts strictly increase). */
        while (j < nt && tj <= t) {
            s->tix[j++] = (uint32_t)i;
            tj += step;
        }
        uint64_t t1 = st_t(s, i + 1);
        lod_add(&acc, s->sb[i], t1 - t);
        t = t1;
    }
    if ((s->n & ((1u << LOD_SHIFT) - 1)) == 0)
        s->lod[s->n >> LOD_SHIFT] = acc;
    while (j < nt)
        s->tix[j++] = (uint32_t)s->n;
    if (!nt)
        return;
    s->ntix = nt;
    s->tix_step = step;
    free(s->mix);
    s->mix = NULL;
    if (s->nmarks && s->nmarks < UINT32_MAX) {
        /* Marks are relative to the pane's start by now. */
        s->mix = big_alloc(nt * sizeof *s->mix);
        size_t m = 0;
        for (size_t q = 0; q < nt; q++) {
            uint64_t tq = s->start - s->base + (uint64_t)q * step;
            while (m < s->nmarks && s->marks[m].ns < tq)
                m++;
            s->mix[q] = (uint32_t)m;
        }
    }
}

/* Heap of (time of next RUNNING interval, lane) for the switch merge,
 * ordered by time, then lane: the order is total, so merging the halves of
 * a process's time apart gives the merge of the whole. */
typedef struct HeapEnt {
    uint64_t t;
    size_t lane;
    size_t i;
} HeapEnt;

static inline bool heap_less(const HeapEnt *a, const HeapEnt *b)
{
    return a->t < b->t || (a->t == b->t && a->lane < b->lane);
}

static void heap_down(HeapEnt *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && heap_less(&h[l], &h[m]))
            m = l;
        if (l + 1 < n && heap_less(&h[l + 1], &h[m]))
            m = l + 1;
        if (m == i)
            return;
        HeapEnt x = h[i];
        h[i] = h[m];
        h[m] = x;
        i = m;
    }
}

/* The first RUNNING interval at or after i, or lim if none before lim. */
static size_t next_running(const ModelLaneStore *s, size_t i, size_t lim)
{
    while (i < lim && SB_STATE(s->sb[i]) != MS_RUNNING)
        i++;
    return i;
}

static size_t lower_bound(const ModelLaneStore *s, uint64_t t);

/* One part of a process's switch merge: the acquisitions starting in
 * [t0, t1) of lanes [a, z); prev is the lane that held the GIL last before
 * t0 (SIZE_MAX: none).  Writes only the SB_SWITCHED bits of intervals
 * starting in the range, so two parts can run at once. */
typedef struct SwitchPart {
    ModelLane *lanes;
    size_t a, z;
    uint64_t t0, t1;
    size_t prev;
} SwitchPart;

static void *switches_part(void *arg)
{
    SwitchPart *sp = arg;
    size_t n = sp->z - sp->a;
    HeapEnt *h = mem_alloc((n ? n : 1) * sizeof *h);
    /* lim[l]: the lane's intervals from there on start at or after t1 and
     * belong to the other part: not even read here. */
    size_t *lim = mem_alloc((n ? n : 1) * sizeof *lim);
    size_t hn = 0;
    for (size_t l = sp->a; l < sp->z; l++) {
        ModelLaneStore *s = sp->lanes[l].store_;
        lim[l - sp->a] = sp->t1 == UINT64_MAX ? s->n : sp->t1 > s->start ? lower_bound(s, sp->t1) : 0;
        size_t i = next_running(s, sp->t0 > s->start ? lower_bound(s, sp->t0) : 0, lim[l - sp->a]);
        if (i < lim[l - sp->a])
            h[hn++] = (HeapEnt){ st_t(s, i), l, i };
    }
    for (size_t k = hn / 2 + 1; k-- > 0;)
        heap_down(h, hn, k);
    size_t prev = sp->prev;
    while (hn) {
        HeapEnt e = h[0];
        ModelLaneStore *s = sp->lanes[e.lane].store_;
        if (prev != SIZE_MAX && prev != e.lane)
            s->sb[e.i] |= SB_SWITCHED;
        prev = e.lane;
        size_t i = next_running(s, e.i + 1, lim[e.lane - sp->a]);
        if (i < lim[e.lane - sp->a])
            h[0] = (HeapEnt){ st_t(s, i), e.lane, i };
        else
            h[0] = h[--hn];
        heap_down(h, hn, 0);
    }
    free(lim);
    free(h);
    return NULL;
}

/* Marks the acquisitions that followed another thread's hold, process by
 * process; a big process in two halves of its time on two threads. */
static void switches_mark(ModelLane *lanes, size_t n)
{
    for (size_t a = 0; a < n;) {
        size_t z = a;
        uint64_t lo = UINT64_MAX, hi = 0, total = 0;
        while (z < n && lanes[z].pid == lanes[a].pid) {
            ModelLaneStore *s = lanes[z].store_;
            lo = s->start < lo ? s->start : lo;
            hi = s->end > hi ? s->end : hi;
            total += s->n;
            z++;
        }
        SwitchPart whole = { lanes, a, z, 0, UINT64_MAX, SIZE_MAX };
        pthread_t th;
        if (total < 200000 || hi <= lo + 1) {
            switches_part(&whole);
        } else {
            /* Who held the GIL last before the middle: the latest (t, lane)
             * acquisition starting before it. */
            uint64_t mid = lo + (hi - lo) / 2, best_t = 0;
            size_t best = SIZE_MAX;
            for (size_t l = a; l < z; l++) {
                ModelLaneStore *s = lanes[l].store_;
                size_t i = mid > s->start ? lower_bound(s, mid) : 0;
                while (i > 0 && SB_STATE(s->sb[i - 1]) != MS_RUNNING)
                    i--;
                if (i > 0 && (best == SIZE_MAX || st_t(s, i - 1) >= best_t)) {
                    best_t = st_t(s, i - 1);
                    best = l;
                }
            }
            SwitchPart p0 = { lanes, a, z, 0, mid, SIZE_MAX }, p1 = { lanes, a, z, mid, UINT64_MAX, best };
            bool threaded = pthread_create(&th, NULL, switches_part, &p1) == 0;
            switches_part(&p0);
            if (threaded)
                pthread_join(th, NULL);
            else
                switches_part(&p1);
        }
        a = z;
    }
}

/* A double to uint64_t, saturating (a plain cast of a value >= 2^64, which
 * rounding can produce from times and tick counts near 2^64, is undefined). */
static uint64_t u64_of(double x)
{
    if (!(x > 0))
        return 0;
    if (x >= 18446744073709551616.0)
        return UINT64_MAX;
    return (uint64_t)x;
}

/* Cumulative ticks of all lanes at S + 1 evenly spaced times: S is
 * TICKS_MAP, or for a pane of few intervals 16 per interval but at least
 * TICKS_MAP_MIN (a file of thousands of one-event runs made thousands of
 * 512 KB maps: 10,000 runs in 430 KB took 5 GB and 40 s to export). */
#define TICKS_MAP_MIN 1024
static void ticks_map_build(ModelPane *p)
{
    size_t nint = 0;
    for (size_t l = 0; l < p->nlanes; l++)
        nint += p->lanes[l].store_->n;
    size_t S = TICKS_MAP_MIN;
    while (S < TICKS_MAP && S / 16 < nint)
        S *= 2;
    if (S > TICKS_MAP)
        S = TICKS_MAP;
    uint64_t *map = mem_calloc(S + 1, sizeof *map);
    double step = (double)p->wall_ns / (double)S;
    for (size_t l = 0; l < p->nlanes; l++) {
        const ModelLaneStore *s = p->lanes[l].store_;
        if (!s->n)
            continue;
        size_t i = 0;
        uint64_t t0 = st_t(s, 0), t1 = st_t(s, 1);
        for (size_t k = 0; k <= S; k++) {
            uint64_t t = s->base + (k == S ? p->wall_ns : u64_of(step * (double)k));
            if (t < s->start)
                continue;
            while (i + 1 < s->n && t1 <= t) {
                i++;
                t0 = t1;
                t1 = st_t(s, i + 1);
            }
            uint64_t k0 = st_k(s, i), done;
            if (t >= s->end) {
                done = s->end_ticks;
            } else if (SB_STATE(s->sb[i]) == MS_RUNNING && t1 > t0) {
                uint64_t k1 = st_k(s, i + 1);
                uint64_t dk = k1 > k0 ? u64_of((double)(k1 - k0) * (double)(t - t0) / (double)(t1 - t0)) : 0;
                done = k0 + (dk < k1 - k0 ? dk : k1 - k0);
            } else {
                done = k0;
            }
            map[k] += done >= s->start_ticks ? done - s->start_ticks : 0;
        }
    }
    for (size_t k = 1; k <= S; k++)     /* monotonic despite rounding */
        if (map[k] < map[k - 1])
            map[k] = map[k - 1];
    p->ticks_map_ = map;
    p->nticks_map_ = S + 1;
    p->total_ticks = map[S];
}

static int lane_order(const void *a, const void *b)
{
    const ModelLane *x = a, *y = b;
    /* pane, then the run's first process (pid stored in pane order key), then tid */
    if (x->pane != y->pane)
        return x->pane < y->pane ? -1 : 1;
    if (x->pid != y->pid)
        return x->pid < y->pid ? -1 : 1;
    return x->tid < y->tid ? -1 : x->tid > y->tid;
}

static void fmt_ms(char *buf, size_t size, uint64_t ns)
{
    double ms = (double)ns / 1e6;
    snprintf(buf, size, ms >= 1 ? "%.0f ms" : "%.3g ms", ms);
}

static void pane_texts(ModelPane *p, const BPane *bp, bool same_policy)
{
    uint32_t workers = p->nlanes > 1 ? (uint32_t)p->nlanes - 1 : (uint32_t)p->nlanes;
    char label[160], params[512], iv[64];
    bool procs = strcmp(bp->mode, "processes") == 0;
    if (strcmp(bp->mode, "sequential") == 0)
        snprintf(label, sizeof label, "sequential");
    else if (procs)
        snprintf(label, sizeof label, "%u process%s", p->processes > 1 ? p->processes - 1 : 1,
                 p->processes > 2 ? "es" : "");
    else
        snprintf(label, sizeof label, "%u thread%s", workers, workers == 1 ? "" : "s");
    if (!same_policy && bp->policy[0]) {
        size_t n = strlen(label);
        snprintf(label + n, sizeof label - n, " (%s)", bp->policy);
    }
    p->label = dup_str(label);
    if (strcmp(bp->policy, "legacy") == 0)
        snprintf(iv, sizeof iv, "check interval %llu ticks", (unsigned long long)bp->hdr.check_interval);
    else if (bp->hdr.switch_interval_ns) {
        char ms[32];
        fmt_ms(ms, sizeof ms, bp->hdr.switch_interval_ns);
        snprintf(iv, sizeof iv, "switch interval %s", ms);
    } else
        iv[0] = 0;
    const char *wl = strrchr(bp->workload, '/');
    wl = wl ? wl + 1 : bp->workload;
    char cpus[64];
    if (bp->hdr.cpus)
        snprintf(cpus, sizeof cpus, "%llu of %llu CPUs", (unsigned long long)bp->hdr.cpus,
                 (unsigned long long)bp->hdr.cpus_online);
    else
        snprintf(cpus, sizeof cpus, "%llu CPUs", (unsigned long long)bp->hdr.cpus_online);
    if (bp->has_hdr)
        snprintf(params, sizeof params, "%s%s  ·  %s mode  ·  %s GIL%s%s  ·  %u thread%s in %u process%s  ·  %s%s%s",
                 wl, bp->args, bp->mode, bp->policy, iv[0] ? ", " : "", iv, p->threads, p->threads == 1 ? "" : "s",
                 p->processes, p->processes == 1 ? "" : "es", cpus, bp->host[0] ? "  ·  " : "", bp->host);
    else
        snprintf(params, sizeof params, "%s (no run header)", bp->file);
    p->params = dup_str(params);
}

/* Per lane, independent of the others: marks made relative to the pane,
 * lost events counted, the LOD and the time indexes built.  Lanes are
 * shared between the calling thread and one helper. */
typedef struct LaneJobs {
    ModelLane *lanes;
    size_t n;
    size_t next;                /* taken under mu */
    pthread_mutex_t mu;
} LaneJobs;

static void lane_build_one(ModelLane *ln)
{
    ModelLaneStore *s = ln->store_;
    uint64_t lost = 0;
    for (size_t k = 0; k < s->nmarks; k++) {
        s->marks[k].ns -= s->base;
        if (s->marks[k].kind == MK_LOSS)
            lost += s->marks[k].arg;
    }
    ln->lost += lost;
    free(s->mkind);
    s->mkind = big_alloc(s->nmarks ? s->nmarks : 1);
    for (size_t k = 0; k < s->nmarks; k++)
        s->mkind[k] = s->marks[k].kind;
    lod_build(s);
}

static void *lanes_worker(void *arg)
{
    LaneJobs *j = arg;
    for (;;) {
        pthread_mutex_lock(&j->mu);
        size_t i = j->next++;
        pthread_mutex_unlock(&j->mu);
        if (i >= j->n)
            return NULL;
        lane_build_one(&j->lanes[i]);
    }
}

static void lanes_build(ModelLane *lanes, size_t n)
{
    size_t big = 0;
    for (size_t i = 0; i < n; i++)
        big += lanes[i].store_->n;
    LaneJobs j = { .lanes = lanes, .n = n };
    pthread_mutex_init(&j.mu, NULL);
    pthread_t th;
    bool threaded = n > 1 && big > 100000 && pthread_create(&th, NULL, lanes_worker, &j) == 0;
    lanes_worker(&j);
    if (threaded)
        pthread_join(th, NULL);
    pthread_mutex_destroy(&j.mu);
}

Model *model_builder_finish(ModelBuilder *b)
{
    Model *m = mem_calloc(1, sizeof *m);
    m->panes = mem_calloc(b->npanes ? b->npanes : 1, sizeof *m->panes);
    m->npanes = b->npanes;
    /* Lanes with events, grouped by pane; the pane's main process first. */
    ModelLane *all = mem_calloc(b->nlanes ? b->nlanes : 1, sizeof *all);
    size_t nall = 0;
    for (size_t i = 0; i < b->nlanes; i++) {
        BLane *bl = &b->lanes[i];
        if (!bl->s->b.any) {
            st_free(bl->s);
            free(bl->name);
            continue;
        }
        ModelLane *l = &all[nall++];
        l->pane = (uint32_t)bl->pane;
        l->pid = bl->pid;
        l->tid = bl->tid;
        l->events = bl->events;
        l->missing_chunks = bl->missing;
        l->cut = bl->cut;
        l->name = bl->name ? bl->name : dup_str("");
        l->store_ = bl->s;
        /* Sort key: the main process's pid as 0 so it comes first. */
        if (bl->pid == b->panes[bl->pane].hdr_pid)
            l->pid = 0;
    }
    qsort(all, nall, sizeof *all, lane_order);
    for (size_t i = 0; i < nall; i++)
        if (all[i].pid == 0 && all[i].store_)
            all[i].pid = b->panes[all[i].pane].hdr_pid;
    bool same_policy = true;
    for (size_t p = 1; p < b->npanes; p++)
        if (strcmp(b->panes[p].policy, b->panes[0].policy) != 0)
            same_policy = false;
    size_t at = 0;
    for (size_t pi = 0; pi < b->npanes; pi++) {
        ModelPane *p = &m->panes[pi];
        BPane *bp = &b->panes[pi];
        size_t z = at;
        while (z < nall && all[z].pane == pi)
            z++;
        p->nlanes = z - at;
        p->lanes = mem_calloc(p->nlanes ? p->nlanes : 1, sizeof *p->lanes);
        memcpy(p->lanes, all + at, p->nlanes * sizeof *p->lanes);
        at = z;
        uint64_t base = UINT64_MAX, last = 0;
        uint32_t procs = 0, prev_pid = 0;
        for (size_t l = 0; l < p->nlanes; l++) {
            ModelLaneStore *s = p->lanes[l].store_;
            s->start = s->b.first_ns;
            s->end = s->b.last_ns;
            if (s->n > 1 && st_t(s, s->n - 1) >= s->end)
                st_pop(s);      /* the state after the last event has no length */
            s->start_ticks = s->b.first_ticks;
            s->end_ticks = s->b.last_ticks;
            if (s->start < base)
                base = s->start;
            if (s->end > last)
                last = s->end;
            if (l == 0 || p->lanes[l].pid != prev_pid)
                procs++;
            prev_pid = p->lanes[l].pid;
        }
        if (base == UINT64_MAX)
            base = last = 0;
        /* A thread known by name or one instant only (its other events lost:
         * no buffer was free) is unknown for the whole run when the run lost events
         * or never closed: one gap across the pane, not an empty lane. */
        for (size_t l = 0; l < p->nlanes; l++) {
            ModelLaneStore *s = p->lanes[l].store_;
            if (s->n > 1 || s->b.first_ns != s->b.last_ns || last <= base || (!bp->lost && bp->complete))
                continue;
            s->n = 0;           /* at most one instant of it is known */
            s->b.cur_t = 0;
            st_push(s, base, 0, SB(MS_GAP, 0));
            s->start = base;
            s->end = last;
            p->lanes[l].cut = true;
        }
        /* A thread whose end is missing (its process never closed, or closed
         * with it unfinished) is unknown from its last event to the end of
         * the run: a gap, never a silent end. */
        for (size_t l = 0; l < p->nlanes; l++) {
            ModelLane *ln = &p->lanes[l];
            ModelLaneStore *s = ln->store_;
            if (!ln->cut || s->b.ended || s->end >= last)
                continue;
            if (st_t(s, s->n - 1) >= s->end) {
                s->sb[s->n - 1] = SB(MS_GAP, 0);
            } else {
                s->b.cur_t = st_t(s, s->n - 1);
                st_push(s, s->end, s->end_ticks, SB(MS_GAP, 0));
            }
            s->end = last;
        }
        p->base_ns = base;
        p->wall_ns = last - base;
        p->processes = procs;
        p->threads = (uint32_t)p->nlanes;
        switches_mark(p->lanes, p->nlanes);
        for (size_t l = 0; l < p->nlanes; l++)
            p->lanes[l].store_->base = base;
        lanes_build(p->lanes, p->nlanes);
        for (size_t l = 0; l < p->nlanes; l++) {
            ModelLane *ln = &p->lanes[l];
            ModelLaneStore *s = ln->store_;
            ln->start_ns = s->start - base;
            ln->end_ns = s->end - base;
            ln->ended = s->b.ended;
            ln->nintervals = s->n;
            ln->nmarks = s->nmarks;
            p->missing_chunks += ln->missing_chunks;
            p->cut_lanes += ln->cut && !ln->ended;
            model_lane_range(ln, ln->start_ns, ln->end_ns + 1, &ln->total);
            range_add(&p->total, &ln->total);
            p->events += ln->events;
            if (!ln->name[0]) {
                free(ln->name);
                char nm[32];
                snprintf(nm, sizeof nm, ln->tid == 0 ? "main" : "thread %u", ln->tid);
                ln->name = dup_str(nm);
            }
            if (p->processes > 1 && ln->tid == 0 && l > 0) {
                char nm[160];
                snprintf(nm, sizeof nm, "%s (pid %u)", ln->name, ln->pid);
                free(ln->name);
                ln->name = dup_str(nm);
            }
        }
        uint64_t run = p->total.ns[MS_RUNNING];
        uint64_t wait = p->total.ns[MS_WAITING] + p->total.ns[MS_SWITCH_WAIT];
        p->wait_share = run + wait ? (double)wait / (double)(run + wait) : 0;
        p->lost = bp->lost;
        p->complete = bp->complete;
        p->file = bp->file;
        p->workload = bp->workload;
        p->mode = bp->mode;
        p->policy = bp->policy;
        p->host = bp->host;
        p->switch_interval_ns = bp->hdr.switch_interval_ns;
        p->check_interval = bp->hdr.check_interval;
        p->cpus = bp->hdr.cpus;
        p->cpus_online = bp->hdr.cpus_online;
        ticks_map_build(p);
        pane_texts(p, bp, same_policy);
        free(bp->args);
        if (p->wall_ns > m->span_ns)
            m->span_ns = p->wall_ns;
        m->events += p->events;
    }
    free(all);
    m->notes = b->notes;
    m->nnotes = b->nnotes;
    free(b->panes);
    free(b->lanes);
    free(b->hash);
    free(b);
    return m;
}

void model_free(Model *m)
{
    if (!m)
        return;
    for (size_t p = 0; p < m->npanes; p++) {
        ModelPane *pn = &m->panes[p];
        for (size_t l = 0; l < pn->nlanes; l++) {
            free(pn->lanes[l].name);
            st_free(pn->lanes[l].store_);
        }
        free(pn->lanes);
        free(pn->label);
        free(pn->params);
        free(pn->file);
        free(pn->workload);
        free(pn->mode);
        free(pn->policy);
        free(pn->host);
        free(pn->ticks_map_);
    }
    free(m->panes);
    for (size_t i = 0; i < m->nnotes; i++)
        free(m->notes[i]);
    free(m->notes);
    free(m);
}

/* ---- loading ------------------------------------------------------------------------------- */

/* Loading: the reader scans the file, then decodes it lane by lane on
 * LOAD_THREADS threads (the machines this runs on have 2 cores), each
 * lane's events going straight into its intervals (lanes are independent
 * until model_builder_finish). */
#define LOAD_THREADS 2

typedef struct LoadCtx {
    ModelBuilder *b;
    size_t pane0;               /* first pane of the current file */
    size_t npanes_file;         /* runs seen so far in it */
    const char *file;
} LoadCtx;

/* Before any events: a pane per run, a builder lane per lane (tl->user is
 * its index + 1), so that the sinks running at once only touch their own. */
static void load_ready(void *vctx, TraceFile *tf)
{
    LoadCtx *c = vctx;
    while (c->npanes_file < tf->nruns) {
        model_builder_pane(c->b, c->file, NULL);
        c->npanes_file++;
    }
    for (size_t r = 0; r < tf->nruns; r++)
        for (size_t p = 0; p < tf->runs[r].nprocs; p++)
            for (size_t l = 0; l < tf->runs[r].procs[p].nlanes; l++) {
                TraceLane *tl = &tf->runs[r].procs[p].lanes[l];
                tl->user = model_builder_lane(c->b, c->pane0 + r, tl->pid, tl->tid) + 1;
                st_reserve(c->b->lanes[tl->user - 1].s, tl->queued);
            }
}

static void load_sink(void *vctx, TraceLane *tl, size_t run, const TraceEvent *ev, size_t n, uint32_t missing)
{
    LoadCtx *c = vctx;
    (void)run;
    BLane *l = &c->b->lanes[tl->user - 1];
    l->events += n;
    if (missing && l->s->b.any)
        l->s->b.gap_pending = true;
    lane_feed(l->s, ev, n);
}

static void pane_set_header(BPane *p, const TraceRun *run)
{
    if (!run->has_header)
        return;
    char *file = p->file;
    free(p->workload);
    free(p->mode);
    free(p->policy);
    free(p->host);
    free(p->args);
    /* Rebuild through model_builder_pane's logic on a scratch builder slot. */
    ModelBuilder tmp;
    memset(&tmp, 0, sizeof tmp);
    model_builder_pane(&tmp, file, &run->hdr);
    free(file);
    *p = tmp.panes[0];
    free(tmp.panes);
}

ModelStatus model_load(const char *const *paths, size_t npaths, Model **out, char *err, size_t errsize)
{
    return model_load_threads(paths, npaths, LOAD_THREADS, out, err, errsize);
}

ModelStatus model_load_threads(const char *const *paths, size_t npaths, int threads, Model **out, char *err,
                               size_t errsize)
{
    *out = NULL;
    ModelBuilder *b = model_builder_new();
    size_t notes_cap = 0;
    for (size_t f = 0; f < npaths; f++) {
        LoadCtx c = { .b = b, .pane0 = b->npanes, .file = paths[f] };
        TraceFile *tf = NULL;
        TraceReadStatus st = trace_read_file_stream(paths[f], load_ready, load_sink, &c, threads, &tf, err,
                                                    errsize);
        if (st != TRACE_READ_OK) {
            Model *m = model_builder_finish(b);
            model_free(m);
            return st == TRACE_READ_EIO ? MODEL_EIO : MODEL_EFORMAT;
        }
        while (c.npanes_file < tf->nruns) {
            model_builder_pane(b, paths[f], NULL);
            c.npanes_file++;
        }
        for (size_t r = 0; r < tf->nruns; r++) {
            const TraceRun *run = &tf->runs[r];
            BPane *bp = &b->panes[c.pane0 + r];
            pane_set_header(bp, run);
            bp->complete = run->complete;
            bp->lost = run->lost;
            for (size_t p = 0; p < run->nprocs; p++)
                for (size_t l = 0; l < run->procs[p].nlanes; l++) {
                    const TraceLane *tl = &run->procs[p].lanes[l];
                    if (!tl->nev)
                        continue;
                    size_t li = model_builder_lane(b, c.pane0 + r, tl->pid, tl->tid);
                    model_builder_lane_name(b, li, tl->name);
                    b->lanes[li].missing = tl->missing_chunks;
                    /* Its process never closed, or closed with threads unfinished:
                     * a thread without THREAD_END lost its last events. */
                    if (!run->procs[p].closed || run->procs[p].unfinished)
                        model_builder_lane_cut(b, li);
                }
        }
        for (size_t i = 0; i < tf->nnotes; i++) {
            if (b->nnotes == notes_cap) {
                notes_cap = notes_cap ? 2 * notes_cap : 8;
                b->notes = mem_realloc(b->notes, notes_cap * sizeof *b->notes);
            }
            b->notes[b->nnotes++] = dup_str(tf->notes[i]);
        }
        trace_file_free(tf);
    }
    *out = model_builder_finish(b);
    return MODEL_OK;
}

/* ---- queries --------------------------------------------------------------------------------- */

void model_lane_interval(const ModelLane *lane, size_t i, ModelInterval *out)
{
    const ModelLaneStore *s = lane->store_;
    uint8_t sb = s->sb[i];
    out->t0 = st_t(s, i) - s->base;
    out->t1 = st_t(s, i + 1) - s->base;
    out->ticks0 = st_k(s, i);
    out->state = SB_STATE(sb);
    unsigned d = SB_DETAIL(sb);
    out->detail = (uint8_t)(out->state == MS_BLOCKED ? d
                            : (out->state == MS_WAITING || out->state == MS_IDLE) ? (d == DETAIL_NONE ? 0xff : d)
                            : 0);
    out->contended = (sb & SB_CONTENDED) != 0;
    out->switched = (sb & SB_SWITCHED) != 0;
}

/* Number of intervals starting before absolute time t. */
static size_t lower_bound(const ModelLaneStore *s, uint64_t t)
{
    size_t lo = 0, hi = s->n;
    if (s->tix && t > s->start) {
        /* Intervals [0, tix[j]) start before start + j * step <= t; those from
         * tix[j + 1] on start at or after start + (j + 1) * step > t. */
        uint64_t j = (t - s->start) / s->tix_step;
        if (j + 1 < s->ntix) {
            lo = s->tix[j];
            hi = s->tix[j + 1];
        } else {
            lo = s->tix[s->ntix - 1];
        }
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (st_t(s, mid) < t)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
    /* Blocks first (their bases are exact starts), then within one. */
    size_t nb = (s->n + BLK_MASK) >> BLK_SHIFT;
    size_t blo = 0, bhi = nb;
    while (blo < bhi) {
        size_t mid = (blo + bhi) / 2;
        if (s->tbase[mid] < t)
            blo = mid + 1;
        else
            bhi = mid;
    }
    /* Blocks [0, blo) start before t: the answer is in block blo-1's range. */
    if (blo == 0)
        return 0;
    lo = (blo - 1) << BLK_SHIFT;
    hi = blo << BLK_SHIFT;
    if (hi > s->n)
        hi = s->n;
    lo++;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (st_t(s, mid) < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

long long model_lane_find(const ModelLane *lane, uint64_t ns)
{
    const ModelLaneStore *s = lane->store_;
    uint64_t t = ns + s->base;
    if (!s->n || t < s->start || t >= s->end)
        return -1;
    return (long long)lower_bound(s, t + 1) - 1;
}

void model_lane_mark(const ModelLane *lane, size_t i, ModelMark *out)
{
    *out = lane->store_->marks[i];
}

size_t model_lane_mark_lower(const ModelLane *lane, uint64_t ns)
{
    const ModelLaneStore *s = lane->store_;
    size_t lo = 0, hi = s->nmarks;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->marks[mid].ns < ns)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A walk over a lane's intervals: acc holds the figures of the whole
 * intervals [0, j), which start at tj.  Successive times close together
 * (the edges of pixel columns) continue the walk instead of restarting it
 * from a LOD block. */
typedef struct Cursor {
    size_t j;
    uint64_t tj;
    Lod acc;
    bool valid;
} Cursor;

/* Figures of [start, t) (absolute t). */
static void cum_at_cursor(const ModelLaneStore *s, uint64_t t, Lod *out, Cursor *c)
{
    if (t > s->end)
        t = s->end;
    size_t idx = t <= s->start ? 0 : lower_bound(s, t);
    if (idx == 0) {
        memset(out, 0, sizeof *out);
        return;
    }
    /* Whole intervals [0, idx - 1), then interval idx - 1 up to t. */
    size_t m = idx - 1;
    if (!c->valid || c->j > m || m - c->j > (1u << LOD_SHIFT)) {
        size_t b = m >> LOD_SHIFT;
        c->acc = s->lod[b];
        c->j = b << LOD_SHIFT;
        c->tj = st_t(s, c->j);
        c->valid = true;
    }
    size_t j = c->j;
    uint64_t tj = c->tj;
    Lod acc = c->acc;
    for (; j < m; j++) {
        uint64_t t1 = st_t(s, j + 1);
        lod_add(&acc, s->sb[j], t1 - tj);
        tj = t1;
    }
    c->j = j;
    c->tj = tj;
    c->acc = acc;
    lod_add(&acc, s->sb[m], t - tj);
    *out = acc;
}

static void cum_at(const ModelLaneStore *s, uint64_t t, Lod *out)
{
    Cursor c = { .valid = false };
    cum_at_cursor(s, t, out, &c);
}

void model_lane_columns(const ModelLane *lane, const uint64_t *edges, size_t ncol, uint64_t (*ns_out)[MS__COUNT])
{
    const ModelLaneStore *s = lane->store_;
    if (!s->n) {
        memset(ns_out, 0, ncol * sizeof *ns_out);
        return;
    }
    Lod prev, cur;
    Cursor c = { .valid = false };
    cum_at_cursor(s, edges[0] + s->base, &prev, &c);
    for (size_t i = 0; i < ncol; i++) {
        /* Far edges (a zoomed-out view) miss the caches: fetch ahead what
         * the edge 8 columns on will read. */
        if (s->tix && i + 9 <= ncol) {
            uint64_t t = edges[i + 9] + s->base;
            if (t > s->start) {
                uint64_t j = (t - s->start) / s->tix_step;
                if (j + 1 < s->ntix) {
                    size_t k = s->tix[j];
                    __builtin_prefetch(&s->trel[k]);
                    __builtin_prefetch(&s->sb[k]);
                    __builtin_prefetch(&s->lod[k >> LOD_SHIFT]);
                    __builtin_prefetch(&s->trel[(k >> LOD_SHIFT) << LOD_SHIFT]);
                }
            }
        }
        cum_at_cursor(s, edges[i + 1] + s->base, &cur, &c);
        for (int k = 0; k < MS__COUNT; k++)
            ns_out[i][k] = cur.ns[k] - prev.ns[k];
        prev = cur;
    }
}

/* First mark at or after ns, searching forward from mark `from` (whose
 * predecessors are all before ns): galloping, O(log distance). */
static size_t mark_gallop(const ModelLaneStore *s, size_t from, uint64_t ns)
{
    size_t n = s->nmarks;
    if (from >= n || s->marks[from].ns >= ns)
        return from;
    size_t lo = from + 1, step = 1, hi = from + 1;
    while (hi < n && s->marks[hi].ns < ns) {
        lo = hi + 1;
        step *= 2;
        hi = from + step;
    }
    if (hi > n)
        hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->marks[mid].ns < ns)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void model_lane_mark_columns(const ModelLane *lane, const uint64_t *edges, size_t ncol, uint8_t *kinds)
{
    const ModelLaneStore *s = lane->store_;
    memset(kinds, 0, ncol);
    if (!s->nmarks || !ncol)
        return;
    size_t a = model_lane_mark_lower(lane, edges[0]);
    uint64_t t0 = s->start - s->base;
    for (size_t i = 0; i < ncol && a < s->nmarks; i++) {
        uint64_t e = edges[i + 1];
        size_t b;
        if (s->mix && i + 9 <= ncol && edges[i + 9] > t0) {
            uint64_t jf = (edges[i + 9] - t0) / s->tix_step;
            if (jf < s->ntix && s->mix[jf] < s->nmarks)
                __builtin_prefetch(&s->mkind[s->mix[jf]]);
        }
        if (s->mix && e > t0 && (e - t0) / s->tix_step + 1 < s->ntix) {
            /* Marks [0, mix[j]) are before t0 + j * step <= e, those from
             * mix[j + 1] on at or after t0 + (j + 1) * step > e. */
            uint64_t j = (e - t0) / s->tix_step;
            size_t lo = s->mix[j] > a ? s->mix[j] : a, hi = s->mix[j + 1];
            if (hi < lo)
                hi = lo;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (s->marks[mid].ns < e)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            b = lo;
        } else {
            b = mark_gallop(s, a, e);
        }
        uint8_t k = 0;
        for (size_t j = a; j < b && j < a + 32; j++)
            k |= (uint8_t)(1u << s->mkind[j]);
        kinds[i] = k;
        a = b;
    }
}

void model_lane_range(const ModelLane *lane, uint64_t t0, uint64_t t1, ModelRange *out)
{
    const ModelLaneStore *s = lane->store_;
    memset(out, 0, sizeof *out);
    if (t1 <= t0 || !s->n)
        return;
    Lod a, z;
    cum_at(s, t0 + s->base, &a);
    cum_at(s, t1 + s->base, &z);
    for (int k = 0; k < MS__COUNT; k++)
        out->ns[k] = z.ns[k] - a.ns[k];
    out->acquisitions = z.acq - a.acq;
    out->switches = z.sw - a.sw;
    for (size_t i = model_lane_mark_lower(lane, t0); i < s->nmarks && s->marks[i].ns < t1; i++)
        out->marks[s->marks[i].kind]++;
}

uint64_t model_pane_ticks_at(const ModelPane *p, uint64_t ns)
{
    if (!p->nticks_map_ || !p->wall_ns)
        return 0;
    if (ns >= p->wall_ns)
        return p->ticks_map_[p->nticks_map_ - 1];
    double f = (double)ns * (double)(p->nticks_map_ - 1) / (double)p->wall_ns;
    /* ns < wall_ns, but near 2^53 and above the division can round f up to
     * the last point: stay on the last segment */
    size_t k = f < (double)(p->nticks_map_ - 2) ? (size_t)f : p->nticks_map_ - 2;
    double frac = f - (double)k;
    if (frac > 1)
        frac = 1;
    uint64_t a = p->ticks_map_[k], b = p->ticks_map_[k + 1];
    uint64_t d = u64_of((double)(b - a) * frac);
    return a + (d < b - a ? d : b - a);
}

uint64_t model_pane_ns_at_ticks(const ModelPane *p, uint64_t ticks)
{
    if (!p->nticks_map_ || !p->wall_ns)
        return 0;
    const uint64_t *m = p->ticks_map_;
    size_t n = p->nticks_map_;
    if (ticks >= m[n - 1])
        return p->wall_ns;
    size_t lo = 0, hi = n - 1;  /* first k with m[k] >= ticks, k >= 1 */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m[mid] < ticks)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    double step = (double)p->wall_ns / (double)(n - 1);
    double frac = m[lo] > m[lo - 1] ? (double)(ticks - m[lo - 1]) / (double)(m[lo] - m[lo - 1]) : 0;
    uint64_t ns = u64_of(step * ((double)(lo - 1) + frac));
    return ns < p->wall_ns ? ns : p->wall_ns;
}

char *model_headline(const Model *m, char *buf, size_t size)
{
    if (size)
        buf[0] = 0;
    size_t fast = SIZE_MAX, slow = SIZE_MAX;
    size_t shown = 0;
    for (size_t i = 0; i < m->npanes; i++) {
        if (!m->panes[i].wall_ns)
            continue;
        shown++;
        if (fast == SIZE_MAX || m->panes[i].wall_ns < m->panes[fast].wall_ns)
            fast = i;
        if (slow == SIZE_MAX || m->panes[i].wall_ns > m->panes[slow].wall_ns)
            slow = i;
    }
    if (shown < 2 || fast == slow)
        return buf;
    double r = (double)m->panes[slow].wall_ns / (double)m->panes[fast].wall_ns;
    const char *a = m->panes[fast].label, *b = m->panes[slow].label;
    if (r < 1.05)
        snprintf(buf, size, "%s and %s took about the same time", a, b);
    else
        snprintf(buf, size, "%s finished %.1fx sooner than %s", a, r, b);
    return buf;
}

const char *model_state_name(ModelState s)
{
    static const char *const names[MS__COUNT] = { "running", "waiting", "switch wait", "blocked", "idle", "lost" };
    return (unsigned)s < MS__COUNT ? names[s] : "?";
}

const char *model_mark_name(ModelMarkKind k)
{
    static const char *const names[MK__COUNT] = { "failed wake-up", "failed wake-up (retry)", "drop request",
                                                  "events lost", "mark" };
    return (unsigned)k < MK__COUNT ? names[k] : "?";
}
