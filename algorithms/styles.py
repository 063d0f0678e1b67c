"""Class tables of the class outputs and the QML styles made from them.

Each class output gets a QML file beside it (same base name), which QGIS
loads as the layer's default style wherever the file is opened, and the
post-processor applies it to layers the algorithm loads on completion.
"""
import os
from xml.sax.saxutils import quoteattr

from qgis.PyQt.QtCore import QCoreApplication

from ..core.io.outputs import write_text


def _tr(text):
    return QCoreApplication.translate("CarbonSinkStyles", text)


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


def paletted_qml(classes, band=1):
    entries = "\n".join(
        f'        <paletteEntry value="{code}" color="{colour}" alpha="255" '
        f'label={quoteattr(_tr(label))}/>' for code, colour, label in classes)
    return f"""<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="AllStyleCategories">
  <pipe>
    <rasterrenderer type="paletted" band="{band}" opacity="1" alphaBand="-1" nodataColor="">
      <rasterTransparency/>
      <minMaxOrigin><limits>None</limits><extent>WholeRaster</extent>
        <statAccuracy>Estimated</statAccuracy><cumulativeCutLower>0.02</cumulativeCutLower>
        <cumulativeCutUpper>0.98</cumulativeCutUpper><stdDevFactor>2</stdDevFactor></minMaxOrigin>
      <colorPalette>
{entries}
      </colorPalette>
      <colorramp type="randomcolors" name="[source]"/>
    </rasterrenderer>
    <brightnesscontrast brightness="0" contrast="0" gamma="1"/>
    <huesaturation saturation="0" colorizeOn="0" grayscaleMode="0"/>
    <rasterresampler maxOversampling="2"/>
  </pipe>
  <blendMode>0</blendMode>
</qgis>
"""


def write_style(raster_path, classes):
    """Write ``<raster base name>.qml`` beside the raster, and the classes
    (value, colour, name) as a GDAL raster attribute table in the raster's
    ``.aux.xml`` (GDAL, ArcGIS and R read it); return the QML's path."""
    qml = os.path.splitext(raster_path)[0] + ".qml"
    write_class_table(raster_path, classes)
    return write_text(qml, paletted_qml(classes))


def write_class_table(raster_path, classes):
    """The class table of every band of ``raster_path`` (an output of the
    current run, still under its temporary name) as a GDAL RAT."""
    from osgeo import gdal
    from ..core.io import outputs
    tmp = outputs.readable(raster_path)
    ds = gdal.Open(tmp, gdal.GA_Update)
    if ds is None:
        return
    for b in range(1, ds.RasterCount + 1):
        rat = gdal.RasterAttributeTable()
        rat.CreateColumn("Value", gdal.GFT_Integer, gdal.GFU_MinMax)
        for name, usage in (("Red", gdal.GFU_Red), ("Green", gdal.GFU_Green),
                            ("Blue", gdal.GFU_Blue)):
            rat.CreateColumn(name, gdal.GFT_Integer, usage)
        rat.CreateColumn("Class", gdal.GFT_String, gdal.GFU_Name)
        row = 0
        for code, colour, label in classes:
            rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
            rat.SetValueAsInt(row, 0, int(code))
            for k in range(3):
                rat.SetValueAsInt(row, 1 + k, rgb[k])
            rat.SetValueAsString(row, 4, _tr(label))
            row += 1
        ds.GetRasterBand(b).SetDefaultRAT(rat)
    ds = None
    aux = tmp + ".aux.xml"
    outs = outputs.current()
    if outs is not None and tmp != str(raster_path) and os.path.exists(aux):
        outs.adopt(aux, str(raster_path) + ".aux.xml")
