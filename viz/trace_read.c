/*
 * trace_read.c -- the .gilt reader (data/FORMAT.md): chunk framing with
 * CRC checks and resynchronisation, the header/meta/events/close payloads,
 * and the runs -> processes -> lanes model.
 */
#include "viz/trace_read.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "interp/object.h"     /* mem_alloc: the one allocation choke point */

#define FRAME_SIZE 32
#define FORMAT_VERSION 1

enum { CHUNK_HEADER = 1, CHUNK_META = 2, CHUNK_EVENTS = 3, CHUNK_CLOSE = 4 };

/* ---- names --------------------------------------------------------------------- */

#define TRACE_EV_NAME(name, what) #name,
static const char *const event_names[] = { TRACE_EVENT_LIST(TRACE_EV_NAME) };
#undef TRACE_EV_NAME

const char *trace_event_name(unsigned kind)
{
    return kind < EV__COUNT ? event_names[kind] : "UNKNOWN";
}

const char *trace_block_name(unsigned block)
{
    static const char *const names[] = { "sleep", "socket", "lock", "queue", "join", "pipe", "io", "other" };
    return block < BLOCK__COUNT ? names[block] : "other";
}

const char *trace_reason_name(unsigned reason)
{
    static const char *const names[] = { "forced", "check_interval", "blocking", "exit" };
    return reason < 4 ? names[reason] : "other";
}

/* ---- a bounded cursor ----------------------------------------------------------- */

typedef struct Cur {
    const uint8_t *p, *end;
    bool bad;                   /* ran off the end or met a malformed varint */
} Cur;

static uint64_t cur_uv(Cur *c)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (c->p >= c->end) {
            c->bad = true;
            return 0;
        }
        uint8_t b = *c->p++;
        if (shift == 63 && b > 1) {
            c->bad = true;
            return 0;
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    c->bad = true;
    return 0;
}

/* cur_uv for the events loop: when at least 10 bytes are left no bound
 * check is needed per byte; one- and two-byte values (most deltas) take the
 * first branches. */
static inline uint64_t cur_uv_fast(Cur *c)
{
    const uint8_t *p = c->p;
    if (c->end - p >= 10) {
        uint64_t b = p[0];
        if (!(b & 0x80)) {
            c->p = p + 1;
            return b;
        }
        uint64_t v = b & 0x7f;
        b = p[1];
        if (!(b & 0x80)) {
            c->p = p + 2;
            return v | b << 7;
        }
        v |= (b & 0x7f) << 7;
        for (int i = 2, shift = 14; i < 10; i++, shift += 7) {
            b = p[i];
            if (i == 9 && b > 1)
                break;
            v |= (b & 0x7f) << shift;
            if (!(b & 0x80)) {
                c->p = p + i + 1;
                return v;
            }
        }
        c->bad = true;
        return 0;
    }
    return cur_uv(c);
}

static int64_t unzigzag(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if it is not one
 * (overlong forms, surrogates, U+FFFE/U+FFFF and code points past U+10FFFF
 * are not). */
static size_t utf8_seq(const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    if (c < 0x80)
        return 1;
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    if (!len || c > 0xf4 || len > n)
        return 0;
    uint32_t cp = c & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
        return 0;
    return len;
}

/* A string of the file as text every front end may show as it is: valid
 * UTF-8 (a bad byte becomes U+FFFD), no control characters (tab, newline
 * and return become spaces, the others and NUL U+FFFD), so a thread named
 * "</text>" or "\x1b[31m" cannot break an SVG, a JSON file, pango or a
 * terminal.  The escaping of each format (XML, JSON) still happens there. */
static char *str_dup_n(const uint8_t *s, size_t n)
{
    char *d = mem_alloc(3 * n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq(s + i, n - i);
        if (k == 1 && (s[i] < 0x20 || s[i] == 0x7f)) {
            if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
                d[o++] = ' ';
            } else {
                memcpy(d + o, "\xef\xbf\xbd", 3);
                o += 3;
            }
            i++;
        } else if (k) {
            memcpy(d + o, s + i, k);
            o += k;
            i += k;
        } else {
            memcpy(d + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        }
    }
    d[o] = '\0';
    return d;
}

static char *str_empty(void)
{
    return str_dup_n(NULL, 0);
}

/* ---- the model under construction ------------------------------------------------- */

/* An EVENTS chunk whose header was read, its events not yet (streaming:
 * they are decoded lane by lane after the scan). */
typedef struct ChunkRef {
    const uint8_t *p, *end;     /* the events */
    uint64_t off;               /* the chunk's offset, for notes */
    uint32_t len;               /* its payload length */
    uint64_t seq, n, ns, ticks; /* from its header */
} ChunkRef;

typedef struct PNote {
    uint64_t off;
    size_t ord;                 /* order of arrival, for ties */
    char *msg;
} PNote;

/* What decoding one lane's chunks adds to the run and the file, kept
 * apart so that lanes can be decoded at once on several threads. */
typedef struct LaneOut {
    PNote *notes;
    size_t nnotes, cap;
    uint32_t damaged_chunks;
    uint64_t damaged_bytes;
    uint64_t events;            /* decoded, and their first and last ns */
    uint64_t first_ns, last_ns;
} LaneOut;

typedef struct Reader {
    TraceFile *tf;
    const uint8_t *buf;
    size_t len;
    char *err;
    size_t errsize;
    bool fatal;
    size_t runs_cap;
    size_t notes_cap;
    TraceEventSink sink;        /* streaming: events go here, not into the lanes */
    void *sink_ctx;
    TraceEvent *scratch;
    size_t scratch_cap;
    bool deferred;              /* streaming: EVENTS chunks are queued on their lanes by the scan */
    bool notes_final;           /* pnotes were flushed: note() appends straight to tf->notes */
    PNote *pnotes;              /* notes with their offsets, until the decoding is done */
    size_t npnotes, pnotes_cap;
    uint64_t *pre_off;          /* chunks whose payload CRC was checked ahead (ascending offsets)... */
    uint8_t *pre_ok;            /* ...and whether it matched */
    size_t npre;
    struct IdSlot *ids;         /* runs, processes and lanes by id (see id_find) */
    uint64_t crc_work;          /* payload bytes checksummed so far (see payload_crc) */
    uint32_t *crc_prefix;       /* crc_prefix[k] = CRC of buf[0 .. k * CRC_BLOCK), once built */
    size_t ids_cap, ids_n;
} Reader;

/* An index of runs (by run id), processes (by run and pid) and lanes (by
 * run, process and tid), so that a file of many thousands of them reads in
 * linear time rather than searching the arrays for each chunk.  Open
 * addressing; `val` is an index into the array the key names. */
typedef struct IdSlot {
    uint64_t a, b;              /* run id, 0 | kind << 62 | run index, pid | kind << 62 | run index, tid */
    uint64_t c;                 /* UINT64_MAX (runs) | 0 (processes) | process index (lanes) */
    size_t val;
    bool used;
} IdSlot;

enum { ID_PROC = 1, ID_LANE = 2 };

static size_t id_hash(uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull) * 0xC2B2AE3D27D4EB4Full ^ c * 0x165667B19E3779F9ull;
    return (size_t)(h ^ h >> 29);
}

/* The slot of (a, b, c): the one holding it, or the empty one to fill. */
static IdSlot *id_find(Reader *r, uint64_t a, uint64_t b, uint64_t c)
{
    if (2 * (r->ids_n + 1) > r->ids_cap) {
        size_t cap = r->ids_cap ? 2 * r->ids_cap : 64;
        IdSlot *old = r->ids, *ids = mem_calloc(cap, sizeof *ids);
        for (size_t i = 0; i < r->ids_cap; i++) {
            if (!old[i].used)
                continue;
            size_t j = id_hash(old[i].a, old[i].b, old[i].c) & (cap - 1);
            while (ids[j].used)
                j = (j + 1) & (cap - 1);
            ids[j] = old[i];
        }
        free(old);
        r->ids = ids;
        r->ids_cap = cap;
    }
    size_t j = id_hash(a, b, c) & (r->ids_cap - 1);
    while (r->ids[j].used && !(r->ids[j].a == a && r->ids[j].b == b && r->ids[j].c == c))
        j = (j + 1) & (r->ids_cap - 1);
    return &r->ids[j];
}

static void id_add(Reader *r, IdSlot *s, uint64_t a, uint64_t b, uint64_t c, size_t val)
{
    *s = (IdSlot){ a, b, c, val, true };
    r->ids_n++;
}

/* Arrays that grow one element at a time grow by doubling: the capacity is
 * the next power of two of the count, so no field is needed to hold it. */
static void *grow_one(void *p, size_t n, size_t size)
{
    if (n == 0 || (n & (n - 1)) == 0)
        p = mem_realloc(p, (n ? 2 * n : 1) * size);
    return p;
}


static void note_add(Reader *r, uint64_t off, const char *msg)
{
    /* A pathological file could produce a note per chunk: keep the first ones. */
    TraceFile *tf = r->tf;
    if (tf->nnotes >= 64)
        return;
    char line[512];
    if (tf->nnotes == 63)
        snprintf(line, sizeof line, "%s: more problems not listed", tf->name);
    else
        snprintf(line, sizeof line, "%s: chunk at byte %llu: %s", tf->name, (unsigned long long)off, msg);
    if (tf->nnotes == r->notes_cap) {
        r->notes_cap = r->notes_cap ? 2 * r->notes_cap : 8;
        tf->notes = mem_realloc(tf->notes, r->notes_cap * sizeof *tf->notes);
    }
    tf->notes[tf->nnotes++] = str_dup_n((const uint8_t *)line, strlen(line));
}

static void pnote_push(PNote **v, size_t *n, size_t *cap, uint64_t off, const char *msg)
{
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        *v = mem_realloc(*v, *cap * sizeof **v);
    }
    (*v)[*n] = (PNote){ off, *n, str_dup_n((const uint8_t *)msg, strlen(msg)) };
    (*n)++;
}

static void note(Reader *r, uint64_t off, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->notes_final)
        note_add(r, off, msg);
    else
        pnote_push(&r->pnotes, &r->npnotes, &r->pnotes_cap, off, msg);
}

static int pnote_cmp(const void *a, const void *b)
{
    const PNote *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* The scan's and the lanes' notes in file order, as a serial reader meets them. */
static void notes_flush(Reader *r)
{
    if (r->npnotes > 1)
        qsort(r->pnotes, r->npnotes, sizeof *r->pnotes, pnote_cmp);
    for (size_t i = 0; i < r->npnotes; i++) {
        note_add(r, r->pnotes[i].off, r->pnotes[i].msg);
        free(r->pnotes[i].msg);
    }
    free(r->pnotes);
    r->pnotes = NULL;
    r->npnotes = r->pnotes_cap = 0;
    r->notes_final = true;
}

static void fail(Reader *r, uint64_t off, bool with_off, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->errsize) {
        if (with_off)
            snprintf(r->err, r->errsize, "%s: chunk at byte %llu: %s", r->tf->name,
                     (unsigned long long)off, msg);
        else
            snprintf(r->err, r->errsize, "%s: %s", r->tf->name, msg);
    }
    r->fatal = true;
}

static TraceRun *run_get(Reader *r, uint64_t run_id, uint64_t off)
{
    TraceFile *tf = r->tf;
    /* the run id takes all 64 bits of a: c = UINT64_MAX (never a process
     * index) tells a run from a process or lane */
    IdSlot *slot = id_find(r, run_id, 0, UINT64_MAX);
    if (slot->used)
        return &tf->runs[slot->val];
    id_add(r, slot, run_id, 0, UINT64_MAX, tf->nruns);
    if (tf->nruns == r->runs_cap) {
        r->runs_cap = r->runs_cap ? 2 * r->runs_cap : 2;
        tf->runs = mem_realloc(tf->runs, r->runs_cap * sizeof *tf->runs);
    }
    TraceRun *run = &tf->runs[tf->nruns++];
    memset(run, 0, sizeof *run);
    run->run_id = run_id;
    run->offset = off;
    return run;
}

static TraceProc *proc_get(Reader *r, TraceRun *run, uint32_t pid)
{
    uint64_t key = (uint64_t)ID_PROC << 62 | (uint64_t)(run - r->tf->runs);
    IdSlot *slot = id_find(r, key, pid, 0);
    if (slot->used)
        return &run->procs[slot->val];
    id_add(r, slot, key, pid, 0, run->nprocs);
    run->procs = grow_one(run->procs, run->nprocs, sizeof *run->procs);
    TraceProc *p = &run->procs[run->nprocs++];
    memset(p, 0, sizeof *p);
    p->pid = pid;
    return p;
}

static TraceLane *lane_get(Reader *r, TraceRun *run, TraceProc *p, uint32_t tid)
{
    uint64_t key = (uint64_t)ID_LANE << 62 | (uint64_t)(run - r->tf->runs);
    IdSlot *slot = id_find(r, key, tid, (uint64_t)(p - run->procs));
    if (slot->used)
        return &p->lanes[slot->val];
    id_add(r, slot, key, tid, (uint64_t)(p - run->procs), p->nlanes);
    p->lanes = grow_one(p->lanes, p->nlanes, sizeof *p->lanes);
    TraceLane *l = &p->lanes[p->nlanes++];
    memset(l, 0, sizeof *l);
    l->pid = p->pid;
    l->tid = tid;
    l->name = str_empty();
    return l;
}

/* ---- payloads: each returns false when malformed (the chunk counts as damaged) ---- */

static bool tlv_next(Cur *c, uint64_t *tag, Cur *val)
{
    *tag = cur_uv(c);
    uint64_t len = cur_uv(c);
    if (c->bad || len > (uint64_t)(c->end - c->p))
        return false;
    val->p = c->p;
    val->end = c->p + len;
    val->bad = false;
    c->p += len;
    return true;
}

static uint64_t val_uv(Cur *v, bool *ok)
{
    uint64_t x = cur_uv(v);
    if (v->bad || v->p != v->end)
        *ok = false;
    return x;
}

static void hdr_set_str(char **dst, const Cur *v)
{
    free(*dst);
    *dst = str_dup_n(v->p, (size_t)(v->end - v->p));
}

static bool parse_header(TraceRun *run, Cur c, uint32_t pid)
{
    TraceHeader *h = &run->hdr;
    bool ok = true;
    while (c.p < c.end) {
        uint64_t tag;
        Cur v;
        if (!tlv_next(&c, &tag, &v))
            return false;
        switch (tag) {
        case 1: hdr_set_str(&h->workload, &v); break;
        case 2:
            if (h->argc < 100000) {
                h->argv = grow_one(h->argv, (size_t)h->argc, sizeof *h->argv);
                h->argv[h->argc] = NULL;
                hdr_set_str(&h->argv[h->argc++], &v);
            }
            break;
        case 3: hdr_set_str(&h->mode, &v); break;
        case 4: hdr_set_str(&h->policy, &v); break;
        case 5: h->switch_interval_ns = val_uv(&v, &ok); break;
        case 6: h->check_interval = val_uv(&v, &ok); break;
        case 7: h->cpus = val_uv(&v, &ok); break;
        case 8: h->cpu_mask = val_uv(&v, &ok); break;
        case 9: h->cpus_online = val_uv(&v, &ok); break;
        case 10: h->affinity_count = val_uv(&v, &ok); break;
        case 11: h->affinity_mask = val_uv(&v, &ok); break;
        case 12: hdr_set_str(&h->clock, &v); break;
        case 13: hdr_set_str(&h->host, &v); break;
        case 14: hdr_set_str(&h->kernel, &v); break;
        case 15: h->start_realtime_ns = val_uv(&v, &ok); break;
        case 16: h->start_ns = val_uv(&v, &ok); break;
        case 17: h->pid = (uint32_t)val_uv(&v, &ok); break;
        case 18: hdr_set_str(&h->tracer, &v); break;
        case 19: h->buf_events = val_uv(&v, &ok); break;
        default: break;         /* a newer writer's field */
        }
    }
    if (!h->pid)
        h->pid = pid;
    run->has_header = true;
    return ok;
}

static bool parse_meta(Reader *r, TraceRun *run, TraceProc *proc, Cur c)
{
    while (c.p < c.end) {
        uint64_t type;
        Cur v;
        if (!tlv_next(&c, &type, &v))
            return false;
        if (type == 1 || type == 2) {
            uint64_t id = cur_uv(&v);
            uint64_t ns = cur_uv(&v);
            if (v.bad || id > UINT32_MAX)
                return false;
            char *text = str_dup_n(v.p, (size_t)(v.end - v.p));
            if (type == 1) {
                TraceLane *l = lane_get(r, run, proc, (uint32_t)id);
                free(l->name);
                l->name = text;
            } else {
                run->marks = grow_one(run->marks, run->nmarks, sizeof *run->marks);
                run->marks[run->nmarks++] = (TraceMarkText){ proc->pid, (uint32_t)id, ns, text };
            }
        } else if (type == 3) {
            uint64_t id = cur_uv(&v);
            (void)cur_uv(&v);
            uint64_t cpu = cur_uv(&v);
            if (v.bad || id > UINT32_MAX)
                return false;
            TraceLane *l = lane_get(r, run, proc, (uint32_t)id);
            l->cpu_ns = cpu;
            l->has_cpu = true;
        }
    }
    return true;
}

static void lane_note(LaneOut *o, uint64_t off, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pnote_push(&o->notes, &o->nnotes, &o->cap, off, msg);
}

/* Decodes one EVENTS chunk of lane l (its header already read into c):
 * into l->ev, or into *scratch for the sink.  Touches only l, o and the
 * scratch, so lanes can be decoded on different threads.  False when the
 * events are malformed (nothing of the chunk is kept). */
static bool decode_chunk(const Reader *r, TraceLane *l, size_t run, const ChunkRef *c, TraceEvent **scratch,
                         size_t *scratch_cap, LaneOut *o)
{
    uint64_t n = c->n, ns = c->ns, ticks = c->ticks;
    if (r->sink) {
        if (n > *scratch_cap) {
            *scratch_cap = n > 4096 ? n : 4096;
            *scratch = mem_realloc(*scratch, *scratch_cap * sizeof **scratch);
        }
    } else if (l->nev + n > l->cap_) {
        size_t cap = l->cap_ ? l->cap_ : 1024;
        while (cap < l->nev + n)
            cap *= 2;
        l->ev = mem_realloc(l->ev, cap * sizeof *l->ev);
        l->cap_ = cap;
    }
    /* (n may be 0 with no array yet: no arithmetic on a null pointer) */
    TraceEvent *out = r->sink ? *scratch : l->ev ? l->ev + l->nev : NULL;
    Cur cur = { c->p, c->end, false };
    uint64_t lost = 0;
    for (uint64_t i = 0; i < n; i++) {
        if (cur.p >= cur.end)
            return false;
        uint8_t head = *cur.p++;
        ns += (uint64_t)unzigzag(cur_uv_fast(&cur));
        if (head & 0x80)
            ticks += (uint64_t)unzigzag(cur_uv_fast(&cur));
        uint64_t arg = (head >> 4) & 7;
        if (arg == 7)
            arg = cur_uv_fast(&cur);
        if (cur.bad || arg > UINT32_MAX)
            return false;
        out[i] = (TraceEvent){ .ns = ns, .ticks = ticks, .arg = (uint32_t)arg, .kind = head & 0x0f };
        if (out[i].kind == EV_LOSS)
            lost += arg;
    }
    if (cur.p != cur.end)
        return false;
    uint32_t missing = 0;
    if (c->seq != l->next_seq_) {
        if (c->seq > l->next_seq_) {
            missing = (uint32_t)(c->seq - l->next_seq_);
            l->missing_chunks += missing;
            lane_note(o, c->off, "process %u thread %u: %llu event chunk(s) before this one missing", l->pid,
                      l->tid, (unsigned long long)missing);
        } else {
            lane_note(o, c->off, "process %u thread %u: chunk sequence %llu repeated or out of order", l->pid,
                      l->tid, (unsigned long long)c->seq);
        }
    }
    l->next_seq_ = (uint32_t)c->seq + 1;
    if (r->sink && n) {
        /* The lanes keep no events: track the run's extent here. */
        if (o->events == 0 || out[0].ns < o->first_ns)
            o->first_ns = out[0].ns;
        if (o->events == 0 || out[n - 1].ns > o->last_ns)
            o->last_ns = out[n - 1].ns;
        r->sink(r->sink_ctx, l, run, out, n, missing);
    }
    l->nev += n;
    l->chunks++;
    l->lost += lost;
    o->events += n;
    return true;
}

/* Adds what decoding (some of) a lane's chunks gave to its run and file. */
static void lane_out_merge(Reader *r, TraceRun *run, LaneOut *o)
{
    if (r->sink && o->events) {
        if (run->events == 0 || o->first_ns < run->first_ns)
            run->first_ns = o->first_ns;
        if (run->events == 0 || o->last_ns > run->last_ns)
            run->last_ns = o->last_ns;
    }
    run->events += o->events;
    r->tf->damaged_chunks += o->damaged_chunks;
    r->tf->damaged_bytes += o->damaged_bytes;
    for (size_t i = 0; i < o->nnotes; i++) {
        note(r, o->notes[i].off, "%s", o->notes[i].msg);
        free(o->notes[i].msg);
    }
    free(o->notes);
    memset(o, 0, sizeof *o);
}

static void lane_queue(TraceLane *l, const ChunkRef *c)
{
    if (l->nrefs_ == l->caprefs_) {
        l->caprefs_ = l->caprefs_ ? 2 * l->caprefs_ : 16;
        l->refs_ = mem_realloc(l->refs_, l->caprefs_ * sizeof(ChunkRef));
    }
    ((ChunkRef *)l->refs_)[l->nrefs_++] = *c;
}

static bool parse_events(Reader *r, TraceRun *run, TraceProc *proc, Cur c, uint64_t off, uint32_t len)
{
    uint64_t tid = cur_uv(&c);
    uint64_t seq = cur_uv(&c);
    uint64_t n = cur_uv(&c);
    uint64_t ns = cur_uv(&c);
    uint64_t ticks = cur_uv(&c);
    /* Every event takes at least two bytes: bound n before allocating. */
    if (c.bad || tid > UINT32_MAX || seq > UINT32_MAX || n > (uint64_t)(c.end - c.p) / 2)
        return false;
    TraceLane *l = lane_get(r, run, proc, (uint32_t)tid);
    ChunkRef ref = { c.p, c.end, off, len, seq, n, ns, ticks };
    if (r->deferred) {
        lane_queue(l, &ref);
        l->queued += n;
        return true;
    }
    LaneOut o;
    memset(&o, 0, sizeof o);
    bool ok = decode_chunk(r, l, (size_t)(run - r->tf->runs), &ref, &r->scratch, &r->scratch_cap, &o);
    lane_out_merge(r, run, &o);
    return ok;
}

static bool parse_close(TraceProc *p, Cur c)
{
    bool ok = true;
    while (c.p < c.end) {
        uint64_t tag;
        Cur v;
        if (!tlv_next(&c, &tag, &v))
            return false;
        switch (tag) {
        case 1: p->interrupted = val_uv(&v, &ok) != 0; break;
        case 2: p->events = val_uv(&v, &ok); break;
        case 3: p->lost = val_uv(&v, &ok); break;
        case 4: p->end_ns = val_uv(&v, &ok); break;
        case 5: p->threads = (uint32_t)val_uv(&v, &ok); break;
        case 6: p->unfinished = (uint32_t)val_uv(&v, &ok); break;
        case 7: p->cpu_user_ns = val_uv(&v, &ok); break;
        case 8: p->cpu_sys_ns = val_uv(&v, &ok); break;
        case 10: p->write_errno = (uint32_t)val_uv(&v, &ok); break;
        case 11:
            p->interp_switches = val_uv(&v, &ok);
            p->has_interp_switches = true;
            break;
        case 12: hdr_set_str(&p->interp, &v); break;
        default: break;
        }
    }
    p->closed = ok;
    return ok;
}

/* ---- framing ---------------------------------------------------------------------------- */

typedef enum { FRAME_OK, FRAME_SHORT, FRAME_BAD, FRAME_CUT, FRAME_PAYLOAD_BAD, FRAME_VERSION } FrameCheck;

typedef struct Frame {
    unsigned version, type;
    uint32_t len, pid;
    uint64_t run_id;
} Frame;

/* The CRC of buf[a, b).  A damaged file can hold a valid frame every 32
 * bytes, each claiming the rest of the file as its payload: checking each
 * payload in full would take time quadratic in the file's size.  Once the
 * bytes checksummed pass a few times the file's size, CRCs of the prefixes
 * at every CRC_BLOCK bytes are made (one pass, len / 256 bytes), and a long
 * range costs two partial blocks and crc32_combine: CRC(B) = CRC(AB) ^
 * crc32_combine(CRC(A), 0, |B|), the CRC being affine. */
#define CRC_BLOCK 1024u

static uint32_t payload_crc(Reader *r, size_t a, size_t b)
{
    const uint8_t *buf = r->buf;
    if (!r->crc_prefix) {
        r->crc_work += b - a;
        if (r->crc_work <= 4 * (uint64_t)r->len + (1u << 20))
            return (uint32_t)crc32(0L, buf + a, (uInt)(b - a));
        size_t nb = r->len / CRC_BLOCK;
        r->crc_prefix = mem_alloc((nb + 1) * sizeof *r->crc_prefix);
        uLong c = 0;
        r->crc_prefix[0] = 0;
        for (size_t k = 1; k <= nb; k++) {
            c = crc32(c, buf + (k - 1) * CRC_BLOCK, CRC_BLOCK);
            r->crc_prefix[k] = (uint32_t)c;
        }
    }
    size_t ka = (a + CRC_BLOCK - 1) / CRC_BLOCK, kb = b / CRC_BLOCK;
    if (ka >= kb)
        return (uint32_t)crc32(0L, buf + a, (uInt)(b - a));
    size_t m0 = ka * CRC_BLOCK, m1 = kb * CRC_BLOCK;
    uLong head = crc32(0L, buf + a, (uInt)(m0 - a));
    uLong mid = r->crc_prefix[kb] ^ crc32_combine(r->crc_prefix[ka], 0, (z_off_t)(m1 - m0));
    uLong tail = crc32(0L, buf + m1, (uInt)(b - m1));
    return (uint32_t)crc32_combine(crc32_combine(head, mid, (z_off_t)(m1 - m0)), tail, (z_off_t)(b - m1));
}

/* Magic and frame CRC: a frame is there (its payload not checked). */
static bool frame_valid(const Reader *r, size_t off)
{
    const uint8_t *p = r->buf + off;
    return r->len - off >= FRAME_SIZE && memcmp(p, "GILT", 4) == 0 && rd32(p + 28) == (uint32_t)crc32(0L, p, 28);
}

static bool payload_ok(Reader *r, size_t off, const uint8_t *p, uint32_t len)
{
    size_t lo = 0, hi = r->npre;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->pre_off[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < r->npre && r->pre_off[lo] == off)
        return r->pre_ok[lo];
    return rd32(p + 24) == payload_crc(r, off + FRAME_SIZE, off + FRAME_SIZE + len);
}

/* Checking payloads ahead, on two threads: the chunks of an undamaged file
 * follow each other, so their offsets are known before the scan. */
typedef struct CrcPart {
    const Reader *r;
    size_t a, z;
} CrcPart;

static void *crc_part(void *arg)
{
    CrcPart *cp = arg;
    const Reader *r = cp->r;
    for (size_t k = cp->a; k < cp->z; k++) {
        const uint8_t *p = r->buf + r->pre_off[k];
        r->pre_ok[k] = rd32(p + 24) == (uint32_t)crc32(0L, p + FRAME_SIZE, rd32(p + 8));
    }
    return NULL;
}

static void crc_ahead(Reader *r)
{
    size_t off = 0, n = 0, cap = 0;
    while (r->len - off >= FRAME_SIZE) {
        const uint8_t *p = r->buf + off;
        uint32_t len = rd32(p + 8);
        if (memcmp(p, "GILT", 4) != 0 || p[4] != FORMAT_VERSION || len > r->len - off - FRAME_SIZE ||
            rd32(p + 28) != (uint32_t)crc32(0L, p, 28))
            break;          /* damage or a cut: the scan finds out what */
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            r->pre_off = mem_realloc(r->pre_off, cap * sizeof *r->pre_off);
        }
        r->pre_off[n++] = off;
        off += FRAME_SIZE + len;
    }
    if (!n)
        return;
    r->pre_ok = mem_alloc(n);
    r->npre = n;
    /* Split at half the bytes. */
    size_t half = n, mid_byte = off / 2;
    for (size_t k = 0; k < n; k++)
        if (r->pre_off[k] >= mid_byte) {
            half = k;
            break;
        }
    CrcPart p0 = { r, 0, half }, p1 = { r, half, n };
    pthread_t th;
    bool threaded = pthread_create(&th, NULL, crc_part, &p1) == 0;
    crc_part(&p0);
    if (threaded)
        pthread_join(th, NULL);
    else
        crc_part(&p1);
}

static FrameCheck frame_check(Reader *r, size_t off, Frame *f)
{
    size_t left = r->len - off;
    if (left < FRAME_SIZE)
        return FRAME_SHORT;
    const uint8_t *p = r->buf + off;
    if (memcmp(p, "GILT", 4) != 0 || rd32(p + 28) != (uint32_t)crc32(0L, p, 28))
        return FRAME_BAD;
    f->version = p[4];
    f->type = p[5];
    f->len = rd32(p + 8);
    f->pid = rd32(p + 12);
    f->run_id = rd64(p + 16);
    if (f->version != FORMAT_VERSION)
        return FRAME_VERSION;
    if (f->len > left - FRAME_SIZE)
        return FRAME_CUT;
    if (!payload_ok(r, off, p, f->len))
        return FRAME_PAYLOAD_BAD;
    return FRAME_OK;
}

/* The offset of the next valid frame after `from` (magic and frame CRC: its
 * payload may be cut or damaged, scan() says which), or len if none. */
static size_t resync(const Reader *r, size_t from)
{
    for (size_t off = from; off + FRAME_SIZE <= r->len; off++) {
        const uint8_t *hit = memchr(r->buf + off, 'G', r->len - off - FRAME_SIZE + 1);
        if (!hit)
            break;
        off = (size_t)(hit - r->buf);
        if (frame_valid(r, off))
            return off;
    }
    return r->len;
}

static void chunk_apply(Reader *r, size_t off, const Frame *f)
{
    Cur c = { r->buf + off + FRAME_SIZE, r->buf + off + FRAME_SIZE + f->len, false };
    TraceRun *run = run_get(r, f->run_id, off);
    bool ok = true;
    switch (f->type) {
    case CHUNK_HEADER:
        if (run->has_header) {
            note(r, off, "second header for one run ignored");
            return;
        }
        run->offset = off;
        ok = parse_header(run, c, f->pid);
        break;
    case CHUNK_META:
        ok = parse_meta(r, run, proc_get(r, run, f->pid), c);
        break;
    case CHUNK_EVENTS:
        ok = parse_events(r, run, proc_get(r, run, f->pid), c, off, f->len);
        break;
    case CHUNK_CLOSE:
        ok = parse_close(proc_get(r, run, f->pid), c);
        break;
    default:
        note(r, off, "unknown chunk type %u skipped", f->type);
        return;
    }
    if (!ok) {
        r->tf->damaged_chunks++;
        r->tf->damaged_bytes += FRAME_SIZE + f->len;
        note(r, off, "malformed %s payload",
             f->type == CHUNK_HEADER ? "header" : f->type == CHUNK_META ? "meta"
             : f->type == CHUNK_EVENTS ? "events" : "closing");
    }
}

static void scan(Reader *r)
{
    size_t off = 0;
    while (off < r->len && !r->fatal) {
        Frame f = {0};
        FrameCheck fc = frame_check(r, off, &f);
        if (fc == FRAME_OK) {
            chunk_apply(r, off, &f);
            off += FRAME_SIZE + f.len;
            continue;
        }
        if (fc == FRAME_VERSION) {
            fail(r, off, true, "format version %u, this gilscope reads version %d", f.version,
                 FORMAT_VERSION);
            return;
        }
        size_t next = resync(r, off + (fc == FRAME_BAD || fc == FRAME_SHORT ? 1 : FRAME_SIZE));
        if (next == r->len && (fc == FRAME_SHORT || fc == FRAME_CUT)) {
            r->tf->truncated = true;
            r->tf->truncated_at = off;
            if (fc == FRAME_SHORT)
                note(r, off, "truncated (the file ends %zu bytes into its %d-byte frame)",
                     r->len - off, FRAME_SIZE);
            else
                note(r, off, "truncated (%zu of %u payload bytes present)",
                     r->len - off - FRAME_SIZE, f.len);
            return;
        }
        r->tf->damaged_chunks++;
        r->tf->damaged_bytes += next - off;
        note(r, off, "%s (%zu bytes skipped)",
             fc == FRAME_PAYLOAD_BAD ? "checksum mismatch" : fc == FRAME_CUT ? "cut short"
             : "bad frame", next - off);
        off = next;
    }
}

/* ---- finishing the model ------------------------------------------------------------------ */

static int lane_cmp(const void *a, const void *b)
{
    uint32_t x = ((const TraceLane *)a)->tid, y = ((const TraceLane *)b)->tid;
    return x < y ? -1 : x > y;
}

static int proc_cmp(const void *a, const void *b)
{
    uint32_t x = ((const TraceProc *)a)->pid, y = ((const TraceProc *)b)->pid;
    return x < y ? -1 : x > y;
}

static void run_finish(TraceRun *run)
{
    TraceHeader *h = &run->hdr;
    char **strs[] = { &h->workload, &h->mode, &h->policy, &h->clock, &h->host, &h->kernel, &h->tracer };
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        if (!*strs[i])
            *strs[i] = str_empty();
    if (run->nprocs > 1)
        qsort(run->procs, run->nprocs, sizeof *run->procs, proc_cmp);
    /* The opening process first: it is the run's main process. */
    for (size_t i = 1; i < run->nprocs; i++) {
        if (run->procs[i].pid == h->pid) {
            TraceProc root = run->procs[i];
            memmove(run->procs + 1, run->procs, i * sizeof *run->procs);
            run->procs[0] = root;
            break;
        }
    }
    uint64_t lost = 0;
    bool any = false;
    for (size_t i = 0; i < run->nprocs; i++) {
        TraceProc *p = &run->procs[i];
        if (p->nlanes > 1)
            qsort(p->lanes, p->nlanes, sizeof *p->lanes, lane_cmp);
        uint64_t lane_lost = 0;
        for (size_t j = 0; j < p->nlanes; j++) {
            TraceLane *l = &p->lanes[j];
            lane_lost += l->lost;
            if (l->nev && l->ev) {
                if (!any || l->ev[0].ns < run->first_ns)
                    run->first_ns = l->ev[0].ns;
                if (!any || l->ev[l->nev - 1].ns > run->last_ns)
                    run->last_ns = l->ev[l->nev - 1].ns;
                any = true;
            }
        }
        lost += p->closed && p->lost > lane_lost ? p->lost : lane_lost;
        if (p->pid == h->pid && p->closed) {
            run->complete = !p->interrupted;
            run->interrupted = p->interrupted;
        }
    }
    run->lost = lost;
}

void trace_file_free(TraceFile *tf)
{
    if (!tf)
        return;
    for (size_t i = 0; i < tf->nruns; i++) {
        TraceRun *run = &tf->runs[i];
        TraceHeader *h = &run->hdr;
        free(h->workload);
        free(h->mode);
        free(h->policy);
        free(h->clock);
        free(h->host);
        free(h->kernel);
        free(h->tracer);
        for (int a = 0; a < h->argc; a++)
            free(h->argv[a]);
        free(h->argv);
        for (size_t p = 0; p < run->nprocs; p++) {
            TraceProc *proc = &run->procs[p];
            for (size_t l = 0; l < proc->nlanes; l++) {
                free(proc->lanes[l].name);
                free(proc->lanes[l].ev);
                free(proc->lanes[l].refs_);
            }
            free(proc->lanes);
            free(proc->interp);
        }
        free(run->procs);
        for (size_t m = 0; m < run->nmarks; m++)
            free(run->marks[m].text);
        free(run->marks);
    }
    free(tf->runs);
    for (size_t i = 0; i < tf->nnotes; i++)
        free(tf->notes[i]);
    free(tf->notes);
    free(tf->name);
    free(tf);
}

/* ---- decoding the lanes after the scan, on several threads ------------------------- */

typedef struct DecodeJob {
    TraceLane *lane;
    size_t run;
    uint64_t events;            /* queued, for the order of the jobs */
    LaneOut out;
} DecodeJob;

typedef struct DecodeJobs {
    const Reader *r;
    DecodeJob *jobs;
    size_t n, next;             /* next: taken under mu */
    pthread_mutex_t mu;
} DecodeJobs;

static void *decode_worker(void *arg)
{
    DecodeJobs *d = arg;
    TraceEvent *scratch = NULL;
    size_t cap = 0;
    for (;;) {
        pthread_mutex_lock(&d->mu);
        size_t i = d->next++;
        pthread_mutex_unlock(&d->mu);
        if (i >= d->n)
            break;
        DecodeJob *j = &d->jobs[i];
        const ChunkRef *refs = j->lane->refs_;
        for (size_t k = 0; k < j->lane->nrefs_; k++) {
            if (!decode_chunk(d->r, j->lane, j->run, &refs[k], &scratch, &cap, &j->out)) {
                j->out.damaged_chunks++;
                j->out.damaged_bytes += FRAME_SIZE + refs[k].len;
                lane_note(&j->out, refs[k].off, "malformed events payload");
            }
        }
    }
    free(scratch);
    return NULL;
}

static int job_cmp(const void *a, const void *b)
{
    const DecodeJob *x = a, *y = b;
    return x->events > y->events ? -1 : x->events < y->events;
}

/* Decodes the queued chunks of every lane, the biggest lanes first, on up
 * to `threads` threads; each lane on one thread, its chunks in file order.
 * The results are those of decoding during the scan. */
static void decode_lanes(Reader *r, int threads)
{
    TraceFile *tf = r->tf;
    size_t n = 0;
    for (size_t i = 0; i < tf->nruns; i++)
        for (size_t p = 0; p < tf->runs[i].nprocs; p++)
            n += tf->runs[i].procs[p].nlanes;
    DecodeJobs d = { .r = r, .jobs = mem_calloc(n ? n : 1, sizeof(DecodeJob)) };
    size_t k = 0;
    for (size_t i = 0; i < tf->nruns; i++)
        for (size_t p = 0; p < tf->runs[i].nprocs; p++)
            for (size_t l = 0; l < tf->runs[i].procs[p].nlanes; l++) {
                TraceLane *ln = &tf->runs[i].procs[p].lanes[l];
                DecodeJob *j = &d.jobs[k++];
                j->lane = ln;
                j->run = i;
                for (size_t c = 0; c < ln->nrefs_; c++)
                    j->events += ((const ChunkRef *)ln->refs_)[c].n;
            }
    if (n > 1)
        qsort(d.jobs, n, sizeof *d.jobs, job_cmp);
    d.n = n;
    pthread_mutex_init(&d.mu, NULL);
    pthread_t th[16];
    int nth = 0;
    for (int t = 1; t < threads && t < 16 && (size_t)t < n; t++)
        if (pthread_create(&th[nth], NULL, decode_worker, &d) == 0)
            nth++;
    decode_worker(&d);
    for (int t = 0; t < nth; t++)
        pthread_join(th[t], NULL);
    pthread_mutex_destroy(&d.mu);
    for (size_t i = 0; i < n; i++) {
        lane_out_merge(r, &tf->runs[d.jobs[i].run], &d.jobs[i].out);
        free(d.jobs[i].lane->refs_);
        d.jobs[i].lane->refs_ = NULL;
        d.jobs[i].lane->nrefs_ = d.jobs[i].lane->caprefs_ = 0;
    }
    free(d.jobs);
}

typedef struct StreamArgs {
    TraceLanesReady ready;
    TraceEventSink sink;
    void *ctx;
    int threads;
} StreamArgs;

static TraceReadStatus read_mem(const void *buf, size_t len, const char *name, TraceFile **out,
                                char *err, size_t errsize, const StreamArgs *sa);

TraceReadStatus trace_read_mem(const void *buf, size_t len, const char *name, TraceFile **out,
                               char *err, size_t errsize)
{
    return read_mem(buf, len, name, out, err, errsize, NULL);
}

static TraceReadStatus read_mem(const void *buf, size_t len, const char *name, TraceFile **out,
                                char *err, size_t errsize, const StreamArgs *sa)
{
    *out = NULL;
    if (errsize)
        err[0] = '\0';
    TraceFile *tf = mem_calloc(1, sizeof *tf);
    name = name ? name : "(memory)";
    tf->name = str_dup_n((const uint8_t *)name, strlen(name));
    tf->size = len;
    Reader r = { .tf = tf, .buf = buf, .len = len, .err = err, .errsize = errsize,
                 .sink = sa ? sa->sink : NULL, .sink_ctx = sa ? sa->ctx : NULL, .deferred = sa != NULL };
    if (len == 0)
        fail(&r, 0, false, "empty file, not a gilscope trace");
    else if (len < 4 || memcmp(buf, "GILT", 4) != 0)
        fail(&r, 0, false, "not a gilscope trace (no GILT magic at byte 0)");
    else {
        if (sa && len >= (256u << 10))
            crc_ahead(&r);
        scan(&r);
    }
    free(r.pre_off);
    free(r.pre_ok);
    free(r.ids);
    free(r.crc_prefix);
    r.ids = NULL;
    r.crc_prefix = NULL;
    if (!r.fatal && tf->nruns == 0)
        fail(&r, 0, false, "no readable chunk%s", tf->truncated ? " (truncated)" : "");
    if (!r.fatal && sa) {
        if (sa->ready)
            sa->ready(sa->ctx, tf);
        decode_lanes(&r, sa->threads);
    }
    free(r.scratch);
    if (r.fatal) {
        for (size_t i = 0; i < r.npnotes; i++)
            free(r.pnotes[i].msg);
        free(r.pnotes);
        trace_file_free(tf);
        return TRACE_READ_EFORMAT;
    }
    notes_flush(&r);
    for (size_t i = 0; i < tf->nruns; i++) {
        TraceRun *run = &tf->runs[i];
        run_finish(run);
        if (!run->has_header)
            note(&r, run->offset, "run %016llx has no readable header", (unsigned long long)run->run_id);
    }
    *out = tf;
    return TRACE_READ_OK;
}

TraceReadStatus trace_read_file(const char *path, TraceFile **out, char *err, size_t errsize)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        if (errsize)
            snprintf(err, errsize, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return TRACE_READ_EIO;
    }
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) {
        if (errsize)
            snprintf(err, errsize, "%s: not a regular file", path);
        close(fd);
        return TRACE_READ_EIO;
    }
    /* Read to end of file: a trace may still be growing, and pipes have no size. */
    size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 65536, n = 0;
    uint8_t *buf = mem_alloc(cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = mem_realloc(buf, cap);
        }
        ssize_t k = read(fd, buf + n, cap - n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            if (errsize)
                snprintf(err, errsize, "%s: %s", path, strerror(errno));
            free(buf);
            close(fd);
            return TRACE_READ_EIO;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    close(fd);
    TraceReadStatus st_read = trace_read_mem(buf, n, path, out, err, errsize);
    free(buf);
    return st_read;
}

TraceReadStatus trace_read_file_stream(const char *path, TraceLanesReady ready, TraceEventSink sink, void *ctx,
                                       int threads, TraceFile **out, char *err, size_t errsize)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        if (errsize)
            snprintf(err, errsize, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return TRACE_READ_EIO;
    }
    if (!S_ISREG(st.st_mode) || st.st_size == 0) {
        close(fd);
        TraceFile *tf = NULL;
        TraceReadStatus s = trace_read_file(path, &tf, err, errsize);
        if (s != TRACE_READ_OK)
            return s;
        /* Hand the stored events over as if streamed (on this thread). */
        if (ready)
            ready(ctx, tf);
        for (size_t i = 0; i < tf->nruns; i++)
            for (size_t p = 0; p < tf->runs[i].nprocs; p++)
                for (size_t l = 0; l < tf->runs[i].procs[p].nlanes; l++) {
                    TraceLane *ln = &tf->runs[i].procs[p].lanes[l];
                    sink(ctx, ln, i, ln->ev, ln->nev, 0);
                }
        *out = tf;
        return TRACE_READ_OK;
    }
    size_t len = (size_t)st.st_size;
    /* MAP_POPULATE: the pages are mapped in one go, not one fault at a time. */
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        if (errsize)
            snprintf(err, errsize, "%s: %s", path, strerror(errno));
        return TRACE_READ_EIO;
    }
    madvise(map, len, MADV_SEQUENTIAL);
    StreamArgs sa = { ready, sink, ctx, threads < 1 ? 1 : threads };
    TraceReadStatus s = read_mem(map, len, path, out, err, errsize, &sa);
    munmap(map, len);
    return s;
}
