"""Words for statuses, categories, facts and scenario answers in German and English.

One table, shared by the drafting chain, every exporter and the page, so that a status
reads the same in the DOCX, the XLSX and the preview. German uses Swiss spelling (ss).
"""

from __future__ import annotations

from chains.requirements.records import Status
from knowledge.catalog import Category, Priority
from knowledge.common import Lang
from knowledge.scenario import DataCategory, Deployment, Integration, ServiceType, Users

STATUS_NAMES: dict[Status, dict[Lang, str]] = {
    Status.COVERED: {"de": "abgedeckt", "en": "covered"},
    Status.PARTLY: {"de": "teilweise", "en": "partly covered"},
    Status.OPEN: {"de": "offen", "en": "open"},
    Status.CONFLICTING: {"de": "widersprüchlich", "en": "conflicting"},
}

# Traffic-light colours (hex, no '#'): one per status, for XLSX, DOCX and the page.
STATUS_COLOURS: dict[Status, str] = {
    Status.COVERED: "C6EFCE",
    Status.PARTLY: "FFEB9C",
    Status.OPEN: "E7E6E6",
    Status.CONFLICTING: "FFC7CE",
}

PRIORITY_NAMES: dict[Priority, dict[Lang, str]] = {
    Priority.MUST: {"de": "MUSS", "en": "MUST"},
    Priority.SHOULD: {"de": "SOLL", "en": "SHOULD"},
    Priority.MAY: {"de": "KANN", "en": "MAY"},
}

CATEGORY_NAMES: dict[Category, dict[Lang, str]] = {
    Category.GOVERNANCE: {"de": "Governance", "en": "Governance"},
    Category.DATA_PROTECTION: {"de": "Datenschutz", "en": "Data protection"},
    Category.DATA_QUALITY: {"de": "Datenqualität", "en": "Data quality"},
    Category.ACCESS_CONTROL: {"de": "Zugriffskontrolle", "en": "Access control"},
    Category.VENDOR_MANAGEMENT: {"de": "Anbietermanagement", "en": "Vendor management"},
    Category.SECURE_INTEGRATION: {"de": "Sichere Integration", "en": "Secure integration"},
    Category.PROMPT_INJECTION_OUTPUT: {
        "de": "Prompt-Injection und Ausgaben",
        "en": "Prompt injection and output handling",
    },
    Category.LOGGING_MONITORING: {
        "de": "Protokollierung und Überwachung",
        "en": "Logging and monitoring",
    },
    Category.INCIDENT_RESPONSE: {"de": "Vorfallbehandlung", "en": "Incident response"},
    Category.TRAINING_AWARENESS: {"de": "Schulung und Sensibilisierung", "en": "Training"},
    Category.TESTING: {"de": "Tests", "en": "Testing"},
    Category.OPERATIONS_REVIEW: {"de": "Betrieb und Überprüfung", "en": "Operations and review"},
}

FACT_NAMES: dict[str, dict[Lang, str]] = {
    "personal_data": {"de": "Personendaten", "en": "personal data"},
    "sensitive_personal_data": {
        "de": "besonders schützenswerte Personendaten",
        "en": "sensitive personal data",
    },
    "trade_secrets": {"de": "Geschäftsgeheimnisse", "en": "trade secrets"},
    "customer_data": {"de": "Kundendaten", "en": "customer data"},
    "external_saas": {"de": "externer SaaS-Dienst", "en": "external SaaS service"},
    "self_hosted": {"de": "selbst betrieben", "en": "self-hosted"},
    "data_outside_ch_eu": {
        "de": "Daten möglicherweise ausserhalb CH/EU",
        "en": "data possibly outside CH/EU",
    },
    "customer_facing": {
        "de": "öffentlich bzw. für Kundschaft erreichbar",
        "en": "public or customer-facing",
    },
    "agent_with_tools": {"de": "Agent mit Werkzeugen", "en": "agent with tools"},
    "rag_over_internal_docs": {
        "de": "Suche über interne Dokumente (RAG)",
        "en": "search over internal documents (RAG)",
    },
    "fine_tuning": {"de": "Fine-Tuning", "en": "fine-tuning"},
    "code_generation": {"de": "Code-Erzeugung", "en": "code generation"},
    "system_integration": {
        "de": "Anbindung an Geschäftssysteme",
        "en": "integration with business systems",
    },
    "email_integration": {"de": "Zugriff auf E-Mail", "en": "e-mail access"},
    "company_micro": {"de": "Kleinstunternehmen (1–9)", "en": "micro company (1–9)"},
    "company_small": {"de": "Kleinunternehmen (10–49)", "en": "small company (10–49)"},
    "company_medium": {"de": "mittleres Unternehmen (50+)", "en": "medium company (50+)"},
}

RISK_NAMES: dict[str, dict[Lang, str]] = {
    "low": {"de": "tief", "en": "low"},
    "medium": {"de": "mittel", "en": "medium"},
    "high": {"de": "hoch", "en": "high"},
}

SERVICE_TYPE_NAMES: dict[ServiceType, dict[Lang, str]] = {
    ServiceType.CHATBOT: {"de": "Chatbot", "en": "chatbot"},
    ServiceType.DOCUMENT_ANALYSIS: {"de": "Dokumentenanalyse", "en": "document analysis"},
    ServiceType.WRITING_ASSISTANT: {"de": "Schreibassistent", "en": "writing assistant"},
    ServiceType.CODE_ASSISTANT: {"de": "Code-Assistent", "en": "code assistant"},
    ServiceType.AGENT_WITH_TOOLS: {"de": "Agent mit Werkzeugen", "en": "agent with tools"},
    ServiceType.OTHER: {"de": "anderer Dienst", "en": "other service"},
}

DEPLOYMENT_NAMES: dict[Deployment, dict[Lang, str]] = {
    Deployment.SAAS_CH: {"de": "SaaS, Daten in der Schweiz", "en": "SaaS, data in Switzerland"},
    Deployment.SAAS_EU: {"de": "SaaS, Daten in der EU", "en": "SaaS, data in the EU"},
    Deployment.SAAS_US: {"de": "SaaS, Daten in den USA", "en": "SaaS, data in the US"},
    Deployment.SAAS_UNKNOWN: {
        "de": "SaaS, Datenstandort unbekannt",
        "en": "SaaS, data location unknown",
    },
    Deployment.SELF_HOSTED: {"de": "selbst betrieben", "en": "self-hosted"},
}

DATA_NAMES: dict[DataCategory, dict[Lang, str]] = {
    DataCategory.PERSONAL_DATA: FACT_NAMES["personal_data"],
    DataCategory.SENSITIVE_PERSONAL_DATA: FACT_NAMES["sensitive_personal_data"],
    DataCategory.TRADE_SECRETS: FACT_NAMES["trade_secrets"],
    DataCategory.CUSTOMER_DATA: FACT_NAMES["customer_data"],
    DataCategory.NONE: {"de": "keine besonderen Daten", "en": "no particular data"},
}

INTEGRATION_NAMES: dict[Integration, dict[Lang, str]] = {
    Integration.EMAIL: {"de": "E-Mail", "en": "e-mail"},
    Integration.CRM: {"de": "CRM", "en": "CRM"},
    Integration.ERP: {"de": "ERP", "en": "ERP"},
    Integration.FILE_SHARES: {"de": "Dateiablage", "en": "file shares"},
    Integration.WEBSITE: {"de": "Website", "en": "website"},
    Integration.OTHER: {"de": "weitere Systeme", "en": "other systems"},
}

USERS_NAMES: dict[Users, dict[Lang, str]] = {
    Users.INTERNAL: {"de": "intern", "en": "internal"},
    Users.EXTERNAL: {
        "de": "extern (Kundschaft, Öffentlichkeit)",
        "en": "external (customers, public)",
    },
    Users.BOTH: {"de": "intern und extern", "en": "internal and external"},
}


def status_name(status: Status, lang: Lang) -> str:
    return STATUS_NAMES[status][lang]


def priority_name(priority: Priority, lang: Lang) -> str:
    return PRIORITY_NAMES[priority][lang]


def category_name(category: Category, lang: Lang) -> str:
    return CATEGORY_NAMES[category][lang]


def fact_name(fact: str, lang: Lang) -> str:
    return FACT_NAMES.get(fact, {}).get(lang, fact)


def join(items: list[str], lang: Lang) -> str:
    """'a, b und c' / 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    last = " und " if lang == "de" else " and "
    return ", ".join(items[:-1]) + last + items[-1]
