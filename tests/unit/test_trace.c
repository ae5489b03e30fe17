/*
 * test_trace.c -- the tracer and the .gilt reader: events written by several
 * threads through the real API come back exactly; bytes per event; a file
 * cut anywhere or with a flipped bit still opens and says what happened;
 * losses are counted, never silent; a forked child's events land in the
 * same trace under its pid; two files concatenated are two runs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "interp/trace.h"
#include "viz/trace_read.h"

/* ---- fixtures: a temporary trace path per test -------------------------------------- */

typedef struct Fix {
    char dir[64];
    char path[128];
    char path2[128];
} Fix;

static int fix_setup(void **state)
{
    Fix *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/gilscope-test-trace-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/t.gilt", f->dir);
    snprintf(f->path2, sizeof f->path2, "%s/u.gilt", f->dir);
    *state = f;
    return 0;
}

static int fix_teardown(void **state)
{
    Fix *f = *state;
    unlink(f->path);
    unlink(f->path2);
    rmdir(f->dir);
    free(f);
    return 0;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static TraceRunInfo test_info(void)
{
    static char *argv[] = { "w.py", "3", "x y" };
    return (TraceRunInfo){ .workload = "w.py", .argc = 3, .argv = argv, .mode = "threads",
                           .policy = "newgil", .switch_interval_s = 0.005, .cpus = 0 };
}

/* ---- a deterministic event stream per thread --------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* The i-th event of thread tid's stream: kinds cycle through the GIL
 * protocol; args and tick steps vary in size to exercise every encoding. */
static void stream_event(uint32_t tid, uint64_t *rng, uint64_t *ticks, TraceEventKind *kind, uint32_t *arg)
{
    static const TraceEventKind cycle[] = { EV_GIL_REQUEST, EV_FAILED_WAKEUP, EV_GIL_ACQUIRE, EV_MARK,
                                            EV_GIL_RELEASE, EV_BLOCK_BEGIN, EV_BLOCK_END, EV_DROP_REQUEST };
    uint64_t r = rng_next(rng);
    *kind = cycle[r % 8];
    switch ((r >> 8) % 4) {
    case 0: *arg = 0; break;
    case 1: *arg = (uint32_t)(r >> 16) % 7; break;
    case 2: *arg = (uint32_t)(r >> 16) % 100000; break;
    default: *arg = (uint32_t)(r >> 32) ^ tid; break;
    }
    switch ((r >> 12) % 3) {
    case 0: break;
    case 1: *ticks += (r >> 20) % 200; break;
    default: *ticks += (r >> 20) % 5000000; break;
    }
}

typedef struct Worker {
    Tracer *tr;
    uint32_t tid;
    size_t n;
} Worker;

static void *worker_main(void *arg)
{
    Worker *w = arg;
    char name[32];
    snprintf(name, sizeof name, "worker-%u", w->tid);
    TraceBuf *tb = trace_thread_begin(w->tr, w->tid, "unnamed");
    trace_thread_name(tb, name);
    uint64_t rng = 0x9E3779B97F4A7C15ull * (w->tid + 1), ticks = 0;
    for (size_t i = 0; i < w->n; i++) {
        TraceEventKind kind;
        uint32_t a;
        stream_event(w->tid, &rng, &ticks, &kind, &a);
        trace_record(tb, kind, a, ticks);
    }
    trace_thread_end(tb);
    return NULL;
}

static void check_stream(const TraceLane *l, uint32_t tid, size_t n)
{
    char name[32];
    snprintf(name, sizeof name, "worker-%u", tid);
    assert_string_equal(l->name, name);
    assert_int_equal(l->tid, tid);
    assert_int_equal(l->nev, n);
    assert_int_equal(l->lost, 0);
    assert_true(l->has_cpu);
    uint64_t rng = 0x9E3779B97F4A7C15ull * (tid + 1), ticks = 0;
    for (size_t i = 0; i < n; i++) {
        TraceEventKind kind;
        uint32_t a;
        stream_event(tid, &rng, &ticks, &kind, &a);
        assert_int_equal(l->ev[i].kind, kind);
        assert_int_equal(l->ev[i].arg, a);
        assert_int_equal(l->ev[i].ticks, ticks);
        if (i)
            assert_true(l->ev[i].ns >= l->ev[i - 1].ns);
    }
}

#define NWORKERS 4
#define NEVENTS (3 * TRACE_BUF_EVENTS + 123)

static void write_workers(const char *path, size_t n)
{
    TraceRunInfo info = test_info();
    Tracer *tr = trace_open(path, &info);
    assert_non_null(tr);
    assert_string_equal(trace_path(tr), path);
    pthread_t th[NWORKERS];
    Worker w[NWORKERS];
    for (uint32_t i = 0; i < NWORKERS; i++) {
        w[i] = (Worker){ tr, i + 1, n };
        assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
    }
    for (int i = 0; i < NWORKERS; i++)
        pthread_join(th[i], NULL);
    TraceStats ts;
    trace_stats(tr, &ts);
    assert_int_equal(ts.events, (uint64_t)NWORKERS * n);
    assert_int_equal(ts.lost, 0);
    assert_int_equal(trace_close(tr, false), 0);
}

static void test_roundtrip_threads(void **state)
{
    Fix *f = *state;
    write_workers(f->path, NEVENTS);
    TraceFile *tf;
    char err[256];
    assert_int_equal(trace_read_file(f->path, &tf, err, sizeof err), TRACE_READ_OK);
    assert_int_equal(tf->nruns, 1);
    assert_false(tf->truncated);
    assert_int_equal(tf->damaged_chunks, 0);
    assert_int_equal(tf->nnotes, 0);
    const TraceRun *run = &tf->runs[0];
    assert_true(run->has_header);
    assert_true(run->complete);
    assert_false(run->interrupted);
    assert_string_equal(run->hdr.workload, "w.py");
    assert_int_equal(run->hdr.argc, 3);
    assert_string_equal(run->hdr.argv[2], "x y");
    assert_string_equal(run->hdr.mode, "threads");
    assert_string_equal(run->hdr.policy, "newgil");
    assert_int_equal(run->hdr.switch_interval_ns, 5000000);
    assert_string_equal(run->hdr.clock, "CLOCK_MONOTONIC");
    assert_true(run->hdr.cpus_online >= 1);
    assert_true(run->hdr.affinity_count >= 1);
    assert_true(run->hdr.start_realtime_ns > 0);
    assert_int_equal(run->hdr.pid, (uint32_t)getpid());
    assert_int_equal(run->nprocs, 1);
    const TraceProc *p = &run->procs[0];
    assert_true(p->closed);
    assert_int_equal(p->events, (uint64_t)NWORKERS * NEVENTS);
    assert_int_equal(p->threads, NWORKERS);
    assert_int_equal(p->unfinished, 0);
    assert_int_equal(p->nlanes, NWORKERS);
    for (uint32_t i = 0; i < NWORKERS; i++)
        check_stream(&p->lanes[i], i + 1, NEVENTS);
    assert_int_equal(run->events, (uint64_t)NWORKERS * NEVENTS);
    assert_int_equal(run->lost, 0);
    trace_file_free(tf);
}

/* ---- bytes per event on a Beazley-like stream --------------------------------------------- */

static void spin_ns(uint64_t ns)
{
    uint64_t end = trace_now_ns() + ns;
    while (trace_now_ns() < end)
        ;
}

/* legacy: every 100 ticks release and re-take (a few us apart), sometimes a
 * wait with failed wake-ups; newgil: 5 ms holds are rarer but bigger deltas
 * (here shortened).  Both through the real clock. */
static void test_bytes_per_event(void **state)
{
    Fix *f = *state;
    TraceRunInfo info = test_info();
    Tracer *tr = trace_open(f->path, &info);
    assert_non_null(tr);
    TraceBuf *tb = trace_thread_begin(tr, 0, "MainThread");
    uint64_t ticks = 0, rng = 42;
    size_t n = 0;
    trace_record(tb, EV_THREAD_START, UINT32_MAX, 0), n++;
    for (int i = 0; i < 12000; i++) {
        ticks += 100;
        spin_ns(1500 + rng_next(&rng) % 3000);
        trace_record(tb, EV_GIL_RELEASE, REL_CHECK_INTERVAL, ticks), n++;
        if (rng_next(&rng) % 4 == 0) {
            trace_record(tb, EV_GIL_REQUEST, 0, ticks), n++;
            spin_ns(rng_next(&rng) % 2000);
            trace_record(tb, EV_FAILED_WAKEUP, 0, ticks), n++;
            spin_ns(rng_next(&rng) % 2000);
        }
        trace_record(tb, EV_GIL_ACQUIRE, 0, ticks), n++;
    }
    trace_record(tb, EV_THREAD_END, 0, ticks), n++;
    trace_thread_end(tb);
    TraceStats ts;
    trace_stats(tr, &ts);
    assert_int_equal(ts.events, n);
    assert_int_equal(trace_close(tr, false), 0);
    struct stat st;
    assert_int_equal(stat(f->path, &st), 0);
    double bpe = (double)st.st_size / (double)n;
    fprintf(stderr, "# bytes per event (legacy-like stream, %zu events): %.2f\n", n, bpe);
    assert_true(bpe <= 8.0);
}

/* ---- chunk boundaries ------------------------------------------------------------------------ */

/* Offsets of every chunk of a well-formed file, and the file size last. */
static size_t chunk_offsets(const uint8_t *buf, size_t len, size_t *offs, size_t max)
{
    size_t n = 0, off = 0;
    while (off + 32 <= len && n < max) {
        offs[n++] = off;
        uint32_t plen = (uint32_t)buf[off + 8] | (uint32_t)buf[off + 9] << 8 | (uint32_t)buf[off + 10] << 16
                        | (uint32_t)buf[off + 11] << 24;
        off += 32 + plen;
    }
    assert_int_equal(off, len);
    return n;
}

static void test_truncated_everywhere(void **state)
{
    Fix *f = *state;
    write_workers(f->path, TRACE_BUF_EVENTS + 10);
    size_t len;
    uint8_t *buf = slurp(f->path, &len);
    size_t offs[64];
    size_t nch = chunk_offsets(buf, len, offs, 64);
    assert_true(nch >= 8);      /* header, meta, 8 event chunks, meta, close */
    char err[256];
    TraceFile *tf;
    /* Inside the header chunk: nothing readable. */
    assert_int_equal(trace_read_mem(buf, 10, "T.gilt", &tf, err, sizeof err), TRACE_READ_EFORMAT);
    assert_null(tf);
    assert_non_null(strstr(err, "T.gilt"));
    for (size_t i = 1; i <= nch; i++) {
        size_t cut = i < nch ? offs[i] : len;
        /* At a chunk boundary: a clean (if incomplete) file. */
        assert_int_equal(trace_read_mem(buf, cut, "T.gilt", &tf, err, sizeof err), TRACE_READ_OK);
        assert_false(tf->truncated);
        assert_int_equal(tf->damaged_chunks, 0);
        assert_int_equal(tf->runs[0].complete, i == nch);
        trace_file_free(tf);
        if (i == nch)
            break;
        /* Mid-frame and mid-payload: reported as a cut at that chunk. */
        size_t next = i + 1 < nch ? offs[i + 1] : len;
        size_t cuts[] = { cut + 1, cut + 31, cut + 32, (cut + next) / 2, next - 1 };
        for (size_t k = 0; k < sizeof cuts / sizeof *cuts; k++) {
            if (cuts[k] <= cut || cuts[k] >= next)
                continue;
            assert_int_equal(trace_read_mem(buf, cuts[k], "T.gilt", &tf, err, sizeof err), TRACE_READ_OK);
            assert_true(tf->truncated);
            assert_int_equal(tf->truncated_at, cut);
            assert_int_equal(tf->nnotes, 1);
            char want[64];
            snprintf(want, sizeof want, "T.gilt: chunk at byte %zu: truncated", cut);
            assert_non_null(strstr(tf->notes[0], want));
            assert_false(tf->runs[0].complete);
            trace_file_free(tf);
        }
    }
    free(buf);
}

static void test_flipped_bits(void **state)
{
    Fix *f = *state;
    write_workers(f->path, TRACE_BUF_EVENTS + 10);
    size_t len;
    uint8_t *buf = slurp(f->path, &len);
    size_t offs[64];
    size_t nch = chunk_offsets(buf, len, offs, 64);
    char err[256];
    TraceFile *tf;
    /* Every chunk's frame and payload, at a few positions each. */
    for (size_t c = 0; c < nch; c++) {
        size_t end = c + 1 < nch ? offs[c + 1] : len;
        size_t pos[] = { offs[c] + 5, offs[c] + 9, offs[c] + 29, offs[c] + 32, (offs[c] + end) / 2, end - 1 };
        for (size_t k = 0; k < sizeof pos / sizeof *pos; k++) {
            if (pos[k] >= end)
                continue;
            buf[pos[k]] ^= 0x10;
            TraceReadStatus st = trace_read_mem(buf, len, "T.gilt", &tf, err, sizeof err);
            buf[pos[k]] ^= 0x10;
            if (c == 0 && st != TRACE_READ_OK) {
                assert_non_null(strstr(err, "T.gilt"));     /* the header: may be fatal */
                continue;
            }
            assert_int_equal(st, TRACE_READ_OK);
            assert_true(tf->damaged_chunks >= 1);
            assert_true(tf->nnotes >= 1);
            char want[64];
            snprintf(want, sizeof want, "T.gilt: chunk at byte %zu: ", offs[c]);
            assert_non_null(strstr(tf->notes[0], want));
            trace_file_free(tf);
        }
    }
    /* Not a trace at all. */
    assert_int_equal(trace_read_mem("hello", 5, "x.txt", &tf, err, sizeof err), TRACE_READ_EFORMAT);
    assert_non_null(strstr(err, "x.txt: not a gilscope trace"));
    assert_int_equal(trace_read_mem("", 0, "e.gilt", &tf, err, sizeof err), TRACE_READ_EFORMAT);
    assert_int_equal(trace_read_file("/nonexistent/t.gilt", &tf, err, sizeof err), TRACE_READ_EIO);
    /* Random bytes behind a GILT magic, and random splices of the real file:
     * must never crash or over-read (ASan watches). */
    uint64_t rng = 7;
    uint8_t *junk = malloc(len);
    for (int round = 0; round < 200; round++) {
        memcpy(junk, buf, len);
        int flips = 1 + (int)(rng_next(&rng) % 20);
        for (int k = 0; k < flips; k++)
            junk[rng_next(&rng) % len] = (uint8_t)rng_next(&rng);
        size_t cut = 4 + rng_next(&rng) % (len - 4);
        if (trace_read_mem(junk, cut, "j.gilt", &tf, err, sizeof err) == TRACE_READ_OK)
            trace_file_free(tf);
    }
    free(junk);
    free(buf);
}

/* ---- losses ----------------------------------------------------------------------------------- */

static void test_loss_counted(void **state)
{
    Fix *f = *state;
    Tracer *tr = trace_open(f->path, NULL);
    assert_non_null(tr);
    trace_set_pool_limit(tr, 1);
    TraceBuf *tb = trace_thread_begin(tr, 0, "MainThread");
    size_t n = 6 * TRACE_BUF_EVENTS;
    for (size_t i = 0; i < n; i++)
        trace_record(tb, EV_MARK, (uint32_t)i, i);
    trace_thread_end(tb);
    TraceStats ts;
    trace_stats(tr, &ts);
    assert_true(ts.lost >= 1);  /* event 4097 found no free buffer: certain */
    assert_int_equal(trace_close(tr, false), 0);

    TraceFile *tf;
    char err[256];
    assert_int_equal(trace_read_file(f->path, &tf, err, sizeof err), TRACE_READ_OK);
    const TraceLane *l = &tf->runs[0].procs[0].lanes[0];
    uint64_t marks = 0, loss_events = 0;
    for (size_t i = 0; i < l->nev; i++) {
        if (l->ev[i].kind == EV_MARK)
            marks++;
        else if (l->ev[i].kind == EV_LOSS)
            loss_events++;
    }
    assert_true(loss_events >= 1);
    assert_int_equal(l->lost, ts.lost);
    assert_int_equal(marks + l->lost, n);
    assert_int_equal(tf->runs[0].lost, ts.lost);
    assert_int_equal(tf->runs[0].procs[0].lost, ts.lost);
    /* The first 4096 marks are intact and in order. */
    for (uint32_t i = 0; i < TRACE_BUF_EVENTS; i++)
        assert_int_equal(l->ev[i].arg, i);
    trace_file_free(tf);
}

/* ---- closing with a thread still running; interrupted -------------------------------------------- */

static void test_close_interrupted(void **state)
{
    Fix *f = *state;
    Tracer *tr = trace_open(f->path, NULL);
    TraceBuf *done = trace_thread_begin(tr, 0, "MainThread");
    TraceBuf *live = trace_thread_begin(tr, 1, "daemon");
    trace_record(done, EV_GIL_ACQUIRE, 0, 1);
    trace_record(live, EV_GIL_REQUEST, 0, 0);
    trace_thread_end(done);
    assert_int_equal(trace_close(tr, true), 0);
    /* The straggler may still record and end: counted, nothing written. */
    trace_record(live, EV_GIL_ACQUIRE, 0, 0);
    trace_thread_end(live);

    TraceFile *tf;
    char err[256];
    assert_int_equal(trace_read_file(f->path, &tf, err, sizeof err), TRACE_READ_OK);
    const TraceRun *run = &tf->runs[0];
    assert_false(run->complete);
    assert_true(run->interrupted);
    assert_int_equal(run->procs[0].unfinished, 1);
    assert_int_equal(run->procs[0].nlanes, 2);
    assert_string_equal(run->procs[0].lanes[1].name, "daemon");
    assert_int_equal(run->procs[0].lanes[0].nev, 1);
    trace_file_free(tf);
}

/* ---- fork ------------------------------------------------------------------------------------ */

static void test_fork_same_file(void **state)
{
    Fix *f = *state;
    TraceRunInfo info = test_info();
    info.mode = "processes";
    Tracer *tr = trace_open(f->path, &info);
    TraceBuf *tb = trace_thread_begin(tr, 0, "MainThread");
    for (uint32_t i = 0; i < 5000; i++)
        trace_record(tb, EV_MARK, i, i);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        Tracer *ct = trace_after_fork(tr);
        if (!ct)
            _exit(3);
        TraceBuf *cb = trace_thread_begin(ct, 0, "child-main");
        for (uint32_t i = 0; i < 10000; i++)
            trace_record(cb, EV_GIL_ACQUIRE, i, i);
        trace_thread_end(cb);
        _exit(trace_close(ct, false) == 0 ? 0 : 4);
    }
    for (uint32_t i = 5000; i < 9000; i++)
        trace_record(tb, EV_MARK, i, i);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    trace_thread_end(tb);
    assert_int_equal(trace_close(tr, false), 0);

    TraceFile *tf;
    char err[256];
    assert_int_equal(trace_read_file(f->path, &tf, err, sizeof err), TRACE_READ_OK);
    assert_int_equal(tf->nruns, 1);
    assert_int_equal(tf->damaged_chunks, 0);
    const TraceRun *run = &tf->runs[0];
    assert_true(run->complete);
    assert_int_equal(run->nprocs, 2);
    assert_int_equal(run->procs[0].pid, (uint32_t)getpid());
    assert_int_equal(run->procs[1].pid, (uint32_t)pid);
    assert_true(run->procs[1].closed);
    const TraceLane *pl = &run->procs[0].lanes[0], *cl = &run->procs[1].lanes[0];
    assert_string_equal(pl->name, "MainThread");
    assert_string_equal(cl->name, "child-main");
    assert_int_equal(pl->nev, 9000);
    assert_int_equal(cl->nev, 10000);
    for (uint32_t i = 0; i < 10000; i++) {
        assert_int_equal(cl->ev[i].kind, EV_GIL_ACQUIRE);
        assert_int_equal(cl->ev[i].arg, i);
    }
    for (uint32_t i = 0; i < 9000; i++)
        assert_int_equal(pl->ev[i].arg, i);
    trace_file_free(tf);
}

/* ---- two runs in one file ------------------------------------------------------------------------ */

static void test_concatenated_runs(void **state)
{
    Fix *f = *state;
    TraceRunInfo info = test_info();
    for (int k = 0; k < 2; k++) {
        info.mode = k ? "processes" : "threads";
        Tracer *tr = trace_open(k ? f->path2 : f->path, &info);
        TraceBuf *tb = trace_thread_begin(tr, 0, "MainThread");
        for (int i = 0; i < 100 * (k + 1); i++)
            trace_record(tb, EV_MARK, (uint32_t)i, 0);
        trace_thread_end(tb);
        assert_int_equal(trace_close(tr, false), 0);
    }
    size_t la, lb;
    uint8_t *a = slurp(f->path, &la), *b = slurp(f->path2, &lb);
    uint8_t *ab = malloc(la + lb);
    memcpy(ab, a, la);
    memcpy(ab + la, b, lb);
    TraceFile *tf;
    char err[256];
    assert_int_equal(trace_read_mem(ab, la + lb, "ab.gilt", &tf, err, sizeof err), TRACE_READ_OK);
    assert_int_equal(tf->nruns, 2);
    assert_string_equal(tf->runs[0].hdr.mode, "threads");
    assert_string_equal(tf->runs[1].hdr.mode, "processes");
    assert_int_equal(tf->runs[0].events, 100);
    assert_int_equal(tf->runs[1].events, 200);
    assert_int_equal(tf->runs[1].offset, la);
    assert_true(tf->runs[0].complete && tf->runs[1].complete);
    trace_file_free(tf);
    free(a);
    free(b);
    free(ab);
}

/* A damaged stretch of valid frames every 32 bytes, each claiming the rest of
 * the file (bad payload CRCs), then a real run: the reader must check each
 * claimed payload without quadratic time (it switches to prefix CRCs) and
 * still read every chunk of the run after the damage, its CRCs right. */
static void test_nested_bad_frames(void **state)
{
    Fix *f = *state;
    TraceRunInfo info = test_info();
    Tracer *tr = trace_open(f->path, &info);
    TraceBuf *tb = trace_thread_begin(tr, 0, "MainThread");
    for (int i = 0; i < 3000; i++)
        trace_record(tb, EV_MARK, (uint32_t)i, 0);
    trace_thread_end(tb);
    assert_int_equal(trace_close(tr, false), 0);
    size_t lr;
    uint8_t *run = slurp(f->path, &lr);
    size_t nframes = 32768, damaged = nframes * 32, len = damaged + lr;
    uint8_t *buf = malloc(len);
    for (size_t i = 0; i < nframes; i++) {
        uint8_t *p = buf + i * 32;
        uint32_t claim = (uint32_t)(len - i * 32 - 32);
        memset(p, 0, 32);
        memcpy(p, "GILT", 4);
        p[4] = 1;
        p[5] = 2;
        memcpy(p + 8, &claim, 4);        /* little-endian hosts only, as the writer */
        p[16] = 9;                       /* run id 9, payload CRC 0 (wrong) */
        uint32_t fc = (uint32_t)crc32(0L, p, 28);
        memcpy(p + 28, &fc, 4);
    }
    memcpy(buf + damaged, run, lr);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    TraceFile *tf;
    char err[256];
    assert_int_equal(trace_read_mem(buf, len, "nested.gilt", &tf, err, sizeof err), TRACE_READ_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_int_equal(tf->nruns, 1);
    assert_int_equal(tf->runs[0].events, 3000);
    assert_true(tf->runs[0].complete);
    assert_int_equal(tf->damaged_bytes, damaged);
    /* checking every claimed payload in full hashes 32768 x 0.5 MB = 17 GB: 25 s */
    assert_true(s < 10);
    trace_file_free(tf);
    free(run);
    free(buf);
}

/* ---- the cost of recording (printed, not asserted: machines differ) -------------------------- */

typedef struct Bench {
    Tracer *tr;
    uint32_t tid;
    size_t n;
    double ns_per_event;
} Bench;

static void *bench_main(void *arg)
{
    Bench *b = arg;
    TraceBuf *tb = trace_thread_begin(b->tr, b->tid, "bench");
    uint64_t t0 = trace_now_ns();
    for (size_t i = 0; i < b->n; i++)
        trace_record(tb, (TraceEventKind)(i & 3), (uint32_t)(i & 1), i >> 2);
    b->ns_per_event = (double)(trace_now_ns() - t0) / (double)b->n;
    trace_thread_end(tb);
    return NULL;
}

static void test_measure_cost(void **state)
{
    Fix *f = *state;
    for (int nth = 1; nth <= 2; nth++) {
        Tracer *tr = trace_open(f->path, NULL);
        pthread_t th[2];
        Bench b[2];
        for (int i = 0; i < nth; i++) {
            b[i] = (Bench){ tr, (uint32_t)i, 2000000, 0 };
            pthread_create(&th[i], NULL, bench_main, &b[i]);
        }
        for (int i = 0; i < nth; i++)
            pthread_join(th[i], NULL);
        TraceStats ts;
        trace_stats(tr, &ts);
        assert_int_equal(trace_close(tr, false), 0);
        struct stat st;
        stat(f->path, &st);
        fprintf(stderr, "# %d thread(s): %.1f ns/event, %.2f bytes/event on disk, %llu lost\n", nth,
                b[0].ns_per_event, (double)st.st_size / (double)(ts.events ? ts.events : 1),
                (unsigned long long)ts.lost);
    }
    uint64_t t0 = trace_now_ns();
    for (int i = 0; i < 1000000; i++)
        (void)trace_now_ns();
    fprintf(stderr, "# trace_now_ns: %.1f ns\n", (double)(trace_now_ns() - t0) / 1e6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip_threads, fix_setup, fix_teardown),
        cmocka_unit_test_setup_teardown(test_bytes_per_event, fix_setup, fix_teardown),
        cmocka_unit_test_setup_teardown(test_truncated_everywhere, fix_setup, fix_teardown),
        cmocka_unit_test_setup_teardown(test_flipped_bits, fix_setup, fix_teardown),
        cmocka_unit_test_setup_teardown(test_loss_counted, fix_setup, fix_teardown),
        cmocka_unit_test_setup_teardown(test_close_interrupted, fix_setup, fix_teardown),
        cmocka_unit_test_setup_teardown(test_fork_same_file, fix_setup, fix_teardown),
        cmocka_unit_test_setup_teardown(test_concatenated_runs, fix_setup, fix_teardown),
        cmocka_unit_test_setup_teardown(test_nested_bad_frames, fix_setup, fix_teardown),
        cmocka_unit_test_setup_teardown(test_measure_cost, fix_setup, fix_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
