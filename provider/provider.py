"""The CarbonSink Processing provider (id ``carbonsink``)."""
import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..algorithms import ALGORITHMS

ICON = os.path.join(os.path.dirname(os.path.dirname(__file__)), "icon.svg")
THREADS = "CARBONSINK_THREADS"
MEMORY_MB = "CARBONSINK_MEMORY_MB"
DEFAULT_MEMORY_MB = 256


def _config():
    try:
        from processing.core.ProcessingConfig import ProcessingConfig, Setting
    except ImportError:  # the Processing plugin is not loaded
        return None, None
    return ProcessingConfig, Setting


def settings():
    """(threads, memory budget in MB) from the Processing options."""
    config, _ = _config()
    threads, memory = 0, DEFAULT_MEMORY_MB
    if config is not None:
        try:
            threads = int(config.getSetting(THREADS) or 0)
            memory = int(config.getSetting(MEMORY_MB) or DEFAULT_MEMORY_MB)
        except (TypeError, ValueError):
            pass
    return max(threads, 0), max(memory, 16)


class CarbonSinkProvider(QgsProcessingProvider):
    def id(self):
        return "carbonsink"

    def name(self):
        return "CarbonSink"

    def longName(self):  # noqa: N802
        return self.tr("CarbonSink: vegetation carbon-sink analysis")

    def icon(self):
        return QIcon(ICON)

    def svgIconPath(self):  # noqa: N802
        return ICON

    def load(self):
        config, setting = _config()
        if config is not None:
            config.settingIcons[self.name()] = self.icon()
            config.addSetting(setting(self.name(), THREADS,
                                      self.tr("Threads for numba kernels (0 = all cores)"),
                                      0, valuetype=setting.INT))
            config.addSetting(setting(self.name(), MEMORY_MB,
                                      self.tr("Memory budget per block (MB)"),
                                      DEFAULT_MEMORY_MB, valuetype=setting.INT))
            config.readSettings()
        self.refreshAlgorithms()
        return True

    def unload(self):
        config, _ = _config()
        if config is not None:
            for key in (THREADS, MEMORY_MB):
                config.removeSetting(key)

    def loadAlgorithms(self):  # noqa: N802
        for cls in ALGORITHMS:
            self.addAlgorithm(cls())

    def supportedOutputRasterLayerExtensions(self):  # noqa: N802
        return ["tif"]

    def defaultRasterFileExtension(self):  # noqa: N802
        return "tif"
