"""Test helpers: small GeoTIFFs and real reference series (no QGIS import)."""
import csv
import importlib.util
import os

import numpy as np
from osgeo import gdal, osr

GT = (110.0, 0.5, 0.0, 30.0, 0.0, -0.5)
NODATA = -9999.0


def write_tif(path, data, gt=GT, epsg=4326, nodata=NODATA, dtype=gdal.GDT_Float32,
              descriptions=None):
    """Write a (bands, rows, cols) or (rows, cols) array as a GeoTIFF; NaN -> nodata."""
    data = np.asarray(data, dtype=np.float64)
    if data.ndim == 2:
        data = data[None]
    bands, rows, cols = data.shape
    ds = gdal.GetDriverByName("GTiff").Create(str(path), cols, rows, bands, dtype)
    ds.SetGeoTransform(gt)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    for b in range(bands):
        band = ds.GetRasterBand(b + 1)
        if nodata is not None:
            band.SetNoDataValue(nodata)
            band.WriteArray(np.where(np.isnan(data[b]), nodata, data[b]))
        else:
            band.WriteArray(data[b])
        if descriptions:
            band.SetDescription(str(descriptions[b]))
    ds = None
    return str(path)


def read_tif(path):
    """(array float64 with NaN for nodata, dataset) of a GeoTIFF."""
    ds = gdal.Open(str(path))
    a = ds.ReadAsArray().astype(np.float64)
    nd = ds.GetRasterBand(1).GetNoDataValue()
    if nd is not None:
        a[a == nd] = np.nan
    return a, ds


def nile():
    """Annual Nile flow at Aswan 1871-1970 (10^8 m^3), shipped with statsmodels."""
    root = importlib.util.find_spec("statsmodels").submodule_search_locations[0]
    with open(os.path.join(root, "datasets", "nile", "nile.csv")) as f:
        rows = list(csv.DictReader(f))
    years = np.array([float(r["year"]) for r in rows])
    flow = np.array([float(r["volume"]) for r in rows])
    return years, flow


def npp_like_stack(n=24, rows=30, cols=40, seed=0, gaps=0.02):
    """Realistic NPP stack (g C m-2 yr-1): gradient, trends, noise, gaps, a masked lake."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:rows, 0:cols]
    base = 200 + 500 * (xx / cols) * (1 - 0.5 * yy / rows)
    trend = rng.normal(3.0, 4.0, size=(rows, cols))
    t = np.arange(n)[:, None, None]
    y = base + trend * t + rng.normal(0, 25, size=(n, rows, cols))
    y = np.round(np.clip(y, 0, 900), 1)          # rounding creates ties
    y[rng.random(y.shape) < gaps] = np.nan
    y[:, 2:5, 3:7] = np.nan                        # lake: never valid
    y[:, 10, 10] = 321.0                           # constant pixel
    return y
