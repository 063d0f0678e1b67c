"""Plugin entry: registers the Processing provider and loads translations."""
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication


class CarbonSinkPlugin:
    def __init__(self, iface=None):
        self.iface = iface
        self.provider = None
        self.translator = None
        self._load_translation()

    def _load_translation(self):
        # i18n/carbonsink_<locale>.qm for QGIS's locale: zh_CN, zh-Hans, de_DE -> de, ...
        from .i18n import install_translator
        self.translator = install_translator()

    def initProcessing(self):  # noqa: N802 - QGIS API name
        from .provider.provider import CarbonSinkProvider
        if self.provider is None:
            self.provider = CarbonSinkProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
