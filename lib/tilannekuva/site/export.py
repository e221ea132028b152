"""Executed notebook → one HTML page of the site, with code hidden and nothing remote."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from tilannekuva import __version__
from tilannekuva.charts.render import (
    LOCALE_JS_PATH,
    PLOTLY_JS_PATH,
    PLOTLY_MIMETYPE,
    plotly_js_source,
    plotly_locale_source,
)
from tilannekuva.pages.present import LINK_PREFIX
from tilannekuva.provenance import SourceRecord
from tilannekuva.region import Region
from tilannekuva.site.chrome import SOURCE_LABELS, context, page_title, related_links
from tilannekuva.site.downloads import DATA_DIR
from tilannekuva.site.sections import drop_empty_sections

__all__ = ["SOURCE_LABELS", "PageInfo", "reader_view", "render_page", "write_assets"]

TEMPLATES = Path(__file__).parent / "templates"
CSS_PATH = "assets/tilannekuva.css"
SEARCH_JS_PATH = "assets/haku.js"  # the search page's script (site/search.py builds its index)

# JupyterLab's notebook style (about 260 kB), which nbconvert inlines into every
# page: written once per site instead (on a national site that is 680 copies).
NOTEBOOK_CSS_PATH = "assets/notebook.css"


@dataclass
class PageInfo:
    """What the template needs besides the notebook."""

    title: str
    parameters: dict
    demo: bool
    built: str
    region: Region  # the data directory's (Settings.region): the header's places and links
    sources: list[SourceRecord] = field(default_factory=list)
    code_version: str | None = None


def _exporter() -> HTMLExporter:
    exporter = HTMLExporter(
        template_name="tilannekuva",
        extra_template_basedirs=[str(TEMPLATES)],
        language_code="fi",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        # Validate the notebook once after all preprocessors, not after each of twelve.
        optimistic_validation=True,
    )
    return exporter


_EXPORTER: HTMLExporter | None = None


def reader_view(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as a reader sees it: no code, no warnings or tracebacks on stderr,
    and no section whose code shows nothing (:mod:`tilannekuva.site.sections`).

    Built as a lean copy: plotly's JSON mimetype (the figure's whole data, which
    the HTML export never shows: it keeps the ``text/html`` representation) is
    left out, so nbconvert's own copying and validation handle a small notebook.
    """
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        outputs = []
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error" or (kind == "stream" and out.get("name") == "stderr"):
                continue
            if "data" in out and PLOTLY_MIMETYPE in out["data"]:
                data = {k: v for k, v in out["data"].items() if k != PLOTLY_MIMETYPE}
                out = {**out, "data": data}
            outputs.append(out)
        cells.append({**cell, "outputs": outputs})
    return nbformat.from_dict({**notebook, "cells": drop_empty_sections(cells)})


def render_page(notebook: nbformat.NotebookNode, info: PageInfo, name: str = "") -> str:
    """The page's HTML; ``name`` is its file stem (marks the current section in the header)."""
    global _EXPORTER
    if _EXPORTER is None:
        _EXPORTER = _exporter()
    view = reader_view(notebook)
    view.metadata["title"] = page_title(info.title)  # nbconvert's <title>
    tk = context(
        info.title, region=info.region, demo=info.demo, built=info.built, sources=info.sources
    )
    section = f"{name.split('--', 1)[0]}.html" if name else ""
    parameters = {k: v for k, v in info.parameters.items() if k not in ("data_dir", "demo")}
    version = f"tilannekuva {__version__}"
    if info.code_version:
        version += f", koodi {info.code_version}"
    tk.update(
        section=section,
        related=related_links(parameters, info.region),
        technical={
            "Parametrit": ", ".join(f"{k} = {v}" for k, v in parameters.items()) or "–",
            "Versio": version,
        },
    )
    resources = {"tk": tk}
    html, _ = _EXPORTER.from_notebook_node(view, resources=resources)
    # Download links of figure and table blocks: the kernel did not know the page's name.
    return html.replace(f'href="{LINK_PREFIX}', f'href="{DATA_DIR}/{name or "sivu"}--')


def write_assets(site: Path) -> None:
    """plotly.js, the styles and the search script, written once per site (pages refer to them)."""
    assets = site / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(plotly_js_source(), site / PLOTLY_JS_PATH)
    shutil.copyfile(plotly_locale_source(), site / LOCALE_JS_PATH)
    shutil.copyfile(Path(__file__).parent / "assets.css", site / CSS_PATH)
    shutil.copyfile(Path(__file__).parent / "haku.js", site / SEARCH_JS_PATH)
    (site / NOTEBOOK_CSS_PATH).write_text(notebook_css(), encoding="utf-8")


@lru_cache(maxsize=1)  # once per process: `build --watch` writes the assets every round
def notebook_css() -> str:
    """The styles nbconvert's lab template puts in a page's head, as one stylesheet.

    Taken from the template's own rendering of an empty notebook, so it follows
    the installed nbconvert exactly.
    """
    html, _ = HTMLExporter(template_name="lab").from_notebook_node(nbformat.v4.new_notebook())
    head = html.split("</head>", 1)[0]
    return "\n".join(re.findall(r"<style[^>]*>(.*?)</style>", head, flags=re.DOTALL))
