"""The dask adapter of the raster engine: stacks read as dask arrays (chunks
of whole time series, aligned to 256-pixel tiles, sized from the memory
budget), outputs written as each block arrives (GeoTIFF, by this process,
under a temporary name renamed with the run's output set) or as Zarr stores
(by the workers). The command line's ``--dask`` uses it (cli.py); the dask
twins of the file-level functions (core/dask_rasters.py) read and write
through it. dask is imported when a runner is made.
"""
import contextlib
import math
import os
import threading

import numpy as np

from ..errors import N_, InputError
from .outputs import output_set

TILE = 256


class _Quiet:
    """A console that says nothing."""

    def set(self, percent):
        pass

    def info(self, text):
        pass


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

        from . import RasterStack
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
        raise InputError(N_("the dask scheduler {} did not answer within {:g} s: is a dask "
                            "scheduler listening there? (--dask-timeout to wait longer)"),
                         address, timeout)
    if "error" in box:
        exc = box["error"]
        if isinstance(exc, (OSError, TimeoutError)):
            raise InputError(N_("cannot connect to the dask scheduler {}: {}"), address, exc)
        raise InputError(N_("{} does not answer as a dask scheduler ({}); check the address "
                            "and port"), address, type(exc).__name__)
    return box["result"]


class DaskRunner:
    """Reads stacks as dask arrays and writes dask outputs (GeoTIFF or Zarr)."""

    def __init__(self, scheduler, workers=None, threads=None, memory_mb=256, fmt="gtiff",
                 console=None, chunk=None, timeout=30.0):
        self.scheduler = scheduler
        self.memory_mb = memory_mb
        self.fmt = fmt
        self.console = console or _Quiet()
        self.client = self.cluster = None
        self.side = int(chunk) if chunk else None
        try:
            import dask
            import dask.array  # noqa: F401
        except ImportError:
            raise InputError(N_("--dask needs dask: pip install 'carbonsink[dask]' "
                                "(dask[array,distributed])")) from None
        if scheduler in ("threads", "sync"):
            return
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError(N_("--dask local or an address needs dask.distributed: pip "
                                "install 'dask[distributed]' (or use --dask threads)")) from None
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
                raise InputError(N_("--dask must be local, threads or a scheduler address such "
                                    "as tcp://host:8786, not {!r}"), scheduler)
            self.client, n_workers = _connect(Client, scheduler, timeout)
            self.console.info(f"connected to {scheduler} ({n_workers} workers)")
        problems = self.client.run(_worker_check)
        for addr, bad in problems.items():
            if bad:
                what = "; ".join(f"{k}: {v}" for k, v in bad.items())
                raise InputError(N_("dask worker {} cannot run CarbonSink ({})"), addr, what)

    def close(self):
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    # ---------------------------------------------------------- input
    def arrays(self, stacks, per_pixel):
        """dask arrays of RasterStacks (same grid), chunks from the budget."""
        from .raster import check_same_grid
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
        from . import capped_gdal_cache
        names = list(specs)
        combo, layout = _combine(arrays, names)
        # as run_blocks: cap GDAL's block cache while writing (tiles written
        # are otherwise kept up to 5 % of RAM)
        with capped_gdal_cache(READ_CACHE_MB):
            return self._write_all(combo, layout, specs, grid, names, require_valid)

    def _write_all(self, combo, layout, specs, grid, names, require_valid):
        import dask
        import dask.array as da

        from . import NoValidData, RasterWriter
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
                raise NoValidData(N_("no pixel has enough valid values: every output pixel "
                                     "would be nodata (check nodata, valid range and the "
                                     "minimum number of valid years)"))
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

        from . import NoValidData
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
                    raise InputError(N_("cannot write {}: folder {} does not exist"),
                                     spec.path, folder)
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
                raise NoValidData(N_("no pixel has enough valid values: every output pixel "
                                     "would be nodata (check nodata, valid range and the "
                                     "minimum number of valid years)"))
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


