# multiprocessing -- gilscope's multiprocessing module, after CPython's with
# the fork start method: a Process is a forked copy of this interpreter
# (its own GIL), so `if __name__ == "__main__":` guarding works as in
# CPython and a target, its arguments and the shared objects made before
# start() are simply inherited.  Written in the workload language on top of
# _process (interp/modules/process.c):
#
# - Lock, RLock, Condition, Semaphore, BoundedSemaphore, Event, Queue and
#   the memory of Value/Array live in a process-shared arena;
# - what crosses processes after the fork (Queue items, Pipe messages, Pool
#   tasks and results) is marshalled by value: None, bool, int, float, str,
#   bytes, tuple, list, dict, set, module-level functions and classes (by
#   name, as pickle does), instances of module-level classes and exceptions.
#
# Differences from CPython: Pool collects results in the caller of get()
# (no result-handler thread: callbacks run there); Pool.imap returns an
# iterator over map()'s list; Value/Array take typecode strings only.

import os
import threading
import queue as _queue
import _process

_process._set_queue_exceptions(_queue.Empty, _queue.Full)

__all__ = [
    "Process", "current_process", "active_children", "parent_process", "cpu_count",
    "Queue", "JoinableQueue", "SimpleQueue", "Pipe", "Lock", "RLock", "Condition",
    "Semaphore", "BoundedSemaphore", "Event", "Value", "Array", "RawValue", "RawArray",
    "Pool", "ProcessError", "TimeoutError", "get_start_method", "set_start_method",
]


class ProcessError(Exception):
    pass


class TimeoutError(ProcessError):
    pass


class BufferTooShort(ProcessError):
    pass


class MaybeEncodingError(Exception):
    pass


def cpu_count():
    n = os.cpu_count()
    if n is None:
        raise NotImplementedError("cannot determine number of cpus")
    return n


def get_start_method(allow_none=False):
    return "fork"


def set_start_method(method, force=False):
    if method != "fork":
        raise ValueError("gilscope supports only the 'fork' start method")


def get_context(method=None):
    import multiprocessing
    return multiprocessing


# ---- processes ----------------------------------------------------------------

_process_counter = 0
_children = []


class Process:
    """A forked process running target(*args, **kwargs), or run()."""

    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None):
        global _process_counter
        if group is not None:
            raise AssertionError("group argument must be None for now")
        _process_counter += 1
        self._identity = _current_process._identity + (_process_counter,)
        self._parent_pid = os.getpid()
        self._parent_name = _current_process._name
        self._pid = None
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs) if kwargs is not None else {}
        if name is not None:
            self._name = str(name)
        else:
            self._name = self.__class__.__name__ + "-" + ":".join([str(i) for i in self._identity])
        if daemon is not None:
            self._daemonic = daemon
        else:
            self._daemonic = _current_process._daemonic

    def run(self):
        if self._target:
            self._target(*self._args, **self._kwargs)

    def start(self):
        if self._pid is not None:
            raise AssertionError("cannot start a process twice")
        if self._parent_pid != os.getpid():
            raise AssertionError("can only start a process object created by current process")
        if _current_process._daemonic:
            raise AssertionError("daemonic processes are not allowed to have children")
        _cleanup()
        self._pid = _process.start(self._bootstrap, self._name)
        _children.append(self)

    def _bootstrap(self):
        # runs in the forked child, which exits when it returns
        global _current_process, _process_counter, _children
        _current_process = self
        _process_counter = 0
        _children = []
        try:
            self.run()
        except SystemExit:
            raise
        except BaseException as e:
            _process._print_exception(e, "Process %s:" % self._name)
            raise SystemExit(1)

    def terminate(self):
        if self._pid is not None:
            _process.kill(self._pid, 15)

    def kill(self):
        if self._pid is not None:
            _process.kill(self._pid, 9)

    def join(self, timeout=None):
        if self._parent_pid != os.getpid():
            raise AssertionError("can only join a child process")
        if self._pid is None:
            raise AssertionError("can only join a started process")
        if _process.join(self._pid, timeout):
            if self in _children:
                _children.remove(self)

    def is_alive(self):
        if self is _current_process:
            return True
        if self._parent_pid != os.getpid():
            raise AssertionError("can only test a child process")
        if self._pid is None:
            return False
        if _process.alive(self._pid):
            return True
        if self in _children:
            _children.remove(self)
        return False

    def close(self):
        if self._pid is not None and _process.alive(self._pid):
            raise ValueError("Cannot close a process while it is still running. "
                             "You should first call join() or terminate().")

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, name):
        self._name = str(name)

    @property
    def daemon(self):
        return self._daemonic

    @daemon.setter
    def daemon(self, daemonic):
        if self._pid is not None:
            raise AssertionError("process has already started")
        self._daemonic = daemonic

    @property
    def pid(self):
        if self is _current_process:
            return os.getpid()
        return self._pid

    @property
    def ident(self):
        return self.pid

    @property
    def exitcode(self):
        if self._pid is None or self is _current_process:
            return None
        return _process.exitcode(self._pid)

    @property
    def authkey(self):
        return b"gilscope"

    def __repr__(self):
        exitcode = None
        if self is _current_process:
            status = "started"
        elif self._pid is None:
            status = "initial"
        else:
            exitcode = _process.exitcode(self._pid)
            status = "started" if exitcode is None else "stopped"
        info = [self.__class__.__name__, "name=%r" % self._name]
        if self._pid is not None:
            info.append("pid=%s" % self._pid)
        if self._parent_pid is not None:
            info.append("parent=%s" % self._parent_pid)
        info.append(status)
        if exitcode is not None:
            info.append("exitcode=%s" % exitcode)
        if self._daemonic:
            info.append("daemon")
        return "<" + " ".join(info) + ">"


class _MainProcess(Process):
    def __init__(self):
        self._identity = ()
        self._name = "MainProcess"
        self._parent_pid = None
        self._parent_name = None
        self._pid = None
        self._daemonic = False
        self._target = None
        self._args = ()
        self._kwargs = {}


_current_process = _MainProcess()


def current_process():
    return _current_process


def parent_process():
    if _current_process._parent_pid is None:
        return None
    p = _MainProcess()
    p._name = _current_process._parent_name
    p._pid = _current_process._parent_pid
    return p


def _cleanup():
    for p in list(_children):
        if not _process.alive(p._pid):
            _children.remove(p)


def active_children():
    _cleanup()
    return list(_children)


def _exit_function():
    # as CPython at exit: daemonic children are terminated, the others joined
    for p in list(_children):
        if p._daemonic and _process.alive(p._pid):
            _process.kill(p._pid, 15)
    for p in list(_children):
        _process.join(p._pid, None)
    del _children[:]


_threading_shutdown = threading._shutdown


def _shutdown():
    _threading_shutdown()
    _exit_function()


threading._shutdown = _shutdown


# ---- synchronisation and queues (process-shared, from _process) -----------------

Lock = _process.Lock
RLock = _process.RLock
Condition = _process.Condition
Semaphore = _process.Semaphore
BoundedSemaphore = _process.BoundedSemaphore
Event = _process.Event


def Barrier(parties, action=None, timeout=None):
    raise NotImplementedError("multiprocessing.Barrier is not supported by gilscope")


def Queue(maxsize=0):
    return _process.Queue(maxsize)


JoinableQueue = Queue


def SimpleQueue():
    return _process.Queue(0)


# ---- Pipe -----------------------------------------------------------------------------

class Connection:
    """One end of a Pipe: whole messages, marshalled."""

    def __init__(self, fd, readable=True, writable=True):
        self._fd = fd
        self._readable = readable
        self._writable = writable

    def _check(self, reading):
        if self._fd is None:
            raise OSError("handle is closed")
        if reading and not self._readable:
            raise OSError("connection is write-only")
        if not reading and not self._writable:
            raise OSError("connection is read-only")

    def send(self, obj):
        self._check(False)
        _process.conn_send(self._fd, obj)

    def recv(self):
        self._check(True)
        return _process.conn_recv(self._fd)

    def send_bytes(self, buf, offset=0, size=None):
        self._check(False)
        if offset or size is not None:
            if size is None:
                buf = buf[offset:]
            else:
                buf = buf[offset:offset + size]
        _process.conn_send_bytes(self._fd, bytes(buf))

    def recv_bytes(self, maxlength=None):
        self._check(True)
        b = _process.conn_recv_bytes(self._fd)
        if maxlength is not None and len(b) > maxlength:
            raise OSError("bad message length")
        return b

    def poll(self, timeout=0.0):
        self._check(True)
        return _process.conn_poll(self._fd, timeout)

    def fileno(self):
        if self._fd is None:
            raise OSError("handle is closed")
        return self._fd

    def close(self):
        if self._fd is not None:
            fd = self._fd
            self._fd = None
            _process.conn_close(fd)

    @property
    def closed(self):
        return self._fd is None

    @property
    def readable(self):
        return self._readable

    @property
    def writable(self):
        return self._writable

    def __enter__(self):
        return self

    def __exit__(self, t, v, tb):
        self.close()

    def __repr__(self):
        return "<Connection fd=%s>" % self._fd


def Pipe(duplex=True):
    a, b = _process.pipe()
    if duplex:
        return Connection(a), Connection(b)
    return Connection(a, True, False), Connection(b, False, True)


# ---- shared memory: Value and Array -------------------------------------------------

_ctype_names = {"b": "c_byte", "B": "c_ubyte", "h": "c_short", "H": "c_ushort", "i": "c_int",
                "I": "c_uint", "l": "c_long", "L": "c_ulong", "q": "c_longlong", "Q": "c_ulonglong",
                "f": "c_float", "d": "c_double", "c": "c_char"}


def _typecode(typecode_or_type):
    if not isinstance(typecode_or_type, str):
        raise TypeError("gilscope's Value and Array take a typecode string ('i', 'd', ...)")
    return typecode_or_type


# (the native SharedArray's item methods are called by name: the VM's
# subscript and len() reach __getitem__/__len__ of Python classes only)

class _RawValue:
    def __init__(self, raw):
        self._raw = raw

    @property
    def value(self):
        return self._raw.__getitem__(0)

    @value.setter
    def value(self, v):
        self._raw.__setitem__(0, v)

    def __repr__(self):
        return "%s(%r)" % (_ctype_names.get(self._raw._typecode(), "c_?"), self._raw.__getitem__(0))


class _RawArray:
    def __init__(self, raw):
        self._raw = raw

    def __len__(self):
        return self._raw.__len__()

    def __getitem__(self, i):
        return self._raw.__getitem__(i)

    def __setitem__(self, i, v):
        self._raw.__setitem__(i, v)

    def __iter__(self):
        return iter(self._raw.tolist())

    def __repr__(self):
        return "<%s_Array_%d %r>" % (_ctype_names.get(self._raw._typecode(), "c_?"), self._raw.__len__(),
                                      self._raw.tolist())


class _SyncBase:
    def __init__(self, raw, lock):
        self._raw = raw
        self._lock = lock
        self.acquire = lock.acquire
        self.release = lock.release

    def get_lock(self):
        return self._lock

    def get_obj(self):
        if isinstance(self, Synchronized):
            return _RawValue(self._raw)
        return _RawArray(self._raw)

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, t, v, tb):
        return self._lock.__exit__(t, v, tb)


class Synchronized(_SyncBase):
    @property
    def value(self):
        with self._lock:
            return self._raw.__getitem__(0)

    @value.setter
    def value(self, v):
        with self._lock:
            self._raw.__setitem__(0, v)

    def __repr__(self):
        return "<Synchronized wrapper for %s(%r)>" % (_ctype_names.get(self._raw._typecode(), "c_?"),
                                                      self._raw.__getitem__(0))


class SynchronizedArray(_SyncBase):
    def __len__(self):
        return self._raw.__len__()

    def __getitem__(self, i):
        with self._lock:
            return self._raw.__getitem__(i)

    def __setitem__(self, i, v):
        with self._lock:
            self._raw.__setitem__(i, v)

    def __iter__(self):
        with self._lock:
            return iter(self._raw.tolist())

    def __repr__(self):
        return "<SynchronizedArray wrapper for %r>" % (self._raw.tolist(),)


def RawValue(typecode_or_type, *args):
    raw = _process.RawArray(_typecode(typecode_or_type), [args[0]] if args else 1)
    return _RawValue(raw)


def RawArray(typecode_or_type, size_or_initializer):
    return _RawArray(_process.RawArray(_typecode(typecode_or_type), size_or_initializer))


def Value(typecode_or_type, *args, lock=True, ctx=None):
    raw = _process.RawArray(_typecode(typecode_or_type), [args[0]] if args else 1)
    if lock is False:
        return _RawValue(raw)
    if lock is True or lock is None:
        lock = RLock()
    return Synchronized(raw, lock)


def Array(typecode_or_type, size_or_initializer, *, lock=True, ctx=None):
    raw = _process.RawArray(_typecode(typecode_or_type), size_or_initializer)
    if lock is False:
        return _RawArray(raw)
    if lock is True or lock is None:
        lock = RLock()
    return SynchronizedArray(raw, lock)


# ---- Pool ------------------------------------------------------------------------------

_pool_worker_counter = 0


def _pool_worker(tasks, results, initializer, initargs):
    if initializer is not None:
        initializer(*initargs)
    while True:
        task = tasks.get()
        if task is None:
            break
        job, i, func, args, kwds = task
        try:
            result = (True, func(*args, **kwds))
        except Exception as e:
            result = (False, e)
        try:
            results.put((job, i, result))
        except Exception as e:
            err = MaybeEncodingError("Error sending result: '%r'. Reason: '%r'" % (result[1], e))
            results.put((job, i, (False, err)))


class AsyncResult:
    def __init__(self, pool, n, callback, error_callback, many):
        pool._job += 1
        self._job = pool._job
        self._pool = pool
        self._many = many
        self._values = [None] * n
        self._left = n
        self._error = None
        self._callback = callback
        self._error_callback = error_callback
        pool._cache[self._job] = self
        if n == 0:
            self._finish()

    def _set(self, i, ok, value):
        if ok:
            self._values[i] = value
        elif self._error is None:
            self._error = value
        self._left -= 1
        if self._left == 0:
            self._finish()

    def _finish(self):
        if self._job in self._pool._cache:
            del self._pool._cache[self._job]
        if self._error is None:
            if self._callback is not None:
                self._callback(self._value())
        elif self._error_callback is not None:
            self._error_callback(self._error)

    def _value(self):
        if self._many:
            return self._values
        return self._values[0]

    def ready(self):
        if self._left > 0:
            self._pool._collect(self, 0)
        return self._left == 0

    def successful(self):
        if not self.ready():
            raise ValueError("%r not ready" % self)
        return self._error is None

    def wait(self, timeout=None):
        self._pool._collect(self, timeout)

    def get(self, timeout=None):
        self.wait(timeout)
        if self._left > 0:
            raise TimeoutError
        if self._error is not None:
            raise self._error
        return self._value()


ApplyResult = AsyncResult
MapResult = AsyncResult


class Pool:
    """Worker processes forked once; tasks and results cross by value."""

    def __init__(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None):
        global _pool_worker_counter
        if processes is None:
            processes = cpu_count()
        if processes < 1:
            raise ValueError("Number of processes must be at least 1")
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        self._processes = processes
        self._tasks = Queue()
        self._results = Queue()
        self._cache = {}
        self._job = 0
        self._state = "RUN"
        self._pool = []
        for i in range(processes):
            _pool_worker_counter += 1
            w = Process(target=_pool_worker, args=(self._tasks, self._results, initializer, initargs),
                        name="ForkPoolWorker-%d" % _pool_worker_counter, daemon=True)
            w.start()
            self._pool.append(w)

    def _check_running(self):
        if self._state != "RUN":
            raise ValueError("Pool not running")

    def _collect(self, result, timeout):
        # pulls results (of any job) until `result` is complete or time is up
        import time
        deadline = None
        if timeout is not None:
            deadline = time.monotonic() + timeout
        while result._left > 0:
            if deadline is None:
                item = self._results.get()
            else:
                remaining = deadline - time.monotonic()
                try:
                    if remaining <= 0:
                        item = self._results.get_nowait()
                    else:
                        item = self._results.get(True, remaining)
                except _queue.Empty:
                    return
            job, i, res = item
            ok, value = res
            r = self._cache.get(job)
            if r is not None:
                r._set(i, ok, value)

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        self._check_running()
        r = AsyncResult(self, 1, callback, error_callback, False)
        self._tasks.put((r._job, 0, func, tuple(args), dict(kwds)))
        return r

    def apply(self, func, args=(), kwds={}):
        return self.apply_async(func, args, kwds).get()

    def _map_async(self, func, iterable, star, callback, error_callback):
        self._check_running()
        items = list(iterable)
        r = AsyncResult(self, len(items), callback, error_callback, True)
        for i in range(len(items)):
            args = tuple(items[i]) if star else (items[i],)
            self._tasks.put((r._job, i, func, args, {}))
        return r

    def map_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map_async(func, iterable, False, callback, error_callback)

    def map(self, func, iterable, chunksize=None):
        return self._map_async(func, iterable, False, None, None).get()

    def starmap_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map_async(func, iterable, True, callback, error_callback)

    def starmap(self, func, iterable, chunksize=None):
        return self._map_async(func, iterable, True, None, None).get()

    def imap(self, func, iterable, chunksize=1):
        return iter(self.map(func, iterable))

    def imap_unordered(self, func, iterable, chunksize=1):
        return iter(self.map(func, iterable))

    def close(self):
        if self._state == "RUN":
            self._state = "CLOSE"
            for w in self._pool:
                self._tasks.put(None)

    def terminate(self):
        self._state = "TERMINATE"
        for w in self._pool:
            w.terminate()
        for w in self._pool:
            w.join()

    def join(self):
        if self._state == "RUN":
            raise ValueError("Pool is still running")
        for w in self._pool:
            w.join()

    def __enter__(self):
        self._check_running()
        return self

    def __exit__(self, t, v, tb):
        self.terminate()

    def __repr__(self):
        return "<multiprocessing.pool.Pool state=%s pool_size=%d>" % (self._state, len(self._pool))
