/*
 * ast.h -- the syntax tree the parser builds and the compiler walks.
 *
 * Every node, list and string of one tree lives in one Arena and is freed
 * with it: no node owns anything.  Strings are NUL-terminated UTF-8 with an
 * explicit length (string literals may contain NUL).  Positions are 1-based
 * line and column (column in bytes).
 */
#ifndef INTERP_AST_H
#define INTERP_AST_H

#include <stddef.h>
#include <stdint.h>

typedef struct Arena Arena;
Arena *arena_new(void);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t size);          /* zeroed, 16-byte aligned */
char *arena_strndup(Arena *a, const char *s, size_t len);

typedef struct Node Node;

typedef struct NodeList {
    Node **items;
    int len, cap;
} NodeList;
void nodelist_push(Arena *a, NodeList *l, Node *n);

typedef enum {
    /* expressions */
    E_NAME,         /* name */
    E_INT,          /* ival */
    E_FLOAT,        /* fval */
    E_STR,          /* str, slen */
    E_BYTES,        /* str, slen */
    E_FSTRING,      /* list: E_STR and E_FORMATTED parts */
    E_FORMATTED,    /* a: value, conv: 0 'r' 's' 'a', b: spec (an E_FSTRING) or NULL */
    E_TRUE, E_FALSE, E_NONE, E_ELLIPSIS,
    E_BINOP,        /* op (BINOP_*), a, b */
    E_UNARY,        /* op (UN_*), a */
    E_BOOLOP,       /* op (BOOL_AND/BOOL_OR), a, b */
    E_COMPARE,      /* a: left; list: comparators; ops[i] (CMPOP_*) between them */
    E_IFEXP,        /* a: test, b: then, c: else */
    E_CALL,         /* a: callee; list: positional (may hold E_STARRED);
                       list2: E_KEYWORD nodes */
    E_KEYWORD,      /* name (NULL for **expr), a: value */
    E_ATTR,         /* a: object, name */
    E_SUBSCRIPT,    /* a: object, b: index (maybe E_SLICE or a tuple) */
    E_SLICE,        /* a: lower, b: upper, c: step, each may be NULL */
    E_LIST,         /* list */
    E_TUPLE,        /* list */
    E_SET,          /* list */
    E_DICT,         /* list: keys (NULL key = **value), list2: values */
    E_LISTCOMP,     /* a: element, list: E_COMPFOR clauses */
    E_SETCOMP,      /* a: element, list: E_COMPFOR clauses */
    E_DICTCOMP,     /* a: key, b: value, list: E_COMPFOR clauses */
    E_GENEXP,       /* a: element, list: E_COMPFOR clauses (compiled as a list) */
    E_COMPFOR,      /* a: target, b: iterable, list: the if-conditions */
    E_LAMBDA,       /* params, a: body expression */
    E_STARRED,      /* a: value (in calls, targets and displays) */
    /* statements */
    S_EXPR,         /* a */
    S_ASSIGN,       /* list: targets (a = b = v has two), a: value */
    S_AUGASSIGN,    /* a: target, op (BINOP_*), b: value */
    S_ANNASSIGN,    /* a: target, b: value or NULL, c: annotation */
    S_IF,           /* a: test, body, orelse (an elif is one S_IF in orelse) */
    S_WHILE,        /* a: test, body, orelse */
    S_FOR,          /* a: target, b: iterable, body, orelse */
    S_BREAK, S_CONTINUE, S_PASS,
    S_RETURN,       /* a: value or NULL */
    S_DEF,          /* name, params, body, list: decorators */
    S_CLASS,        /* name, list: bases, list2: keywords (E_KEYWORD), body, decorators in orelse */
    S_TRY,          /* body, list: S_HANDLER nodes, orelse, finalbody */
    S_HANDLER,      /* a: exception type or NULL, name or NULL, body */
    S_RAISE,        /* a: exception or NULL, b: cause or NULL */
    S_WITH,         /* list: E_WITHITEM nodes, body */
    E_WITHITEM,     /* a: context expression, b: target or NULL */
    S_ASSERT,       /* a: test, b: message or NULL */
    S_GLOBAL,       /* names */
    S_NONLOCAL,     /* names */
    S_IMPORT,       /* list: E_ALIAS nodes */
    S_FROMIMPORT,   /* name: module, list: E_ALIAS nodes (name "*" for import *) */
    E_ALIAS,        /* name (dotted), asname or NULL */
    S_DEL,          /* list: targets */
    N_MODULE,       /* body: the module's statements */
    NODE__COUNT
} NodeKind;

enum { UN_NEG, UN_POS, UN_NOT, UN_INVERT };
enum { BOOL_AND, BOOL_OR };
enum { CMPOP_LT, CMPOP_LE, CMPOP_EQ, CMPOP_NE, CMPOP_GT, CMPOP_GE,
       CMPOP_IN, CMPOP_NOT_IN, CMPOP_IS, CMPOP_IS_NOT };
/* E_BINOP and S_AUGASSIGN use the BINOP_* codes of vm.h:
   ADD SUB MUL TRUEDIV FLOORDIV MOD POW LSHIFT RSHIFT AND OR XOR (0..11). */

typedef enum { PARAM_NORMAL, PARAM_VARARGS, PARAM_KWONLY, PARAM_VARKW } ParamKind;
typedef struct Param {
    const char *name;
    Node *def;              /* default value or NULL */
    int kind;               /* ParamKind; order: NORMAL*, VARARGS?, KWONLY*, VARKW? */
    int line, col;
} Param;

struct Node {
    int kind;               /* NodeKind */
    int line, col;
    int op;                 /* BINOP_*, UN_*, BOOL_* */
    int conv;               /* E_FORMATTED conversion */
    Node *a, *b, *c;
    NodeList list, list2;
    NodeList body, orelse, finalbody;
    const char *name, *asname;
    const char **names;     /* S_GLOBAL / S_NONLOCAL */
    int nnames;
    int64_t ival;
    double fval;
    const char *str;        /* E_STR / E_BYTES bytes (NUL-terminated) */
    size_t slen;
    int *ops;               /* E_COMPARE: list.len operators */
    Param *params;          /* S_DEF / E_LAMBDA */
    int nparams;
};

#endif
