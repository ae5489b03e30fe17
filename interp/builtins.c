/*
 * builtins.c -- the builtin functions (print, len, min, sorted, zip, ...).
 *
 * Each is a NativeFn called with self == VAL_NONE.  Error messages are
 * CPython 3.11's, word for word, so that a workload's output matches.
 * The lazy builtins (enumerate, zip, map, filter, reversed, iter(f, s))
 * return ObjIter objects whose IterNextFn is defined here; their owned
 * references live in seq and aux, released by obj_release.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "vm.h"

#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- argument helpers ----------------------------------------------------- */

static int bi_nkw(const ObjTuple *kw) { return kw ? (int)kw->len : 0; }

static const char *bi_kwname(const ObjTuple *kw, int i)
{
    return AS_STR(kw->items[i])->chars;
}

/* METH_O style: "len() takes exactly one argument (0 given)". */
static bool bi_one(Thread *t, const char *name, int argc, ObjTuple *kw)
{
    if (bi_nkw(kw) > 0) {
        vm_raise(t, EXC_TypeError, "%s() takes no keyword arguments", name);
        return false;
    }
    if (argc != 1) {
        vm_raise(t, EXC_TypeError, "%s() takes exactly one argument (%d given)", name, argc);
        return false;
    }
    return true;
}

/* _PyArg_CheckPositional style: "divmod expected 2 arguments, got 1". */
static bool bi_npos(Thread *t, const char *name, int npos, int nmin, int nmax)
{
    if (npos >= nmin && npos <= nmax)
        return true;
    if (nmin == nmax)
        vm_raise(t, EXC_TypeError, "%s expected %d argument%s, got %d", name, nmin,
                 nmin == 1 ? "" : "s", npos);
    else if (npos < nmin)
        vm_raise(t, EXC_TypeError, "%s expected at least %d argument%s, got %d", name, nmin,
                 nmin == 1 ? "" : "s", npos);
    else
        vm_raise(t, EXC_TypeError, "%s expected at most %d argument%s, got %d", name, nmax,
                 nmax == 1 ? "" : "s", npos);
    return false;
}

static bool bi_nokw(Thread *t, const char *name, ObjTuple *kw)
{
    if (bi_nkw(kw) == 0)
        return true;
    vm_raise(t, EXC_TypeError, "%s() takes no keyword arguments", name);
    return false;
}

/* Sorts the keyword arguments into out[] by names[]; an unknown one raises
 * "'x' is an invalid keyword argument for f()".  out[] starts as VAL_ERR. */
static bool bi_kwargs(Thread *t, const char *fname, int argc, const Value *argv, ObjTuple *kw,
                      const char *const *names, int nnames, Value *out)
{
    int nkw = bi_nkw(kw);
    for (int j = 0; j < nnames; j++)
        out[j] = VAL_ERR;
    for (int i = 0; i < nkw; i++) {
        const char *k = bi_kwname(kw, i);
        int j = 0;
        while (j < nnames && strcmp(names[j], k) != 0)
            j++;
        if (j == nnames) {
            vm_raise(t, EXC_TypeError, "'%s' is an invalid keyword argument for %s()", k, fname);
            return false;
        }
        out[j] = argv[argc - nkw + i];
    }
    return true;
}

/* A new ObjIter with the given next function; seq and aux are STOLEN. */
static ObjIter *bi_iter_new(Vm *vm, IterNextFn next, Value seq, Value aux)
{
    ObjIter *it = (ObjIter *)obj_alloc(vm, sizeof(ObjIter), OBJ_ITER, vm->types[TY_ITERATOR]);
    it->next = next;
    it->seq = seq;
    it->aux = aux;
    return it;
}

/* A tuple of iter(argv[i]) for each i, or NULL with an exception set. */
static ObjTuple *bi_iters(Thread *t, int n, const Value *argv)
{
    ObjTuple *tup = tuple_new(t->vm, n);
    for (int i = 0; i < n; i++) {
        Value it = vm_iter(t, argv[i]);
        if (IS_ERR(it)) {
            obj_decref((Obj *)tup);
            return NULL;
        }
        tup->items[i] = it;
    }
    return tup;
}

/* ---- print, input --------------------------------------------------------- */

/* Appends the text of a sep/end argument; false with TypeError if neither
 * None nor str. */
static bool bi_print_sep(Thread *t, const char *what, Value v, const char *dflt, StrBuf *sb)
{
    if (IS_ERR(v) || IS_NONE(v)) {
        sb_puts(sb, dflt);
        return true;
    }
    if (!IS_STR(v)) {
        vm_raise(t, EXC_TypeError, "%s must be None or a string, not %s", what,
                 vm_type_name(t->vm, v));
        return false;
    }
    sb_append(sb, AS_STR(v)->chars, AS_STR(v)->len);
    return true;
}

/* print(*objects, sep=' ', end='\n', file=None, flush=False).  The whole
 * line is built first and written at once, so that lines of concurrent
 * threads do not interleave.  file=None is the workload's stdout; any
 * other file is written through its write() method (sys.stdout and
 * sys.stderr included), as CPython does. */
static Value bi_print(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    static const char *const names[] = {"sep", "end", "file", "flush"};
    Value opt[4];
    if (!bi_kwargs(t, "print", argc, argv, kw, names, 4, opt))
        return VAL_ERR;
    int npos = argc - bi_nkw(kw);
    StrBuf sep, sb;
    sb_init(&sep);
    sb_init(&sb);
    if (!bi_print_sep(t, "sep", opt[0], " ", &sep))
        goto err;
    for (int i = 0; i < npos; i++) {
        if (i > 0)
            sb_append(&sb, sep.buf, sep.len);
        Value s = vm_str(t, argv[i]);
        if (IS_ERR(s))
            goto err;
        sb_append(&sb, AS_STR(s)->chars, AS_STR(s)->len);
        val_decref(s);
    }
    if (!bi_print_sep(t, "end", opt[1], "\n", &sb))
        goto err;
    int flush = 0;
    if (!IS_ERR(opt[3]) && (flush = vm_truthy(t, opt[3])) < 0)
        goto err;
    Value file = opt[2];
    if (IS_ERR(file) || IS_NONE(file)) {
        vm_write_out(t->vm, sb.buf ? sb.buf : "", (size_t)sb.len);
        if (flush)
            vm_flush_out(t->vm);
    } else {
        ObjStr *text = str_new(t->vm, sb.buf ? sb.buf : "", sb.len);
        Value arg = val_obj((Obj *)text);
        Value r = vm_call_method(t, file, str_intern_cstr(t->vm, "write"), 1, &arg);
        obj_decref((Obj *)text);
        if (IS_ERR(r))
            goto err;
        val_decref(r);
        if (flush) {
            r = vm_call_method(t, file, str_intern_cstr(t->vm, "flush"), 0, NULL);
            if (IS_ERR(r))
                goto err;
            val_decref(r);
        }
    }
    sb_fini(&sep);
    sb_fini(&sb);
    return VAL_NONE;
err:
    sb_fini(&sep);
    sb_fini(&sb);
    return VAL_ERR;
}

/* input([prompt]): the prompt goes to stdout (flushed), then one line of
 * stdin without its newline; EOFError at end of input. */
static Value bi_input(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_nokw(t, "input", kw) || !bi_npos(t, "input", argc, 0, 1))
        return VAL_ERR;
    if (argc == 1) {
        Value p = vm_str(t, argv[0]);
        if (IS_ERR(p))
            return VAL_ERR;
        vm_write_out(t->vm, AS_STR(p)->chars, (size_t)AS_STR(p)->len);
        val_decref(p);
    }
    vm_flush_out(t->vm);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        if (ferror(stdin)) {
            int err = errno;
            clearerr(stdin);
            return vm_raise_errno(t, err, NULL);
        }
        return vm_raise(t, EXC_EOFError, "EOF when reading a line");
    }
    if (n > 0 && line[n - 1] == '\n')
        n--;
    ObjStr *s = str_new(t->vm, line, n);
    free(line);
    return val_obj((Obj *)s);
}

/* ---- simple one-argument builtins ---------------------------------------- */

static Value bi_len(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_one(t, "len", argc, kw))
        return VAL_ERR;
    int64_t n = vm_len(t, argv[0]);
    return n < 0 ? VAL_ERR : val_int(n);
}

/* Calls v.<name>() looked up on v's class; VAL_ERR with no exception set
 * when the class has no such method. */
static Value bi_call_dunder(Thread *t, Value v, const char *name, int argc, const Value *argv)
{
    Value *m = vm_class_lookup(vm_class_of(t->vm, v), str_intern_cstr(t->vm, name));
    if (!m)
        return VAL_ERR;
    return vm_call_method(t, v, str_intern_cstr(t->vm, name), argc, argv);
}

static Value bi_abs(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_one(t, "abs", argc, kw))
        return VAL_ERR;
    Value v = argv[0];
    if (IS_INTLIKE(v)) {
        if (v.as.i == INT64_MIN)
            return vm_raise(t, EXC_OverflowError, NUM_OVERFLOW_MSG);
        return val_int(v.as.i < 0 ? -v.as.i : v.as.i);
    }
    if (IS_FLOAT(v))
        return val_float(fabs(v.as.f));
    Value r = bi_call_dunder(t, v, "__abs__", 0, NULL);
    if (IS_ERR(r) && IS_ERR(t->exc))
        return vm_raise(t, EXC_TypeError, "bad operand type for abs(): '%s'",
                        vm_type_name(t->vm, v));
    return r;
}

static Value bi_repr(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_one(t, "repr", argc, kw))
        return VAL_ERR;
    return vm_repr(t, argv[0]);
}

static Value bi_hash(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_one(t, "hash", argc, kw))
        return VAL_ERR;
    uint64_t h;
    if (vm_hash(t, argv[0], &h) < 0)
        return VAL_ERR;
    return val_int((int64_t)h);
}

/* id(x): the address of a heap object.  Unboxed values have no address;
 * they get a number derived from their bits, equal for equal values, as
 * CPython's cached small ints and singletons behave. */
static Value bi_id(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_one(t, "id", argc, kw))
        return VAL_ERR;
    Value v = argv[0];
    if (IS_OBJ(v))
        return val_int((int64_t)(intptr_t)AS_OBJ(v));
    uint64_t bits;
    memcpy(&bits, &v.as, sizeof bits);
    return val_int((int64_t)(((bits * 0x9E3779B97F4A7C15u) ^ v.kind) >> 1));
}

static Value bi_callable(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_one(t, "callable", argc, kw))
        return VAL_ERR;
    Value v = argv[0];
    if (!IS_OBJ(v))
        return VAL_FALSE;
    switch (OBJ_KIND(v)) {
    case OBJ_FUNC: case OBJ_NATIVE: case OBJ_BOUND: case OBJ_CLASS:
        return VAL_TRUE;
    case OBJ_WRAPPER:
        return val_bool(((ObjWrapper *)AS_OBJ(v))->kind == WRAP_STATIC);
    default:
        return val_bool(vm_class_lookup(AS_OBJ(v)->cls, t->vm->s_call) != NULL);
    }
}

/* ---- chr, ord, hex, oct, bin, format ------------------------------------ */

static Value bi_chr(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_one(t, "chr", argc, kw))
        return VAL_ERR;
    int64_t c;
    if (!vm_to_index(t, argv[0], &c))
        return VAL_ERR;
    if (c < 0 || c >= 0x110000)
        return vm_raise(t, EXC_ValueError, "chr() arg not in range(0x110000)");
    char buf[4];
    int n;
    if (c < 0x80) {
        buf[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        buf[0] = (char)(0xC0 | (c >> 6));
        buf[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        buf[0] = (char)(0xE0 | (c >> 12));
        buf[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        buf[0] = (char)(0xF0 | (c >> 18));
        buf[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        buf[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        buf[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    return val_obj((Obj *)str_new(t->vm, buf, n));
}

static Value bi_ord(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_one(t, "ord", argc, kw))
        return VAL_ERR;
    Value v = argv[0];
    if (IS_STR(v)) {
        ObjStr *s = AS_STR(v);
        if (s->nchars != 1)
            return vm_raise(t, EXC_TypeError,
                            "ord() expected a character, but string of length %" PRId64 " found",
                            s->nchars);
        const unsigned char *p = (const unsigned char *)s->chars;
        int64_t c;
        if (p[0] < 0x80)
            c = p[0];
        else if (p[0] < 0xE0)
            c = ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
        else if (p[0] < 0xF0)
            c = ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        else
            c = ((int64_t)(p[0] & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6)
                | (p[3] & 0x3F);
        return val_int(c);
    }
    if (IS_BYTES(v)) {
        ObjBytes *b = AS_BYTES(v);
        if (b->len != 1)
            return vm_raise(t, EXC_TypeError,
                            "ord() expected a character, but string of length %" PRId64 " found",
                            b->len);
        return val_int(b->data[0]);
    }
    return vm_raise(t, EXC_TypeError, "ord() expected string of length 1, but %s found",
                    vm_type_name(t->vm, v));
}

/* hex/oct/bin: "-0x1f" for -31; the magnitude as unsigned so that INT64_MIN works. */
static Value bi_radix(Thread *t, const char *name, int argc, const Value *argv, ObjTuple *kw,
                      int shift, const char *prefix)
{
    if (!bi_one(t, name, argc, kw))
        return VAL_ERR;
    int64_t i;
    if (!vm_to_index(t, argv[0], &i))
        return VAL_ERR;
    uint64_t m = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
    char digits[70];
    int n = 0;
    unsigned mask = (1u << shift) - 1;
    do {
        digits[n++] = "0123456789abcdef"[m & mask];
        m >>= shift;
    } while (m);
    char buf[80];
    int k = 0;
    if (i < 0)
        buf[k++] = '-';
    buf[k++] = prefix[0];
    buf[k++] = prefix[1];
    while (n > 0)
        buf[k++] = digits[--n];
    return val_obj((Obj *)str_new(t->vm, buf, k));
}

static Value bi_hex(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    return bi_radix(t, "hex", argc, argv, kw, 4, "0x");
}

static Value bi_oct(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    return bi_radix(t, "oct", argc, argv, kw, 3, "0o");
}

static Value bi_bin(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    return bi_radix(t, "bin", argc, argv, kw, 1, "0b");
}

static Value bi_format(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    static const char *const names[] = {"value", "format_spec"};
    Value a[2];
    if (!arg_parse(t, "format", argc, argv, kw, names, 1, 2, a))
        return VAL_ERR;
    if (IS_ERR(a[1]))
        return vm_format(t, a[0], str_intern_cstr(t->vm, ""));
    if (!IS_STR(a[1]))
        return vm_raise(t, EXC_TypeError, "format() argument 2 must be str, not %s",
                        vm_type_name(t->vm, a[1]));
    return vm_format(t, a[0], AS_STR(a[1]));
}

/* ---- isinstance, issubclass ---------------------------------------------- */

/* 1 / 0, or -1 with TypeError when info is neither a class nor a tuple of them. */
static int bi_isinst(Thread *t, Value v, Value info, bool sub)
{
    if (IS_CLASS(info)) {
        if (sub)
            return vm_is_subclass(AS_CLASS(v), AS_CLASS(info));
        return vm_isinstance(t->vm, v, AS_CLASS(info));
    }
    if (IS_TUPLE(info)) {
        ObjTuple *tup = AS_TUPLE(info);
        for (int64_t i = 0; i < tup->len; i++) {
            int r = bi_isinst(t, v, tup->items[i], sub);
            if (r != 0)
                return r;
        }
        return 0;
    }
    if (sub)
        vm_raise(t, EXC_TypeError,
                 "issubclass() arg 2 must be a class, a tuple of classes, or a union");
    else
        vm_raise(t, EXC_TypeError,
                 "isinstance() arg 2 must be a type, a tuple of types, or a union");
    return -1;
}

static Value bi_isinstance(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_nokw(t, "isinstance", kw) || !bi_npos(t, "isinstance", argc, 2, 2))
        return VAL_ERR;
    int r = bi_isinst(t, argv[0], argv[1], false);
    return r < 0 ? VAL_ERR : val_bool(r);
}

static Value bi_issubclass(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_nokw(t, "issubclass", kw) || !bi_npos(t, "issubclass", argc, 2, 2))
        return VAL_ERR;
    if (!IS_CLASS(argv[0]))
        return vm_raise(t, EXC_TypeError, "issubclass() arg 1 must be a class");
    int r = bi_isinst(t, argv[0], argv[1], true);
    return r < 0 ? VAL_ERR : val_bool(r);
}

/* ---- attributes ----------------------------------------------------------- */

static bool bi_attrname(Thread *t, Value name)
{
    if (IS_STR(name))
        return true;
    vm_raise(t, EXC_TypeError, "attribute name must be string, not '%s'",
             vm_type_name(t->vm, name));
    return false;
}

/* The interned twin of a str value, so the VM may compare names by address. */
static ObjStr *bi_intern(Vm *vm, Value name)
{
    ObjStr *s = AS_STR(name);
    return s->interned ? s : str_intern(vm, s->chars, s->len);
}

static Value bi_getattr(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_nokw(t, "getattr", kw) || !bi_npos(t, "getattr", argc, 2, 3))
        return VAL_ERR;
    if (!bi_attrname(t, argv[1]))
        return VAL_ERR;
    Value r = vm_getattr(t, argv[0], bi_intern(t->vm, argv[1]));
    if (IS_ERR(r) && argc == 3 && vm_exc_matches(t, EXC_AttributeError)) {
        vm_exc_clear(t);
        return val_dup(argv[2]);
    }
    return r;
}

static Value bi_hasattr(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_nokw(t, "hasattr", kw) || !bi_npos(t, "hasattr", argc, 2, 2))
        return VAL_ERR;
    if (!bi_attrname(t, argv[1]))
        return VAL_ERR;
    Value r = vm_getattr_opt(t, argv[0], bi_intern(t->vm, argv[1]));
    if (!IS_ERR(r)) {
        val_decref(r);
        return VAL_TRUE;
    }
    if (IS_ERR(t->exc))
        return VAL_FALSE;
    if (vm_exc_matches(t, EXC_AttributeError)) {
        vm_exc_clear(t);
        return VAL_FALSE;
    }
    return VAL_ERR;
}

static Value bi_setattr(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_nokw(t, "setattr", kw) || !bi_npos(t, "setattr", argc, 3, 3))
        return VAL_ERR;
    if (!bi_attrname(t, argv[1]))
        return VAL_ERR;
    if (vm_setattr(t, argv[0], bi_intern(t->vm, argv[1]), argv[2]) < 0)
        return VAL_ERR;
    return VAL_NONE;
}

/* delattr: only instance attributes can be deleted (the VM has no delete
 * protocol for other objects). */
static Value bi_delattr(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_nokw(t, "delattr", kw) || !bi_npos(t, "delattr", argc, 2, 2))
        return VAL_ERR;
    if (!bi_attrname(t, argv[1]))
        return VAL_ERR;
    Value o = argv[0];
    ObjDict *d = NULL;
    if (IS_INSTANCE(o))
        d = AS_INSTANCE(o)->dict;
    else if (IS_CLASS(o) && !AS_CLASS(o)->builtin)
        d = AS_CLASS(o)->dict;
    if (d) {
        int r = dict_del(t, d, argv[1]);
        if (r < 0)
            return VAL_ERR;
        if (r > 0)
            return VAL_NONE;
    }
    if (IS_CLASS(o))
        return vm_raise(t, EXC_AttributeError, "type object '%s' has no attribute '%s'",
                        AS_CLASS(o)->name->chars, AS_STR(argv[1])->chars);
    return vm_raise(t, EXC_AttributeError, "'%s' object has no attribute '%s'",
                    vm_type_name(t->vm, o), AS_STR(argv[1])->chars);
}

/* vars(obj): obj's attribute dict (the very dict, as in CPython). */
static Value bi_vars(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_nokw(t, "vars", kw) || !bi_npos(t, "vars", argc, 1, 1))
        return VAL_ERR;
    Value o = argv[0];
    ObjDict *d = NULL;
    if (IS_INSTANCE(o))
        d = AS_INSTANCE(o)->dict;
    else if (IS_KIND(o, OBJ_MODULE))
        d = AS_MODULE(o)->dict;
    else if (IS_CLASS(o))
        d = AS_CLASS(o)->dict;
    if (!d)
        return vm_raise(t, EXC_TypeError, "vars() argument must have __dict__ attribute");
    return val_dup(val_obj((Obj *)d));
}

/* ---- min, max, sum, any, all ---------------------------------------------- */

/* min/max: over one iterable or several arguments, key=, default=.  Ties
 * keep the first item, as CPython does. */
static Value bi_minmax(Thread *t, const char *name, int argc, const Value *argv, ObjTuple *kw,
                       int op)
{
    static const char *const names[] = {"key", "default"};
    Value opt[2];
    if (!bi_kwargs(t, name, argc, argv, kw, names, 2, opt))
        return VAL_ERR;
    int npos = argc - bi_nkw(kw);
    if (npos == 0)
        return vm_raise(t, EXC_TypeError, "%s expected at least 1 argument, got 0", name);
    if (npos > 1 && !IS_ERR(opt[1]))
        return vm_raise(t, EXC_TypeError,
                        "Cannot specify a default for %s() with multiple positional arguments",
                        name);
    Value key = IS_ERR(opt[0]) || IS_NONE(opt[0]) ? VAL_NONE : opt[0];
    Value it = VAL_NONE;
    if (npos == 1 && IS_ERR(it = vm_iter(t, argv[0])))
        return VAL_ERR;
    Value best = VAL_ERR, bestkey = VAL_ERR;
    for (int i = 0;; i++) {
        Value item;
        if (npos == 1) {
            item = vm_next(t, it);
            if (IS_ERR(item)) {
                if (!IS_ERR(t->exc))
                    goto err;
                break;
            }
        } else {
            if (i == npos)
                break;
            item = val_dup(argv[i]);
        }
        Value k = item;
        if (!IS_NONE(key)) {
            k = vm_call(t, key, 1, &item, NULL);
            if (IS_ERR(k)) {
                val_decref(item);
                goto err;
            }
        } else {
            val_incref(k);
        }
        int better = 1;
        if (!IS_ERR(best) && (better = vm_compare(t, k, bestkey, op)) < 0) {
            val_decref(item);
            val_decref(k);
            goto err;
        }
        if (better) {
            val_decref(best);
            val_decref(bestkey);
            best = item;
            bestkey = k;
        } else {
            val_decref(item);
            val_decref(k);
        }
    }
    val_decref(it);
    val_decref(bestkey);
    if (IS_ERR(best)) {
        if (!IS_ERR(opt[1]))
            return val_dup(opt[1]);
        return vm_raise(t, EXC_ValueError, "%s() arg is an empty sequence", name);
    }
    return best;
err:
    val_decref(it);
    val_decref(best);
    val_decref(bestkey);
    return VAL_ERR;
}

static Value bi_min(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    return bi_minmax(t, "min", argc, argv, kw, CMP_LT);
}

static Value bi_max(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    return bi_minmax(t, "max", argc, argv, kw, CMP_GT);
}

/* sum(iterable, /, start=0): ints are added in C while they fit; anything
 * else goes through vm_binop, which raises the overflow error. */
static Value bi_sum(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    static const char *const names[] = {"start"};
    Value opt[1];
    if (!bi_kwargs(t, "sum", argc, argv, kw, names, 1, opt))
        return VAL_ERR;
    int npos = argc - bi_nkw(kw);
    if (npos == 0)
        return vm_raise(t, EXC_TypeError, "sum() takes at least 1 positional argument (0 given)");
    if (npos > 2)
        return vm_raise(t, EXC_TypeError, "sum() takes at most 2 arguments (%d given)", argc);
    if (npos == 2) {
        if (!IS_ERR(opt[0]))
            return vm_raise(t, EXC_TypeError, "argument for sum() given by name ('start') "
                            "and position (2)");
        opt[0] = argv[1];
    }
    Value acc = IS_ERR(opt[0]) ? val_int(0) : opt[0];
    if (IS_STR(acc))
        return vm_raise(t, EXC_TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
    if (IS_BYTES(acc))
        return vm_raise(t, EXC_TypeError, "sum() can't sum bytes [use b''.join(seq) instead]");
    Value it = vm_iter(t, argv[0]);
    if (IS_ERR(it))
        return VAL_ERR;
    val_incref(acc);
    for (;;) {
        Value item = vm_next(t, it);
        if (IS_ERR(item)) {
            if (!IS_ERR(t->exc))
                goto err;
            break;
        }
        int64_t r;
        if (IS_INTLIKE(acc) && IS_INTLIKE(item) && !__builtin_add_overflow(acc.as.i, item.as.i, &r)) {
            acc = val_int(r);
            continue;
        }
        if (IS_FLOAT(acc) && (IS_FLOAT(item) || IS_INTLIKE(item))) {
            acc = val_float(acc.as.f + (IS_FLOAT(item) ? item.as.f : (double)item.as.i));
            continue;
        }
        Value s = vm_binop(t, BINOP_ADD, acc, item);
        val_decref(item);
        val_decref(acc);
        acc = s;
        if (IS_ERR(acc))
            goto err;
    }
    val_decref(it);
    return acc;
err:
    val_decref(it);
    return VAL_ERR;
}

/* any (want == 1) / all (want == 0): stop at the first item whose truth is want. */
static Value bi_anyall(Thread *t, const char *name, int argc, const Value *argv, ObjTuple *kw,
                       int want)
{
    if (!bi_one(t, name, argc, kw))
        return VAL_ERR;
    Value it = vm_iter(t, argv[0]);
    if (IS_ERR(it))
        return VAL_ERR;
    for (;;) {
        Value item = vm_next(t, it);
        if (IS_ERR(item)) {
            val_decref(it);
            return IS_ERR(t->exc) ? val_bool(!want) : VAL_ERR;
        }
        int r = vm_truthy(t, item);
        val_decref(item);
        if (r < 0 || r == want) {
            val_decref(it);
            return r < 0 ? VAL_ERR : val_bool(want);
        }
    }
}

static Value bi_any(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    return bi_anyall(t, "any", argc, argv, kw, 1);
}

static Value bi_all(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    return bi_anyall(t, "all", argc, argv, kw, 0);
}

/* ---- iter, next ------------------------------------------------------------ */

/* iter(callable, sentinel): seq = callable, aux = sentinel; n = 1 once done. */
static Value bi_calliter_next(Thread *t, ObjIter *it)
{
    if (it->n)
        return VAL_ERR;
    Value v = vm_call(t, it->seq, 0, NULL, NULL);
    if (IS_ERR(v)) {
        if (vm_exc_matches(t, EXC_StopIteration)) {
            vm_exc_clear(t);
            it->n = 1;
        }
        return VAL_ERR;
    }
    int eq = vm_eq(t, v, it->aux);
    if (eq != 0) {
        val_decref(v);
        if (eq > 0)
            it->n = 1;
        return VAL_ERR;
    }
    return v;
}

static Value bi_iter(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_nokw(t, "iter", kw) || !bi_npos(t, "iter", argc, 1, 2))
        return VAL_ERR;
    if (argc == 1)
        return vm_iter(t, argv[0]);
    Value c[1] = {argv[0]};
    Value ok = bi_callable(t, VAL_NONE, 1, c, NULL);
    if (!ok.as.i)
        return vm_raise(t, EXC_TypeError, "iter(v, w): v must be callable");
    ObjIter *it = bi_iter_new(t->vm, bi_calliter_next, val_dup(argv[0]), val_dup(argv[1]));
    return val_obj((Obj *)it);
}

static Value bi_next(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_nokw(t, "next", kw) || !bi_npos(t, "next", argc, 1, 2))
        return VAL_ERR;
    Value v = argv[0];
    if (!IS_KIND(v, OBJ_ITER) && !vm_class_lookup(vm_class_of(t->vm, v), t->vm->s_next))
        return vm_raise(t, EXC_TypeError, "'%s' object is not an iterator",
                        vm_type_name(t->vm, v));
    Value r = vm_next(t, v);
    if (IS_ERR(r) && IS_ERR(t->exc)) {
        if (argc == 2)
            return val_dup(argv[1]);
        return vm_raise_value(t, val_obj((Obj *)t->vm->exc[EXC_StopIteration]));
    }
    return r;
}

/* ---- enumerate, zip, map, filter, reversed -------------------------------- */

/* enumerate: seq = the iterator, i = the next count. */
static Value bi_enumerate_next(Thread *t, ObjIter *it)
{
    Value item = vm_next(t, it->seq);
    if (IS_ERR(item))
        return VAL_ERR;
    ObjTuple *tup = tuple_new(t->vm, 2);
    tup->items[0] = val_int(it->i++);
    tup->items[1] = item;
    return val_obj((Obj *)tup);
}

static Value bi_enumerate(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    static const char *const names[] = {"iterable", "start"};
    Value a[2];
    if (!arg_parse(t, "enumerate", argc, argv, kw, names, 1, 2, a))
        return VAL_ERR;
    int64_t start = 0;
    if (!IS_ERR(a[1]) && !vm_to_index(t, a[1], &start))
        return VAL_ERR;
    Value src = vm_iter(t, a[0]);
    if (IS_ERR(src))
        return VAL_ERR;
    ObjIter *it = bi_iter_new(t->vm, bi_enumerate_next, src, VAL_NONE);
    it->i = start;
    return val_obj((Obj *)it);
}

/* zip: aux = tuple of iterators; n = 1 once one is exhausted (and, with
 * strict=True, step = 1). */
static Value bi_zip_next(Thread *t, ObjIter *it)
{
    ObjTuple *its = AS_TUPLE(it->aux);
    if (it->n || its->len == 0)
        return VAL_ERR;
    ObjTuple *tup = tuple_new(t->vm, its->len);
    for (int64_t i = 0; i < its->len; i++) {
        Value v = vm_next(t, its->items[i]);
        if (IS_ERR(v)) {
            obj_decref((Obj *)tup);
            if (!IS_ERR(t->exc))
                return VAL_ERR;
            it->n = 1;
            if (!it->step)
                return VAL_ERR;
            /* strict: every other iterator must be exhausted too. */
            if (i > 0)
                return vm_raise(t, EXC_ValueError, "zip() argument %" PRId64 " is shorter "
                                "than argument%s%" PRId64, i + 1, i == 1 ? " " : "s 1-", i);
            for (int64_t j = 1; j < its->len; j++) {
                Value w = vm_next(t, its->items[j]);
                if (!IS_ERR(w)) {
                    val_decref(w);
                    return vm_raise(t, EXC_ValueError, "zip() argument %" PRId64 " is longer "
                                    "than argument%s%" PRId64, j + 1, j == 1 ? " " : "s 1-", j);
                }
                if (!IS_ERR(t->exc))
                    return VAL_ERR;
            }
            return VAL_ERR;
        }
        tup->items[i] = v;
    }
    return val_obj((Obj *)tup);
}

static Value bi_zip(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    static const char *const names[] = {"strict"};
    Value opt[1];
    if (bi_nkw(kw) > 1)
        return vm_raise(t, EXC_TypeError, "zip() takes at most 1 keyword argument (%d given)",
                        bi_nkw(kw));
    if (!bi_kwargs(t, "zip", argc, argv, kw, names, 1, opt))
        return VAL_ERR;
    int strict = 0;
    if (!IS_ERR(opt[0]) && (strict = vm_truthy(t, opt[0])) < 0)
        return VAL_ERR;
    ObjTuple *its = bi_iters(t, argc - bi_nkw(kw), argv);
    if (!its)
        return VAL_ERR;
    ObjIter *it = bi_iter_new(t->vm, bi_zip_next, VAL_NONE, val_obj((Obj *)its));
    it->step = strict;
    return val_obj((Obj *)it);
}

/* map: seq = the function, aux = tuple of iterators. */
static Value bi_map_next(Thread *t, ObjIter *it)
{
    ObjTuple *its = AS_TUPLE(it->aux);
    Value small[4];
    Value *args = its->len <= 4 ? small : mem_alloc(sizeof(Value) * (size_t)its->len);
    int64_t n = 0;
    Value r = VAL_ERR;
    for (; n < its->len; n++) {
        args[n] = vm_next(t, its->items[n]);
        if (IS_ERR(args[n]))
            goto done;
    }
    r = vm_call(t, it->seq, (int)n, args, NULL);
done:
    for (int64_t i = 0; i < n; i++)
        val_decref(args[i]);
    if (args != small)
        mem_free(args);
    return r;
}

static Value bi_map(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_nokw(t, "map", kw))
        return VAL_ERR;
    if (argc < 2)
        return vm_raise(t, EXC_TypeError, "map() must have at least two arguments.");
    ObjTuple *its = bi_iters(t, argc - 1, argv + 1);
    if (!its)
        return VAL_ERR;
    ObjIter *it = bi_iter_new(t->vm, bi_map_next, val_dup(argv[0]), val_obj((Obj *)its));
    return val_obj((Obj *)it);
}

/* filter: seq = the iterator, aux = the predicate or None. */
static Value bi_filter_next(Thread *t, ObjIter *it)
{
    for (;;) {
        Value item = vm_next(t, it->seq);
        if (IS_ERR(item))
            return VAL_ERR;
        int ok;
        if (IS_NONE(it->aux)) {
            ok = vm_truthy(t, item);
        } else {
            Value r = vm_call(t, it->aux, 1, &item, NULL);
            if (IS_ERR(r)) {
                val_decref(item);
                return VAL_ERR;
            }
            ok = vm_truthy(t, r);
            val_decref(r);
        }
        if (ok > 0)
            return item;
        val_decref(item);
        if (ok < 0)
            return VAL_ERR;
    }
}

static Value bi_filter(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_nokw(t, "filter", kw) || !bi_npos(t, "filter", argc, 2, 2))
        return VAL_ERR;
    Value src = vm_iter(t, argv[1]);
    if (IS_ERR(src))
        return VAL_ERR;
    ObjIter *it = bi_iter_new(t->vm, bi_filter_next, src, val_dup(argv[0]));
    return val_obj((Obj *)it);
}

/* reversed over a sequence: seq = the sequence, i = the next index (counts
 * down; -1 once done).  Lists and tuples are read directly, anything else
 * through __getitem__.  A list that shrank ends the iteration, as in
 * CPython. */
static Value bi_reversed_next(Thread *t, ObjIter *it)
{
    if (it->i < 0)
        return VAL_ERR;
    int64_t i = it->i--;
    Value seq = it->seq;
    if (IS_LIST(seq)) {
        if (i >= AS_LIST(seq)->len) {
            it->i = -1;
            return VAL_ERR;
        }
        return val_dup(AS_LIST(seq)->items[i]);
    }
    if (IS_TUPLE(seq))
        return val_dup(AS_TUPLE(seq)->items[i]);
    Value r = vm_getitem(t, seq, val_int(i));
    if (IS_ERR(r) && (vm_exc_matches(t, EXC_IndexError) || vm_exc_matches(t, EXC_StopIteration))) {
        vm_exc_clear(t);
        it->i = -1;
    }
    return r;
}

static Value bi_reversed(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_nokw(t, "reversed", kw) || !bi_npos(t, "reversed", argc, 1, 1))
        return VAL_ERR;
    Vm *vm = t->vm;
    Value v = argv[0];
    if (IS_KIND(v, OBJ_RANGE)) {
        ObjRange *r = AS_RANGE(v);
        int64_t n = vm_len(t, v);
        if (n < 0)
            return VAL_ERR;
        ObjRange *rr = (ObjRange *)obj_alloc(vm, sizeof(ObjRange), OBJ_RANGE, vm->types[TY_RANGE]);
        /* last = start + (n-1)*step; computed in unsigned to wrap like the range does. */
        rr->start = (int64_t)((uint64_t)r->start + (uint64_t)(n - 1) * (uint64_t)r->step);
        rr->step = -r->step;
        rr->stop = (int64_t)((uint64_t)r->start - (uint64_t)r->step);
        if (n == 0) {
            rr->start = rr->stop = 0;
            rr->step = 1;
        }
        Value rv = val_obj((Obj *)rr);
        Value it = vm_iter(t, rv);
        obj_decref((Obj *)rr);
        return it;
    }
    if (IS_DICT(v)) {
        ObjList *keys = list_new(vm, AS_DICT(v)->len);
        int64_t pos = 0;
        Value k, val;
        while (dict_next(AS_DICT(v), &pos, &k, &val))
            list_append(keys, k);
        ObjIter *it = bi_iter_new(vm, bi_reversed_next, val_obj((Obj *)keys), VAL_NONE);
        it->i = keys->len - 1;
        return val_obj((Obj *)it);
    }
    ObjClass *cls = vm_class_of(vm, v);
    if (IS_OBJ(v) && vm_class_lookup(cls, str_intern_cstr(vm, "__reversed__")))
        return vm_call_method(t, v, str_intern_cstr(vm, "__reversed__"), 0, NULL);
    bool seq = IS_LIST(v) || IS_TUPLE(v) || IS_STR(v) || IS_BYTES(v)
               || (IS_INSTANCE(v) && vm_class_lookup(cls, vm->s_getitem)
                   && vm_class_lookup(cls, vm->s_len));
    if (!seq)
        return vm_raise(t, EXC_TypeError, "'%s' object is not reversible", vm_type_name(vm, v));
    int64_t n = vm_len(t, v);
    if (n < 0)
        return VAL_ERR;
    ObjIter *it = bi_iter_new(vm, bi_reversed_next, val_dup(v), VAL_NONE);
    it->i = n - 1;
    return val_obj((Obj *)it);
}

/* sorted(iterable, /, *, key=None, reverse=False): a new list sorted by
 * list.sort, which receives the keyword arguments unchanged. */
static Value bi_sorted(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    int npos = argc - bi_nkw(kw);
    if (!bi_npos(t, "sorted", npos, 1, 1))
        return VAL_ERR;
    ObjList *l = vm_list_from_iter(t, argv[0]);
    if (!l)
        return VAL_ERR;
    Value lv = val_obj((Obj *)l);
    Value sort = vm_getattr(t, lv, str_intern_cstr(t->vm, "sort"));
    if (IS_ERR(sort))
        goto err;
    Value r = vm_call(t, sort, argc - 1, argv + 1, kw);
    val_decref(sort);
    if (IS_ERR(r))
        goto err;
    val_decref(r);
    return lv;
err:
    obj_decref((Obj *)l);
    return VAL_ERR;
}

/* ---- round, divmod, pow ----------------------------------------------------- */

static const int64_t bi_pow10[19] = {
    1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL, 100000000LL,
    1000000000LL, 10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL,
    100000000000000LL, 1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
    1000000000000000000LL,
};

/* round(i, -nd) for an int: to a multiple of 10**nd, ties to even. */
static Value bi_round_int(Thread *t, int64_t i, int64_t nd)
{
    if (nd > 18)
        return val_int(0);
    int64_t p = bi_pow10[nd];
    int64_t q = i / p, r = i % p;
    if (r < 0) {
        q--;
        r += p;
    }
    /* now i = q*p + r with 0 <= r < p */
    if (r > p - r || (r == p - r && (q & 1)))
        q++;
    int64_t out;
    if (__builtin_mul_overflow(q, p, &out))
        return vm_raise(t, EXC_OverflowError, NUM_OVERFLOW_MSG);
    return val_int(out);
}

/* round(x) for a float: ties to even, then to int. */
static double bi_round_half_even(double x)
{
    double r = round(x);
    if (fabs(x - r) == 0.5)
        r = 2.0 * round(x / 2.0);
    return r;
}

/* round(x, nd) for a float, correctly rounded on the exact binary value as
 * CPython's dtoa-based version: glibc's printf prints the exact decimal
 * expansion and rounds it half-even.  Negative nd rounds the (exact)
 * integer digits by hand, the fraction acting as a sticky bit. */
static Value bi_round_float(Thread *t, double x, int64_t nd)
{
    if (!isfinite(x) || x == 0.0 || nd > 330)
        return val_float(x);
    if (nd >= 0) {
        char buf[700];
        snprintf(buf, sizeof buf, "%.*f", (int)nd, x);
        return val_float(strtod(buf, NULL));
    }
    if (nd < -330)
        return val_float(0.0 * x);
    double ip;
    double frac = modf(fabs(x), &ip);
    char digits[400];
    int len = snprintf(digits, sizeof digits, "%.0f", ip);
    int64_t keep = len + nd;        /* digits kept before the rounding position */
    if (keep < 0)
        return val_float(0.0 * x);
    bool up = false;
    if (keep < len) {
        char rd = digits[keep];
        bool rest = frac != 0.0;
        for (int i = (int)keep + 1; i < len && !rest; i++)
            rest = digits[i] != '0';
        bool odd = keep > 0 && ((digits[keep - 1] - '0') & 1);
        up = rd > '5' || (rd == '5' && (rest || odd));
    }
    char out[410];
    int k = 0;
    out[k++] = '0';                 /* room for a carry */
    for (int i = 0; i < keep; i++)
        out[k++] = digits[i];
    if (up) {
        int i = k - 1;
        while (out[i] == '9')
            out[i--] = '0';
        out[i]++;
    }
    for (int64_t i = 0; i < -nd; i++)
        out[k++] = '0';
    out[k] = '\0';
    double r = strtod(out, NULL);
    if (isinf(r))
        return vm_raise(t, EXC_OverflowError, "rounded value too large to represent");
    return val_float(x < 0 ? -r : r);
}

static Value bi_round(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    static const char *const names[] = {"number", "ndigits"};
    Value a[2];
    if (!arg_parse(t, "round", argc, argv, kw, names, 1, 2, a))
        return VAL_ERR;
    Value x = a[0];
    bool has_nd = !IS_ERR(a[1]) && !IS_NONE(a[1]);
    int64_t nd = 0;
    if (IS_INTLIKE(x) || IS_FLOAT(x)) {
        if (has_nd && !vm_to_index(t, a[1], &nd))
            return VAL_ERR;
    }
    if (IS_INTLIKE(x)) {
        if (!has_nd || nd >= 0)
            return val_int(x.as.i);
        return bi_round_int(t, x.as.i, nd == INT64_MIN ? INT64_MAX : -nd);
    }
    if (IS_FLOAT(x)) {
        if (!has_nd)
            return num_int_from_double(t, bi_round_half_even(x.as.f));
        return bi_round_float(t, x.as.f, nd);
    }
    Value r = bi_call_dunder(t, x, "__round__", has_nd ? 1 : 0, &a[1]);
    if (IS_ERR(r) && IS_ERR(t->exc))
        return vm_raise(t, EXC_TypeError, "type %s doesn't define __round__ method",
                        vm_type_name(t->vm, x));
    return r;
}

/* Python's float divmod (floor division, remainder with the divisor's sign). */
static void bi_float_divmod(double vx, double wx, double *div_out, double *mod_out)
{
    double mod = fmod(vx, wx);
    double div = (vx - mod) / wx;
    if (mod != 0.0) {
        if ((wx < 0) != (mod < 0)) {
            mod += wx;
            div -= 1.0;
        }
    } else {
        mod = copysign(0.0, wx);
    }
    double floordiv;
    if (div != 0.0) {
        floordiv = floor(div);
        if (div - floordiv > 0.5)
            floordiv += 1.0;
    } else {
        floordiv = copysign(0.0, vx / wx);
    }
    *div_out = floordiv;
    *mod_out = mod;
}

static Value bi_divmod(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!bi_nokw(t, "divmod", kw) || !bi_npos(t, "divmod", argc, 2, 2))
        return VAL_ERR;
    Value a = argv[0], b = argv[1];
    Value q, r;
    if (IS_INTLIKE(a) && IS_INTLIKE(b)) {
        int64_t x = a.as.i, y = b.as.i;
        if (y == 0)
            return vm_raise(t, EXC_ZeroDivisionError, "integer division or modulo by zero");
        if (x == INT64_MIN && y == -1)
            return vm_raise(t, EXC_OverflowError, NUM_OVERFLOW_MSG);
        int64_t dq = x / y, dr = x % y;
        if (dr != 0 && ((dr < 0) != (y < 0))) {
            dq--;
            dr += y;
        }
        q = val_int(dq);
        r = val_int(dr);
    } else if ((IS_INTLIKE(a) || IS_FLOAT(a)) && (IS_INTLIKE(b) || IS_FLOAT(b))) {
        double x = IS_FLOAT(a) ? a.as.f : (double)a.as.i;
        double y = IS_FLOAT(b) ? b.as.f : (double)b.as.i;
        if (y == 0.0)
            return vm_raise(t, EXC_ZeroDivisionError, "float divmod()");
        double dq, dr;
        bi_float_divmod(x, y, &dq, &dr);
        q = val_float(dq);
        r = val_float(dr);
    } else {
        Value res = IS_OBJ(a) ? bi_call_dunder(t, a, "__divmod__", 1, &b) : VAL_ERR;
        if (!IS_ERR(res) || !IS_ERR(t->exc))
            return res;
        return vm_raise(t, EXC_TypeError,
                        "unsupported operand type(s) for divmod(): '%s' and '%s'",
                        vm_type_name(t->vm, a), vm_type_name(t->vm, b));
    }
    ObjTuple *tup = tuple_new(t->vm, 2);
    tup->items[0] = q;
    tup->items[1] = r;
    return val_obj((Obj *)tup);
}

/* a*b mod m for 0 <= a, b < m. */
static uint64_t bi_mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)(((unsigned __int128)a * b) % m);
}

/* The inverse of a modulo m (m > 0), or false if gcd(a, m) != 1. */
static bool bi_modinv(int64_t a, int64_t m, int64_t *out)
{
    __int128 r0 = m, r1 = a, s0 = 0, s1 = 1;
    while (r1 != 0) {
        __int128 q = r0 / r1, tmp;
        tmp = r0 - q * r1; r0 = r1; r1 = tmp;
        tmp = s0 - q * s1; s0 = s1; s1 = tmp;
    }
    if (r0 != 1)
        return false;
    s0 %= m;
    if (s0 < 0)
        s0 += m;
    *out = (int64_t)s0;
    return true;
}

static Value bi_pow(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    static const char *const names[] = {"base", "exp", "mod"};
    Value a[3];
    if (!arg_parse(t, "pow", argc, argv, kw, names, 2, 3, a))
        return VAL_ERR;
    if (IS_ERR(a[2]) || IS_NONE(a[2]))
        return vm_binop(t, BINOP_POW, a[0], a[1]);
    if (!IS_INTLIKE(a[0]) || !IS_INTLIKE(a[1]) || !IS_INTLIKE(a[2]))
        return vm_raise(t, EXC_TypeError,
                        "pow() 3rd argument not allowed unless all arguments are integers");
    int64_t base = a[0].as.i, e = a[1].as.i, m = a[2].as.i;
    if (m == 0)
        return vm_raise(t, EXC_ValueError, "pow() 3rd argument cannot be 0");
    bool neg_m = m < 0;
    uint64_t um = neg_m ? (uint64_t)0 - (uint64_t)m : (uint64_t)m;
    if (um == 1)
        return val_int(0);
    /* base reduced into [0, um) */
    int64_t b = (int64_t)(((__int128)base % (__int128)um + um) % um);
    if (e < 0) {
        if (um > (uint64_t)INT64_MAX || !bi_modinv(b, (int64_t)um, &b))
            return vm_raise(t, EXC_ValueError, "base is not invertible for the given modulus");
    }
    uint64_t ue = e < 0 ? (uint64_t)0 - (uint64_t)e : (uint64_t)e;
    uint64_t result = 1 % um, ub = (uint64_t)b;
    for (; ue; ue >>= 1) {
        if (ue & 1)
            result = bi_mulmod(result, ub, um);
        ub = bi_mulmod(ub, ub, um);
    }
    int64_t r = (int64_t)result;
    if (neg_m && r != 0)
        r -= (int64_t)um;
    return val_int(r);
}

/* ---- the table -------------------------------------------------------------- */

const NativeDef builtin_functions[] = {
    {"print", bi_print},
    {"input", bi_input},
    {"len", bi_len},
    {"abs", bi_abs},
    {"min", bi_min},
    {"max", bi_max},
    {"sum", bi_sum},
    {"any", bi_any},
    {"all", bi_all},
    {"isinstance", bi_isinstance},
    {"issubclass", bi_issubclass},
    {"enumerate", bi_enumerate},
    {"zip", bi_zip},
    {"map", bi_map},
    {"filter", bi_filter},
    {"reversed", bi_reversed},
    {"sorted", bi_sorted},
    {"iter", bi_iter},
    {"next", bi_next},
    {"repr", bi_repr},
    {"hash", bi_hash},
    {"id", bi_id},
    {"callable", bi_callable},
    {"chr", bi_chr},
    {"ord", bi_ord},
    {"hex", bi_hex},
    {"oct", bi_oct},
    {"bin", bi_bin},
    {"format", bi_format},
    {"round", bi_round},
    {"divmod", bi_divmod},
    {"pow", bi_pow},
    {"getattr", bi_getattr},
    {"hasattr", bi_hasattr},
    {"setattr", bi_setattr},
    {"delattr", bi_delattr},
    {"vars", bi_vars},
    {NULL, NULL},
};
