"""The site's search index: every published page, split into sections, with lemmas.

Built at the end of the build from the rendered site itself (every HTML page
under OUT, whatever wrote it), so a new kind of page is covered without a change
here. Only the page's ``<main>`` is read, and only what a reader sees there: no
script, style, chart, form control or element marked hidden. A page is split at
its headings and at block elements that carry an id (a document's passages), so
each section is one place a result can link to (``page.html#id``).

The index ships as a script, ``OUT/haku-indeksi.js``, that assigns a global:
browsers block fetching local files under ``file://``, but a ``<script src>``
loads. Lemmas are computed here with simplemma's Finnish dictionary
(:func:`search_lemma`: a compound it does not know by its last part, else
:func:`tilannekuva.analysis.text.lemma`), so the browser only normalises the
query and looks words up. For that the index
carries the inflected forms of every lemma on the site (surface form → lemma):
the forms seen on the pages and those simplemma's Finnish dictionary knows
(``yhdistyksille`` → ``yhdistys`` although only ``yhdistysten`` is on a page). A
compound the dictionary does not know inflects like its last part
(``järjestöavustuksille`` like ``avustuksille``). Forms are stored per lemma as
a shared prefix and one of a few suffix sets (paradigms), which keeps the file
small.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from tilannekuva.analysis.text import WORD, lemma, tokens
from tilannekuva.site.chrome import SITE_NAME
from tilannekuva.store import atomic_write_bytes

SEARCH_PAGE = "haku.html"
INDEX_FILE = "haku-indeksi.js"
INDEX_GLOBAL = "TK_HAKUINDEKSI"
INDEX_VERSION = 1
# Folders of the site that hold no pages a reader searches.
NOT_PAGES = {"assets", "data", "pdf"}
# Never read: code, styles, charts, form controls (a finder's option list is not
# content) and navigation (a page's links to its neighbours).
SKIPPED_TAGS = {
    "nav",
    "script",
    "style",
    "template",
    "noscript",
    "svg",
    "canvas",
    "iframe",
    "object",
    "select",
    "option",
    "button",
    "input",
    "textarea",
}
# Chart containers, heading permalinks (¶) and download links are chrome, not content.
SKIPPED_CLASSES = {"plotly-graph-div", "js-plotly-plot", "anchor-link", "tk-anchor", "tk-downloads"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Block elements whose id marks a place a result may link to (a document's passage).
PASSAGES = {"p", "li", "blockquote", "section", "article", "figure", "div", "dd", "tr", "table"}
# Text of these elements is set apart from its neighbours by a space.
BLOCKS = (
    PASSAGES
    | HEADINGS
    | {
        "br",
        "ul",
        "ol",
        "dl",
        "dt",
        "td",
        "th",
        "thead",
        "tbody",
        "caption",
        "figcaption",
        "details",
        "summary",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "pre",
        "hr",
        "label",
    }
)
# Scripts and styles, cut out before parsing (a chart's data is most of a page's bytes).
CODE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
SPACES = re.compile(r"\s+")
# Neighbouring blocks (table cells, paragraphs) are a line apart: the privacy patterns
# never span a line, so two cells never read as one phone number ("1 064" "27 460") or
# an item's name and a date as an address ("Koordinaattori" "2026-09-01").
BLOCK_GAP = "\x00"
GAPS = re.compile(r" ?\x00[\x00 ]*")
LINE = "\n"
# nbconvert gives every notebook cell an id; a cell is not a place to link to.
CELL_ID = re.compile(r"^cell-id=")
# A compound's head (last part) must be at least this long to lend its forms.
MIN_HEAD = 4


@dataclass
class Section:
    """One linkable place of a page and the text a reader sees there."""

    page: str  # path relative to the site, with forward slashes
    anchor: str  # element id ("" for the top of the page)
    heading: str
    text: str = ""
    parts: list[str] = field(default_factory=list, repr=False)
    at_heading: bool = field(default=False, repr=False)  # kept even with no text below


def _hidden(tag: Tag) -> bool:
    if tag.name in SKIPPED_TAGS:
        return True
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    if HIDDEN_STYLE.search(tag.get("style") or ""):
        return True
    classes = set(tag.get("class") or [])
    if classes & SKIPPED_CLASSES:
        return True
    # A contact address is not search content (and an e-mail never enters the index).
    return tag.name == "a" and (tag.get("href") or "").lower().startswith("mailto:")


def _visible_text(tag: Tag) -> str:
    parts: list[str] = []
    _collect(tag, parts)
    return SPACES.sub(" ", "".join(parts).replace(BLOCK_GAP, " ")).strip()


def _collect(tag: Tag, parts: list[str]) -> None:
    for child in tag.children:
        if isinstance(child, Comment | Declaration | Doctype | ProcessingInstruction):
            continue
        if isinstance(child, NavigableString):
            parts.append(str(child))
        elif isinstance(child, Tag) and not _hidden(child):
            block = child.name in BLOCKS
            if block:
                parts.append(BLOCK_GAP)
            _collect(child, parts)
            if block:
                parts.append(BLOCK_GAP)


def page_title(soup: BeautifulSoup) -> str:
    """The page's own title: the browser title without the site's name."""
    title = soup.title.get_text() if soup.title else ""
    title = SPACES.sub(" ", title).strip()
    suffix = f" – {SITE_NAME}"
    return title[: -len(suffix)] if title.endswith(suffix) else title


def sections_of(html: str, page: str) -> tuple[str, list[Section]]:
    """The page's title and its sections with visible text, in page order.

    A heading starts a section (linked by the heading's id, else by the
    previous place; its text is the section's heading, not part of its text);
    a block element with an id inside it is a section of its own, after which
    the text belongs to the heading's section again. A place without text or
    heading is left out; text of one place met twice is joined.
    """
    soup = BeautifulSoup(CODE.sub("", html), "html.parser")
    title = page_title(soup)
    root = soup.find("main") or soup.body or soup
    top = Section(page, "", title)
    found: list[Section] = [top]
    current = [top]  # open places, the innermost last

    def walk(tag: Tag) -> None:
        for child in tag.children:
            if isinstance(child, Comment | Declaration | Doctype | ProcessingInstruction):
                continue
            if isinstance(child, NavigableString):
                current[-1].parts.append(str(child))
                continue
            if not isinstance(child, Tag) or _hidden(child):
                continue
            ident = child.get("id") or ""
            if child.name in HEADINGS:
                heading = _visible_text(child)
                section = Section(page, ident or current[-1].anchor, heading or title)
                section.at_heading = bool(heading)
                if not ident:  # joins the place before it: its words must stay searchable
                    section.parts.append(heading + BLOCK_GAP)
                found.append(section)
                current[-1] = section  # a heading ends the section before it, at its level
                continue
            if ident and child.name in PASSAGES and not CELL_ID.match(ident):
                depth = len(current)
                section = Section(page, ident, current[-1].heading)
                found.append(section)
                current.append(section)
                walk(child)
                del current[depth:]
                # What follows continues the enclosing place.
                resumed = Section(page, current[-1].anchor, current[-1].heading)
                found.append(resumed)
                current[-1] = resumed
                continue
            block = child.name in BLOCKS
            if block:
                current[-1].parts.append(BLOCK_GAP)
            walk(child)
            if block:
                current[-1].parts.append(BLOCK_GAP)

    walk(root)
    merged: dict[str, Section] = {}
    for section in found:
        text = GAPS.sub(LINE, SPACES.sub(" ", "".join(section.parts))).strip()
        if not text and not section.at_heading:
            continue
        if section.anchor in merged:  # one place, one entry
            merged[section.anchor].text = f"{merged[section.anchor].text}{LINE}{text}".strip()
        else:
            section.text = text
            merged[section.anchor] = section
    return title, list(merged.values())


def site_pages(site: Path) -> list[Path]:
    """Every HTML page a reader can reach in ``site``, the search page excluded."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site)
        if relative.as_posix() == SEARCH_PAGE:
            continue
        if relative.parts[0] in NOT_PAGES or any(p.startswith(".") for p in relative.parts):
            continue
        pages.append(path)
    return pages


def words_of(text: str) -> list[str]:
    """The words of ``text`` as the index and the browser see them (parts of hyphenated
    words too: ``sote-keskus`` is also ``sote`` and ``keskus``)."""
    words = []
    for token in tokens(text):
        words.append(token)
        if "-" in token:
            words.extend(part for part in token.split("-") if part)
    return words


def _dictionary() -> Mapping[str, str]:
    """simplemma's Finnish dictionary (surface → lemma), the one
    :func:`tilannekuva.analysis.text.lemma` loads (simplemma shares it process-wide)."""
    from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY

    return DEFAULT_DICTIONARY_FACTORY.get_dictionary("fi")


class Lexicon:
    """simplemma's Finnish dictionary as the index uses it: surface → lemma, a lemma's
    surface forms, and simplemma's lemmatiser for a word the dictionary does not know.

    Without tries, simplemma's in-memory dictionary (3.5 million entries:
    seconds to load, in every process that needs even one word). With a folder
    (the build's cache), the same dictionary as two MARISA tries on disk
    (surface → lemma, as simplemma's ``TrieDictionaryFactory`` stores it, and
    lemma → surfaces), opened in milliseconds, so a build that meets a few new
    words does not load the whole dictionary. ``build``: write the tries (from
    the in-memory dictionary, once per simplemma version) when they are not
    there yet; a build that lemmatises the whole site needs the dictionary
    anyway and leaves them to the first incremental build. Both ways give the
    same lemmas and forms.
    """

    def __init__(self, folder: Path | None = None, build: bool = False):
        self.folder, self.build = folder, build

    @cached_property
    def _tries(self):
        """(surface → lemma, lemma → surfaces) tries, or None: use the in-memory dictionary."""
        if self.folder is None:
            return None
        import marisa_trie

        paths = (self.folder / "fi.dic", self.folder / "fi-forms.dic")
        if all(path.exists() for path in paths):
            try:
                return tuple(marisa_trie.BytesTrie().load(str(path)) for path in paths)
            except Exception:  # a torn or foreign file: written again if allowed
                pass
        if not self.build:
            return None
        dictionary = _dictionary()
        raw = getattr(dictionary, "_dict", None)
        entries = list(raw.items()) if isinstance(raw, dict) else list(dictionary.items())

        def text(value) -> str:
            return value.decode() if isinstance(value, bytes) else value

        def data(value) -> bytes:
            return value if isinstance(value, bytes) else value.encode()

        tries = (
            marisa_trie.BytesTrie((text(surface), data(base)) for surface, base in entries),
            marisa_trie.BytesTrie((text(base), data(surface)) for surface, base in entries),
        )
        self.folder.mkdir(parents=True, exist_ok=True)
        for trie, path in zip(tries, paths, strict=True):
            temporary = path.with_name(f".{path.name}.tmp")
            trie.save(str(temporary))
            temporary.replace(path)
        return tries

    @cached_property
    def dictionary(self) -> Mapping[str, str]:
        if self._tries is None:
            return _dictionary()
        from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieWrapDict

        return TrieWrapDict(self._tries[0])

    @cached_property
    def _lemmatizer(self):
        from simplemma import Lemmatizer
        from simplemma.strategies import DefaultStrategy

        return Lemmatizer(
            lemmatization_strategy=DefaultStrategy(dictionary_factory=_OneDictionary(self))
        )

    def lemma(self, word: str) -> str:
        """simplemma's lemma, as :func:`tilannekuva.analysis.text.lemma` gives it."""
        if self._tries is None:
            return lemma(word)
        return self._lemmatizer.lemmatize(word.lower(), lang="fi").lower()

    def forms(self, lemmas: set[str]) -> dict[str, list[str]]:
        """The dictionary's forms of ``lemmas`` (lemma → surface forms; none: left out)."""
        if self._tries is None:
            return _dictionary_forms(lemmas)
        forms: dict[str, list[str]] = {}
        for base in lemmas:
            for key in dict.fromkeys((base, base.capitalize())):  # proper names too
                for surface in self._tries[1].get(key, []):
                    word = surface.decode()
                    if WORD.fullmatch(word):
                        forms.setdefault(base, []).append(word.lower())
        return forms


class _OneDictionary:
    """simplemma's dictionary factory protocol over a :class:`Lexicon`'s Finnish tries."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        if lang != "fi":
            raise ValueError(f"only Finnish is indexed, not {lang!r}")
        return self.lexicon.dictionary


IN_MEMORY = Lexicon()


def search_lemma(word: str, lexicon: Lexicon = IN_MEMORY) -> str:
    """:func:`_search_lemma` (see there) with simplemma's dictionary as ``lexicon`` has it."""
    return _search_lemma(word, lexicon)


@lru_cache(maxsize=50000)
def _search_lemma(word: str, lexicon: Lexicon) -> str:
    """The lemma a word is indexed and looked up by.

    A word the dictionary knows gets its lemma (a proper name also written in
    lower case). A compound it does not know gets its longest known last part's
    lemma behind its first part: simplemma's own guess cuts some compounds
    short (``hyvinvointialueen`` → ``hyvinvointi``), which would part them from
    ``hyvinvointialueella`` (→ ``hyvinvointialue``). Else simplemma's lemma.
    """
    dictionary = lexicon.dictionary
    known = dictionary.get(word) or dictionary.get(word.capitalize())
    if known:
        return known.lower()
    for cut in range(3, len(word) - MIN_HEAD + 1):
        head = dictionary.get(word[cut:])
        if head and WORD.fullmatch(word[:cut]):
            return word[:cut] + head.lower()
    return lexicon.lemma(word)


def _dictionary_forms(lemmas: set[str]) -> dict[str, list[str]]:
    """simplemma's Finnish forms of ``lemmas`` (lemma → surface forms).

    The dictionary's 3.5 million entries are read as the bytes it stores when
    it exposes them: decoding each through the mapping interface takes ten
    times longer (seconds in every build).
    """
    dictionary = _dictionary()
    raw = getattr(dictionary, "_dict", None)
    entries = raw.items() if isinstance(raw, dict) else dictionary.items()
    wanted = {base.encode(): base for base in lemmas}
    wanted.update({base.capitalize().encode(): base for base in lemmas})  # proper names
    forms: dict[str, list[str]] = {}
    for surface, base in entries:
        found = wanted.get(base if isinstance(base, bytes) else base.encode())
        if found is None:
            continue
        text = surface.decode() if isinstance(surface, bytes) else surface
        if WORD.fullmatch(text):
            forms.setdefault(found, []).append(text.lower())
    return forms


def inflected_forms(lemmas: Iterable[str], dictionary: dict[str, list[str]]) -> dict[str, str]:
    """surface → lemma for ``lemmas``: the dictionary's forms, or for a compound it
    does not know, its longest known head's forms behind the compound's first part."""
    out: dict[str, str] = {}
    for base in lemmas:
        known = dictionary.get(base)
        if known is not None:
            for surface in known:
                out.setdefault(surface, base)
            continue
        for cut in range(3, len(base) - MIN_HEAD + 1):
            head = base[cut:]
            if head in dictionary:
                for surface in dictionary[head]:
                    out.setdefault(base[:cut] + surface, base)
                break
    return out


@dataclass
class SearchIndex:
    pages: list[tuple[str, str]]  # (file, title)
    sections: list[Section]
    lemmas: list[str]
    section_lemmas: list[list[int]]
    forms: dict[str, str]  # surface → lemma (the surface differs from its lemma)

    def payload(self) -> dict:
        """The JSON the browser reads (see assets/haku.js)."""
        page_ids = {file: i for i, (file, _) in enumerate(self.pages)}
        ids = {base: i for i, base in enumerate(self.lemmas)}
        return {
            "versio": INDEX_VERSION,
            "sivut": [[file, title] for file, title in self.pages],
            "osiot": [
                [page_ids[s.page], s.anchor, s.heading, s.text, lemma_ids]
                for s, lemma_ids in zip(self.sections, self.section_lemmas, strict=True)
            ],
            "lemmat": self.lemmas,
            **_compact_forms(self.forms, ids),
        }


def _compact_forms(forms: dict[str, str], ids: dict[str, int]) -> dict:
    """Forms per lemma as [lemma id, shared prefix length, paradigm id]; a paradigm is
    the forms' endings after the prefix, joined by "|" and shared by every lemma that
    inflects the same way."""
    by_lemma: dict[str, list[str]] = {}
    for surface, base in forms.items():
        by_lemma.setdefault(base, []).append(surface)
    paradigms: dict[str, int] = {}
    entries = []
    for base in sorted(by_lemma, key=ids.__getitem__):
        surfaces = sorted(by_lemma[base])
        prefix = _shared_prefix([base, *surfaces])
        ending = "|".join(s[prefix:] for s in surfaces)
        paradigm = paradigms.setdefault(ending, len(paradigms))
        entries.append([ids[base], prefix, paradigm])
    return {"muodot": entries, "paradigmat": list(paradigms)}


def _shared_prefix(words: list[str]) -> int:
    """The length of the prefix every word shares (that of the first and last in order)."""
    first, last = min(words), max(words)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return n


def build_index(site: Path, cache: Path | None = None) -> SearchIndex:
    """The index of every page in ``site``.

    ``cache``: a folder (the build's, under the data directory) where each
    page's sections and lemmas are kept, keyed by the hash of its HTML and the
    lemmatiser's version (:func:`lemmatiser_version`), with the dictionary's
    forms of every lemma looked up so far. Then only pages whose HTML changed
    are parsed, only words no page had before are lemmatised, and simplemma's
    dictionary is loaded only when a word or lemma is new to the cache.
    """
    store = SearchCache(cache) if cache is not None else None
    files = [(path, path.relative_to(site).as_posix()) for path in site_pages(site)]
    texts = {file: path.read_text(encoding="utf-8") for path, file in files}
    seen: dict[str, str] = {}  # every word on the site → its lemma
    cached: dict[str, dict] = {}
    for _, file in files:
        entry = store.page(file, texts[file]) if store else None
        if entry is not None:
            cached[file] = entry
            seen.update(entry["words"])
    # An incremental index (pages known from before) may write the tries for next time.
    lexicon = store.lexicon(build=bool(cached)) if store else IN_MEMORY
    pages: list[tuple[str, str]] = []
    sections: list[Section] = []
    section_words = []
    for _, file in files:
        entry = cached.get(file)
        if entry is None:
            title, found = sections_of(texts[file], file)
            words = {}
            for section in found:
                for word in words_of(f"{section.heading} {section.text}"):
                    if word not in seen:
                        seen[word] = search_lemma(word, lexicon)
                    words[word] = seen[word]
            if store:
                store.keep(file, texts[file], title, found, words)
        else:
            title = entry["title"]
            found = [Section(file, *parts) for parts in entry["sections"]]
            if store:
                store.reuse(file, texts[file])
        if found:
            pages.append((file, title))
            sections.extend(found)
    for section in sections:
        section_words.append(set(words_of(f"{section.heading} {section.text}")))
    lemmas = sorted({seen[w] for words in section_words for w in words})
    ids = {base: i for i, base in enumerate(lemmas)}
    section_lemmas = [sorted({ids[seen[w]] for w in words}) for words in section_words]
    wanted = set(lemmas) | _heads(lemmas)
    dictionary = lexicon.forms(wanted)
    on_site = {w for words in section_words for w in words}
    forms = {word: seen[word] for word in on_site if word != seen[word]}
    for surface, base in inflected_forms(lemmas, dictionary).items():
        if surface != base and surface not in on_site:
            forms.setdefault(surface, base)
    if store:
        store.save()
    return SearchIndex(pages, sections, lemmas, section_lemmas, forms)


def lemmatiser_version() -> str:
    """simplemma's version and this module's and the lemmatiser's code: what a cached entry
    was computed with."""
    from importlib.metadata import version

    from tilannekuva.analysis import text

    digest = hashlib.sha256(version("simplemma").encode())
    for module in (Path(__file__), Path(text.__file__)):
        digest.update(module.read_bytes())
    return f"{INDEX_VERSION}:{digest.hexdigest()[:16]}"


class SearchCache:
    """Each page's sections and word lemmas on disk, and the dictionary as :class:`Lexicon` tries.

    ``pages.json`` holds the entries of the pages in the last index only (a
    page's old versions are dropped), discarded when the lemmatiser's version
    changed, and written atomically; an unreadable file is a cache miss, never
    an error. The tries are under ``simplemma/<version>/``.
    """

    def __init__(self, folder: Path):
        from importlib.metadata import version

        self.folder = folder
        self.version = lemmatiser_version()
        self.tries = folder / "simplemma" / version("simplemma")
        self._pages = self._read("pages.json")
        self._kept: dict[str, dict] = {}

    def _read(self, name: str) -> dict:
        try:
            stored = json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(stored, dict) or stored.get("version") != self.version:
            return {}
        entries = stored.get("entries")
        return entries if isinstance(entries, dict) else {}

    @staticmethod
    def _key(file: str, html: str) -> str:
        return hashlib.sha256(f"{file}\0{html}".encode()).hexdigest()

    def lexicon(self, build: bool) -> Lexicon:
        return Lexicon(self.tries, build)

    def page(self, file: str, html: str) -> dict | None:
        return self._pages.get(self._key(file, html))

    def reuse(self, file: str, html: str) -> None:
        key = self._key(file, html)
        self._kept[key] = self._pages[key]

    def keep(
        self, file: str, html: str, title: str, sections: list[Section], words: dict[str, str]
    ) -> None:
        self._kept[self._key(file, html)] = {
            "title": title,
            "sections": [[s.anchor, s.heading, s.text] for s in sections],
            "words": words,
        }

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._write("pages.json", self._kept)

    def _write(self, name: str, entries: dict) -> None:
        payload = json.dumps({"version": self.version, "entries": entries}, ensure_ascii=False)
        atomic_write_bytes(self.folder / name, payload.encode("utf-8"))


def _heads(lemmas: Iterable[str]) -> set[str]:
    """Every ending of a lemma that could be a compound's head (looked up in the dictionary)."""
    return {
        base[cut:]
        for base in lemmas
        for cut in range(3, len(base) - MIN_HEAD + 1)
        if "-" not in base
    }


def index_script(index: SearchIndex) -> str:
    """The index as a script assigning a global (loads under file://, unlike a fetch)."""
    data = json.dumps(index.payload(), ensure_ascii=False, separators=(",", ":"))
    # "</" never closes a script element, whichever way the file is included.
    data = data.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.{INDEX_GLOBAL} = {data};\n"


def write_search_index(site: Path, cache: Path | None = None) -> Path:
    """Write ``site/haku-indeksi.js`` from the pages in ``site``; returns its path.

    ``cache``: see :func:`build_index`. Written to a temporary name first and
    renamed, so a failure leaves no half index behind.
    """
    path = site / INDEX_FILE
    temporary = path.with_name(f".{INDEX_FILE}.tmp")
    temporary.write_text(index_script(build_index(site, cache)), encoding="utf-8")
    temporary.replace(path)
    return path
