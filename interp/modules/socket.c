/*
 * socket.c -- the socket module: loopback TCP/UDP and socketpair, with
 * CPython's names, messages and GIL behaviour.
 *
 * A socket object is an ObjHandle of the builtin class `socket` whose ptr
 * is a Sock (the fd, closed when the handle is freed) and whose tag is
 * SOCK_TAG.  Methods are is_method natives in the class dict, so they bind
 * to the instance as CPython's do.
 *
 * The GIL: every call that may block (accept, connect, send, sendall,
 * recv, recvfrom, sendto, and the poll() of a socket with a timeout) runs
 * only its system call between vm_blocking_begin(t, BLOCK_SOCKET) and
 * vm_blocking_end(t), as CPython's sock_call_ex does with
 * Py_BEGIN/END_ALLOW_THREADS -- even when the call completes at once (data
 * already buffered).  That unconditional release is what produces the
 * convoy effect of bpo-7946.  Between the two no Python object is touched:
 * outgoing data is copied to a C buffer first, incoming data lands in one
 * and becomes bytes afterwards, and the fd is read before releasing.
 *
 * Timeouts follow CPython: None = a blocking fd; 0.0 = non-blocking (EAGAIN
 * raises BlockingIOError); t > 0 = a non-blocking fd plus poll() with the
 * time left, TimeoutError("timed out") when it runs out (socket.timeout is
 * TimeoutError, as in 3.10+).
 *
 * Host names: numeric IPv4 (inet_aton), 'localhost', '' (INADDR_ANY) and
 * '<broadcast>'.  Nothing goes to DNS: any other name raises socket.gaierror.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* accept4, MSG_NOSIGNAL, SOCK_CLOEXEC */
#endif
#include "vm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define SOCK_TAG 0x534f434b     /* 'SOCK': ObjHandle.tag of a socket */

typedef struct Sock {
    int fd;                 /* -1 once closed or detached */
    int family;
    int type;               /* without SOCK_NONBLOCK / SOCK_CLOEXEC */
    int proto;
    double timeout;         /* seconds; < 0 means None (a blocking fd) */
} Sock;

typedef struct SockAddr {
    struct sockaddr_storage ss;
    socklen_t len;
} SockAddr;

/* ---- small helpers ---------------------------------------------------------- */

static void sock_finalize(void *ptr)
{
    Sock *s = ptr;
    if (s->fd >= 0)
        close(s->fd);
    mem_free(s);
}

static double sock_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A new socket object of class cls owning fd; a new reference. */
static Value sock_wrap(Vm *vm, ObjClass *cls, int fd, int family, int type, int proto)
{
    Sock *s = mem_alloc(sizeof *s);
    s->fd = fd;
    s->family = family;
    s->type = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    s->proto = proto;
    s->timeout = -1.0;
    obj_incref(&cls->obj);      /* as sys.c: balanced whether or not handles own their class */
    ObjHandle *h = (ObjHandle *)obj_alloc(vm, sizeof(ObjHandle), OBJ_HANDLE, cls);
    h->ptr = s;
    h->finalize = sock_finalize;
    h->tag = SOCK_TAG;
    return val_obj(&h->obj);
}

/* The Sock of a method's receiver, or NULL with TypeError. */
static Sock *sock_self(Thread *t, Value self, const char *method)
{
    if (IS_KIND(self, OBJ_HANDLE) && AS_HANDLE(self)->tag == SOCK_TAG && AS_HANDLE(self)->ptr)
        return AS_HANDLE(self)->ptr;
    vm_raise(t, EXC_TypeError, "descriptor '%s' for '_socket.socket' objects doesn't apply to a '%s' object",
             method, vm_type_name(t->vm, self));
    return NULL;
}

/* The receiver's Sock after checking the argument count (no keywords). */
static Sock *sock_method(Thread *t, Value self, const char *method, int argc, ObjTuple *kw,
                         int nmin, int nmax)
{
    Sock *s = sock_self(t, self, method);
    if (!s || !arg_count(t, method, argc, kw, nmin, nmax))
        return NULL;
    return s;
}

/* The open fd of s, or -1 with OSError EBADF (a closed socket). */
static int sock_fd(Thread *t, Sock *s)
{
    if (s->fd < 0)
        vm_raise_errno(t, EBADF, NULL);
    return s->fd;
}

/* Ctrl-C while a system call waited: KeyboardInterrupt on the main thread,
 * as CPython's PyErr_CheckSignals after EINTR.  0, or -1 with it raised. */
static int sock_check_signals(Thread *t)
{
    if (vm_interrupt_pending(t)) {
        vm_raise_interrupt(t);
        return -1;
    }
    return 0;
}

static Value sock_raise_timeout(Thread *t)
{
    return vm_raise(t, EXC_TimeoutError, "timed out");
}

/* socket.gaierror (the module's class, else OSError) with CPython's text. */
static Value sock_raise_gaierror(Thread *t, int code, const char *msg)
{
    Vm *vm = t->vm;
    Value *mod = dict_find_str(vm->modules, str_intern_cstr(vm, "socket"));
    Value *cls = mod && IS_KIND(*mod, OBJ_MODULE)
                     ? dict_find_str(AS_MODULE(*mod)->dict, str_intern_cstr(vm, "gaierror"))
                     : NULL;
    if (!cls || !IS_CLASS(*cls))
        return vm_raise(t, EXC_OSError, "[Errno %d] %s", code, msg);
    char buf[160];
    snprintf(buf, sizeof buf, "[Errno %d] %s", code, msg);
    Value text = val_obj((Obj *)str_from_cstr(vm, buf));
    Value e = vm_call(t, *cls, 1, &text, NULL);
    val_decref(text);
    if (IS_ERR(e))
        return VAL_ERR;
    vm_raise_value(t, e);
    val_decref(e);
    return VAL_ERR;
}

/* The data of a bytes argument, or false with CPython's TypeError. */
static bool sock_bytes_arg(Thread *t, Value v, const unsigned char **data, size_t *len)
{
    if (!IS_BYTES(v)) {
        vm_raise(t, EXC_TypeError, "a bytes-like object is required, not '%s'", vm_type_name(t->vm, v));
        return false;
    }
    *data = AS_BYTES(v)->data;
    *len = (size_t)AS_BYTES(v)->len;
    return true;
}

/* An int argument that must fit a C int. */
static bool sock_int_arg(Thread *t, Value v, int *out)
{
    int64_t n;
    if (!vm_to_index(t, v, &n))
        return false;
    if (n < INT32_MIN || n > INT32_MAX) {
        vm_raise(t, EXC_OverflowError, "signed integer is greater than maximum");
        return false;
    }
    *out = (int)n;
    return true;
}

/* O_NONBLOCK on or off: a socket with any timeout (0 or more) is non-blocking. */
static int sock_set_nonblocking(int fd, bool on)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
        return -1;
    int want = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
    return want == fl ? 0 : fcntl(fd, F_SETFL, want);
}

/* ---- addresses ------------------------------------------------------------------ */

/* '', 'localhost', '<broadcast>' and numeric IPv4 only: no DNS. */
static bool sock_resolve(const char *host, struct in_addr *out)
{
    if (host[0] == 0) {
        out->s_addr = htonl(INADDR_ANY);
        return true;
    }
    if (strcmp(host, "<broadcast>") == 0) {
        out->s_addr = htonl(INADDR_BROADCAST);
        return true;
    }
    if (strcasecmp(host, "localhost") == 0) {
        out->s_addr = htonl(INADDR_LOOPBACK);
        return true;
    }
    return inet_aton(host, out) != 0;
}

/* The host of an address tuple as a C string (borrowed from v), or NULL
 * with TypeError. */
static const char *sock_host_arg(Thread *t, Value v)
{
    if (IS_STR(v))
        return AS_STR(v)->chars;
    if (IS_BYTES(v))
        return (const char *)AS_BYTES(v)->data;
    vm_raise(t, EXC_TypeError, "str, bytes or bytearray expected, not %s", vm_type_name(t->vm, v));
    return NULL;
}

/* Converts a Python address for family into a sockaddr, as CPython's
 * getsockaddrarg (caller names the method in messages). */
static bool sock_parse_addr(Thread *t, int family, Value addr, const char *caller, SockAddr *out)
{
    memset(out, 0, sizeof *out);
    if (family == AF_INET) {
        if (!IS_TUPLE(addr)) {
            vm_raise(t, EXC_TypeError, "%s(): AF_INET address must be tuple, not %s", caller,
                     vm_type_name(t->vm, addr));
            return false;
        }
        ObjTuple *tu = AS_TUPLE(addr);
        if (tu->len != 2) {
            vm_raise(t, EXC_TypeError, "AF_INET address must be a pair (host, port)");
            return false;
        }
        const char *host = sock_host_arg(t, tu->items[0]);
        if (!host)
            return false;
        int64_t port;
        if (!vm_to_index(t, tu->items[1], &port))
            return false;
        if (port < 0 || port > 65535) {
            vm_raise(t, EXC_OverflowError, "%s(): port must be 0-65535.", caller);
            return false;
        }
        struct sockaddr_in *sin = (struct sockaddr_in *)&out->ss;
        if (!sock_resolve(host, &sin->sin_addr)) {
            sock_raise_gaierror(t, EAI_NONAME, gai_strerror(EAI_NONAME));
            return false;
        }
        sin->sin_family = AF_INET;
        sin->sin_port = htons((uint16_t)port);
        out->len = sizeof *sin;
        return true;
    }
    if (family == AF_UNIX) {
        const char *path;
        size_t len;
        if (IS_STR(addr)) {
            path = AS_STR(addr)->chars;
            len = (size_t)AS_STR(addr)->len;
        } else if (IS_BYTES(addr)) {
            path = (const char *)AS_BYTES(addr)->data;
            len = (size_t)AS_BYTES(addr)->len;
        } else {
            vm_raise(t, EXC_TypeError, "a bytes-like object is required, not '%s'",
                     vm_type_name(t->vm, addr));
            return false;
        }
        struct sockaddr_un *sun = (struct sockaddr_un *)&out->ss;
        if (len >= sizeof sun->sun_path) {
            vm_raise(t, EXC_OSError, "AF_UNIX path too long");
            return false;
        }
        sun->sun_family = AF_UNIX;
        memcpy(sun->sun_path, path, len);
        out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (len && path[0] ? 1 : 0));
        return true;
    }
    vm_raise(t, EXC_OSError, "%s(): bad family", caller);
    return false;
}

/* The Python form of a sockaddr: (host, port) for AF_INET, a path for
 * AF_UNIX ('' when unnamed), None when the kernel gave no address. */
static Value sock_make_addr(Vm *vm, const struct sockaddr_storage *ss, socklen_t len)
{
    if (len == 0)
        return VAL_NONE;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
        char host[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host);
        Value h = val_obj((Obj *)str_from_cstr(vm, host));
        ObjTuple *tu = tuple_new(vm, 2);
        tu->items[0] = h;
        tu->items[1] = val_int(ntohs(sin->sin_port));
        return val_obj(&tu->obj);
    }
    if (ss->ss_family == AF_UNIX) {
        const struct sockaddr_un *sun = (const struct sockaddr_un *)ss;
        size_t n = len > offsetof(struct sockaddr_un, sun_path) ? len - offsetof(struct sockaddr_un, sun_path) : 0;
        if (n > 0 && sun->sun_path[0] == 0)     /* Linux abstract namespace */
            return val_obj((Obj *)bytes_new(vm, sun->sun_path, (int64_t)n));
        return val_obj((Obj *)str_new(vm, sun->sun_path, (int64_t)strnlen(sun->sun_path, n)));
    }
    return VAL_NONE;
}

/* ---- the blocking calls ----------------------------------------------------------------- */

typedef enum { IO_SEND, IO_SENDTO, IO_RECV, IO_RECVFROM, IO_ACCEPT } SockIoKind;

/* One system call's arguments and results, all plain C data. */
typedef struct SockIo {
    SockIoKind kind;
    const unsigned char *out;   /* IO_SEND, IO_SENDTO */
    unsigned char *in;          /* IO_RECV, IO_RECVFROM */
    size_t len;
    int flags;
    SockAddr addr;              /* IO_SENDTO: where; IO_RECVFROM, IO_ACCEPT: from whom */
} SockIo;

static ssize_t sock_syscall(int fd, SockIo *io)
{
    switch (io->kind) {
    case IO_SEND:
        return send(fd, io->out, io->len, io->flags | MSG_NOSIGNAL);
    case IO_SENDTO:
        return sendto(fd, io->out, io->len, io->flags | MSG_NOSIGNAL,
                      (const struct sockaddr *)&io->addr.ss, io->addr.len);
    case IO_RECV:
        return recv(fd, io->in, io->len, io->flags);
    case IO_RECVFROM:
        io->addr.len = sizeof io->addr.ss;
        return recvfrom(fd, io->in, io->len, io->flags, (struct sockaddr *)&io->addr.ss, &io->addr.len);
    case IO_ACCEPT:
        io->addr.len = sizeof io->addr.ss;
        return accept4(fd, (struct sockaddr *)&io->addr.ss, &io->addr.len, SOCK_CLOEXEC);
    }
    errno = EINVAL;
    return -1;
}

/* The deadline of an operation starting now on s (only meaningful when
 * s->timeout > 0). */
static double sock_deadline(const Sock *s)
{
    return s->timeout > 0 ? sock_now() + s->timeout : 0.0;
}

/* Waits with poll() until fd is readable (or writable); timeout_s < 0 waits
 * forever.  1 ready, 0 timed out, -1 error (errno set).  The GIL is
 * released around the poll only. */
static int sock_poll(Thread *t, int fd, bool writing, double timeout_s)
{
    struct pollfd p = {.fd = fd, .events = writing ? POLLOUT : POLLIN, .revents = 0};
    int ms = timeout_s < 0 ? -1 : (int)ceil(timeout_s * 1e3);
    vm_blocking_begin(t, BLOCK_SOCKET);
    int r = poll(&p, 1, ms);
    int err = errno;
    vm_blocking_end(t);
    errno = err;
    return r;
}

/*
 * Runs one socket operation as CPython's sock_call_ex: for a socket with a
 * timeout, polls first (with the time left until deadline) and loops on a
 * spurious EAGAIN; retries on EINTR unless Ctrl-C is pending.  Returns the
 * system call's result (>= 0), or -1 with an exception set.
 */
static ssize_t sock_call(Thread *t, Sock *s, SockIo *io, double deadline)
{
    int fd = sock_fd(t, s);
    if (fd < 0)
        return -1;
    double timeout = s->timeout;
    bool writing = io->kind == IO_SEND || io->kind == IO_SENDTO;
    for (;;) {
        if (timeout > 0) {
            double left = deadline - sock_now();
            int r = left > 0 ? sock_poll(t, fd, writing, left) : 0;
            if (r < 0) {
                if (errno == EINTR) {
                    if (sock_check_signals(t) < 0)
                        return -1;
                    continue;
                }
                vm_raise_errno(t, errno, NULL);
                return -1;
            }
            if (r == 0) {
                sock_raise_timeout(t);
                return -1;
            }
        }
        ssize_t n;
        int err;
        for (;;) {
            vm_blocking_begin(t, BLOCK_SOCKET);
            n = sock_syscall(fd, io);
            err = errno;
            vm_blocking_end(t);
            if (n >= 0)
                return n;
            if (err != EINTR)
                break;
            if (sock_check_signals(t) < 0)
                return -1;
        }
        if (timeout > 0 && (err == EAGAIN || err == EWOULDBLOCK))
            continue;   /* poll said ready, the call found nothing: poll again */
        vm_raise_errno(t, err, NULL);
        return -1;
    }
}

/*
 * connect() as CPython's internal_connect: the call itself with the GIL
 * released; if it is interrupted, or in progress on a socket with a
 * timeout, waits for writability and reads SO_ERROR.  Returns 0 when
 * connected; otherwise, with raise, -1 and the exception set; without
 * (connect_ex), the errno (EWOULDBLOCK on timeout), or -1 when an exception
 * (Ctrl-C) is set anyway.
 */
static int sock_connect(Thread *t, Sock *s, const SockAddr *a, bool raise)
{
    int fd = sock_fd(t, s);
    if (fd < 0)
        return -1;
    double timeout = s->timeout;
    double deadline = sock_deadline(s);
    vm_blocking_begin(t, BLOCK_SOCKET);
    int r = connect(fd, (const struct sockaddr *)&a->ss, a->len);
    int err = errno;
    vm_blocking_end(t);
    if (r == 0)
        return 0;
    bool wait;
    if (err == EINTR) {
        if (sock_check_signals(t) < 0)
            return -1;
        wait = timeout != 0;
    } else {
        wait = timeout != 0 && err == EINPROGRESS;
    }
    while (wait) {
        double left = timeout > 0 ? deadline - sock_now() : -1.0;
        int pr = timeout > 0 && left <= 0 ? 0 : sock_poll(t, fd, true, left);
        if (pr < 0 && errno == EINTR) {
            if (sock_check_signals(t) < 0)
                return -1;
            continue;
        }
        if (pr < 0) {
            err = errno;
            break;
        }
        if (pr == 0) {
            if (raise) {
                sock_raise_timeout(t);
                return -1;
            }
            return EWOULDBLOCK;
        }
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
            err = errno;
        else
            err = soerr;
        if (err == 0)
            return 0;
        break;
    }
    if (!raise)
        return err;
    vm_raise_errno(t, err, NULL);
    return -1;
}

/* ---- the socket class: construction ----------------------------------------------- */

/* socket(family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None) */
static Value sock_ctor(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    static const char *const names[] = {"family", "type", "proto", "fileno"};
    Value a[4];
    if (!arg_parse(t, "socket", argc, argv, kw, names, 0, 4, a))
        return VAL_ERR;
    int family = AF_INET, type = SOCK_STREAM, proto = 0;
    if (!IS_ERR(a[0]) && !IS_NONE(a[0]) && !sock_int_arg(t, a[0], &family))
        return VAL_ERR;
    if (!IS_ERR(a[1]) && !IS_NONE(a[1]) && !sock_int_arg(t, a[1], &type))
        return VAL_ERR;
    if (!IS_ERR(a[2]) && !IS_NONE(a[2]) && !sock_int_arg(t, a[2], &proto))
        return VAL_ERR;
    if (family == -1)
        family = AF_INET;
    if (type == -1)
        type = SOCK_STREAM;
    if (proto == -1)
        proto = 0;
    int fd;
    if (!IS_ERR(a[3]) && !IS_NONE(a[3])) {
        if (!sock_int_arg(t, a[3], &fd))
            return VAL_ERR;
        if (fd < 0)
            return vm_raise(t, EXC_ValueError, "negative file descriptor");
        if (fcntl(fd, F_GETFD) < 0)
            return vm_raise_errno(t, errno, NULL);
    } else {
        fd = socket(family, type | SOCK_CLOEXEC, proto);
        if (fd < 0)
            return vm_raise_errno(t, errno, NULL);
    }
    Value v = sock_wrap(t->vm, AS_CLASS(self), fd, family, type, proto);
    if (type & SOCK_NONBLOCK)
        ((Sock *)AS_HANDLE(v)->ptr)->timeout = 0.0;
    return v;
}

/* ---- the socket class: methods ----------------------------------------------------------- */

static Value sock_bind(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Sock *s = sock_method(t, self, "bind", argc, kw, 1, 1);
    SockAddr a;
    if (!s || !sock_parse_addr(t, s->family, argv[0], "bind", &a))
        return VAL_ERR;
    int fd = sock_fd(t, s);
    if (fd < 0)
        return VAL_ERR;
    if (bind(fd, (const struct sockaddr *)&a.ss, a.len) < 0)
        return vm_raise_errno(t, errno, NULL);
    return VAL_NONE;
}

static Value sock_listen(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Sock *s = sock_method(t, self, "listen", argc, kw, 0, 1);
    if (!s)
        return VAL_ERR;
    int backlog = SOMAXCONN < 128 ? SOMAXCONN : 128;
    if (argc == 1 && !sock_int_arg(t, argv[0], &backlog))
        return VAL_ERR;
    if (backlog < 0)
        backlog = 0;
    int fd = sock_fd(t, s);
    if (fd < 0)
        return VAL_ERR;
    if (listen(fd, backlog) < 0)
        return vm_raise_errno(t, errno, NULL);
    return VAL_NONE;
}

/* accept() -> (conn, address); conn is blocking (timeout None) as in CPython. */
static Value sock_accept(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    Sock *s = sock_method(t, self, "accept", argc, kw, 0, 0);
    if (!s)
        return VAL_ERR;
    SockIo io = {.kind = IO_ACCEPT};
    ssize_t fd = sock_call(t, s, &io, sock_deadline(s));
    if (fd < 0)
        return VAL_ERR;
    Vm *vm = t->vm;
    Value conn = sock_wrap(vm, AS_HANDLE(self)->obj.cls, (int)fd, s->family, s->type, s->proto);
    ObjTuple *tu = tuple_new(vm, 2);
    tu->items[0] = conn;
    tu->items[1] = sock_make_addr(vm, &io.addr.ss, io.addr.len);
    return val_obj(&tu->obj);
}

static Value sock_connect_method(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Sock *s = sock_method(t, self, "connect", argc, kw, 1, 1);
    SockAddr a;
    if (!s || !sock_parse_addr(t, s->family, argv[0], "connect", &a))
        return VAL_ERR;
    if (sock_connect(t, s, &a, true) != 0)
        return VAL_ERR;
    return VAL_NONE;
}

static Value sock_connect_ex(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Sock *s = sock_method(t, self, "connect_ex", argc, kw, 1, 1);
    SockAddr a;
    if (!s || !sock_parse_addr(t, s->family, argv[0], "connect_ex", &a))
        return VAL_ERR;
    if (s->fd < 0)
        return val_int(EBADF);
    int r = sock_connect(t, s, &a, false);
    if (r < 0)
        return VAL_ERR;
    return val_int(r);
}

/* Copies a bytes argument to a C buffer (freed by the caller), so that the
 * system call can run with the GIL released. */
static unsigned char *sock_copy_out(Thread *t, Value v, size_t *len)
{
    const unsigned char *data;
    if (!sock_bytes_arg(t, v, &data, len))
        return NULL;
    unsigned char *buf = mem_alloc(*len ? *len : 1);
    memcpy(buf, data, *len);
    return buf;
}

/* send(data[, flags]) -> bytes sent */
static Value sock_send(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Sock *s = sock_method(t, self, "send", argc, kw, 1, 2);
    if (!s)
        return VAL_ERR;
    SockIo io = {.kind = IO_SEND};
    if (argc == 2 && !sock_int_arg(t, argv[1], &io.flags))
        return VAL_ERR;
    unsigned char *buf = sock_copy_out(t, argv[0], &io.len);
    if (!buf)
        return VAL_ERR;
    io.out = buf;
    ssize_t n = sock_call(t, s, &io, sock_deadline(s));
    mem_free(buf);
    return n < 0 ? VAL_ERR : val_int(n);
}

/* sendall(data[, flags]): send until all is sent; a timeout covers the whole call. */
static Value sock_sendall(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Sock *s = sock_method(t, self, "sendall", argc, kw, 1, 2);
    if (!s)
        return VAL_ERR;
    SockIo io = {.kind = IO_SEND};
    if (argc == 2 && !sock_int_arg(t, argv[1], &io.flags))
        return VAL_ERR;
    size_t total;
    unsigned char *buf = sock_copy_out(t, argv[0], &total);
    if (!buf)
        return VAL_ERR;
    double deadline = sock_deadline(s);
    size_t off = 0;
    do {
        io.out = buf + off;
        io.len = total - off;
        ssize_t n = sock_call(t, s, &io, deadline);
        if (n < 0 || sock_check_signals(t) < 0) {
            mem_free(buf);
            return VAL_ERR;
        }
        off += (size_t)n;
    } while (off < total);
    mem_free(buf);
    return VAL_NONE;
}

/* sendto(data[, flags], address) -> bytes sent */
static Value sock_sendto(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Sock *s = sock_method(t, self, "sendto", argc, kw, 2, 3);
    if (!s)
        return VAL_ERR;
    SockIo io = {.kind = IO_SENDTO};
    if (argc == 3 && !sock_int_arg(t, argv[1], &io.flags))
        return VAL_ERR;
    if (!sock_parse_addr(t, s->family, argv[argc - 1], "sendto", &io.addr))
        return VAL_ERR;
    unsigned char *buf = sock_copy_out(t, argv[0], &io.len);
    if (!buf)
        return VAL_ERR;
    io.out = buf;
    ssize_t n = sock_call(t, s, &io, sock_deadline(s));
    mem_free(buf);
    return n < 0 ? VAL_ERR : val_int(n);
}

/* The size argument of recv/recvfrom. */
static bool sock_recv_size(Thread *t, const char *method, int argc, const Value *argv, SockIo *io)
{
    int64_t n;
    if (!vm_to_index(t, argv[0], &n))
        return false;
    if (n < 0) {
        vm_raise(t, EXC_ValueError, "negative buffersize in %s", method);
        return false;
    }
    io->len = (size_t)n;
    return argc < 2 || sock_int_arg(t, argv[1], &io->flags);
}

/* recv(bufsize[, flags]) -> bytes (b'' at end of stream) */
static Value sock_recv(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Sock *s = sock_method(t, self, "recv", argc, kw, 1, 2);
    SockIo io = {.kind = IO_RECV};
    if (!s || !sock_recv_size(t, "recv", argc, argv, &io))
        return VAL_ERR;
    if (io.len == 0)    /* as CPython: no system call (a stream recv of 0 bytes would block) */
        return val_obj((Obj *)bytes_new(t->vm, "", 0));
    io.in = mem_alloc(io.len);
    ssize_t n = sock_call(t, s, &io, sock_deadline(s));
    Value r = n < 0 ? VAL_ERR : val_obj((Obj *)bytes_new(t->vm, io.in, n));
    mem_free(io.in);
    return r;
}

/* recvfrom(bufsize[, flags]) -> (bytes, address) */
static Value sock_recvfrom(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Sock *s = sock_method(t, self, "recvfrom", argc, kw, 1, 2);
    SockIo io = {.kind = IO_RECVFROM};
    if (!s || !sock_recv_size(t, "recvfrom", argc, argv, &io))
        return VAL_ERR;
    io.in = mem_alloc(io.len ? io.len : 1);
    ssize_t n = sock_call(t, s, &io, sock_deadline(s));
    if (n < 0) {
        mem_free(io.in);
        return VAL_ERR;
    }
    Vm *vm = t->vm;
    ObjTuple *tu = tuple_new(vm, 2);
    tu->items[0] = val_obj((Obj *)bytes_new(vm, io.in, n));
    tu->items[1] = sock_make_addr(vm, &io.addr.ss, io.addr.len);
    mem_free(io.in);
    return val_obj(&tu->obj);
}

static Value sock_getname(Thread *t, Value self, int argc, ObjTuple *kw, bool peer)
{
    const char *method = peer ? "getpeername" : "getsockname";
    Sock *s = sock_method(t, self, method, argc, kw, 0, 0);
    if (!s)
        return VAL_ERR;
    int fd = sock_fd(t, s);
    if (fd < 0)
        return VAL_ERR;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len = sizeof ss;
    int r = peer ? getpeername(fd, (struct sockaddr *)&ss, &len) : getsockname(fd, (struct sockaddr *)&ss, &len);
    if (r < 0)
        return vm_raise_errno(t, errno, NULL);
    return sock_make_addr(t->vm, &ss, len);
}

static Value sock_getsockname(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    return sock_getname(t, self, argc, kw, false);
}

static Value sock_getpeername(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    return sock_getname(t, self, argc, kw, true);
}

/* setsockopt(level, option, value): value an int or bytes. */
static Value sock_setsockopt(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Sock *s = sock_method(t, self, "setsockopt", argc, kw, 3, 3);
    int level, opt;
    if (!s || !sock_int_arg(t, argv[0], &level) || !sock_int_arg(t, argv[1], &opt))
        return VAL_ERR;
    int fd = sock_fd(t, s);
    if (fd < 0)
        return VAL_ERR;
    int r;
    if (IS_BYTES(argv[2])) {
        r = setsockopt(fd, level, opt, AS_BYTES(argv[2])->data, (socklen_t)AS_BYTES(argv[2])->len);
    } else {
        int v;
        if (!sock_int_arg(t, argv[2], &v))
            return VAL_ERR;
        r = setsockopt(fd, level, opt, &v, sizeof v);
    }
    if (r < 0)
        return vm_raise_errno(t, errno, NULL);
    return VAL_NONE;
}

/* getsockopt(level, option[, buflen]): an int, or bytes when buflen is given. */
static Value sock_getsockopt(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Sock *s = sock_method(t, self, "getsockopt", argc, kw, 2, 3);
    int level, opt, buflen = 0;
    if (!s || !sock_int_arg(t, argv[0], &level) || !sock_int_arg(t, argv[1], &opt))
        return VAL_ERR;
    if (argc == 3 && !sock_int_arg(t, argv[2], &buflen))
        return VAL_ERR;
    int fd = sock_fd(t, s);
    if (fd < 0)
        return VAL_ERR;
    if (argc < 3) {
        int v = 0;
        socklen_t len = sizeof v;
        if (getsockopt(fd, level, opt, &v, &len) < 0)
            return vm_raise_errno(t, errno, NULL);
        return val_int(v);
    }
    if (buflen <= 0 || buflen > 1024)
        return vm_raise(t, EXC_OSError, "getsockopt buflen out of range");
    unsigned char buf[1024];
    socklen_t len = (socklen_t)buflen;
    if (getsockopt(fd, level, opt, buf, &len) < 0)
        return vm_raise_errno(t, errno, NULL);
    return val_obj((Obj *)bytes_new(t->vm, buf, len));
}

/* Applies a timeout (< 0: None) to s and its fd's O_NONBLOCK flag. */
static Value sock_apply_timeout(Thread *t, Sock *s, double timeout)
{
    s->timeout = timeout;
    if (s->fd >= 0 && sock_set_nonblocking(s->fd, timeout >= 0) < 0)
        return vm_raise_errno(t, errno, NULL);
    return VAL_NONE;
}

/* A timeout argument: None -> -1, else a non-negative number of seconds. */
static bool sock_timeout_arg(Thread *t, Value v, double *out)
{
    if (IS_NONE(v)) {
        *out = -1.0;
        return true;
    }
    double d;
    if (IS_FLOAT(v)) {
        d = v.as.f;
    } else {
        int64_t n;
        if (!vm_to_index(t, v, &n))
            return false;
        d = (double)n;
    }
    if (isnan(d)) {
        vm_raise(t, EXC_ValueError, "Invalid value NaN (not a number)");
        return false;
    }
    if (d < 0) {
        vm_raise(t, EXC_ValueError, "Timeout value out of range");
        return false;
    }
    *out = d;
    return true;
}

static Value sock_settimeout(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Sock *s = sock_method(t, self, "settimeout", argc, kw, 1, 1);
    double d;
    if (!s || !sock_timeout_arg(t, argv[0], &d))
        return VAL_ERR;
    return sock_apply_timeout(t, s, d);
}

static Value sock_gettimeout(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    Sock *s = sock_method(t, self, "gettimeout", argc, kw, 0, 0);
    if (!s)
        return VAL_ERR;
    return s->timeout < 0 ? VAL_NONE : val_float(s->timeout);
}

static Value sock_setblocking(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Sock *s = sock_method(t, self, "setblocking", argc, kw, 1, 1);
    if (!s)
        return VAL_ERR;
    int on = vm_truthy(t, argv[0]);
    if (on < 0)
        return VAL_ERR;
    return sock_apply_timeout(t, s, on ? -1.0 : 0.0);
}

static Value sock_getblocking(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    Sock *s = sock_method(t, self, "getblocking", argc, kw, 0, 0);
    if (!s)
        return VAL_ERR;
    return val_bool(s->timeout != 0.0);
}

static Value sock_fileno(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    Sock *s = sock_method(t, self, "fileno", argc, kw, 0, 0);
    return s ? val_int(s->fd) : VAL_ERR;
}

/* detach() -> fd: the socket object forgets its fd without closing it. */
static Value sock_detach(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    Sock *s = sock_method(t, self, "detach", argc, kw, 0, 0);
    if (!s)
        return VAL_ERR;
    int fd = s->fd;
    s->fd = -1;
    return val_int(fd);
}

/* close(): idempotent; ECONNRESET from close is not an error (as CPython). */
static Value sock_close(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    Sock *s = sock_method(t, self, "close", argc, kw, 0, 0);
    if (!s)
        return VAL_ERR;
    int fd = s->fd;
    if (fd < 0)
        return VAL_NONE;
    s->fd = -1;
    if (close(fd) < 0 && errno != ECONNRESET && errno != EINTR)
        return vm_raise_errno(t, errno, NULL);
    return VAL_NONE;
}

static Value sock_shutdown(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Sock *s = sock_method(t, self, "shutdown", argc, kw, 1, 1);
    int how;
    if (!s || !sock_int_arg(t, argv[0], &how))
        return VAL_ERR;
    int fd = sock_fd(t, s);
    if (fd < 0)
        return VAL_ERR;
    if (shutdown(fd, how) < 0)
        return vm_raise_errno(t, errno, NULL);
    return VAL_NONE;
}

static Value sock_enter(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    if (!sock_method(t, self, "__enter__", argc, kw, 0, 0))
        return VAL_ERR;
    return val_dup(self);
}

static Value sock_exit(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    Value r = sock_close(t, self, 0, argv, NULL);
    (void)argc;
    (void)kw;
    if (IS_ERR(r))
        return VAL_ERR;
    val_decref(r);
    return VAL_NONE;
}

/* Appends ", laddr=..." (or raddr) as CPython's socket.__repr__ does. */
static void sock_repr_addr(StrBuf *sb, int fd, bool peer)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len = sizeof ss;
    int r = peer ? getpeername(fd, (struct sockaddr *)&ss, &len) : getsockname(fd, (struct sockaddr *)&ss, &len);
    if (r < 0 || len == 0)
        return;
    if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;
        char host[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host);
        sb_printf(sb, ", %s=('%s', %d)", peer ? "raddr" : "laddr", host, ntohs(sin->sin_port));
    } else if (ss.ss_family == AF_UNIX) {
        const struct sockaddr_un *sun = (const struct sockaddr_un *)&ss;
        size_t n = len > offsetof(struct sockaddr_un, sun_path) ? len - offsetof(struct sockaddr_un, sun_path) : 0;
        if (n > 0 && sun->sun_path[0] != 0)
            sb_printf(sb, ", %s=%.*s", peer ? "raddr" : "laddr", (int)strnlen(sun->sun_path, n), sun->sun_path);
    }
}

static Value sock_repr(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    Sock *s = sock_method(t, self, "__repr__", argc, kw, 0, 0);
    if (!s)
        return VAL_ERR;
    StrBuf sb;
    sb_init(&sb);
    sb_printf(&sb, "<socket.socket %sfd=%d, family=%d, type=%d, proto=%d", s->fd < 0 ? "[closed] " : "",
              s->fd, s->family, s->type, s->proto);
    if (s->fd >= 0) {
        sock_repr_addr(&sb, s->fd, false);
        sock_repr_addr(&sb, s->fd, true);
    }
    sb_putc(&sb, '>');
    return val_obj((Obj *)sb_to_str(t->vm, &sb));
}

/* The read-only properties family, type, proto and timeout. */
static Value sock_prop_family(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    Sock *s = sock_method(t, self, "family", argc, kw, 0, 0);
    return s ? val_int(s->family) : VAL_ERR;
}

static Value sock_prop_type(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    Sock *s = sock_method(t, self, "type", argc, kw, 0, 0);
    return s ? val_int(s->type) : VAL_ERR;
}

static Value sock_prop_proto(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)argv;
    Sock *s = sock_method(t, self, "proto", argc, kw, 0, 0);
    return s ? val_int(s->proto) : VAL_ERR;
}

static const NativeDef sock_methods[] = {
    {"accept", sock_accept},
    {"bind", sock_bind},
    {"close", sock_close},
    {"connect", sock_connect_method},
    {"connect_ex", sock_connect_ex},
    {"detach", sock_detach},
    {"fileno", sock_fileno},
    {"getblocking", sock_getblocking},
    {"getpeername", sock_getpeername},
    {"getsockname", sock_getsockname},
    {"getsockopt", sock_getsockopt},
    {"gettimeout", sock_gettimeout},
    {"listen", sock_listen},
    {"recv", sock_recv},
    {"recvfrom", sock_recvfrom},
    {"send", sock_send},
    {"sendall", sock_sendall},
    {"sendto", sock_sendto},
    {"setblocking", sock_setblocking},
    {"setsockopt", sock_setsockopt},
    {"settimeout", sock_settimeout},
    {"shutdown", sock_shutdown},
    {"__enter__", sock_enter},
    {"__exit__", sock_exit},
    {"__repr__", sock_repr},
    {NULL, NULL},
};

static const NativeDef sock_properties[] = {
    {"family", sock_prop_family},
    {"type", sock_prop_type},
    {"proto", sock_prop_proto},
    {"timeout", sock_gettimeout},
    {NULL, NULL},
};

/* ---- module functions ---------------------------------------------------------------- */

/* socketpair(family=AF_UNIX, type=SOCK_STREAM, proto=0); self is the socket class. */
static Value sock_socketpair(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    static const char *const names[] = {"family", "type", "proto"};
    Value a[3];
    if (!arg_parse(t, "socketpair", argc, argv, kw, names, 0, 3, a))
        return VAL_ERR;
    int family = AF_UNIX, type = SOCK_STREAM, proto = 0;
    if (!IS_ERR(a[0]) && !IS_NONE(a[0]) && !sock_int_arg(t, a[0], &family))
        return VAL_ERR;
    if (!IS_ERR(a[1]) && !sock_int_arg(t, a[1], &type))
        return VAL_ERR;
    if (!IS_ERR(a[2]) && !sock_int_arg(t, a[2], &proto))
        return VAL_ERR;
    int fds[2];
    if (socketpair(family, type | SOCK_CLOEXEC, proto, fds) < 0)
        return vm_raise_errno(t, errno, NULL);
    Vm *vm = t->vm;
    ObjTuple *tu = tuple_new(vm, 2);
    tu->items[0] = sock_wrap(vm, AS_CLASS(self), fds[0], family, type, proto);
    tu->items[1] = sock_wrap(vm, AS_CLASS(self), fds[1], family, type, proto);
    return val_obj(&tu->obj);
}

/* create_connection(address, timeout=<none>, source_address=None): an
 * AF_INET stream socket connected to address; self is the socket class. */
static Value sock_create_connection(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    static const char *const names[] = {"address", "timeout", "source_address"};
    Value a[3];
    if (!arg_parse(t, "create_connection", argc, argv, kw, names, 1, 3, a))
        return VAL_ERR;
    double timeout = -1.0;
    if (!IS_ERR(a[1]) && !sock_timeout_arg(t, a[1], &timeout))
        return VAL_ERR;
    SockAddr dst, src;
    if (!sock_parse_addr(t, AF_INET, a[0], "connect", &dst))
        return VAL_ERR;
    bool has_src = !IS_ERR(a[2]) && !IS_NONE(a[2]);
    if (has_src && !sock_parse_addr(t, AF_INET, a[2], "bind", &src))
        return VAL_ERR;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return vm_raise_errno(t, errno, NULL);
    Value v = sock_wrap(t->vm, AS_CLASS(self), fd, AF_INET, SOCK_STREAM, 0);
    Sock *s = AS_HANDLE(v)->ptr;
    if (timeout >= 0 && IS_ERR(sock_apply_timeout(t, s, timeout)))
        goto err;
    if (has_src && bind(fd, (const struct sockaddr *)&src.ss, src.len) < 0) {
        vm_raise_errno(t, errno, NULL);
        goto err;
    }
    if (sock_connect(t, s, &dst, true) != 0)
        goto err;
    return v;
err:
    val_decref(v);      /* closes the fd */
    return VAL_ERR;
}

static Value sock_gethostname(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    (void)argv;
    if (!arg_count(t, "gethostname", argc, kw, 0, 0))
        return VAL_ERR;
    char name[256];
    if (gethostname(name, sizeof name) < 0)
        return vm_raise_errno(t, errno, NULL);
    name[sizeof name - 1] = 0;
    return val_obj((Obj *)str_from_cstr(t->vm, name));
}

/* gethostbyname(host): numeric addresses and localhost only (no DNS). */
static Value sock_gethostbyname(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!arg_count(t, "gethostbyname", argc, kw, 1, 1))
        return VAL_ERR;
    const char *host = sock_host_arg(t, argv[0]);
    if (!host)
        return VAL_ERR;
    struct in_addr in;
    if (!sock_resolve(host, &in))
        return sock_raise_gaierror(t, EAI_NONAME, gai_strerror(EAI_NONAME));
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &in, buf, sizeof buf);
    return val_obj((Obj *)str_from_cstr(t->vm, buf));
}

static Value sock_getdefaulttimeout(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    (void)argv;
    if (!arg_count(t, "getdefaulttimeout", argc, kw, 0, 0))
        return VAL_ERR;
    return VAL_NONE;
}

/* htons/ntohs/htonl/ntohl: CPython's range checks, byte swaps. */
static Value sock_swap(Thread *t, const char *name, int argc, const Value *argv, ObjTuple *kw, bool wide)
{
    if (!arg_count(t, name, argc, kw, 1, 1))
        return VAL_ERR;
    int64_t n;
    if (!vm_to_index(t, argv[0], &n))
        return VAL_ERR;
    if (n < 0)
        return vm_raise(t, EXC_OverflowError, "%s: can't convert negative Python int to C %s", name,
                        wide ? "unsigned long" : "16-bit unsigned integer");
    if (wide) {
        if (n > 0xffffffffLL)
            return vm_raise(t, EXC_OverflowError, "int larger than 32 bits");
        return val_int(htonl((uint32_t)n));
    }
    if (n > 0xffff)
        return vm_raise(t, EXC_OverflowError, "%s: Python int too large to convert to C 16-bit unsigned integer",
                        name);
    return val_int(htons((uint16_t)n));
}

#define SOCK_SWAP_FN(fname, pyname, wide)                                                      \
    static Value fname(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)       \
    {                                                                                          \
        (void)self;                                                                            \
        return sock_swap(t, pyname, argc, argv, kw, wide);                                     \
    }
SOCK_SWAP_FN(sock_htons, "htons", false)
SOCK_SWAP_FN(sock_ntohs, "ntohs", false)
SOCK_SWAP_FN(sock_htonl, "htonl", true)
SOCK_SWAP_FN(sock_ntohl, "ntohl", true)

static Value sock_inet_aton(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!arg_count(t, "inet_aton", argc, kw, 1, 1))
        return VAL_ERR;
    if (!IS_STR(argv[0]))
        return vm_raise(t, EXC_TypeError, "inet_aton() argument 1 must be str, not %s",
                        vm_type_name(t->vm, argv[0]));
    struct in_addr in;
    if (!inet_aton(AS_STR(argv[0])->chars, &in))
        return vm_raise(t, EXC_OSError, "illegal IP address string passed to inet_aton");
    return val_obj((Obj *)bytes_new(t->vm, &in, sizeof in));
}

static Value sock_inet_ntoa(Thread *t, Value self, int argc, const Value *argv, ObjTuple *kw)
{
    (void)self;
    if (!arg_count(t, "inet_ntoa", argc, kw, 1, 1))
        return VAL_ERR;
    const unsigned char *data;
    size_t len;
    if (!sock_bytes_arg(t, argv[0], &data, &len))
        return VAL_ERR;
    if (len != 4)
        return vm_raise(t, EXC_OSError, "packed IP wrong length for inet_ntoa");
    char buf[INET_ADDRSTRLEN];
    snprintf(buf, sizeof buf, "%u.%u.%u.%u", data[0], data[1], data[2], data[3]);
    return val_obj((Obj *)str_from_cstr(t->vm, buf));
}

static const NativeDef sock_functions[] = {
    {"gethostname", sock_gethostname},
    {"gethostbyname", sock_gethostbyname},
    {"getdefaulttimeout", sock_getdefaulttimeout},
    {"htons", sock_htons},
    {"ntohs", sock_ntohs},
    {"htonl", sock_htonl},
    {"ntohl", sock_ntohl},
    {"inet_aton", sock_inet_aton},
    {"inet_ntoa", sock_inet_ntoa},
    {NULL, NULL},
};

/* ---- module set-up ------------------------------------------------------------------------- */

static void sock_set(Vm *vm, ObjDict *ns, const char *name, Value v)
{
    dict_set_str(vm, ns, str_intern_cstr(vm, name), v);
    val_decref(v);
}

/* A class of the socket module: immortal like the other type objects. */
static ObjClass *sock_class_new(Vm *vm, const char *module, const char *name, ObjClass *base,
                                uint16_t layout)
{
    ObjClass *c = (ObjClass *)obj_alloc(vm, sizeof(ObjClass), OBJ_CLASS, vm->types[TY_TYPE]);
    c->obj.flags |= OBJF_IMMORTAL;
    c->name = str_intern_cstr(vm, name);
    obj_incref(&c->name->obj);
    c->base = base;
    obj_incref(&base->obj);
    c->dict = dict_new(vm);
    dict_set_str(vm, c->dict, vm->s_module, val_obj((Obj *)str_intern_cstr(vm, module)));
    c->layout = layout;
    c->builtin = layout != OBJ_INSTANCE;
    c->ctor = NULL;
    return c;
}

/* As in CPython, socket.socket is a subclass of the C type _socket.socket
 * (socket.SocketType), which holds the methods. */
static ObjClass *sock_class(Vm *vm, ObjClass **base_out)
{
    ObjClass *c = sock_class_new(vm, "_socket", "socket", vm->types[TY_OBJECT], OBJ_HANDLE);
    c->ctor = sock_ctor;
    for (const NativeDef *d = sock_methods; d->name; d++) {
        Value fn = vm_native_new(vm, d->name, d->fn, VAL_NONE);
        AS_NATIVE(fn)->is_method = true;
        sock_set(vm, c->dict, d->name, fn);
    }
    for (const NativeDef *d = sock_properties; d->name; d++) {
        Value fn = vm_native_new(vm, d->name, d->fn, VAL_NONE);
        AS_NATIVE(fn)->is_method = true;    /* the getter gets the instance as self */
        ObjWrapper *w = (ObjWrapper *)obj_alloc(vm, sizeof(ObjWrapper), OBJ_WRAPPER, vm->types[TY_PROPERTY]);
        w->kind = WRAP_PROPERTY;
        w->func = fn;
        w->setter = VAL_NONE;
        sock_set(vm, c->dict, d->name, val_obj(&w->obj));
    }
    ObjClass *sub = sock_class_new(vm, "socket", "socket", c, OBJ_HANDLE);
    sub->ctor = sock_ctor;
    *base_out = c;
    return sub;
}

static void sock_init(Thread *t, ObjModule *m)
{
    Vm *vm = t->vm;
    ObjDict *ns = m->dict;

    ObjClass *base;
    ObjClass *cls = sock_class(vm, &base);
    Value clsv = val_obj(&cls->obj);
    dict_set_str(vm, ns, str_intern_cstr(vm, "socket"), clsv);
    sock_set(vm, ns, "SocketType", val_obj(&base->obj));
    sock_set(vm, ns, "socketpair", vm_native_new(vm, "socketpair", sock_socketpair, clsv));
    sock_set(vm, ns, "create_connection",
             vm_native_new(vm, "create_connection", sock_create_connection, clsv));
    obj_decref(&cls->obj);      /* the module keeps it (and it is immortal) */

    dict_set_str(vm, ns, str_intern_cstr(vm, "error"), val_obj(&vm->exc[EXC_OSError]->obj));
    dict_set_str(vm, ns, str_intern_cstr(vm, "timeout"), val_obj(&vm->exc[EXC_TimeoutError]->obj));
    ObjClass *gai = sock_class_new(vm, "socket", "gaierror", vm->exc[EXC_OSError], OBJ_INSTANCE);
    sock_set(vm, ns, "gaierror", val_obj(&gai->obj));
    ObjClass *herr = sock_class_new(vm, "socket", "herror", vm->exc[EXC_OSError], OBJ_INSTANCE);
    sock_set(vm, ns, "herror", val_obj(&herr->obj));

    static const struct { const char *name; int value; } constants[] = {
        {"AF_UNSPEC", AF_UNSPEC}, {"AF_INET", AF_INET}, {"AF_UNIX", AF_UNIX},
        {"SOCK_STREAM", SOCK_STREAM}, {"SOCK_DGRAM", SOCK_DGRAM}, {"SOCK_RAW", SOCK_RAW},
        {"SOCK_NONBLOCK", SOCK_NONBLOCK}, {"SOCK_CLOEXEC", SOCK_CLOEXEC},
        {"SOL_SOCKET", SOL_SOCKET}, {"SO_REUSEADDR", SO_REUSEADDR}, {"SO_REUSEPORT", SO_REUSEPORT},
        {"SO_KEEPALIVE", SO_KEEPALIVE}, {"SO_BROADCAST", SO_BROADCAST}, {"SO_ERROR", SO_ERROR},
        {"SO_RCVBUF", SO_RCVBUF}, {"SO_SNDBUF", SO_SNDBUF}, {"SO_TYPE", SO_TYPE},
        {"SO_LINGER", SO_LINGER},
        {"IPPROTO_IP", IPPROTO_IP}, {"IPPROTO_TCP", IPPROTO_TCP}, {"IPPROTO_UDP", IPPROTO_UDP},
        {"TCP_NODELAY", TCP_NODELAY},
        {"SHUT_RD", SHUT_RD}, {"SHUT_WR", SHUT_WR}, {"SHUT_RDWR", SHUT_RDWR},
        {"SOMAXCONN", SOMAXCONN},
        {"MSG_PEEK", MSG_PEEK}, {"MSG_DONTWAIT", MSG_DONTWAIT}, {"MSG_WAITALL", MSG_WAITALL},
        {"INADDR_ANY", (int)INADDR_ANY}, {"INADDR_LOOPBACK", (int)INADDR_LOOPBACK},
    };
    for (size_t i = 0; i < sizeof constants / sizeof *constants; i++)
        sock_set(vm, ns, constants[i].name, val_int(constants[i].value));
    sock_set(vm, ns, "has_ipv6", VAL_FALSE);
}

const ModuleDef mod_socket = {"socket", sock_functions, sock_init};
