"""The README documents every setting and the two set-up commands."""

from __future__ import annotations

from pathlib import Path

from core.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    missing = [n for n in Settings.model_fields if f"`LOTSE_{n.upper()}`" not in README]
    assert not missing, f"README lacks {missing}"


def test_setup_commands() -> None:
    assert "make run" in README and "make test" in README
