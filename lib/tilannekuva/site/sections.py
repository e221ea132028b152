"""Empty sections leave the reader's page: no heading stands above nothing.

A notebook's prose lives in markdown cells, headings included. When the code
cells of a section show nothing (a hidden scope, a result the privacy layer
hides quietly), the section's heading and prose would stand above nothing. A
section is a markdown cell that starts with a heading of level 2 or deeper,
together with the cells up to the next heading of the same or a higher level;
it is dropped from the reader's view when its code cells show nothing (no
output, or only empty HTML). The page's title (level 1) always stays.
"""

from __future__ import annotations

import re

HEADING = re.compile(r"^\s*(#{1,6})\s", re.M)


def _level(cell: dict) -> int | None:
    """The level of the heading a markdown cell starts with (None: not a heading cell)."""
    if cell.get("cell_type") != "markdown":
        return None
    source = "".join(cell.get("source", ""))
    match = HEADING.match(source)
    return len(match.group(1)) if match else None


def _shows(cell: dict) -> bool:
    """Whether a code cell shows the reader anything."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            if "".join(output.get("text", "")).strip():
                return True
            continue
        data = output.get("data", {})
        html = "".join(data.get("text/html", ""))
        if html.strip():
            return True
        if any(key != "text/html" and key != "text/plain" for key in data):
            return True
    return False


def drop_empty_sections(cells: list[dict]) -> list[dict]:
    """``cells`` without the sections whose code cells show nothing (see the module)."""
    keep = [True] * len(cells)
    for start, cell in enumerate(cells):
        level = _level(cell)
        if level is None or level < 2:
            continue
        end = start + 1
        while end < len(cells):
            other = _level(cells[end])
            if other is not None and other <= level:
                break
            end += 1
        body = cells[start + 1 : end]
        code = [c for c in body if c.get("cell_type") == "code"]
        if code and not any(_shows(c) for c in code):
            for i in range(start, end):
                keep[i] = False
    return [c for c, k in zip(cells, keep, strict=True) if k]
