"""dask and xarray inputs for the per-pixel functions: one dispatcher.

The pattern of xarray-spatial: the public function stays the numpy/numba
function; :func:`dask_aware` wraps it so that

- numpy arrays (and scalars, lists) go straight to it: one type check per
  argument, no dask or xarray import (dask is an optional extra, and
  ``import carbonsink.core`` never imports it);
- a ``dask.array.Array`` runs the *same* function on every spatial chunk with
  ``map_blocks`` and the result is lazy, of the same kind as the numpy
  result (a result dataclass whose fields are dask arrays, or a dask array);
- an ``xarray.DataArray`` (time as the first dimension, or a dimension named
  ``time`` anywhere: it is moved first) gives DataArrays with the spatial
  dimensions, coordinates and attributes of the input; lazy when the
  DataArray holds a dask array, computed at once when it holds numpy.

Chunks. A per-pixel kernel needs each pixel's whole series: every chunk must
hold the whole time axis (``y.rechunk({0: -1})``). An input chunked along time
is rechunked to one time chunk with a :class:`TimeRechunkWarning`, unless
the rechunked chunks would exceed the dask config value
``carbonsink.max-chunk`` (default ``"512MiB"``, float64 bytes of the largest
rechunked chunk): then a ValueError says how to rechunk with smaller spatial
chunks. Spatial chunks are free; several array arguments (``y``, ``x`` and
``controls`` of :func:`partial_correlation`) are rechunked to the chunks of
the first dask one.

One kernel call per chunk. All fields of a result come out of ONE
``map_blocks`` task per chunk (the fields are stacked along a new first axis
and split again lazily), so computing several fields together
(``dask.compute(r.slope, r.z)``, or writing them in one pass) runs the kernel
once per chunk. Computing them one after the other runs it once per field:
use ``dask.compute``/``persist``.

Numba inside dask. The kernels are numba-parallel over the pixels of a chunk
and use every numba thread of the process; the dispatcher serialises numba
kernel calls within one process (a lock) so that a threaded scheduler does
not oversubscribe the cores. With ``dask.distributed`` give each worker
process as many numba threads as it has cores (``NUMBA_NUM_THREADS`` in the
worker's environment) and one dask thread.

Errors in the arguments (unknown method, wrong number of years, shapes that
do not match) are raised at once, not at compute time: the function is first
called on a one-pixel NaN probe with the same arguments, which also gives the
layout of its result.
"""
import functools
import inspect
import sys
import threading
import warnings

import numpy as np

from ._numba import use_numba
from .errors import N_, InputError

__all__ = ["WRAPPED", "TimeRechunkWarning", "dask_aware"]

#: public name -> dask/xarray-aware function, filled as the modules wrap theirs
WRAPPED = {}

DEFAULT_MAX_CHUNK = "512MiB"
_LOCK = threading.Lock()          # numba kernels: one at a time per process


class TimeRechunkWarning(UserWarning):
    """A dask input was chunked along time and has been rechunked."""


# ----------------------------------------------------------- type checks

def _kind(v):
    """"dask", "xarray" or None, without importing either library."""
    t = type(v)
    if t is np.ndarray or v is None:
        return None
    mod = getattr(t, "__module__", "") or ""
    if mod.startswith("dask."):
        da = sys.modules.get("dask.array")
        if da is not None and isinstance(v, da.Array):
            return "dask"
    elif mod.startswith("xarray."):
        xr = sys.modules.get("xarray")
        if xr is not None and isinstance(v, xr.DataArray):
            return "xarray"
    return None


def _special(v):
    t = type(v)
    if t is list or t is tuple:
        return any(_special(e) for e in v)
    return _kind(v) is not None


# ------------------------------------------------------------ the wrapper

def dask_aware(func, outputs="fields", time_args=("y",), array_args=None, name=None):
    """Wrap a per-pixel numpy function to accept dask arrays and DataArrays.

    ``outputs``: ``"fields"`` (a result dataclass or named tuple of arrays),
    ``"array"`` (one array) or ``"elementwise"`` (one array computed value by
    value from arrays of equal shape, e.g. class codes).
    ``time_args``: the names of the arguments holding arrays with time on
    axis 0 (an argument may hold a list of such arrays: ``controls``).
    ``array_args``: for elementwise functions, the names of the array
    arguments (default: ``time_args``). ``name``: the DataArray name of an
    ``"array"`` result (default: the function's name).
    """
    if outputs not in ("fields", "array", "elementwise"):
        raise InputError(N_("outputs must be 'fields', 'array' or 'elementwise'"))
    spec = _Spec(func, outputs, tuple(array_args or time_args), name or func.__name__)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        for v in args:
            if _special(v):
                return _dispatch(spec, args, kwargs)
        for v in kwargs.values():
            if _special(v):
                return _dispatch(spec, args, kwargs)
        return func(*args, **kwargs)

    wrapper.__doc__ = (func.__doc__ or "") + (
        "\n\n    Also accepts dask arrays (lazy result of the same kind) and xarray "
        "DataArrays\n    (see :mod:`carbonsink.core._dispatch`).\n")
    wrapper.dask_aware = True
    if (getattr(func, "__module__", "") or "").startswith(f"{__package__}."):
        WRAPPED[func.__name__] = wrapper          # the package's own public functions
    return wrapper


class _Spec:
    def __init__(self, func, outputs, arrays, name):
        self.func = func
        self.outputs = outputs
        self.arrays = arrays
        self.name = name
        self.sig = inspect.signature(func)


def _dispatch(spec, args, kwargs):
    bound = spec.sig.bind(*args, **kwargs)
    values = dict(bound.arguments)
    # slots: (argument name, index in a list or None), in call order
    slots, arrays = [], []
    for an in spec.arrays:
        if an not in values or values[an] is None:
            continue
        v = values[an]
        if type(v) in (list, tuple):
            for i, e in enumerate(v):
                slots.append((an, i))
                arrays.append(e)
        else:
            slots.append((an, None))
            arrays.append(v)
    # other arguments (years as a DataArray coordinate, ...) become numpy;
    # the array arguments are left out (not copied into every dask task)
    for an, v in list(values.items()):
        if an in spec.arrays:
            values[an] = type(v)() if type(v) in (list, tuple) else None
        elif _special(v):
            values[an] = np.asarray(v)
    kinds = [_kind(a) for a in arrays]
    if not any(kinds):
        return spec.func(**_rebuild(values, slots, arrays))

    template = None
    if "xarray" in kinds:
        arrays, template = _from_xarray(spec, slots, arrays, kinds)
    if any(_kind(a) == "dask" for a in arrays):
        res = _run_dask(spec, values, slots, arrays)
    else:
        res = spec.func(**_rebuild(values, slots, [np.asarray(a) for a in arrays]))
    if template is not None:
        res = _to_xarray(spec, res, template)
    return res


def _rebuild(values, slots, arrays):
    """Keyword arguments with the array slots filled with ``arrays``."""
    kw = dict(values)
    lists = {}
    for (an, i), a in zip(slots, arrays):
        if i is None:
            kw[an] = a
        else:
            lists.setdefault(an, []).append(a)
    for an, items in lists.items():
        kw[an] = type(values[an])(items) if type(values[an]) is tuple else items
    return kw


# ----------------------------------------------------------------- xarray

def _from_xarray(spec, slots, arrays, kinds):
    """Raw arrays (numpy or dask) from DataArrays, time first; the template."""
    import xarray as xr
    das = []
    out = list(arrays)
    for k, (a, kind) in enumerate(zip(arrays, kinds)):
        if kind != "xarray":
            continue
        if spec.outputs != "elementwise" and "time" in a.dims and a.dims[0] != "time":
            a = a.transpose("time", ...)
        das.append((k, a))
    template = das[0][1]
    if len(das) > 1:
        try:
            xr.align(*(a for _, a in das), join="exact")
        except ValueError as exc:
            names = ", ".join(_slot_name(slots[k]) for k, _ in das)
            raise InputError(N_("{}: the DataArrays {} do not have the same coordinates ({})"),
                             spec.func.__name__, names, exc) from None
        for k, a in das[1:]:
            if a.dims != template.dims:
                raise InputError(N_("{}: {} has dimensions {}, {} has {}"),
                                 spec.func.__name__, _slot_name(slots[k]), a.dims,
                                 _slot_name(slots[das[0][0]]), template.dims)
    for k, a in das:
        out[k] = a.data
    return out, template


def _slot_name(slot):
    an, i = slot
    return an if i is None else f"{an}[{i}]"


def _to_xarray(spec, res, template):
    import xarray as xr
    dims = template.dims
    tdim = dims[0] if dims else None
    n = template.shape[0] if dims else 0

    def wrap(a, name):
        a_nd = np.ndim(a)
        if spec.outputs == "elementwise" or a_nd == len(dims):
            # same dimensions as the template (a time axis of another length:
            # e.g. 12 n months -> n years, keep every (n/m)th time coordinate)
            m = a.shape[0] if a_nd else 0
            if spec.outputs == "elementwise" or m == n:
                coords = template.coords
            else:
                coords = {k: c for k, c in template.coords.items() if tdim not in c.dims}
                if tdim in template.coords and m and n % m == 0:
                    coords[tdim] = template[tdim].values[::n // m]
            return xr.DataArray(a, dims=dims, coords=coords, attrs=dict(template.attrs),
                                name=name)
        coords = {k: c for k, c in template.coords.items() if tdim not in c.dims}
        return xr.DataArray(a, dims=dims[1:], coords=coords, attrs=dict(template.attrs),
                            name=name)

    if spec.outputs == "fields":
        return type(res)(**{f: wrap(v, f) for f, v in _fields(res).items()})
    return wrap(res, spec.name)


def _fields(res):
    if hasattr(res, "__dataclass_fields__"):
        return {f: getattr(res, f) for f in res.__dataclass_fields__}
    if hasattr(res, "_fields"):
        return dict(zip(res._fields, res))
    raise TypeError(f"not a result object: {type(res).__name__}")


# ------------------------------------------------------------------- dask

def _max_chunk_bytes():
    import dask
    from dask.utils import parse_bytes
    v = dask.config.get("carbonsink.max-chunk", DEFAULT_MAX_CHUNK)
    return parse_bytes(v) if isinstance(v, str) else int(v)


def _whole_time(a, fname, argname):
    """``a`` with one chunk along axis 0 (warn, or raise when too big)."""
    if a.ndim == 0 or len(a.chunks[0]) == 1:
        return a
    pixels = 1
    for c in a.chunks[1:]:
        pixels *= max(c) if c else 0
    size = a.shape[0] * pixels * 8
    limit = _max_chunk_bytes()
    mb = size / 2**20
    if size > limit:
        side = max(1, int((limit / (8 * a.shape[0])) ** 0.5))
        side = side // 256 * 256 if side >= 256 else side
        spatial = ", ".join(f"{i}: {side}" for i in range(1, a.ndim))
        raise InputError(N_("{}: {} is chunked along time (axis 0 chunks {}); each chunk must "
                            "hold the whole series, and one time chunk would make chunks of "
                            "{:.0f} MB (limit {:.0f} MB, dask config 'carbonsink.max-chunk'). "
                            "Rechunk with smaller spatial chunks, e.g. {}.rechunk({{0: -1, "
                            "{}}})"),
                         fname, argname, a.chunks[0], mb, limit / 2**20, argname, spatial)
    warnings.warn(
        f"{fname}: {argname} is chunked along time (axis 0 chunks {a.chunks[0]}); "
        f"rechunked to the whole time axis per chunk ({mb:.0f} MB per chunk). Chunk time "
        f"series stacks with chunks={{0: -1}} to avoid this copy.",
        TimeRechunkWarning, stacklevel=5)
    return a.rechunk({0: -1})


def _probe(spec, values, slots, arrays):
    """Call the function on one NaN pixel per array: checks the arguments
    and gives the layout of the result."""
    probes = []
    for a in arrays:
        shape = (a.shape[0],) + (1,) * (a.ndim - 1) if a.ndim else ()
        dt = np.float64 if np.dtype(a.dtype).kind in "fiu" else a.dtype
        probes.append(np.full(shape, np.nan, dtype=dt))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return spec.func(**_rebuild(values, slots, probes))


class _Block:
    """The function of one chunk (picklable by reference for dask workers)."""

    def __init__(self, func, values, slots, layout):
        self.func = func
        self.values = values
        self.slots = slots
        self.layout = layout          # None: one array; else [(field, time length)]

    def __call__(self, *blocks):
        kw = _rebuild(self.values, self.slots, blocks)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if use_numba():
                with _LOCK:
                    res = self.func(**kw)
            else:
                res = self.func(**kw)
        if self.layout is None:
            return np.asarray(res)
        parts = []
        for f, m in self.layout:
            v = np.asarray(getattr(res, f))
            parts.append(v if m else v[None])
        return np.concatenate(parts, axis=0) if len(parts) > 1 else parts[0]

    def __dask_tokenize__(self):
        from dask.base import tokenize
        return ("carbonsink-block", self.func.__module__, self.func.__qualname__,
                tokenize(self.values), self.slots, self.layout)


class _Elementwise:
    def __init__(self, func, values, slots):
        self.func = func
        self.values = values
        self.slots = slots

    def __call__(self, *blocks):
        return np.asarray(self.func(**_rebuild(self.values, self.slots, blocks)))

    def __dask_tokenize__(self):
        from dask.base import tokenize
        return ("carbonsink-elementwise", self.func.__module__, self.func.__qualname__,
                tokenize(self.values), self.slots)


def _run_dask(spec, values, slots, arrays):
    import dask.array as da
    fname = spec.func.__name__
    if spec.outputs == "elementwise":
        probe = _probe(spec, values, slots, [np.ones((1,) * np.ndim(a)) for a in arrays])
        darrs = da.broadcast_arrays(*[a if _kind(a) == "dask" else da.asarray(a)
                                      for a in arrays])
        dt = np.asarray(probe).dtype
        return da.map_blocks(_Elementwise(spec.func, values, slots), *darrs, dtype=dt,
                             meta=np.empty((0,) * darrs[0].ndim, dtype=dt),
                             token=fname)

    # time-first arrays: same shape, whole time axis per chunk, same chunks
    shape0 = np.shape(arrays[0])
    for slot, a in zip(slots[1:], arrays[1:]):
        if tuple(np.shape(a)) != tuple(shape0):
            raise InputError(N_("{}: {} has shape {}, {} has {}"),
                             fname, _slot_name(slot), tuple(np.shape(a)), _slot_name(slots[0]),
                             tuple(shape0))
    if len(shape0) == 0:
        raise InputError(N_("{}: a time series needs a time axis (axis 0)"), fname)
    ref = None
    out = []
    for slot, a in zip(slots, arrays):
        if _kind(a) == "dask":
            a = _whole_time(a, fname, _slot_name(slot))
            if ref is None:
                ref = a
        out.append(a)
    chunks = ref.chunks
    darrs = []
    for a in out:
        if _kind(a) != "dask":
            a = da.from_array(np.asarray(a), chunks=chunks)
        elif a.chunks != chunks:
            a = a.rechunk(chunks)
        darrs.append(a)

    probe = _probe(spec, values, slots, darrs)
    nd = ref.ndim
    spatial = chunks[1:]
    if spec.outputs == "array":
        p = np.asarray(probe)
        fn = _Block(spec.func, values, slots, None)
        if p.ndim == nd:      # keeps a time axis (of length p.shape[0])
            return da.map_blocks(fn, *darrs, chunks=((p.shape[0],),) + spatial,
                                 dtype=p.dtype, meta=np.empty((0,) * nd, dtype=p.dtype),
                                 token=fname)
        return da.map_blocks(fn, *darrs, chunks=spatial, drop_axis=0, dtype=p.dtype,
                             meta=np.empty((0,) * (nd - 1), dtype=p.dtype), token=fname)

    fields = _fields(probe)
    layout, dtypes, total = [], {}, 0
    for f, v in fields.items():
        v = np.asarray(v)
        m = v.shape[0] if v.ndim == nd else 0
        layout.append((f, m))
        dtypes[f] = v.dtype
        total += m or 1
    dt = np.result_type(*dtypes.values())
    fn = _Block(spec.func, values, slots, layout)
    stacked = da.map_blocks(fn, *darrs, chunks=((total,),) + spatial, dtype=dt,
                            meta=np.empty((0,) * nd, dtype=dt), token=fname)
    res, off = {}, 0
    for f, m in layout:
        a = stacked[off:off + m] if m else stacked[off]
        if dtypes[f] != dt:
            a = a.astype(dtypes[f])
        res[f] = a
        off += m or 1
    return type(probe)(**res)


# ------------------------------------------------- the public functions
#
# Each module wraps its public per-pixel functions where it defines them
# (``linear_trend = dask_aware(linear_trend, ...)`` at the end of
# core/trend.py), so ``carbonsink.core.linear_trend`` and
# ``carbonsink.core.trend.linear_trend`` are one object; WRAPPED lists them.
