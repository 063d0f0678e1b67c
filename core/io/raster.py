"""Stream raster stacks block by block.

A :class:`RasterStack` is a time stack made of several single-band rasters
(one per year, in the order given) or of the bands of one multiband raster.
:class:`RasterWriter` writes an output to a temporary file renamed only when
the whole run succeeded; :func:`plan_windows` cuts a grid into windows
aligned to the file blocks and sized from a memory budget. The block engine
that reads, computes and writes window by window is in :mod:`.blocks`.
"""
import math
import os
from dataclasses import dataclass, field

import numpy as np
from osgeo import gdal, osr

from ..errors import N_, InputError
from . import outputs as _outputs

TILE = 256  # output tile size, rows of every window are a multiple of it

_GDAL_TYPES = {
    "float32": gdal.GDT_Float32, "float64": gdal.GDT_Float64,
    "int16": gdal.GDT_Int16, "int32": gdal.GDT_Int32, "uint8": gdal.GDT_Byte,
    # GDAL < 3.7 has no Int8 type: int8 classes are written as Int16
    "int8": gdal.GDT_Int16,
}


#: stored values that usually mean "no data" when a file declares none
FILL_VALUES = (-3.4028234663852886e38, -1e20, -32768.0, -9999.0, -999.0, 32767.0, 65535.0,
               3.4028234663852886e38)


class StackError(InputError):
    """An input that cannot be used (mismatched grids, unreadable file...)."""


class NoValidData(InputError):
    """The run produced no valid pixel at all."""


@dataclass(frozen=True)
class Grid:
    cols: int
    rows: int
    geotransform: tuple
    crs_wkt: str

    def same_as(self, other, tol=1e-9):
        """None when equal, else a text saying what differs."""
        if (self.cols, self.rows) != (other.cols, other.rows):
            return f"size {other.cols} x {other.rows} instead of {self.cols} x {self.rows}"
        scale = max(abs(self.geotransform[1]), abs(self.geotransform[5]), 1e-12)
        for a, b in zip(self.geotransform, other.geotransform):
            if abs(a - b) > tol * max(1.0, abs(a)) and abs(a - b) > 1e-6 * scale:
                return (f"geotransform {tuple(other.geotransform)} instead of "
                        f"{tuple(self.geotransform)}")
        if bool(self.crs_wkt) != bool(other.crs_wkt):
            return "a different CRS (one of them has none)"
        if self.crs_wkt and other.crs_wkt and self.crs_wkt != other.crs_wkt:
            a, b = osr.SpatialReference(), osr.SpatialReference()
            a.ImportFromWkt(self.crs_wkt)
            b.ImportFromWkt(other.crs_wkt)
            if not a.IsSame(b):
                return f"CRS {b.GetName()} instead of {a.GetName()}"
        return None


def _open(path):
    try:   # an output of this run still under its temporary name is read from there
        ds = gdal.OpenEx(_outputs.readable(path), gdal.OF_RASTER | gdal.OF_VERBOSE_ERROR)
    except RuntimeError as exc:  # when the caller enabled exceptions
        raise StackError(N_("cannot open raster {}: {}"), path, exc) from None
    if ds is None:
        raise StackError(N_("cannot open raster {}: {}"), path, gdal.GetLastErrorMsg())
    return ds


def _meta(value, default):
    """A band's scale or offset (GDAL gives None or the default when unset)."""
    return default if value is None else float(value)


def _grid(ds):
    return Grid(ds.RasterXSize, ds.RasterYSize, tuple(ds.GetGeoTransform()),
                ds.GetProjection() or "")


class RasterStack:
    """A time stack (n layers) of equally gridded rasters.

    ``sources``: one path (all its bands, in band order) or a list of paths
    of single-band rasters (one layer each, in the given order).
    Pixels equal to a band's nodata value, NaN, +-Inf, or outside
    [``valid_min``, ``valid_max``] (checked on the stored values) become NaN;
    the others become ``stored * scale + offset``. ``scale`` / ``offset``
    None (the default) take each band's GDAL scale/offset metadata (1 and 0
    when the band has none); a number overrides the metadata of every band.
    """

    def __init__(self, sources, name="input", scale=None, offset=None,
                 valid_min=None, valid_max=None):
        if isinstance(sources, (str, os.PathLike)):
            sources = [sources]
        sources = [str(s) for s in sources]
        if not sources:
            raise StackError(N_("{}: no raster given"), name)
        self.name = name
        self.scale = None if scale is None else float(scale)
        self.offset = None if offset is None else float(offset)
        self.valid_min, self.valid_max = valid_min, valid_max
        self._datasets = [_open(s) for s in sources]
        if len(sources) == 1:
            ds = self._datasets[0]
            self._layers = [(ds, b) for b in range(1, ds.RasterCount + 1)]
            self.labels = [ds.GetRasterBand(b).GetDescription() or f"band {b}"
                           for b in range(1, ds.RasterCount + 1)]
        else:
            self._layers = []
            for s, ds in zip(sources, self._datasets):
                if ds.RasterCount != 1:
                    raise StackError(N_("{}: {} has {} bands; give either one multiband raster "
                                        "or several single-band rasters"),
                                     name, os.path.basename(s), ds.RasterCount)
                self._layers.append((ds, 1))
            self.labels = [os.path.splitext(os.path.basename(s))[0] for s in sources]
        self.sources = sources
        #: the layers' unit (GDAL unit type) when they all say the same, else ""
        units = {ds.GetRasterBand(b).GetUnitType() or "" for ds, b in self._layers}
        self.unit = units.pop() if len(units) == 1 else ""
        self.grid = _grid(self._datasets[0])
        for s, ds in zip(sources[1:], self._datasets[1:]):
            diff = self.grid.same_as(_grid(ds))
            if diff:
                raise StackError(N_("{}: {} does not match {}: it has {}"),
                                 name, os.path.basename(s), os.path.basename(sources[0]), diff)
        band = self._layers[0][0].GetRasterBand(self._layers[0][1])
        self.block = tuple(band.GetBlockSize())
        self._nodata = [ds.GetRasterBand(b).GetNoDataValue() for ds, b in self._layers]
        self._fills, self._fills_reported = {}, False
        bands = [ds.GetRasterBand(b) for ds, b in self._layers]
        self._scales = [self.scale if self.scale is not None else _meta(bd.GetScale(), 1.0)
                        for bd in bands]
        self._offsets = [self.offset if self.offset is not None else
                         _meta(bd.GetOffset(), 0.0) for bd in bands]

    def uniform_scaling(self):
        """(scale, offset) shared by every layer, for derived stacks (warped
        VRTs) that must apply the same; StackError when layers differ."""
        pairs = set(zip(self._scales, self._offsets))
        if len(pairs) != 1:
            raise StackError(N_("{}: the layers have different scale/offset metadata; give the "
                                "scale and offset explicitly"), self.name)
        return pairs.pop()

    def layer_scaling(self, i):
        """(scale, offset) applied to layer ``i``."""
        return self._scales[i], self._offsets[i]

    @property
    def scaled_by_metadata(self):
        """True when GDAL scale/offset metadata of the file changes the values."""
        return (self.scale is None and any(s != 1.0 for s in self._scales)) or \
            (self.offset is None and any(o != 0.0 for o in self._offsets))

    @property
    def n(self):
        return len(self._layers)

    def _raw(self, xoff, yoff, xsize, ysize):
        """The stored values of every layer, one layer at a time."""
        if len(self._datasets) == 1 and self.n > 1:
            # one multiband file: one call reads each (pixel-interleaved) tile once
            a = self._datasets[0].ReadAsArray(xoff, yoff, xsize, ysize)
            if a is None:
                raise StackError(N_("{}: read error: {}"), self.name, gdal.GetLastErrorMsg())
            yield from a
            return
        for i, (ds, b) in enumerate(self._layers):
            a = ds.GetRasterBand(b).ReadAsArray(xoff, yoff, xsize, ysize)
            if a is None:
                raise StackError(N_("{}: read error in layer {}: {}"),
                                 self.name, i + 1, gdal.GetLastErrorMsg())
            yield a

    def read(self, xoff, yoff, xsize, ysize):
        """float64 array (n, ysize, xsize), NaN where missing."""
        # one compiled pass (convert, test, NaN) instead of these numpy passes
        # took 28.6 against 40 ms a 24 x 256 x 4000 float32 window (0.2 s of a
        # 4000 x 4000 run, in the reader thread): writing the float64 array is
        # the cost, so the numpy passes stay
        out = np.empty((self.n, ysize, xsize), dtype=np.float64)
        for i, a in enumerate(self._raw(xoff, yoff, xsize, ysize)):
            # NaN and +-Inf stored as values are missing (methods.md conventions)
            bad = ~np.isfinite(a) if a.dtype.kind == "f" else np.zeros(a.shape, dtype=bool)
            nd = self._nodata[i]
            if nd is not None and not math.isnan(nd):
                bad |= a == nd
            elif nd is None and a.size:
                self._look_for_fill_values(i, a, bad)
            if self.valid_min is not None:
                bad |= a < self.valid_min
            if self.valid_max is not None:
                bad |= a > self.valid_max
            v = out[i]
            v[...] = a
            scale, offset = self._scales[i], self._offsets[i]
            if scale != 1.0 or offset != 0.0:
                v *= scale
                v += offset
            v[bad] = np.nan
        return out

    def _look_for_fill_values(self, i, a, bad):
        """Count stored values that look like fill values in a layer without
        a nodata value (they are used as data: see fill_warnings)."""
        ok = a[~bad] if bad.any() else a
        if not ok.size:
            return
        lo, hi = ok.min(), ok.max()
        if lo > -999 and hi < 32767:
            return
        for value in FILL_VALUES:
            if lo <= value <= hi:
                n = int(np.count_nonzero(ok == np.asarray(value, dtype=a.dtype)))
                if n:
                    key = (self.labels[i], value)
                    self._fills[key] = self._fills.get(key, 0) + n

    def fill_warnings(self):
        """Messages for layers without nodata whose pixels hold a typical
        fill value (-9999, -3.4e38, 32767 ...): such pixels count as data."""
        if self._fills_reported:
            return []               # once per stack, not once per pass
        self._fills_reported = bool(self._fills)
        by_value = {}
        for (label, value), n in self._fills.items():
            layers, total = by_value.get(value, ([], 0))
            by_value[value] = (layers + [label], total + n)
        out = []
        for value, (layers, total) in sorted(by_value.items()):
            shown = ", ".join(layers[:3]) + (f" and {len(layers) - 3} more" if len(layers) > 3
                                              else "")
            out.append(f"warning: {self.name} has no nodata value, but {total} pixel values "
                       f"equal {value:g}, a typical fill value ({shown}); they were used as "
                       f"data. Set the nodata value of the file (e.g. gdal_edit -a_nodata "
                       f"{value:g}) or a valid range if they are missing values")
        return out

    def close(self):
        self._datasets = []
        self._layers = []


def check_same_grid(stacks):
    """Raise StackError naming the first stack whose grid differs from the first."""
    stacks = list(stacks)
    for s in stacks[1:]:
        diff = stacks[0].grid.same_as(s.grid)
        if diff:
            raise StackError(N_("{} does not match {}: it has {}"), s.name, stacks[0].name, diff)


def plan_windows(cols, rows, block, bytes_per_pixel, memory_mb):
    """Windows (xoff, yoff, xsize, ysize) covering the grid in reading order.

    Rows per window are a multiple of both the input block height and the
    output tile (256), columns the full width unless the memory budget
    forbids it, then a multiple of the block width and the tile.
    """
    bx, by = max(1, int(block[0])), max(1, int(block[1]))
    step_y = TILE * by // math.gcd(TILE, by)
    if step_y > 8 * TILE:
        step_y = TILE
    step_x = TILE * bx // math.gcd(TILE, bx)
    if step_x > 8 * TILE:
        step_x = TILE
    max_pixels = max(int(memory_mb * 2**20 // max(bytes_per_pixel, 1)), step_x * step_y)
    if cols * step_y <= max_pixels:
        w = cols
        h = max(step_y, (max_pixels // cols) // step_y * step_y)
    else:
        h = step_y
        w = max(step_x, (max_pixels // step_y) // step_x * step_x)
    h = min(h, rows) if rows <= h else h
    wins = []
    for y in range(0, rows, h):
        for x in range(0, cols, w):
            wins.append((x, y, min(w, cols - x), min(h, rows - y)))
    return wins


@dataclass
class OutputSpec:
    """One output raster: ``bands`` layers of ``dtype`` with ``nodata``."""
    path: str
    bands: int = 1
    dtype: str = "float32"
    nodata: float = -9999.0
    descriptions: list = field(default_factory=list)
    unit: str = ""                    #: GDAL unit type of every band ("1": dimensionless)


class _GdalErrors:
    """Collect GDAL's errors while writing (GDAL reports a full disk as
    errors, not through return codes) and raise them as OutputError."""

    def __init__(self, path):
        self.path, self.errors = path, []

    def _handler(self, err_class, err_no, msg):
        if err_class >= gdal.CE_Failure:
            self.errors.append(msg)

    def __enter__(self):
        gdal.PushErrorHandler(self._handler)
        return self

    def __exit__(self, exc_type, exc, tb):
        gdal.PopErrorHandler()
        if exc_type is RuntimeError and not self.errors:
            self.errors.append(str(exc))      # gdal.UseExceptions() is on (someone's choice)
        if self.errors and exc_type in (None, RuntimeError):
            msg = self.errors[0]
            if "No space left" in msg or "Write error" in msg:
                raise _outputs.OutputError(f"cannot write {self.path}: the disk is full "
                                           f"({msg}); no output was written") from None
            raise _outputs.OutputError(f"cannot write {self.path}: {msg}; no output was "
                                       "written") from None
        return False


class RasterWriter:
    """Tiled, compressed GeoTIFF written under a temporary name.

    ``commit()`` hands it to the current output set (core.io.outputs), which
    renames it with the run's other outputs; ``abort()`` (or an exception
    inside a ``with`` block) deletes it, so no partial file is ever left.
    GDAL write errors (a full disk) raise OutputError. A scratch path
    (outputs.scratch_tif) is committed at once: later passes read it.
    """

    def __init__(self, spec, grid):
        self.spec = spec
        self.path = os.path.abspath(spec.path)
        self.scratch = _outputs.is_scratch(self.path)
        try:
            _outputs.check_folder(self.path)
        except _outputs.OutputError as exc:
            raise StackError(str(exc)) from None
        self.tmp = _outputs.temp_name(self.path, ".tif")
        _outputs.register(self.tmp)
        self._np_dtype = np.dtype("int16" if spec.dtype == "int8" else spec.dtype)
        floating = self._np_dtype.kind == "f"
        opts = ["TILED=YES", f"BLOCKXSIZE={TILE}", f"BLOCKYSIZE={TILE}",
                "COMPRESS=DEFLATE", "ZLEVEL=1", f"PREDICTOR={3 if floating else 2}",
                "BIGTIFF=IF_SAFER", "NUM_THREADS=ALL_CPUS"]
        if spec.bands > 1:
            opts.append("INTERLEAVE=BAND")
        drv = gdal.GetDriverByName("GTiff")
        with _GdalErrors(spec.path) as errs:
            self.ds = drv.Create(self.tmp, grid.cols, grid.rows, spec.bands,
                                 _GDAL_TYPES[spec.dtype], opts)
            if self.ds is None:
                errs.errors.clear()
                self.abort()
                raise StackError(N_("cannot create {}: {}"), spec.path, gdal.GetLastErrorMsg())
            self.ds.SetGeoTransform(grid.geotransform)
            if grid.crs_wkt:
                self.ds.SetProjection(grid.crs_wkt)
            for b in range(spec.bands):
                band = self.ds.GetRasterBand(b + 1)
                band.SetNoDataValue(spec.nodata)
                if b < len(spec.descriptions):
                    band.SetDescription(str(spec.descriptions[b]))
                if spec.unit:
                    band.SetUnitType(spec.unit)

    def write(self, xoff, yoff, data):
        data = np.asarray(data)
        if data.ndim == 2:
            data = data[None]
        if data.shape[0] != self.spec.bands:
            raise InputError(N_("{}: {} bands for {}"),
                             self.spec.path, data.shape[0], self.spec.bands)
        with _GdalErrors(self.spec.path):
            for b in range(self.spec.bands):
                a = data[b]
                if a.dtype.kind == "f":
                    a = np.where(np.isfinite(a), a, self.spec.nodata)
                self.ds.GetRasterBand(b + 1).WriteArray(a.astype(self._np_dtype, copy=False),
                                                        xoff, yoff)

    def commit(self):
        """Close the file (errors checked) and stage it in the output set."""
        try:
            with _GdalErrors(self.spec.path):
                self.ds.FlushCache()
                self.ds = None          # closing writes the last tiles and the header
        except BaseException:
            self.abort()
            raise
        aux = self.tmp + ".aux.xml"
        if self.scratch:
            os.replace(self.tmp, self.path)
            _outputs.release(self.tmp)
            return self.path
        with _outputs.output_set() as outs:     # the open set, or one for this file
            outs.adopt(self.tmp, self.path)
            if os.path.exists(aux):
                outs.adopt(aux, self.path + ".aux.xml")
            else:
                outs.drop_on_commit(self.path + ".aux.xml")
        return self.path

    def abort(self):
        # closing a file on a full disk errors again: it is deleted anyway
        # (with gdal.UseExceptions() on, GDAL raises it from the destructor)
        gdal.PushErrorHandler("CPLQuietErrorHandler")
        try:
            self.ds = None
        except RuntimeError:
            pass
        finally:
            gdal.PopErrorHandler()
        for p in (self.tmp, self.tmp + ".aux.xml"):
            if os.path.exists(p):
                os.remove(p)
            _outputs.release(p)
