"""The one place that maps a file suffix (and part) to a training-kit writer.

A suffix alone picks the usual artefact: ``.docx``/``.md`` the plan with the handouts,
``.json`` the whole kit, ``.csv`` the quiz, ``.xlsx`` the attendance template, ``.ics`` and
``.png``/``.svg`` the schedule with the sessions in it. For ``.docx`` the part ``quiz``
gives the quiz worksheet and ``answers`` the quiz with solutions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from chains.training.records import TrainingKit
from core.errors import ExportError
from exports.training.csv_export import to_csv
from exports.training.docx_export import kit_docx, quiz_answers_docx, quiz_docx
from exports.training.json_export import to_json
from exports.training.markdown import to_markdown
from exports.training.schedule import schedule_with_training_bytes
from exports.training.xlsx import attendance_template

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _with_schedule(suffix: str) -> Callable[[TrainingKit], bytes]:
    def write(kit: TrainingKit) -> bytes:
        if kit.schedule is None:
            raise ExportError(
                f"Für {suffix} braucht das Schulungspaket einen Zeitplan: bitte ein Startdatum "
                "angeben (--start).",
                en=f"For {suffix} the training kit needs a schedule: please give a start date "
                "(--start).",
            )
        return schedule_with_training_bytes(kit.schedule, kit.plan, suffix)

    return write


@dataclass(frozen=True)
class TrainingFormat:
    key: str
    suffix: str
    part: str
    media_type: str
    write: Callable[[TrainingKit], bytes]


TRAINING_FORMATS: dict[str, TrainingFormat] = {
    f.key: f
    for f in (
        TrainingFormat("kit.docx", ".docx", "kit", DOCX, kit_docx),
        TrainingFormat("quiz.docx", ".docx", "quiz", DOCX, quiz_docx),
        TrainingFormat("answers.docx", ".docx", "answers", DOCX, quiz_answers_docx),
        TrainingFormat("kit.md", ".md", "kit", "text/markdown", to_markdown),
        TrainingFormat("kit.json", ".json", "kit", "application/json", to_json),
        TrainingFormat("quiz.csv", ".csv", "quiz", "text/csv", to_csv),
        TrainingFormat("attendance.xlsx", ".xlsx", "attendance", XLSX, attendance_template),
        TrainingFormat("schedule.ics", ".ics", "schedule", "text/calendar", _with_schedule(".ics")),
        TrainingFormat("gantt.png", ".png", "schedule", "image/png", _with_schedule(".png")),
        TrainingFormat("gantt.svg", ".svg", "schedule", "image/svg+xml", _with_schedule(".svg")),
    )
}
DEFAULT_PART = {
    ".docx": "kit",
    ".md": "kit",
    ".json": "kit",
    ".csv": "quiz",
    ".xlsx": "attendance",
    ".ics": "schedule",
    ".png": "schedule",
    ".svg": "schedule",
}
SUFFIXES = tuple(DEFAULT_PART)


def training_format(name: str, part: str | None = None) -> TrainingFormat:
    """By suffix (``.docx``), bare format (``docx``) or file name, plus an optional part."""
    key = name.strip().lower()
    if not key.startswith("."):
        key = Path(key).suffix.lower() or f".{key}"
    chosen = part or DEFAULT_PART.get(key)
    for fmt in TRAINING_FORMATS.values():
        if fmt.suffix == key and fmt.part == chosen:
            return fmt
    offered = ", ".join(f"{f.suffix} ({f.part})" for f in TRAINING_FORMATS.values())
    which, which_en = (f" (Teil '{part}')", f" (part '{part}')") if part else ("", "")
    raise ExportError(
        f"Unbekanntes Exportformat '{name}'{which} für das Schulungspaket. Unterstützt: {offered}.",
        en=f"Unknown export format '{name}'{which_en} for the training kit. Supported: {offered}.",
    )


def training_bytes(kit: TrainingKit, fmt: str, part: str | None = None) -> bytes:
    """The file content, e.g. for a download button."""
    return training_format(fmt, part).write(kit)


def export_training(kit: TrainingKit, path: Path, part: str | None = None) -> Path:
    """Write the artefact the suffix (and part) names; creates missing parent folders."""
    content = training_bytes(kit, path.name, part)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as exc:
        raise ExportError(f"{path}: Schulungspaket konnte nicht geschrieben werden: {exc}") from exc
    return path
