#!/usr/bin/env python3
"""Generate deterministic synthetic example data for the CarbonSink plugin.

Usage:  python3 scripts/make_example_data.py [OUTDIR]     (default: example-data)

Creates annual NPP rasters (single files + one stack), monthly/annual
temperature and precipitation stacks, a regions GeoPackage and a README in a
fictional region of southern China. Only numpy and GDAL/OGR are required; the
output is fully determined by SEED and the grid/year arguments, and existing
outputs are overwritten.
"""
import os
import sys

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()

# --------------------------------------------------------------- constants ---
SEED = 20240601
WEST, EAST, SOUTH, NORTH = 110.0, 118.0, 24.0, 30.0  # extent (degrees)
COLS, ROWS = 160, 120                                # -> 0.05 degree cells
YEARS = range(2000, 2024)
NODATA = -9999.0
EPSG = 4326
GTIFF_OPTIONS = ["TILED=YES", "COMPRESS=DEFLATE", "INTERLEAVE=BAND", "NUM_THREADS=ALL_CPUS"]
NPP_MAX = 900.0
GAP_FRACTION = 0.002      # share of valid pixel-years set to nodata in NPP
# Regions: four irregular polygons meeting at CENTRE (lon, lat); the dividers
# run from CENTRE to the grid edges, so the polygons tile the extent exactly.
CENTRE = (114.4, 27.3)
DIV_N = [(114.0, 28.6), (113.8, NORTH)]
DIV_E = [(116.5, 27.6), (EAST, 27.9)]
DIV_S = [(114.9, 25.5), (114.6, SOUTH)]
DIV_W = [(112.2, 27.0), (WEST, 26.8)]


def _waves(lon, lat, rng, n=3):
    """Smooth random field in [-1, 1]: mean of n long-wavelength cosines."""
    f = np.zeros_like(lon)
    for _ in range(n):
        kx, ky = rng.uniform(0.08, 0.3, 2)  # cycles per degree
        f += np.cos(2 * np.pi * (kx * lon + ky * lat) + rng.uniform(0, 2 * np.pi))
    return f / n


def _write_tif(path, data, geotransform, descriptions=None, units=None):
    """Write a (bands, rows, cols) array (NaN = nodata) as Float32 GeoTIFF."""
    drv = gdal.GetDriverByName("GTiff")
    if os.path.exists(path):
        drv.Delete(path)  # also removes stale .aux.xml side-car files
    nb, rows, cols = data.shape
    ds = drv.Create(path, cols, rows, nb, gdal.GDT_Float32, GTIFF_OPTIONS)
    ds.SetGeoTransform(geotransform)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    ds.SetProjection(srs.ExportToWkt())
    for i in range(nb):
        band = ds.GetRasterBand(i + 1)
        band.SetNoDataValue(NODATA)
        band.WriteArray(np.where(np.isnan(data[i]), NODATA, data[i]).astype(np.float32))
        if descriptions:
            band.SetDescription(str(descriptions[i]))
        if units:
            band.SetUnitType(units)
    ds.FlushCache()
    ds = None
    return path


def _write_regions(path):
    """GeoPackage layer 'regions' with 4 polygons (name, code) tiling the grid."""
    if os.path.exists(path):
        os.remove(path)
    rings = {
        "North-West": [(WEST, NORTH)] + DIV_N[::-1] + [CENTRE] + DIV_W + [(WEST, NORTH)],
        "North-East": [DIV_N[-1], (EAST, NORTH)] + DIV_E[::-1] + [CENTRE]
                      + DIV_N[:1] + [DIV_N[-1]],
        "South-West": [CENTRE] + DIV_S + [(WEST, SOUTH)] + DIV_W[::-1] + [CENTRE],
        "South-East": [CENTRE] + DIV_E + [(EAST, SOUTH)] + DIV_S[::-1] + [CENTRE],
    }
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)  # lon, lat
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    lyr = ds.CreateLayer("regions", srs, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    lyr.CreateField(ogr.FieldDefn("code", ogr.OFTInteger))
    for code, name in enumerate(["North-West", "North-East", "South-West", "South-East"], 1):
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for x, y in rings[name]:
            ring.AddPoint_2D(x, y)
        poly = ogr.Geometry(ogr.wkbPolygon)
        poly.AddGeometry(ring)
        feat = ogr.Feature(lyr.GetLayerDefn())
        feat.SetField("name", name)
        feat.SetField("code", code)
        feat.SetGeometry(poly)
        lyr.CreateFeature(feat)
    ds = None
    return path


def make_example_data(outdir, years=YEARS, cols=COLS, rows=ROWS):
    """Generate all example files in outdir; return a dict of their paths.

    The extent is fixed (WEST..EAST, SOUTH..NORTH); cols/rows set the cell
    size (default 0.05 degree). Keys: npp (list, one per year), npp_stack,
    temperature_monthly, precipitation_monthly, temperature_annual,
    precipitation_annual, regions, readme.
    """
    years = list(years)
    ny = len(years)
    os.makedirs(outdir, exist_ok=True)
    rng = np.random.default_rng(SEED)
    xres, yres = (EAST - WEST) / cols, (NORTH - SOUTH) / rows
    gt = (WEST, xres, 0.0, NORTH, 0.0, -yres)
    lon, lat = np.meshgrid(WEST + (np.arange(cols) + 0.5) * xres,
                           NORTH - (np.arange(rows) + 0.5) * yres)
    u, v = (lon - WEST) / (EAST - WEST), (lat - SOUTH) / (NORTH - SOUTH)
    t = np.array(years, dtype=float) - np.mean(years)  # years centred on 0
    mon = np.arange(12)

    # Wetness/warmth gradient: 0 in the north-west .. 1 in the south-east.
    g = np.clip(0.5 * (u + 1 - v) + 0.08 * _waves(lon, lat, rng), 0, 1)

    # Static mask (True = nodata): a rotated elliptic lake and an irregular
    # desert patch in the north-west.
    a = np.deg2rad(30)
    dx, dy = lon - 115.6, lat - 28.6
    lake = ((dx * np.cos(a) + dy * np.sin(a)) / 0.7) ** 2 + \
           ((-dx * np.sin(a) + dy * np.cos(a)) / 0.35) ** 2 <= 1
    dx, dy = lon - 111.0, lat - 29.0
    th = np.arctan2(dy, dx)
    desert = np.hypot(dx, dy) <= 0.7 * (1 + 0.3 * np.cos(3 * th) + 0.15 * np.sin(5 * th))
    mask = lake | desert

    # ---- Temperature (deg C): mean 16..22, half-amplitude 10..14, Jan coldest,
    # Jul warmest, +0.03 deg C/yr, shared monthly anomaly + local noise.
    t_mean = 16 + 6 * g + 0.5 * _waves(lon, lat, rng)
    t_amp = 10 + 4 * (1 - g)
    season = -np.cos(2 * np.pi * mon / 12)                       # -1 Jan, +1 Jul
    temp = (t_mean + t_amp * season[None, :, None, None]
            + 0.03 * t[:, None, None, None]
            + rng.normal(0, 0.4, (ny, 12, 1, 1))                  # shared anomaly
            + rng.normal(0, 0.8, (ny, 12, rows, cols)))           # local noise

    # ---- Precipitation (mm): annual 600..1800, monsoon peak Jun-Aug, shared
    # yearly factor, gamma-distributed monthly values (never negative).
    p_ann = np.clip(600 + 1200 * g + 60 * _waves(lon, lat, rng), 400, None)
    w = 0.3 + np.exp(-0.5 * ((mon - 6) / 1.5) ** 2)
    w /= w.sum()
    year_fac = rng.lognormal(0, 0.12, (ny, 1, 1, 1))
    mu = p_ann * w[None, :, None, None] * year_fac
    shape = 4.0
    prec = rng.gamma(shape, mu / shape)

    # Round to 0.1 (much better compression); annual values derive exactly
    # from the rounded monthly values.
    temp, prec = np.round(temp, 1), np.round(prec, 1)
    temp_a, prec_a = temp.mean(axis=1), prec.sum(axis=1)          # (ny, r, c)

    # ---- NPP (g C m-2 yr-1): base ~200 (NW) .. ~800 (SE); trend +2..+8 /yr,
    # declining (-10 /yr at centre) in an "urbanising" blob; coupled to
    # climate anomalies (drier -> lower; warmer helps NW, hurts SE).
    base = 200 + 600 * g + 30 * _waves(lon, lat, rng)
    trend = 2 + 6 * np.clip(1 - g + 0.15 * _waves(lon, lat, rng), 0, 1)
    urban = np.exp(-((lon - 116.6) ** 2 + (lat - 25.2) ** 2) / (2 * 0.45 ** 2))
    trend = trend * (1 - urban) - 10 * urban
    d_temp = temp_a - t_mean - 0.03 * t[:, None, None]            # anomaly
    d_prec = prec_a / p_ann - 1                                   # relative anomaly
    npp = (base + trend * t[:, None, None]
           + (0.05 + 0.2 * (1 - g)) * base * d_prec
           + 15 * (1 - 2 * g) * d_temp
           + rng.normal(0, 10, (ny, 1, 1))                        # shared signal
           + rng.normal(0, 20, (ny, rows, cols)))                 # noise
    npp = np.round(np.clip(npp, 0, NPP_MAX), 1)
    gaps = (rng.random(npp.shape) < GAP_FRACTION) & ~mask
    npp[gaps | mask] = np.nan

    temp = temp.reshape(ny * 12, rows, cols)
    prec = prec.reshape(ny * 12, rows, cols)
    for arr in (temp, prec, temp_a, prec_a):
        arr[:, mask] = np.nan

    # ---- Write outputs
    def p(name):
        return os.path.join(outdir, name)

    ydesc = [str(y) for y in years]
    mdesc = ["%d-%02d" % (y, m + 1) for y in years for m in mon]
    npp_unit = "g C m-2 yr-1"
    out = {"npp": [_write_tif(p("npp_%d.tif" % y), npp[i:i + 1], gt, [str(y)], npp_unit)
                   for i, y in enumerate(years)]}
    for key, data, desc, unit in [("npp_stack", npp, ydesc, npp_unit),
                                  ("temperature_monthly", temp, mdesc, "deg C"),
                                  ("precipitation_monthly", prec, mdesc, "mm"),
                                  ("temperature_annual", temp_a, ydesc, "deg C"),
                                  ("precipitation_annual", prec_a, ydesc, "mm")]:
        out[key] = _write_tif(p(key + ".tif"), data, gt, desc, unit)
    gdal.SetConfigOption("OGR_CURRENT_DATE", "2024-01-01T00:00:00Z")  # reproducible gpkg
    out["regions"] = _write_regions(p("regions.gpkg"))
    gdal.SetConfigOption("OGR_CURRENT_DATE", None)

    readme = f"""CarbonSink synthetic example data (generated by scripts/make_example_data.py,
seed {SEED}). Entirely fictional values; for testing and demonstration only.

Grid (identical for all rasters): EPSG:4326, lon {WEST}..{EAST} E, lat {SOUTH}..{NORTH} N,
{cols} columns x {rows} rows, cell {xres:g} x {yres:g} degrees. GeoTIFF, Float32,
nodata {NODATA:g}. Years {years[0]}-{years[-1]} ({ny} years).
A lake (ellipse) and a desert patch in the north-west are nodata in every file;
about {GAP_FRACTION:.1%} of NPP pixel-years are additionally nodata (gaps).

npp_YYYY.tif               annual NPP, g C m-2 yr-1 (0..{NPP_MAX:g}), one file per year
npp_stack.tif              the same, {ny} bands (band i = year {years[0]}+i-1)
temperature_monthly.tif    monthly mean air temperature, deg C, {ny * 12} bands (YYYY-MM)
precipitation_monthly.tif  monthly precipitation, mm, {ny * 12} bands (YYYY-MM)
temperature_annual.tif     annual mean temperature, deg C, {ny} bands
precipitation_annual.tif   annual total precipitation, mm, {ny} bands
regions.gpkg               layer 'regions': 4 polygons, fields name (string), code (1-4)

NPP: higher in the wet south-east, positive trend (+2..+8 g C m-2 yr-1 per year)
in most areas, declining in an "urbanising" area in the south-east (about
-10 per year at its centre), plus climate-driven and random year-to-year noise.
"""
    with open(p("README.txt"), "w") as f:
        f.write(readme)
    out["readme"] = p("README.txt")
    return out


if __name__ == "__main__":
    paths = make_example_data(sys.argv[1] if len(sys.argv) > 1 else "example-data")
    for key, val in paths.items():
        print("%-22s %s" % (key, val if isinstance(val, str) else "%d files" % len(val)))
