"""The block engine: :func:`run_blocks` reads every stack window by window
(windows aligned to the file blocks and sized from a memory budget:
:func:`.raster.plan_windows`), hands the arrays to a pure function and
writes its results through :class:`.raster.RasterWriter`; a reader thread
prefetches the next window and a writer thread writes the last one while
the function computes. :func:`scan_blocks` reads only. GDAL's block cache
is capped for the duration of a run (:func:`capped_gdal_cache`).
"""
import contextlib
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from osgeo import gdal

from ..errors import N_
from ..progress import as_progress
from . import outputs as _outputs
from .raster import NoValidData, RasterWriter, check_same_grid, plan_windows

_CACHE_LOCK = threading.Lock()
_CACHE_STATE = {"depth": 0, "saved": None}


@contextlib.contextmanager
def capped_gdal_cache(cache_mb):
    """Cap GDAL's process-wide block cache at ``cache_mb`` while the block
    runs, then give it back: QGIS and every other plugin share that cache.
    Runs at the same time (QGIS background tasks, nested passes) keep one
    cap; the value saved by the first is restored when the last ends."""
    cap = int(cache_mb) * 2**20
    with _CACHE_LOCK:
        if _CACHE_STATE["depth"] == 0:
            _CACHE_STATE["saved"] = gdal.GetCacheMax()
        _CACHE_STATE["depth"] += 1
        gdal.SetCacheMax(min(gdal.GetCacheMax(), cap))
    try:
        yield
    finally:
        with _CACHE_LOCK:
            _CACHE_STATE["depth"] -= 1
            if _CACHE_STATE["depth"] == 0:
                gdal.SetCacheMax(_CACHE_STATE["saved"])


def _overlap():
    """Read, compute and write in three threads (CARBONSINK_SERIAL_IO=1: one)."""
    return os.environ.get("CARBONSINK_SERIAL_IO", "0") not in ("1", "true", "yes")


class _Prefetch:
    """Windows with their arrays, the next window read by a background
    thread while the caller computes on this one (GDAL and the kernels
    release the GIL). At most one window is read ahead."""

    def __init__(self, windows, read, overlap=True):
        self.windows, self.read = list(windows), read
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="carbonsink-read") \
            if overlap and len(self.windows) > 1 else None
        self.next = None

    def __iter__(self):
        for k, win in enumerate(self.windows):
            if self.pool is None:
                yield win, self.read(win)
                continue
            arrays = (self.next or self.pool.submit(self.read, win)).result()
            self.next = self.pool.submit(self.read, self.windows[k + 1]) \
                if k + 1 < len(self.windows) else None
            yield win, arrays

    def close(self):
        if self.pool is not None:
            if self.next is not None:
                self.next.cancel()
            self.pool.shutdown(wait=True)       # no read left running on closed stacks
            self.pool = self.next = None


class _Writes:
    """Writes of the last window in a background thread (compression is
    the costly part), one in flight at a time: errors surface at the next
    submit or at finish()."""

    def __init__(self, overlap=True):
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="carbonsink-write") \
            if overlap else None
        self.pending = None

    def submit(self, fn, *args):
        if self.pool is None:
            fn(*args)
            return
        self.finish()
        self.pending = self.pool.submit(fn, *args)

    def finish(self):
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = self.pending = None


#: progress steps a run aims at: windows are split into row bands for the
#: kernel calls, with a progress update and a cancel check after each
PROGRESS_STEPS = 200


def _compute(func, arrays, win, pass_window, progress, k, nwin):
    """``func`` on one window, in row bands when the run has few windows
    (per-pixel functions: the same numbers), so that progress moves in
    small steps and a cancel is seen within a fraction of a window."""
    x, y, w, h = win
    bands = max(1, min(h, -(-PROGRESS_STEPS // nwin)))
    if bands == 1 or not all(isinstance(a, np.ndarray) and a.ndim == 3
                             for a in arrays.values()):
        return func(arrays, win) if pass_window else func(arrays)
    rows = -(-h // bands)
    out = {}
    for r0 in range(0, h, rows):
        r1 = min(h, r0 + rows)
        part = {name: a[:, r0:r1] for name, a in arrays.items()}
        res = func(part, (x, y + r0, w, r1 - r0)) if pass_window else func(part)
        for name, v in res.items():
            v = np.asarray(v)
            if name not in out:
                out[name] = np.empty(v.shape[:-2] + (h, w), dtype=v.dtype)
            out[name][..., r0:r1, :] = v
        progress.set(100.0 * (k + r1 / h) / nwin)
        progress.check()
    return out


def _report_fill_values(stacks, progress):
    for s in stacks:
        for text in getattr(s, "fill_warnings", lambda: [])():
            progress.info(text)


def scan_blocks(stacks, func, progress=None, memory_mb=256, cache_mb=64):
    """Read-only pass: call ``func(arrays)`` for every window (e.g. to
    accumulate a histogram or per-zone sums). Same windows as run_blocks."""
    progress = as_progress(progress)
    stacks = dict(stacks)
    check_same_grid(stacks.values())
    first = next(iter(stacks.values()))
    per_pixel = sum(12 * s.n for s in stacks.values())   # float64 + stored values
    windows = plan_windows(first.grid.cols, first.grid.rows, first.block, per_pixel, memory_mb)
    with capped_gdal_cache(cache_mb):
        feed = _Prefetch(windows, lambda win: {name: s.read(*win) for name, s in stacks.items()},
                         _overlap())
        try:
            for k, (_, arrays) in enumerate(feed):
                progress.check()
                func(arrays)
                progress.set(100.0 * (k + 1) / len(windows))
            _report_fill_values(stacks.values(), progress)
        finally:
            feed.close()


def run_blocks(stacks, outputs, func, progress=None, memory_mb=256,
               work_bytes_per_pixel=0, require_valid=True, cache_mb=64, pass_window=False):
    """Stream ``stacks`` (name -> RasterStack) through ``func``.

    ``func(arrays)`` gets a dict name -> float64 (n, h, w) array for one window
    and returns a dict output name -> (bands, h, w) or (h, w) array; every
    name of ``outputs`` (name -> OutputSpec) must be returned. Peak memory is
    about ``memory_mb`` plus GDAL's cache (capped at ``cache_mb`` during the
    run): windows hold (sum of layers * 8 + output bytes +
    ``work_bytes_per_pixel``) bytes per pixel.

    With ``require_valid`` a run whose first output has no valid pixel raises
    :class:`NoValidData` and writes nothing. Returns name -> final path.

    Reading the next window and writing the last one run in two background
    threads while ``func`` computes (one window each: peak memory is about
    the budget plus one window of inputs and one of outputs);
    ``CARBONSINK_SERIAL_IO=1`` runs everything in the calling thread.
    The results are the same either way: windows are written in order.
    """
    progress = as_progress(progress)
    stacks = dict(stacks)
    check_same_grid(stacks.values())
    first = next(iter(stacks.values()))
    grid = first.grid
    per_pixel = sum(12 * s.n for s in stacks.values())   # float64 + stored values
    per_pixel += sum(8 * o.bands for o in outputs.values()) + work_bytes_per_pixel
    windows = plan_windows(grid.cols, grid.rows, first.block, per_pixel, memory_mb)
    writers = {}
    overlap = _overlap()
    data_stack = next((name for name, s_ in stacks.items() if getattr(s_, "n", 0) > 0), None)

    def read(win):
        """The window's arrays and its pixels with any valid value (counted
        here, in the reader thread, off the kernel's path)."""
        arrays = {name: s.read(*win) for name, s in stacks.items()}
        with_data = 0 if data_stack is None else \
            int(np.count_nonzero(np.isfinite(arrays[data_stack]).any(axis=0)))
        return arrays, with_data

    def write(x, y, result):
        for name, wr in writers.items():
            wr.write(x, y, result[name])

    with capped_gdal_cache(cache_mb), _outputs.output_set():   # the set commits at the
        feed = _Prefetch(windows, read, overlap)                 # end unless an outer one
        writes = _Writes(overlap)                                # is open
        try:
            for name, spec in outputs.items():
                writers[name] = RasterWriter(spec, grid)
            first_out = next(iter(outputs))
            n_valid = n_data = 0
            t_start = time.perf_counter()
            try:
                for k, ((x, y, w, h), (arrays, with_data)) in enumerate(feed):
                    progress.check()
                    n_data += with_data
                    result = _compute(func, arrays, (x, y, w, h), pass_window, progress,
                                      k, len(windows))
                    del arrays
                    a = np.asarray(result[first_out])
                    n_valid += int(np.count_nonzero(np.isfinite(a) if a.dtype.kind == "f"
                                                    else a != outputs[first_out].nodata))
                    writes.submit(write, x, y, result)
                    del result, a
                    progress.set(100.0 * (k + 1) / len(windows))
                writes.finish()
            finally:
                feed.close()             # background reads and writes end before the
                writes.close()           # writers are committed or aborted
            progress.check()
            _report_fill_values(stacks.values(), progress)
            if data_stack is not None:
                took = time.perf_counter() - t_start
                if n_valid < n_data:
                    progress.message(N_("{}: {:,} pixels with data, {:,} computed, {:,} left out "
                                        "(fewer valid values than the minimum, or missing in "
                                        "another input); {:.1f} s"), stacks[data_stack].name,
                                     n_data, n_valid, n_data - n_valid, took)
                else:
                    progress.message(N_("{}: {:,} pixels computed; {:.1f} s"),
                                     stacks[data_stack].name, n_valid, took)
            if require_valid and n_valid == 0:
                raise NoValidData(N_("no pixel has enough valid values: every output pixel "
                                     "would be nodata (check nodata, valid range and the "
                                     "minimum number of valid years)"))
            done = {name: wr.commit() for name, wr in writers.items()}
        except BaseException:
            for wr in writers.values():
                wr.abort()
            raise
    return done
