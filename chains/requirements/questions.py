"""Questions to put to the vendor, from open and conflicting requirements.

Only requirements a vendor can answer for (``status.VENDOR_CATEGORIES``) and only when
an external service is involved; conflicts first (they quote the vendor's own words),
then MUST before SHOULD, at most ``MAX_QUESTIONS`` so the list stays usable in a call.
"""

from __future__ import annotations

from collections.abc import Sequence

from chains.requirements.records import (
    DraftedRequirement,
    OpenQuestion,
    Stance,
    Status,
)
from chains.requirements.status import VENDOR_CATEGORIES, quote
from knowledge.catalog import Priority
from knowledge.common import Lang
from knowledge.scenario import Scenario

MAX_QUESTIONS = 20
_PRIORITY_RANK = {Priority.MUST: 0, Priority.SHOULD: 1, Priority.MAY: 2}


def _question(req: DraftedRequirement, vendor: str | None, lang: Lang) -> str:
    de = lang == "de"
    conflict = next((e for e in req.evidence if e.stance == Stance.CONTRADICTS), None)
    if req.status == Status.CONFLICTING and conflict is not None:
        who = conflict.vendor or conflict.source
        return (
            f"«{req.title}»: {who} schreibt {quote(conflict.text)}. Wie lässt sich die "
            "Anforderung trotzdem erfüllen (anderer Plan, Einstellung, Vertragszusatz)?"
            if de
            else f"“{req.title}”: {who} states {quote(conflict.text)}. How can the requirement "
            "still be met (another plan, a setting, a contract addendum)?"
        )
    service = vendor or ("Ihr Dienst" if de else "your service")
    return (
        f"«{req.title}»: Wie unterstützt {service} diese Anforderung? Welche Zusagen, "
        "Einstellungen oder Nachweise gibt es dazu?"
        if de
        else f"“{req.title}”: How does {service} support this requirement? Which commitments, "
        "settings or evidence are there?"
    )


def open_questions(
    scenario: Scenario, reqs: Sequence[DraftedRequirement], lang: Lang
) -> tuple[OpenQuestion, ...]:
    if "external_saas" not in scenario.facts() and not scenario.ai_service.vendor:
        return ()
    candidates = [
        r
        for r in reqs
        if r.category in VENDOR_CATEGORIES and r.status in (Status.OPEN, Status.CONFLICTING)
    ]
    candidates.sort(
        key=lambda r: (r.status != Status.CONFLICTING, _PRIORITY_RANK[r.priority], r.step, r.id)
    )
    vendor = scenario.ai_service.vendor
    return tuple(
        OpenQuestion(
            requirement_id=r.id,
            status=r.status,
            priority=r.priority,
            text=_question(r, vendor, lang),
        )
        for r in candidates[:MAX_QUESTIONS]
    )
