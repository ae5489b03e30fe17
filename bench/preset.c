/*
 * preset.c -- experiment presets (data/experiments/NAME.ini): an INI subset
 * parsed by a pure function over a buffer.  The grammar is in data/BENCH.md,
 * "Presets".  Every error names the file and line.
 */
#include "bench/bench.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "interp/object.h"     /* mem_alloc: aborts on out of memory */

static const char *const mode_names[BENCH_MODE__COUNT] = {"sequential", "threads", "processes"};
static const char *const gil_names[BENCH_GIL__COUNT] = {"legacy", "newgil", "priority", "fifo"};
static const char *const metric_names[BENCH_METRIC__COUNT] = {
    "wall", "cpu", "speedup", "wait_share", "switches_per_s", "failed_wakeups_per_s", "badness",
    "handoff_p50_us", "handoff_p99_us", "ops_per_s", "latency_us",
};

const char *bench_mode_name(int mode)
{
    return mode >= 0 && mode < BENCH_MODE__COUNT ? mode_names[mode] : "?";
}

const char *bench_gil_name(int gil)
{
    return gil >= 0 && gil < BENCH_GIL__COUNT ? gil_names[gil] : "?";
}

const char *bench_metric_name(int metric)
{
    return metric >= 0 && metric < BENCH_METRIC__COUNT ? metric_names[metric] : "?";
}

static int lookup(const char *s, size_t n, const char *const *names, int count)
{
    for (int i = 0; i < count; i++)
        if (strlen(names[i]) == n && memcmp(s, names[i], n) == 0)
            return i;
    return -1;
}

int bench_mode_parse(const char *s)
{
    return lookup(s, strlen(s), mode_names, BENCH_MODE__COUNT);
}

int bench_gil_parse(const char *s)
{
    return lookup(s, strlen(s), gil_names, BENCH_GIL__COUNT);
}

static char *dup_n(const char *s, size_t n)
{
    char *d = mem_alloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

void bench_axes_fini(BenchAxes *a)
{
    mem_free(a->workload);
    for (size_t i = 0; i < a->nargs; i++)
        mem_free(a->args[i]);
    mem_free(a->args);
    mem_free(a->threads_flag);
    memset(a, 0, sizeof *a);
}

static void sel_fini(BenchSel *s)
{
    mem_free(s->workload);
    s->workload = NULL;
}

void bench_preset_fini(BenchPreset *p)
{
    mem_free(p->name);
    mem_free(p->title);
    mem_free(p->published);
    mem_free(p->why);
    for (size_t i = 0; i < p->nmatrices; i++)
        bench_axes_fini(&p->matrices[i]);
    mem_free(p->matrices);
    for (size_t i = 0; i < p->nchecks; i++) {
        mem_free(p->checks[i].name);
        mem_free(p->checks[i].published);
        sel_fini(&p->checks[i].left);
        sel_fini(&p->checks[i].right);
    }
    mem_free(p->checks);
    memset(p, 0, sizeof *p);
}

/* The parser's state: where it is, and where to put an error. */
typedef struct Ctx {
    const char *name;
    int line;
    char *err;
    size_t errsize;
} Ctx;

static int fail(Ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(Ctx *c, const char *fmt, ...)
{
    int n = snprintf(c->err, c->errsize, "%s:%d: ", c->name, c->line);
    if (n < 0 || (size_t)n >= c->errsize)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err + n, c->errsize - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* A slice of the buffer. */
typedef struct Span {
    const char *p;
    size_t n;
} Span;

static Span trim(Span s)
{
    while (s.n && isspace((unsigned char)s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && isspace((unsigned char)s.p[s.n - 1]))
        s.n--;
    return s;
}

static bool span_eq(Span s, const char *lit)
{
    return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

/* Splits s at the next ',' (or whitespace when ws); returns false at the end. */
static bool next_item(Span *rest, Span *item, bool ws)
{
    Span r = trim(*rest);
    if (!r.n)
        return false;
    size_t i = 0;
    while (i < r.n && r.p[i] != ',' && !(ws && isspace((unsigned char)r.p[i])))
        i++;
    item->p = r.p;
    item->n = i;
    *item = trim(*item);
    rest->p = r.p + (i < r.n ? i + 1 : i);
    rest->n = r.n - (i < r.n ? i + 1 : i);
    return true;
}

static bool parse_num(Span s, double lo, double hi, double *out)
{
    char tmp[64];
    if (!s.n || s.n >= sizeof tmp)
        return false;
    memcpy(tmp, s.p, s.n);
    tmp[s.n] = 0;
    char *end;
    errno = 0;
    double d = strtod(tmp, &end);
    if (*end || errno || !isfinite(d) || d < lo || d > hi)
        return false;
    *out = d;
    return true;
}

static bool parse_long(Span s, long lo, long hi, long *out)
{
    double d;
    if (!parse_num(s, (double)lo, (double)hi, &d) || d != floor(d))
        return false;
    *out = (long)d;
    return true;
}

static int parse_modes(Ctx *c, Span v, BenchAxes *a)
{
    Span it;
    a->nmodes = 0;
    while (next_item(&v, &it, false)) {
        int m = lookup(it.p, it.n, mode_names, BENCH_MODE__COUNT);
        if (m < 0)
            return fail(c, "unknown mode '%.*s' (sequential, threads or processes)", (int)it.n, it.p);
        for (size_t i = 0; i < a->nmodes; i++)
            if (a->modes[i] == m)
                return fail(c, "mode '%.*s' listed twice", (int)it.n, it.p);
        a->modes[a->nmodes++] = m;
    }
    return a->nmodes ? 0 : fail(c, "modes needs at least one mode");
}

static int parse_gils(Ctx *c, Span v, BenchAxes *a)
{
    Span it;
    a->ngils = 0;
    while (next_item(&v, &it, false)) {
        int g = lookup(it.p, it.n, gil_names, BENCH_GIL__COUNT);
        if (g < 0)
            return fail(c, "unknown GIL policy '%.*s' (legacy, newgil, priority or fifo)", (int)it.n, it.p);
        for (size_t i = 0; i < a->ngils; i++)
            if (a->gils[i] == g)
                return fail(c, "policy '%.*s' listed twice", (int)it.n, it.p);
        a->gils[a->ngils++] = g;
    }
    return a->ngils ? 0 : fail(c, "gil needs at least one policy");
}

static int parse_threads(Ctx *c, Span v, BenchAxes *a)
{
    Span it;
    a->nthreads = 0;
    while (next_item(&v, &it, false)) {
        long t;
        if (a->nthreads == BENCH_MAX_AXIS)
            return fail(c, "more than %d thread counts", BENCH_MAX_AXIS);
        if (span_eq(it, "none"))
            t = -1;
        else if (!parse_long(it, 0, 4096, &t))
            return fail(c, "thread count '%.*s' is not a number from 0 to 4096 (or none)", (int)it.n, it.p);
        a->threads[a->nthreads++] = t;
    }
    return a->nthreads ? 0 : fail(c, "threads needs at least one count");
}

static int parse_cpus(Ctx *c, Span v, BenchAxes *a)
{
    Span it;
    a->ncpus = 0;
    while (next_item(&v, &it, false)) {
        long n;
        if (a->ncpus == BENCH_MAX_AXIS)
            return fail(c, "more than %d CPU counts", BENCH_MAX_AXIS);
        if (span_eq(it, "all"))
            n = 0;
        else if (!parse_long(it, 1, 4096, &n))
            return fail(c, "CPU count '%.*s' is not 'all' or a number from 1 to 4096", (int)it.n, it.p);
        a->cpus[a->ncpus++] = (int)n;
    }
    return a->ncpus ? 0 : fail(c, "cpus needs at least one count");
}

static int parse_si(Ctx *c, Span v, BenchAxes *a)
{
    Span it;
    a->nsi = 0;
    while (next_item(&v, &it, false)) {
        double d;
        if (a->nsi == BENCH_MAX_AXIS)
            return fail(c, "more than %d switch intervals", BENCH_MAX_AXIS);
        if (span_eq(it, "default"))
            d = 0;
        else if (!parse_num(it, 0.001, 10000, &d))
            return fail(c, "switch interval '%.*s' is not 'default' or milliseconds from 0.001 to 10000",
                        (int)it.n, it.p);
        a->si_ms[a->nsi++] = d;
    }
    return a->nsi ? 0 : fail(c, "switch_interval needs at least one value");
}

static int parse_args_list(Span v, BenchAxes *a)
{
    Span it;
    while (next_item(&v, &it, true)) {
        if (!it.n)
            continue;
        a->args = mem_realloc(a->args, (a->nargs + 1) * sizeof *a->args);
        a->args[a->nargs++] = dup_n(it.p, it.n);
    }
    return 0;
}

/* METRIC(key=value key=value ...) */
static int parse_sel(Ctx *c, Span *s, BenchSel *sel)
{
    Span r = trim(*s);
    size_t i = 0;
    while (i < r.n && (isalnum((unsigned char)r.p[i]) || r.p[i] == '_'))
        i++;
    if (!i)
        return fail(c, "expected a metric (wall, cpu, speedup, wait_share, ...) at '%.*s'", (int)(r.n > 20 ? 20 : r.n),
                    r.p);
    sel->metric = lookup(r.p, i, metric_names, BENCH_METRIC__COUNT);
    if (sel->metric < 0)
        return fail(c, "unknown metric '%.*s' (wall, cpu, speedup, wait_share, switches_per_s, "
                    "failed_wakeups_per_s, badness, handoff_p50_us, handoff_p99_us, ops_per_s, latency_us)",
                    (int)i, r.p);
    sel->runner = sel->mode = sel->gil = sel->cpus = -1;
    sel->threads = -2;
    sel->si_ms = -1;
    sel->workload = NULL;
    if (i >= r.n || r.p[i] != '(')
        return fail(c, "expected '(' after the metric '%.*s'", (int)i, r.p);
    const char *close = memchr(r.p + i, ')', r.n - i);
    if (!close)
        return fail(c, "missing ')' after '%.*s('", (int)i, r.p);
    Span body = {r.p + i + 1, (size_t)(close - (r.p + i + 1))};
    Span it;
    while (next_item(&body, &it, true)) {
        if (!it.n)
            continue;
        const char *eq = memchr(it.p, '=', it.n);
        if (!eq)
            return fail(c, "selector '%.*s' is not KEY=VALUE", (int)it.n, it.p);
        Span k = {it.p, (size_t)(eq - it.p)}, v = {eq + 1, it.n - (size_t)(eq - it.p) - 1};
        k = trim(k);
        v = trim(v);
        double d;
        long l;
        if (span_eq(k, "mode")) {
            if ((sel->mode = lookup(v.p, v.n, mode_names, BENCH_MODE__COUNT)) < 0)
                return fail(c, "unknown mode '%.*s' in a selector", (int)v.n, v.p);
        } else if (span_eq(k, "gil")) {
            if ((sel->gil = lookup(v.p, v.n, gil_names, BENCH_GIL__COUNT)) < 0)
                return fail(c, "unknown GIL policy '%.*s' in a selector", (int)v.n, v.p);
        } else if (span_eq(k, "runner")) {
            if (span_eq(v, "gilscope"))
                sel->runner = BENCH_RUNNER_GILSCOPE;
            else if (span_eq(v, "python"))
                sel->runner = BENCH_RUNNER_PYTHON;
            else
                return fail(c, "runner is gilscope or python, not '%.*s'", (int)v.n, v.p);
        } else if (span_eq(k, "threads")) {
            if (!parse_long(v, 0, 4096, &l))
                return fail(c, "threads=%.*s is not a count", (int)v.n, v.p);
            sel->threads = l;
        } else if (span_eq(k, "cpus")) {
            if (span_eq(v, "all"))
                sel->cpus = 0;
            else if (parse_long(v, 1, 4096, &l))
                sel->cpus = (int)l;
            else
                return fail(c, "cpus=%.*s is not 'all' or a count", (int)v.n, v.p);
        } else if (span_eq(k, "si")) {
            if (span_eq(v, "default"))
                sel->si_ms = 0;
            else if (parse_num(v, 0.001, 10000, &d))
                sel->si_ms = d;
            else
                return fail(c, "si=%.*s is not milliseconds", (int)v.n, v.p);
        } else if (span_eq(k, "workload")) {
            if (!v.n)
                return fail(c, "workload= needs a name");
            mem_free(sel->workload);
            sel->workload = dup_n(v.p, v.n);
        } else {
            return fail(c, "unknown selector key '%.*s' (mode, gil, threads, cpus, si, workload, runner)",
                        (int)k.n, k.p);
        }
    }
    s->p = close + 1;
    s->n = r.n - (size_t)(close + 1 - r.p);
    return 0;
}

/* shape = LEFT [/ RIGHT] OP NUMBER | published text */
static int parse_check(Ctx *c, Span v, BenchCheck *ck)
{
    memset(ck, 0, sizeof *ck);
    ck->line = c->line;
    Span pub = {"", 0};
    const char *bar = memchr(v.p, '|', v.n);
    if (bar) {
        pub.p = bar + 1;
        pub.n = v.n - (size_t)(bar + 1 - v.p);
        v.n = (size_t)(bar - v.p);
    }
    v = trim(v);
    pub = trim(pub);
    ck->name = dup_n(v.p, v.n);
    ck->published = dup_n(pub.p, pub.n);
    Span s = v;
    if (parse_sel(c, &s, &ck->left) < 0)
        return -1;
    s = trim(s);
    if (s.n && s.p[0] == '/') {
        s.p++;
        s.n--;
        if (parse_sel(c, &s, &ck->right) < 0)
            return -1;
        ck->has_right = true;
        s = trim(s);
    }
    if (s.n >= 2 && memcmp(s.p, "in", 2) == 0 && (s.n == 2 || isspace((unsigned char)s.p[2]))) {
        Span r = trim((Span){s.p + 2, s.n - 2});
        const char *dots = NULL;
        for (size_t i = 0; i + 1 < r.n; i++)
            if (r.p[i] == '.' && r.p[i + 1] == '.') {
                dots = r.p + i;
                break;
            }
        if (!dots)
            return fail(c, "expected 'in LO..HI' after the metric");
        Span lo = trim((Span){r.p, (size_t)(dots - r.p)}), hi = trim((Span){dots + 2, r.n - (size_t)(dots + 2 - r.p)});
        if (!parse_num(lo, -1e300, 1e300, &ck->lo) || !parse_num(hi, -1e300, 1e300, &ck->hi) || ck->lo > ck->hi)
            return fail(c, "'in %.*s' is not a range LO..HI of numbers with LO <= HI", (int)r.n, r.p);
        ck->op = BENCH_OP_IN;
        return 0;
    }
    size_t oplen = 0;
    if (s.n >= 2 && s.p[0] == '<' && s.p[1] == '=')
        ck->op = BENCH_OP_LE, oplen = 2;
    else if (s.n >= 2 && s.p[0] == '>' && s.p[1] == '=')
        ck->op = BENCH_OP_GE, oplen = 2;
    else if (s.n >= 1 && s.p[0] == '<')
        ck->op = BENCH_OP_LT, oplen = 1;
    else if (s.n >= 1 && s.p[0] == '>')
        ck->op = BENCH_OP_GT, oplen = 1;
    else
        return fail(c, "expected a comparison (<, <=, >, >= NUMBER, or in LO..HI) after the metric%s",
                    s.n ? "" : ", found the end of the line");
    Span num = trim((Span){s.p + oplen, s.n - oplen});
    if (!parse_num(num, -1e300, 1e300, &ck->lo))
        return fail(c, "'%.*s' is not a number", (int)num.n, num.p);
    return 0;
}

enum { SEC_NONE, SEC_EXPERIMENT, SEC_MATRIX, SEC_SHAPE };

static int set_string(Ctx *c, char **dst, Span key, Span v)
{
    if (*dst)
        return fail(c, "'%.*s' given twice", (int)key.n, key.p);
    *dst = dup_n(v.p, v.n);
    return 0;
}

/* Which keys of the current [matrix] section were seen (duplicates are errors). */
enum { SEEN_WORKLOAD = 1, SEEN_ARGS = 2, SEEN_MODES = 4, SEEN_GIL = 8, SEEN_THREADS = 16, SEEN_CPUS = 32,
       SEEN_SI = 64, SEEN_FLAG = 128, SEEN_ORDER = 256, SEEN_REPEAT = 512 };

static int once(Ctx *c, unsigned *seen, unsigned bit, Span key)
{
    if (*seen & bit)
        return fail(c, "'%.*s' given twice", (int)key.n, key.p);
    *seen |= bit;
    return 0;
}

static int matrix_line(Ctx *c, BenchAxes *a, unsigned *seen, Span k, Span v)
{
    if (span_eq(k, "workload")) {
        if (once(c, seen, SEEN_WORKLOAD, k) < 0)
            return -1;
        if (!v.n)
            return fail(c, "workload needs a file name");
        a->workload = dup_n(v.p, v.n);
        return 0;
    }
    if (span_eq(k, "args"))
        return once(c, seen, SEEN_ARGS, k) < 0 ? -1 : parse_args_list(v, a);
    if (span_eq(k, "modes"))
        return once(c, seen, SEEN_MODES, k) < 0 ? -1 : parse_modes(c, v, a);
    if (span_eq(k, "gil"))
        return once(c, seen, SEEN_GIL, k) < 0 ? -1 : parse_gils(c, v, a);
    if (span_eq(k, "threads"))
        return once(c, seen, SEEN_THREADS, k) < 0 ? -1 : parse_threads(c, v, a);
    if (span_eq(k, "cpus"))
        return once(c, seen, SEEN_CPUS, k) < 0 ? -1 : parse_cpus(c, v, a);
    if (span_eq(k, "switch_interval"))
        return once(c, seen, SEEN_SI, k) < 0 ? -1 : parse_si(c, v, a);
    if (span_eq(k, "threads_flag")) {
        if (once(c, seen, SEEN_FLAG, k) < 0)
            return -1;
        for (size_t i = 0; i < v.n; i++)
            if (!isalnum((unsigned char)v.p[i]) && v.p[i] != '-' && v.p[i] != '_')
                return fail(c, "threads_flag '%.*s' must be a bare option name such as threads or cpu-threads",
                            (int)v.n, v.p);
        if (!v.n)
            return fail(c, "threads_flag needs an option name");
        a->threads_flag = dup_n(v.p, v.n);
        return 0;
    }
    return fail(c, "unknown key '%.*s' in [matrix] (workload, args, modes, gil, threads, threads_flag, cpus, "
                "switch_interval)", (int)k.n, k.p);
}

int bench_preset_parse(const char *buf, size_t len, const char *name, BenchPreset *out, char *err,
                       size_t errsize)
{
    Ctx c = {name, 0, err, errsize};
    BenchPreset p;
    memset(&p, 0, sizeof p);
    memset(out, 0, sizeof *out);
    int sec = SEC_NONE, sec_line = 0;
    unsigned seen = 0, exp_seen = 0;
    bool had_experiment = false;
    size_t pos = 0;
    while (pos < len) {
        c.line++;
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) : len;
        Span line = {buf + pos, end - pos};
        pos = nl ? end + 1 : len;
        if (memchr(line.p, 0, line.n)) {
            fail(&c, "a NUL byte (is this a text file?)");
            goto err;
        }
        line = trim(line);
        if (!line.n || line.p[0] == '#' || line.p[0] == ';')
            continue;
        if (line.p[0] == '[') {
            if (line.p[line.n - 1] != ']') {
                fail(&c, "a section header must end with ']'");
                goto err;
            }
            Span s = trim((Span){line.p + 1, line.n - 2});
            if (sec == SEC_MATRIX && !p.matrices[p.nmatrices - 1].workload) {
                c.line = sec_line;
                fail(&c, "[matrix] has no workload");
                goto err;
            }
            sec_line = c.line;
            if (span_eq(s, "experiment")) {
                if (had_experiment) {
                    fail(&c, "a second [experiment] section");
                    goto err;
                }
                had_experiment = true;
                sec = SEC_EXPERIMENT;
            } else if (span_eq(s, "matrix")) {
                p.matrices = mem_realloc(p.matrices, (p.nmatrices + 1) * sizeof *p.matrices);
                memset(&p.matrices[p.nmatrices++], 0, sizeof *p.matrices);
                seen = 0;
                sec = SEC_MATRIX;
            } else if (span_eq(s, "shape")) {
                sec = SEC_SHAPE;
            } else {
                fail(&c, "unknown section [%.*s] (experiment, matrix or shape)", (int)s.n, s.p);
                goto err;
            }
            continue;
        }
        const char *eq = memchr(line.p, '=', line.n);
        if (!eq) {
            fail(&c, "expected KEY = VALUE or a [section], not '%.*s'", (int)(line.n > 40 ? 40 : line.n), line.p);
            goto err;
        }
        Span k = trim((Span){line.p, (size_t)(eq - line.p)});
        Span v = trim((Span){eq + 1, line.n - (size_t)(eq + 1 - line.p)});
        if (!k.n) {
            fail(&c, "a line starting with '=' has no key");
            goto err;
        }
        switch (sec) {
        case SEC_NONE:
            fail(&c, "'%.*s' before any [section] (start with [experiment])", (int)k.n, k.p);
            goto err;
        case SEC_EXPERIMENT:
            if (span_eq(k, "name")) {
                for (size_t i = 0; i < v.n; i++)
                    if (!isalnum((unsigned char)v.p[i]) && v.p[i] != '-' && v.p[i] != '_') {
                        fail(&c, "name '%.*s' may hold only letters, digits, '-' and '_'", (int)v.n, v.p);
                        goto err;
                    }
                if (!v.n) {
                    fail(&c, "name is empty");
                    goto err;
                }
                if (set_string(&c, &p.name, k, v) < 0)
                    goto err;
            } else if (span_eq(k, "title")) {
                if (set_string(&c, &p.title, k, v) < 0)
                    goto err;
            } else if (span_eq(k, "published")) {
                if (set_string(&c, &p.published, k, v) < 0)
                    goto err;
            } else if (span_eq(k, "why")) {
                if (set_string(&c, &p.why, k, v) < 0)
                    goto err;
            } else if (span_eq(k, "order")) {
                long o;
                if (once(&c, &exp_seen, SEEN_ORDER, k) < 0)
                    goto err;
                if (!parse_long(v, 0, 1000000, &o)) {
                    fail(&c, "order '%.*s' is not a number from 0 to 1000000", (int)v.n, v.p);
                    goto err;
                }
                p.order = (int)o;
            } else if (span_eq(k, "repeat")) {
                long r;
                if (once(&c, &exp_seen, SEEN_REPEAT, k) < 0)
                    goto err;
                if (!parse_long(v, 1, 1000, &r)) {
                    fail(&c, "repeat '%.*s' is not a number from 1 to 1000", (int)v.n, v.p);
                    goto err;
                }
                p.repeat = (int)r;
            } else {
                fail(&c, "unknown key '%.*s' in [experiment] (name, title, published, why, order, repeat)",
                     (int)k.n, k.p);
                goto err;
            }
            break;
        case SEC_MATRIX:
            if (matrix_line(&c, &p.matrices[p.nmatrices - 1], &seen, k, v) < 0)
                goto err;
            break;
        case SEC_SHAPE:
            if (!span_eq(k, "check")) {
                fail(&c, "unknown key '%.*s' in [shape] (check)", (int)k.n, k.p);
                goto err;
            }
            p.checks = mem_realloc(p.checks, (p.nchecks + 1) * sizeof *p.checks);
            if (parse_check(&c, v, &p.checks[p.nchecks]) < 0) {
                p.nchecks++;
                goto err;
            }
            p.nchecks++;
            break;
        }
    }
    if (sec == SEC_MATRIX && !p.matrices[p.nmatrices - 1].workload) {
        c.line = sec_line;
        fail(&c, "[matrix] has no workload");
        goto err;
    }
    c.line = c.line ? c.line : 1;
    if (!had_experiment) {
        fail(&c, "no [experiment] section");
        goto err;
    }
    if (!p.name) {
        fail(&c, "[experiment] has no name");
        goto err;
    }
    if (!p.nmatrices) {
        fail(&c, "no [matrix] section: nothing to run");
        goto err;
    }
    *out = p;
    return 0;
err:
    bench_preset_fini(&p);
    return -1;
}
