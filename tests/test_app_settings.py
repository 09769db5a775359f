"""Einstellungen in AppTest: the data-flow statement follows the provider, the connection test
talks to a real OpenAI-compatible endpoint on loopback, and a secret is never shown back."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from streamlit.testing.v1 import AppTest

from chains.connection import check_connection, data_flow
from tests.app_support import assert_clean, open_page, start_app, texts, use_tmp_store
from tests.conftest import make_settings
from ui.i18n import TEXTS

PAGE = "views/settings.py"
SECRET = "sk-geheim-4711"


class _ModelsHandler(BaseHTTPRequestHandler):
    """``GET /v1/models`` like an OpenAI-compatible server; records the auth header."""

    seen_auth: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).seen_auth.append(self.headers.get("Authorization", ""))
        if self.path != "/v1/models":
            self.send_error(404)
            return
        body = json.dumps({"object": "list", "data": [{"id": "smollm2", "object": "model"}]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def models_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ModelsHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def settings_page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str = "de") -> AppTest:
    use_tmp_store(monkeypatch, tmp_path, lang)
    at = open_page(start_app(), PAGE)
    assert_clean(at)
    return at


def apply(at: AppTest, provider: str, url: str = "", model: str = "", key: str = "") -> None:
    next(r for r in at.radio if r.label == TEXTS["settings.provider.label"]["de"]).set_value(
        provider
    )
    fields = {t.label: t for t in at.text_input}
    fields[TEXTS["settings.base_url"]["de"]].set_value(url)
    fields[TEXTS["settings.model"]["de"]].set_value(model)
    if key:
        fields[TEXTS["settings.api_key"]["de"]].set_value(key)
    at.form_submit_button[0].click().run()


def everything_shown(at: AppTest) -> str:
    values = [str(w.value) for w in at.text_input] + [str(c.value) for c in at.code]
    return texts(at) + "\n".join(values)


def test_offline_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = settings_page(monkeypatch, tmp_path)
    assert "Nichts verlässt diesen Rechner" in texts(at)
    at.button(key="st_test").click().run()
    assert TEXTS["settings.test.offline"]["de"] in texts(at)


def test_external_endpoint_is_declared_and_secret_never_shown(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at = settings_page(monkeypatch, tmp_path)
    apply(at, "openai", "https://api.example.com/v1", "gpt-4o-mini", SECRET)
    assert_clean(at)
    shown = everything_shown(at)
    assert "Daten verlassen diesen Rechner" in shown
    assert "api.example.com" in shown
    assert "werden vorher geschwärzt" in shown
    assert "Fragen und Textstellen gehen an api.example.com" in shown  # sidebar, every page
    assert SECRET not in shown
    assert TEXTS["settings.api_key_set"]["de"] in [t.placeholder for t in at.text_input]
    # the choice holds for the session: other pages see the same data-flow line
    open_page(at, "views/home.py")
    assert "api.example.com" in texts(at)
    assert SECRET not in everything_shown(at)


def test_connection_test_against_loopback_server(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, models_server: str
) -> None:
    at = settings_page(monkeypatch, tmp_path)
    apply(at, "openai", models_server, "smollm2", SECRET)
    assert "Nichts verlässt diesen Rechner" in texts(at)  # loopback stays on the machine
    _ModelsHandler.seen_auth.clear()
    at.button(key="st_test").click().run()
    assert any("Verbindung steht" in s.value and "smollm2" in s.value for s in at.success)
    assert _ModelsHandler.seen_auth == [f"Bearer {SECRET}"]

    apply(at, "openai", models_server, "gibt-es-nicht")
    at.button(key="st_test").click().run()
    assert any("gibt-es-nicht" in e.value for e in at.error)


def test_unreachable_endpoint_is_a_message(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, llm_provider="ollama", llm_base_url="http://127.0.0.1:9")
    result = check_connection(settings)
    assert not result.ok and result.reason == "unreachable"
    assert not data_flow(settings).left_machine


def test_a_url_that_is_no_http_address_reads_in_the_ui_language(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, llm_provider="openai", llm_base_url="ftp://example.org")
    result = check_connection(settings)
    assert (result.ok, result.reason, result.detail) == (False, "bad_url", "ftp://example.org")
    at = settings_page(monkeypatch, tmp_path)
    apply(at, "openai", "ftp://example.org", "smollm2")
    at.button(key="st_test").click().run()
    assert [e.value for e in at.error] == ["Keine http(s)-Adresse: «ftp://example.org»"]
    at.radio(key="_lotse_lang_settings").set_value("en").run()
    at.button(key="st_test").click().run()
    assert [e.value for e in at.error] == ['Not an http(s) address: "ftp://example.org"']


def test_language_switch_on_settings_page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = settings_page(monkeypatch, tmp_path)
    at.radio(key="_lotse_lang_settings").set_value("en").run()
    assert_clean(at)
    assert [t.value for t in at.title] == ["Settings"]
    assert at.sidebar.radio[0].value == "en"
