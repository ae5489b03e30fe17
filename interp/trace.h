/*
 * trace.h -- the tracer: every GIL event of every thread, recorded into
 * per-thread buffers with no lock and no system call, written to a .gilt
 * file (data/FORMAT.md) in checksummed chunks by a writer thread.
 *
 * Recording: trace_emit() appends a fixed-size TraceEvent to the calling
 * thread's TraceBuf.  When the buffer is full it is handed to the writer
 * (one mutex operation per TRACE_BUF_EVENTS events) and a fresh one is
 * taken from a free list; if the writer cannot keep up and no buffer is
 * free, events are counted as lost (EV_LOSS is recorded), never silently
 * dropped.
 */
#ifndef INTERP_TRACE_H
#define INTERP_TRACE_H

#include <stdbool.h>
#include <stdint.h>

/* Event kinds: the vocabulary shared with `gilscope trace` (real CPython). */
#define TRACE_EVENT_LIST(X)                                                      \
    X(THREAD_START, "thread started (arg: parent thread id)")                   \
    X(THREAD_END, "thread finished")                                            \
    X(GIL_REQUEST, "began waiting for the GIL (only when it is held)")          \
    X(GIL_ACQUIRE, "took the GIL")                                              \
    X(GIL_RELEASE, "released the GIL (arg: a TraceReason)")                     \
    X(DROP_REQUEST, "asked the holder to drop the GIL (arg: holder's id)")      \
    X(FAILED_WAKEUP, "woken, but the GIL was taken (arg: 0 first, 1 retry)")    \
    X(SWITCH_WAIT_BEGIN, "forced off: waiting until another thread takes it")   \
    X(SWITCH_WAIT_END, "another thread took it")                                \
    X(BLOCK_BEGIN, "entered a blocking call (arg: a TraceBlock)")               \
    X(BLOCK_END, "left the blocking call")                                      \
    X(MARK, "a user mark (arg: mark id, text in the string table)")             \
    X(LOSS, "events lost before this one (arg: how many)")

#define TRACE_EV_ENUM(name, what) EV_##name,
typedef enum { TRACE_EVENT_LIST(TRACE_EV_ENUM) EV__COUNT } TraceEventKind;
#undef TRACE_EV_ENUM

/* Why the GIL was released (EV_GIL_RELEASE's arg). */
typedef enum {
    REL_FORCED = 0,         /* a drop request (newgil, priority, fifo) */
    REL_CHECK_INTERVAL = 1, /* legacy: every --check-interval ticks */
    REL_BLOCKING = 2,       /* around a blocking call: kind in the BLOCK_BEGIN */
    REL_EXIT = 3            /* the thread finished */
} TraceReason;

/* What a blocking call waits for (EV_BLOCK_BEGIN's arg). */
typedef enum {
    BLOCK_SLEEP, BLOCK_SOCKET, BLOCK_LOCK, BLOCK_QUEUE, BLOCK_JOIN, BLOCK_PIPE,
    BLOCK_IO, BLOCK_OTHER, BLOCK__COUNT
} TraceBlock;

/* One event in memory (not the on-disk encoding, which is delta-coded). */
typedef struct TraceEvent {
    uint64_t ns;            /* CLOCK_MONOTONIC nanoseconds (shared by all processes) */
    uint64_t ticks;         /* the interpreter's cumulative tick count when it happened */
    uint32_t arg;           /* meaning per kind, see above */
    uint8_t kind;           /* TraceEventKind */
} TraceEvent;

#define TRACE_BUF_EVENTS 4096

typedef struct Tracer Tracer;

/* A thread's recording buffer.  Only its thread writes it. */
typedef struct TraceBuf {
    TraceEvent *ev;         /* TRACE_BUF_EVENTS slots */
    uint32_t n;             /* used */
    uint32_t tid;           /* the thread's trace id (0 = main thread) */
    uint64_t lost;          /* events not recorded since the last EV_LOSS */
    Tracer *tracer;
} TraceBuf;

/* What the file header records about the run. */
typedef struct TraceRunInfo {
    const char *workload;       /* path of the workload */
    int argc;                   /* the full command line */
    char **argv;
    const char *mode;           /* "threads", "processes", "sequential" */
    const char *policy;         /* "legacy", "newgil", "priority", "fifo", "none" */
    double switch_interval_s;   /* newgil/priority/fifo */
    int check_interval;         /* legacy, ticks */
    int cpus;                   /* CPUs the run may use (affinity), 0 = all */
    uint64_t cpu_mask;          /* the affinity mask (first 64 CPUs) */
    /* A trace written for another process (`gilscope trace` converting a
     * real CPython's record): its pid, 0 = the calling process.  Such a
     * Tracer has no writer thread (the recording thread writes full
     * buffers itself, so nothing is lost however fast it records) and
     * records no CPU time of the caller. */
    uint32_t pid;
    uint64_t start_ns, start_realtime_ns;   /* the run's start, 0 = now */
} TraceRunInfo;

/* Opens path for writing and writes the header; starts the writer thread.
 * NULL with errno set when the file cannot be created. */
Tracer *trace_open(const char *path, const TraceRunInfo *info);
/* Writes every pending buffer and a closing chunk (marks the trace complete
 * unless interrupted), stops the writer, closes the file.  0, or -1 with
 * errno (a write failed: disk full...; what was written stays readable). */
int trace_close(Tracer *tr, bool interrupted);
/* After fork() in the child: the child's own file (path derived from the
 * parent's, "T.gilt" -> "T.<pid>.gilt" merged later, or the same file opened
 * O_APPEND: the implementation's choice, documented in FORMAT.md).  The
 * child's threads get new buffers; the parent's Tracer is not touched. */
Tracer *trace_after_fork(Tracer *parent);

/* Another process of run's run, writing to run's file (a converter's use,
 * see TraceRunInfo.pid): same rules as a Tracer with info->pid set.  Close
 * it with trace_close before closing run.  NULL with errno on failure. */
Tracer *trace_open_process(Tracer *run, uint32_t pid);

/* What the closing chunk of a converted process says about it (see
 * data/FORMAT.md, CLOSE tags 7, 8, 11, 12): its CPU time and, for a real
 * CPython, the interpreter's own count of GIL switches and its version.
 * Strings are copied. */
typedef struct TraceProcessInfo {
    bool has_cpu;
    uint64_t cpu_user_ns, cpu_sys_ns;
    bool has_interp_switches;
    uint64_t interp_switches;   /* gil->switch_number, minus its value at the first acquisition */
    const char *interp;         /* "CPython 3.11.2 (main, ...)", or NULL */
} TraceProcessInfo;
void trace_set_process_info(Tracer *tr, const TraceProcessInfo *pi);

/* Registers a thread (name may change later with trace_thread_name). */
TraceBuf *trace_thread_begin(Tracer *tr, uint32_t tid, const char *name);
void trace_thread_name(TraceBuf *tb, const char *name);
/* Hands the thread's last buffer to the writer; tb is freed.  Called on the
 * thread itself, it also records the thread's CPU time.  Every registered
 * thread should end before trace_close; one that has not is counted as
 * unfinished in the closing chunk (its unflushed events are missing) and may
 * still call trace_record / trace_thread_end safely afterwards. */
void trace_thread_end(TraceBuf *tb);

/* Appends an event.  The hot path: no lock, no system call. */
void trace_record_slow(TraceBuf *tb, TraceEventKind kind, uint32_t arg, uint64_t ticks);
uint64_t trace_now_ns(void);
/* Appends an event that happened at `ns` (a converter's use): the same as
 * trace_record otherwise. */
void trace_record_at(TraceBuf *tb, TraceEventKind kind, uint32_t arg, uint64_t ticks, uint64_t ns);

static inline void trace_record(TraceBuf *tb, TraceEventKind kind, uint32_t arg, uint64_t ticks)
{
    if (!tb)
        return;
    if (tb->n < TRACE_BUF_EVENTS && tb->lost == 0) {
        TraceEvent *e = &tb->ev[tb->n++];
        e->ns = trace_now_ns();
        e->ticks = ticks;
        e->arg = arg;
        e->kind = (uint8_t)kind;
        return;
    }
    trace_record_slow(tb, kind, arg, ticks);
}

/* Statistics of the tracer itself, for the run summary and `make bench`. */
typedef struct TraceStats {
    uint64_t events;        /* recorded */
    uint64_t lost;          /* counted as lost */
    uint64_t bytes;         /* written to the file so far */
} TraceStats;
void trace_stats(Tracer *tr, TraceStats *out);
const char *trace_path(Tracer *tr);

/* The text of user mark `id` (EV_MARK's arg), stored in the trace's string
 * table; may be called from any thread, at any time before trace_close. */
void trace_mark_text(Tracer *tr, uint32_t id, const char *text);
/* Test hook: at most `blocks` event buffers in all (held by threads, queued
 * for the writer, or free); 0 restores the default bound. */
void trace_set_pool_limit(Tracer *tr, unsigned blocks);

#endif
