/*
 * cpytrace.c -- `gilscope trace [-o T.gilt] [-q] -- PROGRAM ARGS...`: runs an
 * unmodified CPython with libgilscope-preload.so (trace/preload.c) and
 * converts what it recorded into one .gilt with the toy runtime's newgil
 * vocabulary, so that stats, export and view read it unchanged.
 *
 * The launcher makes a private run directory (in /dev/shm when it can),
 * starts PROGRAM with the library prepended to LD_PRELOAD and GILSCOPE_DIR
 * set, forwards SIGINT/SIGTERM sent to gilscope itself, and waits.  Every
 * traced process left <pid>.raw there (trace/raw.h); each becomes one
 * process of the run (a subinterpreter's own GIL: a process of its own, pid
 * + k * 2^22), one lane per thread, the main thread first, named after the
 * Python thread when trace/sitecustomize.py (written into the run directory
 * and put first on PYTHONPATH) sent its name.
 *
 * Mapping (../shared/CPYTHON-TRACING.md, section 5.4):
 *   RAW_REQ -> GIL_REQUEST, RAW_ACQ -> GIL_ACQUIRE, RAW_DROP -> DROP_REQUEST
 *   (arg: the holder's lane), RAW_WAKEFAIL -> FAILED_WAKEUP (0 first, 1
 *   retry), RAW_HANDOFF_* -> SWITCH_WAIT_*, RAW_EXIT -> THREAD_END;
 *   RAW_REL -> GIL_RELEASE, reason forced when a drop request was pending
 *   or a hand-off wait follows, exit when it is the thread's last, else
 *   blocking; a holder at the GIL's destruction or the process's end
 *   releases with reason exit there.
 */
#include "cpytrace.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include "bench/stats.h"
#include "interp/trace.h"
#include "trace/raw.h"

#define PRELOAD_NAME "libgilscope-preload.so"
#define SITE_DIR "site"     /* in the run directory: sitecustomize.py, first on PYTHONPATH */

/* trace/sitecustomize.py, embedded (.incbin takes the path relative to the
 * compiler's working directory: the Makefile compiles from the top). */
__asm__(".section .rodata\n"
        ".global cpytrace_site_py\n"
        ".type cpytrace_site_py, @object\n"
        ".balign 16\n"
        "cpytrace_site_py:\n"
        ".incbin \"trace/sitecustomize.py\"\n"
        ".byte 0\n"
        ".previous\n");
extern const char cpytrace_site_py[];
#define NO_PARENT 0xFFFFFFFFu

enum { EX_USAGE = 64, EX_SOFTWARE = 70, EX_IOERR = 74 };

static void trace_usage(FILE *out)
{
    fputs("usage: gilscope trace [-o T.gilt] [-q] -- PROGRAM [ARGS...]\n"
          "\n"
          "Runs PROGRAM (a real, unmodified CPython 3.7-3.13, or anything that starts\n"
          "one) with " PRELOAD_NAME " preloaded, records every GIL request,\n"
          "acquire, release, drop request, failed wake-up and forced hand-off of every\n"
          "Python process it starts, and writes them as one trace.  Exits with\n"
          "PROGRAM's status.  A private sitecustomize.py first on PYTHONPATH names\n"
          "the lanes after the Python threads (it then imports PROGRAM's own).\n"
          "\n"
          "options:\n"
          "  -o, --output T.gilt   the trace (default: the script's name with .gilt,\n"
          "                        in the current directory)\n"
          "  -q, --quiet           no summary on stderr at the end\n"
          "  -h, --help            show this help\n"
          "\n"
          "environment: GILSCOPE_PRELOAD (the library's path; default: next to the\n"
          "gilscope executable), GILSCOPE_BUF_MB (record space per process, 256).\n",
          out);
}

/* ---- clocks ----------------------------------------------------------------- */

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A (TSC, CLOCK_MONOTONIC) pair taken now: with the one in a raw header it
 * gives the TSC's rate over the whole run. */
static void tsc_pair(uint64_t *tsc, uint64_t *ns)
{
#if defined(__x86_64__)
    unsigned aux;
    uint64_t a = __rdtscp(&aux);
    uint64_t m = mono_ns();
    uint64_t b = __rdtscp(&aux);
    *tsc = a + (b - a) / 2;
    *ns = m;
#else
    *tsc = 0;
    *ns = mono_ns();
#endif
}

/* ---- reading raw files ----------------------------------------------------- */

typedef struct RawEv {
    uint64_t ns;
    uint8_t kind, gil;
} RawEv;

typedef struct RawLane {
    uint32_t tid;
    char name[RAW_NAME_MAX + 1];    /* its last RAW_NAME, "" none */
    RawEv *ev;
    size_t n, cap;
} RawLane;

typedef struct RawProc {
    char path[PATH_MAX];
    const RawHeader *h;
    size_t map_len;
    RawLane *lanes;
    size_t nlanes;
    uint64_t end_ns;        /* exit, or the last event */
    double ns_per_tick;     /* clock RAW_CLOCK_TSC */
} RawProc;

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "gilscope trace: out of memory (%zu bytes)\n", n);
        abort();
    }
    return q;
}

static uint64_t raw_ns(const RawProc *p, uint64_t rel)
{
    if (p->h->clock == RAW_CLOCK_TSC)
        return p->h->base_mono_ns + (uint64_t)((double)rel * p->ns_per_tick);
    return p->h->base + rel;
}

static RawLane *lane_of(RawProc *p, uint32_t tid)
{
    for (size_t i = 0; i < p->nlanes; i++)
        if (p->lanes[i].tid == tid)
            return &p->lanes[i];
    p->lanes = xrealloc(p->lanes, (p->nlanes + 1) * sizeof *p->lanes);
    RawLane *l = &p->lanes[p->nlanes++];
    memset(l, 0, sizeof *l);
    l->tid = tid;
    return l;
}

/* Maps and decodes one <pid>.raw; false (with a note on stderr) if unusable. */
static bool raw_load(RawProc *p, uint64_t now_tsc, uint64_t now_ns)
{
    int fd = open(p->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    if (fstat(fd, &st) != 0 || (size_t)st.st_size < RAW_HEADER_BYTES) {
        close(fd);
        return false;
    }
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return false;
    const RawHeader *h = m;
    p->h = h;
    p->map_len = (size_t)st.st_size;
    if (memcmp(h->magic, RAW_MAGIC, sizeof h->magic) != 0 || h->header_bytes != RAW_HEADER_BYTES ||
        h->chunk_words != RAW_CHUNK_WORDS ||
        RAW_HEADER_BYTES + h->max_chunks * RAW_CHUNK_BYTES > (uint64_t)st.st_size) {
        fprintf(stderr, "gilscope trace: %s: not a record of this version of the library, skipped\n", p->path);
        return false;
    }
    if (h->clock == RAW_CLOCK_TSC) {
        double dt = (double)(now_tsc - h->base);
        p->ns_per_tick = dt > 0 ? (double)(now_ns - h->base_mono_ns) / dt : 0;
    }
    const uint32_t *chunks = (const uint32_t *)((const char *)m + RAW_HEADER_BYTES);
    uint64_t used = h->next_chunk < h->max_chunks ? h->next_chunk : h->max_chunks;
    uint64_t last = h->base_mono_ns;
    for (uint64_t c = 0; c < used; c++) {
        const uint32_t *r = chunks + c * RAW_CHUNK_WORDS;
        if (r[0] != RAW_CHUNK_MAGIC)
            continue;       /* claimed, never written */
        RawLane *l = lane_of(p, r[1]);
        uint64_t rel = 0;   /* the stamp of the chunk's last event */
        bool timed = false;
        for (uint32_t i = 2; i < RAW_CHUNK_WORDS && r[i]; i++) {
            uint32_t w = r[i];
            if (w >> 28 == RAW_NAME) {
                uint32_t len = w & 0xFF, words = (len + 3) / 4;
                if (i + words >= RAW_CHUNK_WORDS)
                    break;
                memcpy(l->name, &r[i + 1], len);
                l->name[len] = '\0';
                i += words;
                continue;
            }
            if (w >> 28 == RAW_TIME) {
                if (i + 1 >= RAW_CHUNK_WORDS)
                    break;
                rel = (uint64_t)(w & 0x0FFFFFFF) << 32 | r[i + 1];
                timed = true;
                i++;
                continue;
            }
            if (!timed)
                break;      /* not this version's chunk */
            uint8_t kind = (uint8_t)(w >> 28), gil = (uint8_t)((w >> RAW_DELTA_BITS) & 7);
            uint32_t d = w & (RAW_DELTA_LIMIT - 1);
            if (l->n + 2 > l->cap) {
                l->cap = l->cap ? l->cap * 2 : 1024;
                l->ev = xrealloc(l->ev, l->cap * sizeof *l->ev);
            }
            if (kind == RAW_PAIR) {
                rel += d >> RAW_PAIR_ACQ_BITS;
                l->ev[l->n++] = (RawEv){.ns = raw_ns(p, rel), .kind = RAW_REL, .gil = gil};
                rel += d & (RAW_PAIR_ACQ_LIMIT - 1);
                kind = RAW_ACQ;
            } else {
                rel += d;
            }
            RawEv *e = &l->ev[l->n++];
            *e = (RawEv){.ns = raw_ns(p, rel), .kind = kind, .gil = gil};
            if (e->ns > last)
                last = e->ns;
        }
    }
    p->end_ns = last;
    if (h->exited) {
        uint64_t x = raw_ns(p, h->exit_stamp > h->base ? h->exit_stamp - h->base : 0);
        if (x > p->end_ns)
            p->end_ns = x;
    }
    return true;
}

static void raw_free(RawProc *p)
{
    for (size_t i = 0; i < p->nlanes; i++)
        free(p->lanes[i].ev);
    free(p->lanes);
    if (p->h)
        munmap((void *)p->h, p->map_len);
}

/* ---- conversion ------------------------------------------------------------ */

typedef struct OutLane {
    const RawLane *raw;
    size_t *idx;            /* the lane's events of this GIL, as indices into raw->ev */
    size_t n, next;
    uint32_t id;            /* its lane id in the .gilt: 0 the main thread */
    TraceBuf *tb;
    bool started, ended, holding;
    uint32_t retries;
    uint64_t last_ns;
} OutLane;

typedef struct ConvTotals {
    uint64_t events, switches, interp_switches, processes, lost;
    bool interp_known;
} ConvTotals;

static void lane_emit(OutLane *l, TraceEventKind kind, uint32_t arg, uint64_t ns)
{
    if (ns < l->last_ns)
        ns = l->last_ns;
    if (!l->started && kind != EV_THREAD_START) {
        l->started = true;
        trace_record_at(l->tb, EV_THREAD_START, NO_PARENT, 0, ns);
    }
    l->started = true;
    l->last_ns = ns;
    trace_record_at(l->tb, kind, arg, 0, ns);
}

/* The Python name the thread sent (trace/sitecustomize.py); else
 * MainThread for the process's first thread; else pthread_setname_np's
 * (CPython 3.14+); else T<tid>. */
static const char *thread_name(const RawProc *p, const RawLane *l, char *buf, size_t size)
{
    uint32_t tid = l->tid;
    if (l->name[0])
        return l->name;
    if (tid == p->h->pid)
        return "MainThread";
    uint32_t n = p->h->nnames < RAW_MAX_NAMES ? p->h->nnames : RAW_MAX_NAMES;
    for (uint32_t i = n; i-- > 0;)
        if (p->h->names[i].tid == tid && p->h->names[i].name[0]) {
            snprintf(buf, size, "%.27s", p->h->names[i].name);
            return buf;
        }
    snprintf(buf, size, "T%u", tid);
    return buf;
}

static int lane_cmp_start(const void *a, const void *b)
{
    const OutLane *x = a, *y = b;
    uint64_t tx = x->n ? x->raw->ev[x->idx[0]].ns : UINT64_MAX;
    uint64_t ty = y->n ? y->raw->ev[y->idx[0]].ns : UINT64_MAX;
    return tx < ty ? -1 : tx > ty;
}

/* The next event of the lane that is not an exit of another GIL's group. */
static const RawEv *lane_peek(const OutLane *l, size_t k)
{
    return l->next + k < l->n ? &l->raw->ev[l->idx[l->next + k]] : NULL;
}

/* Writes GIL `gil` of process p through tracer tp (one process of the run). */
static void convert_gil(RawProc *p, unsigned gil, Tracer *tp, ConvTotals *tot)
{
    OutLane *lanes = calloc(p->nlanes ? p->nlanes : 1, sizeof *lanes);
    size_t n = 0;
    for (size_t i = 0; i < p->nlanes; i++) {
        const RawLane *rl = &p->lanes[i];
        OutLane *l = &lanes[n];
        l->raw = rl;
        l->idx = xrealloc(NULL, (rl->n ? rl->n : 1) * sizeof *l->idx);
        for (size_t k = 0; k < rl->n; k++)
            if (rl->ev[k].gil == gil || rl->ev[k].kind == RAW_EXIT)
                l->idx[l->n++] = k;
        bool any = false;
        for (size_t k = 0; k < l->n; k++)
            any |= rl->ev[l->idx[k]].kind != RAW_EXIT;
        if (any)
            n++;
        else
            free(l->idx);
    }
    /* Main thread first, then by first event. */
    qsort(lanes, n, sizeof *lanes, lane_cmp_start);
    for (size_t i = 0; i < n; i++) {
        if (lanes[i].raw->tid == p->h->pid && i > 0) {
            OutLane m = lanes[i];
            memmove(lanes + 1, lanes, i * sizeof *lanes);
            lanes[0] = m;
        }
    }
    char nbuf[40];
    for (size_t i = 0; i < n; i++) {
        lanes[i].id = (uint32_t)i;
        lanes[i].tb = trace_thread_begin(tp, (uint32_t)i, thread_name(p, lanes[i].raw, nbuf, sizeof nbuf));
    }

    long holder = -1;
    bool drop_pending = false;
    for (;;) {
        /* The lane whose next event is earliest. */
        long pick = -1;
        uint64_t best = UINT64_MAX;
        for (size_t i = 0; i < n; i++) {
            const RawEv *e = lane_peek(&lanes[i], 0);
            if (e && e->ns < best) {
                best = e->ns;
                pick = (long)i;
            }
        }
        if (pick < 0)
            break;
        OutLane *l = &lanes[pick];
        const RawEv *e = lane_peek(l, 0);
        l->next++;
        tot->events++;
        switch (e->kind) {
        case RAW_REQ:
            l->retries = 0;
            lane_emit(l, EV_GIL_REQUEST, 0, e->ns);
            break;
        case RAW_WAKEFAIL:
            lane_emit(l, EV_FAILED_WAKEUP, l->retries++ ? 1 : 0, e->ns);
            break;
        case RAW_DROP:
            drop_pending = true;
            lane_emit(l, EV_DROP_REQUEST, holder >= 0 ? lanes[holder].id : NO_PARENT, e->ns);
            break;
        case RAW_ACQ:
            if (holder >= 0 && holder != pick && lanes[holder].holding) {
                /* a release the record missed: end that hold here */
                lane_emit(&lanes[holder], EV_GIL_RELEASE, REL_BLOCKING, e->ns);
                lanes[holder].holding = false;
            }
            if (l->holding)
                break;
            lane_emit(l, EV_GIL_ACQUIRE, 0, e->ns);
            l->holding = true;
            holder = pick;
            drop_pending = false;
            break;
        case RAW_REL: {
            if (!l->holding)
                break;
            const RawEv *nx = lane_peek(l, 0);
            uint32_t reason = REL_BLOCKING;
            if (drop_pending || (nx && nx->kind == RAW_HANDOFF_BEGIN))
                reason = REL_FORCED;
            else if (!nx || nx->kind == RAW_EXIT)
                reason = REL_EXIT;
            lane_emit(l, EV_GIL_RELEASE, reason, e->ns);
            l->holding = false;
            holder = -1;
            break;
        }
        case RAW_HANDOFF_BEGIN:
            lane_emit(l, EV_SWITCH_WAIT_BEGIN, 0, e->ns);
            break;
        case RAW_HANDOFF_END:
            lane_emit(l, EV_SWITCH_WAIT_END, 0, e->ns);
            break;
        case RAW_EXIT:
            if (l->holding) {
                lane_emit(l, EV_GIL_RELEASE, REL_EXIT, e->ns);
                l->holding = false;
                holder = -1;
            }
            if (!l->ended)
                lane_emit(l, EV_THREAD_END, 0, e->ns);
            l->ended = true;
            break;
        case RAW_DESTROY:
            if (holder >= 0 && lanes[holder].holding) {
                lane_emit(&lanes[holder], EV_GIL_RELEASE, REL_EXIT, e->ns);
                lanes[holder].holding = false;
            }
            holder = -1;
            break;
        default:
            break;
        }
    }
    /* The process's end: say what was lost, close holds and lives. */
    uint64_t lost = p->h->lost;
    if (lost && n) {
        lane_emit(&lanes[0], EV_LOSS, lost > UINT32_MAX ? UINT32_MAX : (uint32_t)lost, p->end_ns);
        tot->lost += lost;
    }
    for (size_t i = 0; i < n; i++) {
        OutLane *l = &lanes[i];
        if (l->holding)
            lane_emit(l, EV_GIL_RELEASE, REL_EXIT, p->end_ns);
        if (!l->ended)
            lane_emit(l, EV_THREAD_END, 0, p->end_ns);
        trace_thread_end(l->tb);
        free(l->idx);
    }
    free(lanes);
}

/* Counts switches as data/FORMAT.md 9.1 does: acquisitions after another
 * lane's, the first not counted. */
static uint64_t count_switches(const RawProc *p, unsigned gil)
{
    /* Merge the lanes' ACQ events by time. */
    size_t total = 0;
    for (size_t i = 0; i < p->nlanes; i++)
        for (size_t k = 0; k < p->lanes[i].n; k++)
            total += p->lanes[i].ev[k].kind == RAW_ACQ && p->lanes[i].ev[k].gil == gil;
    size_t *pos = calloc(p->nlanes ? p->nlanes : 1, sizeof *pos);
    uint64_t sw = 0;
    long last = -1;
    for (size_t done = 0; done < total; done++) {
        long pick = -1;
        uint64_t best = UINT64_MAX;
        for (size_t i = 0; i < p->nlanes; i++) {
            const RawLane *l = &p->lanes[i];
            while (pos[i] < l->n && !(l->ev[pos[i]].kind == RAW_ACQ && l->ev[pos[i]].gil == gil))
                pos[i]++;
            if (pos[i] < l->n && l->ev[pos[i]].ns < best) {
                best = l->ev[pos[i]].ns;
                pick = (long)i;
            }
        }
        if (pick < 0)
            break;
        pos[pick]++;
        if (last >= 0 && last != pick)
            sw++;
        last = pick;
    }
    free(pos);
    return sw;
}

/* ---- the launcher ---------------------------------------------------------------- */

static volatile sig_atomic_t child_pid;

/* Forwards a signal sent to gilscope itself; a terminal's Ctrl-C already
 * reached the whole process group, the child included. */
static void on_signal(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (child_pid > 0 && (si->si_code == SI_USER || si->si_code == SI_QUEUE))
        kill((pid_t)child_pid, sig);
}

/* The library: $GILSCOPE_PRELOAD, else next to this executable. */
static char *find_preload(void)
{
    const char *env = getenv("GILSCOPE_PRELOAD");
    if (env && *env)
        return access(env, R_OK) == 0 ? realpath(env, NULL) : NULL;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return NULL;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", exe, PRELOAD_NAME);
    return access(path, R_OK) == 0 ? strdup(path) : NULL;
}

static char *make_run_dir(void)
{
    char tmpl[PATH_MAX];
    snprintf(tmpl, sizeof tmpl, "/dev/shm/gilscope-trace-XXXXXX");
    if (access("/dev/shm", W_OK) == 0 && mkdtemp(tmpl))
        return strdup(tmpl);
    const char *tmp = getenv("TMPDIR");
    snprintf(tmpl, sizeof tmpl, "%s/gilscope-trace-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(tmpl) ? strdup(tmpl) : NULL;
}

/* Removes dir and what is in it (the site directory and its __pycache__
 * are the only subdirectories). */
static void remove_run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        char path[PATH_MAX];
        while ((de = readdir(d)))
            if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
                snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
                struct stat st;
                if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
                    remove_run_dir(path);
                else
                    unlink(path);
            }
        closedir(d);
    }
    rmdir(dir);
}

/* dir/site/sitecustomize.py: names the lanes after the Python threads. */
static bool write_site(const char *dir)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/" SITE_DIR, dir);
    if (mkdir(path, 0700) != 0)
        return false;
    snprintf(path, sizeof path, "%s/" SITE_DIR "/sitecustomize.py", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    size_t len = strlen(cpytrace_site_py);
    bool ok = fwrite(cpytrace_site_py, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

/* The script of `python3 [opts] x.py`, or the module of `-m mod`; else the
 * program itself. */
static const char *script_of(int argc, char **argv, bool *is_module)
{
    *is_module = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-m") == 0 && i + 1 < argc) {
            *is_module = true;
            return argv[i + 1];
        }
        if (strcmp(a, "-c") == 0)
            break;
        if (strcmp(a, "-W") == 0 || strcmp(a, "-X") == 0 || strcmp(a, "--check-hash-based-pycs") == 0) {
            i++;
            continue;
        }
        if (a[0] == '-')
            continue;
        return a;
    }
    return argv[0];
}

static char *default_output(const char *script)
{
    const char *base = strrchr(script, '/');
    base = base ? base + 1 : script;
    size_t len = strlen(base);
    if (len > 3 && strcmp(base + len - 3, ".py") == 0)
        len -= 3;
    char *out = malloc(len + 6);
    if (!out)
        return NULL;
    memcpy(out, base, len);
    memcpy(out + len, ".gilt", 6);
    return out;
}

static int proc_cmp(const void *a, const void *b)
{
    const RawProc *x = a, *y = b;
    return x->h->base_mono_ns < y->h->base_mono_ns ? -1 : x->h->base_mono_ns > y->h->base_mono_ns;
}

/* Why nothing was recorded, in one line. */
static void say_no_gil(const char *dir, const char *program)
{
    char version[200] = "";
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len > 6 && strcmp(de->d_name + len - 6, ".nogil") == 0) {
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            FILE *f = fopen(path, "r");
            if (f) {
                size_t got = fread(version, 1, sizeof version - 1, f);
                version[got] = '\0';
                fclose(f);
            }
            char *nl = strpbrk(version, "\n (");
            if (nl)
                *nl = '\0';
            break;
        }
    }
    if (d)
        closedir(d);
    if (!version[0])
        fprintf(stderr, "gilscope trace: no GIL found: no CPython process of '%s' ran with the library "
                        "(not Python, a statically linked libc, a setuid program, or LD_PRELOAD was dropped)\n",
                program);
    else if (strstr(version, "free-threading") || strchr(version, 't') == version + strlen(version) - 1)
        fprintf(stderr, "gilscope trace: no GIL found: CPython %s is a free-threaded build (it has no GIL to trace)\n",
                version);
    else if (version[0] < '3' || (version[0] == '3' && version[1] == '.' && atoi(version + 2) < 7))
        fprintf(stderr, "gilscope trace: no GIL found: CPython %s is not supported (3.7 or later: older "
                        "interpreters keep the GIL in separate variables, not the struct the library recognises)\n",
                version);
    else
        fprintf(stderr, "gilscope trace: no GIL found in CPython %s (its GIL was never created, or is not "
                        "the pthread mutex/condition layout the library recognises)\n",
                version);
}

/* Converts every <pid>.raw of dir into out; returns the number of processes
 * written (0: nothing recorded), -1 on a write error (said on stderr). */
static int convert(const char *dir, const char *out, pid_t child, int argc, char **argv, const char *workload,
                   ConvTotals *tot, char *version, size_t vsize)
{
    uint64_t now_tsc, now_ns;
    tsc_pair(&now_tsc, &now_ns);
    RawProc *procs = NULL;
    size_t np = 0;
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".raw") != 0)
            continue;
        procs = xrealloc(procs, (np + 1) * sizeof *procs);
        RawProc *p = &procs[np];
        memset(p, 0, sizeof *p);
        snprintf(p->path, sizeof p->path, "%s/%s", dir, de->d_name);
        if (raw_load(p, now_tsc, now_ns))
            np++;
        else
            raw_free(p);
    }
    if (d)
        closedir(d);
    if (np == 0) {
        free(procs);
        return 0;
    }
    qsort(procs, np, sizeof *procs, proc_cmp);
    for (size_t i = 1; i < np; i++)
        if (procs[i].h->pid == (uint32_t)child) {
            RawProc m = procs[i];
            memmove(procs + 1, procs, i * sizeof *procs);
            procs[0] = m;
        }
    const RawHeader *mh = procs[0].h;
    TraceRunInfo info = {
        .workload = workload, .argc = argc, .argv = argv, .mode = "threads", .policy = "cpython",
        .switch_interval_s = (mh->switch_known[0] & 2) ? (double)mh->interval_us[0] / 1e6 : 0,
        .pid = mh->pid, .start_ns = mh->base_mono_ns, .start_realtime_ns = mh->base_real_ns,
    };
    Tracer *run = trace_open(out, &info);
    if (!run) {
        fprintf(stderr, "gilscope trace: cannot write the trace '%s': %s\n", out, strerror(errno));
        for (size_t i = 0; i < np; i++)
            raw_free(&procs[i]);
        free(procs);
        return -1;
    }
    snprintf(version, vsize, "%s", mh->version);
    int rc = 0;
    for (size_t i = 0; i < np; i++) {
        RawProc *p = &procs[i];
        unsigned ngils = 1;
        for (size_t l = 0; l < p->nlanes; l++)
            for (size_t k = 0; k < p->lanes[l].n; k++)
                if (p->lanes[l].ev[k].gil + 1u > ngils)
                    ngils = p->lanes[l].ev[k].gil + 1u;
        for (unsigned g = 0; g < ngils; g++) {
            uint32_t pid = p->h->pid | (uint32_t)g << 22;
            Tracer *tp = (i == 0 && g == 0) ? run : trace_open_process(run, pid);
            if (!tp)
                continue;
            convert_gil(p, g, tp, tot);
            uint64_t sw = count_switches(p, g);
            tot->switches += sw;
            TraceProcessInfo pi = {.has_cpu = p->h->exited && g == 0, .cpu_user_ns = p->h->cpu_user_ns,
                                   .cpu_sys_ns = p->h->cpu_sys_ns,
                                   .interp = p->h->version[0] ? p->h->version : NULL};
            if (g < RAW_MAX_GILS && (p->h->switch_known[g] & 3) == 3) {
                pi.has_interp_switches = true;
                pi.interp_switches = p->h->switch_last[g] - p->h->switch_first[g];
                tot->interp_switches += pi.interp_switches;
                tot->interp_known = true;
            }
            trace_set_process_info(tp, &pi);
            tot->processes++;
            if (tp != run && trace_close(tp, !p->h->exited) != 0)
                rc = -1;
        }
    }
    if (trace_close(run, !mh->exited) != 0)
        rc = -1;
    if (rc < 0)
        fprintf(stderr, "gilscope trace: writing the trace '%s' failed: %s\n", out, strerror(errno));
    for (size_t i = 0; i < np; i++)
        raw_free(&procs[i]);
    free(procs);
    return rc < 0 ? -1 : (int)tot->processes;
}

int cpytrace_main(int argc, char **argv)
{
    const char *out_arg = NULL;
    bool quiet = false;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            trace_usage(stdout);
            return 0;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = true;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "gilscope trace: %s needs a file name\n", a);
                return EX_USAGE;
            }
            out_arg = argv[++i];
        } else if (strncmp(a, "--output=", 9) == 0) {
            out_arg = a + 9;
        } else if (a[0] == '-') {
            fprintf(stderr, "gilscope trace: unknown option '%s' (see gilscope trace --help)\n", a);
            return EX_USAGE;
        } else {
            break;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "gilscope trace: no program given (usage: gilscope trace [-o T.gilt] [-q] -- PROGRAM [ARGS...])\n");
        return EX_USAGE;
    }
    int pargc = argc - i;
    char **pargv = argv + i;

    char *lib = find_preload();
    if (!lib) {
        fprintf(stderr, "gilscope trace: cannot find %s (%s; set GILSCOPE_PRELOAD to its path)\n", PRELOAD_NAME,
                getenv("GILSCOPE_PRELOAD") ? "GILSCOPE_PRELOAD names no readable file"
                                           : "it is installed next to the gilscope executable");
        return EX_SOFTWARE;
    }
    bool is_module;
    const char *script = script_of(pargc, pargv, &is_module);
    char *out = out_arg ? strdup(out_arg) : default_output(script);
    char *dir = make_run_dir();
    if (!dir || !out) {
        fprintf(stderr, "gilscope trace: cannot create a run directory: %s\n", strerror(errno));
        free(lib);
        free(out);
        return EX_IOERR;
    }

    bool site = write_site(dir);
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    fflush(NULL);
    /* the child reports a failed exec through this pipe (closed on exec) */
    int exec_pipe[2] = {-1, -1};
    if (pipe2(exec_pipe, O_CLOEXEC) != 0)
        exec_pipe[0] = exec_pipe[1] = -1;
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "gilscope trace: fork: %s\n", strerror(errno));
        remove_run_dir(dir);
        return EX_SOFTWARE;
    }
    if (pid == 0) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        const char *old = getenv("LD_PRELOAD");
        size_t len = strlen(lib) + (old ? strlen(old) + 1 : 0) + 1;
        char *pre = malloc(len);
        if (pre) {
            snprintf(pre, len, "%s%s%s", lib, old && *old ? ":" : "", old ? old : "");
            setenv("LD_PRELOAD", pre, 1);
        }
        setenv("GILSCOPE_DIR", dir, 1);
        if (site) {
            const char *pp = getenv("PYTHONPATH");
            size_t plen = strlen(dir) + sizeof "/" SITE_DIR + (pp ? strlen(pp) + 1 : 0) + 1;
            char *path = malloc(plen);
            if (path) {
                snprintf(path, plen, "%s/" SITE_DIR "%s%s", dir, pp && *pp ? ":" : "", pp ? pp : "");
                setenv("PYTHONPATH", path, 1);
            }
        }
        execvp(pargv[0], pargv);
        int err = errno;
        fprintf(stderr, "gilscope trace: cannot run '%s': %s\n", pargv[0], strerror(err));
        if (exec_pipe[1] >= 0 && write(exec_pipe[1], &err, sizeof err) < 0)
            err = errno;
        _exit(err == ENOENT ? 127 : 126);
    }
    child_pid = pid;
    int exec_err = 0;
    if (exec_pipe[1] >= 0) {
        close(exec_pipe[1]);
        while (read(exec_pipe[0], &exec_err, sizeof exec_err) < 0 && errno == EINTR)
            ;
        close(exec_pipe[0]);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    child_pid = 0;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : EX_SOFTWARE;

    ConvTotals tot = {0};
    char version[200] = "";
    int np = convert(dir, out, pid, pargc, pargv, script, &tot, version, sizeof version);
    if (np == 0 && !exec_err) {
        say_no_gil(dir, pargv[0]);
    } else if (np > 0 && !quiet) {
        char *sp = strpbrk(version, " ");
        if (sp)
            *sp = '\0';
        char interp[32] = "not recorded";
        if (tot.interp_known)
            snprintf(interp, sizeof interp, "%" PRIu64, tot.interp_switches);
        fprintf(stderr, "gilscope trace: CPython %s, %" PRIu64 " process(es); switches: trace %" PRIu64
                        ", interpreter %s\n",
                version[0] ? version : "?", tot.processes, tot.switches, interp);
        stats_print_summary(out, stderr);
    }
    if (getenv("GILSCOPE_KEEP_RAW"))
        fprintf(stderr, "gilscope trace: raw records kept in %s\n", dir);
    else
        remove_run_dir(dir);
    free(dir);
    free(out);
    free(lib);
    return code;
}
