"""Commands made from the declarations of core/runs: every declared analysis
is a ``python -m carbonsink`` command with the toolbox's parameter names as
flags (``ZONE_FIELD`` -> ``--zone-field``, ``OUTPUT_TABLE`` ->
``--output-table``), the same defaults, enum options by key or number, and
table outputs as CSV files. No QGIS: layers are files (or GDAL names),
zones a polygon file read with OGR."""
import argparse
import tempfile

from .core.errors import InputError


def dest(name):
    return ("out_" if name.startswith("OUTPUT") else "p_") + name.lower()


def _enum_type(p):
    keys = [k for k, _ in p.options]

    def convert(text):
        if text in keys:
            return keys.index(text)
        if text.isdigit() and int(text) < len(keys):
            return int(text)
        raise argparse.ArgumentTypeError(f"invalid choice: {text!r} (choose from "
                                         f"{', '.join(keys)})")
    return convert


def _number_type(p):
    cast = int if p.kind == "int" else float

    def convert(text):
        try:
            v = cast(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if p.minimum is not None and v < p.minimum or p.maximum is not None and v > p.maximum:
            lo = "" if p.minimum is None else f"{p.minimum:g}"
            hi = "" if p.maximum is None else f"{p.maximum:g}"
            raise argparse.ArgumentTypeError(f"{text} is outside {lo}..{hi}")
        return v
    return convert


def add_command(sub, analysis, parser_class):
    """The argparse subcommand of ``analysis``."""
    a = analysis
    p = sub.add_parser(a.name, help=a.summary, description=f"{a.display}. The toolbox "
                       f"algorithm carbonsink:{a.name}, with the same parameters."
                       .replace("%", "%%"))
    ins = p.add_argument_group("inputs")
    outs = p.add_argument_group("outputs (paths)")
    for q in a.params:
        text = (q.help or q.text()).replace("%", "%%")      # argparse formats help with %
        kw = {"dest": dest(q.name), "help": text}
        flags = (q.flag, *q.aliases)
        if q.kind == "stack":
            ins.add_argument(*flags, action="extend", nargs="+", metavar="RASTER",
                             required=not q.optional, **kw)
        elif q.kind in ("raster", "vector", "file"):
            ins.add_argument(*flags, metavar="PATH", required=not q.optional, **kw)
        elif q.kind == "field":
            ins.add_argument(*flags, metavar="FIELD", **kw)
        elif q.kind == "enum":
            keys = [k for k, _ in q.options]
            kw["help"] = text + ": " + "; ".join(
                k if lab.startswith(k) else f"{k} = {lab}" for k, lab in q.options
            ).replace("%", "%%") + \
                f" (default {keys[q.default]})"
            ins.add_argument(*flags, type=_enum_type(q), default=q.default, metavar="KEY",
                             **kw)
        elif q.kind == "band":
            kw["help"] = f"{text} (default {q.default})"
            ins.add_argument(*flags, type=int, default=q.default, metavar="N", **kw)
        elif q.kind in ("int", "float"):
            if q.default is not None:
                kw["help"] = f"{text} (default {q.default:g})"
            ins.add_argument(*flags, type=_number_type(q), default=q.default, metavar="N",
                             **kw)
        elif q.kind == "bool":
            if q.default:
                ins.add_argument("--no-" + q.flag[2:], action="store_false",
                                 dest=dest(q.name), help="do not: " + text)
            else:
                ins.add_argument(*flags, action="store_true", **kw)
        elif q.kind == "string":
            if q.join:
                kw["action"] = _Join
            ins.add_argument(*flags, default=q.default, metavar="TEXT", **kw)
        elif q.kind == "raster_out":
            outs.add_argument(*flags, metavar="PATH.tif",
                              required=not (q.optional or a.any_outputs), **kw)
        elif q.kind == "table_out":
            outs.add_argument(*flags, metavar="PATH.csv", **kw)
        elif q.kind == "vector_out":
            outs.add_argument(*flags, metavar="PATH.gpkg", **kw)
        elif q.kind == "file_out":
            outs.add_argument(*flags, metavar=f"PATH.{q.ext}", **kw)
    if a.dask:
        from .cli import engine_options
        engine_options(p)
        return p
    g = p.add_argument_group("engine")
    g.add_argument("--memory-mb", type=int, default=256,
                   help="memory budget of a block (default 256)")
    g.add_argument("--threads", type=int, default=0, help="numba threads (0 = all cores)")
    g.add_argument("--no-styles", action="store_true",
                   help="do not write .qml styles beside the outputs")
    g.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    g.add_argument("--debug", action="store_true", help="show tracebacks")
    p.set_defaults(dask=None, format="gtiff", chunk=0, workers=0, dask_timeout=30.0)
    return p


class _Join(argparse.Action):
    """A repeated flag: its values joined with commas (--driver-name T
    --driver-name P = T,P)."""

    def __call__(self, parser, namespace, values, option_string=None):
        old = getattr(namespace, self.dest, None)
        setattr(namespace, self.dest, f"{old},{values}" if old else values)


def _parse_years(text):
    """(years list or None, first year or None) from --years."""
    if text is None:
        return None, None
    text = text.strip()
    try:
        if ".." in text:
            a, b = text.split("..", 1)
            if not b.strip():
                return None, int(a)
            lo, hi = int(a), int(b)
            if hi < lo:
                raise InputError(f"--years {text}: the range goes backwards")
            return list(range(lo, hi + 1)), None
        vals = [float(v) for v in text.replace(";", ",").split(",") if v.strip()]
    except ValueError:
        raise InputError(f"--years must be FIRST.., FIRST..LAST or comma separated years, "
                       f"not {text!r}") from None
    if len(vals) == 1:
        return None, int(vals[0])
    return vals, None



class CliArgs:
    """The argument reader of ``run`` (core/runs/declare.Args) over parsed
    command-line arguments."""

    def __init__(self, analysis, ns, console, runner=None):
        self.analysis, self.ns, self.console = analysis, ns, console
        self.runner = runner            # the dask runner (core.io.dask.DaskRunner) or None
        self.progress = console.progress()
        self.memory_mb = ns.memory_mb
        self.scratch = []

    @staticmethod
    def tr(text):
        return text

    def _get(self, name):
        return getattr(self.ns, dest(name))

    def enum(self, name):
        return self._get(name)

    def int(self, name):
        return int(self._get(name))

    def float(self, name):
        return float(self._get(name))

    def number(self, name):
        return self._get(name)

    def bool(self, name):
        return bool(self._get(name))

    def string(self, name):
        return self._get(name) or ""

    file = string

    def given(self, name):
        return self._get(name) not in (None, "", [])

    def stack(self, name, label, scaling_prefix=None):
        from .core.rasters import open_stack
        sources = self._get(name)
        if not sources:
            raise InputError(f"{label}: no raster given ({self.analysis.param(name).flag})")
        kw = {}
        if scaling_prefix:
            kw = {k.lower(): self._get(f"{scaling_prefix}_{k}")
                  for k in ("SCALE", "OFFSET", "VALID_MIN", "VALID_MAX")}
        return open_stack(sources, label, **kw)

    def raster(self, name, label, optional=False):
        from .core.rasters import open_stack
        path = self._get(name)
        if not path:
            if optional:
                return None
            raise InputError(f"{label}: no raster given ({self.analysis.param(name).flag})")
        return open_stack(path, label)

    def sources(self, name):
        return list(self._get(name) or [])

    def named_sources(self, name):
        """[(source, None)]: the run names them (the toolbox by layer names)."""
        return [(s, None) for s in self.sources(name)]

    def zones(self, name, field_name, grid, all_touched=False):
        from .core.io.outputs import scratch_tif
        from .core.io.zones import zones_from_vector
        path = self._get(name)
        if not path:
            return None, {1: "all valid pixels"}
        field = (self._get(field_name) or "").strip() or None
        out = scratch_tif(tempfile.gettempdir(), "zones")
        self.scratch.append(out)
        zs, names = zones_from_vector(path, grid, out, name_field=field,
                                      all_touched=all_touched, group=True)
        self.info(f"{len(names)} zones from {path}, rasterised onto the grid")
        return zs, names

    def drop_zones(self, zs):
        from .core.io.outputs import remove_scratch
        if zs is not None:
            path = zs.sources[0]
            zs.close()
            remove_scratch([path])
            if path in self.scratch:
                self.scratch.remove(path)

    def zone_values(self, name, field_name, value_field, names):
        from .core.io.zones import vector_features
        path = self._get(name)
        if not path:
            raise InputError("an emission field needs a zone layer")
        field = (self._get(field_name) or "").strip() or None
        ids = {v: k for k, v in names.items()}
        out = {}
        for fid, zname, _, v in vector_features(path, _NoGrid, None, field, value_field):
            zid = ids.get(f"feature {fid}" if zname is None else zname)
            if zid is None:
                continue
            if v is None:
                out.setdefault(zid, None)
                continue
            try:
                v = float(v)
            except (TypeError, ValueError):
                raise InputError(f"emission field '{value_field}' has a non-numeric value "
                                 f"'{v}'") from None
            out[zid] = v if out.get(zid) is None else out[zid] + v
        return out

    def years(self, n):
        from .core.rasters import resolve_years
        years, first = _parse_years(self._get("YEARS") or None)
        return resolve_years(n, years, first if first is not None else self._get("FIRST_YEAR"))

    def records(self, name):
        """(field names, rows) of a CSV file (UTF-8 or GBK) or an OGR table."""
        path = self._get(name)
        if str(path).lower().endswith((".csv", ".txt")):
            from .core.csv_tables import read_text_table
            from .core.series import text_records
            header, rows = text_records(read_text_table(path, "table"))
            if not header:
                raise InputError(f"{path}: the table is empty")
            return header, rows
        from .core.io.vector import read_records
        return read_records(path)

    def features(self, name, field_name, group_field=None, need_geometry=True):
        from .core.io.vector import read_features
        return read_features(self._get(name), field_name, group_field, need_geometry)

    def vector_copy(self, name, source_name, unit_of, columns, style=None):
        """The copy with the added fields, and (unless --no-styles) its
        categorized style beside it, as the toolbox loads it."""
        from .core.io.vector import copy_with_fields, geometry_kind
        path = self.output(name)
        if not path:
            return None
        out = copy_with_fields(self._get(source_name), path, unit_of, columns)
        if style and not self.ns.no_styles:
            import os

            from .core import classes, styles
            from .core.io.outputs import write_text
            write_text(os.path.splitext(path)[0] + ".qml", styles.categorized_qml(
                style[0], classes.table(style[1]), geometry_kind(self._get(source_name))))
        return out

    def fallback_output(self, name, title, names):
        flags = ", ".join(self.analysis.param(n).flag for n in names)
        raise InputError(f"raster input: give at least one raster output ({flags})")

    def style(self, path, classes):
        """The paletted .qml and GDAL class table (unless --no-styles)."""
        if not self.ns.no_styles:
            from .core import styles
            styles.write_style(path, classes)

    def output(self, name):
        return self._get(name) or None

    def source_text(self, name):
        return self._get(name) or ""

    def table(self, name, rows, keys=None, kinds=None):
        from .core.accounting import write_csv
        path = self.output(name)
        return write_csv(path, rows, keys) if path else None

    def info(self, text):
        self.console.info(text)

    def warn(self, text):
        self.console.info("warning: " + text)

    def close(self):
        from .core.io.outputs import remove_scratch
        remove_scratch(self.scratch)


class _NoGrid:
    crs_wkt = None


def command(analysis):
    """The COMMANDS entry of ``analysis``: (function, help, class styles)."""
    def run(ns, runner, console):
        if runner is not None and not analysis.dask:
            raise InputError(f"{analysis.name} runs on the block engine: leave out --dask")
        outs = [q for q in analysis.outputs if getattr(ns, dest(q.name), None)]
        if not outs:
            flags = ", ".join(q.flag for q in analysis.outputs)
            raise InputError(f"no output was asked for: give at least one of {flags}")
        args = CliArgs(analysis, ns, console, runner)
        try:
            results = analysis.run(args)
        finally:
            args.close()
        return {k: v for k, v in results.items() if v}
    run.__doc__ = analysis.summary
    return run, analysis.summary, dict(analysis.class_outputs)
