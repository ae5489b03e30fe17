/*
 * test_lexer.c -- the tokenizer: logical lines, indentation, literals and
 * the lexical errors with CPython's wording and positions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"

/* Renders the token stream of src[0..len) in one line: names, keywords and
 * operators by their text, literals by kind and value, and NL/IN/DE/EOF for
 * the layout tokens; a lexical error ends it as ERR(msg@line:col). */
static char *lex_dump_n(const char *src, size_t len)
{
    Arena *a = arena_new();
    Lexer *lx = lexer_new("t.py", src, len, a);
    size_t cap = 4096, n = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (int guard = 0; guard < 10000; guard++) {
        Token t = lexer_next(lx);
        char item[600];
        switch (t.kind) {
        case T_EOF: snprintf(item, sizeof item, "EOF"); break;
        case T_NEWLINE: snprintf(item, sizeof item, "NL"); break;
        case T_INDENT: snprintf(item, sizeof item, "IN"); break;
        case T_DEDENT: snprintf(item, sizeof item, "DE"); break;
        case T_INT: snprintf(item, sizeof item, "#%lld", (long long)t.ival); break;
        case T_FLOAT: snprintf(item, sizeof item, "%%%g", t.fval); break;
        case T_STRING: case T_BYTES: case T_FSTRING:
            snprintf(item, sizeof item, "%s<%.*s>", t.kind == T_STRING ? "S" : t.kind == T_BYTES ? "B" : "F",
                     (int)t.slen, t.str);
            break;
        case T_ERROR: {
            int line, col;
            const char *msg = lexer_error(lx, &line, &col);
            snprintf(item, sizeof item, "ERR(%s@%d:%d)", msg, line, col);
            break;
        }
        default:
            snprintf(item, sizeof item, "%.*s", (int)t.len, t.text);
            break;
        }
        size_t k = strlen(item);
        if (n + k + 2 > cap) {
            cap = (n + k + 2) * 2;
            out = realloc(out, cap);
        }
        if (n)
            out[n++] = ' ';
        memcpy(out + n, item, k + 1);
        n += k;
        if (t.kind == T_EOF || t.kind == T_ERROR)
            break;
    }
    lexer_free(lx);
    arena_free(a);
    return out;
}

static char *lex_dump(const char *src)
{
    return lex_dump_n(src, strlen(src));
}

#define assert_lex(src, want) do {                  \
        char *got_ = lex_dump(src);                  \
        assert_string_equal(got_, want);             \
        free(got_);                                  \
    } while (0)

/* The first token of src. */
static Token lex_first(Arena *a, const char *src)
{
    Lexer *lx = lexer_new("t.py", src, strlen(src), a);
    Token t = lexer_next(lx);
    lexer_free(lx);
    return t;
}

static void test_simple_line(void **state)
{
    (void)state;
    assert_lex("x = f(1, y)\n", "x = f ( #1 , y ) NL EOF");
    assert_lex("", "EOF");
    assert_lex("\n\n   \n# only a comment\n", "EOF");
}

static void test_keywords_and_names(void **state)
{
    (void)state;
    Arena *a = arena_new();
    Token t = lex_first(a, "while");
    assert_int_equal(t.kind, T_KEYWORD);
    assert_int_equal(t.op, KW_WHILE);
    t = lex_first(a, "whiles");
    assert_int_equal(t.kind, T_NAME);
    assert_int_equal(t.len, 6);
    t = lex_first(a, "None");
    assert_int_equal(t.op, KW_NONE);
    t = lex_first(a, "_priv9");
    assert_int_equal(t.kind, T_NAME);
    t = lex_first(a, "caf\xc3\xa9 = 1");   /* non-ASCII identifier */
    assert_int_equal(t.kind, T_NAME);
    assert_int_equal(t.len, 5);
    arena_free(a);
}

static void test_operators_longest_match(void **state)
{
    (void)state;
    assert_lex("a **= b //= c -> ... != <= >= == << >> <<= >>= := @\n",
               "a **= b //= c -> ... != <= >= == << >> <<= >>= := @ NL EOF");
    Arena *a = arena_new();
    Token t = lex_first(a, "**=");
    assert_int_equal(t.kind, T_OP);
    assert_int_equal(t.op, TOK_DOUBLESTAREQUAL);
    assert_int_equal(lexer_op_code("//", 2), TOK_DOUBLESLASH);
    assert_int_equal(lexer_op_code("$", 1), -1);
    arena_free(a);
}

static void test_nested_blocks(void **state)
{
    (void)state;
    assert_lex("if a:\n    b\n    if c:\n        d\n    e\nf\n",
               "if a : NL IN b NL if c : NL IN d NL DE e NL DE f NL EOF");
}

static void test_dedent_several_levels(void **state)
{
    (void)state;
    assert_lex("if a:\n  if b:\n    if c:\n      d\ne\n",
               "if a : NL IN if b : NL IN if c : NL IN d NL DE DE DE e NL EOF");
    /* partially back out: to a level that exists */
    assert_lex("if a:\n  if b:\n    c\n  d\n",
               "if a : NL IN if b : NL IN c NL DE d NL DE EOF");
}

static void test_blank_and_comment_lines_ignored(void **state)
{
    (void)state;
    assert_lex("if a:\n\n      # deep comment\n  # shallow\n\n    b\n        \n# col 0\n    c\n",
               "if a : NL IN b NL c NL DE EOF");
}

static void test_eof_without_newline(void **state)
{
    (void)state;
    assert_lex("if a:\n    b", "if a : NL IN b NL DE EOF");
    assert_lex("x", "x NL EOF");
    assert_lex("x # comment", "x NL EOF");
    /* EOF keeps returning EOF */
    Arena *a = arena_new();
    Lexer *lx = lexer_new("t.py", "x", 1, a);
    int kinds[5];
    for (int i = 0; i < 5; i++)
        kinds[i] = lexer_next(lx).kind;
    assert_int_equal(kinds[0], T_NAME);
    assert_int_equal(kinds[1], T_NEWLINE);
    assert_int_equal(kinds[2], T_EOF);
    assert_int_equal(kinds[4], T_EOF);
    lexer_free(lx);
    arena_free(a);
}

static void test_tabs(void **state)
{
    (void)state;
    /* consistent tabs, and a tab that equals 8 columns in both measures */
    assert_lex("if a:\n\tif b:\n\t\tc\n\td\n", "if a : NL IN if b : NL IN c NL DE d NL DE EOF");
    assert_lex("if a:\n\tb\n\tc\n", "if a : NL IN b NL c NL DE EOF");
}

static void test_tab_error(void **state)
{
    (void)state;
    /* a tab and 8 spaces are equal at tab size 8 but not at tab size 1 */
    assert_lex("if a:\n\tb\n        c\n",
               "if a : NL IN b NL ERR(inconsistent use of tabs and spaces in indentation@3:9)");
    assert_lex("if a:\n        b\n\tc\n",
               "if a : NL IN b NL ERR(inconsistent use of tabs and spaces in indentation@3:2)");
}

static void test_unindent_mismatch(void **state)
{
    (void)state;
    assert_lex("if a:\n    b\n  c\n",
               "if a : NL IN b NL ERR(unindent does not match any outer indentation level@3:3)");
}

static void test_implicit_line_joining(void **state)
{
    (void)state;
    assert_lex("x = (1,\n  2,\n\n      # c\n3)\ny = [\n]\n", "x = ( #1 , #2 , #3 ) NL y = [ ] NL EOF");
    assert_lex("if a:\n    f(1,\n2)\n    b\n", "if a : NL IN f ( #1 , #2 ) NL b NL DE EOF");
}

static void test_backslash_continuation(void **state)
{
    (void)state;
    assert_lex("x = 1 + \\\n    2\ny\n", "x = #1 + #2 NL y NL EOF");
    assert_lex("x = 1 \\ 2\n", "x = #1 ERR(unexpected character after line continuation character@1:8)");
    assert_lex("x = \\", "x = ERR(unexpected EOF while parsing@1:5)");
}

static void test_crlf(void **state)
{
    (void)state;
    assert_lex("if a:\r\n  b\r\nc\r\n", "if a : NL IN b NL DE c NL EOF");
    assert_lex("s = '''x\r\ny'''\r\n", "s = S<x\ny> NL EOF");
}

static void test_string_prefixes(void **state)
{
    (void)state;
    assert_lex("'a' \"b\" '''c''' \"\"\"d\"\"\"", "S<a> S<b> S<c> S<d> NL EOF");
    assert_lex("r'\\n' R'\\n' u'x' U'y'", "S<\\n> S<\\n> S<x> S<y> NL EOF");
    assert_lex("b'x' B'y' rb'\\n' bR'\\n' Br'\\n' RB'\\n'", "B<x> B<y> B<\\n> B<\\n> B<\\n> B<\\n> NL EOF");
    assert_lex("f'x' F'y' fr'\\n' rF'\\n' FR'z' Rf'w'", "F<x> F<y> F<\\n> F<\\n> F<z> F<w> NL EOF");
    /* not prefixes: a name and a string */
    assert_lex("br2'x'", "br2 S<x> NL EOF");
    assert_lex("bf'x'", "bf S<x> NL EOF");
}

static void test_string_escapes(void **state)
{
    (void)state;
    Arena *a = arena_new();
    Token t = lex_first(a, "'\\n\\t\\r\\\\\\'\\\"\\a\\b\\f\\v\\0'");
    assert_int_equal(t.kind, T_STRING);
    assert_int_equal(t.slen, 11);
    assert_memory_equal(t.str, "\n\t\r\\'\"\a\b\f\v\0", 11);
    t = lex_first(a, "'\\101\\x41\\u00e9\\U0001F600\\7'");
    assert_string_equal(t.str, "AA\xc3\xa9\xf0\x9f\x98\x80\x07");
    /* octal above 0o177 is a code point, encoded as UTF-8 */
    t = lex_first(a, "'\\377'");
    assert_string_equal(t.str, "\xc3\xbf");
    /* unknown escapes stay as written */
    t = lex_first(a, "'\\q\\d\\N'");
    assert_int_equal(t.kind, T_ERROR);     /* \N{...} is not supported */
    t = lex_first(a, "'\\q\\d'");
    assert_string_equal(t.str, "\\q\\d");
    /* backslash-newline inside a string joins the lines */
    t = lex_first(a, "'ab\\\ncd'");
    assert_string_equal(t.str, "abcd");
    arena_free(a);
}

static void test_raw_and_bytes_strings(void **state)
{
    (void)state;
    Arena *a = arena_new();
    Token t = lex_first(a, "r'\\''");
    assert_string_equal(t.str, "\\'");
    t = lex_first(a, "b'\\xff\\u1234\\377'");
    assert_int_equal(t.kind, T_BYTES);
    assert_int_equal(t.slen, 8);
    assert_memory_equal(t.str, "\xff\\u1234\xff", 8);
    arena_free(a);
    assert_lex("b'caf\xc3\xa9'", "ERR(bytes can only contain ASCII literal characters@1:1)");
    assert_lex("x = '\\x4'",
               "x = ERR((unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: "
               "truncated \\xXX escape@1:5)");
    assert_lex("x = b'\\x4'", "x = ERR((value error) invalid \\x escape at position 0@1:5)");
}

static void test_triple_quoted_lines(void **state)
{
    (void)state;
    Arena *a = arena_new();
    const char *src = "s = '''one\ntwo ' \"\" '' \n'''\nt = 1\n";
    Lexer *lx = lexer_new("t.py", src, strlen(src), a);
    Token t;
    for (int i = 0; i < 3; i++)
        t = lexer_next(lx);
    assert_int_equal(t.kind, T_STRING);
    assert_string_equal(t.str, "one\ntwo ' \"\" '' \n");
    assert_int_equal(t.line, 1);
    assert_int_equal(t.col, 5);
    t = lexer_next(lx);
    assert_int_equal(t.kind, T_NEWLINE);
    t = lexer_next(lx);
    assert_int_equal(t.kind, T_NAME);
    assert_int_equal(t.line, 4);
    assert_int_equal(t.col, 1);
    lexer_free(lx);
    arena_free(a);
}

static void test_unterminated_strings(void **state)
{
    (void)state;
    assert_lex("x = 'abc\ny = 2\n", "x = ERR(unterminated string literal (detected at line 1)@1:5)");
    assert_lex("x = 'abc", "x = ERR(unterminated string literal (detected at line 1)@1:5)");
    assert_lex("x = 1\ny = '''abc\n\nz\n",
               "x = #1 NL y = ERR(unterminated triple-quoted string literal (detected at line 4)@2:5)");
    assert_lex("x = r'\\'", "x = ERR(unterminated string literal (detected at line 1)@1:5)");
}

static void test_fstring_token_contents(void **state)
{
    (void)state;
    /* escapes decoded outside fields, fields verbatim, {{ kept doubled,
     * a brace from an escape doubled so it stays literal */
    assert_lex("f'a\\tb{x!r:>{w}}{{c}}\\x7b{d[\"k\"]}'", "F<a\tb{x!r:>{w}}{{c}}{{{d[\"k\"]}> NL EOF");
    assert_lex("rf'\\n{x}'", "F<\\n{x}> NL EOF");
}

static void test_numbers(void **state)
{
    (void)state;
    assert_lex("0 7 1_000 0x_FF 0o17 0O7 0b1010 0B1 00 0_0",
               "#0 #7 #1000 #255 #15 #7 #10 #1 #0 #0 NL EOF");
    assert_lex("1. .5 1e10 1.5e-3 1E+2 0.0 1_0.2_5 09.5 0e0",
               "%1 %0.5 %1e+10 %0.0015 %100 %0 %10.25 %9.5 %0 NL EOF");
    assert_lex("9223372036854775807", "#9223372036854775807 NL EOF");
    assert_lex("x.real 1 .real", "x . real #1 . real NL EOF");
    /* a number may touch a keyword, as CPython allows */
    assert_lex("1if x else 2", "#1 if x else #2 NL EOF");
}

static void test_number_errors(void **state)
{
    (void)state;
    assert_lex("x = 9223372036854775808",
               "x = ERR(integer literal too large for gilscope (64-bit ints)@1:5)");
    assert_lex("x = 0x10000000000000000",
               "x = ERR(integer literal too large for gilscope (64-bit ints)@1:5)");
    assert_lex("x = 0777",
               "x = ERR(leading zeros in decimal integer literals are not permitted; "
               "use an 0o prefix for octal integers@1:5)");
    assert_lex("x = 1j", "x = ERR(imaginary literals are not supported by gilscope@1:5)");
    assert_lex("x = 0o19", "x = ERR(invalid digit '9' in octal literal@1:8)");
    assert_lex("x = 0b2", "x = ERR(invalid digit '2' in binary literal@1:7)");
    assert_lex("x = 0x", "x = ERR(invalid hexadecimal literal@1:5)");
    assert_lex("x = 1_", "x = ERR(invalid decimal literal@1:5)");
    assert_lex("x = 1__0", "x = ERR(invalid decimal literal@1:5)");
    assert_lex("x = 1abc", "x = ERR(invalid decimal literal@1:5)");
    assert_lex("x = 1e", "x = ERR(invalid decimal literal@1:5)");
}

static void test_source_checks(void **state)
{
    (void)state;
    char *got = lex_dump_n("x = 1\ny = \0\n", 12);
    assert_string_equal(got, "ERR(source code cannot contain null bytes@2:5)");
    free(got);
    assert_lex("x = 1\n# \xff\n",
               "ERR((unicode error) 'utf-8' codec can't decode byte 0xff in position 2: invalid start byte@2:3)");
    assert_lex("s = '\xc3('", "ERR((unicode error) 'utf-8' codec can't decode byte 0xc3 in position 5: "
               "invalid continuation byte@1:6)");
    assert_lex("s = '\xe2\x82", "ERR((unicode error) 'utf-8' codec can't decode byte 0xe2 in position 5: "
               "unexpected end of data@1:6)");
    /* a BOM is skipped, columns count from after it */
    Arena *a = arena_new();
    Token t = lex_first(a, "\xef\xbb\xbfx = 1");
    assert_int_equal(t.kind, T_NAME);
    assert_int_equal(t.col, 1);
    arena_free(a);
}

static void test_bracket_errors(void **state)
{
    (void)state;
    assert_lex("x = )", "x = ERR(unmatched ')'@1:5)");
    assert_lex("x = (1,\n2\n", "x = ( #1 , #2 ERR('(' was never closed@1:5)");
    assert_lex("x = (]", "x = ( ERR(closing parenthesis ']' does not match opening parenthesis '('@1:6)");
    assert_lex("x = {\n]",
               "x = { ERR(closing parenthesis ']' does not match opening parenthesis '{' on line 1@2:1)");
}

static void test_too_many_nested_parens(void **state)
{
    (void)state;
    size_t n = 10000;
    char *src = malloc(n + 1);
    memset(src, '(', n);
    src[n] = '\0';
    char *got = lex_dump(src);
    assert_non_null(strstr(got, "ERR(too many nested parentheses@1:201)"));
    free(got);
    free(src);
}

static void test_positions(void **state)
{
    (void)state;
    Arena *a = arena_new();
    const char *src = "if x:\n    yy = 'a' + 3\n";
    Lexer *lx = lexer_new("t.py", src, strlen(src), a);
    Token t;
    do
        t = lexer_next(lx);
    while (t.kind != T_STRING);
    assert_int_equal(t.line, 2);
    assert_int_equal(t.col, 10);
    assert_int_equal(t.len, 3);
    lexer_free(lx);
    arena_free(a);
}

static void test_error_is_sticky(void **state)
{
    (void)state;
    Arena *a = arena_new();
    Lexer *lx = lexer_new("t.py", "x = $ y", 7, a);
    lexer_next(lx);
    lexer_next(lx);
    assert_int_equal(lexer_next(lx).kind, T_ERROR);
    assert_int_equal(lexer_next(lx).kind, T_ERROR);
    int line, col;
    assert_string_equal(lexer_error(lx, &line, &col), "invalid syntax");
    assert_int_equal(col, 5);
    lexer_free(lx);
    arena_free(a);
}

static void test_arena(void **state)
{
    (void)state;
    Arena *a = arena_new();
    for (int i = 0; i < 1000; i++) {
        char *p = arena_alloc(a, (size_t)(i % 37) + 1);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (int k = 0; k < i % 37 + 1; k++)
            assert_int_equal(p[k], 0);
        memset(p, 0xAB, (size_t)(i % 37) + 1);
    }
    char *big = arena_alloc(a, 1 << 20);
    assert_int_equal(big[(1 << 20) - 1], 0);
    char *s = arena_strndup(a, "hello world", 5);
    assert_string_equal(s, "hello");
    NodeList l = { NULL, 0, 0 };
    Node *fake = arena_alloc(a, 64);
    for (int i = 0; i < 100; i++)
        nodelist_push(a, &l, i % 2 ? fake : NULL);
    assert_int_equal(l.len, 100);
    assert_ptr_equal(l.items[99], fake);
    assert_null(l.items[98]);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_line),
        cmocka_unit_test(test_keywords_and_names),
        cmocka_unit_test(test_operators_longest_match),
        cmocka_unit_test(test_nested_blocks),
        cmocka_unit_test(test_dedent_several_levels),
        cmocka_unit_test(test_blank_and_comment_lines_ignored),
        cmocka_unit_test(test_eof_without_newline),
        cmocka_unit_test(test_tabs),
        cmocka_unit_test(test_tab_error),
        cmocka_unit_test(test_unindent_mismatch),
        cmocka_unit_test(test_implicit_line_joining),
        cmocka_unit_test(test_backslash_continuation),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_string_prefixes),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_raw_and_bytes_strings),
        cmocka_unit_test(test_triple_quoted_lines),
        cmocka_unit_test(test_unterminated_strings),
        cmocka_unit_test(test_fstring_token_contents),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_number_errors),
        cmocka_unit_test(test_source_checks),
        cmocka_unit_test(test_bracket_errors),
        cmocka_unit_test(test_too_many_nested_parens),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_error_is_sticky),
        cmocka_unit_test(test_arena),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
