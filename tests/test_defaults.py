"""Every algorithm with a single raster stack input runs with its defaults
and only its required inputs (issue 14 item 1): the first Run of a new user
succeeds. The three that used to fail: resilience (reference year 2000 = the
first year), lisa and hotspots on a raster (every raster output skipped)."""
import os

import numpy as np
import pytest
from qgis.core import QgsApplication, QgsProcessingContext

from helpers import read_tif, write_tif
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


@pytest.fixture(scope="module")
def spatial_algs(provider):
    import carbonsink.algorithms as A
    from carbonsink.algorithms import spatial as S
    added = [c for c in S.ALGORITHMS if c not in A.ALGORITHMS]
    A.ALGORITHMS.extend(added)
    provider.refreshAlgorithms()
    yield provider
    for c in added:
        A.ALGORITHMS.remove(c)
    provider.refreshAlgorithms()


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
    assert sorted(os.listdir(tmp_path)) == ["cls.qml", "cls.tif", "cls.tif.aux.xml"]
    ds = gdal.Open(out)                         # keep the dataset alive while its band is used
    rat = ds.GetRasterBand(1).GetDefaultRAT()
    assert rat is not None and rat.GetRowCount() == 9
    rows = {rat.GetValueAsInt(i, 0): (rat.GetValueAsString(i, 4),
                                      tuple(rat.GetValueAsInt(i, k) for k in (1, 2, 3)))
            for i in range(rat.GetRowCount())}
    assert rows[4] == ("Extremely significant increase (|Z| > 2.58)", (0, 104, 55))
    assert rows[-4][0].startswith("Extremely significant decrease")
