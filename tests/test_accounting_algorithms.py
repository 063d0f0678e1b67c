"""Carbon-accounting algorithms through processing.run (pytest-qgis)."""
import importlib.util
import os

import numpy as np
import pytest
from helpers import read_tif, write_tif
from qgis.core import QgsApplication, QgsVectorLayer
from test_algorithms import Feedback as _Feedback
from test_algorithms import run, run_error

from carbonsink.core import accounting, area
from carbonsink.core.io import RasterStack
from carbonsink.core.io.zones import zones_from_vector

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEW = ("pixelarea", "zonalsummary", "transitionmatrix", "carbonbudget", "sinkscenario",
       "ensemble", "regrid")


@pytest.fixture(scope="session")
def acc_provider(provider):
    """Our provider with the accounting algorithms (until they are listed in
    carbonsink.algorithms.ALGORITHMS)."""
    registry = QgsApplication.processingRegistry()
    if registry.algorithmById("carbonsink:zonalsummary") is None:
        import carbonsink.algorithms as algs
        from carbonsink.algorithms.accounting import ALGORITHMS as ACC
        for cls in ACC:
            if cls not in algs.ALGORITHMS:
                algs.ALGORITHMS.append(cls)
        provider.refreshAlgorithms()
    yield provider


@pytest.fixture(scope="session")
def acc_data(tmp_path_factory):
    """scripts/make_accounting_data.py on the grid of the `example` fixture."""
    spec = importlib.util.spec_from_file_location(
        "make_accounting_data", os.path.join(ROOT, "scripts", "make_accounting_data.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.make_accounting_data(str(tmp_path_factory.mktemp("accounting")), cols=40, rows=30)


class Feedback(_Feedback):
    """Also keeps warnings (pushWarning, QGIS >= 3.16) among the infos."""

    def pushWarning(self, warning):  # noqa: N802
        self.infos.append(warning)


def layer(result):
    return result if isinstance(result, QgsVectorLayer) else QgsVectorLayer(result)


def records(result):
    lyr = layer(result)
    names = lyr.fields().names()
    return [{n: (None if f[n] is None or str(f[n]) == "NULL" else f[n]) for n in names}
            for f in lyr.getFeatures()]


def test_algorithms_are_listed_with_sources(acc_provider):
    ids = {a.id() for a in acc_provider.algorithms()}
    for name in NEW:
        assert f"carbonsink:{name}" in ids
        alg = QgsApplication.processingRegistry().algorithmById(f"carbonsink:{name}")
        assert "Source" in alg.shortHelpString()


def test_pixelarea(acc_provider, example, tmp_path):
    out = str(tmp_path / "area.tif")
    fb = Feedback()
    res = run("pixelarea", {"INPUT": example["npp_stack"], "AREA_UNIT": 2, "OUTPUT": out}, fb)
    a, _ = read_tif(res["OUTPUT"])
    pa = area.pixel_areas(RasterStack(example["npp_stack"]).grid)
    np.testing.assert_allclose(a[:, 3], pa.row_m2 / 1e6, rtol=1e-12)
    assert any("geographic grid" in i for i in fb.infos)


def test_pixelarea_warns_on_utm(acc_provider, tmp_path):
    src = write_tif(tmp_path / "utm.tif", np.ones((5, 5)), gt=(500000, 1000, 0, 3e6, 0, -1000),
                    epsg=32650)
    fb = Feedback()
    run("pixelarea", {"INPUT": src, "AREA_UNIT": 0, "OUTPUT": str(tmp_path / "a.tif")}, fb)
    assert any("not an equal-area" in i for i in fb.infos)


def test_zonalsummary_zones_classes_csv_and_report(acc_provider, example, acc_data, tmp_path):
    csv_path, html = str(tmp_path / "summary.csv"), str(tmp_path / "report.html")
    res = run("zonalsummary", {
        "INPUT": [example["npp_stack"]], "LAYERS": 0, "FIRST_YEAR": 2000,
        "ZONES": example["regions"], "ZONE_FIELD": "name",
        "LANDCOVER": acc_data["landcover_2000"], "CLASS_NAMES": acc_data["class_names"],
        "UNIT": 3, "OUTPUT_TABLE": "memory:", "OUTPUT_SUMMARY": "memory:",
        "OUTPUT_CSV": csv_path, "OUTPUT_HTML": html})
    rows = records(res["OUTPUT_TABLE"])
    summary = records(res["OUTPUT_SUMMARY"])
    # the same numbers as the headless function
    stack = RasterStack(example["npp_stack"])
    zs, names = zones_from_vector(example["regions"], stack.grid, str(tmp_path / "z.tif"),
                                  name_field="name")
    ref = accounting.zonal_summary(stack, zs, names, RasterStack(acc_data["landcover_2000"]),
                                   accounting.read_class_names(acc_data["class_names"]),
                                   years=range(2000, 2012), unit="Tg C")
    ref_rows = ref.layer_rows()
    assert len(rows) == len(ref_rows)
    for got, exp in zip(rows, ref_rows):
        assert (got["zone"], got["class_name"], got["layer"]) == \
            (exp["zone"], exp["class_name"], exp["layer"])
        for k in ("total", "mean", "aw_mean", "valid_area_km2", "share_pct"):
            if exp[k] is None or np.isnan(exp[k]):
                assert got[k] is None
            else:
                assert got[k] == pytest.approx(exp[k], rel=1e-12)
    forest = [r for r in summary if r["zone"] == "South-East" and r["class_name"] == "Forest"]
    assert len(forest) == 1 and forest[0]["total_sd"] > 0 and forest[0]["unit"] == "Tg C"
    assert "total_2011" in forest[0]
    grand = [r for r in summary if r["zone"] == "All zones" and r["class_name"] == "All classes"]
    assert grand[0]["share_pct"] == pytest.approx(100.0)
    with open(csv_path) as f:
        head = f.readline()
    assert head.startswith("zone_id,zone,class,class_name,area_km2")
    assert "<svg" in open(html, encoding="utf-8").read()


def test_zonalsummary_variables_mode_in_co2(acc_provider, example, tmp_path):
    res = run("zonalsummary", {
        "INPUT": example["npp"][:2], "LAYERS": 1, "UNIT": 8, "COMMON_MASK": True,
        "OUTPUT_TABLE": "memory:", "OUTPUT_SUMMARY": "memory:"})
    summary = records(res["OUTPUT_SUMMARY"])
    assert len(summary) == 1 and summary[0]["zone_id"] == 1
    assert "total_npp_2000" in summary[0] and "total_sd" not in summary[0]
    stack = RasterStack(example["npp"][:2])
    y = stack.read(0, 0, stack.grid.cols, stack.grid.rows)
    y[:, np.isnan(y).any(axis=0)] = np.nan
    a = area.pixel_areas(stack.grid).block(0, stack.grid.rows, stack.grid.cols)
    expect = np.nansum(y[1] * a) * 1e-12 * 44 / 12
    assert summary[0]["total_npp_2001"] == pytest.approx(expect, rel=1e-12)


def test_zonalsummary_clear_errors(acc_provider, tmp_path):
    nocrs = str(tmp_path / "nocrs.tif")
    from osgeo import gdal
    ds = gdal.GetDriverByName("GTiff").Create(nocrs, 4, 4, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((0, 1, 0, 0, 0, -1))
    ds = None
    text = run_error(acc_provider, "zonalsummary", {
        "INPUT": [nocrs], "OUTPUT_TABLE": "memory:", "OUTPUT_SUMMARY": "memory:"})
    assert "no CRS" in text


def test_transitionmatrix(acc_provider, example, acc_data, tmp_path):
    csv_path, html = str(tmp_path / "m.csv"), str(tmp_path / "t.html")
    change = str(tmp_path / "change.tif")
    fb = Feedback()
    res = run("transitionmatrix", {
        "FIRST": acc_data["landcover_2000"], "SECOND": acc_data["landcover_2020"],
        "VARIABLE": acc_data["nep"], "ZONES": example["regions"], "ZONE_FIELD": "name",
        "CLASS_NAMES": acc_data["class_names"], "OUTPUT_TABLE": "memory:",
        "OUTPUT_CLASSES": "memory:", "OUTPUT_CSV": csv_path, "OUTPUT_HTML": html,
        "OUTPUT_CHANGE": change}, fb)
    pairs = records(res["OUTPUT_TABLE"])
    classes = records(res["OUTPUT_CLASSES"])
    first = RasterStack(acc_data["landcover_2000"])
    a = first.read(0, 0, first.grid.cols, first.grid.rows)[0]
    px = area.pixel_areas(first.grid).block(0, first.grid.rows, first.grid.cols)
    for code in (1, 2, 3):
        rows = [r for r in pairs if r["zone"] == "All zones" and r["from_class"] == code]
        nod = [r for r in classes if r["zone"] == "All zones" and r["class"] == code][0]
        assert sum(r["area_km2"] for r in rows) + nod["second_nodata_km2"] == \
            pytest.approx(px[a == code].sum() / 1e6, rel=1e-9)
    forest = [r for r in pairs if r["zone"] == "All zones" and r["from_name"] == "Grassland"
              and r["to_name"] == "Forest"]
    assert forest and forest[0]["changed"] == 1 and forest[0]["var_mean"] is not None
    assert any("Changed:" in i for i in fb.infos)
    text = open(html, encoding="utf-8").read()
    assert "<svg" in text and "<path" in text and "Grassland" in text
    assert open(csv_path).readline().startswith("zone,unit,from_class,from_name,to_1")
    ch, _ = read_tif(change)
    assert set(np.unique(ch[np.isfinite(ch)])) == {0.0, 1.0}
    assert os.path.exists(os.path.splitext(change)[0] + ".qml")


def test_carbonbudget_raster_emissions(acc_provider, acc_data, tmp_path):
    out = {k: str(tmp_path / f"{k}.tif") for k in ("rcs", "ecs", "cnc", "cls")}
    html = str(tmp_path / "budget.html")
    fb = Feedback()
    res = run("carbonbudget", {
        "NEP": [acc_data["nep"]], "RUNOFF": acc_data["runoff"],
        "LITHOLOGY": acc_data["lithology"], "COEFFICIENTS": acc_data["coefficients"],
        "EMISSIONS": acc_data["emissions"], "EMISSION_UNIT": 0,
        "ZONES": acc_data["zones"], "ZONE_FIELD": "name", "UNIT": 3,
        "OUTPUT_RCS": out["rcs"], "OUTPUT_ECS": out["ecs"], "OUTPUT_CNC": out["cnc"],
        "OUTPUT_CLASS": out["cls"], "OUTPUT_TABLE": "memory:", "OUTPUT_LITHOLOGY": "memory:",
        "OUTPUT_HTML": html}, fb)
    rows = records(res["OUTPUT_TABLE"])
    assert [r["zone"] for r in rows][-1] == "All zones"
    for r in rows:
        assert r["ecs_total"] == pytest.approx(r["nep_total"] + r["rcs_total"], rel=1e-12)
        assert r["cnc_total"] == pytest.approx(r["ecs_total"] - r["ce_total"], rel=1e-12)
    nep, _ = read_tif(acc_data["nep"])
    rcs, _ = read_tif(out["rcs"])
    ecs, _ = read_tif(out["ecs"])
    ok = np.isfinite(ecs)
    np.testing.assert_allclose(ecs[ok], (nep + rcs)[ok], rtol=1e-5, atol=1e-3)
    assert os.path.exists(os.path.splitext(out["cls"])[0] + ".qml")
    assert len(records(res["OUTPUT_LITHOLOGY"])) == 5
    assert any("NEP" in i and "CNC" in i for i in fb.infos)
    assert "<svg" in open(html, encoding="utf-8").read()


def test_carbonbudget_zone_field_emissions(acc_provider, acc_data, tmp_path):
    res = run("carbonbudget", {
        "NEP": [acc_data["nep"]], "RUNOFF": acc_data["runoff"],
        "LITHOLOGY": acc_data["lithology"], "COEFFICIENTS": acc_data["coefficients"],
        "ZONES": acc_data["zones"], "ZONE_FIELD": "name", "EMISSION_FIELD": "emission_tg",
        "ZONE_EMISSION_UNIT": 3, "UNIT": 3, "OUTPUT_RCS": "TEMPORARY_OUTPUT",
        "OUTPUT_ECS": "TEMPORARY_OUTPUT", "OUTPUT_TABLE": "memory:"})
    rows = {r["zone"]: r for r in records(res["OUTPUT_TABLE"])}
    assert rows["South-East"]["ce_total"] == pytest.approx(21.0)
    assert rows["All zones"]["ce_total"] == pytest.approx(3.0 + 2.5 + 4.0 + 21.0)
    assert rows["North-West"]["cnc_total"] == pytest.approx(
        rows["North-West"]["ecs_total"] - 3.0)


def test_carbonbudget_empty_template_is_refused(acc_provider, acc_data):
    template = os.path.join(ROOT, "algorithms", "templates", "rock_weathering_coefficients.csv")
    text = run_error(acc_provider, "carbonbudget", {
        "NEP": [acc_data["nep"]], "RUNOFF": acc_data["runoff"],
        "LITHOLOGY": acc_data["lithology"], "COEFFICIENTS": template,
        "OUTPUT_RCS": "TEMPORARY_OUTPUT", "OUTPUT_ECS": "TEMPORARY_OUTPUT",
        "OUTPUT_TABLE": "memory:"})
    assert "no value of a" in text and "1, 2, 3, 4, 5" in text


def test_sinkscenario(acc_provider, acc_data, tmp_path):
    out, html = str(tmp_path / "dens.tif"), str(tmp_path / "s.html")
    fb = Feedback()
    res = run("sinkscenario", {
        "LANDCOVER": acc_data["landcover_2020"], "MEASURES": acc_data["measures"],
        "CLASS_NAMES": acc_data["class_names"], "ZONES": acc_data["zones"],
        "ZONE_FIELD": "name", "UNIT": 1, "OUTPUT_TABLE": "memory:",
        "OUTPUT_RASTER": out, "OUTPUT_HTML": html}, fb)
    rows = records(res["OUTPUT_TABLE"])
    allz = {r["measure"]: r for r in rows if r["zone"] == "All zones"}
    assert allz["Cropland straw return"]["treated_area_km2"] == pytest.approx(1500.0)
    assert allz["Grassland restoration"]["treated_share_pct"] == pytest.approx(20.0)
    # 0.4 t C/ha/yr on 20 % of the grassland, in t C
    g = allz["Grassland restoration"]
    assert g["added_sink"] == pytest.approx(g["class_area_km2"] * 0.2 * 100 * 0.4, rel=1e-9)
    assert any("Added sink" in i for i in fb.infos)
    d, _ = read_tif(out)
    assert np.nanmax(d) > 0
    assert "<svg" in open(html, encoding="utf-8").read()


def test_sinkscenario_template_is_refused(acc_provider, acc_data):
    text = run_error(acc_provider, "sinkscenario", {
        "LANDCOVER": acc_data["landcover_2020"],
        "MEASURES": os.path.join(ROOT, "algorithms", "templates", "sink_measures.csv"),
        "OUTPUT_TABLE": "memory:"})
    assert "class code" in text


def test_ensemble_models_on_three_grids_with_netcdf(acc_provider, acc_data, tmp_path):
    out = {k: str(tmp_path / f"{k}.tif") for k in ("mean", "sd", "agree")}
    html = str(tmp_path / "ens.html")
    fb = Feedback()
    assert acc_data["models"][2].startswith("NETCDF:")
    res = run("ensemble", {
        "INPUTS": acc_data["models"][:2], "SOURCES": acc_data["models"][2],
        "REFERENCE": acc_data["nep"], "TIME_STEP": 1,
        "FIRST_YEAR": 2001, "ZONES": acc_data["zones"], "ZONE_FIELD": "name", "UNIT": 3,
        "BAND_WIDTH": 1.0, "OUTPUT_MEAN": out["mean"], "OUTPUT_SD": out["sd"],
        "OUTPUT_AGREEMENT": out["agree"], "OUTPUT_TABLE": "memory:",
        "OUTPUT_SUMMARY": "memory:", "OUTPUT_SEASONAL": "memory:", "OUTPUT_BANDS": "memory:",
        "OUTPUT_HTML": html}, fb)
    mean, ds = read_tif(out["mean"])
    ref = RasterStack(acc_data["nep"]).grid
    assert ds.RasterCount == 36 and (ds.RasterXSize, ds.RasterYSize) == (ref.cols, ref.rows)
    assert ds.GetGeoTransform() == ref.geotransform
    sd, _ = read_tif(out["sd"])
    assert np.nanmin(sd) >= 0 and np.nanmax(sd) > 0
    summary = {r["zone"]: r for r in records(res["OUTPUT_SUMMARY"])}
    assert set(summary) == {"North-West", "North-East", "South-West", "South-East", "All zones"}
    # product c (bias 1.2) is above product b (bias 0.85) in every zone
    assert all(r["annual_total_m3"] > r["annual_total_m2"] for r in summary.values())
    seasonal = records(res["OUTPUT_SEASONAL"])
    assert len(seasonal) == 5 * 12
    bands = records(res["OUTPUT_BANDS"])
    assert {b["band"] for b in bands} >= {"24 to 25", "29 to 30"}
    assert any("no CRS" in i for i in fb.infos)                 # the CF NetCDF
    text = open(html, encoding="utf-8").read()
    assert text.count("<svg") >= 3


def test_ensemble_netcdf_layer_and_file(acc_provider, acc_data, tmp_path):
    """A NetCDF variable added as a QGIS raster layer, and the .nc file path
    itself (one variable) as a product."""
    from qgis.core import QgsRasterLayer
    nc_layer = QgsRasterLayer(acc_data["models"][2], "model c")
    assert nc_layer.isValid()
    res = run("ensemble", {
        "INPUTS": [acc_data["models"][0], nc_layer], "TIME_STEP": 1, "FIRST_YEAR": 2001,
        "RESOLUTION": 0.5, "BAND_WIDTH": 0, "OUTPUT_MEAN": str(tmp_path / "m.tif"),
        "OUTPUT_TABLE": "memory:", "OUTPUT_SUMMARY": "memory:"})
    m, ds = read_tif(res["OUTPUT_MEAN"])
    assert ds.GetGeoTransform()[1] == 0.5 and ds.RasterCount == 36
    summary = records(res["OUTPUT_SUMMARY"])
    assert len(summary) == 1 and summary[0]["annual_total_m2"] > summary[0]["annual_total_m1"]


def test_ensemble_needs_two_products(acc_provider, acc_data):
    text = run_error(acc_provider, "ensemble", {
        "INPUTS": [acc_data["models"][0]], "OUTPUT_MEAN": "TEMPORARY_OUTPUT",
        "OUTPUT_TABLE": "memory:", "OUTPUT_SUMMARY": "memory:"})
    assert "at least two" in text


def test_zonalsummary_in_a_model(acc_provider, example, tmp_path):
    """The algorithm as a child of a Processing model (the modeler)."""
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterMultipleLayers,
        QgsProcessingParameterRasterLayer,
    )

    from carbonsink.algorithms.compat import RASTER
    model = QgsProcessingModelAlgorithm("accounting model", "test")
    model.addModelParameter(QgsProcessingParameterMultipleLayers("npp", "NPP", RASTER),
                            QgsProcessingModelParameter("npp"))
    model.addModelParameter(QgsProcessingParameterRasterLayer("grid", "grid"),
                            QgsProcessingModelParameter("grid"))
    areas = QgsProcessingModelChildAlgorithm("carbonsink:pixelarea")
    areas.setChildId("areas")
    areas.addParameterSources("INPUT", [QgsProcessingModelChildParameterSource
                                        .fromModelParameter("grid")])
    areas.addParameterSources("AREA_UNIT", [QgsProcessingModelChildParameterSource
                                            .fromStaticValue(2)])
    out_a = QgsProcessingModelOutput("area", "area")
    out_a.setChildId("areas")              # as the modeler sets it (QGIS 3.40 needs it)
    out_a.setChildOutputName("OUTPUT")
    areas.setModelOutputs({"area": out_a})
    model.addChildAlgorithm(areas)
    child = QgsProcessingModelChildAlgorithm("carbonsink:zonalsummary")
    child.setChildId("zonal")
    child.addParameterSources("INPUT", [QgsProcessingModelChildParameterSource
                                        .fromModelParameter("npp")])
    child.addParameterSources("FIRST_YEAR", [QgsProcessingModelChildParameterSource
                                             .fromStaticValue(2000)])
    out = QgsProcessingModelOutput("summary", "summary")
    out.setChildId("zonal")
    out.setChildOutputName("OUTPUT_SUMMARY")
    child.setModelOutputs({"summary": out})
    model.addChildAlgorithm(child)
    import processing
    # the model's output parameters: "areas:area" on QGIS 3.22, "area" on 3.40
    dest = {d.name().split(":")[-1]: d.name() for d in model.destinationParameterDefinitions()}
    assert set(dest) == {"area", "summary"}
    processing.run(model, {"npp": [example["npp_stack"]], "grid": example["npp_stack"],
                           dest["area"]: str(tmp_path / "area.tif"),
                           dest["summary"]: str(tmp_path / "summary.csv")},
                   feedback=Feedback())
    assert os.path.exists(str(tmp_path / "area.tif"))
    with open(str(tmp_path / "summary.csv")) as f:
        lines = f.read().splitlines()
    assert lines[0].startswith("zone_id,zone,class") and len(lines) == 2


def test_qgis_process_runs_zonalsummary(example, acc_data, tmp_path):
    """End to end through qgis_process (skipped until the algorithms are
    listed in carbonsink.algorithms.ALGORITHMS of the enabled plugin)."""
    import json
    import subprocess
    import sys
    exe = "/usr/bin/qgis_process.bin"
    if not os.path.exists(exe):
        pytest.skip("qgis_process.bin not installed")
    site = [p for p in sys.path if p.endswith("site-packages") and ".venv" in p]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join(site + [os.environ.get("PYTHONPATH", "")]))
    for key in ("QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH"):
        env.pop(key, None)
    probe = subprocess.run([exe, "help", "carbonsink:zonalsummary"], capture_output=True,
                           text=True, env=env, timeout=300, stdin=subprocess.DEVNULL)
    if probe.returncode != 0:
        pytest.skip("carbonsink:zonalsummary is not registered in the enabled plugin yet")
    csv_path = str(tmp_path / "summary.csv")
    cmd = [exe, "run", "carbonsink:zonalsummary", "--json",
           f"--INPUT={example['npp_stack']}", "--FIRST_YEAR=2000",
           f"--ZONES={example['regions']}", "--ZONE_FIELD=name",
           f"--LANDCOVER={acc_data['landcover_2000']}", "--UNIT=3",
           f"--OUTPUT_TABLE={tmp_path / 'table.csv'}", f"--OUTPUT_SUMMARY={csv_path}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout[proc.stdout.index("{"):])["results"]
    assert results["OUTPUT_SUMMARY"] == csv_path
    with open(csv_path) as f:
        assert "South-East" in f.read()


def test_regrid_fluxes_and_classes(acc_provider, acc_data, tmp_path):
    out = str(tmp_path / "nep_05.tif")
    run("regrid", {"INPUT": acc_data["nep"], "KIND": 0, "RESOLUTION": 0.5, "OUTPUT": out})
    src = RasterStack(acc_data["nep"])
    a = src.read(0, 0, src.grid.cols, src.grid.rows)[0]
    got, ds = read_tif(out)
    assert ds.GetGeoTransform()[1] == 0.5
    pa_s = area.pixel_areas(src.grid).block(0, src.grid.rows, src.grid.cols)
    dst = RasterStack(out)
    pa_t = area.pixel_areas(dst.grid).block(0, dst.grid.rows, dst.grid.cols)
    # the lake makes a few target cells partial; away from it the total is kept
    assert np.nansum(got * pa_t) == pytest.approx(np.nansum(a * pa_s), rel=2e-3)
    cls = str(tmp_path / "lc_05.tif")
    run("regrid", {"INPUT": acc_data["landcover_2020"], "KIND": 1,
                   "REFERENCE": out, "OUTPUT": cls})
    c, _ = read_tif(cls)
    assert set(np.unique(c[np.isfinite(c)]).astype(int)) <= {1, 2, 3, 4, 5, 6}


def test_report_numbers_are_fixed_notation_with_separators():
    """Report and chart labels: four significant digits, thousands separators,
    no scientific notation for areas and masses (issue 14)."""
    import re

    from carbonsink.core import accounting_charts
    from carbonsink.core.charts import number, svg_lines
    cases = {170400: "170,400", -17910.3: "-17,910", 0.0123456: "0.01235", 3.14159: "3.142",
             2e5: "200,000", 0.05: "0.05", 99999.5: "100,000", 1.0: "1", 0: "0",
             -0.00049: "-0.00049", float("nan"): ""}
    for v, text in cases.items():
        assert number(v) == text, v
    assert number(1e-6) == "1.000e-06"                 # tiny values stay readable
    svg = accounting_charts.svg_sankey(["Cropland", "Forest"],
                                       [[170400.0, 12.5], [17910.3, 250000.0]])
    assert "Cropland (170,412)" in svg and "Forest (250,012)" in svg   # row and column sums
    bars = accounting_charts.svg_bars(["a", "b"], [-17910.3, 0.0123], unit="km2")
    assert "-17,910 km2" in bars and "0.0123 km2" in bars
    line = svg_lines([2000, 2010], [("s", [0.0, 250000.0], "#000", False)])
    for svg_text in (svg, bars, line):
        assert not re.search(r"\de[+-]\d", svg_text)
        assert re.findall(r'font-size="(\d+)"', svg_text)
        assert min(int(s) for s in re.findall(r'font-size="(\d+)"', svg_text)) >= 11


def test_regrid_algorithm_writes_the_coverage(acc_provider, tmp_path):
    """carbonsink:regrid with a coverage output: 0 outside the data, 1 inside,
    and flux x coverage x area keeps the input's total (min coverage 0)."""
    import processing
    from helpers import read_tif, write_tif
    from osgeo import gdal

    from carbonsink.core import area
    from carbonsink.core.io import RasterStack
    f = np.full((1, 30, 40), 250.0)
    f[0, :, :5] = np.nan
    src = write_tif(tmp_path / "f.tif", f, gt=(100.05, 0.1, 0, 36.03, 0, -0.1))
    ref = write_tif(tmp_path / "ref.tif", np.zeros((1, 5, 6)), gt=(99.0, 1.0, 0, 37.0, 0, -1.0))
    out = processing.run("carbonsink:regrid", {
        "INPUT": src, "REFERENCE": ref, "MIN_COVERAGE": 0.0,
        "OUTPUT": str(tmp_path / "r.tif"), "OUTPUT_COVERAGE": str(tmp_path / "c.tif")})
    c, ds = read_tif(out["OUTPUT_COVERAGE"])
    r, _ = read_tif(out["OUTPUT"])
    assert c[0, 0] == 0.0 and c.max() == pytest.approx(1.0)
    assert ds.GetRasterBand(1).GetUnitType() == "1"
    g_src, g_ref = RasterStack(src).grid, RasterStack(str(ref)).grid
    mass = np.nansum(f[0] * area.pixel_areas(g_src).block(0, 30, 40))
    t_area = area.pixel_areas(g_ref).block(0, 5, 6)
    assert np.nansum(r * c * t_area) == pytest.approx(mass, rel=1e-6)
    assert gdal.Open(out["OUTPUT"]) is not None


def test_zonalsummary_shares_per_km2_and_ratios(acc_provider, example, acc_data, tmp_path):
    """Area share of each class in its zone, totals per km2 and the ratio of
    two layer totals (as Wu et al. 2023 print potential as % of CSCC), against
    sums computed here with the pixel areas."""
    params = {"INPUT": example["npp"][:2], "LAYERS": 1, "COMMON_MASK": True,
              "RATIOS": "2/1", "OUTPUT_TABLE": "memory:", "OUTPUT_SUMMARY": "memory:"}
    res = run("zonalsummary", params)
    summary = records(res["OUTPUT_SUMMARY"])
    table = records(res["OUTPUT_TABLE"])
    stack = RasterStack(example["npp"][:2])
    y = stack.read(0, 0, stack.grid.cols, stack.grid.rows)
    y[:, np.isnan(y).any(axis=0)] = np.nan
    a = area.pixel_areas(stack.grid).block(0, stack.grid.rows, stack.grid.cols)
    whole = [r for r in summary if r["class"] is None][0]
    assert whole["area_share_pct"] == pytest.approx(100.0)
    t1, t2 = (np.nansum(y[k] * a) for k in (0, 1))
    assert whole["ratio_2_1_pct"] == pytest.approx(100 * t2 / t1, rel=1e-12)
    row = [r for r in table if r["class"] is None and r["layer"] == table[-1]["layer"]][0]
    valid_km2 = a[np.isfinite(y[1])].sum() * 1e-6
    assert row["per_km2"] == pytest.approx(row["total"] / valid_km2, rel=1e-12)
    by_class = records(run("zonalsummary", dict(
        params, LANDCOVER=acc_data["landcover_2000"]))["OUTPUT_SUMMARY"])
    shares = [r["area_share_pct"] for r in by_class if r["class"] is not None]
    assert sum(shares) == pytest.approx(100.0, rel=1e-9) and len(shares) > 1
    assert [r["area_share_pct"] for r in by_class if r["class"] is None] == [100.0]
    text = run_error(acc_provider, "zonalsummary", dict(params, RATIOS="3/1"))
    assert "numbered 1..2" in text


def test_transition_chain(acc_provider, acc_data, tmp_path):
    """Three dates (2000 -> 2020 -> a third map): one matrix per period equal to
    the two-map runs, a period column, one Sankey over the three dates, the
    change raster between the first and the last map."""
    from carbonsink.core.accounting_charts import svg_sankey_chain
    first = RasterStack(acc_data["landcover_2000"])
    a = first.read(0, 0, first.grid.cols, first.grid.rows)[0]
    third = np.where(np.isfinite(a), np.where(a == 1, 2, a), np.nan)     # class 1 -> 2
    third_path = write_tif(tmp_path / "lc_third.tif", third[None],
                           gt=first.grid.geotransform)
    html = str(tmp_path / "chain.html")
    res = run("transitionmatrix", {
        "FIRST": acc_data["landcover_2000"], "SECOND": acc_data["landcover_2020"],
        "LATER": [third_path], "CLASS_NAMES": acc_data["class_names"],
        "OUTPUT_TABLE": "memory:", "OUTPUT_HTML": html,
        "OUTPUT_CHANGE": str(tmp_path / "change.tif")})
    pairs = records(res["OUTPUT_TABLE"])
    periods = sorted({r["period"] for r in pairs})
    assert len(periods) == 2
    two = records(run("transitionmatrix", {
        "FIRST": acc_data["landcover_2020"], "SECOND": third_path,
        "CLASS_NAMES": acc_data["class_names"], "OUTPUT_TABLE": "memory:"})["OUTPUT_TABLE"])
    second_period = [p for p in periods if p.endswith("lc_third")][0]
    got = {(r["from_class"], r["to_class"]): r["area_km2"] for r in pairs
           if r["period"] == second_period and r["zone"] == "whole area"}
    ref = {(r["from_class"], r["to_class"]): r["area_km2"] for r in two
           if r["zone"] == "whole area"}
    assert got.keys() == ref.keys() and all(got[k] == pytest.approx(ref[k]) for k in ref)
    text = open(html, encoding="utf-8").read()
    assert text.count("<svg") == 1 and "lc_third" in text
    ch, _ = read_tif(tmp_path / "change.tif")
    np.testing.assert_array_equal(ch[np.isfinite(a)] == 1, (a != third)[np.isfinite(a)])
    # the chain diagram: stage node sizes from the matrices
    m1 = [[3.0, 1.0], [0.0, 2.0]]
    m2 = [[2.0, 1.0], [1.0, 2.0]]
    svg = svg_sankey_chain(["A", "B"], [m1, m2], ["2000", "2011", "2022"])
    assert svg.count("<rect") == 6 and ">2011</text>" in svg and "A (4)" in svg


def test_sinkscenario_yearly_path_with_ranges_and_ramp(acc_provider, acc_data, tmp_path):
    """Yu et al. (2022): rates as ranges, a start year and a ramp to full effect,
    the yearly path to 2060 summed over measures; checked by hand on the per
    measure totals (t C)."""
    import csv
    measures = tmp_path / "m.csv"
    measures.write_text(
        "measure,class,share_pct,area_km2,rate,rate_low,rate_high,rate_unit,start_year,"
        "ramp_years,source\n"
        "Grassland restoration,3,20,,0.4,0.2,0.6,t C ha-1 yr-1,2025,5,test\n"
        "Cropland straw return,1,,1500,0.3,,,t C ha-1 yr-1,,,test\n", encoding="utf-8")
    path = tmp_path / "path.csv"
    res = run("sinkscenario", {
        "LANDCOVER": acc_data["landcover_2020"], "MEASURES": str(measures), "UNIT": 1,
        "OUTPUT_TABLE": "memory:", "FIRST_YEAR": 2021, "TARGET_YEAR": 2060,
        "OUTPUT_PATH": str(path)})
    rows = {r["measure"]: r for r in records(res["OUTPUT_TABLE"])}
    g, c = rows["Grassland restoration"]["added_sink"], rows["Cropland straw return"]["added_sink"]
    with open(path, encoding="utf-8") as f:
        p = {int(r["year"]): r for r in csv.DictReader(f)}
    assert sorted(p) == list(range(2021, 2061))
    assert float(p[2021]["added_sink"]) == pytest.approx(c)               # grassland not yet
    assert float(p[2025]["added_sink"]) == pytest.approx(c + g / 5)       # first ramp year
    assert float(p[2029]["added_sink"]) == pytest.approx(c + g)           # full effect
    assert float(p[2060]["added_low"]) == pytest.approx(c + g / 2)        # 0.2 of 0.4
    assert float(p[2060]["added_high"]) == pytest.approx(c + 1.5 * g)
    total = 40 * c + g * (0.2 + 0.4 + 0.6 + 0.8 + 1.0 * 32)
    assert float(p[2060]["cumulative"]) == pytest.approx(total, rel=1e-12)
    bad = tmp_path / "bad.csv"
    bad.write_text("measure,class,share_pct,rate,rate_low,rate_unit\nx,3,10,0.4,0.5,"
                   "t C ha-1 yr-1\n", encoding="utf-8")
    assert "rate_low <= rate" in run_error(acc_provider, "sinkscenario", {
        "LANDCOVER": acc_data["landcover_2020"], "MEASURES": str(bad),
        "OUTPUT_TABLE": "memory:"})
