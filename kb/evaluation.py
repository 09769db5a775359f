"""Retrieval evaluation on questions with known answer passages (``dev.jsonl`` format).

A retrieved chunk is a hit when it comes from the question's source file (or a file of
the same derivation family from MANIFEST.tsv), contains the key phrase after whitespace
is collapsed, hyphenation joined and ligatures unfolded, and, for PDFs, sits on the
page the locator names.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.domain import SearchHit
from ingest.cleaning import unfold_ligatures

_FILE_RE = re.compile(r"[\w.\-]+\.(?:md|pdf|docx|html|json|yaml|txt)")


def normalise(text: str) -> str:
    text = unfold_ligatures(text)
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return re.sub(r"\s+", " ", text).strip()


def load_families(manifest: Path | None) -> dict[str, set[str]]:
    """file -> all files carrying the same text (derived renderings and their sources)."""
    families: dict[str, set[str]] = {}
    if manifest is None or not manifest.exists():
        return families
    with manifest.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            derived = row.get("derived_from") or ""
            if not derived.startswith("derived"):
                continue
            group = {row["local_file"], *_FILE_RE.findall(derived.split("(")[0])}
            for name in group:
                families.setdefault(name, set()).update(group)
    return families


@dataclass(frozen=True)
class Question:
    id: str
    lang: str
    question: str
    source_file: str
    locator: str
    key_phrase: str
    cross_lingual: bool = False

    @property
    def page(self) -> int | None:
        m = re.match(r"page (\d+)", self.locator)
        return int(m.group(1)) if m else None


def is_hit(q: Question, hit: SearchHit, families: dict[str, set[str]]) -> bool:
    chunk = hit.chunk
    if chunk.source not in families.get(q.source_file, {q.source_file}):
        return False
    if normalise(q.key_phrase) not in normalise(chunk.text):
        return False
    if chunk.source.endswith(".pdf") and chunk.source == q.source_file and q.page is not None:
        return chunk.page == q.page
    return True


@dataclass
class EvalResult:
    k: int
    rows: list[dict[str, Any]] = field(default_factory=list)

    def metrics(self, lang: str | None = None) -> dict[str, float]:
        rows = [r for r in self.rows if lang is None or r["lang"] == lang]
        n = len(rows) or 1
        ranks = [r["rank"] for r in rows]
        return {
            "n": len(rows),
            "recall@1": sum(1 for r in ranks if r and r <= 1) / n,
            "recall@5": sum(1 for r in ranks if r and r <= 5) / n,
            "recall@10": sum(1 for r in ranks if r and r <= 10) / n,
            "mrr@10": sum(1 / r for r in ranks if r and r <= 10) / n,
        }

    def misses(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if not r["rank"]]


def evaluate(
    questions: Sequence[Question],
    search: Callable[[str, int], list[SearchHit]],
    families: dict[str, set[str]],
    k: int = 10,
) -> EvalResult:
    result = EvalResult(k)
    for q in questions:
        hits = search(q.question, k)
        rank = next((h.rank for h in hits if is_hit(q, h, families)), None)
        result.rows.append(
            {
                "id": q.id,
                "lang": q.lang,
                "rank": rank,
                "question": q.question,
                "source_file": q.source_file,
                "top": [
                    f"{h.chunk.source}#{h.chunk.page or h.chunk.section[:40]}" for h in hits[:3]
                ],
            }
        )
    return result
