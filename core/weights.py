"""Spatial weights as ``scipy.sparse`` matrices (methods.md 10).

Every builder returns a square CSR matrix of binary neighbour links
(``W[i, j] = 1`` when j is a neighbour of i), float64, no self links, sorted
indices. The statistics of :mod:`carbonsink.core.spatial` take such a matrix
and transform it themselves (``"r"`` row-standardised, ``"b"`` binary), so a
matrix never has to be built twice. Nothing here builds an n x n dense array.

Builders:

- :func:`binary_weights`: any square sparse (or dense) matrix -> binary CSR.
- :func:`knn_weights`: k nearest neighbours of points (``scipy.spatial.cKDTree``;
  as ``libpysal.weights.KNN``: asymmetric, ties broken by the tree).
- :func:`distance_band_weights`: points at most ``threshold`` apart (as
  ``libpysal.weights.DistanceBand(binary=True)``; symmetric).
- :func:`contiguity_weights`: queen (shared vertex) or rook (shared edge)
  contiguity of polygons given as OGR geometries, WKB or WKT, found by
  hashing vertices / edges (as ``libpysal.weights.Queen`` / ``Rook``), never
  by testing pairs of polygons.
- :func:`grid_weights`: rook / queen contiguity among the valid cells of a
  raster grid (row-major unit order), built by array shifts.
"""
import numpy as np
from scipy import sparse

from .errors import N_, InputError

__all__ = ["CONTIGUITY", "QUEEN_OFFSETS", "ROOK_OFFSETS", "binary_weights",
           "contiguity_weights", "distance_band_weights", "grid_weights", "islands",
           "knn_weights", "offsets", "read_ogr_geometries", "transform_weights",
           "weight_sums"]

CONTIGUITY = ("rook", "queen")

# neighbour offsets (drow, dcol) in the order of increasing row-major index:
# a sum over them in this order equals the sum over a CSR row of grid_weights
ROOK_OFFSETS = ((-1, 0), (0, -1), (0, 1), (1, 0))
QUEEN_OFFSETS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))


def offsets(contiguity):
    """Neighbour offsets of a raster contiguity ("rook" or "queen")."""
    if contiguity == "rook":
        return ROOK_OFFSETS
    if contiguity == "queen":
        return QUEEN_OFFSETS
    raise InputError(N_("contiguity must be 'rook' or 'queen', not {!r}"), contiguity)


def binary_weights(weights):
    """Square binary CSR matrix (float64, sorted indices, no self links) from
    any scipy.sparse matrix or dense 2-d array: every non-zero entry becomes
    a link of weight 1 and the diagonal is dropped (a unit is not its own
    neighbour; Gi* adds its self weight itself)."""
    if sparse.isspmatrix_csr(weights) and weights.shape[0] == weights.shape[1]:
        w = weights
        # (every stored value is 1, so a stored self link shows on the diagonal)
        if w.has_canonical_format and np.all(w.data == 1.0) and not w.diagonal().any():
            # already binary, sorted, without duplicates or self links: a copy
            return sparse.csr_matrix((np.ones(w.nnz), w.indices.copy(), w.indptr.copy()),
                                     shape=w.shape)
    if sparse.issparse(weights):
        c = sparse.coo_matrix(weights)
    else:
        a = np.asarray(weights, dtype=np.float64)
        if a.ndim != 2:
            raise InputError(N_("weights must be a square scipy.sparse matrix"))
        c = sparse.coo_matrix(a)
    if c.shape[0] != c.shape[1]:
        raise InputError(N_("weights must be square, not {} x {}"), c.shape[0], c.shape[1])
    data = np.asarray(c.data, dtype=np.float64)
    if data.size and not np.all(np.isfinite(data)):
        raise InputError(N_("weights contain NaN or infinite values"))
    keep = (c.row != c.col) & (data != 0)
    n = c.shape[0]
    w = sparse.csr_matrix((np.ones(int(keep.sum())), (c.row[keep], c.col[keep])), shape=(n, n))
    w.sum_duplicates()
    w.data[:] = 1.0
    w.sort_indices()
    return w


def islands(weights):
    """Indices of the units with no neighbour (empty rows)."""
    w = sparse.csr_matrix(weights)
    return np.flatnonzero(np.diff(w.indptr) == 0)


def transform_weights(weights, transform="r"):
    """Row-standardised (``"r"``: each row sums to 1, empty rows stay empty)
    or binary (``"b"``) copy of a binary CSR matrix."""
    t = str(transform).lower()
    w = binary_weights(weights)
    if t == "b":
        return w
    if t == "r":
        k = np.diff(w.indptr).astype(np.float64)
        w.data /= np.repeat(k, np.diff(w.indptr))
        return w
    raise InputError(N_("transform must be 'r' (row-standardised) or 'b' (binary), not {!r}"),
                     transform)


def weight_sums(w):
    """S0, S1, S2 of a (transformed) weights matrix, as libpysal's W:
    S0 = sum_ij w_ij, S1 = 1/2 sum_ij (w_ij + w_ji)^2,
    S2 = sum_i (sum_j w_ij + sum_j w_ji)^2."""
    w = sparse.csr_matrix(w)
    s0 = float(w.sum())
    t = w + w.T
    s1 = 0.5 * float(t.multiply(t).sum())
    rc = np.asarray(w.sum(axis=1)).ravel() + np.asarray(w.sum(axis=0)).ravel()
    s2 = float((rc * rc).sum())
    return s0, s1, s2


# ------------------------------------------------------------------- points

def _coords(coords):
    xy = np.asarray(coords, dtype=np.float64)
    if xy.ndim != 2 or xy.shape[0] < 2:
        raise InputError(N_("coordinates must be an array of shape (n, 2) with n >= 2"))
    if not np.all(np.isfinite(xy)):
        raise InputError(N_("coordinates contain NaN or infinite values"))
    return xy


def knn_weights(coords, k=8):
    """k nearest neighbours of each point (Euclidean, ``cKDTree``).

    Row i links i to its k nearest other points; the matrix is not symmetric
    (j may be a neighbour of i and not the reverse). The point itself is
    never its own neighbour (a duplicate point at distance 0 is). Where the
    k-th distance is tied, the points with the lower index win: the result
    does not depend on the k-d tree's build. This is ``libpysal.weights.KNN``
    wherever distances are not tied; libpysal leaves exact ties to the order
    its tree returns them in (regular grids, duplicated coordinates).
    """
    from scipy.spatial import cKDTree
    xy = _coords(coords)
    n = xy.shape[0]
    k = int(k)
    if not 1 <= k < n:
        raise InputError(N_("k must be between 1 and {} (number of points - 1), not {}"), n - 1, k)
    tree = cKDTree(xy)
    q = min(n, k + 9)
    while True:
        dist, idx = tree.query(xy, k=q)
        dist, idx = dist.reshape(n, q), idx.reshape(n, q)
        # drop the point itself, then order each row by (distance, index)
        self_hit = idx == np.arange(n)[:, None]
        dist = np.where(self_hit, -1.0, dist)
        order = np.lexsort((idx, dist), axis=1)
        dist = np.take_along_axis(dist, order, axis=1)[:, 1:]
        idx = np.take_along_axis(idx, order, axis=1)[:, 1:]
        # rows whose self was not found (many duplicates) lost their farthest
        if q == n or np.all(dist[:, k - 1] < dist[:, -1]):
            break                       # no tie reaches past the candidates
        q = min(n, 2 * q)
    missing_self = ~self_hit.any(axis=1)
    if missing_self.any():
        # q duplicates at distance 0 pushed the point itself out: every
        # candidate is another point, ordered by (distance, index) as well
        d2, i2 = tree.query(xy[missing_self], k=q)
        order = np.lexsort((i2, d2), axis=1)
        idx[missing_self] = np.take_along_axis(i2, order, axis=1)[:, :q - 1]
    cols = idx[:, :k]
    w = sparse.csr_matrix((np.ones(n * k), cols.ravel(), np.arange(0, n * k + 1, k)),
                          shape=(n, n))
    w.sort_indices()
    return w


def distance_band_weights(coords, threshold):
    """Binary distance band: i and j are neighbours when their Euclidean
    distance is at most ``threshold`` (symmetric; points farther than the
    threshold from every other point are islands)."""
    from scipy.spatial import cKDTree
    xy = _coords(coords)
    n = xy.shape[0]
    if not threshold > 0:
        raise InputError(N_("distance threshold must be positive, not {}"), threshold)
    pairs = cKDTree(xy).query_pairs(float(threshold), output_type="ndarray")
    i = np.concatenate([pairs[:, 0], pairs[:, 1]])
    j = np.concatenate([pairs[:, 1], pairs[:, 0]])
    w = sparse.csr_matrix((np.ones(i.size), (i, j)), shape=(n, n))
    w.sum_duplicates()
    w.data[:] = 1.0
    w.sort_indices()
    return w


# ----------------------------------------------------------------- polygons

def _ogr_geometry(g):
    from osgeo import ogr
    if g is None:
        return None
    if isinstance(g, ogr.Geometry):
        return g
    if isinstance(g, (bytes, bytearray, memoryview)):
        geom = ogr.CreateGeometryFromWkb(bytes(g))
    elif isinstance(g, str):
        geom = ogr.CreateGeometryFromWkt(g)
    else:
        raise TypeError(f"geometry must be an osgeo.ogr.Geometry, WKB bytes or WKT text, "
                        f"not {type(g).__name__}")
    if geom is None:
        raise InputError(N_("cannot read a geometry (invalid WKB/WKT)"))
    return geom


def _rings(geom, out):
    """Append the vertex arrays (m, 2) of every ring / line of ``geom``."""
    if geom is None or geom.IsEmpty():
        return
    if geom.HasCurveGeometry():
        geom = geom.GetLinearGeometry()
    count = geom.GetGeometryCount()
    if count == 0:                      # a ring or a line string
        pts = geom.GetPoints()
        if pts:
            out.append(np.asarray(pts, dtype=np.float64)[:, :2])
        return
    for i in range(count):
        _rings(geom.GetGeometryRef(i), out)


def _vertex_ids(xy, tolerance):
    """Integer id per vertex; equal ids for equal (or snapped) coordinates."""
    if tolerance:
        keys = np.round(xy / float(tolerance))
    else:
        keys = xy + 0.0                 # -0.0 -> 0.0
    order = np.lexsort((keys[:, 1], keys[:, 0]))
    ks = keys[order]
    new = np.ones(len(ks), dtype=bool)
    new[1:] = (ks[1:, 0] != ks[:-1, 0]) | (ks[1:, 1] != ks[:-1, 1])
    ids = np.empty(len(ks), dtype=np.int64)
    ids[order] = np.cumsum(new) - 1
    return ids, int(new.sum())


def contiguity_weights(geometries, criterion="queen", tolerance=None):
    """Queen or rook contiguity of polygons (methods.md 10).

    ``geometries``: a sequence of ``osgeo.ogr.Geometry``, WKB ``bytes`` or
    WKT ``str`` (polygons or multipolygons; None or empty gives an island).
    Queen: two polygons are neighbours when they share at least one vertex;
    rook: when they share an edge (two consecutive vertices of a ring, in
    either direction). As libpysal, vertices are compared exactly: a vertex
    of one polygon lying on the edge of another without a vertex there is
    not a contact. ``tolerance`` (map units) snaps vertices to a grid of that
    step first, for layers whose shared boundaries do not match bit for bit.

    Vertices (and, for rook, edges) are hashed with a sort; the links come
    from the sparse product of the polygon x vertex (edge) incidence matrix
    with its transpose: time O(V log V), no loop over pairs of polygons.
    """
    if criterion not in CONTIGUITY:
        raise InputError(N_("criterion must be 'queen' or 'rook', not {!r}"), criterion)
    n = len(geometries)
    rings, owner = [], []
    for i, g in enumerate(geometries):
        start = len(rings)
        _rings(_ogr_geometry(g), rings)
        owner.extend([i] * (len(rings) - start))
    if not rings:
        return sparse.csr_matrix((n, n), dtype=np.float64)
    lengths = np.array([len(r) for r in rings])
    xy = np.concatenate(rings)
    poly = np.repeat(np.asarray(owner, dtype=np.int64), lengths)
    vid, nv = _vertex_ids(xy, tolerance)
    if criterion == "queen":
        cols, ncols = vid, nv
    else:
        # an edge joins consecutive vertices of the same ring
        same_ring = np.ones(len(vid), dtype=bool)
        same_ring[np.cumsum(lengths)[:-1] - 1] = False
        same_ring[-1] = False
        a, b = vid[:-1][same_ring[:-1]], vid[1:][same_ring[:-1]]
        epoly = poly[:-1][same_ring[:-1]]
        keep = a != b                     # repeated vertices are not edges
        a, b, epoly = a[keep], b[keep], epoly[keep]
        ekey = np.minimum(a, b) * np.int64(nv) + np.maximum(a, b)
        uniq, cols = np.unique(ekey, return_inverse=True)
        ncols, poly = len(uniq), epoly
    inc = sparse.csr_matrix((np.ones(len(cols)), (poly, cols)), shape=(n, ncols))
    inc.data[:] = 1.0
    w = (inc @ inc.T).tocsr()
    return binary_weights(w)


def read_ogr_geometries(path, layer=None, where=None):
    """(geometries, fids) of a vector layer read with osgeo.ogr (clones,
    usable after the file is closed). A small helper for scripts and tests."""
    from osgeo import ogr
    ds = ogr.Open(str(path))
    if ds is None:
        raise InputError(N_("cannot open vector file {}"), path)
    lyr = ds.GetLayer(0 if layer is None else layer)
    if lyr is None:
        raise InputError(N_("{} has no layer {!r}"), path, layer)
    if where:
        lyr.SetAttributeFilter(where)
    geoms, fids = [], []
    for feat in lyr:
        g = feat.GetGeometryRef()
        geoms.append(g.Clone() if g is not None else None)
        fids.append(feat.GetFID())
    return geoms, np.asarray(fids)


# --------------------------------------------------------------------- grids

def grid_weights(rows, cols, contiguity="queen", valid=None):
    """Rook or queen contiguity among the cells of a ``rows x cols`` grid.

    Units are the cells in row-major order (unit index = row * cols + col);
    with ``valid`` (bool array rows x cols) the links to and from invalid
    cells are dropped (invalid cells stay as empty rows: with the statistics
    of this package they are left out like NaN values). Built from shifted
    index arrays in O(rows * cols); the columns of each row come in the order
    of :data:`ROOK_OFFSETS` / :data:`QUEEN_OFFSETS`.
    """
    rows, cols = int(rows), int(cols)
    if valid is None:
        valid = np.ones((rows, cols), dtype=bool)
    valid = np.asarray(valid, dtype=bool)
    if valid.shape != (rows, cols):
        raise InputError(N_("valid mask has shape {}, not {}"), valid.shape, (rows, cols))
    idx = np.arange(rows * cols, dtype=np.int64).reshape(rows, cols)
    src, dst = [], []
    for dr, dc in offsets(contiguity):
        r0, r1 = max(0, -dr), rows - max(0, dr)
        c0, c1 = max(0, -dc), cols - max(0, dc)
        if r1 <= r0 or c1 <= c0:
            continue
        here = (slice(r0, r1), slice(c0, c1))
        there = (slice(r0 + dr, r1 + dr), slice(c0 + dc, c1 + dc))
        ok = valid[here] & valid[there]
        src.append(idx[here][ok])
        dst.append(idx[there][ok])
    src = np.concatenate(src) if src else np.empty(0, np.int64)
    dst = np.concatenate(dst) if dst else np.empty(0, np.int64)
    w = sparse.csr_matrix((np.ones(src.size), (src, dst)), shape=(rows * cols, rows * cols))
    w.sort_indices()
    return w
