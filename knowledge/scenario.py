"""The integration scenario an IT lead describes, and its mapping to catalog facts.

``Scenario.facts()`` is the one documented place where scenario answers become the
applicability facts that the requirement catalog and plan templates refer to.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, ValidationError

from core.errors import KnowledgeError, ScenarioError
from knowledge.common import StrictModel, format_validation_error, read_yaml


class ServiceType(StrEnum):
    CHATBOT = "chatbot"
    DOCUMENT_ANALYSIS = "document_analysis"
    WRITING_ASSISTANT = "writing_assistant"
    CODE_ASSISTANT = "code_assistant"
    AGENT_WITH_TOOLS = "agent_with_tools"
    OTHER = "other"


class Deployment(StrEnum):
    SAAS_CH = "saas_ch"
    SAAS_EU = "saas_eu"
    SAAS_US = "saas_us"
    SAAS_UNKNOWN = "saas_unknown"
    SELF_HOSTED = "self_hosted"


class DataCategory(StrEnum):
    PERSONAL_DATA = "personal_data"
    SENSITIVE_PERSONAL_DATA = "sensitive_personal_data"
    TRADE_SECRETS = "trade_secrets"
    CUSTOMER_DATA = "customer_data"
    NONE = "none"


class Integration(StrEnum):
    EMAIL = "email"
    CRM = "crm"
    ERP = "erp"
    FILE_SHARES = "file_shares"
    WEBSITE = "website"
    OTHER = "other"


class Users(StrEnum):
    INTERNAL = "internal"
    EXTERNAL = "external"
    BOTH = "both"


class Company(StrictModel):
    name: str = Field(min_length=1)
    employees: int = Field(ge=1, le=100_000)
    industry: str = ""
    country: str = Field(default="CH", pattern=r"^[A-Z]{2}$")
    canton_or_state: str | None = Field(default=None, pattern=r"^[A-Z]{2,3}$")


class AIService(StrictModel):
    purpose: str = Field(min_length=1)
    type: ServiceType
    vendor: str | None = None
    deployment: Deployment
    fine_tuning: bool = False
    rag_over_internal_docs: bool = False


class Scenario(StrictModel):
    """What the company plans; the YAML form and the UI form produce the same model."""

    company: Company
    ai_service: AIService
    data: list[DataCategory] = Field(default_factory=list)
    integrations: list[Integration] = Field(default_factory=list)
    users: Users = Users.INTERNAL
    languages: list[str] = Field(default_factory=lambda: ["de"])
    notes: str = ""

    def facts(self) -> frozenset[str]:
        """Scenario -> applicability facts (the single mapping; see docs/catalog.md).

        Fact names: personal_data, sensitive_personal_data, trade_secrets, customer_data,
        external_saas, self_hosted, data_outside_ch_eu, customer_facing, agent_with_tools,
        rag_over_internal_docs, fine_tuning, code_generation, system_integration,
        email_integration, company_micro (1-9), company_small (10-49), company_medium (50+).
        """
        data = set(self.data)
        svc = self.ai_service
        facts: set[str] = set()
        if data & {
            DataCategory.PERSONAL_DATA,
            DataCategory.SENSITIVE_PERSONAL_DATA,
            DataCategory.CUSTOMER_DATA,
        }:
            facts.add("personal_data")
        if DataCategory.SENSITIVE_PERSONAL_DATA in data:
            facts.add("sensitive_personal_data")
        if DataCategory.TRADE_SECRETS in data:
            facts.add("trade_secrets")
        if DataCategory.CUSTOMER_DATA in data:
            facts.add("customer_data")
        if svc.deployment == Deployment.SELF_HOSTED:
            facts.add("self_hosted")
        else:
            facts.add("external_saas")
        if svc.deployment in (Deployment.SAAS_US, Deployment.SAAS_UNKNOWN):
            facts.add("data_outside_ch_eu")
        if self.users in (Users.EXTERNAL, Users.BOTH) or Integration.WEBSITE in self.integrations:
            facts.add("customer_facing")
        if svc.type == ServiceType.AGENT_WITH_TOOLS:
            facts.add("agent_with_tools")
        if (
            svc.rag_over_internal_docs
            or svc.type == ServiceType.DOCUMENT_ANALYSIS
            or (Integration.FILE_SHARES in self.integrations)
        ):
            facts.add("rag_over_internal_docs")
        if svc.fine_tuning:
            facts.add("fine_tuning")
        if svc.type == ServiceType.CODE_ASSISTANT:
            facts.add("code_generation")
        if set(self.integrations) & {
            Integration.CRM,
            Integration.ERP,
            Integration.EMAIL,
            Integration.FILE_SHARES,
        }:
            facts.add("system_integration")
        if Integration.EMAIL in self.integrations:
            facts.add("email_integration")
        employees = self.company.employees
        facts.add(
            "company_micro"
            if employees < 10
            else "company_small"
            if employees < 50
            else "company_medium"
        )
        return frozenset(facts)

    def risk_level(self) -> str:
        """low | medium | high: how much the scenario raises priorities and efforts."""
        facts = self.facts()
        high = {"sensitive_personal_data", "agent_with_tools", "data_outside_ch_eu"}
        score = len(
            facts
            & {
                "personal_data",
                "customer_facing",
                "trade_secrets",
                "system_integration",
                "rag_over_internal_docs",
                "fine_tuning",
            }
        )
        public_personal = {"customer_facing", "personal_data"} <= facts
        if facts & high or public_personal or score >= 4:
            return "high"
        return "medium" if score >= 2 else "low"

    def size_class(self) -> str:
        """micro (1-9) | small (10-49) | medium (50-249+) for effort scaling."""
        e = self.company.employees
        return "micro" if e < 10 else "small" if e < 50 else "medium"


FACTS: frozenset[str] = frozenset(
    {
        "personal_data",
        "sensitive_personal_data",
        "trade_secrets",
        "customer_data",
        "external_saas",
        "self_hosted",
        "data_outside_ch_eu",
        "customer_facing",
        "agent_with_tools",
        "rag_over_internal_docs",
        "fine_tuning",
        "code_generation",
        "system_integration",
        "email_integration",
        "company_micro",
        "company_small",
        "company_medium",
    }
)


def load_scenario(path: Path) -> Scenario:
    """Read a scenario YAML file; unknown fields and wrong types name the field."""
    try:
        raw = read_yaml(path)
    except KnowledgeError as exc:
        raise ScenarioError(str(exc), en=exc.message_en) from exc
    if not isinstance(raw, dict):
        raise ScenarioError(
            f"{path.name}: erwartet ein YAML-Objekt mit 'company' und 'ai_service'.",
            en=f"{path.name}: expected a YAML object with 'company' and 'ai_service'.",
        )
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(
            f"{path.name}: {format_validation_error(exc)}",
            en=f"{path.name}: {format_validation_error(exc, 'en')}",
        ) from exc
