"""Kill-during-ingest rounds: the writer to kill, the files it writes, the checker after it.

Run as ``python -m tests.crash_support ingest|check ...`` so that each side is a process of
its own, as in real life: the writer is SIGKILLed at a random moment, then a fresh process
opens the store, checks it and completes the ingest.

Every file version carries a marker word (``kennung<round>x<file>``) in each paragraph, so a
passage found by any search path tells which file version it came from; the checker knows
each marker's file hash and compares it with the registry.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.factory import Services, build_services
from core.settings import Settings
from kb.analysis import query_terms
from kb.library import ingest_options
from kb.workspace import Workspace, chunk_set_version, is_committed
from kb.workspaces import CHUNKS_PREFIX

log = logging.getLogger(__name__)
MARKER = re.compile(r"kennung\d+x\d+")
SENTENCES = [
    "Die Geschäftsleitung genehmigt den Einsatz von KI-Diensten nur nach einer Prüfung.",
    "Personendaten werden vor dem Senden an externe Anbieter geschwärzt.",
    "Jede Abteilung führt ein Verzeichnis der genutzten Sprachmodelle.",
    "Zugänge werden mit Zwei-Faktor-Anmeldung geschützt und jährlich überprüft.",
    "Protokolle werden während neunzig Tagen aufbewahrt und danach gelöscht.",
    "Die Datenschutzberaterin beurteilt Übermittlungen in Drittstaaten.",
]


@dataclass(frozen=True)
class RoundPlan:
    """What one round ingests: file contents by name, category and chunk size."""

    number: int
    files: dict[str, str]
    category: str
    chunk_chars: int


def file_text(round_no: int, index: int, paragraphs: int = 5) -> str:
    """About 650 characters per section: one chunk at 900 characters, two at 600."""
    marker = f"kennung{round_no:03d}x{index}"
    parts = [f"# Richtlinie {index}\n"]
    for p in range(paragraphs):
        body = " ".join(SENTENCES[(p + i + index) % len(SENTENCES)] for i in range(8))
        parts.append(f"## Abschnitt {p + 1}\n\n{marker}: {body} (Absatz {p + 1}, {marker})\n")
    return "\n".join(parts)


def plan_round(round_no: int, n_files: int, previous: RoundPlan | None) -> RoundPlan:
    """Half the files change each round; every fourth round re-tags all of them with another
    category and chunk size (same bytes, new version: the hardest case for visibility)."""
    retag = round_no % 4 == 3
    files = {}
    for i in range(n_files):
        name = f"richtlinie-{i}.md"
        keep = previous is not None and (retag or (i + round_no) % 2 == 1)
        files[name] = previous.files[name] if keep and previous else file_text(round_no, i)
    category = "policy" if (round_no // 4) % 2 == 0 else "guidance"
    if retag:
        category = "guidance" if category == "policy" else "policy"
    return RoundPlan(round_no, files, category, 600 if retag else 900)


def write_round(folder: Path, plan: RoundPlan) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in plan.files.items():
        (folder / name).write_text(text, encoding="utf-8")


def marker_hashes(plans: Sequence[RoundPlan]) -> dict[str, str]:
    """Marker word -> sha256 of the file version that carries it."""
    out = {}
    for plan in plans:
        for text in plan.files.values():
            found = MARKER.search(text)
            assert found is not None
            out[found.group(0)] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return out


# ---- the check --------------------------------------------------------------------------


def raw_chunks(services: Services, workspace: str) -> dict[str, dict[str, Any]]:
    col = services.client.get_collection(CHUNKS_PREFIX + workspace)
    got = col.get(include=["documents", "metadatas"])
    return {
        cid: {"text": text, **meta}
        for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
    }


def check_workspace(
    services: Services, ws: Workspace, markers: dict[str, str], queries: Sequence[str]
) -> tuple[list[str], dict[str, int]]:
    """Inconsistencies a reader could observe, and counts (documents, chunks, leftovers).

    For every committed document: exactly ``info.chunks`` chunks are visible, their ids
    give ``info.version``, all carry the registry's category, and all come from the file
    version the registry names. No passage of another version reaches any search path.
    """
    problems: list[str] = []
    docs = ws.documents(fresh=True)
    visible: dict[str, str] = {}
    for doc_id, info in docs.items():
        chunks = ws.document_chunks(doc_id)
        ids = [c.id for c in chunks]
        if len(chunks) != info.chunks:
            problems.append(f"{info.source}: {len(chunks)} chunks visible, registry {info.chunks}")
        if chunk_set_version(ids) != info.version:
            problems.append(f"{info.source}: visible chunk set is not version {info.version}")
        if {c.category for c in chunks} - {info.category}:
            problems.append(f"{info.source}: chunk categories differ from {info.category}")
        for chunk in chunks:
            visible[chunk.id] = doc_id
            problems += _wrong_version(chunk.text, info.file_hash, info.source, markers)
    retriever = services.retriever(ws.name)
    for query in queries:
        found = [(h.chunk.id, h.chunk.text) for h in retriever.search(query, k=30)]
        dense = ws.dense_search(ws.embedder.embed_query(query), 30, None)
        found += [(c.id, c.text) for c, _ in dense]
        terms = [(t, 1.0) for t in query_terms(query)]
        keyword = [cid for cid, _ in ws.keyword_index().search(terms, 30)]
        found += [(c.id, c.text) for c in ws.get_chunks(keyword).values()]
        missing = [cid for cid in keyword if cid not in visible]
        if missing:
            problems.append(f"keyword search for {query!r} returned {len(missing)} unknown ids")
        for cid, text in found:
            owner = visible.get(cid)
            if owner is None:
                problems.append(f"search for {query!r} returned an uncommitted chunk")
                continue
            info = docs[owner]
            problems += _wrong_version(text, info.file_hash, info.source, markers)
    stored = raw_chunks(services, ws.name)
    leftovers = sum(1 for meta in stored.values() if not is_committed(meta, docs))
    counts = {"documents": len(docs), "chunks": len(visible), "leftovers": leftovers}
    return sorted(set(problems)), counts


def _wrong_version(text: str, file_hash: str, source: str, markers: dict[str, str]) -> list[str]:
    words = set(MARKER.findall(text))
    bad = [w for w in words if markers.get(w) != file_hash]
    return [f"{source}: passage of another file version ({', '.join(sorted(bad))})"] if bad else []


# ---- the two processes --------------------------------------------------------------------


def _current(ws: Workspace, plan: RoundPlan, names: list[str]) -> int:
    """How many of ``names`` the registry already holds in the plan's version."""
    docs = {d.source: d for d in ws.documents(fresh=True).values()}
    return sum(
        1
        for name, text in plan.files.items()
        if name in names
        and (info := docs.get(name)) is not None
        and info.category == plan.category
        and info.file_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
    )


def _services(data_dir: str, chroma_url: str, chunk_chars: int) -> Services:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=Path(data_dir),
        chroma_url=chroma_url or None,
        chunk_chars=chunk_chars,
        chunk_overlap_chars=100,
    )
    return build_services(settings)


def ingest_main(args: list[str]) -> None:
    """``ingest DATA_DIR CHROMA_URL WORKSPACE CATEGORY CHUNK_CHARS FOLDER [wait]``: prints
    "ready" once the model and store are open (with ``wait``, then waits for a line on
    stdin, so two writers can start together), "file N" after each file, then the JSON
    report when done."""
    data_dir, url, workspace, category, chunk_chars, folder, *wait = args
    from ingest.pipeline import ingest_paths

    services = _services(data_dir, url, int(chunk_chars))
    ws = services.workspaces.open(workspace, create=True)
    print("ready", flush=True)
    if wait:
        sys.stdin.readline()
    options = ingest_options(services.settings, category, None)
    report = ingest_paths(
        ws, [Path(folder)], options, lambda p: print(f"file {p.file_index}", flush=True)
    )
    print(json.dumps(report.as_json()), flush=True)


def check_main(args: list[str]) -> None:
    """``check DATA_DIR WORKSPACE PLANS_JSON``: check, complete the last round's ingest, check
    again; prints one JSON object."""
    data_dir, workspace, plans_file = args
    raw = json.loads(Path(plans_file).read_text(encoding="utf-8"))
    plans = [RoundPlan(**p) for p in raw["plans"]]
    current = plans[-1]
    markers = marker_hashes(plans)
    queries = [f"kennung{current.number:03d}x0 Geschäftsleitung", "Protokolle aufbewahrt gelöscht"]
    out: dict[str, Any] = {}
    try:
        services = _services(data_dir, "", current.chunk_chars)
        ws = services.workspaces.open(workspace, create=True)
        out["problems_after_kill"], out["after_kill"] = check_workspace(
            services, ws, markers, queries
        )
        previous = plans[-2] if len(plans) > 1 else None
        changed = [
            name
            for name, text in current.files.items()
            if previous is None
            or previous.files.get(name) != text
            or previous.category != current.category
        ]
        out["after_kill"]["changed"] = len(changed)
        out["after_kill"]["changed_committed"] = _current(ws, current, changed)
        from ingest.pipeline import ingest_paths

        report = ingest_paths(
            ws, [Path(raw["folder"])], ingest_options(services.settings, current.category, None)
        )
        out["rerun"] = report.as_json()
        problems, out["after_rerun"] = check_workspace(services, ws, markers, queries)
        docs = {d.source: d for d in ws.documents(fresh=True).values()}
        for name, text in current.files.items():
            info = docs.get(name)
            want = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if info is None or info.file_hash != want or info.category != current.category:
                problems.append(f"{name}: not completed by the re-run")
        if report.failed:
            problems.append(f"re-run failed for {[r.file for r in report.failed]}")
        out["problems_after_rerun"] = problems
    except Exception as exc:  # a store that cannot be opened or searched is a finding
        log.exception("check failed")
        out["error"] = f"{type(exc).__name__}: {exc}"
    print(json.dumps(out, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    {"ingest": ingest_main, "check": check_main}[sys.argv[1]](sys.argv[2:])
