#!/usr/bin/env python3
"""Build the Processing models shipped in models/ with the
QgsProcessingModelAlgorithm API.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_models.py [--check] [OUTDIR]

Models (ids ``carbonsink:<file name>`` once the provider lists them):

* ``zhang2025_nep_trends``: the workflow of Zhang et al. (2025): NEP from
  NPP and climate -> Theil-Sen slope and Mann-Kendall test of NEP -> Hurst
  exponent and persistence classes (with that Sen slope) -> partial
  correlation of NEP with the climate drivers.
* ``wu2023_capacity_resilience``: the workflow of Wu et al. (2023): carrying
  capacity, potential and saturation of NPP -> carbon-sink resilience per
  zone -> zonal table of CSCC and potential (``carbonsink:zonalsummary``;
  the step is added only when the provider has that algorithm, so re-run
  this script once it is registered).

The script registers the CarbonSink provider to check every child
algorithm, parameter and output name against the real algorithms, so a
renamed parameter fails here rather than in a user's model run. ``--check``
builds into a temporary folder and exits 1 when models/ is out of date.
"""
import os
import shutil
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL_DIR = os.path.join(ROOT, "models")
GROUP, GROUP_ID = "Workflows", "workflows"
CREATOR = "CarbonSink"
_KEEP = []
_TMP = []


def start_qgis():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # a throw-away QGIS profile: building models must not touch the user's
    if "QGIS_CUSTOM_CONFIG_PATH" not in os.environ:
        _TMP.append(tempfile.mkdtemp(prefix="carbonsink_qgis_"))
        os.environ["QGIS_CUSTOM_CONFIG_PATH"] = _TMP[-1]
    sys.path.insert(0, "/usr/share/qgis/python/plugins")
    from qgis.core import QgsApplication
    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing
    Processing.initialize()
    if os.path.dirname(ROOT) not in sys.path:
        sys.path.insert(0, os.path.dirname(ROOT))
    from carbonsink.provider.provider import CarbonSinkProvider
    registry = QgsApplication.processingRegistry()
    if registry.providerById("carbonsink") is None:
        _KEEP.append(CarbonSinkProvider())      # Python must keep the provider alive
        registry.addProvider(_KEEP[-1])
    _KEEP.append(app)
    return app


class Builder:
    """A model plus checks of the ids against the registered algorithms."""

    def __init__(self, name, help_content):
        from qgis.core import QgsProcessingModelAlgorithm
        self.model = QgsProcessingModelAlgorithm(name, GROUP, GROUP_ID)
        self.model.setHelpContent(help_content)
        self.n_inputs = 0

    # ------------------------------------------------------------ inputs
    def input(self, definition, help_text=""):
        from qgis.core import QgsProcessingModelParameter
        from qgis.PyQt.QtCore import QPointF
        comp = QgsProcessingModelParameter(definition.name())
        comp.setPosition(QPointF(120 + 230 * self.n_inputs, 60))
        self.n_inputs += 1
        self.model.addModelParameter(definition, comp)
        if help_text:
            content = self.model.helpContent()
            content[definition.name()] = help_text
            self.model.setHelpContent(content)
        return definition.name()

    # ------------------------------------------------------------ children
    def child(self, child_id, alg_id, description, sources, outputs, position,
              depends=()):
        """``sources``: {parameter: source or [sources]}, a source being
        ("input", name), ("child", child id, output), or a static value.
        ``outputs``: {child output: (model output name, label)}; the model's
        parameter is then called "<child id>:<name>"."""
        from qgis.core import (
            QgsApplication,
            QgsProcessingModelChildAlgorithm,
            QgsProcessingModelChildDependency,
            QgsProcessingModelOutput,
        )
        from qgis.core import QgsProcessingModelChildParameterSource as Src
        from qgis.PyQt.QtCore import QPointF
        alg = QgsApplication.processingRegistry().algorithmById(alg_id)
        if alg is None:
            raise SystemExit(f"{alg_id} is not registered: cannot build the model step "
                             f"'{child_id}'")
        params = {p.name() for p in alg.parameterDefinitions()}
        outs = {o.name() for o in alg.outputDefinitions()}
        child = QgsProcessingModelChildAlgorithm(alg_id)
        child.setChildId(child_id)
        child.setDescription(description)
        child.setPosition(QPointF(*position))
        for param, value in sources.items():
            if param not in params:
                raise SystemExit(f"{alg_id} has no parameter {param}")
            values = value if isinstance(value, list) else [value]
            srcs = []
            for v in values:
                if isinstance(v, tuple) and v[0] == "input":
                    srcs.append(Src.fromModelParameter(v[1]))
                elif isinstance(v, tuple) and v[0] == "child":
                    srcs.append(Src.fromChildOutput(v[1], v[2]))
                else:
                    srcs.append(Src.fromStaticValue(v))
            child.addParameterSources(param, srcs)
        # every other parameter with a default is written too: the modeler's
        # validation (and QGIS 3.40's model runner) treat a child parameter
        # without a source as missing, even when the algorithm has a default
        for p in alg.parameterDefinitions():
            if p.name() in sources or p.isDestination():
                continue
            if p.defaultValue() is not None:
                child.addParameterSources(p.name(), [Src.fromStaticValue(p.defaultValue())])
            elif not optional_flag(p):
                raise SystemExit(f"{alg_id}: mandatory parameter {p.name()} has no source "
                                 f"in the model step '{child_id}'")
        model_outputs = {}
        for k, (out_name, (name, label)) in enumerate(outputs.items()):
            if out_name not in outs:
                raise SystemExit(f"{alg_id} has no output {out_name}")
            out = QgsProcessingModelOutput(name, label)
            out.setChildId(child_id)
            out.setChildOutputName(out_name)
            out.setDefaultValue("TEMPORARY_OUTPUT")   # outputs not given go to temporary files
            out.setPosition(QPointF(position[0] + 260, position[1] - 40 + 32 * k))
            model_outputs[name] = out
        child.setModelOutputs(model_outputs)
        if depends:
            child.setDependencies([QgsProcessingModelChildDependency(d) for d in depends])
        self.model.addChildAlgorithm(child)
        return child_id

    def finish(self, path, order=()):
        self.model.updateDestinationParameters()
        if order and hasattr(self.model, "setParameterOrder"):
            self.model.setParameterOrder(list(order))
        if not self.model.toFile(path):
            raise SystemExit(f"cannot write {path}")
        canonical_xml(path)
        return path


def optional_flag(definition):
    from carbonsink.algorithms.compat import FLAG_OPTIONAL
    return bool(definition.flags() & FLAG_OPTIONAL)


def summary(model):
    """What a model does, independent of the QGIS version that wrote it:
    its inputs (name, type, default), and per child step the algorithm id,
    every parameter's sources and the outputs it exposes."""
    def source(src):
        kind = int(src.source()) if not hasattr(src.source(), "value") else src.source().value
        return (kind, src.parameterName(), src.outputChildId(), src.outputName(),
                repr(src.staticValue()), src.expression())
    inputs = sorted((p.name(), p.type(), repr(p.defaultValue()))
                    for p in model.parameterDefinitions() if not p.isDestination())
    children = {}
    for cid, child in model.childAlgorithms().items():
        params = {name: sorted(source(s) for s in srcs)
                  for name, srcs in child.parameterSources().items()}
        outs = sorted((name, out.childOutputName())
                      for name, out in child.modelOutputs().items())
        deps = sorted(d.childId for d in child.dependencies())
        children[cid] = (child.algorithmId(), params, outs, deps)
    return inputs, children


def load_model(path):
    from qgis.core import QgsProcessingModelAlgorithm
    model = QgsProcessingModelAlgorithm()
    if not model.fromFile(path):
        raise SystemExit(f"cannot read {path}")
    return model


def canonical_xml(path):
    """Rewrite the model with sorted attributes: Qt writes them in hash
    order, which changes from run to run."""
    import xml.etree.ElementTree as ET
    with open(path, encoding="utf-8") as f:
        text = f.read()
    head = "<!DOCTYPE model>\n" if text.startswith("<!DOCTYPE model>") else ""
    root = ET.fromstring(text[len(head):] if head else text)
    for el in root.iter():
        el.attrib = dict(sorted(el.attrib.items()))
    ET.indent(root, "  ")
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + ET.tostring(root, encoding="unicode") + "\n")


def raster_list(name, label, optional=False):
    from qgis.core import QgsProcessingParameterMultipleLayers

    from carbonsink.algorithms.compat import RASTER
    return QgsProcessingParameterMultipleLayers(name, label, RASTER, optional=optional)


def number(name, label, default, minimum=None):
    from qgis.core import QgsProcessingParameterNumber

    from carbonsink.algorithms.compat import INTEGER
    p = QgsProcessingParameterNumber(name, label, INTEGER, default)
    if minimum is not None:
        p.setMinimum(minimum)
    return p


# ======================================================================

ZHANG_HELP = {
    "ALG_DESC": (
        "The workflow of Zhang et al. (2025) on one run: net ecosystem productivity "
        "NEP = NPP - Rh per year (Rh from temperature and precipitation, Pei et al. 2009); "
        "the Theil-Sen slope and Mann-Kendall test of NEP with the nine trend classes; the "
        "Hurst exponent of NEP and the persistence classes from H and the Sen slope; the "
        "partial correlation of NEP with each climate driver, controlling for the others. "
        "Every step is a CarbonSink algorithm: open the model in the model designer to change "
        "a setting (Rh mode, Mann-Kendall variant, Hurst estimator) or to add outputs."),
    "SHORT_DESCRIPTION": "NEP -> Sen/Mann-Kendall trend -> Hurst persistence -> partial "
                         "correlation with climate (Zhang et al. 2025)",
    "ALG_CREATOR": CREATOR,
    "ALG_VERSION": "1.0",
    "ALG_HELP_CREATOR": "Source: Zhang et al. (2025); Pei et al. (2009) for Rh. See the "
                        "help of each CarbonSink algorithm for the formulas.",
}

WU_HELP = {
    "ALG_DESC": (
        "The workflow of Wu et al. (2023) on one run: carbon-sink carrying capacity CSCC (the "
        "largest annual NPP of each pixel), the potential CSCC - NPP and the saturation "
        "NPP / CSCC of the chosen year; carbon-sink resilience by probability attenuation per "
        "zone (decay fits of the share of pixels that keep their trend after the reference "
        "year, RS and level); and, when the zonal summary algorithm is installed, a table of "
        "the area-weighted totals of CSCC and potential per zone."),
    "SHORT_DESCRIPTION": "Carrying capacity -> potential -> resilience -> zonal table "
                         "(Wu et al. 2023)",
    "ALG_CREATOR": CREATOR,
    "ALG_VERSION": "1.0",
    "ALG_HELP_CREATOR": "Source: Wu et al. (2023). See the help of each CarbonSink "
                        "algorithm for the formulas.",
}


def zhang_model(path):
    b = Builder("Zhang et al. (2025): NEP, trend, persistence and climate drivers",
                ZHANG_HELP)
    npp = b.input(raster_list("npp", "Annual NPP (one raster per year in year order, or one "
                                     "multiband raster; g C m-2 yr-1)"),
                  "NPP layers in year order.")
    temp = b.input(raster_list("temperature", "Air temperature (deg C; 12 bands per year, or "
                                              "one per year)"))
    prec = b.input(raster_list("precipitation", "Precipitation (mm; 12 bands per year, or one "
                                                "per year)"))
    drivers = b.input(raster_list("drivers", "Climate drivers for the partial correlation "
                                             "(one multiband raster per driver, one band per "
                                             "year)"),
                      "For example annual mean temperature and annual precipitation.")
    first = b.input(number("first_year", "Year of the first layer", 2000))
    min_valid = b.input(number("min_valid", "Minimum number of valid years per pixel (0 = "
                                            "all years)", 0, 0))
    b.child("nep", "carbonsink:nep", "Net ecosystem productivity NEP = NPP - Rh",
            {"NPP": ("input", npp), "TEMPERATURE": ("input", temp),
             "PRECIPITATION": ("input", prec), "FIRST_YEAR": ("input", first), "MODE": 0},
            {"OUTPUT_NEP": ("NEP", "NEP (g C m-2 yr-1, one band per year)"),
             "OUTPUT_CLASS": ("SINK_CLASS", "Carbon sink or source (mean NEP)")},
            (120, 220))
    nep = ("child", "nep", "OUTPUT_NEP")
    b.child("senmk", "carbonsink:senmk", "Sen slope and Mann-Kendall test of NEP",
            {"INPUT": nep, "FIRST_YEAR": ("input", first), "MIN_VALID": ("input", min_valid),
             "METHOD": 0},
            {"OUTPUT_SLOPE": ("SLOPE", "NEP Sen slope (per year)"),
             "OUTPUT_P": ("P", "NEP Mann-Kendall p"),
             "OUTPUT_CLASS": ("TREND_CLASS", "NEP trend classes")}, (120, 400))
    b.child("hurst", "carbonsink:hurst", "Hurst exponent and persistence of NEP",
            {"INPUT": nep, "FIRST_YEAR": ("input", first), "MIN_VALID": ("input", min_valid),
             "METHOD": 0, "SLOPE": ("child", "senmk", "OUTPUT_SLOPE"),
             "SIGNIFICANT_ONLY": False},
            {"OUTPUT_H": ("H", "NEP Hurst exponent"),
             "OUTPUT_PERSISTENCE": ("PERSISTENCE", "NEP persistence classes")},
            (520, 400))
    b.child("partialcorrelation", "carbonsink:partialcorrelation",
            "Partial correlation of NEP with the climate drivers",
            {"INPUT": nep, "DRIVERS": ("input", drivers), "FIRST_YEAR": ("input", first),
             "MIN_VALID": ("input", min_valid), "ALPHA": 0.05},
            {"OUTPUT_R": ("R", "Partial correlation r (one band per driver)"),
             "OUTPUT_P": ("P", "Partial correlation p (one band per driver)"),
             "OUTPUT_CLASS": ("CLASS", "Partial correlation classes (one band per driver)")},
            (520, 220))
    return b.finish(path, [npp, temp, prec, drivers, first, min_valid])


def wu_model(path, with_zonal):
    from qgis.core import QgsProcessingParameterFeatureSource, QgsProcessingParameterField

    from carbonsink.algorithms.compat import VECTOR_POLYGON
    b = Builder("Wu et al. (2023): carrying capacity, potential and resilience", WU_HELP)
    npp = b.input(raster_list("npp", "Annual NPP (one raster per year in year order, or one "
                                     "multiband raster; g C m-2 yr-1)"))
    first = b.input(number("first_year", "Year of the first layer", 2000))
    ref = b.input(number("reference_year", "Reference year t' of the resilience (Wu et al. "
                                           "2023: 2000)", 2000))
    zones = b.input(QgsProcessingParameterFeatureSource(
        "zones", "Zones (polygons; empty = the whole valid area)", [VECTOR_POLYGON],
        optional=True))
    field = b.input(QgsProcessingParameterField(
        "zone_field", "Zone name field", parentLayerParameterName="zones", optional=True))
    min_valid = b.input(number("min_valid", "Minimum number of valid years per pixel (0 = "
                                            "all years)", 0, 0))
    b.child("capacity", "carbonsink:carryingcapacity",
            "Carrying capacity CSCC, potential and saturation",
            {"INPUT": ("input", npp), "FIRST_YEAR": ("input", first),
             "MIN_VALID": ("input", min_valid), "ALL_YEARS": False},
            {"OUTPUT_CSCC": ("CSCC", "Carrying capacity CSCC (g C m-2 yr-1)"),
             "OUTPUT_PEAK_YEAR": ("PEAK_YEAR", "Peak year"),
             "OUTPUT_POTENTIAL": ("POTENTIAL", "Potential CSCC - NPP (g C m-2 yr-1)"),
             "OUTPUT_SATURATION": ("SATURATION", "Saturation NPP / CSCC (%)")}, (120, 220))
    b.child("resilience", "carbonsink:resilience", "Carbon-sink resilience per zone",
            {"INPUT": ("input", npp), "FIRST_YEAR": ("input", first),
             "REFERENCE_YEAR": ("input", ref), "ZONES": ("input", zones),
             "ZONE_FIELD": ("input", field), "MIN_VALID": ("input", min_valid), "METHOD": 0},
            {"OUTPUT_SUMMARY": ("SUMMARY", "Resilience summary (one row per zone)"),
             "OUTPUT_TABLE": ("TABLE", "Resilience table (one row per zone and year)"),
             "OUTPUT_REPORT": ("REPORT", "Resilience report (decay curves and fits)")}, (520, 220))
    if with_zonal:
        b.child("zonal", "carbonsink:zonalsummary", "Totals of CSCC and potential per zone",
                {"INPUT": [("child", "capacity", "OUTPUT_CSCC"),
                           ("child", "capacity", "OUTPUT_POTENTIAL")],
                 "LAYERS": 1, "ZONES": ("input", zones), "ZONE_FIELD": ("input", field)},
                {"OUTPUT_SUMMARY": ("SUMMARY", "Totals of CSCC and potential per zone")},
                (120, 420))
    return b.finish(path, [npp, first, ref, zones, field, min_valid])


MODELS = {"zhang2025_nep_trends": lambda p, z: zhang_model(p),
          "wu2023_capacity_resilience": wu_model}


def build(outdir):
    from qgis.core import QgsApplication
    with_zonal = QgsApplication.processingRegistry().algorithmById(
        "carbonsink:zonalsummary") is not None
    os.makedirs(outdir, exist_ok=True)
    paths = [MODELS[name](os.path.join(outdir, name + ".model3"), with_zonal)
             for name in MODELS]
    if not with_zonal:
        print("carbonsink:zonalsummary is not registered: the Wu et al. (2023) model has no "
              "zonal table step (re-run this script once it is)")
    return paths


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if not a.startswith("--")]
    app = start_qgis()  # noqa: F841 - keep the application alive
    if check:
        with tempfile.TemporaryDirectory() as tmp:
            stale = []
            for path in build(tmp):
                shipped = os.path.join(MODEL_DIR, os.path.basename(path))
                # compare what the models do, not the XML (which differs
                # between QGIS versions: attribute sets, enum spellings)
                if not os.path.exists(shipped) or \
                        summary(load_model(path)) != summary(load_model(shipped)):
                    stale.append(os.path.basename(path))
            print("models out of date: " + ", ".join(stale) if stale else "models up to date")
            code = 1 if stale else 0
    else:
        for path in build(args[0] if args else MODEL_DIR):
            print(os.path.relpath(path, ROOT))
        code = 0
    sys.stdout.flush()
    for path in _TMP:
        shutil.rmtree(path, ignore_errors=True)
    os._exit(code)      # skip QGIS teardown at exit (it can abort the interpreter)


if __name__ == "__main__":
    main(sys.argv[1:])
