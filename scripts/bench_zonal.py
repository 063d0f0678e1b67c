#!/usr/bin/env python3
"""Benchmark of the zonal summary (carbonsink:zonalsummary) on a large stack.

Usage::

    PYTHONPATH=<venv site-packages> .venv/bin/python scripts/bench_zonal.py
        [--quick] [--size 4000] [--years 24] [--zones 30] [--memory-mb 256]
        [--no-numpy] [--no-qgis-process] [--qgis-config DIR]

Default: a 24-band 4000 x 4000 float32 stack (tiled 256 x 256, DEFLATE,
nodata -9999, EPSG:4326, 0.0125 degree cells; ``bench-data/stack_4000.tif``
of scripts/bench.py is reused when it is there, else
``bench-data/zonal_stack_<size>.tif`` is written once) and 30 polygon zones
(``bench-data/zones<k>.gpkg``). ``--quick``: 1000 x 1000.

Measured in a fresh Python process each (wall time and peak RSS of that
process): (1) the headless run, ``zones_from_vector`` + ``zonal_summary``
(Tg C per zone and year, mean and SD across years), with numba and with the
numpy path; (2) ``qgis_process.bin run carbonsink:zonalsummary`` end to end
when the algorithm is registered in the default QGIS profile. The zone
totals of (1) are checked against a plain numpy computation on one window.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import sysconfig
import tempfile
import time

import numpy as np
from benchlib import import_carbonsink  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(ROOT, "bench-data")
QGIS_PROCESS = "/usr/bin/qgis_process.bin"
NODATA = -9999.0
TILE = 256
SEED = 20240603


import_carbonsink()
from osgeo import gdal, ogr, osr  # noqa: E402

gdal.UseExceptions()


# ------------------------------------------------------------------- data

def _stack_usable(path, size, n):
    if not os.path.exists(path):
        return False
    try:
        ds = gdal.Open(path)
    except RuntimeError:
        return False
    b = ds.GetRasterBand(1)
    return (ds.RasterXSize == size and ds.RasterYSize == size and ds.RasterCount == n
            and b.DataType == gdal.GDT_Float32 and b.GetNoDataValue() == NODATA
            and bool(ds.GetProjection()))


def make_stack(size, n):
    """Reuse bench.py's stack when present, else write our own (row blocks)."""
    for name in (f"stack_{size}.tif", f"zonal_stack_{size}_{n}.tif"):
        path = os.path.join(DATA, name)
        if _stack_usable(path, size, n):
            return path, 0.0
    os.makedirs(DATA, exist_ok=True)
    path = os.path.join(DATA, f"zonal_stack_{size}_{n}.tif")
    tmp = path + ".partial.tif"
    t0 = time.perf_counter()
    opts = ["TILED=YES", f"BLOCKXSIZE={TILE}", f"BLOCKYSIZE={TILE}", "COMPRESS=DEFLATE",
            "ZLEVEL=1", "BIGTIFF=IF_SAFER", "NUM_THREADS=ALL_CPUS"]
    old = gdal.GetCacheMax()
    gdal.SetCacheMax(max(old, 2 * n * TILE * size * 4 + 64 * 2**20))
    try:
        ds = gdal.GetDriverByName("GTiff").Create(tmp, size, size, n, gdal.GDT_Float32, opts)
        ds.SetGeoTransform((70.0, 50.0 / size, 0.0, 55.0, 0.0, -50.0 / size))
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(4326)
        ds.SetProjection(srs.ExportToWkt())
        c = (np.arange(size, dtype=np.float32) / size)[None, :]
        for y0 in range(0, size, TILE):
            h = min(TILE, size - y0)
            rng = np.random.default_rng([SEED, y0])
            r = (np.arange(y0, y0 + h, dtype=np.float32) / size)[:, None]
            base = 450 + 250 * np.cos(6.3 * (1.3 * r + 0.7 * c)) * np.sin(6.3 * (0.6 * r - c))
            for b in range(n):
                v = base + 4 * (b - n / 2) + rng.standard_normal((h, size), dtype=np.float32) * 30
                v = np.round(np.maximum(v, 0), 1).astype(np.float32)
                v[rng.random((h, size)) < 0.002] = NODATA
                lake = (r - 0.3) ** 2 + (c - 0.7) ** 2 < 0.01
                v[np.broadcast_to(lake, v.shape)] = NODATA
                band = ds.GetRasterBand(b + 1)
                band.SetNoDataValue(NODATA)
                band.WriteArray(v, 0, y0)
            ds.FlushCache()
        ds = None
    finally:
        gdal.SetCacheMax(old)
    os.replace(tmp, path)
    return path, time.perf_counter() - t0


def make_zones(stack_path, k):
    """k polygons tiling the stack's extent (a jittered grid of quadrilaterals)."""
    path = os.path.join(DATA, f"zones{k}.gpkg")
    ds = gdal.Open(stack_path)
    gt, cols, rows = ds.GetGeoTransform(), ds.RasterXSize, ds.RasterYSize
    wkt = ds.GetProjection()
    ds = None
    if os.path.exists(path):
        return path
    nx = max(1, int(round(math.sqrt(k * 1.2))))
    ny = int(math.ceil(k / nx))
    rng = np.random.default_rng(SEED)
    x0, x1 = gt[0], gt[0] + cols * gt[1]
    y1, y0 = gt[3], gt[3] + rows * gt[5]
    xs = np.linspace(x0, x1, nx + 1)
    ys = np.linspace(y0, y1, ny + 1)
    px = xs[None, :] + np.zeros((ny + 1, 1))
    py = ys[:, None] + np.zeros((1, nx + 1))
    jx, jy = 0.3 * (x1 - x0) / nx, 0.3 * (y1 - y0) / ny
    px[1:-1, 1:-1] += rng.uniform(-jx, jx, (ny - 1, nx - 1)) if ny > 1 and nx > 1 else 0
    py[1:-1, 1:-1] += rng.uniform(-jy, jy, (ny - 1, nx - 1)) if ny > 1 and nx > 1 else 0
    srs = osr.SpatialReference()
    srs.ImportFromWkt(wkt)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    tmp = path + ".partial.gpkg"
    if os.path.exists(tmp):
        os.remove(tmp)
    out = ogr.GetDriverByName("GPKG").CreateDataSource(tmp)
    lyr = out.CreateLayer("zones", srs, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    made = 0
    for j in range(ny):
        for i in range(nx):
            if made == k:
                break
            ring = ogr.Geometry(ogr.wkbLinearRing)
            for a, b in ((j, i), (j, i + 1), (j + 1, i + 1), (j + 1, i), (j, i)):
                ring.AddPoint_2D(float(px[a, b]), float(py[a, b]))
            if made == k - 1:                      # the last zone takes the rest
                ring = ogr.Geometry(ogr.wkbLinearRing)
                for a, b in ((j, i), (j, nx), (ny, nx), (ny, i), (j, i)):
                    ring.AddPoint_2D(float(px[a, b]), float(py[a, b]))
            poly = ogr.Geometry(ogr.wkbPolygon)
            poly.AddGeometry(ring)
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetField("name", f"zone {made + 1:02d}")
            f.SetGeometry(poly)
            lyr.CreateFeature(f)
            made += 1
    out = None
    os.replace(tmp, path)
    return path


# ------------------------------------------------------------------ child

def child(stack_path, zones_path, years, memory_mb, out_json):
    """Headless run in this (fresh) process; writes timings and a check."""
    t0 = time.perf_counter()
    from carbonsink.core import _numba, accounting, area
    from carbonsink.core.io import RasterStack
    from carbonsink.core.io.zones import zones_from_vector
    stack = RasterStack(stack_path, name="NPP")
    tmpdir = tempfile.mkdtemp(prefix="bench-zonal-")
    t1 = time.perf_counter()
    zs, names = zones_from_vector(zones_path, stack.grid, os.path.join(tmpdir, "z.tif"),
                                  name_field="name")
    t2 = time.perf_counter()
    res = accounting.zonal_summary(stack, zs, names, years=range(2000, 2000 + years),
                                   unit="Tg C", memory_mb=memory_mb)
    summary = res.summary_rows()
    t3 = time.perf_counter()
    # check: the grand total of the first year by plain numpy (band 1 only)
    ds = gdal.Open(stack_path)
    band = ds.GetRasterBand(1)
    nd = band.GetNoDataValue()
    zds = gdal.Open(zs.sources[0])
    pa = area.pixel_areas(stack.grid)
    check = 0.0
    for y0 in range(0, stack.grid.rows, 512):
        h = min(512, stack.grid.rows - y0)
        v = band.ReadAsArray(0, y0, stack.grid.cols, h).astype(np.float64)
        z = zds.GetRasterBand(1).ReadAsArray(0, y0, stack.grid.cols, h)
        ok = (v != nd) & (z > 0)
        check += float(np.sum(v[ok] * pa.block(y0, h, stack.grid.cols)[ok]))
    got = float(res.group_values(0, None)["total"][0])
    info = {"open_s": t1 - t0, "rasterise_s": t2 - t1, "summary_s": t3 - t2,
            "total_s": t3 - t0, "numba": _numba.use_numba(), "zones": len(names),
            "grand_total_mean_tg": summary[-1]["total_mean"],
            "grand_total_sd_tg": summary[-1]["total_sd"],
            "check_rel_diff": abs(got - check * 1e-12) / abs(check * 1e-12)}
    with open(out_json, "w") as f:
        json.dump(info, f)


_RUSAGE = ("import resource, subprocess, sys\n"
           "rc = subprocess.call(sys.argv[2:])\n"
           "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
           "open(sys.argv[1], 'w').write(f'{u.ru_maxrss}')\n"
           "sys.exit(rc)\n")


def measure(cmd, env=None):
    fd, stats = tempfile.mkstemp(prefix="bench-rss-")
    os.close(fd)
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", _RUSAGE, stats] + cmd, env=env,
                       capture_output=True, text=True, stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    try:
        with open(stats) as f:
            peak = int(f.read().strip() or 0)
    finally:
        os.remove(stats)
    return p.returncode, wall, peak, p.stdout, p.stderr


def child_env(no_numba=False):
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("XDG_RUNTIME_DIR", f"/tmp/runtime-{os.getuid()}")
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
    site = sysconfig.get_paths()["purelib"]
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if site not in paths:
        env["PYTHONPATH"] = os.pathsep.join([site] + paths)
    for key in ("QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH"):
        env.pop(key, None)
    if no_numba:
        env["CARBONSINK_NO_NUMBA"] = "1"
    return env


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="1000 x 1000 instead of 4000 x 4000")
    ap.add_argument("--size", type=int, default=None)
    ap.add_argument("--years", type=int, default=24)
    ap.add_argument("--zones", type=int, default=30)
    ap.add_argument("--memory-mb", type=int, default=256)
    ap.add_argument("--no-numpy", action="store_true", help="skip the numpy-path run")
    ap.add_argument("--no-qgis-process", action="store_true")
    ap.add_argument("--qgis-config", help="QGIS_CUSTOM_CONFIG_PATH for qgis_process (a "
                                          "profile folder; default: the user's profile)")
    ap.add_argument("--_child", nargs=4, metavar=("STACK", "ZONES", "YEARS", "JSON"))
    args = ap.parse_args()
    if args._child:
        stack, zones, years, out = args._child
        child(stack, zones, int(years), args.memory_mb, out)
        return
    size = args.size or (1000 if args.quick else 4000)
    print(f"Zonal summary benchmark: {args.years} x {size} x {size} float32, {args.zones} zones, "
          f"memory budget {args.memory_mb} MB, {os.cpu_count()} CPUs, load "
          f"{'/'.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
    stack_path, made = make_stack(size, args.years)
    print(f"stack: {stack_path}" + (f" (written in {made:.1f} s)" if made else " (reused)"))
    zones_path = make_zones(stack_path, args.zones)
    runs = [("headless, numba", False)] + ([] if args.no_numpy else [("headless, numpy", True)])
    for label, no_numba in runs:
        fd, out = tempfile.mkstemp(suffix=".json")
        os.close(fd)
        rc, wall, peak, so, se = measure(
            [sys.executable, os.path.abspath(__file__), "--memory-mb", str(args.memory_mb),
             "--_child", stack_path, zones_path, str(args.years), out], child_env(no_numba))
        if rc != 0:
            print(f"{label}: FAILED (exit {rc})\n{se[-3000:]}")
            continue
        with open(out) as f:
            info = json.load(f)
        os.remove(out)
        print(f"{label:18s} wall {wall:7.2f} s (rasterise {info['rasterise_s']:.2f} s, "
              f"summary {info['summary_s']:.2f} s), peak RSS {peak / 1024:.0f} MB; "
              f"grand total {info['grand_total_mean_tg']:.4f} +- {info['grand_total_sd_tg']:.4f}"
              f" Tg C/yr over {info['zones']} zones (check vs numpy: rel. diff "
              f"{info['check_rel_diff']:.1e})", flush=True)
    if args.no_qgis_process:
        return
    if not os.path.exists(QGIS_PROCESS):
        print("qgis_process: not installed, skipped")
        return
    env = child_env()
    if args.qgis_config:
        env["QGIS_CUSTOM_CONFIG_PATH"] = args.qgis_config
    probe = subprocess.run([QGIS_PROCESS, "help", "carbonsink:zonalsummary"], env=env,
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if probe.returncode != 0:
        print("qgis_process: carbonsink:zonalsummary is not registered in the default "
              "profile (add it to carbonsink.algorithms.ALGORITHMS), skipped")
        return
    tmpdir = tempfile.mkdtemp(prefix="bench-zonal-qp-")
    cmd = [QGIS_PROCESS, "run", "carbonsink:zonalsummary", f"--INPUT={stack_path}",
           "--FIRST_YEAR=2000", f"--ZONES={zones_path}", "--ZONE_FIELD=name", "--UNIT=3",
           f"--OUTPUT_TABLE={os.path.join(tmpdir, 'table.csv')}",
           f"--OUTPUT_SUMMARY={os.path.join(tmpdir, 'summary.csv')}"]
    rc, wall, peak, so, se = measure(cmd, env)
    if rc != 0:
        print(f"qgis_process: FAILED (exit {rc})\n{so[-2000:]}\n{se[-2000:]}")
        return
    print(f"{'qgis_process':18s} wall {wall:7.2f} s end to end, peak RSS {peak / 1024:.0f} MB")


if __name__ == "__main__":
    main()
