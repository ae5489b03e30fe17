/*
 * main.c -- gilscope's one executable: dispatches subcommands and turns
 * results into messages and exit codes (sysexits: 64 usage, 65 bad input,
 * 70 runtime error, 74 I/O).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sched.h>
#include <unistd.h>

#include "bench/cpytrace.h"
#include "bench/bench.h"
#include "bench/stats.h"
#include "interp/code.h"
#include "interp/compiler.h"
#include "interp/gil.h"
#include "interp/trace.h"
#include "interp/vm.h"
#include "viz/export.h"
#include "viz/viewer.h"

#define GILSCOPE_VERSION "0.1.0"

enum { EX_OK = 0, EX_USAGE = 64, EX_DATAERR = 65, EX_SOFTWARE = 70, EX_IOERR = 74 };

static void usage(FILE *out)
{
    fputs("usage: gilscope <command> [options] [args]\n"
          "\n"
          "gilscope runs a workload written in a subset of Python on a bytecode\n"
          "interpreter whose threads share a global interpreter lock.\n"
          "\n"
          "commands:\n"
          "  run [options] FILE [ARGS...] run a workload (threads, a GIL policy, a trace)\n"
          "  stats T.gilt [--json]        the statistics of a trace\n"
          "  bench [W.py...] [options]    a matrix of modes, GIL policies, threads; experiments\n"
          "  trace [-o T.gilt] -- PROGRAM  trace the GIL of a real CPython (PROGRAM ARGS...)\n"
          "  view T.gilt...               the interactive viewer (press ? in it for the keys)\n"
          "  export T.gilt... -o OUT      a chart (PNG, SVG, PDF) or Perfetto JSON of traces\n"
          "  synth --events N --threads K -o F.gilt   a synthetic trace\n"
          "\n"
          "options:\n"
          "  -h, --help                   show this help\n"
          "  --version                    show the version\n"
          "\n"
          "See README.md for the workload language and examples.\n",
          out);
}

static void run_usage(FILE *out)
{
    fputs("usage: gilscope run [options] FILE [ARGS...]\n"
          "\n"
          "Runs FILE, a workload in gilscope's Python subset, and records every GIL\n"
          "event in a trace.  Everything after FILE is passed to it as sys.argv[1:].\n"
          "\n"
          "options:\n"
          "  --mode MODE             threads (default), processes (each Thread a forked\n"
          "                          process with its own GIL), sequential (started\n"
          "                          threads run one after another)\n"
          "  --gil POLICY            newgil (default, Python 3.2+), legacy (Python 2),\n"
          "                          priority (Beazley's fix), fifo (hand-off)\n"
          "  --switch-interval MS    newgil/priority/fifo switch interval (default 5)\n"
          "  --check-interval TICKS  legacy check interval (default 100)\n"
          "  --cpus N                run on N CPUs only (sched_setaffinity)\n"
          "  -o, --output T.gilt     the trace file (default: FILE's name with .gilt,\n"
          "                          in the current directory)\n"
          "  --no-trace              record nothing\n"
          "  --trace-buffers N       at most N event buffers of 4096 events in the\n"
          "                          tracer (default: 64, and 3 more per thread);\n"
          "                          fewer lose events, counted and shown as gaps\n"
          "  -q, --quiet             no summary on stderr at the end\n"
          "  --dis                   print the bytecode of FILE instead of running it\n"
          "  -h, --help              show this help\n",
          out);
}

/* Reads a whole file; NULL with errno set on failure. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(fp);
        errno = ENOMEM;
        return NULL;
    }
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(fp);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int err = ferror(fp) ? errno : 0;
    fclose(fp);
    if (err) {
        free(buf);
        errno = err;
        return NULL;
    }
    *len = n;
    return buf;
}

static Vm *signal_vm;

static void on_sigint(int sig)
{
    (void)sig;
    if (signal_vm) {
        signal_vm->sigint = 1;
        atomic_fetch_or(&signal_vm->main->eval_breaker, VM_BRK_SIGINT);
        atomic_store(&signal_vm->main->tick_limit, 0);
    }
}

/* Parses a positive number; false if s is not one. */
static bool parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (end == s || *end || errno || !(d > 0) || d > 1e9)
        return false;
    *out = d;
    return true;
}

static bool parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Restricts the process (and every thread and child made later) to the
 * first n CPUs it may run on.  Fills *mask with the CPUs in use. */
static int pin_cpus(long n, uint64_t *mask)
{
    cpu_set_t cur, set;
    if (sched_getaffinity(0, sizeof cur, &cur) != 0)
        return -1;
    CPU_ZERO(&set);
    long taken = 0;
    *mask = 0;
    for (int c = 0; c < CPU_SETSIZE && (n == 0 || taken < n); c++) {
        if (CPU_ISSET(c, &cur)) {
            CPU_SET(c, &set);
            if (c < 64)
                *mask |= 1ull << c;
            taken++;
        }
    }
    if (n > taken) {
        errno = EINVAL;
        return -1;
    }
    return n ? sched_setaffinity(0, sizeof set, &set) : 0;
}

/* FILE's base name with .py replaced by .gilt, in the current directory. */
static char *default_trace_path(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 3 && strcmp(base + n - 3, ".py") == 0)
        n -= 3;
    char *out = malloc(n + 6);
    if (!out)
        return NULL;
    memcpy(out, base, n);
    memcpy(out + n, ".gilt", 6);
    return out;
}

static int cmd_run(int argc, char **argv)
{
    bool dis = false, trace = true, quiet = false;
    int mode = VM_MODE_THREADS, gil = GIL_NEWGIL;
    double switch_ms = 5.0;
    long check = 100, cpus = 0, trace_buffers = 0;
    const char *out_path = NULL;
    int i = 0;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--dis") == 0) {
            dis = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            run_usage(stdout);
            return EX_OK;
        } else if (strcmp(a, "--no-trace") == 0) {
            trace = false;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = true;
        } else if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (strcmp(a, "--mode") == 0 || strcmp(a, "--gil") == 0 || strcmp(a, "--switch-interval") == 0 ||
                   strcmp(a, "--check-interval") == 0 || strcmp(a, "--cpus") == 0 || strcmp(a, "-o") == 0 ||
                   strcmp(a, "--output") == 0 || strcmp(a, "--trace-buffers") == 0) {
            if (!val) {
                fprintf(stderr, "gilscope run: %s needs a value (see gilscope run --help)\n", a);
                return EX_USAGE;
            }
            i++;
            if (strcmp(a, "--mode") == 0) {
                if (strcmp(val, "threads") == 0)
                    mode = VM_MODE_THREADS;
                else if (strcmp(val, "processes") == 0)
                    mode = VM_MODE_PROCESSES;
                else if (strcmp(val, "sequential") == 0)
                    mode = VM_MODE_SEQUENTIAL;
                else {
                    fprintf(stderr, "gilscope run: unknown mode '%s' (threads, processes or sequential)\n", val);
                    return EX_USAGE;
                }
            } else if (strcmp(a, "--gil") == 0) {
                gil = gil_kind_parse(val);
                if (gil < 0) {
                    fprintf(stderr, "gilscope run: unknown GIL policy '%s' (newgil, legacy, priority or fifo)\n", val);
                    return EX_USAGE;
                }
            } else if (strcmp(a, "--switch-interval") == 0) {
                if (!parse_double(val, &switch_ms) || switch_ms < 0.001 || switch_ms > 10000) {
                    fprintf(stderr, "gilscope run: --switch-interval takes milliseconds from 0.001 to 10000, not '%s'\n", val);
                    return EX_USAGE;
                }
            } else if (strcmp(a, "--check-interval") == 0) {
                if (!parse_int(val, 1, 1000000000, &check)) {
                    fprintf(stderr, "gilscope run: --check-interval takes a number of ticks from 1 to 1000000000, not '%s'\n", val);
                    return EX_USAGE;
                }
            } else if (strcmp(a, "--cpus") == 0) {
                long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
                if (!parse_int(val, 1, ncpu > 0 ? ncpu : 1, &cpus)) {
                    fprintf(stderr, "gilscope run: --cpus takes a number from 1 to %ld, not '%s'\n", ncpu, val);
                    return EX_USAGE;
                }
            } else if (strcmp(a, "--trace-buffers") == 0) {
                if (!parse_int(val, 1, 1000000, &trace_buffers)) {
                    fprintf(stderr, "gilscope run: --trace-buffers takes a number from 1 to 1000000, not '%s'\n", val);
                    return EX_USAGE;
                }
            } else {
                out_path = val;
            }
        } else if (a[0] == '-' && a[1] != 0) {
            fprintf(stderr, "gilscope run: unknown option '%s' (see gilscope run --help)\n", a);
            return EX_USAGE;
        } else {
            break;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "gilscope run: no workload file given (usage: gilscope run [options] FILE [ARGS...])\n");
        return EX_USAGE;
    }
    const char *path = argv[i];
    size_t len;
    char *src = slurp(path, &len);
    if (!src) {
        fprintf(stderr, "gilscope run: cannot read '%s': %s\n", path, strerror(errno));
        return EX_IOERR;
    }
    uint64_t cpu_mask = 0;
    if (pin_cpus(cpus, &cpu_mask) != 0) {
        fprintf(stderr, "gilscope run: cannot pin to %ld CPUs: %s\n", cpus, strerror(errno));
        free(src);
        return EX_USAGE;
    }
    static const char *const mode_names[] = {"threads", "processes", "sequential"};
    Tracer *tracer = NULL;
    char *trace_file = NULL;
    if (trace && !dis) {
        trace_file = out_path ? strdup(out_path) : default_trace_path(path);
        TraceRunInfo info = {
            .workload = path, .argc = argc + 2, .argv = argv - 2, .mode = mode_names[mode],
            .policy = gil_kind_name(gil), .switch_interval_s = switch_ms / 1000.0,
            .check_interval = (int)check, .cpus = (int)cpus, .cpu_mask = cpu_mask,
        };
        tracer = trace_file ? trace_open(trace_file, &info) : NULL;
        if (!tracer) {
            fprintf(stderr, "gilscope run: cannot write the trace '%s': %s\n", trace_file ? trace_file : "?",
                    strerror(errno));
            free(trace_file);
            free(src);
            return EX_IOERR;
        }
        if (trace_buffers)
            trace_set_pool_limit(tracer, (unsigned)trace_buffers);
    }
    VmConfig cfg = {.script_path = path, .argc = argc - i, .argv = argv + i, .mode = mode, .gil_kind = gil,
                    .switch_interval = switch_ms / 1000.0, .check_interval = (int)check, .tracer = tracer};
    Vm *vm = vm_new(&cfg);
    int status;
    bool interrupted = false;
    if (dis) {
        ParseError err;
        Code *code = compile_module(vm, path, src, len, &err);
        if (!code) {
            fprintf(stderr, "%s:%d:%d: %s: %s\n", path, err.line, err.col, err.kind, err.msg);
            status = EX_DATAERR;
        } else {
            code_disassemble(vm->main, code, stdout);
            obj_decref(&code->obj);
            status = EX_OK;
        }
    } else {
        signal_vm = vm;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigint;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        int exit_code = 0;
        VmStatus st = vm_run_main(vm, path, src, len, &exit_code);
        (void)st;
        status = exit_code;
        interrupted = exit_code == 130;
        signal(SIGINT, SIG_DFL);
        signal_vm = NULL;
    }
    vm_free(vm);
    free(src);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "gilscope: error writing standard output: %s\n", strerror(errno));
        if (status == 0)
            status = EX_IOERR;
    }
    if (tracer) {
        if (trace_close(tracer, interrupted) != 0) {
            fprintf(stderr, "gilscope run: writing the trace '%s' failed: %s (what was written stays readable)\n",
                    trace_file, strerror(errno));
            if (status == 0)
                status = EX_IOERR;
        } else if (!quiet) {
            stats_print_summary(trace_file, stderr);
        }
    }
    free(trace_file);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EX_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return EX_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("gilscope %s\n", GILSCOPE_VERSION);
        return EX_OK;
    }
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "stats") == 0)
        return stats_main(argc - 1, argv + 1);
    if (strcmp(cmd, "bench") == 0)
        return bench_main(argc - 1, argv + 1);
    if (strcmp(cmd, "trace") == 0)
        return cpytrace_main(argc - 1, argv + 1);
    if (strcmp(cmd, "view") == 0)
        return view_main(argc - 1, argv + 1);
    if (strcmp(cmd, "export") == 0)
        return export_main(argc - 1, argv + 1);
    if (strcmp(cmd, "synth") == 0)
        return synth_main(argc - 1, argv + 1);
    fprintf(stderr, "gilscope: unknown command '%s' (see gilscope --help)\n", cmd);
    return EX_USAGE;
}
