"""Spatial autocorrelation: global Moran's I, local Moran (LISA), Getis-Ord Gi*.

methods.md section 10. Two layers:

- Array functions for any set of units (vector features or raster cells):
  :func:`moran`, :func:`local_moran`, :func:`getis_ord`, with the class
  helpers :func:`cluster_class` and :func:`hotspot_class`. ``weights`` is a
  square ``scipy.sparse`` matrix of binary links (see
  :mod:`carbonsink.core.weights` for builders); ``transform="r"``
  row-standardises it, ``"b"`` keeps it binary.
- Raster functions that stream a :class:`~carbonsink.core.io.RasterStack`
  band window by window (a one or two pixel halo around each window) with
  rook or queen contiguity among valid pixels, never building a weights
  matrix: :func:`moran_raster`, :func:`lisa_rasters`,
  :func:`getis_ord_rasters`. They give the same numbers as the array
  functions on :func:`~carbonsink.core.weights.grid_weights` of the same
  grid (tests/test_spatial.py checks it, holes and islands included).

Units. NaN values are not units: their links are dropped. A unit left
without any neighbour (an island) is reported (``islands``: indices; for
rasters flat pixel indices row * cols + col) and left out: n, the mean and
the variance are those of the remaining units and the island's outputs are
NaN (class -128). For asymmetric weights (k nearest neighbours) dropping a
unit can empty another row; this repeats until no row is empty.

Reference choices (all as PySAL esda 2.x unless said):

- Global Moran: I = n / S0 * sum_ij w_ij z_i z_j / sum_i z_i^2, z = x - mean;
  E[I] = -1/(n-1); VI_norm and VI_rand (kurtosis-corrected) as esda.Moran;
  p_norm, p_rand two-sided normal. Permutation pseudo p-value folded as
  esda: larger = #(I_perm >= I), larger = min(larger, R - larger),
  p_sim = (larger + 1)/(R + 1). Permutations shuffle all n values
  (Fisher-Yates, a counter-based SplitMix64 stream per permutation keyed by
  (seed, permutation index): the same permutations in the numba and the
  numpy path and for any number of threads; streams differ from numpy's, so
  p_sim agrees with esda statistically, not digit for digit). I_perm sums
  z_p' W z_p over the upper triangle of symmetric links (w_ij + w_ji, half
  the work) in float64.
- Local Moran: I_i = (n - 1) z_i sum_j w_ij z_j / sum_k z_k^2 (esda's
  scaling; Anselin 1995 divides by m2 = sum z^2 / n, i.e. his I_i are
  n/(n-1) times these). Quadrants as esda: 1 HH (z > 0, lag > 0), 2 LH,
  3 LL, 4 HL (z = 0 or lag = 0 count as "low"). Conditional permutation: for
  unit i, k_i values are drawn without replacement from the other n - 1
  units (Floyd's algorithm) and I_i recomputed; p_sim folded as above; z_sim
  = (I_i - mean(I_perm)) / sd(I_perm), p_z_sim = one-sided normal of |z_sim|
  as esda. Random numbers: a counter-based SplitMix64 stream per unit, keyed
  by (seed, unit index), so results do not depend on the number of threads,
  the window layout, or numba vs numpy (both paths give identical p_sim);
  memory does not grow with the number of permutations (only counts and two
  sums are kept per unit). The values drawn are float32 copies of z (a 4-byte
  pool, for speed) summed in float64. Streams differ from esda's (esda also
  reuses one set of permutations for every unit), so p-values agree with
  esda statistically, not digit for digit.
- Getis-Ord Gi* (``star=True``): binary weights with w_ii = 1,
  z_i = (sum_j w_ij x_j - mean W_i) / (s sqrt((n W_i - W_i^2)/(n - 1))),
  W_i = k_i + 1, s the population standard deviation: equals esda's
  G_Local(star=True, transform="B").Zs for data with a positive mean (esda
  divides by the mean and so flips the sign when the mean is negative; this
  formula does not). Gi (``star=False``) leaves i out of the neighbour sum,
  the mean and the variance (N = n - 1), as esda. p two-sided normal.
"""
import math
import os
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from ._numba import njit, njit_parallel, prange, use_numba
from .classes import NODATA_CLASS  # -128, int8 nodata of every class raster
from .errors import InputError
from .fdr import PValueHistogram, fdr_bh
from .io.outputs import output_set, readable, remove_scratch, scratch_tif
from .weights import binary_weights, offsets, transform_weights, weight_sums

__all__ = ["NODATA_CLASS", "GetisOrd", "LocalMoran", "Moran", "RasterInfo",
           "cluster_class", "conditional_permutations", "getis_ord", "getis_ord_rasters",
           "hotspot_class", "lisa_rasters", "local_moran", "moran", "moran_raster",
           "quadrant"]


SQRT2 = math.sqrt(2.0)
TRANSFORMS = ("r", "b")


# ------------------------------------------------------------------ results

@dataclass
class Moran:
    """Global Moran's I (methods.md 10); field names as esda.Moran."""
    I: float  # noqa: E741 - esda's field name
    EI: float
    VI_norm: float
    z_norm: float
    p_norm: float
    VI_rand: float
    z_rand: float
    p_rand: float
    p_sim: float = math.nan          #: NaN without permutations
    EI_sim: float = math.nan
    z_sim: float = math.nan
    p_z_sim: float = math.nan
    n: int = 0                       #: units used
    islands: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    n_missing: int = 0               #: NaN values (not units)
    s0: float = math.nan
    s1: float = math.nan
    s2: float = math.nan
    permutations: int = 0
    seed: object = None              #: the seed used (drawn when None was given)
    transform: str = "r"


@dataclass
class LocalMoran:
    """Local Moran (LISA). Arrays have the length of the input; units left
    out (NaN value, island) are NaN / q = -128."""
    Is: np.ndarray
    q: np.ndarray                    #: int8 quadrant 1 HH, 2 LH, 3 LL, 4 HL
    p_sim: np.ndarray
    z_sim: np.ndarray
    p_z_sim: np.ndarray
    n: int = 0
    islands: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    n_missing: int = 0
    permutations: int = 0
    seed: object = None
    transform: str = "r"


@dataclass
class GetisOrd:
    """Getis-Ord Gi* (or Gi) z-scores and two-sided normal p-values."""
    z: np.ndarray
    pvalue: np.ndarray
    n: int = 0
    islands: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    n_missing: int = 0
    star: bool = True


@dataclass
class RasterInfo:
    """What a LISA / Gi* raster run used."""
    n: int                           #: units (valid pixels with a valid neighbour)
    n_islands: int
    islands: np.ndarray              #: flat pixel indices row * cols + col
    mean: float
    std: float                       #: population standard deviation of the units
    contiguity: str
    n_missing: int = 0               #: NaN pixels (not units)
    permutations: int = 0
    seed: object = None
    pool: int = 0                    #: values the conditional permutations draw from
    sampled: bool = False            #: True when pool is a uniform sample (n too large)


# ------------------------------------------------------------------ helpers

def _check_transform(transform):
    t = str(transform).lower()
    if t not in TRANSFORMS:
        raise InputError(f"transform must be 'r' (row-standardised) or 'b' (binary), "
                         f"not {transform!r}")
    return t


#: pseudo p-values resolve 1 / (R + 1): 99 999 permutations give 1e-5, far
#: below any FDR or alpha in use; more would run for hours on a raster
MAX_PERMUTATIONS = 99999


def _check_permutations(permutations):
    r = int(permutations or 0)
    if r < 0:
        raise InputError(f"permutations must be 0 or more, not {permutations}")
    if r > MAX_PERMUTATIONS:
        raise InputError(f"permutations must be at most {MAX_PERMUTATIONS} (p-values to "
                         f"1e-5), not {permutations}")
    return r


def _resolve_seed(seed):
    """The seed to use: the given one, or a fresh one (returned so that the
    run can be repeated)."""
    if seed is None:
        return int(np.random.SeedSequence().entropy % (2**63))
    return int(seed)


def _prepare(values, weights, what):
    """(x, keep, b, islands, n_missing): keep marks the units (finite value
    and at least one neighbour among units); b the binary CSR among them."""
    x = np.asarray(values, dtype=np.float64).ravel()
    w = binary_weights(weights)
    if w.shape[0] != x.size:
        raise InputError(f"{what}: {x.size} values for a {w.shape[0]} x {w.shape[0]} "
                         "weights matrix")
    valid = np.isfinite(x)
    keep = valid.copy()
    while True:
        idx = np.flatnonzero(keep)
        b = w[idx][:, idx]
        empty = np.diff(b.indptr) == 0
        if not empty.any():
            break
        keep[idx[empty]] = False
    b.sort_indices()
    isl = np.flatnonzero(valid & ~keep)
    return x, keep, b, isl, int((~valid).sum())


def _check_units(y, what, least=3):
    n = y.size
    if n < least:
        raise InputError(f"{what}: {n} unit(s) with a value and a neighbour; at least "
                         f"{least} are needed")
    if y.min() == y.max():
        raise InputError(f"{what}: all {n} units have the same value ({y[0]:g}): spatial "
                         "autocorrelation is undefined for constant values")


def _norm_sf(z):
    return 0.5 * special.erfc(np.asarray(z, dtype=np.float64) / SQRT2)


def _two_sided(z):
    with np.errstate(invalid="ignore"):
        return special.erfc(np.abs(np.asarray(z, dtype=np.float64)) / SQRT2)


def _fold(larger, r):
    larger = np.asarray(larger)
    return (np.minimum(larger, r - larger) + 1.0) / (r + 1.0)


def quadrant(z, lag):
    """esda's Moran scatterplot quadrants: 1 HH (z > 0, lag > 0), 2 LH,
    3 LL, 4 HL; -128 where z or lag is NaN."""
    z = np.asarray(z, dtype=np.float64)
    lag = np.asarray(lag, dtype=np.float64)
    zp, lp = z > 0, lag > 0
    q = np.where(zp, np.where(lp, 1, 4), np.where(lp, 2, 3))
    return np.where(np.isnan(z) | np.isnan(lag), NODATA_CLASS, q).astype(np.int8)


# --------------------------------------------------------------- global Moran

def _moran_moments(n, s0, s1, s2, m2, m4, cross):
    """Moran's I and its normal / randomisation moments from sums:
    m2 = sum z^2, m4 = sum z^4, cross = sum_ij w_ij z_i z_j (esda.Moran)."""
    n = float(n)
    i_ = n / s0 * cross / m2
    ei = -1.0 / (n - 1.0)
    s02 = s0 * s0
    n2 = n * n
    vi_norm = (n2 * s1 - n * s2 + 3.0 * s02) / ((n - 1.0) * (n + 1.0) * s02) - ei * ei
    k = (m4 / n) / (m2 / n) ** 2
    a = n * ((n2 - 3.0 * n + 3.0) * s1 - n * s2 + 3.0 * s02)
    b = k * ((n2 - n) * s1 - 2.0 * n * s2 + 6.0 * s02)
    with np.errstate(divide="ignore", invalid="ignore"):
        vi_rand = float(np.float64(a - b) / ((n - 1.0) * (n - 2.0) * (n - 3.0) * s02) - ei * ei)
        z_norm = float((i_ - ei) / np.sqrt(np.float64(vi_norm)))
        z_rand = float((i_ - ei) / np.sqrt(np.float64(vi_rand)))
    return {"I": float(i_), "EI": ei, "VI_norm": float(vi_norm), "z_norm": z_norm,
            "p_norm": float(_two_sided(z_norm)), "VI_rand": vi_rand, "z_rand": z_rand,
            "p_rand": float(_two_sided(z_rand)), "s0": s0, "s1": s1, "s2": s2}


def _moran_sim(res, sims_larger, s1, s2, r):
    """Fill p_sim, EI_sim, z_sim, p_z_sim from the permutation counts."""
    res.p_sim = float(_fold(sims_larger, r))
    mean = s1 / r
    sd = math.sqrt(max(s2 / r - mean * mean, 0.0))
    res.EI_sim = mean
    res.z_sim = (res.I - mean) / sd if sd > 0 else math.nan
    res.p_z_sim = float(_norm_sf(abs(res.z_sim))) if sd > 0 else math.nan


def moran(values, weights, permutations=0, seed=None, transform="r", progress=None):
    """Global Moran's I (methods.md 10), equal to ``esda.Moran``.

    Parameters
    ----------
    values : array_like (n,)
        NaN values are not units (their links are dropped).
    weights : scipy.sparse matrix (n, n)
        Binary neighbour links (non-zero = link, diagonal ignored).
    permutations : int
        R random permutations of the values for the pseudo p-value
        p_sim = (min(M, R - M) + 1) / (R + 1), M = #(I_perm >= I) (esda's
        folded one-sided definition). 0: no permutation inference.
    seed : int or None
        Seed of the permutations (SplitMix64 streams); None draws
        one, reported in the result's ``seed``.
    transform : "r" or "b"
        Row-standardised (default) or binary weights.
    progress : Progress, optional
        Share of permutations done; cancels between batches of 128 permutations.

    Returns
    -------
    Moran
        I = n/S0 sum_ij w_ij z_i z_j / sum z_i^2 with z = x - mean;
        EI = -1/(n-1); VI_norm = (n^2 S1 - n S2 + 3 S0^2) / ((n^2 - 1) S0^2)
        - EI^2; VI_rand with the kurtosis b2 = n sum z^4 / (sum z^2)^2;
        z_* = (I - EI) / sqrt(VI_*), p_* two-sided normal.

    Raises
    ------
    ValueError
        Fewer than 3 units, or constant values.
    """
    t = _check_transform(transform)
    r = _check_permutations(permutations)
    x, keep, b, isl, nmiss = _prepare(values, weights, "Moran's I")
    y = x[keep]
    _check_units(y, "Moran's I")
    n = y.size
    z = y - y.mean()
    w = transform_weights(b, t)
    s0, s1, s2 = weight_sums(w)
    m2 = float(z @ z)
    res = Moran(**_moran_moments(n, s0, s1, s2, m2, float((z ** 4).sum()),
                                 float(z @ (w @ z))),
                n=n, islands=isl, n_missing=nmiss, permutations=r, transform=t)
    if r:
        res.seed = _resolve_seed(seed)
        cross = moran_permutations(z, b, t, r, res.seed, progress)
        _moran_sim_from(res, cross, n / s0 / m2)
    return res


# ------------------------------------------- conditional permutation engine
#
# SplitMix64 (Steele, Lea & Flood 2014): state += golden gamma, output =
# mix(state). Unit u starts at mix(base + key_u * gamma), base = mix(seed).
# A draw in [0, m) is floor(u53 * 2^-53 * m) from the top 53 bits: the same
# float64 operations in the numba and the numpy path, hence the same draws.

_MASK = (1 << 64) - 1
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_INV53 = 1.0 / 9007199254740992.0
_CHUNK_UNITS = 256          # units per numba task
_BATCH = 32                 # permutations drawn before their values are gathered
_NUMPY_BLOCK = 1 << 20      # draws (units x permutations x k) per numpy block


def _mix_int(z):
    z &= _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def _seed_base(seed):
    return np.uint64(_mix_int(int(seed) & _MASK))


def _mix_py(z):
    """SplitMix64 finaliser on uint64 (scalar in numba, arrays in numpy)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


_mix = njit(_mix_py)


@njit_parallel
def _crand_numba(pool, self_idx, zs, k, rstd, obs, keys, base, r,
                 larger, s1, s2):  # pragma: no cover - compiled
    nu = zs.shape[0]
    npool = pool.shape[0]
    kmax = 1
    for u in range(nu):
        kmax = max(kmax, k[u])
    nchunks = (nu + _CHUNK_UNITS - 1) // _CHUNK_UNITS
    for c in prange(nchunks):
        idx = np.empty(_BATCH * kmax, dtype=np.int64)
        for u in range(c * _CHUNK_UNITS, min(nu, (c + 1) * _CHUNK_UNITS)):
            ku = k[u]
            si = self_idx[u]
            nother = npool - 1 if si >= 0 else npool
            state = _mix(base + np.uint64(keys[u]) * _GOLDEN)
            zu = zs[u]
            ob = obs[u]
            cnt = 0
            a1 = 0.0
            a2 = 0.0
            done = 0
            while done < r:
                nb = min(_BATCH, r - done)
                # draw the indices of nb permutations (Floyd's algorithm) ...
                for b in range(nb):
                    first = b * ku
                    for j in range(ku):
                        m = nother - ku + j + 1          # t uniform in [0, m)
                        state = state + _GOLDEN
                        t = int(float(np.int64(_mix(state) >> _S11)) * _INV53 * m)
                        if t >= m:
                            t = m - 1
                        for q in range(first, first + j):
                            if idx[q] == t:
                                t = m - 1
                                break
                        idx[first + j] = t
                if si >= 0:
                    for q in range(nb * ku):
                        if idx[q] >= si:
                            idx[q] += 1
                # ... then gather them: independent loads, many in flight
                for b in range(nb):
                    acc = 0.0
                    for q in range(b * ku, b * ku + ku):
                        acc += pool[idx[q]]
                    if rstd:
                        val = zu * (acc / ku)
                    else:
                        val = zu * acc
                    if val >= ob:
                        cnt += 1
                    a1 += val
                    a2 += val * val
                done += nb
            larger[u] = cnt
            s1[u] = a1
            s2[u] = a2


def _crand_numpy(pool, self_idx, zs, k, rstd, obs, keys, base, r, larger, s1, s2):
    """The same draws and sums as :func:`_crand_numba`, vectorised over
    blocks of (units x permutations): SplitMix64 is counter based, so the
    state of draw j of permutation p of unit u is s0_u + (p k_u + j + 1) G."""
    npool = pool.shape[0]
    nu = zs.shape[0]
    kall = max(int(k.max()), 1)
    cu = max(1, min(nu, 4096, _NUMPY_BLOCK // kall))
    nb = max(1, min(r, _NUMPY_BLOCK // (cu * kall)))
    for a in range(0, nu, cu):
        sl = slice(a, a + cu)
        kc, si, zc, oc = k[sl][:, None], self_idx[sl][:, None], zs[sl][:, None], obs[sl][:, None]
        nother = np.where(si >= 0, npool - 1, npool)
        s0 = _mix_py(base + keys[sl].astype(np.uint64) * _GOLDEN)[:, None]
        kmax = int(kc.max())
        cnt = np.zeros(kc.shape[0], dtype=np.int64)
        a1 = np.zeros(kc.shape[0])
        a2 = np.zeros(kc.shape[0])
        for p0 in range(0, r, nb):
            perm = np.arange(p0, min(r, p0 + nb), dtype=np.uint64)[None, :]
            first = perm * kc.astype(np.uint64)              # draws before this permutation
            sel = np.zeros((kc.shape[0], perm.shape[1], kmax), dtype=np.int64)
            acc = np.zeros((kc.shape[0], perm.shape[1]))
            for j in range(kmax):
                act = j < kc
                m = nother - kc + j + 1
                state = s0 + (first + np.uint64(j + 1)) * _GOLDEN
                u53 = (_mix_py(state) >> _S11).astype(np.int64).astype(np.float64)
                t = (u53 * _INV53 * m).astype(np.int64)
                t = np.where(t >= m, m - 1, t)
                if j:
                    dup = (sel[:, :, :j] == t[:, :, None]).any(axis=2)
                    t = np.where(dup, m - 1, t)
                sel[:, :, j] = t
                t = t + ((si >= 0) & (t >= si))
                acc = acc + np.where(act, pool[np.where(act, t, 0)], 0.0)
            val = zc * (acc / kc) if rstd else zc * acc
            cnt += (val >= oc).sum(axis=1)
            # strictly sequential sums, as the numba loop
            a1 = np.cumsum(np.concatenate([a1[:, None], val], axis=1), axis=1)[:, -1]
            a2 = np.cumsum(np.concatenate([a2[:, None], val * val], axis=1), axis=1)[:, -1]
        larger[sl], s1[sl], s2[sl] = cnt, a1, a2


def conditional_permutations(pool, self_idx, zs, k, rstd, obs, keys, seed, permutations):
    """Conditional randomisation of local Moran for a batch of units.

    Unit u: ``k[u]`` values are drawn without replacement from ``pool``
    (leaving out position ``self_idx[u]``, -1 for none) and
    I_perm = zs[u] * sum(draws) / k[u] (``rstd``) or zs[u] * sum(draws),
    the sum taken in float64 over the pool values stored as float32 (half
    the memory traffic of the random reads, about 1.5x faster on a 10^6 unit
    pool; the rounding, <= 6e-8 relative, is far below Monte-Carlo error),
    ``permutations`` times with the random stream keyed by (seed, keys[u]).
    Returns (larger, sum, sum of squares) of I_perm per unit: int64,
    float64, float64. Numba (parallel over units) or numpy, same numbers.
    """
    nu = len(zs)
    larger = np.zeros(nu, dtype=np.int64)
    s1 = np.zeros(nu)
    s2 = np.zeros(nu)
    if nu == 0 or permutations == 0:
        return larger, s1, s2
    args = (np.ascontiguousarray(pool, dtype=np.float32),
            np.ascontiguousarray(self_idx, dtype=np.int64),
            np.ascontiguousarray(zs, dtype=np.float64),
            np.ascontiguousarray(k, dtype=np.int64), bool(rstd),
            np.ascontiguousarray(obs, dtype=np.float64),
            np.ascontiguousarray(keys, dtype=np.int64), _seed_base(seed), int(permutations),
            larger, s1, s2)
    if use_numba():
        _crand_numba(*args)
    else:
        _crand_numpy(*args)
    return larger, s1, s2


def _permute_chunked(pool, self_idx, zs, k, rstd, obs, keys, seed, r, progress=None,
                     done=0, total=None):
    """:func:`conditional_permutations` in chunks of about 4 million
    (unit, permutation) pairs, checking for cancellation and reporting
    ``(done + units finished) / total`` between chunks. Same numbers."""
    nu = len(zs)
    step = max(1, int(4e6 // max(r, 1)))     # ~4e6 pairs: well under a second a chunk
    if progress is not None:
        progress.check()
    if progress is None or nu <= step:
        out = conditional_permutations(pool, self_idx, zs, k, rstd, obs, keys, seed, r)
        if progress is not None and total:
            progress.set(100.0 * (done + nu) / total)
        return out
    larger = np.empty(nu, dtype=np.int64)
    s1 = np.empty(nu)
    s2 = np.empty(nu)
    for a in range(0, nu, step):
        progress.check()
        sl = slice(a, a + step)
        larger[sl], s1[sl], s2[sl] = conditional_permutations(
            pool, self_idx[sl], zs[sl], k[sl], rstd, obs[sl], keys[sl], seed, r)
        progress.set(100.0 * (done + min(nu, a + step)) / (total or nu))
    return larger, s1, s2


def _sim_fields(obs, larger, s1, s2, r):
    p = _fold(larger, r)
    mean = s1 / r
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(np.maximum(s2 / r - mean * mean, 0.0))
        z = np.where(sd > 0, (obs - mean) / sd, np.nan)
    return p, z, _norm_sf(np.abs(z))


# ---------------------------------------------------------------- local Moran

# ------------------------------------------- global Moran permutation engine
#
# Each permutation p is a Fisher-Yates shuffle of z driven by its own
# counter-based SplitMix64 stream, s_p = mix(base + (p + 1) G): the swap at
# position i (i = n - 1 down to 1, step k = n - i) takes
# j = floor(u (i + 1) / 2^64) (exact, from 32-bit halves), u = mix(s_p + k G).
# The cross product z_p' W z_p is then summed over the links of
# ``_moran_links`` in a fixed order, so the numba path (4 permutations per
# pass over the links, parallel over groups of 4) and the numpy path (a
# batch of permutations, one vectorised swap per step) give identical I_perm
# for any number of threads. (A bucketed Rao-Sandelius shuffle, tried for
# cache locality, was no faster: the shuffle is bound by its arithmetic.)

_GM_GROUP = 4               # permutations per numba task (one pass over the links)
_GM_CALL = 128              # permutations per kernel call (progress and cancel between)
_GM_NUMPY_BYTES = 256 << 20  # the numpy path's batch of permuted copies
_LO32 = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)


def _moran_links(b, t):
    """(indptr, indices, coef) with z' W z = sum_i z_i sum_q coef_q z_{indices_q}.
    Symmetric links: the upper triangle with coef = w_ij + w_ji (half the
    links); otherwise every link with coef = w_ij."""
    from scipy import sparse
    b = sparse.csr_matrix(b)
    b.sort_indices()
    n = b.shape[0]
    deg = np.diff(b.indptr)
    rw = 1.0 / np.maximum(deg, 1) if t == "r" else np.ones(n)
    rows = np.repeat(np.arange(n, dtype=np.int64), deg)
    bt = b.T.tocsr()
    bt.sort_indices()
    if np.array_equal(bt.indptr, b.indptr) and np.array_equal(bt.indices, b.indices):
        up = b.indices > rows
        cols = b.indices[up]
        coef = rw[rows[up]] + rw[cols]
        ptr = np.concatenate([[0], np.cumsum(np.bincount(rows[up], minlength=n))])
    else:
        cols = b.indices
        coef = rw[rows]
        ptr = b.indptr
    return (np.ascontiguousarray(ptr, dtype=np.int64),
            np.ascontiguousarray(cols, dtype=np.int32),
            np.ascontiguousarray(coef, dtype=np.float64))


@njit
def _fisher_yates(buf, state):  # pragma: no cover - compiled
    n = buf.shape[0]
    for i in range(n - 1, 0, -1):
        state = state + _GOLDEN
        u = _mix(state)
        m = np.uint64(i + 1)
        j = int(((u >> _S32) * m + (((u & _LO32) * m) >> _S32)) >> _S32)
        a = buf[i]
        buf[i] = buf[j]
        buf[j] = a


@njit_parallel
def _gm_perm_numba(z, ptr, idx, coef, base, p0, r, out):  # pragma: no cover - compiled
    n = z.shape[0]
    ngroups = (r + _GM_GROUP - 1) // _GM_GROUP
    for g in prange(ngroups):
        # one contiguous buffer per permutation (each shuffled in place, in
        # cache), then one pass over the links for the group
        bufs = np.empty((_GM_GROUP, n))
        for b in range(_GM_GROUP):
            bufs[b, :] = z
            p = g * _GM_GROUP + b
            if p < r:
                _fisher_yates(bufs[b], _mix(base + np.uint64(p0 + p + 1) * _GOLDEN))
        acc = np.zeros(_GM_GROUP)
        s = np.zeros(_GM_GROUP)
        for i in range(n):
            s[:] = 0.0
            for q in range(ptr[i], ptr[i + 1]):
                j = idx[q]
                c = coef[q]
                for b in range(_GM_GROUP):
                    s[b] += c * bufs[b, j]
            for b in range(_GM_GROUP):
                acc[b] += bufs[b, i] * s[b]
        for b in range(_GM_GROUP):
            if g * _GM_GROUP + b < r:
                out[g * _GM_GROUP + b] = acc[b]


def _gm_shuffle_numpy(z, states):
    """:func:`_fisher_yates` of ``z`` for a batch of streams: (n, batch)."""
    n = z.shape[0]
    m = states.shape[0]
    zz = np.repeat(z[:, None], m, axis=1)
    flat = zz.reshape(-1)
    cols = np.arange(m, dtype=np.int64)
    for k0 in range(1, n, 4096):
        steps = np.arange(k0, min(n, k0 + 4096), dtype=np.uint64)
        u = _mix_py(states[None, :] + steps[:, None] * _GOLDEN)
        ii = n - steps.astype(np.int64)
        mm = (ii + 1).astype(np.uint64)[:, None]
        jj = (((u >> _S32) * mm + (((u & _LO32) * mm) >> _S32)) >> _S32).astype(np.int64)
        fj = jj * m + cols[None, :]
        for k, i in enumerate(ii.tolist()):
            row = slice(i * m, i * m + m)
            a = flat[row].copy()
            flat[row] = flat[fj[k]]
            flat[fj[k]] = a
    return zz


def _gm_perm_numpy(z, ptr, idx, coef, base, p0, r, out):
    """:func:`_gm_perm_numba` vectorised over a batch of permutations: the
    same swaps and the same sums in the same order."""
    n = z.shape[0]
    nb = max(1, min(r, _GM_NUMPY_BYTES // (24 * max(n, 1))))
    deg = np.diff(ptr)
    kmax = int(deg.max()) if n else 0
    rows_step = max(1, (1 << 20) // nb)
    for a in range(0, r, nb):
        m = min(nb, r - a)
        states = _mix_py(base + (np.arange(p0 + a, p0 + a + m, dtype=np.uint64)
                                 + np.uint64(1)) * _GOLDEN)
        zz = _gm_shuffle_numpy(z, states)
        acc = np.zeros(m)
        for r0 in range(0, n, rows_step):
            r1 = min(n, r0 + rows_step)
            start, d = ptr[r0:r1], deg[r0:r1]
            srow = np.zeros((r1 - r0, m))
            for k in range(kmax):
                act = k < d
                if not act.any():
                    break
                q = np.where(act, start + k, 0)
                srow = srow + np.where(act[:, None], coef[q][:, None] * zz[idx[q]], 0.0)
            contrib = zz[r0:r1] * srow
            acc = np.add.accumulate(np.concatenate([acc[None, :], contrib]), axis=0)[-1]
        out[a:a + m] = acc


def moran_permutations(z, b, transform, r, seed, progress=None):
    """I_perm / scale (z_p' W z_p) of ``r`` random permutations of ``z``
    (float64, centred) under the binary links ``b`` among them, with the
    stream keyed by ``seed``: the same numbers from numba and numpy, for any
    number of threads. Cancels and reports between calls of 128
    permutations."""
    z = np.ascontiguousarray(z, dtype=np.float64)
    if z.size >= 2**31:
        raise InputError(f"{z.size} units: permutations handle fewer than 2^31")
    ptr, idx, coef = _moran_links(b, transform)
    base = _seed_base(seed)
    out = np.empty(r)
    kern = _gm_perm_numba if use_numba() else _gm_perm_numpy
    for p0 in range(0, r, _GM_CALL):
        if progress is not None:
            progress.check()
            progress.set(100.0 * p0 / r)
        m = min(_GM_CALL, r - p0)
        part = np.empty(m)
        kern(z, ptr, idx, coef, base, p0, m, part)
        out[p0:p0 + m] = part
    return out


def _moran_sim_from(res, cross, scale):
    """p_sim and the simulated moments from the permutations' cross products
    (sums in permutation order)."""
    ips = scale * cross
    larger = int((ips >= res.I).sum())
    a1 = float(np.add.accumulate(ips)[-1])
    a2 = float(np.add.accumulate(ips * ips)[-1])
    _moran_sim(res, larger, a1, a2, ips.size)


def local_moran(values, weights, permutations=999, seed=None, transform="r", progress=None):
    """Local Moran's I_i (LISA), equal to ``esda.Moran_Local`` (methods.md 10).

    I_i = (n - 1) z_i sum_j w_ij z_j / sum_k z_k^2, z = x - mean (esda's
    scaling; Anselin 1995's I_i are n/(n-1) times larger). ``q``: 1 HH, 2 LH,
    3 LL, 4 HL (esda). With ``permutations`` R > 0: conditional permutation
    pseudo p-values p_sim = (min(M, R - M) + 1)/(R + 1), M = #(I_perm >= I_i),
    each unit's neighbours drawn from the other n - 1 units; per-unit random
    streams from ``seed`` (independent of threads; numba and numpy paths give
    identical p_sim). Units left out (NaN, islands) get NaN and q = -128.
    ``progress`` (a :class:`~carbonsink.core.progress.Progress`) gets the
    share of units done and can cancel between chunks of units.
    """
    t = _check_transform(transform)
    r = _check_permutations(permutations)
    x, keep, b, isl, nmiss = _prepare(values, weights, "Local Moran")
    y = x[keep]
    _check_units(y, "Local Moran")
    n = y.size
    z = y - y.mean()
    den = float(z @ z)
    k = np.diff(b.indptr).astype(np.int64)
    lsum = b @ z
    lag = lsum / k if t == "r" else lsum
    zs = z * ((n - 1) / den)
    is_ = zs * lag
    out = LocalMoran(*(np.full(x.size, np.nan) for _ in range(5)), n=n, islands=isl,
                     n_missing=nmiss, permutations=r, transform=t)
    out.Is[keep] = is_
    out.q = np.full(x.size, NODATA_CLASS, dtype=np.int8)
    out.q[keep] = quadrant(z, lag)
    if r:
        out.seed = _resolve_seed(seed)
        idx = np.arange(n, dtype=np.int64)
        larger, s1, s2 = _permute_chunked(z, idx, zs, k, t == "r", is_, idx, out.seed, r,
                                          progress)
        p, zsim, pz = _sim_fields(is_, larger, s1, s2, r)
        out.p_sim[keep], out.z_sim[keep], out.p_z_sim[keep] = p, zsim, pz
    return out


# ---------------------------------------------------------------- Getis-Ord

def _gistar(lsum_z, z, k, n, sd):
    """Gi* z from the neighbour sum of deviations (binary, w_ii = 1)."""
    wi = k + 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        return (lsum_z + z) / (sd * np.sqrt((n * wi - wi * wi) / (n - 1.0)))


def getis_ord(values, weights, star=True):
    """Getis-Ord local statistic as a z-score (methods.md 10).

    ``star=True`` (Gi*, hot and cold spots): binary weights with w_ii = 1,
    z_i = (sum_j w_ij x_j - mean W_i) / (s sqrt((n W_i - W_i^2)/(n - 1))),
    W_i = k_i + 1, s = sqrt(sum (x - mean)^2 / n): esda's
    G_Local(star=True, transform="B").Zs when the mean is positive.
    ``star=False`` (Gi): i excluded from its neighbour sum, and the mean and
    variance are those of the other n - 1 units (esda's G_Local, "B").
    ``pvalue`` is two-sided normal. Weights are always binary: the
    Getis-Ord z is not defined for row-standardised weights.
    """
    x, keep, b, isl, nmiss = _prepare(values, weights, "Getis-Ord")
    y = x[keep]
    _check_units(y, "Getis-Ord")
    n = y.size
    z = y - y.mean()
    k = np.diff(b.indptr).astype(np.float64)
    lsum = b @ z
    if star:
        g = _gistar(lsum, z, k, n, math.sqrt(float(z @ z) / n))
    else:
        nn = n - 1.0
        d = z / nn                                   # mean - mean of the others
        var = (float(z @ z) - z * z) / nn - d * d    # variance of the others
        with np.errstate(invalid="ignore", divide="ignore"):
            g = (lsum + k * d) / (np.sqrt(var) * np.sqrt(k * (nn - k) / (nn - 1.0)))
    out = GetisOrd(np.full(x.size, np.nan), np.full(x.size, np.nan), n=n, islands=isl,
                   n_missing=nmiss, star=bool(star))
    out.z[keep] = g
    out.pvalue[keep] = _two_sided(g)
    return out


# ------------------------------------------------------------------ classes

def cluster_class(q, p_sim, alpha=0.05, fdr=False):
    """LISA cluster map codes (GeoDa): 0 not significant, 1 High-High,
    2 Low-Low, 3 Low-High, 4 High-Low; -128 nodata.

    ``q`` esda quadrants (1 HH, 2 LH, 3 LL, 4 HL), significant when
    p_sim < alpha (esda's rule). With ``fdr`` the p-values are replaced by
    Benjamini-Hochberg q-values over all finite p_sim first.
    """
    q = np.asarray(q)
    p = np.asarray(p_sim, dtype=np.float64)
    if fdr:
        p = fdr_bh(p)
    code = np.array([0, 1, 3, 2, 4], dtype=np.int8)        # esda q -> GeoDa
    qi = np.where((q >= 1) & (q <= 4), q, 0).astype(np.intp)
    ok = (qi > 0) & np.isfinite(p)
    with np.errstate(invalid="ignore"):
        sig = p < alpha
    return np.where(ok, np.where(sig, code[qi], 0), NODATA_CLASS).astype(np.int8)


def hotspot_class(z, p):
    """Hot and cold spot classes from Gi* z and p: 3 / -3 at 99 %
    confidence (p < 0.01), 2 / -2 at 95 % (p < 0.05), 1 / -1 at 90 %
    (p < 0.10), 0 not significant; the sign is that of z; -128 nodata.
    Pass FDR q-values as ``p`` for a field-significance version."""
    z = np.asarray(z, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        level = np.where(p < 0.01, 3, np.where(p < 0.05, 2, np.where(p < 0.10, 1, 0)))
    bad = np.isnan(z) | np.isnan(p)
    return np.where(bad, NODATA_CLASS, np.sign(np.where(bad, 0, z)) * level).astype(np.int8)


# =================================================================== rasters
#
# Every raster function reads one band of a RasterStack window by window.
# A window is read with a halo of 1 (2 for global Moran's S1/S2 with
# row-standardised weights) pixels, NaN outside the grid. Contiguity among
# valid pixels comes from shifted views of the padded window.

def _shifted(a, dr, dc, m=1):
    """View of ``a`` shrunk by ``m`` on every side and moved by (dr, dc)."""
    rows, cols = a.shape
    return a[m + dr:rows - m + dr, m + dc:cols - m + dc]


def local_moran_window(v, offs, mean, scaling, rstd):
    """Local Moran of the inner pixels of a window ``v`` read with a 1-pixel
    halo: (unit mask, z, neighbour counts, spatial lag, scaled z, I_i) of the
    units (valid pixels with at least one valid neighbour). Shared by the
    raster streaming pass and the dask version."""
    valid = np.isfinite(v)
    k = _counts(valid, offs)
    unit = valid[1:-1, 1:-1] & (k > 0)
    znb = np.where(valid, v - mean, 0.0)
    z = znb[1:-1, 1:-1][unit]
    ku = k[unit]
    lsum = _neighbour_sum(znb, offs)[unit]
    lag = lsum / ku if rstd else lsum
    zs = z * scaling
    return unit, z, ku, lag, zs, zs * lag


def _counts(valid, offs):
    """Valid neighbours of every cell of ``valid`` shrunk by one pixel."""
    k = np.zeros((valid.shape[0] - 2, valid.shape[1] - 2), dtype=np.int64)
    for dr, dc in offs:
        k += _shifted(valid, dr, dc)
    return k


def _neighbour_sum(a, offs):
    """Sum of ``a`` over the neighbours, in the order of ``offs`` (the CSR
    column order of grid_weights, so sums equal its matrix product)."""
    acc = np.zeros((a.shape[0] - 2, a.shape[1] - 2))
    for dr, dc in offs:
        acc += _shifted(a, dr, dc)
    return acc


def _band(stack, band):
    b = int(band)
    if not 1 <= b <= stack.n:
        raise InputError(f"{stack.name} has {stack.n} band(s): band {band} does not exist")
    return b - 1


def _read_halo(stack, band, x, y, w, h, halo):
    """Window (x, y, w, h) of one band plus ``halo`` pixels on every side,
    float64 with NaN for missing values and outside the grid."""
    g = stack.grid
    x0, y0 = max(0, x - halo), max(0, y - halo)
    x1, y1 = min(g.cols, x + w + halo), min(g.rows, y + h + halo)
    out = np.full((h + 2 * halo, w + 2 * halo), np.nan)
    a = stack.read(x0, y0, x1 - x0, y1 - y0)[band]
    out[y0 - y + halo:y1 - y + halo, x0 - x + halo:x1 - x + halo] = a
    return out


def _windows(stack, memory_mb, work_bytes):
    from .io import plan_windows
    g = stack.grid
    return plan_windows(g.cols, g.rows, stack.block, 8 * stack.n + work_bytes, memory_mb)


def _stream(stack, band, halo, func, progress, memory_mb, work_bytes=160, specs=None,
            cache_mb=64, report=True):
    """Call ``func(padded_window, (x, y, w, h))`` for every window; with
    ``specs`` (name -> OutputSpec) write the dict it returns and return
    name -> path (atomic: nothing is left on failure). ``report=False``:
    ``func`` reports progress itself."""
    from .io import capped_gdal_cache
    from .progress import as_progress
    progress = as_progress(progress)
    wins = _windows(stack, memory_mb, work_bytes)
    writers = {}
    with capped_gdal_cache(cache_mb):
        return _stream_windows(stack, band, halo, func, progress, specs, report, wins, writers)


def _stream_windows(stack, band, halo, func, progress, specs, report, wins, writers):
    from .io import RasterWriter
    try:
        for name, spec in (specs or {}).items():
            writers[name] = RasterWriter(spec, stack.grid)
        for i, win in enumerate(wins):
            progress.check()
            res = func(_read_halo(stack, band, *win, halo), win)
            for name, wr in writers.items():
                wr.write(win[0], win[1], res[name])
            if report:
                progress.set(100.0 * (i + 1) / len(wins))
        progress.check()
        return {name: wr.commit() for name, wr in writers.items()}
    except BaseException:
        for wr in writers.values():
            wr.abort()
        raise


class _Pass1:
    """First pass: units (valid pixels with a valid neighbour), their count,
    mean and M2 (Chan et al. pairwise update of per-window two-pass sums),
    islands, and units per (row, window column) for row-major ranks."""

    def __init__(self, stack, offs, wins):
        self.offs = offs
        self.cols = stack.grid.cols
        self.xoffs = sorted({w[0] for w in wins})
        self.seg = np.zeros((stack.grid.rows, len(self.xoffs)), dtype=np.int64)
        self.n, self.mean, self.m2 = 0, 0.0, 0.0
        self.islands = []
        self.n_missing = 0
        self.lo, self.hi = math.inf, -math.inf

    def __call__(self, v, win):
        x, y, w, h = win
        valid = np.isfinite(v)
        k = _counts(valid, self.offs)
        vin = valid[1:-1, 1:-1]
        self.n_missing += int(vin.size - np.count_nonzero(vin))
        unit = vin & (k > 0)
        isl = np.flatnonzero(vin & (k == 0))
        if isl.size:
            self.islands.append((y + isl // w) * self.cols + x + isl % w)
        self.seg[y:y + h, self.xoffs.index(x)] = unit.sum(axis=1)
        vals = v[1:-1, 1:-1][unit]
        nw = vals.size
        if nw:
            self.lo, self.hi = min(self.lo, vals.min()), max(self.hi, vals.max())
            mw = vals.mean()
            m2w = float(((vals - mw) ** 2).sum())
            tot = self.n + nw
            d = mw - self.mean
            self.mean += d * nw / tot
            self.m2 += m2w + d * d * self.n * nw / tot
            self.n = tot

    def finish(self, what):
        isl = np.concatenate(self.islands) if self.islands else np.empty(0, np.int64)
        self.islands = np.sort(isl)
        flat = self.seg.ravel()
        self.start = (np.cumsum(flat) - flat).reshape(self.seg.shape)
        if self.n < 3:
            raise InputError(f"{what}: {self.n} valid pixel(s) with a valid neighbour; "
                             "at least 3 are needed")
        if self.lo == self.hi:
            raise InputError(f"{what}: all {self.n} valid pixels have the same value "
                             f"({self.lo:g}): spatial autocorrelation is undefined for "
                             "constant values")
        self.std = math.sqrt(self.m2 / self.n)

    def ranks(self, unit, win):
        """Row-major rank among all units of each unit of a window."""
        x, y, _, h = win
        row0 = self.start[y:y + h, self.xoffs.index(x)]
        return (row0[:, None] + np.cumsum(unit, axis=1) - 1)[unit]


def _pass1(stack, band, contiguity, what, progress, memory_mb):
    offs = offsets(contiguity)
    p1 = _Pass1(stack, offs, _windows(stack, memory_mb, 160))
    _stream(stack, band, 1, p1, progress, memory_mb)
    p1.finish(what)
    return p1


def moran_raster(stack, contiguity="queen", transform="r", permutations=0, seed=None,
                 band=1, progress=None, memory_mb=256):
    """Global Moran's I of one band of a raster (methods.md 10), streamed.

    Units are the valid pixels; rook (4) or queen (8) contiguity among them;
    pixels without a valid neighbour are islands (reported as flat indices
    in ``islands``, left out). Pass 1: n and mean. Pass 2 (2-pixel halo):
    sum z^2, sum z^4, sum_ij w_ij z_i z_j, S0, S1, S2 (row-standardised:
    S0 = n, S1 = 1/2 sum over links (1/k_i + 1/k_j)^2, S2 = sum_i (1 +
    sum_j 1/k_j)^2; binary: S0 = sum k, S1 = 2 S0, S2 = 4 sum k^2). The
    result equals :func:`moran` on ``grid_weights`` of the same grid.

    ``permutations`` > 0 needs the band in memory (about 400 bytes per
    pixel, checked against ``memory_mb``): the values are permuted with the
    same stream as :func:`moran` (so the same seed gives the same p_sim).
    For large rasters the randomisation z (``z_rand``) is the practical test.
    """
    from .progress import as_progress
    progress = as_progress(progress)
    t = _check_transform(transform)
    r = _check_permutations(permutations)
    bi = _band(stack, band)
    g = stack.grid
    need = g.rows * g.cols * (400 + 8 * (stack.n - 1))
    if r and need > memory_mb * 2**20:
        raise InputError(
            f"permutations for global Moran's I need the whole raster in memory: about "
            f"{need / 2**20:.0f} MB for {g.cols} x {g.rows} pixels, more "
            f"than the {memory_mb} MB allowed; raise the memory limit or use the "
            "randomisation z (z_rand), which is accurate for many pixels")
    offs = offsets(contiguity)
    p1 = _pass1(stack, bi, contiguity, "Moran's I", progress.scaled(0, 30 if r else 50),
                memory_mb)
    mean = p1.mean
    acc = {"m2": 0.0, "m4": 0.0, "cross": 0.0, "s0": 0.0, "s1": 0.0, "s2": 0.0}

    def func(v, win):
        valid = np.isfinite(v)
        k1 = _counts(valid, offs)                       # ring-1 region
        unit1 = valid[1:-1, 1:-1] & (k1 > 0)
        z1 = np.where(unit1, v[1:-1, 1:-1] - mean, 0.0)
        unit, k, z = unit1[1:-1, 1:-1], k1[1:-1, 1:-1], z1[1:-1, 1:-1]
        lsum = _neighbour_sum(z1, offs)[unit]
        zu, ku = z[unit], k[unit].astype(np.float64)
        acc["m2"] += float((zu * zu).sum())
        acc["m4"] += float((zu ** 4).sum())
        if t == "r":
            acc["cross"] += float((zu * (lsum / ku)).sum())
            acc["s0"] += float(zu.size)
            inv1 = np.where(unit1, 1.0 / np.maximum(k1, 1), 0.0)
            inv = inv1[1:-1, 1:-1]
            s1 = np.zeros(unit.shape)
            col = np.zeros(unit.shape)
            for dr, dc in offs:
                nb = _shifted(inv1, dr, dc)
                s1 += np.where(nb > 0, (inv + nb) ** 2, 0.0)
                col += nb
            acc["s1"] += 0.5 * float(s1[unit].sum())
            acc["s2"] += float(((1.0 + col[unit]) ** 2).sum())
        else:
            acc["cross"] += float((zu * lsum).sum())
            acc["s0"] += float(ku.sum())
            acc["s1"] += 2.0 * float(ku.sum())
            acc["s2"] += 4.0 * float((ku * ku).sum())

    _stream(stack, bi, 2, func, progress.scaled(30 if r else 50, 60 if r else 100),
            memory_mb, work_bytes=200)
    res = Moran(**_moran_moments(p1.n, acc["s0"], acc["s1"], acc["s2"], acc["m2"],
                                 acc["m4"], acc["cross"]),
                n=p1.n, islands=p1.islands, n_missing=p1.n_missing, permutations=r,
                transform=t)
    if r:
        res.seed = _resolve_seed(seed)
        _raster_moran_permutations(stack, bi, contiguity, t, res, progress.scaled(60, 100))
    return res


def _raster_moran_permutations(stack, bi, contiguity, t, res, progress):
    """p_sim of a raster's Moran's I, whole band in memory: the units and
    links of :func:`moran` on ``grid_weights`` of the grid, so the same seed
    gives the same permutations and p_sim as the vector path."""
    from .weights import grid_weights
    g = stack.grid
    v = _read_halo(stack, bi, 0, 0, g.cols, g.rows, 0)
    x, keep, b, _, _ = _prepare(v.ravel(), grid_weights(g.rows, g.cols, contiguity,
                                                         np.isfinite(v)), "Moran's I")
    del v
    y = x[keep]
    del x, keep
    z = y - y.mean()
    s0 = float(transform_weights(b, t).sum())
    cross = moran_permutations(z, b, t, res.permutations, res.seed, progress)
    _moran_sim_from(res, cross, res.n / s0 / float(z @ z))


def _output_specs(outputs, floats, classes, allowed):
    from .io import OutputSpec, StackError
    unknown = {k for k, v in outputs.items() if v} - set(allowed)
    if unknown:
        raise StackError(f"unknown output(s) {', '.join(sorted(unknown))}; choose from "
                         f"{', '.join(allowed)}")
    specs = {}
    for key, desc in floats.items():
        if outputs.get(key):
            specs[key] = OutputSpec(outputs[key], descriptions=[desc])
    for key, desc in classes.items():
        if outputs.get(key):
            specs[key] = OutputSpec(outputs[key], dtype="int8", nodata=NODATA_CLASS,
                                    descriptions=[desc])
    if not specs:
        raise StackError("no output was asked for")
    return specs


def _folder_of(outputs):
    from .io import StackError
    first = next(v for v in outputs.values() if v)
    folder = os.path.dirname(os.path.abspath(first))
    if not os.path.isdir(folder):
        raise StackError(f"cannot write {first}: folder {folder} does not exist")
    return folder


def lisa_rasters(stack, outputs, contiguity="queen", transform="r", permutations=999,
                 seed=None, alpha=0.05, fdr=False, band=1, pool_mb=None, progress=None,
                 memory_mb=256):
    """Local Moran (LISA) of one band of a raster, streamed (methods.md 10).

    ``outputs`` maps any of ``Is`` (float32), ``q`` (esda quadrant 1 HH, 2
    LH, 3 LL, 4 HL; int8), ``p_sim``, ``z_sim`` (float32) and ``cluster``
    (GeoDa codes 0 not significant, 1 HH, 2 LL, 3 LH, 4 HL at ``alpha``;
    int8) to GeoTIFF paths. With ``fdr`` the cluster map uses exact
    Benjamini-Hochberg q-values of all p_sim (p_sim takes R + 1 values, so
    the q-values come from a histogram of the permutation counts: one more
    pass over the written p_sim and q rasters).

    Passes: 1. units, n, mean, variance (1-pixel halo); 2. when permuting,
    the pool of the z values of all units in row-major order; 3. I_i, q and
    the conditional permutations, written. Each pixel's neighbour values are
    drawn from ALL other units of the raster, as esda draws from the n - 1
    other units; the pool holds them (as float32, see
    :func:`conditional_permutations`) when n * 4 bytes fit in ``pool_mb``
    (default ``memory_mb``: 256 MB hold 67 million units, an 8000 x 8000
    raster). Beyond that the pool is a uniform random sample of about
    pool_mb / 4 units (each unit kept with probability pool / n by a seeded hash of its
    rank; the pixel itself is left out when it is in the sample; the sample
    order follows the windows, so sampled results also depend on
    ``memory_mb``); ``RasterInfo.sampled`` says so. Random streams are keyed by the
    row-major rank of each unit, so the outputs equal
    :func:`local_moran` on ``grid_weights`` of the same grid with the same
    seed, for any window size and number of threads.

    Permutations run only when p_sim, z_sim or cluster is asked for.
    Returns (name -> path, :class:`RasterInfo`).
    """
    from .io import OutputSpec, RasterStack, StackError
    from .progress import as_progress
    progress = as_progress(progress)
    t = _check_transform(transform)
    r = _check_permutations(permutations)
    bi = _band(stack, band)
    offs = offsets(contiguity)
    outputs = {k: v for k, v in outputs.items() if v}
    specs = _output_specs(outputs, {"Is": "local Moran I", "p_sim": "pseudo p-value",
                                    "z_sim": "z of I in the permutations"},
                          {"q": "quadrant", "cluster": "LISA cluster"},
                          ("Is", "q", "p_sim", "z_sim", "cluster"))
    need_perm = any(k in specs for k in ("p_sim", "z_sim", "cluster"))
    if need_perm and not r:
        raise StackError("p_sim, z_sim and the cluster map need permutations (e.g. 999)")
    if not need_perm:
        r = 0                       # Is and q only: no permutation work
    cut = (0, 10, 20, 90 if fdr and "cluster" in specs else 100)
    p1 = _pass1(stack, bi, contiguity, "Local Moran", progress.scaled(cut[0], cut[1]),
                memory_mb)
    n, mean = p1.n, p1.mean
    seed = _resolve_seed(seed) if r else None
    info = RasterInfo(n, p1.islands.size, p1.islands, mean, p1.std, contiguity,
                      n_missing=p1.n_missing, permutations=r, seed=seed)
    frac = None                     # fraction of units in a sampled pool
    cursor = [0, 0, 0]              # pool filled (pass 2) / met (pass 3), units done
    if r:
        budget = (memory_mb if pool_mb is None else pool_mb) * 2**20
        if n * 4 <= budget:
            pool = np.empty(n, dtype=np.float32)
        else:
            size = max(int(budget // 4), 1000)
            frac = size / n
            pool = np.empty(int(size + 6 * math.sqrt(size) + 16), dtype=np.float32)
        sbase = _seed_base(seed ^ 0x5DEECE66D)

        def in_sample(rk):
            u = _mix_py(sbase + rk.astype(np.uint64) * _GOLDEN) >> _S11
            return u.astype(np.float64) * _INV53 < frac

        def fill(v, win):
            valid = np.isfinite(v)
            unit = valid[1:-1, 1:-1] & (_counts(valid, offs) > 0)
            rk = p1.ranks(unit, win)
            zz = v[1:-1, 1:-1][unit] - mean
            if frac is None:
                pool[rk] = zz
            else:
                zz = zz[in_sample(rk)][:pool.size - cursor[0]]
                pool[cursor[0]:cursor[0] + zz.size] = zz
                cursor[0] += zz.size

        _stream(stack, bi, 1, fill, progress.scaled(cut[1], cut[2]), memory_mb)
        if frac is not None:
            pool = pool[:cursor[0]]
        info.pool, info.sampled = pool.size, frac is not None
    scaling = (n - 1) / p1.m2
    rstd = t == "r"
    counts = np.zeros(r // 2 + 1, dtype=np.int64) if r else None
    folder = _folder_of(outputs)
    temps = []
    want_fdr = fdr and "cluster" in specs
    main_specs = dict(specs)
    if want_fdr:
        main_specs.pop("cluster")
        for key, dtype, nd in (("p_sim", "float32", -9999.0), ("q", "int8", NODATA_CLASS)):
            if key not in main_specs:
                tmp = scratch_tif(folder, key)
                temps.append(tmp)
                main_specs[key] = OutputSpec(tmp, dtype=dtype, nodata=nd)

    def func(v, win):
        unit, z, ku, lag, zs, is_ = local_moran_window(v, offs, mean, scaling, rstd)
        shape = unit.shape
        res = {}
        if "Is" in main_specs:
            res["Is"] = _scatter(is_, unit, shape)
        qq = quadrant(z, lag)
        if "q" in main_specs or "cluster" in main_specs:
            res["q"] = _scatter(qq, unit, shape, NODATA_CLASS, np.int8)
        if r:
            rk = p1.ranks(unit, win)
            if frac is None:
                self_idx = rk
            else:                   # same selection and order as in fill()
                sel = in_sample(rk)
                self_idx = np.where(sel, cursor[1] + np.cumsum(sel) - 1, -1)
                self_idx[self_idx >= pool.size] = -1
                cursor[1] += int(sel.sum())
            larger, s1, s2 = _permute_chunked(pool, self_idx, zs, ku, rstd, is_, rk, seed, r,
                                              perm_progress, cursor[2], n)
            cursor[2] += zs.size
            p, zsim, _ = _sim_fields(is_, larger, s1, s2, r)
            if want_fdr:
                counts[:] += np.bincount(np.minimum(larger, r - larger),
                                         minlength=counts.size)
            res["p_sim"] = _scatter(p, unit, shape)
            res["z_sim"] = _scatter(zsim, unit, shape)
            if "cluster" in main_specs:
                res["cluster"] = _scatter(cluster_class(qq, p, alpha), unit, shape,
                                          NODATA_CLASS, np.int8)
        return res

    perm_progress = progress.scaled(cut[2], cut[3]) if r else None
    done = {}
    try:
        with output_set():     # the passes write one set of outputs
            done = _stream(stack, bi, 1, func, progress.scaled(cut[2], cut[3]), memory_mb,
                           work_bytes=240, specs=main_specs, report=not r)
            if want_fdr:
                qtable = _bh_table(counts, r)
                ps = RasterStack(readable(done["p_sim"]), name="p_sim")
                qs = RasterStack(readable(done["q"]), name="quadrants")

                def klass(p, win):
                    quad = qs.read(*win)[0]
                    ok = np.isfinite(p)
                    m = np.where(ok, np.rint(np.where(ok, p, 1.0) * (r + 1)) - 1, 0)
                    m = m.astype(np.int64)
                    qv = np.where(ok, qtable[np.clip(m, 0, qtable.size - 1)], np.nan)
                    quad = np.where(np.isfinite(quad), quad, NODATA_CLASS)
                    return {"cluster": cluster_class(quad, qv, alpha)}

                done.update(_stream(ps, 0, 0, klass, progress.scaled(90, 100), memory_mb,
                                    specs={"cluster": specs["cluster"]}))
    finally:
        remove_scratch(temps)
    return {k: done[k] for k in specs}, info


def _bh_table(counts, r):
    """Exact Benjamini-Hochberg q-value of p = (m + 1)/(r + 1) for every
    folded count m, from the number of units with each m."""
    m_total = counts.sum()
    p = (np.arange(counts.size) + 1.0) / (r + 1.0)
    cum = np.cumsum(counts)
    with np.errstate(invalid="ignore", divide="ignore"):
        val = np.where(counts > 0, m_total * p / cum, np.inf)
    q = np.minimum.accumulate(val[::-1])[::-1]
    return np.minimum(q, 1.0)


def _scatter(vals, unit, shape, fill=np.nan, dtype=np.float64):
    out = np.full(shape, fill, dtype=dtype)
    out[unit] = vals
    return out


def getis_ord_rasters(stack, outputs, contiguity="queen", fdr=False, band=1,
                      progress=None, memory_mb=256):
    """Getis-Ord Gi* hot and cold spots of one band of a raster, streamed
    (methods.md 10). Binary contiguity among valid pixels with w_ii = 1;
    pixels without a valid neighbour are islands (left out, reported).

    ``outputs`` maps any of ``z`` (Gi* z-score), ``p`` (two-sided normal)
    and ``class`` (:func:`hotspot_class`: +-3 99 %, +-2 95 %, +-1 90 %, 0)
    to paths. With ``fdr`` the classes use Benjamini-Hochberg q-values of all
    pixels' p (a histogram of the p written in pass 2, then one more pass;
    see :mod:`carbonsink.core.fdr`). Pass 1: n, mean, standard deviation;
    pass 2: z and p. Equals :func:`getis_ord` on ``grid_weights``.
    Returns (name -> path, :class:`RasterInfo`).
    """
    from .io import OutputSpec, RasterStack
    from .progress import as_progress
    progress = as_progress(progress)
    bi = _band(stack, band)
    offs = offsets(contiguity)
    outputs = {k: v for k, v in outputs.items() if v}
    specs = _output_specs(outputs, {"z": "Gi* z-score", "p": "p-value"},
                          {"class": "hot/cold spot"}, ("z", "p", "class"))
    want_fdr = fdr and "class" in specs
    p1 = _pass1(stack, bi, contiguity, "Getis-Ord Gi*", progress.scaled(0, 30), memory_mb)
    n, mean, sd = p1.n, p1.mean, p1.std
    info = RasterInfo(n, p1.islands.size, p1.islands, mean, sd, contiguity,
                      n_missing=p1.n_missing)
    folder = _folder_of(outputs)
    temps = []
    main_specs = dict(specs)
    hist = PValueHistogram() if want_fdr else None
    if want_fdr:
        main_specs.pop("class")
        for key in ("z", "p"):
            if key not in main_specs:
                tmp = scratch_tif(folder, key)
                temps.append(tmp)
                main_specs[key] = OutputSpec(tmp)

    def func(v, win):
        valid = np.isfinite(v)
        k = _counts(valid, offs)
        unit = valid[1:-1, 1:-1] & (k > 0)
        znb = np.where(valid, v - mean, 0.0)
        g = _gistar(_neighbour_sum(znb, offs)[unit], znb[1:-1, 1:-1][unit],
                    k[unit].astype(np.float64), n, sd)
        p = _two_sided(g)
        if hist is not None:
            hist.add(p)
        return {"z": _scatter(g, unit, unit.shape), "p": _scatter(p, unit, unit.shape),
                "class": _scatter(hotspot_class(g, p), unit, unit.shape, NODATA_CLASS,
                                  np.int8)}

    done = {}
    try:
        with output_set():     # the passes write one set of outputs
            done = _stream(stack, bi, 1, func, progress.scaled(30, 85 if want_fdr else 100),
                           memory_mb, work_bytes=200, specs=main_specs)
            if want_fdr:
                zs = RasterStack(readable(done["z"]), name="z")
                ps = RasterStack(readable(done["p"]), name="p")

                def klass(p, win):
                    return {"class": hotspot_class(zs.read(*win)[0], hist.q(p))}

                done.update(_stream(ps, 0, 0, klass, progress.scaled(85, 100), memory_mb,
                                    specs={"class": specs["class"]}))
    finally:
        remove_scratch(temps)
    return {k: done[k] for k in specs}, info
