"""Figures and tables as the site shows them: accessible, captioned, downloadable.

Pages return these blocks from their methods; a notebook cell that ends with
one displays it.

``FigureBlock(fig, caption, summary, data, slug, numeric=(), n=None, date=None)``
    A ``<figure>`` with a Finnish ``<figcaption>``, the plotly chart (the
    house renderer's own HTML, see ``tilannekuva.charts.render``), a
    one-sentence ``summary`` (the chart's text alternative), the chart's data
    as a table inside ``<details><summary>Kuvion tiedot taulukkona</summary>``
    (reachable by keyboard), and links to the data as CSV and XLSX.

``TableBlock(frame, caption, slug, numeric=(), row_ids=None, n=None, date=None, shown=None)``
    A ``<figure>`` with a caption, the table and the same download links.
    ``shown`` is the table as the page shows it when that differs from the
    download (e.g. a difference and its interval in one cell); the download
    keeps ``frame``, one number per cell.

``decimals`` (both blocks) is the number of decimals of the numeric columns
as the page shows them: one int for all, or a dict by column (default: whole
numbers as such, others to one decimal).

A ``FigureBlock`` passes the usual figure calls (``update_traces``,
``update_layout``, ``add_annotation``, ``show`` ...) to its chart, so an
analyst edits the chart through the block; ``block.data`` is the chart's data
as a data frame and ``block.fig`` the plotly figure itself.

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
HIDDEN_MARKER = "piilotettu"  # a suppressed cell, on the page and in downloads: never the number
LINK_PREFIX = "tk-data:"  # rewritten by the export to data/<page>--
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _check_slug(slug: str) -> str:
    if not SLUG.fullmatch(slug):
        raise ValueError(f"slug {slug!r}: expected lower-case letters, digits and hyphens")
    return slug


Decimals = int | dict[str, int] | None


def _cell(value: object, numeric: bool, decimals: int | None = None) -> str:
    """A value as the HTML table shows it."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if numeric and isinstance(value, int | float) and not isinstance(value, bool):
        if decimals is None:
            decimals = 0 if float(value).is_integer() else 1
        return fi_number(value, decimals)
    return str(value)


def _decimals_of(decimals: Decimals, column: str) -> int | None:
    if isinstance(decimals, dict):
        return decimals.get(column)
    return decimals


def _json_value(value: object) -> object:
    """A value for the table mimetype (JSON): numbers stay numbers, missing is null."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, int | float | str | bool):
        return value
    return str(value)


def table_html(
    frame: pd.DataFrame,
    numeric: tuple[str, ...] = (),
    row_ids: list[str] | None = None,
    decimals: Decimals = None,
) -> str:
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = []
    for position, row in enumerate(frame.itertuples(index=False)):
        cells = "".join(
            f'<td class="num">{html.escape(_cell(v, True, _decimals_of(decimals, c)))}</td>'
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


@dataclass(repr=False)
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
    decimals: Decimals = None

    def __post_init__(self) -> None:
        _check_slug(self.slug)

    def __repr__(self) -> str:
        return f"Kuvio: {self.caption} ({len(self.data)} riviä tietoja: .data; kuvio: .fig)"

    def __getattr__(self, name: str):
        # Figure calls go to the chart; a call that returns the figure returns the block.
        if name.startswith("_"):
            raise AttributeError(name)
        attribute = getattr(self.fig, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            result = attribute(*args, **kwargs)
            return self if result is self.fig else result

        return call

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        from tilannekuva.charts.render import PLOTLY_MIMETYPE, SiteRenderer

        chart = SiteRenderer().to_mimebundle(self.fig.to_dict())
        body = (
            f'<figure class="tk-block" id="kuvio-{self.slug}">'
            f"<figcaption>{html.escape(self.caption)}</figcaption>"
            f"{chart['text/html']}"
            f'<p class="tk-summary">{html.escape(self.summary)}</p>'
            "<details><summary>Kuvion tiedot taulukkona</summary>"
            f"{table_html(self.data, self.numeric, decimals=self.decimals)}</details>"
            f"{_downloads(self.slug)}</figure>"
        )
        return {
            "text/html": body,
            PLOTLY_MIMETYPE: chart[PLOTLY_MIMETYPE],
            TABLE_MIMETYPE: _table_payload(
                self.data, self.caption, self.slug, self.numeric, self.n, self.date
            ),
        }


@dataclass(repr=False)
class TableBlock:
    """A table with its caption and downloads."""

    frame: pd.DataFrame
    caption: str
    slug: str
    numeric: tuple[str, ...] = ()
    row_ids: list[str] | None = field(default=None)
    n: int | None = None
    date: object = None
    shown: pd.DataFrame | None = None
    decimals: Decimals = None
    table: str | None = None  # the table's own HTML, when its cells carry markup (links, badges)

    def __post_init__(self) -> None:
        _check_slug(self.slug)

    def __repr__(self) -> str:
        return f"Taulukko: {self.caption} ({len(self.frame)} riviä: .frame)"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        view = self.frame if self.shown is None else self.shown
        table = (
            table_html(view, self.numeric, self.row_ids, self.decimals)
            if self.table is None
            else f'<div class="tk-table-scroll" tabindex="0" role="region" '
            f'aria-label="Taulukko">{self.table}</div>'
        )
        body = (
            f'<figure class="tk-block" id="taulukko-{self.slug}">'
            f"<figcaption>{html.escape(self.caption)}</figcaption>"
            f"{table}"
            f"{_downloads(self.slug)}</figure>"
        )
        return {
            "text/html": body,
            TABLE_MIMETYPE: _table_payload(
                self.frame, self.caption, self.slug, self.numeric, self.n, self.date
            ),
        }


@dataclass(repr=False)
class WithHeading:
    """A block preceded by its own heading (e.g. one of several tables in a section)."""

    heading: str  # HTML
    block: FigureBlock | TableBlock

    def __repr__(self) -> str:
        return repr(self.block)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = self.block._repr_mimebundle_()
        return {**bundle, "text/html": self.heading + bundle["text/html"]}
