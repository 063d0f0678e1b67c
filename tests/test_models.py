"""Shipped models (models/*.model3): up to date with scripts/make_models.py,
listed by a provider as carbonsink:<file name>, and run end to end by
qgis_process on the example data."""
import csv
import os
import subprocess
import sys

import numpy as np
import pytest
from osgeo import gdal

import carbonsink.core as cs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, "models")
EXE = "/usr/bin/qgis_process.bin"
ZHANG = os.path.join(MODELS, "zhang2025_nep_trends.model3")
WU = os.path.join(MODELS, "wu2023_capacity_resilience.model3")


def read(path):
    ds = gdal.Open(str(path))
    a = ds.ReadAsArray().astype(float)
    nd = ds.GetRasterBand(1).GetNoDataValue()
    if nd is not None:
        a[a == nd] = np.nan
    return a


def qgis_process_env(tmp_path):
    """A clean temporary profile with this plugin linked and enabled."""
    base = tmp_path / "qgis_profile"
    plugins = base / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    os.symlink(ROOT, plugins / "carbonsink")
    (base / "profiles" / "default" / "QGIS").mkdir()
    (base / "profiles" / "default" / "QGIS" / "QGIS3.ini").write_text(
        "[PythonPlugins]\ncarbonsink=true\n")
    site = [p for p in sys.path if p.endswith("site-packages") and ".venv" in p]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=str(base),
               PYTHONPATH=os.pathsep.join(site + [os.environ.get("PYTHONPATH", "")]))
    env.pop("QGIS_OPTIONS_PATH", None)
    return env


def run_model(model, args, tmp_path):
    if not os.path.exists(EXE):
        pytest.skip("qgis_process.bin not installed")
    proc = subprocess.run([EXE, "run", model] + args, capture_output=True, text=True,
                          env=qgis_process_env(tmp_path), timeout=300,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "Model processed OK" in proc.stdout
    return proc.stdout


def test_models_are_up_to_date():
    """models/*.model3 are what scripts/make_models.py builds from the
    registered algorithms (a renamed parameter or output fails here)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for key in ("QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH"):
        env.pop(key, None)
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "make_models.py"),
                           "--check"], capture_output=True, text=True, env=env, timeout=300,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "models up to date" in proc.stdout


@pytest.mark.parametrize("path", [ZHANG, WU], ids=["zhang2025", "wu2023"])
def test_shipped_models_validate(provider, path):
    """What the modeler's *Validate Model* checks: every child step resolves,
    and every mandatory child parameter has a source (the defaults are
    written in the file; a model without them opens with red boxes)."""
    from qgis.core import QgsProcessingModelAlgorithm
    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(path)
    ok, issues = model.validate()
    assert ok, issues
    for child_id, child in model.childAlgorithms().items():
        ok, issues = model.validateChildAlgorithm(child_id)
        assert ok, (child_id, issues)
        assert child.algorithm() is not None, child.algorithmId()
    assert missing_defaults(model) == []


def missing_defaults(model):
    """Child parameters with a default that the model file leaves out (QGIS
    3.22's modeler calls such a model invalid; 3.40 falls back to the
    default)."""
    missing = []
    for child_id, child in model.childAlgorithms().items():
        sources = child.parameterSources()
        for p in child.algorithm().parameterDefinitions():
            if not p.isDestination() and p.defaultValue() is not None \
                    and p.name() not in sources:
                missing.append(f"{child_id}: {p.name()}")
    return missing


def test_validate_reports_a_missing_default(provider, tmp_path):
    """The check above can fail: a model step without one of its defaulted
    parameters (as the shipped files were before) is invalid."""
    import re

    from qgis.core import QgsProcessingModelAlgorithm
    with open(ZHANG, encoding="utf-8") as f:
        text = f.read()
    # drop the nep step's Rh coefficient b (a parameter with a default)
    stripped, n = re.subn(r'\n( *)<Option name="B" type="List">.*?\n\1</Option>', "", text,
                          count=1, flags=re.S)
    assert n == 1
    path = tmp_path / "no_b.model3"
    path.write_text(stripped, encoding="utf-8")
    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(str(path))
    assert missing_defaults(model) == ["nep: B"]
    from qgis.core import Qgis
    if Qgis.QGIS_VERSION_INT < 32400:            # QGIS 3.22: the modeler's red box
        ok, issues = model.validateChildAlgorithm("nep")
        assert not ok and any("<i>B</i>" in i for i in issues), issues


def test_provider_lists_the_shipped_models(provider):
    """The loadAlgorithms() change proposed for provider/provider.py: the
    models get the ids carbonsink:<file name>, keep them in new instances and
    show their own (translated) names."""
    from qgis.core import QgsApplication, QgsProcessingProvider

    from carbonsink.models import ShippedModel, shipped_models

    models = shipped_models()
    assert sorted(m.name() for m in models) == ["wu2023_capacity_resilience",
                                                 "zhang2025_nep_trends"]

    class Provider(QgsProcessingProvider):       # what CarbonSinkProvider would do
        def id(self):
            return "carbonsinkmodels_test"

        def name(self):
            return "CarbonSink models (test)"

        def loadAlgorithms(self):  # noqa: N802
            for model in shipped_models():
                self.addAlgorithm(model)

    registry = QgsApplication.processingRegistry()
    test_provider = Provider()
    registry.addProvider(test_provider)
    try:
        ids = sorted(a.id() for a in test_provider.algorithms())
        assert ids == ["carbonsinkmodels_test:wu2023_capacity_resilience",
                       "carbonsinkmodels_test:zhang2025_nep_trends"]
        alg = registry.createAlgorithmById("carbonsinkmodels_test:zhang2025_nep_trends")
        assert isinstance(alg, ShippedModel)
        assert alg.id() == "carbonsinkmodels_test:zhang2025_nep_trends"
        assert alg.displayName().startswith("Zhang et al. (2025)")
        assert alg.group() == "Workflows"
        assert "Source" in alg.shortHelpString()
        for child_id in alg.childAlgorithms():
            child = alg.childAlgorithm(child_id)
            assert registry.algorithmById(child.algorithmId()) is not None, child_id
            assert child.algorithmId().startswith("carbonsink:")
        names = {p.name() for p in alg.parameterDefinitions()}
        assert {"npp", "temperature", "precipitation", "drivers", "first_year",
                "nep:NEP", "senmk:SLOPE", "hurst:PERSISTENCE", "partialcorrelation:R"} <= names
        wu = registry.createAlgorithmById("carbonsinkmodels_test:wu2023_capacity_resilience")
        steps = {wu.childAlgorithm(c).algorithmId() for c in wu.childAlgorithms()}
        assert {"carbonsink:carryingcapacity", "carbonsink:resilience"} <= steps
        if registry.algorithmById("carbonsink:zonalsummary") is not None:
            assert "carbonsink:zonalsummary" in steps
    finally:
        registry.removeProvider(test_provider)


def test_models_translate(qgis_app, tmp_path):
    """Model names, labels and help go through the context CarbonSinkModels."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("i18n_script",
                                                  os.path.join(ROOT, "scripts", "i18n.py"))
    i18n = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(i18n)
    tool = i18n.lrelease_binary()
    if tool is None:
        pytest.skip("lrelease not installed")
    from carbonsink.models import CONTEXT, ShippedModel
    assert CONTEXT == i18n.MODEL_CONTEXT
    qm = tmp_path / "zh.qm"
    subprocess.run([tool, "-silent", i18n.ts_path("zh_CN"), "-qm", str(qm)], check=True)
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        model = ShippedModel(ZHANG)
        assert model.displayName() == "Zhang et al. (2025)：NEP、趋势、持续性与气候驱动因子"
        assert model.group() == "工作流程"
        assert model.parameterDefinition("npp").description().startswith("逐年 NPP")
        assert "净生态系统生产力" in model.shortHelpString()
        assert model.name() == "zhang2025_nep_trends"          # the id never changes
    finally:
        QCoreApplication.removeTranslator(translator)


def test_zhang2025_model_runs(example, tmp_path):
    out = {k: tmp_path / f"{k}.tif" for k in ("nep", "sink", "slope", "p", "trend", "h",
                                                "persistence", "r", "rp", "rclass")}
    args = [f"--npp={p}" for p in example["npp"]] + [
        f"--temperature={example['temperature_monthly']}",
        f"--precipitation={example['precipitation_monthly']}",
        f"--drivers={example['temperature_annual']}",
        f"--drivers={example['precipitation_annual']}",
        "--first_year=2000", "--min_valid=10",
        f"--nep:NEP={out['nep']}", f"--nep:SINK_CLASS={out['sink']}",
        f"--senmk:SLOPE={out['slope']}", f"--senmk:P={out['p']}",
        f"--senmk:TREND_CLASS={out['trend']}", f"--hurst:H={out['h']}",
        f"--hurst:PERSISTENCE={out['persistence']}", f"--partialcorrelation:R={out['r']}",
        f"--partialcorrelation:P={out['rp']}", f"--partialcorrelation:CLASS={out['rclass']}"]
    log = run_model(ZHANG, args, tmp_path)
    assert "Executed 4 algorithm" in log, log[-4000:]      # 3.40: "algorithm(s)"
    nep = read(out["nep"])
    assert nep.shape == (12, 30, 40)
    # the trend step works on the model's NEP: Sen slope equals the core's
    ref = cs.mann_kendall(nep, np.arange(2000, 2012, dtype=float), min_valid=10)
    np.testing.assert_allclose(read(out["slope"]), ref.slope.astype(np.float32), rtol=1e-6)
    trend = read(out["trend"])
    assert set(np.unique(trend[np.isfinite(trend)])) <= set(range(-4, 5))
    persistence = read(out["persistence"])
    assert set(np.unique(persistence[np.isfinite(persistence)])) <= {0, 1, 2, 3, 4}
    h = read(out["h"])
    assert np.isfinite(h).any()
    r = read(out["r"])
    assert r.shape == (2, 30, 40)                     # one band per climate driver
    assert np.nanmax(np.abs(r)) <= 1
    assert (tmp_path / "trend.qml").exists() and (tmp_path / "persistence.qml").exists()


def test_wu2023_model_runs(example, tmp_path):
    out = {"cscc": tmp_path / "cscc.tif", "pot": tmp_path / "potential.tif",
           "summary": tmp_path / "summary.csv", "table": tmp_path / "table.csv",
           "report": tmp_path / "report.html", "zonal": tmp_path / "zonal.csv"}
    args = [f"--npp={example['npp_stack']}", "--first_year=2000", "--reference_year=2005",
            f"--zones={example['regions']}", "--zone_field=name", "--min_valid=0",
            f"--capacity:CSCC={out['cscc']}", "--capacity:PEAK_YEAR=TEMPORARY_OUTPUT",
            f"--capacity:POTENTIAL={out['pot']}", "--capacity:SATURATION=TEMPORARY_OUTPUT",
            f"--resilience:SUMMARY={out['summary']}", f"--resilience:TABLE={out['table']}",
            f"--resilience:REPORT={out['report']}"]
    with open(WU, encoding="utf-8") as f:
        has_zonal = "carbonsink:zonalsummary" in f.read()
    if has_zonal:
        args.append(f"--zonal:SUMMARY={out['zonal']}")
    run_model(WU, args, tmp_path)
    npp = read(example["npp_stack"])
    cscc = read(out["cscc"])
    np.testing.assert_allclose(cscc, np.max(npp, axis=0).astype(np.float32), rtol=1e-6)
    np.testing.assert_allclose(read(out["pot"]), (cscc - npp[-1]).astype(np.float32),
                               rtol=1e-5, atol=1e-3)
    with open(out["summary"], newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["zone"] for r in rows) == ["North-East", "North-West", "South-East",
                                               "South-West"]
    assert out["report"].exists()
    if has_zonal:
        with open(out["zonal"], newline="", encoding="utf-8") as f:
            zonal = list(csv.DictReader(f))
        assert len(zonal) == 5                          # 4 zones + all zones
        assert all(float(r["valid_area_km2"]) > 0 for r in zonal)
