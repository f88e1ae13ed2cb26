"""The timeline page: incidents per week, by type, with the official tallies drawn against the
dataset's own count and the campaign's phases labelled.

An incident is placed in the week (Monday to Sunday) of its start date when its date range
spans at most seven days (known to the day, to a few days or to the week); one known only to a
longer period (a month, a year) is listed under the chart instead of being put in a week it
may not belong to.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..coverage import describe
from .charts import caveat, chart, chart_scripts, time_axis
from .data import Data, incident_href
from .markup import esc, html_block, legend, table

PHASES_FILE = Path(__file__).with_name("phases.json")


def week_of(day: str) -> dt.date:
    date = dt.date.fromisoformat(day)
    return date - dt.timedelta(days=date.weekday())


MAX_RANGE_DAYS = 7


def placed_week(record: dict) -> dt.date | None:
    """The Monday of the week the incident started in, if its range spans at most a week."""
    start, end = (dt.date.fromisoformat(record["when"][k]) for k in ("start", "end"))
    return week_of(record["when"]["start"]) if (end - start).days < MAX_RANGE_DAYS else None


def weeks_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


def phases(data: Data) -> list[dict]:
    """The labelled phases whose first incident is an active record, in date order."""
    spec = json.loads(PHASES_FILE.read_text(encoding="utf-8"))
    active = data.active_incidents()
    found = [{"label": p["label"], "incident": p["starts_with"], "start": active[p["starts_with"]]["when"]["start"]}
             for p in spec["phases"] if p["starts_with"] in active]
    found.sort(key=lambda p: (p["start"], p["incident"]))
    for n, phase in enumerate(found, 1):
        phase["n"] = str(n)
    return found


def weekly_units(data: Data) -> tuple[list[dict], list[str]]:
    """One unit per placed incident (stacked within its week by type, then date), and the ids
    of the incidents that no single week holds."""
    units, unplaced = [], []
    stack: dict[dt.date, int] = {}
    order = {t: i for i, t in enumerate(data.event_types)}
    active = data.active_incidents()
    for rid, record in sorted(active.items(), key=lambda kv: (order.get(kv[1]["event_type"], len(order)),
                                                                kv[1]["when"]["start"], kv[0])):
        week = placed_week(record)
        if week is None:
            unplaced.append(rid)
            continue
        y0 = stack.get(week, 0)
        stack[week] = y0 + 1
        units.append({"id": rid, "week": week.isoformat(), "end": (week + dt.timedelta(days=7)).isoformat(),
                      "y0": y0, "y1": y0 + 1, "type": record["event_type"], "date": record["when"]["start"],
                      "title": record["title"], "href": incident_href(rid, "incidents/"),
                      "verification": data.verification(record), "harm": data.harm_text(record)})
    units.sort(key=lambda u: (u["week"], u["y0"]))
    unplaced.sort(key=lambda rid: (active[rid]["when"]["start"], rid))
    return units, unplaced


def _types_scale(data: Data, units: list[dict]) -> dict:
    types = [t for t in data.event_types if any(u["type"] == t for u in units)]
    return {"domain": types, "range": [data.type_colour(t) for t in types]}


def weekly_spec(data: Data, units: list[dict], domain: list[str], marks: list[dict]) -> dict:
    """One block per incident, stacked in its week; the phases as numbered rules over shaded
    bands. Every layer's x is the field `week` (one scale, one domain, stated once)."""
    peak = max([u["y1"] for u in units] + [1])
    phase_values = [{"week": p["start"], "end": p["end"], "n": p["n"], "label": p["label"]} for p in marks]
    bands = [p for i, p in enumerate(phase_values) if i % 2 == 1]
    layers = []
    if bands:
        layers.append({"data": {"values": bands}, "mark": {"type": "rect", "color": "#f1f1f1"},
                       "encoding": {"x2": {"field": "end"}}})
    layers.append({
        "data": {"values": units},
        "mark": {"type": "rect", "stroke": "white", "strokeWidth": 0.6, "cursor": "pointer"},
        "encoding": {
            "x2": {"field": "end"},
            "y": {"field": "y0", "type": "quantitative", "title": "incidents in the week",
                  "scale": {"domain": [0, peak + 1], "nice": False}, "axis": {"tickMinStep": 1, "format": "d"}},
            "y2": {"field": "y1"},
            "color": {"field": "type", "type": "nominal", "title": None, "scale": _types_scale(data, units),
                      "legend": None},
            "tooltip": [{"field": "date", "title": "date"}, {"field": "title", "title": "incident"},
                        {"field": "type", "title": "type"}, {"field": "harm", "title": "killed and injured"},
                        {"field": "verification", "title": "verification"}],
        },
    })
    if marks:
        layers.append({"data": {"values": phase_values},
                       "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#555"}})
        layers.append({"data": {"values": phase_values},
                       "mark": {"type": "text", "align": "left", "baseline": "top", "dx": 4, "dy": 2,
                                "fontWeight": "bold", "fontSize": 13, "color": "#222"},
                       "encoding": {"y": {"value": 0}, "text": {"field": "n"},
                                    "tooltip": [{"field": "n", "title": "phase"}, {"field": "label", "title": "from"}]}})
    # No explicit domain: the blocks span it (Vega-Lite cannot merge one with an x2 channel);
    # the tallies chart below states the same span, so that the two line up.
    return {"height": 240, "encoding": {"x": time_axis("week", domain, fixed=False)}, "layer": layers}


def tallies_spec(rows: list[dict], domain: list[str]) -> dict:
    """The official count and the dataset's count for the same scope, one pair per tally,
    joined by a line: how far apart they are is how much the dataset lacks."""
    values = []
    for row in rows:
        text = describe(row)
        for who, value in (("official count", row["official"]), ("in the dataset", row["dataset"])):
            if value is not None:
                values.append({"as_of": row["as_of"], "who": who, "value": value, "text": text, "id": row["id"],
                               "official": row["official"], "dataset": row["dataset"]})
    x = time_axis("as_of", domain)
    colours = {"domain": ["official count", "in the dataset"], "range": ["#222222", "#D55E00"]}
    return {
        "height": 200,
        "data": {"values": values},
        "layer": [
            {"transform": [{"filter": "datum.who === 'official count' && datum.dataset != null"}],
             "mark": {"type": "rule", "color": "#999", "strokeWidth": 1.5},
             "encoding": {"x": x, "y": {"field": "dataset", "type": "quantitative"}, "y2": {"field": "official"}}},
            {"mark": {"type": "point", "filled": True, "size": 70, "opacity": 1},
             "encoding": {"x": x,
                          "y": {"field": "value", "type": "quantitative", "title": "count since the tally's start"},
                          "color": {"field": "who", "type": "nominal", "title": None, "scale": colours},
                          "shape": {"field": "who", "type": "nominal", "title": None,
                                    "scale": {"domain": colours["domain"], "range": ["circle", "diamond"]}},
                          "tooltip": [{"field": "text", "title": "tally"}]}},
        ],
    }


def timeline_page(data: Data, missing: list[str]) -> str:
    units, unplaced = weekly_units(data)
    active = data.active_incidents()
    marks = phases(data)
    inner = ("<p>Every incident of the dataset, week by week (Monday to Sunday, by the day it started), coloured by "
             "type; each block is one incident: point at it for its date, title, casualties and how sure it is, click "
             "it to open its page with its sources. The numbers mark the phases listed below the chart. An incident "
             "known only to a longer period than a week is listed below, not put in a week.</p>")
    inner += caveat(data.coverage, "../")
    if not units:
        return "# Timeline\n\n" + html_block(inner + "<p>No incident is known to the week yet.</p>")
    first, last = week_of(units[0]["week"]), week_of(units[-1]["week"])
    domain = [first.isoformat(), (last + dt.timedelta(days=7)).isoformat()]
    for i, phase in enumerate(marks):
        phase["end"] = marks[i + 1]["start"] if i + 1 < len(marks) else domain[1]
    scale = _types_scale(data, units)
    inner += '<h2 id="per-week">Incidents per week</h2>'
    inner += chart("fw-weekly", weekly_spec(data, units, domain, marks),
                   f"Incidents per week, by type, from the week of {first.isoformat()} to the week of "
                   f"{last.isoformat()}; the same counts are in the table below.")
    inner += legend(list(zip(scale["domain"], scale["range"])))
    if marks:
        items = "".join(f'<li value="{p["n"]}"><a href="{incident_href(p["incident"], "incidents/")}">'
                        f'{esc(p["start"])}</a>: {esc(p["label"])}</li>' for p in marks)
        inner += f'<h3 id="phases">Phases</h3><ol class="fw-phases">{items}</ol>'
    attack_rows = [r for r in data.coverage["tallies"] if r["measure"] == "attacks"]
    inner += '<h2 id="tallies">Official counts against the dataset\'s</h2>'
    if attack_rows:
        inner += ("<p>Each official or monitor's count of attacks (black) beside the number of incidents the dataset "
                  "holds for the same forces, countries and period (orange); the grey line between them is what the "
                  "dataset lacks. Counts run from each tally's own start date.</p>")
        inner += chart("fw-tallies", tallies_spec(attack_rows, domain),
                       "Official counts of attacks beside the dataset's count for the same scope; the same figures "
                       "are on the reported tallies page.")
    else:
        inner += '<p>No tally of attacks is in the dataset yet (see the <a href="../tallies.html">reported tallies</a>).</p>'
    inner += chart_scripts("../", missing)
    inner += _weeks_table(data, units, first, last)
    if unplaced:
        items = "".join(f'<li><a href="{incident_href(r, "incidents/")}">{esc(active[r]["when"]["start"])} to '
                        f'{esc(active[r]["when"]["end"])}: {esc(active[r]["title"])}</a> '
                        f'({esc(active[r]["when"]["precision"])} precision)</li>' for r in unplaced)
        known = "1 incident is" if len(unplaced) == 1 else f"{len(unplaced)} incidents are"
        inner += (f'<h2 id="not-in-a-week">Not placed in a week</h2><p>{known} known only to a period longer than '
                  f"a week:</p><ul>{items}</ul>")
    return "# Timeline\n\n" + html_block(inner)


def _weeks_table(data: Data, units: list[dict], first: dt.date, last: dt.date) -> str:
    types = [t for t in data.event_types if any(u["type"] == t for u in units)]
    by_week: dict[str, list[dict]] = {}
    for unit in units:
        by_week.setdefault(unit["week"], []).append(unit)
    rows = []
    for week in weeks_between(first, last):
        inside = sorted(by_week.get(week.isoformat(), []), key=lambda u: (u["date"], u["id"]))
        counts = [str(sum(1 for u in inside if u["type"] == t)) for t in types]
        links = "; ".join(f'<a href="{esc(u["href"])}">{esc(u["title"])}</a>' for u in inside)
        rows.append([esc(week.isoformat()), *counts, str(len(inside)), links])
    return ('<details class="fw-alt" id="weeks-table"><summary>The weekly counts as a table</summary>'
            + table(["week of", *map(esc, types), "total", "incidents"], rows, "fw-weeks") + "</details>")
