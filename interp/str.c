/*
 * str.c -- the str type: UTF-8 storage with a cached code-point count and
 * hash, interning, the growable StrBuf, indexing helpers for the VM, the
 * constructor and the methods of str.
 *
 * Indices seen by Python are code points; storage is UTF-8.  When a string
 * is ASCII (nchars == len) the two coincide and every operation takes the
 * byte-indexed fast path; otherwise positions are converted by walking.
 * Case mapping and the character classes are exact for ASCII and only
 * approximate beyond it (Latin-1 letters are letters; whitespace follows
 * Python's str.isspace).
 */
#include "object.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

/* ---- StrBuf ------------------------------------------------------------------ */

void sb_init(StrBuf *sb)
{
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}

void sb_fini(StrBuf *sb)
{
    mem_free(sb->buf);
    sb_init(sb);
}

static void sb_reserve(StrBuf *sb, int64_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    int64_t cap = sb->cap ? sb->cap : 32;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    sb->buf = mem_realloc(sb->buf, (size_t)cap);
    sb->cap = cap;
}

void sb_append(StrBuf *sb, const char *s, int64_t len)
{
    if (len <= 0)
        return;
    sb_reserve(sb, len);
    memcpy(sb->buf + sb->len, s, (size_t)len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void sb_puts(StrBuf *sb, const char *s)
{
    sb_append(sb, s, (int64_t)strlen(s));
}

void sb_putc(StrBuf *sb, char c)
{
    sb_reserve(sb, 1);
    sb->buf[sb->len++] = c;
    sb->buf[sb->len] = '\0';
}

void sb_printf(StrBuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[128];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        sb_append(sb, small, n);
        return;
    }
    sb_reserve(sb, n);
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += n;
}

void sb_put_utf8(StrBuf *sb, uint32_t c)
{
    char b[4];
    int n;
    if (c < 0x80) {
        b[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        b[0] = (char)(0xC0 | (c >> 6));
        b[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        b[0] = (char)(0xE0 | (c >> 12));
        b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        b[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (c >> 18));
        b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        b[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    sb_append(sb, b, n);
}

ObjStr *sb_to_str(Vm *vm, StrBuf *sb)
{
    ObjStr *s = str_new(vm, sb->buf ? sb->buf : "", sb->len);
    sb_fini(sb);
    return s;
}

/* ---- construction, hashing, comparison ------------------------------------------ */

static int64_t utf8_count(const char *s, int64_t len)
{
    int64_t n = 0;
    for (int64_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

uint32_t str_decode_utf8(const char *s, int64_t len, int64_t *pos)
{
    const unsigned char *p = (const unsigned char *)s + *pos;
    int64_t left = len - *pos;
    uint32_t c = p[0];
    int n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (n > left)
        n = 1;
    if (n == 1) {
        *pos += 1;
        return c;
    }
    c &= 0x3F >> (n - 1);
    for (int k = 1; k < n; k++)
        c = (c << 6) | (p[k] & 0x3F);
    *pos += n;
    return c;
}

ObjStr *str_new(Vm *vm, const char *s, int64_t len)
{
    ObjStr *o = (ObjStr *)obj_alloc_var(vm, sizeof(ObjStr), sizeof(ObjStr) + (size_t)len + 1, OBJ_STR,
                                        vm->types[TY_STR]);
    if (len > 0)
        memcpy(o->chars, s, (size_t)len);
    o->chars[len] = '\0';
    o->len = len;
    o->nchars = utf8_count(o->chars, len);
    return o;
}

ObjStr *str_from_cstr(Vm *vm, const char *s)
{
    return str_new(vm, s, (int64_t)strlen(s));
}

/* FNV-1a over the bytes, then a murmur-style finaliser so that short keys
 * spread over the low bits the dict index uses. */
static uint64_t hash_bytes(const unsigned char *p, int64_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int64_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    /* 0 means "not computed"; -1 is CPython's error value */
    if (h == 0 || h == (uint64_t)-1)
        h = 1;
    return h;
}

uint64_t str_hash(ObjStr *s)
{
    if (s->hash == 0)
        s->hash = hash_bytes((const unsigned char *)s->chars, s->len);
    return s->hash;
}

uint64_t bytes_hash(ObjBytes *b)
{
    if (b->hash == 0)
        b->hash = hash_bytes(b->data, b->len);
    return b->hash;
}

bool str_eq(const ObjStr *a, const ObjStr *b)
{
    if (a == b)
        return true;
    if (a->len != b->len)
        return false;
    if (a->hash && b->hash && a->hash != b->hash)
        return false;
    return memcmp(a->chars, b->chars, (size_t)a->len) == 0;
}

/* UTF-8 byte order is code-point order. */
int str_cmp(const ObjStr *a, const ObjStr *b)
{
    int64_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->chars, b->chars, (size_t)n);
    if (c)
        return c < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
}

ObjStr *str_intern(Vm *vm, const char *s, int64_t len)
{
    if (!vm->interned)
        vm->interned = dict_new(vm);
    ObjStr *tmp = str_new(vm, s, len);
    str_hash(tmp);
    Value *slot = dict_find_str(vm->interned, tmp);
    if (slot) {
        obj_decref(&tmp->obj);
        return AS_STR(*slot);
    }
    tmp->interned = true;
    tmp->obj.flags |= OBJF_IMMORTAL;
    tmp->obj.rc = INT32_MAX / 2;    /* decref can never bring it to zero */
    dict_set_str(vm, vm->interned, tmp, val_obj(&tmp->obj));
    return tmp;
}

ObjStr *str_intern_cstr(Vm *vm, const char *s)
{
    return str_intern(vm, s, (int64_t)strlen(s));
}

ObjStr *str_concat(Vm *vm, const ObjStr *a, const ObjStr *b)
{
    ObjStr *o = (ObjStr *)obj_alloc(vm, sizeof(ObjStr) + (size_t)(a->len + b->len) + 1,
                                    OBJ_STR, vm->types[TY_STR]);
    memcpy(o->chars, a->chars, (size_t)a->len);
    memcpy(o->chars + a->len, b->chars, (size_t)b->len);
    o->len = a->len + b->len;
    o->chars[o->len] = '\0';
    o->nchars = a->nchars + b->nchars;
    return o;
}

/* Byte offset of code point cp (0 <= cp <= nchars). */
static int64_t cp_to_byte(const ObjStr *s, int64_t cp)
{
    if (s->nchars == s->len || cp <= 0)
        return cp <= 0 ? 0 : cp;
    if (cp >= s->nchars)
        return s->len;
    int64_t i = 0;
    for (int64_t n = 0; i < s->len; i++) {
        if (((unsigned char)s->chars[i] & 0xC0) != 0x80) {
            if (n == cp)
                return i;
            n++;
        }
    }
    return s->len;
}

static int64_t byte_to_cp(const ObjStr *s, int64_t b)
{
    if (s->nchars == s->len)
        return b;
    return utf8_count(s->chars, b);
}

ObjStr *str_char_at(Vm *vm, ObjStr *s, int64_t i)
{
    if (s->nchars == s->len)
        return str_new(vm, s->chars + i, 1);
    int64_t b = cp_to_byte(s, i), e = b;
    str_decode_utf8(s->chars, s->len, &e);
    return str_new(vm, s->chars + b, e - b);
}

/* ---- repr -------------------------------------------------------------------- */

/* An approximation of Py_UNICODE_ISPRINTABLE for non-ASCII code points: the
 * C1 controls, the separators other than space, format characters,
 * surrogates, private use and non-characters are not printable. */
static bool uni_printable(uint32_t c)
{
    if (c < 0x20 || c == 0x7F)
        return false;
    if (c < 0x7F)
        return true;
    if (c <= 0xA0 || c == 0xAD)
        return false;
    if ((c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
        (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0x1680 || c == 0x180E ||
        c == 0xFEFF || (c >= 0xD800 && c <= 0xF8FF) || (c >= 0xFFF9 && c <= 0xFFFB) ||
        c == 0xFFFE || c == 0xFFFF || c >= 0xE0000 || (c >= 0x0600 && c <= 0x0605) ||
        c == 0x061C || c == 0x06DD || c == 0x070F)
        return false;
    return c <= 0x10FFFF;
}

static void repr_escape(StrBuf *sb, uint32_t c)
{
    if (c < 0x100)
        sb_printf(sb, "\\x%02x", c);
    else if (c < 0x10000)
        sb_printf(sb, "\\u%04x", c);
    else
        sb_printf(sb, "\\U%08x", c);
}

static ObjStr *repr_common(Vm *vm, const ObjStr *s, bool ascii)
{
    bool has_sq = memchr(s->chars, '\'', (size_t)s->len) != NULL;
    bool has_dq = memchr(s->chars, '"', (size_t)s->len) != NULL;
    char q = has_sq && !has_dq ? '"' : '\'';
    StrBuf sb;
    sb_init(&sb);
    sb_reserve(&sb, s->len + 2);
    sb_putc(&sb, q);
    int64_t i = 0;
    while (i < s->len) {
        unsigned char b = (unsigned char)s->chars[i];
        if (b < 0x80) {
            i++;
            if (b == (unsigned char)q || b == '\\') {
                sb_putc(&sb, '\\');
                sb_putc(&sb, (char)b);
            } else if (b == '\n') {
                sb_puts(&sb, "\\n");
            } else if (b == '\r') {
                sb_puts(&sb, "\\r");
            } else if (b == '\t') {
                sb_puts(&sb, "\\t");
            } else if (b < 0x20 || b == 0x7F) {
                repr_escape(&sb, b);
            } else {
                sb_putc(&sb, (char)b);
            }
            continue;
        }
        int64_t start = i;
        uint32_t c = str_decode_utf8(s->chars, s->len, &i);
        if (!ascii && uni_printable(c))
            sb_append(&sb, s->chars + start, i - start);
        else
            repr_escape(&sb, c);
    }
    sb_putc(&sb, q);
    return sb_to_str(vm, &sb);
}

ObjStr *str_repr(Vm *vm, const ObjStr *s)
{
    return repr_common(vm, s, false);
}

ObjStr *str_ascii(Vm *vm, const ObjStr *s)
{
    return repr_common(vm, s, true);
}

/* ---- helpers for the VM -------------------------------------------------------- */

bool slice_indices(Thread *t, ObjSlice *s, int64_t len, int64_t *start, int64_t *stop,
                   int64_t *step, int64_t *count)
{
    int64_t st = 1, a, b;
    if (!IS_NONE(s->step)) {
        if (!IS_INTLIKE(s->step)) {
            vm_raise(t, EXC_TypeError,
                     "slice indices must be integers or None or have an __index__ method");
            return false;
        }
        st = s->step.as.i;
        if (st == 0) {
            vm_raise(t, EXC_ValueError, "slice step cannot be zero");
            return false;
        }
        if (st < -INT64_MAX)
            st = -INT64_MAX;
    }
    if (IS_NONE(s->start)) {
        a = st < 0 ? INT64_MAX : 0;
    } else if (IS_INTLIKE(s->start)) {
        a = s->start.as.i;
    } else {
        vm_raise(t, EXC_TypeError,
                 "slice indices must be integers or None or have an __index__ method");
        return false;
    }
    if (IS_NONE(s->stop)) {
        b = st < 0 ? INT64_MIN : INT64_MAX;
    } else if (IS_INTLIKE(s->stop)) {
        b = s->stop.as.i;
    } else {
        vm_raise(t, EXC_TypeError,
                 "slice indices must be integers or None or have an __index__ method");
        return false;
    }
    if (a < 0) {
        a += len;
        if (a < 0)
            a = st < 0 ? -1 : 0;
    } else if (a >= len) {
        a = st < 0 ? len - 1 : len;
    }
    if (b < 0) {
        b += len;
        if (b < 0)
            b = st < 0 ? -1 : 0;
    } else if (b >= len) {
        b = st < 0 ? len - 1 : len;
    }
    int64_t n = 0;
    if (st < 0) {
        if (b < a)
            n = (a - b - 1) / (-st) + 1;
    } else if (a < b) {
        n = (b - a - 1) / st + 1;
    }
    *start = a;
    *stop = b;
    *step = st;
    *count = n;
    return true;
}

Value str_getitem(Thread *t, ObjStr *s, Value key)
{
    Vm *vm = t->vm;
    if (IS_INTLIKE(key)) {
        int64_t i = key.as.i;
        if (i < 0)
            i += s->nchars;
        if (i < 0 || i >= s->nchars)
            return vm_raise(t, EXC_IndexError, "string index out of range");
        return val_obj(&str_char_at(vm, s, i)->obj);
    }
    if (!IS_KIND(key, OBJ_SLICE))
        return vm_raise(t, EXC_TypeError, "string indices must be integers, not '%s'",
                        vm_type_name(vm, key));
    int64_t start, stop, step, n;
    if (!slice_indices(t, AS_SLICE(key), s->nchars, &start, &stop, &step, &n))
        return VAL_ERR;
    if (step == 1) {
        int64_t b = cp_to_byte(s, start), e = cp_to_byte(s, start + n);
        return val_obj(&str_new(vm, s->chars + b, e - b)->obj);
    }
    StrBuf sb;
    sb_init(&sb);
    if (s->nchars == s->len) {
        sb_reserve(&sb, n);
        for (int64_t k = 0, i = start; k < n; k++, i += step)
            sb_putc(&sb, s->chars[i]);
    } else {
        /* byte offset of every code point, once */
        int64_t *off = mem_alloc(sizeof(int64_t) * (size_t)(s->nchars + 1));
        int64_t cp = 0;
        for (int64_t i = 0; i < s->len; i++)
            if (((unsigned char)s->chars[i] & 0xC0) != 0x80)
                off[cp++] = i;
        off[cp] = s->len;
        for (int64_t k = 0, i = start; k < n; k++, i += step)
            sb_append(&sb, s->chars + off[i], off[i + 1] - off[i]);
        mem_free(off);
    }
    return val_obj(&sb_to_str(vm, &sb)->obj);
}

Value str_repeat(Thread *t, ObjStr *s, int64_t n)
{
    if (n <= 0 || s->len == 0)
        return val_obj(&str_new(t->vm, "", 0)->obj);
    if (s->len > INT64_MAX / 2 / n)
        return vm_raise_empty(t, EXC_MemoryError);
    if (!vm_check_alloc(t, (double)s->len * (double)n))
        return VAL_ERR;
    ObjStr *o = (ObjStr *)obj_alloc(t->vm, sizeof(ObjStr) + (size_t)(s->len * n) + 1,
                                    OBJ_STR, t->vm->types[TY_STR]);
    for (int64_t k = 0; k < n; k++)
        memcpy(o->chars + k * s->len, s->chars, (size_t)s->len);
    o->len = s->len * n;
    o->nchars = s->nchars * n;
    o->chars[o->len] = '\0';
    return val_obj(&o->obj);
}

/* First occurrence of needle in hay[from..to) (byte offsets), or -1. */
static int64_t find_bytes(const char *hay, int64_t from, int64_t to, const char *needle,
                          int64_t nlen)
{
    if (nlen == 0)
        return from <= to ? from : -1;
    for (int64_t i = from; i + nlen <= to; i++) {
        const char *p = memchr(hay + i, needle[0], (size_t)(to - nlen + 1 - i));
        if (!p)
            return -1;
        i = p - hay;
        if (memcmp(p, needle, (size_t)nlen) == 0)
            return i;
    }
    return -1;
}

static int64_t rfind_bytes(const char *hay, int64_t from, int64_t to, const char *needle,
                           int64_t nlen)
{
    for (int64_t i = to - nlen; i >= from; i--)
        if (memcmp(hay + i, needle, (size_t)nlen) == 0)
            return i;
    return -1;
}

int str_contains(ObjStr *hay, ObjStr *needle)
{
    return find_bytes(hay->chars, 0, hay->len, needle->chars, needle->len) >= 0;
}

Value str_join(Thread *t, ObjStr *sep, Value iterable)
{
    Vm *vm = t->vm;
    ObjList *items;
    if (IS_LIST(iterable)) {
        items = AS_LIST(iterable);
        obj_incref(&items->obj);
    } else {
        items = vm_list_from_iter(t, iterable);
        if (!items)
            return VAL_ERR;
    }
    StrBuf sb;
    sb_init(&sb);
    for (int64_t i = 0; i < items->len; i++) {
        Value v = items->items[i];
        if (!IS_STR(v)) {
            sb_fini(&sb);
            obj_decref(&items->obj);
            return vm_raise(t, EXC_TypeError, "sequence item %lld: expected str instance, %s found",
                            (long long)i, vm_type_name(vm, v));
        }
        if (i > 0)
            sb_append(&sb, sep->chars, sep->len);
        sb_append(&sb, AS_STR(v)->chars, AS_STR(v)->len);
    }
    obj_decref(&items->obj);
    return val_obj(&sb_to_str(vm, &sb)->obj);
}

/* ---- character classes (ASCII exact, Latin-1 letters, Python's spaces) -------- */

static bool uni_isspace(uint32_t c)
{
    if (c < 0x80)
        return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
    return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

static bool uni_isalpha(uint32_t c)
{
    if (c < 0x80)
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    if (c < 0x100)
        return c == 0xAA || c == 0xB5 || c == 0xBA || (c >= 0xC0 && c != 0xD7 && c != 0xF7);
    /* Beyond Latin-1: treat letters of the common alphabets as letters. */
    return (c >= 0x100 && c < 0x2B0) || (c >= 0x370 && c < 0x530 && c != 0x37E && c != 0x387) ||
           (c >= 0x4E00 && c < 0xA000) || (c >= 0x3040 && c < 0x3100) || (c >= 0xAC00 && c < 0xD7A4);
}

static bool uni_isdigit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static bool uni_isupper(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7);
}

static bool uni_islower(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7) || c == 0xB5;
}

static uint32_t uni_toupper(uint32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
        return c - 32;
    return c;
}

static uint32_t uni_tolower(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    return c;
}

/* ---- method plumbing ------------------------------------------------------------ */

static int nkw(const ObjTuple *kwnames)
{
    return kwnames ? (int)kwnames->len : 0;
}

#define SELF_STR(name)                                                                     \
    if (!IS_STR(self))                                                                     \
        return vm_raise(t, EXC_TypeError,                                                  \
                        "descriptor '" name "' for 'str' objects doesn't apply to a '%s' object", \
                        vm_type_name(t->vm, self));                                        \
    ObjStr *s = AS_STR(self)

static Value new_str(Thread *t, const char *p, int64_t len)
{
    return val_obj(&str_new(t->vm, p, len)->obj);
}

static Value same_str(ObjStr *s)
{
    obj_incref(&s->obj);
    return val_obj(&s->obj);
}

/* The str argument of find/count/...: TypeError "must be str, not int". */
static bool arg_str(Thread *t, Value v, ObjStr **out)
{
    if (!IS_STR(v)) {
        vm_raise(t, EXC_TypeError, "must be str, not %s", vm_type_name(t->vm, v));
        return false;
    }
    *out = AS_STR(v);
    return true;
}

/* Optional start/end of find & co, clamped as CPython's ADJUST_INDICES. */
static bool arg_range(Thread *t, int argc, const Value *argv, int first, int64_t len,
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
    if (*end > len) {
        *end = len;
    } else if (*end < 0) {
        *end += len;
        if (*end < 0)
            *end = 0;
    }
    if (*start < 0) {
        *start += len;
        if (*start < 0)
            *start = 0;
    }
    return true;
}

/* find/rfind/index/rindex: the code-point index, -1 if absent, -2 on error. */
static int64_t str_find_impl(Thread *t, ObjStr *s, const char *name, int argc,
                             const Value *argv, ObjTuple *kw, bool reverse)
{
    ObjStr *sub;
    int64_t start, end;
    if (!arg_count(t, name, argc, kw, 1, 3) || !arg_str(t, argv[0], &sub) ||
        !arg_range(t, argc, argv, 1, s->nchars, &start, &end))
        return -2;
    if (start > s->nchars || end - start < sub->nchars)
        return -1;
    int64_t bs = cp_to_byte(s, start), be = cp_to_byte(s, end);
    int64_t r = reverse ? rfind_bytes(s->chars, bs, be, sub->chars, sub->len)
                        : find_bytes(s->chars, bs, be, sub->chars, sub->len);
    return r < 0 ? -1 : byte_to_cp(s, r);
}

static Value m_find(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("find");
    int64_t r = str_find_impl(t, s, "find", argc, argv, kw, false);
    return r == -2 ? VAL_ERR : val_int(r);
}

static Value m_rfind(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("rfind");
    int64_t r = str_find_impl(t, s, "rfind", argc, argv, kw, true);
    return r == -2 ? VAL_ERR : val_int(r);
}

static Value m_index(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("index");
    int64_t r = str_find_impl(t, s, "index", argc, argv, kw, false);
    if (r == -1)
        return vm_raise(t, EXC_ValueError, "substring not found");
    return r == -2 ? VAL_ERR : val_int(r);
}

static Value m_rindex(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("rindex");
    int64_t r = str_find_impl(t, s, "rindex", argc, argv, kw, true);
    if (r == -1)
        return vm_raise(t, EXC_ValueError, "substring not found");
    return r == -2 ? VAL_ERR : val_int(r);
}

static Value m_count(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("count");
    ObjStr *sub;
    int64_t start, end;
    if (!arg_count(t, "count", argc, kw, 1, 3) || !arg_str(t, argv[0], &sub) ||
        !arg_range(t, argc, argv, 1, s->nchars, &start, &end))
        return VAL_ERR;
    if (start > s->nchars || end < start)
        return val_int(0);
    if (sub->len == 0)
        return val_int(end - start + 1);
    int64_t bs = cp_to_byte(s, start), be = cp_to_byte(s, end), n = 0;
    for (int64_t i = bs;; i += sub->len) {
        i = find_bytes(s->chars, i, be, sub->chars, sub->len);
        if (i < 0)
            break;
        n++;
    }
    return val_int(n);
}

/* startswith/endswith: prefix a str or a tuple of str. */
static Value starts_ends(Thread *t, ObjStr *s, const char *name, int argc, const Value *argv,
                         ObjTuple *kw, bool ends)
{
    int64_t start, end;
    if (!arg_count(t, name, argc, kw, 1, 3) ||
        !arg_range(t, argc, argv, 1, s->nchars, &start, &end))
        return VAL_ERR;
    Value pat = argv[0];
    int64_t n = 1;
    const Value *pats = &pat;
    if (IS_TUPLE(pat)) {
        n = AS_TUPLE(pat)->len;
        pats = AS_TUPLE(pat)->items;
    }
    for (int64_t k = 0; k < n; k++) {
        if (!IS_STR(pats[k])) {
            if (IS_TUPLE(pat))
                return vm_raise(t, EXC_TypeError,
                                "tuple for %s must only contain str, not %s", name,
                                vm_type_name(t->vm, pats[k]));
            return vm_raise(t, EXC_TypeError,
                            "%s first arg must be str or a tuple of str, not %s", name,
                            vm_type_name(t->vm, pat));
        }
        ObjStr *p = AS_STR(pats[k]);
        if (start > s->nchars || end - start < p->nchars)
            continue;
        int64_t bs = cp_to_byte(s, start), be = cp_to_byte(s, end);
        int64_t at = ends ? be - p->len : bs;
        if (at >= bs && at + p->len <= be && memcmp(s->chars + at, p->chars, (size_t)p->len) == 0)
            return VAL_TRUE;
    }
    return VAL_FALSE;
}

static Value m_startswith(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("startswith");
    return starts_ends(t, s, "startswith", argc, argv, kw, false);
}

static Value m_endswith(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("endswith");
    return starts_ends(t, s, "endswith", argc, argv, kw, true);
}

static Value m_join(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("join");
    if (!arg_count(t, "join", argc, kw, 1, 1))
        return VAL_ERR;
    return str_join(t, s, argv[0]);
}

/* split/rsplit with sep=None, maxsplit=-1. */
static bool split_args(Thread *t, const char *name, int argc, const Value *argv, ObjTuple *kw,
                       ObjStr **sep, int64_t *maxsplit)
{
    static const char *const names[] = {"sep", "maxsplit"};
    Value a[2];
    if (!arg_parse(t, name, argc, argv, kw, names, 0, 2, a))
        return false;
    *sep = NULL;
    *maxsplit = -1;
    if (!IS_ERR(a[0]) && !IS_NONE(a[0])) {
        if (!IS_STR(a[0])) {
            vm_raise(t, EXC_TypeError, "must be str or None, not %s", vm_type_name(t->vm, a[0]));
            return false;
        }
        *sep = AS_STR(a[0]);
        if ((*sep)->len == 0) {
            vm_raise(t, EXC_ValueError, "empty separator");
            return false;
        }
    }
    if (!IS_ERR(a[1])) {
        if (!IS_INTLIKE(a[1])) {
            vm_raise(t, EXC_TypeError, "'%s' object cannot be interpreted as an integer",
                     vm_type_name(t->vm, a[1]));
            return false;
        }
        *maxsplit = a[1].as.i;
    }
    if (*maxsplit < 0)
        *maxsplit = INT64_MAX;
    return true;
}

static bool space_at(const ObjStr *s, int64_t i, int64_t *next)
{
    int64_t p = i;
    uint32_t c = str_decode_utf8(s->chars, s->len, &p);
    *next = p;
    return uni_isspace(c);
}

/* Start of the code point that ends just before byte i. */
static int64_t prev_cp(const ObjStr *s, int64_t i)
{
    do
        i--;
    while (i > 0 && ((unsigned char)s->chars[i] & 0xC0) == 0x80);
    return i;
}

static Value m_split(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("split");
    ObjStr *sep;
    int64_t maxsplit, nx;
    if (!split_args(t, "split", argc, argv, kw, &sep, &maxsplit))
        return VAL_ERR;
    Vm *vm = t->vm;
    ObjList *out = list_new(vm, 0);
    if (sep) {
        int64_t i = 0;
        while (maxsplit-- > 0) {
            int64_t j = find_bytes(s->chars, i, s->len, sep->chars, sep->len);
            if (j < 0)
                break;
            list_append_steal(out, new_str(t, s->chars + i, j - i));
            i = j + sep->len;
        }
        list_append_steal(out, new_str(t, s->chars + i, s->len - i));
        return val_obj(&out->obj);
    }
    int64_t i = 0;
    for (;;) {
        while (i < s->len && space_at(s, i, &nx))
            i = nx;
        if (i >= s->len)
            break;
        if (maxsplit-- <= 0) {
            /* the rest, trailing whitespace included (as CPython) */
            list_append_steal(out, new_str(t, s->chars + i, s->len - i));
            break;
        }
        int64_t j = i;
        while (j < s->len && !space_at(s, j, &nx))
            j = nx;
        list_append_steal(out, new_str(t, s->chars + i, j - i));
        i = j;
    }
    return val_obj(&out->obj);
}

static void list_reverse_items(ObjList *l)
{
    for (int64_t a = 0, b = l->len - 1; a < b; a++, b--) {
        Value tmp = l->items[a];
        l->items[a] = l->items[b];
        l->items[b] = tmp;
    }
}

static Value m_rsplit(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("rsplit");
    ObjStr *sep;
    int64_t maxsplit, nx;
    if (!split_args(t, "rsplit", argc, argv, kw, &sep, &maxsplit))
        return VAL_ERR;
    ObjList *out = list_new(t->vm, 0);
    if (sep) {
        int64_t e = s->len;
        while (maxsplit-- > 0) {
            int64_t j = rfind_bytes(s->chars, 0, e, sep->chars, sep->len);
            if (j < 0)
                break;
            list_append_steal(out, new_str(t, s->chars + j + sep->len, e - j - sep->len));
            e = j;
        }
        list_append_steal(out, new_str(t, s->chars, e));
        list_reverse_items(out);
        return val_obj(&out->obj);
    }
    int64_t e = s->len;
    for (;;) {
        while (e > 0) {
            int64_t p = prev_cp(s, e);
            if (!space_at(s, p, &nx))
                break;
            e = p;
        }
        if (e <= 0)
            break;
        if (maxsplit-- <= 0) {
            list_append_steal(out, new_str(t, s->chars, e));
            break;
        }
        int64_t b = e;
        while (b > 0) {
            int64_t p = prev_cp(s, b);
            if (space_at(s, p, &nx))
                break;
            b = p;
        }
        list_append_steal(out, new_str(t, s->chars + b, e - b));
        e = b;
    }
    list_reverse_items(out);
    return val_obj(&out->obj);
}

/* Line boundaries of str.splitlines: returns the byte length of the
 * boundary at i (2 for \r\n), or 0. */
static int64_t line_break_at(const ObjStr *s, int64_t i)
{
    unsigned char c = (unsigned char)s->chars[i];
    if (c == '\r')
        return i + 1 < s->len && s->chars[i + 1] == '\n' ? 2 : 1;
    if (c == '\n' || c == '\v' || c == '\f' || (c >= 0x1C && c <= 0x1E))
        return 1;
    if (c >= 0x80) {
        int64_t p = i;
        uint32_t cp = str_decode_utf8(s->chars, s->len, &p);
        if (cp == 0x85 || cp == 0x2028 || cp == 0x2029)
            return p - i;
    }
    return 0;
}

static Value m_splitlines(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("splitlines");
    static const char *const names[] = {"keepends"};
    Value a[1];
    if (!arg_parse(t, "splitlines", argc, argv, kw, names, 0, 1, a))
        return VAL_ERR;
    int keep = 0;
    if (!IS_ERR(a[0]) && (keep = vm_truthy(t, a[0])) < 0)
        return VAL_ERR;
    ObjList *out = list_new(t->vm, 0);
    int64_t i = 0, start = 0;
    while (i < s->len) {
        int64_t n = line_break_at(s, i);
        if (!n) {
            i++;
            continue;
        }
        list_append_steal(out, new_str(t, s->chars + start, i - start + (keep ? n : 0)));
        i += n;
        start = i;
    }
    if (start < s->len)
        list_append_steal(out, new_str(t, s->chars + start, s->len - start));
    return val_obj(&out->obj);
}

/* strip/lstrip/rstrip: which = 1 left, 2 right, 3 both. */
static Value strip_impl(Thread *t, ObjStr *s, const char *name, int argc, const Value *argv,
                        ObjTuple *kw, int which)
{
    if (!arg_count(t, name, argc, kw, 0, 1))
        return VAL_ERR;
    ObjStr *chars = NULL;
    if (argc == 1 && !IS_NONE(argv[0])) {
        if (!IS_STR(argv[0]))
            return vm_raise(t, EXC_TypeError, "%s arg must be None or str", name);
        chars = AS_STR(argv[0]);
    }
    int64_t b = 0, e = s->len, nx;
    for (;;) {
        if (!(which & 1) || b >= e)
            break;
        int64_t p = b;
        str_decode_utf8(s->chars, s->len, &p);
        bool hit = chars ? find_bytes(chars->chars, 0, chars->len, s->chars + b, p - b) >= 0
                         : space_at(s, b, &nx);
        if (!hit)
            break;
        b = p;
    }
    while ((which & 2) && e > b) {
        int64_t p = prev_cp(s, e);
        bool hit = chars ? find_bytes(chars->chars, 0, chars->len, s->chars + p, e - p) >= 0
                         : space_at(s, p, &nx);
        if (!hit)
            break;
        e = p;
    }
    if (b == 0 && e == s->len)
        return same_str(s);
    return new_str(t, s->chars + b, e - b);
}

static Value m_strip(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("strip");
    return strip_impl(t, s, "strip", argc, argv, kw, 3);
}

static Value m_lstrip(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("lstrip");
    return strip_impl(t, s, "lstrip", argc, argv, kw, 1);
}

static Value m_rstrip(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("rstrip");
    return strip_impl(t, s, "rstrip", argc, argv, kw, 2);
}

static Value m_replace(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("replace");
    if (!arg_count(t, "replace", argc, kw, 2, 3))
        return VAL_ERR;
    for (int k = 0; k < 2; k++)
        if (!IS_STR(argv[k]))
            return vm_raise(t, EXC_TypeError, "replace() argument %d must be str, not %s", k + 1,
                            vm_type_name(t->vm, argv[k]));
    int64_t count = -1;
    if (argc == 3) {
        if (!IS_INTLIKE(argv[2]))
            return vm_raise(t, EXC_TypeError, "'%s' object cannot be interpreted as an integer",
                            vm_type_name(t->vm, argv[2]));
        count = argv[2].as.i;
    }
    if (count < 0)
        count = INT64_MAX;
    ObjStr *old = AS_STR(argv[0]), *rep = AS_STR(argv[1]);
    StrBuf sb;
    sb_init(&sb);
    if (old->len == 0) {
        int64_t i = 0;
        while (count > 0 && i <= s->len) {
            sb_append(&sb, rep->chars, rep->len);
            count--;
            if (i == s->len) {
                i++;
                break;
            }
            int64_t p = i;
            str_decode_utf8(s->chars, s->len, &p);
            sb_append(&sb, s->chars + i, p - i);
            i = p;
        }
        if (i < s->len)
            sb_append(&sb, s->chars + i, s->len - i);
        return val_obj(&sb_to_str(t->vm, &sb)->obj);
    }
    int64_t i = 0;
    while (count-- > 0) {
        int64_t j = find_bytes(s->chars, i, s->len, old->chars, old->len);
        if (j < 0)
            break;
        sb_append(&sb, s->chars + i, j - i);
        sb_append(&sb, rep->chars, rep->len);
        i = j + old->len;
    }
    if (i == 0) {
        sb_fini(&sb);
        return same_str(s);
    }
    sb_append(&sb, s->chars + i, s->len - i);
    return val_obj(&sb_to_str(t->vm, &sb)->obj);
}

/* Case mappings: mode 0 upper, 1 lower, 2 swapcase, 3 capitalize, 4 title. */
static Value case_map(Thread *t, ObjStr *s, const char *name, int argc, ObjTuple *kw, int mode)
{
    if (!arg_count(t, name, argc, kw, 0, 0))
        return VAL_ERR;
    StrBuf sb;
    sb_init(&sb);
    sb_reserve(&sb, s->len);
    bool prev_cased = false;
    int64_t i = 0, n = 0;
    while (i < s->len) {
        uint32_t c = str_decode_utf8(s->chars, s->len, &i), r = c;
        switch (mode) {
        case 0: r = uni_toupper(c); break;
        case 1: r = uni_tolower(c); break;
        case 2: r = uni_isupper(c) ? uni_tolower(c) : uni_toupper(c); break;
        case 3: r = n == 0 ? uni_toupper(c) : uni_tolower(c); break;
        default:
            r = prev_cased ? uni_tolower(c) : uni_toupper(c);
            prev_cased = uni_isupper(c) || uni_islower(c) || uni_isalpha(c);
            break;
        }
        sb_put_utf8(&sb, r);
        n++;
    }
    return val_obj(&sb_to_str(t->vm, &sb)->obj);
}

static Value m_upper(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_STR("upper");
    return case_map(t, s, "str.upper", argc, kw, 0);
}

static Value m_lower(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_STR("lower");
    return case_map(t, s, "str.lower", argc, kw, 1);
}

static Value m_swapcase(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_STR("swapcase");
    return case_map(t, s, "str.swapcase", argc, kw, 2);
}

static Value m_capitalize(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_STR("capitalize");
    return case_map(t, s, "str.capitalize", argc, kw, 3);
}

static Value m_title(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_STR("title");
    return case_map(t, s, "str.title", argc, kw, 4);
}

/* is*(): mode 0 digit, 1 alpha, 2 alnum, 3 space, 4 upper, 5 lower. */
static Value char_class(Thread *t, ObjStr *s, const char *name, int argc, ObjTuple *kw, int mode)
{
    if (!arg_count(t, name, argc, kw, 0, 0))
        return VAL_ERR;
    if (s->len == 0)
        return VAL_FALSE;
    bool cased = false;
    int64_t i = 0;
    while (i < s->len) {
        uint32_t c = str_decode_utf8(s->chars, s->len, &i);
        switch (mode) {
        case 0: if (!uni_isdigit(c)) return VAL_FALSE; break;
        case 1: if (!uni_isalpha(c)) return VAL_FALSE; break;
        case 2: if (!uni_isalpha(c) && !uni_isdigit(c)) return VAL_FALSE; break;
        case 3: if (!uni_isspace(c)) return VAL_FALSE; break;
        case 4:
            if (uni_islower(c)) return VAL_FALSE;
            cased |= uni_isupper(c);
            break;
        default:
            if (uni_isupper(c)) return VAL_FALSE;
            cased |= uni_islower(c);
            break;
        }
    }
    return mode >= 4 ? val_bool(cased) : VAL_TRUE;
}

#define CLASS_METHOD(fn, pyname, mode)                                                     \
    static Value fn(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)      \
    {                                                                                      \
        (void)argv;                                                                        \
        SELF_STR(pyname);                                                                  \
        return char_class(t, s, "str." pyname, argc, kw, mode);                            \
    }
CLASS_METHOD(m_isdigit, "isdigit", 0)
CLASS_METHOD(m_isalpha, "isalpha", 1)
CLASS_METHOD(m_isalnum, "isalnum", 2)
CLASS_METHOD(m_isspace, "isspace", 3)
CLASS_METHOD(m_isupper, "isupper", 4)
CLASS_METHOD(m_islower, "islower", 5)

static Value m_isidentifier(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_STR("isidentifier");
    if (!arg_count(t, "str.isidentifier", argc, kw, 0, 0))
        return VAL_ERR;
    if (s->len == 0)
        return VAL_FALSE;
    int64_t i = 0;
    for (int64_t n = 0; i < s->len; n++) {
        uint32_t c = str_decode_utf8(s->chars, s->len, &i);
        bool ok = c == '_' || uni_isalpha(c) || (n > 0 && uni_isdigit(c));
        if (!ok)
            return VAL_FALSE;
    }
    return VAL_TRUE;
}

static Value m_isascii(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_STR("isascii");
    if (!arg_count(t, "str.isascii", argc, kw, 0, 0))
        return VAL_ERR;
    return val_bool(s->nchars == s->len);
}

/* width and optional fill character of center/ljust/rjust. */
static bool pad_args(Thread *t, const char *name, int argc, const Value *argv, ObjTuple *kw,
                     int64_t *width, const char **fill, int64_t *fill_len)
{
    if (!arg_count(t, name, argc, kw, 1, 2))
        return false;
    if (!IS_INTLIKE(argv[0])) {
        vm_raise(t, EXC_TypeError, "'%s' object cannot be interpreted as an integer",
                 vm_type_name(t->vm, argv[0]));
        return false;
    }
    *width = argv[0].as.i;
    *fill = " ";
    *fill_len = 1;
    if (argc == 2) {
        if (!IS_STR(argv[1])) {
            vm_raise(t, EXC_TypeError, "%s() argument 2 must be str, not %s", name,
                     vm_type_name(t->vm, argv[1]));
            return false;
        }
        if (AS_STR(argv[1])->nchars != 1) {
            vm_raise(t, EXC_TypeError, "The fill character must be exactly one character long");
            return false;
        }
        *fill = AS_STR(argv[1])->chars;
        *fill_len = AS_STR(argv[1])->len;
    }
    return true;
}

static Value pad(Thread *t, ObjStr *s, int64_t left, int64_t right, const char *fill,
                 int64_t fill_len)
{
    if (left <= 0 && right <= 0)
        return same_str(s);
    StrBuf sb;
    sb_init(&sb);
    for (int64_t k = 0; k < left; k++)
        sb_append(&sb, fill, fill_len);
    sb_append(&sb, s->chars, s->len);
    for (int64_t k = 0; k < right; k++)
        sb_append(&sb, fill, fill_len);
    return val_obj(&sb_to_str(t->vm, &sb)->obj);
}

static Value m_center(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("center");
    int64_t width, fl;
    const char *fill;
    if (!pad_args(t, "center", argc, argv, kw, &width, &fill, &fl))
        return VAL_ERR;
    int64_t marg = width - s->nchars;
    if (marg <= 0)
        return same_str(s);
    int64_t left = marg / 2 + (marg & width & 1);   /* CPython's rounding */
    return pad(t, s, left, marg - left, fill, fl);
}

static Value m_ljust(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("ljust");
    int64_t width, fl;
    const char *fill;
    if (!pad_args(t, "ljust", argc, argv, kw, &width, &fill, &fl))
        return VAL_ERR;
    return pad(t, s, 0, width - s->nchars, fill, fl);
}

static Value m_rjust(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("rjust");
    int64_t width, fl;
    const char *fill;
    if (!pad_args(t, "rjust", argc, argv, kw, &width, &fill, &fl))
        return VAL_ERR;
    return pad(t, s, width - s->nchars, 0, fill, fl);
}

static Value m_zfill(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("zfill");
    if (!arg_count(t, "zfill", argc, kw, 1, 1))
        return VAL_ERR;
    if (!IS_INTLIKE(argv[0]))
        return vm_raise(t, EXC_TypeError, "'%s' object cannot be interpreted as an integer",
                        vm_type_name(t->vm, argv[0]));
    int64_t fill = argv[0].as.i - s->nchars;
    if (fill <= 0)
        return same_str(s);
    StrBuf sb;
    sb_init(&sb);
    int64_t i = 0;
    if (s->len > 0 && (s->chars[0] == '+' || s->chars[0] == '-')) {
        sb_putc(&sb, s->chars[0]);
        i = 1;
    }
    for (int64_t k = 0; k < fill; k++)
        sb_putc(&sb, '0');
    sb_append(&sb, s->chars + i, s->len - i);
    return val_obj(&sb_to_str(t->vm, &sb)->obj);
}

static Value m_expandtabs(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("expandtabs");
    static const char *const names[] = {"tabsize"};
    Value a[1];
    if (!arg_parse(t, "expandtabs", argc, argv, kw, names, 0, 1, a))
        return VAL_ERR;
    int64_t tab = 8;
    if (!IS_ERR(a[0])) {
        if (!IS_INTLIKE(a[0]))
            return vm_raise(t, EXC_TypeError, "'%s' object cannot be interpreted as an integer",
                            vm_type_name(t->vm, a[0]));
        tab = a[0].as.i;
    }
    StrBuf sb;
    sb_init(&sb);
    int64_t col = 0, i = 0;
    while (i < s->len) {
        int64_t p = i;
        uint32_t c = str_decode_utf8(s->chars, s->len, &p);
        if (c == '\t') {
            if (tab > 0) {
                int64_t n = tab - col % tab;
                for (int64_t k = 0; k < n; k++)
                    sb_putc(&sb, ' ');
                col += n;
            }
        } else {
            sb_append(&sb, s->chars + i, p - i);
            col = c == '\n' || c == '\r' ? 0 : col + 1;
        }
        i = p;
    }
    return val_obj(&sb_to_str(t->vm, &sb)->obj);
}

static Value partition_impl(Thread *t, ObjStr *s, const char *name, int argc, const Value *argv,
                            ObjTuple *kw, bool reverse)
{
    if (!arg_count(t, name, argc, kw, 1, 1))
        return VAL_ERR;
    if (!IS_STR(argv[0]))
        return vm_raise(t, EXC_TypeError, "must be str, not %s", vm_type_name(t->vm, argv[0]));
    ObjStr *sep = AS_STR(argv[0]);
    if (sep->len == 0)
        return vm_raise(t, EXC_ValueError, "empty separator");
    int64_t j = reverse ? rfind_bytes(s->chars, 0, s->len, sep->chars, sep->len)
                        : find_bytes(s->chars, 0, s->len, sep->chars, sep->len);
    ObjTuple *tu = tuple_new(t->vm, 3);
    if (j < 0) {
        tu->items[reverse ? 2 : 0] = same_str(s);
        tu->items[1] = new_str(t, "", 0);
        tu->items[reverse ? 0 : 2] = new_str(t, "", 0);
    } else {
        tu->items[0] = new_str(t, s->chars, j);
        tu->items[1] = same_str(sep);
        tu->items[2] = new_str(t, s->chars + j + sep->len, s->len - j - sep->len);
    }
    return val_obj(&tu->obj);
}

static Value m_partition(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("partition");
    return partition_impl(t, s, "partition", argc, argv, kw, false);
}

static Value m_rpartition(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("rpartition");
    return partition_impl(t, s, "rpartition", argc, argv, kw, true);
}

static Value affix_impl(Thread *t, ObjStr *s, const char *name, int argc, const Value *argv,
                        ObjTuple *kw, bool suffix)
{
    if (!arg_count(t, name, argc, kw, 1, 1))
        return VAL_ERR;
    if (!IS_STR(argv[0]))
        return vm_raise(t, EXC_TypeError, "%s() argument must be str, not %s", name,
                        vm_type_name(t->vm, argv[0]));
    ObjStr *a = AS_STR(argv[0]);
    if (a->len == 0 || a->len > s->len)
        return same_str(s);
    if (!suffix && memcmp(s->chars, a->chars, (size_t)a->len) == 0)
        return new_str(t, s->chars + a->len, s->len - a->len);
    if (suffix && memcmp(s->chars + s->len - a->len, a->chars, (size_t)a->len) == 0)
        return new_str(t, s->chars, s->len - a->len);
    return same_str(s);
}

static Value m_removeprefix(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("removeprefix");
    return affix_impl(t, s, "removeprefix", argc, argv, kw, false);
}

static Value m_removesuffix(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("removesuffix");
    return affix_impl(t, s, "removesuffix", argc, argv, kw, true);
}

/* ---- codecs ------------------------------------------------------------------ */

enum { CODEC_UTF8, CODEC_ASCII, CODEC_LATIN1, CODEC_UNKNOWN };

/* Normalises a codec name as Python's codec registry does for the few we have. */
static int codec_of(const char *name)
{
    char n[32];
    size_t k = 0;
    for (const char *p = name; *p && k + 1 < sizeof n; p++)
        n[k++] = *p == '_' || *p == ' ' ? '-' : (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    n[k] = '\0';
    if (!strcmp(n, "utf-8") || !strcmp(n, "utf8") || !strcmp(n, "u8") || !strcmp(n, "utf"))
        return CODEC_UTF8;
    if (!strcmp(n, "ascii") || !strcmp(n, "us-ascii") || !strcmp(n, "646"))
        return CODEC_ASCII;
    if (!strcmp(n, "latin-1") || !strcmp(n, "latin1") || !strcmp(n, "iso-8859-1") ||
        !strcmp(n, "iso8859-1") || !strcmp(n, "l1") || !strcmp(n, "latin"))
        return CODEC_LATIN1;
    return CODEC_UNKNOWN;
}

/* s.encode(encoding, errors): errors "strict", "ignore" or "replace". */
static Value str_encode(Thread *t, ObjStr *s, const char *encoding, const char *errors)
{
    int codec = codec_of(encoding);
    if (codec == CODEC_UNKNOWN)
        return vm_raise(t, EXC_LookupError, "unknown encoding: %s", encoding);
    if (codec == CODEC_UTF8 || s->nchars == s->len)
        return val_obj(&bytes_new(t->vm, s->chars, s->len)->obj);
    uint32_t limit = codec == CODEC_ASCII ? 128 : 256;
    StrBuf sb;
    sb_init(&sb);
    int64_t i = 0;
    for (int64_t pos = 0; i < s->len; pos++) {
        uint32_t c = str_decode_utf8(s->chars, s->len, &i);
        if (c < limit) {
            sb_putc(&sb, (char)c);
        } else if (!strcmp(errors, "ignore")) {
            continue;
        } else if (!strcmp(errors, "replace")) {
            sb_putc(&sb, '?');
        } else {
            sb_fini(&sb);
            char esc[16];
            if (c < 0x100)
                snprintf(esc, sizeof esc, "\\x%02x", c);
            else if (c < 0x10000)
                snprintf(esc, sizeof esc, "\\u%04x", c);
            else
                snprintf(esc, sizeof esc, "\\U%08x", c);
            return vm_raise(t, EXC_UnicodeEncodeError,
                            "'%s' codec can't encode character '%s' in position %lld: "
                            "ordinal not in range(%u)",
                            codec == CODEC_ASCII ? "ascii" : "latin-1", esc, (long long)pos,
                            limit);
        }
    }
    ObjBytes *b = bytes_new(t->vm, sb.buf ? sb.buf : "", sb.len);
    sb_fini(&sb);
    return val_obj(&b->obj);
}

/* encoding/errors arguments (str or absent) of encode, decode, str(), bytes(). */
static bool codec_args(Thread *t, const char *fname, Value enc, Value err, const char **encoding,
                       const char **errors)
{
    *encoding = "utf-8";
    *errors = "strict";
    if (!IS_ERR(enc)) {
        if (!IS_STR(enc)) {
            vm_raise(t, EXC_TypeError, "%s() argument 'encoding' must be str, not %s", fname,
                     vm_type_name(t->vm, enc));
            return false;
        }
        *encoding = AS_STR(enc)->chars;
    }
    if (!IS_ERR(err)) {
        if (!IS_STR(err)) {
            vm_raise(t, EXC_TypeError, "%s() argument 'errors' must be str, not %s", fname,
                     vm_type_name(t->vm, err));
            return false;
        }
        *errors = AS_STR(err)->chars;
    }
    return true;
}

static Value m_encode(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("encode");
    static const char *const names[] = {"encoding", "errors"};
    Value a[2];
    const char *enc, *err;
    if (!arg_parse(t, "encode", argc, argv, kw, names, 0, 2, a) ||
        !codec_args(t, "encode", a[0], a[1], &enc, &err))
        return VAL_ERR;
    return str_encode(t, s, enc, err);
}

/* The decoder bytes.decode and str(b, enc) share: defined in bytes.c's
 * terms but kept here with the codec table. */
static Value decode_with(Thread *t, const unsigned char *p, int64_t len, const char *encoding,
                         const char *errors);

Value str_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (argc == 1 && !kw)
        return vm_str(t, argv[0]);
    static const char *const names[] = {"object", "encoding", "errors"};
    Value a[3];
    if (!arg_parse(t, "str", argc, argv, kw, names, 0, 3, a))
        return VAL_ERR;
    if (IS_ERR(a[0]))
        return new_str(t, "", 0);
    if (IS_ERR(a[1]) && IS_ERR(a[2]))
        return vm_str(t, a[0]);
    const char *enc, *err;
    if (!codec_args(t, "str", a[1], a[2], &enc, &err))
        return VAL_ERR;
    if (IS_STR(a[0]))
        return vm_raise(t, EXC_TypeError, "decoding str is not supported");
    if (!IS_BYTES(a[0]))
        return vm_raise(t, EXC_TypeError, "decoding to str: need a bytes-like object, %s found",
                        vm_type_name(t->vm, a[0]));
    return decode_with(t, AS_BYTES(a[0])->data, AS_BYTES(a[0])->len, enc, err);
}

/* The length of the valid UTF-8 sequence at p[0..left), or 0 with *why
 * saying what is wrong (CPython's reasons) and *bad the bytes to skip. */
static int utf8_valid_at(const unsigned char *p, int64_t left, const char **why, int *bad)
{
    unsigned char c = p[0];
    int n;
    uint32_t min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        min = 0x10000;
    } else {
        *why = "invalid start byte";
        *bad = 1;
        return 0;
    }
    uint32_t cp = c & (0x7F >> n);
    for (int k = 1; k < n; k++) {
        if (k >= left) {
            *why = "unexpected end of data";
            *bad = k;
            return 0;
        }
        unsigned char d = p[k];
        bool ok = (d & 0xC0) == 0x80;
        /* second-byte restrictions that rule out overlongs, surrogates, > U+10FFFF */
        if (ok && k == 1) {
            if (c == 0xE0 && d < 0xA0) ok = false;
            if (c == 0xED && d > 0x9F) ok = false;
            if (c == 0xF0 && d < 0x90) ok = false;
            if (c == 0xF4 && d > 0x8F) ok = false;
        }
        if (!ok) {
            *why = "invalid continuation byte";
            *bad = k;
            return 0;
        }
        cp = (cp << 6) | (d & 0x3F);
    }
    (void)min;
    return n;
}

static Value decode_with(Thread *t, const unsigned char *p, int64_t len, const char *encoding,
                         const char *errors)
{
    int codec = codec_of(encoding);
    if (codec == CODEC_UNKNOWN)
        return vm_raise(t, EXC_LookupError, "unknown encoding: %s", encoding);
    bool ignore = !strcmp(errors, "ignore"), replace = !strcmp(errors, "replace");
    StrBuf sb;
    sb_init(&sb);
    for (int64_t i = 0; i < len;) {
        const char *why = NULL;
        int bad = 1, n;
        if (codec == CODEC_LATIN1) {
            sb_put_utf8(&sb, p[i++]);
            continue;
        }
        if (codec == CODEC_ASCII) {
            n = p[i] < 0x80;
            why = "ordinal not in range(128)";
        } else {
            n = utf8_valid_at(p + i, len - i, &why, &bad);
        }
        if (n > 0) {
            sb_append(&sb, (const char *)p + i, n);
            i += n;
            continue;
        }
        if (ignore || replace) {
            if (replace)
                sb_put_utf8(&sb, 0xFFFD);
            i += bad;
            continue;
        }
        sb_fini(&sb);
        if (bad > 1 && strcmp(why, "unexpected end of data") == 0)
            return vm_raise(t, EXC_UnicodeDecodeError,
                            "'utf-8' codec can't decode bytes in position %lld-%lld: %s",
                            (long long)i, (long long)(i + bad - 1), why);
        return vm_raise(t, EXC_UnicodeDecodeError,
                        "'%s' codec can't decode byte 0x%02x in position %lld: %s",
                        codec == CODEC_ASCII ? "ascii" : "utf-8", p[i], (long long)i, why);
    }
    return val_obj(&sb_to_str(t->vm, &sb)->obj);
}

Value str_decode_bytes(Thread *t, const unsigned char *p, int64_t len, Value encoding,
                       Value errors)
{
    const char *enc, *err;
    if (!codec_args(t, "decode", encoding, errors, &enc, &err))
        return VAL_ERR;
    return decode_with(t, p, len, enc, err);
}

Value str_encode_value(Thread *t, ObjStr *s, Value encoding, Value errors)
{
    const char *enc, *err;
    if (!codec_args(t, "encode", encoding, errors, &enc, &err))
        return VAL_ERR;
    return str_encode(t, s, enc, err);
}

/* ---- str.format ---------------------------------------------------------------- */

/* Resolves a field name ("", "0", "name", then .attr / [key] parts) against
 * args and kwargs.  Returns a new reference or VAL_ERR. */
static Value format_field(Thread *t, const char *p, const char *end, int argc, const Value *argv,
                          ObjTuple *kw, int *auto_idx)
{
    Vm *vm = t->vm;
    int npos = argc - nkw(kw);
    const char *q = p;
    while (q < end && *q != '.' && *q != '[')
        q++;
    Value obj;
    bool numeric = q > p;
    for (const char *r = p; r < q; r++)
        numeric &= *r >= '0' && *r <= '9';
    if (q == p || numeric) {
        int64_t idx;
        if (q == p) {
            if (*auto_idx < 0)
                return vm_raise(t, EXC_ValueError,
                                "cannot switch from manual field specification to automatic "
                                "field numbering");
            idx = (*auto_idx)++;
        } else {
            if (*auto_idx > 0)
                return vm_raise(t, EXC_ValueError,
                                "cannot switch from automatic field numbering to manual field "
                                "specification");
            *auto_idx = -1;
            idx = strtoll(p, NULL, 10);
        }
        if (idx >= npos)
            return vm_raise(t, EXC_IndexError,
                            "Replacement index %lld out of range for positional args tuple",
                            (long long)idx);
        obj = val_dup(argv[idx]);
    } else {
        obj = VAL_ERR;
        for (int k = 0; k < nkw(kw); k++) {
            ObjStr *name = AS_STR(kw->items[k]);
            if (name->len == q - p && memcmp(name->chars, p, (size_t)(q - p)) == 0) {
                obj = val_dup(argv[npos + k]);
                break;
            }
        }
        if (IS_ERR(obj)) {
            Value key = new_str(t, p, q - p);
            Value e = vm_call(t, val_obj(&vm->exc[EXC_KeyError]->obj), 1, &key, NULL);
            val_decref(key);
            if (IS_ERR(e))
                return VAL_ERR;
            vm_raise_value(t, e);
            val_decref(e);
            return VAL_ERR;
        }
    }
    while (q < end) {
        Value next;
        if (*q == '.') {
            const char *a = ++q;
            while (q < end && *q != '.' && *q != '[')
                q++;
            if (q == a) {
                val_decref(obj);
                return vm_raise(t, EXC_ValueError, "Empty attribute in format string");
            }
            next = vm_getattr(t, obj, str_intern(vm, a, q - a));
        } else {
            const char *a = ++q;
            while (q < end && *q != ']')
                q++;
            if (q >= end) {
                val_decref(obj);
                return vm_raise(t, EXC_ValueError, "Missing ']' in format string");
            }
            bool digits = q > a;
            for (const char *r = a; r < q; r++)
                digits &= *r >= '0' && *r <= '9';
            Value key = digits ? val_int(strtoll(a, NULL, 10)) : new_str(t, a, q - a);
            next = vm_getitem(t, obj, key);
            val_decref(key);
            q++;
        }
        val_decref(obj);
        if (IS_ERR(next))
            return VAL_ERR;
        obj = next;
    }
    return obj;
}

static Value format_impl(Thread *t, ObjStr *fmt, int argc, const Value *argv, ObjTuple *kw,
                         int *auto_idx, int depth)
{
    Vm *vm = t->vm;
    if (depth > 2)
        return vm_raise(t, EXC_ValueError, "Max string recursion exceeded");
    StrBuf sb;
    sb_init(&sb);
    const char *p = fmt->chars, *end = p + fmt->len;
    while (p < end) {
        char c = *p;
        if (c == '}') {
            if (p + 1 < end && p[1] == '}') {
                sb_putc(&sb, '}');
                p += 2;
                continue;
            }
            sb_fini(&sb);
            return vm_raise(t, EXC_ValueError, "Single '}' encountered in format string");
        }
        if (c != '{') {
            sb_putc(&sb, c);
            p++;
            continue;
        }
        if (p + 1 < end && p[1] == '{') {
            sb_putc(&sb, '{');
            p += 2;
            continue;
        }
        /* find the matching '}' allowing nested {} in the spec */
        const char *f = ++p;
        int level = 1;
        while (p < end) {
            if (*p == '[') {
                while (p < end && *p != ']')
                    p++;
            }
            if (p >= end)
                break;
            if (*p == '{')
                level++;
            else if (*p == '}' && --level == 0)
                break;
            p++;
        }
        if (p >= end) {
            sb_fini(&sb);
            return vm_raise(t, EXC_ValueError,
                            level > 1 ? "unmatched '{' in format spec"
                                      : "Single '{' encountered in format string");
        }
        const char *fend = p++;
        const char *name_end = f, *spec = NULL;
        char conv = 0;
        while (name_end < fend && *name_end != '!' && *name_end != ':') {
            if (*name_end == '[')
                while (name_end < fend && *name_end != ']')
                    name_end++;
            if (name_end < fend)
                name_end++;
        }
        const char *r = name_end;
        if (r < fend && *r == '!') {
            if (r + 1 >= fend) {
                sb_fini(&sb);
                return vm_raise(t, EXC_ValueError,
                                "end of string while looking for conversion specifier");
            }
            conv = r[1];
            r += 2;
            if (r < fend && *r != ':') {
                sb_fini(&sb);
                return vm_raise(t, EXC_ValueError, "expected ':' after conversion specifier");
            }
        }
        if (r < fend && *r == ':')
            spec = r + 1;
        Value obj = format_field(t, f, name_end, argc, argv, kw, auto_idx);
        if (IS_ERR(obj)) {
            sb_fini(&sb);
            return VAL_ERR;
        }
        if (conv) {
            Value cv;
            if (conv == 'r')
                cv = vm_repr(t, obj);
            else if (conv == 's')
                cv = vm_str(t, obj);
            else if (conv == 'a') {
                cv = vm_repr(t, obj);
                if (!IS_ERR(cv)) {
                    Value a2 = val_obj(&str_ascii(vm, AS_STR(cv))->obj);
                    /* ascii() of the repr re-quotes: strip the added quotes */
                    ObjStr *as = AS_STR(a2);
                    Value inner = new_str(t, as->chars + 1, as->len - 2);
                    val_decref(a2);
                    val_decref(cv);
                    cv = inner;
                }
            } else {
                val_decref(obj);
                sb_fini(&sb);
                return vm_raise(t, EXC_ValueError,
                                "Unknown conversion specifier %c", conv);
            }
            val_decref(obj);
            if (IS_ERR(cv)) {
                sb_fini(&sb);
                return VAL_ERR;
            }
            obj = cv;
        }
        ObjStr *specstr;
        if (!spec) {
            specstr = str_new(vm, "", 0);
        } else {
            ObjStr *raw = str_new(vm, spec, fend - spec);
            if (memchr(raw->chars, '{', (size_t)raw->len)) {
                Value sv = format_impl(t, raw, argc, argv, kw, auto_idx, depth + 1);
                obj_decref(&raw->obj);
                if (IS_ERR(sv)) {
                    val_decref(obj);
                    sb_fini(&sb);
                    return VAL_ERR;
                }
                specstr = AS_STR(sv);
            } else {
                specstr = raw;
            }
        }
        Value out = vm_format(t, obj, specstr);
        obj_decref(&specstr->obj);
        val_decref(obj);
        if (IS_ERR(out)) {
            sb_fini(&sb);
            return VAL_ERR;
        }
        sb_append(&sb, AS_STR(out)->chars, AS_STR(out)->len);
        val_decref(out);
    }
    return val_obj(&sb_to_str(vm, &sb)->obj);
}

static Value m_format(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("format");
    int auto_idx = 0;
    return format_impl(t, s, argc, argv, kw, &auto_idx, 0);
}

static Value m_mod(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_STR("__mod__");
    if (!arg_count(t, "__mod__", argc, kw, 1, 1))
        return VAL_ERR;
    return str_percent_format(t, s, argv[0]);
}

const NativeDef str_methods[] = {
    {"join", m_join},
    {"split", m_split},
    {"rsplit", m_rsplit},
    {"splitlines", m_splitlines},
    {"strip", m_strip},
    {"lstrip", m_lstrip},
    {"rstrip", m_rstrip},
    {"startswith", m_startswith},
    {"endswith", m_endswith},
    {"find", m_find},
    {"rfind", m_rfind},
    {"index", m_index},
    {"rindex", m_rindex},
    {"count", m_count},
    {"replace", m_replace},
    {"upper", m_upper},
    {"lower", m_lower},
    {"casefold", m_lower},
    {"capitalize", m_capitalize},
    {"title", m_title},
    {"swapcase", m_swapcase},
    {"isdigit", m_isdigit},
    {"isdecimal", m_isdigit},
    {"isnumeric", m_isdigit},
    {"isalpha", m_isalpha},
    {"isalnum", m_isalnum},
    {"isspace", m_isspace},
    {"isupper", m_isupper},
    {"islower", m_islower},
    {"isidentifier", m_isidentifier},
    {"isascii", m_isascii},
    {"center", m_center},
    {"ljust", m_ljust},
    {"rjust", m_rjust},
    {"zfill", m_zfill},
    {"expandtabs", m_expandtabs},
    {"partition", m_partition},
    {"rpartition", m_rpartition},
    {"removeprefix", m_removeprefix},
    {"removesuffix", m_removesuffix},
    {"encode", m_encode},
    {"format", m_format},
    {"__mod__", m_mod},
    {NULL, NULL},
};
