"""Spatial statistics (methods.md 10, 11), declared once: moran, lisa,
hotspots, gini. Each takes either a raster (+ band) or a vector layer (+ a
numeric field): exactly one of the two. Raster units are the valid pixels
with rook or queen contiguity (streamed by core/spatial_raster.py); vector units are
the features with a value and a geometry, with queen / rook contiguity
(polygons), k nearest neighbours or a distance band (centroids, projected
CRS only)."""
import math

import numpy as np

from ..classes import HOTSPOT_CLASSES, LISA_CLASSES
from ..errors import InputError, text
from ..fdr import fdr_bh
from ..gini import GINI_METHODS, gini, gini_band
from ..spatial import MAX_PERMUTATIONS, cluster_class, getis_ord, hotspot_class, local_moran, moran
from ..spatial_raster import getis_ord_rasters, lisa_rasters, moran_raster
from ..weights import contiguity_weights, distance_band_weights, knn_weights
from .declare import (
    N_,
    Analysis,
    Param,
    boolean,
    enum,
    field_of,
    integer,
    number,
    raster,
    raster_out,
    table_out,
    vector_out,
    zones,
)

GROUP = N_("Spatial statistics")
GROUP_ID = "spatial"
DEFAULT_PERMUTATIONS = 999      # provider/settings.py: the Processing option's default

RASTER_WEIGHTS = [("queen", N_("Queen contiguity (shared vertex; rasters: 8 neighbours)")),
                  ("rook", N_("Rook contiguity (shared edge; rasters: 4 neighbours)"))]
VECTOR_WEIGHTS = [("knn", N_("k nearest neighbours (vector only)")),
                  ("distance", N_("Distance band (vector only)"))]
TRANSFORMS = [("r", N_("Row-standardised (r)")), ("b", N_("Binary (b)"))]
MORAN_KEYS = ["I", "EI", "VI_norm", "z_norm", "p_norm", "VI_rand", "z_rand", "p_rand",
              "p_sim", "n", "islands"]
GINI_KEYS = ["zone", "n", "p_deficit", "p_neutral", "p_surplus", "gini", "gini_deficit",
             "gini_surplus", "band", "note"]
GINI_KINDS = {"zone": "string", "n": "int", "band": "string", "note": "string"}


# ------------------------------------------------------------ parameters

def inputs(field_label=N_("Numeric field of the vector layer")):
    """RASTER + BAND, or VECTOR (any geometry) + FIELD (numeric)."""
    return [raster("RASTER", N_("Raster layer (give either this or a vector layer)"),
                   optional=True),
            Param("BAND", "band", N_("Band"), 1, True, parent="RASTER"),
            Param("VECTOR", "vector", N_("Vector layer (give either this or a raster layer)"),
                  optional=True, geometry="any"),
            Param("FIELD", "field", field_label, optional=True, parent="VECTOR",
                  numeric=True)]


def weights(vector_weights=True, transform=True):
    out = [enum("WEIGHTS", N_("Spatial weights"),
                RASTER_WEIGHTS + (VECTOR_WEIGHTS if vector_weights else []))]
    if vector_weights:
        out += [integer("K", N_("Number of nearest neighbours (k nearest neighbours)"), 8,
                        minimum=1),
                number("THRESHOLD", N_("Distance band threshold (layer units; distance band)"),
                       None, minimum=0.0, optional=True)]
    if transform:
        out.append(enum("TRANSFORM", N_("Weights transform"), TRANSFORMS))
    return out


def permutations(minimum=0):
    """PERMUTATIONS (its toolbox default: the Processing option "permutations",
    clamped to minimum..MAX_PERMUTATIONS) and SEED."""
    return [Param("PERMUTATIONS", "int", N_("Permutations (pseudo p-values)"),
                  max(DEFAULT_PERMUTATIONS, minimum), minimum=minimum,
                  maximum=MAX_PERMUTATIONS, setting="permutations"),
            integer("SEED", N_("Random seed (empty = random)"), optional=True, advanced=True)]


# ------------------------------------------------------------ units

class Units:
    """The features of a vector input: ``unit_of[k]`` the unit index of
    feature ``k`` (-1: left out), and per unit its value, WKB geometry,
    centroid, feature id and group (the value of a group field)."""

    def __init__(self, records, layer, need_geometry=True):
        self.layer = layer                  # {"polygon", "geographic", "crs"}
        self.unit_of, values, self.wkb, centroids, self.fids, self.groups = \
            [], [], [], [], [], []
        for fid, value, wkb, centroid, group in records:
            try:
                v = None if value is None else float(value)
            except (TypeError, ValueError):
                v = None
            if v is None or not math.isfinite(v) or (need_geometry and wkb is None):
                self.unit_of.append(-1)
                continue
            self.unit_of.append(len(values))
            values.append(v)
            self.wkb.append(wkb)
            centroids.append(centroid)
            self.fids.append(fid)
            self.groups.append(group)
        self.values = np.asarray(values, dtype=np.float64)
        self.centroids = np.asarray(centroids, dtype=np.float64).reshape(-1, 2) \
            if need_geometry else None
        self.missing = len(self.unit_of) - len(values)


def read_input(a, need_geometry=True, group_field=None):
    """("raster", (stack, band)) or ("vector", Units)."""
    if a.given("RASTER") == a.given("VECTOR"):
        raise InputError(a.tr("give exactly one input: either a raster layer or a vector "
                              "layer with a numeric field"))
    if a.given("RASTER"):
        st = a.raster("RASTER", a.tr("Raster layer"))
        band = (a.int("BAND") if a.given("BAND") else 0) or 1
        if not 1 <= band <= st.n:
            raise InputError(a.tr("{} has {} band(s): band {} does not exist")
                             .format(st.name, st.n, band))
        return "raster", (st, band)
    name = a.string("FIELD").strip()
    if not name:
        raise InputError(a.tr("choose the numeric field of the vector layer"))
    records, layer = a.features("VECTOR", name, group_field, need_geometry)
    units = Units(records, layer, need_geometry)
    if units.missing:
        a.info(a.tr("{} feature(s) with a NULL (or non-numeric) value of '{}' or without "
                    "geometry are left out").format(units.missing, name))
    return "vector", units


def weights_kind(a):
    return (RASTER_WEIGHTS + VECTOR_WEIGHTS)[a.enum("WEIGHTS")][0]


def contiguity(a):
    kind = weights_kind(a)
    if kind not in ("queen", "rook"):
        raise InputError(a.tr("raster input: use queen or rook contiguity (k nearest "
                              "neighbours and distance bands are for vector layers)"))
    return kind


def vector_weights(a, units):
    kind = weights_kind(a)
    if kind in ("queen", "rook"):
        if not units.layer["polygon"]:
            raise InputError(a.tr("{} contiguity needs polygons; use k nearest neighbours or "
                                  "a distance band for points and lines").format(kind))
        a.info(a.tr("Weights: {} contiguity").format(kind))
        return contiguity_weights(units.wkb, kind)
    coords = units.centroids
    if kind == "knn":
        k = a.int("K")
        if k >= coords.shape[0]:
            raise InputError(a.tr("k = {} nearest neighbours needs more than {} features")
                             .format(k, k))
        a.info(a.tr("Weights: {} nearest neighbours of the centroids").format(k))
        return knn_weights(coords, k)
    if units.layer["geographic"]:
        raise InputError(a.tr("a distance band needs a projected CRS: the layer is in {} "
                              "(degrees); reproject it first (e.g. to a UTM or equal-area "
                              "CRS)").format(units.layer["crs"]))
    t = a.number("THRESHOLD")
    if t is None:
        raise InputError(a.tr("give the distance band threshold"))
    if not t > 0:
        raise InputError(a.tr("the distance band threshold must be positive"))
    a.info(a.tr("Weights: distance band {:g} between centroids").format(t))
    return distance_band_weights(coords, t)


def transform(a):
    return TRANSFORMS[a.enum("TRANSFORM")][0]


def seed(a):
    return a.int("SEED") if a.given("SEED") else None


def log_islands(a, islands, units=None, cols=None):
    islands = np.asarray(islands)
    if islands.size == 0:
        return
    if units is not None:
        ids = [str(units.fids[i]) for i in islands[:20]]
        what = a.tr("feature ids")
    else:
        ids = [f"(row {i // cols}, col {i % cols})" for i in islands[:20]]
        what = a.tr("pixels")
    more = a.tr(" and {} more").format(islands.size - 20) if islands.size > 20 else ""
    a.info(a.tr("{} island(s) without neighbours left out, {}: {}{}")
           .format(islands.size, what, ", ".join(ids), more))


def raster_outputs(a, analysis, rasters, default):
    """{core key: path} of the raster outputs asked for; none asked (the
    dialog's default on a raster input): the ``default`` output goes to a
    temporary file that opens in the project (a.fallback_output), instead of
    an error on the first Run."""
    out = {k: a.output(p) for k, p in rasters.items() if a.output(p)}
    if out:
        return out
    path = a.fallback_output(rasters[default], a.tr(analysis.display),
                             [rasters[k] for k in rasters])
    a.info(a.tr("No raster output was chosen: the {} raster is written to a temporary "
                "file").format(default))
    return {default: path}


def _num(v):
    v = float(v)
    return None if math.isnan(v) else v


# ------------------------------------------------------------ moran

def run_moran(a):
    kind, data = read_input(a)
    t, r, s = transform(a), a.int("PERMUTATIONS"), seed(a)
    if kind == "raster":
        st, band = data
        res = moran_raster(st, contiguity(a), t, r, s, band=band, progress=a.progress,
                           memory_mb=a.memory_mb)
        log_islands(a, res.islands, cols=st.grid.cols)
    else:
        w = vector_weights(a, data)
        res = moran(data.values, w, permutations=r, seed=s, transform=t, progress=a.progress)
        log_islands(a, res.islands, units=data)
    values = [res.I, res.EI, res.VI_norm, res.z_norm, res.p_norm, res.VI_rand, res.z_rand,
              res.p_rand, res.p_sim]
    row = dict(zip(MORAN_KEYS, [_num(v) for v in values] + [int(res.n), len(res.islands)]))
    dest = a.table("OUTPUT", [row], MORAN_KEYS, {"n": "int", "islands": "int"})
    a.info(a.tr("Moran's I = {:.6g}, E[I] = {:.6g}; normality: Var = {:.6g}, z = {:.4f}, "
                "p = {:.4g}; randomisation: Var = {:.6g}, z = {:.4f}, p = {:.4g}")
           .format(res.I, res.EI, res.VI_norm, res.z_norm, res.p_norm, res.VI_rand,
                   res.z_rand, res.p_rand))
    if r:
        a.info(a.tr("Permutations: {}, seed {}, pseudo p = {:.4g}")
               .format(r, res.seed, res.p_sim))
    a.info(a.tr("n = {} units, {} island(s), transform {}").format(res.n, len(res.islands), t))
    return {"OUTPUT": dest}


MORAN = Analysis(
    "moran", N_("Global Moran's I (spatial autocorrelation)"), GROUP, GROUP_ID,
    [*inputs(), *weights(), *permutations(),
     table_out("OUTPUT", N_("Moran's I (table)"))],
    run_moran, summary="Global Moran's I of a raster band or a vector field (esda.Moran)",
    class_name="MoranAlgorithm")


# ------------------------------------------------------------ lisa

LISA_RASTERS = {"Is": "OUTPUT_I", "q": "OUTPUT_Q", "p_sim": "OUTPUT_P",
                "cluster": "OUTPUT_CLUSTER"}


def run_lisa(a):
    kind, data = read_input(a)
    t, r, s = transform(a), a.int("PERMUTATIONS"), seed(a)
    alpha, fdr = a.float("ALPHA"), a.bool("FDR")
    if kind == "raster":
        st, band = data
        out = raster_outputs(a, LISA, LISA_RASTERS, "cluster")
        paths, info = lisa_rasters(st, out, contiguity(a), t, r, s, alpha=alpha, fdr=fdr,
                                   band=band, progress=a.progress, memory_mb=a.memory_mb)
        log_islands(a, info.islands, cols=st.grid.cols)
        a.info(a.tr("n = {} pixels, {} permutations, seed {}{}").format(
            info.n, info.permutations, info.seed,
            a.tr("; pool sampled (large raster)") if info.sampled else ""))
        return {LISA_RASTERS[k]: v for k, v in paths.items()}
    w = vector_weights(a, data)
    res = local_moran(data.values, w, permutations=r, seed=s, transform=t, progress=a.progress)
    cls = cluster_class(res.q, res.p_sim, alpha=alpha, fdr=fdr)
    log_islands(a, res.islands, units=data)
    dest = a.vector_copy("OUTPUT", "VECTOR", data.unit_of,
                         [("lisa_I", "double", res.Is), ("lisa_q", "int", res.q),
                          ("lisa_p", "double", res.p_sim), ("lisa_cluster", "int", cls)],
                         style=("lisa_cluster", "LISA_CLASSES"))
    if dest is None:
        raise InputError(a.tr("vector input: choose the LISA vector output"))
    counts = {label: int((cls == code).sum()) for code, _, label in LISA_CLASSES}
    a.info(a.tr("n = {}, {} permutations, seed {}; clusters at alpha {}{}: {}").format(
        res.n, r, res.seed, alpha, " (FDR)" if fdr else "",
        ", ".join(f"{k} {v}" for k, v in counts.items())))
    return {"OUTPUT": dest}


LISA = Analysis(
    "lisa", N_("Local Moran's I (LISA clusters)"), GROUP, GROUP_ID,
    [*inputs(), *weights(), *permutations(minimum=1),
     number("ALPHA", N_("Significance level of the cluster map"), 0.05, minimum=1e-6,
            maximum=0.5),
     boolean("FDR", N_("Benjamini-Hochberg false discovery rate correction of the pseudo "
                       "p-values")),
     vector_out("OUTPUT", N_("LISA (vector input: copy with lisa_I, lisa_q, lisa_p, "
                             "lisa_cluster)")),
     raster_out("OUTPUT_I", N_("Local I (raster input)"), optional=True),
     raster_out("OUTPUT_Q", N_("Quadrant 1 HH, 2 LH, 3 LL, 4 HL (raster input)"),
                optional=True),
     raster_out("OUTPUT_P", N_("Pseudo p-value (raster input)"), optional=True),
     raster_out("OUTPUT_CLUSTER", N_("Cluster map (raster input)"), optional=True)],
    run_lisa, summary="Local Moran's I (LISA) clusters of a raster band or a vector field "
                      "(esda.Moran_Local)",
    class_outputs={"OUTPUT_CLUSTER": "LISA_CLASSES", "OUTPUT_Q": "QUADRANT_CLASSES"},
    class_name="LisaAlgorithm")


# ------------------------------------------------------------ hot spots

HOTSPOT_RASTERS = {"z": "OUTPUT_Z", "p": "OUTPUT_P", "class": "OUTPUT_CLASS"}


def run_hotspots(a):
    kind, data = read_input(a)
    fdr = a.bool("FDR")
    if kind == "raster":
        st, band = data
        out = raster_outputs(a, HOTSPOTS, HOTSPOT_RASTERS, "class")
        paths, info = getis_ord_rasters(st, out, contiguity(a), fdr=fdr, band=band,
                                        progress=a.progress, memory_mb=a.memory_mb)
        log_islands(a, info.islands, cols=st.grid.cols)
        a.info(a.tr("n = {} pixels, mean {:.6g}, sd {:.6g}").format(info.n, info.mean,
                                                                   info.std))
        return {HOTSPOT_RASTERS[k]: v for k, v in paths.items()}
    w = vector_weights(a, data)
    a.info(a.tr("Gi* uses binary weights with each unit its own neighbour"))
    res = getis_ord(data.values, w, star=True)
    cls = hotspot_class(res.z, fdr_bh(res.pvalue) if fdr else res.pvalue)
    log_islands(a, res.islands, units=data)
    dest = a.vector_copy("OUTPUT", "VECTOR", data.unit_of,
                         [("gi_z", "double", res.z), ("gi_p", "double", res.pvalue),
                          ("gi_class", "int", cls)], style=("gi_class", "HOTSPOT_CLASSES"))
    if dest is None:
        raise InputError(a.tr("vector input: choose the hot spot vector output"))
    a.info(a.tr("n = {}; classes: {}").format(
        res.n, ", ".join(f"{label} {int((cls == code).sum())}"
                         for code, _, label in HOTSPOT_CLASSES)))
    return {"OUTPUT": dest}


HOTSPOTS = Analysis(
    "hotspots", N_("Hot and cold spots (Getis-Ord Gi*)"), GROUP, GROUP_ID,
    [*inputs(), *weights(transform=False),
     boolean("FDR", N_("Classes from Benjamini-Hochberg FDR q-values instead of p")),
     vector_out("OUTPUT", N_("Hot spots (vector input: copy with gi_z, gi_p, gi_class)")),
     raster_out("OUTPUT_Z", N_("Gi* z-score (raster input)"), optional=True),
     raster_out("OUTPUT_P", N_("Gi* p-value (raster input)"), optional=True),
     raster_out("OUTPUT_CLASS", N_("Hot and cold spot classes (raster input)"), optional=True)],
    run_hotspots, summary="Getis-Ord Gi* hot and cold spots of a raster band or a vector "
                          "field (esda.G_Local)",
    class_outputs={"OUTPUT_CLASS": "HOTSPOT_CLASSES"}, class_name="HotspotsAlgorithm")


# ------------------------------------------------------------ gini

def gini_groups(a):
    """[(zone name, values)]: the valid pixels per zone of a raster, or the
    feature values per group of a vector layer."""
    from ..zonal import zone_values
    if a.given("RASTER") == a.given("VECTOR"):
        raise InputError(a.tr("give exactly one input: either a raster layer (with optional "
                              "zone polygons) or a vector layer with a numeric field"))
    if a.given("VECTOR"):
        if not a.string("FIELD").strip():
            raise InputError(a.tr("choose the numeric field of the vector layer"))
        group = a.string("GROUP_FIELD").strip() or None
        _, units = read_input(a, need_geometry=False, group_field=group)
        groups = {}
        everything = a.tr("all features")
        for g, v in zip(units.groups, units.values):
            key = everything if not group else ("NULL" if g is None else str(g))
            groups.setdefault(key, []).append(v)
        return [(k, np.asarray(v)) for k, v in sorted(groups.items())]
    _, (st, band) = read_input(a)
    zs, names = a.zones("ZONES", "ZONE_FIELD", st.grid)
    try:
        limit = a.tr("the Gini needs every valid pixel value of every zone in memory (8 bytes "
                     "per pixel): more than the memory setting of {} MB. Raise it in the "
                     "CarbonSink provider settings, or use coarser data or smaller zones"
                     ).format(a.memory_mb)
        values = zone_values(st, band, zs, names, a.progress.scaled(0, 90), a.memory_mb,
                             limit)
    finally:
        a.drop_zones(zs)
    used = sum(v.nbytes for v in values.values())
    a.info(a.tr("{} valid pixel values collected ({:.1f} MB)").format(used // 8,
                                                                      used / 2**20))
    return [(names[z], values[z]) for z in sorted(names)]


def run_gini(a):
    method = GINI_METHODS[a.enum("METHOD")]
    rows = []
    for name, values in gini_groups(a):
        a.progress.check()
        row, note = [name, int(values.size)] + [None] * 6, ""
        shown = ""
        if values.size == 0:
            note = shown = a.tr("no valid value")
        else:
            try:
                g = gini(values, method)
            except ValueError as exc:
                if method == "standard" and (values < 0).any():
                    raise InputError(a.tr("zone {}: {}").format(name, text(exc, a.tr))) \
                        from None
                note, shown = str(exc), text(exc, a.tr)
            else:
                neg, pos = int((values < 0).sum()), int((values > 0).sum())
                n = values.size
                row[2:8] = [neg / n, (n - neg - pos) / n, pos / n, _num(g.gini),
                            _num(g.gini_deficit), _num(g.gini_surplus)]
        band = gini_band(row[5]) if row[5] is not None else ""
        rows.append(dict(zip(GINI_KEYS, row + [band, note])))
        a.info(a.tr("{}: n = {}, Gini = {} {}").format(
            name, values.size, "-" if row[5] is None else f"{row[5]:.4f}",
            f"({a.tr(band)})" if band else shown))
    return {"OUTPUT": a.table("OUTPUT", rows, GINI_KEYS, GINI_KINDS)}


GINI = Analysis(
    "gini", N_("Gini coefficient per zone"), GROUP, GROUP_ID,
    [*inputs(N_("Numeric field of the vector layer (the units' values)")),
     *zones(N_("Zones for a raster input (polygons; empty = all valid pixels)")),
     field_of("GROUP_FIELD", N_("Zone field of the vector layer (empty = one zone)"),
              "VECTOR"),
     enum("METHOD", N_("Method"),
          [(GINI_METHODS[0], N_("Standard (non-negative values)")),
           (GINI_METHODS[1], N_("Raffinetti-Siletti-Vernizzi normalised (negative values "
                                "allowed)")),
           (GINI_METHODS[2], N_("Segmented: deficit / neutral / surplus (Zhang2022)"))]),
     table_out("OUTPUT", N_("Gini per zone (table)"))],
    run_gini, summary="Gini coefficient per zone of a raster (pixels) or a vector field "
                      "(standard, RSV normalised, segmented)",
    class_name="GiniAlgorithm")

ANALYSES = [MORAN, LISA, HOTSPOTS, GINI]
