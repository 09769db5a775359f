"""Synthetic data for ``bench.perf`` (a helper, not a benchmark of its own).

- ``paragraphs``: the prose paragraphs of the corpus's Markdown files (real German and
  English policy text);
- ``write_pages``: Markdown files of shuffled paragraphs, ``PAGE_CHARS`` characters counted
  as one page (roughly a printed A4 page of running text), a heading per page;
- ``chunk_texts``: realistic chunk texts (shuffled sentences of the same paragraphs, about
  900 characters) for the query-latency workspaces, where vectors are reused rather than
  embedded (see ``perturbed``).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np

PAGE_CHARS = 2000
_SENT = re.compile(r"(?<=[.!?])\s+")


def paragraphs(corpus: Path) -> list[str]:
    """Prose paragraphs (≥ 200 characters, not tables or code) of the corpus's .md files."""
    out: list[str] = []
    for path in sorted(corpus.glob("*.md")):
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8", errors="replace")):
            block = block.strip()
            if len(block) >= 200 and not block.startswith(("|", "```", "#", "<")):
                out.append(block)
    return out


def write_pages(
    corpus: Path, out: Path, pages: int, pages_per_file: int = 20, seed: int = 7
) -> list[Path]:
    """``pages`` pages of shuffled corpus paragraphs in files of ``pages_per_file`` pages."""
    rng = random.Random(seed)
    paras = paragraphs(corpus)
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for f in range(0, pages, pages_per_file):
        parts: list[str] = [f"# Synthetische Richtlinie {f // pages_per_file + 1}"]
        for p in range(f, min(pages, f + pages_per_file)):
            parts.append(f"## Abschnitt {p + 1}")
            size = 0
            while size < PAGE_CHARS:
                para = rng.choice(paras)
                parts.append(para)
                size += len(para)
        path = out / f"synthetisch_{f // pages_per_file + 1:04d}.md"
        path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
        files.append(path)
    return files


def chunk_texts(corpus: Path, n: int, seed: int = 11, size: int = 900) -> list[str]:
    """``n`` chunk-sized texts of shuffled corpus sentences."""
    rng = random.Random(seed)
    sentences = [s for p in paragraphs(corpus) for s in _SENT.split(p) if len(s) > 30]
    out: list[str] = []
    for _ in range(n):
        parts: list[str] = []
        length = 0
        while length < size:
            s = rng.choice(sentences)
            parts.append(s)
            length += len(s) + 1
        out.append(" ".join(parts))
    return out


def perturbed(base: np.ndarray, n: int, noise: float = 0.35, seed: int = 3) -> np.ndarray:
    """``n`` unit vectors near the rows of ``base`` (real embeddings, reused with noise),
    so the vector index sees a realistic, clustered distribution instead of uniform noise."""
    rng = np.random.default_rng(seed)
    picks = base[rng.integers(0, len(base), n)]
    vecs = picks + noise * rng.standard_normal(picks.shape).astype(np.float32) / np.sqrt(
        base.shape[1]
    )
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    out: np.ndarray = vecs.astype(np.float32)
    return out
