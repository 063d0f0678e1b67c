"""Partial correlation of a series with one driver, controlling for others.

methods.md section 8 [Zhang2025]. Every function takes time on axis 0 (shape
(n,) or (n, rows, cols)), NaN as missing, and returns arrays shaped like
``y[0]``.

How the coefficient is computed
-------------------------------
For the q = k + 2 variables (y, x, z_1..z_k) of one pixel, C is their
correlation matrix over the pixel's complete time steps and P = C^-1. The
partial correlation of y and x given the controls is

    r = -P_yx / sqrt(P_yy P_xx)                                    (1)

the correlation of the residuals of y and of x after least-squares
regression (with intercept) on the controls. Both paths obtain it by
Gaussian elimination of the controls from C: eliminating z_1..z_k in turn
leaves the 2 x 2 Schur complement [[a, b], [b, c]] whose inverse is the
(y, x) block of P, so (1) is r = b / sqrt(a c). a and c are the shares of the
variance of y and x left unexplained by the controls (1 - R^2), and every
pivot is the share of a control not explained by the controls before it.
This is the general k-th order formula; for k = 1 it reduces to the
first-order textbook formula

    r_yx.z = (r_yx - r_yz r_xz) / sqrt((1 - r_yz^2)(1 - r_xz^2))

and for k = 2 to Zhang2025 eq. 4 (the same formula applied to first-order
coefficients); for k = 0 it is Pearson's r.
"""
import math
from dataclasses import dataclass

import numpy as np

from ._dispatch import dask_aware
from ._numba import njit_parallel, prange, use_numba
from ._series import prepare, shaped
from .errors import N_, InputError
from .trend import NODATA_CLASS, _t_pvalue

# A pivot (share of a variable's variance not explained by the controls
# eliminated before it) below this is treated as exact collinearity: the
# correlation matrix is singular and the pixel is NaN. Rounding leaves about
# 1e-15 in exactly collinear data; real drivers are far above 1e-10.
COLLINEAR_TOL = 1e-10
_BLOCK = 256            # pixels per numba work item (scratch arrays reused)
_CHUNK = 16384          # pixels per numpy-path chunk (bounds its memory)


@dataclass
class PartialCorrelation:
    r: np.ndarray
    pvalue: np.ndarray


# ------------------------------------------------------------------ numpy

def _pcorr_numpy(vs, min_valid, tol):
    """vs: (q, n, pixels), order y, x, controls. Returns (r, m)."""
    q, n, npix = vs.shape
    valid = np.all(np.isfinite(vs), axis=0)                     # (n, pixels)
    m = valid.sum(axis=0).astype(np.float64)
    v = np.where(valid, vs, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = v.sum(axis=1) / m                                # (q, pixels)
        dev = np.where(valid, v - mean[:, None, :], 0.0)
    del v
    # exactly constant variables (compared on the complete steps only)
    hi = np.where(valid, vs, -np.inf).max(axis=1)
    lo = np.where(valid, vs, np.inf).min(axis=1)
    bad = (m < min_valid) | np.any(hi == lo, axis=0)
    s = np.empty((q, q, npix))
    for a in range(q):
        for b in range(a, q):
            s[a, b] = s[b, a] = (dev[a] * dev[b]).sum(axis=0)
    del dev
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(s[np.arange(q), np.arange(q)])             # (q, pixels)
        c = s / sd[:, None, :] / sd[None, :, :]
        for a in range(q):
            c[a, a] = np.where(s[a, a] > 0, 1.0, 0.0)
        for j in range(2, q):                                   # eliminate controls
            piv = c[j, j]
            bad |= ~(piv > tol)
            for a in range(q):
                if a == j or (1 < a < j):
                    continue
                f = c[a, j] / piv
                for b in range(q):
                    if b == j or (1 < b < j):
                        continue
                    c[a, b] = c[a, b] - f * c[j, b]
        a_, b_, c_ = c[0, 0], c[0, 1], c[1, 1]
        bad |= ~(a_ > tol) | ~(c_ > tol)
        r = b_ / np.sqrt(a_ * c_)
    r = np.clip(r, -1.0, 1.0)
    r[bad] = np.nan
    return r, m


# ------------------------------------------------------------------ numba

@njit_parallel
def _pcorr_numba(vs, min_valid, tol):  # pragma: no cover - compiled
    q = len(vs)
    n, npix = vs[0].shape
    r = np.full(npix, np.nan)
    cnt = np.zeros(npix)
    nblock = (npix + _BLOCK - 1) // _BLOCK
    for blk in prange(nblock):
        buf = np.empty((n, q))          # one time step per row
        mu = np.empty(q)
        c = np.empty((q, q))
        for p in range(blk * _BLOCK, min(npix, (blk + 1) * _BLOCK)):
            for a in range(q):
                va = vs[a]
                for i in range(n):
                    buf[i, a] = va[i, p]
            # keep the complete time steps (every variable finite), in place
            m = 0
            for i in range(n):
                ok = True
                for a in range(q):
                    if not math.isfinite(buf[i, a]):
                        ok = False
                if ok:
                    if m < i:
                        for a in range(q):
                            buf[m, a] = buf[i, a]
                    m += 1
            cnt[p] = m
            if m < min_valid:
                continue
            # an exactly constant variable (zero variance) makes the pixel NaN
            const = False
            for a in range(q):
                v0 = buf[0, a]
                same = True
                for i in range(1, m):
                    if buf[i, a] != v0:
                        same = False
                        break
                if same:
                    const = True
            if const:
                continue
            # centre, then cross-products; the accumulators are interleaved
            # (time outer) but each still sums over time in order
            for a in range(q):
                mu[a] = 0.0
            for i in range(m):
                for a in range(q):
                    mu[a] += buf[i, a]
            for a in range(q):
                mu[a] = mu[a] / m
            for i in range(m):
                for a in range(q):
                    buf[i, a] -= mu[a]
            for a in range(q):
                for b in range(q):
                    c[a, b] = 0.0
            for i in range(m):
                for a in range(q):
                    da = buf[i, a]
                    for b in range(a, q):
                        c[a, b] += da * buf[i, b]
            for a in range(q):
                for b in range(a + 1, q):
                    c[b, a] = c[a, b]
            # correlation matrix
            for a in range(q):
                for b in range(q):
                    if a != b:
                        c[a, b] = c[a, b] / math.sqrt(c[a, a]) / math.sqrt(c[b, b])
            for a in range(q):
                c[a, a] = 1.0 if c[a, a] > 0 else 0.0
            # Gaussian elimination of the controls (indices 2..q-1)
            singular = False
            for j in range(2, q):
                piv = c[j, j]
                if not piv > tol:
                    singular = True
                    break
                for a in range(q):
                    if a == j or (1 < a < j):
                        continue
                    f = c[a, j] / piv
                    for b in range(q):
                        if b == j or (1 < b < j):
                            continue
                        c[a, b] = c[a, b] - f * c[j, b]
            if singular or not c[0, 0] > tol or not c[1, 1] > tol:
                continue
            rv = c[0, 1] / math.sqrt(c[0, 0] * c[1, 1])
            r[p] = min(1.0, max(-1.0, rv))
    return r, cnt


# ------------------------------------------------------------------ public

def partial_correlation(y, x, controls=(), min_valid=None):
    """Partial correlation of ``y`` with ``x`` controlling for ``controls``.

    ``y`` and ``x`` have time on axis 0, shape (n,) or (n, rows, cols);
    ``controls`` is a sequence of k arrays of the same shape (order does not
    matter; k = 0 gives Pearson's r). Returns ``r`` and its two-sided
    ``pvalue`` (Student t, t = r sqrt((m - 2 - k) / (1 - r^2)), m - 2 - k
    degrees of freedom, m the pixel's complete steps), shaped like ``y[0]``.

    The coefficient is (1) of the module docstring, r = -P_yx / sqrt(P_yy
    P_xx) with P the inverse correlation matrix of (y, x, controls), computed
    by eliminating the controls; it equals the correlation of the residuals of
    y and x regressed (with intercept) on the controls.

    Missing data: a time step where any of y, x or a control is NaN (or
    infinite) is dropped for that pixel; the pixel is computed when at least
    ``min_valid`` complete steps remain (default: all n) and never with fewer
    than k + 3 (one degree of freedom).

    NaN results: too few complete steps; y, x or a control constant over the
    complete steps (zero variance); a singular correlation matrix, i.e. a
    variable explained by the controls (or a control by the other controls)
    up to a share of unexplained variance below ``COLLINEAR_TOL`` (1e-10),
    for example x collinear with a control. Rounding outside [-1, 1] is
    clipped; a result of exactly +-1 has p = 0.
    """
    if isinstance(controls, np.ndarray) and controls.shape == np.shape(y):
        raise InputError(N_("controls is a sequence of arrays: pass one control as [z]"))
    controls = list(controls)
    k = len(controls)
    y2, _, mv, shape = prepare(y, None, min_valid, least=k + 3)
    arrays = [y2]
    for name, a in [("x", x)] + [(f"controls[{i}]", c) for i, c in enumerate(controls)]:
        a = np.asarray(a, dtype=np.float64)
        if a.shape != (y2.shape[0],) + shape:
            raise InputError(N_("{} has shape {}, y has {}"), name, a.shape, (y2.shape[0],) + shape)
        arrays.append(np.ascontiguousarray(a.reshape(y2.shape)))
    if use_numba():
        r, m = _pcorr_numba(tuple(arrays), mv, COLLINEAR_TOL)
    else:
        npix = y2.shape[1]
        r = np.empty(npix)
        m = np.empty(npix)
        for a in range(0, npix, _CHUNK):
            vs = np.stack([v[:, a:a + _CHUNK] for v in arrays])
            r[a:a + _CHUNK], m[a:a + _CHUNK] = _pcorr_numpy(vs, mv, COLLINEAR_TOL)
    p = _t_pvalue(r * r, m, k)
    return PartialCorrelation(shaped(r, shape), shaped(p, shape))


def correlation_class(r, p, alpha=0.05):
    """Correlation classes (int8) from r and its p-value (methods.md 8).

    2 significant positive (r > 0, p < alpha), 1 positive (not significant),
    0 r == 0, -1 negative (not significant), -2 significant negative
    (r < 0, p < alpha); NaN r or p gives the nodata code -128.
    """
    r = np.asarray(r, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    level = np.where(p < alpha, 2, 1)
    bad = np.isnan(r) | np.isnan(p)
    return np.where(bad, NODATA_CLASS, np.sign(np.where(bad, 0, r)) * level).astype(np.int8)


# dask arrays and xarray DataArrays in, the same kind out (core._dispatch); numpy
# arrays go straight through. Wrapped here, so each public name is one object.
partial_correlation = dask_aware(partial_correlation, "fields", ("y", "x", "controls"))
correlation_class = dask_aware(correlation_class, "elementwise", ("r", "p"))
