"""The site's landing page: what the site is, the data's dates, the municipality
finder and every page, grouped, with failures marked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from tilannekuva import __version__
from tilannekuva.provenance import SourceRecord
from tilannekuva.region import Region
from tilannekuva.site.chrome import context, slug
from tilannekuva.site.export import TEMPLATES


@dataclass
class IndexEntry:
    group: str
    label: str
    file: str
    available: bool
    failed: bool


def template_environment() -> jinja2.Environment:
    """Jinja for the site's own pages (landing, methods, accessibility statement)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(TEMPLATES), str(TEMPLATES / "tilannekuva")]),
        autoescape=True,
        keep_trailing_newline=True,
    )


# Section anchors: the header's "Kuntakortit" link goes to index.html#kuntakortit.
GROUP_IDS = {"Kuntakortit": "kuntakortit"}


def render_index(
    entries: list[IndexEntry],
    *,
    region: Region,
    demo: bool,
    built: str,
    sources: list[SourceRecord] | None = None,
    pdfs: list[tuple[str, str]] | None = None,
) -> str:
    groups: dict[str, list[IndexEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.group, []).append(entry)
    tk = context("Etusivu", region=region, demo=demo, built=built, sources=sources or [])
    return (
        template_environment()
        .get_template("index.html.j2")
        .render(
            tk=tk,
            groups=[
                {"title": title, "id": GROUP_IDS.get(title, slug(title)), "pages": pages}
                for title, pages in groups.items()
            ],
            pdfs=pdfs or [],
            failed=sum(e.failed for e in entries),
            technical={"Versio": f"tilannekuva {__version__}", "Sivuja": len(entries)},
        )
    )


def write_index(
    site: Path,
    entries: list[IndexEntry],
    *,
    region: Region,
    demo: bool,
    built: str,
    sources: list[SourceRecord] | None = None,
    pdfs: list[tuple[str, str]] | None = None,
) -> Path:
    path = site / "index.html"
    path.write_text(
        render_index(entries, region=region, demo=demo, built=built, sources=sources, pdfs=pdfs),
        encoding="utf-8",
    )
    return path
