"""Conservative regridding and ensembles of flux products (no QGIS)."""
import importlib.util
import os

import numpy as np
import pytest
from helpers import read_tif, write_tif
from osgeo import gdal, osr

from carbonsink.core import area
from carbonsink.core import ensemble as ens
from carbonsink.core.io import Grid, RasterStack, StackError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _wkt(code="EPSG:4326"):
    s = osr.SpatialReference()
    s.SetFromUserInput(code)
    return s.ExportToWkt()


def _total(a, grid):
    pa = area.pixel_areas(grid).block(0, grid.rows, grid.cols)
    return np.nansum(a * pa)


def _accounting_data_module():
    spec = importlib.util.spec_from_file_location(
        "make_accounting_data", os.path.join(ROOT, "scripts", "make_accounting_data.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_axis_weights_fractions():
    w = ens.axis_weights([0, 1, 2, 3], [0, 1.5, 3]).toarray()
    np.testing.assert_allclose(w, [[1, 0.5, 0], [0, 0.5, 1]])
    # longitudes 0..360 onto -180..180: matched modulo 360
    w = ens.axis_weights([180, 270, 360], [-180, -90, 0], period=360).toarray()
    np.testing.assert_allclose(w, [[1, 0], [0, 1]])


@pytest.mark.parametrize("src_res,dst_res", [(0.1, 0.5), (0.25, 0.1), (0.3, 0.75)])
def test_conservative_regrid_keeps_the_area_weighted_total(tmp_path, src_res, dst_res):
    """Coarser, finer and misaligned (0.3 -> 0.75 degree) grids over the same
    3 x 1.5 degree extent: sum(flux x area) is the same on both grids."""
    x0, y1 = 110.0, 30.5
    cols, rows = int(round(3.0 / src_res)), int(round(1.5 / src_res))
    gt = (x0, src_res, 0.0, y1, 0.0, -src_res)
    yy, xx = np.mgrid[0:rows, 0:cols]
    rng = np.random.default_rng(7)
    f = 100 + 50 * np.sin(xx / 5.0) * np.cos(yy / 3.0) + rng.normal(0, 5, (rows, cols))
    f = np.stack([f, -0.5 * f])
    src = RasterStack(write_tif(tmp_path / "f.tif", f, gt=gt), name="f")
    target = Grid(int(round(3.0 / dst_res)), int(round(1.5 / dst_res)),
                  (x0, dst_res, 0.0, y1, 0.0, -dst_res), _wkt())
    out = ens.regrid(src, target)
    assert np.isfinite(out).all()
    ff = f.astype(np.float32).astype(np.float64)
    for t in range(2):
        assert _total(out[t], target) == pytest.approx(_total(ff[t], src.grid), rel=1e-12)
    # a constant field stays constant
    const = RasterStack(write_tif(tmp_path / "c.tif", np.full((rows, cols), 42.0), gt=gt))
    np.testing.assert_allclose(ens.regrid(const, target), 42.0, rtol=1e-12)
    # written to a file: the same numbers (float32)
    path = ens.regrid(src, target, str(tmp_path / "r.tif"))
    got, ds = read_tif(path)
    np.testing.assert_allclose(got, out.astype(np.float32), rtol=1e-6)
    assert ds.GetGeoTransform() == target.geotransform


def test_regrid_nodata_and_coverage(tmp_path):
    f = np.full((4, 4), 10.0)
    f[:2, :2] = np.nan                         # one quarter missing
    src = RasterStack(write_tif(tmp_path / "f.tif", f, gt=(0.0, 0.5, 0, 2.0, 0, -0.5)))
    target = Grid(1, 1, (0.0, 2.0, 0, 2.0, 0, -2.0), _wkt())
    assert ens.regrid(src, target, min_coverage=0.5)[0, 0, 0] == pytest.approx(10.0)
    assert np.isnan(ens.regrid(src, target, min_coverage=0.8)[0, 0, 0])


def test_regrid_0_360_product_onto_minus180_grid(tmp_path):
    f = np.arange(8, dtype=float).reshape(1, 8) * np.ones((4, 1))
    src = RasterStack(write_tif(tmp_path / "g.tif", f, gt=(0.0, 45.0, 0, 90.0, 0, -45.0)))
    target = Grid(4, 2, (-180.0, 90.0, 0, 90.0, 0, -90.0), _wkt())
    out = ens.regrid(src, target)[0]
    # target cell -180..-90 = source 180..270 = columns 4, 5 -> mean 4.5
    np.testing.assert_allclose(out[0], [4.5, 6.5, 0.5, 2.5])
    assert _total(out, target) == pytest.approx(_total(f, src.grid), rel=1e-12)


def test_regrid_projected_and_other_crs(tmp_path):
    f = np.arange(36, dtype=float).reshape(6, 6)
    gt = (500000.0, 1000.0, 0, 3000000.0, 0, -1000.0)
    src = RasterStack(write_tif(tmp_path / "p.tif", f, gt=gt, epsg=3035))
    target = Grid(3, 3, (500000.0, 2000.0, 0, 3000000.0, 0, -2000.0), _wkt("EPSG:3035"))
    out = ens.regrid(src, target)[0]
    np.testing.assert_allclose(out, f.reshape(3, 2, 3, 2).mean(axis=(1, 3)))
    warnings = []
    geo = Grid(4, 4, (10.0, 0.05, 0, 27.1, 0, -0.05), _wkt())
    ens.Regridder(src, geo, warnings=warnings)
    assert any("another CRS" in w for w in warnings)


def test_regrid_classes_by_area_maximisation(tmp_path):
    c = np.array([[1, 1, 2, 2], [1, 3, 2, 2], [3, 3, 3, 2], [3, 3, 1, 1]], dtype=float)
    src = RasterStack(write_tif(tmp_path / "c.tif", c, gt=(0.0, 0.5, 0, 2.0, 0, -0.5),
                                nodata=255, dtype=gdal.GDT_Byte))
    target = Grid(2, 2, (0.0, 1.0, 0, 2.0, 0, -1.0), _wkt())
    out = ens.regrid_classes(src, target, str(tmp_path / "m.tif"))
    got, _ = read_tif(out)
    np.testing.assert_array_equal(got, [[1, 2], [3, 1]])
    # lower-left cell: 3, 3, 3, 3 -> 3; lower-right: 3, 2, 1, 1 -> 1 (2 of 4)


def test_ensemble_statistics_on_one_grid(tmp_path):
    rng = np.random.default_rng(2)
    gt = (110.0, 0.5, 0, 30.0, 0, -0.5)
    a = rng.normal(10, 20, (3, 5, 6))
    b = rng.normal(10, 20, (3, 5, 6))
    c = rng.normal(10, 20, (3, 5, 6))
    c[0, 0, 0] = np.nan
    sts = [RasterStack(write_tif(tmp_path / f"{k}.tif", v, gt=gt), name=k)
           for k, v in zip("abc", (a, b, c))]
    outs = {k: str(tmp_path / f"o_{k}.tif") for k in ("mean", "sd", "agreement")}
    outs["members"] = [str(tmp_path / "m1.tif"), None, None]
    res = ens.flux_ensemble(sts, outputs=outs, min_members=2, unit="g C", band_width=0)
    v = np.stack([x.astype(np.float32).astype(float) for x in (a, b, c)])
    mean = np.nanmean(v, axis=0)
    sd = np.nanstd(v, axis=0, ddof=1)
    agree = 100 * (np.sign(v) == np.sign(mean)).sum(axis=0) / np.isfinite(v).sum(axis=0)
    m, _ = read_tif(outs["mean"])
    s, _ = read_tif(outs["sd"])
    g, _ = read_tif(outs["agreement"])
    np.testing.assert_allclose(m, mean.astype(np.float32), rtol=1e-6)
    np.testing.assert_allclose(s, sd.astype(np.float32), rtol=1e-6)
    np.testing.assert_allclose(g, agree.astype(np.float32), rtol=1e-6)
    assert res.paths["members"] == [outs["members"][0]]
    pa = area.pixel_areas(sts[0].grid).block(0, 5, 6)
    row = res.time_rows()[0]
    ok = np.isfinite(mean[0])
    assert row["ensemble_total"] == pytest.approx(np.sum(mean[0] * pa), rel=1e-9)
    assert row["total_m1"] == pytest.approx(np.sum(v[0, 0][ok] * pa[ok]), rel=1e-9)
    # pixel (0, 0) of the first step has two members: c does not count there
    okc = np.isfinite(v[2, 0])
    assert row["total_m3"] == pytest.approx(np.sum(v[2, 0][okc] * pa[okc]), rel=1e-9)
    with pytest.raises(StackError, match="same time steps"):
        ens.flux_ensemble([sts[0], RasterStack(write_tif(tmp_path / "x.tif", a[:2], gt=gt))])


def test_ensemble_monthly_netcdf_zones_bands(tmp_path):
    """Monthly products on three grids, one a CF NetCDF read through GDAL:
    seasonal cycle, annual totals, latitude bands."""
    mod = _accounting_data_module()
    rng = np.random.default_rng(4)
    months = np.arange(24)
    season = np.cos(2 * np.pi * ((months % 12) - 6.5) / 12)
    grids = [(0.1, (110.0, 30.0), 60, 40), (0.25, (109.75, 30.25), 26, 18),
             (0.5, (109.5, 30.5), 14, 10)]
    stacks = []
    for k, (res_, (x0, y1), cols, rows) in enumerate(grids):
        gt = (x0, res_, 0, y1, 0, -res_)
        d = 5 + 10 * season[:, None, None] + rng.normal(0, 1, (24, rows, cols)) + k
        if k == 2:
            path = mod.write_netcdf(str(tmp_path / "m.nc"), d, gt)
            stacks.append(RasterStack(f'NETCDF:"{path}":nep', name="nc"))
        else:
            stacks.append(RasterStack(write_tif(tmp_path / f"m{k}.tif", d, gt=gt), name=f"g{k}"))
    nc = stacks[2]
    assert nc.n == 24 and nc.grid.geotransform[5] < 0 and not nc.grid.crs_wkt
    # the NetCDF is read north-up with its values in place
    ds = gdal.Open(nc.sources[0])
    assert ds.GetRasterBand(1).GetNoDataValue() == -9999
    target = Grid(30, 20, (110.0, 0.2, 0, 30.0, 0, -0.2), _wkt())
    z = np.where(np.arange(30)[None, :] < 15, 1, 2) * np.ones((20, 1))
    zs = RasterStack(write_tif(tmp_path / "z.tif", z, gt=target.geotransform, dtype=5))
    res = ens.flux_ensemble(stacks, target, zones=zs, zone_names={1: "W", 2: "E"},
                       time_step="months", first_year=2001, unit="Gg C", band_width=1.0)
    assert any("no CRS" in w for w in res.warnings)
    seas = res.seasonal_rows()
    assert len(seas) == 3 * 12
    w = [r["mean_total"] for r in seas if r["zone"] == "W"]
    assert np.argmax(w) in (5, 6) and np.argmin(w) in (0, 11)      # summer peak
    summ = {r["zone"]: r for r in res.summary_rows()}
    assert summ["All zones"]["years"] == 2
    assert summ["All zones"]["annual_total_mean"] == pytest.approx(
        summ["W"]["annual_total_mean"] + summ["E"]["annual_total_mean"], rel=1e-12)
    ann = res.annual(0)
    assert ann[-1, 0] == pytest.approx(np.sum(res.zone_total[-1, :12, 0]), rel=1e-12)
    assert summ["All zones"]["sd_members"] > 0
    bands = res.band_rows()
    assert {b["band"] for b in bands} == {"26 to 27", "27 to 28", "28 to 29", "29 to 30"}
    # band totals add up to the grand total of every time step
    for t in range(24):
        tot = sum(b["total"] for b in bands if b["time"] == res.labels[t])
        assert tot == pytest.approx(res.zone_total[-1, t, 0], rel=1e-9)


def test_aligned_grid_and_target(tmp_path):
    a = RasterStack(write_tif(tmp_path / "a.tif", np.zeros((10, 10)),
                              gt=(110.05, 0.1, 0, 30.0, 0, -0.1)))
    b = RasterStack(write_tif(tmp_path / "b.tif", np.zeros((4, 4)),
                              gt=(110.0, 0.25, 0, 29.8, 0, -0.25)))
    g = ens.target_grid([a, b], resolution=0.5)
    assert g.geotransform[:2] == (110.0, 0.5) and g.geotransform[3] == 30.0
    assert (g.cols, g.rows) == (2, 2)          # intersection 110.05..111 x 29..29.8


def test_regrid_past_the_data_edge_conserves_mass_with_the_coverage(tmp_path):
    """0.1 -> 1 degree onto a target that extends past the data (and over NaN
    holes): weighted by the coverage output, the total equals the source's to
    1e-9 whatever the minimum coverage; the plain flux total at the default 50 %
    is biased (the cells kept count their whole area)."""
    x0, y1, res = 100.05, 36.03, 0.1                 # data edge inside target cells
    cols, rows = 73, 55
    yy, xx = np.mgrid[0:rows, 0:cols]
    rng = np.random.default_rng(3)
    f = 120 + 40 * np.sin(xx / 7.0) + 20 * np.cos(yy / 4.0) + rng.normal(0, 5, (rows, cols))
    f[rng.random(f.shape) < 0.05] = np.nan
    f[10:20, 30:45] = np.nan                        # a hole
    gt = (x0, res, 0.0, y1, 0.0, -res)
    src = RasterStack(write_tif(tmp_path / "f.tif", f[None], gt=gt), name="f")
    src_mass = _total(f.astype(np.float32).astype(np.float64), src.grid)
    target = Grid(10, 8, (99.0, 1.0, 0.0, 37.0, 0.0, -1.0), _wkt())
    t_area = area.pixel_areas(target).block(0, target.rows, target.cols)
    for min_cov in (0.0, 0.5):
        flux, cov = ens.regrid(src, target, None, min_coverage=min_cov, coverage_path=True)
        assert ((cov >= 0) & (cov <= 1)).all() and cov[0, 0, 0] == 0.0     # outside the data
        kept = np.nansum(flux * cov * t_area)
        lost = np.nansum(np.where(np.isnan(flux) & (cov > 0), 1.0, 0.0))
        if min_cov == 0.0:
            assert lost == 0 and kept == pytest.approx(src_mass, rel=1e-9)
        else:
            plain = _total(flux, target)                 # every kept cell at full area
            assert abs(plain / src_mass - 1) > 0.01      # the bias the coverage shows
            assert kept < src_mass                       # dropped cells hold the rest
    # the files: flux and coverage together, the coverage in 0..1 with unit "1"
    paths = ens.regrid(src, target, str(tmp_path / "r.tif"), 0.0,
                       coverage_path=str(tmp_path / "c.tif"))
    c, ds = read_tif(paths[1])
    assert ds.GetRasterBand(1).GetUnitType() == "1"
    np.testing.assert_allclose(c, cov[0], rtol=1e-6, atol=1e-7)        # one band: 2-d
    r, _ = read_tif(paths[0])
    assert np.nansum(r * c * t_area) == pytest.approx(src_mass, rel=1e-6)   # float32


def test_ensemble_coverage_output(tmp_path):
    """The ensemble's coverage: the mean over the products of each target
    cell's covered share (0 outside the data, 1 inside), one band per step."""
    g1 = (100.05, 0.1, 0.0, 36.03, 0.0, -0.1)
    f = np.full((2, 30, 40), 50.0)
    a = RasterStack(write_tif(tmp_path / "a.tif", f, gt=g1), name="a")
    b = RasterStack(write_tif(tmp_path / "b.tif", f * 2, gt=g1), name="b")
    target = Grid(6, 5, (99.0, 1.0, 0.0, 37.0, 0.0, -1.0), _wkt())
    cov_path = str(tmp_path / "cov.tif")
    ens.flux_ensemble([a, b], target, outputs={"mean": str(tmp_path / "m.tif"),
                                               "coverage": cov_path}, min_coverage=0.0)
    cov, ds = read_tif(cov_path)
    _, ref = ens.regrid(a, target, None, 0.0, coverage_path=True)
    np.testing.assert_allclose(cov, ref, rtol=1e-6, atol=1e-7)    # both products alike
    assert cov[0, 0, 0] == 0.0 and cov.max() == pytest.approx(1.0)
    assert ds.GetRasterBand(1).GetUnitType() == "1"
