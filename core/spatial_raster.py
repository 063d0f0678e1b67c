"""The raster functions of the spatial statistics (core/spatial.py): global Moran, local Moran and
Getis-Ord Gi* of one band of a RasterStack, streamed window by window with a
one or two pixel halo and rook or queen contiguity among valid pixels, never
building a weights matrix (methods.md 10). They give the same numbers as the
array functions on grid_weights of the same grid."""
import math

import numpy as np

from .errors import N_, InputError
from .fdr import PValueHistogram
from .io.outputs import folder_of, passes, readable
from .permutations import (
    _GOLDEN,
    _INV53,
    _S11,
    _mix_py,
    _permute_chunked,
    _seed_base,
    moran_permutations,
)
from .spatial import (
    NODATA_CLASS,
    Moran,
    RasterInfo,
    _check_permutations,
    _check_transform,
    _gistar,
    _moran_moments,
    _moran_sim_from,
    _prepare,
    _resolve_seed,
    _sim_fields,
    _two_sided,
    cluster_class,
    hotspot_class,
    quadrant,
)
from .weights import offsets, transform_weights

__all__ = ["getis_ord_rasters", "gistar_window", "lisa_rasters", "local_moran_window",
           "moran_raster"]


# =================================================================== rasters
#
# Every raster function reads one band of a RasterStack window by window.
# A window is read with a halo of 1 (2 for global Moran's S1/S2 with
# row-standardised weights) pixels, NaN outside the grid. Contiguity among
# valid pixels comes from shifted views of the padded window.

def _shifted(a, dr, dc, m=1):
    """View of ``a`` shrunk by ``m`` on every side and moved by (dr, dc)."""
    rows, cols = a.shape
    return a[m + dr:rows - m + dr, m + dc:cols - m + dc]


def local_moran_window(v, offs, mean, scaling, rstd):
    """Local Moran of the inner pixels of a window ``v`` read with a 1-pixel
    halo: (unit mask, z, neighbour counts, spatial lag, scaled z, I_i) of the
    units (valid pixels with at least one valid neighbour). Shared by the
    raster streaming pass and the dask version."""
    valid = np.isfinite(v)
    k = _counts(valid, offs)
    unit = valid[1:-1, 1:-1] & (k > 0)
    znb = np.where(valid, v - mean, 0.0)
    z = znb[1:-1, 1:-1][unit]
    ku = k[unit]
    lsum = _neighbour_sum(znb, offs)[unit]
    lag = lsum / ku if rstd else lsum
    zs = z * scaling
    return unit, z, ku, lag, zs, zs * lag


def gistar_window(v, offs, mean, n, sd):
    """Getis-Ord Gi* of the inner pixels of a window ``v`` read with a
    1-pixel halo: (unit mask, z, p) of the units (valid pixels with at least
    one valid neighbour), given the n, mean and population sd of all units.
    Shared by :func:`getis_ord_rasters` and the dask path."""
    valid = np.isfinite(v)
    k = _counts(valid, offs)
    unit = valid[1:-1, 1:-1] & (k > 0)
    znb = np.where(valid, v - mean, 0.0)
    g = _gistar(_neighbour_sum(znb, offs)[unit], znb[1:-1, 1:-1][unit],
                k[unit].astype(np.float64), n, sd)
    return unit, g, _two_sided(g)


def _counts(valid, offs):
    """Valid neighbours of every cell of ``valid`` shrunk by one pixel."""
    k = np.zeros((valid.shape[0] - 2, valid.shape[1] - 2), dtype=np.int64)
    for dr, dc in offs:
        k += _shifted(valid, dr, dc)
    return k


def _neighbour_sum(a, offs):
    """Sum of ``a`` over the neighbours, in the order of ``offs`` (the CSR
    column order of grid_weights, so sums equal its matrix product)."""
    acc = np.zeros((a.shape[0] - 2, a.shape[1] - 2))
    for dr, dc in offs:
        acc += _shifted(a, dr, dc)
    return acc


def _band(stack, band):
    b = int(band)
    if not 1 <= b <= stack.n:
        raise InputError(N_("{} has {} band(s): band {} does not exist"), stack.name, stack.n, band)
    return b - 1


def _read_halo(stack, band, x, y, w, h, halo):
    """Window (x, y, w, h) of one band plus ``halo`` pixels on every side,
    float64 with NaN for missing values and outside the grid."""
    g = stack.grid
    x0, y0 = max(0, x - halo), max(0, y - halo)
    x1, y1 = min(g.cols, x + w + halo), min(g.rows, y + h + halo)
    out = np.full((h + 2 * halo, w + 2 * halo), np.nan)
    a = stack.read(x0, y0, x1 - x0, y1 - y0)[band]
    out[y0 - y + halo:y1 - y + halo, x0 - x + halo:x1 - x + halo] = a
    return out


def _windows(stack, memory_mb, work_bytes):
    from .io import plan_windows
    g = stack.grid
    return plan_windows(g.cols, g.rows, stack.block, 8 * stack.n + work_bytes, memory_mb)


def _stream(stack, band, halo, func, progress, memory_mb, work_bytes=160, specs=None,
            cache_mb=64, report=True):
    """Call ``func(padded_window, (x, y, w, h))`` for every window; with
    ``specs`` (name -> OutputSpec) write the dict it returns and return
    name -> path (atomic: nothing is left on failure). ``report=False``:
    ``func`` reports progress itself."""
    from .io import capped_gdal_cache
    from .progress import as_progress
    progress = as_progress(progress)
    wins = _windows(stack, memory_mb, work_bytes)
    writers = {}
    with capped_gdal_cache(cache_mb):
        return _stream_windows(stack, band, halo, func, progress, specs, report, wins, writers)


def _stream_windows(stack, band, halo, func, progress, specs, report, wins, writers):
    from .io import RasterWriter
    try:
        for name, spec in (specs or {}).items():
            writers[name] = RasterWriter(spec, stack.grid)
        for i, win in enumerate(wins):
            progress.check()
            res = func(_read_halo(stack, band, *win, halo), win)
            for name, wr in writers.items():
                wr.write(win[0], win[1], res[name])
            if report:
                progress.set(100.0 * (i + 1) / len(wins))
        progress.check()
        return {name: wr.commit() for name, wr in writers.items()}
    except BaseException:
        for wr in writers.values():
            wr.abort()
        raise


class _Pass1:
    """First pass: units (valid pixels with a valid neighbour), their count,
    mean and M2 (Chan et al. pairwise update of per-window two-pass sums),
    islands, and units per (row, window column) for row-major ranks."""

    def __init__(self, stack, offs, wins):
        self.offs = offs
        self.cols = stack.grid.cols
        self.xoffs = sorted({w[0] for w in wins})
        self.seg = np.zeros((stack.grid.rows, len(self.xoffs)), dtype=np.int64)
        self.n, self.mean, self.m2 = 0, 0.0, 0.0
        self.islands = []
        self.n_missing = 0
        self.lo, self.hi = math.inf, -math.inf

    def __call__(self, v, win):
        x, y, w, h = win
        valid = np.isfinite(v)
        k = _counts(valid, self.offs)
        vin = valid[1:-1, 1:-1]
        self.n_missing += int(vin.size - np.count_nonzero(vin))
        unit = vin & (k > 0)
        isl = np.flatnonzero(vin & (k == 0))
        if isl.size:
            self.islands.append((y + isl // w) * self.cols + x + isl % w)
        self.seg[y:y + h, self.xoffs.index(x)] = unit.sum(axis=1)
        vals = v[1:-1, 1:-1][unit]
        nw = vals.size
        if nw:
            self.lo, self.hi = min(self.lo, vals.min()), max(self.hi, vals.max())
            mw = vals.mean()
            m2w = float(((vals - mw) ** 2).sum())
            tot = self.n + nw
            d = mw - self.mean
            self.mean += d * nw / tot
            self.m2 += m2w + d * d * self.n * nw / tot
            self.n = tot

    def finish(self, what):
        isl = np.concatenate(self.islands) if self.islands else np.empty(0, np.int64)
        self.islands = np.sort(isl)
        flat = self.seg.ravel()
        self.start = (np.cumsum(flat) - flat).reshape(self.seg.shape)
        if self.n < 3:
            raise InputError(N_("{}: {} valid pixel(s) with a valid neighbour; at least 3 are "
                                "needed"), what, self.n)
        if self.lo == self.hi:
            raise InputError(N_("{}: all {} valid pixels have the same value ({:g}): spatial "
                                "autocorrelation is undefined for constant values"),
                             what, self.n, self.lo)
        self.std = math.sqrt(self.m2 / self.n)

    def ranks(self, unit, win):
        """Row-major rank among all units of each unit of a window."""
        x, y, _, h = win
        row0 = self.start[y:y + h, self.xoffs.index(x)]
        return (row0[:, None] + np.cumsum(unit, axis=1) - 1)[unit]


def _pass1(stack, band, contiguity, what, progress, memory_mb):
    offs = offsets(contiguity)
    p1 = _Pass1(stack, offs, _windows(stack, memory_mb, 160))
    _stream(stack, band, 1, p1, progress, memory_mb)
    p1.finish(what)
    return p1


def moran_raster(stack, contiguity="queen", transform="r", permutations=0, seed=None,
                 band=1, progress=None, memory_mb=256):
    """Global Moran's I of one band of a raster (methods.md 10), streamed.

    Units are the valid pixels; rook (4) or queen (8) contiguity among them;
    pixels without a valid neighbour are islands (reported as flat indices
    in ``islands``, left out). Pass 1: n and mean. Pass 2 (2-pixel halo):
    sum z^2, sum z^4, sum_ij w_ij z_i z_j, S0, S1, S2 (row-standardised:
    S0 = n, S1 = 1/2 sum over links (1/k_i + 1/k_j)^2, S2 = sum_i (1 +
    sum_j 1/k_j)^2; binary: S0 = sum k, S1 = 2 S0, S2 = 4 sum k^2). The
    result equals :func:`moran` on ``grid_weights`` of the same grid.

    ``permutations`` > 0 needs the band in memory (about 400 bytes per
    pixel, checked against ``memory_mb``): the values are permuted with the
    same stream as :func:`moran` (so the same seed gives the same p_sim).
    For large rasters the randomisation z (``z_rand``) is the practical test.
    """
    from .progress import as_progress
    progress = as_progress(progress)
    t = _check_transform(transform)
    r = _check_permutations(permutations)
    bi = _band(stack, band)
    g = stack.grid
    need = g.rows * g.cols * (400 + 8 * (stack.n - 1))
    if r and need > memory_mb * 2**20:
        raise InputError(N_("permutations for global Moran's I need the whole raster in "
                            "memory: about {:.0f} MB for {} x {} pixels, more than the {} MB "
                            "allowed; raise the memory limit or use the randomisation z "
                            "(z_rand), which is accurate for many pixels"),
                         need / 2**20, g.cols, g.rows, memory_mb)
    offs = offsets(contiguity)
    p1 = _pass1(stack, bi, contiguity, "Moran's I", progress.scaled(0, 30 if r else 50),
                memory_mb)
    mean = p1.mean
    acc = {"m2": 0.0, "m4": 0.0, "cross": 0.0, "s0": 0.0, "s1": 0.0, "s2": 0.0}

    def func(v, win):
        valid = np.isfinite(v)
        k1 = _counts(valid, offs)                       # ring-1 region
        unit1 = valid[1:-1, 1:-1] & (k1 > 0)
        z1 = np.where(unit1, v[1:-1, 1:-1] - mean, 0.0)
        unit, k, z = unit1[1:-1, 1:-1], k1[1:-1, 1:-1], z1[1:-1, 1:-1]
        lsum = _neighbour_sum(z1, offs)[unit]
        zu, ku = z[unit], k[unit].astype(np.float64)
        acc["m2"] += float((zu * zu).sum())
        acc["m4"] += float((zu ** 4).sum())
        if t == "r":
            acc["cross"] += float((zu * (lsum / ku)).sum())
            acc["s0"] += float(zu.size)
            inv1 = np.where(unit1, 1.0 / np.maximum(k1, 1), 0.0)
            inv = inv1[1:-1, 1:-1]
            s1 = np.zeros(unit.shape)
            col = np.zeros(unit.shape)
            for dr, dc in offs:
                nb = _shifted(inv1, dr, dc)
                s1 += np.where(nb > 0, (inv + nb) ** 2, 0.0)
                col += nb
            acc["s1"] += 0.5 * float(s1[unit].sum())
            acc["s2"] += float(((1.0 + col[unit]) ** 2).sum())
        else:
            acc["cross"] += float((zu * lsum).sum())
            acc["s0"] += float(ku.sum())
            acc["s1"] += 2.0 * float(ku.sum())
            acc["s2"] += 4.0 * float((ku * ku).sum())

    _stream(stack, bi, 2, func, progress.scaled(30 if r else 50, 60 if r else 100),
            memory_mb, work_bytes=200)
    res = Moran(**_moran_moments(p1.n, acc["s0"], acc["s1"], acc["s2"], acc["m2"],
                                 acc["m4"], acc["cross"]),
                n=p1.n, islands=p1.islands, n_missing=p1.n_missing, permutations=r,
                transform=t)
    if r:
        res.seed = _resolve_seed(seed)
        _raster_moran_permutations(stack, bi, contiguity, t, res, progress.scaled(60, 100))
    return res


def _raster_moran_permutations(stack, bi, contiguity, t, res, progress):
    """p_sim of a raster's Moran's I, whole band in memory: the units and
    links of :func:`moran` on ``grid_weights`` of the grid, so the same seed
    gives the same permutations and p_sim as the vector path."""
    from .weights import grid_weights
    g = stack.grid
    v = _read_halo(stack, bi, 0, 0, g.cols, g.rows, 0)
    x, keep, b, _, _ = _prepare(v.ravel(), grid_weights(g.rows, g.cols, contiguity,
                                                         np.isfinite(v)), "Moran's I")
    del v
    y = x[keep]
    del x, keep
    z = y - y.mean()
    s0 = float(transform_weights(b, t).sum())
    cross = moran_permutations(z, b, t, res.permutations, res.seed, progress)
    _moran_sim_from(res, cross, res.n / s0 / float(z @ z))


def _output_specs(outputs, floats, classes, allowed):
    from .io import OutputSpec, StackError
    unknown = {k for k, v in outputs.items() if v} - set(allowed)
    if unknown:
        raise StackError(N_("unknown output(s) {}; choose from {}"),
                         ', '.join(sorted(unknown)), ', '.join(allowed))
    specs = {}
    for key, desc in floats.items():
        if outputs.get(key):
            specs[key] = OutputSpec(outputs[key], descriptions=[desc])
    for key, desc in classes.items():
        if outputs.get(key):
            specs[key] = OutputSpec(outputs[key], dtype="int8", nodata=NODATA_CLASS,
                                    descriptions=[desc])
    if not specs:
        raise StackError(N_("no output was asked for"))
    return specs


def lisa_rasters(stack, outputs, contiguity="queen", transform="r", permutations=999,
                 seed=None, alpha=0.05, fdr=False, band=1, pool_mb=None, progress=None,
                 memory_mb=256):
    """Local Moran (LISA) of one band of a raster, streamed (methods.md 10).

    ``outputs`` maps any of ``Is`` (float32), ``q`` (esda quadrant 1 HH, 2
    LH, 3 LL, 4 HL; int8), ``p_sim``, ``z_sim`` (float32) and ``cluster``
    (GeoDa codes 0 not significant, 1 HH, 2 LL, 3 LH, 4 HL at ``alpha``;
    int8) to GeoTIFF paths. With ``fdr`` the cluster map uses exact
    Benjamini-Hochberg q-values of all p_sim (p_sim takes R + 1 values, so
    the q-values come from a histogram of the permutation counts: one more
    pass over the written p_sim and q rasters).

    Passes: 1. units, n, mean, variance (1-pixel halo); 2. when permuting,
    the pool of the z values of all units in row-major order; 3. I_i, q and
    the conditional permutations, written. Each pixel's neighbour values are
    drawn from ALL other units of the raster, as esda draws from the n - 1
    other units; the pool holds them (as float32, see
    :func:`conditional_permutations`) when n * 4 bytes fit in ``pool_mb``
    (default ``memory_mb``: 256 MB hold 67 million units, an 8000 x 8000
    raster). Beyond that the pool is a uniform random sample of about
    pool_mb / 4 units (each unit kept with probability pool / n by a seeded hash of its
    rank; the pixel itself is left out when it is in the sample; the sample
    order follows the windows, so sampled results also depend on
    ``memory_mb``); ``RasterInfo.sampled`` says so. Random streams are keyed by the
    row-major rank of each unit, so the outputs equal
    :func:`local_moran` on ``grid_weights`` of the same grid with the same
    seed, for any window size and number of threads.

    Permutations run only when p_sim, z_sim or cluster is asked for.
    Returns (name -> path, :class:`RasterInfo`).
    """
    from .io import OutputSpec, RasterStack, StackError
    from .progress import as_progress
    progress = as_progress(progress)
    t = _check_transform(transform)
    r = _check_permutations(permutations)
    bi = _band(stack, band)
    offs = offsets(contiguity)
    outputs = {k: v for k, v in outputs.items() if v}
    specs = _output_specs(outputs, {"Is": "local Moran I", "p_sim": "pseudo p-value",
                                    "z_sim": "z of I in the permutations"},
                          {"q": "quadrant", "cluster": "LISA cluster"},
                          ("Is", "q", "p_sim", "z_sim", "cluster"))
    need_perm = any(k in specs for k in ("p_sim", "z_sim", "cluster"))
    if need_perm and not r:
        raise StackError(N_("p_sim, z_sim and the cluster map need permutations (e.g. 999)"))
    if not need_perm:
        r = 0                       # Is and q only: no permutation work
    cut = (0, 10, 20, 90 if fdr and "cluster" in specs else 100)
    p1 = _pass1(stack, bi, contiguity, "Local Moran", progress.scaled(cut[0], cut[1]),
                memory_mb)
    n, mean = p1.n, p1.mean
    seed = _resolve_seed(seed) if r else None
    info = RasterInfo(n, p1.islands.size, p1.islands, mean, p1.std, contiguity,
                      n_missing=p1.n_missing, permutations=r, seed=seed)
    frac = None                     # fraction of units in a sampled pool
    cursor = [0, 0, 0]              # pool filled (pass 2) / met (pass 3), units done
    if r:
        budget = (memory_mb if pool_mb is None else pool_mb) * 2**20
        if n * 4 <= budget:
            pool = np.empty(n, dtype=np.float32)
        else:
            size = max(int(budget // 4), 1000)
            frac = size / n
            pool = np.empty(int(size + 6 * math.sqrt(size) + 16), dtype=np.float32)
        sbase = _seed_base(seed ^ 0x5DEECE66D)

        def in_sample(rk):
            u = _mix_py(sbase + rk.astype(np.uint64) * _GOLDEN) >> _S11
            return u.astype(np.float64) * _INV53 < frac

        def fill(v, win):
            valid = np.isfinite(v)
            unit = valid[1:-1, 1:-1] & (_counts(valid, offs) > 0)
            rk = p1.ranks(unit, win)
            zz = v[1:-1, 1:-1][unit] - mean
            if frac is None:
                pool[rk] = zz
            else:
                zz = zz[in_sample(rk)][:pool.size - cursor[0]]
                pool[cursor[0]:cursor[0] + zz.size] = zz
                cursor[0] += zz.size

        _stream(stack, bi, 1, fill, progress.scaled(cut[1], cut[2]), memory_mb)
        if frac is not None:
            pool = pool[:cursor[0]]
        info.pool, info.sampled = pool.size, frac is not None
    scaling = (n - 1) / p1.m2
    rstd = t == "r"
    counts = np.zeros(r // 2 + 1, dtype=np.int64) if r else None
    want_fdr = fdr and "cluster" in specs
    main_specs = dict(specs)
    scratch = {}                # what the FDR class pass reads back: (dtype, nodata)
    if want_fdr:
        main_specs.pop("cluster")
        scratch = {key: kind for key, kind in (("p_sim", ("float32", -9999.0)),
                                               ("q", ("int8", NODATA_CLASS)))
                   if key not in main_specs}

    def func(v, win):
        unit, z, ku, lag, zs, is_ = local_moran_window(v, offs, mean, scaling, rstd)
        shape = unit.shape
        res = {}
        if "Is" in main_specs:
            res["Is"] = _scatter(is_, unit, shape)
        qq = quadrant(z, lag)
        if "q" in main_specs or "cluster" in main_specs:
            res["q"] = _scatter(qq, unit, shape, NODATA_CLASS, np.int8)
        if r:
            rk = p1.ranks(unit, win)
            if frac is None:
                self_idx = rk
            else:                   # same selection and order as in fill()
                sel = in_sample(rk)
                self_idx = np.where(sel, cursor[1] + np.cumsum(sel) - 1, -1)
                self_idx[self_idx >= pool.size] = -1
                cursor[1] += int(sel.sum())
            larger, s1, s2 = _permute_chunked(pool, self_idx, zs, ku, rstd, is_, rk, seed, r,
                                              perm_progress, cursor[2], n)
            cursor[2] += zs.size
            p, zsim, _ = _sim_fields(is_, larger, s1, s2, r)
            if want_fdr:
                counts[:] += np.bincount(np.minimum(larger, r - larger),
                                         minlength=counts.size)
            res["p_sim"] = _scatter(p, unit, shape)
            res["z_sim"] = _scatter(zsim, unit, shape)
            if "cluster" in main_specs:
                res["cluster"] = _scatter(cluster_class(qq, p, alpha), unit, shape,
                                          NODATA_CLASS, np.int8)
        return res

    perm_progress = progress.scaled(cut[2], cut[3]) if r else None
    with passes(folder_of(outputs), scratch) as tmp:     # one set of outputs
        for key, path in tmp.items():
            main_specs[key] = OutputSpec(path, dtype=scratch[key][0], nodata=scratch[key][1])
        done = _stream(stack, bi, 1, func, progress.scaled(cut[2], cut[3]), memory_mb,
                       work_bytes=240, specs=main_specs, report=not r)
        if want_fdr:
            qtable = _bh_table(counts, r)
            ps = RasterStack(readable(done["p_sim"]), name="p_sim")
            qs = RasterStack(readable(done["q"]), name="quadrants")

            def klass(p, win):
                quad = qs.read(*win)[0]
                ok = np.isfinite(p)
                m = np.where(ok, np.rint(np.where(ok, p, 1.0) * (r + 1)) - 1, 0)
                m = m.astype(np.int64)
                qv = np.where(ok, qtable[np.clip(m, 0, qtable.size - 1)], np.nan)
                quad = np.where(np.isfinite(quad), quad, NODATA_CLASS)
                return {"cluster": cluster_class(quad, qv, alpha)}

            done.update(_stream(ps, 0, 0, klass, progress.scaled(90, 100), memory_mb,
                                specs={"cluster": specs["cluster"]}))
    return {k: done[k] for k in specs}, info


def _bh_table(counts, r):
    """Exact Benjamini-Hochberg q-value of p = (m + 1)/(r + 1) for every
    folded count m, from the number of units with each m."""
    m_total = counts.sum()
    p = (np.arange(counts.size) + 1.0) / (r + 1.0)
    cum = np.cumsum(counts)
    with np.errstate(invalid="ignore", divide="ignore"):
        val = np.where(counts > 0, m_total * p / cum, np.inf)
    q = np.minimum.accumulate(val[::-1])[::-1]
    return np.minimum(q, 1.0)


def _scatter(vals, unit, shape, fill=np.nan, dtype=np.float64):
    out = np.full(shape, fill, dtype=dtype)
    out[unit] = vals
    return out


def getis_ord_rasters(stack, outputs, contiguity="queen", fdr=False, band=1,
                      progress=None, memory_mb=256):
    """Getis-Ord Gi* hot and cold spots of one band of a raster, streamed
    (methods.md 10). Binary contiguity among valid pixels with w_ii = 1;
    pixels without a valid neighbour are islands (left out, reported).

    ``outputs`` maps any of ``z`` (Gi* z-score), ``p`` (two-sided normal)
    and ``class`` (:func:`hotspot_class`: +-3 99 %, +-2 95 %, +-1 90 %, 0)
    to paths. With ``fdr`` the classes use Benjamini-Hochberg q-values of all
    pixels' p (a histogram of the p written in pass 2, then one more pass;
    see :mod:`carbonsink.core.fdr`). Pass 1: n, mean, standard deviation;
    pass 2: z and p. Equals :func:`getis_ord` on ``grid_weights``.
    Returns (name -> path, :class:`RasterInfo`).
    """
    from .io import OutputSpec, RasterStack
    from .progress import as_progress
    progress = as_progress(progress)
    bi = _band(stack, band)
    offs = offsets(contiguity)
    outputs = {k: v for k, v in outputs.items() if v}
    specs = _output_specs(outputs, {"z": "Gi* z-score", "p": "p-value"},
                          {"class": "hot/cold spot"}, ("z", "p", "class"))
    want_fdr = fdr and "class" in specs
    p1 = _pass1(stack, bi, contiguity, "Getis-Ord Gi*", progress.scaled(0, 30), memory_mb)
    n, mean, sd = p1.n, p1.mean, p1.std
    info = RasterInfo(n, p1.islands.size, p1.islands, mean, sd, contiguity,
                      n_missing=p1.n_missing)
    main_specs = dict(specs)
    hist = PValueHistogram() if want_fdr else None
    scratch = []                # what the FDR class pass reads back
    if want_fdr:
        main_specs.pop("class")
        scratch = [key for key in ("z", "p") if key not in main_specs]

    def func(v, win):
        unit, g, p = gistar_window(v, offs, mean, n, sd)
        if hist is not None:
            hist.add(p)
        return {"z": _scatter(g, unit, unit.shape), "p": _scatter(p, unit, unit.shape),
                "class": _scatter(hotspot_class(g, p), unit, unit.shape, NODATA_CLASS,
                                  np.int8)}

    with passes(folder_of(outputs), scratch) as tmp:     # one set of outputs
        main_specs.update({key: OutputSpec(path) for key, path in tmp.items()})
        done = _stream(stack, bi, 1, func, progress.scaled(30, 85 if want_fdr else 100),
                       memory_mb, work_bytes=200, specs=main_specs)
        if want_fdr:
            zs = RasterStack(readable(done["z"]), name="z")
            ps = RasterStack(readable(done["p"]), name="p")

            def klass(p, win):
                return {"class": hotspot_class(zs.read(*win)[0], hist.q(p))}

            done.update(_stream(ps, 0, 0, klass, progress.scaled(85, 100), memory_mb,
                                specs={"class": specs["class"]}))
    return {k: done[k] for k in specs}, info
