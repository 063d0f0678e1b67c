"""carbonsink:variation, carbonsink:hurst and carbonsink:partialcorrelation."""
from qgis.core import (
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ..core.io import StackError
from ..core.rasters import hurst_rasters, open_stack, partial_correlation_rasters, variation_rasters
from . import styles
from .base import CarbonSinkAlgorithm
from .compat import DOUBLE, FLAG_ADVANCED, INTEGER


class _StatsBase(CarbonSinkAlgorithm):
    GROUP = "Temporal statistics"
    GROUP_ID = "temporal"

    def add_input_stack(self, label="Annual raster stack (one layer per year, or one "
                                    "multiband raster)"):
        self.add_stack("INPUT", label)
        self.add_years()
        self.add_min_valid()
        self.add_scaling("INPUT", "Input")

    def input_stack(self, parameters, context):
        stack = self.stack(parameters, "INPUT", context, self.tr("Input stack"), "INPUT")
        return (stack, self.years(parameters, context, stack.n),
                self.parameterAsInt(parameters, "MIN_VALID", context))


class VariationAlgorithm(_StatsBase):
    NAME = "variation"
    DISPLAY = "Stability: coefficient of variation (CV) and classes"
    CLASS_OUTPUTS = {"OUTPUT_CLASS": styles.CV_CLASSES}

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_input_stack()
        self.addParameter(QgsProcessingParameterEnum(
            "DDOF", self.tr("Standard deviation"),
            [self.tr("Population (ddof = 0)"), self.tr("Sample (ddof = 1)")], defaultValue=1))
        self.addParameter(QgsProcessingParameterString(
            "BREAKS", self.tr("User class breaks: 4 increasing CV values (empty = natural "
                              "breaks, Fisher-Jenks)"), optional=True))
        p = QgsProcessingParameterNumber(
            "SAMPLE", self.tr("Natural breaks: sample size of CV values (exact on the sample)"),
            INTEGER, 10000, minValue=100)
        p.setFlags(p.flags() | FLAG_ADVANCED)
        self.addParameter(p)
        p = QgsProcessingParameterNumber("SEED", self.tr("Random seed of the sample"),
                                         INTEGER, 0)
        p.setFlags(p.flags() | FLAG_ADVANCED)
        self.addParameter(p)
        self.add_output("OUTPUT_CV", "Coefficient of variation")
        self.add_output("OUTPUT_CLASS", "Fluctuation classes (1 low .. 5 high)")

    def compute(self, parameters, context, feedback, progress, memory_mb):
        stack, _, mv = self.input_stack(parameters, context)
        text = self.parameterAsString(parameters, "BREAKS", context).strip()
        breaks = None
        if text:
            try:
                breaks = [float(v) for v in text.replace(";", ",").split(",") if v.strip()]
            except ValueError:
                raise StackError(self.tr("breaks must be numbers separated by commas")) from None
            if len(breaks) != 4:
                raise StackError(self.tr("give 4 breaks for 5 classes, not {}").format(len(breaks)))
        outs = self.outputs(parameters, context, {"cv": "OUTPUT_CV", "class": "OUTPUT_CLASS"})
        paths, used = variation_rasters(
            stack, outs, ddof=self.parameterAsEnum(parameters, "DDOF", context),
            min_valid=mv, breaks=breaks,
            sample=self.parameterAsInt(parameters, "SAMPLE", context),
            seed=self.parameterAsInt(parameters, "SEED", context),
            progress=progress, memory_mb=memory_mb)
        if used is not None:
            feedback.pushInfo(self.tr("Class bounds: {}").format(
                ", ".join(f"{v:.6g}" for v in used)))
        names = {"cv": "OUTPUT_CV", "class": "OUTPUT_CLASS"}
        return {names[k]: v for k, v in paths.items()}


class HurstAlgorithm(_StatsBase):
    NAME = "hurst"
    DISPLAY = "Persistence: Hurst exponent and future trend"
    CLASS_OUTPUTS = {"OUTPUT_PERSISTENCE": styles.PERSISTENCE_CLASSES}
    METHODS = ["rs", "rs_segmented", "aggvar"]

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_input_stack()
        self.addParameter(QgsProcessingParameterEnum(
            "METHOD", self.tr("Estimator"),
            [self.tr("R/S on growing windows (rs, pixel-wise studies)"),
             self.tr("Classical R/S on segments (rs_segmented)"),
             self.tr("Aggregated variance (aggvar)")], defaultValue=0))
        self.addParameter(QgsProcessingParameterRasterLayer(
            "SLOPE", self.tr("Trend slope raster for the persistence classes (empty = Sen "
                             "slope computed in the same pass)"), optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "SIGNIFICANT_ONLY", self.tr("Persistence: only trends with Mann-Kendall p < 0.05"),
            False))
        self.add_output("OUTPUT_H", "Hurst exponent H")
        self.add_output("OUTPUT_PERSISTENCE", "Persistence classes", optional=True)

    def compute(self, parameters, context, feedback, progress, memory_mb):
        stack, years, mv = self.input_stack(parameters, context)
        method = self.METHODS[self.parameterAsEnum(parameters, "METHOD", context)]
        slope_layer = self.parameterAsRasterLayer(parameters, "SLOPE", context)
        slope = open_stack(slope_layer.source(), self.tr("Slope raster")) if slope_layer else None
        if slope is not None and slope.n != 1:
            raise StackError(self.tr("the slope raster must have one band"))
        outs = self.outputs(parameters, context, {"h": "OUTPUT_H",
                                                  "persistence": "OUTPUT_PERSISTENCE"})
        paths = hurst_rasters(stack, outs, years, method, mv, slope,
                              self.parameterAsBool(parameters, "SIGNIFICANT_ONLY", context),
                              progress=progress, memory_mb=memory_mb)
        names = {"h": "OUTPUT_H", "persistence": "OUTPUT_PERSISTENCE"}
        return {names[k]: v for k, v in paths.items()}


class PartialCorrelationAlgorithm(_StatsBase):
    NAME = "partialcorrelation"
    DISPLAY = "Partial correlation with climate drivers"
    CLASS_OUTPUTS = {"OUTPUT_CLASS": styles.CORRELATION_CLASSES}

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_input_stack("Target stack (e.g. annual NPP or NEP; one layer per year, or "
                             "one multiband raster)")
        self.add_stack("DRIVERS", "Driver stacks: one multiband raster per driver "
                                  "(temperature, precipitation, radiation...), one band per year")
        self.addParameter(QgsProcessingParameterNumber(
            "ALPHA", self.tr("Significance level alpha"), DOUBLE, 0.05, minValue=1e-6,
            maxValue=0.5))
        self.add_output("OUTPUT_R", "Partial correlation r (one band per driver)")
        self.add_output("OUTPUT_P", "p-value (one band per driver)")
        self.add_output("OUTPUT_CLASS", "Correlation classes (one band per driver)")

    def compute(self, parameters, context, feedback, progress, memory_mb):
        target, _, mv = self.input_stack(parameters, context)
        layers = self.parameterAsLayerList(parameters, "DRIVERS", context)
        if not layers:
            raise StackError(self.tr("at least one driver stack is needed"))
        drivers = [open_stack(lyr.source(), lyr.name()) for lyr in layers]
        names = [lyr.name() for lyr in layers]
        for name, d in zip(names, drivers):
            others = [n for n in names if n != name]
            feedback.pushInfo(self.tr("{}: controlling for {}").format(
                name, ", ".join(others) if others else self.tr("nothing (simple r)")))
        outs = self.outputs(parameters, context, {"r": "OUTPUT_R", "pvalue": "OUTPUT_P",
                                                  "class": "OUTPUT_CLASS"})
        paths = partial_correlation_rasters(
            target, drivers, names, outs, mv,
            self.parameterAsDouble(parameters, "ALPHA", context), progress, memory_mb)
        keys = {"r": "OUTPUT_R", "pvalue": "OUTPUT_P", "class": "OUTPUT_CLASS"}
        return {keys[k]: v for k, v in paths.items()}
