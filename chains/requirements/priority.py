"""Raise or lower catalog priorities by the scenario's risk, always with a stated reason.

Rules (the only place they live):

- Risk ``high``: a SHOULD (or MAY) becomes MUST when the requirement answers one of the
  facts that made the scenario high-risk, i.e. its ``applies_if`` names such a driver,
  or its category is one the driver amplifies (``AMPLIFIES`` below).
- Risk ``low``: a SHOULD without applicability conditions (general good practice)
  becomes MAY. A MUST is never lowered: MUSTs carry legal or baseline obligations.
- Risk ``medium``: the catalog priority stands.
"""

from __future__ import annotations

from dataclasses import dataclass

from chains.requirements.texts import fact_name, join, priority_name
from knowledge.catalog import Category, Priority, Requirement
from knowledge.common import Lang
from knowledge.scenario import Scenario

# Facts that make a scenario high-risk on their own (mirrors Scenario.risk_level()).
HIGH_RISK_FACTS = ("sensitive_personal_data", "agent_with_tools", "data_outside_ch_eu")
# Facts counted towards the risk score in Scenario.risk_level().
SCORED_FACTS = (
    "personal_data",
    "customer_facing",
    "trade_secrets",
    "system_integration",
    "rag_over_internal_docs",
    "fine_tuning",
)

# Which categories a risk driver makes more urgent.
AMPLIFIES: dict[str, frozenset[Category]] = {
    "sensitive_personal_data": frozenset(
        {
            Category.DATA_PROTECTION,
            Category.ACCESS_CONTROL,
            Category.LOGGING_MONITORING,
            Category.INCIDENT_RESPONSE,
        }
    ),
    "agent_with_tools": frozenset(
        {
            Category.PROMPT_INJECTION_OUTPUT,
            Category.SECURE_INTEGRATION,
            Category.LOGGING_MONITORING,
            Category.TESTING,
            Category.INCIDENT_RESPONSE,
        }
    ),
    "data_outside_ch_eu": frozenset({Category.VENDOR_MANAGEMENT, Category.DATA_PROTECTION}),
    "customer_facing": frozenset({Category.PROMPT_INJECTION_OUTPUT, Category.INCIDENT_RESPONSE}),
}


@dataclass(frozen=True)
class PriorityDecision:
    priority: Priority
    reason: str | None


def risk_drivers(scenario: Scenario) -> tuple[str, ...]:
    """The facts that put the scenario at its risk level (empty unless ``high``)."""
    facts = scenario.facts()
    if scenario.risk_level() != "high":
        return ()
    drivers = [f for f in HIGH_RISK_FACTS if f in facts]
    if {"customer_facing", "personal_data"} <= facts:
        drivers.append("customer_facing")
    if not drivers:  # high by score: every scored fact counts
        drivers = [f for f in SCORED_FACTS if f in facts]
    return tuple(drivers)


def adjust_priority(req: Requirement, scenario: Scenario, lang: Lang) -> PriorityDecision:
    """The scenario's priority for ``req`` and, when it differs, why."""
    level = scenario.risk_level()
    if level == "high" and req.priority != Priority.MUST:
        drivers = risk_drivers(scenario)
        hit = [
            d
            for d in drivers
            if d in req.applies_if or req.category in AMPLIFIES.get(d, frozenset())
        ]
        if hit:
            names = join([fact_name(d, lang) for d in hit], lang)
            old, new = priority_name(req.priority, lang), priority_name(Priority.MUST, lang)
            reason = (
                f"Erhöht von {old} auf {new}: hohes Risiko ({names})."
                if lang == "de"
                else f"Raised from {old} to {new}: high risk ({names})."
            )
            return PriorityDecision(Priority.MUST, reason)
    if level == "low" and req.priority == Priority.SHOULD and not req.applies_if:
        old, new = priority_name(req.priority, lang), priority_name(Priority.MAY, lang)
        reason = (
            f"Gesenkt von {old} auf {new}: tiefes Risiko, allgemeine gute Praxis."
            if lang == "de"
            else f"Lowered from {old} to {new}: low risk, general good practice."
        )
        return PriorityDecision(Priority.MAY, reason)
    return PriorityDecision(req.priority, None)
