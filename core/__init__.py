"""CarbonSink headless core: pure numpy/numba functions over arrays.

``import carbonsink.core as cs`` imports no QGIS module. The public names are
listed in ``shared/api.md``; raster streaming lives in :mod:`carbonsink.core.io`.
"""
from ._numba import HAVE_NUMBA, INSTALL_HINT, set_threads, use_numba
from .abrupt import Pettitt, SequentialMannKendall, pettitt, sequential_mann_kendall
from .area import ellipsoid_zone_area
from .carbon import (
    CarryingCapacity,
    carrying_capacity,
    heterotrophic_respiration,
    net_ecosystem_production,
    sink_class,
)
from .correlation import PartialCorrelation, correlation_class, partial_correlation
from .gini import GINI_METHODS, Gini, gini, gini_band
from .hurst import METHODS as HURST_METHODS
from .hurst import PERSISTENCE_LABELS, hurst, persistence_class
from .progress import Canceled, Progress
from .resilience import (
    DecayFit,
    ResilienceResult,
    ZoneCounter,
    ZoneResilience,
    fit_decay,
    growing_window_slopes,
    maintained_years,
    maintenance,
    resilience_level,
    sink_resilience,
    slope_sign,
)
from .spatial import (
    GetisOrd,
    LocalMoran,
    Moran,
    cluster_class,
    getis_ord,
    hotspot_class,
    local_moran,
    moran,
)
from .spatial_dask import getis_ord_dask, local_moran_dask, moran_dask  # dask arrays (issue 8)
from .stability import classify, coefficient_of_variation, natural_breaks
from .trend import (
    NODATA_CLASS,
    LinearTrend,
    MannKendall,
    linear_trend,
    linear_trend_class,
    mann_kendall,
    trend_class,
)
from .weights import (
    binary_weights,
    contiguity_weights,
    distance_band_weights,
    grid_weights,
    knn_weights,
)

__all__ = [
    "HAVE_NUMBA", "INSTALL_HINT", "set_threads", "use_numba",
    "Pettitt", "SequentialMannKendall", "pettitt", "sequential_mann_kendall",
    "PartialCorrelation", "correlation_class", "partial_correlation",
    "CarryingCapacity", "carrying_capacity", "heterotrophic_respiration",
    "net_ecosystem_production", "sink_class",
    "HURST_METHODS", "PERSISTENCE_LABELS", "hurst", "persistence_class",
    "classify", "coefficient_of_variation", "natural_breaks",
    "Canceled", "Progress",
    "GINI_METHODS", "Gini", "gini", "gini_band",
    "GetisOrd", "LocalMoran", "Moran", "cluster_class", "getis_ord", "hotspot_class",
    "local_moran", "moran", "binary_weights", "contiguity_weights", "distance_band_weights",
    "grid_weights", "knn_weights", "getis_ord_dask", "local_moran_dask", "moran_dask",
    "DecayFit", "ResilienceResult", "ZoneCounter", "ZoneResilience", "fit_decay",
    "growing_window_slopes", "maintained_years", "maintenance", "resilience_level",
    "sink_resilience", "slope_sign",
    "NODATA_CLASS", "LinearTrend", "MannKendall", "linear_trend",
    "linear_trend_class", "mann_kendall", "trend_class",
]

# Raster-level accounting tools need GDAL: exported lazily so that importing
# carbonsink.core needs only numpy and scipy.
_LAZY = {"PixelAreas": "area", "pixel_areas": "area", "pixel_area_raster": "area",
         "UNITS": "accounting", "mass_factor": "accounting", "rate_factor": "accounting",
         "read_class_names": "accounting", "read_coefficients": "accounting",
         "read_measures": "accounting", "ZonalSummary": "accounting",
         "zonal_summary": "accounting", "Transitions": "accounting",
         "transition_matrix": "accounting", "change_raster": "accounting",
         "Budget": "accounting", "carbon_budget": "accounting", "Scenario": "accounting",
         "sink_scenario": "accounting", "Ensemble": "ensemble", "flux_ensemble": "ensemble",
         "regrid": "ensemble", "regrid_classes": "ensemble", "target_grid": "ensemble"}
__all__ += ["ellipsoid_zone_area"] + sorted(_LAZY)


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib
    return getattr(importlib.import_module(f".{module}", __name__), name)
