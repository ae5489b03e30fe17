/*
 * parser.h -- recursive-descent parser from tokens to the tree of ast.h.
 */
#ifndef INTERP_PARSER_H
#define INTERP_PARSER_H

#include "ast.h"

/* A syntax error: where and what was expected.  The message follows
 * CPython's wording where it has one ("invalid syntax", "expected ':'",
 * "unexpected indent", "unterminated string literal (detected at line 3)"). */
typedef struct ParseError {
    int line, col;          /* 1-based */
    char msg[256];
    char kind[32];          /* "SyntaxError", "IndentationError" or "TabError" */
} ParseError;

/* Parses a whole module into an N_MODULE node (its statements in body).
 * NULL on error with *err filled.  Everything is allocated in arena. */
Node *parse_module(const char *path, const char *src, size_t len, Arena *arena, ParseError *err);

#endif
