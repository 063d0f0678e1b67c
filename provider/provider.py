"""The CarbonSink Processing provider (id ``carbonsink``)."""
import os

from qgis.core import QgsMessageLog, QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..algorithms import ALGORITHMS

ICON = os.path.join(os.path.dirname(os.path.dirname(__file__)), "icon.svg")
THREADS = "CARBONSINK_THREADS"
MEMORY_MB = "CARBONSINK_MEMORY_MB"
PERMUTATIONS = "CARBONSINK_PERMUTATIONS"
NUMBA_STATUS = "CARBONSINK_NUMBA_STATUS"
DEFAULT_MEMORY_MB = 256
DEFAULT_PERMUTATIONS = 999


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


def permutations():
    """Default number of permutations of the spatial statistics (Processing
    options; 0 = analytical p-values only)."""
    config, _ = _config()
    if config is None:
        return DEFAULT_PERMUTATIONS
    try:
        value = config.getSetting(PERMUTATIONS)
        return max(int(DEFAULT_PERMUTATIONS if value in (None, "") else value), 0)
    except (TypeError, ValueError):
        return DEFAULT_PERMUTATIONS


def numba_status():
    """One line on the numba fast path, for the Processing options."""
    from ..core import _numba

    def tr(text):
        return QCoreApplication.translate("CarbonSinkProvider", text)
    if not _numba.HAVE_NUMBA:
        return tr("numba is not installed: numpy path (same results, slower; see the "
                  "plugin's README)")
    version = getattr(_numba.numba, "__version__", "?")
    if not _numba.use_numba():
        return tr("numba {} is installed but switched off by CARBONSINK_NO_NUMBA: numpy "
                  "path").format(version)
    return tr("numba {}: fast path ({} threads)").format(
        version, _numba.numba.config.NUMBA_NUM_THREADS)


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
            config.addSetting(setting(self.name(), NUMBA_STATUS,
                                      self.tr("numba status (information only)"), status,
                                      valuetype=setting.STRING))
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
