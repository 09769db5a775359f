"""Working days of a region: weekends and the region's public holidays are skipped.

A region is ``COUNTRY`` or ``COUNTRY-SUBDIVISION`` as the ``holidays`` package knows it,
e.g. ``CH-ZH`` (canton Zurich), ``DE-BY`` (Bavaria), ``AT-9`` (Vienna).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import holidays

from core.errors import PlanningError
from knowledge.common import Lang

REGION_EXAMPLES = ("CH-ZH", "CH-BE", "CH-BS", "DE-BY", "DE-BE", "DE-NW", "AT-9")
PLANNING_COUNTRIES = ("CH", "DE", "AT", "LI")
_WEEKEND = (5, 6)


def _normalise(code: str) -> tuple[str, str | None]:
    parts = code.strip().upper().replace("_", "-").split("-", 1)
    country = parts[0]
    subdiv = parts[1] if len(parts) == 2 and parts[1] else None
    return country, subdiv


def scenario_region(country: str, canton_or_state: str | None) -> str:
    """The region code of a scenario's company, e.g. ``("CH", "ZH")`` -> ``CH-ZH``."""
    return f"{country}-{canton_or_state}" if canton_or_state else country


def region_choices(countries: tuple[str, ...] = PLANNING_COUNTRIES) -> list[str]:
    """Region codes for a picker: each country alone, then each of its subdivisions."""
    supported = holidays.list_supported_countries()
    out: list[str] = []
    for country in countries:
        if country in supported:
            out.append(country)
            out.extend(f"{country}-{sub}" for sub in supported[country])
    return out


class WorkCalendar:
    """Answers "is this a working day here?" for one region, in the plan's language."""

    def __init__(self, region: str, lang: Lang = "de") -> None:
        country, subdiv = _normalise(region)
        supported = holidays.list_supported_countries()
        examples = ", ".join(REGION_EXAMPLES)
        if country not in supported:
            raise PlanningError(
                f"Unbekannte Region '{region}': Land '{country}' wird nicht unterstützt. "
                f"Beispiele: {examples}.",
                en=f"Unknown region '{region}': country '{country}' is not supported. "
                f"Examples: {examples}.",
            )
        subdivs = [str(s) for s in supported[country]]
        if subdiv is not None and subdiv not in subdivs:
            shown = ", ".join(f"{country}-{s}" for s in subdivs[:30])
            raise PlanningError(
                f"Unbekannte Region '{region}': '{subdiv}' ist kein Kanton/Bundesland von "
                f"{country}. Möglich: {shown}. Beispiele: {examples}.",
                en=f"Unknown region '{region}': '{subdiv}' is not a canton/state of "
                f"{country}. Possible: {shown}. Examples: {examples}.",
            )
        self.country = country
        self.subdiv = subdiv
        self.region = f"{country}-{subdiv}" if subdiv else country
        self.lang = lang
        self._holidays = self._build(lang)

    def _build(self, lang: Lang) -> Any:
        cls = holidays.country_holidays(self.country).__class__
        languages = [str(x) for x in getattr(cls, "supported_languages", ())]
        wanted = ["de", "de_CH", "de_DE", "de_AT"] if lang == "de" else ["en_US", "en_GB", "en"]
        language = next((x for x in wanted if x in languages), None)
        return holidays.country_holidays(self.country, subdiv=self.subdiv, language=language)

    def holiday_name(self, day: date) -> str | None:
        name = self._holidays.get(day)
        return str(name) if name else None

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in _WEEKEND and day not in self._holidays

    def first_working_day(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_days(self, start: date) -> Iterator[date]:
        """Endless iterator over working days from ``start`` (inclusive)."""
        day = start
        while True:
            if self.is_working_day(day):
                yield day
            day += timedelta(days=1)

    def holidays_between(self, first: date, last: date) -> list[tuple[date, str]]:
        """Public holidays in ``[first, last]``, weekends included, in date order."""
        out: list[tuple[date, str]] = []
        day = first
        while day <= last:
            name = self.holiday_name(day)
            if name:
                out.append((day, name))
            day += timedelta(days=1)
        return out
