/*
 * object.h -- heap objects: the layouts, their constructors and the small
 * container API the compiler, the VM and the natives share.
 *
 * Every heap object starts with Obj.  Reference counts are plain ints: the
 * GIL protects them.  Every live object is also on its VM's list (a circular
 * list through gc_prev/gc_next with a sentinel in the Vm), so that vm_free()
 * can free reference cycles at exit and LeakSanitizer stays quiet.
 *
 * Conventions (see value.h): constructors return a NEW reference (rc == 1);
 * functions taking a Value borrow it and incref what they store.
 */
#ifndef INTERP_OBJECT_H
#define INTERP_OBJECT_H

#include <stdarg.h>
#include "value.h"

typedef struct Vm Vm;
typedef struct Thread Thread;
typedef struct ObjClass ObjClass;
typedef struct ObjTuple ObjTuple;
typedef struct Code Code;

typedef enum {
    OBJ_STR,
    OBJ_BYTES,
    OBJ_LIST,
    OBJ_TUPLE,
    OBJ_DICT,
    OBJ_SET,        /* an ObjDict whose values are all None */
    OBJ_FUNC,       /* a Python function */
    OBJ_NATIVE,     /* a C function (builtin, or method of a builtin type) */
    OBJ_BOUND,      /* a bound method: (self, function) */
    OBJ_CLASS,
    OBJ_INSTANCE,   /* instance of a user class (exceptions included) */
    OBJ_MODULE,
    OBJ_CODE,
    OBJ_RANGE,
    OBJ_SLICE,
    OBJ_ITER,
    OBJ_CELL,
    OBJ_WRAPPER,    /* staticmethod / classmethod / property */
    OBJ_HANDLE,     /* an opaque native resource (lock, socket, ...) */
    OBJ__COUNT
} ObjKind;

#define OBJF_IMMORTAL 1u    /* interned strings, type objects: never freed before vm_free */

struct Obj {
    int32_t rc;             /* reference count */
    uint16_t kind;          /* ObjKind */
    uint16_t flags;         /* OBJF_* */
    ObjClass *cls;          /* the object's class (for builtins: vm->types[...]) */
    Obj *gc_prev, *gc_next; /* the VM's list of every live object */
};

/* ---- reference counting ------------------------------------------------ */

void obj_release(Obj *o);   /* rc reached 0: decref children, unlink, free */

static inline void obj_incref(Obj *o) { o->rc++; }
static inline void obj_decref(Obj *o) { if (--o->rc == 0) obj_release(o); }
static inline void val_incref(Value v) { if (v.kind == V_OBJ) v.as.o->rc++; }
static inline void val_decref(Value v) { if (v.kind == V_OBJ && --v.as.o->rc == 0) obj_release(v.as.o); }
/* Returns v after increfing it: for "store a copy" one-liners. */
static inline Value val_dup(Value v) { val_incref(v); return v; }

/* ---- memory: the one allocation choke point; aborts with the size on OOM */

void *mem_alloc(size_t size);
void *mem_calloc(size_t n, size_t size);
void *mem_realloc(void *p, size_t size);
void mem_free(void *p);

/* Allocates size bytes (>= sizeof(Obj)), zeroed, rc = 1, linked into vm's list.
 * The block comes from malloc (so mem_realloc works on it), maybe recycled. */
Obj *obj_alloc(Vm *vm, size_t size, ObjKind kind, ObjClass *cls);
/* As obj_alloc, for a variable-size object: only the first `fixed` bytes
 * (the struct before its flexible array) are zeroed. */
Obj *obj_alloc_var(Vm *vm, size_t fixed, size_t size, ObjKind kind, ObjClass *cls);
/* Frees the calling thread's cache of recycled blocks (at thread exit). */
void obj_pool_drain(void);

/* ---- layouts ------------------------------------------------------------ */

typedef struct ObjStr {
    Obj obj;
    int64_t len;            /* bytes of UTF-8, excluding the trailing NUL */
    int64_t nchars;         /* code points; == len when the string is ASCII */
    uint64_t hash;          /* 0 until computed */
    bool interned;
    char chars[];           /* NUL-terminated UTF-8 */
} ObjStr;

typedef struct ObjBytes {
    Obj obj;
    int64_t len;
    uint64_t hash;          /* 0 until computed */
    unsigned char data[];   /* NUL-terminated for convenience */
} ObjBytes;

typedef struct ObjList {
    Obj obj;
    int64_t len, cap;
    Value *items;           /* owned references */
} ObjList;

struct ObjTuple {
    Obj obj;
    int64_t len;
    uint64_t hash;          /* 0 until computed */
    Value items[];          /* owned references */
};

/* Insertion-ordered hash table (CPython's compact dict): entries in insertion
 * order, an open-addressed index of entry numbers.  A deleted entry has key
 * V_ERR.  Also the layout of sets (OBJ_SET), whose values are None. */
typedef struct DictEntry {
    Value key;
    Value value;
    uint64_t hash;
} DictEntry;

typedef struct ObjDict {
    Obj obj;
    int64_t len;            /* live entries */
    int64_t used;           /* entries[0..used) including deleted ones */
    int64_t cap;            /* capacity of entries */
    int64_t mask;           /* index has mask+1 slots (a power of two) */
    DictEntry *entries;
    int64_t *index;         /* -1 empty, -2 deleted, else entry number */
    uint64_t version;       /* bumped whenever a key is added: lets the VM
                               cache "this name is not a global" */
} ObjDict;
typedef ObjDict ObjSet;

typedef struct ObjCell {
    Obj obj;
    Value v;                /* V_ERR while unbound */
} ObjCell;

typedef struct ObjFunc {
    Obj obj;
    Code *code;
    ObjDict *globals;       /* the defining module's namespace */
    int ndefaults;
    Value *defaults;        /* values for the last ndefaults positional params */
    ObjDict *kwdefaults;    /* defaults of keyword-only params, or NULL */
    ObjCell **cells;        /* closure cells (code->nfree of them), or NULL */
    ObjClass *owner;        /* class whose body defined it (for super()), or NULL */
} ObjFunc;

/* A C function.  self is the receiver for a method of a builtin type (or
 * the class for a constructor), VAL_NONE for a plain builtin.  Positional
 * arguments are argv[0..argc-kwcount), then one value per name in kwnames
 * (NULL when there are none).  Returns a new reference, or VAL_ERR with an
 * exception set (vm_raise). */
typedef Value (*NativeFn)(Thread *t, Value self, int argc, const Value *argv,
                          ObjTuple *kwnames);

typedef struct ObjNative {
    Obj obj;
    const char *name;       /* static string */
    NativeFn fn;
    Value data;             /* whatever the native needs (borrowed by fn), VAL_NONE */
    bool is_method;         /* a method of a builtin type: called unbound
                               (str.upper(s)), argv[0] becomes self */
} ObjNative;

typedef struct ObjBound {
    Obj obj;
    Value self;
    Value func;             /* an ObjFunc or ObjNative */
} ObjBound;

struct ObjClass {
    Obj obj;
    ObjStr *name;
    ObjClass *base;         /* NULL only for object */
    ObjDict *dict;          /* methods and class attributes */
    uint16_t layout;        /* ObjKind of instances (OBJ_INSTANCE for user classes) */
    bool builtin;           /* a builtin type: users may not set attributes on it */
    NativeFn ctor;          /* builtin types: called as ctor(t, class, ...) by cls(...) */
};

typedef struct ObjInstance {
    Obj obj;                /* obj.cls is the instance's class */
    ObjDict *dict;          /* attributes */
} ObjInstance;

typedef struct ObjModule {
    Obj obj;
    ObjStr *name;
    ObjDict *dict;
} ObjModule;

typedef struct ObjRange {
    Obj obj;
    int64_t start, stop, step;
} ObjRange;

typedef struct ObjSlice {
    Obj obj;
    Value start, stop, step; /* VAL_NONE where omitted */
} ObjSlice;

typedef struct ObjIter ObjIter;
/* Returns the next item (new reference); VAL_ERR with t->exc unset when
 * exhausted; VAL_ERR with t->exc set on error. */
typedef Value (*IterNextFn)(Thread *t, ObjIter *it);

struct ObjIter {
    Obj obj;
    IterNextFn next;
    Value seq;              /* what is iterated (owned) */
    Value aux;              /* a second owned value (zip's other iterators, map's function...) */
    int64_t i, n, step;     /* cursor state, meaning per kind */
};

typedef enum { WRAP_STATIC, WRAP_CLASS, WRAP_PROPERTY } WrapperKind;
typedef struct ObjWrapper {
    Obj obj;
    int kind;               /* WrapperKind */
    Value func;             /* the wrapped callable (property: the getter) */
    Value setter;           /* property setter or VAL_NONE */
} ObjWrapper;

typedef struct ObjHandle {
    Obj obj;
    void *ptr;
    void (*finalize)(void *ptr); /* called when freed (may be NULL) */
    int tag;                /* what the handle is, for type checks */
} ObjHandle;

#define AS_OBJ(v)      ((v).as.o)
#define OBJ_KIND(v)    ((v).as.o->kind)
#define IS_KIND(v, k)  ((v).kind == V_OBJ && (v).as.o->kind == (k))
#define IS_STR(v)      IS_KIND(v, OBJ_STR)
#define IS_BYTES(v)    IS_KIND(v, OBJ_BYTES)
#define IS_LIST(v)     IS_KIND(v, OBJ_LIST)
#define IS_TUPLE(v)    IS_KIND(v, OBJ_TUPLE)
#define IS_DICT(v)     IS_KIND(v, OBJ_DICT)
#define IS_SET(v)      IS_KIND(v, OBJ_SET)
#define IS_CLASS(v)    IS_KIND(v, OBJ_CLASS)
#define IS_INSTANCE(v) IS_KIND(v, OBJ_INSTANCE)
#define AS_STR(v)      ((ObjStr *)(v).as.o)
#define AS_BYTES(v)    ((ObjBytes *)(v).as.o)
#define AS_LIST(v)     ((ObjList *)(v).as.o)
#define AS_TUPLE(v)    ((ObjTuple *)(v).as.o)
#define AS_DICT(v)     ((ObjDict *)(v).as.o)
#define AS_CLASS(v)    ((ObjClass *)(v).as.o)
#define AS_INSTANCE(v) ((ObjInstance *)(v).as.o)
#define AS_FUNC(v)     ((ObjFunc *)(v).as.o)
#define AS_NATIVE(v)   ((ObjNative *)(v).as.o)
#define AS_BOUND(v)    ((ObjBound *)(v).as.o)
#define AS_MODULE(v)   ((ObjModule *)(v).as.o)
#define AS_RANGE(v)    ((ObjRange *)(v).as.o)
#define AS_SLICE(v)    ((ObjSlice *)(v).as.o)
#define AS_ITER(v)     ((ObjIter *)(v).as.o)
#define AS_HANDLE(v)   ((ObjHandle *)(v).as.o)

/* ---- strings (str.c) ------------------------------------------------------ */

/* Copies len bytes of UTF-8 (not validated here; the lexer validates source). */
ObjStr *str_new(Vm *vm, const char *s, int64_t len);
ObjStr *str_from_cstr(Vm *vm, const char *s);
/* The VM's unique string with these bytes: immortal, so the returned pointer
 * is valid until vm_free and may be compared by address. */
ObjStr *str_intern(Vm *vm, const char *s, int64_t len);
ObjStr *str_intern_cstr(Vm *vm, const char *s);
uint64_t str_hash(ObjStr *s);
bool str_eq(const ObjStr *a, const ObjStr *b);
int str_cmp(const ObjStr *a, const ObjStr *b);     /* <0, 0, >0 by code point */
ObjStr *str_concat(Vm *vm, const ObjStr *a, const ObjStr *b);
/* s[i] for a code-point index already normalised to 0 <= i < nchars. */
ObjStr *str_char_at(Vm *vm, ObjStr *s, int64_t i);
/* repr() of a str, quoted and escaped as CPython does. */
ObjStr *str_repr(Vm *vm, const ObjStr *s);

/* A growable byte buffer for building strings. */
typedef struct StrBuf {
    char *buf;
    int64_t len, cap;
} StrBuf;
void sb_init(StrBuf *sb);
void sb_fini(StrBuf *sb);                       /* frees the buffer */
void sb_append(StrBuf *sb, const char *s, int64_t len);
void sb_puts(StrBuf *sb, const char *s);
void sb_putc(StrBuf *sb, char c);
void sb_printf(StrBuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
ObjStr *sb_to_str(Vm *vm, StrBuf *sb);          /* makes a str and frees the buffer */

/* ---- bytes (bytes.c) ------------------------------------------------------ */

ObjBytes *bytes_new(Vm *vm, const void *data, int64_t len);
ObjStr *bytes_repr(Vm *vm, const ObjBytes *b);  /* b'...' as CPython prints it */

/* ---- lists and tuples (list.c) -------------------------------------------- */

ObjList *list_new(Vm *vm, int64_t cap);         /* empty, with room for cap */
void list_append(ObjList *l, Value v);          /* increfs v */
void list_append_steal(ObjList *l, Value v);    /* takes over the caller's reference */
ObjTuple *tuple_new(Vm *vm, int64_t len);       /* items are VAL_NONE; fill by stealing */
ObjTuple *tuple_pack(Vm *vm, int n, ...);       /* n borrowed Values, increfed */

/* ---- dicts and sets (dict.c) ---------------------------------------------- */

ObjDict *dict_new(Vm *vm);
ObjSet *set_new(Vm *vm);
/* 1 found (*out borrowed), 0 absent, -1 error (unhashable key, or __eq__ raised). */
int dict_get(Thread *t, ObjDict *d, Value key, Value *out);
/* Inserts or replaces; increfs key and value.  0 ok, -1 error. */
int dict_set(Thread *t, ObjDict *d, Value key, Value value);
/* 1 deleted, 0 absent, -1 error. */
int dict_del(Thread *t, ObjDict *d, Value key);
/* String keys never run user code, so these cannot fail. */
Value *dict_find_str(ObjDict *d, ObjStr *key);  /* the value slot, or NULL */
void dict_set_str(Vm *vm, ObjDict *d, ObjStr *key, Value value); /* increfs value */
void dict_clear(ObjDict *d);
/* Iteration in insertion order: start with *pos = 0; borrowed key and value. */
bool dict_next(ObjDict *d, int64_t *pos, Value *key, Value *value);
ObjDict *dict_copy(Thread *t, ObjDict *d);

/* ---- methods of builtin types ----------------------------------------------- */

typedef struct NativeDef {
    const char *name;
    NativeFn fn;
} NativeDef;

/* NULL-terminated method tables, installed in the type's class dict at vm_new. */
extern const NativeDef str_methods[];
extern const NativeDef bytes_methods[];
extern const NativeDef list_methods[];
extern const NativeDef tuple_methods[];
extern const NativeDef dict_methods[];
extern const NativeDef set_methods[];
extern const NativeDef int_methods[];
extern const NativeDef float_methods[];
extern const NativeDef exc_methods[];       /* BaseException */
/* ---- added by the builtins/numbers engineer (numbers.c) ---- */
extern const NativeDef keyerror_methods[];  /* KeyError: __str__ is repr(args[0]) */
/* ---- end of addition ---- */

/* Constructors: str(x), list(it), ...; self is the class being called. */
Value str_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw);
Value bytes_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw);
Value list_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw);
Value tuple_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw);
Value dict_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw);
Value set_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw);
Value int_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw);
Value float_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw);
Value bool_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw);
Value range_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw);
Value object_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw);

/* ---- formatting (format.c) -------------------------------------------------- */

/* repr() of a float, shortest round-trip as CPython prints it ("1.0", "1e+16", "inf"). */
ObjStr *float_repr(Vm *vm, double d);
/* Appends the repr of a float to sb. */
void float_repr_sb(StrBuf *sb, double d);
/* fmt % args, CPython semantics for %s %r %d %i %x %X %o %f %F %e %g %c %% with
 * flags, width, precision, '*' and %(name)s with a dict. */
Value str_percent_format(Thread *t, ObjStr *fmt, Value args);
/* format(v, spec): the format-spec mini-language for int, float, str, bool
 * ([[fill]align][sign][#][0][width][,|_][.precision][type]); others use str(v)
 * when spec is empty. */
Value vm_format(Thread *t, Value v, ObjStr *spec);

/* ---- object-layer helpers the VM and builtins call ---------------------------
 * (added by the object-layer engineer: str.c, bytes.c, list.c, dict.c,
 * format.c, seqrepr.c).  Same conventions: new references returned, arguments
 * borrowed, VAL_ERR / -1 with an exception set on error. */

#define OBJF_REPR_BUSY 2u   /* container is being repr()'d: a nested repr prints "[...]" */

/* CPython's numeric hashes, so that 1, 1.0 and True hash alike: n mod 2**61-1
 * with the sign kept and -1 mapped to -2 (the int64 bit pattern as uint64). */
uint64_t hash_int(int64_t n);
uint64_t hash_double(double d);     /* integral doubles hash as the int */
uint64_t bytes_hash(ObjBytes *b);   /* cached */
/* CPython's tuple hash (xxHash-based) over vm_hash of the items.  0 / -1. */
int tuple_hash(Thread *t, ObjTuple *tu, uint64_t *out);

/* Slices: CPython's PySlice_Unpack + PySlice_AdjustIndices.  Raises
 * ValueError("slice step cannot be zero") or TypeError for non-int bounds
 * and returns false. */
bool slice_indices(Thread *t, ObjSlice *s, int64_t len, int64_t *start, int64_t *stop,
                   int64_t *step, int64_t *count);

/* s[key] for an int (negative allowed) or a slice.  IndexError "string index
 * out of range"; TypeError "string indices must be integers, not 'X'". */
Value str_getitem(Thread *t, ObjStr *s, Value key);
Value str_repeat(Thread *t, ObjStr *s, int64_t n);          /* s * n (n < 0 -> '') */
int str_contains(ObjStr *hay, ObjStr *needle);   /* needle in hay: 1 / 0 */
/* sep.join(iterable); TypeError "sequence item N: expected str instance, X found". */
Value str_join(Thread *t, ObjStr *sep, Value iterable);
/* ascii(): repr with every non-ASCII code point escaped (\xNN, \uNNNN, \UNNNNNNNN). */
ObjStr *str_ascii(Vm *vm, const ObjStr *s);
/* One code point decoded at s[*pos] (advances *pos); bad UTF-8 yields the byte. */
uint32_t str_decode_utf8(const char *s, int64_t len, int64_t *pos);
/* Appends code point c as UTF-8. */
void sb_put_utf8(StrBuf *sb, uint32_t c);
/* bytes.decode / str(b, encoding, errors): codecs utf-8, ascii, latin-1;
 * errors strict, ignore, replace; encoding/errors VAL_ERR when not given.
 * UnicodeDecodeError / LookupError worded as CPython. */
Value str_decode_bytes(Thread *t, const unsigned char *p, int64_t len, Value encoding,
                       Value errors);
/* s.encode(encoding, errors), same conventions. */
Value str_encode_value(Thread *t, ObjStr *s, Value encoding, Value errors);
/* Raises KeyError(key) (the key itself as args[0], as CPython) and returns VAL_ERR. */
Value dict_key_error(Thread *t, Value key);

Value bytes_getitem(Thread *t, ObjBytes *b, Value key);     /* int value or bytes */
ObjBytes *bytes_concat(Vm *vm, const ObjBytes *a, const ObjBytes *b);
Value bytes_repeat(Thread *t, ObjBytes *b, int64_t n);
/* item in b: item an int 0..255 or bytes.  1 / 0 / -1 (TypeError, ValueError). */
int bytes_contains(Thread *t, ObjBytes *b, Value item);

/* l[key] / l[key] = v / del l[key] for an int or a slice (slice assignment
 * and extended slices included).  CPython's messages. */
Value list_getitem(Thread *t, ObjList *l, Value key);
int list_setitem(Thread *t, ObjList *l, Value key, Value v);    /* 0 / -1 */
int list_delitem(Thread *t, ObjList *l, Value key);             /* 0 / -1 */
Value tuple_getitem(Thread *t, ObjTuple *tu, Value key);
ObjList *list_concat(Vm *vm, const ObjList *a, const ObjList *b);
ObjTuple *tuple_concat(Vm *vm, const ObjTuple *a, const ObjTuple *b);
/* a + b for two lists or two tuples (else TypeError as CPython words it). */
Value seq_concat(Thread *t, Value a, Value b);
Value list_repeat(Thread *t, ObjList *l, int64_t n);
Value tuple_repeat(Thread *t, ObjTuple *tu, int64_t n);
/* Appends every item of iterable (l itself allowed).  0 / -1. */
int list_extend(Thread *t, ObjList *l, Value iterable);
/* Stable sort in place, as list.sort(key=key, reverse=reverse); key VAL_NONE
 * or VAL_ERR for none.  On error the list keeps its original order.  0 / -1. */
int list_sort(Thread *t, ObjList *l, Value key, bool reverse);
/* Lexicographic comparison of two item arrays with vm_eq / vm_compare; op is a
 * CMP_* code (EQ and NE included).  The arrays must not move during the call
 * (tuples); for lists use seq_richcompare.  1 / 0 / -1. */
int seq_compare(Thread *t, const Value *a, int64_t na, const Value *b, int64_t nb, int op);
/* a op b for two lists or two tuples, safe against lists mutated by __eq__. */
int seq_richcompare(Thread *t, Value a, Value b, int op);
/* item in seq (a list or a tuple): identity or ==, safe against a list
 * mutated by __eq__.  1 / 0 / -1. */
int seq_contains(Thread *t, Value seq, Value item);

/* repr() of a list, tuple, dict or set ("[...]" when nested in itself). */
Value seq_repr(Thread *t, Value v);

/* Sets: add (0 / -1), membership (1 / 0 / -1). */
int set_add(Thread *t, ObjSet *s, Value key);
int set_contains(Thread *t, ObjSet *s, Value key);
/* The set a display {c1, c2, c3, ...} of MORE THAN TWO constants makes in
 * CPython 3.11 (built through a frozenset constant: a different table order
 * than adding the items one by one).  For the compiler/VM to use for such
 * displays; BUILD_SET of non-constant items should use set_add in order. */
Value set_from_const_items(Thread *t, const Value *items, int64_t n);
/* a | b, a & b, a - b, a ^ b for sets (op a BINOP_OR/AND/SUB/XOR code);
 * also d1 | d2 for dicts. */
Value set_binop(Thread *t, int op, Value a, Value b);
/* a op b for sets (subset order) or dicts (EQ/NE only).  1 / 0 / -1. */
int set_compare(Thread *t, ObjSet *a, ObjSet *b, int op);
int dict_eq(Thread *t, ObjDict *a, ObjDict *b);
/* d.update(other): other a dict, an object with keys(), or an iterable of
 * pairs.  0 / -1 with CPython's messages. */
int dict_update(Thread *t, ObjDict *d, Value other);
/* ---- end of object-layer helpers ------------------------------------------ */

#endif
