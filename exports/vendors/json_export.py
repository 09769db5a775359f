"""VendorComparison -> JSON in the documented shape (issue 8), nothing more, nothing less:

    {"vendors": [names],
     "criteria": [{"id", "name", "weight",
                   "results": {VENDOR: {"status", "evidence": [{"source", "page", "text"}]}}}],
     "scores": {VENDOR: number}, "unknowns": {VENDOR: [criterion ids]}}

A score is ``null`` only when not a single criterion of that vendor is documented.
"""

from __future__ import annotations

import json
from typing import Any

from chains.vendors.records import VendorComparison


def comparison_to_dict(comparison: VendorComparison) -> dict[str, Any]:
    return {
        "vendors": list(comparison.vendors),
        "criteria": [
            {
                "id": c.id,
                "name": c.name,
                "weight": c.weight,
                "results": {
                    vendor: {
                        "status": comparison.result(c.id, vendor).status.value,
                        "evidence": [
                            {"source": e.source, "page": e.page, "text": e.text}
                            for e in comparison.result(c.id, vendor).evidence
                        ],
                    }
                    for vendor in comparison.vendors
                },
            }
            for c in comparison.criteria
        ],
        "scores": dict(comparison.scores),
        "unknowns": comparison.unknowns,
    }


def to_json(comparison: VendorComparison) -> bytes:
    return json.dumps(comparison_to_dict(comparison), ensure_ascii=False, indent=2).encode("utf-8")
