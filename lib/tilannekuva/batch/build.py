"""`tilannekuva build`: execute the pages that changed, render them, publish the site atomically.

Flow: declared pages → pre-flight (folders writable, data directory and site
locked, the pages' input tables present) → parameters validated (before any
kernel starts) → content keys compared with ``site/manifest.json`` → changed
pages executed on the warm-kernel pool (executed notebooks kept under ``DIR/build/executed/``) →
HTML rendered into a staging copy of the site → the privacy scanner checks it
→ the staging folder replaces the site. A failed page goes to
``DIR/build/quarantine/`` (outside the site, privacy.md §5), is named in the
summary and marked on the index; its last good version, if any, is kept; the
other pages are still built, and the exit code is 1.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tilannekuva.analysis.text import load_themes
from tilannekuva.batch.lock import data_lock, holding, site_lock
from tilannekuva.batch.manifest import Manifest, PageEntry, code_version, input_hashes, page_key
from tilannekuva.batch.pages import PAGES_FILE, Page, load_pages
from tilannekuva.batch.params import SCHEMAS, parse_parameter_texts, validate_parameters
from tilannekuva.batch.preflight import check_inputs, check_site_writable, check_writable
from tilannekuva.errors import UsageError
from tilannekuva.formats import fi_date
from tilannekuva.knowledge.comparison import is_prepared, load_comparison, preparation_key
from tilannekuva.knowledge.comparison import prepare as prepare_comparison
from tilannekuva.knowledge.comparison import record as record_snapshot
from tilannekuva.paths import DataLayout
from tilannekuva.region import activate, current
from tilannekuva.settings import Settings
from tilannekuva.store import table_sources, uses_demo_data

KERNEL_NAME = "tilannekuva"


@dataclass
class BuildSettings:
    layout: DataLayout
    out: Path
    jobs: int = 2
    force: bool = False
    only: list[str] = field(default_factory=list)
    overrides: dict[str, Any] = field(default_factory=dict)
    cell_timeout: float = 300
    page_timeout: float = 900
    isolate: bool = False
    pages_file: Path = PAGES_FILE
    since: date | None = None  # compare with the first snapshot on or after this date


@dataclass
class PageOutcome:
    page: Page
    status: str  # built | reused | failed
    seconds: float
    error: str | None = None


@dataclass
class BuildResult:
    outcomes: list[PageOutcome]
    site: Path
    privacy_findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # a stale lock taken over, PDFs skipped, …

    @property
    def failed(self) -> list[PageOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.privacy_findings


def source_notebook(page: Page):
    """The page's notebook, read from its jupytext percent-format pair."""
    import jupytext

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
    # Overrides from the command line are text, read by the type of this notebook's field.
    parameters = {**page.parameters, **parse_parameter_texts(page.notebook, settings.overrides)}
    parameters["data_dir"] = str(settings.layout.root)
    parameters["demo"] = demo
    if "region" in SCHEMAS[page.notebook].model_fields:
        parameters.setdefault("region", current().code)  # the data directory's region
    return validate_parameters(page.notebook, parameters)


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
    """Build the site; see the module docstring and :func:`prepared_build`."""
    with prepared_build(settings) as run:
        return run(progress)


@contextmanager
def prepared_build(settings: BuildSettings) -> Iterator[Callable[..., BuildResult]]:
    """Check and lock, then yield ``run(progress=None) -> BuildResult``.

    Before anything runs: the tables the selected pages read must be in
    ``processed/``, the site and build folders must be writable, and the data
    directory and the site folder are locked against a second build (or an
    ingest) until the block ends. Each failed check is a one-line error and
    nothing is written. (The command line starts its progress display only
    inside the block, so a failed check prints nothing but its line.)
    """
    layout = settings.layout
    out = settings.out.resolve()
    activate(layout)  # the pages to build follow the data directory's region
    questionnaire = Settings.from_data_dir(layout.root).questionnaire
    pages = load_pages(settings.pages_file, questionnaire, layout)
    # A theme naming an unknown item stops the build before any kernel starts.
    load_themes(layout, questionnaire)
    selected = select_pages(pages, settings)
    check_inputs(layout, selected)  # before anything is created under a mistyped --data
    check_writable(layout, out)
    with holding(data_lock(layout.root), site_lock(out)) as notes:
        check_inputs(layout, selected)  # again: an ingest may have ended just before the lock
        check_site_writable(out)

        def run(progress=None) -> BuildResult:
            result = _plan_and_build(settings, out, pages, selected, progress)
            result.notes = notes
            return result

        yield run


def _plan_and_build(settings, out, pages, selected, progress) -> BuildResult:
    layout = settings.layout
    demo = uses_demo_data(layout)
    code = code_version(layout)
    manifest = Manifest.read(out)
    # Heavy shared preparation, once per build: headline figures and the comparison base
    # (skipped, without even reading it, when nothing it depends on changed).
    key = preparation_key(layout, code)
    comparison = None
    if not is_prepared(layout, key, settings.since):
        comparison = prepare_comparison(layout, settings.since, key=key)

    planned = []
    for page in selected:
        parameters = page_parameters(page, settings, demo)
        inputs = input_hashes(layout, list(page.reads) if page.reads is not None else None)
        key = page_key(page.source.read_text(encoding="utf-8"), parameters, code, inputs)
        planned.append((page, parameters, inputs, key))
    to_build = [
        p for p in planned if settings.force or manifest.needs_rebuild(p[0].name, p[3], out)
    ]
    reused = [PageOutcome(p[0], "reused", 0.0) for p in planned if p not in to_build]
    if not to_build and (out / "index.html").exists():
        return BuildResult(reused, out)  # nothing changed: the published site stands as it is
    result = _build(settings, out, pages, to_build, reused, manifest, demo, code, progress)
    if result.ok:
        record_snapshot(layout, comparison or load_comparison(layout), code)
    return result


def _build(settings, out, pages, to_build, reused, manifest, demo, code, progress) -> BuildResult:
    import nbformat

    from tilannekuva.batch.pool import KernelPool, PageJob
    from tilannekuva.privacy.scan import scan_paths
    from tilannekuva.site.docs import write_doc_pages
    from tilannekuva.site.downloads import write_downloads
    from tilannekuva.site.export import PageInfo, render_page, write_assets
    from tilannekuva.site.index import IndexEntry, write_index
    from tilannekuva.site.pdf import write_pdfs

    layout = settings.layout
    built_at = datetime.now().astimezone()
    built_label = f"{fi_date(built_at)} klo {built_at:%H.%M}"
    sources = _sources(layout)
    staging = out.with_name(f".{out.name}.staging")
    if staging.exists():
        shutil.rmtree(staging)
    if out.exists():
        shutil.copytree(out, staging)  # pages not rebuilt now stay as they were
    else:
        staging.mkdir(parents=True)
    write_assets(staging)
    executed = layout.build / "executed"
    executed.mkdir(parents=True, exist_ok=True)

    plan = {
        page.name: (page, parameters, inputs, key) for page, parameters, inputs, key in to_build
    }
    notebooks = {}  # one read per notebook, not per page (each job is pickled anyway)
    for page, _, _, _ in to_build:
        if page.source not in notebooks:
            notebooks[page.source] = source_notebook(page)
    jobs = [
        PageJob(page.name, notebooks[page.source], parameters, page.folder)
        for page, parameters, _, _ in to_build
    ]
    outcomes: list[PageOutcome] = list(reused)
    findings: list[str] = []
    scanned: set[Path] = set()
    if progress:
        progress.planned(len(jobs))

    def done(result) -> None:
        page, parameters, inputs, key = plan[result.name]
        if result.ok:
            # papermill's own file, as it wrote it (serialising again would validate again).
            text = result.text if result.text is not None else nbformat.writes(result.notebook)
            (executed / f"{page.name}.ipynb").write_text(text, encoding="utf-8")
            info = PageInfo(page.title, parameters, demo, built_label, sources, code)
            (staging / page.html_name).write_text(
                render_page(result.notebook, info, page.name), encoding="utf-8"
            )
            downloads = write_downloads(staging, page.name, result.notebook)
            # Scan now, while the kernels work, rather than all pages at the end.
            written = [staging / page.html_name, executed / f"{page.name}.ipynb", *downloads]
            findings.extend(str(f) for f in scan_paths(written))
            scanned.update(written)
            outcome = PageOutcome(page, "built", result.seconds)
        else:
            layout.quarantine.mkdir(parents=True, exist_ok=True)
            nbformat.write(result.notebook, layout.quarantine / f"{page.name}.ipynb")
            (executed / f"{page.name}.ipynb").unlink(missing_ok=True)
            outcome = PageOutcome(page, "failed", result.seconds, result.error)
        manifest.pages[page.name] = PageEntry(
            page.name,
            page.notebook,
            {k: v for k, v in parameters.items() if k != "data_dir"},
            inputs,
            code,
            key if result.ok else None,
            outcome.status,
            round(result.seconds, 2),
            built_at.isoformat(timespec="seconds") if result.ok else None,
            # The exception type only: its message may carry answer text (privacy.md §5).
            result.error.split(":", 1)[0] if result.error else None,
        )
        outcomes.append(outcome)
        if progress:
            progress.finished(outcome)

    pool = KernelPool(
        settings.jobs,
        cell_timeout=settings.cell_timeout,
        page_timeout=settings.page_timeout,
        isolate=settings.isolate,
    )
    pool.run(jobs, on_done=done, on_start=progress.started if progress else None)
    for outcome in reused:
        manifest.pages[outcome.page.name].status = "reused"

    failed = {o.page.name for o in outcomes if o.status == "failed"}
    entries = [
        IndexEntry(
            p.group, p.title, p.html_name, (staging / p.html_name).exists(), p.name in failed
        )
        for p in pages
    ]
    docs, doc_findings = write_doc_pages(
        staging, layout, demo=demo, built=built_label, sources=sources
    )
    findings += doc_findings
    scanned.update(docs)
    write_index(staging, entries, demo=demo, built=built_label, sources=sources)
    # The pack prints the landing page, so the index is written first, then again with the links.
    printed = write_pdfs(staging, pages, demo=demo, built=built_label, sources=sources)
    write_index(
        staging, entries, demo=demo, built=built_label, sources=sources, pdfs=printed.links(staging)
    )
    notes = [printed.skipped] if printed.skipped else []
    manifest.write(staging)
    findings += _privacy_scan(staging, layout, scanned)
    order = {p.name: i for i, p in enumerate(pages)}
    outcomes.sort(key=lambda o: order.get(o.page.name, 0))
    if findings:
        # Never publish a site that leaks: the old site stays, the staging folder is kept for review.
        return BuildResult(outcomes, staging, findings, notes)
    _publish(staging, out)
    return BuildResult(outcomes, out, notes=notes)


def _privacy_scan(site: Path, layout: DataLayout, scanned: set[Path]) -> list[str]:
    from tilannekuva.privacy.scan import check_site

    return [str(finding) for finding in check_site(site, layout.root, scanned)]
