"""The security-requirements document: select, prioritise, find evidence, decide status."""

from chains.requirements.draft import draft_requirements
from chains.requirements.evidence import EvidenceConfig, EvidenceFinder
from chains.requirements.records import (
    DraftedRequirement,
    Evidence,
    KeyPoint,
    ManagementSummary,
    OpenQuestion,
    RequirementsDoc,
    SourceRef,
    Stance,
    Status,
)
from chains.requirements.scoring import ScoringConfig

__all__ = [
    "DraftedRequirement",
    "Evidence",
    "EvidenceConfig",
    "EvidenceFinder",
    "KeyPoint",
    "ManagementSummary",
    "OpenQuestion",
    "RequirementsDoc",
    "ScoringConfig",
    "SourceRef",
    "Stance",
    "Status",
    "draft_requirements",
]
