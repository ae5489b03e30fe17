/*
 * vm.c -- the interpreter loop, calls, frames, exceptions and tracebacks,
 * classes, imports, and the VM's lifetime.
 *
 * Stack layout of a call: [callee][arg1]..[argN] on the thread's value
 * stack; a Python frame's slots start at arg1 (no copying), its operand
 * stack follows its slots, and its result replaces whatever lies from
 * frame->ret upwards.  Python-to-Python calls do not recurse on the C stack;
 * only calls made from C (vm_call) run a nested loop, which returns when
 * the frame it entered (c_entry) returns.
 *
 * The loop is written once (vmdispatch/vmcase/vmbreak, after Lua's lvm.c)
 * and compiles as computed goto with GCC/clang, as a switch otherwise.
 * Every backward jump and call adds to t->ticks (Beazley's ticks: a jump
 * back adds the loop body's length) and compares it with t->tick_limit:
 * the one place where signals, GIL drop requests and the legacy check
 * interval enter (other threads force it by storing 0 in tick_limit).
 */
#include "vm.h"

#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "code.h"
#include "compiler.h"
#include <signal.h>
#include <sys/mman.h>

#include "gil.h"
#include "pylib.h"
#include "vmint.h"

#define STACK_VALUES (256 * 1024)
#define MAX_NATIVE_DEPTH 400

typedef enum { BLK_TRY, BLK_HANDLER } BlockKind;

typedef struct Block {
    int kind;               /* BlockKind */
    int handler;            /* BLK_TRY: instruction index of the handler */
    int64_t level;          /* stack index to truncate to */
    Value saved;            /* BLK_HANDLER: the previously handled exception */
} Block;

struct Frame {
    ObjFunc *func;          /* owned */
    Code *code;
    const uint32_t *ip;
    Value *slots;
    Value *ret;             /* the result goes here; [ret, sp) is released */
    ObjDict *globals;       /* borrowed from func */
    ObjDict *locals;        /* class bodies: owned */
    ObjCell **cells;        /* ncells + nfree, owned */
    Value init_self;        /* constructor frames: the new instance (owned) */
    int block_base;
    bool c_entry;           /* return to the C caller when this frame returns */
};

void obj_free_all(Vm *vm);
static Value vm_execute(Thread *t);
static Value object_init(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw);
Value vm_run_code(Thread *t, Code *code, ObjDict *globals);

/* ---- small helpers ------------------------------------------------------------ */

static Value str_value(Vm *vm, const char *s) { return val_obj(&str_from_cstr(vm, s)->obj); }

ObjClass *vm_class_of(Vm *vm, Value v)
{
    switch (v.kind) {
    case V_NONE: return vm->types[TY_NONETYPE];
    case V_BOOL: return vm->types[TY_BOOL];
    case V_INT: return vm->types[TY_INT];
    case V_FLOAT: return vm->types[TY_FLOAT];
    case V_OBJ: return v.as.o->cls;
    default: return vm->types[TY_OBJECT];
    }
}

const char *vm_type_name(Vm *vm, Value v) { return vm_class_of(vm, v)->name->chars; }

bool vm_is_subclass(const ObjClass *c, const ObjClass *base)
{
    for (; c; c = c->base)
        if (c == base)
            return true;
    return false;
}

bool vm_isinstance(Vm *vm, Value v, const ObjClass *cls)
{
    return vm_is_subclass(vm_class_of(vm, v), cls);
}

Value *vm_class_lookup(ObjClass *cls, ObjStr *name)
{
    for (; cls; cls = cls->base) {
        Value *p = dict_find_str(cls->dict, name);
        if (p)
            return p;
    }
    return NULL;
}

/* ---- exceptions ------------------------------------------------------------- */

/* Every exception starts with no cause and no context, as in CPython. */
static void exc_init_chain(Vm *vm, ObjInstance *inst)
{
    dict_set_str(vm, inst->dict, str_intern_cstr(vm, "__cause__"), VAL_NONE);
    dict_set_str(vm, inst->dict, str_intern_cstr(vm, "__context__"), VAL_NONE);
    dict_set_str(vm, inst->dict, str_intern_cstr(vm, "__suppress_context__"), VAL_FALSE);
}

/* A new exception raised while another is handled gets it as __context__. */
static void exc_set_context(Thread *t)
{
    Vm *vm = t->vm;
    if (IS_ERR(t->handling) || !IS_INSTANCE(t->exc) || t->exc.as.o == t->handling.as.o)
        return;
    ObjStr *key = str_intern_cstr(vm, "__context__");
    Value *ctx = dict_find_str(AS_INSTANCE(t->exc)->dict, key);
    if (ctx && !IS_NONE(*ctx))
        return;
    /* no cycles: the handled exception must not already chain to this one */
    Value c = t->handling;
    for (int i = 0; i < 100 && IS_INSTANCE(c); i++) {
        if (c.as.o == t->exc.as.o)
            return;
        Value *next = dict_find_str(AS_INSTANCE(c)->dict, key);
        if (!next)
            break;
        c = *next;
    }
    dict_set_str(vm, AS_INSTANCE(t->exc)->dict, key, t->handling);
}

static Value make_exception(Thread *t, ObjClass *cls, Value arg)
{
    Vm *vm = t->vm;
    ObjInstance *inst = (ObjInstance *)obj_alloc(vm, sizeof(ObjInstance), OBJ_INSTANCE, cls);
    obj_incref(&cls->obj);
    inst->dict = dict_new(vm);
    ObjTuple *args = IS_ERR(arg) ? tuple_new(vm, 0) : tuple_pack(vm, 1, arg);
    dict_set_str(vm, inst->dict, vm->s_args, val_obj(&args->obj));
    obj_decref(&args->obj);
    exc_init_chain(vm, inst);
    return val_obj(&inst->obj);
}

Value vm_raise_empty(Thread *t, ExcId id)
{
    Value exc = make_exception(t, t->vm->exc[id], VAL_ERR);
    val_decref(t->exc);
    t->exc = exc;
    t->reraise = false;
    return VAL_ERR;
}

Value vm_raise(Thread *t, ExcId id, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    Value msg = str_value(t->vm, buf);
    Value exc = make_exception(t, t->vm->exc[id], msg);
    val_decref(msg);
    val_decref(t->exc);
    t->exc = exc;
    t->reraise = false;
    return VAL_ERR;
}

bool vm_interrupt_pending(Thread *t)
{
    return t == t->vm->main && t->vm->sigint;
}

Value vm_raise_interrupt(Thread *t)
{
    /* Ctrl-C reaches the worker processes too (--mode processes, Process),
     * as a terminal's reaches the whole process group: a bare `kill -INT`
     * of the parent would otherwise leave them running while it joins them. */
    if (t == t->vm->main)
        proc_signal_children(SIGINT);
    t->vm->sigint = 0;
    atomic_fetch_and(&t->eval_breaker, ~(uint32_t)VM_BRK_SIGINT);
    return vm_raise(t, EXC_KeyboardInterrupt, "%s", "");
}

Value vm_raise_value(Thread *t, Value exc)
{
    Vm *vm = t->vm;
    if (IS_CLASS(exc) && vm_is_subclass(AS_CLASS(exc), vm->exc[EXC_BaseException])) {
        Value inst = vm_call(t, exc, 0, NULL, NULL);
        if (IS_ERR(inst))
            return VAL_ERR;
        val_decref(t->exc);
        t->exc = inst;
    } else if (vm_isinstance(vm, exc, vm->exc[EXC_BaseException])) {
        val_incref(exc);
        val_decref(t->exc);
        t->exc = exc;
    } else {
        return vm_raise(t, EXC_TypeError, "exceptions must derive from BaseException");
    }
    t->reraise = false;
    return VAL_ERR;
}

Value vm_raise_errno(Thread *t, int err, const char *filename)
{
    ExcId id = EXC_OSError;
    switch (err) {
    case ENOENT: id = EXC_FileNotFoundError; break;
    case EPIPE: id = EXC_BrokenPipeError; break;
    case ECONNRESET: id = EXC_ConnectionResetError; break;
    case ECONNREFUSED: id = EXC_ConnectionRefusedError; break;
    case EINTR: id = EXC_InterruptedError; break;
    case EAGAIN: id = EXC_BlockingIOError; break;
    case ETIMEDOUT: id = EXC_TimeoutError; break;
    default: break;
    }
    if (filename)
        return vm_raise(t, id, "[Errno %d] %s: '%s'", err, strerror(err), filename);
    return vm_raise(t, id, "[Errno %d] %s", err, strerror(err));
}

bool vm_exc_matches(Thread *t, ExcId id)
{
    return !IS_ERR(t->exc) && vm_isinstance(t->vm, t->exc, t->vm->exc[id]);
}

void vm_exc_clear(Thread *t)
{
    val_decref(t->exc);
    t->exc = VAL_ERR;
}

/* Appends (file, line, function) of frame f to the pending exception's traceback. */
static void traceback_add(Thread *t, Frame *f)
{
    Vm *vm = t->vm;
    if (!IS_INSTANCE(t->exc))
        return;
    ObjInstance *inst = AS_INSTANCE(t->exc);
    ObjStr *key = str_intern_cstr(vm, "__traceback__");
    Value *tb = dict_find_str(inst->dict, key);
    ObjList *list;
    if (!tb || !IS_LIST(*tb)) {
        list = list_new(vm, 4);
        dict_set_str(vm, inst->dict, key, val_obj(&list->obj));
        obj_decref(&list->obj);
    } else {
        list = AS_LIST(*tb);
    }
    int idx = (int)(f->ip - f->code->code) - 1;
    if (idx < 0)
        idx = 0;
    int line = f->code->len ? f->code->lines[idx] : f->code->firstline;
    ObjTuple *entry = tuple_new(vm, 3);
    entry->items[0] = val_dup(val_obj(&f->code->filename->obj));
    entry->items[1] = val_int(line);
    entry->items[2] = val_dup(val_obj(&f->code->name->obj));
    list_append_steal(list, val_obj(&entry->obj));
}

static void print_source_line(const char *path, int line)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return;
    char buf[4096];
    int n = 0;
    while (fgets(buf, sizeof buf, fp)) {
        size_t len = strlen(buf);
        bool whole = len > 0 && buf[len - 1] == '\n';
        if (++n == line) {
            char *s = buf;
            while (*s == ' ' || *s == '\t')
                s++;
            size_t l = strlen(s);
            while (l > 0 && (s[l - 1] == '\n' || s[l - 1] == '\r'))
                s[--l] = 0;
            if (l > 0)
                fprintf(stderr, "    %s\n", s);
            break;
        }
        if (!whole)
            n--;   /* a line longer than the buffer: keep reading it */
    }
    fclose(fp);
}

static Value exc_attr(Vm *vm, Value exc, const char *name)
{
    if (!IS_INSTANCE(exc))
        return VAL_NONE;
    Value *v = dict_find_str(AS_INSTANCE(exc)->dict, str_intern_cstr(vm, name));
    return v ? *v : VAL_NONE;
}

/* Prints exc with its traceback, after its cause or context (CPython's order). */
static void print_one_exception(Thread *t, Value exc, int depth)
{
    Vm *vm = t->vm;
    if (depth < 32) {
        Value cause = exc_attr(vm, exc, "__cause__");
        Value ctx = exc_attr(vm, exc, "__context__");
        Value sup = exc_attr(vm, exc, "__suppress_context__");
        if (IS_INSTANCE(cause)) {
            print_one_exception(t, cause, depth + 1);
            fputs("\nThe above exception was the direct cause of the following exception:\n\n", stderr);
        } else if (IS_INSTANCE(ctx) && !(IS_BOOL(sup) && sup.as.i)) {
            print_one_exception(t, ctx, depth + 1);
            fputs("\nDuring handling of the above exception, another exception occurred:\n\n", stderr);
        }
    }
    Value tbv = exc_attr(vm, exc, "__traceback__");
    if (IS_LIST(tbv) && AS_LIST(tbv)->len > 0) {
        ObjList *l = AS_LIST(tbv);
        fputs("Traceback (most recent call last):\n", stderr);
        for (int64_t i = l->len - 1; i >= 0; i--) {
            ObjTuple *e = AS_TUPLE(l->items[i]);
            const char *file = AS_STR(e->items[0])->chars;
            fprintf(stderr, "  File \"%s\", line %lld, in %s\n", file, (long long)e->items[1].as.i,
                    AS_STR(e->items[2])->chars);
            print_source_line(file, (int)e->items[1].as.i);
        }
    }
    const char *name = vm_type_name(vm, exc);
    Value s = vm_str(t, exc);
    if (IS_ERR(s)) {
        vm_exc_clear(t);
        fprintf(stderr, "%s: <exception str() failed>\n", name);
    } else {
        if (AS_STR(s)->len > 0)
            fprintf(stderr, "%s: %s\n", name, AS_STR(s)->chars);
        else
            fprintf(stderr, "%s\n", name);
        val_decref(s);
    }
}

void vm_print_exception_value(Thread *t, Value exc)
{
    vm_flush_out(t->vm);
    print_one_exception(t, exc, 0);
    fflush(stderr);
}

Value vm_call_args(Thread *t, Value fn, Value args, Value kwargs)
{
    int n = IS_TUPLE(args) ? (int)AS_TUPLE(args)->len : 0;
    int nkw = IS_DICT(kwargs) ? (int)AS_DICT(kwargs)->len : 0;
    Value *argv = mem_alloc(sizeof(Value) * (size_t)(n + nkw + 1));
    for (int i = 0; i < n; i++)
        argv[i] = AS_TUPLE(args)->items[i];
    ObjTuple *names = NULL;
    if (nkw) {
        names = tuple_new(t->vm, nkw);
        int64_t pos = 0;
        Value k, v;
        int j = 0;
        while (dict_next(AS_DICT(kwargs), &pos, &k, &v)) {
            names->items[j] = val_dup(k);
            argv[n + j++] = v;
        }
    }
    Value r = vm_call(t, fn, n + nkw, argv, names);
    mem_free(argv);
    if (names)
        obj_decref(&names->obj);
    return r;
}

/* Prints the pending exception as CPython does, and clears it. */
void vm_print_exception(Thread *t)
{
    Value exc = t->exc;
    t->exc = VAL_ERR;
    vm_flush_out(t->vm);
    print_one_exception(t, exc, 0);
    val_decref(exc);
    fflush(stderr);
}

/* ---- frames ----------------------------------------------------------------- */

static inline Frame *frame_push(Thread *t)
{
    /* callers check depth < max_depth < frames_cap: the array never moves */
    Frame *f = &t->frames[t->depth++];
    f->locals = NULL;
    f->cells = NULL;
    f->c_entry = false;
    f->block_base = t->nblocks;
    f->init_self = VAL_ERR;
    return f;
}

/* Releases everything of the top frame from f->ret up to sp, and the frame. */
static inline void frame_pop(Thread *t, Value *sp)
{
    Frame *f = &t->frames[t->depth - 1];
    for (Value *p = f->ret; p < sp; p++)
        val_decref(*p);
    if (!f->cells && !f->locals && IS_ERR(f->init_self) && t->nblocks == f->block_base) {
        obj_decref(&f->func->obj);
        t->depth--;
        return;
    }
    if (f->cells) {
        int n = f->code->ncells + f->code->nfree;
        for (int i = 0; i < n; i++)
            if (f->cells[i])
                obj_decref(&f->cells[i]->obj);
        mem_free(f->cells);
    }
    if (f->locals)
        obj_decref(&f->locals->obj);
    val_decref(f->init_self);
    while (t->nblocks > f->block_base) {
        Block *b = &t->blocks[--t->nblocks];
        if (b->kind == BLK_HANDLER) {
            val_decref(t->handling);
            t->handling = b->saved;
        }
    }
    obj_decref(&f->func->obj);
    t->depth--;
}

static const char *func_name(ObjFunc *fn) { return fn->code->qualname->chars; }

static void raise_arg_count(Thread *t, ObjFunc *fn, int given)
{
    Code *c = fn->code;
    int req = c->nparams - fn->ndefaults;
    if (fn->ndefaults == 0)
        vm_raise(t, EXC_TypeError, "%s() takes %d positional argument%s but %d %s given", func_name(fn),
                 c->nparams, c->nparams == 1 ? "" : "s", given, given == 1 ? "was" : "were");
    else
        vm_raise(t, EXC_TypeError, "%s() takes from %d to %d positional arguments but %d %s given",
                 func_name(fn), req, c->nparams, given, given == 1 ? "was" : "were");
}

static void raise_missing(Thread *t, ObjFunc *fn, Value *slots, int from, int to, const char *what)
{
    Code *c = fn->code;
    int missing = 0;
    for (int i = from; i < to; i++)
        if (IS_ERR(slots[i]))
            missing++;
    StrBuf sb;
    sb_init(&sb);
    int k = 0;
    for (int i = from; i < to; i++) {
        if (!IS_ERR(slots[i]))
            continue;
        if (k > 0)
            sb_puts(&sb, missing == 2 ? " and " : (k == missing - 1 ? ", and " : ", "));
        sb_printf(&sb, "'%s'", c->varnames[i]->chars);
        k++;
    }
    sb_putc(&sb, 0);
    vm_raise(t, EXC_TypeError, "%s() missing %d required %s argument%s: %s", func_name(fn), missing, what,
             missing == 1 ? "" : "s", sb.buf);
    sb_fini(&sb);
}

/* Binds f[1..argc] (the last nkw named by kw) to fn's parameters in place,
 * f[1] becoming slot 0.  Returns false with an exception set. */
static bool bind_args(Thread *t, ObjFunc *fn, Value *f, int argc, ObjTuple *kw)
{
    Vm *vm = t->vm;
    Code *c = fn->code;
    Value *slots = f + 1;
    int nkw = kw ? (int)kw->len : 0;
    int npos = argc - nkw;
    int nparams = c->nparams, nkwonly = c->nkwonly;
    int nnamed = nparams + nkwonly;
    Value kwv[nkw > 0 ? nkw : 1];
    for (int i = 0; i < nkw; i++)
        kwv[i] = slots[npos + i];
    ObjTuple *varargs = NULL;
    if (npos > nparams) {
        if (!(c->flags & CO_VARARGS)) {
            for (int i = 0; i < nkw; i++)
                slots[npos + i] = VAL_ERR;
            for (int i = 0; i < nkw; i++)
                val_decref(kwv[i]);
            raise_arg_count(t, fn, npos);
            return false;
        }
        varargs = tuple_new(vm, npos - nparams);
        for (int i = nparams; i < npos; i++) {
            varargs->items[i - nparams] = slots[i];
            slots[i] = VAL_ERR;
        }
    }
    for (int i = npos < nparams ? npos : nparams; i < c->nlocals; i++)
        if (i >= npos || i >= nparams)
            slots[i] = VAL_ERR;
    for (int i = npos; i < argc && i < c->nlocals; i++)
        slots[i] = VAL_ERR;
    ObjDict *varkw = (c->flags & CO_VARKW) ? dict_new(vm) : NULL;
    bool ok = true;
    for (int i = 0; i < nkw; i++) {
        ObjStr *name = AS_STR(kw->items[i]);
        int idx = -1;
        for (int j = 0; j < nnamed; j++) {
            if (c->varnames[j] == name || str_eq(c->varnames[j], name)) {
                idx = j;
                break;
            }
        }
        if (idx >= 0) {
            if (!IS_ERR(slots[idx])) {
                vm_raise(t, EXC_TypeError, "%s() got multiple values for argument '%s'", func_name(fn),
                         name->chars);
                ok = false;
                break;
            }
            slots[idx] = kwv[i];
            kwv[i] = VAL_ERR;
        } else if (varkw) {
            dict_set_str(vm, varkw, name, kwv[i]);
        } else {
            vm_raise(t, EXC_TypeError, "%s() got an unexpected keyword argument '%s'", func_name(fn),
                     name->chars);
            ok = false;
            break;
        }
    }
    for (int i = 0; i < nkw; i++)
        val_decref(kwv[i]);
    if (ok) {
        int first_default = nparams - fn->ndefaults;
        for (int i = npos; i < nparams; i++)
            if (IS_ERR(slots[i]) && i >= first_default)
                slots[i] = val_dup(fn->defaults[i - first_default]);
        for (int i = npos; i < nparams; i++) {
            if (IS_ERR(slots[i])) {
                raise_missing(t, fn, slots, 0, nparams, "positional");
                ok = false;
                break;
            }
        }
    }
    if (ok && nkwonly) {
        for (int i = nparams; i < nnamed; i++) {
            if (IS_ERR(slots[i]) && fn->kwdefaults) {
                Value *d = dict_find_str(fn->kwdefaults, c->varnames[i]);
                if (d)
                    slots[i] = val_dup(*d);
            }
        }
        for (int i = nparams; i < nnamed; i++) {
            if (IS_ERR(slots[i])) {
                raise_missing(t, fn, slots, nparams, nnamed, "keyword-only");
                ok = false;
                break;
            }
        }
    }
    int extra = nnamed;
    if (c->flags & CO_VARARGS) {
        if (!varargs)
            varargs = tuple_new(vm, 0);
        slots[extra++] = val_obj(&varargs->obj);
        varargs = NULL;
    }
    if (varkw) {
        slots[extra++] = val_obj(&varkw->obj);
        varkw = NULL;
    }
    if (varargs)
        obj_decref(&varargs->obj);
    return ok;
}

/* Pushes a frame for fn called with f[1..argc].  The frame owns f[0..]. */
static bool frame_enter(Thread *t, ObjFunc *fn, Value *f, int argc, ObjTuple *kw, Value *ret)
{
    Code *c = fn->code;
    if (t->depth >= t->vm->max_depth) {
        vm_raise(t, EXC_RecursionError, "maximum recursion depth exceeded");
        return false;
    }
    if (f + 1 + c->nlocals + argc + c->maxstack + 8 >= t->stack_end) {
        vm_raise(t, EXC_RecursionError, "maximum recursion depth exceeded (value stack exhausted)");
        return false;
    }
    if ((c->flags & CO_SIMPLE) && !kw && argc == c->nparams) {
        for (int i = argc; i < c->nlocals; i++)
            f[1 + i] = VAL_ERR;
    } else if (!bind_args(t, fn, f, argc, kw)) {
        return false;
    }
    Frame *fr = frame_push(t);
    obj_incref(&fn->obj);
    fr->func = fn;
    fr->code = c;
    fr->ip = c->code;
    fr->slots = f + 1;
    fr->ret = ret;
    fr->globals = fn->globals;
    int ncells = c->ncells + c->nfree;
    if (ncells) {
        fr->cells = mem_alloc(sizeof(ObjCell *) * (size_t)ncells);
        for (int i = 0; i < c->ncells; i++) {
            ObjCell *cell = (ObjCell *)obj_alloc(t->vm, sizeof(ObjCell), OBJ_CELL, t->vm->types[TY_CELL]);
            cell->v = VAL_ERR;
            int slot = c->cell_slot ? c->cell_slot[i] : -1;
            if (slot >= 0)
                cell->v = val_dup(fr->slots[slot]);
            fr->cells[i] = cell;
        }
        for (int i = 0; i < c->nfree; i++) {
            fr->cells[c->ncells + i] = fn->cells[i];
            obj_incref(&fn->cells[i]->obj);
        }
    }
    if (c->flags & CO_CLASSBODY)
        fr->locals = dict_new(t->vm);
    return true;
}

/* ---- calls ---------------------------------------------------------------- */

enum { CALL_ERR = -1, CALL_DONE = 0, CALL_FRAME = 1 };

static Value new_instance(Thread *t, ObjClass *cls)
{
    ObjInstance *inst = (ObjInstance *)obj_alloc(t->vm, sizeof(ObjInstance), OBJ_INSTANCE, cls);
    obj_incref(&cls->obj);
    inst->dict = dict_new(t->vm);
    return val_obj(&inst->obj);
}

/* Makes room for one more value at f[1], shifting the arguments up. */
static bool insert_self(Thread *t, Value *f, int argc, Value self)
{
    if (f + argc + 2 >= t->stack_end) {
        vm_raise(t, EXC_RecursionError, "maximum recursion depth exceeded");
        return false;
    }
    memmove(f + 2, f + 1, sizeof(Value) * (size_t)argc);
    f[1] = self;
    return true;
}

bool vm_check_alloc(Thread *t, double bytes)
{
    if (bytes < t->vm->ram_bytes)
        return true;
    vm_raise_empty(t, EXC_MemoryError);
    return false;
}

void vm_set_recursion_limit(Vm *vm, int limit)
{
    vm->recursion_limit = limit;
    vm->max_depth = limit < VM_MAX_FRAMES - 1 ? limit : VM_MAX_FRAMES - 1;
}

bool vm_enter_recursive(Thread *t, const char *what)
{
    if (++t->native_depth > MAX_NATIVE_DEPTH) {
        t->native_depth--;
        vm_raise(t, EXC_RecursionError, "maximum recursion depth exceeded %s", what);
        return false;
    }
    return true;
}

static Value call_native(Thread *t, ObjNative *nat, Value *args, int argc, ObjTuple *kw)
{
    if (++t->native_depth > MAX_NATIVE_DEPTH) {
        t->native_depth--;
        return vm_raise(t, EXC_RecursionError, "maximum recursion depth exceeded");
    }
    Value r;
    if (nat->is_method) {
        int nkw = kw ? (int)kw->len : 0;
        if (argc - nkw < 1) {
            t->native_depth--;
            return vm_raise(t, EXC_TypeError, "unbound method %s() needs an argument", nat->name);
        }
        r = nat->fn(t, args[0], argc - 1, args + 1, kw);
    } else {
        r = nat->fn(t, nat->data, argc, args, kw);
    }
    t->native_depth--;
    return r;
}

/*
 * Calls f[0] with f[1..argc] (the last kw->len of them by name).  The values
 * f[0..argc] belong to the call: on CALL_FRAME a frame was pushed that owns
 * them and will put its result at *ret; on CALL_DONE (*out is the result)
 * and CALL_ERR they are still on the stack for the caller to release (the
 * region may have grown: *nvals is how many values from f to release).
 */
static int call_value(Thread *t, Value *f, int argc, ObjTuple *kw, Value *ret, Value *out, int *nvals)
{
    Vm *vm = t->vm;
    *nvals = argc + 1;
    for (int hops = 0; hops < 4; hops++) {
        Value callee = f[0];
        if (callee.kind != V_OBJ)
            goto not_callable;
        switch (callee.as.o->kind) {
        case OBJ_FUNC:
            if (!frame_enter(t, (ObjFunc *)callee.as.o, f, argc, kw, ret))
                return CALL_ERR;
            return CALL_FRAME;
        case OBJ_NATIVE:
            *out = call_native(t, (ObjNative *)callee.as.o, f + 1, argc, kw);
            return IS_ERR(*out) ? CALL_ERR : CALL_DONE;
        case OBJ_BOUND: {
            ObjBound *b = (ObjBound *)callee.as.o;
            if (IS_KIND(b->func, OBJ_NATIVE) && !AS_NATIVE(b->func)->is_method) {
                *out = call_native(t, AS_NATIVE(b->func), f + 1, argc, kw);
                return IS_ERR(*out) ? CALL_ERR : CALL_DONE;
            }
            if (IS_KIND(b->func, OBJ_NATIVE)) {
                ObjNative *nat = AS_NATIVE(b->func);
                if (++t->native_depth > MAX_NATIVE_DEPTH) {
                    t->native_depth--;
                    *out = vm_raise(t, EXC_RecursionError, "maximum recursion depth exceeded");
                    return CALL_ERR;
                }
                *out = nat->fn(t, b->self, argc, f + 1, kw);
                t->native_depth--;
                return IS_ERR(*out) ? CALL_ERR : CALL_DONE;
            }
            if (!insert_self(t, f, argc, val_dup(b->self)))
                return CALL_ERR;
            f[0] = val_dup(b->func);
            val_decref(callee);
            argc++;
            *nvals = argc + 1;
            continue;
        }
        case OBJ_CLASS: {
            ObjClass *cls = (ObjClass *)callee.as.o;
            if (cls->layout != OBJ_INSTANCE) {
                if (!cls->ctor)
                    goto not_callable;
                if (++t->native_depth > MAX_NATIVE_DEPTH) {
                    t->native_depth--;
                    *out = vm_raise(t, EXC_RecursionError, "maximum recursion depth exceeded");
                    return CALL_ERR;
                }
                *out = cls->ctor(t, callee, argc, f + 1, kw);
                t->native_depth--;
                return IS_ERR(*out) ? CALL_ERR : CALL_DONE;
            }
            Value inst = new_instance(t, cls);
            if (vm_is_subclass(cls, vm->exc[EXC_BaseException])) {
                exc_init_chain(vm, AS_INSTANCE(inst));
                int npos = argc - (kw ? (int)kw->len : 0);
                ObjTuple *args = tuple_new(vm, npos);
                for (int i = 0; i < npos; i++)
                    args->items[i] = val_dup(f[1 + i]);
                dict_set_str(vm, AS_INSTANCE(inst)->dict, vm->s_args, val_obj(&args->obj));
                obj_decref(&args->obj);
            }
            Value *init = vm_class_lookup(cls, vm->s_init);
            if (init && IS_KIND(*init, OBJ_FUNC)) {
                ObjFunc *fn = AS_FUNC(*init);
                if (!insert_self(t, f, argc, val_dup(inst))) {
                    val_decref(inst);
                    return CALL_ERR;
                }
                *nvals = argc + 2;
                if (!frame_enter(t, fn, f, argc + 1, kw, ret)) {
                    val_decref(inst);
                    return CALL_ERR;
                }
                t->frames[t->depth - 1].init_self = inst;
                return CALL_FRAME;
            }
            if (init && IS_KIND(*init, OBJ_NATIVE) && AS_NATIVE(*init)->fn != object_init) {
                Value r = AS_NATIVE(*init)->fn(t, inst, argc, f + 1, kw);
                if (IS_ERR(r)) {
                    val_decref(inst);
                    return CALL_ERR;
                }
                val_decref(r);
                *out = inst;
                return CALL_DONE;
            }
            if (argc > 0 && !vm_is_subclass(cls, vm->exc[EXC_BaseException])) {
                val_decref(inst);
                vm_raise(t, EXC_TypeError, "%s() takes no arguments", cls->name->chars);
                return CALL_ERR;
            }
            *out = inst;
            return CALL_DONE;
        }
        case OBJ_INSTANCE: {
            Value *call = vm_class_lookup(callee.as.o->cls, vm->s_call);
            if (!call)
                goto not_callable;
            if (!insert_self(t, f, argc, callee))
                return CALL_ERR;
            f[0] = val_dup(*call);
            argc++;
            *nvals = argc + 1;
            continue;
        }
        case OBJ_WRAPPER: {
            ObjWrapper *w = (ObjWrapper *)callee.as.o;
            if (w->kind == WRAP_STATIC) {
                f[0] = val_dup(w->func);
                val_decref(callee);
                continue;
            }
            goto not_callable;
        }
        default:
            goto not_callable;
        }
    }
not_callable:
    vm_raise(t, EXC_TypeError, "'%s' object is not callable", vm_type_name(vm, f[0]));
    return CALL_ERR;
}

Value vm_call(Thread *t, Value callee, int argc, const Value *argv, ObjTuple *kwnames)
{
    Value *f = t->sp;
    if (f + argc + 16 >= t->stack_end)
        return vm_raise(t, EXC_RecursionError, "maximum recursion depth exceeded");
    f[0] = val_dup(callee);
    for (int i = 0; i < argc; i++)
        f[1 + i] = val_dup(argv[i]);
    Value out = VAL_ERR;
    int nvals;
    t->sp = f + argc + 1;
    int r = call_value(t, f, argc, kwnames, f, &out, &nvals);
    if (r == CALL_FRAME) {
        Frame *fr = &t->frames[t->depth - 1];
        fr->c_entry = true;
        if (++t->native_depth > MAX_NATIVE_DEPTH) {
            t->native_depth--;
            Value *sp = fr->slots + fr->code->nlocals;
            frame_pop(t, sp > t->sp ? sp : t->sp);
            t->sp = f;
            return vm_raise(t, EXC_RecursionError, "maximum recursion depth exceeded");
        }
        out = vm_execute(t);
        t->native_depth--;
        t->sp = f;
        return out;
    }
    for (int i = 0; i < nvals; i++)
        val_decref(f[i]);
    t->sp = f;
    return r == CALL_DONE ? out : VAL_ERR;
}

Value vm_call_method(Thread *t, Value self, ObjStr *name, int argc, const Value *argv)
{
    Value m = vm_getattr(t, self, name);
    if (IS_ERR(m))
        return VAL_ERR;
    Value r = vm_call(t, m, argc, argv, NULL);
    val_decref(m);
    return r;
}

/* ---- attributes -------------------------------------------------------------- */

static Value bind(Thread *t, Value self, Value fn)
{
    ObjBound *b = (ObjBound *)obj_alloc(t->vm, sizeof(ObjBound), OBJ_BOUND, t->vm->types[TY_METHOD]);
    b->self = val_dup(self);
    b->func = val_dup(fn);
    return val_obj(&b->obj);
}

/* What a class attribute becomes when read through obj (an instance or a
 * value of a builtin type).  */
static Value class_attr_get(Thread *t, Value obj, ObjClass *cls, Value v)
{
    if (v.kind == V_OBJ) {
        switch (v.as.o->kind) {
        case OBJ_FUNC:
            return bind(t, obj, v);
        case OBJ_NATIVE:
            if (((ObjNative *)v.as.o)->is_method)
                return bind(t, obj, v);
            break;
        case OBJ_WRAPPER: {
            ObjWrapper *w = (ObjWrapper *)v.as.o;
            if (w->kind == WRAP_STATIC)
                return val_dup(w->func);
            if (w->kind == WRAP_CLASS)
                return bind(t, val_obj(&cls->obj), w->func);
            return vm_call(t, w->func, 1, &obj, NULL);
        }
        default:
            break;
        }
    }
    return val_dup(v);
}

Value vm_getattr_opt(Thread *t, Value obj, ObjStr *name)
{
    Vm *vm = t->vm;
    if (obj.kind == V_OBJ) {
        Obj *o = obj.as.o;
        switch (o->kind) {
        case OBJ_INSTANCE: {
            Value *cv = vm_class_lookup(o->cls, name);
            if (cv && IS_KIND(*cv, OBJ_WRAPPER) && ((ObjWrapper *)cv->as.o)->kind == WRAP_PROPERTY)
                return class_attr_get(t, obj, o->cls, *cv);
            Value *iv = dict_find_str(((ObjInstance *)o)->dict, name);
            if (iv)
                return val_dup(*iv);
            if (cv)
                return class_attr_get(t, obj, o->cls, *cv);
            if (name == vm->s_dict_name)
                return val_dup(val_obj(&((ObjInstance *)o)->dict->obj));
            break;
        }
        case OBJ_MODULE: {
            Value *mv = dict_find_str(((ObjModule *)o)->dict, name);
            if (mv)
                return val_dup(*mv);
            return VAL_ERR;
        }
        case OBJ_CLASS: {
            ObjClass *cls = (ObjClass *)o;
            Value *cv = vm_class_lookup(cls, name);
            if (cv) {
                if (IS_KIND(*cv, OBJ_WRAPPER)) {
                    ObjWrapper *w = (ObjWrapper *)cv->as.o;
                    if (w->kind == WRAP_STATIC)
                        return val_dup(w->func);
                    if (w->kind == WRAP_CLASS)
                        return bind(t, obj, w->func);
                }
                return val_dup(*cv);
            }
            if (name == vm->s_name)
                return val_dup(val_obj(&cls->name->obj));
            if (name == vm->s_qualname)
                return val_dup(val_obj(&cls->name->obj));
            if (name == vm->s_bases) {
                ObjTuple *tu = cls->base ? tuple_pack(vm, 1, val_obj(&cls->base->obj)) : tuple_new(vm, 0);
                return val_obj(&tu->obj);
            }
            if (name == vm->s_dict_name)
                return val_dup(val_obj(&cls->dict->obj));
            break;
        }
        case OBJ_FUNC:
            if (name == vm->s_name)
                return val_dup(val_obj(&((ObjFunc *)o)->code->name->obj));
            if (name == vm->s_qualname)
                return val_dup(val_obj(&((ObjFunc *)o)->code->qualname->obj));
            break;
        case OBJ_NATIVE:
            if (name == vm->s_name)
                return str_value(vm, ((ObjNative *)o)->name);
            break;
        case OBJ_BOUND:
            if (name == vm->s_self_name)
                return val_dup(((ObjBound *)o)->self);
            if (name == vm->s_func_name)
                return val_dup(((ObjBound *)o)->func);
            return vm_getattr_opt(t, ((ObjBound *)o)->func, name);
        default:
            break;
        }
    }
    if (name == vm->s_class_name)
        return val_dup(val_obj(&vm_class_of(vm, obj)->obj));
    ObjClass *cls = vm_class_of(vm, obj);
    Value *cv = vm_class_lookup(cls, name);
    if (cv)
        return class_attr_get(t, obj, cls, *cv);
    return VAL_ERR;
}

Value vm_getattr(Thread *t, Value obj, ObjStr *name)
{
    Value v = vm_getattr_opt(t, obj, name);
    if (!IS_ERR(v) || !IS_ERR(t->exc))
        return v;
    Vm *vm = t->vm;
    if (IS_KIND(obj, OBJ_MODULE))
        return vm_raise(t, EXC_AttributeError, "module '%s' has no attribute '%s'",
                        ((ObjModule *)obj.as.o)->name->chars, name->chars);
    if (IS_CLASS(obj))
        return vm_raise(t, EXC_AttributeError, "type object '%s' has no attribute '%s'",
                        AS_CLASS(obj)->name->chars, name->chars);
    return vm_raise(t, EXC_AttributeError, "'%s' object has no attribute '%s'", vm_type_name(vm, obj),
                    name->chars);
}

int vm_setattr(Thread *t, Value obj, ObjStr *name, Value v)
{
    Vm *vm = t->vm;
    if (IS_INSTANCE(obj)) {
        Value *cv = vm_class_lookup(obj.as.o->cls, name);
        if (cv && IS_KIND(*cv, OBJ_WRAPPER) && ((ObjWrapper *)cv->as.o)->kind == WRAP_PROPERTY) {
            ObjWrapper *w = (ObjWrapper *)cv->as.o;
            if (IS_NONE(w->setter) || IS_ERR(w->setter)) {
                vm_raise(t, EXC_AttributeError, "can't set attribute '%s'", name->chars);
                return -1;
            }
            Value args[2] = {obj, v};
            Value r = vm_call(t, w->setter, 2, args, NULL);
            if (IS_ERR(r))
                return -1;
            val_decref(r);
            return 0;
        }
        dict_set_str(vm, AS_INSTANCE(obj)->dict, name, v);
        return 0;
    }
    if (IS_CLASS(obj) && !AS_CLASS(obj)->builtin) {
        dict_set_str(vm, AS_CLASS(obj)->dict, name, v);
        return 0;
    }
    if (IS_KIND(obj, OBJ_MODULE)) {
        dict_set_str(vm, AS_MODULE(obj)->dict, name, v);
        return 0;
    }
    if (IS_CLASS(obj))
        vm_raise(t, EXC_TypeError, "cannot set '%s' attribute of immutable type '%s'", name->chars,
                 AS_CLASS(obj)->name->chars);
    else
        vm_raise(t, EXC_AttributeError, "'%s' object has no attribute '%s'", vm_type_name(vm, obj),
                 name->chars);
    return -1;
}

static int vm_delattr(Thread *t, Value obj, ObjStr *name)
{
    ObjDict *d = NULL;
    if (IS_INSTANCE(obj))
        d = AS_INSTANCE(obj)->dict;
    else if (IS_CLASS(obj) && !AS_CLASS(obj)->builtin)
        d = AS_CLASS(obj)->dict;
    else if (IS_KIND(obj, OBJ_MODULE))
        d = AS_MODULE(obj)->dict;
    if (d) {
        int r = dict_del(t, d, val_obj(&name->obj));
        if (r == 1)
            return 0;
        if (r < 0)
            return -1;
    }
    vm_raise(t, EXC_AttributeError, "'%s' object has no attribute '%s'", vm_type_name(t->vm, obj),
             name->chars);
    return -1;
}

/* ---- natives and modules --------------------------------------------------- */

Value vm_native_new(Vm *vm, const char *name, NativeFn fn, Value data)
{
    ObjNative *n = (ObjNative *)obj_alloc(vm, sizeof(ObjNative), OBJ_NATIVE, vm->types[TY_BUILTIN]);
    n->name = name;
    n->fn = fn;
    n->data = val_dup(data);
    return val_obj(&n->obj);
}

void vm_add_natives(Vm *vm, ObjDict *ns, const NativeDef *table)
{
    for (; table && table->name; table++) {
        Value f = vm_native_new(vm, table->name, table->fn, VAL_NONE);
        dict_set_str(vm, ns, str_intern_cstr(vm, table->name), f);
        val_decref(f);
    }
}

static void add_methods(Vm *vm, ObjClass *cls, const NativeDef *table)
{
    for (; table && table->name; table++) {
        Value f = vm_native_new(vm, table->name, table->fn, VAL_NONE);
        AS_NATIVE(f)->is_method = true;
        dict_set_str(vm, cls->dict, str_intern_cstr(vm, table->name), f);
        val_decref(f);
    }
}

ObjClass *vm_native_class(Vm *vm, const char *name, ObjKind layout, const NativeDef *methods)
{
    ObjClass *c = (ObjClass *)obj_alloc(vm, sizeof(ObjClass), OBJ_CLASS, vm->types[TY_TYPE]);
    c->obj.flags |= OBJF_IMMORTAL;
    c->obj.rc = 1 << 30;
    c->name = str_intern_cstr(vm, name);
    c->base = vm->types[TY_OBJECT];
    obj_incref(&c->base->obj);
    c->dict = dict_new(vm);
    c->layout = (uint16_t)layout;
    c->builtin = true;
    add_methods(vm, c, methods);
    return c;
}

ObjModule *vm_module_new(Vm *vm, const char *name)
{
    ObjModule *m = (ObjModule *)obj_alloc(vm, sizeof(ObjModule), OBJ_MODULE, vm->types[TY_MODULE]);
    m->name = str_intern_cstr(vm, name);
    m->dict = dict_new(vm);
    dict_set_str(vm, m->dict, vm->s_name, val_obj(&m->name->obj));
    dict_set_str(vm, vm->modules, m->name, val_obj(&m->obj));
    return m;
}

static const ModuleDef *const builtin_modules[] = {&mod_time, &mod_os, &mod_sys, &mod_math, &mod_thread, &mod_socket, &mod_process};

static char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = mem_alloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = mem_realloc(buf, cap);
        }
    }
    bool bad = ferror(fp);
    fclose(fp);
    if (bad) {
        mem_free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

static Value import_module(Thread *t, ObjStr *name)
{
    Vm *vm = t->vm;
    Value *m = dict_find_str(vm->modules, name);
    if (m)
        return val_dup(*m);
    for (size_t i = 0; i < sizeof builtin_modules / sizeof *builtin_modules; i++) {
        const ModuleDef *def = builtin_modules[i];
        if (strcmp(def->name, name->chars) == 0) {
            ObjModule *mod = vm_module_new(vm, def->name);
            vm_add_natives(vm, mod->dict, def->functions);
            if (def->init)
                def->init(t, mod);
            return val_dup(val_obj(&mod->obj));
        }
    }
    /* a module written in the workload language, embedded in gilscope */
    size_t plen;
    const char *psrc = pylib_source(name->chars, &plen);
    if (psrc) {
        char path[128];
        snprintf(path, sizeof path, "<gilscope>/%s.py", name->chars);
        ParseError err;
        Code *code = compile_module(vm, path, psrc, plen, &err);
        if (!code)
            return vm_raise(t, EXC_SyntaxError, "%s (%s, line %d)", err.msg, path, err.line);
        ObjModule *mod = vm_module_new(vm, name->chars);
        Value r = vm_run_code(t, code, mod->dict);
        obj_decref(&code->obj);
        if (IS_ERR(r)) {
            dict_del(t, vm->modules, val_obj(&name->obj));
            obj_decref(&mod->obj);
            return VAL_ERR;
        }
        val_decref(r);
        return val_obj(&mod->obj);
    }
    /* name.py beside the script */
    if (!strchr(name->chars, '.') && !strchr(name->chars, '/')) {
        StrBuf path;
        sb_init(&path);
        sb_printf(&path, "%s/%s.py", vm->script_dir ? vm->script_dir : ".", name->chars);
        sb_putc(&path, 0);
        size_t len;
        char *src = read_file(path.buf, &len);
        if (src) {
            ParseError err;
            Code *code = compile_module(vm, path.buf, src, len, &err);
            mem_free(src);
            if (!code) {
                Value r = vm_raise(t, EXC_SyntaxError, "%s (%s, line %d)", err.msg, path.buf, err.line);
                sb_fini(&path);
                return r;
            }
            sb_fini(&path);
            ObjModule *mod = vm_module_new(vm, name->chars);
            dict_set_str(vm, mod->dict, vm->s_file, val_obj(&code->filename->obj));
            Value r = vm_run_code(t, code, mod->dict);
            obj_decref(&code->obj);
            if (IS_ERR(r)) {
                dict_del(t, vm->modules, val_obj(&name->obj));
                obj_decref(&mod->obj);
                return VAL_ERR;
            }
            val_decref(r);
            return val_obj(&mod->obj);   /* the reference vm_module_new returned */
        }
        sb_fini(&path);
    }
    return vm_raise(t, EXC_ModuleNotFoundError, "No module named '%s'", name->chars);
}

/* ---- classes -------------------------------------------------------------------- */

static void set_owner(Value v, ObjClass *cls)
{
    if (IS_KIND(v, OBJ_WRAPPER))
        v = ((ObjWrapper *)v.as.o)->func;
    if (IS_KIND(v, OBJ_FUNC) && !AS_FUNC(v)->owner) {
        AS_FUNC(v)->owner = cls;
        obj_incref(&cls->obj);
    }
}

static Value build_class(Thread *t, ObjStr *name, ObjTuple *bases, ObjDict *ns)
{
    Vm *vm = t->vm;
    ObjClass *base = vm->types[TY_OBJECT];
    if (bases->len > 1)
        return vm_raise(t, EXC_TypeError, "class %s: gilscope supports single inheritance only", name->chars);
    if (bases->len == 1) {
        if (!IS_CLASS(bases->items[0]))
            return vm_raise(t, EXC_TypeError, "class %s: base must be a class, not '%s'", name->chars,
                            vm_type_name(vm, bases->items[0]));
        base = AS_CLASS(bases->items[0]);
        if (base->layout != OBJ_INSTANCE && base != vm->types[TY_OBJECT])
            return vm_raise(t, EXC_TypeError, "class %s: subclassing the builtin type '%s' is not supported by gilscope",
                            name->chars, base->name->chars);
    }
    ObjClass *cls = (ObjClass *)obj_alloc(vm, sizeof(ObjClass), OBJ_CLASS, vm->types[TY_TYPE]);
    cls->name = name;
    cls->base = base;
    obj_incref(&base->obj);
    cls->dict = ns;
    obj_incref(&ns->obj);
    cls->layout = OBJ_INSTANCE;
    int64_t pos = 0;
    Value k, v;
    while (dict_next(ns, &pos, &k, &v))
        set_owner(v, cls);
    return val_obj(&cls->obj);
}

/* ---- the interpreter loop ------------------------------------------------------ */

static Value int_overflow(Thread *t) { return vm_raise(t, EXC_OverflowError, NUM_OVERFLOW_MSG); }

/* The slow path of a check: signals, drop requests, the legacy check
 * interval.  Re-arms the tick limit before reading the breaker bits, so a
 * request arriving meanwhile is never lost (its sender stores 0 after
 * setting its bit). */
static int handle_trap(Thread *t)
{
    Vm *vm = t->vm;
    atomic_store_explicit(&t->tick_limit, gil_next_check(vm->gil, t), memory_order_relaxed);
    uint32_t bits = atomic_exchange_explicit(&t->eval_breaker, 0, memory_order_acq_rel);
    if ((bits & VM_BRK_SIGINT) && t == vm->main) {
        vm_raise_interrupt(t);
        return -1;
    }
    gil_check(vm->gil, t);
    return 0;
}

/* Fast-path for FOR_ITER over lists and ranges lives in ops.c. */
extern Value iter_list_next(Thread *t, ObjIter *it);
extern Value iter_range_next(Thread *t, ObjIter *it);
Value vm_unary(Thread *t, int op, Value a);
Value vm_inplace(Thread *t, int op, Value a, Value b);
Value vm_format_value(Thread *t, Value v, int conv, Value spec);
int vm_delitem(Thread *t, Value obj, Value key);
int vm_exc_match(Thread *t, Value exc, Value type);

#if defined(__GNUC__) && !defined(GILSCOPE_SWITCH_DISPATCH)
#define COMPUTED_GOTO 1
#endif

#ifdef COMPUTED_GOTO
#define vmdispatch(i) goto *jumptab[INSTR_OP(i)];
#define vmcase(op) L_##op:
#define vmbreak do { ins = *ip++; goto *jumptab[INSTR_OP(ins)]; } while (0)
#else
#define vmdispatch(i) switch (INSTR_OP(i))
#define vmcase(op) case OP_##op:
#define vmbreak break
#endif

/* Values are read field by field: a 16-byte load of a slot written by two
 * 8-byte stores stalls store forwarding, which cost a third of the loop. */
static inline Value vget(const Value *p)
{
    Value v;
    v.kind = p->kind;
    v.as.i = p->as.i;
    return v;
}
#define PUSH(v) (*sp++ = (v))
#define POP() vget(--sp)
#define TOP() (sp[-1])
#define PEEK(n) (sp[-(n)])
#define SAVE() (fr->ip = ip, t->sp = sp)
#define LOAD_FRAME()                                                        \
    do {                                                                    \
        fr = &t->frames[t->depth - 1];                                      \
        ip = fr->ip;                                                        \
        slots = fr->slots;                                                  \
        code = fr->code;                                                    \
        consts = code->consts;                                              \
    } while (0)
#define ARG() INSTR_A(ins)
#define CHECK_TRAP()                                                        \
    do {                                                                    \
        if (t->ticks >= atomic_load_explicit(&t->tick_limit, memory_order_relaxed)) { \
            SAVE();                                                         \
            if (handle_trap(t) < 0)                                         \
                goto error;                                                 \
        }                                                                   \
    } while (0)

/* Binary arithmetic with int fast paths; result in r. */
#define ARITH(opname, binop, expr_int, ovf)                                  \
    do {                                                                    \
        Value b_ = POP(), a_ = vget(sp - 1);                                       \
        if (a_.kind == V_INT && b_.kind == V_INT) {                         \
            int64_t r_;                                                     \
            if (ovf(a_.as.i, b_.as.i, &r_)) {                               \
                SAVE();                                                     \
                int_overflow(t);                                            \
                goto error;                                                 \
            }                                                               \
            TOP() = val_int(r_);                                            \
        } else if (a_.kind == V_FLOAT && b_.kind == V_FLOAT) {              \
            TOP() = val_float(a_.as.f expr_int b_.as.f);                    \
        } else {                                                            \
            SAVE();                                                         \
            Value r_ = opname(t, binop, a_, b_);                            \
            val_decref(a_);                                                 \
            val_decref(b_);                                                 \
            if (IS_ERR(r_)) {                                               \
                sp--;                                                       \
                goto error;                                                 \
            }                                                               \
            TOP() = r_;                                                     \
        }                                                                   \
    } while (0)

#define COMPARE(cmpop, cexpr)                                                \
    do {                                                                    \
        Value b_ = POP(), a_ = vget(sp - 1);                                       \
        if (a_.kind == V_INT && b_.kind == V_INT) {                         \
            bool c_ = a_.as.i cexpr b_.as.i;                                \
            uint32_t n_ = *ip;                                              \
            switch (INSTR_OP(n_)) {                                         \
            case OP_POP_JUMP_IF_FALSE:                                      \
                sp--;                                                       \
                ip = c_ ? ip + 1 : code->code + INSTR_A(n_);                \
                vmbreak;                                                    \
            case OP_POP_JUMP_BACK_IF_TRUE:                                  \
                sp--;                                                       \
                if (!c_) {                                                  \
                    ip++;                                                   \
                    vmbreak;                                                \
                }                                                           \
                t->ticks += (uint64_t)(ip + 1 - (code->code + INSTR_A(n_))); \
                CHECK_TRAP();                                               \
                ip = code->code + INSTR_A(n_);                              \
                vmbreak;                                                    \
            default:                                                        \
                TOP() = val_bool(c_);                                       \
            }                                                               \
        } else if (a_.kind == V_FLOAT && b_.kind == V_FLOAT) {              \
            TOP() = val_bool(a_.as.f cexpr b_.as.f);                        \
        } else {                                                            \
            SAVE();                                                         \
            int r_ = (cmpop == CMP_EQ) ? vm_eq(t, a_, b_)                   \
                   : (cmpop == CMP_NE) ? vm_eq(t, a_, b_)                   \
                   : vm_compare(t, a_, b_, cmpop);                          \
            if (cmpop == CMP_NE && r_ >= 0)                                 \
                r_ = !r_;                                                   \
            val_decref(a_);                                                 \
            val_decref(b_);                                                 \
            if (r_ < 0) {                                                   \
                sp--;                                                       \
                goto error;                                                 \
            }                                                               \
            TOP() = val_bool(r_);                                           \
        }                                                                   \
    } while (0)

static inline bool add_ovf(int64_t a, int64_t b, int64_t *r) { return __builtin_add_overflow(a, b, r); }
static inline bool sub_ovf(int64_t a, int64_t b, int64_t *r) { return __builtin_sub_overflow(a, b, r); }
static inline bool mul_ovf(int64_t a, int64_t b, int64_t *r) { return __builtin_mul_overflow(a, b, r); }

/* s += x where the local slot holds the only other reference: grow s in
 * place, as CPython does, so string-building loops are linear. */
static bool str_append_inplace(Thread *t, Value *slot, Value *top, ObjStr *b)
{
    ObjStr *a = AS_STR(*top);
    if (a->obj.rc != 2 || a->interned || slot->as.o != &a->obj || b->len == 0)
        return false;
    (void)t;
    Obj *prev = a->obj.gc_prev, *next = a->obj.gc_next;
    int64_t newlen = a->len + b->len;
    ObjStr *n = mem_realloc(a, sizeof(ObjStr) + (size_t)newlen + 1);
    n->obj.flags &= 0xff;   /* no longer the size of its pool class: free() it */
    if (n != a) {
        prev->gc_next = &n->obj;
        next->gc_prev = &n->obj;
    }
    memcpy(n->chars + n->len, b->chars, (size_t)b->len + 1);
    n->len = newlen;
    n->nchars += b->nchars;
    n->hash = 0;
    *slot = val_obj(&n->obj);
    *top = val_obj(&n->obj);
    return true;
}

/* o[lo:hi]: for ASCII strings, lists and tuples with int or None bounds,
 * without making a slice object; anything else goes through vm_getitem. */
static Value slice2(Thread *t, Value o, Value lo, Value hi)
{
    Vm *vm = t->vm;
    bool simple = (IS_INTLIKE(lo) || IS_NONE(lo)) && (IS_INTLIKE(hi) || IS_NONE(hi));
    int64_t len = -1;
    if (simple && o.kind == V_OBJ) {
        switch (o.as.o->kind) {
        case OBJ_STR:
            if (AS_STR(o)->nchars == AS_STR(o)->len)
                len = AS_STR(o)->len;
            break;
        case OBJ_LIST: len = AS_LIST(o)->len; break;
        case OBJ_TUPLE: len = AS_TUPLE(o)->len; break;
        default: break;
        }
    }
    if (len < 0) {
        ObjSlice *s = (ObjSlice *)obj_alloc(vm, sizeof(ObjSlice), OBJ_SLICE, vm->types[TY_SLICE]);
        s->start = val_dup(lo);
        s->stop = val_dup(hi);
        s->step = VAL_NONE;
        Value r = vm_getitem(t, o, val_obj(&s->obj));
        obj_decref(&s->obj);
        return r;
    }
    int64_t a = IS_NONE(lo) ? 0 : lo.as.i, b = IS_NONE(hi) ? len : hi.as.i;
    if (a < 0 && (a += len) < 0)
        a = 0;
    if (a > len)
        a = len;
    if (b < 0 && (b += len) < 0)
        b = 0;
    if (b > len)
        b = len;
    int64_t n = b > a ? b - a : 0;
    switch (o.as.o->kind) {
    case OBJ_STR:
        if (n == len)
            return val_dup(o);
        return val_obj(&str_new(vm, AS_STR(o)->chars + a, n)->obj);
    case OBJ_LIST: {
        ObjList *l = list_new(vm, n);
        for (int64_t i = 0; i < n; i++)
            l->items[i] = val_dup(AS_LIST(o)->items[a + i]);
        l->len = n;
        return val_obj(&l->obj);
    }
    default: {
        if (n == len)
            return val_dup(o);
        ObjTuple *tu = tuple_new(vm, n);
        for (int64_t i = 0; i < n; i++)
            tu->items[i] = val_dup(AS_TUPLE(o)->items[a + i]);
        return val_obj(&tu->obj);
    }
    }
}

/* Remembers where LOAD_METHOD found name for objects of class cls, when the
 * answer cannot change without the cached entry changing: found in cls's
 * own dict, or cls is a builtin type (whose chain users cannot modify). */
static void method_cache_fill(Code *code, uint32_t a, ObjClass *cls, ObjStr *name, Value *found)
{
    ObjDict *where = NULL;
    for (ObjClass *c = cls; c; c = c->base) {
        if (dict_find_str(c->dict, name) == found) {
            where = c->dict;
            break;
        }
        if (!cls->builtin)
            return;
    }
    if (!where)
        return;
    if (!code->mcache)
        code->mcache = mem_calloc((size_t)code->nnames, sizeof(GlobalCache));
    GlobalCache *mc = &code->mcache[a];
    mc->d = (ObjDict *)(void *)cls;
    mc->globals = where;
    mc->idx = (DictEntry *)(void *)((char *)found - offsetof(DictEntry, value)) - where->entries;
}

static Value vm_execute(Thread *t)
{
    Vm *vm = t->vm;
    Frame *fr;
    const uint32_t *ip;
    Value *slots, *consts;
    Code *code;
    Value *sp = t->sp;
    uint32_t ins;
#ifdef COMPUTED_GOTO
#define JT(name, has_arg, what) &&L_##name,
    static const void *const jumptab[OP__COUNT] = {OPCODE_LIST(JT)};
#undef JT
#endif

    LOAD_FRAME();
    sp = slots + code->nlocals;
    CHECK_TRAP();
    for (;;) {
        ins = *ip++;
        vmdispatch(ins) {
        vmcase(NOP) vmbreak;
        vmcase(POP_TOP) {
            val_decref(POP());
            vmbreak;
        }
        vmcase(DUP_TOP) {
            Value v = vget(sp - 1);
            val_incref(v);
            PUSH(v);
            vmbreak;
        }
        vmcase(DUP_TOP_TWO) {
            Value a = vget(sp - 2), b = vget(sp - 1);
            val_incref(a);
            val_incref(b);
            PUSH(a);
            PUSH(b);
            vmbreak;
        }
        vmcase(ROT_TWO) {
            Value a = vget(sp - 1);
            PEEK(1) = vget(sp - 2);
            PEEK(2) = a;
            vmbreak;
        }
        vmcase(ROT_THREE) {
            Value a = vget(sp - 1);
            PEEK(1) = vget(sp - 2);
            PEEK(2) = vget(sp - 3);
            PEEK(3) = a;
            vmbreak;
        }
        vmcase(ROT_FOUR) {
            Value a = vget(sp - 1);
            PEEK(1) = vget(sp - 2);
            PEEK(2) = vget(sp - 3);
            PEEK(3) = vget(sp - 4);
            PEEK(4) = a;
            vmbreak;
        }
        vmcase(LOAD_CONST) {
            Value v = vget(&consts[ARG()]);
            val_incref(v);
            PUSH(v);
            vmbreak;
        }
        vmcase(LOAD_SMALLINT) {
            PUSH(val_int((int64_t)ARG() - SMALLINT_BIAS));
            vmbreak;
        }
        vmcase(LOAD_NONE) {
            PUSH(VAL_NONE);
            vmbreak;
        }
        vmcase(LOAD_FAST) {
            Value v = vget(&slots[ARG()]);
            if (v.kind == V_ERR) {
                SAVE();
                vm_raise(t, EXC_UnboundLocalError,
                         "cannot access local variable '%s' where it is not associated with a value",
                         code->varnames[ARG()]->chars);
                goto error;
            }
            val_incref(v);
            PUSH(v);
            vmbreak;
        }
        vmcase(STORE_FAST) {
            Value old = vget(&slots[ARG()]);
            slots[ARG()] = POP();
            val_decref(old);
            vmbreak;
        }
        vmcase(DELETE_FAST) {
            Value old = vget(&slots[ARG()]);
            if (old.kind == V_ERR) {
                SAVE();
                vm_raise(t, EXC_UnboundLocalError,
                         "cannot access local variable '%s' where it is not associated with a value",
                         code->varnames[ARG()]->chars);
                goto error;
            }
            slots[ARG()] = VAL_ERR;
            val_decref(old);
            vmbreak;
        }
        vmcase(LOAD_DEREF) {
            Value v = fr->cells[ARG()]->v;
            if (v.kind == V_ERR) {
                SAVE();
                int a = (int)ARG();
                const char *name = a < code->ncells ? code->cellnames[a]->chars
                                                    : code->freenames[a - code->ncells]->chars;
                vm_raise(t, EXC_NameError,
                         "cannot access free variable '%s' where it is not associated with a value in enclosing scope",
                         name);
                goto error;
            }
            val_incref(v);
            PUSH(v);
            vmbreak;
        }
        vmcase(STORE_DEREF) {
            ObjCell *cell = fr->cells[ARG()];
            Value old = cell->v;
            cell->v = POP();
            val_decref(old);
            vmbreak;
        }
        vmcase(LOAD_CLOSURE) {
            ObjCell *cell = fr->cells[ARG()];
            obj_incref(&cell->obj);
            PUSH(val_obj(&cell->obj));
            vmbreak;
        }
        vmcase(LOAD_GLOBAL) {
            uint32_t a = ARG();
            ObjStr *name = code->names[a];
            GlobalCache *gc = code->gcache ? &code->gcache[a] : NULL;
            if (gc && gc->d && gc->idx < gc->d->used && gc->d->entries[gc->idx].key.as.o == &name->obj &&
                gc->d->entries[gc->idx].key.kind == V_OBJ &&
                (gc->d == fr->globals ||
                 (gc->globals == fr->globals && gc->gversion == fr->globals->version))) {
                Value v = vget(&gc->d->entries[gc->idx].value);
                val_incref(v);
                PUSH(v);
                vmbreak;
            }
            ObjDict *d = fr->globals;
            Value *p = dict_find_str(d, name);
            if (!p) {
                d = vm->builtins;
                p = dict_find_str(d, name);
            }
            if (!p) {
                SAVE();
                vm_raise(t, EXC_NameError, "name '%s' is not defined", name->chars);
                goto error;
            }
            if (!code->gcache)
                code->gcache = mem_calloc((size_t)code->nnames, sizeof(GlobalCache));
            gc = &code->gcache[a];
            gc->d = d;
            gc->idx = (DictEntry *)(void *)((char *)p - offsetof(DictEntry, value)) - d->entries;
            gc->globals = fr->globals;
            gc->gversion = fr->globals->version;
            val_incref(*p);
            PUSH(vget(p));
            vmbreak;
        }
        vmcase(STORE_GLOBAL) {
            Value v = POP();
            dict_set_str(vm, fr->globals, code->names[ARG()], v);
            val_decref(v);
            vmbreak;
        }
        vmcase(DELETE_GLOBAL) {
            SAVE();
            ObjStr *name = code->names[ARG()];
            int r = dict_del(t, fr->globals, val_obj(&name->obj));
            if (r <= 0) {
                if (r == 0)
                    vm_raise(t, EXC_NameError, "name '%s' is not defined", name->chars);
                goto error;
            }
            vmbreak;
        }
        vmcase(LOAD_NAME) {
            ObjStr *name = code->names[ARG()];
            Value *p = fr->locals ? dict_find_str(fr->locals, name) : NULL;
            if (!p)
                p = dict_find_str(fr->globals, name);
            if (!p)
                p = dict_find_str(vm->builtins, name);
            if (!p) {
                SAVE();
                vm_raise(t, EXC_NameError, "name '%s' is not defined", name->chars);
                goto error;
            }
            val_incref(*p);
            PUSH(vget(p));
            vmbreak;
        }
        vmcase(STORE_NAME) {
            Value v = POP();
            dict_set_str(vm, fr->locals ? fr->locals : fr->globals, code->names[ARG()], v);
            val_decref(v);
            vmbreak;
        }
        vmcase(DELETE_NAME) {
            SAVE();
            ObjStr *name = code->names[ARG()];
            int r = dict_del(t, fr->locals ? fr->locals : fr->globals, val_obj(&name->obj));
            if (r <= 0) {
                if (r == 0)
                    vm_raise(t, EXC_NameError, "name '%s' is not defined", name->chars);
                goto error;
            }
            vmbreak;
        }
        vmcase(LOAD_LOCALS) {
            ObjDict *d = fr->locals ? fr->locals : fr->globals;
            obj_incref(&d->obj);
            PUSH(val_obj(&d->obj));
            vmbreak;
        }
        vmcase(LOAD_ATTR) {
            SAVE();
            Value o = vget(sp - 1);
            Value v = vm_getattr(t, o, code->names[ARG()]);
            val_decref(o);
            if (IS_ERR(v)) {
                sp--;
                goto error;
            }
            TOP() = v;
            vmbreak;
        }
        vmcase(STORE_ATTR) {
            SAVE();
            Value o = POP(), v = POP();
            int r = vm_setattr(t, o, code->names[ARG()], v);
            val_decref(o);
            val_decref(v);
            if (r < 0)
                goto error;
            vmbreak;
        }
        vmcase(DELETE_ATTR) {
            SAVE();
            Value o = POP();
            int r = vm_delattr(t, o, code->names[ARG()]);
            val_decref(o);
            if (r < 0)
                goto error;
            vmbreak;
        }
        vmcase(LOAD_METHOD) {
            Value o = vget(sp - 1);
            ObjStr *name = code->names[ARG()];
            /* cache: a method of the object's class found in that class's
               own dict, or anywhere in a builtin type's (immutable) chain */
            ObjClass *ocls = o.kind == V_OBJ ? o.as.o->cls : vm_class_of(vm, o);
            GlobalCache *mc = code->mcache ? &code->mcache[ARG()] : NULL;
            if (mc && mc->d == (ObjDict *)(void *)ocls && mc->idx < mc->globals->used &&
                mc->globals->entries[mc->idx].key.as.o == &name->obj &&
                mc->globals->entries[mc->idx].key.kind == V_OBJ &&
                (o.kind != V_OBJ || o.as.o->kind != OBJ_INSTANCE ||
                 !dict_find_str(((ObjInstance *)o.as.o)->dict, name))) {
                Value m = vget(&mc->globals->entries[mc->idx].value);
                val_incref(m);
                sp[-1] = m;
                PUSH(o);
                vmbreak;
            }
            if (o.kind == V_OBJ) {
                ObjClass *cls = o.as.o->cls;
                Value *iv = o.as.o->kind == OBJ_INSTANCE ? dict_find_str(((ObjInstance *)o.as.o)->dict, name) : NULL;
                if (!iv && o.as.o->kind != OBJ_MODULE && o.as.o->kind != OBJ_CLASS) {
                    Value *cv = vm_class_lookup(cls, name);
                    if (cv && (IS_KIND(*cv, OBJ_FUNC) || (IS_KIND(*cv, OBJ_NATIVE) && AS_NATIVE(*cv)->is_method))) {
                        method_cache_fill(code, ARG(), cls, name, cv);
                        val_incref(*cv);
                        TOP() = *cv;
                        PUSH(o);
                        vmbreak;
                    }
                }
            } else if (o.kind != V_ERR) {
                Value *cv = vm_class_lookup(vm_class_of(vm, o), name);
                if (cv && IS_KIND(*cv, OBJ_NATIVE) && AS_NATIVE(*cv)->is_method) {
                    method_cache_fill(code, ARG(), vm_class_of(vm, o), name, cv);
                    val_incref(*cv);
                    TOP() = *cv;
                    PUSH(o);
                    vmbreak;
                }
            }
            SAVE();
            Value v = vm_getattr(t, o, name);
            val_decref(o);
            if (IS_ERR(v)) {
                sp--;
                goto error;
            }
            TOP() = VAL_ERR;
            PUSH(v);
            vmbreak;
        }
        vmcase(LOAD_SUPER_METHOD)
        vmcase(LOAD_SUPER_ATTR) {
            SAVE();
            ObjFunc *fn = fr->func;
            ObjStr *name = code->names[ARG()];
            Value self = slots[0];
            if (!fn->owner || IS_ERR(self)) {
                vm_raise(t, EXC_RuntimeError, "super(): no arguments");
                goto error;
            }
            Value *cv = vm_class_lookup(fn->owner->base, name);
            if (!cv) {
                vm_raise(t, EXC_AttributeError, "'super' object has no attribute '%s'", name->chars);
                goto error;
            }
            if (INSTR_OP(ins) == OP_LOAD_SUPER_METHOD &&
                (IS_KIND(*cv, OBJ_FUNC) || IS_KIND(*cv, OBJ_NATIVE))) {
                PUSH(val_dup(*cv));
                PUSH(val_dup(self));
                vmbreak;
            }
            Value v = IS_KIND(*cv, OBJ_NATIVE) ? bind(t, self, *cv) : class_attr_get(t, self, fn->owner, *cv);
            if (IS_ERR(v))
                goto error;
            if (INSTR_OP(ins) == OP_LOAD_SUPER_METHOD)
                PUSH(VAL_ERR);
            PUSH(v);
            vmbreak;
        }
        vmcase(ADD) {
            Value b = vget(sp - 1), a = vget(sp - 2);
            if (a.kind == V_OBJ && b.kind == V_OBJ && a.as.o->kind == OBJ_STR && b.as.o->kind == OBJ_STR) {
                ObjStr *s = str_concat(vm, AS_STR(a), AS_STR(b));
                sp -= 2;
                val_decref(a);
                val_decref(b);
                PUSH(val_obj(&s->obj));
                vmbreak;
            }
            ARITH(vm_binop, BINOP_ADD, +, add_ovf);
            vmbreak;
        }
        vmcase(SUB) {
            ARITH(vm_binop, BINOP_SUB, -, sub_ovf);
            vmbreak;
        }
        vmcase(MUL) {
            ARITH(vm_binop, BINOP_MUL, *, mul_ovf);
            vmbreak;
        }
        vmcase(INPLACE_ADD) {
            Value b = vget(sp - 1), a = vget(sp - 2);
            if (a.kind == V_OBJ && b.kind == V_OBJ && a.as.o->kind == OBJ_STR && b.as.o->kind == OBJ_STR) {
                uint32_t next = *ip;
                if (INSTR_OP(next) == OP_STORE_FAST &&
                    str_append_inplace(t, &slots[INSTR_A(next)], &sp[-2], AS_STR(b))) {
                    sp--;
                    val_decref(b);
                    vmbreak;
                }
                ObjStr *s = str_concat(vm, AS_STR(a), AS_STR(b));
                sp -= 2;
                val_decref(a);
                val_decref(b);
                PUSH(val_obj(&s->obj));
                vmbreak;
            }
            ARITH(vm_inplace, BINOP_ADD, +, add_ovf);
            vmbreak;
        }
        vmcase(INPLACE_SUB) {
            ARITH(vm_inplace, BINOP_SUB, -, sub_ovf);
            vmbreak;
        }
        vmcase(INCR_FAST) {
            uint32_t a = ARG();
            Value *x = &slots[a & 0xfff];
            int64_t k = (int64_t)(a >> 12) - 2048, r;
            if (x->kind == V_INT && !__builtin_add_overflow(x->as.i, k, &r)) {
                x->as.i = r;
                vmbreak;
            }
            SAVE();
            if (x->kind == V_ERR) {
                vm_raise(t, EXC_UnboundLocalError,
                         "cannot access local variable '%s' where it is not associated with a value",
                         code->varnames[a & 0xfff]->chars);
                goto error;
            }
            Value nv = vm_inplace(t, BINOP_ADD, *x, val_int(k));
            if (IS_ERR(nv))
                goto error;
            val_decref(*x);
            *x = nv;
            vmbreak;
        }
        vmcase(BINARY_IMM) {
            Value a = vget(sp - 1);
            int op = (int)(ARG() & 0xf);
            int64_t k = (int64_t)(ARG() >> 4) - BINIMM_BIAS, r;
            if (a.kind == V_INT) {
                switch (op) {
                case BINOP_ADD:
                    if (__builtin_add_overflow(a.as.i, k, &r)) goto binimm_slow;
                    break;
                case BINOP_SUB:
                    if (__builtin_sub_overflow(a.as.i, k, &r)) goto binimm_slow;
                    break;
                case BINOP_MUL:
                    if (__builtin_mul_overflow(a.as.i, k, &r)) goto binimm_slow;
                    break;
                case BINOP_MOD:
                    if (k <= 0 || a.as.i < 0) goto binimm_slow;
                    r = a.as.i % k;
                    break;
                case BINOP_FLOORDIV:
                    if (k <= 0 || a.as.i < 0) goto binimm_slow;
                    r = a.as.i / k;
                    break;
                case BINOP_AND: r = a.as.i & k; break;
                default: goto binimm_slow;
                }
                sp[-1] = val_int(r);
                vmbreak;
            }
            if (a.kind == V_FLOAT && op <= BINOP_TRUEDIV && (op != BINOP_TRUEDIV || k != 0)) {
                double f = a.as.f, kf = (double)k;
                sp[-1] = val_float(op == BINOP_ADD ? f + kf : op == BINOP_SUB ? f - kf : op == BINOP_MUL ? f * kf : f / kf);
                vmbreak;
            }
        binimm_slow:
            SAVE();
            Value res = vm_binop(t, op, a, val_int(k));
            val_decref(a);
            if (IS_ERR(res)) {
                sp--;
                goto error;
            }
            sp[-1] = res;
            vmbreak;
        }
        vmcase(COMPARE_IMM) {
            Value a = vget(sp - 1);
            int cop = (int)(ARG() & 7);
            int64_t k = (int64_t)(ARG() >> 3) - CMPIMM_BIAS;
            bool c_;
            if (a.kind == V_INT) {
                switch (cop) {
                case CMP_LT: c_ = a.as.i < k; break;
                case CMP_LE: c_ = a.as.i <= k; break;
                case CMP_EQ: c_ = a.as.i == k; break;
                case CMP_NE: c_ = a.as.i != k; break;
                case CMP_GT: c_ = a.as.i > k; break;
                default: c_ = a.as.i >= k; break;
                }
            } else {
                SAVE();
                int r = vm_compare(t, a, val_int(k), cop);
                val_decref(a);
                if (r < 0) {
                    sp--;
                    goto error;
                }
                c_ = r;
            }
            uint32_t n_ = *ip;
            switch (INSTR_OP(n_)) {
            case OP_POP_JUMP_IF_FALSE:
                sp--;
                ip = c_ ? ip + 1 : code->code + INSTR_A(n_);
                vmbreak;
            case OP_POP_JUMP_IF_TRUE:
                sp--;
                ip = c_ ? code->code + INSTR_A(n_) : ip + 1;
                vmbreak;
            case OP_POP_JUMP_BACK_IF_TRUE:
                sp--;
                if (!c_) {
                    ip++;
                    vmbreak;
                }
                t->ticks += (uint64_t)(ip + 1 - (code->code + INSTR_A(n_)));
                CHECK_TRAP();
                ip = code->code + INSTR_A(n_);
                vmbreak;
            default:
                sp[-1] = val_bool(c_);
                vmbreak;
            }
        }
        vmcase(BINARY)
        vmcase(INPLACE) {
            Value ib = vget(sp - 1), ia = vget(sp - 2);
            if (ia.kind == V_INT && ib.kind == V_INT && ib.as.i > 0 && ia.as.i >= 0) {
                int64_t r;
                switch (ARG()) {
                case BINOP_MOD: r = ia.as.i % ib.as.i; goto binary_int;
                case BINOP_FLOORDIV: r = ia.as.i / ib.as.i; goto binary_int;
                case BINOP_AND: r = ia.as.i & ib.as.i; goto binary_int;
                case BINOP_OR: r = ia.as.i | ib.as.i; goto binary_int;
                case BINOP_XOR: r = ia.as.i ^ ib.as.i; goto binary_int;
                case BINOP_RSHIFT: r = ib.as.i < 64 ? ia.as.i >> ib.as.i : 0; goto binary_int;
                default: break;
                }
                goto binary_slow;
            binary_int:
                sp--;
                sp[-1] = val_int(r);
                vmbreak;
            }
        binary_slow:
            SAVE();
            Value b = POP(), a = vget(sp - 1);
            Value r = INSTR_OP(ins) == OP_BINARY ? vm_binop(t, (int)ARG(), a, b) : vm_inplace(t, (int)ARG(), a, b);
            val_decref(a);
            val_decref(b);
            if (IS_ERR(r)) {
                sp--;
                goto error;
            }
            TOP() = r;
            vmbreak;
        }
        vmcase(LT) { COMPARE(CMP_LT, <); vmbreak; }
        vmcase(LE) { COMPARE(CMP_LE, <=); vmbreak; }
        vmcase(GT) { COMPARE(CMP_GT, >); vmbreak; }
        vmcase(GE) { COMPARE(CMP_GE, >=); vmbreak; }
        vmcase(EQ) { COMPARE(CMP_EQ, ==); vmbreak; }
        vmcase(NE) { COMPARE(CMP_NE, !=); vmbreak; }
        vmcase(IS)
        vmcase(IS_NOT) {
            Value b = POP(), a = vget(sp - 1);
            bool same = a.kind == b.kind && (a.kind == V_NONE || a.as.i == b.as.i);
            if (a.kind == V_FLOAT)
                same = memcmp(&a.as.f, &b.as.f, sizeof(double)) == 0;
            val_decref(a);
            val_decref(b);
            TOP() = val_bool(INSTR_OP(ins) == OP_IS ? same : !same);
            vmbreak;
        }
        vmcase(IN)
        vmcase(NOT_IN) {
            SAVE();
            Value b = POP(), a = vget(sp - 1);
            int r = vm_contains(t, b, a);
            val_decref(a);
            val_decref(b);
            if (r < 0) {
                sp--;
                goto error;
            }
            TOP() = val_bool(INSTR_OP(ins) == OP_IN ? r : !r);
            vmbreak;
        }
        vmcase(UNARY_NOT) {
            Value a = vget(sp - 1);
            if (a.kind == V_BOOL) {
                TOP() = val_bool(!a.as.i);
                vmbreak;
            }
            SAVE();
            int r = vm_truthy(t, a);
            val_decref(a);
            if (r < 0) {
                sp--;
                goto error;
            }
            TOP() = val_bool(!r);
            vmbreak;
        }
        vmcase(UNARY_NEG)
        vmcase(UNARY_POS)
        vmcase(UNARY_INVERT) {
            SAVE();
            Value a = vget(sp - 1);
            Value r = vm_unary(t, (int)INSTR_OP(ins), a);
            val_decref(a);
            if (IS_ERR(r)) {
                sp--;
                goto error;
            }
            TOP() = r;
            vmbreak;
        }
        vmcase(SUBSCR) {
            Value k = POP(), o = vget(sp - 1);
            if (k.kind == V_INT && o.kind == V_OBJ && o.as.o->kind == OBJ_LIST) {
                ObjList *l = (ObjList *)o.as.o;
                int64_t i = k.as.i < 0 ? k.as.i + l->len : k.as.i;
                if (i >= 0 && i < l->len) {
                    Value v = l->items[i];
                    val_incref(v);
                    TOP() = v;
                    obj_decref(&l->obj);
                    vmbreak;
                }
            }
            SAVE();
            Value r = vm_getitem(t, o, k);
            val_decref(o);
            val_decref(k);
            if (IS_ERR(r)) {
                sp--;
                goto error;
            }
            TOP() = r;
            vmbreak;
        }
        vmcase(SLICE) {
            Value hi = POP(), lo = POP(), o = vget(sp - 1);
            SAVE();
            Value r = slice2(t, o, lo, hi);
            val_decref(o);
            val_decref(lo);
            val_decref(hi);
            if (IS_ERR(r)) {
                sp--;
                goto error;
            }
            sp[-1] = r;
            vmbreak;
        }
        vmcase(STORE_SUBSCR) {
            Value k = POP(), o = POP(), v = POP();
            if (k.kind == V_INT && o.kind == V_OBJ && o.as.o->kind == OBJ_LIST) {
                ObjList *l = (ObjList *)o.as.o;
                int64_t i = k.as.i < 0 ? k.as.i + l->len : k.as.i;
                if (i >= 0 && i < l->len) {
                    Value old = l->items[i];
                    l->items[i] = v;
                    val_decref(old);
                    obj_decref(&l->obj);
                    vmbreak;
                }
            }
            SAVE();
            int r = vm_setitem(t, o, k, v);
            val_decref(k);
            val_decref(o);
            val_decref(v);
            if (r < 0)
                goto error;
            vmbreak;
        }
        vmcase(DELETE_SUBSCR) {
            SAVE();
            Value k = POP(), o = POP();
            int r = vm_delitem(t, o, k);
            val_decref(k);
            val_decref(o);
            if (r < 0)
                goto error;
            vmbreak;
        }
        vmcase(BUILD_SLICE) {
            ObjSlice *s = (ObjSlice *)obj_alloc(vm, sizeof(ObjSlice), OBJ_SLICE, vm->types[TY_SLICE]);
            s->step = ARG() == 3 ? POP() : VAL_NONE;
            s->stop = POP();
            s->start = POP();
            PUSH(val_obj(&s->obj));
            vmbreak;
        }
        vmcase(BUILD_LIST) {
            int n = (int)ARG();
            ObjList *l = list_new(vm, n);
            sp -= n;
            if (n)
                memcpy(l->items, sp, sizeof(Value) * (size_t)n);
            l->len = n;
            PUSH(val_obj(&l->obj));
            vmbreak;
        }
        vmcase(BUILD_TUPLE) {
            int n = (int)ARG();
            ObjTuple *tu = tuple_new(vm, n);
            sp -= n;
            if (n)
                memcpy(tu->items, sp, sizeof(Value) * (size_t)n);
            PUSH(val_obj(&tu->obj));
            vmbreak;
        }
        vmcase(BUILD_SET) {
            SAVE();
            int n = (int)(ARG() & 0x7fffff);
            Value *base = sp - n;
            if (ARG() & (1u << 23)) {
                Value sv = set_from_const_items(t, base, n);
                for (int i = 0; i < n; i++)
                    val_decref(base[i]);
                sp = base;
                if (IS_ERR(sv))
                    goto error;
                PUSH(sv);
                vmbreak;
            }
            ObjSet *s = set_new(vm);
            int err = 0;
            for (int i = 0; i < n; i++) {
                if (!err && set_add(t, s, base[i]) < 0)
                    err = 1;
                val_decref(base[i]);
            }
            sp = base;
            PUSH(val_obj(&s->obj));
            if (err)
                goto error;
            vmbreak;
        }
        vmcase(BUILD_DICT) {
            SAVE();
            int n = (int)ARG();
            ObjDict *d = dict_new(vm);
            Value *base = sp - 2 * n;
            int err = 0;
            for (int i = 0; i < n; i++) {
                if (!err && dict_set(t, d, base[2 * i], base[2 * i + 1]) < 0)
                    err = 1;
                val_decref(base[2 * i]);
                val_decref(base[2 * i + 1]);
            }
            sp = base;
            PUSH(val_obj(&d->obj));
            if (err)
                goto error;
            vmbreak;
        }
        vmcase(BUILD_STRING) {
            int n = (int)ARG();
            StrBuf sb;
            sb_init(&sb);
            Value *base = sp - n;
            for (int i = 0; i < n; i++) {
                sb_append(&sb, AS_STR(base[i])->chars, AS_STR(base[i])->len);
                val_decref(base[i]);
            }
            sp = base;
            PUSH(val_obj(&sb_to_str(vm, &sb)->obj));
            vmbreak;
        }
        vmcase(FORMAT_VALUE) {
            SAVE();
            int a = (int)ARG();
            Value spec = (a & 1) ? POP() : VAL_ERR;
            Value v = vget(sp - 1);
            Value r = vm_format_value(t, v, a >> 1, spec);
            val_decref(spec);
            val_decref(v);
            if (IS_ERR(r)) {
                sp--;
                goto error;
            }
            TOP() = r;
            vmbreak;
        }
        vmcase(LIST_APPEND) {
            Value v = POP();
            list_append_steal(AS_LIST(PEEK((int)ARG())), v);
            vmbreak;
        }
        vmcase(SET_ADD) {
            SAVE();
            Value v = POP();
            int r = set_add(t, (ObjSet *)AS_OBJ(PEEK((int)ARG())), v);
            val_decref(v);
            if (r < 0)
                goto error;
            vmbreak;
        }
        vmcase(MAP_ADD) {
            SAVE();
            Value v = POP(), k = POP();
            int r = dict_set(t, AS_DICT(PEEK((int)ARG())), k, v);
            val_decref(k);
            val_decref(v);
            if (r < 0)
                goto error;
            vmbreak;
        }
        vmcase(LIST_EXTEND) {
            SAVE();
            Value it = POP();
            int r = list_extend(t, AS_LIST(TOP()), it);
            val_decref(it);
            if (r < 0)
                goto error;
            vmbreak;
        }
        vmcase(SET_UPDATE) {
            SAVE();
            Value itv = POP();
            Value it = vm_iter(t, itv);
            val_decref(itv);
            if (IS_ERR(it))
                goto error;
            for (;;) {
                Value x = vm_next(t, it);
                if (IS_ERR(x))
                    break;
                int r = set_add(t, (ObjSet *)AS_OBJ(TOP()), x);
                val_decref(x);
                if (r < 0)
                    break;
            }
            val_decref(it);
            if (!IS_ERR(t->exc))
                goto error;
            vmbreak;
        }
        vmcase(DICT_UPDATE) {
            SAVE();
            Value m = POP();
            int r;
            if (!IS_DICT(m)) {
                vm_raise(t, EXC_TypeError, "argument after ** must be a mapping, not %s", vm_type_name(vm, m));
                r = -1;
            } else {
                r = dict_update(t, AS_DICT(TOP()), m);
            }
            val_decref(m);
            if (r < 0)
                goto error;
            vmbreak;
        }
        vmcase(LIST_TO_TUPLE) {
            ObjList *l = AS_LIST(TOP());
            ObjTuple *tu = tuple_new(vm, l->len);
            for (int64_t i = 0; i < l->len; i++)
                tu->items[i] = val_dup(l->items[i]);
            obj_decref(&l->obj);
            TOP() = val_obj(&tu->obj);
            vmbreak;
        }
        vmcase(UNPACK_SEQUENCE) {
            int n = (int)ARG();
            Value seq = vget(sp - 1);
            const Value *items = NULL;
            int64_t len = -1;
            if (IS_TUPLE(seq)) {
                items = AS_TUPLE(seq)->items;
                len = AS_TUPLE(seq)->len;
            } else if (IS_LIST(seq)) {
                items = AS_LIST(seq)->items;
                len = AS_LIST(seq)->len;
            }
            SAVE();
            ObjList *tmp = NULL;
            if (!items) {
                tmp = vm_list_from_iter(t, seq);
                if (!tmp) {
                    val_decref(POP());
                    goto error;
                }
                items = tmp->items;
                len = tmp->len;
            }
            if (len != n) {
                if (len > n)
                    vm_raise(t, EXC_ValueError, "too many values to unpack (expected %d)", n);
                else
                    vm_raise(t, EXC_ValueError, "not enough values to unpack (expected %d, got %lld)", n,
                             (long long)len);
                if (tmp)
                    obj_decref(&tmp->obj);
                val_decref(POP());
                goto error;
            }
            sp--;
            for (int i = n - 1; i >= 0; i--)
                PUSH(val_dup(items[i]));
            if (tmp)
                obj_decref(&tmp->obj);
            val_decref(seq);
            vmbreak;
        }
        vmcase(UNPACK_EX) {
            int before = (int)(ARG() & 0xff), after = (int)(ARG() >> 8);
            SAVE();
            Value seq = POP();
            ObjList *l = vm_list_from_iter(t, seq);
            val_decref(seq);
            if (!l)
                goto error;
            if (l->len < before + after) {
                vm_raise(t, EXC_ValueError, "not enough values to unpack (expected at least %d, got %lld)",
                         before + after, (long long)l->len);
                obj_decref(&l->obj);
                goto error;
            }
            int64_t mid = l->len - before - after;
            for (int i = after - 1; i >= 0; i--)
                PUSH(val_dup(l->items[before + mid + i]));
            ObjList *star = list_new(vm, mid);
            for (int64_t i = 0; i < mid; i++)
                list_append(star, l->items[before + i]);
            PUSH(val_obj(&star->obj));
            for (int i = before - 1; i >= 0; i--)
                PUSH(val_dup(l->items[i]));
            obj_decref(&l->obj);
            vmbreak;
        }
        vmcase(JUMP) {
            ip = code->code + ARG();
            vmbreak;
        }
        vmcase(JUMP_BACK) {
            t->ticks += (uint64_t)(ip - (code->code + ARG()));   /* the loop body's length */
            CHECK_TRAP();   /* before jumping, so a traceback names this line */
            ip = code->code + ARG();
            vmbreak;
        }
        vmcase(POP_JUMP_IF_FALSE)
        vmcase(POP_JUMP_IF_TRUE)
        vmcase(POP_JUMP_BACK_IF_TRUE) {
            Value v = POP();
            int truth;
            if (v.kind == V_BOOL) {
                truth = (int)v.as.i;
            } else if (v.kind == V_INT) {
                truth = v.as.i != 0;
            } else if (v.kind == V_NONE) {
                truth = 0;
            } else {
                SAVE();
                truth = vm_truthy(t, v);
                val_decref(v);
                if (truth < 0)
                    goto error;
            }
            int op = (int)INSTR_OP(ins);
            if (op == OP_POP_JUMP_IF_FALSE ? !truth : truth) {
                if (op == OP_POP_JUMP_BACK_IF_TRUE) {
                    t->ticks += (uint64_t)(ip - (code->code + ARG()));
                    CHECK_TRAP();
                }
                ip = code->code + ARG();
            }
            vmbreak;
        }
        vmcase(JUMP_IF_FALSE_OR_POP)
        vmcase(JUMP_IF_TRUE_OR_POP) {
            Value v = vget(sp - 1);
            int truth;
            if (v.kind == V_BOOL) {
                truth = (int)v.as.i;
            } else {
                SAVE();
                truth = vm_truthy(t, v);
                if (truth < 0)
                    goto error;
            }
            if (INSTR_OP(ins) == OP_JUMP_IF_FALSE_OR_POP ? !truth : truth) {
                ip = code->code + ARG();
            } else {
                sp--;
                val_decref(v);
            }
            vmbreak;
        }
        vmcase(GET_ITER) {
            Value v = vget(sp - 1);
            if (IS_KIND(v, OBJ_ITER))
                vmbreak;
            SAVE();
            Value it = vm_iter(t, v);
            val_decref(v);
            if (IS_ERR(it)) {
                sp--;
                goto error;
            }
            TOP() = it;
            vmbreak;
        }
        vmcase(FOR_ITER) {
            Value itv = vget(sp - 1);
            Value v;
            if (IS_KIND(itv, OBJ_ITER)) {
                ObjIter *it = AS_ITER(itv);
                if (it->next == iter_range_next) {
                    if (it->i < it->n) {
                        v = val_int(it->aux.as.i + it->i * it->step);
                        it->i++;
                        goto for_got;
                    }
                    goto for_done;
                }
                if (it->next == iter_list_next) {
                    ObjList *l = AS_LIST(it->seq);
                    if (it->i < l->len) {
                        v = vget(&l->items[it->i++]);
                        val_incref(v);
                        goto for_got;
                    }
                    goto for_done;
                }
                SAVE();
                v = it->next(t, it);
            } else {
                SAVE();
                v = vm_next(t, itv);
            }
            if (!IS_ERR(v))
                goto for_got;
            if (!IS_ERR(t->exc))
                goto error;
            goto for_done;
        for_got: {
                /* the loop variable is usually a local: store it here */
                uint32_t n_ = *ip;
                if (INSTR_OP(n_) == OP_STORE_FAST) {
                    Value old = vget(&slots[INSTR_A(n_)]);
                    slots[INSTR_A(n_)] = v;
                    val_decref(old);
                    ip++;
                    vmbreak;
                }
                PUSH(v);
                vmbreak;
            }
        for_done:
            val_decref(POP());
            ip = code->code + ARG();
            vmbreak;
        }
        vmcase(CALL)
        vmcase(CALL_KW)
        vmcase(CALL_METHOD)
        vmcase(CALL_METHOD_KW) {
            int op = (int)INSTR_OP(ins);
            int argc = (int)ARG();
            ObjTuple *kw = NULL;
            Value kwv = VAL_ERR;
            if (op == OP_CALL_KW || op == OP_CALL_METHOD_KW) {
                kwv = POP();
                kw = AS_TUPLE(kwv);
            }
            Value *f = sp - argc - 1;
            Value *ret = f;
            if (op == OP_CALL_METHOD || op == OP_CALL_METHOD_KW) {
                f = sp - argc - 2;
                ret = f;
                if (f[0].kind == V_ERR) {
                    f++;
                } else {
                    argc++;
                }
            }
            /* fast path: a plain Python function with exactly its positional arguments */
            if (f[0].kind == V_OBJ && f[0].as.o->kind == OBJ_FUNC && !kw) {
                ObjFunc *fn = (ObjFunc *)f[0].as.o;
                Code *c = fn->code;
                if ((c->flags & CO_SIMPLE) && argc == c->nparams && c->ncells + c->nfree == 0 &&
                    t->depth < vm->max_depth && f + 1 + c->nlocals + c->maxstack + 8 < t->stack_end) {
                    for (int i = argc; i < c->nlocals; i++)
                        f[1 + i] = VAL_ERR;
                    fr->ip = ip;
                    Frame *nf = frame_push(t);
                    obj_incref(&fn->obj);
                    nf->func = fn;
                    nf->code = c;
                    nf->ip = c->code;
                    nf->slots = f + 1;
                    nf->ret = ret;
                    nf->globals = fn->globals;
                    LOAD_FRAME();
                    sp = slots + c->nlocals;
                    t->ticks++;
                    CHECK_TRAP();
                    vmbreak;
                }
            }
            if (f[0].kind == V_OBJ && f[0].as.o->kind == OBJ_NATIVE && !kw &&
                ((ObjNative *)f[0].as.o)->is_method && argc >= 1 && t->native_depth < MAX_NATIVE_DEPTH) {
                /* m self args: a method of a builtin type, called directly */
                ObjNative *nat = (ObjNative *)f[0].as.o;
                if (&nat->obj == vm->list_append && argc == 2 && IS_LIST(f[1])) {
                    /* xs.append(x), as CPython 3.11 specialises it */
                    list_append_steal(AS_LIST(f[1]), f[2]);
                    obj_decref(AS_OBJ(f[1]));
                    obj_decref(AS_OBJ(f[0]));
                    sp = ret;
                    if (INSTR_OP(*ip) == OP_POP_TOP) {
                        ip++;
                        vmbreak;
                    }
                    PUSH(VAL_NONE);
                    vmbreak;
                }
                SAVE();
                t->native_depth++;
                Value out = nat->fn(t, f[1], argc - 1, f + 2, NULL);
                t->native_depth--;
                for (Value *p = ret; p < sp; p++)
                    val_decref(*p);
                sp = ret;
                if (IS_ERR(out))
                    goto error;
                if (INSTR_OP(*ip) == OP_POP_TOP) {
                    /* a call statement: drop the result here */
                    ip++;
                    val_decref(out);
                    vmbreak;
                }
                PUSH(out);
                vmbreak;
            }
            SAVE();
            t->sp = sp;
            Value out = VAL_ERR;
            int nvals;
            int r = call_value(t, f, argc, kw, ret, &out, &nvals);
            val_decref(kwv);
            if (r == CALL_FRAME) {
                Frame *nf = &t->frames[t->depth - 1];
                LOAD_FRAME();
                sp = slots + code->nlocals;
                (void)nf;
                t->ticks++;
                CHECK_TRAP();
                vmbreak;
            }
            Value *end = f + nvals;
            for (Value *p = ret; p < end; p++)
                val_decref(*p);
            sp = ret;
            if (r == CALL_ERR)
                goto error;
            PUSH(out);
            vmbreak;
        }
        vmcase(CALL_EX) {
            SAVE();
            Value kwargs = ARG() ? POP() : VAL_ERR;
            Value args = POP();
            Value callee = vget(sp - 1);
            ObjTuple *targs = AS_TUPLE(args);
            int n = (int)targs->len;
            int nkw = IS_ERR(kwargs) ? 0 : (int)AS_DICT(kwargs)->len;
            Value *tmp = mem_alloc(sizeof(Value) * (size_t)(n + nkw + 1));
            for (int i = 0; i < n; i++)
                tmp[i] = targs->items[i];
            ObjTuple *names = NULL;
            if (nkw) {
                names = tuple_new(vm, nkw);
                int64_t pos = 0;
                Value k, v;
                int j = 0;
                bool bad = false;
                while (dict_next(AS_DICT(kwargs), &pos, &k, &v)) {
                    if (!IS_STR(k))
                        bad = true;
                    names->items[j] = val_dup(k);
                    tmp[n + j] = v;
                    j++;
                }
                if (bad) {
                    mem_free(tmp);
                    obj_decref(&names->obj);
                    val_decref(kwargs);
                    val_decref(args);
                    vm_raise(t, EXC_TypeError, "keywords must be strings");
                    goto error;
                }
            }
            t->sp = sp;
            Value r = vm_call(t, callee, n + nkw, tmp, names);
            mem_free(tmp);
            if (names)
                obj_decref(&names->obj);
            val_decref(kwargs);
            val_decref(args);
            val_decref(callee);
            if (IS_ERR(r)) {
                sp--;
                goto error;
            }
            TOP() = r;
            vmbreak;
        }
        vmcase(RETURN_VALUE) {
            Value r = POP();
            if (!fr->cells && !fr->locals && IS_ERR(fr->init_self) && !fr->c_entry) {
                /* the common return: a plain function back to a Python caller */
                Value *ret = fr->ret;
                for (Value *p = ret; p < sp; p++)
                    val_decref(*p);
                obj_decref(&fr->func->obj);
                t->nblocks = fr->block_base;
                t->depth--;
                sp = ret;
                PUSH(r);
                LOAD_FRAME();
                vmbreak;
            }
            if (!IS_ERR(fr->init_self)) {
                if (!IS_NONE(r)) {
                    SAVE();
                    val_decref(r);
                    vm_raise(t, EXC_TypeError, "__init__() should return None, not '%s'", vm_type_name(vm, r));
                    goto error;
                }
                r = fr->init_self;
                fr->init_self = VAL_ERR;
            } else if (code->flags & CO_CLASSBODY) {
                /* LOAD_LOCALS already produced the namespace */
            }
            Value *ret = fr->ret;
            bool c_entry = fr->c_entry;
            frame_pop(t, sp);
            if (c_entry) {
                t->sp = ret;
                return r;
            }
            sp = ret;
            PUSH(r);
            LOAD_FRAME();
            vmbreak;
        }
        vmcase(MAKE_FUNCTION) {
            int flags = (int)ARG();
            Code *c = (Code *)AS_OBJ(POP());
            ObjFunc *fn = (ObjFunc *)obj_alloc(vm, sizeof(ObjFunc), OBJ_FUNC, vm->types[TY_FUNCTION]);
            fn->code = c;   /* takes the popped reference */
            fn->globals = fr->globals;
            obj_incref(&fn->globals->obj);
            if (flags & 4) {
                ObjTuple *cl = AS_TUPLE(POP());
                fn->cells = mem_alloc(sizeof(ObjCell *) * (size_t)cl->len);
                for (int64_t i = 0; i < cl->len; i++) {
                    fn->cells[i] = (ObjCell *)AS_OBJ(cl->items[i]);
                    obj_incref(&fn->cells[i]->obj);
                }
                obj_decref(&cl->obj);
            }
            if (flags & 2)
                fn->kwdefaults = AS_DICT(POP());
            if (flags & 1) {
                ObjTuple *d = AS_TUPLE(POP());
                fn->ndefaults = (int)d->len;
                fn->defaults = mem_alloc(sizeof(Value) * (size_t)d->len);
                for (int64_t i = 0; i < d->len; i++)
                    fn->defaults[i] = val_dup(d->items[i]);
                obj_decref(&d->obj);
            }
            PUSH(val_obj(&fn->obj));
            vmbreak;
        }
        vmcase(BUILD_CLASS) {
            SAVE();
            Value bases = POP(), ns = POP();
            Value cls = build_class(t, AS_STR(consts[ARG()]), AS_TUPLE(bases), AS_DICT(ns));
            val_decref(bases);
            val_decref(ns);
            if (IS_ERR(cls))
                goto error;
            PUSH(cls);
            vmbreak;
        }
        vmcase(SETUP_TRY) {
            if (t->nblocks == t->blocks_cap) {
                t->blocks_cap *= 2;
                t->blocks = mem_realloc(t->blocks, sizeof(Block) * (size_t)t->blocks_cap);
            }
            Block *b = &t->blocks[t->nblocks++];
            b->kind = BLK_TRY;
            b->handler = (int)ARG();
            b->level = sp - t->stack;
            b->saved = VAL_ERR;
            vmbreak;
        }
        vmcase(POP_BLOCK) {
            t->nblocks--;
            vmbreak;
        }
        vmcase(POP_EXCEPT) {
            Block *b = &t->blocks[--t->nblocks];
            val_decref(t->handling);
            t->handling = b->saved;
            val_decref(POP());
            vmbreak;
        }
        vmcase(EXC_MATCH) {
            SAVE();
            Value type = POP();
            int r = vm_exc_match(t, TOP(), type);
            val_decref(type);
            if (r < 0)
                goto error;
            PUSH(val_bool(r));
            vmbreak;
        }
        vmcase(RAISE) {
            SAVE();
            int n = (int)ARG();
            if (n == 0) {
                if (IS_ERR(t->handling)) {
                    vm_raise(t, EXC_RuntimeError, "No active exception to reraise");
                    goto error;
                }
                val_decref(t->exc);
                t->exc = val_dup(t->handling);
                goto error;
            }
            Value cause = n == 2 ? POP() : VAL_ERR;
            Value exc = POP();
            vm_raise_value(t, exc);
            val_decref(exc);
            if (n == 2 && IS_INSTANCE(t->exc)) {
                if (!IS_NONE(cause) && !vm_isinstance(vm, cause, vm->exc[EXC_BaseException]) &&
                    !(IS_CLASS(cause) && vm_is_subclass(AS_CLASS(cause), vm->exc[EXC_BaseException]))) {
                    val_decref(cause);
                    vm_raise(t, EXC_TypeError, "exception causes must derive from BaseException");
                    goto error;
                }
                dict_set_str(vm, AS_INSTANCE(t->exc)->dict, str_intern_cstr(vm, "__cause__"), cause);
                dict_set_str(vm, AS_INSTANCE(t->exc)->dict, str_intern_cstr(vm, "__suppress_context__"), VAL_TRUE);
            }
            val_decref(cause);
            goto error;
        }
        vmcase(RERAISE) {
            SAVE();
            Value exc = POP();
            val_decref(t->exc);
            t->exc = exc;
            t->reraise = true;
            goto error_noline;
        }
        vmcase(BEFORE_WITH) {
            SAVE();
            Value cm = vget(sp - 1);
            Value exit = vm_getattr(t, cm, vm->s_exit);
            if (IS_ERR(exit)) {
                if (vm_exc_matches(t, EXC_AttributeError)) {
                    vm_exc_clear(t);
                    vm_raise(t, EXC_TypeError,
                             "'%s' object does not support the context manager protocol", vm_type_name(vm, cm));
                }
                goto error;
            }
            Value entered = vm_call_method(t, cm, vm->s_enter, 0, NULL);
            if (IS_ERR(entered)) {
                val_decref(exit);
                goto error;
            }
            val_decref(cm);
            TOP() = exit;
            PUSH(entered);
            vmbreak;
        }
        vmcase(WITH_EXIT) {
            SAVE();
            Value exit = POP();
            Value args[3] = {VAL_NONE, VAL_NONE, VAL_NONE};
            t->sp = sp;
            Value r = vm_call(t, exit, 3, args, NULL);
            val_decref(exit);
            if (IS_ERR(r))
                goto error;
            val_decref(r);
            vmbreak;
        }
        vmcase(WITH_EXCEPT) {
            SAVE();
            Value exc = vget(sp - 1), exit = vget(sp - 2);
            Value args[3] = {val_obj(&vm_class_of(vm, exc)->obj), exc, VAL_NONE};
            Value r = vm_call(t, exit, 3, args, NULL);
            if (IS_ERR(r))
                goto error;
            int truth = vm_truthy(t, r);
            val_decref(r);
            if (truth < 0)
                goto error;
            PUSH(val_bool(truth));
            vmbreak;
        }
        vmcase(LOAD_ASSERTION) {
            PUSH(val_dup(val_obj(&vm->exc[EXC_AssertionError]->obj)));
            vmbreak;
        }
        vmcase(IMPORT_NAME) {
            SAVE();
            Value m = import_module(t, code->names[ARG()]);
            if (IS_ERR(m))
                goto error;
            PUSH(m);
            vmbreak;
        }
        vmcase(IMPORT_FROM) {
            SAVE();
            Value m = vget(sp - 1);
            ObjStr *name = code->names[ARG()];
            Value v = vm_getattr_opt(t, m, name);
            if (IS_ERR(v)) {
                if (IS_ERR(t->exc))
                    vm_raise(t, EXC_ImportError, "cannot import name '%s' from '%s'", name->chars,
                             IS_KIND(m, OBJ_MODULE) ? AS_MODULE(m)->name->chars : "?");
                goto error;
            }
            PUSH(v);
            vmbreak;
        }
        vmcase(IMPORT_STAR) {
            Value m = POP();
            if (IS_KIND(m, OBJ_MODULE)) {
                int64_t pos = 0;
                Value k, v;
                while (dict_next(AS_MODULE(m)->dict, &pos, &k, &v))
                    if (IS_STR(k) && AS_STR(k)->chars[0] != '_')
                        dict_set_str(vm, fr->globals, AS_STR(k), v);
            }
            val_decref(m);
            vmbreak;
        }
#ifndef COMPUTED_GOTO
        default:
            SAVE();
            vm_raise(t, EXC_RuntimeError, "bad opcode %u", INSTR_OP(ins));
            goto error;
#endif
        }
        continue;

    error:
        t->reraise = false;
        exc_set_context(t);
    error_noline:
        /* t->exc is set; fr->ip is saved.  Unwind to a handler. */
        for (;;) {
            if (!t->reraise)
                traceback_add(t, fr);
            t->reraise = false;
            bool handled = false;
            while (t->nblocks > fr->block_base) {
                Block b = t->blocks[--t->nblocks];
                if (b.kind == BLK_HANDLER) {
                    val_decref(t->handling);
                    t->handling = b.saved;
                    continue;
                }
                Value *level = t->stack + b.level;
                while (sp > level)
                    val_decref(*--sp);
                Value exc = t->exc;
                t->exc = VAL_ERR;
                Block *h = &t->blocks[t->nblocks++];
                h->kind = BLK_HANDLER;
                h->handler = 0;
                h->level = b.level;
                h->saved = t->handling;
                t->handling = val_dup(exc);
                PUSH(exc);
                ip = code->code + b.handler;
                handled = true;
                break;
            }
            if (handled)
                break;
            Value *ret = fr->ret;
            bool c_entry = fr->c_entry;
            frame_pop(t, sp);
            sp = ret;
            if (c_entry) {
                t->sp = ret;
                return VAL_ERR;
            }
            LOAD_FRAME();
        }
    }
}

/* ---- running code -------------------------------------------------------------- */

Value vm_run_code(Thread *t, Code *code, ObjDict *globals)
{
    Vm *vm = t->vm;
    ObjFunc *fn = (ObjFunc *)obj_alloc(vm, sizeof(ObjFunc), OBJ_FUNC, vm->types[TY_FUNCTION]);
    fn->code = code;
    obj_incref(&code->obj);
    fn->globals = globals;
    obj_incref(&globals->obj);
    Value r = vm_call(t, val_obj(&fn->obj), 0, NULL, NULL);
    obj_decref(&fn->obj);
    return r;
}

static void set_script_dir(Vm *vm, const char *path)
{
    mem_free(vm->script_dir);
    const char *slash = strrchr(path, '/');
    if (!slash) {
        vm->script_dir = mem_alloc(2);
        strcpy(vm->script_dir, ".");
        return;
    }
    size_t n = (size_t)(slash - path);
    vm->script_dir = mem_alloc(n + 2);
    memcpy(vm->script_dir, path, n);
    vm->script_dir[n] = 0;
    if (n == 0)
        strcpy(vm->script_dir, "/");
}

/* An error found at the end of the file (an unfinished block, an open
 * bracket) points just past the last non-blank character, as CPython's
 * does, so there is a source line to show under it. */
static void eof_error_position(const char *src, size_t len, ParseError *err)
{
    int lines = 1;
    const char *last = NULL;    /* the last non-blank byte */
    int last_line = 1;
    for (size_t i = 0; i < len; i++) {
        if (src[i] == '\n') {
            lines++;
        } else if (src[i] != ' ' && src[i] != '\t' && src[i] != '\r' && src[i] != '\f') {
            last = src + i;
            last_line = lines;
        }
    }
    if (!last || err->line <= last_line)
        return;
    const char *bol = last;
    while (bol > src && bol[-1] != '\n')
        bol--;
    err->line = last_line;
    err->col = (int)(last - bol) + 2;
}

VmStatus vm_run_main(Vm *vm, const char *path, const char *src, size_t len, int *exit_code)
{
    Thread *t = vm->main;
    *exit_code = 0;
    set_script_dir(vm, path);
    ParseError err;
    Code *code = compile_module(vm, path, src, len, &err);
    if (!code) {
        vm_flush_out(vm);
        eof_error_position(src, len, &err);
        fprintf(stderr, "%s:%d:%d: %s: %s\n", path, err.line, err.col, err.kind, err.msg);
        /* the source line and a caret under the column */
        const char *p = src, *end = src + len;
        for (int l = 1; l < err.line && p < end; p++)
            if (*p == '\n')
                l++;
        const char *eol = p;
        while (eol < end && *eol != '\n' && *eol != '\r')
            eol++;
        if (p < end && err.line >= 1) {
            int n = (int)(eol - p);
            fprintf(stderr, "    %.*s\n    ", n, p);
            for (int i = 1; i < err.col && i <= n; i++)
                fputc(p[i - 1] == '\t' ? '\t' : ' ', stderr);
            fputs("^\n", stderr);
        }
        *exit_code = VM_SYNTAX_ERROR;
        return VM_SYNTAX_ERROR;
    }
    ObjModule *mod = vm_module_new(vm, "__main__");
    dict_set_str(vm, mod->dict, vm->s_file, val_obj(&str_from_cstr(vm, path)->obj));
    Value *fv = dict_find_str(mod->dict, vm->s_file);
    obj_decref(fv->as.o);  /* dict_set_str took its own reference */
    t->sp = t->stack;
    Value r = vm_run_code(t, code, mod->dict);
    obj_decref(&code->obj);
    obj_decref(&mod->obj);
    /* as CPython: wait for the non-daemon threads before exiting -- but not
       after Ctrl-C, which must stop the run now (the trace says interrupted) */
    Value *threading = dict_find_str(vm->modules, str_intern_cstr(vm, "threading"));
    if (threading && !(IS_ERR(r) && vm_exc_matches(t, EXC_KeyboardInterrupt))) {
        Value saved = t->exc;
        t->exc = VAL_ERR;
        Value m = val_dup(*threading);
        Value sr = vm_call_method(t, m, str_intern_cstr(vm, "_shutdown"), 0, NULL);
        val_decref(m);
        if (IS_ERR(sr)) {
            if (!IS_ERR(t->exc))
                vm_print_exception(t);
        } else {
            val_decref(sr);
        }
        t->exc = saved;
    }
    VmStatus status = VM_OK;
    if (IS_ERR(r)) {
        if (vm_exc_matches(t, EXC_SystemExit)) {
            Value *args = IS_INSTANCE(t->exc) ? dict_find_str(AS_INSTANCE(t->exc)->dict, vm->s_args) : NULL;
            Value code_v = args && IS_TUPLE(*args) && AS_TUPLE(*args)->len > 0 ? AS_TUPLE(*args)->items[0] : VAL_NONE;
            if (IS_NONE(code_v)) {
                *exit_code = 0;
            } else if (IS_INTLIKE(code_v)) {
                *exit_code = (int)(code_v.as.i & 0xff);
            } else {
                Value s = vm_str(t, code_v);
                if (!IS_ERR(s)) {
                    vm_flush_out(vm);
                    fprintf(stderr, "%s\n", AS_STR(s)->chars);
                    val_decref(s);
                }
                *exit_code = 1;
            }
            vm_exc_clear(t);
        } else {
            bool interrupted = vm_exc_matches(t, EXC_KeyboardInterrupt);
            vm_print_exception(t);
            status = VM_RUNTIME_ERROR;
            /* as a shell reports a process killed by SIGINT */
            *exit_code = interrupted ? 130 : VM_RUNTIME_ERROR;
        }
    } else {
        val_decref(r);
    }
    vm_flush_out(vm);
    return status;
}

/* ---- lifetime ------------------------------------------------------------------ */

static ObjClass *class_new_raw(Vm *vm, const char *name, ObjClass *base, ObjKind layout)
{
    ObjClass *c = (ObjClass *)obj_alloc(vm, sizeof(ObjClass), OBJ_CLASS, NULL);
    c->obj.flags |= OBJF_IMMORTAL;
    c->obj.rc = 1 << 30;
    c->name = str_intern_cstr(vm, name);
    c->base = base;
    if (base)
        obj_incref(&base->obj);
    c->dict = dict_new(vm);
    c->layout = (uint16_t)layout;
    c->builtin = true;
    return c;
}

Thread *vm_thread_alloc(Vm *vm, size_t stack_values)
{
    Thread *t = mem_calloc(1, sizeof(Thread));
    t->vm = vm;
    t->exc = VAL_ERR;
    t->handling = VAL_ERR;
    t->stack = mem_alloc(sizeof(Value) * stack_values);
    t->stack_end = t->stack + stack_values;
    t->sp = t->stack;
    t->frames_cap = VM_MAX_FRAMES;
    t->frames = mmap(NULL, sizeof(Frame) * VM_MAX_FRAMES, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (t->frames == MAP_FAILED) {
        fprintf(stderr, "gilscope: out of memory (a thread's frame stack)\n");
        abort();
    }
    t->blocks_cap = 16;
    t->blocks = mem_alloc(sizeof(Block) * (size_t)t->blocks_cap);
    t->block_kind = -1;
    atomic_init(&t->tick_limit, UINT64_MAX);
    atomic_init(&t->eval_breaker, 0);
    gil_cond_init(&t->fifo_cond);
    pthread_mutex_lock(&vm->threads_lock);
    t->id = vm->next_thread_id++;
    t->next_thread = vm->threads;
    vm->threads = t;
    pthread_mutex_unlock(&vm->threads_lock);
    return t;
}

void vm_thread_free_stacks(Thread *t)
{
    mem_free(t->stack);
    if (t->frames)
        munmap(t->frames, sizeof(Frame) * VM_MAX_FRAMES);
    mem_free(t->blocks);
    t->stack = t->stack_end = t->sp = NULL;
    t->frames = NULL;
    t->blocks = NULL;
}

static void thread_free(Thread *t)
{
    vm_thread_free_stacks(t);
    pthread_cond_destroy(&t->fifo_cond);
    mem_free(t);
}

static Value object_init(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    (void)argv;
    (void)argc;
    (void)kw;
    return VAL_NONE;
    (void)t;
}

static Value type_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!arg_count(t, "type", argc, kw, 1, 1))
        return VAL_ERR;
    return val_dup(val_obj(&vm_class_of(t->vm, argv[0])->obj));
}

static Value wrapper_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw, int kind)
{
    (void)kw;
    if (argc < 1 || argc > (kind == WRAP_PROPERTY ? 2 : 1))
        return vm_raise(t, EXC_TypeError, "expected 1 argument, got %d", argc);
    ObjWrapper *w = (ObjWrapper *)obj_alloc(t->vm, sizeof(ObjWrapper), OBJ_WRAPPER, AS_CLASS(self));
    w->kind = kind;
    w->func = val_dup(argv[0]);
    w->setter = argc > 1 ? val_dup(argv[1]) : VAL_NONE;
    return val_obj(&w->obj);
}

static Value slice_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!arg_count(t, "slice", argc, kw, 1, 3))
        return VAL_ERR;
    Vm *vm = t->vm;
    ObjSlice *sl = (ObjSlice *)obj_alloc(vm, sizeof(ObjSlice), OBJ_SLICE, vm->types[TY_SLICE]);
    sl->start = argc == 1 ? VAL_NONE : val_dup(argv[0]);
    sl->stop = val_dup(argv[argc == 1 ? 0 : 1]);
    sl->step = argc == 3 ? val_dup(argv[2]) : VAL_NONE;
    return val_obj(&sl->obj);
}

static Value staticmethod_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    return wrapper_ctor(t, self, argc, argv, kw, WRAP_STATIC);
}

static Value classmethod_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    return wrapper_ctor(t, self, argc, argv, kw, WRAP_CLASS);
}

static Value property_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    return wrapper_ctor(t, self, argc, argv, kw, WRAP_PROPERTY);
}

/* @x.setter: a new property with the same getter and this setter. */
static Value property_setter(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    if (!arg_count(t, "setter", argc, kw, 1, 1))
        return VAL_ERR;
    ObjWrapper *old = (ObjWrapper *)AS_OBJ(self);
    Value args[2] = {old->func, argv[0]};
    return wrapper_ctor(t, val_obj(&t->vm->types[TY_PROPERTY]->obj), 2, args, NULL, WRAP_PROPERTY);
}

static const NativeDef object_methods[] = {
    {"__init__", object_init},
    {NULL, NULL},
};

static const NativeDef property_methods[] = {
    {"setter", property_setter},
    {NULL, NULL},
};

static void vm_init_names(Vm *vm)
{
#define N(field, s) vm->field = str_intern_cstr(vm, s)
    N(s_init, "__init__"); N(s_name, "__name__"); N(s_main, "__main__"); N(s_str, "__str__");
    N(s_repr, "__repr__"); N(s_call, "__call__"); N(s_eq, "__eq__"); N(s_hash, "__hash__");
    N(s_len, "__len__"); N(s_enter, "__enter__"); N(s_exit, "__exit__"); N(s_iter, "__iter__");
    N(s_next, "__next__"); N(s_args, "args"); N(s_getitem, "__getitem__"); N(s_setitem, "__setitem__");
    N(s_contains, "__contains__"); N(s_bool, "__bool__"); N(s_doc, "__doc__"); N(s_module, "__module__");
    N(s_lt, "__lt__"); N(s_le, "__le__"); N(s_gt, "__gt__"); N(s_ge, "__ge__"); N(s_ne, "__ne__");
    N(s_add, "__add__"); N(s_sub, "__sub__"); N(s_mul, "__mul__"); N(s_run, "run"); N(s_file, "__file__");
    N(s_qualname, "__qualname__"); N(s_bases, "__bases__"); N(s_dict_name, "__dict__");
    N(s_class_name, "__class__"); N(s_self_name, "__self__"); N(s_func_name, "__func__");
#undef N
}

Vm *vm_new(const VmConfig *cfg)
{
    Vm *vm = mem_calloc(1, sizeof(Vm));
    vm->cfg = *cfg;
    vm->all.gc_next = vm->all.gc_prev = &vm->all;
    vm_set_recursion_limit(vm, 1000);
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    vm->ram_bytes = pages > 0 && page > 0 ? (double)pages * (double)page : 1e12;
    vm->switch_interval = 0.005;
    /* the intern table must exist before any str_intern: a raw dict with no class yet */
    vm->interned = dict_new(vm);
    vm->interned->obj.flags |= OBJF_IMMORTAL;
    vm_init_names(vm);
    static const char *const type_names[TY__COUNT] = {
#define TN(id, name) name,
        TYPE_LIST(TN)
#undef TN
    };
    static const uint16_t layouts[TY__COUNT] = {
        [TY_OBJECT] = OBJ_INSTANCE, [TY_NONETYPE] = OBJ__COUNT, [TY_BOOL] = OBJ__COUNT, [TY_INT] = OBJ__COUNT,
        [TY_FLOAT] = OBJ__COUNT, [TY_STR] = OBJ_STR, [TY_BYTES] = OBJ_BYTES, [TY_LIST] = OBJ_LIST,
        [TY_TUPLE] = OBJ_TUPLE, [TY_DICT] = OBJ_DICT, [TY_SET] = OBJ_SET, [TY_RANGE] = OBJ_RANGE,
        [TY_SLICE] = OBJ_SLICE, [TY_FUNCTION] = OBJ_FUNC, [TY_BUILTIN] = OBJ_NATIVE,
        [TY_METHOD] = OBJ_BOUND, [TY_TYPE] = OBJ_CLASS, [TY_MODULE] = OBJ_MODULE, [TY_ITERATOR] = OBJ_ITER,
        [TY_CELL] = OBJ_CELL, [TY_CODE] = OBJ_CODE, [TY_STATICMETHOD] = OBJ_WRAPPER,
        [TY_CLASSMETHOD] = OBJ_WRAPPER, [TY_PROPERTY] = OBJ_WRAPPER, [TY_HANDLE] = OBJ_HANDLE,
    };
    vm->types[TY_OBJECT] = class_new_raw(vm, "object", NULL, OBJ_INSTANCE);
    for (int i = 1; i < TY__COUNT; i++)
        vm->types[i] = class_new_raw(vm, type_names[i], vm->types[TY_OBJECT], (ObjKind)layouts[i]);
    /* bool is a subclass of int */
    obj_decref(&vm->types[TY_BOOL]->base->obj);
    vm->types[TY_BOOL]->base = vm->types[TY_INT];
    obj_incref(&vm->types[TY_INT]->obj);
    for (int i = 0; i < TY__COUNT; i++)
        vm->types[i]->obj.cls = vm->types[TY_TYPE];
    /* fix up objects made before their classes existed */
    for (Obj *o = vm->all.gc_next; o != &vm->all; o = o->gc_next) {
        if (!o->cls) {
            if (o->kind == OBJ_STR) o->cls = vm->types[TY_STR];
            else if (o->kind == OBJ_DICT) o->cls = vm->types[TY_DICT];
            else if (o->kind == OBJ_CLASS) o->cls = vm->types[TY_TYPE];
        }
    }
    vm->types[TY_OBJECT]->builtin = true;
    vm->types[TY_STR]->ctor = str_ctor;
    vm->types[TY_BYTES]->ctor = bytes_ctor;
    vm->types[TY_LIST]->ctor = list_ctor;
    vm->types[TY_TUPLE]->ctor = tuple_ctor;
    vm->types[TY_DICT]->ctor = dict_ctor;
    vm->types[TY_SET]->ctor = set_ctor;
    vm->types[TY_INT]->ctor = int_ctor;
    vm->types[TY_FLOAT]->ctor = float_ctor;
    vm->types[TY_BOOL]->ctor = bool_ctor;
    vm->types[TY_RANGE]->ctor = range_ctor;
    vm->types[TY_TYPE]->ctor = type_ctor;
    vm->types[TY_STATICMETHOD]->ctor = staticmethod_ctor;
    vm->types[TY_CLASSMETHOD]->ctor = classmethod_ctor;
    vm->types[TY_PROPERTY]->ctor = property_ctor;
    vm->types[TY_SLICE]->ctor = slice_ctor;
    add_methods(vm, vm->types[TY_OBJECT], object_methods);
    add_methods(vm, vm->types[TY_STR], str_methods);
    add_methods(vm, vm->types[TY_BYTES], bytes_methods);
    add_methods(vm, vm->types[TY_LIST], list_methods);
    vm->list_append = dict_find_str(vm->types[TY_LIST]->dict, str_intern_cstr(vm, "append"))->as.o;
    add_methods(vm, vm->types[TY_TUPLE], tuple_methods);
    add_methods(vm, vm->types[TY_DICT], dict_methods);
    add_methods(vm, vm->types[TY_SET], set_methods);
    add_methods(vm, vm->types[TY_INT], int_methods);
    add_methods(vm, vm->types[TY_FLOAT], float_methods);
    add_methods(vm, vm->types[TY_PROPERTY], property_methods);

    static const char *const exc_names[EXC__COUNT] = {
#define EN(name, base) #name,
        EXC_LIST(EN)
#undef EN
    };
    static const int exc_bases[EXC__COUNT] = {
#define EB(name, base) EXC_##base,
        EXC_LIST(EB)
#undef EB
    };
    for (int i = 0; i < EXC__COUNT; i++) {
        ObjClass *base = i == EXC_BaseException ? vm->types[TY_OBJECT] : vm->exc[exc_bases[i]];
        vm->exc[i] = class_new_raw(vm, exc_names[i], base, OBJ_INSTANCE);
        vm->exc[i]->obj.cls = vm->types[TY_TYPE];
    }
    add_methods(vm, vm->exc[EXC_BaseException], exc_methods);
    add_methods(vm, vm->exc[EXC_KeyError], keyerror_methods);

    vm->builtins = dict_new(vm);
    vm->modules = dict_new(vm);
    vm_add_natives(vm, vm->builtins, builtin_functions);
    for (int i = 0; i < TY__COUNT; i++) {
        static const int exposed[] = {TY_OBJECT, TY_BOOL, TY_INT, TY_FLOAT, TY_STR, TY_BYTES, TY_LIST,
                                      TY_TUPLE, TY_DICT, TY_SET, TY_RANGE, TY_SLICE, TY_TYPE, TY_STATICMETHOD,
                                      TY_CLASSMETHOD, TY_PROPERTY};
        for (size_t j = 0; j < sizeof exposed / sizeof *exposed; j++)
            if (exposed[j] == i)
                dict_set_str(vm, vm->builtins, vm->types[i]->name, val_obj(&vm->types[i]->obj));
    }
    for (int i = 0; i < EXC__COUNT; i++)
        dict_set_str(vm, vm->builtins, vm->exc[i]->name, val_obj(&vm->exc[i]->obj));
    dict_set_str(vm, vm->builtins, str_intern_cstr(vm, "__name__"),
                 val_obj(&str_intern_cstr(vm, "builtins")->obj));
    pthread_mutex_init(&vm->threads_lock, NULL);
    gil_cond_init(&vm->threads_cond);
    vm->mode = cfg->mode;
    vm->tracer = cfg->tracer;
    GilConfig gc = {.kind = cfg->gil_kind, .switch_interval = cfg->switch_interval,
                    .check_interval = cfg->check_interval};
    vm->gil = gil_new(&gc);
    vm->switch_interval = gil_switch_interval(vm->gil);
    vm->main = vm_thread_alloc(vm, STACK_VALUES);
    vm->main->ident = (uint64_t)pthread_self();
    vm->main->os_thread = pthread_self();
    if (vm->tracer)
        vm->main->tb = trace_thread_begin(vm->tracer, vm->main->id, "MainThread");
    gil_trace(vm->gil, vm->main, EV_THREAD_START, UINT32_MAX);
    gil_acquire(vm->gil, vm->main);
    return vm;
}

void vm_free(Vm *vm)
{
    if (!vm)
        return;
    vm_flush_out(vm);
    /* Threads that were joined may still be in their last steps (they gave
     * the GIL back already); daemon threads may be blocked forever waiting
     * for it.  Wait a little for the former; with the latter still there,
     * the VM is left to the process's exit rather than freed under them. */
    pthread_mutex_lock(&vm->threads_lock);
    struct timespec deadline;
    gil_deadline(&deadline, 200 * 1000000);
    while (vm->nthreads_alive > 0) {
        pthread_cond_t *c = &vm->threads_cond;
        if (pthread_cond_timedwait(c, &vm->threads_lock, &deadline) != 0)
            break;
    }
    int alive = vm->nthreads_alive;
    pthread_mutex_unlock(&vm->threads_lock);
    if (alive > 0) {
        if (vm->main->tb) {
            trace_thread_end(vm->main->tb);
            vm->main->tb = NULL;
        }
        return;
    }
    Thread *m = vm->main;
    if (m->holds_gil)
        gil_release(vm->gil, m, REL_EXIT);
    gil_trace(vm->gil, m, EV_THREAD_END, 0);
    if (m->tb) {
        trace_thread_end(m->tb);
        m->tb = NULL;
    }
    Thread *t = vm->threads;
    while (t) {
        Thread *next = t->next_thread;
        thread_free(t);
        t = next;
    }
    obj_free_all(vm);
    gil_free(vm->gil);
    pthread_mutex_destroy(&vm->threads_lock);
    pthread_cond_destroy(&vm->threads_cond);
    mem_free(vm->script_dir);
    mem_free(vm);
}

/* ---- output ------------------------------------------------------------------- */

void vm_write_out(Vm *vm, const char *s, size_t len)
{
    (void)vm;
    fwrite(s, 1, len, stdout);
}

void vm_flush_out(Vm *vm)
{
    (void)vm;
    fflush(stdout);
}
