"""Roles, actions and the principal that every service function checks.

Roles: ``admin`` (everything, all workspaces), ``editor`` (ingest, delete, draft in granted
workspaces), ``viewer`` (read, chat, draft in granted workspaces). The checks sit in the
core (workspace store and workspace), so no UI or CLI path can skip them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.errors import AccessDenied


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    VIEWER = "viewer"


class Action(StrEnum):
    READ = "read"  # search, chat, draft, list, export of drafts
    WRITE = "write"  # ingest, delete documents
    MANAGE = "manage"  # create/delete/import/export workspaces, users


_ALLOWED: dict[Role, set[Action]] = {
    Role.ADMIN: {Action.READ, Action.WRITE, Action.MANAGE},
    Role.EDITOR: {Action.READ, Action.WRITE},
    Role.VIEWER: {Action.READ},
}


@dataclass(frozen=True)
class Principal:
    """Who acts: checked by every service function, not only by the UI."""

    name: str
    role: Role
    workspaces: frozenset[str] = frozenset()

    @classmethod
    def local_admin(cls) -> Principal:
        """Single-user local install (no users configured): full rights, shown in the UI."""
        return cls("local", Role.ADMIN)

    def can(self, action: Action, workspace: str | None = None) -> bool:
        if action not in _ALLOWED[self.role]:
            return False
        if self.role == Role.ADMIN or workspace is None:
            return True
        return workspace in self.workspaces

    def require(self, action: Action, workspace: str | None = None) -> None:
        if not self.can(action, workspace):
            where, where_en = (
                (f" im Arbeitsbereich '{workspace}'", f" in workspace '{workspace}'")
                if workspace
                else ("", "")
            )
            raise AccessDenied(
                f"Benutzer '{self.name}' (Rolle {self.role.value}) darf '{action.value}'{where} "
                "nicht ausführen.",
                en=f"User '{self.name}' (role {self.role.value}) may not perform "
                f"'{action.value}'{where_en}.",
            )
