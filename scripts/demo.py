#!/usr/bin/env python3
"""Run the CarbonSink algorithms on the example data and write a report.

Usage:  python scripts/demo.py [--data example-data] [--out demo-output]

Each algorithm is run through `qgis_process.bin run ALG --json`; the outputs
go to OUT/ and OUT/report.html summarises inputs, commands, wall times,
output statistics and map previews (self-contained: images are embedded as
base64 PNG data URIs). Previews use matplotlib if it is importable, else a
small built-in PNG encoder. Needs only the standard library, numpy and GDAL.
"""
import argparse
import base64
import glob
import html
import io
import json
import os
import re
import shlex
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zlib

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm, LinearSegmentedColormap, ListedColormap
    from matplotlib.patches import Patch
except ImportError:
    plt = None

# Colour ramps (anchor colours, evenly spaced): sequential and diverging.
SEQ = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"]
DIV = ["#b2182b", "#ef8a62", "#f7f7f7", "#67a9cf", "#2166ac"]
DIV_GREEN = ["#a50026", "#f46d43", "#ffffbf", "#66bd63", "#006837"]
# Units of the outputs (used when the raster itself declares none).
UNITS = {"nep": "g C m-2 yr-1", "rh": "g C m-2 yr-1", "cscc": "g C m-2 yr-1",
         "potential": "g C m-2 yr-1", "saturation": "%", "peak_year": "year",
         "lt_slope": "g C m-2 yr-2", "sen_slope": "g C m-2 yr-2", "lt_r2": "-",
         "lt_p": "-", "mk_z": "-", "mk_p": "-", "mk_tau": "-", "mk_fdr_q": "-", "cv": "-",
         "hurst": "-", "pcor_r": "-", "pcor_p": "-", "resilience_years": "years"}


def algorithm_runs(data, out):
    """[(algorithm id, parameters [(name, value)], outputs {param: file})]."""
    npp = sorted(glob.glob(os.path.join(data, "npp_[0-9][0-9][0-9][0-9].tif")))
    stack = os.path.join(data, "npp_stack.tif")
    first = re.search(r"(\d{4})\.tif$", npp[0]).group(1)
    last = re.search(r"(\d{4})\.tif$", npp[-1]).group(1)
    o = lambda name: os.path.join(out, name)  # noqa: E731
    runs = [
        ("carbonsink:nep",
         [("NPP", f) for f in npp] + [
             ("TEMPERATURE", os.path.join(data, "temperature_monthly.tif")),
             ("PRECIPITATION", os.path.join(data, "precipitation_monthly.tif")),
             ("MODE", 0), ("FIRST_YEAR", first)],
         {"OUTPUT_NEP": o("nep.tif"), "OUTPUT_RH": o("rh.tif"),
          "OUTPUT_CLASS": o("nep_class.tif")}),
        ("carbonsink:carryingcapacity",
         [("INPUT", stack), ("FIRST_YEAR", first), ("YEAR", last), ("MIN_VALID", 20)],
         {"OUTPUT_CSCC": o("cscc.tif"), "OUTPUT_PEAK_YEAR": o("peak_year.tif"),
          "OUTPUT_POTENTIAL": o(f"potential_{last}.tif"),
          "OUTPUT_SATURATION": o(f"saturation_{last}.tif")}),
        ("carbonsink:lineartrend",
         [("INPUT", stack), ("FIRST_YEAR", first), ("MIN_VALID", 20),
          ("ALPHA", 0.05), ("EXTREME", "true")],
         {"OUTPUT_SLOPE": o("lt_slope.tif"), "OUTPUT_R2": o("lt_r2.tif"),
          "OUTPUT_P": o("lt_p.tif"), "OUTPUT_CLASS": o("lt_class.tif")}),
        ("carbonsink:senmk",
         [("INPUT", stack), ("FIRST_YEAR", first), ("MIN_VALID", 20)],
         {"OUTPUT_SLOPE": o("sen_slope.tif"), "OUTPUT_Z": o("mk_z.tif"),
          "OUTPUT_P": o("mk_p.tif"), "OUTPUT_TAU": o("mk_tau.tif"),
          "OUTPUT_CLASS": o("mk_class.tif"), "OUTPUT_Q": o("mk_fdr_q.tif"),
          "OUTPUT_FDR_CLASS": o("mk_fdr_class.tif")}),
        ("carbonsink:senmk",
         [("INPUT", stack), ("FIRST_YEAR", first), ("MIN_VALID", 20), ("METHOD", 1)],
         {"OUTPUT_SLOPE": "TEMPORARY_OUTPUT", "OUTPUT_Z": o("mk_hamed_rao_z.tif"),
          "OUTPUT_P": "TEMPORARY_OUTPUT", "OUTPUT_TAU": "TEMPORARY_OUTPUT",
          "OUTPUT_CLASS": o("mk_hamed_rao_class.tif")}),
        ("carbonsink:variation",
         [("INPUT", stack), ("MIN_VALID", 20)],
         {"OUTPUT_CV": o("cv.tif"), "OUTPUT_CLASS": o("cv_class.tif")}),
        ("carbonsink:hurst",
         [("INPUT", stack), ("FIRST_YEAR", first), ("MIN_VALID", 20), ("METHOD", 0)],
         {"OUTPUT_H": o("hurst.tif"), "OUTPUT_PERSISTENCE": o("persistence.tif")}),
        ("carbonsink:partialcorrelation",
         [("INPUT", stack), ("MIN_VALID", 20),
          ("DRIVERS", os.path.join(data, "temperature_annual.tif")),
          ("DRIVERS", os.path.join(data, "precipitation_annual.tif"))],
         {"OUTPUT_R": o("pcor_r.tif"), "OUTPUT_P": o("pcor_p.tif"),
          "OUTPUT_CLASS": o("pcor_class.tif")}),
        ("carbonsink:abruptchange",
         [("INPUT", stack), ("FIRST_YEAR", first),
          ("ZONES", os.path.join(data, "regions.gpkg")), ("ZONE_FIELD", "name")],
         {"OUTPUT_TABLE": o("abrupt_series.csv"), "OUTPUT_SUMMARY": o("abrupt_summary.csv"),
          "OUTPUT_HTML": o("abrupt_report.html")}),
        ("carbonsink:resilience",
         [("INPUT", stack), ("FIRST_YEAR", first), ("REFERENCE_YEAR", int(first) + 5),
          ("ZONES", os.path.join(data, "regions.gpkg")), ("ZONE_FIELD", "name"),
          ("MIN_VALID", 20)],
         {"OUTPUT_TABLE": o("resilience_table.csv"),
          "OUTPUT_SUMMARY": o("resilience_summary.csv"), "OUTPUT_CSV": o("resilience.csv"),
          "OUTPUT_YEARS": o("resilience_years.tif"),
          "OUTPUT_REPORT": o("resilience_report.html")}),
        # per-region series of the zone means (Zhang et al. 2022 Fig. 4: trend,
        # Hurst and change point of provincial series)
        ("carbonsink:seriesstatistics",
         [("STACK", stack), ("FIRST_YEAR", first),
          ("ZONES", os.path.join(data, "regions.gpkg")), ("ZONES_FIELD", "name")],
         {"OUTPUT": o("series_statistics.csv"), "OUTPUT_REPORT": o("series_report.html")}),
        # NEP levels of Zhang et al. (2025) by user breaks
        ("carbonsink:breakclasses",
         [("INPUT", o("nep.tif")), ("BREAKS", "0,200,400"),
          ("NAMES", "carbon source,weak sink,sink,strong sink")],
         {"OUTPUT": o("nep_levels.tif")}),
        # the same counts as a paper prints them (zone, year, N+, N-), fitted with
        # lambda fixed at 1
        ("carbonsink:resiliencecounts",
         [("TABLE", o("resilience.csv")), ("FIXED_LAMBDA", "true")],
         {"OUTPUT_CSV": o("resilience_counts.csv"),
          "OUTPUT_SUMMARY_CSV": o("resilience_counts_summary.csv"),
          "OUTPUT_REPORT": o("resilience_counts_report.html")}),
        # Wu et al. (2023) Table 1 structure: CSCC, NPP of the last year and the
        # potential, summed per region in Tg C yr-1 over the same pixels
        ("carbonsink:zonalsummary",
         [("INPUT", o("cscc.tif")), ("INPUT", os.path.join(data, f"npp_{last}.tif")),
          ("INPUT", o(f"potential_{last}.tif")), ("LAYERS", 1), ("COMMON_MASK", "true"),
          ("ZONES", os.path.join(data, "regions.gpkg")), ("ZONE_FIELD", "name")],
         {"OUTPUT_TABLE": o("zonal_table.csv"), "OUTPUT_SUMMARY": o("zonal_summary.csv"),
          "OUTPUT_CSV": o("zonal.csv"), "OUTPUT_HTML": o("zonal_report.html")}),
        # spatial statistics of the Sen slope and of NEP
        ("carbonsink:moran",
         [("RASTER", o("sen_slope.tif")), ("WEIGHTS", 0), ("PERMUTATIONS", 99), ("SEED", 1)],
         {"OUTPUT": o("moran.csv")}),
        ("carbonsink:lisa",
         [("RASTER", o("sen_slope.tif")), ("WEIGHTS", 0), ("PERMUTATIONS", 199), ("SEED", 1)],
         {"OUTPUT_I": o("lisa_I.tif"), "OUTPUT_Q": o("lisa_q.tif"), "OUTPUT_P": o("lisa_p.tif"),
          "OUTPUT_CLUSTER": o("lisa_cluster.tif")}),
        ("carbonsink:hotspots",
         [("RASTER", o("sen_slope.tif")), ("WEIGHTS", 0)],
         {"OUTPUT_Z": o("gi_z.tif"), "OUTPUT_P": o("gi_p.tif"), "OUTPUT_CLASS": o("gi_class.tif")}),
        ("carbonsink:gini",
         [("RASTER", o("nep.tif")), ("BAND", 24), ("ZONES", os.path.join(data, "regions.gpkg")),
          ("ZONE_FIELD", "name"), ("METHOD", 2)],
         {"OUTPUT": o("gini_nep.csv")}),
    ]
    if os.path.exists(os.path.join(data, "landcover_2000.tif")):
        d = lambda name: os.path.join(data, name)  # noqa: E731
        runs += [
            ("carbonsink:pixelarea", [("INPUT", d("landcover_2000.tif"))],
             {"OUTPUT": o("pixel_area_km2.tif")}),
            # Zhang et al. (2022): rock-weathering sink, ECS = NEP + RCS and the
            # carbon neutral capacity CNC = ECS - CE per zone (emissions per zone
            # from a field of the zone layer)
            ("carbonsink:carbonbudget",
             [("NEP", d("nep.tif")), ("RUNOFF", d("runoff.tif")),
              ("LITHOLOGY", d("lithology.tif")), ("COEFFICIENTS", d("coefficients_example.csv")),
              ("ZONES", d("zones_emissions.gpkg")), ("ZONE_FIELD", "name"),
              ("EMISSION_FIELD", "emission_tg")],
             {"OUTPUT_RCS": o("rcs.tif"), "OUTPUT_ECS": o("ecs.tif"),
              "OUTPUT_TABLE": o("budget_table.csv"), "OUTPUT_CSV": o("budget.csv"),
              "OUTPUT_HTML": o("budget_report.html")}),
            # Yu et al. (2022): added sink of enhancement measures per zone and its
            # yearly path to 2060
            ("carbonsink:sinkscenario",
             [("LANDCOVER", d("landcover_2020.tif")), ("MEASURES", d("measures_example.csv")),
              ("CLASS_NAMES", d("landcover_classes.csv")), ("ZONES", d("regions.gpkg")),
              ("ZONE_FIELD", "name")],
             {"OUTPUT_TABLE": o("sinkscenario_table.csv"), "OUTPUT_CSV": o("sinkscenario.csv"),
              "OUTPUT_HTML": o("sinkscenario_report.html"),
              "OUTPUT_PATH": o("sinkscenario_path.csv")}),
        ]
        runs.append(
            ("carbonsink:transitionmatrix",
             [("FIRST", os.path.join(data, "landcover_2000.tif")),
              ("SECOND", os.path.join(data, "landcover_2020.tif")),
              ("CLASS_NAMES", os.path.join(data, "landcover_classes.csv"))],
             {"OUTPUT_TABLE": o("transitions.csv"), "OUTPUT_CLASSES": o("transition_classes.csv"),
              "OUTPUT_CSV": o("transition_matrix.csv"), "OUTPUT_HTML": o("transition_report.html"),
              "OUTPUT_CHANGE": o("landcover_change.tif")}))
        # a chain of three dates (Zhang et al. 2025: 2000 -> 2011 -> 2022): a
        # projected third map made here from the 2020 map (seeded: 3 % of the
        # cropland and grassland pixels become forest), one Sankey over the chain
        third = projected_landcover(os.path.join(data, "landcover_2020.tif"),
                                    o("landcover_2030_projected.tif"))
        runs.append(
            ("carbonsink:transitionmatrix",
             [("FIRST", os.path.join(data, "landcover_2000.tif")),
              ("SECOND", os.path.join(data, "landcover_2020.tif")), ("LATER", third),
              ("CLASS_NAMES", os.path.join(data, "landcover_classes.csv"))],
             {"OUTPUT_TABLE": o("transitions_chain.csv"),
              "OUTPUT_HTML": o("transition_chain_report.html")}))
    if os.path.exists(os.path.join(data, "model_a.tif")):
        # three flux products on three grids (one a NetCDF variable), their
        # ensemble on the map grid with the coverage of each cell; and the NEP
        # map regridded to 0.5 degree with its coverage (mass kept)
        runs += [
            ("carbonsink:ensemble",
             [("INPUTS", os.path.join(data, "model_a.tif")),
              ("INPUTS", os.path.join(data, "model_b.tif")),
              ("SOURCES", f'NETCDF:"{os.path.join(data, "model_c.nc")}":nep'),
              ("REFERENCE", o("nep.tif")), ("TIME_STEP", 1), ("FIRST_YEAR", 2001),
              ("ZONES", os.path.join(data, "regions.gpkg")), ("ZONE_FIELD", "name")],
             {"OUTPUT_MEAN": o("ensemble_mean.tif"), "OUTPUT_SD": o("ensemble_sd.tif"),
              "OUTPUT_AGREEMENT": o("ensemble_agreement.tif"),
              "OUTPUT_COVERAGE": o("ensemble_coverage.tif"),
              "OUTPUT_TABLE": o("ensemble_table.csv"),
              "OUTPUT_SUMMARY": o("ensemble_summary.csv"),
              "OUTPUT_HTML": o("ensemble_report.html")}),
            ("carbonsink:regrid",
             [("INPUT", o("nep.tif")), ("RESOLUTION", 0.5)],
             {"OUTPUT": o("nep_0.5deg.tif"), "OUTPUT_COVERAGE": o("nep_0.5deg_coverage.tif")}),
        ]
    runs += preparation_runs(data, out, first)
    return runs


def projected_landcover(src, dst, share=0.03, seed=2030):
    """A third land-cover date for the chain demo: ``share`` of the cropland
    (1) and grassland (3) pixels of ``src`` become forest (2), seeded."""
    if os.path.exists(dst):
        return dst
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    ds = gdal.Open(src)
    a = ds.GetRasterBand(1).ReadAsArray()
    rng = np.random.default_rng(seed)
    flip = np.isin(a, (1, 3)) & (rng.random(a.shape) < share)
    a = np.where(flip, 2, a).astype(a.dtype)
    out = gdal.GetDriverByName("GTiff").CreateCopy(dst, ds)
    out.GetRasterBand(1).WriteArray(a)
    out.FlushCache()
    out = None
    return dst


def preparation_runs(data, out, first):
    """Input preparation and projection (methods.md 14-15) on the example data:
    monthly temperature to annual means, land cover reclassified by a table
    written here, and a projection of a seeded example series of emissions and
    sinks (1997-2017, like Zhang et al. 2022) to 2060."""
    o = lambda name: os.path.join(out, name)  # noqa: E731
    os.makedirs(out, exist_ok=True)
    runs = [("carbonsink:temporalaggregate",
             [("INPUT", os.path.join(data, "temperature_monthly.tif")), ("PER_YEAR", 12),
              ("FIRST_YEAR", int(first)), ("HOW", 1)],
             {"OUTPUT": o("temperature_annual_mean.tif")})]
    if os.path.exists(os.path.join(data, "landcover_2000.tif")):
        table = o("landcover_to_3_classes.csv")
        with open(table, "w", encoding="utf-8") as f:
            f.write("from,to,name\n1,1,Cropland\n2,2,Forest and grassland\n"
                    "3,2,Forest and grassland\n4,3,Other\n5,3,Other\n6,3,Other\n")
        runs.append(("carbonsink:reclassify",
                     [("INPUT", os.path.join(data, "landcover_2000.tif")), ("SCHEME", 0),
                      ("TABLE", table)], {"OUTPUT": o("landcover_2000_3_classes.tif")}))
    rng = np.random.default_rng(2022)
    years = np.arange(1997, 2018)
    t = years - 1997
    ce = 300 * 1.045 ** t * np.exp(rng.normal(0, 0.02, t.size))
    ecs = 120 + 9.0 * t + rng.normal(0, 4, t.size)
    gdp = 1000 * 1.08 ** t * np.exp(rng.normal(0, 0.01, t.size))
    series = o("example_yearly_carbon.csv")
    with open(series, "w", encoding="utf-8") as f:
        f.write("year,CE,ECS,GDP\n" + "".join(
            f"{y},{a:.3f},{b:.3f},{c:.3f}\n" for y, a, b, c in zip(years, ce, ecs, gdp)))
    rates = o("example_scenario_rates.csv")
    with open(rates, "w", encoding="utf-8") as f:
        f.write("variable,first_year,last_year,rate_pct\nGDP,2018,2035,5\nGDP,2036,2060,2.5\n")
    runs.append(("carbonsink:scenario",
                 [("TABLE", series), ("MODEL", 2), ("DRIVERS", "GDP"), ("RATES", rates),
                  ("BOOT", 50)],
                 {"OUTPUT_CSV": o("scenario.csv"), "OUTPUT_SUMMARY_CSV": o("scenario_summary.csv"),
                  "OUTPUT_REPORT": o("scenario_report.html")}))
    return runs


def run(qgis_process, alg, params, outputs):
    """Run one algorithm; return (command string, seconds, parsed JSON)."""
    args = [f"--{k}={v}" for k, v in params + list(outputs.items())]
    cmd = [qgis_process, "run", alg, "--json"] + args
    line = shlex.join(cmd)
    print("$", line, flush=True)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr + proc.stdout[-2000:])
        sys.exit(f"{alg} failed (exit code {proc.returncode})")
    print(f"  {alg}: {secs:.1f} s", flush=True)
    try:
        result = json.loads(proc.stdout)
    except ValueError:
        result = {}
    warnings = [w for w in proc.stderr.splitlines()
                if "Warning" in w and "setapi" not in w]
    result["stderr_warnings"] = warnings
    return line, secs, result


# ----------------------------------------------------------------- rasters ---
def read_band(path, b):
    """Band b (1-based) as float64 with NaN for nodata, and its description."""
    ds = gdal.Open(path)
    band = ds.GetRasterBand(b)
    a = band.ReadAsArray().astype(np.float64)
    nd = band.GetNoDataValue()
    if nd is not None:
        a[a == nd] = np.nan
    return a, band.GetDescription() or f"band {b}"


def palette(path):
    """{code: (label, colour)} from the .qml beside a class raster, or {}."""
    qml = os.path.splitext(path)[0] + ".qml"
    if not os.path.exists(qml):
        return {}
    return {int(float(e.get("value"))): (e.get("label", ""), e.get("color"))
            for e in ET.parse(qml).iter("paletteEntry")}


def raster_info(path):
    ds = gdal.Open(path)
    srs = osr.SpatialReference(wkt=ds.GetProjection()) if ds.GetProjection() else None
    crs = (f"{srs.GetAuthorityName(None)}:{srs.GetAuthorityCode(None)} ({srs.GetName()})"
           if srs else "none")
    b1, bn = ds.GetRasterBand(1), ds.GetRasterBand(ds.RasterCount)
    gt = ds.GetGeoTransform()
    return {"size": f"{ds.RasterXSize} x {ds.RasterYSize} x {ds.RasterCount}",
            "cell": f"{gt[1]:g} x {abs(gt[5]):g}", "crs": crs,
            "bands": f"{b1.GetDescription()} .. {bn.GetDescription()}"
            if ds.RasterCount > 1 else b1.GetDescription(),
            "unit": b1.GetUnitType(), "count": ds.RasterCount,
            "extent": (gt[0], gt[0] + gt[1] * ds.RasterXSize,
                       gt[3] + gt[5] * ds.RasterYSize, gt[3])}


# ---------------------------------------------------------------- previews ---
def hex_rgb(c):
    return [int(c[i:i + 2], 16) for i in (1, 3, 5)]


def png_bytes(rgba):
    """Encode a (rows, cols, 4) uint8 array as PNG (no dependencies)."""
    h, w, _ = rgba.shape
    raw = b"".join(b"\0" + rgba[r].tobytes() for r in range(h))

    def chunk(tag, body):
        return (struct.pack(">I", len(body)) + tag + body
                + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def stretch(a, name):
    """(vmin, vmax, ramp): 2-98 % stretch, symmetric about 0 for signed data."""
    lo, hi = np.nanpercentile(a, [2, 98])
    if np.nanmin(a) < 0 < np.nanmax(a):
        m = max(abs(lo), abs(hi))
        return -m, m, DIV_GREEN if "nep" in name else DIV
    return lo, (hi if hi > lo else lo + 1), SEQ


def preview(a, path, title, unit, extent, pal):
    """PNG bytes of a map preview of array a (NaN = transparent)."""
    name = os.path.basename(path)
    if plt is not None:
        fig, ax = plt.subplots(figsize=(5.2, 3.6), dpi=90)
        if pal:
            codes = sorted(pal)
            cmap = ListedColormap([pal[c][1] for c in codes])
            norm = BoundaryNorm([c - 0.5 for c in codes] + [codes[-1] + 0.5], len(codes))
            ax.imshow(a, cmap=cmap, norm=norm, extent=extent, interpolation="nearest")
            present = [c for c in codes if np.any(a == c)]
            ax.legend(handles=[Patch(color=pal[c][1], label=f"{c}: {pal[c][0]}")
                               for c in present], fontsize=6, loc="upper left",
                      bbox_to_anchor=(1.01, 1), frameon=False)
        else:
            vmin, vmax, ramp = stretch(a, name)
            cmap = LinearSegmentedColormap.from_list("r", ramp)
            im = ax.imshow(a, cmap=cmap, vmin=vmin, vmax=vmax, extent=extent,
                           interpolation="nearest")
            fig.colorbar(im, ax=ax, shrink=0.85).set_label(unit.strip("-"), fontsize=8)
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=7)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight")
        plt.close(fig)
        return buf.getvalue()
    rgba = np.zeros(a.shape + (4,), np.uint8)
    valid = ~np.isnan(a)
    if pal:
        for code, (_, colour) in pal.items():
            rgba[a == code] = hex_rgb(colour) + [255]
    else:
        vmin, vmax, ramp = stretch(a, name)
        t = np.clip((np.nan_to_num(a) - vmin) / (vmax - vmin), 0, 1) * (len(ramp) - 1)
        anchors = np.array([hex_rgb(c) for c in ramp], float)
        for ch in range(3):
            rgba[..., ch] = np.interp(t, np.arange(len(ramp)), anchors[:, ch])
        rgba[..., 3] = np.where(valid, 255, 0)
    return png_bytes(np.repeat(np.repeat(rgba, 3, 0), 3, 1))


# ------------------------------------------------------------------ report ---
CSS = """body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child,td.l{text-align:left}th{background:#eee}
code{display:block;background:#f6f6f6;padding:.5em;font-size:11px;white-space:pre-wrap;
word-break:break-all}.maps{display:flex;flex-wrap:wrap;gap:1em}
figure{margin:0;border:1px solid #ddd;padding:.3em}figcaption{font-size:12px}"""


def table(head, rows):
    th = "".join(f"<th>{html.escape(str(h))}</th>" for h in head)
    cell = lambda c: ("<td class=l>" if isinstance(c, str) and c[:1].isalpha()  # noqa
                      else "<td>") + html.escape(str(c)) + "</td>"
    body = "".join("<tr>" + "".join(cell(c) for c in r)
                   + "</tr>" for r in rows)
    return f"<table><tr>{th}</tr>{body}</table>"


def fmt(x):
    return f"{x:.4g}" if abs(x) < 1e5 else f"{x:.0f}"


def output_section(alg, line, secs, result, outputs):
    parts = [f"<h2>{html.escape(alg)}</h2>",
             f"<p>Wall time: <b>{secs:.1f} s</b></p><code>{html.escape(line)}</code>"]
    log = result.get("log", {})
    msgs = [f"{k}: {m}" for k, v in log.items() for m in v] + result["stderr_warnings"]
    if msgs:
        parts.append("<p>Log:</p><ul>" + "".join(f"<li>{html.escape(m)}</li>"
                                                 for m in msgs) + "</ul>")
    stats, classes, maps, files = [], [], [], []
    for key, path in outputs.items():
        if path == "TEMPORARY_OUTPUT":
            continue
        if not path.endswith(".tif"):
            name = os.path.basename(path)
            files.append(f'<li><a href="{html.escape(name)}">{html.escape(name)}</a> '
                         f'({html.escape(key)})</li>')
            continue
        info, pal, name = raster_info(path), palette(path), os.path.basename(path)
        info["unit"] = info["unit"] or UNITS.get(re.sub(r"_\d{4}$", "", name[:-4]), "")
        for b in range(1, info["count"] + 1):
            a, desc = read_band(path, b)
            v = a[~np.isnan(a)]
            stats.append([name, desc, info["unit"], v.size] +
                         ([fmt(v.min()), fmt(v.mean()), fmt(v.max())] if v.size else ["-"] * 3))
        if pal:
            codes, counts = np.unique(v.astype(int), return_counts=True)
            for c, n in zip(codes, counts):
                classes.append([name, int(c), pal.get(c, ("(not in palette)",))[0],
                                n, f"{100 * n / v.size:.1f} %"])
        title = f"{name} ({desc})" if info["count"] > 1 else name
        png = base64.b64encode(preview(a, path, title, info["unit"], info["extent"], pal))
        maps.append(f'<figure><img src="data:image/png;base64,{png.decode()}" alt="{name}">'
                    f"<figcaption>{html.escape(title)}</figcaption></figure>")
    if files:
        parts.append("<p>Tables and reports:</p><ul>" + "".join(files) + "</ul>")
    if not stats:
        return "\n".join(parts)
    parts.append(table(["Output", "Band", "Unit", "Valid pixels", "Min", "Mean", "Max"], stats))
    if classes:
        parts.append(table(["Class raster", "Code", "Label", "Pixels", "Share"], classes))
    parts.append('<div class="maps">' + "".join(maps) + "</div>")
    return "\n".join(parts)


def input_section(data):
    rows = []
    for path in sorted(glob.glob(os.path.join(data, "*.tif"))):
        i = raster_info(path)
        rows.append([os.path.basename(path), i["size"], i["cell"], i["crs"],
                     i["bands"], i["unit"]])
    gpkgs = ", ".join(os.path.basename(p) for p in glob.glob(os.path.join(data, "*.gpkg")))
    return ("<h2>Inputs</h2>" + table(["File", "Cols x rows x bands", "Cell size",
                                        "CRS", "Bands (years / months)", "Unit"], rows)
            + (f"<p>Zones: {html.escape(gpkgs)}</p>"
               if gpkgs else ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="example-data")
    ap.add_argument("--out", default="demo-output")
    ap.add_argument("--qgis-process", default="/usr/bin/qgis_process.bin")
    args = ap.parse_args()
    if not glob.glob(os.path.join(args.data, "npp_[0-9]*.tif")):
        sys.exit(f"No npp_YYYY.tif in {args.data}: run scripts/make_example_data.py first")
    os.makedirs(args.out, exist_ok=True)
    sections, total = [], 0.0
    for alg, params, outputs in algorithm_runs(args.data, args.out):
        line, secs, result = run(args.qgis_process, alg, params, outputs)
        total += secs
        sections.append(output_section(alg, line, secs, result, outputs))
    report = os.path.join(args.out, "report.html")
    with open(report, "w", encoding="utf-8") as f:
        f.write(f"<!DOCTYPE html><html><head><meta charset='utf-8'>"
                f"<title>CarbonSink demo</title><style>{CSS}</style></head><body>"
                f"<h1>CarbonSink demo report</h1><p>Generated {time.strftime('%Y-%m-%d %H:%M')}"
                f" with {html.escape(args.qgis_process)}; total wall time {total:.1f} s; "
                f"previews show the last band of multiband outputs.</p>"
                + input_section(args.data) + "\n".join(sections) + "</body></html>")
    print(f"Total {total:.1f} s; report: {report}")


if __name__ == "__main__":
    main()
