"""Docs are tested like code: every Python example in the docs (README, the contributor guide,
docs/) runs against a freshly built release, from a folder where it sits at `dist/dev/` (as
`python3 tasks.py all` leaves it), and the answers the quickstart's examples give are checked
against a computation from the records themselves, written here apart from forcewatch's own
code: U.S. killed and injured over the campaign, attacks on U.S. forces per month and
country, the claimant with most claims."""

import contextlib
import io
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from forcewatch.yamlsafe import load_text

from .conftest import REPO

DOCS = [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").rglob("*.md"))]
_BLOCK = re.compile(r"^( *)```python[ \t]*\n(.*?)^\1```[ \t]*$", re.S | re.M)


def python_examples() -> list[tuple[str, str]]:
    """(where, code) of every ```python block, dedented (tabbed blocks are indented)."""
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for match in _BLOCK.finditer(text):
            indent, body = match.group(1), match.group(2)
            code = "\n".join(line[len(indent):] for line in body.splitlines())
            line = text[:match.start()].count("\n") + 1
            found.append((f"{path.relative_to(REPO)}:{line}", code))
    return found


EXAMPLES = python_examples()


@pytest.fixture(scope="module")
def workdir(release, tmp_path_factory) -> Path:
    """A folder whose dist/dev/ is the release built for this test session."""
    folder = tmp_path_factory.mktemp("analyst")
    (folder / "dist").mkdir()
    os.symlink(release, folder / "dist" / "dev")
    return folder


def run_example(code: str, where: str, folder: Path) -> tuple[dict, str]:
    namespace: dict = {"__name__": "__docs__"}
    out = io.StringIO()
    before = Path.cwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, where, "exec"), namespace)
    finally:
        os.chdir(before)
    return namespace, out.getvalue()


# --- the answers, computed from the records -------------------------------------------------------

def _records(kind: str) -> list[dict]:
    return [load_text(p.read_text(encoding="utf-8")).data for p in sorted((REPO / "datasets" / kind).rglob("*.yaml"))]


def _figure(rows: list[dict], party: str) -> tuple[bool, int | None]:
    """(has a figure, its best) of one party: the preferred row, or the rows if they agree."""
    mine = [r for r in rows if r["party"] == party and r.get("preferred") is not False]
    chosen = [r for r in mine if r.get("preferred")] or mine
    if not chosen:
        return False, None
    stated = {(r.get("low"), r.get("best"), r.get("high"), r["qualifier"]) for r in chosen}
    return True, (chosen[0].get("best") if len(stated) == 1 else None)


def us_best(record: dict, harm_kind: str) -> int | None:
    """U.S. personnel: their own figure if it has a number, else military + contractors if
    both known (or the one reported), else 0 if no U.S. figure and everyone is 0."""
    rows = [r for r in record.get("casualties", []) if r["harm"] == harm_kind]
    whole, whole_best = _figure(rows, "us-personnel")
    parts = [_figure(rows, p) for p in ("us-military", "us-contractor")]
    reported = [best for has, best in parts if has]
    parts_best = sum(reported) if reported and None not in reported else None
    if whole_best is not None and (parts_best is None or whole_best >= parts_best):
        return whole_best
    if parts_best is not None:
        return parts_best
    if not whole and not reported:
        everyone, everyone_best = _figure(rows, "all")
        return 0 if everyone and everyone_best == 0 else None
    return None


def active_incidents() -> list[dict]:
    return [r for r in _records("incidents") if r["status"] == "active"]


def belonging_to(root: str) -> set[str]:
    parents = {a["id"]: {r["actor"] for r in a.get("relations", []) if r["relation"] in ("part-of", "member-of")}
               for a in _records("actors")}

    def belongs(actor, seen=()):
        return actor == root or any(belongs(p, (*seen, actor)) for p in parents.get(actor, ()) if p not in seen)
    return {a for a in parents if belongs(a)}


def expected_answers() -> dict:
    incidents = active_incidents()
    campaign = [r for r in incidents if "2023-10-17" <= r["when"]["start"] <= "2024-08-31"]
    us = belonging_to("united-states")
    attacks = Counter((r["when"]["start"][:7], r["place"]["country"]) for r in incidents
                      if r["event_type"] in ("attack", "interception")
                      and any(a["role"] == "target" and a["actor"] in us for a in r["actors"]))
    claims = Counter(a for r in incidents for a in {x["actor"] for x in r["actors"] if x["role"] == "claimed"})
    iri = belonging_to("islamic-resistance-in-iraq")
    return {
        "us_killed": sum(us_best(r, "killed") or 0 for r in campaign),
        "us_injured": sum(us_best(r, "injured") or 0 for r in campaign),
        "attacks_per_month": sorted((month, country, n) for (month, country), n in attacks.items()),
        "top_claimant": min(claims, key=lambda a: (-claims[a], a)),
        "claimed_by_iri": sum(1 for r in incidents if any(x["role"] == "claimed" and x["actor"] in iri for x in r["actors"])),
    }


def _as_rows(value) -> list[tuple]:
    """A table of (month, country, attacks) from pandas, polars or DuckDB, as sorted tuples."""
    if hasattr(value, "itertuples"):  # pandas
        return sorted((r.month, r.country, int(r.attacks)) for r in value.itertuples())
    if hasattr(value, "iter_rows"):  # polars
        return sorted((m, c, int(n)) for m, c, n in value.select("month", "country", "attacks").iter_rows())
    return sorted((m, c, int(n)) for m, c, n in value)


# --- the tests ----------------------------------------------------------------------------------------

def test_the_docs_have_python_examples():
    where = [w.split(":")[0] for w, _ in EXAMPLES]
    assert "README.md" in where and where.count("docs/quickstart.md") >= 3  # pandas, polars, DuckDB


@pytest.mark.parametrize("where, code", EXAMPLES, ids=[w for w, _ in EXAMPLES])
def test_every_python_example_runs_against_a_fresh_release(where, code, workdir):
    assert "dist/1." not in code, "examples read the release where `python3 tasks.py all` builds it: dist/dev/"
    namespace, _ = run_example(code, where, workdir)
    answers = expected_answers()
    checked = 0
    for name, expected in answers.items():
        if name in namespace:
            got = namespace[name]
            got = _as_rows(got) if name == "attacks_per_month" else got
            assert got == expected, (where, name)
            checked += 1
    if where.startswith("docs/quickstart.md"):
        assert checked == len(answers), f"{where} leaves out {set(answers) - set(namespace)}"


def test_the_answers_are_not_trivial_and_match_the_worked_examples():
    """The reference computation reads the 5 August 2024 and Tower 22 records as the
    methodology does, and the campaign has attacks and claims to count."""
    answers = expected_answers()
    by_id = {r["id"]: r for r in active_incidents()}
    assert us_best(by_id["inc-2024-08-05-ain-al-asad-rockets"], "injured") == 5
    assert us_best(by_id["inc-2024-01-28-tower-22-drone-attack"], "killed") == 3
    assert answers["us_killed"] >= 3 and answers["us_injured"] >= 5
    assert sum(n for _, _, n in answers["attacks_per_month"]) >= 10
    assert answers["claimed_by_iri"] >= 1


def test_pandas_example_loads_dates_as_dates(workdir):
    where, code = next((w, c) for w, c in EXAMPLES if w.startswith("docs/quickstart.md") and "import pandas" in c)
    namespace, printed = run_example(code, where, workdir)
    assert str(namespace["incidents"]["date_start"].dtype).startswith("datetime64")
    assert f"U.S. killed: {namespace['us_killed']}" in printed
