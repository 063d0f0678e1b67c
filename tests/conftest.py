"""Fixtures shared by the QGIS tests (pytest-qgis starts QgsApplication)."""
import importlib.util
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="session")
def provider(qgis_app, qgis_processing):
    """Our provider, registered after the Processing framework is up."""
    from qgis.core import QgsApplication

    from carbonsink.provider.provider import CarbonSinkProvider
    registry = QgsApplication.processingRegistry()
    if registry.providerById("carbonsink") is None:
        registry.addProvider(CarbonSinkProvider())
    yield registry.providerById("carbonsink")


@pytest.fixture(scope="session")
def example(tmp_path_factory):
    """The bundled example data, at a small size: 40 x 30 pixels, 2000-2011."""
    spec = importlib.util.spec_from_file_location(
        "make_example_data", os.path.join(ROOT, "scripts", "make_example_data.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path_factory.mktemp("example")
    return mod.make_example_data(str(out), years=range(2000, 2012), cols=40, rows=30)
