"""Spatial statistics: carbonsink:moran, lisa, hotspots, gini (methods.md 10,
11), made from their declarations in core/runs/spatial.py. The analyses are
in core/spatial.py (arrays), core/spatial_raster.py (rasters), core/weights.py
and core/gini.py."""
from ..core.classes import HOTSPOT_CLASSES, LISA_CLASSES  # noqa: F401 - by name
from ..core.runs import spatial
from .declared import algorithm_class
from .styles import CategorizedPostProcessor, categorized_renderer  # noqa: F401

MoranAlgorithm = algorithm_class(spatial.MORAN)
LisaAlgorithm = algorithm_class(spatial.LISA)
HotspotsAlgorithm = algorithm_class(spatial.HOTSPOTS)
GiniAlgorithm = algorithm_class(spatial.GINI)

ALGORITHMS = [MoranAlgorithm, LisaAlgorithm, HotspotsAlgorithm, GiniAlgorithm]
