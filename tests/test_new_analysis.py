"""A new per-pixel analysis is one kernel and one declaration
(docs/architecture.md): the example of the architecture notes, declared
here and nowhere else, is a command on the block engine and on dask (the
same numbers, bit for bit) and a QGIS algorithm, with the valid-years log."""
import warnings

import numpy as np
import pytest
from helpers import read_tif, write_tif

from carbonsink import cli
from carbonsink.core import rasters
from carbonsink.core._dispatch import dask_aware
from carbonsink.core.io import OutputSpec
from carbonsink.core.runs.declare import N_, Analysis, raster_out
from carbonsink.core.runs.trends import read_series, series_inputs


# 1. the kernel: a per-pixel function over (years, ...) arrays, made dask-aware
def amplitude(y, min_valid=None):
    """max - min of the valid years; NaN with fewer than ``min_valid``."""
    y = np.asarray(y, dtype=np.float64)
    n = np.isfinite(y).sum(axis=0)
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)        # all-NaN pixels
        a = np.nanmax(y, axis=0) - np.nanmin(y, axis=0)
    return np.where(n >= (min_valid or y.shape[0]), a, np.nan)


amplitude = dask_aware(amplitude, "array", ("y",))


# 2. the declaration: parameters, outputs and run, for both surfaces
def run_amplitude(a):
    st, _, mv = read_series(a)
    mv = mv or st.n
    paths = rasters.per_pixel({"y": st}, {"amp": OutputSpec(a.output("OUTPUT"))},
                              lambda arr: {"amp": amplitude(arr["y"], mv)}, mv,
                              a.progress, a.memory_mb, a.runner)
    return {"OUTPUT": paths["amp"]}


AMPLITUDE = Analysis(
    "amplitude", N_("Amplitude of the years (max - min)"), N_("Temporal statistics"),
    "temporal", [*series_inputs(), raster_out("OUTPUT", N_("Amplitude"))],
    run_amplitude, "Amplitude of the years (max - min)", class_name="AmplitudeAlgorithm",
    dask=True, any_outputs=True)


@pytest.fixture
def with_amplitude(monkeypatch):
    declared = dict(cli._declared(), amplitude=AMPLITUDE)
    monkeypatch.setattr(cli, "_declared", lambda: declared)


def test_a_new_declaration_is_a_command_on_both_engines(with_amplitude, tmp_path, capsys):
    rng = np.random.default_rng(5)
    y = 300 + rng.normal(0, 40, (10, 37, 45))
    y[rng.random(y.shape) < 0.05] = np.nan
    y[:, :3, :4] = np.nan                                     # no valid year
    stack = write_tif(tmp_path / "y.tif", y)
    ref = amplitude(y.astype(np.float32).astype(np.float64), 8)
    for extra in ([], ["--dask", "threads", "--chunk", "16"]):
        out = tmp_path / f"amp{len(extra)}.tif"
        rc = cli.main(["amplitude", "--input", stack, "--years", "2001..", "--min-valid", "8",
                       "--output", str(out), *extra])
        err = capsys.readouterr().err
        assert rc == 0, err
        got, _ = read_tif(out)
        np.testing.assert_allclose(got, ref.astype(np.float32), rtol=0, equal_nan=True)
    assert np.array_equal(read_tif(tmp_path / "amp0.tif")[0], read_tif(tmp_path / "amp4.tif")[0],
                          equal_nan=True)
    # the block engine's log line counts the pixels as the reference does
    n = np.isfinite(y).sum(axis=0)
    rc = cli.main(["amplitude", "--input", stack, "--min-valid", "8", "--output",
                   str(tmp_path / "again.tif")])
    err = capsys.readouterr().err
    assert (f"{int((n >= 8).sum())} pixels computed; {int(((n > 0) & (n < 8)).sum())} left "
            f"out with fewer than 8 valid years of 10") in err
    assert f"{int((n == 0).sum())} without any valid year" in err


@pytest.mark.qgis
def test_a_new_declaration_is_a_qgis_algorithm(qgis_app, qgis_processing, tmp_path):
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    from carbonsink.algorithms.declared import algorithm_class
    y = np.random.default_rng(6).normal(500, 30, (12, 20, 25))
    stack = write_tif(tmp_path / "y.tif", y)
    alg = algorithm_class(AMPLITUDE)()
    alg.initAlgorithm()
    assert [p.name() for p in alg.parameterDefinitions()][:4] == \
        ["INPUT", "FIRST_YEAR", "YEARS", "MIN_VALID"]
    out = str(tmp_path / "amp.tif")
    res, ok = alg.run({"INPUT": [stack], "OUTPUT": out}, QgsProcessingContext(),
                      QgsProcessingFeedback())
    assert ok and res["OUTPUT"] == out
    got, _ = read_tif(out)
    np.testing.assert_allclose(got, amplitude(y.astype(np.float32).astype(np.float64))
                               .astype(np.float32), rtol=0)
    assert (tmp_path / "amp.qml").exists()              # a continuous style, as every output
