"""Avoimet vastaukset (30_avoimet): themes, their link to the items, redacted quotes.

Quotes come only from respondent groups (org type) of at least the threshold,
never from the analysts' exclusion list, and they were redacted at ingest.
Quotes are reviewed by an analyst before publication: names of private
people are not detected automatically.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML

from tilannekuva.analysis import rounds, text
from tilannekuva.charts import PALETTE, source_note
from tilannekuva.formats import fi_number, fi_percent
from tilannekuva.pages.common import PageData
from tilannekuva.pages.present import HIDDEN_MARKER, FigureBlock, TableBlock
from tilannekuva.privacy.suppress import hidden_groups
from tilannekuva.yamlfile import load_yaml

EXCLUSIONS_FILE = "config/quote_exclusions.yaml"


def quote_hash(quote: str) -> str:
    """sha256 of the casefolded, whitespace-normalised quote (for the exclusion list)."""
    return hashlib.sha256(re.sub(r"\s+", " ", quote.casefold()).strip().encode("utf-8")).hexdigest()


@dataclass
class OpenAnswers:
    data: PageData
    column: str = "open_priority"

    @property
    def threshold(self) -> int:
        return self.data.threshold

    @cached_property
    def result(self) -> text.ThemeResult:
        survey = self.data.survey
        latest = survey[survey["round"] == rounds.ordered_rounds(survey)[-1]]
        return text.analyse(
            latest, text.load_themes(self.data.layout), self.column, group="org_type"
        )

    @cached_property
    def excluded(self) -> set[str]:
        path = self.data.settings.quote_exclusions_file
        if not path.exists():
            return set()
        return set((load_yaml(path, "quote exclusion list") or {}).get("excluded", []) or [])

    def theme_table(self) -> pd.DataFrame:
        counts = self.result.counts.copy()
        hide = hidden_groups(counts["n"].tolist(), self.threshold, total_known=False)
        counts["suppressed"] = hide
        return counts

    def theme_chart(self) -> FigureBlock:
        table = self.theme_table()
        counts = table.iloc[::-1]
        shown = counts["n"].where(~counts["suppressed"], 0)
        labels = [
            f"<{self.threshold}" if s else fi_number(v)
            for v, s in zip(counts["n"], counts["suppressed"], strict=True)
        ]
        fig = go.Figure(
            go.Bar(
                x=shown,
                y=counts["label"],
                orientation="h",
                marker_color=PALETTE[2],
                text=labels,
                textposition="outside",
                hovertemplate="%{y}: %{text}<extra></extra>",
            )
        )
        fig.update_layout(
            title="Avointen vastausten teemat",
            height=460,
            margin={"l": 260},
            xaxis_title="vastauksia, joissa teema mainitaan",
        )
        fig = source_note(fig, self.result.total, self.data.data_date("survey"), "kysely")
        shown = table[~table["suppressed"]].sort_values("n", ascending=False)
        top = ", ".join(f"{r.label} ({fi_number(r.n)})" for r in shown.head(3).itertuples())
        return FigureBlock(
            fig,
            caption="Avointen vastausten teemat: vastauksia, joissa teema mainitaan",
            summary=(
                f"Avoimia vastauksia on {fi_number(self.result.total)}; yksi vastaus voi mainita "
                f"useita teemoja. Useimmin mainitut: {top}."
                if top
                else f"Avoimia vastauksia on {fi_number(self.result.total)}."
            ),
            data=pd.DataFrame(
                {
                    "Teema": table["label"],
                    "Vastauksia": [
                        HIDDEN_MARKER if s else int(v)
                        for v, s in zip(table["n"], table["suppressed"], strict=True)
                    ],
                }
            ),
            slug="teemat",
            numeric=("Vastauksia",),
            n=self.result.total,
            date=self.data.data_date("survey"),
        )

    def summary(self) -> HTML:
        return HTML(
            f"<p>Avoimia vastauksia: <b>{fi_number(self.result.total)}</b>. Teemasanastoon "
            f"osumattomia: <b>{fi_percent(self.result.unmatched_share)}</b> – niitä lukemalla "
            "analyytikot täydentävät teemasanastoa.</p>"
        )

    def item_links(self) -> TableBlock:
        q = self.data.questionnaire
        names = {r.id: r.display for r in q.rows("importance")}
        rows = [
            (r.label, ", ".join(names.get(i, i) for i in r.items) or "–")
            for r in self.theme_table().itertuples()
        ]
        return TableBlock(
            pd.DataFrame(rows, columns=["Teema", "Yhteistyöasiat"]),
            caption=f"Teemojen yhteys kyselyn {len(names)} yhteistyöasiaan",
            slug="teemat-ja-asiat",
        )

    def publishable(self) -> pd.DataFrame:
        """Answers from respondent groups the privacy layer shows, not excluded by an analyst."""
        answers = self.result.answers
        survey_round = self.data.survey_round()
        hidden = survey_round.hidden("respondents")
        big = {g for g in survey_round.members("org_type") if ("org_type", g) not in hidden}
        keep = answers["org_type"].isin(big) & ~answers["text"].map(quote_hash).isin(self.excluded)
        return answers[keep]

    def quotes(self, per_theme: int = 3) -> HTML:
        publishable = text.ThemeResult(self.publishable(), self.result.counts, 0, 0)
        parts = []
        for r in self.theme_table().itertuples():
            if r.suppressed or r.n == 0:
                continue
            quotes = text.representative_quotes(publishable, r.theme, per_theme)
            if quotes:
                items = "".join(f"<li>”{_escape(q)}”</li>" for q in quotes)
                parts.append(f"<h3>{_escape(r.label)}</h3><ul>{items}</ul>")
        note = (
            f"<p><i>Lainaukset on poimittu vain vähintään {self.threshold} vastaajan ryhmistä, henkilötiedot on "
            "poistettu automaattisesti, ja analyytikko tarkistaa lainaukset ennen julkaisua.</i></p>"
        )
        return HTML(note + "".join(parts))


def _escape(value: str) -> str:
    import html

    return html.escape(value).replace("\n", "<br>")
