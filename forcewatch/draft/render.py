"""The draft as YAML: every filled value with a comment quoting the report's words; every
required field the report does not fill written blank, under a comment saying what goes there
(which `forcewatch validate` reports as `blank-field`)."""

from __future__ import annotations

import json
import re
import textwrap

from .extract import Extraction, Found

YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}
ROLE_ORDER = ["perpetrator", "target", "claimed", "attributed", "suspected", "denied", "affected"]


def scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}|\d+(?:\.\d+)?", text):
        return f'"{text}"'
    if (re.fullmatch(r"[A-Za-z][\w .,'()/&-]*", text) and text.lower() not in YAML_WORDS
            and not text.endswith((" ", ":")) and ": " not in text and " #" not in text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _said(quote: str | None) -> str:
    if not quote:
        return ""
    quote = " ".join(quote.split()).replace('"', "'")
    return f'"{quote}"'


class Writer:
    def __init__(self):
        self.lines: list[str] = []

    def comment(self, indent: str, text: str) -> None:
        for line in textwrap.wrap(text, width=92 - len(indent), break_long_words=False, break_on_hyphens=False):
            self.lines.append(f"{indent}# {line}")

    def value(self, indent: str, key: str, found: Found | None, blank_hint: str = "", lead: str | None = None) -> None:
        lead = lead if lead is not None else indent
        if found is None or found.value is None:
            if blank_hint:
                self.comment(indent, f"BLANK: {blank_hint}")
            self.lines.append(f"{lead}{key}:")
            return
        said = _said(found.quote)
        note = (f" ({found.note})" if said else found.note) if found.note else ""
        line = f"{lead}{key}: {scalar(found.value)}"
        tail = f"  # {said}{note}" if said or note else ""
        if len(line) + len(tail) > 110 and tail:
            self.comment(indent, f"from {said}{note}" if said else note.strip(" ()"))
            tail = ""
        self.lines.append(line + tail)

    def plain(self, indent: str, key: str, value, comment: str | None = None, lead: str | None = None) -> None:
        lead = lead if lead is not None else indent
        self.lines.append(f"{lead}{key}: {scalar(value)}" + (f"  # {comment}" if comment else ""))

    def flow(self, indent: str, key: str, items: list[Found], blank_hint: str = "") -> None:
        if not items:
            self.value(indent, key, None, blank_hint)
            return
        saids = "; ".join(filter(None, (_said(f.quote) for f in items)))
        line = f"{indent}{key}: [{', '.join(scalar(f.value) for f in items)}]"
        if saids and len(line) + len(saids) + 4 > 110:
            self.comment(indent, f"from {saids}")
            self.lines.append(line)
        else:
            self.lines.append(line + (f"  # {saids}" if saids else ""))


def _estimate(w: Writer, indent: str, item: dict, words: str) -> None:
    for key in ("low", "best", "high"):
        if key in item:
            w.plain(indent, key, item[key])
    w.plain(indent, "qualifier", item["qualifier"])
    if item.get("wording"):
        w.plain(indent, "wording", item["wording"][:200])


def render_incident(ex: Extraction, *, record_id: str, version: str, key: str, options: dict,
                    title: Found | None, missing: list[str], same_event: list[str], terms: dict) -> str:
    w = Writer()
    w.comment("", "A draft made by `forcewatch draft` from the text of one report. Each filled value quotes, in "
                  "its comment, the report's words it came from: check it against the report. BLANK fields are what "
                  "the report does not say: fill them from what you read, or delete an optional one. Then run "
                  "`forcewatch validate` on this file.")
    for item in missing:
        w.comment("", f"Not found in the report: {item}.")
    if same_event:
        w.comment("", "The dataset may already hold this event: " + ", ".join(same_event)
                  + ". If so, add this report to that record as a source instead of opening a new one.")
    w.plain("", "id", record_id)
    w.plain("", "record_type", "incident")
    w.lines.append(f'schema_version: "{version}"')
    w.plain("", "status", "active")
    w.value("", "title", title, "a short headline in your own words: what, where, when.")
    w.value("", "summary", None, "what happened, in a few sentences of your own words, keeping the report's hedges.")
    w.lines.append("when:")
    w.value("  ", "start", ex.when.get("start"), "the first day the event may have happened on (YYYY-MM-DD, quoted).")
    w.value("  ", "end", ex.when.get("end"), "the last day it may have happened on; equal to start for a known day.")
    w.value("  ", "precision", ex.when.get("precision"), "one of: day, few-days, week, month, year.")
    for k in ("time_of_day", "local_time"):
        if ex.when.get(k):
            w.value("  ", k, ex.when[k])
    if ex.when.get("note"):
        w.plain("  ", "note", ex.when["note"].value)
    w.lines.append("place:")
    w.value("  ", "name", ex.place.get("name"), "the place as reported, in English.")
    if ex.place.get("site"):
        w.value("  ", "site", ex.place["site"])
    w.value("  ", "country", ex.place.get("country"), "ISO 3166-1 alpha-2 code, e.g. IQ, SY, JO.")
    if ex.place.get("admin1"):
        w.value("  ", "admin1", ex.place["admin1"])
    w.value("  ", "geo_precision", ex.place.get("geo_precision"),
            "one of: exact-site, near-named-place, admin2, admin1, country.")
    w.value("", "event_type", ex.event_type, "one of: " + ", ".join(terms.get("event_type", [])) + ".")
    w.flow("", "weapons", ex.weapons, "a list, e.g. [rocket]; terms: " + ", ".join(terms.get("weapons", [])) + ".")
    if ex.munitions:
        w.lines.append("munitions:")
        for item in ex.munitions:
            w.plain("    ", "weapon", item["weapon"], _said(item["quote"]), lead="  - ")
            _estimate(w, "    ", item, item["quote"])
            w.lines.append(f"    sources: [{key}]")
    w.value("", "outcome", ex.outcome, "one of: " + ", ".join(terms.get("outcome", [])) + " (unknown when not reported).")
    w.lines.append("actors:")
    actors = sorted(ex.actors, key=lambda a: ROLE_ORDER.index(a["role"].value))
    if not actors:
        w.comment("  ", "BLANK: who took part: the force attacked (role target), who claimed it (claimed), who was "
                        "named responsible (attributed, with `by`). Actor ids are the file names in datasets/actors.")
        actors = [{"actor": None, "role": None}]
    for item in actors:
        if item.get("candidates"):
            w.comment("    ", f"BLANK: {_said(item['actor_words'])} may be any of: {', '.join(item['candidates'])}; "
                               "choose the one the report means.")
            w.lines.append("  - actor:")
        elif item["actor"] is None:
            w.lines.append("  - actor:")
        else:
            w.value("    ", "actor", item["actor"], lead="  - ")
        w.value("    ", "role", item["role"], "one of: " + ", ".join(ROLE_ORDER) + ".")
        if item.get("by"):
            w.value("    ", "by", item["by"])
        if item.get("channel"):
            w.value("    ", "channel", item["channel"])
        w.lines.append(f"    sources: [{key}]")
    if ex.responsibility:
        w.lines.append("responsibility:")
        w.value("  ", "status", ex.responsibility)
        if options.get("published"):
            w.plain("  ", "as_of", options["published"], "the report's date")
        w.lines.append(f"  sources: [{key}]")
    if ex.casualties:
        w.lines.append("casualties:")
        for item in ex.casualties:
            w.plain("    ", "party", item["party"], _said(item["quote"]), lead="  - ")
            w.plain("    ", "harm", item["harm"])
            _estimate(w, "    ", item, item["quote"])
            w.lines.append(f"    sources: [{key}]")
    if ex.links:
        w.lines.append("links:")
        for item in ex.links:
            w.plain("    ", "incident", item["incident"], _said(item["quote"]), lead="  - ")
            w.plain("    ", "relation", item["relation"], "check: retaliation-for, cited-as-reason, same-wave, follows or context")
            w.lines.append(f"    sources: [{key}]")
    w.lines.append("sources:")
    _source(w, ex, key, options, lead="  - ")
    return "\n".join(w.lines) + "\n"


def _source(w: Writer, ex: Extraction, key: str, options: dict, lead: str) -> None:
    ind = "    "
    w.plain(ind, "key", key, "a key you may change; the figures above cite it", lead=lead)
    for field, hint in (("publisher", "who published the page (give --publisher)."),
                        ("title", "the page's title as shown on it (give --title)."),
                        ("url", "the page's address, http(s):// (give --url)."),
                        ("published", "the page's date, YYYY-MM-DD (give --published).")):
        value = options.get(field)
        w.value(ind, field, Found(value, None, f"--{field}") if value else None, hint)
    if ex.language:
        w.value(ind, "language", ex.language)
    if ex.relays:
        w.flow(ind, "relays", ex.relays)
    if ex.excerpt and len(ex.excerpt) >= 10:
        w.value(ind, "excerpt", Found(ex.excerpt, None, "the report's sentence of the event, at most 25 words"))
    else:
        w.value(ind, "excerpt", None, "what the source says, in your words or a quote of at most 25 words.")


def render_posture(item: dict, *, record_id: str, version: str, key: str, options: dict, ex: Extraction) -> str:
    w = Writer()
    w.comment("", "A force-posture figure the report states, drafted by `forcewatch draft`. Check it, fill the "
                  "blanks, then run `forcewatch validate` on this file.")
    w.plain("", "id", record_id)
    w.plain("", "record_type", "force_posture")
    w.lines.append(f'schema_version: "{version}"')
    w.plain("", "status", "active")
    w.value("", "force", Found(item["force"], item["wording"]) if item.get("force") else None,
            "the force's actor id, e.g. us-armed-forces.")
    w.value("", "country", Found(item["country"], item["wording"]) if item.get("country") else None,
            "ISO 3166-1 alpha-2 code.")
    if item.get("site"):
        w.value("", "site", Found(item["site"], item["wording"]))
    w.lines.append("personnel:")
    est = item["estimate"]
    for k in ("low", "best", "high"):
        if k in est:
            w.plain("  ", k, est[k], _said(item["quote"]))
    w.plain("  ", "qualifier", est["qualifier"])
    w.plain("  ", "wording", item["wording"][:200])
    w.lines.append("as_of:")
    published = options.get("published")
    w.value("  ", "date", Found(published, None, "the report's date") if published else None,
            "the date the figure was reported as current (usually the report's date).")
    w.value("  ", "precision", Found("day", None, "the report's date") if published else None, "day when the date is the report's.")
    w.lines.append("sources:")
    excerpt_value = item.get("excerpt")
    saved = ex.excerpt, ex.relays
    ex.excerpt, ex.relays = excerpt_value, []  # the posture sentence, not the event's; whose account, the coder says
    _source(w, ex, key, options, lead="  - ")
    ex.excerpt, ex.relays = saved
    return "\n".join(w.lines) + "\n"
