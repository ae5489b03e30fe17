/*
 * report.c -- what `gilscope bench` prints: an aligned table, JSON, CSV
 * (column names in data/BENCH.md, stable), and the shape checks of
 * experiment presets.
 */
#include "bench/bench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unistd.h>

#include "interp/object.h"     /* mem_alloc */

static const char *stem_of(const char *path, char *buf, size_t size)
{
    const char *b = strrchr(path, '/');
    snprintf(buf, size, "%s", b ? b + 1 : path);
    size_t n = strlen(buf);
    if (n > 3 && strcmp(buf + n - 3, ".py") == 0)
        buf[n - 3] = 0;
    return buf;
}

/* ---- table ---------------------------------------------------------------- */

enum { COL_CONF, COL_WALL, COL_CPU, COL_SPEEDUP, COL_WAIT, COL_SW, COL_FAIL, COL_BAD, COL_HANDOFF, COL_OPS,
       COL_LAT, NCOLS };

static const char *const col_heads[NCOLS] = {
    "configuration", "wall s [min-max]", "cpu s", "speedup", "GIL wait", "switch/s", "fail/s", "fail/chk",
    "hand-off us p50/p99", "ops/s", "latency us",
};

static void fmt_num(char *buf, size_t size, double v, int prec)
{
    if (!isfinite(v))
        snprintf(buf, size, "-");
    else if (prec < 0)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.*f", prec, v);
}

/* Three significant digits for latencies from 0.1 us to seconds. */
static void fmt_us(char *buf, size_t size, double v)
{
    if (!isfinite(v))
        snprintf(buf, size, "-");
    else if (v >= 100)
        snprintf(buf, size, "%.0f", v);
    else if (v >= 10)
        snprintf(buf, size, "%.1f", v);
    else
        snprintf(buf, size, "%.2f", v);
}

void bench_report_table(const BenchMatrix *m, FILE *out)
{
    bool any_ops = false;
    for (size_t i = 0; i < m->nrows; i++)
        if (isfinite(m->rows[i].ops_per_s) || isfinite(m->rows[i].lat_mean_us) || isfinite(m->rows[i].lat_p50_us))
            any_ops = true;
    int ncols = any_ops ? NCOLS : COL_OPS;
    char(*cell)[NCOLS][96] = mem_alloc((m->nrows + 1) * sizeof *cell);
    for (int c = 0; c < ncols; c++)
        snprintf(cell[0][c], sizeof cell[0][c], "%s", col_heads[c]);
    for (size_t i = 0; i < m->nrows; i++) {
        const BenchRow *r = &m->rows[i];
        char (*row)[96] = cell[i + 1];
        snprintf(row[COL_CONF], 96, "%s", r->label);
        if (!r->ok_runs) {
            snprintf(row[COL_WALL], 96, "FAILED");
            for (int c = COL_CPU; c < ncols; c++)
                snprintf(row[c], 96, "-");
            continue;
        }
        snprintf(row[COL_WALL], 96, "%.3f [%.3f-%.3f]", r->wall, r->wall_min, r->wall_max);
        fmt_num(row[COL_CPU], 96, r->cpu, 3);
        if (isfinite(r->speedup))
            snprintf(row[COL_SPEEDUP], 96, "%.2fx", r->speedup);
        else
            snprintf(row[COL_SPEEDUP], 96, "-");
        if (isfinite(r->wait_share))
            snprintf(row[COL_WAIT], 96, "%.0f%%", r->wait_share * 100);
        else
            snprintf(row[COL_WAIT], 96, "-");
        fmt_num(row[COL_SW], 96, r->switches_per_s, -1);
        fmt_num(row[COL_FAIL], 96, r->failed_per_s, -1);
        if (isfinite(r->badness))
            snprintf(row[COL_BAD], 96, "%.2g", r->badness);
        else
            snprintf(row[COL_BAD], 96, "-");
        char a[32], b[32];
        fmt_us(a, sizeof a, r->handoff_p50_us);
        fmt_us(b, sizeof b, r->handoff_p99_us);
        if (isfinite(r->handoff_p50_us))
            snprintf(row[COL_HANDOFF], 96, "%s / %s", a, b);
        else
            snprintf(row[COL_HANDOFF], 96, "-");
        if (any_ops) {
            fmt_num(row[COL_OPS], 96, r->ops_per_s, -1);
            if (isfinite(r->lat_p50_us)) {
                fmt_us(a, sizeof a, r->lat_p50_us);
                fmt_us(b, sizeof b, r->lat_p99_us);
                snprintf(row[COL_LAT], 96, "%s / %s", a, b);
            } else if (isfinite(r->lat_mean_us)) {
                fmt_us(a, sizeof a, r->lat_mean_us);
                snprintf(row[COL_LAT], 96, "%s mean", a);
            } else {
                snprintf(row[COL_LAT], 96, "-");
            }
        }
    }
    size_t w[NCOLS] = {0};
    for (size_t i = 0; i <= m->nrows; i++)
        for (int c = 0; c < ncols; c++)
            if (strlen(cell[i][c]) > w[c])
                w[c] = strlen(cell[i][c]);
    for (size_t i = 0; i <= m->nrows; i++) {
        for (int c = 0; c < ncols; c++)
            fprintf(out, c == 0 ? "%-*s" : "  %*s", (int)w[c], cell[i][c]);
        fputc('\n', out);
        if (i == 0) {
            for (int c = 0; c < ncols; c++) {
                if (c)
                    fputs("  ", out);
                for (size_t k = 0; k < w[c]; k++)
                    fputc('-', out);
            }
            fputc('\n', out);
        }
    }
    for (size_t i = 0; i < m->nrows; i++) {
        const BenchRow *r = &m->rows[i];
        if (r->error)
            fprintf(out, "%s: %zu of %zu runs failed: %s\n", r->label, r->nreps - r->ok_runs, r->nreps, r->error);
    }
    mem_free(cell);
}

/* ---- JSON and CSV --------------------------------------------------------- */

static void json_str(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void json_num(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.6g", v);
    else
        fputs("null", out);
}

/* The columns, in order: each row of JSON has these keys, CSV this header. */
static const char *const row_keys[] = {
    "experiment", "label", "runner", "interpreter", "workload", "args", "mode", "gil", "threads", "cpus",
    "switch_interval_ms", "runs", "ok_runs", "error", "wall_s", "wall_min_s", "wall_max_s", "cpu_s", "speedup",
    "speedup_min", "speedup_max", "gil_wait_share", "switches_per_s", "failed_wakeups_per_s", "badness",
    "handoff_p50_us", "handoff_p99_us", "ops_per_s", "latency_mean_us", "latency_p50_us", "latency_p99_us",
};
#define NKEYS (sizeof row_keys / sizeof row_keys[0])

/* Value k of row r: a string (kind 's', NULL = null) or a number (kind 'n'). */
static char row_value(const BenchRow *r, size_t k, const char **s, double *d, char *buf, size_t size)
{
    *s = NULL;
    *d = NAN;
    bool py = r->runner == BENCH_RUNNER_PYTHON;
    switch (k) {
    case 0: *s = r->experiment; return 's';
    case 1: *s = r->label; return 's';
    case 2: *s = py ? "python" : "gilscope"; return 's';
    case 3: *s = r->argv[0]; return 's';
    case 4: *s = stem_of(r->workload, buf, size); return 's';
    case 5: *s = r->args; return 's';
    case 6: *s = bench_mode_name(r->mode); return 's';
    case 7: *s = py ? "cpython" : bench_gil_name(r->gil); return 's';
    case 8: *d = r->threads >= 0 ? (double)r->threads : NAN; return 'n';
    case 9: *d = r->cpus; return 'n';
    case 10: *d = py ? NAN : r->si_ms > 0 ? r->si_ms : 5.0; return 'n';
    case 11: *d = (double)r->nreps; return 'n';
    case 12: *d = (double)r->ok_runs; return 'n';
    case 13: *s = r->error; return 's';
    case 14: *d = r->wall; return 'n';
    case 15: *d = r->wall_min; return 'n';
    case 16: *d = r->wall_max; return 'n';
    case 17: *d = r->cpu; return 'n';
    case 18: *d = r->speedup; return 'n';
    case 19: *d = r->speedup_min; return 'n';
    case 20: *d = r->speedup_max; return 'n';
    case 21: *d = r->wait_share; return 'n';
    case 22: *d = r->switches_per_s; return 'n';
    case 23: *d = r->failed_per_s; return 'n';
    case 24: *d = r->badness; return 'n';
    case 25: *d = r->handoff_p50_us; return 'n';
    case 26: *d = r->handoff_p99_us; return 'n';
    case 27: *d = r->ops_per_s; return 'n';
    case 28: *d = r->lat_mean_us; return 'n';
    case 29: *d = r->lat_p50_us; return 'n';
    case 30: *d = r->lat_p99_us; return 'n';
    }
    return 's';
}

/* A check's measured value; NAN with why filled when it cannot be had. */
static double sel_value(const BenchMatrix *m, const BenchPreset *p, const BenchSel *sel, char *why, size_t size)
{
    const BenchRow *found = NULL;
    size_t n = 0;
    char stem[64];
    for (size_t i = 0; i < m->nrows; i++) {
        const BenchRow *r = &m->rows[i];
        if (!r->experiment || strcmp(r->experiment, p->name) != 0)
            continue;
        if ((sel->runner >= 0 && r->runner != sel->runner) || (sel->mode >= 0 && r->mode != sel->mode) ||
            (sel->gil >= 0 && r->gil != sel->gil) || (sel->cpus >= 0 && r->cpus != sel->cpus) ||
            (sel->threads >= -1 && r->threads != sel->threads) || (sel->si_ms >= 0 && r->si_ms != sel->si_ms) ||
            (sel->workload && strcmp(stem_of(r->workload, stem, sizeof stem), sel->workload) != 0))
            continue;
        if (sel->runner < 0 && r->runner != BENCH_RUNNER_GILSCOPE)
            continue;   /* CPython rows only when asked for by runner=python */
        found = r;
        n++;
    }
    if (n != 1) {
        snprintf(why, size, n ? "the selector matches %zu configurations" : "no configuration matches", n);
        return NAN;
    }
    double v = bench_row_metric(found, sel->metric);
    if (!isfinite(v))
        snprintf(why, size, "%s has no %s (%s)", found->label, bench_metric_name(sel->metric),
                 found->ok_runs ? "not measured" : "it failed");
    return v;
}

static double check_value(const BenchMatrix *m, const BenchPreset *p, const BenchCheck *ck, char *why, size_t size)
{
    why[0] = 0;
    double a = sel_value(m, p, &ck->left, why, size);
    if (!ck->has_right || !isfinite(a))
        return a;
    double b = sel_value(m, p, &ck->right, why, size);
    if (!isfinite(b))
        return NAN;
    if (b == 0) {
        snprintf(why, size, "division by zero");
        return NAN;
    }
    return a / b;
}

static bool check_holds(const BenchCheck *ck, double v)
{
    if (!isfinite(v))
        return false;
    switch (ck->op) {
    case BENCH_OP_LT: return v < ck->lo;
    case BENCH_OP_LE: return v <= ck->lo;
    case BENCH_OP_GT: return v > ck->lo;
    case BENCH_OP_GE: return v >= ck->lo;
    case BENCH_OP_IN: return v >= ck->lo && v <= ck->hi;
    }
    return false;
}

static void fmt_expect(const BenchCheck *ck, char *buf, size_t size)
{
    static const char *const ops[] = {"<", "<=", ">", ">="};
    if (ck->op == BENCH_OP_IN)
        snprintf(buf, size, "in %g..%g", ck->lo, ck->hi);
    else
        snprintf(buf, size, "%s %g", ops[ck->op], ck->lo);
}

static void fmt_measured(double v, char *buf, size_t size)
{
    if (!isfinite(v))
        snprintf(buf, size, "-");
    else if (fabs(v) >= 100)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.3g", v);
}

int bench_report_checks(const BenchMatrix *m, const BenchPreset *p, FILE *out)
{
    int bad = 0;
    fprintf(out, "\nshape of '%s'%s%s\n", p->name, p->published ? ", published: " : "", p->published ? p->published : "");
    for (size_t i = 0; i < p->nchecks; i++) {
        const BenchCheck *ck = &p->checks[i];
        char why[200], exp[64], meas[32];
        double v = check_value(m, p, ck, why, sizeof why);
        bool ok = check_holds(ck, v);
        bad += !ok;
        fmt_expect(ck, exp, sizeof exp);
        fmt_measured(v, meas, sizeof meas);
        fprintf(out, "  %-5s measured %-7s want %-10s %s\n", !isfinite(v) ? "n/a" : ok ? "holds" : "NO", meas, exp,
                ck->name);
        if (ck->published[0])
            fprintf(out, "        published: %s\n", ck->published);
        if (why[0])
            fprintf(out, "        (%s)\n", why);
    }
    fprintf(out, "  => %s: %zu of %zu checks hold\n", bad ? "the shape does not fully hold" : "the shape holds",
            p->nchecks - (size_t)bad, p->nchecks);
    if (bad && p->why)
        fprintf(out, "     note: %s\n", p->why);
    return bad;
}

void bench_report_json(const BenchMatrix *m, const BenchPreset *const *presets, size_t npresets, FILE *out)
{
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    time_t now = time(NULL);
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    fprintf(out, "{\"format\": \"gilscope-bench\", \"version\": 1, \"host\": ");
    json_str(out, host);
    fprintf(out, ", \"date\": \"%s\", \"cpus_online\": %ld, \"repeat\": %zu,\n \"rows\": [", date,
            sysconf(_SC_NPROCESSORS_ONLN), m->repeat);
    char buf[128];
    for (size_t i = 0; i < m->nrows; i++) {
        fputs(i ? ",\n  {" : "\n  {", out);
        for (size_t k = 0; k < NKEYS; k++) {
            const char *s;
            double d;
            char kind = row_value(&m->rows[i], k, &s, &d, buf, sizeof buf);
            fprintf(out, "%s\"%s\": ", k ? ", " : "", row_keys[k]);
            if (kind == 's')
                json_str(out, s);
            else
                json_num(out, d);
        }
        fputc('}', out);
    }
    fputs("],\n \"experiments\": [", out);
    for (size_t e = 0; e < npresets; e++) {
        const BenchPreset *p = presets[e];
        fputs(e ? ",\n  {\"name\": " : "\n  {\"name\": ", out);
        json_str(out, p->name);
        fputs(", \"title\": ", out);
        json_str(out, p->title);
        fputs(", \"published\": ", out);
        json_str(out, p->published);
        fputs(", \"checks\": [", out);
        for (size_t i = 0; i < p->nchecks; i++) {
            const BenchCheck *ck = &p->checks[i];
            char why[200], exp[64];
            double v = check_value(m, p, ck, why, sizeof why);
            fmt_expect(ck, exp, sizeof exp);
            fputs(i ? ", {\"check\": " : "{\"check\": ", out);
            json_str(out, ck->name);
            fputs(", \"measured\": ", out);
            json_num(out, v);
            fputs(", \"expected\": ", out);
            json_str(out, exp);
            fprintf(out, ", \"holds\": %s, \"published\": ", check_holds(ck, v) ? "true" : "false");
            json_str(out, ck->published);
            fputs(", \"note\": ", out);
            json_str(out, why[0] ? why : NULL);
            fputc('}', out);
        }
        fputs("]}", out);
    }
    fputs("]}\n", out);
}

static void csv_str(FILE *out, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void bench_report_csv(const BenchMatrix *m, FILE *out)
{
    for (size_t k = 0; k < NKEYS; k++)
        fprintf(out, "%s%s", k ? "," : "", row_keys[k]);
    fputc('\n', out);
    char buf[128];
    for (size_t i = 0; i < m->nrows; i++) {
        for (size_t k = 0; k < NKEYS; k++) {
            const char *s;
            double d;
            if (k)
                fputc(',', out);
            if (row_value(&m->rows[i], k, &s, &d, buf, sizeof buf) == 's')
                csv_str(out, s);
            else if (isfinite(d))
                fprintf(out, "%.6g", d);
        }
        fputc('\n', out);
    }
}
