"""The release tables, as data: which columns, from which record fields, with which keys.

Pure Python (no pyarrow): the same specs drive the table builder (`flatten`, in Arrow), the
data package descriptor and the docs. Column descriptions come from the JSON Schema, so the
release cannot drift from the record contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .. import coordinates, harm, memberships, verification

LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Derived:
    """A value the records imply, computed by one documented rule (never typed by hand):
    `rule` gets a record holding only the fields named in `needs` and returns the value (for
    a column) or a list of mappings (for a table's rows, `Table.items`).

    `needs` names those fields with their types, as the JSON reader reads them: a leaf type
    (`string`, `integer`, `number`, `boolean`, `list` for a list of strings), a dict for a
    mapping, and a one-item list `[{...}]` for a list of mappings."""
    rule: Callable
    needs: dict
    # The rule also gets the release's context (`flatten.Context`), for a value that depends
    # on other records: True, the sites' coordinates; a name, that field of the context.
    with_context: bool | str = False
    # The rule returns a mapping, and the value is its `pick` key: the columns (and a table's
    # rows) that share one rule, the same function with the same `needs`, run it once per record.
    pick: str | None = None

    def value(self, record: dict, context=None):
        """The rule's value for one record (holding at least the fields in `needs`)."""
        if self.with_context:
            found = self.rule(record, getattr(context, "sites" if self.with_context is True else self.with_context))
        else:
            found = self.rule(record)
        return found if self.pick is None else found[self.pick]


@dataclass(frozen=True)
class Value:
    """Where a column's values come from, as data (the table builder reads it):
    - `field`: the value at `path` in the row (the record, or the list item for a table of
      items), or in the row's record when `of_parent`; missing is empty;
    - `seq`: the item's position in its record's list (from 0);
    - `count`: the number of items of the list at `path`;
    - `flag`: the boolean at `path`, missing meaning false;
    - `derived`: computed from the record by `derived.rule` (see `Derived`)."""
    kind: str  # field | seq | count | flag | derived
    path: tuple = ()
    of_parent: bool = False
    derived: Derived | None = None


def at(*path) -> Value:
    return Value("field", path)


def parent(*path) -> Value:
    return Value("field", path, of_parent=True)


seq = Value("seq")


def count(*path) -> Value:
    return Value("count", path)


def flag(*path) -> Value:
    return Value("flag", path)


def derived(rule: Callable, needs: dict, with_context: bool | str = False, pick: str | None = None) -> Value:
    return Value("derived", derived=Derived(rule, needs, with_context, pick))


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | integer | number | boolean | date | list
    get: Value
    schema_path: tuple | None = None  # where the description comes from
    description: str | None = None  # overrides the schema's
    free_text: bool = False  # neutralised against spreadsheet formulas in CSV
    required: bool = False
    vocabulary: tuple = ()  # the terms a derived column holds (a schema column's come from the schema)


@dataclass(frozen=True)
class Table:
    name: str
    record_type: str
    title: str
    description: str
    columns: tuple
    primary_key: tuple
    foreign_keys: tuple = ()  # (columns tuple, resource, fields tuple)
    # The rows: None, one per record; a name, the items of that list field of the record; a
    # Derived, the mappings its rule makes of each record (e.g. one per party group).
    items: str | Derived | None = None


def _status_columns(record_type):
    return (
        Column("status", "string", at("status"), ("status",), required=True),
        Column("retraction_reason", "string", at("retraction_reason"), ("retraction_reason",), free_text=True),
        Column("merged_into", "string", at("merged_into"), ("merged_into",)),
        Column("schema_version", "string", at("schema_version"), ("schema_version",), required=True),
    )


def _estimate_columns(prefix, base):
    p = prefix + "_" if prefix else ""
    return (
        Column(f"{p}low", "integer", at(*base, "low"), None, "Lower bound stated by the source."),
        Column(f"{p}best", "integer", at(*base, "best"), None, "The figure the source gives as its number."),
        Column(f"{p}high", "integer", at(*base, "high"), None, "Upper bound stated by the source."),
        Column(f"{p}qualifier", "string", at(*base, "qualifier"), None,
               "How the source stated the figure (exact, at-least, approximately, several, ...).", required=True),
        Column(f"{p}wording", "string", at(*base, "wording"), None, "The source's wording of the figure.", free_text=True),
    )


def _figure_columns():
    return (
        Column("preferred", "boolean", flag("preferred"), None,
               "True for the figure the record treats as best among disagreeing figures."),
        Column("reason", "string", at("reason"), None, "Why the figure is preferred.", free_text=True),
        Column("reported", "date", at("reported"), None, "When the figure was reported, if not the source's date."),
        Column("note", "string", at("note"), None, "Anything else about this figure.", free_text=True),
        Column("source_keys", "list", at("sources"), None,
               "Keys of the record's sources that state the figure (see the sources table)."),
    )


def _child_key(record_type, fk_name):
    return (
        Column(fk_name, "string", parent("id"), None, f"Id of the {record_type.replace('_', ' ')} record.", required=True),
        Column("seq", "integer", seq, None, "Position of the item in the record's list (from 0).", required=True),
    )


def _sources_table(record_type, table_name, parent_table, fk_name):
    return Table(
        f"{table_name}_sources", record_type, f"{parent_table.replace('_', ' ').capitalize()} sources",
        f"The sources each {record_type.replace('_', ' ')} record cites; figures and claims refer to them by key.",
        (
            Column(fk_name, "string", parent("id"), None, f"Id of the {record_type.replace('_', ' ')} record.", required=True),
            Column("key", "string", at("key"), ("sources", 0, "key"), required=True),
            Column("publisher", "string", at("publisher"), ("sources", 0, "publisher"), free_text=True, required=True),
            Column("originator", "string", at("originator"), ("sources", 0, "originator"), free_text=True),
            Column("relays", "list", at("relays"), ("sources", 0, "relays")),
            Column("title", "string", at("title"), ("sources", 0, "title"), free_text=True, required=True),
            Column("url", "string", at("url"), ("sources", 0, "url"), required=True),
            Column("archive_url", "string", at("archive_url"), ("sources", 0, "archive_url")),
            Column("published", "date", at("published"), ("sources", 0, "published")),
            Column("published_inferred", "boolean", flag("published_inferred"),
                   ("sources", 0, "published_inferred")),
            Column("accessed", "date", at("accessed"), ("sources", 0, "accessed")),
            Column("language", "string", at("language"), ("sources", 0, "language")),
            Column("excerpt", "string", at("excerpt"), ("sources", 0, "excerpt"), free_text=True, required=True),
        ),
        (fk_name, "key"),
        (((fk_name,), parent_table, ("id",)),),
        items="sources",
    )


_HARM_GROUP_WORDS = {harm.US: "U.S. personnel (service members and contractors together)", harm.EVERYONE: "everyone"}
_HARM_FIELD_WORDS = {
    "low": "lower bound", "best": "best figure", "high": "upper bound",
    "qualifier": "how the figure is stated (`exact`, `at-least`, `several`, ...)",
}


def _harm_columns():
    """The harm summary of two groups on the incidents table (all groups: `incident_harm`)."""
    columns = []
    for party, prefix in harm.COLUMN_PREFIX.items():
        for harm_kind in harm.HARMS:
            for name in harm.FIGURE_FIELDS:
                columns.append(Column(
                    f"{prefix}_{harm_kind}_{name}", "string" if name == "qualifier" else "integer",
                    derived(harm.release_summary, harm.NEEDS, pick=f"{prefix}_{harm_kind}_{name}"),
                    ("casualties", 0, "qualifier") if name == "qualifier" else None,  # its vocabulary
                    f"{_HARM_GROUP_WORDS[party].capitalize()} {harm_kind}: the {_HARM_FIELD_WORDS[name]} of the "
                    "harm summary, the one figure to count (see `incident_harm` and the methodology); empty when no "
                    "figure speaks of them: unknown, never 0."))
    return columns

INCIDENTS = Table(
    "incidents", "incident", "Incidents",
    "One row per incident: an attack, strike, targeted killing or interception. Harm, actors, "
    "munitions, links and sources are in the incident_* tables.",
    (
        Column("id", "string", at("id"), ("id",), required=True),
        *_status_columns("incident"),
        Column("title", "string", at("title"), ("title",), free_text=True, required=True),
        Column("summary", "string", at("summary"), ("summary",), free_text=True, required=True),
        Column("date_start", "date", at("when", "start"), ("when", "start"), required=True),
        Column("date_end", "date", at("when", "end"), ("when", "end"), required=True),
        Column("date_precision", "string", at("when", "precision"), ("when", "precision"), required=True),
        Column("time_of_day", "string", at("when", "time_of_day"), ("when", "time_of_day")),
        Column("local_time", "string", at("when", "local_time"), ("when", "local_time")),
        Column("date_note", "string", at("when", "note"), ("when", "note"), free_text=True),
        Column("place_name", "string", at("place", "name"), ("place", "name"), free_text=True, required=True),
        Column("site_id", "string", at("place", "site"), ("place", "site")),
        Column("country", "string", at("place", "country"), ("place", "country"), required=True),
        Column("admin1", "string", at("place", "admin1"), ("place", "admin1"), free_text=True),
        Column("admin2", "string", at("place", "admin2"), ("place", "admin2"), free_text=True),
        Column("latitude", "number", derived(coordinates.latitude, coordinates.NEEDS_INCIDENT, with_context=True),
               None, "Latitude (WGS84, decimal degrees): the record's own coordinates where a source gives them, "
               "else those of its site (`coordinates_from` says which); empty where neither has any."),
        Column("longitude", "number", derived(coordinates.longitude, coordinates.NEEDS_INCIDENT, with_context=True),
               None, "Longitude (WGS84, decimal degrees), from the same place as `latitude`."),
        Column("coordinates_from", "string", derived(coordinates.origin, coordinates.NEEDS_INCIDENT, with_context=True),
               None, "Where `latitude` and `longitude` come from: `record` (the incident's own, sourced) or `site` "
               "(the sourced coordinates of the site record it references); empty where there are none."),
        Column("geo_precision", "string", at("place", "geo_precision"), ("place", "geo_precision"), required=True),
        Column("place_note", "string", at("place", "note"), ("place", "note"), free_text=True),
        Column("launch_point", "string", at("launch_point", "description"), ("launch_point", "description"), free_text=True),
        Column("launch_country", "string", at("launch_point", "country"), ("launch_point", "country")),
        Column("event_type", "string", at("event_type"), ("event_type",), required=True),
        Column("weapons", "list", at("weapons"), ("weapons",), required=True),
        Column("outcome", "string", at("outcome"), ("outcome",), required=True),
        Column("outcome_note", "string", at("outcome_note"), ("outcome_note",), free_text=True),
        Column("responsibility", "string", at("responsibility", "status"), ("responsibility", "status")),
        Column("responsibility_as_of", "date", at("responsibility", "as_of"), ("responsibility", "as_of")),
        Column("notes", "string", at("notes"), ("notes",), free_text=True),
        Column("source_count", "integer", count("sources"), None, "Number of sources the record cites.", required=True),
        Column("verification", "string", derived(verification.incident_level, verification.NEEDS), None,
               "How sure the record is, derived from its outcome and its sources (never typed): "
               + "; ".join(f"`{level}`: {text}" for level, text in verification.DEFINITIONS.items()),
               required=True),
        *_harm_columns(),
    ),
    ("id",),
    ((("site_id",), "sites", ("id",)), (("merged_into",), "incidents", ("id",))),
)

INCIDENT_ACTORS = Table(
    "incident_actors", "incident", "Incident actors",
    "Who took part in each incident, with a role: perpetrator, target, claimed, attributed (by "
    "whom), suspected, denied, affected.",
    (
        *_child_key("incident", "incident_id"),
        Column("actor_id", "string", at("actor"), ("actors", 0, "actor"), required=True),
        Column("role", "string", at("role"), ("actors", 0, "role"), required=True),
        Column("by", "string", at("by"), ("actors", 0, "by"), free_text=True),
        Column("channel", "string", at("channel"), ("actors", 0, "channel"), free_text=True),
        Column("date", "date", at("date"), ("actors", 0, "date")),
        Column("note", "string", at("note"), ("actors", 0, "note"), free_text=True),
        Column("source_keys", "list", at("sources"), ("actors", 0, "sources")),
    ),
    ("incident_id", "seq"),
    ((("incident_id",), "incidents", ("id",)), (("actor_id",), "actors", ("id",))),
    items="actors",
)

INCIDENT_CASUALTIES = Table(
    "incident_casualties", "incident", "Incident casualty figures",
    "Killed and injured by party, one row per figure per source: disagreeing figures are all "
    "kept and `preferred` marks the one the record treats as best. A party with no row has no "
    "reported figure (unknown, not zero).",
    (
        *_child_key("incident", "incident_id"),
        Column("party", "string", at("party"), ("casualties", 0, "party"), required=True),
        Column("harm", "string", at("harm"), ("casualties", 0, "harm"), required=True),
        *_estimate_columns("", ()),
        *_figure_columns(),
    ),
    ("incident_id", "seq"),
    ((("incident_id",), "incidents", ("id",)),),
    items="casualties",
)

INCIDENT_HARM = Table(
    "incident_harm", "incident", "Incident harm summary",
    "The one figure to count for each incident, party group and harm, derived from "
    "incident_casualties by one documented rule (the methodology's \"Counting killed and "
    "injured\"): the preferred or only figure of a party, or the sum of its parts, never a "
    "whole and its parts together. The groups do not overlap, so they add up; `all` is "
    "everyone. A group without a row has no figure: unknown, never 0.",
    (
        Column("incident_id", "string", parent("id"), None, "Id of the incident record.", required=True),
        Column("party", "string", at("party"), ("casualties", 0, "party"),
               "The party group: the parts of `all` (`us-personnel`: U.S. service members and contractors "
               "together, `coalition-military`, `local-security-forces`, `other-state-military`, "
               "`armed-group-members`, `civilians`, `attackers`), and `all`, everyone.", required=True),
        Column("harm", "string", at("harm"), ("casualties", 0, "harm"), required=True),
        Column("low", "integer", at("low"), None,
               "Lower bound: the figure's own, an exact figure's number, 2 for \"several\" and 24 for "
               "\"dozens\"; empty when none is known."),
        Column("best", "integer", at("best"), None,
               "The best figure, the one to add up; empty when the sources give no number (then see `low`)."),
        Column("high", "integer", at("high"), None, "Upper bound; empty when none is known."),
        Column("qualifier", "string", at("qualifier"), ("casualties", 0, "qualifier"),
               "How the figure is stated: the source's qualifier, or for a sum or a range, what its numbers are.",
               required=True),
        Column("rule", "string", at("rule"), None,
               "Which rule gave the figure: " + "; ".join(f"`{name}`: {text}" for name, text in harm.RULES.items()),
               required=True, vocabulary=tuple(harm.RULES)),
        Column("source_keys", "list", at("sources"), None,
               "Keys of the record's sources that state the figures behind it (see incident_sources)."),
    ),
    ("incident_id", "party", "harm"),
    ((("incident_id",), "incidents", ("id",)),),
    items=Derived(harm.release_summary, harm.NEEDS, pick="rows"),
)

INCIDENT_MUNITIONS = Table(
    "incident_munitions", "incident", "Incident munition counts",
    "How many munitions were used, as each source states it.",
    (
        *_child_key("incident", "incident_id"),
        Column("weapon", "string", at("weapon"), ("munitions", 0, "weapon"), required=True),
        *_estimate_columns("", ()),
        *_figure_columns(),
    ),
    ("incident_id", "seq"),
    ((("incident_id",), "incidents", ("id",)),),
    items="munitions",
)

INCIDENT_LINKS = Table(
    "incident_links", "incident", "Incident links",
    "Incidents the sources tie together: retaliation for, cited as reason, same wave, follows, context.",
    (
        *_child_key("incident", "incident_id"),
        Column("linked_incident_id", "string", at("incident"), ("links", 0, "incident"), required=True),
        Column("relation", "string", at("relation"), ("links", 0, "relation"), required=True),
        Column("note", "string", at("note"), ("links", 0, "note"), free_text=True),
        Column("source_keys", "list", at("sources"), ("links", 0, "sources")),
    ),
    ("incident_id", "seq"),
    ((("incident_id",), "incidents", ("id",)), (("linked_incident_id",), "incidents", ("id",))),
    items="links",
)

ACTORS = Table(
    "actors", "actor", "Actors",
    "State forces, armed groups, coalitions, umbrellas and governments.",
    (
        Column("id", "string", at("id"), ("id",), required=True),
        *_status_columns("actor"),
        Column("name", "string", at("name"), ("name",), free_text=True, required=True),
        Column("kind", "string", at("kind"), ("kind",), required=True),
        Column("home_country", "string", at("home_country"), ("home_country",)),
        Column("description", "string", at("description"), ("description",), free_text=True, required=True),
        Column("wikidata", "string", at("identifiers", "wikidata"), ("identifiers", "wikidata")),
        Column("notes", "string", at("notes"), ("notes",), free_text=True),
    ),
    ("id",),
    ((("merged_into",), "actors", ("id",)),),
)

ACTOR_ALIASES = Table(
    "actor_aliases", "actor", "Actor aliases",
    "Other names of each actor: spellings, transliterations, native script, acronyms.",
    (
        *_child_key("actor", "actor_id"),
        Column("name", "string", at("name"), ("aliases", 0, "name"), free_text=True, required=True),
        Column("kind", "string", at("kind"), ("aliases", 0, "kind"), required=True),
        Column("lang", "string", at("lang"), ("aliases", 0, "lang")),
    ),
    ("actor_id", "seq"),
    ((("actor_id",), "actors", ("id",)),),
    items="aliases",
)

ACTOR_RELATIONS = Table(
    "actor_relations", "actor", "Actor relations",
    "Relations between actors over time (member of, part of, backed by, ...), each sourced.",
    (
        *_child_key("actor", "actor_id"),
        Column("relation", "string", at("relation"), ("relations", 0, "relation"), required=True),
        Column("related_actor_id", "string", at("actor"), ("relations", 0, "actor"), required=True),
        Column("start", "string", at("start"), ("relations", 0, "start")),
        Column("end", "string", at("end"), ("relations", 0, "end")),
        Column("note", "string", at("note"), ("relations", 0, "note"), free_text=True),
        Column("source_keys", "list", at("sources"), ("relations", 0, "sources")),
    ),
    ("actor_id", "seq"),
    ((("actor_id",), "actors", ("id",)), (("related_actor_id",), "actors", ("id",))),
    items="relations",
)

ACTOR_MEMBERSHIPS = Table(
    "actor_memberships", "actor", "Actor memberships",
    "For every actor, every actor it belongs to: itself, and those it is `part-of` or "
    "`member-of`, directly or through others (the U.S. special operations forces belong to "
    "the U.S. armed forces, and through them to the United States and the U.S.-led "
    "coalition). Select the rows of a group to get it with everything in it.",
    (
        Column("actor_id", "string", parent("id"), None, "Id of the actor.", required=True),
        Column("group_actor_id", "string", at("group"), None,
               "The actor it belongs to: itself (depth 0), or one it is part of or a member of.", required=True),
        Column("depth", "integer", at("depth"), None,
               "Relations between the two: 0 for the actor itself, 1 for a direct relation.", required=True),
        Column("via_actor_ids", "list", at("via"), None,
               "The actors in between, in order (the shortest path; of equal ones, the alphabetically first)."),
        Column("relations", "list", at("relations"), None,
               "The relations along the path, in order (`part-of`, `member-of`)."),
        Column("start", "string", at("start"), None,
               "When the membership began: the latest `start` of the relations on the path; empty when none states one."),
        Column("end", "string", at("end"), None,
               "When it ended: the earliest `end` of the relations on the path; empty when none states one."),
    ),
    ("actor_id", "group_actor_id"),
    ((("actor_id",), "actors", ("id",)), (("group_actor_id",), "actors", ("id",))),
    items=Derived(memberships.of_actor, {"id": "string"}, with_context="memberships"),
)

FORCE_POSTURE = Table(
    "force_posture", "force_posture", "Force posture",
    "How many personnel of a force are in a country (or at a site) as of a date, as its sources "
    "state it. A time series: each figure is a row; disagreeing figures are separate rows.",
    (
        Column("id", "string", at("id"), ("id",), required=True),
        *_status_columns("force_posture"),
        Column("force_actor_id", "string", at("force"), ("force",), required=True),
        Column("country", "string", at("country"), ("country",), required=True),
        Column("site_id", "string", at("site"), ("site",)),
        Column("latitude", "number", derived(coordinates.latitude, coordinates.NEEDS_POSTURE, with_context=True),
               None, "Latitude (WGS84) of the figure's site, from the site record; empty for a country-wide figure "
               "or a site without coordinates."),
        Column("longitude", "number", derived(coordinates.longitude, coordinates.NEEDS_POSTURE, with_context=True),
               None, "Longitude (WGS84) of the figure's site, from the site record."),
        *_estimate_columns("personnel", ("personnel",)),
        Column("as_of", "date", at("as_of", "date"), ("as_of", "date"), required=True),
        Column("as_of_precision", "string", at("as_of", "precision"), ("as_of", "precision"), required=True),
        Column("mission", "string", at("mission"), ("mission",), free_text=True),
        Column("notes", "string", at("notes"), ("notes",), free_text=True),
    ),
    ("id",),
    ((("force_actor_id",), "actors", ("id",)), (("site_id",), "sites", ("id",)),
     (("merged_into",), "force_posture", ("id",))),
)

SITES = Table(
    "sites", "site", "Sites",
    "Known places that incidents and force postures refer to, with sourced coordinates.",
    (
        Column("id", "string", at("id"), ("id",), required=True),
        *_status_columns("site"),
        Column("name", "string", at("name"), ("name",), free_text=True, required=True),
        Column("aliases", "list", at("aliases"), ("aliases",)),
        Column("site_kind", "string", at("site_kind"), ("site_kind",), required=True),
        Column("country", "string", at("country"), ("country",), required=True),
        Column("admin1", "string", at("admin1"), ("admin1",), free_text=True),
        Column("latitude", "number", at("coordinates", "lat"), ("coordinates", "lat")),
        Column("longitude", "number", at("coordinates", "lon"), ("coordinates", "lon")),
        Column("coordinates_source", "string", at("coordinates_source"), ("coordinates_source",)),
        Column("notes", "string", at("notes"), ("notes",), free_text=True),
    ),
    ("id",),
    ((("merged_into",), "sites", ("id",)),),
)

TALLIES = Table(
    "tallies", "tally", "Tallies",
    "Running counts that officials, monitors and claimants gave (attacks, injured, killed), one "
    "row per count, with its scope and period. `forcewatch coverage` compares each with the "
    "dataset's own count; they are never turned into incidents.",
    (
        Column("id", "string", at("id"), ("id",), required=True),
        *_status_columns("tally"),
        Column("title", "string", at("title"), ("title",), free_text=True, required=True),
        Column("counter_name", "string", at("counter", "name"), ("counter", "name"), free_text=True, required=True),
        Column("counter_actor_id", "string", at("counter", "actor"), ("counter", "actor")),
        Column("counter_kind", "string", at("counter", "kind"), ("counter", "kind"), required=True),
        Column("measure", "string", at("measure"), ("measure",), required=True),
        Column("subject", "string", at("subject"), ("subject",), free_text=True),
        Column("target_group", "string", at("target_group"), ("target_group",), required=True),
        Column("countries", "list", at("countries"), ("countries",), required=True),
        Column("period_from", "date", at("period", "from"), ("period", "from"), required=True),
        Column("as_of", "date", at("period", "as_of"), ("period", "as_of"), required=True),
        Column("as_of_note", "string", at("period", "as_of_note"), ("period", "as_of_note"), free_text=True),
        *_estimate_columns("count", ("count",)),
        Column("count_source_keys", "list", at("count", "sources"), None,
               "Keys of the record's sources that state the count (see tally_sources)."),
        Column("notes", "string", at("notes"), ("notes",), free_text=True),
    ),
    ("id",),
    ((("counter_actor_id",), "actors", ("id",)), (("merged_into",), "tallies", ("id",))),
)

TALLY_BREAKDOWN = Table(
    "tally_breakdown", "tally", "Tally breakdown by country",
    "The parts of a count by country, where its source gives them.",
    (
        *_child_key("tally", "tally_id"),
        Column("country", "string", at("country"), ("breakdown", 0, "country"), required=True),
        *_estimate_columns("", ()),
        Column("source_keys", "list", at("sources"), None, "Keys of the record's sources that state the figure."),
    ),
    ("tally_id", "seq"),
    ((("tally_id",), "tallies", ("id",)),),
    items="breakdown",
)

TABLES: tuple[Table, ...] = (
    INCIDENTS, INCIDENT_ACTORS, INCIDENT_CASUALTIES, INCIDENT_HARM, INCIDENT_MUNITIONS, INCIDENT_LINKS,
    _sources_table("incident", "incident", "incidents", "incident_id"),
    ACTORS, ACTOR_ALIASES, ACTOR_RELATIONS, ACTOR_MEMBERSHIPS,
    _sources_table("actor", "actor", "actors", "actor_id"),
    FORCE_POSTURE,
    _sources_table("force_posture", "force_posture", "force_posture", "force_posture_id"),
    SITES,
    _sources_table("site", "site", "sites", "site_id"),
    TALLIES, TALLY_BREAKDOWN,
    _sources_table("tally", "tally", "tallies", "tally_id"),
)


# The record types in the order their tables come in TABLES (and records in a release).
RECORD_TYPE_ORDER: dict[str, int] = {t: i for i, t in enumerate(dict.fromkeys(t.record_type for t in TABLES))}


TABLES_OF: dict[str, list[Table]] = {rt: [t for t in TABLES if t.record_type == rt] for rt in RECORD_TYPE_ORDER}
