"""Redaction of personal data in free text, applied at ingest (privacy.md §2).

Classes and their tags, in the order they are applied (a URL may hold an
e-mail, an IBAN a run of digits that looks like a phone number):

- ``[linkki]``  URLs with a personal query string (``?email=``, ``id=``, ``user=``,
  ``name=``, ``token=``, …) or an e-mail inside. Known miss: personal data in a
  URL *path* (``/users/matti``).
- ``[sähköposti]``  e-mail addresses, also written out: ``nimi(at)yhdistys.fi``,
  ``nimi [at] yhdistys [dot] fi``, ``nimi at yhdistys piste fi``. Known miss:
  addresses split over several words in other ways (``nimi ät yhdistys``).
- ``[hetu]``  Finnish personal identity codes in every form: century signs
  ``+ - A B C D E F Y X W V U``, temporary numbers 900–999, and a wrong check
  character (a typo is still personal data); spaces around the sign allowed.
  Only the date part's plausibility (day 01–31, month 01–12) is required.
  Known miss: a code with a digit missing.
- ``[tilinumero]``  IBANs, Finnish (``FI`` + 16 digits) with or without spaces,
  and others that pass the IBAN checksum (python-stdnum).
- ``[puhelin]``  Finnish phone numbers: ``+358`` / ``00358`` or a leading ``0``,
  7–13 digits, grouped by spaces, dashes or a bracketed area code. Not business
  IDs (``1234567-8``), years, dates, prices or postcodes, which have no leading
  0 or too few digits. Known miss: numbers written without the leading 0
  (``40 123 4567``) or with dots (``040.123.4567``) are not caught.
- ``[osoite]``  street addresses with a number (``Kauppakatu 12 A 3``,
  ``Mäkitie 3 b``, Swedish ``-gatan``/``-vägen``) and post boxes (``PL 35``,
  ``PB 35``). Known miss: streets without a typical suffix (``Kirkkoranta``
  yes, ``Hovi 3`` no).

Personal names of private people are NOT detected: quotes are reviewed by an
analyst, who can exclude one (see ``exclusions``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import iban as stdnum_iban

TAGS = {
    "url": "[linkki]",
    "email": "[sähköposti]",
    "hetu": "[hetu]",
    "iban": "[tilinumero]",
    "phone": "[puhelin]",
    "address": "[osoite]",
}

_AT = r"(?:@|\s*\(\s*at\s*\)\s*|\s*\[\s*at\s*\]\s*|\s*\{\s*at\s*\}\s*|\s+at\s+|\s*\(a\)\s*|\s*\[a\]\s*)"
_DOT = r"(?:\.|\s*\(\s*(?:dot|piste)\s*\)\s*|\s*\[\s*(?:dot|piste)\s*\]\s*|\s+(?:dot|piste)\s+)"
_NAME = r"[\w.+\-]"
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "url",
        re.compile(
            r"(?:https?://|www\.)[^\s<>\"]*?(?:[?&#;](?:e-?mail|mail|sposti|id|uid|user|username|"
            r"name|nimi|token|key|auth|session|sid|hetu|ssn|phone|puh|tel|osoite|address)=|"
            r"[\w.+-]+@)(?:[^\s<>\"]*[^\s<>\",.;:!?)])?",
            re.I,
        ),
    ),
    (
        "email",
        re.compile(rf"\b{_NAME}+{_AT}[\w\-]+(?:{_DOT}[\w\-]+)*{_DOT}[a-z]{{2,}}\b", re.I),
    ),
    (
        "hetu",
        re.compile(
            r"(?<![\w-])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[ ]?[-+ABCDEFYXWVU][ ]?\d{3}[0-9A-Y](?![\w])",
            re.I,
        ),
    ),
    ("iban", re.compile(r"\b(?:FI\s?\d{2}(?:\s?\d){14}|[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30})\b")),
    (
        "phone",
        re.compile(
            r"(?<![\w+.,])(?:(?:\+|00)[ ]?358[ \-]?(?:\(0\)[ ]?)?\(?\d{1,3}\)?|\(?0\d{1,3}\)?)"
            r"(?:[ \-]?\d){4,10}(?![\w-])"
        ),
    ),
    (
        "address",
        re.compile(
            r"\b(?:[A-ZÅÄÖ][\wåäöé\-]*(?:katu|tie|kuja|polku|tori|väylä|raitti|rinne|kaari|aukio|"
            r"ranta|puisto|piha|mäki|kaarre|kierros|portti|tanhua|gatan|vägen|gränd|stigen|torget)"
            r"|[A-ZÅÄÖ][\wåäöé]+\s+(?:katu|tie|kuja))\s+\d{1,4}(?![,.]\d)"
            r"(?:\s?-\s?\d{1,4})?(?:\s?[A-Za-z](?:\s?\d{1,4})?\b)?"
            r"|\b(?:PL|PB|postilokero|box)\s?\d{1,5}\b",
        ),
    ),
]
BUSINESS_ID = re.compile(r"\d{7}-\d")
# Every e-mail match contains one of these (the forms of _AT): a cheap test that
# spares the e-mail pattern, the slowest one, on texts that cannot hold an address.
AT_HINT = re.compile(r"@|\bat\b|\(a\)|\[a\]", re.I)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    def masked(self) -> str:
        """The match with most characters hidden, for messages that must not leak it."""
        t = self.text
        return t[:2] + "…" + t[-1:] if len(t) > 4 else "…"


def _accept(kind: str, text: str) -> bool:
    if kind == "iban":
        compact = re.sub(r"\s", "", text).upper()
        if compact.startswith("FI"):
            return len(compact) == 18 and compact[2:].isdigit()
        return stdnum_iban.is_valid(compact)
    if kind == "phone":
        digits = re.sub(r"\D", "", text)
        if BUSINESS_ID.fullmatch(text.strip()):
            return False
        return 7 <= len(digits) <= 15  # 00358 + up to 10 digits
    return True


def find_personal_data(text: str) -> list[Finding]:
    """Every personal-data match in ``text``, non-overlapping, in order."""
    if not text:
        return []
    taken: list[tuple[int, int]] = []
    findings: list[Finding] = []
    for kind, pattern in PATTERNS:
        if kind == "email" and not AT_HINT.search(text):
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            if not _accept(kind, match.group(0)):
                continue
            taken.append((start, end))
            findings.append(Finding(kind, start, end, match.group(0)))
    return sorted(findings, key=lambda f: f.start)


def redact_text(text: str) -> str:
    """``text`` with every personal-data match replaced by its tag (``[puhelin]``, …)."""
    if not isinstance(text, str) or not text:
        return text
    out, last = [], 0
    for finding in find_personal_data(text):
        out.append(text[last : finding.start])
        out.append(TAGS[finding.kind])
        last = finding.end
    out.append(text[last:])
    return "".join(out)
