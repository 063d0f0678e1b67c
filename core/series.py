"""Statistics of zone and table series (methods.md 13).

One series per zone (a table with one column per year, a long table of
zone, year, value, or the zone means of a raster stack): the per-pixel
functions applied to each series, so the numbers are identical to a pixel
with the same values; plus the average and compound annual growth rates.
No GDAL, no QGIS.
"""
import csv
import math
import re

import numpy as np

from .abrupt import pettitt, sequential_mann_kendall
from .errors import N_, InputError
from .hurst import hurst
from .stability import coefficient_of_variation
from .trend import METHODS, linear_trend, mann_kendall

HURST_METHODS = ("rs", "rs_segmented", "aggvar")

#: output columns, in order (name, meaning)
COLUMNS = [
    ("zone", "zone name"), ("n", "valid years"), ("first_year", ""), ("last_year", ""),
    ("mean", "mean of the valid values"),
    ("ls_slope", "least-squares slope per year"), ("ls_p", "two-sided p (Student t)"),
    ("ls_r2", ""), ("sen_slope", "Theil-Sen slope per year"),
] + [(f"mk_{m}_{f}", "") for m in METHODS for f in ("z", "p")] + [
    ("mk_tau", "Kendall tau"), ("growth_mean", "mean of year-on-year ratios - 1"),
    ("cagr", "(last / first)^(1 / (t_last - t_first)) - 1"), ("cv", "coefficient of variation"),
] + [(f"hurst_{m}", "") for m in HURST_METHODS] + [
    ("smk_crossings", "UF/UB crossings inside the band (years)"),
    ("pettitt_year", "Pettitt change point (last year before the change)"),
    ("pettitt_k", ""), ("pettitt_p", ""),
]


def growth_rates(y, years):
    """(mean of year-on-year ratios - 1, compound annual growth rate) of the
    valid values in order; NaN where undefined (a zero value before a ratio,
    first value <= 0 or a sign change for the CAGR, fewer than 2 values)."""
    y = np.asarray(y, dtype=np.float64)
    t = np.asarray(years, dtype=np.float64)
    ok = np.isfinite(y)
    y, t = y[ok], t[ok]
    if y.size < 2:
        return math.nan, math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = y[1:] / y[:-1]
    mean = float(np.mean(ratios) - 1.0) if np.all(np.isfinite(ratios)) else math.nan
    first, last = y[0], y[-1]
    if first <= 0 or last < 0 or t[-1] == t[0]:
        cagr = math.nan
    else:
        cagr = float((last / first) ** (1.0 / (t[-1] - t[0])) - 1.0)
    return mean, cagr


def series_statistics(y, years, zone="", alpha=0.05, min_valid=None):
    """All the statistics of one series as a dict of COLUMNS."""
    y = np.asarray(y, dtype=np.float64)
    t = np.asarray(years, dtype=np.float64)
    ok = np.isfinite(y)
    mv = int(min_valid) if min_valid else int(ok.sum())
    row = {"zone": zone, "n": int(ok.sum()),
           "first_year": float(t[ok][0]) if ok.any() else math.nan,
           "last_year": float(t[ok][-1]) if ok.any() else math.nan,
           "mean": float(np.mean(y[ok])) if ok.any() else math.nan}
    if ok.sum() < 4:
        for name, _ in COLUMNS:
            row.setdefault(name, math.nan)
        return row
    lt = linear_trend(y, t, min_valid=mv)
    row.update(ls_slope=float(lt.slope), ls_p=float(lt.pvalue), ls_r2=float(lt.r2))
    for m in METHODS:
        r = mann_kendall(y, t, method=m, min_valid=mv, alpha=alpha)
        row[f"mk_{m}_z"], row[f"mk_{m}_p"] = float(r.z), float(r.pvalue)
        if m == "original":
            row["sen_slope"], row["mk_tau"] = float(r.slope), float(r.tau)
    row["growth_mean"], row["cagr"] = growth_rates(y, t)
    row["cv"] = float(coefficient_of_variation(y, min_valid=mv))
    for m in HURST_METHODS:
        row[f"hurst_{m}"] = float(hurst(y, method=m, min_valid=mv))
    valid_t = t[ok]
    smk = sequential_mann_kendall(y[ok], alpha=alpha)
    crossings = [float(valid_t[int(k)]) for k, inside in zip(smk.crossings, smk.in_band)
                 if inside]
    row["smk_crossings"] = " ".join(f"{c:g}" for c in crossings)
    pt = pettitt(y[ok])
    row["pettitt_year"] = float(valid_t[pt.index - 1])
    row["pettitt_k"], row["pettitt_p"] = float(pt.k), float(pt.pvalue)
    return row


def table_statistics(series, years, alpha=0.05, min_valid=None):
    """Rows of :func:`series_statistics` for {zone: values} (one value per
    year of ``years``)."""
    return [series_statistics(v, years, zone=z, alpha=alpha, min_valid=min_valid)
            for z, v in series.items()]


_YEAR = re.compile(r"^\D*(\d{4})\D*$")


def text_records(text):
    """(header, rows) of CSV text, rows that are empty or blank left out."""
    rows = [r for r in csv.reader(text.splitlines()) if r and any(c.strip() for c in r)]
    return (rows[0], rows[1:]) if rows else ([], [])


def read_series_table(text, layout="auto", zone_field=None, year_field=None,
                      value_field=None):
    """({zone: values}, years) from CSV text (see :func:`series_from_records`)."""
    header, rows = text_records(text)
    if not rows:
        raise InputError(N_("the table needs a header and at least one row"))
    return series_from_records(header, rows, layout, zone_field, year_field, value_field)


def zone_column(header, zone_field=None):
    """The index of the zone field of a wide table: ``zone_field``, else the
    field named zone, else the first field that is not a year."""
    header = [str(h).strip() for h in header]
    low = [h.lower() for h in header]
    if zone_field:
        if zone_field.lower() not in low:
            raise InputError(f"the table has no zone field '{zone_field}'; its fields: "
                             + ", ".join(header))
        return low.index(zone_field.lower())
    if "zone" in low:
        return low.index("zone")
    for i, h in enumerate(header):
        if not _YEAR.match(h):
            return i
    raise InputError(N_("the table has no zone field (only year fields)"))


def series_from_records(header, rows, layout="auto", zone_field=None, year_field=None,
                        value_field=None):
    """({zone: values}, years) from a table: ``header`` its field names,
    ``rows`` their values (text, numbers, None or "" for missing).

    wide: a zone field and one field per year (names such as 2000, NPP2000,
    y2000); long: zone, year and value fields (any order; by default the
    fields named zone, year and value, case-insensitive). The zone field of a
    wide table defaults to "zone", else the first field that is not a year.
    ``layout`` "auto": long when fields year and value exist.
    """
    header = [str(h).strip() for h in header]
    years_of = {i: int(m.group(1)) for i, h in enumerate(header) if (m := _YEAR.match(h))}
    low = [h.lower() for h in header]

    def index(name, default, what):
        key = (name or default).lower()
        if key in low:
            return low.index(key)
        need = "" if name else "a long table needs the fields zone, year and value (or " \
            "give their names): "
        raise InputError(f"{need}the table has no {what} field '{name or default}'; its "
                         "fields: " + ", ".join(header))
    if layout == "auto":
        layout = "long" if {"year", "value"} <= set(low) else "wide"
    if layout == "wide":
        if len(years_of) < 4:
            raise InputError(N_("a wide table needs at least 4 year fields (names like 2000 or "
                                "NPP2000); found {}: {}"), len(years_of), ', '.join(header))
        zi = zone_column(header, zone_field)
        cols = sorted(years_of, key=years_of.get)
        years = np.array([years_of[i] for i in cols], dtype=np.float64)
        series = {}
        for r in rows:
            series[str(r[zi]).strip()] = np.array([_num(r[i]) if i < len(r) else math.nan
                                                   for i in cols])
        return series, years
    zi = index(zone_field, "zone", "zone")
    yi = index(year_field, "year", "year")
    vi = index(value_field, "value", "value")
    data = {}
    for r in rows:
        if r[yi] is None or str(r[yi]).strip() == "":
            continue
        data.setdefault(str(r[zi]).strip(), {})[int(float(r[yi]))] = _num(r[vi])
    years = np.array(sorted({y for d in data.values() for y in d}), dtype=np.float64)
    series = {z: np.array([d.get(int(y), math.nan) for y in years]) for z, d in data.items()}
    return series, years


def _num(text):
    if text is None:
        return math.nan
    if isinstance(text, (int, float)):
        return float(text)
    text = str(text).strip()
    if not text:
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise InputError(N_("'{}' is not a number"), text) from None
