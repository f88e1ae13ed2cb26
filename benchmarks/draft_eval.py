"""Evaluate `forcewatch draft` on real reports: field-by-field precision and recall.

    .venv/bin/python benchmarks/draft_eval.py [--root DIR] [--verbose]

The reports, and the values a careful coder takes from each, are in draft_cases.yaml (they
were written before the tool was run on them; each names its page's URL and publisher).
Precision is the share of the values the draft fills that are right (a wrong value is
worse than a blank); recall, the share of the expected values it fills. Targets: precision
>= 0.90, recall >= 0.70 (tests/test_draft_eval.py asserts them).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET_PRECISION, TARGET_RECALL = 0.90, 0.70
LIST_FIELDS = ("weapons", "munitions", "casualties", "actors", "links", "posture", "relays")


def _figure(item: dict, keys) -> tuple:
    return tuple((k, item.get(k)) for k in keys)


def produced(draft) -> dict:
    """The draft's values, in the evaluation's field names."""
    ex = draft.extraction
    out = {}
    for k in ("start", "end", "precision", "time_of_day", "local_time"):
        out[f"when.{k}"] = ex.when[k].value if ex.when.get(k) else None
    for k in ("site", "country", "admin1", "geo_precision"):
        out[f"place.{k}"] = ex.place[k].value if ex.place.get(k) else None
    out["event_type"] = ex.event_type.value if ex.event_type else None
    out["outcome"] = ex.outcome.value if ex.outcome else None
    out["responsibility.status"] = ex.responsibility.value if ex.responsibility else None
    out["source.language"] = ex.language.value if ex.language else None
    out["weapons"] = [w.value for w in ex.weapons]
    out["relays"] = [r.value for r in ex.relays]
    out["munitions"] = [_figure(m, ("weapon", "low", "best", "high", "qualifier")) for m in ex.munitions]
    out["casualties"] = [_figure(c, ("party", "harm", "low", "best", "high", "qualifier")) for c in ex.casualties]
    out["actors"] = [(("actor", a["actor"].value), ("role", a["role"].value)) for a in ex.actors if a.get("actor")]
    out["links"] = [link["incident"] for link in ex.links]
    out["posture"] = [(("force", p.get("force")), ("country", p.get("country")),
                       *[(k, p["estimate"].get(k)) for k in ("low", "best", "high")],
                       ("qualifier", p["estimate"]["qualifier"])) for p in ex.posture]
    return out


def _normalise(name: str, items: list) -> list:
    keys = {"munitions": ("weapon", "low", "best", "high", "qualifier"),
            "casualties": ("party", "harm", "low", "best", "high", "qualifier"),
            "actors": ("actor", "role"), "posture": ("force", "country", "low", "best", "high", "qualifier")}.get(name)
    return [_figure(i, keys) for i in items] if keys else list(items)


def expectations(case: dict, lexicon) -> dict:
    """The case's expected values, with the site resolved against the gazetteer of today."""
    expected = dict(case["expected"])
    site = None
    if "place.site_named" in expected:
        named = expected.pop("place.site_named")
        site = lexicon.site_for(named) if named else None
        expected["place.site"] = site.id if site else None
    for key, value in list(expected.items()):
        if isinstance(value, dict) and "if_site" in value:
            chosen = value["if_site"] if site else value["else"]
            expected[key] = (site.admin1 if site else None) if chosen == "@site" else chosen
    return expected


def score(case: dict, got: dict, expected: dict, tally: dict, log: list) -> None:
    for field, want in expected.items():
        if field.endswith(".also_ok"):
            continue
        name = field.split(".")[0] if field.split(".")[0] in LIST_FIELDS else field
        if name in LIST_FIELDS:
            want_items = _normalise(name, want or [])
            also = _normalise(name, expected.get(f"{name}.also_ok", []))
            have = got[name]
            for item in have:
                if item in also and item not in want_items:
                    continue
                tally[name]["filled"] += 1
                if item in want_items:
                    tally[name]["right"] += 1
                else:
                    log.append(f"{case['name']}: {name}: unexpected {item}")
            for item in want_items:
                tally[name]["expected"] += 1
                if item not in have:
                    log.append(f"{case['name']}: {name}: missed {item}")
        else:
            value = got.get(field)
            if value is not None:
                tally[field]["filled"] += 1
                if value == want:
                    tally[field]["right"] += 1
                else:
                    log.append(f"{case['name']}: {field}: got {value!r}, expected {want!r}")
            if want is not None:
                tally[field]["expected"] += 1
                if value is None:
                    log.append(f"{case['name']}: {field}: missed {want!r}")


def evaluate(root: Path = ROOT, cases_file: Path = HERE / "draft_cases.yaml") -> dict:
    sys.path.insert(0, str(root))
    from forcewatch.draft import draft_report
    from forcewatch.draft.lexicon import load_lexicon
    lexicon = load_lexicon(root)
    cases = yaml.safe_load(cases_file.read_text(encoding="utf-8"))["cases"]
    tally: dict = defaultdict(lambda: {"filled": 0, "right": 0, "expected": 0})
    log: list[str] = []
    for case in cases:
        draft = draft_report(case["text"], root, url=case.get("url"), publisher=case.get("publisher"),
                             published=case.get("published"), lexicon=lexicon)
        score(case, produced(draft), expectations(case, lexicon), tally, log)
    filled = sum(t["filled"] for t in tally.values())
    right = sum(t["right"] for t in tally.values())
    expected = sum(t["expected"] for t in tally.values())
    return {"cases": len(cases), "fields": dict(tally), "filled": filled, "right": right, "expected": expected,
            "precision": right / filled if filled else 0.0, "recall": right / expected if expected else 0.0,
            "log": log}


def render(result: dict, verbose: bool = False) -> str:
    lines = [f"forcewatch draft on {result['cases']} real reports", "",
             f"{'field':24} {'filled':>6} {'right':>6} {'expected':>8} {'precision':>9} {'recall':>7}"]
    for field, t in sorted(result["fields"].items()):
        p = f"{t['right'] / t['filled']:.0%}" if t["filled"] else "-"
        r = f"{t['right'] / t['expected']:.0%}" if t["expected"] else "-"
        lines.append(f"{field:24} {t['filled']:>6} {t['right']:>6} {t['expected']:>8} {p:>9} {r:>7}")
    lines += ["", f"{'all fields':24} {result['filled']:>6} {result['right']:>6} {result['expected']:>8} "
                  f"{result['precision']:>9.1%} {result['recall']:>7.1%}",
              f"targets: precision >= {TARGET_PRECISION:.0%}, recall >= {TARGET_RECALL:.0%}"]
    if verbose:
        lines += ["", *result["log"]]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(ROOT), help="the repository root (default: this checkout)")
    parser.add_argument("--verbose", action="store_true", help="list every wrong or missed value")
    args = parser.parse_args(argv)
    result = evaluate(Path(args.root))
    print(render(result, args.verbose))
    return 0 if result["precision"] >= TARGET_PRECISION and result["recall"] >= TARGET_RECALL else 1


if __name__ == "__main__":
    sys.exit(main())
