"""The plugin's life in QGIS through qgis.utils, as the plugin manager drives
it: load, start, disable (unload), enable again, reload (what *Install from
ZIP* and the plugin reloader do), and quit. Any exception QGIS would show in
its Python error dialog fails the test.

Run in a fresh interpreter: qgis.utils tracks the modules a plugin imports
from its first import on, and the test session has imported carbonsink long
before."""
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = textwrap.dedent("""
    import os, sys, traceback
    sys.path.insert(0, "/usr/share/qgis/python/plugins")
    sys.path.insert(0, sys.argv[1])                 # the folder that holds carbonsink
    from qgis.core import QgsApplication
    app = QgsApplication([], False)
    app.initQgis()
    import qgis.utils as utils
    utils.plugin_paths = [sys.argv[1]]              # as QGIS does at start-up
    utils.updateAvailablePlugins()
    assert "carbonsink" in utils.available_plugins, utils.available_plugins
    shown = []
    def show(type_, value, tb, msg=None, messagebar=False, level=None):
        shown.append((msg or "") + ": " + "".join(traceback.format_exception(type_, value, tb)))
    utils.showException = show
    from processing.core.Processing import Processing
    Processing.initialize()
    from processing.core.ProcessingConfig import ProcessingConfig
    registry = QgsApplication.processingRegistry()

    def has_provider():
        return registry.providerById("carbonsink") is not None

    steps = []
    def step(name, ok, expect_provider):
        steps.append(name)
        assert ok, name + " returned False: " + " | ".join(shown)
        assert has_provider() == expect_provider, name + ": provider registered = " + str(
            has_provider())
        assert not shown, name + ": " + " | ".join(shown)

    step("load", utils.loadPlugin("carbonsink"), False)
    step("start", utils.startPlugin("carbonsink"), True)
    assert "CARBONSINK_THREADS" in ProcessingConfig.settings
    step("disable", utils.unloadPlugin("carbonsink"), False)
    assert "CARBONSINK_THREADS" not in ProcessingConfig.settings
    step("enable", utils.loadPlugin("carbonsink") and utils.startPlugin("carbonsink"), True)
    utils.reloadPlugin("carbonsink")                # install from ZIP / plugin reloader
    step("reload", True, True)
    # a provider unloaded twice (QGIS can do that on reinstall): no KeyError
    provider = registry.providerById("carbonsink")
    provider.unload()
    provider.unload()
    step("unload twice", True, True)
    step("quit", utils.unloadPlugin("carbonsink"), False)
    print("steps: " + ", ".join(steps))
    sys.stdout.flush()
    os._exit(0)
""")


@pytest.mark.qgis
def test_enable_disable_reload_quit_without_errors(tmp_path):
    script = tmp_path / "lifecycle.py"
    script.write_text(SCRIPT, encoding="utf-8")
    # a folder holding only a link named carbonsink: the plugin as QGIS installs it
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    os.symlink(ROOT, plugins / "carbonsink")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "profile"))
    proc = subprocess.run([sys.executable, str(script), str(plugins)], capture_output=True,
                          text=True, env=env, timeout=300, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "steps: load, start, disable, enable, reload, unload twice, quit" in proc.stdout
