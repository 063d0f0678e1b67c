"""QGIS 4 / Qt6 readiness of the plugin's sources, checked the way QGIS's own
migration script (scripts/pyqt5_to_pyqt6/pyqt5_to_pyqt6.py in the QGIS source
tree) does, by reading every module's syntax tree and resolving names against
the installed PyQGIS:

* Qt only through ``qgis.PyQt`` (no ``PyQt5`` / ``PyQt6`` imports), no
  ``exec_``, ``QRegExp``, ``qApp``, ``QDesktopWidget`` or compiled resources;
* every enum member is written scoped (``QgsFeatureSink.Flag.FastInsert``, not
  ``QgsFeatureSink.FastInsert``): PyQt6 drops the unscoped aliases, and the
  scoped form works on QGIS 3.22 too (the test resolves it there);
* ``QVariant`` type constants only beside a ``QMetaType`` branch (QGIS >= 3.38
  takes QMetaType, Qt6 has no QVariant.Int).
"""
import ast
import importlib
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGIN_DIRS = ["", "algorithms", "provider", "core", "core/io", "i18n", "models"]
REMOVED = {"exec_": "exec()", "QRegExp": "QRegularExpression", "qApp": "QApplication.instance()",
           "QDesktopWidget": "QScreen", "resources_rc": "icon files by path"}


def plugin_sources():
    for sub in PLUGIN_DIRS:
        folder = os.path.join(ROOT, sub)
        for name in sorted(os.listdir(folder)):
            if name.endswith(".py"):
                yield os.path.join(folder, name)


def qt_names(tree):
    """{local name: object} for names imported from qgis.core / qgis.gui /
    qgis.PyQt.* anywhere in the module."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (
                node.module.startswith("qgis.") or node.module == "qgis"):
            try:
                module = importlib.import_module(node.module)
            except ImportError:
                continue
            for alias in node.names:
                obj = getattr(module, alias.name, None)
                if obj is not None:
                    names[alias.asname or alias.name] = obj
    return names


def unscoped_member(owner, attr):
    """The scoped spelling when ``owner.attr`` is an enum member reached
    without its enum's name, else None."""
    value = getattr(owner, attr, None)
    if value is None or isinstance(value, type) or callable(value):
        return None
    enum = type(value)
    enum_name = enum.__name__
    if enum_name == attr or getattr(owner, enum_name, None) is not enum:
        return None                  # not an enum nested in owner (or already scoped)
    return f"{owner.__name__}.{enum_name}.{attr}"


def problems_in(path):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    rel = os.path.relpath(path, ROOT)
    names = qt_names(tree)
    found = []
    guarded = set()   # functions that branch between QVariant and QMetaType
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            ids = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}
            if "QMetaType" in ids and "QVariant" in ids:
                guarded.update(id(n) for n in ast.walk(fn))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            mods = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names]
            for mod in mods:
                if mod.split(".")[0] in ("PyQt5", "PyQt6", "PySide2", "PySide6"):
                    found.append(f"{rel}:{node.lineno}: import {mod}: use qgis.PyQt")
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name in REMOVED:
                        found.append(f"{rel}:{node.lineno}: {alias.name} is removed in Qt6 "
                                     f"(use {REMOVED[alias.name]})")
        elif isinstance(node, ast.Attribute):
            if node.attr in REMOVED:
                found.append(f"{rel}:{node.lineno}: .{node.attr} is removed in Qt6 "
                             f"(use {REMOVED[node.attr]})")
            if isinstance(node.value, ast.Name) and node.value.id in names:
                owner = names[node.value.id]
                if node.value.id == "QVariant":
                    if id(node) not in guarded:
                        found.append(f"{rel}:{node.lineno}: QVariant.{node.attr} without a "
                                     "QMetaType branch (Qt6 has no QVariant types)")
                    continue        # the QGIS < 3.38 (Qt5-only) branch
                scoped = unscoped_member(owner, node.attr)
                if scoped:
                    found.append(f"{rel}:{node.lineno}: unscoped enum "
                                 f"{node.value.id}.{node.attr} (write {scoped})")
    return found


@pytest.mark.qgis
def test_checker_finds_what_qt6_rejects(tmp_path):
    """The check itself: a module with each pattern is reported line by line."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from qgis.core import QgsFeatureSink, QgsWkbTypes\n"
        "from qgis.PyQt.QtCore import QVariant\n"
        "from PyQt5.QtCore import Qt\n"
        "a = QgsFeatureSink.FastInsert\n"
        "b = QgsWkbTypes.PolygonGeometry\n"
        "c = QVariant.Int\n"
        "d = QgsFeatureSink.Flag.FastInsert\n"
        "dialog.exec_()\n", encoding="utf-8")
    found = problems_in(str(bad))
    text = "\n".join(found)
    assert "import PyQt5.QtCore" in text
    assert "bad.py:4: unscoped enum QgsFeatureSink.FastInsert (write " \
           "QgsFeatureSink.Flag.FastInsert)" in text
    assert "bad.py:5: unscoped enum QgsWkbTypes.PolygonGeometry" in text
    assert "bad.py:6: QVariant.Int" in text
    assert "exec_" in text
    assert not any("bad.py:7:" in f for f in found)     # the scoped form passes
    assert len(found) == 5, found


@pytest.mark.qgis
def test_plugin_sources_are_qt6_ready():
    found = [p for path in plugin_sources() for p in problems_in(path)]
    assert not found, "\n".join(found)
