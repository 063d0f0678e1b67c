"""CarbonSink QGIS plugin: vegetation carbon-sink analysis of raster time series.

QGIS calls :func:`classFactory`; nothing here imports qgis at module level so
that ``import carbonsink.core`` works on machines without QGIS.
"""


def classFactory(iface):  # noqa: N802 - QGIS API name
    from .plugin import CarbonSinkPlugin
    return CarbonSinkPlugin(iface)
