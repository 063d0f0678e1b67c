"""The decay fits of the resilience analysis (methods.md 9, steps 5-6): the
share q(t) of pixels that still keep their trend, fitted by
q = lambda exp(-(t - t') / tau) (non-linear least squares on the ratios, or
log-linear least squares; lambda fitted or fixed), the flags of a fit that
cannot be used, the resilience level of RS = tau_p - tau_n and the year the
two curves meet."""
import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from .errors import N_, InputError

TAU_MAX = 1.0e4              # fitted decay times beyond this are flagged (methods.md 9.7)
METHODS = ("nls", "loglinear")

#: resilience levels of RS = tau_p - tau_n (Wu2023): (code, label, lower bound)
LEVELS = [
    (5, "extremely strong", "RS > 500"),
    (4, "stronger", "100 <= RS <= 500"),
    (3, "strong", "0 <= RS < 100"),
    (2, "weak", "-100 <= RS < 0"),
    (1, "weaker", "RS < -100"),
]
UNDETERMINED = "undetermined"

#: fit flags (DecayFit.flag); "ok" is the only one with a usable tau
FLAGS = {
    "ok": N_("the series decays; tau is usable"),
    "no_pixels": N_("no pixel had this trend at the reference year (N(t') = 0): q is "
                    "undefined"),
    "too_few_points": N_("fewer than 2 usable points (log-linear: fewer than 2 positive "
                         "ratios)"),
    "no_decay": N_("the ratio never falls (constant series, or a fitted rate <= 0)"),
    "plateau": N_("the ratio stays constant (> 0) over the last third of the years (at "
                  "least 3)"),
    "tau_too_large": N_("the fitted tau exceeds {:g} years"),
    "fit_failed": N_("the non-linear fit did not converge"),
}


def flag_text(flag, tr=lambda t: t):
    """What a fit flag means, through ``tr``."""
    return tr(FLAGS.get(flag, "")).format(TAU_MAX) if flag in FLAGS else ""

@dataclass
class DecayFit:
    """q(t) = lam * exp(-(t - t_ref) / tau) fitted to one ratio series."""
    lam: float
    tau: float            # NaN unless flag == "ok"
    se_lam: float
    se_tau: float
    r2: float             # on the ratios, for both methods
    rmse: float
    n: int                # points used
    method: str
    flag: str
    tau_fit: float        # the fitted value, whatever the flag
    rate: float           # 1 / tau_fit
    t_ref: float

    @property
    def ok(self):
        return self.flag == "ok"

    def predict(self, t):
        t = np.asarray(t, dtype=np.float64)
        return self.lam * np.exp(-self.rate * (t - self.t_ref))


def _failed(flag, method, t_ref, n, lam=math.nan, rate=math.nan):
    tau_fit = (1.0 / rate if rate != 0 else math.inf) if math.isfinite(rate) else math.nan
    return DecayFit(lam, math.nan, math.nan, math.nan, math.nan, math.nan, n, method, flag,
                    tau_fit, rate, t_ref)


def _loglinear(x, q):
    """(lam, rate, se_lam, se_rate) of ln q = ln lam - rate x (ordinary LS)."""
    ly = np.log(q)
    n = x.shape[0]
    xm, ym = x.mean(), ly.mean()
    sxx = ((x - xm) ** 2).sum()
    b = ((x - xm) * (ly - ym)).sum() / sxx
    a = ym - b * xm
    se_a = se_b = math.nan
    if n > 2:
        s2 = ((ly - a - b * x) ** 2).sum() / (n - 2)
        se_b = math.sqrt(s2 / sxx)
        se_a = math.sqrt(s2 * (1.0 / n + xm * xm / sxx))
    lam = math.exp(a)
    return lam, -b, lam * se_a, se_b


def _plateau(q):
    """True when q is constant and > 0 over its last max(3, ceil(n/3)) values."""
    n = q.shape[0]
    tail = max(3, math.ceil(n / 3))
    if n < tail + 1 or q[-1] <= 0:
        return False
    run = 1
    for i in range(n - 2, -1, -1):
        if q[i] != q[-1]:
            break
        run += 1
    return tail <= run < n


def _fixed_lambda_fit(x, q, lam, method):
    """(rate, se_rate) of q = lam exp(-rate x) with lam fixed: NLS on the
    ratios (one parameter, Levenberg-Marquardt from the log-linear start),
    or the least-squares line of ln(q / lam) on x through the origin."""
    pos = q > 0
    rate0 = math.nan
    if pos.any() and np.any(x[pos] != 0):
        xp, lp = x[pos], np.log(q[pos] / lam)
        rate0 = -float((xp * lp).sum() / (xp * xp).sum())
        if method == "loglinear":
            se = math.nan
            if pos.sum() > 1:
                s2 = float(((lp + rate0 * xp) ** 2).sum()) / (pos.sum() - 1)
                se = math.sqrt(s2 / float((xp * xp).sum()))
            return rate0, se, int(pos.sum())
    elif method == "loglinear":
        return math.nan, math.nan, int(pos.sum())

    def model(xv, k):
        return lam * np.exp(-k * xv)

    def jac(xv, k):
        return (-lam * xv * np.exp(-k * xv))[:, None]

    p0 = rate0 if math.isfinite(rate0) and rate0 > 0 else 1.0 / max(np.ptp(x), 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        popt, pcov = optimize.curve_fit(model, x, q, p0=(p0,), jac=jac, method="lm",
                                        maxfev=20000)
    se = math.sqrt(max(pcov[0, 0], 0.0)) if x.shape[0] > 1 and np.isfinite(pcov[0, 0]) \
        else math.nan
    return float(popt[0]), se, int(x.shape[0])


def fit_decay(t, q, method="nls", t_ref=None, fixed_lambda=None):
    """Fit q(t) = lam * exp(-(t - t_ref) / tau) to a ratio series (methods.md 9.5).

    ``method``: "nls" (default) non-linear least squares on the ratios
    (scipy.optimize.curve_fit, Levenberg-Marquardt, started from the
    log-linear fit); "loglinear" ordinary least squares of ln q on t
    (ratios of 0 are left out). ``t_ref`` defaults to the first year.
    Standard errors: from the fit's covariance (NLS) or the regression
    (log-linear), tau's by the delta method (se_rate / rate^2); NaN with
    fewer than 3 points. ``r2`` and ``rmse`` are on the ratios for both.

    ``flag`` is "ok" or why tau is not usable (``FLAGS``): constant series,
    fitted rate <= 0, tau > 10^4 years, a plateau (constant > 0 over the
    last third), a failed fit. ``tau`` is NaN then; ``tau_fit`` keeps the
    fitted number.

    ``fixed_lambda`` (e.g. 1.0: the curve forced through q(t') = 1, as some
    authors do; methods.md 9): only the rate is fitted, by NLS or by the
    log-linear line through the origin; ``lam`` is that value and ``se_lam``
    NaN (not estimated).
    """
    if method not in METHODS:
        raise InputError(N_("fit method must be one of {}, not {!r}"), ', '.join(METHODS), method)
    if fixed_lambda is not None:
        fixed_lambda = float(fixed_lambda)
        if not (math.isfinite(fixed_lambda) and fixed_lambda > 0):
            raise InputError(N_("a fixed lambda must be a positive number, not {!r}"), fixed_lambda)
    t = np.asarray(t, dtype=np.float64).ravel()
    q = np.asarray(q, dtype=np.float64).ravel()
    if t.shape != q.shape:
        raise InputError(N_("{} years for {} ratios"), t.shape[0], q.shape[0])
    t_ref = float(t[0]) if t_ref is None else float(t_ref)
    ok = np.isfinite(t) & np.isfinite(q)
    x, qq = t[ok] - t_ref, q[ok]
    n = int(qq.shape[0])
    if n == 0:
        return _failed("no_pixels", method, t_ref, 0)
    if n < 2 or np.ptp(x) == 0:
        return _failed("too_few_points", method, t_ref, n)
    if np.all(qq == qq[0]):
        return _failed("no_decay", method, t_ref, n, rate=0.0,
                       lam=float(qq[0]) if fixed_lambda is None else fixed_lambda)
    pos = qq > 0
    if fixed_lambda is not None:
        try:
            rate, se_rate, nf = _fixed_lambda_fit(x, qq, fixed_lambda, method)
        except (RuntimeError, ValueError, optimize.OptimizeWarning):
            return _failed("fit_failed", method, t_ref, n)
        lam, se_lam = fixed_lambda, math.nan
        if method == "loglinear" and nf < 1:
            return _failed("too_few_points", method, t_ref, nf)
        xf = x[pos] if method == "loglinear" else x
        return _finish_fit(x, qq, lam, rate, se_lam, se_rate, xf, method, t_ref, n)
    start = None
    if pos.sum() >= 2 and np.ptp(x[pos]) > 0:
        start = _loglinear(x[pos], qq[pos])
    if method == "loglinear":
        if start is None:
            return _failed("too_few_points", method, t_ref, int(pos.sum()))
        lam, rate, se_lam, se_rate = start
        xf = x[pos]
    else:
        xf = x
        if start is not None and math.isfinite(start[1]) and start[1] > 0:
            p0 = (start[0], start[1])
        else:
            p0 = (float(qq[0]) or 1.0, 1.0 / max(np.ptp(x), 1.0))

        def model(xv, a, k):
            return a * np.exp(-k * xv)

        def jac(xv, a, k):
            e = np.exp(-k * xv)
            return np.column_stack([e, -a * xv * e])

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                popt, pcov = optimize.curve_fit(model, x, qq, p0=p0, jac=jac, method="lm",
                                                maxfev=20000)
        except (RuntimeError, ValueError, optimize.OptimizeWarning):
            return _failed("fit_failed", method, t_ref, n)
        lam, rate = float(popt[0]), float(popt[1])
        se_lam = se_rate = math.nan
        if n > 2 and np.all(np.isfinite(pcov)):
            se_lam, se_rate = math.sqrt(max(pcov[0, 0], 0.0)), math.sqrt(max(pcov[1, 1], 0.0))
    return _finish_fit(x, qq, lam, rate, se_lam, se_rate, xf, method, t_ref, n)


def _finish_fit(x, qq, lam, rate, se_lam, se_rate, xf, method, t_ref, n):
    """r2, rmse, tau and the flag of a fitted (lam, rate)."""
    pred = lam * np.exp(-rate * x)
    ssr = float(((qq - pred) ** 2).sum())
    sst = float(((qq - qq.mean()) ** 2).sum())
    r2 = 1.0 - ssr / sst if sst > 0 else math.nan
    rmse = math.sqrt(ssr / n)
    if not math.isfinite(rate):
        return _failed("fit_failed", method, t_ref, n)
    tau_fit = 1.0 / rate if rate != 0 else math.inf
    se_tau = se_rate / (rate * rate) if rate != 0 else math.nan
    if rate <= 0:
        flag = "no_decay"
    elif tau_fit > TAU_MAX:
        flag = "tau_too_large"
    elif _plateau(qq):
        flag = "plateau"
    else:
        flag = "ok"
    return DecayFit(lam, tau_fit if flag == "ok" else math.nan, se_lam, se_tau, r2, rmse,
                    int(xf.shape[0]), method, flag, tau_fit, rate, t_ref)


def resilience_level(rs):
    """(code, label) of RS = tau_p - tau_n (Wu2023): 5 extremely strong
    (RS > 500), 4 stronger (100..500), 3 strong (0..100), 2 weak (-100..0),
    1 weaker (RS < -100); (0, "undetermined") for NaN."""
    if rs is None or not math.isfinite(rs):
        return 0, UNDETERMINED
    if rs > 500:
        return 5, LEVELS[0][1]
    if rs >= 100:
        return 4, LEVELS[1][1]
    if rs >= 0:
        return 3, LEVELS[2][1]
    if rs >= -100:
        return 2, LEVELS[3][1]
    return 1, LEVELS[4][1]


def convergence_year(t, q_pos, q_neg):
    """First evaluation year at which the positive and negative ratio curves
    meet again after they first separated (equal, or the sign of q+ - q-
    flips): the fallback of Wu2023 when a series does not decay. NaN when
    they never separate or never meet within the years."""
    t = np.asarray(t, dtype=np.float64)
    d = np.asarray(q_pos, dtype=np.float64) - np.asarray(q_neg, dtype=np.float64)
    s0 = 0.0
    for i in range(1, d.shape[0]):
        if not math.isfinite(d[i]):
            return math.nan
        if s0 == 0.0:
            if d[i] != 0:
                s0 = math.copysign(1.0, d[i])
            continue
        if d[i] == 0 or math.copysign(1.0, d[i]) != s0:
            return float(t[i])
    return math.nan
