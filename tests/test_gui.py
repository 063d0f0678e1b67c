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
