"""Pixel areas of a raster grid (methods.md section 12).

Geographic grids (longitude/latitude): every cell of a row has the same
area, the area of the ellipsoidal zone between the row's two latitudes times
the cell's share of the full circle of longitude, on the CRS's own ellipsoid
(WGS84 for EPSG:4326, Krassowsky for Beijing 1954, a sphere when the CRS says
so). The closed form (area from the equator to latitude phi, per radian of
longitude) is

    S(phi) = b^2 / 2 * [ sin(phi) / (1 - e^2 sin^2 phi) + atanh(e sin phi) / e ]

with b the semi-minor axis and e the first eccentricity; a cell between phi1
and phi2, dlambda radians wide, covers dlambda * (S(phi2) - S(phi1)). On a
sphere of radius R this is R^2 dlambda (sin phi2 - sin phi1).

Projected grids: the constant parallelogram area |a*e - b*d| of the
geotransform (times the square of the linear unit in metres). It is the true
area only on an equal-area projection; for any other projection
:func:`pixel_areas` returns a warning with the size of the error at the
centre and the corners of the grid (from the projection's local area scale,
computed by finite differences on the ellipsoid).

A CRS is taken as equal-area when the name of its projection method names an
equal-area family: every "..._Equal_Area" method (Albers conic, Lambert
azimuthal, Lambert/Behrmann cylindrical), Equal Earth, Mollweide, Sinusoidal
(MODIS), Eckert II/IV/VI, Goode homolosine (also interrupted), Hammer-Aitoff,
Bonne, quartic authalic and flat-polar quartic. Everything else (UTM,
Mercator, Lambert conformal conic, equidistant...) gets the warning.
"""
import math
from dataclasses import dataclass

import numpy as np

from .errors import N_, InputError, Message

# GDAL (osgeo) is imported where it is needed, so that the array function
# ellipsoid_zone_area works without it.

WGS84_A = 6378137.0
WGS84_INVF = 298.257223563

EQUAL_AREA_METHODS = ("equal_area", "equal_earth", "mollweide", "sinusoidal", "eckert_ii",
                      "eckert_iv", "eckert_vi", "goode_homolosine", "hammer", "bonne",
                      "quartic_authalic", "flat_polar_quartic")


def _norm(name):
    return (name or "").strip().lower().replace(" ", "_").replace("-", "_")


def is_equal_area_method(name):
    """True when a projection method name (WKT1 PROJECTION) is equal-area."""
    n = _norm(name)
    if n in ("eckert_ii", "eckert_iv", "eckert_vi"):
        return True
    return any(k in n for k in EQUAL_AREA_METHODS if not k.startswith("eckert"))


def ellipsoid_zone_area(lat1, lat2, dlon, a=WGS84_A, inv_f=WGS84_INVF):
    """Area (m2) of the ellipsoidal cell between latitudes ``lat1`` and
    ``lat2`` (degrees, any order, clipped to +-90) and ``dlon`` degrees of
    longitude wide. ``inv_f`` 0 or inf: a sphere of radius ``a``.
    Broadcasts over array arguments."""
    p1 = np.radians(np.clip(np.asarray(lat1, dtype=np.float64), -90.0, 90.0))
    p2 = np.radians(np.clip(np.asarray(lat2, dtype=np.float64), -90.0, 90.0))
    lam = np.radians(np.abs(np.asarray(dlon, dtype=np.float64)))
    if not inv_f or not math.isfinite(inv_f):
        return a * a * lam * np.abs(np.sin(p2) - np.sin(p1))
    f = 1.0 / inv_f
    e2 = f * (2.0 - f)
    e = math.sqrt(e2)
    b2 = a * a * (1.0 - e2)

    def s(p):
        sp = np.sin(p)
        return 0.5 * b2 * (sp / (1.0 - e2 * sp * sp) + np.arctanh(e * sp) / e)

    return lam * np.abs(s(p2) - s(p1))


@dataclass
class PixelAreas:
    """Cell areas of a grid. ``row_m2``: (rows,) area of the cells of each row
    in m2 (all equal on a projected grid). ``warning``: None, or why the
    areas are not exact (non-equal-area projection)."""
    row_m2: np.ndarray
    geographic: bool
    equal_area: bool
    method: str
    warning: str = None

    def block(self, yoff, h, w):
        """(h, w) array of cell areas (m2) of rows yoff..yoff+h."""
        return np.broadcast_to(self.row_m2[yoff:yoff + h, None], (h, w))

    def total_m2(self, cols):
        return float(self.row_m2.sum() * cols)


def _srs(crs_wkt):
    from osgeo import osr

    from .io import StackError
    srs = osr.SpatialReference()
    if srs.ImportFromWkt(crs_wkt) != 0:
        raise StackError(N_("the raster's CRS cannot be read"))
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def _area_scale(srs, gt, cols, rows):
    """Local ratio true area / projected area at the centre and the 4 corners
    of the grid (None where the point cannot be transformed)."""
    from osgeo import osr
    geo = srs.CloneGeogCS()
    geo.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    a, inv_f = srs.GetSemiMajor(), srs.GetInvFlattening()
    f = 1.0 / inv_f if inv_f else 0.0
    e2 = f * (2 - f)
    unit = srs.GetLinearUnits() or 1.0
    ct = osr.CoordinateTransformation(srs, geo)
    out = []
    for px, py in ((cols / 2, rows / 2), (0.5, 0.5), (cols - 0.5, 0.5), (0.5, rows - 0.5),
                   (cols - 0.5, rows - 0.5)):
        x = gt[0] + px * gt[1] + py * gt[2]
        y = gt[3] + px * gt[4] + py * gt[5]
        h = max(abs(gt[1]), abs(gt[5])) * 1e-3
        try:
            pts = [ct.TransformPoint(x, y), ct.TransformPoint(x + h, y),
                   ct.TransformPoint(x, y + h)]
        except RuntimeError:
            out.append(None)
            continue
        if any(not all(map(math.isfinite, p[:2])) or abs(p[1]) > 90 for p in pts):
            out.append(None)
            continue
        (l0, p0), (l1, p1), (l2, p2) = [(math.radians(p[0]), math.radians(p[1])) for p in pts]
        det = (l1 - l0) * (p2 - p0) - (l2 - l0) * (p1 - p0)
        sp = math.sin(p0)
        w = math.sqrt(1 - e2 * sp * sp)
        m = a * (1 - e2) / w ** 3                  # meridional radius of curvature
        n = a / w                                  # prime vertical radius
        true = abs(det) * m * n * math.cos(p0)
        out.append(true / (h * h * unit * unit))
    return out


def pixel_areas(grid):
    """:class:`PixelAreas` of a :class:`~carbonsink.core.io.Grid` (or any
    object with ``geotransform``, ``crs_wkt``, ``rows`` and ``cols``).

    Raises StackError for a grid without CRS and for rotated geographic
    grids (warp them to a north-up grid first)."""
    from .io import StackError
    gt = tuple(grid.geotransform)
    rows, cols = int(grid.rows), int(grid.cols)
    if not grid.crs_wkt:
        raise StackError(N_("the raster has no CRS, so its pixel areas are unknown: assign its "
                            "CRS (Raster > Projections > Assign Projection) and run again"))
    srs = _srs(grid.crs_wkt)
    if srs.IsGeographic():
        if gt[2] != 0 or gt[4] != 0:
            raise StackError(N_("rotated geographic grids are not supported: warp the raster "
                                "to a north-up grid first"))
        deg = math.degrees(srs.GetAngularUnits() or math.radians(1.0))   # degrees per unit
        edges = (gt[3] + np.arange(rows + 1) * gt[5]) * deg
        dlon = abs(gt[1]) * deg
        a, inv_f = srs.GetSemiMajor(), srs.GetInvFlattening()
        row = ellipsoid_zone_area(edges[:-1], edges[1:], dlon, a, inv_f)
        method = Message(N_("geographic grid: area between the row's latitudes on the sphere "
                            "of radius {:.0f} m (per row)"), a) if not inv_f else \
            Message(N_("geographic grid: area between the row's latitudes on the ellipsoid "
                       "a = {:.3f} m, 1/f = {:.9g} (per row)"), a, inv_f)
        return PixelAreas(row, True, True, method)
    if not srs.IsProjected():
        raise StackError(N_("pixel areas need a geographic or a projected CRS, not {}"),
                         srs.GetName())
    unit = srs.GetLinearUnits() or 1.0
    area = abs(gt[1] * gt[5] - gt[2] * gt[4]) * unit * unit
    row = np.full(rows, area)
    method = srs.GetAttrValue("PROJECTION") or ""
    if is_equal_area_method(method):
        return PixelAreas(row, False, True, Message(N_(
            "projected grid, equal-area projection ({}): constant cell area {:.6g} m2"),
            method, area))
    scales = [s for s in _area_scale(srs, gt, cols, rows) if s is not None]
    detail = ""
    if scales:
        lo, hi = (min(scales) - 1) * 100, (max(scales) - 1) * 100
        detail = Message(N_("; the true cell area differs from it by {:+.3g} % to {:+.3g} % "
                            "(centre and corners of the grid)"), lo, hi)
    warning = Message(N_("the CRS {} ({}) is not an equal-area projection: the constant cell "
                         "area {:.6g} m2 of the grid is not the true area{}. Reproject to an "
                         "equal-area CRS (e.g. Albers equal-area) or to longitude/latitude "
                         "for exact totals."), srs.GetName(), method or "unknown projection",
                      area, detail)
    return PixelAreas(row, False, False, Message(N_(
        "projected grid ({}): constant cell area {:.6g} m2"), method, area), warning)


def pixel_area_raster(source, path, unit="km2", progress=None, memory_mb=256):
    """Write the cell areas of the grid of ``source`` (a raster path or a
    RasterStack) to ``path`` (Float64 GeoTIFF, ``unit`` m2, ha or km2).
    Returns (path, PixelAreas)."""
    from osgeo import gdal

    from .io import OutputSpec, RasterStack, run_blocks
    factor = {"m2": 1.0, "ha": 1e-4, "km2": 1e-6}.get(unit)
    if factor is None:
        raise InputError(N_("unit must be m2, ha or km2, not {!r}"), unit)
    stack = source if isinstance(source, RasterStack) else RasterStack(source, name="grid")
    areas = pixel_areas(stack.grid)
    spec = {"area": OutputSpec(path, dtype="float64", nodata=-1.0,
                               descriptions=[f"pixel area ({unit})"])}

    def func(a):
        x, y, w, h = a["window"]
        return {"area": areas.block(y, h, w) * factor}

    out = run_blocks({"window": WindowProbe(stack)}, spec, func, progress, memory_mb)
    from .io.outputs import readable
    ds = gdal.Open(readable(out["area"]), gdal.GA_Update)   # staged in the run's output set
    ds.GetRasterBand(1).SetUnitType(unit)
    ds = None
    return out["area"], areas


class WindowProbe:
    """A zero-layer stand-in for a stack in run_blocks / scan_blocks: it reads
    nothing and hands the window (xoff, yoff, xsize, ysize) to the function
    (to pick the rows of the pixel areas)."""

    def __init__(self, stack):
        self.grid, self.block, self.name, self.n = stack.grid, stack.block, stack.name, 0

    def read(self, x, y, w, h):
        return (x, y, w, h)
