"""A small SVG chart of how the figures grow with the store: each series divided by its value at the smallest
size, on log-log axes (a line parallel to `triples` grows linearly with the data). No plotting library."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

WIDTH, HEIGHT, MARGIN, LEGEND = 640, 380, 48, 230
COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"]


def series(sizes: dict) -> dict[str, list[float | None]]:
    def get(r: dict, *path: str):
        for p in path:
            r = r.get(p, {}) if isinstance(r, dict) else {}
        return r if isinstance(r, int | float) else None

    picks = {
        "triples": ("triples",),
        "register import": ("register_import_s",),
        "whole-graph validation": ("validate_turbo_s",),
        "gate per change": ("gate_turbo", "gate", "median_ms"),
        "/competence varied p50": ("competence_varied", "p50_ms"),
        "/sparql instrument-history p50": ("sparql", "instrument-history", "dci-kg", "p50_ms"),
        "/sparql counts-by-status-kind p50": ("sparql", "counts-by-status-kind", "dci-kg", "p50_ms"),
        "cold start": ("cold_start_s", "median"),
        "peak RSS": ("rss_mb", "dci-kg"),
    }
    return {label: [get(sizes[n], *path) for n in sizes] for label, path in picks.items()}


def render(sizes: dict) -> str | None:
    """The chart, or None when fewer than two sizes were run."""
    ns = [int(n) for n in sizes]
    if len(ns) < 2:
        return None
    lines = {k: [v / vals[0] if v and vals[0] else None for v in vals] for k, vals in series(sizes).items()}
    ys = [y for vals in lines.values() for y in vals if y]
    lo, hi = math.log10(min([*ys, 1.0])), math.log10(max([*ys, 10.0]))
    x0, x1 = math.log10(min(ns)), math.log10(max(ns))
    pw, ph = WIDTH - LEGEND - 2 * MARGIN, HEIGHT - 2 * MARGIN

    def px(n: int) -> float:
        return MARGIN + (math.log10(n) - x0) / (x1 - x0) * pw

    def py(y: float) -> float:
        return MARGIN + ph - (math.log10(y) - lo) / ((hi - lo) or 1) * ph

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" '
           'font-size="11">', '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{MARGIN}" y="20" font-size="13">Growth with the store (÷ value at {min(ns):,} instruments, '
           'log-log)</text>']  # fmt: skip
    for n in ns:
        out.append(f'<line x1="{px(n):.1f}" y1="{MARGIN}" x2="{px(n):.1f}" y2="{MARGIN + ph}" stroke="#ddd"/>')
        out.append(f'<text x="{px(n):.1f}" y="{MARGIN + ph + 16}" text-anchor="middle">{n:,}</text>')
    for e in range(math.floor(lo), math.ceil(hi) + 1):
        y = py(10.0**e)
        out.append(f'<line x1="{MARGIN}" y1="{y:.1f}" x2="{MARGIN + pw}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{MARGIN - 6}" y="{y + 4:.1f}" text-anchor="end">{10.0**e:g}x</text>')
    for i, (label, vals) in enumerate(lines.items()):
        colour = COLOURS[i % len(COLOURS)]
        pts = [(px(n), py(v)) for n, v in zip(ns, vals, strict=True) if v]
        if len(pts) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        ly = MARGIN + 14 * i
        out.append(f'<rect x="{WIDTH - LEGEND + 8}" y="{ly - 8}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{WIDTH - LEGEND + 22}" y="{ly + 1}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def write(sizes: dict, path: Path) -> bool:
    svg = render(sizes)
    if svg is None:
        return False
    path.write_text(svg, encoding="utf-8")
    return True
