"""carbonsink:scenario: emissions and sinks projected to a target year
(methods.md 15, Zhang et al. 2022 section 4.3). The work is core.scenario."""
import math

from qgis.core import (
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..core import scenario
from ..core.accounting import read_text_table, write_csv
from ..core.errors import InputError
from ..core.io.outputs import write_text
from .base import CarbonSinkAlgorithm
from .compat import INTEGER


class ScenarioAlgorithm(CarbonSinkAlgorithm):
    NAME = "scenario"
    DISPLAY = "Scenario projection of emissions and sinks to a target year"
    GROUP = "Carbon accounting"
    GROUP_ID = "accounting"
    MODEL_LABELS = ["Linear trend", "Compound growth (constant rate)",
                    "Multilayer perceptron from drivers (scikit-learn)"]

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            "TABLE", self.tr("Yearly table: CSV with a year column, the series and the "
                             "drivers"), extension="csv"))
        self.addParameter(QgsProcessingParameterString(
            "EMISSIONS", self.tr("Emissions column (CE)"), "CE"))
        self.addParameter(QgsProcessingParameterString(
            "SINKS", self.tr("Sinks column (ECS; empty: no neutrality year)"), "ECS",
            optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "MODEL", self.tr("Model"), [self.tr(t) for t in self.MODEL_LABELS], defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            "DRIVERS", self.tr("Driver columns for the perceptron (comma separated)"), "",
            optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "RATES", self.tr("Scenario: CSV of driver growth rates (variable, first_year, "
                             "last_year, rate_pct)"), extension="csv", optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "TARGET_YEAR", self.tr("Target year"), INTEGER, 2060, minValue=1900,
            maxValue=2300))
        self.addParameter(QgsProcessingParameterNumber(
            "HOLDOUT", self.tr("Years held out for validation (the last ones)"), INTEGER, 4,
            minValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "BOOT", self.tr("Bootstrap refits for the 5-95 % band (0: none)"), INTEGER, 200,
            minValue=0, maxValue=10000))
        self.addParameter(QgsProcessingParameterNumber(
            "SEED", self.tr("Random seed"), INTEGER, 1))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_CSV", self.tr("Projections (CSV: series, year, observed, projection, "
                                  "band)"), self.tr("CSV files (*.csv)")))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_SUMMARY_CSV", self.tr("Summary (CSV: validation, target-year value, "
                                          "neutrality year)"), self.tr("CSV files (*.csv)"),
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT_REPORT", self.tr("Report with the chart (HTML)"),
            self.tr("HTML files (*.html)"), optional=True, createByDefault=True))

    def compute(self, parameters, context, feedback, progress, memory_mb):
        path = self.parameterAsFile(parameters, "TABLE", context)
        years, cols = scenario.read_series_csv(read_text_table(path, "yearly table"))
        model = scenario.MODELS[self.parameterAsEnum(parameters, "MODEL", context)]
        names = [self.parameterAsString(parameters, "EMISSIONS", context).strip(),
                 self.parameterAsString(parameters, "SINKS", context).strip()]
        names = [n for n in names if n]
        for n in names:
            if n not in cols:
                raise InputError(self.tr("the table has no column '{}' (columns: {})")
                                 .format(n, ", ".join(cols)))
        text = self.parameterAsString(parameters, "DRIVERS", context)
        drivers = {d.strip(): cols.get(d.strip()) for d in text.split(",") if d.strip()}
        missing = [d for d, v in drivers.items() if v is None]
        if missing:
            raise InputError(self.tr("the table has no driver column '{}'").format(missing[0]))
        rates_path = self.parameterAsFile(parameters, "RATES", context)
        rates = scenario.rates_from_file(rates_path) if rates_path else None
        target = self.parameterAsInt(parameters, "TARGET_YEAR", context)
        holdout = self.parameterAsInt(parameters, "HOLDOUT", context)
        boot = self.parameterAsInt(parameters, "BOOT", context)
        seed = self.parameterAsInt(parameters, "SEED", context)
        projections = []
        for k, n in enumerate(names):
            progress.check()
            projections.append(scenario.project(n, years, cols[n], model, target, holdout,
                                                boot, seed, drivers or None, rates))
            progress.set(100.0 * (k + 1) / len(names))
        neutral = scenario.neutrality_year(*projections) if len(projections) == 2 else math.nan
        for p in projections:
            feedback.pushInfo(self.tr("{}: {} in {}, hold-out R2 {}").format(
                p.name, f"{p.value(target):.4g}", target,
                "-" if math.isnan(p.r2_holdout) else f"{p.r2_holdout:.3f}"))
        if len(projections) == 2:
            feedback.pushInfo(self.tr("Carbon neutrality (sinks reach emissions): {}").format(
                f"{neutral:g}" if math.isfinite(neutral) else self.tr("not by {}").format(target)))
        results = {"OUTPUT_CSV": write_csv(
            self.parameterAsFileOutput(parameters, "OUTPUT_CSV", context),
            scenario.rows(projections))}
        summary = self.parameterAsFileOutput(parameters, "OUTPUT_SUMMARY_CSV", context)
        if summary:
            results["OUTPUT_SUMMARY_CSV"] = write_csv(
                summary, scenario.summary(projections, target, neutral))
        report = self.parameterAsFileOutput(parameters, "OUTPUT_REPORT", context)
        if report:
            results["OUTPUT_REPORT"] = write_text(report, scenario.report_html(
                projections, target, neutral, title=self.tr("Scenario projection")))
        return results
