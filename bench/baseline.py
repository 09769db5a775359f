"""The reference pipeline KI-Lotse is measured against (not a benchmark of its own).

What a typical LangChain RAG set-up does: the loader's text per document (per page for
PDFs, so a hit can carry its page), ``RecursiveCharacterTextSplitter(1000, 200)``,
MiniLM embeddings, an embedded Chroma collection, dense search only. It reads the files
with KI-Lotse's own loaders, so the comparison isolates chunking and ranking rather than
PDF extraction.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.domain import Chunk, LoadedDocument, SearchHit
from ingest.loaders import Limits, load_file
from ingest.pipeline import expand_paths
from kb.embeddings import Embedder

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200


@dataclass
class Baseline:
    """An ingested baseline store: its search function and how long ingest took."""

    search: Callable[[str, int], list[SearchHit]]
    ingest_s: float
    chunks: int
    files: int


def _documents(doc: LoadedDocument) -> list[tuple[str, int | None]]:
    """(text, page) per page for PDFs, one text per file otherwise, headings inline."""
    pages: dict[int | None, list[str]] = {}
    last_heading = ""
    for sec in doc.sections:
        heading = sec.section.split(" › ")[-1] if sec.section else ""
        parts = pages.setdefault(sec.page, [])
        if heading and heading != last_heading and sec.page is None:
            parts.append(heading)
        last_heading = heading
        parts.append(sec.text)
    return [("\n\n".join(parts), page) for page, parts in pages.items()]


def _chunk(cid: str, text: str, source: str, page: int | None, position: int) -> Chunk:
    return Chunk(
        id=cid,
        text=text,
        doc_id=source,
        source=source,
        title=source,
        category="guidance",
        page=page,
        section="",
        language="",
        content_hash=cid,
        ingested_at="",
        workspace="baseline",
        position=position,
    )


def build_baseline(corpus: Path, embedder: Embedder, chroma_dir: Path) -> Baseline:
    """Load, split, embed and store the corpus the LangChain way; time all of it."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    started = time.perf_counter()
    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    chunks: list[Chunk] = []
    files = expand_paths([corpus])
    for path in files:
        doc = load_file(path, Limits(max_bytes=1 << 30, max_pdf_pages=100_000))
        for text, page in _documents(doc):
            for piece in splitter.split_text(text):
                cid = hashlib.sha256(f"{path.name}\x00{page}\x00{len(chunks)}".encode()).hexdigest()
                chunks.append(_chunk(cid[:32], piece, path.name, page, len(chunks)))
    vectors = embedder.embed_documents([c.text for c in chunks])
    client = chromadb.PersistentClient(
        path=str(chroma_dir), settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.create_collection("baseline", metadata={"hnsw:space": "cosine"})
    for start in range(0, len(chunks), 1000):
        part = chunks[start : start + 1000]
        collection.add(
            ids=[c.id for c in part],
            embeddings=vectors[start : start + 1000].tolist(),
            documents=[c.text for c in part],
            metadatas=[{"source": c.source, "page": c.page or -1} for c in part],
        )
    ingest_s = time.perf_counter() - started
    by_id = {c.id: c for c in chunks}

    def search(query: str, k: int) -> list[SearchHit]:
        res: Any = collection.query(
            query_embeddings=[embedder.embed_query(query).tolist()], n_results=k, include=[]
        )
        return [SearchHit(by_id[cid], 0.0, rank + 1) for rank, cid in enumerate(res["ids"][0])]

    return Baseline(search=search, ingest_s=ingest_s, chunks=len(chunks), files=len(files))
