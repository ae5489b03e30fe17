/*
 * bench_cmd.c -- the command line of `gilscope bench` (data/BENCH.md):
 * options to axes, experiment presets to matrices, results to the table,
 * JSON, CSV, chart and shape checks.
 */
#include "bench/bench.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "interp/object.h"     /* mem_alloc */

enum { EX_OK = 0, EX_USAGE = 64, EX_DATAERR = 65, EX_SOFTWARE = 70, EX_IOERR = 74 };

static void bench_usage(FILE *out)
{
    fputs("usage: gilscope bench [W.py ...] [options] [-- WORKLOAD ARGS...]\n"
          "       gilscope bench --experiment NAME|all|FILE.ini [options]\n"
          "\n"
          "Runs every configuration of a matrix --repeat times (interleaved), each as a\n"
          "child `gilscope run`, and prints wall time (median [min-max]), CPU time,\n"
          "speedup against the sequential run, and GIL statistics from its trace.\n"
          "Without W.py: data/workloads/countdown.py.\n"
          "\n"
          "options (LIST is comma-separated):\n"
          "  --modes LIST            sequential,threads,processes (default: all three)\n"
          "  --gil LIST              legacy,newgil,priority,fifo (default newgil)\n"
          "  --threads LIST          thread counts, passed as --threads=N (default 2)\n"
          "  --cpus LIST             all or CPU counts, e.g. all,1 (default all)\n"
          "  --switch-interval LIST  milliseconds (default: gilscope's 5)\n"
          "  --repeat K              runs per configuration (default 3)\n"
          "  --json | --csv          one row per configuration on stdout instead of the table\n"
          "  --chart FILE            a bar chart of the speedups: .png, .svg or .pdf\n"
          "  --keep-traces DIR       keep every run's trace in DIR\n"
          "  --python[=PYTHON]       CPython rows too (python3 if no PYTHON is given)\n"
          "  --experiment NAME       a preset of data/experiments (or a FILE.ini); all: every one\n"
          "  --list-experiments      the presets and their titles\n"
          "  --timeout S             kill a run after S seconds (default 300)\n"
          "  -h, --help              show this help\n"
          "\n"
          "Formats, presets and the workload figures convention: data/BENCH.md.\n",
          out);
}

static int usage_err(const char *fmt, const char *a, const char *b)
{
    fputs("gilscope bench: ", stderr);
    fprintf(stderr, fmt, a, b);
    fputs(" (see gilscope bench --help)\n", stderr);
    return EX_USAGE;
}

/* Parses a comma-separated option value through a one-line preset, so the
 * command line and presets accept exactly the same lists. */
static int parse_axis(BenchAxes *a, const char *key, const char *val, const char *opt)
{
    char buf[1024], err[300];
    int n = snprintf(buf, sizeof buf, "[experiment]\nname=x\n[matrix]\nworkload=x\n%s=%s\n", key, val);
    if (n < 0 || (size_t)n >= sizeof buf || strchr(val, '\n'))
        return usage_err("%s: value too long: '%s'", opt, val);
    BenchPreset p;
    if (bench_preset_parse(buf, (size_t)n, opt, &p, err, sizeof err) < 0) {
        const char *msg = strstr(err, ": ");
        msg = msg ? strstr(msg + 2, ": ") : NULL;
        return usage_err("%s: %s", opt, msg ? msg + 2 : err);
    }
    BenchAxes *src = &p.matrices[0];
    if (strcmp(key, "modes") == 0) {
        memcpy(a->modes, src->modes, sizeof a->modes);
        a->nmodes = src->nmodes;
    } else if (strcmp(key, "gil") == 0) {
        memcpy(a->gils, src->gils, sizeof a->gils);
        a->ngils = src->ngils;
    } else if (strcmp(key, "threads") == 0) {
        memcpy(a->threads, src->threads, sizeof a->threads);
        a->nthreads = src->nthreads;
    } else if (strcmp(key, "cpus") == 0) {
        memcpy(a->cpus, src->cpus, sizeof a->cpus);
        a->ncpus = src->ncpus;
    } else {
        memcpy(a->si_ms, src->si_ms, sizeof a->si_ms);
        a->nsi = src->nsi;
    }
    bench_preset_fini(&p);
    return 0;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = mem_alloc(n);
    memcpy(d, s, n);
    return d;
}

/* The data directory: $GILSCOPE_DATA, the executable's data/, ./data. */
static void find_data_dir(char *out, size_t size)
{
    const char *env = getenv("GILSCOPE_DATA");
    if (env && *env) {
        snprintf(out, size, "%s", env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            snprintf(out, size, "%.*s/data", (int)(size > 6 ? size - 6 : 0), exe);
            if (access(out, R_OK) == 0)
                return;
        }
    }
    snprintf(out, size, "data");
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = mem_alloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap)
            buf = mem_realloc(buf, cap *= 2);
    }
    bool bad = ferror(fp);
    fclose(fp);
    if (bad) {
        mem_free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* A loaded preset and the file it came from. */
typedef struct Loaded {
    BenchPreset p;
    char *path;
} Loaded;

static int load_preset(const char *path, Loaded *out)
{
    size_t len;
    char *buf = slurp(path, &len);
    if (!buf) {
        fprintf(stderr, "gilscope bench: cannot read the preset %s: %s\n", path, strerror(errno));
        return EX_IOERR;
    }
    char err[400];
    int rc = bench_preset_parse(buf, len, path, &out->p, err, sizeof err);
    mem_free(buf);
    if (rc < 0) {
        fprintf(stderr, "%s\n", err);
        return EX_DATAERR;
    }
    out->path = xstrdup(path);
    return 0;
}

static int cmp_loaded(const void *a, const void *b)
{
    const Loaded *x = a, *y = b;
    if (x->p.order != y->p.order)
        return x->p.order < y->p.order ? -1 : 1;
    return strcmp(x->p.name, y->p.name);
}

/* Every *.ini of dir, sorted by order then name. */
static int load_all(const char *dir, Loaded **out, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "gilscope bench: cannot open %s: %s\n", dir, strerror(errno));
        return EX_IOERR;
    }
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".ini") != 0 || e->d_name[0] == '.')
            continue;
        char path[PATH_MAX + 600];
        snprintf(path, sizeof path, "%.*s/%s", PATH_MAX, dir, e->d_name);
        *out = mem_realloc(*out, (*n + 1) * sizeof **out);
        if ((rc = load_preset(path, &(*out)[*n])) != 0)
            break;
        (*n)++;
    }
    closedir(d);
    if (rc == 0 && *n == 0) {
        fprintf(stderr, "gilscope bench: no presets (*.ini) in %s\n", dir);
        rc = EX_DATAERR;
    }
    if (rc == 0)
        qsort(*out, *n, sizeof **out, cmp_loaded);
    return rc;
}

/* Resolves a preset's workload: a bare name is in DATA/workloads, a path is
 * relative to the preset's directory. */
static void resolve_workload(BenchAxes *a, const char *preset_path, const char *data)
{
    if (a->workload[0] == '/')
        return;
    size_t size = strlen(data) + strlen(preset_path) + strlen(a->workload) + 16;
    char *buf = mem_alloc(size);
    if (!strchr(a->workload, '/')) {
        snprintf(buf, size, "%s/workloads/%s", data, a->workload);
    } else {
        const char *slash = strrchr(preset_path, '/');
        int dl = slash ? (int)(slash - preset_path) : 1;
        snprintf(buf, size, "%.*s/%s", dl, slash ? preset_path : ".", a->workload);
    }
    mem_free(a->workload);
    a->workload = buf;
}

/* Moves src's rows to the end of dst. */
static void matrix_append(BenchMatrix *dst, BenchMatrix *src)
{
    for (size_t i = 0; i < src->nrows; i++) {
        if (dst->nrows == dst->cap) {
            dst->cap = dst->cap ? dst->cap * 2 : 16;
            dst->rows = mem_realloc(dst->rows, dst->cap * sizeof *dst->rows);
        }
        dst->rows[dst->nrows++] = src->rows[i];
    }
    src->nrows = 0;
}

int bench_main(int argc, char **argv)
{
    BenchAxes cli;
    memset(&cli, 0, sizeof cli);
    int cli_modes[] = {BENCH_MODE_SEQUENTIAL, BENCH_MODE_THREADS, BENCH_MODE_PROCESSES};
    memcpy(cli.modes, cli_modes, sizeof cli_modes);
    cli.nmodes = 3;
    const char **workloads = mem_alloc((size_t)(argc + 1) * sizeof *workloads);
    size_t nworkloads = 0;
    char **wargs = NULL;
    size_t nwargs = 0;
    long repeat = 0;
    bool json = false, csv = false, list = false;
    const char *chart = NULL, *keep = NULL, *python = NULL, *experiment = NULL;
    double timeout = 300;
    int rc = EX_OK;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            wargs = argv + i + 1;
            nwargs = (size_t)(argc - i - 1);
            break;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            bench_usage(stdout);
            goto out;
        }
        if (strcmp(a, "--json") == 0) {
            json = true;
            continue;
        }
        if (strcmp(a, "--csv") == 0) {
            csv = true;
            continue;
        }
        if (strcmp(a, "--list-experiments") == 0) {
            list = true;
            continue;
        }
        if (strcmp(a, "--python") == 0) {
            python = "python3";
            continue;
        }
        if (strncmp(a, "--python=", 9) == 0) {
            python = a + 9;
            if (!*python) {
                rc = usage_err("%s%s: give a command, e.g. --python=python3.12", "--python=", "");
                goto out;
            }
            continue;
        }
        if (a[0] != '-' || a[1] == 0) {
            workloads[nworkloads++] = a;
            continue;
        }
        /* the options with a value: --opt VALUE or --opt=VALUE */
        static const char *const with_value[] = {"--modes", "--gil", "--threads", "--cpus", "--switch-interval",
                                                 "--repeat", "--chart", "--keep-traces", "--experiment",
                                                 "--timeout"};
        const char *opt = NULL, *val = NULL;
        char name[64];
        for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++) {
            size_t l = strlen(with_value[k]);
            if (strncmp(a, with_value[k], l) == 0 && (a[l] == 0 || a[l] == '=')) {
                opt = with_value[k];
                val = a[l] == '=' ? a + l + 1 : NULL;
            }
        }
        if (!opt) {
            rc = usage_err("unknown option '%s'%s", a, "");
            goto out;
        }
        if (!val) {
            if (i + 1 >= argc) {
                rc = usage_err("%s needs a value%s", opt, "");
                goto out;
            }
            val = argv[++i];
        }
        snprintf(name, sizeof name, "%s", opt);
        if (strcmp(opt, "--modes") == 0)
            rc = parse_axis(&cli, "modes", val, opt);
        else if (strcmp(opt, "--gil") == 0)
            rc = parse_axis(&cli, "gil", val, opt);
        else if (strcmp(opt, "--threads") == 0)
            rc = parse_axis(&cli, "threads", val, opt);
        else if (strcmp(opt, "--cpus") == 0)
            rc = parse_axis(&cli, "cpus", val, opt);
        else if (strcmp(opt, "--switch-interval") == 0)
            rc = parse_axis(&cli, "switch_interval", val, opt);
        else if (strcmp(opt, "--repeat") == 0) {
            char *end;
            repeat = strtol(val, &end, 10);
            if (*end || end == val || repeat < 1 || repeat > 1000)
                rc = usage_err("--repeat takes a number from 1 to 1000, not '%s'%s", val, "");
        } else if (strcmp(opt, "--timeout") == 0) {
            char *end;
            timeout = strtod(val, &end);
            if (*end || end == val || !(timeout > 0) || timeout > 1e6)
                rc = usage_err("--timeout takes seconds, not '%s'%s", val, "");
        } else if (strcmp(opt, "--chart") == 0) {
            const char *dot = strrchr(val, '.');
            if (!dot || (strcmp(dot, ".png") && strcmp(dot, ".svg") && strcmp(dot, ".pdf")))
                rc = usage_err("--chart %s: the name must end in .png, .svg or .pdf%s", val, "");
            chart = val;
        } else if (strcmp(opt, "--keep-traces") == 0)
            keep = val;
        else
            experiment = val;
        if (rc)
            goto out;
    }
    if (json && csv) {
        rc = usage_err("--json and --csv: choose one%s%s", "", "");
        goto out;
    }
    if ((experiment || list) && nworkloads) {
        rc = usage_err("--experiment runs its own workloads; do not name any (%s)%s", workloads[0], "");
        goto out;
    }
    for (size_t i = 0; i < nworkloads; i++)
        if (access(workloads[i], R_OK) != 0) {
            fprintf(stderr, "gilscope bench: cannot read the workload '%s': %s\n", workloads[i], strerror(errno));
            rc = EX_IOERR;
            goto out;
        }

    char data[PATH_MAX], expdir[PATH_MAX + 16], exe[PATH_MAX];
    find_data_dir(data, sizeof data);
    snprintf(expdir, sizeof expdir, "%s/experiments", data);
    ssize_t en = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (en <= 0) {
        fprintf(stderr, "gilscope bench: cannot find my own executable: %s\n", strerror(errno));
        rc = EX_SOFTWARE;
        goto out;
    }
    exe[en] = 0;

    Loaded *presets = NULL;
    size_t npresets = 0;
    if (list || (experiment && strcmp(experiment, "all") == 0)) {
        rc = load_all(expdir, &presets, &npresets);
    } else if (experiment) {
        char path[PATH_MAX + 40];
        size_t l = strlen(experiment);
        if (strchr(experiment, '/') || (l > 4 && strcmp(experiment + l - 4, ".ini") == 0))
            snprintf(path, sizeof path, "%s", experiment);
        else
            snprintf(path, sizeof path, "%s/%s.ini", expdir, experiment);
        if (!strchr(experiment, '/') && access(path, R_OK) != 0) {
            fprintf(stderr, "gilscope bench: no experiment '%s' (%s); see --list-experiments\n", experiment, path);
            rc = EX_USAGE;
        } else {
            presets = mem_alloc(sizeof *presets);
            rc = load_preset(path, &presets[0]);
            npresets = rc ? 0 : 1;
        }
    }
    if (rc)
        goto out_presets;
    if (list) {
        for (size_t i = 0; i < npresets; i++)
            printf("%-10s %s\n", presets[i].p.name, presets[i].p.title ? presets[i].p.title : "");
        goto out_presets;
    }

    BenchMatrix all;
    memset(&all, 0, sizeof all);
    bool progress = isatty(2);
    const BenchPreset **plist = mem_alloc((npresets + 1) * sizeof *plist);
    size_t failed_rows = 0;
    char def[PATH_MAX + 32];
    int shapes_bad = 0;
    FILE *txt = json || csv ? stderr : stdout;
    /* one matrix per experiment (or one for the command line's workloads) */
    for (size_t e = 0; e < (npresets ? npresets : 1); e++) {
        BenchMatrix m;
        memset(&m, 0, sizeof m);
        m.self_exe = exe;
        m.python = python;
        m.keep_traces = keep;
        m.timeout_s = timeout;
        m.progress = progress;
        const BenchPreset *p = npresets ? &presets[e].p : NULL;
        m.repeat = (size_t)(repeat ? repeat : p && p->repeat ? p->repeat : 3);
        if (p) {
            plist[e] = p;
            for (size_t k = 0; k < p->nmatrices; k++) {
                resolve_workload(&p->matrices[k], presets[e].path, data);
                bench_matrix_add(&m, &p->matrices[k], p->name);
            }
        } else {
            snprintf(def, sizeof def, "%s/workloads/countdown.py", data);
            if (!nworkloads)
                workloads[nworkloads++] = def;
            for (size_t w = 0; w < nworkloads; w++) {
                BenchAxes a = cli;
                a.workload = (char *)workloads[w];
                a.args = wargs;
                a.nargs = nwargs;
                bench_matrix_add(&m, &a, NULL);
            }
        }
        if (p && txt == stdout)
            fprintf(txt, "== experiment %s: %s (%zu configurations x %zu)\n", p->name, p->title ? p->title : "",
                    m.nrows, m.repeat);
        char err[300];
        if (bench_matrix_run(&m, err, sizeof err) < 0) {
            fprintf(stderr, "gilscope bench: %s\n", err);
            bench_matrix_fini(&m);
            rc = EX_IOERR;
            break;
        }
        bench_matrix_summarise(&m);
        if (!json && !csv)
            bench_report_table(&m, stdout);
        if (p)
            shapes_bad += bench_report_checks(&m, p, txt);
        if (p && txt == stdout)
            fputc('\n', stdout);
        for (size_t i = 0; i < m.nrows; i++)
            failed_rows += m.rows[i].ok_runs < m.rows[i].nreps;
        all.repeat = m.repeat;
        matrix_append(&all, &m);
        bench_matrix_fini(&m);
    }
    if (rc == 0) {
        if (json)
            bench_report_json(&all, plist, npresets, stdout);
        else if (csv)
            bench_report_csv(&all, stdout);
        if (chart) {
            char err[300], title[256];
            if (npresets == 1)
                snprintf(title, sizeof title, "%s: %s", presets[0].p.name, presets[0].p.title ? presets[0].p.title : "");
            else if (npresets)
                snprintf(title, sizeof title, "gilscope bench: every experiment");
            else
                snprintf(title, sizeof title, "gilscope bench: %s", all.nrows ? all.rows[0].label : "");
            if (!npresets && all.nrows) {
                char *sp = strchr(title + 16, ' ');
                if (sp)
                    *sp = 0;
            }
            if (bench_chart_write(&all, chart, title, err, sizeof err) < 0) {
                fprintf(stderr, "gilscope bench: %s\n", err);
                rc = EX_IOERR;
            } else {
                fprintf(stderr, "gilscope bench: chart: %s\n", chart);
            }
        }
        if (failed_rows)
            fprintf(stderr, "gilscope bench: %zu configuration%s had failed runs (see above)\n", failed_rows,
                    failed_rows == 1 ? "" : "s");
        if (keep)
            fprintf(stderr, "gilscope bench: traces kept in %s\n", keep);
    }
    (void)shapes_bad;
    bench_matrix_fini(&all);
    mem_free(plist);
out_presets:
    for (size_t i = 0; i < npresets; i++) {
        bench_preset_fini(&presets[i].p);
        mem_free(presets[i].path);
    }
    mem_free(presets);
out:
    mem_free(workloads);
    return rc;
}
