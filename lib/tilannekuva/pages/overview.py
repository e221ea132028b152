"""Yleiskuva (00_yleiskuva): the landing page.

Five key messages derived from the data (:mod:`tilannekuva.knowledge.messages`),
the headline figures with their change since the previous build, what changed,
the charts of associations and respondents, and the data sources with dates.

Register counts of associations are public facts and are shown as they are;
every figure from survey answers passes through the privacy layer.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML

from tilannekuva.analysis.scopes import Scope
from tilannekuva.charts import PALETTE, source_note
from tilannekuva.formats import fi_date, fi_number
from tilannekuva.knowledge.base import load_knowledge_base
from tilannekuva.knowledge.comparison import load_comparison
from tilannekuva.knowledge.messages import key_messages
from tilannekuva.knowledge.snapshots import Changes
from tilannekuva.pages.common import PageData
from tilannekuva.pages.present import HIDDEN_MARKER, FigureBlock, TableBlock
from tilannekuva.registry.view import field_view


def active_associations(assoc: pd.DataFrame) -> pd.DataFrame:
    """Active associations of the source that pictures the field (extract before YTJ)."""
    view = field_view(assoc)[0]
    return view[view["ended"].isna()]


def associations_by_municipality(data: PageData) -> pd.DataFrame:
    """Active associations per municipality: municipality_code, municipality, n (all 22 listed)."""
    active = active_associations(data.associations)
    counts = active.groupby("municipality_code").size().rename("n")
    table = data.region.municipalities[["code", "name"]].rename(
        columns={"code": "municipality_code", "name": "municipality"}
    )
    table = table.merge(counts, left_on="municipality_code", right_index=True, how="left")
    table["n"] = table["n"].fillna(0).astype(int)
    return table.sort_values("n", ascending=False, ignore_index=True)


def associations_chart(data: PageData) -> FigureBlock:
    by_municipality = associations_by_municipality(data)
    table = by_municipality.sort_values("n")
    fig = go.Figure(
        go.Bar(
            x=table["n"],
            y=table["municipality"],
            orientation="h",
            marker_color=PALETTE[0],
            text=[fi_number(v) for v in table["n"]],
            textposition="outside",
            hovertemplate="%{y}: %{x} yhdistystä<extra></extra>",
        )
    )
    fig.update_layout(
        title="Rekisteröidyt yhdistykset kunnittain",
        height=620,
        xaxis_title="yhdistyksiä",
        yaxis_title=None,
        margin={"l": 110},
    )
    total = int(table["n"].sum())
    fig = source_note(fig, total, data.data_date("associations"), "yhdistysrekisteri")
    largest = by_municipality.iloc[0]
    return FigureBlock(
        fig,
        caption=f"Rekisteröidyt, toiminnassa olevat yhdistykset kunnittain: {data.region.name}",
        summary=(
            f"Yhdistyksiä on yhteensä {fi_number(total)} {len(by_municipality)} kunnassa; "
            f"eniten {largest['municipality']} ({fi_number(int(largest['n']))}), "
            f"vähiten {by_municipality.iloc[-1]['municipality']} "
            f"({fi_number(int(by_municipality.iloc[-1]['n']))})."
        ),
        data=by_municipality.rename(columns={"municipality": "Kunta", "n": "Yhdistyksiä"})[
            ["Kunta", "Yhdistyksiä"]
        ],
        slug="yhdistykset-kunnittain",
        numeric=("Yhdistyksiä",),
        n=total,
        date=data.data_date("associations"),
    )


def respondents_by_group(data: PageData, question: str = "org_type") -> pd.DataFrame:
    """Respondents of the latest round per group of a background question, hidden groups NA.

    Columns: group (option id), label, n (nullable: NA when hidden), suppressed,
    reason (``small`` / ``protects`` / None; see :mod:`tilannekuva.analysis.scopes`).
    """
    survey_round = data.survey_round()
    hidden = survey_round.hidden("respondents")
    options = data.questionnaire.question(question).options
    counts = survey_round.frame[question].value_counts()
    reasons = [hidden.get((question, o.id)) for o in options]
    return pd.DataFrame(
        {
            "group": [o.id for o in options],
            "label": [o.display for o in options],
            "n": pd.array(
                [
                    pd.NA if r else int(counts.get(o.id, 0))
                    for o, r in zip(options, reasons, strict=True)
                ],
                dtype="Int64",
            ),
            "suppressed": [r is not None for r in reasons],
            "reason": reasons,
        }
    )


def respondents_chart(data: PageData, question: str = "org_type") -> FigureBlock:
    table = respondents_by_group(data, question)
    shown = table["n"].astype("Float64")
    labels = [
        (f"alle {data.threshold}" if r == "small" else "piilotettu") if s else fi_number(v)
        for v, s, r in zip(shown, table["suppressed"], table["reason"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=shown.fillna(0).astype(float),
            y=table["label"],
            orientation="h",
            marker_color=PALETTE[1],
            text=labels,
            textposition="outside",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    title = data.questionnaire.question(question).short or question
    fig.update_layout(
        title=f"Vastaajat: {title.lower()}",
        height=360,
        xaxis_title="vastaajia",
        yaxis_title=None,
        margin={"l": 220},
    )
    total = data.survey_round().n(Scope())
    fig = source_note(fig, total, data.data_date("survey"), "kysely")
    hidden = int(table["suppressed"].sum())
    summary = f"Kyselyyn vastasi {fi_number(total)} toimijaa. " + "; ".join(
        f"{label} {text}"
        for label, text, s in zip(table["label"], labels, table["suppressed"], strict=True)
        if not s
    )
    if hidden:
        summary += ". " + (
            "Yhden ryhmän luku on piilotettu (tietosuoja)."
            if hidden == 1
            else f"{hidden} ryhmän luvut on piilotettu (tietosuoja)."
        )
    else:
        summary += "."
    return FigureBlock(
        fig,
        caption=f"Kyselyyn vastanneet: {title.lower()} (viimeisin kierros)",
        summary=summary,
        data=pd.DataFrame(
            {
                "Ryhmä": table["label"],
                "Vastaajia": [
                    HIDDEN_MARKER if s else int(v)
                    for v, s in zip(table["n"], table["suppressed"], strict=True)
                ],
            }
        ),
        slug=f"vastaajat-{question.replace('_', '-')}",
        numeric=("Vastaajia",),
        n=total,
        date=data.data_date("survey"),
    )


def changes(data: PageData) -> Changes:
    """What changed since the previous build (prepared once by the build)."""
    return load_comparison(data.layout).changes


def messages(data: PageData, n: int = 5) -> HTML:
    """The key messages, each linking to the chart, table row or entry behind it."""
    survey_round = data.survey_round()
    ipa = None
    if survey_round.hidden_reason(Scope()) is None:
        table = survey_round.items()
        ipa = table[~table["suppressed"]]
    chosen = key_messages(
        ipa,
        changes(data),
        load_knowledge_base(data.layout),
        n,
        min_n=data.threshold,
        theme_labels=_theme_labels(data),
        survey_results=_survey_results(data),
    )
    if not chosen:
        return HTML("<p>Aineistosta ei nouse esiin nostoja: kyselyn vastauksia on liian vähän.</p>")
    items = "".join(
        f'<li class="tk-message"><a href="{html.escape(m.anchor)}"><b>{html.escape(m.title)}</b></a>'
        f"<br>{html.escape(m.text)}</li>"
        for m in chosen
    )
    return HTML(f'<ol class="tk-messages">{items}</ol>')


def _survey_results(data: PageData) -> list:
    """Clear results of the other surveys on an item or goal (see analysis.evidence)."""
    from tilannekuva.analysis.evidence import evidence, survey_messages
    from tilannekuva.survey.catalog import about_ids

    rows = evidence(data.layout, data.threshold, include_default=False)
    return survey_messages(rows, about_ids(data.layout))


def _theme_labels(data: PageData) -> dict[str, str]:
    from tilannekuva.analysis.text import load_themes

    return {k: t.label for k, t in load_themes(data.layout).themes.items()}


def headline(data: PageData) -> TableBlock:
    """Headline figures with the previous build's value and whether the change is real."""
    found = changes(data)
    active = active_associations(data.associations)
    rounds = len(data.survey_rounds)
    rows = [
        ("associations", "Rekisteröityjä yhdistyksiä alueella", fi_number(len(active))),
        ("respondents", "Kyselyn vastaajia (viimeisin kierros)", None),
        ("rounds", "Kyselykierroksia", fi_number(rounds)),
    ]
    current = load_comparison(data.layout).current.figures
    table = []
    for key, label, value in rows:
        figure = current.get(key)
        shown = value if value is not None else (figure.shown() if figure else "–")
        previous, verdict = "–", ""
        if not found.first_build and key in current:
            try:
                change = found.figure(key)
            except KeyError:
                change = None
            if change is not None and change.old is not None:
                previous = change.old.shown()
                verdict = {
                    "changed": "muuttunut",
                    "unchanged": "ennallaan",
                }.get(change.verdict, "")
        table.append((label, shown, previous, verdict))
    frame = pd.DataFrame(table, columns=["Tunnusluku", "Nyt", "Edellinen koonti", "Muutos"])
    return TableBlock(
        frame,
        caption="Tunnusluvut ja niiden muutos edellisestä koonnista",
        slug="tunnusluvut",
        numeric=("Nyt", "Edellinen koonti"),
        date=data.data_date("survey"),
    )


def change_summary(data: PageData) -> HTML | TableBlock:
    """What changed since the previous build: figures beyond chance, status moves, new themes."""
    found = changes(data)
    text = f"<p>{html.escape(found.summary())}</p>"
    if found.first_build:
        return HTML(text)
    labels = _theme_labels(data)
    frame = found.as_frame(load_knowledge_base(data.layout), labels)
    shown = frame[frame["verdict"] != "unchanged"]
    if shown.empty:
        return HTML(text + "<p>Ei muutoksia.</p>")
    kinds = {"figure": "Tunnusluku", "status": "Tila", "theme": "Teema"}
    table = pd.DataFrame(
        {
            "Mikä": [kinds[k] for k in shown["kind"]],
            "Kohde": shown["label"],
            "Aiemmin": shown["previous"],
            "Nyt": shown["current"],
            "Arvio": shown["verdict_label"],
        }
    )
    return TableBlock(
        table,
        caption=found.summary(),
        slug="muutokset",
        numeric=("Aiemmin", "Nyt"),
    )


def sources(data: PageData) -> TableBlock:
    """The data behind the site: source, file, date, licence."""
    from tilannekuva.site.export import SOURCE_LABELS

    rows = []
    for table in ("associations", "survey", "population"):
        for r in data.sources(table):
            rows.append(
                (
                    SOURCE_LABELS.get(r.source, "Muu aineisto"),
                    fi_date(r.retrieved),
                    r.licence or "–",
                    int(r.rows) if r.rows is not None else None,
                )
            )
    if not any(r[0] == SOURCE_LABELS["population"] for r in rows):
        rows.append(
            (
                "Väkiluvut kunnittain (Tilastokeskus, projektin viitetaulukko)",
                "vuosi 2022",
                "CC BY 4.0",
                len(data.region.municipalities),
            )
        )
    frame = pd.DataFrame(rows, columns=["Lähde", "Päiväys", "Lisenssi", "Rivejä"])
    # The date as a "number" column: kept on one line, never broken as "1.11.202 / 6".
    return TableBlock(
        frame, caption="Sivuston aineistot", slug="aineistot", numeric=("Päiväys", "Rivejä")
    )
