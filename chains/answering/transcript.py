"""A conversation as Markdown with its sources, for the chat page's download button.

Each answer keeps its grounding and data-flow state next to it, so the exported file
is as honest as the screen it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from chains.answering.phrases import where
from core.domain import Answer, ChatTurn, Citation
from core.inert import inert
from ingest.flags import describe

_LABELS = {
    "de": {
        "title": "KI-Lotse – Gesprächsverlauf",
        "workspace": "Arbeitsbereich",
        "exported": "Exportiert",
        "question": "Frage",
        "answer": "Antwort",
        "sources": "Quellen",
        "related": "Möglicherweise verwandt",
        "grounded": "belegt durch die Wissensbasis",
        "ungrounded": "nicht belegt",
        "offline": "offline beantwortet, nichts hat diesen Rechner verlassen",
        "local": "Sprachmodell {provider} auf diesem Rechner, nichts hat ihn verlassen",
        "external": "Frage und Textstellen gingen an {provider} (externer Dienst)",
        "redacted": "Personendaten vor dem Senden geschwärzt",
        "flags": "Hinweis",
        "notice": "Hinweis",
    },
    "en": {
        "title": "KI-Lotse – conversation",
        "workspace": "Workspace",
        "exported": "Exported",
        "question": "Question",
        "answer": "Answer",
        "sources": "Sources",
        "related": "Possibly related",
        "grounded": "grounded in the knowledge base",
        "ungrounded": "not grounded",
        "offline": "answered offline, nothing left this machine",
        "local": "language model {provider} on this machine, nothing left it",
        "external": "question and passages went to {provider} (external service)",
        "redacted": "personal data redacted before sending",
        "flags": "Warning",
        "notice": "Notice",
    },
}


def answer_labels(lang: str) -> dict[str, str]:
    """The words around an answer (sources, grounding, data flow) in ``lang``."""
    return _LABELS["de" if lang == "de" else "en"]


def data_flow_label(answer: Answer, lang: str) -> str:
    """One line saying where the question and passages went."""
    labels = answer_labels(lang)
    if answer.left_machine:
        text = labels["external"].format(provider=answer.provider)
        return f"{text}; {labels['redacted']}" if answer.redacted else text
    if answer.provider == "extractive":
        return labels["offline"]
    return labels["local"].format(provider=answer.provider)


def _source_line(c: Citation, lang: str, labels: dict[str, str]) -> str:
    place = where(lang, c.page, c.section)
    head = f"{c.n}. **{c.source}**" + (f" ({place})" if place else "")
    line = f"{head} – «{c.snippet}»" if lang == "de" else f'{head} – "{c.snippet}"'
    if c.flags:
        flags = ", ".join(describe(f, lang) for f in c.flags)
        line += f"  \n   ⚠ {labels['flags']}: {flags}"
    return line


def conversation_markdown(
    turns: Sequence[ChatTurn],
    lang: str = "de",
    workspace: str = "",
    now: dt.datetime | None = None,
) -> str:
    """The whole conversation: questions, answers, their state and numbered sources."""
    labels = answer_labels(lang)
    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    out = [f"# {labels['title']}", ""]
    if workspace:
        out.append(f"{labels['workspace']}: {workspace}  ")
    out += [f"{labels['exported']}: {stamp}", ""]
    for i, turn in enumerate(turns, start=1):
        a = turn.answer
        state = labels["grounded"] if a.grounded else labels["ungrounded"]
        out += [
            f"## {labels['question']} {i}",
            "",
            f"> {turn.question.strip()}",
            "",
            f"**{labels['answer']}** ({state}; {data_flow_label(a, lang)})",
            "",
            a.answer,
            "",
        ]
        if a.notice:
            out += [f"*{labels['notice']}: {a.notice}*", ""]
        if a.citations:
            out += [f"**{labels['sources']}**", ""]
            out += [_source_line(c, lang, labels) for c in a.citations] + [""]
        elif a.possibly_related:
            out += [f"**{labels['related']}**", ""]
            out += [_source_line(c, lang, labels) for c in a.possibly_related] + [""]
    return inert("\n".join(out).rstrip() + "\n")  # quotes may hold Markdown images


def answer_record(answer: Answer) -> dict[str, object]:
    """The JSON shape of ``lotse ask --json`` (keys fixed by the interface contract)."""
    return {
        "answer": answer.answer,
        "language": answer.language,
        "grounded": answer.grounded,
        "provider": answer.provider,
        "left_machine": answer.left_machine,
        "citations": [
            {
                "n": c.n,
                "source": c.source,
                "page": c.page,
                "section": c.section,
                "snippet": c.snippet,
                "text": c.text,
                "doc_id": c.doc_id,
            }
            for c in answer.citations
        ],
    }
