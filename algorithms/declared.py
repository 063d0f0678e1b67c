"""QGIS Processing algorithms made from the declarations of core/runs.

One class per declared analysis (:func:`algorithm_class`): its parameters
from the declaration (labels translated in the context "CarbonSink"), its
run through :class:`QgisArgs`, the QGIS side of the argument reader that
``run`` functions use (the command line has the other, in cli.py).
"""
import math

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingParameterBand,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProcessingUtils,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..core import classes
from ..core.errors import InputError
from ..core.errors import text as core_text
from ..core.progress import Canceled
from ..core.rasters import open_stack
from . import styles
from .base import CarbonSinkAlgorithm, is_null
from .compat import (
    DOUBLE,
    FLAG_ADVANCED,
    INTEGER,
    RASTER,
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

#: field kinds of the table outputs (anything not listed is a double)
KINDS = {"zone_id": "int", "zone": "string", "class": "int", "class_name": "string",
         "layer": "string", "valid_pixels": "int", "n_layers": "int", "unit": "string",
         "pixels": "int", "from_class": "int", "from_name": "string", "to_class": "int",
         "to_name": "string", "changed": "int", "measure": "string", "note": "string",
         "lithology": "int", "lithology_name": "string", "period": "string"}


CONTEXT = "CarbonSink"      # core.runs.declare.TR_CONTEXT


def tr(text):
    """Literals of this module (scripts/i18n.py reads the constant context)."""
    return QCoreApplication.translate("CarbonSink", text)


def translated(text):
    """Labels and messages of the declarations (extracted from core/runs)."""
    return QCoreApplication.translate(CONTEXT, text)


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


# ------------------------------------------------------------ parameters

def qgis_parameter(p):
    """The QgsProcessingParameter of a declared parameter."""
    label = p.text(translated)
    if p.kind == "stack":
        q = QgsProcessingParameterMultipleLayers(p.name, label, RASTER, optional=p.optional)
    elif p.kind == "raster":
        q = QgsProcessingParameterRasterLayer(p.name, label, optional=p.optional)
    elif p.kind == "band":
        q = QgsProcessingParameterBand(p.name, label, p.default, p.parent, optional=p.optional)
    elif p.kind == "vector":
        kind = {"any": VECTOR_ANY, "table": VECTOR_TABLE}.get(p.geometry, VECTOR_POLYGON)
        q = QgsProcessingParameterFeatureSource(p.name, label, [kind], optional=p.optional)
    elif p.kind == "field":
        kw = {"type": NUMERIC} if p.numeric else {}
        q = QgsProcessingParameterField(p.name, label, parentLayerParameterName=p.parent,
                                        optional=True, **kw)
    elif p.kind == "file":
        q = QgsProcessingParameterFile(p.name, label, extension=p.ext or "",
                                       optional=p.optional)
    elif p.kind == "enum":
        opts = [translated(lab) if p.translate_options else lab for _, lab in p.options]
        q = QgsProcessingParameterEnum(p.name, label, opts, defaultValue=p.default)
    elif p.kind in ("int", "float"):
        kw = {}
        if p.minimum is not None:
            kw["minValue"] = p.minimum
        if p.maximum is not None:
            kw["maxValue"] = p.maximum
        default = p.default
        if p.setting:
            from ..provider import settings  # the Processing option, clamped
            default = getattr(settings, p.setting)()
            default = min(max(default, p.minimum or 0), p.maximum)
        q = QgsProcessingParameterNumber(p.name, label, INTEGER if p.kind == "int" else DOUBLE,
                                         default, p.optional, **kw)
    elif p.kind == "bool":
        q = QgsProcessingParameterBoolean(p.name, label, bool(p.default))
    elif p.kind == "string":
        q = QgsProcessingParameterString(p.name, label, p.default,
                                         multiLine=p.multiline, optional=p.optional)
    elif p.kind == "raster_out":
        q = QgsProcessingParameterRasterDestination(p.name, label, optional=p.optional,
                                                    createByDefault=not p.optional)
    elif p.kind == "table_out":
        create = not p.optional if p.create is None else p.create
        q = QgsProcessingParameterFeatureSink(p.name, label, VECTOR_TABLE, optional=p.optional,
                                              createByDefault=create)
    elif p.kind == "vector_out":
        q = QgsProcessingParameterFeatureSink(p.name, label, optional=True,
                                              createByDefault=p.create is not False)
    elif p.kind == "file_out":
        filt = tr("CSV files (*.csv)") if p.ext == "csv" else tr("HTML files (*.html)")
        q = QgsProcessingParameterFileDestination(p.name, label, filt,
                                                  optional=p.optional,
                                                  createByDefault=bool(p.default))
    else:
        raise ValueError(f"unknown parameter kind {p.kind}")
    if p.advanced:
        q.setFlags(q.flags() | FLAG_ADVANCED)
    return q


class QgisArgs:
    """The argument reader of ``run`` (core/runs/declare.Args) over a QGIS run."""

    def __init__(self, alg, parameters, context, feedback, progress, memory_mb):
        self.alg, self.parameters, self.context = alg, parameters, context
        self.feedback, self.progress, self.memory_mb = feedback, progress, memory_mb
        self.runner = None              # the block engine: dask is the command line's

    @staticmethod
    def style(path, classes):
        """The paletted style (labels translated) and GDAL class table of a
        class raster whose classes the run made; QGIS opens it styled."""
        styles.write_style(path, classes)

    tr = staticmethod(translated)

    # values
    def enum(self, name):
        return self.alg.parameterAsEnum(self.parameters, name, self.context)

    def int(self, name):
        return self.alg.parameterAsInt(self.parameters, name, self.context)

    def float(self, name):
        return self.alg.parameterAsDouble(self.parameters, name, self.context)

    def number(self, name):
        return self.alg._num(self.parameters, name, self.context)

    def bool(self, name):
        return self.alg.parameterAsBool(self.parameters, name, self.context)

    def string(self, name):
        return self.alg.parameterAsString(self.parameters, name, self.context) or ""

    def file(self, name):
        return self.alg.parameterAsFile(self.parameters, name, self.context) or ""

    def given(self, name):
        return not is_null(self.parameters.get(name)) and self.parameters.get(name) != ""

    # layers
    def stack(self, name, label, scaling_prefix=None):
        return self.alg.stack(self.parameters, name, self.context, label, scaling_prefix)

    def raster(self, name, label, optional=False):
        lyr = self.alg.parameterAsRasterLayer(self.parameters, name, self.context)
        if lyr is None:
            if optional:
                return None
            raise InputError(tr("{}: no raster layer given").format(label))
        return open_stack(lyr.source(), label)

    def sources(self, name):
        return self.alg.layer_sources(self.parameters, name, self.context)

    def named_sources(self, name):
        layers = self.alg.parameterAsLayerList(self.parameters, name, self.context) or []
        return [(lyr.source(), lyr.name() or f"product {k + 1}")
                for k, lyr in enumerate(layers)]

    def zones(self, name, field_name, grid, all_touched=False):
        return self.alg.zones(self.parameters, name, field_name, self.context, grid,
                              self.feedback, all_touched)

    def drop_zones(self, zs):
        self.alg.drop_zones(zs)

    def zone_values(self, name, field_name, value_field, names):
        """{zone id: summed value of ``value_field``} over the features of
        each zone (grouped by ``field_name`` as :meth:`zones` groups them)."""
        source = self.alg.parameterAsSource(self.parameters, name, self.context)
        if source is None:
            raise InputError(tr("an emission field needs a zone layer"))
        if source.fields().lookupField(value_field) < 0:
            raise InputError(tr("zone layer has no field '{}'").format(value_field))
        zf = self.string(field_name).strip()
        ids = {v: k for k, v in names.items()}
        out = {}
        for feat in source.getFeatures():
            geom = feat.geometry()
            if geom is None or geom.isNull() or geom.isEmpty():
                continue
            value = feat[zf] if zf else feat.id()
            zid = ids.get(f"feature {feat.id()}" if is_null(value) else str(value))
            if zid is None:
                continue
            v = feat[value_field]
            if is_null(v):
                out.setdefault(zid, None)
                continue
            try:
                v = float(v)
            except (TypeError, ValueError):
                raise InputError(tr("emission field '{}' has a non-numeric value '{}'")
                                 .format(value_field, v)) from None
            out[zid] = v if out.get(zid) is None else out[zid] + v
        return out

    def years(self, n):
        return self.alg.years(self.parameters, self.context, n)

    def features(self, name, field_name, group_field=None, need_geometry=True):
        """([(fid, value, wkb, centroid, group)], {"polygon", "geographic",
        "crs"}) of the vector parameter ``name``; the features are kept for
        :meth:`vector_copy`."""
        source = self.alg.parameterAsSource(self.parameters, name, self.context)
        for f in (field_name, group_field):
            if f and source.fields().lookupField(f) < 0:
                raise InputError(tr("the vector layer has no field '{}'").format(f))
        kept, records = [], []
        for feat in source.getFeatures():
            if self.feedback.isCanceled():
                raise Canceled("canceled by the user")
            kept.append(QgsFeature(feat))
            v = feat[field_name]
            g = feat[group_field] if group_field else None
            wkb = centroid = None
            geom = feat.geometry()
            if need_geometry and geom is not None and not geom.isNull() and not geom.isEmpty():
                wkb = bytes(geom.asWkb())
                c = geom.centroid().asPoint()
                centroid = (c.x(), c.y())
            records.append((feat.id(), None if is_null(v) else v, wkb, centroid,
                            None if is_null(g) else g))
        self._kept = getattr(self, "_kept", {})
        self._kept[name] = (source, kept)
        crs = source.sourceCrs()
        return records, {"polygon": is_polygon(source.wkbType()),
                         "geographic": crs.isValid() and crs.isGeographic(),
                         "crs": crs.authid() or crs.description()}

    def vector_copy(self, name, source_name, unit_of, columns, style=None):
        """The features of ``source_name`` with the per-unit ``columns``
        [(field, kind, array)] added (NULL for features left out and -128
        class codes) into the sink ``name``; None when it is skipped.
        ``style``: (field, class table) of the categorized renderer."""
        source, kept = self._kept[source_name]
        fields = source.fields()
        for fname, _, _ in columns:
            if fields.lookupField(fname) >= 0:
                raise InputError(tr("the input layer already has a field '{}': rename it "
                                    "first").format(fname))
        out = type(fields)(fields)
        for fname, kind, _ in columns:
            out.append(field(fname, kind))
        sink, dest = self.alg.parameterAsSink(self.parameters, name, self.context, out,
                                              source.wkbType(), source.sourceCrs())
        if sink is None:
            return None
        for feat, u in zip(kept, unit_of):
            if self.feedback.isCanceled():
                raise Canceled("canceled by the user")
            extra = [None] * len(columns)
            if u >= 0:
                for j, (_, kind, col) in enumerate(columns):
                    v = col[u]
                    extra[j] = (None if v == -128 else int(v)) if kind == "int" else _value(v)
            f = QgsFeature(feat)
            f.setAttributes(list(feat.attributes()) + extra)
            sink.addFeature(f, QgsFeatureSink.Flag.FastInsert)
        if style and dest and self.context.willLoadLayerOnCompletion(dest):
            details = self.context.layerToLoadOnCompletionDetails(dest)
            details.setPostProcessor(styles.CategorizedPostProcessor.create(
                style[0], classes.table(style[1])))
        return dest

    def fallback_output(self, name, title, names):
        """A temporary raster for output ``name`` that opens in the project
        (when none of ``names`` was asked for)."""
        path = QgsProcessingUtils.generateTempFilename(f"{self.alg.NAME}_{name.lower()}.tif")
        details = QgsProcessingContext.LayerDetails(title, self.context.project(), name)
        self.context.addLayerToLoadOnCompletion(path, details)
        return path

    # outputs
    def output(self, name):
        p = self.alg.parameterDefinition(name)
        if p.type() == "fileDestination":
            path = self.alg.parameterAsFileOutput(self.parameters, name, self.context)
        else:
            path = self.alg.parameterAsOutputLayer(self.parameters, name, self.context)
        return path or None

    def source_text(self, name):
        value = self.parameters.get(name)
        if isinstance(value, str):
            return value
        kept = getattr(self, "_kept", {}).get(name)
        return kept[0].sourceName() if kept else ""

    def records(self, name):
        """(field names, [[value or None]]) of the table or layer ``name``;
        the features are kept for :meth:`vector_copy`."""
        source = self.alg.parameterAsSource(self.parameters, name, self.context)
        if source is None:
            raise InputError(tr("{}: no table or layer given").format(name))
        kept, rows = [], []
        for feat in source.getFeatures():
            if self.feedback.isCanceled():
                raise Canceled("canceled by the user")
            kept.append(QgsFeature(feat))
            rows.append([None if is_null(v) else v for v in feat.attributes()])
        self._kept = getattr(self, "_kept", {})
        self._kept[name] = (source, kept)
        return source.fields().names(), rows

    def table(self, name, rows, keys=None, kinds=None):
        """Fill the feature sink ``name`` (no geometry) with dict rows."""
        if keys is None:
            keys = []
            for r in rows:
                keys += [k for k in r if k not in keys]
        spec = [(k, (kinds or {}).get(k, kind)) for k, kind in field_spec(keys, rows)]
        sink, dest = self.alg.parameterAsSink(self.parameters, name, self.context,
                                              table_fields(spec), no_geometry())
        if sink is None:
            return None
        for r in rows:
            f = QgsFeature()
            f.setAttributes([_value(r.get(k)) for k in keys])
            if not sink.addFeature(f, QgsFeatureSink.Flag.FastInsert):
                raise InputError(tr("cannot write the table {}: {}").format(
                    name, sink.lastError() if hasattr(sink, "lastError") else ""))
        return dest

    # messages
    def info(self, text):
        self.feedback.pushInfo(core_text(text, translated))

    def warn(self, text):
        text = core_text(text, translated)
        push = getattr(self.feedback, "pushWarning", None)
        if push is not None:
            push(text)
        else:
            self.feedback.pushInfo(tr("Warning: ") + text)


class DeclaredAlgorithm(CarbonSinkAlgorithm):
    """A toolbox algorithm made from ``ANALYSIS`` (a core/runs declaration)."""
    ANALYSIS = None
    TR_CONTEXT = "CarbonSink"       # the extractor reads it: keep a string constant

    def tr(self, text):
        return translated(text)

    def initAlgorithm(self, config=None):  # noqa: N802
        for p in self.ANALYSIS.toolbox_params:
            self.addParameter(qgis_parameter(p))

    def compute(self, parameters, context, feedback, progress, memory_mb):
        args = QgisArgs(self, parameters, context, feedback, progress, memory_mb)
        return self.ANALYSIS.run(args)


def algorithm_class(analysis):
    """The QgsProcessingAlgorithm subclass of a declared analysis."""
    return type(analysis.class_name, (DeclaredAlgorithm,), {
        "ANALYSIS": analysis, "NAME": analysis.name, "DISPLAY": analysis.display,
        "GROUP": analysis.group, "GROUP_ID": analysis.group_id,
        "CLASS_OUTPUTS": {k: classes.table(v) for k, v in analysis.class_outputs.items()},
        "__module__": __name__, "__doc__": analysis.summary})
