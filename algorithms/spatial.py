"""Spatial statistics: carbonsink:moran, lisa, hotspots, gini (methods.md 10, 11).

Thin wrappers over core.spatial, core.weights and core.gini. Every algorithm
takes either a raster layer (+ band) or a vector layer (+ numeric field):
exactly one of the two. Raster units are the valid pixels with rook or queen
contiguity (streamed by the core); vector units are the features with a
non-NULL value, with queen / rook contiguity (polygons), k nearest
neighbours or a distance band (centroids, projected CRS only).
"""
import math

import numpy as np
from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFeature,
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterBand,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsRendererCategory,
    QgsSymbol,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor

from ..core.classes import HOTSPOT_CLASSES, LISA_CLASSES, QUADRANT_CLASSES
from ..core.errors import InputError
from ..core.fdr import fdr_bh
from ..core.gini import GINI_METHODS, gini, gini_band
from ..core.io import RasterStack, scan_blocks
from ..core.progress import Canceled
from ..core.spatial import (
    cluster_class,
    getis_ord,
    getis_ord_rasters,
    hotspot_class,
    lisa_rasters,
    local_moran,
    moran,
    moran_raster,
)
from ..core.weights import contiguity_weights, distance_band_weights, knn_weights
from . import styles
from .base import CarbonSinkAlgorithm, is_null
from .compat import (
    DOUBLE,
    FLAG_ADVANCED,
    INTEGER,
    VECTOR_POLYGON,
    VECTOR_TABLE,
    _pick,
    field,
    is_polygon,
    no_geometry,
    table_fields,
)

VECTOR_ANY = _pick("ProcessingSourceType", "VectorAnyGeometry", QgsProcessing,
                   "TypeVectorAnyGeometry")
NUMERIC = _pick("ProcessingFieldParameterDataType", "Numeric", QgsProcessingParameterField,
                "Numeric")

WEIGHT_KEYS = ["queen", "rook", "knn", "distance"]
RASTER_WEIGHT_LABELS = ["Queen contiguity (shared vertex; rasters: 8 neighbours)",
                        "Rook contiguity (shared edge; rasters: 4 neighbours)"]
VECTOR_WEIGHT_LABELS = ["k nearest neighbours (vector only)", "Distance band (vector only)"]
WEIGHT_LABELS = RASTER_WEIGHT_LABELS + VECTOR_WEIGHT_LABELS
TRANSFORMS = ["r", "b"]
TRANSFORM_LABELS = ["Row-standardised (r)", "Binary (b)"]


MORAN_FIELDS = [("I", "double"), ("EI", "double"), ("VI_norm", "double"),
                ("z_norm", "double"), ("p_norm", "double"), ("VI_rand", "double"),
                ("z_rand", "double"), ("p_rand", "double"), ("p_sim", "double"),
                ("n", "int"), ("islands", "int")]
GINI_FIELDS = [("zone", "string"), ("n", "int"), ("p_deficit", "double"),
               ("p_neutral", "double"), ("p_surplus", "double"), ("gini", "double"),
               ("gini_deficit", "double"), ("gini_surplus", "double"), ("band", "string"),
               ("note", "string")]


def _num(v):
    """float, or None (NULL) for NaN."""
    v = float(v)
    return None if math.isnan(v) else v


def categorized_renderer(geometry_type, field_name, classes):
    """QgsCategorizedSymbolRenderer on ``field_name`` with (code, colour, label)."""
    cats = []
    for code, colour, label in classes:
        sym = QgsSymbol.defaultSymbol(geometry_type)
        sym.setColor(QColor(colour))
        cats.append(QgsRendererCategory(code, sym, styles._tr(label)))
    return QgsCategorizedSymbolRenderer(field_name, cats)


class CategorizedPostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Gives a vector output loaded on completion a categorized renderer."""
    _alive = []  # QGIS does not own the Python object: keep it referenced

    def __init__(self, field_name, classes):
        super().__init__()
        self.field_name, self.classes = field_name, classes

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        if isinstance(layer, QgsVectorLayer) and layer.isValid():
            layer.setRenderer(categorized_renderer(layer.geometryType(), self.field_name,
                                                   self.classes))
            layer.triggerRepaint()

    @classmethod
    def create(cls, field_name, classes):
        inst = cls(field_name, classes)
        cls._alive.append(inst)
        return inst


class _Units:
    """The features of a vector input: all of them (for copies) and the
    units (non-NULL value) with their values and geometries."""

    def __init__(self, source, field_name, feedback):
        self.source = source
        self.features, self.unit_of, values, self.wkb, self.centroids = [], [], [], [], []
        missing = 0
        for feat in source.getFeatures():
            if feedback.isCanceled():
                raise Canceled("canceled by the user")
            self.features.append(QgsFeature(feat))
            v = feat[field_name]
            geom = feat.geometry()
            try:
                v = None if is_null(v) else float(v)
            except (TypeError, ValueError):
                v = None
            if v is None or not math.isfinite(v) or geom is None or geom.isNull() \
                    or geom.isEmpty():
                missing += 1
                self.unit_of.append(-1)
                continue
            self.unit_of.append(len(values))
            values.append(v)
            self.wkb.append(bytes(geom.asWkb()))
            c = geom.centroid().asPoint()
            self.centroids.append((c.x(), c.y()))
        self.values = np.asarray(values, dtype=np.float64)
        self.fids = [f.id() for f, u in zip(self.features, self.unit_of) if u >= 0]
        self.missing = missing
        if missing:
            feedback.pushInfo(f"{missing} feature(s) with a NULL (or non-numeric) value of "
                              f"'{field_name}' or without geometry are left out")


class _SpatialAlgorithm(CarbonSinkAlgorithm):
    GROUP = "Spatial statistics"
    GROUP_ID = "spatial"
    VECTOR_WEIGHTS = True           # offer knn / distance band
    TRANSFORM = True

    # ------------------------------------------------------------ params
    def add_inputs(self, field_label="Numeric field of the vector layer"):
        self.addParameter(QgsProcessingParameterRasterLayer(
            "RASTER", self.tr("Raster layer (give either this or a vector layer)"),
            optional=True))
        self.addParameter(QgsProcessingParameterBand(
            "BAND", self.tr("Band"), 1, "RASTER", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "VECTOR", self.tr("Vector layer (give either this or a raster layer)"),
            [VECTOR_ANY], optional=True))
        self.addParameter(QgsProcessingParameterField(
            "FIELD", self.tr(field_label), parentLayerParameterName="VECTOR", type=NUMERIC,
            optional=True))

    def add_weights(self):
        self.addParameter(QgsProcessingParameterEnum(
            "WEIGHTS", self.tr("Spatial weights"),
            [self.tr(label) for label in RASTER_WEIGHT_LABELS]
            + ([self.tr(vlabel) for vlabel in VECTOR_WEIGHT_LABELS] if self.VECTOR_WEIGHTS else []),
            defaultValue=0))
        if self.VECTOR_WEIGHTS:
            self.addParameter(QgsProcessingParameterNumber(
                "K", self.tr("Number of nearest neighbours (k nearest neighbours)"), INTEGER,
                8, minValue=1))
            self.addParameter(QgsProcessingParameterNumber(
                "THRESHOLD", self.tr("Distance band threshold (layer units; distance band)"),
                DOUBLE, None, optional=True, minValue=0.0))
        if self.TRANSFORM:
            self.addParameter(QgsProcessingParameterEnum(
                "TRANSFORM", self.tr("Weights transform"),
                [self.tr(tlabel) for tlabel in TRANSFORM_LABELS], defaultValue=0))

    def add_permutations(self, minimum=0):
        from ..core.spatial import MAX_PERMUTATIONS
        from ..provider.settings import permutations  # the Processing option's default
        self.addParameter(QgsProcessingParameterNumber(
            "PERMUTATIONS", self.tr("Permutations (pseudo p-values)"), INTEGER,
            min(max(permutations(), minimum), MAX_PERMUTATIONS), minValue=minimum,
            maxValue=MAX_PERMUTATIONS))
        p = QgsProcessingParameterNumber("SEED", self.tr("Random seed (empty = random)"),
                                         INTEGER, None, optional=True)
        p.setFlags(p.flags() | FLAG_ADVANCED)
        self.addParameter(p)

    # ------------------------------------------------------------ readers
    def read_input(self, parameters, context, feedback):
        """("raster", (stack, band)) or ("vector", _Units)."""
        layer = self.parameterAsRasterLayer(parameters, "RASTER", context)
        source = self.parameterAsSource(parameters, "VECTOR", context)
        if (layer is None) == (source is None):
            raise InputError(self.tr("give exactly one input: either a raster layer or a "
                                     "vector layer with a numeric field"))
        if layer is not None:
            band = self.parameterAsInt(parameters, "BAND", context) or 1
            stack = RasterStack(layer.source(), name=layer.name())
            if not 1 <= band <= stack.n:
                raise InputError(self.tr("{} has {} band(s): band {} does not exist")
                                 .format(layer.name(), stack.n, band))
            return "raster", (stack, band)
        name = self.parameterAsString(parameters, "FIELD", context).strip()
        if not name:
            raise InputError(self.tr("choose the numeric field of the vector layer"))
        if source.fields().lookupField(name) < 0:
            raise InputError(self.tr("the vector layer has no field '{}'").format(name))
        units = _Units(source, name, feedback)
        if units.values.size < 3:
            raise InputError(self.tr("{} feature(s) with a value: at least 3 are needed")
                             .format(units.values.size))
        return "vector", units

    def weights_kind(self, parameters, context):
        return WEIGHT_KEYS[self.parameterAsEnum(parameters, "WEIGHTS", context)]

    def raster_contiguity(self, parameters, context):
        kind = self.weights_kind(parameters, context)
        if kind not in ("queen", "rook"):
            raise InputError(self.tr("raster input: use queen or rook contiguity (k nearest "
                                     "neighbours and distance bands are for vector layers)"))
        return kind

    def vector_weights(self, parameters, context, units, feedback):
        kind = self.weights_kind(parameters, context)
        src = units.source
        if kind in ("queen", "rook"):
            if not is_polygon(src.wkbType()):
                raise InputError(self.tr("{} contiguity needs polygons; use k nearest "
                                         "neighbours or a distance band for points and lines")
                                 .format(kind))
            w = contiguity_weights(units.wkb, kind)
            feedback.pushInfo(self.tr("Weights: {} contiguity").format(kind))
            return w
        coords = np.asarray(units.centroids, dtype=np.float64)
        if kind == "knn":
            k = self.parameterAsInt(parameters, "K", context)
            if k >= coords.shape[0]:
                raise InputError(self.tr("k = {} nearest neighbours needs more than {} "
                                         "features").format(k, k))
            feedback.pushInfo(self.tr("Weights: {} nearest neighbours of the centroids")
                              .format(k))
            return knn_weights(coords, k)
        crs = src.sourceCrs()
        if crs.isValid() and crs.isGeographic():
            raise InputError(self.tr("a distance band needs a projected CRS: the layer is in "
                                     "{} (degrees); reproject it first (e.g. to a UTM or "
                                     "equal-area CRS)").format(crs.authid() or crs.description()))
        if parameters.get("THRESHOLD") is None:
            raise InputError(self.tr("give the distance band threshold"))
        t = self.parameterAsDouble(parameters, "THRESHOLD", context)
        if not t > 0:
            raise InputError(self.tr("the distance band threshold must be positive"))
        feedback.pushInfo(self.tr("Weights: distance band {:g} between centroids").format(t))
        return distance_band_weights(coords, t)

    def transform(self, parameters, context):
        return TRANSFORMS[self.parameterAsEnum(parameters, "TRANSFORM", context)]

    def seed(self, parameters, context):
        if parameters.get("SEED") is None:
            return None
        return self.parameterAsInt(parameters, "SEED", context)

    # ------------------------------------------------------------ logging
    def raster_outputs(self, parameters, context, feedback, default):
        """The raster outputs asked for; none asked (the dialog's default on
        a raster input): the ``default`` output goes to a temporary file that
        opens in the project, instead of an error on the first Run."""
        out = self.outputs(parameters, context, self.RASTERS)
        if out:
            return out
        from qgis.core import QgsProcessingContext, QgsProcessingUtils
        path = QgsProcessingUtils.generateTempFilename(f"{self.NAME}_{default}.tif")
        details = QgsProcessingContext.LayerDetails(self.tr(self.DISPLAY), context.project(),
                                                    self.RASTERS[default])
        context.addLayerToLoadOnCompletion(path, details)
        feedback.pushInfo(self.tr("No raster output was chosen: the {} raster is written to a "
                                  "temporary file").format(default))
        return {default: path}

    def log_islands(self, feedback, islands, units=None, cols=None):
        islands = np.asarray(islands)
        if islands.size == 0:
            return
        if units is not None:
            ids = [str(units.fids[i]) for i in islands[:20]]
            what = self.tr("feature ids")
        else:
            ids = [f"(row {i // cols}, col {i % cols})" for i in islands[:20]]
            what = self.tr("pixels")
        more = self.tr(" and {} more").format(islands.size - 20) if islands.size > 20 else ""
        feedback.pushInfo(self.tr("{} island(s) without neighbours left out, {}: {}{}")
                          .format(islands.size, what, ", ".join(ids), more))

    # ------------------------------------------------------------ vector copy
    def copy_sink(self, parameters, context, units, spec):
        fields = units.source.fields()
        for name, _ in spec:
            if fields.lookupField(name) >= 0:
                raise InputError(self.tr("the input layer already has a field '{}': rename "
                                         "it first").format(name))
        out = type(fields)(fields)
        for name, kind in spec:
            out.append(field(name, kind))
        return self.parameterAsSink(parameters, "OUTPUT", context, out, units.source.wkbType(),
                                    units.source.sourceCrs())

    def write_copy(self, sink, units, columns, feedback):
        """columns: list of per-unit arrays (NaN / -128 for units left out)."""
        for feat, u in zip(units.features, units.unit_of):
            if feedback.isCanceled():
                raise Canceled("canceled by the user")
            extra = [None] * len(columns)
            if u >= 0:
                for j, col in enumerate(columns):
                    v = col[u]
                    if np.issubdtype(col.dtype, np.integer):
                        extra[j] = None if v == -128 else int(v)
                    else:
                        extra[j] = _num(v)
            f = QgsFeature(feat)
            f.setAttributes(list(feat.attributes()) + extra)
            sink.addFeature(f, QgsFeatureSink.Flag.FastInsert)

    def style_copy(self, context, dest_id, field_name, classes):
        if dest_id and context.willLoadLayerOnCompletion(dest_id):
            details = context.layerToLoadOnCompletionDetails(dest_id)
            details.setPostProcessor(CategorizedPostProcessor.create(field_name, classes))


# ====================================================================== Moran
class MoranAlgorithm(_SpatialAlgorithm):
    NAME = "moran"
    DISPLAY = "Global Moran's I (spatial autocorrelation)"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_inputs()
        self.add_weights()
        self.add_permutations()
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Moran's I (table)"), VECTOR_TABLE))

    def compute(self, parameters, context, feedback, progress, memory_mb):
        kind, data = self.read_input(parameters, context, feedback)
        t = self.transform(parameters, context)
        r = self.parameterAsInt(parameters, "PERMUTATIONS", context)
        seed = self.seed(parameters, context)
        if kind == "raster":
            stack, band = data
            res = moran_raster(stack, self.raster_contiguity(parameters, context), t, r, seed,
                               band=band, progress=progress, memory_mb=memory_mb)
            self.log_islands(feedback, res.islands, cols=stack.grid.cols)
        else:
            w = self.vector_weights(parameters, context, data, feedback)
            res = moran(data.values, w, permutations=r, seed=seed, transform=t,
                        progress=progress)
            self.log_islands(feedback, res.islands, units=data)
        row = [res.I, res.EI, res.VI_norm, res.z_norm, res.p_norm, res.VI_rand, res.z_rand,
               res.p_rand, res.p_sim]
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context,
                                          table_fields(MORAN_FIELDS), no_geometry())
        f = QgsFeature()
        f.setAttributes([_num(v) for v in row] + [int(res.n), len(res.islands)])
        sink.addFeature(f, QgsFeatureSink.Flag.FastInsert)
        feedback.pushInfo(
            self.tr("Moran's I = {:.6g}, E[I] = {:.6g}; normality: Var = {:.6g}, z = {:.4f}, "
                    "p = {:.4g}; randomisation: Var = {:.6g}, z = {:.4f}, p = {:.4g}")
            .format(res.I, res.EI, res.VI_norm, res.z_norm, res.p_norm, res.VI_rand,
                    res.z_rand, res.p_rand))
        if r:
            feedback.pushInfo(self.tr("Permutations: {}, seed {}, pseudo p = {:.4g}")
                              .format(r, res.seed, res.p_sim))
        feedback.pushInfo(self.tr("n = {} units, {} island(s), transform {}")
                          .format(res.n, len(res.islands), t))
        return {"OUTPUT": dest}


# ====================================================================== LISA
class LisaAlgorithm(_SpatialAlgorithm):
    NAME = "lisa"
    DISPLAY = "Local Moran's I (LISA clusters)"
    CLASS_OUTPUTS = {"OUTPUT_CLUSTER": LISA_CLASSES, "OUTPUT_Q": QUADRANT_CLASSES}
    RASTERS = {"Is": "OUTPUT_I", "q": "OUTPUT_Q", "p_sim": "OUTPUT_P", "cluster": "OUTPUT_CLUSTER"}

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_inputs()
        self.add_weights()
        self.add_permutations(minimum=1)
        self.addParameter(QgsProcessingParameterNumber(
            "ALPHA", self.tr("Significance level of the cluster map"), DOUBLE, 0.05,
            minValue=1e-6, maxValue=0.5))
        self.add_bool("FDR", "Benjamini-Hochberg false discovery rate correction of the "
                             "pseudo p-values")
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("LISA (vector input: copy with lisa_I, lisa_q, lisa_p, "
                              "lisa_cluster)"), optional=True, createByDefault=True))
        for param, label in (("OUTPUT_I", "Local I (raster input)"),
                             ("OUTPUT_Q", "Quadrant 1 HH, 2 LH, 3 LL, 4 HL (raster input)"),
                             ("OUTPUT_P", "Pseudo p-value (raster input)"),
                             ("OUTPUT_CLUSTER", "Cluster map (raster input)")):
            self.add_output(param, label, optional=True)

    def compute(self, parameters, context, feedback, progress, memory_mb):
        kind, data = self.read_input(parameters, context, feedback)
        t = self.transform(parameters, context)
        r = self.parameterAsInt(parameters, "PERMUTATIONS", context)
        seed = self.seed(parameters, context)
        alpha = self.parameterAsDouble(parameters, "ALPHA", context)
        fdr = self.parameterAsBool(parameters, "FDR", context)
        if kind == "raster":
            stack, band = data
            out = self.raster_outputs(parameters, context, feedback, "cluster")
            paths, info = lisa_rasters(stack, out, self.raster_contiguity(parameters, context),
                                       t, r, seed, alpha=alpha, fdr=fdr, band=band,
                                       progress=progress, memory_mb=memory_mb)
            self.log_islands(feedback, info.islands, cols=stack.grid.cols)
            feedback.pushInfo(self.tr("n = {} pixels, {} permutations, seed {}{}")
                              .format(info.n, info.permutations, info.seed,
                                      self.tr("; pool sampled (large raster)")
                                      if info.sampled else ""))
            return {self.RASTERS[k]: v for k, v in paths.items()}
        w = self.vector_weights(parameters, context, data, feedback)
        res = local_moran(data.values, w, permutations=r, seed=seed, transform=t,
                          progress=progress)
        cls = cluster_class(res.q, res.p_sim, alpha=alpha, fdr=fdr)
        self.log_islands(feedback, res.islands, units=data)
        sink, dest = self.copy_sink(parameters, context, data,
                                    [("lisa_I", "double"), ("lisa_q", "int"),
                                     ("lisa_p", "double"), ("lisa_cluster", "int")])
        if sink is None:
            raise InputError(self.tr("vector input: choose the LISA vector output"))
        self.write_copy(sink, data, [res.Is, res.q, res.p_sim, cls], feedback)
        counts = {label: int((cls == code).sum()) for code, _, label in LISA_CLASSES}
        feedback.pushInfo(self.tr("n = {}, {} permutations, seed {}; clusters at alpha {}{}: {}")
                          .format(res.n, r, res.seed, alpha, " (FDR)" if fdr else "",
                                  ", ".join(f"{k} {v}" for k, v in counts.items())))
        self.style_copy(context, dest, "lisa_cluster", LISA_CLASSES)
        return {"OUTPUT": dest}


# ================================================================== hotspots
class HotspotsAlgorithm(_SpatialAlgorithm):
    NAME = "hotspots"
    DISPLAY = "Hot and cold spots (Getis-Ord Gi*)"
    TRANSFORM = False
    CLASS_OUTPUTS = {"OUTPUT_CLASS": HOTSPOT_CLASSES}
    RASTERS = {"z": "OUTPUT_Z", "p": "OUTPUT_P", "class": "OUTPUT_CLASS"}

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_inputs()
        self.add_weights()
        self.add_bool("FDR", "Classes from Benjamini-Hochberg FDR q-values instead of p")
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Hot spots (vector input: copy with gi_z, gi_p, gi_class)"),
            optional=True, createByDefault=True))
        for param, label in (("OUTPUT_Z", "Gi* z-score (raster input)"),
                             ("OUTPUT_P", "Gi* p-value (raster input)"),
                             ("OUTPUT_CLASS", "Hot and cold spot classes (raster input)")):
            self.add_output(param, label, optional=True)

    def compute(self, parameters, context, feedback, progress, memory_mb):
        kind, data = self.read_input(parameters, context, feedback)
        fdr = self.parameterAsBool(parameters, "FDR", context)
        if kind == "raster":
            stack, band = data
            out = self.raster_outputs(parameters, context, feedback, "class")
            paths, info = getis_ord_rasters(stack, out,
                                            self.raster_contiguity(parameters, context),
                                            fdr=fdr, band=band, progress=progress,
                                            memory_mb=memory_mb)
            self.log_islands(feedback, info.islands, cols=stack.grid.cols)
            feedback.pushInfo(self.tr("n = {} pixels, mean {:.6g}, sd {:.6g}")
                              .format(info.n, info.mean, info.std))
            return {self.RASTERS[k]: v for k, v in paths.items()}
        w = self.vector_weights(parameters, context, data, feedback)
        feedback.pushInfo(self.tr("Gi* uses binary weights with each unit its own neighbour"))
        res = getis_ord(data.values, w, star=True)
        cls = hotspot_class(res.z, fdr_bh(res.pvalue) if fdr else res.pvalue)
        self.log_islands(feedback, res.islands, units=data)
        sink, dest = self.copy_sink(parameters, context, data,
                                    [("gi_z", "double"), ("gi_p", "double"), ("gi_class", "int")])
        if sink is None:
            raise InputError(self.tr("vector input: choose the hot spot vector output"))
        self.write_copy(sink, data, [res.z, res.pvalue, cls], feedback)
        feedback.pushInfo(self.tr("n = {}; classes: {}").format(
            res.n, ", ".join(f"{label} {int((cls == code).sum())}"
                             for code, _, label in HOTSPOT_CLASSES)))
        self.style_copy(context, dest, "gi_class", HOTSPOT_CLASSES)
        return {"OUTPUT": dest}


# ====================================================================== Gini
class GiniAlgorithm(_SpatialAlgorithm):
    NAME = "gini"
    DISPLAY = "Gini coefficient per zone"
    METHOD_LABELS = ["Standard (non-negative values)",
                     "Raffinetti-Siletti-Vernizzi normalised (negative values allowed)",
                     "Segmented: deficit / neutral / surplus (Zhang2022)"]

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_inputs("Numeric field of the vector layer (the units' values)")
        self.addParameter(QgsProcessingParameterFeatureSource(
            "ZONES", self.tr("Zones for a raster input (polygons; empty = all valid pixels)"),
            [VECTOR_POLYGON], optional=True))
        self.addParameter(QgsProcessingParameterField(
            "ZONE_FIELD", self.tr("Zone name field"), parentLayerParameterName="ZONES",
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            "GROUP_FIELD", self.tr("Zone field of the vector layer (empty = one zone)"),
            parentLayerParameterName="VECTOR", optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "METHOD", self.tr("Method"), [self.tr(t) for t in self.METHOD_LABELS],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Gini per zone (table)"), VECTOR_TABLE))

    def compute(self, parameters, context, feedback, progress, memory_mb):
        layer = self.parameterAsRasterLayer(parameters, "RASTER", context)
        source = self.parameterAsSource(parameters, "VECTOR", context)
        if (layer is None) == (source is None):
            raise InputError(self.tr("give exactly one input: either a raster layer (with "
                                     "optional zone polygons) or a vector layer with a "
                                     "numeric field"))
        method = GINI_METHODS[self.parameterAsEnum(parameters, "METHOD", context)]
        if layer is not None:
            groups = self.raster_groups(parameters, context, feedback, progress, memory_mb,
                                        layer)
        else:
            groups = self.vector_groups(parameters, context, feedback, source)
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context,
                                          table_fields(GINI_FIELDS), no_geometry())
        for name, values in groups:
            progress.check()
            row, note = [name, int(values.size)] + [None] * 6, ""
            if values.size == 0:
                note = self.tr("no valid value")
            else:
                try:
                    g = gini(values, method)
                except ValueError as exc:
                    if method == "standard" and (values < 0).any():
                        raise InputError(self.tr("zone {}: {}").format(name, exc)) from None
                    note = str(exc)
                else:
                    neg, pos = int((values < 0).sum()), int((values > 0).sum())
                    n = values.size
                    row[2:8] = [neg / n, (n - neg - pos) / n, pos / n, _num(g.gini),
                                _num(g.gini_deficit), _num(g.gini_surplus)]
            band = gini_band(row[5]) if row[5] is not None else ""
            f = QgsFeature()
            f.setAttributes(row + [band, note])
            sink.addFeature(f, QgsFeatureSink.Flag.FastInsert)
            feedback.pushInfo(self.tr("{}: n = {}, Gini = {} {}").format(
                name, values.size, "-" if row[5] is None else f"{row[5]:.4f}",
                f"({band})" if band else note))
        return {"OUTPUT": dest}

    def vector_groups(self, parameters, context, feedback, source):
        name = self.parameterAsString(parameters, "FIELD", context).strip()
        if not name or source.fields().lookupField(name) < 0:
            raise InputError(self.tr("choose the numeric field of the vector layer"))
        group = self.parameterAsString(parameters, "GROUP_FIELD", context).strip()
        groups, missing = {}, 0
        for feat in source.getFeatures():
            if feedback.isCanceled():
                raise Canceled("canceled by the user")
            v = feat[name]
            try:
                v = None if is_null(v) else float(v)
            except (TypeError, ValueError):
                v = None
            if v is None or not math.isfinite(v):
                missing += 1
                continue
            key = self.tr("all features")
            if group:
                gv = feat[group]
                key = "NULL" if is_null(gv) else str(gv)
            groups.setdefault(key, []).append(v)
        if missing:
            feedback.pushInfo(self.tr("{} feature(s) with a NULL value left out").format(missing))
        return [(k, np.asarray(v)) for k, v in sorted(groups.items())]

    def raster_groups(self, parameters, context, feedback, progress, memory_mb, layer):
        """Valid pixel values per zone, collected block by block. Keeps 8 bytes
        per valid pixel inside the zones; refuses beyond the memory setting."""
        band = self.parameterAsInt(parameters, "BAND", context) or 1
        stack = RasterStack(layer.source(), name=layer.name())
        if not 1 <= band <= stack.n:
            raise InputError(self.tr("{} has {} band(s): band {} does not exist")
                             .format(layer.name(), stack.n, band))
        zones, names = self.zones(parameters, "ZONES", "ZONE_FIELD", context, stack.grid,
                                  feedback)
        budget = int(memory_mb) * 2**20
        parts = {z: [] for z in names}
        used = [0]
        stacks = {"y": stack}
        if zones is not None:
            stacks["z"] = zones

        def func(a):
            y = a["y"][band - 1]
            z = np.nan_to_num(a["z"][0], nan=0.0).astype(np.int64) if zones is not None \
                else np.ones(y.shape, dtype=np.int64)
            ok = np.isfinite(y) & (z > 0)
            zi, v = z[ok], y[ok]
            used[0] += v.nbytes
            if used[0] > budget:
                raise MemoryError(self.tr(
                    "the Gini needs every valid pixel value of every zone in memory (8 bytes "
                    "per pixel): more than the memory setting of {} MB. Raise it in the "
                    "CarbonSink provider settings, or use coarser data or smaller zones")
                    .format(memory_mb))
            order = np.argsort(zi, kind="stable")
            zi, v = zi[order], v[order]
            ids, starts = np.unique(zi, return_index=True)
            for zid, chunk in zip(ids, np.split(v, starts[1:])):
                if int(zid) in parts:
                    parts[int(zid)].append(chunk)

        try:
            scan_blocks(stacks, func, progress.scaled(0, 90), memory_mb)
        finally:
            self.drop_zones(zones)
        feedback.pushInfo(self.tr("{} valid pixel values collected ({:.1f} MB)")
                          .format(used[0] // 8, used[0] / 2**20))
        return [(names[z], np.concatenate(parts[z]) if parts[z] else np.empty(0))
                for z in sorted(names)]


ALGORITHMS = [MoranAlgorithm, LisaAlgorithm, HotspotsAlgorithm, GiniAlgorithm]
