"""Handouts quote the company's own policy, found by the real embedding model in a real Chroma
store: sentences from documents of category "policy" only, each with document and section."""

from __future__ import annotations

from pathlib import Path

import pytest

from chains.training import build_training_kit
from core.factory import Services
from ingest.pipeline import IngestOptions, ingest_paths
from knowledge.training import Audience, Topic
from tests.conftest import MakeServices
from tests.schedule_support import KNOWLEDGE, example, knowledge
from tests.training_support import example_schedule, training_knowledge

POLICY = KNOWLEDGE / "examples" / "policy_ki_nutzungsrichtlinie_musterfirma_de.md"
OTHER_TEXT = """# Notizen aus dem Workshop

Die Datenampel ist im Workshop als grün, gelb und rot diskutiert worden, aber nicht
beschlossen. Vorfälle melden wir vorläufig an niemanden, bis die Richtlinie gilt.
"""


@pytest.mark.slow
def test_policy_sentences_are_quoted_with_their_source(
    make_services: MakeServices, tmp_path: Path
) -> None:
    services: Services = make_services()
    ws = services.workspaces.open("musterfirma", create=True)
    assert ingest_paths(ws, [POLICY], IngestOptions(category="policy")).count("ingested") == 1
    notes = tmp_path / "workshop_notizen.md"
    notes.write_text(OTHER_TEXT, encoding="utf-8")
    assert ingest_paths(ws, [notes], IngestOptions(category="other")).count("ingested") == 1
    docs = ws.documents()
    policy_ids = {d.doc_id for d in docs.values() if d.category == "policy"}

    _, catalog = knowledge()
    kit = build_training_kit(
        example("treuhand"),
        catalog,
        example_schedule("treuhand"),
        services.retriever("musterfirma"),
        "all",
        "de",
        knowledge=training_knowledge(),
    )
    staff = kit.handout(Audience.STAFF)
    quoted = {s.topic: [i for i in s.items if i.kind == "policy"] for s in staff.sections}
    for topic in (Topic.DATA_INPUT, Topic.PROMPT_INJECTION, Topic.INCIDENT):
        assert quoted[topic], f"no policy quote for {topic}"
    all_quotes = [i for h in kit.handouts for i in h.items if i.kind == "policy"]
    for item in all_quotes:
        assert item.source.kind == "policy"
        assert item.source.doc_id in policy_ids, "only documents of category policy are quoted"
        assert item.text in item.source.passage.replace("**", "") or item.text[:40] in (
            item.source.passage
        )
        assert item.source.label.startswith("KI-Nutzungsrichtlinie der Musterfirma AG")
        assert "Workshop" not in item.text
    incident = " ".join(i.text for i in quoted[Topic.INCIDENT])
    assert "IT-Leitung" in incident
    assert staff.policy_documents == (POLICY.name,)
    assert not any("Keine eigene Richtlinie" in n for n in kit.notes)
