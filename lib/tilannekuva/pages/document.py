"""Asiakirjat: a page per ingested document, and the documents and decisions on the tracker.

A document's page (``45_asiakirja``) shows its title and metadata, the items
and goals it is linked to, and its redacted text passage by passage; each
passage has an HTML id (``kohta-<n>``) so that the tracker and the site's
search can point at it, and a linked passage is marked with the entries it
speaks to. :func:`entry_timeline` is the tracker's section: per item and goal,
its documents (title, kind, date, the linked passage) and its logged decisions
in date order.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
from IPython.display import HTML

from tilannekuva.errors import UsageError
from tilannekuva.formats import fi_date
from tilannekuva.knowledge.base import STATUS_LABELS, KnowledgeBase, load_knowledge_base
from tilannekuva.knowledge.decisions import load_decisions
from tilannekuva.knowledge.documents import DocumentLibrary, load_library, passage_anchor
from tilannekuva.knowledge.linking import HOW_LABELS, best_links
from tilannekuva.pages.common import PageData

TRACKER_PAGE = "40_painopisteet.html"
NO_DOCUMENTS = "Asiakirjoja ei ole vielä tuotu (<code>tilannekuva ingest documents</code>)."
DOCUMENT_NOTEBOOK = "45_asiakirja"
DATE_FROM_LABELS = {
    "tiedostonimi": "tiedoston nimestä",
    "alku": "asiakirjan alusta",
    "metatiedot": "tiedoston metatiedoista",
    "asetukset": "analyytikon asetuksista",
}


def document_page(document_id: str) -> str:
    """The HTML file of a document's page (``batch.pages``: ``each: document``)."""
    return f"{DOCUMENT_NOTEBOOK}--{document_id}.html"


def _date(value: object) -> str:
    return fi_date(value.date()) if isinstance(value, pd.Timestamp) and not pd.isna(value) else "–"


@dataclass
class DocumentView:
    """One document's page."""

    data: PageData
    document_id: str

    @cached_property
    def kb(self) -> KnowledgeBase:
        return load_knowledge_base(self.data.layout)

    @cached_property
    def library(self) -> DocumentLibrary:
        return load_library(self.data.layout, self.kb)

    @cached_property
    def chosen(self) -> str | None:
        """The page's document; without one (an analyst running the notebook), the newest."""
        documents = self.library.documents
        if self.document_id:
            if self.document_id not in set(documents["id"]):
                raise UsageError(
                    f"document '{self.document_id}' is not among the ingested documents "
                    f"({', '.join(documents['id']) or 'none'}); see processed/documents.parquet"
                )
            return self.document_id
        if documents.empty:
            return None
        newest = documents.sort_values(["date", "id"], ascending=[False, True], na_position="last")
        return str(newest.iloc[0]["id"])

    @cached_property
    def row(self) -> pd.Series:
        assert self.chosen is not None
        return self.library.document(self.chosen)

    def title(self) -> str:
        return str(self.row["title"])

    def metadata(self) -> HTML:
        if self.chosen is None:
            return HTML(f"<p>{NO_DOCUMENTS}</p>")
        row = self.row
        date = _date(row["date"])
        if row["date_from"] and date != "–":
            date += f" ({DATE_FROM_LABELS.get(row['date_from'], row['date_from'])})"
        facts = [
            ("Asiakirjan laji", row["kind_label"]),
            ("Päivämäärä", date),
            ("Lähdetiedosto", f"{row['file']} ({row['format']})"),
            ("Tarkistussumma (SHA-256)", f"{str(row['sha256'])[:16]}…"),
            ("Kappaleita", str(row["passages"])),
        ]
        # Facts about one document, not data: a description list (no download to offer).
        rows = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in facts)
        return HTML(
            f"<h2 class='tk-document-title'>{html.escape(self.title())}</h2>"
            f'<dl class="tk-document-meta">{rows}</dl>'
            "<p>Teksti on poimittu alkuperäisestä tiedostosta; henkilötiedot "
            "(sähköpostiosoitteet, puhelinnumerot, henkilötunnukset, osoitteet) on poistettu.</p>"
        )

    def linked_entries(self) -> HTML:
        if self.chosen is None:
            return HTML("")
        links = best_links(self.library.links_of(self.chosen))
        if links.empty:
            return HTML(
                "<p>Asiakirjaa ei ole liitetty mihinkään yhteistyöasiaan tai tavoitteeseen.</p>"
            )
        items = []
        for entry in self.kb.entries:
            mine = links[links["entry_id"] == entry.id]
            if mine.empty:
                continue
            link = mine.iloc[0]
            passages = self.library.links_of(self.chosen)
            numbers = sorted(set(passages[passages["entry_id"] == entry.id]["passage"]))
            where = ", ".join(f'<a href="#{passage_anchor(n)}">kohta {n}</a>' for n in numbers[:8])
            items.append(
                f'<li><a href="{TRACKER_PAGE}#{html.escape(entry.id)}">'
                f"{html.escape(entry.short)}</a> ({html.escape(HOW_LABELS[link['how']])}): "
                f"{where}</li>"
            )
        return HTML(f"<ul class='tk-document-links'>{''.join(items)}</ul>")

    def text(self) -> HTML:
        if self.chosen is None:
            return HTML("")
        passages = self.library.passages_of(self.chosen)
        links = self.library.links_of(self.chosen)
        shorts = {e.id: e.short for e in self.kb.entries}
        parts = []
        for row in passages.itertuples():
            anchor = passage_anchor(int(row.passage))
            linked = links[links["passage"] == row.passage]
            where = f"kohta {row.passage}" + (
                f", s. {int(row.page)}" if not pd.isna(row.page) else ""
            )
            text = html.escape(str(row.text))
            if linked.empty:
                tag = "h3" if row.heading else "p"
                parts.append(
                    f'<{tag} id="{anchor}" class="tk-passage" data-kohta="{where}">{text}</{tag}>'
                )
                continue
            names = ", ".join(
                f'<a href="{TRACKER_PAGE}#{html.escape(e)}">{html.escape(shorts.get(e, e))}</a>'
                for e in dict.fromkeys(linked["entry_id"])
            )
            parts.append(
                f'<div id="{anchor}" class="tk-passage tk-passage-linked" data-kohta="{where}">'
                f"<p><mark>{text}</mark></p>"
                f'<p class="tk-passage-note">Liittyy: {names}.</p></div>'
            )
        return HTML(f'<div class="tk-document-text">{"".join(parts)}</div>')


def entry_timeline(data: PageData, kb: KnowledgeBase | None = None) -> HTML:
    """Per item and goal: its documents and logged decisions, in date order (the tracker's section)."""
    from tilannekuva.knowledge.comparison import load_comparison

    kb = kb or load_knowledge_base(data.layout)
    library = load_library(data.layout, kb)
    decisions = load_decisions(data.layout)
    changes = load_comparison(data.layout).changes
    new_documents = set(changes.new_documents)
    new_decisions = set(changes.new_decisions)
    new = ' <span class="tk-new">uusi</span>'

    links = best_links(library.links)
    documents = library.documents.set_index("id") if not library.documents.empty else None
    sections = []
    for entry in kb.entries:
        events: list[tuple[pd.Timestamp, int, str]] = []
        for link in links[links["entry_id"] == entry.id].itertuples() if not links.empty else []:
            document = documents.loc[link.document_id]
            page = document_page(link.document_id)
            anchor = passage_anchor(int(link.passage))
            events.append(
                (
                    document["date"] if not pd.isna(document["date"]) else pd.Timestamp.min,
                    1,
                    f"<li><b>{_date(document['date'])}</b> {html.escape(document['kind_label'])}: "
                    f'<a href="{page}">{html.escape(str(document["title"]))}</a>'
                    + (new if link.document_id in new_documents else "")
                    + f"<blockquote>“{html.escape(link.excerpt)}” "
                    f'<a href="{page}#{anchor}">(kohta {int(link.passage)})</a></blockquote></li>',
                )
            )
        for row in decisions[decisions["entry_id"] == entry.id].itertuples():
            status = (
                f" – uusi tila: {STATUS_LABELS[row.status]}" if isinstance(row.status, str) else ""
            )
            reference = (
                f" <i>({html.escape(row.reference)})</i>" if isinstance(row.reference, str) else ""
            )
            events.append(
                (
                    row.date,
                    0,
                    f"<li><b>{fi_date(row.date.date())}</b> Päätös{status}: "
                    f"{html.escape(row.text)}{reference}"
                    + (new if row.key in new_decisions else "")
                    + "</li>",
                )
            )
        if not events:
            continue
        events.sort(key=lambda e: (e[0], e[1]))
        sections.append(
            f'<section id="asiakirjat-{html.escape(entry.id)}" class="tk-entry-timeline">'
            f'<h3><a href="#{html.escape(entry.id)}">{html.escape(entry.short)}</a></h3>'
            f"<ul>{''.join(e[2] for e in events)}</ul></section>"
        )
    intro = ""
    if not changes.first_build and (new_documents or new_decisions):
        intro = (
            f"<p>Edellisen koonnin ({fi_date(changes.previous)}) jälkeen tuotu "
            f"{len(new_documents)} uutta asiakirjaa ja {len(new_decisions)} uutta "
            "päätöslokin kirjausta; ne on merkitty alla sanalla <i>uusi</i>.</p>"
        )
    if sections:
        return HTML(intro + "".join(sections))
    return HTML(
        "<p>Asiakirjoja tai päätöslokin kirjauksia ei ole vielä tuotu "
        "(<code>tilannekuva ingest documents</code>, "
        "<code>tilannekuva ingest decisions</code>).</p>"
    )


def document_list(data: PageData) -> HTML:
    """Every ingested document with its kind, date and linked entries (newest first)."""
    kb = load_knowledge_base(data.layout)
    library = load_library(data.layout, kb)
    if library.documents.empty:
        return HTML("<p>Asiakirjoja ei ole tuotu.</p>")
    shorts = {e.id: e.short for e in kb.entries}
    rows = []
    for doc in library.documents.sort_values("date", ascending=False).itertuples():
        linked = dict.fromkeys(library.links_of(doc.id)["entry_id"])
        rows.append(
            f'<tr><td><a href="{document_page(doc.id)}">{html.escape(doc.title)}</a></td>'
            f"<td>{html.escape(doc.kind_label)}</td><td>{_date(doc.date)}</td>"
            f"<td>{html.escape(', '.join(shorts.get(e, e) for e in linked)) or '–'}</td></tr>"
        )
    head = "".join(f"<th>{h}</th>" for h in ("Asiakirja", "Laji", "Päivämäärä", "Liittyy"))
    return HTML(
        f'<table class="tk-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
