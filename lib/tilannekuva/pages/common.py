"""What every page needs: its data directory's settings and tables, hidden results, Finnish HTML tables."""

from __future__ import annotations

import html
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import pandas as pd
from IPython.display import HTML

from tilannekuva.analysis import rounds
from tilannekuva.analysis.scopes import SurveyRound, latest_round
from tilannekuva.pages import memo
from tilannekuva.paths import DataLayout
from tilannekuva.provenance import SourceRecord
from tilannekuva.questionnaire import Questionnaire
from tilannekuva.region import Region
from tilannekuva.settings import Settings
from tilannekuva.store import has_table, read_table, table_sources

T = TypeVar("T")


@dataclass
class PageData:
    """The settings and processed tables of one data directory, read once per page."""

    data_dir: str | Path

    @cached_property
    def settings(self) -> Settings:
        return Settings.from_data_dir(self.data_dir)

    @property
    def layout(self) -> DataLayout:
        return self.settings.layout

    @property
    def threshold(self) -> int:
        return self.settings.min_group_size

    @property
    def region(self) -> Region:
        return self.settings.region

    @property
    def questionnaire(self) -> Questionnaire:
        return self.settings.questionnaire

    def survey_round(self, label: str | None = None) -> SurveyRound:
        """A round of the survey (default: the latest) with its privacy decisions, shared per kernel."""
        survey = self.survey
        label = label or rounds.ordered_rounds(survey)[-1]

        def compute() -> SurveyRound:
            return latest_round(survey[survey["round"] == label], self.settings)

        return self.shared(("survey-round", label, self.threshold), compute)

    @property
    def survey_rounds(self) -> list[str]:
        return rounds.ordered_rounds(self.survey)

    @cached_property
    def version(self) -> tuple:
        """The data's fingerprint when the page started (see :mod:`tilannekuva.pages.memo`)."""
        return memo.data_version(self.layout)

    def shared(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A result the pages of this kernel share: computed once per data version."""
        return memo.shared(self.layout, key, compute, self.version)

    def table(self, name: str) -> pd.DataFrame:
        if not has_table(self.layout, name):
            raise FileNotFoundError(
                f"processed/{name}.parquet is missing in {self.layout.root}: "
                "run `tilannekuva demo` or ingest the inputs first"
            )
        return self.shared(("table", name), lambda: read_table(self.layout, name))

    @cached_property
    def survey(self) -> pd.DataFrame:
        return self.table("survey")

    @cached_property
    def associations(self) -> pd.DataFrame:
        return self.table("associations")

    def sources(self, name: str) -> list[SourceRecord]:
        return self.shared(("sources", name), lambda: table_sources(self.layout, name))

    def data_date(self, name: str) -> str | None:
        """The newest retrieval time of a table's sources (ISO), for chart notes."""
        dates = [s.retrieved for s in self.sources(name)]
        return max(dates) if dates else None


def anchor(element_id: str) -> HTML:
    """An empty element with an id, for links from other pages (e.g. key messages)."""
    return HTML(f'<a id="{html.escape(element_id)}" class="tk-anchor"></a>')


def html_table(
    frame: pd.DataFrame,
    numeric: tuple[str, ...] = (),
    caption: str | None = None,
    row_ids: list[str] | None = None,
) -> HTML:
    """A small, printable HTML table (values already formatted as Finnish strings).

    ``row_ids``: an id per row, so other pages can link to a row.
    """
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for position, (_, row) in enumerate(frame.iterrows()):
        cells = "".join(
            f'<td class="num">{html.escape(str(v))}</td>'
            if c in numeric
            else f"<td>{html.escape(str(v))}</td>"
            for c, v in row.items()
        )
        row_id = f' id="{html.escape(row_ids[position])}"' if row_ids else ""
        rows.append(f"<tr{row_id}>{cells}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return HTML(
        f'<table class="tk-table">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class Hidden:
    """A result the privacy layer hides: it says why in Finnish instead of being ``None``.

    On the site it shows nothing when ``quiet`` (the page has said once why the
    whole scope is hidden) and its reason otherwise. In JupyterLab it shows
    its reason, and the usual figure calls (``fig.update_traces(...)``,
    ``fig.update_layout(...)``, ``fig.show()``) do nothing instead of failing,
    so an analyst's chart edit works on every page of a partition.
    """

    def __init__(self, reason: str, quiet: bool = False):
        self.reason = reason
        self.quiet = quiet

    def __repr__(self) -> str:
        return f"Piilotettu: {self.reason}"

    def _repr_html_(self) -> str:
        return "" if self.quiet else f'<p class="tk-hidden">{html.escape(self.reason)}</p>'

    def __bool__(self) -> bool:
        return False

    @property
    def data(self) -> pd.DataFrame:
        """A hidden chart has no data to look at: an empty table, never the hidden figures."""
        return pd.DataFrame()

    frame = data

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self
