"""HTML report of :func:`carbonsink.core.series.table_statistics`: one chart
per zone (the series, its least-squares and Theil-Sen lines, the Pettitt
change point) and the main numbers, rounded (methods.md 13)."""
import html
import math

import numpy as np

from . import charts

_POINTS = "#386cb0"
_LS, _SEN, _CP = "#d95f02", "#1b9e77", "#7570b3"


def _p(v):
    """A p-value as papers print it: "< 0.001" below 0.001, else 2 digits."""
    if not math.isfinite(v):
        return ""
    return "< 0.001" if v < 0.001 else charts.number(v, 2)


def _lines(y, years, ls_slope, sen_slope):
    """(least-squares line, Sen line) over ``years``: LS through the means of
    the valid values, Sen intercept median(y) - median(t) * slope (as the
    toolbox's senmk)."""
    ok = np.isfinite(y)
    t, v = years[ok], y[ok]
    ls = sen = np.full(years.shape, np.nan)
    if t.size and math.isfinite(ls_slope):
        ls = v.mean() + ls_slope * (years - t.mean())
    if t.size and math.isfinite(sen_slope):
        sen = np.median(v) + sen_slope * (years - np.median(t))
    return ls, sen


#: the fixed texts of the report (the QGIS layer passes them translated)
LABELS = {"Zone": "Zone", "Years": "Years", "LS slope / yr": "LS slope / yr",
          "Sen slope / yr": "Sen slope / yr", "Growth / yr (%)": "Growth / yr (%)",
          "Change point": "Change point", "Pettitt change point": "Pettitt change point",
          "series": "series", "least squares": "least squares", "year": "year"}


def series_report_html(series, years, rows, title="Statistics of zone series", unit="",
                       inputs=None, labels=None):
    """A self-contained HTML page: per zone a chart and a table of the
    trend, growth, stability, persistence and change-point numbers.
    ``series``: {zone: values}; ``rows``: table_statistics' rows (same
    zones); ``labels``: translations of :data:`LABELS` (English by default)."""
    texts = dict(LABELS, **(labels or {}))

    def tr(text):
        return texts.get(text, text)
    years = np.asarray(years, dtype=np.float64)
    parts = []
    if inputs:
        parts.append("<p>" + "<br>".join(f"<b>{html.escape(str(k))}</b>: "
                                          f"{html.escape(str(v))}" for k, v in inputs.items())
                     + "</p>")
    head = [tr("Zone"), tr("Years"), tr("LS slope / yr"), "p", tr("Sen slope / yr"),
            "MK Z", "p", tr("Growth / yr (%)"), "CAGR (%)", "CV", "H (R/S)",
            tr("Change point")]
    table_rows = []
    for r in rows:
        pct = [charts.number(100 * r[k], 3) if math.isfinite(r[k]) else ""
               for k in ("growth_mean", "cagr")]
        cp = "" if not math.isfinite(r["pettitt_year"]) else \
            f"{r['pettitt_year']:g} (p {_p(r['pettitt_p'])})"
        table_rows.append([r["zone"], f"{r['first_year']:g}-{r['last_year']:g} ({r['n']:g})",
                           charts.number(r["ls_slope"]), _p(r["ls_p"]),
                           charts.number(r["sen_slope"]), charts.number(r["mk_original_z"], 3),
                           _p(r["mk_original_p"]), *pct,
                           charts.number(r["cv"], 3), charts.number(r["hurst_rs"], 3), cp])
    parts.append(charts.table(head, table_rows))
    for r in rows:
        y = np.asarray(series[r["zone"]], dtype=np.float64)
        ls, sen = _lines(y, years, r["ls_slope"], r["sen_slope"])
        vlines = []
        if math.isfinite(r["pettitt_year"]):
            vlines.append((r["pettitt_year"] + 0.5, _CP,
                           f"{tr('Pettitt change point')} (p {_p(r['pettitt_p'])})"))
        parts.append(charts.svg_lines(
            years, [(tr("series") + (f" ({unit})" if unit else ""), y, _POINTS, False),
                    (tr("least squares"), ls, _LS, True), ("Theil-Sen", sen, _SEN, True)],
            title=str(r["zone"]), vlines=vlines, xlabel=tr("year"), ylabel=unit))
    return charts.page(tr(title), "\n".join(parts))
