"""The docs site's generated pages, as a pure function of the repository: schema, issue-code
catalogue, release table specs, changelog, contributor guide and the records.

Pages that show record text are written as raw HTML blocks (which Markdown leaves alone), and
every record value is escaped: contributor text never becomes markup, links or scripts.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from .. import codes
from ..countries import REGION_NAMES
from ..schemas import RECORD_TYPES, SchemaSet, load_schema_set
from ..validate import load_config, validate
from .svg import SAFE_ID, esc, horizontal_bars, incident_map, posture_chart, stacked_bars, colour

EVENT_ORDER = ["attack", "strike", "targeted-killing", "interception", "ground-raid", "foiled-attack"]
PERPETRATOR_ROLES = ("perpetrator", "claimed", "attributed", "suspected")


def code_spans(text: str) -> str:
    """Escape, then turn `backticks` into <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", esc(text))


def safe_url(url) -> str | None:
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def html_block(inner: str) -> str:
    """A raw HTML block: Markdown passes it through untouched."""
    return f'<div class="fw" markdown="0">\n{inner}\n</div>\n'


def table(headers: list[str], rows: list[list[str]], cls: str = "") -> str:
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="fw-table {cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


# --- reference pages ------------------------------------------------------------------------

def _schema_rows(schema_set: SchemaSet, schema: dict, base: str, prefix: str, vocabularies: list, depth=0):
    schema, base = schema_set._deref(schema, base)
    required = set(schema.get("required", []))
    for sub in schema.get("allOf", []):
        required |= set(schema_set._deref(sub, base)[0].get("required", []))
    rows = []
    for name, (prop, prop_base) in schema_set.property_items(schema, base).items():
        prop, prop_base = schema_set._deref(prop, prop_base)
        path = f"{prefix}{name}"
        kind = prop.get("type") or ("constant" if "const" in prop else "")
        item = None
        if kind == "array" and isinstance(prop.get("items"), dict):
            item, item_base = schema_set._deref(prop["items"], prop_base)
            kind = f"list of {item.get('type') or 'object'}"
        constraints = []
        for source in (prop, item or {}):
            if "enum" in source:
                anchor = "vocab-" + path.replace(".", "-").replace("[]", "")
                vocabularies.append((path, source))
                constraints.append(f'<a href="#{anchor}">vocabulary</a> ({len(source["enum"])} terms)')
            if "pattern" in source:
                constraints.append(f"pattern <code>{esc(source['pattern'])}</code>")
            if "format" in source:
                constraints.append(f"format {esc(source['format'])}")
            for key, label in (("minimum", "min"), ("maximum", "max"), ("minLength", "min length"),
                               ("maxLength", "max length"), ("minItems", "min items")):
                if key in source:
                    constraints.append(f"{label} {source[key]}")
        if "const" in prop:
            constraints.append(f"always <code>{esc(prop['const'])}</code>")
        example = prop.get("examples", [None])[0] if prop.get("type") not in ("object",) else None
        rows.append([f"<code>{esc(path)}</code>", esc(kind), "yes" if name in required else "",
                     code_spans(prop.get("description", "")), "; ".join(constraints),
                     f"<code>{esc(json.dumps(example, ensure_ascii=False))}</code>" if example is not None else ""])
        if prop.get("type") == "object" and depth < 3:
            rows += _schema_rows(schema_set, prop, prop_base, path + ".", vocabularies, depth + 1)
        if item is not None and (item.get("type") == "object" or "allOf" in item) and depth < 3:
            rows += _schema_rows(schema_set, item, item_base, path + "[].", vocabularies, depth + 1)
    return rows


def codebook_page(schema_set: SchemaSet) -> str:
    parts = ["# Codebook\n",
             f"Every field of every record type, generated from the JSON Schema (version "
             f"{esc(schema_set.version)}) in `schema/`. Required fields are marked; each vocabulary "
             "term has its definition below its table.\n"]
    for record_type in RECORD_TYPES:
        schema = schema_set.record_schema(record_type)
        vocabularies: list = []
        rows = _schema_rows(schema_set, schema, f"urn:forcewatch:schema:{record_type}", "", vocabularies)
        parts.append(f"## {schema.get('title', record_type)}\n")
        inner = f"<p>{code_spans(schema.get('description', ''))}</p>"
        inner += table(["field", "type", "required", "description", "constraints", "example"], rows, "fw-codebook")
        seen = set()
        for path, source in vocabularies:
            anchor = "vocab-" + path.replace(".", "-").replace("[]", "")
            if anchor in seen:
                continue
            seen.add(anchor)
            terms = source.get("x-terms", {})
            inner += f'<h4 id="{esc(anchor)}">Vocabulary of <code>{esc(path)}</code></h4>'
            inner += table(["term", "definition"],
                           [[f"<code>{esc(t)}</code>", code_spans(terms.get(t, ""))] for t in source["enum"]])
            inner += _parts_text(source)
        parts.append(html_block(inner))
    return "\n".join(parts)


def _parts_text(vocabulary: dict) -> str:
    """How the terms of a vocabulary nest (`x-forcewatch-parts`), in words."""
    from ..harm import PARTS_KEYWORD
    parts = vocabulary.get(PARTS_KEYWORD)
    if not isinstance(parts, dict):
        return ""
    items = "".join(f"<li><code>{esc(whole)}</code> = " + " + ".join(f"<code>{esc(p)}</code>" for p in members)
                    + "</li>" for whole, members in parts.items())
    return (f"<p>The terms nest (<code>{esc(PARTS_KEYWORD)}</code>): each whole is the sum of its parts, and "
            "the parts do not overlap. The release's harm summary counts every person once by this "
            "nesting (see the methodology, \"Counting killed and injured\").</p>"
            f"<ul>{items}</ul>")


def issue_codes_page(root: Path) -> str:
    config = load_config(root)
    parts = ["# Issue codes\n",
             "Every issue `forcewatch validate` can report, generated from the catalogue in "
             "`forcewatch/codes.py`. `forcewatch explain CODE` prints the same text. Severity is "
             "the default; `validators/checks.yaml` may change it (the configured value is shown).\n"]
    by_stage = defaultdict(list)
    for code in codes.CATALOGUE.values():
        by_stage[code.stage].append(code)
    stage_titles = {"load": "Loading the file", "schema": "The record contract (schema)",
                    "record": "Checks on one record", "dataset": "Checks across the dataset"}
    for stage, title in stage_titles.items():
        parts.append(f"## {title}\n")
        inner = ""
        for code in by_stage[stage]:
            configured = config.severities.get(code.code, code.severity)
            inner += (f'<h3 id="{esc(code.code)}"><code>{esc(code.code)}</code>: {esc(code.title)}</h3>'
                      f'<p><strong>{esc(configured)}</strong>'
                      + (f" (default {esc(code.severity)})" if configured != code.severity else "")
                      + f"</p><p>{code_spans(code.explanation)}</p><p><em>How to fix:</em> {code_spans(code.fix)}</p>")
        parts.append(html_block(inner))
    return "\n".join(parts)


def release_tables_page(schema_set: SchemaSet) -> str:
    from ..release.datapackage import descriptor
    from ..release.tables import TABLES
    package = descriptor(schema_set, "<version>", {t.name: 0 for t in TABLES})
    parts = ["# Release tables\n",
             "The tables of every release, generated from the same specification that writes "
             "`datapackage.json`: each table comes as CSV and Parquet, with these columns. "
             f"{esc(package['forcewatch:csvFormulaGuard'])}\n"]
    for resource in package["resources"]:
        schema = resource["schema"]
        parts.append(f"## {resource['name']}\n")
        inner = f"<p>{code_spans(resource['description'])}</p>"
        inner += f"<p>Primary key: <code>{esc(', '.join(schema['primaryKey']))}</code>."
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"]["resource"] or resource["name"]
            inner += (f" <code>{esc(', '.join(fk['fields']))}</code> refers to "
                      f'<a href="#{esc(target)}">{esc(target)}</a>.<code>{esc(", ".join(fk["reference"]["fields"]))}</code>.')
        inner += "</p>"
        rows = [[f"<code>{esc(f['name'])}</code>", esc(f["type"]),
                 "yes" if f.get("constraints", {}).get("required") else "", code_spans(f.get("description", "")),
                 ", ".join(f"<code>{esc(v)}</code>" for v in f.get("constraints", {}).get("enum", []))]
                for f in schema["fields"]]
        inner += table(["column", "type", "required", "description", "allowed values"], rows)
        parts.append(html_block(inner))
    return "\n".join(parts)


# --- data pages ------------------------------------------------------------------------------

def figure_text(fig: dict) -> str:
    q = fig.get("qualifier")
    low, best, high = fig.get("low"), fig.get("best"), fig.get("high")
    fmt = lambda n: f"{n:,}"  # noqa: E731
    if q == "exact" and best is not None:
        return fmt(best)
    if q == "at-least":
        return f"at least {fmt(low if low is not None else best)}"
    if q == "at-most":
        return f"at most {fmt(high if high is not None else best)}"
    if q == "approximately" and best is not None:
        return f"about {fmt(best)}"
    if q == "range" and low is not None and high is not None:
        return f"{fmt(low)} to {fmt(high)}"
    return q or "unknown"


class Data:
    def __init__(self, records: list[dict]):
        self.by_type = defaultdict(dict)
        for record in records:
            self.by_type[record["record_type"]][record["id"]] = record
        self.incidents = dict(sorted(self.by_type["incident"].items(),
                                     key=lambda kv: (kv[1]["when"]["start"], kv[0])))
        self.actors = self.by_type["actor"]
        self.sites = self.by_type["site"]
        self.postures = self.by_type["force_posture"]
        self.incoming = defaultdict(list)
        for rid, record in self.incidents.items():
            for link in record.get("links", []):
                self.incoming[link["incident"]].append((rid, link))

    def actor_name(self, actor_id: str) -> str:
        actor = self.actors.get(actor_id)
        return actor["name"] if actor else actor_id

    def coordinates(self, record: dict):
        place = record["place"]
        if "coordinates" in place:
            return place["coordinates"]
        site = self.sites.get(place.get("site", ""))
        return site.get("coordinates") if site else None

    def active_incidents(self):
        return {k: v for k, v in self.incidents.items() if v["status"] == "active"}


def incident_href(rid: str, from_dir: str) -> str:
    return f"{from_dir}{rid}.html" if SAFE_ID.match(rid) else "#"


def overview_page(data: Data) -> str:
    active = data.active_incidents()
    from ..stats import coverage, ranked
    cov = coverage(list(data.incidents.values()))
    months = list(cov["by_month"])
    types = [t for t in EVENT_ORDER if any(r["event_type"] == t for r in active.values())]
    series = {t: [cov["by_month_and_type"][m].get(t, 0) for m in months] for t in types}
    actor_counts = Counter()
    target_counts = Counter()
    for record in active.values():
        named = {a["actor"] for a in record["actors"] if a["role"] in PERPETRATOR_ROLES}
        actor_counts.update(named)
        target_counts.update({a["actor"] for a in record["actors"] if a["role"] == "target"})
    weapons = Counter(w for r in active.values() for w in r["weapons"])
    outcomes = Counter(r["outcome"] for r in active.values())
    countries = Counter(r["place"]["country"] for r in active.values())
    inner = (f"<p>{len(active)} active incidents, {len(data.actors)} actors, {len(data.postures)} force-posture "
             f"figures. Each chart counts incidents (one incident can name several actors and weapons). "
             f"Dates are start dates; an incident known only to the month counts in that month.</p>")
    inner += "<h2>Incidents by month and type</h2>" + stacked_bars(months, series, "Incidents by month and type")
    inner += ("<h2>Actors named as responsible</h2><p>Incidents per actor named as perpetrator, claimant, "
              "or attributed or suspected by a source.</p>"
              + horizontal_bars([(data.actor_name(a), n, None) for a, n in ranked(actor_counts)],
                                "Incidents per actor named as responsible"))
    inner += ("<h2>Targets</h2>" + horizontal_bars([(data.actor_name(a), n, None) for a, n in ranked(target_counts)],
                                                   "Incidents per target"))
    inner += "<h2>Weapons</h2>" + horizontal_bars([(w, n, None) for w, n in ranked(weapons)], "Incidents per weapon")
    inner += _harm_overview(active)
    inner += "<h2>Outcomes</h2>" + horizontal_bars([(o, n, None) for o, n in ranked(outcomes)], "Incidents per outcome")
    inner += "<h2>Countries</h2>" + horizontal_bars(
        [(REGION_NAMES.get(c, c), n, None) for c, n in ranked(countries)], "Incidents per country")
    if cov["incidents"]:
        two = cov["two_or_more_sources"]
        inner += (f"<h2>Coverage</h2><p>{two['count']} of {cov['incidents']} incidents ({two['share']:.0%}) cite two "
                  "or more sources. What the records most often do not know (unknown is not zero):</p>")
        inner += table(["field", "incidents where it is unknown"],
                       [[esc(k), f"{v} of {cov['incidents']}"] for k, v in cov["unknown"].items()])
    links = ('<p>See also: <a href="map.html">the map</a>, <a href="force-posture.html">force posture</a>, '
             '<a href="incidents/index.html">every incident</a>, <a href="actors.html">every actor</a>.</p>')
    return "# The data\n\n" + html_block(links + inner)


def _harm_overview(active: dict) -> str:
    """Killed and injured by group over the active incidents, from their harm summaries."""
    from ..stats import harm_totals
    totals = harm_totals(list(active.values()))

    def cell(total):
        if not total["incidents"]:
            return ""
        text = f"{total['best']:,} <small>({total['incidents']} incidents"
        if total["without_best"]:
            text += f"; {total['without_best']} without a number, e.g. \"several\""
        return text + ")</small>"
    rows = [[f"<code>{esc(group)}</code>", *(cell(t) for t in by_harm.values())] for group, by_harm in totals.items()]
    return ("<h2>Killed and injured</h2><p>Sums of each incident's harm summary (the one figure to count per "
            "group: a whole and its parts are never added together), over the incidents with a figure; "
            "an incident without one adds nothing, so these are what the sources report, not totals.</p>"
            + table(["group", "killed", "injured"], rows))


def map_page(data: Data) -> str:
    active = data.active_incidents()
    points, off_map = [], []
    types = [t for t in EVENT_ORDER if any(r["event_type"] == t for r in active.values())]
    for rid, record in active.items():
        coords = data.coordinates(record)
        if coords:
            points.append({"id": rid, "lat": coords["lat"], "lon": coords["lon"],
                           "href": incident_href(rid, "incidents/"),
                           "colour": colour(types.index(record["event_type"])),
                           "label": f"{record['when']['start']}: {record['title']}"})
        else:
            off_map.append(rid)
    inner = ("<p>Each point is an incident with known coordinates (its own, or those of the site it names); "
             "click a point to open the incident. Country outlines: Natural Earth (public domain). "
             "The map is a static picture: it needs no network.</p>")
    inner += incident_map(points)
    from .svg import legend
    inner += legend([(t, colour(i)) for i, t in enumerate(types)])
    if off_map:
        items = "".join(f'<li><a href="{incident_href(r, "incidents/")}">{esc(active[r]["when"]["start"])}: '
                        f'{esc(active[r]["title"])}</a> ({esc(active[r]["place"]["geo_precision"])} precision, '
                        f'{esc(active[r]["place"]["name"])})</li>' for r in off_map)
        inner += f"<h2>Not on the map</h2><p>These incidents are located only to a region or country:</p><ul>{items}</ul>"
    return "# Map of incidents\n\n" + html_block(inner)


def posture_page(data: Data) -> str:
    by_country = defaultdict(lambda: defaultdict(list))
    rows = []
    for rid, record in sorted(data.postures.items(), key=lambda kv: (kv[1]["country"], kv[1]["as_of"]["date"], kv[0])):
        if record["status"] != "active":
            continue
        best = record["personnel"].get("best")
        if best is not None:
            by_country[record["country"]][data.actor_name(record["force"])].append((record["as_of"]["date"], best, rid))
        sources = ", ".join(link_source(s) for s in record["sources"])
        rows.append([esc(REGION_NAMES.get(record["country"], record["country"])), esc(data.actor_name(record["force"])),
                     esc(figure_text(record["personnel"])), esc(record["as_of"]["date"]), sources])
    inner = "<p>Troop figures as their sources state them, one point per dated figure.</p>"
    for country, series in sorted(by_country.items()):
        name = REGION_NAMES.get(country, country)
        inner += f"<h2>{esc(name)}</h2>" + posture_chart(series, f"Personnel in {name}")
    inner += "<h2>Every figure</h2>" + table(["country", "force", "personnel", "as of", "sources"], rows)
    return "# Force posture\n\n" + html_block(inner)


def link_source(source: dict) -> str:
    url = safe_url(source.get("url"))
    label = esc(source.get("publisher", "source"))
    return f'<a href="{esc(url)}" rel="nofollow noopener noreferrer">{label}</a>' if url else label


def actors_page(data: Data) -> str:
    rows = []
    for rid, actor in sorted(data.actors.items()):
        aliases = ", ".join(esc(a["name"]) for a in actor.get("aliases", []))
        relations = "; ".join(f"{esc(r['relation'])} {esc(data.actor_name(r['actor']))}"
                              + (f" (from {esc(r['start'])})" if r.get("start") else "")
                              for r in actor.get("relations", []))
        rows.append([f'<span id="{esc(rid)}"><code>{esc(rid)}</code></span>', esc(actor["name"]), esc(actor["kind"]),
                     aliases, relations, code_spans(actor["description"]),
                     ", ".join(link_source(s) for s in actor["sources"])])
    return "# Actors\n\n" + html_block(table(["id", "name", "kind", "aliases", "relations", "description", "sources"], rows))


def incidents_index_page(data: Data) -> str:
    rows = []
    for rid, record in data.incidents.items():
        status = "" if record["status"] == "active" else f" ({esc(record['status'])})"
        rows.append([esc(record["when"]["start"]) + (f"..{esc(record['when']['end'])}" if record["when"]["end"] != record["when"]["start"] else ""),
                     f'<a href="{incident_href(rid, "")}">{esc(record["title"])}</a>{status}',
                     esc(REGION_NAMES.get(record["place"]["country"], record["place"]["country"])),
                     esc(record["event_type"]), esc(", ".join(record["weapons"])), str(len(record["sources"]))])
    return "# Incidents\n\n" + html_block(table(["date", "incident", "country", "type", "weapons", "sources"], rows))


def harm_summary_section(record: dict, cite) -> str:
    """The harm summary (`harm`): the one figure to count per group, before every source's figure."""
    from ..harm import HARMS, RULES, analyse, default_parts, describe, summary_groups
    parts = default_parts()
    analysis = analyse(record.get("casualties"), parts)
    rows = []
    for group in summary_groups(parts):
        figures = [(h, analysis.figure(group, h)) for h in HARMS]
        if any(f is not None for _, f in figures):
            rows.append([f"<code>{esc(group)}</code>"] + [
                "" if f is None else f'{esc(describe(f))} <small title="{esc(RULES[f.rule])}">({esc(f.rule)})</small> '
                + cite(f.sources) for _, f in figures])
    return ("<h2>Killed and injured</h2><p>The figure to count for each group (the harm summary: the preferred "
            "or only figure, or the sum of the parts, never a whole and its parts together); a blank is unknown.</p>"
            + table(["group", *HARMS], rows, "fw-harm"))


def incident_page(data: Data, rid: str, record: dict) -> str:
    keys = {s["key"]: s for s in record["sources"]}

    def cite(source_keys):
        return " ".join(f'<a href="#src-{esc(k)}">[{esc(k)}]</a>' for k in source_keys if k in keys)

    when = record["when"]
    date = esc(when["start"]) + (f" to {esc(when['end'])}" if when["end"] != when["start"] else "")
    date += f" ({esc(when['precision'])} precision"
    date += f", {esc(when['time_of_day'])}" if when.get("time_of_day") else ""
    date += f", {esc(when['local_time'])} local time" if when.get("local_time") else ""
    date += ")"
    place = record["place"]
    site = data.sites.get(place.get("site", ""))
    coords = data.coordinates(record)
    facts = [
        ["status", esc(record["status"]) + (f": {esc(record.get('retraction_reason', ''))}" if record.get("retraction_reason") else "")
         + (f' into <a href="{incident_href(record["merged_into"], "")}">{esc(record["merged_into"])}</a>' if record.get("merged_into") else "")],
        ["date", date + (f"<br><small>{esc(when['note'])}</small>" if when.get("note") else "")],
        ["place", esc(place["name"]) + f", {esc(REGION_NAMES.get(place['country'], place['country']))}"
         + (f" ({esc(place['admin1'])})" if place.get("admin1") else "")
         + f"; {esc(place['geo_precision'])} precision"
         + (f"; site: {esc(site['name'])}" if site else "")
         + (f"; {coords['lat']:.4f}, {coords['lon']:.4f}" if coords else "")],
        ["type", esc(record["event_type"])],
        ["weapons", esc(", ".join(record["weapons"]))],
        ["outcome", esc(record["outcome"]) + (f"<br><small>{esc(record['outcome_note'])}</small>" if record.get("outcome_note") else "")],
    ]
    if "launch_point" in record:
        facts.append(["launch point", esc(record["launch_point"]["description"]) + " " + cite(record["launch_point"]["sources"])])
    if "responsibility" in record:
        r = record["responsibility"]
        facts.append(["responsibility", esc(r["status"]) + (f" (as of {esc(r['as_of'])})" if r.get("as_of") else "")
                      + (f"<br><small>{esc(r['note'])}</small>" if r.get("note") else "") + " " + cite(r["sources"])])
    inner = f'<h1 class="fw-title">{esc(record["title"])}</h1><p class="fw-id"><code>{esc(rid)}</code></p>'
    inner += f"<p>{esc(record['summary'])}</p>"
    inner += table(["", ""], [[f"<strong>{k}</strong>", v] for k, v in facts], "fw-facts")

    def figures_section(title, items, group_key, group_label):
        groups = defaultdict(list)
        for fig in items:
            groups[group_key(fig)].append(fig)
        out = f"<h2>{title}</h2>"
        rows = []
        for key, figs in groups.items():
            for n, fig in enumerate(figs):
                rows.append([esc(group_label(key)) if n == 0 else "", esc(figure_text(fig)),
                             esc(fig.get("wording", "")), cite(fig["sources"]),
                             ("preferred" + (f": {esc(fig['reason'])}" if fig.get("reason") else "")) if fig.get("preferred") else "",
                             esc(fig.get("note", ""))])
        return out + table(["", "figure", "wording", "sources", "", "note"], rows, "fw-figures")

    if record.get("casualties"):
        inner += harm_summary_section(record, cite)
        inner += figures_section("Every source's figure", record["casualties"], lambda f: (f["party"], f["harm"]),
                                 lambda k: f"{k[0]}, {k[1]}")
        inner += "<p><small>Parties without a row have no reported figure: unknown, not zero.</small></p>"
    if record.get("munitions"):
        inner += figures_section("Munitions", record["munitions"], lambda f: f["weapon"], lambda k: k)
    inner += "<h2>Actors</h2>" + table(
        ["actor", "role", "by / channel", "note", "sources"],
        [[f'<a href="../actors.html#{esc(a["actor"])}">{esc(data.actor_name(a["actor"]))}</a>', esc(a["role"]),
          esc(" ".join(x for x in (a.get("by"), a.get("channel"), a.get("date")) if x)), esc(a.get("note", "")),
          cite(a["sources"])] for a in record["actors"]])
    related = [[f'<a href="{incident_href(l["incident"], "")}">{esc(data.incidents.get(l["incident"], {}).get("title", l["incident"]))}</a>',
                esc(l["relation"]), esc(l.get("note", "")), cite(l["sources"])] for l in record.get("links", [])]
    related += [[f'<a href="{incident_href(other, "")}">{esc(data.incidents[other]["title"])}</a>',
                 f"linked from it ({esc(l['relation'])})", esc(l.get("note", "")), ""] for other, l in data.incoming.get(rid, [])]
    if related:
        inner += "<h2>Related incidents</h2>" + table(["incident", "relation", "note", "sources"], related)
    if record.get("notes"):
        inner += f"<h2>Notes</h2><p>{esc(record['notes'])}</p>"
    items = ""
    for s in record["sources"]:
        url = safe_url(s.get("url"))
        title = f'<a href="{esc(url)}" rel="nofollow noopener noreferrer">{esc(s["title"])}</a>' if url else esc(s["title"])
        date = f"published {esc(s['published'])}" if s.get("published") else f"accessed {esc(s.get('accessed', ''))}"
        if s.get("published_inferred"):
            date += " (inferred from the text)"
        by = esc(s["publisher"]) + (f", from {esc(s['originator'])}" if s.get("originator") else "")
        items += (f'<li id="src-{esc(s["key"])}"><code>{esc(s["key"])}</code>: {title}. {by}, {date}.'
                  f"<br><small>{esc(s['excerpt'])}</small></li>")
    inner += f"<h2>Sources</h2><ol>{items}</ol>"
    return f"---\ntitle: {rid}\n---\n\n" + html_block(inner)


# --- everything ------------------------------------------------------------------------------

def load_records(root: Path) -> tuple[list[dict], list[str]]:
    """The valid records, and a problem line per invalid file (the build warns about them)."""
    report = validate(None, root, keep_records=True)
    bad = {i.file for i in report.errors}
    records = [e.data for e in report.entries if e.data is not None and e.file not in bad]
    problems = [f"{i.file}:{i.line}: {i.code}: {i.message}" for i in report.errors]
    return records, problems


def generate_pages(root: Path) -> tuple[dict[str, str], list[str]]:
    """(pages: docs path -> Markdown, problems)."""
    schema_set = load_schema_set(root / "schema")
    records, problems = load_records(root)
    data = Data(records)
    pages = {
        "reference/codebook.md": codebook_page(schema_set),
        "reference/issue-codes.md": issue_codes_page(root),
        "reference/release-tables.md": release_tables_page(schema_set),
        "changelog.md": (root / "CHANGELOG.md").read_text(encoding="utf-8"),
        "contributing.md": (root / "CONTRIBUTING.md").read_text(encoding="utf-8"),
        "data/index.md": overview_page(data),
        "data/map.md": map_page(data),
        "data/force-posture.md": posture_page(data),
        "data/actors.md": actors_page(data),
        "data/incidents/index.md": incidents_index_page(data),
    }
    for rid, record in data.incidents.items():
        if SAFE_ID.match(rid):
            pages[f"data/incidents/{rid}.md"] = incident_page(data, rid, record)
    return pages, problems
