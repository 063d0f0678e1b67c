"""Enums that moved between QGIS 3.22 (unscoped) and 3.36+/QGIS 4 (scoped)."""
from qgis.core import (
    Qgis,
    QgsProcessing,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterNumber,
)


def _pick(scoped, member, legacy_owner, legacy_name):
    enum = getattr(Qgis, scoped, None)
    if enum is not None and hasattr(enum, member):
        return getattr(enum, member)
    return getattr(legacy_owner, legacy_name)


RASTER = _pick("ProcessingSourceType", "Raster", QgsProcessing, "TypeRaster")
VECTOR_POLYGON = _pick("ProcessingSourceType", "VectorPolygon", QgsProcessing,
                       "TypeVectorPolygon")
DOUBLE = _pick("ProcessingNumberParameterType", "Double", QgsProcessingParameterNumber, "Double")
INTEGER = _pick("ProcessingNumberParameterType", "Integer", QgsProcessingParameterNumber,
                "Integer")
FLAG_OPTIONAL = _pick("ProcessingParameterFlag", "Optional", QgsProcessingParameterDefinition,
                      "FlagOptional")
FLAG_ADVANCED = _pick("ProcessingParameterFlag", "Advanced", QgsProcessingParameterDefinition,
                      "FlagAdvanced")
VECTOR_TABLE = _pick("ProcessingSourceType", "Vector", QgsProcessing, "TypeVector")


def _polygon_geometry():
    from qgis.core import QgsWkbTypes
    return _pick("GeometryType", "Polygon", QgsWkbTypes.GeometryType, "PolygonGeometry")


POLYGON_GEOMETRY = _polygon_geometry()


def is_polygon(wkb_type):
    """True for a polygon layer's wkbType() (QgsWkbTypes.geometryType returns
    QgsWkbTypes.GeometryType before 3.30, Qgis.GeometryType after)."""
    from qgis.core import QgsWkbTypes
    return QgsWkbTypes.geometryType(wkb_type) == POLYGON_GEOMETRY


def no_geometry():
    from qgis.core import QgsWkbTypes
    wkb = getattr(Qgis, "WkbType", None)
    return wkb.NoGeometry if wkb is not None else QgsWkbTypes.Type.NoGeometry


def field(name, kind):
    """QgsField of kind "double", "int", "int64" or "string" (QVariant before
    3.38, QMetaType from 3.38 / Qt6)."""
    from qgis.core import QgsField
    if Qgis.QGIS_VERSION_INT >= 33800:
        from qgis.PyQt.QtCore import QMetaType
        types = {"double": QMetaType.Type.Double, "int": QMetaType.Type.Int,
                 "int64": QMetaType.Type.LongLong, "string": QMetaType.Type.QString}
    else:
        from qgis.PyQt.QtCore import QVariant
        types = {"double": QVariant.Double, "int": QVariant.Int, "int64": QVariant.LongLong,
                 "string": QVariant.String}
    return QgsField(name, types[kind])


def table_fields(spec):
    """QgsFields from [(name, kind), ...]."""
    from qgis.core import QgsFields
    fields = QgsFields()
    for name, kind in spec:
        fields.append(field(name, kind))
    return fields
