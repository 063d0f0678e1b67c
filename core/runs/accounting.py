"""Regional carbon accounting (methods.md 12), declared once: pixelarea,
zonalsummary, transitionmatrix, carbonbudget, sinkscenario. The analyses are
in core/accounting.py, core/transitions.py, core/budget.py and
core/sinkscenario.py; here are their parameters, logs, tables and reports."""
import os

import numpy as np

from .. import accounting, accounting_charts, budget, charts, sinkscenario, transitions
from ..errors import InputError, text
from .declare import (
    N_,
    Analysis,
    boolean,
    enum,
    field_of,
    file,
    file_out,
    headers,
    integer,
    raster,
    raster_out,
    scaling,
    species,
    stack,
    string,
    table_out,
    unit,
    years,
    zones,
)

GROUP = N_("Carbon accounting")
GROUP_ID = "accounting"
LINE_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
                "#666666"]
CLASS_NAMES = N_("Class names: CSV with columns code,name")


def _class_names(a, name="CLASS_NAMES"):
    path = a.file(name)
    return accounting.read_class_names(path) if path else {}


def _warnings(a, res):
    for w in res.warnings:
        a.warn(w)


# ===================================================================== areas

def run_pixelarea(a):
    from ..area import pixel_area_raster
    src = a.raster("INPUT", a.tr("Input raster"))
    unit_ = ("m2", "ha", "km2")[a.enum("AREA_UNIT")]
    out, areas = pixel_area_raster(src, a.output("OUTPUT"), unit_, a.progress, a.memory_mb)
    a.info(areas.method)
    if areas.warning:
        a.warn(areas.warning)
    return {"OUTPUT": out}


PIXELAREA = Analysis(
    "pixelarea", N_("Pixel areas of a raster grid (geodesic on geographic grids)"),
    GROUP, GROUP_ID, [
        raster("INPUT", N_("Raster whose grid is measured")),
        enum("AREA_UNIT", N_("Area unit"), [("m2", "m2"), ("ha", "ha"), ("km2", "km2")], 2,
             translate=False),
        raster_out("OUTPUT", N_("Pixel area"))],
    run_pixelarea, "Pixel areas of a raster grid (m2, ha or km2)",
    class_name="PixelAreaAlgorithm")


# ============================================================ zonal summary

def run_zonalsummary(a):
    st = a.stack("INPUT", a.tr("Input"), "INPUT")
    as_years = a.enum("LAYERS") == 0
    yrs = a.years(st.n) if as_years else None
    ratios = accounting.parse_ratios(a.string("RATIOS"), st.n)  # a message before the pass
    zs, names = a.zones("ZONES", "ZONE_FIELD", st.grid)
    lc = a.raster("LANDCOVER", a.tr("Land cover"), optional=True)
    unit_ = accounting.UNITS[a.enum("UNIT")]
    res = accounting.zonal_summary(
        st, zs, names, lc, _class_names(a), yrs, unit_,
        ("C", "CO2")[a.enum("INPUT_SPECIES")], a.bool("COMMON_MASK"), a.progress,
        a.memory_mb)
    a.info(a.tr("Pixel areas: {}").format(text(res.area_method, a.tr)))
    _warnings(a, res)
    summary = res.summary_rows(across_layers=as_years, ratios=ratios)
    results = {"OUTPUT_TABLE": a.table("OUTPUT_TABLE", res.layer_rows()),
               "OUTPUT_SUMMARY": a.table("OUTPUT_SUMMARY", summary)}
    grand = [r for r in summary if r["zone_id"] == 0 and r["class"] is None] or summary[-1:]
    if grand and as_years:
        g = grand[0]
        a.info(a.tr("Grand total: {:.6g} {} (mean of {} layers, SD {:.4g})")
               .format(g["total_mean"], unit_, g["n_layers"], g["total_sd"]))
    if a.output("OUTPUT_CSV"):
        results["OUTPUT_CSV"] = accounting.write_csv(a.output("OUTPUT_CSV"), summary)
    if a.output("OUTPUT_HTML"):
        results["OUTPUT_HTML"] = _zonal_report(a, a.output("OUTPUT_HTML"), res, summary,
                                               as_years)
    return results


def _zonal_report(a, path, res, summary, as_years):
    fields = res.layer_fields()
    head = [a.tr("zone"), a.tr("class"), a.tr("area (km2)"), a.tr("valid area (km2)")]
    # the report's labels of the totals rows (the tables keep the core's names)
    shown = {"All zones": a.tr("All zones"), "All classes": a.tr("All classes")}

    def label(v):
        return shown.get(v, v)
    if as_years:
        head += [a.tr("mean total ({})").format(res.unit), a.tr("SD"), a.tr("share (%)")]
        body = [[label(r["zone"]), label(r["class_name"]), r["area_km2"], r["valid_area_km2"],
                 r["total_mean"], r["total_sd"], r["share_pct"]] for r in summary]
    else:
        head += [f"{lab} ({res.unit})" for lab in res.labels]
        body = [[label(r["zone"]), label(r["class_name"]), r["area_km2"], r["valid_area_km2"]]
                + [r[f] for f in fields] for r in summary]
    esc = charts.html.escape
    parts = [f"<p>{esc(a.tr('Pixel areas'))}: {esc(text(res.area_method, a.tr))}</p>"]
    parts += [f"<p><b>{esc(a.tr('Warning'))}:</b> {esc(text(w, a.tr))}</p>" for w in res.warnings]
    parts.append(charts.table(head, body))
    if as_years and res.years is not None and len(res.years) > 1:
        zone_rows = [r for r in summary if r["class"] is None and r["zone_id"] != 0]
        series = [(r["zone"], [r[f] for f in fields], LINE_COLOURS[k % 8], False)
                  for k, r in enumerate(zone_rows[:8])]
        if series:
            parts.append(charts.svg_lines(res.years, series,
                                          title=a.tr("Total per zone ({})").format(res.unit),
                                          xlabel=a.tr("year")))
    return charts.write_page(path, a.tr("Zonal summary"), "\n".join(parts))


ZONALSUMMARY = Analysis(
    "zonalsummary", N_("Zonal summary: area-weighted totals per zone and land-cover class"),
    GROUP, GROUP_ID, [
        stack("INPUT", N_("Raster(s): a stack (one layer per year) or separate variables "
                          "(e.g. CSCC, NPP of a year, potential)")),
        enum("LAYERS", N_("The layers are"), [
            ("years", N_("Years of one variable (totals per year, mean and SD across "
                         "years)")),
            ("variables", N_("Separate variables (one total column per layer, e.g. Wu et "
                             "al. 2023 Table 1)"))], 0),
        *years(),
        *scaling("INPUT", N_("Input")),
        *zones(),
        raster("LANDCOVER", N_("Land-cover raster (classes)"), optional=True),
        file("CLASS_NAMES", CLASS_NAMES, optional=True),
        boolean("COMMON_MASK", N_("Count only pixels valid in every layer (totals of "
                                  "separate variables then add up exactly)")),
        string("RATIOS", N_("Ratios of layer totals in % (layer numbers a/b, e.g. 3/1 for "
                            "potential / CSCC)"), ""),
        species(),
        unit(),
        table_out("OUTPUT_TABLE", N_("Per zone, class and layer")),
        table_out("OUTPUT_SUMMARY", N_("Summary per zone and class")),
        file_out("OUTPUT_CSV", N_("Summary as CSV")),
        file_out("OUTPUT_HTML", N_("Report (HTML)"), "html")],
    run_zonalsummary, "Area-weighted totals, shares and ratios per zone and land-cover class",
    class_name="ZonalSummaryAlgorithm")


# ======================================================== transition matrix

def _map_name(src):
    return os.path.splitext(os.path.basename(src.split("|")[0]))[0]


def run_transitionmatrix(a):
    from ..io import RasterStack
    first = a.raster("FIRST", a.tr("First land cover"))
    second = a.raster("SECOND", a.tr("Second land cover"))
    later = [RasterStack(src, name=_map_name(src)) for src in a.sources("LATER")]
    if later:
        return _transition_chain(a, [first, second] + later)
    variable = a.raster("VARIABLE", a.tr("Variable"), optional=True)
    zs, names = a.zones("ZONES", "ZONE_FIELD", first.grid)
    change_path = a.output("OUTPUT_CHANGE")
    split = 80 if change_path else 100
    res = transitions.transition_matrix(first, second, variable, zs, names, _class_names(a),
                                       a.progress.scaled(0, split), a.memory_mb)
    a.info(a.tr("Pixel areas: {}").format(text(res.area_method, a.tr)))
    _warnings(a, res)
    ch, pct = res.changed_share()
    a.info(a.tr("Changed: {:.6g} km2, {:.4g} % of the area valid in both maps")
           .format(ch, pct))
    results = {"OUTPUT_TABLE": a.table("OUTPUT_TABLE", res.pair_rows(), _pair_keys(res))}
    dest = a.table("OUTPUT_CLASSES", res.class_rows())
    if dest:
        results["OUTPUT_CLASSES"] = dest
    if a.output("OUTPUT_CSV"):
        results["OUTPUT_CSV"] = accounting.write_csv(a.output("OUTPUT_CSV"), res.matrix_rows())
    if a.output("OUTPUT_HTML"):
        results["OUTPUT_HTML"] = _transition_report(a, a.output("OUTPUT_HTML"), res,
                                                    first.name, second.name)
    if change_path:
        results["OUTPUT_CHANGE"] = transitions.change_raster(
            first, second, change_path, a.progress.scaled(split, 100), a.memory_mb)
    return results


def _transition_chain(a, maps):
    """A chain of dates: one transition matrix per period (the tables get a
    period column), one Sankey over all dates; the change raster compares
    the first and the last map."""
    if a.given("VARIABLE"):
        raise InputError(a.tr("a variable per transition needs exactly two maps"))
    zs, names = a.zones("ZONES", "ZONE_FIELD", maps[0].grid)
    class_names = _class_names(a)
    change_path = a.output("OUTPUT_CHANGE")
    periods = len(maps) - 1
    split = 80 if change_path else 100
    by_period, pairs, classes_rows, matrix_rows = [], [], [], []
    for k in range(periods):
        res = transitions.transition_matrix(
            maps[k], maps[k + 1], None, zs, names, class_names,
            a.progress.scaled(split * k / periods, split * (k + 1) / periods), a.memory_mb)
        label = f"{maps[k].name} -> {maps[k + 1].name}"
        _warnings(a, res)
        ch, pct = res.changed_share()
        a.info(a.tr("{}: changed {} km2, {} % of the area valid in both maps")
               .format(label, charts.number(ch), charts.number(pct, 3)))
        pairs += [dict(r, period=label) for r in res.pair_rows()]
        classes_rows += [dict(r, period=label) for r in res.class_rows()]
        matrix_rows += [dict(r, period=label) for r in res.matrix_rows()]
        by_period.append((label, res))
    results = {"OUTPUT_TABLE": a.table("OUTPUT_TABLE", pairs,
                                       ["period"] + _pair_keys(by_period[0][1]))}
    dest = a.table("OUTPUT_CLASSES", classes_rows)
    if dest:
        results["OUTPUT_CLASSES"] = dest
    if a.output("OUTPUT_CSV"):
        results["OUTPUT_CSV"] = accounting.write_csv(a.output("OUTPUT_CSV"), matrix_rows)
    if a.output("OUTPUT_HTML"):
        results["OUTPUT_HTML"] = _chain_report(a, a.output("OUTPUT_HTML"), by_period,
                                               [m.name for m in maps])
    if change_path:
        results["OUTPUT_CHANGE"] = transitions.change_raster(
            maps[0], maps[-1], change_path, a.progress.scaled(split, 100), a.memory_mb)
    return results


def _chain_report(a, path, periods, dates):
    esc = charts.html.escape
    res0 = periods[0][1]
    codes = sorted(set().union(*(set(r.classes) for _, r in periods)))
    names = [res0.name(c) if c in res0.classes else periods[-1][1].name(c) for c in codes]

    def full(res):
        m = res.matrix()
        idx = [codes.index(c) for c in res.classes]
        out = np.zeros((len(codes), len(codes)))
        out[np.ix_(idx, idx)] = m
        return out
    parts = [accounting_charts.svg_sankey_chain(
        names, [full(r) for _, r in periods], dates,
        title=a.tr("Land-cover transitions (km2)"))]
    for label, res in periods:
        ch, share = res.changed_share()
        parts.append(f"<h2>{esc(label)}</h2><p>{esc(a.tr('Changed area'))}: "
                     f"{charts.number(ch)} km2 ({charts.number(share, 3)} %)</p>")
        m = full(res)
        head = [a.tr("from \\ to")] + names + [a.tr("total")]
        rows = [[names[i]] + [charts.number(v) for v in m[i]] + [charts.number(m[i].sum())]
                for i in range(len(names))]
        parts.append("<p>km2</p>" + charts.table(head, rows))
    return charts.write_page(path, a.tr("Land-cover transitions"), "\n".join(parts))


def _pair_keys(res):
    keys = ["zone_id", "zone", "from_class", "from_name", "to_class", "to_name", "changed",
            "pixels", "area_km2", "pct_of_total", "pct_of_from"]
    return keys + (["var_mean", "var_aw_mean"] if res.var_count is not None else [])


def _transition_report(a, path, res, first_name, second_name):
    esc = charts.html.escape
    names = [res.name(c) for c in res.classes]
    parts = [f"<p>{esc(a.tr('Pixel areas'))}: {esc(text(res.area_method, a.tr))}</p>"]
    parts += [f"<p><b>{esc(a.tr('Warning'))}:</b> {esc(text(w, a.tr))}</p>" for w in res.warnings]
    for z in res.zones()[::-1][:12]:
        label = res.zone_label(z) if len(res.zone_names) > 1 else ""
        m = res.matrix(z)
        pct = res.matrix(z, "%")
        ch, share = res.changed_share(z)
        parts.append(f"<h2>{esc(label or a.tr('Whole area'))}</h2>")
        parts.append(f"<p>{esc(a.tr('Changed area'))}: {ch:.6g} km2 ({share:.4g} %)</p>")
        parts.append(accounting_charts.svg_sankey(
            names, m, title=a.tr("Land-cover transitions (km2)"), left=first_name,
            right=second_name))
        head = [a.tr("from \\ to")] + names + [a.tr("total")]
        rows = [[names[i]] + [float(v) for v in m[i]] + [float(m[i].sum())]
                for i in range(len(names))]
        rows.append([a.tr("total")] + [float(v) for v in m.sum(axis=0)] + [float(m.sum())])
        parts.append("<p>km2</p>" + charts.table(head, rows))
        rows = [[names[i]] + [float(v) for v in pct[i]] + [float(pct[i].sum())]
                for i in range(len(names))]
        parts.append(f"<p>{esc(a.tr('% of the area valid in both maps'))}</p>"
                     + charts.table(head, rows))
        cls = [r for r in res.class_rows() if r["zone_id"] == z]
        parts.append(accounting_charts.svg_bars(
            [r["class_name"] for r in cls], [r["net_km2"] for r in cls],
            title=a.tr("Net change per class"), unit="km2"))
    return charts.write_page(path, a.tr("Land-cover transitions"), "\n".join(parts))


TRANSITIONMATRIX = Analysis(
    "transitionmatrix", N_("Land-cover transition matrix (areas, change, variable per "
                           "transition)"),
    GROUP, GROUP_ID, [
        raster("FIRST", N_("Land cover, first date (classes)")),
        raster("SECOND", N_("Land cover, second date (classes)")),
        stack("LATER", N_("Land cover at later dates, in time order (a chain: first -> "
                          "second -> third ...)"), optional=True),
        raster("VARIABLE", N_("Variable to average per transition (on the grid of the first "
                              "map; e.g. NPP change)"), optional=True),
        *zones(),
        file("CLASS_NAMES", CLASS_NAMES, optional=True),
        table_out("OUTPUT_TABLE", N_("Transitions (from, to, area, %, variable mean)")),
        table_out("OUTPUT_CLASSES", N_("Change per class (persistence, loss, gain, net)"),
                  optional=True),
        file_out("OUTPUT_CSV", N_("Transition matrices as CSV (km2 and %)")),
        file_out("OUTPUT_HTML", N_("Report with Sankey diagram (HTML)"), "html"),
        raster_out("OUTPUT_CHANGE", N_("Changed / unchanged raster"), optional=True)],
    run_transitionmatrix, "Land-cover transitions between two or more dates (areas, "
    "change, Sankey)", class_outputs={"OUTPUT_CHANGE": "CHANGE_CLASSES"},
    class_name="TransitionMatrixAlgorithm")


# ============================================================ carbon budget

def run_carbonbudget(a):
    nep = a.stack("NEP", a.tr("NEP"))
    runoff = a.raster("RUNOFF", a.tr("Runoff"))
    litho = a.raster("LITHOLOGY", a.tr("Lithology"))
    coeffs = budget.read_coefficients(a.file("COEFFICIENTS"))
    emissions = a.raster("EMISSIONS", a.tr("Emissions"), optional=True)
    zs, names = a.zones("ZONES", "ZONE_FIELD", nep.grid)
    zone_em = None
    if a.string("EMISSION_FIELD").strip():
        zone_em = a.zone_values("ZONES", "ZONE_FIELD", a.string("EMISSION_FIELD").strip(),
                                names)
    if zone_em and emissions is not None:
        raise InputError(a.tr("give the emissions either as a raster or as a field of the "
                              "zones, not both"))
    keys = {"rcs": "OUTPUT_RCS", "ecs": "OUTPUT_ECS", "cnc": "OUTPUT_CNC",
            "class": "OUTPUT_CLASS"}
    outs = {k: a.output(p) for k, p in keys.items() if a.output(p)}
    unit_ = accounting.UNITS[a.enum("UNIT")]
    res = budget.carbon_budget(
        nep, runoff, litho, coeffs, outs, emissions,
        list(budget.EMISSION_RASTER_UNITS)[a.enum("EMISSION_UNIT")], zs, names, zone_em,
        accounting.UNITS[a.enum("ZONE_EMISSION_UNIT")], unit_, None,
        a.bool("MISSING_AS_ZERO"), a.progress, a.memory_mb)
    a.info(a.tr("Pixel areas: {}").format(text(res.area_method, a.tr)))
    _warnings(a, res)
    rows = res.rows()
    for r in rows:
        if r["zone_id"] == 0 or len(res.zone_names) == 1:
            a.info(a.tr("{} {}: NEP {:.6g} + RCS {:.6g} = ECS {:.6g}; CE {:.6g}; CNC {:.6g} {}")
                   .format(a.tr(r["zone"]) if r["zone_id"] == 0 else r["zone"], r["layer"],
                           r["nep_total"], r["rcs_total"],
                           r["ecs_total"], r["ce_total"], r["cnc_total"], unit_))
    results = {keys[k]: p for k, p in res.paths.items()}
    results["OUTPUT_TABLE"] = a.table("OUTPUT_TABLE", rows)
    dest = a.table("OUTPUT_LITHOLOGY", res.lithology)
    if dest:
        results["OUTPUT_LITHOLOGY"] = dest
    if a.output("OUTPUT_CSV"):
        results["OUTPUT_CSV"] = accounting.write_csv(a.output("OUTPUT_CSV"), rows)
    if a.output("OUTPUT_HTML"):
        results["OUTPUT_HTML"] = _budget_report(a, a.output("OUTPUT_HTML"), res, rows)
    return results


def _budget_report(a, path, res, rows):
    esc = charts.html.escape
    keys = ["zone", "layer", "budget_area_km2", "nep_total", "rcs_total", "ecs_total",
            "ce_total", "cnc_total"]
    parts = [f"<p>{esc(a.tr('Pixel areas'))}: {esc(text(res.area_method, a.tr))}. "
             f"{esc(a.tr('Totals in'))} {esc(res.unit)} {esc(a.tr('per year'))}; "
             f"CE: {esc(a.tr(res.ce_source))}.</p>"]
    parts += [f"<p><b>{esc(a.tr('Warning'))}:</b> {esc(text(w, a.tr))}</p>" for w in res.warnings]
    parts.append(charts.table(headers(a, keys), [[r[k] for k in keys] for r in rows]))
    last = [r for r in rows if r["layer"] == res.labels[-1]]
    parts.append(accounting_charts.svg_bars(
        [r["zone"] for r in last], [r["cnc_total"] for r in last],
        title=a.tr("Carbon neutral capacity CNC = ECS - CE ({})").format(res.labels[-1]),
        unit=res.unit))
    parts.append(accounting_charts.svg_bars(
        [r["zone"] for r in last], [r["ecs_total"] for r in last],
        title=a.tr("Ecosystem carbon sink ECS = NEP + RCS"), unit=res.unit))
    if res.lithology:
        lk = ["lithology", "lithology_name", "a", "a_unit", "area_km2", "runoff_aw_mean",
              "rcs_total_mean", "source"]
        parts.append("<h2>" + esc(a.tr("Rock-weathering sink per lithology")) + "</h2>"
                     + charts.table(headers(a, lk), [[r[k] for k in lk] for r in res.lithology]))
    return charts.write_page(path, a.tr("Carbon budget"), "\n".join(parts))


CARBONBUDGET = Analysis(
    "carbonbudget", N_("Carbon budget: rock-weathering sink, ECS and carbon neutral "
                       "capacity"),
    GROUP, GROUP_ID, [
        stack("NEP", N_("NEP (g C m-2 yr-1; one layer, or one per year)")),
        raster("RUNOFF", N_("Annual runoff Q (mm yr-1; one band, or one per NEP layer)")),
        raster("LITHOLOGY", N_("Lithology (classes)")),
        file("COEFFICIENTS", N_("Rock-weathering coefficients a per lithology class (CSV: "
                                "code, lithology, a, a_unit, source; template in "
                                "algorithms/templates)")),
        boolean("MISSING_AS_ZERO", N_("Lithology classes without a coefficient count as 0 "
                                      "(e.g. water, ice)")),
        raster("EMISSIONS", N_("Carbon emissions CE as a raster"), optional=True),
        enum("EMISSION_UNIT", N_("Unit of the emission raster (per year)"),
             [(u, u) for u in budget.EMISSION_RASTER_UNITS], 0, translate=False),
        *zones(),
        field_of("EMISSION_FIELD", N_("Emissions per zone: numeric field of the zone layer "
                                      "(instead of a raster)"), "ZONES"),
        unit("ZONE_EMISSION_UNIT", N_("Unit of the per-zone emissions (per year)"), 3),
        unit(),
        raster_out("OUTPUT_RCS", N_("Rock-weathering sink RCS")),
        raster_out("OUTPUT_ECS", N_("Ecosystem carbon sink ECS = NEP + RCS")),
        raster_out("OUTPUT_CNC", N_("Carbon neutral capacity CNC = ECS - CE (needs the "
                                    "emission raster)"), optional=True),
        raster_out("OUTPUT_CLASS", N_("Carbon surplus / deficit (needs the emission "
                                      "raster)"), optional=True),
        table_out("OUTPUT_TABLE", N_("Budget per zone (totals)")),
        table_out("OUTPUT_LITHOLOGY", N_("Rock-weathering sink per lithology class"),
                  optional=True),
        file_out("OUTPUT_CSV", N_("Budget per zone as CSV")),
        file_out("OUTPUT_HTML", N_("Report (HTML)"), "html")],
    run_carbonbudget, "Rock-weathering sink, ecosystem carbon sink and carbon neutral "
    "capacity per zone", class_outputs={"OUTPUT_CLASS": "CNC_CLASSES"},
    class_name="CarbonBudgetAlgorithm")


# ======================================================== sink scenario

def run_sinkscenario(a):
    lc = a.raster("LANDCOVER", a.tr("Land cover"))
    first, target = a.int("FIRST_YEAR"), a.int("TARGET_YEAR")
    if target < first:
        raise InputError(a.tr("the target year comes before the first year"))
    measures = sinkscenario.read_measures(a.file("MEASURES"))
    zs, names = a.zones("ZONES", "ZONE_FIELD", lc.grid)
    unit_ = accounting.UNITS[a.enum("UNIT")]
    res = sinkscenario.sink_scenario(lc, measures, zs, names, _class_names(a), unit_,
                                   a.output("OUTPUT_RASTER"), a.progress, a.memory_mb)
    a.info(a.tr("Pixel areas: {}").format(text(res.area_method, a.tr)))
    _warnings(a, res)
    rows = res.rows()
    total = [r for r in rows if r["measure"] == "All measures"][-1]
    a.info(a.tr("Added sink, all measures, {}: {:.6g} {} per year on {:.6g} km2").format(
        a.tr(total["zone"]), total["added_sink"], unit_, total["treated_area_km2"]))
    results = {"OUTPUT_TABLE": a.table("OUTPUT_TABLE", rows)}
    if res.path:
        results["OUTPUT_RASTER"] = res.path
    if a.output("OUTPUT_PATH"):
        path_rows = res.path_rows(first, target)
        results["OUTPUT_PATH"] = accounting.write_csv(a.output("OUTPUT_PATH"), path_rows)
        last = path_rows[-1]
        a.info(a.tr("{}: {} {} per year (range {} - {}); cumulative {} {}").format(
            target, charts.number(last["added_sink"]), unit_,
            charts.number(last["added_low"]), charts.number(last["added_high"]),
            charts.number(last["cumulative"]), unit_))
    if a.output("OUTPUT_CSV"):
        results["OUTPUT_CSV"] = accounting.write_csv(a.output("OUTPUT_CSV"), rows)
    if a.output("OUTPUT_HTML"):
        esc = charts.html.escape
        keys = ["zone", "measure", "class_name", "class_area_km2", "treated_area_km2",
                "treated_share_pct", "rate", "rate_unit", "added_sink", "source"]
        overall = [r for r in rows if r["zone_id"] == rows[-1]["zone_id"]
                   and r["measure"] != "All measures"]
        note = a.tr("per year; rates from the measure table (sources in the last column).")
        body = (f"<p>{esc(a.tr('Added sink in'))} {esc(unit_)} {esc(note)}</p>"
                + charts.table(headers(a, keys), [[r[k] for k in keys] for r in rows])
                + accounting_charts.svg_bars([r["measure"] for r in overall],
                                             [r["added_sink"] for r in overall],
                                             title=a.tr("Added sink per measure"), unit=unit_))
        results["OUTPUT_HTML"] = charts.write_page(a.output("OUTPUT_HTML"),
                                                   a.tr("Sink enhancement scenario"), body)
    return results


SINKSCENARIO = Analysis(
    "sinkscenario", N_("Sink enhancement scenario: added sink of measures per zone"),
    GROUP, GROUP_ID, [
        raster("LANDCOVER", N_("Land cover (classes)")),
        file("MEASURES", N_("Measures (CSV: measure, class, share_pct or area_km2, rate, "
                            "rate_unit, source; template in algorithms/templates)")),
        file("CLASS_NAMES", CLASS_NAMES, optional=True),
        *zones(),
        unit(),
        table_out("OUTPUT_TABLE", N_("Added sink per zone and measure")),
        file_out("OUTPUT_CSV", N_("Added sink as CSV")),
        file_out("OUTPUT_HTML", N_("Report (HTML)"), "html"),
        raster_out("OUTPUT_RASTER", N_("Expected added sink density (g m-2 yr-1)"),
                   optional=True),
        integer("FIRST_YEAR", N_("Yearly path: first year"), 2021),
        integer("TARGET_YEAR", N_("Yearly path: target year"), 2060),
        file_out("OUTPUT_PATH", N_("Yearly path of the added sink (CSV: central, low, high, "
                                   "cumulative)"))],
    run_sinkscenario, "Added sink of enhancement measures per zone, and its yearly path",
    class_name="SinkScenarioAlgorithm")


ANALYSES = [PIXELAREA, ZONALSUMMARY, TRANSITIONMATRIX, CARBONBUDGET, SINKSCENARIO]
