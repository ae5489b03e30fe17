/*
 * parser.c -- recursive descent from tokens to the tree of ast.h.
 *
 * One function per grammar rule of CPython's grammar, from the loosest
 * binding to the tightest (expression > disjunction > ... > primary > atom),
 * with one token of lookahead (two for the soft keyword 'match').  The first
 * error wins: it is recorded in the ParseError and every rule then unwinds
 * returning NULL, so no rule needs to check more than its own calls.
 *
 * F-strings: the lexer hands over the contents with the literal text
 * decoded and the replacement fields verbatim (see lexer.c); here they are
 * split into E_STR and E_FORMATTED parts, and each field's expression is
 * parsed by a nested parser over "(" expression ")", as CPython does.
 */
#include "parser.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lexer.h"
#include "vm.h"

/* Nesting beyond this is refused rather than risking the C stack, here and
 * in the compiler that walks the tree recursively.  Brackets are limited to
 * 200 by the lexer; this catches the rest: unary chains, "not not ...",
 * nested lambdas and conditionals, and long left-leaning chains such as
 * a+b+...+z or a.b.c... whose trees are as deep as they are long. */
#define PARSE_MAX_DEPTH 1000
#define PARSE_MAX_FSTRING_NEST 2

typedef struct Parser {
    Lexer *lx;
    Arena *arena;
    ParseError *err;
    const char *path;
    Token tok;                  /* the current token */
    Token ahead;                /* the one after it, when has_ahead */
    bool has_ahead;
    bool failed;
    int depth;                  /* rule nesting, see PARSE_MAX_DEPTH */
    int loops;                  /* enclosing loops in this function */
    int funcs;                  /* enclosing function bodies */
    int line_off, col_off;      /* a nested f-string parse: where it sits */
} Parser;

static Node *parse_expression(Parser *P);
static Node *parse_disjunction(Parser *P);
static Node *parse_bitor(Parser *P);
static Node *parse_factor(Parser *P);
static Node *parse_star_expressions(Parser *P);
static void parse_statement(Parser *P, NodeList *out);
static void parse_simple_stmts(Parser *P, NodeList *out);
static bool parse_at_stmt_end(const Parser *P);
static void parse_fstring_into(Parser *P, const char *s, size_t n, int line, int col,
                               int nest, NodeList *parts);

/* ---- errors ------------------------------------------------------------ */

static void parse_error_kind(Parser *P, const char *kind, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void parse_error_kind(Parser *P, const char *kind, int line, int col, const char *fmt, ...)
{
    if (P->failed)
        return;
    P->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(P->err->msg, sizeof P->err->msg, fmt, ap);
    va_end(ap);
    snprintf(P->err->kind, sizeof P->err->kind, "%s", kind);
    P->err->line = line;
    P->err->col = col;
}

#define parse_error_at(P, line, col, ...) parse_error_kind(P, "SyntaxError", line, col, __VA_ARGS__)
#define parse_error(P, ...) parse_error_at(P, (P)->tok.line, (P)->tok.col, __VA_ARGS__)

/* The kind of a lexer error follows from its message, as in CPython. */
static const char *parse_lexer_error_kind(const char *msg)
{
    if (strncmp(msg, "inconsistent use of tabs", 24) == 0)
        return "TabError";
    if (strncmp(msg, "unindent does not match", 23) == 0 ||
        strncmp(msg, "too many levels of indentation", 30) == 0)
        return "IndentationError";
    return "SyntaxError";
}

static bool parse_is_kw(const Parser *P, int kw)
{
    return P->tok.kind == T_KEYWORD && P->tok.op == kw;
}

static bool parse_is_op(const Parser *P, int op)
{
    return P->tok.kind == T_OP && P->tok.op == op;
}

/* Reports the current token as unexpected.  Tokens that start a feature
 * gilscope leaves out get a message naming it instead of a bare
 * "invalid syntax". */
static void parse_unexpected(Parser *P, const char *msg)
{
    const Token *t = &P->tok;
    if (t->kind == T_INDENT) {
        parse_error_kind(P, "IndentationError", t->line, t->col, "unexpected indent");
    } else if (t->kind == T_KEYWORD && (t->op == KW_YIELD || t->op == KW_ASYNC || t->op == KW_AWAIT)) {
        parse_error(P, "'%.*s' is not supported by gilscope", (int)t->len, t->text);
    } else if (parse_is_op(P, TOK_COLONEQUAL)) {
        parse_error(P, "':=' is not supported by gilscope");
    } else {
        parse_error(P, "%s", msg ? msg : "invalid syntax");
    }
}

/* ---- tokens ------------------------------------------------------------ */

static Token parse_lex(Parser *P)
{
    Token t = lexer_next(P->lx);
    if (P->line_off || P->col_off) {
        if (t.line == 1)
            t.col += P->col_off;
        t.line += P->line_off;
    }
    if (t.kind == T_ERROR && !P->failed) {
        int line, col;
        const char *msg = lexer_error(P->lx, &line, &col);
        if (line == 1)
            col += P->col_off;
        line += P->line_off;
        parse_error_kind(P, parse_lexer_error_kind(msg), line, col, "%s", msg);
    }
    return t;
}

static void parse_advance(Parser *P)
{
    if (P->tok.kind == T_ERROR)
        return;
    if (P->has_ahead) {
        P->tok = P->ahead;
        P->has_ahead = false;
    } else {
        P->tok = parse_lex(P);
    }
}

static const Token *parse_peek(Parser *P)
{
    if (!P->has_ahead) {
        if (P->tok.kind == T_ERROR)
            return &P->tok;
        P->ahead = parse_lex(P);
        P->has_ahead = true;
    }
    return &P->ahead;
}

static bool parse_accept_op(Parser *P, int op)
{
    if (P->failed || !parse_is_op(P, op))
        return false;
    parse_advance(P);
    return true;
}

static bool parse_accept_kw(Parser *P, int kw)
{
    if (P->failed || !parse_is_kw(P, kw))
        return false;
    parse_advance(P);
    return true;
}

static bool parse_expect_op(Parser *P, int op, const char *msg)
{
    if (parse_accept_op(P, op))
        return true;
    parse_unexpected(P, msg);
    return false;
}

/* Whether the current token can begin an expression. */
static bool parse_starts_expr(const Parser *P)
{
    const Token *t = &P->tok;
    switch (t->kind) {
    case T_NAME: case T_INT: case T_FLOAT: case T_STRING: case T_BYTES: case T_FSTRING:
        return true;
    case T_KEYWORD:
        return t->op == KW_NOT || t->op == KW_LAMBDA || t->op == KW_TRUE || t->op == KW_FALSE ||
               t->op == KW_NONE || t->op == KW_AWAIT || t->op == KW_YIELD;
    case T_OP:
        return t->op == TOK_LPAR || t->op == TOK_LSQB || t->op == TOK_LBRACE ||
               t->op == TOK_MINUS || t->op == TOK_PLUS || t->op == TOK_TILDE ||
               t->op == TOK_STAR || t->op == TOK_ELLIPSIS;
    default:
        return false;
    }
}

/* Whether the current token can begin an atom (for the comma hint). */
static bool parse_starts_atom(const Parser *P)
{
    const Token *t = &P->tok;
    if (t->kind == T_OP)
        return t->op == TOK_LPAR || t->op == TOK_LSQB || t->op == TOK_LBRACE || t->op == TOK_ELLIPSIS;
    return parse_starts_expr(P) && !(t->kind == T_KEYWORD && (t->op == KW_NOT || t->op == KW_YIELD));
}

/* In a bracketed list, after item prev, the token is neither ',' nor the
 * closer: CPython's "Perhaps you forgot a comma?" when another expression
 * follows directly. */
static void parse_list_error(Parser *P, const Node *prev)
{
    if (P->failed)
        return;
    if (prev && parse_starts_atom(P) &&
        !(prev->kind == E_NAME && (P->tok.kind == T_STRING || P->tok.kind == T_FSTRING)))
        parse_error_at(P, prev->line, prev->col, "invalid syntax. Perhaps you forgot a comma?");
    else
        parse_unexpected(P, NULL);
}

/* ---- nodes ------------------------------------------------------------- */

static Node *parse_node(Parser *P, int kind, int line, int col)
{
    Node *n = arena_alloc(P->arena, sizeof *n);
    n->kind = kind;
    n->line = line;
    n->col = col;
    return n;
}

static Node *parse_node2(Parser *P, int kind, int op, Node *a, Node *b)
{
    Node *n = parse_node(P, kind, a->line, a->col);
    n->op = op;
    n->a = a;
    n->b = b;
    return n;
}

static const char *parse_tok_str(Parser *P)
{
    return arena_strndup(P->arena, P->tok.text, P->tok.len);
}

static bool parse_enter(Parser *P)
{
    if (++P->depth > PARSE_MAX_DEPTH) {
        parse_error(P, "expression too deeply nested");
        return false;
    }
    return true;
}

/* ---- target validation ------------------------------------------------- */

/* CPython's name for an expression that cannot be a target. */
static const char *parse_describe(const Node *e)
{
    switch (e->kind) {
    case E_INT: case E_FLOAT: case E_STR: case E_BYTES: return "literal";
    case E_ELLIPSIS: return "ellipsis";
    case E_TRUE: return "True";
    case E_FALSE: return "False";
    case E_NONE: return "None";
    case E_CALL: return "function call";
    case E_COMPARE: return "comparison";
    case E_IFEXP: return "conditional expression";
    case E_LAMBDA: return "lambda";
    case E_FSTRING: return "f-string expression";
    case E_LISTCOMP: return "list comprehension";
    case E_SETCOMP: return "set comprehension";
    case E_DICTCOMP: return "dict comprehension";
    case E_GENEXP: return "generator expression";
    case E_DICT: return "dict literal";
    case E_SET: return "set display";
    case E_TUPLE: return "tuple";
    case E_LIST: return "list";
    case E_STARRED: return "starred";
    default: return "expression";
    }
}

enum { TARGET_ASSIGN, TARGET_DEL };

/* Checks that e can be assigned to (or deleted); hint adds CPython's
 * "Maybe you meant '=='" for the single target of a plain assignment. */
static bool parse_check_target(Parser *P, const Node *e, int ctx, bool hint)
{
    if (P->failed || !e)
        return false;
    switch (e->kind) {
    case E_NAME: case E_ATTR: case E_SUBSCRIPT:
        return true;
    case E_TUPLE: case E_LIST: {
        int stars = 0;
        for (int i = 0; i < e->list.len; i++) {
            const Node *it = e->list.items[i];
            if (it->kind == E_STARRED) {
                if (ctx == TARGET_DEL) {
                    parse_error_at(P, it->line, it->col, "cannot delete starred");
                    return false;
                }
                if (++stars > 1) {
                    parse_error_at(P, e->line, e->col, "multiple starred expressions in assignment");
                    return false;
                }
                if (!parse_check_target(P, it->a, ctx, false))
                    return false;
            } else if (!parse_check_target(P, it, ctx, false)) {
                return false;
            }
        }
        return true;
    }
    case E_STARRED:
        if (ctx == TARGET_DEL)
            parse_error_at(P, e->line, e->col, "cannot delete starred");
        else
            parse_error_at(P, e->line, e->col, "starred assignment target must be in a list or tuple");
        return false;
    default:
        if (ctx == TARGET_DEL)
            parse_error_at(P, e->line, e->col, "cannot delete %s", parse_describe(e));
        else
            parse_error_at(P, e->line, e->col, "cannot assign to %s%s", parse_describe(e),
                           hint && e->kind != E_TRUE && e->kind != E_FALSE && e->kind != E_NONE ? " here. Maybe you meant '==' instead of '='?" : "");
        return false;
    }
}

/* ---- strings and f-strings --------------------------------------------- */

/* Parses one f-string field's expression s[0..n) (line/col: where s
 * starts in the source) with a nested parser over "(" s ")". */
static Node *parse_fstring_expr(Parser *P, const char *s, size_t n, int line, int col)
{
    char *buf = arena_alloc(P->arena, n + 3);
    buf[0] = '(';
    memcpy(buf + 1, s, n);
    buf[n + 1] = ')';
    Lexer *lx = lexer_new(P->path, buf, n + 2, P->arena);
    Parser sub;
    memset(&sub, 0, sizeof sub);
    sub.lx = lx;
    sub.arena = P->arena;
    sub.err = P->err;
    sub.path = P->path;
    sub.depth = P->depth;
    sub.loops = P->loops;
    sub.funcs = P->funcs;
    sub.line_off = line - 1;
    sub.col_off = col - 2;
    sub.tok.kind = T_NEWLINE;
    Node *e = NULL;
    if (!lx) {
        parse_error_at(P, line, col, "out of memory");
        return NULL;
    }
    parse_advance(&sub);
    e = parse_expression(&sub);
    if (!sub.failed && sub.tok.kind == T_NEWLINE)
        parse_advance(&sub);
    if (!sub.failed && sub.tok.kind != T_EOF)
        parse_unexpected(&sub, "f-string: expecting '}'");
    lexer_free(lx);
    if (sub.failed) {
        /* CPython names the f-string in errors from inside a field */
        if (strncmp(P->err->msg, "f-string", 8) != 0) {
            char msg[sizeof P->err->msg];
            snprintf(msg, sizeof msg, "f-string: %.*s", (int)(sizeof msg - 11), P->err->msg);
            memcpy(P->err->msg, msg, sizeof msg);
        }
        P->failed = true;
        return NULL;
    }
    return e;
}

/* Where offset off of f-string contents s lies in the source, given that
 * s[0] is at line/col.  Exact unless escapes precede it on its line. */
static void parse_fstring_pos(const char *s, size_t off, int line, int col, int *oline, int *ocol)
{
    size_t last = (size_t)-1;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n') {
            line++;
            last = i;
        }
    *oline = line;
    *ocol = last == (size_t)-1 ? col + (int)off : (int)(off - last);
}

static void parse_push_literal(Parser *P, NodeList *parts, const char *s, size_t n, int line, int col)
{
    if (n == 0)
        return;
    if (parts->len > 0) {
        Node *prev = parts->items[parts->len - 1];
        if (prev->kind == E_STR) {
            char *cat = arena_alloc(P->arena, prev->slen + n + 1);
            memcpy(cat, prev->str, prev->slen);
            memcpy(cat + prev->slen, s, n);
            prev->str = cat;
            prev->slen += n;
            return;
        }
    }
    Node *lit = parse_node(P, E_STR, line, col);
    lit->str = arena_strndup(P->arena, s, n);
    lit->slen = n;
    nodelist_push(P->arena, parts, lit);
}

/* Finds the end of a field's expression: the first '}', ':' or '!' (not
 * "!=") outside brackets and quotes.  Returns n if there is none. */
static size_t parse_fstring_expr_end(const char *s, size_t i, size_t n)
{
    int depth = 0;
    char quote = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '(' || c == '[' || c == '{') {
            depth++;
        } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
            depth--;
        } else if (depth == 0 && (c == '}' || c == ':' || (c == '!' && (i + 1 >= n || s[i + 1] != '=')))) {
            return i;
        }
    }
    return n;
}

/* Parses a replacement field starting at s[*i] == '{' and appends its parts. */
static void parse_fstring_field(Parser *P, const char *s, size_t n, size_t *i, int line, int col,
                                int nest, NodeList *parts)
{
    size_t start = *i + 1;
    int fl, fc;
    parse_fstring_pos(s, *i, line, col, &fl, &fc);
    if (nest >= PARSE_MAX_FSTRING_NEST) {
        parse_error_at(P, fl, fc, "f-string: expressions nested too deeply");
        return;
    }
    size_t k = parse_fstring_expr_end(s, start, n);
    if (k >= n) {
        parse_error_at(P, fl, fc, "f-string: expecting '}'");
        return;
    }
    /* the expression, and the f"{x=}" debug form */
    size_t e_end = k;
    bool debug = false;
    while (e_end > start && (s[e_end - 1] == ' ' || s[e_end - 1] == '\t' || s[e_end - 1] == '\n'))
        e_end--;
    if (e_end > start && s[e_end - 1] == '=' &&
        !(e_end - 1 > start && strchr("=!<>", s[e_end - 2]))) {
        debug = true;
        e_end--;
    }
    bool blank = true;
    for (size_t j = start; j < e_end; j++) {
        if (s[j] == '\\') {
            parse_error_at(P, fl, fc, "f-string expression part cannot include a backslash");
            return;
        }
        if (s[j] != ' ' && s[j] != '\t' && s[j] != '\n')
            blank = false;
    }
    if (blank) {
        parse_error_at(P, fl, fc, "f-string: empty expression not allowed");
        return;
    }
    int el, ec;
    parse_fstring_pos(s, start, line, col, &el, &ec);
    Node *expr = parse_fstring_expr(P, s + start, e_end - start, el, ec);
    if (!expr)
        return;
    if (debug)
        parse_push_literal(P, parts, s + start, k - start, fl, fc);

    Node *f = parse_node(P, E_FORMATTED, fl, fc);
    f->a = expr;
    if (s[k] == '!') {
        char conv = k + 1 < n ? s[k + 1] : 0;
        if (conv != 'r' && conv != 's' && conv != 'a') {
            parse_error_at(P, fl, fc, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
            return;
        }
        f->conv = conv;
        k += 2;
        if (k >= n || (s[k] != ':' && s[k] != '}')) {
            parse_error_at(P, fl, fc, "f-string: expecting '}'");
            return;
        }
    }
    if (s[k] == ':') {
        size_t spec = ++k;
        int depth = 0;
        while (k < n && !(s[k] == '}' && depth == 0)) {
            if (s[k] == '{')
                depth++;
            else if (s[k] == '}')
                depth--;
            k++;
        }
        if (k >= n) {
            parse_error_at(P, fl, fc, "f-string: expecting '}'");
            return;
        }
        int sl, sc;
        parse_fstring_pos(s, spec, line, col, &sl, &sc);
        Node *sn = parse_node(P, E_FSTRING, sl, sc);
        parse_fstring_into(P, s + spec, k - spec, sl, sc, nest + 1, &sn->list);
        if (P->failed)
            return;
        f->b = sn;
    }
    if (debug && f->conv == 0 && f->b == NULL)
        f->conv = 'r';
    *i = k + 1;
    nodelist_push(P->arena, parts, f);
}

/* Splits f-string contents s[0..n) into parts (see lexer.c for what the
 * lexer has already decoded). */
static void parse_fstring_into(Parser *P, const char *s, size_t n, int line, int col,
                               int nest, NodeList *parts)
{
    char *lit = arena_alloc(P->arena, n + 1);
    size_t nl = 0, i = 0, lit_start = 0;
    while (i < n && !P->failed) {
        char c = s[i];
        if (c == '{' && i + 1 < n && s[i + 1] == '{' && nest == 0) {
            lit[nl++] = '{';
            i += 2;
        } else if (c == '}' && i + 1 < n && s[i + 1] == '}' && nest == 0) {
            lit[nl++] = '}';
            i += 2;
        } else if (c == '{') {
            int ll, lc;
            parse_fstring_pos(s, lit_start, line, col, &ll, &lc);
            parse_push_literal(P, parts, lit, nl, ll, lc);
            nl = 0;
            parse_fstring_field(P, s, n, &i, line, col, nest, parts);
            lit_start = i;
        } else if (c == '}') {
            int ll, lc;
            parse_fstring_pos(s, i, line, col, &ll, &lc);
            parse_error_at(P, ll, lc, "f-string: single '}' is not allowed");
        } else {
            lit[nl++] = c;
            i++;
        }
    }
    if (!P->failed) {
        int ll, lc;
        parse_fstring_pos(s, lit_start, line, col, &ll, &lc);
        parse_push_literal(P, parts, lit, nl, ll, lc);
    }
}

/* Adjacent string literals: one E_STR or E_BYTES, or an E_FSTRING as soon
 * as one of them is an f-string. */
static Node *parse_strings(Parser *P)
{
    int line = P->tok.line, col = P->tok.col;
    int cap = 4, n = 0;
    Token *toks = arena_alloc(P->arena, (size_t)cap * sizeof *toks);
    bool bytes = false, text = false, fstr = false;
    size_t total = 0;
    while (!P->failed && (P->tok.kind == T_STRING || P->tok.kind == T_BYTES || P->tok.kind == T_FSTRING)) {
        if (n == cap) {
            Token *nt = arena_alloc(P->arena, (size_t)cap * 2 * sizeof *nt);
            memcpy(nt, toks, (size_t)n * sizeof *nt);
            toks = nt;
            cap *= 2;
        }
        toks[n++] = P->tok;
        if (P->tok.kind == T_BYTES)
            bytes = true;
        else
            text = true;
        if (P->tok.kind == T_FSTRING)
            fstr = true;
        if (bytes && text) {
            parse_error(P, "cannot mix bytes and nonbytes literals");
            return NULL;
        }
        total += P->tok.slen;
        parse_advance(P);
    }
    if (P->failed)
        return NULL;
    if (!fstr) {
        Node *s = parse_node(P, bytes ? E_BYTES : E_STR, line, col);
        char *buf = arena_alloc(P->arena, total + 1);
        size_t o = 0;
        for (int i = 0; i < n; i++) {
            memcpy(buf + o, toks[i].str, toks[i].slen);
            o += toks[i].slen;
        }
        s->str = buf;
        s->slen = total;
        return s;
    }
    Node *f = parse_node(P, E_FSTRING, line, col);
    for (int i = 0; i < n && !P->failed; i++) {
        const Token *t = &toks[i];
        if (t->kind == T_STRING) {
            parse_push_literal(P, &f->list, t->str, t->slen, t->line, t->col);
            continue;
        }
        /* where the contents start: after the prefix and the quotes */
        size_t q = 0;
        while (q < t->len && t->text[q] != '\'' && t->text[q] != '"')
            q++;
        if (q + 2 < t->len && t->text[q + 1] == t->text[q] && t->text[q + 2] == t->text[q])
            q += 3;
        else
            q += 1;
        parse_fstring_into(P, t->str, t->slen, t->line, t->col + (int)q, 0, &f->list);
    }
    return P->failed ? NULL : f;
}

/* ---- atoms ------------------------------------------------------------- */

static Node *parse_star_or_expr(Parser *P)
{
    if (parse_is_op(P, TOK_STAR)) {
        Node *s = parse_node(P, E_STARRED, P->tok.line, P->tok.col);
        parse_advance(P);
        s->a = parse_bitor(P);
        return s->a ? s : NULL;
    }
    return parse_expression(P);
}

/* Target list of for-clauses: star_targets, stopping before 'in'. */
static Node *parse_target_list(Parser *P, bool *bare_tuple)
{
    int line = P->tok.line, col = P->tok.col;
    Node *first;
    if (parse_is_op(P, TOK_STAR)) {
        first = parse_node(P, E_STARRED, line, col);
        parse_advance(P);
        first->a = parse_bitor(P);
        if (!first->a)
            return NULL;
    } else {
        first = parse_bitor(P);
    }
    if (!first || !parse_is_op(P, TOK_COMMA))
        return first;
    if (bare_tuple)
        *bare_tuple = true;
    Node *t = parse_node(P, E_TUPLE, line, col);
    nodelist_push(P->arena, &t->list, first);
    while (parse_accept_op(P, TOK_COMMA)) {
        if (parse_is_kw(P, KW_IN) || parse_at_stmt_end(P))
            break;
        Node *e;
        if (parse_is_op(P, TOK_STAR)) {
            e = parse_node(P, E_STARRED, P->tok.line, P->tok.col);
            parse_advance(P);
            e->a = parse_bitor(P);
            if (!e->a)
                return NULL;
        } else {
            e = parse_bitor(P);
        }
        if (!e)
            return NULL;
        nodelist_push(P->arena, &t->list, e);
    }
    return P->failed ? NULL : t;
}

/* The for/if clauses of a comprehension, into list. */
static bool parse_comp_clauses(Parser *P, NodeList *list)
{
    while (!P->failed && (parse_is_kw(P, KW_FOR) || parse_is_kw(P, KW_ASYNC))) {
        if (parse_is_kw(P, KW_ASYNC)) {
            parse_unexpected(P, NULL);
            return false;
        }
        Node *cf = parse_node(P, E_COMPFOR, P->tok.line, P->tok.col);
        parse_advance(P);
        cf->a = parse_target_list(P, NULL);
        if (!parse_check_target(P, cf->a, TARGET_ASSIGN, false))
            return false;
        if (!parse_accept_kw(P, KW_IN)) {
            parse_unexpected(P, NULL);
            return false;
        }
        cf->b = parse_disjunction(P);
        if (!cf->b)
            return false;
        while (parse_accept_kw(P, KW_IF)) {
            Node *c = parse_disjunction(P);
            if (!c)
                return false;
            nodelist_push(P->arena, &cf->list, c);
        }
        nodelist_push(P->arena, list, cf);
    }
    return !P->failed;
}

static Node *parse_comprehension(Parser *P, int kind, Node *elt, int line, int col)
{
    if (elt->kind == E_STARRED) {
        parse_error_at(P, elt->line, elt->col, "iterable unpacking cannot be used in comprehension");
        return NULL;
    }
    Node *c = parse_node(P, kind, line, col);
    c->a = elt;
    return parse_comp_clauses(P, &c->list) ? c : NULL;
}

static Node *parse_paren(Parser *P)
{
    int line = P->tok.line, col = P->tok.col;
    parse_advance(P);
    if (parse_accept_op(P, TOK_RPAR))
        return parse_node(P, E_TUPLE, line, col);
    Node *first = parse_star_or_expr(P);
    if (!first)
        return NULL;
    if (parse_is_kw(P, KW_FOR)) {
        Node *g = parse_comprehension(P, E_GENEXP, first, line, col);
        return g && parse_expect_op(P, TOK_RPAR, NULL) ? g : NULL;
    }
    if (parse_accept_op(P, TOK_RPAR)) {
        if (first->kind == E_STARRED) {
            parse_error_at(P, first->line, first->col, "cannot use starred expression here");
            return NULL;
        }
        return first;
    }
    if (!parse_is_op(P, TOK_COMMA)) {
        parse_list_error(P, first);
        return NULL;
    }
    Node *t = parse_node(P, E_TUPLE, line, col);
    nodelist_push(P->arena, &t->list, first);
    Node *prev = first;
    while (parse_accept_op(P, TOK_COMMA)) {
        if (parse_is_op(P, TOK_RPAR))
            break;
        prev = parse_star_or_expr(P);
        if (!prev)
            return NULL;
        nodelist_push(P->arena, &t->list, prev);
    }
    if (!parse_accept_op(P, TOK_RPAR)) {
        parse_list_error(P, prev);
        return NULL;
    }
    return t;
}

static Node *parse_list(Parser *P)
{
    int line = P->tok.line, col = P->tok.col;
    parse_advance(P);
    Node *l = parse_node(P, E_LIST, line, col);
    if (parse_accept_op(P, TOK_RSQB))
        return l;
    Node *first = parse_star_or_expr(P);
    if (!first)
        return NULL;
    if (parse_is_kw(P, KW_FOR)) {
        Node *c = parse_comprehension(P, E_LISTCOMP, first, line, col);
        return c && parse_expect_op(P, TOK_RSQB, NULL) ? c : NULL;
    }
    nodelist_push(P->arena, &l->list, first);
    Node *prev = first;
    while (parse_accept_op(P, TOK_COMMA)) {
        if (parse_is_op(P, TOK_RSQB))
            break;
        prev = parse_star_or_expr(P);
        if (!prev)
            return NULL;
        nodelist_push(P->arena, &l->list, prev);
    }
    if (!parse_accept_op(P, TOK_RSQB)) {
        parse_list_error(P, prev);
        return NULL;
    }
    return l;
}

/* '{' ... '}': dict or set display, or their comprehensions. */
static Node *parse_brace(Parser *P)
{
    int line = P->tok.line, col = P->tok.col;
    parse_advance(P);
    if (parse_accept_op(P, TOK_RBRACE))
        return parse_node(P, E_DICT, line, col);
    Node *key = NULL, *prev = NULL;
    bool is_dict;
    if (parse_accept_op(P, TOK_DOUBLESTAR)) {
        prev = parse_bitor(P);
        if (!prev)
            return NULL;
        is_dict = true;
    } else {
        key = parse_star_or_expr(P);
        if (!key)
            return NULL;
        is_dict = parse_is_op(P, TOK_COLON);
        if (is_dict) {
            if (key->kind == E_STARRED) {
                parse_error_at(P, key->line, key->col, "cannot use a starred expression in a dictionary value");
                return NULL;
            }
            parse_advance(P);
            prev = parse_expression(P);
            if (!prev)
                return NULL;
            if (parse_is_kw(P, KW_FOR)) {
                Node *c = parse_comprehension(P, E_DICTCOMP, key, line, col);
                if (!c)
                    return NULL;
                c->b = prev;
                return parse_expect_op(P, TOK_RBRACE, NULL) ? c : NULL;
            }
        } else if (parse_is_kw(P, KW_FOR)) {
            Node *c = parse_comprehension(P, E_SETCOMP, key, line, col);
            return c && parse_expect_op(P, TOK_RBRACE, NULL) ? c : NULL;
        }
    }
    Node *d = parse_node(P, is_dict ? E_DICT : E_SET, line, col);
    if (is_dict) {
        nodelist_push(P->arena, &d->list, key);
        nodelist_push(P->arena, &d->list2, prev);
    } else {
        nodelist_push(P->arena, &d->list, key);
        prev = key;
    }
    while (parse_accept_op(P, TOK_COMMA)) {
        if (parse_is_op(P, TOK_RBRACE))
            break;
        if (is_dict) {
            if (parse_accept_op(P, TOK_DOUBLESTAR)) {
                key = NULL;
            } else {
                key = parse_expression(P);
                if (!key)
                    return NULL;
                if (!parse_accept_op(P, TOK_COLON)) {
                    parse_error_at(P, key->line, key->col, "':' expected after dictionary key");
                    return NULL;
                }
            }
            prev = key ? parse_expression(P) : parse_bitor(P);
            if (!prev)
                return NULL;
            nodelist_push(P->arena, &d->list, key);
            nodelist_push(P->arena, &d->list2, prev);
        } else {
            prev = parse_star_or_expr(P);
            if (!prev)
                return NULL;
            nodelist_push(P->arena, &d->list, prev);
        }
    }
    if (!parse_accept_op(P, TOK_RBRACE)) {
        parse_list_error(P, prev);
        return NULL;
    }
    return d;
}

static Node *parse_atom(Parser *P)
{
    const Token *t = &P->tok;
    Node *n;
    if (P->failed)
        return NULL;
    switch (t->kind) {
    case T_NAME:
        n = parse_node(P, E_NAME, t->line, t->col);
        n->name = parse_tok_str(P);
        parse_advance(P);
        return n;
    case T_INT:
        n = parse_node(P, E_INT, t->line, t->col);
        n->ival = t->ival;
        parse_advance(P);
        return n;
    case T_FLOAT:
        n = parse_node(P, E_FLOAT, t->line, t->col);
        n->fval = t->fval;
        parse_advance(P);
        return n;
    case T_STRING: case T_BYTES: case T_FSTRING:
        return parse_strings(P);
    case T_KEYWORD:
        if (t->op == KW_TRUE || t->op == KW_FALSE || t->op == KW_NONE) {
            n = parse_node(P, t->op == KW_TRUE ? E_TRUE : t->op == KW_FALSE ? E_FALSE : E_NONE,
                           t->line, t->col);
            parse_advance(P);
            return n;
        }
        break;
    case T_OP:
        if (t->op == TOK_LPAR)
            return parse_paren(P);
        if (t->op == TOK_LSQB)
            return parse_list(P);
        if (t->op == TOK_LBRACE)
            return parse_brace(P);
        if (t->op == TOK_ELLIPSIS) {
            n = parse_node(P, E_ELLIPSIS, t->line, t->col);
            parse_advance(P);
            return n;
        }
        break;
    default:
        break;
    }
    parse_unexpected(P, NULL);
    return NULL;
}

/* ---- primaries --------------------------------------------------------- */

/* Call arguments after '(' up to and including ')'; positional ones go to
 * list, keywords to list2.  Class bases use the same syntax. */
static bool parse_call_args(Parser *P, Node *call)
{
    bool seen_kw = false, seen_kwunpack = false;
    Node *prev = NULL;
    while (!P->failed && !parse_is_op(P, TOK_RPAR)) {
        int line = P->tok.line, col = P->tok.col;
        if (parse_accept_op(P, TOK_STAR)) {
            if (seen_kwunpack) {
                parse_error_at(P, line, col, "iterable argument unpacking follows keyword argument unpacking");
                return false;
            }
            Node *s = parse_node(P, E_STARRED, line, col);
            s->a = parse_expression(P);
            if (!s->a)
                return false;
            nodelist_push(P->arena, &call->list, s);
            prev = s;
        } else if (parse_accept_op(P, TOK_DOUBLESTAR)) {
            Node *k = parse_node(P, E_KEYWORD, line, col);
            k->a = parse_expression(P);
            if (!k->a)
                return false;
            nodelist_push(P->arena, &call->list2, k);
            seen_kwunpack = true;
            prev = k->a;
        } else {
            Node *e = parse_expression(P);
            if (!e)
                return false;
            if (parse_is_kw(P, KW_FOR)) {
                bool alone = call->list.len == 0 && call->list2.len == 0;
                Node *g = parse_comprehension(P, E_GENEXP, e, e->line, e->col);
                if (!g)
                    return false;
                if (!alone || !parse_is_op(P, TOK_RPAR)) {
                    parse_error_at(P, e->line, e->col, "Generator expression must be parenthesized");
                    return false;
                }
                nodelist_push(P->arena, &call->list, g);
                prev = g;
            } else if (parse_is_op(P, TOK_EQUAL)) {
                if (e->kind != E_NAME) {
                    parse_error_at(P, e->line, e->col,
                                   "expression cannot contain assignment, perhaps you meant \"==\"?");
                    return false;
                }
                parse_advance(P);
                Node *k = parse_node(P, E_KEYWORD, e->line, e->col);
                k->name = e->name;
                k->a = parse_expression(P);
                if (!k->a)
                    return false;
                for (int i = 0; i < call->list2.len; i++) {
                    const char *other = call->list2.items[i]->name;
                    if (other && strcmp(other, k->name) == 0) {
                        parse_error_at(P, e->line, e->col, "keyword argument repeated: %s", k->name);
                        return false;
                    }
                }
                nodelist_push(P->arena, &call->list2, k);
                seen_kw = true;
                prev = k->a;
            } else {
                if (seen_kwunpack || seen_kw) {
                    parse_error_at(P, e->line, e->col, seen_kwunpack
                                   ? "positional argument follows keyword argument unpacking"
                                   : "positional argument follows keyword argument");
                    return false;
                }
                nodelist_push(P->arena, &call->list, e);
                prev = e;
            }
        }
        if (!parse_accept_op(P, TOK_COMMA))
            break;
    }
    if (!parse_accept_op(P, TOK_RPAR)) {
        parse_list_error(P, prev);
        return false;
    }
    return true;
}

/* One subscript item: an expression or a slice lower:upper:step. */
static Node *parse_slice(Parser *P)
{
    int line = P->tok.line, col = P->tok.col;
    Node *lower = NULL;
    if (!parse_is_op(P, TOK_COLON)) {
        lower = parse_star_or_expr(P);
        if (!lower || !parse_is_op(P, TOK_COLON))
            return lower;
    }
    Node *s = parse_node(P, E_SLICE, line, col);
    s->a = lower;
    parse_advance(P);       /* ':' */
    if (!parse_is_op(P, TOK_COLON) && !parse_is_op(P, TOK_RSQB) && !parse_is_op(P, TOK_COMMA)) {
        s->b = parse_expression(P);
        if (!s->b)
            return NULL;
    }
    if (parse_accept_op(P, TOK_COLON) && !parse_is_op(P, TOK_RSQB) && !parse_is_op(P, TOK_COMMA)) {
        s->c = parse_expression(P);
        if (!s->c)
            return NULL;
    }
    return P->failed ? NULL : s;
}

static Node *parse_subscript(Parser *P, Node *obj)
{
    Node *sub = parse_node(P, E_SUBSCRIPT, obj->line, obj->col);
    sub->a = obj;
    parse_advance(P);       /* '[' */
    int line = P->tok.line, col = P->tok.col;
    Node *first = parse_slice(P);
    if (!first)
        return NULL;
    if (parse_is_op(P, TOK_COMMA)) {
        Node *t = parse_node(P, E_TUPLE, line, col);
        nodelist_push(P->arena, &t->list, first);
        while (parse_accept_op(P, TOK_COMMA)) {
            if (parse_is_op(P, TOK_RSQB))
                break;
            Node *e = parse_slice(P);
            if (!e)
                return NULL;
            nodelist_push(P->arena, &t->list, e);
        }
        first = t;
    }
    sub->b = first;
    if (!parse_accept_op(P, TOK_RSQB)) {
        parse_list_error(P, first->kind == E_TUPLE ? NULL : first);
        return NULL;
    }
    return sub;
}

static Node *parse_primary(Parser *P)
{
    if (parse_is_kw(P, KW_AWAIT) || parse_is_kw(P, KW_YIELD)) {
        parse_unexpected(P, NULL);
        return NULL;
    }
    Node *e = parse_atom(P);
    int saved = P->depth;
    while (e && !P->failed && parse_enter(P)) {
        if (parse_is_op(P, TOK_DOT)) {
            parse_advance(P);
            if (P->tok.kind != T_NAME) {
                parse_unexpected(P, NULL);
                return NULL;
            }
            Node *a = parse_node(P, E_ATTR, e->line, e->col);
            a->a = e;
            a->name = parse_tok_str(P);
            parse_advance(P);
            e = a;
        } else if (parse_is_op(P, TOK_LPAR)) {
            Node *c = parse_node(P, E_CALL, e->line, e->col);
            c->a = e;
            parse_advance(P);
            if (!parse_call_args(P, c))
                return NULL;
            e = c;
        } else if (parse_is_op(P, TOK_LSQB)) {
            e = parse_subscript(P, e);
        } else {
            break;
        }
    }
    P->depth = saved;
    return P->failed ? NULL : e;
}

/* ---- operators --------------------------------------------------------- */

/* power: primary ['**' factor]; right-associative and tighter than a
 * unary minus on its left (-2**2 == -4), looser than one on its right. */
static Node *parse_power(Parser *P)
{
    Node *e = parse_primary(P);
    if (e && parse_is_op(P, TOK_DOUBLESTAR)) {
        parse_advance(P);
        if (!parse_enter(P))
            return NULL;
        Node *r = parse_factor(P);
        P->depth--;
        if (!r)
            return NULL;
        e = parse_node2(P, E_BINOP, BINOP_POW, e, r);
    }
    return e;
}

static Node *parse_factor(Parser *P)
{
    int op = -1;
    if (parse_is_op(P, TOK_MINUS)) op = UN_NEG;
    else if (parse_is_op(P, TOK_PLUS)) op = UN_POS;
    else if (parse_is_op(P, TOK_TILDE)) op = UN_INVERT;
    if (op < 0)
        return parse_power(P);
    Node *u = parse_node(P, E_UNARY, P->tok.line, P->tok.col);
    u->op = op;
    parse_advance(P);
    if (!parse_enter(P))
        return NULL;
    u->a = parse_factor(P);
    P->depth--;
    return u->a ? u : NULL;
}

/* The left-associative binary levels, tightest first.  Each maps its
 * operator tokens to BINOP_* codes; -1 ends a row. */
static const int parse_binop_table[][5][2] = {
    /* term */  { {TOK_STAR, BINOP_MUL}, {TOK_SLASH, BINOP_TRUEDIV}, {TOK_DOUBLESLASH, BINOP_FLOORDIV},
                  {TOK_PERCENT, BINOP_MOD}, {-1, -1} },
    /* arith */ { {TOK_PLUS, BINOP_ADD}, {TOK_MINUS, BINOP_SUB}, {-1, -1} },
    /* shift */ { {TOK_LEFTSHIFT, BINOP_LSHIFT}, {TOK_RIGHTSHIFT, BINOP_RSHIFT}, {-1, -1} },
    /* band */  { {TOK_AMPER, BINOP_AND}, {-1, -1} },
    /* xor */   { {TOK_CIRCUMFLEX, BINOP_XOR}, {-1, -1} },
    /* bitor */ { {TOK_VBAR, BINOP_OR}, {-1, -1} },
};

static Node *parse_binary(Parser *P, int level)
{
    Node *e = level == 0 ? parse_factor(P) : parse_binary(P, level - 1);
    int saved = P->depth;
    while (e && !P->failed && P->tok.kind == T_OP) {
        int op = -1;
        for (int i = 0; parse_binop_table[level][i][0] >= 0; i++)
            if (P->tok.op == parse_binop_table[level][i][0])
                op = parse_binop_table[level][i][1];
        if (op < 0) {
            if (level == 0 && P->tok.op == TOK_AT) {
                parse_error(P, "'@' (matrix multiplication) is not supported by gilscope");
                return NULL;
            }
            break;
        }
        parse_advance(P);
        if (!parse_enter(P))
            return NULL;
        Node *r = level == 0 ? parse_factor(P) : parse_binary(P, level - 1);
        if (!r)
            return NULL;
        e = parse_node2(P, E_BINOP, op, e, r);
    }
    P->depth = saved;
    return P->failed ? NULL : e;
}

static Node *parse_bitor(Parser *P)
{
    return parse_binary(P, 5);
}

static int parse_compare_op(Parser *P)
{
    const Token *t = &P->tok;
    if (t->kind == T_OP) {
        switch (t->op) {
        case TOK_LESS: return CMPOP_LT;
        case TOK_LESSEQUAL: return CMPOP_LE;
        case TOK_EQEQUAL: return CMPOP_EQ;
        case TOK_NOTEQUAL: return CMPOP_NE;
        case TOK_GREATER: return CMPOP_GT;
        case TOK_GREATEREQUAL: return CMPOP_GE;
        default: return -1;
        }
    }
    if (t->kind == T_KEYWORD) {
        if (t->op == KW_IN) return CMPOP_IN;
        if (t->op == KW_IS) return CMPOP_IS;
        if (t->op == KW_NOT) return CMPOP_NOT_IN;
    }
    return -1;
}

static Node *parse_comparison(Parser *P)
{
    Node *e = parse_bitor(P);
    if (!e || parse_compare_op(P) < 0)
        return e;
    Node *c = parse_node(P, E_COMPARE, e->line, e->col);
    c->a = e;
    int cap = 0;
    int op;
    while (!P->failed && (op = parse_compare_op(P)) >= 0) {
        if (op == CMPOP_NOT_IN) {
            parse_advance(P);
            if (!parse_is_kw(P, KW_IN)) {
                parse_unexpected(P, NULL);
                return NULL;
            }
        } else if (op == CMPOP_IS) {
            parse_advance(P);
            if (parse_is_kw(P, KW_NOT)) {
                op = CMPOP_IS_NOT;
            } else {
                goto operand;
            }
        }
        parse_advance(P);
    operand:;
        Node *r = parse_bitor(P);
        if (!r)
            return NULL;
        if (c->list.len == cap) {
            int ncap = cap ? cap * 2 : 4;
            int *ops = arena_alloc(P->arena, (size_t)ncap * sizeof *ops);
            if (cap)
                memcpy(ops, c->ops, (size_t)cap * sizeof *ops);
            c->ops = ops;
            cap = ncap;
        }
        c->ops[c->list.len] = op;
        nodelist_push(P->arena, &c->list, r);
    }
    return P->failed ? NULL : c;
}

static Node *parse_inversion(Parser *P)
{
    if (!parse_is_kw(P, KW_NOT))
        return parse_comparison(P);
    Node *u = parse_node(P, E_UNARY, P->tok.line, P->tok.col);
    u->op = UN_NOT;
    parse_advance(P);
    if (!parse_enter(P))
        return NULL;
    u->a = parse_inversion(P);
    P->depth--;
    return u->a ? u : NULL;
}

static Node *parse_conjunction(Parser *P)
{
    Node *e = parse_inversion(P);
    int saved = P->depth;
    while (e && parse_is_kw(P, KW_AND)) {
        parse_advance(P);
        if (!parse_enter(P))
            return NULL;
        Node *r = parse_inversion(P);
        if (!r)
            return NULL;
        e = parse_node2(P, E_BOOLOP, BOOL_AND, e, r);
    }
    P->depth = saved;
    return e;
}

static Node *parse_disjunction(Parser *P)
{
    Node *e = parse_conjunction(P);
    int saved = P->depth;
    while (e && parse_is_kw(P, KW_OR)) {
        parse_advance(P);
        if (!parse_enter(P))
            return NULL;
        Node *r = parse_conjunction(P);
        if (!r)
            return NULL;
        e = parse_node2(P, E_BOOLOP, BOOL_OR, e, r);
    }
    P->depth = saved;
    return e;
}

/* Parameters of a def (annotations allowed) or a lambda, up to end. */
static bool parse_params(Parser *P, Node *fn, bool is_lambda, int end)
{
    int cap = 0;
    bool seen_default = false, seen_star = false, seen_kwstar = false, bare_star = false;
    int bare_line = 0, bare_col = 0;
    while (!P->failed && !parse_is_op(P, end)) {
        int line = P->tok.line, col = P->tok.col;
        int kind;
        if (seen_kwstar) {
            parse_error(P, "arguments cannot follow var-keyword argument");
            return false;
        }
        if (parse_accept_op(P, TOK_SLASH)) {
            /* positional-only marker: accepted, the parameters stay normal */
            if (fn->nparams == 0 || seen_star) {
                parse_error_at(P, line, col, "invalid syntax");
                return false;
            }
            if (!parse_accept_op(P, TOK_COMMA))
                break;
            continue;
        }
        if (parse_accept_op(P, TOK_DOUBLESTAR)) {
            kind = PARAM_VARKW;
            seen_kwstar = true;
        } else if (parse_accept_op(P, TOK_STAR)) {
            if (seen_star) {
                parse_error_at(P, line, col, "* argument may appear only once");
                return false;
            }
            seen_star = true;
            if (P->tok.kind != T_NAME) {
                bare_star = true;
                bare_line = line;
                bare_col = col;
                if (!parse_accept_op(P, TOK_COMMA)) {
                    parse_error_at(P, line, col, "named arguments must follow bare *");
                    return false;
                }
                continue;
            }
            kind = PARAM_VARARGS;
        } else {
            kind = seen_star ? PARAM_KWONLY : PARAM_NORMAL;
            bare_star = false;
        }
        if (P->tok.kind != T_NAME) {
            parse_unexpected(P, NULL);
            return false;
        }
        const char *name = parse_tok_str(P);
        for (int i = 0; i < fn->nparams; i++)
            if (strcmp(fn->params[i].name, name) == 0) {
                parse_error(P, "duplicate argument '%s' in function definition", name);
                return false;
            }
        parse_advance(P);
        if (!is_lambda && parse_accept_op(P, TOK_COLON)) {
            if (!parse_expression(P))
                return false;
        }
        Node *def = NULL;
        if (parse_is_op(P, TOK_EQUAL)) {
            if (kind == PARAM_VARARGS || kind == PARAM_VARKW) {
                parse_error(P, kind == PARAM_VARARGS ? "var-positional argument cannot have default value"
                                                     : "var-keyword argument cannot have default value");
                return false;
            }
            parse_advance(P);
            def = parse_expression(P);
            if (!def)
                return false;
            if (kind == PARAM_NORMAL)
                seen_default = true;
        } else if (kind == PARAM_NORMAL && seen_default) {
            parse_error_at(P, line, col, "non-default argument follows default argument");
            return false;
        }
        if (fn->nparams == cap) {
            int ncap = cap ? cap * 2 : 4;
            Param *np = arena_alloc(P->arena, (size_t)ncap * sizeof *np);
            if (cap)
                memcpy(np, fn->params, (size_t)cap * sizeof *np);
            fn->params = np;
            cap = ncap;
        }
        Param *p = &fn->params[fn->nparams++];
        p->name = name;
        p->def = def;
        p->kind = kind;
        p->line = line;
        p->col = col;
        if (!parse_accept_op(P, TOK_COMMA))
            break;
    }
    if (bare_star && !P->failed) {
        parse_error_at(P, bare_line, bare_col, "named arguments must follow bare *");
        return false;
    }
    return !P->failed;
}

static Node *parse_lambda(Parser *P)
{
    Node *l = parse_node(P, E_LAMBDA, P->tok.line, P->tok.col);
    parse_advance(P);
    if (!parse_params(P, l, true, TOK_COLON))
        return NULL;
    if (!parse_expect_op(P, TOK_COLON, NULL))
        return NULL;
    l->a = parse_expression(P);
    return l->a ? l : NULL;
}

/* expression: lambda | disjunction ['if' disjunction 'else' expression] */
static Node *parse_expression(Parser *P)
{
    if (P->failed || !parse_enter(P))
        return NULL;
    Node *e;
    if (parse_is_kw(P, KW_LAMBDA)) {
        e = parse_lambda(P);
    } else {
        e = parse_disjunction(P);
        if (e && parse_is_kw(P, KW_IF)) {
            parse_advance(P);
            Node *c = parse_node(P, E_IFEXP, e->line, e->col);
            c->b = e;
            c->a = parse_disjunction(P);
            if (c->a && !parse_accept_kw(P, KW_ELSE)) {
                if (!P->failed)
                    parse_error_at(P, e->line, e->col, "expected 'else' after 'if' expression");
                c->a = NULL;
            }
            c->c = c->a ? parse_expression(P) : NULL;
            e = c->c ? c : NULL;
        }
    }
    P->depth--;
    return P->failed ? NULL : e;
}

/* star_expressions: a comma list of expressions and *starred items,
 * a tuple when there is a comma. */
static Node *parse_star_expressions(Parser *P)
{
    int line = P->tok.line, col = P->tok.col;
    Node *first = parse_star_or_expr(P);
    if (!first || !parse_is_op(P, TOK_COMMA))
        return first;
    Node *t = parse_node(P, E_TUPLE, line, col);
    nodelist_push(P->arena, &t->list, first);
    while (parse_accept_op(P, TOK_COMMA)) {
        if (!parse_starts_expr(P) || parse_is_kw(P, KW_YIELD))
            break;
        Node *e = parse_star_or_expr(P);
        if (!e)
            return NULL;
        nodelist_push(P->arena, &t->list, e);
    }
    return P->failed ? NULL : t;
}

/* ---- statements -------------------------------------------------------- */

static bool parse_at_stmt_end(const Parser *P)
{
    return P->tok.kind == T_NEWLINE || P->tok.kind == T_EOF || parse_is_op(P, TOK_SEMI);
}

/* A block after ':': an indented suite or simple statements on the same
 * line.  what/line name the header for CPython's IndentationError. */
static void parse_block(Parser *P, NodeList *body, const char *what, int line)
{
    if (P->failed)
        return;
    if (P->tok.kind != T_NEWLINE) {
        /* only simple statements may share the header's line */
        parse_simple_stmts(P, body);
        return;
    }
    parse_advance(P);
    if (P->tok.kind != T_INDENT) {
        if (!P->failed)
            parse_error_kind(P, "IndentationError", P->tok.line, P->tok.col,
                             "expected an indented block after %s on line %d", what, line);
        return;
    }
    parse_advance(P);
    while (!P->failed && P->tok.kind != T_DEDENT && P->tok.kind != T_EOF)
        parse_statement(P, body);
    if (!P->failed && P->tok.kind == T_DEDENT)
        parse_advance(P);
}

static bool parse_colon(Parser *P)
{
    return parse_expect_op(P, TOK_COLON, "expected ':'");
}

/* The test of if/elif/while, with CPython's hint for a mistyped '=='. */
static Node *parse_test(Parser *P)
{
    Node *e = parse_expression(P);
    if (e && parse_is_op(P, TOK_EQUAL)) {
        parse_error_at(P, e->line, e->col, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
        return NULL;
    }
    return e;
}

static Node *parse_if(Parser *P)
{
    Node *first = NULL, *last = NULL;
    const char *what = "'if' statement";
    for (;;) {
        int line = P->tok.line, col = P->tok.col;
        parse_advance(P);       /* 'if' or 'elif' */
        Node *n = parse_node(P, S_IF, line, col);
        n->a = parse_test(P);
        if (!n->a || !parse_colon(P))
            return NULL;
        parse_block(P, &n->body, what, line);
        if (!first)
            first = n;
        else
            nodelist_push(P->arena, &last->orelse, n);
        last = n;
        if (P->failed)
            return NULL;
        if (!parse_is_kw(P, KW_ELIF))
            break;
        what = "'elif' statement";
    }
    if (parse_is_kw(P, KW_ELSE)) {
        int line = P->tok.line;
        parse_advance(P);
        if (!parse_colon(P))
            return NULL;
        parse_block(P, &last->orelse, "'else' statement", line);
    }
    return P->failed ? NULL : first;
}

static void parse_loop_body(Parser *P, NodeList *body, const char *what, int line)
{
    P->loops++;
    parse_block(P, body, what, line);
    P->loops--;
}

static void parse_else_block(Parser *P, NodeList *orelse)
{
    if (parse_is_kw(P, KW_ELSE)) {
        int line = P->tok.line;
        parse_advance(P);
        if (parse_colon(P))
            parse_block(P, orelse, "'else' statement", line);
    }
}

static Node *parse_while(Parser *P)
{
    Node *n = parse_node(P, S_WHILE, P->tok.line, P->tok.col);
    parse_advance(P);
    n->a = parse_test(P);
    if (!n->a || !parse_colon(P))
        return NULL;
    parse_loop_body(P, &n->body, "'while' statement", n->line);
    parse_else_block(P, &n->orelse);
    return P->failed ? NULL : n;
}

static Node *parse_for(Parser *P)
{
    Node *n = parse_node(P, S_FOR, P->tok.line, P->tok.col);
    parse_advance(P);
    n->a = parse_target_list(P, NULL);
    if (!parse_check_target(P, n->a, TARGET_ASSIGN, false))
        return NULL;
    if (!parse_accept_kw(P, KW_IN)) {
        parse_unexpected(P, NULL);
        return NULL;
    }
    n->b = parse_star_expressions(P);
    if (!n->b || !parse_colon(P))
        return NULL;
    parse_loop_body(P, &n->body, "'for' statement", n->line);
    parse_else_block(P, &n->orelse);
    return P->failed ? NULL : n;
}

static Node *parse_try(Parser *P)
{
    Node *n = parse_node(P, S_TRY, P->tok.line, P->tok.col);
    parse_advance(P);
    if (!parse_colon(P))
        return NULL;
    parse_block(P, &n->body, "'try' statement", n->line);
    Node *bare = NULL;
    while (!P->failed && parse_is_kw(P, KW_EXCEPT)) {
        Node *h = parse_node(P, S_HANDLER, P->tok.line, P->tok.col);
        if (bare) {
            parse_error_at(P, bare->line, bare->col, "default 'except:' must be last");
            return NULL;
        }
        parse_advance(P);
        if (parse_is_op(P, TOK_STAR)) {
            parse_error(P, "'except*' is not supported by gilscope");
            return NULL;
        }
        if (!parse_is_op(P, TOK_COLON)) {
            h->a = parse_expression(P);
            if (!h->a)
                return NULL;
            if (parse_is_op(P, TOK_COMMA)) {
                parse_error_at(P, h->a->line, h->a->col, "multiple exception types must be parenthesized");
                return NULL;
            }
            if (parse_accept_kw(P, KW_AS)) {
                if (P->tok.kind != T_NAME) {
                    parse_unexpected(P, NULL);
                    return NULL;
                }
                h->name = parse_tok_str(P);
                parse_advance(P);
            }
        } else {
            bare = h;
        }
        if (!parse_colon(P))
            return NULL;
        parse_block(P, &h->body, "'except' statement", h->line);
        nodelist_push(P->arena, &n->list, h);
    }
    if (n->list.len > 0 && parse_is_kw(P, KW_ELSE)) {
        int line = P->tok.line;
        parse_advance(P);
        if (!parse_colon(P))
            return NULL;
        parse_block(P, &n->orelse, "'else' statement", line);
    }
    if (parse_is_kw(P, KW_FINALLY)) {
        int line = P->tok.line;
        parse_advance(P);
        if (!parse_colon(P))
            return NULL;
        parse_block(P, &n->finalbody, "'finally' statement", line);
    } else if (n->list.len == 0 && !P->failed) {
        parse_error(P, "expected 'except' or 'finally' block");
    }
    return P->failed ? NULL : n;
}

static Node *parse_with(Parser *P)
{
    Node *n = parse_node(P, S_WITH, P->tok.line, P->tok.col);
    parse_advance(P);
    do {
        Node *item = parse_node(P, E_WITHITEM, P->tok.line, P->tok.col);
        item->a = parse_expression(P);
        if (!item->a)
            return NULL;
        if (parse_accept_kw(P, KW_AS)) {
            item->b = parse_bitor(P);
            if (!parse_check_target(P, item->b, TARGET_ASSIGN, false))
                return NULL;
        }
        nodelist_push(P->arena, &n->list, item);
    } while (parse_accept_op(P, TOK_COMMA));
    if (!parse_colon(P))
        return NULL;
    parse_block(P, &n->body, "'with' statement", n->line);
    return P->failed ? NULL : n;
}

static Node *parse_def(Parser *P, NodeList *decorators)
{
    Node *n = parse_node(P, S_DEF, P->tok.line, P->tok.col);
    parse_advance(P);
    if (P->tok.kind != T_NAME) {
        parse_unexpected(P, NULL);
        return NULL;
    }
    n->name = parse_tok_str(P);
    parse_advance(P);
    if (!parse_expect_op(P, TOK_LPAR, "expected '('") || !parse_params(P, n, false, TOK_RPAR) ||
        !parse_expect_op(P, TOK_RPAR, NULL))
        return NULL;
    if (parse_accept_op(P, TOK_RARROW) && !parse_expression(P))
        return NULL;
    if (!parse_colon(P))
        return NULL;
    if (decorators)
        n->list = *decorators;
    int loops = P->loops;
    P->loops = 0;
    P->funcs++;
    parse_block(P, &n->body, "function definition", n->line);
    P->funcs--;
    P->loops = loops;
    return P->failed ? NULL : n;
}

static Node *parse_class(Parser *P, NodeList *decorators)
{
    Node *n = parse_node(P, S_CLASS, P->tok.line, P->tok.col);
    parse_advance(P);
    if (P->tok.kind != T_NAME) {
        parse_unexpected(P, NULL);
        return NULL;
    }
    n->name = parse_tok_str(P);
    parse_advance(P);
    if (parse_accept_op(P, TOK_LPAR)) {
        Node tmp;
        memset(&tmp, 0, sizeof tmp);
        if (!parse_call_args(P, &tmp))
            return NULL;
        for (int i = 0; i < tmp.list.len; i++)
            if (tmp.list.items[i]->kind == E_GENEXP) {
                parse_error_at(P, tmp.list.items[i]->line, tmp.list.items[i]->col, "invalid syntax");
                return NULL;
            }
        n->list = tmp.list;
        n->list2 = tmp.list2;
    }
    if (!parse_colon(P))
        return NULL;
    if (decorators)
        n->orelse = *decorators;
    int loops = P->loops, funcs = P->funcs;
    P->loops = P->funcs = 0;
    parse_block(P, &n->body, "class definition", n->line);
    P->loops = loops;
    P->funcs = funcs;
    return P->failed ? NULL : n;
}

static Node *parse_decorated(Parser *P)
{
    NodeList decorators = { NULL, 0, 0 };
    while (parse_accept_op(P, TOK_AT)) {
        Node *d = parse_expression(P);
        if (!d)
            return NULL;
        if (P->tok.kind != T_NEWLINE) {
            parse_unexpected(P, NULL);
            return NULL;
        }
        parse_advance(P);
        nodelist_push(P->arena, &decorators, d);
    }
    if (parse_is_kw(P, KW_DEF))
        return parse_def(P, &decorators);
    if (parse_is_kw(P, KW_CLASS))
        return parse_class(P, &decorators);
    parse_unexpected(P, NULL);
    return NULL;
}

/* dotted_name: NAME ('.' NAME)* as one string. */
static const char *parse_dotted(Parser *P, const char *prefix)
{
    size_t cap = 64, n = 0;
    char *buf = arena_alloc(P->arena, cap);
    size_t plen = strlen(prefix);
    bool first = true;
    for (;;) {
        if (P->tok.kind != T_NAME) {
            parse_unexpected(P, NULL);
            return NULL;
        }
        size_t need = n + plen + P->tok.len + 2;
        if (need > cap) {
            while (cap < need)
                cap *= 2;
            char *nb = arena_alloc(P->arena, cap);
            memcpy(nb, buf, n);
            buf = nb;
        }
        if (first) {
            memcpy(buf, prefix, plen);
            n = plen;
            first = false;
        } else {
            buf[n++] = '.';
        }
        memcpy(buf + n, P->tok.text, P->tok.len);
        n += P->tok.len;
        buf[n] = '\0';
        parse_advance(P);
        if (!parse_is_op(P, TOK_DOT))
            return buf;
        parse_advance(P);
    }
}

static Node *parse_alias(Parser *P, bool dotted)
{
    Node *a = parse_node(P, E_ALIAS, P->tok.line, P->tok.col);
    if (dotted) {
        a->name = parse_dotted(P, "");
    } else if (P->tok.kind == T_NAME) {
        a->name = parse_tok_str(P);
        parse_advance(P);
    } else {
        parse_unexpected(P, NULL);
    }
    if (!a->name)
        return NULL;
    if (parse_accept_kw(P, KW_AS)) {
        if (P->tok.kind != T_NAME) {
            parse_unexpected(P, NULL);
            return NULL;
        }
        a->asname = parse_tok_str(P);
        parse_advance(P);
    }
    return P->failed ? NULL : a;
}

static Node *parse_import(Parser *P)
{
    Node *n = parse_node(P, S_IMPORT, P->tok.line, P->tok.col);
    parse_advance(P);
    do {
        Node *a = parse_alias(P, true);
        if (!a)
            return NULL;
        nodelist_push(P->arena, &n->list, a);
    } while (parse_accept_op(P, TOK_COMMA));
    return n;
}

/* from M import ...; a relative module keeps its leading dots in name. */
static Node *parse_from(Parser *P)
{
    Node *n = parse_node(P, S_FROMIMPORT, P->tok.line, P->tok.col);
    parse_advance(P);
    char dots[64];
    size_t nd = 0;
    while (parse_is_op(P, TOK_DOT) || parse_is_op(P, TOK_ELLIPSIS)) {
        size_t add = parse_is_op(P, TOK_DOT) ? 1 : 3;
        if (nd + add >= sizeof dots) {
            parse_unexpected(P, NULL);
            return NULL;
        }
        memset(dots + nd, '.', add);
        nd += add;
        parse_advance(P);
    }
    dots[nd] = '\0';
    if (nd > 0 && parse_is_kw(P, KW_IMPORT))
        n->name = arena_strndup(P->arena, dots, nd);
    else
        n->name = parse_dotted(P, dots);
    if (!n->name)
        return NULL;
    if (!parse_accept_kw(P, KW_IMPORT)) {
        parse_unexpected(P, NULL);
        return NULL;
    }
    if (parse_is_op(P, TOK_STAR)) {
        Node *a = parse_node(P, E_ALIAS, P->tok.line, P->tok.col);
        a->name = "*";
        parse_advance(P);
        nodelist_push(P->arena, &n->list, a);
        return n;
    }
    bool paren = parse_accept_op(P, TOK_LPAR);
    do {
        if (paren && parse_is_op(P, TOK_RPAR) && n->list.len > 0)
            break;
        Node *a = parse_alias(P, false);
        if (!a)
            return NULL;
        nodelist_push(P->arena, &n->list, a);
    } while (parse_accept_op(P, TOK_COMMA));
    if (paren && !parse_expect_op(P, TOK_RPAR, NULL))
        return NULL;
    return P->failed ? NULL : n;
}

static Node *parse_names(Parser *P, int kind)
{
    Node *n = parse_node(P, kind, P->tok.line, P->tok.col);
    if (kind == S_NONLOCAL && P->funcs == 0) {
        parse_error(P, "nonlocal declaration not allowed at module level");
        return NULL;
    }
    parse_advance(P);
    int cap = 0;
    do {
        if (P->tok.kind != T_NAME) {
            parse_unexpected(P, NULL);
            return NULL;
        }
        if (n->nnames == cap) {
            int ncap = cap ? cap * 2 : 4;
            const char **nn = arena_alloc(P->arena, (size_t)ncap * sizeof *nn);
            if (cap)
                memcpy(nn, n->names, (size_t)cap * sizeof *nn);
            n->names = nn;
            cap = ncap;
        }
        n->names[n->nnames++] = parse_tok_str(P);
        parse_advance(P);
    } while (parse_accept_op(P, TOK_COMMA));
    return P->failed ? NULL : n;
}

static int parse_augassign_op(const Parser *P)
{
    if (P->tok.kind != T_OP)
        return -1;
    switch (P->tok.op) {
    case TOK_PLUSEQUAL: return BINOP_ADD;
    case TOK_MINEQUAL: return BINOP_SUB;
    case TOK_STAREQUAL: return BINOP_MUL;
    case TOK_SLASHEQUAL: return BINOP_TRUEDIV;
    case TOK_DOUBLESLASHEQUAL: return BINOP_FLOORDIV;
    case TOK_PERCENTEQUAL: return BINOP_MOD;
    case TOK_DOUBLESTAREQUAL: return BINOP_POW;
    case TOK_LEFTSHIFTEQUAL: return BINOP_LSHIFT;
    case TOK_RIGHTSHIFTEQUAL: return BINOP_RSHIFT;
    case TOK_AMPEREQUAL: return BINOP_AND;
    case TOK_VBAREQUAL: return BINOP_OR;
    case TOK_CIRCUMFLEXEQUAL: return BINOP_XOR;
    default: return -1;
    }
}

/* The right-hand side of '=' or an augmented assignment. */
static Node *parse_rhs(Parser *P)
{
    Node *v = parse_star_expressions(P);
    if (v && v->kind == E_STARRED) {
        parse_error_at(P, v->line, v->col, "can't use starred expression here");
        return NULL;
    }
    return v;
}

/* Expression statements and every kind of assignment. */
static Node *parse_expr_stmt(Parser *P)
{
    int line = P->tok.line, col = P->tok.col;
    Node *first = parse_star_expressions(P);
    if (!first)
        return NULL;
    if (parse_is_op(P, TOK_EQUAL)) {
        Node *n = parse_node(P, S_ASSIGN, line, col);
        Node *v = first;
        while (parse_accept_op(P, TOK_EQUAL)) {
            nodelist_push(P->arena, &n->list, v);
            v = parse_rhs(P);
            if (!v)
                return NULL;
        }
        for (int i = 0; i < n->list.len; i++)
            if (!parse_check_target(P, n->list.items[i], TARGET_ASSIGN, n->list.len == 1))
                return NULL;
        n->a = v;
        return n;
    }
    int op = parse_augassign_op(P);
    if (op >= 0) {
        if (first->kind != E_NAME && first->kind != E_ATTR && first->kind != E_SUBSCRIPT) {
            parse_error_at(P, first->line, first->col, "'%s' is an illegal expression for augmented assignment",
                           parse_describe(first));
            return NULL;
        }
        parse_advance(P);
        Node *n = parse_node(P, S_AUGASSIGN, line, col);
        n->a = first;
        n->op = op;
        n->b = parse_rhs(P);
        return n->b ? n : NULL;
    }
    /* "match (x):" and "match [a]:" parse as a call or subscript */
    if (parse_is_op(P, TOK_COLON) && (first->kind == E_CALL || first->kind == E_SUBSCRIPT) &&
        first->a->kind == E_NAME && strcmp(first->a->name, "match") == 0) {
        parse_error_at(P, line, col, "'match' is not supported by gilscope");
        return NULL;
    }
    if (parse_is_op(P, TOK_COLON)) {
        if (first->kind == E_TUPLE || first->kind == E_LIST) {
            parse_error_at(P, first->line, first->col, "only single target (not %s) can be annotated",
                           first->kind == E_TUPLE ? "tuple" : "list");
            return NULL;
        }
        if (first->kind != E_NAME && first->kind != E_ATTR && first->kind != E_SUBSCRIPT) {
            parse_error_at(P, first->line, first->col, "illegal target for annotation");
            return NULL;
        }
        parse_advance(P);
        Node *n = parse_node(P, S_ANNASSIGN, line, col);
        n->a = first;
        n->c = parse_expression(P);
        if (!n->c)
            return NULL;
        if (parse_accept_op(P, TOK_EQUAL)) {
            n->b = parse_rhs(P);
            if (!n->b)
                return NULL;
        }
        return n;
    }
    if (first->kind == E_STARRED) {
        parse_error_at(P, first->line, first->col, "can't use starred expression here");
        return NULL;
    }
    if (first->kind == E_NAME && !parse_at_stmt_end(P)) {
        if (strcmp(first->name, "print") == 0 && parse_starts_expr(P)) {
            parse_error_at(P, first->line, first->col,
                           "Missing parentheses in call to 'print'. Did you mean print(...)?");
            return NULL;
        }
    }
    Node *n = parse_node(P, S_EXPR, line, col);
    n->a = first;
    return n;
}

static Node *parse_small_stmt(Parser *P)
{
    const Token *t = &P->tok;
    int line = t->line, col = t->col;
    Node *n;
    if (t->kind == T_KEYWORD) {
        switch (t->op) {
        case KW_PASS:
            parse_advance(P);
            return parse_node(P, S_PASS, line, col);
        case KW_BREAK:
        case KW_CONTINUE:
            if (P->loops == 0) {
                parse_error(P, t->op == KW_BREAK ? "'break' outside loop"
                                                 : "'continue' not properly in loop");
                return NULL;
            }
            n = parse_node(P, t->op == KW_BREAK ? S_BREAK : S_CONTINUE, line, col);
            parse_advance(P);
            return n;
        case KW_RETURN:
            if (P->funcs == 0) {
                parse_error(P, "'return' outside function");
                return NULL;
            }
            parse_advance(P);
            n = parse_node(P, S_RETURN, line, col);
            if (!parse_at_stmt_end(P) && !(n->a = parse_rhs(P)))
                return NULL;
            return n;
        case KW_RAISE:
            parse_advance(P);
            n = parse_node(P, S_RAISE, line, col);
            if (!parse_at_stmt_end(P)) {
                n->a = parse_expression(P);
                if (!n->a)
                    return NULL;
                if (parse_accept_kw(P, KW_FROM) && !(n->b = parse_expression(P)))
                    return NULL;
            }
            return n;
        case KW_GLOBAL:
            return parse_names(P, S_GLOBAL);
        case KW_NONLOCAL:
            return parse_names(P, S_NONLOCAL);
        case KW_DEL: {
            parse_advance(P);
            n = parse_node(P, S_DEL, line, col);
            bool bare = false;
            Node *targets = parse_target_list(P, &bare);
            if (!targets)
                return NULL;
            if (!parse_check_target(P, targets, TARGET_DEL, false))
                return NULL;
            if (bare)
                n->list = targets->list;
            else
                nodelist_push(P->arena, &n->list, targets);
            return n;
        }
        case KW_ASSERT:
            parse_advance(P);
            n = parse_node(P, S_ASSERT, line, col);
            n->a = parse_expression(P);
            if (!n->a)
                return NULL;
            if (parse_accept_op(P, TOK_COMMA) && !(n->b = parse_expression(P)))
                return NULL;
            return n;
        case KW_IMPORT:
            return parse_import(P);
        case KW_FROM:
            return parse_from(P);
        default:
            break;
        }
    }
    return parse_expr_stmt(P);
}

/* simple_stmts: small statements separated by ';' up to NEWLINE. */
static void parse_simple_stmts(Parser *P, NodeList *out)
{
    for (;;) {
        Node *s = parse_small_stmt(P);
        if (!s)
            return;
        nodelist_push(P->arena, out, s);
        if (!parse_accept_op(P, TOK_SEMI))
            break;
        if (P->tok.kind == T_NEWLINE)
            break;
    }
    if (P->failed)
        return;
    if (P->tok.kind == T_NEWLINE) {
        parse_advance(P);
    } else if (P->tok.kind != T_EOF) {
        parse_unexpected(P, NULL);
    }
}

static void parse_statement(Parser *P, NodeList *out)
{
    const Token *t = &P->tok;
    Node *n = NULL;
    if (P->failed)
        return;
    if (t->kind == T_KEYWORD) {
        switch (t->op) {
        case KW_IF: n = parse_if(P); break;
        case KW_WHILE: n = parse_while(P); break;
        case KW_FOR: n = parse_for(P); break;
        case KW_TRY: n = parse_try(P); break;
        case KW_WITH: n = parse_with(P); break;
        case KW_DEF: n = parse_def(P, NULL); break;
        case KW_CLASS: n = parse_class(P, NULL); break;
        case KW_ASYNC:
        case KW_YIELD:
        case KW_AWAIT:
            parse_unexpected(P, NULL);
            return;
        default:
            parse_simple_stmts(P, out);
            return;
        }
    } else if (parse_is_op(P, TOK_AT)) {
        n = parse_decorated(P);
    } else if (t->kind == T_NAME && t->len == 5 && memcmp(t->text, "match", 5) == 0) {
        /* the soft keyword: "match x:" cannot be anything else */
        int k = parse_peek(P)->kind;
        if (k == T_NAME || k == T_INT || k == T_FLOAT || k == T_STRING || k == T_FSTRING ||
            k == T_BYTES || (k == T_KEYWORD && (parse_peek(P)->op == KW_NONE ||
                                                parse_peek(P)->op == KW_TRUE ||
                                                parse_peek(P)->op == KW_FALSE))) {
            parse_error(P, "'match' is not supported by gilscope");
            return;
        }
        parse_simple_stmts(P, out);
        return;
    } else if (t->kind == T_INDENT) {
        parse_unexpected(P, NULL);
        return;
    } else {
        parse_simple_stmts(P, out);
        return;
    }
    if (n)
        nodelist_push(P->arena, out, n);
}

Node *parse_module(const char *path, const char *src, size_t len, Arena *arena, ParseError *err)
{
    Parser P;
    memset(&P, 0, sizeof P);
    memset(err, 0, sizeof *err);
    P.arena = arena;
    P.err = err;
    P.path = path;
    P.lx = lexer_new(path, src, len, arena);
    if (!P.lx) {
        snprintf(err->kind, sizeof err->kind, "SyntaxError");
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    P.tok.kind = T_NEWLINE;
    parse_advance(&P);
    Node *mod = parse_node(&P, N_MODULE, 1, 1);
    while (!P.failed && P.tok.kind != T_EOF) {
        if (P.tok.kind == T_NEWLINE) {
            parse_advance(&P);
            continue;
        }
        parse_statement(&P, &mod->body);
    }
    lexer_free(P.lx);
    return P.failed ? NULL : mod;
}
