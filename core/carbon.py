"""NEP from NPP and climate, carrying capacity and potential (methods.md 1-2)."""
from dataclasses import dataclass

import numpy as np

from ._dispatch import dask_aware
from ._series import prepare, shaped
from .classes import NODATA_CLASS
from .errors import N_, InputError

#: Rh regression of Pei et al. (2009): g C m-2 per month
RH_A = 0.22
RH_C = 0.3145
RH_DAYS = 30.0
RH_CARBON = 0.465


def _rh_formula(t, r, b):
    with np.errstate(invalid="ignore"):
        rh = RH_A * (np.exp(b * t) + np.log(RH_C * r + 1.0)) * RH_DAYS * RH_CARBON
    return rh


def heterotrophic_respiration(temperature, precipitation, b=0.0912, mode="monthly"):
    """Annual soil heterotrophic respiration Rh (g C m-2 yr-1), methods.md 1.

    Rh_month = 0.22 (exp(b T) + ln(0.3145 R + 1)) * 30 * 0.465 with T the
    monthly mean air temperature (deg C) and R the monthly precipitation (mm).

    mode "monthly": inputs hold 12 months per year on axis 0 (12 n steps);
    each run of 12 monthly Rh is summed to one annual value (n steps out).
    mode "annual": inputs hold one annual mean T and annual total R per year;
    the formula is applied once per year (a far smaller Rh, see methods.md).
    Negative precipitation is invalid and gives NaN.
    """
    t = np.asarray(temperature, dtype=np.float64)
    r = np.asarray(precipitation, dtype=np.float64)
    if t.shape != r.shape:
        raise InputError(N_("temperature {} and precipitation {} differ in shape"),
                         t.shape, r.shape)
    r = np.where(r < 0, np.nan, r)
    rh = _rh_formula(t, r, b)
    if mode == "annual":
        return rh
    if mode != "monthly":
        raise InputError(N_("mode must be 'monthly' or 'annual', not {!r}"), mode)
    if t.shape[0] % 12:
        raise InputError(N_("monthly mode needs 12 months per year, got {} steps"), t.shape[0])
    return rh.reshape((t.shape[0] // 12, 12) + t.shape[1:]).sum(axis=1)


def net_ecosystem_production(npp, rh):
    """NEP = NPP - Rh (g C m-2 yr-1); positive is a sink, negative a source."""
    return np.asarray(npp, dtype=np.float64) - np.asarray(rh, dtype=np.float64)


def sink_class(nep):
    """1 carbon sink (NEP > 0), 0 neutral (NEP = 0), -1 source; NaN -> -128."""
    nep = np.asarray(nep, dtype=np.float64)
    out = np.sign(nep)
    out = np.where(np.isnan(nep), NODATA_CLASS, out).astype(np.int8)
    return out


@dataclass
class CarryingCapacity:
    cscc: np.ndarray        # max NPP over years
    peak_year: np.ndarray   # first year reaching the max
    potential: np.ndarray   # per year: CSCC - NPP_i
    saturation: np.ndarray  # per year: NPP_i / CSCC * 100


def carrying_capacity(npp, years=None, min_valid=None):
    """Carbon sink carrying capacity and potential (Wu2023; methods.md 2).

    cscc = max of NPP over the valid years; peak_year = the first year in
    which it is reached; potential (n, ...) = cscc - NPP_i; saturation
    (n, ...) = NPP_i / cscc * 100 (NaN where cscc <= 0). Pixels with fewer than
    ``min_valid`` valid years (default all) are NaN.
    """
    y2, t, mv, shape = prepare(npp, years, min_valid, least=1)
    n = y2.shape[0]
    valid = np.isfinite(y2)
    ok = valid.sum(axis=0) >= mv
    filled = np.where(valid, y2, -np.inf)
    idx = np.argmax(filled, axis=0)
    cscc = np.take_along_axis(filled, idx[None], axis=0)[0]
    cscc = np.where(ok, cscc, np.nan)
    peak = np.where(ok, t[idx], np.nan)
    pot = cscc[None] - y2
    with np.errstate(divide="ignore", invalid="ignore"):
        sat = np.where(cscc[None] > 0, y2 / cscc[None] * 100.0, np.nan)
    pot[:, ~ok] = np.nan
    sat[:, ~ok] = np.nan
    return CarryingCapacity(shaped(cscc, shape), shaped(peak, shape),
                            pot.reshape((n,) + shape), sat.reshape((n,) + shape))


# dask arrays and xarray DataArrays in, the same kind out (core._dispatch); numpy
# arrays go straight through. Wrapped here, so each public name is one object.
carrying_capacity = dask_aware(carrying_capacity, "fields", ("npp",))
heterotrophic_respiration = dask_aware(heterotrophic_respiration, "array",
                                       ("temperature", "precipitation"), name="rh")
net_ecosystem_production = dask_aware(net_ecosystem_production, "elementwise", ("npp", "rh"),
                                      name="nep")
sink_class = dask_aware(sink_class, "elementwise", ("nep",))
