"""Input preparation (methods.md 14), declared once: temporalaggregate
(composites to annual values), reclassify (class raster by a table) and
breakclasses (classes by breaks of a continuous raster); and scenario
(projection of yearly emissions and sinks to a target year, methods.md 15).
The work is core/prepare.py and core/scenario.py."""
import math

from .. import prepare, scenario
from ..accounting import read_text_table, write_csv
from ..errors import InputError
from ..io.outputs import write_text
from .declare import (
    N_,
    Analysis,
    Param,
    enum,
    file,
    file_out,
    integer,
    raster_out,
    scaling,
    stack,
    string,
)


def run_temporalaggregate(a):
    st = a.stack("INPUT", a.tr("Composites"), "INPUT")
    lo = a.int("WINDOW_FIRST") if a.given("WINDOW_FIRST") else None
    hi = a.int("WINDOW_LAST") if a.given("WINDOW_LAST") else None
    if a.given("WINDOW"):                         # the command's FIRST-LAST
        text = a.string("WINDOW")
        try:
            lo, hi = (int(v) for v in text.replace("..", "-").split("-"))
        except ValueError:
            raise InputError(f"--window: write FIRST-LAST (e.g. 2015-2019), not "
                             f"{text!r}") from None
    window = None if lo is None and hi is None else \
        (-10**6 if lo is None else lo, 10**6 if hi is None else hi)
    path, years = prepare.temporal_aggregate_rasters(
        st, a.int("PER_YEAR"), a.int("FIRST_YEAR"), a.output("OUTPUT"),
        prepare.HOW[a.enum("HOW")], window, a.progress, a.memory_mb)
    a.info(a.tr("{} years written: {}..{}").format(len(years), int(years[0]), int(years[-1])))
    return {"OUTPUT": path}


TEMPORALAGGREGATE = Analysis(
    "temporalaggregate", N_("Composites to annual values (8-day, 16-day, monthly)"),
    N_("Temporal statistics"), "temporal", [
        stack("INPUT", N_("Composites in time order (layers or one multiband raster)")),
        integer("PER_YEAR", N_("Composites per year (8-day: 46, 16-day: 23, monthly: 12)"),
                12, minimum=1, maximum=366),
        integer("FIRST_YEAR", N_("Year of the first composite"), 2000),
        enum("HOW", N_("Annual value"), list(zip(prepare.HOW, (
            N_("Sum of the composites (composites hold totals)"),
            N_("Mean of the composites"),
            N_("Sum of value x days covered (daily rates or monthly means to annual "
               "totals)"))))),
        integer("WINDOW_FIRST", N_("Year window: first year (empty: all years)"),
                optional=True),
        integer("WINDOW_LAST", N_("Year window: last year (empty: all years)"), optional=True),
        Param("WINDOW", "string", N_("Year window FIRST-LAST (e.g. 2015-2019)"),
              surface="cli"),
        *scaling("INPUT", N_("Composites"), short_flags=True),
        raster_out("OUTPUT", N_("Annual raster (one band per year)"), aliases=("--out",))],
    run_temporalaggregate, "Composites (8-day, 16-day, monthly) to annual values",
    class_name="TemporalAggregateAlgorithm")


RECLASS_SCHEMES = [("table", N_("The table below (CSV: from, to, name)")),
                   ("igbp_7", N_("Shipped: MODIS IGBP (17 classes) to 7 classes")),
                   ("cnlucc_level1", N_("Shipped: CNLUCC level 2 to level 1 (6 classes)"))]
assert [k for k, _ in RECLASS_SCHEMES[1:]] == list(prepare.SHIPPED_TABLES)


def run_reclassify(a):
    st = a.stack("INPUT", a.tr("Class raster"))
    scheme, table = a.enum("SCHEME"), a.file("TABLE")
    if table:
        if scheme != 0:
            a.info(a.tr("a reclassification table was given: it is used instead of the "
                        "shipped one"))
        text = read_text_table(table, "reclassification table")
    elif scheme == 0:
        raise InputError(a.tr("give a reclassification table, or choose a shipped one"))
    else:
        text = prepare.shipped_table(RECLASS_SCHEMES[scheme][0])
    mapping, names = prepare.read_reclass_table(text)
    out, classes, unlisted = prepare.reclassify_rasters(st, mapping, names, a.output("OUTPUT"),
                                                        a.progress, a.memory_mb)
    if unlisted:
        a.warn(a.tr("{} pixels have a code the table does not list: they are nodata")
               .format(unlisted))
    a.style(out, classes)
    return {"OUTPUT": out}


RECLASSIFY = Analysis(
    "reclassify", N_("Reclassify a class raster by a table (IGBP, CNLUCC, your own)"),
    N_("Carbon accounting"), "accounting", [
        stack("INPUT", N_("Class raster (land cover; all bands are reclassified)")),
        Param("SCHEME", "enum", N_("Reclassification"), 1, options=tuple(RECLASS_SCHEMES),
              aliases=("--shipped",)),
        Param("TABLE", "file", N_("Reclassification table: CSV with columns from, to, name"),
              optional=True, ext="csv"),
        raster_out("OUTPUT", N_("Reclassified raster"), aliases=("--out",))],
    run_reclassify, "Reclassify a class raster by a table (IGBP, CNLUCC, your own)",
    class_name="ReclassifyAlgorithm")


def run_breakclasses(a):
    st = a.stack("INPUT", a.tr("Input"), "INPUT")
    breaks = prepare.parse_breaks(a.string("BREAKS"))
    text = a.string("NAMES").strip()
    names = [n.strip() for n in text.split(",")] if text else None
    out, classes = prepare.break_classes_rasters(st, breaks, a.output("OUTPUT"), names,
                                                 a.progress, a.memory_mb)
    a.style(out, classes)
    a.info(a.tr("{} classes: {}").format(
        len(classes), "; ".join(f"{c} {lab}" for c, _, lab in classes)))
    return {"OUTPUT": out}


BREAKCLASSES = Analysis(
    "breakclasses", N_("Classes by breaks (NEP source / sink levels, any continuous raster)"),
    N_("Carbon sink"), "carbonsink", [
        stack("INPUT", N_("Continuous raster (all bands are classified)")),
        string("BREAKS", N_("Breaks, increasing (Zhang et al. 2025 NEP: 0, 200, 400)"),
               "0, 200, 400", optional=False),
        string("NAMES", N_("Class names, one more than the breaks (empty: the ranges)"), ""),
        *scaling("INPUT", N_("Input"), short_flags=True),
        raster_out("OUTPUT", N_("Classes (1 below the first break, ...)"), aliases=("--out",))],
    run_breakclasses, "Classes by breaks of a continuous raster (NEP levels ...)",
    class_name="BreakClassesAlgorithm")


# ------------------------------------------------------------ scenario

MODELS = [("linear", N_("Linear trend")), ("compound", N_("Compound growth (constant rate)")),
          ("mlp", N_("Multilayer perceptron from drivers (scikit-learn)"))]
assert [k for k, _ in MODELS] == list(scenario.MODELS)


def run_scenario(a):
    years, cols = scenario.read_series_csv(read_text_table(a.file("TABLE"), "yearly table"))
    model = MODELS[a.enum("MODEL")][0]
    names = [n for n in (a.string("EMISSIONS").strip(), a.string("SINKS").strip()) if n]
    for n in names:
        if n not in cols:
            raise InputError(a.tr("the table has no column '{}' (columns: {})")
                             .format(n, ", ".join(cols)))
    drivers = {d.strip(): cols.get(d.strip()) for d in a.string("DRIVERS").split(",")
               if d.strip()}
    missing = [d for d, v in drivers.items() if v is None]
    if missing:
        raise InputError(a.tr("the table has no driver column '{}'").format(missing[0]))
    rates = scenario.rates_from_file(a.file("RATES")) if a.file("RATES") else None
    target, holdout = a.int("TARGET_YEAR"), a.int("HOLDOUT")
    projections = []
    for k, n in enumerate(names):
        a.progress.check()
        projections.append(scenario.project(n, years, cols[n], model, target, holdout,
                                            a.int("BOOT"), a.int("SEED"), drivers or None,
                                            rates))
        a.progress.set(100.0 * (k + 1) / len(names))
    neutral = scenario.neutrality_year(*projections) if len(projections) == 2 else math.nan
    for p in projections:
        a.info(a.tr("{}: {} in {}, hold-out R2 {}").format(
            p.name, f"{p.value(target):.4g}", target,
            "-" if math.isnan(p.r2_holdout) else f"{p.r2_holdout:.3f}"))
    if len(projections) == 2:
        a.info(a.tr("Carbon neutrality (sinks reach emissions): {}").format(
            f"{neutral:g}" if math.isfinite(neutral) else a.tr("not by {}").format(target)))
    results = {}
    if a.output("OUTPUT_CSV"):
        results["OUTPUT_CSV"] = write_csv(a.output("OUTPUT_CSV"), scenario.rows(projections))
    if a.output("OUTPUT_SUMMARY_CSV"):
        results["OUTPUT_SUMMARY_CSV"] = write_csv(
            a.output("OUTPUT_SUMMARY_CSV"), scenario.summary(projections, target, neutral))
    if a.output("OUTPUT_REPORT"):
        results["OUTPUT_REPORT"] = write_text(a.output("OUTPUT_REPORT"), scenario.report_html(
            projections, target, neutral, title=a.tr("Scenario projection"), tr=a.tr))
    return results


SCENARIO = Analysis(
    "scenario", N_("Scenario projection of emissions and sinks to a target year"),
    N_("Carbon accounting"), "accounting", [
        file("TABLE", N_("Yearly table: CSV with a year column, the series and the drivers")),
        string("EMISSIONS", N_("Emissions column (CE)"), "CE", optional=False),
        string("SINKS", N_("Sinks column (ECS; empty: no neutrality year)"), "ECS"),
        enum("MODEL", N_("Model"), MODELS),
        string("DRIVERS", N_("Driver columns for the perceptron (comma separated)"), ""),
        file("RATES", N_("Scenario: CSV of driver growth rates (variable, first_year, "
                         "last_year, rate_pct)"), optional=True),
        integer("TARGET_YEAR", N_("Target year"), 2060, minimum=1900, maximum=2300),
        integer("HOLDOUT", N_("Years held out for validation (the last ones)"), 4, minimum=0),
        integer("BOOT", N_("Bootstrap refits for the 5-95 % band (0: none)"), 200, minimum=0,
                maximum=10000),
        integer("SEED", N_("Random seed"), 1),
        file_out("OUTPUT_CSV", N_("Projections (CSV: series, year, observed, projection, "
                                  "band)"), default=True, optional=False, aliases=("--out",)),
        file_out("OUTPUT_SUMMARY_CSV", N_("Summary (CSV: validation, target-year value, "
                                          "neutrality year)"), default=True,
                 aliases=("--summary",)),
        file_out("OUTPUT_REPORT", N_("Report with the chart (HTML)"), "html", default=True,
                 aliases=("--report",))],
    run_scenario, "Scenario projection of emissions and sinks to a target year",
    class_name="ScenarioAlgorithm")

ANALYSES = [TEMPORALAGGREGATE, RECLASSIFY, BREAKCLASSES, SCENARIO]
