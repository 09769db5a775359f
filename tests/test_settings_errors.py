"""An unusable LOTSE_ value is a message naming the variable, in the CLI and in the app,
never a validation traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from core.cli.app import cli, load_commands
from core.errors import ConfigError
from core.settings import load_settings
from tests.app_support import start_app, use_tmp_store


def test_load_settings_names_every_unusable_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOTSE_LANGUAGE_BALANCE", "2")
    monkeypatch.setenv("LOTSE_SECOND_GROUNDING_LANGUAGE_GAP", "abc")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = caught.value.text("de")
    assert message.startswith("Ungültige Einstellung: ")
    assert "LOTSE_LANGUAGE_BALANCE='2'" in message
    assert "LOTSE_SECOND_GROUNDING_LANGUAGE_GAP='abc'" in message
    assert caught.value.text("en").startswith("Invalid setting: ")


def test_the_cli_exits_with_the_message(tmp_path: Path) -> None:
    load_commands()
    env = {"LOTSE_DATA_DIR": str(tmp_path), "LOTSE_DOCUMENT_PENALTY": "99"}
    result = CliRunner().invoke(cli, ["workspace", "list"], env=env)
    assert result.exit_code == 1
    assert "Ungültige Einstellung: LOTSE_DOCUMENT_PENALTY='99'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "chroma").exists()  # nothing was opened or written


@pytest.mark.slow
def test_the_app_shows_the_message_and_stops(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_tmp_store(monkeypatch, tmp_path)
    monkeypatch.setenv("LOTSE_LANGUAGE_BALANCE", "-1")
    at = start_app()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Ungültige Einstellung: LOTSE_LANGUAGE_BALANCE='-1' "
        "(Input should be greater than or equal to 0)."
    ]
