/*
 * modules/thread.c -- `_thread`: starting threads and the basic lock, with
 * CPython's names.  threading and queue (interp/lib/NAME.py) are written in
 * the workload language on top of this.
 *
 * A lock is a mutex, a condition variable and a flag.  acquire() first
 * tries without letting go of the GIL; only when it must wait does it
 * release the GIL (a blocking call of kind BLOCK_LOCK, or the kind the
 * caller names: join, queue), as CPython's lock does.  The main thread
 * waits in slices so that Ctrl-C interrupts a join.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gil.h"
#include "vm.h"
#include "vmint.h"

#define LOCK_TAG 0x4c4f434b    /* 'LOCK' */

typedef struct NativeLock {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int locked;
} NativeLock;

static void lock_finalize(void *p)
{
    NativeLock *l = p;
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
    mem_free(l);
}

static NativeLock *lock_of(Thread *t, Value self)
{
    if (!IS_KIND(self, OBJ_HANDLE) || AS_HANDLE(self)->tag != LOCK_TAG) {
        vm_raise(t, EXC_TypeError, "descriptor requires a '_thread.lock' object but received '%s'",
                 vm_type_name(t->vm, self));
        return NULL;
    }
    return AS_HANDLE(self)->ptr;
}

/* Waits for the lock; 1 got it, 0 timed out, -1 interrupted (Ctrl-C). */
static int lock_wait(Thread *t, NativeLock *l, double timeout, int kind)
{
    Vm *vm = t->vm;
    bool is_main = t == vm->main;
    struct timespec deadline;
    if (timeout >= 0)
        gil_deadline(&deadline, (int64_t)(timeout * 1e9));
    vm_blocking_begin(t, kind);
    pthread_mutex_lock(&l->mu);
    int result = 0;
    for (;;) {
        if (!l->locked) {
            l->locked = 1;
            result = 1;
            break;
        }
        if (vm_interrupt_pending(t)) {
            result = -1;
            break;
        }
        struct timespec slice;
        bool have_slice = is_main || timeout >= 0;
        if (is_main) {
            gil_deadline(&slice, 50 * 1000000);
            if (timeout >= 0 && (deadline.tv_sec < slice.tv_sec ||
                                 (deadline.tv_sec == slice.tv_sec && deadline.tv_nsec < slice.tv_nsec)))
                slice = deadline;
        } else if (timeout >= 0) {
            slice = deadline;
        }
        int rc = have_slice ? pthread_cond_timedwait(&l->cv, &l->mu, &slice) : pthread_cond_wait(&l->cv, &l->mu);
        if (rc == ETIMEDOUT && timeout >= 0) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            if (now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec)) {
                if (!l->locked) {
                    l->locked = 1;
                    result = 1;
                }
                break;
            }
        }
    }
    pthread_mutex_unlock(&l->mu);
    vm_blocking_end(t);
    return result;
}

static Value lock_acquire(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    static const char *const names[] = {"blocking", "timeout", "_block"};
    Value a[3];
    NativeLock *l = lock_of(t, self);
    if (!l || !arg_parse(t, "acquire", argc, argv, kw, names, 0, 3, a))
        return VAL_ERR;
    int blocking = 1;
    if (!IS_ERR(a[0])) {
        blocking = vm_truthy(t, a[0]);
        if (blocking < 0)
            return VAL_ERR;
    }
    double timeout = -1;
    if (!IS_ERR(a[1]) && !IS_NONE(a[1])) {
        if (!vm_to_double(t, a[1], &timeout))
            return VAL_ERR;
        if (timeout < 0 && timeout != -1)
            return vm_raise(t, EXC_ValueError, "timeout value must be positive");
        if (!blocking && timeout != -1)
            return vm_raise(t, EXC_ValueError, "can't specify a timeout for a non-blocking call");
    }
    int kind = BLOCK_LOCK;
    if (!IS_ERR(a[2]) && IS_INTLIKE(a[2]) && a[2].as.i >= 0 && a[2].as.i < BLOCK__COUNT)
        kind = (int)a[2].as.i;
    pthread_mutex_lock(&l->mu);
    int got = !l->locked;
    if (got)
        l->locked = 1;
    pthread_mutex_unlock(&l->mu);
    if (got || !blocking)
        return val_bool(got);
    if (t->vm->mode == VM_MODE_SEQUENTIAL && timeout < 0)
        /* one thread runs at a time, to completion: nobody else can release it */
        return vm_raise(t, EXC_RuntimeError,
                        "deadlock: --mode sequential runs started threads one after another, "
                        "so nothing can release the lock this thread waits for "
                        "(the workload needs its threads to run at the same time)");
    int r = lock_wait(t, l, timeout, kind);
    if (r < 0)
        return vm_raise_interrupt(t);
    return val_bool(r);
}

static Value lock_release(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    NativeLock *l = lock_of(t, self);
    if (!l || !arg_count(t, "release", argc, kw, 0, 0))
        return VAL_ERR;
    pthread_mutex_lock(&l->mu);
    if (!l->locked) {
        pthread_mutex_unlock(&l->mu);
        return vm_raise(t, EXC_RuntimeError, "release unlocked lock");
    }
    l->locked = 0;
    pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
    return VAL_NONE;
}

static Value lock_locked(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    NativeLock *l = lock_of(t, self);
    if (!l || !arg_count(t, "locked", argc, kw, 0, 0))
        return VAL_ERR;
    pthread_mutex_lock(&l->mu);
    int v = l->locked;
    pthread_mutex_unlock(&l->mu);
    return val_bool(v);
}

static Value lock_enter(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argc;
    (void)argv;
    (void)kw;
    return lock_acquire(t, self, 0, NULL, NULL);
}

static Value lock_exit(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argc;
    (void)argv;
    (void)kw;
    return lock_release(t, self, 0, NULL, NULL);
}

static Value lock_repr(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argc;
    (void)argv;
    (void)kw;
    NativeLock *l = lock_of(t, self);
    if (!l)
        return VAL_ERR;
    pthread_mutex_lock(&l->mu);
    int v = l->locked;
    pthread_mutex_unlock(&l->mu);
    char buf[96];
    snprintf(buf, sizeof buf, "<%s _thread.lock object at %p>", v ? "locked" : "unlocked", (void *)AS_OBJ(self));
    return val_obj(&str_from_cstr(t->vm, buf)->obj);
}

static const NativeDef lock_methods[] = {
    {"acquire", lock_acquire},
    {"release", lock_release},
    {"locked", lock_locked},
    {"acquire_lock", lock_acquire},
    {"release_lock", lock_release},
    {"locked_lock", lock_locked},
    {"__enter__", lock_enter},
    {"__exit__", lock_exit},
    {"__repr__", lock_repr},
    {NULL, NULL},
};

/* The lock class lives in the module dict as LockType. */
static Value thread_allocate_lock(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    if (!arg_count(t, "allocate_lock", argc, kw, 0, 0))
        return VAL_ERR;
    Vm *vm = t->vm;
    Value *cls = IS_KIND(self, OBJ_MODULE) ? dict_find_str(AS_MODULE(self)->dict, str_intern_cstr(vm, "LockType"))
                                           : NULL;
    if (!cls || !IS_CLASS(*cls))
        return vm_raise(t, EXC_RuntimeError, "_thread.LockType is missing");
    NativeLock *l = mem_alloc(sizeof(NativeLock));
    pthread_mutex_init(&l->mu, NULL);
    gil_cond_init(&l->cv);
    l->locked = 0;
    ObjHandle *h = (ObjHandle *)obj_alloc(vm, sizeof(ObjHandle), OBJ_HANDLE, AS_CLASS(*cls));
    h->ptr = l;
    h->finalize = lock_finalize;
    h->tag = LOCK_TAG;
    return val_obj(&h->obj);
}

static Value thread_start_new_thread(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    static const char *const names[] = {"function", "args", "kwargs", "_name"};
    Value a[4];
    if (!arg_parse(t, "start_new_thread", argc, argv, kw, names, 2, 4, a))
        return VAL_ERR;
    if (!IS_TUPLE(a[1]))
        return vm_raise(t, EXC_TypeError, "2nd arg must be a tuple");
    if (!IS_ERR(a[2]) && !IS_NONE(a[2]) && !IS_DICT(a[2]))
        return vm_raise(t, EXC_TypeError, "optional 3rd arg must be a dictionary");
    const char *name = !IS_ERR(a[3]) && IS_STR(a[3]) ? AS_STR(a[3])->chars : NULL;
    uint64_t ident = vm_thread_start(t, a[0], a[1], IS_ERR(a[2]) ? VAL_NONE : a[2], name);
    if (ident == 0)
        return VAL_ERR;
    return val_int((int64_t)(ident & INT64_MAX));
}

static Value thread_get_ident(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    (void)argv;
    if (!arg_count(t, "get_ident", argc, kw, 0, 0))
        return VAL_ERR;
    return val_int((int64_t)(t->ident & INT64_MAX));
}

static Value thread_get_native_id(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    (void)argv;
    if (!arg_count(t, "get_native_id", argc, kw, 0, 0))
        return VAL_ERR;
    return val_int((int64_t)gettid());
}

static Value thread_count(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    (void)argv;
    if (!arg_count(t, "_count", argc, kw, 0, 0))
        return VAL_ERR;
    pthread_mutex_lock(&t->vm->threads_lock);
    int n = t->vm->nthreads_alive;
    pthread_mutex_unlock(&t->vm->threads_lock);
    return val_int(n);
}

static Value thread_mode(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    (void)argv;
    if (!arg_count(t, "mode", argc, kw, 0, 0))
        return VAL_ERR;
    static const char *const modes[] = {"threads", "processes", "sequential"};
    int m = t->vm->mode;
    return val_obj(&str_from_cstr(t->vm, m >= 0 && m <= 2 ? modes[m] : "threads")->obj);
}

static Value thread_set_name(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!arg_count(t, "_set_name", argc, kw, 1, 1))
        return VAL_ERR;
    if (!IS_STR(argv[0]))
        return vm_raise(t, EXC_TypeError, "thread name must be a str");
    vm_thread_set_name(t, AS_STR(argv[0])->chars);
    return VAL_NONE;
}

/* _excepthook(exc, name): "Exception in thread NAME:" and the traceback. */
static Value thread_excepthook(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!arg_count(t, "_excepthook", argc, kw, 2, 2))
        return VAL_ERR;
    Value name = vm_str(t, argv[1]);
    if (IS_ERR(name))
        return VAL_ERR;
    vm_flush_out(t->vm);
    fprintf(stderr, "Exception in thread %s:\n", AS_STR(name)->chars);
    val_decref(name);
    vm_print_exception_value(t, argv[0]);
    return VAL_NONE;
}

static const NativeDef thread_functions[] = {
    {"start_new_thread", thread_start_new_thread},
    {"start_new", thread_start_new_thread},
    {"get_ident", thread_get_ident},
    {"get_native_id", thread_get_native_id},
    {"_count", thread_count},
    {"mode", thread_mode},
    {"_set_name", thread_set_name},
    {"_excepthook", thread_excepthook},
    {NULL, NULL},
};

static void thread_init(Thread *t, ObjModule *m)
{
    Vm *vm = t->vm;
    ObjClass *lock = vm_native_class(vm, "lock", OBJ_HANDLE, lock_methods);
    dict_set_str(vm, m->dict, str_intern_cstr(vm, "LockType"), val_obj(&lock->obj));
    /* allocate_lock needs the module to find LockType: bind it as data */
    Value m_v = val_obj(&m->obj);
    static const char *const alloc_names[] = {"allocate_lock", "allocate"};
    for (int i = 0; i < 2; i++) {
        Value fn = vm_native_new(vm, alloc_names[i], thread_allocate_lock, VAL_NONE);
        AS_NATIVE(fn)->data = val_dup(m_v);   /* a cycle through the module: freed at exit */
        dict_set_str(vm, m->dict, str_intern_cstr(vm, alloc_names[i]), fn);
        val_decref(fn);
    }
    dict_set_str(vm, m->dict, str_intern_cstr(vm, "error"), val_obj(&vm->exc[EXC_RuntimeError]->obj));
    dict_set_str(vm, m->dict, str_intern_cstr(vm, "TIMEOUT_MAX"), val_float(4294967.0));
}

const ModuleDef mod_thread = {"_thread", thread_functions, thread_init};
