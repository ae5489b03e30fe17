/*
 * model.h -- the pure model behind every picture: trace(s) -> panes (one per
 * run) -> lanes (one per thread of each process, main thread on top) -> state
 * intervals and point marks, plus a level-of-detail summary built once at
 * load so that the share of each state over any time range (a pixel column
 * at any zoom) costs O(log n), and the figures a chart prints.
 *
 * Conventions, used by every function below:
 *   - Times are nanoseconds since the start of the lane's *pane* (its run's
 *     first event), as uint64_t.  Panes of different runs are thus laid on
 *     one axis starting at 0.
 *   - Ranges are half-open [t0, t1).
 *   - Every lane's intervals tile [lane->start_ns, lane->end_ns) without gaps
 *     or overlaps; outside that the lane is "not running" (MS_IDLE).
 *   - The model never prints and never exits; it owns all its memory, which
 *     model_free releases.  It is immutable once built: any number of threads
 *     may read it at once.
 *
 * Memory: intervals are stored compactly (32-bit times relative to a block
 * base, 9-10 bytes per interval); marks 16 bytes each; the LOD adds < 1 byte
 * per interval.  Loading streams the file (viz/trace_read.h's event
 * callback), never holding decoded TraceEvent arrays, and decodes its lanes
 * on several threads at once.
 */
#ifndef VIZ_MODEL_H
#define VIZ_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "interp/trace.h"
#include "viz/trace_read.h"

/* What a thread is doing.  The order is the stacking order of the LOD
 * columns and the legend's order. */
typedef enum {
    MS_RUNNING,     /* holding the GIL (ACQUIRE..RELEASE) */
    MS_WAITING,     /* wants the GIL (REQUEST..ACQUIRE, forced/check RELEASE..ACQUIRE) */
    MS_SWITCH_WAIT, /* forced off, waiting for another thread to take it (SWITCH_WAIT_BEGIN..END) */
    MS_BLOCKED,     /* inside a blocking call (BLOCK_BEGIN..END); detail = TraceBlock */
    MS_IDLE,        /* alive but none of the above (between a release and the next request) */
    MS_GAP,         /* unknown: events were lost (EV_LOSS) or chunks are missing */
    MS__COUNT
} ModelState;

/* Point marks on a lane. */
typedef enum {
    MK_FAILED_FIRST,    /* FAILED_WAKEUP arg 0 (Beazley's yellow "Busy") */
    MK_FAILED_RETRY,    /* FAILED_WAKEUP arg 1 (Beazley's red "Retry") */
    MK_DROP_REQUEST,    /* DROP_REQUEST sent by this lane (arg: the holder's tid) */
    MK_LOSS,            /* EV_LOSS (arg: events lost) */
    MK_USER,            /* EV_MARK (arg: mark id) */
    MK__COUNT
} ModelMarkKind;

/* One interval, decoded (the stored form is compact and private). */
typedef struct ModelInterval {
    uint64_t t0, t1;        /* [t0, t1) ns since the pane's start */
    uint64_t ticks0;        /* the thread's own tick count at t0 */
    ModelState state;
    uint8_t detail;         /* MS_BLOCKED: TraceBlock; MS_WAITING/MS_IDLE: the TraceReason of the
                               release that began it (0xff: none); otherwise 0 */
    bool contended;         /* MS_RUNNING: the acquisition had to wait (a REQUEST came first) */
    bool switched;          /* MS_RUNNING: another thread of the process held the GIL before */
} ModelInterval;

typedef struct ModelMark {
    uint64_t ns;            /* since the pane's start */
    uint32_t arg;
    uint8_t kind;           /* ModelMarkKind */
} ModelMark;

/* Per-lane figures over a range (model_lane_range). */
typedef struct ModelRange {
    uint64_t ns[MS__COUNT];         /* time in each state within the range (clipped to the lane's life) */
    uint64_t acquisitions;          /* RUNNING intervals starting in the range */
    uint64_t switches;              /* those that were switches */
    uint64_t marks[MK__COUNT];      /* marks in the range, by kind */
} ModelRange;

typedef struct ModelLaneStore ModelLaneStore;   /* private compact arrays + LOD */

typedef struct ModelLane {
    char *name;                 /* "main", "Thread-1", ...; in a multi-process pane "pid 1234 main" */
    uint32_t pid, tid;
    uint32_t pane;              /* index of its pane */
    uint64_t start_ns, end_ns;  /* its life: first event .. THREAD_END or last event */
    size_t nintervals, nmarks;
    uint64_t events;            /* events read for it */
    uint64_t lost;              /* events lost (EV_LOSS args) */
    uint32_t missing_chunks;    /* event chunks never read (damage, cut): MS_GAP where they were */
    bool ended;                 /* THREAD_END seen */
    bool cut;                   /* its last events are missing (process not closed, or closed with it
                                   unfinished): without THREAD_END, MS_GAP from its last event to the
                                   end of the pane */
    ModelRange total;           /* model_lane_range over its whole life */
    ModelLaneStore *store_;     /* private */
} ModelLane;

/* One run: its header fields, lanes, and the key figures of the chart. */
typedef struct ModelPane {
    char *label;                /* short: "2 threads, newgil" / "2 processes, legacy" */
    char *params;               /* the subtitle: "threads · newgil 5 ms · 4 CPUs · host ... · countdown.py" */
    char *file;                 /* the trace file it came from */
    char *workload, *mode, *policy, *host;  /* header strings ("" when absent) */
    uint64_t switch_interval_ns, check_interval, cpus, cpus_online;
    uint64_t base_ns;           /* trace clock of t = 0 (its first event) */
    uint64_t wall_ns;           /* first to last event */
    uint64_t total_ticks;       /* ticks executed by all its threads (the ticks axis extent) */
    uint32_t processes, threads;
    bool complete;              /* the run closed normally */
    ModelLane *lanes;           /* by process (the main one first), then tid: main thread on top */
    size_t nlanes;
    ModelRange total;           /* sums over its lanes */
    double wait_share;          /* wait / (run + wait) over all lanes, 0..1 */
    uint64_t events, lost;      /* lost: events the trace says were lost (EV_LOSS, closing chunks) */
    uint32_t missing_chunks;    /* event chunks never read, all lanes */
    uint32_t cut_lanes;         /* lanes whose last events are missing */
    uint64_t *ticks_map_;       /* private: cumulative ticks at nticks_map_ evenly spaced times */
    size_t nticks_map_;
} ModelPane;

typedef struct Model {
    ModelPane *panes;           /* one per run, files in the order given, runs in file order */
    size_t npanes;
    uint64_t span_ns;           /* the longest pane's wall_ns */
    uint64_t events;            /* all panes */
    char **notes;               /* reader notes ("F: chunk at byte N: ..."), one line each */
    size_t nnotes;
    void *priv_;                /* private */
} Model;

typedef enum { MODEL_OK = 0, MODEL_EFORMAT = 65, MODEL_EIO = 74 } ModelStatus;

/* Loads npaths trace files (each may hold several runs) into one model.
 * On MODEL_OK *out is the model (free with model_free); otherwise *out is
 * NULL and err holds one line naming the file and, for format errors, the
 * byte offset.  Damaged or truncated files still load (see m->notes). */
ModelStatus model_load(const char *const *paths, size_t npaths, Model **out, char *err, size_t errsize);
/* The same, decoding on `threads` threads (model_load: 2); the model is the
 * same whatever the number. */
ModelStatus model_load_threads(const char *const *paths, size_t npaths, int threads, Model **out, char *err,
                               size_t errsize);
void model_free(Model *m);

/* Building a model from events (used by model_load, tests and synth).  The
 * builder takes events lane by lane in any interleaving; within a lane,
 * events should come in time order: a timestamp lower than the previous one
 * is treated as equal to it (counted in the lane's nonmonotonic notes).  A
 * lane with no THREAD_END ends at its last event (a truncated trace). */
typedef struct ModelBuilder ModelBuilder;
ModelBuilder *model_builder_new(void);
/* Starts a pane; `hdr` may be NULL (no header).  Returns its index. */
size_t model_builder_pane(ModelBuilder *b, const char *file, const TraceHeader *hdr);
/* Adds (or finds) a lane of pane `pane`; returns a handle for _event. */
size_t model_builder_lane(ModelBuilder *b, size_t pane, uint32_t pid, uint32_t tid);
void model_builder_lane_name(ModelBuilder *b, size_t lane, const char *name);
/* Feeds events of one lane (absolute trace-clock ns). */
void model_builder_events(ModelBuilder *b, size_t lane, const TraceEvent *ev, size_t n);
/* Notes missing event chunks before the next events of this lane: a gap. */
void model_builder_lane_missing(ModelBuilder *b, size_t lane, uint32_t chunks);
/* Notes that the lane's last events are missing (its process did not
 * close): unless it ended, it gets a gap up to the end of its pane. */
void model_builder_lane_cut(ModelBuilder *b, size_t lane);
/* Finishes (sorts lanes, computes switches, LOD and figures) and frees b. */
Model *model_builder_finish(ModelBuilder *b);

/* ---- queries (all O(log n) unless said) ---- */

/* Interval i (0 <= i < lane->nintervals) of a lane. */
void model_lane_interval(const ModelLane *lane, size_t i, ModelInterval *out);
/* Index of the interval containing ns, or -1 outside the lane's life. */
long long model_lane_find(const ModelLane *lane, uint64_t ns);
/* Mark i of a lane, in time order; and the index of the first mark at or after ns. */
void model_lane_mark(const ModelLane *lane, size_t i, ModelMark *out);
size_t model_lane_mark_lower(const ModelLane *lane, uint64_t ns);

/* The LOD: for ncols columns with boundaries edges[0..ncols] (ns,
 * non-decreasing), fills ns_out[c][s] with the time the lane spends in state
 * s within [edges[c], edges[c+1]).  O(ncols * log n) whatever the zoom. */
void model_lane_columns(const ModelLane *lane, const uint64_t *edges, size_t ncols, uint64_t (*ns_out)[MS__COUNT]);
/* The marks of each column [edges[c], edges[c+1]): kinds[c] gets bit
 * (1 << ModelMarkKind) for each kind among its first 32 marks.  One forward
 * sweep (galloping), O(ncols * log marks-per-column). */
void model_lane_mark_columns(const ModelLane *lane, const uint64_t *edges, size_t ncols, uint8_t *kinds);
/* Everything about a lane in [t0, t1): state times, acquisitions, switches, marks. */
void model_lane_range(const ModelLane *lane, uint64_t t0, uint64_t t1, ModelRange *out);

/* The ticks axis (Beazley's): cumulative ticks executed by all threads of
 * the pane up to ns, and its inverse (the first ns at which that many ticks
 * were done).  Monotonic; exact at interval boundaries to within one
 * LOD block (piecewise linear in between). */
uint64_t model_pane_ticks_at(const ModelPane *p, uint64_t ns);
uint64_t model_pane_ns_at_ticks(const ModelPane *p, uint64_t ticks);

/* One line comparing the panes' wall times, e.g. "2 processes finished 1.8x
 * sooner than 2 threads"; "" for a single pane.  Returns buf. */
char *model_headline(const Model *m, char *buf, size_t size);

/* "running", "waiting", "switch wait", "blocked", "idle", "lost"; the
 * names are the same in every export (JSON state names). */
const char *model_state_name(ModelState s);
const char *model_mark_name(ModelMarkKind k);

#endif
