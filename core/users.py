"""Users, roles and workspace grants in SQLite; passwords only as bcrypt hashes.

Roles and checks live in ``core.access``. Failed logins lock the account for a growing
time, so passwords cannot be guessed at speed.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import bcrypt

from core.access import Principal, Role
from core.errors import AccessDenied, ConfigError

MAX_FAILURES = 5
LOCK_SECONDS = 60
_NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UserStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10)
        try:
            con.execute(
                "CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, hash BLOB NOT NULL, "
                "role TEXT NOT NULL, created TEXT NOT NULL, failures INTEGER DEFAULT 0, "
                "locked_until TEXT DEFAULT '')"
            )
            con.execute(
                "CREATE TABLE IF NOT EXISTS grants (name TEXT NOT NULL, workspace TEXT NOT NULL, "
                "PRIMARY KEY (name, workspace))"
            )
            yield con
            con.commit()
        finally:
            con.close()

    def has_users(self) -> bool:
        if not self.path.exists():
            return False
        with self._db() as con:
            count = int(con.execute("SELECT COUNT(*) FROM users").fetchone()[0])
            return count > 0

    def add(self, name: str, password: str, role: Role) -> None:
        if not _NAME.match(name):
            raise ConfigError(f"Ungültiger Benutzername '{name}' (a–z, 0–9, . _ @ -).")
        _check_password(password)
        with self._db() as con:
            if con.execute("SELECT 1 FROM users WHERE name=?", (name,)).fetchone():
                raise ConfigError(f"Benutzer '{name}' existiert bereits.")
            con.execute(
                "INSERT INTO users(name, hash, role, created) VALUES (?,?,?,?)",
                (
                    name,
                    bcrypt.hashpw(password.encode(), bcrypt.gensalt()),
                    role.value,
                    _now().isoformat(timespec="seconds"),
                ),
            )

    def set_password(self, name: str, password: str) -> None:
        _check_password(password)
        with self._db() as con:
            cur = con.execute(
                "UPDATE users SET hash=?, failures=0, locked_until='' WHERE name=?",
                (bcrypt.hashpw(password.encode(), bcrypt.gensalt()), name),
            )
            if cur.rowcount == 0:
                raise ConfigError(f"Benutzer '{name}' gibt es nicht.")

    def grant(self, name: str, workspace: str) -> None:
        with self._db() as con:
            self._require_user(con, name)
            con.execute("INSERT OR IGNORE INTO grants VALUES (?,?)", (name, workspace))

    def revoke(self, name: str, workspace: str) -> None:
        with self._db() as con:
            self._require_user(con, name)
            con.execute("DELETE FROM grants WHERE name=? AND workspace=?", (name, workspace))

    def remove(self, name: str) -> None:
        with self._db() as con:
            self._require_user(con, name)
            con.execute("DELETE FROM users WHERE name=?", (name,))
            con.execute("DELETE FROM grants WHERE name=?", (name,))

    def principal(self, name: str) -> Principal:
        with self._db() as con:
            row = self._require_user(con, name)
            grants = {
                r[0] for r in con.execute("SELECT workspace FROM grants WHERE name=?", (name,))
            }
        return Principal(name, Role(row[0]), frozenset(grants))

    def list(self) -> list[Principal]:
        with self._db() as con:
            names = [r[0] for r in con.execute("SELECT name FROM users ORDER BY name")]
        return [self.principal(n) for n in names]

    def authenticate(self, name: str, password: str) -> Principal:
        """Check a password; repeated failures lock the account for a growing time."""
        with self._db() as con:
            row = con.execute(
                "SELECT hash, failures, locked_until FROM users WHERE name=?", (name,)
            ).fetchone()
            if row is None:
                bcrypt.checkpw(b"x", bcrypt.hashpw(b"y", bcrypt.gensalt(4)))  # even timing
                raise _login_failed()
            stored, failures, locked_until = row
            if locked_until and dt.datetime.fromisoformat(locked_until) > _now():
                raise AccessDenied(
                    "Zu viele Fehlversuche: Konto vorübergehend gesperrt. Bitte später erneut.",
                    en="Too many failed attempts: account temporarily locked. Please try again "
                    "later.",
                )
            if not bcrypt.checkpw(password.encode(), stored):
                failures += 1
                lock = ""
                if failures >= MAX_FAILURES:
                    seconds = LOCK_SECONDS * 2 ** (failures - MAX_FAILURES)
                    lock = (_now() + dt.timedelta(seconds=min(seconds, 3600))).isoformat()
                con.execute(
                    "UPDATE users SET failures=?, locked_until=? WHERE name=?",
                    (failures, lock, name),
                )
                con.commit()
                raise _login_failed()
            con.execute("UPDATE users SET failures=0, locked_until='' WHERE name=?", (name,))
        return self.principal(name)

    @staticmethod
    def _require_user(con: sqlite3.Connection, name: str) -> tuple[str]:
        row = con.execute("SELECT role FROM users WHERE name=?", (name,)).fetchone()
        if row is None:
            raise ConfigError(f"Benutzer '{name}' gibt es nicht.")
        return (str(row[0]),)


def _login_failed() -> AccessDenied:
    """The same answer for an unknown user and a wrong password."""
    return AccessDenied(
        "Anmeldung fehlgeschlagen: Benutzer oder Passwort falsch.",
        en="Sign-in failed: wrong user name or password.",
    )


def _check_password(password: str) -> None:
    if len(password) < 10:
        raise ConfigError("Passwort zu kurz: mindestens 10 Zeichen.")
