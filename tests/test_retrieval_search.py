"""End-to-end retrieval with the real parts: USE-multilingual, Chroma in tmp_path, BM25,
z-score fusion and the sentence pass, on small generated German and English documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from core.factory import Services
from ingest.loaders import Limits, load_file
from ingest.pipeline import IngestOptions, ingest_paths
from tests.conftest import MakeServices

pytestmark = pytest.mark.slow

GERMAN = """# Baustein Cloud-Nutzung

## Anforderungen an Anbieter

Der Cloud-Anbieter SOLLTE einen Nachweis über ein anerkanntes Regelwerk vorlegen.
Verträge SOLLTEN Kündigungsfristen und den Datenexport regeln. Die Institution SOLLTE
prüfen, in welchen Rechenzentren die Daten verarbeitet werden und welche Unterauftragnehmer
beteiligt sind. Änderungen am Leistungsumfang SOLLTEN rechtzeitig angekündigt werden.

## Missbrauch von Schlüsseln

Angreifende, die gestohlene Schlüssel für den Zugang zu Cloud-Diensten besitzen, können
gebuchte Sprachmodelle auf Kosten des Kunden nutzen und den Zugang weiterverkaufen.
Solche Vorfälle fallen oft erst durch ungewöhnlich hohe Rechnungen auf. Die Institution
SOLLTE deshalb Budgetgrenzen und Warnmeldungen für jeden Dienst einrichten.

## Schulung

Alle Mitarbeitenden SOLLTEN jährlich geschult werden. Die Inhalte umfassen Phishing,
sichere Passwörter und den Umgang mit vertraulichen Daten. Besonders exponierte
Führungskräfte SOLLTEN eine vertiefende Schulung erhalten. Die Teilnahme wird
dokumentiert und regelmässig ausgewertet.

## Organisation

Führungskräfte tragen Verantwortung für die Sicherheit ihrer Teams. Exponierte Server
stehen in einer eigenen Zone. Eine vertiefende Analyse der Protokolle erfolgt monatlich.
Für die Schulung neuer Teams ist die Personalabteilung zuständig; Termine werden im
Intranet veröffentlicht.
"""

ENGLISH = """# Data privacy for hosted models

## Training data

Customer prompts, completions and uploaded files are not used to train, retrain or
improve the foundation models offered by the provider. They are processed only to
deliver the service the customer has ordered and are kept within the chosen region.

## Fine-tuned models

Fine-tuned models are exclusively available to the customer whose data was used to
create the fine-tuned model. Other customers cannot deploy or access them, and the
provider does not use the training files to improve any other model it offers.

## Retention

Prompts may be stored for up to thirty days to detect abuse, unless an exemption
applies. Stored data is encrypted at rest and can be protected with a key that the
customer manages in its own key vault.
"""

GLOSSARY = {
    "terms": [
        {
            "id": "fine_tuning",
            "de": "Feinabstimmung",
            "en": "fine-tuning",
            "synonyms_de": ["nachtrainieren"],
            "synonyms_en": ["fine-tuned model"],
            "definition": {"de": "Nachtraining eines Modells.", "en": "Further training."},
        }
    ]
}


@pytest.fixture
def store(make_services: MakeServices, tmp_path: Path) -> Services:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "cloud_de.md").write_text(GERMAN, encoding="utf-8")
    (folder / "privacy_en.md").write_text(ENGLISH, encoding="utf-8")
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "glossary.yaml").write_text(yaml.safe_dump(GLOSSARY), encoding="utf-8")
    services = make_services(knowledge_dir=knowledge)
    ws = services.workspaces.open("kunde", create=True)
    report = ingest_paths(ws, [folder], IngestOptions(category="guidance"))
    assert not report.failed
    return services


def top_section(services: Services, query: str) -> str:
    hits = services.retriever("kunde").search(query, k=3)
    assert hits, query
    return hits[0].chunk.section


def test_german_compound_question_finds_the_passage_that_uses_its_parts(store: Services) -> None:
    section = top_section(
        store, "Können Kriminelle mit erbeuteten Zugangsschlüsseln unsere Sprachmodelle anzapfen?"
    )
    assert section.endswith("Missbrauch von Schlüsseln")


def test_the_sentence_that_carries_the_question_wins(store: Services) -> None:
    hits = store.retriever("kunde").search(
        "Brauchen exponierte Führungskräfte eine vertiefende Schulung?", k=4
    )
    sections = [h.chunk.section.split(" › ")[-1] for h in hits]
    assert sections[0] == "Schulung"
    assert sections.index("Schulung") < sections.index("Organisation")


def test_german_question_finds_the_english_passage(store: Services) -> None:
    hits = store.retriever("kunde").search(
        "Dürfen andere Kunden unser Modell nach der Feinabstimmung verwenden?", k=3
    )
    assert "Fine-tuned models are exclusively available" in " ".join(hits[0].chunk.text.split())


def test_rrf_fusion_and_no_second_pass_still_search(
    make_services: MakeServices, store: Services
) -> None:
    services = make_services(fusion="rrf", rerank_weight=0.0)
    hits = services.retriever("kunde").search("Kündigungsfristen im Vertrag", k=2)
    assert hits[0].chunk.section.endswith("Anforderungen an Anbieter")
    assert [h.rank for h in hits] == [1, 2]


PROSE = "Entwicklung SOLLTE die Bestandteile mit einer SBOM dokumentieren."


def test_oscal_properties_become_compact_lines(tmp_path: Path) -> None:
    catalog = {
        "catalog": {
            "uuid": "0d9f1c6e-1111-4222-8333-944455556666",
            "groups": [
                {
                    "id": "DEV",
                    "title": "Entwicklung",
                    "controls": [
                        {
                            "id": "DEV.4.3",
                            "title": "Softwarebestandteile (SBOM)",
                            "props": [
                                {
                                    "name": "alt-identifier",
                                    "value": "5b695087-3a35-441a-b8c9-9937a681a996",
                                },
                                {"name": "sec_level", "value": "normal-SdT"},
                            ],
                            "parts": [
                                {
                                    "id": "DEV.4.3_stm",
                                    "name": "statement",
                                    "props": [{"name": "action_word", "value": "dokumentieren"}],
                                    "prose": PROSE,
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    }
    path = tmp_path / "katalog.json"
    path.write_text(json.dumps(catalog), encoding="utf-8")
    doc = load_file(path, Limits())
    control = next(s for s in doc.sections if "DEV.4.3" in s.section)
    lines = control.text.split("\n")
    assert lines[0] == "DEV.4.3 Softwarebestandteile (SBOM)"
    assert "sec_level: normal-SdT" in lines
    assert PROSE in lines
    text = control.text
    assert "5b695087" not in text and "DEV.4.3_stm" not in text and "statement" not in text
    assert "action_word" not in text  # annotates the prose it sits next to


def test_record_title_is_not_doubled(tmp_path: Path) -> None:
    path = tmp_path / "matrix.yaml"
    path.write_text(
        "id: ATLAS\nname: Threat Landscape\nmatrices:\n- id: ATLAS\n  name: ATLAS Matrix\n"
        "  tactics:\n  - id: AML.TA0002\n    name: Reconnaissance\n"
        "    description: The adversary gathers information, see [Staging](/tactics/X).\n",
        encoding="utf-8",
    )
    doc = load_file(path, Limits())
    tactic = next(s for s in doc.sections if "AML.TA0002" in s.section)
    assert tactic.section == "ATLAS Threat Landscape › ATLAS Matrix › AML.TA0002 Reconnaissance"
    assert "see Staging." in tactic.text
