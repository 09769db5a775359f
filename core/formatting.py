"""Dates as the reader of a document expects them: 30.11.2026 in German, ISO in English.

Used by the schedule summary and every export, so that a plan's banner, its Markdown and
its spreadsheet write one date the same way.
"""

from __future__ import annotations

from datetime import date


def fmt_date(day: date, lang: str) -> str:
    return day.strftime("%d.%m.%Y") if lang == "de" else day.isoformat()
