"""Faults as users meet them (issue 12): a run writes its outputs as one set
or not at all, with a message that says what is wrong.

Disk full (a small tmpfs), an output that is also the input, an output that
is a folder, two outputs with one path, a failure after some outputs were
written, SIGTERM to qgis_process, files left by a killed run, +-Inf values,
GDAL scale metadata, and results that do not depend on the memory budget."""
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from helpers import npp_like_stack, read_tif, write_tif
from osgeo import gdal

from carbonsink.core import rasters
from carbonsink.core.io import OutputSpec, RasterStack, StackError, run_blocks
from carbonsink.core.io import outputs as outs_mod

YEARS = np.arange(2000, 2024, dtype=float)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cli(*argv):
    from carbonsink import cli as cli_mod
    return cli_mod.main(list(argv))


@pytest.fixture
def stack_tif(tmp_path):
    data = npp_like_stack(n=24, rows=30, cols=40)
    return write_tif(tmp_path / "npp.tif", data)


def listing(folder):
    return sorted(os.listdir(folder))


# ------------------------------------------------------------ disk full

@pytest.fixture
def tiny_disk(tmp_path):
    """A 300 kB tmpfs (root only; skipped where mounting is not allowed)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(mnt)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_disk_full_writes_nothing_and_says_so(tmp_path, tiny_disk, capsys):
    data = np.random.default_rng(1).random((24, 300, 300)) * 500   # incompressible
    src = write_tif(tmp_path / "big.tif", data)
    names = ("slope", "z", "p", "tau", "class")
    flags = {"slope": "--slope", "z": "--z", "p": "--p", "tau": "--tau", "class": "--class"}
    argv = ["senmk", "--input", src, "--first-year", "2000"]
    for k in names:
        argv += [flags[k], str(tiny_disk / f"{k}.tif")]
    rc = cli(*argv)
    err = capsys.readouterr().err
    assert rc == 1
    assert "the disk is full" in err and "no output was written" in err, err
    assert "Traceback" not in err
    assert listing(tiny_disk) == []          # no output, no .partial, no .qml


# ------------------------------------------------------------ path checks

def test_output_equal_to_input_is_refused(stack_tif, capsys):
    before = gdal.Open(stack_tif).RasterCount
    rc = cli("senmk", "--input", stack_tif, "--first-year", "2000", "--slope", stack_tif)
    err = capsys.readouterr().err
    assert rc == 1 and "is also an input" in err, err
    assert gdal.Open(stack_tif).RasterCount == before == 24


def test_output_that_is_a_folder_is_refused(stack_tif, tmp_path, capsys):
    (tmp_path / "out").mkdir()
    (tmp_path / "z.tif").mkdir()
    rc = cli("senmk", "--input", stack_tif, "--first-year", "2000",
             "--slope", str(tmp_path / "out" / "s.tif"), "--z", str(tmp_path / "z.tif"))
    err = capsys.readouterr().err
    assert rc == 1 and "is a folder" in err, err
    assert listing(tmp_path / "out") == []


def test_two_outputs_with_one_path_are_refused(stack_tif, tmp_path, capsys):
    out = str(tmp_path / "x.tif")
    rc = cli("senmk", "--input", stack_tif, "--first-year", "2000", "--slope", out, "--z", out)
    err = capsys.readouterr().err
    assert rc == 1 and "have the same path" in err, err
    assert not os.path.exists(out)


def test_check_paths_messages(tmp_path):
    a = tmp_path / "a.tif"
    a.write_bytes(b"x")
    with pytest.raises(outs_mod.OutputError, match="also an input"):
        outs_mod.check_paths({"slope": str(a)}, [str(a)])
    with pytest.raises(outs_mod.OutputError, match="does not exist"):
        outs_mod.check_paths({"slope": str(tmp_path / "no" / "s.tif")})
    outs_mod.check_paths({"slope": str(tmp_path / "s.tif"), "z": ""}, [str(a)])


# ------------------------------------------------------------ all or nothing

def test_failure_after_some_outputs_leaves_old_files_and_no_new_ones(stack_tif, tmp_path):
    """The first two rasters are complete when the third pass fails: none
    of them appears, and a file already there from an earlier run stays."""
    out = tmp_path / "out"
    out.mkdir()
    old = out / "slope.tif"
    old.write_bytes(b"earlier run")
    stack = RasterStack(stack_tif)
    with pytest.raises(RuntimeError, match="boom"):
        with outs_mod.output_set():
            rasters.mann_kendall_rasters(stack, {"slope": str(old), "z": str(out / "z.tif")},
                                         years=YEARS)
            assert listing(out) != ["slope.tif"]        # staged under temporary names
            raise RuntimeError("boom")
    assert listing(out) == ["slope.tif"]
    assert old.read_bytes() == b"earlier run"


def test_exception_in_a_block_removes_every_output(tmp_path):
    src = write_tif(tmp_path / "npp.tif", np.random.default_rng(0).random((4, 600, 300)))
    stack = RasterStack(src)
    specs = {k: OutputSpec(str(tmp_path / f"{k}.tif")) for k in ("a", "b")}
    calls = []

    def func(arr):
        calls.append(1)
        if len(calls) == 2:
            raise MemoryError("out of memory in block 2")
        return {"a": arr["y"][0], "b": arr["y"][1]}

    with pytest.raises(MemoryError):
        run_blocks({"y": stack}, specs, func, memory_mb=0.01)   # windows of 256 rows
    assert len(calls) == 2
    assert listing(tmp_path) == ["npp.tif"]


def test_files_of_a_killed_run_are_removed_by_the_next(stack_tif, tmp_path):
    dead = 2 ** 22 + 12345                      # no such process
    while outs_mod._pid_alive(dead):
        dead += 1
    stale = tmp_path / f".slope.tif.cs{dead}-0123abcd.partial.tif"
    stale.write_bytes(b"half")
    mine = tmp_path / f".z.tif.cs{os.getpid()}-0123abcd.partial.tif"
    mine.write_bytes(b"running")               # a live process's file stays
    outs_mod._cleaned_folders.discard(str(tmp_path))
    rasters.mann_kendall_rasters(RasterStack(stack_tif), {"slope": str(tmp_path / "s.tif")},
                                 years=YEARS)
    assert not stale.exists()
    assert mine.exists()
    assert (tmp_path / "s.tif").exists()


# ------------------------------------------------------------ SIGTERM

def test_sigterm_to_qgis_process_leaves_no_partial_files(tmp_path):
    exe = "/usr/bin/qgis_process.bin"
    if not os.path.exists(exe):
        pytest.skip("qgis_process.bin not installed")
    rng = np.random.default_rng(0)
    src = write_tif(tmp_path / "stack.tif", rng.random((24, 900, 900)) * 500, nodata=None)
    out = tmp_path / "out"
    out.mkdir()
    from test_models import qgis_process_env
    env = qgis_process_env(tmp_path)
    env["CARBONSINK_NO_NUMBA"] = "1"             # slow enough to be caught mid-run
    cmd = [exe, "run", "carbonsink:senmk", f"--INPUT={src}", "--FIRST_YEAR=2000"] + [
        f"--OUTPUT_{k}={out / (k.lower() + '.tif')}" for k in ("SLOPE", "Z", "P", "TAU", "CLASS")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            stdin=subprocess.DEVNULL)
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        if any(".partial" in n for n in os.listdir(out)):
            break
        time.sleep(0.2)
    assert proc.poll() is None, "the run ended before it could be stopped"
    assert any(".partial" in n for n in os.listdir(out))
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert listing(out) == []


# ------------------------------------------------------------ input values

def test_inf_values_are_missing(tmp_path):
    data = npp_like_stack(n=24, gaps=0.0)[:, :6, :7]
    with_nan = data.copy()
    with_nan[3, 2, 2] = np.nan
    with_nan[:, 4, 4] = np.nan
    with_inf = data.copy()
    with_inf[3, 2, 2] = np.inf
    with_inf[:, 4, 4] = -np.inf
    a = write_tif(tmp_path / "inf.tif", with_inf, nodata=None)
    b = write_tif(tmp_path / "nan.tif", with_nan, nodata=None)
    ra = RasterStack(a).read(0, 0, 7, 6)
    rb = RasterStack(b).read(0, 0, 7, 6)
    np.testing.assert_array_equal(np.isnan(ra), np.isnan(rb))
    outs = {k: str(tmp_path / f"{k}_{s}.tif") for s in ("i", "n") for k in ("z",)}
    rasters.mann_kendall_rasters(RasterStack(a), {"z": str(tmp_path / "zi.tif")}, years=YEARS,
                                 min_valid=20)
    rasters.mann_kendall_rasters(RasterStack(b), {"z": str(tmp_path / "zn.tif")}, years=YEARS,
                                 min_valid=20)
    zi, _ = read_tif(tmp_path / "zi.tif")
    zn, _ = read_tif(tmp_path / "zn.tif")
    np.testing.assert_array_equal(zi, zn)
    assert np.isnan(zi[4, 4])                   # all -Inf: nodata, not z = 0
    assert outs


def test_gdal_scale_metadata_applies_by_default(tmp_path):
    values = np.nan_to_num(npp_like_stack(n=24, gaps=0.0)[:, :5, :6], nan=100.0)
    stored = np.round(values * 10)              # Int16 with scale 0.1, as MOD17A3
    path = str(tmp_path / "int16.tif")
    ds = gdal.GetDriverByName("GTiff").Create(path, 6, 5, 24, gdal.GDT_Int16)
    ds.SetGeoTransform((110, 0.5, 0, 30, 0, -0.5))
    for b in range(24):
        band = ds.GetRasterBand(b + 1)
        band.WriteArray(stored[b].astype(np.int16))
        band.SetScale(0.1)
        band.SetOffset(0.0)
    ds = None
    s = RasterStack(path)
    assert s.scaled_by_metadata
    np.testing.assert_allclose(s.read(0, 0, 6, 5), stored * 0.1)
    np.testing.assert_allclose(RasterStack(path, scale=1.0).read(0, 0, 6, 5), stored)
    np.testing.assert_allclose(RasterStack(path, scale=0.5, offset=2.0).read(0, 0, 6, 5),
                               stored * 0.5 + 2.0)


# ------------------------------------------------------------ budgets

@pytest.mark.parametrize("k", [5])
def test_variation_classes_do_not_depend_on_the_memory_budget(tmp_path, k):
    rng = np.random.default_rng(7)
    data = 300 + rng.gamma(2.0, 20.0, size=(24, 420, 400))
    data[:, rng.random((420, 400)) < 0.02] = np.nan
    src = write_tif(tmp_path / "cv_stack.tif", data)
    results = []
    for mb in (16, 256):
        out = {"cv": str(tmp_path / f"cv{mb}.tif"), "class": str(tmp_path / f"cls{mb}.tif")}
        _, breaks = rasters.variation_rasters(RasterStack(src), out, sample=5000, memory_mb=mb)
        results.append((breaks, read_tif(out["class"])[0], read_tif(out["cv"])[0]))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_array_equal(results[0][1], results[1][1])
    np.testing.assert_array_equal(results[0][2], results[1][2])


def test_variation_classes_come_from_float64_cv(tmp_path):
    """A CV exactly on a user break goes to the lower class (x <= break),
    also when its float32 rounding lies above the break."""
    from carbonsink.core import stability
    rng = np.random.default_rng(3)
    data = 100 + rng.normal(0, 10, size=(24, 20, 20))
    src = write_tif(tmp_path / "s.tif", data, dtype=gdal.GDT_Float64)
    cv = stability.coefficient_of_variation(RasterStack(src).read(0, 0, 20, 20), ddof=1)
    cut = float(cv[5, 5])
    assert float(np.float32(cut)) != cut            # (numpy 2 would compare in float32)
    inner = np.sort(np.array([cut, np.nanpercentile(cv, 25), np.nanpercentile(cv, 75),
                              np.nanpercentile(cv, 90)]))
    out = {"class": str(tmp_path / "c.tif")}
    rasters.variation_rasters(RasterStack(src), out, breaks=inner)
    cls, _ = read_tif(out["class"])
    expected = stability.classify(cv, np.concatenate([[inner[0] - 1], inner,
                                                      [inner[-1] + 1]]))
    np.testing.assert_array_equal(cls, expected)


def test_cli_runs_in_a_subprocess_environment_without_qgis_modules():
    """The command line and every module of core import no qgis module."""
    code = ("import importlib, pkgutil, sys; import carbonsink.cli, carbonsink.core as c\n"
            "for m in pkgutil.walk_packages(c.__path__, 'carbonsink.core.'):\n"
            "    importlib.import_module(m.name)\n"
            "print(any(m.startswith('qgis') for m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.stdout.strip() == "False", proc.stderr


# ------------------------------------------------------------ numerics

HR_SERIES = [4.75, 4.15, 3.59, 3.64, 3.28, 2.98, 3.29, 3.19, 3.02, 3.24, 3.58, 3.14, 3.63, 3.46]


@pytest.mark.parametrize("method", ["hamed_rao", "yue_wang"])
def test_modified_tests_do_not_depend_on_the_time_origin(path, method):
    """Issue 12's series: p = 0.1546 with positions (pymannkendall, exact
    arithmetic) was 0.2926 with years 2000..2013, because rounding of
    y - t * slope decided whether two detrended values tie."""
    import pymannkendall as pmk

    import carbonsink.core as cs
    y = np.array(HR_SERIES)
    ref = getattr(pmk, f"{method}_modification_test")(y)
    for years in (np.arange(14.0), np.arange(2000.0, 2014.0), np.arange(1e6, 1e6 + 14)):
        r = cs.mann_kendall(y, years, method=method)
        assert float(r.pvalue) == pytest.approx(ref.p, abs=1e-12), (years[0], float(r.pvalue))
        assert float(r.z) == pytest.approx(ref.z, abs=1e-12)
    if method == "hamed_rao":
        assert ref.p == pytest.approx(0.1546, abs=5e-5)


def test_overflowed_least_squares_is_nan_not_a_perfect_fit(path):
    import carbonsink.core as cs
    rng = np.random.default_rng(0)
    y = rng.random(24) * 1e160
    r = cs.linear_trend(y, np.arange(2000.0, 2024.0))
    assert np.isnan(float(r.r2)) and np.isnan(float(r.pvalue))   # was r2 = 1, p = 0 (numba)
    assert np.isfinite(float(r.slope))


# ------------------------------------------------------------ cancel, bounds

def test_lisa_cancel_is_prompt_and_permutations_are_bounded():
    """Issue 12: with 2e6 permutations cancel took 95 s; 2**31 - 1 ran on."""
    from carbonsink.core import spatial as sp
    from carbonsink.core import weights as wt
    from carbonsink.core.progress import Canceled, Progress
    rng = np.random.default_rng(4)
    a = rng.random((40, 45))
    w = wt.grid_weights(40, 45, "queen", np.isfinite(a))
    sp.local_moran(a.ravel(), w, permutations=9, seed=1)            # compile first
    with pytest.raises(ValueError, match="at most 99999"):
        sp.local_moran(a.ravel(), w, permutations=2**31 - 1, seed=1)
    state = {"cancel_at": None}

    def on_progress(percent):
        if state["cancel_at"] is None and percent > 0:
            state["cancel_at"] = time.perf_counter()     # the user presses Cancel now

    progress = Progress(on_progress, lambda: state["cancel_at"] is not None)
    with pytest.raises(Canceled):
        sp.local_moran(a.ravel(), w, permutations=99999, seed=1, progress=progress)
    assert state["cancel_at"] is not None
    assert time.perf_counter() - state["cancel_at"] < 2.0


# ------------------------------------------------------------ user tables

def test_class_table_in_gbk_and_with_wrong_columns(tmp_path):
    from carbonsink.core.accounting import read_class_names, read_table
    gbk = tmp_path / "classes_gbk.csv"
    gbk.write_bytes("code,name\n1,耕地\n2,林地\n".encode("gbk"))
    assert read_class_names(str(gbk)) == {1: "耕地", 2: "林地"}
    bom = tmp_path / "classes_bom.csv"
    bom.write_bytes("code;name\n1;草地\n".encode("utf-8-sig"))
    assert read_class_names(str(bom)) == {1: "草地"}
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,area\nforest,12\ncropland,3\n", encoding="utf-8")
    with pytest.raises(StackError, match="wrong.csv.*expected columns: code, name"):
        read_class_names(str(wrong))
    binary = tmp_path / "bin.csv"
    binary.write_bytes(bytes([0xff, 0xfe, 0x00, 0x81, 0x30, 0xff]) * 3)
    with pytest.raises(StackError, match="bin.csv: it is neither UTF-8 nor GBK"):
        read_table(str(binary), ["code"], "measures table")
    gbk_table = tmp_path / "measures.csv"
    gbk_table.write_bytes("措施,面积\n秸秆还田,1500\n".encode("gbk"))
    with pytest.raises(StackError, match="measures.csv has no column code .its columns: 措施"):
        read_table(str(gbk_table), ["code"], "measures table")


# ------------------------------------------------------------ dask addresses

def _server(reply):
    """A localhost TCP server that accepts and sends ``reply`` (b"" = stays
    silent); returns (port, stop)."""
    import socket
    import threading
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    conns, stop = [], threading.Event()

    def serve():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                c, _ = srv.accept()
            except OSError:
                continue
            conns.append(c)
            if reply:
                try:
                    c.sendall(reply)
                    c.close()
                except OSError:
                    pass

    threading.Thread(target=serve, daemon=True).start()

    def close():
        stop.set()
        for c in conns:
            c.close()
        srv.close()
    return srv.getsockname()[1], close


@pytest.mark.parametrize("reply", [b"", b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"],
                         ids=["silent", "http400"])
def test_dask_address_that_is_not_a_scheduler(stack_tif, tmp_path, reply):
    pytest.importorskip("distributed")
    port, close = _server(reply)
    code = ("import sys; from carbonsink import cli; "
            "sys.exit(cli.main(sys.argv[1:]))")
    try:
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", code, "senmk", "--input", stack_tif, "--first-year", "2000",
             "--slope", str(tmp_path / "s.tif"), "--dask", f"tcp://127.0.0.1:{port}",
             "--dask-timeout", "4"], capture_output=True, text=True, timeout=120,
            stdin=subprocess.DEVNULL)
        elapsed = time.perf_counter() - t0
    finally:
        close()
    assert proc.returncode == 1, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("carbonsink: error:"), proc.stderr
    assert "did not answer within 4 s" in last or "does not answer as a dask scheduler" in last \
        or "cannot connect" in last, last
    assert "EiB" not in proc.stderr and "Traceback" not in proc.stderr
    assert elapsed < 60
    assert not os.path.exists(tmp_path / "s.tif")


# ------------------------------------------------------------ drivers

def test_partial_correlation_says_what_is_wrong_with_a_driver(tmp_path):
    data = npp_like_stack(n=24)
    rng = np.random.default_rng(2)
    temp = write_tif(tmp_path / "t.tif", 10 + rng.normal(0, 1, data.shape))
    prec = write_tif(tmp_path / "p.tif", 500 + rng.normal(0, 50, data.shape))
    const = write_tif(tmp_path / "c.tif", np.full(data.shape, 3.0))
    copy = write_tif(tmp_path / "t_copy.tif", RasterStack(temp).read(0, 0, 40, 30))
    y = RasterStack(write_tif(tmp_path / "y.tif", data))
    out = {"r": str(tmp_path / "r.tif")}

    def run(paths, names):
        return rasters.partial_correlation_rasters(y, [RasterStack(p) for p in paths], names,
                                                   out, min_valid=20)
    with pytest.raises(StackError, match="drivers temperature and temperature2 are the same "
                                         "raster"):
        run([temp, temp], ["temperature", "temperature2"])
    with pytest.raises(StackError, match="driver sunshine does not vary in time"):
        run([temp, const], ["temperature", "sunshine"])
    with pytest.raises(StackError, match="temperature and t_copy are perfectly correlated"):
        run([temp, copy], ["temperature", "t_copy"])
    run([temp, prec], ["temperature", "precipitation"])           # fine
    assert listing(tmp_path).count("r.tif") == 1


# ------------------------------------------------------------ zones

def _square(x0, y0, x1, y1):
    from osgeo import ogr
    g = ogr.CreateGeometryFromWkt(f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},"
                                  f"{x0} {y0}))")
    return bytes(g.ExportToWkb())


def test_overlapping_zones_are_refused_touching_ones_are_not(tmp_path):
    from carbonsink.core.io.zones import rasterize_zones
    grid = RasterStack(write_tif(tmp_path / "g.tif", np.zeros((1, 30, 40)))).grid
    # helpers' grid: x 110..130, y 15..30 (0.5 degree pixels)
    west, east = _square(110, 15, 121, 30), _square(119, 15, 130, 30)    # 2 degrees shared
    with pytest.raises(StackError, match=r"zones West and East overlap \(120 pixels"):
        rasterize_zones([(1, west), (2, east)], grid, tmp_path / "z.tif",
                        names={1: "West", 2: "East"})
    # neighbours sharing a border, and two overlapping parts of one zone: fine
    s = rasterize_zones([(1, _square(110, 15, 120, 30)), (2, _square(120, 15, 130, 30)),
                         (2, _square(122, 15, 130, 30))], grid, tmp_path / "z2.tif")
    z = s.read(0, 0, 40, 30)[0]
    assert (z == 1).sum() == 600 and (z == 2).sum() == 600
    assert not [n for n in listing(tmp_path) if "zones-rev" in n]      # scratch removed


def test_fill_values_without_nodata_are_reported(tmp_path):
    data = npp_like_stack(n=24, gaps=0.0)
    data = np.nan_to_num(data, nan=400.0)
    data[:, 0, :5] = -9999.0                    # fill value, but the file declares no nodata
    src = write_tif(tmp_path / "fill.tif", data, nodata=None)
    infos = []
    from carbonsink.core.progress import Progress
    rasters.mann_kendall_rasters(RasterStack(src, name="NPP"), {"z": str(tmp_path / "z.tif")},
                                 years=YEARS, progress=Progress(on_info=infos.append))
    warn = [t for t in infos if "typical fill value" in t]
    assert len(warn) == 1, infos
    assert "NPP has no nodata value, but 120 pixel values equal -9999" in warn[0]
    assert "gdal_edit -a_nodata -9999" in warn[0]
    infos.clear()
    clean = write_tif(tmp_path / "clean.tif", npp_like_stack(n=24))   # nodata set: silent
    rasters.mann_kendall_rasters(RasterStack(clean), {"z": str(tmp_path / "z2.tif")},
                                 years=YEARS, progress=Progress(on_info=infos.append))
    assert not [t for t in infos if "fill value" in t]


# ------------------------------------------------------------ weights

def test_knn_distance_ties_go_to_the_lower_index():
    from carbonsink.core.weights import knn_weights
    yy, xx = np.mgrid[0:5, 0:5]
    pts = np.c_[xx.ravel(), yy.ravel()].astype(float)          # index = row * 5 + col
    w = knn_weights(pts, k=6)
    # centre (12): 4 neighbours at distance 1, then 2 of the 4 diagonals: 6 and 8
    assert sorted(w[12].indices) == [6, 7, 8, 11, 13, 17]
    # corner (0): 1 and 5 at 1, 6 at 1.41, then 2 and 10 at 2, then 7 and 11 at 2.24
    assert sorted(w[0].indices) == [1, 2, 5, 6, 7, 10]
    dup = np.vstack([pts, pts[:3]])                           # duplicated coordinates
    wd = knn_weights(dup, k=2)
    assert sorted(wd[0].indices) == [1, 25]                   # its twin (d 0), then 1 < 5
    assert all(i not in wd[i].indices for i in range(dup.shape[0]))


# ------------------------------------------------------------ concurrency, QGIS

def test_two_concurrent_runs_leave_one_complete_set(tmp_path):
    """Two command-line runs with the same outputs, the second committing
    while the first is half-way through its renames (slowed down here): the
    files that remain all come from one run (a set's renames hold a folder
    lock). Without the lock, slope and z came from one run, tau and class
    from the other."""
    rng = np.random.default_rng(5)
    up = write_tif(tmp_path / "up.tif", np.cumsum(rng.random((24, 100, 100)), axis=0) * 10)
    down = write_tif(tmp_path / "down.tif", -np.cumsum(rng.random((24, 100, 100)), axis=0))
    out = tmp_path / "out"
    out.mkdir()
    outputs = ["--slope", str(out / "s.tif"), "--z", str(out / "z.tif"),
               "--tau", str(out / "t.tif"), "--class", str(out / "c.tif")]

    def start(src, delay):
        return subprocess.Popen(
            [sys.executable, "-m", "carbonsink", "senmk", "--input", src, "--first-year",
             "2000", "--quiet", "--no-styles"] + outputs, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=ROOT,
            env=dict(os.environ, CARBONSINK_TEST_COMMIT_DELAY=str(delay)))
    first = start(up, 4.0)                      # one rename every 4 s
    deadline = time.time() + 120
    while time.time() < deadline and not (out / "s.tif").exists():
        time.sleep(0.02)                        # the first rename of the first run
    second = start(down, 0)                     # starts, computes, renames at once
    for p in (first, second):
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    signs = {float(np.sign(np.nanmedian(read_tif(out / f"{k}.tif")[0])))
             for k in ("s", "z", "t", "c")}
    assert len(signs) == 1, signs
    assert sorted(os.listdir(out)) == ["c.tif", "s.tif", "t.tif", "z.tif"]


@pytest.mark.qgis
def test_disk_full_in_qgis_is_a_message(provider, tiny_disk, tmp_path):
    import processing
    from qgis.core import QgsProcessingException, QgsProcessingFeedback
    data = np.random.default_rng(1).random((24, 300, 300)) * 500
    src = write_tif(tmp_path / "big.tif", data)
    params = {"INPUT": [src], "FIRST_YEAR": 2000}
    for k in ("SLOPE", "Z", "P", "TAU", "CLASS"):
        params[f"OUTPUT_{k}"] = str(tiny_disk / f"{k.lower()}.tif")
    with pytest.raises(QgsProcessingException, match="the disk is full"):
        processing.run("carbonsink:senmk", params, feedback=QgsProcessingFeedback())
    assert listing(tiny_disk) == []


def test_disk_full_with_gdal_exceptions_on(tmp_path, tiny_disk):
    """Another plugin may have called gdal.UseExceptions(): same message."""
    data = np.random.default_rng(1).random((24, 300, 300)) * 500
    src = write_tif(tmp_path / "big.tif", data)
    was = gdal.GetUseExceptions()
    gdal.UseExceptions()
    try:
        with pytest.raises(outs_mod.OutputError, match="the disk is full"):
            rasters.mann_kendall_rasters(RasterStack(src), {"slope": str(tiny_disk / "s.tif"),
                                                            "z": str(tiny_disk / "z.tif")},
                                         years=YEARS)
    finally:
        if not was:
            gdal.DontUseExceptions()
    assert listing(tiny_disk) == []


def test_progress_in_small_steps_and_cancel_inside_a_window(tmp_path):
    """One window (a large budget): progress still moves in about 0.5 %
    steps and a cancel stops the run inside the window (issue 14 item 4,
    issue 12 item 2)."""
    from carbonsink.core.progress import Canceled, Progress
    src = write_tif(tmp_path / "s.tif", np.random.default_rng(2).random((24, 400, 300)))
    seen = []
    rasters.mann_kendall_rasters(RasterStack(src), {"z": str(tmp_path / "z.tif")},
                                 years=YEARS, memory_mb=1024,
                                 progress=Progress(on_progress=seen.append))
    steps = np.diff(sorted(set(seen)))
    assert len(set(seen)) >= 100 and steps.max() <= 1.0, (len(set(seen)), steps.max())
    state = []
    prog = Progress(on_progress=state.append, is_canceled=lambda: bool(state) and
                    max(state) >= 10.0)
    with pytest.raises(Canceled):
        rasters.mann_kendall_rasters(RasterStack(src), {"z": str(tmp_path / "z2.tif")},
                                     years=YEARS, memory_mb=1024, progress=prog)
    assert max(state) < 12.0
    assert listing(tmp_path) == ["s.tif", "z.tif"]


def test_the_log_says_how_many_pixels_were_left_out(tmp_path):
    """Issue 14 item 1: a stack with 0.2 % missing pixel-years loses pixels
    at the default minimum (all years); the log says how many."""
    from carbonsink.core.progress import Progress
    rng = np.random.default_rng(8)
    data = 300 + rng.normal(0, 10, (24, 50, 40))
    data[:, :2, :] = np.nan                              # 80 pixels without data
    holes = rng.random(data.shape) < 0.002
    data[holes] = np.nan
    expected_out = int((holes[:, 2:, :].any(axis=0)).sum())
    src = write_tif(tmp_path / "gappy.tif", data)
    infos = []
    rasters.mann_kendall_rasters(RasterStack(src, name="NPP"), {"z": str(tmp_path / "z.tif")},
                                 years=YEARS, progress=Progress(on_info=infos.append))
    line = [t for t in infos if "pixels with data" in t]
    assert len(line) == 1, infos
    assert line[0].startswith(f"NPP: 1,920 pixels with data, {1920 - expected_out:,} "
                              f"computed, {expected_out:,} left out")
