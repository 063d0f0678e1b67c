"""NEP / Rh (methods.md 1) and carrying capacity (methods.md 2)."""
import math

import numpy as np
import pytest

import carbonsink.core as cs


def rh_month(t, r, b=0.0912):
    return 0.22 * (math.exp(b * t) + math.log(0.3145 * r + 1)) * 30 * 0.465


def test_rh_monthly_vs_annual_magnitudes():
    # methods.md: T = 10 deg C, R = 400 mm: about 180 (monthly) vs about 20 (annual)
    t = np.full(12, 10.0)
    r = np.full(12, 400 / 12)
    monthly = float(cs.heterotrophic_respiration(t, r, mode="monthly")[0])
    annual = float(cs.heterotrophic_respiration([10.0], [400.0], mode="annual")[0])
    assert monthly == pytest.approx(12 * rh_month(10, 400 / 12), rel=1e-12)
    assert monthly == pytest.approx(181.6, abs=0.1)
    assert annual == pytest.approx(22.5, abs=0.05)


def test_rh_sums_each_run_of_12_months_per_pixel():
    rng = np.random.default_rng(2)
    t = rng.uniform(-10, 30, size=(24, 3, 2))
    r = rng.uniform(0, 300, size=(24, 3, 2))
    rh = cs.heterotrophic_respiration(t, r, b=0.0913)
    assert rh.shape == (2, 3, 2)
    expect = sum(rh_month(t[m, 1, 0], r[m, 1, 0], 0.0913) for m in range(12, 24))
    assert rh[1, 1, 0] == pytest.approx(expect, rel=1e-12)


def test_rh_missing_and_bad_input():
    t = np.full(12, 15.0)
    r = np.full(12, 50.0)
    r[4] = np.nan
    assert np.isnan(cs.heterotrophic_respiration(t, r)[0])
    r[4] = -1.0                                   # negative rain is invalid
    assert np.isnan(cs.heterotrophic_respiration(t, r)[0])
    with pytest.raises(ValueError, match="12 months"):
        cs.heterotrophic_respiration(np.zeros(13), np.zeros(13))
    with pytest.raises(ValueError, match="mode"):
        cs.heterotrophic_respiration(np.zeros(12), np.zeros(12), mode="daily")


def test_nep_and_sink_class():
    nep = cs.net_ecosystem_production([500.0, 100.0, 180.0, np.nan], [180.0, 180.0, 180.0, 1.0])
    assert nep[:3].tolist() == [320.0, -80.0, 0.0]
    assert cs.sink_class(nep).tolist() == [1, -1, 0, -128]


def test_carrying_capacity_hand_case():
    years = [2000, 2001, 2002, 2003]
    npp = np.array([[300.0, 0.0], [450.0, 0.0], [450.0, 0.0], [400.0, 0.0]])
    r = cs.carrying_capacity(npp, years)
    assert r.cscc.tolist() == [450.0, 0.0]
    assert r.peak_year.tolist() == [2001.0, 2000.0]       # first year of the max
    assert r.potential[:, 0].tolist() == [150.0, 0.0, 0.0, 50.0]
    assert r.saturation[:, 0] == pytest.approx([300 / 4.5, 100, 100, 400 / 4.5])
    assert np.all(np.isnan(r.saturation[:, 1]))            # CSCC = 0: no ratio


def test_carrying_capacity_wu2023_identity():
    # methods.md 2: potential = CSCC - current, e.g. XJ 240.61 - 114.40 = 126.21
    npp = np.array([100.0, 240.61, 114.40])
    r = cs.carrying_capacity(npp)
    assert r.potential[-1] == pytest.approx(126.21)


def test_carrying_capacity_missing_years():
    npp = np.array([100.0, np.nan, 300.0, 200.0])
    assert np.isnan(cs.carrying_capacity(npp).cscc)
    r = cs.carrying_capacity(npp, [1, 2, 3, 4], min_valid=3)
    assert float(r.cscc) == 300.0 and float(r.peak_year) == 3.0
    assert np.isnan(r.potential[1])
