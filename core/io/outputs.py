"""A run's outputs written as one set: all or nothing.

Every file a run writes (rasters, their ``.aux.xml``, QML styles, CSV tables,
HTML reports, Zarr folders) is first written under a hidden temporary name in
its target folder::

    with output_set() as outs:
        tmp = outs.stage("result.csv")     # write to tmp
        ...
    # here every staged file has been renamed to its final name

Nested ``output_set()`` blocks join the outermost one, so an algorithm that
calls several core functions commits their outputs together when it ends.
Any exception (error, cancel, KeyboardInterrupt) removes every temporary file
of the set and leaves existing files as they were. Files already committed by
an earlier run stay until the new set replaces them.

Temporary names carry the process id (``.NAME.cs<pid>-<token>.partial.EXT``):
SIGTERM/SIGHUP remove the files of the running sets (a handler installed
while a set is open in the main thread), and files of a process that no
longer runs (SIGKILL, power loss) are removed the next time a set writes to
that folder. The renames of one set hold a lock per target folder, so two
concurrent runs writing the same outputs leave one complete set, not a mix.
"""
import contextlib
import errno
import hashlib
import os
import re
import shutil
import signal
import tempfile
import threading
import time
import uuid

from ..errors import N_, InputError

try:
    import fcntl
except ImportError:     # Windows
    fcntl = None


class OutputError(InputError):
    """An output that cannot be written (bad path, disk full ...)."""


_local = threading.local()
_live = set()             # temporary files on disk, removed on SIGTERM
_live_lock = threading.Lock()
_PARTIAL = re.compile(r"^\..+\.cs(\d+)-[0-9a-f]{8}\.partial(\.[^.]+)?(\.aux\.xml)?$")
_cleaned_folders = set()


def _remove(path):
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        elif os.path.lexists(path):
            os.remove(path)
    except OSError:
        pass


def _pid_alive(pid):
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def clean_stale(folder):
    """Remove temporary files left in ``folder`` by processes that are gone."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    removed = []
    for name in names:
        m = _PARTIAL.match(name)
        if m and not _pid_alive(int(m.group(1))):
            _remove(os.path.join(folder, name))
            removed.append(name)
    return removed


def temp_name(final, ext=None):
    """A hidden temporary path beside ``final`` (same folder, so the final
    rename is atomic), with the extension GDAL needs to pick a driver."""
    final = os.path.abspath(str(final))
    folder, base = os.path.split(final)
    if folder not in _cleaned_folders:      # once per folder and process
        _cleaned_folders.add(folder)
        clean_stale(folder)
    if ext is None:
        ext = os.path.splitext(base)[1]
    return os.path.join(folder, f".{base}.cs{os.getpid()}-{uuid.uuid4().hex[:8]}.partial{ext}")


def register(path):
    """Mark a temporary file for removal on SIGTERM (see :func:`release`)."""
    with _live_lock:
        _live.add(os.path.abspath(path))


def release(path):
    with _live_lock:
        _live.discard(os.path.abspath(path))


def scratch_tif(folder, key):
    """A temporary GeoTIFF path for an intermediate raster (removed by
    :func:`remove_scratch`, or by the SIGTERM handler)."""
    fd, path = tempfile.mkstemp(prefix=f".carbonsink-{key}.cs{os.getpid()}-",
                                suffix=".tif", dir=folder)
    os.close(fd)
    register(path)
    _scratch().add(os.path.abspath(path))
    return path


def _scratch():
    if not hasattr(_local, "scratch"):
        _local.scratch = set()
    return _local.scratch


def is_scratch(path):
    return os.path.abspath(str(path)) in _scratch()


def remove_scratch(paths):
    for p in paths:
        if not p:
            continue
        for f in (p, p + ".aux.xml"):
            _remove(f)
            release(f)
        _scratch().discard(os.path.abspath(p))


def _folder_of(final):
    return os.path.dirname(os.path.abspath(str(final)))


def check_folder(final):
    """Raise OutputError unless ``final`` can be written (folder exists and is
    writable, the path is not a folder)."""
    final = os.path.abspath(str(final))
    folder = os.path.dirname(final)
    if os.path.isdir(final) and not final.endswith(".zarr"):
        raise OutputError(N_("cannot write {}: it is a folder; give a file name"), final)
    if not os.path.isdir(folder):
        raise OutputError(N_("cannot write {}: folder {} does not exist"), final, folder)
    if not os.access(folder, os.W_OK):
        raise OutputError(N_("cannot write {}: folder {} is not writable"), final, folder)


def _same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def check_paths(outputs, inputs=()):
    """Check the output paths of a run before any work starts.

    ``outputs``: {label: path} (empty paths are skipped); ``inputs``: paths
    read by the run. Raises OutputError naming the problem: an output that is
    one of the inputs, two outputs with one path, an output that is a folder,
    a missing or read-only folder."""
    seen = {}
    inputs = [str(p) for p in inputs if p]
    for label, path in outputs.items():
        if not path:
            continue
        path = str(path)
        check_folder(path)
        for src in inputs:
            if os.path.exists(src) and _same_file(src, path):
                raise OutputError(N_("output {} ({}) is also an input: choose another file "
                                     "name (the input would be overwritten)"), label, path)
        key = os.path.normcase(os.path.realpath(path))
        if key in seen:
            raise OutputError(N_("outputs {} and {} have the same path {}: give each output "
                                 "its own file name"), seen[key], label, path)
        seen[key] = label


class OutputSet:
    """The files of one run: staged under temporary names, committed together."""

    def __init__(self):
        self._pending = {}      # final path -> temporary path
        self._drop = set()      # final paths to remove at commit (stale sidecars)

    def stage(self, final, ext=None):
        """The temporary path to write ``final`` to; renamed at commit."""
        final = os.path.abspath(str(final))
        check_folder(final)
        old = self._pending.pop(final, None)
        if old:
            _remove(old)
            release(old)
        tmp = temp_name(final, ext)
        register(tmp)
        self._pending[final] = tmp
        self._drop.discard(final)
        return tmp

    def adopt(self, tmp, final):
        """Commit an existing temporary file ``tmp`` as ``final``."""
        final = os.path.abspath(str(final))
        register(tmp)
        self._pending[final] = tmp
        self._drop.discard(final)

    def drop_on_commit(self, final):
        """Remove ``final`` (a stale sidecar) when the set is committed."""
        final = os.path.abspath(str(final))
        if final not in self._pending:
            self._drop.add(final)

    def resolve(self, final):
        """Where ``final`` can be read before the commit."""
        return self._pending.get(os.path.abspath(str(final)), str(final))

    def __contains__(self, final):
        return os.path.abspath(str(final)) in self._pending

    def commit(self):
        folders = sorted({_folder_of(p) for p in list(self._pending) + list(self._drop)})
        with _folder_locks(folders):
            for final in sorted(self._drop):
                _remove(final)
            done = []
            # tests widen the race between concurrent runs with this delay
            pause = float(os.environ.get("CARBONSINK_TEST_COMMIT_DELAY", "0") or 0)
            try:
                for final, tmp in self._pending.items():
                    if pause:
                        time.sleep(pause)
                    if not os.path.lexists(tmp):
                        raise OutputError(N_("cannot write {}: its temporary file is gone"), final)
                    if os.path.isdir(tmp) and os.path.isdir(final):
                        shutil.rmtree(final)
                    os.replace(tmp, final)
                    release(tmp)
                    done.append(final)
            except OSError as exc:
                self.abort()
                raise OutputError(describe_os_error(exc, final)) from None
        self._pending.clear()
        self._drop.clear()
        return done

    def abort(self):
        for tmp in self._pending.values():
            _remove(tmp)
            release(tmp)
        self._pending.clear()
        self._drop.clear()


def describe_os_error(exc, path=None):
    """A one-line message for an OSError while writing outputs."""
    where = path or getattr(exc, "filename", None) or "an output"
    if getattr(exc, "errno", None) == errno.ENOSPC:
        return f"cannot write {where}: the disk is full (no output was written)"
    if getattr(exc, "errno", None) == errno.EDQUOT:
        return f"cannot write {where}: disk quota exceeded (no output was written)"
    return f"cannot write {where}: {exc.strerror or exc} (no output was written)"


@contextlib.contextmanager
def _folder_locks(folders):
    handles = []
    try:
        if fcntl is not None:
            for folder in folders:
                key = hashlib.sha1(os.path.realpath(folder).encode("utf-8", "replace"))
                lock = os.path.join(tempfile.gettempdir(),
                                    f"carbonsink-{key.hexdigest()[:16]}.lock")
                try:
                    h = open(lock, "a")
                except OSError:
                    continue
                fcntl.flock(h.fileno(), fcntl.LOCK_EX)
                handles.append(h)
        yield
    finally:
        for h in reversed(handles):
            try:
                fcntl.flock(h.fileno(), fcntl.LOCK_UN)
            finally:
                h.close()


def current():
    """The open output set of this thread, or None."""
    stack = getattr(_local, "stack", None)
    return stack[-1] if stack else None


@contextlib.contextmanager
def output_set():
    """Open (or join) this thread's output set; the outermost block commits
    it on success and removes every staged file on any exception."""
    outer = current()
    if outer is not None:
        yield outer
        return
    s = OutputSet()
    _local.stack = [s]
    restore = _install_signal_cleanup()
    try:
        yield s
        s.commit()
    except BaseException:
        s.abort()
        raise
    finally:
        _local.stack = []
        restore()


def folder_of(outputs):
    """The folder of the first output path of ``outputs`` ({key: path});
    OutputError when it does not exist."""
    first = next(v for v in outputs.values() if v)
    folder = os.path.dirname(os.path.abspath(str(first)))
    if not os.path.isdir(folder):
        raise OutputError(N_("cannot write {}: folder {} does not exist"), first, folder)
    return folder


@contextlib.contextmanager
def passes(folder, keys=()):
    """A run of several passes over the data (a main pass, then for example
    a histogram and an FDR class pass that read its p-values back): one
    output set for all of them, and a scratch raster in ``folder`` for each
    of ``keys`` (what a later pass reads but the user did not ask for).
    Yields {key: scratch path}; the scratch files are removed at the end,
    whatever happens."""
    temps = {}
    try:
        for key in keys:
            temps[key] = scratch_tif(folder, key)
        with output_set():
            yield temps
    finally:
        remove_scratch(list(temps.values()))


def _cleanup_live():
    with _live_lock:
        paths = list(_live)
        _live.clear()
    for p in paths:
        _remove(p)
        _remove(p + ".aux.xml")


def _on_signal(signum, frame):
    _cleanup_live()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install_signal_cleanup():
    """SIGTERM/SIGHUP handlers that remove the temporary files, then end the
    process as the default action would. Only in the main thread and only
    where nobody else handles the signal. Returns a function restoring the
    previous handlers."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        try:
            if signal.getsignal(sig) in (signal.SIG_DFL, None):
                previous[sig] = signal.signal(sig, _on_signal)
        except (ValueError, OSError):
            pass

    def restore():
        for sig, handler in previous.items():
            try:
                signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
            except (ValueError, OSError):
                pass
    return restore


def readable(path):
    """Where an output of this run can be read now (its temporary file while
    the set is open, else the path itself)."""
    outs = current()
    return outs.resolve(path) if outs is not None else str(path)


@contextlib.contextmanager
def open_text(path, newline=None):
    """Open a text output (UTF-8) of the current output set for writing."""
    with output_set() as outs:
        tmp = outs.stage(path)
        try:
            with open(tmp, "w", encoding="utf-8", newline=newline) as f:
                yield f
        except OSError as exc:
            raise OutputError(describe_os_error(exc, path)) from None


def write_text(path, text):
    """Write a text file as part of the current output set; returns path."""
    with open_text(path) as f:
        f.write(text)
    return str(path)
