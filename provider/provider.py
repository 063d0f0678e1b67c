"""The CarbonSink Processing provider (id ``carbonsink``)."""
import os

from qgis.core import QgsMessageLog, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..algorithms import ALGORITHMS
from .settings import (  # noqa: F401
    DEFAULT_MEMORY_MB,
    DEFAULT_PERMUTATIONS,
    MEMORY_MB,
    NUMBA_STATUS,
    PERMUTATIONS,
    THREADS,
    _config,
    numba_status,
    permutations,
    read_only,
    settings,
)

ICON = os.path.join(os.path.dirname(os.path.dirname(__file__)), "icon.svg")


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
            config.addSetting(setting(self.name(), PERMUTATIONS,
                                      self.tr("Default number of permutations (spatial "
                                              "statistics)"),
                                      DEFAULT_PERMUTATIONS, valuetype=setting.INT))
            status = numba_status()
            config.addSetting(setting(
                self.name(), NUMBA_STATUS, self.tr("numba status (information only)"), status,
                valuetype=setting.STRING,
                validator=read_only(status, self.tr(
                    "The numba status is information only: it shows whether the fast "
                    "path is in use and cannot be changed here."))))
            config.readSettings()
            config.setSettingValue(NUMBA_STATUS, status)   # what is true now, not last time
        self.refreshAlgorithms()
        return True

    def unload(self):
        config, _ = _config()
        if config is not None:
            # removeSetting raises KeyError for a key already gone: QGIS can
            # unload a provider twice (plugin reload, install from ZIP)
            for key in (THREADS, MEMORY_MB, PERMUTATIONS, NUMBA_STATUS):
                if key in getattr(config, "settings", {}):
                    config.removeSetting(key)
            getattr(config, "settingIcons", {}).pop(self.name(), None)

    def loadAlgorithms(self):  # noqa: N802
        for cls in ALGORITHMS:
            self.addAlgorithm(cls())
        # the workflows in models/*.model3, as carbonsink:<file name>
        from ..models import reload_when_registered, shipped_models
        models = shipped_models(log=lambda text: QgsMessageLog.logMessage(
            text, "CarbonSink"))                    # default level: warning
        for model in models:
            self.addAlgorithm(model)
        reload_when_registered(self.id(), models)   # steps resolvable once registered

    def supportedOutputRasterLayerExtensions(self):  # noqa: N802
        return ["tif"]

    def defaultRasterFileExtension(self):  # noqa: N802
        return "tif"
