"""``python -m carbonsink``: the toolbox analyses on raster files, without QGIS.

Every subcommand mirrors a Processing algorithm (same parameters, same
numbers, same GeoTIFF outputs and class styles) and by default calls the
file-level function of :mod:`carbonsink.core.rasters`, which streams the
stacks block by block within ``--memory-mb``::

    python -m carbonsink senmk --input npp_stack.tif --years 2000.. \\
        --slope sen.tif --z z.tif --p p.tif --class mk_class.tif

With ``--dask SCHEDULER`` the same analysis runs on dask instead: the stacks
are read as dask arrays (chunks of whole time series, aligned to 256-pixel
tiles, sized from ``--memory-mb``), the per-pixel functions run through the
dispatcher of :mod:`carbonsink.core._dispatch` (the same kernels, so the same
numbers) and each output block is written as it arrives. SCHEDULER is

- ``local``: a ``dask.distributed.LocalCluster`` on this machine, listening
  on 127.0.0.1 only (``--workers`` processes, one thread and
  ``--threads`` or cores / workers numba threads each), closed at the end;
- ``tcp://host:port`` (or ``tls://...``): an existing dask.distributed
  scheduler; its workers need carbonsink, numpy/numba and GDAL, and the
  input files at the same paths (a shared file system);
- ``threads``: dask's threaded scheduler in this process (no distributed).

GeoTIFF outputs are written by this process only (the workers send their
results back), under a temporary name renamed at the end: a failed,
interrupted or killed run leaves no output and no partial file. With
``--format zarr`` every output is a Zarr store (a directory, written by the
workers directly, so it must be on a file system they share) with x/y
coordinates and the grid in CF attributes, also renamed into place at the
end. dask is an optional extra: ``pip install carbonsink[dask]``.

Progress goes to stderr, the written paths to stdout (``name: path``). Any
error is one line ``carbonsink: error: ...`` and exit code 1 (``--debug``
shows the traceback).
"""
import argparse
import contextlib
import math
import os
import signal
import sys
import threading
import time

import numpy as np

from .core.io.outputs import check_paths, output_set, readable, remove_scratch, scratch_tif

PROG = "carbonsink"
TILE = 256


class CliError(Exception):
    """An error reported as one line."""


# -------------------------------------------------------------- console

class Console:
    """Progress lines on stderr: one per 10 % (none with quiet)."""

    def __init__(self, label, quiet=False):
        self.label = label
        self.quiet = quiet
        self.last = -1

    def set(self, percent):
        step = int(percent // 10) * 10
        if not self.quiet and step > self.last:
            self.last = step
            print(f"{PROG} {self.label}: {step:3d}%", file=sys.stderr, flush=True)

    def info(self, text):
        if not self.quiet:
            print(f"{PROG} {self.label}: {text}", file=sys.stderr, flush=True)

    def progress(self):
        from .core.progress import Progress
        return Progress(self.set, None, self.info)


# ---------------------------------------------------------- dask reading

_LOCAL = threading.local()       # per thread: opened RasterStacks (GDAL handles)
READ_CACHE_MB = 64               # GDAL block cache cap in processes that read chunks


class StackSource:
    """An array-like view (n, rows, cols) float64 of a RasterStack for
    ``dask.array.from_array``: every chunk is one ``RasterStack.read`` of
    its window (NaN for nodata, scale/offset/valid range applied). Pickles
    as its parameters; each process and thread opens the files once."""

    def __init__(self, stack):
        self.sources = list(stack.sources)
        self.name = stack.name
        self.kw = {"scale": stack.scale, "offset": stack.offset,
                   "valid_min": stack.valid_min, "valid_max": stack.valid_max}
        self.shape = (stack.n, stack.grid.rows, stack.grid.cols)
        self.dtype = np.dtype(np.float64)
        self.ndim = 3

    def _stack(self):
        from osgeo import gdal

        from .core.io import RasterStack
        cache = getattr(_LOCAL, "stacks", None)
        if cache is None:
            cache = _LOCAL.stacks = {}
            if gdal.GetCacheMax() > READ_CACHE_MB * 2**20:
                gdal.SetCacheMax(READ_CACHE_MB * 2**20)
        key = (tuple(self.sources), self.name, tuple(sorted(self.kw.items())))
        st = cache.get(key)
        if st is None:
            st = cache[key] = RasterStack(self.sources, name=self.name, **self.kw)
        return st

    def __getitem__(self, key):
        if not isinstance(key, tuple):
            key = (key,)
        key = key + (slice(None),) * (3 - len(key))
        t, ys, xs = key
        y0, y1, _ = ys.indices(self.shape[1])
        x0, x1, _ = xs.indices(self.shape[2])
        a = self._stack().read(x0, y0, max(0, x1 - x0), max(0, y1 - y0))
        return a[t]

    def __dask_tokenize__(self):
        return ("carbonsink-stack", tuple(self.sources), self.name,
                tuple(sorted(self.kw.items())), self.shape)


def chunk_side(grid, block, per_pixel, memory_mb):
    """Side (pixels) of square dask chunks: a multiple of the 256-pixel
    output tile (and of the input block when it divides in), such that one
    chunk of inputs and outputs (``per_pixel`` bytes a pixel) takes at most
    a quarter of ``memory_mb``."""
    pixels = memory_mb * 2**20 / 4 / max(per_pixel, 1)
    side = max(TILE, int(math.sqrt(pixels)) // TILE * TILE)
    return min(side, max(grid.rows, grid.cols))


def stack_to_dask(stack, side):
    """dask array (n, rows, cols) float64 of a RasterStack, chunks (n, side, side)."""
    import dask.array as da
    src = StackSource(stack)
    return da.from_array(src, chunks=(stack.n, side, side), asarray=False, fancy=False,
                         lock=False, meta=np.empty((0, 0, 0)),
                         name=f"read-{stack.name}-" + _token(src))


def _token(obj):
    from dask.base import tokenize
    return tokenize(obj)


# ----------------------------------------------------------- dask runner

def _worker_check():
    """Run on every worker: can it import what the tasks need?"""
    import importlib
    out = {}
    for mod in ("numpy", "carbonsink.core", "osgeo.gdal"):
        try:
            importlib.import_module(mod)
        except Exception as exc:            # noqa: BLE001 - reported
            out[mod] = f"{type(exc).__name__}: {exc}"
    return out


def _connect(client_cls, address, timeout):
    """A dask Client of ``address`` and its number of workers, within
    ``timeout`` seconds in all (connect, handshake, first request): a port
    that accepts and stays silent, or answers another protocol (HTTP), gives
    a clear error instead of a hang or a nonsense allocation."""
    box = {}

    def attempt():
        try:
            client = client_cls(address, timeout=f"{max(1.0, timeout):.0f}s")
            box["result"] = (client, len(client.scheduler_info()["workers"]))
        except BaseException as exc:       # noqa: BLE001 - reported below
            box["error"] = exc

    worker = threading.Thread(target=attempt, name="carbonsink-dask-connect", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise CliError(f"the dask scheduler {address} did not answer within {timeout:g} s: "
                       "is a dask scheduler listening there? (--dask-timeout to wait longer)")
    if "error" in box:
        exc = box["error"]
        if isinstance(exc, (OSError, TimeoutError)):
            raise CliError(f"cannot connect to the dask scheduler {address}: {exc}")
        raise CliError(f"{address} does not answer as a dask scheduler "
                       f"({type(exc).__name__}); check the address and port")
    return box["result"]


class DaskRunner:
    """Reads stacks as dask arrays and writes dask outputs (GeoTIFF or Zarr)."""

    def __init__(self, scheduler, workers=None, threads=None, memory_mb=256, fmt="gtiff",
                 console=None, chunk=None, timeout=30.0):
        self.scheduler = scheduler
        self.memory_mb = memory_mb
        self.fmt = fmt
        self.console = console or Console("run", True)
        self.client = self.cluster = None
        self.side = int(chunk) if chunk else None
        try:
            import dask
            import dask.array  # noqa: F401
        except ImportError:
            raise CliError("--dask needs dask: pip install 'carbonsink[dask]' "
                           "(dask[array,distributed])") from None
        if scheduler in ("threads", "sync"):
            return
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise CliError("--dask local or an address needs dask.distributed: pip "
                           "install 'dask[distributed]' (or use --dask threads)") from None
        if scheduler == "local":
            import logging
            n = workers or max(1, os.cpu_count() or 1)
            nthreads = threads or max(1, (os.cpu_count() or 1) // n)
            self.console.info(f"starting a local dask cluster: {n} workers on 127.0.0.1")
            self.cluster = LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, silence_logs=logging.ERROR,
                env={"NUMBA_NUM_THREADS": str(nthreads)})
            self.client = Client(self.cluster)
        else:
            if "://" not in scheduler:
                raise CliError(f"--dask must be local, threads or a scheduler address "
                               f"such as tcp://host:8786, not {scheduler!r}")
            self.client, n_workers = _connect(Client, scheduler, timeout)
            self.console.info(f"connected to {scheduler} ({n_workers} workers)")
        problems = self.client.run(_worker_check)
        for addr, bad in problems.items():
            if bad:
                what = "; ".join(f"{k}: {v}" for k, v in bad.items())
                raise CliError(f"dask worker {addr} cannot run CarbonSink ({what})")

    def close(self):
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    # ---------------------------------------------------------- input
    def arrays(self, stacks, per_pixel):
        """dask arrays of RasterStacks (same grid), chunks from the budget."""
        from .core.io.raster import check_same_grid
        stacks = list(stacks)
        check_same_grid(stacks)
        first = stacks[0]
        if self.side is None:
            self.side = chunk_side(first.grid, first.block, per_pixel, self.memory_mb)
        if not getattr(self, "_told", False):
            self._told = True
            self.console.info(f"dask chunks of {self.side} x {self.side} pixels")
        return [stack_to_dask(s, self.side) for s in stacks]

    # --------------------------------------------------------- output
    def write(self, arrays, specs, grid, require_valid=True):
        """Compute ``arrays`` (name -> dask array, (h, w) or (bands, h, w))
        and write them to ``specs`` (name -> OutputSpec). Returns name -> path."""
        arrays = {k: _bands_whole(arrays[k]) for k in specs}
        if self.fmt == "zarr":
            return self._write_zarr(arrays, specs, grid, require_valid)
        return self._write_gtiff(arrays, specs, grid, require_valid)

    def _write_gtiff(self, arrays, specs, grid, require_valid):
        """All outputs of a chunk travel together: one (bands, h, w) float64
        array per chunk (the graph is optimised as ONE collection, so reading
        fuses into the kernel task and the kernel runs once per chunk)."""
        from .core.io import capped_gdal_cache
        names = list(specs)
        combo, layout = _combine(arrays, names)
        # as run_blocks: cap GDAL's block cache while writing (tiles written
        # are otherwise kept up to 5 % of RAM)
        with capped_gdal_cache(READ_CACHE_MB):
            return self._write_all(combo, layout, specs, grid, names, require_valid)

    def _write_all(self, combo, layout, specs, grid, names, require_valid):
        import dask
        import dask.array as da

        from .core.io import NoValidData, RasterWriter
        writers = {}
        sink = None
        try:
            for k in names:
                writers[k] = RasterWriter(specs[k], grid)
            sink = _Sink(writers, layout, specs[names[0]], self.console,
                         combo.numblocks[1] * combo.numblocks[2])
            if self.client is None:
                with dask.config.set(scheduler="threads"):
                    da.store(combo, sink, lock=threading.Lock())
            else:
                self._gather_write(combo, sink)
            if require_valid and sink.n_valid == 0:
                raise NoValidData("no pixel has enough valid values: every output pixel "
                                  "would be nodata (check nodata, valid range and the "
                                  "minimum number of valid years)")
            return {k: w.commit() for k, w in writers.items()}
        except BaseException:
            for w in writers.values():
                w.abort()
            raise

    def _gather_write(self, combo, sink):
        from distributed import as_completed
        blocks = combo.to_delayed(optimize_graph=False)
        offs = [np.concatenate([[0], np.cumsum(c)])[:-1] for c in combo.chunks]
        where, items = {}, []
        for idx in np.ndindex(blocks.shape):
            d = blocks[idx]
            items.append(d)
            where[d.key] = (int(offs[2][idx[2]]), int(offs[1][idx[1]]))
        futures = self.client.compute(items, optimize_graph=False)
        # results are fetched one at a time, when written: this process holds
        # one chunk, the workers keep the finished ones until then
        ac = as_completed(futures)
        del futures, items
        try:
            for fut in ac:
                block = fut.result()
                x0, y0 = where[fut.key]
                sink.write(x0, y0, block)
                fut.release()
                del fut, block
        except BaseException:
            with contextlib.suppress(Exception):        # best effort
                self.client.cancel(list(ac.futures))
            raise

    def _write_zarr(self, arrays, specs, grid, require_valid):
        """One Zarr store per output; the workers write their chunks into
        them directly (chunk-aligned), from the same one-task-per-chunk graph
        as GeoTIFFs, and return the valid-pixel counts of the first output."""
        import dask
        import dask.array as da
        import xarray as xr

        from .core.io import NoValidData
        gt = grid.geotransform
        xs = gt[0] + gt[1] * (np.arange(grid.cols) + 0.5)
        ys = gt[3] + gt[5] * (np.arange(grid.rows) + 0.5)
        names = list(specs)
        combo, layout = _combine(arrays, names)
        temps, targets = {}, []
        with output_set() as outs:      # renamed when the run's set commits
            for k, nb, _ in layout:
                spec = specs[k]
                path = os.path.abspath(spec.path)
                folder = os.path.dirname(path)
                if not os.path.isdir(folder):
                    raise CliError(f"cannot write {spec.path}: folder {folder} does not exist")
                tmp = outs.stage(path, ext=".zarr")
                temps[k] = (tmp, path)
                a = arrays[k]
                floating = np.dtype(spec.dtype).kind == "f"
                dt = np.dtype("float32" if floating else spec.dtype)
                if a.ndim == 3:
                    dims = ("band", "y", "x")
                    coords = {"band": list(spec.descriptions[:a.shape[0]])
                              if len(spec.descriptions) >= a.shape[0]
                              else list(range(1, a.shape[0] + 1))}
                else:
                    dims, coords = ("y", "x"), {}
                coords.update(x=xs, y=ys, spatial_ref=0)
                # metadata and coordinates only: the data is written below
                empty = da.empty(a.shape, chunks=a.chunks, dtype=dt)
                var = xr.DataArray(empty, dims=dims, coords=coords, name=k,
                                   attrs={"grid_mapping": "spatial_ref"})
                ds = var.to_dataset()
                ds["spatial_ref"].attrs.update(crs_wkt=grid.crs_wkt, spatial_ref=grid.crs_wkt,
                                               GeoTransform=" ".join(repr(v) for v in gt))
                ds.to_zarr(tmp, mode="w", compute=False, consolidated=True,
                           encoding={k: {"_FillValue": np.nan if floating else spec.nodata}})
                targets.append((os.path.join(tmp, k), nb, dt.str, spec.nodata))
            counts = combo.map_blocks(_zarr_block, targets=targets, drop_axis=0,
                                      chunks=((1,) * combo.numblocks[1],
                                              (1,) * combo.numblocks[2]),
                                      dtype=np.int64, meta=np.empty((0, 0), np.int64))
            total = counts.sum()
            if self.client is None:
                with dask.config.set(scheduler="threads"):
                    n_valid = int(total.compute())
            else:
                n_valid = int(self.client.compute(total).result())
            if require_valid and n_valid == 0:
                raise NoValidData("no pixel has enough valid values: every output pixel "
                                  "would be nodata (check nodata, valid range and the "
                                  "minimum number of valid years)")
            self.console.set(100.0)
            return {k: path for k, (tmp, path) in temps.items()}   # renamed by the set


def _combine(arrays, names):
    """One (bands, rows, cols) float64 dask array of all outputs, optimised
    as ONE collection (reading fuses into the kernel task, the kernel runs
    once per chunk), and its layout [(name, bands or 0, dtype)]."""
    import dask
    import dask.array as da
    layout, parts = [], []
    for k in names:
        a = arrays[k]
        layout.append((k, a.shape[0] if a.ndim == 3 else 0, a.dtype))
        parts.append((a if a.ndim == 3 else a[None]).astype(np.float64))
    combo = da.concatenate(parts, axis=0) if len(parts) > 1 else parts[0]
    (combo,) = dask.optimize(combo.rechunk({0: -1}))
    return combo, layout


def _zarr_block(block, targets=(), block_info=None):
    """Write one chunk of every output into its Zarr array (on a worker);
    return the number of valid pixels of the first output, shape (1, 1)."""
    import zarr
    loc = block_info[0]["array-location"]
    (y0, y1), (x0, x1) = loc[1], loc[2]
    off, n_valid = 0, 0
    for i, (path, nb, dt, nodata) in enumerate(targets):
        part = block[off:off + (nb or 1)]
        off += nb or 1
        dt = np.dtype(dt)
        if dt.kind != "f":
            part = np.where(np.isfinite(part), part, nodata)
        part = part.astype(dt)
        arr = zarr.open_array(path, mode="r+")
        if nb:
            arr[:, y0:y1, x0:x1] = part
        else:
            arr[y0:y1, x0:x1] = part[0]
        if i == 0:
            p = part if nb else part[0]
            n_valid = int(np.count_nonzero(np.isfinite(p) if dt.kind == "f" else p != nodata))
    return np.array([[n_valid]], dtype=np.int64)


def _bands_whole(a):
    return a.rechunk({0: -1}) if a.ndim == 3 and len(a.chunks[0]) > 1 else a


class _Sink:
    """Splits each computed chunk (all outputs stacked as float64) into the
    outputs, casts them back and writes them; counts the valid pixels of the
    first output (as run_blocks does) and reports progress. Also a
    ``dask.array.store`` target."""

    def __init__(self, writers, layout, first_spec, console, total):
        self.writers = writers
        self.layout = layout                 # [(name, bands or 0, dtype)]
        self.nodata = first_spec.nodata
        self.console = console
        self.total = max(total, 1)
        self.done = 0
        self.n_valid = 0

    def write(self, x0, y0, block):
        off = 0
        for i, (k, nb, dt) in enumerate(self.layout):
            part = block[off:off + (nb or 1)]
            off += nb or 1
            if not nb:
                part = part[0]
            part = part.astype(dt, copy=False)
            self.writers[k].write(x0, y0, part)
            if i == 0:
                self.n_valid += int(np.count_nonzero(
                    np.isfinite(part) if part.dtype.kind == "f" else part != self.nodata))
        self.done += 1
        self.console.set(100.0 * self.done / self.total)

    def __setitem__(self, key, value):
        self.write(key[-1].start or 0, key[-2].start or 0, value)


# ------------------------------------------------------------- helpers

def _parse_years(text):
    """(years list or None, first year or None) from --years."""
    if text is None:
        return None, None
    text = text.strip()
    try:
        if ".." in text:
            a, b = text.split("..", 1)
            if not b.strip():
                return None, int(a)
            lo, hi = int(a), int(b)
            if hi < lo:
                raise CliError(f"--years {text}: the range goes backwards")
            return list(range(lo, hi + 1)), None
        vals = [float(v) for v in text.replace(";", ",").split(",") if v.strip()]
    except ValueError:
        raise CliError(f"--years must be FIRST.., FIRST..LAST or comma separated years, "
                       f"not {text!r}") from None
    if len(vals) == 1:
        return None, int(vals[0])
    return vals, None


def _years(args, n):
    from .core.rasters import resolve_years
    years, first = _parse_years(args.years)
    return resolve_years(n, years, first if first is not None else args.first_year)


def _open(sources, name, args=None, scaled=False):
    from .core.rasters import open_stack
    if not sources:
        raise CliError(f"{name}: no raster given")
    kw = {}
    if scaled and args is not None:
        kw = {"scale": args.scale, "offset": args.offset, "valid_min": args.valid_min,
              "valid_max": args.valid_max}
    return open_stack(sources, name, **kw)


def _outputs(args, keys):
    out = {}
    for key in keys:
        path = getattr(args, "out_" + key, None)
        if path:
            out[key] = path
    if not out:
        flags = ", ".join("--" + k.replace("_", "-").replace("pvalue", "p") for k in keys)
        raise CliError(f"no output was asked for: give at least one of {flags}")
    if args.format == "zarr":
        bad = [k for k in ("q", "fdr_class") if k in out]
        if bad:
            raise CliError("--q and --fdr-class need a second pass over GeoTIFF p-values: "
                           "write them with --format gtiff")
    return out


def _write_styles(paths, tables, console):
    """The toolbox's styles beside the outputs, without QGIS: a paletted QML
    and a GDAL class table for class rasters, a ramp for continuous ones
    (labels in English)."""
    from .core import classes, styles
    for key, path in paths.items():
        if not (isinstance(path, str) and path.lower().endswith((".tif", ".tiff"))):
            continue
        if key in tables:
            styles.write_style(path, classes.table(tables[key]))
        elif key not in ("years",):
            styles.write_continuous_style(path, styles.ramp_kind(key))


def _with_fdr(main, outputs, classify, progress, memory_mb):
    from .core.rasters import _run_with_fdr
    return _run_with_fdr(main, outputs, classify, progress, memory_mb)


# ------------------------------------------------------------ commands
# Each command: (block-engine run, dask run). Both return name -> path.

def _specs(outputs, keys, **kw):
    from .core.rasters import _spec
    specs = {}
    for key in keys:
        specs.update(_spec(outputs, key, **kw))
    return specs


def cmd_senmk(args, runner, console):
    from . import core as D  # the dask-aware public functions
    from .core import fdr, rasters, trend
    stack = _open(args.input, "Input stack", args, scaled=True)
    years = _years(args, stack.n)
    outs = _outputs(args, ("slope", "z", "pvalue", "tau", "intercept", "s", "class", "q",
                           "fdr_class"))
    console.info(f"{stack.n} layers, years {years[0]:g}..{years[-1]:g}, test {args.method}")
    prog = console.progress()
    if runner is None:
        return rasters.mann_kendall_rasters(stack, outs, years, args.min_valid, args.method,
                                            prog, args.memory_mb)

    def main(o, progress):
        rasters._check_length(stack)
        mv = rasters._min_valid(stack.n, args.min_valid)
        specs = _specs(o, ("slope", "z", "pvalue", "tau", "intercept", "s"))
        specs.update(_specs(o, ("class",), dtype="int8", nodata=trend.NODATA_CLASS))
        if not specs:
            raise rasters.StackError("no output was asked for")
        (y,) = runner.arrays([stack], 8 * stack.n + 8 * len(specs))
        r = D.mann_kendall(y, years, method=args.method, min_valid=mv)
        arrays = {"slope": r.slope, "z": r.z, "pvalue": r.pvalue, "tau": r.tau,
                  "intercept": r.intercept, "s": r.s}
        if "class" in specs:
            arrays["class"] = D.trend_class(r.slope, r.z)
        return runner.write(arrays, specs, stack.grid)

    return _with_fdr(main, outs, fdr.fdr_class_mk, prog, args.memory_mb)


def cmd_lineartrend(args, runner, console):
    from . import core as D  # the dask-aware public functions
    from .core import rasters, trend
    stack = _open(args.input, "Input stack", args, scaled=True)
    years = _years(args, stack.n)
    outs = _outputs(args, ("slope", "intercept", "r2", "pvalue", "class", "q", "fdr_class"))
    strong = 0.01 if args.extreme and 0.01 < args.alpha else None
    console.info(f"{stack.n} layers, years {years[0]:g}..{years[-1]:g}")
    prog = console.progress()
    if runner is None:
        return rasters.linear_trend_rasters(stack, outs, years, args.min_valid, args.alpha,
                                            strong, prog, args.memory_mb)

    def classify(slope, q):
        return trend.linear_trend_class(slope, q, args.alpha, strong)

    def main(o, progress):
        rasters._check_length(stack)
        mv = rasters._min_valid(stack.n, args.min_valid)
        specs = _specs(o, ("slope", "intercept", "r2", "pvalue"))
        specs.update(_specs(o, ("class",), dtype="int8", nodata=trend.NODATA_CLASS))
        if not specs:
            raise rasters.StackError("no output was asked for")
        (y,) = runner.arrays([stack], 8 * stack.n + 8 * len(specs))
        r = D.linear_trend(y, years, min_valid=mv)
        arrays = {"slope": r.slope, "intercept": r.intercept, "r2": r.r2, "pvalue": r.pvalue}
        if "class" in specs:
            arrays["class"] = D.linear_trend_class(r.slope, r.pvalue, args.alpha, strong)
        return runner.write(arrays, specs, stack.grid)

    return _with_fdr(main, outs, classify, prog, args.memory_mb)


def cmd_hurst(args, runner, console):
    from . import core as D  # the dask-aware public functions
    from .core import rasters, trend
    stack = _open(args.input, "Input stack", args, scaled=True)
    years = _years(args, stack.n)
    outs = _outputs(args, ("h", "persistence"))
    slope = _open([args.slope_raster], "Slope raster") if args.slope_raster else None
    if slope is not None and slope.n != 1:
        raise CliError("the slope raster must have one band")
    prog = console.progress()
    if runner is None:
        return rasters.hurst_rasters(stack, outs, years, args.method, args.min_valid, slope,
                                     args.significant_only, progress=prog,
                                     memory_mb=args.memory_mb)
    rasters._check_length(stack)
    mv = rasters._min_valid(stack.n, args.min_valid)
    if slope is not None and args.significant_only:
        raise rasters.StackError("'only significant trends' needs the Mann-Kendall test of "
                                 "the same pass: leave the slope raster empty")
    specs = _specs(outs, ("h",))
    specs.update(_specs(outs, ("persistence",), dtype="int8", nodata=trend.NODATA_CLASS))
    stacks = [stack] + ([slope] if slope is not None else [])
    arrs = runner.arrays(stacks, sum(8 * s.n for s in stacks) + 8 * len(specs))
    y = arrs[0]
    h = D.hurst(y, method=args.method, min_valid=mv)
    arrays = {"h": h}
    if "persistence" in specs:
        sig = None
        if slope is not None:
            sl = arrs[1][0]
        else:
            mk = D.mann_kendall(y, years, min_valid=mv)
            sl = mk.slope
            if args.significant_only:
                sig = mk.pvalue < 0.05
        arrays["persistence"] = D.persistence_class(sl, h, significant=sig)
    return runner.write(arrays, specs, stack.grid)


def cmd_variation(args, runner, console):
    from .core import rasters
    breaks = None
    if args.breaks:
        try:
            breaks = [float(v) for v in args.breaks.replace(";", ",").split(",") if v.strip()]
        except ValueError:
            raise CliError("--breaks must be numbers separated by commas") from None
        if len(breaks) != 4:
            raise CliError(f"give 4 breaks for 5 classes, not {len(breaks)}")
    stack = _open(args.input, "Input stack", args, scaled=True)
    outs = _outputs(args, ("cv", "class"))
    prog = console.progress()
    if runner is None:
        paths, used = rasters.variation_rasters(
            stack, outs, ddof=args.ddof, min_valid=args.min_valid, breaks=breaks,
            sample=args.sample, seed=args.seed, progress=prog, memory_mb=args.memory_mb)
    else:
        paths, used = _variation_dask(args, runner, stack, outs, breaks, prog)
    if used is not None:
        console.info("class bounds: " + ", ".join(f"{v:.6g}" for v in used))
    return paths


def _variation_dask(args, runner, stack, outputs, breaks, progress):
    """variation_rasters on dask: CV on the cluster; the natural-breaks sample
    replayed over the toolbox's windows so that the classes are identical."""
    from . import core as D  # the dask-aware public functions
    from .core import rasters, stability, trend
    from .core.io import OutputSpec, RasterStack, plan_windows, run_blocks
    rasters._check_length(stack, 2)
    k, sample, seed = 5, args.sample, args.seed
    mv = stack.n if not args.min_valid else int(args.min_valid)
    if not 2 <= mv <= stack.n:
        raise rasters.StackError(f"minimum number of valid years must be between 2 and "
                                 f"{stack.n}")
    if breaks is not None:
        breaks = np.asarray(breaks, dtype=np.float64)
        if breaks.size < 1 or np.any(np.diff(breaks) <= 0):
            raise rasters.StackError("class breaks must be increasing numbers")
    want_class = bool(outputs.get("class"))
    natural = want_class and breaks is None
    if runner.fmt == "zarr" and want_class:
        raise CliError("variation classes need a second pass over a GeoTIFF CV raster: "
                       "write them with --format gtiff")
    cv_path = outputs.get("cv")
    temps, done = [], {}
    folder = os.path.dirname(os.path.abspath(cv_path or outputs["class"]))
    if not os.path.isdir(folder):
        raise rasters.StackError(f"cannot write into {folder}: the folder does not exist")
    specs = {"cv": OutputSpec(cv_path, descriptions=["cv"])} if cv_path else {}
    if want_class:
        # the sample and the classes come from the float64 CV, as in the toolbox
        cv64 = scratch_tif(folder, "cv64")
        temps.append(cv64)
        specs["cv64"] = OutputSpec(cv64, dtype="float64")
    try:
        (y,) = runner.arrays([stack], 8 * stack.n + 8 * len(specs))
        cv = D.coefficient_of_variation(y, ddof=args.ddof, min_valid=mv)
        done = runner.write({"cv": cv, "cv64": cv}, specs, stack.grid)
        used = breaks
        if want_class:
            if natural:
                # keys by pixel position: the toolbox's sample, whatever the windows
                res = rasters.Reservoir(sample, seed)
                src = RasterStack(readable(done["cv64"]), name="CV")
                for win in plan_windows(stack.grid.cols, stack.grid.rows, stack.block,
                                        8 * stack.n + 8, args.memory_mb):
                    res.add(src.read(*win)[0], win, stack.grid.cols)
                src.close()
                if res.count == 0:
                    raise rasters.StackError("no valid CV value to compute natural breaks "
                                             "from")
                used = stability.natural_breaks(res.values, k=k)
                used[0], used[-1] = res.lo, res.hi
            elif used.size == k - 1:
                used = np.concatenate([[used[0] - 1.0], used, [used[-1] + 1.0]])
            cls = RasterStack(readable(done["cv64"]), name="CV")
            done.update(run_blocks(
                {"cv": cls}, rasters._spec(outputs, "class", dtype="int8",
                                           nodata=trend.NODATA_CLASS),
                lambda a: {"class": stability.classify(a["cv"][0], used)},
                progress, args.memory_mb))
    finally:
        remove_scratch(temps)
    done.pop("cv64", None)
    return done, (None if not want_class else np.asarray(used))


def _nanmean0(a):
    import warnings
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(a, axis=0) if a.size else a[0]


def cmd_nep(args, runner, console):
    from . import core as D  # the dask-aware public functions
    from .core import rasters, trend
    npp = _open(args.npp, "NPP stack", args, scaled=True)
    temp = _open(args.temperature, "Temperature stack")
    prec = _open(args.precipitation, "Precipitation stack")
    years = _years(args, npp.n)
    outs = _outputs(args, ("nep", "rh", "class"))
    prog = console.progress()
    if runner is None:
        paths, mode = rasters.nep_rasters(npp, temp, prec, outs, args.b, args.mode, years,
                                          prog, args.memory_mb)
        console.info(f"Rh mode: {mode}")
        return paths
    if npp.n < 1:
        raise rasters.StackError("NPP stack is empty")
    mode = rasters.climate_mode(npp.n, temp.n, prec.n, args.mode)
    console.info(f"Rh mode: {mode}")
    labels = [f"{v:g}" for v in years]
    specs = _specs(outs, ("nep", "rh"), bands=npp.n, descriptions=labels)
    specs.update(_specs(outs, ("class",), dtype="int8", nodata=trend.NODATA_CLASS))
    if not specs:
        raise rasters.StackError("no output was asked for")
    n_in = npp.n + temp.n + prec.n
    a_npp, a_t, a_p = runner.arrays([npp, temp, prec],
                                    8 * n_in + 8 * sum(s.bands for s in specs.values()))
    import dask.array as da
    rh = D.heterotrophic_respiration(a_t, a_p, b=args.b, mode=mode)
    nep = D.net_ecosystem_production(a_npp, rh)
    mean = da.map_blocks(_nanmean0, nep, drop_axis=0, dtype=np.float64,
                         meta=np.empty((0, 0)))
    arrays = {"nep": nep, "rh": rh, "class": D.sink_class(mean)}
    return runner.write(arrays, specs, npp.grid)


def _peak_int16(a):
    return np.where(np.isnan(a), -32768, a).astype(np.int16)


def cmd_carryingcapacity(args, runner, console):
    from . import core as D  # the dask-aware public functions
    from .core import rasters
    stack = _open(args.input, "NPP stack", args, scaled=True)
    years = _years(args, stack.n)
    outs = _outputs(args, ("cscc", "peak_year", "potential", "saturation"))
    prog = console.progress()
    if runner is None:
        return rasters.carrying_capacity_rasters(stack, outs, years, args.year, args.all_years,
                                                 args.min_valid, prog, args.memory_mb)
    rasters._check_length(stack, 2)
    t = years
    mv = stack.n if not args.min_valid else int(args.min_valid)
    if not 1 <= mv <= stack.n:
        raise rasters.StackError(f"minimum number of valid years must be between 1 and "
                                 f"{stack.n}")
    if args.year is None:
        idx = stack.n - 1
    else:
        hits = np.nonzero(t == float(args.year))[0]
        if not len(hits):
            raise rasters.StackError(f"year {args.year} is not one of the stack's years "
                                     f"({t[0]:g}..{t[-1]:g})")
        idx = int(hits[0])
    per_year = stack.n if args.all_years else 1
    labels = [f"{v:g}" for v in (t if args.all_years else t[idx:idx + 1])]
    specs = _specs(outs, ("cscc",))
    specs.update(_specs(outs, ("peak_year",), dtype="int16", nodata=-32768))
    specs.update(_specs(outs, ("potential", "saturation"), bands=per_year, descriptions=labels))
    if not specs:
        raise rasters.StackError("no output was asked for")
    (y,) = runner.arrays([stack], 8 * stack.n + 8 * sum(s.bands for s in specs.values()))
    r = D.carrying_capacity(y, t, min_valid=mv)
    sel = slice(None) if args.all_years else slice(idx, idx + 1)
    peak = r.peak_year.map_blocks(_peak_int16, dtype=np.int16)
    arrays = {"cscc": r.cscc, "peak_year": peak, "potential": r.potential[sel],
              "saturation": r.saturation[sel]}
    return runner.write(arrays, specs, stack.grid)


def cmd_partialcorrelation(args, runner, console):
    from . import core as D  # the dask-aware public functions
    from .core import rasters, trend
    target = _open(args.input, "Target stack", args, scaled=True)
    if not args.driver:
        raise CliError("at least one --driver stack is needed")
    names = list(args.driver_name or [])
    if names and len(names) != len(args.driver):
        raise CliError(f"{len(names)} --driver-name for {len(args.driver)} --driver")
    if not names:
        names = [os.path.splitext(os.path.basename(p))[0] for p in args.driver]
    drivers = [_open([p], n) for p, n in zip(args.driver, names)]
    outs = _outputs(args, ("r", "pvalue", "class"))
    for name in names:
        others = [n for n in names if n != name]
        console.info(f"{name}: controlling for {', '.join(others) if others else 'nothing'}")
    prog = console.progress()
    if runner is None:
        return rasters.partial_correlation_rasters(target, drivers, names, outs,
                                                   args.min_valid, args.alpha, prog,
                                                   args.memory_mb)
    rasters._check_length(target)
    for d in drivers:
        if d.n != target.n:
            raise rasters.StackError(f"driver {d.name} has {d.n} layers but the target "
                                     f"{target.n}")
    k = len(drivers) - 1
    mv = target.n if not args.min_valid else int(args.min_valid)
    if mv < k + 3 or mv > target.n:
        raise rasters.StackError(f"with {len(drivers)} drivers the minimum number of valid "
                                 f"years must be between {k + 3} and {target.n}")
    nd = len(drivers)
    specs = _specs(outs, ("r", "pvalue"), bands=nd, descriptions=names)
    specs.update(_specs(outs, ("class",), bands=nd, dtype="int8",
                        nodata=trend.NODATA_CLASS, descriptions=names))
    import dask.array as da
    arrs = runner.arrays([target] + drivers, 8 * target.n * (nd + 1) + 8 * 3 * nd)
    y, xs = arrs[0], arrs[1:]
    rs, ps = [], []
    for i in range(nd):
        res = D.partial_correlation(y, xs[i], [x for j, x in enumerate(xs) if j != i],
                                    min_valid=mv)
        rs.append(res.r)
        ps.append(res.pvalue)
    r, p = da.stack(rs), da.stack(ps)
    arrays = {"r": r, "pvalue": p, "class": D.correlation_class(r, p, args.alpha)}
    return runner.write(arrays, specs, target.grid)


def cmd_seriesstatistics(args, runner, console):
    """Per-zone statistics of a table of yearly series (methods.md 13)."""
    from .core.accounting import read_text_table, write_csv
    from .core.series import COLUMNS, read_series_table, table_statistics
    if not (args.out_table or args.out_report):
        raise CliError("no output was asked for: give --out TABLE.csv and/or --report")
    try:
        series, years = read_series_table(read_text_table(args.table, "series table"),
                                          args.layout, args.zone_field)
    except ValueError as exc:
        raise CliError(f"{args.table}: {exc}") from None
    console.info(f"{len(series)} zones, years {years[0]:g}..{years[-1]:g} ({len(years)})")
    rows = table_statistics(series, years, alpha=args.alpha, min_valid=args.min_valid or None)
    paths = {}
    if args.out_table:
        paths["table"] = write_csv(args.out_table, rows, [c for c, _ in COLUMNS])
    if args.out_report:
        from .core.io.outputs import write_text
        from .core.series_report import series_report_html
        paths["report"] = write_text(args.out_report, series_report_html(
            series, years, rows, unit=args.unit or "",
            inputs={"input": args.table, "zones": len(rows)}))
    return paths


def _blocks_only(runner, name):
    if runner is not None:
        raise CliError(f"{name} runs on the block engine: leave out --dask")


def cmd_temporalaggregate(args, runner, console):
    """Composites to annual values (methods.md 14): carbonsink:temporalaggregate."""
    from .core import prepare
    _blocks_only(runner, "temporalaggregate")
    if not args.out_annual:
        raise CliError("no output was asked for: give --out ANNUAL.tif")
    stack = _open(args.input, "Composites", args, scaled=True)
    window = None
    if args.window:
        try:
            a, b = (int(v) for v in args.window.replace("..", "-").split("-"))
        except ValueError:
            raise CliError(f"--window: write FIRST-LAST (e.g. 2015-2019), not "
                           f"{args.window!r}") from None
        window = (a, b)
    path, years = prepare.temporal_aggregate_rasters(
        stack, args.per_year, args.first_year, args.out_annual, args.how, window,
        console.progress(), args.memory_mb)
    console.info(f"{len(years)} years written: {years[0]}..{years[-1]}")
    return {"annual": path}


def cmd_reclassify(args, runner, console):
    """Reclassification by a table (methods.md 14): carbonsink:reclassify."""
    from .core import prepare, styles
    from .core.accounting import read_text_table
    _blocks_only(runner, "reclassify")
    if not args.out_classes:
        raise CliError("no output was asked for: give --out CLASSES.tif")
    if bool(args.table) == bool(args.shipped):
        raise CliError("give either --table CSV or --shipped "
                       f"({', '.join(prepare.SHIPPED_TABLES)})")
    text = read_text_table(args.table, "reclassification table") if args.table else \
        prepare.shipped_table(args.shipped)
    mapping, names = prepare.read_reclass_table(text)
    stack = _open(args.input, "Class raster")
    out, table, unlisted = prepare.reclassify_rasters(stack, mapping, names, args.out_classes,
                                                      console.progress(), args.memory_mb)
    if unlisted:
        console.info(f"warning: {unlisted} pixels have a code the table does not list: they "
                     "are nodata")
    if not args.no_styles:
        styles.write_style(out, table)
    return {"classes": out}


def cmd_breakclasses(args, runner, console):
    """Classes by user breaks (methods.md 14): carbonsink:breakclasses."""
    from .core import prepare, styles
    _blocks_only(runner, "breakclasses")
    if not args.out_classes:
        raise CliError("no output was asked for: give --out CLASSES.tif")
    breaks = prepare.parse_breaks(args.breaks)
    names = [n.strip() for n in args.names.split(",")] if args.names else None
    stack = _open(args.input, "Input", args, scaled=True)
    out, table = prepare.break_classes_rasters(stack, breaks, args.out_classes, names,
                                               console.progress(), args.memory_mb)
    if not args.no_styles:
        styles.write_style(out, table)
    console.info("; ".join(f"{c} {lab}" for c, _, lab in table))
    return {"classes": out}


def cmd_scenario(args, runner, console):
    """Scenario projection (methods.md 15): carbonsink:scenario."""
    import math

    from .core import scenario
    from .core.accounting import read_text_table, write_csv
    from .core.io.outputs import write_text
    if not (args.out_table or args.out_summary or args.out_report):
        raise CliError("no output was asked for: give --out, --summary or --report")
    years, cols = scenario.read_series_csv(read_text_table(args.table, "yearly table"))
    names = [n for n in (args.emissions, args.sinks) if n]
    for n in names:
        if n not in cols:
            raise CliError(f"{args.table} has no column {n!r} (columns: {', '.join(cols)})")
    drivers = {d.strip(): cols.get(d.strip()) for d in (args.drivers or "").split(",")
               if d.strip()}
    if any(v is None for v in drivers.values()):
        raise CliError(f"{args.table} has no driver column "
                       f"{next(d for d, v in drivers.items() if v is None)!r}")
    rates = scenario.rates_from_file(args.rates) if args.rates else None
    projections = [scenario.project(n, years, cols[n], args.model, args.target_year,
                                    args.holdout, args.boot, args.seed, drivers or None, rates)
                   for n in names]
    neutral = scenario.neutrality_year(*projections) if len(projections) == 2 else math.nan
    for p in projections:
        console.info(f"{p.name}: {p.value(args.target_year):.4g} in {args.target_year}, "
                     f"hold-out R2 {p.r2_holdout:.3f}")
    paths = {}
    if args.out_table:
        paths["table"] = write_csv(args.out_table, scenario.rows(projections))
    if args.out_summary:
        paths["summary"] = write_csv(args.out_summary,
                                     scenario.summary(projections, args.target_year, neutral))
    if args.out_report:
        paths["report"] = write_text(args.out_report, scenario.report_html(
            projections, args.target_year, neutral))
    return paths


COMMANDS = {
    "senmk": (cmd_senmk, "Theil-Sen slope and Mann-Kendall test",
              {"class": "MK_CLASSES", "fdr_class": "MK_FDR_CLASSES"}),
    "lineartrend": (cmd_lineartrend, "Least-squares trend (slope, r2, p, classes)",
                    {"class": "LINEAR_CLASSES", "fdr_class": "LINEAR_FDR_CLASSES"}),
    "hurst": (cmd_hurst, "Persistence: Hurst exponent and future trend",
              {"persistence": "PERSISTENCE_CLASSES"}),
    "variation": (cmd_variation, "Stability: coefficient of variation (CV) and classes",
                  {"class": "CV_CLASSES"}),
    "nep": (cmd_nep, "Net ecosystem production (NEP = NPP - Rh)", {"class": "SINK_CLASSES"}),
    "carryingcapacity": (cmd_carryingcapacity, "Carbon sink carrying capacity and potential",
                         {}),
    "partialcorrelation": (cmd_partialcorrelation, "Partial correlation with climate drivers",
                           {"class": "CORRELATION_CLASSES"}),
    "seriesstatistics": (cmd_seriesstatistics, "Trend, growth, stability, persistence and "
                         "change-point statistics of per-zone yearly series (a CSV table)", {}),
    "scenario": (cmd_scenario, "Scenario projection of emissions and sinks to a target year",
                 {}),
    "temporalaggregate": (cmd_temporalaggregate, "Composites (8-day, 16-day, monthly) to "
                          "annual values", {}),
    "reclassify": (cmd_reclassify, "Reclassify a class raster by a table (IGBP, CNLUCC, "
                   "your own)", {}),
    "breakclasses": (cmd_breakclasses, "Classes by breaks of a continuous raster (NEP "
                     "levels ...)", {}),
}


# -------------------------------------------------------------- parser

class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(1, f"{PROG}: error: {message} (see {self.prog} --help)\n")


def _common(p, stack_flag=True, years=True, min_valid=True, scaling=True):
    if stack_flag:
        p.add_argument("--input", action="extend", nargs="+", metavar="RASTER", required=True,
                       help="the stack: one multiband raster, or single-band rasters in "
                            "time order (repeat or list several)")
    if years:
        p.add_argument("--first-year", type=int, default=2000,
                       help="year of the first layer (default 2000)")
        p.add_argument("--years", metavar="YEARS",
                       help="FIRST.. (same as --first-year), FIRST..LAST, or comma separated "
                            "years for stacks with gaps (2000,2001,2003)")
    if min_valid:
        p.add_argument("--min-valid", type=int, default=0, metavar="N",
                       help="least number of valid years per pixel (0 = all years)")
    if scaling:
        g = p.add_argument_group("stored values of the input")
        g.add_argument("--scale", type=float, default=None,
                       help="scale factor of stored values (default: the file's GDAL "
                            "scale metadata, else 1)")
        g.add_argument("--offset", type=float, default=None,
                       help="offset added after scaling (default: the file's GDAL offset "
                            "metadata, else 0)")
        g.add_argument("--valid-min", type=float)
        g.add_argument("--valid-max", type=float)
    g = p.add_argument_group("engine")
    g.add_argument("--memory-mb", type=int, default=256,
                   help="memory budget of a block (block engine) or four dask chunks "
                        "(default 256)")
    g.add_argument("--threads", type=int, default=0,
                   help="numba threads (0 = all cores; with --dask local: per worker, "
                        "default cores / workers)")
    g.add_argument("--dask", metavar="SCHEDULER",
                   help="run on dask: 'local' (a LocalCluster on 127.0.0.1), "
                        "'threads', or a scheduler address tcp://host:port")
    g.add_argument("--dask-timeout", type=float, default=30.0, metavar="SECONDS",
                   help="--dask ADDRESS: seconds to wait for the scheduler (default 30)")
    g.add_argument("--workers", type=int, default=0,
                   help="--dask local: number of worker processes (default: cores)")
    g.add_argument("--chunk", type=int, default=0, metavar="PIXELS",
                   help="--dask: side of the square chunks (default: from --memory-mb, a "
                        "multiple of 256, the output tile)")
    g.add_argument("--format", choices=("gtiff", "zarr"), default="gtiff",
                   help="output format (zarr needs --dask)")
    g.add_argument("--no-styles", action="store_true",
                   help="do not write .qml styles beside class rasters")
    g.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    g.add_argument("--debug", action="store_true", help="show tracebacks")


def _table_options(p):
    """-q and --debug of the commands that read and write tables only (no raster
    engine): the engine options get their defaults."""
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    p.set_defaults(threads=0, dask=None, format="gtiff", no_styles=True, memory_mb=256,
                   chunk=0, workers=0, dask_timeout=30.0)


def _out(p, *items):
    g = p.add_argument_group("outputs (paths; at least one)")
    for flag, key, text in items:
        g.add_argument(flag, dest="out_" + key, metavar="PATH", help=text)


def build_parser():
    parser = _Parser(prog=f"python -m {PROG}",
                     description="CarbonSink analyses on raster files, without QGIS: the "
                                 "toolbox algorithms, streamed block by block, or on dask.")
    parser.add_argument("--version", action="store_true", help="print the version")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("seriesstatistics", help=COMMANDS["seriesstatistics"][1],
                       description=COMMANDS["seriesstatistics"][1])
    p.add_argument("--table", required=True, metavar="CSV",
                   help="wide (a zone column and one column per year: 2000, NPP2000 ...) or "
                        "long (zone, year, value) CSV; UTF-8 or GBK")
    p.add_argument("--layout", choices=("auto", "wide", "long"), default="auto")
    p.add_argument("--zone-field", metavar="NAME", help="the zone column (default: zone, or "
                                                        "the first non-year column)")
    p.add_argument("--alpha", type=float, default=0.05,
                   help="significance level of the modified MK tests and the UF/UB band")
    p.add_argument("--min-valid", type=int, default=0, metavar="N",
                   help="least number of valid years per zone (0 = all years)")
    _table_options(p)
    p.add_argument("--unit", metavar="TEXT", help="unit of the values, for the report")
    _out(p, ("--out", "table", "statistics table (CSV, one row per zone)"),
         ("--report", "report", "HTML report, one chart per zone"))

    p = sub.add_parser("scenario", help=COMMANDS["scenario"][1],
                       description=COMMANDS["scenario"][1])
    p.add_argument("--table", required=True, metavar="CSV",
                   help="a year column, the series and the drivers")
    p.add_argument("--emissions", default="CE", metavar="COLUMN", help="emissions column")
    p.add_argument("--sinks", default="ECS", metavar="COLUMN",
                   help="sinks column (empty: no neutrality year)")
    p.add_argument("--model", choices=("linear", "compound", "mlp"), default="linear")
    p.add_argument("--drivers", metavar="C1,C2", help="driver columns for --model mlp")
    p.add_argument("--rates", metavar="CSV",
                   help="driver growth rates: variable, first_year, last_year, rate_pct")
    p.add_argument("--target-year", type=int, default=2060)
    p.add_argument("--holdout", type=int, default=4, help="last years held out (validation)")
    p.add_argument("--boot", type=int, default=200, help="bootstrap refits for the band")
    p.add_argument("--seed", type=int, default=1)
    _table_options(p)
    _out(p, ("--out", "table", "projections (CSV)"), ("--summary", "summary", "summary (CSV)"),
         ("--report", "report", "HTML report with the chart"))

    p = sub.add_parser("temporalaggregate", help=COMMANDS["temporalaggregate"][1],
                       description=COMMANDS["temporalaggregate"][1])
    _common(p, years=False, min_valid=False)
    p.add_argument("--per-year", type=int, default=12, metavar="K",
                   help="composites per year (8-day: 46, 16-day: 23, monthly: 12)")
    p.add_argument("--first-year", type=int, default=2000, help="year of the first composite")
    p.add_argument("--how", choices=("sum", "mean", "days"), default="sum",
                   help="annual value: sum, mean, or sum of value x days covered")
    p.add_argument("--window", metavar="FIRST-LAST", help="years to write (e.g. 2015-2019)")
    _out(p, ("--out", "annual", "annual raster, one band per year"))

    p = sub.add_parser("reclassify", help=COMMANDS["reclassify"][1],
                       description=COMMANDS["reclassify"][1])
    _common(p, years=False, min_valid=False, scaling=False)
    p.add_argument("--table", metavar="CSV", help="columns from, to, name")
    p.add_argument("--shipped", choices=("igbp_7", "cnlucc_level1"),
                   help="a shipped table: IGBP to 7 classes, CNLUCC level 2 to level 1")
    _out(p, ("--out", "classes", "reclassified raster"))

    p = sub.add_parser("breakclasses", help=COMMANDS["breakclasses"][1],
                       description=COMMANDS["breakclasses"][1])
    _common(p, years=False, min_valid=False)
    p.add_argument("--breaks", required=True, metavar="B1,B2,...",
                   help="increasing breaks, e.g. 0,200,400 (Zhang et al. 2025 NEP levels)")
    p.add_argument("--names", metavar="N1,N2,...", help="class names, one more than the breaks")
    _out(p, ("--out", "classes", "class raster"))

    p = sub.add_parser("senmk", help=COMMANDS["senmk"][1], description=COMMANDS["senmk"][1])
    _common(p)
    p.add_argument("--method", default="original",
                   choices=("original", "hamed_rao", "yue_wang", "pre_whitening"))
    _out(p, ("--slope", "slope", "Sen slope (units per year)"),
         ("--z", "z", "Mann-Kendall Z"), ("--p", "pvalue", "p-value (two-sided)"),
         ("--tau", "tau", "Kendall tau"), ("--intercept", "intercept", "Sen intercept"),
         ("--s", "s", "Mann-Kendall S"), ("--class", "class", "trend classes -4..4"),
         ("--q", "q", "FDR q-value (Benjamini-Hochberg)"),
         ("--fdr-class", "fdr_class", "trend classes at the FDR level"))

    p = sub.add_parser("lineartrend", help=COMMANDS["lineartrend"][1],
                       description=COMMANDS["lineartrend"][1])
    _common(p)
    p.add_argument("--alpha", type=float, default=0.05, help="significance level")
    p.add_argument("--extreme", action="store_true",
                   help="also mark extremely significant trends (p < 0.01)")
    _out(p, ("--slope", "slope", "slope (units per year)"),
         ("--intercept", "intercept", "intercept (value at year 0)"),
         ("--r2", "r2", "coefficient of determination"),
         ("--p", "pvalue", "p-value (two-sided t test)"), ("--class", "class", "trend classes"),
         ("--q", "q", "FDR q-value"), ("--fdr-class", "fdr_class", "classes at the FDR level"))

    p = sub.add_parser("hurst", help=COMMANDS["hurst"][1], description=COMMANDS["hurst"][1])
    _common(p)
    p.add_argument("--method", default="rs", choices=("rs", "rs_segmented", "aggvar"))
    p.add_argument("--slope-raster", metavar="RASTER",
                   help="trend slope raster for the persistence classes (default: the Sen "
                        "slope of the same pass)")
    p.add_argument("--significant-only", action="store_true",
                   help="persistence: only trends with Mann-Kendall p < 0.05")
    _out(p, ("--h", "h", "Hurst exponent H"),
         ("--persistence", "persistence", "persistence classes"))

    p = sub.add_parser("variation", help=COMMANDS["variation"][1],
                       description=COMMANDS["variation"][1])
    _common(p, years=False)
    p.add_argument("--ddof", type=int, choices=(0, 1), default=1,
                   help="0 population, 1 sample standard deviation (default)")
    p.add_argument("--breaks", help="4 increasing CV values (default: natural breaks)")
    p.add_argument("--sample", type=int, default=10000,
                   help="natural breaks: sample size of CV values")
    p.add_argument("--seed", type=int, default=0, help="random seed of the sample")
    _out(p, ("--cv", "cv", "coefficient of variation"),
         ("--class", "class", "fluctuation classes 1..5"))

    p = sub.add_parser("nep", help=COMMANDS["nep"][1], description=COMMANDS["nep"][1])
    _common(p, stack_flag=False, min_valid=False)
    p.add_argument("--npp", action="extend", nargs="+", metavar="RASTER", required=True,
                   help="annual NPP stack")
    p.add_argument("--temperature", action="extend", nargs="+", metavar="RASTER",
                   required=True, help="air temperature stack (12 layers a year, or 1)")
    p.add_argument("--precipitation", action="extend", nargs="+", metavar="RASTER",
                   required=True, help="precipitation stack (12 layers a year, or 1)")
    p.add_argument("--mode", choices=("auto", "monthly", "annual"), default="auto")
    p.add_argument("--b", type=float, default=0.0912,
                   help="temperature coefficient b of the Rh model")
    _out(p, ("--nep", "nep", "NEP, one band per year"),
         ("--rh", "rh", "heterotrophic respiration Rh"),
         ("--class", "class", "sink / source class of the mean NEP"))

    p = sub.add_parser("carryingcapacity", help=COMMANDS["carryingcapacity"][1],
                       description=COMMANDS["carryingcapacity"][1])
    _common(p)
    p.add_argument("--year", type=int, help="year for potential and saturation (default: last)")
    p.add_argument("--all-years", action="store_true",
                   help="potential and saturation for every year (one band per year)")
    _out(p, ("--cscc", "cscc", "carrying capacity CSCC"), ("--peak-year", "peak_year", "peak year"),
         ("--potential", "potential", "potential CSCC - NPP"),
         ("--saturation", "saturation", "saturation NPP / CSCC (%)"))

    p = sub.add_parser("partialcorrelation", help=COMMANDS["partialcorrelation"][1],
                       description=COMMANDS["partialcorrelation"][1])
    _common(p, years=False)
    p.add_argument("--driver", action="append", metavar="RASTER",
                   help="a driver stack: one multiband raster, one band per year (repeat)")
    p.add_argument("--driver-name", action="append", metavar="NAME",
                   help="names of the drivers, in --driver order (default: file names)")
    p.add_argument("--alpha", type=float, default=0.05, help="significance level")
    _out(p, ("--r", "r", "partial correlation r (one band per driver)"),
         ("--p", "pvalue", "p-value (one band per driver)"),
         ("--class", "class", "correlation classes (one band per driver)"))
    from .cli_runs import add_command
    for analysis in _declared().values():
        add_command(sub, analysis, _Parser)
    return parser


def _declared():
    """The analyses declared in core/runs, each a command (cli_runs.py)."""
    from .core.runs import analyses
    return analyses()


# ---------------------------------------------------------------- main

def _output_paths(args):
    return {"--" + k[4:].replace("_", "-"): v for k, v in vars(args).items()
            if k.startswith("out_") and isinstance(v, str)}


def _input_paths(args):
    """Every file name the command reads (for the output = input check)."""
    found = []
    for key, value in vars(args).items():
        if key.startswith("out_"):
            continue
        for v in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(v, str) and os.path.isfile(v):
                found.append(v)
    return found


def _message(exc):
    name = type(exc).__name__
    text = str(exc).strip() or name
    if name == "KilledWorker":
        return (f"a dask worker died while computing ({text}); no output was written")
    if name in ("CommClosedError", "FutureCancelledError", "CancelledError"):
        return f"the dask cluster stopped the run ({name}: {text}); no output was written"
    return text


class _Terminated(Exception):
    pass


def _on_term(signum, frame):
    raise _Terminated("terminated by a signal: no output was written")


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(_version())
        return 0
    if not args.command:
        parser.print_help(sys.stderr)
        return 1
    if args.command in COMMANDS:
        func, _, styles = COMMANDS[args.command]
    else:
        from .cli_runs import command
        func, _, styles = command(_declared()[args.command])
    console = Console(args.command, args.quiet)
    old = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, _on_term)
    except ValueError:                        # not the main thread
        old = None
    runner = None
    quiet_gdal = False
    t0 = time.perf_counter()
    try:
        from osgeo import gdal
        # GDAL's own error lines would repeat ours (RasterStack reads the
        # message with GetLastErrorMsg): quiet for this run only
        gdal.PushErrorHandler("CPLQuietErrorHandler")
        quiet_gdal = True

        from .core import _numba
        if args.threads:
            _numba.set_threads(args.threads)
        if not _numba.use_numba():
            console.info("numba not found: numpy path (same numbers, slower)")
        check_paths(_output_paths(args), _input_paths(args))   # before any work or cluster
        if args.format == "zarr" and not args.dask:
            raise CliError("--format zarr needs --dask (local, threads or an address)")
        if args.dask:
            if args.chunk < 0:
                raise CliError("--chunk must be a positive number of pixels")
            runner = DaskRunner(args.dask, args.workers or None, args.threads or None,
                                args.memory_mb, args.format, console, args.chunk or None,
                                args.dask_timeout)
        with output_set():          # every output of the run, committed together
            paths = func(args, runner, console)
            if not args.no_styles:
                _write_styles(paths, styles, console)
        for key, path in paths.items():
            print(f"{key}: {path}")
        console.info(f"done in {time.perf_counter() - t0:.1f} s")
        return 0
    except (KeyboardInterrupt, _Terminated) as exc:
        if args.debug:
            raise
        text = str(exc) or "interrupted: no output was written"
        print(f"{PROG}: error: {text}", file=sys.stderr)
        return 1
    except Exception as exc:
        if args.debug:
            raise
        print(f"{PROG}: error: {_message(exc)}", file=sys.stderr)
        return 1
    finally:
        if quiet_gdal:
            from osgeo import gdal
            gdal.PopErrorHandler()
        if runner is not None:
            with contextlib.suppress(Exception):        # closing anyway
                runner.close()
        if old is not None:
            signal.signal(signal.SIGTERM, old)


def _version():
    from ._version import __version__
    return f"{PROG} {__version__}"
