"""Hurst exponent (rs, rs_segmented, aggvar) and persistence classes.

References: straightforward pure-Python implementations of methods.md section 7
written here (loops, math.log, statistics), and nolds.hurst_rs for the
classical segmented R/S where its definitions coincide.
"""
import math
import statistics

import numpy as np
import pytest
from helpers import nile, npp_like_stack

import carbonsink.core as cs
from carbonsink.core.hurst import hurst, persistence_class

# ------------------------------------------------ references from methods.md 7

def _fit(xs, ys):
    """Least-squares slope; None below 3 points (the pixel is nodata)."""
    if len(xs) < 3:
        return None
    return statistics.linear_regression(xs, ys).slope


def _r_over_s(v):
    """R/S of the values v: X_t = sum_{u<=t}(v_u - mean), t = 1..len(v),
    R = max X - min X, S = population sd; None when S = 0."""
    if len(set(v)) == 1:
        return None
    m = statistics.fmean(v)
    x, c = [], 0.0
    for u in v:
        c += u - m
        x.append(c)
    r = max(x) - min(x)
    assert r == pytest.approx(max(x + [0.0]) - min(x + [0.0]), abs=1e-9 * r)  # X_0 = 0 adds nothing
    return r / statistics.pstdev(v)


def ref_rs(y):
    y = [float(v) for v in y]
    xs, ys = [], []
    for tau in range(2, len(y) + 1):
        rs = _r_over_s(y[:tau])
        if rs is not None:
            xs.append(math.log(tau))
            ys.append(math.log(rs))
    return _fit(xs, ys)


def ref_rs_segmented(y, windows=None):
    y = [float(v) for v in y]
    n = len(y)
    windows = range(2, n // 2 + 1) if windows is None else windows
    xs, ys = [], []
    for w in windows:
        rs = [_r_over_s(y[g * w:(g + 1) * w]) for g in range(n // w)]
        rs = [v for v in rs if v is not None]
        if rs:
            xs.append(math.log(w))
            ys.append(math.log(statistics.fmean(rs)))
    return _fit(xs, ys)


def ref_aggvar(y):
    y = [float(v) for v in y]
    n = len(y)
    xs, ys = [], []
    for m in range(1, n // 2 + 1):
        k = n // m
        means = [statistics.fmean(y[i * m:(i + 1) * m]) for i in range(k)]
        mu = statistics.fmean(means)
        var = sum((b - mu) ** 2 for b in means) / k
        if var > 0:
            xs.append(math.log(m))
            ys.append(math.log(var))
    b = _fit(xs, ys)
    return None if b is None else 1 + b / 2


REFS = {"rs": ref_rs, "rs_segmented": ref_rs_segmented, "aggvar": ref_aggvar}


def _check(h, ref, rel=1e-9):
    if ref is None:
        assert np.isnan(h)
    else:
        assert float(h) == pytest.approx(ref, rel=rel, abs=1e-12)


# ------------------------------------------------------------- the estimators

@pytest.mark.parametrize("method", ["rs", "rs_segmented", "aggvar"])
def test_nile_equals_reference(path, method):
    _, flow = nile()
    h = hurst(flow, method)
    _check(h, REFS[method](flow))
    assert h > 0.5          # the Nile's long memory (Hurst 1951)
    _check(hurst(flow[:24], method), REFS[method](flow[:24]))


@pytest.mark.parametrize("method", ["rs", "rs_segmented", "aggvar"])
def test_random_series_equal_reference(path, method):
    rng = np.random.default_rng(7)
    for n in (6, 7, 12, 24, 33):
        for y in (rng.normal(size=n), np.cumsum(rng.normal(size=n)),
                  np.round(rng.normal(500, 30, n))):       # rounded: ties
            _check(hurst(y, method), REFS[method](y))


@pytest.mark.parametrize("method", ["rs", "rs_segmented", "aggvar"])
def test_stack_equals_each_pixel(path, method):
    y = npp_like_stack(seed=11)
    h = hurst(y, method, min_valid=20)
    assert h.shape == y.shape[1:] and h.dtype == np.float64
    checked = 0
    for i, j in [(0, 0), (7, 30), (10, 10), (3, 4), (29, 39), (15, 1), (20, 20)]:
        s = y[:, i, j]
        s = s[~np.isnan(s)]          # min_valid < n: valid values in time order
        if s.size < 20:
            assert np.isnan(h[i, j])
            continue
        _check(h[i, j], REFS[method](s))
        checked += 1
    assert checked >= 5
    assert np.isnan(h[10, 10])       # the constant pixel
    assert np.isnan(h[3, 4])         # the lake


def test_numba_and_numpy_paths_agree(monkeypatch):
    if not cs.HAVE_NUMBA:
        pytest.skip("numba not installed")
    y = npp_like_stack(seed=3)
    for method in ("rs", "rs_segmented", "aggvar"):
        res = {}
        for flag in ("0", "1"):
            monkeypatch.setenv("CARBONSINK_NO_NUMBA", flag)
            res[flag] = hurst(y, method, min_valid=18)
        assert np.array_equal(np.isnan(res["0"]), np.isnan(res["1"])), method
        assert np.isfinite(res["0"]).sum() > 1000
        np.testing.assert_allclose(res["0"], res["1"], rtol=1e-12, atol=1e-12, err_msg=method)


def test_missing_values_need_min_valid(path):
    _, flow = nile()
    y = flow[:30].copy()
    y[[4, 17]] = np.nan
    for method in ("rs", "rs_segmented", "aggvar"):
        assert np.isnan(hurst(y, method))                     # default: all years
        _check(hurst(y, method, min_valid=28), REFS[method](y[~np.isnan(y)]))


def test_white_noise_and_random_walk(path):
    # many short series: the estimators separate memoryless noise from a
    # random walk (small-sample biases: rs and rs_segmented read white noise
    # above 0.5, aggvar with blocks up to n/2 far below it)
    rng = np.random.default_rng(42)
    noise = rng.normal(size=(100, 300))
    walk = np.cumsum(rng.normal(size=(100, 300)), axis=0)
    for method, lo, hi in [("rs", 0.5, 0.7), ("rs_segmented", 0.55, 0.7), ("aggvar", 0.0, 0.3)]:
        h = hurst(noise, method)
        assert lo < np.mean(h) < hi, method
        assert np.mean(hurst(walk, method)) > np.mean(h) + 0.3, method
    assert np.mean(hurst(walk, "rs")) > 0.9
    assert np.mean(hurst(walk, "rs_segmented")) > 0.9


def test_constant_series_is_nan(path):
    for method in ("rs", "rs_segmented", "aggvar"):
        assert np.isnan(hurst(np.full(24, 0.1), method))
        assert np.isnan(hurst(np.full((24, 2, 3), 321.0), method)).all()


def test_constant_start_is_skipped(path):
    # S = 0 for the taus inside the constant start: they are left out
    y = np.array([5.0, 5, 5, 5, 7, 3, 8, 6, 9, 4, 10, 12])
    h = hurst(y, "rs")
    assert float(h) == pytest.approx(ref_rs(y), rel=1e-12)
    # only taus 5..12 enter: the same as fitting those points by hand
    xs = [math.log(t) for t in range(5, 13)]
    ys = [math.log(_r_over_s(list(y[:t]))) for t in range(5, 13)]
    assert float(h) == pytest.approx(statistics.linear_regression(xs, ys).slope, rel=1e-12)


@pytest.mark.parametrize("n", [4, 5])
def test_short_series(path, n):
    y = np.array([1.0, 3.0, 2.0, 5.0, 4.0])[:n]
    # rs: taus 2..n give 3 or 4 points; the others have fewer than 3 points
    _check(hurst(y, "rs"), ref_rs(y))
    assert not np.isnan(hurst(y, "rs"))
    assert np.isnan(hurst(y, "rs_segmented")) and np.isnan(hurst(y, "aggvar"))
    assert np.isnan(hurst(y[:3], "rs"))          # 2 taus only


def test_rs_hand_computed():
    # y = 1, 2, 4: tau 2: X = -0.5, 0 -> R 0.5, S 0.5 -> R/S 1
    #   tau 3 (mean 7/3): X = -4/3, -5/3, 0 -> R 5/3, S = sqrt(14/9) -> R/S 5/sqrt(14)
    # y4 = 3: tau 4 (mean 2.5): X = -1.5, -2, -0.5, 0 -> R 2, S = sqrt(1.25)
    y = np.array([1.0, 2.0, 4.0, 3.0])
    xs = [math.log(2), math.log(3), math.log(4)]
    ys = [0.0, math.log(5 / math.sqrt(14)), math.log(2 / math.sqrt(1.25))]
    assert float(hurst(y)) == pytest.approx(statistics.linear_regression(xs, ys).slope, rel=1e-12)


def test_aggvar_hand_computed():
    # n = 6: m = 1: Var of y; m = 2: means 1.5, 3.5, 5.5 -> Var 8/3;
    # m = 3: means 2, 5 -> Var 2.25. y = 1..6 gives Var_1 = 35/12.
    y = np.arange(1.0, 7.0)
    xs = [0.0, math.log(2), math.log(3)]
    ys = [math.log(35 / 12), math.log(8 / 3), math.log(2.25)]
    beta = statistics.linear_regression(xs, ys).slope
    assert float(hurst(y, "aggvar")) == pytest.approx(1 + beta / 2, rel=1e-12)


# --------------------------------------------------------------- nolds

def test_rs_segmented_equals_nolds(path):
    nolds = pytest.importorskip("nolds")
    _, flow = nile()
    for y in (flow, flow[:24], npp_like_stack(seed=2, gaps=0)[:, 5, 9]):
        n = len(y)
        nv = np.arange(2, n // 2 + 1)
        ref = nolds.hurst_rs(y, nvals=nv, fit="poly", corrected=False, unbiased=False)
        assert float(hurst(y, "rs_segmented")) == pytest.approx(ref, rel=1e-10)
    # explicit windows, e.g. nolds' default log-spaced set for the Nile
    nv = nolds.logmid_n(len(flow), ratio=1 / 4.0, nsteps=15)
    ref = nolds.hurst_rs(flow, nvals=nv, fit="poly", corrected=False, unbiased=False)
    assert float(hurst(flow, "rs_segmented", windows=nv)) == pytest.approx(ref, rel=1e-10)
    nv = [2, 4, 8, 16, 32, 64, 100]
    ref = nolds.hurst_rs(flow, nvals=nv, fit="poly", corrected=False, unbiased=False)
    assert float(hurst(flow, "rs_segmented", windows=nv)) == pytest.approx(ref, rel=1e-10)


def test_windows_validation():
    with pytest.raises(ValueError, match="rs_segmented"):
        hurst(np.arange(10.0), "rs", windows=[2, 3, 4])
    with pytest.raises(ValueError, match=">= 2"):
        hurst(np.arange(10.0), "rs_segmented", windows=[1, 2, 3])
    with pytest.raises(ValueError, match="rs, rs_segmented, aggvar"):
        hurst(np.arange(10.0), "dfa")
    # windows longer than the series are left out
    y = np.random.default_rng(0).normal(size=20)
    assert float(hurst(y, "rs_segmented", windows=[2, 4, 5, 40])) == pytest.approx(
        ref_rs_segmented(y, [2, 4, 5]), rel=1e-10)


# -------------------------------------------------------- persistence classes

def test_persistence_class_codes():
    slope = np.array([1.0, -1.0, 1.0, -1.0, 0.0, 1.0, -2.0, np.nan, 1.0])
    h = np.array([0.7, 0.8, 0.3, 0.2, 0.9, 0.5, np.nan, 0.7, 0.51])
    assert persistence_class(slope, h).tolist() == [1, 2, 3, 4, 0, 0, -128, -128, 1]
    assert persistence_class(slope, h).dtype == np.int8


def test_persistence_class_significance_mask():
    slope = np.array([[1.0, -1.0], [1.0, -1.0]])
    h = np.array([[0.7, 0.7], [0.3, 0.3]])
    p = np.array([[0.01, 0.2], [0.2, 0.04]])
    assert persistence_class(slope, h, p < 0.05).tolist() == [[1, 0], [0, 4]]
    assert persistence_class(slope, h).tolist() == [[1, 2], [3, 4]]


def test_persistence_from_trend_and_hurst(path):
    # the whole chain on a stack: Sen slope + Mann-Kendall, H, classes
    y = npp_like_stack(seed=4)
    mk = cs.mann_kendall(y, min_valid=20)
    h = hurst(y, min_valid=20)
    c = persistence_class(mk.slope, h, mk.pvalue < 0.05)
    assert c.shape == y.shape[1:]
    assert set(np.unique(c)) <= {-128, 0, 1, 2, 3, 4}
    assert (c[np.isnan(h)] == -128).all()
    assert (c[(mk.pvalue >= 0.05) & ~np.isnan(h)] == 0).all()
