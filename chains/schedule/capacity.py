"""Team availability per role: people x part-time share, in person-days per working day.

Default: one person per role, management part-time (0.5). For companies with 50 or more
employees two people are assumed in IT, the business unit, among staff and at the
external provider, since their efforts scale with size too; every value can be overridden.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from core.errors import PlanningError
from knowledge.plan import Role

DEFAULT_CAPACITY: dict[Role, float] = {
    Role.MANAGEMENT: 0.5,
    Role.IT_LEAD: 1.0,
    Role.DPO: 1.0,
    Role.BUSINESS: 1.0,
    Role.STAFF: 1.0,
    Role.PROVIDER: 1.0,
}

_MEDIUM_COMPANY_EXTRA: dict[Role, float] = {
    Role.IT_LEAD: 2.0,
    Role.BUSINESS: 2.0,
    Role.STAFF: 2.0,
    Role.PROVIDER: 2.0,
}

MAX_CAPACITY = 50.0


def default_capacity(size_class: str = "small") -> dict[Role, float]:
    """The assumed team for a size class (``micro`` | ``small`` | ``medium``)."""
    capacity = dict(DEFAULT_CAPACITY)
    if size_class == "medium":
        capacity.update(_MEDIUM_COMPANY_EXTRA)
    return capacity


def resolve_capacity(
    overrides: Mapping[Role, float] | None, size_class: str = "small"
) -> dict[Role, float]:
    """Defaults for the size class, overridden per role; zero or negative is refused."""
    capacity = default_capacity(size_class)
    for role, value in (overrides or {}).items():
        role = _role(str(role))
        if not value > 0:
            raise PlanningError(
                f"Kapazität für Rolle '{role.value}' muss grösser als 0 sein (erhalten: {value}). "
                "Wer nicht verfügbar ist, kann keine Aufgaben übernehmen; "
                "bitte mindestens einen Teilzeitanteil angeben, z. B. 1*0.2.",
                en=f"Capacity for role '{role.value}' must be greater than 0 (got: {value}). "
                "Someone who is not available cannot take on tasks; "
                "please give at least a part-time share, e.g. 1*0.2.",
            )
        if value > MAX_CAPACITY:
            raise PlanningError(
                f"Kapazität für Rolle '{role.value}' ist unplausibel hoch ({value}); "
                f"höchstens {MAX_CAPACITY:g} Personentage pro Tag.",
                en=f"Capacity for role '{role.value}' is implausibly high ({value}); "
                f"at most {MAX_CAPACITY:g} person-days per day.",
            )
        capacity[role] = float(value)
    return capacity


def parse_capacity(specs: Iterable[str]) -> dict[Role, float]:
    """Parse ``role=people*share`` (or ``role=people``), e.g. ``management=1*0.5``."""
    out: dict[Role, float] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        if not sep:
            raise PlanningError(
                f"Kapazität '{spec}' nicht verstanden: erwartet Rolle=Personen*Anteil, "
                "z. B. it_lead=2*0.8 oder management=1*0.5."
            )
        people_text, _, share_text = value.partition("*")
        try:
            people = float(people_text)
            share = float(share_text) if share_text else 1.0
        except ValueError:
            raise PlanningError(
                f"Kapazität '{spec}': '{value}' ist keine Zahl (Personen*Anteil, z. B. 2*0.5)."
            ) from None
        if not 0 < share <= 1:
            raise PlanningError(
                f"Kapazität '{spec}': der Anteil muss zwischen 0 und 1 liegen (erhalten: {share})."
            )
        out[_role(name)] = people * share
    return out


def _role(name: str) -> Role:
    try:
        return Role(name.strip().lower())
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise PlanningError(
            f"Unbekannte Rolle '{name}'. Bekannte Rollen: {known}.",
            en=f"Unknown role '{name}'. Known roles: {known}.",
        ) from None
