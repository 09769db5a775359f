"""Does a question ask for a figure that the passages do not state?

Grounding measures whether the workspace covers a question's topic; it cannot see that
the one fact asked for is missing. All 9 unanswerable questions of the held-out set were
on covered topics, and 6 of them asked for a figure: a fine, a price, a number of days or
of GPUs (docs/retrieval.md, session 18). Two checks follow from that:

- An **amount** (a price, a cost, a fine) can only be answered by a passage that states
  one. When a question asks for an amount ("was kostet", "mit welcher Busse", "how much
  does it cost", "maximum fine") and none of the retrieved passages states an amount of
  money (or says "free of charge"), the workspace holds no basis: the answer is
  ungrounded (``missing_amount``). Asking *about* costs ("how can attackers drive up our
  costs?") is not asking for an amount and is not checked.
- Any other figure (a period, a quantity) may be answered in words ("so rasch als
  möglich", "as long as necessary"), so when no *quoted* sentence holds a number the
  answer only says so (phrase ``no_figure``) instead of letting the passages look like
  the answer (``missing_figure``).
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


_ASKS_FOR_AMOUNT = re.compile(
    r"\b(?:"
    r"was\s+kostet|was\s+kosten|was\s+(?:würde|wird|würden|werden)\b[^?.!]{0,80}?\bkosten\b"
    r"|wie\s*viel\s+kostet|wie\s*viel\s+kosten|wie\s+teuer"
    r"|wie\s+hoch\s+(?:ist|sind|wäre|wären|fällt|fallen|liegt|liegen)\s+(?:die|der|eine|das)?\s*"
    r"(?:busse|bussen|bussgeld|bussgelder|geldbusse|strafe|strafen|kosten|preis|preise"
    r"|gebühr|gebühren|lizenzkosten)"
    r"|mit\s+welche[nmr]?\s+(?:busse|bussen|bussgeld|geldbusse|geldstrafe|strafe|strafen"
    r"|kosten|gebühren)"
    r"|welche[nmr]?\s+(?:busse|bussgeld|geldbusse|geldstrafe)"
    r"|höhe\s+(?:der|des|einer)\s+(?:busse|bussen|bussgeld|strafe|kosten|gebühr|gebühren"
    r"|preise?s?)"
    r"|(?:preis|preise|kosten|gebühr|gebühren)\s+(?:pro|je)\b"
    r"|how\s+much\s+(?:does|do|did|will|would|is|are|could|can|might)\b[^?.!]{0,80}?\bcosts?\b"
    r"|how\s+much\s+(?:money|budget)|how\s+expensive"
    r"|what\s+(?:does|do|will|would)\b[^?.!]{0,80}?\bcost\b"
    r"|(?:maximum|max\.?|highest|possible)\s+(?:fine|fines|penalty|penalties)"
    r"|how\s+(?:high|large|big)\s+(?:is|are|would|could|will|can)\s+(?:the\s+|a\s+)?"
    r"(?:fine|fines|penalty|penalties|costs?|price|fee|fees)"
    r"|what\s+(?:fine|fines)\b|amount\s+of\s+the\s+(?:fine|penalty)"
    r"|(?:price|prices|cost|costs|fee|fees)\s+per\b"
    r"|what\s+(?:is|are)\s+the\s+(?:price|prices|fee|fees)\b"
    r")",
    re.IGNORECASE,
)
# an amount of money: "CHF 250 000", "250'000 Franken", "USD 2.50", "€35 million",
# "bis zu 4 % des Jahresumsatzes", or a statement that something costs nothing
_AMOUNT = re.compile(
    r"(?:chf|eur|usd|gbp|fr\.|sfr\.?|€|\$|£)\s*\d"
    rf"|\b{_NUMBER}\s*(?:mio\.?|millionen|million|mrd\.?|milliarden|billion)?\s*"
    rf"(?:chf|eur|euro|usd|franken|dollars?|rappen|cents?)(?![a-zäöü])"
    r"|\d\s*%\s*(?:des|of)\b[^.;]{0,60}?(?:umsatz|umsatzes|turnover|revenue)"
    r"|\b(?:kostenlos|kostenfrei|gebührenfrei|unentgeltlich|gratis|free\s+of\s+charge"
    r"|at\s+no\s+(?:extra\s+|additional\s+)?(?:cost|charge)|no\s+(?:extra\s+|additional\s+)?"
    r"(?:cost|charge|fee)s?\b|keine\s+(?:zusätzlichen\s+)?(?:kosten|gebühren))",
    re.IGNORECASE,
)


def asks_for_amount(question: str) -> bool:
    """True for a question after a price, a cost or a fine as an amount of money."""
    return bool(_ASKS_FOR_AMOUNT.search(question))


def states_amount(text: str) -> bool:
    return bool(_AMOUNT.search(text))


def missing_amount(question: str, passages: Iterable[str]) -> bool:
    """True when the question asks for an amount and no passage states one."""
    return asks_for_amount(question) and not any(states_amount(p) for p in passages)


def asks_for_figure(question: str) -> bool:
    return bool(_ASKS_FOR_FIGURE.search(question))


def missing_figure(question: str, quoted: Iterable[str]) -> bool:
    """True when the question asks for a figure and no quoted sentence states one."""
    return asks_for_figure(question) and not any(_FIGURE.search(s) for s in quoted)
