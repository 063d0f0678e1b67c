"""Ensembles of carbon-flux products on different grids (methods.md 12,
Zhang et al. 2024). The members are regridded onto one target grid by
core/regrid.py (conservative for fluxes; its names are reachable here).

Per target pixel and time step over the members valid there (at least
``min_members``): mean, standard deviation (ddof 1) and sign agreement, the
percentage of valid members whose sign equals that of the ensemble mean.
Zonal totals (per zone, time step and member, over the pixels where the
ensemble mean is valid), annual totals with +- standard deviation across
years and across members, the mean seasonal cycle per zone for monthly
inputs, and latitude-band x time means (the zonal-mean cross-section of
Zhang et al. 2024, figs. 3-4).
"""
import math
import tempfile
from dataclasses import dataclass, field

import numpy as np

from .accounting import C_TO_CO2, KeySums, mass_factor, species_of, zone_index
from .area import pixel_areas
from .errors import N_, Message
from .io import OutputSpec, RasterStack, RasterWriter, StackError
from .progress import as_progress
from .regrid import (  # noqa: F401 - the regridding names are part of this module's API
    Regridder,
    _row_blocks,
    _srs_of,
    aligned_grid,
    axis_weights,
    effective_grid,
    regrid,
    regrid_classes,
    target_grid,
)

# --------------------------------------------------------------- ensemble

@dataclass
class Ensemble:
    """Result of :func:`flux_ensemble`. Zone arrays [member (last = ensemble
    mean), time, zone] of totals in ``unit`` (zone 0 = all zones); band
    arrays [member, time, band] of area-weighted mean fluxes."""
    members: list
    labels: list
    time_step: str
    first_year: int
    zone_names: dict
    unit: str
    zone_total: np.ndarray
    zone_area_m2: np.ndarray
    bands: list
    band_mean: np.ndarray
    band_total: np.ndarray
    paths: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)

    def zones(self):
        ids = sorted(self.zone_names)
        return ids + [0] if len(ids) > 1 else ids

    def zone_label(self, z):
        return self.zone_names[z] if z else "All zones"

    def _years(self):
        n = len(self.labels)
        if self.time_step == "months":
            return [self.first_year + k for k in range(n // 12)]
        return [self.first_year + k for k in range(n)]

    def annual(self, z):
        """(members + 1, years) annual totals of zone ``z`` (monthly inputs
        are summed per calendar year; incomplete years are left out)."""
        tot = self.zone_total[:, :, z]
        if self.time_step == "months":
            ny = tot.shape[1] // 12
            tot = tot[:, :ny * 12].reshape(tot.shape[0], ny, 12).sum(axis=2)
        return tot

    def time_rows(self):
        """Per zone and time step: ensemble-mean total, SD across members,
        min and max member total, and each member's total."""
        rows = []
        for z in self.zones():
            for t, lab in enumerate(self.labels):
                mem = self.zone_total[:-1, t, z]
                ok = mem[np.isfinite(mem)]
                r = {"zone_id": int(z), "zone": self.zone_label(z), "time": str(lab),
                     "ensemble_total": float(self.zone_total[-1, t, z]),
                     "sd_members": float(ok.std(ddof=1)) if ok.size > 1 else math.nan,
                     "min_member": float(ok.min()) if ok.size else math.nan,
                     "max_member": float(ok.max()) if ok.size else math.nan}
                for k, name in enumerate(self.members):
                    r[f"total_m{k + 1}"] = float(mem[k])
                r["unit"] = self.unit
                rows.append(r)
        return rows

    def summary_rows(self):
        """Per zone: mean annual total of the ensemble mean +- SD across
        years, and +- SD across members of their mean annual totals."""
        rows = []
        for z in self.zones():
            ann = self.annual(z)
            ens = ann[-1][np.isfinite(ann[-1])]
            mem = np.array([np.nanmean(a) if np.isfinite(a).any() else np.nan
                            for a in ann[:-1]])
            okm = mem[np.isfinite(mem)]
            r = {"zone_id": int(z), "zone": self.zone_label(z),
                 "area_km2": float(self.zone_area_m2[z]) * 1e-6, "years": int(ens.size),
                 "annual_total_mean": float(ens.mean()) if ens.size else math.nan,
                 "sd_years": float(ens.std(ddof=1)) if ens.size > 1 else math.nan,
                 "sd_members": float(okm.std(ddof=1)) if okm.size > 1 else math.nan}
            for k in range(len(self.members)):
                r[f"annual_total_m{k + 1}"] = float(mem[k])
            r["unit"] = self.unit
            rows.append(r)
        return rows

    def seasonal_rows(self):
        """Monthly inputs: per zone and calendar month, the mean over years
        of the ensemble-mean total, its SD across years, and the SD across
        members of the members' mean seasonal values."""
        if self.time_step != "months" or len(self.labels) < 12:
            return []
        rows = []
        ny = len(self.labels) // 12
        for z in self.zones():
            tot = self.zone_total[:, :ny * 12, z].reshape(-1, ny, 12)
            for mth in range(12):
                ens = tot[-1, :, mth]
                ens = ens[np.isfinite(ens)]
                mem = np.nanmean(np.where(np.isfinite(tot[:-1, :, mth]), tot[:-1, :, mth],
                                          np.nan), axis=1) if ny else np.array([])
                okm = mem[np.isfinite(mem)]
                rows.append({"zone_id": int(z), "zone": self.zone_label(z), "month": mth + 1,
                             "mean_total": float(ens.mean()) if ens.size else math.nan,
                             "sd_years": float(ens.std(ddof=1)) if ens.size > 1 else math.nan,
                             "sd_members": float(okm.std(ddof=1)) if okm.size > 1 else math.nan,
                             "unit": self.unit})
        return rows

    def band_rows(self):
        """Latitude band x time: area-weighted mean flux of the ensemble
        mean, SD across members of their band means, and the band total."""
        rows = []
        for b, (lo, hi) in enumerate(self.bands):
            for t, lab in enumerate(self.labels):
                mem = self.band_mean[:-1, t, b]
                okm = mem[np.isfinite(mem)]
                rows.append({"band": f"{lo:g} to {hi:g}", "lat_south": float(lo),
                             "lat_north": float(hi), "time": str(lab),
                             "aw_mean": float(self.band_mean[-1, t, b]),
                             "sd_members": float(okm.std(ddof=1)) if okm.size > 1 else math.nan,
                             "total": float(self.band_total[-1, t, b]), "unit": self.unit})
        return rows


def _band_edges(target, width):
    srs = _srs_of(target.crs_wkt)
    if srs is None or not srs.IsGeographic():
        return None, None
    gt = target.geotransform
    centres = gt[3] + (np.arange(target.rows) + 0.5) * gt[5]
    lo = math.floor(centres.min() / width) * width
    hi = math.ceil(centres.max() / width + 1e-12) * width
    if hi <= centres.max():
        hi += width
    edges = np.arange(lo, hi + width / 2, width)
    idx = np.clip(np.searchsorted(edges, centres, side="right") - 1, 0, len(edges) - 2)
    return [(float(edges[k]), float(edges[k + 1])) for k in range(len(edges) - 1)], idx


def flux_ensemble(members, target=None, resolution=None, outputs=None, zones=None,
                  zone_names=None, time_step="years", first_year=2000, unit="Tg C",
                  input_species="C", min_members=None, min_coverage=0.5, band_width=1.0,
                  scales=None, progress=None, memory_mb=256):
    """Ensemble of flux products (list of RasterStacks with the same number
    of layers, g C m-2 per time step, any grids) on ``target`` (a Grid;
    default: ``resolution`` given -> an aligned grid over the common extent,
    else the first member's grid).

    ``outputs``: {"mean", "sd", "agreement", "coverage"} -> GeoTIFF paths (n
    bands; coverage: the mean over the products of the share of each target
    cell covered by their valid source cells, see :meth:`Regridder.read`),
    and "members" -> list of paths for the regridded members (optional).
    ``zones``: a one-layer zone raster on the target grid with
    ``zone_names`` {id: name}. ``time_step``: "years" or "months" (first
    month January of ``first_year``). ``min_members``: least number of valid
    members for the ensemble (default all). ``scales``: one factor per member
    (unit conversion, applied after the raster's own scale/offset).
    Returns :class:`Ensemble`."""
    progress = as_progress(progress)
    outputs = dict(outputs or {})
    warnings = []
    if len(members) < 2:
        raise StackError(N_("an ensemble needs at least two inputs"))
    n = members[0].n
    for m in members[1:]:
        if m.n != n:
            raise StackError(N_("{} has {} layers but {} has {}: every input needs the same "
                                "time steps"), m.name, m.n, members[0].name, n)
    if time_step not in ("years", "months"):
        raise StackError(N_("time step must be 'years' or 'months'"))
    if time_step == "months" and n % 12:
        warnings.append(Message(N_("{} monthly layers are not whole years: the last {} months "
                                   "are left out of the annual totals"),
                                n, n % 12))
    members = [_apply_band_scaling(m, s) for m, s in
               zip(members, scales or [1.0] * len(members))]
    if target is None:
        target = target_grid(members, None, resolution, warnings)
    elif not target.crs_wkt:
        raise StackError(N_("the target grid has no CRS"))
    mm = len(members) if not min_members else int(min_members)
    if not 1 <= mm <= len(members):
        raise StackError(N_("the minimum number of members must be between 1 and {}"), len(members))
    folder = tempfile.mkdtemp(prefix="carbonsink-ens-")
    rgs = [Regridder(m, target, min_coverage, folder, warnings) for m in members]
    factor = mass_factor(unit, input_species)
    dens = 1.0
    if species_of(unit) != input_species:
        dens = C_TO_CO2 if species_of(unit) == "CO2" else 1.0 / C_TO_CO2
    t_area = pixel_areas(target)
    if t_area.warning:
        warnings.append(t_area.warning)
    if zones is not None:
        if zones.grid.same_as(target) is not None:
            raise StackError(N_("the zone raster must be on the target grid"))
        n_zones = max(int(k) for k in zone_names)
    else:
        zone_names = zone_names or {1: "whole area"}
        n_zones = 1
    bands, band_idx = _band_edges(target, band_width) if band_width else (None, None)
    if band_width and bands is None:
        warnings.append("the target grid is not longitude/latitude: no latitude-band table")
    n_mem = len(members) + 1
    zsum = [KeySums(n, n_zones + 1) for _ in range(n_mem)]
    bsum = [KeySums(n, len(bands)) for _ in range(n_mem)] if bands else []
    labels = _time_labels(members[0], n, time_step, first_year)
    writers = {}
    specs = {"mean": "ensemble mean", "sd": "ensemble SD", "agreement": "sign agreement %",
             "coverage": "mean coverage"}
    try:
        for key, what in specs.items():
            if outputs.get(key):
                writers[key] = RasterWriter(OutputSpec(
                    outputs[key], bands=n, descriptions=[f"{what} {lab}" for lab in labels],
                    unit="1" if key == "coverage" else "", nodata=-1.0 if key == "coverage"
                    else -9999.0), target)
        for k, p in enumerate(outputs.get("members") or []):
            if p:
                writers[("member", k)] = RasterWriter(OutputSpec(
                    p, bands=n, descriptions=[f"{members[k].name} {lab}" for lab in labels]),
                    target)
        blocks = _row_blocks(rgs, target, n * n_mem, memory_mb)
        for b, (r0, r1) in enumerate(blocks):
            progress.check()
            h = r1 - r0
            if "coverage" in writers:
                pairs = [rg.read(r0, r1, coverage=True) for rg in rgs]
                arr = np.stack([a for a, _ in pairs])                # (m, n, h, w)
                cover = np.mean([c for _, c in pairs], axis=0)       # (n, h, w)
            else:
                arr = np.stack([rg.read(r0, r1) for rg in rgs])    # (m, n, h, w)
                cover = None
            valid = np.isfinite(arr)
            cnt = valid.sum(axis=0)
            ok = cnt >= mm
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.where(ok, np.nansum(arr, axis=0) / np.maximum(cnt, 1), np.nan)
                dev = np.where(valid, arr - mean[None], 0.0)
                sd = np.where(ok & (cnt > 1),
                              np.sqrt((dev ** 2).sum(axis=0) / np.maximum(cnt - 1, 1)), np.nan)
                agree = (valid & (np.sign(arr) == np.sign(mean)[None])).sum(axis=0)
                agreement = np.where(ok, 100.0 * agree / np.maximum(cnt, 1), np.nan)
            res = {"mean": mean * dens, "sd": sd * dens, "agreement": agreement,
                   "coverage": cover}
            for key, wr in writers.items():
                if isinstance(key, tuple):
                    wr.write(0, r0, arr[key[1]] * dens)
                else:
                    wr.write(0, r0, res[key])
            arow = t_area.row_m2[r0:r1]
            zi = (zone_index(zones.read(0, r0, target.cols, h)[0], n_zones)
                  if zones is not None else np.ones((h, target.cols), dtype=np.int64))
            masked = [np.where(ok, a, np.nan) for a in arr] + [mean]
            for acc, a in zip(zsum, masked):
                acc.add(a, zi, arow)
            if bands:
                bk = np.broadcast_to(band_idx[r0:r1, None], (h, target.cols)).astype(np.int64)
                for acc, a in zip(bsum, masked):
                    acc.add(a, np.ascontiguousarray(bk), arow)
            progress.set(100.0 * (b + 1) / len(blocks))
        progress.check()
        paths = {}
        for key, wr in writers.items():
            p = wr.commit()
            if isinstance(key, tuple):
                paths.setdefault("members", []).append(p)
            else:
                paths[key] = p
    except BaseException:
        for wr in writers.values():
            wr.abort()
        raise
    ztot = np.stack([a.sum_va for a in zsum]) * factor             # (m+1, n, zones+1)
    zcnt = np.stack([a.count for a in zsum])
    ztot[:, :, 0] = ztot[:, :, 1:].sum(axis=2)
    zcnt[:, :, 0] = zcnt[:, :, 1:].sum(axis=2)
    ztot = np.where(zcnt > 0, ztot, np.nan)
    zarea = zsum[-1].area.copy()
    zarea[0] = zarea[1:].sum()
    if bands:
        bsa = np.stack([a.sum_a for a in bsum])
        bva = np.stack([a.sum_va for a in bsum])
        with np.errstate(invalid="ignore", divide="ignore"):
            bmean = np.where(bsa > 0, bva / np.where(bsa > 0, bsa, 1), np.nan) * dens
        btot = np.where(bsa > 0, bva * factor, np.nan)
    else:
        bands, bmean, btot = [], np.zeros((n_mem, n, 0)), np.zeros((n_mem, n, 0))
    return Ensemble([m.name for m in members], labels, time_step, int(first_year),
                    dict(zone_names), unit, ztot, zarea, bands, bmean, btot, paths, warnings)


def _time_labels(stack, n, time_step, first_year):
    if time_step == "months":
        return [f"{first_year + k // 12}-{k % 12 + 1:02d}" for k in range(n)]
    return [str(first_year + k) for k in range(n)]


def _apply_band_scaling(stack, user_scale=1.0):
    """A stack that applies the file's own scale_factor/add_offset (packed
    NetCDF) and a user factor."""
    # the caller's scale/offset, else the file's metadata (RasterStack resolved it)
    s, o = stack.layer_scaling(0)
    if s == 1.0 and o == 0.0 and user_scale == 1.0:
        return stack
    out = RasterStack(stack.sources if len(stack.sources) > 1 else stack.sources[0],
                      name=stack.name, scale=s * user_scale, offset=o * user_scale,
                      valid_min=stack.valid_min, valid_max=stack.valid_max)
    out.labels = list(stack.labels)
    return out
