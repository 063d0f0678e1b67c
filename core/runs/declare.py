"""The declaration of a file-level analysis: its parameters, its outputs and
one ``run`` function, from which both surfaces are made.

- ``algorithms/declared.py`` makes the QGIS Processing algorithm from it
  (parameters, labels translated, help, styles of the outputs);
- ``cli.py`` makes the ``python -m carbonsink`` command (argparse: the same
  parameter names as flags, ``ZONE_FIELD`` -> ``--zone-field``, the same
  defaults; enum options by key or number).

``run(a)`` gets an argument reader ``a`` that both surfaces implement (see
:class:`Args`) and returns ``{output parameter name: path}``. Labels are
English; ``N_`` marks them for the translation catalogue (context
``CarbonSink``), ``a.tr("...")`` translates messages at run time (the
identity on the command line).
"""
from dataclasses import dataclass, field

from ..errors import N_  # noqa: F401 - the declarations mark their labels with it

TR_CONTEXT = "CarbonSink"


@dataclass
class Param:
    """One parameter. ``kind``: stack, raster, band, vector, field, file, enum,
    int, float, bool, string (inputs); raster_out, table_out, vector_out,
    file_out (outputs)."""
    name: str
    kind: str
    label: str
    default: object = None
    optional: bool = False
    options: tuple = ()          # enum: ((key, label), ...)
    minimum: float = None
    maximum: float = None
    advanced: bool = False
    parent: str = None           # field: the vector parameter it belongs to
    ext: str = None              # file: csv; file_out: csv or html
    multiline: bool = False
    label_args: tuple = ()       # label.format(*label_args), each translated
    translate_options: bool = True
    help: str = None             # the command line's help (default: the label)
    create: bool = None          # outputs: created by default (default: not optional)
    geometry: str = "polygon"    # vector: polygon, any, or table (no geometry needed)
    numeric: bool = False        # field: numeric fields only
    setting: str = None          # int: a Processing option that gives the toolbox default
    aliases: tuple = ()          # further command-line flags (the commands' older names)
    surface: str = None          # "cli": a command-line parameter only
    join: bool = False           # string: a repeated flag joins its values with commas

    @property
    def is_output(self):
        return self.kind.endswith("_out")

    @property
    def flag(self):
        return "--" + self.name.lower().replace("_", "-")

    def text(self, tr=N_):
        """The label with its arguments, through ``tr``."""
        return tr(self.label).format(*[tr(a) for a in self.label_args]) \
            if self.label_args else tr(self.label)


# ------------------------------------------------------------ parameter kinds

def stack(name, label, optional=False, aliases=()):
    return Param(name, "stack", label, optional=optional, aliases=tuple(aliases))


def raster(name, label, optional=False, aliases=()):
    return Param(name, "raster", label, optional=optional, aliases=tuple(aliases))


def vector(name, label, optional=True):
    return Param(name, "vector", label, optional=optional)


def field_of(name, label, parent):
    return Param(name, "field", label, optional=True, parent=parent)


def file(name, label, ext="csv", optional=False):
    return Param(name, "file", label, optional=optional, ext=ext)


def enum(name, label, options, default=0, translate=True, advanced=False):
    return Param(name, "enum", label, default=default, options=tuple(options),
                 translate_options=translate, advanced=advanced)


def integer(name, label, default=None, minimum=None, maximum=None, optional=False,
            advanced=False):
    return Param(name, "int", label, default, optional, minimum=minimum, maximum=maximum,
                 advanced=advanced)


def number(name, label, default=None, minimum=None, maximum=None, optional=False,
           advanced=False, label_args=()):
    return Param(name, "float", label, default, optional, minimum=minimum, maximum=maximum,
                 advanced=advanced, label_args=tuple(label_args))


def boolean(name, label, default=False, advanced=False):
    return Param(name, "bool", label, default, advanced=advanced)


def string(name, label, default=None, optional=True, multiline=False, advanced=False):
    return Param(name, "string", label, default, optional, multiline=multiline,
                 advanced=advanced)


def raster_out(name, label, optional=False, aliases=()):
    return Param(name, "raster_out", label, optional=optional, aliases=tuple(aliases))


def table_out(name, label, optional=False, create=None, aliases=()):
    return Param(name, "table_out", label, optional=optional, create=create,
                 aliases=tuple(aliases))


def vector_out(name, label):
    """A copy of a vector input with added fields (created by default)."""
    return Param(name, "vector_out", label, optional=True, create=True)


def file_out(name, label, ext="csv", default=False, optional=True, aliases=()):
    """A file output; ``default``: created by default in the dialog."""
    return Param(name, "file_out", label, optional=optional, ext=ext, default=default,
                 aliases=tuple(aliases))


# ------------------------------------------------------------ shared groups

def zones(label=N_("Zones (polygons; empty = the whole grid)"),
          field_label=N_("Zone name field")):
    """ZONES (optional polygons) and ZONE_FIELD (their name field)."""
    return [vector("ZONES", label), field_of("ZONE_FIELD", field_label, "ZONES")]


def min_valid():
    """MIN_VALID: the least number of valid years of a pixel (0 = all)."""
    return integer("MIN_VALID", N_("Minimum number of valid years per pixel (0 = all years)"),
                   0, minimum=0, advanced=True)


def years():
    """FIRST_YEAR and YEARS (the years of a stack with gaps)."""
    return [integer("FIRST_YEAR", N_("Year of the first layer"), 2000),
            Param("YEARS", "string", N_("Years of the layers, comma separated (overrides the "
                                        "first year; use it for gaps, e.g. 2000,2001,2003)"),
                  None, True, advanced=True)]


def scaling(prefix, what, short_flags=False):
    """PREFIX_SCALE, _OFFSET, _VALID_MIN, _VALID_MAX (empty: the file's own
    GDAL scale and offset metadata); ``short_flags``: also --scale, --offset,
    --valid-min, --valid-max on the command line."""
    return [Param(f"{prefix}_{suffix}", "float", label, None, True, advanced=True,
                  label_args=(what,),
                  aliases=("--" + suffix.lower().replace("_", "-"),) if short_flags else ())
            for suffix, label in (
                ("SCALE", N_("{}: scale factor applied to stored values")),
                ("OFFSET", N_("{}: offset added after scaling")),
                ("VALID_MIN", N_("{}: smallest valid stored value")),
                ("VALID_MAX", N_("{}: largest valid stored value")))]


def unit_label(u):
    """The enum label of a mass unit: "Tg C (= Mt C, 1e12 g)"."""
    extra = {"t C": " (= Mg C)", "Tg C": " (= Mt C, 1e12 g)", "Pg C": " (= Gt C, 1e15 g)",
             "t CO2": " (= Mg CO2)", "Tg CO2": " (= Mt CO2)", "Pg CO2": " (= Gt CO2)"}
    return u + extra.get(u, "")


def unit(name="UNIT", label=N_("Unit of the totals"), default=3):
    from ..accounting import UNITS
    return enum(name, label, [(u, unit_label(u)) for u in UNITS], default, translate=False)


def species():
    return enum("INPUT_SPECIES", N_("Input values are area densities of"),
                [("C", N_("carbon (g C m-2, per year for fluxes)")),
                 ("CO2", N_("CO2 (g CO2 m-2, per year for fluxes)"))], 0)


# ------------------------------------------------------------ the analysis

@dataclass
class Analysis:
    """A file-level analysis: the toolbox algorithm and the command are made
    from it. ``class_outputs``: {output parameter: class table name in
    core/classes.py} for class rasters (paletted styles)."""
    name: str
    display: str
    group: str
    group_id: str
    params: list
    run: object
    summary: str = ""
    class_outputs: dict = field(default_factory=dict)
    class_name: str = ""          # the QGIS algorithm's Python class name
    dask: bool = False            # the command also runs on dask (--dask)
    any_outputs: bool = False     # the command writes any subset of the raster outputs

    def param(self, name):
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def inputs(self):
        return [p for p in self.params if not p.is_output]

    @property
    def toolbox_params(self):
        """The parameters of the QGIS algorithm (not the command-line-only ones)."""
        return [p for p in self.params if p.surface != "cli"]

    @property
    def outputs(self):
        return [p for p in self.params if p.is_output]


class Args:
    """What ``run`` may ask of its surface (the QGIS algorithm or the command).

    Tables: ``records(name)`` -> (field names, rows of values; None for NULL)
    of a table or vector parameter (the features kept for ``vector_copy``).
    Values: ``enum(name)`` (the option's index), ``int``, ``float``,
    ``number`` (a float or None when empty), ``bool``, ``string``, ``file``
    (a path or ""), ``given(name)``. Layers: ``stack(name, label,
    scaling_prefix)``, ``raster(name, label, optional)``, ``sources(name)``
    (the GDAL names of a stack parameter), ``zones(name, field, grid)`` ->
    (zone stack or None, {id: name}), ``zone_values(name, field,
    value_field, names)`` -> {zone id: summed value}, ``years(n)``. Outputs:
    ``output(name)`` (a path or None), ``table(name, rows, keys, kinds)`` (a
    destination or None; ``kinds`` {column: int, int64, double, string}
    overrides the kinds guessed from the values), ``source_text(name)`` (how
    the user gave an input, for reports: a path, or ""), ``style(path, classes)``
    (the paletted style of a class raster whose classes the run made).
    Messages: ``info``, ``warn``, ``tr``; and ``progress``, ``memory_mb``,
    ``runner`` (the command line's dask runner, or None).
    """


def outputs(a, keys):
    """{core output key: path} of the outputs asked for; ``keys`` {core key:
    output parameter name}."""
    return {k: a.output(name) for k, name in keys.items() if a.output(name)}


def results(paths, keys):
    """{output parameter name: path} from the {core key: path} of a file-level
    function."""
    return {keys[k]: p for k, p in paths.items() if k in keys}


# ------------------------------------------------------------ report columns

#: the headers the HTML reports show for the columns of their tables (the
#: tables and CSV files keep the column names, for scripts)
COLUMNS = {
    "zone": N_("zone"), "layer": N_("layer"), "class_name": N_("class"),
    "area_km2": N_("area (km2)"), "budget_area_km2": N_("area (km2)"),
    "nep_total": N_("NEP total"), "rcs_total": N_("RCS total"), "ecs_total": N_("ECS total"),
    "ce_total": N_("CE total"), "cnc_total": N_("CNC total"),
    "lithology": N_("lithology code"), "lithology_name": N_("lithology"),
    "a": N_("coefficient a"), "a_unit": N_("unit of a"),
    "runoff_aw_mean": N_("runoff, area-weighted mean (mm yr-1)"),
    "rcs_total_mean": N_("RCS total (mean of the layers)"), "source": N_("source"),
    "measure": N_("measure"), "class_area_km2": N_("class area (km2)"),
    "treated_area_km2": N_("treated area (km2)"), "treated_share_pct": N_("treated share (%)"),
    "rate": N_("rate"), "rate_unit": N_("rate unit"), "added_sink": N_("added sink"),
    "years": N_("years"), "annual_total_mean": N_("mean annual total"),
    "sd_years": N_("SD across years"), "sd_members": N_("SD across products"),
}


def headers(a, keys):
    """The report headers of ``keys`` in the run's language (COLUMNS; other
    keys as they are, e.g. the per-product columns)."""
    return [a.tr(COLUMNS[k]) if k in COLUMNS else k for k in keys]
