"""Answering questions from a workspace: extractive offline answers, optional LLM providers."""

from chains.answering.evidence import Evidence, EvidenceScorer, EvidenceSet, ScoringWeights
from chains.answering.extractive import ExtractiveAnswerer, SelectionConfig
from chains.answering.followup import is_followup, resolve_followup
from chains.answering.grounding import Grounding, measure_grounding, topic_closeness
from chains.answering.injection import INSTRUCTION_FLAG, looks_like_instruction
from chains.answering.postcheck import CheckedText, check_citations
from chains.answering.prompts import Passage, answer_messages, condense_messages
from chains.answering.providers import (
    PROVIDERS,
    ProviderConfig,
    ProviderFailure,
    build_chat_model,
    provider_failure,
)
from chains.answering.redaction import Redaction, redact
from chains.answering.service import ChatService, Scope
from chains.answering.stream import AnswerStream
from chains.answering.transcript import (
    answer_labels,
    answer_record,
    conversation_markdown,
    data_flow_label,
)

__all__ = [
    "INSTRUCTION_FLAG",
    "PROVIDERS",
    "AnswerStream",
    "ChatService",
    "CheckedText",
    "Evidence",
    "EvidenceScorer",
    "EvidenceSet",
    "ExtractiveAnswerer",
    "Grounding",
    "Passage",
    "ProviderConfig",
    "ProviderFailure",
    "Redaction",
    "Scope",
    "ScoringWeights",
    "SelectionConfig",
    "answer_labels",
    "answer_messages",
    "answer_record",
    "build_chat_model",
    "check_citations",
    "condense_messages",
    "conversation_markdown",
    "data_flow_label",
    "is_followup",
    "looks_like_instruction",
    "measure_grounding",
    "provider_failure",
    "redact",
    "resolve_followup",
    "topic_closeness",
]
