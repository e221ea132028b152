"""Printed output: the meeting pack and one PDF per municipality card, printed by
the system's headless Chromium (Debian's ``chromium``) through Playwright, one
browser for the whole build. No browser is ever downloaded.

- ``pdf/kokousmateriaali.pdf``: the landing page, the overview (key messages and
  headline figures) and the priorities (tracker and the region's priorities),
  concatenated into one print document; A4 portrait with a Finnish running
  header (title, data date) and page numbers.
- ``pdf/kuntakortti-<slug>.pdf``: each municipality's card (``slug``: the
  name in lower-case ASCII, e.g. ``aanekoski``).

Charts are laid out at the printable width of A4 before printing (the page is
opened in a window exactly as wide as the paper's text area), so nothing is
cut at the right edge. Without Chromium or Playwright the HTML site is still
published and the build says the PDFs were skipped.
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from tilannekuva.batch.pages import Page
from tilannekuva.provenance import SourceRecord
from tilannekuva.region import Region
from tilannekuva.site.chrome import SITE_NAME, card_page, slug, source_lines

PDF_DIR = "pdf"
PACK_FILE = "kokousmateriaali.pdf"
# Pages in the meeting pack, in order (file stems of the site's pages).
PACK_PAGES = ("index", "00_yleiskuva", "40_painopisteet")
PRINT_HTML = ".tulostus-kokousmateriaali.html"  # temporary, removed after printing
MARGIN_MM = {"top": 18, "bottom": 16, "left": 14, "right": 14}
A4_WIDTH_MM = 210
CSS_PX_PER_MM = 96 / 25.4
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
RENDER_TIMEOUT_MS = 30_000

MAIN = re.compile(r'<main id="sisalto"[^>]*>(.*)</main>', re.DOTALL)


@dataclass
class PdfResult:
    written: list[Path] = field(default_factory=list)
    skipped: str | None = None  # why no PDFs were made, in a sentence

    def links(self, site: Path, region: Region) -> list[tuple[str, str]]:
        """(label, relative href) for the landing page."""
        names = region.municipalities.set_index("code")["name"].to_dict()
        by_slug = {f"kuntakortti-{slug(n)}.pdf": n for n in names.values()}
        out = []
        for path in self.written:
            if path.name == PACK_FILE:
                out.insert(0, ("Kokousmateriaali (PDF, A4)", f"{PDF_DIR}/{path.name}"))
            elif path.name in by_slug:
                out.append((f"Kuntakortti: {by_slug[path.name]} (PDF)", f"{PDF_DIR}/{path.name}"))
        return out


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def card_pdf_name(name: str) -> str:
    return f"kuntakortti-{slug(name)}.pdf"


def data_date(sources: list[SourceRecord]) -> str:
    """The date a reader needs on paper: the survey's, else the newest source's."""
    lines = source_lines(sources)
    for record, line in zip(sources, lines, strict=True):
        if record.source == "survey":
            return line["date"]
    return max((line["date"] for line in lines), default="–")


def pack_html(site: Path, region: str) -> str | None:
    """One print document from the pack's pages: the first page's head, each page's main."""
    pages = [site / f"{stem}.html" for stem in PACK_PAGES]
    if not all(p.exists() for p in pages):
        return None
    texts = [p.read_text(encoding="utf-8") for p in pages]
    head = texts[1].split("<body", 1)[0]  # a notebook page's head loads plotly.js and the styles
    head = re.sub(
        r"<title>.*?</title>",
        f"<title>Kokousmateriaali – {html.escape(SITE_NAME)}: {html.escape(region)}</title>",
        head,
        flags=re.DOTALL,
    )
    sections = []
    for text in texts:
        found = MAIN.search(text)
        if found:
            sections.append(f'<section class="tk-print-section">{found.group(1)}</section>')
    return (
        f'{head}<body class="jp-Notebook tk-page tk-print">\n<main id="sisalto">\n'
        + "\n".join(sections)
        + "\n</main>\n</body>\n</html>\n"
    )


def _header_footer(title: str, date: str) -> tuple[str, str]:
    style = "font-size:8pt;font-family:sans-serif;color:#333;width:100%;margin:0 14mm;"
    header = (
        f'<div style="{style}display:flex;justify-content:space-between;">'
        f"<span>{html.escape(title)}</span><span>Aineisto {html.escape(date)}</span></div>"
    )
    footer = (
        f'<div style="{style}text-align:right;">Sivu <span class="pageNumber"></span> / '
        '<span class="totalPages"></span></div>'
    )
    return header, footer


def write_pdfs(
    site: Path,
    pages: list[Page],
    *,
    region: Region,
    demo: bool,
    built: str,
    sources: list[SourceRecord],
    changed: set[str] | None = None,
) -> PdfResult:
    """Print the meeting pack and the cards into ``site/pdf/``; skip with a reason if we cannot.

    ``changed``: the HTML files this build wrote (None: all). A PDF that exists
    and none of whose notebook pages was rebuilt is kept as it is.
    """
    out = site / PDF_DIR
    kept: list[Path] = []

    def needed(target: Path, files: list[str]) -> bool:
        if changed is None or not target.exists() or set(files) & changed:
            return True
        kept.append(target)
        return False

    pack_target = out / PACK_FILE
    print_pack = needed(pack_target, [f"{stem}.html" for stem in PACK_PAGES if stem != "index"])
    page_files = {p.html_name for p in pages}
    cards = [
        (row, card_page(row.code))
        for row in region.municipalities.itertuples()
        if card_page(row.code) in page_files and (site / card_page(row.code)).exists()
    ]
    cards = [(row, file) for row, file in cards if needed(out / card_pdf_name(row.name), [file])]
    if not print_pack and not cards:
        return PdfResult(written=kept)
    chromium = find_chromium()
    if chromium is None:
        return PdfResult(skipped="PDF-tiedostot ohitettiin: Chromium-selainta ei löytynyt")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        return PdfResult(skipped="PDF-tiedostot ohitettiin: Playwright ei ole asennettu")
    region_name = region.name
    date = data_date(sources)
    out.mkdir(parents=True, exist_ok=True)
    jobs: list[tuple[Path, Path, str]] = []  # (html, pdf, running title)
    pack = pack_html(site, region_name) if print_pack else None
    print_file = site / PRINT_HTML
    if pack is not None:
        print_file.write_text(pack, encoding="utf-8")
        jobs.append((print_file, pack_target, f"{SITE_NAME}: {region_name} – kokousmateriaali"))
    for row, file in cards:
        jobs.append((site / file, out / card_pdf_name(row.name), f"Kuntakortti: {row.name}"))
    demo_note = " – esimerkkiaineisto" if demo else ""
    width_px = round((A4_WIDTH_MM - MARGIN_MM["left"] - MARGIN_MM["right"]) * CSS_PX_PER_MM)
    result = PdfResult(written=list(kept))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium,
                # Nothing leaves the machine: every host name fails to resolve.
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--allow-file-access-from-files",
                    "--host-resolver-rules=MAP * ~NOTFOUND",
                ],
            )
            page = browser.new_page(viewport={"width": width_px, "height": 1100})
            page.emulate_media(media="print")
            for source, target, title in jobs:
                page.goto(source.as_uri(), wait_until="load")
                wait_for_charts(page)
                unclip_bar_labels(page)
                compact_card_charts(page)
                header, footer = _header_footer(title + demo_note, date)
                page.pdf(
                    path=str(target),
                    format="A4",
                    print_background=True,
                    display_header_footer=True,
                    header_template=header,
                    footer_template=footer,
                    margin={k: f"{v}mm" for k, v in MARGIN_MM.items()},
                )
                result.written.append(target)
            browser.close()
    except Error as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        result.skipped = f"PDF-tiedostojen tulostus epäonnistui: {first_line}"
    finally:
        print_file.unlink(missing_ok=True)
    return result


def wait_for_charts(page) -> None:
    """Until every plotly figure on the page has drawn its SVG."""
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.plotly-graph-div'))
                 .every(d => d.querySelector('.main-svg'))""",
        timeout=RENDER_TIMEOUT_MS,
    )


CARD_CHART_HEIGHT_PX = 320  # a card's chart on paper: the card fits one A4 sheet


def compact_card_charts(page) -> None:
    """On a municipality card, charts drawn lower for paper (one A4 sheet per card)."""
    page.evaluate(
        """h => document.querySelector('.tk-card') ? Promise.all(
             Array.from(document.querySelectorAll('.js-plotly-plot')).map(d => {
               const height = Math.min(h, (d.layout || {}).height || h);
               d.style.height = height + 'px';  // the boxes shrink with the drawing
               if (d.parentElement) d.parentElement.style.height = height + 'px';
               return Plotly.relayout(d, {height: height});
             }))
           : null""",
        CARD_CHART_HEIGHT_PX,
    )


def unclip_bar_labels(page) -> None:
    """Bar labels drawn whole on paper: a label past the plot area is not cut ("2" for 2 180)."""
    page.evaluate(
        """() => Promise.all(Array.from(document.querySelectorAll('.js-plotly-plot')).map(d => {
             const bars = (d.data || []).map((t, i) => t.type === 'bar' ? i : -1).filter(i => i >= 0);
             return bars.length ? Plotly.restyle(d, {cliponaxis: false}, bars) : null;
           }))"""
    )
