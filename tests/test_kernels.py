"""The fast kernels (issue 16) give the numbers of the reference paths:
the branch-free quickselect and the fused S loop of Sen + Mann-Kendall are
bit-identical to the numpy path on tie-heavy, constant and gappy data, and
the least-squares p-value computed inside the numba kernel (regularised
incomplete beta) equals scipy's Student t to 1e-12."""
import numpy as np
import pytest
from helpers import npp_like_stack
from scipy import stats

import carbonsink.core as cs
from carbonsink.core import _numba

YEARS = np.arange(2000.0, 2024.0)


def hard_stack():
    """24 x 40 x 50: realistic NPP with gaps, integer (tied) values, a
    constant block, a two-valued block and pixels with one valid year."""
    y = npp_like_stack(n=24, rows=40, cols=50, seed=4)
    y[:, :10, :10] = np.round(y[:, :10, :10] / 40.0)           # many ties
    y[:, 10:14, :] = 250.0                                     # constant
    y[:, 14:18, :] = np.where(np.arange(24)[:, None, None] % 3 == 0, 1.0, 2.0)
    y[:20, 18, :5] = np.nan                                    # too few valid years
    return y


def both_paths(monkeypatch, fn):
    if not _numba.HAVE_NUMBA:
        pytest.skip("numba not installed")
    monkeypatch.setenv("CARBONSINK_NO_NUMBA", "0")
    fast = fn()
    monkeypatch.setenv("CARBONSINK_NO_NUMBA", "1")
    ref = fn()
    return fast, ref


@pytest.mark.parametrize("method", ["original", "hamed_rao", "yue_wang", "pre_whitening"])
def test_sen_mk_kernel_bit_identical_to_numpy_path(monkeypatch, method):
    y = hard_stack()
    fast, ref = both_paths(monkeypatch, lambda: cs.mann_kendall(y, YEARS, method=method,
                                                                min_valid=16))
    for f in ("s", "var_s", "z", "pvalue", "tau", "slope", "intercept"):
        a, b = getattr(fast, f), getattr(ref, f)
        if f in ("s", "slope", "intercept") or (method == "original" and f != "pvalue"):
            np.testing.assert_array_equal(a, b, err_msg=f)
        else:     # erfc of math vs scipy, ACF sums in another order: to rounding
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14, err_msg=f)
    assert np.isnan(fast.slope[18, 0]) and np.all(fast.slope[10:14] == 0)


def test_sen_slope_is_the_median_of_pairwise_slopes_with_ties(monkeypatch):
    """The selection gives np.median exactly, also when most slopes tie."""
    y = hard_stack()
    fast, _ = both_paths(monkeypatch, lambda: cs.mann_kendall(y, YEARS, min_valid=16))
    iu, ju = np.triu_indices(24, 1)
    for r, c in [(0, 0), (3, 7), (15, 2), (25, 30), (39, 49)]:
        v = y[:, r, c]
        ok = np.isfinite(v[iu]) & np.isfinite(v[ju])
        expected = np.median((v[ju] - v[iu])[ok] / (YEARS[ju] - YEARS[iu])[ok])
        assert fast.slope[r, c] == expected


def test_least_squares_p_in_the_kernel_equals_scipy(monkeypatch):
    rng = np.random.default_rng(9)
    n = 24
    trend = rng.normal(0, 3, size=(1, 60, 60))
    y = 400 + trend * (YEARS - 2000)[:, None, None] + rng.normal(0, 20, (n, 60, 60))
    y[rng.random(y.shape) < 0.15] = np.nan             # gaps: df from 2 to 22
    y[:, 0, :3] = np.nan
    y[:3, 0, :3] = [[1.0], [2.0], [4.0]]               # three valid years: df = 1
    fast, ref = both_paths(monkeypatch, lambda: cs.linear_trend(y, YEARS, min_valid=3))
    np.testing.assert_array_equal(fast.slope, ref.slope)
    np.testing.assert_allclose(fast.pvalue, ref.pvalue, rtol=0, atol=1e-12)
    worst = 0.0
    for r, c in [(0, 0), (5, 5), (20, 33), (59, 59), (30, 1)]:
        ok = np.isfinite(y[:, r, c])
        lr = stats.linregress(YEARS[ok], y[ok, r, c])
        worst = max(worst, abs(float(fast.pvalue[r, c]) - lr.pvalue))
    assert worst < 1e-12
    assert float(fast.pvalue[0, 0]) == pytest.approx(
        stats.linregress([2000, 2001, 2002], [1, 2, 4]).pvalue, abs=1e-13)
