"""carbonsink:carryingcapacity."""
from qgis.core import QgsProcessingParameterNumber

from ..core.rasters import carrying_capacity_rasters
from .base import CarbonSinkAlgorithm
from .compat import INTEGER


class CarryingCapacityAlgorithm(CarbonSinkAlgorithm):
    NAME = "carryingcapacity"
    DISPLAY = "Carbon sink carrying capacity and potential"
    GROUP = "Carbon sink"
    GROUP_ID = "carbonsink"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_stack("INPUT", "Annual NPP stack (g C m-2 yr-1)")
        self.add_years()
        self.addParameter(QgsProcessingParameterNumber(
            "YEAR", self.tr("Year for potential and saturation (empty = last year)"),
            INTEGER, None, optional=True))
        self.add_bool("ALL_YEARS", "Potential and saturation for every year (one band per year)")
        self.add_min_valid()
        self.add_scaling("INPUT", "NPP")
        self.add_output("OUTPUT_CSCC", "Carrying capacity CSCC (g C m-2 yr-1)")
        self.add_output("OUTPUT_PEAK_YEAR", "Peak year")
        self.add_output("OUTPUT_POTENTIAL", "Potential CSCC - NPP (g C m-2 yr-1)")
        self.add_output("OUTPUT_SATURATION", "Saturation NPP / CSCC (%)")

    def compute(self, parameters, context, feedback, progress, memory_mb):
        stack = self.stack(parameters, "INPUT", context, self.tr("NPP stack"), "INPUT")
        years = self.years(parameters, context, stack.n)
        year = None
        if parameters.get("YEAR") is not None:
            year = self.parameterAsInt(parameters, "YEAR", context)
        outs = self.outputs(parameters, context, {
            "cscc": "OUTPUT_CSCC", "peak_year": "OUTPUT_PEAK_YEAR",
            "potential": "OUTPUT_POTENTIAL", "saturation": "OUTPUT_SATURATION"})
        paths = carrying_capacity_rasters(
            stack, outs, years, year,
            self.parameterAsBool(parameters, "ALL_YEARS", context),
            self.parameterAsInt(parameters, "MIN_VALID", context), progress, memory_mb)
        names = {"cscc": "OUTPUT_CSCC", "peak_year": "OUTPUT_PEAK_YEAR",
                 "potential": "OUTPUT_POTENTIAL", "saturation": "OUTPUT_SATURATION"}
        return {names[k]: p for k, p in paths.items()}
