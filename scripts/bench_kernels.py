#!/usr/bin/env python3
"""Issue 16 benchmark: each kernel against a plain reference kernel written
here, the peer loop and the numpy fallback; the block engine's overlapped
I/O against the serial engine. Everything is measured in this one run
(median of interleaved repeats) and printed as ratios with the load average.

    PYTHONPATH=<venv site-packages> .venv/bin/python scripts/bench_kernels.py [--quick]

Plain kernels: the smallest correct numba code for the same outputs on
complete series (no gaps, no buffers shared per chunk, no NaN handling):
Sen + MK (pairwise slopes, branch-free S, tie-corrected variance, Z, p,
median by numpy's sort inside numba) and OLS (slope, intercept, r2, and p by
the same incomplete beta as the project, so that both do the same work).
Targets (issue 16): ours within 1.3x of the plain kernels; >= 400x a
pymannkendall loop at 2 threads; numpy fallback within 10x of numba;
end to end <= 1.15 x max(read + write, kernel).
"""
import argparse
import math
import os
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlib import import_carbonsink, load, section  # noqa: E402

cs = import_carbonsink()
import numba  # noqa: E402
from numba import njit, prange  # noqa: E402

from carbonsink.core import trend  # noqa: E402


@njit(nogil=True, cache=False)
def plain_median(a, k):
    """Median of a[:k]: textbook Lomuto quickselect, median-of-3 pivot,
    branch-free partition (the plain baseline of the issue)."""
    lo, hi = 0, k - 1
    h = k // 2
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < a[lo]:
            a[mid], a[lo] = a[lo], a[mid]
        if a[hi] < a[lo]:
            a[hi], a[lo] = a[lo], a[hi]
        if a[mid] < a[hi]:
            a[mid], a[hi] = a[hi], a[mid]
        piv = a[hi]
        st = lo
        for i in range(lo, hi):
            v = a[i]
            w = a[st]
            c = v < piv
            a[st] = v if c else w
            a[i] = w if c else v
            st += 1 if c else 0
        a[hi] = a[st]
        a[st] = piv
        if st == h:
            break
        if h < st:
            hi = st - 1
        else:
            lo = st + 1
    if k % 2:
        return a[h]
    m = a[0]
    for i in range(1, h):
        m = a[i] if a[i] > m else m
    return 0.5 * (m + a[h])


@njit(parallel=True, nogil=True, cache=False)
def plain_senmk(y, t):
    n, npix = y.shape
    out = np.empty((4, npix))
    npairs = n * (n - 1) // 2
    for p in prange(npix):
        slopes = np.empty(npairs)
        k = 0
        s = 0.0
        for i in range(n - 1):
            for j in range(i + 1, n):
                d = y[j, p] - y[i, p]
                slopes[k] = d / (t[j] - t[i])
                s += (1.0 if d > 0 else 0.0) - (1.0 if d < 0 else 0.0)
                k += 1
        sen = plain_median(slopes, k)
        v = np.sort(y[:, p])
        ties = 0.0
        g = 1
        for i in range(1, n + 1):
            if i < n and v[i] == v[i - 1]:
                g += 1
            else:
                ties += g * (g - 1.0) * (2.0 * g + 5.0)
                g = 1
        var = (n * (n - 1.0) * (2.0 * n + 5.0) - ties) / 18.0
        z = (s - 1.0) / math.sqrt(var) if s > 0 else ((s + 1.0) / math.sqrt(var) if s < 0
                                                        else 0.0)
        out[0, p] = sen
        out[1, p] = z
        out[2, p] = math.erfc(abs(z) / math.sqrt(2.0))
        out[3, p] = s
    return out


@njit(parallel=True, nogil=True, cache=False)
def plain_ols(y, t):
    n, npix = y.shape
    out = np.empty((4, npix))
    tm = t.mean()
    sxx = ((t - tm) ** 2).sum()
    for p in prange(npix):
        ym = 0.0
        for i in range(n):
            ym += y[i, p]
        ym /= n
        sxy = 0.0
        syy = 0.0
        for i in range(n):
            b = y[i, p] - ym
            sxy += (t[i] - tm) * b
            syy += b * b
        b1 = sxy / sxx
        r2 = sxy * sxy / (sxx * syy) if syy > 0 else 0.0
        out[0, p] = b1
        out[1, p] = ym - b1 * tm
        out[2, p] = r2
        out[3, p] = trend._t_pvalue_r2(r2, n - 2.0)
    return out


def median_time(funcs, repeat):
    """{name: median seconds}, the functions interleaved repeat times."""
    times = {k: [] for k in funcs}
    for _ in range(repeat):
        for k, f in funcs.items():
            t0 = time.perf_counter()
            f()
            times[k].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


def npp(n, rows, cols, seed=0):
    rng = np.random.default_rng(seed)
    base = 300 + 200 * rng.random((rows, cols))
    slope = rng.normal(0, 2, (rows, cols))
    t = np.arange(n)[:, None, None]
    return (base + slope * t + rng.normal(0, 20, (n, rows, cols))).reshape(n, -1)


def kernels(args):
    section(f"Kernels: {args.years} years x {args.pixels} pixels, numba "
            f"{numba.__version__}, {numba.get_num_threads()} threads, load {load()}")
    y = npp(args.years, 1, args.pixels)
    t = np.arange(2000.0, 2000.0 + args.years)
    mv = args.years
    y2 = np.ascontiguousarray(y)
    plain_senmk(y2[:, :100], t)
    plain_ols(y2[:, :100], t)
    trend._mk_numba(y2[:, :100], t, mv, 0, 1.96)
    trend._ols_numba(y2[:, :100], t, mv)
    tt = median_time({
        "ours_mk": lambda: trend._mk_numba(y2, t, mv, 0, 1.959963984540054),
        "plain_mk": lambda: plain_senmk(y2, t),
        "ours_ols": lambda: cs.linear_trend(y2, t),
        "plain_ols": lambda: plain_ols(y2, t),
    }, args.repeat)
    ours = trend._mk_numba(y2[:, :2000], t, mv, 0, 1.959963984540054)
    pl = plain_senmk(y2[:, :2000], t)
    same = np.array_equal(ours[5], pl[0]) and np.array_equal(ours[2], pl[1])
    us = {k: v / args.pixels * 1e6 for k, v in tt.items()}
    print(f"Sen + MK   ours {us['ours_mk']:.3f} us/px   plain {us['plain_mk']:.3f} us/px   "
          f"ratio {us['ours_mk'] / us['plain_mk']:.2f}x (target <= 1.3)   "
          f"same slope and Z: {same}")
    print(f"OLS        ours {us['ours_ols']:.3f} us/px   plain {us['plain_ols']:.3f} us/px   "
          f"ratio {us['ours_ols'] / us['plain_ols']:.2f}x (target <= 1.3)")
    try:
        import pymannkendall as pmk
        k = min(300, args.pixels)
        t0 = time.perf_counter()
        for p in range(k):
            pmk.original_test(y2[:, p])
        peer = (time.perf_counter() - t0) / k * 1e6
        print(f"pymannkendall loop {peer:.0f} us/px: ours {peer / us['ours_mk']:.0f}x faster "
              f"(target >= 400x at 2 threads)")
    except ImportError:
        print("pymannkendall not installed: no peer loop")
    # numpy fallback
    sub = y2[:, :args.numpy_pixels]
    os.environ["CARBONSINK_NO_NUMBA"] = "0"
    cases = {m: (lambda m=m: cs.mann_kendall(sub, t, method=m))
             for m in ("original", "hamed_rao", "yue_wang", "pre_whitening")}
    cases["ols"] = lambda: cs.linear_trend(sub, t)
    cases["hurst rs"] = lambda: cs.hurst(sub, method="rs")
    cases["cv"] = lambda: cs.coefficient_of_variation(sub)
    units = dict.fromkeys(cases, sub.shape[1])
    # the other families' kernels with a numpy path (units: pixels, or units
    # of the lattice for local Moran)
    from carbonsink.core import resilience_slopes, spatial, weights
    drv = np.random.default_rng(7).normal(size=(2,) + sub.shape)
    ref_year = t[args.years // 2]
    cases["partial r"] = lambda: cs.partial_correlation(sub, drv[0], [drv[1]])
    cases["resilience k"] = lambda: resilience_slopes.growing_window_slopes(sub, t, ref_year)
    cases["maintained"] = lambda: resilience_slopes.maintained_years(sub, t, ref_year)
    side = 60
    lat = np.random.default_rng(8).normal(size=side * side)
    grid = weights.grid_weights(side, side, "queen")
    cases["lisa 199"] = lambda: spatial.local_moran(lat, grid, permutations=199, seed=1)
    units.update({"partial r": sub.shape[1], "resilience k": sub.shape[1],
                  "maintained": sub.shape[1], "lisa 199": side * side})
    for f in cases.values():
        f()
    fast = median_time(cases, args.repeat)
    os.environ["CARBONSINK_NO_NUMBA"] = "1"
    for f in cases.values():
        f()                                            # warm caches as for numba
    slow = median_time(cases, args.repeat)
    os.environ["CARBONSINK_NO_NUMBA"] = "0"
    print(f"\nnumpy fallback ({args.numpy_pixels} pixels; target within 10x of numba):")
    for k in cases:
        a, b = fast[k] / units[k] * 1e6, slow[k] / units[k] * 1e6
        print(f"  {k:14s} numba {a:7.3f} us/px   numpy {b:8.3f} us/px   {b / a:5.1f}x")


def end_to_end(args):
    from osgeo import gdal, osr
    section(f"End to end: python -m carbonsink senmk, 5 outputs, {args.years} x {args.size}^2, "
            f"serial vs overlapped I/O, load {load()}")
    folder = os.path.join(os.path.dirname(HERE), "bench-data")
    os.makedirs(folder, exist_ok=True)
    src = os.path.join(folder, f"kernels_{args.years}x{args.size}.tif")
    if not os.path.exists(src):
        rng = np.random.default_rng(1)
        ds = gdal.GetDriverByName("GTiff").Create(
            src, args.size, args.size, args.years, gdal.GDT_Float32,
            ["TILED=YES", "COMPRESS=DEFLATE", "BLOCKXSIZE=256", "BLOCKYSIZE=256",
             "BIGTIFF=IF_SAFER"])
        ds.SetGeoTransform((70, 0.01, 0, 50, 0, -0.01))
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(4326)
        ds.SetProjection(srs.ExportToWkt())
        base = 300 + 200 * rng.random((args.size, args.size))
        for b in range(args.years):
            band = ds.GetRasterBand(b + 1)
            band.SetNoDataValue(-9999)
            band.WriteArray((base + 2 * b + rng.normal(0, 20, base.shape)).astype("f4"))
        ds = None
    out = os.path.join(folder, "kernels_out")
    os.makedirs(out, exist_ok=True)
    cmd = [sys.executable, "-m", "carbonsink", "senmk", "--input", src, "--first-year", "2000",
           "--quiet", "--no-styles"] + sum(([f"--{k}", os.path.join(out, f"{k}.tif")]
                                            for k in ("slope", "z", "p", "tau", "class")), [])

    def run(serial, command=None):
        """Wall time of one command-line run and its peak RSS (VmHWM, MB)."""
        env = dict(os.environ, CARBONSINK_SERIAL_IO="1" if serial else "0")
        t0 = time.perf_counter()
        proc = subprocess.run(_with_peak(command or cmd), check=True, env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        peak = [float(x.split()[1]) for x in proc.stderr.splitlines() if x.startswith("PEAK ")]
        return wall, (peak[-1] if peak else float("nan"))

    # the parts, in this process: read + write of the five outputs, and the kernel
    from carbonsink.core.io import OutputSpec, RasterStack, RasterWriter, plan_windows
    stack = RasterStack(src)
    wins = plan_windows(stack.grid.cols, stack.grid.rows, stack.block,
                        12 * stack.n + 5 * 8, 256)
    years = np.arange(2000.0, 2000.0 + stack.n)

    def parts():
        t_read = t_write = t_kernel = 0.0
        tmp = [RasterWriter(OutputSpec(os.path.join(out, f"io{k}.tif")), stack.grid)
               for k in range(5)]
        for win in wins:
            t0 = time.perf_counter()
            a = stack.read(*win)
            t1 = time.perf_counter()
            r = cs.mann_kendall(a, years)
            t2 = time.perf_counter()
            for w, f in zip(tmp, ("slope", "z", "pvalue", "tau", "s")):
                w.write(win[0], win[1], getattr(r, f).astype(np.float32))
            t3 = time.perf_counter()
            t_read += t1 - t0
            t_kernel += t2 - t1
            t_write += t3 - t2
        for w in tmp:
            w.abort()
        return t_read, t_write, t_kernel

    # the parts, the serial and the overlapped engine in turn, so that a slow
    # spell of the machine weighs on all three alike; medians and the median
    # of the per-round ratios
    rounds = []
    for _ in range(args.e2e_repeat):
        t_read, t_write, t_kernel = parts()
        rounds.append((t_read, t_write, t_kernel, run(True), run(False)))
    t_read, t_write, t_kernel = (statistics.median(r[k] for r in rounds) for k in range(3))
    over_runs = [r[4] for r in rounds]
    serial = statistics.median(r[3][0] for r in rounds)
    overlapped = statistics.median(r[0] for r in over_runs)
    ratio = statistics.median(r[4][0] / max(r[0] + r[1], r[2]) for r in rounds)
    io = t_read + t_write
    floor = max(io, t_kernel)
    # the kernel keeps every core busy, so on this machine the I/O thread's work
    # competes with it: the floor with all work overlapped on all cores
    cores = numba.get_num_threads()
    cpu_floor = t_kernel + io / cores
    print(f"{len(rounds)} rounds (parts, serial run, overlapped run); medians: read "
          f"{t_read:.2f} s + write {t_write:.2f} s = {io:.2f} s; kernel {t_kernel:.2f} s "
          f"({cores} threads)")
    print(f"serial engine     {serial:.2f} s  = {serial / floor:.2f} x max(I/O, kernel)")
    print(f"overlapped engine {overlapped:.2f} s  = {overlapped / floor:.2f} x max(I/O, kernel) "
          f"(target <= 1.15; median of the rounds' ratios {ratio:.2f}); "
          f"{serial / overlapped:.2f}x faster than serial; "
          f"{overlapped / cpu_floor:.2f} x kernel + I/O / {cores} cores (the floor when the "
          f"I/O shares the kernel's cores)")
    peak_big = max(r[1] for r in over_runs)
    small = min(1000, args.size)
    if small < args.size:
        src_small = _crop(src, small, folder)
        cmd_small = [src_small if c == src else c for c in cmd]
        peak_small = run(False, cmd_small)[1]
        print(f"peak RSS (VmHWM) of the command: {peak_small:.0f} MB at {small}^2, "
              f"{peak_big:.0f} MB at {args.size}^2 ({(args.size / small) ** 2:.0f}x the pixels, "
              f"{peak_big / peak_small:.2f}x the memory; memory budget 256 MB)")
    else:
        print(f"peak RSS (VmHWM) of the command: {peak_big:.0f} MB at {args.size}^2")


def _with_peak(cmd):
    """``cmd`` (python -m carbonsink ...) run so that it prints its VmHWM at exit."""
    code = ("import atexit, runpy, sys\n"
            "def _peak():\n"
            "    for line in open('/proc/self/status'):\n"
            "        if line.startswith('VmHWM:'):\n"
            "            sys.stderr.write('PEAK %.1f\\n' % (int(line.split()[1]) / 1024))\n"
            "atexit.register(_peak)\n"
            f"sys.argv = {['carbonsink'] + cmd[3:]!r}\n"
            "runpy.run_module('carbonsink', run_name='__main__', alter_sys=True)\n")
    return [cmd[0], "-c", code]


def _crop(src, size, folder):
    """The top-left size x size window of ``src`` as its own GeoTIFF (made once)."""
    from osgeo import gdal
    path = os.path.join(folder, f"{os.path.splitext(os.path.basename(src))[0]}_{size}.tif")
    if not os.path.exists(path):
        gdal.Translate(path, src, srcWin=[0, 0, size, size],
                       creationOptions=["TILED=YES", "COMPRESS=DEFLATE"])
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--years", type=int, default=24)
    ap.add_argument("--no-e2e", action="store_true")
    ap.add_argument("--size", type=int, default=0, help="end-to-end raster side (4000)")
    args = ap.parse_args()
    args.pixels = 200_000 if args.quick else 1_000_000
    args.numpy_pixels = 10_000 if args.quick else 50_000
    args.repeat = 3 if args.quick else 5
    args.size = args.size or (1000 if args.quick else 4000)
    args.e2e_repeat = 1 if args.quick else 3
    kernels(args)
    if not args.no_e2e:
        end_to_end(args)


if __name__ == "__main__":
    main()
