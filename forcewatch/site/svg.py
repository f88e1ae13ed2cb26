"""Charts and the map as static SVG: no JavaScript, no CDN, no tile server.

Every text that comes from a record passes through `esc` (html.escape) before it reaches the
SVG, and links are built only from ids checked against the id pattern.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf"]
SAFE_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


def esc(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def legend(items: list[tuple[str, str]]) -> str:
    spans = "".join(f'<span class="fw-key"><span class="fw-swatch" style="background:{c}"></span>{esc(label)}</span>'
                    for label, c in items)
    return f'<div class="fw-legend">{spans}</div>'


def stacked_bars(categories: list[str], series: dict[str, list[int]], title: str, width=760, height=260) -> str:
    """Vertical stacked bars: one bar per category (e.g. month), one colour per series."""
    left, bottom, top, right = 40, 40, 20, 10
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for values in series.values()) for i in range(len(categories))]
    peak = max(totals + [1])
    step = plot_w / max(len(categories), 1)
    bar = max(step * 0.7, 1)
    parts = [f'<svg class="fw-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{esc(title)}</title>']
    for tick in range(0, peak + 1, max(1, peak // 4 or 1)):
        y = top + plot_h - tick / peak * plot_h
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="fw-grid"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" class="fw-axis" text-anchor="end">{tick}</text>')
    for i, category in enumerate(categories):
        x = left + i * step + (step - bar) / 2
        y = top + plot_h
        for s, (name, values) in enumerate(series.items()):
            if values[i]:
                h = values[i] / peak * plot_h
                y -= h
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour(s)}">'
                             f'<title>{esc(category)}: {values[i]} {esc(name)}</title></rect>')
        if len(categories) <= 16 or i % max(1, len(categories) // 12) == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" class="fw-axis" '
                         f'text-anchor="middle">{esc(category)}</text>')
    parts.append("</svg>")
    return "".join(parts) + legend([(name, colour(s)) for s, name in enumerate(series)])


def horizontal_bars(rows: list[tuple[str, int, str | None]], title: str, width=760) -> str:
    """One bar per (label, count, optional link)."""
    row_h, left, right = 24, 260, 50
    height = row_h * len(rows) + 10
    peak = max([count for _, count, _ in rows] + [1])
    parts = [f'<svg class="fw-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{esc(title)}</title>']
    for i, (label, count, link) in enumerate(rows):
        y = 5 + i * row_h
        w = count / peak * (width - left - right)
        text = f'<text x="{left - 8}" y="{y + 16}" class="fw-label" text-anchor="end">{esc(label)}</text>'
        if link:
            text = f'<a href="{esc(link)}">{text}</a>'
        parts.append(text + f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{colour(0)}"/>'
                     f'<text x="{left + w + 6:.1f}" y="{y + 16}" class="fw-axis">{count}</text>')
    parts.append("</svg>")
    return "".join(parts)


@lru_cache(maxsize=1)
def outlines() -> dict:
    return json.loads((Path(__file__).with_name("region_outlines.json")).read_text())


def incident_map(points: list[dict], width=900) -> str:
    """Equirectangular map of the region with a linked point per incident.

    points: dicts with lat, lon, id, label, colour; `id` must be a safe id (checked)."""
    lon0, lat0, lon1, lat1 = outlines()["window"]
    scale = width / (lon1 - lon0)
    height = round((lat1 - lat0) * scale)

    def xy(lon, lat):
        return (lon - lon0) * scale, (lat1 - lat) * scale

    parts = [f'<svg class="fw-map" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Map of incidents" xmlns="http://www.w3.org/2000/svg"><title>Map of incidents</title>'
             f'<rect width="{width}" height="{height}" class="fw-sea"/>']
    for country in outlines()["countries"]:
        d = " ".join("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in (xy(lon, lat) for lon, lat in ring)) + " Z"
                     for ring in country["rings"])
        parts.append(f'<path d="{d}" class="fw-land"><title>{esc(country["name"])}</title></path>')
    import math
    stacks: dict = {}
    for p in points:
        stacks.setdefault((round(p["lon"], 3), round(p["lat"], 3)), []).append(p)
    placed = []
    for group in stacks.values():
        for k, p in enumerate(sorted(group, key=lambda q: q["id"])):
            x, y = xy(p["lon"], p["lat"])
            if len(group) > 1:  # fan out points at the same place, so that each can be clicked
                angle = 2 * math.pi * k / len(group)
                x, y = x + 9 * math.cos(angle), y + 9 * math.sin(angle)
            placed.append((p, x, y))
    for p, x, y in sorted(placed, key=lambda t: t[0]["id"]):
        if not SAFE_ID.match(p["id"]):
            continue
        parts.append(f'<a href="{esc(p["href"])}" class="fw-point" data-incident="{esc(p["id"])}">'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{p["colour"]}"/>'
                     f'<title>{esc(p["label"])}</title></a>')
    parts.append("</svg>")
    return "".join(parts)


def posture_chart(series: dict[str, list[tuple[str, int, str]]], title: str, width=760, height=240) -> str:
    """Personnel over time: series name -> [(date, best, record id)]."""
    left, right, top, bottom = 60, 20, 20, 40
    dates = sorted({d for points in series.values() for d, _, _ in points})
    if not dates:
        return ""
    import datetime as dt
    days = [dt.date.fromisoformat(d).toordinal() for d in dates]
    d0, d1 = min(days), max(days)
    span = max(d1 - d0, 1)
    peak = max(v for points in series.values() for _, v, _ in points)
    plot_w, plot_h = width - left - right, height - top - bottom

    def xy(date, value):
        x = left + (dt.date.fromisoformat(date).toordinal() - d0) / span * plot_w if d1 > d0 else left + plot_w / 2
        return x, top + plot_h - value / peak * plot_h

    parts = [f'<svg class="fw-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{esc(title)}</title>']
    for tick in (0, peak // 2, peak):
        y = top + plot_h - tick / peak * plot_h
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="fw-grid"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" class="fw-axis" text-anchor="end">{tick:,}</text>')
    for date in dates:
        x, _ = xy(date, 0)
        parts.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" class="fw-axis" text-anchor="middle">{esc(date)}</text>')
    for s, (name, points) in enumerate(series.items()):
        points = sorted(points)
        coords = [xy(d, v) for d, v, _ in points]
        if len(coords) > 1:
            parts.append('<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(
                colour(s), " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)))
        for (x, y), (d, v, rid) in zip(coords, points):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour(s)}">'
                         f'<title>{esc(name)}: {v:,} on {esc(d)} ({esc(rid)})</title></circle>')
    parts.append("</svg>")
    return "".join(parts) + legend([(name, colour(s)) for s, name in enumerate(series)])
