"""Coefficient of variation and Fisher-Jenks natural breaks (methods.md 6).

``coefficient_of_variation`` takes time on axis 0 (shape (n,) or
(n, rows, cols)), NaN as missing, and returns an array shaped like ``y[0]``.
``natural_breaks`` and ``classify`` work on any array of values (for example
a CV raster) and ignore NaN.
"""
import math

import numpy as np

from ._dispatch import dask_aware
from ._numba import njit, njit_parallel, prange, use_numba
from ._series import prepare, shaped
from .errors import N_, InputError
from .trend import NODATA_CLASS  # -128, int8 nodata of every class raster

EPS = float(np.finfo(np.float64).eps)
DEFAULT_SAMPLE = 10000       # natural_breaks: most values fed to the exact DP
_CHUNK = 16384               # pixels per numpy-path chunk (fits in cache)
_CELLS = 1 << 17             # natural_breaks numpy path: cells per cost block


# ------------------------------------------------------ coefficient of variation

@njit_parallel
def _cv_numba(y, ddof, min_valid):  # pragma: no cover - compiled
    n, npix = y.shape
    out = np.empty(npix)
    for p in prange(npix):
        cnt = 0
        s = 0.0
        hi = -np.inf
        lo = np.inf
        for i in range(n):
            v = y[i, p]
            if not math.isnan(v):
                cnt += 1
                s += v
                hi = max(hi, v)
                lo = min(lo, v)
        if cnt < min_valid or cnt <= ddof:
            out[p] = np.nan
            continue
        mean = s / cnt
        if abs(mean) <= cnt * EPS * max(abs(hi), abs(lo)):
            out[p] = np.nan              # mean 0 (to rounding): no ratio
            continue
        if hi == lo:
            out[p] = 0.0                 # constant series
            continue
        ss = 0.0
        for i in range(n):
            v = y[i, p]
            if not math.isnan(v):
                d = v - mean
                ss += d * d
        out[p] = math.sqrt(ss / (cnt - ddof)) / mean
    return out


def _cv_numpy(y, ddof, min_valid):
    valid = ~np.isnan(y)
    cnt = valid.sum(axis=0)
    d = np.where(valid, y, 0.0)
    s = d.sum(axis=0)
    hi = np.fmax.reduce(y, axis=0)          # NaN-skipping: no masked copies
    lo = np.fmin.reduce(y, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s / cnt
        d -= mean
        d *= valid                          # the same sums as y - mean over valid values
        d *= d
        ss = d.sum(axis=0)
        cv = np.sqrt(ss / (cnt - ddof)) / mean
        zero = np.abs(mean) <= cnt * EPS * np.maximum(np.abs(hi), np.abs(lo))
    cv[hi == lo] = 0.0
    cv[(cnt < min_valid) | (cnt <= ddof) | zero] = np.nan
    return cv


def coefficient_of_variation(y, ddof=1, min_valid=None):
    """Coefficient of variation Cv = sigma / mean of each pixel's series.

    sigma = sqrt(sum (y - mean)^2 / (m - ddof)) over the pixel's m valid
    values: ``ddof=1`` (default) is the sample standard deviation, ``ddof=0``
    the population one. The sign follows the mean (sigma / mean as defined;
    for NPP the mean is positive). A constant series gives exactly 0. A mean
    of 0 gives NaN, never inf: the mean counts as 0 when
    |mean| <= m * eps * max|y| (it is 0 up to rounding). Pixels with fewer
    than ``min_valid`` valid values (default: all n) are NaN; NaN values are
    skipped otherwise.
    """
    ddof = int(ddof)
    if ddof < 0:
        raise InputError(N_("ddof must be >= 0"))
    y2, _, mv, shape = prepare(y, None, min_valid, least=ddof + 1)
    if use_numba():
        cv = _cv_numba(y2, ddof, mv)
    else:
        cv = np.empty(y2.shape[1])
        for a in range(0, y2.shape[1], _CHUNK):
            cv[a:a + _CHUNK] = _cv_numpy(y2[:, a:a + _CHUNK], ddof, mv)
    return shaped(cv, shape)


# ------------------------------------------------------------ natural breaks
#
# Fisher's (1958) exact optimal partition of sorted values into k contiguous
# classes minimising the within-class sum of squared deviations (the Jenks
# "natural breaks"). x holds the sorted distinct values, w their counts; with
# prefix sums W, S1, S2 of w, w*x, w*x^2 the cost of the class x[s:i] is
#     SS(s, i) = (S2[i] - S2[s]) - (S1[i] - S1[s])^2 / (W[i] - W[s])
# and D_j(i), the least cost of j classes over x[0:i], is
#     D_1(i) = SS(0, i),   D_j(i) = min over s = j-1 .. i-1 of D_{j-1}(s) + SS(s, i)
# (the first minimising s wins). Equal values never need to be split between
# classes, so working on the distinct values with their counts gives the
# optimum of the full data.

@njit
def _fisher_cell(prev, wc, s1, s2, j, i, cur, arg):  # pragma: no cover - compiled
    best = np.inf
    bs = -1
    for s in range(j - 1, i):
        a = s1[i] - s1[s]
        v = prev[s] + ((s2[i] - s2[s]) - a * a / (wc[i] - wc[s]))
        if v < best:
            best = v
            bs = s
    cur[i] = best
    arg[i] = bs


@njit_parallel
def _fisher_row(prev, wc, s1, s2, j, cur, arg):  # pragma: no cover - compiled
    # cell i costs i - j + 1 steps: pair a short row with a long one so that
    # prange's equal chunks get equal work
    u = wc.shape[0] - 1
    rows = u - j + 1
    for q in prange((rows + 1) // 2):
        _fisher_cell(prev, wc, s1, s2, j, j + q, cur, arg)
        if u - q != j + q:
            _fisher_cell(prev, wc, s1, s2, j, u - q, cur, arg)


def _fisher_row_numpy(prev, wc, s1, s2, j, cur, arg):
    u = wc.shape[0] - 1
    a = j
    while a <= u:
        # rows i = a..b-1 against starts s = j-1..b-2; s >= i is masked
        b = min(u + 1, a + max(1, _CELLS // (u + 1)))
        s = slice(j - 1, b - 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            d1 = s1[a:b, None] - s1[s]
            d1 *= d1
            d1 /= wc[a:b, None] - wc[s]
            v = s2[a:b, None] - s2[s]
            v -= d1
            v += prev[s]
        v[np.arange(a, b)[:, None] <= np.arange(j - 1, b - 1)] = np.inf
        k = np.argmin(v, axis=1)
        cur[a:b] = v[np.arange(b - a), k]
        arg[a:b] = k + (j - 1)
        a = b


def _fisher_jenks(x, w, k):
    """Upper bounds of the k optimal classes of sorted distinct x (counts w)."""
    u = x.shape[0]
    xc = x - np.dot(w, x) / w.sum()        # centred: smaller rounding in SS
    wc = np.concatenate(([0.0], np.cumsum(w)))
    s1 = np.concatenate(([0.0], np.cumsum(w * xc)))
    s2 = np.concatenate(([0.0], np.cumsum(w * xc * xc)))
    with np.errstate(invalid="ignore", divide="ignore"):
        prev = s2 - s1 * s1 / wc
    prev[0] = 0.0
    args = np.zeros((k + 1, u + 1), dtype=np.int64)
    row = _fisher_row if use_numba() else _fisher_row_numpy
    for j in range(2, k + 1):
        cur = np.full(u + 1, np.inf)
        row(prev, wc, s1, s2, j, cur, args[j])
        prev = cur
    upper = np.empty(k)
    i = u
    for j in range(k, 0, -1):
        upper[j - 1] = x[i - 1]
        i = args[j, i] if j > 1 else 0
    return upper


def natural_breaks(values, k=5, sample=None, seed=0):
    """Fisher-Jenks natural breaks of the valid (finite) values.

    Returns the k + 1 class bounds [min, u_1, ..., u_(k-1), max] as float64,
    the convention of ``jenkspy.jenks_breaks``: u_j is the largest value of
    class j, and class j holds u_(j-1) < v <= u_j (see :func:`classify`).

    The breaks are the exact optimum of Fisher's dynamic programme (least
    within-class sum of squared deviations), run on the distinct values with
    their counts, which gives the optimum of all the values. Its cost grows
    as k * u^2 for u distinct values, so:

    - when there are at most ``sample`` values (default 10 000), or fewer
      than ``sample`` distinct values, the breaks are exact for all values;
    - otherwise the programme runs on a random sample of ``sample`` values
      drawn without replacement with ``numpy.random.default_rng(seed)``
      (deterministic for a given seed and input), and the outer bounds are
      the minimum and maximum of all the values (mapclassify's
      FisherJenksSampled also samples: by default at most 1000 values,
      unseeded).

    The default sample takes well under a second with numba and one to two
    seconds on the numpy path (2 cores), both giving the same breaks; pass a
    larger ``sample`` for exact breaks of more distinct values (time grows
    as its square).

    ValueError when there are fewer distinct valid values than k.
    """
    k = int(k)
    if not 1 <= k <= 127:
        raise InputError(N_("k must be between 1 and 127 classes"))
    size = DEFAULT_SAMPLE if sample is None else int(sample)
    if size < k:
        raise InputError(N_("sample must be at least k"))
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[np.isfinite(v)]
    if v.size == 0:
        raise InputError(N_("no valid values to classify"))
    lo, hi = v.min(), v.max()
    sampled = v.size > size
    if not sampled:
        x, w = np.unique(v, return_counts=True)
    else:
        rng = np.random.default_rng(seed)
        x, w = np.unique(v[rng.choice(v.size, size, replace=False)], return_counts=True)
        if x.size < size:
            # the sample repeats values: perhaps few distinct values in all
            xa, wa = np.unique(v, return_counts=True)
            if xa.size < size:
                x, w, sampled = xa, wa, False
    if x.size < k:
        where = " in the sample" if sampled else ""
        raise InputError(N_("{} distinct values{} cannot make {} classes"), x.size, where, k)
    upper = _fisher_jenks(x, w.astype(np.float64), k)
    upper[-1] = hi
    return np.concatenate(([lo], upper))


def classify(values, breaks):
    """Class codes 1..k of ``values`` for k + 1 increasing ``breaks``.

    ``breaks`` are the bounds b_0 <= b_1 <= ... <= b_k, as returned by
    :func:`natural_breaks` or given by the user. A value v is in class j when
    b_(j-1) < v <= b_j (upper bound included: the rule of jenkspy and
    mapclassify). Values at or below b_1 are class 1 and values above
    b_(k-1) class k, so values outside [b_0, b_k] fall into the nearest end
    class (as mapclassify's ``find_bin``). NaN gives the nodata code -128.
    Returns int8 with the shape of ``values``.
    """
    b = np.asarray(breaks, dtype=np.float64).ravel()
    if b.size < 2 or b.size > 128:
        raise InputError(N_("breaks must hold k + 1 bounds, 1 <= k <= 127"))
    if not np.all(np.isfinite(b)) or np.any(np.diff(b) < 0):
        raise InputError(N_("breaks must be finite and increasing"))
    v = np.asarray(values, dtype=np.float64)
    codes = np.searchsorted(b[1:-1], v, side="left") + 1
    return np.where(np.isnan(v), NODATA_CLASS, codes).astype(np.int8)


# dask arrays and xarray DataArrays in, the same kind out (core._dispatch); numpy
# arrays go straight through. Wrapped here, so each public name is one object.
# ------------------------------------------------- the natural-breaks sample

def _unit_keys(index, seed):
    """Uniform [0, 1) keys of pixel indices (SplitMix64 of index + seed):
    a pixel's key depends on where it is, not on the order blocks come in."""
    z = np.asarray(index, dtype=np.uint64) + np.uint64(seed & 0xFFFFFFFF) * \
        np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (1.0 / 2.0**53)


class Reservoir:
    """A uniform random sample without replacement of at most ``size``
    values streamed window by window (smallest keys win), plus the exact
    minimum and maximum of everything seen. Each pixel's key is a hash of its
    position (``add(values, window, cols)``), so the sample is the same
    whatever the block size or order (memory budget, engine)."""

    def __init__(self, size=10000, seed=0):
        self.size = int(size)
        self.seed = int(seed)
        self.values = np.empty(0)
        self.keys = np.empty(0)
        self.lo, self.hi, self.count = np.inf, -np.inf, 0

    def add(self, values, window, cols):
        v = np.asarray(values, dtype=np.float64)
        x, y, w, h = window
        rows, cc = np.indices(v.shape[-2:])
        index = ((rows + y) * int(cols) + (cc + x)).ravel()
        v = v.ravel()
        ok = np.isfinite(v)
        v = v[ok]
        if not v.size:
            return
        keys = _unit_keys(index[ok], self.seed)
        self.count += v.size
        self.lo, self.hi = min(self.lo, v.min()), max(self.hi, v.max())
        self.values = np.concatenate([self.values, v])
        self.keys = np.concatenate([self.keys, keys])
        if self.values.size > self.size:
            keep = np.argpartition(self.keys, self.size - 1)[:self.size]
            self.values, self.keys = self.values[keep], self.keys[keep]
        order = np.argsort(self.keys, kind="stable")     # same order, same breaks
        self.values, self.keys = self.values[order], self.keys[order]


coefficient_of_variation = dask_aware(coefficient_of_variation, "array", ("y",), name="cv")
classify = dask_aware(classify, "elementwise", ("values",))
