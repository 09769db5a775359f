"""The framing text of answers in the question's language (German in Swiss spelling).

Only the words around the evidence are translated; quoted evidence stays in the language
of its source and is marked when that differs from the question's language.
"""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "de": {
        "summary": "Kurz: {quote} {cite}",
        "points": "Kernpunkte aus den Dokumenten:",
        "quote": "«{text}»",
        "source_lang": "(Quelle auf {language})",
        "no_basis": "Die Wissensbasis enthält dazu keine ausreichende Grundlage.",
        "no_amount": "Die Wissensbasis enthält dazu keine ausreichende Grundlage: Gefragt "
        "ist ein Betrag (Preis, Kosten oder Busse), und keine gefundene Stelle nennt einen.",
        "no_figure": "Gefragt ist eine Zahl (Betrag, Frist oder Menge); die "
        "zitierten Stellen nennen keine.",
        "related": "Möglicherweise verwandt (nicht als Antwort geprüft):",
        "page": "S. {page}",
        "lang.de": "Deutsch",
        "lang.en": "Englisch",
        "empty_question": "Bitte stellen Sie eine Frage.",
        "fallback": "Das Sprachmodell ({provider}) war nicht nutzbar: {reason} "
        "Die Antwort wurde deshalb offline aus den Dokumenten zusammengestellt.",
        "uncited": "Das Sprachmodell hat keine gültige Quelle angegeben; die Antwort ist "
        "deshalb als nicht belegt markiert.",
        "removed": "Ungültige Quellenverweise des Sprachmodells entfernt: {refs}.",
        "fail.timeout": "Zeitüberschreitung nach {timeout:g} s.",
        "fail.connection": "keine Verbindung zum Server.",
        "fail.rate_limit": "das Anfragelimit des Anbieters ist erreicht.",
        "fail.auth": "der Zugangsschlüssel wurde abgelehnt.",
        "fail.model": "das Modell wurde nicht gefunden.",
        "fail.empty": "die Antwort war leer.",
        "fail.config": "{detail}",
        "fail.other": "unerwarteter Fehler ({detail}).",
    },
    "en": {
        "summary": "In short: {quote} {cite}",
        "points": "Key points from the documents:",
        "quote": "\u201c{text}\u201d",
        "source_lang": "(source in {language})",
        "no_basis": "The knowledge base holds no sufficient basis for this.",
        "no_amount": "The knowledge base holds no sufficient basis for this: the question "
        "asks for an amount (a price, cost or fine), and no passage found states one.",
        "no_figure": "The question asks for a figure (amount, period or quantity); the quoted "
        "passages state none.",
        "related": "Possibly related (not verified as an answer):",
        "page": "p. {page}",
        "lang.de": "German",
        "lang.en": "English",
        "empty_question": "Please ask a question.",
        "fallback": "The language model ({provider}) could not be used: {reason} "
        "The answer was therefore compiled offline from the documents.",
        "uncited": "The language model cited no valid source; the answer is therefore "
        "marked as not grounded.",
        "removed": "Invalid source references from the language model removed: {refs}.",
        "fail.timeout": "timed out after {timeout:g} s.",
        "fail.connection": "no connection to the server.",
        "fail.rate_limit": "the provider's rate limit was reached.",
        "fail.auth": "the API key was rejected.",
        "fail.model": "the model was not found.",
        "fail.empty": "the answer was empty.",
        "fail.config": "{detail}",
        "fail.other": "unexpected error ({detail}).",
    },
}


def phrase(lang: str, key: str, **fmt: object) -> str:
    """The framing text ``key`` in ``lang`` (English for any language other than German)."""
    table = PHRASES["de" if lang == "de" else "en"]
    return table[key].format(**fmt) if fmt else table[key]


def where(lang: str, page: int | None, section: str) -> str:
    """'S. 3' / 'p. 3' for paged documents, else the last part of the section path."""
    if page is not None:
        return phrase(lang, "page", page=page)
    return section.split(" › ")[-1].strip()
