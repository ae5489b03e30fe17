/*
 * os.c -- the os module: process ids, cpu_count, environ, getenv.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include "vm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static bool os_noargs(Thread *t, const char *name, int argc, ObjTuple *kw)
{
    if (kw && kw->len > 0) {
        vm_raise(t, EXC_TypeError, "%s() takes no keyword arguments", name);
        return false;
    }
    if (argc != 0) {
        vm_raise(t, EXC_TypeError, "%s() takes no arguments (%d given)", name, argc);
        return false;
    }
    return true;
}

static Value os_getpid(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    (void)argv;
    if (!os_noargs(t, "posix.getpid", argc, kw))
        return VAL_ERR;
    return val_int((int64_t)getpid());
}

static Value os_getppid(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    (void)argv;
    if (!os_noargs(t, "posix.getppid", argc, kw))
        return VAL_ERR;
    return val_int((int64_t)getppid());
}

/* cpu_count(): the online CPUs (not the affinity mask), as CPython 3.11;
 * None if unknown. */
static Value os_cpu_count(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    (void)argv;
    if (!os_noargs(t, "posix.cpu_count", argc, kw))
        return VAL_ERR;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? VAL_NONE : val_int(n);
}

/* getenv(key, default=None): reads os.environ, so that assignments to it
 * are seen, as in CPython. */
static Value os_getenv(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    static const char *const names[] = {"key", "default"};
    Value a[2];
    if (!arg_parse(t, "getenv", argc, argv, kw, names, 1, 2, a))
        return VAL_ERR;
    if (!IS_STR(a[0]))
        return vm_raise(t, EXC_TypeError, "str expected, not %s", vm_type_name(t->vm, a[0]));
    Value dflt = IS_ERR(a[1]) ? VAL_NONE : a[1];
    Vm *vm = t->vm;
    Value *mod = dict_find_str(vm->modules, str_intern_cstr(vm, "os"));
    Value *env = mod && IS_KIND(*mod, OBJ_MODULE)
                     ? dict_find_str(AS_MODULE(*mod)->dict, str_intern_cstr(vm, "environ"))
                     : NULL;
    if (env && IS_DICT(*env)) {
        Value out;
        int r = dict_get(t, AS_DICT(*env), a[0], &out);
        if (r < 0)
            return VAL_ERR;
        return val_dup(r ? out : dflt);
    }
    const char *s = getenv(AS_STR(a[0])->chars);
    return s ? val_obj((Obj *)str_from_cstr(vm, s)) : val_dup(dflt);
}

/* urandom(n): n bytes from /dev/urandom. */
static Value os_urandom(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if ((kw && kw->len > 0) || argc != 1)
        return vm_raise(t, EXC_TypeError, "urandom() takes exactly one argument (%d given)", argc);
    int64_t n;
    if (!vm_to_index(t, argv[0], &n))
        return VAL_ERR;
    if (n < 0)
        return vm_raise(t, EXC_ValueError, "negative argument not allowed");
    unsigned char *buf = mem_alloc((size_t)n + 1);
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    int64_t got = 0;
    while (fd >= 0 && got < n) {
        ssize_t r = read(fd, buf + got, (size_t)(n - got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += r;
    }
    int err = errno;
    if (fd >= 0)
        close(fd);
    if (got < n) {
        mem_free(buf);
        return vm_raise_errno(t, err ? err : EIO, NULL);
    }
    ObjBytes *b = bytes_new(t->vm, buf, n);
    mem_free(buf);
    return val_obj((Obj *)b);
}

/* _exit(n): ends the process at once, without flushing stdout (as CPython). */
static Value os_exit_now(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if ((kw && kw->len > 0) || argc != 1)
        return vm_raise(t, EXC_TypeError, "_exit() takes exactly one argument (%d given)", argc);
    int64_t code;
    if (!vm_to_index(t, argv[0], &code))
        return VAL_ERR;
    _exit((int)code);
}

static void os_init(Thread *t, ObjModule *m)
{
    Vm *vm = t->vm;
    ObjDict *ns = m->dict;
    ObjStr *s;
    s = str_intern_cstr(vm, "posix");
    dict_set_str(vm, ns, str_intern_cstr(vm, "name"), val_obj((Obj *)s));
    s = str_intern_cstr(vm, "/");
    dict_set_str(vm, ns, str_intern_cstr(vm, "sep"), val_obj((Obj *)s));
    s = str_intern_cstr(vm, "\n");
    dict_set_str(vm, ns, str_intern_cstr(vm, "linesep"), val_obj((Obj *)s));
    s = str_intern_cstr(vm, ":");
    dict_set_str(vm, ns, str_intern_cstr(vm, "pathsep"), val_obj((Obj *)s));
    s = str_intern_cstr(vm, "/dev/null");
    dict_set_str(vm, ns, str_intern_cstr(vm, "devnull"), val_obj((Obj *)s));

    ObjDict *env = dict_new(vm);
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || eq == *e)
            continue;
        ObjStr *k = str_new(vm, *e, eq - *e);
        ObjStr *v = str_from_cstr(vm, eq + 1);
        dict_set_str(vm, env, k, val_obj((Obj *)v));
        obj_decref((Obj *)k);
        obj_decref((Obj *)v);
    }
    dict_set_str(vm, ns, str_intern_cstr(vm, "environ"), val_obj((Obj *)env));
    obj_decref((Obj *)env);
}

static const NativeDef os_functions[] = {
    {"getpid", os_getpid},
    {"getppid", os_getppid},
    {"cpu_count", os_cpu_count},
    {"getenv", os_getenv},
    {"urandom", os_urandom},
    {"_exit", os_exit_now},
    {NULL, NULL},
};

const ModuleDef mod_os = {"os", os_functions, os_init};
