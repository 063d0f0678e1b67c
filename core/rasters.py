"""File-level analyses: raster stacks in, GeoTIFFs out, one streamed pass.

Each function opens its inputs as :class:`~carbonsink.core.io.RasterStack`,
streams them block by block through the array functions of this package and
writes every output atomically. The QGIS algorithms are thin wrappers over
these; they are also the headless way to run an analysis on files.
"""
import os
import tempfile

import numpy as np

from . import carbon, fdr, trend
from .io import OutputSpec, RasterStack, StackError, run_blocks, scan_blocks
from .progress import as_progress

MIN_YEARS = 4


def open_stack(sources, name, scale=1.0, offset=0.0, valid_min=None, valid_max=None):
    """RasterStack with the usual checks (a clear message for bad input)."""
    return RasterStack(sources, name=name, scale=scale, offset=offset,
                       valid_min=valid_min, valid_max=valid_max)


def resolve_years(n, years=None, first_year=None):
    """The time coordinate of an n-layer stack: explicit years, or first_year
    + 0..n-1 (default 0..n-1). Raises StackError on a length mismatch."""
    if years is not None and len(years):
        years = np.asarray(years, dtype=np.float64)
        if years.shape[0] != n:
            raise StackError(f"{years.shape[0]} years given for a stack of {n} layers")
        if np.any(np.diff(years) <= 0):
            raise StackError("years must be strictly increasing")
        return years
    start = 0 if first_year is None else first_year
    return np.arange(n, dtype=np.float64) + start


def _check_length(stack, least=MIN_YEARS):
    if stack.n < least:
        raise StackError(f"{stack.name} has {stack.n} layers: at least {least} years are needed")


def _spec(outputs, key, **kw):
    path = outputs.get(key)
    kw.setdefault("descriptions", [key.replace("_", " ")])
    return {key: OutputSpec(path, **kw)} if path else {}


def _min_valid(n, min_valid):
    mv = n if not min_valid else int(min_valid)
    if mv < 3 or mv > n:
        raise StackError(f"minimum number of valid years must be between 3 and {n}, not {mv}")
    return mv


def _remove(paths):
    for path in paths:
        for p in (path, os.path.splitext(path)[0] + ".qml", path + ".aux.xml"):
            if p and os.path.exists(p):
                os.remove(p)


def _run_with_fdr(main, outputs, classify, progress, memory_mb):
    """Run ``main(outputs, progress)`` and, when ``outputs`` asks for "q" or
    "fdr_class", a histogram pass and a q/class pass over its p-values.

    The p and slope rasters are written to temporary files when not asked
    for. When a later pass fails, every output of the run is removed.
    """
    progress = as_progress(progress)
    want = {k: outputs[k] for k in ("q", "fdr_class") if outputs.get(k)}
    if not want:
        return main(outputs, progress)
    first = next(iter(want.values()))
    folder = os.path.dirname(os.path.abspath(first))
    if not os.path.isdir(folder):
        raise StackError(f"cannot write {first}: folder {folder} does not exist")
    main_out = {k: v for k, v in outputs.items() if k not in want and v}
    temps = []
    for key in ("pvalue", "slope"):
        if key not in main_out:
            fd, tmp = tempfile.mkstemp(prefix=f".carbonsink-{key}-", suffix=".tif", dir=folder)
            os.close(fd)
            temps.append(tmp)
            main_out[key] = tmp
    done = {}
    try:
        done = main(main_out, progress.scaled(0, 80))
        p_stack = RasterStack(done["pvalue"], name="p-values")
        s_stack = RasterStack(done["slope"], name="slopes")
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
    except BaseException:
        _remove(list(done.values()))
        raise
    finally:
        _remove(temps)
    for key in ("pvalue", "slope"):
        if key not in outputs or not outputs[key]:
            done.pop(key, None)
    return done


def linear_trend_rasters(stack, outputs, years=None, min_valid=None, alpha=0.05,
                         alpha_strong=None, progress=None, memory_mb=256):
    """Least-squares trend of a stack. ``outputs`` maps any of slope,
    intercept, r2, pvalue, class, and the FDR outputs q (Benjamini-Hochberg
    q over all valid pixels) and fdr_class (classes with q in place of p) to
    a GeoTIFF path. Returns name -> path."""
    def classify(slope, q):
        return trend.linear_trend_class(slope, q, alpha, alpha_strong)

    return _run_with_fdr(
        lambda outs, prog: _linear_trend_pass(stack, outs, years, min_valid, alpha,
                                              alpha_strong, prog, memory_mb),
        outputs, classify, progress, memory_mb)


def _linear_trend_pass(stack, outputs, years, min_valid, alpha, alpha_strong, progress,
                       memory_mb):
    _check_length(stack)
    t = resolve_years(stack.n, years)
    mv = _min_valid(stack.n, min_valid)
    specs = {}
    for key in ("slope", "intercept", "r2", "pvalue"):
        specs.update(_spec(outputs, key))
    specs.update(_spec(outputs, "class", dtype="int8", nodata=trend.NODATA_CLASS))
    if not specs:
        raise StackError("no output was asked for")

    def func(a):
        r = trend.linear_trend(a["y"], t, min_valid=mv)
        res = {"slope": r.slope, "intercept": r.intercept, "r2": r.r2, "pvalue": r.pvalue}
        if "class" in specs:
            res["class"] = trend.linear_trend_class(r.slope, r.pvalue, alpha, alpha_strong)
        return res

    return run_blocks({"y": stack}, specs, func, progress, memory_mb)


def mann_kendall_rasters(stack, outputs, years=None, min_valid=None, method="original",
                         progress=None, memory_mb=256):
    """Sen slope and Mann-Kendall test of a stack. ``outputs`` maps any of
    slope, intercept, z, pvalue, tau, s, class, and the FDR outputs q and
    fdr_class (classes from q: 4 q < 0.01, 3 q < 0.05, 2 q < 0.1) to a path."""
    return _run_with_fdr(
        lambda outs, prog: _mann_kendall_pass(stack, outs, years, min_valid, method, prog,
                                              memory_mb),
        outputs, fdr.fdr_class_mk, progress, memory_mb)


def _mann_kendall_pass(stack, outputs, years, min_valid, method, progress, memory_mb):
    _check_length(stack)
    t = resolve_years(stack.n, years)
    mv = _min_valid(stack.n, min_valid)
    specs = {}
    for key in ("slope", "z", "pvalue", "tau", "intercept", "s"):
        specs.update(_spec(outputs, key))
    specs.update(_spec(outputs, "class", dtype="int8", nodata=trend.NODATA_CLASS))
    if not specs:
        raise StackError("no output was asked for")

    def func(a):
        r = trend.mann_kendall(a["y"], t, method=method, min_valid=mv)
        res = {"slope": r.slope, "z": r.z, "pvalue": r.pvalue, "tau": r.tau,
               "intercept": r.intercept, "s": r.s}
        if "class" in specs:
            res["class"] = trend.trend_class(r.slope, r.z)
        return res

    return run_blocks({"y": stack}, specs, func, progress, memory_mb)


def carrying_capacity_rasters(stack, outputs, years=None, year=None, all_years=False,
                              min_valid=None, progress=None, memory_mb=256):
    """CSCC, peak year, and potential / saturation for ``year`` (default the
    last) or, with ``all_years``, for every year as a stack. ``outputs`` maps
    any of cscc, peak_year, potential, saturation to a path."""
    _check_length(stack, 2)
    t = resolve_years(stack.n, years)
    mv = n_valid = stack.n if not min_valid else int(min_valid)
    if not 1 <= n_valid <= stack.n:
        raise StackError(f"minimum number of valid years must be between 1 and {stack.n}")
    if year is None:
        idx = stack.n - 1
    else:
        hits = np.nonzero(t == float(year))[0]
        if not len(hits):
            raise StackError(f"year {year} is not one of the stack's years "
                             f"({t[0]:g}..{t[-1]:g})")
        idx = int(hits[0])
    per_year = stack.n if all_years else 1
    labels = [f"{v:g}" for v in (t if all_years else t[idx:idx + 1])]
    specs = {}
    specs.update(_spec(outputs, "cscc"))
    specs.update(_spec(outputs, "peak_year", dtype="int16", nodata=-32768))
    for key in ("potential", "saturation"):
        specs.update(_spec(outputs, key, bands=per_year, descriptions=labels))
    if not specs:
        raise StackError("no output was asked for")

    def func(a):
        r = carbon.carrying_capacity(a["y"], t, min_valid=mv)
        sel = slice(None) if all_years else slice(idx, idx + 1)
        peak = np.where(np.isnan(r.peak_year), -32768, r.peak_year)
        return {"cscc": r.cscc, "peak_year": peak.astype(np.int16),
                "potential": r.potential[sel], "saturation": r.saturation[sel]}

    return run_blocks({"y": stack}, specs, func, progress, memory_mb)


def climate_mode(n_years, n_temperature, n_precipitation, mode="auto"):
    """Decide the Rh mode from layer counts; a clear error when they do not fit."""
    if n_temperature != n_precipitation:
        raise StackError(f"temperature has {n_temperature} layers but precipitation "
                         f"{n_precipitation}")
    if mode == "auto":
        if n_temperature == 12 * n_years:
            return "monthly"
        if n_temperature == n_years:
            return "annual"
        raise StackError(f"climate stacks have {n_temperature} layers: expected "
                         f"{12 * n_years} (monthly) or {n_years} (annual) for "
                         f"{n_years} years of NPP")
    want = 12 * n_years if mode == "monthly" else n_years
    if n_temperature != want:
        raise StackError(f"{mode} mode needs {want} climate layers for {n_years} "
                         f"years of NPP, got {n_temperature}")
    return mode


def nep_rasters(npp, temperature, precipitation, outputs, b=0.0912, mode="auto",
                years=None, progress=None, memory_mb=256):
    """NEP = NPP - Rh per year (methods.md 1). ``outputs`` maps any of nep
    (n bands), rh (n bands), class (sink/source of the mean NEP over the
    years with a valid NEP) to a path. Returns name -> path and the mode."""
    if npp.n < 1:
        raise StackError("NPP stack is empty")
    mode = climate_mode(npp.n, temperature.n, precipitation.n, mode)
    t = resolve_years(npp.n, years)
    labels = [f"{v:g}" for v in t]
    specs = {}
    specs.update(_spec(outputs, "nep", bands=npp.n, descriptions=labels))
    specs.update(_spec(outputs, "rh", bands=npp.n, descriptions=labels))
    specs.update(_spec(outputs, "class", dtype="int8", nodata=trend.NODATA_CLASS))
    if not specs:
        raise StackError("no output was asked for")

    def func(a):
        rh = carbon.heterotrophic_respiration(a["t"], a["p"], b=b, mode=mode)
        nep = carbon.net_ecosystem_production(a["npp"], rh)
        with np.errstate(invalid="ignore"):
            mean = np.nanmean(nep, axis=0) if nep.size else nep[0]
        return {"nep": nep, "rh": rh, "class": carbon.sink_class(mean)}

    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN mean -> NaN
        paths = run_blocks({"npp": npp, "t": temperature, "p": precipitation},
                           specs, func, progress, memory_mb)
    return paths, mode
