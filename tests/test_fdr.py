"""Benjamini-Hochberg FDR: exact and streamed (histogram) against statsmodels."""
import os

import numpy as np
import pytest
from helpers import npp_like_stack, read_tif, write_tif
from statsmodels.stats.multitest import multipletests

from carbonsink.core import fdr
from carbonsink.core.io import RasterStack
from carbonsink.core.rasters import linear_trend_rasters, mann_kendall_rasters


def mixture(n, seed):
    rng = np.random.default_rng(seed)
    p = rng.uniform(size=n)
    k = n // 5
    p[:k] = rng.beta(0.2, 8.0, size=k)          # a fifth are real effects
    return p


def test_exact_q_equals_statsmodels():
    p = mixture(5000, 0)
    p[[3, 50, 700]] = np.nan
    q = fdr.fdr_bh(p)
    ok = ~np.isnan(p)
    ref = multipletests(p[ok], method="fdr_bh")[1]
    np.testing.assert_allclose(q[ok], ref, rtol=1e-12)
    assert np.isnan(q[3])


def test_textbook_case():
    # Benjamini & Hochberg (1995) style: 5 p-values, m = 5
    p = np.array([0.01, 0.04, 0.03, 0.005, 0.20])
    # sorted: 0.005 0.01 0.03 0.04 0.20 -> m p / rank: 0.025 0.025 0.05 0.05 0.20
    np.testing.assert_allclose(fdr.fdr_bh(p), [0.025, 0.05, 0.05, 0.025, 0.20])


def test_streamed_histogram_matches_exact_q():
    p = mixture(200_000, 1).astype(np.float32).astype(np.float64)
    hist = fdr.PValueHistogram()
    for chunk in np.array_split(p, 7):            # as if block by block
        hist.add(chunk)
    assert hist.m == p.size
    exact = fdr.fdr_bh(p)
    approx = np.concatenate([hist.q(c) for c in np.array_split(p, 3)])
    np.testing.assert_allclose(approx, exact, rtol=1e-4, atol=1e-12)
    # the significant set at q < 0.05 is the same but for values at the edge
    differ = (approx < 0.05) != (exact < 0.05)
    assert differ.sum() <= 2


def test_raster_q_and_fdr_classes(tmp_path):
    y = npp_like_stack(n=12, rows=300, cols=260, seed=4)
    path = write_tif(tmp_path / "npp.tif", y)
    out = {k: str(tmp_path / f"{k}.tif") for k in ("q", "fdr_class", "z")}
    paths = mann_kendall_rasters(RasterStack(path), out, min_valid=10, memory_mb=1)
    assert set(paths) == {"q", "fdr_class", "z"}            # p and slope were temporary
    assert sorted(os.listdir(tmp_path)) == ["fdr_class.tif", "npp.tif", "q.tif", "z.tif"]
    # reference: exact BH over the p-values the same run writes
    p_path = str(tmp_path / "p.tif")
    s_path = str(tmp_path / "s.tif")
    mann_kendall_rasters(RasterStack(path), {"pvalue": p_path, "slope": s_path},
                         min_valid=10)
    p, _ = read_tif(p_path)
    slope, _ = read_tif(s_path)
    exact = fdr.fdr_bh(p)
    q, _ = read_tif(out["q"])
    np.testing.assert_allclose(q, exact, rtol=1e-4, equal_nan=True)
    assert np.nanmin(q) >= np.nanmin(p) and np.nanmax(q) <= 1
    cls, _ = read_tif(out["fdr_class"])
    ref = fdr.fdr_class_mk(slope, exact).astype(float)
    ref[ref == -128] = np.nan
    assert np.mean(cls[~np.isnan(ref)] == ref[~np.isnan(ref)]) > 0.999


def test_linear_fdr_classes_are_never_more_significant_than_p(tmp_path):
    y = npp_like_stack(n=10, rows=60, cols=50, seed=8)
    path = write_tif(tmp_path / "npp.tif", y)
    out = {k: str(tmp_path / f"{k}.tif") for k in ("class", "fdr_class", "pvalue", "q")}
    linear_trend_rasters(RasterStack(path), out, min_valid=9)
    cls, _ = read_tif(out["class"])
    fcls, _ = read_tif(out["fdr_class"])
    ok = ~np.isnan(cls)
    assert np.all(np.abs(fcls[ok]) <= np.abs(cls[ok]))
    p, _ = read_tif(out["pvalue"])
    q, _ = read_tif(out["q"])
    assert np.all(q[ok] >= p[ok] * (1 - 1e-6))


def test_failure_in_fdr_pass_removes_every_output(tmp_path, monkeypatch):
    y = npp_like_stack(n=6, rows=40, cols=40, seed=2)
    path = write_tif(tmp_path / "npp.tif", y)

    def boom(*a, **k):
        raise RuntimeError("histogram failed")

    monkeypatch.setattr(fdr.PValueHistogram, "add", boom)
    with pytest.raises(RuntimeError):
        mann_kendall_rasters(RasterStack(path), {"slope": str(tmp_path / "s.tif"),
                                                 "q": str(tmp_path / "q.tif")}, min_valid=5)
    assert sorted(os.listdir(tmp_path)) == ["npp.tif"]
