"""Schedule writers (ICS, XLSX, Markdown, JSON, PNG/SVG Gantt), chosen by file suffix."""

from exports.schedule.json_export import schedule_to_dict
from exports.schedule.registry import (
    SCHEDULE_FORMATS,
    export_schedule,
    schedule_bytes,
    schedule_format,
)

__all__ = [
    "SCHEDULE_FORMATS",
    "export_schedule",
    "schedule_bytes",
    "schedule_format",
    "schedule_to_dict",
]
