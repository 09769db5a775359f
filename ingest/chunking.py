"""Structure-aware chunking: chunks never cross a page or section boundary.

Paragraphs are packed up to the target size; an over-long paragraph is cut at sentence
boundaries; neighbouring chunks of one section share a little overlap. Tiny sections on
the same page are merged so a heading with two lines does not become its own chunk.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.domain import LoadedDocument, Section
from ingest.sentences import split_sentences


@dataclass(frozen=True)
class ChunkDraft:
    text: str
    section: str
    page: int | None


def _merge_small(sections: tuple[Section, ...], target: int) -> list[Section]:
    merged: list[Section] = []
    for sec in sections:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.page == sec.page
            and len(prev.text) + len(sec.text) < target * 0.6
            and (len(sec.text) < target // 3 or len(prev.text) < target // 3)
        ):
            heading = sec.section.split(" › ")[-1] if sec.section != prev.section else ""
            text = f"{prev.text}\n{heading}\n{sec.text}" if heading else f"{prev.text}\n{sec.text}"
            merged[-1] = Section(text=text, section=prev.section, page=prev.page)
        else:
            merged.append(sec)
    return merged


def _pieces(text: str, target: int) -> list[str]:
    """Paragraphs, with any paragraph longer than the target cut into sentence groups."""
    out: list[str] = []
    for para in text.split("\n"):
        para = para.strip()
        if not para:
            continue
        if len(para) <= target:
            out.append(para)
            continue
        group = ""
        for sent in split_sentences(para, min_chars=1):
            while len(sent) > target:  # a "sentence" without boundaries (tables, lists)
                cut = sent.rfind(" ", 0, target)
                cut = cut if cut > target // 2 else target
                if group:
                    out.append(group)
                    group = ""
                out.append(sent[:cut].strip())
                sent = sent[cut:].strip()
            if group and len(group) + len(sent) + 1 > target:
                out.append(group)
                group = sent
            else:
                group = f"{group} {sent}".strip()
        if group:
            out.append(group)
    return out


def _overlap_tail(text: str, overlap: int) -> str:
    if overlap <= 0:
        return ""
    sents = split_sentences(text, min_chars=1)
    tail = ""
    for sent in reversed(sents):
        if len(tail) + len(sent) > overlap:
            break
        tail = f"{sent} {tail}".strip()
    return tail


def chunk_document(doc: LoadedDocument, target: int = 900, overlap: int = 150) -> list[ChunkDraft]:
    drafts: list[ChunkDraft] = []
    for sec in _merge_small(doc.sections, target):
        current = ""
        for piece in _pieces(sec.text, target):
            if current and len(current) + len(piece) + 1 > target:
                drafts.append(ChunkDraft(current, sec.section, sec.page))
                tail = _overlap_tail(current, overlap)
                current = f"{tail}\n{piece}" if tail else piece
            else:
                current = f"{current}\n{piece}" if current else piece
        if current.strip():
            drafts.append(ChunkDraft(current, sec.section, sec.page))
    return drafts
