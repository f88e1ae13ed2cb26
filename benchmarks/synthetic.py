"""Synthetic forcewatch repositories for benchmarks: N incident records that pass validation
(seeded, ~1.2 KB of YAML each, referencing the real actors and sites), written to a folder
you name (a temporary one in the benchmark). Never committed, never released."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVENT_WEAPONS = {
    "attack": ["rocket", "one-way-attack-drone", "mortar", "ied"],
    "strike": ["uncrewed-aircraft-strike", "crewed-aircraft-strike"],
    "interception": ["one-way-attack-drone"],
}
TARGETS = ["us-armed-forces", "us-led-coalition"]
PERPETRATORS = ["islamic-resistance-in-iraq", "kataib-hezbollah", "iran-aligned-iraqi-militias"]
BOXES = {"IQ": (30.0, 39.5, 36.5, 47.5), "SY": (33.0, 36.5, 36.8, 41.8)}
OUTCOMES = ["impact", "intercepted", "fell-outside", "unknown"]

TEMPLATE = """id: {id}
record_type: incident
schema_version: "{version}"
status: active
title: Synthetic {event} number {n} for benchmarks
summary: >-
  A synthetic {event} generated for the benchmark (seed {seed}, number {n}), with made-up
  values that pass validation.
when:
  start: "{date}"
  end: "{date}"
  precision: day
  time_of_day: {tod}
place:
  name: Synthetic place {n}
  country: {country}
  admin1: Synthetic province
{coordinates}  geo_precision: {geo}
event_type: {event}
weapons: [{weapon}]
munitions:
  - weapon: {weapon}
    low: {count}
    qualifier: at-least
    wording: at least {count}
    sources: [src-a]
outcome: {outcome}
actors:
  - actor: {target}
    role: target
    sources: [src-a]
  - actor: {perp}
    role: attributed
    by: Synthetic officials
    sources: [src-b]
casualties:
  - party: us-military
    harm: injured
    best: {injured}
    qualifier: exact
    sources: [src-a, src-b]
sources:
  - key: src-a
    publisher: Synthetic Wire
    title: "[Synthetic report {n}]"
    url: https://example.org/synthetic/{n}
    published: "{pub}"
    excerpt: A synthetic excerpt standing in for a summary of the source.
  - key: src-b
    publisher: Synthetic Daily
    title: "[Synthetic follow-up {n}]"
    url: https://example.org/synthetic/{n}/follow-up
    published: "{pub}"
    excerpt: A second synthetic excerpt.
"""


def make_repo(target: Path, n: int, seed: int = 20241124) -> Path:
    """A repository with the real schema, validators, actors and sites, and `n` synthetic
    incidents. Returns the repository root."""
    rng = random.Random(seed)
    for name in ("schema", "validators"):
        shutil.copytree(REPO / name, target / name)
    for name in ("actors", "sites"):
        shutil.copytree(REPO / "datasets" / name, target / "datasets" / name)
    version = (REPO / "schema" / "VERSION").read_text().strip()
    start = dt.date(2005, 1, 1)
    for i in range(n):
        event = rng.choice(list(EVENT_WEAPONS))
        country = rng.choice(list(BOXES))
        box = BOXES[country]
        day = start + dt.timedelta(days=rng.randrange(7000))
        rid = f"inc-{day.isoformat()}-synthetic-{i:06d}"
        text = TEMPLATE.format(
            id=rid, version=version, event=event, n=i, seed=seed, date=day.isoformat(),
            tod=rng.choice(["morning", "evening", "night"]), country=country,
            coordinates=(f"  coordinates: {{lat: {round(rng.uniform(box[0], box[2]), 4)}, "
                         f"lon: {round(rng.uniform(box[1], box[3]), 4)}}}\n") if i % 10 == 0 else "",
            geo="near-named-place" if i % 10 == 0 else "admin1",
            weapon=rng.choice(EVENT_WEAPONS[event]), count=rng.randint(1, 12), outcome=rng.choice(OUTCOMES),
            target=rng.choice(TARGETS), perp=rng.choice(PERPETRATORS), injured=rng.randint(0, 9),
            pub=(day + dt.timedelta(days=rng.randint(0, 3))).isoformat())
        folder = target / "datasets" / "incidents" / rid[4:8]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{rid}.yaml").write_text(text, encoding="utf-8")
    return target
