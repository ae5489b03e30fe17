/*
 * sys.c -- the sys module: argv, the switch interval, the recursion limit,
 * exit, stdout/stderr, and constants.
 *
 * sys.stdout and sys.stderr are ObjHandles of a small builtin class
 * "TextIOWrapper" (write, flush, fileno, isatty); the handle's tag is the
 * file descriptor.  stdout goes through the VM's buffer (vm_write_out);
 * stderr is written directly after flushing that buffer, so that the two
 * interleave as the program wrote them.
 */
#include "vm.h"
#include "gil.h"

#include <stdio.h>
#include <unistd.h>

static bool sys_nokw(Thread *t, const char *name, ObjTuple *kw)
{
    if (!kw || kw->len == 0)
        return true;
    vm_raise(t, EXC_TypeError, "%s() takes no keyword arguments", name);
    return false;
}

static bool sys_nargs(Thread *t, const char *name, int argc, ObjTuple *kw, int n)
{
    if (!sys_nokw(t, name, kw))
        return false;
    if (argc == n)
        return true;
    if (n == 0)
        vm_raise(t, EXC_TypeError, "%s() takes no arguments (%d given)", name, argc);
    else
        vm_raise(t, EXC_TypeError, "%s() takes exactly one argument (%d given)", name, argc);
    return false;
}

/* ---- the stream objects -------------------------------------------------- */

/* The fd of a stream handle, or -1 with TypeError. */
static int sys_stream_fd(Thread *t, Value self, const char *method)
{
    if (IS_KIND(self, OBJ_HANDLE)) {
        int fd = AS_HANDLE(self)->tag;
        if (fd == 1 || fd == 2)
            return fd;
    }
    vm_raise(t, EXC_TypeError, "descriptor '%s' requires a 'TextIOWrapper' object", method);
    return -1;
}

static Value sys_stream_write(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    int fd = sys_stream_fd(t, self, "write");
    if (fd < 0 || !sys_nargs(t, "write", argc, kw, 1))
        return VAL_ERR;
    if (!IS_STR(argv[0]))
        return vm_raise(t, EXC_TypeError, "write() argument must be str, not %s",
                        vm_type_name(t->vm, argv[0]));
    ObjStr *s = AS_STR(argv[0]);
    if (fd == 1) {
        vm_write_out(t->vm, s->chars, (size_t)s->len);
    } else {
        vm_flush_out(t->vm);
        fwrite(s->chars, 1, (size_t)s->len, stderr);
    }
    return val_int(s->nchars);
}

static Value sys_stream_flush(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    int fd = sys_stream_fd(t, self, "flush");
    if (fd < 0 || !sys_nargs(t, "flush", argc, kw, 0))
        return VAL_ERR;
    if (fd == 1)
        vm_flush_out(t->vm);
    else
        fflush(stderr);
    return VAL_NONE;
}

static Value sys_stream_fileno(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    int fd = sys_stream_fd(t, self, "fileno");
    if (fd < 0 || !sys_nargs(t, "fileno", argc, kw, 0))
        return VAL_ERR;
    return val_int(fd);
}

static Value sys_stream_isatty(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    int fd = sys_stream_fd(t, self, "isatty");
    if (fd < 0 || !sys_nargs(t, "isatty", argc, kw, 0))
        return VAL_ERR;
    return val_bool(isatty(fd));
}

static const NativeDef sys_stream_methods[] = {
    {"write", sys_stream_write},
    {"flush", sys_stream_flush},
    {"fileno", sys_stream_fileno},
    {"isatty", sys_stream_isatty},
    {NULL, NULL},
};

/* The class of the stream objects: a builtin class, immortal like the
 * other type objects. */
static ObjClass *sys_stream_class(Vm *vm)
{
    ObjClass *c = (ObjClass *)obj_alloc(vm, sizeof(ObjClass), OBJ_CLASS, vm->types[TY_TYPE]);
    c->obj.flags |= OBJF_IMMORTAL;
    /* references to name and base are counted whether or not the class's
     * release drops them: both are immortal anyway. */
    c->name = str_intern_cstr(vm, "TextIOWrapper");
    obj_incref(&c->name->obj);
    c->base = vm->types[TY_OBJECT];
    obj_incref(&c->base->obj);
    c->dict = dict_new(vm);
    c->layout = OBJ_HANDLE;
    c->builtin = true;
    c->ctor = NULL;
    for (const NativeDef *d = sys_stream_methods; d->name; d++) {
        Value fn = vm_native_new(vm, d->name, d->fn, VAL_NONE);
        AS_NATIVE(fn)->is_method = true;    /* bound to the stream when read from it */
        dict_set_str(vm, c->dict, str_intern_cstr(vm, d->name), fn);
        val_decref(fn);
    }
    return c;
}

/* A stream handle for fd (1 or 2); a new reference. */
static ObjHandle *sys_stream_new(Vm *vm, ObjClass *cls, int fd)
{
    obj_incref(&cls->obj);      /* one per instance: balanced whether or not instances own their class */
    ObjHandle *h = (ObjHandle *)obj_alloc(vm, sizeof(ObjHandle), OBJ_HANDLE, cls);
    h->ptr = NULL;
    h->finalize = NULL;
    h->tag = fd;
    return h;
}

/* ---- functions ---------------------------------------------------------------- */

static Value sys_getswitchinterval(Thread *t, Value self, int argc, const Value *argv,
                                   ObjTuple *kw)
{
    (void)self;
    (void)argv;
    if (!sys_nargs(t, "getswitchinterval", argc, kw, 0))
        return VAL_ERR;
    return val_float(t->vm->switch_interval);
}

static Value sys_setswitchinterval(Thread *t, Value self, int argc, const Value *argv,
                                   ObjTuple *kw)
{
    (void)self;
    if (!sys_nargs(t, "setswitchinterval", argc, kw, 1))
        return VAL_ERR;
    double d;
    if (IS_FLOAT(argv[0]))
        d = argv[0].as.f;
    else if (IS_INTLIKE(argv[0]))
        d = (double)argv[0].as.i;
    else
        return vm_raise(t, EXC_TypeError, "must be real number, not %s",
                        vm_type_name(t->vm, argv[0]));
    if (!(d > 0.0))
        return vm_raise(t, EXC_ValueError, "switch interval must be strictly positive");
    t->vm->switch_interval = d;
    gil_set_switch_interval(t->vm->gil, d);
    return VAL_NONE;
}

static Value sys_getrecursionlimit(Thread *t, Value self, int argc, const Value *argv,
                                   ObjTuple *kw)
{
    (void)self;
    (void)argv;
    if (!sys_nargs(t, "getrecursionlimit", argc, kw, 0))
        return VAL_ERR;
    return val_int(t->vm->recursion_limit);
}

static Value sys_setrecursionlimit(Thread *t, Value self, int argc, const Value *argv,
                                   ObjTuple *kw)
{
    (void)self;
    if (!sys_nargs(t, "setrecursionlimit", argc, kw, 1))
        return VAL_ERR;
    int64_t n;
    if (!vm_to_index(t, argv[0], &n))
        return VAL_ERR;
    if (n < 1)
        return vm_raise(t, EXC_ValueError, "recursion limit must be greater or equal than 1");
    if (n > 0x7fffffff)
        return vm_raise(t, EXC_OverflowError, "Python int too large to convert to C int");
    vm_set_recursion_limit(t->vm, (int)n);
    return VAL_NONE;
}

/* exit([code]): raises SystemExit(code). */
static Value sys_exit(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!sys_nokw(t, "exit", kw))
        return VAL_ERR;
    if (argc > 1)
        return vm_raise(t, EXC_TypeError, "exit expected at most 1 argument, got %d", argc);
    Value cls = val_obj((Obj *)t->vm->exc[EXC_SystemExit]);
    Value e = vm_call(t, cls, argc, argv, NULL);
    if (IS_ERR(e))
        return VAL_ERR;
    vm_raise_value(t, e);
    val_decref(e);
    return VAL_ERR;
}

static Value sys_getdefaultencoding(Thread *t, Value self, int argc, const Value *argv,
                                    ObjTuple *kw)
{
    (void)self;
    (void)argv;
    if (!sys_nargs(t, "getdefaultencoding", argc, kw, 0))
        return VAL_ERR;
    return val_obj((Obj *)str_intern_cstr(t->vm, "utf-8"));
}

static void sys_set(Vm *vm, ObjDict *ns, const char *name, Value v)
{
    dict_set_str(vm, ns, str_intern_cstr(vm, name), v);
    val_decref(v);
}

static void sys_init(Thread *t, ObjModule *m)
{
    Vm *vm = t->vm;
    ObjDict *ns = m->dict;

    ObjList *argv = list_new(vm, vm->cfg.argc > 0 ? vm->cfg.argc : 1);
    if (vm->cfg.argc > 0 && vm->cfg.argv) {
        for (int i = 0; i < vm->cfg.argc; i++)
            list_append_steal(argv, val_obj((Obj *)str_from_cstr(vm, vm->cfg.argv[i])));
    } else {
        const char *p = vm->cfg.script_path ? vm->cfg.script_path : "";
        list_append_steal(argv, val_obj((Obj *)str_from_cstr(vm, p)));
    }
    sys_set(vm, ns, "argv", val_obj((Obj *)argv));

    ObjClass *stream = sys_stream_class(vm);
    sys_set(vm, ns, "stdout", val_obj((Obj *)sys_stream_new(vm, stream, 1)));
    sys_set(vm, ns, "stderr", val_obj((Obj *)sys_stream_new(vm, stream, 2)));
    sys_set(vm, ns, "__stdout__", val_obj((Obj *)sys_stream_new(vm, stream, 1)));
    sys_set(vm, ns, "__stderr__", val_obj((Obj *)sys_stream_new(vm, stream, 2)));
    obj_decref(&stream->obj);   /* the instances keep it */

    sys_set(vm, ns, "maxsize", val_int(INT64_MAX));
    sys_set(vm, ns, "platform", val_obj((Obj *)str_intern_cstr(vm, "linux")));
    sys_set(vm, ns, "byteorder", val_obj((Obj *)str_intern_cstr(vm, "little")));
    sys_set(vm, ns, "version",
            val_obj((Obj *)str_intern_cstr(vm, "3.11.0 (gilscope toy interpreter, 64-bit ints)")));
    ObjTuple *vi = tuple_new(vm, 5);
    vi->items[0] = val_int(3);
    vi->items[1] = val_int(11);
    vi->items[2] = val_int(0);
    vi->items[3] = val_obj((Obj *)str_intern_cstr(vm, "final"));
    vi->items[4] = val_int(0);
    sys_set(vm, ns, "version_info", val_obj((Obj *)vi));
    sys_set(vm, ns, "hexversion", val_int(0x030B00F0));
    sys_set(vm, ns, "executable", val_obj((Obj *)str_intern_cstr(vm, "gilscope")));
    sys_set(vm, ns, "modules", val_dup(val_obj((Obj *)vm->modules)));
}

static const NativeDef sys_functions[] = {
    {"getswitchinterval", sys_getswitchinterval},
    {"setswitchinterval", sys_setswitchinterval},
    {"getrecursionlimit", sys_getrecursionlimit},
    {"setrecursionlimit", sys_setrecursionlimit},
    {"exit", sys_exit},
    {"getdefaultencoding", sys_getdefaultencoding},
    {NULL, NULL},
};

const ModuleDef mod_sys = {"sys", sys_functions, sys_init};
