/*
 * raw.h -- the file libgilscope-preload.so writes for one traced process
 * ($GILSCOPE_DIR/<pid>.raw) and `gilscope trace` converts into a .gilt.
 *
 * A 4096-byte header, then chunks of RAW_CHUNK_WORDS 32-bit words.  A
 * thread claims a whole chunk with one atomic add on `next_chunk` and fills
 * it alone; the chunk's first two words are RAW_CHUNK_MAGIC and the owner's
 * tid.  Then one word per event:
 *
 *   kind << 28 | gil << 25 | delta        kind 1..14, delta < 2^25
 *
 * delta being the clock (below) minus the previous event's in the chunk.
 * The chunk's first event, and one whose delta does not fit (over ~13 ms of
 * TSC ticks), is preceded by a time pair: RAW_TIME << 28 | stamp >> 32, then
 * the stamp's low 32 bits, the stamp being the clock minus `base` (60
 * bits), which restarts the deltas (the event after it has delta 0).
 *
 * A release followed by the same thread's re-acquisition with no holder in
 * between (the uncontended path: a blocking call that did not block long)
 * is one word when both deltas are short:
 *
 *   RAW_PAIR << 28 | gil << 25 | rel_delta << 13 | acq_delta
 *
 * a RAW_REL at rel_delta (< 2^12) after the previous event, then a RAW_ACQ
 * acq_delta (< 2^13) after it.  The release is written first as its own
 * word and rewritten in place, so a record cut short still reads.  Fresh
 * memory (a page fault every 4 KB, microseconds in a VM), not the stores,
 * is what recording costs: the pair costs 4 bytes.
 *
 * The thread's name, as Python knows it (Thread.name), is a word
 * RAW_NAME << 28 | length (< 256 bytes, UTF-8) followed by the bytes, NUL
 * padded to whole words; it carries no time and the last one of a thread
 * counts.  `gilscope trace` puts a sitecustomize.py on PYTHONPATH that
 * sends it (trace/site.h).  Unused words
 * are zero, so a process killed mid-chunk leaves a readable prefix.  Same
 * machine, same build: fields are native-endian.
 */
#ifndef TRACE_RAW_H
#define TRACE_RAW_H

#include <stdint.h>

#define RAW_MAGIC "GSRAW02"
#define RAW_HEADER_BYTES 4096
#define RAW_CHUNK_WORDS 16384u
#define RAW_CHUNK_BYTES (RAW_CHUNK_WORDS * 4u)
#define RAW_CHUNK_MAGIC 0x47494c43u    /* "GILC" */
#define RAW_MAX_GILS 8
#define RAW_MAX_NAMES 64
#define RAW_DELTA_BITS 25
#define RAW_DELTA_LIMIT (UINT32_C(1) << RAW_DELTA_BITS)
#define RAW_TIME 15                     /* kind of a time pair's first word */
#define RAW_NAME_MAX 255
#define RAW_NAME_KEY "GILSCOPE_THREAD_NAME"   /* os.putenv(RAW_NAME_KEY, name): a name, not set */
#define RAW_PAIR_ACQ_BITS 13
#define RAW_PAIR_REL_LIMIT (UINT32_C(1) << (RAW_DELTA_BITS - RAW_PAIR_ACQ_BITS))
#define RAW_PAIR_ACQ_LIMIT (UINT32_C(1) << RAW_PAIR_ACQ_BITS)

/* What an event word says (the kind, bits 28-31). */
enum {
    RAW_REQ = 1,        /* began waiting: the first timed wait of a take_gil */
    RAW_ACQ = 2,        /* took the GIL: take_gil signals switch_cond */
    RAW_REL = 3,        /* released it: drop_gil signals cond */
    RAW_DROP = 4,       /* a timed wait ran out, GIL still held, no switch: drop request */
    RAW_WAKEFAIL = 5,   /* woken, but the GIL was taken again */
    RAW_HANDOFF_BEGIN = 6, /* forced off: waits on switch_cond until another takes it */
    RAW_HANDOFF_END = 7,
    RAW_EXIT = 8,       /* the thread ended (its TLS destructor ran) */
    RAW_DESTROY = 9,    /* the GIL was destroyed (pthread_cond_destroy of its cond) */
    RAW_PAIR = 10,      /* RAW_REL then RAW_ACQ, two deltas (above) */
    RAW_NAME = 11       /* not an event: the thread's Python name (below) */
};

enum { RAW_CLOCK_MONO = 0, RAW_CLOCK_TSC = 1 };

typedef struct RawName {
    uint32_t tid;
    char name[28];              /* pthread_setname_np's, NUL-terminated */
} RawName;

typedef struct RawHeader {
    char magic[8];              /* RAW_MAGIC */
    uint32_t header_bytes;      /* RAW_HEADER_BYTES */
    uint32_t chunk_words;       /* RAW_CHUNK_WORDS */
    uint64_t max_chunks;        /* chunks the file has room for */
    uint32_t pid, ppid;
    uint32_t clock;             /* RAW_CLOCK_*: what a stamp counts */
    uint32_t ngils;             /* GILs registered */
    uint64_t base;              /* the clock at creation: stamps are relative to it */
    uint64_t base_mono_ns;      /* CLOCK_MONOTONIC at the same moment */
    uint64_t base_real_ns;      /* CLOCK_REALTIME at the same moment */
    uint64_t next_chunk;        /* chunks claimed (atomic); may exceed max_chunks */
    uint64_t lost;              /* events not recorded: the file was full (atomic) */
    uint32_t exited;            /* 1: the process reached exit() or _exit() */
    uint32_t nnames;            /* names claimed (atomic) */
    uint64_t exit_stamp;        /* the clock at exit (absolute, same clock as base) */
    uint64_t cpu_user_ns, cpu_sys_ns;   /* getrusage at exit */
    uint64_t switch_first[RAW_MAX_GILS];/* gil->switch_number at the GIL's first recorded acquisition */
    uint64_t switch_last[RAW_MAX_GILS]; /* ... when the GIL was destroyed or at exit */
    uint64_t interval_us[RAW_MAX_GILS]; /* gil->interval then */
    uint32_t switch_known[RAW_MAX_GILS];/* bit 0: first read, bit 1: last read */
    char version[200];          /* Py_GetVersion(), if the process exports it */
    char cmdline[1024];         /* /proc/self/cmdline at creation, NULs as separators */
    uint32_t cmdline_len;
    RawName names[RAW_MAX_NAMES];
} RawHeader;

_Static_assert(sizeof(RawHeader) <= RAW_HEADER_BYTES, "RawHeader too large");

#endif
