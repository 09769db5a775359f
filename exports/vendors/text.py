"""VendorComparison -> fixed-width text matrix for terminals and logs (CLI, benchmark)."""

from __future__ import annotations

from chains.vendors.records import VendorComparison, format_points
from exports.vendors.labels import cell_text

NAME_WIDTH = 46
CELL_WIDTH = 18
MAX_VENDOR_WIDTH = 24


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def matrix_lines(comparison: VendorComparison) -> list[str]:
    """Criteria × vendors with weight and status, then points and open questions per vendor."""
    lang = comparison.lang
    vendors = comparison.vendors
    width = max(CELL_WIDTH, *(min(len(v), MAX_VENDOR_WIDTH) + 2 for v in vendors))

    def row(name: str, weight: str, cells: list[str]) -> str:
        body = "".join(f"{_fit(cell, width - 2):<{width}}" for cell in cells)
        return f"{_fit(name, NAME_WIDTH):<{NAME_WIDTH}} {weight:>3}  {body}".rstrip()

    lines = [row("Kriterium" if lang == "de" else "Criterion", "w", list(vendors))]
    for c in comparison.criteria:
        cells = [cell_text(comparison.result(c.id, v).status, lang) for v in vendors]
        lines.append(row(c.name, f"{c.weight:g}", cells))
    lines.append(
        row(
            "Punkte (0–100)" if lang == "de" else "Points (0–100)",
            "",
            [format_points(comparison.summary(v).score, lang) for v in vendors],
        )
    )
    lines.append(
        row(
            "Offene Fragen" if lang == "de" else "Open questions",
            "",
            [str(len(comparison.summary(v).unknowns)) for v in vendors],
        )
    )
    return lines
