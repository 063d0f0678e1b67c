"""The HTML report of a resilience run (methods.md 9): per zone the two
ratio curves q+ and q- with their decay fits (matplotlib PNG when it is
importable, else SVG) and the numbers. Presentation only: the analysis is in
core/resilience.py.

Its text goes through ``tr`` (the identity by default; the QGIS algorithms
pass Qt's translation, context CarbonSink): every ``tr("...")`` literal here
is in the catalogue (scripts/i18n.py reads this module)."""
import base64
import html
import io
import math

import numpy as np

from . import charts as chartlib
from .resilience import flag_text

_POS, _NEG = "#1a9641", "#d7191c"


def _same(text):
    return text


def _fmt(v, digits=3):
    if v is None:
        return ""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return html.escape(str(v))
    if not math.isfinite(v):
        return "" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if v != 0 and (abs(v) >= 1e5 or abs(v) < 1e-3):
        return f"{v:.{digits}g}"
    text = f"{v:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _curve_x(z):
    t0, t1 = float(z.years[0]), float(z.years[-1])
    return np.linspace(t0, t1, 200)


def _chart_png(z, tr=_same):
    import matplotlib
    cjk = chartlib.cjk_font()
    fonts = ([cjk] if cjk else []) + ["DejaVu Sans"]
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": fonts}):
        return _chart_png_drawn(z, tr)


def _chart_png_drawn(z, tr=_same):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(6.4, 3.4), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(111)
    xs = _curve_x(z)
    for q, fit, colour, label in ((z.q_pos, z.fit_pos, _POS, tr("q+ (positive trend kept)")),
                                  (z.q_neg, z.fit_neg, _NEG, tr("q- (negative trend kept)"))):
        if np.isfinite(q).any():
            ax.plot(z.years, 100 * q, "o", color=colour, ms=4, label=label)
        if math.isfinite(fit.lam) and math.isfinite(fit.rate):
            tau = f"{fit.tau_fit:.3g}" if math.isfinite(fit.tau_fit) else "inf"
            ax.plot(xs, 100 * fit.predict(xs), "-", color=colour, lw=1.3,
                    label=tr("fit: tau = {} years").format(tau)
                    + ("" if fit.ok else f" ({fit.flag})"))
    ax.set_xlabel(tr("year"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(tr("share of pixels still keeping the trend (%)"), fontsize=8)
    ax.set_ylim(0, max(105, 100 * np.nanmax(np.r_[z.q_pos, z.q_neg, 1.0]) + 5))
    ax.grid(True, color="#dddddd", lw=0.6)
    # curves fall from 100 % at t': the lower left is the emptiest corner ("best" is slow)
    ax.legend(fontsize=7, loc="lower left", frameon=False)
    ax.set_title(z.name, fontsize=10)
    fig.subplots_adjust(left=0.1, right=0.98, top=0.91, bottom=0.14)   # no tight_layout
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f'<img alt="ratio curves of {html.escape(z.name)}" '
            f'src="data:image/png;base64,{data}">')


def _chart_svg(z, tr=_same):
    w, h = 640, 340
    left, right, top, bottom = 60, 20, 30, 45
    pw, ph = w - left - right, h - top - bottom
    t0, t1 = float(z.years[0]), float(z.years[-1])
    ymax = max(105.0, 100 * float(np.nanmax(np.r_[z.q_pos, z.q_neg, 1.0])) + 5)

    def px(t):
        return left + (float(t) - t0) / max(t1 - t0, 1e-9) * pw

    def py(v):
        return top + ph - float(v) / ymax * ph

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
           f'viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="11">',
           f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="white" '
           'stroke="#999"/>',
           f'<text x="{w / 2}" y="18" text-anchor="middle" font-size="13">'
           f'{html.escape(z.name)}</text>']
    for v in range(0, int(ymax) + 1, 20):
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{py(v):.1f}" y2="{py(v):.1f}" '
                   'stroke="#e5e5e5"/>')
        out.append(f'<text x="{left - 6}" y="{py(v) + 4:.1f}" text-anchor="end">{v}</text>')
    step = max(1, int(math.ceil((t1 - t0) / 10)))
    yr = t0
    while yr <= t1 + 1e-9:
        out.append(f'<line x1="{px(yr):.1f}" x2="{px(yr):.1f}" y1="{top + ph}" '
                   f'y2="{top + ph + 4}" stroke="#666"/>')
        out.append(f'<text x="{px(yr):.1f}" y="{top + ph + 16}" text-anchor="middle">'
                   f'{yr:g}</text>')
        yr += step
    out.append(f'<text x="{left + pw / 2}" y="{h - 8}" text-anchor="middle">'
               f'{html.escape(tr("year"))}</text>')
    out.append(f'<text x="14" y="{top + ph / 2}" text-anchor="middle" '
               f'transform="rotate(-90 14 {top + ph / 2})">'
               f'{html.escape(tr("share keeping the trend (%)"))}</text>')
    xs = _curve_x(z)
    legend = []
    for q, fit, colour, label in ((z.q_pos, z.fit_pos, _POS, "q+"),
                                  (z.q_neg, z.fit_neg, _NEG, "q-")):
        if math.isfinite(fit.lam) and math.isfinite(fit.rate):
            pts = " ".join(f"{px(a):.1f},{py(min(100 * b, ymax)):.1f}"
                           for a, b in zip(xs, fit.predict(xs)))
            out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" '
                       f'points="{pts}"/>')
            tau = f"{fit.tau_fit:.3g}" if math.isfinite(fit.tau_fit) else "inf"
            label += ", " + tr("fit: tau = {} years").format(tau) + \
                ("" if fit.ok else f" ({fit.flag})")
        for a, b in zip(z.years, q):
            if math.isfinite(b):
                out.append(f'<circle cx="{px(a):.1f}" cy="{py(100 * b):.1f}" r="3" '
                           f'fill="{colour}"/>')
        legend.append((colour, label))
    for k, (colour, label) in enumerate(legend):       # lower left: the emptiest corner
        y0 = top + ph - 12 - 16 * (len(legend) - 1 - k)
        out.append(f'<circle cx="{left + 12}" cy="{y0 - 4}" r="4" fill="{colour}"/>')
        out.append(f'<text x="{left + 22}" y="{y0}">{html.escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _have_matplotlib():
    try:
        import matplotlib.backends.backend_agg  # noqa: F401
        return True
    except Exception:  # noqa: BLE001 - any failure means: draw SVG
        return False


def report_html(res, title=None, inputs=None, charts="auto", tr=None):
    """The HTML text of the report (see ResilienceResult.write_report);
    ``tr`` translates its text (default: English)."""
    tr = tr or _same
    if charts == "auto":
        charts = "png" if _have_matplotlib() else "svg"
    chart = _chart_png if charts == "png" else _chart_svg

    def draw(z):
        return chart(z, tr)
    e = html.escape
    title = title or tr("Carbon-sink resilience by probability attenuation")
    p = [f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>
body {{ font-family: sans-serif; max-width: 980px; margin: 1em auto; color: #222; }}
table {{ border-collapse: collapse; margin: .5em 0; font-size: 13px; }}
td, th {{ border: 1px solid #ccc; padding: 2px 8px; text-align: right; }}
th {{ background: #f2f2f2; }} td.l, th.l {{ text-align: left; }}
.flag {{ color: #a00; }} .zone {{ border-top: 2px solid #888; margin-top: 2em; }}
.note {{ font-size: 13px; color: #444; }}
</style></head><body>
<h1>{e(title)}</h1>"""]
    fits = {"nls": tr("non-linear least squares on the ratios"),
            "loglinear": tr("log-linear least squares (ln q on t)")}
    info = {tr("reference year t'"): f"{res.reference_year:g}",
            tr("years"): f"{res.all_years[0]:g}..{res.all_years[-1]:g} ({len(res.all_years)})",
            tr("evaluation years"): f"{res.years[0]:g}..{res.years[-1]:g} ({len(res.years)})",
            tr("fit"): fits[res.method],
            tr("minimum valid years per pixel"): str(res.min_valid)}
    info.update(inputs or {})
    p.append("<table>" + "".join(f'<tr><th class="l">{e(str(k))}</th><td class="l">'
                                 f"{e(str(v))}</td></tr>" for k, v in info.items())
             + "</table>")
    if charts == "png" and any(not z.name.isascii() for z in res.zones) and \
            chartlib.cjk_font() is None:
        p.append('<p class="note flag">' + e(tr(
            "No font with Chinese glyphs was found: zone names in the charts may show as "
            "boxes. Install one (Debian: fonts-wqy-microhei; Windows and macOS have one) and "
            "run again.")) + "</p>")
    p.append('<p class="note">' + tr(
        "Per pixel, K<sub>i</sub> is the least-squares slope of NPP from the first year to "
        "each evaluation year t<sub>i</sub> &ge; t'; a pixel keeps its trend while the sign "
        "of K<sub>i</sub> equals its sign at t'. N+ / N- count the pixels still keeping a "
        "positive / negative trend, q = N(t<sub>i</sub>) / N(t'), and q(t) = &lambda; "
        "exp(-(t - t') / &tau;) is fitted to each series. RS = &tau;<sub>p</sub> - "
        "&tau;<sub>n</sub> (years); levels (Wu et al. 2023): RS &gt; 500 extremely strong, "
        "100..500 stronger, 0..100 strong, -100..0 weak, &lt; -100 weaker. Decay times "
        "depend on the fit (non-linear and log-linear least squares give different &tau; "
        "for the same curve), and a flagged fit gives no &tau; and no RS: the convergence "
        "year of the two curves is the fallback.") + "</p>")
    p.append(f"<h2>{e(tr('Summary'))}</h2><table><tr><th class='l'>{e(tr('zone'))}</th>"
             f"<th>{e(tr('valid pixels'))}</th>"
             "<th>N+(t')</th><th>N-(t')</th><th>&tau;<sub>p</sub></th>"
             f"<th>&tau;<sub>n</sub></th><th>RS</th><th class='l'>{e(tr('level'))}</th>"
             f"<th class='l'>{e(tr('flags'))}</th><th>{e(tr('convergence year'))}</th></tr>")
    for z in res.zones:
        flags = ", ".join(f"{s}: {f.flag}" for s, f in (("p", z.fit_pos), ("n", z.fit_neg))
                          if not f.ok)
        p.append(f"<tr><td class='l'>{e(z.name)}</td><td>{z.n_valid}</td>"
                 f"<td>{z.n_pos[0]}</td><td>{z.n_neg[0]}</td><td>{_fmt(z.fit_pos.tau)}</td>"
                 f"<td>{_fmt(z.fit_neg.tau)}</td><td>{_fmt(z.rs)}</td>"
                 f"<td class='l'>{e(tr(z.level))}</td><td class='l flag'>{e(flags)}</td>"
                 f"<td>{_fmt(z.convergence_year, 6)}</td></tr>")
    p.append("</table>")
    if res.warnings:
        p.append("<ul class='flag'>" + "".join(f"<li>{e(w)}</li>" for w in res.warnings)
                 + "</ul>")
    for z in res.zones:
        p.append(f"<div class='zone'><h2>{e(z.name)}</h2>")
        p.append("<p>" + e(tr("{} pixels in the zone, {} analysed").format(
            z.n_pixels, z.n_valid))
                 + (e(tr(", {} left out (missing values)").format(z.n_left_out))
                    if z.n_left_out else "") + "</p>")
        if not z.has_pixels:
            p.append(f"<p class='flag'>{e(tr('No valid pixel: nothing to fit.'))}</p></div>")
            continue
        p.append(draw(z))
        p.append(f"<table><tr><th class='l'>{e(tr('series'))}</th><th>N(t')</th>"
                 "<th>&lambda;</th><th>SE &lambda;</th>"
                 f"<th>&tau; ({e(tr('years'))})</th><th>SE &tau;</th>"
                 f"<th>{e(tr('fitted'))} &tau;</th><th>r&sup2;</th><th>RMSE</th>"
                 f"<th class='l'>{e(tr('flag'))}</th></tr>")
        for label, n0, f in ((e(tr("positive (q+)")), z.n_pos[0], z.fit_pos),
                             (e(tr("negative (q-)")), z.n_neg[0], z.fit_neg)):
            cls = "" if f.ok else " flag"
            p.append(f"<tr><td class='l'>{label}</td><td>{n0}</td><td>{_fmt(f.lam)}</td>"
                     f"<td>{_fmt(f.se_lam)}</td><td>{_fmt(f.tau)}</td>"
                     f"<td>{_fmt(f.se_tau) if f.ok else ''}</td><td>{_fmt(f.tau_fit)}</td>"
                     f"<td>{_fmt(f.r2)}</td><td>{_fmt(f.rmse)}</td>"
                     f"<td class='l{cls}' title='{e(flag_text(f.flag, tr))}'>{e(f.flag)}</td>"
                     "</tr>")
        p.append("</table>")
        flagged = [f.flag for f in (z.fit_pos, z.fit_neg) if not f.ok]
        if flagged:
            p.append("<ul class='flag'>" + "".join(
                f"<li>{e(fl)}: {e(flag_text(fl, tr))}</li>" for fl in dict.fromkeys(flagged))
                + "</ul>")
        conv = (tr("{:g} ({:g} years after t')").format(z.convergence_year,
                                                        z.convergence_time)
                if math.isfinite(z.convergence_year) else tr("the curves do not meet"))
        p.append(f"<p><b>RS</b> = {_fmt(z.rs) or e(tr('not determined'))}; "
                 f"<b>{e(tr('level'))}</b>: {e(tr(z.level))}; "
                 f"<b>{e(tr('convergence of the two curves'))}</b>: {e(conv)}.</p>")
        p.append(f"<details><summary>{e(tr('Counts per year'))}</summary><table><tr>"
                 f"<th>{e(tr('year'))}</th>"
                 "<th>N+</th><th>N-</th><th>q+ (%)</th><th>q- (%)</th></tr>")
        for i, yr in enumerate(z.years):
            p.append(f"<tr><td>{yr:g}</td><td>{z.n_pos[i]}</td><td>{z.n_neg[i]}</td>"
                     f"<td>{_fmt(100 * z.q_pos[i], 2)}</td><td>{_fmt(100 * z.q_neg[i], 2)}</td>"
                     "</tr>")
        p.append("</table></details></div>")
    p.append("<p class='note'>" + e(tr("Source: Wu L. et al. (2023) Characteristics of "
                                      "vegetation carbon sink carrying capacity and "
                                      "restoration potential of China in recent 40 years. "
                                      "Front. For. Glob. Change 6:1266688. Computed by "
                                      "CarbonSink.")) + "</p></body></html>")
    return "\n".join(p)
