"""Per-zone statistics of raster stacks, accumulated block by block."""
import numpy as np

from .io import scan_blocks


class ZoneSums:
    """Per zone and time step: sum and count of the valid values.

    Zone ids are 1..n_zones (0 = outside every zone). Call :meth:`add` once
    per block with the stack block (n, h, w) and the zone block (h, w).
    """

    def __init__(self, n_steps, n_zones):
        self.n_zones = int(n_zones)
        self.sums = np.zeros((n_steps, self.n_zones + 1))
        self.counts = np.zeros((n_steps, self.n_zones + 1), dtype=np.int64)
        self.pixels = np.zeros(self.n_zones + 1, dtype=np.int64)   # pixels inside

    def add(self, y, zones):
        z = np.asarray(zones).astype(np.int64, copy=False)
        inside = (z > 0) & (z <= self.n_zones)
        self.pixels += np.bincount(z[inside], minlength=self.n_zones + 1)
        for t in range(y.shape[0]):
            ok = inside & np.isfinite(y[t])
            zt = z[ok]
            self.sums[t] += np.bincount(zt, weights=y[t][ok], minlength=self.n_zones + 1)
            self.counts[t] += np.bincount(zt, minlength=self.n_zones + 1)

    def means(self):
        """(n_steps, n_zones) mean of the valid values; NaN where none."""
        with np.errstate(invalid="ignore", divide="ignore"):
            m = self.sums / self.counts
        return np.where(self.counts > 0, m, np.nan)[:, 1:]


def zone_sums(stack, zones=None, n_zones=1, progress=None, memory_mb=256):
    """Stream ``stack`` (and the zone raster ``zones``, a 1-layer stack of ids
    1..n_zones; None: one zone, the whole grid) into a :class:`ZoneSums`."""
    acc = ZoneSums(stack.n, n_zones)
    stacks = {"y": stack}
    if zones is not None:
        stacks["z"] = zones

    def func(a):
        z = a["z"][0] if zones is not None else np.ones(a["y"].shape[1:])
        acc.add(a["y"], np.nan_to_num(z, nan=0.0))

    scan_blocks(stacks, func, progress, memory_mb)
    return acc


def zone_values(stack, band, zones, names, progress=None, memory_mb=256,
                limit_message=None):
    """{zone id: the valid values of ``band`` inside the zone} (float64),
    collected block by block; ``zones`` None: one zone (id 1) of every valid
    pixel. Keeps 8 bytes per valid pixel inside the zones and raises
    MemoryError (``limit_message``) beyond ``memory_mb``."""
    budget = int(memory_mb) * 2**20
    parts = {z: [] for z in names}
    used = [0]
    stacks = {"y": stack}
    if zones is not None:
        stacks["z"] = zones

    def collect(a):
        y = a["y"][band - 1]
        z = np.nan_to_num(a["z"][0], nan=0.0).astype(np.int64) if zones is not None \
            else np.ones(y.shape, dtype=np.int64)
        ok = np.isfinite(y) & (z > 0)
        zi, v = z[ok], y[ok]
        used[0] += v.nbytes
        if used[0] > budget:
            raise MemoryError(limit_message or
                              f"more than {memory_mb} MB of pixel values in the zones")
        order = np.argsort(zi, kind="stable")
        zi, v = zi[order], v[order]
        ids, starts = np.unique(zi, return_index=True)
        for zid, chunk in zip(ids, np.split(v, starts[1:])):
            if int(zid) in parts:
                parts[int(zid)].append(chunk)

    scan_blocks(stacks, collect, progress, memory_mb)
    return {z: np.concatenate(parts[z]) if parts[z] else np.empty(0) for z in names}
