"""`forcewatch new`: a record template with the next free id, generated from the schema.

Every required field is written out, blank, under a comment that says what goes there
(the field's description, an example, the vocabulary terms). The template fails validation
only on its blanks (`blank-field`), so the contributor fills in exactly what the errors list.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
import unicodedata
from pathlib import Path

from .checks.dataset import FOLDERS
from .schemas import SchemaSet

KINDS = {"incident": "incident", "actor": "actor", "force-posture": "force_posture", "site": "site", "tally": "tally"}
PREFILLED = ("id", "record_type", "schema_version", "status")


def slugify(text: str) -> str:
    text = re.sub("['\u2019\u02bc\u02bf\u2018`]", "", text)  # Kata'ib -> kataib, not kata-ib
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "new"


def existing_ids(root: Path) -> set[str]:
    datasets = root / "datasets"
    return {p.stem for p in datasets.rglob("*.y*ml")} if datasets.exists() else set()


def next_free(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def propose_id(record_type: str, *, date: str | None, slug: str | None, force: str | None,
               country: str | None, taken: set[str]) -> str:
    words = slugify(slug) if slug else None
    if record_type == "incident":
        base = f"inc-{date}-{words or 'new-incident'}"
    elif record_type == "actor":
        base = words or "new-actor"
    elif record_type == "force_posture":
        base = f"fp-{slugify(force) if force else 'force'}-{(country or 'xx').lower()}-{date}" + (f"-{words}" if words else "")
    elif record_type == "tally":
        base = f"tally-{words or 'new-count'}" + (f"-{date}" if date else "")
    else:
        base = f"site-{words or 'new-site'}"
    return next_free(base, taken)


def record_path(root: Path, record_type: str, record_id: str) -> Path:
    folder = root / "datasets" / FOLDERS[record_type]
    if record_type == "incident":
        folder = folder / record_id[4:8]
    return folder / f"{record_id}.yaml"


def _comment(schema: dict, indent: str) -> list[str]:
    parts = []
    if schema.get("description"):
        parts.append(schema["description"])
    terms = schema.get("enum") or (schema.get("items", {}) or {}).get("enum")
    if terms:
        parts.append("One of: " + ", ".join(terms) + ".")
    elif schema.get("examples") and schema.get("type") not in ("object", "array"):
        example = json.dumps(schema["examples"][0], ensure_ascii=False)
        if len(example) > 100:  # shortened at a word, never inside one
            example = example[:100].rsplit(" ", 1)[0] + " ..."
        parts.append("Example: " + example)
    lines = []
    for part in parts:  # between words only: a term or an example is never cut at its hyphen
        lines += textwrap.wrap(part, width=92 - len(indent), initial_indent=f"{indent}# ",
                               subsequent_indent=f"{indent}# ", break_long_words=False, break_on_hyphens=False)
    return lines


def _required_fields(schema_set: SchemaSet, schema: dict, base: str) -> list[tuple[str, dict, str]]:
    schema, base = schema_set._deref(schema, base)
    props = schema_set.property_items(schema, base)
    required = list(schema.get("required", []))
    for sub in schema.get("allOf", []):
        required += schema_set._deref(sub, base)[0].get("required", [])
    choices = schema.get("anyOf", [])
    if choices and all(set(c) == {"required"} for c in choices):
        required += choices[0]["required"]  # e.g. a source's `published` (or `accessed`)
    out = []
    for name in props:  # schema order, required only
        if name in required:
            sub, sub_base = schema_set._deref(*props[name])
            out.append((name, sub, sub_base))
    return out


def _render(schema_set: SchemaSet, fields, indent: str, first_prefix: str | None = None) -> list[str]:
    lines = []
    for n, (name, schema, base) in enumerate(fields):
        lead = first_prefix if (first_prefix is not None and n == 0) else indent
        lines += _comment(schema, indent)
        kind = schema.get("type")
        if kind == "object":
            lines.append(f"{lead}{name}:")
            lines += _render(schema_set, _required_fields(schema_set, schema, base), indent + "  ")
        elif kind == "array" and isinstance(schema.get("items"), dict):
            item, item_base = schema_set._deref(schema["items"], base)
            if item.get("type") == "object" or "allOf" in item:
                lines.append(f"{lead}{name}:")
                lines += _render(schema_set, _required_fields(schema_set, item, item_base),
                                 indent + "    ", first_prefix=indent + "  - ")
            else:
                lines.append(f"{lead}{name}:")
        else:
            lines.append(f"{lead}{name}:")
    return lines


def _terms(schema_set: SchemaSet, record_type: str, *path: str) -> str:
    node, base = schema_set._deref(schema_set.record_schema(record_type), f"urn:forcewatch:schema:{record_type}")
    for name in path:
        props = schema_set.property_items(node, base)
        if name not in props:
            items = node.get("items")
            if isinstance(items, dict):
                node, base = schema_set._deref(items, base)
                props = schema_set.property_items(node, base)
        node, base = schema_set._deref(*props[name])
        if node.get("type") == "array" and isinstance(node.get("items"), dict):
            node, base = schema_set._deref(node["items"], base)
    return ", ".join(node.get("enum") or [])


def _wrapped(indent: str, text: str) -> list[str]:
    return textwrap.wrap(text, width=92 - len(indent), initial_indent=f"{indent}# ", subsequent_indent=f"{indent}# ",
                         break_long_words=False, break_on_hyphens=False)


def _skeletons(schema_set: SchemaSet) -> list[str]:
    """Commented examples of the optional parts contributors find hardest: counts of munitions
    and casualties, responsibility, more actors. Uncommenting one and filling it is enough."""
    qualifiers = _terms(schema_set, "incident", "casualties", "qualifier")
    lines = ["", *_wrapped("", "Optional parts: uncomment the ones your sources report and fill them in. Every "
                               "figure names the keys of the sources that state it."),
             "# munitions:",
             "#   - weapon: rocket           # one of this record's weapons",
             "#     low: 2                   # or best: / high:, as the source states it",
             "#     qualifier: at-least",
             *_wrapped("#     ", f"qualifier, one of: {qualifiers}. 'several' and 'dozens' take no number."),
             "#     wording: at least two rockets",
             "#     sources: [key-of-a-source]",
             "# casualties:",
             "#   - party: us-military",
             *_wrapped("#     ", "party, one of: " + _terms(schema_set, "incident", "casualties", "party") + "."),
             "#     harm: injured            # " + " or ".join(_terms(schema_set, "incident", "casualties", "harm").split(", ")),
             "#     best: 0                  # 0 only when a source says so ('no casualties'); unknown is not zero",
             "#     qualifier: exact",
             "#     wording: no injuries",
             "#     sources: [key-of-a-source]",
             "# responsibility:",
             "#   status: unclaimed",
             *_wrapped("#   ", "status, one of: " + _terms(schema_set, "incident", "responsibility", "status") + "."),
             '#   as_of: "2024-08-05"',
             "#   sources: [key-of-a-source]",
             "# More actors, under `actors:` (ids are the file names in datasets/actors):",
             "#   - actor: islamic-resistance-in-iraq",
             "#     role: claimed            # channel: where the claim was made, e.g. Statement on Telegram",
             "#     sources: [key-of-a-source]",
             "#   - actor: iran-aligned-iraqi-militias",
             "#     role: attributed",
             "#     by: U.S. defense officials   # who made the attribution",
             "#     sources: [key-of-a-source]",
             *_wrapped("", "actor roles, one of: " + _terms(schema_set, "incident", "actors", "role") + ".")]
    return lines


def _prefill(lines: list[str], record_type: str, date: str | None) -> list[str]:
    """The values `new` already knows: the date given with --date; and, for an incident, a
    commented `place.site` line."""
    out = []
    for line in lines:
        if date and record_type == "incident" and line in ("  start:", "  end:"):
            line = f'{line} "{date}"  # from --date'
        elif date and record_type in ("force_posture", "tally") and line == "  date:":
            line = f'{line} "{date}"  # from --date'
        out.append(line)
        if record_type == "incident" and line == "place:":
            out += _wrapped("  ", "site (optional): the known site, a datasets/sites record, e.g. "
                                  "site-ain-al-asad-air-base; its record holds the coordinates.")
            out.append("  # site:")
    return out


def template_text(schema_set: SchemaSet, record_type: str, record_id: str,
                  date: str | None = None) -> tuple[str, list[str]]:
    """The template's YAML text and the dotted names of its blank fields; `date` (the one
    given with --date) fills an incident's `when.start` and `when.end`."""
    base = f"urn:forcewatch:schema:{record_type}"
    schema = schema_set.record_schema(record_type)
    fields = [f for f in _required_fields(schema_set, schema, base) if f[0] not in PREFILLED]
    optional = [n for n in schema.get("properties", {}) if n not in schema.get("required", [])
                and n not in ("retraction_reason", "merged_into")]
    lines = [
        f"# A new {record_type.replace('_', ' ')} record. Fill in every blank field (each has a comment",
        "# saying what goes there), then run `forcewatch validate` on this file. Optional fields:",
        *textwrap.wrap(", ".join(optional) + ". The codebook (docs) describes them all.",
                       width=90, initial_indent="# ", subsequent_indent="# ", break_long_words=False,
                       break_on_hyphens=False),
        f"id: {record_id}",
        f"record_type: {record_type}",
        f'schema_version: "{schema_set.version}"',
        "status: active",
        *_prefill(_render(schema_set, fields, ""), record_type, date),
        *(_skeletons(schema_set) if record_type == "incident" else []),
    ]
    text = "\n".join(lines) + "\n"
    blanks = _blank_paths(text)
    return text, blanks


def _blank_paths(text: str) -> list[str]:
    from .yamlsafe import load_text
    blanks = []

    def walk(value, path):
        if value is None:
            blanks.append(".".join(str(p) for p in path))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, path + [k])
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, path + [i])
    walk(load_text(text).data, [])
    return blanks


def new_record(root: Path, schema_set: SchemaSet, kind: str, *, date: str | None = None,
               slug: str | None = None, force: str | None = None, country: str | None = None) -> tuple[Path, list[str]]:
    record_type = KINDS[kind]
    given = date
    date = date or dt.date.today().isoformat()
    dt.date.fromisoformat(date)  # ValueError on a bad date
    record_id = propose_id(record_type, date=date, slug=slug, force=force, country=country,
                           taken=existing_ids(root))
    path = record_path(root, record_type, record_id)
    text, blanks = template_text(schema_set, record_type, record_id, date=given)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # never overwrite
        handle.write(text)
    return path, blanks
