"""The BM25 keyword index (``kb.keyword``) and its per-document cache (``kb.keyword_terms``).

The index is maintained incrementally (segments, tombstones, merges); every test checks
it against what a user relies on: the same hits and scores as BM25 computed by hand over
the documents that are live now, whatever order they were added, replaced or removed in.
"""

from __future__ import annotations

import math
import pickle
import random
from pathlib import Path

import pytest

from ingest.pipeline import IngestOptions, ingest_paths
from kb.keyword import K1, B, KeywordIndex
from kb.keyword_terms import FORMAT_VERSION, DocumentTerms, DocumentTermsCache
from tests.conftest import MakeServices

WORDS = [
    "Kundendaten",
    "Datenschutz",
    "Verschlüsselung",
    "Schlüssel",
    "Cloud",
    "Anbieter",
    "Vertrag",
    "Schulung",
    "Mitarbeitende",
    "Phishing",
    "Passwort",
    "Rechenzentrum",
    "Unterauftragnehmer",
    "Löschung",
    "Protokoll",
    "Zugriff",
    "Berechtigung",
    "Sprachmodell",
    "Halluzination",
    "Prüfung",
    "Risiko",
    "Massnahme",
    "Vorfall",
]


def doc(name: str, seed: int, chunks: int = 4, stamp: str = "v1") -> DocumentTerms:
    """A document of German chunks drawn from WORDS (deterministic per seed)."""
    rng = random.Random(seed)
    triples = [
        (f"{name}-{i}", " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 25))), "de")
        for i in range(chunks)
    ]
    return DocumentTerms.from_chunks(stamp, triples, known=set())


def reference(docs: dict[str, DocumentTerms], query: list[tuple[str, float]]) -> dict[str, float]:
    """BM25 by the textbook over the live documents (float64, no index structures)."""
    rows = [
        (cid, dict(zip((d.terms[j] for j in row.indices), row.data, strict=True)))
        for d in docs.values()
        for cid, row in zip(d.chunk_ids, d.counts, strict=True)
    ]
    n = len(rows)
    avgdl = sum(sum(c.values()) for _, c in rows) / n
    out: dict[str, float] = {}
    for cid, counts in rows:
        dl = sum(counts.values())
        score = 0.0
        for term, weight in query:
            tf = counts.get(term, 0)
            if tf:
                df = sum(term in c for _, c in rows)
                idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
                score += weight * idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl))
        if score > 0:
            out[cid] = score
    return out


def query_of(*words: str) -> list[tuple[str, float]]:
    from kb.analysis import query_terms

    return [(t, 1.0) for w in words for t in query_terms(w)]


QUERIES = [
    query_of("Kundendaten", "Cloud"),
    query_of("Schulung", "Phishing", "Passwort"),
    query_of("Verschlüsselung"),
    [*query_of("Vorfall"), ("risiko", 0.5)],
]


def assert_matches(index: KeywordIndex, live: dict[str, DocumentTerms]) -> None:
    assert set(index.chunk_ids) == {c for d in live.values() for c in d.chunk_ids}
    assert index.stamp() == {doc_id: d.stamp for doc_id, d in live.items()}
    for query in QUERIES:
        expected = reference(live, query)
        got = dict(index.search(query, k=1000))
        assert got.keys() == expected.keys()
        for cid, score in expected.items():
            assert got[cid] == pytest.approx(score, rel=1e-5)
        # what z-score fusion reads: the distribution over every live chunk (zeros too)
        # and the score of any chunk, also one outside the top k
        everyone = [c for d in live.values() for c in d.chunk_ids]
        full = [expected.get(c, 0.0) for c in everyone]
        ranked = index.ranked(query, k=3)
        assert ranked.top == index.search(query, k=3)
        mean = sum(full) / len(full)
        assert ranked.mean == pytest.approx(mean, rel=1e-4)
        sd = math.sqrt(sum((v - mean) ** 2 for v in full) / len(full))
        assert ranked.sd == pytest.approx(sd, rel=1e-4)
        looked = ranked.lookup([*everyone, "no-such-chunk"])
        assert looked.pop("no-such-chunk") == 0.0
        assert looked == pytest.approx(dict(zip(everyone, full, strict=True)), rel=1e-5)


def test_incremental_updates_score_like_bm25_over_the_live_documents() -> None:
    index = KeywordIndex()
    live: dict[str, DocumentTerms] = {}
    first = {f"d{i}": doc(f"d{i}", i) for i in range(12)}
    index.add_documents(list(first.items()))  # bulk, as a new process does
    live.update(first)
    assert_matches(index, live)
    for i in range(12, 40):  # one document per ingest
        live[f"d{i}"] = doc(f"d{i}", i)
        index.add_document(f"d{i}", live[f"d{i}"])
    assert_matches(index, live)
    for i in (3, 17, 25):  # a new version replaces the old one
        live[f"d{i}"] = doc(f"d{i}", 1000 + i, stamp="v2")
        index.add_document(f"d{i}", live[f"d{i}"])
    for i in (0, 1, 2, 5, 8, 30):
        del live[f"d{i}"]
        index.remove_document(f"d{i}")
    assert_matches(index, live)


def test_segments_stay_few_as_documents_arrive_one_by_one() -> None:
    index = KeywordIndex()
    for i in range(64):
        index.add_document(f"d{i}", doc(f"d{i}", i))
    # merges keep sizes geometric: a handful of segments, not one per ingest
    assert index.segments <= 6
    for i in range(48):  # a mostly removed workspace is rewritten, not kept as tombstones
        index.remove_document(f"d{i}")
    assert index.segments <= 3
    assert len(index.chunk_ids) == 16 * 4


def test_removed_terms_are_unknown_and_idf_follows_the_live_chunks() -> None:
    only = DocumentTerms.from_chunks("v1", [("x-0", "Gabelstapler Lagerhalle", "de")], set())
    index = KeywordIndex()
    index.add_documents([("a", doc("a", 1)), ("x", only)])
    term = only.terms[0]
    assert term in index.vocabulary() and index.doc_freq(term) == 1
    n = len(index.chunk_ids)
    assert index.idf(term) == pytest.approx(math.log(1 + (n - 1 + 0.5) / 1.5))
    index.remove_document("x")
    assert term not in index.vocabulary() and not index.known(term)
    assert index.doc_freq(term) == 0 and index.idf(term) == 0.0
    assert index.search([(term, 1.0)], k=10) == []
    assert term not in set(index.vocabulary())


def test_filter_and_ties_follow_document_id_and_reading_order() -> None:
    same = [(f"c{i}", "Datenschutz Cloud", "de") for i in range(3)]
    index = KeywordIndex()
    for name in ("b", "a"):  # added out of order
        chunks = [(f"{name}-{cid}", text, lang) for cid, text, lang in same]
        index.add_document(name, DocumentTerms.from_chunks("v1", chunks, set()))
    query = query_of("Datenschutz")
    hits = [cid for cid, _ in index.search(query, k=4)]
    assert hits == ["a-c0", "a-c1", "a-c2", "b-c0"]  # equal scores: doc id, then position
    assert [cid for cid, _ in index.search(query, k=10, allowed_docs={"b"})] == [
        "b-c0",
        "b-c1",
        "b-c2",
    ]
    assert index.search(query, k=10, allowed_docs=set()) == []
    other = [("c-0", "Phishing Schulung", "de")]
    index.add_document("c", DocumentTerms.from_chunks("v1", other, set()))
    assert index.search(query, k=10, allowed_docs={"c"}) == []  # matches only elsewhere


def test_inflected_pronouns_and_modal_verbs_match_nothing() -> None:
    """A question's "unseren" and "möchten" are no evidence that a
    passage written in the first person plural is the answer."""
    index = KeywordIndex()
    chunks = [("a-0", "Wir möchten unseren Kunden helfen.", "de"), ("b-0", "Chatbot", "de")]
    index.add_document("a", DocumentTerms.from_chunks("v1", chunks[:1], set()))
    index.add_document("b", DocumentTerms.from_chunks("v1", chunks[1:], set()))
    assert index.search(query_of("Wir möchten unseren Chatbot absichern"), k=10) == [
        ("b-0", pytest.approx(index.search(query_of("Chatbot"), k=1)[0][1]))
    ]


def test_compound_parts_count_when_the_index_knows_them() -> None:
    index = KeywordIndex()
    parts = [("a-0", "Datenschutz und Verantwortung", "de")]
    index.add_document("a", DocumentTerms.from_chunks("v1", parts, set()))
    text = [("b-0", "Datenschutzverantwortliche", "de")]
    alone = DocumentTerms.from_chunks("v1", text, set())
    assert alone.terms == ("datenschutzverantwort",)
    compound = DocumentTerms.from_chunks("v1", text, index.vocab)
    assert set(compound.terms) == {"datenschutzverantwort", "datenschutz", "verantwort"}
    index.add_document("b", compound)
    assert "b-0" in {cid for cid, _ in index.search(query_of("Verantwortung"), k=10)}


# ---- the cache files -------------------------------------------------------------------
def test_cache_files_round_trip_and_ignore_other_versions(tmp_path: Path) -> None:
    folder = tmp_path / "ws.bm25"
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_bytes(b"format 4 was one pickle file")
    cache = DocumentTermsCache(folder)
    terms = doc("a", 1, stamp="h1:v1")
    assert cache.get("a", "h1:v1") is None  # the old single file is no folder of files
    cache.put("a", terms)
    assert folder.is_dir()
    back = cache.get("a", "h1:v1")
    assert back is not None and back.chunk_ids == terms.chunk_ids
    assert (back.counts != terms.counts).nnz == 0
    assert cache.get("a", "h2:v2") is None
    path = next(folder.iterdir())
    path.write_bytes(pickle.dumps((FORMAT_VERSION - 1, terms)))
    assert cache.get("a", "h1:v1") is None  # another format counts again
    path.write_bytes(b"\x00broken")
    assert cache.get("a", "h1:v1") is None
    cache.put("a", terms)
    cache.put("b", doc("b", 2, stamp="h9:v9"))
    cache.keep_only([("b", "h9:v9")])
    assert cache.get("a", "h1:v1") is None and cache.get("b", "h9:v9") is not None


@pytest.mark.slow
def test_workspace_index_updates_per_document_and_reloads_from_cache(
    make_services: MakeServices, tmp_path: Path
) -> None:
    """One more document is counted alone; a new process reads the counts from the cache
    and finds exactly what the long-running one finds."""
    folder = tmp_path / "docs"
    folder.mkdir()
    rng = random.Random(5)
    for i in range(3):
        words = " ".join(rng.choice(WORDS) for _ in range(60))
        (folder / f"richtlinie_{i}.md").write_text(f"# Richtlinie {i}\n\n{words}.\n", "utf-8")
    services = make_services()
    ws = services.workspaces.create("kunde-a")
    ingest_paths(ws, sorted(folder.iterdir()), IngestOptions(category="policy"))
    index = ws.keyword_index()
    cache_dir = services.settings.index_dir / "kunde-a.bm25"
    assert len(list(cache_dir.iterdir())) == 3
    (folder / "neu.md").write_text("# Neu\n\nGabelstapler in der Lagerhalle warten.\n", "utf-8")
    ingest_paths(ws, [folder / "neu.md"], IngestOptions(category="policy"))
    assert ws.keyword_index() is index  # updated in place, not rebuilt
    query = query_of("Gabelstapler")
    hits = index.search(query, k=5)
    assert hits and ws.get_chunks([hits[0][0]])[hits[0][0]].source == "neu.md"
    assert len(list(cache_dir.iterdir())) == 4
    info = ws.find_document("richtlinie_0.md")
    assert info is not None
    ws.delete_document(info.doc_id)
    assert len(ws.keyword_index().stamp()) == 3
    fresh = make_services().workspaces.open("kunde-a").keyword_index()
    assert fresh.stamp() == index.stamp()
    for q in QUERIES:
        assert fresh.search(q, k=20) == index.search(q, k=20)
    assert len(list(cache_dir.iterdir())) == 3  # the deleted document's file is gone


def test_ranked_statistics_and_lookup_respect_a_document_filter() -> None:
    index = KeywordIndex()
    live = {f"d{i}": doc(f"d{i}", i) for i in range(6)}
    index.add_documents(list(live.items()))
    query = QUERIES[0]
    allowed = {"d1", "d4"}
    subset = {k: v for k, v in live.items() if k in allowed}
    everyone = reference(live, query)
    inside = [c for d in subset.values() for c in d.chunk_ids]
    ranked = index.ranked(query, k=100, allowed_docs=allowed)
    assert {cid for cid, _ in ranked.top} <= set(inside)
    full = [everyone.get(c, 0.0) for c in inside]  # idf stays the workspace's
    assert ranked.mean == pytest.approx(sum(full) / len(full), rel=1e-4)
    outside = next(c for d in live.values() for c in d.chunk_ids if c not in inside)
    assert ranked.lookup([outside]) == {outside: 0.0}
