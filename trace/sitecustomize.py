# sitecustomize.py -- put first on PYTHONPATH by `gilscope trace` (a private
# directory of its run) so that the trace's lanes carry the Python threads'
# names: CPython before 3.14 gives no OS thread a name.
#
# When the program imports threading, Thread._bootstrap_inner is wrapped: in
# the new thread, before its run() and again after it (if it renamed
# itself), os.putenv("GILSCOPE_THREAD_NAME", self.name).  posix.putenv
# reaches libc's setenv (putenv before 3.9) without releasing the GIL or
# making a system call; libgilscope-preload.so takes the name for the
# calling thread and sets nothing.  The main thread's name is sent at
# interpreter shutdown (threading._shutdown).
#
# Then the program's own sitecustomize, if any, is imported as it would have
# been (same sys.path, same errors), and this directory leaves sys.path.
# Nothing here may raise, print or change what the program sees: Python 2.7
# and 3.0-3.6 (no GIL the library knows) only chain.
import os
import sys

_KEY = "GILSCOPE_THREAD_NAME"
_putenv = os.putenv


def _gilscope_send(name):
    try:
        _putenv(_KEY, name)
    except Exception:
        pass


def _gilscope_patch(threading):
    try:
        Thread = threading.Thread
        inner = Thread._bootstrap_inner
    except Exception:
        return

    def _bootstrap_inner(self):
        try:
            name = self.name
            _gilscope_send(name)
        except Exception:
            name = None
        try:
            inner(self)
        finally:
            try:
                if self.name != name:
                    _gilscope_send(self.name)
            except Exception:
                pass

    _bootstrap_inner.__wrapped__ = inner
    Thread._bootstrap_inner = _bootstrap_inner

    shutdown = getattr(threading, "_shutdown", None)
    if shutdown is not None:
        def _shutdown(*args, **kwargs):
            try:
                t = threading.current_thread()
                if t is threading.main_thread():
                    _gilscope_send(t.name)
            except Exception:
                pass
            return shutdown(*args, **kwargs)

        _shutdown.__wrapped__ = shutdown
        threading._shutdown = _shutdown


class _GilscopeFinder(object):
    """Patches threading when the program first imports it (not before)."""

    def find_spec(self, name, path=None, target=None):
        if name != "threading":
            return None
        try:
            sys.meta_path.remove(self)
        except ValueError:
            pass
        spec = None
        try:
            for finder in sys.meta_path:
                find = getattr(finder, "find_spec", None)
                if find is not None:
                    spec = find(name, path, target)
                    if spec is not None:
                        break
        except Exception:
            return None
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _GilscopeLoader(spec.loader)
        return spec


class _GilscopeLoader(object):
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        create = getattr(self.loader, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module):
        # The module's own loader, as without gilscope.
        try:
            module.__loader__ = self.loader
            module.__spec__.loader = self.loader
        except Exception:
            pass
        self.loader.exec_module(module)
        _gilscope_patch(module)

    def __getattr__(self, attr):
        return getattr(self.loader, attr)


def _gilscope_install():
    # Only where the library takes the name: else putenv would set it.
    if sys.version_info < (3, 7) or "libgilscope-preload" not in os.environ.get("LD_PRELOAD", ""):
        return
    threading = sys.modules.get("threading")
    if threading is not None:
        _gilscope_patch(threading)
    else:
        sys.meta_path.insert(0, _GilscopeFinder())


def _gilscope_chain():
    """Imports the sitecustomize this one hides, if there is one."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    mine = sys.modules.pop("sitecustomize", None)
    try:
        import sitecustomize  # noqa: F401 -- the program's own; its errors are site.py's to report
    except ImportError as e:
        if getattr(e, "name", "sitecustomize") != "sitecustomize" and sys.version_info >= (3,):
            raise
        if mine is not None:
            sys.modules["sitecustomize"] = mine


try:
    _gilscope_install()
except Exception:
    pass
_gilscope_chain()
