"""The real QGIS window: scripts/qgis_window.py starts QGIS desktop under Xvfb
with a temporary profile, and the Processing toolbox lists CarbonSink and
its algorithms. Skipped without xvfb-run/Xvfb or the qgis binary; bounded in
time (QGIS is killed after 120 s)."""
import importlib.util
import os
import shutil
import struct

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 120

spec = importlib.util.spec_from_file_location(
    "qgis_window", os.path.join(ROOT, "scripts", "qgis_window.py"))
qgis_window = importlib.util.module_from_spec(spec)
spec.loader.exec_module(qgis_window)

needs_display = pytest.mark.skipif(
    not all(qgis_window.find_xvfb()) or qgis_window.find_qgis() is None,
    reason="xvfb-run/Xvfb (Debian: xvfb) or QGIS desktop not installed")


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


@needs_display
def test_toolbox_lists_the_provider_and_its_algorithms(provider, tmp_path):
    """Also checks that the user's own profile is not touched."""
    home_profile = os.path.expanduser("~/.local/share/QGIS/QGIS3/profiles/default/QGIS/"
                                      "QGIS3.ini")
    before = os.path.getmtime(home_profile) if os.path.exists(home_profile) else None
    shot = tmp_path / "qgis_window.png"
    result, status = qgis_window.run(str(shot), timeout=TIMEOUT)
    assert status == 0, result
    assert result["errors"] == []
    assert result["toolbox_provider"] is True
    assert set(result["registry_algorithms"]) == {a.id() for a in provider.algorithms()}
    shown = set(result["toolbox_algorithms"])
    expected = {a.displayName() for a in provider.algorithms()}
    assert expected <= shown, expected - shown
    assert "Theil-Sen slope and Mann-Kendall test" in shown
    width, height = png_size(shot)
    assert (width, height) == tuple(result["screenshot_size"]) and width >= 800
    after = os.path.getmtime(home_profile) if os.path.exists(home_profile) else None
    assert before == after
    keep = os.environ.get("CARBONSINK_SCREENSHOT")
    if keep:                                   # e.g. for the README or a bug report
        shutil.copy(shot, keep)


@needs_display
def test_dialogs_a_run_from_its_dialog_and_the_chinese_toolbox(provider, example, tmp_path):
    """Three dialogs open (a screenshot each), senmk runs from its dialog (what
    the Run button does) and its outputs load styled into the project (a
    screenshot of the map with the legend); the zh_CN toolbox lists the
    algorithms in Chinese (a screenshot). CARBONSINK_SCREENSHOTS=DIR keeps
    the screenshots there."""
    keep = os.environ.get("CARBONSINK_SCREENSHOTS")
    out = keep or str(tmp_path)
    os.makedirs(out, exist_ok=True)
    p = {k: os.path.join(out, f"{k}.tif") for k in ("slope", "z", "p", "tau", "mk_class")}
    run_alg = {"id": "carbonsink:senmk",
               "parameters": {"INPUT": [example["npp_stack"]], "FIRST_YEAR": 2000,
                              "MIN_VALID": 10, "OUTPUT_SLOPE": p["slope"], "OUTPUT_Z": p["z"],
                              "OUTPUT_P": p["p"], "OUTPUT_TAU": p["tau"],
                              "OUTPUT_CLASS": p["mk_class"]},
               "expect": [p["slope"], p["mk_class"]],
               "dialog_shot": os.path.join(out, "run_dialog.png"),
               "map_shot": os.path.join(out, "map_with_legend.png")}
    ids = ("carbonsink:senmk", "carbonsink:resilience", "carbonsink:moran")
    dialogs = {a: os.path.join(out, f"dialog_{a.split(':')[1]}.png") for a in ids}
    result, status = qgis_window.run(os.path.join(out, "toolbox.png"), timeout=TIMEOUT,
                                     dialogs=dialogs, run_alg=run_alg)
    assert status == 0 and result["errors"] == [], result.get("errors")
    from qgis.core import QgsApplication
    for alg_id in ids:
        shown = result["dialogs"][alg_id]
        alg = QgsApplication.processingRegistry().algorithmById(alg_id)
        # QGIS 3.40 puts the group before the name ("Trends - Theil-Sen ...")
        assert shown["title"].endswith(alg.displayName()), shown["title"]
        assert png_size(shown["path"]) == tuple(shown["size"]) == (900, 700)
    layers = {v["source"]: v["renderer"] for v in result["run_layers"].values()}
    assert layers == {p["mk_class"]: "paletted", p["slope"]: "singlebandpseudocolor"}
    assert "Test: Original Mann-Kendall" in result["run_log"]
    assert png_size(result["map_shot"]["path"])[0] >= 800
    zh, status = qgis_window.run(os.path.join(out, "toolbox_zh_CN.png"), timeout=TIMEOUT,
                                 lang="zh_CN")
    assert status == 0 and zh["errors"] == [], zh.get("errors")
    assert "Theil-Sen 斜率与 Mann-Kendall 检验" in zh["toolbox_algorithms"]
    assert "碳汇恢复力（概率衰减法）" in zh["toolbox_algorithms"] or any(
        "恢复力" in t for t in zh["toolbox_algorithms"])
    assert png_size(zh["screenshot"])[0] >= 800
