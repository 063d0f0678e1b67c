"""Partial correlation against pingouin, residual regression and textbook formulas."""
import csv
import importlib.util
import os

import numpy as np
import pytest
from scipy import stats

import carbonsink.core as cs
from carbonsink.core.correlation import correlation_class, partial_correlation


def pingouin_and_pandas():
    """pingouin (a reference, test extra) and pandas, or skip the test."""
    return pytest.importorskip("pingouin"), pytest.importorskip("pandas")


# ------------------------------------------------------------------ data

def statsmodels_csv(name):
    """A dataset shipped with statsmodels as {column: float array}."""
    root = importlib.util.find_spec("statsmodels").submodule_search_locations[0]
    with open(os.path.join(root, "datasets", name, name + ".csv")) as f:
        rows = list(csv.DictReader(f))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


def climate_stack(n=24, rows=30, cols=40, seed=0, gaps=0.02):
    """NPP with temperature, precipitation and radiation drivers (correlated)."""
    rng = np.random.default_rng(seed)
    shape = (n, rows, cols)
    t = np.arange(n)[:, None, None]
    temp = 8 + 0.04 * t + rng.normal(0, 0.6, shape)
    prec = 450 - 20 * (temp - 8) + rng.normal(0, 60, shape)     # warm years dry
    rad = 5200 - 0.8 * (prec - 450) + rng.normal(0, 90, shape)  # wet years dull
    bt = rng.normal(15, 10, (rows, cols))
    bp = rng.normal(0.3, 0.2, (rows, cols))
    npp = 150 + bt * temp + bp * prec + 0.01 * rad + rng.normal(0, 20, shape)
    for a in (npp, temp, prec, rad):
        a[rng.random(shape) < gaps] = np.nan
    npp[:, 2:5, 3:7] = np.nan                                       # lake
    temp[:, 10, 10] = 9.5                                           # constant driver
    return npp, temp, prec, rad


def residual_reference(y, x, controls):
    """Pearson r of the lstsq residuals (with intercept) and its t-test p by hand."""
    cols = [np.asarray(c, dtype=float) for c in controls]
    ok = np.isfinite(y) & np.isfinite(x)
    for c in cols:
        ok &= np.isfinite(c)
    m, k = int(ok.sum()), len(cols)
    design = np.column_stack([np.ones(m)] + [c[ok] for c in cols])
    ry = y[ok] - design @ np.linalg.lstsq(design, y[ok], rcond=None)[0]
    rx = x[ok] - design @ np.linalg.lstsq(design, x[ok], rcond=None)[0]
    r = stats.pearsonr(ry, rx)[0]
    df = m - 2 - k
    t = r * np.sqrt(df / (1 - r * r))
    return r, 2 * stats.t.sf(abs(t), df)


def first_order(rxy, rxz, ryz):
    """Textbook first-order partial correlation r_xy.z (methods.md 8)."""
    return (rxy - rxz * ryz) / np.sqrt((1 - rxz ** 2) * (1 - ryz ** 2))


# ----------------------------------------------------------- references

def test_longley_equals_pingouin(path):
    pg, pd = pingouin_and_pandas()
    # Longley (1967): notoriously collinear macro data, n = 16
    d = statsmodels_csv("longley")
    df = pd.DataFrame(d)
    for x, covar in [("UNEMP", ["GNP"]), ("UNEMP", ["GNP", "ARMED"]),
                     ("ARMED", ["GNP", "UNEMP", "POP"]), ("GNPDEFL", ["UNEMP", "ARMED"])]:
        ref = pg.partial_corr(df, x=x, y="TOTEMP", covar=covar)
        r = partial_correlation(d["TOTEMP"], d[x], [d[c] for c in covar])
        assert float(r.r) == pytest.approx(ref["r"].iloc[0], rel=1e-9, abs=1e-12), (x, covar)
        assert float(r.pvalue) == pytest.approx(ref["p_val"].iloc[0], rel=1e-7), (x, covar)
        rr, rp = residual_reference(d["TOTEMP"], d[x], [d[c] for c in covar])
        assert float(r.r) == pytest.approx(rr, rel=1e-10)
        assert float(r.pvalue) == pytest.approx(rp, rel=1e-8)


def test_macrodata_equals_pingouin_and_inverse(path):
    pg, pd = pingouin_and_pandas()
    # US quarterly macro data 1959-2009, n = 203, growth rates
    d = statsmodels_csv("macrodata")
    g = {k: np.diff(np.log(d[k])) for k in ("realgdp", "realcons", "realinv", "realgovt",
                                            "realdpi")}
    g["unemp"] = np.diff(d["unemp"])
    df = pd.DataFrame(g)
    covar = ["realgdp", "realgovt", "unemp"]
    ref = pg.partial_corr(df, x="realinv", y="realcons", covar=covar)
    r = partial_correlation(g["realcons"], g["realinv"], [g[c] for c in covar])
    assert float(r.r) == pytest.approx(ref["r"].iloc[0], rel=1e-10)
    assert float(r.pvalue) == pytest.approx(ref["p_val"].iloc[0], rel=1e-8)
    # general k-th order formula: r = -P_yx / sqrt(P_yy P_xx), P = inv(corr)
    P = np.linalg.inv(np.corrcoef([g["realcons"], g["realinv"]] + [g[c] for c in covar]))
    assert float(r.r) == pytest.approx(-P[0, 1] / np.sqrt(P[0, 0] * P[1, 1]), rel=1e-10)


def test_zero_order_is_pearson(path):
    d = statsmodels_csv("longley")
    r = partial_correlation(d["TOTEMP"], d["UNEMP"])
    ref = stats.pearsonr(d["TOTEMP"], d["UNEMP"])
    assert float(r.r) == pytest.approx(ref[0], rel=1e-12)
    assert float(r.pvalue) == pytest.approx(ref[1], rel=1e-9)


def test_first_order_textbook_formula(path):
    npp, temp, prec, _ = climate_stack(seed=1, gaps=0.0)
    y, x, z = npp[:, 20, 30], temp[:, 20, 30], prec[:, 20, 30]
    c = np.corrcoef([y, x, z])
    expected = first_order(c[0, 1], c[0, 2], c[1, 2])
    r = partial_correlation(y, x, [z])
    assert float(r.r) == pytest.approx(expected, rel=1e-12)
    df = len(y) - 3
    t = expected * np.sqrt(df / (1 - expected ** 2))
    assert float(r.pvalue) == pytest.approx(2 * stats.t.sf(abs(t), df), rel=1e-9)


def test_second_order_zhang2025_route(path):
    # Zhang2025 eq. 4: the first-order formula applied to first-order coefficients
    npp, temp, prec, rad = climate_stack(seed=2, gaps=0.0)
    y, x, z1, z2 = npp[:, 5, 33], temp[:, 5, 33], prec[:, 5, 33], rad[:, 5, 33]
    c = np.corrcoef([y, x, z1, z2])
    r_yx_1 = first_order(c[0, 1], c[0, 2], c[1, 2])
    r_yz2_1 = first_order(c[0, 3], c[0, 2], c[3, 2])
    r_xz2_1 = first_order(c[1, 3], c[1, 2], c[3, 2])
    expected = first_order(r_yx_1, r_yz2_1, r_xz2_1)
    r = partial_correlation(y, x, [z1, z2])
    assert float(r.r) == pytest.approx(expected, rel=1e-11)
    # the same first-order coefficients from the function itself (k = 1)
    assert float(partial_correlation(y, x, [z1]).r) == pytest.approx(r_yx_1, rel=1e-12)
    assert float(partial_correlation(y, z2, [z1]).r) == pytest.approx(r_yz2_1, rel=1e-12)


def test_controls_order_does_not_matter(path):
    npp, temp, prec, rad = climate_stack(seed=3)
    a = partial_correlation(npp, prec, [temp, rad], min_valid=20)
    b = partial_correlation(npp, prec, [rad, temp], min_valid=20)
    np.testing.assert_allclose(a.r, b.r, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(a.pvalue, b.pvalue, rtol=1e-10, atol=1e-15)


# ------------------------------------------------------------------ stacks

def test_stack_equals_each_pixel(path):
    npp, temp, prec, rad = climate_stack(seed=4)
    res = {"temp": partial_correlation(npp, temp, [prec, rad], min_valid=20),
           "prec": partial_correlation(npp, prec, [temp, rad], min_valid=20),
           "rad": partial_correlation(npp, rad, [temp, prec], min_valid=20)}
    drivers = {"temp": temp, "prec": prec, "rad": rad}
    assert res["temp"].r.shape == npp.shape[1:]
    checked = 0
    for i, j in [(0, 0), (7, 30), (3, 4), (29, 39), (15, 1), (22, 17), (11, 12)]:
        for name, r in res.items():
            x = drivers[name][:, i, j]
            others = [drivers[o][:, i, j] for o in drivers if o != name]
            ok = np.isfinite(npp[:, i, j]) & np.isfinite(x)
            for o in others:
                ok &= np.isfinite(o)
            if ok.sum() < 20:
                assert np.isnan(r.r[i, j]) and np.isnan(r.pvalue[i, j])
                continue
            rr, rp = residual_reference(npp[:, i, j], x, others)
            assert r.r[i, j] == pytest.approx(rr, rel=1e-10, abs=1e-13)
            assert r.pvalue[i, j] == pytest.approx(rp, rel=1e-8, abs=1e-15)
            checked += 1
    assert checked >= 15
    assert np.all(np.isnan(res["prec"].r[2:5, 3:7]))        # lake
    assert np.isnan(res["prec"].r[10, 10])                  # constant temperature
    assert np.isnan(res["temp"].r[10, 10])
    ok = np.isfinite(res["prec"].r)
    assert np.all(np.abs(res["prec"].r[ok]) <= 1)
    assert np.nanmean(res["prec"].r) > 0.3                  # the built-in response


def test_numba_and_numpy_paths_agree(monkeypatch):
    if not cs.HAVE_NUMBA:
        pytest.skip("numba not installed")
    npp, temp, prec, rad = climate_stack(seed=5, gaps=0.05)
    out = {}
    for flag in ("0", "1"):
        monkeypatch.setenv("CARBONSINK_NO_NUMBA", flag)
        out[flag] = [partial_correlation(npp, prec, [temp, rad], min_valid=18),
                     partial_correlation(npp, temp, min_valid=18),
                     partial_correlation(npp, rad, [prec], min_valid=18)]
    for a, b in zip(out["0"], out["1"]):
        for field in ("r", "pvalue"):
            x, z = getattr(a, field), getattr(b, field)
            assert np.array_equal(np.isnan(x), np.isnan(z)), field
            np.testing.assert_allclose(x, z, rtol=1e-12, atol=1e-12, err_msg=field)


# ------------------------------------------------------------ missing / NaN

def test_nan_steps_are_dropped_pairwise_complete(path):
    pg, pd = pingouin_and_pandas()
    d = statsmodels_csv("longley")
    y, x, z = d["TOTEMP"].copy(), d["UNEMP"].copy(), d["GNP"].copy()
    y[2] = np.nan
    x[7] = np.nan
    z[11] = np.nan
    assert np.isnan(partial_correlation(y, x, [z]).r)                 # default: all 16
    r = partial_correlation(y, x, [z], min_valid=13)
    keep = np.ones(16, bool)
    keep[[2, 7, 11]] = False
    ref = pg.partial_corr(pd.DataFrame({"y": y, "x": x, "z": z}), x="x", y="y", covar="z")
    assert int(ref["n"].iloc[0]) == 13
    assert float(r.r) == pytest.approx(ref["r"].iloc[0], rel=1e-10)
    assert float(r.pvalue) == pytest.approx(ref["p_val"].iloc[0], rel=1e-8)
    rr, rp = residual_reference(y[keep], x[keep], [z[keep]])
    assert float(r.r) == pytest.approx(rr, rel=1e-10)
    assert np.isnan(partial_correlation(y, x, [z], min_valid=14).r)


def test_fewer_than_k_plus_3_steps_is_nan(path):
    rng = np.random.default_rng(0)
    y, x, z1, z2 = rng.normal(size=(4, 6))
    y[:2] = np.nan                                  # 4 complete steps, k = 2: need 5
    assert np.isnan(partial_correlation(y, x, [z1, z2], min_valid=1).r)
    r = partial_correlation(y, x, [z1], min_valid=1)  # k = 1: 4 steps are enough
    assert np.isfinite(r.r) and np.isfinite(r.pvalue)


# ----------------------------------------------------------- degenerate

def test_zero_variance_gives_nan(path):
    rng = np.random.default_rng(1)
    y, x, z = rng.normal(size=(3, 20))
    const = np.full(20, 0.1)                        # mean 0.1 is not exact in binary
    for args in [(y, const, [z]), (const, x, [z]), (y, x, [const]), (y, const, []),
                 (y, x, [z, const])]:
        r = partial_correlation(*args)
        assert np.isnan(r.r) and np.isnan(r.pvalue), args
    # constant only over the complete steps counts as constant too
    xc = x.copy()
    xc[:5] = np.nan
    zc = z.copy()
    zc[5:] = 3.0
    assert np.isnan(partial_correlation(y, xc, [zc], min_valid=15).r)


def test_singular_correlation_matrix_gives_nan(path):
    rng = np.random.default_rng(2)
    y, x, z1, z2 = rng.normal(size=(4, 24))
    assert np.isnan(partial_correlation(y, x, [2.5 * x - 7]).r)        # x collinear
    assert np.isnan(partial_correlation(y, x, [x]).r)                  # x repeated
    assert np.isnan(partial_correlation(y, x, [z1, 3 * z1 + 1]).r)    # controls collinear
    assert np.isnan(partial_correlation(y, z1 - 2 * z2, [z1, z2]).r)  # x = combination
    assert np.isnan(partial_correlation(z1 + z2, x, [z1, z2]).r)      # y = combination
    r = partial_correlation(y, x, [z1, z2])
    assert np.isfinite(r.r)


def test_exact_relation_is_one_with_p_zero(path):
    rng = np.random.default_rng(3)
    x, z = rng.normal(size=(2, 15))
    y = 3 * x - 2 * z + 4                          # y - (-2 z) is exactly 3 x + 4
    r = partial_correlation(y, x, [z])
    assert float(r.r) == 1.0 and float(r.pvalue) == 0.0
    r = partial_correlation(-y, x, [z])
    assert float(r.r) == -1.0 and float(r.pvalue) == 0.0


def test_shape_errors():
    y = np.zeros((10, 3, 4))
    with pytest.raises(ValueError, match="shape"):
        partial_correlation(y, np.zeros((10, 4, 3)))
    with pytest.raises(ValueError, match=r"controls\[1\]"):
        partial_correlation(y, y, [y, np.zeros(10)])
    with pytest.raises(ValueError, match=r"\[z\]"):
        partial_correlation(y, y, y)


# ------------------------------------------------------------------ classes

def test_correlation_class_codes():
    r = np.array([0.8, 0.3, 0.0, -0.3, -0.8, np.nan, 0.5])
    p = np.array([0.001, 0.2, 1.0, 0.3, 0.01, 0.5, np.nan])
    assert correlation_class(r, p).tolist() == [2, 1, 0, -1, -2, -128, -128]
    assert correlation_class(r, p, alpha=0.001).tolist() == [1, 1, 0, -1, -1, -128, -128]
    assert correlation_class(r, p).dtype == np.int8
