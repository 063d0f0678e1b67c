"""carbonsink:variation, hurst, partialcorrelation, abruptchange through processing.run."""
import os

import numpy as np
import pytest
from helpers import read_tif, write_tif
from qgis.core import QgsProcessingException, QgsRasterLayer, QgsVectorLayer
from test_algorithms import Feedback, run, stack_of

import carbonsink.core as cs
from carbonsink.core import abrupt, correlation, stability
from carbonsink.core.hurst import hurst as hurst_fn
from carbonsink.core.hurst import persistence_class
from carbonsink.core.io import RasterStack

YEARS = np.arange(2000, 2012, dtype=float)


def test_variation_cv_and_natural_breaks(provider, example, tmp_path):
    out = {k: str(tmp_path / f"{k}.tif") for k in ("cv", "cls")}
    fb = Feedback()
    run("variation", {"INPUT": [example["npp_stack"]], "MIN_VALID": 11, "DDOF": 1,
                      "OUTPUT_CV": out["cv"], "OUTPUT_CLASS": out["cls"]}, fb)
    y = stack_of(example["npp_stack"])
    ref = stability.coefficient_of_variation(y, ddof=1, min_valid=11)
    cv, _ = read_tif(out["cv"])
    np.testing.assert_allclose(cv, ref.astype(np.float32), rtol=1e-6, equal_nan=True)
    # fewer than 10000 valid values: the breaks are exact on all of them
    breaks = stability.natural_breaks(ref[np.isfinite(ref)], k=5)
    cls, _ = read_tif(out["cls"])
    expect = stability.classify(ref.astype(np.float32).astype(float), breaks).astype(float)
    expect[expect == -128] = np.nan
    assert np.mean(cls[np.isfinite(expect)] == expect[np.isfinite(expect)]) > 0.999
    assert set(np.unique(cls[np.isfinite(cls)]).astype(int)) == {1, 2, 3, 4, 5}
    assert any("Class bounds" in i for i in fb.infos)
    assert QgsRasterLayer(out["cls"], "c").renderer().type() == "paletted"


def test_variation_user_breaks(provider, example, tmp_path):
    out = str(tmp_path / "cls.tif")
    run("variation", {"INPUT": [example["npp_stack"]], "MIN_VALID": 11,
                      "BREAKS": "0.05, 0.1, 0.15, 0.2", "OUTPUT_CV": "TEMPORARY_OUTPUT",
                      "OUTPUT_CLASS": out})
    cv = stability.coefficient_of_variation(stack_of(example["npp_stack"]), min_valid=11)
    cls, _ = read_tif(out)
    ok = np.isfinite(cv)
    expect = 1 + (cv[ok] > 0.05) + (cv[ok] > 0.1) + (cv[ok] > 0.15) + (cv[ok] > 0.2)
    assert np.mean(cls[ok] == expect) > 0.999


def test_hurst_and_persistence(provider, example, tmp_path):
    out = {k: str(tmp_path / f"{k}.tif") for k in ("h", "pers")}
    run("hurst", {"INPUT": example["npp"], "METHOD": 0, "MIN_VALID": 12,
                  "OUTPUT_H": out["h"], "OUTPUT_PERSISTENCE": out["pers"]})
    y = stack_of(example["npp"])
    h_ref = hurst_fn(y, method="rs", min_valid=12)
    h, _ = read_tif(out["h"])
    np.testing.assert_allclose(h, h_ref.astype(np.float32), rtol=1e-6, equal_nan=True)
    pers, _ = read_tif(out["pers"])
    slope = cs.mann_kendall(y, YEARS, min_valid=12).slope
    expect = persistence_class(slope, h_ref).astype(float)
    expect[expect == -128] = np.nan
    np.testing.assert_array_equal(pers, expect)
    assert QgsRasterLayer(out["pers"], "p").renderer().type() == "paletted"


def test_partial_correlation_per_driver(provider, example, tmp_path):
    out = {k: str(tmp_path / f"{k}.tif") for k in ("r", "p", "cls")}
    run("partialcorrelation", {
        "INPUT": [example["npp_stack"]], "MIN_VALID": 11,
        "DRIVERS": [example["temperature_annual"], example["precipitation_annual"]],
        "OUTPUT_R": out["r"], "OUTPUT_P": out["p"], "OUTPUT_CLASS": out["cls"]})
    y = stack_of(example["npp_stack"])
    t = stack_of(example["temperature_annual"])
    p = stack_of(example["precipitation_annual"])
    r, ds = read_tif(out["r"])
    assert ds.RasterCount == 2
    assert ds.GetRasterBand(1).GetDescription() == "temperature_annual"
    ref_t = correlation.partial_correlation(y, t, [p], min_valid=11)
    ref_p = correlation.partial_correlation(y, p, [t], min_valid=11)
    np.testing.assert_allclose(r[0], ref_t.r.astype(np.float32), rtol=1e-5, atol=1e-6,
                               equal_nan=True)
    np.testing.assert_allclose(r[1], ref_p.r.astype(np.float32), rtol=1e-5, atol=1e-6,
                               equal_nan=True)
    assert np.nanmax(np.abs(r)) <= 1
    # the example NPP depends on rainfall: most pixels correlate positively
    assert np.nanmean(r[1] > 0) > 0.5


def test_abrupt_change_zones_table_and_report(provider, example, tmp_path):
    html = str(tmp_path / "report.html")
    res = run("abruptchange", {"INPUT": [example["npp_stack"]], "FIRST_YEAR": 2000,
                               "ZONES": example["regions"], "ZONE_FIELD": "name",
                               "OUTPUT_TABLE": "memory:", "OUTPUT_SUMMARY": "memory:",
                               "OUTPUT_HTML": html})
    import processing  # noqa: F401
    from qgis.core import QgsProcessingContext  # noqa: F401
    table = res["OUTPUT_TABLE"]
    summary = res["OUTPUT_SUMMARY"]
    table = table if isinstance(table, QgsVectorLayer) else QgsVectorLayer(table)
    summary = summary if isinstance(summary, QgsVectorLayer) else QgsVectorLayer(summary)
    rows = list(table.getFeatures())
    assert len(rows) == 4 * 12
    zones = sorted({f["zone"] for f in rows})
    assert zones == ["North-East", "North-West", "South-East", "South-West"]
    # the zone means equal the mean of the stack's valid pixels in each polygon
    from carbonsink.core.io.zones import zones_from_vector
    stack = RasterStack(example["npp_stack"])
    zr, names = zones_from_vector(example["regions"], stack.grid, str(tmp_path / "z.tif"),
                                  name_field="name")
    zid = {v: k for k, v in names.items()}["South-East"]
    z = zr.read(0, 0, stack.grid.cols, stack.grid.rows)[0]
    y = stack_of(example["npp_stack"])
    expect = np.array([np.nanmean(y[i][z == zid]) for i in range(12)])
    got = np.array([f["mean"] for f in sorted((f for f in rows if f["zone"] == "South-East"),
                                              key=lambda f: f["year"])])
    np.testing.assert_allclose(got, expect, rtol=1e-9)
    smk = abrupt.sequential_mann_kendall(expect)
    uf = np.array([f["uf"] for f in sorted((f for f in rows if f["zone"] == "South-East"),
                                           key=lambda f: f["year"])])
    np.testing.assert_allclose(uf, smk.uf, rtol=1e-9)
    srow = [f for f in summary.getFeatures() if f["zone"] == "South-East"][0]
    pt = abrupt.pettitt(expect)
    assert srow["pettitt_year"] == 2000 + pt.index - 1
    assert srow["pettitt_p"] == pytest.approx(pt.pvalue)
    text = open(html, encoding="utf-8").read()
    assert "<svg" in text and "South-East" in text and "http" not in text.split("<svg")[0][200:]


def test_partial_correlation_driver_length_mismatch(provider, example, tmp_path):
    short = write_tif(tmp_path / "short.tif", np.random.rand(5, 30, 40))
    with pytest.raises(QgsProcessingException) as err:
        run("partialcorrelation", {"INPUT": [example["npp_stack"]], "DRIVERS": [short],
                                   "MIN_VALID": 11, "OUTPUT_R": str(tmp_path / "r.tif"),
                                   "OUTPUT_P": "TEMPORARY_OUTPUT",
                                   "OUTPUT_CLASS": "TEMPORARY_OUTPUT"})
    assert "short" in str(err.value) and not os.path.exists(tmp_path / "r.tif")
