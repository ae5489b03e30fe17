/*
 * stats_cmd.c -- `gilscope stats FILE [--json]` and the summary `gilscope
 * run` prints: the text table, the JSON object (keys in data/FORMAT.md).
 */
#include "bench/stats.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define EX_OK 0
#define EX_USAGE 64
#define EX_DATAERR 65
#define EX_IOERR 74

/* ---- formatting helpers --------------------------------------------------------------- */

/* A duration in a unit a human reads at a glance: "850 ns", "12.3 us", "5.01 ms", "1.234 s". */
static const char *fmt_ns(char *buf, size_t size, uint64_t ns)
{
    if (ns < 1000)
        snprintf(buf, size, "%" PRIu64 " ns", ns);
    else if (ns < 1000000)
        snprintf(buf, size, "%.1f us", (double)ns / 1e3);
    else if (ns < 1000000000)
        snprintf(buf, size, "%.2f ms", (double)ns / 1e6);
    else
        snprintf(buf, size, "%.3f s", (double)ns / 1e9);
    return buf;
}

static const char *fmt_bytes(char *buf, size_t size, uint64_t b)
{
    if (b < 10 * 1024)
        snprintf(buf, size, "%" PRIu64 " B", b);
    else if (b < 10 * 1024 * 1024)
        snprintf(buf, size, "%.1f KiB", (double)b / 1024);
    else
        snprintf(buf, size, "%.1f MiB", (double)b / (1024 * 1024));
    return buf;
}

static double share(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void fmt_date(char *buf, size_t size, uint64_t realtime_ns)
{
    time_t t = (time_t)(realtime_ns / 1000000000u);
    struct tm tm;
    if (!realtime_ns || !gmtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, size, "%s", "");
}

/* ---- text ------------------------------------------------------------------------------- */

static void print_run_head(const StatsRun *rs, size_t index, size_t nruns, FILE *out)
{
    const TraceRun *run = rs->tr;
    const TraceHeader *h = &run->hdr;
    char a[32], b[32], date[32];
    fprintf(out, "run %zu of %zu: %s\n", index + 1, nruns, h->workload[0] ? h->workload : "(unknown workload)");
    if (h->argc > 0) {
        fprintf(out, "  command:");
        for (int i = 0; i < h->argc; i++)
            fprintf(out, " %s", h->argv[i]);
        fprintf(out, "\n");
    }
    fprintf(out, "  mode %s, policy %s", h->mode[0] ? h->mode : "?", h->policy[0] ? h->policy : "?");
    bool legacy = strcmp(h->policy, "legacy") == 0;
    if (h->switch_interval_ns && !legacy)
        fprintf(out, " (switch interval %s)", fmt_ns(a, sizeof a, h->switch_interval_ns));
    if (h->check_interval && (legacy || !h->policy[0]))
        fprintf(out, " (check interval %" PRIu64 " ticks)", h->check_interval);
    fprintf(out, ", %" PRIu64 " of %" PRIu64 " CPUs", h->affinity_count, h->cpus_online);
    if (h->cpus)
        fprintf(out, " (--cpus %" PRIu64 ")", h->cpus);
    fmt_date(date, sizeof date, h->start_realtime_ns);
    fprintf(out, "\n  host %s, %s, started %s\n", h->host[0] ? h->host : "?", h->kernel[0] ? h->kernel : "?",
            date[0] ? date : "?");
    fprintf(out, "  wall %s", fmt_ns(a, sizeof a, rs->wall_ns));
    if (rs->has_cpu)
        fprintf(out, ", cpu %s", fmt_ns(b, sizeof b, rs->cpu_ns));
    fprintf(out, ", %u process%s, %u thread%s, %" PRIu64 " events, %" PRIu64 " lost, %s\n",
            rs->processes, rs->processes == 1 ? "" : "es", rs->threads, rs->threads == 1 ? "" : "s",
            rs->events, rs->lost,
            run->complete ? "complete" : run->interrupted ? "interrupted" : "not closed (cut short)");
}

static void print_thread_table(const Stats *s, const StatsRun *rs, FILE *out)
{
    int namew = 6;
    for (size_t i = 0; i < rs->threads; i++) {
        int w = (int)strlen(s->threads[rs->thread0 + i].name);
        if (w > namew)
            namew = w < 24 ? w : 24;
    }
    fprintf(out, "  %-*s %7s %4s %7s %7s %7s %7s %7s %7s %7s %6s %10s %10s %10s %10s\n", namew, "thread", "pid",
            "tid", "life", "run%", "wait%", "block%", "idle%", "acq", "switch", "drop", "failed",
            "wait p50", "wait p99", "hold p50");
    for (size_t i = 0; i < rs->threads; i++) {
        const StatsThread *t = &s->threads[rs->thread0 + i];
        char life[32], w50[32], w99[32], h50[32];
        fprintf(out, "  %-*.*s %7u %4u %7s %6.1f%% %6.1f%% %6.1f%% %6.1f%% %7" PRIu64 " %7" PRIu64
                " %6" PRIu64 " %10" PRIu64 " %10s %10s %10s\n",
                namew, namew, t->name[0] ? t->name : "?", t->pid, t->tid,
                fmt_ns(life, sizeof life, t->life_ns),
                share(t->run_ns, t->life_ns), share(t->wait_ns, t->life_ns),
                share(t->blocked_ns, t->life_ns), share(t->idle_ns, t->life_ns),
                t->acquisitions, t->switches, t->drop_requests, t->failed_wakeups,
                t->wait.n ? fmt_ns(w50, sizeof w50, t->wait.p50) : "-",
                t->wait.n ? fmt_ns(w99, sizeof w99, t->wait.p99) : "-",
                t->hold.n ? fmt_ns(h50, sizeof h50, t->hold.p50) : "-");
    }
}

static void print_dist(const char *what, const StatsDist *d, FILE *out)
{
    char a[32], b[32], c[32], m[32];
    if (!d->n) {
        fprintf(out, "  %-9s -\n", what);
        return;
    }
    fprintf(out, "  %-9s p50 %s, p90 %s, p99 %s, max %s (%" PRIu64 ")\n", what, fmt_ns(a, sizeof a, d->p50),
            fmt_ns(b, sizeof b, d->p90), fmt_ns(c, sizeof c, d->p99), fmt_ns(m, sizeof m, d->max), d->n);
}

/* The self-check of a real CPython's trace (`gilscope trace`): switches the
 * trace shows vs the interpreter's own count, over the processes that
 * recorded it.  False when none did. */
static bool interp_check(const Stats *s, const StatsRun *rs, uint64_t *trace_sw, uint64_t *interp_sw)
{
    bool any = false;
    *trace_sw = *interp_sw = 0;
    for (size_t p = 0; p < rs->tr->nprocs; p++) {
        const TraceProc *proc = &rs->tr->procs[p];
        if (!proc->has_interp_switches)
            continue;
        any = true;
        *interp_sw += proc->interp_switches;
        for (size_t t = rs->thread0; t < rs->thread0 + rs->threads && t < s->nthreads; t++)
            if (s->threads[t].pid == proc->pid)
                *trace_sw += s->threads[t].switches;
    }
    return any;
}

void stats_print_text(const Stats *s, const TraceFile *tf, FILE *out)
{
    char a[32], b[32], c[32], d[32];
    fprintf(out, "%s: %s, %zu run%s\n", tf->name, fmt_bytes(a, sizeof a, tf->size), tf->nruns,
            tf->nruns == 1 ? "" : "s");
    for (size_t r = 0; r < s->nruns; r++) {
        const StatsRun *rs = &s->runs[r];
        fprintf(out, "\n");
        print_run_head(rs, r, s->nruns, out);
        print_thread_table(s, rs, out);
        fprintf(out, "  totals: run %s, wait %s, blocked %s, idle %s\n", fmt_ns(a, sizeof a, rs->run_ns),
                fmt_ns(b, sizeof b, rs->wait_ns), fmt_ns(c, sizeof c, rs->blocked_ns),
                fmt_ns(d, sizeof d, rs->idle_ns));
        fprintf(out, "  %" PRIu64 " acquisitions, %" PRIu64 " switches, %" PRIu64 " drop requests, %" PRIu64
                " failed wake-ups in %" PRIu64 " checks (badness %.3f)\n",
                rs->acquisitions, rs->switches, rs->drop_requests, rs->failed_wakeups, rs->checks, rs->badness);
        print_dist("wait", &rs->wait, out);
        print_dist("hold", &rs->hold, out);
        print_dist("hand-off", &rs->handoff, out);
        fprintf(out, "  overlap violations: %" PRIu64 "%s\n", rs->overlap_violations,
                rs->overlap_violations ? "  (two threads of one process held the GIL at once!)" : "");
        uint64_t trace_sw, interp_sw;
        if (interp_check(s, rs, &trace_sw, &interp_sw))
            fprintf(out, "  switches: trace %" PRIu64 ", interpreter %" PRIu64 "%s\n", trace_sw, interp_sw,
                    trace_sw == interp_sw ? "" : "  (they differ)");
        if (rs->nonmonotonic)
            fprintf(out, "  note: %" PRIu64 " timestamps went backwards within a thread\n", rs->nonmonotonic);
        for (size_t p = 0; p < rs->tr->nprocs; p++) {
            const TraceProc *proc = &rs->tr->procs[p];
            if (!proc->closed)
                fprintf(out, "  note: process %u never closed its trace (killed?): its last events are missing\n",
                        proc->pid);
            else if (proc->unfinished)
                fprintf(out, "  note: process %u closed with %u thread(s) still running: their last events are missing\n",
                        proc->pid, proc->unfinished);
            if (proc->write_errno)
                fprintf(out, "  note: process %u could not write its trace: %s\n", proc->pid,
                        strerror((int)proc->write_errno));
        }
        if (rs->lost)
            fprintf(out, "  note: %" PRIu64 " events lost (no free trace buffer: the writer fell behind, or --trace-buffers was small): statistics are approximate\n",
                    rs->lost);
        for (size_t m = 0; m < rs->tr->nmarks; m++) {
            const TraceMarkText *mk = &rs->tr->marks[m];
            char when[32];
            uint64_t at = mk->ns > rs->tr->first_ns ? mk->ns - rs->tr->first_ns : 0;
            fprintf(out, "  mark at %s: %s\n", mk->ns ? fmt_ns(when, sizeof when, at) : "?", mk->text);
        }
    }
    if (tf->truncated)
        fprintf(out, "\nnote: the file is truncated at byte %" PRIu64 "\n", tf->truncated_at);
    if (tf->damaged_chunks)
        fprintf(out, "%snote: %u damaged chunk(s), %" PRIu64 " bytes skipped\n", tf->truncated ? "" : "\n",
                tf->damaged_chunks, tf->damaged_bytes);
    for (size_t i = 0; i < tf->nnotes; i++)
        fprintf(out, "note: %s\n", tf->notes[i]);
}

/* ---- JSON ------------------------------------------------------------------------------ */

static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

static void json_dist(FILE *out, const char *prefix, const StatsDist *d)
{
    fprintf(out, "\"%s_count\": %" PRIu64 ", \"%s_p50_ns\": %" PRIu64 ", \"%s_p90_ns\": %" PRIu64
            ", \"%s_p99_ns\": %" PRIu64 ", \"%s_max_ns\": %" PRIu64 ", \"%s_mean_ns\": %" PRIu64,
            prefix, d->n, prefix, d->p50, prefix, d->p90, prefix, d->p99, prefix, d->max, prefix,
            d->n ? d->sum / d->n : 0);
}

static void json_thread(FILE *out, const StatsThread *t)
{
    fprintf(out, "{\"run\": %u, \"name\": ", t->run);
    json_str(out, t->name);
    fprintf(out, ", \"pid\": %u, \"tid\": %u, \"start_ns\": %" PRIu64 ", \"end_ns\": %" PRIu64
            ", \"life_ns\": %" PRIu64 ", \"run_ns\": %" PRIu64 ", \"wait_ns\": %" PRIu64
            ", \"switch_wait_ns\": %" PRIu64 ", \"blocked_ns\": %" PRIu64 ", \"idle_ns\": %" PRIu64,
            t->pid, t->tid, t->start_ns, t->end_ns, t->life_ns, t->run_ns, t->wait_ns, t->switch_wait_ns,
            t->blocked_ns, t->idle_ns);
    fprintf(out, ", \"blocked_by_kind_ns\": {");
    for (unsigned k = 0; k < BLOCK__COUNT; k++)
        fprintf(out, "%s\"%s\": %" PRIu64, k ? ", " : "", trace_block_name(k), t->blocked_by_kind[k]);
    fprintf(out, "}, \"acquisitions\": %" PRIu64 ", \"contended_acquisitions\": %" PRIu64
            ", \"switches\": %" PRIu64 ", \"releases\": {",
            t->acquisitions, t->contended, t->switches);
    for (unsigned k = 0; k < 4; k++)
        fprintf(out, "%s\"%s\": %" PRIu64, k ? ", " : "", trace_reason_name(k), t->releases[k]);
    fprintf(out, "}, \"drop_requests\": %" PRIu64 ", \"failed_wakeups\": %" PRIu64
            ", \"failed_wakeup_retries\": %" PRIu64 ", \"badness\": %.6f, ",
            t->drop_requests, t->failed_wakeups, t->failed_retries, t->badness);
    json_dist(out, "wait", &t->wait);
    fprintf(out, ", ");
    json_dist(out, "hold", &t->hold);
    fprintf(out, ", \"cpu_ns\": ");
    if (t->has_cpu)
        fprintf(out, "%" PRIu64, t->cpu_ns);
    else
        fprintf(out, "null");
    fprintf(out, ", \"events\": %" PRIu64 ", \"lost\": %" PRIu64 ", \"marks\": %" PRIu64 ", \"ended\": %s}",
            t->events, t->lost, t->marks, t->ended ? "true" : "false");
}

static void json_run(FILE *out, const Stats *s, const StatsRun *rs, size_t index)
{
    const TraceRun *run = rs->tr;
    const TraceHeader *h = &run->hdr;
    char date[32];
    fmt_date(date, sizeof date, h->start_realtime_ns);
    fprintf(out, "{\"index\": %zu, \"run_id\": \"%016" PRIx64 "\", \"workload\": ", index, run->run_id);
    json_str(out, h->workload);
    fprintf(out, ", \"argv\": [");
    for (int i = 0; i < h->argc; i++) {
        fprintf(out, "%s", i ? ", " : "");
        json_str(out, h->argv[i]);
    }
    fprintf(out, "], \"mode\": ");
    json_str(out, h->mode);
    fprintf(out, ", \"policy\": ");
    json_str(out, h->policy);
    fprintf(out, ", \"switch_interval_ns\": %" PRIu64 ", \"check_interval\": %" PRIu64 ", \"cpus\": %" PRIu64
            ", \"cpus_online\": %" PRIu64 ", \"affinity_count\": %" PRIu64 ", \"affinity_mask\": %" PRIu64
            ", \"clock\": ",
            h->switch_interval_ns, h->check_interval, h->cpus, h->cpus_online, h->affinity_count,
            h->affinity_mask);
    json_str(out, h->clock);
    fprintf(out, ", \"host\": ");
    json_str(out, h->host);
    fprintf(out, ", \"kernel\": ");
    json_str(out, h->kernel);
    fprintf(out, ", \"start_realtime_ns\": %" PRIu64 ", \"start_date\": \"%s\", \"start_ns\": %" PRIu64
            ", \"pid\": %u, \"processes\": %u, \"threads\": %u, \"complete\": %s, \"interrupted\": %s"
            ", \"first_ns\": %" PRIu64 ", \"last_ns\": %" PRIu64 ", \"wall_ns\": %" PRIu64 ", \"cpu_ns\": ",
            h->start_realtime_ns, date, h->start_ns, h->pid, rs->processes, rs->threads,
            run->complete ? "true" : "false", run->interrupted ? "true" : "false", rs->first_ns, rs->last_ns,
            rs->wall_ns);
    if (rs->has_cpu)
        fprintf(out, "%" PRIu64, rs->cpu_ns);
    else
        fprintf(out, "null");
    fprintf(out, ", \"run_ns\": %" PRIu64 ", \"wait_ns\": %" PRIu64 ", \"blocked_ns\": %" PRIu64
            ", \"idle_ns\": %" PRIu64 ", \"acquisitions\": %" PRIu64 ", \"switches\": %" PRIu64
            ", \"drop_requests\": %" PRIu64 ", \"failed_wakeups\": %" PRIu64 ", \"checks\": %" PRIu64
            ", \"badness\": %.6f, ",
            rs->run_ns, rs->wait_ns, rs->blocked_ns, rs->idle_ns, rs->acquisitions, rs->switches,
            rs->drop_requests, rs->failed_wakeups, rs->checks, rs->badness);
    json_dist(out, "wait", &rs->wait);
    fprintf(out, ", ");
    json_dist(out, "hold", &rs->hold);
    fprintf(out, ", ");
    json_dist(out, "handoff", &rs->handoff);
    fprintf(out, ", \"overlap_violations\": %" PRIu64 ", \"nonmonotonic\": %" PRIu64 ", \"events\": %" PRIu64
            ", \"lost\": %" PRIu64 ", ",
            rs->overlap_violations, rs->nonmonotonic, rs->events, rs->lost);
    uint64_t trace_sw, interp_sw;
    if (interp_check(s, rs, &trace_sw, &interp_sw))
        fprintf(out, "\"interp_switches\": %" PRIu64 ", \"interp_switches_trace\": %" PRIu64 ", ", interp_sw,
                trace_sw);
    else
        fprintf(out, "\"interp_switches\": null, \"interp_switches_trace\": null, ");
    fprintf(out, "\"process_list\": [");
    for (size_t p = 0; p < run->nprocs; p++) {
        const TraceProc *proc = &run->procs[p];
        fprintf(out, "%s{\"pid\": %u, \"threads\": %zu, \"closed\": %s, \"interrupted\": %s, \"unfinished\": %u"
                ", \"lost\": %" PRIu64 ", \"write_errno\": %u",
                p ? ", " : "", proc->pid, proc->nlanes, proc->closed ? "true" : "false",
                proc->interrupted ? "true" : "false", proc->unfinished, proc->lost, proc->write_errno);
        if (proc->has_interp_switches)
            fprintf(out, ", \"interp_switches\": %" PRIu64, proc->interp_switches);
        if (proc->interp) {
            fprintf(out, ", \"interp\": ");
            json_str(out, proc->interp);
        }
        fprintf(out, "}");
    }
    fprintf(out, "], \"marks\": [");
    for (size_t m = 0; m < run->nmarks; m++) {
        fprintf(out, "%s{\"pid\": %u, \"id\": %u, \"ns\": %" PRIu64 ", \"text\": ", m ? ", " : "",
                run->marks[m].pid, run->marks[m].id, run->marks[m].ns);
        json_str(out, run->marks[m].text);
        fprintf(out, "}");
    }
    fprintf(out, "]}");
}

void stats_print_json(const Stats *s, const TraceFile *tf, FILE *out)
{
    fprintf(out, "{\"format\": \"gilscope-stats\", \"version\": 1, \"file\": ");
    json_str(out, tf->name);
    fprintf(out, ", \"bytes\": %" PRIu64 ", \"wall_ns\": %" PRIu64 ", \"events\": %" PRIu64 ", \"lost\": %" PRIu64
            ", \"bytes_per_event\": %.3f, \"overlap_violations\": %" PRIu64 ", \"truncated\": %s"
            ", \"truncated_at\": ",
            tf->size, s->wall_ns, s->events, s->lost, s->events ? (double)tf->size / (double)s->events : 0.0,
            s->overlap_violations, tf->truncated ? "true" : "false");
    if (tf->truncated)
        fprintf(out, "%" PRIu64, tf->truncated_at);
    else
        fprintf(out, "null");
    fprintf(out, ", \"damaged_chunks\": %u, \"damaged_bytes\": %" PRIu64 ", \"notes\": [", tf->damaged_chunks,
            tf->damaged_bytes);
    for (size_t i = 0; i < tf->nnotes; i++) {
        fprintf(out, "%s", i ? ", " : "");
        json_str(out, tf->notes[i]);
    }
    fprintf(out, "],\n \"runs\": [");
    for (size_t r = 0; r < s->nruns; r++) {
        fprintf(out, "%s\n  ", r ? "," : "");
        json_run(out, s, &s->runs[r], r);
    }
    fprintf(out, "],\n \"threads\": [");
    for (size_t i = 0; i < s->nthreads; i++) {
        fprintf(out, "%s\n  ", i ? "," : "");
        json_thread(out, &s->threads[i]);
    }
    fprintf(out, "]}\n");
}

/* ---- the commands ---------------------------------------------------------------------------- */

static void stats_usage(FILE *out)
{
    fprintf(out,
            "usage: gilscope stats FILE [--json]\n"
            "\n"
            "GIL statistics of a trace written by `gilscope run`: per thread and per run,\n"
            "time running, waiting for the GIL, blocked and idle; acquisitions, switches,\n"
            "drop requests, failed wake-ups and badness; wait, hold and hand-off times.\n"
            "A file holding several runs (cat a.gilt b.gilt > ab.gilt) shows each run.\n"
            "\n"
            "  --json      one JSON object (keys documented in data/FORMAT.md)\n"
            "  -h, --help  this help\n"
            "\n"
            "exit status: 0 ok, 64 usage, 65 not a readable trace, 74 I/O error\n");
}

static int read_status_code(TraceReadStatus st)
{
    return st == TRACE_READ_EIO ? EX_IOERR : EX_DATAERR;
}

int stats_main(int argc, char **argv)
{
    const char *path = NULL;
    bool json = false, dashdash = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!dashdash && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
            stats_usage(stdout);
            return EX_OK;
        } else if (!dashdash && strcmp(a, "--json") == 0) {
            json = true;
        } else if (!dashdash && strcmp(a, "--") == 0) {
            dashdash = true;
        } else if (!dashdash && a[0] == '-' && a[1]) {
            fprintf(stderr, "gilscope stats: unknown option '%s'\n", a);
            stats_usage(stderr);
            return EX_USAGE;
        } else if (path) {
            fprintf(stderr, "gilscope stats: one trace file at a time (got '%s' and '%s')\n", path, a);
            return EX_USAGE;
        } else {
            path = a;
        }
    }
    if (!path) {
        fprintf(stderr, "gilscope stats: no trace file given (usage: gilscope stats FILE [--json])\n");
        return EX_USAGE;
    }
    TraceFile *tf;
    char err[512];
    TraceReadStatus st = trace_read_file(path, &tf, err, sizeof err);
    if (st != TRACE_READ_OK) {
        fprintf(stderr, "gilscope stats: %s\n", err);
        return read_status_code(st);
    }
    Stats *s = stats_compute(tf);
    if (json)
        stats_print_json(s, tf, stdout);
    else
        stats_print_text(s, tf, stdout);
    int rc = EX_OK;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "gilscope stats: writing the output: %s\n", strerror(errno));
        rc = EX_IOERR;
    }
    stats_free(s);
    trace_file_free(tf);
    return rc;
}

int stats_print_summary(const char *trace_path, FILE *out)
{
    TraceFile *tf;
    char err[512];
    TraceReadStatus st = trace_read_file(trace_path, &tf, err, sizeof err);
    if (st != TRACE_READ_OK) {
        fprintf(out, "gilscope: trace unreadable: %s\n", err);
        return read_status_code(st);
    }
    Stats *s = stats_compute(tf);
    char a[32], b[32];
    /* The run just written is the file's last. */
    const StatsRun *rs = s->nruns ? &s->runs[s->nruns - 1] : NULL;
    if (rs) {
        fprintf(out, "gilscope: wall %s", fmt_ns(a, sizeof a, rs->wall_ns));
        if (rs->has_cpu)
            fprintf(out, ", cpu %s", fmt_ns(b, sizeof b, rs->cpu_ns));
        fprintf(out, ", %s/%s, %u thread%s", rs->tr->hdr.mode[0] ? rs->tr->hdr.mode : "?",
                rs->tr->hdr.policy[0] ? rs->tr->hdr.policy : "?", rs->threads, rs->threads == 1 ? "" : "s");
        if (rs->processes > 1)
            fprintf(out, " in %u processes", rs->processes);
        fprintf(out, ", %" PRIu64 " switches, %" PRIu64 " failed wake-ups", rs->switches, rs->failed_wakeups);
        if (rs->overlap_violations)
            fprintf(out, ", %" PRIu64 " OVERLAP VIOLATIONS", rs->overlap_violations);
        fprintf(out, "\n");
        for (size_t i = 0; i < rs->threads; i++) {
            const StatsThread *t = &s->threads[rs->thread0 + i];
            fprintf(out, "gilscope:   %-16s run %5.1f%%  wait %5.1f%%  blocked %5.1f%%", t->name[0] ? t->name : "?",
                    share(t->run_ns, rs->wall_ns), share(t->wait_ns, rs->wall_ns),
                    share(t->blocked_ns, rs->wall_ns));
            if (rs->processes > 1)
                fprintf(out, "  (pid %u)", t->pid);
            fprintf(out, "\n");
        }
    }
    fprintf(out, "gilscope: trace %s (%s, %" PRIu64 " events", trace_path, fmt_bytes(a, sizeof a, tf->size),
            s->events);
    if (s->events)
        fprintf(out, ", %.1f B/event", (double)tf->size / (double)s->events);
    if (s->lost)
        fprintf(out, ", %" PRIu64 " LOST", s->lost);
    if (tf->truncated)
        fprintf(out, ", truncated");
    fprintf(out, ")\n");
    stats_free(s);
    trace_file_free(tf);
    return EX_OK;
}
