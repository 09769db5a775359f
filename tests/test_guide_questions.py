"""Ten questions a KMU manager asks about the seven steps, answered from the shipped guide.

The workspace holds exactly what ``lotse bootstrap`` loads (data/manifest.yaml: the guide
in German and English, the sample policy and the two vendor fact sheets), embedded with
the real packaged model. Each question names the document that actually holds the answer
(checked by reading the files); the offline answer must be grounded, cite that document,
be framed in the question's language and open with a summary sentence that shares a key
term with the question.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from chains.answering.service import ChatService
from core.domain import Answer
from core.factory import Services, build_services
from ingest.loaders.registry import Limits
from ingest.pipeline import IngestOptions, ingest_paths
from kb.analysis import STOPWORDS, stem, tokens
from kb.embeddings import Embedder
from knowledge.manifest import shipped_documents
from tests.conftest import make_settings

pytestmark = pytest.mark.slow

WORKSPACE = "default"


@dataclass(frozen=True)
class GuideQuestion:
    id: str
    question: str
    language: str
    expected: str  # file name of the document that holds the answer
    section: str = ""  # the section with the answer, where one section holds it
    faq: str = ""  # words of the FAQ question (09_*) that answers it just as well

    def accepts(self, source: str, section: str = "") -> bool:
        """The expected document, or the FAQ entry written for this question."""
        if source == self.expected:
            return not section or self.section.lower() in section.lower()
        return (
            bool(self.faq)
            and source.startswith("09_")
            and (not section or self.faq.lower() in section.lower())
        )


QUESTIONS = [
    GuideQuestion(
        "selection-roles",
        "Wer muss bei der Auswahl eines KI-Dienstes mitentscheiden?",
        "de",
        "03_schritt3_ki_dienste_bewerten_auswaehlen.md",
        "Beteiligte in Schritt 3",
        faq="mitentscheiden",
    ),
    GuideQuestion(
        "schedule",
        "Wie lange dauert die Einführung und was passiert an welchem Tag?",
        "de",
        "00_ueberblick.md",
        "Zeitplan",
    ),
    GuideQuestion(
        "training-mistakes",
        "Which mistakes do SMEs make when training staff?",
        "en",
        "05_step5_train_staff.md",
        "Mistake",
    ),
    GuideQuestion(
        "customer-data-cloud",
        "Dürfen wir Kundendaten in einen Cloud-Chatbot geben?",
        "de",
        "policy_ki_nutzungsrichtlinie_musterfirma_de.md",
        "Datenampel",
        faq="Kundendaten in einen Cloud-Chatbot",
    ),
    GuideQuestion(
        "contract",
        "Was muss im Vertrag mit dem KI-Anbieter stehen?",
        "de",
        "03_schritt3_ki_dienste_bewerten_auswaehlen.md",
        "Vertrag",
        faq="Vertrag mit dem KI-Anbieter",
    ),
    GuideQuestion(
        "tests-before-go-live",
        "What should we test before going live?",
        "en",
        "06_step6_test_integration.md",
    ),
    GuideQuestion(
        "data-preparation",
        "Wie bereiten wir unsere Daten für die KI auf?",
        "de",
        "04_schritt4_implementierung_planen.md",
        "Daten für die KI aufbereiten",
    ),
    GuideQuestion(
        "review-cadence",
        "How often should we review the AI service after go-live?",
        "en",
        "07_step7_review_optimise.md",
        "quarterly review",
    ),
    GuideQuestion(
        "management-without-it",
        "Warum ist es gefährlich, wenn die Geschäftsführung ohne IT-Fachleute entscheidet?",
        "de",
        "08_typische_fehler_und_korrekturen.md",
        "Fehler 3",
    ),
    GuideQuestion(
        "shadow-ai",
        "How do we find out which AI tools our staff already use?",
        "en",
        "01_step1_analyse_it_landscape.md",
        "shadow AI",
    ),
]

# Retrieval (kb/, not the answerer) does not bring the answering passage into the top
# search_k for these; the answerer can only quote what it is given. Not strict: they
# turn into passes when retrieval improves.
# (review-cadence was one until session 17: merged small sections now carry both
# headings in their label, and the answer cites the step-7 guide again)
RETRIEVAL_MISSES: dict[str, str] = {}
SECTION_MISSES = {
    "selection-roles": "'Beteiligte in Schritt 3' is not among the top 10 hits",
    "data-preparation": "'Daten für die KI aufbereiten' ranks 5th; the answer cites other sections",
    "review-cadence": "en/07 'Run the quarterly review' ranks ~49th",
}


def _param(q: GuideQuestion, misses: dict[str, str]) -> object:
    marks = [pytest.mark.xfail(reason=misses[q.id], strict=False)] if q.id in misses else []
    return pytest.param(q, id=q.id, marks=marks)


@pytest.fixture(scope="module")
def chat(
    embedder: Embedder, e5: Embedder, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ChatService]:
    """A workspace loaded like ``lotse bootstrap`` does (every document of the manifest),
    ranked like the product's default: USE, e5 and BM25 (``kb.second``)."""
    settings = make_settings(
        tmp_path_factory.mktemp("guide"), llm_provider="none", second_embedding_model="e5"
    )
    services: Services = build_services(settings, embedder=embedder, second=e5)
    ws = services.workspaces.open(WORKSPACE, create=True)
    for path, category, vendor in shipped_documents(settings.knowledge_dir):
        options = IngestOptions(
            category=category,
            vendor=vendor,
            chunk_chars=settings.chunk_chars,
            overlap_chars=settings.chunk_overlap_chars,
            limits=Limits.from_settings(settings),
        )
        report = ingest_paths(ws, [path], options)
        assert not report.failed, report.failed
    yield ChatService.from_services(services, WORKSPACE, settings)


_answers: dict[str, Answer] = {}


def _ask(chat: ChatService, q: GuideQuestion) -> Answer:
    if q.id not in _answers:
        _answers[q.id] = chat.ask(q.question)
    return _answers[q.id]


def _stems(text: str) -> set[str]:
    return {
        stem(t, lang)
        for t in tokens(text)
        if t not in STOPWORDS and len(t) > 2 and not t.isdigit()
        for lang in ("de", "en")
    }


def _shares_key_term(question: str, sentence: str) -> bool:
    """A content word of the question in the sentence, also inside a German compound."""
    asked, said = _stems(question), _stems(sentence)
    return bool(asked & said) or any(
        len(a) >= 5 and (s.startswith(a) or s.endswith(a)) for a in asked for s in said
    )


def _summary(answer: Answer) -> str:
    first = answer.answer.splitlines()[0]
    match = re.search(r"[«“](.*)[»”]", first)
    assert match, first
    return match.group(1)


def test_the_manifest_loads_guide_policy_and_vendor_sheets(chat: ChatService) -> None:
    sources = {d.source for d in chat.retriever.ws.documents().values()}
    assert len(sources) == 23
    assert {"00_ueberblick.md", "00_overview.md", "vendor_nimbus_chat_factsheet_en.md"} <= sources


@pytest.mark.parametrize("q", [_param(q, RETRIEVAL_MISSES) for q in QUESTIONS])
def test_question_is_answered_from_the_right_document(chat: ChatService, q: GuideQuestion) -> None:
    answer = _ask(chat, q)
    assert answer.grounded, answer.answer
    assert answer.language == q.language
    framing = "Kurz: " if q.language == "de" else "In short: "
    assert answer.answer.startswith(framing), answer.answer
    sources = [c.source for c in answer.citations]
    assert any(q.accepts(source) for source in sources), (sources, answer.answer)
    assert _shares_key_term(q.question, _summary(answer)), answer.answer


@pytest.mark.parametrize("q", [_param(q, SECTION_MISSES) for q in QUESTIONS if q.section])
def test_the_answering_section_is_cited(chat: ChatService, q: GuideQuestion) -> None:
    answer = _ask(chat, q)
    cited = [(c.source, c.section) for c in answer.citations]
    assert any(q.accepts(src, sec) for src, sec in cited), (cited, answer.answer)


def test_bullets_prefer_the_question_language_over_the_guide_twin(chat: ChatService) -> None:
    """The guide exists in German and English: a question gets one rendering, its own."""
    for q in QUESTIONS:
        answer = _ask(chat, q)
        guide = [c for c in answer.citations if c.source.startswith(("0",))]
        other = [c for c in guide if c.language != q.language]
        assert not other, (q.id, [(c.source, c.snippet) for c in other])


def test_answers_are_deterministic(chat: ChatService) -> None:
    q = QUESTIONS[3]
    assert chat.ask(q.question).answer == _ask(chat, q).answer


def test_every_answer_has_at_most_five_points_each_cited(chat: ChatService) -> None:
    for q in QUESTIONS:
        answer = _ask(chat, q)
        bullets = [ln for ln in answer.answer.splitlines() if ln.startswith("- ")]
        assert len(bullets) <= 4  # plus the summary: five points
        numbers = {c.n for c in answer.citations}
        for line in bullets:
            cited = {int(n) for n in re.findall(r"\[(\d+)\]\s*$", line)}
            assert cited and cited <= numbers, line


def test_guide_files_exist_for_every_expected_document() -> None:
    data = Path(__file__).resolve().parents[1] / "data"
    names = {p.name for p in data.rglob("*.md")}
    assert {q.expected for q in QUESTIONS} <= names
