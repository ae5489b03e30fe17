/*
 * dict.c -- dicts and sets, and the numeric hashes they share with vm_hash.
 *
 * A dict is CPython's compact ordered dict: entries[0..used) in insertion
 * order (deleted ones have key V_ERR), and an open-addressed index of
 * mask+1 int64 slots (-1 empty, -2 deleted, else an entry number), probed
 * with CPython's perturbation.  The index is grown (and the deleted entries
 * squeezed out) once used reaches 2/3 of the slots.
 *
 * A set has the same struct but is laid out as CPython's own set table, so
 * that printing or iterating a set gives CPython's order: entries[0..mask]
 * IS the hash table (linear probes of 9, then perturbation), used == cap ==
 * mask+1 so a plain walk over entries[0..used) skipping V_ERR keys visits
 * it, `index` is unused (NULL), and an entry is unused (key and value
 * V_ERR), a dummy left by a deletion (key V_ERR, value True) or active
 * (value None).  The set's fill (active + dummy) is kept in `cap` -- the
 * one field a set does not otherwise need -- see SET_FILL.
 *
 * Any comparison may run a user __eq__ that mutates the table; lookups
 * re-check the table after each one and restart if it moved.
 */
#include "object.h"

#include <math.h>
#include <string.h>

#include "vm.h"

/* ---- numeric hashes (CPython's, modulus 2**61 - 1) ------------------------------- */

#define HASH_BITS 61
#define HASH_MODULUS (((uint64_t)1 << HASH_BITS) - 1)

uint64_t hash_int(int64_t n)
{
    uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    int64_t h = (int64_t)(u < HASH_MODULUS ? u : u % HASH_MODULUS);   /* skip the division */
    if (n < 0)
        h = -h;
    if (h == -1)
        h = -2;
    return (uint64_t)h;
}

uint64_t hash_double(double v)
{
    if (!isfinite(v))
        return isinf(v) ? (v > 0 ? 314159 : (uint64_t)-314159) : 0;
    int e;
    double m = frexp(v, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    uint64_t x = 0;
    while (m) {
        x = ((x << 28) & HASH_MODULUS) | x >> (HASH_BITS - 28);
        m *= 268435456.0;
        e -= 28;
        uint64_t y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= HASH_MODULUS)
            x -= HASH_MODULUS;
    }
    e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
    x = ((x << e) & HASH_MODULUS) | x >> (HASH_BITS - e);
    x = x * (uint64_t)(int64_t)sign;
    if (x == (uint64_t)-1)
        x = (uint64_t)-2;
    return x;
}

/* The hash of a key, without user code for str and numbers. */
static int key_hash(Thread *t, Value key, uint64_t *h)
{
    switch (key.kind) {
    case V_INT:
    case V_BOOL:
        *h = hash_int(key.as.i);
        return 0;
    case V_FLOAT:
        *h = hash_double(key.as.f);
        return 0;
    case V_OBJ:
        if (IS_STR(key)) {
            *h = str_hash(AS_STR(key));
            return 0;
        }
        break;
    default:
        break;
    }
    return vm_hash(t, key, h);
}

/* Key equality that needs no user code: 1 equal, 0 different, -1 unknown. */
static int key_eq_fast(Value a, Value b)
{
    if (a.kind == V_OBJ && b.kind == V_OBJ) {
        if (a.as.o == b.as.o)
            return 1;
        if (IS_STR(a) && IS_STR(b))
            return str_eq(AS_STR(a), AS_STR(b));
        if (IS_STR(a) || IS_STR(b))
            return (IS_INSTANCE(a) || IS_INSTANCE(b)) ? -1 : 0;
        return -1;
    }
    if (a.kind == V_OBJ || b.kind == V_OBJ) {
        Value o = a.kind == V_OBJ ? a : b;
        return IS_INSTANCE(o) ? -1 : 0;
    }
    if (a.kind == V_NONE || b.kind == V_NONE)
        return a.kind == b.kind;
    if (a.kind != V_FLOAT && b.kind != V_FLOAT)
        return a.as.i == b.as.i;
    if (a.kind == V_FLOAT && b.kind == V_FLOAT)
        return a.as.f == b.as.f;
    double f = a.kind == V_FLOAT ? a.as.f : b.as.f;
    int64_t i = a.kind == V_FLOAT ? b.as.i : a.as.i;
    if (f != floor(f) || f < -9223372036854775808.0 || f >= 9223372036854775808.0)
        return 0;
    return (int64_t)f == i;
}

Value dict_key_error(Thread *t, Value key)
{
    Value e = vm_call(t, val_obj(&t->vm->exc[EXC_KeyError]->obj), 1, &key, NULL);
    if (IS_ERR(e))
        return VAL_ERR;
    vm_raise_value(t, e);
    val_decref(e);
    return VAL_ERR;
}

static int nkw(const ObjTuple *kwnames)
{
    return kwnames ? (int)kwnames->len : 0;
}

/* ---- dict table ----------------------------------------------------------------- */

#define DICT_MINSIZE 8
#define SET_MINSIZE 8
#define USABLE(size) (((size) << 1) / 3)
#define PERTURB_SHIFT 5

ObjDict *dict_new(Vm *vm)
{
    return (ObjDict *)obj_alloc(vm, sizeof(ObjDict), OBJ_DICT, vm->types[TY_DICT]);
}

/* Rebuilds the index with room for at least minused entries, squeezing
 * out the deleted entries. */
static void dict_resize(ObjDict *d, int64_t minused)
{
    int64_t size = DICT_MINSIZE;
    while (USABLE(size) < minused)
        size <<= 1;
    int64_t cap = USABLE(size);
    DictEntry *ents = mem_alloc(sizeof(DictEntry) * (size_t)cap);
    int64_t n = 0;
    for (int64_t i = 0; i < d->used; i++)
        if (!IS_ERR(d->entries[i].key))
            ents[n++] = d->entries[i];
    int64_t *index = mem_alloc(sizeof(int64_t) * (size_t)size);
    for (int64_t i = 0; i < size; i++)
        index[i] = -1;
    uint64_t mask = (uint64_t)size - 1;
    for (int64_t k = 0; k < n; k++) {
        uint64_t h = ents[k].hash, perturb = h, i = h & mask;
        while (index[i] != -1) {
            perturb >>= PERTURB_SHIFT;
            i = (i * 5 + perturb + 1) & mask;
        }
        index[i] = k;
    }
    mem_free(d->entries);
    mem_free(d->index);
    d->entries = ents;
    d->index = index;
    d->used = n;
    d->len = n;
    d->cap = cap;
    d->mask = size - 1;
}

/* Finds key: its entry number (*slot its index position), -1 if absent,
 * -2 on error.  May run __eq__; restarts if the table changed meanwhile. */
static int64_t dict_lookup(Thread *t, ObjDict *d, Value key, uint64_t hash, int64_t *slot)
{
restart:
    if (!d->index)
        return -1;
    uint64_t mask = (uint64_t)d->mask, perturb = hash, i = hash & mask;
    for (;;) {
        int64_t ix = d->index[i];
        if (ix == -1)
            return -1;
        if (ix >= 0) {
            DictEntry *e = &d->entries[ix];
            if (e->hash == hash) {
                if (e->key.kind == V_INT && key.kind == V_INT) {
                    if (e->key.as.i == key.as.i) {
                        *slot = (int64_t)i;
                        return ix;
                    }
                    goto next;
                }
                int r = key_eq_fast(e->key, key);
                if (r < 0) {
                    DictEntry *ents = d->entries;
                    int64_t *index = d->index;
                    Value k = val_dup(e->key);
                    r = vm_eq(t, k, key);
                    bool moved = ents != d->entries || index != d->index ||
                                 d->index[i] != ix || d->entries[ix].key.as.o != k.as.o;
                    val_decref(k);
                    if (r < 0)
                        return -2;
                    if (moved)
                        goto restart;
                }
                if (r > 0) {
                    *slot = (int64_t)i;
                    return ix;
                }
            }
        }
    next:
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* Appends a key known to be absent (no user code). */
static void dict_insert_new(ObjDict *d, Value key, Value value, uint64_t hash)
{
    if (!d->index || d->used >= d->cap)
        dict_resize(d, d->len * 3 / 2 + 1);
    uint64_t mask = (uint64_t)d->mask, perturb = hash, i = hash & mask;
    while (d->index[i] != -1) {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
    d->index[i] = d->used;
    DictEntry *e = &d->entries[d->used++];
    e->key = val_dup(key);
    e->value = val_dup(value);
    e->hash = hash;
    d->len++;
    d->version++;
}

static int set_add_hashed(Thread *t, ObjSet *s, Value key, uint64_t hash);
static int64_t set_lookup(Thread *t, ObjSet *s, Value key, uint64_t hash);
static int set_discard_hashed(Thread *t, ObjSet *s, Value key, uint64_t hash);

int dict_get(Thread *t, ObjDict *d, Value key, Value *out)
{
    uint64_t h;
    if (key_hash(t, key, &h) < 0)
        return -1;
    if (d->obj.kind == OBJ_SET) {
        int64_t ix = set_lookup(t, d, key, h);
        if (ix < 0)
            return ix == -1 ? 0 : -1;
        *out = d->entries[ix].value;
        return 1;
    }
    int64_t slot, ix = dict_lookup(t, d, key, h, &slot);
    if (ix < 0)
        return ix == -1 ? 0 : -1;
    *out = d->entries[ix].value;
    return 1;
}

int dict_set(Thread *t, ObjDict *d, Value key, Value value)
{
    uint64_t h;
    if (key_hash(t, key, &h) < 0)
        return -1;
    if (d->obj.kind == OBJ_SET)
        return set_add_hashed(t, d, key, h);
    int64_t slot, ix = dict_lookup(t, d, key, h, &slot);
    if (ix == -2)
        return -1;
    if (ix >= 0) {
        Value old = d->entries[ix].value;
        d->entries[ix].value = val_dup(value);
        val_decref(old);
        return 0;
    }
    dict_insert_new(d, key, value, h);
    return 0;
}

/* Removes entry ix found at index position slot; the caller decrefs. */
static void dict_unlink(ObjDict *d, int64_t ix, int64_t slot, Value *key, Value *value)
{
    DictEntry *e = &d->entries[ix];
    *key = e->key;
    *value = e->value;
    e->key = VAL_ERR;
    e->value = VAL_ERR;
    d->index[slot] = -2;
    d->len--;
}

int dict_del(Thread *t, ObjDict *d, Value key)
{
    uint64_t h;
    if (key_hash(t, key, &h) < 0)
        return -1;
    if (d->obj.kind == OBJ_SET)
        return set_discard_hashed(t, d, key, h);
    int64_t slot, ix = dict_lookup(t, d, key, h, &slot);
    if (ix < 0)
        return ix == -1 ? 0 : -1;
    Value k, v;
    dict_unlink(d, ix, slot, &k, &v);
    val_decref(k);
    val_decref(v);
    return 1;
}

Value *dict_find_str(ObjDict *d, ObjStr *key)
{
    if (!d->index)
        return NULL;
    uint64_t hash = str_hash(key), mask = (uint64_t)d->mask, perturb = hash, i = hash & mask;
    for (;;) {
        int64_t ix = d->index[i];
        if (ix == -1)
            return NULL;
        if (ix >= 0) {
            DictEntry *e = &d->entries[ix];
            if (e->key.as.o == &key->obj && e->key.kind == V_OBJ)
                return &e->value;   /* interned names: the common case */
            if (e->hash == hash && IS_STR(e->key) && str_eq(AS_STR(e->key), key))
                return &e->value;
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

void dict_set_str(Vm *vm, ObjDict *d, ObjStr *key, Value value)
{
    (void)vm;
    Value *slot = dict_find_str(d, key);
    if (slot) {
        Value old = *slot;
        *slot = val_dup(value);
        val_decref(old);
        return;
    }
    dict_insert_new(d, val_obj(&key->obj), value, str_hash(key));
}

static void set_table_init(ObjSet *s, int64_t size);

void dict_clear(ObjDict *d)
{
    DictEntry *ents = d->entries;
    int64_t used = d->used;
    mem_free(d->index);
    d->entries = NULL;
    d->index = NULL;
    d->len = d->used = d->cap = d->mask = 0;
    if (d->obj.kind == OBJ_SET)
        set_table_init(d, SET_MINSIZE);
    /* the table is already empty when a decref runs anything */
    for (int64_t i = 0; i < used; i++) {
        val_decref(ents[i].key);
        val_decref(ents[i].value);
    }
    mem_free(ents);
}

bool dict_next(ObjDict *d, int64_t *pos, Value *key, Value *value)
{
    for (int64_t i = *pos; i < d->used; i++) {
        DictEntry *e = &d->entries[i];
        if (!IS_ERR(e->key)) {
            *key = e->key;
            *value = e->value;
            *pos = i + 1;
            return true;
        }
    }
    *pos = d->used;
    return false;
}

static int set_merge(Thread *t, ObjSet *so, ObjSet *other);

ObjDict *dict_copy(Thread *t, ObjDict *d)
{
    if (d->obj.kind == OBJ_SET) {
        ObjSet *s = set_new(t->vm);
        if (set_merge(t, s, d) < 0) {
            obj_decref(&s->obj);
            return NULL;
        }
        return s;
    }
    ObjDict *c = dict_new(t->vm);
    if (d->len == 0)
        return c;
    dict_resize(c, d->len);
    int64_t pos = 0;
    Value k, v;
    while (dict_next(d, &pos, &k, &v))
        dict_insert_new(c, k, v, d->entries[pos - 1].hash);
    return c;
}

/* ---- set table (CPython's setobject.c layout) ------------------------------------ */

#define LINEAR_PROBES 9
#define SET_FILL(s) ((s)->cap)      /* active + dummy slots */
#define SLOT_UNUSED(e) (IS_ERR((e)->key) && IS_ERR((e)->value))
#define SLOT_DUMMY(e) (IS_ERR((e)->key) && !IS_ERR((e)->value))

static void set_table_init(ObjSet *s, int64_t size)
{
    s->entries = mem_alloc(sizeof(DictEntry) * (size_t)size);
    for (int64_t i = 0; i < size; i++) {
        s->entries[i].key = VAL_ERR;
        s->entries[i].value = VAL_ERR;
        s->entries[i].hash = 0;
    }
    s->mask = size - 1;
    s->used = size;
    s->len = 0;
    SET_FILL(s) = 0;
}

ObjSet *set_new(Vm *vm)
{
    ObjSet *s = (ObjSet *)obj_alloc(vm, sizeof(ObjSet), OBJ_SET, vm->types[TY_SET]);
    set_table_init(s, SET_MINSIZE);
    return s;
}

/* Puts a key known to be absent into a table without dummies. */
static void set_insert_clean(DictEntry *table, uint64_t mask, Value key, uint64_t hash)
{
    uint64_t perturb = hash, i = hash & mask;
    for (;;) {
        DictEntry *e = &table[i];
        if (IS_ERR(e->key))
            goto found;
        if (i + LINEAR_PROBES <= mask) {
            for (int j = 0; j < LINEAR_PROBES; j++) {
                e++;
                if (IS_ERR(e->key))
                    goto found;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
        continue;
    found:
        e->key = key;
        e->value = VAL_NONE;
        e->hash = hash;
        return;
    }
}

static void set_table_resize(ObjSet *s, int64_t minused)
{
    int64_t size = SET_MINSIZE;
    while (size <= minused)
        size <<= 1;
    DictEntry *old = s->entries;
    int64_t oldsize = s->mask + 1, len = s->len;
    set_table_init(s, size);
    for (int64_t i = 0; i < oldsize; i++)
        if (!IS_ERR(old[i].key))
            set_insert_clean(s->entries, (uint64_t)s->mask, old[i].key, old[i].hash);
    s->len = len;
    SET_FILL(s) = len;
    mem_free(old);
}

/* set_lookkey: the active slot holding key, -1 if absent, -2 on error. */
static int64_t set_lookup(Thread *t, ObjSet *s, Value key, uint64_t hash)
{
restart:;
    uint64_t mask = (uint64_t)s->mask, perturb = hash, i = hash & mask;
    for (;;) {
        uint64_t j = i;
        int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        do {
            DictEntry *e = &s->entries[j];
            if (SLOT_UNUSED(e))
                return -1;
            if (!IS_ERR(e->key) && e->hash == hash) {
                int r = key_eq_fast(e->key, key);
                if (r < 0) {
                    DictEntry *table = s->entries;
                    Value k = val_dup(e->key);
                    r = vm_eq(t, k, key);
                    bool moved = table != s->entries || s->entries[j].key.kind != k.kind ||
                                 s->entries[j].key.as.o != k.as.o;
                    val_decref(k);
                    if (r < 0)
                        return -2;
                    if (moved)
                        goto restart;
                    mask = (uint64_t)s->mask;
                }
                if (r > 0)
                    return (int64_t)j;
            }
            j++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

/* set_add_entry: 0 (added or present) / -1. */
static int set_add_hashed(Thread *t, ObjSet *s, Value key, uint64_t hash)
{
restart:;
    uint64_t mask = (uint64_t)s->mask, perturb = hash, i = hash & mask;
    int64_t freeslot = -1;
    for (;;) {
        uint64_t j = i;
        int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        do {
            DictEntry *e = &s->entries[j];
            if (SLOT_UNUSED(e)) {
                if (freeslot >= 0) {
                    e = &s->entries[freeslot];
                } else {
                    SET_FILL(s)++;
                }
                e->key = val_dup(key);
                e->value = VAL_NONE;
                e->hash = hash;
                s->len++;
                if (freeslot < 0 && (uint64_t)SET_FILL(s) * 5 >= mask * 3)
                    set_table_resize(s, s->len > 50000 ? s->len * 2 : s->len * 4);
                return 0;
            }
            if (!IS_ERR(e->key) && e->hash == hash) {
                int r = key_eq_fast(e->key, key);
                if (r < 0) {
                    DictEntry *table = s->entries;
                    Value k = val_dup(e->key);
                    r = vm_eq(t, k, key);
                    bool moved = table != s->entries || s->entries[j].key.kind != k.kind ||
                                 s->entries[j].key.as.o != k.as.o;
                    val_decref(k);
                    if (r < 0)
                        return -1;
                    if (moved)
                        goto restart;
                    mask = (uint64_t)s->mask;
                }
                if (r > 0)
                    return 0;
            } else if (SLOT_DUMMY(e)) {
                freeslot = (int64_t)j;
            }
            j++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static void set_unlink(ObjSet *s, int64_t j)
{
    Value k = s->entries[j].key;
    s->entries[j].key = VAL_ERR;
    s->entries[j].value = VAL_TRUE;
    s->len--;
    val_decref(k);
}

/* 1 removed, 0 absent, -1 error. */
static int set_discard_hashed(Thread *t, ObjSet *s, Value key, uint64_t hash)
{
    int64_t j = set_lookup(t, s, key, hash);
    if (j < 0)
        return j == -1 ? 0 : -1;
    set_unlink(s, j);
    return 1;
}

int set_add(Thread *t, ObjSet *s, Value key)
{
    uint64_t h;
    if (key_hash(t, key, &h) < 0)
        return -1;
    return set_add_hashed(t, s, key, h);
}

int set_contains(Thread *t, ObjSet *s, Value key)
{
    uint64_t h;
    if (key_hash(t, key, &h) < 0)
        return -1;
    int64_t j = set_lookup(t, s, key, h);
    return j >= 0 ? 1 : j == -1 ? 0 : -1;
}

static int set_merge(Thread *t, ObjSet *so, ObjSet *other)
{
    if (other == so || other->len == 0)
        return 0;
    if ((SET_FILL(so) + other->len) * 5 >= so->mask * 3)
        set_table_resize(so, (so->len + other->len) * 2);
    if (SET_FILL(so) == 0 && so->mask == other->mask && SET_FILL(other) == other->len) {
        for (int64_t i = 0; i <= other->mask; i++) {
            if (!IS_ERR(other->entries[i].key)) {
                so->entries[i].key = val_dup(other->entries[i].key);
                so->entries[i].value = VAL_NONE;
                so->entries[i].hash = other->entries[i].hash;
            }
        }
        so->len = SET_FILL(so) = other->len;
        return 0;
    }
    if (SET_FILL(so) == 0) {
        for (int64_t i = 0; i <= other->mask; i++)
            if (!IS_ERR(other->entries[i].key))
                set_insert_clean(so->entries, (uint64_t)so->mask, val_dup(other->entries[i].key),
                                 other->entries[i].hash);
        so->len = SET_FILL(so) = other->len;
        return 0;
    }
    /* other may shrink under a user __eq__: re-read its bounds */
    obj_incref(&other->obj);
    int rc = 0;
    for (int64_t i = 0; i <= other->mask && rc == 0; i++) {
        DictEntry *e = &other->entries[i];
        if (!IS_ERR(e->key)) {
            Value k = val_dup(e->key);
            rc = set_add_hashed(t, so, k, e->hash);
            val_decref(k);
        }
    }
    obj_decref(&other->obj);
    return rc;
}

/* set |= iterable (set_update_internal). */
static int set_update(Thread *t, ObjSet *s, Value other)
{
    if (IS_SET(other))
        return set_merge(t, s, AS_DICT(other));
    if (IS_DICT(other)) {
        ObjDict *d = AS_DICT(other);
        if ((SET_FILL(s) + d->len) * 5 >= s->mask * 3)
            set_table_resize(s, (s->len + d->len) * 2);
        for (int64_t i = 0; i < d->used; i++) {
            if (IS_ERR(d->entries[i].key))
                continue;
            Value k = val_dup(d->entries[i].key);
            int rc = set_add_hashed(t, s, k, d->entries[i].hash);
            val_decref(k);
            if (rc < 0)
                return -1;
        }
        return 0;
    }
    Value it = vm_iter(t, other);
    if (IS_ERR(it))
        return -1;
    for (;;) {
        Value v = vm_next(t, it);
        if (IS_ERR(v)) {
            val_decref(it);
            return IS_ERR(t->exc) ? 0 : -1;
        }
        int rc = set_add(t, s, v);
        val_decref(v);
        if (rc < 0) {
            val_decref(it);
            return -1;
        }
    }
}

/* A set made of the items of v (v itself, increfed, when it is a set and
 * copy is false). */
static ObjSet *set_of(Thread *t, Value v, bool copy)
{
    if (IS_SET(v) && !copy) {
        obj_incref(AS_OBJ(v));
        return AS_DICT(v);
    }
    ObjSet *s = set_new(t->vm);
    if (set_update(t, s, v) < 0) {
        obj_decref(&s->obj);
        return NULL;
    }
    return s;
}

/* ---- set algebra (CPython's orders) ------------------------------------------------ */

static ObjSet *set_intersection(Thread *t, ObjSet *so, Value other)
{
    ObjSet *result = set_new(t->vm);
    if (IS_SET(other)) {
        ObjSet *a = so, *b = AS_DICT(other);
        if (b->len > a->len) {
            ObjSet *tmp = a;
            a = b;
            b = tmp;
        }
        /* iterate the smaller (b), probe the larger (a) */
        obj_incref(&b->obj);
        for (int64_t i = 0; i <= b->mask; i++) {
            DictEntry *e = &b->entries[i];
            if (IS_ERR(e->key))
                continue;
            Value k = val_dup(e->key);
            uint64_t h = e->hash;
            int64_t j = set_lookup(t, a, k, h);
            int rc = j >= 0 ? set_add_hashed(t, result, k, h) : j == -1 ? 0 : -1;
            val_decref(k);
            if (rc < 0) {
                obj_decref(&b->obj);
                obj_decref(&result->obj);
                return NULL;
            }
        }
        obj_decref(&b->obj);
        return result;
    }
    Value it = vm_iter(t, other);
    if (IS_ERR(it)) {
        obj_decref(&result->obj);
        return NULL;
    }
    for (;;) {
        Value v = vm_next(t, it);
        if (IS_ERR(v))
            break;
        int rc = set_contains(t, so, v);
        if (rc > 0)
            rc = set_add(t, result, v);
        val_decref(v);
        if (rc < 0)
            break;
    }
    val_decref(it);
    if (!IS_ERR(t->exc)) {
        obj_decref(&result->obj);
        return NULL;
    }
    return result;
}

/* Removes from s every item of other (set_difference_update_internal). */
static int set_difference_update(Thread *t, ObjSet *s, Value other)
{
    ObjSet *o = set_of(t, other, false);
    if (!o)
        return -1;
    int rc = 0;
    for (int64_t i = 0; i <= o->mask && rc >= 0; i++) {
        DictEntry *e = &o->entries[i];
        if (IS_ERR(e->key))
            continue;
        Value k = val_dup(e->key);
        rc = set_discard_hashed(t, s, k, e->hash);
        val_decref(k);
    }
    obj_decref(&o->obj);
    return rc < 0 ? -1 : 0;
}

static ObjSet *set_difference(Thread *t, ObjSet *so, Value other)
{
    if (!IS_SET(other) || (so->len >> 2) > AS_DICT(other)->len) {
        ObjSet *r = set_of(t, val_obj(&so->obj), true);
        if (r && set_difference_update(t, r, other) < 0) {
            obj_decref(&r->obj);
            return NULL;
        }
        return r;
    }
    ObjSet *o = AS_DICT(other), *result = set_new(t->vm);
    for (int64_t i = 0; i <= so->mask; i++) {
        DictEntry *e = &so->entries[i];
        if (IS_ERR(e->key))
            continue;
        Value k = val_dup(e->key);
        uint64_t h = e->hash;
        int64_t j = set_lookup(t, o, k, h);
        int rc = j == -1 ? set_add_hashed(t, result, k, h) : j >= 0 ? 0 : -1;
        val_decref(k);
        if (rc < 0) {
            obj_decref(&result->obj);
            return NULL;
        }
    }
    return result;
}

/* s ^= other (set_symmetric_difference_update). */
static int set_symdiff_update(Thread *t, ObjSet *s, Value other)
{
    ObjSet *o = set_of(t, other, false);
    if (!o)
        return -1;
    if (o == s) {
        obj_decref(&o->obj);
        dict_clear(s);
        return 0;
    }
    int rc = 0;
    for (int64_t i = 0; i <= o->mask && rc >= 0; i++) {
        DictEntry *e = &o->entries[i];
        if (IS_ERR(e->key))
            continue;
        Value k = val_dup(e->key);
        uint64_t h = e->hash;
        rc = set_discard_hashed(t, s, k, h);
        if (rc == 0)
            rc = set_add_hashed(t, s, k, h);
        val_decref(k);
    }
    obj_decref(&o->obj);
    return rc < 0 ? -1 : 0;
}

static ObjSet *set_symdiff(Thread *t, ObjSet *so, Value other)
{
    ObjSet *r = set_of(t, other, true);
    if (r && set_symdiff_update(t, r, val_obj(&so->obj)) < 0) {
        obj_decref(&r->obj);
        return NULL;
    }
    return r;
}

static ObjSet *set_union(Thread *t, ObjSet *so, Value other)
{
    ObjSet *r = set_of(t, val_obj(&so->obj), true);
    if (r && set_update(t, r, other) < 0) {
        obj_decref(&r->obj);
        return NULL;
    }
    return r;
}

/* a <= b as sets: 1 / 0 / -1. */
static int set_issubset_of(Thread *t, ObjSet *a, ObjSet *b)
{
    if (a->len > b->len)
        return 0;
    for (int64_t i = 0; i <= a->mask; i++) {
        DictEntry *e = &a->entries[i];
        if (IS_ERR(e->key))
            continue;
        Value k = val_dup(e->key);
        int64_t j = set_lookup(t, b, k, e->hash);
        val_decref(k);
        if (j == -2)
            return -1;
        if (j == -1)
            return 0;
    }
    return 1;
}

int set_compare(Thread *t, ObjSet *a, ObjSet *b, int op)
{
    int r;
    switch (op) {
    case CMP_EQ:
    case CMP_NE:
        if (a->len != b->len)
            return op == CMP_NE;
        r = set_issubset_of(t, a, b);
        return r < 0 ? -1 : op == CMP_EQ ? r : !r;
    case CMP_LE:
        return set_issubset_of(t, a, b);
    case CMP_GE:
        return set_issubset_of(t, b, a);
    case CMP_LT:
        if (a->len >= b->len)
            return 0;
        return set_issubset_of(t, a, b);
    default:
        if (a->len <= b->len)
            return 0;
        return set_issubset_of(t, b, a);
    }
}

static int dict_eq_unguarded(Thread *t, ObjDict *a, ObjDict *b)
{
    if (a->len != b->len)
        return 0;
    obj_incref(&a->obj);
    obj_incref(&b->obj);
    int result = 1;
    for (int64_t i = 0; i < a->used && result == 1; i++) {
        if (IS_ERR(a->entries[i].key))
            continue;
        Value k = val_dup(a->entries[i].key), v = val_dup(a->entries[i].value), bv;
        int r = dict_get(t, b, k, &bv);
        if (r < 0) {
            result = -1;
        } else if (r == 0) {
            result = 0;
        } else {
            val_incref(bv);
            int e = key_eq_fast(v, bv);
            if (e < 0)
                e = vm_eq(t, v, bv);
            val_decref(bv);
            result = e < 0 ? -1 : e;
        }
        val_decref(k);
        val_decref(v);
    }
    obj_decref(&a->obj);
    obj_decref(&b->obj);
    return result;
}

int dict_eq(Thread *t, ObjDict *a, ObjDict *b)
{
    if (!vm_enter_recursive(t, "in comparison"))
        return -1;
    int r = dict_eq_unguarded(t, a, b);
    vm_leave_recursive(t);
    return r;
}

int dict_update(Thread *t, ObjDict *d, Value other)
{
    Vm *vm = t->vm;
    if (IS_DICT(other)) {
        ObjDict *o = AS_DICT(other);
        obj_incref(&o->obj);
        for (int64_t i = 0; i < o->used; i++) {
            if (IS_ERR(o->entries[i].key))
                continue;
            Value k = val_dup(o->entries[i].key), v = val_dup(o->entries[i].value);
            int rc = dict_set(t, d, k, v);
            val_decref(k);
            val_decref(v);
            if (rc < 0) {
                obj_decref(&o->obj);
                return -1;
            }
        }
        obj_decref(&o->obj);
        return 0;
    }
    ObjStr *s_keys = str_intern_cstr(vm, "keys");
    if (IS_OBJ(other) && !IS_LIST(other) && !IS_TUPLE(other) &&
        vm_class_lookup(vm_class_of(vm, other), s_keys)) {
        Value keys = vm_call_method(t, other, s_keys, 0, NULL);
        if (IS_ERR(keys))
            return -1;
        ObjList *kl = vm_list_from_iter(t, keys);
        val_decref(keys);
        if (!kl)
            return -1;
        for (int64_t i = 0; i < kl->len; i++) {
            Value v = vm_getitem(t, other, kl->items[i]);
            if (IS_ERR(v) || dict_set(t, d, kl->items[i], v) < 0) {
                val_decref(v);
                obj_decref(&kl->obj);
                return -1;
            }
            val_decref(v);
        }
        obj_decref(&kl->obj);
        return 0;
    }
    Value it = vm_iter(t, other);
    if (IS_ERR(it))
        return -1;
    for (int64_t n = 0;; n++) {
        Value item = vm_next(t, it);
        if (IS_ERR(item)) {
            val_decref(it);
            return IS_ERR(t->exc) ? 0 : -1;
        }
        ObjList *pair = NULL;
        const Value *kv;
        int64_t len;
        if (IS_TUPLE(item)) {
            kv = AS_TUPLE(item)->items;
            len = AS_TUPLE(item)->len;
        } else if (IS_LIST(item)) {
            kv = AS_LIST(item)->items;
            len = AS_LIST(item)->len;
        } else if (IS_STR(item) || IS_BYTES(item) || IS_INSTANCE(item) || IS_DICT(item) ||
                   IS_SET(item) || IS_KIND(item, OBJ_ITER) || IS_KIND(item, OBJ_RANGE)) {
            pair = vm_list_from_iter(t, item);
            if (!pair) {
                val_decref(item);
                val_decref(it);
                return -1;
            }
            kv = pair->items;
            len = pair->len;
        } else {
            val_decref(item);
            val_decref(it);
            vm_raise(t, EXC_TypeError,
                     "cannot convert dictionary update sequence element #%lld to a sequence",
                     (long long)n);
            return -1;
        }
        int rc = 0;
        if (len != 2) {
            vm_raise(t, EXC_ValueError,
                     "dictionary update sequence element #%lld has length %lld; 2 is required",
                     (long long)n, (long long)len);
            rc = -1;
        } else {
            rc = dict_set(t, d, kv[0], kv[1]);
        }
        if (pair)
            obj_decref(&pair->obj);
        val_decref(item);
        if (rc < 0) {
            val_decref(it);
            return -1;
        }
    }
}

Value set_binop(Thread *t, int op, Value a, Value b)
{
    Vm *vm = t->vm;
    static const char *const opname[] = {[BINOP_OR] = "|", [BINOP_AND] = "&",
                                         [BINOP_SUB] = "-", [BINOP_XOR] = "^"};
    bool known = op == BINOP_OR || op == BINOP_AND || op == BINOP_SUB || op == BINOP_XOR;
    if (known && IS_SET(a) && IS_SET(b)) {
        ObjSet *r;
        switch (op) {
        case BINOP_OR: r = set_union(t, AS_DICT(a), b); break;
        case BINOP_AND: r = set_intersection(t, AS_DICT(a), b); break;
        case BINOP_SUB: r = set_difference(t, AS_DICT(a), b); break;
        default: r = set_symdiff(t, AS_DICT(a), b); break;
        }
        return r ? val_obj(&r->obj) : VAL_ERR;
    }
    if (op == BINOP_OR && IS_DICT(a) && IS_DICT(b)) {
        ObjDict *r = dict_copy(t, AS_DICT(a));
        if (!r)
            return VAL_ERR;
        if (dict_update(t, r, b) < 0) {
            obj_decref(&r->obj);
            return VAL_ERR;
        }
        return val_obj(&r->obj);
    }
    return vm_raise(t, EXC_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'",
                    known ? opname[op] : "?", vm_type_name(vm, a), vm_type_name(vm, b));
}

/* ---- constructors ----------------------------------------------------------------- */

Value dict_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    int npos = argc - nkw(kw);
    if (npos > 1)
        return vm_raise(t, EXC_TypeError, "dict expected at most 1 argument, got %d", npos);
    ObjDict *d = dict_new(t->vm);
    if (npos == 1 && dict_update(t, d, argv[0]) < 0) {
        obj_decref(&d->obj);
        return VAL_ERR;
    }
    for (int k = 0; k < nkw(kw); k++)
        dict_set_str(t->vm, d, AS_STR(kw->items[k]), argv[npos + k]);
    return val_obj(&d->obj);
}

Value set_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (nkw(kw))
        return vm_raise(t, EXC_TypeError, "set() takes no keyword arguments");
    if (argc > 1)
        return vm_raise(t, EXC_TypeError, "set expected at most 1 argument, got %d", argc);
    if (argc == 0)
        return val_obj(&set_new(t->vm)->obj);
    ObjSet *s = set_of(t, argv[0], true);
    return s ? val_obj(&s->obj) : VAL_ERR;
}

/* ---- dict methods -------------------------------------------------------------------- */

#define SELF_DICT(name)                                                                    \
    if (!IS_DICT(self))                                                                    \
        return vm_raise(t, EXC_TypeError,                                                  \
                        "descriptor '" name "' for 'dict' objects doesn't apply to a '%s' object", \
                        vm_type_name(t->vm, self));                                        \
    ObjDict *d = AS_DICT(self)

static Value m_get(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_DICT("get");
    if (!arg_count(t, "get", argc, kw, 1, 2))
        return VAL_ERR;
    Value v;
    int r = dict_get(t, d, argv[0], &v);
    if (r < 0)
        return VAL_ERR;
    if (r)
        return val_dup(v);
    return argc == 2 ? val_dup(argv[1]) : VAL_NONE;
}

/* keys / values / items as new lists: 0 keys, 1 values, 2 items. */
static Value dict_view_list(Thread *t, ObjDict *d, int what)
{
    ObjList *l = list_new(t->vm, d->len);
    int64_t pos = 0;
    Value k, v;
    while (dict_next(d, &pos, &k, &v)) {
        if (what == 0)
            list_append(l, k);
        else if (what == 1)
            list_append(l, v);
        else
            list_append_steal(l, val_obj(&tuple_pack(t->vm, 2, k, v)->obj));
    }
    return val_obj(&l->obj);
}

static Value m_keys(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_DICT("keys");
    if (!arg_count(t, "dict.keys", argc, kw, 0, 0))
        return VAL_ERR;
    return dict_view_list(t, d, 0);
}

static Value m_values(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_DICT("values");
    if (!arg_count(t, "dict.values", argc, kw, 0, 0))
        return VAL_ERR;
    return dict_view_list(t, d, 1);
}

static Value m_items(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_DICT("items");
    if (!arg_count(t, "dict.items", argc, kw, 0, 0))
        return VAL_ERR;
    return dict_view_list(t, d, 2);
}

static Value m_pop(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_DICT("pop");
    if (!arg_count(t, "pop", argc, kw, 1, 2))
        return VAL_ERR;
    uint64_t h;
    if (key_hash(t, argv[0], &h) < 0)
        return VAL_ERR;
    int64_t slot, ix = dict_lookup(t, d, argv[0], h, &slot);
    if (ix == -2)
        return VAL_ERR;
    if (ix == -1)
        return argc == 2 ? val_dup(argv[1]) : dict_key_error(t, argv[0]);
    Value k, v;
    dict_unlink(d, ix, slot, &k, &v);
    val_decref(k);
    return v;
}

static Value m_popitem(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_DICT("popitem");
    if (!arg_count(t, "popitem", argc, kw, 0, 0))
        return VAL_ERR;
    if (d->len == 0)
        return vm_raise(t, EXC_KeyError, "popitem(): dictionary is empty");
    int64_t ix = d->used - 1;
    while (IS_ERR(d->entries[ix].key))
        ix--;
    uint64_t h = d->entries[ix].hash, mask = (uint64_t)d->mask, perturb = h, i = h & mask;
    while (d->index[i] != ix) {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
    Value k, v;
    dict_unlink(d, ix, (int64_t)i, &k, &v);
    d->used = ix;   /* the tail is all deleted: reuse it */
    ObjTuple *tu = tuple_new(t->vm, 2);
    tu->items[0] = k;
    tu->items[1] = v;
    return val_obj(&tu->obj);
}

static Value m_setdefault(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_DICT("setdefault");
    if (!arg_count(t, "setdefault", argc, kw, 1, 2))
        return VAL_ERR;
    Value v;
    int r = dict_get(t, d, argv[0], &v);
    if (r < 0)
        return VAL_ERR;
    if (r)
        return val_dup(v);
    Value dflt = argc == 2 ? argv[1] : VAL_NONE;
    if (dict_set(t, d, argv[0], dflt) < 0)
        return VAL_ERR;
    return val_dup(dflt);
}

static Value m_update(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_DICT("update");
    int npos = argc - nkw(kw);
    if (npos > 1)
        return vm_raise(t, EXC_TypeError, "update expected at most 1 argument, got %d", npos);
    if (npos == 1 && dict_update(t, d, argv[0]) < 0)
        return VAL_ERR;
    for (int k = 0; k < nkw(kw); k++)
        dict_set_str(t->vm, d, AS_STR(kw->items[k]), argv[npos + k]);
    return VAL_NONE;
}

static Value m_clear(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_DICT("clear");
    if (!arg_count(t, "dict.clear", argc, kw, 0, 0))
        return VAL_ERR;
    dict_clear(d);
    return VAL_NONE;
}

static Value m_copy(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_DICT("copy");
    if (!arg_count(t, "dict.copy", argc, kw, 0, 0))
        return VAL_ERR;
    ObjDict *c = dict_copy(t, d);
    return c ? val_obj(&c->obj) : VAL_ERR;
}

/* dict.fromkeys(iterable, value=None); also reached as {}.fromkeys(...). */
static Value m_fromkeys(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Value keys, value = VAL_NONE;
    if (IS_DICT(self) || IS_CLASS(self)) {
        if (!arg_count(t, "fromkeys", argc, kw, 1, 2))
            return VAL_ERR;
        keys = argv[0];
        if (argc == 2)
            value = argv[1];
    } else {
        /* called unbound as dict.fromkeys(keys[, value]): self is the keys */
        if (!arg_count(t, "fromkeys", argc + 1, kw, 1, 2))
            return VAL_ERR;
        keys = self;
        if (argc == 1)
            value = argv[0];
    }
    ObjList *kl = vm_list_from_iter(t, keys);
    if (!kl)
        return VAL_ERR;
    ObjDict *d = dict_new(t->vm);
    for (int64_t i = 0; i < kl->len; i++) {
        if (dict_set(t, d, kl->items[i], value) < 0) {
            obj_decref(&kl->obj);
            obj_decref(&d->obj);
            return VAL_ERR;
        }
    }
    obj_decref(&kl->obj);
    return val_obj(&d->obj);
}

const NativeDef dict_methods[] = {
    {"get", m_get},
    {"keys", m_keys},
    {"values", m_values},
    {"items", m_items},
    {"pop", m_pop},
    {"popitem", m_popitem},
    {"setdefault", m_setdefault},
    {"update", m_update},
    {"clear", m_clear},
    {"copy", m_copy},
    {"fromkeys", m_fromkeys},
    {NULL, NULL},
};

/* ---- set methods --------------------------------------------------------------------- */

#define SELF_SET(name)                                                                     \
    if (!IS_SET(self))                                                                     \
        return vm_raise(t, EXC_TypeError,                                                  \
                        "descriptor '" name "' for 'set' objects doesn't apply to a '%s' object", \
                        vm_type_name(t->vm, self));                                        \
    ObjSet *s = AS_DICT(self)

static Value m_set_add(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_SET("add");
    if (!arg_count(t, "set.add", argc, kw, 1, 1))
        return VAL_ERR;
    return set_add(t, s, argv[0]) < 0 ? VAL_ERR : VAL_NONE;
}

static Value m_set_remove(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_SET("remove");
    if (!arg_count(t, "set.remove", argc, kw, 1, 1))
        return VAL_ERR;
    int r = dict_del(t, s, argv[0]);
    if (r < 0)
        return VAL_ERR;
    return r ? VAL_NONE : dict_key_error(t, argv[0]);
}

static Value m_set_discard(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_SET("discard");
    if (!arg_count(t, "set.discard", argc, kw, 1, 1))
        return VAL_ERR;
    return dict_del(t, s, argv[0]) < 0 ? VAL_ERR : VAL_NONE;
}

static Value m_set_pop(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_SET("pop");
    if (!arg_count(t, "set.pop", argc, kw, 0, 0))
        return VAL_ERR;
    if (s->len == 0)
        return vm_raise(t, EXC_KeyError, "pop from an empty set");
    /* CPython resumes from a finger; without one, scan from the start */
    int64_t j = 0;
    while (IS_ERR(s->entries[j].key))
        j++;
    Value k = val_dup(s->entries[j].key);
    set_unlink(s, j);
    return k;
}

static Value m_set_clear(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_SET("clear");
    if (!arg_count(t, "set.clear", argc, kw, 0, 0))
        return VAL_ERR;
    dict_clear(s);
    return VAL_NONE;
}

static Value m_set_copy(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    SELF_SET("copy");
    if (!arg_count(t, "set.copy", argc, kw, 0, 0))
        return VAL_ERR;
    ObjSet *c = dict_copy(t, s);
    return c ? val_obj(&c->obj) : VAL_ERR;
}

/* union / intersection / difference / symmetric_difference over any
 * number (or one) of iterables. */
static Value set_multi(Thread *t, ObjSet *s, const char *name, int argc, const Value *argv,
                       ObjTuple *kw, int op)
{
    if (nkw(kw))
        return vm_raise(t, EXC_TypeError, "%s() takes no keyword arguments", name);
    if (op == BINOP_XOR && argc != 1)
        return vm_raise(t, EXC_TypeError, "%s() takes exactly one argument (%d given)", name,
                        argc);
    obj_incref(&s->obj);
    ObjSet *cur = s;
    if (argc == 0) {
        ObjSet *c = dict_copy(t, s);
        obj_decref(&s->obj);
        return c ? val_obj(&c->obj) : VAL_ERR;
    }
    for (int i = 0; i < argc; i++) {
        ObjSet *r;
        if (op == BINOP_SUB && i > 0) {
            if (set_difference_update(t, cur, argv[i]) < 0) {
                obj_decref(&cur->obj);
                return VAL_ERR;
            }
            continue;
        }
        switch (op) {
        case BINOP_OR: r = set_union(t, cur, argv[i]); break;
        case BINOP_AND: r = set_intersection(t, cur, argv[i]); break;
        case BINOP_SUB: r = set_difference(t, cur, argv[i]); break;
        default: r = set_symdiff(t, cur, argv[i]); break;
        }
        obj_decref(&cur->obj);
        if (!r)
            return VAL_ERR;
        cur = r;
    }
    return val_obj(&cur->obj);
}

static Value m_union(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_SET("union");
    return set_multi(t, s, "union", argc, argv, kw, BINOP_OR);
}

static Value m_intersection(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_SET("intersection");
    return set_multi(t, s, "intersection", argc, argv, kw, BINOP_AND);
}

static Value m_difference(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_SET("difference");
    return set_multi(t, s, "difference", argc, argv, kw, BINOP_SUB);
}

static Value m_symmetric_difference(Thread *t, Value self, int argc, const Value *argv,
                                    ObjTuple *kw)
{
    SELF_SET("symmetric_difference");
    return set_multi(t, s, "symmetric_difference", argc, argv, kw, BINOP_XOR);
}

static Value m_set_update(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_SET("update");
    if (nkw(kw))
        return vm_raise(t, EXC_TypeError, "update() takes no keyword arguments");
    for (int i = 0; i < argc; i++)
        if (set_update(t, s, argv[i]) < 0)
            return VAL_ERR;
    return VAL_NONE;
}

static Value m_difference_update(Thread *t, Value self, int argc, const Value *argv,
                                 ObjTuple *kw)
{
    SELF_SET("difference_update");
    if (nkw(kw))
        return vm_raise(t, EXC_TypeError, "difference_update() takes no keyword arguments");
    for (int i = 0; i < argc; i++)
        if (set_difference_update(t, s, argv[i]) < 0)
            return VAL_ERR;
    return VAL_NONE;
}

static Value m_intersection_update(Thread *t, Value self, int argc, const Value *argv,
                                   ObjTuple *kw)
{
    SELF_SET("intersection_update");
    Value r = set_multi(t, s, "intersection_update", argc, argv, kw, BINOP_AND);
    if (IS_ERR(r))
        return VAL_ERR;
    /* take over r's table */
    ObjSet *n = AS_DICT(r);
    dict_clear(s);
    mem_free(s->entries);
    s->entries = n->entries;
    s->len = n->len;
    s->used = n->used;
    s->cap = n->cap;
    s->mask = n->mask;
    set_table_init(n, SET_MINSIZE);
    val_decref(r);
    return VAL_NONE;
}

static Value m_symmetric_difference_update(Thread *t, Value self, int argc, const Value *argv,
                                           ObjTuple *kw)
{
    SELF_SET("symmetric_difference_update");
    if (!arg_count(t, "symmetric_difference_update", argc, kw, 1, 1))
        return VAL_ERR;
    return set_symdiff_update(t, s, argv[0]) < 0 ? VAL_ERR : VAL_NONE;
}

/* issubset / issuperset / isdisjoint against any iterable. */
static Value set_relation(Thread *t, ObjSet *s, const char *name, int argc, const Value *argv,
                          ObjTuple *kw, int which)
{
    if (!arg_count(t, name, argc, kw, 1, 1))
        return VAL_ERR;
    ObjSet *o = set_of(t, argv[0], false);
    if (!o)
        return VAL_ERR;
    int r;
    if (which == 0) {
        r = set_issubset_of(t, s, o);
    } else if (which == 1) {
        r = set_issubset_of(t, o, s);
    } else {
        ObjSet *i = set_intersection(t, s, val_obj(&o->obj));
        r = i ? i->len == 0 : -1;
        if (i)
            obj_decref(&i->obj);
    }
    obj_decref(&o->obj);
    return r < 0 ? VAL_ERR : val_bool(r);
}

static Value m_issubset(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_SET("issubset");
    return set_relation(t, s, "issubset", argc, argv, kw, 0);
}

static Value m_issuperset(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_SET("issuperset");
    return set_relation(t, s, "issuperset", argc, argv, kw, 1);
}

static Value m_isdisjoint(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    SELF_SET("isdisjoint");
    return set_relation(t, s, "isdisjoint", argc, argv, kw, 2);
}

const NativeDef set_methods[] = {
    {"add", m_set_add},
    {"remove", m_set_remove},
    {"discard", m_set_discard},
    {"pop", m_set_pop},
    {"clear", m_set_clear},
    {"copy", m_set_copy},
    {"union", m_union},
    {"intersection", m_intersection},
    {"difference", m_difference},
    {"symmetric_difference", m_symmetric_difference},
    {"update", m_set_update},
    {"difference_update", m_difference_update},
    {"intersection_update", m_intersection_update},
    {"symmetric_difference_update", m_symmetric_difference_update},
    {"issubset", m_issubset},
    {"issuperset", m_issuperset},
    {"isdisjoint", m_isdisjoint},
    {NULL, NULL},
};

/* CPython 3.11 compiles a set display of more than two constants to a
 * frozenset constant, which the compiler's constant merging rebuilds once
 * from its own iteration order, and then copies into a new set: that double
 * build is what decides the printed order, so it is replayed here. */
Value set_from_const_items(Thread *t, const Value *items, int64_t n)
{
    ObjSet *first = set_new(t->vm);
    for (int64_t i = 0; i < n; i++) {
        if (set_add(t, first, items[i]) < 0) {
            obj_decref(&first->obj);
            return VAL_ERR;
        }
    }
    ObjSet *second = set_new(t->vm);
    for (int64_t i = 0; i <= first->mask; i++) {
        DictEntry *e = &first->entries[i];
        if (!IS_ERR(e->key) && set_add_hashed(t, second, e->key, e->hash) < 0) {
            obj_decref(&first->obj);
            obj_decref(&second->obj);
            return VAL_ERR;
        }
    }
    obj_decref(&first->obj);
    ObjSet *result = set_new(t->vm);
    int rc = set_merge(t, result, second);
    obj_decref(&second->obj);
    if (rc < 0) {
        obj_decref(&result->obj);
        return VAL_ERR;
    }
    return val_obj(&result->obj);
}
