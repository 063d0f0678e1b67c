"""Dependency-free SVG charts of the accounting reports: a Sankey diagram of
land-cover transitions, a heat map (latitude band x time) and bars."""
import html
import math

from .charts import number

PALETTE = ["#e6ab02", "#1b9e77", "#a6d854", "#386cb0", "#e7298a", "#bf5b17", "#7570b3",
           "#66a61e", "#d95f02", "#666666", "#1f78b4", "#b15928", "#fb9a99", "#33a02c"]


def colour(k):
    return PALETTE[k % len(PALETTE)]


def svg_sankey(names, matrix, title="", left="first map", right="second map", unit="km2",
               width=700, height=440):
    """Sankey diagram of a from (rows) x to (columns) matrix of areas.
    ``names``: the class labels (same order for rows and columns). Flows
    that stay in their class are drawn paler than changes."""
    n = len(names)
    rows = [sum(max(0.0, float(v)) for v in matrix[i]) for i in range(n)]
    cols = [sum(max(0.0, float(matrix[i][j])) for i in range(n)) for j in range(n)]
    total = sum(rows)
    pad_t, pad_b, node_w, gap = 40, 16, 14, 8
    x0, x1 = 170, width - 170
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<text x="10" y="16" font-size="13" font-weight="bold">{html.escape(title)}</text>',
           f'<text x="{x0}" y="32" text-anchor="end">{html.escape(left)}</text>',
           f'<text x="{x1 + node_w}" y="32">{html.escape(right)}</text>']
    if total <= 0:
        out.append('<text x="10" y="60">no area</text></svg>')
        return "\n".join(out)
    n_left = sum(1 for v in rows if v > 0)
    n_right = sum(1 for v in cols if v > 0)
    avail = height - pad_t - pad_b - gap * (max(n_left, n_right) - 1)
    k = max(avail, 10) / total

    def stack(sizes):
        pos, y = [], pad_t
        for v in sizes:
            pos.append(y)
            if v > 0:
                y += v * k + gap
        return pos

    ly, ry = stack(rows), stack(cols)
    lcur, rcur = list(ly), list(ry)
    flows = []
    for i in range(n):
        for j in range(n):
            v = float(matrix[i][j])
            if v <= 0:
                continue
            h = v * k
            flows.append((i, j, v, lcur[i], rcur[j], h))
            lcur[i] += h
            rcur[j] += h
    xm = (x0 + node_w + x1) / 2
    for i, j, v, ya, yb, h in sorted(flows, key=lambda f: f[0] != f[1]):
        op = 0.25 if i == j else 0.6
        a, b = x0 + node_w, x1
        d = (f"M{a:.1f},{ya:.2f} C{xm:.1f},{ya:.2f} {xm:.1f},{yb:.2f} {b:.1f},{yb:.2f} "
             f"L{b:.1f},{yb + h:.2f} C{xm:.1f},{yb + h:.2f} {xm:.1f},{ya + h:.2f} "
             f"{a:.1f},{ya + h:.2f} Z")
        tip = (f"{names[i]} -> {names[j]}: {number(v, 6)} {unit} "
               f"({number(100 * v / total, 3)} %)")
        out.append(f'<path d="{d}" fill="{colour(i)}" fill-opacity="{op}" stroke="none">'
                   f'<title>{html.escape(tip)}</title></path>')
    for sizes, pos, x, anchor, dx in ((rows, ly, x0, "end", -4), (cols, ry, x1, "start",
                                                                    node_w + 4)):
        for i, v in enumerate(sizes):
            if v <= 0:
                continue
            h = v * k
            out.append(f'<rect x="{x}" y="{pos[i]:.2f}" width="{node_w}" '
                       f'height="{max(h, 0.5):.2f}" fill="{colour(i)}"><title>'
                       f'{html.escape(names[i])}: {number(v, 6)} {unit}</title></rect>')
            out.append(f'<text x="{x + dx}" y="{pos[i] + h / 2 + 4:.1f}" text-anchor="{anchor}">'
                       f'{html.escape(names[i])} ({number(v)})</text>')
    out.append("</svg>")
    return "\n".join(out)


def _diverging(v, vmax):
    """Blue (negative) - white - green (positive) colour of v in [-vmax, vmax]."""
    if v is None or not math.isfinite(v):
        return "#dddddd"
    t = max(-1.0, min(1.0, v / vmax)) if vmax > 0 else 0.0
    if t >= 0:
        c0, c1 = (255, 255, 255), (0, 104, 55)
    else:
        c0, c1, t = (255, 255, 255), (178, 24, 43), -t
    r, g, b = (round(a + (b_ - a) * t) for a, b_ in zip(c0, c1))
    return f"#{r:02x}{g:02x}{b:02x}"


def svg_heatmap(xlabels, ylabels, values, title="", unit="", width=760, cell_h=18):
    """Heat map: ``values[i][j]`` for row ylabels[i] and column xlabels[j],
    diverging colours centred on 0 (green positive = sink, red negative)."""
    finite = [abs(v) for row in values for v in row if v is not None and math.isfinite(v)]
    vmax = max(finite) if finite else 1.0
    pad_l, pad_t, pad_r = 90, 30, 120
    nx, ny = len(xlabels), len(ylabels)
    cw = max(2.0, (width - pad_l - pad_r) / max(nx, 1))
    height = pad_t + ny * cell_h + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<text x="10" y="16" font-size="13" font-weight="bold">{html.escape(title)}</text>']
    for i, yl in enumerate(ylabels):
        y = pad_t + i * cell_h
        out.append(f'<text x="{pad_l - 4}" y="{y + cell_h / 2 + 4:.1f}" text-anchor="end">'
                   f'{html.escape(str(yl))}</text>')
        for j in range(nx):
            v = values[i][j]
            tip = f"{yl}, {xlabels[j]}: {'' if v is None else number(v)} {unit}"
            out.append(f'<rect x="{pad_l + j * cw:.2f}" y="{y}" width="{cw + 0.3:.2f}" '
                       f'height="{cell_h}" fill="{_diverging(v, vmax)}"><title>'
                       f'{html.escape(tip)}</title></rect>')
    longest = max((len(str(v)) for v in xlabels), default=1)
    step = max(1, int(math.ceil(nx * (7 * longest + 10) / max(width - pad_l - pad_r, 1))))
    for j in range(0, nx, step):
        out.append(f'<text x="{pad_l + (j + 0.5) * cw:.1f}" y="{pad_t + ny * cell_h + 14}" '
                   f'text-anchor="middle">{html.escape(str(xlabels[j]))}</text>')
    lx = width - pad_r + 20
    for k, frac in enumerate((1, 0.5, 0, -0.5, -1)):
        y = pad_t + k * 16
        out.append(f'<rect x="{lx}" y="{y}" width="14" height="14" '
                   f'fill="{_diverging(frac * vmax, vmax)}" stroke="#999"/>'
                   f'<text x="{lx + 18}" y="{y + 11}">{number(frac * vmax, 3)} '
                   f'{html.escape(unit)}'
                   f'</text>')
    out.append("</svg>")
    return "\n".join(out)


def svg_bars(labels, values, title="", unit="", width=640, bar_h=16):
    """Horizontal bars (negative to the left of the axis)."""
    vals = [float(v) if v is not None and math.isfinite(float(v)) else 0.0 for v in values]
    lo, hi = min(vals + [0.0]), max(vals + [0.0])
    span = (hi - lo) or 1.0
    pad_l, pad_r, pad_t = 170, 90, 28
    pw = width - pad_l - pad_r
    height = pad_t + len(vals) * (bar_h + 4) + 10

    def px(v):
        return pad_l + (v - lo) / span * pw

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<text x="10" y="16" font-size="13" font-weight="bold">{html.escape(title)}</text>']
    for i, (lab, v) in enumerate(zip(labels, vals)):
        y = pad_t + i * (bar_h + 4)
        a, b = sorted((px(0.0), px(v)))
        fill = "#1a9641" if v >= 0 else "#d7191c"
        out.append(f'<text x="{pad_l - 6}" y="{y + bar_h - 4}" text-anchor="end">'
                   f'{html.escape(str(lab))}</text><rect x="{a:.1f}" y="{y}" '
                   f'width="{max(b - a, 0.5):.1f}" height="{bar_h}" fill="{fill}"/>'
                   f'<text x="{max(b, px(0.0)) + 4:.1f}" y="{y + bar_h - 4}">{number(v)} '
                   f'{html.escape(unit)}</text>')
    out.append(f'<line x1="{px(0.0):.1f}" x2="{px(0.0):.1f}" y1="{pad_t - 4}" '
               f'y2="{height - 6}" stroke="#444"/>')
    out.append("</svg>")
    return "\n".join(out)


def svg_sankey_chain(names, matrices, labels, title="", unit="km2", width=860, height=460):
    """One Sankey diagram over a chain of dates (e.g. 2000 -> 2011 -> 2022):
    ``matrices[s]`` is the from x to area matrix between ``labels[s]`` and
    ``labels[s + 1]``. A class's node at an inner date is as tall as the
    larger of what flows in and what flows out (the pixels valid in both maps
    of a period can differ); flows that stay in their class are paler."""
    n, stages = len(names), len(matrices) + 1
    mats = [[[max(0.0, float(v)) for v in row] for row in m] for m in matrices]
    outs = [[sum(m[i]) for i in range(n)] for m in mats]
    ins = [[sum(m[i][j] for i in range(n)) for j in range(n)] for m in mats]
    size = []
    for s in range(stages):
        a = outs[s] if s < len(mats) else [0.0] * n
        b = ins[s - 1] if s > 0 else [0.0] * n
        size.append([max(x, y) for x, y in zip(a, b)])
    node_w, gap, pad_t, pad_b, pad_x = 14, 8, 44, 16, 150
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<text x="10" y="16" font-size="13" font-weight="bold">{html.escape(title)}</text>']
    total = max((sum(s) for s in size), default=0.0)
    if total <= 0:
        out.append('<text x="10" y="60">no area</text></svg>')
        return "\n".join(out)
    xs = [pad_x + s * (width - 2 * pad_x - node_w) / max(stages - 1, 1) for s in range(stages)]
    busiest = max(sum(1 for v in s if v > 0) for s in size)
    k = max(height - pad_t - pad_b - gap * (busiest - 1), 10) / total
    tops = []
    for s in range(stages):
        pos, y = [], pad_t
        for v in size[s]:
            pos.append(y)
            if v > 0:
                y += v * k + gap
        tops.append(pos)
    for s, label in enumerate(labels[:stages]):
        anchor = "end" if s == 0 else ("start" if s == stages - 1 else "middle")
        x = xs[s] + (0 if s == 0 else node_w if s == stages - 1 else node_w / 2)
        out.append(f'<text x="{x:.1f}" y="34" text-anchor="{anchor}" font-weight="bold">'
                   f'{html.escape(str(label))}</text>')
    for s, m in enumerate(mats):
        left = list(tops[s])
        right = list(tops[s + 1])
        a, b = xs[s] + node_w, xs[s + 1]
        xm = (a + b) / 2
        flows = []
        for i in range(n):
            for j in range(n):
                if m[i][j] <= 0:
                    continue
                h = m[i][j] * k
                flows.append((i, j, m[i][j], left[i], right[j], h))
                left[i] += h
                right[j] += h
        for i, j, v, ya, yb, h in sorted(flows, key=lambda f: f[0] != f[1]):
            d = (f"M{a:.1f},{ya:.2f} C{xm:.1f},{ya:.2f} {xm:.1f},{yb:.2f} {b:.1f},{yb:.2f} "
                 f"L{b:.1f},{yb + h:.2f} C{xm:.1f},{yb + h:.2f} {xm:.1f},{ya + h:.2f} "
                 f"{a:.1f},{ya + h:.2f} Z")
            tip = f"{labels[s]} -> {labels[s + 1]}: {names[i]} -> {names[j]}: " \
                  f"{number(v, 6)} {unit}"
            out.append(f'<path d="{d}" fill="{colour(i)}" fill-opacity="'
                       f'{0.25 if i == j else 0.6}" stroke="none"><title>'
                       f'{html.escape(tip)}</title></path>')
    for s in range(stages):
        for i, v in enumerate(size[s]):
            if v <= 0:
                continue
            h = v * k
            out.append(f'<rect x="{xs[s]:.1f}" y="{tops[s][i]:.2f}" width="{node_w}" '
                       f'height="{max(h, 0.5):.2f}" fill="{colour(i)}"><title>'
                       f'{html.escape(names[i])}, {labels[s]}: {number(v, 6)} {unit}'
                       f'</title></rect>')
            if s in (0, stages - 1):
                anchor, dx = ("end", -4) if s == 0 else ("start", node_w + 4)
                out.append(f'<text x="{xs[s] + dx:.1f}" y="{tops[s][i] + h / 2 + 4:.1f}" '
                           f'text-anchor="{anchor}">{html.escape(names[i])} '
                           f'({number(v)})</text>')
    out.append("</svg>")
    return "\n".join(out)
