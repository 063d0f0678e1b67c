"""Sequential Mann-Kendall and Pettitt tests: hand-computed cases, Nile flow, pyhomogeneity."""
import math

import numpy as np
import pytest
from helpers import nile

from carbonsink.core.abrupt import pettitt, sequential_mann_kendall


def uf_by_definition(x):
    """UF_k straight from methods.md 5 with explicit loops."""
    n = len(x)
    uf = [0.0]
    for k in range(2, n + 1):
        d = sum(1 for i in range(1, k) for j in range(i) if x[i] > x[j])
        e = k * (k - 1) / 4
        var = k * (k - 1) * (2 * k + 5) / 72
        uf.append((d - e) / math.sqrt(var))
    return np.array(uf)


# ------------------------------------------------------ sequential MK

def test_uf_hand_computed():
    # x = 1, 3, 2, 4: counts of earlier smaller values 0, 1, 1, 3 -> d = 0, 1, 2, 5
    # UF_2 = (1 - 0.5)/sqrt(0.25) = 1; UF_3 = (2 - 1.5)/sqrt(66/72);
    # UF_4 = (5 - 3)/sqrt(156/72)
    r = sequential_mann_kendall([1.0, 3.0, 2.0, 4.0])
    uf = [0.0, 1.0, 0.5 / math.sqrt(66 / 72), 2 / math.sqrt(156 / 72)]
    np.testing.assert_allclose(r.uf, uf, rtol=1e-14)
    # reversed 4, 2, 3, 1: d' = 0, 0, 1, 1 -> UF' = 0, -1, -0.5/sqrt(66/72), -2/sqrt(156/72);
    # UB = -UF' back in time order
    np.testing.assert_allclose(r.ub, uf[::-1], rtol=1e-14)
    assert r.ub[-1] == 0.0 and r.uf[0] == 0.0
    # uf - ub = -1.36, 0.48, -0.48, 1.36: sign changes in [0, 1], [1, 2], [2, 3]
    assert r.crossings.tolist() == [0, 1, 2]
    c = r.uf - r.ub
    np.testing.assert_allclose(r.crossing_position,
                               [k + c[k] / (c[k] - c[k + 1]) for k in range(3)], rtol=1e-14)
    assert r.crossing_position[1] == pytest.approx(1.5)          # symmetric case
    assert np.all(r.in_band)


@pytest.mark.parametrize("n", [4, 5, 7])
def test_uf_ub_equal_definition(n):
    x = np.array([2.0, 7.0, 1.0, 8.0, 2.5, 8.5, 1.5])[:n]
    r = sequential_mann_kendall(x)
    np.testing.assert_allclose(r.uf, uf_by_definition(x), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(r.ub, -uf_by_definition(x[::-1])[::-1], rtol=1e-14, atol=1e-15)
    c = r.uf - r.ub
    expected = [k for k in range(n) if c[k] == 0 or (k < n - 1 and c[k] * c[k + 1] < 0)]
    assert r.crossings.tolist() == expected


def test_monotone_series():
    n = 12
    r = sequential_mann_kendall(np.arange(n, dtype=float))
    k = np.arange(2, n + 1)
    # every earlier value is smaller: d_k = k(k-1)/2, UF_k = E / sqrt(Var) > 0
    expected = (k * (k - 1) / 4) / np.sqrt(k * (k - 1) * (2 * k + 5) / 72)
    np.testing.assert_allclose(r.uf[1:], expected, rtol=1e-14)
    np.testing.assert_allclose(r.ub[:-1], expected[::-1], rtol=1e-14)
    assert r.uf[-1] > 1.96
    # UF rises from 0, UB falls to 0: they cross once, in the middle
    assert r.crossings.tolist() == [5]
    assert r.crossing_position[0] == pytest.approx(5.5)
    assert not r.in_band[0]                       # above 1.96: a trend, not a change start
    assert r.change_points.size == 0
    d = sequential_mann_kendall(np.arange(n, 0, -1.0))
    np.testing.assert_allclose(d.uf, -r.uf, atol=1e-15)


def test_constant_series():
    # ties count as "not greater": d_k = 0, UF_k = -sqrt(4.5 k (k-1) / (2k + 5))
    n = 10
    r = sequential_mann_kendall(np.full(n, 3.0))
    k = np.arange(1, n + 1)
    np.testing.assert_allclose(r.uf, -np.sqrt(4.5 * k * (k - 1) / (2 * k + 5)), rtol=1e-14)
    np.testing.assert_allclose(r.ub, -r.uf[::-1], rtol=1e-14)
    assert r.crossings.size == 0


def test_exact_meet_is_a_crossing():
    # x = 2, 4, 1, 3: d = 0, 1, 1, 3 -> UF = 0, 1, -0.5/sqrt(66/72), 0;
    # reversed 3, 1, 4, 2: d' = 0, 0, 2, 3 -> UB = 0, -0.5/sqrt(66/72), 1, 0
    r = sequential_mann_kendall([2.0, 4.0, 1.0, 3.0])
    u3 = 0.5 / math.sqrt(66 / 72)
    np.testing.assert_allclose(r.uf, [0, 1, -u3, 0], atol=1e-15)
    np.testing.assert_allclose(r.ub, [0, -u3, 1, 0], atol=1e-15)
    # UF = UB at steps 0 and 3 (both 0), a sign change between 1 and 2
    assert r.crossings.tolist() == [0, 1, 3]
    np.testing.assert_allclose(r.crossing_position, [0.0, 1.5, 3.0])
    np.testing.assert_allclose(r.crossing_value, [0.0, (1 - u3) / 2, 0.0], atol=1e-15)
    assert r.change_points.tolist() == [0, 1, 3]
    assert not np.signbit(r.ub[[0, 3]]).any()          # 0, not -0, in UB


def test_nile_sequential_mann_kendall():
    years, flow = nile()
    r = sequential_mann_kendall(flow)
    np.testing.assert_allclose(r.uf, uf_by_definition(flow), rtol=1e-12, atol=1e-14)
    # UF and UB cross inside the band just before the 1898 shift (Aswan dam) ...
    cy = years[r.change_points]
    assert cy.size >= 1 and np.all((cy >= 1885) & (cy <= 1898))
    # ... and UF leaves the band downwards after it, for good (from 1904)
    assert np.all(r.uf[years >= 1904] < -1.96) and np.all(r.uf[years < 1904] > -1.96)
    assert r.z_crit == pytest.approx(1.959964, abs=1e-6)
    assert sequential_mann_kendall(flow, alpha=0.01).z_crit == pytest.approx(2.5758, abs=1e-4)


def test_nan_values_are_dropped():
    years, flow = nile()
    y = flow[:40].copy()
    y[[5, 20, 21]] = np.nan
    r = sequential_mann_kendall(y)
    ok = ~np.isnan(y)
    ref = sequential_mann_kendall(y[ok])
    assert np.all(np.isnan(r.uf[~ok])) and np.all(np.isnan(r.ub[~ok]))
    np.testing.assert_array_equal(r.uf[ok], ref.uf)
    np.testing.assert_array_equal(r.ub[ok], ref.ub)
    # indices map back to the original series
    np.testing.assert_array_equal(r.crossings, np.flatnonzero(ok)[ref.crossings])
    with pytest.raises(ValueError, match="at least 3"):
        sequential_mann_kendall([1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match="one series"):
        sequential_mann_kendall(np.zeros((5, 2)))


# ------------------------------------------------------------------ Pettitt

def pettitt_by_definition(x):
    """U_t = sum_{i<=t} sum_{j>t} sgn(x_i - x_j), K, 1-based argmax, p."""
    n = len(x)
    u = np.array([sum(np.sign(x[i] - x[j]) for i in range(t) for j in range(t, n))
                  for t in range(1, n)])
    k = np.abs(u).max()
    p = min(1.0, 2 * math.exp(-6 * k ** 2 / (n ** 3 + n ** 2)))
    return u, k, int(np.argmax(np.abs(u))) + 1, p


def test_pettitt_nile_equals_pyhomogeneity():
    hg = pytest.importorskip("pyhomogeneity")
    years, flow = nile()
    r = pettitt(flow)
    # pyhomogeneity: cp is 1-based (last value before the change); with sim=None
    # p is the analytic approximation 2 exp(-6 K^2 / (n^3 + n^2))
    ref = hg.pettitt_test(flow, sim=None)
    assert r.index == ref.cp == 28
    assert r.k == ref.U == 1617
    assert r.pvalue == pytest.approx(ref.p, rel=1e-12)
    assert r.pvalue == pytest.approx(2 * math.exp(-6 * 1617 ** 2 / (100 ** 3 + 100 ** 2)),
                                     rel=1e-12)
    # the known shift: 1898 is the last year before the Aswan dam change
    assert years[r.index - 1] == 1898
    assert np.mean(flow[:r.index]) == pytest.approx(ref.avg.mu1)
    assert r.u[r.index - 1] > 0                      # higher flow before the change
    assert r.u[-1] == 0


@pytest.mark.parametrize("x", [[1.0, 3.0, 2.0, 4.0], [5.0, 4.0, 6.0, 1.0, 2.0],
                               [3.0, 3.0, 1.0, 3.0, 0.0, 0.0]])
def test_pettitt_small_cases_by_definition(x):
    x = np.array(x)
    u, k, idx, p = pettitt_by_definition(x)
    r = pettitt(x)
    np.testing.assert_allclose(r.u[:-1], u, atol=1e-12)
    assert (r.index, r.k) == (idx, k)
    assert r.pvalue == pytest.approx(p, rel=1e-12)


def test_pettitt_hand_computed():
    # x = 1, 3, 2, 4 (ranks 1, 3, 2, 4): U_t = 2 cumsum(R) - 5 t = -3, -2, -3; K = 3 at t = 1
    r = pettitt([1.0, 3.0, 2.0, 4.0])
    np.testing.assert_allclose(r.u, [-3, -2, -3, 0])
    assert (r.index, r.k) == (1, 3.0)
    assert r.pvalue == pytest.approx(min(1.0, 2 * math.exp(-54 / 80)))   # 1.018 -> 1


def test_pettitt_constant_and_step():
    r = pettitt(np.full(8, 2.0))
    assert (r.k, r.pvalue, r.index) == (0.0, 1.0, 1)
    x = np.r_[np.full(10, 5.0), np.full(10, 1.0)] + np.arange(20) * 1e-3
    r = pettitt(x)
    assert r.index == 10 and r.k == 100               # every pair across the step
    assert r.pvalue == pytest.approx(2 * math.exp(-6e4 / (8000 + 400)))


def test_pettitt_nan_dropped():
    hg = pytest.importorskip("pyhomogeneity")
    _, flow = nile()
    y = flow.copy()
    y[[3, 10, 50]] = np.nan
    r = pettitt(y)
    ref = hg.pettitt_test(y, sim=None)      # skips NaN, cp a position in the full series
    assert r.index == ref.cp
    assert r.k == ref.U
    assert r.pvalue == pytest.approx(ref.p, rel=1e-12)
    assert np.isnan(r.u[[3, 10, 50]]).all()
