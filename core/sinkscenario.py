"""Sink enhancement scenarios (methods.md 12, Yu et al. 2022): the added
sink of measures (a share or an area of a land-cover class at a rate, with
low/high ranges, a start year and a ramp) per zone, and its yearly path to a
target year."""
import math
import os
from dataclasses import dataclass, field

import numpy as np

from .accounting import (
    C_TO_CO2,
    KeySums,
    _budget,
    _number,
    class_codes,
    class_lut,
    class_slots,
    combined_key,
    mass_factor,
    read_table,
    species_of,
    zone_count,
    zone_index,
)
from .area import WindowProbe, pixel_areas
from .errors import N_, InputError, Message
from .io import StackError, scan_blocks
from .progress import as_progress

_RATE_MASS = {"g": 1.0, "kg": 1e3, "t": 1e6, "mg": 1e6}
_RATE_AREA = {"m-2": 1.0, "m2": 1.0, "ha-1": 1e4, "ha": 1e4, "km-2": 1e6, "km2": 1e6}


def rate_factor(unit):
    """Factor from a rate in ``unit`` ("t C ha-1 yr-1", "g CO2 m-2 yr-1",
    "Mg C ha-1 yr-1", ...) to g C m-2 yr-1."""
    parts = str(unit).replace("/", " ").split()
    parts = [p for p in parts if p.lower() not in ("yr-1", "yr", "a-1", "per")]
    if len(parts) != 3:
        raise InputError(N_("rate unit '{}' not understood: use e.g. 't C ha-1 yr-1' or 'g C "
                            "m-2 yr-1'"), unit)
    mass, species, area_u = parts[0].lower(), parts[1], parts[2].lower()
    if mass not in _RATE_MASS or species not in ("C", "CO2") or area_u not in _RATE_AREA:
        raise InputError(N_("rate unit '{}' not understood: mass g, kg, t or Mg; C or CO2; "
                            "area m-2, ha-1 or km-2"), unit)
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
            raise StackError(N_("{} line {} ({}): no land-cover class code"), base, line, name)
        try:
            code = int(float(r["class"]))
        except ValueError:
            raise StackError(N_("{} line {}: class '{}' is not an integer code"),
                             base, line, r['class']) from None
        share = r.get("share_pct", "")
        area_ = r.get("area_km2", "")
        if bool(share) == bool(area_):
            raise StackError(N_("{} line {} ({}): give either share_pct or area_km2"),
                             base, line, name)
        if not r["rate"]:
            raise StackError(N_("{} line {} ({}): no rate. Fill it in from a published source "
                                "(and name it in the source column): CarbonSink does not "
                                "invent rates"), base, line, name)
        rate = _number(r["rate"], "rate", line, path)
        unit = r.get("rate_unit") or "t C ha-1 yr-1"
        try:
            f = rate_factor(unit)
        except ValueError as exc:
            raise StackError(N_("{} line {}: {}"), base, line, exc) from None
        low = _number(r["rate_low"], "rate_low", line, path) if r.get("rate_low") else rate
        high = _number(r["rate_high"], "rate_high", line, path) if r.get("rate_high") else rate
        if not low <= rate <= high:
            raise StackError(N_("{} line {} ({}): need rate_low <= rate <= rate_high"),
                             base, line, name)
        start = _number(r["start_year"], "start_year", line, path) if r.get("start_year") \
            else math.nan
        ramp = _number(r["ramp_years"], "ramp_years", line, path) if r.get("ramp_years") \
            else 0.0
        if ramp < 0:
            raise StackError(N_("{} line {}: ramp_years must not be negative"), base, line)
        share_v = _number(share, "share_pct", line, path) if share else math.nan
        area_v = _number(area_, "area_km2", line, path) if area_ else math.nan
        if share and not 0 <= share_v <= 100:
            raise StackError(N_("{} line {}: share_pct must be between 0 and 100"), base, line)
        if area_ and area_v < 0:
            raise StackError(N_("{} line {}: area_km2 must not be negative"), base, line)
        out.append(Measure(name, code, share_v, area_v, rate, unit, rate * f,
                           r.get("source", ""), low * f, high * f, start, ramp))
    if not out:
        raise StackError(N_("the measure table {} has no measure"), path)
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
        raise StackError(N_("the land-cover raster must have one band"))
    areas = pixel_areas(landcover.grid)
    warnings = [areas.warning] if areas.warning else []
    codes = class_codes(landcover, progress.scaled(0, 10), memory_mb)
    lut_codes = sorted(set(codes) | {m.code for m in measures})
    lut, lo = class_lut(lut_codes)
    n_cls = len(lut_codes)
    zone_names, n_zones = zone_count(zones, zone_names)
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
            warnings.append(Message(N_("measure '{}': class {} is not in the land-cover raster "
                                       "(no area)"),
                                    m.name, m.code))
        if math.isnan(m.area_km2):
            fractions.append(m.share_pct / 100.0)
        elif total <= 0:
            fractions.append(0.0)
        else:
            f = m.area_km2 * 1e6 / total
            if f > 1 + 1e-9:
                raise StackError(N_("measure '{}': {:g} km2 is more than the {:.6g} km2 of "
                                    "class {}"), m.name, m.area_km2, total * 1e-6, m.code)
            fractions.append(min(f, 1.0))
    per_class = {}
    for m, f in zip(measures, fractions):
        per_class[m.code] = per_class.get(m.code, 0.0) + f
    over = [c for c, f in per_class.items() if f > 1 + 1e-9]
    if over:
        raise StackError(N_("the measures treat more than 100 % of class(es) {}: a pixel can "
                            "be treated once; lower the shares or areas"),
                         ', '.join(map(str, over)))
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
