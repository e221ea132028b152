"""Redaction of personal data in free text, applied at ingest (privacy.md §2, §8).

Text is matched as people type it: :mod:`tilannekuva.privacy.normalise` turns
full-width characters, en dashes, no-break and zero-width spaces and
percent-encoded ``@`` into plain ASCII first, and every match is mapped back to
the original text, which is redacted exactly as written (the rest of an answer
keeps its Finnish letters and punctuation).

Classes and their tags, in the order they are applied (a URL may hold an
e-mail, an IBAN a run of digits that looks like a phone number):

- ``[linkki]``  URLs with a personal query string (``?email=``, ``id=``, ``user=``,
  ``name=``, ``token=``, …) or an e-mail inside (also ``%40``-encoded).
- ``[sähköposti]``  e-mail addresses, also with spaces around ``@`` and written
  out: ``nimi(at)yhdistys.fi``, ``nimi [at] yhdistys [dot] fi``,
  ``nimi at yhdistys piste fi``.
- ``[hetu]``  Finnish personal identity codes in every form: century signs
  ``+ - A B C D E F Y X W V U``, temporary numbers 900–999, and a wrong check
  character (a typo is still personal data); spaces around the sign allowed.
  Only the date part's plausibility (day 01–31, month 01–12) is required.
- ``[tilinumero]``  IBANs, Finnish (``FI`` + 16 digits, any case, grouped by
  spaces or dashes), and others that pass the IBAN checksum (python-stdnum).
- ``[puhelin]``  Finnish phone numbers: ``+358`` / ``00358`` / ``358`` or a
  leading ``0``, grouped by spaces, dashes, dots or a bracketed area code, also
  glued to a prefix (``puh.040…``); after a prefix word also without the 0.
  Then ``phonenumbers``' matcher as a second detector (other countries'
  ``+46 …``, groupings the pattern does not know). Not business IDs
  (``1234567-8``), years, dates, prices or postcodes.
- ``[osoite]``  street addresses with a number (``Kauppakatu 12 A 3``,
  ``Kauppak. 12``, ``Vapaudenk 5 B 7``, ``Rautatienk. 2 as. 4``, Swedish
  ``-gatan``/``-vägen``) and post boxes (``PL 35``, ``PB 35``), with the post
  code and town after them (``…, 40100 Jyväskylä``).

The known misses of each class are listed in ``docs/privacy.md``. Personal
names of private people are NOT detected: quotes are reviewed by an analyst,
who can exclude one (see ``exclusions``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from stdnum import iban as stdnum_iban

from tilannekuva.privacy.normalise import normalise

TAGS = {
    "url": "[linkki]",
    "email": "[sähköposti]",
    "hetu": "[hetu]",
    "iban": "[tilinumero]",
    "phone": "[puhelin]",
    "address": "[osoite]",
}

_AT = (
    r"(?:\s*@\s*|\s*\(\s*(?:at|ät)\s*\)\s*|\s*\[\s*(?:at|ät)\s*\]\s*|\s*\{\s*(?:at|ät)\s*\}\s*"
    r"|\s+at\s+|\s*\(a\)\s*|\s*\[a\]\s*)"
)
_DOT = r"(?:\.|\s*\(\s*(?:dot|piste)\s*\)\s*|\s*\[\s*(?:dot|piste)\s*\]\s*|\s+(?:dot|piste)\s+)"
_NAME = r"[\w.+\-]"
# What may stand right before a phone number: nothing word-like, or a prefix word
# glued on (puh.040…, tel.+358…, p.040…, gsm:040…).
_PHONE_WORDS = ("puhelin", "puh", "tel", "p", "gsm", "mob", "matkap", "nro", "numero", "tfn", "tlf")
_PHONE_PREFIX = "(?i:" + "|".join(_PHONE_WORDS) + ")"
# Look-behinds must be of fixed width: one per prefix word.
_AFTER_PREFIX = "(?i:" + "|".join(rf"(?<=\b{w})" for w in _PHONE_WORDS) + ")"
# The same, for the two digits just read, with a separator between.
_AFTER_PREFIX_TWO_DIGITS = (
    "(?i:"
    + "|".join(
        rf"(?<=\b{w}{re.escape(sep)}\d\d)"
        for w in _PHONE_WORDS
        for sep in ("", ".", ":", " ", ". ", ": ")
    )
    + ")"
)
_PHONE_BEFORE = rf"(?:(?<![\w+,.])|(?<=[^\W\d_][.:])|{_AFTER_PREFIX})"
# Post code and town after an address: "Kauppakatu 12, 40100 Jyväskylä" (or the code alone).
_POST_TOWN = r"(?:\s*,?\s*(?:FI-)?\d{5}(?!\d|[,.]\d)(?:\s+[A-ZÅÄÖ][\wÅÄÖåäö\-]*)?)?"
_STREET_SUFFIX = (
    r"(?:katu|tie|kuja|polku|tori|väylä|raitti|rinne|kaari|aukio|ranta|puisto|piha|mäki|"
    r"kaarre|kierros|portti|tanhua|penger|kaarto|lenkki|gatan|vägen|gränd|stigen|torget)"
)
_APARTMENT = r"(?:\s?-\s?\d{1,4})?(?:\s?[A-Za-z](?:\s?\d{1,4})?\b)?(?:\s*,?\s*(?:as|asunto|h|lh)\.?\s?\d{1,4}\b)?"
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
        re.compile(rf"\b{_NAME}++{_AT}[\w\-]+(?:{_DOT}[\w\-]+)*{_DOT}[a-z]{{2,}}\b", re.I),
    ),
    (
        "hetu",
        re.compile(
            # the day first, then the look-behind (a day that does not follow a digit
            # or a dash): a pattern that starts with digits is scanned fast
            r"(?:0[1-9]|[12]\d|3[01])(?<![\d-]\d\d)(?:0[1-9]|1[0-2])\d{2}[ ]{0,2}[-+ABCDEFYXWVU][ ]{0,2}"
            r"\d{3}[0-9A-Y](?![0-9A-Za-z])",
            re.I,
        ),
    ),
    (
        "iban",
        re.compile(
            r"\b(?:[Ff][Ii][ \-]?\d{2}(?:[ \-]?\d){14}|[A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]){11,30})\b"
        ),
    ),
    (
        "phone",
        # Standing alone (checked in code: _STANDS_ALONE) or glued to a prefix word.
        re.compile(
            # +358 / 00358 / 358, an optional (0), the area code
            r"(?:(?:\+|00)[ ]?358|358(?=[ \-]?(?:\(0\)[ ]?)?\(?[1-9]))[ \-]?(?:\(0\)[ ]?)?\(?\d{1,3}\)?"
            r"(?:[ \-]?\d){4,10}(?![\w-])"
            # a leading 0 with spaces or dashes, or dots between groups
            r"|\(?0\d{1,3}\)?(?:[ \-]?\d){4,10}(?![\w-])|0\d{1,3}\.\d{3,4}\.\d{3,4}(?![\w-])"
        ),
    ),
    (
        "phone",
        # A mobile number without its 0, only right after a prefix word
        # ("puh. 40 123 4567"). Digits first and then the look-behinds, one per
        # prefix and separator (they must be of fixed width): the pattern is
        # tried only where "4x" or "50" stands.
        re.compile(rf"(?:4\d|50){_AFTER_PREFIX_TWO_DIGITS}[ \-]?\d{{3}}[ \-]?\d{{3,4}}(?![\w-])"),
    ),
    (
        "address",
        re.compile(
            # a street with a typical suffix, its abbreviation ("Kauppak. 12", "Vapaudenk 5")
            rf"(?:\b[A-ZÅÄÖ][\wåäöé\-]*{_STREET_SUFFIX}"
            # lower case too, but not plural partitives such as "tunnuslukuja"
            r"|\b[a-zåäö][\wåäöé\-]{2,}(?:katu|tie|(?<!lu)kuja|gatan|vägen)"
            r"|\b[A-ZÅÄÖ][a-zåäöé\-]{2,}(?:k|t)\."
            r"|\b[A-ZÅÄÖ][a-zåäöé\-]{2,}nk"
            r"|\b[A-ZÅÄÖ][\wåäöé]+[ \t]+(?:katu|tie|kuja))"
            # the house number on the same line (a list of place names and codes is no
            # address), and no house is number 0
            rf"[ \t]*[1-9]\d{{0,3}}(?![,.]\d|\d)(?!\s?(?:%|€|e\b|eur|kpl|h\b|min|krt|km|m\b|v\b|vuot|hlö|henk))"
            + _APARTMENT
            + _POST_TOWN
            + r"|\b(?:PL|PB|(?i:postilokero|p\.?\s?o\.?\s?box|box))\.?\s?\d{1,5}\b"
            + _POST_TOWN,
        ),
    ),
]
# Classes whose every match holds a digit: skipped on text without one.
NEED_A_DIGIT = {"hetu", "iban", "phone", "address"}
DIGIT = re.compile(r"\d")
BUSINESS_ID = re.compile(r"\d{7}-\d")
# Dates phonenumbers reads as numbers ("01.05.2018" is a valid Finnish number).
DATE = re.compile(r"(?<!\d)\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})?(?!\d)|\d{4}-\d{1,2}-\d{1,2}")
# Every e-mail match contains one of these (the forms of _AT): a cheap test that
# spares the e-mail pattern, the slowest one, on texts that cannot hold an address.
AT_HINT = re.compile(r"@|\bat\b|\bät\b|\(a\)|\[a\]", re.I)
# The phone matcher runs only where seven digits stand close together (a number
# cannot be shorter) and the run stands alone and is no date, decimal fraction or
# business ID (checked in code); most answers, and most of a page's figure data,
# have none.
PHONE_RUN = re.compile(r"[+(]?\d(?:[ ().\-/]{0,3}\d){6,}")
# Runs that are no phone number: a date, a decimal fraction, a business ID.
NOT_A_PHONE_RUN = re.compile(
    r"[1-9]\d{0,2}[.,]\d{4}|0[.,]\d|\d{1,2}\.\d{1,2}\.|\d{4}-\d\d-\d\d|\d{7}-\d(?!\d)"
)
_STANDS_ALONE = re.compile(_PHONE_BEFORE)
_PHONE_CONTEXT = re.compile(rf"{_PHONE_PREFIX}[.:]?\s*$")


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
        compact = re.sub(r"[\s\-]", "", text).upper()
        if compact.startswith("FI"):
            return len(compact) == 18 and compact[2:].isdigit()
        return stdnum_iban.is_valid(compact)
    if kind == "phone":
        digits = re.sub(r"\D", "", text)
        if BUSINESS_ID.fullmatch(text.strip()):
            return False
        return 7 <= len(digits) <= 15  # 00358 + up to 10 digits
    return True


def _matcher_accepts(text: str, start: int, raw: str) -> bool:
    """A number ``phonenumbers`` found, kept if it reads as a phone number here.

    With a ``+``, ``00``, ``358`` or a trunk ``0`` it does; other digit runs it
    accepts as Finnish numbers (``40 123 4567``) only after a prefix word, lest
    counts and technical numbers be redacted.
    """
    if BUSINESS_ID.fullmatch(raw) or DATE.search(raw):
        return False
    if not _STANDS_ALONE.match(text, start):  # "2,04  233" in a table is no number
        return False
    lead = raw.lstrip("( ")
    if lead.startswith(("+", "0", "358")):
        return True
    return bool(_PHONE_CONTEXT.search(text[max(0, start - 12) : start]))


def find_personal_data(text: str) -> list[Finding]:
    """Every personal-data match in ``text``, non-overlapping, in order.

    Spans and texts are the original's: matching is done on the normalised text.
    """
    if not text:
        return []
    normal = normalise(text)
    seen = normal.text
    taken: list[tuple[int, int]] = []
    found: list[tuple[str, int, int]] = []
    has_digit = DIGIT.search(seen) is not None
    for kind, pattern in PATTERNS:
        if kind == "email" and not AT_HINT.search(seen):
            continue
        if kind in NEED_A_DIGIT and not has_digit:
            continue
        for match in pattern.finditer(seen):
            # A pattern's "value" group is what goes; the prefix word stays: "puh. [puhelin]".
            start, end = match.span("value" if "value" in pattern.groupindex else 0)
            if any(start < b and a < end for a, b in taken):
                continue
            if kind == "phone" and not _STANDS_ALONE.match(seen, start):
                continue
            if not _accept(kind, seen[start:end]):
                continue
            taken.append((start, end))
            found.append((kind, start, end))
    for run in PHONE_RUN.finditer(seen):
        if NOT_A_PHONE_RUN.match(seen, run.start()) or not _STANDS_ALONE.match(seen, run.start()):
            continue
        # The matcher reads only a window around each run of digits: on a page's
        # whole text (figures' JSON) it would take seconds.
        offset = max(0, run.start() - 1)
        window = seen[offset : run.end() + 1]
        for match in phonenumbers.PhoneNumberMatcher(window, "FI"):
            start, end = offset + match.start, offset + match.end
            if any(start < b and a < end for a, b in taken):
                continue
            if not _matcher_accepts(seen, start, match.raw_string):
                continue
            taken.append((start, end))
            found.append(("phone", start, end))
    findings = []
    for kind, start, end in found:
        a, b = normal.original_span(start, end)
        findings.append(Finding(kind, a, b, text[a:b]))
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
