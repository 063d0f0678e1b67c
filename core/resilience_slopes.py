"""Growing-window slopes and maintained years of the resilience analysis
(methods.md 9 steps 1-3; core/resilience.py holds the counts and the
results). A pixel's maintenance is absorbing, so one signed integer per pixel
holds it: the number of evaluation years it kept the sign of its trend
(:func:`maintained_years`). Running sums: one pass, O(n) per pixel; a numba
kernel and the numpy path with the same numbers."""
import math

import numpy as np

from ._numba import njit, njit_parallel, prange, use_numba
from ._series import prepare
from .errors import N_, InputError

NODATA_YEARS = -32768        # int16 nodata of the maintained-years raster
MIN_WINDOW = 3               # valid years needed in t0..t' for the slope at t'
MIN_LATER = 2                # later years needed after t' (3 points to fit)
_CHUNK = 8192                # pixels per numpy-path chunk (bounds its memory)


# ----------------------------------------------------------------- checks

def reference_index(years, reference_year):
    """Index of ``reference_year`` in ``years``; ValueError with a clear
    message when it is missing or leaves too few years before or after it."""
    t = np.asarray(years, dtype=np.float64).ravel()
    n = t.shape[0]
    ref = float(reference_year)
    hits = np.nonzero(t == ref)[0]
    span = f"{t[0]:g}..{t[-1]:g}" if n else "none"
    if not len(hits):
        raise InputError(N_("reference year {:g} is not one of the stack's years ({})"), ref, span)
    r = int(hits[0])
    if n < MIN_WINDOW + MIN_LATER:
        raise InputError(N_("resilience needs at least {} years, the stack has {}"),
                         MIN_WINDOW + MIN_LATER, n)
    if r < MIN_WINDOW - 1:
        which = "the first year" if r == 0 else "the second year"
        raise InputError(N_("reference year {:g} is {} of the stack ({}): the trend at the "
                            "reference year is the slope over the years from the first year to "
                            "it, which needs at least {} years; choose a reference year of "
                            "{:g} or later (Wu et al. 2023: 2000 for 1981-2018)"),
                         ref, which, span, MIN_WINDOW, t[MIN_WINDOW - 1])
    if n - 1 - r < MIN_LATER:
        which = "the last year" if r == n - 1 else "the year before the last"
        raise InputError(N_("reference year {:g} is {} of the stack ({}): no later years are "
                            "left to follow the trend; the decay fit needs at least {} years "
                            "after the reference year, so choose a reference year of {:g} or "
                            "earlier"), ref, which, span, MIN_LATER, t[n - 1 - MIN_LATER])
    return r


def _prepare(y, years, reference_year, min_valid):
    y2, t, mv, shape = prepare(y, years, min_valid, least=MIN_WINDOW)
    if mv > y2.shape[0]:
        raise InputError(N_("minimum number of valid years must be between {} and {}, not {}"),
                         MIN_WINDOW, y2.shape[0], mv)
    r = reference_index(t, reference_year)
    tt = t - t[0]          # shifted years: exact small numbers, accurate sums
    return y2, t, tt, r, mv, shape


# ------------------------------------------------- growing-window slopes

def _slopes_numpy(y, tt, r, min_valid):
    """(m, pixels) slopes over t0..t_i for i = r..n-1 (NaN: pixel left out)."""
    n, npix = y.shape
    valid = np.isfinite(y)          # inf counts as missing, as in the numba kernels
    ok = (valid.sum(axis=0) >= min_valid) & (valid[:r + 1].sum(axis=0) >= MIN_WINDOW)
    first = np.argmax(valid, axis=0)
    y0 = y[first, np.arange(npix)]
    with np.errstate(invalid="ignore"):
        dy = np.where(valid, y - y0, 0.0)
    dt = np.where(valid, tt[:, None], 0.0)
    # the running sums year by year over whole rows (cumsum along axis 0 is a
    # strided loop, 6x slower), the same additions as _add_year
    dtt, dty = dt * dt, dt * dy
    c, st, stt, sy, sty = (np.zeros(npix) for _ in range(5))
    k = np.empty((n - r, npix))
    with np.errstate(invalid="ignore", divide="ignore"):
        for i in range(n):
            c += valid[i]
            st += dt[i]
            stt += dtt[i]
            sy += dy[i]
            sty += dty[i]
            if i >= r:
                np.divide(c * sty - st * sy, c * stt - st * st, out=k[i - r])
    k[:, ~ok] = np.nan
    return k


@njit
def _valid_counts(y, p, r):  # pragma: no cover - compiled
    """(valid years, valid years up to the reference index r, first valid value)
    of pixel p: the checks and the offset of the running sums."""
    cnt = 0
    cwin = 0
    y0 = 0.0
    for i in range(y.shape[0]):
        if math.isfinite(y[i, p]):
            if cnt == 0:
                y0 = y[i, p]
            cnt += 1
            if i <= r:
                cwin += 1
    return cnt, cwin, y0


@njit
def _add_year(c, st, stt, sy, sty, v, dt, y0):  # pragma: no cover - compiled
    """The running sums of a growing-window slope with one more year (a
    missing value leaves them as they are)."""
    if math.isfinite(v):
        dy = v - y0
        return c + 1.0, st + dt, stt + dt * dt, sy + dy, sty + dt * dy
    return c, st, stt, sy, sty


@njit
def _slope(c, st, stt, sy, sty):  # pragma: no cover - compiled
    return (c * sty - st * sy) / (c * stt - st * st)


@njit_parallel
def _slopes_numba(y, tt, r, min_valid):  # pragma: no cover - compiled
    n, npix = y.shape
    out = np.full((n - r, npix), np.nan)
    for p in prange(npix):
        cnt, cwin, y0 = _valid_counts(y, p, r)
        if cnt < min_valid or cwin < 3:
            continue
        c = st = stt = sy = sty = 0.0
        for i in range(n):
            c, st, stt, sy, sty = _add_year(c, st, stt, sy, sty, y[i, p], tt[i], y0)
            if i >= r:
                out[i - r, p] = _slope(c, st, stt, sy, sty)
    return out


@njit_parallel
def _years_numba(y, tt, r, min_valid):  # pragma: no cover - compiled
    n, npix = y.shape
    out = np.empty(npix, dtype=np.int16)
    for p in prange(npix):
        cnt, cwin, y0 = _valid_counts(y, p, r)
        if cnt < min_valid or cwin < 3:
            out[p] = -32768
            continue
        c = st = stt = sy = sty = 0.0
        s0 = 0
        kept = 0
        for i in range(n):
            c, st, stt, sy, sty = _add_year(c, st, stt, sy, sty, y[i, p], tt[i], y0)
            if i >= r:
                k = _slope(c, st, stt, sy, sty)
                s = 1 if k > 0 else (-1 if k < 0 else 0)
                if i == r:
                    s0 = s
                    if s == 0:
                        break
                    kept = 1
                elif s == s0:
                    kept += 1
                else:
                    break
        out[p] = s0 * kept
    return out


def _years_from_slopes(k):
    """Signed maintained years from the (m, pixels) slopes (numpy path)."""
    s = np.sign(k)
    s0 = s[0]
    same = np.ones(s0.shape, dtype=bool)
    kept = np.zeros(s0.shape)
    for row in s:                       # row by row: accumulate along axis 0 is strided
        same &= row == s0
        kept += same
    d = (s0 * kept)
    d = np.where(np.isnan(s0), NODATA_YEARS, np.where(s0 == 0, 0, d))
    return d.astype(np.int16)


def growing_window_slopes(y, years=None, reference_year=None, min_valid=None):
    """Least-squares slopes of every pixel over t0..t_i for each evaluation
    year t_i >= ``reference_year`` (methods.md 9 step 1), from running sums.

    Returns (evaluation years, K) with K of shape (m,) + y.shape[1:], NaN for
    pixels left out (fewer than ``min_valid`` valid years, default all, or
    fewer than 3 valid years in t0..t')."""
    y2, t, tt, r, mv, shape = _prepare(y, years, reference_year, min_valid)
    if use_numba():
        k = _slopes_numba(y2, tt, r, mv)
    else:
        k = np.empty((y2.shape[0] - r, y2.shape[1]))
        for a in range(0, y2.shape[1], _CHUNK):
            k[:, a:a + _CHUNK] = _slopes_numpy(y2[:, a:a + _CHUNK], tt, r, mv)
    return t[r:].copy(), k.reshape((k.shape[0],) + shape)


def slope_sign(k):
    """Slope surfaces S = +1 / -1 / 0 (int8); NaN slopes give 0 and should be
    masked by the caller (methods.md 9 step 2)."""
    k = np.asarray(k, dtype=np.float64)
    return np.sign(np.nan_to_num(k, nan=0.0)).astype(np.int8)


def maintenance(s):
    """Maintenance surfaces P from slope surfaces S (time on axis 0):
    P(t') = S(t'); P(t_i) = P(t_{i-1}) if S(t_i) = P(t_{i-1}) else 0, and a
    pixel that reached 0 stays 0 (methods.md 9 step 3)."""
    s = np.asarray(s, dtype=np.int8)
    p = np.empty_like(s)
    p[0] = s[0]
    for i in range(1, s.shape[0]):
        p[i] = np.where(s[i] == p[i - 1], p[i - 1], 0)
    return p


def maintained_years(y, years=None, reference_year=None, min_valid=None):
    """Signed number of evaluation years each pixel kept its trend, counting
    the reference year (int16, Wu2023 Fig. 8): +d kept a positive trend from
    t' through t_{d-1}; -d a negative one; 0 had no trend at t' (K = 0);
    ``NODATA_YEARS`` (-32768) pixels left out. +-m (m = number of
    evaluation years) means kept to the last year."""
    y2, t, tt, r, mv, shape = _prepare(y, years, reference_year, min_valid)
    d = _years_block(y2, tt, r, mv)
    return d.reshape(shape)


def _years_block(y2, tt, r, mv):
    if use_numba():
        return _years_numba(y2, tt, r, mv)
    d = np.empty(y2.shape[1], dtype=np.int16)
    for a in range(0, y2.shape[1], _CHUNK):
        d[a:a + _CHUNK] = _years_from_slopes(_slopes_numpy(y2[:, a:a + _CHUNK], tt, r, mv))
    return d
