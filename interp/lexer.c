/*
 * lexer.c -- Python 3 tokenization for the workload language.
 *
 * One pass over the source, one token at a time.  Logical lines, INDENT and
 * DEDENT follow CPython's tokenizer (Parser/tokenizer.c): an indent stack
 * measured with tab size 8 and, to detect TabError, a second one measured
 * with tab size 1; blank and comment-only lines do not count; inside
 * brackets newlines are not tokens.
 *
 * String tokens carry their decoded contents (tok.str, tok.slen) in the
 * arena.  T_FSTRING is half-decoded: the literal text has its escapes
 * processed (unless raw) and keeps "{{" and "}}" doubled -- a brace that
 * comes from an escape such as \x7b is doubled too, so it stays literal --
 * while each replacement field {...} is copied verbatim from the source for
 * the parser to split and parse.
 */
#include "lexer.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEXER_MAX_INDENT 100    /* CPython's MAXINDENT */
#define LEXER_MAX_PAREN 200     /* CPython's MAXLEVEL */

struct Lexer {
    const char *path;
    const char *src;
    size_t len, pos;
    Arena *arena;
    int line;                   /* current physical line, 1-based */
    size_t line_start;          /* offset of that line's first byte */

    int indents[LEXER_MAX_INDENT + 1];      /* columns, tab size 8 */
    int altindents[LEXER_MAX_INDENT + 1];   /* columns, tab size 1 */
    int nindent;                /* index of the top of both stacks */
    int pending;                /* >0: DEDENTs to emit; <0: one INDENT */
    int pend_line, pend_col;    /* where the pending tokens sit */

    bool at_bol;                /* the next token starts a logical line */
    bool line_has_tokens;       /* this logical line produced a token */

    char parens[LEXER_MAX_PAREN];
    int paren_line[LEXER_MAX_PAREN], paren_col[LEXER_MAX_PAREN];
    int nparen;

    bool failed;
    char errmsg[256];
    int errline, errcol;
};

static const struct { const char *text; int code; } lexer_ops[] = {
#define OP_ENTRY(id, s) { s, TOK_##id },
    OPERATOR_LIST(OP_ENTRY)
#undef OP_ENTRY
};

static const char *const lexer_keywords[] = {
#define KW_NAME(id, s) s,
    KEYWORD_LIST(KW_NAME)
#undef KW_NAME
};

int lexer_op_code(const char *text, size_t len)
{
    for (size_t i = 0; i < sizeof lexer_ops / sizeof lexer_ops[0]; i++)
        if (strlen(lexer_ops[i].text) == len && memcmp(lexer_ops[i].text, text, len) == 0)
            return lexer_ops[i].code;
    return -1;
}

static int lexer_keyword(const char *s, size_t len)
{
    for (int i = 0; i < KW__COUNT; i++)
        if (strlen(lexer_keywords[i]) == len && memcmp(lexer_keywords[i], s, len) == 0)
            return i;
    return -1;
}

/* ---- errors ------------------------------------------------------------ */

static void lexer_fail_at(Lexer *lx, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void lexer_fail_at(Lexer *lx, int line, int col, const char *fmt, ...)
{
    if (lx->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lx->errmsg, sizeof lx->errmsg, fmt, ap);
    va_end(ap);
    lx->failed = true;
    lx->errline = line;
    lx->errcol = col;
}

const char *lexer_error(const Lexer *lx, int *line, int *col)
{
    if (line)
        *line = lx->failed ? lx->errline : 0;
    if (col)
        *col = lx->failed ? lx->errcol : 0;
    return lx->failed ? lx->errmsg : NULL;
}

/* ---- source checks ----------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s[0..n), or 0 with *why set.  The
 * ranges are those of CPython's decoder, so overlong forms and surrogates
 * are rejected as "invalid continuation byte" as it does. */
static size_t lexer_utf8_len(const unsigned char *s, size_t n, const char **why)
{
    unsigned c = s[0];
    size_t need;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) need = 1;
    else if (c == 0xE0) { need = 2; lo = 0xA0; }
    else if (c >= 0xE1 && c <= 0xEF) { need = 2; if (c == 0xED) hi = 0x9F; }
    else if (c == 0xF0) { need = 3; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) need = 3;
    else if (c == 0xF4) { need = 3; hi = 0x8F; }
    else {
        *why = "invalid start byte";
        return 0;
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= n) {
            *why = "unexpected end of data";
            return 0;
        }
        unsigned d = s[i];
        unsigned l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
        if (d < l || d > h) {
            *why = "invalid continuation byte";
            return 0;
        }
    }
    return need + 1;
}

/* CPython rejects NUL bytes and undecodable source before tokenizing; so
 * do we, reporting the first offender with its line and column. */
static void lexer_check_source(Lexer *lx)
{
    const unsigned char *s = (const unsigned char *)lx->src;
    int line = 1;
    size_t ls = lx->pos;
    for (size_t i = lx->pos; i < lx->len;) {
        if (s[i] == 0) {
            lexer_fail_at(lx, line, (int)(i - ls) + 1, "source code cannot contain null bytes");
            return;
        }
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= lx->len || s[i + 1] != '\n'))) {
            line++;
            ls = i + 1;
            i++;
            continue;
        }
        const char *why = NULL;
        size_t n = lexer_utf8_len(s + i, lx->len - i, &why);
        if (n == 0) {
            lexer_fail_at(lx, line, (int)(i - ls) + 1,
                          "(unicode error) 'utf-8' codec can't decode byte 0x%02x in position %zu: %s",
                          s[i], i - ls, why);
            return;
        }
        i += n;
    }
}

Lexer *lexer_new(const char *path, const char *src, size_t len, Arena *arena)
{
    Lexer *lx = calloc(1, sizeof *lx);
    if (!lx)
        return NULL;
    lx->path = path;
    lx->src = src;
    lx->len = len;
    lx->arena = arena;
    lx->line = 1;
    lx->at_bol = true;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
        lx->pos = lx->line_start = 3;
    lexer_check_source(lx);
    return lx;
}

void lexer_free(Lexer *lx)
{
    free(lx);
}

/* ---- helpers ----------------------------------------------------------- */

static int lexer_peek(const Lexer *lx, size_t ahead)
{
    size_t p = lx->pos + ahead;
    return p < lx->len ? (unsigned char)lx->src[p] : -1;
}

static int lexer_col(const Lexer *lx, size_t pos)
{
    return (int)(pos - lx->line_start) + 1;
}

static bool lexer_is_newline(int c)
{
    return c == '\n' || c == '\r';
}

/* Consumes a newline ("\n", "\r\n" or "\r") at pos and starts a new line. */
static void lexer_newline(Lexer *lx)
{
    if (lx->src[lx->pos] == '\r' && lexer_peek(lx, 1) == '\n')
        lx->pos++;
    lx->pos++;
    lx->line++;
    lx->line_start = lx->pos;
}

static bool lexer_is_name_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool lexer_is_name_char(int c)
{
    return lexer_is_name_start(c) || (c >= '0' && c <= '9');
}

static Token lexer_token(const Lexer *lx, int kind, size_t start, int line, int col)
{
    Token t;
    memset(&t, 0, sizeof t);
    t.kind = kind;
    t.line = line;
    t.col = col;
    t.text = lx->src + start;
    t.len = lx->pos - start;
    return t;
}

static Token lexer_error_token(Lexer *lx)
{
    Token t;
    memset(&t, 0, sizeof t);
    t.kind = T_ERROR;
    t.line = lx->errline;
    t.col = lx->errcol;
    t.text = lx->src + (lx->pos < lx->len ? lx->pos : lx->len);
    return t;
}

/* ---- indentation ------------------------------------------------------- */

/* At the start of a logical line: skips blank and comment-only lines, then
 * compares the indentation with the stack and queues INDENT or DEDENTs. */
static void lexer_indentation(Lexer *lx)
{
    for (;;) {
        int col = 0, altcol = 0;
        while (lx->pos < lx->len) {
            char c = lx->src[lx->pos];
            if (c == ' ') {
                col++;
                altcol++;
            } else if (c == '\t') {
                col = (col / 8 + 1) * 8;
                altcol++;
            } else if (c == '\f') {
                col = altcol = 0;
            } else {
                break;
            }
            lx->pos++;
        }
        int c = lexer_peek(lx, 0);
        if (c == -1)
            return;             /* EOF: the caller closes the blocks */
        if (c == '#' || lexer_is_newline(c)) {
            while (lx->pos < lx->len && !lexer_is_newline(lx->src[lx->pos]))
                lx->pos++;
            if (lx->pos < lx->len)
                lexer_newline(lx);
            continue;
        }
        int line = lx->line, tcol = lexer_col(lx, lx->pos);
        lx->pend_line = line;
        lx->pend_col = tcol;
        int top = lx->nindent;
        if (col == lx->indents[top]) {
            if (altcol != lx->altindents[top])
                goto tab_error;
        } else if (col > lx->indents[top]) {
            if (top + 1 >= LEXER_MAX_INDENT) {
                lexer_fail_at(lx, line, tcol, "too many levels of indentation");
                return;
            }
            if (altcol <= lx->altindents[top])
                goto tab_error;
            lx->nindent++;
            lx->indents[lx->nindent] = col;
            lx->altindents[lx->nindent] = altcol;
            lx->pending = -1;
        } else {
            while (lx->nindent > 0 && col < lx->indents[lx->nindent]) {
                lx->pending++;
                lx->nindent--;
            }
            if (col != lx->indents[lx->nindent]) {
                lexer_fail_at(lx, line, tcol,
                              "unindent does not match any outer indentation level");
                return;
            }
            if (altcol != lx->altindents[lx->nindent])
                goto tab_error;
        }
        return;
    tab_error:
        lexer_fail_at(lx, line, tcol, "inconsistent use of tabs and spaces in indentation");
        return;
    }
}

/* ---- numbers ----------------------------------------------------------- */

/* CPython lets a number touch a few keywords ("1if x else 2"). */
static bool lexer_keyword_follows(const Lexer *lx)
{
    static const char *const ok[] = { "and", "else", "for", "if", "in", "is", "not", "or" };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        size_t n = strlen(ok[i]);
        if (lx->len - lx->pos >= n && memcmp(lx->src + lx->pos, ok[i], n) == 0)
            return true;
    }
    return false;
}

static int lexer_digit_value(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 99;
}

static Token lexer_number(Lexer *lx)
{
    size_t start = lx->pos;
    int line = lx->line, col = lexer_col(lx, start);
    int c = lexer_peek(lx, 0);
    int c1 = lexer_peek(lx, 1);
    bool overflow = false;
    uint64_t v = 0;

    if (c == '0' && c1 != -1 && strchr("xXoObB", c1)) {
        int base = (c1 == 'x' || c1 == 'X') ? 16 : (c1 == 'o' || c1 == 'O') ? 8 : 2;
        const char *what = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
        int ndigits = 0;
        lx->pos += 2;
        for (;;) {
            c = lexer_peek(lx, 0);
            if (c == '_') {
                lx->pos++;
                c = lexer_peek(lx, 0);
                if (lexer_digit_value(c) >= base) {
                    lexer_fail_at(lx, line, col, "invalid %s literal", what);
                    return lexer_error_token(lx);
                }
                continue;
            }
            int d = lexer_digit_value(c);
            if (d >= base)
                break;
            if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
                overflow = true;
            else
                v = v * (uint64_t)base + (uint64_t)d;
            ndigits++;
            lx->pos++;
        }
        if (base < 10 && c >= '0' && c <= '9') {
            lexer_fail_at(lx, line, lexer_col(lx, lx->pos), "invalid digit '%c' in %s literal", c, what);
            return lexer_error_token(lx);
        }
        if (ndigits == 0 || (lexer_is_name_char(c) && !lexer_keyword_follows(lx))) {
            lexer_fail_at(lx, line, col, "invalid %s literal", what);
            return lexer_error_token(lx);
        }
        if (overflow || v > (uint64_t)INT64_MAX) {
            lexer_fail_at(lx, line, col, "integer literal too large for gilscope (64-bit ints)");
            return lexer_error_token(lx);
        }
        Token t = lexer_token(lx, T_INT, start, line, col);
        t.ival = (int64_t)v;
        return t;
    }

    bool is_float = false, nonzero = false;
    /* integer part (may be empty for ".5") */
    while (lx->pos < lx->len) {
        c = lexer_peek(lx, 0);
        if (c >= '0' && c <= '9') {
            if (c != '0')
                nonzero = true;
            uint64_t d = (uint64_t)(c - '0');
            if (v > (UINT64_MAX - d) / 10)
                overflow = true;
            else
                v = v * 10 + d;
            lx->pos++;
        } else if (c == '_') {
            c1 = lexer_peek(lx, 1);
            if (!(c1 >= '0' && c1 <= '9'))
                goto invalid_decimal;
            lx->pos++;
        } else {
            break;
        }
    }
    if (lexer_peek(lx, 0) == '.') {
        is_float = true;
        lx->pos++;
        if (lexer_peek(lx, 0) == '_')
            goto invalid_decimal;
        while ((c = lexer_peek(lx, 0)) != -1 && ((c >= '0' && c <= '9') || c == '_')) {
            if (c == '_' && !((c1 = lexer_peek(lx, 1)) >= '0' && c1 <= '9'))
                goto invalid_decimal;
            lx->pos++;
        }
    }
    c = lexer_peek(lx, 0);
    if (c == 'e' || c == 'E') {
        size_t save = lx->pos;
        lx->pos++;
        c = lexer_peek(lx, 0);
        if (c == '+' || c == '-') {
            lx->pos++;
            c = lexer_peek(lx, 0);
        }
        if (c >= '0' && c <= '9') {
            is_float = true;
            while ((c = lexer_peek(lx, 0)) != -1 && ((c >= '0' && c <= '9') || c == '_')) {
                if (c == '_' && !((c1 = lexer_peek(lx, 1)) >= '0' && c1 <= '9'))
                    goto invalid_decimal;
                lx->pos++;
            }
        } else {
            /* "1else": the e starts a keyword, not an exponent */
            lx->pos = save;
            if (!lexer_keyword_follows(lx))
                goto invalid_decimal;
        }
    }
    c = lexer_peek(lx, 0);
    if (c == 'j' || c == 'J') {
        lexer_fail_at(lx, line, col, "imaginary literals are not supported by gilscope");
        return lexer_error_token(lx);
    }
    if (lexer_is_name_char(c) && !lexer_keyword_follows(lx))
        goto invalid_decimal;

    if (is_float) {
        size_t n = lx->pos - start;
        char *buf = arena_alloc(lx->arena, n + 1);
        size_t k = 0;
        for (size_t i = start; i < lx->pos; i++)
            if (lx->src[i] != '_')
                buf[k++] = lx->src[i];
        buf[k] = '\0';
        Token t = lexer_token(lx, T_FLOAT, start, line, col);
        t.fval = strtod(buf, NULL);
        return t;
    }
    if (lx->src[start] == '0' && nonzero) {
        lexer_fail_at(lx, line, col,
                      "leading zeros in decimal integer literals are not permitted; "
                      "use an 0o prefix for octal integers");
        return lexer_error_token(lx);
    }
    if (overflow || v > (uint64_t)INT64_MAX) {
        lexer_fail_at(lx, line, col, "integer literal too large for gilscope (64-bit ints)");
        return lexer_error_token(lx);
    }
    {
        Token t = lexer_token(lx, T_INT, start, line, col);
        t.ival = (int64_t)v;
        return t;
    }

invalid_decimal:
    lexer_fail_at(lx, line, col, "invalid decimal literal");
    return lexer_error_token(lx);
}

/* ---- strings ----------------------------------------------------------- */

static size_t lexer_put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

typedef struct StrSpec {
    bool raw, bytes, fstr;
    int line, col;              /* where the literal starts, for errors */
} StrSpec;

/* Decodes one escape sequence at s[*i] (the char after the backslash is
 * s[*i + 1]) into out; returns the bytes written or -1 on error.  In an
 * f-string a brace produced by an escape is doubled, so it stays literal. */
static long lexer_escape(Lexer *lx, const StrSpec *sp, const char *s, size_t n, size_t *i,
                         char *out)
{
    size_t at = *i;             /* offset of the backslash */
    char c = s[at + 1];
    *i = at + 2;
    switch (c) {
    case '\n': return 0;
    case '\r':
        if (*i < n && s[*i] == '\n')
            (*i)++;
        return 0;
    case '\\': out[0] = '\\'; return 1;
    case '\'': out[0] = '\''; return 1;
    case '"': out[0] = '"'; return 1;
    case 'a': out[0] = '\a'; return 1;
    case 'b': out[0] = '\b'; return 1;
    case 'f': out[0] = '\f'; return 1;
    case 'n': out[0] = '\n'; return 1;
    case 'r': out[0] = '\r'; return 1;
    case 't': out[0] = '\t'; return 1;
    case 'v': out[0] = '\v'; return 1;
    default: break;
    }
    uint32_t cp = 0;
    if (c >= '0' && c <= '7') {
        size_t k = at + 1;
        for (int d = 0; d < 3 && k < n && s[k] >= '0' && s[k] <= '7'; d++, k++)
            cp = cp * 8 + (uint32_t)(s[k] - '0');
        *i = k;
        if (sp->bytes) {
            out[0] = (char)(cp & 0xFF);
            return 1;
        }
    } else if (c == 'x' || (!sp->bytes && (c == 'u' || c == 'U'))) {
        int want = c == 'x' ? 2 : c == 'u' ? 4 : 8;
        size_t k = at + 2;
        int got = 0;
        while (got < want && k < n && lexer_digit_value((unsigned char)s[k]) < 16) {
            cp = cp * 16 + (uint32_t)lexer_digit_value((unsigned char)s[k]);
            got++;
            k++;
        }
        if (got < want) {
            if (sp->bytes)
                lexer_fail_at(lx, sp->line, sp->col, "(value error) invalid \\x escape at position %zu", at);
            else
                lexer_fail_at(lx, sp->line, sp->col,
                              "(unicode error) 'unicodeescape' codec can't decode bytes in "
                              "position %zu-%zu: truncated \\%c%s escape",
                              at, at + 1 + (size_t)got, c,
                              c == 'x' ? "XX" : c == 'u' ? "XXXX" : "XXXXXXXX");
            return -1;
        }
        *i = k;
        if (sp->bytes) {
            out[0] = (char)cp;
            return 1;
        }
        if (cp > 0x10FFFF) {
            lexer_fail_at(lx, sp->line, sp->col,
                          "(unicode error) 'unicodeescape' codec can't decode bytes in "
                          "position %zu-%zu: illegal Unicode character", at, k - 1);
            return -1;
        }
    } else if (c == 'N' && !sp->bytes) {
        lexer_fail_at(lx, sp->line, sp->col, "'\\N{...}' escapes are not supported by gilscope");
        return -1;
    } else {
        /* unknown escapes stay as written, backslash included */
        out[0] = '\\';
        *i = at + 1;
        return 1;
    }
    if (sp->fstr && (cp == '{' || cp == '}')) {
        out[0] = out[1] = (char)cp;
        return 2;
    }
    return (long)lexer_put_utf8(out, cp);
}

/* Copies one f-string replacement field verbatim, s[*i] being its '{';
 * stops after the matching '}' or at the end of the contents. */
static size_t lexer_copy_field(const char *s, size_t n, size_t *i, char *out)
{
    size_t k = *i, o = 0;
    int depth = 0;
    char quote = 0;
    while (k < n) {
        char c = s[k];
        out[o++] = c;
        k++;
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '{' || c == '[' || c == '(') {
            depth++;
        } else if (c == '}' || c == ']' || c == ')') {
            if (--depth == 0 && c == '}')
                break;
        }
    }
    *i = k;
    return o;
}

/* Decodes the body s[0..n) of a string literal into the arena.  The output
 * is never longer than the input (every escape shrinks or keeps its size),
 * with source newlines normalized to "\n". */
static char *lexer_decode(Lexer *lx, const StrSpec *sp, const char *s, size_t n, size_t *outlen)
{
    char *out = arena_alloc(lx->arena, n + 1);
    size_t o = 0, i = 0;
    while (i < n) {
        char c = s[i];
        if (sp->bytes && (unsigned char)c >= 0x80) {
            lexer_fail_at(lx, sp->line, sp->col, "bytes can only contain ASCII literal characters");
            return NULL;
        }
        if (c == '\r') {
            out[o++] = '\n';
            i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
        } else if (sp->fstr && (c == '{' || c == '}')) {
            if (i + 1 < n && s[i + 1] == c) {
                out[o++] = c;
                out[o++] = c;
                i += 2;
            } else if (c == '{') {
                o += lexer_copy_field(s, n, &i, out + o);
            } else {
                out[o++] = c;   /* a single '}': the parser reports it */
                i++;
            }
        } else if (c == '\\' && i + 1 < n) {
            if (sp->raw) {
                /* a raw backslash still protects the next char from ending the
                 * literal, but both are kept */
                out[o++] = c;
                i++;
                continue;
            }
            long w = lexer_escape(lx, sp, s, n, &i, out + o);
            if (w < 0)
                return NULL;
            o += (size_t)w;
        } else {
            out[o++] = c;
            i++;
        }
    }
    out[o] = '\0';
    *outlen = o;
    return out;
}

/* Scans a string literal whose prefix starts at start and whose opening
 * quote is at lx->pos. */
static Token lexer_string(Lexer *lx, size_t start, bool raw, bool bytes, bool fstr)
{
    int line = lx->line, col = lexer_col(lx, start);
    char q = lx->src[lx->pos];
    bool triple = lexer_peek(lx, 1) == q && lexer_peek(lx, 2) == q;
    lx->pos += triple ? 3 : 1;
    size_t body = lx->pos, body_end;
    for (;;) {
        if (lx->pos >= lx->len) {
            /* CPython counts the last line that has text */
            int last = lx->line;
            if (last > line && lx->line_start == lx->len)
                last--;
            lexer_fail_at(lx, line, col, triple
                          ? "unterminated triple-quoted string literal (detected at line %d)"
                          : "unterminated string literal (detected at line %d)", last);
            return lexer_error_token(lx);
        }
        char c = lx->src[lx->pos];
        if (c == '\\' && lx->pos + 1 < lx->len) {
            lx->pos++;
            if (lexer_is_newline(lx->src[lx->pos]))
                lexer_newline(lx);
            else
                lx->pos++;
        } else if (c == q) {
            if (!triple) {
                body_end = lx->pos++;
                break;
            }
            if (lexer_peek(lx, 1) == q && lexer_peek(lx, 2) == q) {
                body_end = lx->pos;
                lx->pos += 3;
                break;
            }
            lx->pos++;
        } else if (lexer_is_newline(c)) {
            if (!triple) {
                lexer_fail_at(lx, line, col, "unterminated string literal (detected at line %d)", lx->line);
                return lexer_error_token(lx);
            }
            lexer_newline(lx);
        } else {
            lx->pos++;
        }
    }
    StrSpec sp = { raw, bytes, fstr, line, col };
    size_t n = 0;
    char *str = lexer_decode(lx, &sp, lx->src + body, body_end - body, &n);
    if (!str)
        return lexer_error_token(lx);
    Token t = lexer_token(lx, fstr ? T_FSTRING : bytes ? T_BYTES : T_STRING, start, line, col);
    t.str = str;
    t.slen = n;
    return t;
}

/* If s[0..n) followed by a quote is a string prefix, fills the flags. */
static bool lexer_string_prefix(const char *s, size_t n, bool *raw, bool *bytes, bool *fstr)
{
    if (n > 2)
        return false;
    int r = 0, b = 0, f = 0, u = 0;
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case 'r': case 'R': r++; break;
        case 'b': case 'B': b++; break;
        case 'f': case 'F': f++; break;
        case 'u': case 'U': u++; break;
        default: return false;
        }
    }
    if (r > 1 || b > 1 || f > 1 || u > 1 || (b && f) || (u && n > 1))
        return false;
    *raw = r;
    *bytes = b;
    *fstr = f;
    return true;
}

/* ---- operators --------------------------------------------------------- */

static Token lexer_operator(Lexer *lx)
{
    size_t start = lx->pos;
    int line = lx->line, col = lexer_col(lx, start);
    int code = -1;
    size_t n;
    for (n = 3; n >= 1; n--) {
        if (lx->len - start < n)
            continue;
        code = lexer_op_code(lx->src + start, n);
        if (code >= 0)
            break;
    }
    if (code < 0) {
        unsigned char c = (unsigned char)lx->src[start];
        if (c == '!' || c == '$' || c == '?' || c == '`')
            lexer_fail_at(lx, line, col, "invalid syntax");
        else if (c < 0x20 || c == 0x7F)
            lexer_fail_at(lx, line, col, "invalid non-printable character U+%04X", c);
        else
            lexer_fail_at(lx, line, col, "invalid character '%c' (U+%04X)", c, c);
        return lexer_error_token(lx);
    }
    lx->pos += n;
    char c = lx->src[start];
    if (n == 1 && (c == '(' || c == '[' || c == '{')) {
        if (lx->nparen >= LEXER_MAX_PAREN) {
            lexer_fail_at(lx, line, col, "too many nested parentheses");
            return lexer_error_token(lx);
        }
        lx->parens[lx->nparen] = c;
        lx->paren_line[lx->nparen] = line;
        lx->paren_col[lx->nparen] = col;
        lx->nparen++;
    } else if (n == 1 && (c == ')' || c == ']' || c == '}')) {
        if (lx->nparen == 0) {
            lexer_fail_at(lx, line, col, "unmatched '%c'", c);
            return lexer_error_token(lx);
        }
        char open = lx->parens[lx->nparen - 1];
        char want = open == '(' ? ')' : open == '[' ? ']' : '}';
        if (c != want) {
            int ol = lx->paren_line[lx->nparen - 1];
            if (ol == line)
                lexer_fail_at(lx, line, col,
                              "closing parenthesis '%c' does not match opening parenthesis '%c'", c, open);
            else
                lexer_fail_at(lx, line, col,
                              "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d",
                              c, open, ol);
            return lexer_error_token(lx);
        }
        lx->nparen--;
    }
    Token t = lexer_token(lx, T_OP, start, line, col);
    t.op = code;
    return t;
}

/* ---- the token loop ---------------------------------------------------- */

static Token lexer_scan(Lexer *lx)
{
restart:
    if (lx->failed)
        return lexer_error_token(lx);
    if (lx->pending > 0) {
        lx->pending--;
        return lexer_token(lx, T_DEDENT, lx->pos, lx->pend_line, lx->pend_col);
    }
    if (lx->pending < 0) {
        lx->pending = 0;
        return lexer_token(lx, T_INDENT, lx->pos, lx->pend_line, lx->pend_col);
    }
    if (lx->at_bol && lx->nparen == 0) {
        lx->at_bol = false;
        lexer_indentation(lx);
        if (lx->failed)
            return lexer_error_token(lx);
        if (lx->pending != 0)
            goto restart;
    }
    for (;;) {
        int c = lexer_peek(lx, 0);
        if (c == ' ' || c == '\t' || c == '\f') {
            lx->pos++;
        } else if (c == '#') {
            while (lx->pos < lx->len && !lexer_is_newline(lx->src[lx->pos]))
                lx->pos++;
        } else if (c == '\\') {
            int line = lx->line, col = lexer_col(lx, lx->pos);
            int n = lexer_peek(lx, 1);
            if (n == -1) {
                lexer_fail_at(lx, line, col, "unexpected EOF while parsing");
                return lexer_error_token(lx);
            }
            if (!lexer_is_newline(n)) {
                lexer_fail_at(lx, line, col + 1, "unexpected character after line continuation character");
                return lexer_error_token(lx);
            }
            lx->pos++;
            lexer_newline(lx);
            if (lx->pos >= lx->len) {
                lexer_fail_at(lx, lx->line, 1, "unexpected EOF while parsing");
                return lexer_error_token(lx);
            }
        } else if (c != -1 && lexer_is_newline(c)) {
            int line = lx->line, col = lexer_col(lx, lx->pos);
            size_t start = lx->pos;
            lexer_newline(lx);
            if (lx->nparen > 0)
                continue;
            lx->at_bol = true;
            if (lx->line_has_tokens) {
                lx->line_has_tokens = false;
                Token t = lexer_token(lx, T_NEWLINE, start, line, col);
                t.len = 1;
                return t;
            }
            goto restart;
        } else {
            break;
        }
    }

    if (lx->pos >= lx->len) {
        if (lx->nparen > 0) {
            int i = lx->nparen - 1;
            lexer_fail_at(lx, lx->paren_line[i], lx->paren_col[i], "'%c' was never closed", lx->parens[i]);
            return lexer_error_token(lx);
        }
        int line = lx->line, col = lexer_col(lx, lx->pos);
        if (lx->line_has_tokens) {
            lx->line_has_tokens = false;
            return lexer_token(lx, T_NEWLINE, lx->pos, line, col);
        }
        if (lx->nindent > 0) {
            lx->nindent--;
            return lexer_token(lx, T_DEDENT, lx->pos, line, col);
        }
        return lexer_token(lx, T_EOF, lx->pos, line, col);
    }

    int c = lexer_peek(lx, 0);
    size_t start = lx->pos;
    int line = lx->line, col = lexer_col(lx, start);
    if (lexer_is_name_start(c)) {
        while (lx->pos < lx->len && lexer_is_name_char((unsigned char)lx->src[lx->pos]))
            lx->pos++;
        size_t n = lx->pos - start;
        int q = lexer_peek(lx, 0);
        bool raw, bytes, fstr;
        if ((q == '\'' || q == '"') && lexer_string_prefix(lx->src + start, n, &raw, &bytes, &fstr))
            return lexer_string(lx, start, raw, bytes, fstr);
        int kw = lexer_keyword(lx->src + start, n);
        Token t = lexer_token(lx, kw >= 0 ? T_KEYWORD : T_NAME, start, line, col);
        t.op = kw;
        return t;
    }
    if ((c >= '0' && c <= '9') || (c == '.' && lexer_peek(lx, 1) >= '0' && lexer_peek(lx, 1) <= '9'))
        return lexer_number(lx);
    if (c == '\'' || c == '"')
        return lexer_string(lx, start, false, false, false);
    return lexer_operator(lx);
}

Token lexer_next(Lexer *lx)
{
    Token t = lexer_scan(lx);
    if (t.kind != T_NEWLINE && t.kind != T_INDENT && t.kind != T_DEDENT &&
        t.kind != T_EOF && t.kind != T_ERROR)
        lx->line_has_tokens = true;
    return t;
}
