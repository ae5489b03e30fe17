/*
 * test_parser.c -- the parser: tree shapes (rendered as S-expressions),
 * operator precedence, f-string parts, and syntax errors with CPython's
 * wording, kind and position.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "vm.h"

/* An S-expression rendering of a tree, so tests can state shapes in one line. */
typedef struct Dump {
    char *buf;
    size_t len, cap;
} Dump;

static void dump_put(Dump *d, const char *s, size_t n)
{
    if (d->len + n + 1 > d->cap) {
        size_t cap = d->cap ? d->cap : 256;
        while (cap < d->len + n + 1)
            cap *= 2;
        d->buf = realloc(d->buf, cap);
        d->cap = cap;
    }
    memcpy(d->buf + d->len, s, n);
    d->len += n;
    d->buf[d->len] = '\0';
}

static void dump_str(Dump *d, const char *s)
{
    dump_put(d, s, strlen(s));
}

static void dump_fmt(Dump *d, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    dump_str(d, tmp);
}

static void dump_node(Dump *d, const Node *n);

static void dump_list(Dump *d, const NodeList *l)
{
    for (int i = 0; i < l->len; i++) {
        dump_str(d, " ");
        dump_node(d, l->items[i]);
    }
}

static void dump_block(Dump *d, const char *tag, const NodeList *l)
{
    dump_fmt(d, " (%s", tag);
    dump_list(d, l);
    dump_str(d, ")");
}

static void dump_bytes(Dump *d, const char *s, size_t n)
{
    dump_str(d, "'");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') dump_str(d, "\\n");
        else if (c == '\t') dump_str(d, "\\t");
        else if (c == '\\') dump_str(d, "\\\\");
        else if (c == '\'') dump_str(d, "\\'");
        else if (c < 0x20 || c >= 0x7f) dump_fmt(d, "\\x%02x", c);
        else dump_put(d, (const char *)&c, 1);
    }
    dump_str(d, "'");
}

static void dump_params(Dump *d, const Node *n)
{
    dump_str(d, " (");
    for (int i = 0; i < n->nparams; i++) {
        const Param *p = &n->params[i];
        if (i)
            dump_str(d, " ");
        dump_str(d, p->kind == PARAM_VARARGS ? "*" : p->kind == PARAM_VARKW ? "**" :
                    p->kind == PARAM_KWONLY ? "kw:" : "");
        dump_str(d, p->name);
        if (p->def) {
            dump_str(d, "=");
            dump_node(d, p->def);
        }
    }
    dump_str(d, ")");
}

static const char *const dump_binops[] = { "+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^" };
static const char *const dump_cmpops[] = { "<", "<=", "==", "!=", ">", ">=", "in", "not-in", "is", "is-not" };
static const char *const dump_unops[] = { "neg", "pos", "not", "inv" };

static void dump_opt(Dump *d, const Node *n)
{
    dump_str(d, " ");
    if (n)
        dump_node(d, n);
    else
        dump_str(d, "_");
}

static void dump_node(Dump *d, const Node *n)
{
    if (!n) {
        dump_str(d, "_");
        return;
    }
    switch (n->kind) {
    case E_NAME: dump_str(d, n->name); break;
    case E_INT: dump_fmt(d, "%lld", (long long)n->ival); break;
    case E_FLOAT: dump_fmt(d, "%g", n->fval); break;
    case E_STR: dump_bytes(d, n->str, n->slen); break;
    case E_BYTES: dump_str(d, "b"); dump_bytes(d, n->str, n->slen); break;
    case E_FSTRING: dump_str(d, "(f"); dump_list(d, &n->list); dump_str(d, ")"); break;
    case E_FORMATTED:
        dump_str(d, "(fmt ");
        dump_node(d, n->a);
        if (n->conv)
            dump_fmt(d, " !%c", n->conv);
        if (n->b) {
            dump_str(d, " :");
            dump_node(d, n->b);
        }
        dump_str(d, ")");
        break;
    case E_TRUE: dump_str(d, "True"); break;
    case E_FALSE: dump_str(d, "False"); break;
    case E_NONE: dump_str(d, "None"); break;
    case E_ELLIPSIS: dump_str(d, "..."); break;
    case E_BINOP:
        dump_fmt(d, "(%s ", dump_binops[n->op]);
        dump_node(d, n->a);
        dump_str(d, " ");
        dump_node(d, n->b);
        dump_str(d, ")");
        break;
    case E_UNARY:
        dump_fmt(d, "(%s ", dump_unops[n->op]);
        dump_node(d, n->a);
        dump_str(d, ")");
        break;
    case E_BOOLOP:
        dump_str(d, n->op == BOOL_AND ? "(and " : "(or ");
        dump_node(d, n->a);
        dump_str(d, " ");
        dump_node(d, n->b);
        dump_str(d, ")");
        break;
    case E_COMPARE:
        dump_str(d, "(cmp ");
        dump_node(d, n->a);
        for (int i = 0; i < n->list.len; i++) {
            dump_fmt(d, " %s ", dump_cmpops[n->ops[i]]);
            dump_node(d, n->list.items[i]);
        }
        dump_str(d, ")");
        break;
    case E_IFEXP:
        dump_str(d, "(ifexp ");
        dump_node(d, n->a);
        dump_opt(d, n->b);
        dump_opt(d, n->c);
        dump_str(d, ")");
        break;
    case E_CALL:
        dump_str(d, "(call ");
        dump_node(d, n->a);
        dump_list(d, &n->list);
        dump_list(d, &n->list2);
        dump_str(d, ")");
        break;
    case E_KEYWORD:
        if (n->name)
            dump_fmt(d, "%s=", n->name);
        else
            dump_str(d, "**");
        dump_node(d, n->a);
        break;
    case E_ATTR:
        dump_str(d, "(. ");
        dump_node(d, n->a);
        dump_fmt(d, " %s)", n->name);
        break;
    case E_SUBSCRIPT:
        dump_str(d, "([] ");
        dump_node(d, n->a);
        dump_str(d, " ");
        dump_node(d, n->b);
        dump_str(d, ")");
        break;
    case E_SLICE:
        dump_str(d, "(slice");
        dump_opt(d, n->a);
        dump_opt(d, n->b);
        dump_opt(d, n->c);
        dump_str(d, ")");
        break;
    case E_LIST: dump_str(d, "(list"); dump_list(d, &n->list); dump_str(d, ")"); break;
    case E_TUPLE: dump_str(d, "(tuple"); dump_list(d, &n->list); dump_str(d, ")"); break;
    case E_SET: dump_str(d, "(set"); dump_list(d, &n->list); dump_str(d, ")"); break;
    case E_DICT:
        dump_str(d, "(dict");
        for (int i = 0; i < n->list.len; i++) {
            dump_str(d, " ");
            if (n->list.items[i]) {
                dump_node(d, n->list.items[i]);
                dump_str(d, ":");
            } else {
                dump_str(d, "**");
            }
            dump_node(d, n->list2.items[i]);
        }
        dump_str(d, ")");
        break;
    case E_LISTCOMP: case E_SETCOMP: case E_GENEXP: case E_DICTCOMP:
        dump_str(d, n->kind == E_LISTCOMP ? "(listcomp " : n->kind == E_SETCOMP ? "(setcomp " :
                    n->kind == E_GENEXP ? "(genexp " : "(dictcomp ");
        dump_node(d, n->a);
        if (n->kind == E_DICTCOMP) {
            dump_str(d, ":");
            dump_node(d, n->b);
        }
        dump_list(d, &n->list);
        dump_str(d, ")");
        break;
    case E_COMPFOR:
        dump_str(d, "(for ");
        dump_node(d, n->a);
        dump_str(d, " ");
        dump_node(d, n->b);
        for (int i = 0; i < n->list.len; i++) {
            dump_str(d, " if ");
            dump_node(d, n->list.items[i]);
        }
        dump_str(d, ")");
        break;
    case E_LAMBDA:
        dump_str(d, "(lambda");
        dump_params(d, n);
        dump_str(d, " ");
        dump_node(d, n->a);
        dump_str(d, ")");
        break;
    case E_STARRED: dump_str(d, "(* "); dump_node(d, n->a); dump_str(d, ")"); break;
    case S_EXPR: dump_str(d, "(expr "); dump_node(d, n->a); dump_str(d, ")"); break;
    case S_ASSIGN:
        dump_str(d, "(=");
        dump_list(d, &n->list);
        dump_opt(d, n->a);
        dump_str(d, ")");
        break;
    case S_AUGASSIGN:
        dump_fmt(d, "(%s= ", dump_binops[n->op]);
        dump_node(d, n->a);
        dump_opt(d, n->b);
        dump_str(d, ")");
        break;
    case S_ANNASSIGN:
        dump_str(d, "(ann ");
        dump_node(d, n->a);
        dump_opt(d, n->c);
        dump_opt(d, n->b);
        dump_str(d, ")");
        break;
    case S_IF: case S_WHILE:
        dump_str(d, n->kind == S_IF ? "(if " : "(while ");
        dump_node(d, n->a);
        dump_block(d, "do", &n->body);
        if (n->orelse.len)
            dump_block(d, "else", &n->orelse);
        dump_str(d, ")");
        break;
    case S_FOR:
        dump_str(d, "(for ");
        dump_node(d, n->a);
        dump_opt(d, n->b);
        dump_block(d, "do", &n->body);
        if (n->orelse.len)
            dump_block(d, "else", &n->orelse);
        dump_str(d, ")");
        break;
    case S_BREAK: dump_str(d, "break"); break;
    case S_CONTINUE: dump_str(d, "continue"); break;
    case S_PASS: dump_str(d, "pass"); break;
    case S_RETURN: dump_str(d, "(return"); dump_opt(d, n->a); dump_str(d, ")"); break;
    case S_DEF:
        dump_fmt(d, "(def %s", n->name);
        dump_params(d, n);
        if (n->list.len)
            dump_block(d, "@", &n->list);
        dump_block(d, "do", &n->body);
        dump_str(d, ")");
        break;
    case S_CLASS:
        dump_fmt(d, "(class %s", n->name);
        dump_block(d, "bases", &n->list);
        if (n->list2.len)
            dump_block(d, "kw", &n->list2);
        if (n->orelse.len)
            dump_block(d, "@", &n->orelse);
        dump_block(d, "do", &n->body);
        dump_str(d, ")");
        break;
    case S_TRY:
        dump_str(d, "(try");
        dump_block(d, "do", &n->body);
        dump_list(d, &n->list);
        if (n->orelse.len)
            dump_block(d, "else", &n->orelse);
        if (n->finalbody.len)
            dump_block(d, "finally", &n->finalbody);
        dump_str(d, ")");
        break;
    case S_HANDLER:
        dump_str(d, "(except");
        dump_opt(d, n->a);
        dump_fmt(d, " %s", n->name ? n->name : "_");
        dump_block(d, "do", &n->body);
        dump_str(d, ")");
        break;
    case S_RAISE: dump_str(d, "(raise"); dump_opt(d, n->a); dump_opt(d, n->b); dump_str(d, ")"); break;
    case S_WITH:
        dump_str(d, "(with");
        dump_list(d, &n->list);
        dump_block(d, "do", &n->body);
        dump_str(d, ")");
        break;
    case E_WITHITEM:
        dump_str(d, "(item ");
        dump_node(d, n->a);
        dump_opt(d, n->b);
        dump_str(d, ")");
        break;
    case S_ASSERT: dump_str(d, "(assert "); dump_node(d, n->a); dump_opt(d, n->b); dump_str(d, ")"); break;
    case S_GLOBAL: case S_NONLOCAL:
        dump_str(d, n->kind == S_GLOBAL ? "(global" : "(nonlocal");
        for (int i = 0; i < n->nnames; i++)
            dump_fmt(d, " %s", n->names[i]);
        dump_str(d, ")");
        break;
    case S_IMPORT: dump_str(d, "(import"); dump_list(d, &n->list); dump_str(d, ")"); break;
    case S_FROMIMPORT:
        dump_fmt(d, "(from %s", n->name);
        dump_list(d, &n->list);
        dump_str(d, ")");
        break;
    case E_ALIAS:
        dump_str(d, n->name);
        if (n->asname)
            dump_fmt(d, "->%s", n->asname);
        break;
    case S_DEL: dump_str(d, "(del"); dump_list(d, &n->list); dump_str(d, ")"); break;
    case N_MODULE: dump_str(d, "(module"); dump_list(d, &n->body); dump_str(d, ")"); break;
    default: dump_fmt(d, "<?%d>", n->kind); break;
    }
}

/* The statements of src rendered one per line (without the trailing
 * newline), or "Kind: msg @line:col" on error. */
static char *parse_dump_n(const char *src, size_t len)
{
    Arena *a = arena_new();
    ParseError err;
    Node *m = parse_module("t.py", src, len, a, &err);
    Dump d = { NULL, 0, 0 };
    if (!m) {
        dump_fmt(&d, "%s: ", err.kind);
        dump_str(&d, err.msg);
        dump_fmt(&d, " @%d:%d", err.line, err.col);
    } else {
        dump_str(&d, "");
        for (int i = 0; i < m->body.len; i++) {
            if (i)
                dump_str(&d, "\n");
            dump_node(&d, m->body.items[i]);
        }
    }
    arena_free(a);
    return d.buf;
}

static char *parse_dump(const char *src)
{
    return parse_dump_n(src, strlen(src));
}

#define assert_parse(src, want) do {                \
        char *got_ = parse_dump(src);                \
        assert_string_equal(got_, want);             \
        free(got_);                                  \
    } while (0)

/* An expression's shape: the value of "x = <src>". */
#define assert_expr(src, want) do {                 \
        char *got_ = parse_dump("x = " src "\n");    \
        assert_string_equal(got_, "(= x " want ")"); \
        free(got_);                                  \
    } while (0)

static char *repeat(const char *a, int n, const char *mid, const char *b, int m)
{
    size_t la = strlen(a), lm = strlen(mid), lb = strlen(b);
    char *s = malloc(la * (size_t)n + lm + lb * (size_t)m + 1);
    size_t o = 0;
    for (int i = 0; i < n; i++, o += la)
        memcpy(s + o, a, la);
    memcpy(s + o, mid, lm);
    o += lm;
    for (int i = 0; i < m; i++, o += lb)
        memcpy(s + o, b, lb);
    s[o] = '\0';
    return s;
}

static void test_precedence(void **state)
{
    (void)state;
    assert_expr("1 + 2 * 3", "(+ 1 (* 2 3))");
    assert_expr("1 - 2 - 3", "(- (- 1 2) 3)");
    assert_expr("a | b ^ c & d << 1 + 2", "(| a (^ b (& c (<< d (+ 1 2)))))");
    assert_expr("a // b % c / d * e", "(* (/ (% (// a b) c) d) e)");
    assert_expr("a >> b << c", "(<< (>> a b) c)");
    assert_expr("not a == b", "(not (cmp a == b))");
    assert_expr("a or b and not c", "(or a (and b (not c)))");
    assert_expr("a and b or c and d", "(or (and a b) (and c d))");
    assert_expr("a if b or c else d", "(ifexp (or b c) a d)");
    assert_expr("lambda: a if b else c", "(lambda () (ifexp b a c))");
    assert_expr("a | b == c | d", "(cmp (| a b) == (| c d))");
    assert_expr("~a + -b * +c", "(+ (inv a) (* (neg b) (pos c)))");
    assert_expr("f(a)[b].c(d) ** 2", "(** (call (. ([] (call f a) b) c) d) 2)");
}

static void test_power_and_unary(void **state)
{
    (void)state;
    assert_expr("-2**2", "(neg (** 2 2))");
    assert_expr("2**-1", "(** 2 (neg 1))");
    assert_expr("2**3**2", "(** 2 (** 3 2))");
    assert_expr("-a**-b**c", "(neg (** a (neg (** b c))))");
    assert_expr("not not a", "(not (not a))");
    assert_expr("- - 1", "(neg (neg 1))");
}

static void test_chained_comparisons(void **state)
{
    (void)state;
    assert_expr("a < b <= c == d != e > f >= g",
                "(cmp a < b <= c == d != e > f >= g)");
    assert_expr("a in b not in c is d is not e", "(cmp a in b not-in c is d is-not e)");
    assert_expr("a < (b < c)", "(cmp a < (cmp b < c))");
}

static void test_atoms_and_displays(void **state)
{
    (void)state;
    assert_expr("(1, 'a', 2.5, None, True, False, ...)", "(tuple 1 'a' 2.5 None True False ...)");
    assert_expr("()", "(tuple)");
    assert_expr("(1)", "1");
    assert_expr("1,", "(tuple 1)");
    assert_expr("[1, *a, 2,]", "(list 1 (* a) 2)");
    assert_expr("{1, *a}", "(set 1 (* a))");
    assert_expr("{}", "(dict)");
    assert_expr("{'a': 1, **b, c: d,}", "(dict 'a':1 **b c:d)");
    assert_expr("*a, b", "(tuple (* a) b)");
}

static void test_comprehensions(void **state)
{
    (void)state;
    assert_expr("[x for x in y]", "(listcomp x (for x y))");
    assert_expr("[x*y for x in a if x if x > 1 for y in b]",
                "(listcomp (* x y) (for x a if x if (cmp x > 1)) (for y b))");
    assert_expr("{x for x, y in z}", "(setcomp x (for (tuple x y) z))");
    assert_expr("{k: v for k, v in d.items()}", "(dictcomp k:v (for (tuple k v) (call (. d items))))");
    assert_expr("(x for x in y)", "(genexp x (for x y))");
    assert_expr("sum(x for x in y)", "(call sum (genexp x (for x y)))");
    assert_expr("[a if b else c for x in y if d or e]", "(listcomp (ifexp b a c) (for x y if (or d e)))");
}

static void test_calls(void **state)
{
    (void)state;
    assert_expr("f()", "(call f)");
    assert_expr("f(a, *b, c, k=1, *d, **e, m=2)", "(call f a (* b) c (* d) k=1 **e m=2)");
    assert_expr("f(a,)", "(call f a)");
    assert_expr("f(lambda x: x, key=lambda y: -y)", "(call f (lambda (x) x) key=(lambda (y) (neg y)))");
}

static void test_slices(void **state)
{
    (void)state;
    assert_expr("a[1]", "([] a 1)");
    assert_expr("a[1:2:3]", "([] a (slice 1 2 3))");
    assert_expr("a[::2]", "([] a (slice _ _ 2))");
    assert_expr("a[:]", "([] a (slice _ _ _))");
    assert_expr("a[x:]", "([] a (slice x _ _))");
    assert_expr("a[:, x]", "([] a (tuple (slice _ _ _) x))");
    assert_expr("a[1, 2]", "([] a (tuple 1 2))");
    assert_expr("a[-1:][0]", "([] ([] a (slice (neg 1) _ _)) 0)");
}

static void test_strings_concatenate(void **state)
{
    (void)state;
    assert_expr("'a' \"b\" '''c'''", "'abc'");
    assert_expr("b'a' b'b'", "b'ab'");
    assert_expr("'a' f'{x}' 'b'", "(f 'a' (fmt x) 'b')");
    assert_parse("x = 'a' b'b'", "SyntaxError: cannot mix bytes and nonbytes literals @1:9");
}

static void test_fstring_parts(void **state)
{
    (void)state;
    assert_expr("f'a{x}b{y!r}c'", "(f 'a' (fmt x) 'b' (fmt y !r) 'c')");
    assert_expr("f'{x!s}{x!a}'", "(f (fmt x !s) (fmt x !a))");
    assert_expr("f'{{}}{x}}}'", "(f '{}' (fmt x) '}')");
    assert_expr("f'{x:>10}'", "(f (fmt x :(f '>10')))");
    assert_expr("f'{x:{w}.{p}f}'", "(f (fmt x :(f (fmt w) '.' (fmt p) 'f')))");
    assert_expr("f'{x + 1}'", "(f (fmt (+ x 1)))");
    assert_expr("f'{a, b}'", "(f (fmt (tuple a b)))");
    assert_expr("f'{d[\"k\"]:x}'", "(f (fmt ([] d 'k') :(f 'x')))");
    assert_expr("f'{x != y}'", "(f (fmt (cmp x != y)))");
    assert_expr("f'\\t{x}\\x7b'", "(f '\\t' (fmt x) '{')");
    assert_expr("rf'\\t{x}'", "(f '\\\\t' (fmt x))");
}

static void test_fstring_debug_form(void **state)
{
    (void)state;
    assert_expr("f'{x=}'", "(f 'x=' (fmt x !r))");
    assert_expr("f'{ x + 1 = }'", "(f ' x + 1 = ' (fmt (+ x 1) !r))");
    assert_expr("f'{x=!s}'", "(f 'x=' (fmt x !s))");
    assert_expr("f'{x=:>4}'", "(f 'x=' (fmt x :(f '>4')))");
}

static void test_fstring_errors(void **state)
{
    (void)state;
    assert_parse("f'{}'", "SyntaxError: f-string: empty expression not allowed @1:3");
    assert_parse("f'}'", "SyntaxError: f-string: single '}' is not allowed @1:3");
    assert_parse("f'{x!z}'",
                 "SyntaxError: f-string: invalid conversion character: expected 's', 'r', or 'a' @1:3");
    assert_parse("f'{x'", "SyntaxError: f-string: expecting '}' @1:3");
    assert_parse("f'{x:{y:{z}}}'", "SyntaxError: f-string: expressions nested too deeply @1:9");
    assert_parse("f'{a b}'", "SyntaxError: f-string: invalid syntax. Perhaps you forgot a comma? @1:4");
    assert_parse("f'{a)}'", "SyntaxError: f-string: unmatched ')' @1:6");
    assert_parse("f'{yield}'", "SyntaxError: f-string: 'yield' is not supported by gilscope @1:4");
    assert_parse("f'{x\\n}'", "SyntaxError: f-string expression part cannot include a backslash @1:3");
}

static void test_assignments(void **state)
{
    (void)state;
    assert_parse("a = b = 1", "(= a b 1)");
    assert_parse("a, b = b, a", "(= (tuple a b) (tuple b a))");
    assert_parse("first, *rest = x", "(= (tuple first (* rest)) x)");
    assert_parse("[a, (b, c)] = x", "(= (list a (tuple b c)) x)");
    assert_parse("a.b[c] = d.e = 1", "(= ([] (. a b) c) (. d e) 1)");
    assert_parse("(a) = 1", "(= a 1)");
    assert_parse("x = *a, b", "(= x (tuple (* a) b))");
}

static void test_augmented_assignments(void **state)
{
    (void)state;
    assert_parse("a += 1\na -= 1\na *= 1\na /= 1\na //= 1\na %= 1",
                 "(+= a 1)\n(-= a 1)\n(*= a 1)\n(/= a 1)\n(//= a 1)\n(%= a 1)");
    assert_parse("a **= 1\na <<= 1\na >>= 1\na &= 1\na |= 1\na ^= 1",
                 "(**= a 1)\n(<<= a 1)\n(>>= a 1)\n(&= a 1)\n(|= a 1)\n(^= a 1)");
    assert_parse("a.b[0] += 1, 2", "(+= ([] (. a b) 0) (tuple 1 2))");
}

static void test_annotated_assignment(void **state)
{
    (void)state;
    assert_parse("x: int = 1", "(ann x int 1)");
    assert_parse("x: 'List[int]'", "(ann x 'List[int]' _)");
    assert_parse("self.x: int = 0", "(ann (. self x) int 0)");
}

static void test_if_while_for(void **state)
{
    (void)state;
    assert_parse("if a:\n    b\nelif c:\n    d\nelif e: f\nelse:\n    g\n",
                 "(if a (do (expr b)) (else (if c (do (expr d)) (else (if e (do (expr f)) (else (expr g)))))))");
    assert_parse("while a:\n    break\nelse:\n    pass\n", "(while a (do break) (else pass))");
    assert_parse("for i, (j, k) in x, y:\n    continue\nelse: pass\n",
                 "(for (tuple i (tuple j k)) (tuple x y) (do continue) (else pass))");
    assert_parse("if a: b; c\n", "(if a (do (expr b) (expr c)))");
}

static void test_def(void **state)
{
    (void)state;
    assert_parse("def f(a, b=1, *args, c, d=2, **kw):\n    return a\n",
                 "(def f (a b=1 *args kw:c kw:d=2 **kw) (do (return a)))");
    assert_parse("def f(*, k): pass", "(def f (kw:k) (do pass))");
    assert_parse("def f(a: int, b: str = 'x') -> None:\n    return\n",
                 "(def f (a b='x') (do (return _)))");
    assert_parse("@d1\n@d2.x(1)\ndef f(): pass",
                 "(def f () (@ d1 (call (. d2 x) 1)) (do pass))");
    assert_expr("lambda a, b=2, *c, d, **e: a", "(lambda (a b=2 *c kw:d **e) a)");
    assert_expr("lambda *, k=1: k", "(lambda (kw:k=1) k)");
}

static void test_class(void **state)
{
    (void)state;
    assert_parse("class A: pass", "(class A (bases) (do pass))");
    assert_parse("class B(A, metaclass=M):\n    x = 1\n    def m(self): pass\n",
                 "(class B (bases A) (kw metaclass=M) (do (= x 1) (def m (self) (do pass))))");
    assert_parse("@dec\nclass C(): ...", "(class C (bases) (@ dec) (do (expr ...)))");
}

static void test_try(void **state)
{
    (void)state;
    assert_parse("try:\n    a\nexcept (A, B) as e:\n    b\nexcept C:\n    c\nexcept:\n    d\n"
                 "else:\n    f\nfinally:\n    g\n",
                 "(try (do (expr a)) (except (tuple A B) e (do (expr b))) (except C _ (do (expr c)))"
                 " (except _ _ (do (expr d))) (else (expr f)) (finally (expr g)))");
    assert_parse("try:\n    a\nfinally:\n    b\n", "(try (do (expr a)) (finally (expr b)))");
    assert_parse("try:\n    a\nx = 1\n", "SyntaxError: expected 'except' or 'finally' block @3:1");
    assert_parse("try:\n    a\nexcept:\n    b\nexcept E:\n    c\n",
                 "SyntaxError: default 'except:' must be last @3:1");
}

static void test_simple_statements(void **state)
{
    (void)state;
    assert_parse("raise", "(raise _ _)");
    assert_parse("raise E('x') from err", "(raise (call E 'x') err)");
    assert_parse("with a as b, c as (d, e), f:\n    pass\n",
                 "(with (item a b) (item c (tuple d e)) (item f _) (do pass))");
    assert_parse("assert x, 'msg'\nassert y", "(assert x 'msg')\n(assert y _)");
    assert_parse("def f():\n    global a, b\n    nonlocal c\n",
                 "(def f () (do (global a b) (nonlocal c)))");
    assert_parse("del a, b[0], c.d\ndel (e, f)", "(del a ([] b 0) (. c d))\n(del (tuple e f))");
    assert_parse("pass; pass;", "pass\npass");
}

static void test_imports(void **state)
{
    (void)state;
    assert_parse("import a, b.c as d, e.f", "(import a b.c->d e.f)");
    assert_parse("from m import x, y as z", "(from m x y->z)");
    assert_parse("from a.b import (x,\n    y as z,)", "(from a.b x y->z)");
    assert_parse("from m import *", "(from m *)");
    assert_parse("from . import x\nfrom ..p.q import y", "(from . x)\n(from ..p.q y)");
}

static void test_target_errors(void **state)
{
    (void)state;
    assert_parse("1 = x", "SyntaxError: cannot assign to literal here. Maybe you meant '==' instead of '='? @1:1");
    assert_parse("f() = 1",
                 "SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='? @1:1");
    assert_parse("a = 1 = 2", "SyntaxError: cannot assign to literal @1:5");
    assert_parse("None = 1", "SyntaxError: cannot assign to None @1:1");
    assert_parse("for 1 in x: pass", "SyntaxError: cannot assign to literal @1:5");
    assert_parse("[x for f() in y]", "SyntaxError: cannot assign to function call @1:8");
    assert_parse("a + 1 += 1", "SyntaxError: 'expression' is an illegal expression for augmented assignment @1:1");
    assert_parse("a, b += 1", "SyntaxError: 'tuple' is an illegal expression for augmented assignment @1:1");
    assert_parse("a, b: int", "SyntaxError: only single target (not tuple) can be annotated @1:1");
    assert_parse("del f()", "SyntaxError: cannot delete function call @1:5");
    assert_parse("del *a, b", "SyntaxError: cannot delete starred @1:5");
    assert_parse("*a = b", "SyntaxError: starred assignment target must be in a list or tuple @1:1");
    assert_parse("*a, *b = c", "SyntaxError: multiple starred expressions in assignment @1:1");
    assert_parse("a = *b", "SyntaxError: can't use starred expression here @1:5");
    assert_parse("print((*a))", "SyntaxError: cannot use starred expression here @1:8");
}

static void test_indentation_errors(void **state)
{
    (void)state;
    assert_parse("x = 1\n    y = 2\n", "IndentationError: unexpected indent @2:5");
    assert_parse("if x:\ny = 1\n",
                 "IndentationError: expected an indented block after 'if' statement on line 1 @2:1");
    assert_parse("\n\ndef f():\n\nreturn 1\n",
                 "IndentationError: expected an indented block after function definition on line 3 @5:1");
    assert_parse("class C:\n", "IndentationError: expected an indented block after class definition on line 1 @2:1");
    assert_parse("for x in y:\n    pass\nelse:\nz\n",
                 "IndentationError: expected an indented block after 'else' statement on line 3 @4:1");
    assert_parse("if a:\n    b\n  c\n",
                 "IndentationError: unindent does not match any outer indentation level @3:3");
    assert_parse("if a:\n\tb\n        c\n",
                 "TabError: inconsistent use of tabs and spaces in indentation @3:9");
}

static void test_syntax_errors(void **state)
{
    (void)state;
    assert_parse("x = 1 2", "SyntaxError: invalid syntax @1:7");
    assert_parse("x = 1 +", "SyntaxError: invalid syntax @1:8");
    assert_parse("if x\n    pass\n", "SyntaxError: expected ':' @1:5");
    assert_parse("x = [1, 2 3]", "SyntaxError: invalid syntax. Perhaps you forgot a comma? @1:9");
    assert_parse("x = 5 if 3", "SyntaxError: expected 'else' after 'if' expression @1:5");
    assert_parse("print 'x'", "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)? @1:1");
    assert_parse("if x = 1: pass",
                 "SyntaxError: invalid syntax. Maybe you meant '==' or ':=' instead of '='? @1:4");
    assert_parse("x = {1: 2, 3}", "SyntaxError: ':' expected after dictionary key @1:12");
    assert_parse("@d\nx = 1", "SyntaxError: invalid syntax @2:1");
    assert_parse("x = (1,\n2\n", "SyntaxError: '(' was never closed @1:5");
    assert_parse("x = 'abc\n", "SyntaxError: unterminated string literal (detected at line 1) @1:5");
    assert_parse("a.if = 1", "SyntaxError: invalid syntax @1:3");
}

static void test_call_errors(void **state)
{
    (void)state;
    assert_parse("f(a=1, b)", "SyntaxError: positional argument follows keyword argument @1:8");
    assert_parse("f(**a, b)", "SyntaxError: positional argument follows keyword argument unpacking @1:8");
    assert_parse("f(**a, *b)", "SyntaxError: iterable argument unpacking follows keyword argument unpacking @1:8");
    assert_parse("f(x for x in y, 1)", "SyntaxError: Generator expression must be parenthesized @1:3");
    assert_parse("f(a+1=2)", "SyntaxError: expression cannot contain assignment, perhaps you meant \"==\"? @1:3");
    assert_parse("f(a=1, a=2)", "SyntaxError: keyword argument repeated: a @1:8");
}

static void test_param_errors(void **state)
{
    (void)state;
    assert_parse("def f(a=1, b): pass", "SyntaxError: non-default argument follows default argument @1:12");
    assert_parse("def f(*): pass", "SyntaxError: named arguments must follow bare * @1:7");
    assert_parse("def f(a, a): pass", "SyntaxError: duplicate argument 'a' in function definition @1:10");
    assert_parse("def f(**k, a): pass", "SyntaxError: arguments cannot follow var-keyword argument @1:12");
    assert_parse("def f(*a, *b): pass", "SyntaxError: * argument may appear only once @1:11");
}

static void test_context_errors(void **state)
{
    (void)state;
    assert_parse("break", "SyntaxError: 'break' outside loop @1:1");
    assert_parse("for x in y:\n    def f():\n        continue\n",
                 "SyntaxError: 'continue' not properly in loop @3:9");
    assert_parse("return 1", "SyntaxError: 'return' outside function @1:1");
    assert_parse("class C:\n    return\n", "SyntaxError: 'return' outside function @2:5");
    assert_parse("nonlocal x", "SyntaxError: nonlocal declaration not allowed at module level @1:1");
    assert_parse("while x:\n    if y:\n        break\n", "(while x (do (if y (do break))))");
}

static void test_unsupported_features(void **state)
{
    (void)state;
    assert_parse("def f():\n    yield 1\n", "SyntaxError: 'yield' is not supported by gilscope @2:5");
    assert_parse("x = yield", "SyntaxError: 'yield' is not supported by gilscope @1:5");
    assert_parse("async def f(): pass", "SyntaxError: 'async' is not supported by gilscope @1:1");
    assert_parse("x = await y", "SyntaxError: 'await' is not supported by gilscope @1:5");
    assert_parse("if (n := 10) > 5: pass", "SyntaxError: ':=' is not supported by gilscope @1:7");
    assert_parse("match x:\n    case 1: pass\n", "SyntaxError: 'match' is not supported by gilscope @1:1");
    assert_parse("match (x):\n    case 1: pass\n", "SyntaxError: 'match' is not supported by gilscope @1:1");
    assert_parse("match = 1\nmatch(2)", "(= match 1)\n(expr (call match 2))");
    assert_parse("x = 1j", "SyntaxError: imaginary literals are not supported by gilscope @1:5");
}

static void test_deep_nesting(void **state)
{
    (void)state;
    char *src = repeat("(", 10000, "1", ")", 10000);
    char *got = parse_dump(src);
    assert_string_equal(got, "SyntaxError: too many nested parentheses @1:201");
    free(got);
    free(src);

    src = repeat("-", 10000, "1", "", 0);
    got = parse_dump(src);
    assert_non_null(strstr(got, "SyntaxError: expression too deeply nested"));
    free(got);
    free(src);

    src = repeat("not ", 5000, "1", "", 0);
    got = parse_dump(src);
    assert_non_null(strstr(got, "SyntaxError: expression too deeply nested"));
    free(got);
    free(src);

    src = repeat("1+", 100000, "1", "", 0);
    got = parse_dump(src);
    assert_non_null(strstr(got, "SyntaxError: expression too deeply nested"));
    free(got);
    free(src);

    src = repeat("lambda: ", 5000, "1", "", 0);
    got = parse_dump(src);
    assert_non_null(strstr(got, "SyntaxError: expression too deeply nested"));
    free(got);
    free(src);

    /* deep but reasonable nesting still parses */
    src = repeat("[", 150, "1", "]", 150);
    got = parse_dump(src);
    assert_int_equal(strncmp(got, "(expr (list (list", 17), 0);
    free(got);
    free(src);
}

static void test_positions(void **state)
{
    (void)state;
    Arena *a = arena_new();
    ParseError err;
    const char *src = "x = 1\nif y:\n    z = a + f(b)\n";
    Node *m = parse_module("t.py", src, strlen(src), a, &err);
    assert_non_null(m);
    assert_int_equal(m->kind, N_MODULE);
    assert_int_equal(m->body.len, 2);
    Node *s = m->body.items[1];
    assert_int_equal(s->kind, S_IF);
    assert_int_equal(s->line, 2);
    Node *asg = s->body.items[0];
    assert_int_equal(asg->kind, S_ASSIGN);
    assert_int_equal(asg->line, 3);
    assert_int_equal(asg->col, 5);
    Node *add = asg->a;
    assert_int_equal(add->kind, E_BINOP);
    assert_int_equal(add->op, BINOP_ADD);
    assert_int_equal(add->col, 9);
    assert_int_equal(add->b->kind, E_CALL);
    assert_int_equal(add->b->col, 13);
    assert_int_equal(add->b->list.items[0]->col, 15);
    arena_free(a);
}

static void test_string_values(void **state)
{
    (void)state;
    Arena *a = arena_new();
    ParseError err;
    const char *src = "s = 'a\\0b' 'c'\n";
    Node *m = parse_module("t.py", src, strlen(src), a, &err);
    assert_non_null(m);
    Node *v = m->body.items[0]->a;
    assert_int_equal(v->kind, E_STR);
    assert_int_equal(v->slen, 4);
    assert_memory_equal(v->str, "a\0bc", 5);
    arena_free(a);
}

static void test_every_prefix_fails_cleanly(void **state)
{
    (void)state;
    const char *prog =
        "import threading\n"
        "def work(n, *a, k=1, **kw):\n"
        "    total = 0\n"
        "    for i in range(n):\n"
        "        if i % 3 == 0 and not (i > 5 or i < -2):\n"
        "            total += i ** 2\n"
        "        elif i: continue\n"
        "    return [x for x in (1, 2) if x], {'a': 1, **kw}, f'{total!r:>{n}}', b'\\x00'\n"
        "class T(threading.Thread):\n"
        "    def run(self):\n"
        "        try:\n"
        "            with lock as l: pass\n"
        "        except (A, B) as e:\n"
        "            raise X from e\n"
        "        finally:\n"
        "            del self.x\n"
        "x = '''multi\nline''' + \\\n  r\"raw\"\n";
    size_t n = strlen(prog);
    int ok = 0;
    for (size_t k = 0; k <= n; k++) {
        char *buf = malloc(k ? k : 1);     /* exact size: overreads show under ASan */
        memcpy(buf, prog, k);
        Arena *a = arena_new();
        ParseError err;
        Node *m = parse_module("t.py", buf, k, a, &err);
        if (m)
            ok++;
        else
            assert_true(err.line >= 1 && err.col >= 1 && err.msg[0] && err.kind[0]);
        arena_free(a);
        free(buf);
    }
    assert_true(ok > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_power_and_unary),
        cmocka_unit_test(test_chained_comparisons),
        cmocka_unit_test(test_atoms_and_displays),
        cmocka_unit_test(test_comprehensions),
        cmocka_unit_test(test_calls),
        cmocka_unit_test(test_slices),
        cmocka_unit_test(test_strings_concatenate),
        cmocka_unit_test(test_fstring_parts),
        cmocka_unit_test(test_fstring_debug_form),
        cmocka_unit_test(test_fstring_errors),
        cmocka_unit_test(test_assignments),
        cmocka_unit_test(test_augmented_assignments),
        cmocka_unit_test(test_annotated_assignment),
        cmocka_unit_test(test_if_while_for),
        cmocka_unit_test(test_def),
        cmocka_unit_test(test_class),
        cmocka_unit_test(test_try),
        cmocka_unit_test(test_simple_statements),
        cmocka_unit_test(test_imports),
        cmocka_unit_test(test_target_errors),
        cmocka_unit_test(test_indentation_errors),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_call_errors),
        cmocka_unit_test(test_param_errors),
        cmocka_unit_test(test_context_errors),
        cmocka_unit_test(test_unsupported_features),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_string_values),
        cmocka_unit_test(test_every_prefix_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
