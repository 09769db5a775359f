"""What ingest found suspicious in a document, and how each finding reads for a user.

The flags are stored with every chunk and document as these English ids (they are data
and stay stable); the chat page, the knowledge page, ``lotse ask`` and the exported
conversation show them in the user's language through ``describe``.
"""

from __future__ import annotations

INSTRUCTION_TEXT = "instruction-like text"
INSTRUCTION_NAME = "instruction-like file name"
HTML_HIDDEN = "hidden text in HTML removed"
HTML_MARKUP = "instructions in HTML comments or metadata"
MARKDOWN_COMMENT = "instructions in Markdown comments"
PDF_METADATA = "instructions in PDF metadata"
DOCX_METADATA = "instructions in DOCX metadata"
DOCX_HIDDEN = "hidden text in DOCX"

_TEXTS: dict[str, dict[str, str]] = {
    INSTRUCTION_TEXT: {
        "de": "Text, der sich wie eine Anweisung an eine KI liest",
        "en": "text that reads like an instruction to an AI",
    },
    INSTRUCTION_NAME: {
        "de": "Dateiname, der sich wie eine Anweisung an eine KI liest",
        "en": "a file name that reads like an instruction to an AI",
    },
    HTML_HIDDEN: {
        "de": "versteckter Text in HTML (entfernt, nicht eingelesen)",
        "en": "hidden text in HTML (removed, not indexed)",
    },
    HTML_MARKUP: {
        "de": "Anweisungen in HTML-Kommentaren oder Metadaten (nicht eingelesen)",
        "en": "instructions in HTML comments or metadata (not indexed)",
    },
    MARKDOWN_COMMENT: {
        "de": "Anweisungen in Markdown-Kommentaren (nicht eingelesen)",
        "en": "instructions in Markdown comments (not indexed)",
    },
    PDF_METADATA: {
        "de": "Anweisungen in den PDF-Metadaten (nicht eingelesen)",
        "en": "instructions in the PDF metadata (not indexed)",
    },
    DOCX_METADATA: {
        "de": "Anweisungen in den DOCX-Eigenschaften (nicht eingelesen)",
        "en": "instructions in the DOCX properties (not indexed)",
    },
    DOCX_HIDDEN: {
        "de": "versteckter Text in DOCX (eingelesen und markiert)",
        "en": "hidden text in DOCX (indexed and flagged)",
    },
}


def describe(flag: str, lang: str) -> str:
    """The flag in ``lang`` ("de" or "en"); an unknown flag (a newer version wrote it) as
    stored."""
    return _TEXTS.get(flag, {}).get(lang, flag)
