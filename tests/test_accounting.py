"""Carbon accounting core (no QGIS): pixel areas, zonal totals, units."""
import math
import os

import numpy as np
import pytest
from helpers import read_tif, write_tif
from osgeo import osr

from carbonsink.core import accounting, area
from carbonsink.core.io import Grid, RasterStack, StackError
from carbonsink.core.io.zones import zones_from_vector

A, INVF = 6378137.0, 298.257223563


# ------------------------------------------------------------- references

def ref_cell_area(lat1, lat2, dlon):
    """WGS84 area of a lon/lat cell, computed independently of the code under
    test: pyproj's geodesic polygon area with the parallels densified (a
    geodesic between two points of a parallel is not the parallel), or, when
    pyproj is missing, numerical integration of M(phi) N(phi) cos(phi)."""
    try:
        from pyproj import Geod
    except ImportError:
        from scipy.integrate import quad
        f = 1 / INVF
        e2 = f * (2 - f)

        def mn_cos(p):
            w = 1 - e2 * math.sin(p) ** 2
            return A * (1 - e2) / w ** 1.5 * A / math.sqrt(w) * math.cos(p)

        val, _ = quad(mn_cos, math.radians(lat1), math.radians(lat2), epsabs=0, epsrel=1e-13)
        return abs(val) * math.radians(dlon)
    n = 4001
    lon = np.linspace(0.0, dlon, n)
    lons = np.r_[lon, lon[::-1]]
    lats = np.r_[np.full(n, lat1), np.full(n, lat2)]
    return abs(Geod(ellps="WGS84").polygon_area_perimeter(lons, lats)[0])


def wkt(code):
    s = osr.SpatialReference()
    s.SetFromUserInput(code)
    return s.ExportToWkt()


# ------------------------------------------------------------------ areas

@pytest.mark.parametrize("lat", [0.0, 60.0, -45.0, 89.0])
def test_one_degree_cell_matches_wgs84_reference(lat):
    got = float(area.ellipsoid_zone_area(lat, lat + 1, 1.0))
    assert got == pytest.approx(ref_cell_area(lat, lat + 1, 1.0), rel=1e-9)


def test_known_cell_areas_in_km2():
    # 1 x 1 degree on WGS84: 12 308.46 km2 at the equator, 6 123.14 km2 at 60-61 N
    assert area.ellipsoid_zone_area(0, 1, 1) / 1e6 == pytest.approx(12308.46, abs=0.01)
    assert area.ellipsoid_zone_area(60, 61, 1) / 1e6 == pytest.approx(6123.14, abs=0.01)


def test_global_grid_sums_to_the_ellipsoid_surface():
    grid = Grid(360, 180, (-180.0, 1.0, 0.0, 90.0, 0.0, -1.0), wkt("EPSG:4326"))
    pa = area.pixel_areas(grid)
    assert pa.geographic and pa.warning is None
    e = math.sqrt((1 / INVF) * (2 - 1 / INVF))
    surface = 2 * math.pi * A ** 2 * (1 + (1 - e * e) / e * math.atanh(e))
    assert pa.total_m2(360) == pytest.approx(surface, rel=1e-12)
    # symmetric about the equator, largest at the equator
    np.testing.assert_allclose(pa.row_m2, pa.row_m2[::-1], rtol=1e-12)
    assert pa.row_m2.argmax() in (89, 90)


def test_sphere_and_other_ellipsoid():
    grid = Grid(2, 2, (0.0, 1.0, 0.0, 1.0, 0.0, -1.0), wkt("+proj=longlat +R=6371000"))
    pa = area.pixel_areas(grid)
    r = 6371000.0
    assert pa.row_m2[0] == pytest.approx(r * r * math.radians(1) * math.sin(math.radians(1)))
    krass = area.pixel_areas(Grid(1, 1, (100, 1, 0, 31, 0, -1), wkt("EPSG:4214")))  # Beijing 1954
    wgs = area.pixel_areas(Grid(1, 1, (100, 1, 0, 31, 0, -1), wkt("EPSG:4326")))
    assert krass.row_m2[0] != pytest.approx(wgs.row_m2[0], rel=1e-6)   # its own ellipsoid
    assert krass.row_m2[0] == pytest.approx(wgs.row_m2[0], rel=1e-3)


def test_south_up_grid_and_block():
    up = area.pixel_areas(Grid(3, 4, (0.0, 0.5, 0.0, 20.0, 0.0, 0.5), wkt("EPSG:4326")))
    assert up.row_m2[0] == pytest.approx(ref_cell_area(20, 20.5, 0.5), rel=1e-9)
    b = up.block(1, 2, 3)
    assert b.shape == (2, 3) and np.all(b[0] == up.row_m2[1])


def test_projected_equal_area_and_warnings():
    gt = (500000.0, 1000.0, 0.0, 3000000.0, 0.0, -1000.0)
    ea = area.pixel_areas(Grid(10, 10, gt, wkt("EPSG:3035")))
    assert ea.equal_area and ea.warning is None and np.all(ea.row_m2 == 1e6)
    for code in ("ESRI:54009", "EPSG:6933", "+proj=sinu +R=6371007.181 +units=m",
                 "+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +ellps=krass"):
        assert area.pixel_areas(Grid(10, 10, gt, wkt(code))).warning is None, code
    utm = area.pixel_areas(Grid(100, 100, gt, wkt("EPSG:32650")))
    assert not utm.equal_area and "not an equal-area" in utm.warning
    assert "+0.0" in utm.warning                  # UTM: area scale close to 1
    merc = area.pixel_areas(Grid(100, 100, (0, 1000, 0, 3000000, 0, -1000), wkt("EPSG:3857")))
    assert "-1" in merc.warning                   # Web Mercator at ~26 N: about -19 %
    ft = area.pixel_areas(Grid(1, 1, (0, 100, 0, 0, 0, -100), wkt("EPSG:2227")))  # US ft
    assert ft.row_m2[0] == pytest.approx((100 * 0.3048006096) ** 2, rel=1e-6)


def test_no_crs_and_rotated_geographic_grids_are_refused():
    with pytest.raises(StackError, match="no CRS"):
        area.pixel_areas(Grid(2, 2, (0, 1, 0, 0, 0, -1), ""))
    with pytest.raises(StackError, match="rotated"):
        area.pixel_areas(Grid(2, 2, (0, 1, 0.1, 0, 0, -1), wkt("EPSG:4326")))


def test_pixel_area_raster(tmp_path):
    src = write_tif(tmp_path / "g.tif", np.zeros((300, 20)), gt=(100.0, 0.1, 0.0, 40.0, 0.0, -0.1))
    out, pa = area.pixel_area_raster(src, str(tmp_path / "area.tif"), "km2")
    a, ds = read_tif(out)
    assert a.shape == (300, 20)
    np.testing.assert_allclose(a[:, 7], pa.row_m2 / 1e6, rtol=1e-12)
    assert a[0, 0] == pytest.approx(ref_cell_area(39.9, 40.0, 0.1) / 1e6, rel=1e-9)


# ------------------------------------------------------------------ units

def test_units():
    assert accounting.mass_factor("Tg C") == 1e-12
    assert accounting.mass_factor("Pg CO2") == pytest.approx(1e-15 * 44 / 12)
    assert accounting.mass_factor("t C", "CO2") == pytest.approx(1e-6 * 12 / 44)
    assert accounting.mass_factor("g CO2", "CO2") == 1.0
    with pytest.raises(ValueError):
        accounting.mass_factor("Tg carbon")


# ------------------------------------------------------------ zonal summary

GT = (110.0, 0.5, 0.0, 30.0, 0.0, -0.5)


def _zones_and_classes(tmp_path, rows=12, cols=10):
    z = np.zeros((rows, cols))
    z[:, :5] = 1
    z[:, 5:] = 2
    z[:2, :] = 0                                   # outside every zone
    c = np.where(np.arange(cols)[None, :] % 3 == 0, 10, 20) * np.ones((rows, 1))
    c[5, 5] = np.nan                               # land-cover nodata
    c[6, 6] = 30
    zp = write_tif(tmp_path / "z.tif", z, gt=GT, dtype=5)     # Int32
    cp = write_tif(tmp_path / "c.tif", c, gt=GT, nodata=255, dtype=1)   # Byte
    return z, c, RasterStack(zp, name="zones"), RasterStack(cp, name="land cover")


def _values(rows=12, cols=10, n=3, seed=1):
    rng = np.random.default_rng(seed)
    y = rng.uniform(-50, 800, (n, rows, cols))
    y[rng.random(y.shape) < 0.1] = np.nan
    return y


@pytest.mark.parametrize("numba", ["1", "0"])
def test_zone_totals_equal_sum_of_values_times_areas(tmp_path, monkeypatch, numba):
    monkeypatch.setenv("CARBONSINK_NO_NUMBA", "0" if numba == "1" else "1")
    y = _values()
    stack = RasterStack(write_tif(tmp_path / "y.tif", y, gt=GT))
    z, c, zs, cs_ = _zones_and_classes(tmp_path)
    res = accounting.zonal_summary(stack, zs, {1: "West", 2: "East"}, cs_,
                                   {10: "Forest", 20: "Crop"}, years=[2000, 2001, 2002],
                                   unit="Tg C")
    yf = y.astype(np.float32).astype(np.float64)          # as stored
    rows_m2 = area.ellipsoid_zone_area(30 - 0.5 * np.arange(12), 30 - 0.5 * np.arange(1, 13), 0.5)
    a = np.broadcast_to(rows_m2[:, None], z.shape)
    table = {(r["zone"], r["class_name"], r["layer"]): r for r in res.layer_rows()}
    grand = np.nansum(np.where(z[None] > 0, yf * a, np.nan).reshape(3, -1), axis=1)
    for t, year in enumerate(["2000", "2001", "2002"]):
        for zid, zname in ((1, "West"), (2, "East")):
            for code, cname in ((10, "Forest"), (20, "Crop"), (30, "class 30")):
                m = (z == zid) & (c == code) & np.isfinite(yf[t])
                r = table.get((zname, cname, year))
                if not m.any():
                    assert r is None or r["valid_pixels"] == 0
                    continue
                assert r["total"] == pytest.approx(np.sum(yf[t][m] * a[m]) * 1e-12, rel=1e-12)
                assert r["mean"] == pytest.approx(yf[t][m].mean(), rel=1e-12)
                assert r["aw_mean"] == pytest.approx(np.sum(yf[t][m] * a[m]) / a[m].sum(),
                                                     rel=1e-12)
                assert r["valid_area_km2"] == pytest.approx(a[m].sum() / 1e6, rel=1e-12)
            # the zone over all classes: land-cover nodata pixels are not counted
            m = (z == zid) & np.isfinite(c) & np.isfinite(yf[t])
            r = table[(zname, "All classes", year)]
            assert r["total"] == pytest.approx(np.sum(yf[t][m] * a[m]) * 1e-12, rel=1e-12)
        m = (z > 0) & np.isfinite(c) & np.isfinite(yf[t])
        g = table[("All zones", "All classes", year)]
        assert g["total"] == pytest.approx(np.sum(yf[t][m] * a[m]) * 1e-12, rel=1e-12)
        assert g["share_pct"] == pytest.approx(100.0)
        assert grand[t] > 0
        shares = [r["share_pct"] for (zn, cn, yr), r in table.items()
                  if yr == year and zn != "All zones" and cn == "All classes"]
        assert sum(shares) == pytest.approx(100.0)
        f = table[("West", "Forest", year)]
        assert f["share_zone_pct"] == pytest.approx(
            100 * f["total"] / table[("West", "All classes", year)]["total"])
    # summary across years: mean and sample SD of the yearly totals
    summ = {(r["zone"], r["class_name"]): r for r in res.summary_rows()}
    tot = [table[("East", "Crop", y_)]["total"] for y_ in ("2000", "2001", "2002")]
    s = summ[("East", "Crop")]
    assert s["total_mean"] == pytest.approx(np.mean(tot), rel=1e-12)
    assert s["total_sd"] == pytest.approx(np.std(tot, ddof=1), rel=1e-12)
    assert s["total_2001"] == pytest.approx(tot[1], rel=1e-12)
    m = (z == 2) & (c == 20)
    assert s["area_km2"] == pytest.approx(a[m].sum() / 1e6, rel=1e-12)
    anyv = m & np.isfinite(yf).any(axis=0)
    assert s["valid_area_km2"] == pytest.approx(a[anyv].sum() / 1e6, rel=1e-12)


def test_numba_and_numpy_paths_agree(tmp_path, monkeypatch):
    y = _values(seed=5)
    stack = RasterStack(write_tif(tmp_path / "y.tif", y, gt=GT))
    _, _, zs, cs_ = _zones_and_classes(tmp_path)
    out = []
    for flag in ("0", "1"):
        monkeypatch.setenv("CARBONSINK_NO_NUMBA", flag)
        out.append(accounting.zonal_summary(stack, zs, {1: "a", 2: "b"}, cs_))
    for key in ("count", "sum_v", "sum_a", "sum_va", "any_area", "area"):
        np.testing.assert_allclose(getattr(out[0], key), getattr(out[1], key), rtol=1e-12)


def test_whole_grid_co2_and_input_species(tmp_path):
    y = _values(n=2)
    stack = RasterStack(write_tif(tmp_path / "y.tif", y, gt=GT))
    c = accounting.zonal_summary(stack, unit="Tg C")
    co2 = accounting.zonal_summary(stack, unit="Tg CO2")
    rc, rco2 = c.layer_rows(), co2.layer_rows()
    assert len(rc) == 2 and rc[0]["zone"] == "whole area"
    assert rco2[0]["total"] == pytest.approx(rc[0]["total"] * 44 / 12, rel=1e-14)
    back = accounting.zonal_summary(stack, unit="Tg C", input_species="CO2").layer_rows()
    assert back[0]["total"] == pytest.approx(rc[0]["total"] * 12 / 44, rel=1e-14)
    assert rc[0]["mean"] == rco2[0]["mean"]          # densities keep the input unit


def test_landcover_on_another_grid_is_warped_by_majority(tmp_path):
    y = _values(n=1)
    stack = RasterStack(write_tif(tmp_path / "y.tif", y, gt=GT))
    fine = np.repeat(np.repeat(np.where(np.arange(10)[None, :] < 5, 1, 2)
                               * np.ones((12, 1)), 4, 0), 4, 1)
    fine[::4, ::4] = 3                               # minority class in each coarse cell
    lc = RasterStack(write_tif(tmp_path / "lc.tif", fine, gt=(110.0, 0.125, 0, 30.0, 0, -0.125),
                               nodata=255, dtype=1), name="lc")
    res = accounting.zonal_summary(stack, landcover=lc)
    assert res.classes == [1, 2]
    assert any("majority" in w for w in res.warnings)


def test_wu2023_table1_structure(example, tmp_path):
    """CSCC, the current NPP and the potential as three variables: total
    potential = total CSCC - total current NPP in every zone."""
    from carbonsink.core.rasters import carrying_capacity_rasters
    npp = RasterStack(example["npp_stack"])
    outs = {k: str(tmp_path / f"{k}.tif") for k in ("cscc", "potential")}
    carrying_capacity_rasters(npp, outs, years=range(2000, 2012), min_valid=12)
    ds_last = str(tmp_path / "npp_2011.tif")
    from osgeo import gdal
    gdal.Translate(ds_last, example["npp_stack"], bandList=[12])
    stack = RasterStack([outs["cscc"], ds_last, outs["potential"]], name="wu")
    zs, names = zones_from_vector(example["regions"], stack.grid, str(tmp_path / "z.tif"),
                                  name_field="name")
    loose = accounting.zonal_summary(stack, zs, names, unit="Tg C").summary_rows(False)
    res = accounting.zonal_summary(stack, zs, names, unit="Tg C", common_mask=True)
    f_cscc, f_npp, f_pot = res.layer_fields()
    assert (f_cscc, f_npp, f_pot) == ("total_cscc", "total_npp_2011", "total_potential")
    rows = res.summary_rows(across_layers=False)
    assert [r["zone"] for r in rows] == [names[k] for k in sorted(names)] + ["All zones"]
    for r in rows:
        assert r[f_pot] == pytest.approx(r[f_cscc] - r[f_npp], rel=1e-6)
        assert "total_sd" not in r
    # without the common mask the gaps of single years break the identity
    assert any(abs(r[f_pot] - (r[f_cscc] - r[f_npp])) > 1e-3 * abs(r[f_pot]) for r in loose)
    assert sum(r[f_cscc] for r in rows[:-1]) == pytest.approx(rows[-1][f_cscc], rel=1e-12)


def test_class_names_csv_and_bad_class_raster(tmp_path):
    p = tmp_path / "names.csv"
    p.write_text("code;name\n# comment\n1;Cropland\n2;Forest\n")
    assert accounting.read_class_names(str(p)) == {1: "Cropland", 2: "Forest"}
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    igbp = accounting.read_class_names(os.path.join(here, "algorithms", "templates",
                                                    "landcover_igbp.csv"))
    assert igbp[12] == "Croplands" and len(igbp) == 17
    bad = RasterStack(write_tif(tmp_path / "b.tif", np.full((4, 4), 1.5)), name="lc")
    with pytest.raises(StackError, match="non-integer"):
        accounting.class_codes(bad)


# ------------------------------------------------------- transition matrix

def test_transition_matrix_rows_sum_to_first_map_class_areas(tmp_path):
    rng = np.random.default_rng(3)
    a = rng.choice([1, 2, 3, 7], size=(12, 10)).astype(float)
    b = a.copy()
    flip = rng.random(a.shape) < 0.3
    b[flip] = rng.choice([1, 2, 3, 9], size=flip.sum())
    a[0, 0] = np.nan                    # nodata in the first map only
    b[1, 1] = np.nan                    # nodata in the second map only
    a[2, 2] = b[2, 2] = np.nan          # both
    var = rng.normal(100, 30, a.shape)
    first = RasterStack(write_tif(tmp_path / "a.tif", a, gt=GT, nodata=255, dtype=1), name="a")
    second = RasterStack(write_tif(tmp_path / "b.tif", b, gt=GT, nodata=255, dtype=1), name="b")
    v = RasterStack(write_tif(tmp_path / "v.tif", var, gt=GT), name="v")
    res = accounting.transition_matrix(first, second, v, class_names={1: "Crop"})
    assert res.classes == [1, 2, 3, 7, 9]
    rows_m2 = area.ellipsoid_zone_area(30 - 0.5 * np.arange(12), 30 - 0.5 * np.arange(1, 13), 0.5)
    px = np.broadcast_to(rows_m2[:, None], a.shape)
    m = res.matrix()
    cls = {r["class"]: r for r in res.class_rows()}
    for i, code in enumerate(res.classes):
        class_area = px[a == code].sum() / 1e6                 # first map, all its pixels
        assert m[i].sum() + cls[code]["second_nodata_km2"] == pytest.approx(class_area,
                                                                           rel=1e-12)
        assert m[:, i].sum() + cls[code]["first_nodata_km2"] == pytest.approx(
            px[b == code].sum() / 1e6, rel=1e-12)
        for j, to in enumerate(res.classes):
            sel = (a == code) & (b == to)
            assert m[i, j] == pytest.approx(px[sel].sum() / 1e6, rel=1e-12, abs=1e-9)
    pct = res.matrix(unit="%")
    assert pct.sum() == pytest.approx(100.0)
    both = np.isfinite(a) & np.isfinite(b)
    ch, share = res.changed_share()
    assert ch == pytest.approx(px[both & (a != b)].sum() / 1e6, rel=1e-12)
    assert share == pytest.approx(100 * px[both & (a != b)].sum() / px[both].sum(), rel=1e-12)
    pairs = res.pair_rows()
    p = [r for r in pairs if r["from_class"] == 1 and r["to_class"] == 2][0]
    sel = (a == 1) & (b == 2)
    vf = var.astype(np.float32).astype(float)
    assert p["from_name"] == "Crop" and p["to_name"] == "class 2" and p["changed"] == 1
    assert p["var_mean"] == pytest.approx(vf[sel].mean(), rel=1e-12)
    assert p["var_aw_mean"] == pytest.approx(np.sum(vf[sel] * px[sel]) / px[sel].sum(),
                                             rel=1e-12)
    assert p["pct_of_from"] == pytest.approx(100 * px[sel].sum() / px[(a == 1) & both].sum())
    wide = res.matrix_rows()
    km2 = [r for r in wide if r["unit"] == "km2" and r["from_class"] == 3][0]
    assert km2["to_3"] == pytest.approx(m[2, 2]) and km2["total"] == pytest.approx(m[2].sum())


def test_transition_matrix_zones_and_change_raster(tmp_path):
    a = np.where(np.arange(10)[None, :] < 5, 1, 2) * np.ones((12, 1))
    b = a.copy()
    b[:6] = 3
    first = RasterStack(write_tif(tmp_path / "a.tif", a, gt=GT, nodata=255, dtype=1), name="a")
    second = RasterStack(write_tif(tmp_path / "b.tif", b, gt=GT, nodata=255, dtype=1), name="b")
    z, _, zs, _ = _zones_and_classes(tmp_path)
    res = accounting.transition_matrix(first, second, zones=zs, zone_names={1: "W", 2: "E"})
    assert res.zones() == [1, 2, 0]
    np.testing.assert_allclose(res.matrix(0), res.matrix(1) + res.matrix(2))
    assert res.matrix(1)[1].sum() == 0               # no class 2 in the western zone
    out = accounting.change_raster(first, second, str(tmp_path / "ch.tif"))
    ch, _ = read_tif(out)
    np.testing.assert_array_equal(ch, (a != b).astype(float))


# ------------------------------------------------------------ carbon budget

def _budget_inputs(tmp_path, n=2):
    rng = np.random.default_rng(11)
    nep = rng.normal(150, 80, (n, 12, 10))
    nep[0, 3, 3] = np.nan
    q = rng.uniform(100, 900, (12, 10))
    lith = rng.choice([1, 2, 3], size=(12, 10)).astype(float)
    lith[4, 4] = np.nan
    ce = rng.gamma(2, 40, (12, 10))
    ce[5, 5] = np.nan
    coef = tmp_path / "coef.csv"
    coef.write_text("code,lithology,a,a_unit,source\n# comment\n1,Carbonate,0.05,gC_m2_per_mm,x\n"
                    "2,Shale,0.01,tC_km2_per_mm,y\n3,Granite,2.0,kmol_km2_per_L_s_km2,z\n"
                    "14,Water,,gC_m2_per_mm,\n")
    return (nep, q, lith, ce, str(coef),
            RasterStack(write_tif(tmp_path / "nep.tif", nep, gt=GT), name="NEP"),
            RasterStack(write_tif(tmp_path / "q.tif", q, gt=GT), name="Q"),
            RasterStack(write_tif(tmp_path / "l.tif", lith, gt=GT, nodata=255, dtype=1),
                        name="lith"),
            RasterStack(write_tif(tmp_path / "ce.tif", ce, gt=GT), name="CE"))


def test_coefficient_units():
    assert accounting.MM_YR_TO_L_S_KM2 == pytest.approx(0.0316881, rel=1e-5)
    # 1 (10^3 mol CO2 km-2 yr-1 per L s-1 km-2) with 1000 mm yr-1 of runoff:
    # 31.688 L s-1 km-2 -> 31.688e3 mol C km-2 yr-1 -> 0.3806 g C m-2 yr-1
    f = accounting.COEFFICIENT_UNITS["kmol_km2_per_l_s_km2"]
    assert 1000 * f == pytest.approx(31.6881 * 1e3 * 12.011 / 1e6, rel=1e-5)


def test_budget_arithmetic_rasters_and_zone_totals(tmp_path):
    nep, q, lith, ce, coef, s_nep, s_q, s_l, s_ce = _budget_inputs(tmp_path)
    z, _, zs, _ = _zones_and_classes(tmp_path)
    outs = {k: str(tmp_path / f"{k}.tif") for k in ("rcs", "ecs", "cnc", "class")}
    res = accounting.carbon_budget(s_nep, s_q, s_l, coef, outs, emissions=s_ce, zones=zs,
                                   zone_names={1: "W", 2: "E"}, unit="Tg C", years=[2001, 2002])
    f = accounting.COEFFICIENT_UNITS["kmol_km2_per_l_s_km2"]
    a_map = {1: 0.05, 2: 0.01, 3: 2.0 * f}
    nf, qf, cf = (v.astype(np.float32).astype(float) for v in (nep, q, ce))
    a = np.vectorize(lambda c: a_map.get(c, np.nan))(lith)
    rcs = a * qf
    got_rcs, _ = read_tif(outs["rcs"])
    np.testing.assert_allclose(got_rcs[0], rcs.astype(np.float32), rtol=1e-6, equal_nan=True)
    got_ecs, _ = read_tif(outs["ecs"])
    np.testing.assert_allclose(got_ecs, (nf + rcs).astype(np.float32), rtol=1e-6, atol=1e-4,
                               equal_nan=True)
    got_cnc, _ = read_tif(outs["cnc"])
    expect_cnc = nf + rcs - cf
    np.testing.assert_allclose(got_cnc, expect_cnc.astype(np.float32), rtol=1e-6, atol=1e-4,
                               equal_nan=True)
    cls, _ = read_tif(outs["class"])
    cnt = np.isfinite(expect_cnc).sum(axis=0)
    mean = np.where(cnt > 0, np.nansum(expect_cnc, axis=0) / np.maximum(cnt, 1), np.nan)
    np.testing.assert_array_equal(cls[np.isfinite(mean)], np.sign(mean[np.isfinite(mean)]))
    px = np.broadcast_to(area.ellipsoid_zone_area(30 - 0.5 * np.arange(12),
                                                  30 - 0.5 * np.arange(1, 13), 0.5)[:, None],
                         (12, 10))
    for r in res.rows():
        assert r["ecs_total"] == pytest.approx(r["nep_total"] + r["rcs_total"], rel=1e-12)
        assert r["cnc_total"] == pytest.approx(r["ecs_total"] - r["ce_total"], rel=1e-12,
                                               abs=1e-15)
    t = 1                                        # second year, zone E
    m = (z == 2) & np.isfinite(nf[t]) & np.isfinite(rcs) & np.isfinite(cf)
    row = [r for r in res.rows() if r["zone"] == "E" and r["layer"] == "2002"][0]
    assert row["nep_total"] == pytest.approx(np.sum(nf[t][m] * px[m]) * 1e-12, rel=1e-12)
    assert row["rcs_total"] == pytest.approx(np.sum(rcs[m] * px[m]) * 1e-12, rel=1e-12)
    assert row["ce_total"] == pytest.approx(np.sum(cf[m] * px[m]) * 1e-12, rel=1e-12)
    assert row["budget_area_km2"] == pytest.approx(px[m].sum() / 1e6, rel=1e-12)
    allz = [r for r in res.rows() if r["zone"] == "All zones" and r["layer"] == "2002"][0]
    w = [r for r in res.rows() if r["zone"] == "W" and r["layer"] == "2002"][0]
    assert allz["cnc_total"] == pytest.approx(w["cnc_total"] + row["cnc_total"], rel=1e-12)
    lrow = {r["lithology"]: r for r in res.lithology}
    assert lrow[3]["a"] == pytest.approx(2.0 * f)


def test_budget_per_zone_emissions_units_and_co2(tmp_path):
    nep, q, lith, ce, coef, s_nep, s_q, s_l, _ = _budget_inputs(tmp_path, n=1)
    z, _, zs, _ = _zones_and_classes(tmp_path)
    res = accounting.carbon_budget(s_nep, s_q, s_l, coef, zones=zs, zone_names={1: "W", 2: "E"},
                                   zone_emissions={1: 2.0, 2: None}, zone_emission_unit="Tg CO2",
                                   unit="Gg C")
    rows = {r["zone"]: r for r in res.rows()}
    assert rows["W"]["ce_total"] == pytest.approx(2.0 * 1e3 * 12 / 44)   # Tg CO2 -> Gg C
    assert np.isnan(rows["E"]["cnc_total"])
    assert any("no emission value" in w for w in res.warnings)
    co2 = accounting.carbon_budget(s_nep, s_q, s_l, coef, unit="Tg CO2",
                                   outputs={"ecs": str(tmp_path / "e.tif")})
    c = accounting.carbon_budget(s_nep, s_q, s_l, coef, unit="Tg C")
    assert co2.rows()[0]["ecs_total"] == pytest.approx(c.rows()[0]["ecs_total"] * 44 / 12)
    e, _ = read_tif(str(tmp_path / "e.tif"))
    assert np.nanmax(e) > np.nanmax(nep)          # CO2 densities are 44/12 larger


def test_budget_refuses_missing_coefficients(tmp_path):
    nep, q, lith, ce, coef, s_nep, s_q, s_l, _ = _budget_inputs(tmp_path, n=1)
    bad = tmp_path / "bad.csv"
    bad.write_text("code,lithology,a,a_unit,source\n1,Carbonate,0.05,gC_m2_per_mm,x\n2,Shale,,,\n")
    with pytest.raises(StackError, match=r"class\(es\) 2, 3"):
        accounting.carbon_budget(s_nep, s_q, s_l, str(bad))
    res = accounting.carbon_budget(s_nep, s_q, s_l, str(bad), missing_as_zero=True)
    assert any("counts as 0" in w for w in res.warnings)
    with pytest.raises(StackError, match="a_unit"):
        (tmp_path / "u.csv").write_text("code,a,a_unit\n1,0.1,kg_per_m2\n")
        accounting.read_coefficients(str(tmp_path / "u.csv"))
    with pytest.raises(StackError, match="no column"):
        (tmp_path / "c.csv").write_text("class,value\n1,0.1\n")
        accounting.read_coefficients(str(tmp_path / "c.csv"))
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    template = accounting.read_coefficients(os.path.join(
        here, "algorithms", "templates", "rock_weathering_coefficients.csv"))
    assert len(template) == 16 and all(np.isnan(c.a) for c in template.values())


# ------------------------------------------------------------ sink scenario

def test_rate_units():
    assert accounting.rate_factor("t C ha-1 yr-1") == pytest.approx(100.0)
    assert accounting.rate_factor("Mg C ha-1 yr-1") == pytest.approx(100.0)
    assert accounting.rate_factor("g C m-2 yr-1") == 1.0
    assert accounting.rate_factor("t CO2 ha-1 yr-1") == pytest.approx(100 * 12 / 44)
    assert accounting.rate_factor("kg C km-2 yr-1") == pytest.approx(1e-3)
    with pytest.raises(ValueError):
        accounting.rate_factor("tons per acre")


def test_sink_scenario_areas_rates_and_raster(tmp_path):
    z, c, zs, cs_ = _zones_and_classes(tmp_path)
    table = tmp_path / "m.csv"
    table.write_text("measure,class,share_pct,area_km2,rate,rate_unit,source\n"
                     "Forest care,10,20,,0.5,t C ha-1 yr-1,paper A\n"
                     "Crop straw,20,,1000,30,g C m-2 yr-1,paper B\n"
                     "Crop tillage,20,10,,0.2,t CO2 ha-1 yr-1,paper C\n")
    out = str(tmp_path / "dens.tif")
    res = accounting.sink_scenario(cs_, str(table), zs, {1: "W", 2: "E"},
                                   {10: "Forest", 20: "Crop"}, "Gg C", out)
    px = np.broadcast_to(area.ellipsoid_zone_area(30 - 0.5 * np.arange(12),
                                                  30 - 0.5 * np.arange(1, 13), 0.5)[:, None],
                         z.shape)
    rows = res.rows()
    crop_all = px[(z > 0) & (c == 20)].sum()
    f_straw = 1000e6 / crop_all
    for zid, zn in ((1, "W"), (2, "E")):
        r = {x["measure"]: x for x in rows if x["zone"] == zn}
        forest = px[(z == zid) & (c == 10)].sum()
        crop = px[(z == zid) & (c == 20)].sum()
        assert r["Forest care"]["class_area_km2"] == pytest.approx(forest / 1e6, rel=1e-12)
        assert r["Forest care"]["added_sink"] == pytest.approx(0.2 * forest * 50 * 1e-9,
                                                               rel=1e-12)
        assert r["Crop straw"]["treated_area_km2"] == pytest.approx(crop * f_straw / 1e6,
                                                                    rel=1e-12)
        assert r["Crop tillage"]["added_sink"] == pytest.approx(
            0.1 * crop * 20 * 12 / 44 * 1e-9, rel=1e-12)
        assert r["All measures"]["added_sink"] == pytest.approx(
            sum(x["added_sink"] for k, x in r.items() if k != "All measures"), rel=1e-12)
    allz = {x["measure"]: x for x in rows if x["zone"] == "All zones"}
    assert allz["Crop straw"]["treated_area_km2"] == pytest.approx(1000.0)
    d, _ = read_tif(out)
    expect = np.where(c == 10, 0.2 * 50, np.where(c == 20, f_straw * 30 + 0.1 * 20 * 12 / 44,
                                                   0.0))          # untreated class 30: 0
    expect[np.isnan(c)] = np.nan
    np.testing.assert_allclose(d, expect.astype(np.float32), rtol=1e-6, equal_nan=True)


def test_sink_scenario_refuses_empty_rates_and_overtreatment(tmp_path):
    _, _, zs, cs_ = _zones_and_classes(tmp_path)
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with pytest.raises(StackError, match="class code"):
        accounting.read_measures(os.path.join(here, "algorithms", "templates",
                                              "sink_measures.csv"))
    t = tmp_path / "m.csv"
    t.write_text("measure,class,share_pct,area_km2,rate,rate_unit,source\nA,10,20,,,,\n")
    with pytest.raises(StackError, match="does not invent rates"):
        accounting.read_measures(str(t))
    t.write_text("measure,class,share_pct,area_km2,rate,rate_unit,source\n"
                 "A,10,70,,1,t C ha-1 yr-1,x\nB,10,40,,1,t C ha-1 yr-1,y\n")
    with pytest.raises(StackError, match="more than 100"):
        accounting.sink_scenario(cs_, str(t))
    t.write_text("measure,class,share_pct,area_km2,rate,rate_unit,source\n"
                 "A,10,,1e9,1,t C ha-1 yr-1,x\n")
    with pytest.raises(StackError, match="more than the"):
        accounting.sink_scenario(cs_, str(t))
    t.write_text("measure,class,share_pct,area_km2,rate,rate_unit,source\n"
                 "A,10,10,5,1,t C ha-1 yr-1,x\n")
    with pytest.raises(StackError, match="either share_pct or area_km2"):
        accounting.read_measures(str(t))


# ------------------------------------------------------------- cancelling

def test_cancel_stops_without_outputs(tmp_path):
    from carbonsink.core.progress import Canceled, Progress
    y = _values(rows=600, cols=600, n=2)
    gt = (110.0, 0.01, 0.0, 30.0, 0.0, -0.01)
    stack = RasterStack(write_tif(tmp_path / "y.tif", y, gt=gt))
    calls = []

    def canceled():
        calls.append(1)
        return len(calls) > 2                         # after a couple of windows

    with pytest.raises(Canceled):
        accounting.zonal_summary(stack, progress=Progress(is_canceled=canceled), memory_mb=0.1)
    out = tmp_path / "out"
    out.mkdir()
    lith = RasterStack(write_tif(tmp_path / "l.tif", np.ones((600, 600)), gt=gt, nodata=255,
                                 dtype=1), name="lith")
    coef = tmp_path / "c.csv"
    coef.write_text("code,a\n1,0.05\n")
    calls.clear()
    with pytest.raises(Canceled):
        accounting.carbon_budget(stack, stack, lith, str(coef), {"ecs": str(out / "ecs.tif")},
                                 progress=Progress(is_canceled=canceled), memory_mb=0.1)
    assert os.listdir(out) == []                      # no partial file left
