"""Raster Moran's I, local Moran (LISA) and Getis-Ord Gi* on dask arrays (issue 8).

The dask counterparts of :func:`~carbonsink.core.spatial_raster.moran_raster`,
:func:`~carbonsink.core.spatial_raster.lisa_rasters` and
:func:`~carbonsink.core.spatial_raster.getis_ord_rasters` for a 2-D ``dask.array``
(NaN = not a unit). Units, islands and contiguity are those of the raster
functions: the valid pixels, rook or queen contiguity among them, a valid
pixel without a valid neighbour is an island (left out, reported as flat
index row * cols + col). The numbers equal :func:`~carbonsink.core.spatial.moran`,
:func:`~carbonsink.core.spatial.local_moran` and
:func:`~carbonsink.core.spatial.getis_ord` on
:func:`~carbonsink.core.weights.grid_weights` of the same grid, for any
chunking (tests/test_spatial_dask.py).

How. Neighbour counts and neighbour sums come from ``map_overlap`` with a
1-pixel halo (NaN, or 0 for deviations, outside the grid) and the same shift
sums as the raster functions (:func:`~carbonsink.core.spatial_raster._counts`,
:func:`~carbonsink.core.spatial_raster._neighbour_sum`, summed in the order of the
offsets, i.e. the CSR order of ``grid_weights``: the same floating point
result). Global sums are dask reductions. S1 and S2 of row-standardised
weights need the neighbour counts of the neighbours (a 2-pixel reach): the
counts are a dask array first, then ``map_overlap`` (depth 1) on 1/k.

Local Moran permutations. Each unit's random stream is keyed by (seed, rank),
rank = position of the unit among all units in row-major order, exactly as
:func:`~carbonsink.core.spatial_raster.lisa_rasters` and
:func:`~carbonsink.core.spatial.local_moran`: the units per (row, chunk
column) are counted eagerly (a small rows x chunk-columns table), their
cumulative sum gives every chunk its rank offsets. The pool of all unit
deviations (row-major, n float64 values gathered once, sent to the tasks as
one shared ``dask.delayed`` key) is what the neighbours are drawn from, and
the mean and sum of squares are taken from it with numpy exactly as
:func:`~carbonsink.core.spatial.local_moran` does, so I_i, q and p_sim are
bit for bit those of the numpy function and do not depend on the chunks.
The kernel is :func:`~carbonsink.core.permutations.conditional_permutations`
(numba, or the numpy path: same numbers). Without permutations the mean and
variance are dask reductions and nothing is gathered.

Global Moran permutations are not offered (``moran_dask`` is analytic:
p_norm, p_rand; for large rasters the randomisation z is the practical test).

dask is imported inside the functions: importing this module does not import it.
"""
import math

import numpy as np

from .errors import N_, InputError
from .permutations import conditional_permutations
from .spatial import (
    NODATA_CLASS,
    GetisOrd,
    LocalMoran,
    Moran,
    _check_permutations,
    _check_transform,
    _moran_moments,
    _resolve_seed,
    _sim_fields,
    quadrant,
)
from .spatial_raster import _counts, _neighbour_sum, _shifted, gistar_window, local_moran_window
from .weights import offsets

__all__ = ["getis_ord_dask", "local_moran_dask", "moran_dask"]


# ------------------------------------------------------------------ helpers

def _as_dask(x):
    import dask.array as da
    if not isinstance(x, da.Array):
        x = da.asarray(np.asarray(x))
    if x.ndim != 2:
        raise InputError(N_("a 2-D raster is needed, not an array of shape {}"), x.shape)
    return x.astype(np.float64)


def _overlap(func, x, fill, dtype, **kw):
    """``map_overlap`` with a 1-pixel halo of ``fill`` around the grid; ``func``
    gets the padded block and returns the block's own pixels (trim=False)."""
    import dask.array as da
    kw.setdefault("chunks", x.chunks)
    return da.map_overlap(func, x, depth=1, boundary=fill, trim=False, dtype=dtype,
                          meta=np.empty((0,) * len(kw["chunks"]), dtype=dtype), **kw)


def _k_block(v, offs):
    return _counts(np.isfinite(v), offs)


def _nsum_block(a, offs):
    return _neighbour_sum(a, offs)


def _units(x, offs):
    """(k, valid, unit) dask arrays: valid neighbours, finite, unit."""
    k = _overlap(_k_block, x, np.nan, np.int64, offs=offs)
    valid = ~np.isnan(x)
    return k, valid, valid & (k > 0)


def _check_n(n, lo, hi, what):
    if n < 3:
        raise InputError(N_("{}: {} valid pixel(s) with a valid neighbour; at least 3 are "
                            "needed"), what, n)
    if lo == hi:
        raise InputError(N_("{}: all {} valid pixels have the same value ({:g}): spatial "
                            "autocorrelation is undefined for constant values"), what, n, lo)


def _pass1(x, offs, what):
    """Eager pass 1: n, sum, missing, min, max, islands (flat indices)."""
    import dask
    import dask.array as da
    k, valid, unit = _units(x, offs)
    xu = da.where(unit, x, np.nan)
    n, s, nmiss, lo, hi, isl = dask.compute(
        unit.sum(), da.where(unit, x, 0.0).sum(), (~valid).sum(), da.nanmin(xu),
        da.nanmax(xu), da.flatnonzero(valid & (k == 0)))
    n = int(n)
    _check_n(n, float(lo), float(hi), what)
    return k, valid, unit, n, float(s) / n, int(nmiss), np.sort(np.asarray(isl, np.int64))


# --------------------------------------------------------------- global Moran

def _s1_block(inv1, offs):
    inv = inv1[1:-1, 1:-1]
    s1 = np.zeros(inv.shape)
    for dr, dc in offs:
        nb = _shifted(inv1, dr, dc)
        s1 += np.where(nb > 0, (inv + nb) ** 2, 0.0)
    return s1


def moran_dask(x, contiguity="queen", transform="r"):
    """Global Moran's I of a 2-D dask array (NaN = not a unit), rook or queen
    contiguity among valid pixels; the analytic fields of
    :func:`~carbonsink.core.spatial_raster.moran_raster` (I, EI, VI_norm, z_norm,
    p_norm, VI_rand, z_rand, p_rand, n, islands, n_missing, s0, s1, s2).
    No permutation inference (``permutations`` = 0, p_sim NaN).

    Two computes: pass 1 (n, mean, islands) and pass 2 (sum z^2, sum z^4,
    sum_ij w_ij z_i z_j, S0, S1, S2), all reductions over ``map_overlap``
    blocks of depth 1. Returns a :class:`~carbonsink.core.spatial.Moran`.
    """
    import dask
    import dask.array as da
    t = _check_transform(transform)
    offs = offsets(contiguity)
    x = _as_dask(x)
    k, _valid, unit, n, mean, nmiss, isl = _pass1(x, offs, "Moran's I")
    z = da.where(unit, x - mean, 0.0)
    lsum = _overlap(_nsum_block, z, 0.0, np.float64, offs=offs)
    kf = da.where(unit, k, 1).astype(np.float64)
    sums = [(z * z).sum(), (z ** 4).sum()]
    if t == "r":
        sums.append(da.where(unit, z * (lsum / kf), 0.0).sum())
        inv = da.where(unit, 1.0 / kf, 0.0)
        s1pix = _overlap(_s1_block, inv, 0.0, np.float64, offs=offs)
        col = _overlap(_nsum_block, inv, 0.0, np.float64, offs=offs)
        sums += [0.5 * da.where(unit, s1pix, 0.0).sum(),
                 da.where(unit, (1.0 + col) ** 2, 0.0).sum()]
    else:
        ku = da.where(unit, k, 0).astype(np.float64)
        sums += [(z * lsum).sum(), ku.sum(), (ku * ku).sum()]
    vals = [float(v) for v in dask.compute(*sums)]
    m2, m4, cross = vals[:3]
    if t == "r":
        s0, s1, s2 = float(n), vals[3], vals[4]
    else:
        s0, s1, s2 = vals[3], 2.0 * vals[3], 4.0 * vals[4]
    return Moran(**_moran_moments(n, s0, s1, s2, m2, m4, cross), n=n, islands=isl,
                 n_missing=nmiss, permutations=0, transform=t)


# ---------------------------------------------------------------- local Moran

def _seg_block(unit):
    return unit.sum(axis=1, keepdims=True).astype(np.int64)


def _rank_offsets(unit):
    """Row start of every (row, chunk column): the row-major rank of the first
    unit of that row segment (eager; a rows x chunk-columns int64 table)."""
    import dask.array as da
    nbc = len(unit.chunks[1])
    seg = da.map_blocks(_seg_block, unit, chunks=(unit.chunks[0], (1,) * nbc),
                        dtype=np.int64).compute()
    flat = seg.ravel()
    return (np.cumsum(flat) - flat).reshape(seg.shape)


def _block_ranks(unit, start, row_bounds, loc):
    bi, bj = loc
    row0 = start[row_bounds[bi]:row_bounds[bi + 1], bj]
    return (row0[:, None] + np.cumsum(unit, axis=1) - 1)[unit]


def _rank_block(v, offs, start, row_bounds, block_info=None):
    valid = np.isfinite(v)
    unit = valid[1:-1, 1:-1] & (_counts(valid, offs) > 0)
    out = np.full(unit.shape, -1, dtype=np.int64)
    out[unit] = _block_ranks(unit, start, row_bounds, block_info[0]["chunk-location"])
    return out


def _lisa_block(v, offs, mean, scaling, rstd, r, seed, pool, start, row_bounds,
                block_info=None):
    from ._dispatch import _LOCK
    unit, z, ku, lag, zs, is_ = local_moran_window(v, offs, mean, scaling, rstd)
    out = np.full((5,) + unit.shape, np.nan)
    out[0][unit] = is_
    out[1] = NODATA_CLASS
    out[1][unit] = quadrant(z, lag)
    if r and zs.size:
        rk = _block_ranks(unit, start, row_bounds, block_info[0]["chunk-location"])
        with _LOCK:                  # numba kernels: one at a time per process
            larger, s1, s2 = conditional_permutations(pool, rk, zs, ku, rstd, is_, rk,
                                                      seed, r)
        p, zsim, pz = _sim_fields(is_, larger, s1, s2, r)
        out[2][unit], out[3][unit], out[4][unit] = p, zsim, pz
    return out


def local_moran_dask(x, contiguity="queen", transform="r", permutations=999, seed=0):
    """Local Moran (LISA) of a 2-D dask array (NaN = not a unit).

    Returns a :class:`~carbonsink.core.spatial.LocalMoran` whose ``Is``,
    ``q`` (int8, -128 for non-units), ``p_sim``, ``z_sim`` and ``p_z_sim``
    are lazy 2-D dask arrays with the chunks of ``x`` (one ``map_overlap``
    task per chunk computes all five: compute them together), and whose
    ``n``, ``islands``, ``n_missing``, ``seed`` are known at once.

    The numbers are those of :func:`~carbonsink.core.spatial.local_moran`
    on ``grid_weights`` of the grid with the same seed (and of
    :func:`~carbonsink.core.spatial_raster.lisa_rasters` with an in-memory pool),
    bit for bit and for any chunking: random streams keyed by the global
    row-major unit rank, neighbours drawn from the pool of all n unit
    deviations (gathered once, n x 8 bytes, shared by all tasks). ``seed``
    None draws one (reported in ``seed``). ``permutations`` 0: no pool, p_sim
    and z_sim NaN, mean and variance from dask reductions.
    """
    import dask
    import dask.array as da
    t = _check_transform(transform)
    r = _check_permutations(permutations)
    offs = offsets(contiguity)
    x = _as_dask(x)
    _k, _valid, unit, n, mean, nmiss, isl = _pass1(x, offs, "Local Moran")
    row_bounds = np.concatenate([[0], np.cumsum(x.chunks[0])]).astype(np.int64)
    pool = start = None
    if r:
        seed = _resolve_seed(seed)
        start = _rank_offsets(unit)
        rank = _overlap(_rank_block, x, np.nan, np.int64, offs=offs, start=start,
                        row_bounds=row_bounds)
        vals, rk = dask.compute(x[unit], rank[unit])
        y = np.empty(n)
        y[rk] = vals
        mean = y.mean()                             # as local_moran: bit for bit
        pool = y - mean
        den = float(pool @ pool)
        start_d = dask.delayed(start, pure=True)
        pool_d = dask.delayed(pool, pure=True)
    else:
        seed = None
        den = float(da.where(unit, (x - mean) ** 2, 0.0).sum().compute())
        start_d = pool_d = None
    scaling = (n - 1) / den
    stack = _overlap(_lisa_block, x, np.nan, np.float64, chunks=((5,),) + x.chunks,
                     new_axis=0, offs=offs, mean=mean, scaling=scaling, rstd=t == "r",
                     r=r, seed=seed, pool=pool_d, start=start_d, row_bounds=row_bounds)
    return LocalMoran(stack[0], stack[1].astype(np.int8), stack[2], stack[3], stack[4],
                      n=n, islands=isl, n_missing=nmiss, permutations=r, seed=seed,
                      transform=t)


# ---------------------------------------------------------------- Getis-Ord

def _gi_block(v, offs, mean, n, sd):
    unit, g, p = gistar_window(v, offs, mean, n, sd)
    out = np.full((2,) + unit.shape, np.nan)
    out[0][unit] = g
    out[1][unit] = p
    return out


def getis_ord_dask(x, contiguity="queen"):
    """Getis-Ord Gi* of a 2-D dask array (NaN = not a unit), binary rook or
    queen contiguity with w_ii = 1: a :class:`~carbonsink.core.spatial.GetisOrd`
    whose ``z`` and ``pvalue`` are lazy dask arrays with the chunks of ``x``
    (NaN for non-units and islands), equal to
    :func:`~carbonsink.core.spatial_raster.getis_ord_rasters` and to
    :func:`~carbonsink.core.spatial.getis_ord` on ``grid_weights``. n, mean
    and the population standard deviation are dask reductions (eager)."""
    import dask.array as da
    offs = offsets(contiguity)
    x = _as_dask(x)
    _k, _valid, unit, n, mean, nmiss, isl = _pass1(x, offs, "Getis-Ord Gi*")
    sd = math.sqrt(float(da.where(unit, (x - mean) ** 2, 0.0).sum().compute()) / n)
    stack = _overlap(_gi_block, x, np.nan, np.float64, chunks=((2,),) + x.chunks,
                     new_axis=0, offs=offs, mean=mean, n=n, sd=sd)
    return GetisOrd(stack[0], stack[1], n=n, islands=isl, n_missing=nmiss, star=True)

