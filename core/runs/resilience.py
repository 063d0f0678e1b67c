"""Carbon-sink resilience by probability attenuation (methods.md 9, Wu et al.
2023), declared once: resilience (from an NPP stack) and resiliencecounts
(from the counts a paper prints: year, N+, N-). The analysis is in
core/resilience.py and core/resilience_counts.py; here are the parameters,
the log lines and the outputs."""
import os

from .. import styles
from ..accounting import read_text_table
from ..io.outputs import write_text
from ..resilience import (
    METHODS,
    SUMMARY_COLUMNS,
    TABLE_COLUMNS,
    reference_index,
    resilience_rasters,
)
from ..resilience_counts import read_counts_table, resilience_from_counts
from .declare import (
    N_,
    Analysis,
    boolean,
    enum,
    file,
    file_out,
    integer,
    min_valid,
    raster_out,
    scaling,
    stack,
    table_out,
    years,
    zones,
)

GROUP = N_("Carbon sink")
GROUP_ID = "carbonsink"

#: the level names of core.resilience.LEVELS, for the catalogue
LEVEL_NAMES = (N_("extremely strong"), N_("stronger"), N_("strong"), N_("weak"),
               N_("weaker"), N_("undetermined"))
#: columns stored as 64-bit integers (pixel counts can exceed 2^31)
LONG = {"n_pos", "n_neg", "n_valid", "n_pixels", "n_pos_ref", "n_neg_ref"}
_KIND = {int: "int", float: "double", str: "string"}


def kinds(columns):
    """{column: field kind} of the core's (name, python type) columns."""
    return {name: "int64" if name in LONG else _KIND[t] for name, t in columns}


def fit_params():
    return [enum("METHOD", N_("Decay fit"),
                 [(METHODS[0], N_("Non-linear least squares on the ratios (default)")),
                  (METHODS[1], N_("Log-linear least squares (ln q on the years)"))]),
            boolean("FIXED_LAMBDA", N_("Fix lambda = 1 (the curves start at q(t') = 1; "
                                       "default: lambda fitted)"))]


def fit_options(a):
    """(method, fixed lambda or None)."""
    return METHODS[a.enum("METHOD")], (1.0 if a.bool("FIXED_LAMBDA") else None)


def years_qml(m, tr=lambda t: t):
    """Diverging style for the signed maintained years -m..m (QGIS 3.22+),
    its labels through ``tr``."""
    half = max(1, m // 2)
    stops = [(-m, "#b2182b", tr("{}: negative trend kept to the last year").format(-m)),
             (-half, "#ef8a62", None),
             (0, "#f7f7f7", tr("{}: no trend at the reference year").format(0)),
             (half, "#7fbf7b", None),
             (m, "#1b7837", tr("{}: positive trend kept to the last year").format(m))]
    return styles.pseudocolor_qml([(v, c, lab or v) for v, c, lab in stops], -m, m,
                                  precision=0)


def _short(value, flag):
    if flag and flag != "ok":
        return flag
    return "-" if value != value else f"{value:.1f}"


def log_zones(a, res):
    """The fit warnings and one line per zone: tau_p, tau_n, RS and level."""
    for text in res.warnings:
        a.warn(text)
    for z in res.zones:
        if z.has_pixels:
            a.info(a.tr("{}: tau_p {}, tau_n {}, RS {}, level {}").format(
                z.name, _short(z.fit_pos.tau, z.fit_pos.flag),
                _short(z.fit_neg.tau, z.fit_neg.flag), _short(z.rs, ""), a.tr(z.level)))


# ---------------------------------------------------------------- rasters

def run_resilience(a):
    st = a.stack("INPUT", a.tr("NPP stack"), "INPUT")
    yrs = a.years(st.n)
    if a.given("REFERENCE_YEAR"):
        ref = a.int("REFERENCE_YEAR")
    else:
        ref = int(yrs[len(yrs) // 2])
        a.info(a.tr("Reference year: {} (the middle year of the stack)").format(ref))
    reference_index(yrs, ref)                   # a clear message before any work
    method, fixed = fit_options(a)
    outs = {"years": a.output("OUTPUT_YEARS"), "csv": a.output("OUTPUT_CSV"),
            "report": a.output("OUTPUT_REPORT")}
    outs = {k: v for k, v in outs.items() if v}
    zs, names = a.zones("ZONES", "ZONE_FIELD", st.grid, a.bool("ALL_TOUCHED"))
    try:
        inputs = {a.tr("NPP stack"): a.tr("{} layers, {} x {} pixels").format(
            st.n, st.grid.cols, st.grid.rows)}
        if zs is not None:
            field = a.string("ZONE_FIELD").strip()
            src = a.source_text("ZONES")
            inputs[a.tr("zones")] = (a.tr("{} zones").format(len(set(names.values())))
                                     + (a.tr(" named by '{}'").format(field) if field else "")
                                     + (f" ({src})" if src else ""))
        res = resilience_rasters(st, ref, outs, yrs, zs, names, method, a.int("MIN_VALID"),
                                 a.progress, a.memory_mb, inputs=inputs, fixed_lambda=fixed,
                                 tr=a.tr)
    finally:
        a.drop_zones(zs)
    log_zones(a, res)
    results = {
        "OUTPUT_TABLE": a.table("OUTPUT_TABLE", res.table_rows(),
                                [c for c, _ in TABLE_COLUMNS], kinds(TABLE_COLUMNS)),
        "OUTPUT_SUMMARY": a.table("OUTPUT_SUMMARY", res.summary_rows(),
                                  [c for c, _ in SUMMARY_COLUMNS], kinds(SUMMARY_COLUMNS))}
    path = res.paths.get("years")
    if path:
        results["OUTPUT_YEARS"] = path
        # its own style (the continuous ramp of the other outputs is not written)
        write_text(os.path.splitext(path)[0] + ".qml", years_qml(len(res.years), a.tr))
    results["OUTPUT_CSV"] = res.paths.get("csv")
    results["OUTPUT_REPORT"] = res.paths.get("report")
    return results


RESILIENCE = Analysis(
    "resilience", N_("Carbon sink resilience (probability attenuation)"), GROUP, GROUP_ID,
    [stack("INPUT", N_("Annual NPP stack (one layer per year, or one multiband raster)")),
     *years(),
     # no default year: empty takes the middle year of the stack (a default of
     # 2000 failed on every stack that starts in 2000)
     integer("REFERENCE_YEAR", N_("Reference year t' (Wu et al. 2023: 2000)"), optional=True),
     *zones(N_("Zones (polygons; empty = the whole valid area)"),
            N_("Zone name field (features with the same name form one zone; empty = one "
               "zone per feature)")),
     *fit_params(),
     boolean("ALL_TOUCHED", N_("Rasterise zones with every pixel they touch (default: pixel "
                               "centres inside)"), advanced=True),
     min_valid(),
     *scaling("INPUT", N_("NPP")),
     table_out("OUTPUT_TABLE", N_("Resilience table (one row per zone and year)")),
     table_out("OUTPUT_SUMMARY", N_("Resilience summary (one row per zone)"), optional=True,
               create=True),
     file_out("OUTPUT_CSV", N_("Resilience table as CSV"), default=True),
     raster_out("OUTPUT_YEARS", N_("Signed number of years each pixel kept its trend")),
     file_out("OUTPUT_REPORT", N_("Resilience report (decay curves and fits)"), "html",
              default=True)],
    run_resilience,
    summary="Carbon-sink resilience by probability attenuation from an NPP stack "
            "(maintained-trend raster, per-zone decay fits, RS and level, report)",
    class_name="ResilienceAlgorithm")


# ---------------------------------------------------------------- counts

def run_resiliencecounts(a):
    """Steps 4-6 of methods.md 9 on the counts a paper prints (year, N+, N-)."""
    path = a.file("TABLE")
    counts = read_counts_table(read_text_table(path, "counts table"), "counts table")
    ref = a.int("REFERENCE_YEAR") if a.given("REFERENCE_YEAR") else None
    method, fixed = fit_options(a)
    res = resilience_from_counts(counts, ref, method, fixed)
    a.info(a.tr("{} zones, reference year {}, fit {}").format(
        len(res.zones), f"{res.reference_year:g}", res.method_label))
    log_zones(a, res)
    results = {}
    out = a.output("OUTPUT_CSV")
    if out:
        results["OUTPUT_CSV"] = res.write_csv(out)
    summary = a.output("OUTPUT_SUMMARY_CSV")
    if summary:
        results["OUTPUT_SUMMARY_CSV"] = res.write_csv(summary, summary=True)
    report = a.output("OUTPUT_REPORT")
    if report:
        results["OUTPUT_REPORT"] = res.write_report(
            report, inputs={a.tr("counts table"): os.path.basename(path)}, tr=a.tr)
    return results


RESILIENCE_COUNTS = Analysis(
    "resiliencecounts", N_("Carbon sink resilience from a counts table (year, N+, N-)"),
    GROUP, GROUP_ID,
    [file("TABLE", N_("Counts table: CSV with columns year, n_pos (N+), n_neg (N-) and an "
                      "optional zone")),
     integer("REFERENCE_YEAR", N_("Reference year t' (empty: the first year of the table)"),
             optional=True),
     *fit_params(),
     file_out("OUTPUT_CSV", N_("Resilience table as CSV"), default=True, optional=False),
     file_out("OUTPUT_SUMMARY_CSV", N_("Resilience summary as CSV (one row per zone)"),
              default=True),
     file_out("OUTPUT_REPORT", N_("Resilience report (decay curves and fits)"), "html",
              default=True)],
    run_resiliencecounts,
    summary="Carbon sink resilience from a counts table (year, N+, N-)",
    class_name="ResilienceCountsAlgorithm")

ANALYSES = [RESILIENCE, RESILIENCE_COUNTS]
