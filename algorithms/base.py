"""Shared base of every CarbonSink algorithm.

It only converts parameters, adapts QGIS feedback to the core's progress
protocol, turns core errors into QgsProcessingException (a message, never a
traceback) and styles class outputs. The analysis itself is in ``core``.
"""
import os

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingUtils,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..core import _numba
from ..core.errors import InputError
from ..core.io import StackError
from ..core.io.outputs import check_paths, describe_os_error, output_set
from ..core.io.zones import rasterize_zones, remove_quietly
from ..core.progress import Canceled, Progress
from ..core.rasters import open_stack, resolve_years
from . import styles

HELP_DIR = os.path.join(os.path.dirname(__file__), "help")
ICONS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "icons")
PLUGIN_ICON = os.path.join(os.path.dirname(ICONS_DIR), "icon.svg")
HOME = "https://github.com/carbonsink/carbonsink"


def gdal_subdataset(text):
    """True for a GDAL subdataset / connection string (DRIVER:...) that
    GDAL opens as a raster; False for plain paths (C:\\ on Windows)."""
    import re
    if not re.match(r"^[A-Z][A-Z0-9_]+:", text) or os.path.exists(text):
        return False
    from osgeo import gdal
    try:
        ds = gdal.OpenEx(text, gdal.OF_RASTER)
    except RuntimeError:
        return False
    return ds is not None


def html_to_text(text):
    """The help's HTML as plain text for a terminal: paragraphs, "- " list
    items, x_i and x^2 for sub- and superscripts, entities as characters."""
    import html
    import re
    text = re.sub(r"\s*\n\s*", " ", text)
    text = re.sub(r"<sub>(.*?)</sub>", r"_\1", text, flags=re.S)
    text = re.sub(r"<sup>(.*?)</sup>", r"^\1", text, flags=re.S)
    text = re.sub(r"<li[^>]*>", "\n- ", text)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"</?(p|ul|ol|h[1-6]|table|tr|div)[^>]*>", "\n\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def error_text(exc):
    """The message of an exception in the user's language: core's InputErrors
    through the catalogue (context "CarbonSink"), others as they are."""
    if isinstance(exc, InputError):
        return exc.translated(lambda t: QCoreApplication.translate("CarbonSink", t))
    return str(exc)


def is_null(value):
    """True for None and QGIS NULL values (a NULL QVariant)."""
    if value is None:
        return True
    is_null_method = getattr(value, "isNull", None)
    return bool(is_null_method()) if callable(is_null_method) else False


class StylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Applies a QML style to a layer the algorithm loads on completion."""
    _alive = []  # QGIS does not own the Python object: keep it referenced

    def __init__(self, qml):
        super().__init__()
        self.qml = qml

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        if layer is not None and layer.isValid():
            layer.loadNamedStyle(self.qml)
            layer.triggerRepaint()

    @classmethod
    def create(cls, qml):
        inst = cls(qml)
        cls._alive.append(inst)
        return inst


class CarbonSinkAlgorithm(QgsProcessingAlgorithm):
    NAME = ""
    DISPLAY = ""
    GROUP = ""
    GROUP_ID = ""
    #: output parameter name -> class table (styles.py) for class outputs
    CLASS_OUTPUTS = {}

    # ----------------------------------------------------------- identity
    def name(self):
        return self.NAME

    def displayName(self):  # noqa: N802
        return self.tr(self.DISPLAY)

    def group(self):
        return self.tr(self.GROUP)

    def groupId(self):  # noqa: N802
        return self.GROUP_ID

    def svgIconPath(self):  # noqa: N802
        """One icon per group (icons/GROUP_ID.svg), the plugin's icon otherwise."""
        path = os.path.join(ICONS_DIR, f"{self.GROUP_ID}.svg")
        return path if os.path.exists(path) else PLUGIN_ICON

    def icon(self):
        from qgis.PyQt.QtGui import QIcon
        return QIcon(self.svgIconPath())

    def createInstance(self):  # noqa: N802
        return type(self)()

    def tr(self, text):
        return QCoreApplication.translate(type(self).__name__, text)

    def shortHelpString(self):  # noqa: N802
        from ..i18n import help_path  # help/<locale>/<name>.html when translated
        path = help_path(HELP_DIR, self.NAME)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError:
            return ""
        # qgis_process prints the help on a terminal: plain text there
        from qgis.core import QgsApplication
        return html_to_text(text) if QgsApplication.platform() == "qgis_process" else text

    def helpUrl(self):  # noqa: N802
        return f"{HOME}/blob/main/docs/algorithms.md#{self.NAME}"

    # ------------------------------------------------ parameter readers
    def stack(self, parameters, name, context, label, scaling_prefix=None):
        sources = self.layer_sources(parameters, name, context)
        if not sources:
            raise StackError(self.tr("{}: no raster layer given").format(label))
        kw = {}
        if scaling_prefix:
            kw = dict(scale=self._num(parameters, f"{scaling_prefix}_SCALE", context),
                      offset=self._num(parameters, f"{scaling_prefix}_OFFSET", context),
                      valid_min=self._num(parameters, f"{scaling_prefix}_VALID_MIN", context),
                      valid_max=self._num(parameters, f"{scaling_prefix}_VALID_MAX", context))
        return open_stack(sources, label, **kw)

    def layer_sources(self, parameters, name, context):
        """The sources of a raster-stack parameter, in the order given:
        layers by their source, GDAL subdataset strings (NetCDF variables:
        NETCDF:"file.nc":tas, HDF, GPKG rasters ...) as they are."""
        raw = parameters.get(name)
        items = raw if isinstance(raw, (list, tuple)) else ([] if raw is None else [raw])
        sources = []
        for item in items:
            if isinstance(item, str) and gdal_subdataset(item):
                sources.append(item)
                continue
            sources += [lyr.source() for lyr in
                        self.parameterAsLayerList({name: [item]}, name, context) or []]
        return sources

    def checkParameterValues(self, parameters, context):  # noqa: N802
        """QGIS refuses GDAL subdataset strings in layer lists ("Incorrect
        parameter value"): those items are checked by opening them with GDAL,
        everything else as QGIS does."""
        special = {}
        for p in self.parameterDefinitions():
            value = parameters.get(p.name())
            if isinstance(value, str):
                value = [value]                     # one layer given (qgis_process)
            if p.type() == "multilayer" and isinstance(value, (list, tuple)):
                rest = [v for v in value if not (isinstance(v, str) and gdal_subdataset(v))]
                if len(rest) < len(value):
                    special[p.name()] = rest
        if not special:
            return super().checkParameterValues(parameters, context)
        for p in self.parameterDefinitions():
            value = special.get(p.name(), parameters.get(p.name()))
            if p.name() in special and not value:
                continue                        # subdatasets only: GDAL opened them
            if not p.checkValueIsAcceptable(value, context):
                return False, self.tr("Incorrect parameter value for {}").format(p.name())
        return True, ""

    def _num(self, parameters, name, context, default=None):
        if parameters.get(name) is None:
            return default
        return self.parameterAsDouble(parameters, name, context)

    def years(self, parameters, context, n):
        text = self.parameterAsString(parameters, "YEARS", context).strip()
        if text:
            try:
                years = [float(v) for v in text.replace(";", ",").split(",") if v.strip()]
            except ValueError:
                raise StackError(self.tr("years must be numbers separated by commas, "
                                         "not '{}'").format(text)) from None
            return resolve_years(n, years)
        return resolve_years(n, None, self.parameterAsInt(parameters, "FIRST_YEAR", context))

    @staticmethod
    def drop_zones(zones):
        """Close and remove the temporary zone raster of :meth:`zones` (None: nothing)."""
        if zones is not None:
            path = zones.sources[0]
            zones.close()
            remove_quietly(path)

    def zones(self, parameters, name, field_name, context, grid, feedback, all_touched=False):
        """Rasterise the optional polygon parameter ``name`` onto ``grid``.

        Returns (zone stack, {zone id: name}); (None, {1: "all valid pixels"})
        without polygons. Features with the same value of ``field_name`` share
        one zone (NULL: "feature <fid>"); features without geometry are
        skipped with a warning; geometries are reprojected to the grid's CRS
        by the request. The zone raster is a temporary file
        (``stack.sources[0]``) that the caller may remove.
        """
        source = self.parameterAsSource(parameters, name, context)
        if source is None:
            return None, {1: self.tr("all valid pixels")}
        field = self.parameterAsString(parameters, field_name, context).strip() \
            if field_name else ""
        if field and source.fields().lookupField(field) < 0:
            raise StackError(self.tr("zone layer has no field '{}'").format(field))
        request = QgsFeatureRequest()
        raster_crs = QgsCoordinateReferenceSystem()
        if grid.crs_wkt:
            raster_crs = QgsCoordinateReferenceSystem.fromWkt(grid.crs_wkt)
        if raster_crs.isValid() and source.sourceCrs().isValid():
            if source.sourceCrs() != raster_crs:
                feedback.pushInfo(self.tr("Zones are reprojected from {} to the stack's {}")
                                  .format(source.sourceCrs().authid() or
                                          source.sourceCrs().description(),
                                          raster_crs.authid() or raster_crs.description()))
            request.setDestinationCrs(raster_crs, context.transformContext())
        elif source.sourceCrs().isValid() != raster_crs.isValid():
            feedback.pushInfo(self.tr("The zones or the stack have no CRS: zone coordinates "
                                      "are used as they are"))
        ids, geoms, skipped = {}, [], 0
        for feat in source.getFeatures(request):
            if feedback.isCanceled():
                raise Canceled("canceled by the user")
            geom = feat.geometry()
            if geom is None or geom.isNull() or geom.isEmpty():
                skipped += 1
                continue
            value = feat[field] if field else feat.id()
            label = f"feature {feat.id()}" if is_null(value) else str(value)
            geoms.append((ids.setdefault(label, len(ids) + 1), bytes(geom.asWkb())))
        if skipped:
            feedback.pushInfo(self.tr("{} zone features without geometry were skipped")
                              .format(skipped))
        if not geoms:
            raise StackError(self.tr("the zone layer has no polygon"))
        feedback.pushInfo(self.tr("{} zones from {} polygons, rasterised onto the stack's "
                                  "grid").format(len(ids), len(geoms)))
        path = QgsProcessingUtils.generateTempFilename("carbonsink_zones.tif")
        try:
            stack = rasterize_zones(geoms, grid, path, all_touched,
                                    {v: k for k, v in ids.items()})
        except BaseException:
            remove_quietly(path)
            raise
        return stack, {v: k for k, v in ids.items()}

    # ------------------------------------------------------------- run
    def compute(self, parameters, context, feedback, progress, memory_mb):
        raise NotImplementedError

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ..provider.settings import settings
        threads, memory_mb = settings()
        _numba.set_threads(threads)
        if not _numba.use_numba():
            feedback.pushInfo(QCoreApplication.translate("CarbonSink", _numba.INSTALL_HINT))
        progress = Progress(feedback.setProgress, feedback.isCanceled, feedback.pushInfo,
                            lambda text: QCoreApplication.translate("CarbonSink", text))
        styled = []
        try:
            outs, ins = self._io_paths(parameters, context)
            check_paths(outs, ins)
            # every file of the run (rasters, sidecars, styles, tables, reports)
            # is renamed into place together at the end, or none is
            with output_set():
                results = self.compute(parameters, context, feedback, progress, memory_mb)
                for param, classes in self.CLASS_OUTPUTS.items():
                    path = results.get(param)
                    if path:
                        styled.append((path, styles.write_style(path, classes)))
                # continuous rasters: a ramp by kind (diverging slopes, p classes ...)
                for param, path in results.items():
                    if param in self.CLASS_OUTPUTS or not isinstance(path, str) or \
                            not path.lower().endswith((".tif", ".tiff")):
                        continue
                    qml = styles.write_continuous_style(path, styles.ramp_kind(param))
                    if qml:
                        styled.append((path, qml))
                # small maps of the raster outputs, in those styles, in the HTML report
                from .maps import add_maps
                add_maps(results, {d.name(): d.description()
                                   for d in self.destinationParameterDefinitions()})
        except Canceled:
            raise QgsProcessingException(self.tr("Canceled: no output was written.")) from None
        except (InputError, NotImplementedError, MemoryError) as exc:
            # the project's own input errors (StackError, NoValidData, OutputError
            # are InputErrors) become a message; anything else is a bug and keeps
            # its traceback in the log
            raise QgsProcessingException(error_text(exc)) from None
        except OSError as exc:
            raise QgsProcessingException(describe_os_error(exc)) from None
        for path, qml in styled:
            if context.willLoadLayerOnCompletion(path):
                details = context.layerToLoadOnCompletionDetails(path)
                details.setPostProcessor(StylePostProcessor.create(qml))
        return results

    def _io_paths(self, parameters, context):
        """({output label: path}, [input paths]) of a run, for check_paths."""
        outs, ins = {}, []
        for p in self.parameterDefinitions():
            name, kind = p.name(), p.type()
            if parameters.get(name) is None:
                continue
            if p.isDestination():
                if kind == "rasterDestination":
                    path = self.parameterAsOutputLayer(parameters, name, context)
                elif kind == "fileDestination":
                    path = self.parameterAsFileOutput(parameters, name, context)
                else:
                    continue                # feature sinks: written by QGIS
                if path and "://" not in path and not path.startswith("memory:"):
                    outs[p.description()] = path
            elif kind == "multilayer":
                ins += [lyr.source() for lyr in
                        self.parameterAsLayerList(parameters, name, context) or []]
            elif kind in ("raster", "source", "vector"):
                lyr = self.parameterAsLayer(parameters, name, context)
                if lyr is not None:
                    ins.append(lyr.source())
            elif kind == "file":
                ins.append(self.parameterAsFile(parameters, name, context))
        return outs, [s.split("|")[0] for s in ins if s]
