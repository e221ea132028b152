"""The `tilannekuva` command (cli.md is the contract).

Errors reach the user as one clear line per problem on stderr with exit code 1
(bad input, a failed page) or 2 (wrong usage); a traceback only with --debug.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tilannekuva.errors import InputError, TilannekuvaError, UsageError
from tilannekuva.paths import DataLayout

if TYPE_CHECKING:
    from tilannekuva.settings import Settings

app = typer.Typer(
    name="tilannekuva",
    help="Järjestökentän tilannekuva: survey and registry data into a site of notebooks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
ingest_app = typer.Typer(
    help="Validate, normalise and store an input file under processed/.", no_args_is_help=True
)
app.add_typer(ingest_app, name="ingest")
survey_app = typer.Typer(
    help="Surveys other than the default one: draft a questionnaire from an export.",
    no_args_is_help=True,
)
app.add_typer(survey_app, name="survey")

_state: dict[str, Any] = {"debug": False, "held": None}

DataOption = Annotated[
    Path, typer.Option("--data", help="Data directory: raw/, processed/, build/ live under it.")
]


def _err(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def reporting() -> Iterator[None]:
    """Turn the project's errors into clear lines and exit codes; release the command's locks."""
    with _reporting_errors(), ExitStack() as held:
        _state["held"] = held
        try:
            yield
        finally:
            _state["held"] = None


@contextmanager
def _reporting_errors() -> Iterator[None]:
    try:
        yield
    except InputError as exc:
        if _state["debug"]:
            traceback.print_exc()
        _err(f"error: {len(exc.problems)} problem(s) in the input; nothing was written:")
        for problem in exc.problems:
            _err(f"  {problem}")
        raise typer.Exit(exc.exit_code) from None
    except TilannekuvaError as exc:
        if _state["debug"]:
            traceback.print_exc()
        for line in str(exc).splitlines() or [type(exc).__name__]:
            _err(f"error: {line}")
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        if _state["debug"]:
            raise
        _err(f"error: unexpected {type(exc).__name__}: {exc} (run with --debug for details)")
        raise typer.Exit(1) from None


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    _state["debug"] = debug


@app.command()
def demo(
    data: DataOption = Path("data"),
    if_missing: Annotated[
        bool, typer.Option("--if-missing", help="Do nothing when processed data is already there.")
    ] = False,
) -> None:
    """Write the demo inputs under DIR/raw/demo/ and ingest them."""
    from tilannekuva.demo import demo_present, write_demo

    with reporting():
        layout = _layout(data)
        if if_missing and demo_present(layout):
            typer.echo(f"Processed data found in {layout.processed}; demo not needed.")
            return
        for report in write_demo(layout):
            typer.echo(report.splitlines()[0] if report else "")
        typer.echo(f"Demo data written under {layout.raw / 'demo'} and ingested.")


@ingest_app.command("survey")
def ingest_survey_command(
    file: Annotated[Path, typer.Argument(help="CSV, XLSX or ODS export of the questionnaire.")],
    data: DataOption = Path("data"),
    round_label: Annotated[
        str | None, typer.Option("--round", help="Survey round, e.g. 2026-syksy.")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Sheet name or number.")] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace a round already ingested (it stays in raw/)."),
    ] = False,
    keep_duplicates: Annotated[
        bool,
        typer.Option("--keep-duplicates", help="Count repeated identical rows as respondents."),
    ] = False,
    survey: Annotated[
        str | None,
        typer.Option(
            "--survey",
            help="Another survey's id: its questionnaire is DIR/config/surveys/ID.yaml and its "
            "answers go to processed/surveys/ID.parquet (default: the default survey).",
        ),
    ] = None,
) -> None:
    """Copy a survey export under raw/ and ingest it into processed/survey.parquet."""
    with reporting():
        from tilannekuva.survey.ingest import ingest_survey

        _require_file(file)
        report = ingest_survey(
            file,
            _layout(data),
            round_label,
            sheet=sheet,
            replace_round=replace,
            keep_duplicates=keep_duplicates,
            survey_id=survey,
        )
        typer.echo(report.to_text())


@survey_app.command("init")
def survey_init_command(
    file: Annotated[
        Path, typer.Argument(help="An export of the survey (any format ingest reads).")
    ],
    survey_id: Annotated[
        str, typer.Option("--id", help="The survey's id: lower-case letters, digits, - or _.")
    ],
    data: DataOption = Path("data"),
    title: Annotated[
        str | None, typer.Option("--title", help="The survey's title on the site.")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Sheet name or number.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing questionnaire file.")
    ] = False,
    structure: Annotated[
        Path | None,
        typer.Option(
            "--structure",
            help="LimeSurvey's survey structure export (.lss or .txt): question and answer "
            "codes in the export become texts, and the draft keeps the codes for ingest.",
        ),
    ] = None,
) -> None:
    """Draft DIR/config/surveys/ID.yaml from an export: every column's question type inferred."""
    with reporting():
        from tilannekuva.survey.init import init_survey, print_summary

        _require_file(file)
        if structure is not None:
            _require_file(structure)
        result = init_survey(
            file, _settings(data).layout, survey_id, title=title, sheet=sheet, force=force,
            structure=structure,
        )  # fmt: skip
        print_summary(result)


@app.command("rebuild-processed")
def rebuild_processed_command(data: DataOption = Path("data")) -> None:
    """Rebuild processed/ from the inputs archived under raw/, in their ingest order."""
    with reporting():
        from tilannekuva.rebuild import rebuild_processed

        layout = _layout(data)
        for line in rebuild_processed(layout):
            typer.echo(line)
        typer.echo(f"processed tables rebuilt from {layout.raw}")


@ingest_app.command("registry")
def ingest_registry_command(
    file: Annotated[Path, typer.Argument(help="Register extract (CSV/XLSX) or a saved YTJ JSON.")],
    data: DataOption = Path("data"),
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX sheet name.")] = None,
) -> None:
    """Ingest association-registry data into processed/associations.parquet."""
    with reporting():
        from tilannekuva.registry.ingest import ingest_registry

        _require_file(file)
        report = ingest_registry(file, _layout(data), sheet=sheet)
        typer.echo(report.to_text())


@ingest_app.command("documents")
def ingest_documents_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Document files or folders: DOCX, PDF, ODT, Markdown, text, HTML."),
    ],
    data: DataOption = Path("data"),
) -> None:
    """Ingest memos, statements and reports into processed/documents.parquet, redacted.

    A file without text (a scanned PDF), an encrypted or broken file is named on
    one line; the others are still ingested, and the command then exits 1.
    """
    with reporting():
        from tilannekuva.knowledge.base import load_knowledge_base
        from tilannekuva.knowledge.documents import ingest_documents

        layout = _layout(data)
        report = ingest_documents(paths, layout, load_knowledge_base(layout))
        typer.echo(report.to_text().split("\n  ! ")[0])
        for problem in report.unreadable:
            _err(f"error: {problem}")
        if not report.ok:
            raise typer.Exit(1)


@ingest_app.command("decisions")
def ingest_decisions_command(
    file: Annotated[
        Path,
        typer.Argument(help="Decision log (XLSX/CSV: päivämäärä, asia, uusi tila, päätös, viite)."),
    ],
    data: DataOption = Path("data"),
) -> None:
    """Add a decision log's dated decisions to the items' history (idempotent).

    Decisions are kept in processed/decisions.parquet and merged into the
    history of knowledge_base.yaml's entries when it is read; the YAML file is
    never rewritten.
    """
    with reporting():
        from tilannekuva.knowledge.base import load_knowledge_base
        from tilannekuva.knowledge.decisions import ingest_decisions

        _require_file(file)
        layout = _layout(data)
        report = ingest_decisions(file, layout, load_knowledge_base(layout))
        typer.echo(report.to_text())


class FetchSource(StrEnum):
    registry = "registry"
    population = "population"
    geo = "geo"


@app.command()
def fetch(
    source: Annotated[FetchSource, typer.Argument(help="Which public source.")],
    data: DataOption = Path("data"),
) -> None:
    """Download a public source into DIR/raw/ with a provenance record."""
    with reporting():
        from tilannekuva.sources import fetch_geo, fetch_population, fetch_registry

        layout = _layout(data)
        fetcher = {"registry": fetch_registry, "population": fetch_population, "geo": fetch_geo}
        path = fetcher[source.value](layout)
        typer.echo(f"{source.value}: saved {path}")
        if source is FetchSource.registry:
            # The next build should use the fresh register: ingest the saved response now.
            from tilannekuva.registry.ingest import ingest_registry

            typer.echo(ingest_registry(path, layout).to_text())


@app.command()
def build(
    data: DataOption = Path("data"),
    out: Annotated[Path, typer.Option("--out", help="Site folder.")] = Path("site"),
    jobs: Annotated[
        int, typer.Option("--jobs", min=0, help="Parallel kernels (0: one per core).")
    ] = 0,
    force: Annotated[bool, typer.Option("--force", help="Rebuild every page.")] = False,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Build only this page or notebook.")
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", help="Override a parameter: key=value.")
    ] = None,
    isolate: Annotated[
        bool,
        typer.Option("--isolate", help="Run every page in its own fresh kernel (plain papermill)."),
    ] = False,
    page_timeout: Annotated[
        float, typer.Option("--page-timeout", help="Seconds before a page is stopped.")
    ] = 900,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Compare with the first snapshot made on or after this date (YYYY-MM-DD), "
            "e.g. the last meeting's; default: the previous build with different figures.",
        ),
    ] = None,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="After the build, keep warm kernels and rebuild a page whenever its notebook "
            "or inputs change (Ctrl-C stops).",
        ),
    ] = False,
    pages: Annotated[
        Path | None,
        typer.Option(
            "--pages", help="Page declarations (default notebooks/pages.yaml); notebooks beside it."
        ),
    ] = None,
) -> None:
    """Execute every report notebook and render the site into OUT/.

    Stops before any notebook runs when another build (or an ingest) holds DIR or
    OUT, when OUT or DIR/build cannot be written, or when processed/ lacks a table
    the pages read.
    """
    from tilannekuva.batch.build import BuildSettings, prepared_build
    from tilannekuva.batch.progress import ConsoleProgress, print_summary

    with reporting():
        # The build locks the data directory and the site itself (batch.lock), after
        # checking that it can write them.
        layout = _settings(data, lock=False, knowledge_base=False).layout
        settings = BuildSettings(
            layout=layout,
            out=out,
            jobs=jobs or _cores(),
            force=force,
            only=list(only or []),
            overrides=_parse_params(param or []),
            isolate=isolate,
            page_timeout=page_timeout,
            since=_parse_date(since, "--since") if since else None,
        )
        if pages is not None:
            settings.pages_file = pages.resolve()
        if watch:
            from tilannekuva.batch.progress import watch_build

            watch_build(settings)
            return
        with prepared_build(settings) as run, ConsoleProgress() as progress:
            result = run(progress)
        for note in result.notes:
            _err(f"note: {note}")
        print_summary(result)
        if not result.ok:
            raise typer.Exit(1)


@app.command("check-site")
def check_site_command(
    site: Annotated[Path, typer.Argument(help="Rendered site folder.")] = Path("site"),
    data: DataOption = Path("data"),
) -> None:
    """Scan the site, executed notebooks and processed data for personal data."""
    with reporting():
        from tilannekuva.privacy.scan import check_site

        findings = check_site(site, data)
        for finding in findings:
            _err(f"privacy: {finding}")
        if findings:
            raise typer.Exit(1)
        typer.echo(f"check-site: no personal data found in {site}, {data}/build, {data}/processed")


def _settings(data: Path, *, lock: bool = True, knowledge_base: bool = True) -> Settings:
    """The data directory's settings, every configuration file read and checked now.

    A broken file (privacy threshold, questionnaire, themes, knowledge base, quote
    exclusions, region) stops the command here, before any work, with its file,
    line and key. With ``lock``, the data directory is locked until the command
    ends, so nothing replaces ``processed/`` under a running build. The build
    leaves the knowledge base to its preparation, which reads it whenever it
    changed, before any kernel starts (reading it here would load pandera on
    every unchanged rebuild).
    """
    from tilannekuva.analysis.text import load_themes
    from tilannekuva.region import activate
    from tilannekuva.settings import Settings
    from tilannekuva.yamlfile import load_yaml

    settings = Settings.from_data_dir(data)
    activate(settings.layout)
    settings.questionnaire  # noqa: B018 - read and checked now, not in the middle of the work
    load_themes(settings.layout)
    if knowledge_base:
        from tilannekuva.knowledge.base import load_knowledge_base

        load_knowledge_base(settings.layout, questionnaire=settings.questionnaire)
    if settings.quote_exclusions_file.exists():
        load_yaml(settings.quote_exclusions_file, "quote exclusion list")
    if lock and _state["held"] is not None:
        from tilannekuva.batch.lock import command_line, data_lock

        lock_ = data_lock(settings.layout.root)
        lock_.acquire(command_line())
        _state["held"].callback(lock_.release)
        if lock_.note:
            _err(f"note: {lock_.note}")
    return settings


def _layout(data: Path) -> DataLayout:
    """The data directory (configuration checked, locked, its region active): see _settings."""
    return _settings(data).layout


def _require_file(path: Path) -> None:
    from tilannekuva.errors import Problem

    if not path.is_file():
        raise InputError(Problem(str(path), "file not found"))


def _parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"{option}: '{text}' is not a date; expected YYYY-MM-DD") from exc


def _parse_params(pairs: list[str]) -> dict[str, str]:
    """``key=value`` pairs as text: each page reads them by its own field types (batch.params)."""
    parsed: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param {pair!r}: expected key=value")
        parsed[key.strip()] = value
    return parsed


def _cores() -> int:
    import os

    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
