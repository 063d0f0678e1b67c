"""carbonsink:resilience through processing.run (pytest-qgis): the workflow of
Wu et al. (2023) on the example data (1981-2018, reference year 2000, four
regions), zones without valid pixels, reprojected zones, clear messages."""
import csv
import importlib.util
import os

import numpy as np
import pytest
from helpers import read_tif
from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingUtils,
    QgsRasterLayer,
    QgsVectorLayer,
)

from carbonsink.core import resilience as R
from carbonsink.core.io import RasterStack
from carbonsink.core.io.zones import zones_from_vector

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALG = "carbonsink:resilience"
REGIONS = ["North-West", "North-East", "South-West", "South-East"]


class Feedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.infos, self.warnings, self.errors = [], [], []

    def pushInfo(self, info):  # noqa: N802
        self.infos.append(info)

    def pushWarning(self, warning):  # noqa: N802
        self.warnings.append(warning)

    def reportError(self, error, fatalError=False):  # noqa: N802
        self.errors.append(error)


@pytest.fixture(scope="module")
def alg(provider):
    """The algorithm, as the provider registers it."""
    alg = QgsApplication.processingRegistry().algorithmById(ALG)
    assert alg is not None
    return alg


@pytest.fixture(scope="module")
def wu_data(tmp_path_factory):
    """Example data as in Wu et al. (2023): 1981-2018, 40 x 30 pixels, 4 regions."""
    spec = importlib.util.spec_from_file_location(
        "make_example_data", os.path.join(ROOT, "scripts", "make_example_data.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path_factory.mktemp("wu2023")
    return mod.make_example_data(str(out), years=range(1981, 2019), cols=40, rows=30)


def run(params, feedback=None, context=None):
    import processing
    return processing.run(ALG, params, feedback=feedback or Feedback(),
                          context=context)


def run_error(params):
    fb = Feedback()
    with pytest.raises(QgsProcessingException) as err:
        run(params, fb)
    text = " ".join([str(err.value)] + fb.errors)
    assert "Traceback" not in text
    return text


def core_reference(wu_data, tmp_path, zones=True, method="nls"):
    """The same analysis headless: files read with RasterStack, zones with OGR."""
    stack = RasterStack(wu_data["npp"])
    y = stack.read(0, 0, stack.grid.cols, stack.grid.rows)
    z = names = None
    if zones:
        zs, names = zones_from_vector(wu_data["regions"], stack.grid,
                                      str(tmp_path / "ref_zones.tif"), name_field="name")
        z = zs.read(0, 0, stack.grid.cols, stack.grid.rows)[0]
        zs.close()
    stack.close()
    return R.sink_resilience(y, np.arange(1981, 2019), 2000, zones=z, zone_names=names,
                        method=method)


def base_params(wu_data, tmp_path, **kw):
    p = {"INPUT": wu_data["npp"], "FIRST_YEAR": 1981, "REFERENCE_YEAR": 2000,
         "ZONES": wu_data["regions"], "ZONE_FIELD": "name", "METHOD": 0,
         "OUTPUT_TABLE": str(tmp_path / "table.gpkg"),
         "OUTPUT_SUMMARY": "TEMPORARY_OUTPUT",
         "OUTPUT_CSV": str(tmp_path / "table.csv"),
         "OUTPUT_YEARS": str(tmp_path / "years.tif"),
         "OUTPUT_REPORT": str(tmp_path / "report.html")}
    p.update(kw)
    return p


def is_null(value):
    return value is None or (hasattr(value, "isNull") and value.isNull())


def layer_rows(layer):
    names = layer.fields().names()
    return [dict(zip(names, f.attributes())) for f in layer.getFeatures()]


def test_wu2023_workflow_on_the_example_data(alg, wu_data, tmp_path):
    fb = Feedback()
    context = QgsProcessingContext()
    res = run(base_params(wu_data, tmp_path), fb, context)
    ref = core_reference(wu_data, tmp_path)
    # the table: a layer without geometry, one row per zone and year 2000..2018
    table = QgsVectorLayer(res["OUTPUT_TABLE"], "table", "ogr")
    assert table.isValid() and not table.isSpatial()
    rows = layer_rows(table)
    assert len(rows) == 4 * 19
    assert [r["zone"] for r in rows[::19]] == REGIONS
    for z in ref.zones:
        mine = [r for r in rows if r["zone"] == z.name]
        assert [r["year"] for r in mine] == list(range(2000, 2019))
        assert [r["n_pos"] for r in mine] == z.n_pos.tolist()
        assert [r["n_neg"] for r in mine] == z.n_neg.tolist()
        for key, n, fit in (("p", z.n_pos, z.fit_pos), ("n", z.n_neg, z.fit_neg)):
            q = [r["q_pos" if key == "p" else "q_neg"] for r in mine]
            if n[0]:
                assert q == pytest.approx((n / n[0]).tolist(), rel=1e-15) and q[0] == 1.0
            else:
                assert all(is_null(v) for v in q)                   # N(t') = 0: undefined
            assert {r[f"flag_{key}"] for r in mine} == {fit.flag}
            if fit.ok:
                assert mine[5][f"tau_{key}"] == pytest.approx(fit.tau, rel=1e-12)
            else:
                assert is_null(mine[5][f"tau_{key}"])
        assert mine[0]["level"] == z.level
        if np.isfinite(z.rs):
            assert mine[0]["rs"] == pytest.approx(z.rs, rel=1e-12)
    assert sum(z.n_valid for z in ref.zones) > 1000                 # regions tile the grid
    # the synthetic trends are steady: most regions never lose their positive trend
    assert ref.zone("North-West").fit_pos.flag == "no_decay"
    assert ref.zone("North-West").fit_neg.flag == "no_pixels"
    assert ref.zone("South-East").fit_pos.ok                         # the declining area
    # the summary: a layer the modeler can pass on (temporary output)
    summary = res["OUTPUT_SUMMARY"]
    if isinstance(summary, str):
        summary = QgsProcessingUtils.mapLayerFromString(summary, context)
    srows = layer_rows(summary)
    assert [r["zone"] for r in srows] == REGIONS
    assert all(r["method"] == "nls" and r["ref_year"] == 2000 for r in srows)
    assert [r["n_pos_ref"] for r in srows] == [int(z.n_pos[0]) for z in ref.zones]
    # CSV = the table
    with open(res["OUTPUT_CSV"]) as f:
        crows = list(csv.DictReader(f))
    assert len(crows) == 76 and [int(r["n_neg"]) for r in crows[:19]] == \
        ref.zones[0].n_neg.tolist()
    # the raster of signed years, styled, equal to the core
    years, ds = read_tif(res["OUTPUT_YEARS"])
    expect = np.where(ref.years_kept == R.NODATA_YEARS, np.nan, ref.years_kept)
    np.testing.assert_array_equal(years, expect)
    assert ds.GetGeoTransform() == RasterStack(wu_data["npp"][0]).grid.geotransform
    assert np.nanmax(years) <= 19 and np.nanmin(years) >= -19
    assert np.isnan(years).sum() > 0                                 # lake and desert
    lyr = QgsRasterLayer(res["OUTPUT_YEARS"], "years")
    assert lyr.isValid() and lyr.renderer().type() == "singlebandpseudocolor"
    # the report: per zone the two curves, the fits and the numbers
    text = open(res["OUTPUT_REPORT"], encoding="utf-8").read()
    assert text.count("<div class='zone'>") == 4
    charts = text[:text.index('<section class="maps">')]
    assert charts.count("data:image/png;base64,") + charts.count("<svg") == 4
    # and the map of the signed years, in its style (algorithms/maps.py)
    assert text[len(charts):].count("data:image/png;base64,") == 1
    for name in REGIONS:
        assert name in text
    assert any("North-West: tau_p" in i for i in fb.infos)


def test_loglinear_without_zones(alg, wu_data, tmp_path):
    res = run(base_params(wu_data, tmp_path, ZONES=None, ZONE_FIELD=None, METHOD=1,
                          OUTPUT_SUMMARY=None, OUTPUT_REPORT=None))
    ref = core_reference(wu_data, tmp_path, zones=False, method="loglinear")
    rows = layer_rows(QgsVectorLayer(res["OUTPUT_TABLE"], "t", "ogr"))
    assert {r["zone"] for r in rows} == {"all valid pixels"}
    assert [r["n_pos"] for r in rows] == ref.zones[0].n_pos.tolist()
    z = ref.zones[0]
    if z.fit_neg.ok:
        assert rows[0]["tau_n"] == pytest.approx(z.fit_neg.tau, rel=1e-12)
    assert "OUTPUT_REPORT" not in res or not res["OUTPUT_REPORT"]
    assert not (tmp_path / "report.html").exists()


def test_zone_without_valid_pixels_is_reported(alg, wu_data, tmp_path):
    zones = QgsVectorLayer("Polygon?crs=EPSG:4326&field=name:string", "zones", "memory")
    feats = []
    for name, wkt in (("lake", "POLYGON((115.45 28.45,115.75 28.45,115.75 28.75,"
                               "115.45 28.75,115.45 28.45))"),
                      ("far away", "POLYGON((0 0,1 0,1 1,0 1,0 0))"),
                      ("east", "POLYGON((116 24,118 24,118 30,116 30,116 24))")):
        f = QgsFeature(zones.fields())
        f.setAttributes([name])
        f.setGeometry(QgsGeometry.fromWkt(wkt))
        feats.append(f)
    zones.dataProvider().addFeatures(feats)
    fb = Feedback()
    res = run(base_params(wu_data, tmp_path, ZONES=zones), fb)
    rows = layer_rows(QgsVectorLayer(res["OUTPUT_TABLE"], "t", "ogr"))
    by = {}
    for r in rows:
        by.setdefault(r["zone"], []).append(r)
    assert list(by) == ["lake", "far away", "east"]
    for name in ("lake", "far away"):
        assert all(r["n_valid"] == 0 and r["n_pos"] == 0 for r in by[name])
        assert by[name][0]["flag_p"] == "no_pixels" and by[name][0]["level"] == "undetermined"
        assert any(f"'{name}' has no valid pixel" in w for w in fb.warnings)
    assert by["east"][0]["n_valid"] > 100
    text = open(res["OUTPUT_REPORT"], encoding="utf-8").read()
    assert text.count("No valid pixel") == 2
    years, _ = read_tif(res["OUTPUT_YEARS"])
    assert np.isfinite(years[:, :29]).sum() == 0         # outside every zone: ignored
    assert np.isfinite(years[:, 30:]).sum() > 0


def test_reprojected_zones_give_the_same_counts(alg, wu_data, tmp_path):
    import processing
    merc = str(tmp_path / "regions_3857.gpkg")
    processing.run("native:reprojectlayer", {"INPUT": wu_data["regions"],
                                             "TARGET_CRS": "EPSG:3857", "OUTPUT": merc})
    fb = Feedback()
    a = run(base_params(wu_data, tmp_path, ZONES=merc, OUTPUT_TABLE="TEMPORARY_OUTPUT",
                        OUTPUT_YEARS="TEMPORARY_OUTPUT", OUTPUT_CSV=None,
                        OUTPUT_REPORT=None), fb)
    assert any("reprojected" in i for i in fb.infos)
    ref = core_reference(wu_data, tmp_path)
    rows = a["OUTPUT_TABLE"]
    rows = layer_rows(rows if not isinstance(rows, str) else QgsVectorLayer(rows, "t", "ogr"))
    for z in ref.zones:
        mine = [r for r in rows if r["zone"] == z.name]
        assert abs(mine[0]["n_valid"] - z.n_valid) <= 2          # same polygons, 4326 grid


@pytest.mark.parametrize("ref,words", [(1981, "1981 is the first year"),
                                       (2018, "2018 is the last year"),
                                       (1975, "not one of the stack's years (1981..2018)")])
def test_reference_year_at_either_end_is_refused_clearly(alg, wu_data, tmp_path, ref, words):
    text = run_error(base_params(wu_data, tmp_path, REFERENCE_YEAR=ref))
    assert words in text
    assert not any(n.endswith((".tif", ".csv", ".html", ".gpkg")) for n in os.listdir(tmp_path))


def test_bad_zone_field_and_wrong_years(alg, wu_data, tmp_path):
    assert "no field 'nome'" in run_error(base_params(wu_data, tmp_path, ZONE_FIELD="nome"))
    text = run_error(base_params(wu_data, tmp_path, YEARS="1981,1982"))
    assert "2 years given for a stack of 38 layers" in text


def test_help_and_parameters(alg):
    help_text = alg.shortHelpString()
    for words in ("Source", "Wu L. et al. (2023)", "extremely strong", "depend on the fit",
                  "log-linear", "equal to the first or the last year is refused"):
        assert words in help_text
    for p in alg.parameterDefinitions():
        assert p.description(), p.name()
    clone = alg.create()
    assert clone.id() == ALG and len(clone.parameterDefinitions()) == len(
        alg.parameterDefinitions())


def test_counts_table_algorithm_equals_the_raster_run(provider, wu_data, tmp_path):
    """carbonsink:resiliencecounts on the counts carbonsink:resilience printed
    (CSV, GBK-encoded with Chinese zone names, as Excel on Chinese Windows saves
    it) gives the same fits; lambda = 1 is named in the summary."""
    import processing
    table = str(tmp_path / "table.csv")
    run({"INPUT": wu_data["npp_stack"], "FIRST_YEAR": 1981, "REFERENCE_YEAR": 2000,
         "OUTPUT_TABLE": str(tmp_path / "table.gpkg"), "OUTPUT_CSV": table,
         "OUTPUT_REPORT": str(tmp_path / "raster.html"),
         "OUTPUT_YEARS": str(tmp_path / "years.tif")})
    with open(table, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    counts = tmp_path / "counts.csv"
    counts.write_bytes(("区域,year,N+,N-\n" + "".join(
        f"华北,{r['year']},{r['n_pos']},{r['n_neg']}\n" for r in rows)).encode("gb18030"))
    fb = Feedback()
    out = processing.run("carbonsink:resiliencecounts", {
        "TABLE": str(counts), "OUTPUT_CSV": str(tmp_path / "t.csv"),
        "OUTPUT_SUMMARY_CSV": str(tmp_path / "s.csv"),
        "OUTPUT_REPORT": str(tmp_path / "r.html")}, feedback=fb)
    with open(out["OUTPUT_CSV"], encoding="utf-8") as f:
        got = list(csv.DictReader(f))
    assert [g["zone"] for g in got] == ["华北"] * len(rows)
    for a, b in zip(rows, got):
        assert (a["year"], a["n_pos"], a["n_neg"], a["q_pos"], a["flag_p"], a["level"]) == \
            (b["year"], b["n_pos"], b["n_neg"], b["q_pos"], b["flag_p"], b["level"])
        for k in ("tau_p", "tau_n", "rs"):
            if a[k]:
                assert float(b[k]) == pytest.approx(float(a[k]), rel=1e-10), k
    assert any("reference year 2000" in t for t in fb.infos)
    assert "华北" in open(out["OUTPUT_REPORT"], encoding="utf-8").read()
    fixed = processing.run("carbonsink:resiliencecounts", {
        "TABLE": str(counts), "FIXED_LAMBDA": True, "OUTPUT_CSV": str(tmp_path / "t1.csv"),
        "OUTPUT_SUMMARY_CSV": str(tmp_path / "s1.csv"), "OUTPUT_REPORT": None})
    with open(fixed["OUTPUT_SUMMARY_CSV"], encoding="utf-8") as f:
        summary = list(csv.DictReader(f))[0]
    assert summary["method"] == "nls, lambda=1" and float(summary["lambda_p"]) == 1.0
    bad = tmp_path / "bad.csv"
    bad.write_text("year,n_pos\n2000,5\n", encoding="utf-8")
    from qgis.core import QgsProcessingException
    with pytest.raises(QgsProcessingException, match="missing: n_neg"):
        processing.run("carbonsink:resiliencecounts", {
            "TABLE": str(bad), "OUTPUT_CSV": str(tmp_path / "x.csv")}, feedback=Feedback())
    assert not (tmp_path / "x.csv").exists()


def test_level_names_are_translated(provider):
    """The resilience levels in the log come from the catalogue: every level of
    core.resilience is marked in the declarations (context CarbonSink) and has
    a zh_CN translation there."""
    import re

    from carbonsink.core.runs import resilience as decl
    levels = [lab for _, lab, _ in R.LEVELS] + [R.UNDETERMINED]
    assert sorted(levels) == sorted(decl.LEVEL_NAMES)
    with open(os.path.join(ROOT, "i18n", "carbonsink_zh_CN.ts"), encoding="utf-8") as f:
        ts = f.read()
    block = re.search(r"<name>CarbonSink</name>(.*?)</context>", ts, re.S).group(1)
    for level in levels:
        m = re.search(rf"<source>{re.escape(level)}</source>\s*<translation>([^<]+)<", block)
        assert m and m.group(1).strip(), level
    from carbonsink.algorithms.declared import translated
    assert translated("strong") == "strong"          # English QGIS: unchanged
