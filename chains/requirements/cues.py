"""Status cues: when a sentence mandates, satisfies or contradicts a requirement.

The rules, in the order they are applied to one relevant sentence:

1. Policy documents (category ``policy``) are the company's own rules. A sentence
   *mandates* the measure when it uses mandating language (``muss``, ``nur``,
   ``untersagt``, ``must``, ``only``, ``prohibited`` ...) or states a rule in the plain
   present ("Agenten arbeiten mit minimalen Rechten"); a sentence that only describes what
   can happen ("KI-Dienste können falsche Informationen liefern", "may", "can") merely
   mentions it. Policy sentences never contradict: a weak policy is a gap, not a conflict.
2. Vendor documents: a **gap** cue (a capability the vendor says it does not offer:
   "is not available", "does not offer", "no SLA", "nicht verfügbar", "kein AVV")
   contradicts.
3. Vendor documents: a **risk** cue (the vendor states a risky practice: data "may be
   stored in the United States", prompts "retained for 30 days", content "used to
   improve models unless opt-out", "human review") contradicts a requirement on that
   topic, *unless the sentence negates it* ("nicht", "kein", "not", "no", "never",
   "without"): "verwendet Kundendaten nicht für das Training" satisfies a no-training
   requirement. A bare negation is therefore no contradiction on its own, because vendors
   usually negate risks. A risk cue on a topic the requirement does not address makes the
   sentence irrelevant for it, negated or not ("kein Training mit Kundendaten" says
   nothing about staff training).
4. Anything else relevant supports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chains.requirements.records import Stance

_FLAGS = re.IGNORECASE | re.UNICODE

NEGATION = re.compile(
    r"\b(nicht|kein\w*|nie|niemals|ohne|not|no|never|without|none)\b|n't\b", _FLAGS
)

MANDATE = re.compile(
    r"\b(muss|müssen|darf|dürfen|nur|ausschliesslich|immer|stets|jede[rsnm]?|verboten|"
    r"untersagt|erforderlich|erfordern?|pflicht\w*|verpflicht\w*|"
    r"sind\s+\w+\s+zu|ist\s+\w+\s+zu|must|shall|only|always|required?|prohibited|forbidden|"
    r"mandatory|may\s+not|is\s+to|are\s+to|will\s+be|has\s+to|have\s+to)\b",
    _FLAGS,
)


DESCRIPTIVE = re.compile(
    r"\b(kann|können|könnte|könnten|may|might|could|can|possibly|eventuell)\b", _FLAGS
)


def mandates(sentence: str) -> bool:
    """Whether a policy sentence states a rule rather than describing a possibility."""
    return bool(MANDATE.search(sentence)) or not DESCRIPTIVE.search(sentence)


@dataclass(frozen=True)
class CueFamily:
    """A kind of vendor statement: its pattern and the requirement topics it is about.

    ``topic`` is matched against the requirement's title and search terms (both
    languages); ``None`` means the cue is about whatever the sentence is relevant to.
    ``negatable`` risk cues flip to support when the sentence negates them.
    """

    name: str
    pattern: re.Pattern[str]
    topic: re.Pattern[str] | None
    negatable: bool


GAP = CueFamily(
    "gap",
    re.compile(
        r"\b(is|are)\s+not\s+(currently\s+)?(available|offered|supported|provided|possible)\b"
        r"|\bdoes\s+not\s+(currently\s+)?(offer|provide|support|hold|include)\b"
        r"|\bcannot\s+be\s+(changed|configured|disabled|adjusted)\b"
        r"|\bno\s+(sla|dpa|sso|service\s+level\s+agreement|data\s+processing\s+a\w+)\b"
        r"|\bnicht\s+(verfügbar|erhältlich|vorgesehen|möglich|angeboten|unterstützt)\b"
        r"|\bbietet\s+(derzeit\s+|aktuell\s+)?kein\w*"
        r"|\bkein(e|en)?\s+(sla|avv|sso|auftragsbearbeitungsvertrag|zertifizierung)\b",
        _FLAGS,
    ),
    None,
    negatable=False,
)

RISKS: tuple[CueFamily, ...] = (
    CueFamily(
        "location",
        re.compile(
            r"\b(united\s+states|usa|u\.s\.|vereinigten\s+staaten|other\s+countries|"
            r"anderen\s+ländern|drittstaat\w*|third\s+countr\w*|"
            r"ausserhalb\s+der\s+(schweiz|eu)|outside\s+(switzerland|the\s+eu|the\s+eea|europe))\b",
            _FLAGS,
        ),
        re.compile(
            r"standort|rechenzentrum|region|speicherort|residen|location|data\s+cent|"
            r"drittstaat|third\s+countr",
            _FLAGS,
        ),
        negatable=True,
    ),
    CueFamily(
        "training",
        re.compile(
            r"\b(train\w*|improve\w*|verbesser\w*|trainier\w*)\b[^.;]{0,60}\b(models?|modell\w*)\b"
            r"|\b(models?|modell\w*)\b[^.;]{0,40}\b(train\w*|trainier\w*)\b",
            _FLAGS,
        ),
        re.compile(
            r"modelltrain|training\s+(on|mit|of)\b|modellverbesser|model\s+improvement|"
            r"opt-out|training\s+deaktiv|out\s+of\s+training",
            _FLAGS,
        ),
        negatable=True,
    ),
    CueFamily(
        "retention",
        re.compile(
            r"\b(prompts?|outputs?|inhalte|content|conversations?|eingaben|ausgaben|chat\w*)\b"
            r"[^.;]{0,60}\b(retained|stored|kept|aufbewahrt|gespeichert)\b[^.;]{0,20}?"
            r"\b([1-9]\d*)\s*(days?|tage?n?|months?|monate?n?)\b"
            r"|\bhuman\s+review\b|\breviewed\s+by\b[^.;]{0,40}\bpersonnel\b"
            r"|\bdurch\s+mitarbeitende\b[^.;]{0,40}\b(geprüft|überprüft|eingesehen|gelesen)\b"
            r"|\b(überprüfung|prüfung|einsicht)\b[^.;]{0,30}\bdurch\s+mitarbeitende\b",
            _FLAGS,
        ),
        re.compile(
            r"aufbewahrungsfrist|speicherdauer|löschfrist|chatverlauf|chat\s+history|"
            r"missbrauchserkennung|abuse\s+monitoring|data\s+retention|retention\s+period|"
            r"(?<=, )retention(?=,)",
            _FLAGS,
        ),
        negatable=True,
    ),
)


@dataclass(frozen=True)
class Reading:
    """What one sentence says about one requirement; ``stance`` None means irrelevant."""

    stance: Stance | None
    mandates: bool = False
    cue: str | None = None


def read_sentence(sentence: str, doc_category: str, requirement_topic: str) -> Reading:
    """Apply the rules above to a sentence already known to be relevant."""
    if doc_category != "vendor":
        rule = mandates(sentence)
        return Reading(Stance.SUPPORTS, mandates=rule, cue="mandate" if rule else None)
    if GAP.pattern.search(sentence):
        return Reading(Stance.CONTRADICTS, cue=GAP.name)
    negated = bool(NEGATION.search(sentence))
    for family in RISKS:
        if not family.pattern.search(sentence):
            continue
        if family.topic is not None and not family.topic.search(requirement_topic):
            return Reading(None, cue=family.name)
        if negated and family.negatable:
            return Reading(Stance.SUPPORTS, cue=f"{family.name}-negated")
        return Reading(Stance.CONTRADICTS, cue=family.name)
    return Reading(Stance.SUPPORTS)
