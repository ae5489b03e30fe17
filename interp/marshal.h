/*
 * marshal.h -- values to bytes and back, for what crosses processes
 * (multiprocessing.Queue items, Connection.send, Pool tasks).  The
 * encoding is private to one gilscope binary: both ends are the same
 * executable, forked from one another.
 *
 * A value is one tag byte, then:
 *   'N' 'T' 'F'     None, True, False
 *   'i' VARINT      int, zigzag-coded (0,-1,1,-2,... -> 0,1,2,3,...)
 *   'f' 8 bytes     float, IEEE 754 binary64, little-endian
 *   's' LEN BYTES   str (UTF-8, checked on load)      'b' LEN BYTES  bytes
 *   't' N VALUE*N   tuple      'l' N VALUE*N  list     'S' N VALUE*N  set
 *   'd' N (KEY VALUE)*N        dict, in insertion order
 *   'g' STR STR     a global by reference: module name, then the name of a
 *                   module-level function or class in it ("builtins" for
 *                   builtins); loaded by looking the name up again, as
 *                   pickle does (fork start method: the child has them)
 *   'o' 'g'.. DICT  an instance of a user class: its class by reference and
 *                   its attribute dict (no __init__ call on load, as pickle)
 *   'e' 'g'.. TUPLE DICT  an exception: class, args, other attributes;
 *                   loaded as cls(*args) and the attributes set
 * where VARINT/LEN/N are unsigned LEB128 (at most 10 bytes).  Nesting is
 * limited to MARSHAL_MAX_DEPTH (a cycle fails with ValueError).
 */
#ifndef INTERP_MARSHAL_H
#define INTERP_MARSHAL_H

#include <stddef.h>

#include "object.h"

#define MARSHAL_MAX_DEPTH 200

/* Appends the encoding of v (borrowed) to sb.  0, or -1 with an exception
 * set: TypeError "cannot send <type> across processes" for a value of
 * another type (or a function that is not a module-level global),
 * ValueError when nested too deeply.  Needs the GIL. */
int marshal_dump(Thread *t, Value v, StrBuf *sb);
/* Decodes exactly len bytes (any bytes: malformed input never crashes).
 * A new reference, or VAL_ERR with ValueError "bad marshal data (...)"
 * (or the error a lookup, a hash or an exception's constructor raised).
 * Needs the GIL. */
Value marshal_load(Thread *t, const void *data, size_t len);

#endif
