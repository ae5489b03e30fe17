/*
 * bench.h -- `gilscope bench`: a matrix of configurations (workload x mode x
 * GIL policy x threads x CPUs x switch interval, and optionally CPython), each
 * run --repeat times as a child `gilscope run -q`, timed from outside (wall:
 * CLOCK_MONOTONIC around fork..wait4; CPU: wait4's rusage), its trace read
 * back for GIL statistics; then a table, JSON, CSV or a bar chart.
 * Experiment presets (data/experiments/NAME.ini) describe matrices plus the
 * published shapes to hold them against.  Formats: data/BENCH.md.
 *
 * matrix.c builds and runs the matrix; preset.c parses presets (pure);
 * report.c prints; chart.c draws; bench_cmd.c is the command line.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { BENCH_MODE_SEQUENTIAL, BENCH_MODE_THREADS, BENCH_MODE_PROCESSES, BENCH_MODE__COUNT };
enum { BENCH_GIL_LEGACY, BENCH_GIL_NEWGIL, BENCH_GIL_PRIORITY, BENCH_GIL_FIFO, BENCH_GIL__COUNT };
enum { BENCH_RUNNER_GILSCOPE, BENCH_RUNNER_PYTHON };

#define BENCH_MAX_AXIS 16

/* One matrix: every combination of its axes is a configuration.  Empty
 * lists take the defaults (threads mode, newgil, 2 threads, all CPUs, the
 * default switch interval).  Strings are owned by the axes. */
typedef struct BenchAxes {
    char *workload;              /* path */
    char **args;                 /* passed after the workload's path */
    size_t nargs;
    char *threads_flag;          /* "threads": --threads=N; NULL = "threads" */
    int modes[BENCH_MODE__COUNT];
    size_t nmodes;
    int gils[BENCH_GIL__COUNT];
    size_t ngils;
    long threads[BENCH_MAX_AXIS];   /* -1 = pass no thread count */
    size_t nthreads;
    int cpus[BENCH_MAX_AXIS];       /* 0 = all */
    size_t ncpus;
    double si_ms[BENCH_MAX_AXIS];   /* 0 = gilscope's default */
    size_t nsi;
} BenchAxes;

/* A shape check of a preset: LEFT [/ RIGHT] OP VALUE (or "in LO..HI"). */
enum { BENCH_OP_LT, BENCH_OP_LE, BENCH_OP_GT, BENCH_OP_GE, BENCH_OP_IN };

typedef struct BenchSel {
    int metric;                  /* BENCH_METRIC_* */
    /* -1 / NULL / <0 = any */
    int runner, mode, gil, cpus;
    long threads;
    double si_ms;
    char *workload;              /* base name without .py */
} BenchSel;

enum {
    BENCH_METRIC_WALL, BENCH_METRIC_CPU, BENCH_METRIC_SPEEDUP, BENCH_METRIC_WAIT_SHARE,
    BENCH_METRIC_SWITCHES, BENCH_METRIC_FAILED, BENCH_METRIC_BADNESS, BENCH_METRIC_HANDOFF_P50,
    BENCH_METRIC_HANDOFF_P99, BENCH_METRIC_OPS, BENCH_METRIC_LATENCY, BENCH_METRIC__COUNT
};

typedef struct BenchCheck {
    char *name;                  /* the key before '=' is "check"; this is its text */
    BenchSel left, right;
    bool has_right;
    int op;
    double lo, hi;               /* hi only for BENCH_OP_IN */
    char *published;             /* after '|', may be "" */
    int line;
} BenchCheck;

typedef struct BenchPreset {
    char *name, *title, *published, *why;
    int order;
    int repeat;                  /* 0 = the command line's */
    BenchAxes *matrices;
    size_t nmatrices;
    BenchCheck *checks;
    size_t nchecks;
} BenchPreset;

/* Parses a preset from buf[0..len) (data/BENCH.md, "Presets").  name is for
 * messages; workload paths without a '/' are kept as written (the caller
 * resolves them).  Returns 0 and fills *out (free with bench_preset_fini),
 * or -1 with err = "NAME:LINE: what is wrong" and *out zeroed.  Pure: no
 * I/O, no globals; never reads outside buf. */
int bench_preset_parse(const char *buf, size_t len, const char *name, BenchPreset *out, char *err,
                       size_t errsize);
void bench_preset_fini(BenchPreset *p);
void bench_axes_fini(BenchAxes *a);

const char *bench_mode_name(int mode);
const char *bench_gil_name(int gil);
const char *bench_metric_name(int metric);
int bench_mode_parse(const char *s);
int bench_gil_parse(const char *s);

/* One run of one configuration. */
typedef struct BenchRep {
    bool done, ok;
    int status;                  /* exit status, or 128+signal */
    double wall_s, cpu_s;
    bool has_stats;
    double wait_share, switches_per_s, failed_per_s, badness, handoff_p50_us, handoff_p99_us;
    double ops_per_s, lat_mean_us, lat_p50_us, lat_p99_us;   /* < 0 when not reported */
    char err[160];
} BenchRep;

/* One configuration and its repeats; values NAN when unknown. */
typedef struct BenchRow {
    const char *experiment;      /* borrowed, may be NULL */
    const char *workload;        /* borrowed from the axes */
    char *args;                  /* joined, for display */
    int runner, mode, gil, cpus;
    long threads;
    double si_ms;
    char **argv;                 /* the child's command line (NULL-terminated) */
    char *label;
    BenchRep *reps;
    size_t nreps;
    /* aggregates (bench_matrix_summarise) */
    size_t ok_runs;
    double wall, wall_min, wall_max, cpu, speedup, speedup_min, speedup_max;
    double wait_share, switches_per_s, failed_per_s, badness, handoff_p50_us, handoff_p99_us;
    double ops_per_s, lat_mean_us, lat_p50_us, lat_p99_us;
    char *error;                 /* the first failure's message, or NULL */
} BenchRow;

typedef struct BenchMatrix {
    BenchRow *rows;
    size_t nrows, cap;
    size_t repeat;
    const char *self_exe;        /* gilscope */
    const char *python;          /* NULL: no CPython rows */
    const char *keep_traces;     /* NULL: a private temporary directory */
    double timeout_s;
    bool progress;               /* a progress line on stderr */
} BenchMatrix;

/* Adds every configuration of a (and CPython rows when m->python). */
void bench_matrix_add(BenchMatrix *m, const BenchAxes *a, const char *experiment);
/* Runs every row m->repeat times, interleaved.  Returns 0, or -1 with err
 * when the runs cannot start at all (no temporary directory); a failing
 * workload is recorded in its row, not an error. */
int bench_matrix_run(BenchMatrix *m, char *err, size_t errsize);
/* Medians, spreads and speedups. */
void bench_matrix_summarise(BenchMatrix *m);
void bench_matrix_fini(BenchMatrix *m);
/* The value of metric for one row (NAN if unknown). */
double bench_row_metric(const BenchRow *r, int metric);

/* report.c */
void bench_report_table(const BenchMatrix *m, FILE *out);
void bench_report_json(const BenchMatrix *m, const BenchPreset *const *presets, size_t npresets, FILE *out);
void bench_report_csv(const BenchMatrix *m, FILE *out);
/* Evaluates a preset's checks against the rows of its experiment and prints
 * them; returns how many did not hold (unmeasured ones count). */
int bench_report_checks(const BenchMatrix *m, const BenchPreset *p, FILE *out);

/* chart.c: a bar chart of speedup per row with its spread; the format from
 * path's extension (.png, .svg, .pdf).  0, or -1 with err. */
int bench_chart_write(const BenchMatrix *m, const char *path, const char *title, char *err, size_t errsize);

/* `gilscope bench ...`; argv[0] is "bench".  Returns the exit status. */
int bench_main(int argc, char **argv);

#endif
