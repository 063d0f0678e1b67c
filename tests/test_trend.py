"""Least-squares and Sen / Mann-Kendall trends against scipy and pymannkendall."""
import numpy as np
import pymannkendall as pmk
import pytest
from helpers import nile, npp_like_stack
from scipy import stats

import carbonsink.core as cs

# ----------------------------------------------------------------- linear

def test_linear_trend_nile_equals_linregress(path):
    years, flow = nile()
    r = cs.linear_trend(flow, years)
    ref = stats.linregress(years, flow)
    assert r.slope == pytest.approx(ref.slope, rel=1e-12)
    assert r.intercept == pytest.approx(ref.intercept, rel=1e-10)
    assert r.r2 == pytest.approx(ref.rvalue ** 2, rel=1e-10)
    assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-8)
    # the Nile flow fell by about 2.7 (10^8 m^3) per year, highly significant
    assert r.slope == pytest.approx(-2.7, abs=0.05)
    assert r.pvalue < 1e-5


def test_linear_trend_textbook_formula():
    # slope = (n sum ty - sum t sum y) / (n sum t^2 - (sum t)^2), methods.md 3
    t = np.array([2000.0, 2001, 2002, 2003, 2004])
    y = np.array([2.0, 4.0, 5.0, 4.0, 5.0])
    n = 5
    slope = (n * (t * y).sum() - t.sum() * y.sum()) / (n * (t * t).sum() - t.sum() ** 2)
    assert slope == pytest.approx(0.6)
    r = cs.linear_trend(y, t)
    assert r.slope == pytest.approx(slope, rel=1e-12)
    assert r.r2 == pytest.approx(0.6, rel=1e-12)   # r = 0.7746 (textbook example)


def test_linear_trend_gaps_use_true_years(path):
    years, flow = nile()
    flow = flow.copy()
    flow[[3, 40, 41, 77]] = np.nan
    r = cs.linear_trend(flow, years, min_valid=90)
    ok = ~np.isnan(flow)
    ref = stats.linregress(years[ok], flow[ok])
    assert r.slope == pytest.approx(ref.slope, rel=1e-12)
    assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-8)
    assert np.isnan(cs.linear_trend(flow, years).slope)  # default: all years needed


def test_linear_trend_constant_series(path):
    r = cs.linear_trend(np.full(10, 7.5))
    assert (float(r.slope), float(r.r2), float(r.pvalue)) == (0.0, 0.0, 1.0)
    assert float(r.intercept) == 7.5


def test_linear_trend_stack_equals_each_pixel(path):
    y = npp_like_stack()
    years = np.arange(2000, 2024)
    r = cs.linear_trend(y, years, min_valid=20)
    assert r.slope.shape == y.shape[1:]
    checked = 0
    for i, j in [(0, 0), (7, 30), (10, 10), (3, 4), (29, 39), (15, 1)]:
        ok = ~np.isnan(y[:, i, j])
        if ok.sum() < 20:
            assert np.isnan(r.slope[i, j])
            continue
        if np.ptp(y[ok, i, j]) == 0:
            # a constant series: slope 0 and p = 1 (methods.md); scipy >= 1.15's
            # linregress gives p = NaN there, older ones 1
            assert r.slope[i, j] == 0 and r.pvalue[i, j] == 1.0
            continue
        ref = stats.linregress(years[ok], y[ok, i, j])
        assert r.slope[i, j] == pytest.approx(ref.slope, rel=1e-9, abs=1e-12)
        assert r.pvalue[i, j] == pytest.approx(ref.pvalue, rel=1e-7, abs=1e-15)
        checked += 1
    assert checked >= 4


def test_numba_and_numpy_paths_agree(monkeypatch):
    if not cs.HAVE_NUMBA:
        pytest.skip("numba not installed")
    y = npp_like_stack(seed=3)
    res = {}
    for flag in ("0", "1"):
        monkeypatch.setenv("CARBONSINK_NO_NUMBA", flag)
        res[flag] = (cs.linear_trend(y, min_valid=20), cs.mann_kendall(y, min_valid=20))
    for a, b in zip(res["0"], res["1"]):
        for field in a.__dataclass_fields__:
            x, z = getattr(a, field), getattr(b, field)
            assert np.array_equal(np.isnan(x), np.isnan(z)), field
            np.testing.assert_allclose(x, z, rtol=1e-12, atol=1e-12, err_msg=field)


def test_linear_trend_class_codes():
    slope = np.array([1.0, 1.0, 1.0, 0.0, -1.0, -1.0, -1.0, np.nan])
    p = np.array([0.001, 0.03, 0.2, 1.0, 0.2, 0.03, 0.001, 0.5])
    assert cs.linear_trend_class(slope, p).tolist() == [2, 2, 1, 0, -1, -2, -2, -128]
    assert cs.linear_trend_class(slope, p, 0.05, 0.01).tolist() == [3, 2, 1, 0, -1, -2, -3, -128]


# ----------------------------------------------------------- Mann-Kendall

def _assert_mk_equal(r, ref, rel=1e-12):
    assert float(r.s) == ref.s
    assert float(r.var_s) == pytest.approx(ref.var_s, rel=rel)
    assert float(r.z) == pytest.approx(ref.z, rel=rel, abs=1e-15)
    assert float(r.pvalue) == pytest.approx(ref.p, rel=1e-9, abs=1e-15)
    assert float(r.tau) == pytest.approx(ref.Tau, rel=rel, abs=1e-15)
    assert float(r.slope) == pytest.approx(ref.slope, rel=rel, abs=1e-15)
    assert float(r.intercept) == pytest.approx(ref.intercept, rel=1e-10, abs=1e-12)


def test_mann_kendall_nile_equals_pymannkendall(path):
    _, flow = nile()
    ref = pmk.original_test(flow)
    r = cs.mann_kendall(flow)
    _assert_mk_equal(r, ref)
    assert ref.trend == "decreasing" and r.z < -1.96   # the known Nile decline


def test_mann_kendall_ties_equal_pymannkendall(path):
    y = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3], dtype=float)
    ref = pmk.original_test(y)
    r = cs.mann_kendall(y)
    _assert_mk_equal(r, ref)
    # tie groups here: 1 x2, 3 x3, 5 x3, 9 x3 -> variance below the no-tie value
    n = len(y)
    assert r.var_s < n * (n - 1) * (2 * n + 5) / 18


def test_mann_kendall_gaps_equal_pymannkendall(path):
    _, flow = nile()
    y = flow[:30].copy()
    y[[2, 11, 12]] = np.nan
    ref = pmk.original_test(y)
    _assert_mk_equal(cs.mann_kendall(y, min_valid=27), ref)


@pytest.mark.parametrize("n", [4, 5])
def test_mann_kendall_short_series(path, n):
    y = np.array([1.0, 3.0, 2.0, 5.0, 4.0])[:n]
    _assert_mk_equal(cs.mann_kendall(y), pmk.original_test(y))


def test_mann_kendall_hand_computed():
    # y = 1, 2, 3, 4: S = 6, Var = 4*3*13/18 = 26/3, Z = 5/sqrt(26/3)
    r = cs.mann_kendall(np.array([1.0, 2.0, 3.0, 4.0]), years=[2000, 2001, 2002, 2003])
    assert float(r.s) == 6 and float(r.tau) == 1.0
    assert float(r.var_s) == pytest.approx(26 / 3)
    assert float(r.z) == pytest.approx(5 / np.sqrt(26 / 3))
    assert float(r.slope) == 1.0
    assert float(r.intercept) == pytest.approx(2.5 - 2001.5)


def test_mann_kendall_constant_series(path):
    r = cs.mann_kendall(np.full(12, 4.0))
    assert (float(r.s), float(r.z), float(r.pvalue), float(r.slope)) == (0, 0, 1, 0)


def test_sen_slope_honours_year_gaps(path):
    # y = 2 t exactly on irregular years: slope 2 per year, not per index
    years = np.array([2000.0, 2001, 2004, 2005, 2010])
    r = cs.mann_kendall(2 * years - 3000, years)
    assert float(r.slope) == pytest.approx(2.0)
    assert float(r.intercept) == pytest.approx(-3000.0)


def test_mann_kendall_stack_equals_each_pixel(path):
    y = npp_like_stack(seed=5)
    r = cs.mann_kendall(y, min_valid=20)
    for i, j in [(0, 0), (7, 30), (10, 10), (29, 39), (15, 1), (3, 4)]:
        s = y[:, i, j]
        if np.isfinite(s).sum() < 20:
            assert np.isnan(r.z[i, j])
            continue
        ref = pmk.original_test(s)
        assert r.s[i, j] == ref.s
        assert r.z[i, j] == pytest.approx(ref.z, rel=1e-12, abs=1e-15)
        assert r.pvalue[i, j] == pytest.approx(ref.p, rel=1e-9)
        assert r.slope[i, j] == pytest.approx(ref.slope, rel=1e-12, abs=1e-15)


def test_too_few_valid_values_is_nan(path):
    y = np.array([1.0, np.nan, np.nan, 2.0, 3.0])
    assert np.isnan(cs.mann_kendall(y).z)          # default needs all 5
    assert not np.isnan(cs.mann_kendall(y, min_valid=3).z)
    assert np.isnan(cs.linear_trend(y).slope)


def test_trend_class_boundaries():
    slope = np.array([1, 1, 1, 1, 1, 0, -1, -1, -1, -1, np.nan])
    z = np.array([2.59, 2.58, 1.97, 1.96, 1.64, 0.0, -1.0, -1.65, -2.0, -3.0, 1.0])
    assert cs.trend_class(slope, z).tolist() == [4, 3, 3, 2, 1, 0, -1, -2, -3, -4, -128]


def test_unknown_method_is_a_clear_error():
    with pytest.raises(ValueError, match="pre_whitening"):
        cs.mann_kendall(np.arange(6.0), method="sens")
    with pytest.raises(ValueError, match="increasing"):
        cs.linear_trend(np.arange(4.0), years=[2000, 2002, 2001, 2003])


def test_runs_log_pixels_computed_and_left_out(tmp_path):
    """senmk, lineartrend and hurst say how many pixels were computed, left out
    for too few valid years, and empty (methods.md 2: min_valid)."""
    import numpy as np
    from helpers import write_tif

    from carbonsink.core.io import RasterStack
    from carbonsink.core.progress import Progress
    from carbonsink.core.rasters import hurst_rasters, linear_trend_rasters, mann_kendall_rasters
    rng = np.random.default_rng(3)
    y = rng.normal(size=(12, 6, 7)).cumsum(axis=0)
    y[:, 0, 0] = np.nan                      # empty
    y[:4, 1, 1] = np.nan                     # 8 valid years
    y[:2, 2, 2] = np.nan                     # 10 valid years
    path = write_tif(tmp_path / "s.tif", y)
    for run, out in ((linear_trend_rasters, {"slope": str(tmp_path / "a.tif")}),
                     (mann_kendall_rasters, {"slope": str(tmp_path / "b.tif")}),
                     (hurst_rasters, {"h": str(tmp_path / "c.tif")})):
        lines = []
        run(RasterStack(path), out, min_valid=10,
            progress=Progress(on_info=lines.append, translate=str.upper))
        # the template goes through the caller's translation (here: upper case)
        assert lines[-1] == ("40 PIXELS COMPUTED; 1 LEFT OUT WITH FEWER THAN 10 VALID YEARS OF "
                             "12 (SET THE MINIMUM NUMBER OF VALID YEARS TO KEEP THEM); 1 "
                             "WITHOUT ANY VALID YEAR"), lines
