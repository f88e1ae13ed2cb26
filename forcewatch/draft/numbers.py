"""Counts as reports state them: "at least two", "about 2,500", "several", "dozens of",
"four to five", "no". The result is an estimate as the schema has it (`low`, `best`, `high`,
`qualifier`); numbers are never invented ("several" keeps them empty)."""

from __future__ import annotations

import re

UNITS = {"zero": 0, "no": 0, "none": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4,
         "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
         "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
         "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12, "two dozen": 24}
NUMBER_WORDS = sorted((w for w in UNITS if w not in ("a", "an", "no", "none", "single")), key=len, reverse=True)
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+|" + "|".join(re.escape(w) for w in NUMBER_WORDS) + r")"

VAGUE = {"several": "several", "a number of": "several", "multiple": "several", "a few": "several",
         "a handful of": "several", "numerous": "several", "many": "several", "some": "several",
         "dozens of": "dozens", "dozens": "dozens", "scores of": "dozens", "hundreds of": "dozens"}
APPROX = r"(?:about|around|approximately|roughly|some|nearly|almost|an estimated|close to|just shy of|just under|just over|an approximate)"
AT_LEAST = r"(?:at least|more than|over|upwards of|at a minimum)"
AT_MOST = r"(?:up to|as many as|no more than|at most|fewer than|less than)"

COUNT = re.compile(
    rf"\b(?:(?P<atleast>{AT_LEAST})\s+(?P<n1>{NUMBER})"
    rf"|(?P<atmost>{AT_MOST})\s+(?P<n2>{NUMBER})"
    rf"|(?P<approx>{APPROX})\s+(?P<n3>{NUMBER})"
    rf"|(?:between\s+)?(?P<lo>{NUMBER})\s+(?:to|or|-|and)\s+(?P<hi>{NUMBER})(?=\s|$)"
    rf"|(?P<vague>several|a number of|multiple|a few|a handful of|numerous|dozens of|scores of|hundreds of)"
    rf"|(?P<n4>{NUMBER}))\b", re.IGNORECASE)


def value_of(word: str) -> int | None:
    word = word.lower().strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", word):
        return int(word.replace(",", ""))
    return UNITS.get(word)


def estimate(match: re.Match) -> dict | None:
    """The estimate a COUNT match states, or None when it states none."""
    g = match.groupdict()
    if g["n1"]:
        return {"low": value_of(g["n1"]), "qualifier": "at-least"}
    if g["n2"]:
        return {"high": value_of(g["n2"]), "qualifier": "at-most"}
    if g["n3"]:
        return {"best": value_of(g["n3"]), "qualifier": "approximately"}
    if g["lo"]:
        low, high = value_of(g["lo"]), value_of(g["hi"])
        if low is None or high is None or low >= high:
            return None
        return {"low": low, "high": high, "qualifier": "range"}
    if g["vague"]:
        return {"qualifier": VAGUE[g["vague"].lower()]}
    if g["n4"]:
        value = value_of(g["n4"])
        if value is None:
            return None
        return {"best": value, "qualifier": "approximately" if g["n4"].lower() in ("dozen", "two dozen") else "exact"}
    return None


def parse(text: str) -> dict | None:
    """The estimate a short phrase states ("at least five" -> low 5, at-least)."""
    text = text.strip()
    if text.lower() in ("a", "an", "one", "a single", "single"):
        return {"best": 1, "qualifier": "exact"}
    if text.lower() in ("no", "zero", "none"):
        return {"best": 0, "qualifier": "exact"}
    match = COUNT.fullmatch(text)
    return estimate(match) if match else None
