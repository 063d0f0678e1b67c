"""Put rasters of other grids onto a target grid.

:func:`warp_to_grid` is GDAL's warper behind a virtual raster (VRT): nothing
is written but a small XML file, and the warped pixels are computed window by
window while the stack is streamed. Use it for classes (``"mode"``: the most
frequent class of the source pixels in a target cell, or ``"near"``).
Area-conserving averaging of fluxes is in :mod:`carbonsink.core.ensemble`.
"""
import os
import tempfile

from osgeo import gdal

from .errors import InputError
from .io import RasterStack, StackError

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
        raise InputError(f"resampling must be one of {', '.join(RESAMPLING)}")
    gt = grid.geotransform
    if gt[2] != 0 or gt[4] != 0:
        raise StackError("the target grid is rotated: warp it to a north-up grid first")
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
            raise StackError(f"{stack.name}: cannot warp {src} onto the target grid: "
                             f"{gdal.GetLastErrorMsg()}")
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
        raise StackError(f"{stack.name}: warping did not reproduce the target grid ({diff})")
    return warped
