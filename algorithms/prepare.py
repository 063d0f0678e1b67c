"""Input preparation (methods.md 14): carbonsink:temporalaggregate,
carbonsink:reclassify and carbonsink:breakclasses. The work is done by
core.prepare; these add the parameters, the help and the styles."""
from qgis.core import (
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..core import prepare
from ..core.accounting import read_text_table
from ..core.errors import InputError
from . import styles
from .base import CarbonSinkAlgorithm
from .compat import INTEGER


class TemporalAggregateAlgorithm(CarbonSinkAlgorithm):
    NAME = "temporalaggregate"
    DISPLAY = "Composites to annual values (8-day, 16-day, monthly)"
    GROUP = "Temporal statistics"
    GROUP_ID = "temporal"
    HOW_LABELS = ["Sum of the composites (composites hold totals)",
                  "Mean of the composites",
                  "Sum of value x days covered (daily rates or monthly means to annual totals)"]

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_stack("INPUT", "Composites in time order (layers or one multiband raster)")
        self.addParameter(QgsProcessingParameterNumber(
            "PER_YEAR", self.tr("Composites per year (8-day: 46, 16-day: 23, monthly: 12)"),
            INTEGER, 12, minValue=1, maxValue=366))
        self.addParameter(QgsProcessingParameterNumber(
            "FIRST_YEAR", self.tr("Year of the first composite"), INTEGER, 2000))
        self.addParameter(QgsProcessingParameterEnum(
            "HOW", self.tr("Annual value"), [self.tr(t) for t in self.HOW_LABELS],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "WINDOW_FIRST", self.tr("Year window: first year (empty: all years)"), INTEGER,
            None, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "WINDOW_LAST", self.tr("Year window: last year (empty: all years)"), INTEGER,
            None, optional=True))
        self.add_scaling("INPUT", "Composites")
        self.add_output("OUTPUT", "Annual raster (one band per year)")

    def compute(self, parameters, context, feedback, progress, memory_mb):
        stack = self.stack(parameters, "INPUT", context, self.tr("Composites"), "INPUT")
        window = None
        lo, hi = parameters.get("WINDOW_FIRST"), parameters.get("WINDOW_LAST")
        if lo not in (None, "") or hi not in (None, ""):
            window = (self.parameterAsInt(parameters, "WINDOW_FIRST", context)
                      if lo not in (None, "") else -10**6,
                      self.parameterAsInt(parameters, "WINDOW_LAST", context)
                      if hi not in (None, "") else 10**6)
        path, years = prepare.temporal_aggregate_rasters(
            stack, self.parameterAsInt(parameters, "PER_YEAR", context),
            self.parameterAsInt(parameters, "FIRST_YEAR", context),
            self.parameterAsOutputLayer(parameters, "OUTPUT", context),
            prepare.HOW[self.parameterAsEnum(parameters, "HOW", context)], window, progress,
            memory_mb)
        feedback.pushInfo(self.tr("{} years written: {}..{}").format(
            len(years), int(years[0]), int(years[-1])))
        return {"OUTPUT": path}


class ReclassifyAlgorithm(CarbonSinkAlgorithm):
    NAME = "reclassify"
    DISPLAY = "Reclassify a class raster by a table (IGBP, CNLUCC, your own)"
    GROUP = "Carbon accounting"
    GROUP_ID = "accounting"
    TABLE_LABELS = ["The table below (CSV: from, to, name)",
                    "Shipped: MODIS IGBP (17 classes) to 7 classes",
                    "Shipped: CNLUCC level 2 to level 1 (6 classes)"]

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_stack("INPUT", "Class raster (land cover; all bands are reclassified)")
        self.addParameter(QgsProcessingParameterEnum(
            "SCHEME", self.tr("Reclassification"), [self.tr(t) for t in self.TABLE_LABELS],
            defaultValue=1))
        self.addParameter(QgsProcessingParameterFile(
            "TABLE", self.tr("Reclassification table: CSV with columns from, to, name"),
            extension="csv", optional=True))
        self.add_output("OUTPUT", "Reclassified raster")

    def compute(self, parameters, context, feedback, progress, memory_mb):
        stack = self.stack(parameters, "INPUT", context, self.tr("Class raster"))
        scheme = self.parameterAsEnum(parameters, "SCHEME", context)
        if scheme == 0:
            path = self.parameterAsFile(parameters, "TABLE", context)
            if not path:
                raise InputError(self.tr("give a reclassification table, or choose a shipped "
                                         "one"))
            text = read_text_table(path, "reclassification table")
        else:
            text = prepare.shipped_table(list(prepare.SHIPPED_TABLES)[scheme - 1])
        mapping, names = prepare.read_reclass_table(text)
        out, table, unlisted = prepare.reclassify_rasters(
            stack, mapping, names, self.parameterAsOutputLayer(parameters, "OUTPUT", context),
            progress, memory_mb)
        if unlisted:
            feedback.pushWarning(self.tr("{} pixels have a code the table does not list: they "
                                         "are nodata").format(unlisted))
        styles.write_style(out, table)
        return {"OUTPUT": out}


class BreakClassesAlgorithm(CarbonSinkAlgorithm):
    NAME = "breakclasses"
    DISPLAY = "Classes by breaks (NEP source / sink levels, any continuous raster)"
    GROUP = "Carbon sink"
    GROUP_ID = "carbonsink"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_stack("INPUT", "Continuous raster (all bands are classified)")
        self.addParameter(QgsProcessingParameterString(
            "BREAKS", self.tr("Breaks, increasing (Zhang et al. 2025 NEP: 0, 200, 400)"),
            "0, 200, 400"))
        self.addParameter(QgsProcessingParameterString(
            "NAMES", self.tr("Class names, one more than the breaks (empty: the ranges)"),
            "", optional=True))
        self.add_scaling("INPUT", "Input")
        self.add_output("OUTPUT", "Classes (1 below the first break, ...)")

    def compute(self, parameters, context, feedback, progress, memory_mb):
        stack = self.stack(parameters, "INPUT", context, self.tr("Input"), "INPUT")
        breaks = prepare.parse_breaks(self.parameterAsString(parameters, "BREAKS", context))
        text = self.parameterAsString(parameters, "NAMES", context).strip()
        names = [n.strip() for n in text.split(",")] if text else None
        out, table = prepare.break_classes_rasters(
            stack, breaks, self.parameterAsOutputLayer(parameters, "OUTPUT", context), names,
            progress, memory_mb)
        styles.write_style(out, table)
        feedback.pushInfo(self.tr("{} classes: {}").format(
            len(table), "; ".join(f"{c} {lab}" for c, _, lab in table)))
        return {"OUTPUT": out}


ALGORITHMS = [TemporalAggregateAlgorithm, ReclassifyAlgorithm, BreakClassesAlgorithm]
