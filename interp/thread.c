/*
 * thread.c -- interpreter threads on OS threads, and the blocking-call
 * protocol (CPython's Py_BEGIN/END_ALLOW_THREADS).
 *
 * A new thread records THREAD_START, takes the GIL, runs its function,
 * gives the GIL back (reason EXIT), records THREAD_END and hands its trace
 * buffer to the writer.  Its Thread stays on the VM's list until vm_free;
 * its stacks go as soon as it finishes.
 */
#include <string.h>
#include <unistd.h>

#include "gil.h"
#include "vm.h"
#include "vmint.h"

#define THREAD_STACK_VALUES (64 * 1024)

typedef struct StartRec {
    Thread *t;
    Value fn, args, kwargs;
    uint32_t parent;
} StartRec;

static void *thread_main(void *arg)
{
    StartRec *r = arg;
    Thread *t = r->t;
    Vm *vm = t->vm;
    gil_trace(vm->gil, t, EV_THREAD_START, r->parent);
    gil_acquire(vm->gil, t);
    t->sp = t->stack;
    Value res = vm_call_args(t, r->fn, r->args, r->kwargs);
    if (IS_ERR(res)) {
        if (vm_exc_matches(t, EXC_SystemExit)) {
            vm_exc_clear(t);
        } else if (!IS_ERR(t->exc)) {
            Value rep = vm_repr(t, r->fn);
            vm_flush_out(vm);
            fprintf(stderr, "Unhandled exception in thread started by %s\n",
                    IS_ERR(rep) ? "?" : AS_STR(rep)->chars);
            if (IS_ERR(rep))
                vm_exc_clear(t);
            else
                val_decref(rep);
            vm_print_exception(t);
        }
    } else {
        val_decref(res);
    }
    val_decref(r->fn);
    val_decref(r->args);
    val_decref(r->kwargs);
    mem_free(r);
    val_decref(t->handling);
    t->handling = VAL_ERR;
    t->finished = true;
    vm_thread_free_stacks(t);
    gil_release(vm->gil, t, REL_EXIT);
    gil_trace(vm->gil, t, EV_THREAD_END, 0);
    if (t->tb) {
        trace_thread_end(t->tb);
        t->tb = NULL;
    }
    obj_pool_drain();
    pthread_mutex_lock(&vm->threads_lock);
    vm->nthreads_alive--;
    pthread_cond_broadcast(&vm->threads_cond);
    pthread_mutex_unlock(&vm->threads_lock);
    return NULL;
}

uint64_t vm_thread_start(Thread *t, Value fn, Value args, Value kwargs, const char *name)
{
    Vm *vm = t->vm;
    Thread *nt = vm_thread_alloc(vm, THREAD_STACK_VALUES);
    StartRec *r = mem_alloc(sizeof(StartRec));
    r->t = nt;
    r->fn = val_dup(fn);
    r->args = val_dup(args);
    r->kwargs = val_dup(kwargs);
    r->parent = t->id;
    if (vm->tracer)
        nt->tb = trace_thread_begin(vm->tracer, nt->id, name ? name : "Thread");
    pthread_mutex_lock(&vm->threads_lock);
    vm->nthreads_alive++;
    pthread_mutex_unlock(&vm->threads_lock);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t th;
    int rc = pthread_create(&th, &attr, thread_main, r);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        pthread_mutex_lock(&vm->threads_lock);
        vm->nthreads_alive--;
        pthread_mutex_unlock(&vm->threads_lock);
        val_decref(r->fn);
        val_decref(r->args);
        val_decref(r->kwargs);
        mem_free(r);
        if (nt->tb) {
            trace_thread_end(nt->tb);
            nt->tb = NULL;
        }
        nt->finished = true;
        vm_thread_free_stacks(nt);
        vm_raise(t, EXC_RuntimeError, "can't start new thread: %s", strerror(rc));
        return 0;
    }
    /* the new thread reads these only once it holds the GIL, after we let go */
    nt->os_thread = th;
    nt->ident = (uint64_t)th;
    return nt->ident;
}

void vm_thread_set_name(Thread *t, const char *name)
{
    if (t->tb)
        trace_thread_name(t->tb, name);
}

Thread *vm_thread_by_ident(Vm *vm, uint64_t ident)
{
    Thread *found = NULL;
    pthread_mutex_lock(&vm->threads_lock);
    for (Thread *t = vm->threads; t; t = t->next_thread)
        if (t->ident == ident && !t->finished)
            found = t;
    pthread_mutex_unlock(&vm->threads_lock);
    return found;
}

void vm_blocking_begin(Thread *t, int kind)
{
    if (t->block_depth++ > 0)
        return;
    Gil *g = t->vm->gil;
    t->block_kind = kind;
    gil_trace(g, t, EV_BLOCK_BEGIN, (uint32_t)kind);
    gil_release(g, t, REL_BLOCKING);
}

void vm_blocking_end(Thread *t)
{
    if (--t->block_depth > 0)
        return;
    Gil *g = t->vm->gil;
    gil_trace(g, t, EV_BLOCK_END, (uint32_t)t->block_kind);
    t->block_kind = -1;
    gil_acquire(g, t);
}

void vm_after_fork_child(Thread *t)
{
    Vm *vm = t->vm;
    /* the parent's GIL may have been mid-hand-off: the child gets a fresh one */
    GilConfig gc = vm->gil->cfg;
    gc.switch_interval = gil_switch_interval(vm->gil);
    vm->gil = gil_new(&gc);         /* the parent's copy is not freed: its mutexes may be held */
    pthread_mutex_init(&vm->threads_lock, NULL);
    gil_cond_init(&vm->threads_cond);
    for (Thread *o = vm->threads; o; o = o->next_thread) {
        if (o != t) {
            o->finished = true;
            o->tb = NULL;           /* the parent's buffers are the parent's to write */
        }
    }
    vm->nthreads_alive = 0;
    vm->main = t;
    t->ident = (uint64_t)pthread_self();
    t->os_thread = pthread_self();
    t->block_depth = 0;
    t->block_kind = -1;
    t->fifo_next = NULL;
    if (vm->tracer) {
        vm->tracer = trace_after_fork(vm->tracer);
        t->tb = vm->tracer ? trace_thread_begin(vm->tracer, 0, "MainThread") : NULL;
    } else {
        t->tb = NULL;
    }
    gil_trace(vm->gil, t, EV_THREAD_START, UINT32_MAX);
    t->holds_gil = false;
    gil_acquire(vm->gil, t);
}

void vm_child_exit(Thread *t, int status)
{
    Vm *vm = t->vm;
    Value *threading = dict_find_str(vm->modules, str_intern_cstr(vm, "threading"));
    if (threading) {
        Value r = vm_call_method(t, *threading, str_intern_cstr(vm, "_shutdown"), 0, NULL);
        if (IS_ERR(r))
            vm_exc_clear(t);
        else
            val_decref(r);
    }
    vm_flush_out(vm);
    fflush(stderr);
    gil_release(vm->gil, t, REL_EXIT);
    gil_trace(vm->gil, t, EV_THREAD_END, 0);
    if (t->tb) {
        trace_thread_end(t->tb);
        t->tb = NULL;
    }
    if (vm->tracer)
        trace_close(vm->tracer, false);
    _exit(status);
}
