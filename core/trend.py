"""Least-squares trend, Theil-Sen slope and the Mann-Kendall test.

methods.md sections 3 and 4. Every function takes time on axis 0 (shape (n,)
or (n, rows, cols)), NaN as missing, and returns arrays shaped like ``y[0]``.
"""
import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from ._betainc import _t_pvalue_r2
from ._dispatch import dask_aware
from ._numba import njit, njit_parallel, prange, use_numba
from ._series import prepare, shaped
from .classes import NODATA_CLASS  # -128, int8 nodata of every class raster
from .errors import N_, InputError

SQRT2 = math.sqrt(2.0)

_CHUNK = 2048            # pixels per numpy-path chunk: its n^2 pair arrays stay in cache


@dataclass
class LinearTrend:
    slope: np.ndarray
    intercept: np.ndarray
    r2: np.ndarray
    pvalue: np.ndarray


@dataclass
class MannKendall:
    s: np.ndarray
    var_s: np.ndarray
    z: np.ndarray
    pvalue: np.ndarray
    tau: np.ndarray
    slope: np.ndarray
    intercept: np.ndarray


# ---------------------------------------------------------------- least squares

def _ols_numpy(y, t, min_valid):
    valid = np.isfinite(y)
    m = valid.sum(axis=0).astype(np.float64)
    tt = np.where(valid, t[:, None], 0.0)
    yy = np.where(valid, y, 0.0)
    # centre on the mean of each pixel's valid years and values for accuracy
    with np.errstate(invalid="ignore", divide="ignore"):
        tm = tt.sum(axis=0) / m
        ym = yy.sum(axis=0) / m
        dt = np.where(valid, tt - tm, 0.0)
        dy = np.where(valid, yy - ym, 0.0)
        sxx = (dt * dt).sum(axis=0)
        syy = (dy * dy).sum(axis=0)
        sxy = (dt * dy).sum(axis=0)
        slope = sxy / sxx
        intercept = ym - slope * tm
        r2 = np.where(syy > 0, sxy * sxy / (sxx * syy), 0.0)
    r2 = np.minimum(r2, 1.0)
    bad = (m < min_valid) | ~(sxx > 0)
    out = [slope, intercept, r2, m]
    for a in out[:3]:
        a[bad] = np.nan
    return slope, intercept, r2, m


@njit_parallel
def _ols_numba(y, t, min_valid):  # pragma: no cover - compiled
    n, npix = y.shape
    slope = np.empty(npix)
    intercept = np.empty(npix)
    r2 = np.empty(npix)
    cnt = np.empty(npix)
    pv = np.empty(npix)
    for p in prange(npix):
        m = 0
        st = 0.0
        sy = 0.0
        for i in range(n):
            v = y[i, p]
            if not math.isnan(v):
                m += 1
                st += t[i]
                sy += v
        cnt[p] = m
        pv[p] = np.nan
        if m < min_valid or m == 0:
            slope[p] = np.nan
            intercept[p] = np.nan
            r2[p] = np.nan
            continue
        tm = st / m
        ym = sy / m
        sxx = 0.0
        syy = 0.0
        sxy = 0.0
        for i in range(n):
            v = y[i, p]
            if not math.isnan(v):
                a = t[i] - tm
                b = v - ym
                sxx += a * a
                syy += b * b
                sxy += a * b
        if not sxx > 0:
            slope[p] = np.nan
            intercept[p] = np.nan
            r2[p] = np.nan
            continue
        b1 = sxy / sxx
        slope[p] = b1
        intercept[p] = ym - b1 * tm
        if syy > 0:
            r = sxy * sxy / (sxx * syy)
            # an overflowed (NaN) r2 stays NaN: it must not clamp to a perfect fit
            r2[p] = np.nan if math.isnan(r) else min(r, 1.0)
        else:
            r2[p] = 0.0
        pv[p] = _t_pvalue_r2(r2[p], m - 2.0)       # in the kernel: no scipy pass after
    return slope, intercept, r2, cnt, pv


def _t_pvalue(r2, m, k=0):
    """Two-sided p of t = r sqrt(df / (1 - r^2)), df = m - 2 - k."""
    df = m - 2.0 - k
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.sqrt(r2 * df / (1.0 - r2))
        p = 2.0 * special.stdtr(df, -t)
    p = np.where(r2 >= 1.0, 0.0, p)
    p = np.where(df > 0, p, np.nan)
    p[np.isnan(r2)] = np.nan
    return np.clip(p, 0.0, 1.0)


def linear_trend(y, years=None, min_valid=None):
    """Ordinary least-squares trend of each pixel's series (methods.md 3).

    slope is per unit of ``years``; intercept is the fitted value at year 0;
    r2 the coefficient of determination; pvalue the two-sided p of the slope
    (Student t, n - 2 degrees of freedom), as ``scipy.stats.linregress``.
    A constant series gives slope 0, r2 0 and p 1.
    """
    y2, t, mv, shape = prepare(y, years, min_valid)
    if use_numba():
        slope, intercept, r2, m, p = _ols_numba(y2, t, mv)
    else:
        slope, intercept, r2, m = _ols_numpy(y2, t, mv)
        p = _t_pvalue(r2, m)
    return LinearTrend(*(shaped(a, shape) for a in (slope, intercept, r2, p)))


# ---------------------------------------------------------- Sen + Mann-Kendall

def _nanmedian_columns(a):
    """np.nanmedian(a, axis=0), the same numbers, faster: columns without
    NaN by one partition around the middle, the others (NaN moved last as
    +inf) by one partition per number of finite values; both on the
    transposed, contiguous copy."""
    k_all, npix = a.shape
    a = np.ascontiguousarray(a.T)                    # (pixels, values)
    finite = np.isfinite(a)
    k = finite.sum(axis=1)
    med = np.full(npix, np.nan)
    full = k == k_all
    if full.any() and k_all:
        h = k_all // 2
        part = np.partition(a[full], [max(h - 1, 0), h], axis=1)
        med[full] = part[:, h] if k_all % 2 else 0.5 * (part[:, h - 1] + part[:, h])
    rest = ~full & (k > 0)
    if rest.any():
        # columns with gaps: NaN -> +inf (last), then one partition per count of
        # finite values (a few distinct counts: pairs of m valid years)
        sub = np.where(finite[rest], a[rest], np.inf)
        kr = k[rest]
        out = np.empty(kr.shape[0])
        for kv in np.unique(kr):
            sel = kr == kv
            h = int(kv) // 2
            part = np.partition(sub[sel], [max(h - 1, 0), h], axis=1)
            out[sel] = part[:, h] if kv % 2 else 0.5 * (part[:, h - 1] + part[:, h])
        med[rest] = out
    return med


def _acf_columns(v, valid, m, lags=None):
    """Autocorrelation (biased, as pymannkendall) at lags 0..n-1 (or
    0..lags-1) of each column's first m valid values (v compressed: valid
    values first)."""
    n = v.shape[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(valid, v, 0.0).sum(axis=0) / m
        d = np.where(valid, v - mean, 0.0)
        c = np.empty((n if lags is None else min(lags, n), v.shape[1]))
        for k in range(c.shape[0]):
            c[k] = (d[:n - k] * d[k:]).sum(axis=0) / m
        return np.where(c[0] > 0, c / np.where(c[0] > 0, c[0], 1.0), np.nan)


def _mk_modified_numpy(y, t, min_valid, code, zcrit):
    """Hamed-Rao, Yue-Wang and pre-whitening on whole columns (no Python
    loop over pixels): the numbers of the numba kernel."""
    n, npix = y.shape
    base = _mk_numpy(y, t, min_valid)
    s, var, _, _, tau, sen, intercept = base
    valid = np.isfinite(y)
    order = np.argsort(~valid, axis=0, kind="stable")     # valid values first, in order
    yc = np.take_along_axis(y, order, axis=0)
    tc = t[order]
    m = valid.sum(axis=0).astype(np.float64)
    vc = np.arange(n)[:, None] < m[None, :]
    nn = m
    with np.errstate(invalid="ignore", divide="ignore"):
        if code == 3:                                      # pre-whitening
            r1 = _acf_columns(yc, vc, m, lags=2)[1]
            r1 = np.where(np.isnan(r1), 0.0, r1)
            xw = np.where(vc[1:], yc[1:] - r1 * yc[:-1], np.nan)
            w = _mk_numpy(xw, t[1:], 0, with_sen=False)
            s, var, tau = w[0], w[1], w[4]
            nn = m - 1.0
        else:
            xd = np.where(vc, yc - (tc - tc[0]) * sen, np.nan)   # on t - t[0]
            lags = np.arange(n, dtype=np.float64)[:, None]
            if code == 1:                                  # Hamed & Rao: ACF of ranks
                rk = less_equal_ranks(xd, vc)
                ac = _acf_columns(rk, vc, m)
                bound = zcrit / np.sqrt(nn)
                sig = ~((ac <= bound) & (ac >= -bound)) & ~np.isnan(ac) & (lags >= 1) & \
                    (lags < m)
                sni = np.where(sig, (nn - lags) * (nn - lags - 1.0) * (nn - lags - 2.0) * ac,
                               0.0).sum(axis=0)
                var = var * (1.0 + 2.0 / (nn * (nn - 1.0) * (nn - 2.0)) * np.abs(sni))
            else:                                          # Yue & Wang: ACF of detrended
                ac = _acf_columns(xd, vc, m)
                use = (lags >= 1) & (lags < m) & ~np.isnan(ac)
                var = var * (1.0 + 2.0 * np.where(use, (1.0 - lags / nn) * ac, 0.0).sum(axis=0))
        z = np.where(s > 0, (s - 1.0) / np.sqrt(var), np.where(s < 0, (s + 1.0) / np.sqrt(var),
                                                                  0.0))
        z = np.where((s != 0) & ~(var > 0), np.nan, z)
        tau = s / (0.5 * nn * (nn - 1.0))
    p = special.erfc(np.abs(z) / SQRT2)
    out = [s, var, z, p, tau, sen, intercept]
    bad = (m < min_valid) | (m < 3)
    for a in out:
        a[bad] = np.nan
    return out


def less_equal_ranks(x, valid):
    """Average ranks (1 = smallest; ties share the mean rank) of each
    column's valid values, as scipy.stats.rankdata; NaN elsewhere."""
    n = x.shape[0]
    less = np.zeros(x.shape)
    eq = np.zeros(x.shape)
    for j in range(n):
        xj = x[j][None, :]
        vj = valid[j][None, :]
        less += (xj < x) & vj
        eq += (xj == x) & vj
    return np.where(valid, less + (eq + 1.0) / 2.0, np.nan)


def _mk_numpy(y, t, min_valid, with_sen=True):
    n, npix = y.shape
    iu, ju = np.triu_indices(n, 1)
    valid = np.isfinite(y)
    m = valid.sum(axis=0).astype(np.float64)
    d = y[ju] - y[iu]                                # (pairs, pixels)
    s = np.nansum(np.sign(d), axis=0)
    with np.errstate(invalid="ignore", divide="ignore", all="ignore"):
        if with_sen:
            sen = _nanmedian_columns(d / (t[ju] - t[iu])[:, None])
        else:                                        # (S of a whitened series only)
            sen = np.full(npix, np.nan)
        del d
        # ties: every value in a group of t equal values counts (t-1)(2t+5)
        eq = (y[:, None, :] == y[None, :, :]).sum(axis=1)          # (n, pixels)
        ties = np.where(valid, (eq - 1) * (2 * eq + 5), 0).sum(axis=0)
        var = (m * (m - 1) * (2 * m + 5) - ties) / 18.0
        z = np.where(s > 0, (s - 1) / np.sqrt(var),
                     np.where(s < 0, (s + 1) / np.sqrt(var), 0.0))
        tau = s / (0.5 * m * (m - 1))
        if with_sen:
            tmed = _nanmedian_columns(np.where(valid, t[:, None], np.nan))
            intercept = _nanmedian_columns(y) - tmed * sen
        else:
            intercept = np.full(npix, np.nan)
    p = special.erfc(np.abs(z) / SQRT2)
    out = [s, var, z, p, tau, sen, intercept]
    bad = m < min_valid
    for a in out:
        a[bad] = np.nan
    return out


@njit
def _median_sorted(a, k):  # pragma: no cover - compiled
    if k % 2 == 1:
        return a[k // 2]
    return 0.5 * (a[k // 2 - 1] + a[k // 2])


@njit
def _select(a, lo, hi, kth):  # pragma: no cover - compiled
    """In-place quickselect: afterwards a[kth] is the kth smallest of a[lo:hi+1]
    and a[lo:kth] holds the smaller values. Lomuto partition around the median
    of three, branch-free (slopes are random: branches would mispredict half the
    time); a run of values equal to the minimum (ties) is stepped over in one
    pass. Unsigned indices: no wrap-around checks (Sen + MK 10-20 % faster)."""
    one, zero = np.uint64(1), np.uint64(0)
    lo, hi, kth = np.uint64(lo), np.uint64(hi), np.uint64(kth)
    while hi > lo:
        mid = (lo + hi) >> one
        x = a[lo]
        y = a[mid]
        z = a[hi]
        if (x < y) != (x < z):          # x is the median of three
            a[lo] = z
            a[hi] = x
        elif (y < x) != (y < z):        # y is
            a[mid] = z
            a[hi] = y
        piv = a[hi]
        store = lo
        for i in range(lo, hi):
            v = a[i]
            w = a[store]
            c = v < piv
            a[store] = v if c else w
            a[i] = w if c else v
            store += one if c else zero
        a[hi] = a[store]
        a[store] = piv
        if store == kth:
            return
        if store == lo:                 # the pivot is the minimum: skip its ties
            e = lo + one
            for i in range(lo + one, hi + one):
                v = a[i]
                w = a[e]
                c = v == piv
                a[e] = v if c else w
                a[i] = w if c else v
                e += one if c else zero
            if kth < e:
                return
            lo = e
        elif kth < store:
            hi = store - one
        else:
            lo = store + one


@njit
def _median_inplace(a, k):  # pragma: no cover - compiled
    """Median of a[:k] by quickselect (a is reordered); the same number as
    np.median."""
    h = k // 2
    _select(a, 0, k - 1, h)
    if k % 2 == 1:
        return a[h]
    m = a[0]
    for i in range(1, h):
        v = a[i]
        m = v if v > m else m
    return 0.5 * (m + a[h])


@njit
def _sort_into(v, m, out):  # pragma: no cover - compiled
    """Insertion sort of v[:m] into out[:m] (n is small: a few dozen)."""
    for i in range(m):
        x = v[i]
        j = i - 1
        while j >= 0 and out[j] > x:
            out[j + 1] = out[j]
            j -= 1
        out[j + 1] = x


@njit
def _s_var(v, m, buf):  # pragma: no cover - compiled
    """Mann-Kendall S and its tie-corrected variance for v[:m]."""
    s = 0.0
    for i in range(m - 1):
        vi = v[i]
        for j in range(i + 1, m):
            d = v[j] - vi
            s += (1.0 if d > 0 else 0.0) - (1.0 if d < 0 else 0.0)
    return s, _tie_var(v, m, buf)


@njit
def _tie_var(v, m, buf):  # pragma: no cover - compiled
    """The tie-corrected variance of S for v[:m]; buf[:m] gets v sorted."""
    _sort_into(v, m, buf)
    ties = 0.0
    g = 1
    for i in range(1, m + 1):
        if i < m and buf[i] == buf[i - 1]:
            g += 1
        else:
            if g > 1:
                ties += g * (g - 1.0) * (2.0 * g + 5.0)
            g = 1
    fm = float(m)
    return (fm * (fm - 1.0) * (2.0 * fm + 5.0) - ties) / 18.0


@njit
def _acf(v, m, nlags, out):  # pragma: no cover - compiled
    """Autocorrelation of v[:m] at lags 0..nlags (biased, as pymannkendall)."""
    mean = 0.0
    for i in range(m):
        mean += v[i]
    mean /= m
    for k in range(nlags + 1):
        acc = 0.0
        for i in range(m - k):
            acc += (v[i] - mean) * (v[i + k] - mean)
        out[k] = acc / m
    c0 = out[0]
    for k in range(nlags + 1):
        out[k] = out[k] / c0 if c0 > 0 else np.nan


_MK_CHUNK = 256   # pixels per parallel work item, sharing one set of buffers


@njit_parallel
def _mk_numba(y, t, min_valid, method, zcrit):  # pragma: no cover - compiled
    n, npix = y.shape
    out = np.full((7, npix), np.nan)
    npairs = n * (n - 1) // 2
    nchunks = (npix + _MK_CHUNK - 1) // _MK_CHUNK
    for c in prange(nchunks):
        yv = np.empty(n)
        tv = np.empty(n)
        buf = np.empty(n)
        xd = np.empty(n)
        rk = np.empty(n)
        ac = np.empty(n + 1)
        slopes = np.empty(npairs)
        for p in range(c * _MK_CHUNK, min(npix, (c + 1) * _MK_CHUNK)):
            m = 0
            for i in range(n):
                v = y[i, p]
                if not math.isnan(v):
                    yv[m] = v
                    tv[m] = t[i]
                    m += 1
            if m < min_valid or m < 3:
                continue
            k = 0
            s0 = 0.0                              # S counted in the same pair loop
            for i in range(m - 1):
                yi = yv[i]
                ti = tv[i]
                for j in range(i + 1, m):
                    d = yv[j] - yi
                    slopes[k] = d / (tv[j] - ti)
                    s0 += (1.0 if d > 0 else 0.0) - (1.0 if d < 0 else 0.0)
                    k += 1
            sen = _median_inplace(slopes, k)
            nn = float(m)
            if method == 3:                       # pre-whitening (Yue & Wang 2002)
                _acf(yv, m, 1, ac)
                r1 = ac[1] if not math.isnan(ac[1]) else 0.0
                for i in range(m - 1):
                    xd[i] = yv[i + 1] - r1 * yv[i]
                s, var = _s_var(xd, m - 1, buf)
                nn = float(m - 1)
            else:
                s = s0
                var = _tie_var(yv, m, buf)
                if method == 1 or method == 2:    # variance correction
                    for i in range(m):
                        xd[i] = yv[i] - (tv[i] - tv[0]) * sen   # origin-free
                    if method == 1:               # Hamed & Rao (1998): ACF of ranks
                        for i in range(m):
                            less = 0.0
                            eq = 0.0
                            for j in range(m):
                                if xd[j] < xd[i]:
                                    less += 1.0
                                elif xd[j] == xd[i]:
                                    eq += 1.0
                            rk[i] = less + (eq + 1.0) / 2.0
                        _acf(rk, m, m - 1, ac)
                        bound = zcrit / math.sqrt(nn)
                        sni = 0.0
                        for i in range(1, m):
                            a = ac[i]
                            if not (a <= bound and a >= -bound) and not math.isnan(a):
                                sni += (nn - i) * (nn - i - 1.0) * (nn - i - 2.0) * a
                        var *= 1.0 + 2.0 / (nn * (nn - 1.0) * (nn - 2.0)) * abs(sni)
                    else:                         # Yue & Wang (2004): ACF of detrended
                        _acf(xd, m, m - 1, ac)
                        sni = 0.0
                        for i in range(1, m):
                            if not math.isnan(ac[i]):
                                sni += (1.0 - i / nn) * ac[i]
                        var *= 1.0 + 2.0 * sni
            if method == 3:
                _sort_into(yv, m, buf)            # buf held the whitened values
            if s > 0:
                z = (s - 1.0) / math.sqrt(var) if var > 0 else np.nan
            elif s < 0:
                z = (s + 1.0) / math.sqrt(var) if var > 0 else np.nan
            else:
                z = 0.0
            out[0, p] = s
            out[1, p] = var
            out[2, p] = z
            out[3, p] = math.erfc(abs(z) / 1.4142135623730951)
            out[4, p] = s / (0.5 * nn * (nn - 1.0))
            out[5, p] = sen
            out[6, p] = _median_sorted(buf, m) - _median_sorted(tv, m) * sen
    return out


METHODS = {"original": 0, "hamed_rao": 1, "yue_wang": 2, "pre_whitening": 3}


def mann_kendall(y, years=None, method="original", min_valid=None, alpha=0.05):
    """Mann-Kendall trend test with the Theil-Sen slope (methods.md 4).

    Numbers follow pymannkendall: ``original_test`` (S, tie-corrected
    variance, Z with continuity correction, two-sided normal p, tau =
    S / (n(n-1)/2)), ``hamed_rao_modification_test`` (variance scaled by
    1 + 2/(n(n-1)(n-2)) |sum (n-i)(n-i-1)(n-i-2) rho_i| over the lags whose
    rank autocorrelation of the Sen-detrended series lies outside
    +-z(1-alpha/2)/sqrt(n); the absolute value is pymannkendall's fix for a
    negative variance, unreleased after 1.4.3), ``yue_wang_modification_test``
    (variance scaled by 1 + 2 sum (1 - i/n) rho_i of the detrended series) and
    ``pre_whitening_modification_test`` (S, variance and tau of
    y_t - r1 y_(t-1), n - 1 values). The Sen slope (median of pairwise slopes
    over ``years``) and intercept median(y) - median(years) * slope are always
    those of the original series. Missing years are skipped; detrending is
    y - (t - t[0]) * slope on the true years, so the result does not depend
    on the time origin (pymannkendall uses positions of the valid values,
    which differs only when values are missing). A corrected variance <= 0 gives
    NaN Z and p.
    """
    if method not in METHODS:
        raise InputError(N_("method must be one of {}, not {!r}"), ', '.join(METHODS), method)
    code = METHODS[method]
    zcrit = float(special.ndtri(1.0 - alpha / 2.0))
    y2, t, mv, shape = prepare(y, years, min_valid)
    if use_numba():
        res = _mk_numba(y2, t, mv, code, zcrit)
    elif code == 0:
        res = np.empty((7, y2.shape[1]))
        for a in range(0, y2.shape[1], _CHUNK):
            res[:, a:a + _CHUNK] = _mk_numpy(y2[:, a:a + _CHUNK], t, mv)
    else:
        res = np.empty((7, y2.shape[1]))
        for a in range(0, y2.shape[1], _CHUNK):
            res[:, a:a + _CHUNK] = _mk_modified_numpy(y2[:, a:a + _CHUNK], t, mv, code, zcrit)
    return MannKendall(*(shaped(np.asarray(a), shape) for a in res))


# ------------------------------------------------------------------ classes

def trend_class(slope, z):
    """Nine trend classes -4..4 from the Sen slope sign and |Z| (methods.md 4).

    4/-4 extremely significant (|Z| > 2.58), 3/-3 significant (1.96 < |Z| <=
    2.58), 2/-2 weakly significant (1.64 < |Z| <= 1.96), 1/-1 not significant,
    0 no change (slope = 0). NaN input gives the nodata code -128.
    """
    slope = np.asarray(slope, dtype=np.float64)
    az = np.abs(np.asarray(z, dtype=np.float64))
    level = np.where(az > 2.58, 4, np.where(az > 1.96, 3, np.where(az > 1.64, 2, 1)))
    bad = np.isnan(slope) | np.isnan(az)
    return np.where(bad, NODATA_CLASS, np.sign(np.where(bad, 0, slope)) * level).astype(np.int8)


def linear_trend_class(slope, pvalue, alpha=0.05, alpha_strong=None):
    """Least-squares trend classes (Wu2023): 2 significant increase
    (p < alpha), 1 insignificant increase, 0 no trend, -1 insignificant
    decrease, -2 significant decrease; with ``alpha_strong`` (e.g. 0.01) also
    3/-3 extremely significant. NaN gives the nodata code -128."""
    slope = np.asarray(slope, dtype=np.float64)
    p = np.asarray(pvalue, dtype=np.float64)
    level = np.where(p < alpha, 2, 1)
    if alpha_strong is not None:
        level = np.where(p < alpha_strong, 3, level)
    bad = np.isnan(slope) | np.isnan(p)
    return np.where(bad, NODATA_CLASS, np.sign(np.where(bad, 0, slope)) * level).astype(np.int8)


# dask arrays and xarray DataArrays in, the same kind out (core._dispatch); numpy
# arrays go straight through. Wrapped here, so each public name is one object.
linear_trend = dask_aware(linear_trend, "fields", ("y",))
mann_kendall = dask_aware(mann_kendall, "fields", ("y",))
trend_class = dask_aware(trend_class, "elementwise", ("slope", "z"))
linear_trend_class = dask_aware(linear_trend_class, "elementwise", ("slope", "pvalue"))
