"""Modified Mann-Kendall tests (methods.md 4) against pymannkendall."""
import numpy as np
import pymannkendall as pmk
import pytest
from helpers import nile, npp_like_stack

import carbonsink.core as cs


def hamed_rao_fixed(x):
    """pymannkendall 1.4.3's Hamed-Rao with its later fix (|sni|, issue #29)."""
    from scipy.stats import norm
    ref, plain = pmk.hamed_rao_modification_test(x), pmk.original_test(x)
    var = plain.var_s * (1 + abs(ref.var_s / plain.var_s - 1))
    z = 0.0 if ref.s == 0 else (ref.s - np.sign(ref.s)) / np.sqrt(var)
    return ref._replace(var_s=var, z=z, p=2 * (1 - norm.cdf(abs(z))))


REFS = {"hamed_rao": hamed_rao_fixed,
        "yue_wang": pmk.yue_wang_modification_test,
        "pre_whitening": pmk.pre_whitening_modification_test,
        "original": pmk.original_test}


def ar1(n, phi, seed, trend=0.0):
    rng = np.random.default_rng(seed)
    e = rng.normal(size=n)
    x = np.empty(n)
    x[0] = e[0]
    for i in range(1, n):
        x[i] = phi * x[i - 1] + e[i]
    return x + trend * np.arange(n)


def assert_same(r, ref):
    assert float(r.s) == pytest.approx(ref.s, abs=1e-9)
    assert float(r.var_s) == pytest.approx(ref.var_s, rel=1e-10)
    assert float(r.z) == pytest.approx(ref.z, rel=1e-10, abs=1e-14)
    assert float(r.pvalue) == pytest.approx(ref.p, rel=1e-8, abs=1e-14)
    assert float(r.tau) == pytest.approx(ref.Tau, rel=1e-12, abs=1e-14)
    assert float(r.slope) == pytest.approx(ref.slope, rel=1e-12, abs=1e-14)
    assert float(r.intercept) == pytest.approx(ref.intercept, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("method", sorted(REFS))
def test_nile_equals_pymannkendall(path, method):
    _, flow = nile()
    r = cs.mann_kendall(flow, method=method)
    ref = REFS[method](flow)
    assert_same(r, ref)


@pytest.mark.parametrize("method", ["hamed_rao", "yue_wang", "pre_whitening"])
@pytest.mark.parametrize("seed", range(6))
def test_autocorrelated_series_equal_pymannkendall(path, method, seed):
    x = np.round(ar1(24, 0.6, seed, trend=0.05), 1)        # rounding makes ties
    assert_same(cs.mann_kendall(x, method=method), REFS[method](x))


def test_serial_correlation_widens_the_variance(path):
    x = ar1(60, 0.8, seed=1)         # strongly autocorrelated, no trend
    orig = cs.mann_kendall(x)
    # Hamed-Rao keeps only significant rank autocorrelations: it widens Var(S).
    # (Yue-Wang as pymannkendall sums all n - 1 lags of the biased ACF, whose
    # negative tail can shrink it; that is the reference behaviour we follow.)
    r = cs.mann_kendall(x, method="hamed_rao")
    assert r.var_s > 1.5 * orig.var_s and abs(r.z) < abs(orig.z)


def test_hamed_rao_negative_variance_fix(path):
    # pymannkendall issue #29: 1.4.3 gives var_s < 0 and NaN z; the fix uses |sni|
    x = np.array([0.35257984, 0.38692909, 0.39669828, 0.36296244, 0.42035612, 0.39374964,
                  0.41100085, 0.43182076, 0.40815853, 0.45394297, 0.41584767, 0.47399517])
    buggy = pmk.hamed_rao_modification_test(x)
    plain = pmk.original_test(x)
    assert buggy.var_s < 0
    n_ns = 1 + abs(buggy.var_s / plain.var_s - 1)          # 1 + c |sni|
    r = cs.mann_kendall(x, method="hamed_rao")
    assert float(r.var_s) == pytest.approx(plain.var_s * n_ns, rel=1e-10)
    assert float(r.z) == pytest.approx((plain.s - 1) / np.sqrt(plain.var_s * n_ns), rel=1e-10)
    assert 0 < float(r.pvalue) < 1


@pytest.mark.parametrize("method", ["hamed_rao", "yue_wang", "pre_whitening"])
def test_stack_equals_each_pixel_and_paths_agree(method, monkeypatch):
    y = npp_like_stack(n=16, rows=12, cols=12, seed=7, gaps=0.0)
    y[3, 1, 1] = np.nan
    res = {}
    for flag in ("0", "1"):
        monkeypatch.setenv("CARBONSINK_NO_NUMBA", flag)
        res[flag] = cs.mann_kendall(y, method=method, min_valid=15)
    for f in res["0"].__dataclass_fields__:
        np.testing.assert_allclose(getattr(res["0"], f), getattr(res["1"], f),
                                   rtol=1e-10, atol=1e-12, equal_nan=True, err_msg=f)
    for i, j in [(0, 0), (5, 8), (7, 3)]:
        assert_same(cs.mann_kendall(y[:, i, j], method=method), REFS[method](y[:, i, j]))
    # constant pixel: pymannkendall's ACF is 0/0 there (NaN variance); we keep
    # the convention of methods.md: Z = 0, p = 1
    assert (float(res["0"].z[10, 10]), float(res["0"].pvalue[10, 10])) == (0.0, 1.0)
    assert np.isnan(res["0"].z[2, 3])            # the lake


def test_unknown_method_message():
    with pytest.raises(ValueError, match="hamed_rao"):
        cs.mann_kendall(np.arange(6.0), method="sen")
