"""Spatial autocorrelation: global Moran's I, local Moran (LISA), Getis-Ord Gi*.

methods.md section 10. Two layers:

- Array functions for any set of units (vector features or raster cells):
  :func:`moran`, :func:`local_moran`, :func:`getis_ord`, with the class
  helpers :func:`cluster_class` and :func:`hotspot_class`. ``weights`` is a
  square ``scipy.sparse`` matrix of binary links (see
  :mod:`carbonsink.core.weights` for builders); ``transform="r"``
  row-standardises it, ``"b"`` keeps it binary.
- Raster functions (in core/spatial_raster.py, also reachable here) that
  stream a :class:`~carbonsink.core.io.RasterStack` band window by window
  (a one or two pixel halo around each window) with rook or queen
  contiguity among valid pixels, never building a weights matrix:
  :func:`moran_raster`, :func:`lisa_rasters`,
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
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from .classes import NODATA_CLASS  # -128, int8 nodata of every class raster
from .errors import N_, InputError
from .fdr import fdr_bh
from .permutations import _permute_chunked, moran_permutations
from .weights import binary_weights, transform_weights, weight_sums

__all__ = ["NODATA_CLASS", "GetisOrd", "LocalMoran", "Moran", "RasterInfo",
           "cluster_class", "getis_ord", "hotspot_class", "local_moran", "moran",
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
        raise InputError(N_("transform must be 'r' (row-standardised) or 'b' (binary), not {!r}"),
                         transform)
    return t


#: pseudo p-values resolve 1 / (R + 1): 99 999 permutations give 1e-5, far
#: below any FDR or alpha in use; more would run for hours on a raster
MAX_PERMUTATIONS = 99999


def _check_permutations(permutations):
    r = int(permutations or 0)
    if r < 0:
        raise InputError(N_("permutations must be 0 or more, not {}"), permutations)
    if r > MAX_PERMUTATIONS:
        raise InputError(N_("permutations must be at most {} (p-values to 1e-5), not {}"),
                         MAX_PERMUTATIONS, permutations)
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
        raise InputError(N_("{}: {} values for a {} x {} weights matrix"),
                         what, x.size, w.shape[0], w.shape[0])
    valid = np.isfinite(x)
    keep = valid.copy()
    while True:
        idx = np.flatnonzero(keep)
        b = w if idx.size == w.shape[0] else w[idx][:, idx]
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
        raise InputError(N_("{}: {} unit(s) with a value and a neighbour; at least {} are "
                            "needed"), what, n, least)
    if y.min() == y.max():
        raise InputError(N_("{}: all {} units have the same value ({:g}): spatial "
                            "autocorrelation is undefined for constant values"), what, n, y[0])


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


def _sim_fields(obs, larger, s1, s2, r):
    p = _fold(larger, r)
    mean = s1 / r
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(np.maximum(s2 / r - mean * mean, 0.0))
        z = np.where(sd > 0, (obs - mean) / sd, np.nan)
    return p, z, _norm_sf(np.abs(z))


# ---------------------------------------------------------------- local Moran

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


# the raster functions and the permutation engine live in their own modules;
# their public names are reachable here too (the same objects)
_ELSEWHERE = {"moran_raster": "spatial_raster", "lisa_rasters": "spatial_raster",
              "getis_ord_rasters": "spatial_raster", "conditional_permutations": "permutations"}


def __getattr__(name):
    module = _ELSEWHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib
    return getattr(importlib.import_module(f"{__package__}.{module}"), name)
