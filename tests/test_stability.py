"""Coefficient of variation and Fisher-Jenks natural breaks (methods.md 6).

References: numpy std / mean per pixel; jenkspy.jenks_breaks (exact
Fisher-Jenks, C) and mapclassify.FisherJenks; a brute-force search over all
partitions for the optimum itself.
"""
import itertools
import time

import numpy as np
import pytest
from helpers import npp_like_stack

import carbonsink.core as cs
from carbonsink.core.stability import classify, coefficient_of_variation, natural_breaks

# ------------------------------------------------------ coefficient of variation

def test_cv_equals_numpy_per_pixel(path):
    y = npp_like_stack(seed=8)
    for ddof in (1, 0):
        cv = coefficient_of_variation(y, ddof=ddof, min_valid=20)
        assert cv.shape == y.shape[1:] and cv.dtype == np.float64
        checked = 0
        for i, j in [(0, 0), (7, 30), (3, 4), (29, 39), (15, 1), (20, 20), (11, 12)]:
            s = y[:, i, j]
            s = s[~np.isnan(s)]
            if s.size < 20:
                assert np.isnan(cv[i, j])
                continue
            assert cv[i, j] == pytest.approx(np.std(s, ddof=ddof) / np.mean(s), rel=1e-12)
            checked += 1
        assert checked >= 5
    assert coefficient_of_variation(y)[10, 10] == 0.0     # the constant pixel


def test_cv_hand_computed(path):
    # y = 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population sd 2, sample sd sqrt(32/7)
    y = np.array([2.0, 4, 4, 4, 5, 5, 7, 9])
    assert float(coefficient_of_variation(y, ddof=0)) == pytest.approx(0.4, rel=1e-15)
    assert float(coefficient_of_variation(y)) == pytest.approx(np.sqrt(32 / 7) / 5, rel=1e-15)
    assert float(coefficient_of_variation(-y, ddof=0)) == pytest.approx(-0.4)  # sign of the mean


def test_cv_constant_and_zero_mean(path):
    assert float(coefficient_of_variation(np.full(24, 0.1))) == 0.0   # exactly, not 1e-16
    assert float(coefficient_of_variation(np.full(24, 321.0))) == 0.0
    for y in ([-1.0, 1.0, -2.0, 2.0], [0.0, 0.0, 0.0], [0.1, 0.2, -0.3]):
        # mean 0 (the last one 5.6e-17 by rounding): NaN, never inf
        assert np.isnan(coefficient_of_variation(np.array(y)))


def test_cv_missing_values(path):
    y = np.array([[1.0, np.nan], [2.0, np.nan], [np.nan, np.nan], [4.0, np.nan]])
    assert np.isnan(coefficient_of_variation(y)).all()                # default: all
    cv = coefficient_of_variation(y, min_valid=3)
    s = np.array([1.0, 2.0, 4.0])
    assert cv[0] == pytest.approx(np.std(s, ddof=1) / s.mean(), rel=1e-14)
    assert np.isnan(cv[1])                                            # all NaN
    with pytest.raises(ValueError):
        coefficient_of_variation(y, ddof=-1)


def test_cv_numba_and_numpy_paths_agree(monkeypatch):
    if not cs.HAVE_NUMBA:
        pytest.skip("numba not installed")
    y = npp_like_stack(seed=9, rows=60, cols=70)
    res = {}
    for flag in ("0", "1"):
        monkeypatch.setenv("CARBONSINK_NO_NUMBA", flag)
        res[flag] = coefficient_of_variation(y, min_valid=18)
    assert np.array_equal(np.isnan(res["0"]), np.isnan(res["1"]))
    np.testing.assert_allclose(res["0"], res["1"], rtol=1e-14, atol=0)


# ------------------------------------------------------------- natural breaks

def _sdcm(values, breaks):
    """Within-class sum of squared deviations of values under breaks."""
    v = np.asarray(values, dtype=float)
    c = classify(v, breaks)
    return sum(((v[c == j] - v[c == j].mean()) ** 2).sum() for j in np.unique(c))


def _brute_force(values, k):
    """Least SDCM over every split of the sorted distinct values into k classes."""
    x = np.unique(values)
    best = np.inf
    for cut in itertools.combinations(range(1, len(x)), k - 1):
        b = [x[0]] + [x[c - 1] for c in cut] + [x[-1]]
        best = min(best, _sdcm(values, b))
    return best


def test_natural_breaks_obvious_clusters(path):
    v = [1, 2, 3, 10, 11, 12, 20, 21, 22, 23]
    assert natural_breaks(v, 3).tolist() == [1, 3, 12, 23]
    assert classify(v, natural_breaks(v, 3)).tolist() == [1, 1, 1, 2, 2, 2, 3, 3, 3, 3]
    assert natural_breaks(v, 1).tolist() == [1, 23]


def test_natural_breaks_equal_jenkspy(path):
    jenkspy = pytest.importorskip("jenkspy")
    rng = np.random.default_rng(5)
    for trial in range(60):
        n = int(rng.integers(8, 80))
        k = int(rng.integers(2, 7))
        v = rng.gamma(2.0, 10.0, n)          # continuous: a single optimum
        ref = jenkspy.jenks_breaks(v, n_classes=k)
        np.testing.assert_array_equal(natural_breaks(v, k), ref)


def test_natural_breaks_with_ties_are_optimal(path):
    # with repeated values several partitions can tie: compare the optimum
    jenkspy = pytest.importorskip("jenkspy")
    rng = np.random.default_rng(6)
    for trial in range(25):
        n = int(rng.integers(8, 16))
        k = int(rng.integers(2, 5))
        v = np.round(rng.gamma(2.0, 10.0, n) / 4)
        if len(np.unique(v)) < k:
            continue
        ours = _sdcm(v, natural_breaks(v, k))
        assert ours == pytest.approx(_brute_force(v, k), rel=1e-12, abs=1e-12)
        assert ours == pytest.approx(_sdcm(v, jenkspy.jenks_breaks(v, n_classes=k)),
                                     rel=1e-12, abs=1e-12)


def test_natural_breaks_equal_mapclassify(path):
    mapclassify = pytest.importorskip("mapclassify")
    v = np.array([3, 4, 4, 5, 9, 10, 11, 11, 12, 25, 26, 30, 31, 31, 60, 61, 64, 90], float)
    fj = mapclassify.FisherJenks(v, k=4)
    b = natural_breaks(v, 4)
    np.testing.assert_array_equal(b[1:], fj.bins)
    assert (classify(v, b) == fj.yb + 1).all()


def test_natural_breaks_many_values_few_distinct(path):
    # more values than the sample, fewer distinct values: still exact
    jenkspy = pytest.importorskip("jenkspy")
    rng = np.random.default_rng(1)
    x = np.unique(np.round(rng.lognormal(3, 0.6, 40), 1))
    v = np.repeat(x, rng.integers(50, 150, x.size))
    rng.shuffle(v)
    b = natural_breaks(v, 5, sample=1000)
    assert _sdcm(v, b) == pytest.approx(_sdcm(v, jenkspy.jenks_breaks(v, n_classes=5)), rel=1e-12)


def test_natural_breaks_sampled(path):
    rng = np.random.default_rng(2)
    v = np.concatenate([rng.normal(0.1, 0.02, 300_000), rng.normal(0.4, 0.05, 100_000),
                        np.full(1000, np.nan)])
    t = time.perf_counter()
    b = natural_breaks(v, 5)
    assert time.perf_counter() - t < 10          # about 0.5 s with numba
    assert b[0] == np.nanmin(v) and b[-1] == np.nanmax(v)
    assert np.all(np.diff(b) > 0)
    np.testing.assert_array_equal(b, natural_breaks(v, 5))            # seeded
    other = natural_breaks(v, 5, seed=1)
    np.testing.assert_allclose(other[1:-1], b[1:-1], atol=0.02)       # a stable estimate
    # on all the values, another sample's breaks fit as well (within 1 %)
    ok = v[~np.isnan(v)]
    sdam = ((ok - ok.mean()) ** 2).sum()
    assert _sdcm(ok, b) == pytest.approx(_sdcm(ok, other), rel=0.01)
    assert 1 - _sdcm(ok, b) / sdam > 0.95                             # goodness of fit


def test_natural_breaks_numba_and_numpy_agree(monkeypatch):
    if not cs.HAVE_NUMBA:
        pytest.skip("numba not installed")
    v = np.random.default_rng(3).lognormal(0, 1, 3000)
    res = {}
    for flag in ("0", "1"):
        monkeypatch.setenv("CARBONSINK_NO_NUMBA", flag)
        res[flag] = natural_breaks(v, 6)
    np.testing.assert_array_equal(res["0"], res["1"])


def test_natural_breaks_errors():
    with pytest.raises(ValueError, match="distinct"):
        natural_breaks([1.0, 1.0, 2.0, np.nan], 3)
    with pytest.raises(ValueError, match="no valid"):
        natural_breaks([np.nan, np.inf], 2)
    with pytest.raises(ValueError):
        natural_breaks([1.0, 2.0, 3.0], 0)


# ------------------------------------------------------------------ classify

def test_classify_boundary_rule():
    b = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    v = np.array([-1.0, 0.0, 0.05, 0.1, 0.1000001, 0.2, 0.35, 0.5, 0.7, np.nan])
    assert classify(v, b).tolist() == [1, 1, 1, 1, 2, 2, 4, 5, 5, -128]
    assert classify(v.reshape(2, 5), b).shape == (2, 5)
    assert classify(v, b).dtype == np.int8
    with pytest.raises(ValueError, match="increasing"):
        classify(v, [0.0, 0.3, 0.2])


def test_classify_equals_jenkspy_and_mapclassify():
    jenkspy = pytest.importorskip("jenkspy")
    mapclassify = pytest.importorskip("mapclassify")
    rng = np.random.default_rng(4)
    v = np.round(rng.gamma(2.0, 10.0, 300))        # many values on the breaks
    b = natural_breaks(v, 5)
    jnb = jenkspy.JenksNaturalBreaks(5)
    jnb.fit(v)
    np.testing.assert_array_equal(jnb.breaks_, b)
    assert (classify(v, b) == jnb.labels_ + 1).all()
    ud = mapclassify.UserDefined(v, bins=list(b[1:]))
    assert (classify(v, b) == ud.yb + 1).all()
    outside = np.array([b[0] - 100, b[0], b[-1], b[-1] + 100])   # nearest end class
    assert (classify(outside, b) == ud.find_bin(outside) + 1).all()


def test_cv_classes_end_to_end(path):
    y = npp_like_stack(seed=12)
    cv = coefficient_of_variation(y, min_valid=20)
    b = natural_breaks(cv, 5)
    c = classify(cv, b)
    assert (c[np.isnan(cv)] == -128).all()
    assert set(np.unique(c[~np.isnan(cv)])) == {1, 2, 3, 4, 5}
