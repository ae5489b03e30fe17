/*
 * trace.c -- the tracer: per-thread event buffers, a bounded pool of them,
 * and a writer thread that encodes full buffers as checksummed chunks of a
 * .gilt file (data/FORMAT.md).
 *
 * Threads record into their own TraceBuf with no lock (trace.h's inline
 * trace_record).  A full buffer is a TraceSlab pushed on the writer's queue
 * under tr->mu, and a free block is taken in the same critical section: one
 * lock operation per TRACE_BUF_EVENTS events.  The pool is bounded; when it is
 * empty the thread has no buffer and counts what it cannot record, and the
 * first event it records once a block is free is preceded by EV_LOSS.
 *
 * Every chunk is built in memory and written with one write() call, so
 * several processes appending to one file (O_APPEND, processes mode) never
 * interleave inside a chunk.
 */
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "object.h"     /* mem_alloc: the one allocation choke point */

/* ---- the on-disk vocabulary (data/FORMAT.md) -------------------------------- */

#define TRACE_MAGIC "GILT"
#define TRACE_VERSION 1
#define TRACE_FRAME_SIZE 32

enum { CHUNK_HEADER = 1, CHUNK_META = 2, CHUNK_EVENTS = 3, CHUNK_CLOSE = 4 };

enum {
    HDR_WORKLOAD = 1, HDR_ARG = 2, HDR_MODE = 3, HDR_POLICY = 4,
    HDR_SWITCH_INTERVAL_NS = 5, HDR_CHECK_INTERVAL = 6, HDR_CPUS = 7,
    HDR_CPU_MASK = 8, HDR_CPUS_ONLINE = 9, HDR_AFFINITY_COUNT = 10,
    HDR_AFFINITY_MASK = 11, HDR_CLOCK = 12, HDR_HOST = 13, HDR_KERNEL = 14,
    HDR_START_REALTIME_NS = 15, HDR_START_NS = 16, HDR_PID = 17,
    HDR_TRACER = 18, HDR_BUF_EVENTS = 19
};

enum { META_THREAD_NAME = 1, META_MARK_TEXT = 2, META_THREAD_CPU = 3 };

enum {
    CLOSE_STATUS = 1, CLOSE_EVENTS = 2, CLOSE_LOST = 3, CLOSE_END_NS = 4,
    CLOSE_THREADS = 5, CLOSE_UNFINISHED = 6, CLOSE_CPU_USER_NS = 7,
    CLOSE_CPU_SYS_NS = 8, CLOSE_BYTES = 9, CLOSE_WRITE_ERRNO = 10,
    CLOSE_INTERP_SWITCHES = 11, CLOSE_INTERP = 12
};

/* The pool never shrinks below this many blocks, and grows by a few per
 * registered thread: each thread holds one, the rest absorb the writer's
 * lag (64 blocks = 256 Ki events, about 6 MiB). */
#define TRACE_POOL_MIN 64
#define TRACE_POOL_PER_THREAD 3

/* Largest encoded event: head + two 10-byte varints + a 5-byte arg. */
#define TRACE_EVENT_MAX_BYTES 26

/* ---- growable byte buffer ------------------------------------------------------ */

typedef struct ByteBuf {
    uint8_t *p;
    size_t n, cap;
} ByteBuf;

static void bb_reserve(ByteBuf *b, size_t more)
{
    if (b->n + more <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + more)
        cap *= 2;
    b->p = mem_realloc(b->p, cap);
    b->cap = cap;
}

static void bb_put(ByteBuf *b, const void *src, size_t len)
{
    bb_reserve(b, len);
    if (len)
        memcpy(b->p + b->n, src, len);
    b->n += len;
}

static void bb_uv(ByteBuf *b, uint64_t v)
{
    bb_reserve(b, 10);
    while (v >= 0x80) {
        b->p[b->n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    b->p[b->n++] = (uint8_t)v;
}

static size_t uv_len(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static void le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A TLV field: tag, length, bytes. */
static void tlv_str(ByteBuf *b, unsigned tag, const char *s)
{
    if (!s)
        return;
    size_t len = strlen(s);
    bb_uv(b, tag);
    bb_uv(b, len);
    bb_put(b, s, len);
}

static void tlv_uv(ByteBuf *b, unsigned tag, uint64_t v)
{
    bb_uv(b, tag);
    bb_uv(b, uv_len(v));
    bb_uv(b, v);
}

/* ---- the tracer's state ---------------------------------------------------------- */

/* One pooled event buffer; a TraceBuf's ev points at its events. */
typedef struct TraceSlab {
    struct TraceSlab *next;
    uint32_t n, tid, seq;
    TraceEvent ev[TRACE_BUF_EVENTS];
} TraceSlab;

/* A registered thread: the public TraceBuf and what only trace.c sees. */
typedef struct TraceThread {
    TraceBuf pub;               /* first: a TraceBuf * is a TraceThread * */
    uint32_t seq;               /* blocks handed to the writer so far */
    struct TraceThread *next, *prev;    /* tr->live, under tr->mu */
} TraceThread;

struct Tracer {
    pthread_mutex_t mu;
    pthread_cond_t wake;        /* the writer: work queued, or stop */
    pthread_cond_t freed;       /* blocks returned to the pool */
    /* under mu */
    TraceSlab *q_head, *q_tail;/* full blocks, oldest first */
    TraceSlab *free_blocks;
    unsigned blocks_total;      /* allocated (in use + queued + free) */
    unsigned pool_limit;        /* test hook; 0 = the default bound */
    ByteBuf meta;               /* META records not yet written */
    ByteBuf meta_spare;         /* the writer's buffer, swapped with meta */
    bool sync;                  /* no writer thread: see writer_sync */
    bool draining;              /* sync: a thread is in writer_sync */
    TraceThread *live;
    unsigned nlive, nthreads;
    bool stopping;              /* the writer drains the queue and exits */
    bool closed;                /* trace_close ran; live threads only count losses */
    uint64_t events;            /* handed to the writer */
    uint64_t lost;              /* reported through EV_LOSS or at thread end */
    int write_errno;            /* first failed write, 0 if none */
    /* read without mu */
    _Atomic unsigned nfree;     /* hint for threads without a buffer */
    _Atomic uint64_t bytes;     /* written to the file */
    /* fixed after open */
    int fd;
    char *path;
    uint64_t run_id;
    uint32_t pid;
    bool foreign;               /* written for another process (TraceRunInfo.pid) */
    TraceProcessInfo pinfo;     /* foreign: what its CLOSE chunk says; pinfo.interp owned */
    pthread_t writer;
    /* the writer's own */
    ByteBuf enc;
};

uint64_t trace_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t trace_realtime_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* ---- chunks ------------------------------------------------------------------------ */

/* Writes all of buf, retrying short writes.  A chunk is one write() unless
 * the kernel writes less (disk full, a signal): the reader then resynchronises. */
static int write_all(int fd, const uint8_t *buf, size_t len)
{
    while (len) {
        ssize_t w = write(fd, buf, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

/* b holds TRACE_FRAME_SIZE reserved bytes then the payload: fills the frame
 * and writes the chunk.  0 or an errno. */
static int chunk_write(Tracer *tr, ByteBuf *b, unsigned type)
{
    uint8_t *f = b->p;
    size_t plen = b->n - TRACE_FRAME_SIZE;
    memcpy(f, TRACE_MAGIC, 4);
    f[4] = TRACE_VERSION;
    f[5] = (uint8_t)type;
    f[6] = f[7] = 0;
    le32(f + 8, (uint32_t)plen);
    le32(f + 12, tr->pid);
    le64(f + 16, tr->run_id);
    le32(f + 24, (uint32_t)crc32(0L, f + TRACE_FRAME_SIZE, (uInt)plen));
    le32(f + 28, (uint32_t)crc32(0L, f, 28));
    if (write_all(tr->fd, b->p, b->n) < 0)
        return errno ? errno : EIO;
    atomic_fetch_add_explicit(&tr->bytes, b->n, memory_order_relaxed);
    return 0;
}

static void chunk_begin(ByteBuf *b)
{
    b->n = 0;
    bb_reserve(b, TRACE_FRAME_SIZE);
    memset(b->p, 0, TRACE_FRAME_SIZE);
    b->n = TRACE_FRAME_SIZE;
}

static uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

/* The EVENTS payload: tid, seq, n, first ns, first ticks, then per event a
 * head byte (kind | arg code << 4 | ticks-changed << 7), the zigzag ns delta,
 * the zigzag ticks delta if it changed, and the arg if it did not fit. */
static void encode_block(ByteBuf *b, const TraceSlab *blk)
{
    bb_reserve(b, 50 + (size_t)blk->n * TRACE_EVENT_MAX_BYTES);
    bb_uv(b, blk->tid);
    bb_uv(b, blk->seq);
    bb_uv(b, blk->n);
    uint64_t pns = blk->n ? blk->ev[0].ns : 0;
    uint64_t pticks = blk->n ? blk->ev[0].ticks : 0;
    bb_uv(b, pns);
    bb_uv(b, pticks);
    uint8_t *p = b->p + b->n;
    for (uint32_t i = 0; i < blk->n; i++) {
        const TraceEvent *e = &blk->ev[i];
        unsigned argcode = e->arg < 7 ? e->arg : 7;
        bool dticks = e->ticks != pticks;
        *p++ = (uint8_t)((e->kind & 0x0f) | argcode << 4 | (unsigned)dticks << 7);
        uint64_t v = zigzag((int64_t)(e->ns - pns));
        while (v >= 0x80) { *p++ = (uint8_t)(v | 0x80); v >>= 7; }
        *p++ = (uint8_t)v;
        if (dticks) {
            v = zigzag((int64_t)(e->ticks - pticks));
            while (v >= 0x80) { *p++ = (uint8_t)(v | 0x80); v >>= 7; }
            *p++ = (uint8_t)v;
        }
        if (argcode == 7) {
            v = e->arg;
            while (v >= 0x80) { *p++ = (uint8_t)(v | 0x80); v >>= 7; }
            *p++ = (uint8_t)v;
        }
        pns = e->ns;
        pticks = e->ticks;
    }
    b->n = (size_t)(p - b->p);
}

/* ---- the pool (tr->mu held) --------------------------------------------------------- */

static unsigned pool_bound(const Tracer *tr)
{
    if (tr->pool_limit)
        return tr->pool_limit;
    unsigned want = TRACE_POOL_PER_THREAD * tr->nlive + 16;
    return want > TRACE_POOL_MIN ? want : TRACE_POOL_MIN;
}

static TraceSlab *pool_take(Tracer *tr)
{
    TraceSlab *blk = tr->free_blocks;
    if (blk) {
        tr->free_blocks = blk->next;
        atomic_fetch_sub_explicit(&tr->nfree, 1, memory_order_relaxed);
    } else if (!tr->closed && tr->blocks_total < pool_bound(tr)) {
        blk = mem_alloc(sizeof *blk);
        tr->blocks_total++;
    }
    if (blk) {
        blk->next = NULL;
        blk->n = 0;
    }
    return blk;
}

static void pool_give(Tracer *tr, TraceSlab *blk)
{
    blk->next = tr->free_blocks;
    tr->free_blocks = blk;
    atomic_fetch_add_explicit(&tr->nfree, 1, memory_order_relaxed);
}

static TraceSlab *block_of(TraceEvent *ev)
{
    return (TraceSlab *)((char *)ev - offsetof(TraceSlab, ev));
}

/* Gives the thread a new block, or none (ev NULL, n full so the inline path
 * always falls through to the slow path). */
static void buf_attach(TraceBuf *tb, TraceSlab *blk)
{
    if (blk) {
        tb->ev = blk->ev;
        tb->n = 0;
    } else {
        tb->ev = NULL;
        tb->n = TRACE_BUF_EVENTS;
    }
}

/* Queues the thread's current block for the writer (tr->mu held). */
static void buf_hand_off(Tracer *tr, TraceThread *tt)
{
    TraceBuf *tb = &tt->pub;
    if (!tb->ev)
        return;
    TraceSlab *blk = block_of(tb->ev);
    tb->ev = NULL;
    if (tb->n == 0 || tr->closed) {
        tr->lost += tr->closed ? tb->n : 0;
        pool_give(tr, blk);
        return;
    }
    blk->n = tb->n;
    blk->tid = tb->tid;
    blk->seq = tt->seq++;
    tr->events += blk->n;
    if (tr->q_tail)
        tr->q_tail->next = blk;
    else
        tr->q_head = blk;
    tr->q_tail = blk;
    pthread_cond_signal(&tr->wake);
}

/* ---- META records (tr->mu held) -------------------------------------------------------- */

static void meta_text(Tracer *tr, unsigned type, uint32_t id, const char *text)
{
    size_t len = text ? strlen(text) : 0;
    uint64_t ns = trace_now_ns();
    bb_uv(&tr->meta, type);
    bb_uv(&tr->meta, uv_len(id) + uv_len(ns) + len);
    bb_uv(&tr->meta, id);
    bb_uv(&tr->meta, ns);
    bb_put(&tr->meta, text, len);
    pthread_cond_signal(&tr->wake);
}

static void meta_cpu(Tracer *tr, uint32_t tid, uint64_t cpu_ns)
{
    uint64_t ns = trace_now_ns();
    bb_uv(&tr->meta, META_THREAD_CPU);
    bb_uv(&tr->meta, uv_len(tid) + uv_len(ns) + uv_len(cpu_ns));
    bb_uv(&tr->meta, tid);
    bb_uv(&tr->meta, ns);
    bb_uv(&tr->meta, cpu_ns);
    pthread_cond_signal(&tr->wake);
}

/* ---- the writer thread ------------------------------------------------------------------ */

static void writer_fail(Tracer *tr, int err)
{
    pthread_mutex_lock(&tr->mu);
    if (!tr->write_errno)
        tr->write_errno = err;
    pthread_mutex_unlock(&tr->mu);
}

/* One round of the writer's work (tr->mu held on entry and on return, released
 * meanwhile): the pending META records, then every queued block, in order. */
static void writer_round(Tracer *tr)
{
    TraceSlab *list = tr->q_head;
    tr->q_head = tr->q_tail = NULL;
    ByteBuf meta = tr->meta;
    tr->meta = tr->meta_spare;
    tr->meta.n = 0;
    bool failed = tr->write_errno != 0;
    pthread_mutex_unlock(&tr->mu);

    if (meta.n && !failed) {
        chunk_begin(&tr->enc);
        bb_put(&tr->enc, meta.p, meta.n);
        int err = chunk_write(tr, &tr->enc, CHUNK_META);
        if (err)
            writer_fail(tr, err);
    }
    uint64_t dropped = 0;
    for (TraceSlab *blk = list; blk; blk = blk->next) {
        if (failed) {
            dropped += blk->n;
            continue;
        }
        chunk_begin(&tr->enc);
        encode_block(&tr->enc, blk);
        int err = chunk_write(tr, &tr->enc, CHUNK_EVENTS);
        if (err) {
            writer_fail(tr, err);
            failed = true;
            dropped += blk->n;
        }
    }

    pthread_mutex_lock(&tr->mu);
    meta.n = 0;
    tr->meta_spare = meta;
    tr->lost += dropped;
    while (list) {
        TraceSlab *next = list->next;
        pool_give(tr, list);
        list = next;
    }
    pthread_cond_broadcast(&tr->freed);
}

static void *writer_main(void *arg)
{
    Tracer *tr = arg;
    pthread_mutex_lock(&tr->mu);
    for (;;) {
        while (!tr->q_head && !tr->meta.n && !tr->stopping)
            pthread_cond_wait(&tr->wake, &tr->mu);
        if (!tr->q_head && !tr->meta.n)
            break;
        writer_round(tr);
    }
    pthread_mutex_unlock(&tr->mu);
    return NULL;
}

/* Without a writer thread (a forked child): the thread that queued work
 * writes it (tr->mu held).  One drainer at a time keeps chunks in order. */
static void writer_sync(Tracer *tr)
{
    if (!tr->sync || tr->draining)
        return;
    tr->draining = true;
    while ((tr->q_head || tr->meta.n) && !tr->closed)
        writer_round(tr);
    tr->draining = false;
    pthread_cond_broadcast(&tr->freed);
}

/* Starts the writer with every signal blocked, so SIGINT and friends go to
 * the interpreter's threads. */
static int writer_start(Tracer *tr)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&tr->writer, NULL, writer_main, tr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

/* ---- opening and closing ------------------------------------------------------------------ */

static Tracer *tracer_new(const char *path, int fd, uint64_t run_id)
{
    Tracer *tr = mem_calloc(1, sizeof *tr);
    pthread_mutex_init(&tr->mu, NULL);
    pthread_cond_init(&tr->wake, NULL);
    pthread_cond_init(&tr->freed, NULL);
    tr->fd = fd;
    size_t len = strlen(path);
    tr->path = mem_alloc(len + 1);
    memcpy(tr->path, path, len + 1);
    tr->run_id = run_id;
    tr->pid = (uint32_t)getpid();
    return tr;
}

static void tracer_free(Tracer *tr)
{
    while (tr->free_blocks) {
        TraceSlab *next = tr->free_blocks->next;
        free(tr->free_blocks);
        tr->free_blocks = next;
    }
    pthread_mutex_destroy(&tr->mu);
    pthread_cond_destroy(&tr->wake);
    pthread_cond_destroy(&tr->freed);
    free(tr->meta.p);
    free(tr->meta_spare.p);
    free(tr->enc.p);
    free(tr->path);
    free((char *)tr->pinfo.interp);
    free(tr);
}

static void header_build(ByteBuf *b, const TraceRunInfo *info, uint64_t real_ns, uint64_t mono_ns,
                         uint32_t pid)
{
    const TraceRunInfo none = {0};
    if (!info)
        info = &none;
    tlv_str(b, HDR_WORKLOAD, info->workload);
    for (int i = 0; i < info->argc && info->argv; i++)
        tlv_str(b, HDR_ARG, info->argv[i] ? info->argv[i] : "");
    tlv_str(b, HDR_MODE, info->mode);
    tlv_str(b, HDR_POLICY, info->policy);
    if (info->switch_interval_s > 0)
        tlv_uv(b, HDR_SWITCH_INTERVAL_NS, (uint64_t)(info->switch_interval_s * 1e9 + 0.5));
    if (info->check_interval > 0)
        tlv_uv(b, HDR_CHECK_INTERVAL, (uint64_t)info->check_interval);
    tlv_uv(b, HDR_CPUS, info->cpus > 0 ? (uint64_t)info->cpus : 0);
    if (info->cpu_mask)
        tlv_uv(b, HDR_CPU_MASK, info->cpu_mask);
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    tlv_uv(b, HDR_CPUS_ONLINE, online > 0 ? (uint64_t)online : 0);
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        uint64_t mask = 0;
        for (int c = 0; c < 64; c++)
            if (CPU_ISSET(c, &set))
                mask |= 1ull << c;
        tlv_uv(b, HDR_AFFINITY_COUNT, (uint64_t)CPU_COUNT(&set));
        tlv_uv(b, HDR_AFFINITY_MASK, mask);
    }
    tlv_str(b, HDR_CLOCK, "CLOCK_MONOTONIC");
    char host[256];
    if (gethostname(host, sizeof host) == 0) {
        host[sizeof host - 1] = '\0';
        tlv_str(b, HDR_HOST, host);
    }
    struct utsname u;
    if (uname(&u) == 0) {
        char kernel[5 * sizeof u.sysname];
        snprintf(kernel, sizeof kernel, "%s %s %s %s", u.sysname, u.release, u.version, u.machine);
        tlv_str(b, HDR_KERNEL, kernel);
    }
    tlv_uv(b, HDR_START_REALTIME_NS, real_ns);
    tlv_uv(b, HDR_START_NS, mono_ns);
    tlv_uv(b, HDR_PID, pid);
    tlv_str(b, HDR_TRACER, "gilscope");
    tlv_uv(b, HDR_BUF_EVENTS, TRACE_BUF_EVENTS);
}

Tracer *trace_open(const char *path, const TraceRunInfo *info)
{
    /* O_APPEND: forked children append to the same file (trace_after_fork). */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return NULL;
    uint64_t real_ns = trace_realtime_ns();
    uint64_t mono_ns = trace_now_ns();
    uint64_t run_id = splitmix64(real_ns ^ ((uint64_t)getpid() << 40) ^ mono_ns);
    Tracer *tr = tracer_new(path, fd, run_id);
    if (info && info->pid) {
        tr->pid = info->pid;
        tr->foreign = true;
        tr->sync = true;
    }
    if (info && info->start_ns && info->start_realtime_ns) {
        mono_ns = info->start_ns;
        real_ns = info->start_realtime_ns;
    }
    ByteBuf *b = &tr->enc;
    chunk_begin(b);
    header_build(b, info, real_ns, mono_ns, tr->pid);
    int err = chunk_write(tr, b, CHUNK_HEADER);
    if (!err && !tr->sync)
        err = writer_start(tr);
    if (err) {
        close(fd);
        tracer_free(tr);
        errno = err;
        return NULL;
    }
    return tr;
}

Tracer *trace_after_fork(Tracer *parent)
{
    if (!parent)
        return NULL;
    /* The parent's mutex may have been held by its writer at fork(): only its
     * immutable fields are read. */
    int fd = fcntl(parent->fd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
        return NULL;
    Tracer *tr = tracer_new(parent->path, fd, parent->run_id);
    /* No writer thread: threads started in a forked child of a threaded
     * process are best avoided (ThreadSanitizer refuses them), and a child
     * usually runs one interpreter thread.  Its recording threads write
     * their own full buffers, one write() per TRACE_BUF_EVENTS events. */
    tr->sync = true;
    return tr;
}

Tracer *trace_open_process(Tracer *run, uint32_t pid)
{
    Tracer *tr = trace_after_fork(run);
    if (tr) {
        tr->pid = pid;
        tr->foreign = true;
    }
    return tr;
}

void trace_set_process_info(Tracer *tr, const TraceProcessInfo *pi)
{
    if (!tr || !pi)
        return;
    pthread_mutex_lock(&tr->mu);
    free((char *)tr->pinfo.interp);
    tr->pinfo = *pi;
    if (pi->interp) {
        size_t len = strlen(pi->interp);
        char *s = mem_alloc(len + 1);
        memcpy(s, pi->interp, len + 1);
        tr->pinfo.interp = s;
    }
    pthread_mutex_unlock(&tr->mu);
}

void trace_set_pool_limit(Tracer *tr, unsigned blocks)
{
    if (!tr)
        return;
    pthread_mutex_lock(&tr->mu);
    tr->pool_limit = blocks;
    pthread_mutex_unlock(&tr->mu);
}

static uint64_t tv_ns(struct timeval tv)
{
    return (uint64_t)tv.tv_sec * 1000000000u + (uint64_t)tv.tv_usec * 1000u;
}

int trace_close(Tracer *tr, bool interrupted)
{
    if (!tr)
        return 0;
    pthread_mutex_lock(&tr->mu);
    tr->stopping = true;
    pthread_cond_signal(&tr->wake);
    while (tr->draining)
        pthread_cond_wait(&tr->freed, &tr->mu);
    writer_sync(tr);
    pthread_mutex_unlock(&tr->mu);
    if (!tr->sync)
        pthread_join(tr->writer, NULL);

    /* The writer is gone: this thread owns the file now.  Threads still
     * registered keep their unflushed events; they are counted, not read
     * (their owners may still be writing them). */
    pthread_mutex_lock(&tr->mu);
    tr->closed = true;
    /* Blocks a live thread queued after the writer's last round. */
    while (tr->q_head) {
        TraceSlab *blk = tr->q_head;
        tr->q_head = blk->next;
        tr->lost += blk->n;
        pool_give(tr, blk);
    }
    tr->q_tail = NULL;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    getrusage(RUSAGE_SELF, &ru);
    ByteBuf *b = &tr->enc;
    chunk_begin(b);
    tlv_uv(b, CLOSE_STATUS, interrupted ? 1 : 0);
    tlv_uv(b, CLOSE_EVENTS, tr->events);
    tlv_uv(b, CLOSE_LOST, tr->lost);
    tlv_uv(b, CLOSE_END_NS, trace_now_ns());
    tlv_uv(b, CLOSE_THREADS, tr->nthreads);
    tlv_uv(b, CLOSE_UNFINISHED, tr->nlive);
    if (!tr->foreign) {
        tlv_uv(b, CLOSE_CPU_USER_NS, tv_ns(ru.ru_utime));
        tlv_uv(b, CLOSE_CPU_SYS_NS, tv_ns(ru.ru_stime));
    } else if (tr->pinfo.has_cpu) {
        tlv_uv(b, CLOSE_CPU_USER_NS, tr->pinfo.cpu_user_ns);
        tlv_uv(b, CLOSE_CPU_SYS_NS, tr->pinfo.cpu_sys_ns);
    }
    if (tr->foreign && tr->pinfo.has_interp_switches)
        tlv_uv(b, CLOSE_INTERP_SWITCHES, tr->pinfo.interp_switches);
    if (tr->foreign && tr->pinfo.interp)
        tlv_str(b, CLOSE_INTERP, tr->pinfo.interp);
    tlv_uv(b, CLOSE_BYTES, atomic_load_explicit(&tr->bytes, memory_order_relaxed));
    if (tr->write_errno)
        tlv_uv(b, CLOSE_WRITE_ERRNO, (uint64_t)tr->write_errno);
    int err = tr->write_errno;
    if (!err)
        err = chunk_write(tr, b, CHUNK_CLOSE);
    if (close(tr->fd) < 0 && !err)
        err = errno;
    tr->fd = -1;
    bool keep = tr->nlive > 0;
    pthread_mutex_unlock(&tr->mu);
    /* With threads still registered the Tracer stays allocated: the last of
     * them to call trace_thread_end frees it. */
    if (!keep)
        tracer_free(tr);
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}

/* ---- threads ---------------------------------------------------------------------------------- */

TraceBuf *trace_thread_begin(Tracer *tr, uint32_t tid, const char *name)
{
    if (!tr)
        return NULL;
    TraceThread *tt = mem_calloc(1, sizeof *tt);
    tt->pub.tid = tid;
    tt->pub.tracer = tr;
    pthread_mutex_lock(&tr->mu);
    tt->next = tr->live;
    if (tr->live)
        tr->live->prev = tt;
    tr->live = tt;
    tr->nlive++;
    tr->nthreads++;
    buf_attach(&tt->pub, pool_take(tr));
    if (!tr->closed)
        meta_text(tr, META_THREAD_NAME, tid, name ? name : "");
    pthread_mutex_unlock(&tr->mu);
    return &tt->pub;
}

void trace_thread_name(TraceBuf *tb, const char *name)
{
    if (!tb)
        return;
    Tracer *tr = tb->tracer;
    pthread_mutex_lock(&tr->mu);
    if (!tr->closed)
        meta_text(tr, META_THREAD_NAME, tb->tid, name ? name : "");
    pthread_mutex_unlock(&tr->mu);
}

void trace_mark_text(Tracer *tr, uint32_t id, const char *text)
{
    if (!tr)
        return;
    pthread_mutex_lock(&tr->mu);
    if (!tr->closed)
        meta_text(tr, META_MARK_TEXT, id, text);
    pthread_mutex_unlock(&tr->mu);
}

/* Appends EV_LOSS events for tb->lost into the current block, which has room
 * (a fresh block: n == 0). */
static void buf_put_loss(TraceBuf *tb, uint64_t ticks, uint64_t ns)
{
    while (tb->lost && tb->n < TRACE_BUF_EVENTS) {
        uint32_t k = tb->lost > UINT32_MAX ? UINT32_MAX : (uint32_t)tb->lost;
        TraceEvent *e = &tb->ev[tb->n++];
        e->ns = ns;
        e->ticks = ticks;
        e->arg = k;
        e->kind = EV_LOSS;
        tb->lost -= k;
    }
}

static void record_slow_at(TraceBuf *tb, TraceEventKind kind, uint32_t arg, uint64_t ticks, uint64_t at);

void trace_record_slow(TraceBuf *tb, TraceEventKind kind, uint32_t arg, uint64_t ticks)
{
    record_slow_at(tb, kind, arg, ticks, 0);
}

void trace_record_at(TraceBuf *tb, TraceEventKind kind, uint32_t arg, uint64_t ticks, uint64_t ns)
{
    if (!tb)
        return;
    if (tb->n < TRACE_BUF_EVENTS && tb->lost == 0) {
        TraceEvent *e = &tb->ev[tb->n++];
        e->ns = ns;
        e->ticks = ticks;
        e->arg = arg;
        e->kind = (uint8_t)kind;
        return;
    }
    record_slow_at(tb, kind, arg, ticks, ns);
}

/* at: the event's time, 0 = now. */
static void record_slow_at(TraceBuf *tb, TraceEventKind kind, uint32_t arg, uint64_t ticks, uint64_t at)
{
    TraceThread *tt = (TraceThread *)tb;
    Tracer *tr = tb->tracer;
    if (tb->ev && tb->n >= TRACE_BUF_EVENTS) {
        pthread_mutex_lock(&tr->mu);
        buf_hand_off(tr, tt);
        writer_sync(tr);
        buf_attach(tb, pool_take(tr));
        pthread_mutex_unlock(&tr->mu);
    } else if (!tb->ev && atomic_load_explicit(&tr->nfree, memory_order_relaxed) > 0) {
        pthread_mutex_lock(&tr->mu);
        buf_attach(tb, pool_take(tr));
        pthread_mutex_unlock(&tr->mu);
    }
    if (!tb->ev) {
        tb->lost++;
        return;
    }
    uint64_t now = at ? at : trace_now_ns();
    if (tb->lost) {
        uint64_t was = tb->lost;
        buf_put_loss(tb, ticks, now);
        pthread_mutex_lock(&tr->mu);
        tr->lost += was - tb->lost;
        pthread_mutex_unlock(&tr->mu);
        if (tb->n >= TRACE_BUF_EVENTS) {    /* > 4096 * 4 Gi losses: keep counting */
            tb->lost++;
            return;
        }
    }
    TraceEvent *e = &tb->ev[tb->n++];
    e->ns = now;
    e->ticks = ticks;
    e->arg = arg;
    e->kind = (uint8_t)kind;
}

void trace_thread_end(TraceBuf *tb)
{
    if (!tb)
        return;
    TraceThread *tt = (TraceThread *)tb;
    Tracer *tr = tb->tracer;
    uint64_t cpu_ns = 0;
    bool have_cpu = false;
    /* The caller is the thread itself (the contract), unless it never ran:
     * a thread registered by its parent whose start failed. */
    if (!tr->foreign && (tt->seq > 0 || tb->n > 0 || tb->lost > 0)) {
        struct timespec ts;
        if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0) {
            cpu_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
            have_cpu = true;
        }
    }
    pthread_mutex_lock(&tr->mu);
    /* Pending losses must reach the file as EV_LOSS: wait for a block (the
     * writer always returns them) unless the trace is closed. */
    if (tb->lost && !tb->ev) {
        TraceSlab *blk;
        while (!(blk = pool_take(tr)) && !tr->closed)
            pthread_cond_wait(&tr->freed, &tr->mu);
        buf_attach(tb, blk);
    } else if (tb->lost && tb->n >= TRACE_BUF_EVENTS) {
        buf_hand_off(tr, tt);
        writer_sync(tr);
        TraceSlab *blk;
        while (!(blk = pool_take(tr)) && !tr->closed)
            pthread_cond_wait(&tr->freed, &tr->mu);
        buf_attach(tb, blk);
    }
    if (tb->lost && tb->ev) {
        uint64_t was = tb->lost;
        uint64_t ticks = tb->n ? tb->ev[tb->n - 1].ticks : 0;
        buf_put_loss(tb, ticks, trace_now_ns());
        tr->lost += was - tb->lost;
    }
    tr->lost += tb->lost;       /* only when closed: no block to say it in */
    buf_hand_off(tr, tt);
    if (have_cpu && !tr->closed)
        meta_cpu(tr, tb->tid, cpu_ns);
    writer_sync(tr);
    if (tt->prev)
        tt->prev->next = tt->next;
    else
        tr->live = tt->next;
    if (tt->next)
        tt->next->prev = tt->prev;
    tr->nlive--;
    bool free_tracer = tr->closed && tr->nlive == 0;
    pthread_mutex_unlock(&tr->mu);
    free(tt);
    if (free_tracer)
        tracer_free(tr);
}

/* ---- statistics ---------------------------------------------------------------------------------- */

void trace_stats(Tracer *tr, TraceStats *out)
{
    memset(out, 0, sizeof *out);
    if (!tr)
        return;
    pthread_mutex_lock(&tr->mu);
    out->events = tr->events;
    out->lost = tr->lost;
    pthread_mutex_unlock(&tr->mu);
    out->bytes = atomic_load_explicit(&tr->bytes, memory_order_relaxed);
}

const char *trace_path(Tracer *tr)
{
    return tr ? tr->path : NULL;
}
