"""Text as the personal-data patterns see it (privacy.md §8).

People type identity codes with an en dash, e-mails with a full-width ``＠`` or
a zero-width space inside, numbers with no-break spaces. Before matching, text
is normalised: Unicode NFKC (full-width and other compatibility forms become
ASCII), invisible format characters removed, every space look-alike becomes a
plain space and every dash look-alike a hyphen-minus, and the percent codes of
characters an e-mail address is made of (``%40`` → ``@``) are decoded, as is
the HTML entity of ``@`` (``&#64;``).

Normalisation is for matching only. :class:`NormalisedText` keeps, for every
normalised character, the span of original characters it came from, so a match
is mapped back and redacted in the text exactly as the respondent wrote it;
an invisible character inside a match is inside the mapped span and goes with it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Invisible format characters (Unicode category Cf) people paste without knowing:
# soft hyphen, zero-width space/joiners, direction marks, word joiner, BOM.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0"
)
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_DASHES = "\u02d7\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
_LOOKALIKES = str.maketrans(
    {**dict.fromkeys(_INVISIBLE), **dict.fromkeys(_SPACES, " "), **dict.fromkeys(_DASHES, "-")}
)
_HAS_INVISIBLE = re.compile(f"[{_INVISIBLE}]")
# What changes the length of the text, so that positions must be mapped.
# re.sub is many times faster than str.translate on non-ASCII text.
_SPACE = re.compile(f"[{_SPACES}]")
_DASH = re.compile(f"[{_DASHES}]")
_NEEDS_MAP = re.compile(f"[{_INVISIBLE}]|%[0-9A-Fa-f]{{2}}|&(?:#0*64|#x0*40|commat);", re.I)
# Percent codes decoded: only the characters of an e-mail address, so that
# "matti%40yhdistys.fi" in a URL reads as an address; other codes stay as typed.
_PERCENT = {"40": "@", "2e": ".", "2d": "-", "5f": "_", "2b": "+"}
# A run of non-ASCII characters with the character before it (a combining mark
# belongs to the letter it follows), or one percent code.
_SEGMENT = re.compile(r"%[0-9A-Fa-f]{2}|&(?:#0*64|#x0*40|commat);|.?[^\x00-\x7f]+", re.S | re.I)


@dataclass(frozen=True)
class NormalisedText:
    """``text`` normalised for matching, with a map back to the original."""

    original: str
    text: str
    # starts[i], ends[i]: the original span of normalised character i; None when
    # the normalised text is the original (the common case, kept cheap).
    starts: list[int] | None = None
    ends: list[int] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that normalised ``text[start:end]`` came from."""
        if self.starts is None or self.ends is None:
            return start, end
        if start >= end:
            position = self.starts[start] if start < len(self.starts) else len(self.original)
            return position, position
        return self.starts[start], self.ends[end - 1]


def normalise(text: str) -> NormalisedText:
    """``text`` as the patterns see it; see the module docstring for what changes."""
    if text.isascii():
        if not _NEEDS_MAP.search(text):
            return NormalisedText(text, text)
    elif unicodedata.is_normalized("NFKC", text) and not _NEEDS_MAP.search(text):
        # Look-alike spaces and dashes are replaced one for one: positions stay.
        return NormalisedText(text, _DASH.sub("-", _SPACE.sub(" ", text)))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last = 0
    for segment in _SEGMENT.finditer(text):
        begin, finish = segment.span()
        if begin > last:  # plain ASCII kept as it is
            out.append(text[last:begin])
            starts.extend(range(last, begin))
            ends.extend(range(last + 1, begin + 1))
        piece = segment.group(0)
        if piece[0] == "&":  # "&#64;" copied from a web page
            out.append("@")
            starts.append(begin)
            ends.append(finish)
        elif piece[0] == "%" and len(piece) == 3 and piece[1:].lower() in _PERCENT:
            out.append(_PERCENT[piece[1:].lower()])
            starts.append(begin)
            ends.append(finish)
        elif piece[0] == "%" and len(piece) == 3 and piece.isascii():
            out.append(piece)
            starts.extend(range(begin, finish))
            ends.extend(range(begin + 1, finish + 1))
        else:
            _normalise_run(piece, begin, out, starts, ends)
        last = finish
    if last < len(text):
        out.append(text[last:])
        starts.extend(range(last, len(text)))
        ends.extend(range(last + 1, len(text) + 1))
    return NormalisedText(text, "".join(out), starts, ends)


def _normalise_run(run: str, offset: int, out: list[str], starts: list[int], ends: list[int]):
    """Normalise one run character cluster by character cluster (a base and its marks)."""
    if unicodedata.is_normalized("NFKC", run) and not _HAS_INVISIBLE.search(run):
        # Finnish letters and look-alike spaces and dashes: one character for one.
        out.append(run.translate(_LOOKALIKES))
        starts.extend(range(offset, offset + len(run)))
        ends.extend(range(offset + 1, offset + len(run) + 1))
        return
    clusters: list[tuple[int, int]] = []
    for i, char in enumerate(run):
        if clusters and unicodedata.combining(char):
            clusters[-1] = (clusters[-1][0], i + 1)
        else:
            clusters.append((i, i + 1))
    for a, b in clusters:
        normal = unicodedata.normalize("NFKC", run[a:b]).translate(_LOOKALIKES)
        out.append(normal)
        starts.extend([offset + a] * len(normal))
        ends.extend([offset + b] * len(normal))
