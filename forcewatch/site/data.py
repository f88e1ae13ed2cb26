"""The records as the site's pages read them, with the values derived from them by their own
modules (never worked out again here): an incident's coordinates (`coordinates.located`), its
verification level (`verification`), its harm summary (`harm`) and how complete the dataset
is against the official counts (`coverage.compare`)."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from .. import harm
from ..coordinates import located, site_coordinates
from ..countries import REGION_NAMES
from ..coverage import compare
from ..verification import verification
from .markup import SAFE_ID, colour

# The schema's order of event types, for records that are not valid enough to have one.
DEFAULT_EVENT_TYPES = ("attack", "strike", "targeted-killing", "interception", "ground-raid", "foiled-attack")
PERPETRATOR_ROLES = ("perpetrator", "claimed", "attributed", "suspected")
PARTY_WORDS = {"us-personnel": "U.S. personnel", "all": "everyone"}


class Data:
    def __init__(self, records: list[dict], event_types: tuple[str, ...] = DEFAULT_EVENT_TYPES):
        self.records = records
        self.by_type = defaultdict(dict)
        for record in records:
            self.by_type[record["record_type"]][record["id"]] = record
        self.incidents = dict(sorted(self.by_type["incident"].items(),
                                     key=lambda kv: (kv[1]["when"]["start"], kv[0])))
        self.actors = self.by_type["actor"]
        self.sites = dict(sorted(self.by_type["site"].items()))
        self.postures = self.by_type["force_posture"]
        self.tallies = self.by_type["tally"]
        self.event_types = tuple(event_types)
        self.site_coordinates = site_coordinates(list(self.sites.values()))
        self.incoming = defaultdict(list)
        for rid, record in self.incidents.items():
            for link in record.get("links", []):
                self.incoming[link["incident"]].append((rid, link))

    def actor_name(self, actor_id: str) -> str:
        actor = self.actors.get(actor_id)
        return actor["name"] if actor else actor_id

    def country_name(self, code: str) -> str:
        return REGION_NAMES.get(code, code)

    def type_colour(self, event_type: str) -> str:
        order = self.event_types if event_type in self.event_types else (*self.event_types, event_type)
        return colour(order.index(event_type))

    def located(self, record: dict):
        """(lat, lon, 'record' | 'site') or None: `coordinates.located`."""
        return located(record, self.site_coordinates)

    def verification(self, record: dict) -> str | None:
        return verification(record)

    def harm_rows(self, record: dict) -> list[dict]:
        """The harm summary (`harm.summary_rows`): the one figure to count per group and harm."""
        return harm.summary_rows(record.get("casualties"))

    def harm_text(self, record: dict) -> str:
        """The harm summary in a line: `U.S. personnel: 5 injured; everyone: 5 injured`; a
        record without figures says that nothing is known (unknown is not zero)."""
        by_group: dict[str, list[str]] = {}
        for row in self.harm_rows(record):
            figure = harm.Figure(row["low"], row["best"], row["high"], row["qualifier"], row["rule"],
                                 tuple(row["sources"]))
            by_group.setdefault(row["party"], []).append(f"{harm.describe(figure)} {row['harm']}")
        if not by_group:
            return "no casualty figure reported"
        return "; ".join(f"{PARTY_WORDS.get(group, group.replace('-', ' '))}: {', '.join(parts)}"
                         for group, parts in by_group.items())

    @cached_property
    def coverage(self) -> dict:
        """`coverage.compare` over every record: each tally beside the dataset's count."""
        return compare(self.records)

    def active_incidents(self) -> dict:
        return {k: v for k, v in self.incidents.items() if v["status"] == "active"}

    def claimants(self, record: dict) -> list[str]:
        return sorted({a["actor"] for a in record["actors"] if a["role"] == "claimed"})


def incident_href(rid: str, from_dir: str) -> str:
    return f"{from_dir}{rid}.html" if SAFE_ID.match(rid) else "#"


def figure_text(fig: dict) -> str:
    """An estimate as its source states it: `5`, `at least 5`, `about 2,500`, `6 to 7`."""
    q = fig.get("qualifier")
    low, best, high = fig.get("low"), fig.get("best"), fig.get("high")
    if q == "exact" and best is not None:
        return f"{best:,}"
    if q == "at-least" and (low if low is not None else best) is not None:
        return f"at least {low if low is not None else best:,}"
    if q == "at-most" and (high if high is not None else best) is not None:
        return f"at most {high if high is not None else best:,}"
    if q == "approximately" and best is not None:
        return f"about {best:,}"
    if q == "range" and low is not None and high is not None:
        return f"{low:,} to {high:,}"
    return q or "unknown"


def figure_value(fig: dict) -> int | None:
    """The number to draw for an estimate: its best figure, else its lower bound, else its upper."""
    for key in ("best", "low", "high"):
        if isinstance(fig.get(key), int):
            return fig[key]
    return None
