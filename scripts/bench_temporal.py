#!/usr/bin/env python3
"""Benchmark of the temporal-statistics kernels (issue 3), measured in one run.

For each kernel: time per pixel on a 24-year stack (numba, all threads; warm)
and the ratio to the per-pixel loop of the peer library it replaces, run on a
subsample; the numbers of both are compared on that subsample.

    .venv/bin/python scripts/bench_temporal.py [--quick]
"""
import argparse
import os
import time

import numpy as np

import carbonsink.core as cs


def best_of(func, repeat=3):
    func()                                   # warm (numba compile, caches)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def stack(n, rows, cols, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)[:, None, None]
    y = 400 + 3 * t + rng.normal(0, 25, (n, rows, cols)).cumsum(axis=0) * 0.3
    return np.round(y, 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller stack and subsample")
    args = ap.parse_args()
    n, side, sub = (24, 300, 100) if args.quick else (24, 1000, 300)
    y = stack(n, side, side)
    tx = stack(n, side, side, 1)
    px = stack(n, side, side, 2)
    rx = stack(n, side, side, 3)
    npix = side * side
    flat = y.reshape(n, -1)
    idx = np.linspace(0, npix - 1, sub).astype(int)
    rows = []
    print(f"{n} years x {side} x {side} pixels; loops on {sub} pixels; "
          f"numba {cs.HAVE_NUMBA}; load {os.getloadavg()[0]:.2f}")

    import pymannkendall as pmk
    for method, ref in (("hamed_rao", pmk.hamed_rao_modification_test),
                        ("yue_wang", pmk.yue_wang_modification_test),
                        ("pre_whitening", pmk.pre_whitening_modification_test)):
        ours = best_of(lambda: cs.mann_kendall(y, method=method)) / npix
        t0 = time.perf_counter()
        refs = [ref(flat[:, p]) for p in idx]
        loop = (time.perf_counter() - t0) / sub
        r = cs.mann_kendall(flat[:, idx], method=method)
        diff = np.nanmax(np.abs(r.slope - [x.slope for x in refs]))
        rows.append((f"mann_kendall {method}", ours, f"pymannkendall {method}", loop,
                     f"slope diff {diff:.1e}"))

    cv = best_of(lambda: cs.coefficient_of_variation(y)) / npix
    t0 = time.perf_counter()
    ref = [np.std(flat[:, p], ddof=1) / np.mean(flat[:, p]) for p in idx]
    loop = (time.perf_counter() - t0) / sub
    diff = np.max(np.abs(cs.coefficient_of_variation(flat[:, idx]) - ref))
    rows.append(("coefficient_of_variation", cv, "numpy std/mean loop", loop,
                 f"diff {diff:.1e} (target < 0.1 us)"))

    h = best_of(lambda: cs.hurst(y, method="rs")) / npix
    try:
        import nolds
        windows = list(range(2, n // 2 + 1))
        t0 = time.perf_counter()
        ref = [nolds.hurst_rs(flat[:, p], nvals=windows, fit="poly", corrected=False,
                              unbiased=False) for p in idx]
        loop = (time.perf_counter() - t0) / sub
        seg = cs.hurst(flat[:, idx], method="rs_segmented")
        rows.append(("hurst rs", h, "nolds.hurst_rs(fit='poly') loop", loop,
                     f"rs_segmented vs nolds diff {np.nanmax(np.abs(seg - ref)):.1e} "
                     "(target rs < 0.5 us)"))
    except ImportError:
        rows.append(("hurst rs", h, "nolds not installed", float("nan"), ""))

    pc = best_of(lambda: cs.partial_correlation(y, tx, [px, rx])) / npix
    try:
        import pandas as pd
        import pingouin as pg
        k = min(sub, 100)
        t0 = time.perf_counter()
        ref = []
        for p in idx[:k]:
            df = pd.DataFrame({"y": y.reshape(n, -1)[:, p], "x": tx.reshape(n, -1)[:, p],
                               "c1": px.reshape(n, -1)[:, p], "c2": rx.reshape(n, -1)[:, p]})
            ref.append(pg.partial_corr(df, x="x", y="y", covar=["c1", "c2"])["r"].iloc[0])
        loop = (time.perf_counter() - t0) / k
        ours_r = cs.partial_correlation(y.reshape(n, -1)[:, idx[:k]], tx.reshape(n, -1)[:, idx[:k]],
                                        [px.reshape(n, -1)[:, idx[:k]],
                                         rx.reshape(n, -1)[:, idx[:k]]]).r
        rows.append(("partial_correlation (x + 2 controls)", pc, "pingouin.partial_corr loop",
                     loop, f"r diff {np.max(np.abs(ours_r - ref)):.1e} (target < 1 us)"))
    except ImportError:
        rows.append(("partial_correlation (x + 2 controls)", pc, "pingouin not installed",
                     float("nan"), ""))

    print(f"\n{'kernel':40s} {'us/pixel':>9s}  {'peer loop':36s} {'us/pixel':>10s} "
          f"{'speed-up':>9s}  check")
    for name, ours, peer, loop, note in rows:
        print(f"{name:40s} {ours * 1e6:9.3f}  {peer:36s} {loop * 1e6:10.1f} "
              f"{loop / ours:8.0f}x  {note}")


if __name__ == "__main__":
    main()
