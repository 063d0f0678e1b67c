#!/usr/bin/env python3
"""Generate deterministic synthetic data for the carbon-accounting algorithms.

Usage:  python3 scripts/make_accounting_data.py [OUTDIR]   (default: example-data)

Same fictional region and grid as scripts/make_example_data.py (110..118 E,
24..30 N, default 160 x 120 cells of 0.05 degree, EPSG:4326). Creates:
land cover at two dates (CNLUCC-like level-1 codes 1..6), annual runoff,
lithology classes, NEP, a CO2-emission raster, zones with a per-zone emission
field, three "model" monthly NEP products on three other grids (two GeoTIFFs
and one NetCDF written with GDAL's netCDF driver), and two small CSV tables
with FICTIONAL coefficients and rates (for trying the tools only). Only numpy
and GDAL/OGR are needed; outputs are fully determined by SEED and the
grid arguments.
"""
import os
import sys

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()

SEED = 20240602
WEST, EAST, SOUTH, NORTH = 110.0, 118.0, 24.0, 30.0
COLS, ROWS = 160, 120
NODATA = -9999.0
CLASS_NODATA = 255
EPSG = 4326
GTIFF = ["TILED=YES", "COMPRESS=DEFLATE", "INTERLEAVE=BAND"]
MODEL_YEARS = (2001, 2002, 2003)
#: name, cell size (deg), origin (west, north), format, multiplicative bias
MODELS = [("model_a", 0.1, (109.5, 30.5), "GTiff", 1.00),
          ("model_b", 0.25, (109.0, 31.0), "GTiff", 0.85),
          ("model_c", 0.5, (109.0, 31.0), "netCDF", 1.20)]
CNLUCC = {1: "Cropland", 2: "Forest", 3: "Grassland", 4: "Water", 5: "Built-up land",
          6: "Unused land"}
LITHOLOGY = {1: "Carbonate sedimentary rocks", 2: "Siliciclastic sedimentary rocks",
             3: "Acid plutonic rocks", 4: "Metamorphics", 5: "Unconsolidated sediments"}


def _srs():
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    return srs


def _waves(lon, lat, rng, n=3):
    f = np.zeros_like(lon)
    for _ in range(n):
        kx, ky = rng.uniform(0.1, 0.4, 2)
        f += np.cos(2 * np.pi * (kx * lon + ky * lat) + rng.uniform(0, 2 * np.pi))
    return f / n


def _write(path, data, gt, dtype=gdal.GDT_Float32, nodata=NODATA, descriptions=None,
           units=None):
    data = np.asarray(data)
    if data.ndim == 2:
        data = data[None]
    nb, rows, cols = data.shape
    if os.path.exists(path):
        gdal.GetDriverByName("GTiff").Delete(path)
    ds = gdal.GetDriverByName("GTiff").Create(path, cols, rows, nb, dtype, GTIFF)
    ds.SetGeoTransform(gt)
    ds.SetProjection(_srs().ExportToWkt())
    for b in range(nb):
        band = ds.GetRasterBand(b + 1)
        a = data[b]
        if np.issubdtype(a.dtype, np.floating):
            a = np.where(np.isnan(a), nodata, a)
        band.SetNoDataValue(nodata)
        band.WriteArray(a)
        if descriptions:
            band.SetDescription(str(descriptions[b]))
        if units:
            band.SetUnitType(units)
    ds = None
    return path


def write_netcdf(path, data, gt, var="nep", units="g C m-2 month-1",
                 time_units="days since 2001-01-01", times=None, nodata=NODATA):
    """A CF-style NetCDF-4 file as climate models write them: dimensions
    time, lat, lon with coordinate variables (latitudes ascending, i.e.
    south-up storage), a float variable with _FillValue, and no grid_mapping
    (GDAL then reports no CRS). ``data`` (time, rows, cols) is north-up;
    ``gt`` its geotransform. Written with GDAL's multidimensional API."""
    data = np.asarray(data, dtype=np.float32)
    nt, ny, nx = data.shape
    if os.path.exists(path):
        os.remove(path)
    ds = gdal.GetDriverByName("netCDF").CreateMultiDimensional(path, [], ["FORMAT=NC4"])
    rg = ds.GetRootGroup()
    f64 = gdal.ExtendedDataType.Create(gdal.GDT_Float64)
    text = gdal.ExtendedDataType.CreateString()
    dims = [rg.CreateDimension("time", "TEMPORAL", None, nt),
            rg.CreateDimension("lat", "HORIZONTAL_Y", None, ny),
            rg.CreateDimension("lon", "HORIZONTAL_X", None, nx)]
    if times is None:
        times = [round(30.4375 * (i + 0.5), 4) for i in range(nt)]
    lats = gt[3] + (np.arange(ny)[::-1] + 0.5) * gt[5]        # ascending
    lons = gt[0] + (np.arange(nx) + 0.5) * gt[1]
    for dim, vals, attrs in (
            (dims[0], times, {"units": time_units, "standard_name": "time",
                              "calendar": "standard", "axis": "T"}),
            (dims[1], lats, {"units": "degrees_north", "standard_name": "latitude"}),
            (dims[2], lons, {"units": "degrees_east", "standard_name": "longitude"})):
        v = rg.CreateMDArray(dim.GetName(), [dim], f64)
        v.Write(np.asarray(vals, dtype=np.float64))
        for k, val in attrs.items():
            v.CreateAttribute(k, [], text).Write(val)
    arr = rg.CreateMDArray(var, dims, gdal.ExtendedDataType.Create(gdal.GDT_Float32))
    arr.SetNoDataValueDouble(float(nodata))
    arr.CreateAttribute("units", [], text).Write(units)
    arr.Write(np.ascontiguousarray(np.where(np.isnan(data), nodata, data)[:, ::-1, :]))
    ds = None
    return path


def _regions(path, emissions):
    """The four regions of make_example_data.py with a fictional emission
    field (Tg C yr-1)."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    try:
        import make_example_data as med
    finally:
        sys.path.remove(here)
    gdal.SetConfigOption("OGR_CURRENT_DATE", "2024-01-01T00:00:00Z")
    med._write_regions(path)
    ds = ogr.Open(path, 1)
    lyr = ds.GetLayer(0)
    lyr.CreateField(ogr.FieldDefn("emission_tg", ogr.OFTReal))
    for feat in lyr:
        feat.SetField("emission_tg", emissions[feat.GetField("name")])
        lyr.SetFeature(feat)
    ds = None
    gdal.SetConfigOption("OGR_CURRENT_DATE", None)
    return path


def make_accounting_data(outdir, cols=COLS, rows=ROWS):
    """Write all files to ``outdir``; return a dict of their paths. Keys:
    landcover_2000, landcover_2020, runoff, lithology, nep, emissions, zones,
    coefficients, measures, class_names, models (list of three sources;
    the NetCDF one as a GDAL ``NETCDF:"file":nep`` name), model_files."""
    os.makedirs(outdir, exist_ok=True)
    rng = np.random.default_rng(SEED)
    xres, yres = (EAST - WEST) / cols, (NORTH - SOUTH) / rows
    gt = (WEST, xres, 0.0, NORTH, 0.0, -yres)
    lon, lat = np.meshgrid(WEST + (np.arange(cols) + 0.5) * xres,
                           NORTH - (np.arange(rows) + 0.5) * yres)
    u, v = (lon - WEST) / (EAST - WEST), (lat - SOUTH) / (NORTH - SOUTH)
    g = np.clip(0.5 * (u + 1 - v) + 0.1 * _waves(lon, lat, rng), 0, 1)   # wet SE
    urban = np.exp(-((lon - 116.6) ** 2 + (lat - 25.2) ** 2) / (2 * 0.45 ** 2))

    def p(name):
        return os.path.join(outdir, name)

    # ---- land cover 2000: forest in the wet south-east, grass in the north-west
    field = g + 0.25 * _waves(lon, lat, rng, 4) + rng.normal(0, 0.05, g.shape)
    lc0 = np.where(field > 0.55, 2, np.where(field > 0.35, 1, 3)).astype(np.uint8)
    lc0[(field < 0.12)] = 6
    lake = ((lon - 115.6) / 0.6) ** 2 + ((lat - 28.6) / 0.3) ** 2 <= 1
    lc0[lake] = 4
    lc0[urban > 0.7] = 5
    # ---- land cover 2020: urban growth, afforestation of grass, some cropland loss
    lc1 = lc0.copy()
    lc1[(urban > 0.45) & (lc0 != 4)] = 5
    r = rng.random(g.shape)
    lc1[(lc0 == 3) & (r < 0.25) & (g > 0.25)] = 2
    lc1[(lc0 == 1) & (r < 0.08)] = 2
    lc1[(lc0 == 2) & (r > 0.97)] = 1
    lc0[0, :3] = lc1[0, :3] = CLASS_NODATA                     # a few nodata pixels
    lc_desc = ["; ".join(f"{k} {n}" for k, n in CNLUCC.items())]
    out = {
        "landcover_2000": _write(p("landcover_2000.tif"), lc0, gt, gdal.GDT_Byte,
                                 CLASS_NODATA, lc_desc),
        "landcover_2020": _write(p("landcover_2020.tif"), lc1, gt, gdal.GDT_Byte,
                                 CLASS_NODATA, lc_desc)}

    # ---- runoff (mm yr-1) and lithology classes
    runoff = np.round(np.clip(250 + 900 * g + 80 * _waves(lon, lat, rng), 50, None), 1)
    out["runoff"] = _write(p("runoff.tif"), runoff, gt, units="mm yr-1",
                           descriptions=["annual runoff"])
    lf = _waves(lon, lat, rng, 5) + 0.3 * (u - 0.5)
    edges = np.quantile(lf, [0.3, 0.55, 0.7, 0.85])
    litho = (1 + np.searchsorted(edges, lf)).astype(np.uint8)
    litho[lake] = CLASS_NODATA
    out["lithology"] = _write(p("lithology.tif"), litho, gt, gdal.GDT_Byte, CLASS_NODATA,
                              ["; ".join(f"{k} {n}" for k, n in LITHOLOGY.items())])

    # ---- NEP (g C m-2 yr-1) and emissions (g C m-2 yr-1)
    nep = np.round(-20 + 180 * g + 40 * _waves(lon, lat, rng) - 150 * urban
                   + rng.normal(0, 10, g.shape), 1)
    nep[lake] = np.nan
    out["nep"] = _write(p("nep.tif"), nep, gt, units="g C m-2 yr-1", descriptions=["NEP"])
    emis = np.round(5 + 20 * (lc1 == 1) + 2500 * urban ** 2 + rng.gamma(2.0, 5.0, g.shape), 1)
    out["emissions"] = _write(p("emissions.tif"), emis, gt, units="g C m-2 yr-1",
                              descriptions=["CO2 emissions as carbon"])
    out["zones"] = _regions(p("zones_emissions.gpkg"),
                            {"North-West": 3.0, "North-East": 2.5, "South-West": 4.0,
                             "South-East": 21.0})

    # ---- tables with FICTIONAL numbers (for trying the tools only)
    with open(p("coefficients_example.csv"), "w") as f:
        f.write("code,lithology,a,a_unit,source\n")
        for k, (code, name) in enumerate(LITHOLOGY.items()):
            f.write(f"{code},{name},{[0.060, 0.012, 0.006, 0.009, 0.015][k]},gC_m2_per_mm,"
                    "FICTIONAL example value - fill from Zhang et al. 2022 or GEM-CO2\n")
    with open(p("measures_example.csv"), "w") as f:
        f.write("measure,class,share_pct,area_km2,rate,rate_unit,source\n"
                "Grassland restoration,3,20,,0.4,t C ha-1 yr-1,FICTIONAL example rate\n"
                "Cropland straw return,1,,1500,0.3,t C ha-1 yr-1,FICTIONAL example rate\n"
                "Forest management,2,10,,60,g C m-2 yr-1,FICTIONAL example rate\n")
    out["coefficients"] = p("coefficients_example.csv")
    out["measures"] = p("measures_example.csv")
    with open(p("landcover_classes.csv"), "w") as f:
        f.write("code,name\n" + "".join(f"{k},{n}\n" for k, n in CNLUCC.items()))
    out["class_names"] = p("landcover_classes.csv")

    # ---- three monthly NEP "models" (g C m-2 month-1) on other grids
    months = np.arange(12 * len(MODEL_YEARS))
    season = np.cos(2 * np.pi * ((months % 12) - 6.5) / 12)          # peak Jul
    out["models"], out["model_files"] = [], []
    for name, res, (w0, n0), driver, bias in MODELS:
        mc, mr = int(round((EAST + 1.5 - w0) / res)), int(round((n0 - SOUTH + 1.5) / res))
        mgt = (w0, res, 0.0, n0, 0.0, -res)
        mlon, mlat = np.meshgrid(w0 + (np.arange(mc) + 0.5) * res,
                                 n0 - (np.arange(mr) + 0.5) * res)
        mu = (mlon - WEST) / (EAST - WEST)
        mv = (mlat - SOUTH) / (NORTH - SOUTH)
        gg = np.clip(0.5 * (mu + 1 - mv), 0, 1)
        amp = bias * (8 + 14 * gg)
        base = bias * (1 + 4 * gg)
        data = (base[None] + amp[None] * season[:, None, None]
                + rng.normal(0, 1.5, (months.size, mr, mc)))
        data = np.round(data, 2)
        data[:, (mlon - 115.6) ** 2 + (mlat - 28.6) ** 2 < 0.1] = np.nan   # a water cell
        desc = [f"{MODEL_YEARS[0] + m // 12}-{m % 12 + 1:02d}" for m in months]
        if driver == "netCDF":
            path = write_netcdf(p(name + ".nc"), data, mgt,
                                time_units=f"days since {MODEL_YEARS[0]}-01-01")
        else:
            path = _write(p(name + ".tif"), data.astype(np.float32), mgt, descriptions=desc,
                          units="g C m-2 month-1")
        out["model_files"].append(path)
        out["models"].append(f'NETCDF:"{path}":nep' if driver == "netCDF" else path)

    with open(p("README_accounting.txt"), "w") as f:
        f.write(f"""CarbonSink synthetic carbon-accounting data (scripts/make_accounting_data.py,
seed {SEED}). Entirely fictional values; for testing and demonstration only.
Grid of the maps: EPSG:4326, {WEST}..{EAST} E, {SOUTH}..{NORTH} N, {cols} x {rows} cells.

landcover_2000.tif, landcover_2020.tif  classes 1..6 ({', '.join(CNLUCC.values())}), nodata 255
landcover_classes.csv                   code,name of those classes
runoff.tif                              annual runoff, mm yr-1
lithology.tif                           classes 1..5 ({', '.join(LITHOLOGY.values())}), nodata 255
nep.tif                                 NEP, g C m-2 yr-1 (nodata on a lake)
emissions.tif                           CO2 emissions expressed as carbon, g C m-2 yr-1
zones_emissions.gpkg                    the 4 example regions + field emission_tg (Tg C yr-1)
coefficients_example.csv                rock-weathering coefficients a (FICTIONAL)
measures_example.csv                    enhancement measures and rates (FICTIONAL)
model_a.tif (0.1 deg), model_b.tif (0.25 deg), model_c.nc (0.5 deg, variable nep):
    monthly NEP of three "models", g C m-2 month-1, {len(months)} months from
    {MODEL_YEARS[0]}-01, on grids larger than and not aligned with the maps.
    model_c.nc is CF-style NetCDF (time, lat, lon; latitudes ascending; no
    grid_mapping, so GDAL reports no CRS: longitude/latitude WGS84 is meant).
""")
    out["readme"] = p("README_accounting.txt")
    return out


if __name__ == "__main__":
    paths = make_accounting_data(sys.argv[1] if len(sys.argv) > 1 else "example-data")
    for key, val in paths.items():
        print("%-16s %s" % (key, val if isinstance(val, str) else ", ".join(val)))
