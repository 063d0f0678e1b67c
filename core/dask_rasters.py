"""The one per-pixel analysis whose dask path is not core/rasters.py's own:
variation with natural-breaks classes (the CV on dask, then the sample of
CV values replayed over the block engine's windows, so that the classes are
those of :func:`rasters.variation_rasters`). Every other analysis runs the
same function on both engines (:func:`rasters.blocks`)."""
import os

import numpy as np

from . import rasters, stability, trend
from .errors import N_
from .io.outputs import readable, remove_scratch, scratch_tif
from .rasters import StackError, _spec


def variation_dask(runner, stack, outputs, ddof=1, min_valid=None, breaks=None, k=5,
                   sample=10000, seed=0, progress=None, memory_mb=256):
    """CV on dask; the natural-breaks sample replayed over the block engine's
    windows, so that the classes are those of :func:`rasters.variation_rasters`."""
    from . import coefficient_of_variation
    from .io import OutputSpec, RasterStack, plan_windows, run_blocks
    mv, breaks = rasters.variation_setup(stack, outputs, min_valid, breaks)
    want_class = bool(outputs.get("class"))
    natural = want_class and breaks is None
    if runner.fmt == "zarr" and want_class:
        raise StackError(N_("variation classes need a second pass over a GeoTIFF CV raster: "
                            "write them with --format gtiff"))
    cv_path = outputs.get("cv")
    temps, done = [], {}
    folder = os.path.dirname(os.path.abspath(cv_path or outputs["class"]))
    if not os.path.isdir(folder):
        raise StackError(N_("cannot write into {}: the folder does not exist"), folder)
    sp = {"cv": OutputSpec(cv_path, descriptions=["cv"])} if cv_path else {}
    if want_class:
        # the sample and the classes come from the float64 CV, as in the toolbox
        cv64 = scratch_tif(folder, "cv64")
        temps.append(cv64)
        sp["cv64"] = OutputSpec(cv64, dtype="float64")
    try:
        (y,) = runner.arrays([stack], 8 * stack.n + 8 * len(sp))
        cv = coefficient_of_variation(y, ddof=ddof, min_valid=mv)
        done = runner.write({"cv": cv, "cv64": cv}, sp, stack.grid)
        used = breaks
        if want_class:
            if natural:
                # keys by pixel position: the toolbox's sample, whatever the windows
                res = rasters.Reservoir(sample, seed)
                src = RasterStack(readable(done["cv64"]), name="CV")
                for win in plan_windows(stack.grid.cols, stack.grid.rows, stack.block,
                                        8 * stack.n + 8, memory_mb):
                    res.add(src.read(*win)[0], win, stack.grid.cols)
                src.close()
                if res.count == 0:
                    raise StackError(N_("no valid CV value to compute natural breaks from"))
                used = stability.natural_breaks(res.values, k=k)
                used[0], used[-1] = res.lo, res.hi
            elif used.size == k - 1:
                used = np.concatenate([[used[0] - 1.0], used, [used[-1] + 1.0]])
            cls = RasterStack(readable(done["cv64"]), name="CV")
            done.update(run_blocks(
                {"cv": cls}, _spec(outputs, "class", dtype="int8", nodata=trend.NODATA_CLASS),
                lambda a: {"class": stability.classify(a["cv"][0], used)},
                progress, memory_mb))
    finally:
        remove_scratch(temps)
    done.pop("cv64", None)
    return done, (None if not want_class else np.asarray(used))
