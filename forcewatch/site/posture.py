"""The force-posture page: troop figures over time, country-wide figures and figures for one
site drawn apart (a site's few hundred are not a fall from a country's thousands), each as its
source states it, with every figure in a table below."""

from __future__ import annotations

from collections import defaultdict

from .charts import chart, chart_scripts, span, time_axis
from .data import Data, figure_text, figure_value
from .markup import esc, html_block, link_source, table

def series_spec(points: list[dict], series_field: str, series_title: str, dates: list[str]) -> dict:
    """Personnel over time, a line and points per series; every chart of the page spans the
    same dates (`dates`), so that they read side by side."""
    x = time_axis("date", dates)
    y = {"field": "value", "type": "quantitative", "title": "personnel", "scale": {"zero": True},
         "axis": {"format": ",d", "tickCount": 4}}
    colour = {"field": series_field, "type": "nominal", "title": series_title,
              "scale": {"range": ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#555555"]}}
    tooltip = [{"field": series_field, "title": series_title}, {"field": "text", "title": "personnel"},
               {"field": "date", "title": "as of"}, {"field": "source", "title": "source"}]
    return {"height": 200, "data": {"values": points}, "layer": [
        {"mark": {"type": "line", "strokeWidth": 2}, "encoding": {"x": x, "y": y, "color": colour, "detail": {"field": series_field}}},
        {"mark": {"type": "point", "filled": True, "size": 80, "opacity": 1},
         "encoding": {"x": x, "y": y, "color": colour, "tooltip": tooltip}},
    ]}


def posture_page(data: Data, missing: list[str]) -> str:
    active = sorted((r for r in data.postures.values() if r["status"] == "active"),
                    key=lambda r: (r["country"], r["as_of"]["date"], r["id"]))
    by_country = defaultdict(lambda: {"country": [], "site": []})
    rows = []
    for record in active:
        site = data.sites.get(record.get("site", ""))
        value = figure_value(record["personnel"])
        point = {"date": record["as_of"]["date"], "value": value, "text": figure_text(record["personnel"]),
                 "force": data.actor_name(record["force"]), "site": site["name"] if site else record.get("site"),
                 "source": ", ".join(s.get("publisher", "") for s in record["sources"]), "id": record["id"]}
        if value is not None:
            by_country[record["country"]]["site" if record.get("site") else "country"].append(point)
        rows.append([esc(data.country_name(record["country"])), esc(data.actor_name(record["force"])),
                     esc(point["site"]) if record.get("site") else "country-wide",
                     esc(point["text"]), esc(record["as_of"]["date"]),
                     ", ".join(link_source(s) for s in record["sources"])])
    inner = ("<p>Troop figures as their sources state them, one point per dated figure. Figures for a whole country "
             "and figures for one site are drawn in separate charts: they count different things. Point at a figure "
             "for its source; every figure is in the table below.</p>")
    dates = span([p["date"] for kinds in by_country.values() for ps in kinds.values() for p in ps] or ["2000-01-01"])
    for country, kinds in sorted(by_country.items(), key=lambda kv: data.country_name(kv[0])):
        name = data.country_name(country)
        inner += f'<h2 id="{esc(country.lower())}">{esc(name)}</h2>'
        if kinds["country"]:
            inner += f"<h3>All of {esc(name)}</h3>" + chart(
                f"fw-posture-{country.lower()}", series_spec(kinds["country"], "force", "force", dates),
                f"Personnel in all of {name} over time, by force; the figures are in the table below.")
        if kinds["site"]:
            inner += f"<h3>At single sites in {esc(name)}</h3>" + chart(
                f"fw-posture-{country.lower()}-sites", series_spec(kinds["site"], "site", "site", dates),
                f"Personnel at single sites in {name} over time, by site; the figures are in the table below.")
    inner += chart_scripts("../", missing)
    inner += '<h2 id="every-figure">Every figure</h2>' + table(
        ["country", "force", "where", "personnel", "as of", "sources"], rows, "fw-posture")
    return "# Force posture\n\n" + html_block(inner)
