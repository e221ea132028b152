"""Figures and tables as the site shows them: accessible, captioned, downloadable.

Pages return these blocks from their methods; a notebook cell that ends with
one displays it.

``FigureBlock(fig, caption, summary, data, slug, numeric=(), n=None, date=None)``
    A ``<figure>`` with a Finnish ``<figcaption>``, the plotly chart (the
    house renderer's own HTML, see ``tilannekuva.charts.render``), a
    one-sentence ``summary`` (the chart's text alternative), the chart's data
    as a table inside ``<details><summary>Kuvion tiedot taulukkona</summary>``
    (reachable by keyboard), and links to the data as CSV and XLSX.

``TableBlock(frame, caption, slug, numeric=(), row_ids=None, n=None, date=None)``
    A ``<figure>`` with a caption, the table and the same download links.

``data``/``frame`` hold the values as they should be downloaded: numbers as
numbers, suppressed cells as the suppression marker (a string, never the
number); the HTML table formats numbers the Finnish way. ``numeric`` names the
columns aligned right and formatted as numbers; ``slug`` (lower-case letters,
digits and hyphens) names the files; ``n`` and ``date`` (the data's date) go
into the downloads' column headers.

The kernel does not know the page's file name, so the download links point to
``tk-data:<slug>.csv``; each block also carries its table in the
``application/vnd.tilannekuva.table+json`` output, and the build's export
(``tilannekuva.site.export``) writes ``data/<page>--<slug>.csv|.xlsx`` and
rewrites the links.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from tilannekuva.formats import fi_date, fi_number

TABLE_MIMETYPE = "application/vnd.tilannekuva.table+json"
LINK_PREFIX = "tk-data:"  # rewritten by the export to data/<page>--
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _check_slug(slug: str) -> str:
    if not SLUG.fullmatch(slug):
        raise ValueError(f"slug {slug!r}: expected lower-case letters, digits and hyphens")
    return slug


def _cell(value: object, numeric: bool) -> str:
    """A value as the HTML table shows it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if numeric and isinstance(value, int | float) and not isinstance(value, bool):
        decimals = 0 if float(value).is_integer() else 1
        return fi_number(value, decimals)
    return str(value)


def _json_value(value: object) -> object:
    """A value for the table mimetype (JSON): numbers stay numbers, missing is null."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, int | float | str | bool):
        return value
    return str(value)


def table_html(frame: pd.DataFrame, numeric: tuple[str, ...] = (), row_ids=None) -> str:
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = []
    for position, row in enumerate(frame.itertuples(index=False)):
        cells = "".join(
            f'<td class="num">{html.escape(_cell(v, True))}</td>'
            if c in numeric
            else f"<td>{html.escape(_cell(v, False))}</td>"
            for c, v in zip(frame.columns, row, strict=True)
        )
        row_id = f' id="{html.escape(row_ids[position])}"' if row_ids else ""
        rows.append(f"<tr{row_id}>{cells}</tr>")
    return (
        f'<div class="tk-table-scroll" tabindex="0" role="region" aria-label="Taulukko">'
        f'<table class="tk-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _downloads(slug: str) -> str:
    return (
        '<p class="tk-downloads">Lataa tiedot: '
        f'<a href="{LINK_PREFIX}{slug}.csv" download>CSV (Excel, puolipiste)</a> · '
        f'<a href="{LINK_PREFIX}{slug}.xlsx" download>XLSX</a></p>'
    )


def _table_payload(
    frame: pd.DataFrame, caption: str, slug: str, numeric, n: int | None, date: object
) -> dict:
    return {
        "slug": slug,
        "caption": caption,
        "columns": [str(c) for c in frame.columns],
        "numeric": [str(c) for c in numeric],
        "rows": [[_json_value(v) for v in row] for row in frame.itertuples(index=False)],
        "n": int(n) if n is not None else None,
        "date": fi_date(date) if date is not None else None,
    }


@dataclass
class FigureBlock:
    """A chart with its caption, text alternative, data table and downloads."""

    fig: object  # plotly.graph_objects.Figure
    caption: str
    summary: str
    data: pd.DataFrame
    slug: str
    numeric: tuple[str, ...] = ()
    n: int | None = None
    date: object = None

    def __post_init__(self) -> None:
        _check_slug(self.slug)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        from tilannekuva.charts.render import PLOTLY_MIMETYPE, SiteRenderer

        chart = SiteRenderer().to_mimebundle(self.fig.to_dict())
        body = (
            f'<figure class="tk-block" id="kuvio-{self.slug}">'
            f"<figcaption>{html.escape(self.caption)}</figcaption>"
            f"{chart['text/html']}"
            f'<p class="tk-summary">{html.escape(self.summary)}</p>'
            "<details><summary>Kuvion tiedot taulukkona</summary>"
            f"{table_html(self.data, self.numeric)}</details>"
            f"{_downloads(self.slug)}</figure>"
        )
        return {
            "text/html": body,
            PLOTLY_MIMETYPE: chart[PLOTLY_MIMETYPE],
            TABLE_MIMETYPE: _table_payload(
                self.data, self.caption, self.slug, self.numeric, self.n, self.date
            ),
        }


@dataclass
class TableBlock:
    """A table with its caption and downloads."""

    frame: pd.DataFrame
    caption: str
    slug: str
    numeric: tuple[str, ...] = ()
    row_ids: list[str] | None = field(default=None)
    n: int | None = None
    date: object = None

    def __post_init__(self) -> None:
        _check_slug(self.slug)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        body = (
            f'<figure class="tk-block" id="taulukko-{self.slug}">'
            f"<figcaption>{html.escape(self.caption)}</figcaption>"
            f"{table_html(self.frame, self.numeric, self.row_ids)}"
            f"{_downloads(self.slug)}</figure>"
        )
        return {
            "text/html": body,
            TABLE_MIMETYPE: _table_payload(
                self.frame, self.caption, self.slug, self.numeric, self.n, self.date
            ),
        }
