"""Vendor comparison for step 3: criteria × vendors with cited evidence, scores, advice."""

from chains.vendors.compare import compare_vendors, load_default_criteria
from chains.vendors.cues import CueHit, CueMatcher, clean_sentence
from chains.vendors.inputs import (
    MAX_VENDORS,
    MIN_VENDORS,
    parse_vendor_spec,
    resolve_vendors,
    vendor_tags,
)
from chains.vendors.records import (
    STATUS_LABELS,
    STATUS_POINTS,
    STATUS_SYMBOLS,
    CriterionInfo,
    CriterionResult,
    Evidence,
    Status,
    VendorComparison,
    VendorSummary,
    format_points,
    status_label,
)
from core.errors import VendorInputError

__all__ = [
    "MAX_VENDORS",
    "MIN_VENDORS",
    "STATUS_LABELS",
    "STATUS_POINTS",
    "STATUS_SYMBOLS",
    "CriterionInfo",
    "CriterionResult",
    "CueHit",
    "CueMatcher",
    "Evidence",
    "Status",
    "VendorComparison",
    "VendorInputError",
    "VendorSummary",
    "clean_sentence",
    "compare_vendors",
    "format_points",
    "load_default_criteria",
    "parse_vendor_spec",
    "resolve_vendors",
    "status_label",
    "vendor_tags",
]
