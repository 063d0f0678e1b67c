"""Toolbox algorithms through processing.run (pytest-qgis): values, georeferencing,
nodata, styling, and clear messages for bad input."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from helpers import GT, read_tif, write_tif
from osgeo import gdal
from qgis.core import QgsProcessingException, QgsProcessingFeedback, QgsRasterLayer

import carbonsink.core as cs
from carbonsink.core.io import RasterStack

YEARS = np.arange(2000, 2012, dtype=float)


class Feedback(QgsProcessingFeedback):
    """Keeps what the algorithm says; optionally cancels after some progress."""

    def __init__(self, cancel_at=None):
        super().__init__()
        self.infos, self.errors, self.cancel_at = [], [], cancel_at
        self.progressChanged.connect(self._progress)

    def _progress(self, value):
        if self.cancel_at is not None and value >= self.cancel_at:
            self.cancel()

    def pushInfo(self, info):  # noqa: N802
        self.infos.append(info)

    def reportError(self, error, fatalError=False):  # noqa: N802
        self.errors.append(error)


def run(alg, params, feedback=None):
    import processing
    return processing.run(f"carbonsink:{alg}", params, feedback=feedback or Feedback())


def run_error(provider, alg, params):
    """Run through processing.run; return the error text it reported."""
    fb = Feedback()
    with pytest.raises(QgsProcessingException) as err:
        run(alg, params, fb)
    text = " ".join([str(err.value)] + fb.errors)
    assert "Traceback" not in text
    return text


def stack_of(paths):
    s = RasterStack(paths)
    return s.read(0, 0, s.grid.cols, s.grid.rows)


def test_provider_lists_the_algorithms(provider):
    ids = {a.id() for a in provider.algorithms()}
    assert ids >= {"carbonsink:carryingcapacity", "carbonsink:lineartrend", "carbonsink:nep",
                   "carbonsink:senmk", "carbonsink:variation", "carbonsink:hurst",
                   "carbonsink:partialcorrelation", "carbonsink:abruptchange",
                   "carbonsink:resilience", "carbonsink:pixelarea", "carbonsink:zonalsummary",
                   "carbonsink:transitionmatrix", "carbonsink:carbonbudget",
                   "carbonsink:sinkscenario", "carbonsink:ensemble", "carbonsink:regrid",
                   "carbonsink:moran", "carbonsink:lisa", "carbonsink:hotspots", "carbonsink:gini"}
    for alg in provider.algorithms():
        assert "Source" in alg.shortHelpString()          # help cites its sources


def test_senmk_values_georeferencing_and_style(provider, example, tmp_path):
    out = {k: str(tmp_path / f"{k}.tif") for k in ("slope", "z", "p", "tau", "class")}
    res = run("senmk", {"INPUT": example["npp"], "FIRST_YEAR": 2000, "MIN_VALID": 10,
                        "OUTPUT_SLOPE": out["slope"], "OUTPUT_Z": out["z"], "OUTPUT_P": out["p"],
                        "OUTPUT_TAU": out["tau"], "OUTPUT_CLASS": out["class"]})
    assert res["OUTPUT_SLOPE"] == out["slope"]
    y = stack_of(example["npp"])
    ref = cs.mann_kendall(y, YEARS, min_valid=10)
    slope, ds = read_tif(out["slope"])
    np.testing.assert_array_equal(slope, ref.slope.astype(np.float32).astype(float))
    z, _ = read_tif(out["z"])
    np.testing.assert_array_equal(z, ref.z.astype(np.float32).astype(float))
    src = gdal.Open(example["npp"][0])
    assert ds.GetGeoTransform() == src.GetGeoTransform()
    assert np.isnan(slope).sum() == np.isnan(ref.slope).sum() > 0    # lake and desert
    assert ds.GetRasterBand(1).GetNoDataValue() == -9999.0
    # the class raster opens styled: a QML beside it, loaded as default style
    assert os.path.exists(str(tmp_path / "class.qml"))
    layer = QgsRasterLayer(out["class"], "class")
    assert layer.isValid() and layer.renderer().type() == "paletted"
    labels = {c.value: c.label for c in layer.renderer().classes()}
    assert set(labels) == set(range(-4, 5)) and "Extremely significant increase" in labels[4]
    cls, _ = read_tif(out["class"])
    expect = cs.trend_class(ref.slope, ref.z).astype(float)
    expect[expect == -128] = np.nan
    np.testing.assert_array_equal(cls, expect)


def test_lineartrend_with_year_gaps_and_multiband_input(provider, example, tmp_path):
    years = "2000,2001,2002,2004,2005,2006,2007,2008,2010,2011,2012,2015"
    out = {k: str(tmp_path / f"{k}.tif") for k in ("slope", "r2", "p", "class")}
    run("lineartrend", {"INPUT": [example["npp_stack"]], "YEARS": years, "MIN_VALID": 10,
                        "ALPHA": 0.05, "EXTREME": True, "OUTPUT_SLOPE": out["slope"],
                        "OUTPUT_R2": out["r2"], "OUTPUT_P": out["p"],
                        "OUTPUT_CLASS": out["class"]})
    t = np.array([float(v) for v in years.split(",")])
    ref = cs.linear_trend(stack_of(example["npp_stack"]), t, min_valid=10)
    p, _ = read_tif(out["p"])
    np.testing.assert_allclose(p, ref.pvalue.astype(np.float32), rtol=0, equal_nan=True)
    cls, _ = read_tif(out["class"])
    codes = set(np.unique(cls[~np.isnan(cls)]).astype(int))
    assert codes <= {-3, -2, -1, 0, 1, 2, 3} and 3 in codes
    assert QgsRasterLayer(out["class"], "c").renderer().type() == "paletted"


def test_carryingcapacity_year_and_all_years(provider, example, tmp_path):
    out = {k: str(tmp_path / f"{k}.tif") for k in ("cscc", "peak", "pot", "sat")}
    run("carryingcapacity", {"INPUT": [example["npp_stack"]], "FIRST_YEAR": 2000, "YEAR": 2005,
                             "MIN_VALID": 10, "OUTPUT_CSCC": out["cscc"],
                             "OUTPUT_PEAK_YEAR": out["peak"], "OUTPUT_POTENTIAL": out["pot"],
                             "OUTPUT_SATURATION": out["sat"]})
    y = stack_of(example["npp_stack"])
    ref = cs.carrying_capacity(y, YEARS, min_valid=10)
    pot, ds = read_tif(out["pot"])
    assert ds.RasterCount == 1 and ds.GetRasterBand(1).GetDescription() == "2005"
    np.testing.assert_allclose(pot, ref.potential[5].astype(np.float32), equal_nan=True)
    peak, _ = read_tif(out["peak"])
    np.testing.assert_array_equal(peak, ref.peak_year)
    assert np.nanmin(peak) >= 2000 and np.nanmax(peak) <= 2011
    run("carryingcapacity", {"INPUT": [example["npp_stack"]], "ALL_YEARS": True, "MIN_VALID": 10,
                             "OUTPUT_CSCC": out["cscc"], "OUTPUT_PEAK_YEAR": out["peak"],
                             "OUTPUT_POTENTIAL": out["pot"], "OUTPUT_SATURATION": out["sat"]})
    sat, ds = read_tif(out["sat"])
    assert ds.RasterCount == 12
    np.testing.assert_allclose(sat, ref.saturation.astype(np.float32), equal_nan=True)
    assert np.nanmax(sat) == pytest.approx(100.0)


@pytest.mark.parametrize("mode", ["monthly", "annual"])
def test_nep_equals_npp_minus_rh(provider, example, tmp_path, mode):
    out = {k: str(tmp_path / f"{k}.tif") for k in ("nep", "rh", "class")}
    res = run("nep", {"NPP": example["npp"], "TEMPERATURE": [example[f"temperature_{mode}"]],
                      "PRECIPITATION": [example[f"precipitation_{mode}"]], "MODE": 0,
                      "B": 0.0912, "OUTPUT_NEP": out["nep"], "OUTPUT_RH": out["rh"],
                      "OUTPUT_CLASS": out["class"]})
    assert set(res) >= {"OUTPUT_NEP", "OUTPUT_RH", "OUTPUT_CLASS"}
    t = stack_of(example[f"temperature_{mode}"])
    p = stack_of(example[f"precipitation_{mode}"])
    rh_ref = cs.heterotrophic_respiration(t, p, mode=mode)
    nep_ref = stack_of(example["npp"]) - rh_ref
    nep, ds = read_tif(out["nep"])
    assert ds.RasterCount == 12 and ds.GetRasterBand(12).GetDescription() == "2011"
    np.testing.assert_allclose(nep, nep_ref.astype(np.float32), rtol=1e-6, equal_nan=True)
    rh, _ = read_tif(out["rh"])
    lo, hi = np.nanpercentile(rh, [5, 95])
    if mode == "monthly":    # warm, wet region: several hundred g C m-2 yr-1
        assert 200 < lo < hi < 800
    else:                    # the annual form is far smaller (methods.md 1)
        assert 20 < lo < hi < 60
    cls, _ = read_tif(out["class"])
    valid = np.isfinite(nep_ref).any(axis=0)
    expect = np.full(valid.shape, np.nan)
    expect[valid] = np.sign(np.nanmean(nep_ref[:, valid], axis=0))
    np.testing.assert_array_equal(cls, expect)
    assert QgsRasterLayer(out["class"], "c").renderer().type() == "paletted"


def test_numpy_fallback_same_numbers_and_says_how_to_get_numba(provider, example, tmp_path,
                                                               monkeypatch):
    monkeypatch.setenv("CARBONSINK_NO_NUMBA", "1")
    fb = Feedback()
    out = str(tmp_path / "slope.tif")
    run("senmk", {"INPUT": example["npp"], "MIN_VALID": 10, "OUTPUT_SLOPE": out,
                  "OUTPUT_Z": "TEMPORARY_OUTPUT", "OUTPUT_P": "TEMPORARY_OUTPUT",
                  "OUTPUT_TAU": "TEMPORARY_OUTPUT", "OUTPUT_CLASS": "TEMPORARY_OUTPUT"}, fb)
    assert any("pip install numba" in i for i in fb.infos)
    ref = cs.mann_kendall(stack_of(example["npp"]), YEARS, min_valid=10)
    slope, _ = read_tif(out)
    np.testing.assert_array_equal(slope, ref.slope.astype(np.float32).astype(float))


# ------------------------------------------------------------- bad input

def _trend_params(inputs, tmp_path):
    return {"INPUT": inputs, "OUTPUT_SLOPE": str(tmp_path / "s.tif"),
            "OUTPUT_R2": "TEMPORARY_OUTPUT", "OUTPUT_P": "TEMPORARY_OUTPUT",
            "OUTPUT_CLASS": "TEMPORARY_OUTPUT"}


def test_mismatched_grids_name_the_odd_layer(provider, tmp_path):
    good = [write_tif(tmp_path / f"a{i}.tif", np.random.rand(6, 5)) for i in range(4)]
    odd = write_tif(tmp_path / "shifted.tif", np.random.rand(6, 5), gt=(111.0,) + GT[1:])
    text = run_error(provider, "lineartrend", _trend_params(good + [odd], tmp_path))
    assert "shifted.tif does not match a0.tif" in text and "geotransform" in text
    assert not (tmp_path / "s.tif").exists()


def test_fewer_than_four_years(provider, tmp_path):
    files = [write_tif(tmp_path / f"a{i}.tif", np.random.rand(6, 5)) for i in range(3)]
    assert "at least 4 years" in run_error(provider, "lineartrend", _trend_params(files, tmp_path))


def test_all_nodata_input(provider, tmp_path):
    path = write_tif(tmp_path / "empty.tif", np.full((6, 5, 4), np.nan))
    assert "no pixel" in run_error(provider, "lineartrend", _trend_params([path], tmp_path))
    assert not (tmp_path / "s.tif").exists()


def test_output_that_cannot_be_written(provider, example, tmp_path):
    params = _trend_params([example["npp_stack"]], tmp_path)
    params["OUTPUT_SLOPE"] = str(tmp_path / "missing-folder" / "s.tif")
    params["MIN_VALID"] = 10
    text = run_error(provider, "lineartrend", params)
    assert "missing-folder" in text


def test_wrong_number_of_climate_layers(provider, example, tmp_path):
    text = run_error(provider, "nep", {
        "NPP": example["npp"][:11], "TEMPERATURE": [example["temperature_monthly"]],
        "PRECIPITATION": [example["precipitation_monthly"]], "MODE": 0,
        "OUTPUT_NEP": str(tmp_path / "n.tif"), "OUTPUT_CLASS": str(tmp_path / "c.tif")})
    assert "144 layers" in text and "132 (monthly) or 11 (annual)" in text


def test_cancel_mid_run_leaves_no_output(provider, tmp_path):
    y = np.random.default_rng(0).normal(500, 50, size=(6, 700, 600))
    path = write_tif(tmp_path / "big.tif", y)
    from processing.core.ProcessingConfig import ProcessingConfig
    ProcessingConfig.setSettingValue("CARBONSINK_MEMORY_MB", 16)   # many windows
    try:
        fb = Feedback(cancel_at=1)
        with pytest.raises(QgsProcessingException, match="Canceled: no output was written"):
            run("lineartrend", _trend_params([path], tmp_path), fb)
    finally:
        ProcessingConfig.setSettingValue("CARBONSINK_MEMORY_MB", 256)
    assert sorted(os.listdir(tmp_path)) == ["big.tif"]


def test_every_parameter_has_a_description_and_runs_in_modeler(provider):
    for alg in provider.algorithms():
        for p in alg.parameterDefinitions():
            assert p.description(), (alg.id(), p.name())
        # a fresh instance (what the modeler and the batch interface create)
        clone = alg.create()
        assert clone.id() == alg.id() and len(clone.parameterDefinitions()) == len(
            alg.parameterDefinitions())


# ------------------------------------------------------------- qgis_process

def test_qgis_process_runs_senmk(example, tmp_path):
    exe = "/usr/bin/qgis_process.bin"
    if not os.path.exists(exe):
        pytest.skip("qgis_process.bin not installed")
    site = [p for p in sys.path if p.endswith("site-packages") and ".venv" in p]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join(site + [os.environ.get("PYTHONPATH", "")]))
    for key in ("QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH"):   # set by pytest-qgis
        env.pop(key, None)        # qgis_process must use the profile `make setup` enabled
    out = str(tmp_path / "slope.tif")
    cmd = [exe, "run", "carbonsink:senmk", "--json", f"--INPUT={example['npp_stack']}",
           "--MIN_VALID=10", f"--OUTPUT_SLOPE={out}", "--OUTPUT_Z=TEMPORARY_OUTPUT",
           "--OUTPUT_P=TEMPORARY_OUTPUT", "--OUTPUT_TAU=TEMPORARY_OUTPUT",
           f"--OUTPUT_CLASS={tmp_path / 'class.tif'}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout[proc.stdout.index("{"):])["results"]
    assert results["OUTPUT_SLOPE"] == out
    ref = cs.mann_kendall(stack_of(example["npp_stack"]), min_valid=10)
    slope, _ = read_tif(out)
    np.testing.assert_array_equal(slope, ref.slope.astype(np.float32).astype(float))
    assert (tmp_path / "class.qml").exists()


def test_senmk_modified_test_and_fdr_outputs(provider, example, tmp_path):
    from test_modified_mk import hamed_rao_fixed
    out = {k: str(tmp_path / f"{k}.tif") for k in ("z", "q", "fdr")}
    res = run("senmk", {"INPUT": [example["npp_stack"]], "METHOD": 1, "MIN_VALID": 12,
                        "OUTPUT_SLOPE": "TEMPORARY_OUTPUT", "OUTPUT_Z": out["z"],
                        "OUTPUT_P": "TEMPORARY_OUTPUT", "OUTPUT_TAU": "TEMPORARY_OUTPUT",
                        "OUTPUT_CLASS": "TEMPORARY_OUTPUT", "OUTPUT_Q": out["q"],
                        "OUTPUT_FDR_CLASS": out["fdr"]})
    assert res["OUTPUT_Q"] == out["q"]
    y = stack_of(example["npp_stack"])
    z, _ = read_tif(out["z"])
    complete = np.argwhere(np.isfinite(y).all(axis=0))
    for i, j in complete[[0, len(complete) // 2, -1]]:
        ref = hamed_rao_fixed(y[:, i, j])
        assert z[i, j] == pytest.approx(ref.z, rel=1e-6)
    q, _ = read_tif(out["q"])
    p = cs.mann_kendall(y, method="hamed_rao", min_valid=12).pvalue
    from carbonsink.core.fdr import fdr_bh
    np.testing.assert_allclose(q, fdr_bh(p.astype(np.float32)), rtol=1e-4, equal_nan=True)
    layer = QgsRasterLayer(out["fdr"], "fdr")
    assert "FDR" in layer.renderer().classes()[0].label


def test_numba_status_option_is_read_only(provider):
    """The Processing options' numba status shows what is true and refuses
    edits (the options dialog runs the validator before it saves)."""
    from processing.core.ProcessingConfig import ProcessingConfig

    from carbonsink.provider.settings import NUMBA_STATUS, numba_status
    setting = ProcessingConfig.settings[NUMBA_STATUS]
    assert ProcessingConfig.getSetting(NUMBA_STATUS) == numba_status()
    assert ("fast path" in numba_status()) == cs.HAVE_NUMBA
    setting.validator(numba_status())                 # unchanged: accepted
    with pytest.raises(ValueError, match="information only"):
        setting.validator("numba 99: edited by hand")


def test_algorithms_import_without_the_provider():
    """No import circle: the algorithms and the settings load in a fresh
    interpreter without importing the provider module."""
    import subprocess
    import sys
    code = ("import sys, carbonsink.algorithms, carbonsink.provider.settings; "
            "print('carbonsink.provider.provider' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False"
    folder = os.path.join(os.path.dirname(cs.__file__), "..", "algorithms")
    for name in os.listdir(folder):
        if name.endswith(".py"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                assert "provider.provider" not in f.read(), name   # not even in a function


def test_optional_is_said_once(provider):
    """QGIS appends "[optional]" to optional parameters: their labels do not
    say it again (English source and zh_CN)."""
    import re

    from qgis.core import QgsProcessingParameterDefinition
    twice = []
    for alg in provider.algorithms():
        for p in alg.parameterDefinitions():
            if p.flags() & QgsProcessingParameterDefinition.FlagOptional and \
                    re.search(r"\boptional\b", p.description(), re.I):
                twice.append(f"{alg.id()} {p.name()}: {p.description()}")
    assert not twice, "\n".join(twice)
    with open(os.path.join(os.path.dirname(cs.__file__), "..", "i18n", "carbonsink_zh_CN.ts"),
              encoding="utf-8") as f:
        ts = f.read()
    live = re.findall(r"<source>([^<]*)</source>\s*<translation(?! type=\"vanished\")", ts)
    assert len(live) > 400
    for source in live:
        assert not re.search(r"[(;,] ?optional\)", source), source


def test_one_icon_per_group(provider):
    """Every algorithm shows its group's SVG icon (five groups, five icons),
    and each icon is a valid SVG that renders."""
    from qgis.PyQt.QtSvg import QSvgRenderer

    from carbonsink.algorithms.base import CarbonSinkAlgorithm
    by_group = {}
    for alg in provider.algorithms():
        if not alg.id().startswith("carbonsink:") or alg.groupId() == "":
            continue
        if not isinstance(alg, CarbonSinkAlgorithm):      # the shipped models
            continue
        path = alg.svgIconPath()
        assert os.path.basename(path) == f"{alg.groupId()}.svg", alg.id()
        assert QSvgRenderer(path).isValid(), path
        assert not alg.icon().isNull(), alg.id()
        by_group.setdefault(alg.groupId(), set()).add(path)
    assert len(by_group) == 5 and all(len(v) == 1 for v in by_group.values()), by_group
    assert len({next(iter(v)) for v in by_group.values()}) == 5


def test_html_reports_carry_maps_of_the_raster_outputs(provider, example, tmp_path):
    """A report of a run with raster outputs ends with a "Maps" section: each
    raster rendered by QGIS in the style it opens with (the signed years of
    resilience: its diverging palette) and the style's legend."""
    import base64
    import re

    from qgis.PyQt.QtGui import QImage
    res = run("resilience", {"INPUT": [example["npp_stack"]], "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
                             "OUTPUT_SUMMARY": None, "OUTPUT_CSV": None,
                             "OUTPUT_YEARS": str(tmp_path / "years.tif"),
                             "OUTPUT_REPORT": str(tmp_path / "report.html")})
    with open(res["OUTPUT_REPORT"], encoding="utf-8") as f:
        text = f.read()
    section = text[text.index('<section class="maps">'):]
    assert section.endswith("</section></body></html>") or "</body>" in section
    assert "Signed number of years each pixel kept its trend" in section
    assert "positive trend kept to the last year" in section          # legend from the QML
    png = base64.b64decode(re.search(r"data:image/png;base64,([^\"]+)", section).group(1))
    img = QImage()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and img.loadFromData(png)
    assert img.width() == 480 and img.height() == 360                 # 40 x 30 pixels
    colours = {img.pixelColor(x, y).name() for x in range(0, 480, 8) for y in range(0, 360, 8)}
    years = read_tif(res["OUTPUT_YEARS"])[0]
    m = int(np.nanmax(np.abs(years)))
    assert m > 0 and len(colours) > 3
    # the palette's end colours (-m red, +m green) where pixels kept their trend
    ends = {"#b2182b": -m, "#1b7837": m}
    assert {c for c, v in ends.items() if (years == v).any()} <= colours
    assert colours & set(ends)
