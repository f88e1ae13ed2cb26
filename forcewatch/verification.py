"""How sure a record is, derived from what it holds: one rule, documented in the methodology
("How sure a record is") and the codebook, never typed by hand.

The inputs are facts a contributor records anyway: the incident's `outcome`, and for each
source who published it (`publisher`, `originator`) and whose account it carries (`relays`).
"""

from __future__ import annotations

LEVELS = ("confirmed-officially", "multiple-sources", "single-source", "claim-only", "contested")

DEFINITIONS = {
    "contested": "The outcome is recorded as `disputed`, or a source carries a denial that the "
                 "event took place (`relays: [denial]`).",
    "confirmed-officially": "A source carries the confirmation of officials of a state whose forces "
                            "took part (`relays: [official-confirmation]`): for an attack on U.S. or "
                            "coalition forces, U.S. or coalition officials; for a U.S. strike, U.S. officials.",
    "multiple-sources": "Two or more independent originators report the event: sources are counted by "
                        "`originator` (or `publisher` where there is none), so pages republishing one wire "
                        "story count once; sources that carry only the claimant's statement do not count.",
    "single-source": "One originator, other than the claimant, reports the event.",
    "claim-only": "Every source carries only the claimant's own statement (`relays: [claimant]`).",
}


def _originator(source: dict) -> str:
    return " ".join(str(source.get("originator") or source.get("publisher") or "").lower().split())


def _claim_only(source: dict) -> bool:
    return set(source.get("relays") or ()) == {"claimant"}


# The fields `incident_level` reads (the release reads only these).
NEEDS = {"outcome": "string", "sources": [{"relays": "list", "originator": "string", "publisher": "string"}]}


def verification(record: dict) -> str | None:
    """The verification level of an incident record (None for other record types)."""
    return incident_level(record) if record.get("record_type") == "incident" else None


def incident_level(record: dict) -> str:
    """The verification level of an incident, from its outcome and its sources."""
    sources = [s for s in record.get("sources") or () if isinstance(s, dict)]
    relays = [set(s.get("relays") or ()) for s in sources]
    if record.get("outcome") == "disputed" or any("denial" in r for r in relays):
        return "contested"
    if any("official-confirmation" in r for r in relays):
        return "confirmed-officially"
    independent = {_originator(s) for s in sources if not _claim_only(s)}
    independent.discard("")
    if len(independent) >= 2:
        return "multiple-sources"
    if independent:
        return "single-source"
    return "claim-only"
