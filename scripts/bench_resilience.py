#!/usr/bin/env python3
"""Benchmark of the carbon-sink resilience pass (issue 4, methods.md 9).

Usage::

    PYTHONPATH=<venv site-packages> .venv/bin/python scripts/bench_resilience.py
        [--quick] [--size 2000] [--years 38] [--zones 31] [--memory-mb 256]
        [--repeat 1] [--keep-outputs]

On a 38-year stack (1981-2018, as Wu et al. 2023) of SIZE x SIZE pixels
(default 2000; ``--quick``: 500), a tiled (256 x 256) DEFLATE float32
GeoTIFF in ``bench-data/`` (made once, reused), each pass runs in a fresh
Python process (so that its peak RSS is its own) with the default memory
budget, after a warm-up call that compiles or loads the numba kernels
(excluded from the time, printed apart). Peak RSS is the process' own
high-water mark (VmHWM), imports included:

1. ``linear_trend_rasters`` with the toolbox's default outputs (slope, r2,
   p, class): the baseline, "one linear-trend pass";
2. ``resilience_rasters`` over the whole valid area: signed maintained-years
   raster + table CSV;
3. the same with ZONES rectangular zones, rasterised in the pass as the
   QGIS algorithm does, plus the summary CSV and the HTML report (timed
   apart too: one chart per zone, a cost that does not grow with the grid).

Printed: wall time and peak RSS of each pass and the ratio of each
resilience pass to the linear-trend pass (target: at most 3x), with and
without the report. The page
cache is warmed first, and with ``--repeat`` the best time is kept.
"""
import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)                     # the package carbonsink
DATA = os.path.join(ROOT, "bench-data")
NODATA = -9999.0
TILE = 256
GEN_VERSION = "resilience-1"
FIRST_YEAR = 1981
REFERENCE_YEAR = 2000
SEED = 20230926


from benchlib import fmt_s, import_carbonsink, load, now, warm_page_cache  # noqa: E402

cs = import_carbonsink()
from osgeo import gdal, ogr, osr  # noqa: E402

gdal.UseExceptions()


# ------------------------------------------------------------------- data

def npp_rows(y0, h, size, n):
    """(n, h, size) float32 NPP-like values for years 1981.. (nodata -9999).

    Smooth 200..800 base field; a smooth trend field of about -4..+6 per year
    plus pixel noise; in a third of the pixels the trend changes at a random
    year (recovery or decline), so that growing-window slopes change sign at
    many different years; year-to-year noise (sd 40) and a shared regional
    signal; a lake (every year nodata) and 0.1 % of random gaps.
    Deterministic in (y0, size): every row block is generated on its own.
    """
    rng = np.random.default_rng([SEED, size, y0])
    r = (np.arange(y0, y0 + h, dtype=np.float32) / size)[:, None]
    c = (np.arange(size, dtype=np.float32) / size)[None, :]
    two_pi = np.float32(2 * np.pi)
    base = 500 + 250 * np.cos(two_pi * (1.1 * r + 0.6 * c)) * np.sin(two_pi * (0.7 * r - c))
    trend = 1.0 + 4.5 * np.sin(two_pi * (0.8 * r + 1.3 * c) + 0.5)
    trend = trend + rng.standard_normal((h, size), dtype=np.float32) * 1.5
    brk = rng.integers(5, n - 3, (h, size))                     # year index of a change
    change = rng.random((h, size), dtype=np.float32) < 0.33
    new_trend = -trend * rng.uniform(0.5, 2.5, (h, size)).astype(np.float32)
    t = np.arange(n, dtype=np.float32)[:, None, None]
    after = np.maximum(t - brk[None], 0) * change[None]
    out = base[None] + trend[None] * t + (new_trend - trend)[None] * after
    out += rng.standard_normal((n, 1, 1), dtype=np.float32) * 25        # shared signal
    out += rng.standard_normal((n, h, size), dtype=np.float32) * 40
    np.maximum(out, 0, out=out)
    out = np.round(out, 1)
    lake = ((r - 0.35) ** 2 + (c - 0.6) ** 2) < 0.08 ** 2
    out[:, np.broadcast_to(lake, (h, size))] = NODATA
    out[rng.random((n, h, size), dtype=np.float32) < 0.001] = NODATA
    return out.astype(np.float32, copy=False)


def stack_ok(path, size, n):
    if not os.path.exists(path):
        return False
    try:
        ds = gdal.Open(path)
    except RuntimeError:
        return False
    b = ds.GetRasterBand(1)
    return (ds.RasterXSize == size and ds.RasterYSize == size and ds.RasterCount == n
            and b.DataType == gdal.GDT_Float32 and b.GetBlockSize() == [TILE, TILE]
            and b.GetNoDataValue() == NODATA
            and ds.GetMetadataItem("CARBONSINK_BENCH") == GEN_VERSION)


def make_stack(path, size, n):
    """Write the stack row block by row block; None when a valid one exists."""
    if stack_ok(path, size, n):
        return None
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".partial.tif"
    if os.path.exists(tmp):
        os.remove(tmp)
    t0 = now()
    old = gdal.GetCacheMax()
    gdal.SetCacheMax(max(old, 2 * n * TILE * size * 4 + 64 * 2**20))
    try:
        ds = gdal.GetDriverByName("GTiff").Create(
            tmp, size, size, n, gdal.GDT_Float32,
            ["TILED=YES", f"BLOCKXSIZE={TILE}", f"BLOCKYSIZE={TILE}", "COMPRESS=DEFLATE",
             "ZLEVEL=1", "PREDICTOR=3", "INTERLEAVE=BAND", "BIGTIFF=IF_SAFER",
             "NUM_THREADS=ALL_CPUS"])
        ds.SetGeoTransform((73.0, 62.0 / size, 0.0, 54.0, 0.0, -36.0 / size))  # China-like
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(4326)
        ds.SetProjection(srs.ExportToWkt())
        ds.SetMetadataItem("CARBONSINK_BENCH", GEN_VERSION)
        for b in range(n):
            band = ds.GetRasterBand(b + 1)
            band.SetNoDataValue(NODATA)
            band.SetDescription(str(FIRST_YEAR + b))
        for y0 in range(0, size, TILE):
            h = min(TILE, size - y0)
            block = npp_rows(y0, h, size, n)
            for b in range(n):
                ds.GetRasterBand(b + 1).WriteArray(block[b], 0, y0)
            del block
            ds.FlushCache()
        ds = None
    finally:
        gdal.SetCacheMax(old)
    os.replace(tmp, path)
    return now() - t0


def zone_boxes(grid, k):
    """About ``k`` rectangular zones tiling the grid (rows x cols of boxes)."""
    ny = max(1, int(math.sqrt(k)))
    nx = max(1, math.ceil(k / ny))
    x0, dx, _, y0, _, dy = grid.geotransform
    w, h = grid.cols * dx, grid.rows * dy
    out, names = [], {}
    for j in range(ny):
        for i in range(nx):
            zid = j * nx + i + 1
            if zid > k:
                break
            xa, xb = x0 + w * i / nx, x0 + w * (i + 1) / nx
            ya, yb = y0 + h * j / ny, y0 + h * (j + 1) / ny
            g = ogr.CreateGeometryFromWkt(
                f"POLYGON(({xa} {ya},{xb} {ya},{xb} {yb},{xa} {yb},{xa} {ya}))")
            out.append((zid, g.ExportToWkb()))
            names[zid] = f"zone {zid:02d}"
    return out, names


# ------------------------------------------------------------ child passes

def child(kind, path, out_dir, json_out, memory_mb, zones):
    """One pass in this (fresh) process; writes timings and peak RSS as JSON."""
    from carbonsink.core import resilience as R
    from carbonsink.core.io import RasterStack
    from carbonsink.core.rasters import linear_trend_rasters

    years = np.arange(FIRST_YEAR, FIRST_YEAR + 38, dtype=np.float64)
    t0 = now()
    warm = np.random.default_rng(0).random((38, 4, 4))
    if kind == "lineartrend":
        cs.linear_trend(warm, years)
    else:
        R.maintained_years(warm, years, REFERENCE_YEAR)
    compile_s = now() - t0
    rss_before = peak_rss_kb()
    stack = RasterStack(path, name="NPP")
    years = np.arange(FIRST_YEAR, FIRST_YEAR + stack.n, dtype=np.float64)
    o = lambda name: os.path.join(out_dir, f"{kind}_{name}")  # noqa: E731
    info = {}
    t0 = now()
    if kind == "lineartrend":
        linear_trend_rasters(stack, {"slope": o("slope.tif"), "r2": o("r2.tif"),
                                     "pvalue": o("p.tif"), "class": o("class.tif")},
                             years, memory_mb=memory_mb)
    else:
        zstack = names = None
        t_z = 0.0
        if zones:
            from carbonsink.core.io.zones import rasterize_zones
            tz = now()
            geoms, names = zone_boxes(stack.grid, zones)
            zstack = rasterize_zones(geoms, stack.grid, o("zones.tif"))
            t_z = now() - tz
        outs = {"years": o("years.tif"), "csv": o("table.csv")}
        if zones:
            outs.update(summary_csv=o("summary.csv"))
        res = R.resilience_rasters(stack, REFERENCE_YEAR, outs, years, zstack, names,
                                   memory_mb=memory_mb)
        t_report = 0.0
        if zones:                 # what resilience_rasters does with a "report" path
            tr = now()
            res.write_report(o("report.html"))
            t_report = now() - tr
        if zstack is not None:
            zstack.close()
        z0 = res.zones[0]
        info = {"zones": len(res.zones), "rasterise": t_z, "report": t_report,
                "first_zone": [z0.name, z0.fit_pos.flag, z0.fit_neg.flag,
                               _json_num(z0.fit_pos.tau), _json_num(z0.fit_neg.tau),
                               _json_num(z0.rs), z0.level],
                "flags": sorted({z.fit_pos.flag for z in res.zones}
                                | {z.fit_neg.flag for z in res.zones})}
    wall = now() - t0
    stack.close()
    res_json = {"wall": wall, "compile": compile_s, "peak_kb": peak_rss_kb(),
                "rss_before_kb": rss_before, "numba": cs.use_numba()}
    res_json.update(info)
    with open(json_out, "w") as f:
        json.dump(res_json, f)


def peak_rss_kb():
    """Peak RSS of this process in kB: VmHWM of /proc/self/status (the high-water
    mark of this address space, reset by exec) where available. getrusage's
    ru_maxrss is not used on Linux: a child started by a big parent inherits the
    parent's RSS at fork in it."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _json_num(v):
    return v if v is not None and math.isfinite(v) else None


def run_child(kind, path, out_dir, memory_mb, zones):
    fd, js = tempfile.mkstemp(prefix="bench-res-", suffix=".json")
    os.close(fd)
    cmd = [sys.executable, os.path.abspath(__file__), "--_child", kind, "--_path", path,
           "--_out", out_dir, "--_json", js, "--memory-mb", str(memory_mb),
           "--zones", str(zones)]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [os.path.dirname(os.path.dirname(cs.__file__))]
        + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    t0 = now()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    total = now() - t0
    try:
        if p.returncode != 0:
            print(p.stdout[-3000:], p.stderr[-3000:])
            raise SystemExit(f"the {kind} pass failed (exit {p.returncode})")
        with open(js) as f:
            r = json.load(f)
    finally:
        os.remove(js)
    r["process"] = total
    return r


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="38 x 500 x 500")
    ap.add_argument("--size", type=int, default=None, help="square size (default 2000)")
    ap.add_argument("--years", type=int, default=38)
    ap.add_argument("--zones", type=int, default=31, help="zones of pass 3 (0: skip it)")
    ap.add_argument("--memory-mb", type=int, default=256)
    ap.add_argument("--repeat", type=int, default=1, help="best of N runs of each pass")
    ap.add_argument("--keep-outputs", action="store_true")
    ap.add_argument("--_child")
    ap.add_argument("--_path")
    ap.add_argument("--_out")
    ap.add_argument("--_json")
    args = ap.parse_args(argv)
    if args._child:
        child(args._child, args._path, args._out, args._json, args.memory_mb, args.zones)
        return 0
    size = args.size or (500 if args.quick else 2000)
    n = args.years
    path = os.path.join(DATA, f"resilience_{n}x{size}.tif")
    print(f"CarbonSink resilience benchmark: {n} years ({FIRST_YEAR}-{FIRST_YEAR + n - 1}), "
          f"{size} x {size} pixels, reference year {REFERENCE_YEAR}, memory budget "
          f"{args.memory_mb} MB, numba {'yes' if cs.HAVE_NUMBA else 'no'} (use_numba "
          f"{cs.use_numba()}), {os.cpu_count()} CPUs, GDAL {gdal.__version__}, "
          f"load {load()}", flush=True)
    made = make_stack(path, size, n)
    print(f"stack {path} ({os.path.getsize(path) / 2**20:.0f} MB): "
          + (f"generated in {fmt_s(made)}" if made is not None else "reused"), flush=True)
    print(f"page cache warmed in {fmt_s(warm_page_cache(path))}", flush=True)
    out_dir = tempfile.mkdtemp(prefix="bench-resilience-out-", dir=DATA)
    passes = [("lineartrend", 0, "1 linear trend (slope, r2, p, class)"),
              ("resilience", 0, "2 resilience, whole area (raster + CSV)")]
    if args.zones:
        passes.append(("resilience", args.zones,
                       f"3 resilience, {args.zones} zones (rasterised; raster, CSVs, report)"))
    results = {}
    try:
        for kind, zones, label in passes:
            best = None
            for _ in range(max(1, args.repeat)):
                r = run_child(kind, path, out_dir, args.memory_mb, zones)
                if best is None or r["wall"] < best["wall"]:
                    best = r
            results[label] = best
            print(f"  {label}: {fmt_s(best['wall'])}, peak RSS "
                  f"{best['peak_kb'] / 1024:.0f} MB (after imports and warm-up "
                  f"{best['rss_before_kb'] / 1024:.0f} MB)", flush=True)
    finally:
        if not args.keep_outputs:
            for f in os.listdir(out_dir):
                os.remove(os.path.join(out_dir, f))
            os.rmdir(out_dir)
    base = results[passes[0][2]]["wall"]
    print(f"\n{'pass':<62}{'time':>10}{'peak RSS':>11}{'x linear':>10}"
          f"{'HTML report':>13}{'x linear without':>18}")
    for label, r in results.items():
        rep = r.get("report", 0.0)
        print(f"{label:<62}{fmt_s(r['wall']):>10}{r['peak_kb'] / 1024:>8.0f} MB"
              f"{r['wall'] / base:>9.2f}x{fmt_s(rep) if rep else '-':>13}"
              f"{(r['wall'] - rep) / base:>17.2f}x")
    for label, r in results.items():
        print(f"  {label}: numba warm-up (compile or cache load) {fmt_s(r['compile'])}, "
              f"process total {fmt_s(r['process'])}"
              + (f"; zones {r['zones']}, rasterising {fmt_s(r['rasterise'])}, first zone "
                 f"{r['first_zone']}, flags {r['flags']}" if "zones" in r else ""))
    res_passes = [r for label, r in results.items() if "resilience" in label]
    worst = max((r["wall"] - r.get("report", 0.0)) / base for r in res_passes)
    worst_all = max(r["wall"] / base for r in res_passes)
    print(f"\nTarget (issue 4): resilience pass <= 3x one linear-trend pass: "
          f"{worst:.2f}x -> {'met' if worst <= 3 else 'NOT met'} ({worst_all:.2f}x with the "
          "HTML report, a cost per zone (one chart each), not per pixel); "
          f"load {load()} (other work on the machine skews the timings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
