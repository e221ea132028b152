"""`tilannekuva build`: execute every page, render the site, publish it atomically.

Flow: declared pages → parameters validated → notebooks executed (executed
copies kept under ``DIR/build/executed/``) → HTML rendered into a staging
folder → the privacy scanner checks it → the staging folder replaces the site.
A failed page goes to ``DIR/build/quarantine/`` (outside the site, privacy.md
§5), is named in the summary and marked on the index; its last good version,
if any, is kept; the other pages are still built, and the exit code is 1.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import jupytext
import nbformat

from tilannekuva.batch.pages import PAGES_FILE, Page, load_pages
from tilannekuva.batch.params import validate_parameters
from tilannekuva.errors import UsageError
from tilannekuva.formats import fi_date
from tilannekuva.paths import DataLayout
from tilannekuva.site.export import PageInfo, render_page, write_assets
from tilannekuva.site.index import IndexEntry, write_index
from tilannekuva.store import table_sources, uses_demo_data

KERNEL_NAME = "tilannekuva"


@dataclass
class BuildSettings:
    layout: DataLayout
    out: Path
    jobs: int = 1
    force: bool = False
    only: list[str] = field(default_factory=list)
    overrides: dict[str, Any] = field(default_factory=dict)
    cell_timeout: float = 300
    pages_file: Path = PAGES_FILE


@dataclass
class PageOutcome:
    page: Page
    status: str  # built | failed
    seconds: float
    error: str | None = None


@dataclass
class BuildResult:
    outcomes: list[PageOutcome]
    site: Path
    privacy_findings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[PageOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.privacy_findings


def source_notebook(page: Page) -> nbformat.NotebookNode:
    """The page's notebook, read from its jupytext percent-format pair."""
    notebook = jupytext.read(page.source)
    notebook.metadata["kernelspec"] = {
        "name": KERNEL_NAME,
        "display_name": "Python (tilannekuva)",
        "language": "python",
    }
    return notebook


def select_pages(pages: list[Page], settings: BuildSettings) -> list[Page]:
    if not settings.only:
        return pages
    chosen = [p for p in pages if p.name in settings.only or p.notebook in settings.only]
    if not chosen:
        known = ", ".join(sorted({p.notebook for p in pages}))
        raise UsageError(f"--only {' '.join(settings.only)}: no such page (notebooks: {known})")
    return chosen


def page_parameters(page: Page, settings: BuildSettings, demo: bool) -> dict[str, Any]:
    parameters = {**page.parameters, **settings.overrides}
    parameters["data_dir"] = str(settings.layout.root)
    parameters["demo"] = demo
    return validate_parameters(page.notebook, parameters)


def _execute(
    page: Page, parameters: dict[str, Any], settings: BuildSettings
) -> tuple[nbformat.NotebookNode, str | None]:
    """Run one page with papermill in the project kernel; returns (executed notebook, error)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    executed_path = settings.layout.build / "executed" / f"{page.name}.ipynb"
    executed_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        notebook = papermill.execute_notebook(
            source_notebook(page),
            str(executed_path),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(page.folder),
            progress_bar=False,
            execution_timeout=settings.cell_timeout,
        )
        return notebook, None
    except PapermillExecutionError as exc:
        return nbformat.read(executed_path, as_version=4), f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # kernel died, timeout, …: the page fails, the build goes on
        notebook = (
            nbformat.read(executed_path, as_version=4)
            if executed_path.exists()
            else source_notebook(page)
        )
        return notebook, f"{type(exc).__name__}: {exc}"


def _quarantine(layout: DataLayout, page: Page, notebook: nbformat.NotebookNode) -> Path:
    """A failed page's executed notebook, moved where the site never reaches."""
    layout.quarantine.mkdir(parents=True, exist_ok=True)
    target = layout.quarantine / f"{page.name}.ipynb"
    nbformat.write(notebook, target)
    (layout.build / "executed" / f"{page.name}.ipynb").unlink(missing_ok=True)
    return target


def _sources(layout: DataLayout) -> list:
    return [
        record
        for name in ("survey", "associations", "population")
        for record in table_sources(layout, name)
    ]


def _publish(staging: Path, out: Path) -> None:
    """Swap the staging folder in for the site in two renames."""
    old = out.with_name(f".{out.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    if old.exists():
        shutil.rmtree(old)


def build_site(settings: BuildSettings, progress=None) -> BuildResult:
    layout = settings.layout
    out = settings.out.resolve()
    pages = load_pages(settings.pages_file)
    selected = select_pages(pages, settings)
    demo = uses_demo_data(layout)
    built_at = datetime.now().astimezone()
    built_label = f"{fi_date(built_at)} klo {built_at:%H.%M}"
    sources = _sources(layout)
    planned = [(page, page_parameters(page, settings, demo)) for page in selected]

    staging = out.with_name(f".{out.name}.staging")
    if staging.exists():
        shutil.rmtree(staging)
    if out.exists():
        shutil.copytree(out, staging)  # pages not rebuilt now stay as they were
    else:
        staging.mkdir(parents=True)
    write_assets(staging)

    outcomes: list[PageOutcome] = []
    if progress:
        progress.planned(len(planned))
    for page, parameters in planned:
        if progress:
            progress.started(page.name)
        start = time.perf_counter()
        notebook, error = _execute(page, parameters, settings)
        seconds = time.perf_counter() - start
        if error is None:
            info = PageInfo(page.title, parameters, demo, built_label, sources)
            (staging / page.html_name).write_text(render_page(notebook, info), encoding="utf-8")
            outcome = PageOutcome(page, "built", seconds)
        else:
            _quarantine(layout, page, notebook)
            outcome = PageOutcome(page, "failed", seconds, error)
        outcomes.append(outcome)
        if progress:
            progress.finished(outcome)

    failed = {o.page.name for o in outcomes if o.status == "failed"}
    entries = [
        IndexEntry(
            p.group, p.title, p.html_name, (staging / p.html_name).exists(), p.name in failed
        )
        for p in pages
    ]
    write_index(staging, entries, demo=demo, built=built_label)
    findings = _privacy_scan(staging, layout)
    if findings:
        # Never publish a site that leaks: the old site stays, the staging folder is kept for review.
        return BuildResult(outcomes, staging, findings)
    _publish(staging, out)
    return BuildResult(outcomes, out)


def _privacy_scan(site: Path, layout: DataLayout) -> list[str]:
    from tilannekuva.privacy.scan import check_site

    return [str(finding) for finding in check_site(site, layout.root)]
