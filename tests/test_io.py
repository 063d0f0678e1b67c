"""Block-streaming engine: stacks, windows, atomic GeoTIFF output (no QGIS)."""
import os

import numpy as np
import pytest
from helpers import GT, npp_like_stack, read_tif, write_tif
from osgeo import gdal

import carbonsink.core as cs
from carbonsink.core.io import (
    NoValidData,
    OutputSpec,
    RasterStack,
    StackError,
    plan_windows,
    run_blocks,
)
from carbonsink.core.progress import Canceled, Progress
from carbonsink.core.rasters import linear_trend_rasters, mann_kendall_rasters

INPUTS = [f"npp_{y}.tif" for y in range(2000, 2006)] + ["stack.tif"]


@pytest.fixture
def stack_files(tmp_path):
    y = npp_like_stack(n=6, rows=300, cols=270, seed=1)
    singles = [write_tif(tmp_path / f"npp_{2000 + i}.tif", y[i]) for i in range(6)]
    multi = write_tif(tmp_path / "stack.tif", y)
    return y, singles, multi


def test_single_band_files_equal_multiband(stack_files):
    y, singles, multi = stack_files
    a = RasterStack(singles).read(5, 7, 100, 50)
    b = RasterStack(multi).read(5, 7, 100, 50)
    ref = y[:, 7:57, 5:105].astype(np.float32).astype(np.float64)
    np.testing.assert_array_equal(a, ref)            # nodata -> NaN in both
    np.testing.assert_array_equal(b, ref)
    assert RasterStack(singles).labels[0] == "npp_2000"


def test_scale_offset_and_valid_range(tmp_path):
    stored = np.array([[0, 5000, 32700, 32767]], dtype=float)
    path = write_tif(tmp_path / "modis.tif", stored, nodata=None, dtype=gdal.GDT_Int16)
    s = RasterStack(path, scale=0.1, offset=1.0, valid_min=0, valid_max=32700)
    got = s.read(0, 0, 4, 1)[0, 0]
    np.testing.assert_allclose(got[:3], [1.0, 501.0, 3271.0])
    assert np.isnan(got[3])                           # fill value 32767 masked


def test_mismatched_grid_names_the_odd_layer(tmp_path):
    a = write_tif(tmp_path / "a.tif", np.zeros((4, 5)))
    b = write_tif(tmp_path / "b.tif", np.zeros((4, 5)), gt=(111.0,) + GT[1:])
    c = write_tif(tmp_path / "c.tif", np.zeros((4, 6)))
    d = write_tif(tmp_path / "d.tif", np.zeros((4, 5)), epsg=32650)
    with pytest.raises(StackError, match=r"b\.tif does not match a\.tif.*geotransform"):
        RasterStack([a, b])
    with pytest.raises(StackError, match=r"c\.tif.*size 6 x 4"):
        RasterStack([a, c])
    with pytest.raises(StackError, match=r"d\.tif.*CRS"):
        RasterStack([a, d])
    with pytest.raises(StackError, match="cannot open raster"):
        RasterStack([a, str(tmp_path / "missing.tif")])


@pytest.mark.parametrize("block,budget", [((256, 256), 1), ((4000, 1), 8), ((512, 512), 64),
                                          ((256, 256), 10_000)])
def test_windows_cover_grid_once_and_are_aligned(block, budget):
    cols, rows, bpp = 4000, 3000, 24 * 8
    wins = plan_windows(cols, rows, block, bpp, budget)
    cover = np.zeros((rows, cols), dtype=np.int8)
    for x, y, w, h in wins:
        cover[y:y + h, x:x + w] += 1
        assert y % 256 == 0 and x % 256 == 0
        assert y % block[1] == 0
        assert x % block[0] == 0 or block[0] >= cols   # strips: any 256 step
    assert cover.min() == 1 and cover.max() == 1
    biggest = max(w * h for _, _, w, h in wins)
    # memory bounded by the budget (or by one aligned tile when the budget is tiny)
    assert biggest * bpp <= max(budget * 2**20, 512 * 512 * bpp)


def test_run_blocks_matches_in_memory_result(stack_files, tmp_path):
    y, singles, _ = stack_files
    years = np.arange(2000, 2006)
    outs = {k: str(tmp_path / f"{k}.tif") for k in ("slope", "pvalue", "class")}
    # a 1 MB budget forces many windows; results must not depend on them
    paths = mann_kendall_rasters(RasterStack(singles), outs, years, min_valid=5, memory_mb=1)
    ref = cs.mann_kendall(y.astype(np.float32).astype(np.float64), years, min_valid=5)
    slope, ds = read_tif(paths["slope"])
    np.testing.assert_allclose(slope, ref.slope.astype(np.float32), rtol=0, atol=0, equal_nan=True)
    assert ds.GetGeoTransform() == GT
    assert "WGS 84" in ds.GetProjection()
    assert ds.GetRasterBand(1).GetNoDataValue() == -9999.0
    assert ds.GetMetadata("IMAGE_STRUCTURE")["COMPRESSION"] == "DEFLATE"
    assert ds.GetRasterBand(1).GetBlockSize() == [256, 256]
    cls, _ = read_tif(paths["class"])
    expect = cs.trend_class(ref.slope, ref.z).astype(float)
    expect[expect == -128] = np.nan
    np.testing.assert_array_equal(cls, expect)
    assert not [f for f in os.listdir(tmp_path) if "partial" in f]


def test_cancel_mid_run_leaves_no_file(stack_files, tmp_path):
    _, singles, _ = stack_files
    calls = []

    def canceled():
        calls.append(1)
        return len(calls) > 2          # cancel after two windows

    out = tmp_path / "slope.tif"
    with pytest.raises(Canceled):
        linear_trend_rasters(RasterStack(singles), {"slope": str(out)}, min_valid=5,
                             progress=Progress(is_canceled=canceled), memory_mb=1)
    assert len(calls) == 3
    assert sorted(os.listdir(tmp_path)) == INPUTS


def test_error_in_kernel_leaves_no_file(stack_files, tmp_path):
    _, _, multi = stack_files
    out = tmp_path / "x.tif"

    def boom(arrays):
        raise RuntimeError("kernel failed")

    with pytest.raises(RuntimeError):
        run_blocks({"y": RasterStack(multi)}, {"x": OutputSpec(str(out))}, boom)
    assert sorted(os.listdir(tmp_path)) == INPUTS


def test_all_nodata_input_is_refused(tmp_path):
    path = write_tif(tmp_path / "empty.tif", np.full((5, 4, 4), np.nan))
    out = tmp_path / "slope.tif"
    with pytest.raises(NoValidData, match="no pixel"):
        linear_trend_rasters(RasterStack(path), {"slope": str(out)})
    assert not out.exists()


def test_unwritable_output_is_a_clear_error(stack_files, tmp_path):
    _, _, multi = stack_files
    with pytest.raises(StackError, match="does not exist"):
        linear_trend_rasters(RasterStack(multi), {"slope": str(tmp_path / "no" / "s.tif")})


def test_too_few_years_is_refused(tmp_path):
    path = write_tif(tmp_path / "three.tif", np.ones((3, 4, 4)))
    with pytest.raises(StackError, match="at least 4 years"):
        mann_kendall_rasters(RasterStack(path), {"slope": str(tmp_path / "s.tif")})


def test_progress_reaches_100(stack_files, tmp_path):
    _, _, multi = stack_files
    seen = []
    linear_trend_rasters(RasterStack(multi), {"slope": str(tmp_path / "s.tif")}, min_valid=5,
                         progress=Progress(on_progress=seen.append), memory_mb=1)
    assert len(seen) > 1 and seen == sorted(seen) and seen[-1] == 100.0


def test_gdal_cache_capped_during_a_run_and_given_back(tmp_path):
    """GDAL's block cache is process-wide (QGIS and other plugins share it): a
    run caps it and gives the user's value back, after an error too, and two
    overlapping runs restore the value from before the first."""
    import threading

    from carbonsink.core.io import capped_gdal_cache
    old = gdal.GetCacheMax()
    try:
        gdal.SetCacheMax(900 * 2**20)
        seen = []
        with capped_gdal_cache(64):
            seen.append(gdal.GetCacheMax())
            with capped_gdal_cache(128):          # nested: keeps the lower cap
                seen.append(gdal.GetCacheMax())
            seen.append(gdal.GetCacheMax())
        assert seen == [64 * 2**20] * 3
        assert gdal.GetCacheMax() == 900 * 2**20
        # overlapping runs in two threads: first in, first out
        a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()

        def run_a():
            with capped_gdal_cache(64):
                a_in.set()
                b_in.wait(10)
            a_out.set()

        def run_b():
            a_in.wait(10)
            with capped_gdal_cache(64):
                b_in.set()
                a_out.wait(10)
                seen.append(gdal.GetCacheMax())   # still capped while b runs
        threads = [threading.Thread(target=f) for f in (run_a, run_b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        assert seen[-1] == 64 * 2**20
        assert gdal.GetCacheMax() == 900 * 2**20
        # a failing run gives the cache back
        path = write_tif(tmp_path / "a.tif", np.ones((2, 8, 8), dtype=np.float32))

        def boom(arrays):
            assert gdal.GetCacheMax() == 32 * 2**20
            raise RuntimeError("kernel failed")
        with pytest.raises(RuntimeError, match="kernel failed"):
            cs.io.run_blocks({"a": RasterStack(path)},
                             {"o": OutputSpec(str(tmp_path / "o.tif"))}, boom, cache_mb=32)
        assert gdal.GetCacheMax() == 900 * 2**20
        assert not (tmp_path / "o.tif").exists()
    finally:
        gdal.SetCacheMax(old)


def test_outputs_carry_units(tmp_path):
    """Every band of an output says its unit (GDAL unit type): slopes per year
    of the input's unit, dimensionless statistics "1", NEP g C m-2 yr-1."""
    from carbonsink.core.rasters import carrying_capacity_rasters, nep_rasters, unit_per_year
    assert unit_per_year("g C m-2 yr-1") == "g C m-2 yr-2"
    assert unit_per_year("mm") == "mm yr-1"
    assert unit_per_year("") == "(input unit) yr-1"
    y = npp_like_stack(8, 12, 14, seed=3)
    path = write_tif(tmp_path / "npp.tif", y)
    ds = gdal.Open(str(path), gdal.GA_Update)
    for b in range(1, ds.RasterCount + 1):
        ds.GetRasterBand(b).SetUnitType("g C m-2 yr-1")
    ds = None
    stack = RasterStack(str(path))
    assert stack.unit == "g C m-2 yr-1"
    outs = {k: str(tmp_path / f"{k}.tif") for k in ("slope", "z", "pvalue", "intercept")}
    mann_kendall_rasters(stack, outs, years=np.arange(2000.0, 2008.0))
    want = {"slope": "g C m-2 yr-2", "z": "1", "pvalue": "1", "intercept": "g C m-2 yr-1"}
    def unit_of(path, band=1):
        ds = gdal.Open(path)            # kept alive while its band is used
        return ds.GetRasterBand(band).GetUnitType()
    for k, unit in want.items():
        assert unit_of(outs[k]) == unit, k
    cc = {k: str(tmp_path / f"cc_{k}.tif") for k in ("cscc", "saturation")}
    carrying_capacity_rasters(stack, cc, years=np.arange(2000.0, 2008.0), all_years=True)
    assert unit_of(cc["cscc"]) == "g C m-2 yr-1"
    sat = gdal.Open(cc["saturation"])
    assert {sat.GetRasterBand(b).GetUnitType() for b in range(1, 9)} == {"%"}
    t = write_tif(tmp_path / "t.tif", np.full((8, 12, 14), 12.0))
    p = write_tif(tmp_path / "p.tif", np.full((8, 12, 14), 600.0))
    nep = {"nep": str(tmp_path / "nep.tif")}
    nep_rasters(stack, RasterStack(str(t)), RasterStack(str(p)), nep)
    ds = gdal.Open(nep["nep"])
    assert ds.GetRasterBand(8).GetUnitType() == "g C m-2 yr-1"
    assert ds.GetRasterBand(8).GetDescription() == "7"
