"""Explicit cue rules: what one sentence says about a criterion, negations and hedges included.

The rules live in ``data/vendor_criteria.yaml``; this module only applies them. The order of
reasoning for each rule that matches a sentence:

0. Advice ("should", "SOLLTE") and pointers ("To learn more, see …") claim nothing about
   the service: no rule reads them.
1. ``exclude`` / ``context`` patterns decide whether the rule is about this sentence at all.
2. A duration rule reads the stated number and unit and maps it to a status by thresholds.
3. Negation: negators are counted in the clause(s) the match spans, after blanking phrases
   that only look negative ("not limited to"); an odd count means negated. The rule then
   gives its ``negated`` status, or nothing (``skip``), unless it is ``literal``.
4. Qualifiers: a hedge in the clause or an exception in the sentence weakens fulfilled to
   partly; a condition or a plan/deployment scope weakens not fulfilled to partly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chains.vendors.records import Status
from knowledge.common import Lang
from knowledge.vendor_criteria import (
    Criterion,
    CueRule,
    LanguageRules,
    compile_pattern,
    days_for,
)

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ADMONITION = re.compile(r"\[!\w+\]")
_COMMENT = re.compile(r"<!--.*?-->")
_EMPHASIS = re.compile(r"\*\*|__|`")
_LEADER = re.compile(r"^(?:[>\s]*(?:[-*•]|\d+[.)])?\s+)+")
_SPACES = re.compile(r"\s+")
_TRAILER = re.compile(r"[\s>]+$")
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")

_QUALIFIER_NOTES: dict[str, dict[str, str]] = {
    "negated": {"de": "verneint", "en": "negated"},
    "hedge": {"de": "abgeschwächt durch «{w}»", "en": "weakened by “{w}”"},
    "exception": {"de": "Einschränkung «{w}»", "en": "restricted by “{w}”"},
    "condition": {"de": "nur im Fall «{w}»", "en": "only in the case “{w}”"},
    "scope": {"de": "gilt nur für «{w}»", "en": "applies only to “{w}”"},
    "duration": {"de": "Frist {w}", "en": "period {w}"},
}


def clean_sentence(text: str) -> str:
    """Drop Markdown links, emphasis, quote and list markers; keep the words."""
    text = _COMMENT.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _ADMONITION.sub(" ", text)
    text = _EMPHASIS.sub("", text)
    text = _LEADER.sub("", text)
    return _TRAILER.sub("", _SPACES.sub(" ", text)).strip()


@dataclass(frozen=True)
class CueHit:
    """One rule that spoke on a sentence, with the status it supports."""

    verdict: Status
    aspect: str | None
    negated: bool
    note: str
    qualifiers: tuple[str, ...] = ()


def _any(patterns: list[str], text: str) -> re.Match[str] | None:
    found: re.Match[str] | None = None
    for pattern in patterns:
        m = compile_pattern(pattern).search(text)
        if m is not None and (found is None or m.start() < found.start()):
            found = m
    return found


def _blank(text: str, patterns: list[str]) -> str:
    """Replace matches by spaces so offsets stay valid."""
    for pattern in patterns:
        text = compile_pattern(pattern).sub(lambda m: " " * len(m.group(0)), text)
    return text


class CueMatcher:
    """Applies the shared language rules and a criterion's cue rules to sentences."""

    def __init__(self, rules: LanguageRules) -> None:
        self.rules = rules

    # ---- sentence mechanics ---------------------------------------------------------
    def clauses(self, text: str) -> list[tuple[int, int]]:
        """Clause spans between clause breaks (punctuation, "but", "unless", "aber", ...)."""
        cuts: list[tuple[int, int]] = []
        for pattern in self.rules.clause_breaks:
            cuts.extend((m.start(), m.end()) for m in compile_pattern(pattern).finditer(text))
        cuts.sort()
        spans: list[tuple[int, int]] = []
        pos = 0
        for start, end in cuts:
            if start > pos:
                spans.append((pos, start))
            pos = max(pos, end)
        if pos < len(text):
            spans.append((pos, len(text)))
        return spans or [(0, len(text))]

    def scope_text(self, text: str, start: int, end: int) -> str:
        """The clause(s) a match stands in, read around any parenthesis.

        A match inside "( … )" is judged on the parenthesis alone; outside, parentheses
        are skipped, so "SSO (SAML) is not available" stays one negated clause.
        """
        for m in _PARENS.finditer(text):
            if m.start() < start and end <= m.end():
                return text[m.start() + 1 : m.end() - 1]
        flat = _PARENS.sub(lambda m: " " * len(m.group(0)), text)
        spans = self.clauses(flat)
        first = next((a for a, b in spans if a <= start < b), start)
        last = next((b for a, b in reversed(spans) if a < end <= b), end)
        return flat[min(first, start) : max(last, end)]

    def is_negated(self, text: str, start: int, end: int) -> bool:
        """An odd number of negators in the clause(s) of the match (double negation cancels)."""
        part = self.scope_text(_blank(text, self.rules.non_negating), start, end)
        count = sum(len(compile_pattern(p).findall(part)) for p in self.rules.negators)
        return count % 2 == 1

    # ---- rules ----------------------------------------------------------------------
    def classify(self, sentence: str, criterion: Criterion, lang: Lang) -> list[CueHit]:
        """Every cue rule of the criterion that speaks on this sentence (cleaned first)."""
        text = clean_sentence(sentence)
        if _any(self.rules.no_claim, text):
            return []
        hits = []
        for cue in criterion.cues:
            hit = self._apply(cue, text, lang)
            if hit is not None:
                hits.append(hit)
        return hits

    def _apply(self, cue: CueRule, text: str, lang: Lang) -> CueHit | None:
        if cue.exclude and _any(cue.exclude, text):
            return None
        if cue.context and not _any(cue.context, text):
            return None
        match = _any(cue.patterns, text)
        if match is None:
            return None
        qualifiers: list[tuple[str, str]] = []
        verdict: str = cue.status
        if cue.duration is not None:
            days = days_for(float(match.group("n").replace(",", ".")), match.group("unit"))
            verdict = cue.duration.verdict(days)
            qualifiers.append(("duration", f"{match.group('n')} {match.group('unit')}"))
        negated = False
        if cue.negated != "literal" and self.is_negated(text, match.start(), match.end()):
            if cue.negated == "skip":
                return None
            negated = True
            verdict = cue.negated
            if cue.note_negated is None:
                qualifiers.append(("negated", ""))
        if cue.qualifiers:
            verdict = self._qualify(text, match, verdict, qualifiers)
        note = cue.note_negated if negated and cue.note_negated is not None else cue.note
        notes = [note.get(lang)]
        notes += [_QUALIFIER_NOTES[kind][lang].format(w=word) for kind, word in qualifiers]
        return CueHit(
            verdict=Status(verdict),
            aspect=cue.aspect,
            negated=negated,
            note="; ".join(notes),
            qualifiers=tuple(kind for kind, _ in qualifiers),
        )

    def _qualify(
        self, text: str, match: re.Match[str], verdict: str, out: list[tuple[str, str]]
    ) -> str:
        plain = _blank(text, self.rules.non_negating)
        if verdict == "fulfilled":
            hedge = _any(self.rules.hedges, self.scope_text(plain, match.start(), match.end()))
            if hedge is not None:
                out.append(("hedge", hedge.group(0)))
                return "partly"
            exception = _any(self.rules.exceptions, plain)
            if exception is not None:
                out.append(("exception", exception.group(0)))
                return "partly"
        elif verdict == "not_fulfilled":
            condition = _any(self.rules.conditionals, plain)
            if condition is not None:
                out.append(("condition", condition.group(0)))
                return "partly"
            scope = _any(self.rules.scopes, plain)
            if scope is not None:
                out.append(("scope", scope.group(0).strip(" :")))
                return "partly"
        return verdict
