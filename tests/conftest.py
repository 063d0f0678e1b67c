"""Fixtures shared by the QGIS tests (pytest-qgis starts QgsApplication)."""
import importlib.util
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(params=["numba", "numpy"])
def path(request, monkeypatch):
    """Run a test on both the numba kernels and the numpy path."""
    from carbonsink.core import HAVE_NUMBA
    if request.param == "numba" and not HAVE_NUMBA:
        pytest.skip("numba not installed")
    monkeypatch.setenv("CARBONSINK_NO_NUMBA", "1" if request.param == "numpy" else "0")
    return request.param


@pytest.fixture(scope="session")
def provider(qgis_app, qgis_processing):
    """Our provider, registered after the Processing framework is up."""
    from qgis.core import QgsApplication

    from carbonsink.provider.provider import CarbonSinkProvider
    registry = QgsApplication.processingRegistry()
    if registry.providerById("carbonsink") is None:
        registry.addProvider(CarbonSinkProvider())
    yield registry.providerById("carbonsink")


@pytest.fixture(scope="module")
def spatial_algs(provider):
    """The provider with the spatial algorithms registered (when
    carbonsink.algorithms.ALGORITHMS does not list them yet)."""
    import carbonsink.algorithms as A
    from carbonsink.algorithms import spatial as S
    added = [c for c in S.ALGORITHMS if c not in A.ALGORITHMS]
    A.ALGORITHMS.extend(added)
    provider.refreshAlgorithms()
    yield provider
    for c in added:
        A.ALGORITHMS.remove(c)
    provider.refreshAlgorithms()


@pytest.fixture(scope="session")
def example(tmp_path_factory):
    """The bundled example data, at a small size: 40 x 30 pixels, 2000-2011."""
    spec = importlib.util.spec_from_file_location(
        "make_example_data", os.path.join(ROOT, "scripts", "make_example_data.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path_factory.mktemp("example")
    return mod.make_example_data(str(out), years=range(2000, 2012), cols=40, rows=30)


def pytest_sessionfinish(session, exitstatus):
    session.config._carbonsink_exit = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Leave without Python's final garbage collection: after QgsApplication
    has exited, destroying leftover QGIS wrappers can abort the interpreter
    (SIGABRT/SIGSEGV at exit) and turn a green run into a failed one."""
    status = getattr(config, "_carbonsink_exit", None)
    if status is not None:
        import sys
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
