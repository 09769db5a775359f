"""Resolve a follow-up question against the conversation before retrieving.

"Und was heisst das für unsere Mitarbeitenden?" retrieves nothing useful on its own. Offline,
a question that opens like a continuation or points back is extended with the key words
of the previous (already resolved) question; with a language model, ``condense_messages``
asks it to rewrite the follow-up as a standalone question, and the offline rule is the
fallback.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kb.analysis import STOPWORDS

MAX_CONTEXT_TERMS = 8
FOLLOWUP_MAX_WORDS = 8

_WORD = re.compile(r"[A-Za-zÄÖÜäöüß0-9][\wÄÖÜäöüß-]*")
_OPENERS = re.compile(
    r"^\s*(und|aber|oder|and|but|or|what about|how about|was ist mit|wie ist es mit"
    r"|wie steht es mit|und wie|und was)\b",
    re.IGNORECASE,
)
# Pronouns that point back. German demonstratives count only when no noun follows
# ("was heisst das für uns" yes, "gilt das Gesetz" no: German nouns are capitalised);
# English demonstratives only before a verb, a preposition or the end.
_PRONOUNS = frozenset(
    {
        "es",
        "sie",
        "ihnen",
        "dabei",
        "dafür",
        "davon",
        "dazu",
        "darauf",
        "darüber",
        "damit",
        "it",
        "they",
        "them",
    }
)
_DEMONSTRATIVES = frozenset(
    {"das", "dies", "diese", "dieser", "dieses", "this", "that", "these", "those"}
)
_AFTER_EN = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "mean",
        "means",
        "apply",
        "applies",
        "for",
        "to",
        "in",
        "on",
        "about",
        "also",
        "still",
        "affect",
        "affects",
        "change",
        "cover",
        "covers",
        "require",
        "requires",
        "imply",
        "work",
    }
)


def _points_back(question: str) -> bool:
    words = re.findall(r"[\wÄÖÜäöüß-]+|[?.!,;:]", question)
    for i, word in enumerate(words):
        low = word.lower()
        nxt = words[i + 1] if i + 1 < len(words) else "?"
        if low in _PRONOUNS:
            return True
        if low in _DEMONSTRATIVES:
            if low in {"this", "that", "these", "those"}:
                if not nxt[0].isalnum() or nxt.lower() in _AFTER_EN:
                    return True
            elif not nxt[0].isupper():
                return True
    return False


def content_words(text: str) -> list[str]:
    """Words that carry meaning (stop words and one-letter words dropped), in order."""
    out: list[str] = []
    for word in _WORD.findall(text):
        low = word.lower()
        if low in STOPWORDS or len(low) < 2 or low in (w.lower() for w in out):
            continue
        out.append(word)
    return out


def is_followup(question: str) -> bool:
    """Opens like a continuation ("Und ...", "What about ...") or points back ("das", "it")."""
    if _OPENERS.match(question):
        return True
    return len(content_words(question)) <= FOLLOWUP_MAX_WORDS and _points_back(question)


def resolve_followup(question: str, previous: Sequence[str]) -> str:
    """The question, extended with the previous question's key words when it is a follow-up.

    ``previous`` holds the earlier questions as resolved, oldest first; only the last one
    is used, and it already carries the context of its own predecessors.
    """
    question = question.strip()
    if not previous or not question or not is_followup(question):
        return question
    have = {w.lower() for w in content_words(question)}
    context = [w for w in content_words(previous[-1]) if w.lower() not in have]
    if not context:
        return question
    return f"{question} ({' '.join(context[:MAX_CONTEXT_TERMS])})"
