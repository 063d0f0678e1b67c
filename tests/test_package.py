"""`make package` (scripts/package.py): a zip the QGIS plugin repository
accepts, which installs into a clean profile and runs."""
import importlib.util
import json
import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from osgeo import gdal

import carbonsink.core as cs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXE = "/usr/bin/qgis_process.bin"


def load_script(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "scripts",
                                                                     f"{name}.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


package = load_script("package")


@pytest.fixture(scope="module")
def plugin_zip(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    return package.build(str(out), qm=load_script("i18n").lrelease_binary() is not None)


def test_zip_passes_the_repository_checks(plugin_zip):
    assert package.validate(plugin_zip) == []
    assert os.path.basename(plugin_zip) == f"carbonsink-{version()}.zip"


def version():
    with open(os.path.join(ROOT, "metadata.txt"), encoding="utf-8") as f:
        return package.read_metadata(f.read())["version"]


def test_zip_contents(plugin_zip):
    with zipfile.ZipFile(plugin_zip) as z:
        names = z.namelist()
        licence = z.read("carbonsink/LICENSE").decode("utf-8")
    assert all(n.startswith("carbonsink/") for n in names)
    for needed in ("__init__.py", "metadata.txt", "LICENSE", "icon.svg", "plugin.py",
                   "provider/provider.py", "algorithms/base.py", "core/__init__.py",
                   "algorithms/help/senmk.html", "algorithms/help/zh_CN/senmk.html",
                   "i18n/carbonsink_zh_CN.ts", "i18n/__init__.py",
                   "models/zhang2025_nep_trends.model3", "models/__init__.py"):
        assert f"carbonsink/{needed}" in names, needed
    if load_script("i18n").lrelease_binary():
        assert "carbonsink/i18n/carbonsink_zh_CN.qm" in names
    for name in names:
        parts = name.split("/")
        assert not {"__pycache__", ".git", ".venv", "example-data", "demo-output",
                    "bench-data", "tests", ".ci", "dist"} & set(parts), name
        assert not name.endswith((".pyc", ".nbi", ".nbc", ".so", ".aux.xml")), name
    assert "GNU GENERAL PUBLIC LICENSE" in licence and "Version 2" in licence


def test_zip_is_reproducible(plugin_zip, tmp_path):
    again = package.build(str(tmp_path), qm=False)
    with open(plugin_zip, "rb") as a, open(again, "rb") as b:
        assert a.read() == b.read()


def test_validator_rejects_what_the_repository_rejects(tmp_path):
    def make(entries, name="bad.zip"):
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as z:
            for n, data in entries.items():
                z.writestr(n, data)
        return str(path)

    meta = "[general]\nname=X\nversion=1\n"
    problems = package.validate(make({"carbonsink/__init__.py": "",
                                      "carbonsink/metadata.txt": meta,
                                      "carbonsink/__pycache__/a.cpython-311.pyc": "x"}))
    text = " ".join(problems)
    assert "LICENSE" in text and "__pycache__" in text and ".pyc" in text
    assert "no email" in text and "no qgisMinimumVersion" in text
    assert package.validate(make({"a/__init__.py": "", "b/x": ""}, "two.zip"))


def test_metadata_is_complete():
    with open(os.path.join(ROOT, "metadata.txt"), encoding="utf-8") as f:
        meta = package.read_metadata(f.read())
    for key in package.REQUIRED_METADATA + ("icon", "hasProcessingProvider",
                                            "qgisMaximumVersion", "tags", "homepage"):
        assert meta.get(key, "").strip(), key
    assert os.path.exists(os.path.join(ROOT, meta["icon"]))


def test_zip_installs_into_a_clean_profile_and_runs(plugin_zip, example, tmp_path):
    """Unzip into <tmp>/profiles/default/python/plugins, enable the plugin with
    qgis_process and run carbonsink:senmk, with QGIS's own Python only (no
    venv on PYTHONPATH: the plugin can only come from the profile, and runs
    without numba)."""
    if not os.path.exists(EXE):
        pytest.skip("qgis_process.bin not installed")
    base = tmp_path / "config"
    plugins = base / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(plugin_zip) as z:
        z.extractall(plugins)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "QGIS_OPTIONS_PATH", "PYTHONHOME")}
    env.update(QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=str(base))
    env["PATH"] = "/usr/bin:/bin:" + env.get("PATH", "")

    def qgis_process(*args):
        return subprocess.run([EXE, *args], capture_output=True, text=True, env=env,
                              timeout=300, stdin=subprocess.DEVNULL, cwd=str(tmp_path))

    enabled = qgis_process("plugins", "enable", "carbonsink")
    assert enabled.returncode == 0 or "already enabled" in enabled.stdout + enabled.stderr
    listed = qgis_process("list")
    assert "carbonsink:senmk" in listed.stdout, listed.stdout[-2000:] + listed.stderr[-2000:]
    out = tmp_path / "slope.tif"
    run = qgis_process("run", "carbonsink:senmk", "--json", f"--INPUT={example['npp_stack']}",
                       "--MIN_VALID=10", f"--OUTPUT_SLOPE={out}", "--OUTPUT_Z=TEMPORARY_OUTPUT",
                       "--OUTPUT_P=TEMPORARY_OUTPUT", "--OUTPUT_TAU=TEMPORARY_OUTPUT",
                       "--OUTPUT_CLASS=TEMPORARY_OUTPUT")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads(run.stdout[run.stdout.index("{"):])["results"]
    assert results["OUTPUT_SLOPE"] == str(out)
    ds = gdal.Open(str(out))
    slope = ds.ReadAsArray().astype(float)
    slope[slope == ds.GetRasterBand(1).GetNoDataValue()] = np.nan
    ds = None
    stack = gdal.Open(example["npp_stack"]).ReadAsArray().astype(float)
    stack[stack == -9999.0] = np.nan
    ref = cs.mann_kendall(stack, min_valid=10)
    np.testing.assert_array_equal(slope, ref.slope.astype(np.float32).astype(float))


def test_zip_holds_no_developer_scripts():
    """Benchmarks and build scripts stay out of the plugin zip (issue 14)."""
    spec = importlib.util.spec_from_file_location("package_script",
                                                  os.path.join(ROOT, "scripts", "package.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    files = mod.plugin_files(ROOT)
    assert not [f for f in files if f.startswith(("scripts/", "tests/", ".realdata/"))]
    assert "metadata.txt" in files and "core/trend.py" in files


def test_one_version_number():
    """metadata.txt holds the version; the installed package, the command line
    and pyproject.toml (dynamic) take it from there."""
    import configparser
    from importlib.metadata import version

    from carbonsink._version import __version__
    meta = configparser.ConfigParser(interpolation=None)
    meta.read(os.path.join(ROOT, "metadata.txt"), encoding="utf-8")
    assert __version__ == meta.get("general", "version")
    assert version("carbonsink") == __version__
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    assert 'dynamic = ["version"]' in text and "\nversion = \"" not in text
    out = subprocess.run([sys.executable, "-m", "carbonsink", "--version"], capture_output=True,
                         text=True, timeout=120, cwd=ROOT)
    assert out.stdout.strip() == f"carbonsink {__version__}", out.stderr
    with open(os.path.join(ROOT, "CHANGELOG.md"), encoding="utf-8") as f:
        assert f"## {__version__}" in f.read()


def test_help_links_land_on_a_section_of_docs_algorithms(provider):
    """Each algorithm's help button opens docs/algorithms.md#NAME in the
    repository: the file is up to date with the help pages (scripts/docs.py)
    and has a "## NAME" heading (GitHub's anchor) for every algorithm."""
    import re
    import subprocess
    import sys

    from qgis.core import QgsProcessingModelAlgorithm
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "docs.py"), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with open(os.path.join(ROOT, "docs", "algorithms.md"), encoding="utf-8") as f:
        headings = set(re.findall(r"^## (\S+)$", f.read(), re.M))
    algs = [a for a in provider.algorithms() if not isinstance(a, QgsProcessingModelAlgorithm)]
    assert len(algs) >= 26
    for alg in algs:
        url = alg.helpUrl()
        assert url.endswith(f"/blob/main/docs/algorithms.md#{alg.name()}"), url
        assert alg.name() in headings, alg.name()
