"""Yleiskuva (00_yleiskuva): the landing page's figures.

Register counts of associations are public facts and are shown as they are;
every figure from survey answers passes through the privacy layer.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from tilannekuva.charts import PALETTE, source_note
from tilannekuva.formats import fi_number
from tilannekuva.pages.common import PageData
from tilannekuva.privacy.suppress import suppress_groups
from tilannekuva.questionnaire import load_questionnaire
from tilannekuva.region import municipalities

SUPPRESSED_LABEL = "<5"


def active_associations(assoc: pd.DataFrame) -> pd.DataFrame:
    return assoc[assoc["ended"].isna()]


def associations_by_municipality(data: PageData) -> pd.DataFrame:
    """Active associations per municipality: municipality_code, municipality, n (all 22 listed)."""
    active = active_associations(data.associations)
    counts = active.groupby("municipality_code").size().rename("n")
    table = municipalities()[["code", "name"]].rename(
        columns={"code": "municipality_code", "name": "municipality"}
    )
    table = table.merge(counts, left_on="municipality_code", right_index=True, how="left")
    table["n"] = table["n"].fillna(0).astype(int)
    return table.sort_values("n", ascending=False, ignore_index=True)


def associations_chart(data: PageData) -> go.Figure:
    table = associations_by_municipality(data).sort_values("n")
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
    return source_note(
        fig, int(table["n"].sum()), data.data_date("associations"), "yhdistysrekisteri"
    )


def respondents_by_group(data: PageData, question: str = "org_type") -> pd.DataFrame:
    """Respondents per group of a background question, small groups suppressed.

    Columns: group (option id), label, n (nullable: NA when suppressed), suppressed.
    """
    questionnaire = load_questionnaire(layout=data.layout)
    options = questionnaire.question(question).options
    counts = data.survey[question].value_counts()
    frame = pd.DataFrame(
        {
            "group": [o.id for o in options],
            "label": [o.display for o in options],
            "n": [int(counts.get(o.id, 0)) for o in options],
        }
    )
    return suppress_groups(frame, n_col="n", value_cols=[], total_known=True)


def respondents_chart(data: PageData, question: str = "org_type") -> go.Figure:
    table = respondents_by_group(data, question)
    shown = table["n"].where(~table["suppressed"])
    labels = [
        SUPPRESSED_LABEL if s else fi_number(v)
        for v, s in zip(shown, table["suppressed"], strict=True)
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
    title = load_questionnaire(layout=data.layout).question(question).short or question
    fig.update_layout(
        title=f"Vastaajat: {title.lower()}",
        height=360,
        xaxis_title="vastaajia",
        yaxis_title=None,
        margin={"l": 220},
    )
    return source_note(fig, len(data.survey), data.data_date("survey"), "kysely")


def headline(data: PageData) -> pd.DataFrame:
    """Headline figures as a small table of Finnish strings."""
    active = active_associations(data.associations)
    rows = [
        ("Rekisteröityjä yhdistyksiä alueella", fi_number(len(active))),
        ("Kyselyn vastaajia", fi_number(len(data.survey))),
        ("Kyselykierroksia", fi_number(data.survey["round"].nunique())),
    ]
    return pd.DataFrame(rows, columns=["Tunnusluku", "Arvo"])
