"""Plugin entry: registers the Processing provider and loads translations."""
import os

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, QTranslator


class CarbonSinkPlugin:
    def __init__(self, iface=None):
        self.iface = iface
        self.provider = None
        self.translator = None
        self._load_translation()

    def _load_translation(self):
        locale = QSettings().value("locale/userLocale", QLocale().name()) or ""
        qm = os.path.join(os.path.dirname(__file__), "i18n",
                          f"carbonsink_{str(locale)[:2]}.qm")
        if os.path.exists(qm):
            self.translator = QTranslator()
            if self.translator.load(qm):
                QCoreApplication.installTranslator(self.translator)

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
