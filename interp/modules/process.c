/*
 * modules/process.c -- `_process`: forked processes and the objects they
 * share, under threading (--mode processes) and multiprocessing
 * (interp/lib/multiprocessing.py).
 *
 * - start(fn, name) forks; the child runs fn() as its main thread with its
 *   own GIL (vm_after_fork_child) and exits with 0, the SystemExit code, or
 *   1.  join/alive/exitcode reap with waitpid and remember what they saw.
 * - Lock, RLock, Condition, Semaphore, BoundedSemaphore, Event and Queue
 *   live in the shared arena (shm.c): a process-shared mutex, condition
 *   variables and plain counters, so an object made before a fork works
 *   from the parent and every child.  A handle (ObjHandle) points to this
 *   process's ShmRef.
 * - Queue items cross by value (marshal.c) through a ring of bytes that
 *   grows by doubling; Pipe is a socketpair carrying length-prefixed
 *   marshalled messages.
 *
 * Every wait first tries without letting go of the GIL; only when it must
 * block does it release it (a blocking call of kind LOCK, QUEUE, PIPE or
 * JOIN), as _thread's lock does.  The main thread waits in 50 ms slices so
 * that Ctrl-C interrupts it.
 *
 * queue.Empty and queue.Full are queue.py's classes: queue.py (processes
 * mode) and multiprocessing.py register them with
 * _set_queue_exceptions(Empty, Full), which stores them in this module's
 * dict; without that, queue's own module is looked up at raise time.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gil.h"
#include "marshal.h"
#include "shm.h"
#include "trace.h"
#include "vm.h"
#include "vmint.h"

/* ObjHandle tags and ShmObj tags (one per kind). */
enum {
    PT_LOCK = 0x504c434b,   /* 'PLCK' */
    PT_RLOCK = 0x50524c4b,  /* 'PRLK' */
    PT_COND = 0x50434e44,   /* 'PCND' */
    PT_SEM = 0x5053454d,    /* 'PSEM' */
    PT_EVENT = 0x50455654,  /* 'PEVT' */
    PT_QUEUE = 0x50515545,  /* 'PQUE' */
    PT_ARRAY = 0x50415252   /* 'PARR' */
};

#define PROC_SLICE_NS (50 * 1000000)
#define QUEUE_RING_MIN 4096

/* ---- waiting ----------------------------------------------------------------- */

/* Tries to take what a waiter wants, under the object's mutex; touches no
 * Python object (it may run without the GIL). */
typedef bool (*TakeFn)(void *obj, void *arg);

static bool ts_passed(const struct timespec *ts)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > ts->tv_sec || (now.tv_sec == ts->tv_sec && now.tv_nsec >= ts->tv_nsec);
}

static bool ts_before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}


static Value proc_interrupted(Thread *t) { return vm_raise_interrupt(t); }

/* Calls take(obj, arg) under mu until it succeeds.  timeout < 0 waits
 * forever, 0 tries once.  1 taken, 0 not (non-blocking or timed out), -1
 * Ctrl-C (KeyboardInterrupt raised).  The GIL is released while waiting. */
static int proc_take(Thread *t, pthread_mutex_t *mu, pthread_cond_t *cv, TakeFn take, void *obj, void *arg,
                     bool block, double timeout, int kind)
{
    shm_mutex_lock(mu);
    bool got = take(obj, arg);
    shm_mutex_unlock(mu);
    if (got)
        return 1;
    if (!block || timeout == 0)
        return 0;
    Vm *vm = t->vm;
    bool is_main = t == vm->main;
    struct timespec deadline;
    if (timeout > 0)
        gil_deadline(&deadline, timeout > 1e9 ? (int64_t)1e18 : (int64_t)(timeout * 1e9));
    vm_blocking_begin(t, kind);
    shm_mutex_lock(mu);
    int r = 0;
    for (;;) {
        if (take(obj, arg)) {
            r = 1;
            break;
        }
        if (vm_interrupt_pending(t)) {
            r = -1;
            break;
        }
        if (timeout > 0 && ts_passed(&deadline))
            break;
        struct timespec slice;
        const struct timespec *until = NULL;
        if (is_main) {
            gil_deadline(&slice, PROC_SLICE_NS);
            if (timeout > 0 && ts_before(&deadline, &slice))
                slice = deadline;
            until = &slice;
        } else if (timeout > 0) {
            until = &deadline;
        }
        shm_cond_wait(cv, mu, until);
    }
    shm_mutex_unlock(mu);
    vm_blocking_end(t);
    if (r < 0)
        proc_interrupted(t);
    return r;
}

/* block/timeout arguments: timeout None or negative -> forever. */
static bool parse_block(Thread *t, Value block_v, Value timeout_v, bool *block, double *timeout)
{
    *block = true;
    *timeout = -1;
    if (!IS_ERR(block_v)) {
        int b = vm_truthy(t, block_v);
        if (b < 0)
            return false;
        *block = b;
    }
    if (!IS_ERR(timeout_v) && !IS_NONE(timeout_v)) {
        if (!vm_to_double(t, timeout_v, timeout))
            return false;
        if (isnan(*timeout)) {
            vm_raise(t, EXC_ValueError, "Invalid value NaN (not a number)");
            return false;
        }
        if (*timeout < 0)
            *timeout = *timeout == -1 ? -1 : 0;
    }
    return true;
}

/* ---- handles ------------------------------------------------------------------ */

static const char *tag_class_name(int tag)
{
    switch (tag) {
    case PT_LOCK: return "_LockType";
    case PT_RLOCK: return "_RLockType";
    case PT_COND: return "_ConditionType";
    case PT_SEM: return "_SemaphoreType";
    case PT_EVENT: return "_EventType";
    case PT_QUEUE: return "_QueueType";
    default: return "_ArrayType";
    }
}

static Value *proc_module_slot(Vm *vm, const char *name)
{
    Value *m = dict_find_str(vm->modules, str_intern_cstr(vm, "_process"));
    if (!m || !IS_KIND(*m, OBJ_MODULE))
        return NULL;
    return dict_find_str(AS_MODULE(*m)->dict, str_intern_cstr(vm, name));
}

/* A handle of the class registered for tag, owning one reference to o. */
static Value handle_new(Thread *t, ShmObj *o, int tag)
{
    Value *cls = proc_module_slot(t->vm, tag_class_name(tag));
    if (!cls || !IS_CLASS(*cls)) {
        shm_obj_release(o);
        return vm_raise(t, EXC_RuntimeError, "_process is not initialised");
    }
    ObjHandle *h = (ObjHandle *)obj_alloc(t->vm, sizeof(ObjHandle), OBJ_HANDLE, AS_CLASS(*cls));
    h->ptr = shm_ref_new(o);
    h->finalize = shm_ref_free;
    h->tag = tag;
    return val_obj(&h->obj);
}

static void *shm_new_or_raise(Thread *t, size_t size, uint32_t tag)
{
    ShmObj *o = shm_obj_new(size, tag);
    if (!o)
        vm_raise(t, EXC_OSError, "process-shared memory exhausted (%zu bytes in use): %s", shm_used(),
                 strerror(errno));
    return o;
}

/* The shared object behind self if it is a handle of one of the tags. */
static void *handle_get(Thread *t, Value self, int tag1, int tag2, const char *what)
{
    if (IS_KIND(self, OBJ_HANDLE)) {
        ObjHandle *h = AS_HANDLE(self);
        if (h->tag == tag1 || h->tag == tag2)
            return ((ShmRef *)h->ptr)->obj;
    }
    vm_raise(t, EXC_TypeError, "descriptor requires a '%s' object but received '%s'", what,
             vm_type_name(t->vm, self));
    return NULL;
}

/* ---- Lock and RLock ------------------------------------------------------------- */

typedef struct ShmLock {
    ShmObj hdr;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int64_t count;          /* 0 free; RLock: recursion depth */
    pid_t owner_pid;
    uint64_t owner_ident;
    bool recursive;
} ShmLock;

typedef struct Owner {
    pid_t pid;
    uint64_t ident;
} Owner;

static Owner owner_me(Thread *t)
{
    return (Owner){getpid(), t->ident};
}

static bool lock_owned_by(const ShmLock *l, Owner me)
{
    return l->count > 0 && l->owner_pid == me.pid && l->owner_ident == me.ident;
}

static bool lock_take(void *obj, void *arg)
{
    ShmLock *l = obj;
    const Owner *me = arg;
    if (l->count == 0) {
        l->count = 1;
        l->owner_pid = me->pid;
        l->owner_ident = me->ident;
        return true;
    }
    if (l->recursive && lock_owned_by(l, *me)) {
        l->count++;
        return true;
    }
    return false;
}

/* 1 acquired, 0 not, -1 error. */
static int lock_acquire_raw(Thread *t, ShmLock *l, bool block, double timeout)
{
    Owner me = owner_me(t);
    return proc_take(t, &l->mu, &l->cv, lock_take, l, &me, block, timeout, BLOCK_LOCK);
}

static Value proc_lock_new(Thread *t, bool recursive)
{
    ShmLock *l = shm_new_or_raise(t, sizeof(ShmLock), recursive ? PT_RLOCK : PT_LOCK);
    if (!l)
        return VAL_ERR;
    shm_mutex_init(&l->mu);
    shm_cond_init(&l->cv);
    l->recursive = recursive;
    return handle_new(t, &l->hdr, recursive ? PT_RLOCK : PT_LOCK);
}

static Value plock_acquire(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    static const char *const names[] = {"block", "timeout", "blocking"};
    Value a[3];
    ShmLock *l = handle_get(t, self, PT_LOCK, PT_RLOCK, "Lock");
    if (!l || !arg_parse(t, "acquire", argc, argv, kw, names, 0, 3, a))
        return VAL_ERR;
    bool block;
    double timeout;
    if (!parse_block(t, IS_ERR(a[2]) ? a[0] : a[2], a[1], &block, &timeout))
        return VAL_ERR;
    int r = lock_acquire_raw(t, l, block, timeout);
    return r < 0 ? VAL_ERR : val_bool(r);
}

/* Releases one level; false with an exception if not allowed. */
static bool lock_release_raw(Thread *t, ShmLock *l)
{
    Owner me = owner_me(t);
    shm_mutex_lock(&l->mu);
    if (l->recursive && !lock_owned_by(l, me)) {
        shm_mutex_unlock(&l->mu);
        vm_raise(t, EXC_AssertionError, "attempt to release recursive lock not owned by thread");
        return false;
    }
    if (l->count == 0) {
        shm_mutex_unlock(&l->mu);
        vm_raise(t, EXC_ValueError, "semaphore or lock released too many times");
        return false;
    }
    if (--l->count == 0) {
        l->owner_pid = 0;
        l->owner_ident = 0;
        pthread_cond_signal(&l->cv);
    }
    shm_mutex_unlock(&l->mu);
    return true;
}

static Value plock_release(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    ShmLock *l = handle_get(t, self, PT_LOCK, PT_RLOCK, "Lock");
    if (!l || !arg_count(t, "release", argc, kw, 0, 0))
        return VAL_ERR;
    return lock_release_raw(t, l) ? VAL_NONE : VAL_ERR;
}

static Value plock_enter(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argc, (void)argv, (void)kw;
    ShmLock *l = handle_get(t, self, PT_LOCK, PT_RLOCK, "Lock");
    if (!l)
        return VAL_ERR;
    int r = lock_acquire_raw(t, l, true, -1);
    return r < 0 ? VAL_ERR : val_bool(r);
}

static Value plock_exit(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argc, (void)argv, (void)kw;
    return plock_release(t, self, 0, NULL, NULL);
}

static Value plock_locked(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    ShmLock *l = handle_get(t, self, PT_LOCK, PT_RLOCK, "Lock");
    if (!l || !arg_count(t, "locked", argc, kw, 0, 0))
        return VAL_ERR;
    shm_mutex_lock(&l->mu);
    bool v = l->count > 0;
    shm_mutex_unlock(&l->mu);
    return val_bool(v);
}

static Value plock_is_owned(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    ShmLock *l = handle_get(t, self, PT_LOCK, PT_RLOCK, "Lock");
    if (!l || !arg_count(t, "_is_owned", argc, kw, 0, 0))
        return VAL_ERR;
    shm_mutex_lock(&l->mu);
    bool v = lock_owned_by(l, owner_me(t));
    shm_mutex_unlock(&l->mu);
    return val_bool(v);
}

static Value plock_repr(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argc, (void)argv, (void)kw;
    ShmLock *l = handle_get(t, self, PT_LOCK, PT_RLOCK, "Lock");
    if (!l)
        return VAL_ERR;
    shm_mutex_lock(&l->mu);
    int64_t count = l->count;
    pid_t pid = l->owner_pid;
    shm_mutex_unlock(&l->mu);
    char buf[96];
    if (count == 0)
        snprintf(buf, sizeof buf, "<%s(owner=None)>", l->recursive ? "RLock" : "Lock");
    else if (l->recursive)
        snprintf(buf, sizeof buf, "<RLock(pid %d, %lld)>", (int)pid, (long long)count);
    else
        snprintf(buf, sizeof buf, "<Lock(owner=pid %d)>", (int)pid);
    return val_obj(&str_from_cstr(t->vm, buf)->obj);
}

static const NativeDef plock_methods[] = {
    {"acquire", plock_acquire},
    {"release", plock_release},
    {"locked", plock_locked},
    {"_is_owned", plock_is_owned},
    {"__enter__", plock_enter},
    {"__exit__", plock_exit},
    {"__repr__", plock_repr},
    {NULL, NULL},
};

static Value proc_Lock(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self, (void)argv;
    if (!arg_count(t, "Lock", argc, kw, 0, 0))
        return VAL_ERR;
    return proc_lock_new(t, false);
}

static Value proc_RLock(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self, (void)argv;
    if (!arg_count(t, "RLock", argc, kw, 0, 0))
        return VAL_ERR;
    return proc_lock_new(t, true);
}

/* ---- Condition ------------------------------------------------------------------
 * notify(n) hands out up to n wake-up tokens to the waiters present at that
 * moment (a generation number keeps later waiters from taking them); a
 * waiter whose wait times out while a token is left for it takes it. */

typedef struct ShmCond {
    ShmObj hdr;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    ShmLock *lock;          /* hdr.dep: the condition's lock */
    int64_t waiters;        /* in wait() */
    int64_t tokens;         /* wake-ups not yet taken */
    uint64_t gen;           /* notify() calls so far */
} ShmCond;

typedef struct CondWaiter {
    uint64_t gen;           /* the generation it started waiting in */
} CondWaiter;

static bool cond_take(void *obj, void *arg)
{
    ShmCond *c = obj;
    const CondWaiter *w = arg;
    if (c->tokens > 0 && w->gen < c->gen) {
        c->tokens--;
        c->waiters--;
        return true;
    }
    return false;
}

static Value proc_Condition(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    static const char *const names[] = {"lock"};
    Value a[1];
    if (!arg_parse(t, "Condition", argc, argv, kw, names, 0, 1, a))
        return VAL_ERR;
    ShmLock *l;
    if (IS_ERR(a[0]) || IS_NONE(a[0])) {
        l = shm_new_or_raise(t, sizeof(ShmLock), PT_RLOCK);
        if (!l)
            return VAL_ERR;
        shm_mutex_init(&l->mu);
        shm_cond_init(&l->cv);
        l->recursive = true;
    } else {
        l = handle_get(t, a[0], PT_LOCK, PT_RLOCK, "multiprocessing Lock");
        if (!l)
            return VAL_ERR;
        shm_obj_retain(&l->hdr);
    }
    ShmCond *c = shm_new_or_raise(t, sizeof(ShmCond), PT_COND);
    if (!c) {
        shm_obj_release(&l->hdr);
        return VAL_ERR;
    }
    shm_mutex_init(&c->mu);
    shm_cond_init(&c->cv);
    c->lock = l;
    c->hdr.dep = &l->hdr;
    return handle_new(t, &c->hdr, PT_COND);
}

static ShmCond *cond_of(Thread *t, Value self)
{
    return handle_get(t, self, PT_COND, PT_COND, "Condition");
}

static Value pcond_acquire(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    static const char *const names[] = {"block", "timeout", "blocking"};
    Value a[3];
    ShmCond *c = cond_of(t, self);
    if (!c || !arg_parse(t, "acquire", argc, argv, kw, names, 0, 3, a))
        return VAL_ERR;
    bool block;
    double timeout;
    if (!parse_block(t, IS_ERR(a[2]) ? a[0] : a[2], a[1], &block, &timeout))
        return VAL_ERR;
    int r = lock_acquire_raw(t, c->lock, block, timeout);
    return r < 0 ? VAL_ERR : val_bool(r);
}

static Value pcond_release(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    ShmCond *c = cond_of(t, self);
    if (!c || !arg_count(t, "release", argc, kw, 0, 0))
        return VAL_ERR;
    return lock_release_raw(t, c->lock) ? VAL_NONE : VAL_ERR;
}

static Value pcond_enter(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argc, (void)argv, (void)kw;
    ShmCond *c = cond_of(t, self);
    if (!c)
        return VAL_ERR;
    int r = lock_acquire_raw(t, c->lock, true, -1);
    return r < 0 ? VAL_ERR : val_bool(r);
}

static Value pcond_exit(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argc, (void)argv, (void)kw;
    return pcond_release(t, self, 0, NULL, NULL);
}

/* wait(timeout): True when notified, False on timeout; -1 on error. */
static int cond_wait_raw(Thread *t, ShmCond *c, double timeout)
{
    ShmLock *l = c->lock;
    Owner me = owner_me(t);
    shm_mutex_lock(&l->mu);
    if (!lock_owned_by(l, me)) {
        shm_mutex_unlock(&l->mu);
        vm_raise(t, EXC_RuntimeError, "cannot wait on un-acquired lock");
        return -1;
    }
    shm_mutex_unlock(&l->mu);
    CondWaiter w;
    shm_mutex_lock(&c->mu);
    c->waiters++;
    w.gen = c->gen;
    shm_mutex_unlock(&c->mu);
    /* release the lock completely (an RLock may be held several times) */
    shm_mutex_lock(&l->mu);
    int64_t saved = l->count;
    l->count = 0;
    l->owner_pid = 0;
    l->owner_ident = 0;
    pthread_cond_signal(&l->cv);
    shm_mutex_unlock(&l->mu);
    int r = proc_take(t, &c->mu, &c->cv, cond_take, c, &w, true, timeout, BLOCK_LOCK);
    if (r <= 0) {
        shm_mutex_lock(&c->mu);
        if (cond_take(c, &w))
            r = r < 0 ? r : 1;      /* a notify came as the wait ended: it was for us */
        else
            c->waiters--;
        shm_mutex_unlock(&c->mu);
    }
    /* take the lock back, whatever happened; an interrupt stays pending */
    Value exc = t->exc;
    t->exc = VAL_ERR;
    bool intr = false;
    while (lock_acquire_raw(t, l, true, -1) < 0) {
        vm_exc_clear(t);
        intr = true;
    }
    shm_mutex_lock(&l->mu);
    l->count = saved;
    shm_mutex_unlock(&l->mu);
    if (!IS_ERR(exc)) {
        t->exc = exc;
    } else if (intr) {
        vm_raise(t, EXC_KeyboardInterrupt, "%s", "");
        r = -1;
    }
    return r;
}

static Value pcond_wait(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    static const char *const names[] = {"timeout"};
    Value a[1];
    ShmCond *c = cond_of(t, self);
    if (!c || !arg_parse(t, "wait", argc, argv, kw, names, 0, 1, a))
        return VAL_ERR;
    bool block;
    double timeout;
    if (!parse_block(t, VAL_ERR, a[0], &block, &timeout))
        return VAL_ERR;
    int r = cond_wait_raw(t, c, timeout);
    return r < 0 ? VAL_ERR : val_bool(r);
}

static Value pcond_wait_for(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    static const char *const names[] = {"predicate", "timeout"};
    Value a[2];
    ShmCond *c = cond_of(t, self);
    if (!c || !arg_parse(t, "wait_for", argc, argv, kw, names, 1, 2, a))
        return VAL_ERR;
    bool block;
    double timeout;
    if (!parse_block(t, VAL_ERR, a[1], &block, &timeout))
        return VAL_ERR;
    struct timespec deadline, now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    deadline = now;
    for (;;) {
        Value res = vm_call(t, a[0], 0, NULL, NULL);
        if (IS_ERR(res))
            return VAL_ERR;
        int truth = vm_truthy(t, res);
        if (truth != 0)
            return truth < 0 ? (val_decref(res), VAL_ERR) : res;
        double wait = -1;
        if (timeout >= 0) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            double spent = (double)(now.tv_sec - deadline.tv_sec) + (double)(now.tv_nsec - deadline.tv_nsec) * 1e-9;
            wait = timeout - spent;
            if (wait <= 0)
                return res;
        }
        val_decref(res);
        if (cond_wait_raw(t, c, wait) < 0)
            return VAL_ERR;
    }
}

static Value cond_notify_n(Thread *t, ShmCond *c, int64_t n)
{
    shm_mutex_lock(&c->lock->mu);
    bool owned = lock_owned_by(c->lock, owner_me(t));
    shm_mutex_unlock(&c->lock->mu);
    if (!owned)
        return vm_raise(t, EXC_RuntimeError, "cannot notify on un-acquired lock");
    shm_mutex_lock(&c->mu);
    int64_t free_waiters = c->waiters - c->tokens;
    int64_t k = n < free_waiters ? n : free_waiters;
    if (k > 0) {
        c->tokens += k;
        c->gen++;
        pthread_cond_broadcast(&c->cv);
    }
    shm_mutex_unlock(&c->mu);
    return VAL_NONE;
}

static Value pcond_notify(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    static const char *const names[] = {"n"};
    Value a[1];
    ShmCond *c = cond_of(t, self);
    if (!c || !arg_parse(t, "notify", argc, argv, kw, names, 0, 1, a))
        return VAL_ERR;
    int64_t n = 1;
    if (!IS_ERR(a[0]) && !vm_to_index(t, a[0], &n))
        return VAL_ERR;
    return cond_notify_n(t, c, n);
}

static Value pcond_notify_all(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    ShmCond *c = cond_of(t, self);
    if (!c || !arg_count(t, "notify_all", argc, kw, 0, 0))
        return VAL_ERR;
    return cond_notify_n(t, c, INT64_MAX);
}

static Value pcond_repr(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argc, (void)argv, (void)kw;
    ShmCond *c = cond_of(t, self);
    if (!c)
        return VAL_ERR;
    shm_mutex_lock(&c->mu);
    int64_t w = c->waiters - c->tokens;
    shm_mutex_unlock(&c->mu);
    char buf[96];
    snprintf(buf, sizeof buf, "<Condition(<%s>, %lld)>", c->lock->recursive ? "RLock" : "Lock", (long long)w);
    return val_obj(&str_from_cstr(t->vm, buf)->obj);
}

static const NativeDef pcond_methods[] = {
    {"acquire", pcond_acquire},
    {"release", pcond_release},
    {"__enter__", pcond_enter},
    {"__exit__", pcond_exit},
    {"wait", pcond_wait},
    {"wait_for", pcond_wait_for},
    {"notify", pcond_notify},
    {"notify_all", pcond_notify_all},
    {"notifyAll", pcond_notify_all},
    {"__repr__", pcond_repr},
    {NULL, NULL},
};

/* ---- Semaphore and BoundedSemaphore ------------------------------------------- */

typedef struct ShmSem {
    ShmObj hdr;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int64_t value;
    int64_t max;            /* BoundedSemaphore's bound, or -1 */
} ShmSem;

static bool sem_take(void *obj, void *arg)
{
    (void)arg;
    ShmSem *s = obj;
    if (s->value > 0) {
        s->value--;
        return true;
    }
    return false;
}

static Value sem_new(Thread *t, int argc, const Value *argv, ObjTuple *kw, bool bounded)
{
    static const char *const names[] = {"value"};
    Value a[1];
    if (!arg_parse(t, bounded ? "BoundedSemaphore" : "Semaphore", argc, argv, kw, names, 0, 1, a))
        return VAL_ERR;
    int64_t v = 1;
    if (!IS_ERR(a[0]) && !vm_to_index(t, a[0], &v))
        return VAL_ERR;
    if (v < 0)
        return vm_raise(t, EXC_ValueError, "semaphore initial value must be >= 0");
    ShmSem *s = shm_new_or_raise(t, sizeof(ShmSem), PT_SEM);
    if (!s)
        return VAL_ERR;
    shm_mutex_init(&s->mu);
    shm_cond_init(&s->cv);
    s->value = v;
    s->max = bounded ? v : -1;
    return handle_new(t, &s->hdr, PT_SEM);
}

static Value proc_Semaphore(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    return sem_new(t, argc, argv, kw, false);
}

static Value proc_BoundedSemaphore(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    return sem_new(t, argc, argv, kw, true);
}

static Value psem_acquire(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    static const char *const names[] = {"block", "timeout", "blocking"};
    Value a[3];
    ShmSem *s = handle_get(t, self, PT_SEM, PT_SEM, "Semaphore");
    if (!s || !arg_parse(t, "acquire", argc, argv, kw, names, 0, 3, a))
        return VAL_ERR;
    bool block;
    double timeout;
    if (!parse_block(t, IS_ERR(a[2]) ? a[0] : a[2], a[1], &block, &timeout))
        return VAL_ERR;
    int r = proc_take(t, &s->mu, &s->cv, sem_take, s, NULL, block, timeout, BLOCK_LOCK);
    return r < 0 ? VAL_ERR : val_bool(r);
}

static Value psem_release(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    static const char *const names[] = {"n"};
    Value a[1];
    ShmSem *s = handle_get(t, self, PT_SEM, PT_SEM, "Semaphore");
    if (!s || !arg_parse(t, "release", argc, argv, kw, names, 0, 1, a))
        return VAL_ERR;
    int64_t n = 1;
    if (!IS_ERR(a[0]) && !vm_to_index(t, a[0], &n))
        return VAL_ERR;
    if (n < 1)
        return vm_raise(t, EXC_ValueError, "n must be one or more");
    shm_mutex_lock(&s->mu);
    if (s->max >= 0 && s->value + n > s->max) {
        shm_mutex_unlock(&s->mu);
        return vm_raise(t, EXC_ValueError, "semaphore or lock released too many times");
    }
    s->value += n;
    pthread_cond_broadcast(&s->cv);
    shm_mutex_unlock(&s->mu);
    return VAL_NONE;
}

static Value psem_enter(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argc, (void)argv, (void)kw;
    return psem_acquire(t, self, 0, NULL, NULL);
}

static Value psem_exit(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argc, (void)argv, (void)kw;
    return psem_release(t, self, 0, NULL, NULL);
}

static Value psem_get_value(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    ShmSem *s = handle_get(t, self, PT_SEM, PT_SEM, "Semaphore");
    if (!s || !arg_count(t, "get_value", argc, kw, 0, 0))
        return VAL_ERR;
    shm_mutex_lock(&s->mu);
    int64_t v = s->value;
    shm_mutex_unlock(&s->mu);
    return val_int(v);
}

static const NativeDef psem_methods[] = {
    {"acquire", psem_acquire},
    {"release", psem_release},
    {"__enter__", psem_enter},
    {"__exit__", psem_exit},
    {"get_value", psem_get_value},
    {NULL, NULL},
};

/* ---- Event ----------------------------------------------------------------------- */

typedef struct ShmEvent {
    ShmObj hdr;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int flag;
} ShmEvent;

static bool event_take(void *obj, void *arg)
{
    (void)arg;
    return ((ShmEvent *)obj)->flag != 0;
}

static Value proc_Event(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self, (void)argv;
    if (!arg_count(t, "Event", argc, kw, 0, 0))
        return VAL_ERR;
    ShmEvent *e = shm_new_or_raise(t, sizeof(ShmEvent), PT_EVENT);
    if (!e)
        return VAL_ERR;
    shm_mutex_init(&e->mu);
    shm_cond_init(&e->cv);
    return handle_new(t, &e->hdr, PT_EVENT);
}

static Value pevent_set_flag(Thread *t, Value self, int argc, ObjTuple *kw, const char *name, int flag)
{
    ShmEvent *e = handle_get(t, self, PT_EVENT, PT_EVENT, "Event");
    if (!e || !arg_count(t, name, argc, kw, 0, 0))
        return VAL_ERR;
    shm_mutex_lock(&e->mu);
    e->flag = flag;
    if (flag)
        pthread_cond_broadcast(&e->cv);
    shm_mutex_unlock(&e->mu);
    return VAL_NONE;
}

static Value pevent_set(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    return pevent_set_flag(t, self, argc, kw, "set", 1);
}

static Value pevent_clear(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    return pevent_set_flag(t, self, argc, kw, "clear", 0);
}

static Value pevent_is_set(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    ShmEvent *e = handle_get(t, self, PT_EVENT, PT_EVENT, "Event");
    if (!e || !arg_count(t, "is_set", argc, kw, 0, 0))
        return VAL_ERR;
    shm_mutex_lock(&e->mu);
    int v = e->flag;
    shm_mutex_unlock(&e->mu);
    return val_bool(v);
}

static Value pevent_wait(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    static const char *const names[] = {"timeout"};
    Value a[1];
    ShmEvent *e = handle_get(t, self, PT_EVENT, PT_EVENT, "Event");
    if (!e || !arg_parse(t, "wait", argc, argv, kw, names, 0, 1, a))
        return VAL_ERR;
    bool block;
    double timeout;
    if (!parse_block(t, VAL_ERR, a[0], &block, &timeout))
        return VAL_ERR;
    int r = proc_take(t, &e->mu, &e->cv, event_take, e, NULL, true, timeout, BLOCK_LOCK);
    return r < 0 ? VAL_ERR : val_bool(r);
}

static const NativeDef pevent_methods[] = {
    {"set", pevent_set},
    {"clear", pevent_clear},
    {"is_set", pevent_is_set},
    {"isSet", pevent_is_set},
    {"wait", pevent_wait},
    {NULL, NULL},
};

/* ---- Queue ------------------------------------------------------------------------
 * Items are marshalled, then stored as [u32 length][bytes] in a ring that
 * grows by doubling (up to the arena's largest block); a put that does not
 * fit waits for gets to make room. */

typedef struct ShmQueue {
    ShmObj hdr;             /* hdr.aux: the ring */
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full, all_done;
    int64_t maxsize;        /* <= 0: unbounded */
    int64_t count;          /* items in the ring */
    int64_t unfinished;     /* put() minus task_done() */
    size_t cap, head, used; /* ring bytes */
} ShmQueue;

typedef struct QueueIo {
    const unsigned char *in;    /* put: the encoded item */
    unsigned char *out;         /* get: the item, mem_alloc'ed */
    size_t len;
    bool nomem;                 /* put: no room and none can be made */
} QueueIo;

static void ring_copy_in(ShmQueue *q, size_t at, const void *src, size_t n)
{
    unsigned char *ring = q->hdr.aux;
    size_t pos = at % q->cap, first = q->cap - pos < n ? q->cap - pos : n;
    memcpy(ring + pos, src, first);
    memcpy(ring, (const unsigned char *)src + first, n - first);
}

static void ring_copy_out(ShmQueue *q, size_t at, void *dst, size_t n)
{
    const unsigned char *ring = q->hdr.aux;
    size_t pos = at % q->cap, first = q->cap - pos < n ? q->cap - pos : n;
    memcpy(dst, ring + pos, first);
    memcpy((unsigned char *)dst + first, ring, n - first);
}

/* Makes room for need more bytes; false when it cannot (yet). */
static bool ring_reserve(ShmQueue *q, size_t need)
{
    if (q->cap - q->used >= need)
        return true;
    size_t cap = q->cap ? q->cap : QUEUE_RING_MIN;
    while (cap - q->used < need) {
        if (cap > shm_max_alloc() / 2)
            return false;
        cap *= 2;
    }
    unsigned char *ring = shm_alloc(cap);
    if (!ring)
        return false;
    if (q->used)
        ring_copy_out(q, q->head, ring, q->used);
    shm_free(q->hdr.aux);
    q->hdr.aux = ring;
    q->cap = cap;
    q->head = 0;
    return true;
}

static bool queue_put_take(void *obj, void *arg)
{
    ShmQueue *q = obj;
    QueueIo *io = arg;
    if (q->maxsize > 0 && q->count >= q->maxsize)
        return false;
    size_t need = 4 + io->len;
    if (!ring_reserve(q, need)) {
        if (q->used == 0)
            io->nomem = true;   /* nothing to wait for: fail instead */
        return io->nomem;
    }
    unsigned char hdr[4] = {(unsigned char)io->len, (unsigned char)(io->len >> 8), (unsigned char)(io->len >> 16),
                            (unsigned char)(io->len >> 24)};
    size_t tail = q->head + q->used;
    ring_copy_in(q, tail, hdr, 4);
    ring_copy_in(q, tail + 4, io->in, io->len);
    q->used += need;
    q->count++;
    q->unfinished++;
    pthread_cond_signal(&q->not_empty);
    return true;
}

static bool queue_get_take(void *obj, void *arg)
{
    ShmQueue *q = obj;
    QueueIo *io = arg;
    if (q->count == 0)
        return false;
    unsigned char hdr[4];
    ring_copy_out(q, q->head, hdr, 4);
    size_t len = (size_t)hdr[0] | (size_t)hdr[1] << 8 | (size_t)hdr[2] << 16 | (size_t)hdr[3] << 24;
    io->out = mem_alloc(len ? len : 1);
    io->len = len;
    ring_copy_out(q, q->head + 4, io->out, len);
    q->head = (q->head + 4 + len) % q->cap;
    q->used -= 4 + len;
    q->count--;
    if (q->used == 0)
        q->head = 0;
    pthread_cond_broadcast(&q->not_full);
    return true;
}

static bool queue_done_take(void *obj, void *arg)
{
    (void)arg;
    return ((ShmQueue *)obj)->unfinished <= 0;
}

static Value proc_Queue(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    static const char *const names[] = {"maxsize"};
    Value a[1];
    if (!arg_parse(t, "Queue", argc, argv, kw, names, 0, 1, a))
        return VAL_ERR;
    int64_t maxsize = 0;
    if (!IS_ERR(a[0]) && !vm_to_index(t, a[0], &maxsize))
        return VAL_ERR;
    ShmQueue *q = shm_new_or_raise(t, sizeof(ShmQueue), PT_QUEUE);
    if (!q)
        return VAL_ERR;
    shm_mutex_init(&q->mu);
    shm_cond_init(&q->not_empty);
    shm_cond_init(&q->not_full);
    shm_cond_init(&q->all_done);
    q->maxsize = maxsize;
    Value h = handle_new(t, &q->hdr, PT_QUEUE);
    return h;
}

static ShmQueue *queue_of(Thread *t, Value self)
{
    return handle_get(t, self, PT_QUEUE, PT_QUEUE, "Queue");
}

/* Raises queue.Empty or queue.Full (see the top of the file). */
static Value raise_queue_exc(Thread *t, const char *name)
{
    Vm *vm = t->vm;
    Value *cls = proc_module_slot(vm, name[0] == 'E' ? "_Empty" : "_Full");
    if (!cls) {
        Value *m = dict_find_str(vm->modules, str_intern_cstr(vm, "queue"));
        if (m && IS_KIND(*m, OBJ_MODULE))
            cls = dict_find_str(AS_MODULE(*m)->dict, str_intern_cstr(vm, name));
    }
    if (!cls)
        return vm_raise(t, EXC_RuntimeError, "queue.%s (import queue to catch it)", name);
    return vm_raise_value(t, *cls);
}

static Value queue_put(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw, bool nowait)
{
    static const char *const names[] = {"obj", "block", "timeout"};
    Value a[3];
    ShmQueue *q = queue_of(t, self);
    if (!q || !arg_parse(t, nowait ? "put_nowait" : "put", argc, argv, kw, names, 1, nowait ? 1 : 3, a))
        return VAL_ERR;
    bool block;
    double timeout;
    if (!parse_block(t, nowait ? VAL_FALSE : a[1], nowait ? VAL_ERR : a[2], &block, &timeout))
        return VAL_ERR;
    StrBuf sb;
    sb_init(&sb);
    if (marshal_dump(t, a[0], &sb) < 0) {
        sb_fini(&sb);
        return VAL_ERR;
    }
    if ((size_t)sb.len + 4 > shm_max_alloc() / 2 || sb.len > UINT32_MAX) {
        size_t n = (size_t)sb.len;
        sb_fini(&sb);
        return vm_raise(t, EXC_ValueError, "item too large to send across processes (%zu bytes; the limit is %zu)", n,
                        shm_max_alloc() / 2 - 4);
    }
    QueueIo io = {(const unsigned char *)sb.buf, NULL, (size_t)sb.len, false};
    int r = proc_take(t, &q->mu, &q->not_full, queue_put_take, q, &io, block, timeout, BLOCK_QUEUE);
    sb_fini(&sb);
    if (r < 0)
        return VAL_ERR;
    if (io.nomem)
        return vm_raise(t, EXC_OSError, "process-shared memory exhausted (%zu bytes in use)", shm_used());
    if (r == 0)
        return raise_queue_exc(t, "Full");
    return VAL_NONE;
}

static Value pqueue_put(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    return queue_put(t, self, argc, argv, kw, false);
}

static Value pqueue_put_nowait(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    return queue_put(t, self, argc, argv, kw, true);
}

static Value queue_get(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw, bool nowait)
{
    static const char *const names[] = {"block", "timeout"};
    Value a[2];
    ShmQueue *q = queue_of(t, self);
    if (!q || !arg_parse(t, nowait ? "get_nowait" : "get", argc, argv, kw, names, 0, nowait ? 0 : 2, a))
        return VAL_ERR;
    bool block;
    double timeout;
    if (!parse_block(t, nowait ? VAL_FALSE : a[0], nowait ? VAL_ERR : a[1], &block, &timeout))
        return VAL_ERR;
    QueueIo io = {NULL, NULL, 0, false};
    int r = proc_take(t, &q->mu, &q->not_empty, queue_get_take, q, &io, block, timeout, BLOCK_QUEUE);
    if (r < 0)
        return VAL_ERR;
    if (r == 0)
        return raise_queue_exc(t, "Empty");
    Value v = marshal_load(t, io.out, io.len);
    mem_free(io.out);
    return v;
}

static Value pqueue_get(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    return queue_get(t, self, argc, argv, kw, false);
}

static Value pqueue_get_nowait(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    return queue_get(t, self, argc, argv, kw, true);
}

static Value pqueue_task_done(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    ShmQueue *q = queue_of(t, self);
    if (!q || !arg_count(t, "task_done", argc, kw, 0, 0))
        return VAL_ERR;
    shm_mutex_lock(&q->mu);
    if (q->unfinished <= 0) {
        shm_mutex_unlock(&q->mu);
        return vm_raise(t, EXC_ValueError, "task_done() called too many times");
    }
    if (--q->unfinished == 0)
        pthread_cond_broadcast(&q->all_done);
    shm_mutex_unlock(&q->mu);
    return VAL_NONE;
}

static Value pqueue_join(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    ShmQueue *q = queue_of(t, self);
    if (!q || !arg_count(t, "join", argc, kw, 0, 0))
        return VAL_ERR;
    return proc_take(t, &q->mu, &q->all_done, queue_done_take, q, NULL, true, -1, BLOCK_QUEUE) < 0 ? VAL_ERR
                                                                                                   : VAL_NONE;
}

/* qsize / empty / full */
static Value queue_state(Thread *t, Value self, int argc, ObjTuple *kw, const char *name, int what)
{
    ShmQueue *q = queue_of(t, self);
    if (!q || !arg_count(t, name, argc, kw, 0, 0))
        return VAL_ERR;
    shm_mutex_lock(&q->mu);
    int64_t n = q->count, max = q->maxsize;
    shm_mutex_unlock(&q->mu);
    if (what == 0)
        return val_int(n);
    if (what == 1)
        return val_bool(n == 0);
    return val_bool(max > 0 && n >= max);
}

static Value pqueue_qsize(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    return queue_state(t, self, argc, kw, "qsize", 0);
}

static Value pqueue_empty(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    return queue_state(t, self, argc, kw, "empty", 1);
}

static Value pqueue_full(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    return queue_state(t, self, argc, kw, "full", 2);
}

/* close(), join_thread(), cancel_join_thread(): multiprocessing's feeder
 * thread does not exist here (put writes straight into shared memory). */
static Value pqueue_noop(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    if (!queue_of(t, self) || !arg_count(t, "close", argc, kw, 0, 0))
        return VAL_ERR;
    return VAL_NONE;
}

static Value pqueue_maxsize(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    ShmQueue *q = queue_of(t, self);
    if (!q || !arg_count(t, "_maxsize", argc, kw, 0, 0))
        return VAL_ERR;
    return val_int(q->maxsize);
}

static const NativeDef pqueue_methods[] = {
    {"put", pqueue_put},
    {"get", pqueue_get},
    {"put_nowait", pqueue_put_nowait},
    {"get_nowait", pqueue_get_nowait},
    {"task_done", pqueue_task_done},
    {"join", pqueue_join},
    {"qsize", pqueue_qsize},
    {"empty", pqueue_empty},
    {"full", pqueue_full},
    {"close", pqueue_noop},
    {"join_thread", pqueue_noop},
    {"cancel_join_thread", pqueue_noop},
    {"_maxsize", pqueue_maxsize},
    {NULL, NULL},
};

/* ---- shared arrays (multiprocessing.Value and Array) ---------------------------- */

typedef struct ShmArray {
    ShmObj hdr;
    char typecode;
    uint32_t itemsize;
    int64_t len;
    unsigned char data[];
} ShmArray;

static int array_itemsize(char tc)
{
    switch (tc) {
    case 'b': case 'B': case 'c': return 1;
    case 'h': case 'H': return 2;
    case 'i': case 'I': case 'f': return 4;
    case 'l': case 'L': case 'q': case 'Q': case 'd': return 8;
    default: return 0;
    }
}

static Value array_load(Thread *t, ShmArray *a, int64_t i)
{
    const unsigned char *p = a->data + (size_t)i * a->itemsize;
    union {
        int8_t i8; uint8_t u8; int16_t i16; uint16_t u16; int32_t i32; uint32_t u32;
        int64_t i64; uint64_t u64; float f; double d;
    } u;
    memcpy(&u, p, a->itemsize);
    switch (a->typecode) {
    case 'b': return val_int(u.i8);
    case 'B': return val_int(u.u8);
    case 'c': return val_obj(&bytes_new(t->vm, p, 1)->obj);
    case 'h': return val_int(u.i16);
    case 'H': return val_int(u.u16);
    case 'i': return val_int(u.i32);
    case 'I': return val_int(u.u32);
    case 'f': return val_float(u.f);
    case 'd': return val_float(u.d);
    case 'L': case 'Q':
        if (u.u64 > INT64_MAX)
            return vm_raise(t, EXC_OverflowError, "%s", NUM_OVERFLOW_MSG);
        return val_int((int64_t)u.u64);
    default: return val_int(u.i64);
    }
}

/* Stores v as ctypes does: ints wrap to the item's width. */
static bool array_store(Thread *t, ShmArray *a, int64_t i, Value v)
{
    unsigned char *p = a->data + (size_t)i * a->itemsize;
    if (a->typecode == 'c') {
        if (!IS_BYTES(v) || AS_BYTES(v)->len != 1) {
            vm_raise(t, EXC_TypeError, "one character bytes, bytearray or integer expected");
            return false;
        }
        *p = AS_BYTES(v)->data[0];
        return true;
    }
    if (a->typecode == 'f' || a->typecode == 'd') {
        double d;
        if (!vm_to_double(t, v, &d)) {
            vm_exc_clear(t);
            vm_raise(t, EXC_TypeError, "must be real number, not %s", vm_type_name(t->vm, v));
            return false;
        }
        if (a->typecode == 'f') {
            float f = (float)d;
            memcpy(p, &f, 4);
        } else {
            memcpy(p, &d, 8);
        }
        return true;
    }
    if (!IS_INTLIKE(v)) {
        vm_raise(t, EXC_TypeError, "int expected instead of %s", vm_type_name(t->vm, v));
        return false;
    }
    uint64_t bits = (uint64_t)v.as.i;
    union { uint8_t u8; uint16_t u16; uint32_t u32; uint64_t u64; } u;
    switch (a->itemsize) {
    case 1: u.u8 = (uint8_t)bits; break;
    case 2: u.u16 = (uint16_t)bits; break;
    case 4: u.u32 = (uint32_t)bits; break;
    default: u.u64 = bits; break;
    }
    memcpy(p, &u, a->itemsize);
    return true;
}

/* RawArray(typecode, size_or_initializer) */
static Value proc_RawArray(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    static const char *const names[] = {"typecode", "size_or_initializer"};
    Value a[2];
    if (!arg_parse(t, "RawArray", argc, argv, kw, names, 2, 2, a))
        return VAL_ERR;
    if (!IS_STR(a[0]) || AS_STR(a[0])->len != 1 || !array_itemsize(AS_STR(a[0])->chars[0]))
        return vm_raise(t, EXC_TypeError, "unsupported typecode (use one of b B h H i I l L q Q f d c)");
    char tc = AS_STR(a[0])->chars[0];
    int64_t n;
    ObjList *init = NULL;
    if (IS_INTLIKE(a[1])) {
        n = a[1].as.i;
        if (n < 0)
            return vm_raise(t, EXC_ValueError, "Array length must be >= 0, not %lld", (long long)n);
    } else {
        init = vm_list_from_iter(t, a[1]);
        if (!init)
            return VAL_ERR;
        n = init->len;
    }
    size_t size = sizeof(ShmArray) + (size_t)n * (size_t)array_itemsize(tc);
    if (size > shm_max_alloc()) {
        if (init)
            obj_decref(&init->obj);
        return vm_raise(t, EXC_ValueError, "Array too large for process-shared memory");
    }
    ShmArray *arr = shm_new_or_raise(t, size, PT_ARRAY);
    if (!arr) {
        if (init)
            obj_decref(&init->obj);
        return VAL_ERR;
    }
    arr->typecode = tc;
    arr->itemsize = (uint32_t)array_itemsize(tc);
    arr->len = n;
    Value h = handle_new(t, &arr->hdr, PT_ARRAY);
    for (int64_t i = 0; init && !IS_ERR(h) && i < n; i++) {
        if (!array_store(t, arr, i, init->items[i])) {
            val_decref(h);
            h = VAL_ERR;
        }
    }
    if (init)
        obj_decref(&init->obj);
    return h;
}

static ShmArray *array_of(Thread *t, Value self)
{
    return handle_get(t, self, PT_ARRAY, PT_ARRAY, "shared array");
}

static bool array_index(Thread *t, ShmArray *a, Value key, int64_t *i)
{
    if (!vm_to_index(t, key, i))
        return false;
    if (*i < 0)
        *i += a->len;
    if (*i < 0 || *i >= a->len) {
        vm_raise(t, EXC_IndexError, "invalid index");
        return false;
    }
    return true;
}

static Value parray_getitem(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    ShmArray *a = array_of(t, self);
    if (!a || !arg_count(t, "__getitem__", argc, kw, 1, 1))
        return VAL_ERR;
    if (IS_KIND(argv[0], OBJ_SLICE)) {
        int64_t start, stop, step, n;
        if (!slice_indices(t, AS_SLICE(argv[0]), a->len, &start, &stop, &step, &n))
            return VAL_ERR;
        ObjList *l = list_new(t->vm, n);
        for (int64_t k = 0, i = start; k < n; k++, i += step) {
            Value v = array_load(t, a, i);
            if (IS_ERR(v)) {
                obj_decref(&l->obj);
                return VAL_ERR;
            }
            list_append_steal(l, v);
        }
        return val_obj(&l->obj);
    }
    int64_t i;
    if (!array_index(t, a, argv[0], &i))
        return VAL_ERR;
    return array_load(t, a, i);
}

static Value parray_setitem(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    ShmArray *a = array_of(t, self);
    if (!a || !arg_count(t, "__setitem__", argc, kw, 2, 2))
        return VAL_ERR;
    if (IS_KIND(argv[0], OBJ_SLICE)) {
        int64_t start, stop, step, n;
        if (!slice_indices(t, AS_SLICE(argv[0]), a->len, &start, &stop, &step, &n))
            return VAL_ERR;
        ObjList *src = vm_list_from_iter(t, argv[1]);
        if (!src)
            return VAL_ERR;
        if (src->len != n) {
            obj_decref(&src->obj);
            return vm_raise(t, EXC_ValueError, "Can only assign sequence of same size");
        }
        for (int64_t k = 0, i = start; k < n; k++, i += step) {
            if (!array_store(t, a, i, src->items[k])) {
                obj_decref(&src->obj);
                return VAL_ERR;
            }
        }
        obj_decref(&src->obj);
        return VAL_NONE;
    }
    int64_t i;
    if (!array_index(t, a, argv[0], &i) || !array_store(t, a, i, argv[1]))
        return VAL_ERR;
    return VAL_NONE;
}

static Value parray_len(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    ShmArray *a = array_of(t, self);
    if (!a || !arg_count(t, "__len__", argc, kw, 0, 0))
        return VAL_ERR;
    return val_int(a->len);
}

static Value parray_tolist(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    ShmArray *a = array_of(t, self);
    if (!a || !arg_count(t, "tolist", argc, kw, 0, 0))
        return VAL_ERR;
    ObjList *l = list_new(t->vm, a->len);
    for (int64_t i = 0; i < a->len; i++) {
        Value v = array_load(t, a, i);
        if (IS_ERR(v)) {
            obj_decref(&l->obj);
            return VAL_ERR;
        }
        list_append_steal(l, v);
    }
    return val_obj(&l->obj);
}

static Value parray_typecode(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    ShmArray *a = array_of(t, self);
    if (!a || !arg_count(t, "_typecode", argc, kw, 0, 0))
        return VAL_ERR;
    char s[2] = {a->typecode, 0};
    return val_obj(&str_from_cstr(t->vm, s)->obj);
}

static const NativeDef parray_methods[] = {
    {"__getitem__", parray_getitem},
    {"__setitem__", parray_setitem},
    {"__len__", parray_len},
    {"tolist", parray_tolist},
    {"_typecode", parray_typecode},
    {NULL, NULL},
};

/* ---- Pipe: length-prefixed messages over a socketpair -------------------------- */

/* With the GIL released: waits until fd is ready for events.  1 ready, 0
 * timed out, -1 Ctrl-C (main thread), -2 poll failed (errno). */
static int fd_wait(Thread *t, int fd, short events, double timeout)
{
    Vm *vm = t->vm;
    bool is_main = t == vm->main;
    struct timespec deadline;
    if (timeout > 0)
        gil_deadline(&deadline, timeout > 1e9 ? (int64_t)1e18 : (int64_t)(timeout * 1e9));
    for (;;) {
        if (vm_interrupt_pending(t))
            return -1;
        int ms = -1;
        if (timeout == 0) {
            ms = 0;
        } else if (timeout > 0) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            int64_t left = (int64_t)(deadline.tv_sec - now.tv_sec) * 1000 + (deadline.tv_nsec - now.tv_nsec) / 1000000;
            ms = left < 0 ? 0 : (int)(left > INT32_MAX ? INT32_MAX : left);
        }
        if (is_main && (ms < 0 || ms > PROC_SLICE_NS / 1000000))
            ms = PROC_SLICE_NS / 1000000;
        struct pollfd p = {fd, events, 0};
        int rc = poll(&p, 1, ms);
        if (rc > 0)
            return 1;
        if (rc < 0 && errno != EINTR)
            return -2;
        if (rc == 0 && timeout >= 0 && (timeout == 0 || ts_passed(&deadline)))
            return 0;
    }
}

static bool fd_arg(Thread *t, Value v, int *fd)
{
    if (!IS_INT(v) || v.as.i < 0 || v.as.i > INT32_MAX) {
        vm_raise(t, EXC_OSError, "handle is closed or invalid");
        return false;
    }
    *fd = (int)v.as.i;
    return true;
}

/* pipe(duplex): two connected file descriptors. */
static Value proc_pipe(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self, (void)argv;
    if (!arg_count(t, "pipe", argc, kw, 0, 1))
        return VAL_ERR;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return vm_raise_errno(t, errno, NULL);
    Value a = val_int(sv[0]), b = val_int(sv[1]);
    return val_obj(&tuple_pack(t->vm, 2, a, b)->obj);
}

/* Writes all of buf (GIL released by the caller).  0, or an errno (EINTR:
 * Ctrl-C on the main thread). */
static int fd_write_all(Thread *t, int fd, const unsigned char *buf, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(fd, buf + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == ENOTSOCK)
            n = write(fd, buf + off, len - off);
        if (n > 0) {
            off += (size_t)n;
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return errno;
        int w = fd_wait(t, fd, POLLOUT, -1);
        if (w == -1)
            return EINTR;
        if (w == -2)
            return errno;
    }
    return 0;
}

/* Reads exactly len bytes.  0, -1 EOF before any byte, or an errno. */
static int fd_read_all(Thread *t, int fd, unsigned char *buf, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = recv(fd, buf + off, len - off, MSG_DONTWAIT);
        if (n < 0 && errno == ENOTSOCK)
            n = read(fd, buf + off, len - off);
        if (n > 0) {
            off += (size_t)n;
            continue;
        }
        if (n == 0)
            return off == 0 ? -1 : EPIPE;
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return errno;
        int w = fd_wait(t, fd, POLLIN, -1);
        if (w == -1)
            return EINTR;
        if (w == -2)
            return errno;
    }
    return 0;
}

static Value conn_send_raw(Thread *t, int fd, const void *data, size_t len)
{
    if (len > INT32_MAX)
        return vm_raise(t, EXC_ValueError, "message too large to send (%zu bytes)", len);
    unsigned char *msg = mem_alloc(4 + len);
    msg[0] = (unsigned char)len;
    msg[1] = (unsigned char)(len >> 8);
    msg[2] = (unsigned char)(len >> 16);
    msg[3] = (unsigned char)(len >> 24);
    memcpy(msg + 4, data, len);
    vm_blocking_begin(t, BLOCK_PIPE);
    int err = fd_write_all(t, fd, msg, 4 + len);
    vm_blocking_end(t);
    mem_free(msg);
    if (err == EINTR)
        return proc_interrupted(t);
    if (err)
        return vm_raise_errno(t, err, NULL);
    return VAL_NONE;
}

/* conn_send(fd, obj) */
static Value proc_conn_send(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    int fd;
    if (!arg_count(t, "send", argc, kw, 2, 2) || !fd_arg(t, argv[0], &fd))
        return VAL_ERR;
    StrBuf sb;
    sb_init(&sb);
    if (marshal_dump(t, argv[1], &sb) < 0) {
        sb_fini(&sb);
        return VAL_ERR;
    }
    Value r = conn_send_raw(t, fd, sb.buf, (size_t)sb.len);
    sb_fini(&sb);
    return r;
}

/* conn_send_bytes(fd, b) */
static Value proc_conn_send_bytes(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    int fd;
    if (!arg_count(t, "send_bytes", argc, kw, 2, 2) || !fd_arg(t, argv[0], &fd))
        return VAL_ERR;
    if (!IS_BYTES(argv[1]))
        return vm_raise(t, EXC_TypeError, "a bytes-like object is required, not '%s'", vm_type_name(t->vm, argv[1]));
    return conn_send_raw(t, fd, AS_BYTES(argv[1])->data, (size_t)AS_BYTES(argv[1])->len);
}

/* One message: a mem_alloc'ed buffer in *out; VAL_NONE, or VAL_ERR. */
static Value conn_recv_raw(Thread *t, int fd, unsigned char **out, size_t *len)
{
    unsigned char hdr[4];
    *out = NULL;
    vm_blocking_begin(t, BLOCK_PIPE);
    int err = fd_read_all(t, fd, hdr, 4);
    if (err == 0) {
        *len = (size_t)hdr[0] | (size_t)hdr[1] << 8 | (size_t)hdr[2] << 16 | (size_t)hdr[3] << 24;
        if (*len > INT32_MAX) {
            err = EBADMSG;
        } else {
            *out = mem_alloc(*len ? *len : 1);
            err = fd_read_all(t, fd, *out, *len);
        }
    }
    vm_blocking_end(t);
    if (err != 0) {
        mem_free(*out);
        *out = NULL;
    }
    if (err == -1)
        return vm_raise(t, EXC_EOFError, "%s", "");
    if (err == EINTR)
        return proc_interrupted(t);
    if (err)
        return vm_raise_errno(t, err, NULL);
    return VAL_NONE;
}

/* conn_recv(fd) */
static Value proc_conn_recv(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    int fd;
    if (!arg_count(t, "recv", argc, kw, 1, 1) || !fd_arg(t, argv[0], &fd))
        return VAL_ERR;
    unsigned char *buf;
    size_t len;
    if (IS_ERR(conn_recv_raw(t, fd, &buf, &len)))
        return VAL_ERR;
    Value v = marshal_load(t, buf, len);
    mem_free(buf);
    return v;
}

/* conn_recv_bytes(fd) */
static Value proc_conn_recv_bytes(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    int fd;
    if (!arg_count(t, "recv_bytes", argc, kw, 1, 1) || !fd_arg(t, argv[0], &fd))
        return VAL_ERR;
    unsigned char *buf;
    size_t len;
    if (IS_ERR(conn_recv_raw(t, fd, &buf, &len)))
        return VAL_ERR;
    Value v = val_obj(&bytes_new(t->vm, buf, (int64_t)len)->obj);
    mem_free(buf);
    return v;
}

/* conn_poll(fd, timeout): True when a message (or EOF) is waiting. */
static Value proc_conn_poll(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    int fd;
    if (!arg_count(t, "poll", argc, kw, 2, 2) || !fd_arg(t, argv[0], &fd))
        return VAL_ERR;
    bool block;
    double timeout;
    if (!parse_block(t, VAL_ERR, argv[1], &block, &timeout))
        return VAL_ERR;
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, 0) > 0)
        return VAL_TRUE;
    if (timeout == 0)
        return VAL_FALSE;
    vm_blocking_begin(t, BLOCK_PIPE);
    int w = fd_wait(t, fd, POLLIN, timeout);
    int err = errno;
    vm_blocking_end(t);
    if (w == -1)
        return proc_interrupted(t);
    if (w == -2)
        return vm_raise_errno(t, err, NULL);
    return val_bool(w == 1);
}

static Value proc_conn_close(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    int fd;
    if (!arg_count(t, "close", argc, kw, 1, 1) || !fd_arg(t, argv[0], &fd))
        return VAL_ERR;
    if (close(fd) < 0 && errno != EINTR)
        return vm_raise_errno(t, errno, NULL);
    return VAL_NONE;
}

/* ---- processes --------------------------------------------------------------------
 * The children this process forked, with what waitpid said about them: a
 * per-process table (fork() gives a child an empty one). */

typedef struct ProcChild {
    pid_t pid;
    int status;             /* waitpid's, once reaped */
    bool reaped;
    bool quiet;             /* we signalled it ourselves: no "killed by" line */
    char *name;
} ProcChild;

static pthread_mutex_t proc_children_mu = PTHREAD_MUTEX_INITIALIZER;
static ProcChild *proc_children;
static int proc_nchildren, proc_children_cap;

/* Under proc_children_mu. */
static ProcChild *child_find(pid_t pid)
{
    for (int i = 0; i < proc_nchildren; i++)
        if (proc_children[i].pid == pid)
            return &proc_children[i];
    return NULL;
}

/* A worker killed by a signal is said on stderr and marked in the trace (a
 * MARK on the reaping thread's lane whose text names it), so `stats`, the
 * charts and the viewer show it even when it died before writing a chunk. */
static void child_report_signal(Thread *t, const ProcChild *c, pid_t pid, int sig)
{
    const char *abbrev = sigabbrev_np(sig);
    char msg[256];
    snprintf(msg, sizeof msg, "process %s (pid %d) was killed by signal %s%s",
             c->name ? c->name : "?", (int)pid, abbrev ? "SIG" : "", abbrev ? abbrev : "?");
    fprintf(stderr, "gilscope: %s\n", msg);
    if (t && t->tb && t->vm->tracer) {
        trace_mark_text(t->vm->tracer, (uint32_t)pid, msg);
        trace_record_slow(t->tb, EV_MARK, (uint32_t)pid, t->ticks);
    }
}

/* Reaps pid if it has exited (no wait).  True once it is finished. */
static bool child_poll(Thread *t, pid_t pid)
{
    pthread_mutex_lock(&proc_children_mu);
    ProcChild *c = child_find(pid);
    bool done = c && c->reaped;
    if (!done) {
        int st = 0;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD)) {
            done = true;
            if (c) {
                c->reaped = true;
                c->status = r == pid ? st : 0;
                if (r == pid && WIFSIGNALED(st) && !c->quiet)
                    child_report_signal(t, c, pid, WTERMSIG(st));
            }
        }
    }
    pthread_mutex_unlock(&proc_children_mu);
    return done;
}

static void proc_signal_children_locked(int sig)
{
    for (int i = 0; i < proc_nchildren; i++)
        if (!proc_children[i].reaped)
            kill(proc_children[i].pid, sig);
}

void proc_signal_children(int sig)
{
    pthread_mutex_lock(&proc_children_mu);
    proc_signal_children_locked(sig);
    pthread_mutex_unlock(&proc_children_mu);
}

static void children_forget(void)
{
    for (int i = 0; i < proc_nchildren; i++)
        free(proc_children[i].name);
    free(proc_children);
    proc_children = NULL;
    proc_nchildren = proc_children_cap = 0;
    pthread_mutex_init(&proc_children_mu, NULL);
}

/* The exit status of the child: 0, SystemExit's code, or 1. */
static int child_status(Thread *t, Value res)
{
    Vm *vm = t->vm;
    if (!IS_ERR(res)) {
        val_decref(res);
        return 0;
    }
    if (IS_ERR(t->exc))
        return 1;
    if (!vm_exc_matches(t, EXC_SystemExit)) {
        vm_print_exception(t);
        return 1;
    }
    Value *args = IS_INSTANCE(t->exc) ? dict_find_str(AS_INSTANCE(t->exc)->dict, vm->s_args) : NULL;
    Value code = args && IS_TUPLE(*args) && AS_TUPLE(*args)->len > 0 ? AS_TUPLE(*args)->items[0] : VAL_NONE;
    int status = 0;
    if (IS_INTLIKE(code)) {
        status = (int)(code.as.i & 0xff);
    } else if (!IS_NONE(code)) {
        Value s = vm_str(t, code);
        if (!IS_ERR(s)) {
            vm_flush_out(vm);
            fprintf(stderr, "%s\n", AS_STR(s)->chars);
            val_decref(s);
        }
        status = 1;
    }
    vm_exc_clear(t);
    return status;
}

static void child_run(Thread *t, Value fn) __attribute__((noreturn));
static void child_run(Thread *t, Value fn)
{
    Vm *vm = t->vm;
    int status = child_status(t, vm_call(t, fn, 0, NULL, NULL));
    /* wait for our own threads and children first, then give back our
     * references to shared objects (vm_child_exit's second _shutdown is a
     * no-op) */
    Value *threading = dict_find_str(vm->modules, str_intern_cstr(vm, "threading"));
    if (threading) {
        Value m = val_dup(*threading);
        Value r = vm_call_method(t, m, str_intern_cstr(vm, "_shutdown"), 0, NULL);
        val_decref(m);
        if (IS_ERR(r)) {
            if (!IS_ERR(t->exc) && !vm_exc_matches(t, EXC_SystemExit))
                vm_print_exception(t);
            vm_exc_clear(t);
        } else {
            val_decref(r);
        }
    }
    shm_child_release_all();
    vm_child_exit(t, status);
}

/* start(fn, name) -> pid */
static Value proc_start(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!arg_count(t, "start", argc, kw, 1, 2))
        return VAL_ERR;
    const char *name = argc > 1 && IS_STR(argv[1]) ? AS_STR(argv[1])->chars : "?";
    Vm *vm = t->vm;
    vm_flush_out(vm);
    fflush(stdout);
    fflush(stderr);
    shm_fork_prepare();
    pthread_mutex_lock(&proc_children_mu);
    pid_t pid = fork();
    if (pid < 0) {
        int err = errno;
        pthread_mutex_unlock(&proc_children_mu);
        shm_fork_failed();
        return vm_raise_errno(t, err, NULL);
    }
    if (pid == 0) {
        children_forget();
        shm_fork_child();
        vm_after_fork_child(t);
        vm_thread_set_name(t, name);    /* the child's lane in the trace */
        child_run(t, argv[0]);
    }
    shm_fork_parent();
    if (proc_nchildren == proc_children_cap) {
        proc_children_cap = proc_children_cap ? proc_children_cap * 2 : 16;
        proc_children = mem_realloc(proc_children, (size_t)proc_children_cap * sizeof *proc_children);
    }
    ProcChild *c = &proc_children[proc_nchildren++];
    *c = (ProcChild){.pid = pid, .name = strdup(name)};
    pthread_mutex_unlock(&proc_children_mu);
    return val_int(pid);
}

static bool pid_arg(Thread *t, Value v, pid_t *pid)
{
    if (!IS_INT(v) || v.as.i <= 0 || v.as.i > INT32_MAX) {
        vm_raise(t, EXC_ValueError, "not a process id: %s", vm_type_name(t->vm, v));
        return false;
    }
    *pid = (pid_t)v.as.i;
    return true;
}

/* join(pid, timeout=None) -> True when the child has finished */
static Value proc_join(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    pid_t pid;
    if (!arg_count(t, "join", argc, kw, 1, 2) || !pid_arg(t, argv[0], &pid))
        return VAL_ERR;
    bool block;
    double timeout;
    if (!parse_block(t, VAL_ERR, argc > 1 ? argv[1] : VAL_NONE, &block, &timeout))
        return VAL_ERR;
    if (child_poll(t, pid))
        return VAL_TRUE;
    if (timeout == 0)
        return VAL_FALSE;
    Vm *vm = t->vm;
    bool is_main = t == vm->main;
    struct timespec deadline;
    if (timeout > 0)
        gil_deadline(&deadline, timeout > 1e9 ? (int64_t)1e18 : (int64_t)(timeout * 1e9));
    vm_blocking_begin(t, BLOCK_JOIN);
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    int r = 0, step_ms = 1;
    for (;;) {
        if (child_poll(t, pid)) {
            r = 1;
            break;
        }
        if (vm_interrupt_pending(t)) {
            r = -1;
            break;
        }
        int ms = 50;
        if (timeout > 0) {
            if (ts_passed(&deadline))
                break;
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            int64_t left = (int64_t)(deadline.tv_sec - now.tv_sec) * 1000 + (deadline.tv_nsec - now.tv_nsec) / 1000000 + 1;
            if (left < ms)
                ms = (int)left;
        }
        if (pidfd >= 0) {
            struct pollfd p = {pidfd, POLLIN, 0};
            poll(&p, 1, is_main || timeout > 0 ? ms : -1);
        } else {
            /* no pidfd (old kernel): poll waitpid in growing steps */
            if (step_ms < ms)
                ms = step_ms;
            step_ms = step_ms < 20 ? step_ms * 2 : 20;
            struct timespec ts = {0, (long)ms * 1000000};
            nanosleep(&ts, NULL);
        }
    }
    if (pidfd >= 0)
        close(pidfd);
    vm_blocking_end(t);
    if (r < 0)
        return proc_interrupted(t);
    return val_bool(r);
}

static Value proc_alive(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    pid_t pid;
    if (!arg_count(t, "alive", argc, kw, 1, 1) || !pid_arg(t, argv[0], &pid))
        return VAL_ERR;
    return val_bool(!child_poll(t, pid));
}

/* exitcode(pid): None while running, the exit status, or -signal. */
static Value proc_exitcode(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    pid_t pid;
    if (!arg_count(t, "exitcode", argc, kw, 1, 1) || !pid_arg(t, argv[0], &pid))
        return VAL_ERR;
    if (!child_poll(t, pid))
        return VAL_NONE;
    pthread_mutex_lock(&proc_children_mu);
    ProcChild *c = child_find(pid);
    int st = c ? c->status : 0;
    pthread_mutex_unlock(&proc_children_mu);
    if (WIFSIGNALED(st))
        return val_int(-WTERMSIG(st));
    return val_int(WIFEXITED(st) ? WEXITSTATUS(st) : 0);
}

/* kill(pid, signal): signals a child of ours, quietly (no "killed by" line). */
static Value proc_kill(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    pid_t pid;
    int64_t sig = SIGTERM;
    if (!arg_count(t, "kill", argc, kw, 1, 2) || !pid_arg(t, argv[0], &pid))
        return VAL_ERR;
    if (argc > 1 && !vm_to_index(t, argv[1], &sig))
        return VAL_ERR;
    pthread_mutex_lock(&proc_children_mu);
    ProcChild *c = child_find(pid);
    bool reaped = c && c->reaped;
    if (c)
        c->quiet = true;
    pthread_mutex_unlock(&proc_children_mu);
    if (!reaped && kill(pid, (int)sig) < 0 && errno != ESRCH)
        return vm_raise_errno(t, errno, NULL);
    return VAL_NONE;
}

/* ---- the rest ---------------------------------------------------------------------- */

static Value proc_dumps(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!arg_count(t, "dumps", argc, kw, 1, 1))
        return VAL_ERR;
    StrBuf sb;
    sb_init(&sb);
    if (marshal_dump(t, argv[0], &sb) < 0) {
        sb_fini(&sb);
        return VAL_ERR;
    }
    Value b = val_obj(&bytes_new(t->vm, sb.buf, sb.len)->obj);
    sb_fini(&sb);
    return b;
}

static Value proc_loads(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!arg_count(t, "loads", argc, kw, 1, 1))
        return VAL_ERR;
    if (!IS_BYTES(argv[0]))
        return vm_raise(t, EXC_TypeError, "a bytes-like object is required, not '%s'", vm_type_name(t->vm, argv[0]));
    return marshal_load(t, AS_BYTES(argv[0])->data, (size_t)AS_BYTES(argv[0])->len);
}

static Value proc_set_queue_exceptions(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!arg_count(t, "_set_queue_exceptions", argc, kw, 2, 2))
        return VAL_ERR;
    Vm *vm = t->vm;
    Value *m = dict_find_str(vm->modules, str_intern_cstr(vm, "_process"));
    if (!m || !IS_KIND(*m, OBJ_MODULE))
        return vm_raise(t, EXC_RuntimeError, "_process is not initialised");
    dict_set_str(vm, AS_MODULE(*m)->dict, str_intern_cstr(vm, "_Empty"), argv[0]);
    dict_set_str(vm, AS_MODULE(*m)->dict, str_intern_cstr(vm, "_Full"), argv[1]);
    return VAL_NONE;
}

/* _print_exception(exc, header): header, then the traceback, on stderr. */
static Value proc_print_exception(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!arg_count(t, "_print_exception", argc, kw, 2, 2))
        return VAL_ERR;
    Value h = vm_str(t, argv[1]);
    if (IS_ERR(h))
        return VAL_ERR;
    vm_flush_out(t->vm);
    fprintf(stderr, "%s\n", AS_STR(h)->chars);
    val_decref(h);
    vm_print_exception_value(t, argv[0]);
    return VAL_NONE;
}

static Value proc_shm_used(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self, (void)argv;
    if (!arg_count(t, "_shm_used", argc, kw, 0, 0))
        return VAL_ERR;
    return val_int((int64_t)shm_used());
}

static const NativeDef process_functions[] = {
    {"start", proc_start},
    {"join", proc_join},
    {"alive", proc_alive},
    {"exitcode", proc_exitcode},
    {"kill", proc_kill},
    {"Lock", proc_Lock},
    {"RLock", proc_RLock},
    {"Condition", proc_Condition},
    {"Semaphore", proc_Semaphore},
    {"BoundedSemaphore", proc_BoundedSemaphore},
    {"Event", proc_Event},
    {"Queue", proc_Queue},
    {"RawArray", proc_RawArray},
    {"pipe", proc_pipe},
    {"conn_send", proc_conn_send},
    {"conn_send_bytes", proc_conn_send_bytes},
    {"conn_recv", proc_conn_recv},
    {"conn_recv_bytes", proc_conn_recv_bytes},
    {"conn_poll", proc_conn_poll},
    {"conn_close", proc_conn_close},
    {"dumps", proc_dumps},
    {"loads", proc_loads},
    {"_set_queue_exceptions", proc_set_queue_exceptions},
    {"_print_exception", proc_print_exception},
    {"_shm_used", proc_shm_used},
    {NULL, NULL},
};

static void process_init(Thread *t, ObjModule *m)
{
    Vm *vm = t->vm;
    static const struct {
        const char *key, *name;
        const NativeDef *methods;
    } classes[] = {
        {"_LockType", "Lock", plock_methods},
        {"_RLockType", "RLock", plock_methods},
        {"_ConditionType", "Condition", pcond_methods},
        {"_SemaphoreType", "Semaphore", psem_methods},
        {"_EventType", "Event", pevent_methods},
        {"_QueueType", "Queue", pqueue_methods},
        {"_ArrayType", "SharedArray", parray_methods},
    };
    for (size_t i = 0; i < sizeof classes / sizeof *classes; i++) {
        ObjClass *c = vm_native_class(vm, classes[i].name, OBJ_HANDLE, classes[i].methods);
        dict_set_str(vm, m->dict, str_intern_cstr(vm, classes[i].key), val_obj(&c->obj));
    }
}

const ModuleDef mod_process = {"_process", process_functions, process_init};
