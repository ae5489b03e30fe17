/*
 * synth.c -- `gilscope synth`: a synthetic .gilt trace with realistic GIL
 * state sequences, for tests and benchmarks of the model, drawing and
 * export at any size (100 million events in seconds).
 *
 * It writes data/FORMAT.md directly (the tracer stamps real clock times;
 * here time is simulated).  Each process has a main thread (blocked in a
 * join) and K CPU-bound workers that hand the GIL round as the chosen
 * policy does: newgil/priority/fifo by drop requests every 0.5-5 ms
 * (failed wake-ups, forced release, switch wait), legacy by a check every
 * 100 ticks where the holder usually takes the GIL straight back and the
 * others wake up for nothing.  Now and then a worker blocks in a call
 * (socket, sleep) and lets another run.  The output is deterministic for
 * given options (--seed).
 */
#include "viz/export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "interp/trace.h"

#define FRAME 32
#define CH_HEADER 1
#define CH_META 2
#define CH_EVENTS 3
#define CH_CLOSE 4

typedef struct Out {
    FILE *fp;
    uint64_t run_id;
    uint64_t bytes;
    bool err;
} Out;

typedef struct Buf {
    uint8_t *p;
    size_t n, cap;
} Buf;

static void buf_need(Buf *b, size_t k)
{
    if (b->n + k > b->cap) {
        b->cap = (b->n + k) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) {
            fprintf(stderr, "gilscope synth: out of memory\n");
            exit(70);
        }
    }
}

static inline void put_uv(Buf *b, uint64_t v)
{
    buf_need(b, 10);
    while (v >= 0x80) {
        b->p[b->n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    b->p[b->n++] = (uint8_t)v;
}

static void put_bytes(Buf *b, const void *s, size_t n)
{
    buf_need(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void tlv_uv(Buf *b, uint64_t tag, uint64_t v)
{
    Buf t = { 0 };
    put_uv(&t, v);
    put_uv(b, tag);
    put_uv(b, t.n);
    put_bytes(b, t.p, t.n);
    free(t.p);
}

static void tlv_str(Buf *b, uint64_t tag, const char *s)
{
    put_uv(b, tag);
    put_uv(b, strlen(s));
    put_bytes(b, s, strlen(s));
}

static void le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Writes one chunk whose payload is a then b (b may be empty). */
static void chunk(Out *o, int type, uint32_t pid, const Buf *a, const Buf *b)
{
    uint8_t f[FRAME];
    size_t len = a->n + (b ? b->n : 0);
    memcpy(f, "GILT", 4);
    f[4] = 1;
    f[5] = (uint8_t)type;
    f[6] = f[7] = 0;
    le32(f + 8, (uint32_t)len);
    le32(f + 12, pid);
    for (int i = 0; i < 8; i++)
        f[16 + i] = (uint8_t)(o->run_id >> (8 * i));
    uLong c = crc32(0, a->p, (uInt)a->n);
    if (b && b->n)
        c = crc32(c, b->p, (uInt)b->n);
    le32(f + 24, (uint32_t)c);
    le32(f + 28, (uint32_t)crc32(0, f, 28));
    if (fwrite(f, 1, FRAME, o->fp) != FRAME || fwrite(a->p, 1, a->n, o->fp) != a->n ||
        (b && b->n && fwrite(b->p, 1, b->n, o->fp) != b->n))
        o->err = true;
    o->bytes += FRAME + len;
}

/* One simulated thread's encoder. */
typedef struct SThread {
    Buf ev;
    uint32_t n, seq;
    uint64_t base_ns, base_ticks, prev_ns, prev_ticks;
    uint64_t ticks;
    uint64_t block_until;       /* blocked in a call until then (0: not) */
    bool waiting;
    int failed;                 /* failed wake-ups since it began waiting */
} SThread;

typedef struct Sim {
    Out *o;
    uint32_t pid;
    uint64_t events;
    Buf hdr;
    uint64_t drop_chunks;       /* --drop-chunks: worker 1's event chunks 2 .. N+1 are not written */
    uint64_t lose;              /* --lose: worker 1 loses this many events after its 1000th... */
    uint64_t recorded1;         /* ...counting its recorded events */
    uint64_t lost;              /* events lost so far (the closing chunk's count) */
} Sim;

static void flush_thread(Sim *s, uint32_t tid, SThread *t)
{
    if (!t->n)
        return;
    s->hdr.n = 0;
    put_uv(&s->hdr, tid);
    put_uv(&s->hdr, t->seq++);
    put_uv(&s->hdr, t->n);
    put_uv(&s->hdr, t->base_ns);
    put_uv(&s->hdr, t->base_ticks);
    /* A chunk lost to damage: its sequence number is skipped. */
    if (!(tid == 1 && t->seq - 1 >= 2 && t->seq - 1 < 2 + s->drop_chunks))
        chunk(s->o, CH_EVENTS, s->pid, &s->hdr, &t->ev);
    t->ev.n = 0;
    t->n = 0;
}

static void emit_one(Sim *s, uint32_t tid, SThread *t, unsigned kind, uint32_t arg, uint64_t ns);

/* Records an event; with --lose, worker 1 records none of the events after
 * its 1000th until it has lost that many, then says so with EV_LOSS as the
 * tracer does when its buffer pool is empty. */
static void emit(Sim *s, uint32_t tid, SThread *t, unsigned kind, uint32_t arg, uint64_t ns)
{
    if (tid == 1 && s->lose && s->recorded1 >= 1000) {
        if (s->lost < s->lose && kind != EV_THREAD_START && kind != EV_THREAD_END) {
            s->lost++;
            s->events++;        /* counts against the budget all the same */
            return;
        }
        if (s->lost) {
            emit_one(s, tid, t, EV_LOSS, (uint32_t)s->lost, ns);
            s->lose = 0;
        }
    }
    if (tid == 1)
        s->recorded1++;
    emit_one(s, tid, t, kind, arg, ns);
}

static void emit_one(Sim *s, uint32_t tid, SThread *t, unsigned kind, uint32_t arg, uint64_t ns)
{
    if (t->n == 0) {
        t->base_ns = t->prev_ns = ns;
        t->base_ticks = t->prev_ticks = t->ticks;
    }
    if (ns < t->prev_ns)
        ns = t->prev_ns;
    buf_need(&t->ev, 32);
    uint8_t *p = t->ev.p + t->ev.n;
    bool dt = t->ticks != t->prev_ticks;
    unsigned code = arg < 7 ? arg : 7;
    *p++ = (uint8_t)(kind | code << 4 | (dt ? 0x80 : 0));
    uint64_t z = (ns - t->prev_ns) << 1;       /* never negative: zigzag of a positive */
    while (z >= 0x80) {
        *p++ = (uint8_t)(z | 0x80);
        z >>= 7;
    }
    *p++ = (uint8_t)z;
    if (dt) {
        int64_t d = (int64_t)(t->ticks - t->prev_ticks);
        uint64_t zz = ((uint64_t)d << 1) ^ (uint64_t)(d >> 63);
        while (zz >= 0x80) {
            *p++ = (uint8_t)(zz | 0x80);
            zz >>= 7;
        }
        *p++ = (uint8_t)zz;
    }
    if (code == 7) {
        uint64_t a = arg;
        while (a >= 0x80) {
            *p++ = (uint8_t)(a | 0x80);
            a >>= 7;
        }
        *p++ = (uint8_t)a;
    }
    t->ev.n = (size_t)(p - t->ev.p);
    t->prev_ns = ns;
    t->prev_ticks = t->ticks;
    s->events++;
    if (++t->n == TRACE_BUF_EVENTS)
        flush_thread(s, tid, t);
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static uint64_t rnd_range(uint64_t lo, uint64_t hi)
{
    return lo + rnd() % (hi - lo + 1);
}

/* Simulates one process: main thread + k workers, about `budget` events. */
static uint64_t sim_process(Out *o, uint32_t pid, uint32_t k, uint64_t budget, bool legacy, uint64_t t0,
                            uint64_t min_end, uint64_t *end_ns, uint64_t drop_chunks, uint64_t lose)
{
    Sim s = { .o = o, .pid = pid, .drop_chunks = drop_chunks, .lose = lose };
    uint32_t n = k + 1;
    SThread *th = calloc(n, sizeof *th);
    if (!th)
        exit(70);
    uint64_t t = t0;
    /* Main starts the workers and joins them. */
    emit(&s, 0, &th[0], EV_THREAD_START, 0xFFFFFFFFu, t);
    emit(&s, 0, &th[0], EV_GIL_ACQUIRE, 0, t);
    t += 40000;
    th[0].ticks += 800;
    for (uint32_t i = 1; i < n; i++) {
        t += 20000;
        emit(&s, i, &th[i], EV_THREAD_START, 0, t);
        if (i > 1 || n == 2) {
            emit(&s, i, &th[i], EV_GIL_REQUEST, 0, t);
            th[i].waiting = true;
        }
    }
    emit(&s, 0, &th[0], EV_GIL_RELEASE, REL_BLOCKING, t);
    emit(&s, 0, &th[0], EV_BLOCK_BEGIN, BLOCK_JOIN, t);
    uint32_t h = n > 1 ? 1 : 0;
    if (h) {
        t += 3000;
        th[h].waiting = false;
        emit(&s, h, &th[h], EV_GIL_ACQUIRE, 0, t);
    }
    while (h && s.events < budget) {
        /* The holder runs a slice. */
        uint64_t d = legacy ? rnd_range(3000, 7000) : rnd_range(500000, 5000000);
        t += d;
        th[h].ticks += d / 50;
        /* Blocked threads whose call returned want the GIL again. */
        for (uint32_t i = 1; i < n; i++) {
            if (th[i].block_until && th[i].block_until <= t) {
                emit(&s, i, &th[i], EV_BLOCK_END, 0, th[i].block_until);
                emit(&s, i, &th[i], EV_GIL_REQUEST, 0, th[i].block_until);
                th[i].block_until = 0;
                th[i].waiting = true;
                th[i].failed = 0;
            }
        }
        /* Pick a waiter (the OS's choice). */
        uint32_t w = 0, nw = 0;
        for (uint32_t i = 1; i < n; i++)
            if (th[i].waiting && rnd() % ++nw == 0)
                w = i;
        uint64_t r = rnd() % 100;
        if (r < (legacy ? 1u : 6u)) {
            /* The holder blocks in a call; a waiter (if any) takes over. */
            emit(&s, h, &th[h], EV_GIL_RELEASE, REL_BLOCKING, t);
            emit(&s, h, &th[h], EV_BLOCK_BEGIN, r < (legacy ? 1u : 3u) ? BLOCK_SOCKET : BLOCK_SLEEP, t);
            th[h].block_until = t + (legacy ? rnd_range(20000, 400000) : rnd_range(200000, 8000000));
            if (!w) {
                /* Nobody waits: the GIL is free until the call returns. */
                t = th[h].block_until;
                emit(&s, h, &th[h], EV_BLOCK_END, 0, t);
                th[h].block_until = 0;
                emit(&s, h, &th[h], EV_GIL_ACQUIRE, 0, t);
                continue;
            }
            t += 2000;
            th[w].waiting = false;
            emit(&s, w, &th[w], EV_GIL_ACQUIRE, 0, t);
            h = w;
            continue;
        }
        if (!w)
            continue;           /* alone: keeps running */
        if (legacy) {
            /* A check: release and (usually) take it straight back. */
            emit(&s, h, &th[h], EV_GIL_RELEASE, REL_CHECK_INTERVAL, t);
            if (rnd() % 100 < 85) {
                emit(&s, h, &th[h], EV_GIL_ACQUIRE, 0, t + 200);
                emit(&s, w, &th[w], EV_FAILED_WAKEUP, th[w].failed ? 1 : 0, t + 1500);
                th[w].failed++;
                t += 200;
            } else {
                t += 1500;
                th[w].waiting = false;
                th[w].failed = 0;
                emit(&s, w, &th[w], EV_GIL_ACQUIRE, 0, t);
                emit(&s, h, &th[h], EV_GIL_REQUEST, 0, t + 100);
                th[h].waiting = true;
                h = w;
            }
            continue;
        }
        /* newgil: a timed-out waiter asks, the holder drops, waits for the hand-off. */
        emit(&s, w, &th[w], EV_DROP_REQUEST, h, t - 1000);
        if (rnd() % 100 < 30)
            emit(&s, w, &th[w], EV_FAILED_WAKEUP, 0, t - 500);
        emit(&s, h, &th[h], EV_GIL_RELEASE, REL_FORCED, t);
        emit(&s, h, &th[h], EV_SWITCH_WAIT_BEGIN, 0, t);
        uint64_t ho = rnd_range(5000, 60000);
        t += ho;
        th[w].waiting = false;
        emit(&s, w, &th[w], EV_GIL_ACQUIRE, 0, t);
        emit(&s, h, &th[h], EV_SWITCH_WAIT_END, 0, t);
        emit(&s, h, &th[h], EV_GIL_REQUEST, 0, t);
        th[h].waiting = true;
        h = w;
    }
    /* The end: workers finish one by one, main wakes up. */
    if (t < min_end)
        t = min_end;
    for (uint32_t i = 1; i < n; i++) {
        if (th[i].block_until) {
            if (th[i].block_until > t)
                t = th[i].block_until;
            emit(&s, i, &th[i], EV_BLOCK_END, 0, t);
            th[i].block_until = 0;
        }
        t += 1000;
        emit(&s, i, &th[i], EV_GIL_ACQUIRE, 0, t);
        t += 10000;
        th[i].ticks += 200;
        emit(&s, i, &th[i], EV_GIL_RELEASE, REL_EXIT, t);
        emit(&s, i, &th[i], EV_THREAD_END, 0, t);
    }
    t += 2000;
    emit(&s, 0, &th[0], EV_BLOCK_END, 0, t);
    emit(&s, 0, &th[0], EV_GIL_ACQUIRE, 0, t);
    t += 20000;
    emit(&s, 0, &th[0], EV_GIL_RELEASE, REL_EXIT, t);
    emit(&s, 0, &th[0], EV_THREAD_END, 0, t);
    for (uint32_t i = 0; i < n; i++) {
        flush_thread(&s, i, &th[i]);
        free(th[i].ev.p);
    }
    /* Thread names and the closing chunk. */
    Buf meta = { 0 }, rec = { 0 };
    for (uint32_t i = 0; i < n; i++) {
        char name[32];
        if (i == 0)
            snprintf(name, sizeof name, "MainThread");
        else
            snprintf(name, sizeof name, "worker-%u", i);
        rec.n = 0;
        put_uv(&rec, i);
        put_uv(&rec, t0);
        put_bytes(&rec, name, strlen(name));
        put_uv(&meta, 1);
        put_uv(&meta, rec.n);
        put_bytes(&meta, rec.p, rec.n);
    }
    chunk(o, CH_META, pid, &meta, NULL);
    Buf cl = { 0 };
    tlv_uv(&cl, 1, 0);
    tlv_uv(&cl, 2, s.events - s.lost);
    tlv_uv(&cl, 3, s.lost);
    tlv_uv(&cl, 4, t);
    tlv_uv(&cl, 5, n);
    tlv_uv(&cl, 6, 0);
    chunk(o, CH_CLOSE, pid, &cl, NULL);
    free(meta.p);
    free(rec.p);
    free(cl.p);
    free(s.hdr.p);
    free(th);
    *end_ns = t;
    return s.events - s.lost;
}

static int synth_usage(const char *msg)
{
    fprintf(stderr, "gilscope synth: %s (usage: gilscope synth --events N --threads K [--processes P] "
                    "[--policy newgil|legacy|priority|fifo] [--seed S] [--drop-chunks C] [--lose L] -o F.gilt)\n", msg);
    return 64;
}

static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end;
    errno = 0;
    double d = strtod(s, &end);     /* accepts 1e8 */
    if (end == s || *end || errno || d < (double)lo || d > (double)hi)
        return false;
    *out = (uint64_t)d;
    return true;
}

int synth_main(int argc, char **argv)
{
    uint64_t events = 0, threads = 0, procs = 1, seed = 1, drop_chunks = 0, lose = 0;
    const char *policy = "newgil", *out = NULL;
    for (int i = 1; i < argc; i += 2) {    /* every option takes a value */
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            printf("usage: gilscope synth --events N --threads K [--processes P] [--policy P] [--seed S]\n"
                   "                      [--drop-chunks C] [--lose L] -o F.gilt\n"
                   "A synthetic trace: P processes (default 1) of a main thread and K CPU-bound\n"
                   "workers under GIL policy P (newgil, legacy, priority, fifo), about N events.\n"
                   "Missing data, for tests: --drop-chunks C leaves out worker 1's event chunks\n"
                   "2 to C+1 (as damage would); --lose L drops L of its events after its 1000th\n"
                   "and records an EV_LOSS for them (as a full buffer pool does).\n");
            return 0;
        }
        if (!v)
            return synth_usage(a[0] == '-' ? "an option needs a value" : "unexpected argument");
        if (strcmp(a, "--events") == 0 || strcmp(a, "-n") == 0) {
            if (!parse_u64(v, 1, 1e10, &events))
                return synth_usage("--events takes a number from 1 to 1e10");
        } else if (strcmp(a, "--threads") == 0) {
            if (!parse_u64(v, 1, 10000, &threads))
                return synth_usage("--threads takes a number from 1 to 10000");
        } else if (strcmp(a, "--processes") == 0) {
            if (!parse_u64(v, 1, 1000, &procs))
                return synth_usage("--processes takes a number from 1 to 1000");
        } else if (strcmp(a, "--drop-chunks") == 0) {
            if (!parse_u64(v, 0, 1e6, &drop_chunks))
                return synth_usage("--drop-chunks takes a number from 0 to 1e6");
        } else if (strcmp(a, "--lose") == 0) {
            if (!parse_u64(v, 0, UINT32_MAX, &lose))
                return synth_usage("--lose takes a number from 0 to 4294967295");
        } else if (strcmp(a, "--seed") == 0) {
            if (!parse_u64(v, 0, 1e18, &seed))
                return synth_usage("--seed takes a number");
        } else if (strcmp(a, "--policy") == 0) {
            if (strcmp(v, "newgil") && strcmp(v, "legacy") && strcmp(v, "priority") && strcmp(v, "fifo"))
                return synth_usage("--policy is newgil, legacy, priority or fifo");
            policy = v;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            out = v;
        } else {
            return synth_usage("unknown option");
        }
    }
    if (!events || !threads || !out)
        return synth_usage("--events, --threads and -o are required");
    FILE *fp = fopen(out, "wb");
    if (!fp) {
        fprintf(stderr, "gilscope synth: cannot write '%s': %s\n", out, strerror(errno));
        return 74;
    }
    static char iobuf[1 << 20];
    setvbuf(fp, iobuf, _IOFBF, sizeof iobuf);
    rng_state = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    Out o = { .fp = fp, .run_id = 0x5157a7e000000000ull ^ seed };
    uint32_t pid0 = 1000;
    uint64_t t0 = 1000000000ull;
    bool legacy = strcmp(policy, "legacy") == 0;
    Buf h = { 0 };
    tlv_str(&h, 1, "synthetic");
    tlv_str(&h, 2, "gilscope");
    tlv_str(&h, 2, "synth");
    tlv_str(&h, 3, procs > 1 ? "processes" : "threads");
    tlv_str(&h, 4, policy);
    tlv_uv(&h, 5, 5000000);
    tlv_uv(&h, 6, 100);
    tlv_uv(&h, 7, 0);
    tlv_uv(&h, 9, 8);
    tlv_str(&h, 12, "CLOCK_MONOTONIC");
    tlv_str(&h, 13, "synth");
    tlv_uv(&h, 16, t0);
    tlv_uv(&h, 17, pid0);
    tlv_str(&h, 18, "gilscope synth");
    tlv_uv(&h, 19, TRACE_BUF_EVENTS);
    chunk(&o, CH_HEADER, pid0, &h, NULL);
    free(h.p);
    uint64_t total = 0, end = t0;
    if (procs == 1) {
        total = sim_process(&o, pid0, (uint32_t)threads, events, legacy, t0, 0, &end, drop_chunks, lose);
    } else {
        /* The parent joins its children; each child runs `threads` workers. */
        uint64_t per = events / procs;
        for (uint64_t p = 0; p < procs; p++) {
            uint64_t e;
            total += sim_process(&o, pid0 + 1 + (uint32_t)p, (uint32_t)threads, per, legacy, t0 + 50000, 0, &e,
                                 p == 0 ? drop_chunks : 0, p == 0 ? lose : 0);
            if (e > end)
                end = e;
        }
        /* The parent's main thread: starts the processes, waits for them all. */
        uint64_t pe;
        total += sim_process(&o, pid0, 0, 1, legacy, t0, end, &pe, 0, 0);
        (void)pe;
    }
    if (fclose(fp) != 0 || o.err) {
        fprintf(stderr, "gilscope synth: writing '%s' failed: %s\n", out, strerror(errno));
        return 74;
    }
    fprintf(stderr, "gilscope synth: %s: %llu events, %llu bytes (%.1f B/event)\n", out, (unsigned long long)total,
            (unsigned long long)o.bytes, (double)o.bytes / (double)(total ? total : 1));
    return 0;
}
