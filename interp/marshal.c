/*
 * marshal.c -- values to bytes and back (format in marshal.h).
 *
 * Loading trusts nothing: every length is checked against the bytes left
 * before anything is allocated, strings are checked to be UTF-8, nesting is
 * bounded, so that any byte string either loads or raises ValueError.
 */
#include "marshal.h"

#include <string.h>

#include "code.h"
#include "vm.h"

/* ---- dumping ------------------------------------------------------------------ */

static void put_varint(StrBuf *sb, uint64_t v)
{
    char buf[10];
    int n = 0;
    do {
        unsigned char b = v & 0x7f;
        v >>= 7;
        buf[n++] = (char)(v ? b | 0x80 : b);
    } while (v);
    sb_append(sb, buf, n);
}

static void put_bytes(StrBuf *sb, char tag, const void *p, int64_t len)
{
    sb_putc(sb, tag);
    put_varint(sb, (uint64_t)len);
    sb_append(sb, p, len);
}

static Value cannot_send(Thread *t, Value v)
{
    return vm_raise(t, EXC_TypeError, "cannot send %s across processes", vm_type_name(t->vm, v));
}

/* The namespace of module `name` ("builtins" too), or NULL. */
static ObjDict *module_ns(Vm *vm, ObjStr *name)
{
    if (strcmp(name->chars, "builtins") == 0)
        return vm->builtins;
    Value *m = dict_find_str(vm->modules, name);
    return m && IS_KIND(*m, OBJ_MODULE) ? AS_MODULE(*m)->dict : NULL;
}

static bool ns_holds(ObjDict *ns, ObjStr *name, Value v)
{
    Value *found = ns ? dict_find_str(ns, name) : NULL;
    return found && IS_OBJ(*found) && AS_OBJ(*found) == AS_OBJ(v);
}

/* Writes 'g' module name for a module-level function, class or builtin
 * found again under its own name; false (nothing written) otherwise. */
static bool dump_global(Thread *t, Value v, StrBuf *sb)
{
    Vm *vm = t->vm;
    ObjStr *name = NULL, *home = NULL;
    switch (OBJ_KIND(v)) {
    case OBJ_FUNC: {
        ObjFunc *f = (ObjFunc *)AS_OBJ(v);
        if (!f->code->qualname || !str_eq(f->code->qualname, f->code->name))
            return false;       /* nested or a method: not reachable by name */
        name = f->code->name;
        Value *mn = dict_find_str(f->globals, vm->s_name);
        if (mn && IS_STR(*mn))
            home = AS_STR(*mn);
        break;
    }
    case OBJ_CLASS: {
        ObjClass *c = AS_CLASS(v);
        name = c->name;
        Value *mn = dict_find_str(c->dict, vm->s_module);
        if (mn && IS_STR(*mn))
            home = AS_STR(*mn);
        break;
    }
    case OBJ_NATIVE:
        name = str_intern_cstr(vm, AS_NATIVE(v)->name);
        break;
    default:
        return false;
    }
    ObjStr *where = NULL;
    if (home && ns_holds(module_ns(vm, home), name, v)) {
        where = home;
    } else if (ns_holds(vm->builtins, name, v)) {
        where = str_intern_cstr(vm, "builtins");
    } else {
        int64_t pos = 0;
        Value k, m;
        while (!where && dict_next(vm->modules, &pos, &k, &m))
            if (IS_STR(k) && IS_KIND(m, OBJ_MODULE) && ns_holds(AS_MODULE(m)->dict, name, v))
                where = AS_STR(k);
    }
    if (!where)
        return false;
    sb_putc(sb, 'g');
    put_bytes(sb, 's', where->chars, where->len);
    put_bytes(sb, 's', name->chars, name->len);
    return true;
}

static int dump(Thread *t, Value v, StrBuf *sb, int depth);

static int dump_items(Thread *t, char tag, const Value *items, int64_t n, StrBuf *sb, int depth)
{
    sb_putc(sb, tag);
    put_varint(sb, (uint64_t)n);
    for (int64_t i = 0; i < n; i++)
        if (dump(t, items[i], sb, depth + 1) < 0)
            return -1;
    return 0;
}

static int dump_dict(Thread *t, ObjDict *d, char tag, StrBuf *sb, int depth, bool skip_dunder)
{
    int64_t n = 0, pos = 0;
    Value k, v;
    while (dict_next(d, &pos, &k, &v))
        if (!(skip_dunder && IS_STR(k) && (strncmp(AS_STR(k)->chars, "__", 2) == 0 ||
                                           strcmp(AS_STR(k)->chars, "args") == 0)))
            n++;
    sb_putc(sb, tag);
    put_varint(sb, (uint64_t)n);
    pos = 0;
    while (dict_next(d, &pos, &k, &v)) {
        if (skip_dunder && IS_STR(k) && (strncmp(AS_STR(k)->chars, "__", 2) == 0 ||
                                         strcmp(AS_STR(k)->chars, "args") == 0))
            continue;
        if (dump(t, k, sb, depth + 1) < 0)
            return -1;
        if (tag == 'd' && dump(t, v, sb, depth + 1) < 0)
            return -1;
    }
    return 0;
}

static int dump_instance(Thread *t, Value v, StrBuf *sb, int depth)
{
    Vm *vm = t->vm;
    ObjInstance *inst = AS_INSTANCE(v);
    ObjClass *cls = inst->obj.cls;
    if (cls->layout != OBJ_INSTANCE) {
        cannot_send(t, v);
        return -1;
    }
    bool exc = vm_is_subclass(cls, vm->exc[EXC_BaseException]);
    StrBuf ref;
    sb_init(&ref);
    if (!dump_global(t, val_obj(&cls->obj), &ref)) {
        sb_fini(&ref);
        vm_raise(t, EXC_TypeError, "cannot send %s across processes (its class is not a module-level global)",
                 cls->name->chars);
        return -1;
    }
    sb_putc(sb, exc ? 'e' : 'o');
    sb_append(sb, ref.buf, ref.len);
    sb_fini(&ref);
    if (exc) {
        Value *args = dict_find_str(inst->dict, vm->s_args);
        if (args && IS_TUPLE(*args)) {
            if (dump_items(t, 't', AS_TUPLE(*args)->items, AS_TUPLE(*args)->len, sb, depth) < 0)
                return -1;
        } else {
            dump_items(t, 't', NULL, 0, sb, depth);
        }
        return dump_dict(t, inst->dict, 'd', sb, depth, true);
    }
    return dump_dict(t, inst->dict, 'd', sb, depth, false);
}

static int dump(Thread *t, Value v, StrBuf *sb, int depth)
{
    if (depth > MARSHAL_MAX_DEPTH) {
        vm_raise(t, EXC_ValueError, "object too deeply nested (or recursive) to send across processes");
        return -1;
    }
    switch (v.kind) {
    case V_NONE:
        sb_putc(sb, 'N');
        return 0;
    case V_BOOL:
        sb_putc(sb, v.as.i ? 'T' : 'F');
        return 0;
    case V_INT:
        sb_putc(sb, 'i');
        put_varint(sb, ((uint64_t)v.as.i << 1) ^ (uint64_t)(v.as.i >> 63));
        return 0;
    case V_FLOAT: {
        uint64_t bits;
        memcpy(&bits, &v.as.f, 8);
        char b[9];
        b[0] = 'f';
        for (int i = 0; i < 8; i++)
            b[1 + i] = (char)(bits >> (8 * i));
        sb_append(sb, b, 9);
        return 0;
    }
    case V_OBJ:
        break;
    default:
        cannot_send(t, v);
        return -1;
    }
    Vm *vm = t->vm;
    switch (OBJ_KIND(v)) {
    case OBJ_STR:
        put_bytes(sb, 's', AS_STR(v)->chars, AS_STR(v)->len);
        return 0;
    case OBJ_BYTES:
        put_bytes(sb, 'b', AS_BYTES(v)->data, AS_BYTES(v)->len);
        return 0;
    case OBJ_TUPLE:
        return dump_items(t, 't', AS_TUPLE(v)->items, AS_TUPLE(v)->len, sb, depth);
    case OBJ_LIST: {
        /* a snapshot: dumping an item cannot run code, but keep it simple and safe */
        ObjList *l = AS_LIST(v);
        sb_putc(sb, 'l');
        put_varint(sb, (uint64_t)l->len);
        for (int64_t i = 0; i < l->len; i++)
            if (dump(t, l->items[i], sb, depth + 1) < 0)
                return -1;
        return 0;
    }
    case OBJ_DICT:
        return dump_dict(t, AS_DICT(v), 'd', sb, depth, false);
    case OBJ_SET:
        return dump_dict(t, AS_DICT(v), 'S', sb, depth, false);
    case OBJ_FUNC:
    case OBJ_CLASS:
    case OBJ_NATIVE:
        if (dump_global(t, v, sb))
            return 0;
        if (OBJ_KIND(v) == OBJ_FUNC) {
            vm_raise(t, EXC_TypeError,
                     "cannot send function %s across processes (only module-level functions, by name)",
                     AS_FUNC(v)->code->qualname ? AS_FUNC(v)->code->qualname->chars : "?");
            return -1;
        }
        cannot_send(t, v);
        return -1;
    case OBJ_INSTANCE:
        return dump_instance(t, v, sb, depth);
    default:
        (void)vm;
        cannot_send(t, v);
        return -1;
    }
}

int marshal_dump(Thread *t, Value v, StrBuf *sb)
{
    return dump(t, v, sb, 0);
}

/* ---- loading ------------------------------------------------------------------ */

typedef struct Reader {
    const unsigned char *p, *end;
} Reader;

static Value bad(Thread *t, const char *why)
{
    return vm_raise(t, EXC_ValueError, "bad marshal data (%s)", why);
}

static bool get_varint(Reader *r, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (r->p >= r->end)
            return false;
        unsigned char b = *r->p++;
        if (shift == 63 && (b & 0x7e))
            return false;       /* beyond 64 bits */
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* A count of items that each take at least one byte: never more than what is left. */
static bool get_count(Reader *r, int64_t *out)
{
    uint64_t n;
    if (!get_varint(r, &n) || n > (uint64_t)(r->end - r->p))
        return false;
    *out = (int64_t)n;
    return true;
}

static bool utf8_valid(const unsigned char *s, int64_t len)
{
    int64_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        int n;
        uint32_t cp, min;
        if ((c & 0xe0) == 0xc0) {
            n = 1, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2, cp = c & 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (len - i <= n)
            return false;
        for (int k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n + 1;
    }
    return true;
}

/* A length-prefixed run of bytes (after its tag). */
static bool get_blob(Reader *r, const unsigned char **p, int64_t *len)
{
    uint64_t n;
    if (!get_varint(r, &n) || n > (uint64_t)(r->end - r->p))
        return false;
    *p = r->p;
    *len = (int64_t)n;
    r->p += n;
    return true;
}

static Value load(Thread *t, Reader *r, int depth);

/* 'g' module name -> the object, borrowed from its namespace. */
static Value load_global(Thread *t, Reader *r)
{
    Vm *vm = t->vm;
    const unsigned char *mp, *np;
    int64_t ml, nl;
    if (r->p + 2 > r->end || *r->p++ != 's' || !get_blob(r, &mp, &ml) || r->p >= r->end || *r->p++ != 's' ||
        !get_blob(r, &np, &nl))
        return bad(t, "truncated global");
    if (!utf8_valid(mp, ml) || !utf8_valid(np, nl))
        return bad(t, "bad UTF-8");
    ObjStr *mod = str_new(vm, (const char *)mp, ml);
    ObjStr *name = str_new(vm, (const char *)np, nl);
    ObjDict *ns = module_ns(vm, mod);
    Value *v = ns ? dict_find_str(ns, name) : NULL;
    Value res = v ? val_dup(*v)
                  : vm_raise(t, EXC_AttributeError, "Can't get attribute '%s' on module '%s'", name->chars,
                             mod->chars);
    obj_decref(&mod->obj);
    obj_decref(&name->obj);
    return res;
}

static Value load_instance(Thread *t, Reader *r, int depth, bool exc)
{
    Vm *vm = t->vm;
    if (r->p >= r->end || *r->p++ != 'g')
        return bad(t, "instance without a class");
    Value cls = load_global(t, r);
    if (IS_ERR(cls))
        return VAL_ERR;
    bool is_exc = IS_CLASS(cls) && vm_is_subclass(AS_CLASS(cls), vm->exc[EXC_BaseException]);
    if (!IS_CLASS(cls) || AS_CLASS(cls)->layout != OBJ_INSTANCE || is_exc != exc) {
        val_decref(cls);
        return bad(t, "not a class of instances");
    }
    Value args = VAL_ERR;
    if (exc) {
        args = load(t, r, depth + 1);
        if (IS_ERR(args) || !IS_TUPLE(args)) {
            val_decref(cls);
            val_decref(args);
            return IS_ERR(args) ? VAL_ERR : bad(t, "exception arguments");
        }
    }
    Value attrs = load(t, r, depth + 1);
    if (IS_ERR(attrs) || !IS_DICT(attrs)) {
        val_decref(cls);
        val_decref(args);
        val_decref(attrs);
        return IS_ERR(attrs) ? VAL_ERR : bad(t, "instance attributes");
    }
    Value res;
    if (exc) {
        res = vm_call(t, cls, (int)AS_TUPLE(args)->len, AS_TUPLE(args)->items, NULL);
    } else {
        ObjInstance *inst = (ObjInstance *)obj_alloc(vm, sizeof(ObjInstance), OBJ_INSTANCE, AS_CLASS(cls));
        obj_incref(AS_OBJ(cls));
        inst->dict = dict_new(vm);
        res = val_obj(&inst->obj);
    }
    int64_t pos = 0;
    Value k, v;
    while (!IS_ERR(res) && dict_next(AS_DICT(attrs), &pos, &k, &v)) {
        if (!IS_STR(k)) {
            val_decref(res);
            res = bad(t, "attribute name");
        } else if (IS_INSTANCE(res)) {
            dict_set_str(vm, AS_INSTANCE(res)->dict, str_intern(vm, AS_STR(k)->chars, AS_STR(k)->len), v);
        }
    }
    val_decref(cls);
    val_decref(args);
    val_decref(attrs);
    return res;
}

static Value load(Thread *t, Reader *r, int depth)
{
    Vm *vm = t->vm;
    if (depth > MARSHAL_MAX_DEPTH)
        return bad(t, "too deeply nested");
    if (r->p >= r->end)
        return bad(t, "truncated");
    unsigned char tag = *r->p++;
    switch (tag) {
    case 'N':
        return VAL_NONE;
    case 'T':
        return VAL_TRUE;
    case 'F':
        return VAL_FALSE;
    case 'i': {
        uint64_t z;
        if (!get_varint(r, &z))
            return bad(t, "truncated int");
        return val_int((int64_t)(z >> 1) ^ -(int64_t)(z & 1));
    }
    case 'f': {
        if (r->end - r->p < 8)
            return bad(t, "truncated float");
        uint64_t bits = 0;
        for (int i = 0; i < 8; i++)
            bits |= (uint64_t)r->p[i] << (8 * i);
        r->p += 8;
        double d;
        memcpy(&d, &bits, 8);
        return val_float(d);
    }
    case 's':
    case 'b': {
        const unsigned char *p;
        int64_t len;
        if (!get_blob(r, &p, &len))
            return bad(t, "truncated string");
        if (tag == 'b')
            return val_obj(&bytes_new(vm, p, len)->obj);
        if (!utf8_valid(p, len))
            return bad(t, "bad UTF-8");
        return val_obj(&str_new(vm, (const char *)p, len)->obj);
    }
    case 't':
    case 'l': {
        int64_t n;
        if (!get_count(r, &n))
            return bad(t, "bad length");
        if (tag == 't') {
            ObjTuple *tu = tuple_new(vm, n);
            for (int64_t i = 0; i < n; i++) {
                Value item = load(t, r, depth + 1);
                if (IS_ERR(item)) {
                    obj_decref(&tu->obj);
                    return VAL_ERR;
                }
                tu->items[i] = item;
            }
            return val_obj(&tu->obj);
        }
        ObjList *l = list_new(vm, n);
        for (int64_t i = 0; i < n; i++) {
            Value item = load(t, r, depth + 1);
            if (IS_ERR(item)) {
                obj_decref(&l->obj);
                return VAL_ERR;
            }
            list_append_steal(l, item);
        }
        return val_obj(&l->obj);
    }
    case 'd':
    case 'S': {
        int64_t n;
        if (!get_count(r, &n))
            return bad(t, "bad length");
        ObjDict *d = tag == 'd' ? dict_new(vm) : set_new(vm);
        for (int64_t i = 0; i < n; i++) {
            Value k = load(t, r, depth + 1);
            if (IS_ERR(k)) {
                obj_decref(&d->obj);
                return VAL_ERR;
            }
            int rc;
            if (tag == 'd') {
                Value v = load(t, r, depth + 1);
                if (IS_ERR(v)) {
                    val_decref(k);
                    obj_decref(&d->obj);
                    return VAL_ERR;
                }
                rc = dict_set(t, d, k, v);
                val_decref(v);
            } else {
                rc = set_add(t, d, k);
            }
            val_decref(k);
            if (rc < 0) {
                obj_decref(&d->obj);
                return VAL_ERR;
            }
        }
        return val_obj(&d->obj);
    }
    case 'g':
        return load_global(t, r);
    case 'o':
    case 'e':
        return load_instance(t, r, depth, tag == 'e');
    default:
        return bad(t, "unknown tag");
    }
}

Value marshal_load(Thread *t, const void *data, size_t len)
{
    Reader r = {data, (const unsigned char *)data + len};
    Value v = load(t, &r, 0);
    if (!IS_ERR(v) && r.p != r.end) {
        val_decref(v);
        return bad(t, "trailing bytes");
    }
    return v;
}
