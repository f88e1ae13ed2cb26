"""The record contract: the JSON Schema set in `schema/`, resolved locally, and the mapping
from jsonschema errors to catalogue codes with positions and suggestions."""

from __future__ import annotations

import datetime as _dt
import difflib
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

RECORD_TYPES = {
    "incident": "incident.schema.json",
    "actor": "actor.schema.json",
    "force_posture": "force_posture.schema.json",
    "site": "site.schema.json",
    "tally": "tally.schema.json",
}
SCHEMA_FILES = ("common.schema.json", *RECORD_TYPES.values())


class ConfigError(Exception):
    """The schema set or the validators configuration is broken (exit code 2)."""


# --- formats: checked by us, so that `uri` and `date` are really checked without extras -----

FORMATS = FormatChecker(formats=())
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_PARTIAL = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
_HOST = re.compile(r"(?=.{1,253}\Z)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")


@FORMATS.checks("date", raises=ValueError)
def _check_date(value) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        raise ValueError("not in YYYY-MM-DD form")
    _dt.date.fromisoformat(value)  # raises ValueError for 2024-02-30
    return True


@FORMATS.checks("fw-partial-date", raises=ValueError)
def _check_partial_date(value) -> bool:
    if not isinstance(value, str):
        return True
    m = _PARTIAL.match(value)
    if not m:
        raise ValueError("not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.groups()
    _dt.date(int(year), int(month or 1), int(day or 1))
    return True


# The common case, decided without urlsplit: a lowercase host name with no port or user,
# then printable ASCII only. Anything else takes the full check below.
_PLAIN_URL = re.compile(r"https?://([a-z0-9.-]{1,253})(?:[/?#][!-~]*)?\Z")


@FORMATS.checks("uri", raises=ValueError)
def _check_uri(value) -> bool:
    if not isinstance(value, str):
        return True
    if plain_url(value):
        return True
    return check_uri_fully(value)


def plain_url(value: str) -> bool:
    plain = _PLAIN_URL.match(value)
    return bool(plain and _HOST.match(plain.group(1)))


def check_uri_fully(value: str) -> bool:
    if any(c.isspace() for c in value):
        raise ValueError("contains white space")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise ValueError("scheme must be http or https")
    host = parts.hostname or ""
    if not host or not _HOST.match(host):
        raise ValueError("no valid host name")
    parts.port  # raises ValueError for a bad port
    return True


# --- loading the schema set ---------------------------------------------------------------


@dataclass
class SchemaSet:
    directory: Path
    version: str
    by_id: dict  # $id -> schema dict
    validators: dict  # record_type -> validator
    registry: Registry
    # record_type -> jsonschema-rs validator: a fast yes/no gate. Only records it rejects go
    # through the Python engine, which produces the detailed issues, so that the issues are
    # the same whichever engine runs. Empty when jsonschema-rs is not installed.
    fast: dict = None
    _integer_paths: dict = field(default_factory=dict, repr=False)  # record_type -> paths (see integer_paths)

    def resolve(self, ref: str, base: str) -> dict:
        resolver = self.registry.resolver(base_uri=base)
        return resolver.lookup(ref).contents

    def record_schema(self, record_type: str) -> dict:
        return self.by_id[f"urn:forcewatch:schema:{record_type}"]

    def subschema(self, record_type: str, path) -> dict | None:
        """The (resolved) schema that governs a value at `path` in a record, or None."""
        schema, base = self.record_schema(record_type), f"urn:forcewatch:schema:{record_type}"
        for part in path:
            schema, base = self._deref(schema, base)
            if isinstance(part, int):
                schema = schema.get("items")
            else:
                schema, base = self.property_items(schema, base).get(part, (None, base))
            if schema is None:
                return None
        return self._deref(schema, base)[0]

    def _deref(self, schema: dict, base: str):
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 20:
            ref = schema["$ref"]
            merged = {k: v for k, v in schema.items() if k != "$ref"}
            target = self.resolve(ref, base)
            if ref.startswith("urn:"):
                base = ref.split("#")[0]
            schema = {**target, **merged}
            seen += 1
        return schema, base

    def property_items(self, schema: dict, base: str) -> dict:
        """name -> (schema, base URI it is written in) for the properties a schema defines,
        through `$ref` and `allOf` (a property's own `$ref`s resolve against its base)."""
        schema, base = self._deref(schema, base)
        props = {name: (sub, base) for name, sub in schema.get("properties", {}).items()}
        for sub in schema.get("allOf", []):
            props.update(self.property_items(sub, base))
        return props

    def integer_paths(self, record_type: str) -> list[tuple]:
        """The paths of the values the record's schema types as integer (None stands for any
        list index), found once per record type."""
        cache = self._integer_paths
        if record_type not in cache:
            found: list[tuple] = []

            def walk(schema, base, path):
                schema, base = self._deref(schema, base)
                if not isinstance(schema, dict) or len(path) > 12:
                    return
                kinds = schema.get("type")
                if kinds == "integer" or (isinstance(kinds, list) and "integer" in kinds and "number" not in kinds):
                    found.append(path)
                for name, (sub, sub_base) in self.property_items(schema, base).items():
                    walk(sub, sub_base, path + (name,))
                if isinstance(schema.get("items"), dict):
                    walk(schema["items"], base, path + (None,))
            walk(self.record_schema(record_type), f"urn:forcewatch:schema:{record_type}", ())
            cache[record_type] = found
        return cache[record_type]

    def property_schemas(self, schema: dict, base: str) -> dict:
        """name -> schema for the properties a schema defines (see `property_items`)."""
        return {name: sub for name, (sub, _) in self.property_items(schema, base).items()}


def read_version(schema_dir: Path) -> str:
    try:
        version = (schema_dir / "VERSION").read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"{schema_dir / 'VERSION'}: cannot read the schema version ({exc.strerror})") from None
    if not re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", version):
        raise ConfigError(f"{schema_dir / 'VERSION'}: {version!r} is not a MAJOR.MINOR.PATCH version")
    return version


def load_schema_set(schema_dir: Path, remember_check: bool = True) -> SchemaSet:
    """Read, check and link the schema files. Any problem is a ConfigError (exit code 2).
    With `remember_check`, a marker in .forcewatch-cache/ skips the meta-schema check of files
    that already passed it."""
    import hashlib
    by_id, raw = {}, {}
    for name in SCHEMA_FILES:
        path = schema_dir / name
        try:
            raw[name] = path.read_bytes()
            schema = json.loads(raw[name].decode("utf-8"))
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the schema ({exc.strerror})") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            where = f"{exc.lineno}:{exc.colno}: " if isinstance(exc, json.JSONDecodeError) else ""
            raise ConfigError(f"{path}:{where}schema is not valid JSON: {getattr(exc, 'msg', exc)}") from None
        by_id[name] = schema
    # Checking the schemas against the meta-schema is the slowest part of loading them; a
    # marker remembers which exact files passed (and it is never trusted for other bytes).
    digest = hashlib.sha256(b"".join(n.encode() + b"\0" + raw[n] for n in SCHEMA_FILES)).hexdigest()
    marker = schema_dir.parent / ".forcewatch-cache" / "schema-checked"
    try:
        checked = remember_check and marker.read_text() == digest
    except OSError:
        checked = False
    if not checked:
        for name, schema in by_id.items():
            try:
                Draft202012Validator.check_schema(schema)
            except SchemaError as exc:
                raise ConfigError(f"{schema_dir / name}: not a valid JSON Schema 2020-12: {exc.message}") from None
        if remember_check:
            try:
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.write_text(digest)
            except OSError:
                pass
    for name, schema in by_id.items():
        if "$id" not in schema:
            raise ConfigError(f"{schema_dir / name}: the schema has no $id")
    by_id = {schema["$id"]: schema for schema in by_id.values()}
    registry = Registry().with_resources(
        (sid, Resource.from_contents(s)) for sid, s in by_id.items()
    ).crawl()
    validators = {}
    for record_type, name in RECORD_TYPES.items():
        sid = f"urn:forcewatch:schema:{record_type}"
        if sid not in by_id:
            raise ConfigError(f"{schema_dir / name}: $id must be {sid}")
        _check_refs(by_id[sid], sid, registry, schema_dir / name)
        validators[record_type] = Draft202012Validator(by_id[sid], registry=registry, format_checker=FORMATS)
    _check_refs(by_id["urn:forcewatch:schema:common"], "urn:forcewatch:schema:common", registry,
                schema_dir / "common.schema.json")
    return SchemaSet(schema_dir, read_version(schema_dir), by_id, validators, registry, _fast_validators(by_id))


def _fast_validators(by_id: dict) -> dict:
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - the Python engine alone gives the same results
        return {}

    def as_bool(check, raises):
        def run(value):
            try:
                return bool(check(value))
            except raises:
                return False
        return run

    formats = {name: as_bool(check, raises) for name, (check, raises) in FORMATS.checkers.items()}
    registry = jsonschema_rs.Registry([(sid, schema) for sid, schema in by_id.items()])
    return {record_type: jsonschema_rs.Draft202012Validator(
                by_id[f"urn:forcewatch:schema:{record_type}"], registry=registry, validate_formats=True,
                formats=formats, ignore_unknown_formats=False)
            for record_type in RECORD_TYPES}


def _check_refs(schema, base: str, registry: Registry, path: Path) -> None:
    """Every $ref must resolve locally: an unresolvable one is a broken configuration."""
    resolver = registry.resolver(base_uri=base)
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                try:
                    resolver.lookup(ref)
                except Unresolvable:
                    raise ConfigError(f"{path}: $ref {ref!r} does not resolve to a local schema") from None
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


# --- errors -> issues -----------------------------------------------------------------------

_TYPE_NAMES = {"string": "text", "integer": "a whole number", "number": "a number",
               "array": "a list", "object": "a mapping", "boolean": "true or false", "null": "empty"}


def _type_of(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty" if value is None else type(value).__name__


def _short(value, limit=60) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Suggestions cost a comparison with every choice; a hostile file of a million unknown keys
# (or a run of thousands of broken references against 100,000 ids) must not make the run
# take minutes. The budget counts comparisons in the current scope: one file
# (`validate.file_result`) or the rest of a run (`validate.validate`); once it is spent, the
# issues keep their generic hint. Words longer than any field name or id get no suggestion.
SUGGESTION_WORD_LIMIT = 100
_budget = [None]  # comparisons left in the current scope; None: unbounded


@contextmanager
def suggestion_budget(comparisons: int):
    """Bound the comparisons `suggest` may make inside the block (the outer budget is
    restored after it)."""
    saved = _budget[0]
    _budget[0] = comparisons
    try:
        yield
    finally:
        _budget[0] = saved


def suggest(word, choices, n=1) -> str | None:
    if not isinstance(word, str) or len(word) > SUGGESTION_WORD_LIMIT:
        return None
    choices = list(choices)
    if _budget[0] is not None:
        if _budget[0] < len(choices):
            return None
        _budget[0] -= len(choices)
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    match = difflib.get_close_matches(word, choices, n=n, cutoff=0.6)
    return match[0] if match else None


def _field(path) -> str:
    parts = [str(p) for p in path if not isinstance(p, int)]
    return parts[-1] if parts else "record"


_UNEXPECTED = re.compile(r"\((.*) (?:was|were) unexpected\)")


def schema_issues(schema_set: SchemaSet, record_type: str, record: dict, whole_floats: bool = True):
    """Yield (code, path, message, hint) for every way the record breaks its schema.
    `whole_floats`: the record may hold a number such as 2.0 (False when its loader saw none)."""
    if whole_floats:
        yield from _whole_numbers_with_a_point(schema_set, record_type, record)
    fast = (schema_set.fast or {}).get(record_type)
    if fast is not None and fast.is_valid(record):
        return
    validator = schema_set.validators[record_type]
    seen = set()
    format_paths = set()
    errors = sorted(validator.iter_errors(record), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    # A value that fails its format (e.g. a date) also fails its pattern: report it once.
    # A value of the wrong type also fails its vocabulary, pattern or range: report the type.
    typed_paths = set()
    for err in errors:
        if err.validator == "format":
            format_paths.add(tuple(err.absolute_path))
        elif err.validator == "type":
            typed_paths.add(tuple(err.absolute_path))
    for err in errors:
        path = tuple(err.absolute_path)
        if path in typed_paths and err.validator != "type":
            continue
        for item in _map_error(schema_set, record_type, err, path, format_paths):
            key = (item[0], item[1], item[2])
            if key not in seen:
                seen.add(key)
                yield item


def _values_at(value, pattern: tuple, path: tuple = ()):
    """(path, value) for every value at `pattern` (None: any list index)."""
    if not pattern:
        yield path, value
        return
    step, rest = pattern[0], pattern[1:]
    if step is None:
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from _values_at(item, rest, path + (i,))
    elif isinstance(value, dict) and step in value:
        yield from _values_at(value[step], rest, path + (step,))


def _whole_numbers_with_a_point(schema_set: SchemaSet, record_type: str, record: dict):
    """JSON Schema counts 2.0 as an integer, so neither engine objects to it; but the record
    would reach records.jsonl as 2.0 and the release's integer columns could not hold it.
    (A number with a fraction, 2.5, is a schema error already.)"""
    for pattern in schema_set.integer_paths(record_type):
        for path, value in _values_at(record, pattern):
            if isinstance(value, float) and value.is_integer():
                yield ("wrong-type", path, f"`{_field(path)}` must be a whole number written without a decimal "
                       f"point, not {value!r}", f"write {int(value)}")


def _map_error(schema_set, record_type, err, path, format_paths):
    kw = err.validator
    value = err.instance
    where = ".".join(str(p) for p in path) or "the record"
    if kw == "required":
        for name in err.validator_value:
            if isinstance(value, dict) and name not in value:
                yield ("missing-field", path + (name,),
                       f"`{name}` is required in {where if path else 'every ' + record_type + ' record'}",
                       _example_hint(schema_set, record_type, path + (name,)))
        return
    if kw == "dependentRequired":
        for trigger, needed in err.validator_value.items():
            if isinstance(value, dict) and trigger in value:
                for name in needed:
                    if name not in value:
                        yield ("missing-field", path + (name,),
                               f"`{name}` is required when `{trigger}` is given", None)
        return
    if kw in ("additionalProperties", "unevaluatedProperties"):
        m = _UNEXPECTED.search(err.message)
        names = re.findall(r"'((?:[^'\\]|\\.)*)'", m.group(1)) if m else []
        if not names and isinstance(value, dict):
            names = list(value)
        allowed = _allowed_fields(schema_set, record_type, err.schema)
        # JSON Schema drops what a failing subschema evaluated, so `unevaluatedProperties`
        # also lists the fields of a part (an estimate, a figure's sources) that has an error
        # of its own: a field the schema defines here is reported by that error, not as unknown.
        names = [name for name in names if name not in allowed]
        for name in names:
            guess = suggest(name, allowed)
            hint = f"did you mean `{guess}`?" if guess else (
                "allowed fields here: " + ", ".join(sorted(allowed)) if allowed else None)
            yield ("unknown-field", path + (name,), f"`{name}` is not a field of {where}", hint)
        return
    if value is None and kw not in ("required", "dependentRequired", "anyOf", "additionalProperties",
                                    "unevaluatedProperties"):
        yield ("blank-field", path, f"`{_field(path)}` is blank", _example_hint(schema_set, record_type, path)
               or "fill it in, or remove the field if it is optional")
        return
    if kw == "type":
        expected = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        want = " or ".join(_TYPE_NAMES.get(t, t) for t in expected)
        yield ("wrong-type", path, f"`{_field(path)}` must be {want}, not {_type_of(value)} ({_short(value)})",
               _type_hint(_field(path), expected, value))
        return
    if kw == "enum":
        terms = err.validator_value
        guess = suggest(value, terms)
        hint = f"did you mean `{guess}`?" if guess else "allowed terms: " + ", ".join(map(str, terms))
        yield ("unknown-term", path, f"{_short(value)} is not a term of `{_field(path)}`", hint)
        return
    if kw == "const":
        yield ("schema-violation", path, f"`{_field(path)}` must be {_short(err.validator_value)}, not {_short(value)}", None)
        return
    if kw == "format":
        fmt = err.validator_value
        reason = str(err.cause) if err.cause else ""
        if fmt in ("date", "fw-partial-date"):
            form = "YYYY-MM-DD" if fmt == "date" else "YYYY, YYYY-MM or YYYY-MM-DD"
            yield ("invalid-date", path, f"{_short(value)} is not a valid date"
                   + (f" ({reason})" if reason else ""), f"write an existing date as {form}")
        elif fmt == "uri":
            yield ("invalid-url", path, f"{_short(value)} is not a valid http(s) URL"
                   + (f" ({reason})" if reason else ""), "copy the full address, starting with https://")
        else:
            yield ("invalid-format", path, f"{_short(value)} is not a valid {fmt}", None)
        return
    if kw == "pattern":
        if path in format_paths:
            return
        if path and path[-1] == "url":
            yield ("invalid-url", path, f"{_short(value)} is not an http(s) URL", "the address must start with http:// or https://")
            return
        yield ("invalid-format", path, f"{_short(value)} is not a valid `{_field(path)}`",
               _example_hint(schema_set, record_type, path))
        return
    if kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = {"minimum": "at least", "maximum": "at most",
                 "exclusiveMinimum": "more than", "exclusiveMaximum": "less than"}[kw]
        yield ("out-of-range", path, f"`{_field(path)}` is {_short(value)}; it must be {bound} {err.validator_value}", None)
        return
    if kw in ("minLength", "maxLength", "minItems", "maxItems"):
        what = "characters" if "Length" in kw else "items"
        size = len(value) if hasattr(value, "__len__") else "?"
        bound = "at least" if kw.startswith("min") else "at most"
        yield ("invalid-length", path, f"`{_field(path)}` has {size} {what}; it must have {bound} {err.validator_value}", None)
        return
    if kw == "anyOf" and all(set(b) == {"required"} for b in err.validator_value):
        options = [" and ".join(f"`{n}`" for n in b["required"]) for b in err.validator_value]
        yield ("missing-field", path, f"{where} needs {' or '.join(options)}", None)
        return
    if kw == "uniqueItems":
        yield ("schema-violation", path, f"`{_field(path)}` lists the same item twice", "remove the repeated item")
        return
    yield ("schema-violation", path, err.message, None)


def _type_hint(name: str, expected: list, value) -> str | None:
    """How to write a value of the expected type, from what was written instead."""
    if value is None:
        return "the value is empty: fill it in, or remove the field if it is optional"
    if "array" in expected and isinstance(value, dict):
        return (f"each item of `{name}` starts with `- `: write `- ` before the first field of every item "
                "(the item's other fields are indented to line up with that first field)")
    if "array" in expected:
        return f"write a list: one `- item` per line below `{name}:`, or `[{_short(value, 40)}]`"
    if "object" in expected:
        return f"write the fields of `{name}` on the lines below `{name}:`, indented by two more spaces"
    if "string" in expected and not isinstance(value, (list, dict)):
        return f'put the value in quotes: "{value}"'
    if "integer" in expected and isinstance(value, float) and value == value and abs(value) != float("inf"):
        return "write a whole number; for a range give `low` and `high`, for an estimate `qualifier: approximately`"
    if ("integer" in expected or "number" in expected) and not isinstance(value, (list, dict)):
        return f"write the number in digits, without quotes or words (e.g. `{name}: 5`)"
    if "boolean" in expected and not isinstance(value, (list, dict)):
        return f"write `true` or `false` (forcewatch reads `yes`, `no`, `on` and `off` as text)"
    return None


def _allowed_fields(schema_set, record_type, schema) -> dict:
    """name -> schema of the fields a (sub)schema defines, through `$ref` and `allOf`."""
    if not isinstance(schema, dict):
        return {}
    for base in (f"urn:forcewatch:schema:{record_type}", "urn:forcewatch:schema:common"):
        try:
            return schema_set.property_schemas(schema, base)
        except (Unresolvable, KeyError, TypeError):
            continue
    return {}


def _example_hint(schema_set, record_type, path) -> str | None:
    try:
        sub = schema_set.subschema(record_type, path)
    except (Unresolvable, KeyError, TypeError):
        return None
    if not sub:
        return None
    examples = sub.get("examples")
    if examples:
        return "for example: " + json.dumps(examples[0], ensure_ascii=False)[:120]
    return None
