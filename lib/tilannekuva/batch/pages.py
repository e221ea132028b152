"""Pages declared as data: ``notebooks/pages.yaml`` says which notebook runs with which parameters.

A page set is either fixed parameters or ``each: <dimension>``, which expands
into one page per municipality, sub-region or respondent group, so adding a
municipality-level page is one line in that file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tilannekuva.batch.params import validate_parameters
from tilannekuva.errors import ConfigError
from tilannekuva.paths import NOTEBOOKS
from tilannekuva.questionnaire import Questionnaire, load_questionnaire
from tilannekuva.region import PROJECT_REFERENCE, Region, read_region
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
    kind: str, questionnaire: Questionnaire, region: Region
) -> list[tuple[str, str, str, str]]:
    """(parameter, value, name suffix, label) for each member of a dimension."""
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
    region: Region | None = None,
) -> list[Page]:
    """Every page of the site, parameters validated against the notebook's schema.

    ``questionnaire``: the data directory's (its groups become pages); default the project's.
    ``region``: the data directory's (its municipalities and sub-regions become
    pages, ``Settings.region``); default the project's.
    """
    region = region or read_region(PROJECT_REFERENCE)
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
                    page_set["each"], questionnaire or load_questionnaire(), region
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
                group = entry.get("group", title)
                reads = tuple(entry["reads"]) if "reads" in entry else None
                pages.append(Page(name, notebook, group, title, parameters, path.parent, reads))
    names = [p.name for p in pages]
    if len(names) != len(set(names)):
        raise ConfigError(f"{path}: two pages have the same name")
    return pages
