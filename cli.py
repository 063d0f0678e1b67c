"""``python -m carbonsink``: the toolbox analyses on raster files, without QGIS.

Every subcommand mirrors a Processing algorithm (same parameters, same
numbers, same GeoTIFF outputs and class styles): the analyses declared in
core/runs are made into commands by cli_runs.py, with the toolbox's parameter
names as flags (the shorter flags of earlier versions still work); by
default they stream the stacks block by block within ``--memory-mb``::

    python -m carbonsink senmk --input npp_stack.tif --years 2000.. \\
        --output-slope sen.tif --output-p p.tif --output-class mk_class.tif

With ``--dask SCHEDULER`` the same analysis runs on dask instead: the stacks
are read as dask arrays (chunks of whole time series, aligned to 256-pixel
tiles, sized from ``--memory-mb``), the per-pixel functions run through the
dispatcher of :mod:`carbonsink.core._dispatch` (the same kernels, so the same
numbers) and each output block is written as it arrives. SCHEDULER is

- ``local``: a ``dask.distributed.LocalCluster`` on this machine, listening
  on 127.0.0.1 only (``--workers`` processes, one thread and
  ``--threads`` or cores / workers numba threads each), closed at the end;
- ``tcp://host:port`` (or ``tls://...``): an existing dask.distributed
  scheduler; its workers need carbonsink, numpy/numba and GDAL, and the
  input files at the same paths (a shared file system);
- ``threads``: dask's threaded scheduler in this process (no distributed).

GeoTIFF outputs are written by this process only (the workers send their
results back), under a temporary name renamed at the end: a failed,
interrupted or killed run leaves no output and no partial file. With
``--format zarr`` every output is a Zarr store (a directory, written by the
workers directly, so it must be on a file system they share) with x/y
coordinates and the grid in CF attributes, also renamed into place at the
end. dask is an optional extra: ``pip install carbonsink[dask]``.

Progress goes to stderr, the written paths to stdout (``name: path``). Any
error is one line ``carbonsink: error: ...`` and exit code 1 (``--debug``
shows the traceback).
"""
import argparse
import contextlib
import os
import signal
import sys
import time

from .core.io.outputs import check_paths, output_set

PROG = "carbonsink"


class CliError(Exception):
    """An error reported as one line."""


# -------------------------------------------------------------- console

class Console:
    """Progress lines on stderr: one per 10 % (none with quiet)."""

    def __init__(self, label, quiet=False):
        self.label = label
        self.quiet = quiet
        self.last = -1

    def set(self, percent):
        step = int(percent // 10) * 10
        if not self.quiet and step > self.last:
            self.last = step
            print(f"{PROG} {self.label}: {step:3d}%", file=sys.stderr, flush=True)

    def info(self, text):
        if not self.quiet:
            print(f"{PROG} {self.label}: {text}", file=sys.stderr, flush=True)

    def progress(self):
        from .core.progress import Progress
        return Progress(self.set, None, self.info)


# ------------------------------------------------------------- helpers

def _write_styles(paths, tables, console):
    """The toolbox's styles beside the outputs, without QGIS: a paletted QML
    and a GDAL class table for class rasters, a ramp for continuous ones
    (labels in English)."""
    from .core import classes, styles
    for key, path in paths.items():
        if not (isinstance(path, str) and path.lower().endswith((".tif", ".tiff"))):
            continue
        if key in tables:
            styles.write_style(path, classes.table(tables[key]))
        elif key not in ("years",):
            styles.write_continuous_style(path, styles.ramp_kind(key))


# -------------------------------------------------------------- parser

class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(1, f"{PROG}: error: {message} (see {self.prog} --help)\n")


def engine_options(p):
    """The engine flags of the raster commands: memory, threads, dask, format."""
    g = p.add_argument_group("engine")
    g.add_argument("--memory-mb", type=int, default=256,
                   help="memory budget of a block (block engine) or four dask chunks "
                        "(default 256)")
    g.add_argument("--threads", type=int, default=0,
                   help="numba threads (0 = all cores; with --dask local: per worker, "
                        "default cores / workers)")
    g.add_argument("--dask", metavar="SCHEDULER",
                   help="run on dask: 'local' (a LocalCluster on 127.0.0.1), "
                        "'threads', or a scheduler address tcp://host:port")
    g.add_argument("--dask-timeout", type=float, default=30.0, metavar="SECONDS",
                   help="--dask ADDRESS: seconds to wait for the scheduler (default 30)")
    g.add_argument("--workers", type=int, default=0,
                   help="--dask local: number of worker processes (default: cores)")
    g.add_argument("--chunk", type=int, default=0, metavar="PIXELS",
                   help="--dask: side of the square chunks (default: from --memory-mb, a "
                        "multiple of 256, the output tile)")
    g.add_argument("--format", choices=("gtiff", "zarr"), default="gtiff",
                   help="output format (zarr needs --dask)")
    g.add_argument("--no-styles", action="store_true",
                   help="do not write .qml styles beside class rasters")
    g.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    g.add_argument("--debug", action="store_true", help="show tracebacks")


def build_parser():
    parser = _Parser(prog=f"python -m {PROG}",
                     description="CarbonSink analyses on raster files, without QGIS: the "
                                 "toolbox algorithms, streamed block by block, or on dask.")
    parser.add_argument("--version", action="store_true", help="print the version")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    from .cli_runs import add_command
    for analysis in _declared().values():
        add_command(sub, analysis, _Parser)
    return parser


def _declared():
    """The analyses declared in core/runs, each a command (cli_runs.py)."""
    from .core.runs import analyses
    return analyses()


# ---------------------------------------------------------------- main

def _output_paths(args):
    return {"--" + k[4:].replace("_", "-"): v for k, v in vars(args).items()
            if k.startswith("out_") and isinstance(v, str)}


def _input_paths(args):
    """Every file name the command reads (for the output = input check)."""
    found = []
    for key, value in vars(args).items():
        if key.startswith("out_"):
            continue
        for v in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(v, str) and os.path.isfile(v):
                found.append(v)
    return found


def _message(exc):
    name = type(exc).__name__
    text = str(exc).strip() or name
    if name == "KilledWorker":
        return (f"a dask worker died while computing ({text}); no output was written")
    if name in ("CommClosedError", "FutureCancelledError", "CancelledError"):
        return f"the dask cluster stopped the run ({name}: {text}); no output was written"
    return text


class _Terminated(Exception):
    pass


def _on_term(signum, frame):
    raise _Terminated("terminated by a signal: no output was written")


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(_version())
        return 0
    if not args.command:
        parser.print_help(sys.stderr)
        return 1
    from .cli_runs import command
    func, _, styles = command(_declared()[args.command])
    console = Console(args.command, args.quiet)
    old = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, _on_term)
    except ValueError:                        # not the main thread
        old = None
    runner = None
    quiet_gdal = False
    t0 = time.perf_counter()
    try:
        from osgeo import gdal
        # GDAL's own error lines would repeat ours (RasterStack reads the
        # message with GetLastErrorMsg): quiet for this run only
        gdal.PushErrorHandler("CPLQuietErrorHandler")
        quiet_gdal = True

        from .core import _numba
        if args.threads:
            _numba.set_threads(args.threads)
        if not _numba.use_numba():
            console.info("numba not found: numpy path (same numbers, slower)")
        check_paths(_output_paths(args), _input_paths(args))   # before any work or cluster
        if args.format == "zarr" and not args.dask:
            raise CliError("--format zarr needs --dask (local, threads or an address)")
        if args.dask:
            from .core.io.dask import DaskRunner
            if args.chunk < 0:
                raise CliError("--chunk must be a positive number of pixels")
            runner = DaskRunner(args.dask, args.workers or None, args.threads or None,
                                args.memory_mb, args.format, console, args.chunk or None,
                                args.dask_timeout)
        with output_set():          # every output of the run, committed together
            paths = func(args, runner, console)
            if not args.no_styles:
                _write_styles(paths, styles, console)
        for key, path in paths.items():
            print(f"{key}: {path}")
        console.info(f"done in {time.perf_counter() - t0:.1f} s")
        return 0
    except (KeyboardInterrupt, _Terminated) as exc:
        if args.debug:
            raise
        text = str(exc) or "interrupted: no output was written"
        print(f"{PROG}: error: {text}", file=sys.stderr)
        return 1
    except Exception as exc:
        if args.debug:
            raise
        print(f"{PROG}: error: {_message(exc)}", file=sys.stderr)
        return 1
    finally:
        if quiet_gdal:
            from osgeo import gdal
            gdal.PopErrorHandler()
        if runner is not None:
            with contextlib.suppress(Exception):        # closing anyway
                runner.close()
        if old is not None:
            signal.signal(signal.SIGTERM, old)


def _version():
    from ._version import __version__
    return f"{PROG} {__version__}"
