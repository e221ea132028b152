"""Open answers: Finnish lemmatisation and the analysts' theme dictionary.

Tokens are lemmatised with simplemma (Finnish). A theme term matches a token
when the lemma equals the term, when the lemma contains the term as a
compound head (``järjestöavustus`` ends with ``avustus``; terms of at least
four letters), or, for terms of at least six letters, when the lemma or the
token begins with the term — simplemma leaves some inflected compounds
half-lemmatised (``hyvinvointialueen`` → ``hyvinvointi``). Short prefixes are
not used: ``tila`` must not match ``tilanne``. Phrases match the lower-cased text. Negation is left alone:
a negated mention still counts as a mention of the theme.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import simplemma
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tilannekuva.errors import ConfigError
from tilannekuva.paths import PROJECT_DATA, DataLayout
from tilannekuva.questionnaire import Questionnaire, load_questionnaire
from tilannekuva.yamlfile import UniqueKeyLoader, load_yaml

THEMES_FILE = "config/themes.yaml"
WORD = re.compile(r"[a-zåäöéü]+(?:-[a-zåäöéü]+)*", re.I)
MIN_PART = 4
MIN_PREFIX = 6
ITEM_ROW_SET = "items"  # the questionnaire's row set of cooperation items


class Theme(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    terms: list[str] = Field(min_length=1)
    phrases: list[str] = Field(default_factory=list)
    items: list[str] = Field(default_factory=list)


class ThemeBook(BaseModel):
    model_config = ConfigDict(extra="forbid")

    themes: dict[str, Theme]


def load_themes(
    layout: DataLayout | None = None, questionnaire: Questionnaire | None = None
) -> ThemeBook:
    """The theme dictionary of ``layout`` (default: the project's), its items checked.

    Every id under a theme's ``items`` must be an item of ``questionnaire`` (default: the
    layout's own), else the page would publish the raw id; a ConfigError names the line.
    """
    layout = layout or DataLayout.at(PROJECT_DATA)
    path = layout.config_file(THEMES_FILE)
    raw = load_yaml(path, "theme dictionary")
    try:
        book = ThemeBook.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(
            "\n".join(
                f"{path}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
        ) from exc
    questionnaire = questionnaire or load_questionnaire(layout=layout)
    known = [row.id for row in questionnaire.row_sets.get(ITEM_ROW_SET, [])]
    problems = [
        f"{path}: line {line}: theme '{theme_id}': unknown item '{item}'{_suggestion(item, known)}"
        for theme_id, item, line in _item_references(path)
        if item not in known
    ]
    if problems:
        raise ConfigError("\n".join(problems))
    return book


def _item_references(path: Path) -> list[tuple[str, str, int]]:
    """(theme id, item id, 1-based line) of every ``items:`` entry, in file order."""
    # The file parsed already; composing it again gives the line marks pydantic lacks.
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=UniqueKeyLoader)
    themes = _mapping_value(root, "themes")
    if not isinstance(themes, yaml.MappingNode):
        return []
    out = []
    for theme_key, theme_node in themes.value:
        items = _mapping_value(theme_node, "items")
        if isinstance(items, yaml.SequenceNode):
            out.extend(
                (str(theme_key.value), str(node.value), node.start_mark.line + 1)
                for node in items.value
            )
    return out


def _mapping_value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for k, value in node.value if k.value == key), None)


def _suggestion(item: str, known: list[str]) -> str:
    close = difflib.get_close_matches(item, known, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (expected one of: {', '.join(known) or 'none'})"


@lru_cache(maxsize=20000)
def lemma(token: str) -> str:
    return simplemma.lemmatize(token.lower(), lang="fi").lower()


def tokens(text: str) -> list[str]:
    return [t.lower() for t in WORD.findall(text or "")]


def _term_matches(term: str, token: str) -> bool:
    base = lemma(token)
    term = term.lower()
    if base == term:
        return True
    # Finnish compounds put the head last: "kokoontumistila" is a kind of "tila".
    if len(term) >= MIN_PART and base.endswith(term):
        return True
    # A long term as the first part, or a half-lemmatised inflected compound.
    return len(term) >= MIN_PREFIX and (base.startswith(term) or token.startswith(term))


def themes_of(text: str, book: ThemeBook) -> list[str]:
    """The theme ids an answer speaks to, in dictionary order."""
    words = tokens(text)
    lowered = (text or "").lower()
    found = []
    for theme_id, theme in book.themes.items():
        if any(p.lower() in lowered for p in theme.phrases) or any(
            _term_matches(term, word) for term in theme.terms for word in words
        ):
            found.append(theme_id)
    return found


@dataclass
class ThemeResult:
    answers: pd.DataFrame  # respondent, group, text, themes (list)
    counts: pd.DataFrame  # theme, label, n (answers mentioning it), share, items
    unmatched_share: float
    total: int


def analyse(
    survey: pd.DataFrame, book: ThemeBook, column: str = "open_priority", group: str | None = None
) -> ThemeResult:
    answers = survey[["respondent", column] + ([group] if group else [])].dropna(subset=[column])
    answers = answers.rename(columns={column: "text"})
    answers["themes"] = [themes_of(t, book) for t in answers["text"]]
    total = len(answers)
    rows = []
    for theme_id, theme in book.themes.items():
        n = int(sum(theme_id in found for found in answers["themes"]))
        rows.append(
            {
                "theme": theme_id,
                "label": theme.label,
                "n": n,
                "share": n / total if total else float("nan"),
                "items": theme.items,
            }
        )
    counts = pd.DataFrame(rows).sort_values(
        ["n", "theme"], ascending=[False, True], ignore_index=True
    )
    unmatched = (
        float(sum(not found for found in answers["themes"]) / total) if total else float("nan")
    )
    return ThemeResult(answers.reset_index(drop=True), counts, unmatched, total)


def counts_by_group(result: ThemeResult, group: str) -> pd.DataFrame:
    """theme, group, n (answers of the group mentioning it), n_answers (answers in the group)."""
    rows = []
    for value, part in result.answers.groupby(group):
        for theme in result.counts["theme"]:
            rows.append(
                {
                    "theme": theme,
                    "group": value,
                    "n": int(sum(theme in found for found in part["themes"])),
                    "n_answers": len(part),
                }
            )
    return pd.DataFrame(rows)


def representative_quotes(result: ThemeResult, theme: str, limit: int = 3) -> list[str]:
    """Deterministic choice: answers matching the fewest other themes, then shortest, then text."""
    chosen = result.answers[[theme in found for found in result.answers["themes"]]].copy()
    chosen["focus"] = [len(found) for found in chosen["themes"]]
    chosen["length"] = chosen["text"].str.len()
    chosen = chosen.drop_duplicates("text").sort_values(["focus", "length", "text"])
    return chosen["text"].head(limit).tolist()
