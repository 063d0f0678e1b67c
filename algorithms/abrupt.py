"""carbonsink:abruptchange: sequential Mann-Kendall and Pettitt on zone means."""
import math

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
)

from ..core import abrupt, charts
from ..core.errors import InputError
from .base import CarbonSinkAlgorithm
from .compat import DOUBLE, VECTOR_POLYGON, VECTOR_TABLE, no_geometry, table_fields

SERIES_FIELDS = [("zone", "string"), ("year", "double"), ("mean", "double"),
                 ("valid_pixels", "int"), ("uf", "double"), ("ub", "double")]
SUMMARY_FIELDS = [("zone", "string"), ("pixels", "int"), ("crossing_years", "string"),
                  ("change_start_years", "string"), ("pettitt_year", "double"),
                  ("pettitt_k", "double"), ("pettitt_p", "double"), ("note", "string")]


class AbruptChangeAlgorithm(CarbonSinkAlgorithm):
    NAME = "abruptchange"
    DISPLAY = "Abrupt change of zone means (sequential Mann-Kendall, Pettitt)"
    GROUP = "Temporal statistics"
    GROUP_ID = "temporal"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_stack("INPUT", "Annual raster stack (one layer per year, or one multiband "
                                "raster)")
        self.add_years()
        self.add_scaling("INPUT", "Input")
        self.addParameter(QgsProcessingParameterFeatureSource(
            "ZONES", self.tr("Zones (polygons; empty = the whole valid area)"),
            [VECTOR_POLYGON], optional=True))
        self.addParameter(QgsProcessingParameterField(
            "ZONE_FIELD", self.tr("Zone name field"), parentLayerParameterName="ZONES",
            optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "ALPHA", self.tr("Significance level of the UF/UB band"), DOUBLE, 0.05,
            minValue=1e-4, maxValue=0.5))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT_TABLE", self.tr("Zone mean series with UF and UB"), VECTOR_TABLE))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT_SUMMARY", self.tr("Change points per zone"), VECTOR_TABLE))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_HTML", self.tr("Report (HTML chart of UF/UB)"), "HTML files (*.html)",
            optional=True, createByDefault=True))

    def compute(self, parameters, context, feedback, progress, memory_mb):
        stack = self.stack(parameters, "INPUT", context, self.tr("Input stack"), "INPUT")
        years = self.years(parameters, context, stack.n)
        if stack.n < 4:
            raise InputError(self.tr("at least 4 years are needed"))
        alpha = self.parameterAsDouble(parameters, "ALPHA", context)
        acc, names = self.zone_means(parameters, "ZONES", "ZONE_FIELD", context, stack,
                                     feedback, progress.scaled(0, 90), memory_mb)
        means = acc.means()
        table, tid = self.parameterAsSink(parameters, "OUTPUT_TABLE", context,
                                          table_fields(SERIES_FIELDS), no_geometry())
        summary, sid = self.parameterAsSink(parameters, "OUTPUT_SUMMARY", context,
                                            table_fields(SUMMARY_FIELDS), no_geometry())
        sections = []
        for zid in sorted(names):
            name = names[zid]
            series = means[:, zid - 1]
            counts = acc.counts[:, zid]
            valid = int(np.isfinite(series).sum())
            if valid < 4:
                msg = self.tr("zone {}: {} years with valid pixels, at least 4 needed; "
                              "skipped").format(name, valid)
                feedback.pushInfo(msg)
                self._add(summary, [name, int(acc.pixels[zid]), "", "", math.nan, math.nan,
                                    math.nan, msg])
                sections.append(f"<h2>{charts.html.escape(name)}</h2><p>{msg}</p>")
                continue
            smk = abrupt.sequential_mann_kendall(series, alpha=alpha)
            pt = abrupt.pettitt(series)
            for i in range(stack.n):
                self._add(table, [name, float(years[i]), float(series[i]), int(counts[i]),
                                  float(smk.uf[i]), float(smk.ub[i])])
            cross = [f"{years[k]:g}" for k in smk.crossings]
            starts = [f"{years[k]:g}" for k in smk.change_points]
            p_year = float(years[pt.index - 1])
            self._add(summary, [name, int(acc.pixels[zid]), ", ".join(cross), ", ".join(starts),
                                p_year, float(pt.k), float(pt.pvalue), ""])
            feedback.pushInfo(self.tr("{}: UF/UB cross in {}; inside the band: {}; Pettitt "
                                      "change point {:g} (p = {:.4g})").format(
                name, ", ".join(cross) or "-", ", ".join(starts) or "-", p_year, pt.pvalue))
            sections.append(self._section(name, years, series, smk, pt, p_year, cross, starts))
        results = {"OUTPUT_TABLE": tid, "OUTPUT_SUMMARY": sid}
        html_path = self.parameterAsFileOutput(parameters, "OUTPUT_HTML", context)
        if html_path:
            results["OUTPUT_HTML"] = charts.write_page(
                html_path, self.tr("Abrupt change: sequential Mann-Kendall and Pettitt"),
                "\n".join(sections))
        return results

    @staticmethod
    def _add(sink, values):
        f = QgsFeature()
        f.setAttributes(values)
        sink.addFeature(f, QgsFeatureSink.Flag.FastInsert)

    def _section(self, name, years, series, smk, pt, p_year, cross, starts):
        z = smk.z_crit
        chart = charts.svg_lines(
            years, [("UF", smk.uf, "#d7191c", False), ("UB", smk.ub, "#2b83ba", False)],
            title=f"{name}: UF / UB", hlines=[(z, "#555", f"+{z:.2f}"), (-z, "#555", f"-{z:.2f}")],
            vlines=[(p_year, "#1a9641", "Pettitt")], xlabel=self.tr("year"))
        mean_chart = charts.svg_lines(years, [(self.tr("zone mean"), series, "#333", False)],
                                      title=f"{name}: {self.tr('zone mean')}",
                                      vlines=[(p_year, "#1a9641", "Pettitt")],
                                      xlabel=self.tr("year"))
        rows = [[self.tr("UF/UB crossings"), ", ".join(cross) or "-"],
                [self.tr("crossings inside the band (change starts)"), ", ".join(starts) or "-"],
                [self.tr("Pettitt change point (last year before the change)"), f"{p_year:g}"],
                ["Pettitt K", float(pt.k)], [self.tr("Pettitt p"), float(pt.pvalue)]]
        return (f"<h2>{charts.html.escape(name)}</h2>{chart}{mean_chart}"
                + charts.table([self.tr("statistic"), self.tr("value")], rows))
