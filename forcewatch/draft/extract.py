"""Reading one report: which sentences tell the event, and what they say about it.

The first sentence that tells of an attack or strike is the lead. The event's sentences are
the lead and every other sentence that is not background ("since October", "previous
attacks", "numerous attacks") and does not date itself to another day; inside them, a clause
that names another incident ("following a July 16 drone attack on ...") is set apart, read
for links only. Each extractor then reads the event's sentences alone, so that the figures
of an earlier attack the report recalls never become this one's.

Every value is a `Found`: the value and the report's words it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from . import dates, numbers
from .lexicon import COUNTRY_NAMES, Lexicon, canonical
from .text import Sentence, excerpt, quote, sentences, tokens


@dataclass
class Found:
    value: object
    quote: str | None = None   # the report's words
    note: str | None = None    # how the value follows from them, where it is not plain


@dataclass
class Extraction:
    when: dict = field(default_factory=dict)
    place: dict = field(default_factory=dict)
    event_type: Found | None = None
    weapons: list = field(default_factory=list)
    munitions: list = field(default_factory=list)
    outcome: Found | None = None
    casualties: list = field(default_factory=list)
    responsibility: Found | None = None
    actors: list = field(default_factory=list)
    links: list = field(default_factory=list)
    posture: list = field(default_factory=list)
    relays: list = field(default_factory=list)
    language: Found | None = None
    excerpt: str | None = None
    missing: list = field(default_factory=list)
    same_event: list = field(default_factory=list)


BACKGROUND = re.compile(
    r"\b(?:since|previous(?:ly)?|in the past|past (?:attacks|incidents)|numerous|series of|"
    r"string of|similar attacks|earlier attacks|other attacks|last year|"
    r"(?:more than|over|at least) \d[\d,]* (?:attacks|incidents|times)|\d[\d,]* (?:attacks|incidents|times)|"
    r"dozens of (?:attacks|times)|have claimed|has claimed (?:responsibility for )?(?:numerous|many|most|dozens|several)|"
    r"most of (?:the )?(?:similar )?attacks)\b", re.IGNORECASE)
LINK_SPAN = re.compile(
    r"\b(?:following|(?:just |only )?(?:days|weeks|hours|a day|a week) (?:after|before)|in retaliation for|"
    r"in response to|(?:promised |vowed )?response to the|in revenge for|to avenge|comes? (?:just )?(?:days |weeks |hours )?after|"
    r"came (?:just )?(?:days |weeks |hours )?after)\b[^.;]*", re.IGNORECASE)
# A clause about what usually happens ("..., which are often used by Iranian-backed militias").
ASIDE = re.compile(r",\s*(?:which|who|that)\s+(?:\w+\s+){0,3}?(?:often|frequently|usually|typically|regularly|repeatedly|"
                   r"have long|has long)\b[^.;]*", re.IGNORECASE)
ATTACK = re.compile(
    r"\b(?:attack(?:s|ed|ing)?|assault|strikes?|struck|air ?strikes?|targeted|targeting|target|fired|launched|"
    r"shelled|shelling|hit|hits|barrage|bombard\w*|shot down|intercepted|downed|explosions?)\b", re.IGNORECASE)
US = r"(?:U\.S\.|US|U\.S|American|United States)"
US_FORCE = re.compile(
    rf"\b{US}(?:\s+and\s+(?:coalition|international|allied|partner))?\s+(?:Army\s+|Air Force\s+|military\s+)?"
    r"(?:forces|troops|service[- ]?members?|servicemembers|servicemen|soldiers|personnel|military(?!\s+(?:officials?|said|spokes\w*|sources?|statement))|"
    r"base|bases|garrison|outpost|installation)\b", re.IGNORECASE)
COALITION = re.compile(
    rf"\b{US}[- ]led\s+(?:[\w-]+\s+){{0,2}}coalition|\bcoalition\s+(?:forces|troops|personnel|base|bases|members|service members)|"
    rf"\binternational coalition|\bglobal coalition|\b{US} and (?:coalition|Coalition) (?:forces|troops|personnel)", re.IGNORECASE)
TARGET_CONTEXT = re.compile(r"\b(?:against|targeting|target|targeted|attack(?:ed)? on|houses|housing|hosts|hosting|"
                            r"accommodates|plays host to|at|on|of|wounded|injured)\b", re.IGNORECASE)
STRIKE_BY = re.compile(
    rf"\b(?P<who>{US}|coalition|Israeli?)\s+(?:(?:military|Air Force|air|forces|military forces|warplanes|fighter jets|jets|"
    r"drones?|aircraft)\s+){0,3}(?:carried out|conducted|launched|struck|bombed|hit)\b|"
    rf"\b(?P<who2>{US}|Israeli)\s+(?:air|drone|military|retaliatory|precision)?\s*strikes?\b(?!\s+(?:back|group))",
    re.IGNORECASE)
WEAPONS = [
    (re.compile(r"\bballistic missiles?\b", re.I), "ballistic-missile"),
    (re.compile(r"\bcruise missiles?\b", re.I), "cruise-missile"),
    (re.compile(r"\b(?:katyusha\s+)?rockets?\b(?![- ]propelled)|\bkatyushas?\b", re.I), "rocket"),
    (re.compile(r"\bmortars?(?:\s+(?:rounds|shells|bombs))?\b", re.I), "mortar"),
    (re.compile(r"\b(?:drones?|UAVs?|UAS|unmanned aerial (?:vehicles?|systems?)|uncrewed aerial (?:vehicles?|systems?))\b", re.I), "drone"),
    (re.compile(r"\b(?:IEDs?|improvised explosive devices?|roadside bombs?)\b"), "ied"),
    (re.compile(r"\b(?:small[- ]arms(?:\s+fire)?|gunfire|gunmen|machine[- ]gun fire)\b", re.I), "small-arms"),
    (re.compile(r"\b(?:air ?strikes?|warplanes?|fighter jets?|F-1[56]E?s?|F-35s?|bombers?)\b", re.I), "crewed-aircraft-strike"),
    (re.compile(r"\b(?:MQ-9s?|Reapers?)\b"), "uncrewed-aircraft-strike"),
]
COMPOUND_AFTER = re.compile(r"^\s*(?:attacks?|strikes?|launchers?|sites?|programs?|bases?|factory|factories|units?|teams?|"
                            r"operators?|fire|barrage|salvo|threat|warehouse|facility|facilities)\b", re.I)
INTERCEPT = re.compile(r"\b(?:shot down|intercepted|downed|destroyed|neutrali[sz]ed|brought down|engaged one)\b", re.I)
LAUNCH = re.compile(r"\b(?:launched|fired|targeted|targeting|attacked|struck|hit)\b", re.I)
IMPACT = re.compile(r"\b(?:landed inside|fell inside|exploded inside|impacted|striking inside|hit inside|inside the (?:base|compound)|"
                    r"(?:struck|hit|hitting|striking) the (?:base|compound|facility|installation|building|camp|housing area|living quarters))\b", re.I)
OUTSIDE = re.compile(r"\b(?:landed|fell|exploded|hit|struck)\s+(?:near|outside|on the outskirts of|short of|around)\s+(?:the\s+)?"
                     r"(?:base|compound|perimeter)\b|\boutskirts of the base\b", re.I)
FAILED = re.compile(r"\b(?:without exploding|failed to explode|did not explode|didn't explode|crashed)\b", re.I)

PARTIES = [
    ("mixed", re.compile(rf"\b{US} and coalition (?:personnel|troops|forces|service members)\b", re.I)),
    ("us-personnel", re.compile(rf"\b{US}\s+personnel\b", re.I)),
    ("us-contractor", re.compile(rf"\b(?:{US}\s+)?(?:civilian\s+)?contractors?\b", re.I)),
    ("us-military", re.compile(rf"\b(?:{US}\s+(?:Army\s+|Air Force\s+|military\s+|Marine\s+|Navy\s+)?(?:service[- ]?members?|servicemembers|servicemen|"
                               r"troops|soldiers|sailors|marines|airmen|forces|military personnel)|service[- ]?members?|servicemembers|servicemen)\b", re.I)),
    ("coalition-military", re.compile(r"\bcoalition (?:troops|personnel|service members|soldiers|forces|members)\b", re.I)),
    ("local-security-forces", re.compile(
        r"\b(?:Iraqi (?:security forces|service members?|soldiers?|troops|army personnel|policemen|police officers|security personnel)|"
        r"SDF (?:fighters|members|soldiers)|Peshmerga(?: fighters)?|(?:members|fighters) of the [\w\s-]{0,40}?partner forces?|"
        r"partner forces? (?:members|fighters)|Kurdish (?:fighters|soldiers))\b", re.I)),
    ("civilians", re.compile(r"\b(?:civilians?|children)\b", re.I)),
    ("all", re.compile(r"\bpeople\b", re.I)),
]
HARM_AFTER = re.compile(r"^[^.;]{0,45}?\b(?:were|was|have been|had been|are|is|has been)\s+(?:\w+\s+){0,2}?"
                        r"(?P<harm>injured|wounded|hurt|killed|dead)\b|^\s+(?P<harm2>injured|wounded|killed)\b", re.I)
HARM_BEFORE = re.compile(r"\b(?P<harm>injuring|wounding|killing|killed|injured|wounded|(?:minor\s+)?injuries to|wounds to)\s+$", re.I)
INHERIT = re.compile(r"\b(?:and|with)\s+(?P<count>(?:at least |about |more than )?[\w,]+)\s+(?:others\s+|more\s+)?"
                     r"(?:were\s+|had been\s+|have been\s+)?(?P<harm>injured|wounded|hurt|killed)\b", re.I)
ZERO = [
    (re.compile(r"\bno (?:reported )?(?P<w>casualties|injuries|deaths|fatalities)(?:\s+or\s+(?P<w2>injuries|deaths|casualties))?\b", re.I), None),
    (re.compile(r"\bno(?:one| one|body) was (?P<w>hurt|injured|killed|wounded)\b", re.I), None),
    (re.compile(r"\b(?:did not|didn't|without|caused no|causing no|resulting in no|resulted in no|with no|zero|"
                r"(?:do|did) not indicate)\s+(?:cause\s+|causing\s+|result in\s+|inflict\s+|resulting in\s+)?(?:any\s+)?(?:reported\s+)?"
                r"(?P<w>casualties|injuries|deaths|fatalities)\b", re.I), None),
]
ZERO_PARTY = re.compile(r"\bno\s+(?P<party>[\w. -]{2,40}?)\s+(?:were|was)\s+(?:\w+\s+)?(?P<w>injured|hurt|wounded|killed)\b", re.I)
HARM_WORDS = {"casualties": ("killed", "injured"), "injuries": ("injured",), "deaths": ("killed",), "fatalities": ("killed",),
              "hurt": ("injured",), "injured": ("injured",), "wounded": ("injured",), "killed": ("killed",), "dead": ("killed",)}
UNCLAIMED = re.compile(r"\b(?:no (?:group|one|party|organi[sz]ation|faction)|nobody|none)\b[^.]{0,30}?\bclaim|"
                       r"\bno (?:immediate )?claims? of responsibility|\bha(?:s|d|ve) not been claimed|\bwas not claimed|"
                       r"\bunclaimed\b|\bthere (?:was|has been) no (?:immediate )?claim", re.I)
CLAIMED = re.compile(r"\b(?:claim(?:ed|s|ing)?\s+(?:responsibility|the attack|the strike|it|that it)|took responsibility|"
                     r"(?:has |have )?endorsed|claimed by)\b", re.I)
CHANNEL = re.compile(r"\b(?:in|via|on|through)\s+(?:a\s+|an\s+|its\s+|their\s+)?((?:online\s+|written\s+|brief\s+)?statement"
                     r"(?:\s+(?:published|posted|issued))?(?:\s+on\s+(?:its\s+|their\s+|a\s+)?Telegram(?:\s+channel)?)?|"
                     r"Telegram(?:\s+channel)?|video(?:\s+statement)?)", re.I)
ATTRIBUTE = re.compile(r"\b(?:blamed|attributed (?:the attack |it |the strike )?to|accused|"
                       r"(?:believe[sd]?|assess(?:es|ed)?|thinks?)\b[^.]{0,60}?\bcarried out by|(?:was|were) carried out by|"
                       r"(?:was|were) (?:behind|responsible)|has the footprints of|bears the hallmarks of)\s+", re.I)
US_SPEAKER = re.compile(
    rf"\b(?:(?:{US}|American)\s+(?:defen[cs]e\s+|military\s+|government\s+)?officials?|defen[cs]e officials?|"
    rf"(?:the\s+)?Pentagon(?:\s+(?:press secretary|spokes\w+))?|(?:{US}\s+)?(?:Defen[cs]e Department|Department of Defen[cs]e)|"
    rf"(?:{US}\s+)?Central Command|CENTCOM|White House|President (?:Joe )?Biden|[Tt]he President|Defen[cs]e Secretary(?: Lloyd Austin)?|"
    rf"Secretary of Defen[cs]e|Lloyd Austin|(?:the\s+)?{US}\s+military|[Tt]he military said|coalition (?:spokes\w+|statement)|"
    r"Combined Joint Task Force|Operation Inherent Resolve|(?:Maj\. Gen\. |Gen\. )?(?:Pat(?:rick)? )?Ryder|Sabrina Singh|"
    rf"(?:an? |the )?(?:{US} )?(?:defen[cs]e )?official (?:in|at|from) the {US}\s+(?:Department of Defen[cs]e|Defen[cs]e Department|embassy)|"
    rf"{US} embassy|a {US} (?:defen[cs]e )?official|[Tt]he {US}\b(?!\s*[- ]led)(?=\s+(?:says|said|believes?|believed))|an? (?:U\.S\. |US )?defen[cs]e official)")
HOST_SPEAKER = re.compile(
    r"\b(?:Iraqi (?:security |military |government |army )?(?:officials?|authorities|spokes\w+|statement)|"
    r"Iraqi (?:military|army|government) said|(?:Iraq's )?Security Media Cell|Joint Operations Command|"
    r"Kurdistan (?:Region's )?(?:CT|Counter[- ]?Terrorism|counterterrorism)|Counter[- ]?[Tt]errorism (?:Service|Directorate|Unit)|"
    r"Directorate General of Counter Terrorism|anti-terrorism service|(?:Kurdish|Kurdistan) counterterrorism(?: forces)?|"
    r"Syrian (?:state media|Defen[cs]e Ministry|government said)|SANA|Jordanian (?:army|military|officials|government)|"
    r"local officials|an? Iraqi (?:military |security |army )?official)\b", re.I)
LOCAL_SOURCE = re.compile(r"\b(?:(?:security|military|police|government|local|Iraqi|Kurdish|medical|informed|army|tribal)\s+)+sources?\b|"
                          r"\ba source\b|\bwitnesses\b|\bresidents\b|\bsources (?:said|told|say)\b", re.I)
MONITOR = re.compile(r"\b(?:Syrian Observatory(?: for Human Rights)?|SOHR|war monitor|monitoring group)\b", re.I)
SPEECH = re.compile(r"\b(?:said|says|told|tell|tells|confirmed|confirm|announced|statement|according to|reported|per|stated|"
                    r"added|believes?|believed|assess\w*|release)\b", re.I)
POSTURE = re.compile(
    rf"(?P<q>{numbers.APPROX}|{numbers.AT_LEAST}|{numbers.AT_MOST}|(?:the\s+)?remaining|all)?\s*(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d{{2,}})\s+"
    rf"(?:more\s+)?(?P<us>{US}\s+)?(?:(?:Army|Air Force|Marine|Navy|military)\s+(?:and\s+(?:Air Force|Army|Navy|Marine)\s+)?)?"
    r"(?P<noun>troops|service members|servicemembers|forces|soldiers|military personnel|personnel)\b"
    r"(?P<mid>[^.;]{0,30}?)\s+(?:in|to|at)\s+(?:neighbou?ring\s+)?(?P<place>Iraq|Syria|Jordan|Kuwait|the base)\b", re.I)
POSTURE_MORE = re.compile(
    rf"^\s*,?\s*(?:and|with an additional|with another|while|plus|as well as)\s+(?P<q>{numbers.APPROX}|{numbers.AT_LEAST})?\s*"
    r"(?P<n>\d{1,3}(?:,\d{3})+|\d{2,})\s+(?:more\s+)?(?:troops\s+|personnel\s+)?(?:are\s+|stationed\s+|deployed\s+)*(?:in|to)\s+"
    r"(?:neighbou?ring\s+)?(?P<place>Iraq|Syria|Jordan|Kuwait)\b", re.I)
ENGLISH = {"the", "and", "of", "to", "in", "a", "was", "were", "on", "at", "for", "said", "that", "with", "by", "is"}


def _overlaps(a0, a1, b0, b1) -> bool:
    return a0 < b1 and b0 < a1


class Report:
    """The report's sentences and the event's scope, shared by the extractors."""

    def __init__(self, text: str, lex: Lexicon, published: dt.date | None):
        self.text, self.lex, self.published = text, lex, published
        self.sentences = sentences(text)
        self.dates = dates.find_dates(text, published)
        self.times = dates.find_times(text)
        self.link_spans = [(m.start(), m.end()) for m in LINK_SPAN.finditer(text)]
        self.link_spans += [(m.start(), m.end()) for m in ASIDE.finditer(text)]  # set apart like a link, read for none
        self.background = {s.index for s in self.sentences if BACKGROUND.search(s.text)}
        self.lead = self._lead()
        self.event_date: dates.DateMention | None = None
        self.scope: list[Sentence] = []
        self.excluded: list[Sentence] = []

    def in_link(self, start: int, end: int) -> bool:
        return any(_overlaps(start, end, s, e) for s, e in self.link_spans)

    def sentence_at(self, offset: int) -> Sentence | None:
        return next((s for s in self.sentences if s.start <= offset < s.end), None)

    def _lead(self) -> Sentence | None:
        for s in self.sentences:
            if s.index in self.background or not ATTACK.search(s.text):
                continue
            if any(p.search(s.text) for p, _ in WEAPONS) or US_FORCE.search(s.text) or COALITION.search(s.text) \
                    or self.sites_in(s) or re.search(r"\b(?:base|garrison|outpost|airport|compound)\b", s.text, re.I):
                return s
        return None

    def event_text(self) -> str:
        """The text with everything outside the event's scope blanked (offsets unchanged)."""
        keep = [" "] * len(self.text)
        for s in self.scope:
            keep[s.start:s.end] = self.text[s.start:s.end]
        for a, b in self.link_spans:
            keep[a:b] = " " * (b - a)
        return "".join(keep)

    def sites_in(self, s: Sentence, text: str | None = None) -> list[tuple[str, int, int]]:
        """(site id, start, end) of every gazetteer name in a sentence."""
        body = (text or self.text)[s.start:s.end]
        toks = tokens(body, s.start)
        canon = canonical(toks, self.text[: s.end] if text is None else text[: s.end])
        canon = canonical(toks, self.text)
        out = []
        for match in self.lex.site_names.find(canon):
            if match.value:
                out.append((match.value, toks[match.first].start, toks[match.last].end))
        for match in self.lex.site_cores.find(canon):
            if not match.value or any(_overlaps(toks[match.first].start, toks[match.last].end, a, b) for _, a, b in out):
                continue
            words = [w for w, i in canon if match.first <= i <= match.last and w != "al"]
            after = [w for w, i in canon if i > match.last][:2]
            generic = bool(after) and after[0] in ("air", "base", "airport", "garrison", "outpost", "landing", "camp",
                                                   "military", "international", "compound")
            prev = toks[match.first - 1] if match.first > 0 else None
            named_before = prev is not None and prev.raw[:1].isupper() and prev.norm not in ("on", "at", "the", "in", "near")
            if len(words) >= 2 or generic or not named_before:
                out.append((match.value, toks[match.first].start, toks[match.last].end))
        return sorted(out, key=lambda x: x[1])


ANAPHORA = re.compile(r"\b(?:the|this|that|[A-Z][a-z]+day['\u2019]s) (?:drone |rocket |missile )?(?:attack|strike|incident|assault)\b|"
                      r"\b(?:occurred|took place|happened)\b", re.IGNORECASE)


def _choose_date(rep: Report) -> dates.DateMention | None:
    """The event's date: the lead's own date first; then a date in a sentence that speaks of
    the event ("The attack occurred on Friday"); then the date of a statement about it
    ("officials said Monday"); a more precise date inside the chosen one refines it."""
    def own(s):
        return [d for d in rep.dates if s.start <= d.start < s.end and not rep.in_link(d.start, d.end)]
    others = [s for s in rep.sentences if s is not rep.lead and s.index not in rep.background]
    lead = own(rep.lead) if rep.lead else []
    pool = [d for d in lead if not d.speech]
    pool += [d for s in others if ANAPHORA.search(s.text) for d in own(s) if not d.speech]
    pool += [d for d in lead if d.speech] + [d for s in others for d in own(s) if d.speech]
    if not pool:
        return None
    chosen = pool[0]
    plain = [d for s in [rep.lead] + others if s for d in own(s) if not d.speech]
    for d in plain:  # a more precise date inside the first ("last week" ... "on Friday")
        if chosen.first and d.first and chosen.contains(d) and (d.last - d.first) < (chosen.last - chosen.first):
            chosen = d
            break
    return chosen


def _build_scope(rep: Report) -> None:
    event = rep.event_date
    lead_sites = {sid for sid, _, _ in rep.sites_in(rep.lead)} if rep.lead else set()
    for s in rep.sentences:
        if s.index in rep.background and s is not rep.lead:
            rep.excluded.append(s)
            continue
        own = [d for d in rep.dates if s.start <= d.start < s.end and not rep.in_link(d.start, d.end) and not d.speech and d.first]
        if event and event.first and own and all(d.last < event.first or d.first > event.last for d in own):
            rep.excluded.append(s)
            continue
        sites = {sid for sid, _, _ in rep.sites_in(s)}
        if lead_sites and sites and not (sites & lead_sites):
            rep.excluded.append(s)
            continue
        rep.scope.append(s)


def _when(rep: Report, out: Extraction) -> None:
    d = rep.event_date
    pub = rep.published.isoformat() if rep.published else None
    if d is None:
        out.missing.append("the date: the report gives none for the event")
        return
    words = quote(rep.text, d.start, d.end)
    if d.first is None:
        out.missing.append(f"the date: {d.unresolved}")
        if d.time_of_day:
            out.when["time_of_day"] = Found(d.time_of_day, words)
        return
    first, last, precision, part = d.first, d.last, d.precision, d.time_of_day
    note = f"'{words}' in a report published {pub}" if pub and not re.search(r"\d{4}", words) else f"'{words}'"
    if d.us_zone and part and precision == "day":
        first, last, part = dates.shift_part(first, part)
        precision = "day" if first == last else "few-days"
        note += f", U.S. Eastern time, is {first.isoformat()}" + ("" if first == last else f" to {last.isoformat()}") \
            + " at the place (UTC+3)"
    clock = next((t for t in rep.times if any(s.start <= t.start < s.end for s in rep.scope)
                  and not rep.in_link(t.start, t.end)), None)
    if clock and precision == "day":
        local = dates.to_local(first, clock.hour, clock.minute, clock.zone or "local")
        if clock.zone in ("us-eastern", "utc"):
            note += (f"; {clock.text} on {first.isoformat()} is {local:%H:%M} on {local.date().isoformat()} "
                     "at the place (UTC+3)")
            first = last = local.date()
        elif clock.zone is None:
            note += f"; '{clock.text}' has no time zone: taken as local time"
        out.when["local_time"] = Found(f"{local:%H:%M}", clock.text)
        part = dates.part_of_day(local.hour)
    out.when["start"] = Found(first.isoformat(), words, note)
    out.when["end"] = Found(last.isoformat(), words)
    out.when["precision"] = Found(precision, words)
    if part:
        out.when["time_of_day"] = Found(part, clock.text if clock and precision == "day" else words)
    out.when["note"] = Found(note[0].upper() + note[1:] + ".", None)


def _place(rep: Report, out: Extraction) -> None:
    order = ([rep.lead] if rep.lead and rep.lead in rep.scope else []) + [s for s in rep.scope if s is not rep.lead]
    etext = rep.event_text()
    for s in order:
        found = [x for x in rep.sites_in(s) if not rep.in_link(x[1], x[2])]
        if found:
            sid, a, b = found[0]
            site, words = rep.lex.sites[sid], quote(rep.text, a, b)
            out.place.update(name=Found(site.name, words), site=Found(sid, words))
            if site.country:
                out.place["country"] = Found(site.country, words, f"from the site record {sid}")
            if site.admin1:
                out.place["admin1"] = Found(site.admin1, words, f"from the site record {sid}")
            out.place["geo_precision"] = Found("exact-site", words, "a known site")
            return
    for s in order:
        body = etext[s.start:s.end]
        toks = tokens(body, s.start)
        for match in rep.lex.places.find(canonical(toks, rep.text)):
            place = match.value
            if place is None:
                continue
            a, b = toks[match.first].start, toks[match.last].end
            words = quote(rep.text, a, b)
            after = rep.text[b:b + 25].lower()
            province = re.match(r"^\s*(?:province|governorate)", after) is not None
            out.place["country"] = Found(place.country, words, "the province's country")
            out.place["admin1"] = Found(place.admin1, words)
            if place.is_town and not province:
                out.place["name"] = Found(place.name, words)
                out.place["geo_precision"] = Found("near-named-place", words, "a named town")
            else:
                out.place["name"] = Found(f"{place.admin1} province", words)
                out.place["geo_precision"] = Found("admin1", words, "only the province is named")
            return
    base = re.compile(r"\b(?:at|on|near|targeting|targeted|against)\s+(?:the\s+)?((?:[A-Z][\w'-]+\s+){1,3}"
                      r"(?:Air Base|Airbase|Base|Landing Zone|Garrison|Airport|Outpost|Mission Support Site))\b")
    country = _country(rep, order, etext)
    for s in order:
        m = base.search(etext, s.start, s.end)
        if m:
            out.place["name"] = Found(m.group(1), m.group(1))
            out.place["geo_precision"] = Found("near-named-place", m.group(1), "a named place the gazetteer does not hold")
            if country:
                out.place["country"] = country
            return
    if country:
        region = re.search(r"\b((?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+)?"
                           + re.escape(country.quote or ""), rep.text, re.I)
        name = (region.group(0) if region else COUNTRY_NAMES.get(country.value, country.value))
        out.place["name"] = Found(name[0].upper() + name[1:], region.group(0) if region else country.quote)
        out.place["country"] = country
        out.place["geo_precision"] = Found("country", country.quote, "only the country is named")
        return
    out.missing.append("the place: no site, town, province or country of the region is named")


def _country(rep: Report, order, etext) -> Found | None:
    for s in order:
        body = etext[s.start:s.end]
        toks = tokens(body, s.start)
        for match in rep.lex.countries.find(canonical(toks, rep.text)):
            nxt = rep.text[toks[match.last].end: toks[match.last].end + 3]
            if match.value and not nxt.startswith(("'s", "\u2019s", "i ")):
                return Found(match.value, quote(rep.text, toks[match.first].start, toks[match.last].end))
        for match in rep.lex.countries.find(canonical(toks, rep.text)):
            if match.value:
                return Found(match.value, quote(rep.text, toks[match.first].start, toks[match.last].end))
    return None


def _weapon_mentions(rep: Report, etext: str) -> list[tuple[str, int, int]]:
    found = []
    for pattern, term in WEAPONS:
        for m in pattern.finditer(etext):
            if any(_overlaps(m.start(), m.end(), a, b) for _, a, b in found):
                continue
            found.append((term, m.start(), m.end()))
    found.sort(key=lambda x: x[1])
    ambiguous = set()
    for i, (term, a, b) in enumerate(found):
        if re.search(r"\beither\s+$", etext[max(0, a - 8):a], re.I):
            ambiguous.add(i)
        if i + 1 < len(found) and re.fullmatch(r"\s+or\s+(?:\w+\s+)?", etext[b:found[i + 1][1]], re.I):
            ambiguous.update({i, i + 1})
    return [f for i, f in enumerate(found) if i not in ambiguous]


def _event_and_weapons(rep: Report, out: Extraction, etext: str) -> str | None:
    strike = None
    for s in rep.scope:
        m = STRIKE_BY.search(etext, s.start, s.end)
        if m:
            strike = m
            break
    mentions = _weapon_mentions(rep, etext)
    kind = None
    if strike:
        kind = "strike"
        out.event_type = Found("strike", strike.group(0).strip(), "carried out by a state's forces")
    elif rep.lead and rep.lead in rep.scope and ATTACK.search(rep.lead.text):
        kind = "attack"
        m = ATTACK.search(rep.lead.text)
        out.event_type = Found("attack", m.group(0))
    else:
        out.missing.append("the event: no attack or strike on a base or force is told in the text")
        return None
    seen = {}
    for term, a, b in mentions:
        if term == "drone":
            strike_drone = kind == "strike" or re.search(r"\bdrone strikes?\b", etext[a:b + 8], re.I)
            term = "uncrewed-aircraft-strike" if strike_drone else "one-way-attack-drone"
        if kind == "attack" and term in ("crewed-aircraft-strike", "uncrewed-aircraft-strike"):
            continue  # a defender's or another's aircraft, not the attack's means
        if term not in seen:
            seen[term] = (a, b)
    for term, (a, b) in seen.items():
        out.weapons.append(Found(term, quote(rep.text, a, b)))
    _munitions(rep, out, etext, mentions, kind)
    return kind


def _munitions(rep: Report, out: Extraction, etext: str, mentions, kind) -> None:
    counts = []
    prev = None
    for term, a, b in mentions:
        if term == "drone":
            term = "uncrewed-aircraft-strike" if kind == "strike" else "one-way-attack-drone"
        if term not in [w.value for w in out.weapons]:
            prev = None
            continue
        s = rep.sentence_at(a)
        sentence = etext[s.start:s.end] if s else ""
        if INTERCEPT.search(sentence) and not LAUNCH.search(sentence):
            prev = None
            continue
        if COMPOUND_AFTER.match(etext[b:b + 20]):
            prev = None
            continue
        window = etext[max(s.start if s else 0, a - 60):a]
        m = re.search(r"(?:^|\W)(?P<count>(?:(?:at least|more than|over|up to|as many as|about|around|approximately|roughly|"
                      r"nearly|some)\s+)?(?:\d[\d,]*|" + "|".join(numbers.NUMBER_WORDS) +
                      r"|several|a number of|multiple|a few|numerous|dozens of|a|an|one|single))\s*,?\s+"
                      r"(?P<mid>(?:[\w'-]+\s+){0,3}?)$", window, re.I)
        est = None
        if m:
            mid = m.group("mid").lower().split()
            bad_mid = any(w in ("of", "the", "were", "was", "and", "or", "to", "from", "that", "which", "by", "with", "more",
                                "first", "second", "third", "fourth", "fifth", "other", "these", "those", "its", "their",
                                "attack", "attacks") for w in mid)
            plural = etext[a:b].lower().endswith("s")
            count = m.group("count")
            if not bad_mid and not (count.lower() in ("a", "an", "one", "single") and plural):
                est = numbers.parse(count)
                if est is not None and count.lower() in ("a", "an", "single"):
                    est = {"best": 1, "qualifier": "exact"}
                start = a - len(window) + m.start("count")
        if est is None and prev and prev[1] in ("several", "dozens") and re.fullmatch(r"\s+and\s+", etext[prev[2]:a]):
            est = {"qualifier": prev[1]}
            start = prev[3]
        if est is None:
            prev = None
            continue
        wording = quote(rep.text, start, b)
        counts.append({"weapon": term, **est, "wording": wording, "quote": wording})
        prev = (term, est["qualifier"], b, start)
    exact = {c["weapon"] for c in counts if "best" in c or "low" in c or "high" in c}
    kept, keys = [], set()
    for c in counts:
        if c["weapon"] in exact and not any(k in c for k in ("best", "low", "high")):
            continue  # "several drones ... three suicide drones": the number is the count
        key = (c["weapon"], c.get("low"), c.get("best"), c.get("high"), c["qualifier"])
        if key not in keys:
            keys.add(key)
            kept.append(c)
    out.munitions = kept


def _outcome(rep: Report, out: Extraction, etext: str) -> None:
    text = "".join(etext[s.start:s.end] + " " for s in rep.scope)
    i, m, o, f = INTERCEPT.search(text), IMPACT.search(text), OUTSIDE.search(text), FAILED.search(text)
    total = next((c.get("best") for c in out.munitions if c.get("best")), None)
    if i and m:
        out.outcome = Found("partly-intercepted", f"{i.group(0)} ... {m.group(0)}")
    elif i and not (m or o or f):
        around = text[max(0, i.start() - 40): i.end() + 30]
        sub = re.search(r"\b(one|two|three|four|five|\d+)\b(?:\s+of)?", around, re.I)
        subset = sub and total and (numbers.value_of(sub.group(1)) or 0) < total
        if not subset and not re.search(r"\b(?:one|two|some|most) of\b", around, re.I):
            out.outcome = Found("intercepted", i.group(0))
    elif m and not (i or o):
        out.outcome = Found("impact", m.group(0))
    elif o and not (m or i):
        out.outcome = Found("fell-outside", o.group(0))
    elif f and not (i or m or o):
        out.outcome = Found("failed", f.group(0))


def _party_at(text: str, a: int, b: int) -> tuple[str, int, int] | None:
    for party, pattern in PARTIES:
        m = pattern.match(text, a) if a < len(text) else None
        if m and m.end() <= b:
            return party, m.start(), m.end()
    return None


def _casualties(rep: Report, out: Extraction, etext: str) -> None:
    figures = []
    for s in rep.scope:
        body_start, body_end = s.start, s.end
        every = sorted(((party, m.start(), m.end()) for party, pattern in PARTIES
                        for m in pattern.finditer(etext, body_start, body_end)), key=lambda x: (x[1], x[1] - x[2]))
        parties = []
        for item in every:  # the longest name at each place ("Iraqi service member", not "service member")
            if not any(_overlaps(item[1], item[2], x[1], x[2]) for x in parties):
                parties.append(item)
        sentence_figs = []
        for party, a, b in parties:
            window = etext[max(body_start, a - 40):a]
            c = re.search(r"(?P<count>(?:(?:at least|more than|over|up to|as many as|about|around|approximately|roughly|nearly)\s+)?"
                          r"(?:\d[\d,]*|" + "|".join(numbers.NUMBER_WORDS) + r"|several|a number of|multiple|a few|dozens of|"
                          r"numerous))\s+(?:of\s+(?:the\s+)?)?(?:[\w-]+\s+){0,1}?$", window, re.I)
            if not c or party == "mixed":
                continue
            est = numbers.parse(c.group("count"))
            if est is None:
                continue
            count_start = a - len(window) + c.start("count")
            harm = None
            after = HARM_AFTER.match(etext[b:body_end])
            if after:
                harm = after.group("harm") or after.group("harm2")
                end = b + after.end()
            else:
                before = HARM_BEFORE.search(etext[max(body_start, count_start - 30):count_start])
                if before:
                    harm = before.group("harm")
                    end = b
            if harm is None:
                continue
            harm = "killed" if harm.lower() in ("killed", "killing", "dead") else "injured"
            if party == "all":
                incl = re.match(r"^,?\s+including\s+(?:both\s+)?(?:U\.S\.|US|American)\s+(?:troops|service members|military personnel)"
                                r"\s+and\s+contractors", etext[b:body_end], re.I)
                if incl:
                    party = "us-personnel"
            start = min(count_start, a)
            words = quote(rep.text, start, max(end, b))
            fig = {"party": party, "harm": harm, **est, "wording": quote(rep.text, count_start, b), "quote": words}
            sentence_figs.append((fig, b))
        for fig, b in list(sentence_figs):
            inherit = INHERIT.search(etext, b, body_end)
            if inherit:
                est = numbers.parse(inherit.group("count"))
                if est:
                    harm = "killed" if inherit.group("harm").lower() == "killed" else "injured"
                    words = quote(rep.text, inherit.start("count"), inherit.end())
                    sentence_figs.append(({"party": fig["party"], "harm": harm, **est, "wording": words, "quote": words}, inherit.end()))
        figures += [f for f, _ in sentence_figs]
        figures += _zeros(rep, etext, s)
    kept, keys = [], set()
    for f in figures:
        key = (f["party"], f["harm"], f.get("low"), f.get("best"), f.get("high"), f["qualifier"])
        if key not in keys:
            keys.add(key)
            kept.append(f)
    out.casualties = kept


def _zeros(rep: Report, etext: str, s: Sentence) -> list[dict]:
    out = []
    body = etext[s.start:s.end]
    for m in ZERO_PARTY.finditer(body):
        party = _party_at(body, m.start("party"), m.end("party"))
        if party and party[0] not in ("mixed", "all"):
            words = quote(body, m.start(), m.end())
            harm = "killed" if m.group("w").lower() == "killed" else "injured"
            out.append({"party": party[0], "harm": harm, "best": 0, "qualifier": "exact", "wording": words, "quote": words})
    if out:
        return out
    for pattern, _ in ZERO:
        for m in pattern.finditer(body):
            if re.search(r"\b(?:whether|if|unclear|not clear|not known)\b[^.]{0,30}$", body[:m.start()], re.I):
                continue
            harms = set()
            for key in ("w", "w2"):
                word = m.groupdict().get(key)
                if word:
                    harms.update(HARM_WORDS[word.lower()])
            if re.search(r"\bdeaths or injuries|injuries or deaths\b", m.group(0), re.I):
                harms = {"killed", "injured"}
            words = quote(body, m.start(), m.end())
            for harm in sorted(harms, key=["killed", "injured"].index):
                out.append({"party": "all", "harm": harm, "best": 0, "qualifier": "exact", "wording": words, "quote": words})
    return out


def _actor_mentions(rep: Report, start: int, end: int, text: str | None = None):
    """(actor ids, start, end) for each actor name between two offsets."""
    text = text or rep.text
    toks = tokens(text[start:end], start)
    found = []
    canon = canonical(toks, rep.text)
    for match in rep.lex.actor_names.find(canon):
        following = [w for w, i in canon if i > match.last][:1]
        if following == ["backed"] or rep.text[toks[match.last].end:toks[match.last].end + 1] in "-\u2010":
            continue  # "Iran-backed groups" names the groups, not Iran
        found.append((match.values, toks[match.first].start, toks[match.last].end))
    for tok in toks:
        if tok.raw in rep.lex.acronyms and not any(a <= tok.start < b for _, a, b in found):
            found.append((frozenset(rep.lex.acronyms[tok.raw]), tok.start, tok.end))
    return sorted(found, key=lambda x: x[1])


def _generic(rep: Report, actor_id: str) -> bool:
    actor = rep.lex.actors.get(actor_id)
    return bool(actor and actor.kind in ("generic-category",))


def _responsibility(rep: Report, out: Extraction, etext: str, kind: str | None) -> None:
    claimed, unclaimed = [], None
    for s in rep.scope:
        body = etext[s.start:s.end]
        u = UNCLAIMED.search(body)
        if u:
            unclaimed = unclaimed or Found("unclaimed", quote(body, u.start(), min(len(body), u.end() + 25)))
            continue
        c = CLAIMED.search(body)
        if not c:
            continue
        mentions = [m for m in _actor_mentions(rep, s.start, s.end, etext)
                    if len(m[0]) == 1 and not _generic(rep, next(iter(m[0])))]
        before = [m for m in mentions if m[1] < s.start + c.start()]
        after = [m for m in mentions if m[1] >= s.start + c.end()]
        pick = before[0] if before else (after[0] if after and "by" in c.group(0).lower() else None)
        words = quote(rep.text, s.start + c.start(), s.start + c.end())
        claim = {"quote": words}
        if pick:
            claim["actor"] = Found(next(iter(pick[0])), quote(rep.text, pick[1], pick[2]))
            claim["quote"] = quote(rep.text, min(pick[1], s.start + c.start()), max(pick[2], s.start + c.end()))
        ch = CHANNEL.search(body)
        if ch:
            channel = ch.group(1)
            claim["channel"] = Found(channel[0].upper() + channel[1:], ch.group(0))
        claimed.append(claim)
    if kind == "strike" and any(US_SPEAKER.search(etext[s.start:s.end]) for s in rep.scope):
        speaker = next(US_SPEAKER.search(etext[s.start:s.end]) for s in rep.scope if US_SPEAKER.search(etext[s.start:s.end]))
        out.responsibility = Found("confirmed-by-state", speaker.group(0), "the striking state's officials say it struck")
    elif claimed:
        out.responsibility = Found("claimed", claimed[0]["quote"])
        for claim in claimed:
            if "actor" in claim and claim["actor"].value not in [a["actor"].value for a in out.actors if a.get("actor")]:
                item = {"actor": claim["actor"], "role": Found("claimed", claim["quote"]), "quote": claim["quote"]}
                if "channel" in claim:
                    item["channel"] = claim["channel"]
                out.actors.append(item)
    elif unclaimed:
        out.responsibility = unclaimed
    for s in rep.scope:
        body = etext[s.start:s.end]
        for m in ATTRIBUTE.finditer(body):
            speaker = None
            for sp in list(US_SPEAKER.finditer(body[:m.start()])) + list(HOST_SPEAKER.finditer(body[:m.start()])):
                if speaker is None or sp.start() > speaker.start():
                    speaker = sp
            tail_end = min(s.end, s.start + m.end() + 90)
            mentions = [x for x in _actor_mentions(rep, s.start + m.end(), tail_end, etext)]
            if not mentions:
                out.missing.append(f"an actor record for the attribution '{quote(body, m.start(), min(len(body), m.end() + 40))}'")
                continue
            ids, a, b = mentions[0]
            role = "attributed" if speaker else "suspected"
            words = quote(rep.text, s.start + (speaker.start() if speaker else m.start()), b)
            item = {"role": Found(role, words), "quote": words,
                    "actor": Found(next(iter(ids)), quote(rep.text, a, b)) if len(ids) == 1 else None}
            if len(ids) > 1:
                item["candidates"] = sorted(ids)
                item["actor_words"] = quote(rep.text, a, b)
            if speaker:
                by = speaker.group(0)
                item["by"] = Found(by[0].upper() + by[1:], speaker.group(0))
            out.actors.append(item)
            break


def _targets(rep: Report, out: Extraction, etext: str, kind: str | None) -> None:
    us = rep.lex.actor_for("U.S. forces")
    coalition = rep.lex.actor_for("US-led coalition") or ("us-led-coalition" if "us-led-coalition" in rep.lex.actors else None)
    if kind == "strike":
        if us:
            m = next((STRIKE_BY.search(etext, s.start, s.end) for s in rep.scope if STRIKE_BY.search(etext, s.start, s.end)), None)
            out.actors.insert(0, {"actor": Found(us, m.group(0) if m else None), "role": Found("perpetrator", m.group(0) if m else None)})
        for s in rep.scope:
            for ids, a, b in _actor_mentions(rep, s.start, s.end, etext):
                if len(ids) != 1:
                    continue
                aid = next(iter(ids))
                if aid in (us, "united-states") or _generic(rep, aid):
                    continue
                before = etext[max(s.start, a - 45):a]
                if re.search(r"\b(?:against|used by|belonging to|targeting|targeted|on|affiliated with|run by)\b[^.]{0,30}$", before, re.I):
                    words = quote(rep.text, a, b)
                    if aid not in [x["actor"].value for x in out.actors if x.get("actor")]:
                        out.actors.append({"actor": Found(aid, words), "role": Found("target", quote(rep.text, a - len(before), b))})
        return
    if kind != "attack":
        return
    targets = []
    for s in rep.scope:
        body_start = s.start
        if us and us not in [t[0] for t in targets]:
            m = US_FORCE.search(etext, s.start, s.end)
            if m:
                targets.append((us, quote(rep.text, m.start(), m.end())))
        if coalition and coalition not in [t[0] for t in targets]:
            for m in COALITION.finditer(etext, body_start, s.end):
                before = etext[max(s.start, m.start() - 50):m.start()]
                if re.search(r"\bby\s+$", before, re.I):
                    continue
                if TARGET_CONTEXT.search(before) or re.match(rf"{US} and", m.group(0), re.I):
                    targets.append((coalition, quote(rep.text, m.start(), m.end())))
                    break
    if us and us not in [t[0] for t in targets] and any(c["party"] in ("us-military", "us-personnel", "us-contractor")
                                                        for c in out.casualties):
        c = next(c for c in out.casualties if c["party"].startswith("us-"))
        targets.append((us, c["quote"]))
    for aid, words in reversed(targets):
        out.actors.insert(0, {"actor": Found(aid, words), "role": Found("target", words)})


def _relays(rep: Report, out: Extraction, etext: str, kind) -> None:
    found = []
    for s in rep.scope:
        body = etext[s.start:s.end]
        if not SPEECH.search(body):
            continue
        for term, pattern in (("official-confirmation", US_SPEAKER), ("host-officials", HOST_SPEAKER),
                              ("local-sources", LOCAL_SOURCE), ("monitor", MONITOR)):
            m = pattern.search(body)
            if m and term not in [f.value for f in found]:
                found.append(Found(term, m.group(0)))
    if out.responsibility and out.responsibility.value == "claimed":
        found.append(Found("claimant", out.responsibility.quote))
    order = ["official-confirmation", "host-officials", "claimant", "monitor", "local-sources", "denial"]
    out.relays = sorted(found, key=lambda f: order.index(f.value))


def _posture(rep: Report, out: Extraction) -> None:
    us = rep.lex.actor_for("U.S. forces")
    site = out.place.get("site")
    for s in rep.sentences:
        for m in POSTURE.finditer(rep.text, s.start, s.end):
            window = rep.text[max(s.start, m.start() - 30):m.start()]
            if re.search(r"\b(?:injur\w*|wound\w*|kill\w*|attack\w*|hurt)\s+$", window, re.I):
                continue
            if not (m.group("us") or re.search(rf"\b(?:{US}|its)\b", rep.text[s.start:m.start()], re.I)):
                continue
            if re.search(r"\b(?:injured|wounded|killed|hurt)\b", m.group("mid") or "", re.I):
                continue
            figures = [(m.group("q"), m.group("n"), m.group("place"), m.start(), m.end())]
            more = POSTURE_MORE.match(rep.text[m.end():s.end])
            if more:
                figures.append((more.group("q") or m.group("q"), more.group("n"), more.group("place"), m.start(), m.end() + more.end()))
            for q, n, place, a, b in figures:
                words = quote(rep.text, a, b)
                est = numbers.parse(f"{q} {n}" if q and q.lower() not in ("the remaining", "remaining", "all") else n)
                if est is None:
                    continue
                if place.lower() == "the base":
                    if not site:
                        continue
                    country = out.place.get("country")
                    item = {"country": country.value if country else None, "site": site.value}
                else:
                    item = {"country": {"iraq": "IQ", "syria": "SY", "jordan": "JO", "kuwait": "KW"}[place.lower()]}
                wording = quote(rep.text, a, b if len(figures) == 1 else m.end() if (q, n) == figures[0][:2] else b)
                item.update(force=us, estimate=est, wording=" ".join(words.split()[:12]), quote=words,
                            excerpt=excerpt(rep.text[s.start:s.end]))
                out.posture.append(item)


def _links(rep: Report, out: Extraction) -> None:
    event = rep.event_date
    if not event or not event.first:
        return
    event_site = out.place.get("site").value if out.place.get("site") else None
    segments = []
    for a, b in rep.link_spans:
        s = rep.sentence_at(a)
        if s and s not in rep.scope and s.index in rep.background:
            continue
        trigger = rep.text[a:b].split()[0].lower()
        segments.append((a, b, "follows" if trigger in ("following", "after", "comes", "came", "days", "weeks", "hours",
                                                        "just", "only", "a") else "cited-as-reason"))
    for s in rep.excluded:
        if s.index not in rep.background:
            segments.append((s.start, s.end, "context"))
    picked = []
    for a, b, relation in segments:
        seg = rep.text[a:b]
        own = [d for d in rep.dates if a <= d.start < b and d.first and not d.speech]
        s = rep.sentence_at(a)
        if own:
            windows = [(d.first, d.last) for d in own]
            latest_only = False
        elif s and re.search(r"\bwithin a week\b|\bdays (?:after|before)\b|\bearlier this week\b", s.text, re.I):
            windows = [(event.first - dt.timedelta(days=7), event.first)]
            latest_only = True
        elif relation == "follows":
            windows = [(event.first - dt.timedelta(days=14), event.first - dt.timedelta(days=1))]
            latest_only = True
        else:
            continue
        toks = tokens(seg, a)
        canon = canonical(toks, rep.text)
        words = {w for w, _ in canon}
        sites = {m.value for m in rep.lex.site_names.find(canon) + rep.lex.site_cores.find(canon) if m.value}
        if event_site and re.search(r"\bthe base\b", seg, re.I):
            sites.add(event_site)
        weapons = set()
        for term, _, _ in _weapon_mentions(rep, seg):
            weapons.add("one-way-attack-drone" if term == "drone" else term)
        matches = []
        for inc in rep.lex.incidents:
            start, end = dt.date.fromisoformat(inc.start[:10]), dt.date.fromisoformat(inc.end[:10])
            if not any(start <= w1 and w0 <= end for w0, w1 in windows):
                continue
            same_place = (inc.site and inc.site in sites) or bool(inc.place_words & words)
            if not same_place:
                continue
            if weapons and inc.weapons and not (weapons & inc.weapons):
                continue
            if start <= event.first <= end and (not event_site or inc.site == event_site):
                continue  # this event itself
            matches.append((inc, start))
        if latest_only and matches:
            matches = [max(matches, key=lambda x: x[1])]
        for inc, _ in matches:
            if inc.id not in [p["incident"] for p in picked]:
                rel = relation
                if relation == "context" and inc.site and inc.site == event_site:
                    rel = "same-wave"
                picked.append({"incident": inc.id, "relation": rel, "quote": quote(rep.text, a, b)})
    out.links = picked
    if event_site or out.place.get("name"):
        for inc in rep.lex.incidents:
            start, end = dt.date.fromisoformat(inc.start[:10]), dt.date.fromisoformat(inc.end[:10])
            if start <= event.first <= end and event_site and inc.site == event_site:
                out.same_event.append(inc.id)


def _language(rep: Report, out: Extraction) -> None:
    words = [t.norm for t in tokens(rep.text)]
    if len(words) >= 8 and sum(w in ENGLISH for w in words) / len(words) > 0.08:
        out.language = Found("en", None, "the report's words are English")


def extract(text: str, lex: Lexicon, published: dt.date | None) -> Extraction:
    out = Extraction()
    rep = Report(text, lex, published)
    if rep.lead is None:
        out.missing.append("the event: no sentence tells of an attack or strike on a base or force")
    rep.event_date = _choose_date(rep)
    _build_scope(rep)
    if rep.lead is not None and rep.lead not in rep.scope:
        rep.scope.insert(0, rep.lead)
    etext = rep.event_text()
    if rep.lead is not None:
        out.excerpt = excerpt(rep.lead.text)
    _language(rep, out)
    if rep.lead is None:
        return out
    _when(rep, out)
    _place(rep, out)
    kind = _event_and_weapons(rep, out, etext)
    if kind == "attack":
        _outcome(rep, out, etext)
    _casualties(rep, out, etext)
    _responsibility(rep, out, etext, kind)
    _targets(rep, out, etext, kind)
    _relays(rep, out, etext, kind)
    _posture(rep, out)
    _links(rep, out)
    return out
