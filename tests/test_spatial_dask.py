"""Raster Moran's I, LISA and Gi* on dask arrays (core/spatial_dask.py, issue 8):
same numbers as the numpy functions on grid_weights and as the streamed raster
functions, for any chunking; permutation p-values identical across chunkings."""
import subprocess
import sys

import numpy as np
import pytest

from carbonsink.core import spatial as sp
from carbonsink.core.weights import grid_weights

da = pytest.importorskip("dask.array")
import dask

from carbonsink.core import spatial_dask as sd

CHUNKS = [(60, 70), (20, 30), (17, 23)]
MORAN_FIELDS = ("I", "EI", "VI_norm", "z_norm", "p_norm", "VI_rand", "z_rand", "p_rand",
                "s0", "s1", "s2")


@pytest.fixture(scope="module")
def raster():
    """60 x 70 autocorrelated raster (float32-exact, so a GeoTIFF holds it as
    is), ~8 % NaN holes, a NaN block and an island at (11, 11)."""
    rng = np.random.default_rng(42)
    a = rng.normal(size=(60, 70)).cumsum(axis=1) + rng.normal(size=(60, 70))
    a = a.astype(np.float32).astype(np.float64)
    a[rng.random(a.shape) < 0.08] = np.nan
    a[10:13, 10:13] = np.nan
    a[11, 11] = 3.5                                   # island (rook and queen)
    a[40:46, 50:58] = np.nan
    return a


def _w(a, contiguity):
    return grid_weights(*a.shape, contiguity, valid=np.isfinite(a))


def test_import_does_not_import_dask():
    code = ("import sys, carbonsink.core.spatial_dask; "
            "sys.exit(1 if 'dask' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize("contiguity", ["queen", "rook"])
@pytest.mark.parametrize("transform", ["r", "b"])
def test_moran_matches_numpy(raster, contiguity, transform):
    ref = sp.moran(raster.ravel(), _w(raster, contiguity), transform=transform)
    assert 11 * 70 + 11 in ref.islands
    for ch in CHUNKS:
        m = sd.moran_dask(da.from_array(raster, chunks=ch), contiguity, transform)
        for f in MORAN_FIELDS:
            assert getattr(m, f) == pytest.approx(getattr(ref, f), rel=1e-12, abs=1e-10), f
        assert m.n == ref.n and m.n_missing == ref.n_missing
        np.testing.assert_array_equal(m.islands, ref.islands)
        assert m.permutations == 0 and np.isnan(m.p_sim)


def test_moran_matches_raster(raster, tmp_path):
    from helpers import write_tif

    from carbonsink.core.io import RasterStack
    tif = write_tif(tmp_path / "a.tif", raster)
    for t in "rb":
        ras = sp.moran_raster(RasterStack(tif), contiguity="queen", transform=t)
        m = sd.moran_dask(da.from_array(raster, chunks=(17, 23)), "queen", t)
        for f in MORAN_FIELDS:
            assert getattr(m, f) == pytest.approx(getattr(ras, f), rel=1e-12, abs=1e-10), f
        np.testing.assert_array_equal(m.islands, ras.islands)


@pytest.mark.parametrize("contiguity", ["queen", "rook"])
@pytest.mark.parametrize("transform", ["r", "b"])
def test_local_moran_matches_numpy_bit_for_bit(raster, contiguity, transform):
    ref = sp.local_moran(raster.ravel(), _w(raster, contiguity), permutations=199, seed=11,
                         transform=transform)
    for ch in CHUNKS:
        lm = sd.local_moran_dask(da.from_array(raster, chunks=ch), contiguity, transform,
                                 permutations=199, seed=11)
        assert lm.Is.chunks == da.from_array(raster, chunks=ch).chunks
        is_, q, p, zs, pz = dask.compute(lm.Is, lm.q, lm.p_sim, lm.z_sim, lm.p_z_sim)
        assert q.dtype == np.int8
        np.testing.assert_allclose(is_.ravel(), ref.Is, rtol=0, atol=1e-10)
        np.testing.assert_array_equal(is_.ravel(), ref.Is)        # in fact bit for bit
        np.testing.assert_array_equal(q.ravel(), ref.q)
        np.testing.assert_array_equal(p.ravel(), ref.p_sim)
        np.testing.assert_array_equal(zs.ravel(), ref.z_sim)
        np.testing.assert_array_equal(pz.ravel(), ref.p_z_sim)
        assert lm.n == ref.n and lm.seed == 11
        np.testing.assert_array_equal(lm.islands, ref.islands)


def test_local_moran_numpy_path_same_numbers(raster, path):
    """numba and numpy permutation kernels: identical p_sim, any chunking."""
    ref = sp.local_moran(raster.ravel(), _w(raster, "queen"), permutations=49, seed=5)
    lm = sd.local_moran_dask(da.from_array(raster, chunks=(17, 23)), permutations=49, seed=5)
    np.testing.assert_array_equal(lm.p_sim.compute().ravel(), ref.p_sim)


def test_local_moran_distributed_scheduler(raster):
    """The shared pool and rank table travel to worker processes (one key each)."""
    distributed = pytest.importorskip("dask.distributed")
    ref = sp.local_moran(raster.ravel(), _w(raster, "queen"), permutations=49, seed=2)
    with distributed.Client(n_workers=2, threads_per_worker=1, processes=True,
                            dashboard_address=":0"):
        lm = sd.local_moran_dask(da.from_array(raster, chunks=(20, 30)), permutations=49,
                                 seed=2)
        p, q = dask.compute(lm.p_sim, lm.q)
    np.testing.assert_array_equal(p.ravel(), ref.p_sim)
    np.testing.assert_array_equal(q.ravel(), ref.q)


def test_local_moran_without_permutations(raster):
    ref = sp.local_moran(raster.ravel(), _w(raster, "rook"), permutations=0)
    for ch in CHUNKS:
        lm = sd.local_moran_dask(da.from_array(raster, chunks=ch), "rook", permutations=0)
        is_, q, p = dask.compute(lm.Is, lm.q, lm.p_sim)
        np.testing.assert_allclose(is_.ravel(), ref.Is, rtol=0, atol=1e-10)
        np.testing.assert_array_equal(q.ravel(), ref.q)
        assert np.isnan(p).all() and lm.seed is None


def test_local_moran_matches_lisa_rasters(raster, tmp_path):
    from helpers import read_tif, write_tif

    from carbonsink.core.io import RasterStack
    tif = write_tif(tmp_path / "a.tif", raster)
    out = {k: str(tmp_path / f"{k}.tif") for k in ("Is", "q", "p_sim")}
    paths, info = sp.lisa_rasters(RasterStack(tif), out, permutations=99, seed=7)
    lm = sd.local_moran_dask(da.from_array(raster, chunks=(17, 23)), permutations=99, seed=7)
    is_, q, p = dask.compute(lm.Is, lm.q, lm.p_sim)
    assert lm.n == info.n
    np.testing.assert_array_equal(lm.islands, info.islands)
    np.testing.assert_allclose(read_tif(paths["Is"])[0], is_.astype(np.float32),
                               rtol=1e-6, atol=1e-7)
    qr = read_tif(paths["q"])[0]
    np.testing.assert_array_equal(np.where(np.isnan(qr), sp.NODATA_CLASS, qr), q)
    np.testing.assert_array_equal(read_tif(paths["p_sim"])[0], p.astype(np.float32))


@pytest.mark.parametrize("contiguity", ["queen", "rook"])
def test_getis_ord_matches_numpy(raster, contiguity):
    ref = sp.getis_ord(raster.ravel(), _w(raster, contiguity))
    for ch in CHUNKS:
        g = sd.getis_ord_dask(da.from_array(raster, chunks=ch), contiguity)
        z, p = dask.compute(g.z, g.pvalue)
        np.testing.assert_array_equal(np.isnan(z.ravel()), np.isnan(ref.z))
        np.testing.assert_allclose(z.ravel(), ref.z, rtol=0, atol=1e-10)
        np.testing.assert_allclose(p.ravel(), ref.pvalue, rtol=0, atol=1e-10)
        assert g.n == ref.n
        np.testing.assert_array_equal(g.islands, ref.islands)


def test_getis_ord_matches_raster(raster, tmp_path):
    from helpers import read_tif, write_tif

    from carbonsink.core.io import RasterStack
    tif = write_tif(tmp_path / "a.tif", raster)
    paths, _ = sp.getis_ord_rasters(RasterStack(tif), {"z": str(tmp_path / "z.tif")},
                                       contiguity="rook")
    g = sd.getis_ord_dask(da.from_array(raster, chunks=(20, 30)), "rook")
    np.testing.assert_allclose(read_tif(paths["z"])[0], g.z.compute().astype(np.float32),
                               rtol=1e-6, atol=1e-6)


def test_numpy_input_and_errors():
    a = np.arange(20.0).reshape(4, 5)
    m = sd.moran_dask(a)                               # numpy is wrapped
    assert m.n == 20
    with pytest.raises(ValueError, match="same value"):
        sd.getis_ord_dask(da.ones((6, 6), chunks=3))
    with pytest.raises(ValueError, match="at least 3"):
        b = np.full((5, 5), np.nan)
        b[0, 0] = b[4, 4] = 1.0
        sd.local_moran_dask(da.from_array(b, chunks=2))
    with pytest.raises(ValueError, match="2-D"):
        sd.moran_dask(da.ones(5, chunks=2))
    with pytest.raises(ValueError, match="transform"):
        sd.moran_dask(a, transform="x")
