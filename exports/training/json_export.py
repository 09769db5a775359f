"""TrainingKit -> JSON: the whole kit (plan, handouts, quizzes with answers and sources).

Dates and times as ISO strings, roles/audiences/topics as their ids; the schedule is not
repeated, only its span and region (the schedule has its own JSON export).
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from datetime import date, time
from enum import Enum
from typing import Any

from chains.training.records import LETTERS, TrainingKit


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(_plain(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def kit_to_dict(kit: TrainingKit) -> dict[str, Any]:
    data = asdict(replace(kit, schedule=None))
    span = kit.schedule
    data["schedule"] = (
        None
        if span is None
        else {
            "start": span.start.isoformat(),
            "end": span.end.isoformat(),
            "region": span.region,
        }
    )
    for quiz in data["quizzes"]:
        for question in quiz["questions"]:
            question["correct_letter"] = LETTERS[question["correct"]]
    result: dict[str, Any] = _plain(data)
    return result


def to_json(kit: TrainingKit) -> bytes:
    return json.dumps(kit_to_dict(kit), ensure_ascii=False, indent=2).encode("utf-8")
