/*
 * shm.h -- the process-shared arena: memory that a process and every child
 * it forks afterwards see at the same address (one MAP_SHARED|MAP_ANONYMOUS
 * mapping, made lazily on first use), with a small allocator and the
 * process-shared, robust mutexes and CLOCK_MONOTONIC condition variables
 * that the _process module's locks, queues and arrays are built from.
 *
 * Shared objects (ShmObj) are reference counted across processes: one
 * reference per handle per process.  Each process keeps a registry of the
 * references it holds (ShmRef); fork() gives the child a copy of every
 * handle, so shm_fork_prepare() adds one reference per registered handle
 * before the fork, and a child gives all of its references back with
 * shm_child_release_all() just before it exits.  A process that dies
 * without doing so (killed) leaks its references: the memory stays
 * allocated until the last process using the arena ends.
 *
 * None of these functions needs the GIL; none touches a Python object.
 */
#ifndef INTERP_SHM_H
#define INTERP_SHM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The arena's size (address space reserved; pages are touched on use). */
#define SHM_ARENA_BYTES ((size_t)64 << 20)

/* Allocates size bytes of shared, zeroed memory, 16-byte aligned.  NULL
 * when the arena is exhausted (or cannot be mapped: errno says why). */
void *shm_alloc(size_t size);
/* Frees a block from shm_alloc (NULL is ignored). */
void shm_free(void *p);
/* Bytes handed out and not freed (block sizes, headers included). */
size_t shm_used(void);
/* The largest block shm_alloc can ever return. */
size_t shm_max_alloc(void);

/* A process-shared, robust mutex; a process-shared condition variable on
 * CLOCK_MONOTONIC.  For memory from shm_alloc. */
void shm_mutex_init(pthread_mutex_t *mu);
void shm_cond_init(pthread_cond_t *cv);
/* Locks mu; if its owner died holding it, takes it over (the state it
 * guards is plain counters, consistent between statements). */
void shm_mutex_lock(pthread_mutex_t *mu);
void shm_mutex_unlock(pthread_mutex_t *mu);
/* Waits on cv until signalled or abstime (CLOCK_MONOTONIC; NULL: no limit).
 * 0, or ETIMEDOUT. */
int shm_cond_wait(pthread_cond_t *cv, pthread_mutex_t *mu, const struct timespec *abstime);

/* ---- reference-counted shared objects --------------------------------------- */

/* The header of every shared object. */
typedef struct ShmObj {
    _Atomic int32_t refs;       /* handles in all processes */
    uint32_t tag;               /* what it is (the _process module's tags) */
    struct ShmObj *dep;         /* another object it keeps alive (a Condition's lock), or NULL */
    void *aux;                  /* a second block freed with it (a queue's ring), or NULL */
} ShmObj;

/* One process's reference to a shared object (what an ObjHandle points to). */
typedef struct ShmRef {
    ShmObj *obj;
    struct ShmRef *prev, *next; /* the process's registry */
    bool released;              /* given back by shm_child_release_all */
} ShmRef;

/* Allocates a shared object of size bytes (>= sizeof(ShmObj)), zeroed,
 * with refs 1 and the tag.  NULL when the arena is exhausted. */
ShmObj *shm_obj_new(size_t size, uint32_t tag);
/* Adds a reference held by another shared object (ShmObj.dep). */
void shm_obj_retain(ShmObj *o);
/* Drops one reference; frees o (its aux, and drops its dep) at zero. */
void shm_obj_release(ShmObj *o);

/* Registers this process's reference to o (taking over one count). */
ShmRef *shm_ref_new(ShmObj *o);
/* Unregisters and drops the reference.  For ObjHandle.finalize. */
void shm_ref_free(void *ref);

/* Around fork(): prepare adds a reference for every registered one (the
 * child's copies) and holds the registry; exactly one of the other three
 * follows.  fork_failed takes the added references back. */
void shm_fork_prepare(void);
void shm_fork_parent(void);
void shm_fork_failed(void);
void shm_fork_child(void);
/* In a child about to _exit: drops every reference this process holds.
 * The handles stay usable (the memory stays mapped) but no longer count. */
void shm_child_release_all(void);

#endif
