"""The cue rules of the vendor comparison on short sentences (German and English), the
status logic, and the criteria loader's errors. No model needed: this is the reasoning."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from chains.vendors import CueMatcher, Status, VendorInputError, parse_vendor_spec
from chains.vendors.judge import combine, decide
from chains.vendors.records import Evidence
from core.errors import KnowledgeError
from knowledge.catalog import load_catalog
from knowledge.vendor_criteria import VendorCriteria, load_vendor_criteria
from tests.language_support import english

DATA = Path(__file__).resolve().parent.parent / "data"
F, P, N = Status.FULFILLED, Status.PARTLY, Status.NOT_FULFILLED

DEFAULT_IDS = [
    "data_residency",
    "training_on_customer_data",
    "retention",
    "dpa_subprocessors",
    "certifications",
    "encryption",
    "sso_mfa",
    "audit_logging",
    "content_filtering",
    "incident_notification",
    "exit_export",
    "sla",
]


@pytest.fixture(scope="module")
def criteria() -> VendorCriteria:
    return load_vendor_criteria(DATA / "vendor_criteria.yaml", load_catalog(DATA / "catalog"))


@pytest.fixture(scope="module")
def matcher(criteria: VendorCriteria) -> CueMatcher:
    return CueMatcher(criteria.rules)


def verdicts(matcher: CueMatcher, criteria: VendorCriteria, cid: str, text: str) -> set[Status]:
    return {h.verdict for h in matcher.classify(text, criteria.get(cid), "de")}


def test_default_criteria_ids_weights_and_requirements(criteria: VendorCriteria) -> None:
    assert criteria.ids == DEFAULT_IDS
    catalog = load_catalog(DATA / "catalog")
    for c in criteria:
        assert c.weight > 0
        assert c.requirements and all(r in catalog for r in c.requirements)
        assert c.queries.de and c.queries.en
        assert c.name.de and c.name.en and "ß" not in c.name.de + c.description.de


# ---- negations are never read as their opposite ----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kundendaten werden nicht für das Training verwendet.", F),
        (
            "Alpina AI verwendet Kundendaten nicht für das Training oder die Verbesserung von "
            "Modellen.",
            F,
        ),
        ("Kundendaten werden für das Training der Modelle verwendet.", N),
        ("Der Anbieter verwendet Kundendaten zur Verbesserung seiner Modelle.", N),
        ("We do not use customer data for training.", F),
        ("Customer prompts are not used to train or improve our models.", F),
        ("We use customer data to train our models.", N),
        ("Your prompts are NOT used to train any foundation models without your permission.", F),
        (
            "The vendor may use customer content to improve and train its models, unless the "
            "customer opts out.",
            N,
        ),
    ],
)
def test_training_negation(
    matcher: CueMatcher, criteria: VendorCriteria, text: str, expected: Status
) -> None:
    assert verdicts(matcher, criteria, "training_on_customer_data", text) == {expected}


@pytest.mark.parametrize(
    ("cid", "text", "expected"),
    [
        ("data_residency", "Eine Bearbeitung ausserhalb der Schweiz findet nicht statt.", {F}),
        ("data_residency", "Daten werden auch ausserhalb der EU bearbeitet.", {N}),
        ("data_residency", "The service does not offer a choice of data region.", {N}),
        ("certifications", "Der Anbieter ist nach ISO/IEC 27001 zertifiziert.", {F}),
        ("certifications", "We do not hold ISO/IEC 27001 certification.", {N}),
        ("certifications", "Der Anbieter ist nicht nach ISO/IEC 27001 zertifiziert.", {N}),
        ("sso_mfa", "Single sign-on (SSO) is not available.", {N}),
        ("audit_logging", "Es gibt kein Audit-Log.", {N}),
        ("audit_logging", "Inhalte werden im Audit-Log nicht gespeichert.", set()),
        (
            "content_filtering",
            "Eine Überprüfung von Inhalten durch Mitarbeitende findet nicht statt.",
            {F},
        ),
        ("content_filtering", "Flagged conversations are reviewed by staff (human review).", {P}),
        (
            "encryption",
            "Data is encrypted in transit with TLS 1.2, including but not limited to API calls.",
            {F},
        ),
    ],
)
def test_negation_per_criterion(
    matcher: CueMatcher, criteria: VendorCriteria, cid: str, text: str, expected: set[Status]
) -> None:
    assert verdicts(matcher, criteria, cid, text) == expected


def test_negation_in_parenthesis_and_double_negation(matcher: CueMatcher) -> None:
    assert matcher.is_negated("SSO (SAML) is not available.", 0, 3)  # read around "( … )"
    assert not matcher.is_negated("SSO (not on Basic) is available.", 0, 3)
    text = "Data is never not encrypted."
    start = text.index("encrypted")
    assert not matcher.is_negated(text, start, start + 9)  # "never not" cancels out
    limited = "Measures include but not limited to TLS."
    assert not matcher.is_negated(limited, limited.index("TLS"), len(limited) - 1)


# ---- hedges, exceptions, conditions, scopes, durations -------------------------------------


@pytest.mark.parametrize(
    ("cid", "text", "expected"),
    [
        # "may" weakens a promise ...
        ("encryption", "Stored data may be encrypted at rest.", P),
        # ... but not a right the vendor reserves
        ("data_residency", "Customer data may be processed in the United States.", N),
        (
            "data_residency",
            "Daten werden in der Schweiz gespeichert, sofern nicht anders vereinbart.",
            F,
        ),
        (
            "data_residency",
            "Prompts are processed in the customer-specified geography (unless "
            "you use a Global deployment).",
            P,
        ),
        (
            "data_residency",
            "If you create a resource in the United States, prompts may be "
            "processed anywhere in the United States.",
            P,
        ),
        ("sla", "We do not offer an SLA on the Basic plan.", P),
        ("dpa_subprocessors", "A list of subprocessors is available on request.", P),
        ("sso_mfa", "SSO via SAML is offered for an additional fee.", P),
        ("sso_mfa", "Users can enable two-step verification in their personal settings.", P),
        ("retention", "Prompts and outputs are retained for 30 days for abuse monitoring.", P),
        ("retention", "Prompts are stored for up to 90 days.", N),
        ("retention", "Die Aufbewahrungsdauer der Prompts beträgt 0 Tage.", F),
        (
            "incident_notification",
            "Wir melden Verletzungen der Datensicherheit innert 24 Stunden.",
            F,
        ),
        ("incident_notification", "We notify customers of security incidents within 10 days.", N),
        ("incident_notification", "We notify customers of a breach without undue delay.", P),
        ("certifications", "We have a SOC 2 Type II report.", P),
    ],
)
def test_qualifiers_and_durations(
    matcher: CueMatcher, criteria: VendorCriteria, cid: str, text: str, expected: Status
) -> None:
    # several rules may speak on one sentence; the restriction wins (as for the evidence)
    assert combine(verdicts(matcher, criteria, cid, text)) == expected


def test_context_keeps_rules_on_topic(matcher: CueMatcher, criteria: VendorCriteria) -> None:
    # a retention period of audit logs is not a retention of prompts
    audit = "Audit-Logs werden 12 Monate aufbewahrt."
    assert verdicts(matcher, criteria, "retention", audit) == set()
    # a final report after 14 days is not the notification deadline
    assert (
        verdicts(
            matcher,
            criteria,
            "incident_notification",
            "Ein Abschlussbericht folgt innert 14 Tagen.",
        )
        == set()
    )
    hits = matcher.classify(
        "Stored data may be encrypted at rest.", criteria.get("encryption"), "en"
    )
    assert "“may”" in hits[0].note  # the note says why it is only partly


# ---- from evidence to status ---------------------------------------------------------------


def ev(verdict: Status, aspect: str | None = None) -> Evidence:
    return Evidence("doc.md", None, "", f"{verdict} {aspect}", "d1", verdict, 0.5, aspect)


def test_combine_worst_best_and_contradictory() -> None:
    assert combine([]) == Status.NOT_FOUND
    assert combine([F, P]) == P
    assert combine([P, N]) == N
    assert combine([F, N]) == Status.CONTRADICTORY
    assert combine([P, N], "best") == P
    assert combine([F, N], "best") == F


def test_decide_with_aspects(criteria: VendorCriteria) -> None:
    encryption = criteria.get("encryption")
    assert decide(encryption, [ev(F, "at_rest"), ev(F, "in_transit")])[0] == F
    status, aspects = decide(encryption, [ev(F, "at_rest")])
    assert status == P and dict(aspects)["in_transit"] == Status.NOT_FOUND
    assert decide(encryption, [ev(N, "at_rest")])[0] == N
    assert decide(encryption, [])[0] == Status.NOT_FOUND
    assert decide(encryption, [ev(F, "at_rest"), ev(N, "at_rest")])[0] == Status.CONTRADICTORY


def test_scenario_selects_criteria_and_weights(criteria: VendorCriteria) -> None:
    from knowledge.scenario import load_scenario

    catalog = load_catalog(DATA / "catalog")
    shop = criteria.for_scenario(load_scenario(DATA / "scenarios" / "onlineshop.yaml"), catalog)
    weights = {c.id: c.weight for c in shop}
    assert weights["training_on_customer_data"] == 3.0  # KIL-VEN-003 is a MUST
    assert weights["certifications"] == 2.0  # KIL-VEN-005 is a SHOULD
    assert "content_filtering" in weights  # customer-facing: KIL-PIO-013 applies
    agent = criteria.for_scenario(load_scenario(DATA / "scenarios" / "manufacturer.yaml"), catalog)
    assert "content_filtering" not in agent.ids  # internal agent: KIL-PIO-013 does not apply


def test_weights_can_be_edited(criteria: VendorCriteria) -> None:
    edited = criteria.with_weights({"sla": 0, "certifications": 5})
    assert "sla" not in edited.ids
    assert edited.get("certifications").weight == 5
    with pytest.raises(KnowledgeError, match="nope"):
        criteria.with_weights({"nope": 1})


# ---- loader errors name file, entry and field ----------------------------------------------


def broken_copy(tmp_path: Path, change: str) -> Path:
    data = yaml.safe_load((DATA / "vendor_criteria.yaml").read_text(encoding="utf-8"))
    target = data["criteria"][2]
    if change == "regex":
        target["cues"][0]["patterns"][0] = "(unclosed"
    elif change == "weight":
        target["weight"] = -1
    elif change == "requirement":
        target["requirements"] = ["KIL-XXX-999"]
    elif change == "duplicate":
        data["criteria"][3]["id"] = target["id"]
    path = tmp_path / "criteria.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("regex", r"criteria\.yaml, Eintrag retention: Feld 'cues\.0\.patterns'.*regulärer"),
        ("weight", r"criteria\.yaml, Eintrag retention: Feld 'weight'"),
        ("requirement", r"criteria\.yaml, Eintrag retention: Feld 'requirements'.*KIL-XXX-999"),
        ("duplicate", r"criteria\.yaml, Eintrag retention: Feld 'id': doppelt"),
    ],
)
def test_loader_errors_name_file_entry_field(tmp_path: Path, change: str, message: str) -> None:
    with pytest.raises(KnowledgeError, match=message):
        load_vendor_criteria(broken_copy(tmp_path, change), load_catalog(DATA / "catalog"))


def test_criteria_errors_read_in_english_too(tmp_path: Path, criteria: VendorCriteria) -> None:
    """Weights and a custom criteria file: German by ``str``, English by ``text("en")``."""
    catalog = load_catalog(DATA / "catalog")
    shown = {}
    for change in ("regex", "requirement", "duplicate"):
        with pytest.raises(KnowledgeError) as info:
            load_vendor_criteria(broken_copy(tmp_path, change), catalog)
        shown[change] = english(info.value)
    assert shown["regex"].startswith(
        "criteria.yaml, entry retention: field 'cues.0.patterns': Value error, "
        "pattern 1 is not a valid regular expression: "
    )
    assert shown["requirement"] == (
        "criteria.yaml, entry retention: field 'requirements': unknown requirement(s) KIL-XXX-999."
    )
    assert shown["duplicate"] == "criteria.yaml, entry retention: field 'id': duplicate."
    with pytest.raises(KnowledgeError) as unknown:
        criteria.with_weights({"nope": 1})
    assert english(unknown.value) == "Unknown criteria: nope."
    with pytest.raises(KnowledgeError) as weight:
        criteria.with_weights({"sla": 11})
    assert english(weight.value) == "Criterion sla: weight 11 is not within 0–10."
    with pytest.raises(KnowledgeError) as none:
        criteria.with_weights(dict.fromkeys(criteria.ids, 0))
    assert english(none.value) == "At least one criterion is needed."


def test_vendor_spec_parsing() -> None:
    assert parse_vendor_spec("Alpina AI=a.md, b.pdf") == ("Alpina AI", ["a.md", "b.pdf"])
    assert parse_vendor_spec("Nimbus Chat") == ("Nimbus Chat", [])
    with pytest.raises(VendorInputError, match="Name"):
        parse_vendor_spec("=a.md")
    with pytest.raises(VendorInputError, match="Dokument"):
        parse_vendor_spec("Alpina AI=")


@pytest.mark.parametrize(
    ("cid", "text"),
    [
        ("data_residency", "Daten SOLLTEN nur in der EU gespeichert werden."),
        ("training_on_customer_data", "Providers should not use customer data for training."),
        ("sso_mfa", "Allow users to sign in with SSO and MFA."),
    ],
)
def test_advice_is_not_a_vendor_statement(
    matcher: CueMatcher, criteria: VendorCriteria, cid: str, text: str
) -> None:
    assert verdicts(matcher, criteria, cid, text) == set()
