"""Input preparation (methods.md 14): composites to annual values,
reclassification by a table, classes by breaks."""
import calendar

import numpy as np
import pytest
from helpers import read_tif, write_tif
from osgeo import gdal

from carbonsink.core import prepare
from carbonsink.core.io import RasterStack


def test_composite_days():
    d = prepare.composite_days(46, 2000)                  # MODIS 8-day, leap year
    assert d.sum() == 366 and d[-1] == 6 and (d[:-1] == 8).all()
    assert prepare.composite_days(46, 2001)[-1] == 5
    assert prepare.composite_days(23, 2003).tolist() == [16.0] * 22 + [13.0]
    months = prepare.composite_days(12, 2004)
    assert months.tolist() == [calendar.monthrange(2004, m)[1] for m in range(1, 13)]
    assert months[1] == 29 and prepare.composite_days(12, 2001)[1] == 28


def test_monthly_means_to_annual_totals(tmp_path):
    """Monthly means of a daily rate (g C m-2 day-1) over 2000-2003 to annual
    totals: sum of mean x month length (leap years), against a loop here; the
    year window; a missing month makes that year nodata."""
    rng = np.random.default_rng(5)
    y = rng.uniform(0.5, 3.0, (48, 4, 5))
    y[13, 1, 1] = np.nan                                   # February 2001 missing
    path = write_tif(tmp_path / "m.tif", y)
    ds = gdal.Open(str(path), gdal.GA_Update)
    for b in range(1, 49):
        ds.GetRasterBand(b).SetUnitType("g C m-2 day-1")
    ds = None
    out, years = prepare.temporal_aggregate_rasters(RasterStack(str(path)), 12, 2000,
                                                    str(tmp_path / "a.tif"), "days")
    assert years.tolist() == [2000, 2001, 2002, 2003]
    got, ds = read_tif(out)
    for i, yr in enumerate(range(2000, 2004)):
        days = [calendar.monthrange(yr, m)[1] for m in range(1, 13)]
        ref = sum(y[12 * i + m] * days[m] for m in range(12))
        np.testing.assert_allclose(got[i], ref.astype(np.float32), rtol=1e-6)
    assert np.isnan(got[1, 1, 1]) and np.isfinite(got[0, 1, 1])
    assert ds.GetRasterBand(1).GetUnitType() == "g C m-2 yr-1"
    assert ds.GetRasterBand(3).GetDescription() == "2002"
    ds = None
    out, years = prepare.temporal_aggregate_rasters(
        RasterStack(str(path)), 12, 2000, str(tmp_path / "w.tif"), "mean", window=(2002, 2003))
    w, _ = read_tif(out)
    assert years.tolist() == [2002, 2003]
    np.testing.assert_allclose(w[0], y[24:36].mean(axis=0).astype(np.float32), rtol=1e-6)
    with pytest.raises(ValueError, match="not a whole number of years"):
        prepare.temporal_aggregate_rasters(RasterStack(str(path)), 46, 2000,
                                           str(tmp_path / "x.tif"))
    assert not (tmp_path / "x.tif").exists()


def test_igbp_to_seven_classes(tmp_path):
    """The shipped IGBP table: every IGBP code 1..17 to its class; 0 and 255
    (MCD12Q1 fill / unclassified) become nodata and are counted."""
    mapping, names = prepare.read_reclass_table(prepare.shipped_table("igbp_7"))
    assert sorted(mapping) == list(range(1, 18)) and sorted(set(mapping.values())) == \
        list(range(1, 8))
    ref = {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 2, 7: 2, 8: 3, 9: 3, 10: 3, 11: 4, 12: 5, 13: 6,
           14: 5, 15: 7, 16: 7, 17: 7}
    assert mapping == ref and names[5] == "Cropland"
    codes = np.array([[1, 5, 6, 8, 10], [11, 12, 13, 14, 17], [0, 255, 3, 16, 9]], float)
    path = write_tif(tmp_path / "lc.tif", codes[None], dtype=gdal.GDT_Byte, nodata=None)
    out, table, unlisted = prepare.reclassify_rasters(RasterStack(str(path)), mapping, names,
                                                     str(tmp_path / "r.tif"))
    got, ds = read_tif(out)
    expect = np.vectorize(lambda c: ref.get(int(c), np.nan), otypes=[float])(codes)
    np.testing.assert_array_equal(got, expect)
    assert unlisted == 2 and ds.GetRasterBand(1).GetNoDataValue() == -128
    assert [c for c, _, _ in table] == list(range(1, 8))
    cn, _ = prepare.read_reclass_table(prepare.shipped_table("cnlucc_level1"))
    assert cn[11] == cn[12] == 1 and cn[24] == 2 and cn[46] == 4 and cn[67] == 6
    with pytest.raises(ValueError, match="listed twice"):
        prepare.read_reclass_table("from,to\n1,2\n1,3\n")
    with pytest.raises(ValueError, match="called both"):
        prepare.read_reclass_table("from,to,name\n1,2,a\n3,2,b\n")


def test_breaks_equal_numpy_digitize(tmp_path):
    """Classes by breaks: numpy.digitize + 1 (a value on a break goes up), NaN
    nodata; labels and names (Zhang et al. 2025 NEP levels)."""
    rng = np.random.default_rng(2)
    v = rng.normal(150, 250, (2, 6, 7))
    v[0, 0, :4] = [0.0, 200.0, 400.0, -1e-9]
    v[1, 2, 3] = np.nan
    breaks = prepare.parse_breaks("0, 200, 400")
    path = write_tif(tmp_path / "nep.tif", v)
    out, table = prepare.break_classes_rasters(
        RasterStack(str(path)), breaks, str(tmp_path / "c.tif"),
        names=["source", "weak sink", "sink", "strong sink"])
    got, _ = read_tif(out)
    v32 = v.astype(np.float32).astype(np.float64)
    ref = np.where(np.isnan(v32), np.nan, np.digitize(v32, breaks) + 1)
    np.testing.assert_array_equal(got, ref)
    assert got[0, 0, :4].tolist() == [2, 3, 4, 1]
    assert [lab for _, _, lab in table] == ["source (< 0)", "weak sink (0 - 200)",
                                            "sink (200 - 400)", "strong sink (>= 400)"]
    with pytest.raises(ValueError, match="increasing"):
        prepare.parse_breaks("200, 0")
    with pytest.raises(ValueError, match="give 4 names"):
        prepare.break_labels(breaks, names=["a", "b"])


@pytest.mark.qgis
def test_preparation_algorithms(provider, tmp_path):
    """The three toolbox algorithms run and style their outputs."""
    import processing
    from test_algorithms import Feedback
    y = np.random.default_rng(1).uniform(0, 2, (24, 5, 6))
    path = write_tif(tmp_path / "m.tif", y)
    out = processing.run("carbonsink:temporalaggregate", {
        "INPUT": [str(path)], "PER_YEAR": 12, "FIRST_YEAR": 2010, "HOW": 1,
        "WINDOW_FIRST": 2011, "OUTPUT": str(tmp_path / "a.tif")}, feedback=Feedback())
    a, _ = read_tif(out["OUTPUT"])
    np.testing.assert_allclose(a, y[12:].mean(axis=0).astype(np.float32), rtol=1e-6)
    lc = write_tif(tmp_path / "lc.tif", np.array([[[1, 12, 13], [16, 0, 8]]], float),
                   dtype=gdal.GDT_Byte, nodata=None)
    out = processing.run("carbonsink:reclassify", {
        "INPUT": [str(lc)], "SCHEME": 1, "OUTPUT": str(tmp_path / "r.tif")},
        feedback=Feedback())
    r, _ = read_tif(out["OUTPUT"])
    np.testing.assert_array_equal(r, [[1, 5, 6], [7, np.nan, 3]])
    assert "Cropland" in (tmp_path / "r.qml").read_text(encoding="utf-8")
    out = processing.run("carbonsink:breakclasses", {
        "INPUT": [str(path)], "BREAKS": "0.5, 1.5", "OUTPUT": str(tmp_path / "b.tif")},
        feedback=Feedback())
    b, _ = read_tif(out["OUTPUT"])
    np.testing.assert_array_equal(b, np.digitize(y.astype(np.float32), [0.5, 1.5]) + 1)
    assert "&gt;= 1.5" in (tmp_path / "b.qml").read_text(encoding="utf-8")


def test_commands(tmp_path):
    """python -m carbonsink temporalaggregate / reclassify / breakclasses: the
    toolbox's numbers, styles written without QGIS, clear errors."""
    import subprocess
    import sys

    def cli(*argv):
        return subprocess.run([sys.executable, "-m", "carbonsink", *map(str, argv)],
                              capture_output=True, text=True, timeout=300)
    y = np.random.default_rng(4).uniform(0, 2, (46 * 2, 3, 4))
    path = write_tif(tmp_path / "c.tif", y)
    p = cli("temporalaggregate", "--input", path, "--per-year", 46, "--first-year", 2000,
            "--how", "days", "--window", "2001-2001", "--out", tmp_path / "a.tif", "-q")
    assert p.returncode == 0, p.stderr
    a, _ = read_tif(tmp_path / "a.tif")
    d = prepare.composite_days(46, 2001)
    np.testing.assert_allclose(a, (y[46:] * d[:, None, None]).sum(axis=0).astype(np.float32),
                               rtol=1e-6)
    lc = write_tif(tmp_path / "lc.tif", np.array([[[21, 11, 53]]], float), dtype=gdal.GDT_Byte,
                   nodata=None)
    p = cli("reclassify", "--input", lc, "--shipped", "cnlucc_level1", "--out",
            tmp_path / "r.tif", "-q")
    assert p.returncode == 0, p.stderr
    r, _ = read_tif(tmp_path / "r.tif")
    assert r.tolist() == [[2.0, 1.0, 5.0]]
    assert "Built-up land" in (tmp_path / "r.qml").read_text(encoding="utf-8")
    p = cli("breakclasses", "--input", path, "--breaks", "1", "--out", tmp_path / "b.tif", "-q")
    assert p.returncode == 0, p.stderr
    b, _ = read_tif(tmp_path / "b.tif")
    np.testing.assert_array_equal(b, (y.astype(np.float32) >= 1) + 1)
    bad = cli("reclassify", "--input", lc, "--scheme", "table", "--out", tmp_path / "x.tif")
    assert bad.returncode == 1 and "give a reclassification table" in bad.stderr
    bad = cli("breakclasses", "--input", path, "--breaks", "2,1", "--out", tmp_path / "y.tif")
    assert bad.returncode == 1 and "increasing" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "x.tif").exists() and not (tmp_path / "y.tif").exists()
