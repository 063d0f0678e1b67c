"""Shared input handling for per-pixel time-series functions."""
import numpy as np

from .errors import N_, InputError


def prepare(y, years=None, min_valid=None, least=3):
    """Return (y2d, years, min_valid, out_shape).

    ``y`` has time on axis 0; it is returned as a C-contiguous float64 array of
    shape (n, pixels). ``years`` defaults to 0..n-1; ``min_valid`` to n and is
    never below ``least``.
    """
    y = np.asarray(y, dtype=np.float64)
    if y.ndim == 0:
        raise InputError(N_("a time series needs a time axis (axis 0)"))
    n = y.shape[0]
    out_shape = y.shape[1:]
    y2 = np.ascontiguousarray(y.reshape(n, -1))
    if years is None:
        t = np.arange(n, dtype=np.float64)
    else:
        t = np.asarray(years, dtype=np.float64).ravel()
        if t.shape[0] != n:
            raise InputError(N_("{} years given for {} time steps"), t.shape[0], n)
        if not np.all(np.isfinite(t)):
            raise InputError(N_("years must be finite numbers"))
        if np.any(np.diff(t) <= 0):
            raise InputError(N_("years must be strictly increasing"))
    mv = n if min_valid is None else int(min_valid)
    mv = max(mv, least)
    return y2, t, mv, out_shape


def shaped(a, out_shape):
    """Reshape a per-pixel vector to the pixel shape (0-d for one series)."""
    return a.reshape(out_shape)
