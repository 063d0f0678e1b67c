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
from .classes import NODATA_CLASS
from .errors import InputError
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
        raise InputError(f"unit must look like 'Tg C' or 'Pg CO2' (prefix one of "
                         f"{', '.join(MASS_PREFIX)}), not {unit!r}")
    if input_species not in ("C", "CO2"):
        raise InputError(f"input species must be C or CO2, not {input_species!r}")
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
            raise StackError(f"the class table {os.path.basename(path)}: '{row[0]}' is not an "
                             "integer class code (expected columns: code, name)") from None
        if len(row) < 2 or not row[1].strip():
            raise StackError(f"the class table {os.path.basename(path)}: class {code} has "
                             "no name (expected columns: code, name)")
        names[code] = row[1].strip()
    if rows and not names:
        raise StackError(f"the class table {os.path.basename(path)} has no rows with a "
                         "class code and a name (expected columns: code, name)")
    return names


def read_text_table(path, what):
    """The text of a user's CSV table: UTF-8 (with or without BOM), else
    GB18030 (a superset of GBK, as Excel on Chinese Windows saves CSV).
    Raises StackError naming the file."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as exc:
        raise StackError(f"cannot read the {what} {path}: {exc.strerror}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StackError(f"cannot read the {what} {path}: it is neither UTF-8 nor GBK/GB18030 "
                     "text; save it as CSV UTF-8")


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
            raise StackError(f"{stack.name} has more than {max_classes} distinct values: "
                             "is it really a class (land-cover, lithology) raster?")

    scan_blocks({"c": stack}, func, progress, memory_mb)
    if bad:
        raise StackError(f"{stack.name} is not a class raster: it has non-integer values "
                         f"(e.g. {bad[0]:g})")
    return [int(c) for c in found]


def class_lut(codes):
    """(lookup array, offset): slot = lut[code - offset], -1 for unknown codes."""
    codes = np.asarray(codes, dtype=np.int64)
    if not codes.size:
        return np.full(1, -1, dtype=np.int64), 0
    lo, hi = int(codes.min()), int(codes.max())
    if hi - lo > 1 << 24:
        raise StackError("class codes span too wide a range")
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
            raise InputError(f"ratio {part!r}: write layer numbers as a/b, e.g. 2/1") from None
        if not (1 <= a <= n_layers and 1 <= b <= n_layers) or a == b:
            raise InputError(f"ratio {part}: the layers are numbered 1..{n_layers}, and a "
                             "ratio needs two different layers")
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
    if zones is not None:
        if zones.n != 1:
            raise StackError("the zone raster must have one band")
        if not zone_names:
            raise StackError("zone names are needed with a zone raster ({id: name})")
        n_zones = max(int(k) for k in zone_names)
    else:
        zone_names = zone_names or {1: "whole area"}
        n_zones = 1
    stacks = {"y": stack, "window": WindowProbe(stack)}
    if zones is not None:
        stacks["z"] = zones
    classes = []
    lut = lo = None
    if landcover is not None:
        if landcover.n != 1:
            raise StackError("the land-cover raster must have one band")
        if landcover.grid.same_as(stack.grid) is not None:
            from .regrid import warp_to_grid
            warnings.append(f"{landcover.name} is on another grid: warped onto the "
                            f"values' grid by majority (mode)")
            landcover = warp_to_grid(landcover, stack.grid, "mode")
        classes = class_codes(landcover, progress.scaled(0, 10), memory_mb)
        if not classes:
            raise StackError(f"{landcover.name} has no valid class pixel")
        lut, lo = class_lut(classes)
        stacks["c"] = landcover
        progress = progress.scaled(10, 100)
    n_cls = max(1, len(classes))
    labels = ([f"{v:g}" for v in years] if years is not None else list(stack.labels))
    if years is not None and len(years) != stack.n:
        raise StackError(f"{len(years)} years given for {stack.n} layers")
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


# ------------------------------------------------------------------ CSV

def write_csv(path, rows, fields=None):
    """Write dict rows to ``path`` (atomically); NaN and None as empty cells."""
    if fields is None:
        fields = []
        for r in rows:
            fields += [k for k in r if k not in fields]
    from .io.outputs import open_text
    with open_text(path, newline="") as f:
        w = csv.writer(f)
        w.writerow(fields)
        for r in rows:
            w.writerow([_cell(r.get(k)) for k in fields])
    return path


def _cell(v):
    if v is None:
        return ""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        return "" if not math.isfinite(v) else repr(v)
    return v


# ------------------------------------------------------- transition matrix

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
            raise StackError(f"the {what} land-cover raster must have one band")
    if second.grid.same_as(first.grid) is not None:
        from .regrid import warp_to_grid
        warnings.append(f"{second.name} is on another grid: warped onto the grid of "
                        f"{first.name} by majority (mode)")
        second = warp_to_grid(second, first.grid, "mode")
    if variable is not None:
        if variable.n != 1:
            raise StackError("the variable raster must have one band")
        diff = first.grid.same_as(variable.grid)
        if diff:
            raise StackError(f"{variable.name} must be on the grid of {first.name}; it has "
                             f"{diff}")
    codes = sorted(set(class_codes(first, progress.scaled(0, 5), memory_mb))
                   | set(class_codes(second, progress.scaled(5, 10), memory_mb)))
    if not codes:
        raise StackError("the land-cover rasters have no valid class pixel")
    lut, lo = class_lut(codes)
    n_cls = len(codes)
    slots = n_cls + 1                                   # + nodata slot
    if zones is not None:
        if not zone_names:
            raise StackError("zone names are needed with a zone raster ({id: name})")
        n_zones = max(int(k) for k in zone_names)
    else:
        zone_names = zone_names or {1: "whole area"}
        n_zones = 1
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


# ------------------------------------------------------------ user tables

def read_table(path, required, what):
    """Rows (dicts, lower-case keys, stripped values) of a CSV table with a
    header; ',' or ';' separated; lines starting with # are comments.
    Raises StackError naming the missing columns."""
    lines = [ln for ln in read_text_table(path, what).splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise StackError(f"the {what} {path} is empty")
    delim = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delim)
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in required if c not in header]
    if missing:
        raise StackError(f"the {what} {os.path.basename(path)} has no column "
                         f"{', '.join(missing)} (its columns: {', '.join(header)})")
    rows = []
    for k, rec in enumerate(reader, start=2):
        row = {h: (rec[i].strip() if i < len(rec) else "") for i, h in enumerate(header)}
        row["_line"] = k
        rows.append(row)
    return rows


def _number(text, what, line, path):
    try:
        v = float(text)
    except ValueError:
        raise StackError(f"{os.path.basename(path)} line {line}: {what} '{text}' is not a "
                         "number") from None
    if not math.isfinite(v):
        raise StackError(f"{os.path.basename(path)} line {line}: {what} is not finite")
    return v


# ---------------------------------------------------------- carbon budget

SECONDS_PER_YEAR = 365.25 * 86400.0
#: runoff of 1 mm yr-1 in L s-1 km-2
MM_YR_TO_L_S_KM2 = 1e6 / SECONDS_PER_YEAR
CARBON_G_PER_MOL = 12.011
#: a_unit -> factor to g C m-2 yr-1 per mm yr-1
COEFFICIENT_UNITS = {
    "gc_m2_per_mm": 1.0,
    "tc_km2_per_mm": 1.0,
    # 10^3 mol CO2 km-2 yr-1 per L s-1 km-2; one mol CO2 consumed = one mol C
    "kmol_km2_per_l_s_km2": 1e3 * CARBON_G_PER_MOL / 1e6 * MM_YR_TO_L_S_KM2,
}


@dataclass
class Coefficient:
    code: int
    name: str
    a: float            # g C m-2 yr-1 per mm yr-1 (converted); NaN when empty
    a_given: str
    a_unit: str
    source: str


def read_coefficients(path):
    """{code: Coefficient} from a rock-weathering coefficient table (columns
    code, lithology, a, a_unit, source; see
    algorithms/templates/rock_weathering_coefficients.csv)."""
    out = {}
    for r in read_table(path, ("code", "a"), "coefficient table"):
        try:
            code = int(float(r["code"]))
        except ValueError:
            raise StackError(f"{os.path.basename(path)} line {r['_line']}: code "
                             f"'{r['code']}' is not an integer") from None
        unit = (r.get("a_unit") or "gC_m2_per_mm").strip()
        factor = COEFFICIENT_UNITS.get(unit.lower())
        if factor is None:
            raise StackError(f"{os.path.basename(path)} line {r['_line']}: a_unit '{unit}' is "
                             f"not one of gC_m2_per_mm, tC_km2_per_mm, kmol_km2_per_L_s_km2")
        a = (_number(r["a"], "a", r["_line"], path) * factor) if r["a"] else math.nan
        if code in out:
            raise StackError(f"{os.path.basename(path)}: code {code} appears twice")
        out[code] = Coefficient(code, r.get("lithology") or f"class {code}", a, r["a"], unit,
                                r.get("source", ""))
    if not out:
        raise StackError(f"the coefficient table {path} has no row")
    return out


#: emission raster units -> (kind, species): density g m-2 yr-1 or t per pixel per year
EMISSION_RASTER_UNITS = {"g C m-2": ("density", "C"), "g CO2 m-2": ("density", "CO2"),
                         "t C per pixel": ("pixel", "C"), "t CO2 per pixel": ("pixel", "CO2")}


@dataclass
class Budget:
    """Result of :func:`carbon_budget`: per zone and layer totals (in
    ``unit``) over the budget mask, the pixels where NEP, runoff and a
    lithology coefficient (and the emission raster, when given) are all
    valid. Arrays [layer, zone] (zone 0 = all zones)."""
    labels: list
    zone_names: dict
    unit: str
    area_m2: np.ndarray
    zone_area_m2: np.ndarray
    nep: np.ndarray
    rcs: np.ndarray
    ecs: np.ndarray
    ce: np.ndarray
    cnc: np.ndarray
    ce_source: str
    lithology: list = field(default_factory=list)
    paths: dict = field(default_factory=dict)
    area_method: str = ""
    warnings: list = field(default_factory=list)

    def zones(self):
        ids = sorted(self.zone_names)
        return ids + [0] if len(ids) > 1 else ids


    def rows(self):
        out = []
        for z in self.zones():
            for t, lab in enumerate(self.labels):
                out.append({
                    "zone_id": int(z), "zone": self.zone_names[z] if z else "All zones",
                    "layer": str(lab), "zone_area_km2": float(self.zone_area_m2[z]) * 1e-6,
                    "budget_area_km2": float(self.area_m2[t, z]) * 1e-6,
                    "nep_total": float(self.nep[t, z]), "rcs_total": float(self.rcs[t, z]),
                    "ecs_total": float(self.ecs[t, z]), "ce_total": float(self.ce[t, z]),
                    "cnc_total": float(self.cnc[t, z]),
                    "ce_source": self.ce_source, "unit": self.unit})
        return out


def carbon_budget(nep, runoff, lithology, coefficients, outputs=None, emissions=None,
                  emission_unit="g C m-2", zones=None, zone_names=None, zone_emissions=None,
                  zone_emission_unit="Tg C", unit="Tg C", years=None, missing_as_zero=False,
                  progress=None, memory_mb=256):
    """Carbon budget (methods.md 12, Zhang et al. 2022).

    RCS = a * Q (a per lithology class from ``coefficients``, {code:
    Coefficient} or a CSV path; Q = ``runoff`` in mm yr-1), ECS = NEP + RCS,
    CNC = ECS - CE. ``nep``: RasterStack in g C m-2 yr-1 (n layers, e.g.
    years); ``runoff`` (mm yr-1) and ``emissions`` have 1 or n layers;
    ``lithology`` one layer of classes. Inputs on other grids than NEP are
    warped onto it (runoff and density emissions: average; lithology:
    majority). Emissions either as a raster (``emission_unit``: g C m-2,
    g CO2 m-2 (per year), t C per pixel, t CO2 per pixel) or per zone:
    ``zone_emissions`` {zone id: annual emission in ``zone_emission_unit``}.

    ``outputs``: {"rcs", "ecs", "cnc", "class"} -> GeoTIFF paths (rasters in
    g m-2 yr-1 of carbon, or of CO2 when ``unit`` is a CO2 unit; cnc and
    class need an emission raster; class: 1 surplus (mean CNC > 0), 0, -1
    deficit). Totals are over the budget mask (all inputs valid) so that
    ECS = NEP + RCS and CNC = ECS - CE hold exactly in every row.
    Returns :class:`Budget`.
    """
    from .io import OutputSpec, run_blocks
    from .regrid import warp_to_grid
    progress = as_progress(progress)
    outputs = {k: v for k, v in (outputs or {}).items() if v}
    if isinstance(coefficients, (str, os.PathLike)):
        coefficients = read_coefficients(coefficients)
    factor = mass_factor(unit, "C")
    dens = 1.0 if species_of(unit) == "C" else C_TO_CO2        # rasters: g m-2 yr-1
    areas = pixel_areas(nep.grid)
    warnings = [areas.warning] if areas.warning else []
    n = nep.n
    labels = [f"{v:g}" for v in years] if years is not None else list(nep.labels)
    if years is not None and len(years) != n:
        raise StackError(f"{len(years)} years given for {n} NEP layers")

    def align(stack, method, what):
        if stack.n not in (1, n):
            raise StackError(f"{what} has {stack.n} layers: give 1 or {n} (as NEP)")
        if stack.grid.same_as(nep.grid) is None:
            return stack
        warnings.append(f"{what} is on another grid than NEP: warped onto it ({method})")
        return warp_to_grid(stack, nep.grid, method)

    runoff = align(runoff, "average", "runoff")
    if lithology.n != 1:
        raise StackError("the lithology raster must have one band")
    lithology = align(lithology, "mode", "lithology")
    em_kind = em_species = None
    if emissions is not None:
        if zone_emissions:
            raise StackError("give emissions either as a raster or per zone, not both")
        if emission_unit not in EMISSION_RASTER_UNITS:
            raise StackError(f"emission unit must be one of {', '.join(EMISSION_RASTER_UNITS)}")
        em_kind, em_species = EMISSION_RASTER_UNITS[emission_unit]
        if em_kind == "pixel" and emissions.grid.same_as(nep.grid) is not None:
            raise StackError("emissions in t per pixel must be on the grid of NEP (per-pixel "
                             "totals cannot be averaged onto another grid): warp them with "
                             "'sum' resampling or convert them to g m-2 first")
        emissions = align(emissions, "average", "emissions")
    if ("cnc" in outputs or "class" in outputs) and emissions is None:
        raise StackError("CNC and class rasters need an emission raster (per-zone emissions "
                         "only give per-zone CNC)")
    codes = class_codes(lithology, progress.scaled(0, 5), memory_mb)
    missing = [c for c in codes if c not in coefficients or math.isnan(coefficients[c].a)]
    if missing and not missing_as_zero:
        raise StackError(
            "the coefficient table has no value of a for lithology class(es) "
            f"{', '.join(map(str, missing))} found in the raster: fill them in (the source "
            "column says where from) or choose 'missing classes count as 0'")
    if missing:
        warnings.append(f"lithology classes {', '.join(map(str, missing))} have no "
                        "coefficient: their rock-weathering sink counts as 0")
    lut_codes = sorted(set(codes) | set(coefficients))
    lut, lo = class_lut(lut_codes)
    a_of_slot = np.array([0.0 if (c not in coefficients or math.isnan(coefficients[c].a))
                          else coefficients[c].a for c in lut_codes] + [np.nan])
    lut = np.where(lut < 0, len(lut_codes), lut)   # unknown codes -> NaN coefficient

    if zones is not None:
        if not zone_names:
            raise StackError("zone names are needed with a zone raster ({id: name})")
        n_zones = max(int(k) for k in zone_names)
    else:
        zone_names = zone_names or {1: "whole area"}
        n_zones = 1
    sums = {k: KeySums(n, n_zones + 1) for k in ("nep", "rcs", "ce")}
    litho = KeySums(n, len(lut_codes))
    litho_q = KeySums(n, len(lut_codes))
    stacks = {"nep": nep, "q": runoff, "lith": lithology, "window": WindowProbe(nep)}
    if zones is not None:
        stacks["z"] = zones
    if emissions is not None:
        stacks["ce"] = emissions
    specs = {}
    for key, label in (("rcs", "RCS"), ("ecs", "ECS"), ("cnc", "CNC")):
        if key in outputs:
            specs[key] = OutputSpec(outputs[key], bands=n,
                                    descriptions=[f"{label} {lab}" for lab in labels])
    if "class" in outputs:
        specs["class"] = OutputSpec(outputs["class"], dtype="int8", nodata=NODATA_CLASS,
                                    descriptions=["carbon neutral status of the mean CNC"])

    def func(a):
        x, y0, w, h = a["window"]
        arow = areas.row_m2[y0:y0 + h]
        slot = class_slots(a["lith"][0], lut, lo)
        coef = np.where(slot >= 0, a_of_slot[np.where(slot >= 0, slot, -1)], np.nan)
        q = a["q"]
        rcs = coef[None] * q                                     # (1 or n, h, w)
        nep_ = a["nep"]
        rcs = np.broadcast_to(rcs, nep_.shape)
        ok = np.isfinite(nep_) & np.isfinite(rcs)
        ce = None
        if emissions is not None:
            ce = np.broadcast_to(a["ce"], nep_.shape).astype(np.float64, copy=True)
            if em_kind == "pixel":
                ce *= 1e6 / arow[None, :, None]                  # t / pixel -> g m-2
            if em_species == "CO2":
                ce /= C_TO_CO2
            ok &= np.isfinite(ce)
        zi = zone_index(a["z"][0], n_zones) if zones is not None else None
        key = combined_key(zi, None, 1, (h, w))
        for name, v in (("nep", nep_), ("rcs", rcs), ("ce", ce)):
            if v is not None:
                sums[name].add(np.where(ok, v, np.nan), key, arow)
        lkey = np.where(slot >= 0, slot, -1)
        litho.add(np.where(np.isfinite(rcs), rcs, np.nan), lkey, arow)
        litho_q.add(np.broadcast_to(q, nep_.shape).copy(), lkey, arow)
        res = {}
        ecs = nep_ + rcs                         # NaN where either is missing
        if "rcs" in specs:
            res["rcs"] = np.where(np.isfinite(rcs), rcs, np.nan) * dens
        if "ecs" in specs:
            res["ecs"] = ecs * dens
        if ce is not None and ("cnc" in specs or "class" in specs):
            cnc = ecs - ce
            res["cnc"] = cnc * dens
            if "class" in specs:
                with np.errstate(invalid="ignore"):
                    cnt = np.isfinite(cnc).sum(axis=0)
                    mean = np.where(cnt > 0, np.nansum(cnc, axis=0) / np.maximum(cnt, 1), np.nan)
                cls = np.sign(mean)
                res["class"] = np.where(np.isnan(mean), NODATA_CLASS, cls).astype(np.int8)
        return res

    if specs:
        paths = run_blocks(stacks, specs, func, progress.scaled(5, 100), memory_mb,
                           work_bytes_per_pixel=64 * n + 64)
    else:
        paths = {}
        scan_blocks(stacks, func, progress.scaled(5, 100),
                    _budget(memory_mb, stacks, 64 * n + 64))

    def per_zone(acc):
        v = acc.sum_va.copy()
        v[:, 0] = v[:, 1:].sum(axis=1)
        return v * factor

    nep_t, rcs_t = per_zone(sums["nep"]), per_zone(sums["rcs"])
    area_m2 = sums["nep"].sum_a.copy()
    area_m2[:, 0] = area_m2[:, 1:].sum(axis=1)
    zone_area = sums["nep"].area.copy()
    zone_area[0] = zone_area[1:].sum()
    ecs_t = nep_t + rcs_t
    if emissions is not None:
        ce_t, source = per_zone(sums["ce"]), "raster"
    elif zone_emissions:
        zf = mass_factor(unit, species_of(zone_emission_unit)) / mass_factor(
            zone_emission_unit, species_of(zone_emission_unit))
        ce_z = np.full(n_zones + 1, np.nan)
        for zid, val in zone_emissions.items():
            if 1 <= int(zid) <= n_zones and val is not None:
                ce_z[int(zid)] = float(val) * zf
        absent = [zone_names[z] for z in zone_names if not np.isfinite(ce_z[z])]
        if absent:
            warnings.append(f"no emission value for zone(s) {', '.join(absent)}: their CNC "
                            "is left empty")
        ce_z[0] = ce_z[1:][[z in zone_names for z in range(1, n_zones + 1)]].sum()
        ce_t, source = np.broadcast_to(ce_z, (n, n_zones + 1)).copy(), "zone table"
    else:
        ce_t, source = np.full((n, n_zones + 1), np.nan), "none"
    cnc_t = ecs_t - ce_t
    lith_rows = []
    for i, code in enumerate(lut_codes):
        if code not in codes:
            continue
        c = coefficients.get(code)
        sa = litho.sum_a[:, i].sum()
        lith_rows.append({
            "lithology": int(code), "lithology_name": c.name if c else f"class {code}",
            "a": (c.a if c else math.nan), "a_given": c.a_given if c else "",
            "a_unit": c.a_unit if c else "", "area_km2": float(litho.area[i]) * 1e-6,
            "runoff_aw_mean": float(litho_q.sum_va[:, i].sum() / litho_q.sum_a[:, i].sum())
            if litho_q.sum_a[:, i].sum() > 0 else math.nan,
            "rcs_total_mean": float(litho.sum_va[:, i].sum() * factor / n) if sa > 0
            else math.nan, "source": c.source if c else ""})
    return Budget(labels, dict(zone_names), unit, area_m2, zone_area, nep_t, rcs_t, ecs_t,
                  ce_t, cnc_t, source, lith_rows, paths, areas.method, warnings)


# --------------------------------------------------- enhancement scenarios

_RATE_MASS = {"g": 1.0, "kg": 1e3, "t": 1e6, "mg": 1e6}
_RATE_AREA = {"m-2": 1.0, "m2": 1.0, "ha-1": 1e4, "ha": 1e4, "km-2": 1e6, "km2": 1e6}


def rate_factor(unit):
    """Factor from a rate in ``unit`` ("t C ha-1 yr-1", "g CO2 m-2 yr-1",
    "Mg C ha-1 yr-1", ...) to g C m-2 yr-1."""
    parts = str(unit).replace("/", " ").split()
    parts = [p for p in parts if p.lower() not in ("yr-1", "yr", "a-1", "per")]
    if len(parts) != 3:
        raise InputError(f"rate unit '{unit}' not understood: use e.g. 't C ha-1 yr-1' or "
                         "'g C m-2 yr-1'")
    mass, species, area_u = parts[0].lower(), parts[1], parts[2].lower()
    if mass not in _RATE_MASS or species not in ("C", "CO2") or area_u not in _RATE_AREA:
        raise InputError(f"rate unit '{unit}' not understood: mass g, kg, t or Mg; C or CO2; "
                         "area m-2, ha-1 or km-2")
    f = _RATE_MASS[mass] / _RATE_AREA[area_u]
    return f / C_TO_CO2 if species == "CO2" else f


@dataclass
class Measure:
    name: str
    code: int
    share_pct: float          # NaN when the area is given
    area_km2: float           # NaN when the share is given
    rate: float               # as given
    rate_unit: str
    rate_g_m2: float          # g C m-2 yr-1
    source: str
    low_g_m2: float = math.nan    # the range of the rate (rate_low, rate_high), g C m-2 yr-1
    high_g_m2: float = math.nan
    start_year: float = math.nan  # the measure takes effect from this year ...
    ramp_years: float = 0.0       # ... reaching its full rate after this many years

    def effect(self, year):
        """Share of the full rate in ``year``: 0 before the start year, rising
        linearly over the ramp (1 / ramp_years in the start year), then 1."""
        if math.isnan(self.start_year):
            return 1.0
        if year < self.start_year:
            return 0.0
        if self.ramp_years <= 0:
            return 1.0
        return min(1.0, (year - self.start_year + 1.0) / self.ramp_years)


def read_measures(path):
    """Measures from a CSV table (columns measure, class, share_pct,
    area_km2, rate, rate_unit, source; see
    algorithms/templates/sink_measures.csv). Refuses empty rates."""
    out = []
    base = os.path.basename(path)
    for r in read_table(path, ("measure", "class", "rate"), "measure table"):
        line = r["_line"]
        name = r["measure"] or f"measure of line {line}"
        if not r["class"]:
            raise StackError(f"{base} line {line} ({name}): no land-cover class code")
        try:
            code = int(float(r["class"]))
        except ValueError:
            raise StackError(f"{base} line {line}: class '{r['class']}' is not an "
                             "integer code") from None
        share = r.get("share_pct", "")
        area_ = r.get("area_km2", "")
        if bool(share) == bool(area_):
            raise StackError(f"{base} line {line} ({name}): give either share_pct or "
                             "area_km2")
        if not r["rate"]:
            raise StackError(f"{base} line {line} ({name}): no rate. Fill it in from a "
                             "published source (and name it in the source column): "
                             "CarbonSink does not invent rates")
        rate = _number(r["rate"], "rate", line, path)
        unit = r.get("rate_unit") or "t C ha-1 yr-1"
        try:
            f = rate_factor(unit)
        except ValueError as exc:
            raise StackError(f"{base} line {line}: {exc}") from None
        low = _number(r["rate_low"], "rate_low", line, path) if r.get("rate_low") else rate
        high = _number(r["rate_high"], "rate_high", line, path) if r.get("rate_high") else rate
        if not low <= rate <= high:
            raise StackError(f"{base} line {line} ({name}): need rate_low <= rate <= rate_high")
        start = _number(r["start_year"], "start_year", line, path) if r.get("start_year") \
            else math.nan
        ramp = _number(r["ramp_years"], "ramp_years", line, path) if r.get("ramp_years") \
            else 0.0
        if ramp < 0:
            raise StackError(f"{base} line {line}: ramp_years must not be negative")
        share_v = _number(share, "share_pct", line, path) if share else math.nan
        area_v = _number(area_, "area_km2", line, path) if area_ else math.nan
        if share and not 0 <= share_v <= 100:
            raise StackError(f"{base} line {line}: share_pct must be between 0 and 100")
        if area_ and area_v < 0:
            raise StackError(f"{base} line {line}: area_km2 must not be negative")
        out.append(Measure(name, code, share_v, area_v, rate, unit, rate * f,
                           r.get("source", ""), low * f, high * f, start, ramp))
    if not out:
        raise StackError(f"the measure table {path} has no measure")
    return out


@dataclass
class Scenario:
    """Result of :func:`sink_scenario`. ``class_area_m2`` [zone, class slot]
    (zone 0 = all zones); ``fractions`` per measure (treated share of its
    class, the same in every zone)."""
    measures: list
    classes: list
    class_names: dict
    zone_names: dict
    class_area_m2: np.ndarray
    fractions: list
    unit: str
    factor: float
    path: str = None
    area_method: str = ""
    warnings: list = field(default_factory=list)

    def zones(self):
        ids = sorted(self.zone_names)
        return ids + [0] if len(ids) > 1 else ids

    def path_rows(self, first_year, target_year):
        """The yearly path of the added sink, all zones and measures, from
        ``first_year`` to ``target_year`` (Yu et al. 2022): per year the sum
        over measures of treated area x rate x effect(year), with the low and
        high rates, and the cumulative sums (``unit`` per year and ``unit``)."""
        z = self.zones()[-1]
        treated = []
        for m, f in zip(self.measures, self.fractions):
            ca = self.class_area_m2[z, self.classes.index(m.code)] if m.code in self.classes \
                else 0.0
            treated.append(ca * f)
        out, cum = [], [0.0, 0.0, 0.0]
        for year in range(int(first_year), int(target_year) + 1):
            vals = [0.0, 0.0, 0.0]
            for m, a in zip(self.measures, treated):
                e = m.effect(year) * a * self.factor
                for k, rate in enumerate((m.rate_g_m2,
                                          m.rate_g_m2 if math.isnan(m.low_g_m2) else m.low_g_m2,
                                          m.rate_g_m2 if math.isnan(m.high_g_m2) else
                                          m.high_g_m2)):
                    vals[k] += e * rate
            cum = [c + v for c, v in zip(cum, vals)]
            out.append({"year": year, "added_sink": vals[0], "added_low": vals[1],
                        "added_high": vals[2], "cumulative": cum[0], "cumulative_low": cum[1],
                        "cumulative_high": cum[2], "unit": self.unit})
        return out

    def rows(self):
        out = []
        for z in self.zones():
            zname = self.zone_names[z] if z else "All zones"
            total = 0.0
            for m, f in zip(self.measures, self.fractions):
                ca = self.class_area_m2[z, self.classes.index(m.code)] \
                    if m.code in self.classes else 0.0
                treated = ca * f
                added = treated * m.rate_g_m2 * self.factor
                total += added
                out.append({"zone_id": int(z), "zone": zname, "measure": m.name,
                            "class": int(m.code),
                            "class_name": self.class_names.get(m.code, f"class {m.code}"),
                            "class_area_km2": ca * 1e-6, "treated_area_km2": treated * 1e-6,
                            "treated_share_pct": 100.0 * f, "rate": m.rate,
                            "rate_unit": m.rate_unit, "rate_g_c_m2_yr": m.rate_g_m2,
                            "added_sink": added, "unit": self.unit, "source": m.source})
            out.append({"zone_id": int(z), "zone": zname, "measure": "All measures",
                        "class": None, "class_name": "", "class_area_km2": None,
                        "treated_area_km2": sum(r["treated_area_km2"] for r in out
                                                if r["zone_id"] == z and r["class"] is not None),
                        "treated_share_pct": None, "rate": None, "rate_unit": "",
                        "rate_g_c_m2_yr": None, "added_sink": total, "unit": self.unit,
                        "source": ""})
        return out


def sink_scenario(landcover, measures, zones=None, zone_names=None, class_names=None,
                  unit="Tg C", raster=None, progress=None, memory_mb=256):
    """Added carbon sink of enhancement measures (methods.md 12, Yu et al.
    2022): for each measure, treated area = share of its class's area (or a
    given total area, shared among zones in proportion to the class area) and
    added sink = treated area x rate. ``measures``: list of Measure or a CSV
    path. ``raster``: optional path of the expected added-sink density
    (g C m-2 yr-1, or g CO2 with a CO2 unit): every pixel of a treated class
    gets sum(fraction x rate) of its class's measures. Returns Scenario."""
    from .io import OutputSpec, run_blocks
    progress = as_progress(progress)
    if isinstance(measures, (str, os.PathLike)):
        measures = read_measures(measures)
    factor = mass_factor(unit, "C")
    if landcover.n != 1:
        raise StackError("the land-cover raster must have one band")
    areas = pixel_areas(landcover.grid)
    warnings = [areas.warning] if areas.warning else []
    codes = class_codes(landcover, progress.scaled(0, 10), memory_mb)
    lut_codes = sorted(set(codes) | {m.code for m in measures})
    lut, lo = class_lut(lut_codes)
    n_cls = len(lut_codes)
    if zones is not None:
        if not zone_names:
            raise StackError("zone names are needed with a zone raster ({id: name})")
        n_zones = max(int(k) for k in zone_names)
    else:
        zone_names = zone_names or {1: "whole area"}
        n_zones = 1
    acc = KeySums(0, (n_zones + 1) * n_cls)
    stacks = {"c": landcover, "window": WindowProbe(landcover)}
    if zones is not None:
        stacks["z"] = zones
    split = 60 if raster else 100

    def func(a):
        x, y0, w, h = a["window"]
        zi = zone_index(a["z"][0], n_zones) if zones is not None else None
        key = combined_key(zi, class_slots(a["c"][0], lut, lo), n_cls, (h, w))
        acc.add(np.empty((0, h, w)), key, areas.row_m2[y0:y0 + h])

    scan_blocks(stacks, func, progress.scaled(10, split), _budget(memory_mb, stacks))
    ca = acc.area.reshape(n_zones + 1, n_cls)
    ca[0] = ca[1:].sum(axis=0)
    fractions = []
    for m in measures:
        total = ca[0, lut_codes.index(m.code)]
        if m.code not in codes:
            warnings.append(f"measure '{m.name}': class {m.code} is not in the land-cover "
                            "raster (no area)")
        if math.isnan(m.area_km2):
            fractions.append(m.share_pct / 100.0)
        elif total <= 0:
            fractions.append(0.0)
        else:
            f = m.area_km2 * 1e6 / total
            if f > 1 + 1e-9:
                raise StackError(f"measure '{m.name}': {m.area_km2:g} km2 is more than the "
                                 f"{total * 1e-6:.6g} km2 of class {m.code}")
            fractions.append(min(f, 1.0))
    per_class = {}
    for m, f in zip(measures, fractions):
        per_class[m.code] = per_class.get(m.code, 0.0) + f
    over = [c for c, f in per_class.items() if f > 1 + 1e-9]
    if over:
        raise StackError(f"the measures treat more than 100 % of class(es) "
                         f"{', '.join(map(str, over))}: a pixel can be treated once; "
                         "lower the shares or areas")
    path = None
    if raster:
        dens = 1.0 if species_of(unit) == "C" else C_TO_CO2
        add = np.zeros(n_cls + 1)
        for m, f in zip(measures, fractions):
            add[lut_codes.index(m.code)] += f * m.rate_g_m2 * dens
        add[-1] = np.nan
        spec = {"sink": OutputSpec(raster, descriptions=["expected added sink"])}

        def dens_func(a):
            s = class_slots(a["c"][0], lut, lo)
            return {"sink": add[np.where(s >= 0, s, -1)]}

        path = run_blocks({"c": landcover}, spec, dens_func, progress.scaled(split, 100),
                          memory_mb)["sink"]
    return Scenario(measures, lut_codes, dict(class_names or {}), dict(zone_names), ca,
                    fractions, unit, factor, path, areas.method, warnings)
