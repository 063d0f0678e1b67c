"""Temporal statistics, declared once: variation (CV and classes, methods.md
6), hurst (persistence, 7), partialcorrelation (climate drivers, 8) per
pixel, on the block engine or on dask; abruptchange (sequential Mann-Kendall
and Pettitt on zone means, 9)."""
import math

import numpy as np

from .. import abrupt, charts, rasters
from ..errors import InputError
from .declare import (
    N_,
    Analysis,
    Param,
    boolean,
    enum,
    file_out,
    integer,
    number,
    outputs,
    raster,
    raster_out,
    results,
    scaling,
    stack,
    string,
    table_out,
    years,
    zones,
)
from .trends import read_series, series_inputs

GROUP, GROUP_ID = N_("Temporal statistics"), "temporal"

SERIES_KEYS = ["zone", "year", "mean", "valid_pixels", "uf", "ub"]
SUMMARY_KEYS = ["zone", "pixels", "crossing_years", "change_start_years", "pettitt_year",
                "pettitt_k", "pettitt_p", "note"]


def zone_means(a, st, progress, name="ZONES", field_name="ZONE_FIELD"):
    """(ZoneSums of ``st`` over the polygons of ``name``, {id: name}); the
    temporary zone raster removed."""
    from ..zonal import zone_sums
    zs, names = a.zones(name, field_name, st.grid)
    try:
        return zone_sums(st, zs, n_zones=max(names), progress=progress,
                         memory_mb=a.memory_mb), names
    finally:
        a.drop_zones(zs)


def run_abruptchange(a):
    st = a.stack("INPUT", a.tr("Input stack"), "INPUT")
    yrs = a.years(st.n)
    if st.n < 4:
        raise InputError(a.tr("at least 4 years are needed"))
    alpha = a.float("ALPHA")
    acc, names = zone_means(a, st, a.progress.scaled(0, 90))
    means = acc.means()
    series_rows, summary_rows, sections = [], [], []
    for zid in sorted(names):
        name = names[zid]
        series = means[:, zid - 1]
        counts = acc.counts[:, zid]
        valid = int(np.isfinite(series).sum())
        if valid < 4:
            msg = a.tr("zone {}: {} years with valid pixels, at least 4 needed; skipped") \
                .format(name, valid)
            a.info(msg)
            summary_rows.append(dict(zip(SUMMARY_KEYS, [
                name, int(acc.pixels[zid]), "", "", math.nan, math.nan, math.nan, msg])))
            sections.append(f"<h2>{charts.html.escape(name)}</h2><p>{msg}</p>")
            continue
        smk = abrupt.sequential_mann_kendall(series, alpha=alpha)
        pt = abrupt.pettitt(series)
        for i in range(st.n):
            series_rows.append(dict(zip(SERIES_KEYS, [
                name, float(yrs[i]), float(series[i]), int(counts[i]), float(smk.uf[i]),
                float(smk.ub[i])])))
        cross = [f"{yrs[k]:g}" for k in smk.crossings]
        starts = [f"{yrs[k]:g}" for k in smk.change_points]
        p_year = float(yrs[pt.index - 1])
        summary_rows.append(dict(zip(SUMMARY_KEYS, [
            name, int(acc.pixels[zid]), ", ".join(cross), ", ".join(starts), p_year,
            float(pt.k), float(pt.pvalue), ""])))
        a.info(a.tr("{}: UF/UB cross in {}; inside the band: {}; Pettitt change point {:g} "
                    "(p = {:.4g})").format(name, ", ".join(cross) or "-",
                                           ", ".join(starts) or "-", p_year, pt.pvalue))
        sections.append(_section(a, name, yrs, series, smk, pt, p_year, cross, starts))
    results = {"OUTPUT_TABLE": a.table("OUTPUT_TABLE", series_rows, SERIES_KEYS),
               "OUTPUT_SUMMARY": a.table("OUTPUT_SUMMARY", summary_rows, SUMMARY_KEYS)}
    if a.output("OUTPUT_HTML"):
        results["OUTPUT_HTML"] = charts.write_page(
            a.output("OUTPUT_HTML"), a.tr("Abrupt change: sequential Mann-Kendall and Pettitt"),
            "\n".join(sections))
    return results


def _section(a, name, yrs, series, smk, pt, p_year, cross, starts):
    z = smk.z_crit
    chart = charts.svg_lines(
        yrs, [("UF", smk.uf, "#d7191c", False), ("UB", smk.ub, "#2b83ba", False)],
        title=f"{name}: UF / UB", hlines=[(z, "#555", f"+{z:.2f}"), (-z, "#555", f"-{z:.2f}")],
        vlines=[(p_year, "#1a9641", "Pettitt")], xlabel=a.tr("year"))
    mean_chart = charts.svg_lines(yrs, [(a.tr("zone mean"), series, "#333", False)],
                                  title=f"{name}: {a.tr('zone mean')}",
                                  vlines=[(p_year, "#1a9641", "Pettitt")], xlabel=a.tr("year"))
    rows = [[a.tr("UF/UB crossings"), ", ".join(cross) or "-"],
            [a.tr("crossings inside the band (change starts)"), ", ".join(starts) or "-"],
            [a.tr("Pettitt change point (last year before the change)"), f"{p_year:g}"],
            ["Pettitt K", float(pt.k)], [a.tr("Pettitt p"), float(pt.pvalue)]]
    return (f"<h2>{charts.html.escape(name)}</h2>{chart}{mean_chart}"
            + charts.table([a.tr("statistic"), a.tr("value")], rows))


ABRUPTCHANGE = Analysis(
    "abruptchange", N_("Abrupt change of zone means (sequential Mann-Kendall, Pettitt)"),
    GROUP, GROUP_ID, [
        stack("INPUT", N_("Annual raster stack (one layer per year, or one multiband "
                          "raster)")),
        *years(),
        *scaling("INPUT", N_("Input")),
        *zones(N_("Zones (polygons; empty = the whole valid area)")),
        number("ALPHA", N_("Significance level of the UF/UB band"), 0.05, minimum=1e-4,
               maximum=0.5),
        table_out("OUTPUT_TABLE", N_("Zone mean series with UF and UB")),
        table_out("OUTPUT_SUMMARY", N_("Change points per zone")),
        file_out("OUTPUT_HTML", N_("Report (HTML chart of UF/UB)"), "html", default=True)],
    run_abruptchange, "Abrupt change of zone means: sequential Mann-Kendall and Pettitt",
    class_name="AbruptChangeAlgorithm")



# ------------------------------------------------------------ per pixel

CV_KEYS = {"cv": "OUTPUT_CV", "class": "OUTPUT_CLASS"}


def run_variation(a):
    st, _, mv = read_series(a)
    text = a.string("BREAKS").strip()
    breaks = None
    if text:
        try:
            breaks = [float(v) for v in text.replace(";", ",").split(",") if v.strip()]
        except ValueError:
            raise InputError(a.tr("breaks must be numbers separated by commas")) from None
        if len(breaks) != 4:
            raise InputError(a.tr("give 4 breaks for 5 classes, not {}").format(len(breaks)))
    paths, used = rasters.variation_rasters(
        st, outputs(a, CV_KEYS), ddof=a.enum("DDOF"), min_valid=mv, breaks=breaks,
        sample=a.int("SAMPLE"), seed=a.int("SEED"), progress=a.progress,
        memory_mb=a.memory_mb, runner=a.runner)
    if used is not None:
        a.info(a.tr("Class bounds: {}").format(", ".join(f"{v:.6g}" for v in used)))
    return results(paths, CV_KEYS)


VARIATION = Analysis(
    "variation", N_("Stability: coefficient of variation (CV) and classes"), GROUP, GROUP_ID, [
        *series_inputs(),
        enum("DDOF", N_("Standard deviation"), [("population", N_("Population (ddof = 0)")),
                                                ("sample", N_("Sample (ddof = 1)"))], 1),
        string("BREAKS", N_("User class breaks: 4 increasing CV values (empty = natural "
                            "breaks, Fisher-Jenks)")),
        integer("SAMPLE", N_("Natural breaks: sample size of CV values (exact on the "
                             "sample)"), 10000, minimum=100, advanced=True),
        integer("SEED", N_("Random seed of the sample"), 0, advanced=True),
        raster_out("OUTPUT_CV", N_("Coefficient of variation"), aliases=("--cv",)),
        raster_out("OUTPUT_CLASS", N_("Fluctuation classes (1 low .. 5 high)"),
                   aliases=("--class",))],
    run_variation, "Stability: coefficient of variation (CV) and classes",
    class_outputs={"OUTPUT_CLASS": "CV_CLASSES"}, class_name="VariationAlgorithm", dask=True,
    any_outputs=True)


HURST_KEYS = {"h": "OUTPUT_H", "persistence": "OUTPUT_PERSISTENCE"}
HURST_ESTIMATORS = [("rs", N_("R/S on growing windows (rs, pixel-wise studies)")),
                    ("rs_segmented", N_("Classical R/S on segments (rs_segmented)")),
                    ("aggvar", N_("Aggregated variance (aggvar)"))]


def run_hurst(a):
    st, yrs, mv = read_series(a)
    slope = a.raster("SLOPE", a.tr("Slope raster"), optional=True)
    if slope is not None and slope.n != 1:
        raise InputError(a.tr("the slope raster must have one band"))
    return results(rasters.hurst_rasters(
        st, outputs(a, HURST_KEYS), yrs, HURST_ESTIMATORS[a.enum("METHOD")][0], mv, slope,
        a.bool("SIGNIFICANT_ONLY"), progress=a.progress, memory_mb=a.memory_mb,
        runner=a.runner), HURST_KEYS)


HURST = Analysis(
    "hurst", N_("Persistence: Hurst exponent and future trend"), GROUP, GROUP_ID, [
        *series_inputs(),
        enum("METHOD", N_("Estimator"), HURST_ESTIMATORS),
        raster("SLOPE", N_("Trend slope raster for the persistence classes (empty = Sen "
                           "slope computed in the same pass)"), optional=True,
               aliases=("--slope-raster",)),
        boolean("SIGNIFICANT_ONLY", N_("Persistence: only trends with Mann-Kendall p < "
                                       "0.05")),
        raster_out("OUTPUT_H", N_("Hurst exponent H"), aliases=("--h",)),
        raster_out("OUTPUT_PERSISTENCE", N_("Persistence classes"), True,
                   aliases=("--persistence",))],
    run_hurst, "Persistence: Hurst exponent and future trend",
    class_outputs={"OUTPUT_PERSISTENCE": "PERSISTENCE_CLASSES"}, class_name="HurstAlgorithm",
    dask=True, any_outputs=True)


CORRELATION_KEYS = {"r": "OUTPUT_R", "pvalue": "OUTPUT_P", "class": "OUTPUT_CLASS"}


def run_partialcorrelation(a):
    from ..rasters import open_stack
    from .ensemble import source_name
    target, _, mv = read_series(a, N_("Target stack"))
    sources = a.named_sources("DRIVERS")
    if not sources:
        raise InputError(a.tr("at least one driver stack is needed"))
    names = [name or source_name(src) for src, name in sources]
    given = [v.strip() for v in a.string("DRIVER_NAMES").split(",") if v.strip()]
    if given:
        if len(given) != len(sources):
            raise InputError(a.tr("{} driver names for {} driver stacks").format(
                len(given), len(sources)))
        names = given
    drivers = [open_stack(src, name) for (src, _), name in zip(sources, names)]
    for name in names:
        others = [n for n in names if n != name]
        a.info(a.tr("{}: controlling for {}").format(
            name, ", ".join(others) if others else a.tr("nothing (simple r)")))
    return results(rasters.partial_correlation_rasters(
        target, drivers, names, outputs(a, CORRELATION_KEYS), mv, a.float("ALPHA"),
        a.progress, a.memory_mb, runner=a.runner), CORRELATION_KEYS)


PARTIALCORRELATION = Analysis(
    "partialcorrelation", N_("Partial correlation with climate drivers"), GROUP, GROUP_ID, [
        *series_inputs(N_("Target stack (e.g. annual NPP or NEP; one layer per year, or one "
                          "multiband raster)")),
        stack("DRIVERS", N_("Driver stacks: one multiband raster per driver (temperature, "
                            "precipitation, radiation...), one band per year"),
              aliases=("--driver",)),
        number("ALPHA", N_("Significance level alpha"), 0.05, minimum=1e-6, maximum=0.5),
        Param("DRIVER_NAMES", "string", N_("Names of the drivers, comma separated, in the "
                                           "order of the driver stacks (empty = layer names)"),
              None, True, advanced=True, aliases=("--driver-name",), join=True),
        raster_out("OUTPUT_R", N_("Partial correlation r (one band per driver)"),
                   aliases=("--r",)),
        raster_out("OUTPUT_P", N_("p-value (one band per driver)"), aliases=("--p",)),
        raster_out("OUTPUT_CLASS", N_("Correlation classes (one band per driver)"),
                   aliases=("--class",))],
    run_partialcorrelation, "Partial correlation with climate drivers",
    class_outputs={"OUTPUT_CLASS": "CORRELATION_CLASSES"},
    class_name="PartialCorrelationAlgorithm", dask=True, any_outputs=True)

ANALYSES = [VARIATION, HURST, PARTIALCORRELATION, ABRUPTCHANGE]
