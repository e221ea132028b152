"""Any survey's page (25_muu_kysely): every question in questionnaire order, the right display.

Presentation only: what may be shown comes from
:mod:`tilannekuva.analysis.survey_questions` (distributions, means with 95 %
intervals, groupings decided with the disclosure layer, tests of group
differences) and the theme machinery of :mod:`tilannekuva.analysis.text`.
Open answers were redacted at ingest; quotes come only from groups at or
above the threshold and never from the analysts' exclusion list.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML

from tilannekuva.analysis import rounds, text
from tilannekuva.analysis import survey_questions as sq
from tilannekuva.analysis.priorities import TOP
from tilannekuva.charts import PALETTE, source_note
from tilannekuva.formats import fi_date, fi_interval, fi_number, fi_p_value, fi_percent, shown_value
from tilannekuva.pages.common import Hidden, PageData
from tilannekuva.pages.open_answers import quote_hash
from tilannekuva.pages.present import FigureBlock, TableBlock
from tilannekuva.privacy.suppress import hidden_groups
from tilannekuva.questionnaire import Question, Questionnaire
from tilannekuva.store import read_table, table_sources
from tilannekuva.survey.catalog import Survey, survey_for
from tilannekuva.yamlfile import load_yaml

DECIMALS = 2
QUOTES_PER_THEME = 2


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "kysymys"


@dataclass
class GenericSurveyPage:
    data: PageData
    survey_id: str

    @cached_property
    def survey(self) -> Survey:
        return survey_for(self.data.layout, self.survey_id)

    @cached_property
    def questionnaire(self) -> Questionnaire:
        from tilannekuva.survey.catalog import load_survey_questionnaire

        return load_survey_questionnaire(self.data.layout, self.survey.questionnaire_file)

    @property
    def threshold(self) -> int:
        return self.data.threshold

    @cached_property
    def answers(self) -> pd.DataFrame:
        """Every round's answers."""
        return self.data.shared(
            ("table", self.survey.table), lambda: read_table(self.data.layout, self.survey.table)
        )

    @property
    def rounds(self) -> list[str]:
        return rounds.ordered_rounds(self.answers)

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The latest round's answers."""
        return self.answers[self.answers["round"] == self.rounds[-1]]

    @property
    def n(self) -> int:
        return len(self.frame)

    @property
    def title(self) -> str:
        return self.survey.title

    def data_date(self) -> str | None:
        dates = [s.retrieved for s in table_sources(self.data.layout, self.survey.table)]
        return max(dates) if dates else None

    @cached_property
    def columns(self) -> list[sq.ScaleColumn]:
        return sq.scale_columns(self.questionnaire)

    @cached_property
    def groupings(self) -> list[sq.Grouping]:
        subregions = dict(
            zip(
                self.data.region.subregions["subregion_code"],
                self.data.region.subregions["subregion"],
                strict=True,
            )
        )
        return sq.groupings(self.frame, self.questionnaire, subregions, self.threshold)

    @property
    def too_few(self) -> bool:
        return self.n < self.threshold

    # --- the page ---

    def headline(self) -> HTML:
        if self.too_few:
            return HTML(
                f'<p class="tk-hidden"><b>{html.escape(self.title)}: vastaajia on alle '
                f"{self.threshold}, joten tuloksia ei näytetä (tietosuoja).</b></p>"
            )
        rounds_note = (
            f" Kierroksia on {len(self.rounds)}: {', '.join(self.rounds)}."
            if len(self.rounds) > 1
            else ""
        )
        dated = self.data_date()
        date_note = f" Aineiston päiväys {fi_date(dated)}." if dated else ""
        return HTML(
            f"<p>Kysely: <b>{html.escape(self.title)}</b>. Vastaajia: <b>{fi_number(self.n)}</b> "
            f"(kierros {html.escape(self.rounds[-1])}).{date_note}{rounds_note} Luvut, joiden "
            "taustalla on "
            f"alle {self.threshold} vastausta, on piilotettu, samoin luvut, joista pienemmän "
            "ryhmän vastaukset voisi päätellä.</p>"
        )

    def questions(self) -> Iterator[object]:
        """For each question in questionnaire order: its heading and its display."""
        if self.too_few:
            return
        for number, q in enumerate(self.questionnaire.questions, 1):
            yield HTML(f"<h3>{number}. {html.escape(q.header.lstrip('0123456789. '))}</h3>")
            yield self.question(q)

    def question(self, q: Question) -> object:
        if q.type in ("single", "multiple"):
            return self.choice_figure(q)
        if q.type == "scale":
            return self.scale_figure(q)
        if q.type == "matrix":
            return self.matrix_figure(q)
        if q.type == "municipality":
            return self.municipality_table(q)
        return self.open_answers(q)

    def _count(self, n: int) -> int | str:
        """An answer count as shown: "<5" under the threshold."""
        return int(n) if n >= self.threshold else f"<{self.threshold}"

    def _hidden_count(self, small: bool) -> str:
        """A hidden count: "<5" when it is small itself, "–" when hidden to protect another."""
        return f"<{self.threshold}" if small else "–"

    def _note(self, fig: go.Figure, n: int) -> go.Figure:
        return source_note(fig, n, self.data_date(), self.title)

    def choice_figure(self, q: Question) -> FigureBlock | Hidden:
        dist = sq.choice_distribution(self.frame, self.questionnaire, q.id, self.threshold)
        if not dist.shown:
            return Hidden(f"Kysymykseen vastasi alle {self.threshold}, joten jakaumaa ei näytetä.")
        return self._distribution_block(
            dist,
            q.short or q.header,
            "vastaajia" if q.type == "single" else "valinneita",
            f"{_slug(q.id)}-jakauma",
            note="Vastaaja saattoi valita useita vaihtoehtoja." if q.type == "multiple" else "",
        )

    def _distribution_block(
        self, dist: sq.Distribution, title: str, unit: str, slug: str, note: str = ""
    ) -> FigureBlock:
        table = dist.table.iloc[::-1]
        shares = [0.0 if s else float(v) * 100 for v, s in zip(table["share"], table["suppressed"], strict=True)]  # fmt: skip
        labels = [
            self._hidden_count(small) if s else f"{fi_number(int(n))} ({fi_percent(float(v))})"
            for n, v, s, small in zip(
                table["n"], table["share"], table["suppressed"], table["small"], strict=True
            )
        ]
        fig = go.Figure(
            go.Bar(
                x=shares,
                y=table["label"],
                orientation="h",
                marker_color=PALETTE[0],
                text=labels,
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}: %{text}<extra></extra>",
            )
        )
        fig.update_layout(
            title=title,
            height=max(260, 70 + 42 * len(table)),
            xaxis={"title": f"% vastanneista ({unit})", "range": [0, max([*shares, 1]) * 1.35]},
            yaxis={"automargin": True},
            margin={"l": 10},
        )
        fig = self._note(fig, dist.answered)
        data = pd.DataFrame(
            {
                "Vaihtoehto": dist.table["label"],
                unit.capitalize(): [
                    self._hidden_count(small) if s else int(n)
                    for n, s, small in zip(
                        dist.table["n"], dist.table["suppressed"], dist.table["small"], strict=True
                    )
                ],
                "Osuus, %": [
                    "–" if s else round(float(v) * 100, 1)
                    for v, s in zip(dist.table["share"], dist.table["suppressed"], strict=True)
                ],
            }
        )
        shown = dist.table[~dist.table["suppressed"]]
        top = shown.sort_values("n", ascending=False).head(1)
        summary = f"Vastanneita {fi_number(dist.answered)}."
        if not top.empty:
            summary += (
                f" Yleisin vastaus: {top['label'].iloc[0]} "
                f"({fi_percent(float(top['share'].iloc[0]))})."
            )
        if note:
            summary += f" {note}"
        return FigureBlock(
            fig, title, summary, data, slug, numeric=tuple(data.columns[1:]), n=dist.answered,
            date=self.data_date(),
        )  # fmt: skip

    def scale_figure(self, q: Question) -> object:
        column = next(c for c in self.columns if c.column == q.id)
        summary = sq.scale_summary(self.frame, [column], self.threshold).iloc[0]
        if not summary["shown"]:
            return Hidden(f"Kysymykseen vastasi alle {self.threshold}, joten tuloksia ei näytetä.")
        dist = sq.scale_distribution(
            self.frame, self.questionnaire, q.id, q.scale or "", self.threshold
        )
        low, high = self.questionnaire.scale_range(q.scale or "")
        mean_text = (
            f"Keskiarvo {fi_number(summary['mean'], DECIMALS)} asteikolla {low}–{high} "
            f"(95 %:n luottamusväli {fi_interval(summary['low'], summary['high'], DECIMALS)}), "
            f"n = {fi_number(summary['n'])}."
        )
        block = self._distribution_block(
            dist, q.short or q.header, "vastaajia", f"{_slug(q.id)}-jakauma", note=mean_text
        )
        return _Both(HTML(f"<p><b>{mean_text}</b></p>"), block)

    def matrix_figure(self, q: Question) -> FigureBlock | Hidden:
        columns = [c for c in self.columns if c.question == q.id]
        table = sq.scale_summary(self.frame, columns, self.threshold)
        low, high = self.questionnaire.scale_range(q.scale or "")
        shown = table[table["shown"]]
        if shown.empty:
            return Hidden(
                f"Yhdenkään rivin keskiarvoa ei voi näyttää: vastauksia alle {self.threshold}."
            )
        ordered = table.iloc[::-1]
        fig = go.Figure(
            go.Scatter(
                x=ordered["mean"],
                y=ordered["label"],
                mode="markers",
                marker={"color": PALETTE[0], "size": 11},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": ordered["high"] - ordered["mean"],
                    "arrayminus": ordered["mean"] - ordered["low"],
                    "color": PALETTE[0],
                },
                hovertemplate="%{y}: %{x:.2f}<extra></extra>",
            )
        )
        fig.update_layout(
            title=q.short or q.header,
            height=max(280, 80 + 48 * len(table)),
            xaxis={"title": f"keskiarvo ({low}–{high}) ja 95 %:n luottamusväli", "range": [low - 0.1, high + 0.1]},
            yaxis={"automargin": True},
            margin={"l": 10},
        )  # fmt: skip
        fig = self._note(fig, self.n)
        data = pd.DataFrame(
            {
                "Rivi": table["label"],
                "n": [self._count(n) for n in table["n"]],
                "Keskiarvo": [
                    shown_value(float(m), DECIMALS) if s else f"alle {self.threshold} vastausta"
                    for m, s in zip(table["mean"], table["shown"], strict=True)
                ],
                "95 %:n luottamusväli": [
                    fi_interval(lo, hi, DECIMALS) if s else "–"
                    for lo, hi, s in zip(table["low"], table["high"], table["shown"], strict=True)
                ],
            }
        )
        best = shown.loc[shown["mean"].idxmax()]
        worst = shown.loc[shown["mean"].idxmin()]
        summary = (
            f"Korkein keskiarvo: {best['label']} ({fi_number(best['mean'], DECIMALS)}), "
            f"matalin: {worst['label']} ({fi_number(worst['mean'], DECIMALS)}) "
            f"asteikolla {low}–{high}."
        )
        return FigureBlock(
            fig, q.short or q.header, summary, data, f"{_slug(q.id)}-keskiarvot",
            numeric=("n", "Keskiarvo"), n=self.n, date=self.data_date(),
            decimals={"n": 0, "Keskiarvo": DECIMALS},
        )  # fmt: skip

    def municipality_table(self, q: Question) -> TableBlock | Hidden:
        grouping = next((g for g in self.groupings if g.question == q.id), None)
        if grouping is None:
            subregions = dict(
                zip(
                    self.data.region.subregions["subregion_code"],
                    self.data.region.subregions["subregion"],
                    strict=True,
                )
            )
            counts = [int((self.frame["subregion"] == s).sum()) for s in subregions]
            hide = hidden_groups(counts, self.threshold, total_known=True, unpublished=())
            rows = list(zip(subregions.values(), counts, hide, strict=True))
        else:
            rows = [
                (label, grouping.counts[m], m in grouping.hidden)
                for m, label in grouping.labels.items()
            ]
        frame = pd.DataFrame(
            {
                "Seutukunta": [r[0] for r in rows],
                "Vastaajia": [
                    self._hidden_count(r[1] < self.threshold) if r[2] else r[1] for r in rows
                ],
            }
        )
        return TableBlock(
            frame,
            f"{q.short or q.header}: vastaajat seutukunnittain",
            f"{_slug(q.id)}-seutukunnat",
            numeric=("Vastaajia",),
            n=self.n,
            date=self.data_date(),
        )

    # --- importance and state ---

    @cached_property
    def items(self) -> pd.DataFrame | None:
        """The importance–state table of the questionnaire's pair (None: no pair declared)."""
        return sq.importance_state(self.frame, self.questionnaire, self.threshold)

    def importance_state(self) -> Iterator[object]:
        """The pair's chart and ranked table, as the default survey's page shows its items."""
        from tilannekuva.pages.survey import ipa_block, priorities_block

        table = self.items
        if self.too_few or table is None:
            return
        pair = self.questionnaire.importance_state
        assert pair is not None
        importance = self.questionnaire.question(pair.importance)
        state = self.questionnaire.question(pair.state)
        low, high = self.questionnaire.scale_range(importance.scale or "")
        yield HTML(
            f"<p>Tärkeys: <i>{html.escape(importance.header)}</i> Toteutuminen: "
            f"<i>{html.escape(state.header)}</i> Kunkin rivin tärkeys, toteutuminen ja niiden "
            "ero lasketaan samoilta vastaajilta, jotka vastasivat molempiin; rivi, jolla "
            f"heitä on alle {self.threshold}, on piilotettu.</p>"
        )
        if table["suppressed"].all():
            yield Hidden(
                f"Yhdenkään rivin lukuja ei voi näyttää: molempiin vastanneita on alle "
                f"{self.threshold}."
            )
            return
        yield ipa_block(
            table,
            title=f"Tärkeys ja toteutuminen: {self.title}",
            caption=f"Tärkeys ja toteutuminen: {self.title} (keskiarvot asteikolla "
            f"{low}–{high} samoilta vastaajilta)",
            n=self.n,
            date=self.data_date(),
            source=self.title,
            scale=(low, high),
        )
        yield priorities_block(
            table, threshold=self.threshold, top=TOP, n=self.n, date=self.data_date()
        )

    # --- open answers ---

    @cached_property
    def excluded_quotes(self) -> set[str]:
        path = self.data.settings.quote_exclusions_file
        if not path.exists():
            return set()
        return set((load_yaml(path, "quote exclusion list") or {}).get("excluded", []) or [])

    @property
    def quote_grouping(self) -> sq.Grouping | None:
        return next(
            (g for g in self.groupings if self.questionnaire.question(g.question).type == "single"),
            None,
        )

    def open_answers(self, q: Question) -> object:
        book = text.load_themes(self.data.layout)
        grouping = self.quote_grouping
        result = text.analyse(self.frame, book, q.id, group=grouping.column if grouping else None)
        if result.total < self.threshold:
            return Hidden(f"Avoimia vastauksia on alle {self.threshold}, joten niitä ei näytetä.")
        counts = result.counts[result.counts["n"] > 0].copy()
        counts["suppressed"] = [n < self.threshold for n in counts["n"]]
        frame = pd.DataFrame(
            {
                "Teema": counts["label"],
                "Vastauksia": [
                    f"<{self.threshold}" if s else int(n)
                    for n, s in zip(counts["n"], counts["suppressed"], strict=True)
                ],
                "Osuus vastauksista, %": [
                    "–" if s else round(float(v) * 100, 1)
                    for v, s in zip(counts["share"], counts["suppressed"], strict=True)
                ],
            }
        )
        allowed = sq.quote_groups(grouping, self.n, self.threshold)
        answers = result.answers
        keep = ~answers["text"].map(quote_hash).isin(self.excluded_quotes)
        if allowed is not None:
            keep &= answers[grouping.column].isin(allowed)
        publishable = text.ThemeResult(answers[keep], result.counts, 0, 0)
        parts = [
            f"<p>Avoimia vastauksia: <b>{fi_number(result.total)}</b>. Teemasanastoon "
            f"osumattomia: <b>{fi_percent(result.unmatched_share)}</b>.</p>"
        ]
        for r in counts.itertuples():
            if r.suppressed:
                continue
            quotes = text.representative_quotes(publishable, r.theme, QUOTES_PER_THEME)
            if quotes:
                items = "".join(f"<li>”{_escape(quote)}”</li>" for quote in quotes)
                parts.append(f"<h4>{html.escape(r.label)}</h4><ul>{items}</ul>")
        unmatched = publishable.answers[[not found for found in publishable.answers["themes"]]]
        if len(unmatched):
            chosen = unmatched.assign(length=unmatched["text"].str.len())
            chosen = chosen.drop_duplicates("text").sort_values(["length", "text"]).head(3)
            items = "".join(f"<li>”{_escape(quote)}”</li>" for quote in chosen["text"])
            parts.append(f"<h4>Muita vastauksia</h4><ul>{items}</ul>")
        parts.append(
            f"<p><i>Lainaukset on poimittu vain vähintään {self.threshold} vastaajan ryhmistä, "
            "henkilötiedot on poistettu automaattisesti, ja analyytikko tarkistaa lainaukset "
            "ennen julkaisua.</i></p>"
        )
        if frame.empty:
            return HTML("".join(parts))
        table = TableBlock(
            frame,
            f"{q.short or q.header}: teemat",
            f"{_slug(q.id)}-teemat",
            numeric=("Vastauksia", "Osuus vastauksista, %"),
            n=result.total,
            date=self.data_date(),
        )
        return _Both(table, HTML("".join(parts)))

    # --- groups and rounds ---

    def group_sections(self) -> Iterator[object]:
        """Per grouping question: respondents per group, then means per group beside the tests."""
        if self.too_few:
            return
        if not self.groupings:
            # The reader's words; the analyst guide tells how to mark one (group: true).
            yield HTML(
                "<p>Kyselyssä ei ole taustakysymyksiä, joiden mukaan vastauksia "
                "verrattaisiin ryhmittäin.</p>"
            )
            return
        for grouping in self.groupings:
            yield HTML(f"<h3>{html.escape(grouping.name)}</h3>")
            yield self.group_table(grouping)

    def group_table(self, grouping: sq.Grouping) -> TableBlock | Hidden:
        shown = grouping.shown_members()
        if len(shown) < 2:
            return Hidden(
                f"Ryhmiä, joissa on vähintään {self.threshold} vastaajaa, on alle kaksi, "
                "joten ryhmiä ei verrata."
            )
        means, tests = sq.group_comparison(self.frame, grouping, self.columns, self.threshold)
        rows = []
        for c in self.columns:
            row = {"Kysymys": c.label}
            for member in shown:
                cell = means[(means["column"] == c.column) & (means["group"] == member)].iloc[0]
                row[grouping.labels[member]] = (
                    round(float(cell["mean"]), DECIMALS) if cell["n"] >= self.threshold else "–"
                )
            test = tests[tests["column"] == c.column]
            differs = bool(test["differs"].iloc[0]) if len(test) else False
            row["Ero ryhmien välillä"] = (
                f"ero on sattumaa suurempi (p = {fi_p_value(float(test['p_adjusted'].iloc[0]))})"
                if differs
                else "ei sattumaa suurempaa eroa"
            )
            rows.append(row)
        hidden = [grouping.labels[m] for m in grouping.labels if m in grouping.hidden]
        caption = f"Keskiarvot ryhmittäin: {grouping.name}"
        if hidden:
            caption += f" (piilotettu tietosuojan vuoksi: {', '.join(hidden)})"
        frame = pd.DataFrame(rows)
        counts = {grouping.labels[m]: grouping.counts[m] for m in shown}
        frame.loc[len(frame)] = {
            "Kysymys": "Vastaajia",
            **counts,
            "Ero ryhmien välillä": "",
        }
        return TableBlock(
            frame,
            caption,
            f"ryhmat-{_slug(grouping.question)}",
            numeric=tuple(grouping.labels[m] for m in shown),
            n=self.n,
            date=self.data_date(),
        )

    def round_table(self) -> TableBlock | HTML:
        if len(self.rounds) < 2:
            return HTML("<p>Kyselystä on yksi kierros; vertailu edelliseen kierrokseen tulee, "
                        "kun seuraava kierros on tallennettu.</p>")  # fmt: skip
        rows = []
        for c in self.columns:
            row = {"Kysymys": c.label}
            for label in self.rounds:
                part = self.answers[self.answers["round"] == label]
                s = sq.scale_summary(part, [c], self.threshold).iloc[0]
                row[label] = round(float(s["mean"]), DECIMALS) if s["shown"] else "–"
            rows.append(row)
        return TableBlock(
            pd.DataFrame(rows),
            "Keskiarvot kierroksittain",
            "kierrokset",
            numeric=tuple(self.rounds),
            n=len(self.answers),
            date=self.data_date(),
        )

    def evidence(self) -> TableBlock | HTML:
        """The items and goals this survey speaks to (``about:``), with their results."""
        from tilannekuva.analysis.evidence import SurveyAnswers, evidence_rows
        from tilannekuva.survey.catalog import about_ids

        rows = evidence_rows(
            [SurveyAnswers(self.survey, self.questionnaire, self.answers)], self.threshold
        )
        if rows.empty:
            return HTML(
                # The analyst guide tells how to link a question (about: [...]).
                "<p>Kyselyn kysymyksiä ei ole liitetty yhteistyöasioihin tai tavoitteisiin.</p>"
            )
        names = about_ids(self.data.layout)
        frame = pd.DataFrame(
            {
                "Yhteistyöasia tai tavoite": [names.get(i, i) for i in rows["item"]],
                "Kysymys": rows["question"],
                "Kierros": rows["round"],
                "n": [self._count(n) for n in rows["n"]],
                # A mean, or for a pair's row (its question says so) the gap.
                "Tulos": [
                    shown_value(float(r), DECIMALS) if s else "–"
                    for r, s in zip(rows["result"], rows["shown"], strict=True)
                ],
            }
        )
        return TableBlock(
            frame, "Tulokset yhteistyöasioista ja tavoitteista", "yhteistyoasiat",
            numeric=("n", "Tulos"), n=self.n, date=self.data_date(),
            decimals={"n": 0, "Tulos": DECIMALS},
        )  # fmt: skip


class _Both:
    """Two displays shown one after the other from one cell."""

    def __init__(self, first: object, second: object):
        self.parts = (first, second)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        for part in self.parts:
            display(part)


def _escape(value: str) -> str:
    return html.escape(value).replace("\n", "<br>")
