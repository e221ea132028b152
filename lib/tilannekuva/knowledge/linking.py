"""Which passages of a document speak to which item or goal of the knowledge base.

Three ways a passage links to an entry, strongest first:

- ``tunniste``: the analyst tagged the document with the entry in
  ``config/documents.yaml`` (always links; the passage is the first one that
  also mentions the entry, else the document's opening);
- ``viittaus``: the passage names the entry: its id (``i06_grants``) or its short
  name from the questionnaire, inflected or not (``Avustusperiaatteista``);
- ``avainsana``: one of the entry's ``keywords`` in ``knowledge_base.yaml``.

Words are compared on their lemmas (simplemma, as the open-answer themes in
:mod:`tilannekuva.analysis.text`), with the same compound rules: a keyword word
matches a lemma that equals it, that ends with it (the compound's head:
``järjestöavustus`` is a kind of ``avustus``; keyword words of at least four
letters), or that begins with it (``avustusperiaate``; at least six letters).
A keyword of several words matches consecutive words (``avustaminen periaate``
finds "avustamisen periaatteet"). Keywords are written in base form and taken
as written; an entry's names are lemmatised and match only inflected, not as
parts of compounds (the municipalities' "hyvinvointikoordinaattori" is not the
item "Koordinaattori"). Nothing else links: ``avustaja`` (an
assistant) is no ``avustus``, ``tilanne`` no ``tila``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from tilannekuva.analysis.text import MIN_PART, MIN_PREFIX, lemma
from tilannekuva.knowledge.base import KnowledgeBase

WORD = re.compile(r"[0-9a-zåäöéü]+(?:_[0-9a-zåäöéü]+)*", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"“(])")
HOW_ORDER = {"tunniste": 0, "viittaus": 1, "avainsana": 2}
HOW_LABELS = {
    "tunniste": "analyytikon merkintä",
    "viittaus": "mainitaan nimeltä",
    "avainsana": "avainsana",
}

LINK_SCHEMA = pa.DataFrameSchema(
    {
        "document_id": pa.Column(str),
        "entry_id": pa.Column(str),
        "passage": pa.Column(int, pa.Check.ge(1)),
        "how": pa.Column(str, pa.Check.isin(list(HOW_ORDER))),
        "term": pa.Column(str),
        "excerpt": pa.Column(str),
    },
    strict=True,
    ordered=True,
    coerce=True,
)


@dataclass(frozen=True)
class Pattern:
    """One way of naming an entry: its words' lemmas in order, and how it links."""

    entry_id: str
    words: tuple[str, ...]
    how: str
    written: str  # as the analyst or the questionnaire wrote it


def word_matches(word: str, token: str, compounds: bool = True) -> bool:
    """Does ``word`` (a base form) match this token of running text?

    ``compounds``: also as a compound's head or first part (keywords); names
    match only as themselves, inflected.
    """
    base = lemma(token)
    if base == word:
        return True
    if len(word) >= MIN_PREFIX and token.lower().startswith(word):
        return True  # an inflected form simplemma left half-lemmatised
    if not compounds:
        return False
    if len(word) >= MIN_PART and base.endswith(word):
        return True
    return len(word) >= MIN_PREFIX and base.startswith(word)


def _lemmas(text: str) -> tuple[str, ...]:
    return tuple(lemma(t) for t in re.findall(r"[a-zåäöéü]+", text.lower()))


def _base_forms(text: str) -> tuple[str, ...]:
    # Keywords are written in base form: simplemma would cut some compounds short
    # ("hyvinvointitieto" → "hyvinvointi"), so they are taken as written.
    return tuple(re.findall(r"[a-zåäöéü]+", text.lower()))


def patterns_for(kb: KnowledgeBase) -> list[Pattern]:
    """Every entry's names and keywords as patterns (ids match as written)."""
    out: list[Pattern] = []
    for entry in kb.entries:
        out.append(Pattern(entry.id, (entry.id.lower(),), "viittaus", entry.id))
        # A short name or title split at "ja" would link anything with one of its halves;
        # the whole name is matched, as consecutive words.
        for name in (entry.short, entry.title):
            words = _lemmas(name)
            if words:
                out.append(Pattern(entry.id, words, "viittaus", name))
        for keyword in entry.keywords:
            words = _base_forms(keyword)
            if words:
                out.append(Pattern(entry.id, words, "avainsana", keyword))
    return out


def _find(pattern: Pattern, tokens: list[re.Match[str]]) -> re.Match[str] | None:
    """The first token where the pattern's words match consecutive tokens."""
    size = len(pattern.words)
    for start in range(len(tokens) - size + 1):
        window = tokens[start : start + size]
        if pattern.how == "viittaus" and size == 1 and "_" in pattern.words[0]:
            if window[0].group(0).lower() == pattern.words[0]:
                return window[0]
            continue
        compounds = pattern.how == "avainsana"
        if all(
            word_matches(w, t.group(0), compounds)
            for w, t in zip(pattern.words, window, strict=True)
        ):
            return window[0]
    return None


def sentence_at(text: str, position: int) -> str:
    """The sentence of ``text`` that holds character ``position``."""
    start = 0
    for boundary in SENTENCE_END.finditer(text):
        if boundary.start() >= position:
            return text[start : boundary.start()].strip()
        start = boundary.end()
    return text[start:].strip()


def link_passages(
    passages: pd.DataFrame,
    kb: KnowledgeBase,
    tags: dict[str, list[str]] | None = None,
) -> pd.DataFrame:
    """Links of passages (``document_id``, ``passage``, ``text``) to entries.

    One row per (document, entry, passage) with ``how`` (the strongest way it
    links), the ``term`` that matched and the sentence (``excerpt``) it stands in;
    ``tags`` (document id → entry ids) links documents as a whole.
    """
    patterns = patterns_for(kb)
    found: dict[tuple[str, str, int], dict] = {}
    for row in passages.itertuples(index=False):
        tokens = list(WORD.finditer(row.text))
        for pattern in patterns:
            match = _find(pattern, tokens)
            if match is None:
                continue
            key = (row.document_id, pattern.entry_id, int(row.passage))
            held = found.get(key)
            if held is None or HOW_ORDER[pattern.how] < HOW_ORDER[held["how"]]:
                found[key] = {
                    "document_id": row.document_id,
                    "entry_id": pattern.entry_id,
                    "passage": int(row.passage),
                    "how": pattern.how,
                    "term": pattern.written,
                    "excerpt": sentence_at(row.text, match.start()),
                }
    for document_id, entry_ids in (tags or {}).items():
        mine = passages[passages["document_id"] == document_id].sort_values("passage")
        if mine.empty:
            continue
        for entry_id in entry_ids:
            linked = sorted(p for d, e, p in found if d == document_id and e == entry_id)
            passage = linked[0] if linked else int(mine["passage"].iloc[0])
            text = str(mine.loc[mine["passage"] == passage, "text"].iloc[0])
            held = found.get((document_id, entry_id, passage))
            found[(document_id, entry_id, passage)] = {
                "document_id": document_id,
                "entry_id": entry_id,
                "passage": passage,
                "how": "tunniste",
                "term": held["term"] if held else "documents.yaml",
                "excerpt": held["excerpt"] if held else sentence_at(text, 0),
            }
    frame = pd.DataFrame(list(found.values()), columns=list(LINK_SCHEMA.columns))
    frame = frame.sort_values(["document_id", "passage", "entry_id"], ignore_index=True)
    frame["passage"] = frame["passage"].astype(int)
    return LINK_SCHEMA.validate(frame)


def best_links(links: pd.DataFrame) -> pd.DataFrame:
    """One link per (document, entry): the strongest, then the earliest passage."""
    if links.empty:
        return links
    ranked = links.assign(_rank=links["how"].map(HOW_ORDER))
    ranked = ranked.sort_values(["document_id", "entry_id", "_rank", "passage"])
    return ranked.drop_duplicates(["document_id", "entry_id"]).drop(columns="_rank")
