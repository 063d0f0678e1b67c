"""Abrupt-change tests of one series: sequential Mann-Kendall and Pettitt.

methods.md section 5 [Zhang2022]. These work on a single series (in QGIS the
mean series of a raster stack inside each zone, or a table column), so they
are plain numpy. NaN values are dropped before testing (the remaining values
keep their order); positions in the results refer to the original series,
and per-step outputs are NaN at the dropped steps.
"""
import math
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from .errors import N_, InputError


@dataclass
class SequentialMannKendall:
    """Result of :func:`sequential_mann_kendall`; arrays follow the input's time axis.

    uf, ub: the forward and backward statistics (length n, NaN at dropped steps).
    crossings: int indices k (0-based, into uf/ub) of the step at or just
        before each intersection of UF and UB: either uf[k] == ub[k], or
        uf - ub changes sign strictly between step k and the next valid step.
    crossing_position: the intersection of the two polygonal lines by linear
        interpolation, as a fractional index (equal to k for an exact meet).
    crossing_value: UF (= UB) at that intersection.
    in_band: for each crossing, |crossing_value| <= z_crit: the crossing lies
        inside the confidence band and marks the start of an abrupt change.
    z_crit: the band, Phi^-1(1 - alpha/2) (1.96 for alpha = 0.05).
    """
    uf: np.ndarray
    ub: np.ndarray
    crossings: np.ndarray
    crossing_position: np.ndarray
    crossing_value: np.ndarray
    in_band: np.ndarray
    z_crit: float

    @property
    def change_points(self):
        """Indices of the crossings inside the band (abrupt-change starts)."""
        return self.crossings[self.in_band]


@dataclass
class Pettitt:
    """Result of :func:`pettitt`.

    index: 1-based position (in the original series, dropped NaN steps
        counted) of the last value before the change, argmax_t |U_t| (the
        first one if several t reach K); e.g. with years 1871.. the change
        year is ``years[index]`` and the last old-regime year ``years[index - 1]``.
    k: K = max_t |U_t|.
    pvalue: 2 exp(-6 K^2 / (m^3 + m^2)), clipped to [0, 1] (m valid values).
    u: U_t for every step t (NaN at dropped steps; U at the last valid step is 0).
    """
    index: int
    k: float
    pvalue: float
    u: np.ndarray


def _series(series, least):
    x = np.asarray(series, dtype=np.float64)
    if x.ndim != 1:
        raise InputError(N_("one series expected (shape (n,)), got shape {}"), x.shape)
    keep = np.flatnonzero(~np.isnan(x))
    if np.isinf(x[keep]).any():
        raise InputError(N_("the series contains infinite values"))
    if keep.size < least:
        raise InputError(N_("{} valid values; at least {} are needed"), keep.size, least)
    return x, keep


def _uf(x):
    """UF_k, k = 1..n, of methods.md 5 (ties count as not greater)."""
    n = x.size
    # count_i = number of j < i with x_i > x_j (strict lower triangle)
    greater = np.tril(x[:, None] > x[None, :], -1)
    d = np.cumsum(greater.sum(axis=1)).astype(np.float64)
    k = np.arange(1, n + 1, dtype=np.float64)
    e = k * (k - 1) / 4.0
    var = k * (k - 1) * (2 * k + 5) / 72.0
    uf = np.zeros(n)
    uf[1:] = (d[1:] - e[1:]) / np.sqrt(var[1:])
    return uf


def sequential_mann_kendall(series, alpha=0.05):
    """Sequential Mann-Kendall test (methods.md 5) of one series.

    d_k = sum over i = 2..k of #{j < i : x_i > x_j}; E(d_k) = k(k-1)/4;
    Var(d_k) = k(k-1)(2k+5)/72; UF_k = (d_k - E(d_k)) / sqrt(Var(d_k)) for
    k >= 2 and UF_1 = 0. UB is UF of the reversed series, negated and put
    back in time order (so UB_n = 0).

    Ties count as "not greater" (the strict definition): a run of equal
    values lowers UF, and a constant series has UF_k = -sqrt(4.5 k(k-1) /
    (2k+5)) < 0 and UB = -UF reversed > 0, without crossing.

    Crossings are listed where UF - UB is 0 at a step or changes sign between
    two consecutive (valid) steps; each is reported by the index k of the step
    at or just before the intersection, with the interpolated intersection
    position and value; ``in_band`` tells which lie inside +-z_crit
    (z_crit = Phi^-1(1 - alpha/2)), the ones that mark the start of an
    abrupt change (``result.change_points``).

    NaN values are dropped (at least 3 valid values are needed, otherwise
    ValueError); uf and ub are NaN at the dropped steps and indices refer to
    the original series.
    """
    x, keep = _series(series, 3)
    v = x[keep]
    uf_v = _uf(v)
    ub_v = 0.0 - _uf(v[::-1])[::-1]          # 0.0 - : no negative zeros
    c = uf_v - ub_v
    zero = np.flatnonzero(c == 0)
    change = np.flatnonzero(c[:-1] * c[1:] < 0)
    frac = np.concatenate([np.zeros(zero.size),
                           c[change] / (c[change] - c[change + 1])])
    at = np.concatenate([zero, change])
    order = np.argsort(at, kind="stable")
    at, frac = at[order], frac[order]
    nxt = np.minimum(at + 1, keep.size - 1)
    value = uf_v[at] + frac * (uf_v[nxt] - uf_v[at])
    position = keep[at] + frac * (keep[nxt] - keep[at])
    z_crit = float(special.ndtri(1.0 - alpha / 2.0))
    uf = np.full(x.size, np.nan)
    ub = np.full(x.size, np.nan)
    uf[keep] = uf_v
    ub[keep] = ub_v
    return SequentialMannKendall(uf, ub, keep[at], position, value,
                                 np.abs(value) <= z_crit, z_crit)


def pettitt(series):
    """Pettitt (1979) change-point test of one series.

    U_t = sum_{i <= t} sum_{j > t} sgn(x_i - x_j) = 2 sum_{i <= t} R_i - t(m + 1)
    (R the ranks, mid-ranks for ties), t = 1..m; K = max |U_t|; the change
    point is the t reaching K (the first one), reported as ``index``, the
    1-based position of the last value before the change. U_t > 0 there
    means the values before the change are higher.

    p = 2 exp(-6 K^2 / (m^3 + m^2)) (Pettitt's approximation, clipped to
    [0, 1]); m is the number of valid values. NaN values are dropped (at
    least 3 valid values needed, otherwise ValueError); ``index`` counts the
    dropped steps, so it is a position in the original series. A constant
    series has K = 0, p = 1 and index 1 (no change point).
    """
    x, keep = _series(series, 3)
    v = x[keep]
    m = v.size
    ranks = stats.rankdata(v)
    t = np.arange(1, m + 1, dtype=np.float64)
    u_v = 2.0 * np.cumsum(ranks) - t * (m + 1)
    u_v[-1] = 0.0                     # exactly 0 (sum of all ranks)
    au = np.abs(u_v[:-1])
    pos = int(np.argmax(au))
    k = float(au[pos])
    p = min(1.0, max(0.0, 2.0 * math.exp(-6.0 * k * k / (float(m) ** 3 + float(m) ** 2))))
    u = np.full(x.size, np.nan)
    u[keep] = u_v
    return Pettitt(int(keep[pos]) + 1, k, p, u)
