"""The harm summary: the one figure to count for each incident, party group and harm.

A record keeps every source's casualty figure (`casualties`); this module says which one
counts, by one rule (docs/methodology.md, "Counting killed and injured"). Pure functions of
plain data, standard library only: validation, the release, `forcewatch stats`,
`forcewatch coverage` and the docs site all count with it.

1. **Parties nest**, as the schema states beside the party vocabulary
   (`x-forcewatch-parts`): `us-personnel` is `us-military` + `us-contractor`, and `all` is
   `us-personnel` + every other party. The parts of a whole are disjoint: each person is in
   one part.
2. **The figure of one party and harm** (`choose`) is the row marked `preferred: true`, or
   the only figure (rows that state the same numbers with the same qualifier are one figure,
   from all their sources). A row marked `preferred: false` is superseded and does not
   count; a row that says only `unknown` does not rival a number. When rows still disagree
   with none preferred, or with several preferred, the figure is the range they span
   (`range-of-figures`), and validation warns (`conflicting-figures`).
3. **What a figure says** (`reading`): an `exact` figure is its own low and high; `at-least`
   is a lower bound, `at-most` an upper one; "several" is read as at least 2 and "dozens"
   as at least 24 (`QUALITATIVE_LOW`), never as a best figure; `unknown` gives no number.
4. **A whole and its parts** are never added together. A party's figure comes from its own
   rows (the whole) or from the sum of its parts (`sum-of-parts`), whichever says more: the
   whole when it gives a best figure (it counts everyone, also people no part names), else
   the parts' sum when it has a best figure that fits the whole's bounds, else the one with
   the higher lower bound. A whole below its parts' sum contradicts them
   (`whole-below-parts`): the summary then takes the parts.
5. **Zero means zero**: a whole of 0 makes 0 every group that no figure speaks of (rule
   `whole`). A group no figure speaks of otherwise has no summary: unknown, never 0.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

PARTS_KEYWORD = "x-forcewatch-parts"
HARMS = ("killed", "injured")
EVERYONE = "all"
US = "us-personnel"
# How a summary figure was found, in the words of the `rule` column of `incident_harm`.
RULES = {
    "only-figure": "The party's only figure (rows stating the same figure count as one, from all their sources).",
    "preferred-figure": "The figure the record marks `preferred` among the party's disagreeing figures.",
    "range-of-figures": "The party's figures disagree and none (or more than one) is preferred: the range they span.",
    "sum-of-parts": "The sum of the figures of the party's parts (e.g. U.S. military + U.S. contractors).",
    "whole": "No figure speaks of the party, and the figure of the whole it belongs to is 0.",
}
# "several" and "dozens" give no number; read as lower bounds only, never as a best figure.
QUALITATIVE_LOW = {"several": 2, "dozens": 24}
# The short names the incidents table gives its summary columns (`us_killed_best`, ...).
COLUMN_PREFIX = {US: "us", EVERYONE: "total"}
# Groups that `group_total` also knows: the target groups of tally records.
COMBINED_GROUPS = {"us": (US,), "total": (EVERYONE,), "us-and-coalition": (US, "coalition-military")}


class Figure(NamedTuple):
    """A count: low / best / high (None: not known), how it is stated, which rule gave it and
    the keys of the sources behind it. (A named tuple: the release makes a few per record.)"""
    low: int | None
    best: int | None
    high: int | None
    qualifier: str
    rule: str
    sources: tuple = ()

    @property
    def count(self) -> int | None:
        """The number to add up: the best figure, else the lower bound (None if neither)."""
        return self.best if self.best is not None else self.low

    @property
    def numbered(self) -> bool:
        return self.low is not None or self.best is not None or self.high is not None

    @property
    def zero(self) -> bool:
        return self.high == 0

    def to_dict(self) -> dict:
        return {"low": self.low, "best": self.best, "high": self.high, "qualifier": self.qualifier,
                "rule": self.rule, "sources": list(self.sources)}


@dataclass(frozen=True)
class Choice:
    """The figure of one party and harm among its rows, and what validation needs to know."""
    figure: Figure | None
    distinct: int  # distinct figures among the rows that count
    preferred: tuple  # indices (in the rows given) of the rows marked preferred: true


@dataclass(frozen=True)
class Contradiction:
    """A whole whose figure is below the sum of its parts' figures (`whole-below-parts`)."""
    harm: str
    whole: str
    whole_figure: Figure
    parts: tuple  # the parts that have a figure
    parts_figure: Figure
    row: int | None  # index in `casualties` of a row of the whole's figure


@dataclass
class Analysis:
    figures: dict = field(default_factory=dict)  # (party, harm) -> Figure, for every party with one
    contradictions: list = field(default_factory=list)
    choices: dict = field(default_factory=dict)  # (party, harm) -> Choice of the party's own rows

    def figure(self, party: str, harm: str) -> Figure | None:
        return self.figures.get((party, harm))


# --- the parties' nesting, from the schema ------------------------------------------------------

def parts_from_party_schema(party_schema: dict) -> dict[str, tuple[str, ...]]:
    """whole -> its parts, as the party vocabulary's `x-forcewatch-parts` states them, checked:
    every name is a term, no party is a part of two wholes, and no whole contains itself."""
    terms = set(party_schema.get("enum") or ())
    raw = party_schema.get(PARTS_KEYWORD)
    if not isinstance(raw, dict):
        raise ValueError(f"the party vocabulary has no `{PARTS_KEYWORD}` mapping")
    parts: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for whole, members in raw.items():
        if whole not in terms or not isinstance(members, list) or not members:
            raise ValueError(f"`{PARTS_KEYWORD}`: `{whole}` must be a party term with a non-empty list of parts")
        for member in members:
            if member not in terms or member in owner:
                raise ValueError(f"`{PARTS_KEYWORD}`: `{member}` is not a party term, or is a part of two wholes")
            owner[member] = whole
        parts[whole] = tuple(members)
    for start in parts:
        seen, todo = set(), list(parts[start])
        while todo:
            current = todo.pop()
            if current == start:
                raise ValueError(f"`{PARTS_KEYWORD}`: `{start}` contains itself")
            if current not in seen:
                seen.add(current)
                todo.extend(parts.get(current, ()))
    if EVERYONE not in parts:
        raise ValueError(f"`{PARTS_KEYWORD}` must say what `{EVERYONE}` is made of")
    return parts


def party_schema_of(incident_schema: dict) -> dict:
    items = incident_schema["properties"]["casualties"]["items"]
    return items["properties"]["party"]


@lru_cache(maxsize=None)
def _parts_at(path: str, mtime_ns: int) -> dict[str, tuple[str, ...]]:
    schema = json.loads(Path(path).read_text(encoding="utf-8"))
    return parts_from_party_schema(party_schema_of(schema))


def load_parts(schema_dir: Path) -> dict[str, tuple[str, ...]]:
    """The nesting of parties stated by `schema_dir/incident.schema.json` (read once)."""
    path = Path(schema_dir) / "incident.schema.json"
    return _parts_at(str(path.resolve()), path.stat().st_mtime_ns)


@lru_cache(maxsize=None)
def default_parts() -> dict[str, tuple[str, ...]]:
    """The nesting stated by the schema of the repository being worked on, read once per
    process: the nearest folder with `schema/VERSION` from the current one upwards (as the
    `forcewatch` command finds the repository), else the one the toolkit sits in (an editable
    install). Record checks and the release's derived columns get no schema set, so they
    read it here."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents, Path(__file__).resolve().parents[1]):
        if (folder / "schema" / "VERSION").is_file() and (folder / "schema" / "incident.schema.json").is_file():
            return load_parts(folder / "schema")
    raise ValueError(f"no forcewatch schema found at or above {here}: run forcewatch from the repository")


def summary_groups(parts: dict) -> tuple[str, ...]:
    """The groups every summary gives: the parts of `all` (disjoint, so they add up), then `all`."""
    return (*parts[EVERYONE], EVERYONE)


def leaves(party: str, parts: dict) -> tuple[str, ...]:
    """The parties a party is made of at the finest level (itself if it has no parts)."""
    if party not in parts:
        return (party,)
    return tuple(leaf for part in parts[party] for leaf in leaves(part, parts))


# --- one figure ------------------------------------------------------------------------------

def _number(row: dict, key: str):
    value = row.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def reading(row: dict) -> tuple[int | None, int | None, int | None]:
    """(low, best, high) that a stated figure means, by its qualifier (see the module's rule 3)."""
    low, best, high = (_number(row, k) for k in ("low", "best", "high"))
    qualifier = row.get("qualifier")
    if qualifier == "exact" and best is not None:
        low = best if low is None else low
        high = best if high is None else high
    elif qualifier == "at-least" and low is None:
        low = best
    elif qualifier == "at-most" and high is None:
        high = best
    elif qualifier in QUALITATIVE_LOW and low is None:
        low = QUALITATIVE_LOW[qualifier]
    return low, best, high


def _key(row: dict) -> tuple:
    return (*(_number(row, k) for k in ("low", "best", "high")), row.get("qualifier"))


def _sources(rows) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key for row in rows for key in (row.get("sources") or ())))


def _stated(rows: list[dict], rule: str) -> Figure:
    low, best, high = reading(rows[0])
    return Figure(low, best, high, rows[0].get("qualifier") or "unknown", rule, _sources(rows))


def derived_qualifier(low, best, high, qualifiers, shared: bool = True) -> str:
    """How to state a figure made of others: a sum keeps its parts' qualifier when they share
    one (`shared`); otherwise, and for a range, what its numbers are."""
    qualifiers = set(qualifiers)
    if shared and len(qualifiers) == 1:
        return next(iter(qualifiers))
    if best is not None:
        if low == best == high:
            return "exact"
        if "approximately" in qualifiers:
            return "approximately"
        if low is not None and high is not None:
            return "range"
        return "at-least" if low is not None else "at-most" if high is not None else "approximately"
    stated = qualifiers - {"unknown"}
    if stated and stated <= set(QUALITATIVE_LOW):
        return "dozens" if "dozens" in stated else "several"
    if low is not None and high is not None:
        return "exact" if low == high else "range"
    return "at-least" if low is not None else "at-most" if high is not None else "unknown"


def _range(rows: list[dict]) -> Figure:
    """The span of disagreeing figures: from the lowest lower bound to the highest upper bound,
    open where one of them has none; a best figure only if they all give the same."""
    readings = [reading(row) for row in rows]
    # An approximate figure bounds the range by its number ("about 20" to "about 30").
    lows = [lo if lo is not None or row.get("qualifier") != "approximately" else b
            for row, (lo, b, _) in zip(rows, readings)]
    highs = [hi if hi is not None or row.get("qualifier") != "approximately" else b
             for row, (_, b, hi) in zip(rows, readings)]
    bests = [b for _, b, _ in readings]
    low = min(lows) if None not in lows else None
    high = max(highs) if None not in highs else None
    best = bests[0] if None not in bests and len(set(bests)) == 1 else None
    qualifier = derived_qualifier(low, best, high, (row.get("qualifier") for row in rows), shared=False)
    if low == 0 and best is None and high is None:  # "at least 0" says nothing
        low, qualifier = None, "unknown"
    return Figure(low, best, high, qualifier, "range-of-figures", _sources(rows))


def choose(rows: list[dict]) -> Choice:
    """The figure of one party and harm (or of one weapon's munitions) among its rows: the
    module's rule 2."""
    counted = [row for row in rows if row.get("preferred") is not False]
    preferred = tuple(i for i, row in enumerate(rows) if row.get("preferred") is True)
    if not counted:
        return Choice(None, 0, preferred)
    informative = [row for row in counted if row.get("qualifier") != "unknown" or row.get("preferred")]
    counted = informative or counted
    groups: dict[tuple, list[dict]] = {}
    for row in counted:
        groups.setdefault(_key(row), []).append(row)
    distinct = len(groups)
    if len(preferred) == 1:
        return Choice(_stated(groups[_key(rows[preferred[0]])], "preferred-figure"), distinct, preferred)
    pool = [rows[i] for i in preferred] if preferred else counted
    pool_groups = {_key(row) for row in pool}
    if len(pool_groups) == 1:
        same = groups[_key(pool[0])]
        return Choice(_stated(same, "preferred-figure" if preferred else "only-figure"), distinct, preferred)
    return Choice(_range(pool), distinct, preferred)


# --- a whole and its parts -----------------------------------------------------------------------

def sum_of(figures: list[Figure]) -> Figure:
    """The sum of disjoint parts' figures: lower bounds add (a part without one adds 0), best
    figures and upper bounds only when every part has one."""
    lows = [f.low for f in figures if f.low is not None]
    low = sum(lows) if lows else None
    best = sum(f.best for f in figures) if all(f.best is not None for f in figures) else None
    high = sum(f.high for f in figures) if all(f.high is not None for f in figures) else None
    qualifier = derived_qualifier(low, best, high, (f.qualifier for f in figures))
    return Figure(low, best, high, qualifier, "sum-of-parts",
                  tuple(dict.fromkeys(key for f in figures for key in f.sources)))


def below(whole: Figure, parts: list[Figure]) -> bool:
    """True when a whole's figure is smaller than its parts' figures together: its upper bound
    (or its best) under their floor (their lower bounds, or their best figures where they have
    no lower bound), its best under their best, or 0 beside a part whose figure has no number."""
    floor = sum(f.low if f.low is not None else (f.best or 0) for f in parts)
    top = whole.high if whole.high is not None else whole.best
    if top is not None and top < floor:
        return True
    if whole.best is not None and all(f.best is not None for f in parts) and whole.best < sum(f.best for f in parts):
        return True
    return whole.zero and any(not f.numbered for f in parts)


def _fuller(whole: Figure, parts: Figure) -> Figure:
    """Of a whole's own figure and its parts' sum, which agree, the one that says more."""
    if whole.best is not None:
        return whole  # it counts everyone, also people no part names
    if parts.best is not None:
        return whole if whole.low is not None and parts.best < whole.low else parts
    return parts if (parts.low or 0) > (whole.low or 0) else whole


def _rows_by_party(casualties, harm: str) -> dict[str, list[tuple[int, dict]]]:
    found: dict[str, list[tuple[int, dict]]] = {}
    for i, row in enumerate(casualties or ()):
        if isinstance(row, dict) and row.get("harm") == harm and isinstance(row.get("party"), str):
            found.setdefault(row["party"], []).append((i, row))
    return found


def _row_of(figure: Figure, rows: list[tuple[int, dict]]) -> int | None:
    """The index of a row whose figure is `figure` (to point an issue at), else the first."""
    for i, row in rows:
        if reading(row) == (figure.low, figure.best, figure.high) and row.get("preferred") is not False:
            return i
    return rows[0][0] if rows else None


def _analyse_harm(harm: str, casualties, parts: dict, analysis: Analysis) -> None:
    by_party = _rows_by_party(casualties, harm)
    if not by_party:
        return  # nothing is said of this harm: every group unknown
    own: dict[str, Figure | None] = {}
    spoken = {p for party in by_party for p in _with_wholes(party, parts)}

    def figure_of(party: str) -> Figure | None:
        if party not in spoken:  # no row of it or of a part of it
            return None
        rows = by_party.get(party, [])
        choice = choose([row for _, row in rows])
        if rows:
            analysis.choices[(party, harm)] = choice
        whole = own[party] = choice.figure
        present = [(p, f) for p in parts.get(party, ()) if (f := figure_of(p)) is not None]
        summed = sum_of([f for _, f in present]) if present else None
        if whole is None or summed is None:
            result = whole or summed
        elif below(whole, [f for _, f in present]):
            analysis.contradictions.append(Contradiction(harm, party, whole, tuple(p for p, _ in present), summed,
                                                         _row_of(whole, rows)))
            own[party] = None  # a contradicted whole makes nothing 0
            result = summed
        else:
            result = _fuller(whole, summed)
        if result is not None:
            analysis.figures[(party, harm)] = result
        return result

    figure_of(EVERYONE)
    if any(figure is not None and figure.zero for figure in own.values()):
        _zero_down(EVERYONE, harm, parts, own, analysis)


def _with_wholes(party: str, parts: dict) -> list[str]:
    """The party and every whole that contains it."""
    found = [party]
    for whole, members in parts.items():
        if party in members:
            found += _with_wholes(whole, parts)
    return found


def _zero_down(party: str, harm: str, parts: dict, own: dict, analysis: Analysis, zero: Figure | None = None) -> None:
    """Rule 5: the parts of a whole of 0 that no figure speaks of are 0."""
    if zero is not None and (party, harm) not in analysis.figures:
        analysis.figures[(party, harm)] = Figure(0, 0, 0, "exact", "whole", zero.sources)
    mine = own.get(party)
    if mine is not None and mine.zero:
        zero = mine
    for part in parts.get(party, ()):
        _zero_down(part, harm, parts, own, analysis, zero)


def analyse(casualties, parts: dict | None = None) -> Analysis:
    """The harm summary of one incident's `casualties` (a list of figure rows, as in the record
    or as the release reads them, None for a missing field): every party's figure, and the
    wholes that contradict their parts."""
    parts = default_parts() if parts is None else parts
    analysis = Analysis()
    for harm in HARMS:
        _analyse_harm(harm, casualties, parts, analysis)
    return analysis


def summary_rows(casualties, parts: dict | None = None) -> list[dict]:
    """The summary as rows, one per group of `summary_groups` and harm that has a figure."""
    parts = default_parts() if parts is None else parts
    analysis = analyse(casualties, parts)
    rows = []
    for group in summary_groups(parts):
        for harm in HARMS:
            figure = analysis.figure(group, harm)
            if figure is not None:
                rows.append({"party": group, "harm": harm, **figure.to_dict()})
    return rows


def group_figure(record: dict, group: str, harm: str, parts: dict | None = None) -> Figure | None:
    """The summary figure of one group (a party, or a name of `COMBINED_GROUPS`) of a record."""
    parts = default_parts() if parts is None else parts
    analysis = analyse(record.get("casualties"), parts)
    members = COMBINED_GROUPS.get(group, (group,))
    found = [f for f in (analysis.figure(m, harm) for m in members) if f is not None]
    if not found:
        return None
    return found[0] if len(found) == 1 else sum_of(found)


def group_total(record: dict, group: str, harm: str, parts: dict | None = None) -> int | None:
    """The number to add up for a group of a record: its best figure, else its lower bound;
    None when no figure speaks of it."""
    figure = group_figure(record, group, harm, parts)
    return figure.count if figure else None


def describe(figure: Figure | None) -> str:
    """A summary figure in words: `5`, `at least 22`, `several (at least 2)`, `6 to 7`, `unknown`."""
    if figure is None:
        return "unknown"
    low, best, high, qualifier = figure.low, figure.best, figure.high, figure.qualifier
    if qualifier in QUALITATIVE_LOW:
        return qualifier + (f" (at least {low:,})" if low is not None else "")
    if best is not None:
        if low == best == high:
            return f"{best:,}"
        text = ("about " if qualifier == "approximately" else "") + f"{best:,}"
        bounds = [f"at least {low:,}" if low is not None else "", f"at most {high:,}" if high is not None else ""]
        bounds = [b for b in bounds if b]
        return text + (f" ({', '.join(bounds)})" if bounds else "")
    if low is not None and high is not None:
        return f"{low:,} to {high:,}"
    if low is not None:
        return f"at least {low:,}"
    if high is not None:
        return f"at most {high:,}"
    return "unknown"


# --- in the release -------------------------------------------------------------------------------

# The fields of an incident the summary reads (`release.tables.Derived.needs`).
NEEDS = {"casualties": [{"party": "string", "harm": "string", "low": "integer", "best": "integer", "high": "integer",
                         "qualifier": "string", "preferred": "boolean", "sources": "list"}]}
FIGURE_FIELDS = ("low", "best", "high", "qualifier")


def release_summary(record: dict) -> dict:
    """What the release says of an incident's harm, computed once per record: the incidents
    table's columns (`us_killed_low`, ..., `total_injured_qualifier`) and, under `rows`, the
    `incident_harm` table's rows.

    Incidents share a few shapes of casualty lists ("all injured 0", "U.S. military injured
    N"), so the summary of each shape is kept (figures, and the rows whose sources they
    cite); a record of a known shape only gets its own source keys put in."""
    casualties = record.get("casualties") or []
    shape = tuple(tuple(row.get(k) for k in _SHAPE_FIELDS) for row in casualties)
    made = _SHAPES.get(shape)
    if made is None:
        made = summary_of([{**row, "sources": [i]} for i, row in enumerate(casualties)])
        if len(_SHAPES) >= _SHAPES_KEPT:
            _SHAPES.clear()
        _SHAPES[shape] = made
    if not made["rows"]:
        return made
    keys = [row.get("sources") or () for row in casualties]
    rows = [{**row, "sources": list(dict.fromkeys(k for i in row["sources"] for k in keys[i]))} for row in made["rows"]]
    return {**made, "rows": rows}


_SHAPE_FIELDS = ("party", "harm", "low", "best", "high", "qualifier", "preferred")
_SHAPES: dict = {}
_SHAPES_KEPT = 4096


def summary_of(casualties) -> dict:
    """`release_summary` of a casualty list, computed afresh."""
    parts = default_parts()
    analysis = analyse(casualties, parts)
    out: dict = {}
    for party, prefix in COLUMN_PREFIX.items():
        for harm in HARMS:
            figure = analysis.figure(party, harm)
            for name in FIGURE_FIELDS:
                out[f"{prefix}_{harm}_{name}"] = getattr(figure, name) if figure else None
    out["rows"] = [{"party": group, "harm": harm, **figure.to_dict()}
                   for group in summary_groups(parts) for harm in HARMS
                   if (figure := analysis.figure(group, harm)) is not None]
    return out
