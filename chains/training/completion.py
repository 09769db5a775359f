"""Record of completion: who attended which session and with what quiz score.

One JSON line per result in ``<data_dir>/training/<workspace>.jsonl``, appended and never
rewritten, so step 7's review can show that training happened and when it was recorded.
The app's form and the XLSX export use these functions; nothing here knows about a UI.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from core.errors import WorkspaceError
from kb.workspaces import validate_name

log = logging.getLogger(__name__)

FOLDER = "training"
MAX_TEXT = 200


@dataclass(frozen=True)
class CompletionRecord:
    """One person's result for one session; ``score`` in percent, None when no quiz."""

    person: str
    role: str
    session: str
    day: date
    attended: bool
    score: int | None = None
    recorded_at: str = ""


def completion_path(data_dir: Path, workspace: str) -> Path:
    return data_dir / FOLDER / f"{validate_name(workspace)}.jsonl"


def _checked(record: CompletionRecord) -> CompletionRecord:
    person = " ".join(record.person.split())
    if not person:
        raise ValueError("person must not be empty")
    if record.score is not None and not 0 <= record.score <= 100:
        raise ValueError(f"score {record.score} outside 0..100")
    return CompletionRecord(
        person=person[:MAX_TEXT],
        role=" ".join(record.role.split())[:MAX_TEXT],
        session=" ".join(record.session.split())[:MAX_TEXT],
        day=record.day,
        attended=record.attended,
        score=record.score,
        recorded_at=record.recorded_at or datetime.now(UTC).isoformat(timespec="seconds"),
    )


def record_completion(data_dir: Path, workspace: str, record: CompletionRecord) -> CompletionRecord:
    """Append one result (names trimmed, score 0-100 checked) and return what was stored."""
    stored = _checked(record)
    path = completion_path(data_dir, workspace)
    row = asdict(stored) | {"day": stored.day.isoformat()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise WorkspaceError(
            f"{path}: Schulungsnachweis nicht gespeichert: {exc}",
            en=f"{path}: training record not saved: {exc}",
        ) from exc
    log.info("training result recorded for workspace %s", workspace)
    return stored


def load_completions(data_dir: Path, workspace: str) -> list[CompletionRecord]:
    """All results of a workspace in recording order; unreadable lines are skipped."""
    path = completion_path(data_dir, workspace)
    if not path.is_file():
        return []
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            out.append(
                CompletionRecord(
                    person=str(raw["person"]),
                    role=str(raw.get("role", "")),
                    session=str(raw.get("session", "")),
                    day=date.fromisoformat(raw["day"]),
                    attended=bool(raw.get("attended", False)),
                    score=None if raw.get("score") is None else int(raw["score"]),
                    recorded_at=str(raw.get("recorded_at", "")),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("%s line %d skipped: %s", path.name, number, exc)
    return out
