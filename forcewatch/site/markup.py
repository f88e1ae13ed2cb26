"""HTML building blocks of the generated pages.

Every text that comes from a record passes through `esc` (html.escape) before it reaches
HTML; data for the pages' scripts goes into `<script type="application/json">` blocks through
`json_script`, which escapes `<`, `>` and `&` so that no record text can close the block. The
scripts put record text into the page with `textContent`, never as markup.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

SAFE_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
# Okabe and Ito's colours, told apart by readers with colour-vision deficiencies; one per
# event type, in the order of the schema's vocabulary.
PALETTE = ["#D55E00", "#0072B2", "#CC79A7", "#E69F00", "#009E73", "#56B4E9", "#555555", "#F0E442"]


def esc(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def code_spans(text: str) -> str:
    """Escape, then turn `backticks` into <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", esc(text))


def html_block(inner: str) -> str:
    """A raw HTML block: Markdown passes it through untouched."""
    return f'<div class="fw" markdown="0">\n{inner}\n</div>\n'


def table(headers: list[str], rows: list[list[str]], cls: str = "", caption: str = "") -> str:
    """A table in a box that scrolls sideways when it is wider than the page (the page never does)."""
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{caption}</caption>" if caption else ""
    return (f'<div class="fw-scroll" tabindex="0"><table class="fw-table {cls}">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def legend(items: list[tuple[str, str]]) -> str:
    spans = "".join(f'<span class="fw-key"><span class="fw-swatch" style="background:{c}"></span>{esc(label)}</span>'
                    for label, c in items)
    return f'<div class="fw-legend">{spans}</div>'


def json_script(element_id: str, data) -> str:
    """Data for a page's script, inert as HTML whatever text it holds."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/json" id="{esc(element_id)}">{text}</script>'


def bar_list(rows: list[tuple[str, int]], label: str) -> str:
    """Counts as a table of bars: readable at any width, and a table for screen readers."""
    peak = max([n for _, n in rows] + [1])
    body = "".join(f'<tr><th scope="row">{esc(name)}</th><td class="fw-bar-cell"><span class="fw-bar" '
                   f'style="width:{100 * n / peak:.1f}%"></span></td><td class="fw-num">{n}</td></tr>'
                   for name, n in rows)
    return (f'<table class="fw-bars"><caption class="fw-sr">{esc(label)}</caption>'
            f'<thead class="fw-sr"><tr><th scope="col">{esc(label)}</th><th scope="col">bar</th>'
            f'<th scope="col">incidents</th></tr></thead><tbody>{body}</tbody></table>')


def safe_url(url) -> str | None:
    """The URL if it is http(s) with a host, else None: no `javascript:` or `data:` link."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def link_source(source: dict) -> str:
    url = safe_url(source.get("url"))
    label = esc(source.get("publisher", "source"))
    return f'<a href="{esc(url)}" rel="nofollow noopener noreferrer">{label}</a>' if url else label



def without_toc(page: str) -> str:
    """A generated page with Material's table of contents hidden: wide pages (tables, charts,
    the map) need the width it would take."""
    if page.startswith("---\n"):
        return "---\nhide:\n  - toc\n" + page[4:]
    return "---\nhide:\n  - toc\n---\n\n" + page
