"""Carbon-sink resilience by probability attenuation (methods.md section 9).

Wu et al. (2023) judge how long pixels keep the sign of their NPP trend after
a reference year t':

1. for every evaluation year t_i >= t', K_i is the least-squares slope of the
   pixel's NPP over t0..t_i (a growing window from the first year);
2. S_i = sign(K_i);
3. maintenance P(t') = S(t'); P(t_i) = P(t_{i-1}) while S(t_i) = P(t_{i-1}),
   else 0 for good (once 0, a pixel stays 0);
4. N+(t_i), N-(t_i) = number of pixels with P = +1 / -1 (per zone);
   q(t_i) = N(t_i) / N(t');
5. q(t) = lambda * exp(-(t - t') / tau) is fitted to each series
   (:func:`fit_decay`: non-linear least squares, or log-linear);
6. RS = tau_p - tau_n and its level (:func:`resilience_level`).

Because P is absorbing, one integer per pixel holds all of it: the signed
number of evaluation years the pixel kept its trend, counting t' itself
(:func:`maintained_years`): +d kept a positive trend at t'..t_{d-1}, -d a
negative one, 0 had no trend at t' (K = 0). N+(t_i) is then the number of
pixels with D > i, N-(t_i) those with D < -i, so per-zone counts are
histograms of D (:class:`ZoneCounter`) and the slopes never need storing.
The growing-window slopes use running sums: one pass, O(n) per pixel.

Missing values: a pixel is analysed when it has at least ``min_valid`` valid
years (default: all years) and at least 3 valid years in t0..t'; the slopes
then use its valid years of each window. Other pixels are left out of the
counts and are nodata in the maintained-years raster.

This module imports neither GDAL nor QGIS (nor matplotlib) at import time:
the file-level function :func:`resilience_rasters` imports the raster engine
when called. The growing-window slopes and maintained years are in
core/resilience_slopes.py, the decay fits in core/resilience_fit.py (both
reachable here), the HTML report in core/resilience_report.py (matplotlib
when it is installed, else SVG).
"""
import csv
import math
import os
from dataclasses import dataclass, field

import numpy as np

from .errors import N_, InputError, Message
from .resilience_fit import (  # noqa: F401 - the fits are part of this module's API
    FLAGS,
    LEVELS,
    METHODS,
    TAU_MAX,
    UNDETERMINED,
    DecayFit,
    convergence_year,
    fit_decay,
    flag_text,
    resilience_level,
)
from .resilience_slopes import (  # noqa: F401 - the slopes are part of this module's API
    MIN_LATER,
    MIN_WINDOW,
    NODATA_YEARS,
    _prepare,
    _years_block,
    growing_window_slopes,
    maintained_years,
    maintenance,
    reference_index,
    slope_sign,
)

# ------------------------------------------------------------ zone counts

class ZoneCounter:
    """Accumulates, per zone id, the histogram of the maintained years of its
    pixels (block by block), from which N+ and N- of every evaluation year
    follow. Zone id 0 means "outside every zone" and is ignored."""

    def __init__(self, m):
        self.m = int(m)
        self.width = 2 * self.m + 2          # bins -m..m, then "left out"
        self.hist = np.zeros((1, self.width), dtype=np.int64)

    def add(self, d, zones=None):
        d = np.asarray(d).ravel()
        if zones is None:
            z = np.ones(d.shape, dtype=np.int64)
        else:
            z = np.asarray(zones).ravel()
            if z.dtype.kind == "f":
                z = np.nan_to_num(z, nan=0.0)
            z = z.astype(np.int64)
            if z.shape != d.shape:
                raise InputError(N_("zones and maintained years differ in shape"))
        inside = z > 0
        if not inside.any():
            return
        z = z[inside]
        dd = d[inside].astype(np.int64)
        b = np.where(dd == NODATA_YEARS, self.width - 1, dd + self.m)
        if b.min() < 0 or b.max() >= self.width:
            raise InputError(N_("maintained years out of range for this counter"))
        zmax = int(z.max())
        if zmax >= self.hist.shape[0]:
            grown = np.zeros((zmax + 1, self.width), dtype=np.int64)
            grown[:self.hist.shape[0]] = self.hist
            self.hist = grown
        self.hist[:zmax + 1] += np.bincount(z * self.width + b,
                                            minlength=(zmax + 1) * self.width
                                            ).reshape(zmax + 1, self.width)

    def ids(self):
        """Zone ids that had at least one pixel."""
        return [int(i) for i in np.nonzero(self.hist.sum(axis=1))[0] if i > 0]

    def counts(self, ids):
        """(N+ (m,), N- (m,), pixels analysed, pixels left out) summed over ``ids``."""
        h = np.zeros(self.width, dtype=np.int64)
        for i in ids:
            if 0 < i < self.hist.shape[0]:
                h += self.hist[i]
        m = self.m
        pos = h[m + 1:2 * m + 1]                     # D = 1..m
        neg = h[m - 1::-1][:m]                       # D = -1..-m
        n_pos = np.cumsum(pos[::-1])[::-1]           # N+(t_i) = #(D > i)
        n_neg = np.cumsum(neg[::-1])[::-1]
        return n_pos, n_neg, int(h[:2 * m + 1].sum()), int(h[-1])


# ---------------------------------------------------------------- results

@dataclass
class ZoneResilience:
    """Counts, ratios and fits of one zone."""
    name: str
    years: np.ndarray             # evaluation years t'..tN
    n_pos: np.ndarray             # N+(t_i)
    n_neg: np.ndarray             # N-(t_i)
    q_pos: np.ndarray             # N+(t_i) / N+(t'), NaN when N+(t') = 0
    q_neg: np.ndarray
    fit_pos: DecayFit
    fit_neg: DecayFit
    rs: float                     # tau_p - tau_n, NaN unless both fits are "ok"
    level_code: int
    level: str
    convergence_year: float       # fallback (NaN: curves do not meet)
    n_valid: int                  # pixels analysed
    n_left_out: int               # pixels of the zone left out (missing values)

    @property
    def n_pixels(self):
        return self.n_valid + self.n_left_out

    @property
    def convergence_time(self):
        return self.convergence_year - float(self.years[0])

    @property
    def has_pixels(self):
        return self.n_valid > 0


def _zone_result(name, years, n_pos, n_neg, n_valid, n_out, method, fixed_lambda=None):
    with np.errstate(invalid="ignore", divide="ignore"):
        q_pos = n_pos / n_pos[0] if n_pos[0] > 0 else np.full(len(years), np.nan)
        q_neg = n_neg / n_neg[0] if n_neg[0] > 0 else np.full(len(years), np.nan)
    t_ref = float(years[0])
    fp = fit_decay(years, q_pos, method, t_ref, fixed_lambda)
    fn = fit_decay(years, q_neg, method, t_ref, fixed_lambda)
    rs = fp.tau - fn.tau if (fp.ok and fn.ok) else math.nan
    code, label = resilience_level(rs)
    conv = convergence_year(years, q_pos, q_neg)
    return ZoneResilience(name, np.asarray(years, dtype=np.float64), _counts(n_pos),
                          _counts(n_neg), q_pos, q_neg, fp, fn, rs, code, label, conv,
                          int(n_valid), int(n_out))


def _counts(a):
    """Pixel counts as int64; counts from a table that are not whole numbers
    (areas, percentages) stay float64."""
    a = np.asarray(a)
    if a.dtype.kind == "f" and np.any(a != np.round(a)):
        return a.astype(np.float64)
    return a.astype(np.int64)


def _count(v):
    return int(v) if float(v) == round(float(v)) else float(v)


#: columns of the zone x year table (names of at most 10 characters: DBF-safe)
TABLE_COLUMNS = [
    ("zone", str), ("year", int), ("n_pos", int), ("n_neg", int), ("q_pos", float),
    ("q_neg", float), ("lambda_p", float), ("tau_p", float), ("se_tau_p", float),
    ("r2_p", float), ("flag_p", str), ("lambda_n", float), ("tau_n", float),
    ("se_tau_n", float), ("r2_n", float), ("flag_n", str), ("rs", float), ("level", str),
    ("conv_year", float), ("n_valid", int),
]
#: columns of the one-row-per-zone summary
SUMMARY_COLUMNS = [
    ("zone", str), ("n_pixels", int), ("n_valid", int), ("n_pos_ref", int),
    ("n_neg_ref", int), ("lambda_p", float), ("se_lam_p", float), ("tau_p", float),
    ("se_tau_p", float), ("tau_p_fit", float), ("r2_p", float), ("flag_p", str),
    ("lambda_n", float), ("se_lam_n", float), ("tau_n", float), ("se_tau_n", float),
    ("tau_n_fit", float), ("r2_n", float), ("flag_n", str), ("rs", float),
    ("level_code", int), ("level", str), ("conv_year", float), ("conv_time", float),
    ("ref_year", int), ("method", str),
]


def _num(v):
    """None for NaN / inf (an empty cell), else a float."""
    v = float(v)
    return v if math.isfinite(v) else None


@dataclass
class ResilienceResult:
    """Everything the resilience pass produced."""
    reference_year: float
    years: np.ndarray                      # evaluation years t'..tN
    all_years: np.ndarray                  # years of the stack
    method: str
    min_valid: int
    zones: list = field(default_factory=list)
    years_kept: np.ndarray = None          # array version only
    paths: dict = field(default_factory=dict)
    fixed_lambda: float = None             # None: lambda fitted
    warnings: list = field(default_factory=list)

    @property
    def method_label(self):
        """The fit method, with the fixed lambda when there is one ("nls, lambda=1")."""
        if self.fixed_lambda is None:
            return self.method
        return f"{self.method}, lambda={self.fixed_lambda:g}"

    def zone(self, name):
        for z in self.zones:
            if z.name == name:
                return z
        raise KeyError(name)

    def table_rows(self):
        """One dict per zone and evaluation year (``TABLE_COLUMNS``)."""
        rows = []
        for z in self.zones:
            fp, fn = z.fit_pos, z.fit_neg
            for i, yr in enumerate(z.years):
                rows.append({
                    "zone": z.name, "year": int(round(yr)), "n_pos": _count(z.n_pos[i]),
                    "n_neg": _count(z.n_neg[i]), "q_pos": _num(z.q_pos[i]),
                    "q_neg": _num(z.q_neg[i]), "lambda_p": _num(fp.lam), "tau_p": _num(fp.tau),
                    "se_tau_p": _num(fp.se_tau) if fp.ok else None, "r2_p": _num(fp.r2),
                    "flag_p": fp.flag, "lambda_n": _num(fn.lam), "tau_n": _num(fn.tau),
                    "se_tau_n": _num(fn.se_tau) if fn.ok else None, "r2_n": _num(fn.r2),
                    "flag_n": fn.flag, "rs": _num(z.rs), "level": z.level,
                    "conv_year": _num(z.convergence_year), "n_valid": z.n_valid})
        return rows

    def summary_rows(self):
        """One dict per zone (``SUMMARY_COLUMNS``)."""
        rows = []
        for z in self.zones:
            fp, fn = z.fit_pos, z.fit_neg
            rows.append({
                "zone": z.name, "n_pixels": z.n_pixels, "n_valid": z.n_valid,
                "n_pos_ref": _count(z.n_pos[0]), "n_neg_ref": _count(z.n_neg[0]),
                "lambda_p": _num(fp.lam), "se_lam_p": _num(fp.se_lam), "tau_p": _num(fp.tau),
                "se_tau_p": _num(fp.se_tau) if fp.ok else None, "tau_p_fit": _num(fp.tau_fit),
                "r2_p": _num(fp.r2), "flag_p": fp.flag,
                "lambda_n": _num(fn.lam), "se_lam_n": _num(fn.se_lam), "tau_n": _num(fn.tau),
                "se_tau_n": _num(fn.se_tau) if fn.ok else None, "tau_n_fit": _num(fn.tau_fit),
                "r2_n": _num(fn.r2), "flag_n": fn.flag, "rs": _num(z.rs),
                "level_code": z.level_code, "level": z.level,
                "conv_year": _num(z.convergence_year), "conv_time": _num(z.convergence_time),
                "ref_year": int(round(self.reference_year)), "method": self.method_label})
        return rows

    def write_csv(self, path, summary=False):
        """The table (or the summary) as CSV, written atomically."""
        cols = [c for c, _ in (SUMMARY_COLUMNS if summary else TABLE_COLUMNS)]
        rows = self.summary_rows() if summary else self.table_rows()
        from .io.outputs import open_text
        with open_text(path, newline="") as f:
            w = csv.writer(f)
            w.writerow(cols)
            for r in rows:
                w.writerow(["" if r[c] is None else
                            (repr(r[c]) if isinstance(r[c], float) else r[c])
                            for c in cols])
        return path

    def write_report(self, path, title=None, inputs=None, charts="auto", tr=None):
        """Self-contained HTML report: per zone the two ratio curves with
        their fits and the numbers. ``charts``: "auto" (matplotlib PNG when
        importable, else SVG), "png" or "svg"."""
        from .io.outputs import write_text
        from .resilience_report import report_html
        write_text(path, report_html(self, title, inputs, charts, tr))
        return path


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def _assemble(counter, t, r, method, mv, zone_names, default_name, fixed_lambda=None):
    """ResilienceResult from the accumulated counts."""
    years = t[r:]
    if zone_names is None:
        ids = counter.ids() or [1]
        groups = {default_name if ids == [1] else f"zone {i}": [i] for i in ids}
    else:
        groups = {}
        for i, name in zone_names.items():
            groups.setdefault(str(name), []).append(int(i))
    res = ResilienceResult(float(t[r]), years.copy(), t.copy(), method, mv,
                           fixed_lambda=fixed_lambda)
    for name, ids in groups.items():
        n_pos, n_neg, n_valid, n_out = counter.counts(ids)
        z = _zone_result(name, years, n_pos, n_neg, n_valid, n_out, method, fixed_lambda)
        res.zones.append(z)
        if n_valid == 0:
            why = (f"{n_out} pixels, none with enough valid years" if n_out else
                   "no pixel of the grid")
            res.warnings.append(Message(N_("zone {!r} has no valid pixel ({}): it is reported "
                                           "with empty ratios and fits"),
                                        name, why))
    return res


def sink_resilience(y, years=None, reference_year=None, zones=None, zone_names=None,
                    method="nls", min_valid=None, fixed_lambda=None):
    """Carbon-sink resilience of an NPP array (methods.md 9), headless.

    ``y``: (n, rows, cols) NPP, NaN = missing. ``zones``: optional
    (rows, cols) integer zone ids (0 = outside every zone, ignored);
    ``zone_names``: {id: name}, ids with the same name form one zone
    (default: every id found; without zones the whole valid area, named
    "all"). Returns a :class:`ResilienceResult` whose ``years_kept`` is the
    maintained-years array (NODATA_YEARS where left out or outside zones).
    """
    if method not in METHODS:
        raise InputError(N_("fit method must be one of {}, not {!r}"), ', '.join(METHODS), method)
    y2, t, tt, r, mv, shape = _prepare(y, years, reference_year, min_valid)
    d = _years_block(y2, tt, r, mv)
    counter = ZoneCounter(len(t) - r)
    z = None
    if zones is not None:
        z = np.asarray(zones)
        if z.shape != shape:
            raise InputError(N_("zones have shape {}, the pixels {}"), z.shape, shape)
        z = np.nan_to_num(z.astype(np.float64), nan=0.0).astype(np.int64).ravel()
        d = np.where(z > 0, d, NODATA_YEARS).astype(np.int16)
    counter.add(d, z)
    res = _assemble(counter, t, r, method, mv, zone_names, "all", fixed_lambda)
    res.years_kept = d.reshape(shape)
    return res


def resilience_rasters(stack, reference_year, outputs, years=None, zones=None,
                       zone_names=None, method="nls", min_valid=None, progress=None,
                       memory_mb=256, title=None, inputs=None, fixed_lambda=None,
                       tr=None):
    """Resilience of a :class:`~carbonsink.core.io.RasterStack`, streamed
    block by block (methods.md 9).

    ``outputs`` maps any of "years" (GeoTIFF of the signed maintained years,
    int16, nodata -32768), "csv" (zone x year table), "summary_csv" (one row
    per zone) and "report" (HTML) to a path. ``zones``: an optional one-layer
    RasterStack of zone ids on the same grid (see
    :func:`carbonsink.core.io.zones.rasterize_zones` / ``zones_from_vector``),
    0 = outside every zone (ignored); ``zone_names`` {id: name}, equal names
    are merged. Without zones the whole valid area is one zone ("all valid
    pixels"). Returns a :class:`ResilienceResult` (``paths``: written files).
    """
    from .io import NoValidData, StackError, run_blocks
    from .io.raster import OutputSpec
    from .progress import as_progress
    from .rasters import resolve_years

    if method not in METHODS:
        raise StackError(N_("fit method must be one of {}, not {!r}"), ', '.join(METHODS), method)
    progress = as_progress(progress)
    t = resolve_years(stack.n, years)
    if stack.n < MIN_WINDOW + MIN_LATER:
        raise StackError(N_("{} has {} layers: resilience needs at least {} years"),
                         stack.name, stack.n, MIN_WINDOW + MIN_LATER)
    mv = stack.n if not min_valid else int(min_valid)
    if mv < MIN_WINDOW or mv > stack.n:
        raise StackError(N_("minimum number of valid years must be between {} and {}, not {}"),
                         MIN_WINDOW, stack.n, mv)
    r = reference_index(t, reference_year)
    tt = t - t[0]
    m = stack.n - r
    for key in ("csv", "summary_csv", "report"):      # fail before the pass, not after
        if outputs.get(key):
            folder = os.path.dirname(os.path.abspath(str(outputs[key])))
            if not os.path.isdir(folder):
                raise StackError(N_("cannot write {}: folder {} does not exist"),
                                 outputs[key], folder)
            if not os.access(folder, os.W_OK):
                raise StackError(N_("cannot write {}: folder {} is not writable"),
                                 outputs[key], folder)
    if zones is not None and zones.n != 1:
        raise StackError(N_("the zone raster has {} layers, expected 1"), zones.n)
    stacks = {"y": stack}
    if zones is not None:
        stacks["zones"] = zones
    counter = ZoneCounter(m)
    tmpdir = None
    raster_path = outputs.get("years")
    if not raster_path:
        import tempfile
        tmpdir = tempfile.mkdtemp(prefix="carbonsink-resilience-")
        raster_path = os.path.join(tmpdir, "years_kept.tif")
    spec = {"years": OutputSpec(raster_path, dtype="int16", nodata=NODATA_YEARS,
                                descriptions=[f"years the trend of {t[r]:g} was kept"])}

    def func(a):
        y = a["y"]
        h, w = y.shape[1:]
        d = _years_block(y.reshape(y.shape[0], -1), tt, r, mv)
        z = None
        if "zones" in a:
            z = np.nan_to_num(a["zones"][0], nan=0.0).astype(np.int64).ravel()
            d[z <= 0] = NODATA_YEARS
        counter.add(d, z)
        return {"years": d.reshape(h, w)}

    work = 32     # maintained years, zone ids and masks; the numpy path adds ~8 * 8 * n
                  # bytes per pixel of one chunk (_CHUNK pixels), independent of the window
    progress.message(N_("resilience: {} years {:g}..{:g}, reference year {:g}, {} evaluation "
                        "years, fit {}"), stack.n, t[0], t[-1], t[r], m, method)
    try:
        paths = run_blocks(stacks, spec, func, progress, memory_mb, work_bytes_per_pixel=work)
    except NoValidData:
        where = " inside the zones (do they overlap the stack?)" if zones is not None else ""
        raise NoValidData(N_("no valid pixel{}: every pixel has fewer than {} valid years or "
                             "fewer than {} valid years up to the reference year (check "
                             "nodata, the valid range and the minimum number of valid years)"),
                          where, mv, MIN_WINDOW) from None
    finally:
        if tmpdir is not None:
            for p in os.listdir(tmpdir):
                _remove(os.path.join(tmpdir, p))
            os.rmdir(tmpdir)
    res = _assemble(counter, t, r, method, mv, zone_names, "all valid pixels", fixed_lambda)
    if outputs.get("years"):
        res.paths["years"] = paths["years"]
    if outputs.get("csv"):
        res.paths["csv"] = res.write_csv(outputs["csv"])
    if outputs.get("summary_csv"):
        res.paths["summary_csv"] = res.write_csv(outputs["summary_csv"], summary=True)
    if outputs.get("report"):
        info = {"input": ", ".join(os.path.basename(s) for s in stack.sources[:3])
                + (f" ... ({len(stack.sources)} files)" if len(stack.sources) > 3 else "")}
        info.update(inputs or {})
        res.paths["report"] = res.write_report(outputs["report"], title, info, tr=tr)
    return res
