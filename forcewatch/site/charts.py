"""Charts as Vega-Lite specifications, drawn in the page by Vega (vendored, see `vendor`), and
the caveat every count carries: how much of the official count the dataset holds.

A chart is a specification in a JSON block beside an empty box; `assets/forcewatch-charts.js`
draws it as SVG (labels keep their size at any width, and Vega gives every mark an ARIA
label). Every chart has a table beside it with the same numbers, for screen readers and for
a build without the libraries.
"""

from __future__ import annotations

import datetime as _dt

from ..coverage import COUNTRY_NAMES, GROUP_WORDS, QUALIFIER_WORDS
from .markup import esc, json_script
from .vendor import CHART_LIBRARIES, VENDOR_DIR, site_path

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
# Pixel sizes: Vega draws them as they are, so they stay legible on a phone.
CONFIG = {
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelOverlap": "greedy", "labelSeparation": 6,
             "labelBound": True, "labelColor": "#333", "titleColor": "#333", "gridColor": "#e4e4e4"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "direction": "horizontal",
               "columns": 3, "symbolSize": 120, "labelLimit": 220},
    "title": {"fontSize": 13, "anchor": "start", "offset": 8},
    "text": {"fontSize": 12},
}


# Month names, with the year at each January and at the first label; about one label per 70 px,
# so that a phone shows every other month or fewer and no label is dropped for lack of room.
MONTH_LABELS = ("utcFormat(datum.value, '%m') == '01' || datum.index == 0 ? utcFormat(datum.value, '%b %Y') "
                ": utcFormat(datum.value, '%b')")


PAD_DAYS = 20  # room on either side of the first and last date, so that no point sits on the edge


def span(dates: list[str]) -> list[str]:
    """The first and last of `dates`, with room on either side."""
    first, last = _dt.date.fromisoformat(min(dates)), _dt.date.fromisoformat(max(dates))
    return [(first - _dt.timedelta(days=PAD_DAYS)).isoformat(), (last + _dt.timedelta(days=PAD_DAYS)).isoformat()]


def time_axis(field: str, span: list[str], fixed: bool = True) -> dict:
    """A date axis over `span` (first and last day) with month labels: at most one label a month
    and about one per 70 px, so that none is dropped for lack of room or repeated. `fixed`
    makes the span the scale's domain (Vega-Lite cannot merge a domain with an x2 channel:
    charts with one leave it to the data)."""
    first, last = (_epoch_ms(d) for d in span)
    months = max(1, round((last - first) / (30.44 * 86_400_000)))
    x = {"field": field, "type": "temporal", "title": None, "scale": {"type": "utc"},
         "axis": {"labelExpr": MONTH_LABELS, "tickCount": {"expr": f"max(1, min({months}, floor(width / 70)))"},
                  "grid": False}}
    if fixed:  # in milliseconds: Vega-Lite merges date strings in a layered domain badly
        x["scale"]["domain"] = [first, last]
    return x


def _epoch_ms(day: str) -> int:
    return int(_dt.datetime.fromisoformat(day).replace(tzinfo=_dt.timezone.utc).timestamp() * 1000)


def chart(element_id: str, spec: dict, label: str) -> str:
    """The box a chart is drawn in, with its specification. `label` describes the chart for
    screen readers (the table beside it has the numbers)."""
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "config": CONFIG,
            "width": "container", "autosize": {"type": "fit-x", "contains": "padding"}, **spec}
    return (f'<div class="fw-vega" id="{esc(element_id)}" role="figure" aria-label="{esc(label)}"></div>'
            + json_script(f"{element_id}-spec", spec))


def chart_scripts(prefix: str, missing: list[str]) -> str:
    """The script tags a page of charts needs (`prefix` leads from the page to the site's root),
    or, when the libraries were not installed at build time, a note saying so."""
    if missing:
        return missing_note("The charts", missing)
    tags = "".join(f'<script src="{prefix}{site_path(lib, lib.files[0])}"></script>' for lib in CHART_LIBRARIES)
    return tags + f'<script src="{prefix}assets/forcewatch-charts.js"></script>'


def missing_note(what: str, missing: list[str]) -> str:
    names = ", ".join(f"<code>{esc(m)}</code>" for m in missing)
    return (f'<div class="admonition warning fw-missing"><p class="admonition-title">{esc(what)} cannot be drawn in '
            f"this copy of the site</p><p>This site was built without the JavaScript libraries they need ({names}), "
            "which <code>python3 tasks.py docs</code> installs from npm into <code>.venv/npm/</code> and copies into "
            f"<code>{VENDOR_DIR}/</code>. The tables on this page hold the same figures.</p></div>")


def _official_words(row: dict) -> str:
    return QUALIFIER_WORDS.get(row["qualifier"], "") + f"{row['official']:,}"


def caveat(coverage_result: dict, prefix: str) -> str:
    """How much of the official count the dataset holds, from the most recent official tally
    of attacks (`coverage.compare`'s `latest`), as a sentence with a link to the tallies."""
    latest = coverage_result.get("latest")
    link = f'<a href="{prefix}tallies.html">reported tallies</a>'
    if latest is None:
        return (f'<p class="fw-caveat"><strong>How complete:</strong> not known yet: no official count of attacks '
                f"is in the dataset to compare with (see the {link}).</p>")
    places = " and ".join(COUNTRY_NAMES.get(c, c) for c in latest["countries"])
    group = GROUP_WORDS.get(latest["target_group"], latest["target_group"])
    share, held, official = latest["ratio"], f"{latest['dataset']:,}", _official_words(latest)
    scope = (f"attacks on {esc(group)} in {esc(places)} from {esc(latest['from'])} to {esc(latest['as_of'])}, "
             f"counted by {esc(latest['counter'])}")
    if share is not None and share >= 1:
        told = f"the dataset holds {held} incidents for the {esc(official)} {scope}: it reaches the official count."
    else:
        told = (f"the dataset holds {held}{f' ({share:.0%})' if share is not None else ''} of the {esc(official)} "
                f"{scope}. Counts here are of the incidents it describes one by one, so they are lower than the "
                "real numbers.")
    return f'<p class="fw-caveat"><strong>How complete:</strong> {told} See the {link}.</p>'
