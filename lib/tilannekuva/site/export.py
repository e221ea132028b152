"""Executed notebook → one HTML page of the site, with code hidden and nothing remote."""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from tilannekuva import __version__
from tilannekuva.charts.render import PLOTLY_JS_PATH, plotly_js_source
from tilannekuva.formats import fi_date
from tilannekuva.provenance import SourceRecord
from tilannekuva.region import current

TEMPLATES = Path(__file__).parent / "templates"
CSS_PATH = "assets/tilannekuva.css"

SOURCE_LABELS = {
    "survey": "Kyselyaineisto",
    "registry-extract": "Yhdistysrekisterin ote",
    "ytj": "YTJ-avoin data (yhdistykset, joilla Y-tunnus)",
    "population": "Väestö (Tilastokeskus)",
    "geo": "Kuntarajat (Tilastokeskus)",
}


@dataclass
class PageInfo:
    """What the template needs besides the notebook."""

    title: str
    parameters: dict
    demo: bool
    built: str
    sources: list[SourceRecord] = field(default_factory=list)
    code_version: str | None = None


def _exporter() -> HTMLExporter:
    exporter = HTMLExporter(
        template_name="tilannekuva",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    return exporter


_EXPORTER: HTMLExporter | None = None


def reader_view(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as a reader sees it: no code, no warnings or tracebacks on stderr."""
    view = copy.deepcopy(notebook)
    for cell in view.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [
            out
            for out in cell.get("outputs", [])
            if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
            and out.get("output_type") != "error"
        ]
    return view


def render_page(notebook: nbformat.NotebookNode, info: PageInfo) -> str:
    """The page's HTML."""
    global _EXPORTER
    if _EXPORTER is None:
        _EXPORTER = _exporter()
    resources = {
        "tk": {
            "title": info.title,
            "region": current().name,
            "demo": info.demo,
            "parameters": {k: v for k, v in info.parameters.items() if k != "data_dir"},
            "version": __version__,
            "code_version": info.code_version,
            "built": info.built,
            "asset_prefix": "",
            "sources": [
                {
                    "label": SOURCE_LABELS.get(s.source, s.source),
                    "file": s.file,
                    "date": fi_date(s.retrieved),
                    "sha256": s.sha256[:12],
                    "licence": s.licence,
                }
                for s in info.sources
            ],
        }
    }
    html, _ = _EXPORTER.from_notebook_node(reader_view(notebook), resources=resources)
    return html


def write_assets(site: Path) -> None:
    """plotly.js and the site style, written once per site (pages refer to them)."""
    assets = site / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(plotly_js_source(), site / PLOTLY_JS_PATH)
    shutil.copyfile(Path(__file__).parent / "assets.css", site / CSS_PATH)
