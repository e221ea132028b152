"""Pages declared as data: ``notebooks/pages.yaml`` says which notebook runs with which parameters.

A page set is either fixed parameters or ``each: <dimension>``, which expands
into one page per municipality, sub-region, respondent group or ingested
document (``each: document``, from the data directory's documents), so adding a
municipality-level page is one line in that file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tilannekuva.batch.params import validate_parameters
from tilannekuva.errors import ConfigError
from tilannekuva.paths import NOTEBOOKS, DataLayout
from tilannekuva.questionnaire import Questionnaire, load_questionnaire
from tilannekuva.region import PROJECT_REFERENCE, Region, read_region, region_of
from tilannekuva.store import has_table
from tilannekuva.yamlfile import UniqueKeyLoader, load_yaml

PAGES_FILE = NOTEBOOKS / "pages.yaml"


@dataclass(frozen=True)
class Page:
    name: str  # unique; also the HTML file's stem
    notebook: str  # stem of <folder>/<notebook>.py
    group: str  # heading on the index
    title: str
    parameters: dict[str, Any]
    folder: Path = NOTEBOOKS  # where the notebook lives; also the kernel's working directory
    reads: tuple[str, ...] | None = None  # processed tables it reads (None: all); for rebuilds

    @property
    def source(self) -> Path:
        return self.folder / f"{self.notebook}.py"

    @property
    def html_name(self) -> str:
        return f"{self.name}.html"


def _dimension(
    kind: str, questionnaire: Questionnaire, region: Region, layout: DataLayout | None = None
) -> list[tuple[str, str, str, str]]:
    """(parameter, value, name suffix, label) for each member of a dimension."""
    if kind == "document":
        # The ingested documents of the data directory (none without a layout or documents).
        if layout is None or not has_table(layout, "documents"):
            return []
        from tilannekuva.store import read_table

        documents = read_table(layout, "documents").sort_values("id")
        return [("document", str(r.id), str(r.id), str(r.title)) for r in documents.itertuples()]
    if kind == "survey":
        # Surveys other than the default one that have answers in the data directory.
        from tilannekuva.survey.catalog import extra_surveys

        surveys = extra_surveys(layout) if layout is not None else []
        return [("survey", s.id, s.id, s.title) for s in surveys]
    if kind == "municipality":
        return [
            ("municipality", r.code, f"kunta-{r.code}", r.name)
            for r in region.municipalities.itertuples()
        ]
    if kind == "subregion":
        return [
            ("subregion", r.subregion_code, f"seutukunta-{r.subregion_code}", r.subregion)
            for r in region.subregions.itertuples()
        ]
    if kind == "org_type":
        question = questionnaire.question("org_type")
        return [("org_type", o.id, f"ryhma-{o.id}", o.label) for o in question.options]
    raise ConfigError(f"{PAGES_FILE}: unknown 'each' dimension '{kind}'")


def _notebook_line(path: Path, position: int) -> int | str:
    """The 1-based line of the ``notebook:`` value of the page entry at ``position``."""
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=UniqueKeyLoader)
    for key, value in root.value if isinstance(root, yaml.MappingNode) else []:
        if key.value == "pages" and isinstance(value, yaml.SequenceNode):
            entry = value.value[position]
            for field, node in entry.value if isinstance(entry, yaml.MappingNode) else []:
                if field.value == "notebook":
                    return node.start_mark.line + 1
    return "?"


def load_pages(
    path: Path = PAGES_FILE,
    questionnaire: Questionnaire | None = None,
    layout: DataLayout | None = None,
    region: Region | None = None,
) -> list[Page]:
    """Every page of the site, parameters validated against the notebook's schema.

    ``questionnaire``: the data directory's (its groups become pages); default the project's.
    ``layout``: the data directory, whose ingested documents (``each: document``) and
    other surveys (``each: survey``) become pages (none without it).
    ``region``: the data directory's (its municipalities and sub-regions become
    pages, ``Settings.region``); default the layout's, else the project's.
    """
    if region is None:
        region = region_of(layout) if layout is not None else read_region(PROJECT_REFERENCE)
    spec = load_yaml(path, "page declarations") or {}
    pages: list[Page] = []
    for position, entry in enumerate(spec.get("pages", [])):
        notebook = entry["notebook"]
        if not (path.parent / f"{notebook}.py").exists():
            raise ConfigError(
                f"{path}: line {_notebook_line(path, position)}: "
                f"notebook '{notebook}' not found in {path.parent}"
            )
        for page_set in entry.get("sets", [{}]):
            fixed = {k: v for k, v in page_set.items() if k not in ("each", "name", "label")}
            if "each" in page_set:
                members = _dimension(
                    page_set["each"], questionnaire or load_questionnaire(), region, layout
                )
            else:
                # `{region}` in a fixed set's label is the region's name (region.yaml).
                label = str(page_set.get("label", "")).format(region=region.name)
                members = [(None, None, page_set.get("name", ""), label)]
            for param, value, suffix, label in members:
                parameters = dict(fixed)
                if param is not None:
                    parameters[param] = value
                validate_parameters(notebook, parameters)
                name = f"{notebook}--{suffix}" if suffix else notebook
                title = entry.get("title", notebook).format(label=label).rstrip(": ")
                group = entry.get("group", title).format(label=label)
                reads = tuple(entry["reads"]) if "reads" in entry else None
                pages.append(Page(name, notebook, group, title, parameters, path.parent, reads))
    names = [p.name for p in pages]
    if len(names) != len(set(names)):
        raise ConfigError(f"{path}: two pages have the same name")
    return pages
