"""Commands made from the core/runs declarations: the same parameters,
defaults and numbers as the toolbox algorithms made from them."""
import csv

import numpy as np
import pytest
from helpers import read_tif
from test_accounting_algorithms import acc_data, acc_provider, records  # noqa: F401
from test_algorithms import run

from carbonsink.cli import build_parser, main
from carbonsink.cli_runs import dest
from carbonsink.core.runs import analyses


def cli(capsys, *argv):
    try:
        rc = main([str(a) for a in argv])
    except SystemExit as exc:
        rc = exc.code
    out, err = capsys.readouterr()
    return rc, out, err


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_declared_analysis_is_a_command_with_the_toolbox_defaults(acc_provider):
    from qgis.core import QgsApplication
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    declared = analyses()
    assert {"zonalsummary", "transitionmatrix", "sinkscenario", "regrid", "ensemble",
            "carbonbudget", "pixelarea"} <= set(declared)
    for name, analysis in declared.items():
        p = sub.choices[name]
        alg = QgsApplication.processingRegistry().algorithmById(f"carbonsink:{name}")
        assert alg is not None, name
        defaults = vars(p.parse_args(
            sum(([q.flag, "x"] for q in analysis.params
                 if q.kind in ("stack", "raster", "file", "raster_out") and not q.optional),
                [])))
        for qp in alg.parameterDefinitions():
            key = dest(qp.name())
            assert key in defaults, (name, qp.name())
            if qp.type() in ("number", "enum", "string") and qp.defaultValue() is not None:
                assert defaults[key] == qp.defaultValue(), (name, qp.name())


def test_zonalsummary_command_equals_the_toolbox(acc_provider, example, acc_data,
                                                 tmp_path, capsys):
    common = {"INPUT": [example["npp_stack"]], "ZONES": example["regions"],
              "ZONE_FIELD": "name", "LANDCOVER": acc_data["landcover_2000"],
              "CLASS_NAMES": acc_data["class_names"], "RATIOS": ""}
    res = run("zonalsummary", dict(common, UNIT=3, OUTPUT_TABLE="memory:",
                                   OUTPUT_SUMMARY="memory:"))
    box = records(res["OUTPUT_SUMMARY"])
    out = tmp_path / "summary.csv"
    rc, stdout, err = cli(capsys, "zonalsummary", "--input", example["npp_stack"],
                          "--zones", example["regions"], "--zone-field", "name",
                          "--landcover", acc_data["landcover_2000"], "--class-names",
                          acc_data["class_names"], "--unit", "Tg C",
                          "--output-summary", out, "-q")
    assert rc == 0, err
    assert f"OUTPUT_SUMMARY: {out}" in stdout
    rows = read_csv(out)
    assert len(rows) == len(box) > 10
    for got, exp in zip(rows, box):
        assert (got["zone"], got["class_name"] or None) == (exp["zone"], exp["class_name"])
        for k in ("area_km2", "total_mean", "total_sd", "share_pct"):
            if exp[k] is None:
                assert got[k] == ""
            else:
                assert float(got[k]) == pytest.approx(exp[k], rel=1e-12)


def test_carbonbudget_command_reads_the_emission_field(acc_provider, acc_data, tmp_path,
                                                       capsys):
    res = run("carbonbudget", {
        "NEP": [acc_data["nep"]], "RUNOFF": acc_data["runoff"],
        "LITHOLOGY": acc_data["lithology"], "COEFFICIENTS": acc_data["coefficients"],
        "ZONES": acc_data["zones"], "ZONE_FIELD": "name", "EMISSION_FIELD": "emission_tg",
        "ZONE_EMISSION_UNIT": 3, "UNIT": 3, "OUTPUT_RCS": str(tmp_path / "r1.tif"),
        "OUTPUT_ECS": str(tmp_path / "e1.tif"), "OUTPUT_TABLE": "memory:"})
    box = records(res["OUTPUT_TABLE"])
    table = tmp_path / "budget.csv"
    rc, _, err = cli(capsys, "carbonbudget", "--nep", acc_data["nep"], "--runoff",
                     acc_data["runoff"], "--lithology", acc_data["lithology"],
                     "--coefficients", acc_data["coefficients"], "--zones", acc_data["zones"],
                     "--zone-field", "name", "--emission-field", "emission_tg",
                     "--zone-emission-unit", "3", "--output-rcs", tmp_path / "r2.tif",
                     "--output-ecs", tmp_path / "e2.tif", "--output-table", table, "-q")
    assert rc == 0, err
    rows = read_csv(table)
    assert [r["zone"] for r in rows] == [r["zone"] for r in box]
    assert any(r["ce_total"] not in ("", "0.0") for r in rows)
    for got, exp in zip(rows, box):
        for k in ("nep_total", "rcs_total", "ce_total", "cnc_total"):
            assert float(got[k]) == pytest.approx(exp[k], rel=1e-12)
    a, _ = read_tif(str(tmp_path / "e1.tif"))
    b, _ = read_tif(str(tmp_path / "e2.tif"))
    np.testing.assert_array_equal(a, b)


def test_regrid_command_writes_the_toolbox_bits_and_coverage(acc_provider, example,
                                                              tmp_path, capsys):
    src = example["npp_stack"]
    run("regrid", {"INPUT": src, "RESOLUTION": 0.5, "OUTPUT": str(tmp_path / "a.tif"),
                   "OUTPUT_COVERAGE": str(tmp_path / "ca.tif")})
    rc, _, err = cli(capsys, "regrid", "--input", src, "--resolution", "0.5",
                     "--output", tmp_path / "b.tif", "--output-coverage", tmp_path / "cb.tif")
    assert rc == 0, err
    for x, y in (("a", "b"), ("ca", "cb")):
        a, _ = read_tif(str(tmp_path / f"{x}.tif"))
        b, _ = read_tif(str(tmp_path / f"{y}.tif"))
        np.testing.assert_array_equal(a, b)
    cov, _ = read_tif(str(tmp_path / "cb.tif"))
    assert np.nanmin(cov) >= 0 and np.nanmax(cov) <= 1 + 1e-12
    assert (tmp_path / "b.qml").exists()


def test_declared_command_errors_are_one_line(example, tmp_path, capsys):
    rc, _, err = cli(capsys, "regrid", "--input", example["npp_stack"], "--output",
                     tmp_path / "x.tif")
    assert rc == 1
    assert err.strip() == ("carbonsink: error: give a reference raster or a cell size for "
                           "the target grid")
    rc, _, err = cli(capsys, "regrid", "--input", example["npp_stack"], "--kind", "lines",
                     "--resolution", "1", "--output", tmp_path / "x.tif")
    assert rc == 1 and "invalid choice: 'lines' (choose from flux, classes)" in err
    rc, _, err = cli(capsys, "regrid", "--input", example["npp_stack"], "--min-coverage",
                     "2", "--resolution", "1", "--output", tmp_path / "x.tif")
    assert rc == 1 and "outside 0..1" in err
    rc, _, err = cli(capsys, "zonalsummary", "--input", example["npp_stack"])
    assert rc == 1 and "no output was asked for" in err
    assert not list(tmp_path.iterdir())


def test_abruptchange_command_equals_the_toolbox(acc_provider, example, tmp_path, capsys):
    res = run("abruptchange", {"INPUT": [example["npp_stack"]], "FIRST_YEAR": 2000,
                               "ZONES": example["regions"], "ZONE_FIELD": "name",
                               "OUTPUT_TABLE": "memory:", "OUTPUT_SUMMARY": "memory:"})
    box = records(res["OUTPUT_SUMMARY"])
    out, html = tmp_path / "summary.csv", tmp_path / "abrupt.html"
    rc, _, err = cli(capsys, "abruptchange", "--input", example["npp_stack"], "--zones",
                     example["regions"], "--zone-field", "name", "--output-summary", out,
                     "--output-html", html)
    assert rc == 0, err
    rows = read_csv(out)
    assert [r["zone"] for r in rows] == [r["zone"] for r in box] and len(rows) == 4
    for got, exp in zip(rows, box):
        assert int(got["pixels"]) == exp["pixels"]
        assert float(got["pettitt_year"]) == exp["pettitt_year"]
        assert float(got["pettitt_p"]) == pytest.approx(exp["pettitt_p"], rel=1e-12)
        assert got["crossing_years"] == (exp["crossing_years"] or "")
    assert "<svg" in html.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if "zones" in p.name]


def test_resilience_command_equals_the_toolbox(acc_provider, example, tmp_path, capsys):
    """resilience on the command line (declared in core/runs/resilience.py):
    the toolbox's summary (tau_p, tau_n, RS, level per region), the same
    maintained-years raster (bit for bit) and its own diverging style."""
    res = run("resilience", {"INPUT": [example["npp_stack"]], "ZONES": example["regions"],
                             "ZONE_FIELD": "name", "OUTPUT_TABLE": "memory:",
                             "OUTPUT_SUMMARY": "memory:", "OUTPUT_CSV": None,
                             "OUTPUT_REPORT": None,
                             "OUTPUT_YEARS": str(tmp_path / "box_years.tif")})
    box = records(res["OUTPUT_SUMMARY"])
    out = {k: tmp_path / f"cli_{k}" for k in ("summary.csv", "table.csv", "years.tif")}
    rc, stdout, err = cli(capsys, "resilience", "--input", example["npp_stack"],
                          "--zones", example["regions"], "--zone-field", "name",
                          "--output-summary", out["summary.csv"],
                          "--output-table", out["table.csv"],
                          "--output-years", out["years.tif"], "-q")
    assert rc == 0, err
    rows = read_csv(out["summary.csv"])
    assert [r["zone"] for r in rows] == [r["zone"] for r in box] and len(rows) >= 3
    for got, exp in zip(rows, box):
        assert got["level"] == exp["level"] and got["ref_year"] == str(exp["ref_year"])
        for k in ("tau_p", "tau_n", "rs"):
            if exp[k] is None:
                assert got[k] in ("", "nan")
            else:
                assert float(got[k]) == pytest.approx(exp[k], rel=1e-12), (got["zone"], k)
    a, _ = read_tif(str(out["years.tif"]))
    b, _ = read_tif(str(tmp_path / "box_years.tif"))
    assert np.array_equal(a, b, equal_nan=True) and np.isfinite(a).sum() > 1000
    from osgeo import gdal
    ds = gdal.Open(str(out["years.tif"]))
    assert ds.GetRasterBand(1).DataType == gdal.GDT_Int16
    assert ds.GetRasterBand(1).GetNoDataValue() == -32768
    qml = (tmp_path / "cli_years.qml").read_text(encoding="utf-8")
    assert "kept to the last year" in qml and 'classificationMin="-' in qml
    table = read_csv(out["table.csv"])
    assert {"zone", "year", "n_pos", "n_neg"} <= set(table[0])
    assert sum(int(r["n_pos"]) + int(r["n_neg"]) for r in table if r["year"] == str(
        rows[0]["ref_year"]) and r["zone"] == rows[0]["zone"]) > 0


# ------------------------------------------------------------ spatial commands
@pytest.fixture(scope="module")
def columbus_path():
    libpysal = pytest.importorskip("libpysal")
    return libpysal.examples.get_path("columbus.shp")


def test_moran_command_equals_esda_and_the_toolbox(spatial_algs, columbus_path, tmp_path,
                                                   capsys):
    """moran on a polygon file (OGR, queen contiguity): esda's I, z and p, and
    the toolbox's pseudo p with the same seed."""
    esda = pytest.importorskip("esda")
    libpysal = pytest.importorskip("libpysal")
    from osgeo import ogr
    ds = ogr.Open(columbus_path)
    crime = np.array([f.GetField("CRIME") for f in ds.GetLayer()], float)
    ds = None
    ref = esda.Moran(crime, libpysal.weights.Queen.from_shapefile(columbus_path),
                     transformation="r", permutations=0)
    out = tmp_path / "moran.csv"
    rc, _, err = cli(capsys, "moran", "--vector", columbus_path, "--field", "CRIME",
                     "--permutations", 99, "--seed", 3, "--output", out, "-q")
    assert rc == 0, err
    (row,) = read_csv(out)
    assert float(row["I"]) == pytest.approx(ref.I, rel=1e-12)
    assert float(row["z_norm"]) == pytest.approx(ref.z_norm, rel=1e-9)
    assert float(row["p_rand"]) == pytest.approx(ref.p_rand, rel=1e-9)
    assert (int(row["n"]), int(row["islands"])) == (49, 0)
    box = run("moran", {"VECTOR": columbus_path, "FIELD": "CRIME", "PERMUTATIONS": 99,
                        "SEED": 3, "OUTPUT": str(tmp_path / "box.csv")})
    (exp,) = read_csv(box["OUTPUT"])            # QGIS writes 15 significant digits
    assert row.keys() == exp.keys()
    for k in row:
        assert float(row[k]) == pytest.approx(float(exp[k]), rel=1e-13), k


def test_lisa_and_hotspots_vector_commands_equal_the_toolbox(spatial_algs, columbus_path,
                                                             tmp_path, capsys):
    from osgeo import ogr

    def fields(path, names):
        ds = ogr.Open(str(path))
        rows = [[f.GetField(n) for n in names] + [f.GetField("POLYID")]
                for f in ds.GetLayer()]
        ds = None
        return rows
    for name, extra, cols in (("lisa", ["--permutations", 199, "--seed", 11],
                               ["lisa_I", "lisa_q", "lisa_p", "lisa_cluster"]),
                              ("hotspots", ["--weights", "rook"], ["gi_z", "gi_p", "gi_class"])):
        out = tmp_path / f"{name}.gpkg"
        rc, _, err = cli(capsys, name, "--vector", columbus_path, "--field", "CRIME",
                         *extra, "--output", out, "-q")
        assert rc == 0, err
        params = {"VECTOR": columbus_path, "FIELD": "CRIME", "OUTPUT":
                  str(tmp_path / f"box_{name}.gpkg")}
        params.update({"PERMUTATIONS": 199, "SEED": 11} if name == "lisa"
                      else {"WEIGHTS": 1})
        box = run(name, params)
        got, exp = fields(out, cols), fields(box["OUTPUT"], cols)
        assert len(got) == 49 and got == exp
        assert len({r[-2] for r in got}) >= 3           # several classes
    geo = tmp_path / "lisa.geojson"
    rc, _, err = cli(capsys, "lisa", "--vector", columbus_path, "--field", "CRIME",
                     "--seed", 1, "--output", geo, "-q")
    assert rc == 0 and len(fields(geo, ["lisa_cluster"])) == 49


def test_raster_spatial_commands_equal_the_toolbox(spatial_algs, example, tmp_path, capsys):
    """hotspots and lisa on a raster band (rasters bit for bit, class styles
    written), gini per region of a raster."""
    from helpers import write_tif
    data = np.random.default_rng(9).normal(size=(10, 12)).cumsum(axis=1)
    data[3, 4] = np.nan
    tif = write_tif(tmp_path / "in.tif", data)
    rc, _, err = cli(capsys, "hotspots", "--raster", tif, "--weights", "rook",
                     "--output-class", tmp_path / "c.tif", "--output-z", tmp_path / "z.tif",
                     "-q")
    assert rc == 0, err
    run("hotspots", {"RASTER": tif, "WEIGHTS": 1, "OUTPUT_CLASS": str(tmp_path / "bc.tif"),
                     "OUTPUT_Z": str(tmp_path / "bz.tif")})
    for a, b in (("c", "bc"), ("z", "bz")):
        np.testing.assert_array_equal(read_tif(str(tmp_path / f"{a}.tif"))[0],
                                      read_tif(str(tmp_path / f"{b}.tif"))[0])
    assert "Hot spot" in (tmp_path / "c.qml").read_text(encoding="utf-8")
    rc, _, err = cli(capsys, "lisa", "--raster", tif, "--seed", 5, "--permutations", 99,
                     "--output-cluster", tmp_path / "lc.tif", "-q")
    assert rc == 0, err
    run("lisa", {"RASTER": tif, "SEED": 5, "PERMUTATIONS": 99,
                 "OUTPUT_CLUSTER": str(tmp_path / "blc.tif")})
    np.testing.assert_array_equal(read_tif(str(tmp_path / "lc.tif"))[0],
                                  read_tif(str(tmp_path / "blc.tif"))[0])
    out = tmp_path / "gini.csv"
    rc, _, err = cli(capsys, "gini", "--raster", example["npp_stack"], "--band", 3,
                     "--zones", example["regions"], "--zone-field", "name", "--method",
                     "segmented", "--output", out, "-q")
    assert rc == 0, err
    box = run("gini", {"RASTER": example["npp_stack"], "BAND": 3, "ZONES": example["regions"],
                       "ZONE_FIELD": "name", "METHOD": 2, "OUTPUT": str(tmp_path / "bg.csv")})
    got, exp = read_csv(out), read_csv(box["OUTPUT"])
    assert len(got) >= 3 and [r["zone"] for r in got] == [r["zone"] for r in exp]
    for g, e in zip(got, exp):
        assert g["n"] == e["n"] and g["band"] == e["band"]
        assert float(g["gini"]) == pytest.approx(float(e["gini"]), rel=1e-12)


def test_spatial_command_errors_are_one_line(columbus_path, tmp_path, capsys):
    from helpers import write_tif
    tif = write_tif(tmp_path / "in.tif", np.arange(30.0).reshape(5, 6))
    for argv, words in (
            (["lisa", "--raster", tif, "--output", tmp_path / "x.gpkg"],
             "give at least one raster output (--output-i"),
            (["moran", "--output", tmp_path / "m.csv"], "exactly one input"),
            (["moran", "--vector", columbus_path, "--field", "NOPE", "--output",
              tmp_path / "m.csv"], "has no field 'NOPE'"),
            (["hotspots", "--vector", columbus_path, "--field", "CRIME", "--output",
              tmp_path / "h.shp"], "GeoPackage (.gpkg) or GeoJSON"),
            (["moran", "--vector", columbus_path, "--field", "CRIME", "--weights",
              "distance", "--output", tmp_path / "m.csv"], "threshold")):
        rc, _, err = cli(capsys, *argv)
        assert rc == 1 and words in err and "Traceback" not in err, (argv, err)
        assert len(err.strip().splitlines()) == 1 or err.count("error:") == 1
    assert not list(tmp_path.glob("x.gpkg*")) and not list(tmp_path.glob("h.*"))
    assert not list(tmp_path.glob("m.csv"))


def test_every_toolbox_algorithm_has_a_command(spatial_algs):
    """python -m carbonsink --help lists every algorithm of the provider (the
    shipped models are QGIS models: they run in QGIS and qgis_process)."""
    from qgis.core import QgsProcessingModelAlgorithm
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    toolbox = {a.name() for a in spatial_algs.algorithms()
               if not isinstance(a, QgsProcessingModelAlgorithm)}
    assert len(toolbox) >= 26
    assert toolbox == set(sub.choices), toolbox ^ set(sub.choices)


def test_vector_commands_write_the_toolbox_style_beside_the_copy(spatial_algs, columbus_path,
                                                                  tmp_path, capsys):
    """lisa and hotspots on the command line write a categorized .qml beside
    the copy (polygons: fills; points: markers) that QGIS opens it with: the
    class colours of the toolbox's renderer."""
    from osgeo import ogr, osr
    from qgis.core import QgsVectorLayer

    from carbonsink.core.classes import HOTSPOT_CLASSES, LISA_CLASSES
    out = tmp_path / "lisa.gpkg"
    rc, _, err = cli(capsys, "lisa", "--vector", columbus_path, "--field", "CRIME", "--seed",
                     2, "--output", out, "-q")
    assert rc == 0, err
    assert (tmp_path / "lisa.qml").exists()
    lyr = QgsVectorLayer(str(out), "lisa", "ogr")          # the default style: the sidecar
    r = lyr.renderer()
    assert r.type() == "categorizedSymbol" and r.classAttribute() == "lisa_cluster"
    assert {int(c.value()): c.symbol().color().name() for c in r.categories()} == \
        {code: colour for code, colour, _ in LISA_CLASSES}
    # points (a GeoJSON of 30 points, k nearest neighbours): marker symbols
    pts = tmp_path / "pts.geojson"
    ds = ogr.GetDriverByName("GeoJSON").CreateDataSource(str(pts))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(3857)
    layer = ds.CreateLayer("pts", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("v", ogr.OFTReal))
    rng = np.random.default_rng(1)
    for i in range(30):
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("v", float(rng.normal() + i // 10))
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({i % 6 * 100} {i // 6 * 100})"))
        layer.CreateFeature(f)
    ds = None
    gi = tmp_path / "gi.gpkg"
    rc, _, err = cli(capsys, "hotspots", "--vector", pts, "--field", "v", "--weights", "knn",
                     "--k", 4, "--output", gi, "-q")
    assert rc == 0, err
    gi_layer = QgsVectorLayer(str(gi), "gi", "ogr")       # keep it: it owns the renderer
    r = gi_layer.renderer()
    assert r.type() == "categorizedSymbol" and r.classAttribute() == "gi_class"
    assert {int(c.value()): c.symbol().color().name() for c in r.categories()} == \
        {code: colour for code, colour, _ in HOTSPOT_CLASSES}
    assert "SimpleMarker" in (tmp_path / "gi.qml").read_text(encoding="utf-8")
    rc, _, err = cli(capsys, "hotspots", "--vector", pts, "--field", "v", "--weights", "knn",
                     "--output", tmp_path / "plain.gpkg", "--no-styles", "-q")
    assert rc == 0 and not (tmp_path / "plain.qml").exists()


# ------------------------------------------------------------ per-pixel commands
def test_senmk_command_with_toolbox_names_equals_the_toolbox_and_pymannkendall(
        acc_provider, example, tmp_path, capsys):
    """senmk declared once: the command with the toolbox's flags writes the
    toolbox's rasters bit for bit; the new intercept and S outputs equal
    pymannkendall's at sampled pixels (years 2000.., Hamed-Rao)."""
    pmk = pytest.importorskip("pymannkendall")
    keys = ("SLOPE", "Z", "P", "TAU", "CLASS", "INTERCEPT", "S")
    box = {k: str(tmp_path / f"box_{k}.tif") for k in keys}
    run("senmk", {"INPUT": [example["npp_stack"]], "FIRST_YEAR": 2000, "METHOD": 1,
                  "MIN_VALID": 10, **{f"OUTPUT_{k}": v for k, v in box.items()}})
    flags = sum(([f"--output-{k.lower()}", tmp_path / f"cli_{k}.tif"] for k in keys), [])
    rc, out, err = cli(capsys, "senmk", "--input", example["npp_stack"], "--first-year",
                       "2000", "--method", "hamed_rao", "--min-valid", "10", *flags, "-q")
    assert rc == 0, err
    assert f"OUTPUT_SLOPE: {tmp_path / 'cli_SLOPE.tif'}" in out
    for k in keys:
        a, ds_a = read_tif(tmp_path / f"cli_{k}.tif")
        b, ds_b = read_tif(box[k])
        assert np.array_equal(a, b, equal_nan=True), k
        assert ds_a.GetRasterBand(1).DataType == ds_b.GetRasterBand(1).DataType, k
    y, _ = read_tif(example["npp_stack"])
    icpt, _ = read_tif(box["INTERCEPT"])
    s, _ = read_tif(box["S"])
    rng = np.random.default_rng(3)
    # complete series (pymannkendall counts positions 0..n-1, not years, so its
    # intercept is ours moved to the first year)
    rows, cols = np.nonzero(np.isfinite(y).all(axis=0))
    pick = rng.choice(len(rows), 20, replace=False)
    for i, j in zip(rows[pick], cols[pick]):
        res = pmk.hamed_rao_modification_test(y[:, i, j])
        # a float32 output at year 0: within one unit in its last place
        ulp = float(np.spacing(np.float32(abs(icpt[i, j]))))
        assert icpt[i, j] + res.slope * 2000 == pytest.approx(res.intercept, abs=ulp)
        assert s[i, j] == res.s


def test_partialcorrelation_driver_names_on_both_surfaces(acc_provider, example, tmp_path,
                                                          capsys):
    """DRIVER_NAMES names the bands in the toolbox and on the command line
    (repeated --driver-name, the earlier flag, joins them); the numbers are
    the same."""
    from osgeo import gdal
    box = str(tmp_path / "box_r.tif")
    run("partialcorrelation", {"INPUT": [example["npp_stack"]],
                               "DRIVERS": [example["temperature_annual"],
                                           example["precipitation_annual"]],
                               "DRIVER_NAMES": "T, P", "OUTPUT_R": box,
                               "OUTPUT_P": "TEMPORARY_OUTPUT",
                               "OUTPUT_CLASS": "TEMPORARY_OUTPUT"})
    cli_r = tmp_path / "cli_r.tif"
    rc, _, err = cli(capsys, "partialcorrelation", "--input", example["npp_stack"],
                     "--driver", example["temperature_annual"], "--driver",
                     example["precipitation_annual"], "--driver-name", "T", "--driver-name",
                     "P", "--output-r", cli_r)
    assert rc == 0, err
    for path in (box, cli_r):
        ds = gdal.Open(str(path))
        assert [ds.GetRasterBand(b).GetDescription() for b in (1, 2)] == ["T", "P"]
    assert np.array_equal(read_tif(box)[0], read_tif(cli_r)[0], equal_nan=True)
    rc, _, err = cli(capsys, "partialcorrelation", "--input", example["npp_stack"],
                     "--drivers", example["temperature_annual"], "--driver-names", "T,P,X",
                     "--output-r", tmp_path / "x.tif")
    assert rc == 1 and err.strip().splitlines()[-1] == \
        "carbonsink: error: 3 driver names for 1 driver stacks"
