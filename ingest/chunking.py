"""Structure-aware chunking: chunks never cross a page or section boundary.

Paragraphs are packed up to the target size; an over-long paragraph is cut at sentence
boundaries; neighbouring chunks of one section share a little overlap. Tiny sections on
the same page are merged so a heading with two lines does not become its own chunk; the
merged chunk's label names its first and last section. Records of a JSON/YAML file (a vendor,
a control) are never merged: two vendors in one chunk invite quoting one's facts as the
other's.
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


def _span(first: str, last: str) -> str:
    """The section label of merged sections: "Doc › 1. Scope – 2. Forbidden data".

    A merged chunk keeps every heading in its text; its label's last level names the first
    and the last section, so that a citation of a sentence from the second one is not sent
    to the first. Above it stands the path the two share.
    """
    if not first or not last:  # text before the first heading has no label of its own
        return first or last
    a, b = first.split(" › "), last.split(" › ")
    common = 0
    while common < min(len(a), len(b)) - 1 and a[common] == b[common]:
        common += 1
    return " › ".join([*a[:common], f"{a[-1]} – {b[-1]}"])


def _merge_small(sections: tuple[Section, ...], target: int) -> list[Section]:
    merged: list[Section] = []
    first = ""  # the label of the first section in merged[-1]
    for sec in sections:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.page == sec.page
            and len(prev.text) + len(sec.text) < target * 0.6
            and (len(sec.text) < target // 3 or len(prev.text) < target // 3)
        ):
            same = sec.section == prev.section or sec.section == first
            leaf = sec.section.split(" › ")[-1]
            heading = "" if same or sec.text.startswith(leaf) else leaf  # not said twice
            text = f"{prev.text}\n{heading}\n{sec.text}" if heading else f"{prev.text}\n{sec.text}"
            label = prev.section if same else _span(first, sec.section)
            first = first or sec.section  # text before the first heading starts no span
            merged[-1] = Section(text=text, section=label, page=prev.page)
        else:
            merged.append(sec)
            first = sec.section
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
    sections = list(doc.sections) if doc.records else _merge_small(doc.sections, target)
    for sec in sections:
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
