"""The carbon budget of a region (methods.md 12, Zhang et al. 2022): the
rock-weathering sink RCS from runoff, lithology and coefficients, the
ecosystem carbon sink ECS = NEP + RCS and the carbon neutral capacity
CNC = ECS - CE per zone."""
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
from .classes import NODATA_CLASS
from .errors import N_, Message
from .io import StackError, scan_blocks
from .progress import as_progress

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
            raise StackError(N_("{} line {}: code '{}' is not an integer"),
                             os.path.basename(path), r['_line'], r['code']) from None
        unit = (r.get("a_unit") or "gC_m2_per_mm").strip()
        factor = COEFFICIENT_UNITS.get(unit.lower())
        if factor is None:
            raise StackError(N_("{} line {}: a_unit '{}' is not one of gC_m2_per_mm, "
                                "tC_km2_per_mm, kmol_km2_per_L_s_km2"),
                             os.path.basename(path), r['_line'], unit)
        a = (_number(r["a"], "a", r["_line"], path) * factor) if r["a"] else math.nan
        if code in out:
            raise StackError(N_("{}: code {} appears twice"), os.path.basename(path), code)
        out[code] = Coefficient(code, r.get("lithology") or f"class {code}", a, r["a"], unit,
                                r.get("source", ""))
    if not out:
        raise StackError(N_("the coefficient table {} has no row"), path)
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
        raise StackError(N_("{} years given for {} NEP layers"), len(years), n)

    def align(stack, method, what):
        if stack.n not in (1, n):
            raise StackError(N_("{} has {} layers: give 1 or {} (as NEP)"), what, stack.n, n)
        if stack.grid.same_as(nep.grid) is None:
            return stack
        warnings.append(Message(N_("{} is on another grid than NEP: warped onto it ({})"),
                                what, method))
        return warp_to_grid(stack, nep.grid, method)

    runoff = align(runoff, "average", "runoff")
    if lithology.n != 1:
        raise StackError(N_("the lithology raster must have one band"))
    lithology = align(lithology, "mode", "lithology")
    em_kind = em_species = None
    if emissions is not None:
        if zone_emissions:
            raise StackError(N_("give emissions either as a raster or per zone, not both"))
        if emission_unit not in EMISSION_RASTER_UNITS:
            raise StackError(N_("emission unit must be one of {}"),
                             ', '.join(EMISSION_RASTER_UNITS))
        em_kind, em_species = EMISSION_RASTER_UNITS[emission_unit]
        if em_kind == "pixel" and emissions.grid.same_as(nep.grid) is not None:
            raise StackError(N_("emissions in t per pixel must be on the grid of NEP "
                                "(per-pixel totals cannot be averaged onto another grid): warp "
                                "them with 'sum' resampling or convert them to g m-2 first"))
        emissions = align(emissions, "average", "emissions")
    if ("cnc" in outputs or "class" in outputs) and emissions is None:
        raise StackError(N_("CNC and class rasters need an emission raster (per-zone emissions "
                            "only give per-zone CNC)"))
    codes = class_codes(lithology, progress.scaled(0, 5), memory_mb)
    missing = [c for c in codes if c not in coefficients or math.isnan(coefficients[c].a)]
    if missing and not missing_as_zero:
        raise StackError(N_("the coefficient table has no value of a for lithology class(es) "
                            "{} found in the raster: fill them in (the source column says "
                            "where from) or choose 'missing classes count as 0'"),
                         ', '.join(map(str, missing)))
    if missing:
        warnings.append(Message(N_("lithology classes {} have no coefficient: their "
                                   "rock-weathering sink counts as 0"),
                                ', '.join(map(str, missing))))
    lut_codes = sorted(set(codes) | set(coefficients))
    lut, lo = class_lut(lut_codes)
    a_of_slot = np.array([0.0 if (c not in coefficients or math.isnan(coefficients[c].a))
                          else coefficients[c].a for c in lut_codes] + [np.nan])
    lut = np.where(lut < 0, len(lut_codes), lut)   # unknown codes -> NaN coefficient

    zone_names, n_zones = zone_count(zones, zone_names)
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
        ce_t, source = per_zone(sums["ce"]), N_("raster")
    elif zone_emissions:
        zf = mass_factor(unit, species_of(zone_emission_unit)) / mass_factor(
            zone_emission_unit, species_of(zone_emission_unit))
        ce_z = np.full(n_zones + 1, np.nan)
        for zid, val in zone_emissions.items():
            if 1 <= int(zid) <= n_zones and val is not None:
                ce_z[int(zid)] = float(val) * zf
        absent = [zone_names[z] for z in zone_names if not np.isfinite(ce_z[z])]
        if absent:
            warnings.append(Message(N_("no emission value for zone(s) {}: their CNC is left "
                                       "empty"),
                                    ', '.join(absent)))
        ce_z[0] = ce_z[1:][[z in zone_names for z in range(1, n_zones + 1)]].sum()
        ce_t, source = np.broadcast_to(ce_z, (n, n_zones + 1)).copy(), N_("zone table")
    else:
        ce_t, source = np.full((n, n_zones + 1), np.nan), N_("none")
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
