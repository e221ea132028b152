"""Survey scopes and what the privacy layer lets each of them show.

A *scope* is the whole region or one member of a published partition of the
respondents: a sub-region (``subregion``), a municipality
(``municipality_code``, the cards), a respondent group (``org_type``) or a
field of activity (``field``, in the group comparisons). The partitions are
linked (a sub-region is the sum of its municipalities; the region is the sum
of the sub-regions plus the answers given for the whole region), so which
scopes and figures are hidden is decided for all of them at once, per
measure, by :mod:`tilannekuva.privacy.disclosure`:

- ``respondents``: who answered at all (a scope's n);
- ``pairs:<item>``: who answered both importance and state of an item (the
  n of its importance, state and gap figures);
- ``answers:<column>``: who answered one scale column (a goal, or a column in
  the group and round comparisons).

A scope hidden on the respondent level shows nothing; otherwise each figure
is shown only when its own measure does not hide it. :class:`SurveyRound`
holds one round's respondents and computes each decision once.

Hidden reasons: ``small`` (fewer respondents than the threshold), ``protects``
(hidden so that a smaller group's figures cannot be derived), ``unpublished``
(never shown, e.g. the answers given for the whole region).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from tilannekuva.analysis import goals, ipa
from tilannekuva.analysis.priorities import TOP, mark_priorities
from tilannekuva.privacy.disclosure import REGION, Cell, Reason, Relation, protect
from tilannekuva.questionnaire import Questionnaire
from tilannekuva.region import Region
from tilannekuva.settings import Settings

# Published partitions of the respondents, and the questionnaire question behind each.
PARTITIONS = ("subregion", "municipality_code", "org_type", "field")
WHOLE_REGION: Cell = ("whole-region", "")  # answers given for the whole region: never shown alone


def _missing(dimension: str) -> Cell:
    return (f"{dimension}-missing", "")


@dataclass(frozen=True)
class Scope:
    """The region (``dimension`` None) or one member of a partition."""

    dimension: str | None = None
    member: str | None = None

    @property
    def cell(self) -> Cell:
        if self.dimension is None:
            return REGION
        return (self.dimension, str(self.member))


REGION_SCOPE = Scope()


class SurveyRound:
    """One round's respondents in a region, with every privacy decision made once.

    ``frame``: the round's rows of the processed survey table (columns as in
    :mod:`tilannekuva.survey.schema`; ``subregion`` and ``municipality_code``
    normalised, whole-region answers with no sub-region).
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        questionnaire: Questionnaire,
        region: Region,
        threshold: int,
        top: int = TOP,
    ):
        self.frame = frame
        self.questionnaire = questionnaire
        self.region = region
        self.threshold = threshold
        self.top = top
        self._hidden: dict[str, dict[Cell, Reason]] = {}
        self._items: dict[Scope, pd.DataFrame] = {}

    # --- the linked partitions ---

    def members(self, dimension: str) -> list[str]:
        if dimension == "subregion":
            return self.region.subregions["subregion_code"].tolist()
        if dimension == "municipality_code":
            return self.region.municipalities["code"].tolist()
        return [o.id for o in self.questionnaire.question(dimension).options]

    @cached_property
    def relations(self) -> list[Relation]:
        towns = self.region.municipalities
        relations = [
            Relation(
                REGION,
                (*(("subregion", s) for s in self.members("subregion")), WHOLE_REGION),
            )
        ]
        for code, part in towns.groupby("subregion_code", sort=True):
            relations.append(
                Relation(
                    ("subregion", str(code)),
                    tuple(("municipality_code", c) for c in part["code"]),
                )
            )
        for dimension in ("org_type", "field"):
            if dimension in self.frame.columns:
                relations.append(
                    Relation(
                        REGION,
                        (*((dimension, m) for m in self.members(dimension)), _missing(dimension)),
                    )
                )
        return relations

    @cached_property
    def unpublished(self) -> list[Cell]:
        return [WHOLE_REGION, *(_missing(d) for d in ("org_type", "field"))]

    def counts(self, answered: pd.Series) -> dict[Cell, int]:
        """Every cell's count among the rows where ``answered`` is true."""
        rows = self.frame[answered.to_numpy()]
        out: dict[Cell, int] = {REGION: len(rows)}
        in_region = rows["subregion"].notna()
        out[WHOLE_REGION] = int((~in_region).sum())
        for dimension in PARTITIONS:
            if dimension not in rows.columns:
                continue
            values = (
                rows.loc[in_region, dimension]
                if dimension == "municipality_code"
                else rows[dimension]
            )
            for member, n in values.value_counts().items():
                out[(dimension, str(member))] = int(n)
            if dimension in ("org_type", "field"):
                out[_missing(dimension)] = int(rows[dimension].isna().sum())
        return out

    def _answered(self, measure: str) -> pd.Series:
        if measure == "respondents":
            return pd.Series(True, index=self.frame.index)
        kind, _, name = measure.partition(":")
        if kind == "pairs":
            importance, state = self.questionnaire.pair_columns(name)
            return self.frame[importance].notna() & self.frame[state].notna()
        if kind == "answers":
            return self.frame[name].notna()
        raise KeyError(measure)

    def hidden(self, measure: str = "respondents") -> dict[Cell, Reason]:
        """The hidden cells of ``measure`` with their reasons (computed once)."""
        if measure not in self._hidden:
            counts = self.counts(self._answered(measure))
            self._hidden[measure] = protect(
                counts, self.relations, self.threshold, self.unpublished
            )
        return self._hidden[measure]

    # --- one scope ---

    def scope_frame(self, scope: Scope) -> pd.DataFrame:
        if scope.dimension is None:
            return self.frame
        return self.frame[self.frame[scope.dimension].astype("string") == scope.member]

    def n(self, scope: Scope) -> int:
        return len(self.scope_frame(scope))

    def hidden_reason(self, scope: Scope) -> Reason | None:
        """Why the whole scope is hidden (None: it is shown)."""
        return self.hidden("respondents").get(scope.cell)

    def hides(self, scope: Scope, measure: str) -> bool:
        """Whether a figure of ``measure`` in ``scope`` is hidden."""
        return self.hidden_reason(scope) is not None or scope.cell in self.hidden(measure)

    def items(self, scope: Scope = REGION_SCOPE) -> pd.DataFrame:
        """The item table of ``scope`` (see :func:`tilannekuva.analysis.ipa.item_summary`),
        hidden items' figures NA, with the ``priority`` column
        (:mod:`tilannekuva.analysis.priorities`)."""
        if scope not in self._items:
            hidden = {
                item.id
                for item in ipa.items(self.questionnaire)
                if self.hides(scope, f"pairs:{item.id}")
            }
            table = ipa.item_summary(self.scope_frame(scope), self.questionnaire, hidden)
            self._items[scope] = mark_priorities(table, self.top)
        return self._items[scope].copy()

    def goal_distribution(self, scope: Scope = REGION_SCOPE) -> pd.DataFrame:
        """:func:`tilannekuva.analysis.goals.distribution` with hidden goals' shares and counts NA
        and a ``suppressed`` column."""
        table = goals.distribution(self.scope_frame(scope), self.questionnaire)
        hidden = {g for g in table["goal"].unique() if self.hides(scope, f"answers:{g}")}
        table["suppressed"] = table["goal"].isin(hidden)
        for column in ("share", "count", "n", "n_missing"):
            table[column] = table[column].astype("Float64").mask(table["suppressed"])
        return table

    def goal_means(self, scope: Scope = REGION_SCOPE) -> pd.DataFrame:
        """:func:`tilannekuva.analysis.goals.goal_means` with hidden goals' figures NA
        and a ``suppressed`` column."""
        table = goals.goal_means(self.scope_frame(scope), self.questionnaire)
        table["suppressed"] = [self.hides(scope, f"answers:{g}") for g in table["goal"]]
        for column in ("mean", "low", "high", "n"):
            table[column] = table[column].astype("Float64").mask(table["suppressed"])
        return table

    def group_means(self, dimension: str, column: str) -> pd.DataFrame:
        """Per member of ``dimension``: n and mean of ``column``, hidden members NA.

        Columns: group, n, mean, suppressed, reason.
        """
        hidden = self.hidden(f"answers:{column}")
        respondents = self.hidden("respondents")
        rows = []
        for member in self.members(dimension):
            part = self.frame[self.frame[dimension].astype("string") == member]
            values = pd.to_numeric(part[column], errors="coerce").dropna()
            cell = (dimension, member)
            reason = respondents.get(cell) or hidden.get(cell)
            rows.append(
                {
                    "group": member,
                    "n": pd.NA if reason else int(values.size),
                    "mean": pd.NA if reason else float(values.mean()),
                    "suppressed": reason is not None,
                    "reason": reason,
                }
            )
        return pd.DataFrame(rows, columns=["group", "n", "mean", "suppressed", "reason"])


def latest_round(survey: pd.DataFrame, settings: Settings) -> SurveyRound:
    """The latest round of the processed survey table, under ``settings``' rules."""
    from tilannekuva.analysis.rounds import ordered_rounds

    label = ordered_rounds(survey)[-1]
    frame = survey[survey["round"] == label].reset_index(drop=True)
    return SurveyRound(frame, settings.questionnaire, settings.region, settings.min_group_size)
