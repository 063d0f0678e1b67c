"""Regional carbon accounting (methods.md 12): carbonsink:pixelarea,
carbonsink:zonalsummary, carbonsink:transitionmatrix, carbonsink:carbonbudget,
carbonsink:sinkscenario. The analyses are in core/accounting.py."""
import math

from qgis.core import (QgsFeature, QgsFeatureSink, QgsProcessingParameterEnum,
                       QgsProcessingParameterFeatureSink, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterField, QgsProcessingParameterFile,
                       QgsProcessingParameterFileDestination, QgsProcessingParameterRasterLayer)

from ..core import accounting
from ..core.area import pixel_area_raster
from ..core.io import StackError
from ..core.rasters import open_stack
from . import charts
from .base import CarbonSinkAlgorithm
from .compat import VECTOR_POLYGON, VECTOR_TABLE, no_geometry, table_fields

GROUP = "Carbon accounting"
GROUP_ID = "accounting"

#: field kinds of the table outputs (anything not listed is a double)
KINDS = {"zone_id": "int", "zone": "string", "class": "int", "class_name": "string",
         "layer": "string", "valid_pixels": "int", "n_layers": "int", "unit": "string",
         "pixels": "int", "from_class": "int", "from_name": "string", "to_class": "int",
         "to_name": "string", "changed": "int", "measure": "string", "note": "string",
         "lithology": "int", "lithology_name": "string"}


def field_spec(keys):
    return [(k, KINDS.get(k, "double")) for k in keys]


def _value(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


class AccountingAlgorithm(CarbonSinkAlgorithm):
    GROUP = GROUP
    GROUP_ID = GROUP_ID

    # ------------------------------------------------------ parameters
    def add_zone_params(self, label="Zones (polygons; empty = the whole grid)"):
        self.addParameter(QgsProcessingParameterFeatureSource(
            "ZONES", self.tr(label), [VECTOR_POLYGON], optional=True))
        self.addParameter(QgsProcessingParameterField(
            "ZONE_FIELD", self.tr("Zone name field"), parentLayerParameterName="ZONES",
            optional=True))

    def add_unit(self, name="UNIT", label="Unit of the totals", default=3):
        self.addParameter(QgsProcessingParameterEnum(
            name, self.tr(label), [self._unit_label(u) for u in accounting.UNITS],
            defaultValue=default))

    @staticmethod
    def _unit_label(u):
        extra = {"t C": " (= Mg C)", "Tg C": " (= Mt C, 1e12 g)", "Pg C": " (= Gt C, 1e15 g)",
                 "t CO2": " (= Mg CO2)", "Tg CO2": " (= Mt CO2)", "Pg CO2": " (= Gt CO2)"}
        return u + extra.get(u, "")

    def add_species(self):
        self.addParameter(QgsProcessingParameterEnum(
            "INPUT_SPECIES", self.tr("Input values are area densities of"),
            [self.tr("carbon (g C m-2, per year for fluxes)"),
             self.tr("CO2 (g CO2 m-2, per year for fluxes)")], defaultValue=0))

    def add_table(self, name, label, optional=False):
        self.addParameter(QgsProcessingParameterFeatureSink(
            name, self.tr(label), VECTOR_TABLE, optional=optional,
            createByDefault=not optional))

    def add_file_output(self, name, label, kind="csv", default=False):
        filt = "CSV files (*.csv)" if kind == "csv" else "HTML files (*.html)"
        self.addParameter(QgsProcessingParameterFileDestination(
            name, self.tr(label), filt, optional=True, createByDefault=default))

    # ------------------------------------------------------ readers
    def unit(self, parameters, context, name="UNIT"):
        return accounting.UNITS[self.parameterAsEnum(parameters, name, context)]

    def species(self, parameters, context):
        return ("C", "CO2")[self.parameterAsEnum(parameters, "INPUT_SPECIES", context)]

    def raster(self, parameters, name, context, label, optional=True):
        lyr = self.parameterAsRasterLayer(parameters, name, context)
        if lyr is None:
            if optional:
                return None
            raise StackError(self.tr("{}: no raster layer given").format(label))
        return open_stack(lyr.source(), label)

    def class_names(self, parameters, name, context):
        path = self.parameterAsFile(parameters, name, context)
        return accounting.read_class_names(path) if path else {}

    def warn(self, feedback, text):
        push = getattr(feedback, "pushWarning", None)
        (push or feedback.pushInfo)(self.tr("Warning: ") + text)

    # ------------------------------------------------------ outputs
    def write_table(self, parameters, name, context, rows, keys=None):
        """Fill the feature sink ``name`` (no geometry) with dict rows."""
        if keys is None:
            keys = []
            for r in rows:
                keys += [k for k in r if k not in keys]
        sink, dest = self.parameterAsSink(parameters, name, context,
                                          table_fields(field_spec(keys)), no_geometry())
        if sink is None:
            return None
        for r in rows:
            f = QgsFeature()
            f.setAttributes([_value(r.get(k)) for k in keys])
            sink.addFeature(f, QgsFeatureSink.FastInsert)
        return dest

    def file_output(self, parameters, name, context):
        path = self.parameterAsFileOutput(parameters, name, context)
        return path or None


# ===================================================================== areas

class PixelAreaAlgorithm(AccountingAlgorithm):
    NAME = "pixelarea"
    DISPLAY = "Pixel areas of a raster grid (geodesic on geographic grids)"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(
            "INPUT", self.tr("Raster whose grid is measured")))
        self.addParameter(QgsProcessingParameterEnum(
            "AREA_UNIT", self.tr("Area unit"), ["m2", "ha", "km2"], defaultValue=2))
        self.add_output("OUTPUT", "Pixel area")

    def compute(self, parameters, context, feedback, progress, memory_mb):
        stack = self.raster(parameters, "INPUT", context, self.tr("Input raster"), False)
        unit = ("m2", "ha", "km2")[self.parameterAsEnum(parameters, "AREA_UNIT", context)]
        path = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        out, areas = pixel_area_raster(stack, path, unit, progress, memory_mb)
        feedback.pushInfo(areas.method)
        if areas.warning:
            self.warn(feedback, areas.warning)
        return {"OUTPUT": out}


# ============================================================ zonal summary

class ZonalSummaryAlgorithm(AccountingAlgorithm):
    NAME = "zonalsummary"
    DISPLAY = "Zonal summary: area-weighted totals per zone and land-cover class"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_stack("INPUT", "Raster(s): a stack (one layer per year) or separate "
                                "variables (e.g. CSCC, NPP of a year, potential)")
        self.addParameter(QgsProcessingParameterEnum(
            "LAYERS", self.tr("The layers are"),
            [self.tr("Years of one variable (totals per year, mean and SD across years)"),
             self.tr("Separate variables (one total column per layer, e.g. Wu et al. "
                     "2023 Table 1)")], defaultValue=0))
        self.add_years()
        self.add_scaling("INPUT", "Input")
        self.add_zone_params()
        self.addParameter(QgsProcessingParameterRasterLayer(
            "LANDCOVER", self.tr("Land-cover raster (classes; optional)"), optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "CLASS_NAMES", self.tr("Class names: CSV with columns code,name (optional)"),
            extension="csv", optional=True))
        self.add_species()
        self.add_unit()
        self.add_table("OUTPUT_TABLE", "Per zone, class and layer")
        self.add_table("OUTPUT_SUMMARY", "Summary per zone and class")
        self.add_file_output("OUTPUT_CSV", "Summary as CSV")
        self.add_file_output("OUTPUT_HTML", "Report (HTML)", "html")

    def compute(self, parameters, context, feedback, progress, memory_mb):
        stack = self.stack(parameters, "INPUT", context, self.tr("Input"), "INPUT")
        as_years = self.parameterAsEnum(parameters, "LAYERS", context) == 0
        years = self.years(parameters, context, stack.n) if as_years else None
        zones, names = self.zones(parameters, "ZONES", "ZONE_FIELD", context, stack.grid,
                                  feedback)
        lc = self.raster(parameters, "LANDCOVER", context, self.tr("Land cover"))
        unit = self.unit(parameters, context)
        res = accounting.zonal_summary(
            stack, zones if zones is not None else None, names, lc,
            self.class_names(parameters, "CLASS_NAMES", context), years, unit,
            self.species(parameters, context), progress, memory_mb)
        feedback.pushInfo(self.tr("Pixel areas: {}").format(res.area_method))
        for w in res.warnings:
            self.warn(feedback, w)
        rows = res.layer_rows()
        summary = res.summary_rows(across_layers=as_years)
        results = {"OUTPUT_TABLE": self.write_table(parameters, "OUTPUT_TABLE", context, rows),
                   "OUTPUT_SUMMARY": self.write_table(parameters, "OUTPUT_SUMMARY", context,
                                                      summary)}
        grand = [r for r in summary if r["zone_id"] == 0 and r["class"] is None] or summary[-1:]
        if grand and as_years:
            g = grand[0]
            feedback.pushInfo(self.tr("Grand total: {:.6g} {} (mean of {} layers, SD {:.4g})")
                              .format(g["total_mean"], unit, g["n_layers"], g["total_sd"]))
        csv_path = self.file_output(parameters, "OUTPUT_CSV", context)
        if csv_path:
            results["OUTPUT_CSV"] = accounting.write_csv(csv_path, summary)
        html_path = self.file_output(parameters, "OUTPUT_HTML", context)
        if html_path:
            results["OUTPUT_HTML"] = self._report(html_path, res, summary, as_years)
        return results

    def _report(self, path, res, summary, as_years):
        fields = res.layer_fields()
        head = [self.tr("zone"), self.tr("class"), "area km2", "valid area km2"]
        if as_years:
            head += [f"mean total ({res.unit})", "SD", "share %"]
            body = [[r["zone"], r["class_name"], r["area_km2"], r["valid_area_km2"],
                     r["total_mean"], r["total_sd"], r["share_pct"]] for r in summary]
        else:
            head += [f"{lab} ({res.unit})" for lab in res.labels]
            body = [[r["zone"], r["class_name"], r["area_km2"], r["valid_area_km2"]]
                    + [r[f] for f in fields] for r in summary]
        parts = [f"<p>{charts.html.escape(self.tr('Pixel areas'))}: "
                 f"{charts.html.escape(res.area_method)}</p>"]
        parts += [f"<p><b>{charts.html.escape(self.tr('Warning'))}:</b> "
                  f"{charts.html.escape(w)}</p>" for w in res.warnings]
        parts.append(charts.table(head, body))
        if as_years and res.years is not None and len(res.years) > 1:
            colours = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
                       "#a6761d", "#666666"]
            series = []
            zone_rows = [r for r in summary if r["class"] is None and r["zone_id"] != 0]
            for k, r in enumerate(zone_rows[:8]):
                series.append((r["zone"], [r[f] for f in fields], colours[k % 8], False))
            if series:
                parts.append(charts.svg_lines(res.years, series,
                                              title=self.tr("Total per zone ({})").format(res.unit),
                                              xlabel=self.tr("year")))
        return charts.write_page(path, self.tr("Zonal summary"), "\n".join(parts))


ALGORITHMS = [PixelAreaAlgorithm, ZonalSummaryAlgorithm]
