"""Ensembles of carbon-flux products on different grids (methods.md 12,
Zhang et al. 2024).

Regridding
----------
Fluxes (g C m-2 per time step) are regridded *conservatively*: the mass of
every source cell (flux x cell area) is shared among the target cells in
proportion to the area of their overlap, and the target flux is the mass it
received divided by the valid area it received. On grids in the same CRS and
north-up, the overlap is separable: along x it is the overlap of the cell
edges (with longitudes also compared shifted by +-360 degrees, so 0..360
products land on -180..180 grids), along y on geographic grids it is the
exact ellipsoidal area between the latitudes (the same formula as
:func:`carbonsink.core.area.ellipsoid_zone_area`), so the area-weighted total
over the target equals the one over the source wherever the target covers
the source and no value is missing. A target cell whose valid share is below
``min_coverage`` (default 0.5) is nodata. Sources in another CRS are first
warped onto the target grid with GDAL's "average" resampling (weighted by
overlap in the source's coordinates; not exactly conservative, a warning
says so).

Classes (land cover) are regridded by area maximisation: every target cell
gets the class covering the largest area of it (:func:`regrid_classes`).

Ensemble
--------
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
import os
import tempfile
from dataclasses import dataclass, field

import numpy as np
from osgeo import gdal, osr

from .accounting import C_TO_CO2, KeySums, mass_factor, species_of, zone_index
from .area import ellipsoid_zone_area, pixel_areas
from .io import Grid, OutputSpec, RasterStack, RasterWriter, StackError
from .progress import as_progress

# ------------------------------------------------------------------ grids

def _srs_of(wkt):
    s = osr.SpatialReference()
    if not wkt or s.ImportFromWkt(wkt) != 0:
        return None
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def _bounds(grid):
    gt = grid.geotransform
    xs = (gt[0], gt[0] + grid.cols * gt[1])
    ys = (gt[3], gt[3] + grid.rows * gt[5])
    return min(xs), min(ys), max(xs), max(ys)


def effective_grid(stack, warnings=None):
    """The stack's grid; a grid without CRS whose extent fits in longitude
    and latitude is taken as WGS84 longitude/latitude (as CF NetCDF files
    without grid_mapping mean it), with a warning."""
    g = stack.grid
    if g.crs_wkt:
        return g
    x0, y0, x1, y1 = _bounds(g)
    if -360.0 <= x0 and x1 <= 720.0 and -90.000001 <= y0 and y1 <= 90.000001:
        s = osr.SpatialReference()
        s.ImportFromEPSG(4326)
        if warnings is not None:
            warnings.append(f"{stack.name} has no CRS: its coordinates fit longitude/latitude, "
                            "so WGS84 (EPSG:4326) is assumed")
        return Grid(g.cols, g.rows, g.geotransform, s.ExportToWkt())
    raise StackError(f"{stack.name} has no CRS and its coordinates are not longitude/"
                     "latitude: assign its CRS first")


def aligned_grid(grids, resolution):
    """A north-up grid in the CRS of ``grids[0]`` with square cells of
    ``resolution`` (CRS units) aligned to multiples of it, covering the
    intersection of the extents of the grids that share that CRS."""
    if resolution <= 0:
        raise StackError("the target resolution must be positive")
    base = _srs_of(grids[0].crs_wkt)
    x0, y0, x1, y1 = _bounds(grids[0])
    for g in grids[1:]:
        s = _srs_of(g.crs_wkt)
        if base is not None and s is not None and not base.IsSame(s):
            continue
        b = _bounds(g)
        x0, y0, x1, y1 = max(x0, b[0]), max(y0, b[1]), min(x1, b[2]), min(y1, b[3])
    eps = 1e-9 * resolution
    x0 = math.floor(x0 / resolution + eps) * resolution
    x1 = math.ceil(x1 / resolution - eps) * resolution
    y0 = math.floor(y0 / resolution + eps) * resolution
    y1 = math.ceil(y1 / resolution - eps) * resolution
    cols, rows = int(round((x1 - x0) / resolution)), int(round((y1 - y0) / resolution))
    if cols < 1 or rows < 1:
        raise StackError("the inputs do not overlap")
    return Grid(cols, rows, (x0, resolution, 0.0, y1, 0.0, -resolution), grids[0].crs_wkt)


def target_grid(members, reference=None, resolution=None, warnings=None):
    """The ensemble's grid: the grid of ``reference`` (a RasterStack), or a
    grid of ``resolution`` over the members' common extent, or the first
    member's grid."""
    if reference is not None:
        return effective_grid(reference, warnings)
    grids = [effective_grid(m, warnings) for m in members]
    return aligned_grid(grids, resolution) if resolution else grids[0]


def _same_crs(a, b):
    sa, sb = _srs_of(a.crs_wkt), _srs_of(b.crs_wkt)
    return sa is not None and sb is not None and bool(sa.IsSame(sb))


# ------------------------------------------------------ overlap weights

def _lat_measure(a, inv_f):
    def m(lat):
        return np.sign(lat) * ellipsoid_zone_area(0.0, np.abs(lat), 57.29577951308232, a, inv_f)
    return m


def axis_weights(src_edges, dst_edges, measure=None, period=None):
    """Sparse (n_dst x n_src) matrix: the share of each source cell (along
    one axis) that lies in each target cell. ``measure`` maps coordinates to
    a cumulative measure (default the coordinate itself; latitudes: area);
    ``period`` (e.g. 360 for longitudes): also compare shifted copies."""
    from scipy import sparse
    src = np.asarray(src_edges, dtype=np.float64)
    dst = np.asarray(dst_edges, dtype=np.float64)
    m = measure or (lambda v: v)
    s_lo, s_hi = np.minimum(src[:-1], src[1:]), np.maximum(src[:-1], src[1:])
    d_lo, d_hi = np.minimum(dst[:-1], dst[1:]), np.maximum(dst[:-1], dst[1:])
    order = np.argsort(d_lo)
    d_lo_s, d_hi_s = d_lo[order], d_hi[order]
    size = np.abs(m(s_hi) - m(s_lo))
    rows, cols, vals = [], [], []
    shifts = (0.0,) if not period else (-period, 0.0, period)
    for sh in shifts:
        lo, hi = s_lo + sh, s_hi + sh
        first = np.searchsorted(d_hi_s, lo, side="right")
        last = np.searchsorted(d_lo_s, hi, side="left")
        for k in np.nonzero((last > first) & (size > 0))[0]:
            for j in range(first[k], last[k]):
                a, b = max(lo[k], d_lo_s[j]), min(hi[k], d_hi_s[j])
                if b <= a:
                    continue
                frac = abs(m(b - sh) - m(a - sh)) / size[k]
                if frac > 0:
                    rows.append(order[j])
                    cols.append(k)
                    vals.append(frac)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(dst.size - 1, src.size - 1))


class Regridder:
    """Conservative regridding of one stack onto ``target`` (see module
    doc), streamed by blocks of target rows."""

    def __init__(self, stack, target, min_coverage=0.5, folder=None, warnings=None):
        self.stack, self.target = stack, target
        self.min_coverage = float(min_coverage)
        warnings = warnings if warnings is not None else []
        src = effective_grid(stack, warnings)
        for g, what in ((src, stack.name), (target, "the target grid")):
            if g.geotransform[2] != 0 or g.geotransform[4] != 0:
                raise StackError(f"{what} is rotated: warp it to a north-up grid first")
        self.t_area = pixel_areas(target).row_m2
        if src.same_as(target) is None:
            self.identity = True
            return
        self.identity = False
        if not _same_crs(src, target):
            warnings.append(f"{stack.name} is in another CRS than the target grid: warped "
                            "with GDAL's average resampling (not exactly conservative)")
            self.stack = _warp_average(stack, src, target, folder)
            self.identity = True
            return
        srs = _srs_of(target.crs_wkt)
        sg, tg = src.geotransform, target.geotransform
        sx = sg[0] + np.arange(src.cols + 1) * sg[1]
        tx = tg[0] + np.arange(target.cols + 1) * tg[1]
        sy = sg[3] + np.arange(src.rows + 1) * sg[5]
        ty = tg[3] + np.arange(target.rows + 1) * tg[5]
        if srs.IsGeographic():
            deg = math.degrees(srs.GetAngularUnits() or math.radians(1.0))
            sx, tx, sy, ty = sx * deg, tx * deg, sy * deg, ty * deg
            self.wx = axis_weights(sx, tx, period=360.0)
            self.wy = axis_weights(np.clip(sy, -90, 90), np.clip(ty, -90, 90),
                                   _lat_measure(srs.GetSemiMajor(), srs.GetInvFlattening()))
        else:
            self.wx = axis_weights(sx, tx)
            self.wy = axis_weights(sy, ty)
        self.s_area = pixel_areas(src).row_m2
        cols = np.nonzero(np.asarray(self.wx.sum(axis=0)).ravel() > 0)[0]
        if not cols.size or not self.wy.nnz:
            raise StackError(f"{stack.name} does not overlap the target grid")
        self.c0, self.c1 = int(cols[0]), int(cols[-1]) + 1
        self.wx_sub = self.wx[:, self.c0:self.c1].tocsr()
        self.wy_csc = self.wy.tocsc()

    def source_rows(self, r0, r1):
        """Source rows [k0, k1) feeding target rows [r0, r1) (None if none)."""
        if self.identity:
            return r0, r1
        sub = self.wy[r0:r1]
        if not sub.nnz:
            return None
        return int(sub.indices.min()), int(sub.indices.max()) + 1

    def read(self, r0, r1, coverage=False):
        """(n, r1 - r0, target cols) float64 fluxes, NaN where missing or
        where less than ``min_coverage`` of the cell had valid sources.
        With ``coverage``: (fluxes, coverage), the coverage being the share
        of each target cell's area covered by valid source cells (0..1, the
        same for kept and dropped cells): flux x coverage x cell area is the
        mass the cell received, so totals weighted by the coverage conserve
        the source's mass."""
        n, w = self.stack.n, self.target.cols
        if self.identity:
            v = self.stack.read(0, r0, w, r1 - r0)
            return (v, np.isfinite(v).astype(np.float64)) if coverage else v
        rows = self.source_rows(r0, r1)
        if rows is None:
            empty = np.full((n, r1 - r0, w), np.nan)
            return (empty, np.zeros((n, r1 - r0, w))) if coverage else empty
        k0, k1 = rows
        y = self.stack.read(self.c0, k0, self.c1 - self.c0, k1 - k0)
        wy = self.wy[r0:r1, k0:k1]
        a = self.s_area[k0:k1, None]
        t_area = self.t_area[r0:r1, None]
        out = np.empty((n, r1 - r0, w))
        cov = np.empty((n, r1 - r0, w)) if coverage else None
        for t in range(n):
            v = y[t]
            ok = ~np.isnan(v)
            mass = np.where(ok, v, 0.0) * a
            varea = ok * a
            m = self.wx_sub.dot(np.asarray(wy.dot(mass)).T).T
            va = self.wx_sub.dot(np.asarray(wy.dot(varea)).T).T
            with np.errstate(invalid="ignore", divide="ignore"):
                f = m / va
            f[~(va >= self.min_coverage * t_area * (1 - 1e-12))] = np.nan
            out[t] = f
            if coverage:
                cov[t] = np.minimum(va / t_area, 1.0)
        return (out, cov) if coverage else out


def _warp_average(stack, src_grid, target, folder):
    folder = folder or tempfile.mkdtemp(prefix="carbonsink-ens-")
    x0, y0, x1, y1 = _bounds(target)
    out = []
    for k, s in enumerate(stack.sources):
        dst = os.path.join(folder, f"{abs(hash((s, k)))}.vrt")
        opts = gdal.WarpOptions(format="VRT", outputBounds=(x0, y0, x1, y1),
                                width=target.cols, height=target.rows, dstSRS=target.crs_wkt,
                                srcSRS=None if stack.grid.crs_wkt else src_grid.crs_wkt,
                                resampleAlg="average")
        ds = gdal.Warp(dst, s, options=opts)
        if ds is None:
            raise StackError(f"cannot warp {s}: {gdal.GetLastErrorMsg()}")
        ds = None
        out.append(dst)
    w = RasterStack(out if len(out) > 1 else out[0], name=stack.name,
                    scale=stack.uniform_scaling()[0], offset=stack.uniform_scaling()[1],
                    valid_min=stack.valid_min, valid_max=stack.valid_max)
    w.labels = list(stack.labels)
    return w


def _row_blocks(regridders, target, n_out, memory_mb):
    """Target row blocks [r0, r1) sized so that the source windows of all
    members and ``n_out`` float64 layers of output fit ``memory_mb``
    (at least one row per block)."""
    budget = memory_mb * 2**20

    def cost(r0, r1):
        c = n_out * (r1 - r0) * target.cols * 8 * 4
        for rg in regridders:
            rows = rg.source_rows(r0, r1)
            sh = 0 if rows is None else rows[1] - rows[0]
            sw = target.cols if rg.identity else rg.c1 - rg.c0
            c += rg.stack.n * sh * sw * 8 * 3
        return c

    blocks, r = [], 0
    while r < target.rows:
        h = 1
        while r + h < target.rows:
            nh = min(2 * h, target.rows - r)
            if cost(r, r + nh) > budget:
                break
            h = nh
        blocks.append((r, r + h))
        r += h
    return blocks


def regrid(stack, target, path=None, min_coverage=0.5, progress=None, memory_mb=256,
           coverage_path=None):
    """Conservatively regrid a flux stack onto ``target`` (a Grid); write it
    to ``path`` (GeoTIFF, same layers) and return the path, or return the
    array (n, rows, cols) when ``path`` is None (small grids only).

    ``coverage_path``: also write the coverage (share of each target cell
    covered by valid source cells, 0..1, one band per layer; see
    :meth:`Regridder.read`); the return value is then (path, coverage path),
    or (array, coverage array) without ``path``. A total over the target
    weighted by the coverage (flux x coverage x cell area) equals the
    source's total where the target covers the source, whatever
    ``min_coverage`` (cells below it are nodata in the flux, not in the
    coverage: their mass is the part a flux total then misses)."""
    progress = as_progress(progress)
    rg = Regridder(stack, target, min_coverage)
    want_cov = bool(coverage_path)
    blocks = _row_blocks([rg], target, stack.n * (2 if want_cov else 1), memory_mb)
    if path is None:
        out = np.empty((stack.n, target.rows, target.cols))
        cov = np.empty_like(out) if want_cov else None
        for r0, r1 in blocks:
            progress.check()
            if want_cov:
                out[:, r0:r1], cov[:, r0:r1] = rg.read(r0, r1, coverage=True)
            else:
                out[:, r0:r1] = rg.read(r0, r1)
        return (out, cov) if want_cov else out
    from .io.outputs import output_set
    with output_set():                         # both files, or neither
        wr = RasterWriter(OutputSpec(path, bands=stack.n, descriptions=list(stack.labels),
                                     unit=stack.unit), target)
        cw = None
        try:
            if want_cov:
                cw = RasterWriter(OutputSpec(coverage_path, bands=stack.n, nodata=-1.0,
                                             descriptions=[f"coverage {lab}"
                                                           for lab in stack.labels],
                                             unit="1"), target)
            for k, (r0, r1) in enumerate(blocks):
                progress.check()
                if want_cov:
                    f, c = rg.read(r0, r1, coverage=True)
                    wr.write(0, r0, f)
                    cw.write(0, r0, c)
                else:
                    wr.write(0, r0, rg.read(r0, r1))
                progress.set(100.0 * (k + 1) / len(blocks))
            done = wr.commit()
            return (done, cw.commit()) if want_cov else done
        except BaseException:
            wr.abort()
            if cw is not None:
                cw.abort()
            raise


def regrid_classes(stack, target, path, codes=None, progress=None, memory_mb=256):
    """Majority (area maximisation) regridding of a one-layer class raster:
    each target cell gets the class covering the largest area of it (ties:
    the smaller code); cells with no class pixel are nodata (-1, Int32).
    ``codes``: the classes (default: found by a pass over the raster)."""
    from .accounting import class_codes
    progress = as_progress(progress)
    if stack.n != 1:
        raise StackError("the class raster must have one band")
    codes = list(codes) if codes is not None else class_codes(stack, progress.scaled(0, 10))
    rg = Regridder(stack, target, min_coverage=0.0)
    blocks = _row_blocks([rg], target, len(codes), memory_mb)
    wr = RasterWriter(OutputSpec(path, dtype="int32", nodata=-1, descriptions=["class"]), target)
    try:
        for k, (r0, r1) in enumerate(blocks):
            progress.check()
            best = np.full((r1 - r0, target.cols), -1, dtype=np.int64)
            best_area = np.zeros((r1 - r0, target.cols))
            for c in codes:
                frac = _class_fraction(rg, r0, r1, c)
                better = frac > best_area + 1e-12
                best[better] = c
                best_area[better] = frac[better]
            wr.write(0, r0, best)
            progress.set(10 + 90.0 * (k + 1) / len(blocks))
        return wr.commit()
    except BaseException:
        wr.abort()
        raise


def _class_fraction(rg, r0, r1, code):
    """Share of each target cell covered by class ``code``."""
    w = rg.target.cols
    if rg.identity:
        v = rg.stack.read(0, r0, w, r1 - r0)[0]
        return (v == code).astype(np.float64)
    rows = rg.source_rows(r0, r1)
    if rows is None:
        return np.zeros((r1 - r0, w))
    k0, k1 = rows
    v = rg.stack.read(rg.c0, k0, rg.c1 - rg.c0, k1 - k0)[0]
    a = rg.s_area[k0:k1, None]
    m = (v == code) * a
    got = rg.wx_sub.dot(np.asarray(rg.wy[r0:r1, k0:k1].dot(m)).T).T
    return got / rg.t_area[r0:r1, None]


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
        raise StackError("an ensemble needs at least two inputs")
    n = members[0].n
    for m in members[1:]:
        if m.n != n:
            raise StackError(f"{m.name} has {m.n} layers but {members[0].name} has {n}: every "
                             "input needs the same time steps")
    if time_step not in ("years", "months"):
        raise StackError("time step must be 'years' or 'months'")
    if time_step == "months" and n % 12:
        warnings.append(f"{n} monthly layers are not whole years: the last "
                        f"{n % 12} months are left out of the annual totals")
    members = [_apply_band_scaling(m, s) for m, s in
               zip(members, scales or [1.0] * len(members))]
    if target is None:
        target = target_grid(members, None, resolution, warnings)
    elif not target.crs_wkt:
        raise StackError("the target grid has no CRS")
    mm = len(members) if not min_members else int(min_members)
    if not 1 <= mm <= len(members):
        raise StackError(f"the minimum number of members must be between 1 and {len(members)}")
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
            raise StackError("the zone raster must be on the target grid")
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
