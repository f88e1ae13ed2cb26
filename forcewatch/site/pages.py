"""The docs site's generated pages, as a pure function of the repository: schema, issue-code
catalogue, release table specs, changelog, contributor guide and the records.

Pages that show record text are written as raw HTML blocks (which Markdown leaves alone), and
every record value is escaped: contributor text never becomes markup, links or scripts.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from .. import codes
from ..schemas import RECORD_TYPES, SchemaSet, load_schema_set
from ..validate import load_config, validate
from . import vendor
from .charts import caveat
from .data import PERPETRATOR_ROLES, Data, figure_text, incident_href
from .mappage import OUTLINES_ASSET, map_page, outlines_script
from .markup import SAFE_ID, bar_list, code_spans, esc, html_block, link_source, safe_url, table, without_toc
from .metadata import dataset, home_summary, jsonld_script
from .posture import posture_page
from .placespage import places_page
from .talliespage import tallies_page
from .timeline import timeline_page

__all__ = ["generate_pages", "link_source", "safe_url"]


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
        # "required" sits under the field's name: one column less, so the table fits a laptop.
        rows.append([f"<code>{esc(path)}</code>" + ('<br><span class="fw-required">required</span>' if name in required else ""),
                     esc(kind),
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
        inner += table(["field", "type", "description", "constraints", "example"], rows, "fw-codebook")
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

def overview_page(data: Data) -> str:
    active = data.active_incidents()
    from ..stats import coverage, ranked
    cov = coverage(list(data.incidents.values()))
    months = list(cov["by_month"])
    types = [t for t in data.event_types if any(r["event_type"] == t for r in active.values())]
    actor_counts = Counter()
    target_counts = Counter()
    for record in active.values():
        named = {a["actor"] for a in record["actors"] if a["role"] in PERPETRATOR_ROLES}
        actor_counts.update(named)
        target_counts.update({a["actor"] for a in record["actors"] if a["role"] == "target"})
    weapons = Counter(w for r in active.values() for w in r["weapons"])
    outcomes = Counter(r["outcome"] for r in active.values())
    countries = Counter(r["place"]["country"] for r in active.values())
    verification = Counter(data.verification(r) for r in active.values())
    inner = (f"<p>{len(active)} active incidents, {len(data.actors)} actors, {len(data.postures)} force-posture "
             f"figures. Each count is of incidents (one incident can name several actors and weapons). "
             f"Dates are start dates; an incident known only to the month counts in that month.</p>")
    inner += caveat(data.coverage, "../")
    month_rows = [[esc(m), *(str(cov["by_month_and_type"][m].get(t, 0)) for t in types), str(cov["by_month"][m])]
                  for m in months]
    inner += ('<h2 id="by-month">Incidents by month and type</h2><p>Week by week, with the phases of the campaign and '
              'the official tallies: <a href="timeline.html">the timeline</a>.</p>'
              + table(["month", *map(esc, types), "total"], month_rows, "fw-months"))
    inner += ("<h2>Actors named as responsible</h2><p>Incidents per actor named as perpetrator, claimant, "
              "or attributed or suspected by a source.</p>"
              + bar_list([(data.actor_name(a), n) for a, n in ranked(actor_counts)], "actor named as responsible"))
    inner += "<h2>Targets</h2>" + bar_list([(data.actor_name(a), n) for a, n in ranked(target_counts)], "target")
    inner += "<h2>Weapons</h2>" + bar_list(ranked(weapons), "weapon")
    inner += _harm_overview(active)
    inner += "<h2>Outcomes</h2>" + bar_list(ranked(outcomes), "outcome")
    inner += ('<h2>How sure</h2><p>Verification levels, derived from each record\'s sources (see the '
              '<a href="../methodology.html#how-sure-a-record-is">methodology</a>).</p>'
              + bar_list(ranked(verification), "verification level"))
    inner += "<h2>Countries</h2>" + bar_list([(data.country_name(c), n) for c, n in ranked(countries)], "country")
    if cov["incidents"]:
        two = cov["two_or_more_sources"]
        unknown = dict(cov["unknown"])
        if "coordinates" in unknown:  # as the map counts them: `coordinates.located`
            unknown["coordinates"] = sum(1 for r in active.values() if data.located(r) is None)
        inner += (f"<h2>Coverage</h2><p>{two['count']} of {cov['incidents']} incidents ({two['share']:.0%}) cite two "
                  "or more sources. What the records most often do not know (unknown is not zero):</p>")
        inner += table(["field", "incidents where it is unknown"],
                       [[esc(k), f"{v} of {cov['incidents']}"] for k, v in unknown.items()])
    links = ('<p>See also: <a href="timeline.html">the timeline</a>, <a href="map.html">the map</a>, '
             '<a href="force-posture.html">force posture</a>, <a href="incidents/index.html">every incident</a>, '
             '<a href="actors.html">every actor</a>.</p>')
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
        when = record["when"]
        rows.append([esc(when["start"]) + (f" to {esc(when['end'])}" if when["end"] != when["start"] else ""),
                     f'<a href="{incident_href(rid, "")}">{esc(record["title"])}</a>{status}',
                     esc(data.country_name(record["place"]["country"])), esc(record["event_type"]),
                     esc(", ".join(record["weapons"])), esc(data.harm_text(record)),
                     esc(data.verification(record)), str(len(record["sources"]))])
    inner = caveat(data.coverage, "../../")
    inner += table(["date", "incident", "country", "type", "weapons", "killed and injured", "verification", "sources"],
                   rows, "fw-incidents")
    return "# Incidents\n\n" + html_block(inner)


FIGURE_COLUMNS = '<colgroup><col class="fw-c-party"><col class="fw-c-harm"><col class="fw-c-figure"><col class="fw-c-words"><col class="fw-c-sources"></colgroup>'


def harm_summary_section(record: dict, cite) -> str:
    """Killed and injured: the harm summary (`harm.summary_rows`, the one figure to count per
    group) first, then every source's figure below it, in the same columns."""
    from ..harm import RULES, Figure, describe, summary_rows
    summary = summary_rows(record.get("casualties"))
    head = "".join(f'<th scope="col">{h}</th>' for h in ("party", "harm", "figure", "how it is counted", "sources"))
    body = '<tbody><tr class="fw-subhead"><th colspan="5" scope="rowgroup">The figure to count</th></tr>'
    for row in summary:
        figure = Figure(row["low"], row["best"], row["high"], row["qualifier"], row["rule"], tuple(row["sources"]))
        body += (f'<tr class="fw-counted"><td><code>{esc(row["party"])}</code></td><td>{esc(row["harm"])}</td>'
                 f"<td><strong>{esc(describe(figure))}</strong></td>"
                 f'<td><span title="{esc(RULES.get(row["rule"], ""))}">{esc(row["rule"].replace("-", " "))}</span></td>'
                 f"<td>{cite(row['sources'])}</td></tr>")
    body += '</tbody><tbody><tr class="fw-subhead"><th colspan="5" scope="rowgroup">What each source says</th></tr>'
    order = {(r["party"], r["harm"]): i for i, r in enumerate(summary)}
    rows = sorted(enumerate(record["casualties"]),
                  key=lambda ir: (order.get((ir[1]["party"], ir[1]["harm"]), len(order)), ir[1]["party"], ir[0]))
    for _, fig in rows:
        words = [esc(fig["wording"])] if fig.get("wording") else []
        if fig.get("preferred") is True:
            words.append("<em>preferred</em>" + (f": {esc(fig['reason'])}" if fig.get("reason") else ""))
        elif fig.get("preferred") is False:
            words.append("<em>superseded</em>" + (f": {esc(fig['reason'])}" if fig.get("reason") else ""))
        if fig.get("note"):
            words.append(f"<small>{esc(fig['note'])}</small>")
        body += (f'<tr><td><code>{esc(fig["party"])}</code></td><td>{esc(fig["harm"])}</td>'
                 f'<td>{esc(figure_text(fig))}</td><td>{"<br>".join(words)}</td><td>{cite(fig["sources"])}</td></tr>')
    body += "</tbody>"
    return ('<h2 id="killed-and-injured">Killed and injured</h2><p>First the figure to count for each group (the harm '
            "summary: the preferred or only figure, or the sum of the parts, never a whole and its parts together), "
            "then every source's figure. A group with no row is unknown, not zero.</p>"
            f'<div class="fw-scroll" tabindex="0"><table class="fw-table fw-figures">{FIGURE_COLUMNS}'
            f"<thead><tr>{head}</tr></thead>{body}</table></div>")


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
    found = data.located(record)
    level = data.verification(record)
    facts = [
        ["status", esc(record["status"]) + (f": {esc(record.get('retraction_reason', ''))}" if record.get("retraction_reason") else "")
         + (f' into <a href="{incident_href(record["merged_into"], "")}">{esc(record["merged_into"])}</a>' if record.get("merged_into") else "")],
        ["date", date + (f"<br><small>{esc(when['note'])}</small>" if when.get("note") else "")],
        ["place", esc(place["name"]) + f", {esc(data.country_name(place['country']))}"
         + (f" ({esc(place['admin1'])})" if place.get("admin1") else "")
         + f"; {esc(place['geo_precision'])} precision"
         + (f"; site: {esc(site['name'])}" if site else "")
         + (f"; {found[0]:.4f}, {found[1]:.4f} (from {'the site' if found[2] == 'site' else 'the record'})" if found else "; no coordinates")],
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
    facts.append(["verification", f'<a href="../../methodology.html#how-sure-a-record-is">{esc(level)}</a>'])
    facts_rows = "".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in facts)
    inner += f'<div class="fw-scroll" tabindex="0"><table class="fw-table fw-facts"><tbody>{facts_rows}</tbody></table></div>'

    if record.get("casualties"):
        inner += harm_summary_section(record, cite)
    else:
        inner += '<h2 id="killed-and-injured">Killed and injured</h2><p>No source read gives a figure: unknown, not zero.</p>'
    if record.get("munitions"):
        rows = []
        for fig in record["munitions"]:
            words = [esc(fig["wording"])] if fig.get("wording") else []
            if fig.get("preferred"):
                words.append("<em>preferred</em>" + (f": {esc(fig['reason'])}" if fig.get("reason") else ""))
            if fig.get("note"):
                words.append(f"<small>{esc(fig['note'])}</small>")
            rows.append([f"<code>{esc(fig['weapon'])}</code>", esc(figure_text(fig)), "<br>".join(words),
                         cite(fig["sources"])])
        inner += '<h2 id="munitions">Munitions</h2>' + table(["weapon", "figure", "the source's words", "sources"],
                                                              rows, "fw-munitions")
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


SUMMARY_MARK = "<!-- forcewatch: summary -->"


def home_page(root: Path, data: Data, version: str, site_url: str | None, release_url: str | None) -> str:
    """docs/index.md with what the dataset holds now (where it has the mark) and the schema.org
    Dataset for search engines."""
    text = (root / "docs" / "index.md").read_text(encoding="utf-8")
    summary = home_summary(data, caveat(data.coverage, ""))
    text = text.replace(SUMMARY_MARK, summary) if SUMMARY_MARK in text else text + "\n" + summary + "\n"
    return text + "\n" + jsonld_script(dataset(root, data, version, site_url, release_url)) + "\n"


def event_types(schema_set: SchemaSet) -> tuple[str, ...]:
    """The event types in the order of the schema's vocabulary (colours follow it)."""
    prop = schema_set.record_schema("incident")["properties"]["event_type"]
    prop, _ = schema_set._deref(prop, "urn:forcewatch:schema:incident")
    return tuple(prop.get("enum") or ())


def generate_pages(root: Path, site_url: str | None = None,
                   release_url: str | None = None) -> tuple[dict[str, str | bytes], list[str]]:
    """(files: docs path -> Markdown text or an asset's bytes, problems). A plain function of
    the repository (and of the JavaScript libraries npm installed, see `vendor`): the MkDocs
    hook only adds what it returns to the site."""
    schema_set = load_schema_set(root / "schema")
    records, problems = load_records(root)
    types = event_types(schema_set)
    data = Data(records, types) if types else Data(records)
    modules = vendor.node_modules(root)
    map_missing = vendor.missing(vendor.MAP_LIBRARIES, modules)
    chart_missing = vendor.missing(vendor.CHART_LIBRARIES, modules)
    pages: dict[str, str | bytes] = {
        "index.md": home_page(root, data, schema_set.version, site_url, release_url),
        "reference/codebook.md": codebook_page(schema_set),
        "reference/issue-codes.md": issue_codes_page(root),
        "reference/release-tables.md": release_tables_page(schema_set),
        "changelog.md": (root / "CHANGELOG.md").read_text(encoding="utf-8"),
        "contributing.md": (root / "CONTRIBUTING.md").read_text(encoding="utf-8"),
        "tallies.md": tallies_page(data, chart_missing),
        "data/index.md": overview_page(data),
        "data/timeline.md": timeline_page(data, chart_missing),
        "data/map.md": map_page(data, map_missing),
        "data/force-posture.md": posture_page(data, chart_missing),
        "data/actors.md": actors_page(data),
        "data/places.md": places_page(data),
        "data/incidents/index.md": incidents_index_page(data),
    }
    for rid, record in data.incidents.items():
        if SAFE_ID.match(rid):
            pages[f"data/incidents/{rid}.md"] = incident_page(data, rid, record)
    for path in [p for p in pages if p.startswith(("data/", "reference/")) or p == "tallies.md"]:
        pages[path] = without_toc(pages[path])
    pages[OUTLINES_ASSET] = outlines_script()
    pages.update(vendor.assets(vendor.ALL_LIBRARIES, modules))
    return pages, problems
