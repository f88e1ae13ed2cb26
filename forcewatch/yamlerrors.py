"""YAML mistakes in plain words, and the invalid YAML that libyaml accepts.

libyaml (the fast parser forcewatch reads records with) reports a mistake in its own terms
("mapping values are not allowed in this context") and at the place it gave up, which is
not always where the mistake is. `syntax_problem` turns its error into the likely cause, at
the line of the mistake, with a fix: wrong indentation, a tab, a missing `-`, an unclosed
quote, a colon in an unquoted value, ... Where the text is valid YAML that libyaml cannot
read (a tab after `-`), it says so instead of blaming the contributor (`yaml-unsupported`).

libyaml also accepts some documents that are not YAML, and one of them silently changes
meaning: in `title: "value"# note` it drops `# note`. The checks below refuse them, so a
record means the same in every YAML parser:

- text right after a closing quote (`"value"# note`, `'value'#`);
- a comment right after a block scalar's indicator (`>#`, `|#`);
- a quoted value or a `[...]`/`{...}` spread over lines whose continuation lines are not
  indented more than the field they belong to (a tab does not count as indentation);
- a block scalar whose leading blank lines hold more spaces than its first line of text.
"""

from __future__ import annotations

import re

from .codes import get as _code

_BLOCK_HEADER = re.compile(r"[|>]([1-9+-]{0,2})")
_KEY_VALUE = re.compile(r"\s*(?:-\s+)*([^\s#'\"][^:#]*?|\"[^\"]*\"|'[^']*'):(?:\s|$)")


class Problem(tuple):
    """(code, message, line, column, hint): what the loader turns into a LoadProblem."""

    def __new__(cls, code, message, line, column, hint):
        return super().__new__(cls, (code, message, line, column, hint))


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _indent(line: str) -> int:
    """Leading spaces (a tab is not indentation in YAML)."""
    return len(line) - len(line.lstrip(" "))


# --- invalid YAML that libyaml accepts ----------------------------------------------------


def after_quote(text: str, end_index: int, line: int, column: int) -> Problem | None:
    """A `#` right after a closing quote: libyaml drops it and what follows as a comment."""
    if text[end_index:end_index + 1] == "#":
        return Problem("yaml-syntax", "text right after the closing quote: `#` must be preceded by a space "
                       "to start a comment (libyaml would silently drop the rest of the line)",
                       line + 1, column + 1,
                       "put a space before `#` if it starts a comment, or put the whole value in the quotes")
    return None


def continuation(lines: list[str], first_line: int, last_line: int, indent: int, what: str,
                 quote: tuple | None = None) -> Problem | None:
    """The lines after the first of a value spread over several lines (a quoted text, a
    `[...]` or `{...}`) must be indented more than the field they belong to (`indent` is
    the column of that field's key or `-`). `quote`: (column, quote character) of a quoted
    value's opening quote: then the likely mistake is a closing quote left out there.
    `lines`: the text split at "\n"."""
    for number in range(first_line + 1, min(last_line, len(lines) - 1) + 1):
        line = lines[number]
        if not line.strip(" \t\r"):
            continue  # blank lines may stand anywhere
        if _indent(line) <= indent:
            tab = line[_indent(line):_indent(line) + 1] == "\t"
            if quote is not None and not tab:
                column, char = quote
                return Problem("yaml-syntax", f"the quote `{char}` opened here is not closed on this line, so the "
                               f"value runs on into line {number + 1}, which is not indented as a continued value "
                               "must be", first_line + 1, column + 1,
                               f"add the closing `{char}` at the end of the value (a long text may go on over "
                               f"lines indented with at least {indent + 1} space{'s' if indent else ''})")
            return Problem("yaml-syntax",
                           f"{what} goes on over several lines, and this line is not indented more than "
                           "the field it belongs to" + (" (a tab does not count as indentation)" if tab else ""),
                           number + 1, 1,
                           f"indent the line with at least {indent + 1} space{'s' if indent else ''}, or write the "
                           "value on one line")
    return None


def block_scalar(lines: list[str], start_line: int, start_column: int, indent: int) -> Problem | None:
    """A block scalar (`|` or `>`): a comment right after its indicator, or leading blank
    lines with more spaces than its first line of text. `lines`: the text split at "\n"."""
    header_line = lines[start_line] if start_line < len(lines) else ""
    header = _BLOCK_HEADER.match(header_line, start_column)
    if header is None:
        return None
    if header_line[header.end():header.end() + 1] == "#":
        return Problem("yaml-syntax", f"a comment right after `{header.group()}`: `#` must be preceded by a space",
                       start_line + 1, header.end() + 1, f"write `{header.group()} #` or remove the comment")
    if header.group(1) and header.group(1).strip("+-"):
        return None  # an explicit indentation: no guess to contradict
    widest = (0, 0)  # (spaces, line number) of the widest blank line before the text
    for number in range(start_line + 1, len(lines)):
        line = lines[number].rstrip("\r")
        if not line.strip(" "):
            widest = max(widest, (len(line), number))
            continue
        first = _indent(line)
        if first > indent and widest[0] > first:
            return Problem("yaml-syntax", f"a blank line of the block text holds {widest[0]} spaces, more than the "
                           f"{first} of its first line of text (YAML takes the indentation from that line)",
                           widest[1] + 1, 1, "remove the spaces from the blank lines above the text")
        return None
    return None


# --- libyaml's errors in plain words -------------------------------------------------------


def syntax_problem(text: str, exc) -> Problem:
    """The likely cause of a libyaml error, at the line of the mistake, with a fix."""
    problem = (getattr(exc, "problem", None) or "").strip()
    context = (getattr(exc, "context", None) or "").strip()
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    lines = _lines(text)
    line_no = mark.line if mark is not None else 0
    column = mark.column if mark is not None else 0
    line = lines[line_no] if line_no < len(lines) else ""
    char = line[column:column + 1]
    before = line[:column]

    def at(message, hint, code="yaml-syntax", where=(line_no, column)):
        return Problem(code, message, where[0] + 1, where[1] + 1, hint)

    unclosed = _unclosed_quote(lines, line_no)
    if "quoted scalar" in context and "end of stream" in problem:
        where = (context_mark.line, context_mark.column) if context_mark is not None else (line_no, column)
        quote = lines[where[0]][where[1]:where[1] + 1] if where[0] < len(lines) else '"'
        return at(f"the quote `{quote}` opened here is never closed", f"add the closing `{quote}` at the end of the value",
                  where=where)
    if "\t" in char or "tab character" in problem:
        return _tab_problem(lines, line_no, column, at)
    if "unknown escape" in problem:
        return at(f"`\\{line[column + 1:column + 2]}` is not an escape that YAML knows inside double quotes",
                  "write a backslash as `\\\\`, or put the value in single quotes", where=(line_no, column))
    if char == ":" and line[column + 1:column + 2] not in ("", " ", "\t", "\r") and before.rstrip()[-1:] in ("[", "{", ","):
        return _unsupported_or(line_no, column, at, "a value starting with `:` inside `[...]` or `{...}`")
    if line.lstrip(" ").startswith(":") and line.lstrip(" ")[1:2] in ("", " ", "\t", "\r"):
        return at("the field name is missing before `:`", "write `name: value`", code="yaml-bad-key",
                  where=(line_no, _indent(line)))
    if unclosed is not None and unclosed[0] < line_no:
        number, col, quote = unclosed
        return at(f"the quote `{quote}` opened on this line is not closed on it, so the value runs on into the "
                  "lines below", f"add the closing `{quote}` at the end of the value", where=(number, col))
    if "mapping values are not allowed" in problem:
        return _colon_problem(lines, line_no, column, at)
    if "did not find expected '-' indicator" in problem or "expected <block end>, but found '?'" in problem \
            or ("block collection" in context and "expected" in problem):
        start = context_mark.line + 1 if context_mark is not None else None
        above = _previous_content(lines, line_no)
        if context_mark is not None and above is not None and _indent(line) > context_mark.column:
            fields = len(lines[above]) - len(lines[above].lstrip(" -"))  # where the item above writes its fields
            if _indent(line) != fields:
                return at(f"this line is indented by {_indent(line)} spaces: too far for a new item of the list "
                          f"(its `-` are at {context_mark.column}), and not as far as the fields of the item above "
                          f"({fields})", f"indent it with {fields} spaces to continue the item above, or start "
                          "a new item with `- `", where=(line_no, 0))
        return at("this line is part of a list" + (f" (it starts on line {start})" if start else "")
                  + ", but does not start with `- `",
                  "start a new item with `- `, or indent the line like the fields of the item above")
    if "block sequence entries are not allowed" in problem:
        return at("a list cannot start on the line of its field", "put each `- item` on a line of its own, "
                  "indented below the field")
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return _indentation_problem(lines, line_no, column, context_mark, at)
    if "could not find expected ':'" in problem:
        return at("this line holds text but no `:` between a field name and its value (or it continues a value "
                  "with less indentation than the value's first line)",
                  "write `field: value`, or indent the continued text like the line above", where=(line_no, 0))
    if "flow sequence" in context or "flow mapping" in context:
        opener = "[" if "sequence" in context else "{"
        closer = "]" if opener == "[" else "}"
        where = (context_mark.line, context_mark.column) if context_mark is not None else (line_no, column)
        return at(f"the `{opener}` opened here is not closed with `{closer}` where the parser expected it "
                  f"(a missing `,` or `{closer}`, or a `:` or `#` that needs quotes)",
                  f"close it with `{closer}` on the same line, or write one `- item` per line", where=where)
    if "cannot start any token" in problem:
        if char in "@`%":
            name = "a backtick" if char == "`" else f"`{char}`"
            return at(f"a value cannot start with {name} (YAML reserves it)",
                      f'put the value in quotes: "{line[column:].strip()}"')
        return at(f"the character `{char}` cannot start a value here", "put the value in quotes")
    if "node content" in problem:
        return at("a value is missing, or starts with a character YAML reserves (`:`, `,`, `]`, `}`)",
                  "put the value in quotes")
    if "anchor" in problem or "alias" in problem:
        return at("`&` and `*` start anchors and aliases, which records may not use",
                  "put the value in quotes if `&` or `*` is part of the text")
    if "tag" in problem or "tag" in context:
        return at("`!` starts a tag, which records may not use", "put the value in quotes if `!` is part of the text")
    if "document" in problem or "directive" in problem:
        return at("a document marker (`---`, `...`) or a directive (`%`) where a field was expected",
                  "one file holds one record: remove the line")
    words = " ".join(p for p in (context, problem) if p) or "invalid YAML"
    return at(f"the YAML parser stopped here ({words})", _code("yaml-syntax").fix)


def _tab_problem(lines, line_no, column, at):
    line = lines[line_no] if line_no < len(lines) else ""
    before = line[:column]
    if before.strip(" ") == "" or "indentation" in line:
        return at("a tab character in the indentation: YAML indents with spaces only",
                  "replace the tab with spaces (set your editor to insert spaces for the Tab key)",
                  where=(line_no, before.find("\t") if "\t" in before else column))
    if before.rstrip(" \t")[-1:] in "-?:":
        return at("a tab after `-`, `?` or `:`: valid YAML, but the YAML reader forcewatch uses (libyaml) does "
                  "not accept a tab there", "write a space instead of the tab", code="yaml-unsupported")
    return at("a tab character where YAML expects a space or a value", "replace the tab with a space, or put the "
              "value in quotes")


def _colon_problem(lines, line_no, column, at):
    """`mapping values are not allowed`: a `: ` inside an unquoted value, or a line indented
    under a field that already has a value."""
    line = lines[line_no] if line_no < len(lines) else ""
    first = _KEY_VALUE.match(line)
    if first is not None and first.end(1) < column:
        key = first.group(1).strip()
        value = line[first.end():].strip()
        return at(f"the value of `{key}` holds `: `, which YAML reads as the start of another field",
                  f'put the value in quotes: {key}: "{value}"' if '"' not in value else
                  f"put the value in single quotes: {key}: '{value}'", where=(line_no, first.end(1) + 1))
    above = _previous_content(lines, line_no)
    if above is not None and _indent(lines[above]) < _indent(line):
        return at(f"this line is indented more than the field on line {above + 1}, which already has a value",
                  f"indent it with {_indent(lines[above])} spaces like the field above, or, if it belongs inside "
                  "that field, remove the value after its `:`", where=(line_no, 0))
    return at("a `:` where YAML cannot start a field (wrong indentation, or a value that needs quotes)",
              "check the indentation against the lines above; quote a value that holds `: `")


def _indentation_problem(lines, line_no, column, context_mark, at):
    line = lines[line_no] if line_no < len(lines) else ""
    before = line[:column].rstrip()
    if before.endswith("'") and before.strip(" -") and _KEY_VALUE.match(line) and line[column:column + 1].isalnum():
        return at("text after the closing quote: an apostrophe inside single quotes ends the value",
                  "inside single quotes write an apostrophe twice ('it''s'), or put the value in double quotes",
                  where=(line_no, column))
    if before.endswith(('"', "'")) and before.strip(" -") and _KEY_VALUE.match(line):
        return at("text after the closing quote", "put the whole value inside the quotes, or start a comment "
                  "with ` #`", where=(line_no, column))
    if context_mark is not None and context_mark.line < line_no:
        expected = context_mark.column
        above = _previous_content(lines, line_no)
        inner = _indent(lines[above]) if above is not None else expected
        also = f", or with {inner} like line {above + 1} if it belongs with it" if inner not in (expected, _indent(line)) else ""
        return at(f"this line is indented by {_indent(line)} spaces, but the fields of the mapping that starts "
                  f"on line {context_mark.line + 1} are indented by {expected}",
                  f"indent it with {expected} spaces like the fields of that mapping{also}", where=(line_no, 0))
    return at("the indentation of this line does not fit the lines above it",
              "indent fields of the same mapping with the same number of spaces", where=(line_no, 0))


def _unsupported_or(line_no, column, at, what):
    return at(f"{what}: valid YAML, but the YAML reader forcewatch uses (libyaml) does not accept it",
              "put the value in quotes", code="yaml-unsupported")


def _previous_content(lines, line_no):
    for number in range(line_no - 1, -1, -1):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return None


def _unclosed_quote(lines, upto):
    """(line, column, quote) of the last `key: "...` line at or before `upto` whose quote is
    not closed on that line, or None. Records write quoted values on one line; a quote left
    open runs into the next lines, and libyaml then fails further down."""
    found = None
    for number in range(0, min(upto, len(lines) - 1) + 1):
        line = lines[number]
        match = _KEY_VALUE.match(line)
        start = match.end() if match else (len(line) - len(line.lstrip(" -")) if line.lstrip().startswith("- ") else None)
        if start is None:
            continue
        rest = line[start:].lstrip(" ")
        col = len(line) - len(rest)
        if rest[:1] == '"' and not _closes_double(rest):
            found = (number, col, '"')
        elif rest[:1] == "'" and rest.count("'") % 2 == 1:
            found = (number, col, "'")
    return found


def _closes_double(rest: str) -> bool:
    escaped = False
    for c in rest[1:]:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == '"':
            return True
    return False
