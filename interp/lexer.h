/*
 * lexer.h -- turns workload source into tokens, with INDENT/DEDENT as
 * Python's tokenizer makes them.
 */
#ifndef INTERP_LEXER_H
#define INTERP_LEXER_H

#include <stddef.h>
#include <stdint.h>
#include "ast.h"

typedef enum {
    T_EOF, T_NEWLINE, T_INDENT, T_DEDENT,
    T_NAME, T_INT, T_FLOAT, T_STRING, T_BYTES, T_FSTRING,
    T_OP,       /* operator or delimiter: text in tok.text, code in tok.op */
    T_KEYWORD,  /* keyword: code in tok.op (KW_*) */
    T_ERROR
} TokKind;

/* Keywords, in tok.op when kind == T_KEYWORD. */
#define KEYWORD_LIST(X) \
    X(FALSE, "False") X(NONE, "None") X(TRUE, "True") X(AND, "and") X(AS, "as") \
    X(ASSERT, "assert") X(BREAK, "break") X(CLASS, "class") X(CONTINUE, "continue") \
    X(DEF, "def") X(DEL, "del") X(ELIF, "elif") X(ELSE, "else") X(EXCEPT, "except") \
    X(FINALLY, "finally") X(FOR, "for") X(FROM, "from") X(GLOBAL, "global") \
    X(IF, "if") X(IMPORT, "import") X(IN, "in") X(IS, "is") X(LAMBDA, "lambda") \
    X(NONLOCAL, "nonlocal") X(NOT, "not") X(OR, "or") X(PASS, "pass") \
    X(RAISE, "raise") X(RETURN, "return") X(TRY, "try") X(WHILE, "while") \
    X(WITH, "with") X(YIELD, "yield") X(ASYNC, "async") X(AWAIT, "await")
#define KW_ENUM(id, s) KW_##id,
enum { KEYWORD_LIST(KW_ENUM) KW__COUNT };
#undef KW_ENUM

typedef struct Token {
    int kind;               /* TokKind */
    int op;                 /* KW_* for keywords; for T_OP a code from lexer_op_code() */
    int line, col;          /* 1-based; col in bytes */
    const char *text;       /* points into the source */
    size_t len;
    int64_t ival;           /* T_INT */
    double fval;            /* T_FLOAT */
    char *str;              /* T_STRING/T_BYTES/T_FSTRING: decoded contents (arena) */
    size_t slen;
} Token;

typedef struct Lexer Lexer;

/* The lexer reads src[0..len) (not copied: must outlive the lexer) and
 * allocates decoded strings in arena. */
Lexer *lexer_new(const char *path, const char *src, size_t len, Arena *arena);
void lexer_free(Lexer *lx);
/* The next token.  On a lexical error returns T_ERROR and lexer_error()
 * describes it. */
Token lexer_next(Lexer *lx);
/* The message of the last error and its position ("unterminated string literal"). */
const char *lexer_error(const Lexer *lx, int *line, int *col);

/* Operators and delimiters, in tok.op when kind == T_OP.  (Added with the
 * lexer: tok.op above refers to these codes.)
 *
 * T_FSTRING's str is half-decoded: the literal text has its escapes
 * processed (unless raw) with "{{" and "}}" left doubled (a brace made by
 * an escape is doubled too), and each {field} is copied verbatim for the
 * parser to split.  T_NAME tokens carry tok.op = -1. */
#define OPERATOR_LIST(X) \
    X(LPAR, "(") X(RPAR, ")") X(LSQB, "[") X(RSQB, "]") X(LBRACE, "{") \
    X(RBRACE, "}") X(COLON, ":") X(COMMA, ",") X(SEMI, ";") X(PLUS, "+") \
    X(MINUS, "-") X(STAR, "*") X(SLASH, "/") X(VBAR, "|") X(AMPER, "&") \
    X(LESS, "<") X(GREATER, ">") X(EQUAL, "=") X(DOT, ".") X(PERCENT, "%") \
    X(EQEQUAL, "==") X(NOTEQUAL, "!=") X(LESSEQUAL, "<=") X(GREATEREQUAL, ">=") \
    X(TILDE, "~") X(CIRCUMFLEX, "^") X(LEFTSHIFT, "<<") X(RIGHTSHIFT, ">>") \
    X(DOUBLESTAR, "**") X(PLUSEQUAL, "+=") X(MINEQUAL, "-=") X(STAREQUAL, "*=") \
    X(SLASHEQUAL, "/=") X(PERCENTEQUAL, "%=") X(AMPEREQUAL, "&=") \
    X(VBAREQUAL, "|=") X(CIRCUMFLEXEQUAL, "^=") X(LEFTSHIFTEQUAL, "<<=") \
    X(RIGHTSHIFTEQUAL, ">>=") X(DOUBLESTAREQUAL, "**=") X(DOUBLESLASH, "//") \
    X(DOUBLESLASHEQUAL, "//=") X(AT, "@") X(ATEQUAL, "@=") X(RARROW, "->") \
    X(ELLIPSIS, "...") X(COLONEQUAL, ":=")
#define TOK_ENUM(id, s) TOK_##id,
enum { OPERATOR_LIST(TOK_ENUM) TOK__COUNT };
#undef TOK_ENUM

/* The TOK_* code of the operator text[0..len), or -1 if it is none. */
int lexer_op_code(const char *text, size_t len);

#endif
