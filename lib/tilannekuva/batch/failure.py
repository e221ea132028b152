"""A failed page, told so that an analyst can act on it.

What the build prints for a failed page: the failing cell and the line in it
that raised (read from the traceback frame of that cell, not a library's),
the error, the page's parameters as a parameters cell ready to paste into the
notebook in JupyterLab, and where the executed notebook was quarantined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ANSI = re.compile(r"\x1b\[[0-9;]*m")
# IPython names a cell's frame "Cell In[7], line 3" (older: "<ipython-input-7-…> in <module>").
CELL_FRAME = re.compile(r"Cell In\[(\d+)\], line (\d+)")


@dataclass(frozen=True)
class PageFailure:
    page: str
    error: str
    parameters: dict[str, Any]
    quarantine: Path | None
    cell: int | None = None  # 1-based position among the notebook's code cells
    line: int | None = None  # 1-based line within that cell
    source_line: str | None = None

    def parameters_cell(self) -> str:
        """The parameters as a jupytext cell to paste over the notebook's own."""
        lines = ['# %% tags=["parameters"]']
        lines += [f"{key} = {value!r}" for key, value in self.parameters.items()]
        return "\n".join(lines)

    def to_text(self) -> str:
        lines = [f"page {self.page} failed: {self.error}"]
        if self.cell is not None:
            where = f"code cell {self.cell}" + (f", line {self.line}" if self.line else "")
            lines.append(f"  at {where}:")
            if self.source_line is not None:
                lines.append(f"    {self.source_line.strip()}")
        lines.append("  to reproduce in JupyterLab, replace the notebook's parameters cell with:")
        lines += [f"    {line}" for line in self.parameters_cell().splitlines()]
        if self.quarantine is not None:
            lines.append(f"  executed notebook (with the traceback): {self.quarantine}")
        return "\n".join(lines)


def describe_failure(
    page: str,
    notebook,
    error: str,
    parameters: dict[str, Any],
    quarantine: Path | None,
) -> PageFailure:
    """Find the cell that raised in an executed ``notebook`` and the line in it."""
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    # papermill's own injected cell is not the analyst's: count the notebook's cells only.
    own = [c for c in code_cells if "injected-parameters" not in c.metadata.get("tags", [])]
    for position, cell in enumerate(own, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            line = _cell_line(output.get("traceback", []), cell.get("execution_count"))
            source = cell.source.splitlines()
            text = source[line - 1] if line and 0 < line <= len(source) else None
            return PageFailure(page, error, parameters, quarantine, position, line, text)
    return PageFailure(page, error, parameters, quarantine)


def _cell_line(traceback: list[str], execution_count: int | None) -> int | None:
    """The line of the cell's own frame: the last frame naming this cell, else the first cell frame."""
    found = None
    for entry in traceback:
        for match in CELL_FRAME.finditer(ANSI.sub("", entry)):
            number, line = int(match.group(1)), int(match.group(2))
            if execution_count is None or number == execution_count:
                found = line  # later frames of the same cell are deeper calls within it
                if execution_count is None:
                    return found
    return found
