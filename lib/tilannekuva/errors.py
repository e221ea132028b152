"""Errors a user can act on: bad input with every problem named, or wrong usage.

The command line prints these as one line per problem and exits 1 (bad input)
or 2 (usage); a traceback is shown only with ``--debug``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, located as a spreadsheet user would find it.

    ``row`` is the file's own row number (1-based, header rows counted), or
    None when the problem is about the whole file or a column.
    """

    file: str
    expected: str
    row: int | None = None
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        where = ", ".join(parts)
        if self.value is None:
            return f"{where}: {self.expected}"
        return f"{where}: value {self.value!r}: {self.expected}"


class TilannekuvaError(Exception):
    """Base of errors shown to the user without a traceback."""

    exit_code = 1


class InputError(TilannekuvaError):
    """An input file (or several) is not what was expected; lists every problem."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(TilannekuvaError):
    """A configuration file (questionnaire, themes, knowledge base) is malformed."""


class UsageError(TilannekuvaError):
    """The command was called wrongly."""

    exit_code = 2


class SourceUnavailable(TilannekuvaError):
    """A public source could not be reached (offline, or it kept failing)."""
