"""Vector layers without QGIS (OGR): the features of a layer as units of a
spatial statistic, and a copy of the layer with added fields, written as
part of the current output set. The QGIS algorithms do the same through
QgsFeatureSource and feature sinks (algorithms/declared.py)."""
import math
import os

import numpy as np
from osgeo import ogr

from ..errors import N_, InputError
from . import StackError, outputs

DRIVERS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON"}
POLYGONS = (ogr.wkbPolygon, ogr.wkbMultiPolygon, ogr.wkbCurvePolygon, ogr.wkbMultiSurface)
_KINDS = {"double": ogr.OFTReal, "int": ogr.OFTInteger, "int64": ogr.OFTInteger64,
          "string": ogr.OFTString}


def _open(path):
    try:
        ds = ogr.Open(str(path))
    except RuntimeError:
        ds = None
    if ds is None or ds.GetLayerCount() == 0:
        raise StackError(N_("cannot open the vector layer {}"), path)
    return ds


def read_records(path):
    """(field names, [[value or None]]) of the first layer of ``path``."""
    ds = _open(path)
    lyr = ds.GetLayer(0)
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    rows = [[feat.GetField(i) if feat.IsFieldSetAndNotNull(i) else None
             for i in range(len(names))] for feat in lyr]
    ds = None
    return names, rows


def read_features(path, field_name, group_field=None, need_geometry=True):
    """([(fid, value, wkb, centroid, group)], {"polygon", "geographic", "crs"})
    of the first layer of ``path``: the raw values of ``field_name`` and
    ``group_field`` (None for NULL), the ISO WKB and the centroid of each
    geometry (None without one, or when ``need_geometry`` is False)."""
    ds = _open(path)
    lyr = ds.GetLayer(0)
    defn = lyr.GetLayerDefn()
    for f in (field_name, group_field):
        if f and defn.GetFieldIndex(f) < 0:
            raise InputError(N_("the vector layer has no field '{}'"), f)
    records = []
    for feat in lyr:
        value = feat.GetField(field_name) if feat.IsFieldSetAndNotNull(field_name) else None
        group = None
        if group_field and feat.IsFieldSetAndNotNull(group_field):
            group = feat.GetField(group_field)
        wkb = centroid = None
        g = feat.GetGeometryRef()
        if need_geometry and g is not None and not g.IsEmpty():
            wkb = bytes(g.ExportToIsoWkb())
            c = g.Centroid()
            centroid = (c.GetX(), c.GetY())
        records.append((feat.GetFID(), value, wkb, centroid, group))
    srs = lyr.GetSpatialRef()
    crs = ""
    if srs is not None:
        auth = srs.GetAuthorityName(None)
        crs = f"{auth}:{srs.GetAuthorityCode(None)}" if auth else (srs.GetName() or "")
    return records, {"polygon": ogr.GT_Flatten(lyr.GetGeomType()) in POLYGONS,
                     "geographic": bool(srs is not None and srs.IsGeographic()),
                     "crs": crs}


def geometry_kind(path):
    """"polygon", "point" or "line" of the first layer of a vector file."""
    ds = _open(path)
    flat = ogr.GT_Flatten(ds.GetLayer(0).GetGeomType())
    if flat in POLYGONS:
        return "polygon"
    return "line" if flat in (ogr.wkbLineString, ogr.wkbMultiLineString) else "point"


def copy_with_fields(src_path, out_path, unit_of, columns):
    """Copy the first layer of ``src_path`` to ``out_path`` (GeoPackage or
    GeoJSON by its extension) with ``columns`` [(field, kind, per-unit
    array)] added: feature ``k`` gets unit ``unit_of[k]``'s values (NULL for
    -1, NaN and the -128 class code). Returns ``out_path``."""
    ext = os.path.splitext(str(out_path))[1].lower()
    if ext not in DRIVERS:
        raise InputError(N_("{}: vector outputs are GeoPackage (.gpkg) or GeoJSON (.geojson) "
                            "files"), out_path)
    src = _open(src_path)
    lyr = src.GetLayer(0)
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    for name, _, _ in columns:
        if name in names:
            raise InputError(N_("the input layer already has a field '{}': rename it first"), name)
    current = outputs.current()
    tmp = current.stage(out_path) if current is not None else str(out_path)
    out_ds = ogr.GetDriverByName(DRIVERS[ext]).CreateDataSource(tmp)
    if out_ds is None:
        raise InputError(N_("cannot create the vector layer {}"), out_path)
    try:
        srs = lyr.GetSpatialRef()
        srs = srs.Clone() if srs is not None else None
        name = os.path.splitext(os.path.basename(str(out_path)))[0]
        out = out_ds.CreateLayer(name, srs, lyr.GetGeomType())
        for i in range(defn.GetFieldCount()):
            out.CreateField(defn.GetFieldDefn(i))
        for fname, kind, _ in columns:
            out.CreateField(ogr.FieldDefn(fname, _KINDS[kind]))
        out_defn = out.GetLayerDefn()
        first = defn.GetFieldCount()
        out.StartTransaction()
        lyr.ResetReading()
        for k, feat in enumerate(lyr):
            f = ogr.Feature(out_defn)
            f.SetFrom(feat)
            u = unit_of[k]
            for j, (_, kind, col) in enumerate(columns):
                v = None if u < 0 else col[u]
                if v is not None:
                    v = v.item() if isinstance(v, np.generic) else v
                    if kind == "int" and v == -128 or isinstance(v, float) and \
                            not math.isfinite(v):
                        v = None
                if v is None:
                    f.SetFieldNull(first + j)
                else:
                    f.SetField(first + j, int(v) if kind in ("int", "int64") else v)
            out.CreateFeature(f)
        out.CommitTransaction()
    finally:
        out_ds = None
        src = None
    return str(out_path)
