"""`make bench`: the build measured against baselines taken in the same run.

Four ways over the demo site's pages:
  (a) naive: one `papermill` process and one `jupyter nbconvert --to html` per page;
  (b) `tilannekuva build --force`;
  (c) `tilannekuva build` again with nothing changed;
  (d) the floor: the same pages' code executed in this one Python process, no kernels.
Then a national run (``--no-national`` skips it, ``--national-only`` runs only
it): a generated region of ≈300 municipalities (:mod:`tilannekuva.demo.national`)
with national volume (≈110 000 associations, 20 000 responses), ingested and
built page by page, as a national deployment would be.
Then the analyst's edit loop on one page (:data:`EDIT_PAGE`), a markdown edit
in a copy of the notebooks each time: ``build --only`` in a fresh process, and
``build --watch`` from the file's save to the page written into the site
(medians of :data:`EDIT_ROUNDS`), printed as
``bench: edit_loop_s=<s> watch_loop_s=<s>``; then a one-line code change to
the same notebook, rebuilt with ``build --only`` in a fresh process (the page
executes), printed as ``bench: code_edit_loop_s=<s>`` just before the last line.
The last line is exactly
``bench: speedup_vs_naive=<a/b> floor_ratio=<b/d> nochange_s=<c> pages=<n>``.
Ratios, not absolute times, are the result: every figure comes from this run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import jupytext

from tilannekuva.batch.build import BuildSettings, page_parameters, select_pages
from tilannekuva.batch.pages import load_pages
from tilannekuva.paths import NOTEBOOKS, DataLayout
from tilannekuva.store import uses_demo_data

BIN = Path(sys.executable).parent
# One notebook, one page, in no PDF: the example (a theme edit shows on this page).
EDIT_PAGE = "30_avoimet"
EDIT_ROUNDS = 3


def _cli(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "tilannekuva"), *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def naive(pages, settings: BuildSettings, work: Path, demo: bool) -> float:
    """(a) the loop everyone writes first: papermill then nbconvert, one process each."""
    start = time.perf_counter()
    for page in pages:
        source = work / f"{page.name}.src.ipynb"
        jupytext.write(jupytext.read(page.source), source)
        executed = work / f"{page.name}.ipynb"
        args = [
            str(BIN / "papermill"),
            str(source),
            str(executed),
            "-k",
            "tilannekuva",
            "--cwd",
            str(NOTEBOOKS),
            "--no-progress-bar",
        ]
        for key, value in page_parameters(page, settings, demo).items():
            args += ["-y", f"{key}: {json.dumps(value)}"]  # JSON is YAML: None → null
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return time.perf_counter() - start


def floor(pages, settings: BuildSettings, demo: bool) -> float:
    """(d) the pages' code in one warm process: what the work itself costs."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    cwd = os.getcwd()
    os.chdir(NOTEBOOKS)
    try:
        # Warm-up once (imports), as the build's kernels are warmed once.
        _run_page(shell, pages[0], settings, demo)
        start = time.perf_counter()
        for page in pages:
            _run_page(shell, page, settings, demo)
        return time.perf_counter() - start
    finally:
        os.chdir(cwd)


def _run_page(shell, page, settings: BuildSettings, demo: bool) -> None:
    notebook = jupytext.read(page.source)
    shell.reset(new_session=False)
    shell.user_ns.update(page_parameters(page, settings, demo))
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in notebook.cells:
            if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
                result = shell.run_cell(cell.source, silent=False, store_history=False)
                result.raise_error()
                if result.result is not None and hasattr(result.result, "_repr_mimebundle_"):
                    result.result._repr_mimebundle_()  # the rendering work a display does


def _edit(notebook: Path, marker: str) -> None:
    """A markdown edit: a sentence after the notebook's first heading."""
    lines = notebook.read_text(encoding="utf-8").splitlines(keepends=True)
    heading = next(i for i, line in enumerate(lines) if line.startswith("# # "))
    lines.insert(heading + 1, f"#\n# {marker}\n")
    notebook.write_text("".join(lines), encoding="utf-8")


def _edit_code(notebook: Path, marker: str) -> None:
    """A one-line code change: a printed line after the notebook's first package import."""
    lines = notebook.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("from tilannekuva"))
    lines.insert(first + 1, f"print({marker!r})\n")
    notebook.write_text("".join(lines), encoding="utf-8")


def _wait_for_text(path: Path, text: str, timeout: float = 300) -> float:
    """Poll until ``path`` contains ``text``; returns the time it was seen."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if text in path.read_text(encoding="utf-8"):
                return time.perf_counter()
        except OSError:
            pass  # between the site's two renames
        time.sleep(0.02)
    raise RuntimeError(f"bench: {path} never showed {text!r}")


def edit_loop(work: Path, data: Path, site: Path) -> tuple[float, float, float]:
    """Medians in seconds: fresh-process ``build --only`` after a markdown edit, ``--watch``
    from save to page after a markdown edit, fresh-process ``build --only`` after a code edit."""
    notebooks = work / "edit-notebooks"
    shutil.copytree(NOTEBOOKS, notebooks, ignore=shutil.ignore_patterns("*.ipynb", ".*"))
    pages_file = notebooks / "pages.yaml"
    source, page = notebooks / f"{EDIT_PAGE}.py", site / f"{EDIT_PAGE}.html"
    common = ["--data", str(data), "--out", str(site), "--pages", str(pages_file)]
    _cli("build", *common, "--only", EDIT_PAGE)  # the page as the copy has it, once
    fresh = []
    for round_ in range(EDIT_ROUNDS):
        marker = f"Muokkaus {round_ + 1} ilman seurantaa."
        _edit(source, marker)
        fresh.append(_cli("build", *common, "--only", EDIT_PAGE))
        _wait_for_text(page, marker, timeout=1)
    watched = []
    process = subprocess.Popen(
        [str(BIN / "tilannekuva"), "build", *common, "--only", EDIT_PAGE, "--watch", "--jobs", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout], daemon=True
    ).start()
    try:
        while "watch: watching" not in lines.get(timeout=300):
            pass
        time.sleep(1)  # the warm kernel is ready; the watcher has settled
        for round_ in range(EDIT_ROUNDS):
            marker = f"Muokkaus {round_ + 1} seurannassa."
            start = time.perf_counter()
            _edit(source, marker)
            watched.append(_wait_for_text(page, marker) - start)
            while "watch: site updated" not in lines.get(timeout=300):
                pass  # the round is over (index, manifest) before the next edit
    finally:
        import psutil

        family = psutil.Process(process.pid).children(recursive=True)
        process.send_signal(signal.SIGINT)  # as Ctrl-C: the watch stops its kernels itself
        try:
            process.wait(timeout=180)
        except subprocess.TimeoutExpired:
            process.kill()
        _, alive = psutil.wait_procs(family, timeout=30)
        for leftover in alive:
            leftover.kill()
    coded = []
    for round_ in range(EDIT_ROUNDS):
        marker = f"Koodimuokkaus {round_ + 1}."
        _edit_code(source, marker)
        coded.append(_cli("build", *common, "--only", EDIT_PAGE))
        _wait_for_text(page, marker, timeout=1)
    return statistics.median(fresh), statistics.median(watched), statistics.median(coded)


def national(
    work: Path, associations: int = 110_000, responses: int = 20_000, municipalities: int = 300
) -> str:
    """Ingest and build a generated national region; returns a printable summary.

    The data directory carries its own region (``reference/``: ≈300 invented
    municipalities in ≈70 sub-regions), so the build has a field page and a
    card per municipality and a survey page per sub-region, as a national
    deployment would.
    """
    from tilannekuva.demo.national import write_national_reference
    from tilannekuva.demo.registry import ACTIVE_TOTAL, registry_csv
    from tilannekuva.demo.survey import survey_xlsx
    from tilannekuva.questionnaire import load_questionnaire
    from tilannekuva.region import activate

    data, site = work / "national-data", work / "national-site"
    write_national_reference(data / "reference", municipalities=municipalities)
    layout = DataLayout.at(data)
    activate(layout)  # the generators spread their rows over the national region
    raw = data / "raw" / "bench"
    raw.mkdir(parents=True)
    # Active associations plus the deregistered ones the generator adds (9 %).
    extract = raw / "yhdistysrekisteri.csv"
    extract.write_bytes(registry_csv(scale=associations / ACTIVE_TOTAL / 1.09))
    export = raw / "kysely.xlsx"
    export.write_bytes(survey_xlsx(load_questionnaire(layout=layout), respondents=responses))
    ingest_registry = _cli("ingest", "registry", str(extract), "--data", str(data))
    ingest_survey = _cli("ingest", "survey", str(export), "--data", str(data))
    build = _cli("build", "--data", str(data), "--out", str(site), "--force")
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))["pages"]
    per_municipality = sum(1 for p in manifest.values() if p["parameters"].get("municipality"))
    return (
        f"bench: national run ({associations} associations, {responses} responses, "
        f"{municipalities} municipalities): ingest registry {ingest_registry:.1f} s, "
        f"ingest survey {ingest_survey:.1f} s, build {build:.1f} s for {len(manifest)} pages "
        f"({per_municipality} municipality pages)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=0, help="Use only the first N pages.")
    parser.add_argument("--keep", action="store_true", help="Keep the work folder.")
    parser.add_argument(
        "--no-national", action="store_true", help="Skip the national-size ingest and build."
    )
    parser.add_argument(
        "--national-only", action="store_true", help="Run only the national ingest and build."
    )
    options = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="tilannekuva-bench-"))
    if options.national_only:
        print(f"bench: work folder {work}", flush=True)
        print(national(work), flush=True)
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
        return
    data, site = work / "data", work / "site"
    print(f"bench: work folder {work}", flush=True)
    _cli("demo", "--data", str(data))
    layout = DataLayout.at(data)
    demo = uses_demo_data(layout)
    settings = BuildSettings(layout=layout, out=site)
    pages = select_pages(load_pages(), settings)
    if options.pages:
        pages = pages[: options.pages]
    only = [arg for page in pages for arg in ("--only", page.name)] if options.pages else []

    naive_dir = work / "naive"
    naive_dir.mkdir()
    a = naive(pages, settings, naive_dir, demo)
    print(
        f"bench: (a) naive papermill+nbconvert loop: {a:.1f} s for {len(pages)} pages", flush=True
    )
    b = _cli("build", "--data", str(data), "--out", str(site), "--force", *only)
    print(f"bench: (b) tilannekuva build --force: {b:.1f} s", flush=True)
    c = _cli("build", "--data", str(data), "--out", str(site), *only)
    print(f"bench: (c) tilannekuva build, nothing changed: {c:.2f} s", flush=True)
    d = floor(pages, settings, demo)
    print(f"bench: (d) single-process floor: {d:.2f} s", flush=True)
    edit_s, watch_s, code_s = edit_loop(work, data, site)
    if not options.no_national:
        print(national(work), flush=True)
    print(f"bench: edit_loop_s={edit_s:.2f} watch_loop_s={watch_s:.2f}", flush=True)
    print(f"bench: code_edit_loop_s={code_s:.2f}", flush=True)
    if not options.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"bench: speedup_vs_naive={a / b:.2f} floor_ratio={b / d:.2f} nochange_s={c:.2f} "
        f"pages={len(pages)}"
    )


if __name__ == "__main__":
    main()
