"""Dates and times as reports write them, resolved against the publication date.

"late Monday" in a report of Tuesday 6 August 2024 is Monday 5 August, evening; "last week"
is the Monday-to-Sunday week before the publication's; "late last month" is the 21st to the
end of the previous month. A relative date with no publication date stays unresolved (the
draft leaves the date blank and says why). A clock time in U.S. Eastern time (ET, EST, EDT)
or UTC is converted to the local time of the place (Iraq, Syria, Jordan: UTC+3), and so may
change the local date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

LOCAL_UTC_OFFSET = 3  # Iraq, Syria and Jordan (Syria and Jordan keep UTC+3 all year since 2022)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
_WD = "(?P<wd>" + "|".join(WEEKDAYS) + ")"
_WD2 = "(?P<wd2>" + "|".join(WEEKDAYS) + ")"
_MONTH = "(?P<m>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_PART = r"(?P<part>morning|afternoon|evening|night)"
_US_ZONE = r"(?:\s*\(?(?P<zone>ET|EST|EDT|Eastern(?: [Tt]ime)?|Washington time|U\.S\. time)\)?)?"

TIME_OF_PART = {"morning": "morning", "afternoon": "afternoon", "evening": "evening", "night": "night"}
PART_HOURS = {"early-morning": (0, 6), "morning": (6, 11), "midday": (11, 14), "afternoon": (14, 18),
              "evening": (18, 22), "night": (22, 24)}


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    first: dt.date | None = None
    last: dt.date | None = None
    precision: str | None = None
    time_of_day: str | None = None
    us_zone: bool = False       # the report counts this in U.S. Eastern time
    speech: bool = False        # the date of a statement ("officials said Monday"), not of the event
    unresolved: str | None = None

    def contains(self, other: "DateMention") -> bool:
        return bool(self.first and other.first and self.first <= other.first and other.last <= self.last)


@dataclass
class TimeMention:
    start: int
    end: int
    text: str
    hour: int
    minute: int
    zone: str | None  # "local", "us-eastern", "utc" or None (not said)


def _weekday_date(name: str, published: dt.date, strictly_before: bool = False) -> dt.date:
    delta = (published.weekday() - WEEKDAYS.index(name.lower())) % 7
    if delta == 0 and strictly_before:
        delta = 7
    return published - dt.timedelta(days=delta)


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _part_of_month(year: int, month: int, pos: str | None) -> tuple[dt.date, dt.date]:
    first, last = _month_bounds(year, month)
    pos = (pos or "").lower()
    if pos == "early":
        return first, first.replace(day=10)
    if pos == "mid":
        return first.replace(day=11), first.replace(day=20)
    if pos == "late":
        return first.replace(day=21), last
    return first, last


def _previous_month(day: dt.date) -> tuple[int, int]:
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def _infer_year(month: int, day: int, published: dt.date | None) -> int | None:
    if published is None:
        return None
    year = published.year
    try:
        if dt.date(year, month, day) > published + dt.timedelta(days=2):
            year -= 1
    except ValueError:
        return None
    return year


def _resolve(kind: str, m: re.Match, published: dt.date | None) -> dict:
    """first/last/precision/time_of_day for one matched expression."""
    g = m.groupdict()
    need_pub = {"unresolved": f"'{m.group()}' is relative and the report's publication date is not known "
                              "(give --published)"}
    if kind in ("iso", "md", "dm"):
        if kind == "iso":
            try:
                day = dt.date.fromisoformat(m.group())
            except ValueError:
                return {"unresolved": f"'{m.group()}' is not a calendar date"}
            return {"first": day, "last": day, "precision": "day"}
        month, day_n = MONTHS[g["m"].lower()], int(g["d"])
        year = int(g["y"]) if g.get("y") else _infer_year(month, day_n, published)
        if year is None:
            return {"unresolved": f"'{m.group()}' gives no year and the publication date is not known (give --published)"}
        try:
            day = dt.date(year, month, day_n)
        except ValueError:
            return {"unresolved": f"'{m.group()}' is not a calendar date"}
        return {"first": day, "last": day, "precision": "day"}
    if kind == "month":
        month = MONTHS[g["m"].lower()]
        year = int(g["y"]) if g.get("y") else (_infer_year(month, 1, published) if published else None)
        if year is None:
            return need_pub
        first, last = _part_of_month(year, month, g.get("pos"))
        return {"first": first, "last": last, "precision": "month"}
    if published is None:
        out = dict(need_pub)
    else:
        out = {}
    part = None
    if kind in ("weekday", "weekday-part", "early-late", "early-hours", "last-weekday"):
        if published is not None:
            day = _weekday_date(g["wd"], published, strictly_before=kind == "last-weekday")
            out.update(first=day, last=day, precision="day")
        if kind == "weekday-part":
            part = TIME_OF_PART[g["part"].lower()]
        elif kind == "early-hours":
            part = "early-morning"
        elif kind == "early-late":
            mod = g["mod"].lower()
            part = "early-morning" if mod == "early" else ("night" if (g.get("part") or "").lower() == "night" else "evening")
    elif kind == "overnight":
        if published is not None:
            if g.get("wd"):
                first = _weekday_date(g["wd"], published)
                if g.get("into"):
                    first = first - dt.timedelta(days=1)
            else:
                first = published - dt.timedelta(days=1)
            out.update(first=first, last=first + dt.timedelta(days=1), precision="few-days")
    elif kind == "night-into":
        if published is not None:
            first = _weekday_date(g["wd"], published)
            out.update(first=first, last=first + dt.timedelta(days=1), precision="few-days")
    elif kind == "relative-day":
        word = m.group().lower()
        if published is not None:
            day = published - dt.timedelta(days=1) if word.startswith("yesterday") else published
            out.update(first=day, last=day, precision="day")
        for p in ("morning", "afternoon", "evening"):
            if p in word:
                part = p
        if "tonight" in word:
            part = "night"
    elif kind == "week":
        if published is not None:
            monday = published - dt.timedelta(days=published.weekday())
            word = m.group().lower()
            if "last" in word or "past" in word:
                first, last = monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)
            elif "earlier" in word:
                first, last = monday, max(monday, published - dt.timedelta(days=1))
            else:
                first, last = monday, published
            out.update(first=first, last=last, precision="week" if first != last else "day")
    elif kind == "rel-month":
        if published is not None:
            word = m.group().lower()
            if "last" in word:
                year, month = _previous_month(published)
                first, last = _part_of_month(year, month, g.get("pos"))
            else:  # "earlier this month", "this month"
                first = published.replace(day=1)
                last = published - dt.timedelta(days=1) if "earlier" in word and published.day > 1 else published
            out.update(first=first, last=last, precision="month")
    if part:
        out["time_of_day"] = part
    return out


# (kind, pattern): the longest and most specific first; overlapping later matches are dropped.
PATTERNS = [
    ("iso", r"\b\d{4}-\d{2}-\d{2}\b"),
    ("md", rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?\b"),
    ("dm", rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?P<y>\d{{4}}))?\b"),
    ("month", rf"\b(?P<pos>early|mid|late)[- ]{_MONTH}(?:\s+(?P<y>\d{{4}}))?\b"),
    ("rel-month", r"\b(?:(?P<pos>early|mid|late)[- ]last month|last month|earlier this month|this month)\b"),
    ("night-into", rf"\b{_WD}\s+night\s+into\s+{_WD2}\b"),
    ("overnight", rf"\bovernight(?:\s+(?:on\s+)?(?P<into>into\s+)?{_WD})?\b"),
    ("early-hours", rf"\b(?:in\s+)?the\s+early\s+hours\s+of\s+(?:on\s+)?{_WD}\b"),
    ("early-hours", rf"\bbefore\s+dawn\s+(?:on\s+)?{_WD}\b"),
    ("early-late", rf"\b(?P<mod>early|late)\s+(?:on\s+)?{_WD}(?:\s+{_PART})?{_US_ZONE}"),
    ("weekday-part", rf"\b{_WD}\s+{_PART}{_US_ZONE}"),
    ("last-weekday", rf"\blast\s+{_WD}\b"),
    ("weekday", rf"\b{_WD}(?:['\u2019]s)?\b{_US_ZONE}"),
    ("relative-day", r"\b(?:yesterday(?:\s+(?:morning|afternoon|evening))?|earlier today|today|tonight|this\s+(?:morning|afternoon|evening))\b"),
    ("week", r"\b(?:last week|this week|earlier this week|the past week)\b"),
    ("month", rf"\b(?:in\s+){_MONTH}(?:\s+(?P<y>\d{{4}}))?\b(?!\s+\d)"),
]
_COMPILED = [(kind, re.compile(p, re.IGNORECASE)) for kind, p in PATTERNS]
_SPEECH_BEFORE = re.compile(r"\b(?:said|says|told|tell|announced|confirmed|reported|released|stated|added|"
                            r"statement|according to)\b(?:\s+[\w.\u2019']+){0,3}?\s*(?:on\s+|late\s+|early\s+)?$",
                            re.IGNORECASE)
_SPEECH_AFTER = re.compile(r"^\s*,?\s*(?:[\w.\u2019'-]+\s+){0,4}?(?:said|says|told|confirmed|announced|reported|stated)\b",
                           re.IGNORECASE)


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _COMPILED:
        for m in pattern.finditer(text):
            span = m.span()
            if any(span[0] < e and s < span[1] for s, e in taken):
                continue
            if kind == "weekday" and re.match(r"\s+\d", text[m.end():]):
                continue
            taken.append(span)
            resolved = _resolve(kind, m, published)
            mention = DateMention(span[0], span[1], m.group(), **resolved)
            mention.us_zone = bool(m.groupdict().get("zone"))
            found.append(mention)
    for mention in found:
        before = text[max(0, mention.start - 60):mention.start]
        before = re.split(r"[.;!?]\s", before)[-1]
        at_clause_start = not before.strip() or re.fullmatch(r"\s*(?:earlier|later|on|late|early)?\s*", before, re.I)
        mention.speech = bool(_SPEECH_BEFORE.search(before)) or bool(at_clause_start and _SPEECH_AFTER.match(text[mention.end:]))
    return sorted(found, key=lambda d: d.start)


_TIME = re.compile(
    r"\b(?P<h>2[0-3]|[01]?\d)(?!\d)(?:[:.](?P<m>[0-5]\d))?\s*(?P<ampm>a\.?\s?m\b\.?|p\.?\s?m\b\.?)?"
    r"(?P<zone>\s*\(?(?:local time|Baghdad time|Damascus time|Amman time|Iraq time|Syria time|Jordan time|"
    r"ET|EST|EDT|Eastern(?: [Tt]ime)?|Washington time|GMT|UTC)\b\)?)?", re.IGNORECASE)


def find_times(text: str) -> list[TimeMention]:
    out = []
    for m in _TIME.finditer(text):
        if not (m.group("m") or m.group("ampm")):
            continue  # a bare number is not a time
        if m.group("m") is None and m.group("ampm") is None:
            continue
        hour, minute = int(m.group("h")), int(m.group("m") or 0)
        ampm = (m.group("ampm") or "").lower().replace(".", "").replace(" ", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 23:
            continue
        zone_text = (m.group("zone") or "").strip(" ()").lower()
        zone = None
        if zone_text:
            zone = ("us-eastern" if zone_text in ("et", "est", "edt") or zone_text.startswith(("eastern", "washington"))
                    else "utc" if zone_text in ("gmt", "utc") else "local")
        out.append(TimeMention(m.start(), m.end(), m.group().strip(), hour, minute, zone))
    return out


def us_eastern_offset(day: dt.date) -> int:
    """UTC offset of U.S. Eastern time on a day: -4 from the second Sunday of March to the
    first Sunday of November, -5 otherwise."""
    march = dt.date(day.year, 3, 8)
    dst_start = march + dt.timedelta(days=(6 - march.weekday()) % 7)
    november = dt.date(day.year, 11, 1)
    dst_end = november + dt.timedelta(days=(6 - november.weekday()) % 7)
    return -4 if dst_start <= day < dst_end else -5


def to_local(day: dt.date, hour: int, minute: int, zone: str) -> dt.datetime:
    offset = {"us-eastern": us_eastern_offset(day), "utc": 0}.get(zone, LOCAL_UTC_OFFSET)
    return dt.datetime(day.year, day.month, day.day, hour, minute) + dt.timedelta(hours=LOCAL_UTC_OFFSET - offset)


def part_of_day(hour: int) -> str:
    for part, (low, high) in PART_HOURS.items():
        if low <= hour < high:
            return part
    return "night"


def shift_part(day: dt.date, part: str) -> tuple[dt.date, dt.date, str | None]:
    """A part of a day in U.S. Eastern time as local dates: (first, last, local part or None
    when the span crosses local midnight)."""
    low, high = PART_HOURS[part]
    start = to_local(day, low, 0, "us-eastern")
    end = to_local(day, high - 1, 59, "us-eastern")
    if start.date() == end.date():
        local = {part_of_day(start.hour), part_of_day(end.hour)}
        return start.date(), end.date(), local.pop() if len(local) == 1 else None
    return start.date(), end.date(), None
