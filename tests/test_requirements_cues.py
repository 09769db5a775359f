"""Status cues, section tracking and status rules on single sentences (no model)."""

from __future__ import annotations

import pytest

from chains.requirements.cues import RISKS, mandates, read_sentence
from chains.requirements.evidence import ScoredEvidence
from chains.requirements.records import Evidence, Stance, Status
from chains.requirements.scoring import requirement_topic
from chains.requirements.sentences import nest, sectioned_sentences
from chains.requirements.status import decide
from core.domain import Chunk
from knowledge.catalog import Category
from tests.requirements_support import catalog


def topic(req_id: str) -> str:
    return requirement_topic(catalog().get(req_id))


@pytest.mark.parametrize(
    ("sentence", "req_id", "stance", "cue"),
    [
        (
            "Customer data may be processed and stored in the United States and in other "
            "countries.",
            "KIL-VEN-002",
            Stance.CONTRADICTS,
            "location",
        ),
        (
            "Eine Bearbeitung ausserhalb der Schweiz und der EU findet nicht statt.",
            "KIL-VEN-002",
            Stance.SUPPORTS,
            "location-negated",
        ),
        (
            "Nimbus Chat may use customer content to improve and train its models, unless the "
            "customer opts out.",
            "KIL-VEN-003",
            Stance.CONTRADICTS,
            "training",
        ),
        (
            "Alpina AI verwendet Kundendaten nicht für das Training oder die Verbesserung von "
            "Modellen.",
            "KIL-VEN-003",
            Stance.SUPPORTS,
            "training-negated",
        ),
        (
            "Prompts and outputs are retained for 30 days for abuse monitoring.",
            "KIL-VEN-003",
            Stance.CONTRADICTS,
            "retention",
        ),
        (
            "Eine Überprüfung von Inhalten durch Mitarbeitende von Alpina AI findet nicht statt.",
            "KIL-LOG-002",
            Stance.SUPPORTS,
            "retention-negated",
        ),
        (
            "Single sign-on (SSO) is not available on the Basic plan.",
            "KIL-INT-007",
            Stance.CONTRADICTS,
            "gap",
        ),
        (
            "Nimbus Chat does not offer a service level agreement (SLA) on the Basic plan.",
            "KIL-VEN-008",
            Stance.CONTRADICTS,
            "gap",
        ),
        (
            "Alpina AI sichert eine Verfügbarkeit von 99,9 % pro Kalendermonat zu.",
            "KIL-VEN-008",
            Stance.SUPPORTS,
            None,
        ),
    ],
)
def test_vendor_cues(sentence: str, req_id: str, stance: Stance, cue: str | None) -> None:
    reading = read_sentence(sentence, "vendor", topic(req_id))
    assert (reading.stance, reading.cue) == (stance, cue)


def test_a_risk_off_topic_is_no_evidence_negated_or_not() -> None:
    """'No training on customer data' says nothing about staff training (KIL-TRN-003)."""
    negated = "Alpina AI verwendet Kundendaten nicht für das Training von Modellen."
    assert read_sentence(negated, "vendor", topic("KIL-TRN-003")).stance is None
    risky = "Customer data may be stored in the United States."
    assert read_sentence(risky, "vendor", topic("KIL-TRN-003")).stance is None


def test_policy_sentences_never_contradict_and_mandate_unless_descriptive() -> None:
    rule = "Zugang erhält nur, wer die Einführungsschulung besucht hat."
    plain = "Agenten arbeiten mit eigenen technischen Konten mit minimalen Rechten."
    maybe = "KI-Dienste können falsche oder erfundene Informationen liefern."
    assert mandates(rule) and mandates(plain) and not mandates(maybe)
    risky = "Customer data may be stored in the United States."
    reading = read_sentence(risky, "policy", topic("KIL-VEN-002"))
    assert reading.stance == Stance.SUPPORTS and not reading.mandates


def test_risk_topics_hit_the_intended_requirements() -> None:
    """Guard against catalog edits silently moving what a cue family is about."""
    hit = {
        f.name: {
            r.id
            for r in catalog().requirements
            if f.topic is not None and f.topic.search(requirement_topic(r))
        }
        for f in RISKS
    }
    assert hit["location"] == {"KIL-VEN-002", "KIL-DAT-008", "KIL-INT-007"}
    assert hit["training"] == {"KIL-VEN-003", "KIL-INT-007"}
    assert hit["retention"] == {"KIL-DAT-009", "KIL-LOG-002", "KIL-VEN-003", "KIL-INT-007"}


def chunk(text: str, section: str) -> Chunk:
    return Chunk(
        id="c",
        text=text,
        doc_id="d",
        source="blatt.md",
        title="Blatt",
        category="vendor",
        page=None,
        section=section,
        language="en",
        content_hash="h",
        ingested_at="",
        workspace="w",
        position=0,
    )


def test_headings_inside_a_chunk_move_the_section() -> None:
    text = (
        "The service is aimed at small businesses worldwide.\n"
        "Data location and hosting\n"
        "Customer data may be stored in the United States."
    )
    got = sectioned_sentences(chunk(text, "Fact Sheet › Provider and product"))
    assert got == [
        (
            "The service is aimed at small businesses worldwide.",
            "Fact Sheet › Provider and product",
        ),
        (
            "Customer data may be stored in the United States.",
            "Fact Sheet › Data location and hosting",
        ),
    ]


def test_numbered_headings_nest_by_depth_and_abbreviations_do_not_split() -> None:
    parts = ["Richtlinie", "5. Daten", "5.1 Datenampel"]
    assert nest(parts, "5.2 Datenminimierung") == ["Richtlinie", "5. Daten", "5.2 Datenminimierung"]
    assert nest(parts, "6. Umgang mit KI-Ausgaben") == ["Richtlinie", "6. Umgang mit KI-Ausgaben"]
    text = "Neue Funktionen (z. B. Agenten, Plugins) werden vor der Nutzung beantragt."
    assert [s for s, _ in sectioned_sentences(chunk(text, "R"))] == [text]


def scored(
    text: str,
    stance: Stance,
    category: str,
    vendor: str | None = None,
    strong: bool = True,
    specific: bool = True,
    mandate: bool = False,
    cue: str | None = None,
) -> ScoredEvidence:
    from chains.requirements.cues import Reading

    ev = Evidence(
        source="f.md",
        section="S",
        text=text,
        doc_id="d",
        stance=stance,
        category=category,
        vendor=vendor,
        score=0.7 if strong else 0.52,
        cue=cue,
    )
    return ScoredEvidence(ev, Reading(stance, mandate, cue), strong, specific)


def test_status_rules_in_order() -> None:
    vendors = ("Alpina AI", "Nimbus Chat")
    cat = Category.VENDOR_MANAGEMENT
    conflict = scored(
        "stored in the US",
        Stance.CONTRADICTS,
        "vendor",
        "Nimbus Chat",
        specific=False,
        cue="location",
    )
    policy = scored("Es gilt.", Stance.SUPPORTS, "policy", mandate=True)
    assert decide(cat, [policy, conflict], vendors, "de")[0] == Status.CONFLICTING
    assert "Nimbus Chat" in decide(cat, [conflict], vendors, "de")[1]
    assert decide(cat, [policy], vendors, "de")[0] == Status.COVERED
    unspecific = scored("Es gilt.", Stance.SUPPORTS, "policy", mandate=True, specific=False)
    assert decide(cat, [unspecific], vendors, "de")[0] == Status.PARTLY
    one = scored("Wir sichern zu.", Stance.SUPPORTS, "vendor", "Alpina AI")
    other = scored("We commit.", Stance.SUPPORTS, "vendor", "Nimbus Chat")
    assert decide(cat, [one], vendors, "de") == (
        Status.PARTLY,
        "Nur Alpina AI äussert sich dazu; bei Nimbus Chat offen.",
    )
    assert decide(cat, [one, other], vendors, "en")[0] == Status.COVERED
    assert decide(Category.TRAINING_AWARENESS, [one, other], vendors, "en")[0] == Status.PARTLY
    weak_gap = scored(
        "not available", Stance.CONTRADICTS, "vendor", "Nimbus Chat", specific=False, cue="gap"
    )
    assert decide(cat, [weak_gap], vendors, "de")[0] == Status.PARTLY
    assert decide(cat, [], vendors, "en")[0] == Status.OPEN
