/*
 * bytes.c -- the immutable bytes type: construction, repr, item access for
 * the VM, and the methods workloads use on data from sockets and pipes.
 * str.encode and the codecs live in str.c (str_encode_value,
 * str_decode_bytes).
 */
#include "object.h"

#include <string.h>

#include "vm.h"

ObjBytes *bytes_new(Vm *vm, const void *data, int64_t len)
{
    ObjBytes *b = (ObjBytes *)obj_alloc(vm, sizeof(ObjBytes) + (size_t)len + 1, OBJ_BYTES,
                                        vm->types[TY_BYTES]);
    if (len > 0 && data)
        memcpy(b->data, data, (size_t)len);
    else if (len > 0)
        memset(b->data, 0, (size_t)len);   /* data NULL: zeroed, for the caller to fill */
    b->data[len] = '\0';
    b->len = len;
    return b;
}

ObjStr *bytes_repr(Vm *vm, const ObjBytes *b)
{
    bool has_sq = memchr(b->data, '\'', (size_t)b->len) != NULL;
    bool has_dq = memchr(b->data, '"', (size_t)b->len) != NULL;
    char q = has_sq && !has_dq ? '"' : '\'';
    StrBuf sb;
    sb_init(&sb);
    sb_putc(&sb, 'b');
    sb_putc(&sb, q);
    for (int64_t i = 0; i < b->len; i++) {
        unsigned char c = b->data[i];
        if (c == (unsigned char)q || c == '\\') {
            sb_putc(&sb, '\\');
            sb_putc(&sb, (char)c);
        } else if (c == '\t') {
            sb_puts(&sb, "\\t");
        } else if (c == '\n') {
            sb_puts(&sb, "\\n");
        } else if (c == '\r') {
            sb_puts(&sb, "\\r");
        } else if (c < 0x20 || c >= 0x7F) {
            sb_printf(&sb, "\\x%02x", c);
        } else {
            sb_putc(&sb, (char)c);
        }
    }
    sb_putc(&sb, q);
    return sb_to_str(vm, &sb);
}

static Value new_bytes(Thread *t, const void *p, int64_t len)
{
    return val_obj(&bytes_new(t->vm, p, len)->obj);
}

Value bytes_getitem(Thread *t, ObjBytes *b, Value key)
{
    if (IS_INTLIKE(key)) {
        int64_t i = key.as.i;
        if (i < 0)
            i += b->len;
        if (i < 0 || i >= b->len)
            return vm_raise(t, EXC_IndexError, "index out of range");
        return val_int(b->data[i]);
    }
    if (!IS_KIND(key, OBJ_SLICE))
        return vm_raise(t, EXC_TypeError, "byte indices must be integers or slices, not %s",
                        vm_type_name(t->vm, key));
    int64_t start, stop, step, n;
    if (!slice_indices(t, AS_SLICE(key), b->len, &start, &stop, &step, &n))
        return VAL_ERR;
    if (step == 1)
        return new_bytes(t, b->data + start, n);
    ObjBytes *r = bytes_new(t->vm, NULL, n);
    for (int64_t k = 0, i = start; k < n; k++, i += step)
        r->data[k] = b->data[i];
    return val_obj(&r->obj);
}

ObjBytes *bytes_concat(Vm *vm, const ObjBytes *a, const ObjBytes *b)
{
    ObjBytes *r = bytes_new(vm, NULL, a->len + b->len);
    memcpy(r->data, a->data, (size_t)a->len);
    memcpy(r->data + a->len, b->data, (size_t)b->len);
    return r;
}

Value bytes_repeat(Thread *t, ObjBytes *b, int64_t n)
{
    if (n <= 0 || b->len == 0)
        return new_bytes(t, "", 0);
    if (b->len > INT64_MAX / 2 / n)
        return vm_raise(t, EXC_OverflowError, "repeated bytes are too long");
    ObjBytes *r = bytes_new(t->vm, NULL, b->len * n);
    for (int64_t k = 0; k < n; k++)
        memcpy(r->data + k * b->len, b->data, (size_t)b->len);
    return val_obj(&r->obj);
}

/* First occurrence of needle in hay[from..to), or -1. */
static int64_t bfind(const unsigned char *hay, int64_t from, int64_t to, const unsigned char *nd,
                     int64_t nlen)
{
    if (nlen == 0)
        return from <= to ? from : -1;
    for (int64_t i = from; i + nlen <= to; i++)
        if (hay[i] == nd[0] && memcmp(hay + i, nd, (size_t)nlen) == 0)
            return i;
    return -1;
}

static int64_t brfind(const unsigned char *hay, int64_t from, int64_t to,
                      const unsigned char *nd, int64_t nlen)
{
    for (int64_t i = to - nlen; i >= from; i--)
        if (memcmp(hay + i, nd, (size_t)nlen) == 0)
            return i;
    return -1;
}

int bytes_contains(Thread *t, ObjBytes *b, Value item)
{
    if (IS_INTLIKE(item)) {
        if (item.as.i < 0 || item.as.i > 255) {
            vm_raise(t, EXC_ValueError, "byte must be in range(0, 256)");
            return -1;
        }
        return memchr(b->data, (int)item.as.i, (size_t)b->len) != NULL;
    }
    if (!IS_BYTES(item)) {
        vm_raise(t, EXC_TypeError, "a bytes-like object is required, not '%s'",
                 vm_type_name(t->vm, item));
        return -1;
    }
    return bfind(b->data, 0, b->len, AS_BYTES(item)->data, AS_BYTES(item)->len) >= 0;
}

/* ---- constructor ---------------------------------------------------------------- */

/* One int of an iterable given to bytes(): 0..255. */
static bool byte_value(Thread *t, Value v, unsigned char *out)
{
    if (!IS_INTLIKE(v)) {
        vm_raise(t, EXC_TypeError, "'%s' object cannot be interpreted as an integer",
                 vm_type_name(t->vm, v));
        return false;
    }
    if (v.as.i < 0 || v.as.i > 255) {
        vm_raise(t, EXC_ValueError, "bytes must be in range(0, 256)");
        return false;
    }
    *out = (unsigned char)v.as.i;
    return true;
}

Value bytes_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    static const char *const names[] = {"source", "encoding", "errors"};
    Value a[3];
    if (!arg_parse(t, "bytes", argc, argv, kw, names, 0, 3, a))
        return VAL_ERR;
    Value src = a[0];
    if (IS_ERR(src)) {
        if (!IS_ERR(a[1]) || !IS_ERR(a[2]))
            return vm_raise(t, EXC_TypeError, IS_ERR(a[1]) ? "errors without a string argument"
                                                           : "encoding without a string argument");
        return new_bytes(t, "", 0);
    }
    if (IS_STR(src)) {
        if (IS_ERR(a[1]))
            return vm_raise(t, EXC_TypeError, "string argument without an encoding");
        return str_encode_value(t, AS_STR(src), a[1], a[2]);
    }
    if (!IS_ERR(a[1]))
        return vm_raise(t, EXC_TypeError, "encoding without a string argument");
    if (!IS_ERR(a[2]))
        return vm_raise(t, EXC_TypeError, "errors without a string argument");
    if (IS_INTLIKE(src)) {
        if (src.as.i < 0)
            return vm_raise(t, EXC_ValueError, "negative count");
        ObjBytes *b = bytes_new(t->vm, NULL, src.as.i);
        memset(b->data, 0, (size_t)src.as.i);
        return val_obj(&b->obj);
    }
    if (IS_BYTES(src))
        return val_dup(src);
    if (IS_FLOAT(src) || IS_NONE(src))
        return vm_raise(t, EXC_TypeError, "cannot convert '%s' object to bytes",
                        vm_type_name(t->vm, src));
    ObjList *l = vm_list_from_iter(t, src);
    if (!l)
        return VAL_ERR;
    ObjBytes *b = bytes_new(t->vm, NULL, l->len);
    for (int64_t i = 0; i < l->len; i++) {
        if (!byte_value(t, l->items[i], &b->data[i])) {
            obj_decref(&b->obj);
            obj_decref(&l->obj);
            return VAL_ERR;
        }
    }
    obj_decref(&l->obj);
    return val_obj(&b->obj);
}

/* ---- methods ------------------------------------------------------------------- */

#define SELF_BYTES(name)                                                                   \
    if (!IS_BYTES(self))                                                                   \
        return vm_raise(t, EXC_TypeError,                                                  \
                        "descriptor '" name "' for 'bytes' objects doesn't apply to a '%s' object", \
                        vm_type_name(t->vm, self));                                        \
    ObjBytes *b = AS_BYTES(self)

static bool is_bspace(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static Value m_decode(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_BYTES("decode");
    static const char *const names[] = {"encoding", "errors"};
    Value a[2];
    if (!arg_parse(t, "decode", argc, argv, kw, names, 0, 2, a))
        return VAL_ERR;
    return str_decode_bytes(t, b->data, b->len, a[0], a[1]);
}

/* A bytes argument (or an int for find & co when allow_int): the bytes
 * into p and n, using buf for a single int. */
static bool bytes_arg(Thread *t, Value v, bool allow_int, unsigned char *buf,
                      const unsigned char **p, int64_t *n)
{
    if (IS_BYTES(v)) {
        *p = AS_BYTES(v)->data;
        *n = AS_BYTES(v)->len;
        return true;
    }
    if (allow_int && IS_INTLIKE(v)) {
        if (v.as.i < 0 || v.as.i > 255) {
            vm_raise(t, EXC_ValueError, "byte must be in range(0, 256)");
            return false;
        }
        buf[0] = (unsigned char)v.as.i;
        *p = buf;
        *n = 1;
        return true;
    }
    if (allow_int)
        vm_raise(t, EXC_TypeError, "argument should be integer or bytes-like object, not '%s'",
                 vm_type_name(t->vm, v));
    else
        vm_raise(t, EXC_TypeError, "a bytes-like object is required, not '%s'",
                 vm_type_name(t->vm, v));
    return false;
}

static bool range_args(Thread *t, int argc, const Value *argv, int first, int64_t len,
                       int64_t *start, int64_t *end)
{
    *start = 0;
    *end = len;
    for (int k = 0; k < 2; k++) {
        int i = first + k;
        if (i >= argc || IS_NONE(argv[i]))
            continue;
        if (!IS_INTLIKE(argv[i])) {
            vm_raise(t, EXC_TypeError,
                     "slice indices must be integers or None or have an __index__ method");
            return false;
        }
        *(k ? end : start) = argv[i].as.i;
    }
    if (*end > len)
        *end = len;
    else if (*end < 0 && (*end += len) < 0)
        *end = 0;
    if (*start < 0 && (*start += len) < 0)
        *start = 0;
    return true;
}

/* find/rfind/index/rindex/count: mode 0 find, 1 rfind, 2 count. */
static int64_t search(Thread *t, ObjBytes *b, const char *name, int argc, const Value *argv,
                      ObjTuple *kw, int mode)
{
    unsigned char one;
    const unsigned char *p;
    int64_t n, start, end;
    if (!arg_count(t, name, argc, kw, 1, 3) || !bytes_arg(t, argv[0], true, &one, &p, &n) ||
        !range_args(t, argc, argv, 1, b->len, &start, &end))
        return -2;
    if (mode == 2) {
        if (start > b->len || end < start)
            return 0;
        if (n == 0)
            return end - start + 1;
        int64_t c = 0;
        for (int64_t i = start; (i = bfind(b->data, i, end, p, n)) >= 0; i += n)
            c++;
        return c;
    }
    if (start > b->len || end - start < n)
        return -1;
    return mode ? brfind(b->data, start, end, p, n) : bfind(b->data, start, end, p, n);
}

static Value m_find(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_BYTES("find");
    int64_t r = search(t, b, "find", argc, argv, kw, 0);
    return r == -2 ? VAL_ERR : val_int(r);
}

static Value m_rfind(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_BYTES("rfind");
    int64_t r = search(t, b, "rfind", argc, argv, kw, 1);
    return r == -2 ? VAL_ERR : val_int(r);
}

static Value m_index(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_BYTES("index");
    int64_t r = search(t, b, "index", argc, argv, kw, 0);
    if (r == -1)
        return vm_raise(t, EXC_ValueError, "subsection not found");
    return r == -2 ? VAL_ERR : val_int(r);
}

static Value m_count(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_BYTES("count");
    int64_t r = search(t, b, "count", argc, argv, kw, 2);
    return r == -2 ? VAL_ERR : val_int(r);
}

static Value starts_ends(Thread *t, ObjBytes *b, const char *name, int argc, const Value *argv,
                         ObjTuple *kw, bool ends)
{
    int64_t start, end;
    if (!arg_count(t, name, argc, kw, 1, 3) ||
        !range_args(t, argc, argv, 1, b->len, &start, &end))
        return VAL_ERR;
    Value pat = argv[0];
    int64_t n = 1;
    const Value *pats = &pat;
    if (IS_TUPLE(pat)) {
        n = AS_TUPLE(pat)->len;
        pats = AS_TUPLE(pat)->items;
    }
    for (int64_t k = 0; k < n; k++) {
        if (!IS_BYTES(pats[k]))
            return vm_raise(t, EXC_TypeError,
                            "%s first arg must be bytes or a tuple of bytes, not %s", name,
                            vm_type_name(t->vm, pats[k]));
        ObjBytes *p = AS_BYTES(pats[k]);
        if (start > b->len || end - start < p->len)
            continue;
        int64_t at = ends ? end - p->len : start;
        if (memcmp(b->data + at, p->data, (size_t)p->len) == 0)
            return VAL_TRUE;
    }
    return VAL_FALSE;
}

static Value m_startswith(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_BYTES("startswith");
    return starts_ends(t, b, "startswith", argc, argv, kw, false);
}

static Value m_endswith(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_BYTES("endswith");
    return starts_ends(t, b, "endswith", argc, argv, kw, true);
}

static Value m_join(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_BYTES("join");
    if (!arg_count(t, "join", argc, kw, 1, 1))
        return VAL_ERR;
    ObjList *l = vm_list_from_iter(t, argv[0]);
    if (!l)
        return VAL_ERR;
    StrBuf sb;
    sb_init(&sb);
    for (int64_t i = 0; i < l->len; i++) {
        Value v = l->items[i];
        if (!IS_BYTES(v)) {
            sb_fini(&sb);
            obj_decref(&l->obj);
            return vm_raise(t, EXC_TypeError,
                            "sequence item %lld: expected a bytes-like object, %s found",
                            (long long)i, vm_type_name(t->vm, v));
        }
        if (i > 0)
            sb_append(&sb, (const char *)b->data, b->len);
        sb_append(&sb, (const char *)AS_BYTES(v)->data, AS_BYTES(v)->len);
    }
    obj_decref(&l->obj);
    Value r = new_bytes(t, sb.buf ? sb.buf : "", sb.len);
    sb_fini(&sb);
    return r;
}

static Value m_split(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_BYTES("split");
    static const char *const names[] = {"sep", "maxsplit"};
    Value a[2];
    if (!arg_parse(t, "split", argc, argv, kw, names, 0, 2, a))
        return VAL_ERR;
    int64_t maxsplit = -1;
    if (!IS_ERR(a[1])) {
        if (!IS_INTLIKE(a[1]))
            return vm_raise(t, EXC_TypeError, "'%s' object cannot be interpreted as an integer",
                            vm_type_name(t->vm, a[1]));
        maxsplit = a[1].as.i;
    }
    if (maxsplit < 0)
        maxsplit = INT64_MAX;
    ObjList *out = list_new(t->vm, 0);
    if (!IS_ERR(a[0]) && !IS_NONE(a[0])) {
        const unsigned char *p;
        int64_t n;
        if (!bytes_arg(t, a[0], false, NULL, &p, &n)) {
            obj_decref(&out->obj);
            return VAL_ERR;
        }
        if (n == 0) {
            obj_decref(&out->obj);
            return vm_raise(t, EXC_ValueError, "empty separator");
        }
        int64_t i = 0;
        while (maxsplit-- > 0) {
            int64_t j = bfind(b->data, i, b->len, p, n);
            if (j < 0)
                break;
            list_append_steal(out, new_bytes(t, b->data + i, j - i));
            i = j + n;
        }
        list_append_steal(out, new_bytes(t, b->data + i, b->len - i));
        return val_obj(&out->obj);
    }
    int64_t i = 0;
    for (;;) {
        while (i < b->len && is_bspace(b->data[i]))
            i++;
        if (i >= b->len)
            break;
        if (maxsplit-- <= 0) {
            int64_t e = b->len;
            while (e > i && is_bspace(b->data[e - 1]))
                e--;
            list_append_steal(out, new_bytes(t, b->data + i, e - i));
            break;
        }
        int64_t j = i;
        while (j < b->len && !is_bspace(b->data[j]))
            j++;
        list_append_steal(out, new_bytes(t, b->data + i, j - i));
        i = j;
    }
    return val_obj(&out->obj);
}

/* strip family: which 1 left, 2 right, 3 both. */
static Value strip_impl(Thread *t, ObjBytes *b, const char *name, int argc, const Value *argv,
                        ObjTuple *kw, int which)
{
    if (!arg_count(t, name, argc, kw, 0, 1))
        return VAL_ERR;
    const unsigned char *set = NULL;
    int64_t nset = 0;
    if (argc == 1 && !IS_NONE(argv[0]) && !bytes_arg(t, argv[0], false, NULL, &set, &nset))
        return VAL_ERR;
    int64_t s = 0, e = b->len;
#define IN_SET(c) (set ? memchr(set, (c), (size_t)nset) != NULL : is_bspace(c))
    if (which & 1)
        while (s < e && IN_SET(b->data[s]))
            s++;
    if (which & 2)
        while (e > s && IN_SET(b->data[e - 1]))
            e--;
#undef IN_SET
    return new_bytes(t, b->data + s, e - s);
}

static Value m_strip(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_BYTES("strip");
    return strip_impl(t, b, "strip", argc, argv, kw, 3);
}

static Value m_lstrip(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_BYTES("lstrip");
    return strip_impl(t, b, "lstrip", argc, argv, kw, 1);
}

static Value m_rstrip(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_BYTES("rstrip");
    return strip_impl(t, b, "rstrip", argc, argv, kw, 2);
}

static Value m_replace(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_BYTES("replace");
    const unsigned char *op, *np;
    int64_t on, nn, count = -1;
    if (!arg_count(t, "replace", argc, kw, 2, 3) || !bytes_arg(t, argv[0], false, NULL, &op, &on) ||
        !bytes_arg(t, argv[1], false, NULL, &np, &nn))
        return VAL_ERR;
    if (argc == 3) {
        if (!IS_INTLIKE(argv[2]))
            return vm_raise(t, EXC_TypeError, "'%s' object cannot be interpreted as an integer",
                            vm_type_name(t->vm, argv[2]));
        count = argv[2].as.i;
    }
    if (count < 0)
        count = INT64_MAX;
    StrBuf sb;
    sb_init(&sb);
    int64_t i = 0;
    if (on == 0) {
        for (; count > 0 && i <= b->len; count--) {
            sb_append(&sb, (const char *)np, nn);
            if (i < b->len)
                sb_putc(&sb, (char)b->data[i]);
            i++;
        }
        if (i < b->len)
            sb_append(&sb, (const char *)b->data + i, b->len - i);
    } else {
        while (count-- > 0) {
            int64_t j = bfind(b->data, i, b->len, op, on);
            if (j < 0)
                break;
            sb_append(&sb, (const char *)b->data + i, j - i);
            sb_append(&sb, (const char *)np, nn);
            i = j + on;
        }
        sb_append(&sb, (const char *)b->data + i, b->len - i);
    }
    Value r = new_bytes(t, sb.buf ? sb.buf : "", sb.len);
    sb_fini(&sb);
    return r;
}

static Value m_hex(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_BYTES("hex");
    if (!arg_count(t, "hex", argc, kw, 0, 0))
        return VAL_ERR;
    StrBuf sb;
    sb_init(&sb);
    for (int64_t i = 0; i < b->len; i++)
        sb_printf(&sb, "%02x", b->data[i]);
    return val_obj(&sb_to_str(t->vm, &sb)->obj);
}

/* upper (1) / lower (0): ASCII only, as CPython's bytes. */
static Value case_map(Thread *t, ObjBytes *b, const char *name, int argc, ObjTuple *kw, bool up)
{
    if (!arg_count(t, name, argc, kw, 0, 0))
        return VAL_ERR;
    ObjBytes *r = bytes_new(t->vm, b->data, b->len);
    for (int64_t i = 0; i < r->len; i++) {
        unsigned char c = r->data[i];
        if (up && c >= 'a' && c <= 'z')
            r->data[i] = (unsigned char)(c - 32);
        else if (!up && c >= 'A' && c <= 'Z')
            r->data[i] = (unsigned char)(c + 32);
    }
    return val_obj(&r->obj);
}

static Value m_upper(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_BYTES("upper");
    return case_map(t, b, "bytes.upper", argc, kw, true);
}

static Value m_lower(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_BYTES("lower");
    return case_map(t, b, "bytes.lower", argc, kw, false);
}

static Value m_isdigit(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_BYTES("isdigit");
    if (!arg_count(t, "bytes.isdigit", argc, kw, 0, 0))
        return VAL_ERR;
    if (b->len == 0)
        return VAL_FALSE;
    for (int64_t i = 0; i < b->len; i++)
        if (b->data[i] < '0' || b->data[i] > '9')
            return VAL_FALSE;
    return VAL_TRUE;
}

/* bytes.fromhex(s): reached unbound (self is the str) or on the class or an
 * instance (the str is argv[0]). */
static Value m_fromhex(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Value src = self;
    if (!IS_STR(self)) {
        if (!arg_count(t, "fromhex", argc, kw, 1, 1))
            return VAL_ERR;
        src = argv[0];
    } else if (!arg_count(t, "fromhex", argc + 1, kw, 1, 1)) {
        return VAL_ERR;
    }
    if (!IS_STR(src))
        return vm_raise(t, EXC_TypeError, "fromhex() argument must be str, not %s",
                        vm_type_name(t->vm, src));
    ObjStr *s = AS_STR(src);
    StrBuf sb;
    sb_init(&sb);
    for (int64_t i = 0; i < s->len;) {
        unsigned char c = (unsigned char)s->chars[i];
        if (c == ' ' || (c >= '\t' && c <= '\r')) {
            i++;
            continue;
        }
        int hi = -1, lo = -1;
        for (int k = 0; k < 2; k++) {
            unsigned char d = i + k < s->len ? (unsigned char)s->chars[i + k] : 0;
            int v = d >= '0' && d <= '9' ? d - '0' : d >= 'a' && d <= 'f' ? d - 'a' + 10
                  : d >= 'A' && d <= 'F' ? d - 'A' + 10 : -1;
            if (v < 0) {
                sb_fini(&sb);
                return vm_raise(t, EXC_ValueError,
                                "non-hexadecimal number found in fromhex() arg at position %lld",
                                (long long)(i + k));
            }
            *(k ? &lo : &hi) = v;
        }
        sb_putc(&sb, (char)(hi * 16 + lo));
        i += 2;
    }
    Value r = new_bytes(t, sb.buf ? sb.buf : "", sb.len);
    sb_fini(&sb);
    return r;
}

const NativeDef bytes_methods[] = {
    {"fromhex", m_fromhex},
    {"decode", m_decode},
    {"join", m_join},
    {"startswith", m_startswith},
    {"endswith", m_endswith},
    {"find", m_find},
    {"rfind", m_rfind},
    {"index", m_index},
    {"count", m_count},
    {"split", m_split},
    {"strip", m_strip},
    {"lstrip", m_lstrip},
    {"rstrip", m_rstrip},
    {"replace", m_replace},
    {"hex", m_hex},
    {"upper", m_upper},
    {"lower", m_lower},
    {"isdigit", m_isdigit},
    {NULL, NULL},
};
