"""Put rasters of other grids onto a target grid (methods.md 12): GDAL's
warper behind a virtual raster for classes (:func:`warp_to_grid`), the grid
of an ensemble, separable overlap weights and the conservative average of
fluxes with its coverage, the majority of classes.

:func:`warp_to_grid` writes nothing but a small XML file (VRT): the warped
pixels are computed window by window while the stack is streamed. Use it for
classes (``"mode"``: the most frequent class of the source pixels in a
target cell, or ``"near"``).

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
"""
import math
import os
import tempfile

import numpy as np
from osgeo import gdal, osr

from .area import ellipsoid_zone_area, pixel_areas
from .errors import N_, InputError, Message
from .io import Grid, OutputSpec, RasterStack, RasterWriter, StackError
from .progress import as_progress

RESAMPLING = ("near", "mode", "average", "bilinear", "cubic", "max", "min", "med", "sum")


def grid_bounds(grid):
    gt = grid.geotransform
    xs = (gt[0], gt[0] + grid.cols * gt[1])
    ys = (gt[3], gt[3] + grid.rows * gt[5])
    return min(xs), min(ys), max(xs), max(ys)


def warp_to_grid(stack, grid, resampling="mode", folder=None, name=None):
    """A :class:`RasterStack` of ``stack`` (RasterStack or path) warped onto
    ``grid`` (same layers; nodata kept). Returns the stack unchanged when it
    is already on ``grid``. ``folder``: where the VRT files go (default a
    temporary folder)."""
    if not isinstance(stack, RasterStack):
        stack = RasterStack(stack, name=name or os.path.basename(str(stack)))
    if stack.grid.same_as(grid) is None:
        return stack
    if resampling not in RESAMPLING:
        raise InputError(N_("resampling must be one of {}"), ', '.join(RESAMPLING))
    gt = grid.geotransform
    if gt[2] != 0 or gt[4] != 0:
        raise StackError(N_("the target grid is rotated: warp it to a north-up grid first"))
    folder = folder or tempfile.mkdtemp(prefix="carbonsink-warp-")
    bounds = grid_bounds(grid)
    out = []
    for k, src in enumerate(stack.sources):
        dst = os.path.join(folder, f"{stack.name.replace(' ', '_')}_{k}.vrt")
        opts = gdal.WarpOptions(format="VRT", outputBounds=bounds, width=grid.cols,
                                height=grid.rows, dstSRS=grid.crs_wkt or None,
                                resampleAlg=resampling, multithread=False)
        ds = gdal.Warp(dst, src, options=opts)
        if ds is None:
            raise StackError(N_("{}: cannot warp {} onto the target grid: {}"),
                             stack.name, src, gdal.GetLastErrorMsg())
        ds = None
        out.append(dst)
    scale, offset = stack.uniform_scaling()      # the source's, also from metadata
    warped = RasterStack(out if len(out) > 1 else out[0], name=stack.name, scale=scale,
                         offset=offset, valid_min=stack.valid_min,
                         valid_max=stack.valid_max)
    warped.labels = list(stack.labels)
    # GDAL may round the geotransform of the VRT in the last digits
    diff = grid.same_as(warped.grid)
    if diff:
        raise StackError(N_("{}: warping did not reproduce the target grid ({})"), stack.name, diff)
    return warped


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
            warnings.append(Message(N_("{} has no CRS: its coordinates fit longitude/latitude, "
                                       "so WGS84 (EPSG:4326) is assumed"),
                                    stack.name))
        return Grid(g.cols, g.rows, g.geotransform, s.ExportToWkt())
    raise StackError(N_("{} has no CRS and its coordinates are not longitude/latitude: assign "
                        "its CRS first"), stack.name)


def aligned_grid(grids, resolution):
    """A north-up grid in the CRS of ``grids[0]`` with square cells of
    ``resolution`` (CRS units) aligned to multiples of it, covering the
    intersection of the extents of the grids that share that CRS."""
    if resolution <= 0:
        raise StackError(N_("the target resolution must be positive"))
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
        raise StackError(N_("the inputs do not overlap"))
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
                raise StackError(N_("{} is rotated: warp it to a north-up grid first"), what)
        self.t_area = pixel_areas(target).row_m2
        if src.same_as(target) is None:
            self.identity = True
            return
        self.identity = False
        if not _same_crs(src, target):
            warnings.append(Message(N_("{} is in another CRS than the target grid: warped with "
                                       "GDAL's average resampling (not exactly conservative)"),
                                    stack.name))
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
            raise StackError(N_("{} does not overlap the target grid"), stack.name)
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
            raise StackError(N_("cannot warp {}: {}"), s, gdal.GetLastErrorMsg())
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
        raise StackError(N_("the class raster must have one band"))
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
