"""The one translation table of the app, plus date and number formatting per language.

German is the default, in Swiss spelling ("ss", never the sharp s; «guillemets»).
Every page adds its keys in its own block marked ``# --- <page> ---``; keys are
``<page>.<part>`` so a missing one is easy to find. ``t(key, **fmt)`` formats with
``str.format``; an unknown key returns the key itself (and the test suite fails).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Literal

import streamlit as st

log = logging.getLogger(__name__)

Lang = Literal["de", "en"]
LANGUAGES: dict[str, str] = {"de": "Deutsch", "en": "English"}
DEFAULT_LANG: Lang = "de"
LANG_KEY = "_lotse_lang"

TEXTS: dict[str, dict[str, str]] = {
    # --- common ---
    "common.workspace_caption": {
        "de": "Arbeitsbereich: **{name}**",
        "en": "Workspace: **{name}**",
    },
    "common.unexpected_error": {
        "de": "Etwas ist schiefgelaufen ({kind}). Die Einzelheiten stehen im Protokoll der "
        "Anwendung; bitte versuchen Sie es noch einmal.",
        "en": "Something went wrong ({kind}). The details are in the application log; "
        "please try again.",
    },
    "common.cancel": {"de": "Abbrechen", "en": "Cancel"},
    "common.none": {"de": "–", "en": "–"},
    "category.guidance": {"de": "Leitfaden", "en": "Guidance"},
    "category.vendor": {"de": "Anbieterunterlagen", "en": "Vendor documents"},
    "category.policy": {"de": "Interne Richtlinie", "en": "Internal policy"},
    "category.other": {"de": "Sonstiges", "en": "Other"},
    "doclang.de": {"de": "Deutsch", "en": "German"},
    "doclang.en": {"de": "Englisch", "en": "English"},
    "status.ingested": {"de": "✅ eingelesen", "en": "✅ ingested"},
    "status.replaced": {"de": "🔁 ersetzt", "en": "🔁 replaced"},
    "status.unchanged": {"de": "⏸️ unverändert", "en": "⏸️ unchanged"},
    "status.failed": {"de": "❌ fehlgeschlagen", "en": "❌ failed"},
    # --- navigation ---
    "nav.home": {"de": "Start", "en": "Start"},
    "nav.chat": {"de": "Chat", "en": "Chat"},
    "nav.requirements": {"de": "Anforderungen", "en": "Requirements"},
    "nav.schedule": {"de": "Zeitplan", "en": "Schedule"},
    "nav.vendors": {"de": "Anbieter vergleichen", "en": "Compare vendors"},
    "nav.knowledge": {"de": "Wissensbasis", "en": "Knowledge base"},
    "nav.glossary": {"de": "Glossar", "en": "Glossary"},
    "nav.settings": {"de": "Einstellungen", "en": "Settings"},
    "nav.audit": {"de": "Protokoll", "en": "Audit log"},
    "nav.section.start": {"de": "Übersicht", "en": "Overview"},
    "nav.section.work": {"de": "Arbeiten", "en": "Work"},
    "nav.section.manage": {"de": "Verwalten", "en": "Manage"},
    # --- sidebar ---
    "sidebar.workspace": {"de": "Arbeitsbereich", "en": "Workspace"},
    "sidebar.workspace_help": {
        "de": "Pro Kunde oder Projekt ein eigener Arbeitsbereich: Dokumente, Antworten und "
        "Entwürfe bleiben darin getrennt. Neue Arbeitsbereiche legen Sie unter "
        "Wissensbasis an.",
        "en": "One workspace per client or project: documents, answers and drafts stay "
        "separate. Create new workspaces under Knowledge base.",
    },
    "sidebar.language": {"de": "Sprache", "en": "Language"},
    "sidebar.flow.offline": {
        "de": "🔒 Offline: keine Daten verlassen diesen Rechner.",
        "en": "🔒 Offline: no data leaves this machine.",
    },
    "sidebar.flow.local": {
        "de": "🔒 Sprachmodell auf diesem Rechner: keine Daten verlassen ihn.",
        "en": "🔒 Language model on this machine: no data leaves it.",
    },
    "sidebar.flow.external": {
        "de": "⚠️ Fragen und Textstellen gehen an {host}.",
        "en": "⚠️ Questions and passages are sent to {host}.",
    },
    # --- home ---
    "home.title": {"de": "Willkommen bei KI-Lotse", "en": "Welcome to KI-Lotse"},
    "home.intro": {
        "de": "KI-Lotse hilft kleinen und mittleren Unternehmen, KI-Dienste wie Chatbots, "
        "Schreibassistenten oder Dokumentenanalyse sicher einzuführen: in sieben "
        "Schritten, gestützt auf Ihre eigenen Dokumente, und ohne dass Daten diesen "
        "Rechner verlassen müssen.",
        "en": "KI-Lotse helps small and medium-sized companies introduce AI services such "
        "as chatbots, writing assistants or document analysis securely: in seven "
        "steps, based on your own documents, without data having to leave this "
        "machine.",
    },
    "home.offers.title": {"de": "Was KI-Lotse bietet", "en": "What KI-Lotse offers"},
    "home.offer.chat.title": {"de": "Fragen stellen", "en": "Ask questions"},
    "home.offer.chat.text": {
        "de": "Antworten nur aus Ihren Dokumenten, mit Quelle und Seite zu jeder Aussage.",
        "en": "Answers only from your documents, with source and page for every point.",
    },
    "home.offer.requirements.title": {
        "de": "Anforderungen erstellen",
        "en": "Draft requirements",
    },
    "home.offer.requirements.text": {
        "de": "Ein Dokument mit Sicherheitsanforderungen für Ihr Vorhaben, als Word, Excel "
        "oder Markdown.",
        "en": "A security requirements document for your project, as Word, Excel or Markdown.",
    },
    "home.offer.schedule.title": {"de": "Einführung planen", "en": "Plan the introduction"},
    "home.offer.schedule.text": {
        "de": "Ein Plan über 14 Arbeitstage mit den Feiertagen Ihrer Region, als "
        "Gantt-Diagramm und für Ihren Kalender.",
        "en": "A plan over 14 working days with your region's public holidays, as a Gantt "
        "chart and for your calendar.",
    },
    "home.offer.vendors.title": {"de": "Anbieter vergleichen", "en": "Compare vendors"},
    "home.offer.vendors.text": {
        "de": "KI-Dienste anhand ihrer eigenen Unterlagen vergleichen: Belege statt "
        "Werbeversprechen.",
        "en": "Compare AI services on their own documents: evidence instead of marketing.",
    },
    "home.open": {"de": "Öffnen", "en": "Open"},
    "home.status.empty": {
        "de": "Der Arbeitsbereich **{workspace}** ist noch leer. Laden Sie zuerst Dokumente "
        "hoch: KI-Lotse antwortet nur aus dem, was in der Wissensbasis steht.",
        "en": "The workspace **{workspace}** is still empty. Upload documents first: "
        "KI-Lotse answers only from what is in the knowledge base.",
    },
    "home.status.ready": {
        "de": "Der Arbeitsbereich **{workspace}** enthält {documents} Dokumente mit "
        "{chunks} Abschnitten.",
        "en": "The workspace **{workspace}** holds {documents} documents with {chunks} passages.",
    },
    "home.to_knowledge": {"de": "Zur Wissensbasis", "en": "Go to the knowledge base"},
    "home.steps.title": {"de": "Die sieben Schritte", "en": "The seven steps"},
    "home.step.1": {
        "de": "Welche Systeme, Daten und Schnittstellen gibt es, und wo käme der KI-Dienst dazu?",
        "en": "Which systems, data and interfaces exist, and where would the AI service connect?",
    },
    "home.step.2": {
        "de": "Welche Regeln gelten für Daten, Zugriffe und Protokollierung, gemessen am Risiko?",
        "en": "Which rules apply to data, access and logging, measured against the risk?",
    },
    "home.step.3": {
        "de": "Dienste nach Sicherheit und Datenschutz vergleichen, nicht nach der schönsten Demo.",
        "en": "Compare services on security and data protection, not on the nicest demo.",
    },
    "home.step.4": {
        "de": "Wer macht was bis wann: Zugänge, Verträge, Konfiguration, Pilot.",
        "en": "Who does what by when: access, contracts, configuration, pilot.",
    },
    "home.step.5": {
        "de": "Mitarbeitende kennen Nutzen, Grenzen und Risiken wie Prompt-Injection.",
        "en": "Staff know the benefits, limits and risks such as prompt injection.",
    },
    "home.step.6": {
        "de": "Vor dem Start prüfen: Rechte, Datenflüsse, Missbrauchsfälle, Protokolle.",
        "en": "Check before go-live: permissions, data flows, abuse cases, logs.",
    },
    "home.step.7": {
        "de": "In festen Abständen prüfen, ob Regeln, Anbieter und Nutzung noch passen.",
        "en": "Check at fixed intervals whether rules, vendor and use still fit.",
    },
    "home.first.title": {"de": "Womit beginnen?", "en": "Where to start?"},
    "home.first.body": {
        "de": "1. In der **Wissensbasis** Dokumente hochladen: eigene Richtlinien, Verträge "
        "und die Unterlagen der Anbieter (oder den mitgelieferten Leitfaden laden).\n"
        "2. Im **Chat** eine erste Frage stellen, z. B. «Dürfen wir Kundendaten in "
        "einen Cloud-Chatbot geben?»\n"
        "3. Unter **Anforderungen** Ihr Vorhaben beschreiben und das Dokument "
        "herunterladen.\n"
        "4. Unter **Zeitplan** Startdatum und Region wählen und den Plan in Ihren "
        "Kalender übernehmen.",
        "en": "1. Upload documents in the **knowledge base**: your own policies, contracts "
        "and the vendors' documents (or load the shipped guide).\n"
        '2. Ask a first question in the **chat**, e.g. "May we put customer data '
        'into a cloud chatbot?"\n'
        "3. Describe your project under **Requirements** and download the document.\n"
        "4. Pick a start date and region under **Schedule** and add the plan to "
        "your calendar.",
    },
    # --- knowledge ---
    "knowledge.title": {"de": "Wissensbasis", "en": "Knowledge base"},
    "knowledge.intro": {
        "de": "Hier legen Sie fest, worauf sich KI-Lotse stützt: Richtlinien, Verträge, "
        "Unterlagen der Anbieter und der mitgelieferte Leitfaden. Antworten und "
        "Anforderungen zitieren nur diese Dokumente.",
        "en": "This is what KI-Lotse relies on: policies, contracts, vendor documents and "
        "the shipped guide. Answers and requirements cite only these documents.",
    },
    "knowledge.tab.upload": {"de": "Hochladen", "en": "Upload"},
    "knowledge.tab.documents": {"de": "Dokumente", "en": "Documents"},
    "knowledge.tab.workspaces": {"de": "Arbeitsbereiche", "en": "Workspaces"},
    "knowledge.upload.files": {
        "de": "Dateien auswählen (mehrere möglich)",
        "en": "Choose files (several at once)",
    },
    "knowledge.upload.files_help": {
        "de": "PDF, Word (DOCX), Markdown, HTML, Text, JSON oder YAML, bis {mb} MB pro Datei. "
        "Eine Datei mit gleichem Namen ersetzt die frühere Fassung.",
        "en": "PDF, Word (DOCX), Markdown, HTML, text, JSON or YAML, up to {mb} MB per file. "
        "A file with the same name replaces the earlier version.",
    },
    "knowledge.upload.category": {"de": "Kategorie", "en": "Category"},
    "knowledge.upload.category_help": {
        "de": "Anbieterunterlagen nutzt der Anbietervergleich, interne Richtlinien die "
        "Prüfung der Anforderungen.",
        "en": "Vendor documents feed the vendor comparison, internal policies the "
        "requirements check.",
    },
    "knowledge.upload.vendor": {"de": "Anbieter (optional)", "en": "Vendor (optional)"},
    "knowledge.upload.vendor_help": {
        "de": "Name des KI-Dienstes, zu dem die Unterlagen gehören, z. B. «Alpina AI».",
        "en": 'Name of the AI service the documents belong to, e.g. "Alpina AI".',
    },
    "knowledge.upload.submit": {"de": "Hochladen und einlesen", "en": "Upload and ingest"},
    "knowledge.upload.none": {
        "de": "Bitte zuerst eine oder mehrere Dateien auswählen.",
        "en": "Please choose one or more files first.",
    },
    "knowledge.upload.starting": {
        "de": "{n} Datei(en) werden eingelesen …",
        "en": "Ingesting {n} file(s) …",
    },
    "knowledge.upload.progress": {
        "de": "{i} von {n}: {file} ({chunks} Abschnitte bisher)",
        "en": "{i} of {n}: {file} ({chunks} passages so far)",
    },
    "knowledge.result.title": {"de": "Ergebnis des Einlesens", "en": "Ingest result"},
    "knowledge.result.summary": {
        "de": "{ingested} eingelesen, {replaced} ersetzt, {unchanged} unverändert, "
        "{failed} fehlgeschlagen – {chunks} Abschnitte.",
        "en": "{ingested} ingested, {replaced} replaced, {unchanged} unchanged, "
        "{failed} failed – {chunks} passages.",
    },
    "knowledge.col.file": {"de": "Datei", "en": "File"},
    "knowledge.col.status": {"de": "Status", "en": "Status"},
    "knowledge.col.chunks": {"de": "Abschnitte", "en": "Passages"},
    "knowledge.col.reason": {"de": "Grund", "en": "Reason"},
    "knowledge.col.title": {"de": "Titel", "en": "Title"},
    "knowledge.col.category": {"de": "Kategorie", "en": "Category"},
    "knowledge.col.vendor": {"de": "Anbieter", "en": "Vendor"},
    "knowledge.col.language": {"de": "Sprache", "en": "Language"},
    "knowledge.col.pages": {"de": "Seiten", "en": "Pages"},
    "knowledge.col.ingested": {"de": "Eingelesen am", "en": "Ingested on"},
    "knowledge.empty": {
        "de": "Im Arbeitsbereich **{workspace}** sind noch keine Dokumente. Laden Sie hoch, "
        "was für Ihr Vorhaben gilt:\n\n"
        "- **Interne Richtlinien**, z. B. Informatik-, Datenschutz- oder "
        "KI-Nutzungsrichtlinie – damit KI-Lotse prüfen kann, was schon geregelt ist.\n"
        "- **Unterlagen der Anbieter**: Nutzungsbedingungen, Auftragsbearbeitungsvertrag, "
        "Sicherheitsbeschreibungen – für den Anbietervergleich.\n"
        "- **Konzepte und Verträge** zum geplanten Einsatz.\n\n"
        "KI-Lotse antwortet nur aus diesen Dokumenten und nennt zu jeder Aussage die "
        "Quelle.",
        "en": "The workspace **{workspace}** has no documents yet. Upload what applies to "
        "your project:\n\n"
        "- **Internal policies**, e.g. IT, data protection or AI usage policy – so "
        "KI-Lotse can check what is already covered.\n"
        "- **Vendor documents**: terms of use, data processing agreement, security "
        "descriptions – for the vendor comparison.\n"
        "- **Concepts and contracts** for the planned use.\n\n"
        "KI-Lotse answers only from these documents and names the source of every "
        "point.",
    },
    "knowledge.shipped.button": {
        "de": "Mitgelieferten Leitfaden und Beispiele laden",
        "en": "Load the shipped guide and examples",
    },
    "knowledge.shipped.help": {
        "de": "Lädt den KI-Lotse-Leitfaden zu den sieben Schritten (Deutsch und Englisch), "
        "eine Muster-Richtlinie und fiktive Datenblätter zweier Anbieter – gut zum "
        "Ausprobieren.",
        "en": "Loads the KI-Lotse guide to the seven steps (German and English), a sample "
        "policy and fictional fact sheets of two vendors – good for trying it out.",
    },
    "knowledge.filter.all": {"de": "Alle", "en": "All"},
    "knowledge.filter.category": {"de": "Kategorie", "en": "Category"},
    "knowledge.filter.language": {"de": "Sprache", "en": "Language"},
    "knowledge.filter.since": {"de": "Eingelesen ab", "en": "Ingested from"},
    "knowledge.filter.until": {"de": "Eingelesen bis", "en": "Ingested until"},
    "knowledge.filter.text": {
        "de": "Suche in Titel, Datei, Anbieter",
        "en": "Search title, file, vendor",
    },
    "knowledge.list.count": {
        "de": "{shown} von {total} Dokumenten",
        "en": "{shown} of {total} documents",
    },
    "knowledge.list.no_match": {
        "de": "Kein Dokument passt zu diesen Filtern.",
        "en": "No document matches these filters.",
    },
    "knowledge.details.title": {"de": "Details zu einem Dokument", "en": "Document details"},
    "knowledge.details.pick": {"de": "Dokument", "en": "Document"},
    "knowledge.details.pages": {"de": "Seiten", "en": "Pages"},
    "knowledge.details.chunks": {"de": "Abschnitte", "en": "Passages"},
    "knowledge.details.meta": {
        "de": "Datei: {source} · {category} · {language} · Anbieter: {vendor} · eingelesen am "
        "{ingested}",
        "en": "File: {source} · {category} · {language} · vendor: {vendor} · ingested on "
        "{ingested}",
    },
    "knowledge.details.pages_with_text": {
        "de": "Seiten mit Text: {pages}",
        "en": "Pages with text: {pages}",
    },
    "knowledge.details.sections": {
        "de": "Gliederung ({n}): {sections}",
        "en": "Outline ({n}): {sections}",
    },
    "knowledge.details.first_lines": {"de": "Anfang des Dokuments", "en": "Start of the document"},
    "knowledge.details.flags": {
        "de": "Auffälligkeiten beim Einlesen: {flags}. Solche Inhalte behandelt KI-Lotse als "
        "Daten, nie als Anweisung.",
        "en": "Found while ingesting: {flags}. KI-Lotse treats such content as data, never "
        "as an instruction.",
    },
    "knowledge.details.all_chunks": {
        "de": "Alle Abschnitte anzeigen ({n})",
        "en": "Show all passages ({n})",
    },
    "knowledge.details.chunk_caption": {
        "de": "Abschnitt {n} · Seite {page} · {section}",
        "en": "Passage {n} · page {page} · {section}",
    },
    "knowledge.details.more_chunks": {"de": "… und {n} weitere.", "en": "… and {n} more."},
    "knowledge.delete.button": {"de": "Dokument löschen …", "en": "Delete document …"},
    "knowledge.delete.confirm": {
        "de": "«{title}» mit {chunks} Abschnitten endgültig aus **{workspace}** löschen? "
        "Antworten und Entwürfe stützen sich danach nicht mehr darauf.",
        "en": 'Delete "{title}" with {chunks} passages from **{workspace}** for good? '
        "Answers and drafts will no longer rely on it.",
    },
    "knowledge.delete.yes": {"de": "Ja, endgültig löschen", "en": "Yes, delete for good"},
    "knowledge.delete.done": {"de": "«{title}» wurde gelöscht.", "en": '"{title}" was deleted.'},
    "knowledge.ws.intro": {
        "de": "Für Beraterinnen und Berater: pro Kunde ein eigener Arbeitsbereich. Ein Export "
        "enthält Dokumente, Abschnitte und Vektoren und lässt sich auf einem anderen "
        "Rechner wieder importieren.",
        "en": "For consultants: one workspace per client. An export holds documents, "
        "passages and vectors and can be imported on another machine.",
    },
    "knowledge.ws.col.name": {"de": "Name", "en": "Name"},
    "knowledge.ws.col.documents": {"de": "Dokumente", "en": "Documents"},
    "knowledge.ws.col.chunks": {"de": "Abschnitte", "en": "Passages"},
    "knowledge.ws.col.last": {"de": "Zuletzt eingelesen", "en": "Last ingest"},
    "knowledge.ws.create.title": {
        "de": "Neuen Arbeitsbereich anlegen",
        "en": "Create a workspace",
    },
    "knowledge.ws.create.name": {"de": "Name", "en": "Name"},
    "knowledge.ws.create.help": {
        "de": "Kleinbuchstaben, Ziffern und Bindestriche, z. B. «mueller-treuhand».",
        "en": 'Lower-case letters, digits and hyphens, e.g. "mueller-treuhand".',
    },
    "knowledge.ws.create.submit": {"de": "Anlegen", "en": "Create"},
    "knowledge.ws.create.done": {
        "de": "Arbeitsbereich «{name}» angelegt und ausgewählt.",
        "en": 'Workspace "{name}" created and selected.',
    },
    "knowledge.ws.export.title": {"de": "Exportieren", "en": "Export"},
    "knowledge.ws.export.button": {
        "de": "«{name}» als ZIP herunterladen",
        "en": 'Download "{name}" as ZIP',
    },
    "knowledge.ws.export.help": {
        "de": "Das Archiv enthält die Texte Ihrer Dokumente: so vertraulich behandeln wie "
        "die Dokumente selbst.",
        "en": "The archive contains the text of your documents: treat it as confidentially "
        "as the documents themselves.",
    },
    "knowledge.ws.import.title": {"de": "Importieren", "en": "Import"},
    "knowledge.ws.import.file": {"de": "KI-Lotse-Archiv (.zip)", "en": "KI-Lotse archive (.zip)"},
    "knowledge.ws.import.name": {"de": "Neuer Name (optional)", "en": "New name (optional)"},
    "knowledge.ws.import.replace": {
        "de": "Bestehenden Arbeitsbereich gleichen Namens ersetzen",
        "en": "Replace an existing workspace of the same name",
    },
    "knowledge.ws.import.submit": {"de": "Importieren", "en": "Import"},
    "knowledge.ws.import.none": {
        "de": "Bitte zuerst ein Archiv auswählen.",
        "en": "Please choose an archive first.",
    },
    "knowledge.ws.import.done": {
        "de": "Importiert als Arbeitsbereich «{name}» und ausgewählt.",
        "en": 'Imported as workspace "{name}" and selected.',
    },
    # --- glossary ---
    "glossary.title": {"de": "Glossar", "en": "Glossary"},
    "glossary.intro": {
        "de": "Die wichtigsten Begriffe zur sicheren Einführung von KI-Diensten, auf Deutsch "
        "und Englisch. Die Suche findet auch Synonyme und Abkürzungen (z. B. «DSFA»).",
        "en": "The key terms for introducing AI services securely, in German and English. "
        'The search also finds synonyms and abbreviations (e.g. "DPIA").',
    },
    "glossary.search": {"de": "Begriff suchen", "en": "Search a term"},
    "glossary.search_placeholder": {
        "de": "z. B. Prompt-Injection, AVV, DSFA",
        "en": "e.g. prompt injection, DPA, DPIA",
    },
    "glossary.count": {"de": "{n} von {total} Begriffen", "en": "{n} of {total} terms"},
    "glossary.no_match": {
        "de": "Kein Begriff gefunden. Versuchen Sie ein kürzeres Wort oder die englische "
        "Bezeichnung.",
        "en": "No term found. Try a shorter word or the German term.",
    },
    "glossary.other_lang": {"de": "Englisch: {term}", "en": "German: {term}"},
    "glossary.synonyms": {"de": "Auch: {terms}", "en": "Also: {terms}"},
    # --- settings ---
    "settings.title": {"de": "Einstellungen", "en": "Settings"},
    "settings.intro": {
        "de": "Änderungen hier gelten nur für diese Sitzung im Browser. Dauerhaft stellen Sie "
        "KI-Lotse über Umgebungsvariablen oder die Datei .env ein (siehe unten).",
        "en": "Changes here apply to this browser session only. To make them permanent, use "
        "environment variables or the .env file (see below).",
    },
    "settings.provider.title": {"de": "Sprachmodell", "en": "Language model"},
    "settings.provider.label": {
        "de": "Wer formuliert die Antworten?",
        "en": "Who writes the answers?",
    },
    "settings.provider.none": {
        "de": "Offline, ohne Sprachmodell (empfohlen)",
        "en": "Offline, no language model (recommended)",
    },
    "settings.provider.ollama": {"de": "Ollama (lokaler Server)", "en": "Ollama (local server)"},
    "settings.provider.openai": {
        "de": "OpenAI-kompatibler Dienst (Azure OpenAI, vLLM, LM Studio, llama.cpp-Server)",
        "en": "OpenAI-compatible service (Azure OpenAI, vLLM, LM Studio, llama.cpp server)",
    },
    "settings.provider.llamacpp": {
        "de": "Lokale GGUF-Datei (llama.cpp im Programm)",
        "en": "Local GGUF file (llama.cpp in process)",
    },
    "settings.provider.help": {
        "de": "Offline stellt KI-Lotse die Antwort aus den gefundenen Textstellen zusammen: "
        "nachvollziehbar, schnell und ohne Sprachmodell. Ein Sprachmodell formuliert "
        "flüssiger; die Quellen werden weiterhin geprüft.",
        "en": "Offline, KI-Lotse builds the answer from the passages it found: traceable, "
        "fast and without a language model. A language model writes more fluently; "
        "sources are still checked.",
    },
    "settings.base_url": {"de": "Adresse (Base URL)", "en": "Address (base URL)"},
    "settings.base_url_help": {
        "de": "z. B. http://localhost:11434 für Ollama oder https://…/v1 für OpenAI-kompatible "
        "Dienste.",
        "en": "e.g. http://localhost:11434 for Ollama or https://…/v1 for OpenAI-compatible "
        "services.",
    },
    "settings.model": {"de": "Modell", "en": "Model"},
    "settings.model_help": {
        "de": "Name des Modells, z. B. llama3.1:8b oder gpt-4o-mini; bei der lokalen "
        "GGUF-Datei der Pfad zur Datei.",
        "en": "Name of the model, e.g. llama3.1:8b or gpt-4o-mini; for the local GGUF file "
        "the path to the file.",
    },
    "settings.api_key": {"de": "API-Schlüssel", "en": "API key"},
    "settings.api_key_help": {
        "de": "Wird nur für diese Sitzung gehalten und nie wieder angezeigt.",
        "en": "Kept for this session only and never shown again.",
    },
    "settings.api_key_set": {
        "de": "Ein Schlüssel ist gesetzt (leer lassen, um ihn zu behalten).",
        "en": "A key is set (leave empty to keep it).",
    },
    "settings.api_key_clear": {"de": "Gesetzten Schlüssel entfernen", "en": "Remove the key"},
    "settings.timeout": {"de": "Zeitlimit (Sekunden)", "en": "Timeout (seconds)"},
    "settings.redact": {
        "de": "Personendaten vor dem Senden an externe Dienste schwärzen (E-Mail, Telefon, "
        "IBAN, AHV-Nummer)",
        "en": "Redact personal data before sending to external services (e-mail, phone, "
        "IBAN, AHV number)",
    },
    "settings.retrieval.title": {"de": "Suche in der Wissensbasis", "en": "Knowledge base search"},
    "settings.retrieval.k": {
        "de": "Textstellen pro Frage (k)",
        "en": "Passages per question (k)",
    },
    "settings.retrieval.k_help": {
        "de": "Mehr Textstellen finden mehr Belege, machen Antworten aber länger und langsamer.",
        "en": "More passages find more evidence but make answers longer and slower.",
    },
    "settings.apply": {"de": "Übernehmen", "en": "Apply"},
    "settings.applied": {
        "de": "Übernommen – gilt für diese Sitzung.",
        "en": "Applied – for this session.",
    },
    "settings.test.button": {"de": "Verbindung testen", "en": "Test the connection"},
    "settings.test.offline": {
        "de": "Offline-Betrieb: kein Sprachmodell nötig, es gibt nichts zu testen.",
        "en": "Offline mode: no language model needed, nothing to test.",
    },
    "settings.test.reachable": {
        "de": "Verbindung steht ({seconds} s). Verfügbare Modelle: {models}",
        "en": "Connected ({seconds} s). Available models: {models}",
    },
    "settings.test.model_missing": {
        "de": "Der Server antwortet, aber das Modell «{detail}» gibt es dort nicht. "
        "Verfügbar: {models}",
        "en": 'The server answers, but it has no model "{detail}". Available: {models}',
    },
    "settings.test.bad_url": {
        "de": "Keine http(s)-Adresse: «{detail}»",
        "en": 'Not an http(s) address: "{detail}"',
    },
    "settings.test.unreachable": {
        "de": "Keine Verbindung: {detail}",
        "en": "No connection: {detail}",
    },
    "settings.test.http_error": {
        "de": "Der Server meldet einen Fehler: {detail}",
        "en": "The server reports an error: {detail}",
    },
    "settings.test.auth": {
        "de": "Der Server lehnt den API-Schlüssel ab ({detail}).",
        "en": "The server rejects the API key ({detail}).",
    },
    "settings.test.no_model": {
        "de": "Modelldatei oder Laufzeit fehlt: {detail}",
        "en": "Model file or runtime missing: {detail}",
    },
    "settings.flow.title": {"de": "Wohin gehen Ihre Daten?", "en": "Where does your data go?"},
    "settings.flow.offline": {
        "de": "**Nichts verlässt diesen Rechner.** Fragen, Dokumente und Antworten bleiben "
        "lokal; es besteht keine Verbindung zu einem Sprachmodell.",
        "en": "**Nothing leaves this machine.** Questions, documents and answers stay local; "
        "there is no connection to a language model.",
    },
    "settings.flow.local": {
        "de": "**Nichts verlässt diesen Rechner.** Fragen und gefundene Textstellen gehen an "
        "das Sprachmodell auf diesem Rechner ({where}).",
        "en": "**Nothing leaves this machine.** Questions and retrieved passages go to the "
        "language model on this machine ({where}).",
    },
    "settings.flow.external": {
        "de": "**Daten verlassen diesen Rechner.** Ihre Fragen und die gefundenen Textstellen "
        "aus Ihren Dokumenten gehen an **{host}**. Prüfen Sie, ob ein "
        "Auftragsbearbeitungsvertrag besteht und wo der Anbieter die Daten bearbeitet.",
        "en": "**Data leaves this machine.** Your questions and the passages found in your "
        "documents are sent to **{host}**. Check that a data processing agreement "
        "exists and where the vendor processes the data.",
    },
    "settings.flow.redacted": {
        "de": "Personendaten (E-Mail, Telefon, IBAN, AHV-Nummer) werden vorher geschwärzt.",
        "en": "Personal data (e-mail, phone, IBAN, AHV number) is redacted first.",
    },
    "settings.flow.not_redacted": {
        "de": "Personendaten werden **nicht** geschwärzt.",
        "en": "Personal data is **not** redacted.",
    },
    "settings.language.title": {"de": "Sprache der Oberfläche", "en": "Interface language"},
    "settings.env.title": {"de": "Dauerhaft einstellen", "en": "Make it permanent"},
    "settings.env.intro": {
        "de": "Diese Zeilen in die Datei .env im Programmordner schreiben; den API-Schlüssel "
        "als LOTSE_LLM_API_KEY=… selbst ergänzen:",
        "en": "Put these lines into the .env file in the program folder; add the API key "
        "yourself as LOTSE_LLM_API_KEY=…:",
    },
    "settings.system.title": {"de": "System", "en": "System"},
    "settings.system.data_dir": {"de": "Datenordner", "en": "Data folder"},
    "settings.system.store": {"de": "Vektordatenbank", "en": "Vector store"},
    "settings.system.store_embedded": {
        "de": "eingebettet (im Datenordner)",
        "en": "embedded (in the data folder)",
    },
    "settings.system.embedding": {"de": "Embedding-Modell", "en": "Embedding model"},
    # --- schedule ---
    "schedule.title": {"de": "Zeitplan", "en": "Schedule"},
    "schedule.intro": {
        "de": "Die Einführung in sieben Schritten auf echten Arbeitstagen: Wochenenden und "
        "Feiertage Ihrer Region werden übersprungen, die Verfügbarkeit Ihres Teams "
        "wird eingehalten. Passt der Plan nicht in die Ziellänge, sagt KI-Lotse das "
        "offen.",
        "en": "The introduction in seven steps on real working days: weekends and your "
        "region's public holidays are skipped, your team's availability is respected. "
        "If the plan does not fit the target length, KI-Lotse says so plainly.",
    },
    "schedule.scenario": {"de": "Szenario", "en": "Scenario"},
    "schedule.scenario_help": {
        "de": "Ein mitgeliefertes Beispiel oder Ihre eigene Szenario-Datei (YAML).",
        "en": "A shipped example or your own scenario file (YAML).",
    },
    "schedule.scenario_upload_option": {
        "de": "Eigenes Szenario hochladen …",
        "en": "Upload my own scenario …",
    },
    "schedule.scenario_upload": {"de": "Szenario-Datei (YAML)", "en": "Scenario file (YAML)"},
    "schedule.upload_first": {
        "de": "Bitte eine Szenario-Datei (YAML) hochladen; Beispiele liegen im Ordner "
        "data/scenarios.",
        "en": "Please upload a scenario file (YAML); examples are in data/scenarios.",
    },
    "schedule.start": {"de": "Startdatum", "en": "Start date"},
    "schedule.region": {"de": "Region (Feiertage)", "en": "Region (public holidays)"},
    "schedule.region_help": {
        "de": "Land und Kanton bzw. Bundesland, z. B. CH-ZH, CH-BE, DE-BY.",
        "en": "Country and canton or state, e.g. CH-ZH, CH-BE, DE-BY.",
    },
    "schedule.days": {"de": "Ziellänge (Arbeitstage)", "en": "Target length (working days)"},
    "schedule.capacity": {"de": "Verfügbarkeit des Teams", "en": "Team availability"},
    "schedule.capacity_help": {
        "de": "Personentage pro Arbeitstag je Rolle: 1 = eine Person ganz, 0.5 = eine Person "
        "zur Hälfte, 2 = zwei Personen.",
        "en": "Person-days per working day per role: 1 = one person full time, 0.5 = one "
        "person half time, 2 = two people.",
    },
    "schedule.company": {
        "de": "**{company}** · {employees} Mitarbeitende · Risiko {risk}",
        "en": "**{company}** · {employees} employees · risk {risk}",
    },
    "schedule.risk.low": {"de": "tief", "en": "low"},
    "schedule.risk.medium": {"de": "mittel", "en": "medium"},
    "schedule.risk.high": {"de": "hoch", "en": "high"},
    "schedule.chart": {"de": "Gantt-Diagramm", "en": "Gantt chart"},
    "schedule.chart_caption": {
        "de": "Farben = Schritte (Klick auf die Legende hebt einen Schritt hervor), ◆ = "
        "Meilensteine, grau = Wochenende oder Feiertag. Mausrad zoomt, Ziehen verschiebt.",
        "en": "Colours = steps (click the legend to highlight a step), ◆ = milestones, grey = "
        "weekend or holiday. Scroll to zoom, drag to pan.",
    },
    "schedule.tasks": {"de": "Aufgaben", "en": "Tasks"},
    "schedule.holidays": {
        "de": "Feiertage im Zeitraum: {days}",
        "en": "Public holidays in range: {days}",
    },
    "schedule.no_holidays": {
        "de": "Keine Feiertage im Zeitraum.",
        "en": "No public holidays in range.",
    },
    "schedule.reviews": {
        "de": "Regelmässige Überprüfungen (Schritt 7): {dates}",
        "en": "Regular reviews (step 7): {dates}",
    },
    "schedule.downloads": {"de": "Herunterladen", "en": "Download"},
    "schedule.download.ics": {"de": "Kalender (ICS)", "en": "Calendar (ICS)"},
    "schedule.download.xlsx": {"de": "Excel (XLSX)", "en": "Excel (XLSX)"},
    "schedule.download.md": {"de": "Markdown", "en": "Markdown"},
    "schedule.download.json": {"de": "JSON", "en": "JSON"},
    "schedule.download.png": {"de": "Bild (PNG)", "en": "Image (PNG)"},
    "schedule.col.id": {"de": "ID", "en": "ID"},
    "schedule.col.step": {"de": "Schritt", "en": "Step"},
    "schedule.col.task": {"de": "Aufgabe", "en": "Task"},
    "schedule.col.role": {"de": "Rolle", "en": "Role"},
    "schedule.col.start": {"de": "Start", "en": "Start"},
    "schedule.col.end": {"de": "Ende", "en": "End"},
    "schedule.col.effort": {"de": "Aufwand (PT)", "en": "Effort (person-days)"},
    "schedule.col.depends": {"de": "Abhängig von", "en": "Depends on"},
    "schedule.col.requirements": {"de": "Anforderungen", "en": "Requirements"},
    "schedule.col.deliverable": {"de": "Ergebnis", "en": "Deliverable"},
    # --- chat ---
    "chat.title": {"de": "Fragen an die Wissensbasis", "en": "Ask the knowledge base"},
    "chat.intro": {
        "de": "Antworten stammen nur aus den Dokumenten dieses Arbeitsbereichs und nennen "
        "ihre Quellen mit Nummer, Dokument und Seite. Findet KI-Lotse keine ausreichende "
        "Grundlage, sagt es das offen.",
        "en": "Answers come only from this workspace's documents and name their sources by "
        "number, document and page. When KI-Lotse finds no sufficient basis, it says so.",
    },
    "chat.input": {
        "de": "Ihre Frage, z. B. «Dürfen wir Kundendaten in einen Cloud-Chatbot geben?»",
        "en": "Your question, e.g. “May we put customer data into a cloud chatbot?”",
    },
    "chat.empty_workspace": {
        "de": "Dieser Arbeitsbereich enthält noch keine Dokumente. Laden Sie zuerst Unterlagen "
        "unter «Wissensbasis» hoch.",
        "en": "This workspace holds no documents yet. Upload documents under "
        "“Knowledge base” first.",
    },
    "chat.grounded": {
        "de": "✅ Belegt durch die Wissensbasis",
        "en": "✅ Grounded in the knowledge base",
    },
    "chat.ungrounded": {
        "de": "⚠️ Keine ausreichende Grundlage in der Wissensbasis",
        "en": "⚠️ No sufficient basis in the knowledge base",
    },
    "chat.flow.offline": {
        "de": "🔒 Offline beantwortet: nichts hat diesen Rechner verlassen.",
        "en": "🔒 Answered offline: nothing left this machine.",
    },
    "chat.flow.local": {
        "de": "🔒 Sprachmodell «{provider}» auf diesem Rechner: nichts hat ihn verlassen.",
        "en": "🔒 Language model “{provider}” on this machine: nothing left it.",
    },
    "chat.flow.external": {
        "de": "⚠️ Frage und Textstellen gingen an «{provider}» (externer Dienst).",
        "en": "⚠️ Question and passages went to “{provider}” (external service).",
    },
    "chat.flow.redacted": {
        "de": "Personendaten wurden vor dem Senden geschwärzt.",
        "en": "Personal data was redacted before sending.",
    },
    "chat.sources": {"de": "Quellen", "en": "Sources"},
    "chat.related": {
        "de": "Möglicherweise verwandt (nicht als Antwort geprüft)",
        "en": "Possibly related (not verified as an answer)",
    },
    "chat.source.page": {"de": "Seite {page}", "en": "page {page}"},
    "chat.source.section": {"de": "Abschnitt: {section}", "en": "Section: {section}"},
    "chat.source.used": {"de": "Verwendete Stelle", "en": "Passage used"},
    "chat.source.context": {"de": "Ganzer Abschnitt", "en": "Whole passage"},
    "chat.flag.instruction": {
        "de": "Enthält Text, der sich wie eine Anweisung an eine KI liest. Er wurde als "
        "Inhalt behandelt und nicht befolgt.",
        "en": "Contains text that reads like an instruction to an AI. It was treated as "
        "content and not followed.",
    },
    "chat.flag.other": {"de": "Hinweis zum Dokument: {flag}", "en": "Note on the document: {flag}"},
    "chat.download": {
        "de": "Gespräch als Markdown herunterladen",
        "en": "Download the conversation as Markdown",
    },
    "chat.clear": {"de": "Neues Gespräch", "en": "New conversation"},
    # --- requirements ---
    "requirements.intro": {
        "de": "Beschreiben Sie die geplante KI-Integration: KI-Lotse wählt die passenden "
        "Anforderungen aus dem Katalog, gewichtet sie nach dem Risiko und prüft Ihre "
        "Richtlinien und Anbieterunterlagen im Arbeitsbereich: abgedeckt, teilweise, offen "
        "oder widersprüchlich, jeweils mit Fundstelle. Das Ergebnis laden Sie als Word, "
        "Excel, Markdown oder JSON herunter.",
        "en": "Describe the planned AI integration: KI-Lotse selects the fitting "
        "requirements from the catalog, weights them by risk and checks your policies and "
        "vendor documents in the workspace: covered, partly, open or conflicting, each "
        "with its source. Download the result as Word, Excel, Markdown or JSON.",
    },
    "requirements.base": {"de": "Ausgangsszenario", "en": "Starting scenario"},
    "requirements.base_help": {
        "de": "Ein mitgeliefertes Beispiel oder Ihre eigene Szenario-Datei (YAML); die Felder "
        "darunter übernehmen seine Werte und lassen sich anpassen.",
        "en": "A shipped example or your own scenario file (YAML); the fields below take "
        "its values and can be changed.",
    },
    "requirements.upload_option": {
        "de": "Eigenes Szenario hochladen …",
        "en": "Upload my own scenario …",
    },
    "requirements.upload": {"de": "Szenario-Datei (YAML)", "en": "Scenario file (YAML)"},
    "requirements.upload_first": {
        "de": "Bitte eine Szenario-Datei (YAML) hochladen; Beispiele liegen im Ordner "
        "data/scenarios.",
        "en": "Please upload a scenario file (YAML); examples are in data/scenarios.",
    },
    "requirements.form": {"de": "Szenario", "en": "Scenario"},
    "requirements.form.company": {"de": "Firma", "en": "Company"},
    "requirements.form.employees": {"de": "Mitarbeitende", "en": "Employees"},
    "requirements.form.industry": {"de": "Branche", "en": "Industry"},
    "requirements.form.country": {"de": "Land (ISO, z. B. CH)", "en": "Country (ISO, e.g. CH)"},
    "requirements.form.canton": {
        "de": "Kanton/Bundesland (z. B. ZH)",
        "en": "Canton/state (e.g. ZH)",
    },
    "requirements.form.purpose": {
        "de": "Wofür soll der KI-Dienst eingesetzt werden?",
        "en": "What will the AI service be used for?",
    },
    "requirements.form.type": {"de": "Art des Dienstes", "en": "Type of service"},
    "requirements.form.vendor": {
        "de": "Anbieter (leer: noch offen)",
        "en": "Vendor (empty: not chosen yet)",
    },
    "requirements.form.deployment": {"de": "Betrieb", "en": "Operation"},
    "requirements.form.fine_tuning": {
        "de": "Modell wird mit eigenen Daten nachtrainiert (Fine-Tuning)",
        "en": "The model is fine-tuned with own data",
    },
    "requirements.form.rag": {
        "de": "Antworten aus internen Dokumenten (RAG)",
        "en": "Answers from internal documents (RAG)",
    },
    "requirements.form.data": {"de": "Bearbeitete Daten", "en": "Data processed"},
    "requirements.form.integrations": {"de": "Anbindungen", "en": "Integrations"},
    "requirements.form.users": {"de": "Nutzende", "en": "Users"},
    "requirements.form.languages": {"de": "Sprachen", "en": "Languages"},
    "requirements.form.notes": {"de": "Notizen", "en": "Notes"},
    "requirements.invalid": {
        "de": "Das Szenario ist noch nicht vollständig: {problem}",
        "en": "The scenario is not complete yet: {problem}",
    },
    "requirements.yaml_download": {
        "de": "Szenario als YAML herunterladen",
        "en": "Download the scenario as YAML",
    },
    "requirements.no_documents": {
        "de": "Im Arbeitsbereich «{name}» liegen keine Richtlinien oder Anbieterunterlagen: "
        "alle Anforderungen bleiben offen. Laden Sie sie unter Wissensbasis hoch (Kategorie "
        "«Interne Richtlinie» oder «Anbieterunterlagen»).",
        "en": "The workspace «{name}» holds no policies or vendor documents: every "
        "requirement stays open. Upload them under Knowledge base (category «Internal "
        "policy» or «Vendor documents»).",
    },
    "requirements.searched": {
        "de": "Durchsucht: {documents}",
        "en": "Searched: {documents}",
    },
    "requirements.progress": {
        "de": "Belege werden in den Dokumenten gesucht …",
        "en": "Looking for evidence in the documents …",
    },
    "requirements.progress.read": {"de": "Dokumente lesen", "en": "Reading the documents"},
    "requirements.progress.embed": {
        "de": "Sätze mit den Anforderungen vergleichen",
        "en": "Comparing sentences with the requirements",
    },
    "requirements.progress.score": {"de": "Status festlegen", "en": "Deciding the statuses"},
    "requirements.progress.search": {
        "de": "Suche zu {id}",
        "en": "Searching for {id}",
    },
    "requirements.preview": {"de": "Vorschau", "en": "Preview"},
    "requirements.summary": {"de": "Management-Zusammenfassung", "en": "Management summary"},
    "requirements.key_points": {
        "de": "Die fünf wichtigsten offenen Punkte",
        "en": "The five most important open points",
    },
    "requirements.scenario_text": {
        "de": "Szenario, wie verstanden",
        "en": "The scenario as understood",
    },
    "requirements.filter": {"de": "Status anzeigen", "en": "Show status"},
    "requirements.step": {"de": "Schritt {step}: {name}", "en": "Step {step}: {name}"},
    "requirements.none_shown": {
        "de": "Keine Anforderung mit diesem Status.",
        "en": "No requirement with this status.",
    },
    "requirements.priority": {"de": "Priorität", "en": "Priority"},
    "requirements.status": {"de": "Status", "en": "Status"},
    "requirements.rationale": {"de": "Begründung", "en": "Rationale"},
    "requirements.verification": {"de": "Prüfung", "en": "Verification"},
    "requirements.evidence": {"de": "Belege", "en": "Evidence"},
    "requirements.no_evidence": {
        "de": "Keine Fundstelle in den Dokumenten des Arbeitsbereichs.",
        "en": "No passage in the workspace's documents.",
    },
    "requirements.contradicts": {"de": "widerspricht", "en": "contradicts"},
    "requirements.supports": {"de": "stützt", "en": "supports"},
    "requirements.questions": {"de": "Fragen an den Anbieter", "en": "Questions for the vendor"},
    "requirements.no_questions": {
        "de": "Keine offenen Fragen an einen Anbieter.",
        "en": "No open questions for a vendor.",
    },
    "requirements.sources": {"de": "Quellen", "en": "Sources"},
    "requirements.citations": {"de": "{n} Zitate", "en": "{n} citations"},
    "requirements.downloads": {"de": "Herunterladen", "en": "Download"},
    "requirements.download.docx": {"de": "Word (DOCX)", "en": "Word (DOCX)"},
    "requirements.download.xlsx": {"de": "Excel (XLSX)", "en": "Excel (XLSX)"},
    "requirements.download.md": {"de": "Markdown", "en": "Markdown"},
    "requirements.download.json": {"de": "JSON", "en": "JSON"},
    "requirements.file_stem": {"de": "anforderungen", "en": "requirements"},
    # --- vendors ---
    "vendors.title": {"de": "Anbieter vergleichen", "en": "Compare vendors"},
    "vendors.intro": {
        "de": "Vergleichen Sie zwei bis fünf KI-Dienste anhand ihrer eigenen Unterlagen "
        "(Nutzungsbedingungen, AVV, Trust-Center, Sicherheits-Whitepaper). Für jedes "
        "Kriterium sehen Sie den Status und die Fundstelle. «Nicht gefunden» heisst: "
        "Die Unterlagen sagen nichts dazu – fragen Sie beim Anbieter nach; es zählt "
        "nicht als 0 Punkte.",
        "en": "Compare two to five AI services on their own documents (terms, DPA, trust "
        "centre, security whitepapers). For each criterion you see the status and the "
        'passage it rests on. "Not found" means the documents say nothing about it – '
        "ask the vendor; it does not count as 0 points.",
    },
    "vendors.need_tags": {
        "de": "Im Arbeitsbereich tragen erst {count} Anbieter einen Anbieter-Tag. Laden Sie "
        "unter **Wissensbasis** die Unterlagen jedes Anbieters mit der Kategorie "
        "«Anbieterunterlagen» und dem Namen des Anbieters hoch (mindestens zwei "
        "Anbieter).",
        "en": "Only {count} vendors in this workspace carry a vendor tag. Upload each "
        "vendor's documents under **Knowledge base** with the category \"Vendor "
        "documents\" and the vendor's name (at least two vendors).",
    },
    "vendors.pick": {"de": "Anbieter", "en": "Vendors"},
    "vendors.pick_help": {
        "de": "Anbieter aus den Anbieter-Tags des Arbeitsbereichs (zwei bis fünf).",
        "en": "Vendors from the workspace's vendor tags (two to five).",
    },
    "vendors.pick_more": {
        "de": "Wählen Sie {min} bis {max} Anbieter, jeden mit mindestens einem Dokument.",
        "en": "Choose {min} to {max} vendors, each with at least one document.",
    },
    "vendors.documents": {"de": "Dokumente je Anbieter", "en": "Documents per vendor"},
    "vendors.scenario": {"de": "Kriterien und Gewichte", "en": "Criteria and weights"},
    "vendors.scenario_help": {
        "de": "Mit einem Szenario gelten nur die Kriterien, die seine Anforderungen "
        "betreffen, gewichtet nach Priorität (Muss 3, Soll 2, Kann 1).",
        "en": "With a scenario, only the criteria its requirements call for are used, "
        "weighted by priority (must 3, should 2, may 1).",
    },
    "vendors.scenario_none": {"de": "Standard (ohne Szenario)", "en": "Default (no scenario)"},
    "vendors.weights": {"de": "Gewichte anpassen", "en": "Adjust weights"},
    "vendors.weights_help": {
        "de": "0 lässt ein Kriterium weg. Mit einem Szenario ersetzen dessen Prioritäten "
        "diese Gewichte.",
        "en": "0 leaves a criterion out. With a scenario, its priorities replace these weights.",
    },
    "vendors.run": {"de": "Vergleichen", "en": "Compare"},
    "vendors.running": {
        "de": "Die Unterlagen werden durchsucht und Satz für Satz bewertet …",
        "en": "Searching the documents and reading them sentence by sentence …",
    },
    "vendors.stale": {
        "de": "Die Auswahl hat sich geändert. Klicken Sie auf «Vergleichen», um das Ergebnis "
        "neu zu berechnen.",
        "en": 'The selection has changed. Click "Compare" to update the result.',
    },
    "vendors.matrix": {"de": "Vergleichsmatrix", "en": "Comparison matrix"},
    "vendors.matrix_help": {
        "de": "Klicken Sie auf eine Zelle, um die Fundstellen zu sehen. ✔ erfüllt · "
        "◐ teilweise · ✘ nicht erfüllt · ? nicht gefunden · ⚡ widersprüchlich",
        "en": "Click a cell to see its evidence. ✔ fulfilled · ◐ partly · ✘ not fulfilled · "
        "? not found · ⚡ contradictory",
    },
    "vendors.col.weight": {"de": "Gewicht", "en": "Weight"},
    "vendors.evidence": {"de": "Fundstellen", "en": "Evidence"},
    "vendors.cell_criterion": {"de": "Kriterium", "en": "Criterion"},
    "vendors.cell_vendor": {"de": "Anbieter", "en": "Vendor"},
    "vendors.cell_status": {
        "de": "**{vendor}** · {criterion}: **{status}**",
        "en": "**{vendor}** · {criterion}: **{status}**",
    },
    "vendors.no_evidence": {
        "de": "Dazu steht nichts in den Unterlagen. Frage an den Anbieter: {question}",
        "en": "The documents say nothing about this. Question for the vendor: {question}",
    },
    "vendors.related": {
        "de": "Verwandte Stellen ohne klare Aussage",
        "en": "Related passages without a clear statement",
    },
    "vendors.scores": {"de": "Punkte", "en": "Points"},
    "vendors.score_help": {
        "de": "0–100 über die belegten Kriterien, gewichtet: erfüllt = voll, teilweise = "
        "halb, nicht erfüllt = 0. Nicht gefundene Kriterien zählen nicht mit.",
        "en": "0–100 over the documented criteria, weighted: fulfilled = full, partly = "
        "half, not fulfilled = 0. Criteria not found do not count.",
    },
    "vendors.coverage": {
        "de": "{known} von {total} Kriterien belegt",
        "en": "{known} of {total} criteria documented",
    },
    "vendors.unknowns": {
        "de": "Offene Fragen an die Anbieter",
        "en": "Open questions for the vendors",
    },
    "vendors.unknowns_help": {
        "de": "Nicht gefunden oder widersprüchlich: Diese Punkte beim Anbieter schriftlich "
        "klären, bevor Sie entscheiden.",
        "en": "Not found or contradictory: clarify these with the vendor in writing before "
        "you decide.",
    },
    "vendors.no_unknowns": {
        "de": "Keine offenen Fragen: Alle Kriterien sind in den Unterlagen belegt.",
        "en": "No open questions: every criterion is documented.",
    },
    "vendors.recommendation": {"de": "Empfehlung", "en": "Recommendation"},
    "vendors.downloads": {"de": "Herunterladen", "en": "Download"},
    "vendors.download.xlsx": {"de": "Excel (XLSX)", "en": "Excel (XLSX)"},
    "vendors.download.md": {"de": "Markdown", "en": "Markdown"},
    "vendors.download.json": {"de": "JSON", "en": "JSON"},
    "vendors.download.docx": {"de": "Word (DOCX)", "en": "Word (DOCX)"},
    # --- audit ---
    "auth.title": {"de": "Anmelden", "en": "Sign in"},
    "auth.intro": {
        "de": "Dieser KI-Lotse ist für mehrere Benutzer eingerichtet. Bitte melden Sie sich an.",
        "en": "This KI-Lotse is set up for several users. Please sign in.",
    },
    "auth.user": {"de": "Benutzername", "en": "User name"},
    "auth.password": {"de": "Passwort", "en": "Password"},
    "auth.submit": {"de": "Anmelden", "en": "Sign in"},
    "auth.oidc": {"de": "Mit Firmenkonto anmelden", "en": "Sign in with company account"},
    "auth.oidc_unknown": {
        "de": "Das Konto {email} ist in KI-Lotse nicht freigeschaltet (lotse users add).",
        "en": "The account {email} is not enabled in KI-Lotse (lotse users add).",
    },
    "auth.signed_in": {"de": "Angemeldet: {name} ({role})", "en": "Signed in: {name} ({role})"},
    "auth.logout": {"de": "Abmelden", "en": "Sign out"},
    "auth.no_workspace": {
        "de": "Ihnen ist noch kein Arbeitsbereich freigegeben; bitte wenden Sie sich an die "
        "Administration (lotse users grant).",
        "en": "No workspace has been granted to you yet; please ask an administrator "
        "(lotse users grant).",
    },
    "auth.expired": {
        "de": "Sitzung abgelaufen; bitte erneut anmelden.",
        "en": "Session expired; please sign in again.",
    },
    "auth.single_user": {
        "de": "Einzelplatzmodus: keine Anmeldung eingerichtet (Benutzer anlegen mit "
        "`lotse users add`).",
        "en": "Single-user mode: no sign-in configured (add users with `lotse users add`).",
    },
    "audit.title": {"de": "Protokoll", "en": "Audit log"},
    "audit.intro": {
        "de": "Alle Anmeldungen, Einlese- und Löschvorgänge, Fragen, Entwürfe und Exporte, "
        "verkettet mit Prüfsummen: eine nachträgliche Änderung fällt bei der Prüfung auf.",
        "en": "Every sign-in, ingest, deletion, question, draft and export, chained by "
        "hashes: any later change shows up when the log is verified.",
    },
    "audit.admin_only": {
        "de": "Das Protokoll sehen nur Administratoren.",
        "en": "Only administrators can see the audit log.",
    },
    "audit.ok": {
        "de": "Kette intakt: {n} Einträge, nichts verändert.",
        "en": "Chain intact: {n} entries, nothing changed.",
    },
    "audit.broken": {
        "de": "Protokoll verändert! Erste fehlerhafte Zeile: {line} ({reason}).",
        "en": "Log tampered with! First bad line: {line} ({reason}).",
    },
    "audit.filter_ws": {"de": "Arbeitsbereich", "en": "Workspace"},
    "audit.all": {"de": "alle", "en": "all"},
    "audit.col.time": {"de": "Zeit", "en": "Time"},
    "audit.col.user": {"de": "Benutzer", "en": "User"},
    "audit.col.action": {"de": "Aktion", "en": "Action"},
    "audit.col.workspace": {"de": "Arbeitsbereich", "en": "Workspace"},
    "audit.col.details": {"de": "Details", "en": "Details"},
    "audit.download": {"de": "Protokoll herunterladen (JSONL)", "en": "Download log (JSONL)"},
    "audit.empty": {"de": "Noch keine Einträge.", "en": "No entries yet."},
    # --- training ---
    "nav.training": {"de": "Schulung", "en": "Training"},
    "training.title": {"de": "Schulung", "en": "Training"},
    "training.intro": {
        "de": "Schritt 5 konkret: Schulungsplan auf den Arbeitstagen von Schritt 5, Merkblätter "
        "mit Quellen, ein geprüftes Quiz und der Nachweis, wer wann geschult wurde. Mit "
        "einer eigenen Richtlinie im Arbeitsbereich (Kategorie «Interne Richtlinie») "
        "zitieren die Merkblätter auch Ihre eigenen Regeln.",
        "en": "Step 5 made concrete: a training plan on the working days of step 5, handouts "
        "with sources, a checked quiz and a record of who was trained when. With a "
        "company policy in the workspace (category “Internal policy”) the handouts also "
        "quote your own rules.",
    },
    "training.scenario": {"de": "Szenario", "en": "Scenario"},
    "training.no_scenario": {
        "de": "Keine Beispielszenarien gefunden.",
        "en": "No example scenarios found.",
    },
    "training.audience": {"de": "Zielgruppe", "en": "Audience"},
    "training.audience_all": {"de": "Alle Zielgruppen", "en": "All audiences"},
    "training.start": {"de": "Start des Integrationsplans", "en": "Start of the integration plan"},
    "training.use_policy": {
        "de": "Eigene Richtlinie aus dem Arbeitsbereich zitieren",
        "en": "Quote the company policy from the workspace",
    },
    "training.use_policy_help": {
        "de": "Sucht in den Dokumenten der Kategorie «Interne Richtlinie» passende Regeln und "
        "zitiert sie mit Fundstelle im Merkblatt.",
        "en": "Searches the documents of category “Internal policy” for matching rules and "
        "quotes them with their location in the handout.",
    },
    "training.no_policy": {
        "de": "Im Arbeitsbereich liegt keine eigene Richtlinie; die Merkblätter stützen sich "
        "auf Leitfaden und Anforderungskatalog.",
        "en": "The workspace holds no company policy; the handouts rely on the guide and the "
        "requirement catalog.",
    },
    "training.building": {
        "de": "Schulungspaket wird erstellt …",
        "en": "Building the training kit …",
    },
    "training.tab.plan": {"de": "Schulungsplan", "en": "Training plan"},
    "training.tab.handout": {"de": "Merkblatt", "en": "Handout"},
    "training.tab.quiz": {"de": "Quiz", "en": "Quiz"},
    "training.tab.record": {"de": "Nachweis", "en": "Record"},
    "training.tab.downloads": {"de": "Herunterladen", "en": "Download"},
    "training.plan_summary": {
        "de": "**{sessions} Sitzungen** an den Arbeitstagen von Schritt 5: {days}",
        "en": "**{sessions} sessions** on the working days of step 5: {days}",
    },
    "training.col.date": {"de": "Datum", "en": "Date"},
    "training.col.time": {"de": "Zeit", "en": "Time"},
    "training.col.session": {"de": "Sitzung", "en": "Session"},
    "training.col.audience": {"de": "Zielgruppe", "en": "Audience"},
    "training.col.lead": {"de": "Leitung", "en": "Lead"},
    "training.col.duration": {"de": "Minuten", "en": "Minutes"},
    "training.col.requirements": {"de": "Anforderungen", "en": "Requirements"},
    "training.chart": {
        "de": "Zeitplan mit den Schulungen",
        "en": "Schedule with the training sessions",
    },
    "training.goals": {"de": "Ziele", "en": "Goals"},
    "training.agenda": {"de": "Ablauf", "en": "Agenda"},
    "training.handout_for": {"de": "Merkblatt für", "en": "Handout for"},
    "training.quiz_for": {"de": "Quiz für", "en": "Quiz for"},
    "training.quiz_intro": {
        "de": "{n} Fragen, je genau eine Antwort richtig. Nach dem Prüfen sehen Sie zu jeder "
        "Frage die Erklärung und die Quelle.",
        "en": "{n} questions, exactly one answer correct each. After checking you see the "
        "explanation and the source of every question.",
    },
    "training.check": {"de": "Antworten prüfen", "en": "Check answers"},
    "training.right": {"de": "Frage {n}: richtig.", "en": "Question {n}: correct."},
    "training.wrong": {
        "de": "Frage {n}: falsch. Richtig ist {answer}.",
        "en": "Question {n}: wrong. The correct answer is {answer}.",
    },
    "training.unanswered": {
        "de": "Frage {n}: nicht beantwortet. Richtig ist {answer}.",
        "en": "Question {n}: not answered. The correct answer is {answer}.",
    },
    "training.explanation": {"de": "Erklärung", "en": "Explanation"},
    "training.source": {"de": "Quelle", "en": "Source"},
    "training.score": {"de": "Ergebnis", "en": "Score"},
    "training.record.intro": {
        "de": "Teilnahme und Quizergebnis erfassen; der Nachweis wird im Arbeitsbereich "
        "**{workspace}** gespeichert und dient der Überprüfung in Schritt 7.",
        "en": "Record attendance and quiz score; the record is stored for workspace "
        "**{workspace}** and serves the review in step 7.",
    },
    "training.record.person": {"de": "Person", "en": "Person"},
    "training.record.role": {"de": "Rolle", "en": "Role"},
    "training.record.session": {"de": "Sitzung", "en": "Session"},
    "training.record.date": {"de": "Datum", "en": "Date"},
    "training.record.attended": {"de": "Teilgenommen", "en": "Attended"},
    "training.record.score": {"de": "Punktzahl (%)", "en": "Score (%)"},
    "training.record.submit": {"de": "Ergebnis speichern", "en": "Save result"},
    "training.record.saved": {
        "de": "Ergebnis für {person} gespeichert.",
        "en": "Result for {person} saved.",
    },
    "training.record.empty_person": {
        "de": "Bitte den Namen der Person angeben.",
        "en": "Please enter the person's name.",
    },
    "training.record.list": {"de": "Erfasste Ergebnisse", "en": "Recorded results"},
    "training.record.none": {"de": "Noch keine Ergebnisse erfasst.", "en": "No results yet."},
    "training.record.download": {
        "de": "Nachweis als Excel (XLSX)",
        "en": "Record as Excel (XLSX)",
    },
    "training.download.kit_docx": {
        "de": "Plan und Merkblätter (DOCX)",
        "en": "Plan and handouts (DOCX)",
    },
    "training.download.kit_md": {
        "de": "Plan und Merkblätter (Markdown)",
        "en": "Plan and handouts (Markdown)",
    },
    "training.download.quiz_docx": {"de": "Quiz (DOCX)", "en": "Quiz (DOCX)"},
    "training.download.answers_docx": {
        "de": "Quiz mit Lösungen (DOCX)",
        "en": "Quiz with answers (DOCX)",
    },
    "training.download.quiz_csv": {
        "de": "Quiz für Lernplattformen (CSV)",
        "en": "Quiz for e-learning tools (CSV)",
    },
    "training.download.kit_json": {"de": "Ganzes Paket (JSON)", "en": "Whole kit (JSON)"},
    "training.download.attendance": {
        "de": "Teilnahmeliste (XLSX)",
        "en": "Attendance sheet (XLSX)",
    },
    "training.download.ics": {
        "de": "Zeitplan mit Schulungen (ICS)",
        "en": "Schedule with sessions (ICS)",
    },
    "training.download.png": {
        "de": "Gantt mit Schulungen (PNG)",
        "en": "Gantt with sessions (PNG)",
    },
}


def current_language() -> Lang:
    """The session's UI language (German until the user or the settings say otherwise)."""
    value = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return "en" if value == "en" else "de"


def set_language(lang: str) -> None:
    st.session_state[LANG_KEY] = "en" if lang == "en" else "de"


def t(key: str, lang: Lang | None = None, **fmt: object) -> str:
    """The text for ``key`` in ``lang`` (default: the session's), formatted with ``fmt``."""
    entry = TEXTS.get(key)
    if entry is None:
        log.warning("missing translation key %s", key)
        return key
    text = entry[lang or current_language()]
    return text.format(**fmt) if fmt else text


# ---- formatting ----------------------------------------------------------------------
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fmt_date(day: dt.date | None, lang: Lang | None = None) -> str:
    """``21.12.2026`` in German, ``21 Dec 2026`` in English; ``–`` for no date."""
    if day is None:
        return "–"
    if (lang or current_language()) == "de":
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def fmt_datetime(stamp: str | dt.datetime | None, lang: Lang | None = None) -> str:
    """An ISO timestamp in local time: ``26.11.2026 17:20`` / ``26 Nov 2026 17:20``."""
    if not stamp:
        return "–"
    try:
        value = stamp if isinstance(stamp, dt.datetime) else dt.datetime.fromisoformat(stamp)
    except ValueError:
        return str(stamp)
    if value.tzinfo is not None:
        value = value.astimezone()
    return f"{fmt_date(value.date(), lang)} {value:%H:%M}"


def fmt_number(value: float, digits: int = 0, lang: Lang | None = None) -> str:
    """Swiss German groups thousands with ’ (1’234.5); English with a comma (1,234.5)."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "’") if (lang or current_language()) == "de" else text
