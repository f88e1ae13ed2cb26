"""Issues and reports as plain data; the CLI only renders them."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import codes

REPORT_FORMAT_VERSION = 1

# However many mistakes a file holds, the report shows a bounded number of each kind, so that
# a hostile or broken file cannot flood the output (or take minutes to report): the first
# issues of a code in a file, and of a code in a run, are shown; the rest are counted.
SHOWN_PER_FILE = 50
SHOWN_PER_RUN = 1000


def json_path(parts) -> str:
    """Render a path of keys and indices as a JSONPath-like string: `$.casualties[0].best`."""
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


@dataclass(frozen=True)
class Issue:
    code: str
    file: str
    message: str
    path: str = "$"
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    severity: str = ""

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "hint": self.hint,
        }

    def sort_key(self):
        return (self.file, self.line or 0, self.column or 0, self.code, self.path, self.message)


def make_issue(code: str, file: str, message: str, *, path="$", line=None, column=None,
               hint=None, severities: dict | None = None) -> Issue:
    """Build an issue with its severity from the catalogue (or the configured override)."""
    severity = (severities or {}).get(code) or codes.get(code).severity
    return Issue(code=code, file=file, message=message, path=path, line=line, column=column,
                 hint=hint, severity=severity)


@dataclass
class Report:
    files: int = 0
    records: int = 0
    issues: list[Issue] = field(default_factory=list)
    # (file, code) -> how many issues of that code in that file are not shown (see SHOWN_PER_FILE)
    left_out: dict = field(default_factory=dict)
    # The loaded records (forcewatch.checks.dataset.Entry), for callers such as `build`;
    # not part of the JSON report.
    entries: list = field(default_factory=list, repr=False, compare=False)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == codes.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == codes.WARNING]

    @property
    def valid(self) -> bool:
        return not self.errors

    def sorted_issues(self) -> list[Issue]:
        return sorted(self.issues, key=Issue.sort_key)

    def leave_out(self, file: str, code: str, count: int) -> None:
        if count > 0:
            self.left_out[(file, code)] = self.left_out.get((file, code), 0) + count

    def bound(self, per_run: int = SHOWN_PER_RUN) -> None:
        """Keep the first `per_run` issues of each code (in report order); count the rest."""
        shown: dict[str, int] = {}
        kept = []
        for issue in self.sorted_issues():
            n = shown.get(issue.code, 0)
            if n < per_run:
                shown[issue.code] = n + 1
                kept.append(issue)
            else:
                self.leave_out(issue.file, issue.code, 1)
        self.issues = kept

    def left_out_list(self) -> list[dict]:
        return [{"file": f, "code": c, "count": n} for (f, c), n in sorted(self.left_out.items())]

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        """The report that `to_dict` gave (without `entries`)."""
        report = cls(files=data["summary"]["files"], records=data["summary"]["records"])
        report.issues = [Issue(i["code"], i["file"], i["message"], i["path"], i["line"], i["column"], i["hint"],
                               i["severity"]) for i in data["issues"]]
        for item in data.get("left_out", ()):
            report.leave_out(item["file"], item["code"], item["count"])
        return report

    def to_dict(self) -> dict:
        """The stable JSON report (documented in docs/reference/report-format.md)."""
        return {
            "report_format": REPORT_FORMAT_VERSION,
            "valid": self.valid,
            "summary": {
                "files": self.files,
                "records": self.records,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "left_out": sum(self.left_out.values()),
            },
            "issues": [i.to_dict() for i in self.sorted_issues()],
            "left_out": self.left_out_list(),
        }
