/*
 * shm.c -- the process-shared arena (see shm.h).
 *
 * The arena is one anonymous shared mapping whose first bytes hold its
 * header: a robust process-shared mutex, the bump pointer and one free list
 * per size class.  Blocks are powers of two from 64 bytes up, each with a
 * 16-byte header naming its class; a freed block goes back on its class's
 * list and is never split or merged, which keeps the allocator a few lines
 * and is enough for locks (one small block each) and queue rings (which
 * grow by doubling).
 *
 * The mapping and the registry of references are per-process state (the
 * kernel's mapping, the process's own handles), so they are file-static;
 * fork() copies both, which is the point.
 */
#include "shm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define SHM_MIN_SHIFT 6                     /* smallest block: 64 bytes */
#define SHM_NCLASS 20                       /* largest block: 32 MiB */
#define SHM_BLOCK_HDR 16
#define SHM_MAGIC 0x53484d42u               /* 'SHMB' */

typedef struct ShmBlock {
    uint32_t cls;
    uint32_t magic;
    union {
        struct ShmBlock *next_free;         /* while on a free list */
        uint64_t pad;
    } u;
} ShmBlock;

typedef struct ShmArena {
    pthread_mutex_t mu;
    size_t size;                            /* bytes mapped */
    size_t top;                             /* bump pointer: offset of the first unused byte */
    size_t used;                            /* bytes in allocated blocks */
    ShmBlock *free[SHM_NCLASS];
} ShmArena;

static ShmArena *shm_arena;
static int shm_map_errno;
static pthread_once_t shm_once = PTHREAD_ONCE_INIT;

static pthread_mutex_t shm_reg_mu = PTHREAD_MUTEX_INITIALIZER;
static ShmRef *shm_reg_head;

_Static_assert(sizeof(ShmBlock) == SHM_BLOCK_HDR, "block header size");

static void shm_map(void)
{
    void *p = mmap(NULL, SHM_ARENA_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED) {
        shm_map_errno = errno;
        return;
    }
    ShmArena *a = p;
    shm_mutex_init(&a->mu);
    a->size = SHM_ARENA_BYTES;
    a->top = (sizeof(ShmArena) + 63) & ~(size_t)63;
    shm_arena = a;
}

static ShmArena *shm_get(void)
{
    pthread_once(&shm_once, shm_map);
    if (!shm_arena)
        errno = shm_map_errno;
    return shm_arena;
}

void shm_mutex_init(pthread_mutex_t *mu)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(mu, &a);
    pthread_mutexattr_destroy(&a);
}

void shm_cond_init(pthread_cond_t *cv)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(cv, &a);
    pthread_condattr_destroy(&a);
}

void shm_mutex_lock(pthread_mutex_t *mu)
{
    if (pthread_mutex_lock(mu) == EOWNERDEAD)
        pthread_mutex_consistent(mu);
}

void shm_mutex_unlock(pthread_mutex_t *mu)
{
    pthread_mutex_unlock(mu);
}

int shm_cond_wait(pthread_cond_t *cv, pthread_mutex_t *mu, const struct timespec *abstime)
{
    int rc = abstime ? pthread_cond_timedwait(cv, mu, abstime) : pthread_cond_wait(cv, mu);
    if (rc == EOWNERDEAD) {
        pthread_mutex_consistent(mu);
        rc = 0;
    }
    return rc == ETIMEDOUT ? ETIMEDOUT : 0;
}

static int shm_class_of(size_t size)
{
    size_t need = size + SHM_BLOCK_HDR;
    for (int c = 0; c < SHM_NCLASS; c++)
        if (((size_t)1 << (SHM_MIN_SHIFT + c)) >= need)
            return c;
    return -1;
}

size_t shm_max_alloc(void)
{
    return ((size_t)1 << (SHM_MIN_SHIFT + SHM_NCLASS - 1)) - SHM_BLOCK_HDR;
}

void *shm_alloc(size_t size)
{
    ShmArena *a = shm_get();
    if (!a)
        return NULL;
    int c = shm_class_of(size);
    if (c < 0) {
        errno = ENOMEM;
        return NULL;
    }
    size_t bsize = (size_t)1 << (SHM_MIN_SHIFT + c);
    shm_mutex_lock(&a->mu);
    ShmBlock *b = a->free[c];
    if (b) {
        a->free[c] = b->u.next_free;
    } else if (a->size - a->top >= bsize) {
        b = (ShmBlock *)((char *)a + a->top);
        a->top += bsize;
    }
    if (b)
        a->used += bsize;
    shm_mutex_unlock(&a->mu);
    if (!b) {
        errno = ENOMEM;
        return NULL;
    }
    b->cls = (uint32_t)c;
    b->magic = SHM_MAGIC;
    b->u.pad = 0;
    memset((char *)b + SHM_BLOCK_HDR, 0, bsize - SHM_BLOCK_HDR);
    return (char *)b + SHM_BLOCK_HDR;
}

void shm_free(void *p)
{
    if (!p)
        return;
    ShmArena *a = shm_arena;
    ShmBlock *b = (ShmBlock *)((char *)p - SHM_BLOCK_HDR);
    if (!a || b->magic != SHM_MAGIC || b->cls >= SHM_NCLASS)
        abort();        /* not a block of ours: a bug, never data */
    b->magic = 0;
    shm_mutex_lock(&a->mu);
    b->u.next_free = a->free[b->cls];
    a->free[b->cls] = b;
    a->used -= (size_t)1 << (SHM_MIN_SHIFT + b->cls);
    shm_mutex_unlock(&a->mu);
}

size_t shm_used(void)
{
    ShmArena *a = shm_arena;
    if (!a)
        return 0;
    shm_mutex_lock(&a->mu);
    size_t n = a->used;
    shm_mutex_unlock(&a->mu);
    return n;
}

/* ---- shared objects ---------------------------------------------------------- */

ShmObj *shm_obj_new(size_t size, uint32_t tag)
{
    ShmObj *o = shm_alloc(size);
    if (!o)
        return NULL;
    atomic_store(&o->refs, 1);
    o->tag = tag;
    return o;
}

void shm_obj_retain(ShmObj *o)
{
    atomic_fetch_add(&o->refs, 1);
}

void shm_obj_release(ShmObj *o)
{
    while (o && atomic_fetch_sub(&o->refs, 1) == 1) {
        ShmObj *dep = o->dep;
        shm_free(o->aux);
        shm_free(o);
        o = dep;
    }
}

ShmRef *shm_ref_new(ShmObj *o)
{
    ShmRef *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->obj = o;
    pthread_mutex_lock(&shm_reg_mu);
    r->next = shm_reg_head;
    if (shm_reg_head)
        shm_reg_head->prev = r;
    shm_reg_head = r;
    pthread_mutex_unlock(&shm_reg_mu);
    return r;
}

void shm_ref_free(void *ref)
{
    ShmRef *r = ref;
    pthread_mutex_lock(&shm_reg_mu);
    if (r->prev)
        r->prev->next = r->next;
    else if (shm_reg_head == r)
        shm_reg_head = r->next;
    if (r->next)
        r->next->prev = r->prev;
    bool drop = !r->released;
    pthread_mutex_unlock(&shm_reg_mu);
    if (drop)
        shm_obj_release(r->obj);
    free(r);
}

void shm_fork_prepare(void)
{
    pthread_mutex_lock(&shm_reg_mu);
    for (ShmRef *r = shm_reg_head; r; r = r->next)
        if (!r->released)
            atomic_fetch_add(&r->obj->refs, 1);
}

void shm_fork_parent(void)
{
    pthread_mutex_unlock(&shm_reg_mu);
}

void shm_fork_failed(void)
{
    for (ShmRef *r = shm_reg_head; r; r = r->next)
        if (!r->released)
            atomic_fetch_sub(&r->obj->refs, 1);     /* the parent still holds one: never 0 */
    pthread_mutex_unlock(&shm_reg_mu);
}

void shm_fork_child(void)
{
    /* the forking thread held it; no other thread exists here */
    pthread_mutex_init(&shm_reg_mu, NULL);
}

void shm_child_release_all(void)
{
    pthread_mutex_lock(&shm_reg_mu);
    for (ShmRef *r = shm_reg_head; r; r = r->next) {
        if (!r->released) {
            r->released = true;
            shm_obj_release(r->obj);
        }
    }
    pthread_mutex_unlock(&shm_reg_mu);
}
