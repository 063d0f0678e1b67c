"""The per-pixel functions on dask arrays and xarray DataArrays (issue 8, item 1).

Every function of the dispatcher must give exactly the numbers of the numpy
call (same kernel per chunk), for several chunkings including NaN on the
chunk borders, lazily, and keep DataArray coordinates and attributes.
"""
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")
xr = pytest.importorskip("xarray")

import carbonsink.core as cs
from carbonsink.core import _dispatch as D

N, ROWS, COLS = 24, 61, 83
YEARS = np.arange(2000, 2000 + N, dtype=np.float64)
# chunkings of the spatial axes; the time axis is whole except in "time-split"
CHUNKS = {
    "blocks": (N, 20, 30),
    "one": (N, ROWS, COLS),
    "strips": (N, 7, COLS),
    "columns": (N, ROWS, 9),
}


def _stack(seed=0):
    rng = np.random.default_rng(seed)
    _, xx = np.mgrid[0:ROWS, 0:COLS]
    base = 200 + 400 * xx / COLS
    trend = rng.normal(2.0, 4.0, (ROWS, COLS))
    t = np.arange(N)[:, None, None]
    y = np.round(base + trend * t + rng.normal(0, 30, (N, ROWS, COLS)), 0)   # ties
    y[rng.random(y.shape) < 0.03] = np.nan
    # NaN along the chunk borders of "blocks" (rows 19/20, 39/40; cols 29/30)
    y[::3, 19:21, :] = np.nan
    y[1::4, :, 29:31] = np.nan
    y[:, 39:41, 59:61] = np.nan          # never valid, across a chunk corner
    y[:, 5, 5] = 42.0                    # constant
    y[:10, 7, 8] = np.nan                # too few values for min_valid
    return y


Y = _stack()
X = _stack(1) * 0.01 + np.random.default_rng(5).normal(0, 1, Y.shape)
Z1 = np.random.default_rng(6).normal(0, 1, Y.shape)
Z2 = np.random.default_rng(7).normal(0, 1, Y.shape)


def _dask(a, name):
    return da.from_array(a, chunks=CHUNKS[name])


def assert_same(got, want):
    """Exactly equal, NaN where NaN, same dtype."""
    got = np.asarray(got)
    want = np.asarray(want)
    assert got.shape == want.shape
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


def assert_fields(res, ref):
    assert type(res) is type(ref)
    names = list(ref.__dataclass_fields__)
    vals = dask.compute(*[getattr(res, f) for f in names])
    for f, v in zip(names, vals):
        assert isinstance(getattr(res, f), da.Array), f
        assert_same(v, getattr(ref, f))


# ------------------------------------------------------------ per function

@pytest.fixture(params=list(CHUNKS))
def chunking(request):
    return request.param


@pytest.mark.parametrize("method", ["original", "hamed_rao", "yue_wang", "pre_whitening"])
def test_mann_kendall(chunking, method):
    ref = cs.mann_kendall(Y, YEARS, method=method, min_valid=18)
    res = cs.mann_kendall(_dask(Y, chunking), YEARS, method=method, min_valid=18)
    assert_fields(res, ref)


def test_linear_trend(chunking):
    ref = cs.linear_trend(Y, YEARS, min_valid=18)
    assert_fields(cs.linear_trend(_dask(Y, chunking), YEARS, min_valid=18), ref)


@pytest.mark.parametrize("ddof", [0, 1])
def test_coefficient_of_variation(chunking, ddof):
    ref = cs.coefficient_of_variation(Y, ddof=ddof, min_valid=18)
    res = cs.coefficient_of_variation(_dask(Y, chunking), ddof=ddof, min_valid=18)
    assert isinstance(res, da.Array)
    assert_same(res.compute(), ref)


@pytest.mark.parametrize("method", ["rs", "rs_segmented", "aggvar"])
def test_hurst(chunking, method):
    ref = cs.hurst(Y, method=method, min_valid=18)
    res = cs.hurst(_dask(Y, chunking), method=method, min_valid=18)
    assert_same(res.compute(), ref)


def test_carrying_capacity(chunking):
    ref = cs.carrying_capacity(Y, YEARS, min_valid=18)
    res = cs.carrying_capacity(_dask(Y, chunking), YEARS, min_valid=18)
    assert res.potential.shape == (N, ROWS, COLS)
    assert res.potential.chunks[0] == (N,)
    assert_fields(res, ref)


@pytest.mark.parametrize("k", [0, 1, 2])
def test_partial_correlation(chunking, k):
    controls = [Z1, Z2][:k]
    ref = cs.partial_correlation(Y, X, controls, min_valid=18)
    # y dask, x numpy, controls dask with other chunks: all rechunked to y's
    res = cs.partial_correlation(_dask(Y, chunking), X,
                                [da.from_array(c, chunks=(N, 32, 32)) for c in controls],
                                min_valid=18)
    assert_fields(res, ref)
    # only a control is dask
    if k:
        cl = list(controls)
        cl[-1] = _dask(cl[-1], chunking)
        res = cs.partial_correlation(Y, X, cl, min_valid=18)
        assert_fields(res, ref)


@pytest.mark.parametrize("mode", ["monthly", "annual"])
def test_heterotrophic_respiration(chunking, mode):
    rng = np.random.default_rng(3)
    steps = 12 * 3 if mode == "monthly" else 3
    t = rng.normal(12, 8, (steps, ROWS, COLS))
    p = rng.gamma(2.0, 40.0, (steps, ROWS, COLS))
    p[rng.random(p.shape) < 0.02] = -1.0          # invalid -> NaN
    t[:, 19:21, :] = np.nan
    ref = cs.heterotrophic_respiration(t, p, mode=mode)
    chunks = (steps,) + CHUNKS[chunking][1:]
    res = cs.heterotrophic_respiration(da.from_array(t, chunks=chunks), p, mode=mode)
    assert res.shape == ref.shape
    assert_same(res.compute(), ref)


def test_elementwise_classes(chunking):
    mk = cs.mann_kendall(Y, YEARS, min_valid=18)
    lt = cs.linear_trend(Y, YEARS, min_valid=18)
    h = cs.hurst(Y, min_valid=18)
    pc = cs.partial_correlation(Y, X, [Z1], min_valid=18)
    cv = cs.coefficient_of_variation(Y, min_valid=18)
    c2 = CHUNKS[chunking][1:]

    def d(a):
        return da.from_array(a, chunks=c2)

    cases = [
        (cs.trend_class(mk.slope, mk.z), cs.trend_class(d(mk.slope), d(mk.z))),
        (cs.linear_trend_class(lt.slope, lt.pvalue, 0.05, 0.01),
         cs.linear_trend_class(d(lt.slope), lt.pvalue, 0.05, 0.01)),
        (cs.correlation_class(pc.r, pc.pvalue), cs.correlation_class(d(pc.r), d(pc.pvalue))),
        (cs.persistence_class(mk.slope, h, significant=mk.pvalue < 0.05),
         cs.persistence_class(d(mk.slope), d(h), significant=d(mk.pvalue) < 0.05)),
        (cs.sink_class(lt.slope), cs.sink_class(d(lt.slope))),
        (cs.net_ecosystem_production(Y, X), cs.net_ecosystem_production(_dask(Y, chunking), X)),
        (cs.classify(cv, [0, 0.05, 0.1, 0.2, 1]), cs.classify(d(cv), [0, 0.05, 0.1, 0.2, 1])),
    ]
    for ref, res in cases:
        assert isinstance(res, da.Array)
        assert_same(res.compute(), ref)


def test_class_of_lazy_fields():
    """trend_class straight on the lazy fields of mann_kendall."""
    r = cs.mann_kendall(_dask(Y, "blocks"), YEARS, min_valid=18)
    ref = cs.mann_kendall(Y, YEARS, min_valid=18)
    assert_same(cs.trend_class(r.slope, r.z).compute(), cs.trend_class(ref.slope, ref.z))


@pytest.mark.parametrize("func,kw", [
    ("mann_kendall", {"method": "hamed_rao"}), ("mann_kendall", {}),
    ("hurst", {"method": "rs"}), ("coefficient_of_variation", {}),
    ("linear_trend", {}), ("partial_correlation", {})])
def test_numpy_path(monkeypatch, func, kw):
    """The same equality on the numpy path (no numba)."""
    monkeypatch.setenv("CARBONSINK_NO_NUMBA", "1")
    y = Y[:, :30, :40]
    args = (y, X[:, :30, :40], [Z1[:, :30, :40]]) if func == "partial_correlation" else (y,)
    ref = getattr(cs, func)(*args, min_valid=18, **kw)
    dargs = (da.from_array(args[0], chunks=(N, 16, 15)),) + args[1:]
    res = getattr(cs, func)(*dargs, min_valid=18, **kw)
    if hasattr(ref, "__dataclass_fields__"):
        assert_fields(res, ref)
    elif func == "hurst":
        # hurst's numpy path itself gives the last bit of a pixel's H
        # differently depending on the block around it (numpy SIMD math over
        # the pixels grouped by valid count): the block engine does too
        got = res.compute()
        np.testing.assert_array_equal(np.isnan(got), np.isnan(ref))
        np.testing.assert_allclose(got, ref, rtol=1e-13, atol=0)
    else:
        assert_same(res.compute(), ref)


# ------------------------------------------------------------ behaviour

def test_one_series_and_numpy_pass_through():
    s = Y[:, 0, 1]
    ref = cs.mann_kendall(s, YEARS)
    with pytest.warns(D.TimeRechunkWarning):
        res = cs.mann_kendall(da.from_array(s, chunks=5), YEARS)
    assert res.slope.shape == ()
    assert_fields(res, ref)
    # numpy in, numpy out: the very function
    r = cs.mann_kendall(Y, YEARS, min_valid=18)
    assert isinstance(r.slope, np.ndarray)
    from carbonsink.core import trend
    assert cs.mann_kendall is trend.mann_kendall            # wrapped where it is defined
    assert cs.mann_kendall.__wrapped__.__code__.co_filename == trend.__file__


def test_time_chunks_rechunked_with_warning():
    y = da.from_array(Y, chunks=(8, 32, 32))
    with pytest.warns(D.TimeRechunkWarning, match="chunked along time"):
        r = cs.hurst(y, min_valid=18)
    assert r.chunks == ((32, 29), (32, 32, 19))
    assert_same(r.compute(), cs.hurst(Y, min_valid=18))


def test_time_chunks_too_big_raise():
    y = da.from_array(Y, chunks=(8, 32, 32))
    with dask.config.set({"carbonsink.max-chunk": "64kB"}), \
            pytest.raises(ValueError, match=r"rechunk\(\{0: -1"):
        cs.mann_kendall(y)


def test_argument_errors_are_eager():
    y = _dask(Y, "blocks")
    with pytest.raises(ValueError, match="method must be one of"):
        cs.mann_kendall(y, method="nope")
    with pytest.raises(ValueError, match="years given"):
        cs.linear_trend(y, YEARS[:-1])
    with pytest.raises(ValueError, match="has shape"):
        cs.partial_correlation(y, X[:, :10])
    with pytest.raises(ValueError, match="12 months"):
        cs.heterotrophic_respiration(y[:23], y[:23])


class _Calls:
    n = 0


def _counting_mk(y, years=None, min_valid=None):
    _Calls.n += 1
    return cs.mann_kendall(y, years, min_valid=min_valid)


def test_kernel_runs_once_per_chunk():
    f = D.dask_aware(_counting_mk, outputs="fields")
    y = _dask(Y, "blocks")                        # 4 x 3 chunks
    r = f(y, YEARS, min_valid=18)
    _Calls.n = 0                                  # the probe called it once
    with dask.config.set(scheduler="threads"):
        dask.compute(*[getattr(r, k) for k in r.__dataclass_fields__],
                     cs.trend_class(r.slope, r.z))
    assert _Calls.n == 12


def test_lazy():
    f = D.dask_aware(_counting_mk, outputs="fields")
    _Calls.n = 0
    f(_dask(Y, "blocks"), YEARS)
    assert _Calls.n == 1                          # the one-pixel probe only


def test_no_dask_import():
    code = ("import sys, numpy as np, carbonsink.core as cs, carbonsink.core._dispatch as d\n"
            "cs.mann_kendall(np.ones((5, 2, 2)))\n"
            "assert 'dask' not in sys.modules and 'xarray' not in sys.modules, 'imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


# ----------------------------------------------------------------- xarray

def _dataarray(a, chunks=None, dims=("time", "y", "x")):
    coords = {"time": YEARS.astype(int), "y": 30.0 - 0.5 * np.arange(a.shape[1]),
              "x": 110.0 + 0.5 * np.arange(a.shape[2]), "mask_name": "npp"}
    data = da.from_array(a, chunks=chunks) if chunks else a
    return xr.DataArray(data, dims=dims, coords=coords, attrs={"units": "g C m-2 yr-1"},
                        name="npp")


@pytest.mark.parametrize("lazy", [True, False])
def test_xarray_fields(lazy):
    arr = _dataarray(Y, CHUNKS["blocks"] if lazy else None)
    r = cs.mann_kendall(arr, arr["time"], min_valid=18)
    ref = cs.mann_kendall(Y, YEARS, min_valid=18)
    assert isinstance(r.slope, xr.DataArray)
    assert r.slope.dims == ("y", "x")
    assert r.slope.name == "slope"
    assert r.slope.attrs == {"units": "g C m-2 yr-1"}
    np.testing.assert_array_equal(r.slope["x"], arr["x"])
    assert "time" not in r.slope.coords and "mask_name" in r.slope.coords
    assert isinstance(r.z.data, da.Array) == lazy
    for f in ref.__dataclass_fields__:
        assert_same(getattr(r, f).values, getattr(ref, f))
    cls = cs.trend_class(r.slope, r.z)
    assert isinstance(cls, xr.DataArray) and cls.dims == ("y", "x")
    assert_same(cls.values, cs.trend_class(ref.slope, ref.z))


def test_xarray_time_axis_outputs():
    arr = _dataarray(Y, CHUNKS["strips"])
    cc = cs.carrying_capacity(arr, YEARS, min_valid=18)
    assert cc.potential.dims == ("time", "y", "x")
    np.testing.assert_array_equal(cc.potential["time"], arr["time"])
    assert cc.cscc.dims == ("y", "x")
    assert_same(cc.saturation.values, cs.carrying_capacity(Y, YEARS, min_valid=18).saturation)
    # 12 n months -> n years: every 12th time coordinate
    rng = np.random.default_rng(0)
    t = rng.normal(10, 5, (36, 6, 7))
    p = rng.gamma(2, 30, (36, 6, 7))
    tx = xr.DataArray(da.from_array(t, chunks=(36, 3, 7)), dims=("time", "y", "x"),
                      coords={"time": np.arange(36)})
    rh = cs.heterotrophic_respiration(tx, p)
    assert rh.dims == ("time", "y", "x") and rh.name == "rh"
    np.testing.assert_array_equal(rh["time"], [0, 12, 24])
    assert_same(rh.values, cs.heterotrophic_respiration(t, p))


def test_xarray_time_not_first_and_alignment():
    arr = _dataarray(Y, CHUNKS["blocks"]).transpose("y", "x", "time")
    h = cs.hurst(arr, min_valid=18)
    assert h.dims == ("y", "x")
    assert_same(h.values, cs.hurst(Y, min_valid=18))
    a = _dataarray(Y, CHUNKS["blocks"])
    b = _dataarray(X, CHUNKS["blocks"]).assign_coords(x=a["x"] + 1.0)
    with pytest.raises(ValueError, match="same coordinates"):
        cs.partial_correlation(a, b)
    r = cs.partial_correlation(a, _dataarray(X, CHUNKS["one"]), [Z1], min_valid=18)
    assert r.r.dims == ("y", "x")
    assert_same(r.r.values, cs.partial_correlation(Y, X, [Z1], min_valid=18).r)


def test_distributed_cluster_same_numbers():
    """The dispatcher on a 2-worker LocalCluster on loopback."""
    distributed = pytest.importorskip("distributed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           host="127.0.0.1", dashboard_address=None,
                                           env={"NUMBA_NUM_THREADS": "1"})
    try:
        with distributed.Client(cluster) as client:
            assert client.scheduler.address.startswith("tcp://127.0.0.1:")
            for w in client.scheduler_info()["workers"]:
                assert w.startswith("tcp://127.0.0.1:")
            r = cs.mann_kendall(_dask(Y, "blocks"), YEARS, method="yue_wang", min_valid=18)
            h = cs.hurst(_dask(Y, "strips"), min_valid=18)
            got = client.compute([r.slope, r.pvalue, h, cs.trend_class(r.slope, r.z)],
                                 sync=True)
            ref = cs.mann_kendall(Y, YEARS, method="yue_wang", min_valid=18)
            assert_same(got[0], ref.slope)
            assert_same(got[1], ref.pvalue)
            assert_same(got[2], cs.hurst(Y, min_valid=18))
            assert_same(got[3], cs.trend_class(ref.slope, ref.z))
    finally:
        cluster.close()


def test_wrapped_names_cover_api():
    names = {"linear_trend", "mann_kendall", "trend_class", "coefficient_of_variation",
             "hurst", "partial_correlation", "carrying_capacity",
             "heterotrophic_respiration"}
    assert names <= set(D.WRAPPED)
    for k, f in D.WRAPPED.items():
        assert f.dask_aware and f.__name__ == k
        assert os.path.basename(f.__wrapped__.__code__.co_filename) != "_dispatch.py"


def test_each_public_name_is_one_object():
    """The dask wrappers are applied where each function is defined: the
    package's name and the module's are the same object (no re-binding)."""
    import importlib
    for name, f in D.WRAPPED.items():
        homes = [m for m in ("trend", "stability", "hurst", "correlation", "carbon")
                 if name in vars(importlib.import_module(f"carbonsink.core.{m}"))]
        assert len(homes) == 1, (name, homes)
        module = importlib.import_module(f"carbonsink.core.{homes[0]}")
        assert getattr(cs, name) is f is vars(module)[name], name
    assert len(D.WRAPPED) == 14
