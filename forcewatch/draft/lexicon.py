"""The draft's lexicon: what the project already knows, read from the repository at run time.

- the gazetteer: every site record's `name` and `aliases` (datasets/sites), with its country
  and admin1; a name is also found without its generic words ("Ain al-Asad" for "Ain al-Asad
  Air Base") where that cannot be mistaken for something else;
- the actors: every actor record's `name` and `aliases` (datasets/actors); a name that two
  actors share is left out rather than guessed;
- the incidents (datasets/incidents), for the links a report names;
- the vocabularies (schema/), for the terms a draft may use;
- and, as fixed data, the region's countries and provinces (first-level units), which no
  record holds.

Names are compared as canonical words: case, accents, apostrophes and hyphens aside, Arabic
articles written as "al-", "ad-", "as-" ... alike, and a few spellings that reports use for
one another ("Iranian-backed" / "Iran-aligned", "militias" / "militia groups").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .text import Token, fold, tokens

STOPWORDS = {"the", "of", "in", "and", "or", "a", "an", "for", "its", "s"}
ARTICLES = {"al", "el", "ad", "at", "as", "an", "ar", "ash", "az", "ud"}
CANON = {
    "iranian": ("iran",), "aligned": ("backed",), "allied": ("backed",), "supported": ("backed",),
    "linked": ("backed",), "sponsored": ("backed",), "militias": ("militia",), "groups": ("group",),
    "forces": ("force",), "guards": ("guard",), "airbase": ("air", "base"), "airbases": ("air", "base"),
    "airfield": ("air", "field"), "bases": ("base",), "u": ("us",), "usa": ("us",), "american": ("us",),
    "assad": ("asad",), "kataib": ("kataib",), "hizbollah": ("hezbollah",), "hizballah": ("hezbollah",),
    "hizbullah": ("hezbollah",), "katib": ("kataib",),
}
GENERIC_SITE_WORDS = [("international", "airport"), ("air", "base"), ("military", "base"), ("military", "outpost"),
                      ("air", "field"), ("landing", "zone"), ("mission", "support", "site"), ("base",), ("airport",),
                      ("garrison",), ("outpost",), ("camp",), ("compound",)]

# Country names as reports write them (ISO 3166-1 alpha-2): the region the dataset covers.
COUNTRIES = {
    "iraq": "IQ", "syria": "SY", "jordan": "JO", "lebanon": "LB", "israel": "IL", "iran": "IR",
    "yemen": "YE", "kuwait": "KW", "saudi arabia": "SA", "turkey": "TR", "turkiye": "TR",
    "bahrain": "BH", "qatar": "QA", "united arab emirates": "AE", "oman": "OM", "egypt": "EG",
}
COUNTRY_NAMES = {"IQ": "Iraq", "SY": "Syria", "JO": "Jordan", "LB": "Lebanon", "IL": "Israel", "IR": "Iran",
                 "YE": "Yemen", "KW": "Kuwait", "SA": "Saudi Arabia", "TR": "Turkey", "BH": "Bahrain",
                 "QA": "Qatar", "AE": "United Arab Emirates", "OM": "Oman", "EG": "Egypt"}

# First-level units (governorates) of Iraq, Syria and Jordan: the English name, the spellings
# reports use, and whether a city of the same name is its capital (so that "in Erbil" is a
# named place, and "Anbar" only a province).
PROVINCES = [
    ("IQ", "Anbar", ["anbar", "al anbar"], False), ("IQ", "Babil", ["babil", "babylon"], False),
    ("IQ", "Baghdad", ["baghdad"], True), ("IQ", "Basra", ["basra", "basrah"], True),
    ("IQ", "Dhi Qar", ["dhi qar"], False), ("IQ", "Diyala", ["diyala"], False),
    ("IQ", "Duhok", ["duhok", "dohuk", "dahuk"], True), ("IQ", "Erbil", ["erbil", "arbil", "irbil", "hawler"], True),
    ("IQ", "Halabja", ["halabja"], True), ("IQ", "Karbala", ["karbala"], True), ("IQ", "Kirkuk", ["kirkuk"], True),
    ("IQ", "Maysan", ["maysan", "missan"], False), ("IQ", "Muthanna", ["muthanna"], False),
    ("IQ", "Najaf", ["najaf"], True), ("IQ", "Nineveh", ["nineveh", "ninawa", "ninewa"], False),
    ("IQ", "Qadisiyah", ["qadisiyah", "diwaniyah"], False), ("IQ", "Saladin", ["saladin", "salahuddin", "salah al din"], False),
    ("IQ", "Sulaymaniyah", ["sulaymaniyah", "sulaimaniyah", "slemani"], True), ("IQ", "Wasit", ["wasit"], False),
    ("SY", "Aleppo", ["aleppo"], True), ("SY", "Damascus", ["damascus"], True),
    ("SY", "Rif Dimashq", ["rif dimashq", "damascus countryside", "rural damascus"], False),
    ("SY", "Daraa", ["daraa", "deraa"], True),
    ("SY", "Deir ez-Zor", ["deir ez zor", "deir al zor", "deir el zour", "deir ezzor", "deir al zour", "deir ez zour",
                           "deir el zor", "deir ezzour", "dayr al zawr"], True),
    ("SY", "Hama", ["hama"], True), ("SY", "Hasakah", ["hasakah", "al hasakah", "hasaka", "hasakeh", "hassakeh"], True),
    ("SY", "Homs", ["homs"], True), ("SY", "Idlib", ["idlib"], True), ("SY", "Latakia", ["latakia"], True),
    ("SY", "Quneitra", ["quneitra"], True), ("SY", "Raqqa", ["raqqa", "raqqah"], True),
    ("SY", "Suwayda", ["suwayda", "sweida", "suwaida"], True), ("SY", "Tartus", ["tartus"], True),
    ("JO", "Amman", ["amman"], True), ("JO", "Irbid", ["irbid"], True), ("JO", "Mafraq", ["mafraq"], True),
    ("JO", "Zarqa", ["zarqa"], True), ("JO", "Balqa", ["balqa"], False), ("JO", "Karak", ["karak"], True),
    ("JO", "Tafilah", ["tafilah"], True), ("JO", "Madaba", ["madaba"], True), ("JO", "Jerash", ["jerash"], True),
    ("JO", "Ajloun", ["ajloun"], True), ("JO", "Aqaba", ["aqaba"], True),
]
# Towns reports name often, with their province (not capitals of one).
TOWNS = [
    ("IQ", "Anbar", "Ramadi", ["ramadi"]), ("IQ", "Anbar", "Fallujah", ["fallujah", "falluja"]),
    ("IQ", "Anbar", "Al-Qaim", ["al qaim", "qaim"]), ("IQ", "Anbar", "Haditha", ["haditha"]),
    ("IQ", "Nineveh", "Mosul", ["mosul"]), ("IQ", "Saladin", "Tikrit", ["tikrit"]),
    ("IQ", "Diyala", "Baqubah", ["baqubah", "baquba"]), ("IQ", "Babil", "Jurf al-Sakhar", ["jurf al sakhar", "jurf al nasr"]),
    ("IQ", "Babil", "Hillah", ["hillah", "hilla"]), ("SY", "Hasakah", "Qamishli", ["qamishli"]),
    ("SY", "Hasakah", "Shaddadi", ["shaddadi", "al shaddadi", "shadadi"]),
    ("SY", "Deir ez-Zor", "Abu Kamal", ["abu kamal", "al bukamal", "bukamal", "boukamal"]),
    ("SY", "Deir ez-Zor", "Mayadin", ["mayadin", "mayadeen", "al mayadin"]),
]


def canonical(toks: list[Token], text: str = "") -> list[tuple[str, int]]:
    """(canonical word, index of its token) for matching names: stopwords out, spellings
    folded, "pro-Iran" read as "Iran-backed", "militia group" as "militia"."""
    out: list[tuple[str, int]] = []
    for i, tok in enumerate(toks):
        word = tok.norm
        if word in ARTICLES and text and text[tok.end:tok.end + 1] in "-\u2010\u2011":
            word = "al"
        if word in STOPWORDS:
            continue
        if word == "pro" and i + 1 < len(toks) and toks[i + 1].norm in ("iran", "iranian"):
            continue  # "pro-Iran X" -> "Iran-backed X"
        if word in ("iran",) and i > 0 and toks[i - 1].norm == "pro":
            out += [("iran", i), ("backed", i)]
            continue
        for w in CANON.get(word, (word,)):
            if w == "group" and out and out[-1][0] == "militia":
                continue
            out.append((w, i))
    return out


def key_of(name: str) -> tuple[str, ...]:
    return tuple(w for w, _ in canonical(tokens(name), name))


def name_variants(name: str) -> list[str]:
    """A record's name as reports may write it: without a parenthesised qualifier, the
    parenthesis itself ("Houthis (Ansar Allah)"), and each alternative of an "or"
    ("Iran-backed forces or militias" -> "... forces", "... militias")."""
    out = []
    inner = re.findall(r"\(([^)]*)\)", name)
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
    for base in [bare] + [i for i in inner if i.strip().lower() not in ("unspecified",)]:
        parts = [p.strip() for p in re.split(r"\s+or\s+", base) if p.strip()]
        if not parts:
            continue
        out.append(parts[0])
        lead = parts[0].rsplit(" ", 1)[0] if " " in parts[0] else ""
        out += [f"{lead} {p}".strip() for p in parts[1:]]
    return [o for o in out if o]


@dataclass
class Match:
    first: int   # index of the first token
    last: int    # index of the last token
    values: frozenset

    @property
    def value(self):
        return next(iter(self.values)) if len(self.values) == 1 else None


class Matcher:
    """Longest-first, left-to-right matching of canonical word sequences."""

    def __init__(self):
        self.keys: dict[tuple, set] = {}
        self.longest = 1

    def add(self, key: tuple, value) -> None:
        if key:
            self.keys.setdefault(key, set()).add(value)
            self.longest = max(self.longest, len(key))

    def find(self, canon: list[tuple[str, int]]) -> list[Match]:
        out, i = [], 0
        words = [w for w, _ in canon]
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                values = self.keys.get(tuple(words[i:i + n]))
                if values:
                    out.append(Match(canon[i][1], canon[i + n - 1][1], frozenset(values)))
                    i += n
                    break
            else:
                i += 1
        return out


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    country: str | None
    admin1: str | None


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str | None


@dataclass(frozen=True)
class Place:
    """A town or province from the fixed table."""
    name: str
    country: str
    admin1: str
    is_town: bool


@dataclass(frozen=True)
class IncidentRef:
    id: str
    start: str
    end: str
    site: str | None
    place_words: frozenset
    weapons: frozenset
    event_type: str | None


@dataclass
class Lexicon:
    sites: dict[str, Site] = field(default_factory=dict)
    site_names: Matcher = field(default_factory=Matcher)
    site_cores: Matcher = field(default_factory=Matcher)  # names without their generic words
    actors: dict[str, Actor] = field(default_factory=dict)
    actor_names: Matcher = field(default_factory=Matcher)
    acronyms: dict[str, set] = field(default_factory=dict)  # case-sensitive, e.g. IRGC
    places: Matcher = field(default_factory=Matcher)
    countries: Matcher = field(default_factory=Matcher)
    incidents: list[IncidentRef] = field(default_factory=list)
    terms: dict[str, list[str]] = field(default_factory=dict)  # vocabulary name -> terms
    site_keys: dict[str, set] = field(default_factory=dict)  # site id -> its name keys (for links)

    def actor_for(self, phrase: str) -> str | None:
        """The actor a phrase names, if exactly one does (e.g. "U.S. forces" -> us-armed-forces)."""
        found = self.actor_names.find(canonical(tokens(phrase), phrase))
        if len(found) == 1 and found[0].value:
            return found[0].value
        return None

    def site_for(self, phrase: str) -> Site | None:
        canon = canonical(tokens(phrase), phrase)
        for match in self.site_names.find(canon) + self.site_cores.find(canon):
            if match.value:
                return self.sites[match.value]
        return None


def _read_records(folder: Path) -> list[dict]:
    """The active records of a folder, read with libyaml's safe loader (fast; the lexicon
    only reads names, ids and dates, and a file it cannot read is simply left out: checking
    records is `validate`'s work)."""
    import yaml
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.rglob("*.yaml")):
        try:
            if not path.is_file() or path.stat().st_size > 1_000_000:
                continue
            data = yaml.load(path.read_bytes().decode("utf-8-sig"), Loader=loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, RecursionError):
            continue
        if isinstance(data, dict) and data.get("status", "active") == "active":
            out.append(data)
    return out


def _text(value) -> str | None:
    if hasattr(value, "isoformat") and not isinstance(value, str):  # an unquoted date
        value = value.isoformat()
    return value if isinstance(value, str) and value.strip() else None


def _strip_generic(key: tuple) -> tuple:
    for generic in GENERIC_SITE_WORDS:
        if len(key) > len(generic) and key[-len(generic):] == generic:
            return key[:-len(generic)]
    return key


PLACE_NOISE = {"near", "base", "air", "area", "city", "province", "governorate", "northern", "southern", "eastern",
               "western", "central", "suburbs", "site", "sites", "military", "us", "coalition", "al", "not", "named",
               "reported", "sources", "read", "three", "two", "street", "headquarters", "district", "field", "oil",
               "gas", "international", "airport", "residence", "building", "zone", "landing", "outskirts"}


def _add_sites(lex: Lexicon, records: list[dict]) -> None:
    for rec in records:
        sid, name = _text(rec.get("id")), _text(rec.get("name"))
        if not sid or not name:
            continue
        lex.sites[sid] = Site(sid, name, _text(rec.get("country")), _text(rec.get("admin1")))
        aliases = [a for a in rec.get("aliases") or [] if isinstance(a, str)]
        keys = set()
        for label in [name, *aliases]:
            for variant in name_variants(label):
                key = key_of(variant)
                if not key:
                    continue
                keys.add(key)
                lex.site_names.add(key, sid)
                core = _strip_generic(key)
                if core != key:
                    lex.site_cores.add(core, sid)
                    if core[0] == "al" and len(core) > 1:
                        lex.site_cores.add(core[1:], sid)
        lex.site_keys[sid] = keys


def _add_actors(lex: Lexicon, records: list[dict]) -> None:
    for rec in records:
        aid, name = _text(rec.get("id")), _text(rec.get("name"))
        if not aid or not name:
            continue
        lex.actors[aid] = Actor(aid, name, _text(rec.get("kind")))
        labels = [name] + [a.get("name") for a in rec.get("aliases") or [] if isinstance(a, dict)]
        for label in filter(_text, labels):
            if re.fullmatch(r"[A-Z][A-Z0-9-]{1,7}", label):
                lex.acronyms.setdefault(label, set()).add(aid)
                continue
            for variant in name_variants(label):
                lex.actor_names.add(key_of(variant), aid)


def _add_incidents(lex: Lexicon, records: list[dict]) -> None:
    for rec in records:
        when, place = rec.get("when"), rec.get("place")
        if not (_text(rec.get("id")) and isinstance(when, dict) and _text(when.get("start"))):
            continue
        place = place if isinstance(place, dict) else {}
        words = {w for w in key_of(str(place.get("name") or "")) if w not in PLACE_NOISE and not w.isdigit() and len(w) > 2}
        words -= set(COUNTRIES)
        weapons = rec.get("weapons") if isinstance(rec.get("weapons"), list) else []
        start = _text(when.get("start"))
        lex.incidents.append(IncidentRef(rec["id"], start, _text(when.get("end")) or start,
                                         _text(place.get("site")), frozenset(words),
                                         frozenset(w for w in weapons if isinstance(w, str)),
                                         _text(rec.get("event_type"))))


def _add_fixed(lex: Lexicon) -> None:
    for name, code in COUNTRIES.items():
        lex.countries.add(key_of(name), code)
    for country, admin1, spellings, capital in PROVINCES:
        for spelling in spellings:
            lex.places.add(key_of(spelling), Place(admin1, country, admin1, capital))
    for country, admin1, town, spellings in TOWNS:
        for spelling in spellings:
            lex.places.add(key_of(spelling), Place(town, country, admin1, True))


def _add_terms(lex: Lexicon, root: Path) -> None:
    import json
    try:
        schema = json.loads((root / "schema" / "incident.schema.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):  # the draft works without them; `validate` reports a broken schema
        return
    props = schema.get("properties", {})
    lex.terms["event_type"] = list(props.get("event_type", {}).get("enum", []))
    lex.terms["weapons"] = list(props.get("weapons", {}).get("items", {}).get("enum", []))
    lex.terms["outcome"] = list(props.get("outcome", {}).get("enum", []))


def load_lexicon(root: Path) -> Lexicon:
    lex = Lexicon()
    datasets = root / "datasets"
    _add_sites(lex, _read_records(datasets / "sites"))
    _add_actors(lex, _read_records(datasets / "actors"))
    _add_incidents(lex, _read_records(datasets / "incidents"))
    _add_fixed(lex)
    _add_terms(lex, root)
    return lex


__all__ = ["Lexicon", "load_lexicon", "canonical", "key_of", "Match", "Site", "Actor", "Place", "IncidentRef",
           "COUNTRIES", "COUNTRY_NAMES", "fold"]
