/*
 * compiler.h -- from the syntax tree to code objects.
 */
#ifndef INTERP_COMPILER_H
#define INTERP_COMPILER_H

#include "ast.h"
#include "code.h"
#include "parser.h"

/* Parses and compiles a module's source.  Returns a new Code (module code,
 * CO_MODULE), or NULL with *err describing the syntax error (the parser's,
 * or the compiler's own: "'return' outside function", ...). */
Code *compile_module(Vm *vm, const char *path, const char *src, size_t len, ParseError *err);

#endif
