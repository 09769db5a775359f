"""Quiz -> CSV for quiz and e-learning tools.

Column layout (fixed English header, one question per row, whatever the kit's language):

    Question, Option A, Option B, Option C, Option D, Correct, Explanation, Source

- ``Correct`` is the letter of the one correct option (A-D); a question with three options
  leaves ``Option D`` empty.
- ``Source`` is where the answer can be looked up (guide file › heading, or catalog id and
  title).
- UTF-8 without byte-order mark, comma-separated, fields quoted where needed (RFC 4180),
  CRLF line ends. Spreadsheet tools and the CSV importers of common quiz tools read it;
  map the columns once in the tool's import dialog.
- A kit for several audiences writes every question once, in quiz order; build the kit
  for one audience to get that audience's quiz only.
"""

from __future__ import annotations

import csv
import io

from chains.training.records import LETTERS, QuizQuestion, TrainingKit

HEADER = [
    "Question",
    *(f"Option {letter}" for letter in LETTERS),
    "Correct",
    "Explanation",
    "Source",
]


def quiz_rows(kit: TrainingKit) -> list[QuizQuestion]:
    """Every question of every quiz once, in quiz order."""
    seen: set[str] = set()
    out = []
    for quiz in kit.quizzes:
        for q in quiz.questions:
            if q.id not in seen:
                seen.add(q.id)
                out.append(q)
    return out


def to_csv(kit: TrainingKit) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for q in quiz_rows(kit):
        options = list(q.options) + [""] * (len(LETTERS) - len(q.options))
        writer.writerow([q.question, *options, q.correct_letter, q.explanation, q.source.label])
    return buffer.getvalue().encode("utf-8")
