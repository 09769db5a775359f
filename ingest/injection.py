"""Recognise text that talks to an AI instead of informing a reader, at ingest time.

Documents are data. A passage such as "Ignore all previous instructions ..." or a fake
"System:" line is stored (it may be evidence of an attack), but the chunk and the document
carry a flag that survives into search results, so the sources view can warn about it.
This module is the one place for the patterns; the answerer (chains.answering.injection)
applies the same test per sentence at question time. They are deliberately broad (a needless
warning costs little, a silent injection costs trust), except that a bare "User:" line is
not a role tag here: manuals use it for other things.
"""

from __future__ import annotations

import re

from ingest.flags import INSTRUCTION_NAME, INSTRUCTION_TEXT

__all__ = ["INSTRUCTION_NAME", "INSTRUCTION_TEXT", "chunk_flags", "looks_like_instruction"]

_PATTERNS = [
    # English
    r"\b(ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}\b(previous|prior|above|earlier"
    r"|preceding|all|other|your|system)\b[^.!?\n]{0,30}\b(instructions?|prompts?|rules|guidelines"
    r"|directions|files|sources|context)\b",
    r"\byou are now\b",
    r"\bfrom now on,? you\b",
    r"\bact as (an?|the) [a-z ]{0,30}(assistant|ai|model|bot|developer mode)\b",
    r"\b(reveal|print|show|output|repeat)\b[^.!?\n]{0,20}\b(system prompt|hidden instructions"
    r"|initial instructions)\b",
    r"\bdo not (tell|inform|mention (this )?to) the user\b",
    r"\bnew instructions?\s*:",
    # German
    r"\b(ignorier\w*|vergiss|vergessen sie|missacht\w*|übergeh\w*)\b[^.!?\n]{0,40}"
    r"\b(vorherige\w*|bisherige\w*|obige\w*|alle\w*|früher\w*|vorangegangene\w*)\b[^.!?\n]{0,30}"
    r"\b(anweisung\w*|instruktion\w*|regeln|vorgaben|richtlinien)\b",
    r"\bdu bist (jetzt|nun|ab sofort)\b",
    r"\bab (sofort|jetzt) (bist|antwortest|gibst) du\b",
    r"\bneue anweisung(en)?\s*:",
    r"\b(zeige|gib|verrate)\b[^.!?\n]{0,20}\b(systemprompt|system-prompt|systemanweisung\w*)\b",
    # role tags and chat-template tokens
    r"(^|\n)[\s\"'„“«>*#-]*(system|assistant|developer|assistent)\s*:\s*\S",
    r"<\|?(im_start|im_end|system|endoftext)\|?>",
    r"\[/?(inst|sys)\]",
    r"<<\s*sys\s*>>",
    r"###\s*(instruction|system|anweisung)",
]
_INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def looks_like_instruction(text: str) -> bool:
    """True when the text addresses an AI with commands or fakes a chat role."""
    return _INSTRUCTION.search(text) is not None


def chunk_flags(text: str, document_flags: tuple[str, ...]) -> tuple[str, ...]:
    """The document's flags plus the instruction flag when this passage itself has one."""
    if looks_like_instruction(text) and INSTRUCTION_TEXT not in document_flags:
        return (*document_flags, INSTRUCTION_TEXT)
    return document_flags
