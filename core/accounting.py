"""Regional carbon accounting (methods.md section 12): area-weighted zonal
totals, land-cover classes and units.

Conventions
-----------
- Values are area densities: fluxes in g C m-2 yr-1 (NPP, NEP, CSCC,
  potential...) or stocks in g C m-2. The total of a zone is
  sum(value * pixel area in m2) in g C (per year for a flux), converted to the
  chosen mass unit: g, t (= Mg), Gg, Tg (= Mt, 1e12 g), Pg (= Gt, 1e15 g) of
  carbon, or of CO2 with the factor 44/12.
- Pixel areas come from :func:`carbonsink.core.area.pixel_areas` (exact
  ellipsoidal areas per row on geographic grids).
- Missing values (nodata, NaN) do not count: means, area-weighted means and
  totals are over the valid pixels of each layer.

Everything streams block by block (``scan_blocks``); accumulators are small
arrays per zone, class and layer.
"""
import csv
import math
import os
import re
from dataclasses import dataclass, field

import numpy as np

from ._numba import njit_parallel, prange, use_numba
from .area import WindowProbe, pixel_areas
from .csv_tables import (  # noqa: F401 - reachable here too (the same objects)
    _cell,
    _number,
    read_table,
    read_text_table,
    write_csv,
)
from .errors import N_, InputError, Message
from .io import StackError, scan_blocks
from .progress import as_progress

C_TO_CO2 = 44.0 / 12.0
MASS_PREFIX = {"g": 1.0, "kg": 1e3, "t": 1e6, "Mg": 1e6, "Gg": 1e9, "Tg": 1e12, "Mt": 1e12,
               "Pg": 1e15, "Gt": 1e15}
#: the unit choices offered by the algorithms, in enum order
UNITS = ["g C", "t C", "Gg C", "Tg C", "Pg C", "g CO2", "t CO2", "Gg CO2", "Tg CO2", "Pg CO2"]
MAX_CLASSES = 1000


# ----------------------------------------------------------------- units

def mass_factor(unit="Tg C", input_species="C"):
    """Multiplier from grams of ``input_species`` (C or CO2) to ``unit``
    ("Tg C", "Pg CO2", "t C", ...)."""
    parts = str(unit).split()
    if len(parts) != 2 or parts[0] not in MASS_PREFIX or parts[1] not in ("C", "CO2"):
        raise InputError(N_("unit must look like 'Tg C' or 'Pg CO2' (prefix one of {}), not "
                            "{!r}"), ', '.join(MASS_PREFIX), unit)
    if input_species not in ("C", "CO2"):
        raise InputError(N_("input species must be C or CO2, not {!r}"), input_species)
    f = 1.0 / MASS_PREFIX[parts[0]]
    if parts[1] != input_species:
        f *= C_TO_CO2 if parts[1] == "CO2" else 1.0 / C_TO_CO2
    return f


def species_of(unit):
    return str(unit).split()[-1]


# --------------------------------------------------------------- classes

def read_class_names(path):
    """{code: name} from a CSV with columns code,name (header optional;
    ';' or ',' separated; lines starting with # are comments)."""
    if not path:
        return {}
    names = {}
    text = read_text_table(path, "class table")
    dialect = ";" if text.count(";") > text.count(",") else ","
    rows = [r for r in csv.reader(text.splitlines(), delimiter=dialect)
            if r and r[0].strip() and not r[0].lstrip().startswith("#")]
    for k, row in enumerate(rows):
        try:
            code = int(float(row[0]))
        except ValueError:
            if k == 0:
                continue                  # header
            raise StackError(N_("the class table {}: '{}' is not an integer class code "
                                "(expected columns: code, name)"),
                             os.path.basename(path), row[0]) from None
        if len(row) < 2 or not row[1].strip():
            raise StackError(N_("the class table {}: class {} has no name (expected columns: "
                                "code, name)"), os.path.basename(path), code)
        names[code] = row[1].strip()
    if rows and not names:
        raise StackError(N_("the class table {} has no rows with a class code and a name "
                            "(expected columns: code, name)"), os.path.basename(path))
    return names


def class_codes(stack, progress=None, memory_mb=256, max_classes=MAX_CLASSES):
    """Sorted integer codes present in a one-layer class raster (streamed)."""
    found = np.zeros(0, dtype=np.int64)
    bad = []

    def func(a):
        nonlocal found
        v = a["c"][0]
        v = v[np.isfinite(v)]
        if not v.size:
            return
        if not bad and np.any(v != np.round(v)):
            bad.append(float(v[v != np.round(v)][0]))
        iv = v.astype(np.int64)
        lo, hi = int(iv.min()), int(iv.max())
        if hi - lo < 1 << 20:
            u = np.nonzero(np.bincount(iv - lo))[0] + lo
        else:
            u = np.unique(iv)
        found = np.union1d(found, u)
        if found.size > max_classes:
            raise StackError(N_("{} has more than {} distinct values: is it really a class "
                                "(land-cover, lithology) raster?"), stack.name, max_classes)

    scan_blocks({"c": stack}, func, progress, memory_mb)
    if bad:
        raise StackError(N_("{} is not a class raster: it has non-integer values (e.g. {:g})"),
                         stack.name, bad[0])
    return [int(c) for c in found]


def class_lut(codes):
    """(lookup array, offset): slot = lut[code - offset], -1 for unknown codes."""
    codes = np.asarray(codes, dtype=np.int64)
    if not codes.size:
        return np.full(1, -1, dtype=np.int64), 0
    lo, hi = int(codes.min()), int(codes.max())
    if hi - lo > 1 << 24:
        raise StackError(N_("class codes span too wide a range"))
    lut = np.full(hi - lo + 1, -1, dtype=np.int64)
    lut[codes - lo] = np.arange(codes.size)
    return lut, lo


def class_slots(c, lut, lo):
    """Slots (int64, -1 for nodata or an unknown code) of a float class block."""
    out = np.full(c.shape, -1, dtype=np.int64)
    ok = np.isfinite(c)
    iv = np.zeros(c.shape, dtype=np.int64)
    iv[ok] = c[ok].astype(np.int64) - lo
    ok &= (iv >= 0) & (iv < lut.size)
    out[ok] = lut[iv[ok]]
    return out


def zone_count(zones, zone_names):
    """(zone names, largest zone id) of an optional zone raster: names are
    required with one; without, one zone "whole area" (id 1)."""
    if zones is not None:
        if not zone_names:
            raise StackError("zone names are needed with a zone raster ({id: name})")
        return zone_names, max(int(k) for k in zone_names)
    return zone_names or {1: "whole area"}, 1


def zone_index(z, n_zones):
    """Zone ids (int64, -1 outside every zone) of a float zone block; None
    (no zone raster) gives zone 1 everywhere."""
    if z is None:
        return None
    out = np.full(z.shape, -1, dtype=np.int64)
    ok = np.isfinite(z)
    iv = np.zeros(z.shape, dtype=np.int64)
    iv[ok] = z[ok].astype(np.int64)
    ok &= (iv >= 1) & (iv <= n_zones)
    out[ok] = iv[ok]
    return out


def combined_key(zones, slots, n_classes, shape):
    """key = zone * n_classes + slot; -1 where either is missing."""
    if zones is None:
        zones = np.ones(shape, dtype=np.int64)
    if slots is None:
        slots = np.zeros(shape, dtype=np.int64)
    key = zones * n_classes + slots
    key[(zones < 0) | (slots < 0)] = -1
    return key


# ------------------------------------------------------- accumulators

@njit_parallel
def _acc_numba(y, key, arow, cnt, sv, sa, sva):  # pragma: no cover - compiled
    n, h, w = y.shape
    for t in prange(n):
        for i in range(h):
            a = arow[i]
            for j in range(w):
                k = key[i, j]
                if k < 0:
                    continue
                v = y[t, i, j]
                if v == v:
                    cnt[t, k] += 1
                    sv[t, k] += v
                    sa[t, k] += a
                    sva[t, k] += v * a


@njit_parallel
def _any_valid_numba(y):  # pragma: no cover - compiled
    n, h, w = y.shape
    out = np.zeros((h, w), dtype=np.bool_)
    for i in prange(h):
        for j in range(w):
            for t in range(n):
                if y[t, i, j] == y[t, i, j]:
                    out[i, j] = True
                    break
    return out


class KeySums:
    """Per key (zone x class) and layer: valid pixels, sum of values, sum of
    valid areas (m2), sum of value * area; per key: pixels, area and the area
    of the pixels valid in at least one layer."""

    def __init__(self, n_layers, n_keys):
        self.n, self.k = int(n_layers), int(n_keys)
        self.count = np.zeros((self.n, self.k), dtype=np.int64)
        self.sum_v = np.zeros((self.n, self.k))
        self.sum_a = np.zeros((self.n, self.k))
        self.sum_va = np.zeros((self.n, self.k))
        self.pixels = np.zeros(self.k, dtype=np.int64)
        self.area = np.zeros(self.k)
        self.any_area = np.zeros(self.k)

    def add(self, y, key, arow):
        """``y`` (n, h, w) float64 with NaN; ``key`` (h, w) int64 (-1 = skip);
        ``arow`` (h,) pixel area of each row in m2."""
        h, w = key.shape
        arow = np.ascontiguousarray(arow, dtype=np.float64)
        inside = key >= 0
        kin = key[inside]
        area2d = np.broadcast_to(arow[:, None], (h, w))
        self.pixels += np.bincount(kin, minlength=self.k)
        self.area += np.bincount(kin, weights=area2d[inside], minlength=self.k)
        if use_numba():
            y = np.ascontiguousarray(y)
            key = np.ascontiguousarray(key)
            _acc_numba(y, key, arow, self.count, self.sum_v, self.sum_a, self.sum_va)
            anyv = _any_valid_numba(y)
        else:
            anyv = np.zeros((h, w), dtype=bool)
            af = area2d[inside]
            for t in range(self.n):
                v = y[t][inside]
                ok = ~np.isnan(v)
                anyv[inside] |= ok
                kk, vv, aa = kin[ok], v[ok], af[ok]
                self.count[t] += np.bincount(kk, minlength=self.k)
                self.sum_v[t] += np.bincount(kk, weights=vv, minlength=self.k)
                self.sum_a[t] += np.bincount(kk, weights=aa, minlength=self.k)
                self.sum_va[t] += np.bincount(kk, weights=vv * aa, minlength=self.k)
        sel = inside & anyv
        self.any_area += np.bincount(key[sel], weights=area2d[sel], minlength=self.k)


# --------------------------------------------------------- zonal summary

def _label_field(label, used):
    s = re.sub(r"\W+", "_", str(label)).strip("_").lower() or "layer"
    base, k = s, 2
    while s in used:
        s, k = f"{base}_{k}", k + 1
    used.add(s)
    return s


@dataclass
class ZonalSummary:
    """Result of :func:`zonal_summary`.

    Arrays are indexed [layer, zone, class] (zone 0 = outside every zone,
    unused; class slot order = ``classes``; one slot when no land cover):
    ``count`` valid pixels, ``sum_v``, ``sum_a`` (valid area, m2), ``sum_va``
    (sum of value * area, g); [zone, class]: ``pixels``, ``area`` (m2),
    ``any_area`` (m2 of pixels valid in at least one layer).
    ``factor`` converts g (of the input species) to ``unit``.
    """
    labels: list
    years: object
    zone_names: dict
    classes: list
    class_names: dict
    unit: str
    factor: float
    count: np.ndarray
    sum_v: np.ndarray
    sum_a: np.ndarray
    sum_va: np.ndarray
    pixels: np.ndarray
    area: np.ndarray
    any_area: np.ndarray
    area_method: str = ""
    warnings: list = field(default_factory=list)


    # groups: (zone id or 0 = all zones, class code or None = all classes)
    def groups(self):
        zids = sorted(self.zone_names)
        multi_zone = len(zids) > 1
        out = []
        for z in zids:
            if self.classes:
                out += [(z, c) for c in self.classes]
            out.append((z, None))
        if multi_zone or not zids:
            if self.classes:
                out += [(0, c) for c in self.classes]
            out.append((0, None))
        return out

    def _sel(self, arr, z, c):
        zs = slice(1, None) if z == 0 else slice(z, z + 1)
        cs_ = slice(None) if c is None else slice(self.classes.index(c),
                                                  self.classes.index(c) + 1)
        return arr[..., zs, cs_].sum(axis=(-1, -2))

    def zone_label(self, z):
        return self.zone_names[z] if z else "All zones"

    def class_label(self, c):
        if c is None:
            return "All classes"
        return self.class_names.get(c, f"class {c}")

    def group_values(self, z, c):
        """Per layer: dict of arrays (n,) count, valid_area_m2, mean, aw_mean,
        total (unit); and scalars area_m2, pixels, any_area_m2."""
        cnt = self._sel(self.count, z, c)
        sv, sa, sva = (self._sel(a, z, c) for a in (self.sum_v, self.sum_a, self.sum_va))
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(cnt > 0, sv / np.maximum(cnt, 1), np.nan)
            aw = np.where(sa > 0, sva / np.where(sa > 0, sa, 1), np.nan)
        total = np.where(cnt > 0, sva * self.factor, np.nan)
        return {"count": cnt, "valid_area_m2": sa, "mean": mean, "aw_mean": aw,
                "total": total, "sum_v": sv, "sum_va": sva,
                "area_m2": float(self._sel(self.area, z, c)),
                "pixels": int(self._sel(self.pixels, z, c)),
                "any_area_m2": float(self._sel(self.any_area, z, c))}

    def grand_total(self):
        """(n,) total over all zones and classes, in ``unit``."""
        return self._sel(self.sum_va, 0, None) * self.factor

    def layer_rows(self):
        """Long table: one dict per group and layer."""
        grand = self.grand_total()
        rows = []
        for z, c in self.groups():
            g = self.group_values(z, c)
            zone = self.group_values(z, None) if c is not None else g
            zt = zone["total"]
            for t, label in enumerate(self.labels):
                rows.append({
                    "zone_id": int(z), "zone": self.zone_label(z),
                    "class": None if c is None else int(c), "class_name": self.class_label(c),
                    "layer": str(label),
                    "year": None if self.years is None else float(self.years[t]),
                    "area_km2": g["area_m2"] * 1e-6,
                    "valid_area_km2": float(g["valid_area_m2"][t]) * 1e-6,
                    "valid_pixels": int(g["count"][t]),
                    "mean": float(g["mean"][t]), "aw_mean": float(g["aw_mean"][t]),
                    "total": float(g["total"][t]),
                    "share_pct": _pct(g["total"][t], grand[t]),
                    "share_zone_pct": _pct(g["total"][t], zt[t]),
                    "area_share_pct": _pct(g["area_m2"], zone["area_m2"]),
                    "per_km2": _per_km2(g["total"][t], g["valid_area_m2"][t]),
                    "unit": self.unit})
        return rows

    def layer_fields(self):
        """Field names of the per-layer totals in :meth:`summary_rows`."""
        used = set()
        return [f"total_{_label_field(lab, used)}" for lab in self.labels]

    def summary_rows(self, across_layers=True, ratios=()):
        """One dict per group: area, valid area (pixels valid in at least one
        layer), the total of every layer (fields :meth:`layer_fields`) and,
        with ``across_layers`` (a time series), the mean over all valid
        pixel-layers, the area-weighted mean, the mean, standard deviation
        (ddof 1), minimum and maximum of the layer totals and the share of
        the mean total in the grand mean total. Always: the class's share of
        the zone's area (area_share_pct) and, for every (a, b) of ``ratios``
        (layer numbers from 1), 100 x total of layer a / total of layer b
        (``ratio_<a>_<b>_pct``: potential as % of CSCC, ECS as % of CE ...)."""
        grand = self.grand_total()
        grand_mean = float(np.nanmean(grand)) if np.isfinite(grand).any() else math.nan
        fields = self.layer_fields()
        rows = []
        for z, c in self.groups():
            g = self.group_values(z, c)
            row = {"zone_id": int(z), "zone": self.zone_label(z),
                   "class": None if c is None else int(c), "class_name": self.class_label(c),
                   "area_km2": g["area_m2"] * 1e-6, "valid_area_km2": g["any_area_m2"] * 1e-6,
                   "area_share_pct": _pct(g["area_m2"],
                                          self.group_values(z, None)["area_m2"])}
            for name, v in zip(fields, g["total"]):
                row[name] = float(v)
            for a, b in ratios:
                row[f"ratio_{a}_{b}_pct"] = _pct(g["total"][a - 1], g["total"][b - 1])
            if across_layers:
                tot = g["total"][np.isfinite(g["total"])]
                n_all = int(g["count"].sum())
                sa_all = float(g["valid_area_m2"].sum())
                row.update({
                    "n_layers": int(tot.size),
                    "mean": float(g["sum_v"].sum() / n_all) if n_all else math.nan,
                    "aw_mean": float(g["sum_va"].sum() / sa_all) if sa_all > 0 else math.nan,
                    "total_mean": float(tot.mean()) if tot.size else math.nan,
                    "total_sd": float(tot.std(ddof=1)) if tot.size > 1 else math.nan,
                    "total_min": float(tot.min()) if tot.size else math.nan,
                    "total_max": float(tot.max()) if tot.size else math.nan})
                row["share_pct"] = _pct(row["total_mean"], grand_mean)
            row["unit"] = self.unit
            rows.append(row)
        return rows


def _budget(memory_mb, stacks, work_bytes=48):
    """The share of ``memory_mb`` scan_blocks may give to the input windows
    when the block function needs ``work_bytes`` more per pixel (keys,
    masks, areas)."""
    per = sum(8 * s.n for s in stacks.values())
    return max(1.0, memory_mb * per / (per + work_bytes))


def _per_km2(total, area_m2):
    """A total per km2 of valid area (NaN without valid area)."""
    total, area_m2 = float(total), float(area_m2)
    if not (math.isfinite(total) and area_m2 > 0):
        return math.nan
    return total / (area_m2 * 1e-6)


def parse_ratios(text, n_layers):
    """[(a, b)] from "2/1, 3/1" (layer numbers from 1); raises InputError."""
    out = []
    for part in str(text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            a, b = (int(v) for v in part.split("/"))
        except ValueError:
            raise InputError(N_("ratio {!r}: write layer numbers as a/b, e.g. 2/1"), part) from None
        if not (1 <= a <= n_layers and 1 <= b <= n_layers) or a == b:
            raise InputError(N_("ratio {}: the layers are numbered 1..{}, and a ratio needs "
                                "two different layers"), part, n_layers)
        out.append((a, b))
    return out


def _pct(part, whole):
    part, whole = float(part), float(whole)
    if not (math.isfinite(part) and math.isfinite(whole)) or whole == 0:
        return math.nan
    return 100.0 * part / whole


def zonal_summary(stack, zones=None, zone_names=None, landcover=None, class_names=None,
                  years=None, unit="Tg C", input_species="C", common_mask=False,
                  progress=None, memory_mb=256):
    """Area-weighted zonal summary of ``stack`` (a RasterStack of n layers:
    years of one variable, or separate variables).

    ``zones``: one-layer zone raster on the same grid, ids 1..N (0 outside;
    see :func:`carbonsink.core.io.zones.zones_from_vector`), or None (the
    whole grid); ``zone_names``: {id: name}. ``landcover``: one-layer class
    raster (warped onto the stack's grid with the majority rule when its grid
    differs), or None. ``class_names``: {code: name}. ``years``: the layers'
    years (labels become the years), else the stack's labels are used.
    Returns a :class:`ZonalSummary`.
    """
    progress = as_progress(progress)
    factor = mass_factor(unit, input_species)
    areas = pixel_areas(stack.grid)
    warnings = [areas.warning] if areas.warning else []
    if zones is not None and zones.n != 1:
        raise StackError(N_("the zone raster must have one band"))
    zone_names, n_zones = zone_count(zones, zone_names)
    stacks = {"y": stack, "window": WindowProbe(stack)}
    if zones is not None:
        stacks["z"] = zones
    classes = []
    lut = lo = None
    if landcover is not None:
        if landcover.n != 1:
            raise StackError(N_("the land-cover raster must have one band"))
        if landcover.grid.same_as(stack.grid) is not None:
            from .regrid import warp_to_grid
            warnings.append(Message(N_("{} is on another grid: warped onto the values' grid by "
                                       "majority (mode)"),
                                    landcover.name))
            landcover = warp_to_grid(landcover, stack.grid, "mode")
        classes = class_codes(landcover, progress.scaled(0, 10), memory_mb)
        if not classes:
            raise StackError(N_("{} has no valid class pixel"), landcover.name)
        lut, lo = class_lut(classes)
        stacks["c"] = landcover
        progress = progress.scaled(10, 100)
    n_cls = max(1, len(classes))
    labels = ([f"{v:g}" for v in years] if years is not None else list(stack.labels))
    if years is not None and len(years) != stack.n:
        raise StackError(N_("{} years given for {} layers"), len(years), stack.n)
    acc = KeySums(stack.n, (n_zones + 1) * n_cls)

    def func(a):
        x, y0, w, h = a["window"]
        zi = zone_index(a["z"][0], n_zones) if zones is not None else None
        sl = class_slots(a["c"][0], lut, lo) if landcover is not None else None
        key = combined_key(zi, sl, n_cls, (h, w))
        y = a["y"]
        if common_mask:
            y[:, np.isnan(y).any(axis=0)] = np.nan
        acc.add(y, key, areas.row_m2[y0:y0 + h])

    scan_blocks(stacks, func, progress, _budget(memory_mb, stacks))
    shape3 = (stack.n, n_zones + 1, n_cls)
    return ZonalSummary(
        labels=labels, years=None if years is None else np.asarray(years, dtype=float),
        zone_names=dict(zone_names), classes=classes,
        class_names=dict(class_names or {}), unit=unit, factor=factor,
        count=acc.count.reshape(shape3), sum_v=acc.sum_v.reshape(shape3),
        sum_a=acc.sum_a.reshape(shape3), sum_va=acc.sum_va.reshape(shape3),
        pixels=acc.pixels.reshape(shape3[1:]), area=acc.area.reshape(shape3[1:]),
        any_area=acc.any_area.reshape(shape3[1:]), area_method=areas.method,
        warnings=warnings)


# the transitions, the carbon budget and the enhancement scenarios live in
# their own modules; their names are reachable here too (the same objects)
_ELSEWHERE = {
    "transitions": ("Transitions", "transition_matrix", "change_raster", "CHANGE_NODATA"),
    "budget": ("SECONDS_PER_YEAR", "MM_YR_TO_L_S_KM2", "CARBON_G_PER_MOL", "COEFFICIENT_UNITS",
               "EMISSION_RASTER_UNITS", "Coefficient", "read_coefficients", "Budget",
               "carbon_budget"),
    "sinkscenario": ("rate_factor", "Measure", "read_measures", "Scenario", "sink_scenario"),
}


def __getattr__(name):
    import importlib
    for module, names in _ELSEWHERE.items():
        if name in names:
            return getattr(importlib.import_module(f"{__package__}.{module}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
