"""The harm summary (`forcewatch.harm`): the one figure to count per incident, party group and
harm. Each rule of the methodology's "Counting killed and injured" has a case here; the
worked examples are the real records; generated casualty lists hold the invariants."""

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcewatch import harm
from forcewatch.memberships import ancestors, memberships
from forcewatch.yamlsafe import load_text

from .conftest import REPO

PARTS = harm.default_parts()


def record(rid: str) -> dict:
    path = next((REPO / "datasets" / "incidents").rglob(f"{rid}.yaml"))
    return load_text(path.read_text()).data


def fig(party, harm_kind, qualifier="exact", sources=("s",), **numbers):
    return {"party": party, "harm": harm_kind, "qualifier": qualifier, "sources": list(sources), **numbers}


def summary(casualties) -> dict:
    return {(r["party"], r["harm"]): r for r in harm.summary_rows(casualties, PARTS)}


def triple(row) -> tuple:
    return row["low"], row["best"], row["high"], row["qualifier"], row["rule"]


# --- the nesting, from the schema ---------------------------------------------------------------

def test_the_schema_states_how_parties_nest(schema_set):
    party = schema_set.subschema("incident", ("casualties", 0, "party"))
    assert harm.parts_from_party_schema(party) == PARTS
    assert PARTS["us-personnel"] == ("us-military", "us-contractor")
    # `all` is every other party: each term is `all` or in exactly one whole below it.
    assert set(harm.leaves("all", PARTS)) | {"all", "us-personnel"} == set(party["enum"])
    assert len(harm.leaves("all", PARTS)) == len(set(harm.leaves("all", PARTS)))


@pytest.mark.parametrize("bad", [
    {"all": ["us-personnel"], "us-personnel": ["us-military", "martians"]},  # not a term
    {"all": ["us-military", "civilians"], "us-personnel": ["us-military"]},  # a part of two wholes
    {"all": ["us-personnel"], "us-personnel": ["all"]},  # a whole inside itself
    {"us-personnel": ["us-military", "us-contractor"]},  # `all` not said
    {"all": []},
])
def test_a_broken_nesting_is_refused(bad):
    enum = ["us-military", "us-contractor", "us-personnel", "civilians", "all"]
    with pytest.raises(ValueError):
        harm.parts_from_party_schema({"enum": enum, harm.PARTS_KEYWORD: bad})


# --- rules 2 and 3: the figure of one party ----------------------------------------------------------

@pytest.mark.parametrize("row, expected", [
    (fig("all", "killed", best=4), (4, 4, 4)),
    (fig("all", "killed", "at-least", low=5), (5, None, None)),
    (fig("all", "killed", "at-least", best=5), (5, 5, None)),
    (fig("all", "killed", "at-most", high=3), (None, None, 3)),
    (fig("all", "killed", "approximately", best=20), (None, 20, None)),
    (fig("all", "killed", "range", low=6, high=7), (6, None, 7)),
    (fig("all", "killed", "several"), (2, None, None)),
    (fig("all", "killed", "dozens"), (24, None, None)),
    (fig("all", "killed", "unknown"), (None, None, None)),
])
def test_what_a_figure_says(row, expected):
    assert harm.reading(row) == expected


def test_the_preferred_figure_or_the_only_one():
    rows = [fig("us-military", "injured", best=5, sources=["a"]),
            fig("us-military", "injured", best=4, sources=["b"], preferred=True, reason="later")]
    assert triple(summary(rows)[("us-personnel", "injured")]) == (4, 4, 4, "exact", "sum-of-parts")
    choice = harm.choose(rows)
    assert (choice.figure.best, choice.figure.rule, choice.figure.sources, choice.distinct) == (4, "preferred-figure", ("b",), 2)
    # The same figure from two sources is one figure, from both.
    same = harm.choose([fig("civilians", "killed", best=2, sources=["a"]), fig("civilians", "killed", best=2, sources=["b"])])
    assert (same.figure.rule, same.figure.sources, same.distinct) == ("only-figure", ("a", "b"), 1)


def test_disagreeing_figures_without_a_preferred_one_give_their_range():
    choice = harm.choose([fig("civilians", "killed", best=4), fig("civilians", "killed", best=8),
                          fig("civilians", "killed", "at-least", low=3)])
    assert (choice.figure.low, choice.figure.best, choice.figure.high) == (3, None, None)
    assert (choice.figure.qualifier, choice.figure.rule) == ("at-least", "range-of-figures")
    closed = harm.choose([fig("civilians", "killed", best=4), fig("civilians", "killed", best=8)]).figure
    assert (closed.low, closed.best, closed.high, closed.qualifier) == (4, None, 8, "range")
    both = harm.choose([fig("civilians", "killed", best=4, preferred=True), fig("civilians", "killed", best=8, preferred=True)])
    assert (both.figure.low, both.figure.high, both.figure.rule, both.preferred) == (4, 8, "range-of-figures", (0, 1))


def test_a_superseded_figure_and_a_mere_unknown_do_not_count():
    rows = [fig("all", "killed", best=0, preferred=False, reason="contradicted"), fig("all", "killed", best=3)]
    assert triple(summary(rows)[("all", "killed")]) == (3, 3, 3, "exact", "only-figure")
    assert harm.choose([fig("all", "killed", best=0, preferred=False)]).figure is None
    assert harm.choose([fig("all", "killed", "unknown"), fig("all", "killed", best=3)]).distinct == 1


# --- rules 4 and 5: wholes and parts ---------------------------------------------------------------

def test_a_whole_and_its_parts_are_never_added_together():
    rows = [fig("all", "injured", best=8), fig("us-military", "injured", "several")]
    found = summary(rows)
    assert triple(found[("all", "injured")]) == (8, 8, 8, "exact", "only-figure")
    assert triple(found[("us-personnel", "injured")]) == (2, None, None, "several", "sum-of-parts")
    # A whole with no best figure: its parts' best figure, when it fits.
    found = summary([fig("all", "injured", "several"), fig("us-military", "injured", best=8)])
    assert triple(found[("all", "injured")]) == (8, 8, 8, "exact", "sum-of-parts")
    # ... but not when the whole says more than the parts account for.
    found = summary([fig("us-personnel", "injured", "at-least", low=20), fig("us-military", "injured", best=5)])
    assert triple(found[("us-personnel", "injured")]) == (20, None, None, "at-least", "only-figure")


def test_a_sum_of_parts():
    found = summary([fig("us-military", "killed", best=2), fig("us-contractor", "killed", best=1),
                     fig("civilians", "killed", "several"), fig("local-security-forces", "killed", "approximately", best=20)])
    assert triple(found[("us-personnel", "killed")]) == (3, 3, 3, "exact", "sum-of-parts")
    assert triple(found[("all", "killed")]) == (5, None, None, "at-least", "sum-of-parts")
    found = summary([fig("civilians", "killed", "several"), fig("attackers", "killed", "dozens")])
    assert triple(found[("all", "killed")]) == (26, None, None, "dozens", "sum-of-parts")
    found = summary([fig("civilians", "killed", best=4), fig("attackers", "killed", "approximately", best=20)])
    assert triple(found[("all", "killed")]) == (4, 24, None, "approximately", "sum-of-parts")


def test_a_whole_below_its_parts_is_found_and_the_parts_count():
    analysis = harm.analyse([fig("all", "injured", best=18), fig("armed-group-members", "injured", best=24)], PARTS)
    [found] = analysis.contradictions
    assert (found.whole, found.harm, found.parts, found.row) == ("all", "injured", ("armed-group-members",), 0)
    assert analysis.figure("all", "injured").best == 24
    # "at most 2" cannot hold "several" (2) + 1; 0 cannot hold a part stated as unknown.
    assert harm.analyse([fig("us-personnel", "killed", "at-most", high=2), fig("us-military", "killed", "several"),
                         fig("us-contractor", "killed", best=1)], PARTS).contradictions
    zero = harm.analyse([fig("all", "injured", best=0), fig("us-military", "injured", "unknown")], PARTS)
    assert zero.contradictions and zero.figure("civilians", "injured") is None  # a contradicted 0 makes nothing 0
    # "Several" in all beside 8 of one part is not a contradiction: several is at least 2.
    assert not harm.analyse([fig("all", "injured", "several"), fig("us-military", "injured", best=8)], PARTS).contradictions


def test_zero_means_zero_and_unknown_stays_unknown():
    found = summary([fig("all", "killed", best=0), fig("civilians", "killed", best=0)])
    assert {party for party, harm_kind in found} == set(harm.summary_groups(PARTS))
    assert {(r["rule"], r["best"]) for (party, _), r in found.items() if party not in ("all", "civilians")} == {("whole", 0)}
    assert all(harm_kind == "killed" for _, harm_kind in found)  # nothing is said of the injured
    assert harm.summary_rows([], PARTS) == [] and harm.summary_rows(None, PARTS) == []
    only_us = summary([fig("us-military", "killed", best=3)])
    assert set(only_us) == {("us-personnel", "killed"), ("all", "killed")}


# --- the worked examples of the methodology are the real records ------------------------------------

def test_worked_example_5_august_2024_us_injured_best_5():
    found = summary(record("inc-2024-08-05-ain-al-asad-rockets")["casualties"])
    assert triple(found[("us-personnel", "injured")]) == (5, 5, 5, "exact", "sum-of-parts")
    assert set(found[("us-personnel", "injured")]["sources"]) == {"amn-2024-08-14", "stripes-via-mestios-2024-08-12"}
    assert harm.group_total(record("inc-2024-08-05-ain-al-asad-rockets"), "us", "injured") == 5


def test_worked_example_tower_22_us_killed_3():
    found = summary(record("inc-2024-01-28-tower-22-drone-attack")["casualties"])
    assert triple(found[("us-personnel", "killed")]) == (3, 3, 3, "exact", "sum-of-parts")
    assert triple(found[("us-personnel", "injured")]) == (24, None, None, "dozens", "sum-of-parts")


def test_the_methodology_examples_of_a_whole_beside_a_vague_part():
    found = summary([fig("all", "injured", best=8), fig("us-military", "injured", "several")])
    assert found[("all", "injured")]["best"] == 8 and found[("us-personnel", "injured")]["qualifier"] == "several"
    found = summary([fig("all", "injured", "several"), fig("us-military", "injured", best=8)])
    assert found[("all", "injured")]["best"] == 8 and found[("us-personnel", "injured")]["best"] == 8


def test_the_methodology_states_the_worked_examples(repo):
    text = (repo / "docs" / "methodology.md").read_text()
    assert "low 5, best 5, high 5" in text and "U.S. killed: **3**" in text
    assert '"Several" is read as at least 2 and "dozens" as at least 24' in text
    assert harm.QUALITATIVE_LOW == {"several": 2, "dozens": 24}


# --- generated casualty lists: the invariants ---------------------------------------------------------

PARTIES = ["us-military", "us-contractor", "us-personnel", "coalition-military", "civilians", "armed-group-members", "all"]


@st.composite
def casualty_row(draw):
    qualifier = draw(st.sampled_from(["exact", "at-least", "at-most", "approximately", "range", "several", "dozens", "unknown"]))
    n = draw(st.integers(0, 30))
    numbers = {"exact": {"best": n}, "at-least": {"low": n}, "at-most": {"high": n}, "approximately": {"best": n},
               "range": {"low": n, "high": n + draw(st.integers(0, 5))}}.get(qualifier, {})
    row = fig(draw(st.sampled_from(PARTIES)), draw(st.sampled_from(["killed", "injured"])), qualifier,
              [draw(st.sampled_from(["a", "b", "c"]))], **numbers)
    flag = draw(st.sampled_from([None, True, False]))
    if flag is not None:
        row["preferred"] = flag
    return row


@settings(max_examples=300, deadline=None)
@given(st.lists(casualty_row(), max_size=8))
def test_summaries_hold_their_invariants(rows):
    analysis = harm.analyse(copy.deepcopy(rows), PARTS)
    groups = harm.summary_groups(PARTS)
    for (party, harm_kind), figure in analysis.figures.items():
        numbers = [n for n in (figure.low, figure.best, figure.high) if n is not None]
        assert numbers == sorted(numbers) and all(n >= 0 for n in numbers), figure
        assert figure.rule in harm.RULES and figure.qualifier
        if figure.qualifier in harm.QUALITATIVE_LOW:
            assert figure.best is None
        assert set(figure.sources) <= {k for r in rows for k in r["sources"]}
    # A group no row speaks of has no figure, unless a whole of 0 makes it 0.
    spoken = {(r["party"], r["harm"]) for r in rows}
    for group in groups:
        for harm_kind in harm.HARMS:
            figure = analysis.figure(group, harm_kind)
            leaves = set(harm.leaves(group, PARTS)) | {group, *PARTS.get(group, ())}
            if figure is not None and not any((p, harm_kind) in spoken for p in leaves):
                assert figure.rule == "whole" and figure.best == 0
    # Without contradictions, everyone is at least each group (the whole holds its parts).
    if not analysis.contradictions:
        for harm_kind in harm.HARMS:
            total = analysis.figure("all", harm_kind)
            for group in groups[:-1]:
                part = analysis.figure(group, harm_kind)
                if total and part and total.best is not None and part.best is not None:
                    assert total.best >= part.best
    # The rows are a plain function of the figures: the same whatever their order.
    again = harm.analyse(list(reversed(copy.deepcopy(rows))), PARTS)
    assert {k: (f.low, f.best, f.high, f.qualifier) for k, f in again.figures.items()} == \
        {k: (f.low, f.best, f.high, f.qualifier) for k, f in analysis.figures.items()}


def test_release_summary_columns_agree_with_its_rows():
    for path in sorted((REPO / "datasets" / "incidents").rglob("*.yaml")):
        rec = load_text(path.read_text()).data
        made = harm.release_summary(rec)
        rows = {(r["party"], r["harm"]): r for r in made["rows"]}
        for party, prefix in harm.COLUMN_PREFIX.items():
            for harm_kind in harm.HARMS:
                row = rows.get((party, harm_kind), {})
                for name in harm.FIGURE_FIELDS:
                    assert made[f"{prefix}_{harm_kind}_{name}"] == row.get(name), (path.name, prefix, harm_kind, name)
        json.dumps(made)  # plain data


def test_describe():
    assert harm.describe(None) == "unknown"
    assert harm.describe(harm.Figure(5, 5, 5, "exact", "only-figure")) == "5"
    assert harm.describe(harm.Figure(2, None, None, "several", "only-figure")) == "several (at least 2)"
    assert harm.describe(harm.Figure(6, None, 7, "range", "only-figure")) == "6 to 7"
    assert harm.describe(harm.Figure(22, None, None, "at-least", "sum-of-parts")) == "at least 22"
    assert harm.describe(harm.Figure(None, 1200, None, "approximately", "only-figure")) == "about 1,200"


def test_group_total_for_the_tally_groups():
    rec = {"casualties": [fig("us-military", "injured", best=4), fig("coalition-military", "injured", "several")]}
    assert harm.group_total(rec, "us", "injured") == 4
    assert harm.group_total(rec, "us-and-coalition", "injured") == 6  # several counts its lower bound
    assert harm.group_total(rec, "us", "killed") is None


# --- actor memberships --------------------------------------------------------------------------------

def actor(aid, *relations):
    return {"id": aid, "relations": [dict(zip(("relation", "actor", "start", "end"), r)) for r in relations]}


def test_memberships_are_transitive_with_the_dates_they_all_hold_in():
    actors = [
        actor("unit", ("part-of", "brigade", "2016", None), ("backed-by", "patron")),
        actor("brigade", ("part-of", "army", "2015-06", "2023-12"), ("member-of", "coalition", "2014")),
        actor("army", ("part-of", "state")), actor("state"), actor("coalition"), actor("patron"),
    ]
    rows = {row["group"]: row for row in memberships(actors)["unit"]}
    assert set(rows) == {"unit", "brigade", "army", "state", "coalition"}  # backed-by is not belonging
    assert rows["unit"]["depth"] == 0 and rows["state"]["depth"] == 3
    assert rows["state"]["via"] == ["brigade", "army"] and rows["state"]["relations"] == ["part-of"] * 3
    assert (rows["army"]["start"], rows["army"]["end"]) == ("2016", "2023-12")  # latest start, earliest end
    assert (rows["coalition"]["start"], rows["coalition"]["end"]) == ("2016", None)
    assert (rows["brigade"]["start"], rows["brigade"]["end"]) == ("2016", None)


def test_memberships_take_the_shortest_path_and_survive_a_cycle():
    actors = [actor("a", ("member-of", "b"), ("member-of", "c")), actor("b", ("part-of", "d")),
              actor("c", ("part-of", "d"), ("part-of", "a")), actor("d", ("part-of", "a"))]
    rows = {row["group"]: row for row in memberships(actors)["a"]}
    assert set(rows) == {"a", "b", "c", "d"} and rows["d"]["via"] == ["b"]


def test_memberships_agree_with_the_coverage_rollup(repo):
    actors = [load_text(p.read_text()).data for p in sorted((repo / "datasets" / "actors").glob("*.yaml"))]
    found = memberships(actors)
    assert {a: {r["group"] for r in rows if r["depth"]} for a, rows in found.items()} == ancestors(actors)
    us = {a for a, rows in found.items() if any(r["group"] == "united-states" for r in rows)}
    assert {"united-states", "us-armed-forces", "us-special-operations-forces"} <= us


@settings(max_examples=200, deadline=None)
@given(st.lists(casualty_row(), max_size=6), st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, max_size=3))
def test_a_kept_shape_gives_each_record_its_own_sources(rows, keys):
    """`release_summary` keeps the summary of each shape of casualty list; a record of the
    same shape with other source keys gets its own keys, as a fresh summary would."""
    first = harm.release_summary({"casualties": copy.deepcopy(rows)})
    other = copy.deepcopy(rows)
    for i, row in enumerate(other):
        row["sources"] = [keys[(i + j) % len(keys)] for j in range(len(keys))]
    assert first == harm.summary_of(rows)
    assert harm.release_summary({"casualties": other}) == harm.summary_of(other)
