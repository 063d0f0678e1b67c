"""Zones (polygons) on a stack's grid, for per-zone statistics.

The caller hands over plain geometries (WKB, already in the raster's CRS) with
an integer zone id each; :func:`rasterize_zones` burns them into a tiled Int32
GeoTIFF on the stack's grid (GDAL rasterises in chunks, so memory does not
grow with the raster), which is then streamed like any other layer.
Pixels outside every zone get 0.
"""
import os

from osgeo import gdal, ogr, osr

from ..errors import N_, InputError
from .raster import TILE, RasterStack, StackError

NO_ZONE = 0


def rasterize_zones(geometries, grid, path, all_touched=False, names=None,
                    allow_overlaps=False):
    """Burn ``geometries`` (iterable of (zone_id > 0, wkb bytes)) onto ``grid``.

    A pixel belongs to the zone whose polygon holds its centre. Polygons of
    different zones that overlap are refused (StackError naming the two
    zones and the number of pixels): per-zone totals would silently give
    the overlap to one of them. With ``all_touched`` (every pixel a polygon
    touches) neighbouring zones share their boundary pixels, so the check is
    skipped and the later zone takes them; so it is with ``allow_overlaps``.
    Returns a one-layer :class:`RasterStack` of the zone ids (0 = outside
    every zone). ``names``: {zone id: name} for the messages.
    """
    mem = ogr.GetDriverByName("Memory").CreateDataSource("zones")
    srs = None
    if grid.crs_wkt:
        srs = osr.SpatialReference()
        srs.ImportFromWkt(grid.crs_wkt)
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    layer = mem.CreateLayer("zones", srs, ogr.wkbUnknown)
    layer.CreateField(ogr.FieldDefn("zone", ogr.OFTInteger))
    count = 0
    for zone_id, wkb in geometries:
        if int(zone_id) <= 0:
            raise InputError(N_("zone ids must be positive integers"))
        geom = ogr.CreateGeometryFromWkb(bytes(wkb))
        if geom is None:
            continue
        feat = ogr.Feature(layer.GetLayerDefn())
        feat.SetField("zone", int(zone_id))
        feat.SetGeometry(geom)
        layer.CreateFeature(feat)
        count += 1
    if count == 0:
        raise StackError(N_("the zone layer has no polygon"))
    _burn(layer, grid, str(path), all_touched)
    if not all_touched and not allow_overlaps:
        # the same features burnt in reverse order: a pixel whose zone
        # differs between the two is covered by two different zones
        from .outputs import remove_scratch, scratch_tif
        rev = scratch_tif(os.path.dirname(os.path.abspath(str(path))), "zones-rev")
        try:
            _burn(layer, grid, rev, all_touched, reverse=True)
            _check_overlaps(str(path), rev, names or {})
        finally:
            remove_scratch([rev])
    return RasterStack(str(path), name="zones")


def _burn(layer, grid, path, all_touched, reverse=False):
    drv = gdal.GetDriverByName("GTiff")
    ds = drv.Create(path, grid.cols, grid.rows, 1, gdal.GDT_Int32,
                    ["TILED=YES", f"BLOCKXSIZE={TILE}", f"BLOCKYSIZE={TILE}",
                     "COMPRESS=DEFLATE", "BIGTIFF=IF_SAFER"])
    ds.SetGeoTransform(grid.geotransform)
    if grid.crs_wkt:
        ds.SetProjection(grid.crs_wkt)
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(-1)       # 0 stays a value: "outside every zone"
    band.Fill(NO_ZONE)
    opts = ["ATTRIBUTE=zone"] + (["ALL_TOUCHED=TRUE"] if all_touched else [])
    src = layer
    if reverse:
        mem = ogr.GetDriverByName("Memory").CreateDataSource("zones_rev")
        src = mem.CreateLayer("zones", layer.GetSpatialRef(), ogr.wkbUnknown)
        src.CreateField(ogr.FieldDefn("zone", ogr.OFTInteger))
        feats = [f.Clone() for f in layer]
        layer.ResetReading()
        for f in reversed(feats):
            f.SetFID(-1)                  # memory layers iterate in FID order
            src.CreateFeature(f)
    err = gdal.RasterizeLayer(ds, [1], src, options=opts)
    ds.FlushCache()
    ds = None
    if err != 0:
        raise StackError(N_("rasterising the zones failed: {}"), gdal.GetLastErrorMsg())


def _check_overlaps(path, rev, names):
    import numpy as np
    a_ds, b_ds = gdal.Open(path), gdal.Open(rev)
    a_band, b_band = a_ds.GetRasterBand(1), b_ds.GetRasterBand(1)
    rows, cols = a_ds.RasterYSize, a_ds.RasterXSize
    step = max(TILE, (1 << 22) // max(cols, 1) // TILE * TILE)
    count, pair = 0, None
    for y in range(0, rows, step):
        h = min(step, rows - y)
        a = a_band.ReadAsArray(0, y, cols, h)
        b = b_band.ReadAsArray(0, y, cols, h)
        diff = a != b
        n = int(np.count_nonzero(diff))
        if n and pair is None:
            k = np.flatnonzero(diff)[0]
            pair = sorted((int(a.flat[k]), int(b.flat[k])))
        count += n
    if count:
        za, zb = (names.get(z, f"zone {z}") for z in pair)
        raise StackError(N_("zones {} and {} overlap ({} pixels lie in two or more zones): "
                            "per-zone totals would count the overlap in one zone only. Fix the "
                            "polygons (e.g. Vector > Geoprocessing > Union, then dissolve) or "
                            "give zones that do not overlap"), za, zb, count)


def zones_from_vector(path, grid, out_path, layer_name=None, name_field=None,
                      all_touched=False, group=False):
    """Rasterise a polygon file (headless use): returns (zone stack, {id: name}).

    Features are numbered 1..N in reading order; their names come from
    ``name_field`` (default: the feature id). With ``group`` (as the toolbox
    does) features with the same name share one zone and a NULL name is
    "feature <fid>". Geometries are reprojected to the grid's CRS when both
    CRS are known.
    """
    geoms, names = [], {}
    ids = {}
    for fid, name, wkb in vector_features(path, grid, layer_name, name_field):
        if group:
            label = f"feature {fid}" if name is None else name
            k = ids.setdefault(label, len(ids) + 1)
        else:
            k = len(geoms) + 1
            label = str(fid) if name_field is None else str(name)
        geoms.append((k, wkb))
        names[k] = label
    return rasterize_zones(geoms, grid, out_path, all_touched, names), names


def vector_features(path, grid, layer_name=None, name_field=None, value_field=None):
    """(fid, name or None, wkb in the grid's CRS[, value]) of the polygon
    features of a vector file; features without geometry are skipped."""
    src = ogr.Open(str(path))
    if src is None:
        raise StackError(N_("cannot open vector {}"), path)
    lyr = src.GetLayerByName(layer_name) if layer_name else src.GetLayer(0)
    if lyr is None:
        raise StackError(N_("{}: no layer {!r}"), path, layer_name)
    defn = lyr.GetLayerDefn()
    for f in (name_field, value_field):
        if f and defn.GetFieldIndex(f) < 0:
            raise StackError(N_("zone layer has no field '{}'"), f)
    transform = None
    if grid.crs_wkt and lyr.GetSpatialRef() is not None:
        dst = osr.SpatialReference()
        dst.ImportFromWkt(grid.crs_wkt)
        srs = lyr.GetSpatialRef().Clone()
        for s in (srs, dst):
            s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        if not srs.IsSame(dst):
            transform = osr.CoordinateTransformation(srs, dst)
    for feat in lyr:
        g = feat.GetGeometryRef()
        if g is None or g.IsEmpty():
            continue
        g = g.Clone()
        if transform is not None:
            g.Transform(transform)
        name = None
        if name_field and feat.IsFieldSetAndNotNull(name_field):
            name = str(feat.GetField(name_field))
        item = (feat.GetFID(), name, g.ExportToWkb())
        if value_field:
            v = feat.GetField(value_field) if feat.IsFieldSetAndNotNull(value_field) else None
            item += (v,)
        yield item


def remove_quietly(path):
    for p in (path, str(path) + ".aux.xml"):
        try:
            os.remove(p)
        except OSError:
            pass
