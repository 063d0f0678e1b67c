"""Enums that moved between QGIS 3.22 (unscoped) and 3.36+/QGIS 4 (scoped)."""
from qgis.core import (Qgis, QgsProcessing, QgsProcessingParameterDefinition,
                       QgsProcessingParameterNumber)


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
FLAG_ADVANCED = _pick("ProcessingParameterFlag", "Advanced", QgsProcessingParameterDefinition,
                      "FlagAdvanced")
