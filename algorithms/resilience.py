"""carbonsink:resilience - carbon-sink resilience by probability attenuation (Wu2023)."""
import os

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFields,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
)

from ..core.accounting import read_text_table
from ..core.io.outputs import write_text
from ..core.resilience import (
    METHODS,
    SUMMARY_COLUMNS,
    TABLE_COLUMNS,
    reference_index,
    resilience_rasters,
)
from ..core.resilience_counts import read_counts_table, resilience_from_counts
from . import compat, styles
from .base import CarbonSinkAlgorithm, StylePostProcessor
from .compat import INTEGER, VECTOR_POLYGON, VECTOR_TABLE

#: columns stored as 64-bit integers (pixel counts can exceed 2^31)
_LONG = {"n_pos", "n_neg", "n_valid", "n_pixels", "n_pos_ref", "n_neg_ref"}
_KINDS = {int: "int", float: "double", str: "string"}


def _fields(columns):
    """QgsFields of the core's (name, python type) columns."""
    fields = QgsFields()
    for name, kind in columns:
        fields.append(compat.field(name, "int64" if name in _LONG else _KINDS[kind]))
    return fields


def years_qml(m):
    """Diverging style for the signed maintained years -m..m (QGIS 3.22+)."""
    half = max(1, m // 2)
    stops = [(-m, "#b2182b", f"-{m}: negative trend kept to the last year"),
             (-half, "#ef8a62", None),
             (0, "#f7f7f7", "0: no trend at the reference year"),
             (half, "#7fbf7b", None),
             (m, "#1b7837", f"{m}: positive trend kept to the last year")]
    return styles.pseudocolor_qml([(v, c, lab or v) for v, c, lab in stops], -m, m,
                                  precision=0)


class _ResilienceBase(CarbonSinkAlgorithm):
    """What the raster and the counts-table tools share: the fit options and
    the log lines."""
    GROUP = "Carbon sink"
    GROUP_ID = "carbonsink"
    METHOD_LABELS = ["Non-linear least squares on the ratios (default)",
                     "Log-linear least squares (ln q on the years)"]

    def add_fixed_lambda(self):
        self.add_bool("FIXED_LAMBDA", "Fix lambda = 1 (the curves start at q(t') = 1; "
                      "default: lambda fitted)")

    def fit_options(self, parameters, context):
        """(method, fixed lambda or None) from the dialog."""
        method = METHODS[self.parameterAsEnum(parameters, "METHOD", context)]
        fixed = 1.0 if self.parameterAsBool(parameters, "FIXED_LAMBDA", context) else None
        return method, fixed

    def level_name(self, level):
        """The resilience level in the user's language (core.resilience.LEVELS)."""
        names = {"extremely strong": self.tr("extremely strong"), "stronger": self.tr("stronger"),
                 "strong": self.tr("strong"), "weak": self.tr("weak"),
                 "weaker": self.tr("weaker"), "undetermined": self.tr("undetermined")}
        return names.get(level, level)

    def log_zones(self, feedback, res):
        for text in res.warnings:
            feedback.pushWarning(text)
        for z in res.zones:
            if z.has_pixels:
                feedback.pushInfo(self.tr("{}: tau_p {}, tau_n {}, RS {}, level {}").format(
                    z.name, _short(z.fit_pos.tau, z.fit_pos.flag),
                    _short(z.fit_neg.tau, z.fit_neg.flag), _short(z.rs, ""),
                    self.level_name(z.level)))


class ResilienceAlgorithm(_ResilienceBase):
    NAME = "resilience"
    DISPLAY = "Carbon sink resilience (probability attenuation)"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_stack("INPUT", "Annual NPP stack (one layer per year, or one multiband raster)")
        self.add_years()
        # no default year: empty takes the middle year of the stack (a default of
        # 2000 failed on every stack that starts in 2000)
        self.addParameter(QgsProcessingParameterNumber(
            "REFERENCE_YEAR", self.tr("Reference year t' (Wu et al. 2023: 2000)"), INTEGER,
            None, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "ZONES", self.tr("Zones (polygons; empty = the whole valid area)"),
            [VECTOR_POLYGON], optional=True))
        self.addParameter(QgsProcessingParameterField(
            "ZONE_FIELD", self.tr("Zone name field (features with the same name form one zone; "
                                  "empty = one zone per feature)"),
            parentLayerParameterName="ZONES", optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "METHOD", self.tr("Decay fit"), [self.tr(t) for t in self.METHOD_LABELS],
            defaultValue=0))
        self.add_fixed_lambda()
        self.add_bool("ALL_TOUCHED", "Rasterise zones with every pixel they touch "
                      "(default: pixel centres inside)", advanced=True)
        self.add_min_valid()
        self.add_scaling("INPUT", "NPP")
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT_TABLE", self.tr("Resilience table (one row per zone and year)"),
            VECTOR_TABLE))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT_SUMMARY", self.tr("Resilience summary (one row per zone)"), VECTOR_TABLE,
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_CSV", self.tr("Resilience table as CSV"), self.tr("CSV files (*.csv)"),
            optional=True, createByDefault=True))
        self.add_output("OUTPUT_YEARS", "Signed number of years each pixel kept its trend")
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_REPORT", self.tr("Resilience report (decay curves and fits)"),
            self.tr("HTML files (*.html)"), optional=True, createByDefault=True))

    # -------------------------------------------------------------- run
    def write_sink(self, parameters, context, name, columns, rows, required):
        sink, dest = self.parameterAsSink(parameters, name, context, _fields(columns),
                                          compat.no_geometry(), QgsCoordinateReferenceSystem())
        if sink is None:
            if required:
                raise QgsProcessingException(self.invalidSinkError(parameters, name))
            return None
        fields = _fields(columns)
        for row in rows:
            feat = QgsFeature(fields)
            feat.setAttributes([row[c] for c, _ in columns])
            sink.addFeature(feat)
        del sink          # flush file sinks now
        return dest

    def compute(self, parameters, context, feedback, progress, memory_mb):
        stack = self.stack(parameters, "INPUT", context, self.tr("NPP stack"), "INPUT")
        years = self.years(parameters, context, stack.n)
        if parameters.get("REFERENCE_YEAR") in (None, ""):
            ref = int(years[len(years) // 2])
            feedback.pushInfo(self.tr("Reference year: {} (the middle year of the stack)")
                              .format(ref))
        else:
            ref = self.parameterAsInt(parameters, "REFERENCE_YEAR", context)
        reference_index(years, ref)             # a clear message before any work
        method, fixed = self.fit_options(parameters, context)
        mv = self.parameterAsInt(parameters, "MIN_VALID", context)
        outs = {"years": self.parameterAsOutputLayer(parameters, "OUTPUT_YEARS", context),
                "csv": self.parameterAsFileOutput(parameters, "OUTPUT_CSV", context),
                "report": self.parameterAsFileOutput(parameters, "OUTPUT_REPORT", context)}
        outs = {k: v for k, v in outs.items() if v}
        zones, names = self.zones(parameters, "ZONES", "ZONE_FIELD", context, stack.grid,
                                  feedback, self.parameterAsBool(parameters, "ALL_TOUCHED",
                                                                 context))
        try:
            inputs = {"NPP stack": f"{stack.n} layers, {stack.grid.cols} x {stack.grid.rows} "
                                   "pixels"}
            if zones is not None:
                src = parameters.get("ZONES")
                field = self.parameterAsString(parameters, "ZONE_FIELD", context)
                inputs["zones"] = (f"{len(set(names.values()))} zones"
                                   + (f" named by '{field}'" if field else "")
                                   + (f" ({src})" if isinstance(src, str) else ""))
            res = resilience_rasters(stack, ref, outs, years, zones, names, method, mv,
                                     progress, memory_mb, inputs=inputs, fixed_lambda=fixed)
        finally:
            self.drop_zones(zones)
        self.log_zones(feedback, res)
        results = {}
        results["OUTPUT_TABLE"] = self.write_sink(parameters, context, "OUTPUT_TABLE",
                                                  TABLE_COLUMNS, res.table_rows(), True)
        dest = self.write_sink(parameters, context, "OUTPUT_SUMMARY", SUMMARY_COLUMNS,
                               res.summary_rows(), False)
        if dest:
            results["OUTPUT_SUMMARY"] = dest
        path = res.paths.get("years")
        if path:
            results["OUTPUT_YEARS"] = path
            qml = write_text(os.path.splitext(path)[0] + ".qml", years_qml(len(res.years)))
            if context.willLoadLayerOnCompletion(path):
                details = context.layerToLoadOnCompletionDetails(path)
                details.setPostProcessor(StylePostProcessor.create(qml))
        if "csv" in res.paths:
            results["OUTPUT_CSV"] = res.paths["csv"]
        if "report" in res.paths:
            results["OUTPUT_REPORT"] = res.paths["report"]
        return results


class ResilienceCountsAlgorithm(_ResilienceBase):
    """Steps 4-6 of methods.md 9 on the counts a paper prints (year, N+, N-)."""
    NAME = "resiliencecounts"
    DISPLAY = "Carbon sink resilience from a counts table (year, N+, N-)"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            "TABLE", self.tr("Counts table: CSV with columns year, n_pos (N+), n_neg (N-) "
                             "and an optional zone"), extension="csv"))
        self.addParameter(QgsProcessingParameterNumber(
            "REFERENCE_YEAR", self.tr("Reference year t' (empty: the first year of the "
                                      "table)"), INTEGER, None, optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "METHOD", self.tr("Decay fit"), [self.tr(t) for t in self.METHOD_LABELS],
            defaultValue=0))
        self.add_fixed_lambda()
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_CSV", self.tr("Resilience table as CSV"), self.tr("CSV files (*.csv)")))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_SUMMARY_CSV", self.tr("Resilience summary as CSV (one row per zone)"),
            self.tr("CSV files (*.csv)"), optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_REPORT", self.tr("Resilience report (decay curves and fits)"),
            self.tr("HTML files (*.html)"), optional=True, createByDefault=True))

    def compute(self, parameters, context, feedback, progress, memory_mb):
        path = self.parameterAsFile(parameters, "TABLE", context)
        counts = read_counts_table(read_text_table(path, "counts table"), "counts table")
        ref = None
        if parameters.get("REFERENCE_YEAR") not in (None, ""):
            ref = self.parameterAsInt(parameters, "REFERENCE_YEAR", context)
        method, fixed = self.fit_options(parameters, context)
        res = resilience_from_counts(counts, ref, method, fixed)
        feedback.pushInfo(self.tr("{} zones, reference year {}, fit {}").format(
            len(res.zones), f"{res.reference_year:g}", res.method_label))
        self.log_zones(feedback, res)
        results = {"OUTPUT_CSV": res.write_csv(
            self.parameterAsFileOutput(parameters, "OUTPUT_CSV", context))}
        summary = self.parameterAsFileOutput(parameters, "OUTPUT_SUMMARY_CSV", context)
        if summary:
            results["OUTPUT_SUMMARY_CSV"] = res.write_csv(summary, summary=True)
        report = self.parameterAsFileOutput(parameters, "OUTPUT_REPORT", context)
        if report:
            results["OUTPUT_REPORT"] = res.write_report(
                report, inputs={"counts table": os.path.basename(path)})
        return results


def _short(value, flag):
    if flag and flag != "ok":
        return flag
    return "-" if value != value else f"{value:.1f}"
