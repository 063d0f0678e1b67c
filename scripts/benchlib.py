"""Helpers shared by the benchmark scripts (scripts/bench*.py)."""
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)                     # the package carbonsink
DATA = os.path.join(ROOT, "bench-data")


def import_carbonsink():
    """Import the package (installed in the venv with pip -e, or from ROOT)."""
    try:
        import carbonsink.core  # noqa: F401
    except ImportError:
        link_dir = tempfile.mkdtemp(prefix="carbonsink-bench-")
        os.symlink(ROOT, os.path.join(link_dir, "carbonsink"))
        sys.path.insert(0, link_dir)
    import carbonsink.core as cs
    return cs


def now():
    return time.perf_counter()


def load():
    """The load averages as text (other work on the machine skews timings)."""
    try:
        return "/".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "?"


def section(title):
    print(f"\n{'=' * 78}\n{title}\n{'=' * 78}", flush=True)


def fmt_s(sec):
    if sec is None or sec != sec or sec in (float("inf"), float("-inf")):
        return "-"
    return f"{sec:.2f} s" if sec >= 1 else f"{sec * 1e3:.1f} ms"


def fmt_mb(kb):
    return "-" if kb is None else f"{kb / 1024:.0f} MB"


def warm_page_cache(path):
    """Read a file once so that the timed runs start from the page cache."""
    t0 = now()
    with open(path, "rb") as f:
        while f.read(16 * 2**20):
            pass
    return now() - t0
