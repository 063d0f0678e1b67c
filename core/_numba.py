"""Optional numba: kernels use it when it is installed, a numpy path otherwise.

Set the environment variable ``CARBONSINK_NO_NUMBA=1`` to force the numpy
path (the tests do, to check that both give the same numbers).
"""
import os

from .errors import N_

try:  # pragma: no cover - depends on the machine
    import numba
    HAVE_NUMBA = True
except ImportError:  # pragma: no cover
    numba = None
    HAVE_NUMBA = False

#: shown once per run when numba is missing (QGIS translates it, context CarbonSink)
INSTALL_HINT = N_(
    "numba is not installed: CarbonSink uses its numpy path (same results, "
    "slower, more memory). For the fast path install numba into the Python "
    "that runs QGIS: OSGeo4W Shell on Windows: 'python -m pip install numba'; "
    "macOS: '/Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install "
    "numba'; Debian/Ubuntu: 'sudo apt install python3-numba' or pip.")


def use_numba():
    """True when the numba kernels should run."""
    return HAVE_NUMBA and os.environ.get("CARBONSINK_NO_NUMBA", "") in ("", "0")


def _compile(func, **options):
    """numba.njit with an on-disk cache (beside the module, or numba's per-user
    cache folder when the plugin folder is read-only); without a usable cache
    location, compile in memory only."""
    try:
        return numba.njit(cache=True, **options)(func)
    except RuntimeError:      # "cannot cache function ...: no locator available"
        return numba.njit(**options)(func)


def njit_parallel(func):
    """Compile ``func`` lazily as a parallel, GIL-free numba kernel."""
    if not HAVE_NUMBA:
        return func
    return _compile(func, parallel=True, nogil=True)


def njit(func):
    """Compile ``func`` lazily as a serial numba function (kernel helper)."""
    if not HAVE_NUMBA:
        return func
    return _compile(func, nogil=True)


prange = numba.prange if HAVE_NUMBA else range


def mulhi_halves(a, b, scratch=None):
    """floor(a b / 2^64) of uint64 ``a`` and ``b`` < 2^32, from the 32-bit halves
    of ``a`` (exact: floor((x + floor(y)) / c) = floor((x + y) / c) for integer x).
    With ``scratch`` (a uint64 array of ``a``'s shape) the result overwrites
    ``a``, without temporaries."""
    import numpy as np
    lo, s32 = np.uint64(0xFFFFFFFF), np.uint64(32)
    if scratch is None:
        return ((a >> s32) * b + (((a & lo) * b) >> s32)) >> s32
    np.bitwise_and(a, lo, out=scratch)
    scratch *= b
    scratch >>= s32
    a >>= s32
    a *= b
    a += scratch
    a >>= s32
    return a


if HAVE_NUMBA:  # pragma: no cover - depends on the machine
    from llvmlite import ir as _ir
    from numba.extending import intrinsic as _intrinsic

    @_intrinsic
    def mulhi(typingctx, a, b):
        """:func:`mulhi_halves` in the compiled kernels as one 64 x 64 -> 128-bit
        multiply: the same integer, three multiplies fewer (Fisher-Yates 1.7x faster)."""
        def codegen(context, builder, signature, args):
            i128 = _ir.IntType(128)
            prod = builder.mul(builder.zext(args[0], i128), builder.zext(args[1], i128))
            return builder.trunc(builder.lshr(prod, _ir.Constant(i128, 64)), _ir.IntType(64))
        return numba.types.uint64(numba.types.uint64, numba.types.uint64), codegen
else:  # pragma: no cover
    mulhi = mulhi_halves


def threads():
    """The number of threads the numba kernels run on (1 without numba)."""
    return numba.get_num_threads() if HAVE_NUMBA else 1


def set_threads(n):
    """Set the number of numba threads (0 or None: all cores)."""
    if HAVE_NUMBA and n:
        numba.set_num_threads(max(1, min(int(n), numba.config.NUMBA_NUM_THREADS)))
