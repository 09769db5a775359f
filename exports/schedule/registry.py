"""The one place that maps a file suffix to a schedule writer (and its media type)."""

from __future__ import annotations

from chains.schedule.records import Schedule
from exports.formats import XLSX, Format, FormatRegistry
from exports.schedule.chart import to_png, to_svg
from exports.schedule.ics import to_ics
from exports.schedule.json_export import to_json
from exports.schedule.markdown import to_markdown
from exports.schedule.xlsx import to_xlsx

SCHEDULE: FormatRegistry[Schedule] = FormatRegistry(
    "den Zeitplan",
    [
        Format(".ics", "text/calendar", to_ics),
        Format(".xlsx", XLSX, to_xlsx),
        Format(".md", "text/markdown", to_markdown),
        Format(".json", "application/json", to_json),
        Format(".png", "image/png", to_png),
        Format(".svg", "image/svg+xml", to_svg),
    ],
    what_en="the schedule",
)
SCHEDULE_FORMATS = SCHEDULE.formats
schedule_format = SCHEDULE.lookup
schedule_bytes = SCHEDULE.to_bytes
export_schedule = SCHEDULE.write
