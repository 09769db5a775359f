"""Roles and grants are enforced in the core: no service path lets a user past them.

Every mutating service function is tried by a viewer, an editor without the grant and
an editor with it; the figures go to the security report (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.access import Principal, Role
from core.errors import AccessDenied
from core.factory import Services
from ingest.pipeline import IngestOptions, ingest_bytes, ingest_paths
from tests import fixtures as fx
from tests.conftest import Docs

pytestmark = pytest.mark.slow

VIEWER = Principal("vera", Role.VIEWER, frozenset({"kunde-a"}))
EDITOR_A = Principal("emil", Role.EDITOR, frozenset({"kunde-a"}))
EDITOR_B = Principal("berta", Role.EDITOR, frozenset({"kunde-b"}))
MD = b"# Richtlinie\n\nKundendaten gehen nur mit Freigabe in Cloud-Dienste.\n"


@pytest.fixture
def store(services: Services, docs: Docs) -> Services:
    for name in ("kunde-a", "kunde-b"):
        ws = services.workspaces.create(name)
        ingest_bytes(ws, [("richtlinie.md", MD)], IngestOptions(category="policy"))
    return services


def _mutations(svc: Services, docs: Docs, tmp_path: Path) -> dict[str, Callable[[], Any]]:
    def ws() -> Any:
        return svc.workspaces.open("kunde-a")

    def delete_doc() -> Any:
        w = ws()
        return w.delete_document(next(iter(w.documents(fresh=True))))

    return {
        "ingest_paths": lambda: ingest_paths(ws(), [docs.text[fx.MD_NAME]]),
        "ingest_bytes": lambda: ingest_bytes(ws(), [("x.md", MD)]),
        "delete_document": delete_doc,
        "workspace_create": lambda: svc.workspaces.create("neu"),
        "workspace_delete": lambda: svc.workspaces.delete("kunde-a"),
        "workspace_export": lambda: svc.workspaces.export("kunde-a", tmp_path / "a.zip"),
        "workspace_import": lambda: svc.workspaces.import_(tmp_path / "missing.zip", "neu"),
    }


@pytest.mark.parametrize(
    "action",
    [
        "ingest_paths",
        "ingest_bytes",
        "delete_document",
        "workspace_create",
        "workspace_delete",
        "workspace_export",
        "workspace_import",
    ],
)
def test_viewer_cannot_mutate_through_any_service(
    store: Services, docs: Docs, tmp_path: Path, action: str
) -> None:
    viewer = store.as_user(VIEWER)
    before = {n: store.workspaces.open(n).documents(fresh=True) for n in ("kunde-a", "kunde-b")}
    with pytest.raises(AccessDenied, match="vera"):
        _mutations(viewer, docs, tmp_path)[action]()
    after = {n: store.workspaces.open(n).documents(fresh=True) for n in ("kunde-a", "kunde-b")}
    assert after == before
    assert store.workspaces.all_names() == ["kunde-a", "kunde-b"]


def test_editor_needs_the_grant_and_not_more(store: Services, docs: Docs, tmp_path: Path) -> None:
    emil = store.as_user(EDITOR_A)
    berta = store.as_user(EDITOR_B)
    assert emil.workspaces.names() == ["kunde-a"]
    assert berta.workspaces.names() == ["kunde-b"]
    with pytest.raises(AccessDenied):
        berta.workspaces.open("kunde-a")
    with pytest.raises(AccessDenied):
        berta.retriever("kunde-a")
    report = ingest_paths(emil.workspaces.open("kunde-a"), [docs.text[fx.MD_NAME]])
    assert report.count("ingested") == 1
    with pytest.raises(AccessDenied):
        emil.workspaces.create("neu")
    emil.workspaces.export("kunde-a", tmp_path / "a.zip")
    assert (tmp_path / "a.zip").exists()


def test_viewer_reads_and_searches_only_granted(store: Services) -> None:
    viewer = store.as_user(VIEWER)
    hits = viewer.retriever("kunde-a").search("Kundendaten Cloud", k=3)
    assert hits and all(h.chunk.workspace == "kunde-a" for h in hits)
    with pytest.raises(AccessDenied):
        viewer.retriever("kunde-b")


def test_mutations_are_audited_with_user_and_workspace(store: Services, docs: Docs) -> None:
    emil = store.as_user(EDITOR_A)
    ws = emil.workspaces.open("kunde-a")
    ingest_paths(ws, [docs.text[fx.MD_NAME]])
    ws.delete_document(
        next(
            d.doc_id
            for d in ws.documents(fresh=True).values()
            if d.source == docs.text[fx.MD_NAME].name
        )
    )
    events = [(e.user, e.action, e.workspace) for e in store.audit.events()]
    assert ("emil", "ingest", "kunde-a") in events
    assert ("emil", "delete", "kunde-a") in events
    assert ("local", "workspace_create", "kunde-b") in events
    assert store.audit.verify().ok
