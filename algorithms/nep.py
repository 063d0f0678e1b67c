"""carbonsink:nep."""
from qgis.core import QgsProcessingParameterEnum, QgsProcessingParameterNumber

from ..core.rasters import nep_rasters
from . import styles
from .base import CarbonSinkAlgorithm
from .compat import DOUBLE

MODES = ["auto", "monthly", "annual"]


class NEPAlgorithm(CarbonSinkAlgorithm):
    NAME = "nep"
    DISPLAY = "Net ecosystem production (NEP = NPP - Rh)"
    GROUP = "Carbon sink"
    GROUP_ID = "carbonsink"
    CLASS_OUTPUTS = {"OUTPUT_CLASS": styles.SINK_CLASSES}
    OUTPUTS = {"nep": "OUTPUT_NEP", "rh": "OUTPUT_RH", "class": "OUTPUT_CLASS"}

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_stack("NPP", "Annual NPP stack")
        self.add_stack("TEMPERATURE", "Air temperature stack (deg C; 12 layers per year, "
                                      "or one per year)")
        self.add_stack("PRECIPITATION", "Precipitation stack (mm; 12 layers per year, "
                                        "or one per year)")
        self.addParameter(QgsProcessingParameterEnum(
            "MODE", self.tr("Rh mode"),
            [self.tr("Automatic (from the number of climate layers)"),
             self.tr("Monthly (sum of 12 monthly Rh; calibrated use)"),
             self.tr("Annual (annual mean T and total P)")], defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "B", self.tr("Temperature coefficient b of the Rh model"), DOUBLE, 0.0912))
        self.add_years()
        self.add_scaling("NPP", "NPP")
        self.add_output("OUTPUT_NEP", "NEP (g C m-2 yr-1, one band per year)")
        self.add_output("OUTPUT_RH", "Heterotrophic respiration Rh (g C m-2 yr-1)", True)
        self.add_output("OUTPUT_CLASS", "Sink / source class of the mean NEP")

    def compute(self, parameters, context, feedback, progress, memory_mb):
        npp = self.stack(parameters, "NPP", context, self.tr("NPP stack"), "NPP")
        temp = self.stack(parameters, "TEMPERATURE", context, self.tr("Temperature stack"))
        prec = self.stack(parameters, "PRECIPITATION", context, self.tr("Precipitation stack"))
        years = self.years(parameters, context, npp.n)
        mode = MODES[self.parameterAsEnum(parameters, "MODE", context)]
        b = self.parameterAsDouble(parameters, "B", context)
        outs = self.outputs(parameters, context, self.OUTPUTS)
        paths, used = nep_rasters(npp, temp, prec, outs, b, mode, years, progress, memory_mb)
        feedback.pushInfo(self.tr("Rh mode: {}").format(used))
        return {self.OUTPUTS[k]: p for k, p in paths.items()}
