"""Step 5 made concrete: training plan, handouts and quizzes per audience for a scenario."""

from chains.training.completion import (
    CompletionRecord,
    completion_path,
    load_completions,
    record_completion,
)
from chains.training.kit import ALL, AUDIENCE_ORDER, build_training_kit, resolve_audiences
from chains.training.policy import PolicyEvidence, PolicySearch, find_policy_evidence
from chains.training.postcheck import Support, check_support
from chains.training.quiz import (
    DEFAULT_QUESTIONS,
    MAX_QUESTIONS,
    MIN_QUESTIONS,
    build_quiz,
    check_questions,
)
from chains.training.records import (
    LETTERS,
    AgendaEntry,
    DroppedQuestion,
    Handout,
    HandoutItem,
    HandoutSection,
    Quiz,
    QuizQuestion,
    SourceRef,
    TrainingKit,
    TrainingPlan,
    TrainingSession,
)
from chains.training.schedule_merge import merge_training_sessions, session_title
from chains.training.sources import resolve_source

__all__ = [
    "ALL",
    "AUDIENCE_ORDER",
    "DEFAULT_QUESTIONS",
    "LETTERS",
    "MAX_QUESTIONS",
    "MIN_QUESTIONS",
    "AgendaEntry",
    "CompletionRecord",
    "DroppedQuestion",
    "Handout",
    "HandoutItem",
    "HandoutSection",
    "PolicyEvidence",
    "PolicySearch",
    "Quiz",
    "QuizQuestion",
    "SourceRef",
    "Support",
    "TrainingKit",
    "TrainingPlan",
    "TrainingSession",
    "build_quiz",
    "build_training_kit",
    "check_questions",
    "check_support",
    "completion_path",
    "find_policy_evidence",
    "load_completions",
    "merge_training_sessions",
    "record_completion",
    "resolve_audiences",
    "resolve_source",
    "session_title",
]
