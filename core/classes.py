"""Class codes, colours and labels of every class output (no QGIS, no GDAL).

One table per class raster: a list of (code, "#rrggbb", label). The codes
are those the array functions return (core.trend, core.stability, ...);
:data:`NODATA_CLASS` (-128) is the int8 nodata of every class raster. The
labels are English source texts: the QGIS layer translates them (context
"CarbonSinkStyles") when it writes a style; the command line writes them as
they are. :mod:`carbonsink.core.styles` makes the QML styles and the GDAL
class tables from these lists.
"""

NODATA_CLASS = -128       #: int8 nodata of every class raster

# (code, colour, label)
MK_CLASSES = [
    (4, "#006837", "Extremely significant increase (|Z| > 2.58)"),
    (3, "#31a354", "Significant increase (1.96 < |Z| <= 2.58)"),
    (2, "#78c679", "Weakly significant increase (1.64 < |Z| <= 1.96)"),
    (1, "#d9f0a3", "Insignificant increase (|Z| <= 1.64)"),
    (0, "#f0f0f0", "No change (slope = 0)"),
    (-1, "#fee391", "Insignificant decrease (|Z| <= 1.64)"),
    (-2, "#fd8d3c", "Weakly significant decrease (1.64 < |Z| <= 1.96)"),
    (-3, "#e31a1c", "Significant decrease (1.96 < |Z| <= 2.58)"),
    (-4, "#800026", "Extremely significant decrease (|Z| > 2.58)"),
]

MK_FDR_CLASSES = [
    (4, "#006837", "Extremely significant increase (FDR q < 0.01)"),
    (3, "#31a354", "Significant increase (q < 0.05)"),
    (2, "#78c679", "Weakly significant increase (q < 0.10)"),
    (1, "#d9f0a3", "Insignificant increase (q >= 0.10)"),
    (0, "#f0f0f0", "No change (slope = 0)"),
    (-1, "#fee391", "Insignificant decrease (q >= 0.10)"),
    (-2, "#fd8d3c", "Weakly significant decrease (q < 0.10)"),
    (-3, "#e31a1c", "Significant decrease (q < 0.05)"),
    (-4, "#800026", "Extremely significant decrease (FDR q < 0.01)"),
]

LINEAR_CLASSES = [
    (3, "#006837", "Extremely significant increase (p < 0.01)"),
    (2, "#31a354", "Significant increase (p < alpha)"),
    (1, "#d9f0a3", "Insignificant increase"),
    (0, "#f0f0f0", "No trend"),
    (-1, "#fee391", "Insignificant decrease"),
    (-2, "#e31a1c", "Significant decrease (p < alpha)"),
    (-3, "#800026", "Extremely significant decrease (p < 0.01)"),
]

LINEAR_FDR_CLASSES = [
    (3, "#006837", "Extremely significant increase (FDR q < 0.01)"),
    (2, "#31a354", "Significant increase (FDR q < alpha)"),
    (1, "#d9f0a3", "Insignificant increase"),
    (0, "#f0f0f0", "No trend"),
    (-1, "#fee391", "Insignificant decrease"),
    (-2, "#e31a1c", "Significant decrease (FDR q < alpha)"),
    (-3, "#800026", "Extremely significant decrease (FDR q < 0.01)"),
]

CV_CLASSES = [
    (1, "#1a9850", "Low fluctuation"),
    (2, "#91cf60", "Lower fluctuation"),
    (3, "#ffffbf", "Medium fluctuation"),
    (4, "#fc8d59", "Higher fluctuation"),
    (5, "#d73027", "High fluctuation"),
]

PERSISTENCE_CLASSES = [
    (1, "#1a9641", "Persistent increase (H > 0.5, slope > 0)"),
    (2, "#d7191c", "Persistent decrease (H > 0.5, slope < 0)"),
    (3, "#a6d96a", "Increase now, decrease likely (H < 0.5, slope > 0)"),
    (4, "#fdae61", "Decrease now, increase likely (H < 0.5, slope < 0)"),
    (0, "#f0f0f0", "Undetermined"),
]

CORRELATION_CLASSES = [
    (2, "#b2182b", "Significant positive (p < alpha)"),
    (1, "#f4a582", "Positive, not significant"),
    (0, "#f7f7f7", "No correlation (r = 0)"),
    (-1, "#92c5de", "Negative, not significant"),
    (-2, "#2166ac", "Significant negative (p < alpha)"),
]

SINK_CLASSES = [
    (1, "#1a9641", "Carbon sink (mean NEP > 0)"),
    (0, "#ffffbf", "Neutral (mean NEP = 0)"),
    (-1, "#d7191c", "Carbon source (mean NEP < 0)"),
]

# land-cover change and the carbon budget (core.accounting)
CHANGE_CLASSES = [(0, "#f0f0f0", "Unchanged land cover"),
                  (1, "#e31a1c", "Changed land cover")]


CNC_CLASSES = [(1, "#1a9641", "Carbon surplus (mean CNC > 0)"),
               (0, "#ffffbf", "Carbon neutral (CNC = 0)"),
               (-1, "#d7191c", "Carbon deficit (mean CNC < 0)")]

# (code, colour, label): GeoDa LISA colours
LISA_CLASSES = [
    (0, "#eeeeee", "Not significant"),
    (1, "#ff0000", "High-High"),
    (2, "#0000ff", "Low-Low"),
    (3, "#a7adf9", "Low-High"),
    (4, "#f4ada8", "High-Low"),
]
QUADRANT_CLASSES = [                      # esda quadrant codes
    (1, "#ff0000", "HH (high value, high neighbours)"),
    (2, "#a7adf9", "LH (low value, high neighbours)"),
    (3, "#0000ff", "LL (low value, low neighbours)"),
    (4, "#f4ada8", "HL (high value, low neighbours)"),
]
HOTSPOT_CLASSES = [
    (3, "#b2182b", "Hot spot, 99 % confidence"),
    (2, "#ef8a62", "Hot spot, 95 % confidence"),
    (1, "#fddbc7", "Hot spot, 90 % confidence"),
    (0, "#eeeeee", "Not significant"),
    (-1, "#d1e5f0", "Cold spot, 90 % confidence"),
    (-2, "#67a9cf", "Cold spot, 95 % confidence"),
    (-3, "#2166ac", "Cold spot, 99 % confidence"),
]


def table(name):
    """A class table by its name ("MK_CLASSES" ...)."""
    value = globals().get(name)
    if not (isinstance(value, list) and name.endswith("_CLASSES")):
        raise KeyError(f"no class table {name!r}")
    return value
