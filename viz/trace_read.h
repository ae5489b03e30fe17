/*
 * trace_read.h -- reads a .gilt trace (data/FORMAT.md) into memory: runs ->
 * processes -> lanes (one per thread) -> decoded events, with the header of
 * each run and what was lost, damaged or cut.  Shared by `gilscope stats`,
 * the viewer and the exporter.
 *
 * The reader trusts nothing it reads: every chunk is checked (frame and
 * payload CRC-32), every varint and length bounded by the buffer, and no
 * allocation is larger than a small multiple of the input.  A damaged chunk
 * is skipped (the reader resynchronises on the next valid frame) and noted;
 * a file cut inside its last chunk reads up to the cut and says so.
 */
#ifndef VIZ_TRACE_READ_H
#define VIZ_TRACE_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "interp/trace.h"

/* One thread of one process: its events in recording order. */
typedef struct TraceLane {
    uint32_t pid, tid;
    char *name;                 /* the last name it was given; "" if none */
    TraceEvent *ev;             /* nev events, per-thread order (timestamps should not decrease) */
    size_t nev;
    size_t cap_;                /* reader private */
    uint64_t lost;              /* sum of its EV_LOSS args */
    uint64_t cpu_ns;            /* thread CPU time, when has_cpu */
    bool has_cpu;               /* trace_thread_end recorded its CPU time */
    uint32_t chunks;            /* event chunks read */
    uint32_t missing_chunks;    /* chunks of its sequence never read (damaged or cut) */
    uint32_t next_seq_;         /* reader private */
    void *refs_;                /* reader private: chunks to decode */
    size_t nrefs_, caprefs_;
    size_t user;                /* free for a streaming caller (trace_read_file_stream); 0 at first */
    uint64_t queued;            /* streaming, when ready() is called: events about to be decoded */
} TraceLane;

/* One process: in processes mode each has its own GIL. */
typedef struct TraceProc {
    uint32_t pid;
    TraceLane *lanes;           /* sorted by tid */
    size_t nlanes;
    bool closed;                /* its closing chunk was read; the fields below are valid */
    bool interrupted;           /* closed, but the run was stopped (Ctrl-C) */
    uint64_t events;            /* events its tracer recorded */
    uint64_t lost;              /* events its tracer counted as lost */
    uint64_t end_ns;            /* trace clock when it closed */
    uint64_t cpu_user_ns, cpu_sys_ns;   /* getrusage(RUSAGE_SELF) at close */
    uint32_t threads;           /* threads registered */
    uint32_t unfinished;        /* threads still registered at close (their last events are missing) */
    uint32_t write_errno;       /* a write failed (disk full...), 0 if not */
    bool has_interp_switches;   /* a real CPython's own switch count was recorded (`gilscope trace`) */
    uint64_t interp_switches;   /* gil->switch_number over the traced span */
    char *interp;               /* the interpreter's version string; NULL if not recorded */
} TraceProc;

/* A user mark's text (EV_MARK's arg -> text). */
typedef struct TraceMarkText {
    uint32_t pid, id;
    uint64_t ns;
    char *text;
} TraceMarkText;

/* The header chunk: strings are "" and numbers 0 when absent. */
typedef struct TraceHeader {
    char *workload;
    char **argv;                /* argc strings */
    int argc;
    char *mode, *policy, *clock, *host, *kernel, *tracer;
    uint64_t switch_interval_ns, check_interval;
    uint64_t cpus, cpu_mask;    /* requested (--cpus), 0 = all */
    uint64_t cpus_online, affinity_count, affinity_mask;
    uint64_t start_realtime_ns; /* CLOCK_REALTIME at open */
    uint64_t start_ns;          /* the trace clock at the same moment */
    uint64_t buf_events;
    uint32_t pid;               /* the process that opened the trace */
} TraceHeader;

typedef struct TraceRun {
    uint64_t run_id;
    uint64_t offset;            /* byte offset of its header chunk (of its first chunk if none) */
    bool has_header;            /* false: its header chunk was damaged or missing */
    TraceHeader hdr;
    TraceProc *procs;           /* the header's process first, then by pid */
    size_t nprocs;
    TraceMarkText *marks;
    size_t nmarks;
    bool complete;              /* the first process closed the trace normally */
    bool interrupted;           /* it closed it as interrupted */
    uint64_t events;            /* events decoded */
    uint64_t lost;              /* lost events stated by the trace (EV_LOSS, closing chunks) */
    uint64_t first_ns, last_ns; /* first and last event timestamps (0 when no events) */
} TraceRun;

typedef struct TraceFile {
    char *name;                 /* as given, for messages */
    uint64_t size;              /* bytes read */
    TraceRun *runs;             /* in order of their first chunk */
    size_t nruns;
    bool truncated;             /* the file ends inside a chunk */
    uint64_t truncated_at;      /* offset of that chunk */
    uint32_t damaged_chunks;    /* chunks skipped: bad checksum, malformed payload */
    uint64_t damaged_bytes;
    char **notes;               /* one-line notes, "NAME: chunk at byte N: ..." */
    size_t nnotes;
} TraceFile;

typedef enum {
    TRACE_READ_OK = 0,
    TRACE_READ_EFORMAT,         /* not a trace, a newer version, or nothing readable */
    TRACE_READ_EIO              /* the file could not be opened or read */
} TraceReadStatus;

/* Reads a trace from buf[0..len); name is used in messages only.  On
 * TRACE_READ_OK *out is a new TraceFile (free with trace_file_free);
 * otherwise *out is NULL and err holds one line naming the file and, for
 * format errors, the byte offset.  Never reads outside buf. */
TraceReadStatus trace_read_mem(const void *buf, size_t len, const char *name, TraceFile **out,
                               char *err, size_t errsize);
/* The same for a file on disk. */
TraceReadStatus trace_read_file(const char *path, TraceFile **out, char *err, size_t errsize);
void trace_file_free(TraceFile *tf);

/* Streaming, for traces too large to hold decoded (the viewer's model).
 * The file (memory-mapped when regular) is scanned first: every chunk is
 * checked and the runs, processes, lanes, names and closing records are
 * read.  Then ready(ctx, tf) is called once (may be NULL): the lanes are
 * all known, their events not decoded yet.  Then each well-formed EVENTS
 * chunk is decoded into a scratch array and handed to
 * sink(ctx, lane, run index in tf->runs, ev, n, missing) instead of being
 * stored, lane by lane on up to `threads` threads: the sink is called from
 * several threads at once, but never for one lane from two threads, and
 * each lane's chunks arrive in file order.  `missing` is the number of that
 * lane's chunks missing right before this one (a gap in its sequence:
 * damage or a cut), 0 normally.  lane->user is the caller's (0 at first).
 * The lanes of *out have ev == NULL but every other field (nev, lost,
 * chunks, missing_chunks, names) and the runs' first_ns/last_ns are those
 * of trace_read_file, and so are the notes and the status. */
typedef void (*TraceLanesReady)(void *ctx, TraceFile *tf);
typedef void (*TraceEventSink)(void *ctx, TraceLane *lane, size_t run, const TraceEvent *ev, size_t n,
                               uint32_t missing);
TraceReadStatus trace_read_file_stream(const char *path, TraceLanesReady ready, TraceEventSink sink, void *ctx,
                                       int threads, TraceFile **out, char *err, size_t errsize);

/* "GIL_ACQUIRE", ..., or "UNKNOWN" for a kind this reader does not know. */
const char *trace_event_name(unsigned kind);
/* "sleep", "socket", ... for a TraceBlock, "other" if out of range. */
const char *trace_block_name(unsigned block);
/* "forced", "check_interval", "blocking", "exit", or "other". */
const char *trace_reason_name(unsigned reason);

#endif
