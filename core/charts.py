"""Dependency-free SVG line charts and a self-contained HTML page for reports."""
import html
import math


def number(v, digits=4):
    """A number for a report or chart label: fixed notation with thousands
    separators (170,412 and -17,910, not 1.704e+05), ``digits`` significant
    digits below 10^digits (3.142, 0.01235) and every integer digit above,
    trailing zeros dropped; scientific only below 1e-4."""
    v = float(v)
    if not math.isfinite(v):
        return "" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if v == 0:
        return "0"
    if abs(v) < 1e-4:
        return f"{v:.{max(digits - 1, 0)}e}"
    mag = math.floor(math.log10(abs(v)))
    dec = max(0, digits - 1 - mag)
    text = f"{round(v, dec):,.{dec}f}"
    if dec and "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _ticks(lo, hi, n=5):
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=raw)
    start = math.ceil(lo / step) * step
    return [start + i * step for i in range(int((hi - start) / step) + 1)]


def svg_lines(x, series, title="", hlines=(), vlines=(), width=640, height=300,
              xlabel="", ylabel=""):
    """An SVG chart. ``series``: (label, y values, colour, dashed); NaN breaks a
    line. ``hlines``/``vlines``: (value, colour, label)."""
    pad_l, pad_r, pad_t, pad_b = 56, 150, 28, 40
    xs = [float(v) for v in x]
    ys = [float(v) for _, y, _, _ in series for v in y if math.isfinite(float(v))]
    ys += [float(v) for v, _, _ in hlines]
    ylo, yhi = (min(ys), max(ys)) if ys else (0.0, 1.0)
    if yhi == ylo:
        ylo, yhi = ylo - 1, yhi + 1
    span = yhi - ylo
    ylo, yhi = ylo - 0.05 * span, yhi + 0.05 * span
    xlo, xhi = (min(xs), max(xs)) if xs else (0.0, 1.0)
    if xhi == xlo:
        xhi = xlo + 1
    pw, ph = width - pad_l - pad_r, height - pad_t - pad_b

    def px(v):
        return pad_l + (v - xlo) / (xhi - xlo) * pw

    def py(v):
        return pad_t + (yhi - v) / (yhi - ylo) * ph

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect x="{pad_l}" y="{pad_t}" width="{pw}" height="{ph}" fill="white" '
           f'stroke="#888"/>',
           f'<text x="{pad_l}" y="16" font-size="13" font-weight="bold">'
           f'{html.escape(title)}</text>']
    for t in _ticks(ylo, yhi):
        out.append(f'<line x1="{pad_l - 4}" x2="{pad_l}" y1="{py(t):.1f}" y2="{py(t):.1f}" '
                   f'stroke="#888"/><text x="{pad_l - 6}" y="{py(t) + 4:.1f}" '
                   f'text-anchor="end">{number(t, 6)}</text>')
    for t in _ticks(xlo, xhi, 8):
        out.append(f'<text x="{px(t):.1f}" y="{pad_t + ph + 14}" text-anchor="middle">'
                   f'{t:g}</text>')
    if xlabel:
        out.append(f'<text x="{pad_l + pw / 2}" y="{height - 6}" text-anchor="middle">'
                   f'{html.escape(xlabel)}</text>')
    if ylabel:
        out.append(f'<text x="12" y="{pad_t + ph / 2}" transform="rotate(-90 12 '
                   f'{pad_t + ph / 2})" text-anchor="middle">{html.escape(ylabel)}</text>')
    for v, colour, _ in hlines:
        out.append(f'<line x1="{pad_l}" x2="{pad_l + pw}" y1="{py(v):.1f}" y2="{py(v):.1f}" '
                   f'stroke="{colour}" stroke-dasharray="4 3"/>')
    for v, colour, _ in vlines:
        out.append(f'<line x1="{px(v):.1f}" x2="{px(v):.1f}" y1="{pad_t}" y2="{pad_t + ph}" '
                   f'stroke="{colour}" stroke-dasharray="2 2"/>')
    legend = [(lab, col, dash) for lab, _, col, dash in series if lab]
    legend += [(lab, col, True) for _, col, lab in list(hlines) + list(vlines) if lab]
    for label, y, colour, dashed in series:
        pts, parts = [], []
        for xv, yv in zip(xs, y):
            if math.isfinite(float(yv)):
                pts.append(f"{px(xv):.1f},{py(float(yv)):.1f}")
            elif pts:
                parts.append(pts)
                pts = []
        parts.append(pts)
        dash = ' stroke-dasharray="6 3"' if dashed else ""
        for p in parts:
            if len(p) > 1:
                out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.8"{dash} '
                           f'points="{" ".join(p)}"/>')
            elif p:
                cx, cy = p[0].split(",")
                out.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>')
    for i, (label, colour, dashed) in enumerate(legend):
        yy = pad_t + 10 + 16 * i
        dash = ' stroke-dasharray="6 3"' if dashed else ""
        out.append(f'<line x1="{pad_l + pw + 10}" x2="{pad_l + pw + 34}" y1="{yy}" y2="{yy}" '
                   f'stroke="{colour}" stroke-width="2"{dash}/><text x="{pad_l + pw + 38}" '
                   f'y="{yy + 4}">{html.escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def table(headers, rows):
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in r) + "</tr>"
                   for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _fmt(v):
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:.6g}"
    return str(v)


def page(title, body):
    """A self-contained HTML page (no external resources)."""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1000px}}
table{{border-collapse:collapse;margin:.5em 0 1.5em}}td,th{{border:1px solid #ccc;
padding:2px 8px;text-align:right}}th{{background:#eee}}</style></head>
<body><h1>{html.escape(title)}</h1>
{body}
</body></html>
"""


def write_page(path, title, body):
    from .io.outputs import write_text
    return write_text(path, page(title, body))


#: fonts with Chinese glyphs, in order of preference (Linux, Windows, macOS)
CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
             "SimHei", "PingFang SC", "Heiti SC", "Arial Unicode MS")


def cjk_font():
    """The first installed font of CJK_FONTS (matplotlib's font list), or None."""
    from matplotlib import font_manager
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)
