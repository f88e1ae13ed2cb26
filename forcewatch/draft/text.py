"""Sentences, tokens and normalised words: the units every extractor reads.

Offsets always index the original text, so that a value's quote is the report's own words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Abbreviations whose full stop does not end a sentence ("U.S. Central Command").
_ABBREVIATIONS = re.compile(
    r"\b(?:U\.S|U\.K|U\.N|Gen|Maj|Lt|Col|Sgt|Spc|Capt|Cmdr|Adm|Mr|Mrs|Ms|Dr|St|Rep|Sen|Gov|No|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|a\.m|p\.m|approx|vs)\.", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_WORD = re.compile(r"\d[\d,]*(?:\.\d+)?|[^\W_]+(?:['\u2019\u02bc][^\W_]+)*")
_APOSTROPHES = re.compile("['\u2019\u02bc\u02bf\u2018`]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Token:
    norm: str   # lower case, no apostrophes or accents
    raw: str
    start: int
    end: int


def clean(text: str) -> str:
    """The report as read: bidirectional controls out (they would hide text in the draft),
    NUL and other control characters as spaces, line ends kept."""
    text = BIDI.sub("", text)
    return "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text)


def sentences(text: str) -> list[Sentence]:
    """Split at full stops followed by a capital, keeping abbreviations whole. Paragraph
    breaks always end a sentence."""
    masked = _ABBREVIATIONS.sub(lambda m: m.group().replace(".", "\u2024"), text)
    out, start = [], 0
    cuts = [m.end() for m in _SENTENCE_END.finditer(masked)]
    cuts += [m.end() for m in re.finditer(r"\n\s*\n", masked)]
    for cut in sorted(set(cuts)) + [len(text)]:
        chunk = text[start:cut]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            out.append(Sentence(len(out), start + lead, start + lead + len(stripped), stripped))
        start = cut
    return out


def fold(word: str) -> str:
    word = _APOSTROPHES.sub("", word)
    word = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in word if not unicodedata.combining(ch)).lower()


def tokens(text: str, offset: int = 0) -> list[Token]:
    return [Token(fold(m.group()), m.group(), offset + m.start(), offset + m.end()) for m in _WORD.finditer(text)]


def quote(text: str, start: int, end: int, limit: int = 160) -> str:
    """The report's words between two offsets, on one line, shortened in the middle if long."""
    words = " ".join(text[start:end].split())
    if len(words) > limit:
        words = words[: limit // 2 - 2].rstrip() + " ... " + words[-(limit // 2 - 3):].lstrip()
    return words


def excerpt(sentence: str, max_words: int = 25) -> str:
    words = sentence.split()
    if len(words) <= max_words:
        return " ".join(words)
    return " ".join(words[:max_words]).rstrip(",;:") + " ..."
