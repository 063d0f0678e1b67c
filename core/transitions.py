"""Land-cover transitions between two or more dates (methods.md 12):
the area of every from -> to pair per zone, the change raster and the chain
of dates; the Sankey diagram is in core/accounting_charts.py."""
import math
from dataclasses import dataclass, field

import numpy as np

from .accounting import (
    KeySums,
    _budget,
    class_codes,
    class_lut,
    class_slots,
    combined_key,
    zone_count,
    zone_index,
)
from .area import WindowProbe, pixel_areas
from .errors import N_, Message
from .io import StackError, scan_blocks
from .progress import as_progress


@dataclass
class Transitions:
    """Result of :func:`transition_matrix`.

    ``area`` (m2) and ``pixels``: [zone, from slot, to slot] with zone 0 =
    all zones and slot ``len(classes)`` = nodata (or a code missing from the
    other map). ``var_*``: the optional variable's valid count, sum, valid
    area and sum of value * area per pair.
    """
    classes: list
    class_names: dict
    zone_names: dict
    area: np.ndarray
    pixels: np.ndarray
    var_count: np.ndarray = None
    var_sum: np.ndarray = None
    var_area: np.ndarray = None
    var_sum_area: np.ndarray = None
    variable: str = ""
    area_method: str = ""
    warnings: list = field(default_factory=list)

    def name(self, code):
        return self.class_names.get(code, f"class {code}")

    def zones(self):
        """Zone ids of the output: each zone, then 0 (all zones) when several."""
        ids = sorted(self.zone_names)
        return ids + [0] if len(ids) > 1 else ids

    def zone_label(self, z):
        return self.zone_names[z] if z else "All zones"

    def overall(self):
        """The zone id of the whole output: 0 (all zones) or the only zone."""
        ids = sorted(self.zone_names)
        return 0 if len(ids) > 1 else ids[0]

    def matrix(self, zone=None, unit="km2"):
        """(C, C) from (rows) x to (columns) matrix of the pixels valid in
        both maps: km2, or "%" of their total area."""
        z = self.overall() if zone is None else zone
        m = self.area[z, :-1, :-1] * 1e-6
        if unit == "%":
            tot = m.sum()
            return m / tot * 100 if tot > 0 else np.full(m.shape, np.nan)
        return m

    def changed_share(self, zone=None):
        """(changed area km2, changed share % of the area valid in both)."""
        m = self.matrix(zone)
        tot = m.sum()
        ch = tot - np.trace(m)
        return ch, (ch / tot * 100 if tot > 0 else math.nan)

    def pair_rows(self):
        """Long table (Sankey-ready): one row per zone and from/to pair with
        a non-zero area."""
        rows = []
        for z in self.zones():
            m = self.area[z, :-1, :-1]
            tot = m.sum()
            for i, a in enumerate(self.classes):
                row_tot = m[i].sum()
                for j, b in enumerate(self.classes):
                    if m[i, j] <= 0:
                        continue
                    k = (z, i, j)
                    r = {"zone_id": int(z), "zone": self.zone_label(z),
                         "from_class": int(a), "from_name": self.name(a),
                         "to_class": int(b), "to_name": self.name(b),
                         "changed": int(a != b), "pixels": int(self.pixels[k]),
                         "area_km2": m[i, j] * 1e-6,
                         "pct_of_total": 100 * m[i, j] / tot,
                         "pct_of_from": 100 * m[i, j] / row_tot}
                    if self.var_count is not None:
                        n, sv = self.var_count[k], self.var_sum[k]
                        sa, sva = self.var_area[k], self.var_sum_area[k]
                        r["var_mean"] = float(sv / n) if n else math.nan
                        r["var_aw_mean"] = float(sva / sa) if sa > 0 else math.nan
                    rows.append(r)
        return rows

    def class_rows(self):
        """Per zone and class: area in the first and second map (pixels valid
        in both), persistence, loss, gain, net change (km2 and % of the first
        area), and the areas where the other map is nodata."""
        rows = []
        for z in self.zones():
            full = self.area[z] * 1e-6
            m = full[:-1, :-1]
            for i, code in enumerate(self.classes):
                first, second = m[i].sum(), m[:, i].sum()
                keep = m[i, i]
                rows.append({"zone_id": int(z), "zone": self.zone_label(z),
                             "class": int(code), "class_name": self.name(code),
                             "area_first_km2": first, "area_second_km2": second,
                             "persistence_km2": keep, "loss_km2": first - keep,
                             "gain_km2": second - keep, "net_km2": second - first,
                             "net_pct": 100 * (second - first) / first if first > 0 else math.nan,
                             "second_nodata_km2": full[i, -1],
                             "first_nodata_km2": full[-1, i]})
        return rows

    def matrix_rows(self):
        """Wide matrices per zone: unit "km2" then "%" rows, one column per
        'to' class (field to_<code>) and the row total."""
        rows = []
        for z in self.zones():
            for unit in ("km2", "%"):
                m = self.matrix(z, unit)
                for i, code in enumerate(self.classes):
                    r = {"zone": self.zone_label(z), "unit": unit, "from_class": int(code),
                         "from_name": self.name(code)}
                    for j, b in enumerate(self.classes):
                        r[f"to_{b}"] = float(m[i, j])
                    r["total"] = float(np.nansum(m[i]))
                    rows.append(r)
                tot = {"zone": self.zone_label(z), "unit": unit, "from_class": None,
                       "from_name": "total (second map)"}
                for j, b in enumerate(self.classes):
                    tot[f"to_{b}"] = float(np.nansum(m[:, j]))
                tot["total"] = float(np.nansum(m))
                rows.append(tot)
        return rows


def transition_matrix(first, second, variable=None, zones=None, zone_names=None,
                      class_names=None, progress=None, memory_mb=256):
    """Land-cover transition matrix between two one-layer class rasters.

    ``second`` is warped onto ``first``'s grid by majority when the grids
    differ. ``variable``: optional one-layer raster on ``first``'s grid (for
    example the NPP change) whose mean and area-weighted mean are reported
    per from/to pair. ``zones``/``zone_names`` as in :func:`zonal_summary`.
    Areas are pixel areas (:func:`carbonsink.core.area.pixel_areas`).
    Returns :class:`Transitions`.
    """
    progress = as_progress(progress)
    areas = pixel_areas(first.grid)
    warnings = [areas.warning] if areas.warning else []
    for s, what in ((first, "first"), (second, "second")):
        if s.n != 1:
            raise StackError(N_("the {} land-cover raster must have one band"), what)
    if second.grid.same_as(first.grid) is not None:
        from .regrid import warp_to_grid
        warnings.append(Message(N_("{} is on another grid: warped onto the grid of {} by "
                                   "majority (mode)"),
                                second.name, first.name))
        second = warp_to_grid(second, first.grid, "mode")
    if variable is not None:
        if variable.n != 1:
            raise StackError(N_("the variable raster must have one band"))
        diff = first.grid.same_as(variable.grid)
        if diff:
            raise StackError(N_("{} must be on the grid of {}; it has {}"),
                             variable.name, first.name, diff)
    codes = sorted(set(class_codes(first, progress.scaled(0, 5), memory_mb))
                   | set(class_codes(second, progress.scaled(5, 10), memory_mb)))
    if not codes:
        raise StackError(N_("the land-cover rasters have no valid class pixel"))
    lut, lo = class_lut(codes)
    n_cls = len(codes)
    slots = n_cls + 1                                   # + nodata slot
    zone_names, n_zones = zone_count(zones, zone_names)
    acc = KeySums(1 if variable is not None else 0, (n_zones + 1) * slots * slots)
    stacks = {"a": first, "b": second, "window": WindowProbe(first)}
    if zones is not None:
        stacks["z"] = zones
    if variable is not None:
        stacks["v"] = variable

    def func(a):
        x, y0, w, h = a["window"]
        sa = class_slots(a["a"][0], lut, lo)
        sb = class_slots(a["b"][0], lut, lo)
        both_missing = (sa < 0) & (sb < 0)
        sa[sa < 0] = n_cls
        sb[sb < 0] = n_cls
        pair = sa * slots + sb
        pair[both_missing] = -1
        zi = zone_index(a["z"][0], n_zones) if zones is not None else None
        key = combined_key(zi, pair, slots * slots, (h, w))
        y = a["v"] if variable is not None else np.empty((0, h, w))
        acc.add(y, key, areas.row_m2[y0:y0 + h])

    scan_blocks(stacks, func, progress.scaled(10, 100), _budget(memory_mb, stacks))
    shape = (n_zones + 1, slots, slots)
    area_arr = acc.area.reshape(shape)
    pix = acc.pixels.reshape(shape)
    area_arr[0] = area_arr[1:].sum(axis=0)
    pix[0] = pix[1:].sum(axis=0)
    res = Transitions(codes, dict(class_names or {}), dict(zone_names), area_arr, pix,
                      area_method=areas.method, warnings=warnings)
    if variable is not None:
        arrs = []
        for a in (acc.count, acc.sum_v, acc.sum_a, acc.sum_va):
            a = a[0].reshape(shape).astype(np.float64)
            a[0] = a[1:].sum(axis=0)
            arrs.append(a)
        res.var_count, res.var_sum, res.var_area, res.var_sum_area = arrs
        res.variable = variable.name
    return res


CHANGE_NODATA = 255


def change_raster(first, second, path, progress=None, memory_mb=256):
    """Write a uint8 raster on ``first``'s grid: 1 where the class changed,
    0 where it stayed, 255 where either map is nodata. ``second`` is warped
    by majority when its grid differs. Returns the path."""
    from .io import OutputSpec, run_blocks
    if second.grid.same_as(first.grid) is not None:
        from .regrid import warp_to_grid
        second = warp_to_grid(second, first.grid, "mode")
    spec = {"change": OutputSpec(path, dtype="uint8", nodata=CHANGE_NODATA,
                                 descriptions=["land-cover change (1 changed, 0 unchanged)"])}

    def func(a):
        x, y = a["a"][0], a["b"][0]
        out = (x != y).astype(np.uint8)
        out[np.isnan(x) | np.isnan(y)] = CHANGE_NODATA
        return {"change": out}

    return run_blocks({"a": first, "b": second}, spec, func, progress, memory_mb)["change"]
