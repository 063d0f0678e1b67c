#!/usr/bin/env python3
"""Sen/MK on one machine (block engine) and on a 2-worker dask cluster.

Usage (``make bench`` would run the default)::

    .venv/bin/python scripts/bench_dask.py [--quick] [--size 4000] [--years 24]
        [--workers 2] [--memory-mb 256] [--keep-outputs]

The same job, ``python -m carbonsink senmk`` with the five outputs of the
toolbox's senmk (slope, Z, p, tau, class) on the 24 x SIZE x SIZE stack
``bench-data/stack_SIZE.tif`` (made by scripts/bench.py's generator when
absent; ``--quick``: 1000 x 1000), run twice in fresh processes:

1. block engine: the command line's default, ``core.rasters.mann_kendall_rasters``
   (numba with all cores in one process, memory bounded by ``--memory-mb``);
2. dask: a child process starts a ``dask.distributed.LocalCluster`` on
   127.0.0.1 (``--workers`` worker processes, one dask thread and one numba
   thread each, so both runs use the same cores), then runs the command line
   with ``--dask tcp://...`` against it.

Printed: wall time, CPU time and peak RSS of every process: the block-engine
process; the dask client (the command line, which also writes the GeoTIFFs),
the scheduler (the child process, which hosts nothing else) and each worker
(``getrusage`` in the worker; nanny processes are not counted), and whether
the two runs wrote identical files.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(ROOT, "bench-data")
OUTPUTS = {"--slope": "slope", "--z": "z", "--p": "p", "--tau": "tau", "--class": "class"}
GNU_TIME = "/usr/bin/time"

_RUSAGE = (
    "import resource, subprocess, sys, json, time\n"
    "t0 = time.perf_counter()\n"
    "rc = subprocess.call(sys.argv[2:])\n"
    "wall = time.perf_counter() - t0\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "json.dump({'rc': rc, 'wall': wall, 'peak_kb': u.ru_maxrss,\n"
    "           'cpu': u.ru_utime + u.ru_stime}, open(sys.argv[1], 'w'))\n"
    "sys.exit(rc)\n")


def measure(cmd, env=None):
    """Run ``cmd`` in a fresh wrapper: rc, wall, cpu and peak RSS of the child."""
    fd, stats = tempfile.mkstemp(prefix="bench-dask-")
    os.close(fd)
    try:
        p = subprocess.run([sys.executable, "-c", _RUSAGE, stats] + list(cmd), env=env,
                           capture_output=True, text=True, check=False)
        with open(stats) as f:
            res = json.load(f) if os.path.getsize(stats) else {}
    finally:
        os.remove(stats)
    res.update(rc=p.returncode, out=p.stdout, err=p.stderr)
    return res


def ensure_stack(size, n):
    path = os.path.join(DATA, f"stack_{size}.tif")
    os.makedirs(DATA, exist_ok=True)
    spec = importlib.util.spec_from_file_location("carbonsink_bench",
                                                  os.path.join(HERE, "bench.py"))
    bench = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(bench)
    except Exception as exc:                   # noqa: BLE001 - only needed to generate
        if os.path.exists(path):
            return path
        raise SystemExit(f"cannot import scripts/bench.py to generate {path}: {exc}")
    took = bench.make_stack(path, size, n)
    if took is not None:
        print(f"generated {path} in {took:.0f} s", flush=True)
    return path


def senmk_cmd(stack, out_dir, memory_mb, extra=()):
    os.makedirs(out_dir, exist_ok=True)
    cmd = [sys.executable, "-m", "carbonsink", "senmk", "--input", stack, "--years", "2000..",
           "--memory-mb", str(memory_mb), "--no-styles"]
    for flag, stem in OUTPUTS.items():
        path = os.path.join(out_dir, stem + ".tif")
        if os.path.exists(path):
            os.remove(path)
        cmd += [flag, path]
    return cmd + list(extra)


# ---------------------------------------------------- cluster child

def cluster_child(stack, out_dir, workers, memory_mb, json_out):
    """Start the LocalCluster here (this process = scheduler), run the CLI
    against it, collect every process's peak RSS."""
    import logging

    from distributed import Client, LocalCluster

    def peak():
        import resource as r
        u = r.getrusage(r.RUSAGE_SELF)
        return {"peak_kb": u.ru_maxrss, "cpu": u.ru_utime + u.ru_stime}

    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None,
                           silence_logs=logging.ERROR, env={"NUMBA_NUM_THREADS": "1"})
    startup = time.perf_counter() - t0
    try:
        with Client(cluster) as client:
            client.wait_for_workers(workers)
            base = client.run(peak)
            run = measure(senmk_cmd(stack, out_dir, memory_mb,
                                    ["--dask", cluster.scheduler_address]))
            per_worker = client.run(peak)
            sched = client.run_on_scheduler(peak)
    finally:
        cluster.close()
    res = {"startup": startup, "client": {k: run.get(k) for k in ("rc", "wall", "cpu",
                                                                   "peak_kb")},
           "err": run["err"][-3000:], "scheduler": sched,
           "workers": {w: {"peak_kb": v["peak_kb"], "cpu": v["cpu"] - base[w]["cpu"]}
                       for w, v in per_worker.items()}}
    with open(json_out, "w") as f:
        json.dump(res, f)


# ------------------------------------------------------------- main

def fmt_mb(kb):
    return "-" if kb is None else f"{kb / 1024:.0f} MB"


def same_outputs(a, b):
    import numpy as np
    from osgeo import gdal
    for stem in OUTPUTS.values():
        x = gdal.Open(os.path.join(a, stem + ".tif"))
        y = gdal.Open(os.path.join(b, stem + ".tif"))
        for i in range(0, x.RasterYSize, 512):
            h = min(512, x.RasterYSize - i)
            if not np.array_equal(x.ReadAsArray(0, i, x.RasterXSize, h),
                                  y.ReadAsArray(0, i, y.RasterXSize, h)):
                return f"{stem} differs"
    return "identical"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="1000 x 1000 instead of 4000 x 4000")
    ap.add_argument("--size", type=int)
    ap.add_argument("--years", type=int, default=24)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory-mb", type=int, default=256)
    ap.add_argument("--keep-outputs", action="store_true")
    ap.add_argument("--cluster-child", nargs=2, metavar=("STACK", "JSON"), help=argparse.SUPPRESS)
    ap.add_argument("--out-dir", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.cluster_child:
        return cluster_child(args.cluster_child[0], args.out_dir, args.workers, args.memory_mb,
                             args.cluster_child[1])
    size = args.size or (1000 if args.quick else 4000)
    stack = ensure_stack(size, args.years)
    work = tempfile.mkdtemp(prefix="bench-dask-", dir=DATA)
    ncpu = os.cpu_count()
    print(f"Sen/MK, {args.years} x {size} x {size}, five outputs; {ncpu} cores; load "
          f"{'/'.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
    with open(stack, "rb") as f:                 # the same warm page cache for both
        while f.read(16 * 2**20):
            pass

    block_dir = os.path.join(work, "block")
    r = measure(senmk_cmd(stack, block_dir, args.memory_mb))
    if r["rc"] != 0:
        raise SystemExit(f"block engine failed:\n{r['err'][-3000:]}")
    print(f"\nblock engine (one process, {ncpu} numba threads, --memory-mb {args.memory_mb})")
    print(f"  wall {r['wall']:.1f} s, CPU {r['cpu']:.1f} s, peak RSS {fmt_mb(r['peak_kb'])}",
          flush=True)

    dask_dir = os.path.join(work, "dask")
    js = os.path.join(work, "cluster.json")
    c = measure([sys.executable, os.path.abspath(__file__), "--cluster-child", stack, js,
                 "--out-dir", dask_dir, "--workers", str(args.workers), "--memory-mb",
                 str(args.memory_mb)])
    if c["rc"] != 0 or not os.path.exists(js):
        raise SystemExit(f"cluster run failed:\n{c['err'][-3000:]}")
    with open(js) as f:
        res = json.load(f)
    if res["client"]["rc"] != 0:
        raise SystemExit(f"the command line failed on the cluster:\n{res['err']}")
    cl = res["client"]
    print(f"\ndask.distributed LocalCluster ({args.workers} workers x 1 thread, 1 numba "
          f"thread each, 127.0.0.1), command line with --dask tcp://...")
    print(f"  cluster start {res['startup']:.1f} s (not in the run's wall time)")
    print(f"  run wall {cl['wall']:.1f} s")
    print(f"  client (command line, writes the GeoTIFFs): CPU {cl['cpu']:.1f} s, "
          f"peak RSS {fmt_mb(cl['peak_kb'])}")
    print(f"  scheduler: peak RSS {fmt_mb(res['scheduler']['peak_kb'])}")
    for i, (w, v) in enumerate(sorted(res["workers"].items())):
        print(f"  worker {i + 1} ({w}): CPU {v['cpu']:.1f} s, peak RSS {fmt_mb(v['peak_kb'])}")
    total = cl["peak_kb"] + res["scheduler"]["peak_kb"] + sum(
        v["peak_kb"] for v in res["workers"].values())
    print(f"  sum of peaks {fmt_mb(total)}")
    print(f"\noutputs: {same_outputs(block_dir, dask_dir)}")
    print(f"dask / block wall time: {cl['wall'] / r['wall']:.2f}")
    if not args.keep_outputs:
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"outputs kept in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
