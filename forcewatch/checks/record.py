"""Per-record semantic checks: run on every record that passed its schema."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import os

from ..countries import BOUNDING_BOXES, ISO_ALPHA2
from ..harm import choose
from .harm import check_whole_below_parts


def today() -> dt.date:
    """Today's date; FORCEWATCH_TODAY=YYYY-MM-DD pins it (for reproducible checks and tests)."""
    pinned = os.environ.get("FORCEWATCH_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()

NEEDS_NUMBER = {
    "exact": ("best",),
    "approximately": ("best",),
    "at-least": ("low", "best"),
    "at-most": ("high", "best"),
    "range": ("low", "high"),
}


def _estimates(record, record_type):
    """(path, estimate dict) for every count in the record."""
    if record_type == "incident":
        for i, fig in enumerate(record.get("casualties", [])):
            yield ("casualties", i), fig
        for i, fig in enumerate(record.get("munitions", [])):
            yield ("munitions", i), fig
    elif record_type == "force_posture":
        yield ("personnel",), record["personnel"]
    elif record_type == "tally":
        yield ("count",), record["count"]
        for i, part in enumerate(record.get("breakdown", [])):
            yield ("breakdown", i), part


def check_estimates(record, record_type):
    for path, est in _estimates(record, record_type):
        numbers = [(k, est[k]) for k in ("low", "best", "high") if k in est]
        for (ka, a), (kb, b) in zip(numbers, numbers[1:]):
            if a > b:
                yield ("estimate-order", path + (kb,),
                       f"`{ka}` ({a}) is greater than `{kb}` ({b}); estimates need low <= best <= high",
                       "check the figures against the source")
        qualifier = est["qualifier"]
        needed = NEEDS_NUMBER.get(qualifier)
        if needed:
            ok = all(k in est for k in needed) if qualifier == "range" else any(k in est for k in needed)
            if not ok:
                yield ("estimate-empty", path + ("qualifier",),
                       f"qualifier `{qualifier}` needs `{'` and `'.join(needed) if qualifier == 'range' else '` or `'.join(needed)}`",
                       "add the number the source gives, or use `several`, `dozens` or `unknown`")


def _partial_bounds(text: str) -> tuple[dt.date, dt.date]:
    parts = [int(p) for p in text.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = parts[1]
    if len(parts) == 2:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    day = dt.date(year, month, parts[2])
    return day, day


def check_dates(record, record_type):
    when = record.get("when")
    if when:
        start, end = dt.date.fromisoformat(when["start"]), dt.date.fromisoformat(when["end"])
        if start > end:
            yield ("date-order", ("when", "end"),
                   f"`end` ({end}) is before `start` ({start})", "swap or correct the dates")
        else:
            span = (end - start).days + 1
            precision = when["precision"]
            problem = None
            if precision == "day" and span != 1:
                problem = "a `day` has start equal to end"
            elif precision == "few-days" and not 2 <= span <= 6:
                problem = "`few-days` spans 2 to 6 days"
            elif precision == "week" and span > 7:
                problem = "`week` spans at most 7 days"
            elif precision == "month" and (start.year, start.month) != (end.year, end.month):
                problem = "a `month` range stays inside one calendar month"
            elif precision == "year" and start.year != end.year:
                problem = "a `year` range stays inside one year"
            if problem:
                yield ("date-precision-mismatch", ("when", "precision"),
                       f"{start}..{end} ({span} days) does not fit precision `{precision}`: {problem}",
                       "correct the range or choose the precision that matches it")
    period = record.get("period") if record_type == "tally" else None
    if period and period["from"] > period["as_of"]:
        yield ("date-order", ("period", "as_of"),
               f"`as_of` ({period['as_of']}) is before `from` ({period['from']})", "swap or correct the dates")
    for i, rel in enumerate(record.get("relations", [])):
        if "start" in rel and "end" in rel:
            if _partial_bounds(rel["start"])[0] > _partial_bounds(rel["end"])[1]:
                yield ("date-order", ("relations", i, "end"),
                       f"relation ends ({rel['end']}) before it starts ({rel['start']})",
                       "swap or correct the dates")


def check_countries(record, record_type):
    spots = [("place", "country"), ("launch_point", "country"), ("home_country",), ("country",)]
    for spot in spots:
        value = record
        for part in spot:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str) and value not in ISO_ALPHA2:
            yield ("unknown-country", spot, f"`{value}` is not an ISO 3166-1 alpha-2 country code",
                   "use the two-letter ISO code, e.g. IQ (Iraq), SY (Syria), JO (Jordan)")
    if record_type == "tally":
        yield from _tally_parts(record)
        listed = [(("countries", i), c) for i, c in enumerate(record["countries"])]
        listed += [(("breakdown", i, "country"), part["country"]) for i, part in enumerate(record.get("breakdown", []))]
        for path, value in listed:
            if value not in ISO_ALPHA2:
                yield ("unknown-country", path, f"`{value}` is not an ISO 3166-1 alpha-2 country code",
                       "use the two-letter ISO code, e.g. IQ (Iraq), SY (Syria), JO (Jordan)")


def _tally_parts(record):
    """A tally's breakdown names each country or site once, and only countries in its scope."""
    seen = {}
    for i, part in enumerate(record.get("breakdown", [])):
        key = (part["country"], part.get("site"))
        where = f"site `{key[1]}`" if key[1] else f"country {key[0]}"
        if key in seen:
            yield ("breakdown-mismatch", ("breakdown", i),
                   f"breakdown[{seen[key]}] already gives the part for {where}",
                   "give each country (or site) one part; a source's split by base needs `site` on each part")
        else:
            seen[key] = i
        if part["country"] not in record["countries"]:
            yield ("breakdown-mismatch", ("breakdown", i, "country"),
                   f"the part for {part['country']} is outside the tally's countries ({', '.join(record['countries'])})",
                   "add the country to `countries` or correct the part")


def _key_lists(record):
    """(path, list of source keys) for every place a record cites its sources by key."""
    for group in ("actors", "links", "casualties", "munitions", "relations", "breakdown"):
        for i, item in enumerate(record.get(group, [])):
            if "sources" in item:
                yield (group, i, "sources"), item["sources"]
    for single in ("responsibility", "launch_point", "count"):
        if single in record and "sources" in record[single]:
            yield (single, "sources"), record[single]["sources"]
    if "coordinates_source" in record:
        yield ("coordinates_source",), [record["coordinates_source"]]


def check_source_keys(record, record_type):
    keys = {}
    for i, source in enumerate(record["sources"]):
        key = source["key"]
        if key in keys:
            yield ("duplicate-source-key", ("sources", i, "key"),
                   f"source key `{key}` is already used by sources[{keys[key]}]", "give each source its own key")
        else:
            keys[key] = i
    from ..schemas import suggest
    for path, cited in _key_lists(record):
        for j, key in enumerate(cited):
            if key not in keys:
                guess = suggest(key, keys)
                at = path + (j,) if path[-1] == "sources" else path
                yield ("unknown-source-key", at, f"`{key}` is not the key of any of this record's sources",
                       f"did you mean `{guess}`?" if guess else "known keys: " + ", ".join(keys))


def check_status(record, record_type):
    status = record["status"]
    has_reason, has_merge = "retraction_reason" in record, "merged_into" in record
    if status == "retracted" and not has_reason:
        yield ("status-fields", ("status",), "a retracted record needs a `retraction_reason`", "say why it was retracted")
    if status == "merged" and not has_merge:
        yield ("status-fields", ("status",), "a merged record needs `merged_into`", "name the record it was merged into")
    if status != "retracted" and has_reason:
        yield ("status-fields", ("retraction_reason",), f"`retraction_reason` given but status is `{status}`",
               "set status to `retracted` or remove the reason")
    if status != "merged" and has_merge:
        yield ("status-fields", ("merged_into",), f"`merged_into` given but status is `{status}`",
               "set status to `merged` or remove `merged_into`")
    if has_merge and record.get("merged_into") == record.get("id"):
        yield ("status-fields", ("merged_into",), "a record cannot be merged into itself", "name the surviving record")


def check_conflicting_figures(record, record_type):
    """The figure that counts is chosen by one rule (`harm.choose`); this says when the
    record leaves the choice open."""
    if record_type != "incident":
        return
    groups = {}
    for group, keyf in (("casualties", lambda f: (f["party"], f["harm"])), ("munitions", lambda f: (f["weapon"],))):
        for i, fig in enumerate(record.get(group, [])):
            groups.setdefault((group, keyf(fig)), []).append((i, fig))
    for (group, key), figs in groups.items():
        if len(figs) == 1:
            continue  # one figure: nothing to choose between
        choice = choose([f for _, f in figs])
        distinct, preferred = choice.distinct, [figs[j] for j in choice.preferred]
        label = " ".join(key)
        if distinct > 1 and not preferred:
            yield ("conflicting-figures", (group, figs[0][0]),
                   f"{distinct} different figures for {label} and none is marked preferred"
                   + ("; the harm summary counts the range they span" if group == "casualties" else ""),
                   "mark the best one `preferred: true` and give a `reason`")
        elif len(preferred) > 1:
            yield ("conflicting-figures", (group, preferred[1][0], "preferred"),
                   f"{len(preferred)} figures for {label} are marked preferred; mark one",
                   "keep `preferred: true` on the best figure only")
        elif preferred and distinct > 1 and not preferred[0][1].get("reason"):
            yield ("conflicting-figures", (group, preferred[0][0], "preferred"),
                   f"the preferred figure for {label} has no `reason`", "say why this figure is preferred")


def check_munition_weapons(record, record_type):
    if record_type != "incident":
        return
    weapons = set(record["weapons"])
    for i, mun in enumerate(record.get("munitions", [])):
        if mun["weapon"] not in weapons:
            yield ("munition-weapon-mismatch", ("munitions", i, "weapon"),
                   f"`{mun['weapon']}` is not one of this incident's weapons ({', '.join(record['weapons'])})",
                   "add it to `weapons` or correct the count's weapon")


_DATED = ((("when", "start"), "the incident starts {}, after today"),
          (("as_of", "date"), "the figure's as-of date is {}, after today"),
          (("period", "as_of"), "the count's as-of date is {}, after today"))
_SOURCE_DATED = (("published", "`published` {} is after today"), ("accessed", "`accessed` {} is after today"))


def _dated_spots(record):
    """(path, date text, the message's template) for every date `check_future_dates`
    compares with today."""
    for path, template in _DATED:
        value = record
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str):
            yield path, value, template
    for i, source in enumerate(record["sources"]):
        for key, template in _SOURCE_DATED:
            if key in source:
                yield ("sources", i, key), source[key], template


def latest_date(record) -> str:
    """The latest date a schema-valid record holds that `check_future_dates` compares with
    today ("" if none). That check is the only one whose verdict changes with the day, so a
    cached result that found no future date stays true while this date is not after today."""
    return max((value for _, value, _ in _dated_spots(record)), default="")


def check_future_dates(record, record_type):
    now = today()
    for path, value, template in _dated_spots(record):
        if dt.date.fromisoformat(value) > now:
            yield ("date-in-future", path, f"{template.format(value)} ({now})", "check the year and month")


def check_source_dates(record, record_type):
    if record_type != "incident":
        return
    start = dt.date.fromisoformat(record["when"]["start"])
    for i, source in enumerate(record["sources"]):
        if "published" in source and dt.date.fromisoformat(source["published"]) < start:
            yield ("source-before-event", ("sources", i, "published"),
                   f"source `{source['key']}` was published {source['published']}, before the incident's "
                   f"first possible day {start}", "check both dates; background sources belong on the record they report")


def _coordinate_spots(record):
    for container, country_key in ((("place",), "country"), (("launch_point",), "country"), ((), "country")):
        obj = record
        for part in container:
            obj = obj.get(part) if isinstance(obj, dict) else None
        if isinstance(obj, dict) and "coordinates" in obj and country_key in obj:
            yield container + ("coordinates",), obj["coordinates"], obj[country_key]


def check_coordinates_in_country(record, record_type):
    for path, coords, country in _coordinate_spots(record):
        box = BOUNDING_BOXES.get(country)
        if box is None:
            continue
        lat, lon = coords["lat"], coords["lon"]
        if not (box[0] <= lat <= box[2] and box[1] <= lon <= box[3]):
            yield ("coordinates-outside-country", path,
                   f"({lat}, {lon}) is outside {country} (latitude {box[0]}..{box[2]}, longitude {box[1]}..{box[3]})",
                   "check that latitude and longitude are not swapped, and the country code")


# Bidirectional controls: the embeddings and overrides (U+202A-U+202E) and the isolates
# (U+2066-U+2069). In a title or a wording they can make text read differently from what it
# is (a "Trojan Source" trick), in the docs, the CSV and every viewer; no source text needs
# them. Arabic and Hebrew script need no control: their direction is a property of the
# letters. The marks U+200E/U+200F, which change nothing but the place of punctuation, stay.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_BIDI_NAMES = {0x202A: "LEFT-TO-RIGHT EMBEDDING", 0x202B: "RIGHT-TO-LEFT EMBEDDING",
               0x202C: "POP DIRECTIONAL FORMATTING", 0x202D: "LEFT-TO-RIGHT OVERRIDE",
               0x202E: "RIGHT-TO-LEFT OVERRIDE", 0x2066: "LEFT-TO-RIGHT ISOLATE",
               0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE",
               0x2069: "POP DIRECTIONAL ISOLATE"}


def _texts(value, path=()):
    """(path, text) for every key and text value in a record."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield path + (key,), key
            yield from _texts(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, path + (i,))


def check_bidi_controls(record, record_type):
    """Any text (or field name) holding a bidirectional control character. Runs whether or
    not the record passed its schema, and only on files whose text holds one (the loader
    tells), so that it costs nothing on the others."""
    seen = set()
    for path, text in _texts(record):
        found = BIDI_CONTROLS.search(text)
        if found is None or path in seen:
            continue
        seen.add(path)
        char = ord(found.group())
        field = next((str(p) for p in reversed(path) if not isinstance(p, int)), "record")
        yield ("bidi-control", path,
               f"`{field}` holds the invisible control character U+{char:04X} ({_BIDI_NAMES[char]}) at "
               f"character {found.start() + 1}, which can make the text read differently from what it is",
               "delete the character (it is invisible in most editors); right-to-left script needs no "
               "control character")


RECORD_CHECKS = [
    check_estimates,
    check_dates,
    check_countries,
    check_source_keys,
    check_status,
    check_conflicting_figures,
    check_whole_below_parts,
    check_munition_weapons,
    check_future_dates,
    check_source_dates,
    check_coordinates_in_country,
]
