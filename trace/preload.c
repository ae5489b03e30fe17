/*
 * preload.c -- libgilscope-preload.so: records the GIL of an unmodified
 * CPython (3.7-3.13) from the pthread calls its take_gil/drop_gil make
 * (../shared/CPYTHON-TRACING.md, approach (a)).
 *
 *   create_gil   mutex_init(mutex), mutex_init(switch_mutex), cond_init(cond),
 *                cond_init(switch_cond): the layout identifies the GIL
 *   take_gil     cond_timedwait(cond, mutex) while busy      -> RAW_REQ (first wait),
 *                after it: timed out, still locked, no switch  -> RAW_DROP
 *                          signalled, still locked             -> RAW_WAKEFAIL
 *                cond_signal(switch_cond) once it holds it     -> RAW_ACQ
 *   drop_gil     cond_signal(cond)                             -> RAW_REL
 *                cond_wait(switch_cond) (forced switch)        -> RAW_HANDOFF_BEGIN/END
 *   destroy_gil  cond_destroy(cond)                            -> RAW_DESTROY
 *
 * pthread_mutex_lock is not interposed: with the request stamped at the
 * first timed wait, the uncontended path (a blocking call releases, then
 * re-acquires with nobody in between) records no request, and its release
 * and re-acquisition share one 4-byte word, stamped by two unordered TSC
 * reads.  Records go to per-thread chunks of a MAP_SHARED file
 * ($GILSCOPE_DIR/<pid>.raw, trace/raw.h), created at the first GIL event,
 * so wrapper processes (shells) leave none; one atomic add per chunk, no
 * lock and no system call per event.  Stamps are the TSC when it is
 * invariant and the kernel itself uses it as its clock source (x86-64),
 * else CLOCK_MONOTONIC.
 *
 * Layout used (struct _gil_runtime_state, identical 3.7-3.13 on x86-64,
 * relative to `cond`): interval -32, last_holder -24, locked -16,
 * switch_number -8, cond 0, mutex +C, switch_cond +C+M, switch_mutex
 * +2C+M, with C and M the sizes of pthread_cond_t and pthread_mutex_t.
 */
#include "raw.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <cpuid.h>
#include <x86intrin.h>
#endif

#define EXPORT __attribute__((visibility("default")))
#define TLS __thread __attribute__((tls_model("initial-exec")))

enum {
    OFF_MUTEX = sizeof(pthread_cond_t),
    OFF_SWITCH_COND = sizeof(pthread_cond_t) + sizeof(pthread_mutex_t),
    OFF_SWITCH_MUTEX = 2 * sizeof(pthread_cond_t) + sizeof(pthread_mutex_t),
    OFF_INTERVAL = -32, OFF_LOCKED = -16, OFF_SWITCH_NUMBER = -8
};

/* ---- the real functions --------------------------------------------------- */

typedef int (*MutexInitFn)(pthread_mutex_t *, const pthread_mutexattr_t *);
typedef int (*CondInitFn)(pthread_cond_t *, const pthread_condattr_t *);
typedef int (*CondFn)(pthread_cond_t *);
typedef int (*CondWaitFn)(pthread_cond_t *, pthread_mutex_t *);
typedef int (*CondTimedWaitFn)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
typedef int (*CondClockWaitFn)(pthread_cond_t *, pthread_mutex_t *, clockid_t, const struct timespec *);
typedef int (*SetNameFn)(pthread_t, const char *);
typedef void (*ExitFn)(int);
typedef int (*SetEnvFn)(const char *, const char *, int);
typedef int (*PutEnvFn)(char *);

static MutexInitFn real_mutex_init;
static CondInitFn real_cond_init;
static CondFn real_cond_signal, real_cond_destroy;
static CondWaitFn real_cond_wait;
static CondTimedWaitFn real_cond_timedwait;
static CondClockWaitFn real_cond_clockwait;
static SetNameFn real_setname;
static ExitFn real__exit;
static SetEnvFn real_setenv;
static PutEnvFn real_putenv;

/* glibc exports pthread_cond_* twice (GLIBC_2.2.5 compat, GLIBC_2.3.2):
 * CPython links against the new ones. */
static void *real_sym(const char *name, const char *version)
{
    void *p = version ? dlvsym(RTLD_NEXT, name, version) : NULL;
    return p ? p : dlsym(RTLD_NEXT, name);
}

static void resolve(void)
{
    real_mutex_init = (MutexInitFn)real_sym("pthread_mutex_init", NULL);
    real_cond_init = (CondInitFn)real_sym("pthread_cond_init", "GLIBC_2.3.2");
    real_cond_signal = (CondFn)real_sym("pthread_cond_signal", "GLIBC_2.3.2");
    real_cond_destroy = (CondFn)real_sym("pthread_cond_destroy", "GLIBC_2.3.2");
    real_cond_wait = (CondWaitFn)real_sym("pthread_cond_wait", "GLIBC_2.3.2");
    real_cond_timedwait = (CondTimedWaitFn)real_sym("pthread_cond_timedwait", "GLIBC_2.3.2");
    real_cond_clockwait = (CondClockWaitFn)real_sym("pthread_cond_clockwait", NULL);
    real_setname = (SetNameFn)real_sym("pthread_setname_np", NULL);
    real__exit = (ExitFn)real_sym("_exit", NULL);
    real_setenv = (SetEnvFn)real_sym("setenv", NULL);
    real_putenv = (PutEnvFn)real_sym("putenv", NULL);
}

#define REAL(fn) (__builtin_expect(real_##fn != NULL, 1) ? real_##fn : (resolve(), real_##fn))

/* ---- process state -------------------------------------------------------- */

static bool enabled;                    /* GILSCOPE_DIR is set */
static bool use_tsc;
static char *gils[RAW_MAX_GILS];        /* registered GILs, by the address of their cond */
static _Atomic unsigned ngils;
static RawHeader *hdr;                  /* the mapped file, NULL until the first event */
static uint32_t *chunks;
static uint64_t base;
static pthread_mutex_t open_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t exit_key;
static bool finished;
static bool snapped[RAW_MAX_GILS];      /* switch_first read (by the GIL's holder) */

typedef struct ThreadRec {
    uint32_t *cur, *end;        /* the free part of its chunk */
    uint64_t last;              /* the clock at its chunk's last event */
    uint32_t *rel_word;         /* its last RAW_REL's word, if one word */
    uint32_t tid;
    uint8_t held;               /* 1 + index of the GIL it holds, 0 none */
    uint8_t waiting;            /* 1 + index of the GIL it has sent RAW_REQ for */
    uint8_t released;           /* 1 + index of the GIL it released last */
    unsigned long rel_switch;   /* that GIL's switch_number at the release */
    bool full;                  /* the file is full: count, do not record */
    bool keyed;                 /* exit_key set: RAW_EXIT when the thread ends */
} ThreadRec;

static TLS ThreadRec me;
static TLS char *hist_mutex[4];         /* this thread's last mutex inits */
static TLS char *last_cond;             /* ... and last cond init */
static TLS unsigned hist_next;

static uint64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* An ordered read: rdtscp waits for every earlier instruction, so a stamp
 * taken after acquiring the GIL's mutex is later than the previous holder's
 * release stamp (taken before it unlocked).  Every record but the two of
 * the uncontended path uses it. */
static inline uint64_t stamp(void)
{
#if defined(__x86_64__)
    if (__builtin_expect(use_tsc, 1)) {
        unsigned aux;
        return __rdtscp(&aux);
    }
#endif
    return clock_ns(CLOCK_MONOTONIC);
}

/* An unordered read (rdtsc: about half rdtscp's cost here), for the release
 * and for an acquisition that follows this thread's own release with no
 * holder in between.  rdtsc may execute early, never after a later
 * instruction retires: a release stamp still precedes the unlock that lets
 * the next holder in, and an early acquisition stamp only matters when
 * another thread held the GIL meanwhile -- which gil_acquired checks before
 * it keeps one. */
static inline uint64_t stamp_fast(void)
{
#if defined(__x86_64__)
    if (__builtin_expect(use_tsc, 1))
        return __rdtsc();
#endif
    return clock_ns(CLOCK_MONOTONIC);
}

/* The TSC counts time exactly when it is invariant (CPUID: it ticks at one
 * rate in every P/C-state) and the kernel itself keeps CLOCK_MONOTONIC on it
 * (it does so only while it finds the TSCs of all CPUs in step). */
static bool tsc_usable(void)
{
#if defined(__x86_64__)
    const char *force = getenv("GILSCOPE_CLOCK");
    if (force && strcmp(force, "monotonic") == 0)
        return false;
    unsigned a, b, c, d;
    if (!__get_cpuid(0x80000001, &a, &b, &c, &d) || !(d & (1u << 27)))   /* rdtscp */
        return false;
    if (!__get_cpuid(0x80000007, &a, &b, &c, &d) || !(d & (1u << 8)))    /* invariant TSC */
        return false;
    int fd = open("/sys/devices/system/clocksource/clocksource0/current_clocksource", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char buf[16] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    return n >= 3 && strncmp(buf, "tsc", 3) == 0 && (buf[3] == '\n' || buf[3] == '\0');
#else
    return false;
#endif
}

/* ---- the file ------------------------------------------------------------- */

static void exit_key_dtor(void *arg);

/* Creates and maps $GILSCOPE_DIR/<pid>.raw (open_mu held). */
static void file_open(void)
{
    const char *dir = getenv("GILSCOPE_DIR");
    if (!dir || !*dir)
        return;
    uint64_t mb = 256;
    const char *m = getenv("GILSCOPE_BUF_MB");
    if (m && atoll(m) > 0)
        mb = (uint64_t)atoll(m);
    uint64_t nchunks = mb * 1024 * 1024 / RAW_CHUNK_BYTES;
    if (nchunks < 2)
        nchunks = 2;
    size_t size = RAW_HEADER_BYTES + nchunks * RAW_CHUNK_BYTES;
    char path[4096];
    int fd = -1;
    for (int k = 0; k < 100 && fd < 0; k++) {
        if (k == 0)
            snprintf(path, sizeof path, "%s/%d.raw", dir, (int)getpid());
        else
            snprintf(path, sizeof path, "%s/%d-%d.raw", dir, (int)getpid(), k);
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            return;
    }
    if (fd < 0)
        return;
    if (ftruncate(fd, (off_t)size) != 0) {
        close(fd);
        return;
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return;
    RawHeader *h = p;
    memcpy(h->magic, RAW_MAGIC, sizeof h->magic);
    h->header_bytes = RAW_HEADER_BYTES;
    h->chunk_words = RAW_CHUNK_WORDS;
    h->max_chunks = nchunks;
    h->pid = (uint32_t)getpid();
    h->ppid = (uint32_t)getppid();
    h->clock = use_tsc ? RAW_CLOCK_TSC : RAW_CLOCK_MONO;
    h->base_real_ns = clock_ns(CLOCK_REALTIME);
    h->base_mono_ns = clock_ns(CLOCK_MONOTONIC);
    base = stamp();
    h->base = base;
    fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, h->cmdline, sizeof h->cmdline - 1);
        h->cmdline_len = n > 0 ? (uint32_t)n : 0;
        close(fd);
    }
    chunks = (uint32_t *)((char *)p + RAW_HEADER_BYTES);
    atomic_store_explicit((_Atomic(RawHeader *) *)&hdr, h, memory_order_release);
}

/* Gives the calling thread a fresh chunk; false when there is none. */
static bool chunk_take(void)
{
    RawHeader *h = atomic_load_explicit((_Atomic(RawHeader *) *)&hdr, memory_order_acquire);
    if (!h) {
        pthread_mutex_lock(&open_mu);
        if (!hdr && !finished)
            file_open();
        pthread_mutex_unlock(&open_mu);
        h = hdr;
        if (!h) {
            me.full = true;
            return false;
        }
    }
    if (!me.tid)
        me.tid = (uint32_t)syscall(SYS_gettid);
    if (!me.keyed) {
        me.keyed = true;
        pthread_setspecific(exit_key, (void *)1);
    }
    uint64_t i = atomic_fetch_add_explicit((_Atomic uint64_t *)&h->next_chunk, 1, memory_order_relaxed);
    if (i >= h->max_chunks) {
        me.full = true;
        return false;
    }
    uint32_t *c = chunks + (size_t)i * RAW_CHUNK_WORDS;
#ifdef MADV_POPULATE_WRITE
    /* The chunk's 16 pages in one system call rather than a fault each (a
     * fault costs microseconds in a VM; here about a fifth less). */
    madvise(c, RAW_CHUNK_BYTES, MADV_POPULATE_WRITE);
#endif
    c[1] = me.tid;
    c[0] = RAW_CHUNK_MAGIC;
    me.cur = c + 2;
    me.end = c + RAW_CHUNK_WORDS;
    return true;
}

/* A time pair (the stamp in full) and the event: at a chunk's start, after
 * a gap too long for a delta, or when the chunk is full. */
static void record_slow(unsigned kind, unsigned gil, uint64_t t)
{
    if (me.end - me.cur < 3 && (me.full || !chunk_take())) {
        if (hdr)
            atomic_fetch_add_explicit((_Atomic uint64_t *)&hdr->lost, 1, memory_order_relaxed);
        return;
    }
    if (t < base)
        t = base;       /* the file (and base) was created just now */
    uint64_t rel = t - base;
    me.cur[0] = (uint32_t)RAW_TIME << 28 | (uint32_t)(rel >> 32 & 0x0FFFFFFF);
    me.cur[1] = (uint32_t)rel;
    me.cur[2] = (uint32_t)kind << 28 | (uint32_t)gil << RAW_DELTA_BITS;
    me.cur += 3;
    me.last = t;
}

/* One word: the kind, the GIL, the time since the chunk's previous event. */
static inline void record_at(unsigned kind, unsigned gil, uint64_t t)
{
    uint64_t d = t - me.last;
    if (__builtin_expect(d < RAW_DELTA_LIMIT && me.cur != me.end, 1)) {
        *me.cur++ = (uint32_t)kind << 28 | (uint32_t)gil << RAW_DELTA_BITS | (uint32_t)d;
        me.last = t;
        return;
    }
    record_slow(kind, gil, t);
}

static inline void record(unsigned kind, unsigned gil)
{
    record_at(kind, gil, stamp());
}

static void exit_key_dtor(void *arg)
{
    (void)arg;
    if (!finished && me.cur)
        record(RAW_EXIT, 0);
}

/* ---- GILs ------------------------------------------------------------------ */

static unsigned long gil_switch_number(const char *cond)
{
    return *(volatile const unsigned long *)(cond + OFF_SWITCH_NUMBER);
}

/* Reads what the self-check needs from GIL i (the GIL is alive). */
static void gil_snapshot(unsigned i, bool first)
{
    RawHeader *h = hdr;
    if (!h || i >= RAW_MAX_GILS)
        return;
    const char *c = gils[i];
    if (first) {
        h->switch_first[i] = gil_switch_number(c);
        h->switch_known[i] |= 1;
    } else {
        h->switch_last[i] = gil_switch_number(c);
        h->interval_us[i] = *(volatile const unsigned long *)(c + OFF_INTERVAL);
        h->switch_known[i] |= 2;
    }
}

static int gil_find(const void *cond)
{
    unsigned n = atomic_load_explicit(&ngils, memory_order_acquire);
    for (unsigned i = 0; i < n; i++)
        if (gils[i] == cond)
            return (int)i;
    return -1;
}

static void gil_register(char *cond)
{
    if (gil_find(cond) >= 0)
        return;     /* re-created in place (after fork, or a new Py_Initialize) */
    pthread_mutex_lock(&open_mu);
    unsigned n = atomic_load_explicit(&ngils, memory_order_relaxed);
    if (n < RAW_MAX_GILS && gil_find(cond) < 0) {
        gils[n] = cond;
        atomic_store_explicit(&ngils, n + 1, memory_order_release);
    }
    pthread_mutex_unlock(&open_mu);
}

/* ---- the interposed functions ---------------------------------------------- */

EXPORT int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
    hist_mutex[hist_next++ & 3] = (char *)m;
    return REAL(mutex_init)(m, attr);
}

static bool mutex_seen(const char *m)
{
    for (int i = 0; i < 4; i++)
        if (hist_mutex[i] == m)
            return true;
    return false;
}

EXPORT int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
    char *p = (char *)c;
    char *prev = last_cond;
    last_cond = p;
    if (enabled && prev && p == prev + OFF_SWITCH_COND && mutex_seen(prev + OFF_MUTEX) &&
        mutex_seen(prev + OFF_SWITCH_MUTEX))
        gil_register(prev);
    return REAL(cond_init)(c, attr);
}

/* take_gil signals switch_cond: locked = 1, last_holder and switch_number
 * set, under the GIL's mutex. */
static inline void gil_acquired(unsigned i)
{
    uint64_t t = stamp_fast();
    unsigned long sw = gil_switch_number(gils[i]);
    /* switch_number moves whenever a different thread state takes the GIL:
     * unchanged since this thread's release, nobody held it in between, the
     * unordered stamp is good and the release's word may become a pair;
     * else stamp again, ordered. */
    if (__builtin_expect(me.released == i + 1 && sw == me.rel_switch, 1)) {
        uint64_t d = t - me.last;
        uint32_t *w = me.rel_word;
        if (w && w + 1 == me.cur && d < RAW_PAIR_ACQ_LIMIT &&
            (*w & (RAW_DELTA_LIMIT - 1)) < RAW_PAIR_REL_LIMIT) {
            *w = (uint32_t)RAW_PAIR << 28 | (uint32_t)i << RAW_DELTA_BITS |
                 (*w & (RAW_DELTA_LIMIT - 1)) << RAW_PAIR_ACQ_BITS | (uint32_t)d;
            me.last = t;
        } else {
            record_at(RAW_ACQ, i, t);
        }
    } else {
        record_at(RAW_ACQ, i, stamp());
    }
    me.rel_word = NULL;
    if (__builtin_expect(!snapped[i], 0) && hdr) {
        gil_snapshot(i, true);
        snapped[i] = true;
    }
    me.held = (uint8_t)(i + 1);
    me.waiting = 0;
}

/* drop_gil signals cond: locked = 0, under the GIL's mutex. */
static inline void gil_released(unsigned i)
{
    uint64_t t = stamp_fast();
    me.rel_switch = gil_switch_number(gils[i]);
    me.released = (uint8_t)(i + 1);
    uint32_t *before = me.cur;
    record_at(RAW_REL, i, t);
    me.rel_word = me.cur != before ? me.cur - 1 : NULL;    /* the event is the last word */
    me.held = 0;
}

/* The common cases of gil_acquired and gil_released without a single call,
 * so that pthread_cond_signal saves no register: an uncontended
 * re-acquisition (one pair word, or one word) and a release (one word),
 * TSC stamps, the chunk not full.  false: nothing recorded, take the
 * general way. */
static inline bool gil_acquired_fast(unsigned i)
{
#if defined(__x86_64__)
    if (__builtin_expect(!use_tsc, 0))
        return false;
    uint64_t t = __rdtsc();
    if (__builtin_expect(me.released != i + 1 || gil_switch_number(gils[i]) != me.rel_switch || !snapped[i], 0))
        return false;
    uint64_t d = t - me.last;
    uint32_t *w = me.rel_word;
    if (__builtin_expect(w && w + 1 == me.cur && d < RAW_PAIR_ACQ_LIMIT &&
                         (*w & (RAW_DELTA_LIMIT - 1)) < RAW_PAIR_REL_LIMIT, 1))
        *w = (uint32_t)RAW_PAIR << 28 | (uint32_t)i << RAW_DELTA_BITS |
             (*w & (RAW_DELTA_LIMIT - 1)) << RAW_PAIR_ACQ_BITS | (uint32_t)d;
    else if (d < RAW_DELTA_LIMIT && me.cur != me.end)
        *me.cur++ = (uint32_t)RAW_ACQ << 28 | (uint32_t)i << RAW_DELTA_BITS | (uint32_t)d;
    else
        return false;
    me.last = t;
    me.rel_word = NULL;
    me.held = (uint8_t)(i + 1);
    me.waiting = 0;
    return true;
#else
    (void)i;
    return false;
#endif
}

static inline bool gil_released_fast(unsigned i)
{
#if defined(__x86_64__)
    if (__builtin_expect(!use_tsc, 0))
        return false;
    uint64_t t = __rdtsc();
    uint64_t d = t - me.last;
    if (__builtin_expect(d >= RAW_DELTA_LIMIT || me.cur == me.end, 0))
        return false;
    me.rel_switch = gil_switch_number(gils[i]);
    me.released = (uint8_t)(i + 1);
    me.rel_word = me.cur;
    *me.cur++ = (uint32_t)RAW_REL << 28 | (uint32_t)i << RAW_DELTA_BITS | (uint32_t)d;
    me.last = t;
    me.held = 0;
    return true;
#else
    (void)i;
    return false;
#endif
}

static __attribute__((noinline)) int cond_signal_slow(pthread_cond_t *c, unsigned i, bool acquired)
{
    if (acquired)
        gil_acquired(i);
    else
        gil_released(i);
    return REAL(cond_signal)(c);
}

static __attribute__((noinline)) int cond_signal_unresolved(pthread_cond_t *c)
{
    resolve();
    return real_cond_signal(c);
}

EXPORT int pthread_cond_signal(pthread_cond_t *c)
{
    unsigned n = atomic_load_explicit(&ngils, memory_order_relaxed);
    for (unsigned i = 0; i < n; i++) {
        char *g = gils[i];
        if ((char *)c == g + OFF_SWITCH_COND) {
            if (!gil_acquired_fast(i))
                return cond_signal_slow(c, i, true);
            break;
        }
        if ((char *)c == g) {
            if (me.held == i + 1 && !gil_released_fast(i))
                return cond_signal_slow(c, i, false);
            break;
        }
    }
    CondFn real = real_cond_signal;
    if (__builtin_expect(!real, 0))
        return cond_signal_unresolved(c);
    return real(c);
}

/* take_gil's wait on cond: a request at the first one, then its outcome. */
static void gil_wait_begin(unsigned i, unsigned long *saved)
{
    if (me.waiting != i + 1) {
        record(RAW_REQ, i);
        me.waiting = (uint8_t)(i + 1);
    }
    *saved = gil_switch_number(gils[i]);
}

static void gil_wait_end(unsigned i, int rc, unsigned long saved)
{
    const char *g = gils[i];
    int locked = *(volatile const int *)(g + OFF_LOCKED);
    if (rc == ETIMEDOUT && locked && gil_switch_number(g) == saved)
        record(RAW_DROP, i);
    else if (rc == 0 && locked)
        record(RAW_WAKEFAIL, i);
}

/* The wait of an unregistered cond next to its mutex, as take_gil's: the
 * GIL, when its creation was missed (only while no GIL is known). */
static int gil_lazy(pthread_cond_t *c, pthread_mutex_t *m)
{
    if (enabled && atomic_load_explicit(&ngils, memory_order_relaxed) == 0 &&
        (char *)m == (char *)c + OFF_MUTEX) {
        int locked = *(volatile const int *)((char *)c + OFF_LOCKED);
        if (locked == 1)
            gil_register((char *)c);
    }
    return gil_find(c);
}

EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *t)
{
    int i = gil_find(c);
    if (i < 0)
        i = gil_lazy(c, m);
    if (i < 0)
        return REAL(cond_timedwait)(c, m, t);
    unsigned long saved;
    gil_wait_begin((unsigned)i, &saved);
    int rc = REAL(cond_timedwait)(c, m, t);
    gil_wait_end((unsigned)i, rc, saved);
    return rc;
}

EXPORT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clk, const struct timespec *t)
{
    int i = gil_find(c);
    if (i < 0)
        i = gil_lazy(c, m);
    if (i < 0)
        return REAL(cond_clockwait)(c, m, clk, t);
    unsigned long saved;
    gil_wait_begin((unsigned)i, &saved);
    int rc = REAL(cond_clockwait)(c, m, clk, t);
    gil_wait_end((unsigned)i, rc, saved);
    return rc;
}

EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    unsigned n = atomic_load_explicit(&ngils, memory_order_relaxed);
    for (unsigned i = 0; i < n; i++) {
        if ((char *)c == gils[i] + OFF_SWITCH_COND) {
            record(RAW_HANDOFF_BEGIN, i);
            int rc = REAL(cond_wait)(c, m);
            record(RAW_HANDOFF_END, i);
            return rc;
        }
    }
    return REAL(cond_wait)(c, m);
}

EXPORT int pthread_cond_destroy(pthread_cond_t *c)
{
    int i = gil_find(c);
    if (i >= 0 && hdr) {
        gil_snapshot((unsigned)i, false);
        record(RAW_DESTROY, (unsigned)i);
        me.held = 0;
    }
    return REAL(cond_destroy)(c);
}

EXPORT int pthread_setname_np(pthread_t t, const char *name)
{
    int rc = REAL(setname)(t, name);
    RawHeader *h = hdr;
    if (rc == 0 && h && pthread_equal(t, pthread_self())) {
        if (!me.tid)
            me.tid = (uint32_t)syscall(SYS_gettid);
        uint32_t k = atomic_fetch_add_explicit((_Atomic uint32_t *)&h->nnames, 1, memory_order_relaxed);
        if (k < RAW_MAX_NAMES) {
            strncpy(h->names[k].name, name, sizeof h->names[k].name - 1);
            h->names[k].tid = me.tid;
        }
    }
    return rc;
}

/* ---- thread names ------------------------------------------------------------ */

/* CPython before 3.14 names no OS thread.  `gilscope trace`'s sitecustomize
 * (trace/site.h) calls os.putenv(RAW_NAME_KEY, Thread.name) in each thread
 * as it starts (and ends, if renamed): posix.putenv calls setenv (3.9+) or
 * putenv (3.7, 3.8) without releasing the GIL, and nothing else.  The name
 * goes into the calling thread's chunk; the variable is not set. */

static void name_record(const char *name, size_t len)
{
    if (len > RAW_NAME_MAX) {
        len = RAW_NAME_MAX;
        while (len > 0 && ((unsigned char)name[len] & 0xC0) == 0x80)
            len--;      /* not inside a UTF-8 sequence */
    }
    unsigned words = 1 + (unsigned)(len + 3) / 4;
    if (!enabled || finished || atomic_load_explicit(&ngils, memory_order_relaxed) == 0)
        return;
    if (me.end - me.cur < words) {
        if (me.full || !chunk_take())
            return;
        /* A new chunk starts with a time pair, the deltas' origin. */
        uint64_t t = stamp();
        if (t < base)
            t = base;
        me.cur[0] = (uint32_t)RAW_TIME << 28 | (uint32_t)((t - base) >> 32 & 0x0FFFFFFF);
        me.cur[1] = (uint32_t)(t - base);
        me.cur += 2;
        me.last = t;
    }
    uint32_t *w = me.cur;
    memset(w + 1, 0, (words - 1) * 4);
    memcpy(w + 1, name, len);
    /* The header last: a process killed before it leaves a zero word, the
     * chunk's end. */
    atomic_signal_fence(memory_order_release);
    w[0] = (uint32_t)RAW_NAME << 28 | (uint32_t)len;
    me.cur += words;
}

EXPORT int setenv(const char *key, const char *value, int overwrite)
{
    if (enabled && key && strcmp(key, RAW_NAME_KEY) == 0) {
        name_record(value, strlen(value));
        return 0;
    }
    return REAL(setenv)(key, value, overwrite);
}

EXPORT int putenv(char *kv)
{
    static const char key[] = RAW_NAME_KEY "=";
    if (enabled && strncmp(kv, key, sizeof key - 1) == 0) {
        name_record(kv + sizeof key - 1, strlen(kv + sizeof key - 1));
        return 0;
    }
    return REAL(putenv)(kv);
}

/* ---- start, fork, exit -------------------------------------------------------- */

/* A CPython that never showed a GIL leaves $GILSCOPE_DIR/<pid>.nogil with
 * its version, so that `gilscope trace` can say why nothing was recorded. */
static void note_no_gil(void)
{
    const char *(*version)(void) = (const char *(*)(void))dlsym(RTLD_DEFAULT, "Py_GetVersion");
    const char *dir = getenv("GILSCOPE_DIR");
    if (!version || !dir)
        return;
    const char *v = version();
    char path[4096];
    snprintf(path, sizeof path, "%s/%d.nogil", dir, (int)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    if (v && write(fd, v, strlen(v)) < 0)
        v = NULL;
    close(fd);
}

static void finish(void)
{
    pthread_mutex_lock(&open_mu);
    RawHeader *h = hdr;
    if (h && !finished) {
        unsigned n = atomic_load_explicit(&ngils, memory_order_acquire);
        for (unsigned i = 0; i < n; i++)
            if (!(h->switch_known[i] & 2))
                gil_snapshot(i, false);
        h->exit_stamp = stamp();
        struct rusage ru;
        if (getrusage(RUSAGE_SELF, &ru) == 0) {
            h->cpu_user_ns = (uint64_t)ru.ru_utime.tv_sec * 1000000000u + (uint64_t)ru.ru_utime.tv_usec * 1000u;
            h->cpu_sys_ns = (uint64_t)ru.ru_stime.tv_sec * 1000000000u + (uint64_t)ru.ru_stime.tv_usec * 1000u;
        }
        const char *(*version)(void) = (const char *(*)(void))dlsym(RTLD_DEFAULT, "Py_GetVersion");
        if (version) {
            const char *v = version();
            if (v)
                strncpy(h->version, v, sizeof h->version - 1);
        }
        h->ngils = n;
        atomic_store_explicit((_Atomic uint32_t *)&h->exited, 1, memory_order_release);
    } else if (!h && !finished && enabled) {
        note_no_gil();
    }
    finished = true;
    pthread_mutex_unlock(&open_mu);
}

/* os._exit() and multiprocessing's children end here, not in exit(). */
EXPORT void _exit(int status)
{
    finish();
    REAL(_exit)(status);
    __builtin_unreachable();
}

/* In the child of fork(): the parent's file is not ours; the child opens its
 * own at its first event (CPython re-creates the GIL in place). */
static void after_fork_child(void)
{
    RawHeader *h = hdr;
    hdr = NULL;
    if (h)
        munmap(h, RAW_HEADER_BYTES + h->max_chunks * RAW_CHUNK_BYTES);
    chunks = NULL;
    memset(&me, 0, sizeof me);
    memset(snapped, 0, sizeof snapped);
    pthread_mutex_init(&open_mu, NULL);
    finished = false;
}

__attribute__((constructor)) static void preload_init(void)
{
    resolve();
    const char *dir = getenv("GILSCOPE_DIR");
    enabled = dir && *dir;
    if (!enabled)
        return;
    use_tsc = tsc_usable();
    pthread_key_create(&exit_key, exit_key_dtor);
    pthread_atfork(NULL, NULL, after_fork_child);
}

__attribute__((destructor)) static void preload_fini(void)
{
    if (enabled)
        finish();
}
