"""The one place that maps a file suffix to a schedule writer (and its media type)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from chains.schedule.records import Schedule
from core.errors import ExportError
from exports.schedule.chart import to_png, to_svg
from exports.schedule.ics import to_ics
from exports.schedule.json_export import to_json
from exports.schedule.markdown import to_markdown
from exports.schedule.xlsx import to_xlsx


@dataclass(frozen=True)
class ScheduleFormat:
    suffix: str
    media_type: str
    write: Callable[[Schedule], bytes]


SCHEDULE_FORMATS: dict[str, ScheduleFormat] = {
    f.suffix: f
    for f in (
        ScheduleFormat(".ics", "text/calendar", to_ics),
        ScheduleFormat(
            ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx
        ),
        ScheduleFormat(".md", "text/markdown", to_markdown),
        ScheduleFormat(".json", "application/json", to_json),
        ScheduleFormat(".png", "image/png", to_png),
        ScheduleFormat(".svg", "image/svg+xml", to_svg),
    )
}


def schedule_format(name: str) -> ScheduleFormat:
    """Look up by suffix (``.ics``), bare format (``ics``) or file name (``plan.ics``)."""
    key = name.strip().lower()
    if not key.startswith("."):
        key = Path(key).suffix.lower() or f".{key}"
    try:
        return SCHEDULE_FORMATS[key]
    except KeyError:
        supported = ", ".join(SCHEDULE_FORMATS)
        raise ExportError(
            f"Unbekanntes Exportformat '{name}' für den Zeitplan. Unterstützt: {supported}."
        ) from None


def schedule_bytes(schedule: Schedule, fmt: str) -> bytes:
    """The file content for a format, e.g. for a download button."""
    return schedule_format(fmt).write(schedule)


def export_schedule(schedule: Schedule, path: Path) -> Path:
    """Write the schedule in the format its suffix names; creates missing parent folders."""
    content = schedule_bytes(schedule, path.name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as exc:
        raise ExportError(f"{path}: Zeitplan konnte nicht geschrieben werden: {exc}") from exc
    return path
