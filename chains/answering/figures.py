"""Does a question ask for a figure that the quoted passages do not state?

Grounding measures whether the workspace covers a question's topic; it cannot see that
the one fact asked for is missing. All 9 unanswerable questions of the held-out set were
on covered topics, and 6 of them asked for a figure: a fine, a price, a number of days or
of GPUs (docs/retrieval.md, session 18). When a question asks "how much / how long /
which fine" and no quoted sentence holds a number, the answer says so (phrase
``no_figure``) instead of letting the passages look like the answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_ASKS_FOR_FIGURE = re.compile(
    r"\b(?:"
    r"wie\s+(?:viel|viele|vielen|lange|hoch|oft|teuer|gross|groß)"
    r"|was\s+kostet|welche[nmrs]?\s+(?:busse|bussgeld|strafe|frist|betrag|preis)"
    r"|kosten|preis|preise|busse|bussgeld|frist|fristen"
    r"|how\s+(?:much|many|long|often|high|big|expensive)"
    r"|what\s+(?:fine|penalty|price|cost)|(?:maximum|the)\s+fines?\b"
    r"|cost|costs|price|prices|penalty|penalties|deadline"  # not "fine": "is it fine to"
    r")\b",
    re.IGNORECASE,
)
_NUMBER = (
    r"(?:\d[\d'’.,]*|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig"
    r"|dreissig|dreißig|hundert|tausend|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|twenty|thirty|hundred|thousand)"
)
_UNIT = (
    r"(?:%|prozent|percent|chf|eur|euro|usd|franken|dollar|tagen?|days?|wochen|weeks?"
    r"|monaten?|months?|jahren?|years?|stunden|hours?|minuten|minutes?|gb|tb|gpus?)"
)
# a figure is a number with a unit or a currency: "30 Tagen", "CHF 250 000", "4 %";
# "Art. 24", "AML.T0034" or "2025" are numbers, not the figure a question asks for
_FIGURE = re.compile(
    rf"\b{_NUMBER}\s*(?:-\s*)?{_UNIT}(?![a-zäöü])|(?:chf|eur|usd|fr\.|€|\$)\s*\d",
    re.IGNORECASE,
)


def asks_for_figure(question: str) -> bool:
    return bool(_ASKS_FOR_FIGURE.search(question))


def missing_figure(question: str, quoted: Iterable[str]) -> bool:
    """True when the question asks for a figure and no quoted sentence states one."""
    return asks_for_figure(question) and not any(_FIGURE.search(s) for s in quoted)
