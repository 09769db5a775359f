"""Recognise text in a passage that talks to an AI instead of informing a reader.

Retrieved text is data. A sentence such as "Ignore all previous instructions and ..." or
a fake "System:" line is never used as an answer point, and the passage it came from is
flagged in the sources, so the user sees that the document tried to steer the assistant.
The patterns are deliberately broad: losing one evidence sentence costs little, quoting
an injected instruction as the knowledge base's answer costs trust.
"""

from __future__ import annotations

import re

INSTRUCTION_FLAG = "instruction-like text (ignored)"

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
    r"(^|\n)[\s\"'„“«>*#-]*(system|assistant|developer|user|assistent|benutzer)\s*:\s*\S",
    r"<\|?(im_start|im_end|system|endoftext)\|?>",
    r"\[/?(inst|sys)\]",
    r"<<\s*sys\s*>>",
    r"###\s*(instruction|system|anweisung)",
]
_INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def looks_like_instruction(text: str) -> bool:
    """True when the text addresses an AI with commands or fakes a chat role."""
    return _INSTRUCTION.search(text) is not None
