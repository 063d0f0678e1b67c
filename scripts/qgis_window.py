#!/usr/bin/env python3
"""Start the QGIS desktop application under Xvfb with CarbonSink enabled,
check that the Processing toolbox lists the provider and its algorithms, and
save a screenshot.

    python3 scripts/qgis_window.py [--out qgis_window.png] [--timeout 120]
                                   [--lang zh_CN] [--plugin PATH] [--keep]

QGIS runs with a new profile in a temporary folder (``--profiles-path``), so
the user's profile is untouched; the plugin is linked into it (``--plugin``:
the plugin folder, default this repository, or an unzipped package) and
enabled in the profile's QGIS3.ini. A Python file given to QGIS with
``--code`` waits for the toolbox, opens the CarbonSink branch, selects
Theil-Sen slope and Mann-Kendall, takes a screenshot of the whole screen,
writes what it found as JSON and quits. The run is bounded by --timeout
(QGIS is killed after it). Prints the JSON; exit status 0 when the provider,
its algorithms and the screenshot are there, 1 when not, 2 when Xvfb or QGIS
is missing.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Runs inside QGIS (qgis --code): PARAMS is substituted by the runner.
INNER = r'''
import json, os, sys, traceback
PARAMS = __PARAMS__
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QTimer, Qt
from qgis.PyQt.QtWidgets import QAbstractItemView, QApplication, QDockWidget, QTreeView
from qgis.utils import iface

DISPLAY = Qt.ItemDataRole.DisplayRole      # scoped enums: PyQt5 and PyQt6 (QGIS 4)

state = {"tries": 0, "result": {"errors": []}}


def write(result):
    tmp = PARAMS["result"] + ".partial"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    os.replace(tmp, PARAMS["result"])


def walk(model, parent, depth=0):
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index, depth
        yield from walk(model, index, depth + 1)


def toolbox_rows(tree):
    """(provider row, [algorithm texts]) of CarbonSink in the toolbox tree."""
    model = tree.model()
    found, algs = None, []
    for index, depth in walk(model, tree.rootIndex()):
        text = str(model.data(index, DISPLAY) or "")
        if found is None and depth == 0 and text.startswith("CarbonSink"):
            found = index
    if found is not None:
        tree.expand(found)
        for index, depth in walk(model, found):
            tree.expand(index)
            if model.rowCount(index) == 0:
                algs.append(str(model.data(index, DISPLAY) or ""))
    return found, algs


def finish(result, code=0):
    write(result)
    QTimer.singleShot(200, lambda: QgsApplication.instance().exit(code))


def check():
    state["tries"] += 1
    result = state["result"]
    try:
        registry = QgsApplication.processingRegistry()
        provider = registry.providerById("carbonsink")
        dock = iface.mainWindow().findChild(QDockWidget, "ProcessingToolbox")
        if provider is None or dock is None:
            if state["tries"] < PARAMS["tries"]:
                QTimer.singleShot(500, check)
                return
            result["errors"].append("no CarbonSink provider" if provider is None
                                    else "no Processing toolbox dock")
        else:
            dock.setVisible(True)
            dock.raise_()
            trees = [t for t in dock.findChildren(QTreeView) if t.model() is not None]
            tree = max(trees, key=lambda t: t.model().rowCount(t.rootIndex())) if trees else None
            found, algs = toolbox_rows(tree) if tree is not None else (None, [])
            if found is None and state["tries"] < PARAMS["tries"]:
                QTimer.singleShot(500, check)
                return
            result.update({
                "qgis_version": QgsApplication.instance().applicationVersion()
                if hasattr(QgsApplication.instance(), "applicationVersion") else "",
                "provider": provider.name(),
                "provider_long_name": provider.longName(),
                "registry_algorithms": sorted(a.id() for a in provider.algorithms()),
                "toolbox_provider": found is not None,
                "toolbox_algorithms": algs,
            })
            if found is not None:
                model = tree.model()
                win = iface.mainWindow()
                screen = QApplication.primaryScreen()
                if screen is not None:                  # no window manager: fill the screen
                    win.setGeometry(screen.availableGeometry())
                win.resizeDocks([dock], [560], Qt.Orientation.Horizontal)
                for row in range(model.rowCount(tree.rootIndex())):
                    index = model.index(row, 0, tree.rootIndex())
                    if index != found:
                        tree.collapse(index)
                target = None
                for index, depth in walk(model, found):
                    if model.rowCount(index) == 0 and (target is None or "Mann-Kendall" in
                                                       str(model.data(index, DISPLAY))):
                        target = index
                tree.scrollTo(found, QAbstractItemView.ScrollHint.PositionAtTop)
                if target is not None:
                    tree.setCurrentIndex(target)
                tree.setFocus()
        QTimer.singleShot(1500, shot)
    except Exception:
        result["errors"].append(traceback.format_exc())
        finish(result, 1)


def shot():
    result = state["result"]
    try:
        win = iface.mainWindow()
        QApplication.processEvents()
        screen = QApplication.primaryScreen()
        pixmap = screen.grabWindow(0) if screen is not None else win.grab()
        if pixmap.isNull():
            pixmap = win.grab()
        result["screenshot"] = PARAMS["screenshot"] if pixmap.save(PARAMS["screenshot"]) else ""
        result["screenshot_size"] = [pixmap.width(), pixmap.height()]
    except Exception:
        result["errors"].append(traceback.format_exc())
    if PARAMS.get("dialogs"):
        QTimer.singleShot(200, dialogs)
    else:
        finish(result, 0)


def grab(widget, path):
    QApplication.processEvents()
    pixmap = widget.grab()
    return [pixmap.width(), pixmap.height()] if pixmap.save(path) else None


def dialogs():
    """Open the dialogs of PARAMS["dialogs"] (a screenshot of each), then run
    the algorithm of PARAMS["run"] from its dialog (its Run button) and wait
    for its layers in the project."""
    result = state["result"]
    try:
        import processing
        result["dialogs"] = {}
        for alg_id, path in PARAMS["dialogs"].items():
            d = processing.createAlgorithmDialog(alg_id, {})
            d.show()
            d.resize(900, 700)
            QApplication.processEvents()
            result["dialogs"][alg_id] = {"title": d.windowTitle(), "size": grab(d, path),
                                         "path": path}
            d.close()
        run = PARAMS["run"]
        d = processing.createAlgorithmDialog(run["id"], run["parameters"])
        d.show()
        d.resize(900, 700)
        QApplication.processEvents()
        result["run_dialog"] = {"size": grab(d, run["dialog_shot"]), "path": run["dialog_shot"]}
        state["run_dialog"] = d
        state["waits"] = 0
        d.runAlgorithm()                   # what the Run button does
        QTimer.singleShot(500, wait_run)
    except Exception:
        result["errors"].append(traceback.format_exc())
        finish(result, 1)


def wait_run():
    from qgis.core import QgsProject
    result = state["result"]
    run = PARAMS["run"]
    try:
        layers = [lyr for lyr in QgsProject.instance().mapLayers().values()
                  if lyr.source().split("|")[0] in run["expect"]]
        state["waits"] += 1
        if len(layers) < len(run["expect"]) and state["waits"] < 120:
            QTimer.singleShot(500, wait_run)
            return
        result["run_layers"] = {lyr.name(): {"source": lyr.source(),
                                             "renderer": lyr.renderer().type()}
                                for lyr in layers}
        d = state.pop("run_dialog")
        from qgis.PyQt.QtWidgets import QTextEdit
        log = d.findChild(QTextEdit, "txtLog")     # the dialog's Log tab
        result["run_log"] = log.toPlainText()[-4000:] if log is not None else ""
        d.close()
        canvas = iface.mapCanvas()
        classes = [lyr for lyr in layers if lyr.renderer().type() == "paletted"]
        if layers:
            canvas.setExtent((classes or layers)[0].extent())
            canvas.refresh()
            iface.layerTreeView().expandAll()
        QTimer.singleShot(2500, map_shot)
    except Exception:
        result["errors"].append(traceback.format_exc())
        finish(result, 1)


def map_shot():
    result = state["result"]
    try:
        win = iface.mainWindow()
        result["map_shot"] = {"size": grab(win, PARAMS["run"]["map_shot"]),
                              "path": PARAMS["run"]["map_shot"]}
    except Exception:
        result["errors"].append(traceback.format_exc())
    finish(result, 0)


QTimer.singleShot(1000, check)
'''


def find_xvfb():
    return shutil.which("xvfb-run"), shutil.which("Xvfb")


def find_qgis():
    for name in ("qgis.bin", "qgis"):
        path = shutil.which(name)
        if path:
            return path
    return None


def make_profile(base, plugin, lang=None):
    """A profile folder with the plugin linked and enabled."""
    profile = os.path.join(base, "profiles", "default")
    plugins = os.path.join(profile, "python", "plugins")
    os.makedirs(plugins)
    os.makedirs(os.path.join(profile, "QGIS"))
    os.symlink(os.path.abspath(plugin), os.path.join(plugins, "carbonsink"))
    lines = ["[PythonPlugins]", "carbonsink=true", "processing=true", "",
             "[qgis]", "checkVersion=false", "showTips=false", "",
             "[core]", "NewsFeed\\httpsfeedqgisorg\\disabled=true", "",
             "[app]", "projects\\lastOpenedProjects=", ""]
    if lang:
        lines += ["[locale]", "overrideFlag=true", f"userLocale={lang}",
                  f"globalLocale={lang}", ""]
    with open(os.path.join(profile, "QGIS", "QGIS3.ini"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    return profile


def run(out, timeout=120, lang=None, plugin=ROOT, keep=False, dialogs=None, run_alg=None):
    """Run QGIS; return (result dict or None, exit status). ``dialogs``:
    {algorithm id: screenshot path} of dialogs to open; ``run_alg``: {"id",
    "parameters", "expect" (output paths that must load), "dialog_shot",
    "map_shot"}: run from its dialog, then a screenshot of the map."""
    xvfb_run, xvfb = find_xvfb()
    qgis = find_qgis()
    if not (xvfb_run and xvfb) or qgis is None:
        return {"errors": ["xvfb-run/Xvfb or qgis not found"]}, 2
    base = tempfile.mkdtemp(prefix="carbonsink_qgis_")
    try:
        make_profile(base, plugin, lang)
        result_path = os.path.join(base, "result.json")
        code_path = os.path.join(base, "check_toolbox.py")
        params = {"result": result_path, "screenshot": os.path.abspath(out), "tries": 60,
                  "dialogs": dialogs or {}, "run": run_alg}
        with open(code_path, "w", encoding="utf-8") as f:
            f.write(INNER.replace("__PARAMS__", repr(params)))
        env = dict(os.environ)
        env.pop("QT_QPA_PLATFORM", None)              # a real (X11) window, not offscreen
        env.pop("PYTHONHOME", None)
        # QGIS's embedded Python finds its prefix through the python3 on PATH:
        # put the system's first, not a pyenv/venv one that runs this script
        env["PATH"] = os.pathsep.join(["/usr/bin", "/bin"] + [
            p for p in env.get("PATH", "").split(os.pathsep)
            if p and ".pyenv" not in p and not p.startswith(sys.prefix)])
        env.setdefault("XDG_RUNTIME_DIR", os.path.join(base, "runtime"))
        os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
        env["QGIS_CUSTOM_CONFIG_PATH"] = base
        cmd = [xvfb_run, "-a", "-s", "-screen 0 1366x768x24 -nolisten tcp", qgis,
               "--profiles-path", base, "--profile", "default", "--nologo",
               "--noversioncheck", "--code", code_path]
        if lang:
            cmd[cmd.index("--code"):cmd.index("--code")] = ["--lang", lang]
        log_path = os.path.join(base, "qgis.log")
        with open(log_path, "w") as log:
            proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True, cwd=base)
            deadline = time.monotonic() + timeout
            while proc.poll() is None and time.monotonic() < deadline:
                if os.path.exists(result_path):
                    try:
                        proc.wait(timeout=15)           # let QGIS quit by itself
                    except subprocess.TimeoutExpired:
                        pass
                    break
                time.sleep(0.5)
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
        result = None
        if os.path.exists(result_path):
            with open(result_path, encoding="utf-8") as f:
                result = json.load(f)
        else:
            with open(log_path, errors="replace") as f:
                tail = f.read()[-3000:]
            result = {"errors": [f"QGIS wrote no result within {timeout} s", tail]}
        ok = (not result.get("errors") and result.get("toolbox_provider")
              and result.get("toolbox_algorithms") and result.get("screenshot")
              and os.path.exists(result["screenshot"]))
        return result, 0 if ok else 1
    finally:
        if keep:
            print(f"profile kept in {base}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="qgis_window.png", help="screenshot (PNG)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds before QGIS is killed")
    ap.add_argument("--lang", help="interface language, e.g. zh_CN")
    ap.add_argument("--plugin", default=ROOT, help="the plugin folder to link")
    ap.add_argument("--keep", action="store_true", help="keep the temporary profile")
    args = ap.parse_args(argv)
    result, status = run(args.out, args.timeout, args.lang, args.plugin, args.keep)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return status


if __name__ == "__main__":
    sys.exit(main())
