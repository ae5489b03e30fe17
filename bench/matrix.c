/*
 * matrix.c -- the configuration matrix of `gilscope bench` and its runner.
 *
 * Each run is a child process, `gilscope run -q -o TRACE ...` (or a CPython
 * on the same file), timed from outside: wall time is CLOCK_MONOTONIC
 * around fork..wait4, CPU time is wait4's rusage (user + system, children
 * of the child included).  Its stdout goes to /dev/null, its stderr to a
 * file parsed for the workload's own figures (data/BENCH.md, "Workload
 * figures"), its trace is read back for the GIL statistics.  Repeats are
 * interleaved (every row once, then every row again) so that a slow spell
 * of the machine hits every configuration alike.
 */
#include "bench/bench.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sched.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/stats.h"
#include "interp/object.h"     /* mem_alloc */
#include "viz/trace_read.h"

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = mem_alloc(n);
    memcpy(d, s, n);
    return d;
}

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = mem_alloc((size_t)(n > 0 ? n : 0) + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);
    return s;
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* "countdown" for ".../countdown.py" into buf. */
static void workload_stem(const char *path, char *buf, size_t size)
{
    snprintf(buf, size, "%s", base_name(path));
    size_t n = strlen(buf);
    if (n > 3 && strcmp(buf + n - 3, ".py") == 0)
        buf[n - 3] = 0;
}

static BenchRow *row_new(BenchMatrix *m)
{
    if (m->nrows == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->rows = mem_realloc(m->rows, m->cap * sizeof *m->rows);
    }
    BenchRow *r = &m->rows[m->nrows++];
    memset(r, 0, sizeof *r);
    return r;
}

/* The child's argv: gilscope run -q [options] W [ARGS] [--FLAG=N], or
 * PYTHON W [ARGS] [--FLAG=N]. */
static void row_build(BenchMatrix *m, BenchRow *r, const BenchAxes *a)
{
    const char *flag = a->threads_flag ? a->threads_flag : "threads";
    char **v = mem_alloc((a->nargs + 20) * sizeof *v);
    size_t n = 0;
    if (r->runner == BENCH_RUNNER_PYTHON) {
        v[n++] = xstrdup(m->python);
    } else {
        v[n++] = xstrdup(m->self_exe);
        v[n++] = xstrdup("run");
        v[n++] = xstrdup("-q");
        v[n++] = xstrdup("--mode");
        v[n++] = xstrdup(bench_mode_name(r->mode));
        v[n++] = xstrdup("--gil");
        v[n++] = xstrdup(bench_gil_name(r->gil));
        if (r->cpus > 0) {
            v[n++] = xstrdup("--cpus");
            v[n++] = xprintf("%d", r->cpus);
        }
        if (r->si_ms > 0) {
            v[n++] = xstrdup("--switch-interval");
            v[n++] = xprintf("%g", r->si_ms);
        }
        /* -o TRACE is filled in per run (two slots reserved) */
        v[n++] = xstrdup("-o");
        v[n++] = xstrdup("");
    }
    v[n++] = xstrdup(a->workload);
    size_t alen = 0;
    for (size_t i = 0; i < a->nargs; i++) {
        v[n++] = xstrdup(a->args[i]);
        alen += strlen(a->args[i]) + 1;
    }
    if (r->threads >= 0)
        v[n++] = xprintf("--%s=%ld", flag, r->threads);
    v[n] = NULL;
    r->argv = v;
    r->args = mem_alloc(alen + 1);
    r->args[0] = 0;
    for (size_t i = 0; i < a->nargs; i++) {
        if (i)
            strcat(r->args, " ");
        strcat(r->args, a->args[i]);
    }
    char stem[64], cpus[24] = "", si[32] = "", th[48] = "";
    workload_stem(a->workload, stem, sizeof stem);
    if (r->cpus > 0)
        snprintf(cpus, sizeof cpus, " cpus=%d", r->cpus);
    if (r->si_ms > 0)
        snprintf(si, sizeof si, " si=%gms", r->si_ms);
    if (r->threads >= 0)
        snprintf(th, sizeof th, " %s=%ld", a->threads_flag ? a->threads_flag : "t", r->threads);
    if (r->runner == BENCH_RUNNER_PYTHON)
        r->label = xprintf("%s %s%s%s", stem, base_name(m->python), th, cpus);
    else
        r->label = xprintf("%s %s %s%s%s%s", stem, bench_mode_name(r->mode), bench_gil_name(r->gil), th, cpus, si);
}

void bench_matrix_add(BenchMatrix *m, const BenchAxes *a, const char *experiment)
{
    static const int def_mode = BENCH_MODE_THREADS, def_gil = BENCH_GIL_NEWGIL;
    static const long def_threads = 2;
    static const int def_cpus = 0;
    static const double def_si = 0;
    const int *modes = a->nmodes ? a->modes : &def_mode;
    const int *gils = a->ngils ? a->gils : &def_gil;
    const long *threads = a->nthreads ? a->threads : &def_threads;
    const int *cpus = a->ncpus ? a->cpus : &def_cpus;
    const double *sis = a->nsi ? a->si_ms : &def_si;
    size_t nm = a->nmodes ? a->nmodes : 1, ng = a->ngils ? a->ngils : 1, nt = a->nthreads ? a->nthreads : 1;
    size_t nc = a->ncpus ? a->ncpus : 1, ns = a->nsi ? a->nsi : 1;
    for (size_t t = 0; t < nt; t++)
        for (size_t c = 0; c < nc; c++) {
            for (size_t s = 0; s < ns; s++)
                for (size_t g = 0; g < ng; g++)
                    for (size_t mo = 0; mo < nm; mo++) {
                        BenchRow *r = row_new(m);
                        r->experiment = experiment;
                        r->workload = a->workload;
                        r->runner = BENCH_RUNNER_GILSCOPE;
                        r->mode = modes[mo];
                        r->gil = gils[g];
                        r->threads = threads[t];
                        r->cpus = cpus[c];
                        r->si_ms = sis[s];
                        row_build(m, r, a);
                    }
            if (m->python) {
                BenchRow *r = row_new(m);
                r->experiment = experiment;
                r->workload = a->workload;
                r->runner = BENCH_RUNNER_PYTHON;
                r->mode = BENCH_MODE_THREADS;
                r->gil = -1;
                r->threads = threads[t];
                r->cpus = cpus[c];
                r->si_ms = 0;
                row_build(m, r, a);
            }
        }
}

void bench_matrix_fini(BenchMatrix *m)
{
    for (size_t i = 0; i < m->nrows; i++) {
        BenchRow *r = &m->rows[i];
        for (char **v = r->argv; v && *v; v++)
            mem_free(*v);
        mem_free(r->argv);
        mem_free(r->args);
        mem_free(r->label);
        mem_free(r->reps);
        mem_free(r->error);
    }
    mem_free(m->rows);
    m->rows = NULL;
    m->nrows = m->cap = 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Restricts the calling process to its first n allowed CPUs. */
static void pin_first_cpus(int n)
{
    cpu_set_t cur, set;
    if (sched_getaffinity(0, sizeof cur, &cur) != 0)
        return;
    CPU_ZERO(&set);
    int taken = 0;
    for (int c = 0; c < CPU_SETSIZE && taken < n; c++)
        if (CPU_ISSET(c, &cur)) {
            CPU_SET(c, &set);
            taken++;
        }
    sched_setaffinity(0, sizeof set, &set);
}

/* Reads at most max bytes of a small file into a NUL-terminated buffer. */
static char *read_small(const char *path, size_t max)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char *buf = mem_alloc(max + 1);
    size_t n = 0;
    for (;;) {
        ssize_t got = read(fd, buf + n, max - n);
        if (got <= 0)
            break;
        n += (size_t)got;
        if (n == max)
            break;
    }
    close(fd);
    buf[n] = 0;
    return buf;
}

/* The number just before " per second" / " us each" on one line. */
static bool number_before(const char *line, const char *end, const char *needle, double *out)
{
    size_t nl = strlen(needle);
    for (const char *p = line; p + nl <= end; p++) {
        if (memcmp(p, needle, nl) != 0)
            continue;
        const char *q = p;
        while (q > line && (q[-1] == '.' || (q[-1] >= '0' && q[-1] <= '9') || q[-1] == 'e' || q[-1] == '+'))
            q--;
        if (q == p)
            continue;
        *out = strtod(q, NULL);
        return true;
    }
    return false;
}

/* The workload's own figures (data/BENCH.md): a "bench: key=value ..."
 * line wins; otherwise "N per second" and "U us each" anywhere. */
static void parse_figures(const char *text, BenchRep *rep)
{
    rep->ops_per_s = rep->lat_mean_us = rep->lat_p50_us = rep->lat_p99_us = -1;
    double ops = -1, each = -1;
    bool bench_line = false;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        if (!end)
            end = line + strlen(line);
        if (strncmp(line, "bench:", 6) == 0) {
            bench_line = true;
            const char *p = line + 6;
            while (p < end) {
                while (p < end && *p == ' ')
                    p++;
                const char *eq = memchr(p, '=', (size_t)(end - p));
                if (!eq)
                    break;
                char key[32];
                size_t kl = (size_t)(eq - p);
                snprintf(key, sizeof key, "%.*s", (int)(kl < 31 ? kl : 31), p);
                char *vend;
                double v = strtod(eq + 1, &vend);
                if (vend != eq + 1) {
                    if (strcmp(key, "ops_per_s") == 0)
                        rep->ops_per_s = v;
                    else if (strcmp(key, "latency_mean_us") == 0)
                        rep->lat_mean_us = v;
                    else if (strcmp(key, "latency_p50_us") == 0)
                        rep->lat_p50_us = v;
                    else if (strcmp(key, "latency_p99_us") == 0)
                        rep->lat_p99_us = v;
                }
                p = vend;
                while (p < end && *p != ' ')
                    p++;
            }
        } else {
            double v;
            if (number_before(line, end, " per second", &v))
                ops = v;
            if (number_before(line, end, " us each", &v))
                each = v;
        }
        line = *end ? end + 1 : end;
    }
    if (!bench_line) {
        rep->ops_per_s = ops;
        rep->lat_mean_us = each;
    }
}

/* The last non-empty line of text, for a failure's message. */
static void last_line(const char *text, char *out, size_t size)
{
    const char *end = text + strlen(text);
    while (end > text && (end[-1] == '\n' || end[-1] == ' '))
        end--;
    const char *start = end;
    while (start > text && start[-1] != '\n')
        start--;
    snprintf(out, size, "%.*s", (int)(end - start), start);
}

static void read_trace_stats(const char *path, BenchRep *rep)
{
    TraceFile *tf = NULL;
    char err[256];
    if (trace_read_file(path, &tf, err, sizeof err) != TRACE_READ_OK)
        return;
    Stats *s = stats_compute(tf);
    if (s && s->nruns) {
        uint64_t run = 0, wait = 0, sw = 0, failed = 0, checks = 0, wall = 0;
        for (size_t i = 0; i < s->nruns; i++) {
            const StatsRun *sr = &s->runs[i];
            run += sr->run_ns;
            wait += sr->wait_ns;
            sw += sr->switches;
            failed += sr->failed_wakeups;
            checks += sr->checks;
            wall += sr->wall_ns;
        }
        double wall_s = wall ? wall / 1e9 : rep->wall_s;
        rep->has_stats = true;
        rep->wait_share = run + wait ? (double)wait / (double)(run + wait) : 0;
        rep->switches_per_s = wall_s > 0 ? sw / wall_s : 0;
        rep->failed_per_s = wall_s > 0 ? failed / wall_s : 0;
        rep->badness = checks ? (double)failed / (double)checks : 0;
        const StatsDist *h = &s->runs[0].handoff;
        rep->handoff_p50_us = h->n ? h->p50 / 1e3 : NAN;
        rep->handoff_p99_us = h->n ? h->p99 / 1e3 : NAN;
    }
    stats_free(s);
    trace_file_free(tf);
}

/* Waits for pid at most timeout_s (kills it then); fills status, rusage. */
static int wait_child(pid_t pid, double timeout_s, int *status, struct rusage *ru, bool *timed_out)
{
    *timed_out = false;
#ifdef SYS_pidfd_open
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pfd >= 0) {
        struct pollfd p = {.fd = pfd, .events = POLLIN};
        int ms = timeout_s > 0 ? (int)(timeout_s * 1000) : -1;
        int rc;
        do
            rc = poll(&p, 1, ms);
        while (rc < 0 && errno == EINTR);
        if (rc == 0) {
            kill(pid, SIGKILL);
            *timed_out = true;
        }
        close(pfd);
    }
#else
    (void)timeout_s;
#endif
    pid_t got;
    do
        got = wait4(pid, status, 0, ru);
    while (got < 0 && errno == EINTR);
    return got == pid ? 0 : -1;
}

static void run_one(BenchMatrix *m, BenchRow *r, size_t rep_i, const char *dir)
{
    BenchRep *rep = &r->reps[rep_i];
    memset(rep, 0, sizeof *rep);
    rep->done = true;
    rep->handoff_p50_us = rep->handoff_p99_us = NAN;
    char stem[64];
    workload_stem(r->workload, stem, sizeof stem);
    size_t idx = (size_t)(r - m->rows);
    char *trace = NULL;
    if (r->runner == BENCH_RUNNER_GILSCOPE) {
        /* a name that says what it is: kept traces are meant to be found */
        char *lab = xprintf("%s/%03zu-%s-%s-%s-t%ld-c%d-si%g-r%zu.gilt", dir, idx, stem, bench_mode_name(r->mode),
                            bench_gil_name(r->gil), r->threads, r->cpus, r->si_ms, rep_i + 1);
        trace = lab;
        for (char **v = r->argv; *v; v++)
            if (strcmp(*v, "-o") == 0) {
                mem_free(v[1]);
                v[1] = xstrdup(trace);
                break;
            }
    }
    char *errpath = xprintf("%s/.stderr-%d", dir, (int)getpid());
    int efd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (efd < 0) {
        snprintf(rep->err, sizeof rep->err, "cannot create %s: %s", errpath, strerror(errno));
        mem_free(errpath);
        mem_free(trace);
        return;
    }
    fflush(NULL);
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        int nul = open("/dev/null", O_RDWR);
        if (nul >= 0) {
            dup2(nul, 0);
            dup2(nul, 1);
        }
        dup2(efd, 2);
        if (r->runner == BENCH_RUNNER_PYTHON && r->cpus > 0)
            pin_first_cpus(r->cpus);
        execvp(r->argv[0], r->argv);
        fprintf(stderr, "cannot run %s: %s\n", r->argv[0], strerror(errno));
        _exit(127);
    }
    close(efd);
    if (pid < 0) {
        snprintf(rep->err, sizeof rep->err, "fork: %s", strerror(errno));
        unlink(errpath);
        mem_free(errpath);
        mem_free(trace);
        return;
    }
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    bool timed_out;
    wait_child(pid, m->timeout_s, &status, &ru, &timed_out);
    rep->wall_s = now_s() - t0;
    rep->cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                 ru.ru_stime.tv_usec / 1e6;
    rep->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    char *text = read_small(errpath, 1 << 16);
    unlink(errpath);
    mem_free(errpath);
    if (text)
        parse_figures(text, rep);
    if (timed_out) {
        snprintf(rep->err, sizeof rep->err, "killed after the %g s timeout", m->timeout_s);
    } else if (rep->status != 0) {
        char last[120] = "";
        if (text)
            last_line(text, last, sizeof last);
        snprintf(rep->err, sizeof rep->err, "exit %d%s%s", rep->status, last[0] ? ": " : "", last);
    } else {
        rep->ok = true;
    }
    mem_free(text);
    if (trace) {
        if (rep->ok)
            read_trace_stats(trace, rep);
        if (!m->keep_traces)
            unlink(trace);
        mem_free(trace);
    }
}

static void rm_dir(const char *dir)
{
    /* only what run_one may have left: nothing but the directory itself */
    rmdir(dir);
}

int bench_matrix_run(BenchMatrix *m, char *err, size_t errsize)
{
    char tmpl[4096];
    const char *dir;
    if (m->keep_traces) {
        /* mkdir -p */
        char *path = xstrdup(m->keep_traces);
        for (char *q = path + 1; *q; q++)
            if (*q == '/') {
                *q = 0;
                mkdir(path, 0777);
                *q = '/';
            }
        mem_free(path);
        if (mkdir(m->keep_traces, 0777) != 0 && errno != EEXIST) {
            snprintf(err, errsize, "cannot create %s: %s", m->keep_traces, strerror(errno));
            return -1;
        }
        dir = m->keep_traces;
    } else {
        const char *t = getenv("TMPDIR");
        snprintf(tmpl, sizeof tmpl, "%s/gilscope-bench.XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(tmpl)) {
            snprintf(err, errsize, "cannot create a temporary directory %s: %s", tmpl, strerror(errno));
            return -1;
        }
        dir = tmpl;
    }
    size_t repeat = m->repeat ? m->repeat : 1, total = repeat * m->nrows, done = 0;
    for (size_t i = 0; i < m->nrows; i++) {
        m->rows[i].reps = mem_alloc(repeat * sizeof(BenchRep));
        memset(m->rows[i].reps, 0, repeat * sizeof(BenchRep));
        m->rows[i].nreps = repeat;
    }
    double start = now_s();
    for (size_t k = 0; k < repeat; k++)
        for (size_t i = 0; i < m->nrows; i++) {
            if (m->progress) {
                double el = now_s() - start;
                char eta[32] = "";
                if (done)
                    snprintf(eta, sizeof eta, ", ETA %.0f s", el / (double)done * (double)(total - done));
                fprintf(stderr, "\r\033[K[%zu/%zu] %s (repeat %zu/%zu)%s", done + 1, total, m->rows[i].label, k + 1,
                        repeat, eta);
                fflush(stderr);
            }
            run_one(m, &m->rows[i], k, dir);
            done++;
        }
    if (m->progress) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
    if (!m->keep_traces)
        rm_dir(dir);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The median of the finite values among v[0..n) (sorted in place), NAN if none. */
static double median(double *v, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]) && v[i] >= 0)
            v[k++] = v[i];
    if (!k)
        return NAN;
    qsort(v, k, sizeof *v, cmp_double);
    return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

/* The median over the successful repeats of the double at offset off of
 * BenchRep (only those with trace statistics when stats). */
static double rep_median(const BenchRow *r, size_t off, bool stats, double *vals)
{
    size_t n = 0;
    for (size_t k = 0; k < r->nreps; k++) {
        const BenchRep *p = &r->reps[k];
        if (p->ok && (!stats || p->has_stats))
            vals[n++] = *(const double *)((const char *)p + off);
    }
    return median(vals, n);
}

/* The sequential run of the same workload: same runner, workload, args,
 * threads, CPUs and interval; the same policy if there is one. */
static const BenchRow *find_sequential(const BenchMatrix *m, const BenchRow *r)
{
    const BenchRow *any = NULL;
    if (r->runner != BENCH_RUNNER_GILSCOPE)
        return NULL;
    for (size_t i = 0; i < m->nrows; i++) {
        const BenchRow *s = &m->rows[i];
        if (s->runner != BENCH_RUNNER_GILSCOPE || s->mode != BENCH_MODE_SEQUENTIAL || s->experiment != r->experiment ||
            strcmp(s->workload, r->workload) || strcmp(s->args, r->args) || s->threads != r->threads ||
            s->cpus != r->cpus || s->si_ms != r->si_ms || !isfinite(s->wall))
            continue;
        if (s->gil == r->gil)
            return s;
        if (!any)
            any = s;
    }
    return any;
}

void bench_matrix_summarise(BenchMatrix *m)
{
    for (size_t i = 0; i < m->nrows; i++) {
        BenchRow *r = &m->rows[i];
        double *vals = mem_alloc((r->nreps + 1) * sizeof *vals);
        r->ok_runs = 0;
        r->wall_min = r->wall_max = NAN;
        for (size_t k = 0; k < r->nreps; k++) {
            BenchRep *p = &r->reps[k];
            if (p->ok) {
                r->ok_runs++;
                if (!(p->wall_s >= r->wall_min))
                    r->wall_min = isfinite(r->wall_min) ? fmin(r->wall_min, p->wall_s) : p->wall_s;
                if (!(p->wall_s <= r->wall_max))
                    r->wall_max = isfinite(r->wall_max) ? fmax(r->wall_max, p->wall_s) : p->wall_s;
            } else if (p->done && !r->error) {
                r->error = xstrdup(p->err[0] ? p->err : "failed");
            }
        }
        r->wall = rep_median(r, offsetof(BenchRep, wall_s), false, vals);
        r->cpu = rep_median(r, offsetof(BenchRep, cpu_s), false, vals);
        r->wait_share = rep_median(r, offsetof(BenchRep, wait_share), true, vals);
        r->switches_per_s = rep_median(r, offsetof(BenchRep, switches_per_s), true, vals);
        r->failed_per_s = rep_median(r, offsetof(BenchRep, failed_per_s), true, vals);
        r->badness = rep_median(r, offsetof(BenchRep, badness), true, vals);
        r->handoff_p50_us = rep_median(r, offsetof(BenchRep, handoff_p50_us), true, vals);
        r->handoff_p99_us = rep_median(r, offsetof(BenchRep, handoff_p99_us), true, vals);
        r->ops_per_s = rep_median(r, offsetof(BenchRep, ops_per_s), false, vals);
        r->lat_mean_us = rep_median(r, offsetof(BenchRep, lat_mean_us), false, vals);
        r->lat_p50_us = rep_median(r, offsetof(BenchRep, lat_p50_us), false, vals);
        r->lat_p99_us = rep_median(r, offsetof(BenchRep, lat_p99_us), false, vals);
        mem_free(vals);
    }
    /* speedups need every row's median wall time first */
    for (size_t i = 0; i < m->nrows; i++) {
        BenchRow *r = &m->rows[i];
        r->speedup = r->speedup_min = r->speedup_max = NAN;
        const BenchRow *s = find_sequential(m, r);
        if (!s || !isfinite(r->wall) || r->wall <= 0)
            continue;
        r->speedup = s->wall / r->wall;
        r->speedup_min = s->wall / r->wall_max;
        r->speedup_max = s->wall / r->wall_min;
    }
}

double bench_row_metric(const BenchRow *r, int metric)
{
    switch (metric) {
    case BENCH_METRIC_WALL: return r->wall;
    case BENCH_METRIC_CPU: return r->cpu;
    case BENCH_METRIC_SPEEDUP: return r->speedup;
    case BENCH_METRIC_WAIT_SHARE: return r->wait_share;
    case BENCH_METRIC_SWITCHES: return r->switches_per_s;
    case BENCH_METRIC_FAILED: return r->failed_per_s;
    case BENCH_METRIC_BADNESS: return r->badness;
    case BENCH_METRIC_HANDOFF_P50: return r->handoff_p50_us;
    case BENCH_METRIC_HANDOFF_P99: return r->handoff_p99_us;
    case BENCH_METRIC_OPS: return r->ops_per_s;
    case BENCH_METRIC_LATENCY: return isfinite(r->lat_p50_us) ? r->lat_p50_us : r->lat_mean_us;
    }
    return NAN;
}

