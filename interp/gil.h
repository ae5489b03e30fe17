/*
 * gil.h -- the global interpreter lock, one implementation per policy
 * (gil_legacy.c, gil_newgil.c, gil_priority.c, gil_fifo.c) behind one
 * interface.  Real pthread mutexes and condition variables: every effect
 * (the multicore battle, the convoy) comes from the OS scheduler's own
 * wake-up races, never from a simulation.  See shared/GIL-FACTS.md.
 */
#ifndef INTERP_GIL_H
#define INTERP_GIL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "vm.h"

typedef enum { GIL_NEWGIL = 0, GIL_LEGACY, GIL_PRIORITY, GIL_FIFO, GIL__COUNT } GilKind;

typedef struct GilConfig {
    int kind;                   /* GilKind */
    double switch_interval;     /* seconds (newgil, priority, fifo) */
    int check_interval;         /* ticks (legacy) */
    bool no_force_switching;    /* newgil without FORCE_SWITCHING, to show why it exists */
} GilConfig;

/* "newgil" -> GIL_NEWGIL; -1 for an unknown name. */
int gil_kind_parse(const char *name);
const char *gil_kind_name(int kind);

/* A new, unlocked GIL.  Never NULL (aborts on OOM). */
Gil *gil_new(const GilConfig *cfg);
void gil_free(Gil *g);

/* Blocks until t holds the GIL.  t must not hold it. */
void gil_acquire(Gil *g, Thread *t);
/* t must hold the GIL; reason a TraceReason. */
void gil_release(Gil *g, Thread *t, int reason);
/* The interpreter loop's slow path, with the GIL held: honours a drop
 * request (forced switch) or the legacy check interval, and re-arms
 * t->tick_limit. */
void gil_check(Gil *g, Thread *t);
/* ticks at which t must next call gil_check (UINT64_MAX: only when forced). */
uint64_t gil_next_check(Gil *g, Thread *t);

void gil_set_switch_interval(Gil *g, double seconds);
double gil_switch_interval(Gil *g);
/* The cumulative interpreter ticks of the process, for trace events. */
uint64_t gil_ticks(Gil *g, Thread *t);

/* ---- for the policy implementations ---------------------------------------- */

typedef struct GilPolicy {
    const char *name;
    void (*acquire)(Gil *g, Thread *t);
    void (*release)(Gil *g, Thread *t, int reason);
    void (*check)(Gil *g, Thread *t);
} GilPolicy;

struct Gil {
    const GilPolicy *policy;
    GilConfig cfg;
    pthread_mutex_t mutex;          /* guards locked, holder, the fifo queue */
    pthread_cond_t cond;            /* "the GIL was released" */
    pthread_mutex_t switch_mutex;   /* FORCE_SWITCHING */
    pthread_cond_t switch_cond;
    atomic_int locked;
    Thread *holder;                 /* under mutex */
    _Atomic(Thread *) last_holder;  /* newgil: who held it last */
    _Atomic uint64_t switch_number; /* newgil: acquisitions by a different thread */
    atomic_int drop_request;
    _Atomic int64_t interval_ns;    /* switch interval */
    _Atomic uint64_t ticks_total;   /* ticks of all released holds */
    Thread *fifo_head, *fifo_tail;  /* fifo: waiters in arrival order (under mutex) */
};

extern const GilPolicy gil_policy_legacy, gil_policy_newgil, gil_policy_priority, gil_policy_fifo;

/* Shared helpers (gil.c). */
void gil_trace(Gil *g, Thread *t, int kind, uint32_t arg);
/* Marks t as holder (under g->mutex) and records its tick base. */
void gil_took(Gil *g, Thread *t);
/* Folds the holder's ticks into the total before it lets go. */
void gil_letting_go(Gil *g, Thread *t);
/* Asks the current holder to drop the GIL at its next check (under g->mutex). */
void gil_request_drop(Gil *g, Thread *requester);
/* abstime = now + ns on CLOCK_MONOTONIC (the condition variables use it). */
void gil_deadline(struct timespec *ts, int64_t ns);
void gil_cond_init(pthread_cond_t *c);

/* newgil's take/drop, reused by priority (gil_newgil.c). */
void newgil_take(Gil *g, Thread *t, bool priority);
void newgil_drop(Gil *g, Thread *t, int reason);

#endif
