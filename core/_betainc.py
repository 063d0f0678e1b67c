"""The two-sided p-value of a correlation (or a least-squares slope) inside
numba kernels: the regularised incomplete beta function, equal to scipy's
``stdtr`` to about 1e-13 (methods.md 3). Used by core/trend.py."""
import math

import numpy as np

from ._numba import njit


@njit
def _betacf(a, b, x):  # pragma: no cover - compiled
    """Continued fraction of the regularised incomplete beta function
    (modified Lentz; Numerical Recipes, 3rd ed., section 6.4)."""
    tiny = 1e-300
    qab = a + b
    qap = a + 1.0
    qam = a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) >= tiny else tiny)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) >= tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) >= tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) >= tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) >= tiny else tiny
        de = d * c
        h *= de
        if abs(de - 1.0) < 1e-16:
            break
    return h


@njit
def _betainc(a, b, x, xc):  # pragma: no cover - compiled
    """I_x(a, b), given x and xc = 1 - x computed without cancellation."""
    if x <= 0.0:
        return 0.0
    if xc <= 0.0:
        return 1.0
    lbt = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x)
           + b * math.log(xc))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(lbt) * _betacf(a, b, x) / a
    return 1.0 - math.exp(lbt) * _betacf(b, a, xc) / b


@njit
def _t_pvalue_r2(r2, df):  # pragma: no cover - compiled
    """Two-sided p of t = r sqrt(df / (1 - r^2)): I_(1 - r^2)(df/2, 1/2),
    which is 2 stdtr(df, -|t|) (scipy) to about 1e-13 for df <= 1000."""
    if math.isnan(r2) or not df > 0:
        return np.nan
    if r2 >= 1.0:
        return 0.0
    if r2 <= 0.0:
        return 1.0
    p = _betainc(0.5 * df, 0.5, 1.0 - r2, r2)
    return min(max(p, 0.0), 1.0)
