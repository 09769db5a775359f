"""Sign-in in the app: required once users exist, roles enforced, audit page for admins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.access import Role
from core.audit import AuditLog
from core.factory import build_services
from core.users import UserStore
from kb.embeddings import Embedder
from tests.app_support import assert_clean, open_page, start_app, texts, use_tmp_store
from tests.conftest import make_settings

pytestmark = pytest.mark.slow


@pytest.fixture
def users(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, embedder: Embedder) -> Path:
    use_tmp_store(monkeypatch, tmp_path, "de")
    store = UserStore(tmp_path / "users.db")
    store.add("admin", "admin-passwort-1", Role.ADMIN)
    store.add("vera", "viewer-passwort-1", Role.VIEWER)
    store.grant("vera", "default")
    store.add("nora", "no-grant-passwort-1", Role.VIEWER)
    build_services(make_settings(tmp_path), embedder=embedder).workspaces.create("default")
    return tmp_path


def _sign_in(name: str, password: str) -> object:
    at = start_app()
    assert [x.value for x in at.title] == ["Anmelden"]
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def test_single_user_mode_shows_notice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_tmp_store(monkeypatch, tmp_path, "de")
    at = start_app()
    assert_clean(at)
    assert "Einzelplatzmodus" in texts(at)


def test_sign_in_required_and_wrong_password_is_refused(users: Path) -> None:
    at = _sign_in("vera", "falsch-falsch-falsch")
    assert any("falsch" in e.value for e in at.error)  # type: ignore[attr-defined]
    assert [x.value for x in at.title] == ["Anmelden"]  # type: ignore[attr-defined]
    actions = [e.action for e in AuditLog(users / "audit.jsonl").events()]
    assert "login_failed" in actions


def test_viewer_signs_in_and_cannot_see_audit(users: Path) -> None:
    at = _sign_in("vera", "viewer-passwort-1")
    assert "Angemeldet: vera (viewer)" in texts(at)  # type: ignore[arg-type]
    at = open_page(at, "views/audit.py")  # type: ignore[arg-type]
    assert "nur Administratoren" in texts(at)


def test_user_without_grant_gets_a_clear_message(users: Path) -> None:
    at = _sign_in("nora", "no-grant-passwort-1")
    assert any("kein Arbeitsbereich" in e.value for e in at.error)  # type: ignore[attr-defined]


def test_admin_sees_verified_audit_log(users: Path) -> None:
    at = _sign_in("admin", "admin-passwort-1")
    at = open_page(at, "views/audit.py")  # type: ignore[arg-type]
    assert_clean(at)
    assert "Kette intakt" in texts(at)
    assert at.dataframe, "the audit table is shown"


def test_a_refused_sign_in_reads_in_the_sessions_language(users: Path) -> None:
    """After switching to English and signing out, a wrong password is refused in English."""
    at: Any = _sign_in("vera", "viewer-passwort-1")
    at.radio(key="_lotse_lang_select").set_value("en").run()
    at.button(key="_lotse_logout").click().run()
    assert [x.value for x in at.title] == ["Sign in"]
    at.text_input[0].input("vera")
    at.text_input[1].input("falsch-falsch-falsch")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Sign-in failed: wrong user name or password."]


def test_the_sign_in_page_speaks_the_configured_language(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_tmp_store(monkeypatch, tmp_path, "en")  # LOTSE_UI_LANGUAGE=en
    UserStore(tmp_path / "users.db").add("vera", "viewer-passwort-1", Role.VIEWER)
    at = start_app()
    assert_clean(at)
    assert [x.value for x in at.title] == ["Sign in"]
