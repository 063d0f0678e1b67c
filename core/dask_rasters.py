"""The per-pixel file-level analyses on dask: the twins of the functions of
:mod:`.rasters`, with the same arguments after ``runner`` and the same
outputs (bit for bit: the same kernels, through the dask dispatcher).

``runner`` reads stacks as dask arrays and writes dask outputs (the command
line's ``core.io.dask.DaskRunner``: ``arrays(stacks, bytes_per_pixel)``,
``write(arrays, specs, grid)``, ``fmt``). The declarations of core/runs pick
the function of the run's engine; this module imports dask only when called.
"""
import os

import numpy as np

from . import fdr, rasters, stability, trend
from .errors import InputError
from .io.outputs import readable, remove_scratch, scratch_tif
from .rasters import StackError, _check_length, _min_valid, _run_with_fdr, _spec


def specs(outputs, keys, **kw):
    """{key: OutputSpec} of the ``keys`` asked for in ``outputs``."""
    out = {}
    for key in keys:
        out.update(_spec(outputs, key, **kw))
    return out


def _need_gtiff(runner, outputs, keys, what):
    if runner.fmt == "zarr" and any(outputs.get(k) for k in keys):
        raise InputError(f"{what} need a second pass over a GeoTIFF: write them with "
                         "--format gtiff")


def _nanmean0(a):
    import warnings
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(a, axis=0) if a.size else a[0]


def _peak_int16(a):
    return np.where(np.isnan(a), -32768, a).astype(np.int16)


def mann_kendall_dask(runner, stack, outputs, years=None, min_valid=None, method="original",
                      progress=None, memory_mb=256):
    from . import mann_kendall, trend_class  # the dask-aware public functions
    _need_gtiff(runner, outputs, ("q", "fdr_class"), "FDR q-values and classes")
    years = rasters.resolve_years(stack.n, years)

    def main(o, prog):
        _check_length(stack)
        mv = _min_valid(stack.n, min_valid)
        sp = specs(o, ("slope", "z", "pvalue", "tau", "intercept", "s"))
        sp.update(specs(o, ("class",), dtype="int8", nodata=trend.NODATA_CLASS))
        if not sp:
            raise StackError("no output was asked for")
        (y,) = runner.arrays([stack], 8 * stack.n + 8 * len(sp))
        r = mann_kendall(y, years, method=method, min_valid=mv)
        arrays = {"slope": r.slope, "z": r.z, "pvalue": r.pvalue, "tau": r.tau,
                  "intercept": r.intercept, "s": r.s}
        if "class" in sp:
            arrays["class"] = trend_class(r.slope, r.z)
        return runner.write(arrays, sp, stack.grid)

    return _run_with_fdr(main, outputs, fdr.fdr_class_mk, progress, memory_mb)


def linear_trend_dask(runner, stack, outputs, years=None, min_valid=None, alpha=0.05,
                      alpha_strong=None, progress=None, memory_mb=256):
    from . import linear_trend, linear_trend_class
    _need_gtiff(runner, outputs, ("q", "fdr_class"), "FDR q-values and classes")
    years = rasters.resolve_years(stack.n, years)

    def classify(slope, q):
        return trend.linear_trend_class(slope, q, alpha, alpha_strong)

    def main(o, prog):
        _check_length(stack)
        mv = _min_valid(stack.n, min_valid)
        sp = specs(o, ("slope", "intercept", "r2", "pvalue"))
        sp.update(specs(o, ("class",), dtype="int8", nodata=trend.NODATA_CLASS))
        if not sp:
            raise StackError("no output was asked for")
        (y,) = runner.arrays([stack], 8 * stack.n + 8 * len(sp))
        r = linear_trend(y, years, min_valid=mv)
        arrays = {"slope": r.slope, "intercept": r.intercept, "r2": r.r2, "pvalue": r.pvalue}
        if "class" in sp:
            arrays["class"] = linear_trend_class(r.slope, r.pvalue, alpha, alpha_strong)
        return runner.write(arrays, sp, stack.grid)

    return _run_with_fdr(main, outputs, classify, progress, memory_mb)


def hurst_dask(runner, stack, outputs, years=None, method="rs", min_valid=None, slope=None,
               significant_only=False, alpha=0.05, progress=None, memory_mb=256):
    from . import hurst, mann_kendall, persistence_class
    _check_length(stack)
    years = rasters.resolve_years(stack.n, years)
    mv = _min_valid(stack.n, min_valid)
    if slope is not None and significant_only:
        raise StackError("'only significant trends' needs the Mann-Kendall test of the same "
                         "pass: leave the slope raster empty")
    sp = specs(outputs, ("h",))
    sp.update(specs(outputs, ("persistence",), dtype="int8", nodata=trend.NODATA_CLASS))
    stacks = [stack] + ([slope] if slope is not None else [])
    arrs = runner.arrays(stacks, sum(8 * s.n for s in stacks) + 8 * len(sp))
    y = arrs[0]
    h = hurst(y, method=method, min_valid=mv)
    arrays = {"h": h}
    if "persistence" in sp:
        sig = None
        if slope is not None:
            sl = arrs[1][0]
        else:
            mk = mann_kendall(y, years, min_valid=mv)
            sl = mk.slope
            if significant_only:
                sig = mk.pvalue < alpha
        arrays["persistence"] = persistence_class(sl, h, significant=sig)
    return runner.write(arrays, sp, stack.grid)


def variation_dask(runner, stack, outputs, ddof=1, min_valid=None, breaks=None, k=5,
                   sample=10000, seed=0, progress=None, memory_mb=256):
    """CV on dask; the natural-breaks sample replayed over the block engine's
    windows, so that the classes are those of :func:`rasters.variation_rasters`."""
    from . import coefficient_of_variation
    from .io import OutputSpec, RasterStack, plan_windows, run_blocks
    mv, breaks = rasters.variation_setup(stack, outputs, min_valid, breaks)
    want_class = bool(outputs.get("class"))
    natural = want_class and breaks is None
    _need_gtiff(runner, outputs, ("class",), "variation classes")
    cv_path = outputs.get("cv")
    temps, done = [], {}
    folder = os.path.dirname(os.path.abspath(cv_path or outputs["class"]))
    if not os.path.isdir(folder):
        raise StackError(f"cannot write into {folder}: the folder does not exist")
    sp = {"cv": OutputSpec(cv_path, descriptions=["cv"])} if cv_path else {}
    if want_class:
        # the sample and the classes come from the float64 CV, as in the toolbox
        cv64 = scratch_tif(folder, "cv64")
        temps.append(cv64)
        sp["cv64"] = OutputSpec(cv64, dtype="float64")
    try:
        (y,) = runner.arrays([stack], 8 * stack.n + 8 * len(sp))
        cv = coefficient_of_variation(y, ddof=ddof, min_valid=mv)
        done = runner.write({"cv": cv, "cv64": cv}, sp, stack.grid)
        used = breaks
        if want_class:
            if natural:
                # keys by pixel position: the toolbox's sample, whatever the windows
                res = rasters.Reservoir(sample, seed)
                src = RasterStack(readable(done["cv64"]), name="CV")
                for win in plan_windows(stack.grid.cols, stack.grid.rows, stack.block,
                                        8 * stack.n + 8, memory_mb):
                    res.add(src.read(*win)[0], win, stack.grid.cols)
                src.close()
                if res.count == 0:
                    raise StackError("no valid CV value to compute natural breaks from")
                used = stability.natural_breaks(res.values, k=k)
                used[0], used[-1] = res.lo, res.hi
            elif used.size == k - 1:
                used = np.concatenate([[used[0] - 1.0], used, [used[-1] + 1.0]])
            cls = RasterStack(readable(done["cv64"]), name="CV")
            done.update(run_blocks(
                {"cv": cls}, _spec(outputs, "class", dtype="int8", nodata=trend.NODATA_CLASS),
                lambda a: {"class": stability.classify(a["cv"][0], used)},
                progress, memory_mb))
    finally:
        remove_scratch(temps)
    done.pop("cv64", None)
    return done, (None if not want_class else np.asarray(used))


def nep_dask(runner, npp, temperature, precipitation, outputs, b=0.0912, mode="auto",
             years=None, progress=None, memory_mb=256):
    import dask.array as da

    from . import heterotrophic_respiration, net_ecosystem_production, sink_class
    if npp.n < 1:
        raise StackError("NPP stack is empty")
    years = rasters.resolve_years(npp.n, years)
    mode = rasters.climate_mode(npp.n, temperature.n, precipitation.n, mode)
    labels = [f"{v:g}" for v in years]
    sp = specs(outputs, ("nep", "rh"), bands=npp.n, descriptions=labels)
    sp.update(specs(outputs, ("class",), dtype="int8", nodata=trend.NODATA_CLASS))
    if not sp:
        raise StackError("no output was asked for")
    n_in = npp.n + temperature.n + precipitation.n
    a_npp, a_t, a_p = runner.arrays([npp, temperature, precipitation],
                                    8 * n_in + 8 * sum(s.bands for s in sp.values()))
    rh = heterotrophic_respiration(a_t, a_p, b=b, mode=mode)
    nep = net_ecosystem_production(a_npp, rh)
    mean = da.map_blocks(_nanmean0, nep, drop_axis=0, dtype=np.float64,
                         meta=np.empty((0, 0)))
    arrays = {"nep": nep, "rh": rh, "class": sink_class(mean)}
    return runner.write(arrays, sp, npp.grid), mode


def carrying_capacity_dask(runner, stack, outputs, years=None, year=None, all_years=False,
                           min_valid=None, progress=None, memory_mb=256):
    from . import carrying_capacity
    t, mv, idx, per_year, labels = rasters.capacity_setup(stack, years, year, all_years,
                                                          min_valid)
    sp = specs(outputs, ("cscc",))
    sp.update(specs(outputs, ("peak_year",), dtype="int16", nodata=-32768))
    sp.update(specs(outputs, ("potential", "saturation"), bands=per_year, descriptions=labels))
    if not sp:
        raise StackError("no output was asked for")
    (y,) = runner.arrays([stack], 8 * stack.n + 8 * sum(s.bands for s in sp.values()))
    r = carrying_capacity(y, t, min_valid=mv)
    sel = slice(None) if all_years else slice(idx, idx + 1)
    peak = r.peak_year.map_blocks(_peak_int16, dtype=np.int16)
    arrays = {"cscc": r.cscc, "peak_year": peak, "potential": r.potential[sel],
              "saturation": r.saturation[sel]}
    return runner.write(arrays, sp, stack.grid)


def partial_correlation_dask(runner, target, drivers, names, outputs, min_valid=None,
                             alpha=0.05, progress=None, memory_mb=256):
    import dask.array as da

    from . import correlation_class, partial_correlation
    mv = rasters.correlation_setup(target, drivers, min_valid)
    nd = len(drivers)
    sp = specs(outputs, ("r", "pvalue"), bands=nd, descriptions=names)
    sp.update(specs(outputs, ("class",), bands=nd, dtype="int8", nodata=trend.NODATA_CLASS,
                    descriptions=names))
    arrs = runner.arrays([target] + list(drivers), 8 * target.n * (nd + 1) + 8 * 3 * nd)
    y, xs = arrs[0], arrs[1:]
    rs, ps = [], []
    for i in range(nd):
        res = partial_correlation(y, xs[i], [x for j, x in enumerate(xs) if j != i],
                                  min_valid=mv)
        rs.append(res.r)
        ps.append(res.pvalue)
    r, p = da.stack(rs), da.stack(ps)
    arrays = {"r": r, "pvalue": p, "class": correlation_class(r, p, alpha)}
    return runner.write(arrays, sp, target.grid)
