"""Spatial autocorrelation (methods.md 10) against PySAL esda / libpysal.

Weights: our polygon contiguity, k nearest neighbours, distance band and grid
contiguity equal libpysal's. Statistics: global Moran, local Moran (I_i and
quadrants exactly; permutation p-values within Monte-Carlo error) and
Getis-Ord Gi* equal esda on the Columbus data shipped with libpysal. Rasters:
the streamed functions equal the array functions on the same grid as a
vector layer, with NaN holes, islands and several window layouts.
"""
import os
import tracemalloc
import warnings

import numpy as np
import pytest
from helpers import read_tif, write_tif
from scipy import ndimage, sparse

import carbonsink.core as cs
from carbonsink.core import permutations as perm
from carbonsink.core import spatial as sp
from carbonsink.core import weights as wt
from carbonsink.core.fdr import fdr_bh
from carbonsink.core.io import RasterStack

esda = pytest.importorskip("esda")
libpysal = pytest.importorskip("libpysal")

pytestmark = [pytest.mark.filterwarnings("ignore::FutureWarning"),
              pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::UserWarning")]

SHP = libpysal.examples.get_path("columbus.shp")


@pytest.fixture(scope="module")
def columbus():
    geoms, _ = wt.read_ogr_geometries(SHP)
    db = libpysal.io.open(libpysal.examples.get_path("columbus.dbf"))
    cols = {c: np.array(db.by_col(c), dtype=np.float64)
            for c in ("CRIME", "HOVAL", "OPEN", "INC", "X", "Y")}
    db.close()
    return geoms, cols


def lp_weights(kind="queen"):
    """A fresh libpysal W (esda changes its transform in place)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cls = libpysal.weights.Queen if kind == "queen" else libpysal.weights.Rook
        return cls.from_shapefile(SHP)


def lp_from_sparse(m):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return libpysal.weights.W.from_sparse(sparse.csr_matrix(m))


def f32(v):
    """Values as stored in a float32 GeoTIFF."""
    return np.asarray(v).astype(np.float32).astype(np.float64)


def mc_bound(p, r1, r2, sigmas=4.0):
    """Allowed |p1 - p2| of two independent permutation p-values."""
    p = np.clip(p, 1.0 / min(r1, r2), 1.0)
    return sigmas * np.sqrt(p * (1 - p) * (1.0 / r1 + 1.0 / r2)) + 1.0 / min(r1, r2)


def field(rows=60, cols=70, seed=0, nan_frac=0.25, sigma=2.0):
    """Spatially autocorrelated field with NaN holes, a lake and an island."""
    rng = np.random.default_rng(seed)
    a = ndimage.gaussian_filter(rng.normal(size=(rows, cols)), sigma) * 10 + 50
    a[rng.random(a.shape) < nan_frac] = np.nan
    a[rows // 3:rows // 3 + 8, cols // 4:cols // 4 + 10] = np.nan
    a[rows // 3 + 4, cols // 4 + 5] = 7.0           # island in the lake
    return a.astype(np.float32).astype(np.float64)  # exactly what the GeoTIFF stores


# ------------------------------------------------------------------ weights

@pytest.mark.parametrize("kind", ["queen", "rook"])
def test_polygon_contiguity_equals_libpysal(columbus, kind):
    geoms, _ = columbus
    ours = wt.contiguity_weights(geoms, kind)
    ref = lp_weights(kind).sparse
    assert ours.shape == (49, 49)
    assert (ours != ref).nnz == 0
    assert ours.nnz == {"queen": 236, "rook": 200}[kind]


def test_queen_equals_columbus_gal(columbus):
    gal = libpysal.io.open(libpysal.examples.get_path("columbus.gal")).read()
    ref = np.zeros((49, 49))
    for i, nbs in gal.neighbors.items():
        for j in nbs:
            ref[int(i) - 1, int(j) - 1] = 1
    ours = wt.contiguity_weights(columbus[0], "queen").toarray()
    np.testing.assert_array_equal(ours, ref)


def test_contiguity_from_wkb_wkt_none_and_tolerance(columbus):
    geoms = columbus[0]
    ref = wt.contiguity_weights(geoms, "rook")
    wkb = [bytes(g.ExportToWkb()) for g in geoms]
    wkt = [g.ExportToWkt() for g in geoms]
    assert (wt.contiguity_weights(wkb, "rook") != ref).nnz == 0
    assert (wt.contiguity_weights(wkt, "rook") != ref).nnz == 0
    # a missing geometry is an island (empty row), the others are unchanged
    w = wt.contiguity_weights([None] + geoms[1:], "queen")
    assert list(wt.islands(w)) == [0]
    # boundaries that differ by 1e-9: no contact without a tolerance
    from osgeo import ogr
    a = ogr.CreateGeometryFromWkt("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")
    b = ogr.CreateGeometryFromWkt("POLYGON ((1.000000001 0, 2 0, 2 1, 1.000000001 1, "
                                  "1.000000001 0))")
    assert wt.contiguity_weights([a, b], "rook").nnz == 0
    assert wt.contiguity_weights([a, b], "rook", tolerance=1e-6).nnz == 2


@pytest.mark.parametrize("kind", ["queen", "rook"])
def test_contiguity_of_squares_equals_grid(kind):
    from osgeo import ogr
    rows, cols = 6, 5
    geoms = []
    for r in range(rows):
        for c in range(cols):
            x, y = float(c), float(rows - r)       # row-major order, north up
            geoms.append(ogr.CreateGeometryFromWkt(
                f"POLYGON (({x} {y}, {x + 1} {y}, {x + 1} {y - 1}, {x} {y - 1}, {x} {y}))"))
    ours = wt.contiguity_weights(geoms, kind)
    assert (ours != wt.grid_weights(rows, cols, kind)).nnz == 0
    # a multipolygon made of two far apart cells touches the neighbours of both
    mp = ogr.Geometry(ogr.wkbMultiPolygon)
    mp.AddGeometry(geoms[0])
    mp.AddGeometry(geoms[-1])
    w = wt.contiguity_weights([mp] + geoms[1:-1], kind)
    assert w[0, 1] == 1 and w[0, cols] == 1 and w[0, len(geoms) - 2] == 1


@pytest.mark.parametrize("rook", [True, False])
def test_grid_weights_equal_lat2w(rook):
    ref = libpysal.weights.lat2W(7, 9, rook=rook).sparse
    ours = wt.grid_weights(7, 9, "rook" if rook else "queen")
    assert (ours != ref).nnz == 0
    valid = np.ones((7, 9), dtype=bool)
    valid[3, 4] = False
    w = wt.grid_weights(7, 9, "queen", valid)
    assert w[3 * 9 + 4].nnz == 0 and w[:, 3 * 9 + 4].nnz == 0


def test_knn_and_distance_band_equal_libpysal(columbus):
    xy = np.c_[columbus[1]["X"], columbus[1]["Y"]]
    for k in (1, 4, 8):
        ref = libpysal.weights.KNN.from_array(xy, k=k).sparse
        assert (wt.knn_weights(xy, k) != ref).nnz == 0
    # duplicate points: never the point itself; ties at distance 0 may pick a
    # different twin than libpysal, so compare the neighbour distances
    dup = np.vstack([xy, xy[:3]])
    ours, ref = wt.knn_weights(dup, 3), libpysal.weights.KNN.from_array(dup, k=3).sparse
    assert ours.diagonal().sum() == 0

    def dists(m):
        c = m.tocoo()
        d = np.hypot(*(dup[c.row] - dup[c.col]).T)
        return np.sort(d.reshape(len(dup), 3), axis=1)
    np.testing.assert_allclose(dists(ours), dists(ref))
    for thr in (2.0, 5.0):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = libpysal.weights.DistanceBand.from_array(xy, threshold=thr, binary=True)
        assert (wt.distance_band_weights(xy, thr) != ref.sparse).nnz == 0
    with pytest.raises(ValueError, match="k must be"):
        wt.knn_weights(xy, 49)


def test_binary_weights_drop_diagonal_and_values():
    m = sparse.csr_matrix(np.array([[5.0, 0.2, 0], [0.3, 1, 0], [0, 7, 0]]))
    b = wt.binary_weights(m)
    np.testing.assert_array_equal(b.toarray(), [[0, 1, 0], [1, 0, 0], [0, 1, 0]])
    # binary and canonical already: the self links still go, a clean one is copied
    ones = sparse.csr_matrix(np.array([[1.0, 1, 0], [1, 0, 1], [0, 1, 1]]))
    assert ones.has_canonical_format
    clean = wt.binary_weights(ones)
    np.testing.assert_array_equal(clean.toarray(), [[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    again = wt.binary_weights(clean)
    assert again is not clean and again.data is not clean.data and (again != clean).nnz == 0
    with pytest.raises(ValueError, match="square"):
        wt.binary_weights(sparse.csr_matrix((2, 3)))


# -------------------------------------------------------------- global Moran

MORAN_FIELDS = ("I", "EI", "VI_norm", "z_norm", "p_norm", "VI_rand", "z_rand", "p_rand")


@pytest.mark.parametrize("transform", ["r", "b"])
@pytest.mark.parametrize("kind", ["queen", "rook"])
def test_moran_equals_esda(columbus, transform, kind):
    geoms, cols = columbus
    w = wt.contiguity_weights(geoms, kind)
    for var in ("CRIME", "HOVAL", "OPEN"):
        ours = sp.moran(cols[var], w, transform=transform)
        ref = esda.Moran(cols[var], lp_weights(kind), transformation=transform.upper(),
                         permutations=0)
        for f in MORAN_FIELDS:
            assert getattr(ours, f) == pytest.approx(getattr(ref, f), rel=1e-10, abs=1e-15), f
        assert ours.n == 49 and ours.islands.size == 0
    # published value (esda docs): Moran's I of CRIME, queen, row-standardised
    if kind == "queen" and transform == "r":
        assert sp.moran(cols["CRIME"], w).I == pytest.approx(0.500188557, abs=1e-9)


@pytest.mark.parametrize("var", ["HOVAL", "OPEN"])
def test_moran_p_sim_matches_esda_statistically(columbus, var):
    geoms, cols = columbus
    r = 9999
    ours = sp.moran(cols[var], wt.contiguity_weights(geoms, "queen"), permutations=r, seed=4)
    np.random.seed(12345)
    ref = esda.Moran(cols[var], lp_weights(), permutations=r)
    assert abs(ours.p_sim - ref.p_sim) <= mc_bound(ref.p_sim, r, r)
    assert ours.EI_sim == pytest.approx(ref.EI_sim, abs=0.005)
    assert ours.z_sim == pytest.approx(ref.z_sim, abs=0.15)
    # p_sim = (min(M, R - M) + 1)/(R + 1): a multiple of 1/(R + 1), at most 1/2
    assert (ours.p_sim * (r + 1)) == pytest.approx(round(ours.p_sim * (r + 1)))
    assert ours.p_sim <= 0.5


def test_asymmetric_knn_weights_equal_esda(columbus):
    cols = columbus[1]
    xy = np.c_[cols["X"], cols["Y"]]
    w = wt.knn_weights(xy, 4)
    for t in ("r", "b"):
        ours = sp.moran(cols["CRIME"], w, transform=t)
        ref = esda.Moran(cols["CRIME"], libpysal.weights.KNN.from_array(xy, k=4),
                         transformation=t.upper(), permutations=0)
        for f in MORAN_FIELDS:
            assert getattr(ours, f) == pytest.approx(getattr(ref, f), rel=1e-10, abs=1e-15), f
        loc = sp.local_moran(cols["CRIME"], w, permutations=0, transform=t)
        ref = esda.Moran_Local(cols["CRIME"], libpysal.weights.KNN.from_array(xy, k=4),
                               transformation=t.upper(), permutations=0)
        np.testing.assert_allclose(loc.Is, ref.Is, rtol=1e-10, atol=1e-14)
        np.testing.assert_array_equal(loc.q, ref.q)


def test_moran_seed_is_reproducible(columbus):
    geoms, cols = columbus
    w = wt.contiguity_weights(geoms, "queen")
    a = sp.moran(cols["OPEN"], w, permutations=499, seed=1)
    b = sp.moran(cols["OPEN"], w, permutations=499, seed=1)
    c = sp.moran(cols["OPEN"], w, permutations=499, seed=2)
    assert (a.p_sim, a.z_sim) == (b.p_sim, b.z_sim)
    assert a.z_sim != c.z_sim
    d = sp.moran(cols["OPEN"], w, permutations=99)
    assert isinstance(d.seed, int)
    assert sp.moran(cols["OPEN"], w, permutations=99, seed=d.seed).p_sim == d.p_sim
    assert np.isnan(sp.moran(cols["OPEN"], w).p_sim)



def _shuffle_reference(z, seed, p):
    """The engine's permutation p from the specification in core.spatial, one
    Python swap at a time: Fisher-Yates, j = floor(u (i + 1) / 2^64)."""
    mask, gold = (1 << 64) - 1, 0x9E3779B97F4A7C15
    state = perm._mix_int(int(perm._seed_base(seed)) + (p + 1) * gold)
    out = list(z)
    for i in range(len(out) - 1, 0, -1):
        state = (state + gold) & mask
        j = (perm._mix_int(state) * (i + 1)) >> 64
        out[i], out[j] = out[j], out[i]
    return np.array(out)


@pytest.mark.parametrize("kind", ["queen", "knn", "grid"])
def test_global_moran_permutations_numba_numpy_threads_identical(monkeypatch, columbus, kind):
    """Every I_perm equals z_p' W z_p computed by scipy on the permutation the
    specification gives, the same from numba (1 and 2 threads) and numpy
    (default and small batches, the links by scipy's sparse products and by
    ufuncs); "grid": 5600 units (several numpy batches of steps and chunks of
    links)."""
    geoms, cols = columbus
    z = cols["CRIME"]
    if kind == "queen":
        w = wt.contiguity_weights(geoms, "queen")
    elif kind == "knn":
        w = wt.knn_weights(np.c_[cols["X"], cols["Y"]], 4)
    else:
        w = wt.grid_weights(70, 80, "queen")
        z = field(70, 80, seed=8).ravel()
        z = np.where(np.isfinite(z), z, 0.5)
    z = z - z.mean()
    b = wt.binary_weights(w)
    runs = []
    if cs.HAVE_NUMBA:
        import numba
        monkeypatch.setenv("CARBONSINK_NO_NUMBA", "0")
        old = numba.get_num_threads()
        try:
            for threads in (1, 2):
                cs.set_threads(threads)
                runs.append(perm.moran_permutations(z, b, "r", 300, 17))
        finally:
            numba.set_num_threads(old)
    monkeypatch.setenv("CARBONSINK_NO_NUMBA", "1")
    runs.append(perm.moran_permutations(z, b, "r", 300, 17))
    # the numpy path in batches of 19 permutations and link chunks of 700 values
    monkeypatch.setattr(perm, "_GM_NUMPY_BYTES", 12 * len(z) * 20)
    monkeypatch.setattr(perm, "_GM_NUMPY_CHUNK", 700)
    monkeypatch.setattr(perm, "_GM_NUMPY_STEPS", 37)
    runs.append(perm.moran_permutations(z, b, "r", 300, 17))
    # the link pass in numpy ufuncs (where scipy's sparse products fuse multiply-adds)
    monkeypatch.setattr(perm, "_sparse_products_unfused", lambda: False)
    runs.append(perm.moran_permutations(z, b, "r", 300, 17))
    for other in runs[1:]:
        np.testing.assert_array_equal(other, runs[0])
    wr = wt.transform_weights(b, "r")
    for p in (0, 1, 7, 8, 127, 128, 299):
        zp = _shuffle_reference(z, 17, p)
        assert sorted(zp) == sorted(z)
        assert runs[0][p] == pytest.approx(float(zp @ (wr @ zp)), rel=1e-12, abs=1e-12)
    assert np.unique(runs[0]).size > 250        # 300 different permutations


def test_sparse_product_probe_tells_fused_from_rounded():
    """The probe's case: 1 x c + a x a with a = 1 + 2^-30, c = -(1 + 2^-29) is
    2^-60 exactly (a fused multiply-add) and 0.0 with the product rounded first
    (Python's floats, numpy's ufuncs); this machine's scipy gives the same as the ufuncs."""
    from fractions import Fraction
    a, c = 1.0 + 2.0 ** -30, -(1.0 + 2.0 ** -29)
    assert Fraction(c) + Fraction(a) * Fraction(a) == Fraction(1, 2 ** 60)
    assert c + a * a == 0.0
    assert np.add(np.multiply(a, a), c) == 0.0
    mat = sparse.csr_matrix(np.array([[c, a]]))
    x = np.array([[1.0, 1.0], [a, a]])
    assert perm._sparse_products_unfused() == bool(np.all(mat @ x == 0.0))


def test_mulhi_is_the_high_word_of_the_exact_product():
    """The shuffle's swap index floor(u m / 2^64): the compiled 128-bit multiply and
    the numpy path's 32-bit halves against Python's exact integers, edges included."""
    from carbonsink.core import _numba
    rng = np.random.default_rng(5)
    u = np.concatenate([rng.integers(0, 2**64, 2000, dtype=np.uint64),
                        np.array([0, 1, 2**64 - 1, 2**64 - 1, 2**63, 2**32 - 1, 2**32],
                                 dtype=np.uint64)])
    m = np.concatenate([rng.integers(1, 2**32, 2000, dtype=np.uint64),
                        np.array([1, 2**32 - 1, 2**32 - 1, 1, 2**31, 2**32 - 1, 3],
                                 dtype=np.uint64)])
    exact = np.array([(int(a) * int(b)) >> 64 for a, b in zip(u, m)], dtype=np.uint64)
    assert exact[-5] == 2**32 - 2 and exact.max() > 2**31
    assert np.array_equal(_numba.mulhi_halves(u, m), exact)
    inplace = u.copy()
    assert _numba.mulhi_halves(inplace, m, np.empty_like(u)) is inplace
    assert np.array_equal(inplace, exact)
    if _numba.HAVE_NUMBA:
        import numba

        @numba.njit
        def compiled(u, m):
            out = np.empty_like(u)
            for i in range(u.size):
                out[i] = _numba.mulhi(u[i], m[i])
            return out
        assert np.array_equal(compiled(u, m), exact)


def test_global_moran_permutations_are_uniform():
    """Fisher-Yates with the engine's draws: each of the 24 orders of 4 values
    about equally often (chi-square, 23 degrees of freedom, p > 1e-4), and the
    position of value 0 uniform over 10 places."""
    from scipy import stats
    b = sparse.csr_matrix(np.ones((4, 4)) - np.eye(4))
    z = np.array([1.0, 2.0, 4.0, 8.0])
    # a permutation's order shows in z_p' W z_p only up to symmetry, so test the shuffle
    seen = {}
    for p in range(4800):
        key = tuple(_shuffle_reference(z, 3, p))
        seen[key] = seen.get(key, 0) + 1
    assert len(seen) == 24
    assert stats.chisquare(list(seen.values())).pvalue > 1e-4
    pos = np.zeros(10)
    for p in range(3000):
        pos[int(np.argmin(_shuffle_reference(np.arange(10.0), 5, p)))] += 1
    assert stats.chisquare(pos).pvalue > 1e-4
    # 5000 values: where value 0 lands is uniform over 10 bands of positions
    pos = np.zeros(10)
    for p in range(1000):
        pos[int(np.argmin(_shuffle_reference(np.arange(5000.0), 6, p))) // 500] += 1
    assert stats.chisquare(pos).pvalue > 1e-4
    assert perm.moran_permutations(z - z.mean(), b, "b", 5, 1).shape == (5,)


# --------------------------------------------------------------- local Moran

@pytest.mark.parametrize("transform", ["r", "b"])
def test_local_moran_equals_esda(columbus, transform, path):
    geoms, cols = columbus
    w = wt.contiguity_weights(geoms, "queen")
    r = 9999
    for var in ("CRIME", "HOVAL"):
        ours = sp.local_moran(cols[var], w, permutations=r, seed=10, transform=transform)
        ref = esda.Moran_Local(cols[var], lp_weights(), transformation=transform.upper(),
                               permutations=r, seed=20, n_jobs=1)
        np.testing.assert_allclose(ours.Is, ref.Is, rtol=1e-10, atol=1e-14)
        np.testing.assert_array_equal(ours.q, ref.q)
        diff = np.abs(ours.p_sim - ref.p_sim)
        assert np.all(diff <= mc_bound(ref.p_sim, r, r)), diff.max()
        agree = ((ours.p_sim < 0.05) == (ref.p_sim < 0.05)).mean()
        assert agree >= 0.9
        assert np.all(np.abs(ours.z_sim - ref.z_sim) < 0.2)


def test_local_moran_p_sim_against_brute_force(columbus):
    """Independent check of the draws: R = 40000 random k-subsets of the
    other n - 1 values per unit with numpy's generator."""
    geoms, cols = columbus
    w = wt.contiguity_weights(geoms, "queen")
    y = cols["HOVAL"]
    ours = sp.local_moran(y, w, permutations=9999, seed=3)
    z = y - y.mean()
    n = y.size
    rng = np.random.default_rng(0)
    big = 40000
    for i in (0, 4, 10, 21, 33, 47):
        nbs = w[i].indices
        others = np.delete(z, i)
        sub = np.argpartition(rng.random((big, n - 1)), len(nbs), axis=1)[:, :len(nbs)]
        sims = (n - 1) * z[i] * others[sub].mean(axis=1) / (z @ z)
        larger = (sims >= ours.Is[i]).sum()
        p_ref = (min(larger, big - larger) + 1) / (big + 1)
        assert abs(ours.p_sim[i] - p_ref) <= mc_bound(p_ref, 9999, big)


def test_local_moran_numba_numpy_threads_identical(monkeypatch):
    if not cs.HAVE_NUMBA:
        pytest.skip("numba not installed")
    a = field(40, 45, seed=3)
    w = wt.grid_weights(40, 45, "queen", np.isfinite(a))
    import numba
    monkeypatch.setenv("CARBONSINK_NO_NUMBA", "0")
    runs = []
    old = numba.get_num_threads()
    try:
        for threads in (1, 2):
            cs.set_threads(threads)
            runs.append(sp.local_moran(a.ravel(), w, permutations=199, seed=5))
    finally:
        numba.set_num_threads(old)
    monkeypatch.setenv("CARBONSINK_NO_NUMBA", "1")
    runs.append(sp.local_moran(a.ravel(), w, permutations=199, seed=5))
    for other in runs[1:]:
        np.testing.assert_array_equal(other.Is, runs[0].Is)
        np.testing.assert_array_equal(other.p_sim, runs[0].p_sim)
        np.testing.assert_array_equal(other.z_sim, runs[0].z_sim)
    other_seed = sp.local_moran(a.ravel(), w, permutations=199, seed=6)
    assert not np.array_equal(other_seed.p_sim, runs[0].p_sim, equal_nan=True)


def test_local_moran_memory_does_not_grow_with_permutations(monkeypatch):
    monkeypatch.setenv("CARBONSINK_NO_NUMBA", "1")
    a = field(50, 60, seed=1)
    w = wt.grid_weights(50, 60, "rook", np.isfinite(a))
    peaks = []        # the numpy path works in blocks of at most 2^20 draws
    for r in (300, 2400):
        tracemalloc.start()
        sp.local_moran(a.ravel(), w, permutations=r, seed=1)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < 1.05 * peaks[0]


def test_islands_and_missing_values_are_left_out(columbus):
    geoms, cols = columbus
    w = wt.contiguity_weights(geoms, "queen").tolil()
    w[5, :] = 0
    w[:, 5] = 0                          # unit 5 has no neighbour: an island
    w = w.tocsr()
    y = cols["CRIME"].copy()
    y[7] = np.nan                        # unit 7 has no value
    keep = np.ones(49, dtype=bool)
    keep[[5, 7]] = False
    sub = wt.binary_weights(w)[keep][:, keep]
    g = sp.moran(y, w)
    assert list(g.islands) == [5] and g.n == 47 and g.n_missing == 1
    ref = esda.Moran(y[keep], lp_from_sparse(sub), permutations=0)
    assert g.I == pytest.approx(ref.I, rel=1e-12)
    assert g.VI_rand == pytest.approx(ref.VI_rand, rel=1e-12)
    loc = sp.local_moran(y, w, permutations=99, seed=1)
    assert np.isnan(loc.Is[[5, 7]]).all() and (loc.q[[5, 7]] == -128).all()
    assert np.isnan(loc.p_sim[[5, 7]]).all() and list(loc.islands) == [5]
    ref = esda.Moran_Local(y[keep], lp_from_sparse(sub), permutations=0)
    np.testing.assert_allclose(loc.Is[keep], ref.Is, rtol=1e-10)
    np.testing.assert_array_equal(loc.q[keep], ref.q)
    gi = sp.getis_ord(y, w)
    assert np.isnan(gi.z[[5, 7]]).all() and list(gi.islands) == [5]
    assert sp.cluster_class(loc.q, loc.p_sim)[5] == -128


def test_asymmetric_weights_drop_islands_repeatedly():
    # 0 -> 1 only; 1 has no value: 0 becomes an island; 2 <-> 3 stay
    w = sparse.csr_matrix(np.array([[0, 1, 0, 0, 0], [1, 0, 0, 0, 0], [0, 0, 0, 1, 1],
                                    [0, 0, 1, 0, 1], [0, 0, 1, 1, 0]], dtype=float))
    x = np.array([1.0, np.nan, 2.0, 5.0, 4.0])
    r = sp.local_moran(x, w, permutations=0)
    assert list(r.islands) == [0] and r.n == 3 and r.n_missing == 1


def test_constant_values_raise(columbus):
    w = wt.contiguity_weights(columbus[0], "queen")
    flat = np.full(49, 0.1)
    for func in (sp.moran, sp.local_moran, sp.getis_ord):
        with pytest.raises(ValueError, match="same value"):
            func(flat, w)
    with pytest.raises(ValueError, match="48 values for a 49 x 49"):
        sp.moran(np.arange(48.0), w)
    with pytest.raises(ValueError, match="transform"):
        sp.moran(columbus[1]["CRIME"], w, transform="x")


# ---------------------------------------------------------------- Getis-Ord

@pytest.mark.parametrize("kind", ["queen", "rook"])
def test_getis_ord_equals_esda(columbus, kind):
    geoms, cols = columbus
    w = wt.contiguity_weights(geoms, kind)
    for var in ("CRIME", "HOVAL", "INC"):
        for star in (True, False):
            ours = sp.getis_ord(cols[var], w, star=star)
            ref = esda.G_Local(cols[var], lp_weights(kind), transform="B", star=star,
                               permutations=0)
            np.testing.assert_allclose(ours.z, ref.Zs, rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(ours.pvalue, 2 * ref.p_norm, rtol=1e-9, atol=1e-15)


def test_gistar_formula_by_hand():
    # path 0 - 1 - 2 - 3 - 4; Gi* with w_ii = 1 (methods.md 10)
    x = np.array([-3.0, 1.0, 4.0, -1.0, 5.0])   # negative mean is allowed
    x = x - 10.0
    w = sparse.diags([np.ones(4), np.ones(4)], [-1, 1]).tocsr()
    n, mean = 5, x.mean()
    s = np.sqrt((x ** 2).mean() - mean ** 2)
    wb = (w + sparse.eye(5)).toarray()
    wi = wb.sum(axis=1)
    expect = (wb @ x - mean * wi) / (s * np.sqrt((n * wi - wi ** 2) / (n - 1)))
    np.testing.assert_allclose(sp.getis_ord(x, w).z, expect, rtol=1e-12)
    np.testing.assert_allclose(sp.getis_ord(x + 20.0, w).z, expect, rtol=1e-10)
    # esda divides by the mean: with a negative mean its Zs have the other sign
    ref = esda.G_Local(x, lp_from_sparse(w), transform="B", star=True, permutations=0)
    np.testing.assert_allclose(ref.Zs, -expect, rtol=1e-10)


def test_hotspot_and_cluster_classes():
    z = np.array([3.0, 2.0, 1.7, 0.5, -1.7, -2.0, -3.0, np.nan])
    p = sp._two_sided(z)
    np.testing.assert_array_equal(sp.hotspot_class(z, p), [3, 2, 1, 0, -1, -2, -3, -128])
    q = np.array([1, 2, 3, 4, 1, 3, -128], dtype=np.int8)
    ps = np.array([0.01, 0.01, 0.04, 0.001, 0.2, 0.05, np.nan])
    np.testing.assert_array_equal(sp.cluster_class(q, ps), [1, 3, 2, 4, 0, 0, -128])
    # FDR: q-values of [0.01, 0.01, 0.04, 0.001, 0.2, 0.05] are 0.02, 0.02, 0.06, ...
    np.testing.assert_allclose(fdr_bh(ps[:6])[:4], [0.02, 0.02, 0.06, 0.006])
    np.testing.assert_array_equal(sp.cluster_class(q, ps, fdr=True), [1, 3, 0, 4, 0, 0, -128])


# ------------------------------------------------------------------- rasters

@pytest.fixture(scope="module")
def grid_tif(tmp_path_factory):
    """A 270 x 300 field: with a tiny memory budget the windows are 256 x 256,
    so halos cross both window rows and window columns."""
    a = field(270, 300, seed=5, nan_frac=0.3, sigma=3.0)
    path = write_tif(tmp_path_factory.mktemp("spatial") / "field.tif", a)
    return a, path


@pytest.mark.parametrize("contiguity", ["rook", "queen"])
@pytest.mark.parametrize("transform", ["r", "b"])
def test_moran_raster_equals_vector_and_esda(grid_tif, contiguity, transform):
    a, path = grid_tif
    w = wt.grid_weights(*a.shape, contiguity, np.isfinite(a))
    vec = sp.moran(a.ravel(), w, transform=transform)
    for mem in (256, 0.001):
        ras = sp.moran_raster(RasterStack(path), contiguity=contiguity, transform=transform,
                              memory_mb=mem)
        for f in MORAN_FIELDS + ("s0", "s1", "s2"):
            assert getattr(ras, f) == pytest.approx(getattr(vec, f), rel=1e-10, abs=1e-15), f
        assert (ras.n, ras.n_missing) == (vec.n, vec.n_missing)
        np.testing.assert_array_equal(ras.islands, vec.islands)
    keep = np.ones(a.size, dtype=bool)
    keep[~np.isfinite(a.ravel())] = False
    keep[vec.islands] = False
    ref = esda.Moran(a.ravel()[keep], lp_from_sparse(w[keep][:, keep]),
                     transformation=transform.upper(), permutations=0)
    for f in MORAN_FIELDS:
        assert getattr(vec, f) == pytest.approx(getattr(ref, f), rel=1e-9, abs=1e-15), f


def test_moran_raster_permutations_equal_vector(tmp_path):
    a = field(30, 40, seed=2)
    path = write_tif(tmp_path / "small.tif", a)
    w = wt.grid_weights(30, 40, "queen", np.isfinite(a))
    ras = sp.moran_raster(RasterStack(path), permutations=199, seed=9)
    vec = sp.moran(a.ravel(), w, permutations=199, seed=9)
    assert ras.p_sim == vec.p_sim
    assert ras.z_sim == pytest.approx(vec.z_sim, rel=1e-9)
    with pytest.raises(ValueError, match="whole raster in memory"):
        sp.moran_raster(RasterStack(path), permutations=9, memory_mb=0.01)


def test_lisa_rasters_equal_vector(grid_tif, tmp_path, path):
    a, tif = grid_tif
    w = wt.grid_weights(*a.shape, "queen", np.isfinite(a))
    vec = sp.local_moran(a.ravel(), w, permutations=99, seed=7)
    for mem in (256, 0.001):
        out = {k: str(tmp_path / f"{k}_{mem}.tif") for k in ("Is", "q", "p_sim", "z_sim",
                                                            "cluster")}
        paths, info = sp.lisa_rasters(RasterStack(tif), out, permutations=99, seed=7,
                                      memory_mb=mem, pool_mb=64)
        assert info.n == vec.n and not info.sampled and info.pool == vec.n
        assert info.n_missing == vec.n_missing
        np.testing.assert_array_equal(info.islands, vec.islands)
        got = {k: read_tif(p)[0].ravel() for k, p in paths.items()}
        np.testing.assert_allclose(got["Is"], f32(vec.Is), rtol=1e-6, atol=1e-9)
        np.testing.assert_array_equal(got["p_sim"], f32(vec.p_sim))
        np.testing.assert_allclose(got["z_sim"], f32(vec.z_sim), rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(got["q"], np.where(vec.q == -128, np.nan, vec.q))
        cl = sp.cluster_class(vec.q, vec.p_sim)
        np.testing.assert_array_equal(got["cluster"], np.where(cl == -128, np.nan, cl))


def test_lisa_raster_esda_and_fdr(tmp_path):
    a = field(30, 40, seed=4)
    tif = write_tif(tmp_path / "small.tif", a)
    w = wt.grid_weights(30, 40, "rook", np.isfinite(a))
    vec = sp.local_moran(a.ravel(), w, permutations=999, seed=1, transform="b")
    paths, _ = sp.lisa_rasters(RasterStack(tif), {"Is": str(tmp_path / "i.tif"),
                                                  "cluster": str(tmp_path / "c.tif")},
                               contiguity="rook", transform="b", permutations=999, seed=1,
                               fdr=True, alpha=0.1)
    keep = np.isfinite(vec.Is)
    ref = esda.Moran_Local(a.ravel()[keep], lp_from_sparse(w[keep][:, keep]),
                           transformation="B", permutations=0)
    Is = read_tif(paths["Is"])[0].ravel()
    np.testing.assert_allclose(Is[keep], ref.Is.astype(np.float32), rtol=1e-6)
    cl = sp.cluster_class(vec.q, vec.p_sim, alpha=0.1, fdr=True)
    np.testing.assert_array_equal(read_tif(paths["cluster"])[0].ravel(),
                                  np.where(cl == -128, np.nan, cl))
    assert sorted(os.listdir(tmp_path)) == ["c.tif", "i.tif", "small.tif"]   # no temp left


def test_lisa_sampled_pool_is_close(grid_tif, tmp_path):
    _, tif = grid_tif
    full, _ = sp.lisa_rasters(RasterStack(tif), {"p_sim": str(tmp_path / "full.tif")},
                              permutations=199, seed=3)
    part, info = sp.lisa_rasters(RasterStack(tif), {"p_sim": str(tmp_path / "part.tif")},
                                 permutations=199, seed=3, pool_mb=0.1)
    full, part = full["p_sim"], part["p_sim"]
    assert info.sampled and 25000 < info.pool < 27500     # 0.1 MB of float32
    pf, pp = read_tif(full)[0], read_tif(part)[0]
    ok = np.isfinite(pf)
    assert np.array_equal(ok, np.isfinite(pp))
    # Monte-Carlo noise only (R = 199: sd of a difference ~0.04 at p = 0.25), no bias
    assert np.abs(pf[ok] - pp[ok]).mean() < 0.04
    assert abs(pf[ok].mean() - pp[ok].mean()) < 0.005


@pytest.mark.parametrize("contiguity", ["rook", "queen"])
def test_getis_ord_rasters_equal_vector_and_esda(grid_tif, tmp_path, contiguity):
    a, tif = grid_tif
    w = wt.grid_weights(*a.shape, contiguity, np.isfinite(a))
    vec = sp.getis_ord(a.ravel(), w)
    out = {k: str(tmp_path / f"{k}.tif") for k in ("z", "p", "class")}
    paths, info = sp.getis_ord_rasters(RasterStack(tif), out, contiguity=contiguity,
                                       memory_mb=0.001)
    z = read_tif(paths["z"])[0].ravel()
    np.testing.assert_allclose(z, vec.z.astype(np.float32), rtol=1e-6, atol=1e-6)
    cls = read_tif(paths["class"])[0].ravel()
    ref_cls = sp.hotspot_class(vec.z, vec.pvalue)
    np.testing.assert_array_equal(cls, np.where(ref_cls == -128, np.nan, ref_cls))
    assert info.n_islands == vec.islands.size
    keep = np.isfinite(vec.z)
    ref = esda.G_Local(a.ravel()[keep], lp_from_sparse(w[keep][:, keep]), transform="B",
                       star=True, permutations=0)
    np.testing.assert_allclose(vec.z[keep], ref.Zs, rtol=1e-9, atol=1e-12)
    # FDR classes: histogram q-values (core.fdr) agree with exact BH
    paths, _ = sp.getis_ord_rasters(RasterStack(tif), {"class": str(tmp_path / "f.tif")},
                                    contiguity=contiguity, fdr=True)
    exact = sp.hotspot_class(vec.z, fdr_bh(vec.pvalue))
    got = read_tif(paths["class"])[0].ravel()
    agree = (got[keep] == exact[keep]).mean()
    assert agree > 0.999


def test_raster_constant_empty_and_band(tmp_path):
    flat = np.full((20, 30), 0.1)          # 0.1 + 0.1 + 0.1 != 0.3: no rounding excuse
    flat[3, 3] = np.nan
    tif = write_tif(tmp_path / "flat.tif", flat)
    for call in (lambda s: sp.moran_raster(s),
                 lambda s: sp.lisa_rasters(s, {"Is": str(tmp_path / "i.tif")}),
                 lambda s: sp.getis_ord_rasters(s, {"z": str(tmp_path / "z.tif")})):
        with pytest.raises(ValueError, match="same value"):
            call(RasterStack(tif))
    empty = write_tif(tmp_path / "empty.tif", np.full((5, 5), np.nan))
    with pytest.raises(ValueError, match="at least 3"):
        sp.moran_raster(RasterStack(empty))
    a = field(20, 30, seed=8)
    two = write_tif(tmp_path / "two.tif", np.stack([flat, a]))
    w = wt.grid_weights(20, 30, "rook", np.isfinite(a))
    assert sp.moran_raster(RasterStack(two), band=2, contiguity="rook").I == pytest.approx(
        sp.moran(a.ravel(), w).I, rel=1e-10)
    with pytest.raises(ValueError, match="band 3"):
        sp.moran_raster(RasterStack(two), band=3)
    with pytest.raises(ValueError, match="permutations"):
        sp.lisa_rasters(RasterStack(two), {"cluster": str(tmp_path / "c.tif")}, band=2,
                        permutations=0)
    assert not list(tmp_path.glob(".*partial*"))


def test_progress_and_cancel(grid_tif, tmp_path):
    from carbonsink.core.progress import Canceled, Progress
    _, tif = grid_tif
    seen = []
    sp.lisa_rasters(RasterStack(tif), {"p_sim": str(tmp_path / "p.tif")}, permutations=99,
                    seed=1, progress=Progress(seen.append))
    assert seen[-1] == pytest.approx(100.0)
    assert all(b >= a - 1e-9 for a, b in zip(seen, seen[1:]))
    assert any(20 < v < 100 for v in seen)     # reported inside the permutation pass
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 5

    with pytest.raises(Canceled):
        sp.lisa_rasters(RasterStack(tif), {"p_sim": str(tmp_path / "c.tif")},
                        permutations=99, seed=1, progress=Progress(None, cancel))
    assert sorted(os.listdir(tmp_path)) == ["p.tif"]
    w = wt.grid_weights(10, 10, "rook")
    with pytest.raises(Canceled):
        sp.local_moran(np.arange(100.0) % 7, w, permutations=99999,
                       progress=Progress(None, lambda: True))
    with pytest.raises(Canceled):
        sp.moran(np.arange(100.0) % 7, w, permutations=99, progress=Progress(None, lambda: True))
