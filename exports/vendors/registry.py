"""The one place that maps a file suffix to a vendor-comparison writer (and its media type)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from chains.vendors.records import VendorComparison
from core.errors import ExportError
from exports.vendors.docx_export import to_docx
from exports.vendors.json_export import to_json
from exports.vendors.markdown import to_markdown
from exports.vendors.xlsx import to_xlsx


@dataclass(frozen=True)
class VendorFormat:
    suffix: str
    media_type: str
    write: Callable[[VendorComparison], bytes]


VENDOR_FORMATS: dict[str, VendorFormat] = {
    f.suffix: f
    for f in (
        VendorFormat(
            ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx
        ),
        VendorFormat(".md", "text/markdown", to_markdown),
        VendorFormat(".json", "application/json", to_json),
        VendorFormat(
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            to_docx,
        ),
    )
}


def vendor_format(name: str) -> VendorFormat:
    """Look up by suffix (``.xlsx``), bare format (``xlsx``) or file name (``vergleich.xlsx``)."""
    key = name.strip().lower()
    if not key.startswith("."):
        key = Path(key).suffix.lower() or f".{key}"
    try:
        return VENDOR_FORMATS[key]
    except KeyError:
        supported = ", ".join(VENDOR_FORMATS)
        raise ExportError(
            f"Unbekanntes Exportformat '{name}' für den Anbietervergleich. "
            f"Unterstützt: {supported}."
        ) from None


def comparison_bytes(comparison: VendorComparison, fmt: str) -> bytes:
    """The file content for a format, e.g. for a download button."""
    return vendor_format(fmt).write(comparison)


def export_comparison(comparison: VendorComparison, path: Path) -> Path:
    """Write the comparison in the format its suffix names; creates missing parent folders."""
    content = comparison_bytes(comparison, path.name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as exc:
        raise ExportError(
            f"{path}: Anbietervergleich konnte nicht geschrieben werden: {exc}"
        ) from exc
    return path
