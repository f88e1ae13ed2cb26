"""The draft's plain functions: read a report, draft it, write the draft (see the package)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .extract import Extraction, Found, extract
from .lexicon import Lexicon, load_lexicon
from .render import render_incident, render_posture
from .text import clean

MAX_BYTES = 1_000_000  # a news report is a few kilobytes; a larger input is not one report
GENERIC_WORDS = re.compile(r"\s+(?:air\s?base|base|garrison|landing zone|international airport|airport|outpost)$", re.I)
WEAPON_WORDS = {"rocket": "rockets", "one-way-attack-drone": "drones", "ballistic-missile": "ballistic-missiles",
                "cruise-missile": "cruise-missiles", "mortar": "mortars", "ied": "ied", "small-arms": "gunfire",
                "crewed-aircraft-strike": "airstrike", "uncrewed-aircraft-strike": "drone-strike",
                "guided-missile": "missiles"}
TITLE_WORDS = {"rocket": "Rocket", "one-way-attack-drone": "Drone", "ballistic-missile": "Ballistic missile",
               "cruise-missile": "Cruise missile", "mortar": "Mortar", "ied": "IED", "small-arms": "Gunfire",
               "crewed-aircraft-strike": "Airstrike", "uncrewed-aircraft-strike": "Drone strike", "guided-missile": "Missile"}


@dataclass
class ReportProblem:
    code: str      # empty-file, not-utf8, file-too-large, file-unreadable
    message: str

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


@dataclass
class Draft:
    record_id: str
    yaml: str
    blanks: list[str]
    missing: list[str]
    same_event: list[str]
    postures: list[dict] = field(default_factory=list)   # {"id", "yaml", "blanks"}
    found_event: bool = True
    extraction: Extraction | None = None
    options: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"id": self.record_id, "yaml": self.yaml, "blank": self.blanks, "missing": self.missing,
                "same_event": self.same_event, "found_event": self.found_event,
                "force_posture": [{"id": p["id"], "yaml": p["yaml"], "blank": p["blanks"]} for p in self.postures]}

    def text(self) -> str:
        """The incident, then each posture figure, as one stream of YAML documents."""
        parts = [self.yaml] + [f"---\n{p['yaml']}" for p in self.postures]
        return "".join(parts)


def read_report(source: str | Path, stdin=None) -> tuple[str | None, ReportProblem | None]:
    """The report's text from a file or `-` (standard input), or the problem that stops it."""
    name = "standard input" if str(source) == "-" else str(source)
    try:
        if str(source) == "-":
            stream = stdin or sys.stdin
            raw = stream.buffer.read(MAX_BYTES + 1) if hasattr(stream, "buffer") else stream.read(MAX_BYTES + 1)
            raw = raw.encode("utf-8") if isinstance(raw, str) else raw
        else:
            path = Path(source)
            if not path.is_file():
                return None, ReportProblem("file-unreadable", f"{name}: no such file")
            with path.open("rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, ReportProblem("file-unreadable", f"{name}: cannot be read ({exc.strerror or exc})")
    if len(raw) > MAX_BYTES:
        return None, ReportProblem("file-too-large", f"{name}: more than {MAX_BYTES:,} bytes; give the text of one report")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, ReportProblem("not-utf8", f"{name}: byte 0x{raw[exc.start]:02x} at offset {exc.start} is not UTF-8; "
                                               "save the text as UTF-8 and try again")
    if not text.strip():
        return None, ReportProblem("empty-file", f"{name}: empty; paste or save the report's text first")
    return text, None


def _short_place(name: str) -> str:
    return GENERIC_WORDS.sub("", name.split(",")[0]).strip()


def _title(ex: Extraction) -> Found | None:
    place = ex.place.get("name")
    if not place or not ex.event_type:
        return None
    weapon = ex.weapons[0].value if len(ex.weapons) == 1 else None
    if ex.event_type.value == "strike":
        head = f"{TITLE_WORDS.get(weapon, 'Strike')} in {place.value}"
    else:
        broad = ex.place.get("geo_precision") and ex.place["geo_precision"].value in ("country", "admin1")
        head = f"{TITLE_WORDS.get(weapon, '')} attack {'in' if broad else 'on'} {place.value}".strip()
        head = head[0].upper() + head[1:]
    words = "; ".join(filter(None, [ex.event_type.quote, ex.weapons[0].quote if weapon else None, place.quote]))
    return Found(head, words, "composed from the event, weapon and place below: put it in your own words")


def _key(options: dict) -> str:
    from ..template import slugify
    publisher = slugify(options.get("publisher") or "") if options.get("publisher") else "report"
    publisher = publisher[:40].strip("-") or "report"
    return f"{publisher}-{options['published']}" if options.get("published") else publisher


def _incident_id(ex: Extraction, options: dict, taken: set[str]) -> str:
    from ..template import next_free, slugify
    date = (ex.when.get("start").value if ex.when.get("start") else None) or options.get("published") \
        or dt.date.today().isoformat()
    words = []
    if ex.place.get("name"):
        words.append(slugify(_short_place(ex.place["name"].value)))
    if ex.event_type and ex.event_type.value == "strike":
        words.append("strike")
    elif ex.weapons:
        words.append(WEAPON_WORDS.get(ex.weapons[0].value, "attack"))
    slug = "-".join(w for w in words if w and w != "new")[:60].strip("-") or "new-incident"
    return next_free(f"inc-{date}-{slug}", taken)


def _posture_id(item: dict, options: dict, ex: Extraction, taken: set[str]) -> str:
    from ..template import next_free
    date = options.get("published") or (ex.when.get("start").value if ex.when.get("start") else None) \
        or dt.date.today().isoformat()
    return next_free(f"fp-{item.get('force') or 'force'}-{(item.get('country') or 'xx').lower()}-{date}", taken)


def _schema_version(root: Path) -> str:
    try:
        return (root / "schema" / "VERSION").read_text(encoding="utf-8").strip() or "1.0.0"
    except OSError:
        return "1.0.0"


def draft_report(text: str, root: Path, *, url: str | None = None, publisher: str | None = None,
                 title: str | None = None, published: str | None = None, lexicon: Lexicon | None = None) -> Draft:
    """Draft one incident record (and the posture figures it states) from a report's text.
    `published` is YYYY-MM-DD (ValueError otherwise): relative dates are resolved against it."""
    pub = dt.date.fromisoformat(published) if published else None
    if published and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", published):
        raise ValueError(f"{published!r} is not YYYY-MM-DD")
    options = {"url": url, "publisher": publisher, "title": title, "published": published}
    lex = lexicon or load_lexicon(root)
    ex = extract(clean(text), lex, pub)
    from ..template import existing_ids
    taken = existing_ids(root)
    return _assemble(ex, lex, options, root, taken)


def _assemble(ex: Extraction, lex: Lexicon, options: dict, root: Path, taken: set[str]) -> Draft:
    from ..template import _blank_paths
    version = _schema_version(root)
    key = _key(options)
    record_id = _incident_id(ex, options, taken)
    missing = list(dict.fromkeys(ex.missing))
    yaml_text = render_incident(ex, record_id=record_id, version=version, key=key, options=options,
                                title=_title(ex), missing=missing, same_event=ex.same_event, terms=lex.terms)
    postures, used = [], set(taken) | {record_id}
    for item in ex.posture:
        pid = _posture_id(item, options, ex, used)
        used.add(pid)
        ptext = render_posture(item, record_id=pid, version=version, key=key, options=options, ex=ex)
        postures.append({"id": pid, "yaml": ptext, "blanks": _blank_paths(ptext)})
    found_event = ex.event_type is not None
    return Draft(record_id, yaml_text, _blank_paths(yaml_text), missing, ex.same_event, postures, found_event, ex, options)


@dataclass
class Written:
    path: Path
    record_id: str
    blanks: list[str]


def write_draft(draft: Draft, root: Path) -> list[Written]:
    """Save the incident under datasets/incidents/YYYY/ and each posture figure under
    datasets/force_posture/, with ids still free now; never overwrite a file."""
    from ..template import existing_ids, record_path
    taken = existing_ids(root)
    if draft.record_id in taken or any(p["id"] in taken for p in draft.postures):
        draft = _assemble(draft.extraction, load_lexicon(root), draft.options, root, taken)
    out = []
    records = [("incident", draft.record_id, draft.yaml, draft.blanks)]
    records += [("force_posture", p["id"], p["yaml"], p["blanks"]) for p in draft.postures]
    for record_type, record_id, text, blanks in records:
        path = record_path(root, record_type, record_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:  # never overwrite
            handle.write(text)
        out.append(Written(path, record_id, blanks))
    return out
