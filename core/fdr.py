"""Benjamini-Hochberg false discovery rate over all pixels (methods.md 4).

:func:`fdr_bh` gives exact q-values for an array. For rasters larger than
memory, :class:`PValueHistogram` collects the p-values in one read pass
(a histogram over the float32 bit patterns of p: 2^22 bins, each 2^-15 wide
relative to its value, with the exact largest p of each bin) and then gives
q for any block in a second pass. q is exact when no two p-values share a
bin; otherwise the rank of a value is taken as the count up to the end of its
bin, an error below (values in the bin - 1) / rank, i.e. under 1e-4 in
practice.
"""
import numpy as np

from .classes import NODATA_CLASS

_SHIFT = 8
_NBINS = (np.float32(1.0).view(np.uint32) >> _SHIFT) + 1


def fdr_bh(p):
    """Exact Benjamini-Hochberg q-values (NaN stays NaN), as
    ``statsmodels.stats.multitest.multipletests(p, method="fdr_bh")[1]``."""
    p = np.asarray(p, dtype=np.float64)
    q = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    pv = p[ok]
    m = pv.size
    if m == 0:
        return q
    order = np.argsort(pv, kind="mergesort")
    ranked = pv[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(ranked, 1.0)
    q[ok] = out
    return q


class PValueHistogram:
    """Two-pass BH q-values for p-values streamed block by block."""

    def __init__(self):
        self.counts = np.zeros(int(_NBINS), dtype=np.int64)
        self.binmax = np.zeros(int(_NBINS), dtype=np.float64)
        self._ready = False

    @staticmethod
    def _bins(p):
        return (np.clip(p, 0.0, 1.0).astype(np.float32).view(np.uint32) >> _SHIFT).astype(np.intp)

    def add(self, p):
        p = np.asarray(p, dtype=np.float64).ravel()
        p = p[np.isfinite(p)]
        if p.size:
            b = self._bins(p)
            self.counts += np.bincount(b, minlength=self.counts.size)
            np.maximum.at(self.binmax, b, np.clip(p, 0.0, 1.0))
        self._ready = False

    @property
    def m(self):
        return int(self.counts.sum())

    def _finish(self):
        self.cum = np.cumsum(self.counts)
        m = self.cum[-1]
        used = self.counts > 0
        val = np.full(self.counts.size, np.inf)
        val[used] = m * self.binmax[used] / self.cum[used]
        # best (smallest) value of any later bin: BH's min over larger p
        later = np.minimum.accumulate(val[::-1])[::-1]
        self.next_min = np.append(later[1:], np.inf)
        self._ready = True

    def q(self, p):
        """q-values for a block of p-values (NaN stays NaN)."""
        if not self._ready:
            self._finish()
        p = np.asarray(p, dtype=np.float64)
        q = np.full(p.shape, np.nan)
        ok = np.isfinite(p)
        if ok.any():
            pv = np.clip(p[ok], 0.0, 1.0)
            b = self._bins(pv)
            own = self.cum[-1] * pv / self.cum[b]
            q[ok] = np.minimum(np.minimum(own, self.next_min[b]), 1.0)
        return q


def fdr_class_mk(slope, q):
    """Nine trend classes with significance from q instead of |Z|:
    4/-4 q < 0.01, 3/-3 q < 0.05, 2/-2 q < 0.10, 1/-1 otherwise, 0 slope 0."""
    slope = np.asarray(slope, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    level = np.where(q < 0.01, 4, np.where(q < 0.05, 3, np.where(q < 0.10, 2, 1)))
    bad = np.isnan(slope) | np.isnan(q)
    return np.where(bad, NODATA_CLASS, np.sign(np.where(bad, 0, slope)) * level).astype(np.int8)
