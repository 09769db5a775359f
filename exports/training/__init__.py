"""Training-kit writers (DOCX, Markdown, JSON, quiz CSV, attendance XLSX, schedule with
sessions as ICS/PNG/SVG), chosen by file suffix and part."""

from exports.training.csv_export import HEADER as QUIZ_CSV_HEADER
from exports.training.json_export import kit_to_dict
from exports.training.registry import (
    SUFFIXES,
    TRAINING_FORMATS,
    TrainingFormat,
    export_training,
    training_bytes,
    training_format,
)
from exports.training.schedule import schedule_with_training_bytes, training_ics
from exports.training.xlsx import attendance_xlsx

__all__ = [
    "QUIZ_CSV_HEADER",
    "SUFFIXES",
    "TRAINING_FORMATS",
    "TrainingFormat",
    "attendance_xlsx",
    "export_training",
    "kit_to_dict",
    "schedule_with_training_bytes",
    "training_bytes",
    "training_format",
    "training_ics",
]
