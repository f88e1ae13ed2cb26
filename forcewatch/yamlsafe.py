"""A YAML loader made safe for contributed records.

It builds plain data (dict, list, str, int, float, bool, None) from the parser's event stream,
so it decides every value itself:

- plain scalars follow a strict subset of the YAML 1.2 core schema: only `true`/`false`
  are booleans, only `null`/`~`/empty are null, integers have no leading zero, and
  everything else stays text. So `NO` (Norway), `on`, `010`, `1.0.0`, `12:30` and
  `2024-08-05` stay the strings they look like, and the schema checks them;
- duplicate keys, anchors/aliases, explicit tags and several documents are refused, as
  issues with line and column, never exceptions;
- positions (1-based line and column) are kept for every key and value, so that each
  issue found later points at the right line.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml

from . import yamlerrors

try:  # libyaml is ~10x faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Parser

MAX_DEPTH = 64

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+([eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)\Z")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")  # as checks.record.BIDI_CONTROLS
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


@dataclass
class LoadProblem:
    code: str
    message: str
    line: int | None = None
    column: int | None = None
    path: tuple = ()
    hint: str | None = None


@dataclass
class Loaded:
    data: Any = None
    # path tuple -> (line, column) where the value starts / where its key is written
    values: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)
    # Some number written with a point or an exponent has a whole value (2.0, 1e3): JSON
    # Schema counts it as an integer, so the schema step looks for such values in integer
    # fields (and only when there is one to find).
    whole_floats: bool = False
    # The text holds a bidirectional control character (see checks.record.BIDI_CONTROLS): only
    # then does the record check look for it value by value.
    bidi_controls: bool = False

    def position(self, path: tuple) -> tuple[int | None, int | None]:
        """Best position for a path: its key, else its value, else the nearest parent's."""
        path = tuple(path)
        while True:
            mark = self.keys.get(path) or self.values.get(path)
            if mark is not None:
                return mark if isinstance(mark, tuple) else (mark.line + 1, mark.column + 1)
            if not path:
                return (1, 1)
            path = path[:-1]


_WORD_START = frozenset("abcdeghijklmopqrsuvwxyzABCDEGHIJKLMOPQRSUVWXYZ")  # not t/f/n: true, false, null


def resolve_plain(text: str):
    """The value of a plain (unquoted) scalar under forcewatch's strict core schema."""
    if text[:1] in _WORD_START:  # most values are words: they stay text
        return _intern(text) if len(text) <= 48 else text
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


# Keys and short words (vocabulary terms, ids) repeat across records: one shared string each
# keeps records, and the projections the cache stores of them, in a fraction of the memory
# (marshal keeps the sharing).
_intern = sys.intern


def _pos(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Builder:
    """Builds values from parser events. Hot loop: positions are stored as the parser's marks
    and turned into (line, column) only when an issue needs one."""

    def __init__(self, parser, loaded: Loaded, text: str = ""):
        self.parser = parser
        self.out = loaded
        self.text = text
        self._lines = None
        self.get_event = parser.get_event
        self.check_event = parser.check_event
        self.peek_event = parser.peek_event

    @property
    def lines(self) -> list[str]:
        """The text split at line ends, once, for the few checks that read lines."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def problem(self, code, message, mark=None, path=(), hint=None):
        line, col = _pos(mark) if mark is not None else (None, None)
        self.out.problems.append(LoadProblem(code, message, line, col, tuple(path), hint))

    def _anchor_or_tag(self, event, path):
        if event.anchor:
            self.problem("yaml-anchor", f"anchor `&{event.anchor}` is not allowed in records",
                         event.start_mark, path, "write the value out in full")
        if event.tag:
            tag = event.tag
            if tag.startswith("tag:yaml.org,2002:"):
                tag = "!!" + tag[len("tag:yaml.org,2002:"):]
            self.problem("yaml-tag", f"tag `{tag}` is not allowed in records",
                         event.start_mark, path,
                         "remove the tag; to keep a value as text, put it in quotes")

    def strict(self, found) -> None:
        """Record a refusal of invalid YAML that libyaml accepted (see yamlerrors)."""
        if found is not None:
            code, message, line, column, hint = found
            self.out.problems.append(LoadProblem(code, message, line, column, (), hint))

    def node(self, path: tuple, depth: int, indent: int = -1, flow: bool = False):
        """The value of the next node. `indent`: the column of the keys or `-` of the block
        collection the node is in; `flow`: whether it is inside `[...]` or `{...}`."""
        event = self.get_event()
        values = self.out.values
        if path not in values:
            values[path] = event.start_mark
        if depth > MAX_DEPTH:
            raise _TooDeep(event.start_mark)
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor or event.tag:
                self._anchor_or_tag(event, path)
            style = event.style
            if not style and event.implicit[0]:  # plain style: None (Python) or "" (libyaml)
                value = resolve_plain(event.value)
                if value.__class__ is float and value.is_integer():
                    self.out.whole_floats = True
                return value
            if style == '"' or style == "'":
                start, end = event.start_mark, event.end_mark
                if self.text[end.index:end.index + 1] == "#":
                    self.strict(yamlerrors.after_quote(self.text, end.index, end.line, end.column))
                if not flow and start.line != end.line:
                    self.strict(yamlerrors.continuation(self.lines, start.line, end.line, indent, "a quoted value",
                                                        (start.column, style)))
            elif style == "|" or style == ">":
                self.strict(yamlerrors.block_scalar(self.lines, event.start_mark.line, event.start_mark.column, indent))
            return event.value
        if kind is yaml.MappingStartEvent:
            if event.anchor or event.tag:
                self._anchor_or_tag(event, path)
            mapping: dict = {}
            keys = self.out.keys
            inner_flow = flow or bool(event.flow_style)
            inner_indent = indent if inner_flow else event.start_mark.column
            check_event, get_event, peek_event = self.check_event, self.get_event, self.peek_event
            duplicate = None  # [the problem of the first key written twice, how many more]
            while not check_event(yaml.MappingEndEvent):
                key_event = peek_event()
                key_mark = key_event.start_mark
                if type(key_event) is yaml.ScalarEvent and not key_event.anchor and not key_event.tag:
                    get_event()
                    key = _intern(key_event.value)
                    if not key_event.style and key in _NULL:
                        self.problem("yaml-bad-key", "a mapping key must be plain text",
                                     key_mark, path, "write the key as a plain word such as `title`")
                        self.node(path + ("<bad-key>",), depth + 1)
                        continue
                else:
                    key = self.node(path + ("<key>",), depth + 1)
                    values.pop(path + ("<key>",), None)
                    if isinstance(key, (dict, list)) or key is None:
                        self.problem("yaml-bad-key", "a mapping key must be plain text",
                                     key_mark, path, "write the key as a plain word such as `title`")
                        self.node(path + ("<bad-key>",), depth + 1)
                        continue
                    if not isinstance(key, str):
                        key = str(key) if not isinstance(key, bool) else str(key).lower()
                child = path + (key,)
                if key in mapping:
                    if duplicate is None:
                        first = keys.get(child)
                        in_list = bool(path) and isinstance(path[-1], int)
                        self.problem("yaml-duplicate-key",
                                     f"key `{key}` appears twice in this mapping"
                                     + (f" (first on line {first.line + 1})" if first is not None else ""),
                                     key_mark, child, "keep one of the two entries" + (
                                         "; if this line starts a new item of the list, put `- ` before it"
                                         if in_list else ""))
                        duplicate = [self.out.problems[-1], 0]
                    else:
                        duplicate[1] += 1  # one mistake (a missing `-` merges two items), one issue
                    self.node(path + ("<duplicate>",), depth + 1, inner_indent, inner_flow)
                    continue
                keys[child] = key_mark
                mapping[key] = self.node(child, depth + 1, inner_indent, inner_flow)
            end = get_event()
            if duplicate is not None and duplicate[1]:
                duplicate[0].message += f"; {duplicate[1]} more key{'s' if duplicate[1] != 1 else ''} after it too"
            if inner_flow and not flow and end.end_mark.line != event.start_mark.line:
                self.strict(yamlerrors.continuation(self.lines, event.start_mark.line, end.end_mark.line, indent,
                                                    "a `{...}` mapping"))
            return mapping
        if kind is yaml.SequenceStartEvent:
            if event.anchor or event.tag:
                self._anchor_or_tag(event, path)
            items = []
            check_event = self.check_event
            inner_flow = flow or bool(event.flow_style)
            inner_indent = indent if inner_flow else event.start_mark.column
            while not check_event(yaml.SequenceEndEvent):
                items.append(self.node(path + (len(items),), depth + 1, inner_indent, inner_flow))
            end = self.get_event()
            if inner_flow and not flow and end.end_mark.line != event.start_mark.line:
                self.strict(yamlerrors.continuation(self.lines, event.start_mark.line, end.end_mark.line, indent,
                                                    "a `[...]` list"))
            return items
        if kind is yaml.AliasEvent:
            self.problem("yaml-anchor", f"alias `*{event.anchor}` is not allowed in records",
                         event.start_mark, path, "write the value out in full")
            return None
        raise yaml.YAMLError(f"unexpected event {kind.__name__}")  # pragma: no cover


class _TooDeep(Exception):
    def __init__(self, mark):
        self.mark = mark


def load_text(text: str) -> Loaded:
    """Parse one YAML document into plain data with positions. Never raises on bad input."""
    loaded = Loaded()
    loaded.bidi_controls = not text.isascii() and _BIDI.search(text) is not None
    parser = _Parser(text)
    builder = _Builder(parser, loaded, text)
    try:
        parser.get_event()  # StreamStart
        if parser.check_event(yaml.StreamEndEvent):
            loaded.problems.append(LoadProblem("empty-file", "the file holds no YAML content", 1, 1))
            return loaded
        parser.get_event()  # DocumentStart
        loaded.data = builder.node((), 0)
        parser.get_event()  # DocumentEnd
        if parser.check_event(yaml.DocumentStartEvent):
            mark = parser.peek_event().start_mark
            builder.problem("yaml-multiple-documents",
                            "the file holds more than one YAML document", mark, (),
                            "one file holds one record; move the others to files of their own")
            # Still read the rest so that syntax errors further down are reported too.
            while not parser.check_event(yaml.StreamEndEvent):
                parser.get_event()
    except _TooDeep as exc:
        builder.problem("yaml-syntax", f"values are nested more than {MAX_DEPTH} levels deep",
                        exc.mark, (), "records are shallow; check the indentation")
        loaded.data = None
    except yaml.MarkedYAMLError as exc:
        # The likely cause in plain words, at the line of the mistake (which is not always
        # where libyaml stopped); what the builder found before it stays reported.
        # If the builder already refused invalid YAML that libyaml let through, that is the
        # mistake, and libyaml's error is very likely what it led to: one mistake, one issue.
        if not any(p.code == "yaml-syntax" for p in loaded.problems):
            code, message, line, column, hint = yamlerrors.syntax_problem(text, exc)
            loaded.problems.append(LoadProblem(code, message, line, column, (), hint))
        loaded.data = None
    except yaml.YAMLError as exc:
        builder.problem("yaml-syntax", str(exc) or "invalid YAML")
        loaded.data = None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose:
            dispose()
    if loaded.data is None and not loaded.problems:
        loaded.problems.append(LoadProblem("empty-file", "the file holds no record (only an empty document)", 1, 1))
    elif loaded.data is not None and not isinstance(loaded.data, dict):
        loaded.problems.append(LoadProblem(
            "yaml-not-mapping",
            f"the file holds a {type(loaded.data).__name__}, not a mapping of fields", 1, 1,
            hint="start the file with `id: ...` and the other fields, one per line"))
    return loaded


def load_bytes(raw: bytes) -> Loaded:
    """Decode UTF-8 (a BOM is allowed) and parse; bad bytes become a `not-utf8` problem."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        loaded = Loaded()
        loaded.problems.append(LoadProblem(
            "not-utf8", f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is not valid UTF-8",
            line, column, hint="re-save the file as UTF-8"))
        return loaded
    # libyaml rejects some control characters with an unmarked error; report them precisely.
    bad = _CONTROL.search(text)
    if bad:
        before = text[: bad.start()]
        loaded = Loaded()
        loaded.problems.append(LoadProblem(
            "yaml-syntax", f"control character U+{ord(bad.group()):04X} is not allowed in YAML",
            before.count("\n") + 1, bad.start() - (before.rfind("\n") + 1) + 1,
            hint="remove the character (it is invisible in most editors)"))
        return loaded
    return load_text(text)
