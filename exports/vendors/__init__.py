"""Vendor-comparison writers (XLSX, Markdown, JSON, DOCX), chosen by file suffix."""

from exports.vendors.json_export import comparison_to_dict
from exports.vendors.labels import STATUS_COLOURS, cell_text
from exports.vendors.registry import (
    VENDOR_FORMATS,
    comparison_bytes,
    export_comparison,
    vendor_format,
)

__all__ = [
    "STATUS_COLOURS",
    "VENDOR_FORMATS",
    "cell_text",
    "comparison_bytes",
    "comparison_to_dict",
    "export_comparison",
    "vendor_format",
]
