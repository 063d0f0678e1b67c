"""Gini coefficient of a set of units (methods.md 11) [Zhang2022].

Three methods:

- ``"standard"``: G = sum_i sum_j |x_i - x_j| / (2 n^2 mean), for
  non-negative data (the "n^2" form: [0, 0, 0, 1] gives 0.75, a single unit
  holding everything gives (n - 1)/n). Computed in O(n log n) from the sorted
  values: sum_i sum_j |x_i - x_j| = 2 sum_i (2i - n - 1) x_(i), i = 1..n.
  Data with a negative value raise ValueError (naming the other methods).
- ``"rsv"``: the normalised Gini of Raffinetti, Siletti & Vernizzi (2015,
  Stat. Methods Appl. 24:507-521) for data with negative values. The
  normalisation is the Gini mean difference of the "polarised" scenario (the
  total negative amount T- = sum |x_i < 0| held by one unit, the total
  positive amount T+ = sum x_i > 0 by another, every other unit 0), whose
  sum_i sum_j |x_i - x_j| is 2 (n - 1)(T+ + T-). Hence (the paper's ordinary,
  finite-n normalisation, mu_RSV = (n - 1)(T+ + T-)/n^2):

      G_RSV = sum_i sum_j |x_i - x_j| / (2 n^2 mu_RSV)
            = sum_i sum_j |x_i - x_j| / (2 (n - 1)(T+ + T-)),

  always in [0, 1] and equal to 1 exactly in the polarised scenario. (The
  "generalised" normalisation mu = (T+ + T-)/n, used by GiniWegNeg's
  PGini_RSV, is the n -> infinity limit and gives (n - 1)/n times this.)
  For non-negative data G_RSV = n/(n - 1) times the standard n^2 Gini.
- ``"segmented"`` (Zhang2022): units split into deficit (x < 0), neutral
  (x = 0) and surplus (x > 0) with shares p_deficit, p_neutral, p_surplus
  (of n); gini_deficit is the standard Gini of |x| over the deficit units,
  gini_surplus that of the surplus units (NaN for an empty group, 0 for a
  group of one), and ``gini`` their sum as printed in Zhang2022 (an empty
  group adds nothing; NaN when both are empty). Zhang2022's eq. 16, which
  combines the groups with the shares, is garbled in print: it is not
  reproduced; the parts are reported so that any combination can be formed.

NaN values are not units (left out; ``n`` counts the finite values).
"""
import math
from dataclasses import dataclass

import numpy as np

from .errors import N_, InputError

__all__ = ["GINI_BANDS", "GINI_METHODS", "Gini", "gini", "gini_band"]

GINI_METHODS = ("standard", "rsv", "segmented")

#: (upper bound, label) of the interpretation bands used by Zhang2022
GINI_BANDS = [(0.2, N_("absolute equality")), (0.3, N_("relatively equal")),
              (0.4, N_("reasonable")), (0.5, N_("large gap")), (math.inf, N_("very large gap"))]


@dataclass
class Gini:
    """Result of :func:`gini` (segmented fields NaN for the other methods)."""
    gini: float
    n: int
    method: str = "standard"
    p_deficit: float = math.nan
    p_neutral: float = math.nan
    p_surplus: float = math.nan
    gini_deficit: float = math.nan
    gini_surplus: float = math.nan


def _sum_abs_diff(sorted_x):
    """sum_i sum_j |x_i - x_j| of sorted values, O(n)."""
    n = sorted_x.size
    ranks = 2.0 * np.arange(1, n + 1, dtype=np.float64) - n - 1.0
    return 2.0 * float(ranks @ sorted_x)


def _standard_sorted(xs):
    n = xs.size
    total = float(xs.sum())
    if n == 0:
        return math.nan
    if total <= 0.0:
        raise InputError(N_("Gini: all values are 0: the Gini coefficient (relative to the "
                            "mean) is undefined"))
    return max(0.0, _sum_abs_diff(xs) / (2.0 * n * total))


def gini(values, method="standard"):
    """Gini coefficient of ``values`` (methods.md 11); see the module text.

    Parameters
    ----------
    values : array_like
        Any shape (flattened); NaN values are left out.
    method : "standard", "rsv" or "segmented"

    Returns
    -------
    Gini

    Raises
    ------
    ValueError
        No finite value; an unknown method; "standard" with a negative value
        (use "rsv" or "segmented"); "standard" with all values 0; "rsv" with
        all values 0 or a single unit.
    """
    m = str(method).lower()
    if m not in GINI_METHODS:
        raise InputError(N_("Gini method must be one of {}, not {!r}"),
                         ', '.join(GINI_METHODS), method)
    x = np.asarray(values, dtype=np.float64).ravel()
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n == 0:
        raise InputError(N_("Gini: no valid value"))
    xs = np.sort(x, kind="stable")
    if m == "standard":
        if xs[0] < 0:
            raise InputError(N_("Gini: {} of {} values are negative; the standard Gini needs "
                                "non-negative data: use the 'rsv' (Raffinetti-Siletti-Vernizzi "
                                "normalised) or the 'segmented' (deficit / neutral / surplus, "
                                "Zhang2022) method"), int((xs < 0).sum()), n)
        return Gini(_standard_sorted(xs), n, m)
    neg, pos = xs[xs < 0], xs[xs > 0]
    shares = dict(p_deficit=neg.size / n, p_neutral=(n - neg.size - pos.size) / n,
                  p_surplus=pos.size / n)
    if m == "rsv":
        t = float(pos.sum()) - float(neg.sum())
        if n < 2:
            raise InputError(N_("Gini (rsv): at least 2 values are needed"))
        if t <= 0.0:
            raise InputError(N_("Gini (rsv): all values are 0: the Gini coefficient is "
                                "undefined"))
        g = _sum_abs_diff(xs) / (2.0 * (n - 1) * t)
        return Gini(min(1.0, max(0.0, g)), n, m, **shares)
    gd = _standard_sorted(np.sort(-neg)) if neg.size else math.nan
    gs = _standard_sorted(pos) if pos.size else math.nan
    total = math.nan if (math.isnan(gd) and math.isnan(gs)) else \
        (0.0 if math.isnan(gd) else gd) + (0.0 if math.isnan(gs) else gs)
    return Gini(total, n, m, gini_deficit=gd, gini_surplus=gs, **shares)


def gini_band(g):
    """Zhang2022's interpretation of a Gini value: < 0.2 absolute equality,
    0.2-0.3 relatively equal, 0.3-0.4 reasonable, 0.4-0.5 large gap, > 0.5 very
    large gap (a bound belongs to the upper band); "" for NaN."""
    if g is None or not math.isfinite(g):
        return ""
    for bound, label in GINI_BANDS:
        if g < bound:
            return label
    return GINI_BANDS[-1][1]
