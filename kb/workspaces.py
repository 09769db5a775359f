"""All workspaces of one store: create, open, list, delete, export and import.

A workspace is one Chroma collection of chunks plus one small registry collection of
documents; names are validated so they are safe as collection and file names.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.access import Action, Principal
from core.audit import AuditLog
from core.domain import Chunk, DocumentInfo
from core.errors import WorkspaceError
from kb.embeddings import Embedder
from kb.second import SECOND_PREFIX, second_store
from kb.sidestore import SideStore
from kb.windows import WINDOWS_PREFIX, window_units
from kb.workspace import Workspace, chunk_from_record

log = logging.getLogger(__name__)

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$|^[a-z0-9]$")
CHUNKS_PREFIX = "lotse-chunks-"
DOCS_PREFIX = "lotse-docs-"
ARCHIVE_FORMAT = "ki-lotse-workspace/1"


def validate_name(name: str) -> str:
    if not NAME_RE.match(name or ""):
        raise WorkspaceError(
            f"Ungültiger Name für einen Arbeitsbereich: '{name}'. Erlaubt sind 1–40 Zeichen: "
            "Kleinbuchstaben a–z, Ziffern und Bindestriche, nicht am Anfang oder Ende "
            "(z. B. 'mueller-treuhand').",
            en=f"Invalid name for a workspace: '{name}'. Allowed are 1–40 characters: "
            "lowercase letters a–z, digits and hyphens, not at the start or end "
            "(e.g. 'mueller-treuhand').",
        )
    return name


@dataclass(frozen=True)
class WorkspaceSummary:
    name: str
    documents: int
    chunks: int
    size_bytes: int
    created_at: str


class WorkspaceStore:
    """Factory and lifecycle of workspaces over one Chroma client and one embedder.

    A store acts for one principal (the local admin unless ``as_user`` says otherwise):
    it lists only granted workspaces, opens them as that user's view, and requires the
    MANAGE right to create, delete or import a workspace and WRITE to export one.
    """

    def __init__(
        self,
        client: Any,
        embedder: Embedder,
        index_dir: Path,
        audit: AuditLog | None = None,
        principal: Principal | None = None,
        sentence_windows: bool = False,
        second_embedder: Embedder | None = None,
    ) -> None:
        self.client = client
        self.second_embedder = second_embedder  # kb.second: None = no second ranking
        self.sentence_windows = sentence_windows  # kb.windows: write window vectors at ingest
        self.embedder = embedder
        self.index_dir = index_dir
        self.audit = audit
        self.principal = principal or Principal.local_admin()
        self._open: dict[str, Workspace] = {}

    def as_user(self, principal: Principal) -> WorkspaceStore:
        """The same store (shared caches) acting for ``principal``."""
        view = copy.copy(self)
        view.principal = principal
        return view

    def _record(self, action: str, workspace: str, **details: Any) -> None:
        if self.audit is not None:
            self.audit.record(action, user=self.principal.name, workspace=workspace, **details)

    def _collection_names(self) -> list[str]:
        return [c if isinstance(c, str) else c.name for c in self.client.list_collections()]

    def all_names(self) -> list[str]:
        cols = self._collection_names()
        return sorted(c[len(CHUNKS_PREFIX) :] for c in cols if c.startswith(CHUNKS_PREFIX))

    def names(self) -> list[str]:
        """Workspaces this store's principal may read."""
        return [n for n in self.all_names() if self.principal.can(Action.READ, n)]

    def exists(self, name: str) -> bool:
        return name in self.all_names()

    def create(self, name: str, exist_ok: bool = False) -> Workspace:
        validate_name(name)
        self.principal.require(Action.MANAGE)
        existed = self.exists(name)
        if existed and not exist_ok:
            raise WorkspaceError(
                f"Arbeitsbereich '{name}' existiert bereits.",
                en=f"Workspace '{name}' already exists.",
            )
        ws = self._collections(name, create=True)
        if not existed:
            self._record("workspace_create", name)
        return ws

    def open(self, name: str, create: bool = False) -> Workspace:
        """Open an existing workspace (or create it when ``create``)."""
        validate_name(name)
        if name in self._open:
            return self._open[name].as_user(self.principal)
        if not self.exists(name):
            if create:
                return self.create(name, exist_ok=True).as_user(self.principal)
            names = ", ".join(self.names())
            raise WorkspaceError(
                f"Arbeitsbereich '{name}' gibt es nicht. Vorhanden: {names or '(keine)'}. "
                f"Anlegen mit: lotse workspace create {name}",
                en=f"Workspace '{name}' does not exist. Available: {names or '(none)'}. "
                f"Create it with: lotse workspace create {name}",
            )
        return self._collections(name, create=True).as_user(self.principal)

    def _collections(self, name: str, create: bool) -> Workspace:
        created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        chunks = self.client.get_or_create_collection(
            CHUNKS_PREFIX + name,
            embedding_function=None,
            metadata={
                "hnsw:space": "cosine",
                "workspace": name,
                "created_at": created,
                "embedding_model": self.embedder.name,
            },
        )
        model = (chunks.metadata or {}).get("embedding_model")
        if model and model != self.embedder.name:
            raise WorkspaceError(
                f"Arbeitsbereich '{name}' wurde mit dem Embedding-Modell '{model}' angelegt, "
                f"eingestellt ist '{self.embedder.name}'. Bitte LOTSE_EMBEDDING_MODEL={model} "
                "setzen oder den Arbeitsbereich neu einlesen.",
                en=f"Workspace '{name}' was created with the embedding model '{model}', "
                f"the configured one is '{self.embedder.name}'. Please set "
                f"LOTSE_EMBEDDING_MODEL={model} or ingest the workspace again.",
            )
        registry = self.client.get_or_create_collection(
            DOCS_PREFIX + name, embedding_function=None, metadata={"workspace": name}
        )
        windows = SideStore(  # kb.windows: always attached so deletes reach old windows
            self.client.get_or_create_collection(
                WINDOWS_PREFIX + name,
                embedding_function=None,
                metadata={"hnsw:space": "cosine", "workspace": name},
            ),
            self.embedder,
            window_units,
            write=self.sentence_windows,
        )
        second = None
        if self.second_embedder is not None:
            second = second_store(self.client, name, self.second_embedder)
        ws = Workspace(
            name,
            chunks,
            registry,
            self.embedder,
            self.index_dir / f"{name}.bm25",
            audit=self.audit,
            windows=windows,
            second=second,
        )
        self._open[name] = ws
        return ws

    def delete(self, name: str) -> None:
        validate_name(name)
        self.principal.require(Action.MANAGE)
        if not self.exists(name):
            raise WorkspaceError(
                f"Arbeitsbereich '{name}' gibt es nicht.", en=f"Workspace '{name}' does not exist."
            )
        self.client.delete_collection(DOCS_PREFIX + name)
        self.client.delete_collection(CHUNKS_PREFIX + name)
        existing = self._collection_names()
        for prefix in (WINDOWS_PREFIX, SECOND_PREFIX):  # kb.windows, kb.second
            if prefix + name in existing:
                self.client.delete_collection(prefix + name)
        self._open.pop(name, None)
        cache = self.index_dir / f"{name}.bm25"  # kb.keyword_terms: a folder (a file before)
        if cache.is_dir():
            shutil.rmtree(cache, ignore_errors=True)
        else:
            cache.unlink(missing_ok=True)
        self._record("workspace_delete", name)

    def summaries(self) -> list[WorkspaceSummary]:
        out = []
        for name in self.names():
            ws = self.open(name)
            docs = ws.documents(fresh=True)
            size = sum(len(c.text.encode()) for d in docs for c in ws.document_chunks(d))
            meta = ws._chunks.metadata or {}
            out.append(
                WorkspaceSummary(
                    name=name,
                    documents=len(docs),
                    chunks=sum(d.chunks for d in docs.values()),
                    size_bytes=size,
                    created_at=str(meta.get("created_at", "")),
                )
            )
        return out

    # ---- archive -----------------------------------------------------------------
    def export(self, name: str, target: Path) -> Path:
        """Write a single .zip: manifest, documents, chunks with metadata and vectors."""
        ws = self.open(name)
        ws.require_write()
        docs = ws.documents(fresh=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(
                "manifest.json",
                json.dumps(
                    {
                        "format": ARCHIVE_FORMAT,
                        "workspace": name,
                        "embedding_model": self.embedder.name,
                        "dim": self.embedder.dim,
                        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                        "documents": [d.__dict__ for d in docs.values()],
                    },
                    ensure_ascii=False,
                    indent=1,
                ),
            )
            lines = []
            vectors = []
            for doc_id in docs:
                got = ws.committed_records(
                    doc_id, include=["documents", "metadatas", "embeddings"], docs=docs
                )
                for cid, text, meta, emb in zip(
                    got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True
                ):
                    lines.append(
                        json.dumps({"id": cid, "text": text, "metadata": meta}, ensure_ascii=False)
                    )
                    vectors.append(np.asarray(emb, dtype=np.float32))
            zf.writestr("chunks.jsonl", "\n".join(lines))
            with zf.open("vectors.npy", "w") as fh:
                np.save(fh, np.vstack(vectors) if vectors else np.zeros((0, self.embedder.dim)))
        tmp.replace(target)
        self._record("workspace_export", name, documents=len(docs))
        return target

    def import_(self, archive: Path, name: str | None = None, replace: bool = False) -> str:
        """Restore an archive as workspace ``name`` (default: the name inside)."""
        self.principal.require(Action.MANAGE)
        try:
            with zipfile.ZipFile(archive) as zf:
                manifest = json.loads(zf.read("manifest.json"))
                lines = zf.read("chunks.jsonl").decode("utf-8").splitlines()
                with zf.open("vectors.npy") as fh:
                    vectors = np.load(fh, allow_pickle=False)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise WorkspaceError(
                f"{archive.name}: kein gültiges KI-Lotse-Archiv ({exc}).",
                en=f"{archive.name}: not a valid KI-Lotse archive ({exc}).",
            ) from exc
        if manifest.get("format") != ARCHIVE_FORMAT:
            raise WorkspaceError(
                f"{archive.name}: unbekanntes Archivformat.",
                en=f"{archive.name}: unknown archive format.",
            )
        if manifest.get("embedding_model") != self.embedder.name:
            raise WorkspaceError(
                f"{archive.name}: Archiv nutzt das Embedding-Modell "
                f"'{manifest.get('embedding_model')}', eingestellt ist '{self.embedder.name}'.",
                en=f"{archive.name}: the archive uses the embedding model "
                f"'{manifest.get('embedding_model')}', the configured one is "
                f"'{self.embedder.name}'.",
            )
        target = validate_name(name or str(manifest.get("workspace", "")))
        if self.exists(target) and not replace:
            raise WorkspaceError(
                f"Arbeitsbereich '{target}' existiert bereits; anderen Namen wählen "
                "oder --replace angeben.",
                en=f"Workspace '{target}' already exists; choose another name or give --replace.",
            )
        documents = self._archived_documents(archive.name, manifest, lines, vectors, target)
        if self.exists(target):
            self.delete(target)  # only now: the archive has been read completely
        ws = self.create(target)
        for info, chunks, doc_vectors in documents:
            ws.put_document(info, chunks, doc_vectors)
        self._record("workspace_import", target, archive=archive.name, documents=len(documents))
        return target

    def _archived_documents(
        self,
        archive: str,
        manifest: dict[str, Any],
        lines: list[str],
        vectors: Any,
        target: str,
    ) -> list[tuple[DocumentInfo, list[Chunk], Any]]:
        """Parse and check every document of an archive before anything is written."""
        try:
            records = [json.loads(line) for line in lines if line.strip()]
            by_doc: dict[str, list[int]] = {}
            for i, rec in enumerate(records):
                by_doc.setdefault(str(rec["metadata"]["doc_id"]), []).append(i)
            documents = []
            for raw in manifest["documents"]:
                info = DocumentInfo(**{**raw, "flags": tuple(raw.get("flags") or ())})
                idx = by_doc.pop(info.doc_id, [])
                chunks = [
                    chunk_from_record(
                        str(records[i]["id"]),
                        str(records[i]["text"]),
                        {**records[i]["metadata"], "workspace": target},
                    )
                    for i in idx
                ]
                documents.append((info, chunks, idx))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise WorkspaceError(
                f"{archive}: Archiv ist beschädigt ({exc!r}).",
                en=f"{archive}: the archive is damaged ({exc!r}).",
            ) from exc
        dim_ok = vectors.ndim == 2 and (len(vectors) == 0 or vectors.shape[1] == self.embedder.dim)
        if len(records) != len(vectors) or not dim_ok or by_doc:
            raise WorkspaceError(
                f"{archive}: Archiv ist unvollständig (Abschnitte oder Vektoren fehlen).",
                en=f"{archive}: the archive is incomplete (passages or vectors are missing).",
            )
        return [(info, chunks, vectors[idx]) for info, chunks, idx in documents]

    def close(self) -> None:
        self._open.clear()


def remove_store(data_dir: Path) -> None:
    """Delete the local store folder (used by tests and `lotse workspace delete --all`)."""
    shutil.rmtree(data_dir, ignore_errors=True)
