"""The site's front page: every page, grouped, with failures marked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from tilannekuva import __version__
from tilannekuva.region import current
from tilannekuva.site.export import TEMPLATES


@dataclass
class IndexEntry:
    group: str
    label: str
    file: str
    available: bool
    failed: bool


def render_index(entries: list[IndexEntry], *, demo: bool, built: str) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, keep_trailing_newline=True
    )
    groups: dict[str, list[IndexEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.group, []).append(entry)
    return env.get_template("index.html.j2").render(
        groups=[{"title": title, "pages": pages} for title, pages in groups.items()],
        demo=demo,
        built=built,
        region=current().name,
        version=__version__,
        pages_total=len(entries),
        failed=sum(e.failed for e in entries),
    )


def write_index(site: Path, entries: list[IndexEntry], *, demo: bool, built: str) -> Path:
    path = site / "index.html"
    path.write_text(render_index(entries, demo=demo, built=built), encoding="utf-8")
    return path
