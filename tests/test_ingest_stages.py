"""The overlapping ingest stages with the real model and store: batches that cross
documents, vectors reused on re-ingest, a failing model call, an aborted batch, a search
during an ingest. No timings are asserted (bench/perf.py measures them)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from core.factory import Services, build_services
from ingest.pipeline import IngestOptions, Progress, SourceFile, expand_paths, ingest_sources
from ingest.stages import StageStats
from kb.embeddings import Embedder, Vectors, call_shape, load_embedder
from tests.conftest import MakeServices, make_settings
from tests.store_contract import snapshot

pytestmark = pytest.mark.slow

SENTENCES = [
    "Die Geschäftsleitung genehmigt den Einsatz von KI-Diensten nur nach einer Prüfung.",
    "Personendaten werden vor dem Senden an externe Anbieter geschwärzt.",
    "Zugänge werden mit Zwei-Faktor-Anmeldung geschützt und jährlich überprüft.",
    "Protokolle werden während neunzig Tagen aufbewahrt und danach gelöscht.",
]


def _write(folder: Path, files: int, sections: int = 3, marker: str = "") -> list[Path]:
    """Markdown files of ``sections`` sections each (one chunk per section at 300 chars)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for f in range(files):
        parts = [f"# Weisung {f}\n"]
        for s in range(sections):
            body = " ".join(SENTENCES[(f + s + i) % len(SENTENCES)] for i in range(3))
            parts.append(f"## Abschnitt {s + 1}\n\nDatei {f} Teil {s} {marker}. {body}\n")
        path = folder / f"weisung-{f:02d}.md"
        path.write_text("\n".join(parts), encoding="utf-8")
        out.append(path)
    return out


def _run(
    services: Services,
    paths: list[Path],
    batch_size: int | None = None,
    category: str = "policy",
    progress: list[Progress] | None = None,
) -> tuple[list[tuple[str, str]], StageStats]:
    ws = services.workspaces.open("stufen", create=True)
    stats = StageStats()
    files = [SourceFile.from_path(p) for p in expand_paths(paths)]
    report = ingest_sources(
        ws,
        files,
        IngestOptions(category=category, chunk_chars=300, overlap_chars=0),
        progress.append if progress is not None else None,
        batch_size=batch_size,
        stats=stats,
    )
    return [(r.file, r.status) for r in report.results], stats


def _stored(services: Services) -> dict[str, tuple[str, Vectors]]:
    ws = services.workspaces.open("stufen")
    got = ws._chunks.get(include=["documents", "embeddings"])
    return {
        cid: (text, np.asarray(vec, dtype=np.float32))
        for cid, text, vec in zip(got["ids"], got["documents"], got["embeddings"], strict=True)
    }


def test_batches_across_documents_give_each_chunk_its_own_vector(
    services: Services, tmp_path: Path
) -> None:
    """Batches of 4 texts over files of 3 chunks: every stored vector is the model's vector
    of that chunk's text, results and progress come in input order."""
    paths = _write(tmp_path / "a", files=5)
    events: list[Progress] = []
    results, stats = _run(services, paths, batch_size=4, progress=events)
    assert results == [(p.name, "ingested") for p in paths]
    assert [e.file for e in events] == [p.name for p in paths]
    assert [e.file_index for e in events] == [1, 2, 3, 4, 5]
    stored = _stored(services)
    assert len(stored) == 15 and stats.embedded == 15 and stats.reused == 0
    assert stats.model_calls == 4  # 15 texts in batches of at most 4
    texts = [text for text, _ in stored.values()]
    expected = services.embedder.embed_documents(texts)
    for (_, vector), want in zip(stored.values(), expected, strict=True):
        assert float(vector @ want) > 0.9999


def test_a_document_is_committed_only_when_every_batch_of_it_is_back(
    services: Services, tmp_path: Path
) -> None:
    """Documents of 12 chunks in calls of 2 texts, two calls at a time: calls of one
    document often return together while more of its texts still wait for a call; it must
    not be handed on (and stored with empty vectors) before those are back too."""
    paths = _write(tmp_path / "a", files=3, sections=12)
    results, stats = _run(services, paths, batch_size=2)
    assert [s for _, s in results] == ["ingested"] * 3 and stats.model_calls == 18
    stored = _stored(services)
    expected = services.embedder.embed_documents([text for text, _ in stored.values()])
    for (text, vector), want in zip(stored.values(), expected, strict=True):
        assert float(vector @ want) > 0.9999, text[:40]


def test_reingest_reuses_the_vectors_of_unchanged_passages(
    services: Services, tmp_path: Path
) -> None:
    """Re-tagging embeds nothing; a file with one changed section embeds only that one."""
    paths = _write(tmp_path / "a", files=2)
    _run(services, paths)
    before = {text: vec for text, vec in _stored(services).values()}

    results, stats = _run(services, paths, category="guidance")
    assert [s for _, s in results] == ["replaced", "replaced"]
    assert stats.embedded == 0 and stats.reused == 6
    after = {text: vec for text, vec in _stored(services).values()}
    assert set(after) == set(before)
    assert all(np.allclose(after[t], before[t], atol=1e-6) for t in after)

    text = paths[0].read_text(encoding="utf-8")
    paths[0].write_text(text.replace("Teil 1", "Teil 1 neu gefasst"), encoding="utf-8")
    results, stats = _run(services, paths, category="guidance")
    assert results == [(paths[0].name, "replaced"), (paths[1].name, "unchanged")]
    assert stats.embedded == 1 and stats.reused == 2
    hits = services.retriever("stufen").search("Teil 1 neu gefasst", k=3)
    assert "neu gefasst" in hits[0].chunk.text


class _FailsOn:
    """The real model, except that a call with a text containing ``word`` fails."""

    def __init__(self, inner: Embedder, word: str) -> None:
        self._inner, self._word = inner, word
        self.name, self.dim = inner.name, inner.dim
        self.batch_size, self.concurrency = call_shape(inner)

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        if any(self._word in t for t in texts):
            raise RuntimeError("Modell ausgefallen")
        return self._inner.embed_documents(texts)

    def embed_query(self, text: str) -> Vectors:
        return self._inner.embed_query(text)


def test_a_failing_model_call_fails_only_its_documents(
    make_services: MakeServices, services: Services, tmp_path: Path
) -> None:
    """Batches of one document (3 texts): the document whose text breaks the model is
    reported by name, the others are stored, and its stored version stays as it was."""
    good = _write(tmp_path / "a", files=3)
    _run(services, good)
    before = snapshot(services, "stufen")
    changed = _write(tmp_path / "b", files=3, marker="kaputt")[1]
    ws = services.workspaces.open("stufen")
    ws.embedder = _FailsOn(services.embedder, "kaputt")
    files = [SourceFile.from_path(p) for p in [good[0], changed, good[2]]]
    report = ingest_sources(ws, files, IngestOptions(category="policy", chunk_chars=300), None, 3)
    assert [(r.file, r.status) for r in report.results] == [
        (good[0].name, "unchanged"),
        (changed.name, "failed"),
        (good[2].name, "unchanged"),
    ]
    assert "Einbetten fehlgeschlagen" in (report.failed[0].error or "")
    assert snapshot(services, "stufen") == before


def test_an_error_in_the_callers_progress_stops_the_batch_and_its_threads(
    services: Services, tmp_path: Path
) -> None:
    """What is committed stays committed and consistent; no stage thread outlives the call."""
    paths = _write(tmp_path / "a", files=6)

    def progress(p: Progress) -> None:
        if p.file_index == 2:
            raise KeyboardInterrupt

    ws = services.workspaces.open("stufen", create=True)
    files = [SourceFile.from_path(p) for p in paths]
    with pytest.raises(KeyboardInterrupt):
        options = IngestOptions(category="policy", chunk_chars=300, overlap_chars=0)
        ingest_sources(ws, files, options, progress, batch_size=2)
    names = {t.name for t in threading.enumerate()}
    assert not {n for n in names if n.startswith(("lotse-prepare", "lotse-embed"))}
    docs = ws.documents(fresh=True)
    assert sorted(d.source for d in docs.values()) == [paths[0].name, paths[1].name]
    for info in docs.values():
        assert len(ws.document_chunks(info.doc_id)) == info.chunks == 3
    results, _ = _run(services, paths)  # the re-run completes the batch
    assert [s for _, s in results] == ["unchanged"] * 2 + ["ingested"] * 4


def test_a_ranking_is_never_changed_by_a_later_update(services: Services, tmp_path: Path) -> None:
    """Sessions are threads sharing one workspace: a search that took its ranking before an
    ingest keeps scoring against the index as it was (every update swaps in a new immutable
    snapshot, ``kb.keyword``), so it never sees one half of an update."""
    _run(services, _write(tmp_path / "a", files=2))
    ws = services.workspaces.open("stufen")
    index = ws.keyword_index()
    ids = index.chunk_ids
    old = index.ranked([(term, 1.0) for term in sorted(index.vocab)[:20]], k=100)
    scores = old.lookup(ids)
    assert old.snap is not None and any(scores.values())
    _run(services, _write(tmp_path / "b", files=4, marker="zusatz"))  # replaces two files
    assert ws.keyword_index() is index and len(index.chunk_ids) == 12
    assert not set(ids) & set(index.chunk_ids)
    assert old.lookup(ids) == scores and old.snap.rows == 6


def test_the_model_spread_over_threads_gives_the_same_vectors(services: Services) -> None:
    texts = [f"{SENTENCES[i % 4]} Nummer {i}." for i in range(150)]
    model = services.embedder
    size, _ = call_shape(model)
    together = model.embed_documents(texts)
    parts = [model.embed_documents(texts[i : i + size]) for i in range(0, 150, size)]
    one_by_one = np.vstack(parts)
    assert together.shape == (150, model.dim)
    assert np.allclose(together, one_by_one, atol=1e-6)


def test_the_model_in_a_child_process_gives_the_same_vectors(
    services: Services, tmp_path: Path
) -> None:
    """Large batches run the model in a child (commits hold this process's GIL); forced
    here on a small one. Every stored vector is the in-process model's vector."""
    paths = _write(tmp_path / "a", files=4)
    ws = services.workspaces.open("stufen", create=True)
    stats = StageStats()
    files = [SourceFile.from_path(p) for p in paths]
    options = IngestOptions(category="policy", chunk_chars=300, overlap_chars=0)
    report = ingest_sources(ws, files, options, stats=stats, model_in_child=True)
    assert report.count("ingested") == 4 and stats.model_process and stats.embedded == 12
    stored = _stored(services)
    expected = services.embedder.embed_documents([text for text, _ in stored.values()])
    for (_, vector), want in zip(stored.values(), expected, strict=True):
        assert float(vector @ want) > 0.9999
    again = StageStats()  # nothing to embed: no child is started for unchanged files
    report = ingest_sources(ws, files, options, stats=again, model_in_child=True)
    assert report.count("unchanged") == 4 and not again.model_process and again.model_calls == 0


class _UnknownInChild:
    """The real model in this process, but a child would be asked for a model it lacks."""

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner
        self.name, self.dim = inner.name, inner.dim
        self.batch_size, self.concurrency = call_shape(inner)

    def child_spec(self) -> dict[str, object]:
        return {"model": "gibt-es-nicht", "batch_size": 8, "concurrency": 1}

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        return self._inner.embed_documents(texts)

    def embed_query(self, text: str) -> Vectors:
        return self._inner.embed_query(text)


def test_a_model_process_that_cannot_start_falls_back_to_this_process(
    services: Services, tmp_path: Path
) -> None:
    ws = services.workspaces.open("stufen", create=True)
    ws.embedder = _UnknownInChild(services.embedder)
    stats = StageStats()
    files = [SourceFile.from_path(p) for p in _write(tmp_path / "a", files=2)]
    report = ingest_sources(
        ws, files, IngestOptions(chunk_chars=300), stats=stats, model_in_child=True
    )
    assert report.count("ingested") == 2 and not stats.model_process and stats.embedded == 6


def test_a_dead_model_process_is_an_error_not_a_hang(services: Services) -> None:
    from kb.model_process import ModelProcess, ModelProcessError, child_spec

    spec = child_spec(services.embedder)
    assert spec is not None
    process = ModelProcess(spec)
    try:
        vectors, _ = process.embed(["Zugänge werden geschützt.", "Protokolle werden gelöscht."])
        assert vectors.shape == (2, services.embedder.dim)
        process._proc.kill()
        with pytest.raises(ModelProcessError):
            process.embed(["noch ein Text"])
    finally:
        process.close()


# ---- the second model (kb.second, e5) in the embed stage ---------------------------------


class _Counting:
    """A model that counts the texts it embeds (the stage's and any others' calls)."""

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner
        self.name, self.dim = inner.name, inner.dim
        self.batch_size, self.concurrency = call_shape(inner)
        self.texts = 0

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        self.texts += len(texts)
        return self._inner.embed_documents(texts)

    def embed_query(self, text: str) -> Vectors:
        return self._inner.embed_query(text)


def _with_e5(tmp_path: Path, embedder: Embedder, e5: Embedder) -> Services:
    settings = make_settings(tmp_path / "data", second_embedding_model="e5")
    return build_services(settings, embedder=embedder, second=e5)


def _second_stored(services: Services) -> dict[str, Vectors]:
    ws = services.workspaces.open("stufen")
    assert ws.second is not None
    got = ws.second.collection.get(include=["embeddings"])
    return {
        cid: np.asarray(vec, dtype=np.float32)
        for cid, vec in zip(got["ids"], got["embeddings"], strict=True)
    }


def test_the_embed_stage_gives_every_chunk_its_second_model_vector(
    tmp_path: Path, embedder: Embedder
) -> None:
    """The real e5 in calls of 5 texts across documents of 3 chunks, USE in calls of 4:
    every committed chunk has the e5 vector of its own text, and all e5 work was done
    by the embed stage (the store embedded nothing at commit)."""
    e5 = _Counting(load_embedder("e5", 5))
    services = _with_e5(tmp_path, embedder, e5)
    results, stats = _run(services, _write(tmp_path / "a", files=4), batch_size=4)
    assert [s for _, s in results] == ["ingested"] * 4
    stored = _stored(services)
    second = _second_stored(services)
    assert set(second) == set(stored) and len(second) == 12
    assert stats.second_embedded == 12 and stats.second_calls == 3 and e5.texts == 12
    for cid, (text, _) in stored.items():
        assert float(second[cid] @ e5.embed_documents([text])[0]) > 0.9999, text[:40]
    assert services.workspaces.open("stufen").second_ready()


def test_reingest_reuses_second_model_vectors_and_completes_missing_ones(
    tmp_path: Path, embedder: Embedder, e5: Embedder
) -> None:
    """Ingested with e5 off; re-tagged with e5 on: USE vectors reused, e5 computed for
    every chunk; re-tagged again: nothing embedded. An unchanged file that lacks its e5
    vectors gets them from its stored chunks, without being parsed or re-embedded by USE."""
    paths = _write(tmp_path / "a", files=2)
    plain = build_services(make_settings(tmp_path / "data"), embedder=embedder)
    _run(plain, paths)

    services = _with_e5(tmp_path, embedder, e5)
    results, stats = _run(services, paths[:1], category="guidance")
    assert results == [(paths[0].name, "replaced")]
    assert (stats.embedded, stats.reused) == (0, 3)
    assert (stats.second_embedded, stats.second_reused) == (3, 0)
    ws = services.workspaces.open("stufen")
    assert not ws.second_ready()  # the second file has no e5 vectors yet

    results, stats = _run(services, paths, category="guidance")
    assert results == [(paths[0].name, "unchanged"), (paths[1].name, "replaced")]
    assert stats.embedded == 0 and stats.second_embedded == 3
    results, stats = _run(services, paths, category="policy")
    assert [s for _, s in results] == ["replaced", "replaced"]
    assert stats.embedded == stats.second_embedded == 0 and stats.second_reused == 6

    other = _write(tmp_path / "c", files=3)[2:]  # a third file, ingested with e5 off
    _run(plain, other, category="policy")
    assert len(_second_stored(services)) == 6 and len(_stored(services)) == 9
    results, stats = _run(services, other, category="policy")
    assert results == [(other[0].name, "unchanged")] and stats.model_calls == 0
    second = _second_stored(services)
    assert set(second) == set(_stored(services))
    for cid, (text, _) in _stored(services).items():
        assert float(second[cid] @ e5.embed_documents([text])[0]) > 0.9999, text[:40]
