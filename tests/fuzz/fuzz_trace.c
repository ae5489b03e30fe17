/*
 * fuzz_trace.c -- libFuzzer target: arbitrary bytes as a .gilt trace, through
 * every reader of one: trace_read_mem (stored events) and the statistics
 * computed and printed from it (`gilscope stats`, text and JSON), then the
 * viewer's model loaded from a file (the streaming, memory-mapped reader and
 * the builder's two threads) and queried as the viewer and exporter do:
 * intervals, point lookups, LOD columns, mark columns, ranges, the ticks
 * axis and the headline.
 *
 * Every chunk carries two CRC-32s, so nearly every mutation of a payload
 * would only test the checksum check.  Each input is therefore read twice:
 * as it is (damage, resynchronisation), and with the CRCs of every frame
 * found walking the chunks from byte 0 made right, so that the decoders
 * behind the checksums see the mutated payloads.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "bench/stats.h"
#include "viz/model.h"
#include "viz/trace_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;
static int memfd = -1;
static char memfd_path[64];

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_trace: %s\n", what);
        abort();
    }
}

static void read_and_stats(const uint8_t *data, size_t size)
{
    TraceFile *tf = NULL;
    char err[512];
    TraceReadStatus st = trace_read_mem(data, size, "fuzz.gilt", &tf, err, sizeof err);
    if (st != TRACE_READ_OK) {
        check(tf == NULL && err[0] != '\0' && memchr(err, '\0', sizeof err), "a failed read must say why");
        return;
    }
    check(tf && tf->nruns > 0, "a read trace has a run");
    Stats *s = stats_compute(tf);
    stats_print_text(s, tf, devnull);
    stats_print_json(s, tf, devnull);
    stats_free(s);
    trace_file_free(tf);
}

static void query_lane(const ModelPane *pn, const ModelLane *ln)
{
    for (size_t i = 0; i < ln->nintervals && i < 64; i++) {
        ModelInterval iv;
        model_lane_interval(ln, i, &iv);
        check(iv.t0 <= iv.t1 && iv.state < MS__COUNT, "intervals are well formed");
        model_lane_find(ln, iv.t0);
    }
    if (ln->nintervals) {
        ModelInterval iv;
        model_lane_interval(ln, ln->nintervals - 1, &iv);
    }
    for (size_t i = 0; i < ln->nmarks && i < 16; i++) {
        ModelMark mk;
        model_lane_mark(ln, i, &mk);
        model_lane_mark_lower(ln, mk.ns);
    }
    enum { NCOL = 17 };
    uint64_t edges[NCOL + 1];
    uint64_t span = pn->wall_ns ? pn->wall_ns : 1;
    for (size_t c = 0; c <= NCOL; c++)
        edges[c] = (uint64_t)((unsigned __int128)span * c / NCOL);
    uint64_t cols[NCOL][MS__COUNT];
    model_lane_columns(ln, edges, NCOL, cols);
    uint8_t kinds[NCOL];
    model_lane_mark_columns(ln, edges, NCOL, kinds);
    /* a zoomed-in window around the lane's start, and the whole range */
    for (size_t c = 0; c <= NCOL; c++)
        edges[c] = ln->start_ns + c * 3;
    model_lane_columns(ln, edges, NCOL, cols);
    model_lane_mark_columns(ln, edges, NCOL, kinds);
    ModelRange r;
    model_lane_range(ln, 0, UINT64_MAX, &r);
    model_lane_range(ln, ln->start_ns, ln->end_ns, &r);
    model_lane_find(ln, UINT64_MAX);
}

static void model_from_file(const uint8_t *data, size_t size)
{
    if (ftruncate(memfd, 0) != 0 || pwrite(memfd, data, size, 0) != (ssize_t)size) {
        perror("fuzz_trace: memfd");
        abort();
    }
    const char *paths[1] = { memfd_path };
    Model *m = NULL;
    char err[512];
    ModelStatus st = model_load(paths, 1, &m, err, sizeof err);
    if (st != MODEL_OK) {
        check(m == NULL && err[0] != '\0', "a failed load must say why");
        return;
    }
    for (size_t p = 0; p < m->npanes; p++) {
        const ModelPane *pn = &m->panes[p];
        for (size_t l = 0; l < pn->nlanes; l++)
            query_lane(pn, &pn->lanes[l]);
        model_pane_ticks_at(pn, 0);
        model_pane_ticks_at(pn, pn->wall_ns / 2);
        model_pane_ticks_at(pn, UINT64_MAX);
        if (pn->wall_ns)
            check(model_pane_ticks_at(pn, pn->wall_ns - 1) <= pn->total_ticks, "ticks within the total");
        model_pane_ns_at_ticks(pn, 0);
        model_pane_ns_at_ticks(pn, pn->total_ticks / 2);
        model_pane_ns_at_ticks(pn, UINT64_MAX);
        if (pn->total_ticks)
            check(model_pane_ns_at_ticks(pn, pn->total_ticks - 1) <= pn->wall_ns, "time within the pane");
    }
    char head[256];
    model_headline(m, head, sizeof head);
    model_free(m);
}

static uint32_t crc(const uint8_t *p, size_t n)
{
    return (uint32_t)crc32(0L, p, (uInt)n);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Makes the CRCs of the chunks right, walking frames from byte 0 as a
 * reader does (a frame that is not there: on to the next "GILT").  Returns
 * whether anything changed. */
static bool fix_crcs(uint8_t *b, size_t n)
{
    bool changed = false;
    size_t at = 0;
    while (at + 32 <= n) {
        if (memcmp(b + at, "GILT", 4) != 0) {
            const uint8_t *next = memmem(b + at + 1, n - at - 1, "GILT", 4);
            if (!next)
                break;
            at = (size_t)(next - b);
            continue;
        }
        uint32_t len = (uint32_t)b[at + 8] | (uint32_t)b[at + 9] << 8 | (uint32_t)b[at + 10] << 16 |
                       (uint32_t)b[at + 11] << 24;
        uint8_t old[8];
        memcpy(old, b + at + 24, 8);
        if (len <= n - at - 32)
            put32(b + at + 24, crc(b + at + 32, len));
        put32(b + at + 28, crc(b + at, 28));
        changed |= memcmp(old, b + at + 24, 8) != 0;
        if (len > n - at - 32)
            break;
        at += 32 + (size_t)len;
    }
    return changed;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!devnull) {
        devnull = fopen("/dev/null", "w");
        memfd = memfd_create("fuzz.gilt", MFD_CLOEXEC);
        if (!devnull || memfd < 0) {
            perror("fuzz_trace: setup");
            abort();
        }
        snprintf(memfd_path, sizeof memfd_path, "/proc/self/fd/%d", memfd);
    }
    read_and_stats(data, size);
    model_from_file(data, size);
    uint8_t *fixed = malloc(size ? size : 1);
    memcpy(fixed, data, size);
    if (fix_crcs(fixed, size)) {
        read_and_stats(fixed, size);
        model_from_file(fixed, size);
    }
    free(fixed);
    return 0;
}
