"""Scenario projection (methods.md 15) against numpy and scikit-learn."""
import math

import numpy as np
import pytest

from carbonsink.core import scenario as S

YEARS = np.arange(1997.0, 2018.0)                 # Zhang et al. 2022: 1997-2017


def series(seed=0):
    rng = np.random.default_rng(seed)
    t = YEARS - 1997
    ce = 300 * 1.045 ** t * np.exp(rng.normal(0, 0.02, t.size))      # emissions grow 4.5 %
    ecs = 120 + 9.0 * t + rng.normal(0, 4, t.size)                    # sinks grow linearly
    gdp = 1000 * 1.08 ** t * np.exp(rng.normal(0, 0.01, t.size))
    return ce, ecs, gdp


def test_linear_and_compound_equal_numpy():
    ce, ecs, _ = series()
    lin = S.project("ECS", YEARS, ecs, "linear", 2060, holdout=4, boot=0)
    b, a = np.polyfit(YEARS, ecs, 1)
    assert lin.value(2060) == pytest.approx(a + b * 2060, rel=1e-12)
    # hold-out: fit on 1997-2013, predict 2014-2017, R2 / RMSE as sklearn.metrics
    from sklearn.metrics import mean_squared_error, r2_score
    b4, a4 = np.polyfit(YEARS[:-4], ecs[:-4], 1)
    pred = a4 + b4 * YEARS[-4:]
    assert lin.r2_holdout == pytest.approx(r2_score(ecs[-4:], pred), rel=1e-12)
    assert lin.rmse_holdout == pytest.approx(math.sqrt(mean_squared_error(ecs[-4:], pred)))
    comp = S.project("CE", YEARS, ce, "compound", 2060, boot=0)
    bl, al = np.polyfit(YEARS, np.log(ce), 1)
    assert comp.value(2060) == pytest.approx(math.exp(al + bl * 2060), rel=1e-10)
    assert comp.growth == pytest.approx(0.045, abs=0.003)
    assert np.isnan(comp.low).all()                   # no bootstrap asked for


def test_bootstrap_band_and_neutrality():
    ce, ecs, _ = series(1)
    ce_flat = 600 - 2.0 * (YEARS - 1997)              # emissions fall, sinks rise: they meet
    e = S.project("CE", YEARS, ce_flat, "linear", 2060, boot=300, seed=3)
    s = S.project("ECS", YEARS, ecs, "linear", 2060, boot=300, seed=3)
    fut = e.years > 2017
    assert (s.low[fut] <= s.fitted[fut]).all() and (s.fitted[fut] <= s.high[fut]).all()
    assert (s.high - s.low)[e.years == 2060][0] > (s.high - s.low)[e.years == 2018][0]
    b1, a1 = np.polyfit(YEARS, ce_flat, 1)
    b2, a2 = np.polyfit(YEARS, ecs, 1)
    cross = math.ceil((a1 - a2) / (b2 - b1))        # first year with ECS >= CE
    assert S.neutrality_year(e, s) == cross
    again = S.project("ECS", YEARS, ecs, "linear", 2060, boot=300, seed=3)
    np.testing.assert_array_equal(again.low, s.low)   # seeded
    grow = S.project("CE", YEARS, ce, "compound", 2060, boot=0)      # 4.5 % a year
    lin = S.project("ECS", YEARS, ecs, "linear", 2060, boot=0)
    assert (lin.fitted < grow.fitted)[grow.years > 2017].all()
    assert math.isnan(S.neutrality_year(grow, lin))                  # never neutral


def test_mlp_equals_scikit_learn():
    """The MLP projection: scikit-learn's MLPRegressor (lbfgs, same seed) on the
    standardised driver, the driver grown by the scenario's rates."""
    pytest.importorskip("sklearn")
    from sklearn.neural_network import MLPRegressor
    ce, _, gdp = series(2)
    rates = {"gdp": [(2018, 2030, 6.0), (2031, 2060, 3.0)]}
    p = S.project("CE", YEARS, ce, "mlp", 2040, holdout=0, boot=0, seed=7,
                  drivers={"gdp": gdp}, rates=rates, hidden=6)
    years, d = S.project_drivers(YEARS, {"gdp": gdp}, 2040, rates)
    assert d["gdp"][years == 2018][0] == pytest.approx(gdp[-1] * 1.06)
    assert d["gdp"][years == 2031][0] == pytest.approx(gdp[-1] * 1.06 ** 13 * 1.03)
    x = d["gdp"][:, None]
    mx, sx = x[:YEARS.size].mean(axis=0), x[:YEARS.size].std(axis=0)
    net = MLPRegressor(hidden_layer_sizes=(6,), solver="lbfgs", max_iter=5000,
                       random_state=7).fit((x[:YEARS.size] - mx) / sx,
                                           (ce - ce.mean()) / ce.std())
    ref = net.predict((x - mx) / sx) * ce.std() + ce.mean()
    np.testing.assert_allclose(p.fitted, ref, rtol=1e-10)
    with pytest.raises(ValueError, match="at least one driver"):
        S.project("CE", YEARS, ce, "mlp", 2040, boot=0)


def test_bad_input():
    ce, _, _ = series()
    with pytest.raises(ValueError, match="not after the last observed"):
        S.project("CE", YEARS, ce, "linear", 2010)
    with pytest.raises(ValueError, match="positive values"):
        S.project("CE", YEARS, ce - 1000, "compound", 2060, boot=0)
    with pytest.raises(ValueError, match="model must be"):
        S.project("CE", YEARS, ce, "arima")
    with pytest.raises(ValueError, match="rate_pct"):
        S.read_rates([{"variable": "gdp", "first_year": "2020"}])


def _table(tmp_path):
    ce, ecs, gdp = series(3)
    path = tmp_path / "yearly.csv"
    path.write_text("year,CE,ECS,GDP\n" + "".join(
        f"{int(y)},{float(a)!r},{float(b)!r},{float(c)!r}\n"       # Python floats: numpy 2
        for y, a, b, c in zip(YEARS, ce, ecs, gdp)),                # reprs np.float64(...)
        encoding="utf-8")
    return path, ce, ecs


def test_command_equals_core(tmp_path):
    import csv
    import subprocess
    import sys
    path, ce, ecs = _table(tmp_path)
    out, summary = tmp_path / "p.csv", tmp_path / "s.csv"
    proc = subprocess.run([sys.executable, "-m", "carbonsink", "scenario", "--table", str(path),
                           "--model", "linear", "--boot", "50", "--out", str(out),
                           "--summary", str(summary), "--report", str(tmp_path / "r.html")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    with open(out, encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["series"] == "ECS" and r["year"] == "2060"]
    ref = S.project("ECS", YEARS, ecs, "linear", 2060, holdout=4, boot=50, seed=1)
    assert float(rows[0]["projection"]) == pytest.approx(ref.value(2060), rel=1e-12)
    assert float(rows[0]["low_5"]) == pytest.approx(ref.low[-1], rel=1e-12)
    with open(summary, encoding="utf-8") as f:
        s = list(csv.DictReader(f))
    e = S.project("CE", YEARS, ce, "linear", 2060, holdout=4, boot=50, seed=1)
    n = S.neutrality_year(e, ref)
    assert (s[0]["neutrality_year"] or "nan") == ("nan" if math.isnan(n) else repr(n))
    assert "<svg" in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.qgis
def test_toolbox_algorithm(provider, tmp_path):
    import csv

    import processing
    from test_algorithms import Feedback
    path, ce, ecs = _table(tmp_path)
    fb = Feedback()
    res = processing.run("carbonsink:scenario", {
        "TABLE": str(path), "MODEL": 1, "BOOT": 0, "SINKS": "",
        "OUTPUT_CSV": str(tmp_path / "p.csv"), "OUTPUT_SUMMARY_CSV": str(tmp_path / "s.csv"),
        "OUTPUT_REPORT": None}, feedback=fb)
    with open(res["OUTPUT_SUMMARY_CSV"], encoding="utf-8") as f:
        row = next(csv.DictReader(f))
    ref = S.project("CE", YEARS, ce, "compound", 2060, holdout=4, boot=0)
    assert float(row["value_2060"]) == pytest.approx(ref.value(2060), rel=1e-12)
    assert float(row["growth_pct"]) == pytest.approx(100 * ref.growth, rel=1e-12)
    from qgis.core import QgsProcessingException
    with pytest.raises(QgsProcessingException, match="no column 'NEP'"):
        processing.run("carbonsink:scenario", {"TABLE": str(path), "EMISSIONS": "NEP",
                                               "OUTPUT_CSV": str(tmp_path / "x.csv")},
                       feedback=Feedback())
    assert not (tmp_path / "x.csv").exists()


def test_rates_from_file(tmp_path):
    """Scenario rates through the project's table reader: GBK and ';' accepted,
    a missing column named."""
    p = tmp_path / "rates.csv"
    p.write_bytes("# A2 情景\nVariable;First_year;Last_year;Rate_pct\nGDP;2018;2030;6\n"
                  "GDP;2031;2060;3.5\n".encode("gb18030"))
    assert S.rates_from_file(str(p)) == {"GDP": [(2018.0, 2030.0, 6.0), (2031.0, 2060.0, 3.5)]}
    bad = tmp_path / "bad.csv"
    bad.write_text("variable,first_year\nGDP,2018\n", encoding="utf-8")
    with pytest.raises(ValueError, match="last_year, rate_pct"):
        S.rates_from_file(str(bad))
