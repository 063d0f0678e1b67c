"""Flux products on different grids (methods.md 12.6-12.7), declared once:
ensemble, regrid. The analyses are in core/ensemble.py."""
import os

from .. import accounting, accounting_charts, charts
from .. import ensemble as ens_core
from ..errors import InputError, text
from .accounting import GROUP, GROUP_ID
from .declare import (
    N_,
    Analysis,
    enum,
    file_out,
    headers,
    integer,
    number,
    raster,
    raster_out,
    species,
    stack,
    string,
    table_out,
    unit,
    zones,
)


def source_name(src):
    """A short name of a GDAL source: file base name, plus the variable of
    a subdataset (NETCDF:"path/file.nc":var -> file:var)."""
    if src.count(":") >= 2 and src.split(":", 1)[0].isupper():
        body = src.split(":", 1)[1]
        path, _, var = body.rpartition(":")
        return f"{os.path.splitext(os.path.basename(path.strip(chr(34))))[0]}:{var}"
    return os.path.splitext(os.path.basename(src))[0]


def _scales(a, n):
    given = a.string("SCALES").strip()
    if not given:
        return None
    try:
        scales = [float(v) for v in given.replace(";", ",").split(",") if v.strip()]
    except ValueError:
        raise InputError(a.tr("unit factors must be numbers separated by commas, not '{}'")
                         .format(given)) from None
    if len(scales) != n:
        raise InputError(a.tr("{} unit factors for {} products").format(len(scales), n))
    return scales


def run_ensemble(a):
    from ..rasters import open_stack
    members = [open_stack(src, name or source_name(src))
               for src, name in a.named_sources("INPUTS")]
    given = a.string("SOURCES")
    for src in [v.strip() for v in given.replace(";", "\n").splitlines() if v.strip()]:
        members.append(open_stack(src, source_name(src)))
    if len(members) < 2:
        raise InputError(a.tr("an ensemble needs at least two products"))
    names = [m.name for m in members]
    if len(set(names)) < len(names):
        for k, m in enumerate(members):
            m.name = f"{k + 1}: {m.name}"
    scales = _scales(a, len(members))
    ref = a.raster("REFERENCE", a.tr("Reference grid"), optional=True)
    warnings = []
    target = ens_core.target_grid(members, ref, a.float("RESOLUTION") or None, warnings)
    zs, znames = a.zones("ZONES", "ZONE_FIELD", target)
    keys = {"mean": "OUTPUT_MEAN", "sd": "OUTPUT_SD", "agreement": "OUTPUT_AGREEMENT",
            "coverage": "OUTPUT_COVERAGE"}
    outs = {k: a.output(p) for k, p in keys.items() if a.output(p)}
    step = ("years", "months")[a.enum("TIME_STEP")]
    unit_ = accounting.UNITS[a.enum("UNIT")]
    res = ens_core.flux_ensemble(
        members, target, None, outs, zs, znames, step, a.int("FIRST_YEAR"), unit_,
        ("C", "CO2")[a.enum("INPUT_SPECIES")], a.int("MIN_MEMBERS") or None,
        a.float("MIN_COVERAGE"), a.float("BAND_WIDTH"), scales, a.progress, a.memory_mb)
    a.info(a.tr("Target grid: {} x {} cells, geotransform {}").format(
        target.cols, target.rows, tuple(round(v, 9) for v in target.geotransform)))
    for k, name in enumerate(res.members):
        a.info(a.tr("Product m{}: {}").format(k + 1, name))
    for w in warnings + res.warnings:
        a.warn(w)
    summary = res.summary_rows()
    for r in summary:
        a.info(a.tr("{}: {:.6g} +- {:.4g} (years) +- {:.4g} (products) {} per year").format(
            r["zone"], r["annual_total_mean"], r["sd_years"], r["sd_members"], unit_))
    results = {keys[k]: p for k, p in res.paths.items() if k in keys}
    results["OUTPUT_TABLE"] = a.table("OUTPUT_TABLE", res.time_rows())
    results["OUTPUT_SUMMARY"] = a.table("OUTPUT_SUMMARY", summary)
    for name, rows in (("OUTPUT_SEASONAL", res.seasonal_rows()),
                       ("OUTPUT_BANDS", res.band_rows())):
        dest = a.table(name, rows, None if rows else ["zone"])
        if dest:
            results[name] = dest
    if a.output("OUTPUT_HTML"):
        results["OUTPUT_HTML"] = _report(a, a.output("OUTPUT_HTML"), res, summary)
    return results


def _report(a, path, res, summary):
    esc = charts.html.escape
    parts = [f"<p>{esc(a.tr('Products'))}: "
             + ", ".join(f"m{k + 1} = {esc(n)}" for k, n in enumerate(res.members))
             + f". {esc(a.tr('Totals in'))} {esc(res.unit)}.</p>"]
    parts += [f"<p><b>{esc(a.tr('Warning'))}:</b> {esc(text(w, a.tr))}</p>" for w in res.warnings]
    keys = [k for k in summary[0] if k not in ("zone_id", "unit")]
    parts.append("<h2>" + esc(a.tr("Annual totals per zone")) + "</h2>"
                 + charts.table(headers(a, keys), [[r[k] for k in keys] for r in summary]))
    z = res.zones()[-1]
    ann = res.annual(z)
    years = res._years()[:ann.shape[1]]
    if len(years) > 1:
        series = [(f"m{k + 1}", ann[k], accounting_charts.colour(k), True)
                  for k in range(len(res.members))]
        series.append((a.tr("ensemble mean"), ann[-1], "#000000", False))
        parts.append(charts.svg_lines(years, series, title=a.tr(
            "Annual total, {} ({})").format(res.zone_label(z), res.unit),
            xlabel=a.tr("year")))
    seasonal = res.seasonal_rows()
    if seasonal:
        series = []
        for k, zz in enumerate(res.zones()[:8]):
            vals = [r["mean_total"] for r in seasonal if r["zone_id"] == zz]
            series.append((res.zone_label(zz), vals, accounting_charts.colour(k), False))
        parts.append(charts.svg_lines(list(range(1, 13)), series, title=a.tr(
            "Mean seasonal cycle per zone ({} per month)").format(res.unit),
            xlabel=a.tr("month")))
    if res.bands:
        ylabels = [f"{lo:g} to {hi:g}" for lo, hi in res.bands][::-1]
        values = [[float(v) for v in res.band_mean[-1, :, b]]
                  for b in range(len(res.bands))][::-1]
        parts.append(accounting_charts.svg_heatmap(
            res.labels, ylabels, values, title=a.tr(
                "Latitude band x time: area-weighted mean of the ensemble (flux units)")))
    return charts.write_page(path, a.tr("Ensemble of flux products"), "\n".join(parts))


ENSEMBLE = Analysis(
    "ensemble", N_("Ensemble of flux products on different grids (mean, SD, sign "
                   "agreement)"),
    GROUP, GROUP_ID, [
        stack("INPUTS", N_("Flux products (one raster or NetCDF variable each, one band per "
                           "time step; g C m-2 per time step)"), optional=True),
        string("SOURCES", N_("More products as GDAL names, one per line or separated by ';' "
                             "(e.g. NETCDF:\"file.nc\":nep)"), multiline=True),
        raster("REFERENCE", N_("Target grid: the grid of this raster"), optional=True),
        number("RESOLUTION", N_("Target grid: cell size over the common extent, in the CRS "
                                "units of the first product (0 = the first product's grid)"),
               0.0, minimum=0.0),
        enum("TIME_STEP", N_("Time step of the bands"),
             [("years", N_("years")), ("months", N_("months"))], 0),
        integer("FIRST_YEAR", N_("Year of the first band (months: January of that year)"),
                2000),
        integer("MIN_MEMBERS", N_("Minimum number of valid products per pixel (0 = all)"), 0,
                minimum=0),
        number("BAND_WIDTH", N_("Latitude band width for the zonal-mean table (degrees; 0 = "
                                "none)"), 1.0, minimum=0.0),
        number("MIN_COVERAGE", N_("Least valid share of a target cell (0-1)"), 0.5,
               minimum=0.0, maximum=1.0, advanced=True),
        string("SCALES", N_("Unit factor per product, comma separated (e.g. 1,1,1000; "
                            "applied after the file's own scale/offset)"), advanced=True),
        *zones(),
        species(),
        unit(),
        raster_out("OUTPUT_MEAN", N_("Ensemble mean")),
        raster_out("OUTPUT_SD", N_("Ensemble standard deviation"), optional=True),
        raster_out("OUTPUT_AGREEMENT", N_("Sign agreement (% of products with the sign of "
                                          "the mean)"), optional=True),
        raster_out("OUTPUT_COVERAGE", N_("Coverage: share of each cell covered by valid "
                                         "source cells, mean of the products (0-1)"),
                   optional=True),
        table_out("OUTPUT_TABLE", N_("Totals per zone and time step (members, mean, SD)")),
        table_out("OUTPUT_SUMMARY", N_("Annual totals per zone (+- SD across years and "
                                       "products)")),
        table_out("OUTPUT_SEASONAL", N_("Mean seasonal cycle per zone (monthly inputs)"),
                  optional=True),
        table_out("OUTPUT_BANDS", N_("Latitude band x time means"), optional=True),
        file_out("OUTPUT_HTML", N_("Report (HTML)"), "html")],
    run_ensemble, "Ensemble of flux products on different grids: mean, SD, sign agreement, "
    "totals", class_name="EnsembleAlgorithm")


# ================================================================ regrid

def run_regrid(a):
    src = a.raster("INPUT", a.tr("Input"))
    ref = a.raster("REFERENCE", a.tr("Reference grid"), optional=True)
    resolution = a.float("RESOLUTION") or None
    if ref is None and not resolution:
        raise InputError(a.tr("give a reference raster or a cell size for the target grid"))
    warnings = []
    target = ens_core.target_grid([src], ref, resolution, warnings)
    path = a.output("OUTPUT")
    extra = {}
    if a.enum("KIND") == 1:
        out = ens_core.regrid_classes(src, target, path, progress=a.progress,
                                      memory_mb=a.memory_mb)
    else:
        rg_warn = []
        ens_core.Regridder(src, target, warnings=rg_warn)      # validate early
        warnings += rg_warn
        cov_path = a.output("OUTPUT_COVERAGE")
        out = ens_core.regrid(src, target, path, a.float("MIN_COVERAGE"), a.progress,
                              a.memory_mb, coverage_path=cov_path)
        if cov_path:
            out, extra["OUTPUT_COVERAGE"] = out
    for w in warnings:
        a.warn(w)
    a.info(a.tr("Target grid: {} x {} cells").format(target.cols, target.rows))
    return {"OUTPUT": out, **extra}


REGRID = Analysis(
    "regrid", N_("Regrid: conservative average for fluxes, majority for classes"),
    GROUP, GROUP_ID, [
        raster("INPUT", N_("Raster to regrid (all bands)")),
        enum("KIND", N_("The values are"), [
            ("flux", N_("fluxes or densities (area-weighted, conservative average)")),
            ("classes", N_("classes (majority by area)"))], 0),
        raster("REFERENCE", N_("Target grid: the grid of this raster"), optional=True),
        number("RESOLUTION", N_("Target grid: cell size aligned to its multiples over the "
                                "input's extent (CRS units; used without a reference)"), 0.0,
               minimum=0.0),
        number("MIN_COVERAGE", N_("Fluxes: least valid share of a target cell (0-1)"), 0.5,
               minimum=0.0, maximum=1.0, advanced=True),
        raster_out("OUTPUT", N_("Regridded raster")),
        raster_out("OUTPUT_COVERAGE", N_("Fluxes: coverage, the share of each target cell "
                                         "covered by valid input cells (0-1)"), True)],
    run_regrid, "Regrid: conservative average for fluxes (with coverage), majority for "
    "classes", class_name="RegridAlgorithm")


ANALYSES = [ENSEMBLE, REGRID]
