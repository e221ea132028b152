"""The output scanner: personal data in anything the build wrote fails the build.

`tilannekuva check-site DIR` and the end of every build scan the rendered
pages, the executed notebooks and the processed tables (string columns) with
the redaction patterns, on text normalised as for redaction (full-width
characters, en dashes, no-break and zero-width spaces, ``%40``), so what
redaction missed is caught here too. In HTML the scanner reads the text, the
values of the attributes a reader sees or follows (``href``, ``title``, ``alt``,
…) and figures' JSON with its ``\\uXXXX`` escapes decoded. Vendored assets
(plotly.js, CSS) are skipped: they are not built from data. A finding names the file, the class and a masked excerpt,
never the personal string itself.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tilannekuva.privacy.redact import find_personal_data

# .js: the search index (haku-indeksi.js) carries the pages' text.
TEXT_SUFFIXES = {".html", ".ipynb", ".json", ".txt", ".md", ".csv", ".js"}
TAG = re.compile(r"<[^>]+>")
# Cells and blocks: "Koordinaattori" in one cell and "2026-09-01" in the next are no
# street address, however an address pattern reads them on one line.
BLOCK_TAG = re.compile(
    r"</?(?:td|th|tr|table|thead|tbody|caption|p|li|ul|ol|div|br|h[1-6]|figure|figcaption|"
    r"details|summary|section|dt|dd)\b",
    re.I,
)
# Checksums (the manifest's sha256 of every input, a document's on its page): a run of
# 16 or more hex digits holds no personal data, but its last 11 characters can read
# as an identity code ("…061052a308d") by chance, a few times in a hundred builds.
CHECKSUM = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{16,}(?![0-9A-Za-z])")
# Attributes a reader sees or follows (a link's target, a tooltip); ids, classes
# and styles are the site's own and are not scanned.
READER_ATTRIBUTE = re.compile(
    r"""\s(?:href|src|title|alt|aria-label|content|value|placeholder)\s*=\s*(?:"([^"]*)"|'([^']*)')""",
    re.I,
)
# Plotly writes its figures' JSON into the page with non-ASCII escaped
# ("131052\u2013308T"); a planted string must not hide behind an escape.
JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\(/)")


@dataclass(frozen=True)
class ScanFinding:
    file: Path
    kind: str
    excerpt: str

    def __str__(self) -> str:
        return f"{self.file}: {self.kind} ({self.excerpt})"


def _texts(path: Path) -> Iterable[str]:
    if path.suffix == ".parquet":
        import pandas as pd

        frame = pd.read_parquet(path)
        for column in frame.columns:
            if frame[column].dtype == object or str(frame[column].dtype).startswith(
                ("str", "string")
            ):
                yield "\n\n".join(str(v) for v in frame[column].dropna().unique())
        return
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        # What a notebook says: its cells' sources and outputs, not ids or metadata.
        with contextlib.suppress(json.JSONDecodeError, AttributeError):
            cells = json.loads(text).get("cells", [])
            text = "\n".join(
                part
                for cell in cells
                for part in [
                    "".join(cell.get("source", "")),
                    *(
                        s
                        for out in cell.get("outputs", [])
                        for s in _json_strings(out.get("data", out.get("text", "")))
                    ),
                    *(
                        s
                        for out in cell.get("outputs", [])
                        for s in _json_strings(out.get("traceback", []))
                    ),
                ]
            )
    elif path.suffix == ".json":
        # JSON escapes (\u00e4, \n) would split a planted string; read the values.
        with contextlib.suppress(json.JSONDecodeError):
            text = "\n".join(_json_strings(json.loads(text)))
    if path.suffix in (".html", ".ipynb"):
        text = html.unescape(JSON_ESCAPE.sub(_unescape_json, TAG.sub(_tag_text, text)))
    yield text


def _tag_text(tag: re.Match[str]) -> str:
    """A tag as the scanner reads it: a space (a line break between table cells and
    blocks, as a reader sees them apart), with its reader-facing attribute values."""
    values = [a or b for a, b in READER_ATTRIBUTE.findall(tag.group(0))]
    gap = "\n" if BLOCK_TAG.match(tag.group(0)) else " "
    return gap + " ".join(values) + gap if values else gap


def _unescape_json(escape: re.Match[str]) -> str:
    return chr(int(escape.group(1), 16)) if escape.group(1) else escape.group(2)


def _json_strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _json_strings(v)


def scan_paths(paths: Iterable[Path]) -> list[ScanFinding]:
    findings = []
    for path in paths:
        if not path.is_file() or (path.suffix not in TEXT_SUFFIXES and path.suffix != ".parquet"):
            continue
        if "assets" in path.parts:
            continue
        for text in _texts(path):
            for finding in find_personal_data(CHECKSUM.sub(" ", text)):
                findings.append(ScanFinding(path, finding.kind, finding.masked()))
    return findings


def check_site(
    site_dir: Path, data_dir: Path, already_scanned: set[Path] | None = None
) -> list[ScanFinding]:
    """Scan the site, ``DATA/build/executed`` and ``DATA/processed``.

    ``already_scanned``: files this build scanned as it wrote them (their
    findings are the caller's); they are not read twice.
    """
    data_dir = Path(data_dir)
    skip = {p.resolve() for p in already_scanned or set()}
    roots = [Path(site_dir), data_dir / "build" / "executed", data_dir / "processed"]
    return scan_paths(
        p
        for root in roots
        if root.exists()
        for p in sorted(root.rglob("*"))
        if p.resolve() not in skip
    )
