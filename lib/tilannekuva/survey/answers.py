"""Normalising answers: scale points, options, multiple choice, municipalities.

Each parser returns the normalised value or raises :class:`AnswerError` with
what was expected; the ingest collects those into problems with row and column.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from tilannekuva.questionnaire import Question, Questionnaire
from tilannekuva.region import (
    current,
    is_whole_region,
    normalise_municipality,
)
from tilannekuva.survey.headers import text_key as norm

TRUE_WORDS = {
    "1",
    "x",
    "y",
    "kyllä",
    "k",
    "yes",
    "true",
    "tosi",
    "valittu",
    "selected",
    "checked",
    "✓",
}
FALSE_WORDS = {"0", "n", "ei", "e", "no", "false", "epätosi", "-"}


class AnswerError(ValueError):
    """An answer that fits no accepted form; the message says what was expected."""


def is_missing(value: str | None, questionnaire: Questionnaire) -> bool:
    return value is None or norm(value) in {"", *(norm(m) for m in questionnaire.missing_labels)}


def parse_scale(value: str, labels: dict[int, str]) -> int:
    """``4 Melko tärkeä``, ``Melko tärkeä``, ``4``, ``4.0``, ``4 - Melko tärkeä`` → 4."""
    key = norm(value)
    by_label = {norm(label): point for point, label in labels.items()}
    if key in by_label:
        return by_label[key]
    match = re.fullmatch(r"(\d+)(?:[.,]0+)?\s*(?:[-–=:.)]\s*)?(.*)", key)
    if match:
        point, rest = int(match.group(1)), match.group(2).strip()
        if point in labels and (not rest or rest == norm(labels[point])):
            return point
    low, high = min(labels), max(labels)
    raise AnswerError(
        f"a scale point {low}–{high} as a number or label (e.g. '{high} {labels[high]}') "
        "or 'En osaa sanoa'"
    )


def _option_names(question: Question) -> dict[str, str]:
    names = {}
    for option in question.options:
        for name in (option.label, option.id, option.short, *option.aliases):
            if name:
                names[norm(name)] = option.id
    return names


def parse_single(value: str, question: Question) -> str:
    names = _option_names(question)
    key = norm(value)
    if key in names:
        return names[key]
    # "Muu: kyläyhdistys" / "Muu (mikä?)": an option followed by the respondent's own words.
    for name, option_id in names.items():
        if key.startswith(name) and key[len(name) : len(name) + 1] in (":", "(", ","):
            return option_id
    labels = "', '".join(o.label for o in question.options)
    raise AnswerError(f"one of '{labels}'")


def parse_multiple(value: str, question: Question) -> set[str]:
    """Options joined with ``;`` or ``,`` in one cell (labels may contain commas)."""
    names = sorted(_option_names(question).items(), key=lambda kv: -len(kv[0]))
    rest = norm(value)
    chosen: set[str] = set()
    while rest:
        rest = rest.lstrip(";,|\n ").strip()
        if not rest:
            break
        for name, option_id in names:
            if rest.startswith(name) and (len(rest) == len(name) or rest[len(name)] in ";,|\n "):
                chosen.add(option_id)
                rest = rest[len(name) :]
                break
        else:
            labels = "', '".join(o.label for o in question.options)
            raise AnswerError(f"options of '{labels}' separated by ';' or ','")
    return chosen


def parse_flag(value: str, option_label: str) -> bool:
    """A 0/1 column of one option: 1, x, kyllä, or the option's label mean chosen."""
    key = re.sub(r"^(\d+)[.,]0+$", r"\1", norm(value))  # Excel's "1,0" is 1
    if key in TRUE_WORDS or key == norm(option_label):
        return True
    if key in FALSE_WORDS:
        return False
    raise AnswerError(f"1 or 0 (or the option '{option_label}') for a chosen/not chosen option")


MUNICIPALITY_WORD = re.compile(r"^(.+?)\s+(kunta|kaupunki)$", re.I)


def municipality_of(value: str):
    """The region's municipality ``value`` names, also as "Laukaan kunta" or
    "Jyväskylän kaupunki" (the name in the genitive before kunta/kaupunki); else None."""
    found = normalise_municipality(value)
    if found is not None:
        return found
    match = MUNICIPALITY_WORD.match(str(value).strip())
    if not match:
        return None
    stem = norm(match.group(1))
    found = normalise_municipality(stem)
    if found is not None:
        return found
    region = current()
    names = [*region.municipalities["name"], *region.mergers["old_name"].dropna()]
    scored = []
    for name in names:
        key = norm(name)
        # Finnish genitives keep all but the last few letters: Konnevesi → Konneveden.
        if (
            len(key) >= 4
            and stem.startswith(key[: len(key) - 3])
            and abs(len(stem) - len(key)) <= 2
        ):
            common = next(
                (i for i, (a, b) in enumerate(zip(stem, key, strict=False)) if a != b), len(key)
            )
            scored.append((common, name))
    scored.sort(reverse=True)
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return normalise_municipality(scored[0][1])


def parse_municipality(value: str) -> tuple[str, str, str | None]:
    """(code, current name, sub-region code); ``Koko maakunta`` is its own value."""
    if is_whole_region(value):
        return current().code, current().whole_region_label, None
    found = municipality_of(value)
    if found is None:
        close = close_municipality(value)
        raise AnswerError(
            f"a municipality of {current().name} (name, old name of a merged municipality, "
            f"or code) or '{current().whole_region_label}'"
            + (f"; did you mean '{close}'?" if close else "")
        )
    return found.code, found.name, found.subregion_code


SUGGESTION_RATIO = 0.85  # "Jyvässkylä" → "Jyväskylä"; unrelated names stay well below


def close_municipality(value: str) -> str | None:
    """The region's municipality or old name closest to a misspelt ``value`` (ratio ≥ 0.85)."""
    region = current()
    names = [*region.municipalities["name"], *region.mergers["old_name"].dropna()]
    key = norm(value)
    scored = [(SequenceMatcher(None, key, norm(name)).ratio(), name) for name in names]
    ratio, best = max(scored, default=(0.0, None))
    return best if ratio >= SUGGESTION_RATIO else None
