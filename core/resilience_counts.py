"""Resilience from the counts a paper prints (methods.md 9).

Wu et al. (2023, Table 2) give N+(t) and N-(t), the pixels that kept a
positive / negative NPP trend since the reference year, per year, not the
rasters. :func:`resilience_from_counts` runs steps 4-6 of methods.md 9 on
such a table (q = N / N(t'), the decay fits, RS and its level) and returns
the same :class:`~carbonsink.core.resilience.ResilienceResult` as the raster
path, so tables, summaries and reports are written the same way.
:func:`read_counts_table` reads the table from CSV text: columns ``year``,
``n_pos`` (or ``N+``), ``n_neg`` (or ``N-``) and an optional ``zone``
(Chinese headers: 年份 for the year, 区域 / 分区 / 地区 for the zone).
"""
import csv
import io
import math

import numpy as np

from .errors import N_, InputError
from .resilience import METHODS, ResilienceResult, _zone_result

#: accepted column names (lower case, spaces and underscores removed)
_ALIASES = {"year": "year", "years": "year", "年份": "year", "年": "year",
            "zone": "zone", "region": "zone", "区域": "zone", "分区": "zone", "地区": "zone",
            "npos": "n_pos", "n+": "n_pos", "positive": "n_pos",
            "nneg": "n_neg", "n-": "n_neg", "negative": "n_neg"}


def _key(name):
    return _ALIASES.get(name.strip().lower().replace(" ", "").replace("_", ""))


def read_counts_table(text, what="counts table"):
    """{zone: (years, n_pos, n_neg)} from CSV text (one row per zone and
    year; without a zone column one zone "all"). Counts may be any
    non-negative numbers (pixel counts, areas or percentages: only their
    ratios to the reference year matter)."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise InputError(N_("the {} is empty"), what)
    cols = {}
    for i, name in enumerate(header):
        k = _key(name)
        if k and k not in cols:
            cols[k] = i
    missing = [c for c in ("year", "n_pos", "n_neg") if c not in cols]
    if missing:
        raise InputError(N_("the {} needs the columns year, n_pos (N+) and n_neg (N-); "
                            "missing: {} (header: {})"),
                         what, ', '.join(missing), ', '.join(header))
    data = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            year = float(row[cols["year"]])
            pos = float(row[cols["n_pos"]])
            neg = float(row[cols["n_neg"]])
        except (IndexError, ValueError):
            raise InputError(N_("the {}, line {}: year, n_pos and n_neg must be numbers, not {}"),
                             what, line, ', '.join(row)) from None
        if not all(math.isfinite(v) for v in (year, pos, neg)) or pos < 0 or neg < 0:
            raise InputError(N_("the {}, line {}: counts must be finite and >= 0"), what, line)
        zone = row[cols["zone"]].strip() if "zone" in cols and cols["zone"] < len(row) \
            else "all"
        data.setdefault(zone or "all", []).append((year, pos, neg))
    if not data:
        raise InputError(N_("the {} has no rows"), what)
    out = {}
    for zone, rows in data.items():
        rows.sort()
        years = np.array([r[0] for r in rows])
        if np.any(np.diff(years) == 0):
            dup = years[:-1][np.diff(years) == 0][0]
            raise InputError(N_("the {}: zone {!r} has year {:g} twice"), what, zone, dup)
        out[zone] = (years, np.array([r[1] for r in rows]), np.array([r[2] for r in rows]))
    return out


def resilience_from_counts(counts, reference_year=None, method="nls", fixed_lambda=None):
    """Resilience (methods.md 9.4-9.7) from counts per zone and year.

    ``counts``: {zone: (years, n_pos, n_neg)} (as :func:`read_counts_table`
    returns) or one (years, n_pos, n_neg) tuple. ``reference_year``: the
    first year of the table by default; earlier rows are ignored. Returns a
    :class:`ResilienceResult` (``min_valid`` 0: no pixels were read).
    """
    if method not in METHODS:
        raise InputError(N_("fit method must be one of {}, not {!r}"), ', '.join(METHODS), method)
    if isinstance(counts, tuple):
        counts = {"all": counts}
    res = None
    for zone, (years, n_pos, n_neg) in counts.items():
        years = np.asarray(years, dtype=np.float64)
        n_pos = np.asarray(n_pos, dtype=np.float64)
        n_neg = np.asarray(n_neg, dtype=np.float64)
        if not (years.shape == n_pos.shape == n_neg.shape) or years.ndim != 1:
            raise InputError(N_("zone {!r}: years, n_pos and n_neg differ in length"), zone)
        ref = float(years[0]) if reference_year is None else float(reference_year)
        keep = years >= ref
        if not np.any(years == ref):
            raise InputError(N_("zone {!r}: the reference year {:g} is not in the table "
                                "({:g}..{:g})"), zone, ref, years[0], years[-1])
        if keep.sum() < 3:
            raise InputError(N_("zone {!r}: {} years from the reference year {:g} on; the "
                                "decay fit needs at least 3"), zone, int(keep.sum()), ref)
        y, p, n = years[keep], n_pos[keep], n_neg[keep]
        if res is None:
            res = ResilienceResult(ref, y.copy(), years.copy(), method, 0,
                                   fixed_lambda=fixed_lambda)
        total = int(round(max(p[0], 0) + max(n[0], 0)))
        z = _zone_result(zone, y, p, n, total, 0, method, fixed_lambda)
        res.zones.append(z)
    return res
