"""File-level analyses: raster stacks in, GeoTIFFs out, one streamed pass.

Each function opens its inputs as :class:`~carbonsink.core.io.RasterStack`,
streams them block by block through the array functions of this package and
writes every output atomically. The QGIS algorithms are thin wrappers over
these; they are also the headless way to run an analysis on files.
"""

import numpy as np

from . import carbon, correlation, fdr, stability, trend
from .errors import N_
from .hurst import hurst as hurst_fn
from .hurst import persistence_class
from .io import NoValidData, OutputSpec, RasterStack, StackError, run_blocks, scan_blocks
from .io.outputs import folder_of, passes, readable
from .progress import as_progress
from .stability import Reservoir, _unit_keys  # noqa: F401 - reachable here too

MIN_YEARS = 4


def open_stack(sources, name, scale=None, offset=None, valid_min=None, valid_max=None):
    """RasterStack with the usual checks (a clear message for bad input)."""
    return RasterStack(sources, name=name, scale=scale, offset=offset,
                       valid_min=valid_min, valid_max=valid_max)


def resolve_years(n, years=None, first_year=None):
    """The time coordinate of an n-layer stack: explicit years, or first_year
    + 0..n-1 (default 0..n-1). Raises StackError on a length mismatch."""
    if years is not None and len(years):
        years = np.asarray(years, dtype=np.float64)
        if years.shape[0] != n:
            raise StackError(N_("{} years given for a stack of {} layers"), years.shape[0], n)
        if np.any(np.diff(years) <= 0):
            raise StackError(N_("years must be strictly increasing"))
        return years
    start = 0 if first_year is None else first_year
    return np.arange(n, dtype=np.float64) + start


def _check_length(stack, least=MIN_YEARS):
    if stack.n < least:
        raise StackError(N_("{} has {} layers: at least {} years are needed"),
                         stack.name, stack.n, least)


#: units of the outputs that are dimensionless (GDAL unit type "1")
DIMENSIONLESS = {"z", "pvalue", "tau", "r2", "q", "s", "cv", "hurst", "r", "p", "partial_r"}
#: NEP and Rh of methods.md 1: g C m-2 yr-1 (annual NPP in g C m-2 yr-1)
CARBON_FLUX_UNIT = "g C m-2 yr-1"


def unit_per_year(unit):
    """The unit of a slope of a series in ``unit``: "g C m-2 yr-1" ->
    "g C m-2 yr-2"; without a unit, "(input unit) yr-1"."""
    if not unit:
        return "(input unit) yr-1"
    for tail, new in (("yr-1", "yr-2"), ("a-1", "a-2")):
        if unit.endswith(tail):
            return unit[: -len(tail)] + new
    return f"{unit} yr-1"


def _spec(outputs, key, **kw):
    path = outputs.get(key)
    kw.setdefault("descriptions", [key.replace("_", " ")])
    if key in DIMENSIONLESS:
        kw.setdefault("unit", "1")
    return {key: OutputSpec(path, **kw)} if path else {}


class ValidTally:
    """Pixels of a per-pixel analysis by their number of valid years:
    computed (at least ``min_valid``), left out (1 .. min_valid - 1) and
    empty (no valid year: nodata everywhere, outside the data)."""

    def __init__(self, min_valid):
        self.min_valid = min_valid
        self.computed = self.short = self.empty = 0

    def add(self, y, computed=None):
        """Count a block ``y`` (years, ...). ``computed``: the pixels with a
        finite output, known to have enough valid years; only the others
        are counted from ``y`` (the nodata areas: no second pass over the
        whole block)."""
        if computed is None:
            computed = np.zeros(y.shape[1:], dtype=bool)
        rest = ~computed
        k = np.isfinite(y[:, rest]).sum(axis=0)
        done = int(computed.sum()) + int((k >= self.min_valid).sum())
        self.computed += done
        self.empty += int((k == 0).sum())
        self.short += int(computed.size) - done - int((k == 0).sum())

    def report(self, progress, n):
        progress.message(N_("{} pixels computed; {} left out with fewer than {} valid years "
                            "of {} (set the minimum number of valid years to keep them); "
                            "{} without any valid year"),
                         self.computed, self.short, self.min_valid, n, self.empty)


def blocks(stacks, specs, func, progress=None, memory_mb=256, runner=None):
    """``func`` (arrays by name -> outputs by name) over ``stacks``, written
    to ``specs``: block by block (run_blocks), or with a dask ``runner``
    (core/io/dask.DaskRunner) on dask arrays, the same ``func`` (the public
    per-pixel functions take both: core/_dispatch.py). Returns name -> path."""
    if runner is None:
        return run_blocks(stacks, specs, func, progress, memory_mb)
    names = list(stacks)
    per_pixel = 8 * sum(s.n for s in stacks.values()) + 8 * sum(s.bands for s in specs.values())
    arrays = dict(zip(names, runner.arrays([stacks[k] for k in names], per_pixel)))
    return runner.write(func(arrays), specs, stacks[names[0]].grid)


def per_pixel(stacks, specs, func, mv, progress=None, memory_mb=256, runner=None):
    """:func:`blocks` of a per-pixel analysis (``stacks["y"]``: the series;
    ``mv``: its minimum number of valid years), then, on the block engine,
    the log line of the pixels computed and left out. A new per-pixel
    analysis needs only this, its kernel and its declaration (core/runs)."""
    if not specs:
        raise StackError(N_("no output was asked for"))
    if runner is not None:
        return blocks(stacks, specs, func, progress, memory_mb, runner)
    tally = ValidTally(mv)

    def counted(a):
        res = func(a)
        first = next(v for v in res.values() if np.issubdtype(v.dtype, np.floating))
        tally.add(a["y"], np.isfinite(first))
        return res

    done = run_blocks(stacks, specs, counted, progress, memory_mb)
    tally.report(as_progress(progress), stacks["y"].n)
    return done


def _min_valid(n, min_valid):
    mv = n if not min_valid else int(min_valid)
    if mv < 3 or mv > n:
        raise StackError(N_("minimum number of valid years must be between 3 and {}, not {}"),
                         n, mv)
    return mv


def _run_with_fdr(main, outputs, classify, progress, memory_mb, runner=None):
    """Run ``main(outputs, progress)`` and, when ``outputs`` asks for "q" or
    "fdr_class", a histogram pass and a q/class pass over its p-values.

    The p and slope rasters are written to temporary files when not asked
    for. When a later pass fails, every output of the run is removed.
    """
    progress = as_progress(progress)
    want = {k: outputs[k] for k in ("q", "fdr_class") if outputs.get(k)}
    if want and runner is not None and runner.fmt == "zarr":
        raise StackError(N_("FDR q-values and classes need a second pass over GeoTIFF "
                            "p-values: write them with --format gtiff"))
    if not want:
        return main(outputs, progress)
    main_out = {k: v for k, v in outputs.items() if k not in want and v}
    with passes(folder_of(want), [k for k in ("pvalue", "slope") if k not in main_out]) as tmp:
        main_out.update(tmp)
        done = main(main_out, progress.scaled(0, 80))
        p_stack = RasterStack(readable(done["pvalue"]), name="p-values")
        s_stack = RasterStack(readable(done["slope"]), name="slopes")
        hist = fdr.PValueHistogram()
        scan_blocks({"p": p_stack}, lambda a: hist.add(a["p"]), progress.scaled(80, 90),
                    memory_mb)
        specs = {}
        specs.update(_spec(want, "q"))
        specs.update(_spec(want, "fdr_class", dtype="int8", nodata=trend.NODATA_CLASS))

        def func(a):
            q = hist.q(a["p"][0])
            return {"q": q, "fdr_class": classify(a["s"][0], q)}

        done.update(run_blocks({"p": p_stack, "s": s_stack}, specs, func,
                               progress.scaled(90, 100), memory_mb))
    for key in ("pvalue", "slope"):
        if key not in outputs or not outputs[key]:
            done.pop(key, None)
    return done


def linear_trend_rasters(stack, outputs, years=None, min_valid=None, alpha=0.05,
                         alpha_strong=None, progress=None, memory_mb=256, runner=None):
    """Least-squares trend of a stack. ``outputs`` maps any of slope,
    intercept, r2, pvalue, class, and the FDR outputs q (Benjamini-Hochberg
    q over all valid pixels) and fdr_class (classes with q in place of p) to
    a GeoTIFF path. Returns name -> path."""
    def classify(slope, q):
        return trend.linear_trend_class(slope, q, alpha, alpha_strong)

    return _run_with_fdr(
        lambda outs, prog: _linear_trend_pass(stack, outs, years, min_valid, alpha,
                                              alpha_strong, prog, memory_mb, runner),
        outputs, classify, progress, memory_mb, runner)


def _trend_unit(stack, key):
    """Unit of a trend output: the slope per year, the intercept in the input's unit."""
    if key == "slope":
        return {"unit": unit_per_year(stack.unit)}
    if key == "intercept":
        return {"unit": stack.unit}
    return {}


def _linear_trend_pass(stack, outputs, years, min_valid, alpha, alpha_strong, progress,
                       memory_mb, runner=None):
    _check_length(stack)
    t = resolve_years(stack.n, years)
    mv = _min_valid(stack.n, min_valid)
    specs = {}
    for key in ("slope", "intercept", "r2", "pvalue"):
        specs.update(_spec(outputs, key, **_trend_unit(stack, key)))
    specs.update(_spec(outputs, "class", dtype="int8", nodata=trend.NODATA_CLASS))
    if not specs:
        raise StackError(N_("no output was asked for"))

    def func(a):
        r = trend.linear_trend(a["y"], t, min_valid=mv)
        res = {"slope": r.slope, "intercept": r.intercept, "r2": r.r2, "pvalue": r.pvalue}
        if "class" in specs:
            res["class"] = trend.linear_trend_class(r.slope, r.pvalue, alpha, alpha_strong)
        return res

    return per_pixel({"y": stack}, specs, func, mv, progress, memory_mb, runner)


def mann_kendall_rasters(stack, outputs, years=None, min_valid=None, method="original",
                         progress=None, memory_mb=256, runner=None):
    """Sen slope and Mann-Kendall test of a stack. ``outputs`` maps any of
    slope, intercept, z, pvalue, tau, s, class, and the FDR outputs q and
    fdr_class (classes from q: 4 q < 0.01, 3 q < 0.05, 2 q < 0.1) to a path."""
    return _run_with_fdr(
        lambda outs, prog: _mann_kendall_pass(stack, outs, years, min_valid, method, prog,
                                              memory_mb, runner),
        outputs, fdr.fdr_class_mk, progress, memory_mb, runner)


def _mann_kendall_pass(stack, outputs, years, min_valid, method, progress, memory_mb,
                       runner=None):
    _check_length(stack)
    t = resolve_years(stack.n, years)
    mv = _min_valid(stack.n, min_valid)
    specs = {}
    for key in ("slope", "z", "pvalue", "tau", "intercept", "s"):
        specs.update(_spec(outputs, key, **_trend_unit(stack, key)))
    specs.update(_spec(outputs, "class", dtype="int8", nodata=trend.NODATA_CLASS))
    if not specs:
        raise StackError(N_("no output was asked for"))

    def func(a):
        r = trend.mann_kendall(a["y"], t, method=method, min_valid=mv)
        res = {"slope": r.slope, "z": r.z, "pvalue": r.pvalue, "tau": r.tau,
               "intercept": r.intercept, "s": r.s}
        if "class" in specs:
            res["class"] = trend.trend_class(r.slope, r.z)
        return res

    return per_pixel({"y": stack}, specs, func, mv, progress, memory_mb, runner)


def capacity_setup(stack, years, year, all_years, min_valid):
    """(years, min_valid, index of ``year``, bands per output, band names) of
    a carrying-capacity run (both engines), or a StackError."""
    _check_length(stack, 2)
    t = resolve_years(stack.n, years)
    mv = stack.n if not min_valid else int(min_valid)
    if not 1 <= mv <= stack.n:
        raise StackError(N_("minimum number of valid years must be between 1 and {}"), stack.n)
    if year is None:
        idx = stack.n - 1
    else:
        hits = np.nonzero(t == float(year))[0]
        if not len(hits):
            raise StackError(N_("year {} is not one of the stack's years ({:g}..{:g})"),
                             year, t[0], t[-1])
        idx = int(hits[0])
    labels = [f"{v:g}" for v in (t if all_years else t[idx:idx + 1])]
    return t, mv, idx, stack.n if all_years else 1, labels


def carrying_capacity_rasters(stack, outputs, years=None, year=None, all_years=False,
                              min_valid=None, progress=None, memory_mb=256, runner=None):
    """CSCC, peak year, and potential / saturation for ``year`` (default the
    last) or, with ``all_years``, for every year as a stack. ``outputs`` maps
    any of cscc, peak_year, potential, saturation to a path."""
    t, mv, idx, per_year, labels = capacity_setup(stack, years, year, all_years, min_valid)
    specs = {}
    specs.update(_spec(outputs, "cscc", unit=stack.unit))
    specs.update(_spec(outputs, "peak_year", dtype="int16", nodata=-32768, unit="year"))
    for key, unit in (("potential", stack.unit), ("saturation", "%")):
        specs.update(_spec(outputs, key, bands=per_year, descriptions=labels, unit=unit))
    if not specs:
        raise StackError(N_("no output was asked for"))

    def func(a):
        r = carbon.carrying_capacity(a["y"], t, min_valid=mv)
        sel = slice(None) if all_years else slice(idx, idx + 1)
        peak = np.where(np.isnan(r.peak_year), -32768, r.peak_year)
        return {"cscc": r.cscc, "peak_year": peak.astype(np.int16),
                "potential": r.potential[sel], "saturation": r.saturation[sel]}

    return blocks({"y": stack}, specs, func, progress, memory_mb, runner)


def climate_mode(n_years, n_temperature, n_precipitation, mode="auto"):
    """Decide the Rh mode from layer counts; a clear error when they do not fit."""
    if n_temperature != n_precipitation:
        raise StackError(N_("temperature has {} layers but precipitation {}"),
                         n_temperature, n_precipitation)
    if mode == "auto":
        if n_temperature == 12 * n_years:
            return "monthly"
        if n_temperature == n_years:
            return "annual"
        raise StackError(N_("climate stacks have {} layers: expected {} (monthly) or {} "
                            "(annual) for {} years of NPP"),
                         n_temperature, 12 * n_years, n_years, n_years)
    want = 12 * n_years if mode == "monthly" else n_years
    if n_temperature != want:
        raise StackError(N_("{} mode needs {} climate layers for {} years of NPP, got {}"),
                         mode, want, n_years, n_temperature)
    return mode


def nep_rasters(npp, temperature, precipitation, outputs, b=0.0912, mode="auto",
                years=None, progress=None, memory_mb=256, runner=None):
    """NEP = NPP - Rh per year (methods.md 1). ``outputs`` maps any of nep
    (n bands), rh (n bands), class (sink/source of the mean NEP over the
    years with a valid NEP) to a path. Returns name -> path and the mode."""
    if npp.n < 1:
        raise StackError(N_("NPP stack is empty"))
    mode = climate_mode(npp.n, temperature.n, precipitation.n, mode)
    t = resolve_years(npp.n, years)
    labels = [f"{v:g}" for v in t]
    specs = {}
    specs.update(_spec(outputs, "nep", bands=npp.n, descriptions=labels,
                       unit=CARBON_FLUX_UNIT))
    specs.update(_spec(outputs, "rh", bands=npp.n, descriptions=labels, unit=CARBON_FLUX_UNIT))
    specs.update(_spec(outputs, "class", dtype="int8", nodata=trend.NODATA_CLASS))
    if not specs:
        raise StackError(N_("no output was asked for"))

    def func(a):
        rh = carbon.heterotrophic_respiration(a["t"], a["p"], b=b, mode=mode)
        nep = carbon.net_ecosystem_production(a["npp"], rh)
        return {"nep": nep, "rh": rh, "class": carbon.sink_class(_time_mean(nep))}

    paths = blocks({"npp": npp, "t": temperature, "p": precipitation}, specs, func, progress,
                   memory_mb, runner)
    return paths, mode


def _nanmean0(a):
    import warnings
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)     # all-NaN mean -> NaN
        return np.nanmean(a, axis=0) if a.size else a[0]


def _time_mean(a):
    """The mean over axis 0 of the valid values (NaN where none) of a numpy
    or a dask array."""
    if isinstance(a, np.ndarray):
        return _nanmean0(a)
    return a.map_blocks(_nanmean0, drop_axis=0, dtype=np.float64, meta=np.empty((0, 0)))


# ------------------------------------------------------- issue 3: stability,
# persistence and climate drivers

def variation_setup(stack, outputs, min_valid, breaks):
    """(min_valid, breaks as an array or None) of a CV run (both engines),
    or a StackError."""
    _check_length(stack, 2)
    mv = stack.n if not min_valid else int(min_valid)
    if not 2 <= mv <= stack.n:
        raise StackError(N_("minimum number of valid years must be between 2 and {}"), stack.n)
    if not outputs.get("cv") and not outputs.get("class"):
        raise StackError(N_("no output was asked for"))
    if breaks is not None:
        breaks = np.asarray(breaks, dtype=np.float64)
        if breaks.size < 1 or np.any(np.diff(breaks) <= 0):
            raise StackError(N_("class breaks must be increasing numbers"))
    return mv, breaks


def variation_rasters(stack, outputs, ddof=1, min_valid=None, breaks=None, k=5,
                      sample=10000, seed=0, progress=None, memory_mb=256, runner=None):
    """Coefficient of variation (methods.md 6) and its classes.

    ``outputs`` maps cv and/or class to paths. Classes 1..k (low .. high
    fluctuation) use ``breaks`` (k + 1 increasing bounds, or k - 1 inner
    bounds) or, when None, Fisher-Jenks natural breaks computed exactly on a
    uniform random sample of ``sample`` valid CV values (all of them when
    fewer; seeded), with the exact minimum and maximum as outer bounds.
    Returns (paths, breaks).
    """
    if runner is not None:        # CV on dask, the sample replayed over these windows
        from .dask_rasters import variation_dask
        return variation_dask(runner, stack, outputs, ddof, min_valid, breaks, k, sample, seed,
                              progress, memory_mb)
    progress = as_progress(progress)
    mv, breaks = variation_setup(stack, outputs, min_valid, breaks)
    specs = _spec(outputs, "cv")
    res = Reservoir(sample, seed)
    cols = stack.grid.cols

    def func(a, win):
        cv = stability.coefficient_of_variation(a["y"], ddof=ddof, min_valid=mv)
        if breaks is None and outputs.get("class"):
            res.add(cv, win, cols)
        return {"cv": cv, "cv64": cv}

    # classes come from the float64 CV (a float32 value on a break could land
    # one class too high), kept in a scratch raster for the class pass
    scratch = ["cv64"] if outputs.get("class") else []
    folder = folder_of({"class": outputs["class"]}) if scratch else None
    with passes(folder, scratch) as tmp:
        if tmp:
            specs["cv64"] = OutputSpec(tmp["cv64"], dtype="float64", nodata=-9999.0)
        done = run_blocks({"y": stack}, specs, func,
                          progress.scaled(0, 70 if outputs.get("class") else 100),
                          memory_mb, pass_window=True)
        used = breaks
        if outputs.get("class"):
            if used is None:
                if res.count == 0:
                    raise StackError(N_("no valid CV value to compute natural breaks from"))
                used = stability.natural_breaks(res.values, k=k)
                used[0], used[-1] = res.lo, res.hi
            elif used.size == k - 1:   # inner breaks: values beyond go to the end classes
                used = np.concatenate([[used[0] - 1.0], used, [used[-1] + 1.0]])
            cls = RasterStack(readable(done["cv64"]), name="CV")
            done.update(run_blocks(
                {"cv": cls}, _spec(outputs, "class", dtype="int8",
                                   nodata=trend.NODATA_CLASS),
                lambda a: {"class": stability.classify(a["cv"][0], used)},
                progress.scaled(70, 100), memory_mb))
    done.pop("cv64", None)
    return done, (None if not outputs.get("class") else np.asarray(used))


def hurst_rasters(stack, outputs, years=None, method="rs", min_valid=None, slope=None,
                  significant_only=False, alpha=0.05, progress=None, memory_mb=256,
                  runner=None):
    """Hurst exponent (methods.md 7) and persistence classes.

    ``outputs`` maps h and/or persistence to paths. The persistence classes
    combine H with the Sen slope computed in the same pass (or the slope
    raster ``slope``, a 1-layer stack); with ``significant_only`` only Sen
    slopes whose Mann-Kendall p < alpha count (computed in the same pass).
    """
    _check_length(stack)
    t = resolve_years(stack.n, years)
    mv = _min_valid(stack.n, min_valid)
    if slope is not None and significant_only:
        raise StackError(N_("'only significant trends' needs the Mann-Kendall test of the same "
                            "pass: leave the slope raster empty"))
    specs = {}
    specs.update(_spec(outputs, "h"))
    specs.update(_spec(outputs, "persistence", dtype="int8", nodata=trend.NODATA_CLASS))
    if not specs:
        raise StackError(N_("no output was asked for"))
    stacks = {"y": stack}
    if slope is not None:
        stacks["slope"] = slope

    def func(a):
        h = hurst_fn(a["y"], method=method, min_valid=mv)
        res = {"h": h}
        if "persistence" in specs:
            sig = None
            if slope is not None:
                sl = a["slope"][0]
            else:
                mk = trend.mann_kendall(a["y"], t, min_valid=mv)
                sl = mk.slope
                if significant_only:
                    sig = mk.pvalue < alpha
            res["persistence"] = persistence_class(sl, h, significant=sig)
        return res

    return per_pixel(stacks, specs, func, mv, progress, memory_mb, runner)


def correlation_setup(target, drivers, min_valid):
    """The minimum number of valid years of a partial-correlation run (both
    engines), or a StackError."""
    _check_length(target)
    if not drivers:
        raise StackError(N_("at least one driver stack is needed"))
    for d in drivers:
        if d.n != target.n:
            raise StackError(N_("driver {} has {} layers but the target {}"), d.name, d.n, target.n)
    k = len(drivers) - 1
    mv = target.n if not min_valid else int(min_valid)
    if mv < k + 3 or mv > target.n:
        raise StackError(N_("with {} drivers the minimum number of valid years must be between "
                            "{} and {}"), len(drivers), k + 3, target.n)
    return mv


def partial_correlation_rasters(target, drivers, names, outputs, min_valid=None, alpha=0.05,
                                progress=None, memory_mb=256, runner=None):
    """Partial correlation of ``target`` with each of ``drivers`` (stacks of
    the same length) controlling for all the other drivers (methods.md 8).

    ``outputs`` maps r, pvalue, class to paths; each output has one band per
    driver, described by ``names``.
    """
    mv = correlation_setup(target, drivers, min_valid)
    nd = len(drivers)
    specs = {}
    specs.update(_spec(outputs, "r", bands=nd, descriptions=names))
    specs.update(_spec(outputs, "pvalue", bands=nd, descriptions=names))
    specs.update(_spec(outputs, "class", bands=nd, dtype="int8", nodata=trend.NODATA_CLASS,
                       descriptions=names))
    if not specs:
        raise StackError(N_("no output was asked for"))
    for i in range(nd):
        for j in range(i):
            if drivers[i].sources == drivers[j].sources:
                raise StackError(N_("drivers {} and {} are the same raster: give each driver "
                                    "once (a driver controlled for itself has no partial "
                                    "correlation)"), names[j], names[i])
    stacks = {"y": target}
    stacks.update({f"x{i}": d for i, d in enumerate(drivers)})

    def func(a):
        xs = [a[f"x{i}"] for i in range(nd)]
        rs, ps = [], []
        for i in range(nd):
            res = correlation.partial_correlation(
                a["y"], xs[i], [x for j, x in enumerate(xs) if j != i], min_valid=mv)
            rs.append(res.r)
            ps.append(res.pvalue)
        r, p = np.stack(rs), np.stack(ps)
        return {"r": r, "pvalue": p, "class": correlation.correlation_class(r, p, alpha)}

    try:
        return blocks(stacks, specs, func, progress, memory_mb, runner)
    except NoValidData:
        reason = _driver_problem(target, drivers, names, mv)
        if reason:
            raise StackError(reason) from None
        raise


def _driver_problem(target, drivers, names, mv):
    """Why no pixel has a partial correlation, from the first window: a
    driver constant in time, or two drivers identical / perfectly collinear."""
    from .io import plan_windows
    g = target.grid
    win = plan_windows(g.cols, g.rows, target.block, 8 * target.n * (len(drivers) + 1), 64)[0]
    xs = [d.read(*win) for d in drivers]
    ok = np.all([np.isfinite(x) for x in xs], axis=0).sum(axis=0) >= mv
    if not ok.any():
        return None                     # nodata: run_blocks's message says so
    for name, x in zip(names, xs):
        with np.errstate(invalid="ignore"):
            sd = np.nanstd(x, axis=0)
        if np.all(~(sd[ok] > 0)):
            return (f"driver {name} does not vary in time at any pixel (constant series): a "
                    "partial correlation needs drivers that change from year to year")
    for i in range(len(xs)):
        for j in range(i):
            with np.errstate(invalid="ignore", divide="ignore"):
                a = xs[i] - np.nanmean(xs[i], axis=0)
                b = xs[j] - np.nanmean(xs[j], axis=0)
                r = np.nansum(a * b, axis=0) / np.sqrt(np.nansum(a * a, axis=0) *
                                                        np.nansum(b * b, axis=0))
            if np.all(np.abs(r[ok]) > 1 - 1e-9):
                return (f"drivers {names[j]} and {names[i]} are perfectly correlated at every "
                        "pixel (the same data twice?): give each driver once")
    return None
