"""carbonsink:lineartrend and carbonsink:senmk."""
from qgis.core import QgsProcessingParameterEnum, QgsProcessingParameterNumber

from ..core.rasters import linear_trend_rasters, mann_kendall_rasters
from ..core.trend import METHODS
from . import styles
from .base import CarbonSinkAlgorithm
from .compat import DOUBLE


class _TrendBase(CarbonSinkAlgorithm):
    GROUP = "Trends"
    GROUP_ID = "trends"
    OUTPUTS = {}  # core key -> (parameter, description, optional)

    def add_inputs(self):
        self.add_stack("INPUT", "Annual raster stack (one layer per year, or one multiband raster)")
        self.add_years()
        self.add_min_valid()
        self.add_scaling("INPUT", "Input")

    def add_outputs(self):
        for param, desc, optional in self.OUTPUTS.values():
            self.add_output(param, desc, optional)

    def inputs(self, parameters, context):
        stack = self.stack(parameters, "INPUT", context, self.tr("Input stack"), "INPUT")
        years = self.years(parameters, context, stack.n)
        mv = self.parameterAsInt(parameters, "MIN_VALID", context)
        outs = self.outputs(parameters, context,
                            {k: v[0] for k, v in self.OUTPUTS.items()})
        return stack, years, mv, outs

    def results(self, paths):
        return {self.OUTPUTS[k][0]: p for k, p in paths.items()}


class LinearTrendAlgorithm(_TrendBase):
    NAME = "lineartrend"
    DISPLAY = "Least-squares trend (slope, r2, p, classes)"
    OUTPUTS = {
        "slope": ("OUTPUT_SLOPE", "Slope (units per year)", False),
        "intercept": ("OUTPUT_INTERCEPT", "Intercept (value at year 0)", True),
        "r2": ("OUTPUT_R2", "Coefficient of determination r2", False),
        "pvalue": ("OUTPUT_P", "p-value (two-sided t test)", False),
        "class": ("OUTPUT_CLASS", "Trend classes", False),
        "q": ("OUTPUT_Q", "FDR q-value (Benjamini-Hochberg over all valid pixels)", True),
        "fdr_class": ("OUTPUT_FDR_CLASS", "Trend classes at the FDR level", True),
    }
    CLASS_OUTPUTS = {"OUTPUT_CLASS": styles.LINEAR_CLASSES,
                     "OUTPUT_FDR_CLASS": styles.LINEAR_FDR_CLASSES}

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_inputs()
        self.addParameter(QgsProcessingParameterNumber(
            "ALPHA", self.tr("Significance level alpha"), DOUBLE, 0.05,
            minValue=1e-6, maxValue=0.5))
        self.add_bool("EXTREME", self.tr("Also mark extremely significant trends (p < 0.01)"))
        self.add_outputs()

    def compute(self, parameters, context, feedback, progress, memory_mb):
        stack, years, mv, outs = self.inputs(parameters, context)
        alpha = self.parameterAsDouble(parameters, "ALPHA", context)
        strong = 0.01 if self.parameterAsBool(parameters, "EXTREME", context) else None
        if strong is not None and strong >= alpha:
            strong = None
        feedback.pushInfo(self.tr("{} layers, years {:g}..{:g}").format(
            stack.n, years[0], years[-1]))
        paths = linear_trend_rasters(stack, outs, years, mv, alpha, strong, progress, memory_mb)
        return self.results(paths)


class SenMKAlgorithm(_TrendBase):
    NAME = "senmk"
    DISPLAY = "Theil-Sen slope and Mann-Kendall test"
    OUTPUTS = {
        "slope": ("OUTPUT_SLOPE", "Sen slope (units per year)", False),
        "z": ("OUTPUT_Z", "Mann-Kendall Z", False),
        "pvalue": ("OUTPUT_P", "p-value (two-sided)", False),
        "tau": ("OUTPUT_TAU", "Kendall tau", False),
        "class": ("OUTPUT_CLASS", "Trend classes (-4..4)", False),
        "q": ("OUTPUT_Q", "FDR q-value (Benjamini-Hochberg over all valid pixels)", True),
        "fdr_class": ("OUTPUT_FDR_CLASS", "Trend classes at the FDR level (-4..4)", True),
    }
    CLASS_OUTPUTS = {"OUTPUT_CLASS": styles.MK_CLASSES,
                     "OUTPUT_FDR_CLASS": styles.MK_FDR_CLASSES}
    METHOD_NAMES = list(METHODS)

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_inputs()
        self.addParameter(QgsProcessingParameterEnum(
            "METHOD", self.tr("Test (serial correlation)"),
            [self.tr("Original Mann-Kendall"),
             self.tr("Hamed-Rao variance correction (1998)"),
             self.tr("Yue-Wang variance correction (2004)"),
             self.tr("Pre-whitening (Yue and Wang 2002)")], defaultValue=0))
        self.add_outputs()

    def compute(self, parameters, context, feedback, progress, memory_mb):
        stack, years, mv, outs = self.inputs(parameters, context)
        feedback.pushInfo(self.tr("{} layers, years {:g}..{:g}").format(
            stack.n, years[0], years[-1]))
        index = self.parameterAsEnum(parameters, "METHOD", context)
        method = self.METHOD_NAMES[index]
        # the option as the dialog shows it (translated), not the internal key
        feedback.pushInfo(self.tr("Test: {}").format(
            self.parameterDefinition("METHOD").options()[index]))
        paths = mann_kendall_rasters(stack, outs, years, mv, method, progress, memory_mb)
        return self.results(paths)
