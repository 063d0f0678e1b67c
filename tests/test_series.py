"""Statistics of zone and table series (methods.md 13, issue 15 item 1):
the numbers of the per-pixel functions on the same series, growth rates by
hand, wide and long tables alike, the command line end to end."""
import csv
import os
import subprocess
import sys

import numpy as np
import pytest
from helpers import nile

import carbonsink.core as cs
from carbonsink.core import series as S

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
YEARS = np.arange(2000.0, 2024.0)


def zones():
    rng = np.random.default_rng(12)
    t = np.arange(24)
    out = {"North": 400 + 3.2 * t + rng.normal(0, 8, 24),
           "South-East": 650 - 1.5 * t + rng.normal(0, 12, 24),
           "西北": 120 + 0.4 * t + rng.normal(0, 5, 24)}
    out["South-East"][[5, 11]] = np.nan                       # gaps
    return out


def test_every_statistic_equals_the_per_pixel_functions():
    series = zones()
    rows = {r["zone"]: r for r in S.table_statistics(series, YEARS, min_valid=20)}
    stack = np.stack(list(series.values()), axis=1)[:, :, None]   # (24, 3, 1): one pixel each
    lt = cs.linear_trend(stack, YEARS, min_valid=20)
    for k, name in enumerate(series):
        r = rows[name]
        assert r["ls_slope"] == lt.slope[k, 0] and r["ls_p"] == lt.pvalue[k, 0]
        for m in S.METHODS:
            mk = cs.mann_kendall(stack, YEARS, method=m, min_valid=20)
            assert r[f"mk_{m}_z"] == mk.z[k, 0] and r[f"mk_{m}_p"] == mk.pvalue[k, 0]
        assert r["sen_slope"] == cs.mann_kendall(stack, YEARS, min_valid=20).slope[k, 0]
        assert r["cv"] == cs.coefficient_of_variation(stack, min_valid=20)[k, 0]
        for m in S.HURST_METHODS:
            assert r[f"hurst_{m}"] == cs.hurst(stack, method=m, min_valid=20)[k, 0]
    assert rows["North"]["n"] == 24 and rows["South-East"]["n"] == 22
    assert rows["North"]["ls_slope"] == pytest.approx(3.2, abs=0.5)


def test_pettitt_and_growth_rates_by_hand():
    years, flow = nile()
    r = S.series_statistics(flow, years, zone="Nile")
    assert r["pettitt_year"] == 1898 and r["pettitt_k"] == 1617     # pyhomogeneity on the Nile
    mean, cagr = S.growth_rates([100.0, 110.0, 121.0], [2000, 2001, 2002])
    assert mean == pytest.approx(0.10) and cagr == pytest.approx(0.10)
    assert S.growth_rates([100.0, np.nan, 121.0], [2000, 2001, 2002])[1] == pytest.approx(0.10)
    assert np.isnan(S.growth_rates([-5.0, 3.0, 4.0], [2000, 2001, 2002])[1])   # sign change
    assert np.isnan(S.growth_rates([0.0, 3.0, 4.0], [2000, 2001, 2002])[0])    # ratio over 0


def test_wide_and_long_tables_read_alike(tmp_path):
    series = zones()
    wide = "zone," + ",".join(f"NPP{int(y)}" for y in YEARS) + "\n" + "\n".join(
        name + "," + ",".join("" if np.isnan(v) else repr(float(v)) for v in vals)
        for name, vals in series.items())
    long = "province,year,value\n" + "\n".join(
        f"{name},{int(y)},{'' if np.isnan(v) else repr(float(v))}"
        for name, vals in series.items() for y, v in zip(YEARS, vals))
    a, ya = S.read_series_table(wide)
    b, yb = S.read_series_table(long, zone_field="province")
    np.testing.assert_array_equal(ya, YEARS)
    np.testing.assert_array_equal(yb, YEARS)
    for name in series:
        np.testing.assert_array_equal(a[name], series[name])
        np.testing.assert_array_equal(b[name], series[name])
    with pytest.raises(ValueError, match="needs the fields zone, year and value"):
        S.read_series_table("name,year,val\nx,2000,1\n", layout="long")
    with pytest.raises(ValueError, match="at least 4 year fields"):
        S.read_series_table("zone,a,b\nx,1,2\n")


def test_command_line_writes_the_table(tmp_path):
    series = zones()
    table = tmp_path / "provinces_gbk.csv"
    text = "name," + ",".join(str(int(y)) for y in YEARS) + "\n" + "\n".join(
        name + "," + ",".join("" if np.isnan(v) else f"{v:.3f}" for v in vals)
        for name, vals in series.items())
    table.write_bytes(text.encode("gbk"))                   # Excel on Chinese Windows
    out = tmp_path / "stats.csv"
    report = tmp_path / "report.html"
    proc = subprocess.run([sys.executable, "-m", "carbonsink", "seriesstatistics",
                           "--table", str(table), "--out", str(out), "--min-valid", "20",
                           "--report", str(report), "--unit", "g C m-2 yr-1"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    with open(out, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["zone"] for r in rows] == list(series)
    assert rows[0]["ls_slope"] and float(rows[0]["ls_slope"]) == pytest.approx(3.2, abs=0.5)
    assert [c for c, _ in S.COLUMNS] == list(rows[0].keys())
    html_text = report.read_text(encoding="utf-8")
    assert html_text.count("<svg") == len(series) and "g C m-2 yr-1" in html_text
    proc = subprocess.run([sys.executable, "-m", "carbonsink", "seriesstatistics",
                           "--table", str(table)], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, stdin=subprocess.DEVNULL)
    assert proc.returncode == 1 and "no output was asked for" in proc.stderr


@pytest.mark.qgis
@pytest.mark.parametrize("layout", ["wide", "long"])
def test_toolbox_algorithm_equals_core(provider, layout):
    """carbonsink:seriesstatistics on a memory table gives core's rows."""
    import math

    import processing
    from qgis.core import QgsFeature, QgsVectorLayer
    from test_algorithms import Feedback
    series = zones()
    if layout == "wide":
        lyr = QgsVectorLayer("None?field=province:string&" + "&".join(
            f"field=NPP{int(y)}:double" for y in YEARS), "wide", "memory")
        feats = []
        for name, vals in series.items():
            f = QgsFeature(lyr.fields())
            f.setAttributes([name] + [None if np.isnan(v) else float(v) for v in vals])
            feats.append(f)
        params = {"LAYOUT": 0}
    else:
        lyr = QgsVectorLayer("None?field=province:string&field=yr:integer&field=npp:double",
                             "long", "memory")
        feats = []
        for name, vals in series.items():
            for y, v in zip(YEARS, vals):
                if np.isnan(v):
                    continue                       # a missing row is a missing year
                f = QgsFeature(lyr.fields())
                f.setAttributes([name, int(y), float(v)])
                feats.append(f)
        params = {"LAYOUT": 1, "YEAR_FIELD": "yr", "VALUE_FIELD": "npp"}
    lyr.dataProvider().addFeatures(feats)
    res = processing.run("carbonsink:seriesstatistics",
                         {"INPUT": lyr, "ZONE_FIELD": "province", "MIN_VALID": 20,
                          "OUTPUT": "memory:", **params}, feedback=Feedback())
    out = res["OUTPUT"]
    got = {f["zone"]: f for f in out.getFeatures()}
    ref = {r["zone"]: r for r in S.table_statistics(series, YEARS, min_valid=20)}
    assert set(got) == set(ref)
    for name, r in ref.items():
        for col, _ in S.COLUMNS:
            a, b = got[name][col], r[col]
            if isinstance(b, float) and math.isnan(b):
                assert a is None or (not isinstance(a, str) and a != a) or str(a) == "NULL"
            elif isinstance(b, str):
                assert a == b
            else:
                assert a == b, (name, col)


def test_report_lines_equal_scipy():
    """The report's trend lines: least squares = numpy.polyfit, Sen = scipy's
    theilslopes (intercept median(y) - slope median(t)), on a series with gaps."""
    from scipy import stats

    from carbonsink.core.series_report import _lines
    y = zones()["Hebei"] if "Hebei" in zones() else next(iter(zones().values()))
    ok = np.isfinite(y)
    r = S.table_statistics({"z": y}, YEARS)[0]
    ls, sen = _lines(y, YEARS, r["ls_slope"], r["sen_slope"])
    b, a = np.polyfit(YEARS[ok], y[ok], 1)
    np.testing.assert_allclose(ls, a + b * YEARS, rtol=1e-10)
    ts = stats.theilslopes(y[ok], YEARS[ok])
    np.testing.assert_allclose(sen, ts.intercept + ts.slope * YEARS, rtol=1e-10)


@pytest.mark.qgis
def test_joined_output_and_report(provider, tmp_path):
    """Polygons with one field per year: the joined output keeps each polygon
    and appends its statistics; the report has one chart per zone with the
    trend lines and the change point, numbers without scientific notation."""
    import re

    import processing
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer
    from test_algorithms import Feedback
    series = zones()
    lyr = QgsVectorLayer("Polygon?crs=EPSG:4326&field=province:string&field=mean:double&"
                         + "&".join(f"field=NPP{int(y)}:double" for y in YEARS), "w", "memory")
    feats = []
    for k, (name, vals) in enumerate(series.items()):
        f = QgsFeature(lyr.fields())
        f.setGeometry(QgsGeometry.fromWkt(f"POLYGON(({k} 0,{k + 1} 0,{k + 1} 1,{k} 1,{k} 0))"))
        f.setAttributes([name, -1.0] + [None if np.isnan(v) else float(v) for v in vals])
        feats.append(f)
    lyr.dataProvider().addFeatures(feats)
    report = tmp_path / "r.html"
    res = processing.run("carbonsink:seriesstatistics", {
        "INPUT": lyr, "ZONE_FIELD": "province", "LAYOUT": 0, "UNIT": "g C m-2 yr-1",
        "OUTPUT": "memory:", "OUTPUT_JOINED": "memory:", "OUTPUT_REPORT": str(report)},
        feedback=Feedback())
    joined = {f["province"]: f for f in res["OUTPUT_JOINED"].getFeatures()}
    ref = {r["zone"]: r for r in S.table_statistics(series, YEARS)}
    assert set(joined) == set(ref)
    for k, (name, f) in enumerate(joined.items()):
        assert f.geometry().area() == pytest.approx(1.0)
        assert f["mean"] == -1.0                          # the input's own field kept ...
        assert f["st_mean"] == pytest.approx(ref[name]["mean"])   # ... the statistic renamed
        assert f["sen_slope"] == pytest.approx(ref[name]["sen_slope"])
    text = report.read_text(encoding="utf-8")
    assert text.count("<svg") == len(series)
    for name in series:
        assert f">{name}</text>" in text
    assert "Theil-Sen" in text and "least squares" in text and "g C m-2 yr-1" in text
    assert ("Pettitt change point" in text) == any(
        np.isfinite(r["pettitt_year"]) for r in ref.values())
    assert not re.search(r"\de[+-]\d", text)


@pytest.mark.qgis
def test_zone_means_of_a_raster_stack(provider, tmp_path):
    """seriesstatistics on a raster stack: the series are the zone means (here the
    whole area: numpy.nanmean of each year's pixels) and the numbers those of
    table_statistics on them."""
    import processing
    from helpers import write_tif
    from test_algorithms import Feedback
    rng = np.random.default_rng(9)
    y = 400 + 3 * np.arange(12.0)[:, None, None] + rng.normal(0, 10, (12, 6, 8))
    y[rng.random(y.shape) < 0.1] = np.nan
    path = write_tif(tmp_path / "npp.tif", y)
    res = processing.run("carbonsink:seriesstatistics", {
        "STACK": [path], "FIRST_YEAR": 2005, "OUTPUT": "memory:", "OUTPUT_REPORT": None},
        feedback=Feedback())
    got = list(res["OUTPUT"].getFeatures())
    assert len(got) == 1
    means = np.nanmean(y.astype(np.float32).astype(np.float64).reshape(12, -1), axis=1)
    ref = S.table_statistics({"all": means}, np.arange(2005.0, 2017.0))[0]
    for col in ("ls_slope", "sen_slope", "mk_original_z", "cv", "hurst_rs", "pettitt_p"):
        assert got[0][col] == pytest.approx(ref[col], rel=1e-9), col
    from qgis.core import QgsProcessingException
    with pytest.raises(QgsProcessingException, match="table of yearly series or a raster"):
        processing.run("carbonsink:seriesstatistics", {"OUTPUT": "memory:"},
                       feedback=Feedback())


def test_command_reads_a_long_csv_and_joins_onto_a_geopackage(tmp_path, capsys):
    """The command takes the toolbox's parameters: a long CSV (--layout long,
    the zone / year / value fields by name) gives the numbers of core; a wide
    GeoPackage layer read with OGR gives the same rows, and --output-joined
    copies its polygons with the statistics appended (an input field named
    like a statistic keeps its name, the statistic gets st_)."""
    from osgeo import ogr, osr

    from carbonsink.cli import main
    series = zones()
    ref = {r["zone"]: r for r in S.table_statistics(series, YEARS, min_valid=20)}
    long_csv = tmp_path / "long.csv"
    long_csv.write_text("province,yr,npp\n" + "".join(
        f"{z},{int(y)},{v}\n" for z, vals in series.items() for y, v in zip(YEARS, vals)
        if np.isfinite(v)), encoding="utf-8")
    out = tmp_path / "long_stats.csv"
    rc = main(["seriesstatistics", "--input", str(long_csv), "--layout", "long",
               "--zone-field", "province", "--year-field", "yr", "--value-field", "npp",
               "--min-valid", "20", "--output", str(out), "-q"])
    assert rc == 0, capsys.readouterr().err
    with open(out, encoding="utf-8") as f:
        rows = {r["zone"]: r for r in csv.DictReader(f)}
    assert set(rows) == set(ref)
    for z, r in ref.items():
        for col in ("ls_slope", "sen_slope", "mk_hamed_rao_p", "cv", "hurst_rs", "cagr"):
            assert float(rows[z][col]) == pytest.approx(r[col], rel=1e-12), (z, col)

    gpkg = tmp_path / "provinces.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(gpkg))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    lyr = ds.CreateLayer("provinces", srs, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    lyr.CreateField(ogr.FieldDefn("mean", ogr.OFTReal))
    for y in YEARS:
        lyr.CreateField(ogr.FieldDefn(f"NPP{int(y)}", ogr.OFTReal))
    for k, (z, vals) in enumerate(series.items()):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("name", z)
        f.SetField("mean", -1.0)
        for y, v in zip(YEARS, vals):
            if np.isfinite(v):
                f.SetField(f"NPP{int(y)}", float(v))
        f.SetGeometry(ogr.CreateGeometryFromWkt(
            f"POLYGON(({k} 0,{k + 1} 0,{k + 1} 1,{k} 1,{k} 0))"))
        lyr.CreateFeature(f)
    ds = None
    joined = tmp_path / "joined.gpkg"
    rc = main(["seriesstatistics", "--input", str(gpkg), "--zone-field", "name",
               "--output-joined", str(joined), "-q"])
    assert rc == 0, capsys.readouterr().err
    ref_all = {r["zone"]: r for r in S.table_statistics(series, YEARS)}
    out_ds = ogr.Open(str(joined))
    got = out_ds.GetLayer(0)
    names = [got.GetLayerDefn().GetFieldDefn(i).GetName()
             for i in range(got.GetLayerDefn().GetFieldCount())]
    assert "st_mean" in names and "sen_slope" in names
    seen = set()
    for f in got:
        z = f.GetField("name")
        seen.add(z)
        assert f.GetField("mean") == -1.0
        assert f.GetField("st_mean") == pytest.approx(ref_all[z]["mean"], rel=1e-12)
        assert f.GetField("sen_slope") == pytest.approx(ref_all[z]["sen_slope"], rel=1e-12)
        assert f.GetGeometryRef().GetArea() == pytest.approx(1.0)
    assert seen == set(series)
