/*
 * test_model.c -- the viz model on event sequences with known answers:
 * intervals and their states, a truncated lane, out-of-order timestamps,
 * a loss gap, missing chunks and a cut end, switches across lanes, times far apart (escaped 32-bit
 * offsets), the LOD columns and range figures against a brute-force count,
 * the ticks map, the headline; loading a real file and a corrupt one; the
 * same model whether lanes are decoded on one thread or several.
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

#include "interp/trace.h"
#include "viz/export.h"
#include "viz/model.h"

#define B 1000000000ull         /* the pane's first event, absolute ns */

static TraceEvent ev(uint64_t ns, unsigned kind, uint32_t arg, uint64_t ticks)
{
    return (TraceEvent){ .ns = B + ns, .ticks = ticks, .arg = arg, .kind = (uint8_t)kind };
}

static Model *one_lane(const TraceEvent *e, size_t n)
{
    ModelBuilder *b = model_builder_new();
    size_t p = model_builder_pane(b, "t.gilt", NULL);
    size_t l = model_builder_lane(b, p, 7, 0);
    model_builder_lane_name(b, l, "main");
    model_builder_events(b, l, e, n);
    return model_builder_finish(b);
}

static void expect_iv(const ModelLane *ln, size_t i, uint64_t t0, uint64_t t1, ModelState st)
{
    ModelInterval iv;
    model_lane_interval(ln, i, &iv);
    if (iv.t0 != t0 || iv.t1 != t1 || iv.state != st)
        fail_msg("interval %zu: got [%llu, %llu) %s, want [%llu, %llu) %s", i, (unsigned long long)iv.t0,
                 (unsigned long long)iv.t1, model_state_name(iv.state), (unsigned long long)t0,
                 (unsigned long long)t1, model_state_name(st));
}

static void test_intervals(void **state)
{
    (void)state;
    TraceEvent e[] = {
        ev(0, EV_THREAD_START, 0, 0),     ev(10, EV_GIL_REQUEST, 0, 0),
        ev(20, EV_GIL_ACQUIRE, 0, 0),     ev(50, EV_GIL_RELEASE, REL_FORCED, 300),
        ev(60, EV_GIL_ACQUIRE, 0, 300),   ev(70, EV_GIL_RELEASE, REL_BLOCKING, 400),
        ev(70, EV_BLOCK_BEGIN, BLOCK_SLEEP, 400), ev(100, EV_BLOCK_END, 0, 400),
        ev(105, EV_FAILED_WAKEUP, 0, 400), ev(110, EV_THREAD_END, 0, 400),
    };
    Model *m = one_lane(e, sizeof e / sizeof *e);
    assert_int_equal(m->npanes, 1);
    const ModelLane *ln = &m->panes[0].lanes[0];
    assert_string_equal(ln->name, "main");
    assert_int_equal(ln->nintervals, 7);
    expect_iv(ln, 0, 0, 10, MS_IDLE);
    expect_iv(ln, 1, 10, 20, MS_WAITING);
    expect_iv(ln, 2, 20, 50, MS_RUNNING);
    expect_iv(ln, 3, 50, 60, MS_WAITING);
    expect_iv(ln, 4, 60, 70, MS_RUNNING);
    expect_iv(ln, 5, 70, 100, MS_BLOCKED);
    expect_iv(ln, 6, 100, 110, MS_IDLE);
    ModelInterval iv;
    model_lane_interval(ln, 2, &iv);
    assert_true(iv.contended);
    model_lane_interval(ln, 5, &iv);
    assert_int_equal(iv.detail, BLOCK_SLEEP);
    model_lane_interval(ln, 3, &iv);
    assert_int_equal(iv.detail, REL_FORCED);
    assert_true(ln->ended);
    assert_int_equal(ln->total.ns[MS_RUNNING], 40);
    assert_int_equal(ln->total.acquisitions, 2);
    assert_int_equal(ln->total.marks[MK_FAILED_FIRST], 1);
    assert_int_equal(model_lane_find(ln, 0), 0);
    assert_int_equal(model_lane_find(ln, 49), 2);
    assert_int_equal(model_lane_find(ln, 50), 3);
    assert_int_equal(model_lane_find(ln, 110), -1);
    assert_int_equal(m->panes[0].total_ticks, 400);
    model_free(m);
}

static void test_truncated_and_out_of_order(void **state)
{
    (void)state;
    /* No THREAD_END (a cut trace); one timestamp goes backwards. */
    TraceEvent e[] = {
        ev(0, EV_THREAD_START, 0, 0), ev(10, EV_GIL_ACQUIRE, 0, 0),
        ev(40, EV_GIL_RELEASE, REL_CHECK_INTERVAL, 100), ev(30, EV_GIL_ACQUIRE, 0, 100),
        ev(80, EV_GIL_REQUEST, 0, 200),
    };
    Model *m = one_lane(e, sizeof e / sizeof *e);
    const ModelLane *ln = &m->panes[0].lanes[0];
    assert_false(ln->ended);
    assert_int_equal(ln->end_ns, 80);
    uint64_t sum = 0;
    for (int s = 0; s < MS__COUNT; s++)
        sum += ln->total.ns[s];
    assert_int_equal(sum, 80);
    assert_int_equal(ln->total.ns[MS_RUNNING], 30 + 40);   /* the backwards ACQUIRE counts at 40 */
    assert_int_equal(ln->total.acquisitions, 2);
    model_free(m);
}

static void test_loss_gap(void **state)
{
    (void)state;
    TraceEvent e[] = {
        ev(0, EV_THREAD_START, 0, 0), ev(10, EV_GIL_ACQUIRE, 0, 0),
        ev(50, EV_LOSS, 12, 0),       ev(60, EV_GIL_REQUEST, 0, 0), ev(70, EV_THREAD_END, 0, 0),
    };
    Model *m = one_lane(e, sizeof e / sizeof *e);
    const ModelLane *ln = &m->panes[0].lanes[0];
    /* The holder's last known event is at 10: [10, 50) is unknown, not held. */
    assert_int_equal(ln->total.ns[MS_GAP], 40);
    assert_int_equal(ln->total.ns[MS_RUNNING], 0);
    assert_int_equal(ln->lost, 12);
    assert_int_equal(ln->total.marks[MK_LOSS], 1);
    model_free(m);
}

/* Missing chunks and a missing end: gaps where the data is unknown. */
static void test_missing_and_cut(void **state)
{
    (void)state;
    ModelBuilder *b = model_builder_new();
    size_t p = model_builder_pane(b, "t.gilt", NULL);
    size_t l1 = model_builder_lane(b, p, 7, 1), l2 = model_builder_lane(b, p, 7, 2);
    TraceEvent a[] = { ev(0, EV_THREAD_START, 0, 0), ev(10, EV_GIL_ACQUIRE, 0, 0) };
    TraceEvent c[] = { ev(100, EV_GIL_RELEASE, 3, 0), ev(120, EV_THREAD_END, 0, 0) };
    model_builder_events(b, l1, a, 2);
    model_builder_lane_missing(b, l1, 2);
    model_builder_events(b, l1, c, 2);
    /* Lane 2 stops at 50 without THREAD_END, and its process never closed. */
    TraceEvent d[] = { ev(0, EV_THREAD_START, 0, 0), ev(30, EV_GIL_REQUEST, 0, 0), ev(50, EV_GIL_REQUEST, 0, 0) };
    model_builder_events(b, l2, d, 3);
    model_builder_lane_cut(b, l2);
    Model *m = model_builder_finish(b);
    const ModelLane *x = &m->panes[0].lanes[0], *y = &m->panes[0].lanes[1];
    /* Lane 1 held the GIL from 10; what came before 100 is unknown. */
    assert_int_equal(x->total.ns[MS_GAP], 90);
    assert_int_equal(x->total.ns[MS_RUNNING], 0);
    assert_int_equal(x->missing_chunks, 2);
    /* Lane 2: waiting from 30 to its last event, then unknown to the pane's end. */
    assert_int_equal(y->end_ns, 120);
    assert_int_equal(y->total.ns[MS_WAITING], 20);
    assert_int_equal(y->total.ns[MS_GAP], 70);
    assert_int_equal(m->panes[0].missing_chunks, 2);
    assert_int_equal(m->panes[0].cut_lanes, 1);
    model_free(m);
}

static void test_switches(void **state)
{
    (void)state;
    ModelBuilder *b = model_builder_new();
    size_t p = model_builder_pane(b, "t.gilt", NULL);
    size_t l1 = model_builder_lane(b, p, 7, 1), l0 = model_builder_lane(b, p, 7, 0);
    TraceEvent a[] = { ev(0, EV_GIL_ACQUIRE, 0, 0),   ev(10, EV_GIL_RELEASE, 1, 10),
                       ev(11, EV_GIL_ACQUIRE, 0, 10), ev(20, EV_GIL_RELEASE, 1, 20),
                       ev(40, EV_GIL_ACQUIRE, 0, 20), ev(50, EV_GIL_RELEASE, 3, 30) };
    TraceEvent c[] = { ev(5, EV_GIL_REQUEST, 0, 0), ev(25, EV_GIL_ACQUIRE, 0, 0), ev(35, EV_GIL_RELEASE, 3, 10) };
    model_builder_events(b, l0, a, 6);
    model_builder_events(b, l1, c, 3);
    Model *m = model_builder_finish(b);
    const ModelPane *pn = &m->panes[0];
    assert_int_equal(pn->nlanes, 2);
    assert_int_equal(pn->lanes[0].tid, 0);      /* main thread on top */
    assert_int_equal(pn->lanes[0].total.acquisitions, 3);
    assert_int_equal(pn->lanes[0].total.switches, 1);      /* at 40, after tid 1 */
    assert_int_equal(pn->lanes[1].total.switches, 1);      /* at 25 */
    assert_int_equal(pn->total_ticks, 40);
    assert_int_equal(model_pane_ticks_at(pn, 0), 0);
    model_free(m);
}

static void test_far_apart(void **state)
{
    (void)state;
    /* Long sleeps (> 4.29 s) inside one block, and more than one block. */
    size_t n = 2000;
    TraceEvent *e = calloc(n, sizeof *e);
    uint64_t t = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned k = i % 2 ? EV_GIL_RELEASE : EV_GIL_ACQUIRE;
        e[i] = ev(t, k, REL_BLOCKING, i * 1000);
        t += i % 97 == 0 ? 7000000000ull : 1000;
    }
    Model *m = one_lane(e, n);
    const ModelLane *ln = &m->panes[0].lanes[0];
    assert_int_equal(ln->nintervals, n - 1);   /* the release at the end has no length */
    for (size_t i = 0; i + 1 < n; i++) {
        ModelInterval iv;
        model_lane_interval(ln, i, &iv);
        assert_int_equal(iv.t0, e[i].ns - B);
        assert_int_equal(iv.ticks0, e[i].ticks);
        assert_int_equal(model_lane_find(ln, iv.t0), (long long)i);
    }
    free(e);
    model_free(m);
}

/* Random realistic sequences: LOD columns and ranges against brute force. */
static uint64_t rs = 88172645463325252ull;
static uint64_t rnd(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}

static void brute(const ModelLane *ln, uint64_t a, uint64_t z, ModelRange *r)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < ln->nintervals; i++) {
        ModelInterval iv;
        model_lane_interval(ln, i, &iv);
        uint64_t lo = iv.t0 > a ? iv.t0 : a, hi = iv.t1 < z ? iv.t1 : z;
        if (hi > lo)
            r->ns[iv.state] += hi - lo;
        if (iv.state == MS_RUNNING && iv.t0 >= a && iv.t0 < z) {
            r->acquisitions++;
            r->switches += iv.switched;
        }
    }
    for (size_t i = 0; i < ln->nmarks; i++) {
        ModelMark mk;
        model_lane_mark(ln, i, &mk);
        if (mk.ns >= a && mk.ns < z)
            r->marks[mk.kind]++;
    }
}

static void test_lod_brute_force(void **state)
{
    (void)state;
    size_t n = 30000;
    TraceEvent *e = calloc(n, sizeof *e);
    uint64_t t = 0, ticks = 0;
    for (size_t i = 0; i < n; i++) {
        static const unsigned kinds[] = { EV_GIL_REQUEST, EV_GIL_ACQUIRE, EV_GIL_RELEASE, EV_FAILED_WAKEUP,
                                          EV_DROP_REQUEST, EV_BLOCK_BEGIN, EV_BLOCK_END, EV_SWITCH_WAIT_BEGIN,
                                          EV_SWITCH_WAIT_END, EV_LOSS };
        unsigned k = kinds[rnd() % (i % 1000 == 999 ? 10 : 9)];
        t += rnd() % 3 == 0 ? 0 : rnd() % 100000;
        ticks += rnd() % 50;
        e[i] = ev(t, k, (uint32_t)(rnd() % 4), ticks);
    }
    ModelBuilder *b = model_builder_new();
    size_t p = model_builder_pane(b, "t.gilt", NULL);
    size_t l = model_builder_lane(b, p, 1, 0);
    model_builder_events(b, l, e, n / 2);       /* two calls: as chunks arrive */
    model_builder_events(b, l, e + n / 2, n - n / 2);
    Model *m = model_builder_finish(b);
    const ModelLane *ln = &m->panes[0].lanes[0];
    uint64_t end = ln->end_ns;
    for (int round = 0; round < 20; round++) {
        size_t ncol = 1 + rnd() % 300;
        uint64_t a = rnd() % (end + 10), z = a + rnd() % (end + 10 - a) + 1;
        uint64_t *edges = malloc((ncol + 1) * sizeof *edges);
        for (size_t c = 0; c <= ncol; c++)
            edges[c] = a + (z - a) * c / ncol;
        uint64_t (*sh)[MS__COUNT] = malloc(ncol * sizeof *sh);
        model_lane_columns(ln, edges, ncol, sh);
        for (size_t c = 0; c < ncol; c += 1 + ncol / 17) {
            ModelRange r;
            brute(ln, edges[c], edges[c + 1], &r);
            for (int s = 0; s < MS__COUNT; s++)
                if (sh[c][s] != r.ns[s]) {
                    for (int q = 0; q < MS__COUNT; q++)
                        print_message("state %d: model %llu brute %llu\n", q, (unsigned long long)sh[c][q],
                                      (unsigned long long)r.ns[q]);
                    long long fi = model_lane_find(ln, edges[c]);
                    for (long long k = fi - 2; k < fi + 6; k++) {
                        ModelInterval iv;
                        model_lane_interval(ln, (size_t)k, &iv);
                        print_message("iv %lld [%llu %llu) %d\n", k, (unsigned long long)iv.t0,
                                      (unsigned long long)iv.t1, iv.state);
                    }
                    fail_msg("round %d column %zu of %zu [%llu, %llu) state %d: %llu != %llu (lane %llu..%llu)", round,
                             c, ncol, (unsigned long long)edges[c], (unsigned long long)edges[c + 1], s,
                             (unsigned long long)sh[c][s], (unsigned long long)r.ns[s],
                             (unsigned long long)ln->start_ns, (unsigned long long)ln->end_ns);
                }
        }
        ModelRange want, got;
        brute(ln, a, z, &want);
        model_lane_range(ln, a, z, &got);
        assert_memory_equal(&want, &got, sizeof want);
        free(edges);
        free(sh);
    }
    free(e);
    model_free(m);
}

static void test_headline_and_load(void **state)
{
    (void)state;
    char path[] = "/tmp/test_model_XXXXXX.gilt";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    close(fd);
    char *argv[] = { "synth", "--events", "20000", "--threads", "2", "-o", path, NULL };
    assert_int_equal(synth_main(7, argv), 0);
    char *argv2[] = { "synth", "--events", "20000", "--threads", "1", "--processes", "2", "-o", path, NULL };
    Model *m = NULL;
    char err[256];
    const char *paths[] = { path };
    assert_int_equal(model_load(paths, 1, &m, err, sizeof err), MODEL_OK);
    assert_int_equal(m->npanes, 1);
    assert_int_equal(m->panes[0].nlanes, 3);
    assert_string_equal(m->panes[0].lanes[0].name, "MainThread");
    assert_true(m->events >= 20000);
    model_free(m);
    (void)argv2;
    /* A corrupt file: a clear status and a message naming it. */
    FILE *fp = fopen(path, "wb");
    fputs("not a trace", fp);
    fclose(fp);
    assert_int_equal(model_load(paths, 1, &m, err, sizeof err), MODEL_EFORMAT);
    assert_null(m);
    assert_non_null(strstr(err, path));
    const char *missing[] = { "/nonexistent/x.gilt" };
    assert_int_equal(model_load(missing, 1, &m, err, sizeof err), MODEL_EIO);
    unlink(path);
    /* Headline over two panes. */
    ModelBuilder *b = model_builder_new();
    TraceEvent a1[] = { ev(0, EV_GIL_ACQUIRE, 0, 0), ev(180, EV_GIL_RELEASE, 3, 0) };
    TraceEvent a2[] = { ev(0, EV_GIL_ACQUIRE, 0, 0), ev(100, EV_GIL_RELEASE, 3, 0) };
    model_builder_events(b, model_builder_lane(b, model_builder_pane(b, "a", NULL), 1, 0), a1, 2);
    model_builder_events(b, model_builder_lane(b, model_builder_pane(b, "b", NULL), 1, 0), a2, 2);
    m = model_builder_finish(b);
    char hl[200];
    model_headline(m, hl, sizeof hl);
    assert_non_null(strstr(hl, "1.8x sooner"));
    model_free(m);
}

/* Two models are the same: panes, lanes, every interval and mark, figures, notes. */
static void expect_same_model(const Model *a, const Model *b)
{
    assert_int_equal(a->npanes, b->npanes);
    assert_int_equal(a->events, b->events);
    assert_int_equal(a->span_ns, b->span_ns);
    assert_int_equal(a->nnotes, b->nnotes);
    for (size_t i = 0; i < a->nnotes; i++)
        assert_string_equal(a->notes[i], b->notes[i]);
    for (size_t p = 0; p < a->npanes; p++) {
        const ModelPane *x = &a->panes[p], *y = &b->panes[p];
        assert_int_equal(x->nlanes, y->nlanes);
        assert_int_equal(x->events, y->events);
        assert_int_equal(x->lost, y->lost);
        assert_int_equal(x->missing_chunks, y->missing_chunks);
        assert_int_equal(x->cut_lanes, y->cut_lanes);
        assert_int_equal(x->total_ticks, y->total_ticks);
        assert_memory_equal(&x->total, &y->total, sizeof x->total);
        assert_string_equal(x->params, y->params);
        for (size_t l = 0; l < x->nlanes; l++) {
            const ModelLane *u = &x->lanes[l], *v = &y->lanes[l];
            assert_string_equal(u->name, v->name);
            assert_int_equal(u->pid, v->pid);
            assert_int_equal(u->tid, v->tid);
            assert_int_equal(u->nintervals, v->nintervals);
            assert_int_equal(u->nmarks, v->nmarks);
            assert_int_equal(u->start_ns, v->start_ns);
            assert_int_equal(u->end_ns, v->end_ns);
            assert_int_equal(u->lost, v->lost);
            assert_int_equal(u->events, v->events);
            assert_int_equal(u->missing_chunks, v->missing_chunks);
            assert_memory_equal(&u->total, &v->total, sizeof u->total);
            for (size_t i = 0; i < u->nintervals; i++) {
                ModelInterval ia, ib;
                model_lane_interval(u, i, &ia);
                model_lane_interval(v, i, &ib);
                if (ia.t0 != ib.t0 || ia.t1 != ib.t1 || ia.ticks0 != ib.ticks0 || ia.state != ib.state ||
                    ia.detail != ib.detail || ia.contended != ib.contended || ia.switched != ib.switched)
                    fail_msg("pane %zu lane %zu interval %zu differs", p, l, i);
            }
            for (size_t i = 0; i < u->nmarks; i++) {
                ModelMark ma, mb;
                model_lane_mark(u, i, &ma);
                model_lane_mark(v, i, &mb);
                if (ma.ns != mb.ns || ma.arg != mb.arg || ma.kind != mb.kind)
                    fail_msg("pane %zu lane %zu mark %zu differs", p, l, i);
            }
        }
    }
}

/* Decoding lanes on several threads gives the model of one thread: on a
 * multi-lane trace, a multi-process one with missing data, and a damaged
 * copy (notes in file order). */
static void test_parallel_load(void **state)
{
    (void)state;
    char a[] = "/tmp/test_model_par_XXXXXX.gilt", b[] = "/tmp/test_model_par_XXXXXX.gilt";
    int fa = mkstemps(a, 5), fb = mkstemps(b, 5);
    assert_true(fa >= 0 && fb >= 0);
    close(fa);
    close(fb);
    char *argv1[] = { "synth", "--events", "120000", "--threads", "5", "--seed", "11", "-o", a, NULL };
    assert_int_equal(synth_main(9, argv1), 0);
    char *argv2[] = { "synth", "--events", "90000", "--threads", "2", "--processes", "3", "--drop-chunks", "1",
                      "--lose", "700", "--seed", "12", "-o", b, NULL };
    assert_int_equal(synth_main(15, argv2), 0);
    const char *paths[] = { a, b };
    char err[256];
    Model *m1 = NULL, *m2 = NULL, *m4 = NULL;
    assert_int_equal(model_load_threads(paths, 2, 1, &m1, err, sizeof err), MODEL_OK);
    assert_int_equal(model_load_threads(paths, 2, 2, &m2, err, sizeof err), MODEL_OK);
    assert_int_equal(model_load_threads(paths, 2, 4, &m4, err, sizeof err), MODEL_OK);
    assert_int_equal(m1->npanes, 2);
    assert_true(m1->panes[1].missing_chunks > 0 && m1->panes[1].lost == 700);
    expect_same_model(m1, m2);
    expect_same_model(m1, m4);
    model_free(m1);
    model_free(m2);
    model_free(m4);
    /* Damage: flip bytes inside a few chunks and cut the end. */
    FILE *fp = fopen(a, "r+b");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    for (long off = len / 7; off < len; off += len / 5) {
        fseek(fp, off, SEEK_SET);
        fputc(0x5a, fp);
        fputc(0xa5, fp);
    }
    fclose(fp);
    assert_int_equal(truncate(a, len - len / 9), 0);
    assert_int_equal(model_load_threads(paths, 1, 1, &m1, err, sizeof err), MODEL_OK);
    assert_int_equal(model_load_threads(paths, 1, 2, &m2, err, sizeof err), MODEL_OK);
    assert_true(m1->nnotes >= 3);
    expect_same_model(m1, m2);
    /* The notes are those of the reader that keeps every event. */
    TraceFile *tf = NULL;
    assert_int_equal(trace_read_file(a, &tf, err, sizeof err), TRACE_READ_OK);
    assert_int_equal(tf->nnotes, m2->nnotes);
    for (size_t i = 0; i < tf->nnotes; i++)
        assert_string_equal(tf->notes[i], m2->notes[i]);
    trace_file_free(tf);
    model_free(m1);
    model_free(m2);
    unlink(a);
    unlink(b);
}

typedef struct Acq {
    uint64_t t;
    size_t lane;
    bool switched;
} Acq;

static int acq_cmp(const void *a, const void *b)
{
    const Acq *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->lane < y->lane ? -1 : x->lane > y->lane;
}

/* Switch flags of a process big enough to be merged in two halves on two
 * threads, against a brute-force sort of all its acquisitions. */
static void test_switches_big(void **state)
{
    (void)state;
    char a[] = "/tmp/test_model_sw_XXXXXX.gilt";
    int fa = mkstemps(a, 5);
    assert_true(fa >= 0);
    close(fa);
    char *argv[] = { "synth", "--events", "600000", "--threads", "3", "--seed", "21", "-o", a, NULL };
    assert_int_equal(synth_main(9, argv), 0);
    const char *paths[] = { a };
    char err[256];
    Model *m = NULL;
    assert_int_equal(model_load(paths, 1, &m, err, sizeof err), MODEL_OK);
    const ModelPane *p = &m->panes[0];
    size_t n = 0, k = 0;
    for (size_t l = 0; l < p->nlanes; l++)
        n += p->lanes[l].nintervals;
    assert_true(n >= 200000);   /* the threshold of the two-part merge */
    Acq *v = malloc(n * sizeof *v);
    for (size_t l = 0; l < p->nlanes; l++)
        for (size_t i = 0; i < p->lanes[l].nintervals; i++) {
            ModelInterval iv;
            model_lane_interval(&p->lanes[l], i, &iv);
            if (iv.state == MS_RUNNING)
                v[k++] = (Acq){ iv.t0, l, iv.switched };
        }
    qsort(v, k, sizeof *v, acq_cmp);
    size_t bad = 0, sw = 0;
    for (size_t i = 0; i < k; i++) {
        bool want = i > 0 && v[i - 1].lane != v[i].lane;
        bad += want != v[i].switched;
        sw += want;
    }
    assert_int_equal(bad, 0);
    assert_int_equal(p->total.switches, sw);
    free(v);
    model_free(m);
    unlink(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intervals),
        cmocka_unit_test(test_truncated_and_out_of_order),
        cmocka_unit_test(test_loss_gap),
        cmocka_unit_test(test_missing_and_cut),
        cmocka_unit_test(test_switches),
        cmocka_unit_test(test_far_apart),
        cmocka_unit_test(test_lod_brute_force),
        cmocka_unit_test(test_headline_and_load),
        cmocka_unit_test(test_parallel_load),
        cmocka_unit_test(test_switches_big),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
