"""Small maps of a run's raster outputs in its HTML report, rendered by QGIS
with the style each output opens with (the .qml written beside it), headless
(QgsMapRendererSequentialJob on a QImage: no window, any thread).

``add_maps(results)`` runs inside the run's output set, after the styles are
written: every HTML report among the results gets a "Maps" section before
``</body>`` with one PNG (base64, the report stays one file) and a legend per
raster output. The command line's reports have no maps (no QGIS there).
"""
import base64
import html
import os

from qgis.core import QgsMapRendererSequentialJob, QgsMapSettings, QgsRasterLayer
from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice, QSize
from qgis.PyQt.QtGui import QColor

from ..core.io.outputs import open_text, readable

MAP_WIDTH = 480                 # pixels; the height follows the raster's aspect
LEGEND_ITEMS = 12               # legend entries shown at most


def tr(text):
    from qgis.PyQt.QtCore import QCoreApplication
    return QCoreApplication.translate("CarbonSink", text)


def _write_only():
    flag = getattr(QIODevice, "OpenModeFlag", QIODevice)      # Qt6 scoped enum
    return flag.WriteOnly


def render_png(path, name, width=MAP_WIDTH):
    """(PNG bytes, legend [(label, "#rrggbb")]) of the raster ``path`` in the
    style of its .qml sidecar (QGIS's default style without one); None when
    QGIS cannot open it."""
    layer = QgsRasterLayer(readable(path), name, "gdal")
    if not layer.isValid():
        return None
    qml = os.path.splitext(path)[0] + ".qml"
    qml = readable(qml)
    if os.path.exists(qml):
        layer.loadNamedStyle(qml)
    extent = layer.extent()
    if extent.width() <= 0 or extent.height() <= 0:
        return None
    height = max(40, min(2 * width, round(width * extent.height() / extent.width())))
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setOutputSize(QSize(width, height))
    settings.setExtent(extent)
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(_write_only())
    image.save(buf, "PNG")
    buf.close()
    legend = []
    renderer = layer.renderer()
    if renderer is not None:
        for label, colour in renderer.legendSymbologyItems()[:LEGEND_ITEMS]:
            legend.append((str(label), colour.name()))
    return bytes(data), legend


def maps_html(rasters):
    """The "Maps" section for [(title, path)]; "" when none renders."""
    parts = []
    for title, path in rasters:
        got = render_png(path, title)
        if got is None:
            continue
        png, legend = got
        items = "".join(f'<li><span style="display:inline-block;width:14px;height:11px;'
                        f'background:{c};border:1px solid #888;margin-right:5px"></span>'
                        f'{html.escape(label)}</li>' for label, c in legend)
        parts.append(
            f'<figure style="display:inline-block;vertical-align:top;margin:0 18px 18px 0">'
            f'<img alt="{html.escape(title)}" style="border:1px solid #ccc" '
            f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">'
            f'<figcaption style="font-size:13px"><b>{html.escape(title)}</b>'
            f'<ul style="list-style:none;padding:0;margin:4px 0;font-size:12px">{items}</ul>'
            f'</figcaption></figure>')
    if not parts:
        return ""
    note = tr("Each raster output in the style it opens with in QGIS.")
    return (f'<section class="maps"><h2>{html.escape(tr("Maps"))}</h2>'
            f'<p style="font-size:13px">{html.escape(note)}</p>' + "".join(parts)
            + "</section>")


def add_maps(results, titles):
    """Append the maps of the GeoTIFF results to each HTML result (both staged
    in the run's output set). ``titles``: {output name: its label}."""
    reports = [p for p in results.values()
               if isinstance(p, str) and p.lower().endswith((".html", ".htm"))]
    rasters = [(titles.get(k, k), p) for k, p in results.items()
               if isinstance(p, str) and p.lower().endswith((".tif", ".tiff"))]
    if not reports or not rasters:
        return
    section = maps_html(rasters)
    if not section:
        return
    for report in reports:
        with open(readable(report), encoding="utf-8") as f:
            text = f.read()
        at = text.rfind("</body>")
        text = text[:at] + section + text[at:] if at >= 0 else text + section
        with open_text(report) as f:
            f.write(text)
