"""The reported tallies page, from the tally records: a table per measure with each count's
sources and the dataset's own count for the same scope (`coverage.compare`), and a chart of the
two over time."""

from __future__ import annotations

from ..coverage import COUNTRY_NAMES, GROUP_WORDS
from .charts import chart, chart_scripts, span
from .data import Data, figure_text
from .markup import esc, html_block, link_source, table
from .timeline import tallies_spec

MEASURE_TITLES = {"attacks": "Attacks", "injured": "People injured", "killed": "People killed"}

INTRO = (
    "<p>Officials, monitors and claimants often give only a running count (\"more than 60 attacks since "
    "October\"). forcewatch never turns such a count into invented incidents: each count is a <em>tally</em> record "
    "(<code>datasets/tallies/</code>), kept with the source that states it. The incident records hold only the "
    "attacks a source describes one by one, so the dataset's own count is usually lower than these tallies; the "
    "difference is attacks that no source read describes. Where two counts for about the same date disagree, both "
    "are kept.</p>"
    "<p>Beside each count is the dataset's count for the same forces, countries and period, by the rule in the "
    '<a href="methodology.html#how-complete-the-dataset-is">methodology</a> (<code>forcewatch coverage</code> '
    "prints the same).</p>")


def _share(dataset, ratio) -> str:
    return f"{dataset:,}" + (f" ({ratio:.0%})" if ratio is not None else "")


def _sources(record: dict) -> str:
    keys = set(record["count"].get("sources") or ())
    cited = [s for s in record["sources"] if s.get("key") in keys] or record["sources"]
    return "; ".join(link_source(s) + (f", {esc(s['published'])}" if s.get("published") else "") for s in cited)


def _row(data: Data, row: dict) -> list[str]:
    record = data.tallies[row["id"]]
    count = figure_text(record["count"]) + (f"<br><small>{esc(record['count']['wording'])}</small>"
                                            if record["count"].get("wording") else "")
    parts = "; ".join(f"{esc(COUNTRY_NAMES.get(p['country'], p['country']))} {esc(figure_text(b))}, dataset "
                      f"{_share(p['dataset'], p['ratio'])}"
                      for p, b in zip(row["by_country"], record.get("breakdown") or ()))
    where = esc(" and ".join(COUNTRY_NAMES.get(c, c) for c in row["countries"]))
    whose = esc(GROUP_WORDS.get(row["target_group"], row["target_group"]))
    return [esc(row["as_of"]), esc(row["from"]), count, f"{esc(row['counter'])} <small>({esc(row['counter_kind'])})</small>",
            f"{whose} in {where}" + (f"<br><small>{parts}</small>" if parts else ""),
            _share(row["dataset"], row["ratio"]), _sources(record)]


def tallies_page(data: Data, missing: list[str], measures: tuple[str, ...] = tuple(MEASURE_TITLES)) -> str:
    rows = data.coverage["tallies"]
    inner = INTRO
    if not rows:
        inner += "<p>No tally record is in the dataset yet.</p>"
        return "# Reported tallies\n\n" + html_block(inner)
    drawn = False
    for measure in measures:
        mine = [r for r in rows if r["measure"] == measure]
        if not mine:
            continue
        title = MEASURE_TITLES.get(measure, measure)
        inner += f'<h2 id="{esc(measure)}">{esc(title)}</h2>'
        if len(mine) > 1 or measure == "attacks":
            inner += chart(f"fw-tallies-{measure}", tallies_spec(mine, span([r["from"] for r in rows] + [r["as_of"] for r in rows])),
                           f"{title}: each tally's count beside the dataset's count for the same scope; the same "
                           "figures are in the table below.")
            drawn = True
        inner += table(["as of", "since", "count", "who counts", "of whom, where", "in the dataset", "sources"],
                       [_row(data, r) for r in mine], "fw-tallies")
    if drawn:
        inner += chart_scripts("", missing)
    return "# Reported tallies\n\n" + html_block(inner)
