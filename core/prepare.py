"""Input preparation (methods.md 14): temporal aggregation of composites to
annual values, reclassification by a table, and classes by user breaks.

Each file-level function streams its stack through the block engine
(:func:`carbonsink.core.io.run_blocks`) and writes every output atomically;
the array functions beside them need neither GDAL nor QGIS.
"""
import calendar
import csv
import math
import os

import numpy as np

from .classes import NODATA_CLASS
from .errors import N_, InputError

TABLES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tables")
#: shipped reclassification tables (from, to, name)
SHIPPED_TABLES = {"igbp_7": "reclass_igbp_7.csv", "cnlucc_level1": "reclass_cnlucc_level1.csv"}
HOW = ("sum", "mean", "days")
PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
           "#666666", "#1f78b4", "#b2df8a", "#fb9a99", "#fdbf6f"]


# ---------------------------------------------------------- temporal aggregation

def composite_days(k, year):
    """Days covered by each of ``k`` composites of ``year``: 12 -> the month
    lengths (leap years honoured); otherwise composites of ceil(366 / k)
    days from 1 January (MODIS 8-day: 46, 16-day: 23), the last one taking
    the rest of the year (5 or 6 days for 8-day products)."""
    k = int(k)
    n_days = 366 if calendar.isleap(int(year)) else 365
    if k == 12:
        return np.array([calendar.monthrange(int(year), m)[1] for m in range(1, 13)],
                        dtype=np.float64)
    if k == 1:
        return np.array([float(n_days)])
    step = math.ceil(366 / k)
    days = np.full(k, float(step))
    days[-1] = n_days - step * (k - 1)
    if days[-1] <= 0:
        raise InputError(N_("{} composites of {} days do not fit in {}"), k, step, year)
    return days


def aggregate_year(y, how="sum", days=None):
    """Annual values of the composites of one year (k, ...): "sum" of the
    values, "mean", or "days": sum of value x days covered (daily rates or
    monthly means to an annual total). A pixel with any missing composite is
    NaN (its annual value would be biased)."""
    y = np.asarray(y, dtype=np.float64)
    if how == "sum":
        out = y.sum(axis=0)
    elif how == "mean":
        out = y.mean(axis=0)
    elif how == "days":
        w = np.asarray(days, dtype=np.float64).reshape((-1,) + (1,) * (y.ndim - 1))
        out = (y * w).sum(axis=0)
    else:
        raise InputError(N_("aggregation must be one of {}, not {!r}"), ', '.join(HOW), how)
    return out


def temporal_aggregate_rasters(stack, per_year, first_year, path, how="sum", window=None,
                               progress=None, memory_mb=256):
    """Composites to annual values (methods.md 14): ``stack`` holds
    ``per_year`` composites per year from ``first_year`` on, in time order
    (the scale, offset, nodata and valid range of the stack are applied
    first); ``window`` (first, last) selects years. Writes one band per year
    (band names = years) to ``path`` and returns (path, years)."""
    from .io import OutputSpec, run_blocks
    from .progress import as_progress
    progress = as_progress(progress)
    k = int(per_year)
    if k < 1:
        raise InputError(N_("composites per year must be at least 1"))
    if stack.n % k:
        raise InputError(N_("{} has {} layers: not a whole number of years of {} composites "
                            "({} = {} x {} + {})"),
                         stack.name, stack.n, k, stack.n, stack.n // k, k, stack.n % k)
    years = int(first_year) + np.arange(stack.n // k)
    if window:
        y0, y1 = int(window[0]), int(window[1])
        keep = (years >= y0) & (years <= y1)
        if not keep.any():
            raise InputError(N_("the year window {}..{} is outside the stack's years {}..{}"),
                             y0, y1, years[0], years[-1])
    else:
        keep = np.ones(years.size, dtype=bool)
    sel = years[keep]
    days = {int(yr): composite_days(k, yr) for yr in sel}
    unit = stack.unit
    if how == "days" and unit.endswith("day-1"):
        unit = unit[:-len("day-1")] + "yr-1"
    spec = {"out": OutputSpec(path, bands=sel.size, descriptions=[str(v) for v in sel],
                              unit=unit)}
    index = [i for i, ok in enumerate(keep) if ok]

    def func(a):
        y = a["y"]
        out = np.empty((sel.size,) + y.shape[1:])
        for b, i in enumerate(index):
            out[b] = aggregate_year(y[i * k:(i + 1) * k], how, days[int(years[i])])
        return {"out": out}

    progress.info(f"{stack.n} layers = {stack.n // k} years x {k} composites; writing "
                  f"{sel.size} years {sel[0]}..{sel[-1]} ({how})")
    paths = run_blocks({"y": stack}, spec, func, progress, memory_mb)
    return paths["out"], sel


# ----------------------------------------------------------- reclassification

def read_reclass_table(text, what="reclassification table"):
    """{from code: to code} and {to code: name} from CSV text with the
    columns from, to and an optional name (lines starting with # are
    comments). A code listed twice is refused; names of one target must agree."""
    rows = [r for r in csv.reader(text.splitlines())
            if r and r[0].strip() and not r[0].lstrip().startswith("#")]
    mapping, names = {}, {}
    for k, row in enumerate(rows):
        try:
            src, dst = int(float(row[0])), int(float(row[1]))
        except (ValueError, IndexError):
            if k == 0:
                continue                       # header
            raise InputError(N_("the {}, row {}: from and to must be integer codes, not {}"),
                             what, k + 1, ', '.join(row)) from None
        if src in mapping:
            raise InputError(N_("the {}: code {} is listed twice"), what, src)
        mapping[src] = dst
        name = row[2].strip() if len(row) > 2 else ""
        if name:
            if names.get(dst, name) != name:
                raise InputError(N_("the {}: class {} is called both {!r} and {!r}"),
                                 what, dst, names[dst], name)
            names[dst] = name
    if not mapping:
        raise InputError(N_("the {} has no rows (columns: from, to, name)"), what)
    return mapping, names


def shipped_table(name):
    """The text of a shipped table: "igbp_7" or "cnlucc_level1"."""
    if name not in SHIPPED_TABLES:
        raise InputError(N_("no shipped table {!r}; choose from {}"),
                         name, ', '.join(SHIPPED_TABLES))
    with open(os.path.join(TABLES_DIR, SHIPPED_TABLES[name]), encoding="utf-8") as f:
        return f.read()


def class_dtype(codes):
    """(dtype, nodata) of a class raster holding ``codes``: int8 with -128,
    else int16 with -32768."""
    lo, hi = min(codes), max(codes)
    if -127 <= lo and hi <= 127:
        return "int8", NODATA_CLASS
    if -32767 <= lo and hi <= 32767:
        return "int16", -32768
    raise InputError(N_("class codes {}..{} do not fit a 16-bit class raster"), lo, hi)


def reclassify(values, mapping, nodata):
    """Codes of ``values`` mapped by ``mapping``; codes not listed and
    missing values become ``nodata``. Returns (codes, count of listed-less
    valid pixels)."""
    v = np.asarray(values, dtype=np.float64)
    out = np.full(v.shape, nodata, dtype=np.int64)
    ok = np.isfinite(v)
    src = np.array(sorted(mapping), dtype=np.float64)
    dst = np.array([mapping[s] for s in sorted(mapping)], dtype=np.int64)
    pos = np.searchsorted(src, np.where(ok, v, np.inf))
    pos = np.minimum(pos, src.size - 1)
    hit = ok & (src[pos] == v)
    out[hit] = dst[pos[hit]]
    return out, int(np.count_nonzero(ok & ~hit))


def class_table(names, codes):
    """(code, colour, label) rows for :mod:`carbonsink.core.styles`."""
    return [(int(c), PALETTE[i % len(PALETTE)], names.get(int(c), f"class {c}"))
            for i, c in enumerate(sorted(set(int(c) for c in codes)))]


def reclassify_rasters(stack, mapping, names, path, progress=None, memory_mb=256):
    """Reclassify every band of a class raster by ``mapping`` ({from: to})
    into ``path``. Returns (path, class table, unlisted pixel count)."""
    from .io import OutputSpec, run_blocks
    dtype, nodata = class_dtype(list(mapping.values()))
    spec = {"out": OutputSpec(path, bands=stack.n, dtype=dtype, nodata=nodata,
                              descriptions=list(stack.labels))}
    unlisted = [0]

    def func(a):
        codes, miss = reclassify(a["c"], mapping, nodata)
        unlisted[0] += miss
        return {"out": codes}

    out = run_blocks({"c": stack}, spec, func, progress, memory_mb)["out"]
    return out, class_table(names, mapping.values()), unlisted[0]


# -------------------------------------------------------------- user breaks

def parse_breaks(text):
    """Increasing break values from "0, 200, 400"."""
    try:
        vals = [float(v) for v in str(text).replace(";", ",").split(",") if v.strip()]
    except ValueError:
        raise InputError(N_("breaks must be numbers separated by commas, not {!r}"), text) from None
    if not vals:
        raise InputError(N_("give at least one break value"))
    if any(b <= a for a, b in zip(vals, vals[1:])) or not all(map(math.isfinite, vals)):
        raise InputError(N_("breaks must be finite and increasing, not {!r}"), text)
    return vals


def break_classes(values, breaks):
    """Class codes 1..len(breaks)+1: 1 below the first break, k + 1 for
    breaks[k-1] <= v < breaks[k], the last at or above the last break;
    NaN -> -128 (:data:`NODATA_CLASS`)."""
    v = np.asarray(values, dtype=np.float64)
    if len(breaks) > 126:
        raise InputError(N_("at most 126 breaks"))
    codes = np.searchsorted(np.asarray(breaks, dtype=np.float64), v, side="right") + 1
    return np.where(np.isnan(v), NODATA_CLASS, codes).astype(np.int8)


def break_labels(breaks, unit="", names=None):
    """Labels "< 0", "0 - 200", ">= 400" (with the unit), or the given names."""
    def f(b):
        return f"{b:g}"
    labels = [f"< {f(breaks[0])}"] + [f"{f(a)} - {f(b)}" for a, b in zip(breaks, breaks[1:])] \
        + [f">= {f(breaks[-1])}"]
    if unit:
        labels = [f"{lab} {unit}" for lab in labels]
    if names:
        if len(names) != len(labels):
            raise InputError(N_("{} breaks make {} classes: give {} names, not {}"),
                             len(breaks), len(labels), len(labels), len(names))
        labels = [f"{n} ({lab})" for n, lab in zip(names, labels)]
    return labels


def break_classes_rasters(stack, breaks, path, names=None, progress=None, memory_mb=256):
    """Classes by user breaks of every band of ``stack`` (methods.md 14).
    Returns (path, class table)."""
    from .io import OutputSpec, run_blocks
    labels = break_labels(breaks, stack.unit, names)
    spec = {"out": OutputSpec(path, bands=stack.n, dtype="int8", nodata=NODATA_CLASS,
                              descriptions=list(stack.labels))}
    out = run_blocks({"y": stack}, spec, lambda a: {"out": break_classes(a["y"], breaks)},
                     progress, memory_mb)["out"]
    ramp = ["#d7191c", "#fdae61", "#ffffbf", "#a6d96a", "#1a9641"]
    n = len(labels)
    table = [(k + 1, ramp[round(k * (len(ramp) - 1) / max(n - 1, 1))] if n <= 5
              else PALETTE[k % len(PALETTE)], lab) for k, lab in enumerate(labels)]
    return out, table
