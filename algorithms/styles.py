"""The styles of the QGIS algorithms: :mod:`carbonsink.core.styles` with the
labels translated by Qt (context "CarbonSinkStyles").

The class tables live in :mod:`carbonsink.core.classes` (re-exported here);
the QML text and the GDAL class tables are made in core, so the command line
writes the same files without QGIS (in English).
"""
from qgis.PyQt.QtCore import QCoreApplication

from ..core import styles as _core
from ..core.classes import (  # noqa: F401 - the tables, by name (styles.MK_CLASSES)
    CHANGE_CLASSES,
    CNC_CLASSES,
    CORRELATION_CLASSES,
    CV_CLASSES,
    HOTSPOT_CLASSES,
    LINEAR_CLASSES,
    LINEAR_FDR_CLASSES,
    LISA_CLASSES,
    MK_CLASSES,
    MK_FDR_CLASSES,
    NODATA_CLASS,
    PERSISTENCE_CLASSES,
    QUADRANT_CLASSES,
    SINK_CLASSES,
)
from ..core.styles import P_BREAKS, pseudocolor_qml, ramp_kind  # noqa: F401


def _tr(text):
    return QCoreApplication.translate("CarbonSinkStyles", text)


def paletted_qml(classes, band=1):
    return _core.paletted_qml(classes, band, tr=_tr)


def continuous_qml(kind, lo, hi, band=1):
    return _core.continuous_qml(kind, lo, hi, band, tr=_tr)


def write_style(raster_path, classes):
    """QML beside the raster and the GDAL class table, labels translated."""
    return _core.write_style(raster_path, classes, tr=_tr)


def write_class_table(raster_path, classes):
    return _core.write_class_table(raster_path, classes, tr=_tr)


def write_continuous_style(raster_path, kind):
    return _core.write_continuous_style(raster_path, kind, tr=_tr)


# ------------------------------------------------------------ vector outputs

def categorized_renderer(geometry_type, field_name, classes):
    """QgsCategorizedSymbolRenderer on ``field_name`` with (code, colour, label)."""
    from qgis.core import QgsCategorizedSymbolRenderer, QgsRendererCategory, QgsSymbol
    from qgis.PyQt.QtGui import QColor
    cats = []
    for code, colour, label in classes:
        sym = QgsSymbol.defaultSymbol(geometry_type)
        sym.setColor(QColor(colour))
        cats.append(QgsRendererCategory(code, sym, _tr(label)))
    return QgsCategorizedSymbolRenderer(field_name, cats)


def _post_processor_base():
    from qgis.core import QgsProcessingLayerPostProcessorInterface
    return QgsProcessingLayerPostProcessorInterface


class CategorizedPostProcessor(_post_processor_base()):
    """Gives a vector output loaded on completion a categorized renderer."""
    _alive = []  # QGIS does not own the Python object: keep it referenced

    def __init__(self, field_name, classes):
        super().__init__()
        self.field_name, self.classes = field_name, classes

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        from qgis.core import QgsVectorLayer
        if isinstance(layer, QgsVectorLayer) and layer.isValid():
            layer.setRenderer(categorized_renderer(layer.geometryType(), self.field_name,
                                                   self.classes))
            layer.triggerRepaint()

    @classmethod
    def create(cls, field_name, classes):
        inst = cls(field_name, classes)
        cls._alive.append(inst)
        return inst
