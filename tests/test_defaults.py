"""Every algorithm with a single raster stack input runs with its defaults
and only its required inputs (issue 14 item 1): the first Run of a new user
succeeds. The three that used to fail: resilience (reference year 2000 = the
first year), lisa and hotspots on a raster (every raster output skipped)."""
import os

import numpy as np
import pytest
from helpers import read_tif, write_tif
from qgis.core import QgsApplication, QgsProcessingContext
from test_algorithms import Feedback


def run_defaults(alg_id, required):
    """processing.run with only ``required`` set and every output as the
    dialog leaves it: a temporary file where the output is created by
    default, skipped otherwise."""
    import processing
    from qgis.core import QgsProcessing
    alg = QgsApplication.processingRegistry().algorithmById(alg_id)
    assert alg is not None, alg_id
    params = dict(required)
    for p in alg.destinationParameterDefinitions():
        if p.name() not in params and p.createByDefault():
            params[p.name()] = QgsProcessing.TEMPORARY_OUTPUT
    context = QgsProcessingContext()
    fb = Feedback()
    res = processing.run(alg_id, params, context=context, feedback=fb)
    return res, fb, context


@pytest.mark.parametrize("name", ["senmk", "lineartrend", "variation", "hurst",
                                  "carryingcapacity", "resilience"])
def test_stack_algorithms_run_with_defaults(provider, example, name):
    res, fb, _ = run_defaults(f"carbonsink:{name}", {"INPUT": [example["npp_stack"]]})
    written = [v for v in res.values() if isinstance(v, str) and os.path.isfile(v)]
    assert written, res
    if name == "resilience":
        assert any("Reference year: 2006 (the middle year of the stack)" in i
                   for i in fb.infos), fb.infos


@pytest.mark.parametrize("name,key,expected", [("lisa", "OUTPUT_CLUSTER", "cluster"),
                                               ("hotspots", "OUTPUT_CLASS", "class")])
def test_spatial_algorithms_on_a_raster_run_with_defaults(spatial_algs, tmp_path, name, key,
                                                          expected):
    rng = np.random.default_rng(5)
    data = rng.normal(size=(12, 14)).cumsum(axis=0)
    tif = write_tif(tmp_path / "in.tif", data)
    res, fb, context = run_defaults(f"carbonsink:{name}", {"RASTER": tif})
    path = res[key]
    assert os.path.isfile(path)
    classes, _ = read_tif(path)
    assert np.isfinite(classes).all()
    assert any("No raster output was chosen" in i for i in fb.infos)
    assert os.path.isfile(os.path.splitext(path)[0] + ".qml")     # styled when it loads


def test_qgis_process_help_is_plain_text(tmp_path):
    import subprocess
    exe = "/usr/bin/qgis_process.bin"
    if not os.path.exists(exe):
        pytest.skip("qgis_process.bin not installed")
    from test_models import qgis_process_env
    proc = subprocess.run([exe, "help", "carbonsink:senmk"], capture_output=True, text=True,
                          env=qgis_process_env(tmp_path), timeout=300,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "Theil-Sen slope and Mann-Kendall trend test per pixel" in text
    assert "- Sen slope = median over all pairs i < j of (y_j - y_i)" in text
    assert "Σ" in text and "√Var" in text
    assert "<p>" not in text and "&lt;" not in text and "<sub>" not in text


def test_dialog_help_stays_html(provider):
    alg = QgsApplication.processingRegistry().algorithmById("carbonsink:senmk")
    assert "<li>" in alg.shortHelpString()


def test_class_rasters_carry_their_classes_for_other_software(provider, example, tmp_path):
    """GDAL (and ArcGIS, R) read the class names and colours from the RAT."""
    from osgeo import gdal
    out = str(tmp_path / "cls.tif")
    run_defaults("carbonsink:senmk", {"INPUT": [example["npp_stack"]], "FIRST_YEAR": 2000,
                                      "OUTPUT_CLASS": out})
    # GDAL 3.6 and 3.10 keep the RAT in cls.tif.aux.xml, GDAL 3.13 (sid) inside the GeoTIFF
    assert sorted(os.listdir(tmp_path)) in (["cls.qml", "cls.tif", "cls.tif.aux.xml"],
                                            ["cls.qml", "cls.tif"])
    ds = gdal.Open(out)                         # keep the dataset alive while its band is used
    rat = ds.GetRasterBand(1).GetDefaultRAT()
    assert rat is not None and rat.GetRowCount() == 9
    rows = {rat.GetValueAsInt(i, 0): (rat.GetValueAsString(i, 4),
                                      tuple(rat.GetValueAsInt(i, k) for k in (1, 2, 3)))
            for i in range(rat.GetRowCount())}
    assert rows[4] == ("Extremely significant increase (|Z| > 2.58)", (0, 104, 55))
    assert rows[-4][0].startswith("Extremely significant decrease")


NC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".realdata",
                  "stars", "usr", "lib", "R", "site-library", "stars", "nc", "bcsd_obs_1999.nc")


def test_nep_reads_netcdf_variables(provider, tmp_path):
    """Real monthly climate (bcsd_obs_1999.nc: tas deg C, pr mm, 12 months,
    81 x 33 cells) given as GDAL subdatasets NETCDF:"file":variable, as
    climate data comes (issue 14 item 8)."""
    if not os.path.exists(NC):
        pytest.skip("real data missing: run make realdata (r-cran-stars)")
    from osgeo import gdal

    import carbonsink.core as cs
    tas, pr = f'NETCDF:"{NC}":tas', f'NETCDF:"{NC}":pr'
    t_ds, p_ds = gdal.Open(tas), gdal.Open(pr)
    assert t_ds.RasterCount == 12 and (t_ds.RasterXSize, t_ds.RasterYSize) == (81, 33)
    npp_path = str(tmp_path / "npp_1999.tif")
    ds = gdal.GetDriverByName("GTiff").Create(npp_path, 81, 33, 1, gdal.GDT_Float32)
    ds.SetGeoTransform(t_ds.GetGeoTransform())
    if t_ds.GetProjection():
        ds.SetProjection(t_ds.GetProjection())
    npp = 400 + 10 * np.arange(81 * 33, dtype=np.float64).reshape(33, 81) / 81
    ds.GetRasterBand(1).WriteArray(npp)
    ds = None
    out = str(tmp_path / "nep.tif")
    run_defaults("carbonsink:nep", {"NPP": [npp_path], "TEMPERATURE": [tas],
                                    "PRECIPITATION": [pr], "FIRST_YEAR": 1999, "MODE": 1,
                                    "OUTPUT_NEP": out})
    nep, _ = read_tif(out)
    t = t_ds.ReadAsArray().astype(float)
    p = p_ds.ReadAsArray().astype(float)
    for a, band in ((t, t_ds.GetRasterBand(1)), (p, p_ds.GetRasterBand(1))):
        nd = band.GetNoDataValue()
        if nd is not None:
            a[a == nd] = np.nan
    rh = cs.heterotrophic_respiration(t, p, mode="monthly")[0]
    ok = np.isfinite(rh)
    assert ok.sum() > 1000                                       # land cells of the grid
    np.testing.assert_allclose(nep[ok], (npp - rh)[ok].astype(np.float32), rtol=1e-6)
    assert np.isnan(nep[~ok]).all()


def test_qgis_process_takes_netcdf_variables(tmp_path):
    import subprocess
    exe = "/usr/bin/qgis_process.bin"
    if not os.path.exists(exe) or not os.path.exists(NC):
        pytest.skip("qgis_process.bin or the real data (make realdata) missing")
    from osgeo import gdal
    from test_models import qgis_process_env
    t_ds = gdal.Open(f'NETCDF:"{NC}":tas')
    npp_path = str(tmp_path / "npp.tif")
    ds = gdal.GetDriverByName("GTiff").Create(npp_path, 81, 33, 1, gdal.GDT_Float32)
    ds.SetGeoTransform(t_ds.GetGeoTransform())
    ds.GetRasterBand(1).WriteArray(np.full((33, 81), 500.0))
    ds = None
    out = tmp_path / "nep.tif"
    proc = subprocess.run([exe, "run", "carbonsink:nep", f"--NPP={npp_path}",
                           f'--TEMPERATURE=NETCDF:"{NC}":tas', f'--PRECIPITATION=NETCDF:"{NC}":pr',
                           "--FIRST_YEAR=1999", "--MODE=1", f"--OUTPUT_NEP={out}",
                           f"--OUTPUT_CLASS={tmp_path / 'c.tif'}"], capture_output=True,
                          text=True, env=qgis_process_env(tmp_path), timeout=300,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    nep, _ = read_tif(out)
    assert np.isfinite(nep).sum() > 1000 and np.nanmax(nep) < 500


def test_continuous_outputs_open_with_a_ramp(provider, example, tmp_path):
    """Slopes load with a diverging ramp centred on 0, p in significance
    classes, multiband NEP as one band (issue 14 item 3)."""
    from qgis.core import QgsRasterLayer
    out = {k: str(tmp_path / f"{k}.tif") for k in ("SLOPE", "Z", "P", "TAU", "CLASS")}
    run_defaults("carbonsink:senmk", {"INPUT": [example["npp_stack"]], "FIRST_YEAR": 2000,
                                      **{f"OUTPUT_{k}": v for k, v in out.items()}})
    slope = QgsRasterLayer(out["SLOPE"], "slope")
    r = slope.renderer()
    assert r.type() == "singlebandpseudocolor" and r.band() == 1
    assert r.classificationMin() == pytest.approx(-r.classificationMax())
    a, _ = read_tif(out["SLOPE"])
    assert r.classificationMax() == pytest.approx(np.nanmax(np.abs(a)), rel=1e-6)
    p_layer = QgsRasterLayer(out["P"], "p")       # layers stay referenced while used
    items = p_layer.renderer().shader().rasterShaderFunction().colorRampItemList()
    assert [round(i.value, 3) for i in items] == [0.01, 0.05, 0.1, 1.0]
    c_layer = QgsRasterLayer(out["CLASS"], "c")
    assert c_layer.renderer().type() == "paletted"
    nep = str(tmp_path / "nep.tif")
    run_defaults("carbonsink:nep", {"NPP": example["npp"],
                                    "TEMPERATURE": [example["temperature_monthly"]],
                                    "PRECIPITATION": [example["precipitation_monthly"]],
                                    "FIRST_YEAR": 2000, "OUTPUT_NEP": nep})
    lyr = QgsRasterLayer(nep, "nep")
    assert lyr.bandCount() == 12 and lyr.renderer().type() == "singlebandpseudocolor"
