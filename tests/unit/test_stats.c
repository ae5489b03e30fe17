/*
 * test_stats.c -- GIL statistics on synthetic event streams with known
 * answers: two threads alternating, failed wake-ups and badness, an overlap
 * violation (and none across processes), blocked time by kind, a loss that
 * must not invent a holder, percentiles; the JSON keys; `gilscope stats`
 * exit statuses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/stats.h"
#include "interp/trace.h"
#include "viz/trace_read.h"

/* ---- building a TraceFile by hand ------------------------------------------------------ */

#define MAXLANES 4
#define MAXEV 64

typedef struct Synth {
    TraceFile tf;
    TraceRun run;
    TraceProc procs[2];
    TraceLane lanes[2][MAXLANES];
    TraceEvent ev[2][MAXLANES][MAXEV];
    char *argv[1];
} Synth;

static Synth *synth_new(void)
{
    Synth *s = calloc(1, sizeof *s);
    s->tf.name = "synth.gilt";
    s->tf.runs = &s->run;
    s->tf.nruns = 1;
    s->run.procs = s->procs;
    s->run.nprocs = 1;
    TraceHeader *h = &s->run.hdr;
    h->workload = h->mode = h->policy = h->clock = h->host = h->kernel = h->tracer = "";
    h->argv = s->argv;
    s->argv[0] = "synth.py";
    h->argc = 1;
    for (int p = 0; p < 2; p++) {
        s->procs[p].pid = 100 + (uint32_t)p;
        s->procs[p].lanes = s->lanes[p];
        for (int l = 0; l < MAXLANES; l++) {
            s->lanes[p][l].pid = 100 + (uint32_t)p;
            s->lanes[p][l].tid = (uint32_t)l;
            s->lanes[p][l].name = l == 0 ? "MainThread" : l == 1 ? "Thread-1" : "Thread-2";
            s->lanes[p][l].ev = s->ev[p][l];
        }
    }
    return s;
}

/* Appends (ns, kind, arg) to lane `lane` of process `proc`. */
static void ev(Synth *s, int proc, int lane, uint64_t ns, TraceEventKind kind, uint32_t arg)
{
    TraceProc *p = &s->procs[proc];
    if ((size_t)lane >= p->nlanes)
        p->nlanes = (size_t)lane + 1;
    if ((size_t)proc >= s->run.nprocs)
        s->run.nprocs = (size_t)proc + 1;
    TraceLane *l = &s->lanes[proc][lane];
    assert_true(l->nev < MAXEV);
    l->ev[l->nev++] = (TraceEvent){ .ns = ns, .ticks = ns / 10, .arg = arg, .kind = (uint8_t)kind };
    if (!s->run.events++ || ns < s->run.first_ns)
        s->run.first_ns = ns;
    if (ns > s->run.last_ns)
        s->run.last_ns = ns;
}

/* ---- the cases ------------------------------------------------------------------------------- */

/* A holds 0..10, B 12..22, A 25..35, B 36..46; both want it while the other
 * holds it.  Hand-offs: 2, 3, 1. */
static void test_two_threads_alternating(void **state)
{
    (void)state;
    Synth *s = synth_new();
    ev(s, 0, 0, 0, EV_THREAD_START, UINT32_MAX);
    ev(s, 0, 0, 0, EV_GIL_ACQUIRE, 0);
    ev(s, 0, 1, 1, EV_THREAD_START, 0);
    ev(s, 0, 1, 1, EV_GIL_REQUEST, 0);
    ev(s, 0, 1, 6, EV_DROP_REQUEST, 0);
    ev(s, 0, 0, 10, EV_GIL_RELEASE, REL_FORCED);
    ev(s, 0, 0, 10, EV_GIL_REQUEST, 0);
    ev(s, 0, 1, 12, EV_GIL_ACQUIRE, 0);
    ev(s, 0, 1, 22, EV_GIL_RELEASE, REL_FORCED);
    ev(s, 0, 1, 22, EV_GIL_REQUEST, 0);
    ev(s, 0, 0, 25, EV_GIL_ACQUIRE, 0);
    ev(s, 0, 0, 35, EV_GIL_RELEASE, REL_EXIT);
    ev(s, 0, 0, 35, EV_THREAD_END, 0);
    ev(s, 0, 1, 36, EV_GIL_ACQUIRE, 0);
    ev(s, 0, 1, 46, EV_GIL_RELEASE, REL_EXIT);
    ev(s, 0, 1, 46, EV_THREAD_END, 0);
    Stats *st = stats_compute(&s->tf);
    assert_int_equal(st->nruns, 1);
    assert_int_equal(st->nthreads, 2);
    const StatsRun *r = &st->runs[0];
    assert_int_equal(r->wall_ns, 46);
    assert_int_equal(r->overlap_violations, 0);
    assert_int_equal(r->acquisitions, 4);
    assert_int_equal(r->switches, 3);
    assert_int_equal(r->checks, 2);
    assert_int_equal(r->drop_requests, 1);
    assert_int_equal(r->handoff.n, 3);
    assert_int_equal(r->handoff.p50, 2);
    assert_int_equal(r->handoff.max, 3);
    assert_int_equal(r->hold.n, 4);
    assert_int_equal(r->hold.p50, 10);
    const StatsThread *a = &st->threads[0], *b = &st->threads[1];
    assert_string_equal(a->name, "MainThread");
    assert_int_equal(a->life_ns, 35);
    assert_int_equal(a->run_ns, 20);
    assert_int_equal(a->wait_ns, 15);
    assert_int_equal(a->idle_ns, 0);
    assert_int_equal(a->acquisitions, 2);
    assert_int_equal(a->contended, 1);
    assert_int_equal(a->switches, 1);
    assert_int_equal(a->wait.p50, 15);
    assert_true(a->ended);
    assert_int_equal(b->life_ns, 45);
    assert_int_equal(b->run_ns, 20);
    assert_int_equal(b->wait_ns, 11 + 14);
    assert_int_equal(b->switches, 2);
    assert_int_equal(b->drop_requests, 1);
    assert_int_equal(b->wait.n, 2);
    assert_int_equal(b->wait.max, 14);
    assert_int_equal(a->run_ns + a->wait_ns + a->blocked_ns + a->idle_ns, a->life_ns);
    assert_int_equal(b->run_ns + b->wait_ns + b->blocked_ns + b->idle_ns, b->life_ns);
    stats_free(st);
    free(s);
}

/* Legacy's battle: A releases at each check and takes it straight back; B is
 * woken each time and finds it gone. */
static void test_failed_wakeups(void **state)
{
    (void)state;
    Synth *s = synth_new();
    ev(s, 0, 0, 0, EV_GIL_ACQUIRE, 0);
    ev(s, 0, 1, 1, EV_GIL_REQUEST, 0);
    for (uint64_t t = 10; t <= 40; t += 10) {
        ev(s, 0, 0, t, EV_GIL_RELEASE, REL_CHECK_INTERVAL);
        ev(s, 0, 0, t + 1, EV_GIL_ACQUIRE, 0);
        ev(s, 0, 1, t + 2, EV_FAILED_WAKEUP, t > 10);
    }
    ev(s, 0, 0, 50, EV_GIL_RELEASE, REL_EXIT);
    ev(s, 0, 1, 53, EV_GIL_ACQUIRE, 0);
    Stats *st = stats_compute(&s->tf);
    const StatsRun *r = &st->runs[0];
    assert_int_equal(r->failed_wakeups, 4);
    assert_int_equal(r->checks, 4);
    assert_true(r->badness > 0.999 && r->badness < 1.001);
    assert_int_equal(r->switches, 1);          /* A re-taking it is no switch */
    assert_int_equal(r->handoff.n, 1);         /* only the release that B won */
    assert_int_equal(r->handoff.p50, 3);
    /* A's release-and-retake gaps count as wanting the GIL, not idleness. */
    assert_int_equal(st->threads[0].run_ns, 46);
    assert_int_equal(st->threads[0].wait_ns, 4);
    assert_int_equal(st->threads[0].idle_ns, 0);
    assert_int_equal(st->threads[1].failed_wakeups, 4);
    assert_int_equal(st->threads[1].failed_retries, 3);
    assert_true(st->threads[1].badness > 3.999);   /* 4 failures in 1 contended acquisition */
    assert_int_equal(r->overlap_violations, 0);
    stats_free(st);
    free(s);
}

static void test_overlap_detected(void **state)
{
    (void)state;
    Synth *s = synth_new();
    ev(s, 0, 0, 0, EV_GIL_ACQUIRE, 0);
    ev(s, 0, 1, 5, EV_GIL_ACQUIRE, 0);     /* A still holds it */
    ev(s, 0, 0, 10, EV_GIL_RELEASE, REL_FORCED);
    ev(s, 0, 1, 20, EV_GIL_RELEASE, REL_FORCED);
    ev(s, 0, 0, 20, EV_GIL_ACQUIRE, 0);    /* same instant as B's release: fine */
    ev(s, 0, 0, 30, EV_GIL_RELEASE, REL_EXIT);
    /* Another process has its own GIL: holding at the same time is normal. */
    ev(s, 1, 0, 0, EV_GIL_ACQUIRE, 0);
    ev(s, 1, 0, 30, EV_GIL_RELEASE, REL_EXIT);
    Stats *st = stats_compute(&s->tf);
    assert_int_equal(st->runs[0].processes, 2);
    assert_int_equal(st->runs[0].overlap_violations, 1);
    assert_int_equal(st->overlap_violations, 1);
    assert_int_equal(st->nthreads, 3);
    assert_int_equal(st->threads[2].pid, 101);
    stats_free(st);
    free(s);
}

/* A lost RELEASE must not leave a phantom holder. */
static void test_loss_resets_state(void **state)
{
    (void)state;
    Synth *s = synth_new();
    ev(s, 0, 0, 0, EV_GIL_ACQUIRE, 0);
    ev(s, 0, 0, 50, EV_LOSS, 7);
    ev(s, 0, 1, 20, EV_GIL_ACQUIRE, 0);
    ev(s, 0, 1, 30, EV_GIL_RELEASE, REL_FORCED);
    Stats *st = stats_compute(&s->tf);
    /* The loss is stamped at 50 (with the first event after it), after B's
     * hold; but the lost events began just after A's acquire at 0, so A's
     * state is unknown from there: no overlap with B (--trace-buffers 4
     * made this false report in real traces). */
    assert_int_equal(st->threads[0].lost, 7);
    assert_int_equal(st->runs[0].overlap_violations, 0);
    stats_free(st);
    free(s);

    s = synth_new();
    ev(s, 0, 0, 0, EV_GIL_ACQUIRE, 0);
    ev(s, 0, 0, 15, EV_LOSS, 3);
    ev(s, 0, 1, 20, EV_GIL_ACQUIRE, 0);
    ev(s, 0, 1, 30, EV_GIL_RELEASE, REL_FORCED);
    st = stats_compute(&s->tf);
    assert_int_equal(st->runs[0].overlap_violations, 0);
    assert_int_equal(st->threads[0].run_ns, 15);
    stats_free(st);
    free(s);
}

static void test_blocked_by_kind(void **state)
{
    (void)state;
    Synth *s = synth_new();
    ev(s, 0, 0, 0, EV_THREAD_START, UINT32_MAX);
    ev(s, 0, 0, 0, EV_GIL_ACQUIRE, 0);
    ev(s, 0, 0, 10, EV_GIL_RELEASE, REL_BLOCKING);
    ev(s, 0, 0, 10, EV_BLOCK_BEGIN, BLOCK_SLEEP);
    ev(s, 0, 0, 110, EV_BLOCK_END, 0);
    ev(s, 0, 0, 110, EV_GIL_ACQUIRE, 0);
    ev(s, 0, 0, 120, EV_GIL_RELEASE, REL_BLOCKING);
    ev(s, 0, 0, 125, EV_BLOCK_BEGIN, BLOCK_SOCKET);
    ev(s, 0, 0, 145, EV_BLOCK_END, 0);
    ev(s, 0, 0, 150, EV_GIL_ACQUIRE, 0);
    ev(s, 0, 0, 160, EV_MARK, 1);
    ev(s, 0, 0, 170, EV_GIL_RELEASE, REL_EXIT);
    ev(s, 0, 0, 170, EV_THREAD_END, 0);
    Stats *st = stats_compute(&s->tf);
    const StatsThread *t = &st->threads[0];
    assert_int_equal(t->life_ns, 170);
    assert_int_equal(t->run_ns, 40);
    assert_int_equal(t->blocked_ns, 120);
    assert_int_equal(t->blocked_by_kind[BLOCK_SLEEP], 100);
    assert_int_equal(t->blocked_by_kind[BLOCK_SOCKET], 20);
    assert_int_equal(t->idle_ns, 10);
    assert_int_equal(t->releases[REL_BLOCKING], 2);
    assert_int_equal(t->releases[REL_EXIT], 1);
    assert_int_equal(t->marks, 1);
    assert_int_equal(st->runs[0].checks, 0);
    assert_true(st->runs[0].badness == 0.0);
    stats_free(st);
    free(s);
}

static void test_percentiles(void **state)
{
    (void)state;
    uint64_t v[100];
    for (int i = 0; i < 100; i++)
        v[i] = (uint64_t)i + 1;
    assert_int_equal(stats_percentile(v, 100, 50), 50);
    assert_int_equal(stats_percentile(v, 100, 90), 90);
    assert_int_equal(stats_percentile(v, 100, 99), 99);
    assert_int_equal(stats_percentile(v, 100, 100), 100);
    assert_int_equal(stats_percentile(v, 1, 50), 1);
    assert_int_equal(stats_percentile(v, 1, 99), 1);
    assert_int_equal(stats_percentile(v, 0, 50), 0);
    uint64_t w[] = { 10, 20, 30 };
    assert_int_equal(stats_percentile(w, 3, 50), 20);
    assert_int_equal(stats_percentile(w, 3, 90), 30);
    assert_int_equal(stats_percentile(w, 3, 10), 10);
}

static void test_json_keys(void **state)
{
    (void)state;
    Synth *s = synth_new();
    s->lanes[0][1].name = "we\"ird\n";
    ev(s, 0, 0, 0, EV_GIL_ACQUIRE, 0);
    ev(s, 0, 1, 5, EV_GIL_ACQUIRE, 0);
    ev(s, 0, 0, 10, EV_GIL_RELEASE, REL_FORCED);
    ev(s, 0, 1, 20, EV_GIL_RELEASE, REL_FORCED);
    Stats *st = stats_compute(&s->tf);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    stats_print_json(st, &s->tf, out);
    fclose(out);
    const char *keys[] = { "\"wall_ns\": 20", "\"overlap_violations\": 1", "\"events\": 4", "\"lost\": 0",
                           "\"truncated\": false", "\"runs\": [", "\"threads\": [", "\"name\": \"MainThread\"",
                           "\"name\": \"we\\\"ird\\n\"", "\"pid\": 100", "\"tid\": 1", "\"run_ns\": ",
                           "\"wait_ns\": ", "\"blocked_ns\": ", "\"idle_ns\": ", "\"acquisitions\": 1",
                           "\"switches\": ", "\"failed_wakeups\": 0", "\"drop_requests\": 0",
                           "\"wait_p50_ns\": ", "\"hold_p99_ns\": ", "\"handoff_p50_ns\": ", "\"badness\": ",
                           "\"cpu_ns\": null", "\"blocked_by_kind_ns\": {\"sleep\": 0" };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        if (!strstr(buf, keys[i]))
            fail_msg("missing %s in %s", keys[i], buf);
    }
    /* Balanced braces and brackets outside strings: one object. */
    int depth = 0;
    bool in_str = false;
    for (const char *p = buf; *p; p++) {
        if (in_str) {
            if (*p == '\\')
                p++;
            else if (*p == '"')
                in_str = false;
        } else if (*p == '"')
            in_str = true;
        else if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']')
            depth--;
        assert_true(depth >= 0);
    }
    assert_int_equal(depth, 0);
    free(buf);
    char *tbuf = NULL;
    out = open_memstream(&tbuf, &len);
    stats_print_text(st, &s->tf, out);
    fclose(out);
    assert_non_null(strstr(tbuf, "overlap violations: 1"));
    assert_non_null(strstr(tbuf, "MainThread"));
    free(tbuf);
    stats_free(st);
    free(s);
}

/* ---- the command ------------------------------------------------------------------------------ */

static void test_stats_main_status(void **state)
{
    (void)state;
    char dir[] = "/tmp/gilscope-test-stats-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char good[128], bad[128], cut[128];
    snprintf(good, sizeof good, "%s/g.gilt", dir);
    snprintf(bad, sizeof bad, "%s/b.gilt", dir);
    snprintf(cut, sizeof cut, "%s/c.gilt", dir);
    Tracer *tr = trace_open(good, NULL);
    assert_non_null(tr);
    TraceBuf *tb = trace_thread_begin(tr, 0, "MainThread");
    trace_record(tb, EV_THREAD_START, UINT32_MAX, 0);
    trace_record(tb, EV_GIL_ACQUIRE, 0, 0);
    trace_record(tb, EV_GIL_RELEASE, REL_EXIT, 100);
    trace_record(tb, EV_THREAD_END, 0, 100);
    trace_thread_end(tb);
    assert_int_equal(trace_close(tr, false), 0);
    FILE *fp = fopen(bad, "w");
    fputs("not a trace\n", fp);
    fclose(fp);
    /* The good file minus its last 3 bytes. */
    fp = fopen(good, "rb");
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    fp = fopen(cut, "wb");
    fwrite(buf, 1, n - 3, fp);
    fclose(fp);

    char *a0[] = { "stats", NULL };
    assert_int_equal(stats_main(1, a0), 64);
    char *a1[] = { "stats", "--bogus", good, NULL };
    assert_int_equal(stats_main(3, a1), 64);
    char *a2[] = { "stats", "/nonexistent/x.gilt", NULL };
    assert_int_equal(stats_main(2, a2), 74);
    char *a3[] = { "stats", bad, NULL };
    assert_int_equal(stats_main(2, a3), 65);
    char *a4[] = { "stats", good, "--json", NULL };
    assert_int_equal(stats_main(3, a4), 0);
    char *a5[] = { "stats", cut, NULL };
    assert_int_equal(stats_main(2, a5), 0);
    char *a6[] = { "stats", good, cut, NULL };
    assert_int_equal(stats_main(3, a6), 64);
    char *a7[] = { "stats", "--help", NULL };
    assert_int_equal(stats_main(2, a7), 0);

    char *sum = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&sum, &len);
    assert_int_equal(stats_print_summary(good, out), 0);
    fclose(out);
    assert_non_null(strstr(sum, "MainThread"));
    assert_non_null(strstr(sum, good));
    assert_non_null(strstr(sum, "0 failed wake-ups"));
    free(sum);
    unlink(good);
    unlink(bad);
    unlink(cut);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_threads_alternating),
        cmocka_unit_test(test_failed_wakeups),
        cmocka_unit_test(test_overlap_detected),
        cmocka_unit_test(test_loss_resets_state),
        cmocka_unit_test(test_blocked_by_kind),
        cmocka_unit_test(test_percentiles),
        cmocka_unit_test(test_json_keys),
        cmocka_unit_test(test_stats_main_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
