"""Regional carbon accounting (methods.md 12): carbonsink:pixelarea,
carbonsink:zonalsummary, carbonsink:transitionmatrix, carbonsink:carbonbudget,
carbonsink:sinkscenario. The analyses are in core/accounting.py."""
import math
import os

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ..core import accounting, accounting_charts, charts
from ..core import ensemble as ens_core
from ..core.area import pixel_area_raster
from ..core.classes import CHANGE_CLASSES, CNC_CLASSES
from ..core.io import RasterStack, StackError
from ..core.rasters import open_stack
from .base import CarbonSinkAlgorithm, is_null
from .compat import (
    DOUBLE,
    FLAG_ADVANCED,
    INTEGER,
    RASTER,
    VECTOR_POLYGON,
    VECTOR_TABLE,
    no_geometry,
    table_fields,
)

GROUP = "Carbon accounting"
GROUP_ID = "accounting"

#: field kinds of the table outputs (anything not listed is a double)
KINDS = {"zone_id": "int", "zone": "string", "class": "int", "class_name": "string",
         "layer": "string", "valid_pixels": "int", "n_layers": "int", "unit": "string",
         "pixels": "int", "from_class": "int", "from_name": "string", "to_class": "int",
         "to_name": "string", "changed": "int", "measure": "string", "note": "string",
         "lithology": "int", "lithology_name": "string"}




def field_spec(keys, rows=()):
    """[(name, kind)]: KINDS first, else from the first non-empty value
    (str -> string, int -> int, anything else -> double)."""
    spec = []
    for k in keys:
        kind = KINDS.get(k)
        if kind is None:
            kind = "double"
            for r in rows:
                v = r.get(k)
                if v is None:
                    continue
                if isinstance(v, str):
                    kind = "string"
                elif isinstance(v, (int, np.integer)) and not isinstance(v, bool):
                    kind = "int"
                break
        spec.append((k, kind))
    return spec


def _value(v):
    """A value QGIS can store: numpy scalars become Python numbers (PyQt
    would wrap them as opaque objects), NaN becomes NULL."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
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
        if push is not None:
            push(text)
        else:
            feedback.pushInfo(self.tr("Warning: ") + text)

    # ------------------------------------------------------ outputs
    def write_table(self, parameters, name, context, rows, keys=None):
        """Fill the feature sink ``name`` (no geometry) with dict rows."""
        if keys is None:
            keys = []
            for r in rows:
                keys += [k for k in r if k not in keys]
        sink, dest = self.parameterAsSink(parameters, name, context,
                                          table_fields(field_spec(keys, rows)), no_geometry())
        if sink is None:
            return None
        for r in rows:
            f = QgsFeature()
            f.setAttributes([_value(r.get(k)) for k in keys])
            if not sink.addFeature(f, QgsFeatureSink.Flag.FastInsert):
                raise StackError(self.tr("cannot write the table {}: {}").format(
                    name, sink.lastError() if hasattr(sink, "lastError") else ""))
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
            "LANDCOVER", self.tr("Land-cover raster (classes)"), optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "CLASS_NAMES", self.tr("Class names: CSV with columns code,name"),
            extension="csv", optional=True))
        self.add_bool("COMMON_MASK", "Count only pixels valid in every layer (totals of "
                                     "separate variables then add up exactly)", False)
        self.addParameter(QgsProcessingParameterString(
            "RATIOS", self.tr("Ratios of layer totals in % (layer numbers a/b, e.g. 3/1 for "
                              "potential / CSCC)"), "", optional=True))
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
        ratios = accounting.parse_ratios(self.parameterAsString(parameters, "RATIOS", context),
                                         stack.n)           # a clear message before the pass
        zones, names = self.zones(parameters, "ZONES", "ZONE_FIELD", context, stack.grid,
                                  feedback)
        lc = self.raster(parameters, "LANDCOVER", context, self.tr("Land cover"))
        unit = self.unit(parameters, context)
        res = accounting.zonal_summary(
            stack, zones, names, lc,
            self.class_names(parameters, "CLASS_NAMES", context), years, unit,
            self.species(parameters, context),
            self.parameterAsBool(parameters, "COMMON_MASK", context), progress, memory_mb)
        feedback.pushInfo(self.tr("Pixel areas: {}").format(res.area_method))
        for w in res.warnings:
            self.warn(feedback, w)
        rows = res.layer_rows()
        summary = res.summary_rows(across_layers=as_years, ratios=ratios)
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


# ======================================================== transition matrix

class TransitionMatrixAlgorithm(AccountingAlgorithm):
    NAME = "transitionmatrix"
    DISPLAY = "Land-cover transition matrix (areas, change, variable per transition)"
    CLASS_OUTPUTS = {"OUTPUT_CHANGE": CHANGE_CLASSES}

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(
            "FIRST", self.tr("Land cover, first date (classes)")))
        self.addParameter(QgsProcessingParameterRasterLayer(
            "SECOND", self.tr("Land cover, second date (classes)")))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "LATER", self.tr("Land cover at later dates, in time order (a chain: first -> "
                             "second -> third ...)"), RASTER, optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(
            "VARIABLE", self.tr("Variable to average per transition (on the grid of the "
                                "first map; e.g. NPP change)"), optional=True))
        self.add_zone_params()
        self.addParameter(QgsProcessingParameterFile(
            "CLASS_NAMES", self.tr("Class names: CSV with columns code,name"),
            extension="csv", optional=True))
        self.add_table("OUTPUT_TABLE", "Transitions (from, to, area, %, variable mean)")
        self.add_table("OUTPUT_CLASSES", "Change per class (persistence, loss, gain, net)",
                       optional=True)
        self.add_file_output("OUTPUT_CSV", "Transition matrices as CSV (km2 and %)")
        self.add_file_output("OUTPUT_HTML", "Report with Sankey diagram (HTML)", "html")
        self.add_output("OUTPUT_CHANGE", "Changed / unchanged raster", optional=True)

    def compute(self, parameters, context, feedback, progress, memory_mb):
        first = self.raster(parameters, "FIRST", context, self.tr("First land cover"), False)
        second = self.raster(parameters, "SECOND", context, self.tr("Second land cover"), False)
        later = [RasterStack(src, name=os.path.splitext(os.path.basename(src.split("|")[0]))[0])
                 for src in self.layer_sources(parameters, "LATER", context)]
        if later:
            return self.compute_chain(parameters, context, feedback, progress, memory_mb,
                                      [first, second] + later)
        variable = self.raster(parameters, "VARIABLE", context, self.tr("Variable"))
        zones, names = self.zones(parameters, "ZONES", "ZONE_FIELD", context, first.grid,
                                  feedback)
        change_path = self.parameterAsOutputLayer(parameters, "OUTPUT_CHANGE", context)
        split = 80 if change_path else 100
        res = accounting.transition_matrix(
            first, second, variable, zones, names,
            self.class_names(parameters, "CLASS_NAMES", context),
            progress.scaled(0, split), memory_mb)
        feedback.pushInfo(self.tr("Pixel areas: {}").format(res.area_method))
        for w in res.warnings:
            self.warn(feedback, w)
        ch, pct = res.changed_share()
        feedback.pushInfo(self.tr("Changed: {:.6g} km2, {:.4g} % of the area valid in both "
                                  "maps").format(ch, pct))
        results = {"OUTPUT_TABLE": self.write_table(parameters, "OUTPUT_TABLE", context,
                                                    res.pair_rows(), self._pair_keys(res))}
        dest = self.write_table(parameters, "OUTPUT_CLASSES", context, res.class_rows())
        if dest:
            results["OUTPUT_CLASSES"] = dest
        csv_path = self.file_output(parameters, "OUTPUT_CSV", context)
        if csv_path:
            results["OUTPUT_CSV"] = accounting.write_csv(csv_path, res.matrix_rows())
        html_path = self.file_output(parameters, "OUTPUT_HTML", context)
        if html_path:
            results["OUTPUT_HTML"] = self._report(html_path, res, first.name, second.name)
        if change_path:
            results["OUTPUT_CHANGE"] = accounting.change_raster(
                first, second, change_path, progress.scaled(split, 100), memory_mb)
        return results

    def compute_chain(self, parameters, context, feedback, progress, memory_mb, maps):
        """A chain of dates: one transition matrix per period (the tables get a
        period column), one Sankey over all dates; the change raster compares
        the first and the last map."""
        if parameters.get("VARIABLE"):
            raise StackError(self.tr("a variable per transition needs exactly two maps"))
        zones, names = self.zones(parameters, "ZONES", "ZONE_FIELD", context, maps[0].grid,
                                  feedback)
        class_names = self.class_names(parameters, "CLASS_NAMES", context)
        change_path = self.parameterAsOutputLayer(parameters, "OUTPUT_CHANGE", context)
        periods = len(maps) - 1
        split = 80 if change_path else 100
        results_by_period, pairs, classes_rows, matrix_rows = [], [], [], []
        for k in range(periods):
            res = accounting.transition_matrix(
                maps[k], maps[k + 1], None, zones, names, class_names,
                progress.scaled(split * k / periods, split * (k + 1) / periods), memory_mb)
            label = f"{maps[k].name} -> {maps[k + 1].name}"
            for w in res.warnings:
                self.warn(feedback, w)
            ch, pct = res.changed_share()
            feedback.pushInfo(self.tr("{}: changed {} km2, {} % of the area valid in both "
                                      "maps").format(label, charts.number(ch),
                                                     charts.number(pct, 3)))
            pairs += [dict(r, period=label) for r in res.pair_rows()]
            classes_rows += [dict(r, period=label) for r in res.class_rows()]
            matrix_rows += [dict(r, period=label) for r in res.matrix_rows()]
            results_by_period.append((label, res))
        results = {"OUTPUT_TABLE": self.write_table(
            parameters, "OUTPUT_TABLE", context, pairs,
            ["period"] + self._pair_keys(results_by_period[0][1]))}
        dest = self.write_table(parameters, "OUTPUT_CLASSES", context, classes_rows)
        if dest:
            results["OUTPUT_CLASSES"] = dest
        csv_path = self.file_output(parameters, "OUTPUT_CSV", context)
        if csv_path:
            results["OUTPUT_CSV"] = accounting.write_csv(csv_path, matrix_rows)
        html_path = self.file_output(parameters, "OUTPUT_HTML", context)
        if html_path:
            results["OUTPUT_HTML"] = self._chain_report(html_path, results_by_period,
                                                        [m.name for m in maps])
        if change_path:
            results["OUTPUT_CHANGE"] = accounting.change_raster(
                maps[0], maps[-1], change_path, progress.scaled(split, 100), memory_mb)
        return results

    def _chain_report(self, path, periods, dates):
        esc = charts.html.escape
        res0 = periods[0][1]
        codes = sorted(set().union(*(set(r.classes) for _, r in periods)))
        names = [res0.name(c) if c in res0.classes else periods[-1][1].name(c) for c in codes]

        def full(res):
            m = res.matrix()
            idx = [codes.index(c) for c in res.classes]
            out = np.zeros((len(codes), len(codes)))
            out[np.ix_(idx, idx)] = m
            return out
        parts = [accounting_charts.svg_sankey_chain(
            names, [full(r) for _, r in periods], dates,
            title=self.tr("Land-cover transitions (km2)"))]
        for label, res in periods:
            ch, share = res.changed_share()
            parts.append(f"<h2>{esc(label)}</h2><p>{esc(self.tr('Changed area'))}: "
                         f"{charts.number(ch)} km2 ({charts.number(share, 3)} %)</p>")
            m = full(res)
            head = [self.tr("from \\ to")] + names + [self.tr("total")]
            rows = [[names[i]] + [charts.number(v) for v in m[i]] + [charts.number(m[i].sum())]
                    for i in range(len(names))]
            parts.append("<p>km2</p>" + charts.table(head, rows))
        return charts.write_page(path, self.tr("Land-cover transitions"), "\n".join(parts))

    @staticmethod
    def _pair_keys(res):
        keys = ["zone_id", "zone", "from_class", "from_name", "to_class", "to_name", "changed",
                "pixels", "area_km2", "pct_of_total", "pct_of_from"]
        return keys + (["var_mean", "var_aw_mean"] if res.var_count is not None else [])

    def _report(self, path, res, first_name, second_name):
        esc = charts.html.escape
        names = [res.name(c) for c in res.classes]
        parts = [f"<p>{esc(self.tr('Pixel areas'))}: {esc(res.area_method)}</p>"]
        parts += [f"<p><b>{esc(self.tr('Warning'))}:</b> {esc(w)}</p>" for w in res.warnings]
        for z in res.zones()[::-1][:12]:
            label = res.zone_label(z) if len(res.zone_names) > 1 else ""
            m = res.matrix(z)
            pct = res.matrix(z, "%")
            ch, share = res.changed_share(z)
            parts.append(f"<h2>{esc(label or self.tr('Whole area'))}</h2>")
            parts.append(f"<p>{esc(self.tr('Changed area'))}: {ch:.6g} km2 ({share:.4g} %)</p>")
            parts.append(accounting_charts.svg_sankey(
                names, m, title=self.tr("Land-cover transitions (km2)"), left=first_name,
                right=second_name))
            head = [self.tr("from \\ to")] + names + [self.tr("total")]
            rows = [[names[i]] + [float(v) for v in m[i]] + [float(m[i].sum())]
                    for i in range(len(names))]
            rows.append([self.tr("total")] + [float(v) for v in m.sum(axis=0)]
                        + [float(m.sum())])
            parts.append("<p>km2</p>" + charts.table(head, rows))
            rows = [[names[i]] + [float(v) for v in pct[i]] + [float(pct[i].sum())]
                    for i in range(len(names))]
            parts.append("<p>% of the area valid in both maps</p>" + charts.table(head, rows))
            cls = [r for r in res.class_rows() if r["zone_id"] == z]
            parts.append(accounting_charts.svg_bars(
                [r["class_name"] for r in cls], [r["net_km2"] for r in cls],
                title=self.tr("Net change per class"), unit="km2"))
        return charts.write_page(path, self.tr("Land-cover transitions"), "\n".join(parts))


# ============================================================ carbon budget

class CarbonBudgetAlgorithm(AccountingAlgorithm):
    NAME = "carbonbudget"
    DISPLAY = "Carbon budget: rock-weathering sink, ECS and carbon neutral capacity"
    CLASS_OUTPUTS = {"OUTPUT_CLASS": CNC_CLASSES}
    EMISSION_UNITS = list(accounting.EMISSION_RASTER_UNITS)

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_stack("NEP", "NEP (g C m-2 yr-1; one layer, or one per year)")
        self.addParameter(QgsProcessingParameterRasterLayer(
            "RUNOFF", self.tr("Annual runoff Q (mm yr-1; one band, or one per NEP layer)")))
        self.addParameter(QgsProcessingParameterRasterLayer(
            "LITHOLOGY", self.tr("Lithology (classes)")))
        self.addParameter(QgsProcessingParameterFile(
            "COEFFICIENTS", self.tr("Rock-weathering coefficients a per lithology class "
                                    "(CSV: code, lithology, a, a_unit, source; template in "
                                    "algorithms/templates)"), extension="csv"))
        self.add_bool("MISSING_AS_ZERO", "Lithology classes without a coefficient count as 0 "
                                         "(e.g. water, ice)", False)
        self.addParameter(QgsProcessingParameterRasterLayer(
            "EMISSIONS", self.tr("Carbon emissions CE as a raster"), optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "EMISSION_UNIT", self.tr("Unit of the emission raster (per year)"),
            self.EMISSION_UNITS, defaultValue=0))
        self.add_zone_params()
        self.addParameter(QgsProcessingParameterField(
            "EMISSION_FIELD", self.tr("Emissions per zone: numeric field of the zone layer "
                                      "(instead of a raster)"),
            parentLayerParameterName="ZONES", optional=True))
        self.add_unit("ZONE_EMISSION_UNIT", "Unit of the per-zone emissions (per year)", 3)
        self.add_unit()
        self.add_output("OUTPUT_RCS", "Rock-weathering sink RCS")
        self.add_output("OUTPUT_ECS", "Ecosystem carbon sink ECS = NEP + RCS")
        self.add_output("OUTPUT_CNC", "Carbon neutral capacity CNC = ECS - CE (needs the "
                                      "emission raster)", optional=True)
        self.add_output("OUTPUT_CLASS", "Carbon surplus / deficit (needs the emission raster)",
                        optional=True)
        self.add_table("OUTPUT_TABLE", "Budget per zone (totals)")
        self.add_table("OUTPUT_LITHOLOGY", "Rock-weathering sink per lithology class",
                       optional=True)
        self.add_file_output("OUTPUT_CSV", "Budget per zone as CSV")
        self.add_file_output("OUTPUT_HTML", "Report (HTML)", "html")

    def compute(self, parameters, context, feedback, progress, memory_mb):
        nep = self.stack(parameters, "NEP", context, self.tr("NEP"))
        runoff = self.raster(parameters, "RUNOFF", context, self.tr("Runoff"), False)
        litho = self.raster(parameters, "LITHOLOGY", context, self.tr("Lithology"), False)
        coeffs = accounting.read_coefficients(
            self.parameterAsFile(parameters, "COEFFICIENTS", context))
        emissions = self.raster(parameters, "EMISSIONS", context, self.tr("Emissions"))
        zones, names = self.zones(parameters, "ZONES", "ZONE_FIELD", context, nep.grid,
                                  feedback)
        zone_em = self._zone_emissions(parameters, context, names)
        if zone_em and emissions is not None:
            raise StackError(self.tr("give the emissions either as a raster or as a field of "
                                     "the zones, not both"))
        outs = self.outputs(parameters, context, {"rcs": "OUTPUT_RCS", "ecs": "OUTPUT_ECS",
                                                  "cnc": "OUTPUT_CNC", "class": "OUTPUT_CLASS"})
        unit = self.unit(parameters, context)
        res = accounting.carbon_budget(
            nep, runoff, litho, coeffs, outs, emissions,
            self.EMISSION_UNITS[self.parameterAsEnum(parameters, "EMISSION_UNIT", context)],
            zones, names, zone_em, self.unit(parameters, context, "ZONE_EMISSION_UNIT"), unit,
            None, self.parameterAsBool(parameters, "MISSING_AS_ZERO", context), progress,
            memory_mb)
        feedback.pushInfo(self.tr("Pixel areas: {}").format(res.area_method))
        for w in res.warnings:
            self.warn(feedback, w)
        rows = res.rows()
        for r in rows:
            if r["zone_id"] == 0 or len(res.zone_names) == 1:
                feedback.pushInfo(self.tr("{} {}: NEP {:.6g} + RCS {:.6g} = ECS {:.6g}; CE {:.6g}; "
                                          "CNC {:.6g} {}").format(
                    r["zone"], r["layer"], r["nep_total"], r["rcs_total"], r["ecs_total"],
                    r["ce_total"], r["cnc_total"], unit))
        names_out = {"rcs": "OUTPUT_RCS", "ecs": "OUTPUT_ECS", "cnc": "OUTPUT_CNC",
                     "class": "OUTPUT_CLASS"}
        results = {names_out[k]: p for k, p in res.paths.items()}
        results["OUTPUT_TABLE"] = self.write_table(parameters, "OUTPUT_TABLE", context, rows)
        dest = self.write_table(parameters, "OUTPUT_LITHOLOGY", context, res.lithology)
        if dest:
            results["OUTPUT_LITHOLOGY"] = dest
        csv_path = self.file_output(parameters, "OUTPUT_CSV", context)
        if csv_path:
            results["OUTPUT_CSV"] = accounting.write_csv(csv_path, rows)
        html_path = self.file_output(parameters, "OUTPUT_HTML", context)
        if html_path:
            results["OUTPUT_HTML"] = self._report(html_path, res, rows)
        return results

    def _zone_emissions(self, parameters, context, names):
        """{zone id: summed emission} from the EMISSION_FIELD of the zones
        (features grouped by the zone name field as the zones are)."""
        field = self.parameterAsString(parameters, "EMISSION_FIELD", context).strip()
        if not field:
            return None
        source = self.parameterAsSource(parameters, "ZONES", context)
        if source is None:
            raise StackError(self.tr("an emission field needs a zone layer"))
        if source.fields().lookupField(field) < 0:
            raise StackError(self.tr("zone layer has no field '{}'").format(field))
        zf = self.parameterAsString(parameters, "ZONE_FIELD", context).strip()
        ids = {v: k for k, v in names.items()}
        out = {}
        for feat in source.getFeatures():
            geom = feat.geometry()
            if geom is None or geom.isNull() or geom.isEmpty():
                continue
            value = feat[zf] if zf else feat.id()
            label = f"feature {feat.id()}" if is_null(value) else str(value)
            zid = ids.get(label)
            if zid is None:
                continue
            v = feat[field]
            if is_null(v):
                out.setdefault(zid, None)
                continue
            try:
                v = float(v)
            except (TypeError, ValueError):
                raise StackError(self.tr("emission field '{}' has a non-numeric value '{}'")
                                 .format(field, v)) from None
            out[zid] = v if out.get(zid) is None else out[zid] + v
        return out

    def _report(self, path, res, rows):
        esc = charts.html.escape
        keys = ["zone", "layer", "budget_area_km2", "nep_total", "rcs_total", "ecs_total",
                "ce_total", "cnc_total"]
        parts = [f"<p>{esc(self.tr('Pixel areas'))}: {esc(res.area_method)}. "
                 f"{esc(self.tr('Totals in'))} {esc(res.unit)} {esc(self.tr('per year'))}; "
                 f"CE: {esc(res.ce_source)}.</p>"]
        parts += [f"<p><b>{esc(self.tr('Warning'))}:</b> {esc(w)}</p>" for w in res.warnings]
        parts.append(charts.table(keys, [[r[k] for k in keys] for r in rows]))
        last = [r for r in rows if r["layer"] == res.labels[-1]]
        parts.append(accounting_charts.svg_bars(
            [r["zone"] for r in last], [r["cnc_total"] for r in last],
            title=self.tr("Carbon neutral capacity CNC = ECS - CE ({})").format(res.labels[-1]),
            unit=res.unit))
        parts.append(accounting_charts.svg_bars(
            [r["zone"] for r in last], [r["ecs_total"] for r in last],
            title=self.tr("Ecosystem carbon sink ECS = NEP + RCS"), unit=res.unit))
        if res.lithology:
            lk = ["lithology", "lithology_name", "a", "a_unit", "area_km2", "runoff_aw_mean",
                  "rcs_total_mean", "source"]
            parts.append("<h2>" + esc(self.tr("Rock-weathering sink per lithology")) + "</h2>"
                         + charts.table(lk, [[r[k] for k in lk] for r in res.lithology]))
        return charts.write_page(path, self.tr("Carbon budget"), "\n".join(parts))


# ======================================================== sink scenario

class SinkScenarioAlgorithm(AccountingAlgorithm):
    NAME = "sinkscenario"
    DISPLAY = "Sink enhancement scenario: added sink of measures per zone"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(
            "LANDCOVER", self.tr("Land cover (classes)")))
        self.addParameter(QgsProcessingParameterFile(
            "MEASURES", self.tr("Measures (CSV: measure, class, share_pct or area_km2, rate, "
                                "rate_unit, source; template in algorithms/templates)"),
            extension="csv"))
        self.addParameter(QgsProcessingParameterFile(
            "CLASS_NAMES", self.tr("Class names: CSV with columns code,name"),
            extension="csv", optional=True))
        self.add_zone_params()
        self.add_unit()
        self.add_table("OUTPUT_TABLE", "Added sink per zone and measure")
        self.add_file_output("OUTPUT_CSV", "Added sink as CSV")
        self.add_file_output("OUTPUT_HTML", "Report (HTML)", "html")
        self.add_output("OUTPUT_RASTER", "Expected added sink density (g m-2 yr-1)",
                        optional=True)
        self.addParameter(QgsProcessingParameterNumber(
            "FIRST_YEAR", self.tr("Yearly path: first year"), INTEGER, 2021))
        self.addParameter(QgsProcessingParameterNumber(
            "TARGET_YEAR", self.tr("Yearly path: target year"), INTEGER, 2060))
        self.add_file_output("OUTPUT_PATH", "Yearly path of the added sink (CSV: central, "
                             "low, high, cumulative)")

    def compute(self, parameters, context, feedback, progress, memory_mb):
        lc = self.raster(parameters, "LANDCOVER", context, self.tr("Land cover"), False)
        first = self.parameterAsInt(parameters, "FIRST_YEAR", context)
        target = self.parameterAsInt(parameters, "TARGET_YEAR", context)
        if target < first:
            raise StackError(self.tr("the target year comes before the first year"))
        measures = accounting.read_measures(self.parameterAsFile(parameters, "MEASURES",
                                                                 context))
        zones, names = self.zones(parameters, "ZONES", "ZONE_FIELD", context, lc.grid,
                                  feedback)
        raster = self.parameterAsOutputLayer(parameters, "OUTPUT_RASTER", context) or None
        unit = self.unit(parameters, context)
        res = accounting.sink_scenario(lc, measures, zones, names,
                                       self.class_names(parameters, "CLASS_NAMES", context),
                                       unit, raster, progress, memory_mb)
        feedback.pushInfo(self.tr("Pixel areas: {}").format(res.area_method))
        for w in res.warnings:
            self.warn(feedback, w)
        rows = res.rows()
        total = [r for r in rows if r["measure"] == "All measures"][-1]
        feedback.pushInfo(self.tr("Added sink, all measures, {}: {:.6g} {} per year on "
                                  "{:.6g} km2").format(total["zone"], total["added_sink"], unit,
                                                       total["treated_area_km2"]))
        results = {"OUTPUT_TABLE": self.write_table(parameters, "OUTPUT_TABLE", context, rows)}
        if res.path:
            results["OUTPUT_RASTER"] = res.path
        path_csv = self.file_output(parameters, "OUTPUT_PATH", context)
        if path_csv:
            path_rows = res.path_rows(first, target)
            results["OUTPUT_PATH"] = accounting.write_csv(path_csv, path_rows)
            last = path_rows[-1]
            feedback.pushInfo(self.tr("{}: {} {} per year (range {} - {}); cumulative {} {}")
                              .format(target, charts.number(last["added_sink"]), unit,
                                      charts.number(last["added_low"]),
                                      charts.number(last["added_high"]),
                                      charts.number(last["cumulative"]), unit))
        csv_path = self.file_output(parameters, "OUTPUT_CSV", context)
        if csv_path:
            results["OUTPUT_CSV"] = accounting.write_csv(csv_path, rows)
        html_path = self.file_output(parameters, "OUTPUT_HTML", context)
        if html_path:
            esc = charts.html.escape
            keys = ["zone", "measure", "class_name", "class_area_km2", "treated_area_km2",
                    "treated_share_pct", "rate", "rate_unit", "added_sink", "source"]
            overall = [r for r in rows if r["zone_id"] == rows[-1]["zone_id"]
                       and r["measure"] != "All measures"]
            note = self.tr("per year; rates from the measure table (sources in the last "
                           "column).")
            body = (f"<p>{esc(self.tr('Added sink in'))} {esc(unit)} {esc(note)}</p>"
                    + charts.table(keys, [[r[k] for k in keys] for r in rows])
                    + accounting_charts.svg_bars([r["measure"] for r in overall],
                                                 [r["added_sink"] for r in overall],
                                                 title=self.tr("Added sink per measure"),
                                                 unit=unit))
            results["OUTPUT_HTML"] = charts.write_page(html_path, self.tr("Sink enhancement "
                                                                          "scenario"), body)
        return results


# ============================================================== ensemble

class EnsembleAlgorithm(AccountingAlgorithm):
    NAME = "ensemble"
    DISPLAY = "Ensemble of flux products on different grids (mean, SD, sign agreement)"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_stack("INPUTS", "Flux products (one raster or NetCDF variable each, one band "
                                 "per time step; g C m-2 per time step)", optional=True)
        self.addParameter(QgsProcessingParameterString(
            "SOURCES", self.tr("More products as GDAL names, one per line or separated by ';' "
                               "(e.g. NETCDF:\"file.nc\":nep)"), optional=True,
            multiLine=True))
        self.addParameter(QgsProcessingParameterRasterLayer(
            "REFERENCE", self.tr("Target grid: the grid of this raster"),
            optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "RESOLUTION", self.tr("Target grid: cell size over the common extent, in the CRS "
                                  "units of the first product (0 = the first product's grid)"),
            DOUBLE, 0.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterEnum(
            "TIME_STEP", self.tr("Time step of the bands"), [self.tr("years"), self.tr("months")],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "FIRST_YEAR", self.tr("Year of the first band (months: January of that year)"),
            INTEGER, 2000))
        self.addParameter(QgsProcessingParameterNumber(
            "MIN_MEMBERS", self.tr("Minimum number of valid products per pixel (0 = all)"),
            INTEGER, 0, minValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "BAND_WIDTH", self.tr("Latitude band width for the zonal-mean table (degrees; 0 = "
                                  "none)"), DOUBLE, 1.0, minValue=0.0))
        p = QgsProcessingParameterNumber(
            "MIN_COVERAGE", self.tr("Least valid share of a target cell (0-1)"), DOUBLE, 0.5,
            minValue=0.0, maxValue=1.0)
        p.setFlags(p.flags() | FLAG_ADVANCED)
        self.addParameter(p)
        p = QgsProcessingParameterString(
            "SCALES", self.tr("Unit factor per product, comma separated (e.g. 1,1,1000; "
                              "applied after the file's own scale/offset)"), optional=True)
        p.setFlags(p.flags() | FLAG_ADVANCED)
        self.addParameter(p)
        self.add_zone_params()
        self.add_species()
        self.add_unit()
        self.add_output("OUTPUT_MEAN", "Ensemble mean")
        self.add_output("OUTPUT_SD", "Ensemble standard deviation", optional=True)
        self.add_output("OUTPUT_AGREEMENT", "Sign agreement (% of products with the sign of "
                                            "the mean)", optional=True)
        self.add_output("OUTPUT_COVERAGE", "Coverage: share of each cell covered by valid "
                        "source cells, mean of the products (0-1)", optional=True)
        self.add_table("OUTPUT_TABLE", "Totals per zone and time step (members, mean, SD)")
        self.add_table("OUTPUT_SUMMARY", "Annual totals per zone (+- SD across years and "
                                         "products)")
        self.add_table("OUTPUT_SEASONAL", "Mean seasonal cycle per zone (monthly inputs)",
                       optional=True)
        self.add_table("OUTPUT_BANDS", "Latitude band x time means", optional=True)
        self.add_file_output("OUTPUT_HTML", "Report (HTML)", "html")

    def compute(self, parameters, context, feedback, progress, memory_mb):
        layers = self.parameterAsLayerList(parameters, "INPUTS", context)
        members = [open_stack(lyr.source(), lyr.name() or f"product {k + 1}")
                   for k, lyr in enumerate(layers)]
        text = self.parameterAsString(parameters, "SOURCES", context)
        for src in [v.strip() for v in text.replace(";", "\n").splitlines() if v.strip()]:
            members.append(open_stack(src, _source_name(src)))
        if len(members) < 2:
            raise StackError(self.tr("an ensemble needs at least two products"))
        names = [m.name for m in members]
        if len(set(names)) < len(names):
            for k, m in enumerate(members):
                m.name = f"{k + 1}: {m.name}"
        scales = None
        text = self.parameterAsString(parameters, "SCALES", context).strip()
        if text:
            try:
                scales = [float(v) for v in text.replace(";", ",").split(",") if v.strip()]
            except ValueError:
                raise StackError(self.tr("unit factors must be numbers separated by commas, "
                                         "not '{}'").format(text)) from None
            if len(scales) != len(members):
                raise StackError(self.tr("{} unit factors for {} products").format(
                    len(scales), len(members)))
        ref = self.raster(parameters, "REFERENCE", context, self.tr("Reference grid"))
        resolution = self.parameterAsDouble(parameters, "RESOLUTION", context) or None
        warnings = []
        target = ens_core.target_grid(members, ref, resolution, warnings)
        zones, znames = self.zones(parameters, "ZONES", "ZONE_FIELD", context, target, feedback)
        outs = self.outputs(parameters, context, {"mean": "OUTPUT_MEAN", "sd": "OUTPUT_SD",
                                                  "agreement": "OUTPUT_AGREEMENT",
                                                  "coverage": "OUTPUT_COVERAGE"})
        step = ("years", "months")[self.parameterAsEnum(parameters, "TIME_STEP", context)]
        unit = self.unit(parameters, context)
        res = ens_core.flux_ensemble(
            members, target, None, outs, zones, znames, step,
            self.parameterAsInt(parameters, "FIRST_YEAR", context), unit,
            self.species(parameters, context),
            self.parameterAsInt(parameters, "MIN_MEMBERS", context) or None,
            self.parameterAsDouble(parameters, "MIN_COVERAGE", context),
            self.parameterAsDouble(parameters, "BAND_WIDTH", context), scales,
            progress, memory_mb)
        feedback.pushInfo(self.tr("Target grid: {} x {} cells, geotransform {}").format(
            target.cols, target.rows, tuple(round(v, 9) for v in target.geotransform)))
        for k, name in enumerate(res.members):
            feedback.pushInfo(self.tr("Product m{}: {}").format(k + 1, name))
        for w in warnings + res.warnings:
            self.warn(feedback, w)
        summary = res.summary_rows()
        for r in summary:
            feedback.pushInfo(self.tr("{}: {:.6g} +- {:.4g} (years) +- {:.4g} (products) {} per "
                                      "year").format(r["zone"], r["annual_total_mean"],
                                                     r["sd_years"], r["sd_members"], unit))
        names_out = {"mean": "OUTPUT_MEAN", "sd": "OUTPUT_SD", "agreement": "OUTPUT_AGREEMENT",
                     "coverage": "OUTPUT_COVERAGE"}
        results = {names_out[k]: p for k, p in res.paths.items() if k in names_out}
        results["OUTPUT_TABLE"] = self.write_table(parameters, "OUTPUT_TABLE", context,
                                                   res.time_rows())
        results["OUTPUT_SUMMARY"] = self.write_table(parameters, "OUTPUT_SUMMARY", context,
                                                     summary)
        for name, rows in (("OUTPUT_SEASONAL", res.seasonal_rows()),
                           ("OUTPUT_BANDS", res.band_rows())):
            dest = self.write_table(parameters, name, context, rows,
                                    None if rows else ["zone"])
            if dest:
                results[name] = dest
        html_path = self.file_output(parameters, "OUTPUT_HTML", context)
        if html_path:
            results["OUTPUT_HTML"] = self._report(html_path, res, summary)
        return results

    def _report(self, path, res, summary):
        esc = charts.html.escape
        parts = [f"<p>{esc(self.tr('Products'))}: "
                 + ", ".join(f"m{k + 1} = {esc(n)}" for k, n in enumerate(res.members))
                 + f". {esc(self.tr('Totals in'))} {esc(res.unit)}.</p>"]
        parts += [f"<p><b>{esc(self.tr('Warning'))}:</b> {esc(w)}</p>" for w in res.warnings]
        keys = [k for k in summary[0] if k not in ("zone_id", "unit")]
        parts.append("<h2>" + esc(self.tr("Annual totals per zone")) + "</h2>"
                     + charts.table(keys, [[r[k] for k in keys] for r in summary]))
        z = res.zones()[-1]
        ann = res.annual(z)
        years = res._years()[:ann.shape[1]]
        if len(years) > 1:
            series = [(f"m{k + 1}", ann[k], accounting_charts.colour(k), True)
                      for k in range(len(res.members))]
            series.append((self.tr("ensemble mean"), ann[-1], "#000000", False))
            parts.append(charts.svg_lines(years, series, title=self.tr(
                "Annual total, {} ({})").format(res.zone_label(z), res.unit),
                xlabel=self.tr("year")))
        seasonal = res.seasonal_rows()
        if seasonal:
            series = []
            for k, zz in enumerate(res.zones()[:8]):
                vals = [r["mean_total"] for r in seasonal if r["zone_id"] == zz]
                series.append((res.zone_label(zz), vals, accounting_charts.colour(k), False))
            parts.append(charts.svg_lines(list(range(1, 13)), series, title=self.tr(
                "Mean seasonal cycle per zone ({} per month)").format(res.unit),
                xlabel=self.tr("month")))
        if res.bands:
            ylabels = [f"{lo:g} to {hi:g}" for lo, hi in res.bands][::-1]
            values = [[float(v) for v in res.band_mean[-1, :, b]]
                      for b in range(len(res.bands))][::-1]
            parts.append(accounting_charts.svg_heatmap(
                res.labels, ylabels, values, title=self.tr(
                    "Latitude band x time: area-weighted mean of the ensemble (flux units)")))
        return charts.write_page(path, self.tr("Ensemble of flux products"), "\n".join(parts))


# ================================================================ regrid

class RegridAlgorithm(AccountingAlgorithm):
    NAME = "regrid"
    DISPLAY = "Regrid: conservative average for fluxes, majority for classes"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(
            "INPUT", self.tr("Raster to regrid (all bands)")))
        self.addParameter(QgsProcessingParameterEnum(
            "KIND", self.tr("The values are"),
            [self.tr("fluxes or densities (area-weighted, conservative average)"),
             self.tr("classes (majority by area)")], defaultValue=0))
        self.addParameter(QgsProcessingParameterRasterLayer(
            "REFERENCE", self.tr("Target grid: the grid of this raster"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "RESOLUTION", self.tr("Target grid: cell size aligned to its multiples over the "
                                  "input's extent (CRS units; used without a reference)"),
            DOUBLE, 0.0, minValue=0.0))
        p = QgsProcessingParameterNumber(
            "MIN_COVERAGE", self.tr("Fluxes: least valid share of a target cell (0-1)"),
            DOUBLE, 0.5, minValue=0.0, maxValue=1.0)
        p.setFlags(p.flags() | FLAG_ADVANCED)
        self.addParameter(p)
        self.add_output("OUTPUT", "Regridded raster")
        self.add_output("OUTPUT_COVERAGE", "Fluxes: coverage, the share of each target cell "
                        "covered by valid input cells (0-1)", True)

    def compute(self, parameters, context, feedback, progress, memory_mb):
        src = self.raster(parameters, "INPUT", context, self.tr("Input"), False)
        ref = self.raster(parameters, "REFERENCE", context, self.tr("Reference grid"))
        resolution = self.parameterAsDouble(parameters, "RESOLUTION", context) or None
        if ref is None and not resolution:
            raise StackError(self.tr("give a reference raster or a cell size for the target "
                                     "grid"))
        warnings = []
        target = ens_core.target_grid([src], ref, resolution, warnings)
        path = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        extra = {}
        if self.parameterAsEnum(parameters, "KIND", context) == 1:
            out = ens_core.regrid_classes(src, target, path, progress=progress,
                                          memory_mb=memory_mb)
        else:
            rg_warn = []
            ens_core.Regridder(src, target, warnings=rg_warn)      # validate early
            warnings += rg_warn
            cov_path = self.parameterAsOutputLayer(parameters, "OUTPUT_COVERAGE", context)
            out = ens_core.regrid(src, target, path,
                                  self.parameterAsDouble(parameters, "MIN_COVERAGE", context),
                                  progress, memory_mb, coverage_path=cov_path or None)
            if cov_path:
                out, extra["OUTPUT_COVERAGE"] = out
        for w in warnings:
            self.warn(feedback, w)
        feedback.pushInfo(self.tr("Target grid: {} x {} cells").format(target.cols, target.rows))
        return {"OUTPUT": out, **extra}


def _source_name(src):
    """A short name of a GDAL source: file base name, plus the variable of
    a subdataset (NETCDF:"path/file.nc":var -> file:var)."""
    import os
    if src.count(":") >= 2 and src.split(":", 1)[0].isupper():
        body = src.split(":", 1)[1]
        path, _, var = body.rpartition(":")
        return f"{os.path.splitext(os.path.basename(path.strip(chr(34))))[0]}:{var}"
    return os.path.splitext(os.path.basename(src))[0]


ALGORITHMS = [PixelAreaAlgorithm, ZonalSummaryAlgorithm, TransitionMatrixAlgorithm,
              CarbonBudgetAlgorithm, SinkScenarioAlgorithm, EnsembleAlgorithm, RegridAlgorithm]
