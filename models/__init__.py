"""Processing models shipped with CarbonSink (``models/*.model3``).

The provider lists them beside its algorithms: each file becomes a
:class:`ShippedModel` whose id is ``carbonsink:<file name>`` (e.g.
``carbonsink:zhang2025_nep_trends``), while the toolbox shows the model's
own name (translated through the context "CarbonSinkModels"). The files are
made by ``scripts/make_models.py`` and open in the model designer like any
model; ``qgis_process run models/<file>.model3 -- ...`` runs a file directly.
"""
import glob
import os

from qgis.core import QgsProcessingModelAlgorithm, QgsProcessingUtils
from qgis.PyQt.QtCore import QCoreApplication

MODEL_DIR = os.path.dirname(os.path.abspath(__file__))
CONTEXT = "CarbonSinkModels"


def tr(text):
    return QCoreApplication.translate(CONTEXT, text) if text else text


class ShippedModel(QgsProcessingModelAlgorithm):
    """A model read from a .model3 file, with a stable id (the file name)
    and translated labels."""

    def __init__(self, path):
        super().__init__()
        self._path = path
        self._id = os.path.splitext(os.path.basename(path))[0]
        self.reload()

    def reload(self):
        """(Re)read the file. The model's outputs come from its steps, which
        QGIS finds in the processing registry: a model read while its
        provider is being loaded (not registered yet) has its inputs only,
        and is read again by :func:`reload_when_registered`."""
        if not self.fromFile(self._path):
            raise ValueError(f"cannot read the model {self._path}")
        self.setSourceFilePath(self._path)
        for definition in self.parameterDefinitions():
            definition.setDescription(tr(definition.description()))
        for child_id in self.childAlgorithms():
            child = self.childAlgorithm(child_id)
            child.setDescription(tr(child.description()))

    def name(self):
        return self._id

    def displayName(self):  # noqa: N802 - QGIS API name
        return tr(super().displayName())

    def group(self):
        return tr(super().group())

    def shortDescription(self):  # noqa: N802
        return tr(self.helpContent().get("SHORT_DESCRIPTION", ""))

    def shortHelpString(self):  # noqa: N802
        content = {k: tr(v) if isinstance(v, str) else v
                   for k, v in self.helpContent().items()}
        return QgsProcessingUtils.formatHelpMapAsHtml(content, self)

    def createInstance(self):  # noqa: N802 - a copy that keeps the id
        return type(self)(self._path)


_PENDING = []      # (provider id, models, slot) waiting for their provider


def reload_when_registered(provider_id, models):
    """Read ``models`` again once the provider ``provider_id`` is in the
    processing registry: QgsProcessingRegistry.addProvider() loads a
    provider's algorithms before it registers it, so steps such as
    carbonsink:nep cannot be resolved while loadAlgorithms() runs."""
    from qgis.core import QgsApplication
    from qgis.PyQt import sip
    registry = QgsApplication.processingRegistry()
    if registry.providerById(provider_id) is not None:     # a refresh: already there
        for model in models:
            model.reload()
        return

    def added(pid):
        if pid != provider_id:
            return
        registry.providerAdded.disconnect(added)
        _PENDING[:] = [p for p in _PENDING if p[2] is not added]
        for model in models:
            if not sip.isdeleted(model):
                model.reload()

    _PENDING.append((provider_id, models, added))
    registry.providerAdded.connect(added)


def model_files(folder=MODEL_DIR):
    return sorted(glob.glob(os.path.join(folder, "*.model3")))


def shipped_models(folder=MODEL_DIR, log=None):
    """A ShippedModel per readable .model3 file; unreadable files are
    skipped (and reported to ``log`` when given)."""
    out = []
    for path in model_files(folder):
        try:
            out.append(ShippedModel(path))
        except ValueError as exc:
            if log is not None:
                log(str(exc))
    return out
