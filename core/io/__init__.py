"""GDAL block streaming: input stacks, aligned windows, atomic GeoTIFF output."""
from .blocks import capped_gdal_cache, run_blocks, scan_blocks
from .raster import (
           Grid,
           NoValidData,
           OutputSpec,
           RasterStack,
           RasterWriter,
           StackError,
           plan_windows,
)

__all__ = ["Grid", "NoValidData", "OutputSpec", "RasterStack", "RasterWriter",
           "StackError", "capped_gdal_cache", "plan_windows", "run_blocks", "scan_blocks"]
