"""QML styles and GDAL class tables of the outputs (no QGIS import).

Class outputs get a paletted QML file beside them (same base name; QGIS
loads it as the layer's default style wherever the file is opened) and a
GDAL raster attribute table (codes, colours, names) that GDAL, ArcGIS and R
read; continuous outputs a single-band pseudocolour QML by kind (diverging
ramps centred on 0, sequential, p-values in classes). Every function takes
``tr``, the translator of the labels (identity by default; the QGIS layer
passes Qt's). Used by the QGIS algorithms and the command line alike.
"""
import os
from xml.sax.saxutils import quoteattr

from .io.outputs import write_text


def _same(text):
    return text


_MINMAX = """      <minMaxOrigin><limits>None</limits><extent>WholeRaster</extent>
        <statAccuracy>Estimated</statAccuracy><cumulativeCutLower>0.02</cumulativeCutLower>
        <cumulativeCutUpper>0.98</cumulativeCutUpper><stdDevFactor>2</stdDevFactor></minMaxOrigin>"""


def _qml(renderer):
    """A QGIS 3.22+ raster style around one <rasterrenderer> element."""
    return f"""<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="AllStyleCategories">
  <pipe>
{renderer}
    <brightnesscontrast brightness="0" contrast="0" gamma="1"/>
    <huesaturation saturation="0" colorizeOn="0" grayscaleMode="0"/>
    <rasterresampler maxOversampling="2"/>
  </pipe>
  <blendMode>0</blendMode>
</qgis>
"""


def paletted_qml(classes, band=1, tr=_same):
    entries = "\n".join(
        f'        <paletteEntry value="{code}" color="{colour}" alpha="255" '
        f'label={quoteattr(tr(label))}/>' for code, colour, label in classes)
    return _qml(f"""    <rasterrenderer type="paletted" band="{band}" opacity="1" alphaBand="-1" \
nodataColor="">
      <rasterTransparency/>
{_MINMAX}
      <colorPalette>
{entries}
      </colorPalette>
      <colorramp type="randomcolors" name="[source]"/>
    </rasterrenderer>""")


def _rgba(colour):
    c = colour.lstrip("#")
    return f"{int(c[0:2], 16)},{int(c[2:4], 16)},{int(c[4:6], 16)},255"


_SYMBOL_LAYERS = {
    "polygon": ("fill", "SimpleFill", [("color", None), ("outline_color", "35,35,35,255"),
                                       ("outline_width", "0.26"), ("style", "solid")]),
    "point": ("marker", "SimpleMarker", [("color", None), ("outline_color", "35,35,35,255"),
                                         ("name", "circle"), ("size", "2.4")]),
    "line": ("line", "SimpleLine", [("line_color", None), ("line_width", "0.6")]),
}


def categorized_qml(field_name, classes, geometry="polygon", tr=_same):
    """A categorized vector style on ``field_name`` with the (code, colour,
    label) ``classes``, for a polygon, point or line layer: QGIS opens a
    vector file with it when it lies beside the file (same base name)."""
    kind, layer_class, props = _SYMBOL_LAYERS[geometry]
    cats, syms = [], []
    for k, (code, colour, label) in enumerate(classes):
        cats.append(f'      <category value="{code}" symbol="{k}" label={quoteattr(tr(label))} '
                    'render="true"/>')
        values = "\n".join(f'          <prop k="{key}" v="{_rgba(colour) if v is None else v}"/>'
                           for key, v in props)
        syms.append(f"""      <symbol type="{kind}" name="{k}" alpha="1" clip_to_extent="1" \
force_rhr="0">
        <layer class="{layer_class}" enabled="1" locked="0" pass="0">
{values}
        </layer>
      </symbol>""")
    cats, syms = "\n".join(cats), "\n".join(syms)
    return f"""<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology">
  <renderer-v2 type="categorizedSymbol" attr={quoteattr(field_name)} symbollevels="0" \
enableorderby="0" forceraster="0">
    <categories>
{cats}
    </categories>
    <symbols>
{syms}
    </symbols>
  </renderer-v2>
</qgis>
"""


def pseudocolor_qml(items, vmin, vmax, ramp_type="INTERPOLATED", band=1, precision=None):
    """Single-band pseudocolour style: ``items`` (value, colour, label)."""
    entries = "\n".join(
        f'          <item alpha="255" value="{v!r}" color="{c}" label={quoteattr(str(label))}/>'
        for v, c, label in items)
    prec = "" if precision is None else f' labelPrecision="{precision}"'
    return _qml(f"""    <rasterrenderer type="singlebandpseudocolor" band="{band}" opacity="1" \
alphaBand="-1"
        classificationMin="{vmin!r}" classificationMax="{vmax!r}" nodataColor="">
      <rasterTransparency/>
{_MINMAX}
      <rastershader>
        <colorrampshader colorRampType="{ramp_type}" classificationMode="1" clip="0"
            minimumValue="{vmin!r}" maximumValue="{vmax!r}"{prec}>
{entries}
        </colorrampshader>
      </rastershader>
    </rasterrenderer>""")


def write_style(raster_path, classes, tr=_same):
    """Write ``<raster base name>.qml`` beside the raster, and the classes
    (value, colour, name) as a GDAL raster attribute table in the raster's
    ``.aux.xml`` (GDAL, ArcGIS and R read it); return the QML's path."""
    qml = os.path.splitext(raster_path)[0] + ".qml"
    write_class_table(raster_path, classes, tr)
    return write_text(qml, paletted_qml(classes, tr=tr))


def write_class_table(raster_path, classes, tr=_same):
    """The class table of every band of ``raster_path`` (an output of the
    current run, still under its temporary name) as a GDAL RAT."""
    from osgeo import gdal

    from .io import outputs
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
            rat.SetValueAsString(row, 4, tr(label))
            row += 1
        ds.GetRasterBand(b).SetDefaultRAT(rat)
    ds = None
    aux = tmp + ".aux.xml"
    outs = outputs.current()
    if outs is not None and tmp != str(raster_path) and os.path.exists(aux):
        outs.adopt(aux, str(raster_path) + ".aux.xml")


# -------------------------------------------------------------- continuous
#: colour stops (position 0..1, colour) of the continuous ramps
_RAMPS = {
    # decrease red .. 0 pale yellow .. increase green (slopes, Z, r, NEP, tau)
    "diverging": [(0.0, "#a50026"), (0.25, "#f46d43"), (0.5, "#ffffbf"), (0.75, "#66bd63"),
                  (1.0, "#006837")],
    # H: anti-persistent purple .. 0.5 white .. persistent orange
    "hurst": [(0.0, "#542788"), (0.25, "#998ec3"), (0.5, "#f7f7f7"), (0.75, "#f1a340"),
              (1.0, "#b35806")],
    # magnitudes (CV, CSCC, saturation, areas): viridis
    "sequential": [(0.0, "#440154"), (0.25, "#3b528b"), (0.5, "#21918c"), (0.75, "#5ec962"),
                   (1.0, "#fde725")],
}
#: p- and q-values: the usual significance levels
P_BREAKS = [(0.01, "#08306b", "p <= 0.01"), (0.05, "#2171b5", "0.01 < p <= 0.05"),
            (0.1, "#6baed6", "0.05 < p <= 0.1"), (1.0, "#f0f0f0", "p > 0.1")]


def _fmt(v):
    return f"{v:.4g}"


def ramp_kind(param):
    """The ramp of a continuous output from its parameter name."""
    key = param.upper().replace("OUTPUT_", "")
    if key in ("P", "Q", "PVALUE", "P_SIM", "QVALUE"):
        return "pvalue"
    if key == "H":
        return "hurst"
    if key in ("SLOPE", "Z", "R", "NEP", "TAU", "I", "RH_CHANGE", "CHANGE", "ECS", "CNC",
               "MEAN", "RCS", "YEARS", "POTENTIAL"):
        return "diverging"
    return "sequential"


def continuous_qml(kind, lo, hi, band=1, tr=_same):
    """A single-band pseudocolour style (band ``band`` of a multiband output
    loads alone): diverging ramps centred on 0 (0.5 for H) and symmetric,
    sequential from the minimum to the maximum, p-values in classes."""
    if kind == "pvalue":
        ramp_type, vmin, vmax = "DISCRETE", 0.0, 1.0
        items = [(v, c, tr(label)) for v, c, label in P_BREAKS]
    else:
        if kind in ("diverging", "hurst"):
            centre = 0.5 if kind == "hurst" else 0.0
            half = max(abs(hi - centre), abs(lo - centre)) or 1.0
            vmin, vmax = centre - half, centre + half
        else:
            vmin, vmax = (lo, hi) if hi > lo else (lo - 1.0, lo + 1.0)
        ramp_type = "INTERPOLATED"
        items = [(vmin + f * (vmax - vmin), c, _fmt(vmin + f * (vmax - vmin)))
                 for f, c in _RAMPS[kind]]
    return pseudocolor_qml(items, vmin, vmax, ramp_type)


def write_continuous_style(raster_path, kind, tr=_same):
    """``<base name>.qml`` for a continuous output, from the range of its
    first band (GDAL's approximate min/max); None when it has no data."""
    from osgeo import gdal

    from .io import outputs
    qml = os.path.splitext(raster_path)[0] + ".qml"
    current = outputs.current()
    if current is not None and qml in current:
        return qml                      # the algorithm wrote its own style
    ds = gdal.Open(outputs.readable(raster_path))
    if ds is None:
        return None
    try:
        lo, hi = ds.GetRasterBand(1).ComputeRasterMinMax(True)
    except (RuntimeError, TypeError):
        return None
    finally:
        ds = None
    if lo is None or hi is None or lo != lo or hi != hi:
        return None
    return write_text(qml, continuous_qml(kind, float(lo), float(hi), tr=tr))
