"""Hurst exponent of each pixel's series and persistence classes (methods.md 7).

Time on axis 0 (shape (n,) or (n, rows, cols)), NaN as missing; results are
arrays shaped like ``y[0]``. Three estimators:

``"rs"`` (default; the form of the pixel-wise vegetation studies)
    For tau = 2..n take the first tau values y_1..y_tau, their mean m_tau,
    the cumulative deviations X_t = sum_{u<=t} (y_u - m_tau), t = 1..tau,
    R = max X - min X over t = 1..tau (methods.md literally; X_tau = 0, so
    max X >= 0 >= min X and adding X_0 = 0 would change nothing),
    S = population standard deviation (ddof 0) of y_1..y_tau.
    H = least-squares slope of log(R/S) on log(tau). Taus whose values are
    all equal (S = 0) are skipped. Computed in O(n^2) per pixel from prefix
    sums of y - y_1 (the same numbers as the definition, to rounding).
``"rs_segmented"`` (classical Hurst-Mandelbrot rescaled range)
    For each window size w, split the series into floor(n/w) consecutive
    non-overlapping segments from the start (the last n mod w values are
    dropped), compute R/S of every segment as above (its own mean, ddof 0),
    average R/S over the segments, and fit log(mean R/S) on log(w).
    Constant segments are left out of the average, windows with none left
    are skipped. Window sizes: w = 2..floor(n/2) (every window averages at
    least two segments), or the ``windows`` given. This equals
    ``nolds.hurst_rs(y, nvals=windows, fit="poly", corrected=False,
    unbiased=False)``.
``"aggvar"`` (aggregated variance, Zhang2022 eq. 7-8)
    For block sizes m = 1..floor(n/2): block means X_m(k), k = 1..floor(n/m)
    (the last n mod m values dropped), Var_m = mean over k of
    (X_m(k) - mean of the block means)^2 (ddof 0); beta = least-squares slope
    of log Var_m on log m; H = 1 + beta / 2. Block sizes whose block means are
    all equal (to rounding: their range is at most n * eps * max|y|), i.e.
    Var_m = 0, are skipped; m <= n/2 always leaves at least two blocks.

Every fit needs at least 3 points (taus, windows or block sizes); otherwise
the pixel is NaN. Constant series are therefore NaN.

Short series (n = 20..40) give biased estimates with all three estimators.
Means over 300 to 400 simulated series of white noise (true H = 0.5) and of
a random walk: n = 24: rs 0.63 / 0.91, rs_segmented 0.67 / 0.86, aggvar
0.05-0.08 / 0.57; n = 100: rs 0.59 / 0.97, rs_segmented 0.62 / 0.95, aggvar
0.13 / 0.67. aggvar reads far too low because Var_m of only 2 or 3 blocks
(m near n/2) is small on average and its log smaller still.

Missing values: a pixel with fewer than ``min_valid`` valid values (default:
all n; at least 4) is NaN. With ``min_valid < n`` a pixel's valid values are
used in their time order as one shorter series (the gaps are closed up).
"""
import math

import numpy as np

from ._dispatch import dask_aware
from ._numba import njit, njit_parallel, prange, use_numba
from ._series import prepare, shaped
from .errors import N_, InputError
from .trend import NODATA_CLASS  # -128, int8 nodata of every class raster

METHODS = ("rs", "rs_segmented", "aggvar")
EPS = float(np.finfo(np.float64).eps)
_BLOCK = 256                 # pixels per numba work item (one scratch set each)
_CHUNK = 8192                # pixels per numpy-path chunk

PERSISTENT_INCREASE = 1
PERSISTENT_DECREASE = 2
INCREASE_REVERSAL = 3
DECREASE_REVERSAL = 4
UNDETERMINED = 0
PERSISTENCE_LABELS = {
    PERSISTENT_INCREASE: "Persistent increase (H > 0.5, slope > 0)",
    PERSISTENT_DECREASE: "Persistent decrease (H > 0.5, slope < 0)",
    INCREASE_REVERSAL: "Increase now, decrease likely (H < 0.5, slope > 0)",
    DECREASE_REVERSAL: "Decrease now, increase likely (H < 0.5, slope < 0)",
    UNDETERMINED: "Undetermined",
}


# ---------------------------------------------------------------- numba path

@njit
def _log_slope(xs, ys, k):  # pragma: no cover - compiled
    """Least-squares slope of log(ys[:k]) on xs[:k] (NaN below 3 points).

    The kernels store the ratios and take the logs here, in one tight loop
    (faster than a log per step of the loops that compute them)."""
    if k < 3:
        return np.nan
    for i in range(k):
        ys[i] = math.log(ys[i])
    sx = 0.0
    sy = 0.0
    for i in range(k):
        sx += xs[i]
        sy += ys[i]
    mx = sx / k
    my = sy / k
    sxx = 0.0
    sxy = 0.0
    for i in range(k):
        dx = xs[i] - mx
        sxx += dx * dx
        sxy += dx * (ys[i] - my)
    return sxy / sxx


@njit
def _rs_one(x, m, tf, logn, xs, ys, cs, qs):  # pragma: no cover - compiled
    # With z = y - y_1 and prefix sums cs[t] = z_1 + .. + z_t, qs[t] of z^2,
    # for a given tau: X_t = cs[t] - t * cs[tau] / tau and
    # tau * S^2 = qs[tau] - cs[tau]^2 / tau. The shift by y_1, a member of
    # every prefix, bounds the cancellation error to about tau * eps
    # (tau * S^2 >= (mean of z)^2 while qs[tau] <= (tau + 1) * tau * S^2).
    x0 = x[0]
    c = 0.0
    q = 0.0
    cs[0] = 0.0
    for t in range(m):
        z = x[t] - x0
        c += z
        q += z * z
        cs[t + 1] = c
        qs[t + 1] = q
    lo = x0
    hi = x0
    k = 0
    for tau in range(2, m + 1):
        v = x[tau - 1]
        lo = min(lo, v)
        hi = max(hi, v)
        if lo == hi:
            continue                     # S = 0
        mz = cs[tau] / tau
        ss = qs[tau] - cs[tau] * mz
        if not ss > 0:
            continue                     # S = 0 to rounding
        cmax = -np.inf
        cmin = np.inf
        for t in range(1, tau + 1):       # the hot loop: O(n^2) per pixel
            e = cs[t] - tf[t] * mz
            cmax = e if e > cmax else cmax
            cmin = e if e < cmin else cmin
        xs[k] = logn[tau]
        ys[k] = (cmax - cmin) / math.sqrt(ss / tau)
        k += 1
    return _log_slope(xs, ys, k)


@njit
def _rs_segmented_one(x, m, wins, half, logn, xs, ys):  # pragma: no cover - compiled
    k = 0
    for w in wins:
        if w > m or (half and 2 * w > m):
            continue
        acc = 0.0
        cnt = 0
        for g in range(m // w):
            o = g * w
            tot = 0.0
            lo = x[o]
            hi = x[o]
            for t in range(o, o + w):
                tot += x[t]
                lo = min(lo, x[t])
                hi = max(hi, x[t])
            if lo == hi:
                continue                 # S = 0 in this segment
            mean = tot / w
            c = 0.0
            cmax = -np.inf
            cmin = np.inf
            ss = 0.0
            for t in range(o, o + w):
                d = x[t] - mean
                c += d
                ss += d * d
                cmax = max(cmax, c)
                cmin = min(cmin, c)
            acc += (cmax - cmin) / math.sqrt(ss / w)
            cnt += 1
        if cnt == 0:
            continue
        xs[k] = logn[w]
        ys[k] = acc / cnt
        k += 1
    return _log_slope(xs, ys, k)


@njit
def _aggvar_one(x, m, logn, xs, ys, bm):  # pragma: no cover - compiled
    amax = 0.0
    for t in range(m):
        amax = max(amax, abs(x[t]))
    tol = m * EPS * amax
    k = 0
    for b in range(1, m // 2 + 1):
        nb = m // b
        tot = 0.0
        lo = np.inf
        hi = -np.inf
        for g in range(nb):
            s = 0.0
            for t in range(g * b, g * b + b):
                s += x[t]
            v = s / b
            bm[g] = v
            tot += v
            lo = min(lo, v)
            hi = max(hi, v)
        if hi - lo <= tol:
            continue                     # Var_m = 0
        mu = tot / nb
        var = 0.0
        for g in range(nb):
            d = bm[g] - mu
            var += d * d
        xs[k] = logn[b]
        ys[k] = var / nb
        k += 1
    return 1.0 + 0.5 * _log_slope(xs, ys, k)


@njit_parallel
def _hurst_numba(y, min_valid, method, wins, half, logn):  # pragma: no cover - compiled
    n, npix = y.shape
    out = np.empty(npix)
    size = max(n, wins.shape[0]) + 1
    tf = np.arange(n + 1).astype(np.float64)
    for blk in prange((npix + _BLOCK - 1) // _BLOCK):
        x = np.empty(n)                  # scratch, one set per block
        xs = np.empty(size)
        ys = np.empty(size)
        w1 = np.empty(n + 1)
        w2 = np.empty(n + 1)
        for p in range(blk * _BLOCK, min(npix, (blk + 1) * _BLOCK)):
            m = 0
            for i in range(n):
                v = y[i, p]
                if not math.isnan(v):
                    x[m] = v
                    m += 1
            if m < min_valid:
                out[p] = np.nan
            elif method == 0:
                out[p] = _rs_one(x, m, tf, logn, xs, ys, w1, w2)
            elif method == 1:
                out[p] = _rs_segmented_one(x, m, wins, half, logn, xs, ys)
            else:
                out[p] = _aggvar_one(x, m, logn, xs, ys, w1)
    return out


# ---------------------------------------------------------------- numpy path
# Same formulas and the same order of operations as the kernels above, looping
# over taus / windows / block sizes and vectorised over pixels. x is (m, P):
# P pixels that all have the same number m of valid values.

def _slope_numpy(xs, ys, ok):
    """Least-squares slope per pixel of ys (K, P) on xs (K,) where ok."""
    k = ok.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = np.where(ok, xs[:, None], 0.0).sum(axis=0) / k
        my = np.where(ok, ys, 0.0).sum(axis=0) / k
        dx = np.where(ok, xs[:, None] - mx, 0.0)
        dy = np.where(ok, ys - my, 0.0)
        slope = (dx * dy).sum(axis=0) / (dx * dx).sum(axis=0)
    slope[k < 3] = np.nan
    return slope


def _range_over_sd(seg):
    """R/S of each column of seg (w, ...): R of the cumulative deviations,
    S the population standard deviation."""
    w = seg.shape[0]
    d = seg - seg.sum(axis=0) / w
    cum = np.cumsum(d, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (cum.max(axis=0) - cum.min(axis=0)) / np.sqrt((d * d).sum(axis=0) / w)


def _rs_numpy(x, logn):
    m, npix = x.shape
    z = x - x[0]
    cs = np.zeros((m + 1, npix))
    qs = np.zeros((m + 1, npix))
    np.cumsum(z, axis=0, out=cs[1:])
    np.cumsum(z * z, axis=0, out=qs[1:])
    t = np.arange(m + 1, dtype=np.float64)[:, None]
    ys = np.empty((m - 1, npix))
    ok = np.empty((m - 1, npix), dtype=bool)
    lo = x[0].copy()
    hi = x[0].copy()
    for tau in range(2, m + 1):
        np.minimum(lo, x[tau - 1], out=lo)
        np.maximum(hi, x[tau - 1], out=hi)
        mz = cs[tau] / tau
        ss = qs[tau] - cs[tau] * mz
        ok[tau - 2] = (lo != hi) & (ss > 0)
        e = cs[1:tau + 1] - t[1:tau + 1] * mz
        with np.errstate(invalid="ignore", divide="ignore"):
            ys[tau - 2] = np.log((e.max(axis=0) - e.min(axis=0)) / np.sqrt(ss / tau))
    return _slope_numpy(logn[2:m + 1], ys, ok)


def _rs_segmented_numpy(x, wins, half, logn):
    m, npix = x.shape
    use = [w for w in wins if w <= m and not (half and 2 * w > m)]
    ys = np.empty((len(use), npix))
    ok = np.empty((len(use), npix), dtype=bool)
    for r, w in enumerate(use):
        seg = x[:m // w * w].reshape(m // w, w, npix).transpose(1, 0, 2)
        good = seg.max(axis=0) != seg.min(axis=0)          # (segments, P)
        rs = np.where(good, _range_over_sd(seg), 0.0)
        cnt = good.sum(axis=0)
        ok[r] = cnt > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            ys[r] = np.log(rs.sum(axis=0) / cnt)
    return _slope_numpy(logn[np.array(use, dtype=np.int64)], ys, ok)


def _aggvar_numpy(x, logn):
    m, npix = x.shape
    tol = m * EPS * np.abs(x).max(axis=0)
    ys = np.empty((m // 2, npix))
    ok = np.empty((m // 2, npix), dtype=bool)
    for b in range(1, m // 2 + 1):
        nb = m // b
        bm = x[:nb * b].reshape(nb, b, npix).sum(axis=1) / b
        ok[b - 1] = bm.max(axis=0) - bm.min(axis=0) > tol
        d = bm - bm.sum(axis=0) / nb
        with np.errstate(divide="ignore"):
            ys[b - 1] = np.log((d * d).sum(axis=0) / nb)
    return 1.0 + 0.5 * _slope_numpy(logn[1:m // 2 + 1], ys, ok)


def _hurst_numpy(y, min_valid, method, wins, half, logn):
    n, npix = y.shape
    out = np.full(npix, np.nan)
    valid = ~np.isnan(y)
    cnt = valid.sum(axis=0)
    if not valid.all():      # valid values first, in time order
        y = np.take_along_axis(y, np.argsort(~valid, axis=0, kind="stable"), axis=0)
    for m in np.unique(cnt[cnt >= min_valid]):
        idx = np.flatnonzero(cnt == m)
        for a in range(0, idx.size, _CHUNK):
            sel = idx[a:a + _CHUNK]
            x = np.ascontiguousarray(y[:m, sel])
            if method == 0:
                out[sel] = _rs_numpy(x, logn)
            elif method == 1:
                out[sel] = _rs_segmented_numpy(x, wins, half, logn)
            else:
                out[sel] = _aggvar_numpy(x, logn)
    return out


# -------------------------------------------------------------------- public

def hurst(y, method="rs", min_valid=None, windows=None):
    """Hurst exponent H of each pixel's series (methods.md 7).

    ``method`` is "rs" (default), "rs_segmented" or "aggvar", defined in the
    module docstring. ``windows`` (rs_segmented only) lists the window sizes
    (integers >= 2); windows longer than a pixel's series are left out. By
    default w = 2..floor(m/2) for a series of m valid values.

    H > 0.5: persistent (the trend tends to continue); H < 0.5:
    anti-persistent (reversal likely); H = 0.5: no memory. NaN where the fit
    has fewer than 3 points (constant or too short series) or the pixel has
    fewer than ``min_valid`` valid values (default: all).
    """
    if method not in METHODS:
        raise InputError(N_("method must be one of {}, not {!r}"), ', '.join(METHODS), method)
    y2, _, mv, shape = prepare(y, None, min_valid, least=4)
    n = y2.shape[0]
    if windows is None:
        wins, half = np.arange(2, n // 2 + 1, dtype=np.int64), True
    else:
        if method != "rs_segmented":
            raise InputError(N_("windows is used by method 'rs_segmented' only"))
        wins = np.unique(np.asarray(windows, dtype=np.int64).ravel())
        if wins.size == 0 or wins[0] < 2:
            raise InputError(N_("window sizes must be integers >= 2"))
        wins, half = wins[wins <= n], False
    logn = np.log(np.maximum(np.arange(n + 1, dtype=np.float64), 1.0))
    code = METHODS.index(method)
    if use_numba():
        h = _hurst_numba(y2, mv, code, wins, half, logn)
    else:
        h = _hurst_numpy(y2, mv, code, wins, half, logn)
    return shaped(h, shape)


def persistence_class(slope, h, significant=None):
    """Persistence classes from a trend slope and H (Zhang2025 Fig. 7).

    int8 codes: 1 persistent increase (H > 0.5, slope > 0); 2 persistent
    decrease (H > 0.5, slope < 0); 3 increase now, reversal (decrease)
    likely (H < 0.5, slope > 0); 4 decrease now, reversal (increase) likely
    (H < 0.5, slope < 0); 0 undetermined (slope = 0 or H = 0.5, or, when the
    boolean ``significant`` is given, e.g. ``pvalue < 0.05``, a slope that
    is not significant); -128 nodata (slope or H is NaN). Labels:
    ``PERSISTENCE_LABELS``.
    """
    slope = np.asarray(slope, dtype=np.float64)
    h = np.asarray(h, dtype=np.float64)
    up, down = slope > 0, slope < 0
    if significant is not None:
        sig = np.asarray(significant, dtype=bool)
        up, down = up & sig, down & sig
    pers, anti = h > 0.5, h < 0.5
    code = np.select(
        [pers & up, pers & down, anti & up, anti & down],
        [PERSISTENT_INCREASE, PERSISTENT_DECREASE, INCREASE_REVERSAL, DECREASE_REVERSAL],
        UNDETERMINED)
    return np.where(np.isnan(slope) | np.isnan(h), NODATA_CLASS, code).astype(np.int8)


# dask arrays and xarray DataArrays in, the same kind out (core._dispatch); numpy
# arrays go straight through. Wrapped here, so each public name is one object.
hurst = dask_aware(hurst, "array", ("y",), name="h")
persistence_class = dask_aware(persistence_class, "elementwise", ("slope", "h", "significant"))
