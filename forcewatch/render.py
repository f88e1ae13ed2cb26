"""Render a validation report for people (text) and for GitHub Actions (annotations)."""

from __future__ import annotations

from . import codes

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escaped(text: str) -> str:
    """Text with every character that is not printable (a newline, a terminal escape, an
    invisible direction control) written as an escape, so that one issue stays one line and
    a file name or a key cannot move, hide or recolour what is around it."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _ESCAPES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else
                                                                 f"\\u{ord(c):04x}" if ord(c) < 0x10000 else
                                                                 f"\\U{ord(c):08x}")
                   for c in text)


def shown_file(name: str) -> str:
    """A file name as the text format shows it: as it is, or, when it needs escaping, in
    double quotes with C-style escapes (as git shows such names)."""
    if name.isprintable():
        return name
    return '"' + escaped(name.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def render_text(report, colour: bool = False) -> str:
    red, yellow, green, dim, bold, reset = (
        ("\033[31m", "\033[33m", "\033[32m", "\033[2m", "\033[1m", "\033[0m") if colour else ("",) * 6)
    lines = []
    left_out = _left_out_by_file(report)
    previous = None
    for issue in report.sorted_issues():
        if issue.file != previous:
            lines.extend(_left_out_lines(left_out.pop(previous, ()), dim, reset))
            previous = issue.file
        where = shown_file(issue.file)
        if issue.line:
            where += f":{issue.line}" + (f":{issue.column}" if issue.column else "")
        tint = red if issue.severity == codes.ERROR else yellow
        lines.append(f"{bold}{where}{reset}: {tint}{issue.severity}{reset} [{issue.code}] {escaped(issue.message)}")
        detail = f"  at {escaped(issue.path)}" if issue.path and issue.path != "$" else ""
        if issue.hint:
            detail += ("; " if detail else "  ") + f"fix: {escaped(issue.hint)}"
        if detail:
            lines.append(f"{dim}{detail}{reset}")
    lines.extend(_left_out_lines(left_out.pop(previous, ()), dim, reset))
    for rest in left_out.values():
        lines.extend(_left_out_lines(rest, dim, reset))
    n_err, n_warn = len(report.errors), len(report.warnings)
    if report.valid:
        summary = f"{green}valid{reset}: {report.records} records in {report.files} files"
        if n_warn:
            summary += f", {n_warn} warning{'s' if n_warn != 1 else ''}"
        if report.left_out:
            summary += f", and {sum(report.left_out.values())} more warnings left out (listed above by code)"
    else:
        bad_files = len({i.file for i in report.errors})
        summary = (f"{red}invalid{reset}: {n_err} error{'s' if n_err != 1 else ''}"
                   f" and {n_warn} warning{'s' if n_warn != 1 else ''}"
                   f" in {bad_files} of {report.files} files")
        if report.left_out:
            summary += f", and {sum(report.left_out.values())} more issues left out (listed above by code)"
        summary += "\n`forcewatch explain CODE` explains an issue code and how to fix it"
    lines.append(summary)
    return "\n".join(lines)



def _left_out_by_file(report) -> dict:
    by_file: dict = {}
    for (file, code), count in sorted(report.left_out.items()):
        by_file.setdefault(file, []).append((file, code, count))
    return by_file


def _left_out_lines(items, dim="", reset="") -> list[str]:
    return [f"{dim}{shown_file(file)}: {count} more [{code}] issue{'s' if count != 1 else ''} left out{reset}"
            for file, code, count in items]


def _escape_data(text: str) -> str:
    """A workflow command's message: GitHub's own escapes (it turns them back into the
    characters), then visible escapes for the other characters that are not printable."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return escaped(text)


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report) -> str:
    """GitHub Actions workflow commands: each issue shows on the pull request's diff."""
    lines = []
    for issue in report.sorted_issues():
        level = "error" if issue.severity == codes.ERROR else "warning"
        props = [f"file={_escape_property(issue.file)}"]
        if issue.line:
            props.append(f"line={issue.line}")
            if issue.column:
                props.append(f"col={issue.column}")
        props.append(f"title={_escape_property(issue.code)}")
        message = issue.message + (f" ({issue.path})" if issue.path and issue.path != "$" else "")
        if issue.hint:
            message += f" - fix: {issue.hint}"
        lines.append(f"::{level} {','.join(props)}::{_escape_data(message)}")
    for (file, code), count in sorted(report.left_out.items()):
        lines.append(f"::notice file={_escape_property(file)},title={_escape_property(code)}::"
                     + _escape_data(f"{count} more [{code}] issue{'s' if count != 1 else ''} left out"))
    n_err, n_warn = len(report.errors), len(report.warnings)
    lines.append(f"forcewatch: {'valid' if report.valid else 'invalid'}: {n_err} error(s), {n_warn} warning(s) "
                 f"in {report.files} file(s)")
    return "\n".join(lines)
