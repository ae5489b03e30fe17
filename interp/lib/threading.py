# threading -- gilscope's threading module, after CPython's Lib/threading.py:
# written in the workload language on top of _thread (interp/modules/thread.c).
#
# In --mode processes each Thread is a forked process and the objects that
# must cross processes (Lock, RLock, Condition, Semaphore, Event) are the
# process-shared twins of the _process module.  In --mode sequential
# start() runs the thread's target to completion at once, one after another.

import _thread

_mode = _thread.mode()
_start_new_thread = _thread.start_new_thread
_allocate_lock = _thread.allocate_lock
get_ident = _thread.get_ident
get_native_id = _thread.get_native_id
ThreadError = _thread.error
TIMEOUT_MAX = _thread.TIMEOUT_MAX

# blocking-call kinds the tracer records (interp/trace.h, TraceBlock)
_BLOCK_LOCK = 2
_BLOCK_QUEUE = 3
_BLOCK_JOIN = 4

if _mode == "processes":
    import _process

_counter = 0


def _newname(name_template="Thread-%d"):
    global _counter
    _counter += 1
    return name_template % _counter


def Lock():
    if _mode == "processes":
        return _process.Lock()
    return _allocate_lock()


class _PyRLock:
    """A reentrant lock: the owner may acquire it again; it is free when
    released as many times as acquired."""

    def __init__(self):
        self._block = Lock()
        self._owner = None
        self._count = 0

    def acquire(self, blocking=True, timeout=-1):
        me = get_ident()
        if self._owner == me:
            self._count += 1
            return True
        rc = self._block.acquire(blocking, timeout)
        if rc:
            self._owner = me
            self._count = 1
        return rc

    def __enter__(self):
        return self.acquire()

    def release(self):
        if self._owner != get_ident():
            raise RuntimeError("cannot release un-acquired lock")
        self._count -= 1
        if self._count == 0:
            self._owner = None
            self._block.release()

    def __exit__(self, t, v, tb):
        self.release()

    def _is_owned(self):
        return self._owner == get_ident()

    def _release_save(self):
        count = self._count
        owner = self._owner
        self._count = 0
        self._owner = None
        self._block.release()
        return (count, owner)

    def _acquire_restore(self, state):
        self._block.acquire()
        self._count, self._owner = state

    def __repr__(self):
        return "<%s %s object owner=%r count=%d>" % (
            "locked" if self._count else "unlocked", "_thread.RLock", self._owner, self._count)


def RLock():
    if _mode == "processes":
        return _process.RLock()
    return _PyRLock()


class Condition:
    """CPython's Condition: each waiter sleeps on a lock of its own, which
    notify() releases."""

    def __init__(self, lock=None):
        if lock is None:
            lock = RLock()
        self._lock = lock
        self.acquire = lock.acquire
        self.release = lock.release
        self._block = _BLOCK_LOCK
        self._waiters = []

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, t, v, tb):
        return self._lock.__exit__(t, v, tb)

    def __repr__(self):
        return "<Condition(%s, %d)>" % (self._lock, len(self._waiters))

    def _release_save(self):
        if isinstance(self._lock, _PyRLock):
            return self._lock._release_save()
        self._lock.release()
        return None

    def _acquire_restore(self, state):
        if isinstance(self._lock, _PyRLock):
            self._lock._acquire_restore(state)
        else:
            self._lock.acquire()

    def _is_owned(self):
        if isinstance(self._lock, _PyRLock):
            return self._lock._is_owned()
        if self._lock.acquire(False):
            self._lock.release()
            return False
        return True

    def wait(self, timeout=None):
        if not self._is_owned():
            raise RuntimeError("cannot wait on un-acquired lock")
        waiter = _allocate_lock()
        waiter.acquire()
        self._waiters.append(waiter)
        saved_state = self._release_save()
        gotit = False
        try:
            if timeout is None:
                waiter.acquire(True, -1, self._block)
                gotit = True
            else:
                if timeout > 0:
                    gotit = waiter.acquire(True, timeout, self._block)
                else:
                    gotit = waiter.acquire(False)
            return gotit
        finally:
            self._acquire_restore(saved_state)
            if not gotit:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)

    def wait_for(self, predicate, timeout=None):
        endtime = None
        waittime = timeout
        result = predicate()
        while not result:
            if waittime is not None:
                if endtime is None:
                    endtime = _time() + waittime
                else:
                    waittime = endtime - _time()
                    if waittime <= 0:
                        break
            self.wait(waittime)
            result = predicate()
        return result

    def notify(self, n=1):
        if not self._is_owned():
            raise RuntimeError("cannot notify on un-acquired lock")
        waiters = self._waiters
        while waiters and n > 0:
            waiter = waiters.pop(0)
            waiter.release()
            n -= 1

    def notify_all(self):
        self.notify(len(self._waiters))

    notifyAll = notify_all


def _time():
    import time
    return time.monotonic()


class Semaphore:
    def __init__(self, value=1):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._cond = Condition(Lock())
        self._value = value

    def acquire(self, blocking=True, timeout=None):
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        rc = False
        endtime = None
        with self._cond:
            while self._value == 0:
                if not blocking:
                    break
                if timeout is not None:
                    if endtime is None:
                        endtime = _time() + timeout
                    else:
                        timeout = endtime - _time()
                        if timeout <= 0:
                            break
                self._cond.wait(timeout)
            else:
                self._value -= 1
                rc = True
        return rc

    __enter__ = acquire

    def release(self, n=1):
        if n < 1:
            raise ValueError("n must be one or more")
        with self._cond:
            self._value += n
            for i in range(n):
                self._cond.notify()

    def __exit__(self, t, v, tb):
        self.release()


class BoundedSemaphore(Semaphore):
    def __init__(self, value=1):
        Semaphore.__init__(self, value)
        self._initial_value = value

    def release(self, n=1):
        if n < 1:
            raise ValueError("n must be one or more")
        with self._cond:
            if self._value + n > self._initial_value:
                raise ValueError("Semaphore released too many times")
            self._value += n
            for i in range(n):
                self._cond.notify()


class Event:
    def __init__(self):
        self._cond = Condition(Lock())
        self._flag = False

    def is_set(self):
        return self._flag

    isSet = is_set

    def set(self):
        with self._cond:
            self._flag = True
            self._cond.notify_all()

    def clear(self):
        with self._cond:
            self._flag = False

    def wait(self, timeout=None):
        with self._cond:
            signaled = self._flag
            if not signaled:
                signaled = self._cond.wait(timeout)
            return signaled


if _mode == "processes":
    Condition = _process.Condition
    Semaphore = _process.Semaphore
    BoundedSemaphore = _process.BoundedSemaphore
    Event = _process.Event


class Barrier:
    def __init__(self, parties, action=None, timeout=None):
        if parties < 1:
            raise ValueError("parties must be > 0")
        self._cond = Condition(Lock())
        self._action = action
        self._timeout = timeout
        self._parties = parties
        self._count = 0
        self._generation = 0

    def wait(self, timeout=None):
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            gen = self._generation
            index = self._count
            self._count += 1
            if self._count == self._parties:
                if self._action:
                    self._action()
                self._count = 0
                self._generation += 1
                self._cond.notify_all()
            else:
                while gen == self._generation:
                    if not self._cond.wait(timeout):
                        raise BrokenBarrierError()
            return index

    @property
    def parties(self):
        return self._parties

    @property
    def n_waiting(self):
        return self._count


class BrokenBarrierError(RuntimeError):
    pass


# ---- threads ----------------------------------------------------------------

_active = {}        # ident -> Thread, for the running ones
_limbo = {}         # id(thread) -> Thread, started but not yet running
_process_children = []  # --mode processes: the threads this process forked
_sequential_stack = []
_active_limbo_lock = _allocate_lock()


class Thread:
    """A thread of control: subclass and override run(), or pass target."""

    _initialized = False

    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None):
        if group is not None:
            raise AssertionError("group argument must be None for now")
        if kwargs is None:
            kwargs = {}
        if name:
            name = str(name)
        else:
            name = _newname("Thread-%d")
            if target is not None:
                try:
                    name += " (%s)" % target.__name__
                except AttributeError:
                    pass
        self._target = target
        self._name = name
        self._args = args
        self._kwargs = kwargs
        if daemon is not None:
            self._daemonic = daemon
        else:
            self._daemonic = current_thread().daemon
        self._ident = None
        self._native_id = None
        self._started = Event() if _mode != "processes" else _process.Event()
        self._is_stopped = False
        self._initialized = True
        self._tstate_lock = None
        self._pid = None

    def __repr__(self):
        status = "initial"
        if self._started.is_set():
            status = "started"
        if self._is_stopped:
            status = "stopped"
        if self._daemonic:
            status += " daemon"
        if self._ident is not None:
            status += " %s" % self._ident
        return "<%s(%s, %s)>" % (self.__class__.__name__, self._name, status)

    def start(self):
        if not self._initialized:
            raise RuntimeError("thread.__init__() not called")
        if self._started.is_set():
            raise RuntimeError("threads can only be started once")
        if _mode == "sequential":
            self._run_sequentially()
            return
        if _mode == "processes":
            self._pid = _process.start(self._bootstrap_process, self._name)
            self._ident = self._pid
            _process_children.append(self)
            self._started.wait()
            return
        self._tstate_lock = _allocate_lock()
        self._tstate_lock.acquire()
        _limbo[id(self)] = self
        try:
            _start_new_thread(self._bootstrap, (), None, self._name)
        except Exception:
            del _limbo[id(self)]
            raise
        self._started.wait()

    def run(self):
        try:
            if self._target is not None:
                self._target(*self._args, **self._kwargs)
        finally:
            # drop the references, as CPython does, so arguments can be freed
            self._target = None
            self._args = ()
            self._kwargs = {}

    def _bootstrap(self):
        self._ident = get_ident()
        self._native_id = get_native_id()
        _thread._set_name(self._name)
        _active[self._ident] = self
        if id(self) in _limbo:
            del _limbo[id(self)]
        self._started.set()
        try:
            self.run()
        except SystemExit:
            pass
        except BaseException as exc:
            excepthook(_ExceptHookArgs(exc, self))
        finally:
            self._is_stopped = True
            if self._ident in _active:
                del _active[self._ident]
            self._tstate_lock.release()

    def _bootstrap_process(self):
        # runs in the forked child: this thread is the child's main thread
        global _main_thread
        self._ident = get_ident()
        self._native_id = get_native_id()
        _main_thread = self
        _active.clear()
        del _process_children[:]
        _active[self._ident] = self
        self._started.set()
        try:
            self.run()
        except SystemExit:
            raise
        except BaseException as exc:
            excepthook(_ExceptHookArgs(exc, self))
            raise SystemExit(1)

    def _run_sequentially(self):
        self._ident = get_ident()
        self._started.set()
        _sequential_stack.append(self)
        try:
            self.run()
        except SystemExit:
            pass
        except BaseException as exc:
            excepthook(_ExceptHookArgs(exc, self))
        finally:
            _sequential_stack.pop()
            self._is_stopped = True

    def join(self, timeout=None):
        if not self._initialized:
            raise RuntimeError("Thread.__init__() not called")
        if not self._started.is_set():
            raise RuntimeError("cannot join thread before it is started")
        if self is current_thread():
            raise RuntimeError("cannot join current thread")
        if self._is_stopped:
            return
        if _mode == "processes":
            if _process.join(self._pid, timeout):
                self._is_stopped = True
            return
        lock = self._tstate_lock
        if lock is None:
            return
        if timeout is None:
            if lock.acquire(True, -1, _BLOCK_JOIN):
                lock.release()
        elif lock.acquire(True, max(timeout, 0), _BLOCK_JOIN):
            lock.release()

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, name):
        self._name = str(name)
        if self._ident == get_ident():
            _thread._set_name(self._name)

    @property
    def ident(self):
        return self._ident

    @property
    def native_id(self):
        return self._native_id

    def is_alive(self):
        if self._is_stopped or not self._started.is_set():
            return False
        if _mode == "processes":
            if not _process.alive(self._pid):
                self._is_stopped = True
                return False
        return True

    @property
    def daemon(self):
        return self._daemonic

    @daemon.setter
    def daemon(self, daemonic):
        if self._started.is_set():
            raise RuntimeError("cannot set daemon status of active thread")
        self._daemonic = daemonic

    def isDaemon(self):
        return self._daemonic

    def setDaemon(self, daemonic):
        self.daemon = daemonic

    def getName(self):
        return self._name

    def setName(self, name):
        self.name = name


class _ExceptHookArgs:
    def __init__(self, exc, thread):
        self.exc_type = type(exc)
        self.exc_value = exc
        self.exc_traceback = None
        self.thread = thread


def excepthook(args):
    name = args.thread.name if args.thread is not None else get_ident()
    _thread._excepthook(args.exc_value, name)


__excepthook__ = excepthook


class _MainThread(Thread):
    def __init__(self):
        Thread.__init__(self, name="MainThread", daemon=False)
        self._started.set()
        self._ident = get_ident()
        self._native_id = get_native_id()
        _active[self._ident] = self


class _DummyThread(Thread):
    def __init__(self):
        Thread.__init__(self, name=_newname("Dummy-%d"), daemon=True)
        self._started.set()
        self._ident = get_ident()
        _active[self._ident] = self

    def join(self, timeout=None):
        raise AssertionError("cannot join a dummy thread")


class Timer(Thread):
    """Calls a function after a number of seconds, unless cancel()led."""

    def __init__(self, interval, function, args=None, kwargs=None):
        Thread.__init__(self)
        self.interval = interval
        self.function = function
        self.args = args if args is not None else []
        self.kwargs = kwargs if kwargs is not None else {}
        self.finished = Event()

    def cancel(self):
        self.finished.set()

    def run(self):
        self.finished.wait(self.interval)
        if not self.finished.is_set():
            self.function(*self.args, **self.kwargs)
        self.finished.set()


def current_thread():
    if _sequential_stack:
        return _sequential_stack[-1]
    me = get_ident()
    if me in _active:
        return _active[me]
    return _DummyThread()


currentThread = current_thread


def main_thread():
    return _main_thread


def active_count():
    return len(_active) + len(_limbo)


activeCount = active_count


def enumerate():
    return list(_active.values()) + list(_limbo.values())


def _shutdown():
    # called by gilscope after the main module: wait for non-daemon threads
    while True:
        pending = None
        for t in list(_active.values()) + list(_limbo.values()):
            if t is not _main_thread and not t.daemon and t.is_alive():
                pending = t
                break
        if pending is None:
            break
        pending.join()
    # --mode processes: the forked threads; daemonic ones end with us
    for t in list(_process_children):
        if t._daemonic:
            if t.is_alive():
                _process.kill(t._pid, 15)
        else:
            t.join()
    del _process_children[:]


_main_thread = _MainThread()
