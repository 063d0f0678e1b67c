"""carbonsink:seriesstatistics: trend, growth, stability, persistence and
change-point statistics of per-zone yearly series in a table or vector layer
(methods.md 13). The numbers come from core.series, the per-pixel functions."""
import math
import re

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..core.errors import InputError
from ..core.io.outputs import write_text
from ..core.series import COLUMNS, table_statistics
from ..core.series_report import series_report_html
from .base import CarbonSinkAlgorithm, is_null
from .compat import (
    DOUBLE,
    FLAG_ADVANCED,
    INTEGER,
    VECTOR_POLYGON,
    VECTOR_TABLE,
    no_geometry,
    table_fields,
)

LAYOUTS = ["wide", "long"]
_YEAR = re.compile(r"^\D*(\d{4})\D*$")
_TEXT = {"zone", "smk_crossings"}


class SeriesStatisticsAlgorithm(CarbonSinkAlgorithm):
    NAME = "seriesstatistics"
    DISPLAY = "Statistics of zone series (trend, growth, Hurst, change point)"
    GROUP = "Temporal statistics"
    GROUP_ID = "temporal"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", self.tr("Table or layer of yearly series (or a raster stack below)"),
            [VECTOR_TABLE], optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "LAYOUT", self.tr("Layout"),
            [self.tr("Wide: one field per year (2000, NPP2000 ...)"),
             self.tr("Long: one row per zone and year")], defaultValue=0))
        self.addParameter(QgsProcessingParameterField(
            "ZONE_FIELD", self.tr("Zone name field"), parentLayerParameterName="INPUT",
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            "YEAR_FIELD", self.tr("Year field (long layout)"), parentLayerParameterName="INPUT",
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            "VALUE_FIELD", self.tr("Value field (long layout)"),
            parentLayerParameterName="INPUT", optional=True))
        p = QgsProcessingParameterNumber(
            "ALPHA", self.tr("Significance level of the UF/UB band"), DOUBLE, 0.05,
            minValue=1e-4, maxValue=0.5)
        p.setFlags(p.flags() | FLAG_ADVANCED)
        self.addParameter(p)
        p = QgsProcessingParameterNumber(
            "MIN_VALID", self.tr("Minimum number of valid years per pixel (0 = all years)"),
            INTEGER, 0, minValue=0)
        p.setFlags(p.flags() | FLAG_ADVANCED)
        self.addParameter(p)
        self.add_stack("STACK", "Or: a raster stack (one layer per year) whose zone means are "
                       "the series", optional=True)
        self.addParameter(QgsProcessingParameterNumber(
            "FIRST_YEAR", self.tr("Raster stack: year of the first layer"), INTEGER, 2000))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "ZONES", self.tr("Raster stack: zones (polygons; empty = the whole valid area)"),
            [VECTOR_POLYGON], optional=True))
        self.addParameter(QgsProcessingParameterField(
            "ZONES_FIELD", self.tr("Raster stack: zone name field"),
            parentLayerParameterName="ZONES", optional=True))
        self.addParameter(QgsProcessingParameterString(
            "UNIT", self.tr("Unit of the values (for the report, e.g. g C m-2 yr-1)"),
            "", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Statistics per zone"), VECTOR_TABLE))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT_JOINED", self.tr("Input features with the statistics (wide layout)"),
            optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_REPORT", self.tr("Report: one chart per zone (HTML)"),
            self.tr("HTML files (*.html)"), optional=True, createByDefault=True))

    def stack_series(self, parameters, context, feedback, progress, memory_mb):
        """{zone: zone-mean series} and the years of a raster stack (the zone
        means of abruptchange: the mean of the valid pixels of each year)."""
        stack = self.stack(parameters, "STACK", context, self.tr("Raster stack"))
        years = np.arange(stack.n, dtype=np.float64) + \
            self.parameterAsInt(parameters, "FIRST_YEAR", context)
        from ..core.runs.temporal import zone_means
        from .declared import QgisArgs
        args = QgisArgs(self, parameters, context, feedback, progress, memory_mb)
        acc, names = zone_means(args, stack, progress.scaled(0, 80), "ZONES", "ZONES_FIELD")
        means = acc.means()
        return {names[z]: means[:, z - 1] for z in sorted(names)}, years

    def compute(self, parameters, context, feedback, progress, memory_mb):
        if self.layer_sources(parameters, "STACK", context):
            series, years = self.stack_series(parameters, context, feedback, progress,
                                              memory_mb)
            return self.finish(parameters, context, feedback, progress, series, years, None,
                               None, "long")
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise InputError(self.tr("give a table of yearly series or a raster stack"))
        if not self.parameterAsString(parameters, "ZONE_FIELD", context):
            raise InputError(self.tr("give the zone name field of the table"))
        layout = LAYOUTS[self.parameterAsEnum(parameters, "LAYOUT", context)]
        zone = self.parameterAsString(parameters, "ZONE_FIELD", context)
        names = source.fields().names()
        series, years = {}, None
        if layout == "wide":
            cols = sorted(((int(m.group(1)), n) for n in names if (m := _YEAR.match(n))),
                          key=lambda c: c[0])
            if len(cols) < 4:
                raise InputError(self.tr("a wide table needs at least 4 year fields (names "
                                         "like 2000 or NPP2000)"))
            years = np.array([c[0] for c in cols], dtype=np.float64)
            for f in source.getFeatures():
                series[str(f[zone])] = np.array([_value(f[n]) for _, n in cols])
        else:
            yf = self.parameterAsString(parameters, "YEAR_FIELD", context)
            vf = self.parameterAsString(parameters, "VALUE_FIELD", context)
            if not yf or not vf:
                raise InputError(self.tr("the long layout needs the year and the value field"))
            data = {}
            for f in source.getFeatures():
                if is_null(f[yf]):
                    continue
                data.setdefault(str(f[zone]), {})[int(f[yf])] = _value(f[vf])
            years = np.array(sorted({y for d in data.values() for y in d}), dtype=np.float64)
            series = {z: np.array([d.get(int(y), math.nan) for y in years])
                      for z, d in data.items()}
        if not series:
            raise InputError(self.tr("the table has no rows"))
        return self.finish(parameters, context, feedback, progress, series, years, source,
                           zone, layout)

    def finish(self, parameters, context, feedback, progress, series, years, source, zone,
               layout):
        feedback.pushInfo(self.tr("{} zones, years {:g}..{:g}").format(
            len(series), years[0], years[-1]))
        alpha = self.parameterAsDouble(parameters, "ALPHA", context)
        mv = self.parameterAsInt(parameters, "MIN_VALID", context) or None
        rows = table_statistics(series, years, alpha=alpha, min_valid=mv)
        spec = [(c, "string" if c in _TEXT else "double") for c, _ in COLUMNS]
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, table_fields(spec),
                                          no_geometry())
        for k, r in enumerate(rows):
            progress.check()
            f = QgsFeature()
            f.setAttributes([r[c] if c in _TEXT else _attr(r[c]) for c, _ in COLUMNS])
            sink.addFeature(f, QgsFeatureSink.Flag.FastInsert)
            progress.set(100.0 * (k + 1) / len(rows))
        del sink
        results = {"OUTPUT": dest}
        joined = None if source is None else \
            self.write_joined(parameters, context, feedback, source, zone, layout, rows)
        if joined:
            results["OUTPUT_JOINED"] = joined
        report = self.parameterAsFileOutput(parameters, "OUTPUT_REPORT", context)
        if report:
            unit = self.parameterAsString(parameters, "UNIT", context).strip()
            labels = {"Zone": self.tr("Zone"), "Years": self.tr("Years"),
                      "LS slope / yr": self.tr("LS slope / yr"),
                      "Sen slope / yr": self.tr("Sen slope / yr"),
                      "Growth / yr (%)": self.tr("Growth / yr (%)"),
                      "Change point": self.tr("Change point"),
                      "Pettitt change point": self.tr("Pettitt change point"),
                      "series": self.tr("series"), "least squares": self.tr("least squares"),
                      "year": self.tr("year")}
            results["OUTPUT_REPORT"] = write_text(report, series_report_html(
                series, years, rows, self.tr("Statistics of zone series"), unit,
                {self.tr("input"): source.sourceName() if source is not None else
                 self.tr("zone means of a raster stack"), self.tr("zones"): len(rows)},
                labels))
        return results

    def write_joined(self, parameters, context, feedback, source, zone, layout, rows):
        """The input features (wide layout: one per zone) with the statistics
        fields appended; None when not asked for."""
        if parameters.get("OUTPUT_JOINED") in (None, ""):
            return None
        if layout != "wide":
            feedback.pushWarning(self.tr("the joined output needs the wide layout (one feature "
                                         "per zone): skipped"))
            return None
        stat = table_fields([(c, "string" if c in _TEXT else "double")
                             for c, _ in COLUMNS if c != "zone"])
        fields = source.fields()
        names = set(fields.names())
        out_fields = QgsFields(fields)
        renamed = []
        for f in stat:
            name = f.name() if f.name() not in names else f"st_{f.name()}"
            renamed.append(name)
            f.setName(name)
            out_fields.append(f)
        sink, dest = self.parameterAsSink(parameters, "OUTPUT_JOINED", context, out_fields,
                                          source.wkbType(), source.sourceCrs())
        by_zone = {r["zone"]: r for r in rows}
        for feat in source.getFeatures():
            r = by_zone.get(str(feat[zone]))
            extra = [None] * len(renamed) if r is None else \
                [r[c] if c in _TEXT else _attr(r[c]) for c, _ in COLUMNS if c != "zone"]
            out = QgsFeature(out_fields)
            out.setGeometry(feat.geometry())
            out.setAttributes(list(feat.attributes()) + extra)
            sink.addFeature(out, QgsFeatureSink.Flag.FastInsert)
        del sink
        return dest


def _value(v):
    if is_null(v):
        return math.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def _attr(v):
    v = float(v)
    return None if math.isnan(v) else v
