#!/usr/bin/env python3
"""Spatial autocorrelation benchmark (issue 5): carbonsink vs esda/libpysal.

Usage::

    .venv/bin/python scripts/bench_spatial.py [--quick] [--no-esda] [--threads N]

Everything is measured in the same run, baselines included; numbers and
ratios are printed next to the issue's targets (no pass/fail). Each timed
raster run happens in a fresh child Python process so that its peak RSS
(``VmHWM``) is its own; the peak of a child that only imports the
modules and opens the raster is printed as the baseline.

1. Global Moran's I of a 4000 x 4000 float32 raster (smoothed noise, 10 %
   NaN, a lake; tiled DEFLATE GeoTIFF made once in ``bench-data/``), queen,
   row-standardised: time and peak memory, and the time of two plain read
   passes over the same windows (the I/O floor).
2. LISA with 999 permutations on a 1000 x 1000 raster (queen): time, peak
   memory, and peak memory with 99 permutations (must not grow with R).
   esda.Moran_Local with 999 permutations on 100 x 100 (n_jobs=1 and all
   cores) and 300 x 300 (n_jobs=1) lattices (libpysal lat2W queen,
   keep_simulations=False), extrapolated per unit to the raster's units,
   and carbonsink's local_moran on the same lattices: ratios.
3. Polygon contiguity: a 55 x 55 grid of squares (3025 polygons) and the
   4556 polygons of QGIS's world_map.gpkg states_provinces: carbonsink
   contiguity_weights (from OGR geometries) vs libpysal Queen/Rook
   .from_iterable (shapely), with the number of links of both.

4. Global Moran's I with 999 permutations on 250 000 units (500 x 500
   lattice, queen): esda.Moran against carbonsink's numba and numpy paths.

``--quick``: 1000 x 1000 for Moran, 300 x 300 and 199 permutations for
LISA, 50 x 50 for esda.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(ROOT, "bench-data")
WORLD = "/usr/share/qgis/resources/data/world_map.gpkg"
GEN_VERSION = "1"


from benchlib import fmt_s, import_carbonsink, load, now, section  # noqa: E402

cs = import_carbonsink()
from carbonsink.core import spatial as sp  # noqa: E402 - after the import fallback
from carbonsink.core import spatial_raster as spr  # noqa: E402
from carbonsink.core import weights as wt  # noqa: E402

# ------------------------------------------------------------------- data

def make_field(path, size, seed=20240605):
    """Smoothed noise, 10 % NaN, a round lake; float32 tiled GeoTIFF."""
    from osgeo import gdal, osr
    gdal.UseExceptions()
    if os.path.exists(path):
        ds = gdal.Open(path)
        if (ds.RasterXSize == size and ds.GetMetadataItem("CARBONSINK_BENCH") == GEN_VERSION):
            return
        ds = None
    from scipy import ndimage
    rng = np.random.default_rng(seed)
    a = ndimage.gaussian_filter(rng.standard_normal((size, size), dtype=np.float32), 4)
    a = (a * 400 + 500).astype(np.float32)
    a[rng.random((size, size), dtype=np.float32) < 0.10] = -9999
    yy, xx = np.ogrid[0:size, 0:size]
    a[((yy / size - 0.3) ** 2 + (xx / size - 0.6) ** 2) < 0.08 ** 2] = -9999
    tmp = path + ".partial.tif"
    ds = gdal.GetDriverByName("GTiff").Create(
        tmp, size, size, 1, gdal.GDT_Float32,
        ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE", "ZLEVEL=1",
         "PREDICTOR=3", "BIGTIFF=IF_SAFER"])
    ds.SetGeoTransform((70.0, 0.01, 0.0, 55.0, 0.0, -0.01))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    ds.SetProjection(srs.ExportToWkt())
    ds.SetMetadataItem("CARBONSINK_BENCH", GEN_VERSION)
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(-9999)
    band.WriteArray(a)
    ds = None
    os.replace(tmp, path)


# ------------------------------------------------------------ child tasks

def peak_rss_mb():
    """Peak resident memory of this process (VmHWM: unlike ru_maxrss it is
    not inherited from the parent across fork + exec)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(task, args):
    """Run one measurement in this (fresh) process; print JSON."""
    from carbonsink.core.io import RasterStack
    if args.threads:
        cs.set_threads(args.threads)
    out = {}
    stack = RasterStack(args.path)
    if task == "baseline":
        stack.read(0, 0, 8, 8)
    elif task == "moran":
        t0 = now()
        r = sp.moran_raster(stack, contiguity="queen", transform="r")
        out.update(time=now() - t0, I=r.I, z=r.z_rand, n=r.n, islands=int(r.islands.size))
    elif task == "read2":
        t0 = now()
        for halo in (1, 2):
            spr._stream(stack, 0, halo, lambda v, w: None, None, 256)
        out.update(time=now() - t0)
    elif task == "lisa":
        # compile first (tiny call) so that the time is the run's own
        w = wt.grid_weights(6, 6, "queen")
        sp.local_moran(np.arange(36.0), w, permutations=9, seed=1)
        folder = tempfile.mkdtemp(prefix="carbonsink-lisa-")
        outs = {k: os.path.join(folder, f"{k}.tif") for k in ("Is", "q", "p_sim", "cluster")}
        t0 = now()
        _, info = sp.lisa_rasters(stack, outs, contiguity="queen",
                                  permutations=args.permutations, seed=1)
        out.update(time=now() - t0, n=info.n, islands=info.n_islands, pool=info.pool)
        for p in outs.values():
            os.remove(p)
        os.rmdir(folder)
    out["maxrss_mb"] = peak_rss_mb()
    ru = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu"] = ru.ru_utime + ru.ru_stime
    print("RESULT " + json.dumps(out), flush=True)


def run_child(task, path, permutations=0, threads=0):
    cmd = [sys.executable, os.path.abspath(__file__), "--child", task, "--path", path,
           "--permutations", str(permutations), "--threads", str(threads)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"child {task} failed:\n{proc.stdout}\n{proc.stderr}")


# --------------------------------------------------------------- sections

def bench_moran(size):
    section(f"1. Global Moran's I, {size} x {size} raster, queen, row-standardised")
    path = os.path.join(DATA, f"spatial_{size}.tif")
    t0 = now()
    make_field(path, size)
    print(f"data: {path} ({fmt_s(now() - t0)} to make or check)")
    base = run_child("baseline", path)
    read = run_child("read2", path)
    res = run_child("moran", path)
    print(f"moran_raster: {fmt_s(res['time'])}, peak RSS {res['maxrss_mb']:.0f} MB "
          f"(baseline process {base['maxrss_mb']:.0f} MB; default memory_mb=256)")
    print(f"  I = {res['I']:.6f}, z_rand = {res['z']:.1f}, n = {res['n']}, "
          f"islands = {res['islands']}")
    print(f"  two plain read passes over the same windows: {fmt_s(read['time'])} "
          f"-> moran / read = {res['time'] / read['time']:.2f}")


def bench_lisa(size, permutations, esda_sizes, with_esda, threads):
    section(f"2. LISA, {size} x {size} raster, queen, {permutations} permutations "
            f"(target <= 60 s on 2 cores)")
    path = os.path.join(DATA, f"spatial_{size}.tif")
    make_field(path, size)
    print(f"numba: {cs.HAVE_NUMBA}, threads: {threads or 'all'} of {os.cpu_count()} cores, "
          f"load average {load()}")
    res = run_child("lisa", path, permutations, threads)
    n = res["n"]
    print(f"lisa_rasters: {fmt_s(res['time'])} for {n} units "
          f"({res['time'] / n * 1e6:.1f} us per unit), peak RSS {res['maxrss_mb']:.0f} MB, "
          f"pool {res['pool']} values")
    print(f"  CPU time of the process {res['cpu']:.1f} s: on 2 idle cores the wall time "
          f"would be about {res['cpu'] / 2:.1f} s (load average now {load()})")
    few = max(permutations // 10, 9)
    res_few = run_child("lisa", path, few, threads)
    print(f"  with {few} permutations: {fmt_s(res_few['time'])}, peak RSS "
          f"{res_few['maxrss_mb']:.0f} MB -> memory ratio R={permutations}/R={few}: "
          f"{res['maxrss_mb'] / res_few['maxrss_mb']:.2f}")
    per_unit_ours = res["time"] / n
    if not with_esda:
        return
    import esda
    import libpysal
    print(f"esda.Moran_Local (libpysal lat2W queen, {permutations} permutations, "
          "keep_simulations=False: its fastest mode) and carbonsink local_moran on the "
          "same lattices:")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w_small = libpysal.weights.lat2W(8, 8, rook=False)
        esda.Moran_Local(np.arange(64.0), w_small, permutations=9, seed=1, n_jobs=1,
                         keep_simulations=False)                       # compile
    sp.local_moran(np.arange(64.0), wt.grid_weights(8, 8, "queen"), permutations=9, seed=1)
    per_unit = None
    fit = []
    for i, side in enumerate(esda_sizes):
        y = _smooth(side)
        nn = side * side
        times = {}
        for jobs in ((1, -1) if i == 0 else (1,)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                w = libpysal.weights.lat2W(side, side, rook=False)
                t0 = now()
                esda.Moran_Local(y, w, permutations=permutations, seed=1, n_jobs=jobs,
                                 keep_simulations=False)
                times[jobs] = now() - t0
        t0 = now()
        sp.local_moran(y, wt.grid_weights(side, side, "queen"), permutations=permutations,
                       seed=1)
        ours = now() - t0
        per_unit = min(times.values()) / nn
        fit.append((nn, times[1] / nn))
        jobs_txt = ", ".join(f"n_jobs={j}: {fmt_s(v)}" for j, v in times.items())
        print(f"  {side} x {side}: esda {jobs_txt} ({per_unit * 1e6:.0f} us per unit); "
              f"carbonsink {fmt_s(ours)} ({ours / nn * 1e6:.0f} us per unit) -> "
              f"esda/ours {min(times.values()) / ours:.1f}x", flush=True)
    print(f"  esda per unit on {esda_sizes[-1]} x {esda_sizes[-1]} extrapolated to {n} "
          f"units: {per_unit * n:.0f} s vs carbonsink raster {res['time']:.1f} s -> "
          f"{per_unit / per_unit_ours:.1f}x (an underestimate for esda)")
    if len(fit) >= 2:
        # esda copies the n - 1 other values for every unit (crand._prepare_univariate):
        # time per unit = a + b n, so the total grows as n^2
        (n1, t1), (n2, t2) = fit[0], fit[-1]
        b = (t2 - t1) / (n2 - n1)
        a = t1 - b * n1
        est = (a + b * n) * n
        print(f"  esda per-unit time a + b n fitted on the two lattices (esda copies the "
              f"other n - 1 values for each unit, so its total grows as n^2): "
              f"{est:.0f} s for {n} units n_jobs=1 -> {est / res['time']:.1f}x carbonsink's "
              f"wall time, {est / (res['cpu'] / 2):.1f}x at its CPU time / 2")


def _smooth(side):
    from scipy import ndimage
    rng = np.random.default_rng(0)
    return ndimage.gaussian_filter(rng.standard_normal((side, side)), 2).ravel()


def square_grid(k):
    from osgeo import ogr
    geoms = []
    for r in range(k):
        for c in range(k):
            x, y = float(c), float(k - r)
            geoms.append(ogr.CreateGeometryFromWkt(
                f"POLYGON (({x} {y}, {x + 1} {y}, {x + 1} {y - 1}, {x} {y - 1}, {x} {y}))"))
    return geoms


def bench_contiguity(with_esda):
    section("3. Polygon contiguity (queen / rook)")
    cases = [("55 x 55 squares", lambda: square_grid(55))]
    if os.path.exists(WORLD):
        cases.append(("world_map states_provinces",
                      lambda: wt.read_ogr_geometries(WORLD, "states_provinces")[0]))
    for name, get in cases:
        t0 = now()
        geoms = get()
        t_read = now() - t0
        nverts = sum(g.GetGeometryRef(i).GetPointCount() if g.GetGeometryType() == 3 else 0
                     for g in geoms for i in range(g.GetGeometryCount()))
        print(f"{name}: {len(geoms)} polygons ({fmt_s(t_read)} to read/build)"
              + (f", {nverts} ring vertices in simple polygons" if nverts else ""))
        shp = None
        if with_esda:
            try:
                import shapely
                shp = shapely.from_wkb([bytes(g.ExportToWkb()) for g in geoms])
            except ImportError:
                print("  shapely not installed: no libpysal baseline")
        for kind in ("queen", "rook"):
            t0 = now()
            w = wt.contiguity_weights(geoms, kind)
            t_ours = now() - t0
            line = (f"  {kind}: carbonsink {fmt_s(t_ours)}, {w.nnz} links, "
                    f"{wt.islands(w).size} islands")
            if shp is not None:
                import libpysal
                cls = libpysal.weights.Queen if kind == "queen" else libpysal.weights.Rook
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    t0 = now()
                    ref = cls.from_iterable(shp)
                    t_ref = now() - t0
                same = (w != ref.sparse).nnz == 0
                line += (f"; libpysal from_iterable {fmt_s(t_ref)}, {ref.sparse.nnz} links, "
                         f"identical: {same} -> {t_ref / t_ours:.1f}x")
            print(line, flush=True)


def bench_moran_permutations(side, permutations, with_esda, rounds=3):
    """Global Moran with permutations on a side x side lattice (queen, row-
    standardised, smoothed noise): esda.Moran vs carbonsink numba and numpy,
    ``rounds`` calls of each taken in turn (a slow spell of the machine
    weighs on both alike); medians, the ratio the median of the rounds'."""
    n = side * side
    section(f"4. Global Moran's I with {permutations} permutations, {n} units "
            f"({side} x {side} lattice, queen, row-standardised)")
    y = _smooth(side)
    w = wt.grid_weights(side, side, "queen")
    sp.moran(y[:64], wt.grid_weights(8, 8, "queen"), permutations=9, seed=1)   # compile
    t0 = now()
    sp.moran(y, w)
    t_ours0 = now() - t0
    old = os.environ.get("CARBONSINK_NO_NUMBA")
    os.environ["CARBONSINK_NO_NUMBA"] = "1"
    try:
        t0 = now()
        npy = sp.moran(y, w, permutations=permutations, seed=1)
        t_np = now() - t0
    finally:
        if old is None:
            del os.environ["CARBONSINK_NO_NUMBA"]
        else:
            os.environ["CARBONSINK_NO_NUMBA"] = old
    if with_esda:
        import esda
        import libpysal
        lw = libpysal.weights.lat2W(side, side, rook=False)
        np.random.seed(12345)
        t0 = now()
        esda.Moran(y, lw, permutations=0)
        t_ref0 = now() - t0
    ours_t, ref_t = [], []
    for _ in range(rounds if with_esda else 1):
        t0 = now()
        ours = sp.moran(y, w, permutations=permutations, seed=1)
        ours_t.append(now() - t0)
        if with_esda:
            t0 = now()
            ref = esda.Moran(y, lw, permutations=permutations)
            ref_t.append(now() - t0)
    t_ours = float(np.median(ours_t))
    spread = f"{fmt_s(min(ours_t))}-{fmt_s(max(ours_t))}" if len(ours_t) > 1 else fmt_s(t_ours)
    print(f"carbonsink numba: {fmt_s(t_ours)} (median of {len(ours_t)} calls: {spread}; without "
          f"permutations {fmt_s(t_ours0)}); numpy path {fmt_s(t_np)} -> numpy / numba "
          f"{t_np / t_ours:.1f}x; same p_sim and z_sim: "
          f"{npy.p_sim == ours.p_sim and npy.z_sim == ours.z_sim}")
    print(f"  I = {ours.I:.6f}, p_sim = {ours.p_sim:.4f}, z_sim = {ours.z_sim:.1f}")
    if not with_esda:
        return
    t_ref = float(np.median(ref_t))
    ratio = float(np.median([r / o for r, o in zip(ref_t, ours_t)]))
    print(f"esda.Moran: {fmt_s(t_ref)} (median of {len(ref_t)} calls: {fmt_s(min(ref_t))}-"
          f"{fmt_s(max(ref_t))}; without permutations {fmt_s(t_ref0)}), I = {ref.I:.6f}, "
          f"p_sim = {ref.p_sim:.4f}, z_sim = {ref.z_sim:.1f}")
    print(f"  -> esda / carbonsink: {ratio:.1f}x whole call (median of the rounds' ratios "
          f"{', '.join(f'{r / o:.1f}' for r, o in zip(ref_t, ours_t))}; target >= 10x), "
          f"{(t_ref - t_ref0) / max(t_ours - t_ours0, 1e-9):.1f}x the permutations alone; "
          f"esda / numpy path {t_ref / t_np:.1f}x")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-esda", action="store_true", help="skip the esda/libpysal baselines")
    ap.add_argument("--threads", type=int, default=0, help="numba threads (0: all)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    ap.add_argument("--permutations", type=int, default=999, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child, args)
    os.makedirs(DATA, exist_ok=True)
    with_esda = not args.no_esda
    if with_esda:
        try:
            import esda  # noqa: F401
            import libpysal  # noqa: F401
        except ImportError:
            print("esda/libpysal not installed: baselines skipped")
            with_esda = False
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, numba "
          f"{cs.HAVE_NUMBA}, {os.cpu_count()} cores, load average {load()}")
    t0 = now()
    if args.quick:
        bench_moran(1000)
        bench_lisa(300, 199, (50,), with_esda, args.threads)
        bench_moran_permutations(200, 999, with_esda)
    else:
        bench_moran(4000)
        bench_lisa(1000, 999, (100, 300), with_esda, args.threads)
        bench_moran_permutations(500, 999, with_esda)
    bench_contiguity(with_esda)
    print(f"\ntotal {fmt_s(now() - t0)}, load average {load()}")


if __name__ == "__main__":
    sys.exit(main())
