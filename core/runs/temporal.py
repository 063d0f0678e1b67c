"""Temporal statistics of zone series, declared once: abruptchange
(sequential Mann-Kendall and Pettitt on zone means, methods.md 7)."""
import math

import numpy as np

from .. import abrupt, charts
from ..errors import InputError
from .declare import N_, Analysis, file_out, number, scaling, stack, table_out, years, zones

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
    N_("Temporal statistics"), "temporal", [
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

ANALYSES = [ABRUPTCHANGE]
