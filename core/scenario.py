"""Scenario projection of yearly series to a target year (methods.md 15,
Zhang et al. 2022 section 4.3).

Each series (carbon emissions CE, sinks ECS, or any yearly total) is fitted
on the observed years with

- ``"linear"``: least squares y = a + b t;
- ``"compound"``: compound growth ln y = a + b t (y > 0), i.e. a constant
  annual growth rate exp(b) - 1;
- ``"mlp"``: a multilayer perceptron ("BP network", one hidden layer;
  scikit-learn's ``MLPRegressor`` with the lbfgs solver, inputs and target
  standardised) from yearly drivers (GDP, population ...) to the series.

Validation: the last ``holdout`` observed years are left out of a first fit
and predicted (R2 and RMSE on them, as ``sklearn.metrics``); the projection
then uses a fit on all observed years. Drivers are projected from their last
observed value by the growth rates of a scenario (percent per year for
periods of years: Zhang et al.'s A2 and B1 are such tables); years without a
rate keep the driver's own compound growth rate. The band is the 5-95 %
range of ``boot`` bootstrap refits (residuals resampled for the trend models,
years resampled for the MLP), all seeded. ``neutrality_year`` is the first
year at which the sink projection reaches the emission projection.
"""
import math
from dataclasses import dataclass, field

import numpy as np

from .errors import N_, InputError

MODELS = ("linear", "compound", "mlp")
SKLEARN_HINT = ("the multilayer perceptron needs scikit-learn, which is not installed in "
                "the Python that runs QGIS: OSGeo4W Shell on Windows: 'python -m pip install "
                "scikit-learn'; macOS: '/Applications/QGIS.app/Contents/MacOS/bin/python3 -m "
                "pip install scikit-learn'; Debian/Ubuntu: 'sudo apt install python3-sklearn'")


@dataclass
class Projection:
    """One projected series."""
    name: str
    model: str
    years: np.ndarray             # observed years, then projected years
    observed: np.ndarray          # observed values (NaN after the last observed year)
    fitted: np.ndarray            # the fit on all observed years, then the projection
    low: np.ndarray               # 5 % of the bootstrap projections (NaN: observed years)
    high: np.ndarray              # 95 %
    r2_holdout: float = math.nan
    rmse_holdout: float = math.nan
    holdout: int = 0
    growth: float = math.nan      # compound: annual growth rate of the fit
    notes: list = field(default_factory=list)

    def value(self, year):
        i = np.flatnonzero(self.years == year)
        return float(self.fitted[i[0]]) if i.size else math.nan


def _r2_rmse(y, p):
    y, p = np.asarray(y, float), np.asarray(p, float)
    ss = float(((y - y.mean()) ** 2).sum())
    res = float(((y - p) ** 2).sum())
    return (1.0 - res / ss if ss > 0 else math.nan), math.sqrt(res / y.size)


def _fit_trend(t, y, model):
    """(predict function, growth) of a linear or compound fit."""
    if model == "linear":
        b, a = np.polyfit(t, y, 1)
        return (lambda tt: a + b * np.asarray(tt, float)), math.nan
    if np.any(y <= 0):
        raise InputError(N_("compound growth needs positive values (ln y): use the linear model"))
    b, a = np.polyfit(t, np.log(y), 1)
    return (lambda tt: np.exp(a + b * np.asarray(tt, float))), math.expm1(b)


def _mlp(hidden, seed):
    try:
        from sklearn.neural_network import MLPRegressor
    except ImportError:
        raise InputError(SKLEARN_HINT) from None
    return MLPRegressor(hidden_layer_sizes=(int(hidden),), solver="lbfgs", max_iter=5000,
                        random_state=int(seed))


def _fit_mlp(x, y, hidden, seed):
    """Predict function of an MLP on standardised inputs and target."""
    mx, sx = x.mean(axis=0), x.std(axis=0)
    sx = np.where(sx > 0, sx, 1.0)
    my, sy = y.mean(), y.std() or 1.0
    net = _mlp(hidden, seed).fit((x - mx) / sx, (y - my) / sy)
    return lambda xx: net.predict((np.asarray(xx, float) - mx) / sx) * sy + my


def project_drivers(years, drivers, target_year, rates=None):
    """The drivers ({name: values over ``years``}) from the first to
    ``target_year``: observed, then from the last observed value by the
    scenario's rates ({name: [(first, last, percent per year)]}); a year
    without a rate grows at the driver's own compound rate."""
    years = np.asarray(years, float)
    future = np.arange(years[-1] + 1, target_year + 1)
    out = {}
    for name, v in drivers.items():
        v = np.asarray(v, float)
        own = 0.0
        if np.all(v > 0) and v.size > 1:
            own = math.expm1(np.polyfit(years, np.log(v), 1)[0])
        cur = v[-1]
        proj = []
        for yr in future:
            r = own
            for a, b, pct in (rates or {}).get(name, ()):
                if a <= yr <= b:
                    r = pct / 100.0
            cur = cur * (1.0 + r)
            proj.append(cur)
        out[name] = np.concatenate([v, proj])
    return np.concatenate([years, future]), out


def project(name, years, values, model="linear", target_year=2060, holdout=0, boot=200,
            seed=1, drivers=None, rates=None, hidden=8):
    """Project one series (methods.md 15); returns a :class:`Projection`.
    ``drivers`` ({name: values over ``years``}) and ``rates`` are used by the
    MLP only."""
    if model not in MODELS:
        raise InputError(N_("model must be one of {}, not {!r}"), ', '.join(MODELS), model)
    years = np.asarray(years, float)
    y = np.asarray(values, float)
    ok = np.isfinite(y)
    if ok.sum() < 4:
        raise InputError(N_("{}: {} observed years; a projection needs 4"), name, int(ok.sum()))
    if target_year <= years[ok][-1]:
        raise InputError(N_("the target year {} is not after the last observed year {:g}"),
                         target_year, years[ok][-1])
    holdout = int(holdout)
    if holdout and ok.sum() - holdout < 3:
        raise InputError(N_("{}: a hold-out of {} years leaves fewer than 3 to fit"), name, holdout)
    t, v = years[ok], y[ok]
    rng = np.random.default_rng(seed)
    if model == "mlp":
        if not drivers:
            raise InputError(N_("the multilayer perceptron needs at least one driver"))
        all_years, dproj = project_drivers(years, drivers, target_year, rates)
        xall = np.column_stack([dproj[k] for k in drivers])
        if not np.all(np.isfinite(xall)):
            raise InputError(N_("drivers must have a value in every observed year"))
        x = xall[:years.size][ok]

        def fit(tt, vv, xx, s):
            return _fit_mlp(xx, vv, hidden, s)
        predict_x = xall
    else:
        all_years = np.concatenate([years, np.arange(years[-1] + 1, target_year + 1)])
        x = None

        def fit(tt, vv, xx, s):
            f, _ = _fit_trend(tt, vv, model)
            return f
        predict_x = all_years
    res = Projection(name, model, all_years, np.concatenate(
        [y, np.full(all_years.size - years.size, np.nan)]), None, None, None, holdout=holdout)
    if holdout:
        tr = slice(0, t.size - holdout)
        f = fit(t[tr], v[tr], None if x is None else x[tr], seed)
        pred = f(t[t.size - holdout:] if x is None else x[t.size - holdout:])
        res.r2_holdout, res.rmse_holdout = _r2_rmse(v[t.size - holdout:], pred)
    f = fit(t, v, x, seed)
    res.fitted = f(predict_x)
    if model == "compound":
        res.growth = _fit_trend(t, v, model)[1]
    fut = all_years > years[ok][-1]
    sims = []
    if boot:
        inside = f(t if x is None else x)
        resid = v - inside
        for k in range(int(boot)):
            if model == "mlp":
                idx = rng.integers(0, t.size, t.size)
                g = fit(t[idx], v[idx], x[idx], seed + 1 + k)
            else:
                vv = inside + rng.choice(resid, resid.size, replace=True)
                if model == "compound" and np.any(vv <= 0):
                    continue
                g = fit(t, vv, None, seed)
            sims.append(g(predict_x)[fut])
    res.low = np.full(all_years.size, np.nan)
    res.high = np.full(all_years.size, np.nan)
    if sims:
        s = np.array(sims)
        res.low[fut], res.high[fut] = np.percentile(s, 5, axis=0), np.percentile(s, 95, axis=0)
    return res


def neutrality_year(emissions, sinks):
    """First projected year at which the sinks reach the emissions (ECS >= CE),
    NaN when they do not by the target year."""
    yrs = emissions.years
    obs_end = max(np.flatnonzero(np.isfinite(emissions.observed)).max(),
                  np.flatnonzero(np.isfinite(sinks.observed)).max())
    for i in range(obs_end + 1, yrs.size):
        if sinks.fitted[i] >= emissions.fitted[i]:
            return float(yrs[i])
    return math.nan


def rows(projections):
    """Long table: one dict per series and year."""
    out = []
    for p in projections:
        for i, yr in enumerate(p.years):
            out.append({"series": p.name, "model": p.model, "year": int(yr),
                        "observed": _num(p.observed[i]), "projection": _num(p.fitted[i]),
                        "low_5": _num(p.low[i]), "high_95": _num(p.high[i])})
    return out


def summary(projections, target_year, neutral=math.nan):
    return [{"series": p.name, "model": p.model, "holdout_years": p.holdout,
             "r2_holdout": _num(p.r2_holdout), "rmse_holdout": _num(p.rmse_holdout),
             "growth_pct": _num(100 * p.growth), f"value_{int(target_year)}":
             _num(p.value(target_year)), "neutrality_year": _num(neutral)}
            for p in projections]


def _num(v):
    v = float(v)
    return v if math.isfinite(v) else None


RATE_COLUMNS = ("variable", "first_year", "last_year", "rate_pct")


def rates_from_file(path):
    """:func:`read_rates` of a CSV file (the project's table reader: UTF-8 or
    GBK, ',' or ';', comment lines, a clear message for missing columns)."""
    from .accounting import read_table
    return read_rates(read_table(path, RATE_COLUMNS, "scenario table"))


def read_rates(rows_):
    """{driver: [(first, last, percent)]} from table rows with columns
    variable, first_year, last_year, rate_pct."""
    out = {}
    for k, r in enumerate(rows_):
        try:
            out.setdefault(str(r["variable"]).strip(), []).append(
                (float(r["first_year"]), float(r["last_year"]), float(r["rate_pct"])))
        except (KeyError, ValueError, TypeError):
            raise InputError(N_("scenario table row {}: columns variable, first_year, "
                                "last_year, rate_pct (percent per year)"), k + 2) from None
    return out


def read_series_csv(text, what="series table"):
    """(years, {column: values}) from CSV text with a year column and one
    column per series or driver (empty cells: missing)."""
    import csv
    import io
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise InputError(N_("the {} is empty"), what)
    year_col = next((c for c in reader.fieldnames if c.strip().lower() in ("year", "年份")),
                    None)
    if year_col is None:
        raise InputError(N_("the {} needs a year column (header: {})"),
                         what, ', '.join(reader.fieldnames))
    rows = [r for r in reader if (r.get(year_col) or "").strip()]
    if not rows:
        raise InputError(N_("the {} has no rows"), what)
    try:
        years = np.array([float(r[year_col]) for r in rows])
    except ValueError:
        raise InputError(N_("the {}: the years must be numbers"), what) from None
    order = np.argsort(years)
    cols = {}
    for c in reader.fieldnames:
        if c == year_col:
            continue
        vals = []
        for r in rows:
            cell = (r.get(c) or "").strip()
            try:
                vals.append(float(cell) if cell else math.nan)
            except ValueError:
                raise InputError(N_("the {}: column {!r} has {!r}, not a number"), what, c, cell) \
                    from None
        cols[c.strip()] = np.array(vals)[order]
    return years[order], cols


MODEL_LABELS = {"linear": N_("linear trend"), "compound": N_("compound growth"),
                "mlp": N_("multilayer perceptron")}


def report_html(projections, target_year, neutral=math.nan, unit="", title=None,
                tr=lambda t: t):
    """Self-contained HTML: a chart of the observed and projected series with
    their bootstrap bands, and the validation numbers; text through ``tr``."""
    from . import charts
    colours = ["#d7191c", "#1a9641", "#2c7bb6", "#fdae61"]
    lines = []
    for k, p in enumerate(projections):
        c = colours[k % len(colours)]
        model = tr(MODEL_LABELS.get(p.model, p.model))
        lines.append((f"{p.name} {tr('observed')}", p.observed, c, False))
        lines.append((f"{p.name} {model}", p.fitted, c, True))
        if np.isfinite(p.low).any():
            lines.append((f"{p.name} 5-95 %", p.low, "#999999", True))
            lines.append(("", p.high, "#999999", True))
    vlines = [(neutral, "#000000", tr("neutrality {:g}").format(neutral))] \
        if math.isfinite(neutral) else []
    svg = charts.svg_lines(projections[0].years, lines, title=title or tr("Projection"),
                           vlines=vlines, xlabel=tr("year"), ylabel=unit, width=760,
                           height=360)
    head = [tr("series"), tr("model"), tr("hold-out years"), tr("R2 (hold-out)"),
            tr("RMSE (hold-out)"), tr("growth % / yr"), f"{int(target_year)}"]
    body = [[p.name, tr(MODEL_LABELS.get(p.model, p.model)), p.holdout,
             charts.number(p.r2_holdout, 3), charts.number(p.rmse_holdout),
             charts.number(100 * p.growth, 3), charts.number(p.value(target_year))]
            for p in projections]
    when = f"{neutral:g}" if math.isfinite(neutral) else \
        tr("not by {}").format(int(target_year))
    text = "<p>" + charts.html.escape(
        tr("Carbon neutrality (sinks reach emissions): {}").format(when)) + "</p>"
    return charts.page(title or tr("Scenario projection"),
                       svg + charts.table(head, body) + text)
