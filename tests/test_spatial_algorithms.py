"""carbonsink:moran, lisa, hotspots, gini through processing.run (esda references)."""
import numpy as np
import pytest
from helpers import read_tif, write_tif
from osgeo import gdal, ogr
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer
from test_algorithms import Feedback, run, run_error

from carbonsink.core import spatial
from carbonsink.core.gini import gini
from carbonsink.core.io import RasterStack

esda = pytest.importorskip("esda")
libpysal = pytest.importorskip("libpysal")

COLUMBUS = libpysal.examples.get_path("columbus.shp")


@pytest.fixture(scope="module")
def algs(spatial_algs):
    return spatial_algs


@pytest.fixture(scope="module")
def columbus():
    ds = ogr.Open(COLUMBUS)
    crime = np.array([f.GetField("CRIME") for f in ds.GetLayer()], float)
    ds = None
    w = libpysal.weights.Queen.from_shapefile(COLUMBUS)
    return crime, w


def features(path):
    lyr = QgsVectorLayer(str(path), "out", "ogr")
    assert lyr.isValid()
    return lyr, list(lyr.getFeatures())


def memory_points(values, crs="EPSG:3857", groups=None):
    lyr = QgsVectorLayer(f"Point?crs={crs}&field=v:double&field=g:string", "pts", "memory")
    feats = []
    for i, v in enumerate(values):
        f = QgsFeature(lyr.fields())
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(i % 5 * 100.0, i // 5 * 100.0)))
        f.setAttributes([None if v is None else float(v), groups[i] if groups else "a"])
        feats.append(f)
    lyr.dataProvider().addFeatures(feats)
    return lyr


def table_row(path):
    _, feats = features(path)
    assert len(feats) == 1
    return {k: feats[0][k] for k in feats[0].fields().names()}


# -------------------------------------------------------------------- Moran
def test_moran_columbus_equals_esda(algs, columbus, tmp_path):
    crime, w = columbus
    ref = esda.Moran(crime, w, transformation="r", permutations=0)
    fb = Feedback()
    out = str(tmp_path / "moran.csv")
    run("moran", {"VECTOR": COLUMBUS, "FIELD": "CRIME", "WEIGHTS": 0, "TRANSFORM": 0,
                  "PERMUTATIONS": 99, "SEED": 1, "OUTPUT": out}, fb)
    row = table_row(out)
    assert float(row["I"]) == pytest.approx(0.500188557, abs=1e-9)
    assert float(row["I"]) == pytest.approx(ref.I, rel=1e-10)
    assert float(row["z_norm"]) == pytest.approx(ref.z_norm, rel=1e-9)
    assert float(row["z_rand"]) == pytest.approx(ref.z_rand, rel=1e-9)
    assert float(row["VI_norm"]) == pytest.approx(ref.VI_norm, rel=1e-9)
    assert float(row["p_sim"]) == pytest.approx(0.01, abs=0.011)
    assert int(row["n"]) == 49 and int(row["islands"]) == 0
    assert any("Moran's I = 0.500189" in i for i in fb.infos)


def test_moran_knn_and_binary_equal_esda(algs, columbus, tmp_path):
    crime, _ = columbus
    out = str(tmp_path / "m.csv")
    run("moran", {"VECTOR": COLUMBUS, "FIELD": "CRIME", "WEIGHTS": 2, "K": 4, "TRANSFORM": 1,
                  "PERMUTATIONS": 0, "OUTPUT": out})
    ds = ogr.Open(COLUMBUS)
    pts = np.array([(f.GetGeometryRef().Centroid().GetX(), f.GetGeometryRef().Centroid().GetY())
                    for f in ds.GetLayer()])
    ds = None
    w = libpysal.weights.KNN.from_array(pts, k=4)
    ref = esda.Moran(crime, w, transformation="b", permutations=0)
    assert float(table_row(out)["I"]) == pytest.approx(ref.I, rel=1e-9)


def test_moran_raster_equals_core(algs, tmp_path):
    rng = np.random.default_rng(2)
    data = rng.normal(size=(2, 9, 11)).cumsum(axis=2)
    data[1, 2, 3] = np.nan
    tif = write_tif(tmp_path / "r.tif", data)
    out = str(tmp_path / "m.csv")
    run("moran", {"RASTER": tif, "BAND": 2, "WEIGHTS": 1, "TRANSFORM": 0, "PERMUTATIONS": 0,
                  "OUTPUT": out})
    ref = spatial.moran_raster(RasterStack(tif), "rook", "r", 0, band=2)
    row = table_row(out)
    assert float(row["I"]) == pytest.approx(ref.I, rel=1e-9)
    assert int(row["n"]) == ref.n == 98


def test_input_errors(algs, tmp_path):
    text = run_error(algs, "moran", {"OUTPUT": str(tmp_path / "x.csv")})
    assert "exactly one input" in text
    tif = write_tif(tmp_path / "r.tif", np.arange(20.0).reshape(4, 5))
    text = run_error(algs, "moran", {"VECTOR": COLUMBUS, "FIELD": "CRIME", "RASTER": tif,
                                     "OUTPUT": str(tmp_path / "x.csv")})
    assert "exactly one input" in text
    text = run_error(algs, "moran", {"RASTER": tif, "WEIGHTS": 2,
                                     "OUTPUT": str(tmp_path / "x.csv")})
    assert "queen or rook" in text
    pts = memory_points(range(10), crs="EPSG:4326")
    text = run_error(algs, "moran", {"VECTOR": pts, "FIELD": "v", "WEIGHTS": 3,
                                     "THRESHOLD": 150.0, "OUTPUT": str(tmp_path / "y.csv")})
    assert "projected CRS" in text
    pts = memory_points(range(10))
    text = run_error(algs, "moran", {"VECTOR": pts, "FIELD": "v", "WEIGHTS": 0,
                                     "OUTPUT": str(tmp_path / "z.csv")})
    assert "needs polygons" in text


def test_constant_values_clear_message(algs, tmp_path):
    pts = memory_points([3.0] * 10 + [None])
    text = run_error(algs, "moran", {"VECTOR": pts, "FIELD": "v", "WEIGHTS": 3,
                                     "THRESHOLD": 150.0, "OUTPUT": str(tmp_path / "c.csv")})
    assert "same value" in text


def test_distance_band_with_null_and_island(algs, tmp_path):
    vals = [float(v) for v in np.random.default_rng(0).normal(size=15)]
    vals[4] = None
    pts = memory_points(vals)
    fb = Feedback()
    out = str(tmp_path / "d.csv")
    run("moran", {"VECTOR": pts, "FIELD": "v", "WEIGHTS": 3, "THRESHOLD": 100.0,
                  "PERMUTATIONS": 0, "OUTPUT": out}, fb)
    assert any("1 feature(s) with a NULL" in i for i in fb.infos)
    keep = np.array([v is not None for v in vals])
    xy = np.array([(i % 5 * 100.0, i // 5 * 100.0) for i in range(15)])[keep]
    from carbonsink.core.weights import distance_band_weights
    ref = spatial.moran(np.array([v for v in vals if v is not None]),
                        distance_band_weights(xy, 100.0))
    assert float(table_row(out)["I"]) == pytest.approx(ref.I, rel=1e-12)


# --------------------------------------------------------------------- LISA
def test_lisa_vector_equals_esda(algs, columbus, tmp_path):
    crime, w = columbus
    ref = esda.Moran_Local(crime, w, transformation="r", permutations=199, seed=1)
    out = str(tmp_path / "lisa.gpkg")
    run("lisa", {"VECTOR": COLUMBUS, "FIELD": "CRIME", "WEIGHTS": 0, "PERMUTATIONS": 199,
                 "SEED": 3, "ALPHA": 0.05, "OUTPUT": out})
    lyr, feats = features(out)
    assert lyr.featureCount() == 49
    assert {"lisa_I", "lisa_q", "lisa_p", "lisa_cluster", "CRIME"} <= set(lyr.fields().names())
    np.testing.assert_allclose([f["lisa_I"] for f in feats], ref.Is, rtol=1e-10)
    np.testing.assert_array_equal([f["lisa_q"] for f in feats], ref.q)
    p = np.array([f["lisa_p"] for f in feats])
    assert np.all((p > 0) & (p <= 0.5))
    # p-values statistically equal: same significant set up to Monte-Carlo noise
    assert np.mean((p < 0.05) == (ref.p_sim < 0.05)) > 0.85
    cls = np.array([f["lisa_cluster"] for f in feats])
    np.testing.assert_array_equal(cls, spatial.cluster_class(
        np.array([f["lisa_q"] for f in feats]), p, 0.05))
    assert (cls == 1).any() and (cls == 2).any()
    # the categorized style
    from carbonsink.algorithms.spatial import LISA_CLASSES, CategorizedPostProcessor
    CategorizedPostProcessor.create("lisa_cluster", LISA_CLASSES).postProcessLayer(
        lyr, None, None)
    r = lyr.renderer()
    assert r.type() == "categorizedSymbol" and r.classAttribute() == "lisa_cluster"
    colours = {c.value(): c.symbol().color().name() for c in r.categories()}
    assert colours == {0: "#eeeeee", 1: "#ff0000", 2: "#0000ff", 3: "#a7adf9", 4: "#f4ada8"}


def test_lisa_raster_equals_core(algs, tmp_path):
    rng = np.random.default_rng(5)
    data = rng.normal(size=(12, 14)).cumsum(axis=0)
    data[0, 0] = data[5, 6] = np.nan
    tif = write_tif(tmp_path / "in.tif", data)
    out = {k: str(tmp_path / f"{k}.tif") for k in ("I", "Q", "P", "CLUSTER")}
    run("lisa", {"RASTER": tif, "WEIGHTS": 0, "PERMUTATIONS": 99, "SEED": 7, "ALPHA": 0.05,
                 **{f"OUTPUT_{k}": v for k, v in out.items()}})
    ref = {k: str(tmp_path / f"ref_{k}.tif") for k in ("Is", "q", "p_sim", "cluster")}
    spatial.lisa_rasters(RasterStack(tif), ref, "queen", "r", 99, 7, alpha=0.05)
    for mine, theirs in (("I", "Is"), ("Q", "q"), ("P", "p_sim"), ("CLUSTER", "cluster")):
        a, _ = read_tif(out[mine])
        b, _ = read_tif(ref[theirs])
        np.testing.assert_array_equal(a, b)
    from qgis.core import QgsRasterLayer
    assert QgsRasterLayer(out["CLUSTER"], "c").renderer().type() == "paletted"


# ----------------------------------------------------------------- hotspots
def test_hotspots_vector_equals_esda(algs, columbus, tmp_path):
    crime, w = columbus
    ref = esda.G_Local(crime, w, transform="B", star=True, permutations=0)
    out = str(tmp_path / "gi.gpkg")
    run("hotspots", {"VECTOR": COLUMBUS, "FIELD": "CRIME", "WEIGHTS": 0, "OUTPUT": out})
    _, feats = features(out)
    z = np.array([f["gi_z"] for f in feats])
    np.testing.assert_allclose(z, ref.Zs, rtol=1e-9)
    p = np.array([f["gi_p"] for f in feats])
    np.testing.assert_array_equal([f["gi_class"] for f in feats], spatial.hotspot_class(z, p))
    assert {3, -3} <= {f["gi_class"] for f in feats}


def test_hotspots_raster_equals_core(algs, tmp_path):
    data = np.random.default_rng(9).normal(size=(10, 12)).cumsum(axis=1)
    tif = write_tif(tmp_path / "in.tif", data)
    out = str(tmp_path / "cls.tif")
    zout = str(tmp_path / "z.tif")
    run("hotspots", {"RASTER": tif, "WEIGHTS": 1, "OUTPUT_CLASS": out, "OUTPUT_Z": zout})
    ref = {"z": str(tmp_path / "rz.tif"), "class": str(tmp_path / "rc.tif")}
    spatial.getis_ord_rasters(RasterStack(tif), ref, "rook")
    np.testing.assert_array_equal(read_tif(out)[0], read_tif(ref["class"])[0])
    np.testing.assert_array_equal(read_tif(zout)[0], read_tif(ref["z"])[0])


# --------------------------------------------------------------------- Gini
def _zone_pixels(example, band):
    """Pixel values of band per region name, rasterised independently (pixel centres)."""
    ds = gdal.Open(example["npp_stack"])
    vals = ds.GetRasterBand(band).ReadAsArray().astype(float)
    nd = ds.GetRasterBand(band).GetNoDataValue()
    vals[vals == nd] = np.nan
    mem = gdal.GetDriverByName("MEM").Create("", ds.RasterXSize, ds.RasterYSize, 1,
                                             gdal.GDT_Int32)
    mem.SetGeoTransform(ds.GetGeoTransform())
    mem.SetProjection(ds.GetProjection())
    src = ogr.Open(example["regions"])
    gdal.RasterizeLayer(mem, [1], src.GetLayer(0), options=["ATTRIBUTE=code"])
    codes = mem.ReadAsArray()
    names = {f.GetField("code"): f.GetField("name") for f in src.GetLayer(0)}
    return {names[c]: vals[(codes == c) & np.isfinite(vals)] for c in names}


@pytest.mark.parametrize("method", [0, 2])
def test_gini_raster_zones_equal_core(algs, example, tmp_path, method):
    out = str(tmp_path / "gini.csv")
    run("gini", {"RASTER": example["npp_stack"], "BAND": 3, "ZONES": example["regions"],
                 "ZONE_FIELD": "name", "METHOD": method, "OUTPUT": out})
    _, feats = features(out)
    ref = _zone_pixels(example, 3)
    assert {f["zone"] for f in feats} == set(ref)
    m = ["standard", "rsv", "segmented"][method]
    for f in feats:
        x = ref[f["zone"]]
        assert int(f["n"]) == x.size > 0
        assert float(f["gini"]) == pytest.approx(gini(x, m).gini, rel=1e-9)
        assert f["band"]


def test_gini_vector_groups_and_refusal(algs, tmp_path):
    vals = [-3.0, -1.0, 0.0, 2.0, 4.0, 1.0, 1.0, 5.0, None, 7.0]
    groups = ["a"] * 5 + ["b"] * 5
    pts = memory_points(vals, groups=groups)
    text = run_error(algs, "gini", {"VECTOR": pts, "FIELD": "v", "GROUP_FIELD": "g",
                                    "METHOD": 0, "OUTPUT": str(tmp_path / "x.csv")})
    assert "zone a" in text and "rsv" in text and "segmented" in text
    out = str(tmp_path / "g.csv")
    run("gini", {"VECTOR": pts, "FIELD": "v", "GROUP_FIELD": "g", "METHOD": 2, "OUTPUT": out})
    _, feats = features(out)
    rows = {f["zone"]: f for f in feats}
    a = gini([-3.0, -1.0, 0.0, 2.0, 4.0], "segmented")
    assert float(rows["a"]["p_deficit"]) == pytest.approx(0.4)
    assert float(rows["a"]["p_neutral"]) == pytest.approx(0.2)
    assert float(rows["a"]["gini_deficit"]) == pytest.approx(a.gini_deficit)
    assert float(rows["a"]["gini"]) == pytest.approx(a.gini)
    assert int(rows["b"]["n"]) == 4
    out = str(tmp_path / "r.csv")
    run("gini", {"VECTOR": pts, "FIELD": "v", "METHOD": 1, "OUTPUT": out})
    row = table_row(out)
    x = [v for v in vals if v is not None]
    assert float(row["gini"]) == pytest.approx(gini(x, "rsv").gini)


def test_gini_all_zero_zone_has_a_note(algs, tmp_path):
    pts = memory_points([0.0, 0.0, 0.0, 1.0, 2.0], groups=["z", "z", "z", "p", "p"])
    out = str(tmp_path / "n.csv")
    run("gini", {"VECTOR": pts, "FIELD": "v", "GROUP_FIELD": "g", "OUTPUT": out})
    rows = {f["zone"]: f for f in features(out)[1]}
    assert "all values are 0" in rows["z"]["note"]
    assert float(rows["p"]["gini"]) == pytest.approx(gini([1.0, 2.0]).gini)


def test_islands_are_reported(algs, tmp_path):
    fb = Feedback()
    out = str(tmp_path / "i.csv")
    run("moran", {"VECTOR": COLUMBUS, "FIELD": "CRIME", "WEIGHTS": 3, "THRESHOLD": 0.5,
                  "PERMUTATIONS": 0, "OUTPUT": out}, fb)
    row = table_row(out)
    assert int(row["islands"]) == 4 and int(row["n"]) == 45
    assert any("4 island(s)" in i and "feature ids: 0, 2, 5, 20" in i for i in fb.infos)


def test_gini_refuses_beyond_the_memory_budget(algs, example, tmp_path, monkeypatch):
    import carbonsink.provider.settings as prov
    monkeypatch.setattr(prov, "settings", lambda: (1, 0))     # a 0 MB budget
    text = run_error(algs, "gini", {"RASTER": example["npp_stack"], "OUTPUT":
                                    str(tmp_path / "m.csv")})
    assert "memory setting" in text


def test_fdr_options_and_help(algs, tmp_path):
    out = str(tmp_path / "gi.gpkg")
    run("hotspots", {"VECTOR": COLUMBUS, "FIELD": "CRIME", "WEIGHTS": 0, "FDR": True,
                     "OUTPUT": out})
    feats = features(out)[1]
    from carbonsink.core.fdr import fdr_bh
    z = np.array([f["gi_z"] for f in feats])
    q = fdr_bh(np.array([f["gi_p"] for f in feats]))
    np.testing.assert_array_equal([f["gi_class"] for f in feats], spatial.hotspot_class(z, q))
    out = str(tmp_path / "l.gpkg")
    run("lisa", {"VECTOR": COLUMBUS, "FIELD": "CRIME", "PERMUTATIONS": 99, "SEED": 1,
                 "FDR": True, "OUTPUT": out})
    feats = features(out)[1]
    q = np.array([f["lisa_q"] for f in feats])
    p = np.array([f["lisa_p"] for f in feats])
    np.testing.assert_array_equal([f["lisa_cluster"] for f in feats],
                                  spatial.cluster_class(q, p, 0.05, fdr=True))
    from qgis.core import QgsApplication
    for name in ("moran", "lisa", "hotspots", "gini"):
        alg = QgsApplication.processingRegistry().algorithmById(f"carbonsink:{name}")
        assert alg.group() == "Spatial statistics" and alg.groupId() == "spatial"
        assert "Source" in alg.shortHelpString()


def test_vector_style_is_set_when_loaded_on_completion(algs, tmp_path):
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingOutputLayerDefinition, QgsProject
    ctx = QgsProcessingContext()
    ctx.setProject(QgsProject.instance())
    dest = QgsProcessingOutputLayerDefinition(str(tmp_path / "gi.gpkg"), QgsProject.instance())
    res = processing.run("carbonsink:hotspots", {"VECTOR": COLUMBUS, "FIELD": "CRIME",
                                                 "OUTPUT": dest}, context=ctx,
                         feedback=Feedback())
    assert ctx.willLoadLayerOnCompletion(res["OUTPUT"])
    post = ctx.layerToLoadOnCompletionDetails(res["OUTPUT"]).postProcessor()
    assert post is not None
    lyr = QgsVectorLayer(res["OUTPUT"], "gi", "ogr")
    post.postProcessLayer(lyr, ctx, Feedback())
    assert lyr.renderer().classAttribute() == "gi_class"
    assert len(lyr.renderer().categories()) == 7


def test_qgis_process_runs_moran_and_lisa_on_columbus(tmp_path):
    """The spatial algorithms from qgis_process (the profile `make setup` enabled)."""
    import json
    import os
    import subprocess
    import sys

    import libpysal
    exe = "/usr/bin/qgis_process.bin"
    if not os.path.exists(exe):
        pytest.skip("qgis_process.bin not installed")
    shp = libpysal.examples.get_path("columbus.shp")
    site = [p for p in sys.path if p.endswith("site-packages") and ".venv" in p]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=os.pathsep.join(site))
    for key in ("QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH"):
        env.pop(key, None)
    out = tmp_path / "lisa.gpkg"
    runs = [["carbonsink:moran", f"--VECTOR={shp}", "--FIELD=CRIME", "--WEIGHTS=0",
             "--PERMUTATIONS=0", f"--OUTPUT={tmp_path / 'moran.csv'}"],
            ["carbonsink:lisa", f"--VECTOR={shp}", "--FIELD=CRIME", "--PERMUTATIONS=99",
             "--SEED=1", f"--OUTPUT={out}"]]
    logs = []
    for args in runs:
        proc = subprocess.run([exe, "run", "--json"] + args, capture_output=True, text=True,
                              env=env, timeout=300, stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, proc.stderr
        logs.append(json.loads(proc.stdout[proc.stdout.index("{"):]))
    assert "0.500189" in json.dumps(logs[0])            # esda's I for CRIME, queen, r
    from qgis.core import QgsVectorLayer
    layer = QgsVectorLayer(str(out), "lisa")
    assert layer.featureCount() == 49
    assert {f["lisa_q"] for f in layer.getFeatures()} <= {1, 2, 3, 4}
