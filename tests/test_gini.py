"""core.gini: standard (n^2 form), Raffinetti-Siletti-Vernizzi, segmented (Zhang2022)."""
import math

import numpy as np
import pytest

from carbonsink.core.gini import Gini, gini, gini_band


def brute(x):
    """O(n^2) sum_i sum_j |x_i - x_j|."""
    x = np.asarray(x, dtype=np.float64)
    return float(np.abs(x[:, None] - x[None, :]).sum())


@pytest.mark.parametrize("seed", range(5))
def test_standard_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    x = rng.gamma(2.0, 3.0, size=rng.integers(2, 300))
    x[rng.random(x.size) < 0.1] = 0.0
    n = x.size
    ref = brute(x) / (2 * n * n * x.mean())
    assert gini(x).gini == pytest.approx(ref, rel=1e-12)


def test_textbook_values():
    assert gini([1, 1, 1, 1]).gini == 0.0
    assert gini([0, 0, 0, 1]).gini == pytest.approx(0.75)
    assert gini([1, 2, 3, 4]).gini == pytest.approx(0.25)     # 20 / (2 * 16 * 2.5)
    assert gini([5]).gini == 0.0
    r = gini([3.0, np.nan, 1.0])
    assert r.n == 2 and r.gini == pytest.approx(0.25)         # 4 / (2 * 4 * 2)


def test_standard_refuses_negative_values_naming_other_methods():
    with pytest.raises(ValueError) as err:
        gini([1.0, -2.0, 3.0])
    assert "rsv" in str(err.value) and "segmented" in str(err.value)


def test_bad_input():
    with pytest.raises(ValueError, match="all values are 0"):
        gini([0.0, 0.0])
    with pytest.raises(ValueError, match="no valid value"):
        gini([np.nan])
    with pytest.raises(ValueError, match="method"):
        gini([1, 2], method="foo")


def test_rsv_hand_computed_and_bounds():
    # [-2, 1, 3]: sum|xi - xj| = 2 (3 + 5 + 2) = 20; T+ + T- = 6; n - 1 = 2
    assert gini([-2, 1, 3], "rsv").gini == pytest.approx(20 / (2 * 2 * 6))
    # polarised scenario: total negative on one unit, total positive on another -> 1
    assert gini([-4, 0, 0, 0, 7], "rsv").gini == pytest.approx(1.0)
    assert gini([2, 2, 2], "rsv").gini == 0.0
    # non-negative data: n / (n - 1) times the standard n^2 form
    x = np.array([0.0, 1.0, 5.0, 2.0])
    assert gini(x, "rsv").gini == pytest.approx(gini(x).gini * 4 / 3)
    rng = np.random.default_rng(3)
    for _ in range(50):
        x = rng.normal(0.5, 2.0, size=rng.integers(2, 40))
        g = gini(x, "rsv")
        n = x.size
        ref = brute(x) / (2 * (n - 1) * np.abs(x).sum())
        assert g.gini == pytest.approx(ref, rel=1e-12)
        assert 0.0 <= g.gini <= 1.0


def test_segmented_shares_and_parts():
    x = np.array([-3.0, -1.0, 0.0, 0.0, 2.0, 2.0, 4.0, 8.0])
    g = gini(x, "segmented")
    assert isinstance(g, Gini) and g.n == 8
    assert (g.p_deficit, g.p_neutral, g.p_surplus) == (0.25, 0.25, 0.5)
    assert g.gini_deficit == pytest.approx(gini([3.0, 1.0]).gini)
    assert g.gini_surplus == pytest.approx(gini([2.0, 2.0, 4.0, 8.0]).gini)
    assert g.gini == pytest.approx(g.gini_deficit + g.gini_surplus)
    only_pos = gini([1.0, 3.0], "segmented")
    assert math.isnan(only_pos.gini_deficit) and only_pos.gini == pytest.approx(0.25)
    assert only_pos.p_deficit == 0.0 and only_pos.p_surplus == 1.0
    assert math.isnan(gini([0.0, 0.0], "segmented").gini)


def test_bands():
    assert gini_band(0.1) == "absolute equality"
    assert gini_band(0.2) == "relatively equal"
    assert gini_band(0.35) == "reasonable"
    assert gini_band(0.45) == "large gap"
    assert gini_band(0.7) == "very large gap"
    assert gini_band(math.nan) == ""


def test_large_input_is_fast():
    x = np.random.default_rng(0).random(2_000_000)
    assert gini(x).gini == pytest.approx(1 / 3, abs=2e-3)    # uniform: 1/3
