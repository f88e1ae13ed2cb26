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
        parts.append("Example: " + json.dumps(schema["examples"][0], ensure_ascii=False)[:100])
    lines = []
    for part in parts:
        lines += textwrap.wrap(part, width=92 - len(indent), initial_indent=f"{indent}# ",
                               subsequent_indent=f"{indent}# ")
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


def template_text(schema_set: SchemaSet, record_type: str, record_id: str) -> tuple[str, list[str]]:
    """The template's YAML text and the dotted names of its blank fields."""
    base = f"urn:forcewatch:schema:{record_type}"
    schema = schema_set.record_schema(record_type)
    fields = [f for f in _required_fields(schema_set, schema, base) if f[0] not in PREFILLED]
    optional = [n for n in schema.get("properties", {}) if n not in schema.get("required", [])
                and n not in ("retraction_reason", "merged_into")]
    lines = [
        f"# A new {record_type.replace('_', ' ')} record. Fill in every blank field (each has a comment",
        "# saying what goes there), then run `forcewatch validate` on this file. Optional fields:",
        *textwrap.wrap(", ".join(optional) + ". The codebook (docs) describes them all.",
                       width=90, initial_indent="# ", subsequent_indent="# "),
        f"id: {record_id}",
        f"record_type: {record_type}",
        f'schema_version: "{schema_set.version}"',
        "status: active",
        *_render(schema_set, fields, ""),
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
    date = date or dt.date.today().isoformat()
    dt.date.fromisoformat(date)  # ValueError on a bad date
    record_id = propose_id(record_type, date=date, slug=slug, force=force, country=country,
                           taken=existing_ids(root))
    path = record_path(root, record_type, record_id)
    text, blanks = template_text(schema_set, record_type, record_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # never overwrite
        handle.write(text)
    return path, blanks
