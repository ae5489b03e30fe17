/*
 * compiler.c -- walks the syntax tree and emits bytecode.
 *
 * Two passes.  The symbol pass (st_*) builds a Scope per module, function,
 * lambda and class body and decides what each name is: a fast local slot,
 * a cell (a local some nested function captures), a free variable (a cell
 * received from the definer), a global, or a class-body name.  The code pass
 * (comp_*) then emits instructions.
 *
 * try/finally and with are compiled as CPython 3.9+ does: the finally body
 * (or the __exit__ call) is copied in front of every exit from the block --
 * the normal one, return, break and continue -- and into the exception
 * handler, so the VM needs no "pending return" state.
 *
 * Comprehensions run inline in the enclosing code; their loop variables are
 * renamed to hidden slots so they do not leak, as in Python 3.
 */
#include "compiler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

/* ---- symbol pass ---------------------------------------------------------- */

enum {
    SYM_ASSIGNED = 1,
    SYM_PARAM = 2,
    SYM_GLOBAL = 4,
    SYM_NONLOCAL = 8,
    SYM_USED = 16,
    SYM_CELL = 32,
    SYM_FREE = 64
};

typedef struct Sym {
    const char *name;
    int flags;
} Sym;

typedef enum { SC_MODULE, SC_FUNCTION, SC_CLASS } ScopeKind;

/* name -> index, open addressing over the names' own strings (the AST's
 * arena copies), so a function with 70,000 locals or a module with 70,000
 * globals compiles in linear time. */
typedef struct NameMap {
    const char **keys;
    int *vals;
    int cap, n;             /* cap: 0 or a power of two */
} NameMap;

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int nm_get(const NameMap *m, const char *k)
{
    if (!m->cap)
        return -1;
    for (uint64_t i = name_hash(k) & (uint64_t)(m->cap - 1);; i = (i + 1) & (uint64_t)(m->cap - 1)) {
        if (!m->keys[i])
            return -1;
        if (strcmp(m->keys[i], k) == 0)
            return m->vals[i];
    }
}

static void nm_put(NameMap *m, const char *k, int v)
{
    if (2 * (m->n + 1) > m->cap) {
        NameMap g = {mem_calloc((size_t)(m->cap ? m->cap * 2 : 16), sizeof(char *)),
                     mem_calloc((size_t)(m->cap ? m->cap * 2 : 16), sizeof(int)),
                     m->cap ? m->cap * 2 : 16, 0};
        for (int i = 0; i < m->cap; i++)
            if (m->keys[i])
                nm_put(&g, m->keys[i], m->vals[i]);
        mem_free(m->keys);
        mem_free(m->vals);
        *m = g;
    }
    uint64_t i = name_hash(k) & (uint64_t)(m->cap - 1);
    for (; m->keys[i]; i = (i + 1) & (uint64_t)(m->cap - 1))
        if (strcmp(m->keys[i], k) == 0) {
            m->vals[i] = v;
            return;
        }
    m->keys[i] = k;
    m->vals[i] = v;
    m->n++;
}

static void nm_free(NameMap *m)
{
    mem_free(m->keys);
    mem_free(m->vals);
    *m = (NameMap){0};
}

/* Displays longer than this are built item by item (BUILD_LIST 0, then
 * LIST_APPEND), as CPython does past its stack-use guideline. */
#define BIG_DISPLAY 1024

typedef struct Scope Scope;
struct Scope {
    ScopeKind kind;
    Node *node;
    Scope *parent;
    Sym *syms;
    int nsyms, cap;
    NameMap index;          /* name -> position in syms */
    Scope **children;
    int nchildren, ccap;
};

typedef struct Compiler Compiler;

typedef enum { FB_LOOP, FB_FOR, FB_TRY, FB_FINALLY_TRY, FB_HANDLER, FB_WITH } FBKind;

typedef struct FBlock {
    FBKind kind;
    Node *final;            /* FB_FINALLY_TRY: the finally body */
    int cont;               /* loops: where continue jumps */
    int *breaks;            /* loops: jumps to patch to the loop's end */
    int nbreaks, cap;
    int *conts;             /* while loops testing at the bottom: continues to patch */
    int nconts, ccap;
} FBlock;

typedef struct Rename {
    const char *name;
    int slot;
} Rename;

#define MAX_FBLOCKS 64
#define MAX_RENAMES 64

typedef struct FuncState {
    struct FuncState *parent;
    Scope *scope;
    Code *code;
    const char **locals;    /* slot names */
    int nlocals, lcap;
    NameMap lmap;           /* slot name -> slot */
    NameMap nmap;           /* code->names[i]'s text -> i */
    const char **cells;
    int ncells, ccap;
    const char **frees;
    int nfree, fcap;
    FBlock fb[MAX_FBLOCKS];
    int nfb;
    Rename ren[MAX_RENAMES];
    int nren;
    int nhidden;
} FuncState;

struct Compiler {
    Vm *vm;
    Arena *arena;
    const char *path;
    ObjStr *filename;
    FuncState *fs;
    int line, col;
    bool failed;
    ParseError *err;
    int depth;              /* expression recursion guard */
};

static void comp_error(Compiler *c, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void comp_error(Compiler *c, int line, int col, const char *fmt, ...)
{
    if (c->failed)
        return;
    c->failed = true;
    c->err->line = line;
    c->err->col = col;
    snprintf(c->err->kind, sizeof c->err->kind, "SyntaxError");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
    va_end(ap);
}

static Sym *scope_find(Scope *s, const char *name)
{
    int i = nm_get(&s->index, name);
    return i >= 0 ? &s->syms[i] : NULL;
}

static Sym *scope_add(Scope *s, const char *name, int flags)
{
    Sym *sym = scope_find(s, name);
    if (sym) {
        sym->flags |= flags;
        return sym;
    }
    if (s->nsyms == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->syms = mem_realloc(s->syms, sizeof(Sym) * (size_t)s->cap);
    }
    nm_put(&s->index, name, s->nsyms);
    sym = &s->syms[s->nsyms++];
    sym->name = name;
    sym->flags = flags;
    return sym;
}

static Scope *scope_new(Scope *parent, ScopeKind kind, Node *node)
{
    Scope *s = mem_calloc(1, sizeof(Scope));
    s->kind = kind;
    s->node = node;
    s->parent = parent;
    if (parent) {
        if (parent->nchildren == parent->ccap) {
            parent->ccap = parent->ccap ? parent->ccap * 2 : 4;
            parent->children = mem_realloc(parent->children, sizeof(Scope *) * (size_t)parent->ccap);
        }
        parent->children[parent->nchildren++] = s;
    }
    return s;
}

static void scope_free(Scope *s)
{
    for (int i = 0; i < s->nchildren; i++)
        scope_free(s->children[i]);
    mem_free(s->children);
    mem_free(s->syms);
    nm_free(&s->index);
    mem_free(s);
}

static Scope *scope_child(Scope *s, Node *node)
{
    for (int i = 0; i < s->nchildren; i++)
        if (s->children[i]->node == node)
            return s->children[i];
    return NULL;
}

static void st_expr(Compiler *c, Scope *s, Node *n);
static void st_body(Compiler *c, Scope *s, NodeList *body);

static void st_exprs(Compiler *c, Scope *s, NodeList *l)
{
    for (int i = 0; i < l->len; i++)
        if (l->items[i])
            st_expr(c, s, l->items[i]);
}

static void st_target(Compiler *c, Scope *s, Node *n)
{
    switch (n->kind) {
    case E_NAME:
        scope_add(s, n->name, SYM_ASSIGNED);
        break;
    case E_TUPLE:
    case E_LIST:
        for (int i = 0; i < n->list.len; i++)
            st_target(c, s, n->list.items[i]);
        break;
    case E_STARRED:
        st_target(c, s, n->a);
        break;
    default:
        st_expr(c, s, n);
        break;
    }
}

static void st_params(Compiler *c, Scope *outer, Scope *inner, Param *p, int np)
{
    for (int i = 0; i < np; i++) {
        if (p[i].def)
            st_expr(c, outer, p[i].def);
        scope_add(inner, p[i].name, SYM_PARAM | SYM_ASSIGNED);
    }
}

/* Comprehension targets are hidden slots, so only their expressions count. */
static void st_comp_target(Compiler *c, Scope *s, Node *n)
{
    if (n->kind == E_TUPLE || n->kind == E_LIST) {
        for (int i = 0; i < n->list.len; i++)
            st_comp_target(c, s, n->list.items[i]);
    } else if (n->kind == E_STARRED) {
        st_comp_target(c, s, n->a);
    } else if (n->kind != E_NAME) {
        st_expr(c, s, n);
    }
}

static void st_expr(Compiler *c, Scope *s, Node *n)
{
    if (!n)
        return;
    switch (n->kind) {
    case E_NAME:
        scope_add(s, n->name, SYM_USED);
        return;
    case E_LAMBDA: {
        Scope *inner = scope_new(s, SC_FUNCTION, n);
        st_params(c, s, inner, n->params, n->nparams);
        st_expr(c, inner, n->a);
        return;
    }
    case E_LISTCOMP:
    case E_SETCOMP:
    case E_DICTCOMP:
    case E_GENEXP:
        for (int i = 0; i < n->list.len; i++) {
            Node *f = n->list.items[i];
            st_expr(c, s, f->b);
            st_comp_target(c, s, f->a);
            st_exprs(c, s, &f->list);
        }
        st_expr(c, s, n->a);
        st_expr(c, s, n->b);
        return;
    default:
        break;
    }
    st_expr(c, s, n->a);
    st_expr(c, s, n->b);
    st_expr(c, s, n->c);
    st_exprs(c, s, &n->list);
    st_exprs(c, s, &n->list2);
}

static void st_stmt(Compiler *c, Scope *s, Node *n)
{
    switch (n->kind) {
    case S_EXPR:
        st_expr(c, s, n->a);
        break;
    case S_ASSIGN:
        st_expr(c, s, n->a);
        for (int i = 0; i < n->list.len; i++)
            st_target(c, s, n->list.items[i]);
        break;
    case S_AUGASSIGN:
        st_expr(c, s, n->b);
        st_target(c, s, n->a);
        if (n->a->kind == E_NAME)
            scope_add(s, n->a->name, SYM_USED);
        break;
    case S_ANNASSIGN:
        if (n->b)
            st_expr(c, s, n->b);
        st_target(c, s, n->a);
        break;
    case S_IF:
    case S_WHILE:
        st_expr(c, s, n->a);
        st_body(c, s, &n->body);
        st_body(c, s, &n->orelse);
        break;
    case S_FOR:
        st_expr(c, s, n->b);
        st_target(c, s, n->a);
        st_body(c, s, &n->body);
        st_body(c, s, &n->orelse);
        break;
    case S_RETURN:
        st_expr(c, s, n->a);
        break;
    case S_DEF: {
        st_exprs(c, s, &n->list);
        scope_add(s, n->name, SYM_ASSIGNED);
        Scope *inner = scope_new(s, SC_FUNCTION, n);
        st_params(c, s, inner, n->params, n->nparams);
        st_body(c, inner, &n->body);
        break;
    }
    case S_CLASS: {
        st_exprs(c, s, &n->orelse);   /* decorators */
        st_exprs(c, s, &n->list);
        st_exprs(c, s, &n->list2);
        scope_add(s, n->name, SYM_ASSIGNED);
        Scope *inner = scope_new(s, SC_CLASS, n);
        st_body(c, inner, &n->body);
        break;
    }
    case S_TRY:
        st_body(c, s, &n->body);
        for (int i = 0; i < n->list.len; i++) {
            Node *h = n->list.items[i];
            st_expr(c, s, h->a);
            if (h->name)
                scope_add(s, h->name, SYM_ASSIGNED);
            st_body(c, s, &h->body);
        }
        st_body(c, s, &n->orelse);
        st_body(c, s, &n->finalbody);
        break;
    case S_RAISE:
    case S_ASSERT:
        st_expr(c, s, n->a);
        st_expr(c, s, n->b);
        break;
    case S_WITH:
        for (int i = 0; i < n->list.len; i++) {
            Node *w = n->list.items[i];
            st_expr(c, s, w->a);
            if (w->b)
                st_target(c, s, w->b);
        }
        st_body(c, s, &n->body);
        break;
    case S_GLOBAL:
    case S_NONLOCAL:
        for (int i = 0; i < n->nnames; i++) {
            Sym *sym = scope_find(s, n->names[i]);
            if (sym && (sym->flags & (SYM_ASSIGNED | SYM_USED)) && s->kind != SC_MODULE) {
                comp_error(c, n->line, n->col, "name '%s' is %s prior to %s declaration",
                           n->names[i], (sym->flags & SYM_ASSIGNED) ? "assigned to" : "used",
                           n->kind == S_GLOBAL ? "global" : "nonlocal");
                return;
            }
            if (n->kind == S_NONLOCAL && s->kind == SC_MODULE) {
                comp_error(c, n->line, n->col, "nonlocal declaration not allowed at module level");
                return;
            }
            scope_add(s, n->names[i], n->kind == S_GLOBAL ? SYM_GLOBAL : SYM_NONLOCAL);
        }
        break;
    case S_IMPORT:
        for (int i = 0; i < n->list.len; i++) {
            Node *al = n->list.items[i];
            if (al->asname) {
                scope_add(s, al->asname, SYM_ASSIGNED);
            } else {
                const char *dot = strchr(al->name, '.');
                const char *first = dot ? arena_strndup(c->arena, al->name, (size_t)(dot - al->name)) : al->name;
                scope_add(s, first, SYM_ASSIGNED);
            }
        }
        break;
    case S_FROMIMPORT:
        for (int i = 0; i < n->list.len; i++) {
            Node *al = n->list.items[i];
            if (strcmp(al->name, "*") != 0)
                scope_add(s, al->asname ? al->asname : al->name, SYM_ASSIGNED);
        }
        break;
    case S_DEL:
        for (int i = 0; i < n->list.len; i++)
            st_target(c, s, n->list.items[i]);
        break;
    default:
        break;
    }
}

static void st_body(Compiler *c, Scope *s, NodeList *body)
{
    for (int i = 0; i < body->len; i++)
        st_stmt(c, s, body->items[i]);
}

static bool sym_is_local(const Sym *sym)
{
    return (sym->flags & (SYM_ASSIGNED | SYM_PARAM)) && !(sym->flags & (SYM_GLOBAL | SYM_NONLOCAL));
}

/* Decides which names nested functions capture: the owner's local becomes a
 * cell, and every function scope between owner and user gets it as free. */
static void st_resolve(Compiler *c, Scope *s)
{
    if (s->kind != SC_MODULE) {
        for (int i = 0; i < s->nsyms; i++) {
            Sym *sym = &s->syms[i];
            bool wants = (sym->flags & SYM_NONLOCAL) ||
                         ((sym->flags & SYM_USED) && !(sym->flags & (SYM_ASSIGNED | SYM_PARAM | SYM_GLOBAL)));
            if (!wants || (sym->flags & SYM_FREE))
                continue;
            Scope *owner = NULL;
            for (Scope *p = s->parent; p && p->kind != SC_MODULE; p = p->parent) {
                if (p->kind == SC_CLASS)
                    continue;
                Sym *ps = scope_find(p, sym->name);
                if (ps && (sym_is_local(ps) || (ps->flags & (SYM_FREE | SYM_NONLOCAL)))) {
                    owner = p;
                    break;
                }
            }
            if (!owner) {
                if (sym->flags & SYM_NONLOCAL) {
                    int line = s->node ? s->node->line : 1;
                    comp_error(c, line, 1, "no binding for nonlocal '%s' found", sym->name);
                }
                continue;
            }
            Sym *os = scope_find(owner, sym->name);
            if (sym_is_local(os))
                os->flags |= SYM_CELL;
            const char *name = sym->name;
            sym->flags |= SYM_FREE;
            for (Scope *p = s->parent; p != owner; p = p->parent)
                if (p->kind == SC_FUNCTION)
                    scope_add(p, name, SYM_FREE);
        }
    }
    for (int i = 0; i < s->nchildren; i++)
        st_resolve(c, s->children[i]);
}

/* ---- emitting -------------------------------------------------------------- */

static int str_list_index(const char **list, int n, const char *name, const NameMap *map)
{
    if (map)
        return nm_get(map, name);
    for (int i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0)
            return i;
    return -1;
}

static int str_list_add(const char ***list, int *n, int *cap, const char *name, NameMap *map)
{
    if (map)
        nm_put(map, name, *n);
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *list = mem_realloc(*list, sizeof(char *) * (size_t)*cap);
    }
    (*list)[*n] = name;
    return (*n)++;
}

static int emit(Compiler *c, int op, uint32_t a)
{
    Code *code = c->fs->code;
    if (a > INSTR_A_MAX) {
        comp_error(c, c->line, c->col, "code too large for gilscope");
        a = 0;
    }
    if (code->len == code->cap) {
        code->cap = code->cap ? code->cap * 2 : 64;
        code->code = mem_realloc(code->code, sizeof(uint32_t) * (size_t)code->cap);
        code->lines = mem_realloc(code->lines, sizeof(int32_t) * (size_t)code->cap);
    }
    code->code[code->len] = INSTR(op, a);
    code->lines[code->len] = c->line;
    return code->len++;
}

static int here(Compiler *c) { return c->fs->code->len; }

static void patch_to(Compiler *c, int at, int target)
{
    uint32_t *ins = &c->fs->code->code[at];
    *ins = INSTR(INSTR_OP(*ins), (uint32_t)target);
}

static void patch(Compiler *c, int at) { patch_to(c, at, here(c)); }

static int add_const(Compiler *c, Value v)
{
    Code *code = c->fs->code;
    for (int i = 0; i < code->nconsts; i++) {
        Value k = code->consts[i];
        if (k.kind != v.kind)
            continue;
        if ((v.kind == V_INT || v.kind == V_BOOL) && k.as.i == v.as.i)
            goto found;
        if (v.kind == V_FLOAT && memcmp(&k.as.f, &v.as.f, sizeof(double)) == 0)
            goto found;
        if (v.kind == V_OBJ && k.as.o == v.as.o)
            goto found;
        continue;
    found:
        val_decref(v);
        return i;
    }
    if (code->nconsts == code->consts_cap) {
        code->consts_cap = code->consts_cap ? code->consts_cap * 2 : 8;
        code->consts = mem_realloc(code->consts, sizeof(Value) * (size_t)code->consts_cap);
    }
    code->consts[code->nconsts] = v;   /* steals v */
    return code->nconsts++;
}

static int add_name(Compiler *c, const char *name)
{
    Code *code = c->fs->code;
    ObjStr *s = str_intern_cstr(c->vm, name);
    int i = nm_get(&c->fs->nmap, s->chars);   /* interned: chars stay put */
    if (i >= 0)
        return i;
    nm_put(&c->fs->nmap, s->chars, code->nnames);
    if (code->nnames == code->names_cap) {
        code->names_cap = code->names_cap ? code->names_cap * 2 : 8;
        code->names = mem_realloc(code->names, sizeof(ObjStr *) * (size_t)code->names_cap);
    }
    code->names[code->nnames] = s;
    return code->nnames++;
}

static void emit_const(Compiler *c, Value v) { emit(c, OP_LOAD_CONST, (uint32_t)add_const(c, v)); }

static void emit_int(Compiler *c, int64_t i)
{
    if (i >= -SMALLINT_BIAS && i < SMALLINT_BIAS)
        emit(c, OP_LOAD_SMALLINT, (uint32_t)(i + SMALLINT_BIAS));
    else
        emit_const(c, val_int(i));
}

static void emit_str(Compiler *c, const char *s, size_t len)
{
    emit_const(c, val_obj(&str_intern(c->vm, s, (int64_t)len)->obj));
}

/* ---- names ----------------------------------------------------------------- */

typedef enum { NK_FAST, NK_DEREF, NK_GLOBAL, NK_NAME } NameKind;

static int cell_index(FuncState *fs, const char *name)
{
    int i = str_list_index(fs->cells, fs->ncells, name, NULL);
    if (i >= 0)
        return i;
    i = str_list_index(fs->frees, fs->nfree, name, NULL);
    return i >= 0 ? fs->ncells + i : -1;
}

static NameKind resolve(Compiler *c, const char *name, int *arg)
{
    FuncState *fs = c->fs;
    for (int i = fs->nren - 1; i >= 0; i--) {
        if (strcmp(fs->ren[i].name, name) == 0) {
            *arg = fs->ren[i].slot;
            return NK_FAST;
        }
    }
    Sym *sym = scope_find(fs->scope, name);
    int flags = sym ? sym->flags : 0;
    if (flags & SYM_GLOBAL) {
        *arg = add_name(c, name);
        return NK_GLOBAL;
    }
    if (flags & (SYM_CELL | SYM_FREE | SYM_NONLOCAL)) {
        int ci = cell_index(fs, name);
        if (ci >= 0 && !(fs->scope->kind == SC_CLASS && (flags & SYM_ASSIGNED))) {
            *arg = ci;
            return NK_DEREF;
        }
    }
    if (fs->scope->kind == SC_MODULE) {
        *arg = add_name(c, name);
        return NK_GLOBAL;
    }
    if (fs->scope->kind == SC_CLASS) {
        *arg = add_name(c, name);
        return NK_NAME;
    }
    if (flags & (SYM_ASSIGNED | SYM_PARAM)) {
        int slot = str_list_index(fs->locals, fs->nlocals, name, &fs->lmap);
        if (slot < 0)
            slot = str_list_add(&fs->locals, &fs->nlocals, &fs->lcap, name, &fs->lmap);
        *arg = slot;
        return NK_FAST;
    }
    *arg = add_name(c, name);
    return NK_GLOBAL;
}

static void load_name(Compiler *c, const char *name)
{
    int arg;
    static const int ops[] = {OP_LOAD_FAST, OP_LOAD_DEREF, OP_LOAD_GLOBAL, OP_LOAD_NAME};
    NameKind k = resolve(c, name, &arg);
    emit(c, ops[k], (uint32_t)arg);
}

static void store_name(Compiler *c, const char *name)
{
    int arg;
    static const int ops[] = {OP_STORE_FAST, OP_STORE_DEREF, OP_STORE_GLOBAL, OP_STORE_NAME};
    NameKind k = resolve(c, name, &arg);
    emit(c, ops[k], (uint32_t)arg);
}

static void delete_name(Compiler *c, const char *name)
{
    int arg;
    NameKind k = resolve(c, name, &arg);
    static const int ops[] = {OP_DELETE_FAST, OP_NOP, OP_DELETE_GLOBAL, OP_DELETE_NAME};
    if (k == NK_DEREF) {
        emit(c, OP_LOAD_NONE, 0);   /* del of a captured variable: rebinding to None is close enough */
        emit(c, OP_STORE_DEREF, (uint32_t)arg);
        return;
    }
    emit(c, ops[k], (uint32_t)arg);
}

static int hidden_slot(Compiler *c)
{
    FuncState *fs = c->fs;
    char buf[32];
    snprintf(buf, sizeof buf, ".%d", fs->nhidden++);
    return str_list_add(&fs->locals, &fs->nlocals, &fs->lcap, arena_strndup(c->arena, buf, strlen(buf)), &fs->lmap);
}

/* ---- expressions ------------------------------------------------------------- */

static void comp_expr(Compiler *c, Node *n);
static void comp_body(Compiler *c, NodeList *body);
static void comp_store(Compiler *c, Node *t);
static Code *comp_function(Compiler *c, Node *n, const char *name, NodeList *body, Node *expr_body);

static void set_pos(Compiler *c, Node *n)
{
    if (n->line > 0) {
        c->line = n->line;
        c->col = n->col;
    }
}

static bool is_super_call(Node *n)
{
    return n->kind == E_CALL && n->a->kind == E_NAME && strcmp(n->a->name, "super") == 0 &&
           n->list.len == 0 && n->list2.len == 0;
}

static int super_check(Compiler *c, Node *n)
{
    FuncState *fs = c->fs;
    if (fs->scope->kind != SC_FUNCTION || !fs->parent || fs->parent->scope->kind != SC_CLASS ||
        fs->code->nparams < 1) {
        comp_error(c, n->line, n->col, "super() without arguments is only supported in a method");
        return -1;
    }
    return 0;
}

static bool has_starred(NodeList *l)
{
    for (int i = 0; i < l->len; i++)
        if (l->items[i] && l->items[i]->kind == E_STARRED)
            return true;
    return false;
}

/* Builds a list from elements that may be *starred. */
static void comp_list_with_stars(Compiler *c, NodeList *l)
{
    emit(c, OP_BUILD_LIST, 0);
    for (int i = 0; i < l->len; i++) {
        Node *e = l->items[i];
        if (e->kind == E_STARRED) {
            comp_expr(c, e->a);
            emit(c, OP_LIST_EXTEND, 0);
        } else {
            comp_expr(c, e);
            emit(c, OP_LIST_APPEND, 1);
        }
    }
}

static void comp_call(Compiler *c, Node *n)
{
    Node *fn = n->a;
    bool method = false;
    bool stars = has_starred(&n->list);
    for (int i = 0; i < n->list2.len; i++)
        if (n->list2.items[i]->name == NULL)
            stars = true;
    if (stars) {
        /* f(*args, **kw): the callee is evaluated whole (a bound method if need be) */
        comp_expr(c, fn);
    } else if (fn->kind == E_ATTR && is_super_call(fn->a)) {
        if (super_check(c, fn->a) < 0)
            return;
        emit(c, OP_LOAD_SUPER_METHOD, (uint32_t)add_name(c, fn->name));
        method = true;
    } else if (fn->kind == E_ATTR) {
        comp_expr(c, fn->a);
        set_pos(c, fn);
        emit(c, OP_LOAD_METHOD, (uint32_t)add_name(c, fn->name));
        method = true;
    } else {
        comp_expr(c, fn);
    }
    if (stars) {
        emit(c, OP_BUILD_LIST, 0);
        for (int i = 0; i < n->list.len; i++) {
            Node *e = n->list.items[i];
            if (e->kind == E_STARRED) {
                comp_expr(c, e->a);
                emit(c, OP_LIST_EXTEND, 0);
            } else {
                comp_expr(c, e);
                emit(c, OP_LIST_APPEND, 1);
            }
        }
        emit(c, OP_LIST_TO_TUPLE, 0);
        int haskw = n->list2.len > 0;
        if (haskw) {
            emit(c, OP_BUILD_DICT, 0);
            for (int i = 0; i < n->list2.len; i++) {
                Node *k = n->list2.items[i];
                if (k->name) {
                    emit_str(c, k->name, strlen(k->name));
                    comp_expr(c, k->a);
                    emit(c, OP_MAP_ADD, 1);
                } else {
                    comp_expr(c, k->a);
                    emit(c, OP_DICT_UPDATE, 0);
                }
            }
        }
        set_pos(c, n);
        emit(c, OP_CALL_EX, (uint32_t)haskw);
        return;
    }
    for (int i = 0; i < n->list.len; i++)
        comp_expr(c, n->list.items[i]);
    int nkw = n->list2.len;
    for (int i = 0; i < nkw; i++)
        comp_expr(c, n->list2.items[i]->a);
    int argc = n->list.len + nkw;
    set_pos(c, n);
    if (nkw) {
        ObjTuple *names = tuple_new(c->vm, nkw);
        for (int i = 0; i < nkw; i++) {
            const char *kname = n->list2.items[i]->name;
            for (int j = 0; j < i; j++) {
                if (strcmp(n->list2.items[j]->name, kname) == 0) {
                    comp_error(c, n->list2.items[i]->line, n->list2.items[i]->col,
                               "keyword argument repeated: %s", kname);
                }
            }
            names->items[i] = val_obj(&str_intern_cstr(c->vm, kname)->obj);
        }
        emit_const(c, val_obj(&names->obj));
        emit(c, method ? OP_CALL_METHOD_KW : OP_CALL_KW, (uint32_t)argc);
    } else {
        emit(c, method ? OP_CALL_METHOD : OP_CALL, (uint32_t)argc);
    }
}

static const int cmp_ops[] = {OP_LT, OP_LE, OP_EQ, OP_NE, OP_GT, OP_GE, OP_IN, OP_NOT_IN, OP_IS, OP_IS_NOT};

static void comp_compare(Compiler *c, Node *n)
{
    comp_expr(c, n->a);
    int ncmp = n->list.len;
    if (ncmp == 1) {
        Node *b = n->list.items[0];
        if (b->kind == E_INT && n->ops[0] <= CMPOP_GE && b->ival >= -CMPIMM_BIAS && b->ival < CMPIMM_BIAS) {
            set_pos(c, n);
            emit(c, OP_COMPARE_IMM, (uint32_t)n->ops[0] | (uint32_t)(b->ival + CMPIMM_BIAS) << 3);
            return;
        }
        comp_expr(c, b);
        set_pos(c, n);
        emit(c, cmp_ops[n->ops[0]], 0);
        return;
    }
    int *jumps = mem_alloc(sizeof(int) * (size_t)ncmp);
    for (int i = 0; i < ncmp - 1; i++) {
        comp_expr(c, n->list.items[i]);
        emit(c, OP_DUP_TOP, 0);
        emit(c, OP_ROT_THREE, 0);
        set_pos(c, n);
        emit(c, cmp_ops[n->ops[i]], 0);
        jumps[i] = emit(c, OP_JUMP_IF_FALSE_OR_POP, 0);
    }
    comp_expr(c, n->list.items[ncmp - 1]);
    emit(c, cmp_ops[n->ops[ncmp - 1]], 0);
    int end = emit(c, OP_JUMP, 0);
    for (int i = 0; i < ncmp - 1; i++)
        patch(c, jumps[i]);
    emit(c, OP_ROT_TWO, 0);
    emit(c, OP_POP_TOP, 0);
    patch(c, end);
    mem_free(jumps);
}

/* Jumps to a label (patched later) when n's truth equals `when`; appends
 * the jump's position to *jumps. */
typedef struct JumpList {
    int *at;
    int n, cap;
} JumpList;

static void jl_add(JumpList *jl, int at)
{
    if (jl->n == jl->cap) {
        jl->cap = jl->cap ? jl->cap * 2 : 4;
        jl->at = mem_realloc(jl->at, sizeof(int) * (size_t)jl->cap);
    }
    jl->at[jl->n++] = at;
}

static void jl_patch(Compiler *c, JumpList *jl)
{
    for (int i = 0; i < jl->n; i++)
        patch(c, jl->at[i]);
    mem_free(jl->at);
    jl->at = NULL;
    jl->n = jl->cap = 0;
}

static void comp_jump_if(Compiler *c, Node *n, bool when, JumpList *jl)
{
    if (n->kind == E_UNARY && n->op == UN_NOT) {
        comp_jump_if(c, n->a, !when, jl);
        return;
    }
    if (n->kind == E_BOOLOP) {
        bool is_and = n->op == BOOL_AND;
        if (is_and != when) {
            /* (a and b) false -> a false or b false;  (a or b) true -> a true or b true */
            comp_jump_if(c, n->a, when, jl);
            comp_jump_if(c, n->b, when, jl);
        } else {
            JumpList skip = {0};
            comp_jump_if(c, n->a, !when, &skip);
            comp_jump_if(c, n->b, when, jl);
            jl_patch(c, &skip);
        }
        return;
    }
    comp_expr(c, n);
    jl_add(jl, emit(c, when ? OP_POP_JUMP_IF_TRUE : OP_POP_JUMP_IF_FALSE, 0));
}

static void comp_fstring(Compiler *c, Node *n)
{
    int parts = 0;
    for (int i = 0; i < n->list.len; i++) {
        Node *p = n->list.items[i];
        if (p->kind == E_STR) {
            if (p->slen == 0)
                continue;
            emit_str(c, p->str, p->slen);
        } else {
            comp_expr(c, p->a);
            int conv = 0;
            if (p->conv == 'r')
                conv = 1;
            else if (p->conv == 's')
                conv = 2;
            else if (p->conv == 'a')
                conv = 3;
            int flags = conv << 1;
            if (p->b) {
                comp_fstring(c, p->b);
                flags |= 1;
            }
            emit(c, OP_FORMAT_VALUE, (uint32_t)flags);
        }
        parts++;
    }
    if (parts == 0)
        emit_str(c, "", 0);
    else if (parts > 1)
        emit(c, OP_BUILD_STRING, (uint32_t)parts);
    /* a single part is already a str */
}

typedef struct CompLoop {
    int start;
    int exit;
} CompLoop;

static void comp_comprehension(Compiler *c, Node *n)
{
    FuncState *fs = c->fs;
    int saved_ren = fs->nren;
    int kind = n->kind;
    if (kind == E_DICTCOMP)
        emit(c, OP_BUILD_DICT, 0);
    else if (kind == E_SETCOMP)
        emit(c, OP_BUILD_SET, 0);
    else
        emit(c, OP_BUILD_LIST, 0);
    int nclauses = n->list.len;
    CompLoop *loops = mem_alloc(sizeof(CompLoop) * (size_t)nclauses);
    for (int i = 0; i < nclauses; i++) {
        Node *f = n->list.items[i];
        comp_expr(c, f->b);
        emit(c, OP_GET_ITER, 0);
        loops[i].start = here(c);
        loops[i].exit = emit(c, OP_FOR_ITER, 0);
        /* rename the targets to hidden slots, then store */
        Node *stack[64];
        int sp = 0;
        stack[sp++] = f->a;
        while (sp > 0) {
            Node *t = stack[--sp];
            if (t->kind == E_NAME) {
                if (fs->nren >= MAX_RENAMES) {
                    comp_error(c, t->line, t->col, "comprehension too deeply nested");
                    break;
                }
                fs->ren[fs->nren].name = t->name;
                fs->ren[fs->nren].slot = hidden_slot(c);
                fs->nren++;
            } else if (t->kind == E_TUPLE || t->kind == E_LIST) {
                for (int j = 0; j < t->list.len && sp < 64; j++)
                    stack[sp++] = t->list.items[j];
            } else if (t->kind == E_STARRED) {
                stack[sp++] = t->a;
            }
        }
        comp_store(c, f->a);
        for (int j = 0; j < f->list.len; j++) {
            JumpList jl = {0};
            comp_jump_if(c, f->list.items[j], false, &jl);
            for (int k = 0; k < jl.n; k++)
                patch_to(c, jl.at[k], loops[i].start);
            mem_free(jl.at);
        }
    }
    if (kind == E_DICTCOMP) {
        comp_expr(c, n->a);
        comp_expr(c, n->b);
        emit(c, OP_MAP_ADD, (uint32_t)(nclauses + 1));
    } else {
        comp_expr(c, n->a);
        emit(c, kind == E_SETCOMP ? OP_SET_ADD : OP_LIST_APPEND, (uint32_t)(nclauses + 1));
    }
    for (int i = nclauses - 1; i >= 0; i--) {
        emit(c, OP_JUMP_BACK, (uint32_t)loops[i].start);
        patch(c, loops[i].exit);
    }
    mem_free(loops);
    fs->nren = saved_ren;
}

static void comp_make_function(Compiler *c, Node *n, const char *name, NodeList *body, Node *expr_body)
{
    int flags = 0;
    int ndef = 0;
    bool kwdefs = false;
    for (int i = 0; i < n->nparams; i++) {
        if (n->params[i].def) {
            if (n->params[i].kind == PARAM_KWONLY)
                kwdefs = true;
            else
                ndef++;
        }
    }
    if (ndef) {
        for (int i = 0; i < n->nparams; i++)
            if (n->params[i].def && n->params[i].kind == PARAM_NORMAL)
                comp_expr(c, n->params[i].def);
        emit(c, OP_BUILD_TUPLE, (uint32_t)ndef);
        flags |= 1;
    }
    if (kwdefs) {
        int nk = 0;
        for (int i = 0; i < n->nparams; i++) {
            if (n->params[i].def && n->params[i].kind == PARAM_KWONLY) {
                emit_str(c, n->params[i].name, strlen(n->params[i].name));
                comp_expr(c, n->params[i].def);
                nk++;
            }
        }
        emit(c, OP_BUILD_DICT, (uint32_t)nk);
        flags |= 2;
    }
    Code *code = comp_function(c, n, name, body, expr_body);
    if (!code)
        return;
    if (code->nfree > 0) {
        for (int i = 0; i < code->nfree; i++) {
            int ci = cell_index(c->fs, code->freenames[i]->chars);
            if (ci < 0) {
                comp_error(c, n->line, n->col, "internal error: free variable '%s' not found",
                           code->freenames[i]->chars);
                ci = 0;
            }
            emit(c, OP_LOAD_CLOSURE, (uint32_t)ci);
        }
        emit(c, OP_BUILD_TUPLE, (uint32_t)code->nfree);
        flags |= 4;
    }
    emit_const(c, val_obj(&code->obj));
    set_pos(c, n);
    emit(c, OP_MAKE_FUNCTION, (uint32_t)flags);
}

static void comp_expr(Compiler *c, Node *n)
{
    if (c->failed)
        return;
    if (++c->depth > 400) {
        comp_error(c, n->line, n->col, "expression too deeply nested");
        c->depth--;
        return;
    }
    set_pos(c, n);
    switch (n->kind) {
    case E_NAME:
        load_name(c, n->name);
        break;
    case E_INT:
        emit_int(c, n->ival);
        break;
    case E_FLOAT:
        emit_const(c, val_float(n->fval));
        break;
    case E_STR:
        emit_str(c, n->str, n->slen);
        break;
    case E_BYTES:
        emit_const(c, val_obj(&bytes_new(c->vm, n->str, (int64_t)n->slen)->obj));
        break;
    case E_FSTRING:
        comp_fstring(c, n);
        break;
    case E_TRUE:
        emit_const(c, VAL_TRUE);
        break;
    case E_FALSE:
        emit_const(c, VAL_FALSE);
        break;
    case E_NONE:
    case E_ELLIPSIS:
        emit(c, OP_LOAD_NONE, 0);
        break;
    case E_BINOP:
        comp_expr(c, n->a);
        if (n->b->kind == E_INT && n->b->ival >= -BINIMM_BIAS && n->b->ival < BINIMM_BIAS) {
            set_pos(c, n);
            emit(c, OP_BINARY_IMM, (uint32_t)n->op | (uint32_t)(n->b->ival + BINIMM_BIAS) << 4);
            break;
        }
        comp_expr(c, n->b);
        set_pos(c, n);
        if (n->op == BINOP_ADD)
            emit(c, OP_ADD, 0);
        else if (n->op == BINOP_SUB)
            emit(c, OP_SUB, 0);
        else if (n->op == BINOP_MUL)
            emit(c, OP_MUL, 0);
        else
            emit(c, OP_BINARY, (uint32_t)n->op);
        break;
    case E_UNARY:
        if (n->op == UN_NEG && n->a->kind == E_INT) {
            emit_int(c, -n->a->ival);
            break;
        }
        if (n->op == UN_NEG && n->a->kind == E_FLOAT) {
            emit_const(c, val_float(-n->a->fval));
            break;
        }
        comp_expr(c, n->a);
        set_pos(c, n);
        emit(c, n->op == UN_NEG ? OP_UNARY_NEG : n->op == UN_POS ? OP_UNARY_POS
                : n->op == UN_NOT ? OP_UNARY_NOT : OP_UNARY_INVERT, 0);
        break;
    case E_BOOLOP: {
        comp_expr(c, n->a);
        int j = emit(c, n->op == BOOL_AND ? OP_JUMP_IF_FALSE_OR_POP : OP_JUMP_IF_TRUE_OR_POP, 0);
        comp_expr(c, n->b);
        patch(c, j);
        break;
    }
    case E_COMPARE:
        comp_compare(c, n);
        break;
    case E_IFEXP: {
        JumpList jl = {0};
        comp_jump_if(c, n->a, false, &jl);
        comp_expr(c, n->b);
        int end = emit(c, OP_JUMP, 0);
        jl_patch(c, &jl);
        comp_expr(c, n->c);
        patch(c, end);
        break;
    }
    case E_CALL:
        if (is_super_call(n)) {
            comp_error(c, n->line, n->col, "super() is only supported as super().name");
            break;
        }
        comp_call(c, n);
        break;
    case E_ATTR:
        if (is_super_call(n->a)) {
            if (super_check(c, n->a) == 0)
                emit(c, OP_LOAD_SUPER_ATTR, (uint32_t)add_name(c, n->name));
            break;
        }
        comp_expr(c, n->a);
        set_pos(c, n);
        emit(c, OP_LOAD_ATTR, (uint32_t)add_name(c, n->name));
        break;
    case E_SUBSCRIPT:
        comp_expr(c, n->a);
        if (n->b->kind == E_SLICE && !n->b->c) {
            if (n->b->a) comp_expr(c, n->b->a); else emit(c, OP_LOAD_NONE, 0);
            if (n->b->b) comp_expr(c, n->b->b); else emit(c, OP_LOAD_NONE, 0);
            set_pos(c, n);
            emit(c, OP_SLICE, 0);
            break;
        }
        comp_expr(c, n->b);
        set_pos(c, n);
        emit(c, OP_SUBSCR, 0);
        break;
    case E_SLICE:
        if (n->a) comp_expr(c, n->a); else emit(c, OP_LOAD_NONE, 0);
        if (n->b) comp_expr(c, n->b); else emit(c, OP_LOAD_NONE, 0);
        if (n->c) {
            comp_expr(c, n->c);
            emit(c, OP_BUILD_SLICE, 3);
        } else {
            emit(c, OP_BUILD_SLICE, 2);
        }
        break;
    case E_LIST:
    case E_TUPLE:
        if (has_starred(&n->list)) {
            comp_list_with_stars(c, &n->list);
            if (n->kind == E_TUPLE)
                emit(c, OP_LIST_TO_TUPLE, 0);
            break;
        }
        if (n->list.len > BIG_DISPLAY) {   /* item by item: the value stack is finite */
            emit(c, OP_BUILD_LIST, 0);
            for (int i = 0; i < n->list.len; i++) {
                comp_expr(c, n->list.items[i]);
                emit(c, OP_LIST_APPEND, 1);
            }
            if (n->kind == E_TUPLE)
                emit(c, OP_LIST_TO_TUPLE, 0);
            break;
        }
        for (int i = 0; i < n->list.len; i++)
            comp_expr(c, n->list.items[i]);
        emit(c, n->kind == E_LIST ? OP_BUILD_LIST : OP_BUILD_TUPLE, (uint32_t)n->list.len);
        break;
    case E_SET:
        if (has_starred(&n->list) || n->list.len > BIG_DISPLAY) {
            emit(c, OP_BUILD_SET, 0);
            for (int i = 0; i < n->list.len; i++) {
                Node *e = n->list.items[i];
                comp_expr(c, e->kind == E_STARRED ? e->a : e);
                emit(c, e->kind == E_STARRED ? OP_SET_UPDATE : OP_SET_ADD, e->kind == E_STARRED ? 0 : 1);
            }
            break;
        }
        {
            /* CPython builds a display of more than two constants from a
               frozenset, which orders its table differently */
            bool consts = n->list.len > 2;
            for (int i = 0; i < n->list.len && consts; i++) {
                int k = n->list.items[i]->kind;
                consts = k == E_INT || k == E_FLOAT || k == E_STR || k == E_BYTES || k == E_TRUE ||
                         k == E_FALSE || k == E_NONE;
            }
            for (int i = 0; i < n->list.len; i++)
                comp_expr(c, n->list.items[i]);
            emit(c, OP_BUILD_SET, (uint32_t)n->list.len | (consts ? 1u << 23 : 0));
        }
        break;
    case E_DICT: {
        bool dstar = false;
        for (int i = 0; i < n->list.len; i++)
            if (!n->list.items[i])
                dstar = true;
        if (!dstar && n->list.len <= BIG_DISPLAY) {
            for (int i = 0; i < n->list.len; i++) {
                comp_expr(c, n->list.items[i]);
                comp_expr(c, n->list2.items[i]);
            }
            emit(c, OP_BUILD_DICT, (uint32_t)n->list.len);
            break;
        }
        emit(c, OP_BUILD_DICT, 0);
        for (int i = 0; i < n->list.len; i++) {
            if (n->list.items[i]) {
                comp_expr(c, n->list.items[i]);
                comp_expr(c, n->list2.items[i]);
                emit(c, OP_MAP_ADD, 1);
            } else {
                comp_expr(c, n->list2.items[i]);
                emit(c, OP_DICT_UPDATE, 0);
            }
        }
        break;
    }
    case E_LISTCOMP:
    case E_SETCOMP:
    case E_DICTCOMP:
    case E_GENEXP:
        comp_comprehension(c, n);
        break;
    case E_LAMBDA:
        comp_make_function(c, n, "<lambda>", NULL, n->a);
        break;
    case E_STARRED:
        comp_error(c, n->line, n->col, "can't use starred expression here");
        break;
    default:
        comp_error(c, n->line, n->col, "invalid syntax");
        break;
    }
    c->depth--;
}

/* ---- assignment targets ---------------------------------------------------- */

static void comp_store(Compiler *c, Node *t)
{
    set_pos(c, t);
    switch (t->kind) {
    case E_NAME:
        store_name(c, t->name);
        break;
    case E_ATTR:
        comp_expr(c, t->a);
        emit(c, OP_STORE_ATTR, (uint32_t)add_name(c, t->name));
        break;
    case E_SUBSCRIPT:
        comp_expr(c, t->a);
        comp_expr(c, t->b);
        emit(c, OP_STORE_SUBSCR, 0);
        break;
    case E_TUPLE:
    case E_LIST: {
        int star = -1;
        for (int i = 0; i < t->list.len; i++) {
            if (t->list.items[i]->kind == E_STARRED) {
                if (star >= 0) {
                    comp_error(c, t->line, t->col, "multiple starred expressions in assignment");
                    return;
                }
                star = i;
            }
        }
        if (star < 0) {
            emit(c, OP_UNPACK_SEQUENCE, (uint32_t)t->list.len);
        } else {
            int before = star, after = t->list.len - star - 1;
            if (before > 255 || after > 255) {
                comp_error(c, t->line, t->col, "too many expressions in star-unpacking assignment");
                return;
            }
            emit(c, OP_UNPACK_EX, (uint32_t)(before | after << 8));
        }
        for (int i = 0; i < t->list.len; i++) {
            Node *e = t->list.items[i];
            comp_store(c, e->kind == E_STARRED ? e->a : e);
        }
        break;
    }
    case E_STARRED:
        comp_error(c, t->line, t->col, "starred assignment target must be in a list or tuple");
        break;
    case E_INT: case E_FLOAT: case E_STR: case E_BYTES: case E_TRUE: case E_FALSE: case E_NONE:
    case E_FSTRING:
        comp_error(c, t->line, t->col, "cannot assign to literal");
        break;
    case E_CALL:
        comp_error(c, t->line, t->col, "cannot assign to function call");
        break;
    default:
        comp_error(c, t->line, t->col, "cannot assign to expression");
        break;
    }
}

/* ---- statements ------------------------------------------------------------ */

static FBlock *fb_push(Compiler *c, FBKind kind, int line)
{
    FuncState *fs = c->fs;
    if (fs->nfb >= MAX_FBLOCKS) {
        comp_error(c, line, 1, "too many statically nested blocks");
        return NULL;
    }
    FBlock *fb = &fs->fb[fs->nfb++];
    memset(fb, 0, sizeof *fb);
    fb->kind = kind;
    return fb;
}

static void fb_pop(Compiler *c)
{
    FBlock *fb = &c->fs->fb[--c->fs->nfb];
    mem_free(fb->breaks);
    mem_free(fb->conts);
}

/* Emits what leaving block fb requires.  preserve_top: a return value sits
 * on top of the stack and must survive. */
static void comp_unwind_one(Compiler *c, FBlock *fb, bool preserve_top)
{
    switch (fb->kind) {
    case FB_LOOP:
        break;
    case FB_FOR:
        if (preserve_top)
            emit(c, OP_ROT_TWO, 0);
        emit(c, OP_POP_TOP, 0);
        break;
    case FB_TRY:
        emit(c, OP_POP_BLOCK, 0);
        break;
    case FB_FINALLY_TRY: {
        emit(c, OP_POP_BLOCK, 0);
        /* the finally body runs outside this block */
        FuncState *fs = c->fs;
        FBlock saved = *fb;
        int idx = (int)(fb - fs->fb);
        int saved_n = fs->nfb;
        fs->nfb = idx;
        comp_body(c, &saved.final->finalbody);
        fs->nfb = saved_n;
        break;
    }
    case FB_HANDLER:
        if (preserve_top)
            emit(c, OP_ROT_TWO, 0);
        emit(c, OP_POP_EXCEPT, 0);
        break;
    case FB_WITH:
        emit(c, OP_POP_BLOCK, 0);
        if (preserve_top)
            emit(c, OP_ROT_TWO, 0);
        emit(c, OP_WITH_EXIT, 0);
        break;
    }
}

static void comp_return(Compiler *c, Node *n)
{
    FuncState *fs = c->fs;
    if (fs->scope->kind != SC_FUNCTION) {
        comp_error(c, n->line, n->col, "'return' outside function");
        return;
    }
    if (n->a)
        comp_expr(c, n->a);
    else
        emit(c, OP_LOAD_NONE, 0);
    for (int i = fs->nfb - 1; i >= 0; i--)
        comp_unwind_one(c, &fs->fb[i], true);
    set_pos(c, n);
    emit(c, OP_RETURN_VALUE, 0);
}

static void comp_break_continue(Compiler *c, Node *n, bool is_break)
{
    FuncState *fs = c->fs;
    int i = fs->nfb - 1;
    while (i >= 0 && fs->fb[i].kind != FB_LOOP && fs->fb[i].kind != FB_FOR)
        i--;
    if (i < 0) {
        comp_error(c, n->line, n->col, is_break ? "'break' outside loop" : "'continue' not properly in loop");
        return;
    }
    for (int j = fs->nfb - 1; j > i; j--)
        comp_unwind_one(c, &fs->fb[j], false);
    FBlock *loop = &fs->fb[i];
    if (is_break) {
        if (loop->kind == FB_FOR)
            emit(c, OP_POP_TOP, 0);
        int at = emit(c, OP_JUMP, 0);
        if (loop->nbreaks == loop->cap) {
            loop->cap = loop->cap ? loop->cap * 2 : 4;
            loop->breaks = mem_realloc(loop->breaks, sizeof(int) * (size_t)loop->cap);
        }
        loop->breaks[loop->nbreaks++] = at;
    } else if (loop->cont >= 0) {
        emit(c, OP_JUMP_BACK, (uint32_t)loop->cont);
    } else {
        int at = emit(c, OP_JUMP, 0);
        if (loop->nconts == loop->ccap) {
            loop->ccap = loop->ccap ? loop->ccap * 2 : 4;
            loop->conts = mem_realloc(loop->conts, sizeof(int) * (size_t)loop->ccap);
        }
        loop->conts[loop->nconts++] = at;
    }
}

static bool is_const_true(Node *n)
{
    return n->kind == E_TRUE || (n->kind == E_INT && n->ival != 0);
}

static void comp_while(Compiler *c, Node *n)
{
    bool forever = is_const_true(n->a);
    JumpList exit = {0};
    bool simple_test = !(n->a->kind == E_BOOLOP || (n->a->kind == E_UNARY && n->a->op == UN_NOT));
    int top = here(c);
    if (!forever)
        comp_jump_if(c, n->a, false, &exit);
    int body = here(c);
    FBlock *fb = fb_push(c, FB_LOOP, n->line);
    if (!fb)
        return;
    /* continue jumps to the test; at the bottom it is not emitted yet */
    fb->cont = forever || !simple_test ? top : -1;
    comp_body(c, &n->body);
    fb = &c->fs->fb[c->fs->nfb - 1];
    for (int i = 0; i < fb->nconts; i++)
        patch(c, fb->conts[i]);
    if (forever) {
        emit(c, OP_JUMP_BACK, (uint32_t)body);
    } else if (simple_test) {
        set_pos(c, n);
        comp_expr(c, n->a);
        emit(c, OP_POP_JUMP_BACK_IF_TRUE, (uint32_t)body);
    } else {
        emit(c, OP_JUMP_BACK, (uint32_t)top);
    }
    int nbreaks = fb->nbreaks;
    int *breaks = fb->breaks;
    fb->breaks = NULL;
    fb_pop(c);
    jl_patch(c, &exit);
    comp_body(c, &n->orelse);
    for (int i = 0; i < nbreaks; i++)
        patch(c, breaks[i]);
    mem_free(breaks);
}

static void comp_for(Compiler *c, Node *n)
{
    comp_expr(c, n->b);
    set_pos(c, n);
    emit(c, OP_GET_ITER, 0);
    int start = here(c);
    int exit = emit(c, OP_FOR_ITER, 0);
    comp_store(c, n->a);
    FBlock *fb = fb_push(c, FB_FOR, n->line);
    if (!fb)
        return;
    fb->cont = start;
    comp_body(c, &n->body);
    emit(c, OP_JUMP_BACK, (uint32_t)start);
    fb = &c->fs->fb[c->fs->nfb - 1];
    int nbreaks = fb->nbreaks;
    int *breaks = fb->breaks;
    fb->breaks = NULL;
    fb_pop(c);
    patch(c, exit);
    comp_body(c, &n->orelse);
    for (int i = 0; i < nbreaks; i++)
        patch(c, breaks[i]);
    mem_free(breaks);
}

static void comp_try_except(Compiler *c, Node *n)
{
    int setup = emit(c, OP_SETUP_TRY, 0);
    if (!fb_push(c, FB_TRY, n->line))
        return;
    comp_body(c, &n->body);
    fb_pop(c);
    emit(c, OP_POP_BLOCK, 0);
    comp_body(c, &n->orelse);
    JumpList ends = {0};
    jl_add(&ends, emit(c, OP_JUMP, 0));
    patch(c, setup);
    /* handler: the exception is on the stack */
    for (int i = 0; i < n->list.len; i++) {
        Node *h = n->list.items[i];
        set_pos(c, h);
        int next = -1;
        if (h->a) {
            comp_expr(c, h->a);
            emit(c, OP_EXC_MATCH, 0);
            next = emit(c, OP_POP_JUMP_IF_FALSE, 0);
        } else if (i != n->list.len - 1) {
            comp_error(c, h->line, h->col, "default 'except:' must be last");
        }
        if (h->name) {
            emit(c, OP_DUP_TOP, 0);
            store_name(c, h->name);
        }
        if (!fb_push(c, FB_HANDLER, h->line))
            return;
        comp_body(c, &h->body);
        fb_pop(c);
        emit(c, OP_POP_EXCEPT, 0);
        jl_add(&ends, emit(c, OP_JUMP, 0));
        if (next >= 0)
            patch(c, next);
    }
    emit(c, OP_RERAISE, 0);
    jl_patch(c, &ends);
}

static void comp_try(Compiler *c, Node *n)
{
    if (n->finalbody.len == 0) {
        comp_try_except(c, n);
        return;
    }
    int setup = emit(c, OP_SETUP_TRY, 0);
    FBlock *fb = fb_push(c, FB_FINALLY_TRY, n->line);
    if (!fb)
        return;
    fb->final = n;
    if (n->list.len > 0)
        comp_try_except(c, n);
    else
        comp_body(c, &n->body);
    fb_pop(c);
    emit(c, OP_POP_BLOCK, 0);
    comp_body(c, &n->finalbody);
    int end = emit(c, OP_JUMP, 0);
    patch(c, setup);
    if (!fb_push(c, FB_HANDLER, n->line))
        return;
    comp_body(c, &n->finalbody);
    fb_pop(c);
    emit(c, OP_RERAISE, 0);
    patch(c, end);
}

static void comp_with_items(Compiler *c, Node *n, int item)
{
    if (item == n->list.len) {
        comp_body(c, &n->body);
        return;
    }
    Node *w = n->list.items[item];
    comp_expr(c, w->a);
    set_pos(c, w);
    emit(c, OP_BEFORE_WITH, 0);
    if (w->b)
        comp_store(c, w->b);
    else
        emit(c, OP_POP_TOP, 0);
    int setup = emit(c, OP_SETUP_TRY, 0);
    if (!fb_push(c, FB_WITH, w->line))
        return;
    comp_with_items(c, n, item + 1);
    fb_pop(c);
    emit(c, OP_POP_BLOCK, 0);
    set_pos(c, w);
    emit(c, OP_WITH_EXIT, 0);
    int end = emit(c, OP_JUMP, 0);
    patch(c, setup);
    emit(c, OP_WITH_EXCEPT, 0);
    int suppress = emit(c, OP_POP_JUMP_IF_TRUE, 0);
    emit(c, OP_RERAISE, 0);
    patch(c, suppress);
    emit(c, OP_POP_EXCEPT, 0);
    emit(c, OP_POP_TOP, 0);
    patch(c, end);
}

static void comp_augassign(Compiler *c, Node *n)
{
    Node *t = n->a;
    int op = n->op;
    int inplace_op = op == BINOP_ADD ? OP_INPLACE_ADD : op == BINOP_SUB ? OP_INPLACE_SUB : OP_INPLACE;
    switch (t->kind) {
    case E_NAME: {
        /* x += k / x -= k on a local with a small literal: one instruction */
        Node *k = n->b;
        int64_t kv = 0;
        bool lit = false;
        if (k->kind == E_INT) {
            kv = k->ival;
            lit = true;
        } else if (k->kind == E_UNARY && k->op == UN_NEG && k->a->kind == E_INT) {
            kv = -k->a->ival;
            lit = true;
        }
        if (lit && (op == BINOP_ADD || op == BINOP_SUB)) {
            if (op == BINOP_SUB)
                kv = -kv;
            int slot;
            if (kv >= -2048 && kv < 2048 && resolve(c, t->name, &slot) == NK_FAST && slot < 4096) {
                set_pos(c, n);
                emit(c, OP_INCR_FAST, (uint32_t)slot | (uint32_t)(kv + 2048) << 12);
                break;
            }
        }
        load_name(c, t->name);
        comp_expr(c, n->b);
        set_pos(c, n);
        emit(c, inplace_op, (uint32_t)op);
        store_name(c, t->name);
        break;
    }
    case E_ATTR: {
        comp_expr(c, t->a);
        emit(c, OP_DUP_TOP, 0);
        int name = add_name(c, t->name);
        emit(c, OP_LOAD_ATTR, (uint32_t)name);
        comp_expr(c, n->b);
        set_pos(c, n);
        emit(c, inplace_op, (uint32_t)op);
        emit(c, OP_ROT_TWO, 0);
        emit(c, OP_STORE_ATTR, (uint32_t)name);
        break;
    }
    case E_SUBSCRIPT:
        comp_expr(c, t->a);
        comp_expr(c, t->b);
        emit(c, OP_DUP_TOP_TWO, 0);
        emit(c, OP_SUBSCR, 0);
        comp_expr(c, n->b);
        set_pos(c, n);
        emit(c, inplace_op, (uint32_t)op);
        emit(c, OP_ROT_THREE, 0);
        emit(c, OP_STORE_SUBSCR, 0);
        break;
    default:
        comp_error(c, t->line, t->col, "'%s' is an illegal expression for augmented assignment",
                   t->kind == E_TUPLE ? "tuple" : t->kind == E_LIST ? "list" : "expression");
        break;
    }
}

static void comp_delete(Compiler *c, Node *t)
{
    set_pos(c, t);
    switch (t->kind) {
    case E_NAME:
        delete_name(c, t->name);
        break;
    case E_ATTR:
        comp_expr(c, t->a);
        emit(c, OP_DELETE_ATTR, (uint32_t)add_name(c, t->name));
        break;
    case E_SUBSCRIPT:
        comp_expr(c, t->a);
        comp_expr(c, t->b);
        emit(c, OP_DELETE_SUBSCR, 0);
        break;
    case E_TUPLE:
    case E_LIST:
        for (int i = 0; i < t->list.len; i++)
            comp_delete(c, t->list.items[i]);
        break;
    default:
        comp_error(c, t->line, t->col, "cannot delete expression");
        break;
    }
}

static void comp_class(Compiler *c, Node *n)
{
    for (int i = 0; i < n->orelse.len; i++)
        comp_expr(c, n->orelse.items[i]);
    /* the body runs as a function whose frame has a locals dict */
    Code *body = comp_function(c, n, n->name, &n->body, NULL);
    if (!body)
        return;
    int flags = 0;
    if (body->nfree > 0) {
        for (int i = 0; i < body->nfree; i++)
            emit(c, OP_LOAD_CLOSURE, (uint32_t)cell_index(c->fs, body->freenames[i]->chars));
        emit(c, OP_BUILD_TUPLE, (uint32_t)body->nfree);
        flags |= 4;
    }
    emit_const(c, val_obj(&body->obj));
    set_pos(c, n);
    emit(c, OP_MAKE_FUNCTION, (uint32_t)flags);
    emit(c, OP_CALL, 0);
    if (n->list2.len > 0) {
        Node *k = n->list2.items[0];
        comp_error(c, k->line, k->col, "class keyword arguments (metaclass=...) are not supported by gilscope");
        return;
    }
    if (has_starred(&n->list)) {
        comp_error(c, n->line, n->col, "starred base classes are not supported by gilscope");
        return;
    }
    for (int i = 0; i < n->list.len; i++)
        comp_expr(c, n->list.items[i]);
    emit(c, OP_BUILD_TUPLE, (uint32_t)n->list.len);
    set_pos(c, n);
    emit(c, OP_BUILD_CLASS, (uint32_t)add_const(c, val_obj(&str_intern_cstr(c->vm, n->name)->obj)));
    for (int i = 0; i < n->orelse.len; i++)
        emit(c, OP_CALL, 1);
    store_name(c, n->name);
}

static void comp_import(Compiler *c, Node *n)
{
    for (int i = 0; i < n->list.len; i++) {
        Node *al = n->list.items[i];
        set_pos(c, al);
        emit(c, OP_IMPORT_NAME, (uint32_t)add_name(c, al->name));
        if (al->asname) {
            store_name(c, al->asname);
        } else {
            const char *dot = strchr(al->name, '.');
            store_name(c, dot ? arena_strndup(c->arena, al->name, (size_t)(dot - al->name)) : al->name);
        }
    }
}

static void comp_fromimport(Compiler *c, Node *n)
{
    emit(c, OP_IMPORT_NAME, (uint32_t)add_name(c, n->name));
    for (int i = 0; i < n->list.len; i++) {
        Node *al = n->list.items[i];
        if (strcmp(al->name, "*") == 0) {
            if (c->fs->scope->kind != SC_MODULE) {
                comp_error(c, al->line, al->col, "import * only allowed at module level");
                return;
            }
            emit(c, OP_IMPORT_STAR, 0);
            return;
        }
        emit(c, OP_IMPORT_FROM, (uint32_t)add_name(c, al->name));
        store_name(c, al->asname ? al->asname : al->name);
    }
    emit(c, OP_POP_TOP, 0);
}

static void comp_stmt(Compiler *c, Node *n)
{
    if (c->failed)
        return;
    set_pos(c, n);
    switch (n->kind) {
    case S_EXPR:
        comp_expr(c, n->a);
        emit(c, OP_POP_TOP, 0);
        break;
    case S_ASSIGN:
        comp_expr(c, n->a);
        for (int i = 0; i < n->list.len; i++) {
            if (i < n->list.len - 1)
                emit(c, OP_DUP_TOP, 0);
            comp_store(c, n->list.items[i]);
        }
        break;
    case S_AUGASSIGN:
        comp_augassign(c, n);
        break;
    case S_ANNASSIGN:
        if (n->b) {
            comp_expr(c, n->b);
            comp_store(c, n->a);
        }
        break;
    case S_IF: {
        JumpList jl = {0};
        comp_jump_if(c, n->a, false, &jl);
        comp_body(c, &n->body);
        if (n->orelse.len) {
            int end = emit(c, OP_JUMP, 0);
            jl_patch(c, &jl);
            comp_body(c, &n->orelse);
            patch(c, end);
        } else {
            jl_patch(c, &jl);
        }
        break;
    }
    case S_WHILE:
        comp_while(c, n);
        break;
    case S_FOR:
        comp_for(c, n);
        break;
    case S_BREAK:
        comp_break_continue(c, n, true);
        break;
    case S_CONTINUE:
        comp_break_continue(c, n, false);
        break;
    case S_PASS:
    case S_GLOBAL:
    case S_NONLOCAL:
        break;
    case S_RETURN:
        comp_return(c, n);
        break;
    case S_DEF:
        for (int i = 0; i < n->list.len; i++)
            comp_expr(c, n->list.items[i]);
        comp_make_function(c, n, n->name, &n->body, NULL);
        for (int i = 0; i < n->list.len; i++)
            emit(c, OP_CALL, 1);
        store_name(c, n->name);
        break;
    case S_CLASS:
        comp_class(c, n);
        break;
    case S_TRY:
        comp_try(c, n);
        break;
    case S_RAISE:
        if (n->a)
            comp_expr(c, n->a);
        if (n->b)
            comp_expr(c, n->b);
        set_pos(c, n);
        emit(c, OP_RAISE, (uint32_t)(n->a ? (n->b ? 2 : 1) : 0));
        break;
    case S_WITH:
        comp_with_items(c, n, 0);
        break;
    case S_ASSERT: {
        JumpList ok = {0};
        comp_jump_if(c, n->a, true, &ok);
        set_pos(c, n);
        emit(c, OP_LOAD_ASSERTION, 0);
        if (n->b) {
            comp_expr(c, n->b);
            emit(c, OP_CALL, 1);
        }
        emit(c, OP_RAISE, 1);
        jl_patch(c, &ok);
        break;
    }
    case S_IMPORT:
        comp_import(c, n);
        break;
    case S_FROMIMPORT:
        comp_fromimport(c, n);
        break;
    case S_DEL:
        for (int i = 0; i < n->list.len; i++)
            comp_delete(c, n->list.items[i]);
        break;
    default:
        comp_error(c, n->line, n->col, "invalid syntax");
        break;
    }
}

static void comp_body(Compiler *c, NodeList *body)
{
    for (int i = 0; i < body->len && !c->failed; i++)
        comp_stmt(c, body->items[i]);
}

/* ---- stack depth -------------------------------------------------------------- */

/* Stack effect of an instruction when it falls through (jump == false) or
 * jumps (jump == true). */
static int stack_effect(uint32_t ins, bool jump)
{
    int a = (int)INSTR_A(ins);
    switch ((Opcode)INSTR_OP(ins)) {
    case OP_NOP: case OP_ROT_TWO: case OP_ROT_THREE: case OP_ROT_FOUR:
    case OP_DELETE_FAST: case OP_DELETE_GLOBAL: case OP_DELETE_NAME:
    case OP_LOAD_ATTR: case OP_UNARY_NEG: case OP_UNARY_POS: case OP_UNARY_NOT:
    case OP_UNARY_INVERT: case OP_LIST_TO_TUPLE: case OP_JUMP: case OP_JUMP_BACK:
    case OP_GET_ITER: case OP_POP_BLOCK: case OP_EXC_MATCH: case OP_INCR_FAST:
    case OP_BINARY_IMM: case OP_COMPARE_IMM:
        return 0;
    case OP_SETUP_TRY:
        return jump ? 1 : 0;
    case OP_POP_TOP: case OP_STORE_FAST: case OP_STORE_DEREF: case OP_STORE_GLOBAL:
    case OP_STORE_NAME: case OP_DELETE_ATTR: case OP_ADD: case OP_SUB: case OP_MUL:
    case OP_BINARY: case OP_INPLACE_ADD: case OP_INPLACE_SUB: case OP_INPLACE:
    case OP_LT: case OP_LE: case OP_EQ: case OP_NE: case OP_GT: case OP_GE: case OP_IS:
    case OP_IS_NOT: case OP_IN: case OP_NOT_IN: case OP_SUBSCR: case OP_LIST_APPEND:
    case OP_SET_ADD: case OP_LIST_EXTEND: case OP_SET_UPDATE: case OP_DICT_UPDATE: case OP_POP_JUMP_IF_FALSE:
    case OP_POP_JUMP_IF_TRUE: case OP_POP_JUMP_BACK_IF_TRUE: case OP_POP_EXCEPT:
    case OP_WITH_EXIT: case OP_IMPORT_STAR: case OP_BUILD_CLASS: case OP_RETURN_VALUE:
    case OP_RERAISE:
        return -1;
    case OP_DUP_TOP: case OP_LOAD_CONST: case OP_LOAD_SMALLINT: case OP_LOAD_NONE:
    case OP_LOAD_FAST: case OP_LOAD_DEREF: case OP_LOAD_CLOSURE: case OP_LOAD_GLOBAL:
    case OP_LOAD_NAME: case OP_LOAD_LOCALS: case OP_LOAD_METHOD: case OP_LOAD_SUPER_ATTR:
    case OP_BEFORE_WITH: case OP_WITH_EXCEPT: case OP_LOAD_ASSERTION: case OP_IMPORT_NAME:
    case OP_IMPORT_FROM:
        return 1;
    case OP_DUP_TOP_TWO: case OP_LOAD_SUPER_METHOD:
        return 2;
    case OP_STORE_ATTR: case OP_DELETE_SUBSCR: case OP_MAP_ADD: case OP_SLICE:
        return -2;
    case OP_STORE_SUBSCR:
        return -3;
    case OP_BUILD_SLICE: case OP_BUILD_LIST: case OP_BUILD_TUPLE: case OP_BUILD_STRING:
        return 1 - a;
    case OP_BUILD_SET:
        return 1 - (a & 0x7fffff);
    case OP_BUILD_DICT:
        return 1 - 2 * a;
    case OP_FORMAT_VALUE:
        return -(a & 1);
    case OP_UNPACK_SEQUENCE:
        return a - 1;
    case OP_UNPACK_EX:
        return (a & 0xff) + (a >> 8);
    case OP_JUMP_IF_FALSE_OR_POP: case OP_JUMP_IF_TRUE_OR_POP:
        return jump ? 0 : -1;
    case OP_FOR_ITER:
        return jump ? -1 : 1;
    case OP_CALL:
        return -a;
    case OP_CALL_KW: case OP_CALL_METHOD:
        return -a - 1;
    case OP_CALL_METHOD_KW:
        return -a - 2;
    case OP_CALL_EX:
        return -1 - a;
    case OP_MAKE_FUNCTION:
        return -((a & 1) + ((a >> 1) & 1) + ((a >> 2) & 1));
    case OP_RAISE:
        return -a;
    case OP__COUNT:
        break;
    }
    return 0;
}

static bool is_terminal(int op)
{
    return op == OP_JUMP || op == OP_JUMP_BACK || op == OP_RETURN_VALUE || op == OP_RAISE ||
           op == OP_RERAISE;
}

static bool is_jump(int op)
{
    return op == OP_JUMP || op == OP_JUMP_BACK || op == OP_POP_JUMP_IF_FALSE ||
           op == OP_POP_JUMP_IF_TRUE || op == OP_POP_JUMP_BACK_IF_TRUE ||
           op == OP_JUMP_IF_FALSE_OR_POP || op == OP_JUMP_IF_TRUE_OR_POP ||
           op == OP_FOR_ITER || op == OP_SETUP_TRY;
}

static int compute_maxstack(Code *code)
{
    int n = code->len;
    if (n == 0)
        return 0;
    int *depth = mem_alloc(sizeof(int) * (size_t)n);
    int *work = mem_alloc(sizeof(int) * (size_t)n);
    for (int i = 0; i < n; i++)
        depth[i] = -1;
    int nw = 0, maxd = 0;
    depth[0] = 0;
    work[nw++] = 0;
    while (nw > 0) {
        int pc = work[--nw];
        int d = depth[pc];
        while (pc < n) {
            uint32_t ins = code->code[pc];
            int op = (int)INSTR_OP(ins);
            if (is_jump(op)) {
                int target = (int)INSTR_A(ins);
                int dj = d + stack_effect(ins, true);
                if (dj > maxd)
                    maxd = dj;
                if (target < n && depth[target] < dj) {
                    depth[target] = dj;
                    work[nw++] = target;
                }
            }
            if (is_terminal(op))
                break;
            d += stack_effect(ins, false);
            if (d > maxd)
                maxd = d;
            pc++;
            if (pc < n) {
                if (depth[pc] >= d)
                    break;
                depth[pc] = d;
            }
        }
    }
    mem_free(depth);
    mem_free(work);
    return maxd;
}

/* ---- functions ------------------------------------------------------------ */

static ObjStr **intern_list(Compiler *c, const char **names, int n)
{
    if (n == 0)
        return NULL;
    ObjStr **out = mem_alloc(sizeof(ObjStr *) * (size_t)n);
    for (int i = 0; i < n; i++)
        out[i] = str_intern_cstr(c->vm, names[i]);
    return out;
}

static void fs_finish(Compiler *c, FuncState *fs)
{
    Code *code = fs->code;
    code->varnames = intern_list(c, fs->locals, fs->nlocals);
    code->nlocals = fs->nlocals;
    code->cellnames = intern_list(c, fs->cells, fs->ncells);
    code->ncells = fs->ncells;
    if (fs->ncells) {
        code->cell_slot = mem_alloc(sizeof(int) * (size_t)fs->ncells);
        for (int i = 0; i < fs->ncells; i++) {
            int slot = str_list_index(fs->locals, fs->nlocals, fs->cells[i], &fs->lmap);
            code->cell_slot[i] = slot >= 0 && slot < code->nparams + code->nkwonly +
                                 !!(code->flags & CO_VARARGS) + !!(code->flags & CO_VARKW) ? slot : -1;
        }
    }
    code->freenames = intern_list(c, fs->frees, fs->nfree);
    code->nfree = fs->nfree;
    code->maxstack = compute_maxstack(code);
    mem_free(fs->locals);
    nm_free(&fs->lmap);
    nm_free(&fs->nmap);
    mem_free(fs->cells);
    mem_free(fs->frees);
}

static void fs_collect_cells(FuncState *fs)
{
    Scope *s = fs->scope;
    for (int i = 0; i < s->nsyms; i++) {
        Sym *sym = &s->syms[i];
        if ((sym->flags & SYM_CELL) && sym_is_local(sym))
            str_list_add(&fs->cells, &fs->ncells, &fs->ccap, sym->name, NULL);
        else if (sym->flags & SYM_FREE)
            str_list_add(&fs->frees, &fs->nfree, &fs->fcap, sym->name, NULL);
    }
}

/* Compiles a def, lambda (expr_body) or class body (n->kind == S_CLASS). */
static Code *comp_function(Compiler *c, Node *n, const char *name, NodeList *body, Node *expr_body)
{
    Scope *scope = scope_child(c->fs->scope, n);
    if (!scope) {
        comp_error(c, n->line, n->col, "internal error: no scope for '%s'", name);
        return NULL;
    }
    FuncState fs;
    memset(&fs, 0, sizeof fs);
    fs.parent = c->fs;
    fs.scope = scope;
    fs.code = code_new(c->vm, str_intern_cstr(c->vm, name), c->filename);
    fs.code->firstline = n->line;
    Code *code = fs.code;
    if (n->kind == S_CLASS) {
        code->flags |= CO_CLASSBODY;
    } else {
        int npos = 0, nkw = 0;
        Param *varargs = NULL, *varkw = NULL;
        for (int i = 0; i < n->nparams; i++) {
            Param *p = &n->params[i];
            if (p->kind == PARAM_NORMAL)
                npos++;
            else if (p->kind == PARAM_KWONLY)
                nkw++;
            else if (p->kind == PARAM_VARARGS)
                varargs = p;
            else
                varkw = p;
        }
        /* slots: positional, keyword-only, *args, **kwargs */
        for (int pass = 0; pass < 4; pass++) {
            for (int i = 0; i < n->nparams; i++) {
                Param *p = &n->params[i];
                int want = pass == 0 ? PARAM_NORMAL : pass == 1 ? PARAM_KWONLY : pass == 2 ? PARAM_VARARGS : PARAM_VARKW;
                if (p->kind != want)
                    continue;
                if (str_list_index(fs.locals, fs.nlocals, p->name, &fs.lmap) >= 0) {
                    comp_error(c, p->line, p->col, "duplicate argument '%s' in function definition", p->name);
                    break;
                }
                str_list_add(&fs.locals, &fs.nlocals, &fs.lcap, p->name, &fs.lmap);
            }
        }
        code->nparams = npos;
        code->nkwonly = nkw;
        if (varargs)
            code->flags |= CO_VARARGS;
        if (varkw)
            code->flags |= CO_VARKW;
        if (!varargs && !varkw && nkw == 0)
            code->flags |= CO_SIMPLE;
    }
    fs_collect_cells(&fs);
    FuncState *saved = c->fs;
    int saved_line = c->line, saved_col = c->col;
    c->fs = &fs;
    if (n->kind == S_CLASS) {
        emit(c, OP_LOAD_GLOBAL, (uint32_t)add_name(c, "__name__"));
        emit(c, OP_STORE_NAME, (uint32_t)add_name(c, "__module__"));
        comp_body(c, body);
        emit(c, OP_LOAD_LOCALS, 0);
        emit(c, OP_RETURN_VALUE, 0);
    } else if (expr_body) {
        comp_expr(c, expr_body);
        emit(c, OP_RETURN_VALUE, 0);
    } else {
        comp_body(c, body);
        emit(c, OP_LOAD_NONE, 0);
        emit(c, OP_RETURN_VALUE, 0);
    }
    c->fs = saved;
    c->line = saved_line;
    c->col = saved_col;
    fs_finish(c, &fs);
    /* CPython's __qualname__: K.m, f.<locals>.g */
    FuncState *outer = c->fs;
    if (outer->scope->kind == SC_MODULE) {
        code->qualname = code->name;
    } else {
        StrBuf sb;
        sb_init(&sb);
        sb_puts(&sb, outer->code->qualname->chars);
        sb_puts(&sb, outer->scope->kind == SC_CLASS ? "." : ".<locals>.");
        sb_puts(&sb, name);
        code->qualname = str_intern(c->vm, sb.buf, sb.len);
        sb_fini(&sb);
    }
    return code;  /* the caller's add_const takes this reference */
}

Code *compile_module(Vm *vm, const char *path, const char *src, size_t len, ParseError *err)
{
    Arena *arena = arena_new();
    Node *mod = parse_module(path, src, len, arena, err);
    if (!mod) {
        arena_free(arena);
        return NULL;
    }
    Compiler c;
    memset(&c, 0, sizeof c);
    c.vm = vm;
    c.arena = arena;
    c.path = path;
    c.err = err;
    c.filename = str_intern_cstr(vm, path);
    c.line = 1;
    Scope *top = scope_new(NULL, SC_MODULE, mod);
    st_body(&c, top, &mod->body);
    if (!c.failed)
        st_resolve(&c, top);
    Code *code = NULL;
    if (!c.failed) {
        FuncState fs;
        memset(&fs, 0, sizeof fs);
        fs.scope = top;
        fs.code = code_new(vm, str_intern_cstr(vm, "<module>"), c.filename);
        fs.code->flags = CO_MODULE;
        fs.code->firstline = 1;
        c.fs = &fs;
        comp_body(&c, &mod->body);
        emit(&c, OP_LOAD_NONE, 0);
        emit(&c, OP_RETURN_VALUE, 0);
        c.fs = NULL;
        fs_finish(&c, &fs);
        code = fs.code;
        if (c.failed) {
            obj_decref(&code->obj);
            code = NULL;
        }
    }
    scope_free(top);
    arena_free(arena);
    return code;
}
