"""Statistics of zone series (methods.md 13), declared once:
seriesstatistics. The series come from a table (a QGIS table or layer in the
toolbox; a CSV in UTF-8 or GBK, or any OGR table, on the command line), wide
or long, or are the zone means of a raster stack. The numbers are
core/series.py's: the per-pixel functions on each series."""
import numpy as np

from ..errors import InputError
from ..io.outputs import write_text
from ..series import COLUMNS, series_from_records, table_statistics, zone_column
from ..series_report import LABELS, series_report_html
from .declare import (
    N_,
    Analysis,
    Param,
    enum,
    field_of,
    file_out,
    integer,
    number,
    stack,
    string,
    table_out,
    vector,
)
from .temporal import GROUP, GROUP_ID, zone_means

TEXT = {"zone", "smk_crossings"}
KINDS = {c: "string" if c in TEXT else "double" for c, _ in COLUMNS}
#: the report's labels (core/series_report.LABELS), for the catalogue
REPORT_LABELS = [N_("Zone"), N_("Years"), N_("LS slope / yr"), N_("Sen slope / yr"),
                 N_("Growth / yr (%)"), N_("Change point"), N_("Pettitt change point"),
                 N_("series"), N_("least squares"), N_("year")]
assert set(REPORT_LABELS) == set(LABELS)
LAYOUTS = [("wide", N_("Wide: one field per year (2000, NPP2000 ...)")),
           ("long", N_("Long: one row per zone and year"))]


def zone_series(a):
    """({zone: values}, years, header, rows, layout) of INPUT, or of the zone
    means of STACK (header and rows None)."""
    if a.given("STACK"):
        st = a.stack("STACK", a.tr("Raster stack"))
        years = np.arange(st.n, dtype=np.float64) + a.int("FIRST_YEAR")
        acc, names = zone_means(a, st, a.progress.scaled(0, 80), "ZONES", "ZONES_FIELD")
        means = acc.means()
        return {names[z]: means[:, z - 1] for z in sorted(names)}, years, None, None, "long"
    if not a.given("INPUT"):
        raise InputError(a.tr("give a table of yearly series or a raster stack"))
    header, rows = a.records("INPUT")
    if not rows:
        raise InputError(a.tr("the table has no rows"))
    layout = LAYOUTS[a.enum("LAYOUT")][0]
    series, years = series_from_records(
        header, rows, layout, a.string("ZONE_FIELD").strip() or None,
        a.string("YEAR_FIELD").strip() or None, a.string("VALUE_FIELD").strip() or None)
    return series, years, header, rows, layout


def run_seriesstatistics(a):
    series, years, header, rows, layout = zone_series(a)
    a.info(a.tr("{} zones, years {:g}..{:g}").format(len(series), years[0], years[-1]))
    stats = table_statistics(series, years, alpha=a.float("ALPHA"),
                             min_valid=a.int("MIN_VALID") or None)
    keys = [c for c, _ in COLUMNS]
    results = {"OUTPUT": a.table("OUTPUT", stats, keys, KINDS)}
    if a.output("OUTPUT_JOINED"):
        joined = _joined(a, header, rows, layout, stats)
        if joined:
            results["OUTPUT_JOINED"] = joined
    if a.output("OUTPUT_REPORT"):
        source = a.source_text("INPUT") if header is not None else \
            a.tr("zone means of a raster stack")
        results["OUTPUT_REPORT"] = write_text(a.output("OUTPUT_REPORT"), series_report_html(
            series, years, stats, a.tr("Statistics of zone series"), a.string("UNIT").strip(),
            {a.tr("input"): source, a.tr("zones"): len(stats)},
            {k: a.tr(k) for k in REPORT_LABELS}))
    return results


def _joined(a, header, rows, layout, stats):
    """The input features with the statistics appended (an input field of
    the same name keeps its name, the statistic gets st_); None (with a
    warning) when there is no table input or it is long."""
    if header is None or layout != "wide":
        a.warn(a.tr("the joined output needs the wide layout (one feature per zone): "
                    "skipped"))
        return None
    zi = zone_column(header, a.string("ZONE_FIELD").strip() or None)
    index = {r["zone"]: k for k, r in enumerate(stats)}
    zone_of_row = [str(r[zi]).strip() for r in rows]
    unit_of = np.array([index.get(z, -1) for z in zone_of_row], dtype=np.int64)
    taken = {str(h) for h in header}
    columns = [(f"st_{c}" if c in taken else c, KINDS[c],
                np.array([r[c] for r in stats], dtype=object))
               for c, _ in COLUMNS if c != "zone"]
    return a.vector_copy("OUTPUT_JOINED", "INPUT", unit_of, columns)


SERIESSTATISTICS = Analysis(
    "seriesstatistics", N_("Statistics of zone series (trend, growth, Hurst, change point)"),
    GROUP, GROUP_ID, [
        Param("INPUT", "vector", N_("Table or layer of yearly series (or a raster stack "
                                    "below)"), optional=True, geometry="table",
              aliases=("--table",)),
        enum("LAYOUT", N_("Layout"), LAYOUTS),
        field_of("ZONE_FIELD", N_("Zone name field"), "INPUT"),
        field_of("YEAR_FIELD", N_("Year field (long layout)"), "INPUT"),
        field_of("VALUE_FIELD", N_("Value field (long layout)"), "INPUT"),
        number("ALPHA", N_("Significance level of the UF/UB band"), 0.05, minimum=1e-4,
               maximum=0.5, advanced=True),
        integer("MIN_VALID", N_("Minimum number of valid years per zone (0 = all years)"), 0,
                minimum=0, advanced=True),
        stack("STACK", N_("Or: a raster stack (one layer per year) whose zone means are the "
                          "series"), optional=True),
        integer("FIRST_YEAR", N_("Raster stack: year of the first layer"), 2000),
        vector("ZONES", N_("Raster stack: zones (polygons; empty = the whole valid area)")),
        field_of("ZONES_FIELD", N_("Raster stack: zone name field"), "ZONES"),
        string("UNIT", N_("Unit of the values (for the report, e.g. g C m-2 yr-1)"), ""),
        table_out("OUTPUT", N_("Statistics per zone"), aliases=("--out",)),
        Param("OUTPUT_JOINED", "vector_out", N_("Input features with the statistics (wide "
                                                "layout)"), optional=True, create=False),
        file_out("OUTPUT_REPORT", N_("Report: one chart per zone (HTML)"), "html",
                 default=True, aliases=("--report",))],
    run_seriesstatistics, "Trend, growth, stability, persistence and change-point statistics "
    "of per-zone yearly series (a table, or the zone means of a raster stack)",
    class_name="SeriesStatisticsAlgorithm")

ANALYSES = [SERIESSTATISTICS]
