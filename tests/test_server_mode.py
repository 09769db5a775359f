"""Server mode: the same store contract against a real `chroma run` on loopback.

With ``LOTSE_CHROMA_URL`` several app instances share one store; each keeps only derived
caches (keyword index) of its own, which must follow what the server holds.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from core.errors import ConfigError
from kb.embeddings import EMBEDDERS, load_embedder
from kb.store import make_chroma_client
from tests import fixtures as fx
from tests.conftest import ChromaServer, Docs, MakeServices, make_settings
from tests.language_support import english
from tests.servers import free_port
from tests.store_contract import REPLACED_ANSWER, StoreContract, ingest, texts_found

pytestmark = pytest.mark.slow


class TestServerStore(StoreContract):
    @pytest.fixture
    def store_settings(self, chroma_server: ChromaServer) -> dict[str, Any]:
        chroma_server.reset()
        return {"chroma_url": chroma_server.url}


def test_two_app_instances_share_one_store(
    chroma_server: ChromaServer, make_services: MakeServices, docs: Docs, tmp_path: Any
) -> None:
    chroma_server.reset()
    one = make_services("instanz-1", chroma_url=chroma_server.url)
    two = make_services("instanz-2", chroma_url=chroma_server.url)  # own data dir and caches
    ws_one = one.workspaces.create("kunde-a")
    assert ingest(ws_one, [docs.pdf, docs.text[fx.MD_NAME]]).count("ingested") == 2

    assert two.workspaces.names() == ["kunde-a"]
    ws_two = two.workspaces.open("kunde-a")
    top = two.retriever("kunde-a").search(fx.PDF_QUERY, k=1)[0].chunk
    assert fx.PDF_ANSWER in top.text and top.page == fx.PDF_ANSWER_PAGE
    assert ingest(ws_two, [docs.pdf]).count("unchanged") == 1

    # instance two replaces the file, instance one follows
    changed = fx.make_policy_pdf(tmp_path / "neu" / fx.PDF_NAME, answer=REPLACED_ANSWER)
    assert ingest(ws_two, [changed]).count("replaced") == 1
    ws_one.documents(fresh=True)  # the registry is re-read at most every few seconds
    found = texts_found(one, "kunde-a", fx.PDF_QUERY)
    assert any(REPLACED_ANSWER in t for t in found)
    assert not any(fx.PDF_ANSWER in t for t in found)

    # instance one deletes it, instance two never returns it again
    info = ws_one.find_document(fx.PDF_NAME)
    assert info is not None
    ws_one.delete_document(info.doc_id)
    ws_two.documents(fresh=True)
    for query in (fx.PDF_QUERY, REPLACED_ANSWER, "Schulung Halluzinationen"):
        assert not any(
            fx.PDF_NAME in h.chunk.source for h in two.retriever("kunde-a").search(query, k=20)
        )
        assert not any(REPLACED_ANSWER in t for t in texts_found(two, "kunde-a", query))
    assert {d.source for d in ws_two.documents(fresh=True).values()} == {fx.MD_NAME}


def test_unreachable_server_is_a_clear_config_error(tmp_path: Any) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ConfigError, match=f"Chroma-Server unter {url} nicht erreichbar"):
        make_chroma_client(make_settings(tmp_path, chroma_url=url))
    with pytest.raises(ConfigError, match="keine gültige"):
        make_chroma_client(make_settings(tmp_path, chroma_url="ftp://irgendwo"))


def test_store_and_model_settings_errors_read_in_english_too(tmp_path: Any) -> None:
    """Shown on every page when the store or model cannot be used: German by ``str``,
    English by ``text("en")``."""
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ConfigError) as unreachable:
        make_chroma_client(make_settings(tmp_path, chroma_url=url))
    assert english(unreachable.value).startswith(f"Chroma server at {url} not reachable: ")
    with pytest.raises(ConfigError) as invalid:
        make_chroma_client(make_settings(tmp_path, chroma_url="ftp://irgendwo"))
    assert english(invalid.value) == (
        "LOTSE_CHROMA_URL 'ftp://irgendwo' is not a valid http(s) address."
    )
    with pytest.raises(ConfigError) as model:
        load_embedder(str(tmp_path / "kein-modell"))
    assert english(model.value) == (
        f"Unknown embedding model '{tmp_path / 'kein-modell'}'. Allowed: "
        f"{', '.join(EMBEDDERS)} or the path to a sentence-transformers model folder."
    )


def test_an_instance_rereads_the_registry_only_when_another_one_changed_it(
    chroma_server: ChromaServer, make_services: MakeServices, docs: Docs
) -> None:
    chroma_server.reset()
    one = make_services("instanz-1", chroma_url=chroma_server.url)
    two = make_services("instanz-2", chroma_url=chroma_server.url)
    ws_one = one.workspaces.create("kunde-a")
    ingest(ws_one, [docs.pdf])
    ws_two = two.workspaces.open("kunde-a")
    assert {d.source for d in ws_two.documents().values()} == {fx.PDF_NAME}

    full_reads: list[Any] = []
    registry = ws_two._registry
    real_get = registry.get

    def counting_get(*args: Any, **kwargs: Any) -> Any:
        if "ids" not in kwargs:
            full_reads.append(kwargs)
        return real_get(*args, **kwargs)

    registry.get = counting_get  # type: ignore[method-assign]
    ttl = ws_two._ttl + 0.2
    time.sleep(ttl)
    ws_two.documents()
    assert full_reads == []  # nothing changed: only the generation record was read

    ingest(ws_one, [docs.text[fx.MD_NAME]])
    time.sleep(ttl)
    assert {d.source for d in ws_two.documents().values()} == {fx.PDF_NAME, fx.MD_NAME}
    assert len(full_reads) == 1

    info = ws_one.find_document(fx.PDF_NAME)
    assert info is not None
    ws_one.delete_document(info.doc_id)
    time.sleep(ttl)
    assert {d.source for d in ws_two.documents().values()} == {fx.MD_NAME}
