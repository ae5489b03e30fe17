/*
 * stats.h -- GIL statistics of a trace: per thread and per run, time
 * running / waiting / blocked / idle, acquisitions, switches, failed
 * wake-ups and badness, wait/hold/hand-off distributions, and the
 * never-two-holders invariant.  Definitions: data/FORMAT.md, "Statistics".
 *
 * stats_compute is pure (a TraceFile in, numbers out); stats_cmd.c prints.
 */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "viz/trace_read.h"

/* A distribution of durations (ns); percentiles by nearest rank. */
typedef struct StatsDist {
    uint64_t n, sum, p50, p90, p99, max;
} StatsDist;

typedef struct StatsThread {
    const char *name;           /* borrowed from the TraceFile */
    uint32_t run;               /* index in Stats.runs */
    uint32_t pid, tid;
    uint64_t start_ns, end_ns;  /* its first event (THREAD_START) and THREAD_END or last event */
    uint64_t life_ns;           /* end - start = run + wait + blocked + idle */
    uint64_t run_ns;            /* holding the GIL (ACQUIRE..RELEASE) */
    uint64_t wait_ns;           /* wanting it: REQUEST..ACQUIRE, SWITCH_WAIT_BEGIN..END, and
                                   a check/forced RELEASE..the next ACQUIRE */
    uint64_t switch_wait_ns;    /* the SWITCH_WAIT part of wait_ns */
    uint64_t blocked_ns;        /* BLOCK_BEGIN..END, not holding or waiting */
    uint64_t blocked_by_kind[BLOCK__COUNT];
    uint64_t idle_ns;           /* the rest of its life */
    uint64_t acquisitions;      /* ACQUIRE */
    uint64_t contended;         /* acquisitions that had to wait (REQUEST first) */
    uint64_t switches;          /* its acquisitions after another thread of its process held the GIL */
    uint64_t releases[4];       /* by TraceReason */
    uint64_t drop_requests;     /* DROP_REQUEST it sent */
    uint64_t failed_wakeups;    /* FAILED_WAKEUP (busy + retry) */
    uint64_t failed_retries;    /* those with arg 1 (retry) */
    double badness;             /* failed_wakeups / contended, 0 if none */
    StatsDist wait, hold;
    uint64_t events, lost, marks;
    uint64_t cpu_ns;
    bool has_cpu;
    bool ended;                 /* THREAD_END seen */
} StatsThread;

typedef struct StatsRun {
    const TraceRun *tr;         /* borrowed */
    uint64_t first_ns, last_ns, wall_ns;
    uint64_t cpu_ns;            /* user+sys of its closed processes */
    bool has_cpu;
    uint32_t processes, threads;
    uint64_t run_ns, wait_ns, blocked_ns, idle_ns;
    uint64_t acquisitions, switches, drop_requests, failed_wakeups;
    uint64_t checks;            /* releases for a check interval or a drop request */
    double badness;             /* failed_wakeups / checks, 0 if no checks */
    StatsDist wait, hold, handoff;
    uint64_t overlap_violations;/* ACQUIREs while another thread of the process held the GIL */
    uint64_t events, lost;
    uint64_t nonmonotonic;      /* per-thread timestamps that went backwards */
    size_t thread0;             /* its first thread in Stats.threads */
} StatsRun;

typedef struct Stats {
    StatsRun *runs;
    size_t nruns;
    StatsThread *threads;       /* every lane of every run, run by run */
    size_t nthreads;
    uint64_t wall_ns;           /* sum over runs */
    uint64_t events, lost, overlap_violations;
} Stats;

/* Computes everything; the result borrows names from tf (keep tf alive). */
Stats *stats_compute(const TraceFile *tf);
void stats_free(Stats *s);

/* Percentile p (0..100] of v[0..n), sorted ascending, by nearest rank. */
uint64_t stats_percentile(const uint64_t *v, size_t n, double p);

void stats_print_text(const Stats *s, const TraceFile *tf, FILE *out);
void stats_print_json(const Stats *s, const TraceFile *tf, FILE *out);

/* `gilscope stats FILE [--json]`; argv[0] is "stats".  Returns the exit
 * status: 0, 64 usage, 65 not a readable trace, 74 I/O error. */
int stats_main(int argc, char **argv);

/* The short summary `gilscope run` prints on stderr after a traced run:
 * wall time, per-thread run/wait shares, switches, failed wake-ups, the
 * trace's path and size.  Returns 0, or 65/74 after printing why. */
int stats_print_summary(const char *trace_path, FILE *out);

#endif
