"""Users, roles, grants, password hashing and login rate limiting."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.access import Action, Principal, Role
from core.errors import AccessDenied, ConfigError
from core.users import MAX_FAILURES, UserStore
from tests.language_support import english


@pytest.fixture
def store(tmp_path: Path) -> UserStore:
    s = UserStore(tmp_path / "users.db")
    s.add("anna", "richtig-geheim-1", Role.EDITOR)
    s.add("ben", "ebenso-geheim-2", Role.VIEWER)
    s.grant("anna", "kunde-a")
    s.grant("ben", "kunde-a")
    return s


def test_passwords_are_stored_only_as_bcrypt_hashes(store: UserStore) -> None:
    raw = store.path.read_bytes()
    assert b"richtig-geheim-1" not in raw
    assert b"$2b$" in raw


def test_roles_and_grants(store: UserStore) -> None:
    anna = store.authenticate("anna", "richtig-geheim-1")
    ben = store.authenticate("ben", "ebenso-geheim-2")
    assert anna.can(Action.WRITE, "kunde-a")
    assert not anna.can(Action.READ, "kunde-b")
    assert ben.can(Action.READ, "kunde-a")
    assert not ben.can(Action.WRITE, "kunde-a")
    with pytest.raises(AccessDenied, match="ben"):
        ben.require(Action.WRITE, "kunde-a")
    assert not anna.can(Action.MANAGE)
    assert Principal.local_admin().can(Action.MANAGE, "irgendwo")


def test_revoke_removes_access(store: UserStore) -> None:
    store.revoke("anna", "kunde-a")
    assert not store.principal("anna").can(Action.READ, "kunde-a")


def test_wrong_password_and_lockout(store: UserStore) -> None:
    for _ in range(MAX_FAILURES):
        with pytest.raises(AccessDenied, match="falsch"):
            store.authenticate("anna", "falsch-falsch")
    with pytest.raises(AccessDenied, match="gesperrt"):
        store.authenticate("anna", "richtig-geheim-1")


def test_unknown_user_and_bad_input(store: UserStore) -> None:
    with pytest.raises(AccessDenied):
        store.authenticate("niemand", "egal-egal-egal")
    with pytest.raises(ConfigError, match="zu kurz"):
        store.add("carla", "kurz", Role.VIEWER)
    with pytest.raises(ConfigError, match="existiert"):
        store.add("anna", "nochmal-geheim-3", Role.VIEWER)
    with pytest.raises(ConfigError, match="Ungültiger"):
        store.add("../etc", "nochmal-geheim-3", Role.VIEWER)


def test_denials_read_in_english_too(store: UserStore) -> None:
    """Sign-in and role checks: German by ``str``, English by ``text("en")``."""
    for name in ("niemand", "anna"):
        with pytest.raises(AccessDenied) as wrong:
            store.authenticate(name, "falsch-falsch")
        assert english(wrong.value) == "Sign-in failed: wrong user name or password."
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(AccessDenied):
            store.authenticate("anna", "falsch-falsch")
    with pytest.raises(AccessDenied) as locked:
        store.authenticate("anna", "richtig-geheim-1")
    assert english(locked.value) == (
        "Too many failed attempts: account temporarily locked. Please try again later."
    )
    ben = store.principal("ben")
    with pytest.raises(AccessDenied) as write:
        ben.require(Action.WRITE, "kunde-a")
    assert english(write.value) == (
        "User 'ben' (role viewer) may not perform 'write' in workspace 'kunde-a'."
    )
    with pytest.raises(AccessDenied) as manage:
        store.principal("anna").require(Action.MANAGE)
    assert english(manage.value) == "User 'anna' (role editor) may not perform 'manage'."
