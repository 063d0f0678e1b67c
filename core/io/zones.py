"""Zones (polygons) on a stack's grid, for per-zone statistics.

The caller hands over plain geometries (WKB, already in the raster's CRS) with
an integer zone id each; :func:`rasterize_zones` burns them into a tiled Int32
GeoTIFF on the stack's grid (GDAL rasterises in chunks, so memory does not
grow with the raster), which is then streamed like any other layer.
Pixels outside every zone get 0.
"""
import os

from osgeo import gdal, ogr, osr

from .raster import TILE, RasterStack, StackError

NO_ZONE = 0


def rasterize_zones(geometries, grid, path, all_touched=False):
    """Burn ``geometries`` (iterable of (zone_id > 0, wkb bytes)) onto ``grid``.

    Later geometries overwrite earlier ones where they overlap. Returns a
    one-layer :class:`RasterStack` of the zone ids (0 = outside every zone).
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
            raise ValueError("zone ids must be positive integers")
        geom = ogr.CreateGeometryFromWkb(bytes(wkb))
        if geom is None:
            continue
        feat = ogr.Feature(layer.GetLayerDefn())
        feat.SetField("zone", int(zone_id))
        feat.SetGeometry(geom)
        layer.CreateFeature(feat)
        count += 1
    if count == 0:
        raise StackError("the zone layer has no polygon")
    drv = gdal.GetDriverByName("GTiff")
    ds = drv.Create(str(path), grid.cols, grid.rows, 1, gdal.GDT_Int32,
                    ["TILED=YES", f"BLOCKXSIZE={TILE}", f"BLOCKYSIZE={TILE}",
                     "COMPRESS=DEFLATE", "BIGTIFF=IF_SAFER"])
    ds.SetGeoTransform(grid.geotransform)
    if grid.crs_wkt:
        ds.SetProjection(grid.crs_wkt)
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(-1)       # 0 stays a value: "outside every zone"
    band.Fill(NO_ZONE)
    opts = ["ATTRIBUTE=zone"] + (["ALL_TOUCHED=TRUE"] if all_touched else [])
    err = gdal.RasterizeLayer(ds, [1], layer, options=opts)
    ds.FlushCache()
    ds = None
    if err != 0:
        raise StackError(f"rasterising the zones failed: {gdal.GetLastErrorMsg()}")
    return RasterStack(str(path), name="zones")


def zones_from_vector(path, grid, out_path, layer_name=None, name_field=None,
                      all_touched=False):
    """Rasterise a polygon file (headless use): returns (zone stack, {id: name}).

    Features are numbered 1..N in reading order; their names come from
    ``name_field`` (default: the feature id). Geometries are reprojected to
    the grid's CRS when both CRS are known.
    """
    src = ogr.Open(str(path))
    if src is None:
        raise StackError(f"cannot open vector {path}")
    lyr = src.GetLayerByName(layer_name) if layer_name else src.GetLayer(0)
    if lyr is None:
        raise StackError(f"{path}: no layer {layer_name!r}")
    transform = None
    if grid.crs_wkt and lyr.GetSpatialRef() is not None:
        dst = osr.SpatialReference()
        dst.ImportFromWkt(grid.crs_wkt)
        srs = lyr.GetSpatialRef().Clone()
        for s in (srs, dst):
            s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        if not srs.IsSame(dst):
            transform = osr.CoordinateTransformation(srs, dst)
    geoms, names = [], {}
    for k, feat in enumerate(lyr, start=1):
        g = feat.GetGeometryRef()
        if g is None:
            continue
        g = g.Clone()
        if transform is not None:
            g.Transform(transform)
        geoms.append((k, g.ExportToWkb()))
        names[k] = str(feat.GetField(name_field)) if name_field else str(feat.GetFID())
    return rasterize_zones(geoms, grid, out_path, all_touched), names


def remove_quietly(path):
    for p in (path, str(path) + ".aux.xml"):
        try:
            os.remove(p)
        except OSError:
            pass
