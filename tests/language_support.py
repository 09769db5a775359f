"""Errors a user of the English UI can meet: German by ``str``, English by ``text("en")``."""

from __future__ import annotations

from core.errors import LotseError


def english(err: LotseError) -> str:
    """The error's English text, after checking ``str`` (CLI, JSON, logs) stays German."""
    assert err.text("de") == str(err)
    assert err.message_en is not None, f"no English text: {err}"
    assert err.text("en") == err.message_en != str(err), str(err)
    return err.message_en
