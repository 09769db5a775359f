"""Remove personal data from text before it is sent to an endpoint outside this machine.

E-mail addresses, Swiss AHV numbers, IBANs, phone numbers and the names configured in
``settings.redact_names`` become placeholders. The order matters: AHV numbers and IBANs
are digit runs that the phone pattern would otherwise take.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
_AHV = re.compile(r"\b756[.\s]?\d{4}[.\s]?\d{4}[.\s]?\d{2}\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b")
_PHONE = re.compile(
    r"(?<![\w.])(?:\+|00)\d{1,3}[\s./-]?(?:\(0\)\s?)?\d{1,4}(?:[\s./-]?\d{2,4}){2,4}\b"
    r"|(?<![\w.])0\d{1,3}[\s./-]\d{3}(?:[\s./-]?\d{2,4}){1,3}\b"
)


@dataclass(frozen=True)
class Redaction:
    """The cleaned text and how many items were replaced."""

    text: str
    count: int


def redact(text: str, names: Sequence[str] = ()) -> Redaction:
    """Replace personal data with placeholders such as ``[E-MAIL]`` and ``[NAME]``."""
    count = 0
    for pattern, placeholder in (
        (_EMAIL, "[E-MAIL]"),
        (_AHV, "[AHV-NR]"),
        (_IBAN, "[IBAN]"),
        (_PHONE, "[TELEFON]"),
    ):
        text, n = pattern.subn(placeholder, text)
        count += n
    for name in sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True):
        text, n = re.subn(rf"(?<!\w){re.escape(name)}(?!\w)", "[NAME]", text, flags=re.IGNORECASE)
        count += n
    return Redaction(text, count)
