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
