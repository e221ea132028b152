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

import hashlib
import json
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tilannekuva.analysis.text import load_themes
from tilannekuva.batch.deps import page_dependencies
from tilannekuva.batch.execution_cache import (
    cached_outputs,
    execution_key,
    forget,
    merge_prose,
    remember,
)
from tilannekuva.batch.failure import PageFailure, describe_failure
from tilannekuva.batch.lock import data_lock, holding, site_lock
from tilannekuva.batch.manifest import (
    Manifest,
    PageEntry,
    code_version,
    input_hashes,
    page_code_version,
    page_key,
)
from tilannekuva.batch.pages import PAGES_FILE, Page, load_pages
from tilannekuva.batch.params import SCHEMAS, parse_parameter_texts, validate_parameters
from tilannekuva.batch.preflight import (
    check_inputs,
    check_site_writable,
    check_survey_questions,
    check_writable,
)
from tilannekuva.errors import UsageError
from tilannekuva.formats import fi_date
from tilannekuva.knowledge.comparison import is_prepared, load_comparison, preparation_key
from tilannekuva.knowledge.comparison import prepare as prepare_comparison
from tilannekuva.knowledge.comparison import record as record_snapshot
from tilannekuva.paths import DataLayout
from tilannekuva.region import region_of
from tilannekuva.settings import Settings
from tilannekuva.store import atomic_write_bytes, table_sources, uses_demo_data

KERNEL_NAME = "tilannekuva"
SCAN_CACHE = "scan-clean.json"  # under DATA/build/: digests of files a scan found clean
SEARCH_CACHE = "cache/search"  # under DATA/build/: the search index's per-page entries


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
    pdfs_after_publish: bool = False  # publish the pages first, then their PDFs (the watch)


@dataclass
class PageOutcome:
    page: Page
    status: str  # built | reused | failed
    seconds: float
    error: str | None = None
    failure: PageFailure | None = None  # where and how it failed, for the analyst
    executed: bool = True  # False: only its prose changed, its stored outputs were reused


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
        # The data directory's region.
        parameters.setdefault("region", region_of(settings.layout).code)
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


def build_site(settings: BuildSettings, progress=None, pool=None) -> BuildResult:
    """Build the site; see the module docstring and :func:`prepared_build`."""
    with prepared_build(settings, pool) as run:
        return run(progress)


@contextmanager
def prepared_build(settings: BuildSettings, pool=None) -> Iterator[Callable[..., BuildResult]]:
    """Check and lock, then yield ``run(progress=None) -> BuildResult``.

    Before anything runs: the tables the selected pages read must be in
    ``processed/``, the site and build folders must be writable, and the data
    directory and the site folder are locked against a second build (or an
    ingest) until the block ends. Each failed check is a one-line error and
    nothing is written. (The command line starts its progress display only
    inside the block, so a failed check prints nothing but its line.)

    ``pool``: an open :class:`~tilannekuva.batch.pool.KernelPool` whose warm
    kernels run the pages (``build --watch`` keeps one); without it the build
    starts its own and stops it at the end. With ``--only`` (the analyst's
    one-page loop) that pool starts at once, so its kernel warms up while the
    build checks, locks and plans, instead of after.
    """
    layout = settings.layout
    out = settings.out.resolve()
    data_settings = Settings.from_data_dir(layout.root)
    questionnaire = data_settings.questionnaire
    pages = load_pages(settings.pages_file, questionnaire, layout, data_settings.region)
    # A theme naming an unknown item stops the build before any kernel starts.
    load_themes(layout, questionnaire)
    selected = select_pages(pages, settings)
    check_inputs(layout, selected)  # before anything is created under a mistyped --data
    check_survey_questions(layout, questionnaire, selected)
    check_writable(layout, out)
    own_pool = None
    if (
        pool is None
        and settings.only
        and not settings.isolate
        and _needs_kernel(settings, selected)
    ):
        from tilannekuva.batch.pool import KernelPool

        own_pool = pool = KernelPool(
            min(settings.jobs, len(selected)),
            cell_timeout=settings.cell_timeout,
            page_timeout=settings.page_timeout,
        )
        pool.start()
    try:
        with holding(data_lock(layout.root), site_lock(out)) as notes:
            check_inputs(layout, selected)  # again: an ingest may have ended just before the lock
            check_site_writable(out)

            def run(progress=None) -> BuildResult:
                result = _plan_and_build(
                    settings, out, pages, selected, progress, pool, data_settings.region
                )
                result.notes = notes
                return result

            yield run
    finally:
        if own_pool is not None:
            own_pool.close()


def _plan_and_build(settings, out, pages, selected, progress, pool, region) -> BuildResult:
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
    notebooks: dict[Path, Any] = {}  # one read per notebook, not per page
    versions: dict[Path, str] = {}  # the code version of each notebook's pages
    for page in selected:
        if page.source not in notebooks:
            notebooks[page.source] = source_notebook(page)
            cells = [c.source for c in notebooks[page.source].cells if c.cell_type == "code"]
            versions[page.source] = page_code_version(layout, page_dependencies(cells))
        planned.append(_planned(settings, page, demo, notebooks[page.source], versions))
    to_build = [
        p for p in planned if settings.force or manifest.needs_rebuild(p[0].name, p[3], out)
    ]
    reused = [PageOutcome(p[0], "reused", 0.0) for p in planned if p not in to_build]
    if not to_build and (out / "index.html").exists():
        return BuildResult(reused, out)  # nothing changed: the published site stands as it is
    result = _build(
        settings,
        out,
        pages,
        to_build,
        reused,
        manifest,
        demo,
        notebooks,
        versions,
        progress,
        pool,
        region,
    )
    if result.ok:
        record_snapshot(layout, comparison or load_comparison(layout), code)
    return result


def _planned(settings: BuildSettings, page: Page, demo: bool, notebook, versions: dict):
    """(page, parameters, inputs, page key, execution key) of a page about to be built."""
    layout = settings.layout
    parameters = page_parameters(page, settings, demo)
    inputs = input_hashes(layout, list(page.reads) if page.reads is not None else None)
    text = page.source.read_text(encoding="utf-8")
    version = versions[page.source]
    key = page_key(text, parameters, version, inputs, page.title)
    run = execution_key(notebook, parameters, version, inputs, KERNEL_NAME)
    return page, parameters, inputs, key, run


def _needs_kernel(settings: BuildSettings, selected: list[Page]) -> bool:
    """Whether a selected page must execute: its stored outputs are missing or stale.

    Decides only whether ``--only`` starts a kernel early, while the build
    plans; the build itself checks again with the final inputs.
    """
    if settings.force:
        return True
    layout = settings.layout
    demo = uses_demo_data(layout)
    versions: dict[Path, str] = {}
    for page in selected:
        notebook = source_notebook(page)
        cells = [c.source for c in notebook.cells if c.cell_type == "code"]
        versions.setdefault(page.source, page_code_version(layout, page_dependencies(cells)))
        run = _planned(settings, page, demo, notebook, versions)[4]
        if cached_outputs(layout, page.name, run) is None:
            return True
    return False


def _build(
    settings,
    out,
    pages,
    to_build,
    reused,
    manifest,
    demo,
    notebooks,
    versions,
    progress,
    pool,
    region,
) -> BuildResult:
    """Execute (or merge) the pages, render them and the site's own pages for ``region``
    (the data directory's: the header's places, the index and the PDFs), scan, publish."""
    import nbformat

    from tilannekuva.batch.pool import KernelPool, PageJob, PageResult
    from tilannekuva.privacy.scan import scan_paths
    from tilannekuva.site.docs import write_doc_pages
    from tilannekuva.site.downloads import write_downloads
    from tilannekuva.site.export import PageInfo, render_page, write_assets
    from tilannekuva.site.index import IndexEntry
    from tilannekuva.site.search import write_search_index

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

    plan = {entry[0].name: entry for entry in to_build}
    # A page whose code, parameters, modules and inputs are as when it last ran cleanly
    # only had its prose edited: its stored outputs with the new markdown, no kernel.
    prose_only = {}
    for page, _, _, _, run in to_build:
        stored = None if settings.force else cached_outputs(layout, page.name, run)
        merged = merge_prose(notebooks[page.source], stored) if stored is not None else None
        if merged is not None:
            prose_only[page.name] = merged
    jobs = [
        PageJob(page.name, notebooks[page.source], parameters, page.folder)
        for page, parameters, _, _, _ in to_build
        if page.name not in prose_only
    ]
    outcomes: list[PageOutcome] = list(reused)
    findings: list[str] = []
    scanned: set[Path] = set()
    leaking: set[Path] = set()  # scanned files with a finding
    if progress:
        progress.planned(len(jobs) + len(prose_only))

    def done(result, ran: bool = True) -> None:
        page, parameters, inputs, key, run = plan[result.name]
        forget(layout, page.name)  # its executed notebook is about to change
        if result.ok:
            # papermill's own file, as it wrote it (serialising again would validate again).
            text = result.text if result.text is not None else nbformat.writes(result.notebook)
            (executed / f"{page.name}.ipynb").write_text(text, encoding="utf-8")
            remember(layout, page.name, run)
            info = PageInfo(
                page.title, parameters, demo, built_label, region, sources, versions[page.source]
            )
            (staging / page.html_name).write_text(
                render_page(result.notebook, info, page.name), encoding="utf-8"
            )
            downloads = write_downloads(staging, page.name, result.notebook)
            # Scan now, while the kernels work, rather than all pages at the end.
            written = [staging / page.html_name, executed / f"{page.name}.ipynb", *downloads]
            page_findings = scan_paths(written)
            findings.extend(str(f) for f in page_findings)
            leaking.update(f.file for f in page_findings)
            scanned.update(written)
            outcome = PageOutcome(page, "built", result.seconds, executed=ran)
        else:
            layout.quarantine.mkdir(parents=True, exist_ok=True)
            quarantined = layout.quarantine / f"{page.name}.ipynb"
            nbformat.write(result.notebook, quarantined)
            (executed / f"{page.name}.ipynb").unlink(missing_ok=True)
            failure = describe_failure(
                page.name, result.notebook, result.error, parameters, quarantined
            )
            outcome = PageOutcome(page, "failed", result.seconds, result.error, failure)
        manifest.pages[page.name] = PageEntry(
            page.name,
            page.notebook,
            {k: v for k, v in parameters.items() if k != "data_dir"},
            inputs,
            versions[page.source],
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

    if pool is None:
        pool = KernelPool(
            settings.jobs,
            cell_timeout=settings.cell_timeout,
            page_timeout=settings.page_timeout,
            isolate=settings.isolate,
        )
    for name, merged in prose_only.items():
        started = time.perf_counter()
        if progress:
            progress.started(name)
        done(PageResult(name, True, merged, time.perf_counter() - started), ran=False)
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
    if doc_findings:
        leaking.update(docs)
    # Only the PDFs whose pages were rebuilt now are printed again (Chromium is slow);
    # with pdfs_after_publish (the watch), after the pages are published.
    rebuilt = (
        None if settings.force else {o.page.html_name for o in outcomes if o.status == "built"}
    )
    later = settings.pdfs_after_publish and rebuilt is not None and bool(rebuilt)
    index = dict(region=region, demo=demo, built=built_label, sources=sources)
    printed = _print_pdfs(staging, pages, entries, index, set() if later else rebuilt)
    notes = [printed.skipped] if printed.skipped else []
    # Last, from every page now in the site (rebuilt or kept): the search covers them all.
    search_index = write_search_index(staging, layout.build / SEARCH_CACHE)
    findings += [str(f) for f in scan_paths([search_index])]
    scanned.add(search_index)
    manifest.write(staging)
    findings += _privacy_scan(staging, layout, scanned, leaking)
    order = {p.name: i for i, p in enumerate(pages)}
    outcomes.sort(key=lambda o: order.get(o.page.name, 0))
    if findings:
        # Never publish a site that leaks: the old site stays, the staging folder is kept for review.
        return BuildResult(outcomes, staging, findings, notes)
    _publish(staging, out)
    if later:
        # The pages are out; now the PDFs of theirs, published the same way.
        if staging.exists():
            shutil.rmtree(staging)
        shutil.copytree(out, staging)
        printed = _print_pdfs(staging, pages, entries, index, rebuilt)
        notes += [printed.skipped] if printed.skipped else []
        _publish(staging, out)
    return BuildResult(outcomes, out, notes=notes)


def _print_pdfs(staging: Path, pages: list[Page], entries, index: dict, changed: set[str] | None):
    from tilannekuva.site.index import write_index
    from tilannekuva.site.pdf import write_pdfs

    # The pack prints the landing page, so the index is written first, then again with the links.
    write_index(staging, entries, **index)
    printed = write_pdfs(staging, pages, **index, changed=changed)
    write_index(staging, entries, **index, pdfs=printed.links(staging, index["region"]))
    return printed


def _privacy_scan(
    site: Path, layout: DataLayout, scanned: set[Path], leaking: set[Path]
) -> list[str]:
    """Scan what the site, executed notebooks and processed tables hold that is not known clean.

    ``scanned``: files this build scanned as it wrote them (``leaking``: those
    with a finding). A file whose exact content an earlier scan with the same
    scanner found clean is not read again (``DATA/build/scan-clean.json``), so
    rebuilding one page does not rescan the whole site.
    """
    from tilannekuva.privacy.scan import check_site

    cache = layout.build / SCAN_CACHE
    scanner = page_code_version(layout, page_dependencies(["import tilannekuva.privacy.scan"]))
    clean = _clean_digests(cache, scanner)
    # The folders check_site reads.
    roots = [site, layout.build / "executed", layout.processed]
    digests = {
        path: _digest(path)
        for root in roots
        if root.exists()
        for path in root.rglob("*")
        if path.is_file()
    }
    known = {path for path, digest in digests.items() if digest in clean}
    found = check_site(site, layout.root, scanned | known)
    leaking = {p.resolve() for p in leaking | {f.file for f in found}}
    now_clean = sorted(
        {digest for path, digest in digests.items() if path.resolve() not in leaking}
    )
    payload = json.dumps({"scanner": scanner, "clean": now_clean}, indent=0)
    layout.build.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(cache, payload.encode("utf-8"))
    return [str(finding) for finding in found]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _clean_digests(cache: Path, scanner: str) -> set[str]:
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(stored, dict) or stored.get("scanner") != scanner:
        return set()  # another scanner (or its rules) may find what this one did not
    return set(stored.get("clean", []))
